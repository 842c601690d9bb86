"""The textbook quantities a derivation displays (z^l_j, δ^l_j, ∂C/∂w^l_{jk}, σ'(z^l_j) ...) and
their values on one network.

Quantities are unevaluated SymPy functions, so a displayed step is an ordinary SymPy expression
(sums with ranges, products in the order written) that printers can typeset and `Meaning` can
evaluate: every quantity becomes an engine expression in the network's atoms, which is what the
prover compares. Partials of C are route A's perturbation derivatives; local partials are plain
derivatives of one unit's own formula in placeholders for what it is computed from.
"""
from __future__ import annotations

from typing import Callable

import symengine as se
import sympy as sp

from symbp.chain import Direct
from symbp.engine import to_engine
from symbp.network import Network
from symbp.prove import Context, context


class Quantity(sp.Function):
    """A named textbook quantity; its arguments are layer, unit and sample numbers (1-based)."""

    is_commutative = True


class Pre(Quantity):
    """z^l_j of sample s: args (l, j, s)."""
    nargs = 3


class Act(Quantity):
    """a^l_j of sample s (a^1_k = x_k; a^{l}_0 = 1 for a bias unit): args (l, j, s)."""
    nargs = 3


class Weight(Quantity):
    """w^l_{jk}: args (l, j, k)."""
    nargs = 3


class Bias(Quantity):
    """b^l_j: args (l, j)."""
    nargs = 2


class Target(Quantity):
    """y_j of sample s: args (j, s)."""
    nargs = 2


class Cost(Quantity):
    """C (no argument: the cost, the mean over samples) or C^{(s)}, one sample's cost."""
    nargs = (0, 1)


class Delta(Quantity):
    """δ^l_j of sample s, defined as ∂C^{(s)}/∂z^l_j: args (l, j, s)."""
    nargs = 3


class Sig(Quantity):
    """σ(z^l_j) of sample s, the activation function of layer l applied: args (l, j, s)."""
    nargs = 3


class Prime(Quantity):
    """σ'(z^l_j) of sample s, for the activation of layer l: args (l, j, s)."""
    nargs = 3


class Same(Quantity):
    """[i = j]: 1 when the two unit numbers agree, else 0 (the Kronecker delta, named apart from δ)."""
    nargs = 2

    @classmethod
    def eval(cls, i, j):  # SymPy's Function.eval hook (automatic evaluation), not Python's eval
        if i.is_Integer and j.is_Integer:
            return sp.Integer(int(i == j))
        return None


class D(Quantity):
    """∂u/∂v: args (u, v), u any quantity or expression, v a quantity."""
    nargs = 2


def mul(*factors: sp.Expr) -> sp.Expr:
    """A product kept in the order written (how a textbook chains its factors)."""
    factors = [f for f in factors if f != 1] or [sp.Integer(1)]
    return factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False)


def add(*terms: sp.Expr) -> sp.Expr:
    """A sum kept in the order written."""
    return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)


Evaluator = Callable[["Meaning", Quantity], se.Basic]


