"""The conventions pass: one record of how a source writes its network, settled from the
lexicon and the definitions before any formula is resolved, and overridable by the file's
`notation` table. Every other pass reads these settings instead of assuming them.

Today's settings: the layer the source numbers its input layer with; what set letters in
`\\sum_{\\ell \\in L}` name; whether a digit subscript is a layer (`z_1 = W_1 x + b_1`) and which
unscripted vectors then sit on which layer (`h = \\sigma(z_1)` on layer 1).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from symbp.notation import syntax as S
from symbp.notation.lexicon import Lexicon, label_key, layer_text, lhs_name
from symbp.notation.samples import BATCH_NAMES, layer_part
from symbp.notation.shapes import base_key, is_paren, split, unwrap, walk_syntax

#: The keys a file's `notation` table may set, and what each means.
NOTATION_KEYS = {
    "layer_subscripts": "true or false: read a digit subscript (z_1, W_2) as the layer",
    "first_unit": "0 or 1: the number of a layer's first unit (0 for sources that sum "
                  "j = 0 .. n-1 with no bias unit)",
    "sample": "the letter (or list of letters) that counts training examples: x in a^{x,l}",
}


@dataclass(frozen=True)
class Conventions:
    """How one source writes its network."""

    first_layer: int = 1
    sets: dict = field(default_factory=dict)
    layer_subscripts: frozenset[str] = frozenset()     # families whose digit subscript is a layer
    vector_layers: dict = field(default_factory=dict)  # unscripted vector -> its layer number
    first_unit: int = 1                                # 0: units 0 .. n-1, no bias unit
    sample_letters: frozenset[str] = frozenset()       # letters that count training examples
    example_families: frozenset[str] = frozenset()     # y in y(x): applied only to examples
    output_letters: frozenset[str] = frozenset()       # l in \hat{y} = h^{(l)}: the output layer
    readings: tuple[str, ...] = ()                     # what the conventions inferred, said
    batched: bool = False                              # the file sets `examples`

    def layer_of_subscript(self, name: str) -> bool:
        return name in self.layer_subscripts


def settle(lex: Lexicon, defines: list[S.Statement], others: list[S.Statement], *,
           first_layer: int | None, has_layers: bool, sets: dict,
           notation: dict, one_layer: bool = False, single_layer: bool = False,
           batched: bool = False, top_layer: int | None = None) -> Conventions:
    """The source's conventions: inferred from the definitions, then the file's `notation`.
    `first_layer` None: the file does not say, and 1 unless the definitions compute layer 1.
    `one_layer`: every network of the file is inputs and one output unit (one neuron);
    `single_layer`: every network is inputs and one layer of units; `batched`: the file sets
    `examples`, so a sum bounded by n, m or N runs over them; `top_layer`: the deepest layer
    any network of `layers` has, where the file says where layers start."""
    subscripts: set[str] = set()
    vectors: dict[str, int] = {}
    readings: list[str] = []
    wanted = notation.get("layer_subscripts")
    if has_layers and wanted is not False:
        subscripts, vectors, evident = _layer_subscripts(defines, others, lex)
        beyond = _defined_beyond(defines, lex, subscripts, top_layer)
        if beyond:                           # \delta_3 = \hat{y} - y on a net of layers 0..2
            subscripts -= beyond
            readings.append(f"the subscripts of {', '.join(sorted(beyond))} read as names, not "
                            "layers: a definition gives a layer no network has")
        if wanted is None and not vectors and not evident and \
                not _lettered(subscripts, defines, lex):
            subscripts = set()
    declared = notation.get("sample")
    samples = {declared} if isinstance(declared, str) else set(declared or ()) or \
        _sample_letters(list(defines) + list(others), lex)
    if one_layer and not subscripts and not vectors and not lex.layered:
        vectors = _one_neuron(defines, lex, first_layer or 0, frozenset(samples), batched)
        if vectors:
            inputs = sorted(k for k, v in vectors.items() if v == (first_layer or 0))
            outputs = sorted(k for k, v in vectors.items() if v != (first_layer or 0))
            readings.append(f"{', '.join(inputs)} read as vectors over the inputs and "
                            f"{', '.join(outputs)} on the output layer (w^T x: one neuron's "
                            "weights and its input)")
    if single_layer and not subscripts and not vectors and not lex.layered:
        vectors = _one_layer_matrix(defines, lex, first_layer or 0, frozenset(samples))
        if vectors:
            first = first_layer or 0
            matrix = next(k for k, v in vectors.items() if v == first + 1 and k in WEIGHT_LETTERS)
            inputs = sorted(k for k, v in vectors.items() if v == first)
            outputs = sorted(k for k, v in vectors.items() if v != first and k != matrix)
            readings.append(f"{matrix} read as the one layer's weight matrix, "
                            f"{', '.join(inputs)} as its inputs and {', '.join(outputs)} on the "
                            "output layer (a network of one layer, printed without layer scripts)")
    if first_layer is None:
        computed = _computed_first_layer(defines, lex, subscripts, vectors) if has_layers \
            else None
        first_layer = 0 if computed else 1
        if computed:
            readings.append(f"the input layer read as layer 0 (the file gives no `first_layer`): "
                            f"{computed} computes layer 1 from parameters of its own")
    first_unit = notation.get("first_unit", 0 if _sums_to_width_less_one(defines) else 1)
    return Conventions(first_layer, dict(sets), frozenset(subscripts), vectors, first_unit,
                       frozenset(samples),
                       frozenset(_example_families(list(defines) + list(others), samples)),
                       frozenset(_output_letters(defines, lex) if has_layers else ()),
                       tuple(readings), batched)


def _defined_beyond(defines: list[S.Statement], lex: Lexicon, subscripts: set[str],
                    top: int | None) -> set[str]:
    """Families read as layer-subscripted that a definition gives at a number past `top`."""
    out = set()
    for stmt in defines if top is not None else ():
        found = lhs_name(stmt.chains[0].exprs[0], lex)
        if found and found[0] in subscripts:
            d = _digit(split(found[1])[1])
            if d is not None and d > top:
                out.add(found[0])
    return out


def _computed_first_layer(defines: list[S.Statement], lex: Lexicon, subscripts: set[str],
                          vectors: dict[str, int]) -> str | None:
    """A definition that computes layer 1 from parameters of layer 1 (`z_1 = W_1 x + b_1`,
    `Z^{[1]} = W^{[1]} X + b^{[1]}`): the source counts its input layer as 0, as Ng's course
    does. The definition's name, else None."""
    for stmt in defines:
        lhs, rhs = stmt.chains[0].exprs
        found = lhs_name(lhs, lex)
        if not found or _concrete_layer(found[1], found[0], lex, subscripts) != 1:
            continue
        for node in walk_syntax(rhs):
            items = node.items if isinstance(node, S.Product) else ()
            for i, factor in enumerate(items if len(items) > 1 else ()):   # W_1 x, X W_1
                key = base_key(split(factor)[0]) if isinstance(factor, S.Atom) else None
                after = items[i + 1] if i + 1 < len(items) else None
                if key and key not in lex.defined and key not in lex.functions and \
                        not (after is not None and is_paren(after)) and \
                        _concrete_layer(factor, key, lex, subscripts) == 1:
                    return found[0]
    if any(layer == 0 for layer in vectors.values()):
        return next(k for k, layer in vectors.items() if layer == 0)
    return None


