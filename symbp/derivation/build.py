"""From a validated `DerivationFile` to what evaluation needs: parsed claims and a `Context`.

Formula errors are located (file, claim, column). A broken definition makes the whole file
unreadable (`FileProblem`); a broken claim is that claim's error only.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import sympy as sp

from symbp.errors import SymbpError
from symbp.derivation import layers
from symbp.derivation.model import (AFTER_STEP, EXAMPLE_MARK, PRIMED, Context, Definition,
                                   FunctionDef, batch_slots, batch_total, batched_families,
                                   example_of_batch, example_totals, implied_batch_matrices,
                                   infer_slots, layer_aliases, listed_numbers,
                                   per_example_families, refs, row_vectors, same_letter_batches,
                                   sending_labels, stepped_base, transposed_vectors, with_aliases)
from symbp.notation.names import symbol_name
from symbp.derivation.read import ClaimSpec, DerivationFile
from symbp.notation import ast as A
from symbp.notation import names as N
from symbp.notation import syntax as S
from symbp.notation.parser import parse
from symbp.notation.cases import Case, split_cases, with_complements
from symbp.notation.columns import letters_of, stacked_examples
from symbp.notation.conventions import Conventions, implied_inputs, settle
from symbp.notation.lexicon import Lexicon, build_lexicon, lhs_name
from symbp.notation.resolve import DEFINING, ONE_TERM, Resolver
from symbp.notation.samples import BATCH_NAMES
from symbp.notation.shapes import (bare_letter, base_key, is_paren, items_of, split, unwrap,
                                   walk_syntax)


@dataclass
class ParsedClaim:
    """A claim's formulas, parsed; `error` if any of them could not be read."""

    spec: ClaimSpec
    statement: S.Statement | None = None
    where: list[S.Statement] = field(default_factory=list)
    defines: list[tuple[str, S.Statement]] = field(default_factory=list)
    error: SymbpError | None = None
    cases: list[ParsedCase] = field(default_factory=list)   # lhs = \begin{cases} … \end{cases}


@dataclass(frozen=True)
class ParsedCase:
    """One case of a claim by cases: `lhs = formula` and its condition (a comparison, parsed,
    or a meaning such as "output")."""

    case: Case
    statement: S.Statement
    where: S.Statement | None


@dataclass
class Prepared:
    """A file ready to check: its lexicon, parsed definitions and claims."""

    file: DerivationFile
    lex: Lexicon
    defines: list[tuple[str, S.Statement]]
    value_keys: list[tuple[S.Statement, str]]
    claims: list[ParsedClaim]
    conv: Conventions


def _relocate(err: SymbpError, **where) -> SymbpError:
    return SymbpError(err.message, column=err.column, line=err.line, **where)


def _parse_define(text: str, path: str, claim: str | None, n: int) -> list[S.Statement]:
    """One `define` entry: `name = formula`, or names chained to one formula, as Ng prints
    `\\hat{y}^{(i)} = a^{(i)} = \\sigma(z^{(i)})` (each name is the formula)."""
    try:
        stmt = parse(text, file=path, claim=claim)
    except SymbpError as err:
        raise SymbpError(f"definition {n} ({text[:60]!r}): {err.message}", file=path,
                         claim=claim, column=err.column) from None
    if len(stmt.chains) != 1 or len(stmt.chains[0].exprs) < 2 or \
            any(rel not in DEFINING for rel in stmt.chains[0].rels):
        raise SymbpError(f"definition {n} ({text[:60]!r}) must have the form name = formula",
                         file=path, claim=claim)
    chain = stmt.chains[0]
    return [replace(stmt, chains=(replace(chain, exprs=(_bracket_argument(name), chain.exprs[-1]),
                                          rels=("=",)),))
            for name in chain.exprs[:-1]]


def _bracket_argument(lhs: S.Node) -> S.Node:
    """`E[\\vec{w}]` on a definition's left (Mitchell: E as a function of w) is `E(\\vec{w})`:
    what the quantity depends on, as parentheses print it."""
    if isinstance(lhs, S.Product) and len(lhs.items) == 2 and \
            isinstance(lhs.items[1], S.Group) and lhs.items[1].kind == "[":
        return replace(lhs, items=(lhs.items[0], replace(lhs.items[1], kind="(")))
    return lhs


def split_top_level(text: str) -> list[str]:
    """`1 \\le i \\le 2, 2 \\le l \\le L` -> its comma-separated parts (not inside brackets)."""
    parts, depth, start = [], 0, 0
    for n, ch in enumerate(text):
        depth += (ch in "([{") - (ch in ")]}")
        if ch == "," and depth == 0:
            parts.append(text[start:n])
            start = n + 1
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


