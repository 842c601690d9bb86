"""Which letters count training examples, read from the printed scripts alone (before any
name is given a meaning): `a^{x,l}` (an example beside a layer), `a^{[1](i)}` (beside a
bracketed layer), and `x^{(i)}` where `\\sum_{i=1}^{m}` sums i up to the number of examples.
The lexicon needs them to tell a layer script from an example script."""
from __future__ import annotations

from symbp.notation import syntax as S
from symbp.notation.shapes import base_key, walk_syntax

#: Bare letters that name the number of training examples (\frac{1}{n}, \sum_{i=1}^{m}).
BATCH_NAMES = ("m", "n", "N", "M", "B")


def printed_samples(statements: list[S.Statement]) -> set[str]:
    """The example letters the scripts of `statements` print."""
    found: set[str] = set()
    in_parens: set[str] = set()
    summed_to_batch: set[str] = set()
    for stmt in statements:
        for node in walk_syntax(stmt):
            if not (isinstance(node, S.Atom) and node.sup is not None and not node.sup.mark):
                continue
            raw = node.sup.raw.replace(" ", "")
            parts = _unparenthesized(raw).split(",")
            if len(parts) == 2 and _is_letter(parts[1]) and parts[1].islower() and \
                    parts[1] not in LAYER_LETTERS and _plainly_layer(parts[0]):
                found.add(parts[1])                               # a^{l,m}, a^{0,m}
            elif len(parts) == 2 and _is_letter(parts[0]) and parts[0] != parts[1][:1] and \
                    parts[0] not in LAYER_LETTERS and _layer_ish(parts[1]):
                found.add(parts[0])                               # a^{x,l}
            letter = _bracketed_then_paren(raw)
            if letter:
                found.add(letter)                                 # a^{[1](i)}
            if len(raw) == 3 and raw[0] == "(" and raw[2] == ")" and raw[1].isalpha():
                in_parens.add(raw[1])                             # x^{(i)}
            if isinstance(node.base, S.Tok) and node.base.text == r"\sum" and \
                    node.sub is not None and node.sup.raw.strip() in BATCH_NAMES:
                sub = node.sub.raw.replace(" ", "")
                if len(sub) >= 3 and sub[1] == "=" and _is_letter(sub[0]):
                    summed_to_batch.add(sub[0])                   # \sum_{i=1}^{m}
    return found | (in_parens & (summed_to_batch | _indexing_examples(statements))) | \
        _superscript_examples(statements)


def _superscript_examples(statements: list[S.Statement]) -> set[str]:
    """Zhou's `\\hat{y}_j^k`, `E_k` (the k-th training example): a lower-case letter printed
    only as the bare superscript of indexed names, and as a subscript of defined names that
    never take another (E_k = …, the example's error), names an example, not a layer or a
    power. A layer letter subscripts no defined name on its own (n_r is a width)."""
    sup_letters: set[str] = set()
    other_sup: set[str] = set()
    sub_uses: dict[str, set[str]] = {}       # letter -> the keys it subscripts
    alone: dict[str, set[str]] = {}          # key -> its subscripts
    for stmt in statements:
        for node in walk_syntax(stmt):
            if not isinstance(node, S.Atom) or (isinstance(node.base, S.Tok) and
                                                node.base.text in (r"\sum", r"\prod")):
                continue
            key = base_key(node.base)
            if node.sup is not None and not node.sup.mark:
                raw = node.sup.raw.strip()
                if len(raw) == 1 and raw.islower() and raw not in "lT" and node.sub is not None:
                    sup_letters.add(raw)
                else:
                    other_sup.update(c for c in raw if c.isalpha())
            if node.sub is not None and not node.sub.mark:
                raw = node.sub.raw.replace(" ", "")
                alone.setdefault(str(key), set()).add(raw)
                for c in raw:
                    if c.isalpha():
                        sub_uses.setdefault(c, set()).add(str(key))
    defined = {base_key(lhs.base) for stmt in statements if stmt.chains and stmt.chains[0].exprs
               for lhs in [stmt.chains[0].exprs[0]] if isinstance(lhs, S.Atom)}
    out = set()
    for c in sup_letters - other_sup:
        users = sub_uses.get(c, set())
        if users and all(alone.get(k) == {c} and k in defined for k in users):
            out.add(c)
    return out


def _indexing_examples(statements: list[S.Statement]) -> set[str]:
    """`X_{ki} = x^{(i)}_k`: a letter that indexes the left side of a definition and is the
    example of its right side (a batch matrix, one example per column or row)."""
    found: set[str] = set()
    for stmt in statements:
        if len(stmt.chains) != 1 or len(stmt.chains[0].exprs) != 2:
            continue
        lhs, rhs = stmt.chains[0].exprs
        head = lhs.items[0] if isinstance(lhs, S.Product) and len(lhs.items) == 1 else lhs
        if not isinstance(head, S.Atom) or head.sub is None or \
                not head.sub.raw.replace(",", "").replace(" ", "").isalnum():
            continue
        letters = {c for c in head.sub.raw if c.isalpha()}
        for node in walk_syntax(rhs):
            if isinstance(node, S.Atom) and node.sup is not None and not node.sup.mark:
                raw = node.sup.raw.replace(" ", "")
                tag = raw[raw.rindex("(") + 1:-1] if raw.endswith(")") and "(" in raw else ""
                if len(tag) == 1 and tag in letters:
                    found.add(tag)
    return found


def layer_part(raw: str, samples: set[str] | frozenset[str]) -> str:
    """A superscript's text without its example: `x,l` -> `l`, `[1](i)` -> `[1]`, `(i)` -> ``
    (a transpose or power after the example stays: `[1](i)T` -> `[1]T`)."""
    text = raw.replace(" ", "")
    if text in samples:
        return ""                                    # \hat{y}_j^k: example k, no layer
    parts = _unparenthesized(text).split(",")
    if len(parts) == 2 and parts[0] in samples:
        return parts[1]
    if len(parts) == 2 and parts[1] in samples and _plainly_layer(parts[0]):
        return parts[0]                                  # a^{l,m}: layer l, example m
    for s in samples:
        mark = f"({s})"
        if mark in text and (text.startswith(mark) or text[:text.index(mark)].endswith("]")):
            return text.replace(mark, "", 1)
    return text


def _bracketed_then_paren(raw: str) -> str | None:
    if raw.startswith("[") and "](" in raw:
        rest = raw[raw.index("](") + 2:]
        if len(rest) >= 2 and rest[1] == ")" and rest[0].isalpha():
            return rest[0]
    return None


def _unparenthesized(raw: str) -> str:
    """`i,\\ell` for `(i,\\ell)`: an example and a layer printed in one pair of parentheses."""
    return raw[1:-1] if raw.startswith("(") and raw.endswith(")") and "," in raw and \
        raw.count("(") == 1 else raw


def _is_letter(text: str) -> bool:
    return len(text) == 1 and text.isalpha()


#: Letters that are layers wherever a script prints them beside another letter.
LAYER_LETTERS = ("l", "L", r"\ell", "ℓ")


def _plainly_layer(text: str) -> bool:
    """`0`, `l`, `L`, `l-1`, `\\ell`: a layer, never an example, beside an example letter."""
    return text.isdigit() or text in LAYER_LETTERS or (
        text[:1] in ("l", "L") and all(c.isdigit() or c in "+-" for c in text[1:]))


def _layer_ish(text: str) -> bool:
    """`l`, `L`, `l-1`, `l+1`, `2`: what a layer script holds."""
    return bool(text) and (text.isdigit() or (text[0].isalpha() and
                                               all(c.isdigit() or c in "+-" for c in text[1:])))