def _concrete_layer(node: S.Node, key: str, lex: Lexicon, subscripts: set[str]) -> int | None:
    """The layer number a name's scripts print: `z_1` (a layer subscript), `W^{[1]}`, `a^{(1)}`."""
    _, sub, sup, _ = split(node)
    if key in subscripts and sub is not None:
        return _digit(sub)
    if sup is not None and not sup.mark and key in lex.layered:
        text = layer_text(sup, lex.samples)
        return int(text) if text.isdigit() else None
    return None


def _output_letters(defines: list[S.Statement], lex: Lexicon) -> set[str]:
    """Layer letters a definition uses without binding them on its left side
    (`\\hat{y} = h^{(l)}`, l the depth of the network): the output layer, like L. A letter
    that another definition binds (`z^l = W^l a^{l-1} + b^l`) is every layer, never the
    output's alone."""
    out, bound_anywhere = set(), set()
    for stmt in defines:
        lhs, rhs = stmt.chains[0].exprs
        found = lhs_name(lhs, lex)
        if not found:
            continue
        sup = split(found[1])[2]
        bound = {layer_text(sup, lex.samples)[:1]} if sup is not None else set()
        bound_anywhere |= bound
        for node in walk_syntax(rhs):
            if isinstance(node, S.Atom) and node.sup is not None and not node.sup.mark and \
                    base_key(node.base) in lex.layered:
                text = layer_text(node.sup, lex.samples)
                if len(text) == 1 and text.isalpha() and text not in bound and text != "L":
                    out.add(text)
    return out - bound_anywhere


def _sample_letters(statements: list[S.Statement], lex: Lexicon) -> set[str]:
    """Letters the source uses to count training examples: those its scripts print
    (`Lexicon.samples`), `o_j(x)` (the argument of an indexed quantity), and a subscript
    averaged over the batch (`\\frac{1}{m} \\sum_{i=1}^{m} dz_i`)."""
    found = set(lex.samples)
    for stmt in statements:
        for node in walk_syntax(stmt):
            if isinstance(node, S.Product):
                found.update(_arguments(node.items, lex))
    return found | _averaged_subscripts(statements) | _weight_shared_letters(statements, lex)