def _parse_where(text: str, path: str, claim: str) -> S.Statement:
    stmt = parse(text, file=path, claim=claim)
    if len(stmt.chains) != 1 or not stmt.chains[0].rels:
        raise SymbpError(f"`where` condition {text.strip()!r} must compare, e.g. 2 \\le l \\le L",
                         file=path, claim=claim, column=1)
    return stmt


def prepare(df: DerivationFile) -> Prepared:
    """Parse every formula; raise for a file-level problem, record claim-level ones."""
    defines = [(t, s) for n, t in enumerate(df.define, 1)
               for s in _parse_define(t, df.path, None, n)]
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
            pc.cases = _cases(spec, df.path)
            pc.statement = pc.cases[0].statement if pc.cases else \
                parse(spec.latex, file=df.path, claim=spec.label)
            pc.where = [_parse_where(part, df.path, spec.label)
                        for part in split_top_level(spec.where or "")]
            pc.defines = [(t, s) for n, t in enumerate(spec.define, 1)
                          for s in _parse_define(t, df.path, spec.label, n)]
        except SymbpError as err:
            pc.error = _relocate(err, file=df.path, claim=spec.label)
        claims.append(pc)
    others = [c.statement for c in claims if c.statement] + [w for c in claims for w in c.where]
    others += [s for c in claims for case in c.cases[1:] for s in (case.statement, case.where)
               if s is not None] + [c.cases[0].where for c in claims if c.cases and
                                    c.cases[0].where is not None]
    readings: list[str] = []
    defines = _without_prime_definitions(defines, readings)
    for c in claims:
        c.defines = _without_prime_definitions(c.defines, readings)
    taken = letters_of([s for _, s in defines] + [s for c in claims for _, s in c.defines] + others)
    defines = [_unstacked(t, s, taken, df.path, None, readings) for t, s in defines]
    for c in claims:
        c.defines = [_unstacked(t, s, taken, df.path, c.spec.label, readings)
                     for t, s in c.defines]
    all_defines = [s for _, s in defines] + [s for c in claims for _, s in c.defines]
    lex = build_lexicon(all_defines, others, has_layers=df.layers is not None,
                        value_keys=[k for k, _ in value_keys])
    implied = implied_inputs(all_defines, lex) if df.layers is not None else []
    if implied:                                   # x_{ji} = o_i, as Mitchell's text says
        defines += [(text, stmt) for stmt, text in implied]
        all_defines += [stmt for stmt, _ in implied]
        readings += [f"{text}: the input to unit j from unit i is that unit's output (the "
                     "network's input i on the first layer)" for _, text in implied]
        lex = build_lexicon(all_defines, others, has_layers=True,
                            value_keys=[k for k, _ in value_keys])
    conv = settle(lex, all_defines, others,
                  first_layer=df.first_layer if df.first_layer_given else None,
                  has_layers=df.layers is not None, sets=df.sets, notation=df.notation,
                  one_layer=df.layers is not None and all(len(w) == 2 and w[-1] == 1
                                                          for w in df.layers),
                  single_layer=df.layers is not None and all(len(w) == 2 for w in df.layers),
                  batched=df.examples is not None,
                  top_layer=df.first_layer + max(len(w) for w in df.layers) - 1
                  if df.layers and df.first_layer_given else None)
    conv = replace(conv, readings=conv.readings + tuple(readings))
    return Prepared(df, lex, defines, value_keys, claims, conv)


def _cases(spec: ClaimSpec, path: str) -> list[ParsedCase]:
    """The cases of a claim printed by cases, each parsed; [] for any other claim."""
    try:
        cases = split_cases(spec.latex)
    except SymbpError as err:
        raise _relocate(err, file=path, claim=spec.label) from None
    return [ParsedCase(c, parse(c.text, file=path, claim=spec.label),
                       _parse_where(c.comparison, path, spec.label) if c.comparison else None)
            for c in with_complements(cases or [])]


def _without_prime_definitions(defines: list[tuple[str, S.Statement]],
                               readings: list[str]) -> list[tuple[str, S.Statement]]:
    """The defines without those that say what a prime means (`\\dot{f}^m(n) = \\frac{\\partial
    f^m(n)}{\\partial n}`): f's derivative is what the prime already reads."""
    out = []
    for text, stmt in defines:
        lhs, rhs = stmt.chains[0].exprs if len(stmt.chains[0].exprs) == 2 else (None, None)
        items = items_of(lhs) if lhs is not None else ()
        head = split(items[0]) if items else None
        if head is not None and len(items) == 2 and is_paren(items[1]) and head[3] and \
                head[1] is None and isinstance(unwrap(rhs), S.Frac) and \
                _mentions(unwrap(rhs).num, base_key(head[0])):
            readings.append(f"{text.strip()} read as what its prime means, not as a new name")
            continue
        out.append((text, stmt))
    return out


