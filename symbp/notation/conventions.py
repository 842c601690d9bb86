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
from symbp.notation.lexicon import Lexicon, lhs_name
from symbp.notation.shapes import base_key, split, unwrap, walk_syntax

#: The keys a file's `notation` table may set, and what each means.
NOTATION_KEYS = {
    "layer_subscripts": "true or false: read a digit subscript (z_1, W_2) as the layer",
}


@dataclass(frozen=True)
class Conventions:
    """How one source writes its network."""

    first_layer: int = 1
    sets: dict = field(default_factory=dict)
    layer_subscripts: frozenset[str] = frozenset()     # families whose digit subscript is a layer
    vector_layers: dict = field(default_factory=dict)  # unscripted vector -> its layer number

    def layer_of_subscript(self, name: str) -> bool:
        return name in self.layer_subscripts


def settle(lex: Lexicon, defines: list[S.Statement], others: list[S.Statement], *,
           first_layer: int, has_layers: bool, sets: dict, notation: dict) -> Conventions:
    """The source's conventions: inferred from the definitions, then the file's `notation`."""
    subscripts: set[str] = set()
    vectors: dict[str, int] = {}
    wanted = notation.get("layer_subscripts")
    if has_layers and not lex.layered and wanted is not False:
        subscripts, vectors = _layer_subscripts(defines, others, lex, first_layer)
        if wanted is None and not vectors:
            subscripts = set()
    return Conventions(first_layer, dict(sets), frozenset(subscripts), vectors)


def _digit(script: S.Script | None) -> int | None:
    if script is None or script.mark or len(script.parts) != 1:
        return None
    part = unwrap(script.parts[0])
    if isinstance(part, S.Tok) and part.kind in ("DIGIT", "NUMBER") and part.text.isdigit():
        return int(part.text)
    return None


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


def _layer_subscripts(defines, others, lex: Lexicon, first: int):
    """`z_1 = W_1 x + b_1`: families written only with one digit subscript, defined in vector
    form (a matrix times a vector), are layered by that digit."""
    digit_only: dict[str, bool] = {}
    for key, sub, sup in _uses(list(defines) + list(others)):
        if sub is None and sup is None:
            continue
        transpose = sup is not None and sup.raw.replace(" ", "") in ("T", r"\top")
        ok = _digit(sub) is not None and (sup is None or transpose)
        digit_only[key] = digit_only.get(key, True) and ok
    layered = {k for k, ok in digit_only.items() if ok}
    vectors: dict[str, int] = {}
    matrix_form = False
    for stmt in defines:
        lhs, rhs = stmt.chains[0].exprs
        found = lhs_name(lhs, lex)
        if not found:
            continue
        key, node = found
        _, sub, sup, _ = split(node)
        d = _digit(sub)
        rhs_items = [unwrap(i) for i in _product_items(rhs)]
        if key in layered and d is not None:
            for a, b in zip(rhs_items, rhs_items[1:]):        # W_d v: v is the layer before
                ka, sa, _, _ = split(a)
                kb, sb, pb, _ = split(b)
                if base_key(ka) in layered and _digit(sa) == d and sb is None and pb is None:
                    matrix_form = True
                    name = base_key(kb)
                    if name and name not in layered:
                        vectors.setdefault(name, d - 1)
        elif d is None and sub is None and sup is None:      # h = \sigma(z_1): layer 1
            digits = {_digit(s) for k, s, _ in _uses([S.Statement(0, (S.Chain(0, (rhs,), ()),))])
                      if k in layered}
            if len(digits) == 1 and None not in digits:
                vectors[key] = digits.pop()
    if not matrix_form:
        return set(), {}
    return layered, vectors


def _product_items(node: S.Node) -> list[S.Node]:
    node = unwrap(node)
    if isinstance(node, S.Signed):
        return [i for _, t in node.terms for i in _product_items(t)]
    if isinstance(node, S.Product):
        return list(node.items)
    return [node]
