"""Reading the shape of syntax nodes: what a name-like node is called, its scripts, and the
multi-letter words a run of letters spells. Shared by the lexicon pass and the resolver."""
from __future__ import annotations

from symbp.notation import names as N
from symbp.notation import syntax as S


def unwrap(node: S.Node) -> S.Node:
    """A statement of one chain of one expression is that expression."""
    while True:
        if isinstance(node, S.Statement) and len(node.chains) == 1:
            node = node.chains[0]
        elif isinstance(node, S.Chain) and len(node.exprs) == 1:
            node = node.exprs[0]
        elif isinstance(node, S.Group) and node.kind == "{" and len(node.items) == 1:
            node = node.items[0]
        else:
            return node


# -- what a name-like node is called --------------------------------------------------------------
def base_key(node: S.Node) -> str | None:
    """The family key of a name-like node (letter, Greek command, font-decorated name, or one
    of these in braces: `{y}`)."""
    if isinstance(node, S.Group) and node.kind == "{" and len(node.items) == 1:
        inner = unwrap(node)
        return base_key(inner) if inner is not node else None
    if isinstance(node, S.Tok):
        if node.kind in ("LETTER", "NAME"):
            return node.text
        if node.kind == "CMD":
            letter = N.greek(node.text)
            if letter:
                return letter
            if node.text in N.BUILTIN_FUNCTIONS:
                return node.text
        return None
    if isinstance(node, S.Font):
        inner = unwrap(node.arg)
        if node.cmd in N.IGNORED_FONTS:
            if isinstance(inner, S.Tok) and inner.kind in ("DIGIT", "NUMBER") and inner.text == "1":
                return "1"
            word = node.raw.replace(" ", "")
            if isinstance(inner, S.Product) and word.isalpha() and word[0] == "d":
                return word                             # \mathbf{dw}: Ng's name dw, in bold
            return base_key(inner)
        if node.cmd in N.WORD_FONTS:
            word = node.raw.replace(" ", "")
            return word if word.isalpha() else None
        if node.cmd in N.DECORATIONS:
            key = base_key(inner)
            return f"{node.cmd}{{{key}}}" if key else None
    return None


def split(node: S.Node) -> tuple[S.Node, S.Script | None, S.Script | None, int]:
    if isinstance(node, S.Atom):
        return node.base, node.sub, node.sup, node.primes
    return node, None, None, 0


def items_of(node: S.Node) -> tuple[S.Node, ...]:
    node = unwrap(node)
    return node.items if isinstance(node, S.Product) else (node,)


def is_paren(node: S.Node) -> bool:
    base = node.base if isinstance(node, S.Atom) else node
    return isinstance(base, S.Group) and base.kind == "("


def bare_letter(node: S.Node) -> str | None:
    """A single letter with no scripts (a candidate for a multi-letter word)."""
    if isinstance(node, S.Tok) and node.kind == "LETTER":
        return node.text
    return None


def word_at(items, i, words) -> tuple[str, S.Node, int] | None:
    """The longest known multi-letter name starting at items[i]: (word, last node, next i)."""
    best = None
    letters = ""
    for j in range(i, len(items)):
        base, sub, sup, primes = split(items[j])
        letter = bare_letter(base)
        if letter is None and letters and isinstance(base, S.Tok) and base.kind == "NAME":
            letter = base.text                          # pred21: letters, then d21
        if letter is None:
            break
        letters += letter
        if len(letters) > 1 and letters in words:
            best = (letters, items[j], j + 1)
        if sub is not None or sup is not None or primes:
            break
    return best


def walk_syntax(node):
    """Every syntax node under `node`, parents first."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, S.Node):
            yield current
            stack.extend(reversed(list(current.__dict__.values())))
        elif isinstance(current, tuple):
            stack.extend(reversed(current))


def item_runs(node):
    """Every run of juxtaposed items under `node`, each once: a product's items, or a name
    standing alone (never the σ inside σ', nor an item of a product again)."""
    inside: set[int] = set()
    for current in walk_syntax(node):
        if isinstance(current, S.Atom):
            inside.add(id(current.base))
        if isinstance(current, S.Product):
            inside.update(id(item) for item in current.items)
            yield current.items
        elif isinstance(current, (S.Atom, S.Tok)) and id(current) not in inside:
            yield (current,)


def nested_label(sub: S.Script | None) -> tuple[str, S.Script] | None:
    """`C_{0_j}`: a number subscripted in a subscript names a family (`C_0`) whose unit index
    is the inner subscript (j); (the label, the inner subscript), or None. (`s_{n_l}` is the
    width of layer n_l, not this.)"""
    if sub is None or sub.mark or len(sub.parts) != 1:
        return None
    part = unwrap(sub.parts[0])
    if isinstance(part, S.Atom) and part.sub is not None and part.sup is None and \
            not part.primes and isinstance(part.base, S.Tok) and \
            part.base.kind in ("DIGIT", "NUMBER") and \
            not part.sub.raw.strip().isdigit():            # y_1 in Out_{y_1} is a label
        return part.base.text, part.sub
    return None