def _mentions(node: S.Node, key: str | None) -> bool:
    """A derivative's numerator (`\\partial f^m(n)`, `d f(n)`) that names `key`."""
    items = items_of(unwrap(node))
    mark = items[0] if items else None
    derivative = isinstance(mark, S.Tok) and (mark.text == r"\partial" or bare_letter(mark) == "d")
    return derivative and key is not None and any(
        base_key(split(n)[0]) == key for n in walk_syntax(node) if isinstance(n, (S.Atom, S.Tok)))


def _unstacked(text: str, stmt: S.Statement, taken: set[str], path: str, claim: str | None,
               readings: list[str]) -> tuple[str, S.Statement]:
    """A define that lists a batch's examples (`X = [x^{(1)} \\ldots x^{(m)}]`) as the entry
    definition it states; any other define as it is."""
    stacked = stacked_examples(text, stmt, taken)
    if stacked is None:
        return text, stmt
    readings.append(f"{text.strip()} read as {stacked.text}: one example per "
                    f"{stacked.axis[:-1]}")
    return text, parse(stacked.text, file=path, claim=claim)


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
    rhs = resolver.settle_sums([resolver.expr(lhs_node), resolver.expr(rhs_node)])[1] \
        if not is_paren(items_of(lhs_node)[-1]) else resolver.expr(rhs_node)
    if len(items) > 1 and is_paren(items[-1]):
        group = split(items[-1])[0]
        keyname = resolver._reference(key, split(found[1])[1], None, lhs_node.pos) \
            if key not in lex.defined_functions else None      # \phi_j(v): ϕ of every unit
        fname = keyname.name if isinstance(keyname, A.Ref) else key
        if fname in lex.defined_functions:
            params = tuple(base_key(unwrap(i)) for i in group.items)
            sup = split(found[1])[2]
            layer = resolver.level(sup) if sup is not None and not sup.mark else None
            if layer is not None and layer.var is None:     # g^{[1]}(t) = …: layer 1's own
                fname = f"{fname}^{{{layer.offset}}}"
            return FunctionDef(fname, params, _local(rhs, set(params)))
        argument = bare_letter(unwrap(group.items[0])) if len(group.items) == 1 else None
        lhs_node = items[0] if len(items) == 2 else S.Product(lhs_node.pos, tuple(items[:-1]))
        lhs = resolver.expr(lhs_node)
        if isinstance(lhs, A.Ref) and argument in resolver.conv.sample_letters:
            lhs = replace(lhs, sample=A.Index(argument, 0, A.Role.SAMPLE))     # y_i(n) = …
    else:
        lhs = resolver.expr(lhs_node)
    if not isinstance(lhs, A.Ref):
        raise SymbpError("the left side of a definition must be a name, such as z^l_j",
                         column=lhs_node.pos + 1)
    rhs = _own_function(lhs, rhs, rhs_node, resolver)
    concrete_units = sum(1 for i in lhs.indices if i.var is None)
    concrete_layer = int(lhs.layer is not None and lhs.layer.var in (None, "L"))
    rank = rank_base + (concrete_units, concrete_layer, -order)
    return Definition(lhs.name, lhs.layer, lhs.indices, rhs, text, rank, lhs.sample)


def _own_function(lhs: A.Ref, rhs: A.Expr, rhs_node: S.Node, resolver: Resolver) -> A.Expr:
    """`\\mathcal{L} = \\mathcal{L}(g, y)`: a quantity defined as the generic function of its
    own name at the arguments listed (the per-example loss of a source that leaves it
    generic), not as itself, which would be a cycle."""
    items = items_of(unwrap(rhs_node))
    if not (isinstance(rhs, A.Ref) and rhs.name == lhs.name and not rhs.indices and
            rhs.layer is None and len(items) == 2 and is_paren(items[1]) and
            len(items[1].items) > 1):
        return rhs
    resolver.readings.append(f"{lhs.name} read as a generic function of "
                             f"{len(items[1].items)} arguments at those listed")
    return A.Call(rhs.pos, lhs.name, A.Tuple(items[1].pos, tuple(
        resolver.expr(i) for i in items[1].items)))


