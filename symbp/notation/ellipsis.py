"""A sum printed by its terms, `w_1 x_1 + w_2 x_2 + \\cdots + w_n x_n`: the terms before the
ellipsis are the last one at consecutive values of one of its index letters, so the run is the
sum `\\sum_{q=1}^{n} w_q x_q` (in a letter the terms do not use), which symbp reads as any sum."""
from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from symbp.notation import ast as A

_FRESH = "qrstuvpgh"


@dataclass(frozen=True)
class Run:
    """How many terms before the ellipsis the sum took, and the sum itself."""

    taken: int
    total: A.Sum


def term_run(before: list[A.Expr], last: A.Expr, pos: int) -> Run | None:
    """The sum that the terms `before` an ellipsis and the term `last` after it print, taking
    as many of the final terms of `before` as follow the pattern (at least one); None if no
    index letter of `last` makes them a run of consecutive values."""
    taken = {name for e in [*before, last] for name in _names(e)}
    fresh = next((c for c in _FRESH if c not in taken), None)
    if fresh is None:
        return None
    best: Run | None = None
    samples = {r.sample.var for r in A.walk(last) if isinstance(r, A.Ref) and
               r.sample is not None and r.sample.var is not None}
    for var in sorted(set(_letters(last)) | samples):
        pattern = _unit_of(last, var) if var in samples else last   # w_n with n an example's
        run = _run_in(var, before, pattern)
        if run is None:
            continue
        count, lo = run
        body = _with_index(pattern, var, None, fresh)
        total = A.Sum(pos, fresh, A.Num(pos, sp.Integer(lo), str(lo)), A.Ref(pos, var, None, ()),
                      None, body)
        if best is None or count > best.taken:
            best = Run(count, total)
    return best


def _run_in(var: str, before: list[A.Expr], last: A.Expr) -> tuple[int, int] | None:
    """(how many final terms of `before` are `last` at var = lo, lo+1, …, lo) or None."""
    count, start = 0, None
    for term in reversed(before):
        found = _value_of(var, term, last)
        if found is None or (start is not None and found != start - 1):
            break
        start, count = found, count + 1
    if start is None or start < 0:
        return None
    return count, start


def _value_of(var: str, term: A.Expr, last: A.Expr) -> int | None:
    """The integer c with `last` at var = c equal to `term`, trying the values the term's own
    absolute indices print."""
    for c in sorted({i.offset for i in _indices(term) if i.var is None}):
        for value in (c, c - 1, c + 1):
            if A.shape_key(_with_index(last, var, value, None)) == A.shape_key(term):
                return value
    return None


def _with_index(expr, var: str, value: int | None, fresh: str | None):
    """`expr` with the index letter var set to `value` (absolute) or renamed to `fresh`."""
    def rule(node):
        if isinstance(node, A.Index) and node.var == var:
            return A.Index(None, node.offset + value, node.role) if value is not None else \
                A.Index(fresh, node.offset, node.role)
        if isinstance(node, A.Sum) and node.var == var:
            return node
        return None
    return A.mapped(expr, rule)


def _indices(expr: A.Expr):
    for node in A.walk(expr):
        if isinstance(node, A.Ref):
            yield from node.indices
            if node.sample is not None:
                yield node.sample


def _names(expr: A.Expr) -> set[str]:
    """Every index letter and family name in `expr`."""
    return {i.var for i in _indices(expr) if i.var is not None} | \
        {n.name for n in A.walk(expr) if isinstance(n, A.Ref)}


def _letters(expr: A.Expr) -> list[str]:
    """The unit index letters of `expr` (the ones a run can count along)."""
    return [i.var for i in _indices(expr) if i.var is not None and i.role is A.Role.UNIT
            and not i.hidden]


def _unit_of(expr, var: str):
    """`expr` with the example letter `var` read as a unit index instead (`w_n` where the
    earlier terms print `w_1`, `w_2`: n counts their units, not examples)."""
    def rule(node):
        if isinstance(node, A.Ref) and node.sample is not None and node.sample.var == var:
            return replace(node, indices=node.indices + (A.Index(var, node.sample.offset),),
                           sample=None)
        return None
    return A.mapped(expr, rule)


def over_examples(total: A.Sum) -> A.Sum | None:
    """The run `x_1 dz_1 + \\ldots + x_m dz_m` up to the number of examples, read over the
    examples: each name the run's letter subscripts alone is that example's (`dz_q` is dz of
    example q); None where some name carries the letter beside another index."""
    uses = [r for r in A.walk(total.body) if isinstance(r, A.Ref) and
            any(i.var == total.var for i in r.indices)]
    if not uses or any(len(r.indices) != 1 or r.sample is not None for r in uses):
        return None
    return replace(total, body=_as_sample(total.body, total.var))


def _as_sample(expr, var: str):
    """`expr` with each name that `var` alone subscripts read as that example's."""
    def rule(node):
        if isinstance(node, A.Ref) and len(node.indices) == 1 and node.indices[0].var == var:
            return replace(node, indices=(), sample=A.Index(var, 0, A.Role.SAMPLE))
        return None
    return A.mapped(expr, rule)
