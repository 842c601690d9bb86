"""The instances pass: a claim's free indices by role, and every assignment of them that is in
range on one network (the contract's "a free index runs over the values that are in range in
every place it occurs"; `where` narrows further)."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Iterator

import sympy as sp

from symbp.errors import SymbpError
from symbp.derivation.evaluate import SAMPLE, Evaluator, OutOfRange
from symbp.notation import ast as A

ALIAS = "#x=printed"     # marks an instance whose unprinted example is its printed one

WHERE_RELATIONS = {
    r"\le": lambda a, b: a <= b, r"\leq": lambda a, b: a <= b, "<": lambda a, b: a < b,
    r"\lt": lambda a, b: a < b, r"\ge": lambda a, b: a >= b, r"\geq": lambda a, b: a >= b,
    ">": lambda a, b: a > b, r"\gt": lambda a, b: a > b, "=": lambda a, b: a == b,
    r"\ne": lambda a, b: a != b, r"\neq": lambda a, b: a != b,
}


@dataclass(frozen=True)
class Condition:
    """One comparison of `where`: `left rel right`, each an index-valued expression."""

    left: A.Expr
    rel: str
    right: A.Expr


@dataclass(frozen=True)
class CaseLayer:
    """A case's condition said in words, as a condition on the layer of the claim's left side."""

    rel: str
    text: str


#: One row per condition word of `symbp.notation.cases.CONDITION_WORDS` ("otherwise" is the
#: complement of the others).
CASE_LAYERS = {"output": CaseLayer("=", "the output layer L"),
               "hidden": CaseLayer("<", "a layer before the output layer L")}


def layer_condition(meaning: str, left: A.Expr | None) -> Condition:
    """`if output neuron`: the left side's layer is L; `if hidden`: it is before L. A left
    side that is a derivative (∂E/∂z_j) is on the layer of what it differentiates by."""
    if isinstance(left, A.Deriv):
        left = left.wrt
    layer = left.layer if isinstance(left, A.Ref) else None
    if layer is None:
        raise SymbpError("a case said in words (output, hidden) needs a left side on a "
                         "layer; write the condition as a comparison (l = L)", column=1)
    expr: A.Expr = A.Num(0, sp.Integer(layer.offset), str(layer.offset)) if layer.var is None \
        else A.Ref(0, layer.var, None, ())
    if layer.var is not None and layer.offset:
        expr = A.Add(0, (expr, A.Num(0, sp.Integer(layer.offset), str(layer.offset))))
    return Condition(expr, CASE_LAYERS[meaning].rel, A.Ref(0, "L", None, ()))


@dataclass(frozen=True)
class FreeIndices:
    """A claim's free letters: layer letters (explicit or hidden `layer(j)`), unit letters,
    and example letters (explicit, or the hidden `#x` of a claim about each example)."""

    layers: tuple[str, ...]
    units: tuple[str, ...]
    samples: tuple[str, ...] = ()


def conditions(chains: list[tuple[list[A.Expr], tuple[str, ...], list[int]]]) -> list[Condition]:
    """`where` chains (expressions, relations, positions) -> conditions; unknown relations refused."""
    out = []
    for exprs, rels, positions in chains:
        for i, rel in enumerate(rels):
            if rel not in WHERE_RELATIONS:
                raise SymbpError(f"`where` cannot use {rel!r}; use \\le, <, \\ge, >, =, \\ne",
                                 column=positions[i + 1] + 1)
            out.append(Condition(exprs[i], rel, exprs[i + 1]))
    return out


def free_indices(exprs: list[A.Expr], ev: Evaluator | None = None) -> FreeIndices:
    """Free layer, unit and example letters of a claim, in order of appearance."""
    layers: list[str] = []
    units: list[str] = []
    samples: list[str] = []
    per_example = ev.ctx.per_example if ev is not None else set()

    def visit(e: A.Expr, bound: frozenset) -> None:
        if isinstance(e, A.Sum):
            for part in (e.lo, e.hi):
                if part is not None:
                    visit(part, bound)
            inner = {e.var, f"layer({e.var})"}
            if ev is not None and ev.over_examples(e):
                inner.add(SAMPLE)
            visit(e.body, bound | inner)
            return
        batch_row = ev is not None and isinstance(e, A.Ref) and e.sample is not None and \
            e.name in ev.ctx.batched                   # z_2^{(i)}: row i of a batch matrix
        if isinstance(e, A.Ref) and (e.name in per_example or batch_row) and not (
                e.sample is None and e.name in ev.ctx.totals):
            letter = e.sample.var if e.sample is not None else SAMPLE
            if letter is not None and letter not in bound and letter not in samples:
                samples.append(letter)
        if isinstance(e, A.Ref):
            if e.layer is not None and e.layer.var not in (None, "L") and \
                    e.layer.var not in bound and e.layer.var not in layers:
                layers.append(e.layer.var)
            for idx in e.indices:
                if idx.var is None or idx.var in bound or idx.var == "L":   # s_L: a width
                    continue
                target = layers if (e.name == "n" and len(e.indices) == 1) else units
                if idx.var not in target:
                    target.append(idx.var)
        for child in A.children(e):
            visit(child, bound)

    for e in exprs:
        visit(e, frozenset())
    if SAMPLE in samples and len(samples) > 1:      # δ^{x,L} = ∇_a C_x: a is a^{x,L}
        samples.remove(SAMPLE)
    samples_ = tuple(samples)
    return FreeIndices(tuple(layers), tuple(u for u in units if u not in layers and
                                            u not in samples_), samples_)


def instances(ev: Evaluator, exprs: list[A.Expr], where: list[Condition]) -> Iterator[dict]:
    """Every assignment of the claim's free indices that is in range on `ev.net`."""
    free = free_indices(exprs, ev)
    given = [g for g in ev.ctx.given if g not in free.units and g not in free.layers]
    free = FreeIndices(free.layers, free.units + tuple(given), free.samples)
    mentioned = {r.name for cond in where for side in (cond.left, cond.right)
                 for r in A.walk(side) if isinstance(r, A.Ref) and not r.indices}
    unknown = mentioned - set(free.layers) - set(free.units) - {"L", "n"} - \
        set(ev.ctx.definitions)
    if unknown:
        raise SymbpError(f"`where` names {', '.join(sorted(unknown))}, which the claim does "
                         "not use as an index")
    net = ev.net
    if net is None and (free.layers or free.units):
        yield from _unit_by_unit(ev, exprs, free, where)
        return
    layer_range = range(net.first, net.L + 1) if net is not None else range(0)
    for layer_values in itertools.product(layer_range, repeat=len(free.layers)):
        env = dict(zip(free.layers, layer_values))
        ranges = []
        try:
            for u in free.units:
                where_used = exprs if u not in given else ev.ctx.given[u]
                widths = [w for e in where_used for w in ev.occurrence_widths(e, u, env)]
                if not widths and u in given and _only_free_families(ev, exprs + where_used, u):
                    ev.notes.add(f"{u} read as one given value: the definitions leave it free "
                                 "and it indexes only free quantities, alike at every value")
                    widths = [1]
                if not widths:
                    raise SymbpError(f"cannot infer the range of index {u}: it indexes no "
                                     "family whose range the definitions fix")
                ranges.append(range(1, min(widths) + 1))
        except OutOfRange:
            continue
        examples = [range(1, ev.examples + 1)] * len(free.samples)
        for unit_values in itertools.product(*ranges, *examples):
            full = {**env, **dict(zip(free.units + free.samples, unit_values))}
            if free.samples and SAMPLE not in full:   # what prints no example is the claim's
                full[SAMPLE] = full[free.samples[0]]
                full[ALIAS] = 1
            if all(_holds(ev, cond, full) for cond in where):
                yield full