def _local(body: A.Expr, params: set[str]) -> A.Expr:
    """A function's body with its parameters as plain local names, even where the conventions
    put a family of the same letter on a layer (`\\sigma(z) = …` beside `z = w^T x + b`)."""
    return A.mapped(body, lambda node: replace(node, layer=None) if isinstance(node, A.Ref) and
                    node.name in params and not node.indices else None)


def context_for(prep: Prepared, claim: ParsedClaim, claim_exprs: list[A.Expr]) -> Context:
    """The definitions, functions and inferred ranges in force for one claim."""
    lex = prep.lex
    resolver = Resolver(lex, prep.conv)
    ctx = Context(lex, layered=set(lex.layered) | prep.conv.layer_subscripts |
                  set(prep.conv.vector_layers))
    entries = [((1,), t, s) for t, s in claim.defines] + [((0,), t, s) for t, s in prep.defines]
    items: list[Definition] = []
    for order, (rank, text, stmt) in enumerate(entries):
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
        if any(d.name == item.name and d.layer == item.layer and d.indices == item.indices and
               (d.sample is None) == (item.sample is None)
               for d in items):
            continue                      # a claim's own definition replaces the file's
        items.append(item)
    ctx.readings.extend(prep.conv.readings + tuple(resolver.readings))
    if any(isinstance(n, A.Sum) and isinstance(n.lo, A.Num) and n.lo.value == 0
           for d in items for n in A.walk(d.rhs)) and \
            any(isinstance(n, A.Sum) and n.lo is None for e in claim_exprs for n in A.walk(e)):
        ctx.readings.append("a sum without bounds runs over units 1..n_l, without the bias unit "
                            "0 that the definitions sum from 0: write \\sum_{i=0}^{n_l} to "
                            "include it")
    sets = {**prep.file.sets, **claim.spec.sets}
    if "L" not in sets and any(isinstance(n, A.Sum) and isinstance(n.within, A.Index) and
                               n.within.var == "L" for e in claim_exprs for n in A.walk(e)):
        ctx.readings.append("\\sum_{\\ell \\in L} read as a sum over the output layer L "
                            "(no `sets` entry names L)")
    if _implicit_layers(prep, items):
        items = _relayer(prep, claim, ctx, items, claim_exprs)
        claim_exprs = [ctx.relayer(e) for e in claim_exprs]
    items = _output_layer_letters(items, ctx.readings)
    ctx.aliases = layer_aliases(items, ctx.layered)
    if ctx.aliases:                                   # \mathbf{a} = \mathbf{a}^M
        items = [replace(d, rhs=with_aliases(d.rhs, ctx.aliases)) for d in items
                 if not (d.name in ctx.aliases and d.layer is None and not d.indices)]
        claim_exprs = [with_aliases(e, ctx.aliases) for e in claim_exprs]
        ctx.readings.extend(f"{name} printed without a layer read as {name} on layer {i} (a "
                            "definition equates them)" for name, i in ctx.aliases.items())
    implied: list[Definition] = []
    if prep.conv.sample_letters or prep.file.examples is not None:
        same = same_letter_batches(items)
        if same:
            items = [replace(d, rhs=example_of_batch(d.rhs, same),
                             name=d.name + EXAMPLE_MARK if d.name in same and d.sample
                             else d.name) for d in items]
            claim_exprs = [example_of_batch(e, same) for e in claim_exprs]
            ctx.layered |= {name + EXAMPLE_MARK for name in same & ctx.layered}
            ctx.readings.extend(f"{name} is the batch matrix and {name} printed with an "
                                f"example (its definition's {name}^{{(i)}}) that example's "
                                "own values" for name in sorted(same))
        one_output = prep.file.layers is not None and all(
            widths[-1] == 1 for widths in prep.file.layers)
        if one_output:
            listed = listed_numbers(items, claim_exprs, prep.conv.vector_layers)
            ctx.readings.extend(f"{new.rhs.name} is one number per example (one output), so "
                                f"{new.name} is the row {new.name}_{{1j}} = {new.rhs.name}^{{(j)}}"
                                for old, new in zip(items, listed) if old is not new)
            items = listed
        implied = implied_batch_matrices(items, claim_exprs, one_output,
                                         prep.conv.vector_layers)
        ctx.readings.extend(f"{d.name} read as the batch matrix of the examples, "
                            f"{d.text} (one example per {'row' if d.indices[0].var == '#i' else 'column'}"
                            f"), as the file defines no {d.name}; define it to say otherwise"
                            for d in implied)
        items = items + implied
    groups: list[list[A.Expr]] = []
    for item in items:
        ctx.definitions.setdefault(item.name, []).append(item)
        ctx.read_by_definitions.update(r.name for r in refs(item.rhs))
        groups.append([A.Ref(0, item.name, item.layer, item.indices), item.rhs])
    for table in ctx.definitions.values():
        table.sort(key=lambda d: d.rank, reverse=True)
    ctx.inputs = _input_families(items, prep.conv.first_layer)
    ctx.cost, ctx.rate = _descent(prep, resolver, items, claim_exprs, ctx)
    ctx.sample_letters = prep.conv.sample_letters or frozenset(
        d.rhs.sample.var for d in implied if d.rhs.sample is not None)   # X W_1, X implied
    ctx.batch_file = prep.file.examples is not None
    if ctx.sample_letters:
        ctx.batch_slots = batch_slots(items)
        ctx.batched = batched_families(items, ctx.batch_slots)
        ctx.per_example = per_example_families(items, claim_exprs, ctx.sample_letters,
                                               ctx.batch_slots)
        ctx.totals = example_totals(items, ctx.per_example, ctx.sample_letters)
        printed = sorted(s for s in ctx.sample_letters if not s.startswith("#"))
        if printed:
            ctx.readings.append(f"{', '.join(printed)} counts the training examples: "
                                "quantities printed with it, and those computed from them, "
                                "have a value for each example")
        for n, axis in ((1, "column"), (0, "row")):
            names = sorted(name for name, slot in ctx.batch_slots.items() if slot == n)
            if names:
                ctx.readings.append(f"{', '.join(names)} {'holds' if len(names) == 1 else 'hold'}"
                                    f" the whole batch, one example per {axis} (the "
                                    "definition indexes it by the example); a vector added "
                                    f"to such a matrix is added to every {axis}, as NumPy "
                                    "broadcasts it")
        ctx.readings.extend(_batch_total_readings(ctx, [d.rhs for d in items] + claim_exprs))
    ctx.given = _given_letters(items)
    groups.append(list(claim_exprs))
    ctx.slots = infer_slots(groups, ctx.layered, lex.defined, ctx.batch_slots)
    for name in {r.name for e in claim_exprs for r in refs(e)}:
        if _stepped(name, ctx) and name not in ctx.definitions:     # Δw: shaped as w is
            base = stepped_base(name)
            if base in ctx.layered:
                ctx.layered.add(name)
            if base in ctx.slots:
                ctx.slots[name] = list(ctx.slots[base])
    ctx.row_vectors = row_vectors(groups[:-1], ctx.layered)
    if ctx.row_vectors:
        ctx.readings.append("vectors are rows in this source (a definition multiplies the "
                            "vector of the layer before by the layer's matrix, h^{l-1} W^l)")
        ctx.readings.extend(f"{name}^{{(k)}} read as the weights leaving layer k (a row-form "
                            f"definition multiplies layer k's vector by it to give layer k+1)"
                            for name in sorted(sending_labels(groups[:-1], ctx.layered)))
        ctx.column_vectors = transposed_vectors(groups[:-1], ctx.layered)
        if ctx.column_vectors:
            ctx.readings.append(f"{', '.join(sorted(ctx.column_vectors))} read as column "
                                "vectors: a row-form definition adds them transposed")
    for stmt, number in prep.value_keys:
        ref = resolver.expr(stmt.chains[0].exprs[0]) if stmt.chains else None
        if isinstance(ref, A.Ref):
            ref = _value_layer(prep, ctx, ref)
            layer = ref.layer.offset if ref.layer is not None and ref.layer.var is None else None
            units = tuple(i.offset for i in ref.indices)
            ctx.values[sp.Symbol(symbol_name(ref.name, layer, units))] = sp.Rational(number)
            ctx.value_names.add(ref.name)
            ctx.value_units.setdefault(ref.name, set()).add(units)
    return ctx


