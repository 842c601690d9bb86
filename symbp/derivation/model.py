"""The resolved content of a derivation file: definitions, functions, families and their ranges.

`Context` is what evaluation needs: the definitions of each family (most specific first), the
defined functions, and for every unit slot of every family the layer it runs over, inferred
from the uses (`infer_slots`): in `z^l_j = \\sum_k w^l_{jk} a^{l-1}_k`, slot 2 of `w^l` runs over
layer l-1 because `k` also indexes `a^{l-1}`.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace

from symbp.notation import ast as A
from symbp.notation.lexicon import Lexicon
from symbp.notation.conventions import WEIGHT_LETTERS

#: A slot's layer: ("rel", k) is the family's own layer plus k; ("abs", Level) a fixed layer;
#: SAMPLE_SLOT the examples of the batch (a batch matrix's columns or rows).
Slot = tuple
SAMPLE_SLOT: Slot = ("sample",)

#: `w^{+}`: the quantity after one gradient-descent step (Mazur), as `Δw` is the step itself.
AFTER_STEP = "^+"


#: The mark of a name printed with one prime (`w_5'`): w after a step, where w is a parameter.
PRIMED = "\u2032"


def layer_aliases(definitions: list[Definition], layered: set[str]) -> dict[str, A.Index]:
    """`\\mathbf{a} = \\mathbf{a}^M` (Hagan): a layered family printed without its layer is
    that family on the layer the definition names."""
    return {d.name: d.rhs.layer for d in definitions
            if d.name in layered and d.layer is None and not d.indices and d.sample is None and
            isinstance(d.rhs, A.Ref) and d.rhs.name == d.name and d.rhs.layer is not None and
            not d.rhs.indices and d.rhs.layer.var in (None, "L")}


def with_aliases(expr: A.Expr, aliases: dict[str, A.Index]) -> A.Expr:
    """`expr` with each aliased family printed without a layer put on its layer."""
    return A.mapped(expr, lambda n: replace(n, layer=aliases[n.name]) if isinstance(n, A.Ref)
                    and n.name in aliases and n.layer is None else None)


def stepped_base(name: str) -> str | None:
    """w for `Δw` (the step) and for `w^+` or `w'` (w after it); None for any other name."""
    if name.startswith("Δ") and len(name) > 1:
        return name[1:]
    if name.endswith(AFTER_STEP) and len(name) > len(AFTER_STEP):
        return name[:-len(AFTER_STEP)]
    if name.endswith(PRIMED) and len(name) > 1 and not name.endswith(PRIMED * 2):
        return name[:-1]
    return None


@dataclass(frozen=True)
class Definition:
    """`name^{layer}_{indices} = rhs`; `rank` orders candidates (most specific first)."""

    name: str
    layer: A.Index | None
    indices: tuple[A.Index, ...]
    rhs: A.Expr
    text: str
    rank: tuple
    sample: A.Index | None = None        # C_x = ...: the example letter of the left side


@dataclass(frozen=True)
class FunctionDef:
    """`\\sigma(t) = ...`: a function of its parameters."""

    name: str
    params: tuple[str, ...]
    body: A.Expr


@dataclass
class Context:
    """Everything evaluation needs to know about one claim's file."""

    lex: Lexicon
    definitions: dict[str, list[Definition]] = field(default_factory=dict)
    functions: dict[str, FunctionDef] = field(default_factory=dict)
    slots: dict[str, list[Slot | None]] = field(default_factory=dict)
    read_by_definitions: set[str] = field(default_factory=set)
    values: dict[tuple, object] = field(default_factory=dict)
    value_names: set[str] = field(default_factory=set)       # families `values` gives numbers
    value_units: dict[str, set[tuple[int, ...]]] = field(default_factory=dict)  # their units
    layered: set[str] = field(default_factory=set)          # families with a layer index
    inputs: set[str] = field(default_factory=set)           # free on the input layer if undefined
    readings: list[str] = field(default_factory=list)
    plain: set[str] = field(default_factory=set)             # layered names used as variables
    claim_layers: object = None                              # layers.Solution of the claim
    given: dict[str, list[A.Expr]] = field(default_factory=dict)  # C = -\ln a^L_y: y, where
    row_vectors: bool = False             # vectors are rows: u^l = h^{l-1} W^l + b^l
    column_vectors: set[str] = field(default_factory=set)  # but these are columns: + b_1^T
    sample_letters: frozenset = frozenset()  # letters that count training examples
    batch_file: bool = False              # the file sets `examples`: a bare m, n, N, B counts them
    per_example: set[str] = field(default_factory=set)   # families with a value per example
    totals: set[str] = field(default_factory=set)        # C = (1/n) Σ_x C_x: one per batch
    batch_slots: dict[str, int] = field(default_factory=dict)  # X_{ki} = x^{(i)}_k: X's slot 1
    batched: set[str] = field(default_factory=set)     # computed from a batch matrix
    aliases: dict[str, A.Index] = field(default_factory=dict)  # a = a^M: a is a^M
    cost: A.Ref | None = None             # what an update step descends
    rate: A.Ref | None = None             # its learning rate

    def relayer(self, expr: A.Expr) -> A.Expr:
        """The claim's expression with every implicit family given its layer index."""
        expr = self.claim_layers.relayer(expr, frozenset(self.plain)) \
            if self.claim_layers is not None else expr
        return with_aliases(expr, self.aliases) if self.aliases else expr

    def relayer_chains(self, chains: list[list[A.Relation]]) -> list[list[A.Relation]]:
        return [[A.Relation(self.relayer(r.left), self.relayer(r.right), r.rel, r.pos)
                 for r in links] for links in chains]

    def nslots(self, name: str) -> int:
        return len(self.slots.get(name, ()))

    @property
    def examples_as(self) -> str | None:
        """"columns" or "rows" where a batch matrix holds one example per column (X_{ki} =
        x^{(i)}_k, Ng) or per row (X_{ik}, CS231n); None in a file without one."""
        axes = {"columns" if n == 1 else "rows" for n in self.batch_slots.values()}
        return axes.pop() if len(axes) == 1 else None