def _weight_shared_letters(statements: list[S.Statement], lex: Lexicon) -> set[str]:
    """d in `o_d = \sum_i w_i x_{i,d}` (Mitchell's linear unit, as Vidal prints it): the
    weights carry the summed letter alone, so every o_d shares them and d is no unit of a layer
    (each unit has weights of its own): d counts the training examples."""
    out = set()
    for stmt in statements:
        chain = stmt.chains[0]
        if len(chain.exprs) != 2:
            continue
        found = lhs_name(chain.exprs[0], lex)
        _, sub, sup, _ = split(found[1]) if found else (None, None, None, 0)
        if sub is None or sup is not None or len(sub.raw.strip()) != 1 or \
                not sub.raw.strip().isalpha():
            continue                                  # z^{l+1}_k: a unit of a layer
        letter = sub.raw.strip()
        for item, summand in _sums_with_summands(chain.exprs[1]):
            summed = item.sub.raw.replace(" ", "").split("=")[0]
            scripts = [(base_key(split(i)[0]), split(i)[1].raw.replace(" ", "").replace(
                ",", "")) for i in summand if split(i)[1] is not None and split(i)[2] is None]
            alone = any(s == summed for _, s in scripts)
            paired = any(k in INPUT_LETTERS and sorted(s) == sorted(summed + letter)
                         for k, s in scripts)
            if alone and paired and letter != summed:   # w_i x_{i,d}: never w_{ji} z_i
                out.add(letter)
    return out


def _sums_with_summands(node: S.Node, signs: tuple[str, ...] = (r"\sum",)):
    """Each `\\sum` (or other of `signs`) with a subscript in `node`, with the items of its
    product after it."""
    for inner in walk_syntax(node):
        items = [unwrap(i) for i in inner.items] if isinstance(inner, S.Product) else []
        for n, item in enumerate(items):
            if isinstance(item, S.Atom) and isinstance(item.base, S.Tok) and \
                    item.base.text in signs and item.sub is not None:
                yield item, items[n + 1:]


def _averaged_subscripts(statements: list[S.Statement]) -> set[str]:
    """`\\frac{1}{m} \\sum_{i=1}^{m} dz_i` (Ng's lectures as transcribed, subscripts for
    examples): a letter summed from 1 to the number of examples right after 1/m of that
    number, that subscripts names only on its own (never `w_{ij}`) and never beside a layer
    (`a^L_j` is a unit), counts the examples, unless the same number also bounds a sum of
    another letter that is no average (the softmax's \\sum_{j=1}^N over the units)."""
    summed, paired = set(), set()
    bounded: dict[str, set[str]] = {}        # bound -> letters summed up to it
    for stmt in statements:
        for node in walk_syntax(stmt):
            if isinstance(node, S.Atom) and isinstance(node.base, S.Tok) and \
                    node.base.text == r"\sum" and node.sub is not None and node.sup is not None:
                bounded.setdefault(node.sup.raw.strip(), set()).add(
                    node.sub.raw.replace(" ", "").split("=")[0])
            if isinstance(node, S.Product):
                items = [unwrap(i) for i in node.items]
                for before, item in zip(items, items[1:]):
                    letter = _averaging_sum(before, item)
                    if letter:
                        summed.add(letter)
            if isinstance(node, S.Atom) and node.sub is not None and \
                    not (isinstance(node.base, S.Tok) and node.base.text == r"\sum"):
                raw = node.sub.raw.replace(" ", "").replace(",", "")
                if len(raw) > 1 and raw.isalnum() and (base_key(node.base) not in INPUT_LETTERS
                                                       or node.sup is not None):
                    paired.update(raw)                      # w_{ij}, not f_{y_i} nor x_{ij}
                elif len(raw) == 1 and node.sup is not None and \
                        node.sup.raw.replace(" ", "") not in ("T", r"\top"):
                    paired.add(raw)                         # a^L_j: a unit of layer L
    for letters in bounded.values():         # \sum_{j=1}^N e^{z_j} beside \frac{1}{N}\sum_i:
        if letters & summed and letters - summed:        # N counts units, not examples
            summed -= letters
    return summed - paired


#: Letters of the inputs: in `x_{ij}` one letter may count the examples, the other the inputs.
INPUT_LETTERS = {"x", "X"}