def _value_layer(prep: Prepared, ctx: Context, ref: A.Ref) -> A.Ref:
    """A `values` key of a family printed without a layer script (`'v_{2,1}' = 0.25`) on the
    layer unification pinned it to, where every network of the file has that layer."""
    sol = ctx.claim_layers
    if sol is None or ref.layer is not None or ref.name not in sol.families.pinned:
        return ref
    layer = sol.families.ref_layer(ref, sol)
    if layer is not None and layer.var == "L":
        depths = {prep.conv.first_layer + len(widths) - 1 for widths in prep.file.layers or ()}
        if len(depths) != 1:
            return ref
        layer = A.Index(None, depths.pop() + layer.offset, A.Role.LAYER)
    return replace(ref, layer=layer) if layer is not None else ref


def _batch_total_readings(ctx: Context, exprs: list[A.Expr]) -> list[str]:
    """Say where a sum over the examples adds up the examples of a batch matrix."""
    out = []
    for e in exprs:
        for s in A.walk(e):
            axis = batch_total(s, ctx) if isinstance(s, A.Sum) else None
            unindexed = isinstance(s, A.Sum) and s.var == A.UNINDEXED
            if axis is not None:
                printed = "\\sum without an index" if unindexed else \
                    f"\\sum_{{{s.var}}} over a whole batch matrix that does not use {s.var}"
                out.append(f"{printed} read as the sum over the examples: across its {axis}")
            elif unindexed:
                out.append(ONE_TERM)
    return sorted(set(out))


