"""Checking a derivation file: the pipeline from text to one `ClaimResult` per claim.

read (TOML) -> parse (formulas) -> lexicon (facts about names) -> resolve (meaning, with the
readings taken) -> model (definitions, families, index ranges) -> instances (free indices on
each network) -> evaluate -> compare/prove; then, for a claim that holds on its instances, the
generic prover for every size (its `scope`), and for one that fails, the generic form of the
failing link for a diagnosis in the claim's own indices. Each pass is a module of its own; this
file only runs them in order. Pure: the caller passes the text and the name to report it under.
Claims are independent: an error or a time-out in one does not stop the others.
"""
from __future__ import annotations

import numbers
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from symbp.deadline import time_limit
from symbp.derivation.build import (ParsedClaim, Prepared, check_known_names, context_for, prepare,
                                   trained_refs, unknown_names)
from symbp.derivation.compare import (Evidence, Outcome, Tolerance, check_instance,
                                      exact_decimal, numeric_tolerance)
from symbp.derivation.evaluate import Evaluator, Net
from symbp.derivation.instances import (CASE_LAYERS, conditions, instance_text, instances,
                                        layer_condition)
from symbp.derivation.model import Context
from symbp.derivation.read import DerivationFile, read_data, read_text
from symbp.derivation.rounds import after_rounds
from symbp.errors import LimitError, SymbpError
from symbp.generic.file_claims import every_size, own_diagnosis
from symbp.notation import ast as A
from symbp.notation.limits import LIMITS
from symbp.notation.resolve import Resolver

#: A claim's scope: proved for every width and depth, or holding on the sizes its file lists.
ALL_SIZES, LISTED_SIZES = "all-sizes", "listed-sizes"
SCOPE_TEXT = {ALL_SIZES: "holds for every size", LISTED_SIZES: "holds on the listed sizes"}


@dataclass(frozen=True)
class ClaimResult:
    """The verdict on one claim, with its evidence and the readings taken of its notation."""

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
    readings: tuple[str, ...] = ()
    scope: str | None = None             # ALL_SIZES or LISTED_SIZES for a claim that holds

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
                "diagnosis": self.diagnosis, "reason": self.reason, "error": self.error,
                "readings": list(self.readings), "scope": self.scope}


@dataclass(frozen=True)
class _Found:
    """What the passes found for one claim: a verdict, how many instances, the evidence."""

    verdict: str
    instances: int
    evidence: Evidence
    readings: tuple[str, ...]
    ctx: Context | None = None                   # the model, for the generic prover
    chains: list[list[A.Relation]] | None = None
    scope: str | None = None


#: Batch sizes a file that counts examples is checked on when it does not say (`examples`).
DEFAULT_EXAMPLES = (1, 2)


class _Timeout(Exception):
    pass


class _GenericTimeout(Exception):
    pass


# -- the public entry points ----------------------------------------------------------------------
def check_text(text: str, path: str, *, claim_seconds: float | None = None) -> list[ClaimResult]:
    """Check every claim of a derivation file given as text; never raises for bad input."""
    return _check_file(lambda: read_text(text, path), path, "(file)", "", claim_seconds)


def check_equation(latex: str, define: Sequence[str] | str = (),
                   layers: Sequence | None = None, values: Mapping[str, object] | None = None,
                   *, name: str = "equation", where: str | None = None,
                   expect: str | None = None, first_layer: int = 1,
                   tolerance: str | None = None, notation: Mapping | None = None,
                   sets: Mapping | None = None,
                   claim_seconds: float | None = None) -> ClaimResult:
    """Check one equation as a one-claim derivation file would; never raises for bad input.

    The arguments are the file's keys (docs/derivation-format.md) and the claim's; the result's
    `file` is empty, and an error is located by claim (`name`), definition and column.
    """
    claim = {"latex": latex, "name": name, "where": where, "expect": expect,
             "tolerance": tolerance}
    data = {"define": _listed([define] if isinstance(define, str) else define),
            "first_layer": first_layer, "layers": _listed(layers),
            "values": _values(values), "notation": _table(notation), "sets": _table(sets),
            "claim": [{k: v for k, v in claim.items() if v is not None}]}
    data = {k: v for k, v in data.items() if v is not None}
    results = _check_file(lambda: read_data(data, "", container="the arguments"),
                          "", name if isinstance(name, str) else "equation",
                          latex if isinstance(latex, str) else repr(latex)[:200], claim_seconds)
    return results[0]


