"""Generic proofs as data: a claim, the steps that rewrite its sides, and the verdict.

A `GenericClaim` says what is claimed (left and right side over free unit indices with symbolic
ranges) and how to take the left side apart (its plan: definitions to unfold, the chain rule the
layer-local lemma licenses, then every derivative rule of `LOCAL` until no ∂ is left, then the
canonical form). Each rewrite is one `Step`, naming its rule. The claim is proved for every size
when both sides reach the same canonical form (or differ only by a scalar identity in one output
unit that symbp's scalar prover proves).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Callable

import sympy as sp

from symbp.generic.expr import (ZERO, A, Y, add, indices, text, Add, Atom, Canonical, D, Expr,
                                Mul, NotPolynomial, Pow, Range, Scalar, Sum, from_canonical, mul,
                                normalize, rename, tidy, times)
from symbp.generic.rules import LOCAL, RULES, GenericNetwork

PROVED, REFUTED, UNDECIDED = "proved", "refuted", "undecided"
ALL_SIZES, NETWORK = "all-sizes", "network"
#: Rewrites one local phase may make before it is called stuck (a safeguard, never reached).
MAX_STEPS = 200

Phase = tuple[str, ...]   # ("unfold", rule) | ("apply", rule) | ("local",) | ("canonical",)


@dataclass(frozen=True)
class Step:
    """One checked equality: `before` = `after` by `rule`, on the left or right side."""

    side: str
    before: Expr
    after: Expr
    rule: str


@dataclass(frozen=True)
class GenericClaim:
    """An equation over free unit indices whose ranges are symbolic widths."""

    name: str
    statement: str
    lhs: Expr
    rhs: Expr
    ranges: dict[str, Range]
    layers: tuple[str, int, int]        # the layer symbol and its range lo..L+hi (for instances)
    plan: tuple[Phase, ...]
    rhs_plan: tuple[Phase, ...] = (("canonical",),)
    hidden: frozenset = frozenset()
    where: str = ""                     # e.g. "2 ≤ l < L"
    swaps: tuple[tuple[str, str], ...] = ()   # free indices a diagnosis may read exchanged
    note: str = ""


@dataclass
class GenericVerdict:
    """The verdict on one claim: proved for every size, or refuted/undecided (with evidence)."""

    name: str
    statement: str
    status: str
    scope: str
    steps: list[Step] = field(default_factory=list)
    where: str = ""
    diagnosis: str | None = None
    reason: str | None = None
    network: list[int] | None = None     # the concrete network of a refutation
    instance: str | None = None
    concrete: object = None              # symbp.prove.Verdict of the concrete attempt
    seconds: float = 0.0
    note: str = ""

    @property
    def proved(self) -> bool:
        return self.status == PROVED


# -- rewriting ----------------------------------------------------------------------------------
def rewrite(e: Expr, action, net: GenericNetwork) -> tuple[Expr, bool]:
    """Apply `action` at every outermost node where it applies."""
    found = action(e, net)
    if found is not None:
        return found, True
    if isinstance(e, Add):
        parts = [rewrite(t, action, net) for t in e.terms]
        return (add(*[p for p, _ in parts]), True) if any(c for _, c in parts) else (e, False)
    if isinstance(e, Mul):
        parts = [rewrite(t, action, net) for t in e.factors]
        return (mul(*[p for p, _ in parts]), True) if any(c for _, c in parts) else (e, False)
    if isinstance(e, Pow):
        base, changed = rewrite(e.base, action, net)
        return (Pow(base, e.exp), True) if changed else (e, False)
    if isinstance(e, Sum):
        body, changed = rewrite(e.body, action, net)
        if not changed:
            return e, False
        return (ZERO if body == ZERO else Sum(e.index, e.layer, body, e.lower)), True
    return e, False


def _canonical_steps(e: Expr, side: str, ranges: dict[str, Range]) -> list[Step]:
    steps = []
    expanded = from_canonical(normalize(e, ranges, sum_out=False), ranges)
    if expanded != e:
        steps.append(Step(side, e, expanded, "expand"))
        e = expanded
    summed = from_canonical(normalize(e, ranges), ranges)
    if summed != e:
        steps.append(Step(side, e, summed, "Kronecker summation"))
    return steps


def derive(e: Expr, plan: tuple[Phase, ...], net: GenericNetwork, ranges: dict[str, Range],
           side: str = "left") -> tuple[list[Step], Expr]:
    """Run a plan on an expression: the steps, and the expression it ends with.

    Steps are recorded with machine-made bound names read as letters (`tidy`); the work goes
    on with the fresh names, which can never capture one another."""
    names: dict[str, str] = {}
    record: list[Step] = []
    steps = _Recorder(record, names)
    for phase in plan:
        if phase[0] in ("unfold", "apply"):
            rule = RULES[phase[1]]
            action = rule.unfold if phase[0] == "unfold" else rule.apply
            new, changed = rewrite(e, action, net)
            if changed:
                steps.append(Step(side, e, new, rule.name))
                e = new
        elif phase[0] == "local":
            for _ in range(MAX_STEPS):
                for name in LOCAL:
                    new, changed = rewrite(e, RULES[name].apply, net)
                    if changed:
                        steps.append(Step(side, e, new, name))
                        e = new
                        break
                else:
                    break
        elif phase[0] == "canonical":
            more = _canonical_steps(e, side, ranges)
            steps += more
            e = more[-1].after if more else e
    return record, e


class _Recorder:
    """A list of steps that stores each with readable bound names."""

    def __init__(self, out: list[Step], names: dict[str, str]) -> None:
        self.out, self.names = out, names

    def append(self, step: Step) -> None:
        self.out.append(Step(step.side, tidy(step.before, self.names),
                             tidy(step.after, self.names), step.rule))

    def __iadd__(self, more: list[Step]) -> "_Recorder":
        for step in more:
            self.append(step)
        return self


def has_derivative(e: Expr) -> bool:
    from symbp.generic.expr import walk
    return any(isinstance(n, D) for n in walk(e))


# -- the verdict --------------------------------------------------------------------------------
def prove_claim(claim: GenericClaim, net: GenericNetwork,
                show: Callable[[Expr], str] = text) -> GenericVerdict:
    """Prove a claim for every size, or say why not (the caller may then try concrete sizes);
    `show` writes the diagnosis's expressions (a derivation file's own notation)."""
    start = time.perf_counter()
    symbol, _, hi = claim.layers
    if any(layer[0] != symbol or hi + layer[1] > -1 for layer in claim.hidden):
        raise ValueError(f"{claim.name}: a layer assumed hidden must lie below L in the claim's "
                         f"range")
    net = replace(net, hidden=claim.hidden)
    verdict = GenericVerdict(claim.name, claim.statement, UNDECIDED, ALL_SIZES, where=claim.where,
                             note=claim.note)
    try:
        left_steps, left = derive(claim.lhs, claim.plan, net, claim.ranges, "left")
        right_steps, right = derive(claim.rhs, claim.rhs_plan, net, claim.ranges, "right")
        verdict.steps = left_steps + right_steps
        if has_derivative(left) or has_derivative(right):
            verdict.reason = "a partial derivative is left that no rule of the table rewrites"
        else:
            lc, rc = normalize(left, claim.ranges), normalize(right, claim.ranges)
            if lc == rc:
                verdict.status = PROVED
            else:
                scalar = _scalar_identity(lc, rc)
                if scalar is not None:
                    verdict.steps.append(Step("both", left, right, "scalar identity"))
                    verdict.status = PROVED
                    verdict.note = "; ".join(filter(None, [verdict.note,
                                                           f"the scalar identity: {scalar}"]))
                else:
                    verdict.reason = "the canonical forms of the two sides differ"
                    found = [d for d in (diagnose(claim, lc, rc, show),
                                         *range_mismatches(claim.rhs, claim.ranges, show))
                             if d]
                    verdict.diagnosis = "; ".join(found) or None
    except NotPolynomial as err:
        verdict.reason = str(err)
    except (TypeError, KeyError) as err:     # a node no rule or canonical form knows: no verdict
        verdict.reason = f"the generic prover cannot read this claim ({err})"
    verdict.seconds = time.perf_counter() - start
    return verdict




def _polynomial_part(c: Canonical) -> tuple[list, sp.Expr] | None:
    """A canonical form read as (the common non-scalar factors, a SymPy expression in A, Y)."""
    from symbp.generic.expr import A, Y
    pieces = []
    for (bound, factors), coeff in c.items():
        if bound:
            return None
        others, scalar = [], sp.Rational(coeff.numerator, coeff.denominator)
        for f, p in factors:
            if isinstance(f, Scalar):
                scalar *= f.form ** p
            elif isinstance(f, Atom) and f.kind in ("a", "y") and f.layer in (None, ("L", 0)) \
                    and len(f.idx) == 1:
                scalar *= (A if f.kind == "a" else Y) ** p
            else:
                others.append((f, p))
        pieces.append((tuple(others), scalar))
    if len({o for o, _ in pieces}) != 1:
        return None
    return list(pieces[0][0]), sum((s for _, s in pieces), sp.Integer(0))


def _scalar_identity(lc: Canonical, rc: Canonical) -> str | None:
    """Both sides the same factors times functions of one output unit's (a_j, y_j) that symbp's
    scalar prover proves equal: the proof's last step."""
    from symbp.prove import prove
    left, right = _polynomial_part(lc), _polynomial_part(rc)
    if left is None or right is None or left[0] != right[0]:
        return None
    if not _one_unit(lc, rc):
        return None
    verdict = prove(left[1], right[1], timeout=5.0)
    readable = {A: sp.Symbol("a^L_j"), Y: sp.Symbol("y_j")}
    shown = [side.subs(readable) for side in (left[1], right[1])]
    return f"{shown[0]} = {shown[1]} ({verdict.method})" if verdict.proved else None


