"""The compare pass: the two sides of each link of a claim, on one instance, become a verdict —
proved or refuted symbolically (`symbp.prove`), or compared as numbers at the file's `values`
within the printed precision or the claim's `tolerance`."""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, replace

import symengine as se
import sympy as sp

from symbp.errors import SymbpError
from symbp.derivation import values as V
from symbp.derivation.evaluate import SAMPLE, Evaluator, OutOfRange, key_text
from symbp.derivation.model import Context
from symbp.engine import to_sympy
from symbp.notation import ast as A
from symbp.notation.limits import LIMITS
from symbp.prove import identical, prove


@dataclass(frozen=True)
class Evidence:
    """Why a claim instance is not proved: where, the counterexample, a diagnosis, a reason."""

    instance: str | None = None
    link: str | None = None
    counterexample: dict | None = None
    counterexample_text: str | None = None
    diagnosis: str | None = None
    reason: str | None = None
    relation: A.Relation | None = None   # the link that fails (or is undecided)


@dataclass(frozen=True)
class Outcome:
    """A refuted ("fails") or undecided instance, with its evidence."""

    status: str
    evidence: Evidence


@dataclass(frozen=True)
class Tolerance:
    """How numeric sides are compared: `abs` (|a - b| <= value) or `rel` (relative)."""

    kind: str
    value: sp.Rational

    @staticmethod
    def parse(text: str) -> "Tolerance":
        """`"1e-12"` (absolute) or `"rel 1e-12"` (relative); a SymbpError otherwise."""
        words = text.split()
        kind = "abs"
        if len(words) == 2 and words[0] in ("abs", "rel"):
            kind, words = words[0], words[1:]
        try:
            value = sp.Rational(words[0]) if len(words) == 1 else None
        except (TypeError, ValueError, SyntaxError):
            value = None
        if value is None or not value.is_finite or value < 0:
            raise SymbpError(f"`tolerance` {text!r} is not a number such as \"1e-12\" or "
                             "\"rel 1e-12\"")
        return Tolerance(kind, value)


def check_instance(ev: Evaluator, chains: list[list[A.Relation]], env: dict,
                   tolerance: Tolerance | None) -> Outcome | None | str:
    """None when the instance holds, "skip" when it is out of range, else an Outcome."""
    try:
        cache: dict[int, object] = {}
        pending = []
        for links in chains:
            for n, link in enumerate(links):
                sides = []
                for expr in (link.left, link.right):
                    if id(expr) not in cache:
                        cache[id(expr)] = ev.ev(expr, env, {})
                    sides.append(cache[id(expr)])
                pending.append((link, n, len(links), sides))
    except OutOfRange:
        return "skip"
    except V.ShapeMismatch as exc:
        return Outcome("fails", Evidence(diagnosis=f"shape mismatch: {exc}"))
    undecided = None
    for link, n, total, (left, right) in pending:
        label = f"link {n + 1} of {total}" if total > 1 else None
        outcome = compare(link, left, right, ev, tolerance)
        if outcome is None:
            continue
        outcome = replace(outcome, evidence=replace(outcome.evidence, link=label,
                                                    relation=link))
        if outcome.status == "fails":
            diagnosis = _batch_reading(ev, link, left, right, env) or \
                outcome.evidence.diagnosis or _swap_reading(ev, link, left, env)
            return replace(outcome, evidence=replace(outcome.evidence, diagnosis=diagnosis))
        undecided = undecided or outcome
    return undecided


def compare(link: A.Relation, left, right, ev: Evaluator,
            tolerance: Tolerance | None) -> Outcome | None:
    """One link on one instance: None when it holds."""
    try:
        pairs = list(_pairs(left, right))
    except V.ShapeMismatch as exc:
        return Outcome("fails", Evidence(diagnosis=f"shape mismatch: {exc}"))
    numeric = numeric_tolerance(link, ev.ctx, tolerance)
    undecided = None
    for entry, l, r in pairs:
        if numeric is not None:
            outcome = _numeric(l, r, numeric, ev, link)
        else:
            outcome = _symbolic(l, r, lambda: _names(ev), ev.steps)
        if outcome is None:
            continue
        if entry:
            e = outcome.evidence
            outcome = replace(outcome, evidence=replace(
                e, diagnosis=f"{entry}: {e.diagnosis}" if e.diagnosis else None,
                counterexample_text=f"{entry}: {e.counterexample_text}"
                if outcome.status == "fails" else e.counterexample_text))
        if outcome.status == "fails":
            return outcome
        undecided = undecided or outcome
    return undecided