def _averaging_sum(before: S.Node, item: S.Node) -> str | None:
    """i for `\\frac{1}{m}` followed by `\\sum_{i=1}^{m}` (or `\\sum_i`, as CS231n prints
    `L = \\frac{1}{N} \\sum_i L_i`), with m a name of the batch size."""
    if not (isinstance(before, S.Frac) and isinstance(item, S.Atom) and
            isinstance(item.base, S.Tok) and item.base.text == r"\sum" and
            item.sub is not None):
        return None
    count = "".join(_raw_of(before.den).split())
    if len(count) == 2 and count[0].isdigit():
        count = count[1]                                   # \frac{1}{2m} \sum_{i=1}^{m}
    bound = item.sup.raw.strip() if item.sup is not None else count    # \sum_i: up to N
    sub = item.sub.raw.replace(" ", "")
    number = "".join(_raw_of(before.num).split())
    if bound not in BATCH_NAMES or count != bound or number != "1" or \
            not ((len(sub) == 3 and sub[1:] == "=1" and item.sup is not None) or
                 (len(sub) == 1 and item.sup is None)) or not sub[0].isalpha():
        return None
    return sub[0]


def _raw_of(node: S.Node) -> str:
    """The digits and letters a small node prints (`1`, `m`); '' for anything larger."""
    node = unwrap(node)
    if isinstance(node, S.Statement) and len(node.chains) == 1 and \
            len(node.chains[0].exprs) == 1:
        node = unwrap(node.chains[0].exprs[0])
    if isinstance(node, S.Product) and all(isinstance(i, S.Tok) for i in node.items):
        return "".join(i.text for i in node.items)          # 2m
    return node.text if isinstance(node, S.Tok) else ""


#: Letters that name functions even where their argument is an example (σ(x), f(x)).
FUNCTION_LETTERS = {"σ", "φ", "ϕ", "ψ", "f", "g", "h"}


def _example_families(statements: list[S.Statement], samples: set[str]) -> set[str]:
    """`y(x)`, `t(x)`: letters written with parentheses only ever around an example letter are
    quantities of that example, not generic functions."""
    of_example, of_other = set(), set()
    for stmt in statements:
        for node in walk_syntax(stmt):
            if not isinstance(node, S.Product):
                continue
            for before, item in zip(node.items, node.items[1:]):
                key = base_key(before) if not isinstance(before, S.Atom) else None
                if key is None or not isinstance(item, S.Group) or item.kind != "(":
                    continue
                inner = unwrap(item.items[0]) if len(item.items) == 1 else None
                letter = inner.text if isinstance(inner, S.Tok) and inner.kind == "LETTER" \
                    else None
                (of_example if letter in samples else of_other).add(key)
    return of_example - of_other - FUNCTION_LETTERS


def _arguments(items, lex: Lexicon) -> set[str]:
    """`o_j(x)`, `a^L(x)`: one bare letter in parentheses after an indexed or layered quantity
    that is no function and defines nothing."""
    out = set()
    for before, item in zip(items, items[1:]):
        base, sub, sup, _ = split(before)
        key = base_key(base)
        if key is None or (sub is None and sup is None) or key in lex.functions or \
                label_key(key, sub, lex) in lex.functions or \
                not isinstance(item, S.Group) or item.kind != "(" or len(item.items) != 1:
            continue
        inner = unwrap(item.items[0])
        if isinstance(inner, S.Tok) and inner.kind == "LETTER" and \
                inner.text not in lex.defined and key in lex.defined | lex.in_definitions:
            out.add(inner.text)
    return out


def _sums_to_width_less_one(defines: list[S.Statement]) -> bool:
    """`\\sum_{j=0}^{n-1}` in a definition: the source numbers a layer's n units 0 .. n-1
    (with a bias unit it would sum 0 .. n, unit 0 being the bias)."""
    for stmt in defines:
        for node in walk_syntax(stmt):
            if not (isinstance(node, S.Atom) and isinstance(node.base, S.Tok) and
                    node.base.text == r"\sum" and node.sub is not None and node.sup is not None):
                continue
            lower = node.sub.raw.replace(" ", "")
            upper = node.sup.raw.replace(" ", "").removeprefix("(").removesuffix(")")
            if lower.endswith("=0") and upper.endswith("-1") and upper[:-2]:
                return True
    return False


def _lettered(families: set[str], defines, lex: Lexicon) -> bool:
    """Some definition of a subscript-layered family is written with a letter layer (z_l)."""
    for stmt in defines:
        found = lhs_name(stmt.chains[0].exprs[0], lex)
        if found and found[0] in families:
            script = _layer_script(split(found[1])[1])
            if script is not None and script[0] is not None:
                return True
    return False


def _digit(script: S.Script | None) -> int | None:
    if script is None or script.mark or len(script.parts) != 1:
        return None
    part = unwrap(script.parts[0])
    if isinstance(part, S.Tok) and part.kind in ("DIGIT", "NUMBER") and part.text.isdigit():
        return int(part.text)
    return None