def _one_unit(*forms: Canonical) -> bool:
    idx = set()
    for c in forms:
        for (bound, factors), _ in c.items():
            for f, _ in factors:
                if isinstance(f, Scalar) or (isinstance(f, Atom) and f.kind in ("a", "y")):
                    idx.add(f.idx)
    return len(idx) <= 1


# -- diagnoses in the claim's own indices -------------------------------------------------------
def _scaled(c: Canonical, by: Fraction) -> Canonical:
    return {k: v * by for k, v in c.items()}


def _weights_transposed(e: Expr) -> Expr:
    if isinstance(e, Atom) and e.kind == "w":
        return Atom("w", e.layer, tuple(reversed(e.idx)))
    for cls, attr in ((Add, "terms"), (Mul, "factors")):
        if isinstance(e, cls):
            return cls(tuple(_weights_transposed(t) for t in getattr(e, attr)))
    if isinstance(e, Sum):
        return Sum(e.index, e.layer, _weights_transposed(e.body), e.lower)
    if isinstance(e, Pow):
        return Pow(_weights_transposed(e.base), e.exp)
    return e


def diagnose(claim: GenericClaim, lc: Canonical, rc: Canonical,
             show: Callable[[Expr], str] = text) -> str | None:
    """Why the derived left side and the claimed right side differ, in the claim's indices."""
    ranges = claim.ranges
    if lc and rc:
        key = next(iter(rc))
        if key in lc:
            ratio = lc[key] / rc[key]
            if ratio != 1 and _scaled(rc, ratio) == lc:
                return ("the sides differ in sign" if ratio == -1 else
                        f"the sides differ by a constant factor: left = {ratio} × right")
        for have, other, where in ((lc, rc, "missing on"), (rc, lc, "extra on")):
            for f, p in next(iter(have))[1]:
                if not indices(f) <= ranges.keys():
                    continue                  # a factor under a sum: not one missing factor
                factor = f if p == 1 else Pow(f, p)
                if times(other, factor, ranges) == have:
                    return f"a factor {show(factor)} is {where} the right"
    for i, j in claim.swaps:
        swapped = normalize(rename(claim.rhs, {i: j, j: i}), ranges)
        if swapped == lc:
            return f"the right side holds with {i} and {j} exchanged"
    try:
        transposed = normalize(_weights_transposed(claim.rhs), ranges)
    except NotPolynomial:
        return None
    if transposed == lc:
        return ("the right side holds with the two indices of each weight swapped "
                "(w_{jk} read as w_{kj}): a missing transpose")
    return None