class Meaning:
    """The value of textbook quantities on one network, as engine expressions in its atoms."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.direct = Direct(net)
        self.ctx: Context = context(net)
        self._sample_param: dict[tuple, se.Basic] = {}

    # -- whole expressions ----------------------------------------------------------------------
    def value(self, expr: sp.Expr) -> se.Basic:
        """The engine value of a concrete expression (sums with numeric ranges are expanded)."""
        return self._walk(expr.doit() if expr.has(sp.Sum) else expr)

    def _walk(self, expr: sp.Expr) -> se.Basic:
        if isinstance(expr, Quantity):
            return QUANTITIES[type(expr)](self, expr)
        if expr.is_Number:
            return to_engine(expr)
        if isinstance(expr, sp.Add):
            return sum((self._walk(a) for a in expr.args), se.Integer(0))
        if isinstance(expr, sp.Mul):
            out = se.Integer(1)
            for a in expr.args:
                out = out * self._walk(a)
            return out
        if isinstance(expr, sp.Pow):
            return self._walk(expr.base) ** self._walk(expr.exp)
        raise TypeError(f"no value for {expr!r}: a free index or an unknown quantity")

    # -- the quantities -------------------------------------------------------------------------
    def unit(self, q: Quantity):
        l, j, s = (int(a) for a in q.args)
        return self.net.units[s - 1][(l, j)]

    def act(self, q: Act) -> se.Basic:
        l, j, s = (int(a) for a in q.args)
        return self.net.a_in(s - 1, l, j) if l == 1 or j == 0 else self.unit(q).a_atoms

    def partial(self, q: D) -> se.Basic:
        u, v = q.args
        rule = PARTIALS.get((type(u), type(v)))
        if rule is None:
            if isinstance(v, (Weight, Bias)):
                return self.value(u).diff(self._walk(v))
            raise TypeError(f"no meaning for ∂{u}/∂{v}")
        return rule(self, u, v)

    # -- partials of the cost: route A ------------------------------------------------------------
    def cost_by_parameter(self, cost: Cost, theta: Quantity) -> se.Basic:
        sym = self._walk(theta)
        if not cost.args:
            return self.direct.parameter(sym)
        s = int(cost.args[0]) - 1
        key = (s, sym)
        if key not in self._sample_param:
            self._sample_param[key] = self.net.atomizer(self.net.cost(s).diff(sym))
        return self._sample_param[key]

    def cost_by_unit(self, cost: Cost, v: Quantity) -> se.Basic:
        l, j, s = (int(a) for a in v.args)
        kind = "z" if isinstance(v, Pre) else "a"
        return self.direct.unit(kind, s - 1, l, j, per_sample=bool(cost.args)
                                or self.net.spec.samples == 1)

    # -- local partials: one unit's formula in placeholders --------------------------------------
    def _placeholders(self, prefix: str, layer: int) -> list[se.Symbol]:
        return [se.Symbol(f"_{prefix}{i}") for i in range(1, self.net.width(layer) + 1)]

    def _back(self, expr: se.Basic, slots: list[se.Symbol], layer: int, s: int,
              kind: str) -> se.Basic:
        """Atomize a derivative taken in placeholders and put the unit values back."""
        values = [self.net.units[s][(layer, i)].z_atoms if kind == "z" else
                  self.net.a_in(s, layer, i) for i in range(1, len(slots) + 1)]
        return self.net.atomizer.substitute(self.net.atomizer(expr), dict(zip(slots, values)))

    def pre_by_weight(self, u: Pre, v: Quantity) -> se.Basic:
        return self.unit(u).z_atoms.diff(self._walk(v))

    def pre_by_act(self, u: Pre, v: Act) -> se.Basic:
        (l, j, s), (_, k, _) = [[int(a) for a in q.args] for q in (u, v)]
        slots = self._placeholders("a", l - 1)
        z = self.net.pre_activation(l, j, slots)
        return self._back(z.diff(slots[k - 1]), slots, l - 1, s - 1, "a")

    def act_by_pre(self, u: Act, v: Pre) -> se.Basic:
        (l, i, s), (_, j, _) = [[int(a) for a in q.args] for q in (u, v)]
        slots = self._placeholders("t", l)
        a = self.net.activate(l, list(slots))[i - 1]
        return self._back(a.diff(slots[j - 1]), slots, l, s - 1, "z")

    def pre_by_pre(self, u: Pre, v: Pre) -> se.Basic:
        (l, k, s), (_, j, _) = [[int(a) for a in q.args] for q in (u, v)]
        slots = self._placeholders("t", l - 1)
        z = self.net.pre_activation(l, k, self.net.activate(l - 1, list(slots)))
        return self._back(z.diff(slots[j - 1]), slots, l - 1, s - 1, "z")


def _weight(m: Meaning, q: Weight) -> se.Basic:
    return m.net.w[tuple(int(a) for a in q.args)]


def _bias(m: Meaning, q: Bias) -> se.Basic:
    return m.net.b[tuple(int(a) for a in q.args)]


def _target(m: Meaning, q: Target) -> se.Basic:
    j, s = (int(a) for a in q.args)
    return m.net.y[s - 1][j - 1]


def _cost(m: Meaning, q: Cost) -> se.Basic:
    return m.direct.cost if not q.args else m.net.cost(int(q.args[0]) - 1)


def _delta(m: Meaning, q: Delta) -> se.Basic:
    l, j, s = (int(a) for a in q.args)
    return m.direct.delta(s - 1, l, j)


QUANTITIES: dict[type, Evaluator] = {
    Pre: lambda m, q: m.unit(q).z_atoms,
    Act: Meaning.act,
    Weight: _weight,
    Bias: _bias,
    Target: _target,
    Cost: _cost,
    Delta: _delta,
    Sig: Meaning.act,
    Prime: lambda m, q: m.unit(q).dsigma,
    D: Meaning.partial,
}

#: ∂u/∂v by the types of u and v.
PARTIALS: dict[tuple[type, type], Callable[[Meaning, Quantity, Quantity], se.Basic]] = {
    (Cost, Weight): Meaning.cost_by_parameter,
    (Cost, Bias): Meaning.cost_by_parameter,
    (Cost, Pre): Meaning.cost_by_unit,
    (Cost, Act): Meaning.cost_by_unit,
    (Pre, Weight): Meaning.pre_by_weight,
    (Pre, Bias): Meaning.pre_by_weight,
    (Pre, Act): Meaning.pre_by_act,
    (Act, Pre): Meaning.act_by_pre,
    (Pre, Pre): Meaning.pre_by_pre,
}
