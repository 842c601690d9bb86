"""The symbolic network: from a spec to symbols, composed forward expressions and their atoms.

Notation is the canonical one of most books: inputs x_k, weights w^l_{jk} into unit j of layer l
from unit k of layer l-1, biases b^l_j, pre-activations z^l_j, activations a^l_j, targets y_j,
cost C; layers are numbered from 1 (the input). Expressions are built in SymEngine for speed;
`to_sympy` hands SymPy objects to the outside world.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import symengine as se
import sympy as sp

from symbp.atoms import Atomizer
from symbp.engine import to_engine
from symbp.errors import LimitError, SymbpError
from symbp.rules import ACTIVATIONS, BIASES, COSTS, names

#: The largest network symbp will build: beyond this the symbolic route is not worth waiting for.
LIMITS = {"layers": 8, "width": 64, "parameters": 6000, "samples": 8}


def _idx(*units: int) -> str:
    """Unit subscripts as books print them: `12`, or `1,12` once a unit has two digits."""
    sep = "," if any(u > 9 for u in units) else ""
    return sep.join(str(u) for u in units)


def _sample_tag(sample: int, samples: int) -> str:
    return f"^{{({sample + 1})}}" if samples > 1 else ""


@dataclass(frozen=True)
class NetworkSpec:
    """What a network is: widths (input first), activation(s), cost, bias convention, samples."""

    layers: tuple[int, ...] = (2, 3, 2)
    activation: str | tuple[str, ...] = "sigma"
    cost: str = "quadratic"
    bias: str = "add"
    samples: int = 1
    cost_scale: sp.Rational | None = None   # the quadratic cost's constant (default ½)

    def __post_init__(self) -> None:
        validate(self)

    @property
    def activations(self) -> tuple[str, ...]:
        """One activation name per non-input layer (layers 2..L)."""
        if isinstance(self.activation, str):
            return (self.activation,) * (len(self.layers) - 1)
        return tuple(self.activation)

    @property
    def scale(self) -> sp.Expr:
        return sp.nsimplify(self.cost_scale) if self.cost_scale is not None \
            else COSTS[self.cost].default_scale

    @property
    def parameter_count(self) -> int:
        extra = 1 if BIASES[self.bias].unit or BIASES[self.bias].sign else 0
        return sum(n * (m + extra) for m, n in zip(self.layers, self.layers[1:]))


def validate(spec: NetworkSpec) -> None:
    """Reject a spec that cannot be built, naming the valid choices or the limit."""
    if len(spec.layers) < 2:
        raise SymbpError("a network needs at least two layers (input and output)")
    if any(int(n) != n or n < 1 for n in spec.layers):
        raise SymbpError(f"layer widths must be positive integers, got {list(spec.layers)}")
    for act in spec.activations:
        if act not in ACTIVATIONS:
            raise SymbpError(f"unknown activation '{act}' (valid: {names(ACTIVATIONS)})")
    if len(spec.activations) != len(spec.layers) - 1:
        raise SymbpError(f"{len(spec.activations)} activations given for "
                         f"{len(spec.layers) - 1} non-input layers")
    if any(a == "softmax" for a in spec.activations[:-1]):
        raise SymbpError("softmax is only supported on the output layer")
    if spec.cost not in COSTS:
        raise SymbpError(f"unknown cost '{spec.cost}' (valid: {names(COSTS)})")
    if spec.bias not in BIASES:
        raise SymbpError(f"unknown bias convention '{spec.bias}' (valid: {names(BIASES)})")
    if spec.samples < 1:
        raise SymbpError("the number of samples must be at least 1")
    _check_limits(spec)


def _check_limits(spec: NetworkSpec) -> None:
    checks = [("layers", len(spec.layers)), ("width", max(spec.layers)),
              ("parameters", spec.parameter_count), ("samples", spec.samples)]
    for what, value in checks:
        if value > LIMITS[what]:
            raise LimitError(f"network too large: {LIMIT_WORDS[what].format(value)} "
                             f"(the limit is {LIMIT_WORDS[what].format(LIMITS[what])})")


#: How each limit reads in a sentence, for a count `{}`.
LIMIT_WORDS = {"layers": "{} layers", "width": "{} units in a layer",
               "parameters": "{} parameters", "samples": "{} samples"}


@dataclass
class Unit:
    """One unit of one sample: its composed and atomized pre-activation and activation."""

    z: se.Basic            # composed from the free symbols
    a: se.Basic
    z_atoms: se.Basic      # the same, written in atoms of earlier layers
    a_atoms: se.Basic
    dsigma: se.Basic       # σ'(z) in atoms: its own atom, 1 for the identity, a(1-a) for softmax


@dataclass
class Network:
    """All symbols and forward expressions of one spec; built once, read by every route."""

    spec: NetworkSpec
    x: list[list[se.Symbol]] = field(default_factory=list)        # x[s][k-1]
    y: list[list[se.Symbol]] = field(default_factory=list)        # y[s][j-1]
    w: dict[tuple[int, int, int], se.Symbol] = field(default_factory=dict)   # (l, j, k)
    b: dict[tuple[int, int], se.Symbol] = field(default_factory=dict)        # (l, j)
    units: list[dict[tuple[int, int], Unit]] = field(default_factory=list)   # units[s][(l, j)]
    atomizer: Atomizer = field(default_factory=Atomizer)
    labels: dict[se.Symbol, str] = field(default_factory=dict)   # symbol -> LaTeX-ish label
    specialize: dict[se.Symbol, se.Basic] = field(default_factory=dict)  # σ' atom -> its rule

    @property
    def L(self) -> int:
        return len(self.spec.layers)

    def width(self, layer: int) -> int:
        return self.spec.layers[layer - 1]

    def activation(self, layer: int) -> str:
        return self.spec.activations[layer - 2]

    @property
    def parameters(self) -> list[tuple[str, tuple[int, ...], se.Symbol]]:
        """Every trainable parameter as (kind, indices, symbol), weights then biases per layer."""
        out = []
        for l in range(2, self.L + 1):
            out += [("w", key, sym) for key, sym in self.w.items() if key[0] == l]
            out += [("b", key, sym) for key, sym in self.b.items() if key[0] == l]
        return out

    @property
    def free_symbols(self) -> list[se.Symbol]:
        return [s for row in self.x for s in row] + [s for row in self.y for s in row] + \
            [p for _, _, p in self.parameters]

    def a_in(self, sample: int, layer: int, k: int) -> se.Basic:
        """a^{layer}_k in atoms: x_k on the input layer, 1 for a bias unit k = 0."""
        if k == 0:
            return se.Integer(1)
        if layer == 1:
            return self.x[sample][k - 1]
        return self.units[sample][(layer, k)].a_atoms

    # -- composition ---------------------------------------------------------------------------
    def compose(self, sample: int, override: tuple[str, int, int] | None = None,
                by: se.Basic | None = None) -> list[se.Basic]:
        """Output activations of one sample, composed from the free symbols.

        With `override=("z"|"a", l, j)`, that quantity is replaced by `by` and everything computed
        from it is recomputed: the perturbation meaning of ∂C/∂z^l_j and ∂C/∂a^l_j.
        """
        prev = list(self.x[sample])
        for l in range(2, self.L + 1):
            zs = []
            for j in range(1, self.width(l) + 1):
                z = self.units[sample][(l, j)].z if override is None or override[1] > l \
                    else self.pre_activation(l, j, prev)
                if override == ("z", l, j):
                    z = by
                zs.append(z)
            prev = self.activate(l, zs)
            if override is not None and override[0] == "a" and override[1] == l:
                prev[override[2] - 1] = by
        return prev

    def cost(self, sample: int | None = None, override: tuple[str, int, int] | None = None,
             by: se.Basic | None = None) -> se.Basic:
        """C composed: one sample's C_x, or the mean (1/n) Σ_x C_x when `sample` is None.

        An override applies to the given sample only.
        """
        if sample is not None:
            return self._sample_cost(sample, self.compose(sample, override, by))
        n = self.spec.samples
        return sum((self._sample_cost(s, self.compose(s)) for s in range(n)),
                   se.Integer(0)) / n

    def _sample_cost(self, sample: int, outputs: list[se.Basic]) -> se.Basic:
        return self._cost_template.subs(dict(zip(self._cost_slots, outputs)) |
                                        dict(zip(self._target_slots, self.y[sample])))

    @cached_property
    def _cost_slots(self) -> list[se.Symbol]:
        return [se.Symbol(f"_A{j}") for j in range(1, self.width(self.L) + 1)]

    @cached_property
    def _target_slots(self) -> list[se.Symbol]:
        return [se.Symbol(f"_Y{j}") for j in range(1, self.width(self.L) + 1)]

    @cached_property
    def _cost_template(self) -> se.Basic:
        """The per-sample cost in placeholder symbols, from the table (SymPy), in the engine."""
        a = [sp.Symbol(str(s)) for s in self._cost_slots]
        y = [sp.Symbol(str(s)) for s in self._target_slots]
        return to_engine(COSTS[self.spec.cost].form(a, y, self.spec.scale))

    def cost_in_atoms(self, sample: int) -> se.Basic:
        """C_x written in the output atoms."""
        outs = [self.units[sample][(self.L, j)].a_atoms for j in range(1, self.width(self.L) + 1)]
        return self._sample_cost(sample, outs)

    def pre_activation(self, l: int, j: int, prev: list[se.Basic]) -> se.Basic:
        """z^l_j from the activations `prev` of layer l-1, under the spec's bias convention."""
        bias = BIASES[self.spec.bias]
        z = sum((self.w[(l, j, k)] * a for k, a in enumerate(prev, start=1)), se.Integer(0))
        if bias.unit:
            z += self.w[(l, j, 0)]
        elif bias.sign:
            z += bias.sign * self.b[(l, j)]
        return z

    def activate(self, l: int, zs: list[se.Basic]) -> list[se.Basic]:
        """Layer l's activations from its pre-activations (softmax couples the whole layer)."""
        name = self.activation(l)
        if name == "softmax":
            exps = [_EXP(z) for z in zs]
            total = sum(exps, se.Integer(0))
            return [e / total for e in exps]
        if name == "identity":
            return list(zs)
        f = se.Function(name)
        return [f(z) for z in zs]