def batched_families(definitions: list[Definition], batch: Collection[str]) -> set[str]:
    """The batch matrices and every family computed from one (Z^{[1]} = W^{[1]} X + b^{[1]},
    J = \\frac{1}{m} \\sum_i …): what holds or sums over the whole batch."""
    found = set(batch)
    changed = bool(found)
    while changed:
        changed = False
        for d in definitions:
            if d.name not in found and any(r.name in found for r in refs(d.rhs)):
                found.add(d.name)
                changed = True
    return found


def implied_batch_matrices(definitions: list[Definition], claim_exprs: list[A.Expr],
                           one_output: bool = False,
                           vector_layers: dict[str, int] | None = None) -> list[Definition]:
    """Ng's convention where the file does not write it, in a file that counts examples: an
    undefined capital letter used whole beside its small letter printed per example (`Y` beside
    `y^{(i)}`), or fed to a layer's matrix (`Z^{[1]} = W^{[1]} X + b^{[1]}`), is the batch
    matrix of the examples, one per column, or per row where it multiplies the matrix from the
    left (`X W_1`), and so is one that a layer is defined as (`A^{[0]} = X`): the entry
    definition `X_{ki} = x^{(i)}_k` is implied. Where every network
    has one output (`one_output`, logistic regression), a small letter that is never indexed
    nor multiplied by a matrix or a transposed vector is a number per example, and its capital
    the row `Y_{1i} = y^{(i)}`. `vector_layers`: the layer of each unscripted vector
    (`symbp.notation.conventions`)."""
    exprs = [d.rhs for d in definitions] + list(claim_exprs)
    defined = {d.name for d in definitions}
    printed = {r.name for e in exprs for r in refs(e) if r.sample is not None}
    products = [m for d in definitions for m in A.walk(d.rhs) if isinstance(m, A.Mul)]
    inputs = {d.rhs.name: d.name for d in definitions if isinstance(d.rhs, A.Ref) and
              d.layer is not None and d.layer.var is None and not d.indices}   # A^{[0]} = X
    out, seen = [], set()
    for e in exprs:
        for r in refs(e):
            small = r.name.lower()
            placed = r.layer is not None and r.name in (vector_layers or {}) and \
                r.name not in WEIGHT_LETTERS                                  # X in X W_1
            if r.name in seen or r.name in defined or len(r.name) != 1 or not r.name.isupper() \
                    or r.indices or (r.layer is not None and not placed) or \
                    r.sample is not None:
                continue
            layouts = {_layout(m, r.name) for m in products} - {None} or \
                ({_layout(m, inputs[r.name]) for m in products} - {None} or {"columns"}
                 if r.name in inputs else set())        # H^0 = X beside H^{l-1} W^l: rows
            rows = "rows" in layouts
            if small not in printed and not layouts:
                continue
            seen.add(r.name)
            unit, example = A.Index("#k", 0, A.Role.UNIT), A.Index("#i", 0, A.Role.UNIT)
            rhs = A.Ref(r.pos, small, None, (unit,), A.Index("#i", 0, A.Role.SAMPLE))
            if one_output and not layouts and small in printed and \
                    _a_number(small, exprs, definitions):
                unit = A.Index(None, 1, A.Role.UNIT)
                rhs = replace(rhs, indices=())
            if small in (vector_layers or {}):                  # x on the inputs: x_k there
                rhs = replace(rhs, layer=A.Index(None, vector_layers[small], A.Role.LAYER),
                              indices=(unit,))
            text = f"{r.name} = [{small}^{{(1)}} \\ldots {small}^{{(m)}}]" + ("^T" if rows else "")
            out.append(Definition(r.name, r.layer if placed else None,
                                  (example, unit) if rows else (unit, example),
                                  rhs, text, (0, 0, 0, -len(definitions) - len(out))))
    return out