def _layer_script(script: S.Script | None) -> tuple[str | None, int] | None:
    """A subscript that could be a layer: a number `1` -> (None, 1), a letter `l` -> ("l", 0),
    or a letter plus or minus a number `l-1` -> ("l", -1); anything else None."""
    d = _digit(script)
    if d is not None:
        return None, d
    if script is None or script.mark or len(script.parts) != 1:
        return None
    part = unwrap(script.parts[0])
    if isinstance(part, S.Tok) and part.kind == "LETTER":
        return part.text, 0
    if isinstance(part, S.Signed) and len(part.terms) == 2 and part.terms[0][0] == "+":
        head, tail = unwrap(part.terms[0][1]), unwrap(part.terms[1][1])
        if isinstance(head, S.Tok) and head.kind == "LETTER" and isinstance(tail, S.Tok) and \
                tail.text.isdigit():
            return head.text, int(tail.text) * (1 if part.terms[1][0] == "+" else -1)
    return None


def _before(a: tuple[str | None, int] | None, b: tuple[str | None, int] | None) -> bool:
    """Layer script a names the layer just before b (`l-1` before `l`, `1` before `2`)."""
    return a is not None and b is not None and a[0] == b[0] and a[1] == b[1] - 1


def _uses(statements: list[S.Statement]):
    """(family key, subscript, superscript) of every scripted or bare name-like node."""
    for stmt in statements:
        for node in walk_syntax(stmt):
            if isinstance(node, S.Atom):
                key = base_key(node.base)
                if key:
                    yield key, node.sub, node.sup
            elif isinstance(node, S.Product):
                for item in node.items:
                    if not isinstance(item, S.Atom):
                        key = base_key(item)
                        if key:
                            yield key, None, None


def _layer_subscripts(defines, others, lex: Lexicon):
    """`z_1 = W_1 x + b_1`, `z_l = w_l a_{l-1} + b_l`: families written only with one layer-like
    subscript (a number, a letter, a letter plus or minus a number), defined in vector form (a
    matrix times the vector of the layer before), are layered by that subscript."""
    uses = list(_uses(list(defines) + list(others)))
    shifted = {script[0] for _, sub, _ in uses for script in [_layer_script(sub)]
               if script is not None and script[0] is not None and script[1] != 0}
    letters = shifted | {"l", "L", "ℓ"}          # x_k is a unit: k is never k-1 or k+1
    single: dict[str, bool] = {}
    for key, sub, sup in uses:
        if sup is not None and not layer_part(sup.raw, lex.samples):
            sup = None                                   # z_1^{(i)}: the example, no layer
        if sub is None and sup is None:
            continue
        transpose = sup is not None and (sup.raw.replace(" ", "") in ("T", r"\top") or
                                         sup.raw.strip().isdigit())      # W_2^T, a_1^2
        script = _layer_script(sub)
        ok = script is not None and (script[0] is None or script[0] in letters) and \
            (sup is None or transpose) and key not in lex.layered   # a^{[1]} beside z_1
        single[key] = single.get(key, True) and ok
    layered = {k for k, ok in single.items() if ok}
    vectors: dict[str, int] = {}
    matrix_form = evident = False
    for stmt in defines:
        lhs, rhs = stmt.chains[0].exprs
        found = lhs_name(lhs, lex)
        if not found:
            continue
        key, node = found
        _, sub, sup, _ = split(node)
        if sup is not None and not layer_part(sup.raw, lex.samples):
            sup = None
        here = _layer_script(sub)
        d = _digit(sub)
        rhs_items = [unwrap(i) for i in _product_items(rhs)
                     if not (isinstance(i, S.Tok) and i.kind == "DOTOP")]     # w_L * a_{L-1}
        if key in layered and here is not None:
            for a, b in zip(rhs_items, rhs_items[1:]):        # W_d v: v is the layer before
                ka, sa, _, _ = split(a)
                kb, sb, pb, _ = split(b)
                if pb is not None and not layer_part(pb.raw, lex.samples):
                    pb = None                            # x^{(i)}: the example's input
                if base_key(kb) in layered and _layer_script(sb) == here and \
                        _row_form(ka, sa, a, layered, here, lex):
                    matrix_form = True                   # X W_1, a_1 W_2: examples as rows
                    if base_key(ka) not in layered and d is not None:
                        vectors.setdefault(base_key(ka), d - 1)
                    elif base_key(ka) in layered:
                        evident = True                   # a_1 W_2 in z_2: no unit numbers
                    continue
                if base_key(ka) not in layered or _layer_script(sa) != here:
                    continue
                if d is not None and sb is None and pb is None:
                    matrix_form = True
                    name = base_key(kb)
                    if name and name not in layered:
                        vectors.setdefault(name, d - 1)
                elif base_key(kb) in layered and _before(_layer_script(sb), here):
                    matrix_form = evident = True               # w_l a_{l-1}, W_2 a_1
        elif d is None and sub is None and sup is None:      # h = \sigma(z_1): layer 1
            pairs = _unscripted_products(rhs, layered, lex)
            if pairs:                                       # a = W_1 x + b_1, H = f(X W_1)
                matrix_form = True
                for name, layer in pairs:
                    vectors.setdefault(name, layer - 1)
                vectors.setdefault(key, pairs[0][1])
                continue
            digits = {_digit(s) for k, s, _ in _uses([S.Statement(0, (S.Chain(0, (rhs,), ()),))])
                      if k in layered}
            if len(digits) == 1 and None not in digits and not _sums(rhs):
                vectors[key] = digits.pop()
    if not matrix_form:
        return set(), {}, False
    return layered, vectors, evident


