"""From a validated `DerivationFile` to what evaluation needs: parsed claims and a `Context`.

Formula errors are located (file, claim, column). A broken definition makes the whole file
unreadable (`FileProblem`); a broken claim is that claim's error only.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from symbp.errors import SymbpError
from symbp.derivation.model import Context, Definition, FunctionDef, infer_slots, refs
from symbp.derivation.read import ClaimSpec, DerivationFile
from symbp.notation import ast as A
from symbp.notation import syntax as S
from symbp.notation.parser import parse
from symbp.notation.lexicon import Lexicon, build_lexicon, lhs_name
from symbp.notation.resolve import Resolver
from symbp.notation.shapes import base_key, is_paren, items_of, split, unwrap


@dataclass
class ParsedClaim:
    """A claim's formulas, parsed; `error` if any of them could not be read."""

    spec: ClaimSpec
    statement: S.Statement | None = None
    where: S.Statement | None = None
    defines: list[tuple[str, S.Statement]] = field(default_factory=list)
    error: SymbpError | None = None


@dataclass
class Prepared:
    """A file ready to check: its lexicon, parsed definitions and claims."""

    file: DerivationFile
    lex: Lexicon
    defines: list[tuple[str, S.Statement]]
    value_keys: list[tuple[S.Statement, str]]
    claims: list[ParsedClaim]


def _relocate(err: SymbpError, **where) -> SymbpError:
    return SymbpError(err.message, column=err.column, line=err.line, **where)


def _parse_define(text: str, path: str, claim: str | None, n: int) -> S.Statement:
    try:
        stmt = parse(text, file=path, claim=claim)
    except SymbpError as err:
        raise SymbpError(f"definition {n} ({text[:60]!r}): {err.message}", file=path,
                         claim=claim, column=err.column) from None
    if len(stmt.chains) != 1 or len(stmt.chains[0].exprs) != 2 or stmt.chains[0].rels != ("=",):
        raise SymbpError(f"definition {n} ({text[:60]!r}) must have the form name = formula",
                         file=path, claim=claim)
    return stmt


def prepare(df: DerivationFile) -> Prepared:
    """Parse every formula; raise for a file-level problem, record claim-level ones."""
    defines = [(t, _parse_define(t, df.path, None, n)) for n, t in enumerate(df.define, 1)]
    value_keys = []
    for key, number in df.values:
        try:
            value_keys.append((parse(key, file=df.path), number))
        except SymbpError as err:
            raise SymbpError(f"values key {key!r}: {err.message}", file=df.path) from None
    claims = []
    for spec in df.claims:
        pc = ParsedClaim(spec)
        try:
            pc.statement = parse(spec.latex, file=df.path, claim=spec.label)
            if spec.where:
                pc.where = parse(spec.where, file=df.path, claim=spec.label)
            pc.defines = [(t, _parse_define(t, df.path, spec.label, n))
                          for n, t in enumerate(spec.define, 1)]
        except SymbpError as err:
            pc.error = _relocate(err, file=df.path, claim=spec.label)
        claims.append(pc)
    others = [c.statement for c in claims if c.statement] + [c.where for c in claims if c.where]
    all_defines = [s for _, s in defines] + [s for c in claims for _, s in c.defines]
    lex = build_lexicon(all_defines, others, has_layers=df.layers is not None,
                        value_keys=[k for k, _ in value_keys])
    return Prepared(df, lex, defines, value_keys, claims)