def _check_file(read: Callable[[], DerivationFile], path: str, name: str, latex: str,
                claim_seconds: float | None) -> list[ClaimResult]:
    """Read (by `read`), prepare and check every claim; a file-level problem is one `error`."""
    try:
        prep = prepare(read())
    except SymbpError as err:
        return [ClaimResult(path, name, latex, "error", error=str(_located(err, path)))]
    except RecursionError:
        return [ClaimResult(path, name, latex, "error", error=str(LimitError(
            "the file is nested too deeply", file=path or None)))]
    limit = LIMITS["claim_seconds"] if claim_seconds is None else claim_seconds
    return [check_claim(prep, pc, limit) for pc in prep.claims]


def _listed(value):
    """Tuples as lists and integer-like numbers as ints, as TOML would give them; the rest is
    left for `read_data` to reject with a message."""
    if isinstance(value, (list, tuple)):
        return [_listed(v) for v in value]
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    return value


def _values(values: Mapping[str, object] | None):
    """`values` as TOML gives them: ints and floats, or exact text (`Fraction(2, 3)` -> 2/3)."""
    if not isinstance(values, Mapping):
        return values
    return {k: _value(v) for k, v in values.items()}


def _value(v):
    if isinstance(v, (bool, str)):
        return v
    if isinstance(v, float):                         # NumPy's float64 as a plain float
        return float(v)
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, (numbers.Real, Decimal)):     # Fraction, SymPy's Rational and Float
        return str(v)
    return v


def _table(table: Mapping | None):
    return dict(table) if isinstance(table, Mapping) else table


def check_claim(prep: Prepared, pc: ParsedClaim, limit: float) -> ClaimResult:
    """The verdict on one claim; any problem becomes an `error` verdict, never an exception.
    A claim the whole file's reading refuses is read once more against the definitions and
    itself alone: another claim's odd notation (a case superscript on a family the definitions
    leave unscripted) must not cost it its verdict. The report says so."""
    start = time.perf_counter()
    result = _check_claim(prep, pc, limit)
    if result.verdict != "error" or len(prep.claims) < 2 or pc.error is not None:
        return result
    try:
        alone = prepare(replace(prep.file, claims=(pc.spec,)))
    except SymbpError:
        return result
    remaining = limit - (time.perf_counter() - start)      # both readings within one limit
    if alone.claims[0].error is not None or remaining < 1:
        return result
    second = _check_claim(alone, alone.claims[0], remaining)
    if second.verdict == "error":
        return result
    why = result.error.split(": ", 1)[-1] if result.error else "refused"
    return replace(second, seconds=result.seconds + second.seconds, readings=(
        f"read against the definitions and this claim alone: with the other claims the "
        f"file's reading refused it ({why})",) + second.readings)


def _check_claim(prep: Prepared, pc: ParsedClaim, limit: float) -> ClaimResult:
    spec = pc.spec
    base = dict(file=prep.file.path, name=spec.label, latex=spec.latex, expect=spec.expect,
                note=spec.note)
    start = time.perf_counter()
    try:
        if pc.error is not None:
            raise pc.error
        with time_limit(limit, _Timeout):
            found = _run_cases(prep, pc) if pc.cases else _run(prep, pc)
        found = _generic(found, pc, prep.conv.first_layer,
                         min(LIMITS["generic_seconds"], limit / 4))
        e = found.evidence
        return ClaimResult(**base, verdict=found.verdict, instances=found.instances,
                           instance=e.instance, link=e.link, counterexample=e.counterexample,
                           counterexample_text=e.counterexample_text, diagnosis=e.diagnosis,
                           reason=e.reason, readings=found.readings, scope=found.scope,
                           seconds=time.perf_counter() - start)
    except _Timeout:
        return ClaimResult(**base, verdict="undecided",
                           reason=f"time limit of {limit:g} s reached",
                           seconds=time.perf_counter() - start)
    except SymbpError as err:
        error = str(_located(err, prep.file.path, spec.label))
    except RecursionError:
        error = str(LimitError("formula nested too deeply", file=prep.file.path,
                               claim=spec.label))
    except Exception as exc:    # noqa: BLE001 - in-process callers (the API, symbp latex) too
        error = str(SymbpError(f"internal error: {type(exc).__name__}: {exc}"[:300],
                               file=prep.file.path, claim=spec.label))
    return ClaimResult(**base, verdict="error", error=error, seconds=time.perf_counter() - start)


def _located(err: SymbpError, path: str, claim: str | None = None) -> SymbpError:
    """The error with file and claim filled in; a claim's error without a place in the
    formula points at its start (column 1): the claim as a whole."""
    column = err.column if err.column is not None or claim is None else 1
    return SymbpError(err.message, file=err.file or path, claim=err.claim or claim,
                      column=column, line=err.line)