def _sums(node: S.Node) -> bool:
    """A \\sum or a norm anywhere in `node`: a right side that adds up (`\\frac{1}{2}\\|a_2 -
    y\\|^2`), not one entrywise over a layer."""
    return any((isinstance(n, S.Tok) and n.text == r"\sum") or
               (isinstance(n, S.Group) and n.kind == "‖") for n in walk_syntax(node))


def _row_form(key_node, sub, node, layered: set[str], here, lex: Lexicon) -> bool:
    """`v W_d` with v the layer before W_d's: a layered v one layer down (`a_1 W_2`), or an
    unscripted name (`X W_1`, the inputs), as row-per-example sources write the forward pass."""
    key = base_key(key_node)
    if key is None:
        return False
    _, _, sup, _ = split(node)
    if sup is not None and not layer_part(sup.raw, lex.samples):
        sup = None
    if key in layered:
        return sup is None and _before(_layer_script(sub), here)
    return sub is None and sup is None and key not in lex.functions


def _unscripted_definitions(defines: list[S.Statement], lex: Lexicon, samples: frozenset):
    """(name found, right side) of each definition whose left side has no scripts but an
    example's (`z = …`, `z^{(i)} = …`)."""
    for stmt in defines:
        lhs, rhs = stmt.chains[0].exprs
        found = lhs_name(lhs, lex)
        if found and _unscripted(found[1], lex, samples):
            yield found, rhs


def _one_neuron(defines: list[S.Statement], lex: Lexicon, first: int,
                samples: frozenset = frozenset(), batched: bool = False) -> dict[str, int]:
    """`z = w^T x + b` in a network of one layer (logistic regression as Ng writes it, one
    unit): w and x are vectors over the inputs, z and what the definitions compute from it on
    the output layer. Names may carry an example (`z^{(i)} = w^T x^{(i)} + b`)."""
    vectors: dict[str, int] = {}
    for found, rhs in _unscripted_definitions(defines, lex, samples):
        pair = _transposed_pair(rhs, lex, samples)
        if pair is not None:
            vectors.setdefault(pair[0], first)
            vectors.setdefault(pair[1], first)
            vectors.setdefault(found[0], first + 1)
        elif _applied_to(rhs, lex, samples) in {k for k, v in vectors.items() if v == first + 1}:
            vectors.setdefault(found[0], first + 1)          # a = \sigma(z), \hat{y} = a
    for stmt in defines:
        for key in _summed_families(stmt.chains[0].exprs[1], lex, samples, batched):
            vectors.setdefault(key, first)                 # O = g(\sum_j W_j I_j): the inputs
    return vectors


#: Letters sources give a weight matrix: in `Z = X W + b` on a network of one layer, W.
WEIGHT_LETTERS = {"W", "w", r"\Theta", r"\theta"}


def _one_layer_matrix(defines: list[S.Statement], lex: Lexicon, first: int,
                      samples: frozenset = frozenset()) -> dict[str, int]:
    """`Z = X W + b` or `z = W x + b`, all unscripted, in a network of one layer of several
    units: W (a weight letter) is that layer's matrix, the other factor its input, and Z, b and
    what the definitions compute from Z lie on the output layer."""
    vectors: dict[str, int] = {}
    for found, rhs in _unscripted_definitions(defines, lex, samples):
        node = unwrap(rhs)
        terms = [unwrap(t) for _, t in node.terms] if isinstance(node, S.Signed) else [node]
        pair = next((p for t in terms for p in [_weight_product(t, lex, samples)] if p), None)
        if pair is not None:
            vectors.update({pair[0]: first + 1, pair[1]: first, found[0]: first + 1})
            for t in (_without_ones(t) for t in terms):
                key = base_key(split(t)[0])
                if key and key not in lex.defined and _unscripted(t, lex, samples):
                    vectors[key] = first + 1                  # the bias b
        elif vectors and _applied_to(rhs, lex, samples) in \
                {k for k, v in vectors.items() if v == first + 1}:
            vectors.setdefault(found[0], first + 1)           # A = \sigma(Z)
    return vectors


