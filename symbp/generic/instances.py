"""A generic expression on one concrete network: every index and layer given a number.

The translation never uses a generic rule: a quantity becomes the network's own atom, δ^l_j and
∂C/∂θ come from route A (direct differentiation of the composed cost, `symbp.chain`), and any
other ∂f/∂v is taken by the engine's `diff` of f composed from the free symbols (with the layer
of v perturbed when v is a unit quantity). So a step checked here is checked independently of the
rule that produced it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import symengine as se

from symbp.chain import Direct
from symbp.engine import to_engine
from symbp.generic.expr import (COST, KD, Add, Atom, D, Expr, Layer, Mul, Num, Pow, Scalar,
                                Sum)
from symbp.network import Network

EXP = se.Function("exp")


class OutOfRange(LookupError):
    """An index names a unit a layer does not have (a shape mismatch at this size)."""


@dataclass
class Instance:
    """One network, one value for each layer symbol and each free unit index."""

    net: Network
    direct: Direct
    layers: dict[str, int]
    units: dict[str, int]

    def layer(self, layer: Layer) -> int:
        m = self.layers[layer[0]] + layer[1]
        if not 1 <= m <= self.net.L:
            raise OutOfRange(f"layer {m} does not exist")
        return m

    def unit(self, i, env: dict[str, int]) -> int:
        return i if isinstance(i, int) else env[i] if i in env else self.units[i]

    def label(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in {**self.layers, **self.units}.items()
                         if k != "L" or len(self.layers) == 1)

    # -- values -----------------------------------------------------------------------------
    def __call__(self, e: Expr, env: dict[str, int] | None = None) -> se.Basic:
        return self._value(e, env or {})

    def _check(self, m: int, i: int, lower: int = 1) -> None:
        if not lower <= i <= self.net.width(m):
            raise OutOfRange(f"unit {i} of layer {m}, which has {self.net.width(m)} units")

    def _value(self, e: Expr, env: dict[str, int]) -> se.Basic:
        net = self.net
        if isinstance(e, Num):
            return se.Rational(e.value.numerator, e.value.denominator)
        if isinstance(e, KD):
            return se.Integer(int(self.unit(e.i, env) == self.unit(e.j, env)))
        if isinstance(e, Add):
            return sum((self._value(t, env) for t in e.terms), se.Integer(0))
        if isinstance(e, Mul):
            out = se.Integer(1)
            for f in e.factors:
                out = out * self._value(f, env)
            return out
        if isinstance(e, Pow):
            return self._value(e.base, env) ** e.exp
        if isinstance(e, Sum):
            m = self.layer(e.layer)
            return sum((self._value(e.body, {**env, e.index: u})
                        for u in range(e.lower, net.width(m) + 1)), se.Integer(0))
        if isinstance(e, Scalar):
            i = self.unit(e.idx[0], env)
            self._check(net.L, i)
            return to_engine(e.form).subs({se.Symbol("A"): net.units[0][(net.L, i)].a_atoms,
                                           se.Symbol("Y"): net.y[0][i - 1]})
        if isinstance(e, Atom):
            return self._atom(e, env)
        if isinstance(e, D):
            return self._derivative(e, env)
        raise TypeError(repr(e))

    def _atom(self, e: Atom, env: dict[str, int]) -> se.Basic:
        net, idx = self.net, [self.unit(i, env) for i in e.idx]
        m = self.layer(e.layer) if e.layer is not None else net.L
        if e.kind == "n":
            return se.Integer(net.width(m))
        if e.kind == "w":
            self._check(m, idx[0])
            self._check(m - 1, idx[1], 0 if (m, idx[0], 0) in net.w else 1)
            return net.w[(m, idx[0], idx[1])]
        if e.kind == "b":
            self._check(m, idx[0])
            if (m, idx[0]) not in net.b:
                raise OutOfRange("this bias convention has no b")
            return net.b[(m, idx[0])]
        if e.kind == "y":
            self._check(net.L, idx[0])
            return net.y[0][idx[0] - 1]
        if e.kind == "grad":
            self._check(net.L, idx[0])
            return self.direct.unit("a", 0, net.L, idx[0])
        if e.kind == "S":
            return sum((self._exp(m, u) for u in range(1, net.width(m) + 1)), se.Integer(0))
        self._check(m, idx[0], 0 if e.kind == "a" else 1)
        if e.kind == "a":
            return net.a_in(0, m, idx[0])
        unit = net.units[0][(m, idx[0])]
        if e.kind == "z":
            return unit.z_atoms
        if e.kind == "dsig":
            return unit.dsigma
        if e.kind == "delta":
            return self.direct.delta(0, m, idx[0])
        if e.kind == "E":
            return self._exp(m, idx[0])
        raise TypeError(f"no concrete value for {e!r}")

    def _exp(self, m: int, i: int) -> se.Basic:
        return self.net.atomizer(EXP(self.net.units[0][(m, i)].z_atoms))

    # -- derivatives, taken directly ------------------------------------------------------------
    def _derivative(self, e: D, env: dict[str, int]) -> se.Basic:
        net, v = self.net, e.v
        m = self.layer(v.layer) if v.layer is not None else net.L
        idx = [self.unit(i, env) for i in v.idx]
        if v.kind in ("w", "b"):
            symbol = self._atom(v, env)
            if e.f == COST:
                return self.direct.parameter(symbol)
            raw = Composed(self, None)
            return net.atomizer(raw(e.f, env).diff(symbol))
        if v.kind not in ("z", "a"):
            raise TypeError(f"no direct derivative with respect to {v!r}")
        self._check(m, idx[0])
        if e.f == COST:
            return self.direct.unit(v.kind, 0, m, idx[0])
        raw = Composed(self, (v.kind, m))
        free = raw.free[idx[0] - 1]
        derivative = net.atomizer(raw(e.f, env).diff(free))
        unit = [net.units[0][(m, u)] for u in range(1, net.width(m) + 1)]
        values = [u.z_atoms if v.kind == "z" else u.a_atoms for u in unit]
        return net.atomizer.substitute(derivative, dict(zip(raw.free, values)))


class Composed:
    """Network quantities composed from the free symbols, with one layer's z (or a) free."""

    def __init__(self, inst: Instance, perturbed: tuple[str, int] | None) -> None:
        self.inst, self.net, self.perturbed = inst, inst.net, perturbed
        m = perturbed[1] if perturbed else 0
        self.free = [se.Symbol(f"_v{u}") for u in range(1, self.net.width(m) + 1)] \
            if perturbed else []

    @cached_property
    def layers(self) -> dict[int, tuple[list, list]]:
        """Layer m -> (z values, a values), composed."""
        net, out = self.net, {}
        prev = list(net.x[0])
        for m in range(2, net.L + 1):
            if self.perturbed and self.perturbed[1] > m:
                zs = [net.units[0][(m, u)].z for u in range(1, net.width(m) + 1)]
                acts = [net.units[0][(m, u)].a for u in range(1, net.width(m) + 1)]
            else:
                zs = [net.pre_activation(m, u, prev) for u in range(1, net.width(m) + 1)]
                if self.perturbed == ("z", m):
                    zs = list(self.free)
                acts = net.activate(m, zs)
                if self.perturbed == ("a", m):
                    acts = list(self.free)
            out[m] = (zs, acts)
            prev = acts
        return out

    def _a(self, m: int, u: int) -> se.Basic:
        if u == 0:
            return se.Integer(1)
        return self.net.x[0][u - 1] if m == 1 else self.layers[m][1][u - 1]

    def __call__(self, e: Expr, env: dict[str, int]) -> se.Basic:
        inst = self.inst
        if isinstance(e, (Num, KD)):
            return inst(e, env)
        if isinstance(e, Add):
            return sum((self(t, env) for t in e.terms), se.Integer(0))
        if isinstance(e, Mul):
            out = se.Integer(1)
            for f in e.factors:
                out = out * self(f, env)
            return out
        if isinstance(e, Pow):
            return self(e.base, env) ** e.exp
        if isinstance(e, Sum):
            m = inst.layer(e.layer)
            return sum((self(e.body, {**env, e.index: u})
                        for u in range(e.lower, self.net.width(m) + 1)), se.Integer(0))
        if isinstance(e, Scalar):
            i = inst.unit(e.idx[0], env)
            return to_engine(e.form).subs({se.Symbol("A"): self._a(self.net.L, i),
                                           se.Symbol("Y"): self.net.y[0][i - 1]})
        if isinstance(e, Atom) and e.kind in ("w", "b", "y", "n"):
            return inst(e, env)
        if isinstance(e, Atom) and e.kind in ("a", "z", "E", "S"):
            m = inst.layer(e.layer)
            if e.kind == "S":
                return sum((EXP(z) for z in self.layers[m][0]), se.Integer(0))
            u = inst.unit(e.idx[0], env)
            inst._check(m, u, 0 if e.kind == "a" else 1)
            if e.kind == "a":
                return self._a(m, u)
            z = self.layers[m][0][u - 1]
            return z if e.kind == "z" else EXP(z)
        if e == COST:
            L = self.net.L
            return self.net._sample_cost(0, [self._a(L, u) for u in range(1, self.net.width(L) + 1)])
        raise TypeError(f"no composed value for {e!r}")