def _generic(found: _Found, pc: ParsedClaim, first_layer: int, seconds: float) -> _Found:
    """The generic prover after the instances, within its own time: a claim that holds is
    upgraded to every size only by a proof; a failing one may get its diagnosis in its own
    indices. The verdict itself is never changed, and running out of time changes nothing."""
    if found.verdict == "holds":
        found = replace(found, scope=LISTED_SIZES)
    elif found.verdict != "fails" or found.evidence.relation is None:
        return found
    if found.ctx is None or found.chains is None or pc.where or pc.cases:
        return found
    try:
        with time_limit(seconds, _GenericTimeout):
            if found.verdict == "holds":
                if every_size(found.ctx, found.chains, pc.spec.label, first_layer).all_sizes:
                    return replace(found, scope=ALL_SIZES)
                return found
            check = own_diagnosis(found.ctx, found.chains, found.evidence.relation,
                                  pc.spec.label, first_layer)
    except _GenericTimeout:
        return found
    except MemoryError:
        raise
    except Exception as exc:    # noqa: BLE001 - the generic step only adds; a bug in it is said
        return replace(found, evidence=replace(found.evidence, reason=found.evidence.reason or (
            f"not tried for every size: internal error in the generic prover "
            f"({type(exc).__name__}: {exc})"[:300])))
    if check.diagnosis is None:
        return found
    return replace(found, evidence=replace(found.evidence, diagnosis=check.diagnosis))


# -- one claim, pass by pass ----------------------------------------------------------------------
def _run_cases(prep: Prepared, pc: ParsedClaim) -> _Found:
    """A claim by cases: each case on the instances its condition allows; it fails with the
    first case that fails, and holds when every case holds on some instance."""
    total, readings, undecided = 0, [], None
    for n, parsed in enumerate(pc.cases):
        case = parsed.case
        one = replace(pc, statement=parsed.statement, cases=[],
                      where=pc.where + ([parsed.where] if parsed.where is not None else []))
        label = f"case {n + 1} ({case.condition})"
        try:
            found = _run(prep, one, case.meaning)
        except SymbpError as err:
            raise SymbpError(f"{label}: {err.message}", column=err.column) from None
        if case.meaning is not None:
            readings.append(f"{label} read as: the left side on "
                            f"{CASE_LAYERS[case.meaning].text}")
        readings.extend(found.readings)
        total += found.instances
        if found.verdict == "fails":
            evidence = _at(found.evidence, f"{label}, {found.evidence.instance}")
            return _Found("fails", total, evidence, tuple(dict.fromkeys(readings)))
        if found.verdict == "undecided" and undecided is None:
            undecided = _at(found.evidence, f"{label}, {found.evidence.instance}")
    if undecided is not None:
        return _Found("undecided", total, undecided, tuple(dict.fromkeys(readings)))
    return _Found("holds", total, Evidence(), tuple(dict.fromkeys(readings)))