def listed_numbers(definitions: list[Definition], claim_exprs: list[A.Expr],
                   vector_layers: dict[str, int]) -> list[Definition]:
    """`Y = [y_1, y_2, \\ldots, y_m]` (read as `Y_{kj} = y^{(j)}_k`) where every network has
    one output and y is a number per example: the row `Y_{1j} = y^{(j)}` (a on the output
    layer: its one unit). Other definitions as they are."""
    exprs = [d.rhs for d in definitions] + list(claim_exprs)
    out = []
    for d in definitions:
        r = d.rhs
        elsewhere = [e for e in exprs if e is not r]
        if isinstance(r, A.Ref) and r.sample is not None and len(r.indices) == 1 and \
                len(d.indices) == 2 and d.indices[0] == r.indices[0] and r.layer is None and \
                (any(u.name == r.name and u.sample is not None for e in elsewhere
                     for u in refs(e)) or
                 any(o.name == r.name and o.sample is not None for o in definitions)) and \
                _a_number(r.name, elsewhere, definitions):
            unit = A.Index(None, 1, A.Role.UNIT)
            layer = vector_layers.get(r.name)
            rhs = replace(r, indices=()) if layer is None else \
                replace(r, layer=A.Index(None, layer, A.Role.LAYER), indices=(unit,))
            d = replace(d, indices=(unit, d.indices[1]), rhs=rhs)
        out.append(d)
    return out


def _a_number(name: str, exprs: list[A.Expr], definitions: list[Definition]) -> bool:
    """`y^{(i)}` printed only whole and never beside a matrix or a transposed vector (as
    `w^T x^{(i)}` puts x), and defined, if at all, without indices: one number per example."""
    if any(d.name == name and d.indices for d in definitions):
        return False
    for e in exprs:
        for node in A.walk(e):
            if isinstance(node, A.Ref) and node.name == name and node.indices:
                return False
            if isinstance(node, A.Mul) and any(
                    isinstance(f, A.Ref) and f.name == name for f in node.factors) and any(
                    isinstance(f, A.Transpose) or (isinstance(f, A.Ref) and f.layer is not None)
                    for f in node.factors):
                return False
    return True


def _layout(m: A.Mul, name: str) -> str | None:
    """How a product feeds `name` to a matrix with a layer: "rows" for `X W_1` (X on the
    left), "columns" for `W^{[1]} X`, None where it does neither."""
    pairs = list(zip(m.factors, m.factors[1:]))
    for f, g in pairs:
        for vector, matrix, layout in ((f, g, "rows"), (g, f, "columns")):
            matrix = matrix.arg if isinstance(matrix, A.Transpose) else matrix   # X W^{(1)\top}
            if isinstance(vector, A.Ref) and vector.name == name and \
                    isinstance(matrix, A.Ref) and matrix.layer is not None:
                return layout
    return None


#: The key of example i's own quantity where the batch matrix has the same letter.
EXAMPLE_MARK = "^{(i)}"


def same_letter_batches(definitions: list[Definition]) -> set[str]:
    """`x_{n,k} = x^{(n)}_k`, `y_{i,1} = y^{(i)}`, `a_2^{(i)} = (a_2)_{i,1}`: a batch matrix
    and the same letter printed per example, tied by a definition, as NumPy tutorials name
    both the batch x and its rows x^{(n)}."""
    return {d.name for d in definitions for r in refs(d.rhs) if r.name == d.name and (
        (d.sample is None and d.indices and r.sample is not None) or     # y_{i,1} = y^{(i)}
        (d.sample is not None and r.sample is None and r.indices))}      # a^{(i)} = (a)_{i,1}


def example_of_batch(expr: A.Expr, names: set[str]) -> A.Expr:
    """`expr` with every per-example use of those batch letters (`x^{(n)}_k`) renamed apart
    from the batch matrix (`x`), so that the one is not read as defined by itself."""
    return A.mapped(expr, lambda e: replace(e, name=e.name + EXAMPLE_MARK)
                    if isinstance(e, A.Ref) and e.name in names and e.sample is not None
                    else None)