def _without_ones(term: S.Node) -> S.Node:
    """`b` for `b \\mathbf{1}` or `\\mathbf{1} b`: a bias times the ones vector."""
    items = [unwrap(i) for i in term.items] if isinstance(term, S.Product) else []
    if len(items) == 2:
        ones = [isinstance(i, S.Font) and i.raw.strip() == "1" for i in items]
        if any(ones) and not all(ones):
            return items[ones.index(False)]
    return term


def _weight_product(term: S.Node, lex: Lexicon, samples: frozenset) -> tuple[str, str] | None:
    """(W, X) for a term `X W`, `X \cdot W` or `W x`: two unscripted undefined names, one of
    them a weight letter."""
    if not isinstance(term, S.Product):
        return None
    items = [unwrap(i) for i in term.items
             if not (isinstance(i, S.Tok) and i.kind == "DOTOP" and i.text == r"\cdot")]
    if len(items) != 2 or not all(_unscripted(i, lex, samples) for i in items):
        return None
    keys = [base_key(split(i)[0]) for i in items]
    if any(k is None or k in lex.defined or k in lex.functions for k in keys):
        return None
    weights = [k for k in keys if k in WEIGHT_LETTERS]
    if len(weights) != 1:
        return None
    return weights[0], next(k for k in keys if k != weights[0])


def _summed_families(rhs: S.Node, lex: Lexicon, samples: frozenset,
                     batched: bool = False) -> set[str]:
    """W and I in `\\sum_j W_j I_j`: families with the summed letter as their one subscript."""
    out = set()
    for item, summand in _sums_with_summands(rhs):
        letter = item.sub.raw.replace(" ", "").split("=")[0]
        bound = item.sup.raw.strip() if item.sup is not None else ""
        if letter in samples or ((samples or batched) and bound in BATCH_NAMES) or \
                "\\in" in letter:
            continue                                   # a sum over the examples
        found, mixed = set(), False
        for later in summand:
            for part in walk_syntax(later):
                key, sub, sup, _ = (base_key(split(part)[0]), *split(part)[1:]) \
                    if isinstance(part, S.Atom) else (None, None, None, 0)
                if not key or sub is None:
                    continue
                raw = sub.raw.replace(" ", "")
                if samples and len(raw.replace(",", "")) == 2:     # x_{ij}: example i
                    raw = "".join(c for c in raw.replace(",", "") if c not in samples)
                if raw == letter and key not in lex.functions and \
                        (sup is None or not layer_part(sup.raw, lex.samples)):
                    found.add(key)
                elif letter in raw.replace(",", ""):
                    mixed = True               # x_{i,d}: not a vector over the inputs
        if not mixed:
            out |= found
    return out


def _applied_to(rhs: S.Node, lex: Lexicon, samples: frozenset) -> str | None:
    """`z` for a right side that is `z` itself or a function of it (`\\sigma(z^{(i)})`)."""
    node = unwrap(rhs)
    items = [unwrap(i) for i in node.items] if isinstance(node, S.Product) else [node]
    if len(items) == 2 and base_key(split(items[0])[0]) in lex.functions and is_paren(items[1]) \
            and len(items[1].items) == 1:
        items = [unwrap(items[1].items[0])]
    if len(items) == 1 and _unscripted(items[0], lex, samples):
        return base_key(split(items[0])[0])
    return None


def _transposed_pair(rhs: S.Node, lex: Lexicon, samples: frozenset) -> tuple[str, str] | None:
    """(w, x) for `w^T x` in `rhs`, both names with no scripts but an example's."""
    for node in walk_syntax(rhs):
        items = [unwrap(i) for i in node.items] if isinstance(node, S.Product) else []
        for a, b in zip(items, items[1:]):
            ka, sa, pa, _ = split(a)
            kb = base_key(split(b)[0])
            if isinstance(a, S.Atom) and sa is None and pa is not None and \
                    pa.raw.replace(" ", "") in ("T", r"\top") and base_key(ka) and kb and \
                    _unscripted(b, lex, samples) and base_key(ka) not in lex.functions and \
                    kb not in lex.functions:
                return base_key(ka), kb
    return None