def _swap_reading(ev: Evaluator, link: A.Relation, left, env: dict) -> str | None:
    """A diagnosis for an index-order slip: the right side, read with two free indices
    exchanged, equals the left side at this instance."""
    for a, b in itertools.combinations(env, 2):
        if env[a] == env[b] or a.startswith(("layer(", "#")) or b.startswith(("layer(", "#")):
            continue
        swapped = {**env, a: env[b], b: env[a]}
        try:
            right = ev.ev(link.right, swapped, {})
        except (OutOfRange, V.ShapeMismatch, SymbpError):
            continue
        if isinstance(left, V.Mat) or isinstance(right, V.Mat):
            continue
        if identical(left, right, timeout=LIMITS["prove_seconds"]):
            return (f"the right side holds with {a} and {b} exchanged: an index-order slip "
                    f"(a transpose, or {a} written for {b})")
    return None


def _batch_reading(ev: Evaluator, link: A.Relation, left, right, env: dict) -> str | None:
    """A diagnosis for a batch slip: one side, taken for one example, equals the other once
    summed, or averaged, over the examples of the batch (a missing Σ_x or 1/m), or the sides
    differ by the batch size alone."""
    n = ev.examples
    if n < 2:
        return None
    letters = [k for k in env if k == SAMPLE or (k in ev.ctx.sample_letters and SAMPLE in env
                                                   and env[k] == env[SAMPLE])]
    for printed, other, node in ((left, right, link.left), (right, left, link.right)):
        if letters:
            try:
                total = None
                for e in range(1, n + 1):
                    term = ev.ev(node, {**env, **dict.fromkeys(letters, e)}, {})
                    total = term if total is None else V.add(total, term)
            except (OutOfRange, V.ShapeMismatch, SymbpError):
                continue
            if _same(total, other):
                return "one example's term where the batch's sum is meant: the sum over the " \
                       "examples (Σ_x) is missing"
            if _same(V.product(se.Rational(1, n), total), other):
                return "one example's term where the batch's mean is meant: the mean over " \
                       "the examples (1/m Σ_x) is missing"
        formula = not isinstance(node, (A.Ref, A.Deriv))       # not the ∂J/∂W it is said to be
        sums = any(isinstance(e, A.Sum) and ev.over_examples(e) or
                   formula and isinstance(e, A.Ref) and e.name in ev.ctx.batched
                   for e in A.walk(node))
        if sums and _same(printed, V.product(se.Integer(n), other)):
            return f"a factor 1/m is missing (the side is m = {n} times too large, m the " \
                   "number of examples in the batch)"
        if sums and _same(V.product(se.Integer(n), printed), other):
            return f"a factor 1/m too many (the side is m = {n} times too small, m the " \
                   "number of examples in the batch)"
    return None


def _same(a, b) -> bool:
    try:
        return all(identical(l, r, timeout=LIMITS["prove_seconds"]) for _, l, r in _pairs(a, b))
    except V.ShapeMismatch:
        return False


def _pairs(left, right):
    left, right = V.as_scalar(left), V.as_scalar(right)     # a vector of 1 is its entry
    if isinstance(left, V.Mat) != isinstance(right, V.Mat) or (
            isinstance(left, V.Mat) and left.shape != right.shape):
        raise V.ShapeMismatch(f"the left side is {V.shape_text(left)}, the right side is "
                              f"{V.shape_text(right)}")
    if isinstance(left, V.Mat):
        rows, cols = left.shape
        for r in range(rows):
            for c in range(cols):
                where = f"entry {r + 1}" if cols == 1 else f"entry ({r + 1}, {c + 1})"
                yield where, left.rows[r][c], right.rows[r][c]
    else:
        yield None, left, right


def _names(ev: Evaluator) -> dict:
    """Every defined quantity computed so far, by the name the author gave it (z^{2}_{1})."""
    names = {}
    for (key, ov), value in list(ev.cache.items()):
        if not ov and isinstance(value, se.Basic) and value.free_symbols \
                and not isinstance(value, se.Symbol):
            names.setdefault(value, key_text(key))
    return names