def batch_slots(definitions: list[Definition]) -> dict[str, int]:
    """Families whose entries are examples: in `X_{ki} = x^{(i)}_k` the letter i is the
    example of the right side, so X's second index runs over the examples of the batch; so
    does A's in `a^{[L](i)} = A^{[L]}_{1i}`, which ties example i to a column."""
    out: dict[str, int] = {}
    for d in definitions:
        letters = {r.sample.var for r in refs(d.rhs)
                   if r.sample is not None and r.sample.var is not None}
        for n, index in enumerate(d.indices):
            if index.var in letters and index.offset == 0:
                out[d.name] = n
        if d.sample is not None and d.sample.var is not None and isinstance(d.rhs, A.Ref):
            for n, index in enumerate(d.rhs.indices):   # a^{[L](i)} = A^{[L]}_{1i}: A's slot 2
                if index.var == d.sample.var and index.offset == 0 and len(d.rhs.indices) == 2:
                    out.setdefault(d.rhs.name, n)
    return out


def per_example_families(definitions: list[Definition], claim_exprs: list[A.Expr],
                         samples: frozenset, batch: Collection[str] = ()) -> set[str]:
    """Families with a value for each training example: those printed with an example
    (`a^{x,1}`, `C_x`, `y(x)`) and, through the definitions, everything computed from them
    outside a sum over the examples (C = \\frac{1}{n}\\sum_x C_x is one number) and outside
    a batch matrix, which holds every example (X_{ki} = x^{(i)}_k)."""
    defined = {d.name for d in definitions}
    found = {r.name for d in definitions for r in refs(d.rhs) if r.sample is not None}
    found |= {r.name for e in claim_exprs for r in refs(e)      # not J_i where the file
              if r.sample is not None and r.name not in defined}  # defines J = 1/m Σ_i …
    found |= {d.name for d in definitions if d.sample is not None}
    changed = True
    while changed:
        changed = False
        for d in definitions:
            if d.name not in found and d.name not in batch and \
                    any(r.name in found for r in _outside_example_sums(d.rhs, samples)):
                found.add(d.name)
                changed = True
    return found


def example_totals(definitions: list[Definition], per_example: set[str],
                   samples: frozenset) -> set[str]:
    """Families defined, without an example, as a sum over the examples of per-example
    quantities (`C = \\frac{1}{n}\\sum_x C_x`): one number for the batch, even where the same
    letter is printed with an example elsewhere (C_x)."""
    out = set()
    for d in definitions:
        if d.sample is None and not any(r.name in per_example
                                        for r in _outside_example_sums(d.rhs, samples)) and \
                any(r.name in per_example for r in refs(d.rhs)):
            out.add(d.name)
    return out


def over_examples(s: A.Sum, samples: frozenset) -> bool:
    """A sum over the training examples: its letter counts them, or (in a file that counts
    examples) it indexes nothing in its summand (`\\frac{1}{2n}\\sum_i (y - a(w,b))^2`)."""
    if s.var in samples:
        return True
    return bool(samples) and s.within is None and not any(
        s.var in (i.var for i in r.indices) or (r.layer is not None and r.layer.var == s.var)
        for r in A.walk(s.body) if isinstance(r, A.Ref))


def batch_total(s: A.Sum, ctx: "Context") -> str | None:
    """Where a sum over the examples has a summand that is a whole batch matrix and does not
    use the sum's letter (`\\sum_{i=1}^{m} dZ^{[1]}`, Ng's db): the axis that holds the
    examples ("columns" or "rows"), over which the matrix is summed; None for any other sum."""
    if ctx.examples_as is None or not over_examples(s, ctx.sample_letters):
        return None
    body = list(refs(s.body))
    if any(s.var in [i.var for i in r.indices] or (r.sample is not None and r.sample.var == s.var)
           or (r.layer is not None and r.layer.var == s.var) for r in body):
        return None
    return ctx.examples_as if any(r.name in ctx.batched for r in body) else None


def _outside_example_sums(expr: A.Expr, samples: frozenset):
    """The references of `expr` that no sum over the examples encloses."""
    if isinstance(expr, A.Sum) and over_examples(expr, samples):
        return
    if isinstance(expr, A.Ref):
        yield expr
    for child in A.children(expr):
        yield from _outside_example_sums(child, samples)


def refs(expr: A.Expr):
    """Every family reference in `expr` (including derivative denominators)."""
    return (node for node in A.walk(expr) if isinstance(node, A.Ref))


