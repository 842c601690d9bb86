"""Checking a derivation file: one `ClaimResult` per claim (holds / fails / undecided / error).

Pure: the caller passes the file's text and the name to report it under. Claims are independent:
an error or a time-out in one does not stop the others. Each claim is instantiated on every
network in `layers`, for every value of its free indices, and each instance is handed to
`symbp.prove.prove`; the first refuted instance is reported with its counterexample.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import sympy as sp

from symbp.derivation import values as V
from symbp.derivation.build import ParsedClaim, Prepared, check_known_names, context_for, prepare
from symbp.derivation.evaluate import Evaluator, Net, OutOfRange, key_text
from symbp.derivation.read import read_text
from symbp.deadline import time_limit
from symbp.engine import to_sympy
from symbp.errors import LimitError, SymbpError
from symbp.notation import ast as A
from symbp.notation.limits import LIMITS
from symbp.notation.resolve import Resolver
from symbp.prove import prove

WHERE_RELATIONS = {
    r"\le": lambda a, b: a <= b, r"\leq": lambda a, b: a <= b, "<": lambda a, b: a < b,
    r"\lt": lambda a, b: a < b, r"\ge": lambda a, b: a >= b, r"\geq": lambda a, b: a >= b,
    ">": lambda a, b: a > b, r"\gt": lambda a, b: a > b, "=": lambda a, b: a == b,
    r"\ne": lambda a, b: a != b, r"\neq": lambda a, b: a != b,
}


@dataclass
class ClaimResult:
    """The verdict on one claim, with its evidence."""

    file: str
    name: str
    latex: str
    verdict: str
    expect: str | None = None
    note: str | None = None
    seconds: float = 0.0
    instances: int = 0
    instance: str | None = None          # the failing (or undecided) instance
    link: str | None = None              # which `A = B` of a chain
    counterexample: dict | None = None
    counterexample_text: str | None = None
    diagnosis: str | None = None
    reason: str | None = None
    error: str | None = None

    @property
    def as_expected(self) -> bool:
        return self.verdict == (self.expect or "holds")

    def to_dict(self) -> dict:
        return {"file": self.file, "name": self.name, "latex": self.latex,
                "verdict": self.verdict, "expect": self.expect,
                "as_expected": self.as_expected, "note": self.note,
                "seconds": round(self.seconds, 4), "instances": self.instances,
                "instance": self.instance, "link": self.link,
                "counterexample": self.counterexample,
                "counterexample_text": self.counterexample_text,
                "diagnosis": self.diagnosis, "reason": self.reason, "error": self.error}


class _Timeout(Exception):
    pass


# -- the public entry points ----------------------------------------------------------------------
def check_text(text: str, path: str, *, claim_seconds: float | None = None) -> list[ClaimResult]:
    """Check every claim of a derivation file given as text; never raises for bad input."""
    try:
        df = read_text(text, path)
        prep = prepare(df)
    except SymbpError as err:
        return [ClaimResult(path, "(file)", "", "error", error=str(_located(err, path)))]
    except RecursionError:
        return [ClaimResult(path, "(file)", "", "error",
                            error=f"{path}: the file is nested too deeply")]
    limit = LIMITS["claim_seconds"] if claim_seconds is None else claim_seconds
    return [check_claim(prep, pc, limit) for pc in prep.claims]


def _located(err: SymbpError, path: str, claim: str | None = None) -> SymbpError:
    """The error with file and claim filled in; a claim's error without a place in the
    formula points at its start (column 1): the claim as a whole."""
    column = err.column if err.column is not None or claim is None else 1
    return SymbpError(err.message, file=err.file or path, claim=err.claim or claim,
                      column=column, line=err.line)


def check_claim(prep: Prepared, pc: ParsedClaim, limit: float) -> ClaimResult:
    """The verdict on one claim; any problem becomes an `error` verdict, never an exception."""
    spec = pc.spec
    result = ClaimResult(prep.file.path, spec.label, spec.latex, "error", spec.expect, spec.note)
    start = time.perf_counter()
    try:
        if pc.error is not None:
            raise pc.error
        with time_limit(limit, _Timeout):
            _run(prep, pc, result)
    except _Timeout:
        result.verdict = "undecided"
        result.reason = f"time limit of {limit:g} s reached"
    except SymbpError as err:
        result.verdict = "error"
        result.error = str(_located(err, prep.file.path, spec.label))
    except RecursionError:
        result.verdict = "error"
        result.error = str(LimitError("formula nested too deeply", file=prep.file.path,
                                      claim=spec.label))
    result.seconds = time.perf_counter() - start
    return result


# -- one claim ------------------------------------------------------------------------------------
def _run(prep: Prepared, pc: ParsedClaim, result: ClaimResult) -> None:
    resolver = Resolver(prep.lex)
    chains = resolver.relations(pc.statement)
    exprs = [e for links in chains for link in links for e in (link.left, link.right)]
    ctx = context_for(prep, pc, exprs)
    check_known_names(ctx, exprs)
    where = _where(resolver, pc.where)
    nets = [Net(s, prep.file.first_layer) for s in prep.file.layers] \
        if prep.file.layers else [None]
    undecided = None
    count = tried = 0
    for net in nets:
        ev = Evaluator(ctx, net)
        for env in _instances(ev, exprs, where):
            tried += 1
            if tried > LIMITS["instances"]:
                raise LimitError(f"more than {int(LIMITS['instances'])} instances; "
                                 "narrow the claim with `where` or use smaller `layers`")
            outcome = _check_instance(ev, chains, env, ctx)
            if outcome == "skip":
                continue
            count += 1
            if outcome is None:
                continue
            status, info = outcome
            info["instance"] = _instance_text(env, net)
            if status == "fails":
                result.verdict = "fails"
                result.instances = count
                for k, v in info.items():
                    setattr(result, k, v)
                return
            if undecided is None:
                undecided = info
    result.instances = count
    if count == 0:
        raise SymbpError("no instance of this claim is in range on any network in `layers` "
                         "(check the layer and unit indices, and `where`)")
    if undecided is not None:
        result.verdict = "undecided"
        for k, v in undecided.items():
            setattr(result, k, v)
        return
    result.verdict = "holds"


def _instance_text(env: dict, net: Net | None) -> str:
    parts = [f"{k} = {v}" for k, v in env.items()]
    if net is not None:
        parts.append(f"layers {net}")
    return ", ".join(parts) if parts else "the only instance"


def _check_instance(ev: Evaluator, chains, env: dict, ctx):
    """None when the instance holds, "skip" when it is out of range, else
    ("fails"|"undecided", details)."""
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
        return "fails", {"diagnosis": f"shape mismatch: {exc}", "link": None}
    undecided = None
    for link, n, total, (left, right) in pending:
        label = f"link {n + 1} of {total}" if total > 1 else None
        outcome = _compare(link, left, right, ctx, lambda: _names(ev))
        if outcome is None:
            continue
        status, info = outcome
        info["link"] = label
        if status == "fails":
            if not info.get("diagnosis"):
                info["diagnosis"] = _swap_reading(ev, link, left, env)
            return status, info
        undecided = undecided or (status, info)
    return undecided


def _swap_reading(ev: Evaluator, link: A.Relation, left, env: dict) -> str | None:
    """A diagnosis for an index-order slip: the right side, read with two free indices
    exchanged, equals the left side at this instance."""
    for a, b in itertools.combinations(env, 2):
        if env[a] == env[b]:
            continue
        swapped = {**env, a: env[b], b: env[a]}
        try:
            right = ev.ev(link.right, swapped, {})
        except (OutOfRange, V.ShapeMismatch, SymbpError):
            continue
        if isinstance(left, V.Mat) or isinstance(right, V.Mat):
            continue
        if prove(left, right, timeout=LIMITS["prove_seconds"]).proved:
            return (f"the right side holds with {a} and {b} exchanged: an index-order slip "
                    f"(a transpose, or {a} written for {b})")
    return None


def _pairs(left, right):
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
    import symengine as se
    names = {}
    for (key, ov), value in list(ev.cache.items()):
        if not ov and isinstance(value, se.Basic) and value.free_symbols \
                and not isinstance(value, se.Symbol):
            names.setdefault(value, key_text(key))
    return names


def _compare(link: A.Relation, left, right, ctx, names=dict) -> tuple[str, dict] | None:
    try:
        pairs = list(_pairs(left, right))
    except V.ShapeMismatch as exc:
        return "fails", {"diagnosis": f"shape mismatch: {exc}"}
    literal = _tolerance(link)
    undecided = None
    for entry, l, r in pairs:
        if literal is not None:
            outcome = _numeric(l, r, literal, ctx, link)
        else:
            outcome = _symbolic(l, r, names)
        if outcome is None:
            continue
        status, info = outcome
        if entry:
            info["diagnosis"] = f"{entry}: {info['diagnosis']}" if info.get("diagnosis") \
                else info.get("diagnosis")
            info["instance_entry"] = entry
        info.pop("instance_entry", None)
        if status == "fails":
            if entry:
                info["counterexample_text"] = f"{entry}: {info.get('counterexample_text')}"
            return status, info
        undecided = undecided or (status, info)
    return undecided


def _symbolic(l, r, names=dict) -> tuple[str, dict] | None:
    verdict = prove(l, r, timeout=LIMITS["prove_seconds"])
    if verdict.status == "proved":
        return None
    # once more with the author's names for defined quantities, so the evidence reads σ(z^{2}_{1})
    verdict = prove(l, r, timeout=LIMITS["prove_seconds"], names=names())
    diagnosis = verdict.diagnosis
    if diagnosis is None and verdict.status == "refuted":
        diagnosis = _zero_side(l, r)
    info = {"diagnosis": diagnosis, "reason": verdict.reason,
            "counterexample": verdict.counterexample.to_dict() if verdict.counterexample
            else None,
            "counterexample_text": str(verdict.counterexample) if verdict.counterexample
            else None}
    return ("fails" if verdict.status == "refuted" else "undecided"), info


def _zero_side(l, r) -> str | None:
    """A diagnosis the prover leaves to us: one side is identically zero."""
    import symengine as se
    for side, value in (("left", l), ("right", r)):
        if se.expand(value) == 0:
            return f"the {side} side is identically 0 (nothing it differentiates depends on the variable)"
    return None


# -- numbers --------------------------------------------------------------------------------------
def _tolerance(link: A.Relation):
    """("abs"|"rel", tolerance) when the link is numeric (a decimal literal or \\approx)."""
    decimals = [n for side in (link.left, link.right) for n in A.walk(side)
                if isinstance(n, A.Num) and n.decimal]
    if not decimals and link.rel != "≈":
        return None
    if not decimals:
        return ("abs", sp.Rational(1, 2))
    places = max(len(n.text.split(".")[1]) for n in decimals)
    return ("abs", sp.Rational(1, 2) / 10 ** places)


def _numeric(l, r, tolerance, ctx, link) -> tuple[str, dict] | None:
    subs = ctx.values
    lv, rv = (to_sympy(x).xreplace(subs) for x in (l, r))
    for side in (lv, rv):
        if side.free_symbols:
            missing = ", ".join(sorted(str(s) for s in side.free_symbols))
            raise SymbpError(f"no number in `values` for {missing}", column=link.pos + 1)
        if side.atoms(sp.Function) - side.atoms(sp.exp, sp.log, sp.tanh):
            raise SymbpError("a generic function has no numeric value; define it, e.g. "
                             "\\sigma(t) = \\frac{1}{1 + e^{-t}}", column=link.pos + 1)
    a, b = sp.N(lv, 30), sp.N(rv, 30)
    kind, tol = tolerance
    bound = tol if kind == "abs" else tol * max(abs(a), abs(b))
    if abs(a - b) <= bound:
        return None
    return "fails", {"diagnosis": f"the sides differ by {sp.N(a - b, 6)} "
                                  f"(tolerance {sp.N(bound, 3)})",
                     "counterexample": {"lhs": str(sp.N(a, 15)), "rhs": str(sp.N(b, 15))},
                     "counterexample_text": f"with `values`: left = {sp.N(a, 15)}, "
                                            f"right = {sp.N(b, 15)}"}


# -- free indices ---------------------------------------------------------------------------------
def _where(resolver: Resolver, stmt) -> list:
    if stmt is None:
        return []
    conditions = []
    for chain in stmt.chains:
        exprs = [resolver.expr(e) for e in chain.exprs]
        for i, rel in enumerate(chain.rels):
            if rel not in WHERE_RELATIONS:
                raise SymbpError(f"`where` cannot use {rel!r}; use \\le, <, \\ge, >, =, \\ne",
                                 column=chain.exprs[i + 1].pos + 1)
            conditions.append((exprs[i], rel, exprs[i + 1]))
    return conditions


def _free(exprs: list[A.Expr], layer_vars: set[str]):
    """Free layer letters and free unit letters of a claim, in order of appearance."""
    layers, units = [], []

    def visit(e: A.Expr, bound: frozenset) -> None:
        if isinstance(e, A.Sum):
            for part in (e.lo, e.hi):
                if part is not None:
                    visit(part, bound)
            visit(e.body, bound | {e.var})
            return
        if isinstance(e, A.Ref):
            if e.layer is not None and e.layer.var not in (None, "L") and \
                    e.layer.var not in bound and e.layer.var not in layers:
                layers.append(e.layer.var)
            for idx in e.indices:
                if idx.var is None or idx.var in bound:
                    continue
                target = layers if (e.name == "n" and len(e.indices) == 1) else units
                if idx.var not in target:
                    target.append(idx.var)
        for value in e.__dict__.values():
            if isinstance(value, A.Expr):
                visit(value, bound)
            elif isinstance(value, tuple):
                for item in value:
                    if isinstance(item, A.Expr):
                        visit(item, bound)

    for e in exprs:
        visit(e, frozenset())
    units = [u for u in units if u not in layers]
    return layers, units


def _instances(ev: Evaluator, exprs: list[A.Expr], where: list):
    """Every assignment of the claim's free indices that is in range on `ev.net`."""
    layers, units = _free(exprs, ev.ctx.lex.layer_vars)
    mentioned = {r.name for cond in where for side in (cond[0], cond[2])
                 for r in A.walk(side) if isinstance(r, A.Ref) and not r.indices}
    unknown = mentioned - set(layers) - set(units) - {"L", "n"} - set(ev.ctx.definitions)
    if unknown:
        raise SymbpError(f"`where` names {', '.join(sorted(unknown))}, which the claim does "
                         "not use as an index")
    net = ev.net
    if net is None and (layers or units):
        raise SymbpError(f"cannot infer the range of index {(layers + units)[0]}: the file "
                         "has no `layers`")
    layer_range = range(net.first, net.L + 1) if net is not None else range(0)
    for layer_values in itertools.product(layer_range, repeat=len(layers)):
        env = dict(zip(layers, layer_values))
        ranges = []
        try:
            for u in units:
                widths = [w for e in exprs for w in ev.occurrence_widths(e, u, env)]
                if not widths:
                    raise SymbpError(f"cannot infer the range of index {u}: it indexes no "
                                     "family whose range the definitions fix")
                ranges.append(range(1, min(widths) + 1))
        except OutOfRange:
            continue
        for unit_values in itertools.product(*ranges):
            full = {**env, **dict(zip(units, unit_values))}
            if all(_holds(ev, cond, full) for cond in where):
                yield full


def _holds(ev: Evaluator, cond, env) -> bool:
    left, rel, right = cond
    try:
        return WHERE_RELATIONS[rel](ev.integer(left, env), ev.integer(right, env))
    except OutOfRange:
        return False