#: exp as an opaque function inside softmax, so the engine keeps exp(z_1)·exp(z_2) apart (it would
#: merge them into exp(z_1 + z_2)); its derivative rule exp' = exp is in every network's atomizer.
_EXP = se.Function("exp")


def build_network(spec: NetworkSpec) -> Network:
    """Create every symbol and the composed and atomized forward pass of `spec`."""
    net = Network(spec, atomizer=Atomizer(rules=ENGINE_RULES))
    widths, n = spec.layers, spec.samples
    for s in range(n):
        tag = _sample_tag(s, n)
        net.x.append([se.Symbol(f"x{tag}_{{{k}}}") for k in range(1, widths[0] + 1)])
        net.y.append([se.Symbol(f"y{tag}_{{{j}}}") for j in range(1, widths[-1] + 1)])
    bias = BIASES[spec.bias]
    for l in range(2, len(widths) + 1):
        for j in range(1, widths[l - 1] + 1):
            first = 0 if bias.unit else 1
            for k in range(first, widths[l - 2] + 1):
                net.w[(l, j, k)] = se.Symbol(f"w^{{{l}}}_{{{_idx(j, k)}}}")
            if bias.sign:
                net.b[(l, j)] = se.Symbol(f"b^{{{l}}}_{{{j}}}")
    for s in range(n):
        net.units.append(_forward(net, s))
    return net