def slot_level(slot: Slot, layer: A.Index | None) -> A.Index | None:
    """The layer a slot runs over, as a Level in the reference's own terms."""
    if slot[0] == "abs":
        return slot[1]
    if slot[0] == SAMPLE_SLOT[0] or layer is None:
        return None
    return layer.shifted(slot[1])


def infer_slots(groups: list[list[A.Expr]], layered: set[str],
                defined: set[str] = frozenset(),
                batch: dict[str, int] | None = None) -> dict[str, list[Slot | None]]:
    """For each family, the layer each unit slot runs over, from how indices are shared.

    `groups` are equations (lists of expressions sharing index letters). A one-index family
    with a layer runs over its own layer; the rest follows letter by letter to a fixed point.
    The example slot of a batch matrix (`batch`, see `batch_slots`) is fixed from the start.
    """
    count: dict[str, int] = {}
    for group in groups:
        for expr in group:
            for ref in refs(expr):
                count[ref.name] = max(count.get(ref.name, 0), len(ref.indices))
    slots: dict[str, list[Slot | None]] = {name: [None] * n for name, n in count.items()}
    for name, table in vector_slots(groups, layered).items():
        if name in (batch or {}) and len(slots.get(name, ())) == 2 and len(table) == 1:
            slots[name][1 - batch[name]] = table[0]     # W^{[1]} X: X's rows (or columns)
        elif not any(slots.get(name) or []):
            slots[name] = table
    first_defined = {}
    for n, group in enumerate(groups):
        if isinstance(group[0], A.Ref) and len(group) == 2:
            first_defined.setdefault(group[0].name, n)
    # A defined one-index family with a layer runs over its own layer, unless an earlier
    # definition says otherwise (δ^l_k = ∂C/∂z^{l+1}_k: k is a unit of layer l+1).
    strength: dict[tuple[str, int], int] = {}
    for name, table in slots.items():
        if name in layered and len(table) == 1 and name in first_defined:
            table[0], strength[(name, 0)] = ("rel", 0), first_defined[name]
    _bare_vectors(groups, layered, slots, defined)
    for name, n in (batch or {}).items():
        if n < len(slots.get(name, ())):
            slots[name][n], strength[(name, n)] = SAMPLE_SLOT, -1 - len(groups)
            if name in layered and len(slots[name]) == 2 and slots[name][1 - n] is None:
                slots[name][1 - n] = ("rel", 0)     # X on layer 0: its other index a unit of it
    _batch_beside_layers(groups, layered, slots, batch or {})
    for name, table in slots.items():
        for i, slot in enumerate(table):
            if slot is not None:
                strength.setdefault((name, i), -1)
    weakest = len(groups) + 1
    for _ in range(20):
        if not _propagate(groups, layered, slots, strength, weakest):
            break
    for name, table in slots.items():          # never linked: a one-index family's own layer
        if name in layered and len(table) == 1 and table[0] is None:
            table[0] = ("rel", 0)
    return slots


def _propagate(groups, layered: set[str], slots: dict, strength: dict, weakest: int) -> bool:
    """One round: each letter takes the layer of its most trusted occurrence in a group, and
    every other occurrence of it follows (a seed yields to an earlier definition)."""
    changed = False
    for n, group in enumerate(groups):
        claim = n == len(groups) - 1        # the claim under check teaches no definition's slots
        occurrences = [(ref, i, idx) for expr in group for ref in refs(expr)
                       for i, idx in enumerate(ref.indices)
                       if idx.var is not None and len(ref.indices) == len(slots[ref.name])
                       and (ref.layer is not None) == (ref.name in layered)]
        letter: dict[str, tuple[int, A.Index]] = {}
        for ref, i, idx in occurrences:
            slot = slots[ref.name][i]
            level = slot_level(slot, ref.layer) if slot is not None else None
            if level is None:
                continue
            level = level.shifted(-idx.offset)
            rank = strength.get((ref.name, i), weakest)
            if idx.var not in letter or rank < letter[idx.var][0]:
                letter[idx.var] = (rank, level)
        for ref, i, idx in occurrences:
            if idx.var not in letter:
                continue
            rank, level = letter[idx.var]
            level = level.shifted(idx.offset)
            current = slots[ref.name][i]
            if current is not None and (claim or strength.get((ref.name, i), weakest) <= rank):
                continue
            if ref.name in layered and ref.layer is not None:
                if ref.layer.var != level.var:
                    continue
                new = ("rel", level.offset - ref.layer.offset)
            elif ref.name not in layered and level.var in (None, "L"):
                new = ("abs", level)
            else:
                continue
            strength[(ref.name, i)] = rank
            if new != current:
                slots[ref.name][i] = new
                changed = True
    return changed