def _steps(known, *values) -> list[se.Symbol]:
    """The ReLU steps H(u) (the evaluator's `known` atoms) in the values, in a fixed order."""
    found = set()
    for v in values:
        found |= set(getattr(v, "free_symbols", ())) & set(known)
    return sorted(found, key=str)


def _by_sign(l, r, steps: list, known: dict) -> Outcome | None:
    """ReLU away from its kinks: the claim for every sign pattern of the steps' arguments
    (each step 0 or 1). None when every pattern is proved; the first refuted pattern else.
    (`_symbolic` has already tried the identity with each step a free symbol.)"""
    if len(steps) > 6:
        return _sampled_signs(l, r, steps, known) or Outcome("undecided", Evidence(
            reason=f"{len(steps)} ReLU steps: too many sign patterns to try, and no "
                   "counterexample at 24 random points"))
    for pattern in itertools.product((0, 1), repeat=len(steps)):
        subs = dict(zip(steps, map(se.Integer, pattern)))
        verdict = prove(l.subs(subs), r.subs(subs),
                        timeout=LIMITS["prove_seconds"])
        if verdict.status == "proved":
            continue
        signs = ", ".join(f"{str(s)[2:-1]} {'> 0' if v else '< 0'}" for s, v in zip(steps, pattern))
        cex = verdict.counterexample
        return Outcome("fails" if verdict.status == "refuted" else "undecided", Evidence(
            counterexample=cex.to_dict() if cex else None,
            counterexample_text=(f"where {signs}: {cex}" if cex else None),
            diagnosis=verdict.diagnosis, reason=verdict.reason))
    return None


def _sampled_signs(l, r, steps: list, known: dict) -> Outcome | None:
    """A counterexample at a random rational point, each step H(u) set by the sign of its u
    there (a realisable sign pattern), the sides compared to 30 digits; else None."""
    rng = random.Random(0)
    diff, args = to_sympy(l - r), [to_sympy(known[s]) for s in steps]
    marks = [to_sympy(s) for s in steps]
    names = sorted((diff.free_symbols | {x for a in args for x in a.free_symbols}) - set(marks),
                   key=str)
    for _ in range(24):
        point = {x: sp.Rational(rng.randint(-9, 9), rng.randint(1, 5)) for x in names}
        signs = [sp.N(a.xreplace(point), 30) for a in args]
        if any(v == 0 or not v.is_real for v in signs):
            continue                                   # on a kink: H(0) has no value
        pattern = {m: sp.Integer(1 if v > 0 else 0) for m, v in zip(marks, signs)}
        gap = sp.N(diff.xreplace(point).xreplace(pattern), 30)
        if gap.is_number and abs(gap) > 1e-20:
            shown = ", ".join(f"{x} = {point[x]}" for x in names)
            return Outcome("fails", Evidence(counterexample_text=(
                f"at {shown}, each ReLU step set by the sign of its argument there: the sides "
                f"differ by {sp.N(gap, 12)}")))
    return None


def _symbolic(l, r, names=dict, known=()) -> Outcome | None:
    if identical(l, r, timeout=LIMITS["prove_seconds"]):
        return None
    steps = _steps(known, l, r)
    if steps:
        return _by_sign(l, r, steps, dict(known))
    # once more with the author's names for defined quantities, so the evidence reads σ(z^{2}_{1})
    verdict = prove(l, r, timeout=LIMITS["prove_seconds"], names=names())
    if verdict.status == "proved":
        return None
    diagnosis = verdict.diagnosis
    if diagnosis is None and verdict.status == "refuted":
        diagnosis = _zero_side(l, r)
    cex = verdict.counterexample
    evidence = Evidence(counterexample=cex.to_dict() if cex else None,
                        counterexample_text=str(cex) if cex else None,
                        diagnosis=diagnosis, reason=verdict.reason)
    return Outcome("fails" if verdict.status == "refuted" else "undecided", evidence)


def _zero_side(l, r) -> str | None:
    """A diagnosis the prover leaves to us: one side is identically zero."""
    for side, value in (("left", l), ("right", r)):
        if se.expand(value) == 0:
            return (f"the {side} side is identically 0 (nothing it differentiates depends on "
                    "the variable)")
    return None


