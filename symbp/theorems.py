"""The four equations as theorems about one network: every instance proved against route A.

Each row of the result is one equation (BP1–BP4, the cost gradient, and where it applies the
δ^L = a^L − y shortcut) with a verdict for each of its instances.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

import symengine as se

from symbp import backprop
from symbp.chain import Direct
from symbp.network import Network, NetworkSpec, build_network
from symbp.prove import PROVED, REFUTED, UNDECIDED, Verdict, context, prove_atoms
from symbp.rules import ACTIVATIONS, BIASES

Instance = tuple[str, se.Basic, se.Basic]   # (label, direct side, equation side)


@dataclass
class EquationResult:
    """One equation's verdicts over all its instances on one network."""

    name: str
    statement: str
    verdicts: list[tuple[str, Verdict]] = field(default_factory=list)
    seconds: float = 0.0
    note: str = ""
    condition: str | None = None

    @property
    def instances(self) -> int:
        return len(self.verdicts)

    def count(self, status: str) -> int:
        return sum(v.status == status for _, v in self.verdicts)

    @property
    def status(self) -> str:
        for status in (REFUTED, UNDECIDED):
            if self.count(status):
                return status
        return PROVED

    def failures(self) -> list[tuple[str, Verdict]]:
        return [(label, v) for label, v in self.verdicts if v.status != PROVED]

    def to_dict(self) -> dict:
        return {"equation": self.name, "statement": self.statement, "instances": self.instances,
                "proved": self.count(PROVED), "refuted": self.count(REFUTED),
                "undecided": self.count(UNDECIDED), "verdict": self.status, "scope": "network",
                "condition": self.condition, "note": self.note, "seconds": round(self.seconds, 6),
                "failures": [{"instance": label, **v.to_dict()} for label, v in self.failures()]}


class EquationResults(list):
    """The verdicts of `prove_equations` on one network: a list of `EquationResult`, one per
    equation, that also knows its network (its text and notebook displays are attached by the
    package: a table, not a list of dataclasses)."""

    def __init__(self, results=(), spec: NetworkSpec | None = None, seconds: float = 0.0):
        super().__init__(results)
        self.spec = spec
        self.seconds = seconds

    @property
    def proved(self) -> bool:
        return all(r.status == PROVED for r in self)


@dataclass(frozen=True)
class Equation:
    """A named equation and the generator of its instances on a network."""

    name: str
    statement: str
    instances: Callable[[Network, Direct], Iterator[Instance]]
    applies: Callable[[Network], bool] = lambda net: True
    given: Callable[[Network], tuple[dict, str] | None] = lambda net: None


def _samples(net: Network) -> range:
    return range(net.spec.samples)


def _sample_label(net: Network, s: int) -> str:
    return f", x={s + 1}" if net.spec.samples > 1 else ""


def _cost_gradient(net: Network, d: Direct) -> Iterator[Instance]:
    for s in _samples(net):
        grad = backprop.grad_a_cost(net, s)
        for j in range(1, net.width(net.L) + 1):
            yield (f"j={j}{_sample_label(net, s)}", d.unit("a", s, net.L, j), grad[j - 1])


def _bp1(net: Network, d: Direct) -> Iterator[Instance]:
    form = backprop.bp1_jacobian if _softmax_output(net) else backprop.bp1_hadamard
    for s in _samples(net):
        for j in range(1, net.width(net.L) + 1):
            yield (f"j={j}{_sample_label(net, s)}", d.delta(s, net.L, j), form(net, s, j))


def _bp2(net: Network, d: Direct) -> Iterator[Instance]:
    for s in _samples(net):
        for l in range(2, net.L):
            for j in range(1, net.width(l) + 1):
                yield (f"l={l}, j={j}{_sample_label(net, s)}", d.delta(s, l, j),
                       backprop.bp2(net, d.delta, s, l, j))


def _bp3(net: Network, d: Direct) -> Iterator[Instance]:
    unit = BIASES[net.spec.bias].unit
    for l in range(2, net.L + 1):
        for j in range(1, net.width(l) + 1):
            theta = net.w[(l, j, 0)] if unit else net.b[(l, j)]
            rhs = backprop.bp4(net, d.delta, l, j, 0) if unit else backprop.bp3(net, d.delta, l, j)
            yield (f"l={l}, j={j}", d.parameter(theta), rhs)


def _bp4(net: Network, d: Direct) -> Iterator[Instance]:
    for (l, j, k), theta in net.w.items():
        if k:
            yield (f"l={l}, j={j}, k={k}", d.parameter(theta), backprop.bp4(net, d.delta, l, j, k))