def _batch_beside_layers(groups, layered: set[str], slots: dict, batch: dict[str, int]) -> None:
    """A batch matrix added to a layer's (`A^{[2]} - Y`) has that layer's units along its
    other index."""
    for group in groups:
        for node in (n for expr in group for n in A.walk(expr)):
            if not isinstance(node, A.Add):
                continue
            refs_ = [t.arg if isinstance(t, A.Neg) else t for t in node.terms]
            refs_ = [r for r in refs_ if isinstance(r, A.Ref) and not r.indices]
            level = next((r.layer for r in refs_ if r.name in layered and r.layer is not None
                          and r.layer.var in (None, "L")), None)
            for r in refs_:
                n = batch.get(r.name)
                if level is not None and n is not None and len(slots.get(r.name, ())) == 2 \
                        and slots[r.name][1 - n] is None:
                    slots[r.name][1 - n] = ("abs", level)


def _bare_vectors(groups, layered: set[str], slots: dict, defined: set[str] = frozenset()) -> None:
    """A family only ever written bare beside a layer's vector (`y - a^L`) is a vector there."""
    indexed = {name for name, table in slots.items() if table}
    for group in groups:
        for node in (n for expr in group for n in A.walk(expr)):
            operands = node.terms if isinstance(node, A.Add) else \
                (node.left, node.right) if isinstance(node, A.Hadamard) else ()
            refs_ = [o.arg if isinstance(o, A.Neg) else o for o in operands]
            refs_ = [r for r in refs_ if isinstance(r, A.Ref) and not r.indices]
            level = next((r.layer for r in refs_ if r.name in layered and r.layer is not None
                          and r.layer.var in (None, "L") and len(slots.get(r.name, ())) == 1),
                         None)
            if level is None:
                continue
            for r in refs_:
                if r.name not in layered and r.name not in indexed and \
                        r.name not in defined:
                    slots[r.name] = [("abs", level)]


def vector_slots(groups: list[list[A.Expr]], layered: set[str]) -> dict[str, list[Slot]]:
    """Shapes of families written only as whole vectors and matrices in a vector-form
    definition: in `z^l = W^l a^{l-1} + b^l`, W^l is a matrix with rows over layer l and
    columns over layer l-1, and b^l a vector over layer l."""
    out: dict[str, list[Slot]] = {}
    defined_here = {g[0].name for g in groups if len(g) == 2 and isinstance(g[0], A.Ref)}
    for group in groups:
        lhs, rhs = group[0], group[-1]
        if len(group) != 2 or not isinstance(lhs, A.Ref) or lhs.indices or \
                lhs.layer is None or lhs.name not in layered:
            continue
        terms = rhs.terms if isinstance(rhs, A.Add) else (rhs,)
        for term in terms:
            term = term.arg if isinstance(term, A.Neg) else term
            if isinstance(term, A.Transpose) and _bare(term.arg, layered):
                term = term.arg                                   # z_1 = a_0 W_1 + b_1^T
            if isinstance(term, A.Mul) and len(term.factors) == 2 and \
                    sum(isinstance(f, A.Ones) for f in term.factors) == 1:
                term = next(f for f in term.factors if not isinstance(f, A.Ones))  # + 1 b^l
            if _bare(term, layered) and term.layer.var == lhs.layer.var:
                out.setdefault(term.name, [("rel", lhs.layer.offset - term.layer.offset)])
            elif _unlayered(term, layered) and lhs.layer.var in (None, "L"):
                out.setdefault(term.name, [("abs", lhs.layer)])      # A^{[0]} = X
            if isinstance(term, A.Star) and _bare(term.left, layered) and \
                    _bare(term.right, layered) and \
                    term.left.layer.var == term.right.layer.var == lhs.layer.var:
                pair = (term.left, term.right)                 # z_L = w_L * a_{L-1}: w has
                for free, other in (pair, pair[::-1]):         # a_{L-1}'s shape
                    if free.name not in defined_here and other.name in defined_here:
                        out.setdefault(free.name, [("rel", other.layer.offset -
                                                    free.layer.offset)])
                continue
            if isinstance(term, A.Mul) and len(term.factors) == 2 and \
                    _row_form_transposed(lhs, *term.factors, layered):   # Z = A W^{(l)\top} + b
                vector, matrix = term.factors[0], term.factors[1].arg
                _place_row_vector(out, lhs, vector, layered, defined_here)   # X W^{(1)\top}
                out.setdefault(matrix.name, [("rel", lhs.layer.offset - matrix.layer.offset),
                                             ("rel", lhs.layer.offset - 1 - matrix.layer.offset)])
                continue
            if isinstance(term, A.Mul) and len(term.factors) == 2 and \
                    _row_form(lhs, *term.factors, layered):       # u^l = h^{l-1} W^l + b^l
                vector, matrix = term.factors
                _place_row_vector(out, lhs, vector, layered, defined_here)   # X W^{(1)}
                out.setdefault(matrix.name, [("rel", lhs.layer.offset - 1 - matrix.layer.offset),
                                             ("rel", lhs.layer.offset - matrix.layer.offset)])
                continue
            if isinstance(term, A.Mul) and len(term.factors) == 2:
                matrix, vector = term.factors
                flip = isinstance(matrix, A.Transpose)
                matrix = matrix.arg if flip else matrix
                if _bare(matrix, layered) and matrix.layer.var is None and not flip and \
                        isinstance(vector, A.Ref) and not vector.indices and \
                        vector.layer is None and vector.name not in layered:
                    out.setdefault(vector.name, [("abs", A.Index(       # W^{[1]} x^{(i)}
                        None, matrix.layer.offset - 1, A.Role.LAYER))])
                    out.setdefault(matrix.name, [("rel", 0), ("rel", -1)])
                    continue
                if _bare(matrix, layered) and _bare(vector, layered) and \
                        matrix.layer.var == lhs.layer.var == vector.layer.var:
                    if vector.name not in defined_here:
                        out.setdefault(vector.name, [("rel", 0)])
                    rows = ("rel", lhs.layer.offset - matrix.layer.offset)
                    cols = ("rel", vector.layer.offset - matrix.layer.offset)
                    out.setdefault(matrix.name, [cols, rows] if flip else [rows, cols])
    _unlayered_vectors(groups, layered, out)
    return out