def _implicit_layers(prep: Prepared, items: list[Definition]) -> bool:
    """A file with `layers` in which no family carries a layer script (neither printed nor a
    digit subscript the conventions read as one): one generic layer."""
    return prep.file.layers is not None and not prep.lex.layered and \
        not prep.conv.layer_subscripts and not prep.conv.vector_layers and \
        any(d.indices for d in items)


def _relayer(prep: Prepared, claim: ParsedClaim, ctx: Context, items: list[Definition],
             claim_exprs: list[A.Expr]) -> list[Definition]:
    """Give every family printed without a layer script its layer, by unification."""
    formulas = [d.rhs for d in items] + list(claim_exprs)
    implicit = {r.name for e in formulas for r in refs(e) if r.indices and not _width(r)} | \
        {d.name for d in items if d.indices}
    implicit -= set(ctx.functions)
    lhs = {id(d): A.Ref(0, d.name, None, d.indices) for d in items}
    by_letter = {d.name for d in items if any(i.var is not None for i in d.indices) or
                 not d.indices}       # y_1 = 0, y_2 = 1 alone: placed by where y is used
    steps = [(r, replace(r, name=r.name[1:])) for e in claim_exprs for r in refs(e)
             if r.name.startswith("Δ") and r.indices and r.name[1:] in implicit]
    fam = layers.solve([(lhs[id(d)], d.rhs) for d in items] + steps, implicit, by_letter,
                       dict(prep.file.sets), prep.conv.first_layer)   # Δw_{ij}: w_{ij}'s layers
    if prep.file.layers and all(len(w) == 1 for w in prep.file.layers):
        fam.only = prep.conv.first_layer              # layers = [[3], [4]]: one layer of units
    deps: dict[str, set[str]] = {}
    for d in items:
        deps.setdefault(d.name, set()).update(r.name for r in refs(d.rhs))
    out = []
    for d in items:
        sol = layers.solve_formula(fam, [lhs[id(d)], d.rhs], lhs=lhs[id(d)], deps=deps)
        head = sol.relayer(lhs[id(d)])
        layer = head.layer if isinstance(head, A.Ref) else None
        concrete = int(layer is not None and layer.var in (None, "L"))
        rank = d.rank[:-2] + (concrete, d.rank[-1])
        out.append(Definition(d.name, layer, d.indices, sol.relayer(d.rhs), d.text, rank,
                              d.sample))
        ctx.readings.extend(_defaulted(sol, d.text))
    fam.sets.update(claim.spec.sets)          # a claim's own `sets` are for the claim alone
    ctx.claim_layers = layers.solve_formula(fam, list(claim_exprs))
    ctx.layered |= implicit
    ctx.readings.append("families printed without a layer script are read as units of some "
                        "layer, related by the definitions; the claim is checked on every "
                        "layer where it is in range")
    ctx.readings.extend(_defaulted(ctx.claim_layers, claim.spec.latex))
    return out


def _width(ref: A.Ref) -> bool:
    """`n_L`, `N_L`: the width of the output layer, not a family of units."""
    return ref.name in N.WIDTH_LETTERS and len(ref.indices) == 1 and \
        ref.indices[0].var == "L"


def _defaulted(sol, where: str) -> list[str]:
    return [f"{v} in {where[:40]!r} read as on the output layer (no `sets` entry says "
            "otherwise)" for v in dict.fromkeys(sol.defaulted)]


#: Letters a source may print for the learning rate, besides \eta.
RATE_LETTERS = ("η", "α", "μ", "γ", "λ", "ε", "ϵ", "ρ")


def trained_refs(prep: Prepared, resolver: Resolver) -> list[A.Ref]:
    """The file's `trained` names, each read as a quantity (w_1, w^{2}_{11})."""
    out = []
    for text in prep.file.trained:
        value = resolver.expr(parse(text, file=prep.file.path).chains[0].exprs[0])
        if not isinstance(value, A.Ref):
            raise SymbpError(f"`trained` entry {text!r} must name a parameter, such as w_1")
        out.append(value)
    return out