def _run(prep: Prepared, pc: ParsedClaim, case: str | None = None) -> _Found:
    resolver = Resolver(prep.lex, prep.conv)
    chains = resolver.relations(pc.statement)                          # resolve
    exprs = [e for links in chains for link in links for e in (link.left, link.right)]
    ctx = context_for(prep, pc, exprs)                                 # model
    ctx.plain = resolver.scalars
    chains, exprs = ctx.relayer_chains(chains), [ctx.relayer(e) for e in exprs]
    check_known_names(ctx, exprs)
    suspects = unknown_names(ctx, exprs)
    where = conditions([_where_chain(resolver, ctx, stmt) for stmt in pc.where])
    if case is not None:
        where.append(layer_condition(case, chains[0][0].left if chains and chains[0] else None))
    tolerance = Tolerance.parse(pc.spec.tolerance) if pc.spec.tolerance else None
    readings = tuple(dict.fromkeys(resolver.readings + ctx.readings +
                                   _numeric_readings(chains, ctx, tolerance)))
    batches = prep.file.examples or (DEFAULT_EXAMPLES if ctx.sample_letters else (1,))
    runs = [(Net(s, prep.conv.first_layer, m), m) for s in prep.file.layers for m in batches] \
        if prep.file.layers else [(None, m) for m in batches]
    nets = [net for net, _ in runs]
    if pc.spec.rounds:                                                   # train, then compare
        if len(nets) > 1:
            raise SymbpError("`rounds` trains one network: give one list in `layers`")
        ctx.values, trained = after_rounds(Evaluator(ctx, nets[0]),
                                           trained_refs(prep, resolver), pc.spec.rounds)
        readings += (trained,)
    undecided: Outcome | None = None
    count = tried = 0
    per_batch: dict[int, int] = {}              # instances in range, by the batch's size
    used: list[Evaluator] = []
    for net, batch in runs:
        per_batch.setdefault(batch, 0)
        first = Evaluator(ctx, net, batch=batch)
        used.append(first)
        evaluators = {}
        for env in instances(first, exprs, where):                     # instances
            given = tuple((g, env[g]) for g in ctx.given if g in env)
            ev = evaluators.setdefault(given, Evaluator(ctx, net, dict(given), batch) if given
                                       else first)
            if ev is not first and ev not in used:
                used.append(ev)
            tried += 1
            if tried > LIMITS["instances"]:
                raise LimitError(f"more than {int(LIMITS['instances'])} instances; "
                                 "narrow the claim with `where` or use smaller `layers`")
            outcome = check_instance(ev, chains, env, tolerance)       # evaluate, prove
            if outcome == "skip":
                continue
            count += 1
            per_batch[batch] += 1
            if outcome is None:
                continue
            outcome = Outcome(outcome.status,
                              _at(outcome.evidence, instance_text(env, net, batch)))
            if outcome.status == "fails":
                return _Found("fails", count, outcome.evidence,
                              readings + _notes(used) + _unread_readings(resolver) +
                              _suspect_readings(suspects), ctx, chains)
            undecided = undecided or outcome
    if suspects:                    # never proved through a name nothing gives
        raise suspects[0]
    if count == 0:
        raise SymbpError("no instance of this claim is in range on any network in `layers` "
                         "(check the layer and unit indices, and `where`)")
    if per_batch.get(1) and any(n == 0 for m, n in per_batch.items() if m > 1):
        raise SymbpError("the claim can be read only for a batch of one example: with more, "
                         "something it uses has no value for every example (a matrix of the "
                         "batch written without its examples? define it by them, X = "
                         "[x^{(1)} \\; x^{(2)} \\; \\ldots \\; x^{(m)}])")
    if resolver.unread:             # every readable link holds: the claim is not shown
        raise resolver.unread[0]
    readings += _notes(used)
    if undecided is not None:
        return _Found("undecided", count, undecided.evidence, readings)
    return _Found("holds", count, Evidence(), readings, ctx, chains)


def _notes(evaluators: list[Evaluator]) -> tuple[str, ...]:
    """The readings the evaluation itself decided, once each, in a stable order."""
    return tuple(sorted({n for ev in evaluators for n in ev.notes}))


def _suspect_readings(suspects: list[SymbpError]) -> tuple[str, ...]:
    """A claim refuted with a family nothing gives read as free variables: say so."""
    return tuple(f"{err.message.split()[0]} (column {err.column}) is given by no definition and "
                 "used by none: nothing depends on it, so a derivative by it is 0 (a typo for "
                 "another name?)" for err in suspects)


def _unread_readings(resolver: Resolver) -> tuple[str, ...]:
    """A chain refuted on one link needs no reading of the others: say which were not read."""
    return tuple(f"a side at column {err.column} could not be read ({err.message}); the chain "
                 "fails on another link whatever it means" for err in resolver.unread)


def _at(evidence: Evidence, instance: str) -> Evidence:
    return replace(evidence, instance=instance)


def _numeric_readings(chains, ctx, tolerance) -> list[str]:
    """Say so when an integer side makes a link a numeric claim at the file's `values`, and
    when a decimal such as 1.0 is read as its integer in a symbolic claim."""
    out = []
    for links in chains:
        for link in links:
            for n in (n for side in (link.left, link.right) for n in A.walk(side)):
                if isinstance(n, A.Num) and n.decimal and exact_decimal(n, ctx):
                    out.append(f"{n.text} read as the exact number {int(n.value)} (the file "
                               "gives no `values`, so the claim is symbolic)")
            found = numeric_tolerance(link, ctx, tolerance)
            decimals = any(isinstance(n, A.Num) and n.decimal
                           for side in (link.left, link.right) for n in A.walk(side))
            if found is not None and not decimals and link.rel != "≈":
                out.append(f"a side that is a number makes this a numeric claim at `values`, "
                           f"compared within {found.value} ({found.kind})")
    return out


def _where_chain(resolver: Resolver, ctx, stmt):
    chain = stmt.chains[0] if len(stmt.chains) == 1 else None
    if chain is None:
        raise SymbpError("`where` holds conditions such as 2 \\le l \\le L, separated by commas")
    exprs = [ctx.relayer(resolver.expr(e)) for e in chain.exprs]
    return exprs, chain.rels, [e.pos for e in chain.exprs]