def _place_row_vector(out: dict[str, list[Slot]], lhs: A.Ref, vector: A.Expr,
                      layered: set[str], defined_here: set[str]) -> None:
    """The row a row-form definition multiplies by the layer's matrix: a layered vector lies
    on its own layer (slot relative to it); one printed without a layer (X in `z^{(2)} = X
    W^{(1)}`) is the layer before the left side's."""
    if not _bare(vector, layered):
        out.setdefault(vector.name, [("abs", A.Index(None, lhs.layer.offset - 1,
                                                     A.Role.LAYER))])
    elif vector.name not in defined_here:
        out.setdefault(vector.name, [("rel", 0)])


def _unlayered_vectors(groups: list[list[A.Expr]], layered: set[str],
                       out: dict[str, list[Slot]]) -> None:
    """Vectors printed without a layer script beside layered matrices (`z = W^{(1)} x`,
    `h = \\phi(z)`, `o = W^{(2)} h`): z lies on layer 1, x on layer 0, h on z's layer, o on
    layer 2; W^{(k)} has rows over its own layer and columns over the one before."""
    for _ in range(len(groups) + 1):
        changed = False
        for group in groups:
            lhs, rhs = group[0], group[-1]
            if len(group) != 2 or not _unlayered(lhs, layered):
                continue
            terms = rhs.terms if isinstance(rhs, A.Add) else (rhs,)
            for term in (t.arg if isinstance(t, A.Neg) else t for t in terms):
                found = _layer_of_term(term, layered, out)
                if found is None:
                    continue
                layer, vector = found
                if lhs.name not in out:
                    out[lhs.name] = [("abs", A.Index(None, layer, A.Role.LAYER))]
                    changed = True
                if vector is not None and vector.name not in out:
                    out[vector.name] = [("abs", A.Index(None, layer - 1, A.Role.LAYER))]
                    changed = True
        if not changed:
            return


def _layer_of_term(term: A.Expr, layered: set[str], out: dict) -> tuple[int, A.Ref | None] | None:
    """The concrete layer a vector-form term lies on, and its unlayered input vector if any:
    `W^{(k)} v` (k, v); `\\phi(u)` or `u` with u already placed (u's layer, None)."""
    if isinstance(term, A.Mul) and len(term.factors) == 2:
        matrix, vector = term.factors
        flip = isinstance(matrix, A.Transpose)
        matrix = matrix.arg if flip else matrix
        if _bare(matrix, layered) and matrix.layer.var is None and not flip and \
                isinstance(vector, A.Ref) and not vector.indices and vector.layer is None:
            out.setdefault(matrix.name, [("rel", 0), ("rel", -1)])
            return matrix.layer.offset, vector
        return None
    inner = term.arg if isinstance(term, A.Call) else term
    if isinstance(inner, A.Ref) and not inner.indices and inner.layer is None:
        slot = (out.get(inner.name) or [None])[0]
        if slot is not None and slot[0] == "abs" and slot[1].var is None:
            return slot[1].offset, None
    return None