def _definition(text: str, stmt: S.Statement, resolver: Resolver, lex: Lexicon,
                rank_base: tuple, order: int):
    """One `define` entry -> Definition or FunctionDef."""
    lhs_node, rhs_node = stmt.chains[0].exprs
    found = lhs_name(lhs_node, lex)
    if found is None:
        raise SymbpError("the left side of a definition must be a name, such as z^l_j",
                         column=lhs_node.pos + 1)
    items = items_of(lhs_node)
    key = found[0]
    rhs = resolver.expr(rhs_node)
    if len(items) > 1 and is_paren(items[-1]):
        group = split(items[-1])[0]
        keyname = resolver._reference(key, split(found[1])[1], None, lhs_node.pos)
        fname = keyname.name if isinstance(keyname, A.Ref) else key
        if fname in lex.defined_functions:
            params = tuple(base_key(unwrap(i)) for i in group.items)
            return FunctionDef(fname, params, rhs)
        lhs_node = items[0] if len(items) == 2 else S.Product(lhs_node.pos, tuple(items[:-1]))
    lhs = resolver.expr(lhs_node)
    if not isinstance(lhs, A.Ref):
        raise SymbpError("the left side of a definition must be a name, such as z^l_j",
                         column=lhs_node.pos + 1)
    concrete_units = sum(1 for i in lhs.indices if i.var is None)
    concrete_layer = int(lhs.layer is not None and lhs.layer.var in (None, "L"))
    rank = rank_base + (concrete_units, concrete_layer, -order)
    return Definition(lhs.name, lhs.layer, lhs.indices, rhs, text, rank)


def context_for(prep: Prepared, claim: ParsedClaim, claim_exprs: list[A.Expr]) -> Context:
    """The definitions, functions and inferred ranges in force for one claim."""
    lex = prep.lex
    resolver = Resolver(lex)
    ctx = Context(lex)
    entries = [((1,), t, s, None) for t, s in claim.defines] + \
              [((0,), t, s, None) for t, s in prep.defines]
    groups: list[list[A.Expr]] = []
    for order, (rank, text, stmt, _) in enumerate(entries):
        try:
            item = _definition(text, stmt, resolver, lex, rank, order)
        except SymbpError as err:
            raise SymbpError(f"definition {text[:60]!r}: {err.message}", column=err.column,
                             file=prep.file.path, claim=claim.spec.label) from None
        if isinstance(item, FunctionDef):
            if item.name not in ctx.functions:
                ctx.functions[item.name] = item
            ctx.read_by_definitions.update(r.name for r in refs(item.body))
            continue
        table = ctx.definitions.setdefault(item.name, [])
        if any(d.layer == item.layer and d.indices == item.indices for d in table):
            continue                      # a claim's own definition replaces the file's
        table.append(item)
        ctx.read_by_definitions.update(r.name for r in refs(item.rhs))
        groups.append([A.Ref(0, item.name, item.layer, item.indices), item.rhs])
    for table in ctx.definitions.values():
        table.sort(key=lambda d: d.rank, reverse=True)
    groups.append(list(claim_exprs))
    ctx.slots = infer_slots(groups, lex)
    for stmt, number in prep.value_keys:
        ref = resolver.expr(stmt.chains[0].exprs[0]) if stmt.chains else None
        if isinstance(ref, A.Ref):
            from symbp.derivation.evaluate import key_text
            layer = ref.layer.offset if ref.layer is not None and ref.layer.var is None else None
            units = tuple(i.offset for i in ref.indices)
            ctx.values[sp.Symbol(key_text((ref.name, layer, units)))] = sp.Rational(number)
    return ctx


def check_known_names(ctx: Context, exprs: list[A.Expr]) -> None:
    """An indexed family that no definition gives or uses is almost always a typo."""
    value_names = {str(s).split("^")[0].split("_{")[0] for s in ctx.values}
    for expr in exprs:
        for ref in refs(expr):
            known = ref.name in ctx.definitions or ref.name in ctx.read_by_definitions or \
                ref.name in value_names
            if not known and (ref.indices or ref.layer is not None):
                raise SymbpError(f"{ref.name} is not defined, and no definition uses it",
                                 column=ref.pos + 1)
        for node in A.walk(expr):
            if isinstance(node, A.Deriv) and isinstance(node.num, A.Ref):
                name = node.num.name
                if name not in ctx.definitions and name not in ctx.read_by_definitions:
                    raise SymbpError(f"{name} is differentiated but never defined, so its "
                                     "derivative would be 0", column=node.num.pos + 1)