def _descent(prep: Prepared, resolver: Resolver, items: list[Definition],
             claim_exprs: list[A.Expr], ctx: Context) -> tuple[A.Ref | None, A.Ref | None]:
    """What an update step descends and at which rate: the file's `cost` and `rate`, else
    the last quantity defined that no other definition uses, and \\eta (or the one rate letter
    the claim prints instead, said in a reading)."""
    def named(text: str, key: str) -> A.Ref:
        value = resolver.expr(_parse_where(text, prep.file.path, key).chains[0].exprs[0]) \
            if "=" in text else resolver.expr(parse(text, file=prep.file.path).chains[0].exprs[0])
        if not isinstance(value, A.Ref):
            raise SymbpError(f"`{key}` must name a quantity, such as C or \\eta")
        return value
    cost = named(prep.file.cost, "cost") if prep.file.cost else None
    if cost is None:
        scalars = [d for d in items if not d.indices and d.layer is None and
                   not d.name.startswith("Δ") and d.sample is None and
                   not any(isinstance(n, A.Deriv) for n in A.walk(d.rhs))]   # not dw = ∂J/∂w
        sinks = [d for d in scalars       # read by no other definition, save a derivative's
                 if not any(r.name == d.name and r.sample is None      # C_x is not C
                            for o in items if o.name != d.name for r in refs(o.rhs)
                            if not _only_differentiated(o.rhs, d.name))]
        chosen = (sinks or scalars)[-1:]
        cost = A.Ref(0, chosen[0].name, None, ()) if chosen else None
        per_example = [d for d in items if not d.indices and d.layer is None and
                       d.sample is not None and not d.name.startswith("Δ")]
        if cost is None and len({d.name for d in per_example}) == 1:   # E(n): Haykin's
            cost = A.Ref(0, per_example[0].name, None, (), per_example[0].sample)
    if prep.file.rate:
        return cost, named(prep.file.rate, "rate")
    if not any(r.name.startswith("Δ") or r.name.endswith((AFTER_STEP, PRIMED))
               for e in claim_exprs for r in refs(e)):
        return cost, A.Ref(0, "η", None, ())
    free = {r.name for e in claim_exprs for r in refs(e) if not r.indices and
            r.layer is None and r.sample is None and r.name not in ctx.definitions and
            r.name not in ctx.read_by_definitions and r.name not in BATCH_NAMES and
            r.name not in prep.conv.sample_letters and r.name != "L"}
    printed = (free & set(RATE_LETTERS)) or free     # a rate letter, else the one free scalar
    if "η" not in printed and len(printed) == 1:
        letter = printed.pop()
        ctx.readings.append(f"{letter} read as the learning rate of the update (the claim "
                            "prints no η)")
        return cost, A.Ref(0, letter, None, ())
    return cost, A.Ref(0, "η", None, ())


def _only_differentiated(expr: A.Expr, name: str) -> bool:
    """`name` appears in `expr` only as what a derivative differentiates (δ = ∂C/∂z reads
    C so): such a definition does not make C an intermediate quantity."""
    inside = {id(r) for d in A.walk(expr) if isinstance(d, A.Deriv) for r in refs(d.num)}
    return all(id(r) in inside for r in refs(expr) if r.name == name)


def _output_layer_letters(items: list[Definition], readings: list[str]) -> list[Definition]:
    """A definition without a layer that reads a layer letter it does not bind (`L = -(y
    \\ln(a^{[l]}) + …)`, a cost: the source means a^{[L]}) reads the output layer there, as the
    report says. One whose left side binds another letter has no value on any layer: say
    where, never a bare "no instance"."""
    out = []
    for d in items:
        own = d.layer.var if d.layer is not None else None
        summed = {s.var for s in A.walk(d.rhs) if isinstance(s, A.Sum)}
        loose = {node.layer.var for node in A.walk(d.rhs) if isinstance(node, A.Ref) and
                 node.layer is not None and node.layer.var not in (None, "L", own, *summed)}
        if loose and d.layer is not None:
            raise SymbpError(f"the definition {d.text.strip()} reads layer {min(loose)}, which "
                             f"its left side does not carry: print the layer it means (L for "
                             "the output layer)")
        if loose:
            d = replace(d, rhs=A.mapped(d.rhs, lambda n: replace(
                n, layer=replace(n.layer, var="L")) if isinstance(n, A.Ref) and
                n.layer is not None and n.layer.var in loose else None))
            readings.append(f"layer {', '.join(sorted(loose))} in {d.text.strip()} read as the "
                            "output layer: the definition has no layer of its own")
        out.append(d)
    return out