def _row_form(lhs: A.Ref, first: A.Expr, second: A.Expr, layered: set[str]) -> bool:
    """`h^{l-1} W^l` in the definition of u^l: a vector of the layer before times the
    layer's matrix, so vectors are rows (NumPy's x @ W). The matrix may carry the layer it
    leaves, where it is a weight letter (Welch: `z^{(3)} = a^{(2)} W^{(2)}`), and the inputs
    may be printed without a layer (`z^{(2)} = X W^{(1)}`)."""
    if not (_bare(second, layered) and second.layer.var == lhs.layer.var):
        return False
    receiving = second.layer.offset == lhs.layer.offset
    sending = second.layer.offset == lhs.layer.offset - 1 and second.name in WEIGHT_LETTERS \
        and getattr(first, "name", None) not in WEIGHT_LETTERS
    if not (receiving or sending):
        return False
    if _bare(first, layered):
        return first.layer.var == lhs.layer.var and first.layer.offset == lhs.layer.offset - 1
    return sending and _unlayered(first, layered) and lhs.layer.var is None


def _unlayered(expr: A.Expr, layered: set[str]) -> bool:
    """A whole vector printed without a layer script, of no layered family (`X`, `h`)."""
    return isinstance(expr, A.Ref) and not expr.indices and expr.layer is None and \
        expr.name not in layered


def _row_form_transposed(lhs: A.Ref, first: A.Expr, second: A.Expr, layered: set[str]) -> bool:
    """`A^{(l-1)} W^{(l)\top}` (or `X W^{(1)\top}`, X the inputs) in the definition of Z^{(l)}:
    rows of the layer before times the transpose of the layer's matrix, rows j over layer l."""
    if not (isinstance(second, A.Transpose) and _bare(second.arg, layered)):
        return False
    matrix = second.arg
    if matrix.layer.var != lhs.layer.var or matrix.layer.offset != lhs.layer.offset:
        return False
    if _bare(first, layered):
        return first.layer.var == lhs.layer.var and first.layer.offset == lhs.layer.offset - 1
    return _unlayered(first, layered) and lhs.layer.var is None and lhs.layer.offset == 1


def _layer_terms(groups: list[list[A.Expr]], layered: set[str]):
    """(lhs, term) for each term of each whole-layer definition (`z^l = W^l a^{l-1} + b^l`),
    a negated term's sign dropped."""
    for group in groups:
        lhs, rhs = group[0], group[-1]
        if len(group) != 2 or not _bare(lhs, layered):
            continue
        for term in rhs.terms if isinstance(rhs, A.Add) else (rhs,):
            yield lhs, term.arg if isinstance(term, A.Neg) else term


def sending_labels(groups: list[list[A.Expr]], layered: set[str]) -> set[str]:
    """Matrices a row-form definition labels with the layer they leave (`z^{(3)} = a^{(2)}
    W^{(2)}`)."""
    return {term.factors[1].name for lhs, term in _layer_terms(groups, layered)
            if isinstance(term, A.Mul) and len(term.factors) == 2 and
            _row_form(lhs, *term.factors, layered) and
            term.factors[1].layer.offset == lhs.layer.offset - 1}


def row_vectors(groups: list[list[A.Expr]], layered: set[str]) -> bool:
    """Whether the definitions write a layer in row form (`u^l = h^{l-1} W^l + b^l`)."""
    return any(isinstance(term, A.Mul) and len(term.factors) == 2 and
               (_row_form(lhs, *term.factors, layered) or
                _row_form_transposed(lhs, *term.factors, layered))
               for lhs, term in _layer_terms(groups, layered))


def transposed_vectors(groups: list[list[A.Expr]], layered: set[str]) -> set[str]:
    """Vectors a row-form definition adds transposed (`z_1 = a_0 W_1 + b_1^T`): the source
    prints them as columns, so b_1^T is the row the sum needs."""
    return {term.arg.name for lhs, term in _layer_terms(groups, layered)
            if isinstance(term, A.Transpose) and _bare(term.arg, layered) and
            term.arg.layer.var == lhs.layer.var and term.arg.layer.offset == lhs.layer.offset}


def _bare(expr: A.Expr, layered: set[str]) -> bool:
    return isinstance(expr, A.Ref) and not expr.indices and expr.layer is not None and \
        expr.name in layered