#: Rules the atomizer always applies: exp' = exp keeps softmax's atoms closed under d/dz.
ENGINE_RULES = {"exp": lambda atom: atom}


def _rule(name: str):
    """The activation's derivative rule as a map from its value atom to σ' (None if it has none)."""
    act = ACTIVATIONS[name]
    if act.derivative is None:
        return None
    template = to_engine(act.derivative(sp.Symbol("_u"), sp.Symbol("_s")))
    return lambda atom: template.subs({se.Symbol("_s"): atom})


def _forward(net: Network, s: int) -> dict[tuple[int, int], Unit]:
    """Compose and atomize every unit of sample `s`, registering readable atom names."""
    units: dict[tuple[int, int], Unit] = {}
    net.units.append(units)          # visible to a_in while this sample is being built
    tag = _sample_tag(s, net.spec.samples)
    prev_c = list(net.x[s])
    for l in range(2, net.L + 1):
        name = net.activation(l)
        zc = [net.pre_activation(l, j, prev_c) for j in range(1, net.width(l) + 1)]
        ac = net.activate(l, zc)
        za = [net.pre_activation(l, j, [net.a_in(s, l - 1, k)
                                          for k in range(1, net.width(l - 1) + 1)])
              for j in range(1, net.width(l) + 1)]
        for j in range(1, net.width(l) + 1):
            zlabel = f"z{tag}^{{{l}}}_{{{j}}}"
            a_atoms, dsig = _unit_atoms(net, name, l, j, za, zlabel, tag)
            units[(l, j)] = Unit(zc[j - 1], ac[j - 1], za[j - 1], a_atoms, dsig)
        if name == "softmax":
            total = sum((net.atomizer(_EXP(z)) for z in za), se.Integer(0))
            for j in range(1, net.width(l) + 1):
                e_j = net.atomizer(_EXP(za[j - 1]))
                units[(l, j)].a_atoms = e_j / total
                units[(l, j)].dsigma = (e_j / total) * (1 - e_j / total)
        prev_c = ac
    net.units.pop()
    return units


def _unit_atoms(net: Network, name: str, l: int, j: int, za: list[se.Basic], zlabel: str,
                tag: str) -> tuple[se.Basic, se.Basic]:
    """The value and σ' of unit (l, j) in atoms, registering their symbols and labels."""
    z = za[j - 1]
    if name == "identity":
        return z, se.Integer(1)
    if name == "softmax":
        sym = se.Symbol(f"e{tag}^{{{l}}}_{{{j}}}")
        net.atomizer.register("exp", z, sym, label=f"\\exp({zlabel})")
        net.labels[sym] = f"e^{{{zlabel}}}"
        return sym, se.Integer(0)     # replaced once the whole layer is known
    letter = ACTIVATIONS[name].latex
    value = se.Symbol(f"a{tag}^{{{l}}}_{{{j}}}")
    net.atomizer.register(name, z, value, label=f"{letter}({zlabel})")
    net.labels[value] = f"{letter}({zlabel})"
    prime = se.Symbol(f"{name}'{tag}^{{{l}}}_{{{j}}}")
    net.atomizer.register(name, z, prime, order=1, label=f"{letter}'({zlabel})")
    net.labels[prime] = f"{letter}'({zlabel})"
    rule = _rule(name)
    if rule is not None:
        net.specialize[prime] = rule(value)
    return value, prime
