"""A derivation as data: displayed equalities, each with its reason and the verdict that checked it.

A `Step` says lhs = rhs for every value of its free indices (`over`); `verify` evaluates both
sides on the network for each value (`symbp.quantities.Meaning`) and proves them equal with
`prove_atoms`. Printers read `Step.verdict` and show an equality only when it is proved.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import sympy as sp

from symbp.network import NetworkSpec
from symbp.prove import PROVED, Verdict, prove_atoms
from symbp.quantities import Meaning

Index = tuple[sp.Symbol, int, int]     # a free index and its inclusive range


@dataclass(frozen=True)
class Reason:
    """Why a step holds: text with `{0}`, `{1}` ... standing for the quantities in `terms`."""

    text: str
    terms: tuple[sp.Expr, ...] = ()


@dataclass(frozen=True)
class Step:
    """lhs = rhs for every value of the indices in `over`, as checked by `verdict`."""

    lhs: sp.Expr
    rhs: sp.Expr
    reason: Reason
    verdict: Verdict
    over: tuple[Index, ...] = ()
    instances: int = 1
    failed_at: tuple[tuple[str, int], ...] = ()   # the index values of a failing instance
    name: str | None = None                       # the equation it arrives at, e.g. "BP4"

    @property
    def proved(self) -> bool:
        return self.verdict.status == PROVED


@dataclass
class Block:
    """One displayed derivation: a heading and its steps in order."""

    title: Reason
    steps: list[Step] = field(default_factory=list)


@dataclass
class Derivation:
    """Everything a document shows about one network: blocks of steps and the four equations."""

    spec: NetworkSpec
    parameters: list[sp.Expr]
    blocks: list[Block]
    equations: list = field(default_factory=list)   # theorems.EquationResult, all instances
    seconds: float = 0.0

    @property
    def steps(self) -> list[Step]:
        return [s for b in self.blocks for s in b.steps]

    @property
    def proved(self) -> bool:
        return all(s.proved for s in self.steps) and \
            all(e.status == PROVED for e in self.equations)


def instances(over: tuple[Index, ...]):
    """Every assignment of the free indices, as a substitution dict."""
    ranges = [range(lo, hi + 1) for _, lo, hi in over]
    for values in itertools.product(*ranges):
        yield {sym: sp.Integer(v) for (sym, _, _), v in zip(over, values)}


def concrete(expr: sp.Expr, values: dict) -> sp.Expr:
    """`expr` with its free indices given values (quantities re-evaluate, e.g. [i = j])."""
    return expr.xreplace(values) if values else expr


def verify(lhs: sp.Expr, rhs: sp.Expr, over: tuple[Index, ...], meaning: Meaning) \
        -> tuple[Verdict, int, tuple[tuple[str, int], ...]]:
    """Prove lhs = rhs at every index value: (first failing or last verdict, count, where)."""
    verdict, count = None, 0
    for values in instances(over):
        count += 1
        left, right = (meaning.value(concrete(side, values)) for side in (lhs, rhs))
        verdict = prove_atoms(left, right, meaning.ctx)
        if verdict.status != PROVED:
            return verdict, count, tuple((str(k), int(v)) for k, v in values.items())
    assert verdict is not None, "an index range is empty"
    return verdict, count, ()


def step(lhs: sp.Expr, rhs: sp.Expr, reason: Reason, meaning: Meaning,
         over: tuple[Index, ...] = (), name: str | None = None) -> Step:
    """A step, checked now: its verdict is the prover's, never assumed."""
    verdict, count, where = verify(lhs, rhs, over, meaning)
    return Step(lhs, rhs, reason, verdict, over, count, where, name)