def _unscripted(node: S.Node, lex: Lexicon, samples: frozenset) -> bool:
    """A name with no scripts but an example's (`z`, `z^{(i)}`, `z_i` where i counts them)."""
    _, sub, sup, _ = split(node)
    return (sub is None or sub.raw.strip() in samples) and \
        (sup is None or not layer_part(sup.raw, lex.samples))


def _unscripted_products(rhs: S.Node, layered: set[str], lex: Lexicon) -> list[tuple[str, int]]:
    """(v, d) for each `W_d v` or `v W_d` in `rhs` whose vector v has no scripts (or only an
    example's, `x^{(i)}`): v lies on layer d - 1 and the quantity defined on layer d."""
    out = []
    for node in walk_syntax(rhs):
        if not isinstance(node, S.Product):
            continue
        items = [unwrap(i) for i in node.items]
        for a, b in zip(items, items[1:]):
            for matrix, vector in ((a, b), (b, a)):
                km, sm, pm, _ = split(matrix)
                kv, sv, pv, _ = split(vector)
                if pv is not None and not layer_part(pv.raw, lex.samples):
                    pv = None
                d = _digit(sm)
                name = base_key(kv)
                if base_key(km) in layered and d is not None and pm is None and \
                        sv is None and pv is None and name and name not in layered:
                    out.append((name, d))
    return out


def _product_items(node: S.Node) -> list[S.Node]:
    node = unwrap(node)
    if isinstance(node, S.Signed):
        return [i for _, t in node.terms for i in _product_items(t)]
    if isinstance(node, S.Product):
        return list(node.items)
    return [node]


def implied_inputs(defines: list[S.Statement], lex: Lexicon) -> list[tuple[S.Statement, str]]:
    """Mitchell's `net_j = \\sum_i w_{ji} x_{ji}` with x undefined and `o_j = \\sigma(net_j)`:
    x_{ji}, "the i-th input to unit j", is o_i, the output of unit i of the layer before (on the
    first layer the network's input i). Each such x as the definition `x_{ji} = o_i` it implies,
    with the text a report gives it."""
    outputs = {}                                # net -> the atom of o_j in `o_j = σ(net_j)`
    for stmt in defines:
        lhs, rhs = stmt.chains[0].exprs
        found, arg = lhs_name(lhs, lex), _applied_argument(rhs, lex)
        if found and arg and _one_letter_sub(found[1]) and _one_letter_sub(arg[1]):
            outputs.setdefault(arg[0], found[1])
    out = []
    for stmt in defines:
        lhs, rhs = stmt.chains[0].exprs
        found = lhs_name(lhs, lex)
        unit = _one_letter_sub(found[1]) if found else None
        if unit is None or found[0] not in outputs:
            continue
        for item, summand in _sums_with_summands(rhs, (r"\sum", r"\Sigma")):
            letter = item.sub.raw.replace(" ", "")
            atoms = [unwrap(s) for s in summand]
            keys = [base_key(split(a)[0]) for a in atoms]
            if len(atoms) != 2 or any(not isinstance(a, S.Atom) or a.sup is not None or
                                      a.sub is None or
                                      a.sub.raw.replace(" ", "").replace(",", "") !=
                                      unit + letter for a in atoms) or \
                    any(k is None or k in lex.defined for k in keys):
                continue
            weights = [k for k in keys if k in WEIGHT_LETTERS]
            if len(weights) != 1 or keys[0] == keys[1]:
                continue
            given = atoms[1 - keys.index(weights[0])]
            o = outputs[found[0]]
            sub = S.Script(o.pos, (S.Tok(o.pos, "LETTER", letter),), letter)
            value = S.Atom(o.pos, o.base, sub, None, 0)
            out.append((S.Statement(stmt.pos, (S.Chain(stmt.pos, (given, value), ("=",)),)),
                        f"{keys[1 - keys.index(weights[0])]}_{{{unit}{letter}}} = "
                        f"{base_key(o.base)}_{letter}"))
    return out


def _one_letter_sub(atom: S.Node) -> str | None:
    """j for `o_j`: a name whose one subscript is one letter and that has no superscript."""
    if not isinstance(atom, S.Atom) or atom.sub is None or atom.sup is not None:
        return None
    raw = atom.sub.raw.strip()
    return raw if len(raw) == 1 and raw.isalpha() else None


def _applied_argument(rhs: S.Node, lex: Lexicon) -> tuple[str, S.Node] | None:
    """(net, the atom of net_j) for a right side `\\sigma(net_j)`: a function of one name."""
    node = unwrap(rhs)
    items = [unwrap(i) for i in node.items] if isinstance(node, S.Product) else []
    if len(items) == 2 and base_key(split(items[0])[0]) in lex.functions and \
            is_paren(items[1]) and len(items[1].items) == 1:
        return lhs_name(items[1].items[0], lex)
    return None