def _shortcut(net: Network, d: Direct) -> Iterator[Instance]:
    for s in _samples(net):
        for j in range(1, net.width(net.L) + 1):
            a = net.units[s][(net.L, j)].a_atoms
            yield (f"j={j}{_sample_label(net, s)}", d.delta(s, net.L, j), a - net.y[s][j - 1])


def _softmax_output(net: Network) -> bool:
    return net.activation(net.L) == "softmax"


#: (output activation, cost) pairs for which δ^L = a^L − y, with the side condition it needs.
SHORTCUTS: dict[tuple[str, str], str | None] = {
    ("sigmoid", "cross_entropy"): None,
    ("softmax", "log_likelihood"): "sum_j y_j = 1",
    ("identity", "quadratic"): None,
}


def _shortcut_applies(net: Network) -> bool:
    key = (net.activation(net.L), net.spec.cost)
    return key in SHORTCUTS and (net.spec.cost != "quadratic" or net.spec.scale == se.Rational(1, 2))


def _shortcut_given(net: Network) -> tuple[dict, str] | None:
    if SHORTCUTS.get((net.activation(net.L), net.spec.cost)) is None:
        return None
    n = net.width(net.L)
    subs = {}
    for y in net.y:
        subs[y[-1]] = 1 - sum(y[:-1], se.Integer(0))
    return subs, f"Σ_j y_j = 1 (the targets are a probability vector; y_{n} = 1 - Σ_(j<{n}) y_j)"


EQUATIONS: list[Equation] = [
    Equation("grad_a C", "∂C/∂a^L_j = (∇_a C)_j by the cost's rule", _cost_gradient),
    Equation("BP1", "δ^L = ∇_a C ⊙ σ'(z^L)", _bp1, lambda net: not _softmax_output(net)),
    Equation("BP1 (Jacobian)", "δ^L = J_σ(z^L)^T ∇_a C", _bp1, _softmax_output),
    Equation("BP2", "δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ σ'(z^l)", _bp2, lambda net: net.L > 2),
    Equation("BP3", "∂C/∂b^l_j = δ^l_j", _bp3,
             lambda net: BIASES[net.spec.bias].sign == 1),
    Equation("BP3 (-b)", "∂C/∂b^l_j = -δ^l_j when z = Σ w a - b", _bp3,
             lambda net: BIASES[net.spec.bias].sign == -1),
    Equation("BP3 (bias unit)", "∂C/∂w^l_{j0} = δ^l_j (a_0 = 1)", _bp3,
             lambda net: BIASES[net.spec.bias].unit),
    Equation("BP4", "∂C/∂w^l_{jk} = a^{l-1}_k δ^l_j", _bp4),
    Equation("δ^L = a^L - y", "δ^L = a^L - y", _shortcut, _shortcut_applies, _shortcut_given),
]


def rule_verdicts(spec: NetworkSpec) -> list[EquationResult]:
    """Each concrete activation's derivative rule proved against sympy.diff of its closed form."""
    from symbp.prove import prove
    from symbp.rules import derivative_rule_sides

    results = []
    for name in dict.fromkeys(spec.activations):
        sides = derivative_rule_sides(name)
        if sides is None:
            continue
        start = time.perf_counter()
        verdict = prove(*sides)
        result = EquationResult(f"{name}' rule", ACTIVATIONS[name].derivative_text,
                                [("t", verdict)], note=ACTIVATIONS[name].note if name == "relu"
                                else "")
        result.seconds = time.perf_counter() - start
        results.append(result)
    return results


def prove_equations(spec: NetworkSpec, equations: list[Equation] | None = None,
                    net: Network | None = None) -> EquationResults:
    """Prove every instance of every applicable equation on the network of `spec`."""
    begin = time.perf_counter()
    net = net or build_network(spec)
    direct = Direct(net)
    ctx = context(net)
    results = rule_verdicts(spec) if equations is None else []
    for eq in equations or EQUATIONS:
        if not eq.applies(net):
            continue
        start = time.perf_counter()
        given = eq.given(net)
        result = EquationResult(eq.name, eq.statement, note=_note(net, eq),
                                condition=given[1] if given else None)
        for label, lhs, rhs in eq.instances(net, direct):
            if given:
                lhs, rhs = lhs.subs(given[0]), rhs.subs(given[0])
            result.verdicts.append((label, prove_atoms(lhs, rhs, ctx,
                                                       condition=result.condition)))
        result.seconds = time.perf_counter() - start
        results.append(result)
    return EquationResults(results, spec, time.perf_counter() - begin)


def _note(net: Network, eq: Equation) -> str:
    notes = {ACTIVATIONS[a].note for a in set(net.spec.activations) if a == "relu"}
    return "; ".join(sorted(notes))