def _given_letters(items: list[Definition]) -> dict[str, list[A.Expr]]:
    """Unit letters a definition uses but does not bind (`C = -\\ln a^L_y`: y, the desired
    class): every claim is checked for each of their values; the right sides say their range."""
    out: dict[str, list[A.Expr]] = {}
    for d in items:
        own = {i.var for i in d.indices if i.var is not None}
        if d.sample is not None and d.sample.var is not None:
            own.add(d.sample.var)                  # a^{(i)} = (A)_{i1}: row i of the batch
        if d.layer is not None and d.layer.var is not None:
            own.add(d.layer.var)                   # d^{(l)} = n_l: l is the layer's own
        for letter in layers.free_letters([d.rhs]):
            if letter not in own and letter != "L" and not letter.startswith("layer("):
                out.setdefault(letter, []).append(d.rhs)
        for node in A.walk(d.rhs):                    # y_i = 1(i = c): c runs as y's i does
            if isinstance(node, A.Indicator) and node.rel == "=":
                for a, b in ((node.left, node.right), (node.right, node.left)):
                    if isinstance(a, A.Ref) and isinstance(b, A.Ref) and b.name in out and \
                            not a.indices and not b.indices and a.name in own:
                        slots = tuple(replace(i, var=b.name) if i.var == a.name else i
                                      for i in d.indices)
                        out[b.name].append(A.Ref(node.pos, d.name, d.layer, slots, d.sample))
    return out


def _input_families(items: list[Definition], first: int) -> set[str]:
    """Families the definitions read one layer below their own (a^{l-1} in z^l's definition),
    or that a definition on the first layer reads there (z^{[1]} in a^{[1]} = g(z^{[1]})): on
    the input layer, where no definition gives them, they are the free inputs."""
    out = set()
    for d in items:
        if d.layer is not None and d.layer.var is None and d.layer.offset in (first, first + 1):
            out.update(r.name for r in refs(d.rhs) if r.layer is not None and
                       r.layer.var is None and r.layer.offset == first)   # a_0 in z_1 = a_0 W_1
        if d.layer is None or d.layer.var is None:
            continue
        for r in refs(d.rhs):
            if r.layer is not None and r.layer.var == d.layer.var and \
                    r.layer.offset < d.layer.offset:
                out.add(r.name)
    return out


def unknown_names(ctx: Context, exprs: list[A.Expr]) -> list[SymbpError]:
    """Indexed families that no definition gives or uses: almost always a typo (s_i for S_i).
    One that only ever stands below a derivative (∂e/∂s_i) is returned: nothing depends on it,
    so the claim may still be refuted with that derivative 0, though never proved so. Any
    other use is refused at once."""
    found: dict[str, SymbpError] = {}
    below = {id(n.wrt) for e in exprs for n in A.walk(e) if isinstance(n, A.Deriv)}
    for expr in exprs:
        bounds = {id(r) for s in A.walk(expr) if isinstance(s, A.Sum)
                  for bound in (s.lo, s.hi) if bound is not None for r in refs(bound)}
        for ref in refs(expr):
            known = ref.name in ctx.definitions or ref.name in ctx.read_by_definitions or \
                ref.name in ctx.value_names or id(ref) in bounds or _stepped(ref.name, ctx)
            if known or not (ref.indices or ref.layer is not None):
                continue
            err = SymbpError(f"{ref.name} is not defined, and no definition uses it",
                             column=ref.pos + 1)
            if id(ref) not in below:
                raise err
            found.setdefault(ref.name, err)
    return list(found.values())


def _stepped(name: str, ctx: Context) -> bool:
    """Δw (or w^{+}) where w is a quantity of the file: a gradient-descent step (on
    `ctx.cost`), or the quantity after it."""
    base = stepped_base(name)
    if base is not None and name.endswith(PRIMED) and base in ctx.definitions:
        return False                            # a' of a computed a is no step
    return base is not None and ctx.cost is not None and (
        base in ctx.definitions or base in ctx.read_by_definitions)


def check_known_names(ctx: Context, exprs: list[A.Expr]) -> None:
    """A derivative of a quantity that nothing defines would be 0: refused."""
    for expr in exprs:
        for node in A.walk(expr):
            if isinstance(node, A.Deriv) and isinstance(node.num, A.Ref):
                name = node.num.name
                if name not in ctx.definitions and name not in ctx.read_by_definitions:
                    raise SymbpError(f"{name} is differentiated but never defined, so its "
                                     "derivative would be 0", column=node.num.pos + 1)