#: For each indexed quantity, the layer (as an offset from its own) each index is a unit of.
INDEX_LAYERS = {"w": (0, -1), "b": (0,), "a": (0,), "z": (0,), "dsig": (0,), "delta": (0,),
                "E": (0,)}


def range_mismatches(e: Expr, ranges: dict[str, Range],
                     show: Callable[[Expr], str] = text) -> list[str]:
    """Indices used where another layer's units belong: a shape mismatch at most sizes."""
    from symbp.generic.expr import layer_text, shift, walk
    bound = {n.index: (n.layer, n.lower) for n in walk(e) if isinstance(n, Sum)}
    known = {**ranges, **bound}
    out = []
    for node in walk(e):
        if not isinstance(node, Atom) or node.kind not in INDEX_LAYERS or node.layer is None:
            continue
        for i, off in zip(node.idx, INDEX_LAYERS[node.kind]):
            if isinstance(i, str) and i in known:
                need, have = shift(node.layer, off), known[i][0]
                if need != have:
                    out.append(f"in {show(node)}, {i} ranges over the units of layer "
                               f"{layer_text(have)} but stands for a unit of layer "
                               f"{layer_text(need)}: the shapes fit only when "
                               f"n_{{{layer_text(have)}}} = n_{{{layer_text(need)}}}")
    return list(dict.fromkeys(out))


def step_dict(step: Step) -> dict:
    """A step as data: its side, its rule and both expressions in plain text."""
    from symbp.generic.expr import text
    return {"side": step.side, "rule": step.rule, "before": text(step.before),
            "after": text(step.after)}


def verdict_dict(v: GenericVerdict) -> dict:
    """The verdict as JSON-ready data: scope, steps, and the concrete evidence if any."""
    concrete = v.concrete
    return {"equation": v.name, "statement": v.statement, "where": v.where,
            "verdict": v.status, "scope": v.scope, "diagnosis": v.diagnosis,
            "reason": v.reason, "note": v.note, "network": v.network, "instance": v.instance,
            "counterexample": concrete.counterexample.to_dict()
            if concrete is not None and concrete.counterexample else None,
            "seconds": round(v.seconds, 6), "steps": [step_dict(s) for s in v.steps]}