def _only_free_families(ev: Evaluator, exprs: list[A.Expr], u: str) -> bool:
    """Whether every family `u` indexes is a free variable with no other index (`y_n` in
    `e = (x^L_1 - y_n)^2`): then each value of u gives a fresh free symbol, and one value
    stands for them all."""
    found = False
    for ref in (r for e in exprs for r in A.walk(e) if isinstance(r, A.Ref)):
        if any(i.var == u for i in ref.indices):
            if ref.name in ev.ctx.definitions or len(ref.indices) != 1 or ref.layer is not None:
                return False
            found = True
    return found


def _unit_by_unit(ev: Evaluator, exprs: list[A.Expr], free: FreeIndices,
                  where: list[Condition]) -> Iterator[dict]:
    """A file without `layers` (a network written unit by unit): a free unit letter runs over
    the units that the definitions and `values` give every family it indexes (M_1 and M_2
    defined: `M_n` for n = 1, 2)."""
    if free.layers:
        raise SymbpError(f"cannot infer the range of index {free.layers[0]}: the file has no "
                         "`layers`")
    ranges = []
    for u in free.units:
        known = _known_units(ev.ctx, exprs, u)
        if not known:
            raise SymbpError(f"cannot infer the range of index {u}: the file has no `layers`, "
                             "and no family it indexes is defined unit by unit")
        ranges.append(sorted(known))
    for values in itertools.product(*ranges):
        env = dict(zip(free.units, values))
        if all(_holds(ev, cond, env) for cond in where):
            yield env


def _known_units(ctx, exprs: list[A.Expr], u: str) -> set[int] | None:
    """The units at which every family indexed by `u` is given, where some are given only at
    concrete units; None when none is."""
    found: set[int] | None = None
    for ref in (r for e in exprs for r in A.walk(e) if isinstance(r, A.Ref)):
        for i, idx in enumerate(ref.indices):
            if idx.var != u:
                continue
            defs = [d for d in ctx.definitions.get(ref.name, []) if len(d.indices) > i]
            if any(d.indices[i].var is not None for d in defs):
                continue                        # a general definition: every unit
            units = {d.indices[i].offset - idx.offset for d in defs} | \
                {t[i] - idx.offset for t in ctx.value_units.get(ref.name, ()) if len(t) > i}
            if units:
                found = units if found is None else found & units
    return found


def _holds(ev: Evaluator, cond: Condition, env: dict) -> bool:
    try:
        return WHERE_RELATIONS[cond.rel](ev.integer(cond.left, env), ev.integer(cond.right, env))
    except OutOfRange:
        return False


def instance_text(env: dict, net, examples: int = 1) -> str:
    """`l = 2, j = 1, layers [2, 3, 2]`; a hidden layer reads `j on layer 2`; a file without
    layers names its batch size (`examples`) where it is more than one."""
    parts = []
    for k, v in env.items():
        if k == ALIAS or (k == SAMPLE and ALIAS in env):
            continue
        if k.startswith("layer(") and k.endswith(")"):
            parts.append(f"{k[6:-1]} on layer {v}")
        elif k == SAMPLE:
            parts.append(f"example {v}")
        else:
            parts.append(f"{k} = {v}")
    if net is not None:
        parts.append(f"layers {net}")
    elif examples > 1:
        parts.append(f"{examples} examples")
    return ", ".join(parts) if parts else "the only instance"
