"""The meaning of a formula: references to indexed families, operators and derivatives.

Produced by `symbp.notation.resolve` from the syntax tree; evaluated to SymPy objects by
`symbp.derivation.evaluate`. Names are strings (`w`, `\\delta`, `E_{total}`), never identifiers.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from enum import Enum

import sympy as sp


class Role(Enum):
    """What an index counts: a layer, a unit of a layer, or a training example."""

    LAYER = "layer"
    UNIT = "unit"
    SAMPLE = "sample"


@dataclass(frozen=True)
class Index:
    """An index expression `var + offset` with its role; var None is absolute.

    A hidden layer variable (for families printed without a layer script) is named
    `layer(j)`: the layer that unit index j lives on.
    """

    var: str | None
    offset: int = 0
    role: Role = Role.UNIT

    @property
    def hidden(self) -> bool:
        return self.var is not None and self.var.startswith("layer(")

    def shifted(self, by: int) -> "Index":
        return Index(self.var, self.offset + by, self.role)

    def as_role(self, role: Role) -> "Index":
        return Index(self.var, self.offset, role)

    def __str__(self) -> str:
        if self.var is None:
            return str(self.offset)
        if self.offset == 0:
            return self.var
        return f"{self.var}{self.offset:+d}"


@dataclass(frozen=True)
class Expr:
    pos: int


@dataclass(frozen=True)
class Num(Expr):
    value: sp.Rational
    text: str

    @property
    def decimal(self) -> bool:
        return "." in self.text


@dataclass(frozen=True)
class Ref(Expr):
    """A use of a family: `w^{l}_{jk}` is Ref('w', Index('l', role=LAYER), (Index('j'), Index('k'))).

    `sample` is the training example it is written for (`a^{x,l}`, `o_j(x)`, `x^{(i)}`, `C_x`),
    None where none is printed.
    """

    name: str
    layer: Index | None
    indices: tuple[Index, ...]
    sample: Index | None = None


@dataclass(frozen=True)
class Call(Expr):
    """A function applied to an argument; `order` counts primes (σ'(z) has order 1);
    `layer` is set for a layer's own activation, `g^{[l]}(z)`."""

    func: str
    arg: Expr
    order: int = 0
    layer: Index | None = None


@dataclass(frozen=True)
class Add(Expr):
    terms: tuple[Expr, ...]


@dataclass(frozen=True)
class Neg(Expr):
    arg: Expr


@dataclass(frozen=True)
class Mul(Expr):
    """Juxtaposition, `\\cdot` or `\\times`: scalar or matrix product, left to right."""

    factors: tuple[Expr, ...]


@dataclass(frozen=True)
class Div(Expr):
    num: Expr
    den: Expr


@dataclass(frozen=True)
class Pow(Expr):
    base: Expr
    exp: Expr


@dataclass(frozen=True)
class Hadamard(Expr):
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Outer(Expr):
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Transpose(Expr):
    arg: Expr


@dataclass(frozen=True)
class Norm(Expr):
    arg: Expr


@dataclass(frozen=True)
class Ones(Expr):
    """`\\vec{1}`, `\\mathbf{1}`: the number 1, acting elementwise."""


@dataclass(frozen=True)
class BatchSize(Expr):
    """`n` in `\\frac{1}{n} \\sum_x`, where the file also has a family n_j: the number of
    training examples in the batch."""

    name: str


#: The index of a `\\sum` printed without a subscript, until its summand settles it.
UNINDEXED = "·"


@dataclass(frozen=True)
class AxisSum(Expr):
    """NumPy's `np.sum(arg, axis=…)` (or `np.mean`): axis 1 sums each row across the columns,
    axis 0 each column down the rows, None every entry; `mean` divides by the count."""

    arg: Expr
    axis: int | None
    mean: bool = False


@dataclass(frozen=True)
class EntryPow(Expr):
    """`np.power(A, 2)`: every entry raised to the power, whatever the shape."""

    base: Expr
    exp: Expr


@dataclass(frozen=True)
class Sum(Expr):
    """`\\sum_{var=lo}^{hi} body`; without bounds the index runs over its inferred range.

    `within` is set for `\\sum_{\\ell \\in L}`: the units of that layer.
    """

    var: str
    lo: Expr | None
    hi: Expr | None
    within: Index | str | None
    body: Expr


@dataclass(frozen=True)
class Deriv(Expr):
    """∂num/∂wrt; `wrt` is a family reference (a vector when its unit index is left off)."""

    num: Expr
    wrt: Ref


@dataclass(frozen=True)
class Star(Expr):
    """`*` or `.*`: elementwise between arrays of one shape (NumPy usage), else a product."""

    left: Expr
    right: Expr


@dataclass(frozen=True)
class Indicator(Expr):
    """`[k = j]`, `\\mathbb{1}(k = j)`: 1 when the two index expressions are equal, else 0;
    `[z > 0]` is the step of z (ReLU's derivative)."""

    left: Expr
    right: Expr
    rel: str = "="


@dataclass(frozen=True)
class Tuple(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Relation:
    """One link of a chain: `left rel right`, `rel` is "=" or "≈"; pos of the relation sign."""

    left: Expr
    right: Expr
    rel: str
    pos: int


def children(expr: Expr):
    """The direct subexpressions of `expr`, in field order."""
    for value in expr.__dict__.values():
        if isinstance(value, Expr):
            yield value
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, Expr):
                    yield item


def walk(expr: Expr):
    """Every node of `expr`, parents first."""
    yield expr
    for child in children(expr):
        yield from walk(child)


def shape_key(expr):
    """`expr` without positions or printed number text: what two prints of one formula share
    (`w_1 x_1` here and there)."""
    if isinstance(expr, Expr):
        return (type(expr).__name__,) + tuple(shape_key(value) for name, value in
                                               expr.__dict__.items() if name not in ("pos", "text"))
    if isinstance(expr, tuple):
        return tuple(shape_key(e) for e in expr)
    return expr


def mapped(node, rule):
    """`node` rebuilt top-down: where `rule` returns something it replaces the node (and its
    children are not visited), elsewhere the node's fields are mapped in turn."""
    out = rule(node)
    if out is not None:
        return out
    if isinstance(node, tuple):
        return tuple(mapped(n, rule) for n in node)
    if isinstance(node, Expr):
        return replace(node, **{f.name: mapped(getattr(node, f.name), rule)
                                for f in fields(node) if f.name != "pos"})
    return node