# -- numbers --------------------------------------------------------------------------------------
def _literal(expr: A.Expr) -> A.Num | None:
    if isinstance(expr, A.Neg):
        return _literal(expr.arg)
    return expr if isinstance(expr, A.Num) else None


def exact_decimal(n: A.Num, ctx: Context) -> bool:
    """`-1.0 / den^2` in a file without `values`: code's way to write the integer, read as
    that number in a symbolic claim rather than as a worked example's rounded digit."""
    return not ctx.values and n.value.is_integer


def _closed(expr: A.Expr) -> bool:
    """A side that is a number written as a formula (`\\frac{1}{1+e^0}`): no quantity in it,
    so in a file with `values` the link is the worked example's arithmetic."""
    return _literal(expr) is None and not any(
        isinstance(n, (A.Ref, A.Deriv, A.Sum)) for n in A.walk(expr))


def numeric_tolerance(link: A.Relation, ctx: Context,
                      tolerance: Tolerance | None) -> Tolerance | None:
    """The tolerance when the link is numeric: a decimal literal, `\\approx`, or (in a file
    with `values`) a side that is a number or a formula of numbers; None for a symbolic link."""
    decimals = [n for side in (link.left, link.right) for n in A.walk(side)
                if isinstance(n, A.Num) and n.decimal and not exact_decimal(n, ctx)]
    literals = [n for n in (_literal(link.left), _literal(link.right)) if n is not None]
    closed = [side for side in (link.left, link.right) if _closed(side)]
    numeric = decimals or link.rel == "≈" or (ctx.values and (literals or closed))
    if not numeric:
        return None
    if tolerance is not None:
        return tolerance
    if literals:            # a side printed as a number: its own last digit (0.1 × 0.04969
        places = min(_places(n) for n in literals)              # = 0.005 is rounded to 0.005)
        return Tolerance("abs", sp.Rational(1, 2) / 10 ** places)
    if closed and not decimals:     # \frac{1}{1+e^0}: a number printed exactly, compared so
        return Tolerance("abs", sp.Rational(1, 10 ** 25))
    if not decimals:
        return Tolerance("abs", sp.Rational(1, 2))
    places = max(_places(n) for n in decimals)
    return Tolerance("abs", sp.Rational(1, 2) / 10 ** places)


def _places(n: A.Num) -> int:
    return len(n.text.split(".")[1]) if "." in n.text else 0


def _numeric(l, r, tolerance: Tolerance, ev: Evaluator, link: A.Relation) -> Outcome | None:
    subs = dict(ev.ctx.values)
    for symbol, arg in ev.steps.items():          # ReLU's steps at the printed values
        at = sp.N(to_sympy(arg).xreplace(ev.ctx.values), 30)
        if at.free_symbols:
            continue
        if at == 0:
            raise SymbpError("ReLU at its kink (argument 0) has no derivative",
                             column=link.pos + 1)
        subs[to_sympy(symbol)] = sp.Integer(1 if at > 0 else 0)
    try:
        lv, rv = (to_sympy(x).xreplace(subs) for x in (l, r))
    except (ValueError, TypeError):
        raise SymbpError("a numeric claim needs every quantity to have a number: this side "
                         "holds a derivative of a generic function; define the function or "
                         "give `values`", column=link.pos + 1) from None
    for side in (lv, rv):
        if side.free_symbols:
            missing = ", ".join(sorted(str(s) for s in side.free_symbols))
            raise SymbpError(f"no number in `values` for {missing}", column=link.pos + 1)
        if side.atoms(sp.Function) - side.atoms(sp.exp, sp.log, sp.tanh):
            raise SymbpError("a generic function has no numeric value; define it, e.g. "
                             "\\sigma(t) = \\frac{1}{1 + e^{-t}}", column=link.pos + 1)
    a, b = sp.N(lv, 30), sp.N(rv, 30)
    bound = tolerance.value if tolerance.kind == "abs" else tolerance.value * max(abs(a), abs(b))
    if abs(a - b) <= bound:
        return None
    return Outcome("fails", Evidence(
        diagnosis=f"the sides differ by {sp.N(a - b, 6)} (tolerance {sp.N(bound, 3)})",
        counterexample={"lhs": str(sp.N(a, 15)), "rhs": str(sp.N(b, 15))},
        counterexample_text=f"with `values`: left = {sp.N(a, 15)}, right = {sp.N(b, 15)}"))
