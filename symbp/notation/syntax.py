"""The syntax tree of one formula: what the grammar saw, with the offset of every node.

Nothing here knows what a name means; `symbp.notation.resolve` reads these nodes in the context
of a whole derivation file. Offsets are 0-based character positions in the formula text.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Node:
    """Any node; `pos` is its offset in the formula."""

    pos: int


@dataclass(frozen=True)
class Tok(Node):
    """A token: `kind` is the grammar's terminal (LETTER, NUMBER, DIGIT, CMD, SIGN, DOTOP)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Script(Node):
    """A sub- or superscript: its parsed parts (comma-separated) and its raw text."""

    parts: tuple[Node, ...]
    raw: str
    mark: str | None = None      # "+", "-", "*" for `w^{+}`, `w^*`
    primes: int = 0              # `^{'(L)}`: primes printed inside, moved to the name


@dataclass(frozen=True)
class Atom(Node):
    """A primary with its scripts: `base_sub^sup'`."""

    base: Node
    sub: Script | None
    sup: Script | None
    primes: int


@dataclass(frozen=True)
class Group(Node):
    """A bracketed group: `kind` is one of ( [ { ‖ ; several items for `(a, b)`."""

    kind: str
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Compare(Node):
    """`[k = j]` or `(k = j)`: an index comparison inside brackets (an indicator's argument)."""

    kind: str
    left: Node
    rel: str
    right: Node


@dataclass(frozen=True)
class Frac(Node):
    num: Node
    den: Node


@dataclass(frozen=True)
class Font(Node):
    """`\\mathbf{a}`, `\\hat{y}`, `\\mathrm{net}`: the command, its argument, the raw argument."""

    cmd: str
    arg: Node
    raw: str


@dataclass(frozen=True)
class Sqrt(Node):
    arg: Node


@dataclass(frozen=True)
class NumpyCall(Node):
    """`np.sum(dZ, axis=1, keepdims=True)`, `np.dot(W, A)`: a NumPy function as code prints it,
    its positional arguments and its keyword arguments (name, value text)."""

    func: str
    args: tuple[Node, ...]
    keywords: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Product(Node):
    """Juxtaposed items, in order: atoms and explicit operators (Tok DOTOP)."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class HChain(Node):
    """Products joined by \\odot, \\circ, \\otimes (left to right)."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]


@dataclass(frozen=True)
class Signed(Node):
    """A sum: each term with its sign, '+' or '-'."""

    terms: tuple[tuple[str, Node], ...]


@dataclass(frozen=True)
class Chain(Node):
    """`A = B \\approx C`: expressions and the relations between them."""

    exprs: tuple[Node, ...]
    rels: tuple[str, ...]


@dataclass(frozen=True)
class Statement(Node):
    """Chains joined by \\implies: each is a claim of its own."""

    chains: tuple[Chain, ...]
