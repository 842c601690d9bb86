"""Values of formulas: SymEngine scalars and small matrices (a column vector is n×1), with the
shape rules of the contract (first subscript the row, Hadamard elementwise, a scalar broadcast).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import symengine as se


class ShapeMismatch(Exception):
    """Two operands whose shapes do not fit: the claim fails, with this as its diagnosis."""


@dataclass(frozen=True)
class Mat:
    """A matrix of SymPy expressions; rows of equal length."""

    rows: tuple[tuple[se.Basic, ...], ...]

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.rows), len(self.rows[0]) if self.rows else 0)

    @staticmethod
    def column(items) -> "Mat":
        return Mat(tuple((x,) for x in items))

    def entries(self):
        return [x for row in self.rows for x in row]

    def map(self, fn: Callable[[se.Basic], se.Basic]) -> "Mat":
        return Mat(tuple(tuple(fn(x) for x in row) for row in self.rows))

    def T(self) -> "Mat":
        return Mat(tuple(zip(*self.rows))) if self.rows else self


Value = object   # se.Basic | Mat


def shape_text(value: Value) -> str:
    if isinstance(value, Mat):
        r, c = value.shape
        return f"a {r}×{c} matrix" if c != 1 else f"a vector of {r}"
    return "a scalar"


def as_scalar(value: Value) -> Value:
    """A 1×1 matrix is its entry."""
    if isinstance(value, Mat) and value.shape == (1, 1):
        return value.rows[0][0]
    return value


def elementwise(a: Value, b: Value, op: Callable, what: str) -> Value:
    """`op` entry by entry; a scalar acts on every entry."""
    if isinstance(a, Mat) and isinstance(b, Mat):
        if a.shape != b.shape:
            raise ShapeMismatch(f"{what} of {shape_text(a)} and {shape_text(b)}")
        return Mat(tuple(tuple(op(x, y) for x, y in zip(ra, rb)) for ra, rb in zip(a.rows, b.rows)))
    if isinstance(a, Mat):
        return a.map(lambda x: op(x, b))
    if isinstance(b, Mat):
        return b.map(lambda y: op(a, y))
    return op(a, b)


def add(a: Value, b: Value, broadcast: str | None = None) -> Value:
    """`a + b`; with `broadcast` "columns" ("rows"), a vector is added to every column (row)
    of a matrix of more columns (rows), as NumPy adds b to W X (X W) with one example each."""
    if broadcast and isinstance(a, Mat) and isinstance(b, Mat) and a.shape != b.shape:
        a, b = (_spread(a, b.shape, broadcast), _spread(b, a.shape, broadcast))
    return elementwise(a, b, lambda x, y: x + y, "a sum")


def _spread(v: Mat, shape: tuple[int, int], axis: str) -> Mat:
    """`v` repeated along the examples axis to `shape`, when it is one column (row) of it."""
    rows, cols = shape
    if axis == "columns" and v.shape == (rows, 1) and cols > 1:
        return Mat(tuple((x,) * cols for (x,) in v.rows))
    if axis == "rows" and rows > 1:
        line = v.entries() if 1 in v.shape else None
        if line is not None and len(line) == cols:
            return Mat((tuple(line),) * rows)
    return v


def hadamard(a: Value, b: Value) -> Value:
    return elementwise(a, b, lambda x, y: x * y, "a Hadamard product")


def neg(a: Value) -> Value:
    return a.map(lambda x: -x) if isinstance(a, Mat) else -a


def product(a: Value, b: Value) -> Value:
    """Juxtaposition: scalar product, or the matrix product of matrices and vectors."""
    if not isinstance(a, Mat) or not isinstance(b, Mat):
        return elementwise(a, b, lambda x, y: x * y, "a product")
    (r1, c1), (r2, c2) = a.shape, b.shape
    if c1 != r2:
        raise ShapeMismatch(f"the product of {shape_text(a)} and {shape_text(b)} "
                            f"({r1}×{c1} times {r2}×{c2})")
    cols = list(zip(*b.rows))
    result = Mat(tuple(tuple(se.Add(*[x * y for x, y in zip(row, col)]) for col in cols)
                       for row in a.rows))
    return as_scalar(result)


def outer(a: Value, b: Value) -> Value:
    if not (isinstance(a, Mat) and isinstance(b, Mat) and a.shape[1] == 1 and b.shape[1] == 1):
        raise ShapeMismatch(f"an outer product of {shape_text(a)} and {shape_text(b)}")
    return Mat(tuple(tuple(x * y for (y,) in b.rows) for (x,) in a.rows))


def transpose(a: Value) -> Value:
    return a.T() if isinstance(a, Mat) else a


def divide(a: Value, b: Value) -> Value:
    """`a / b`; by a vector, elementwise (`\\frac{1}{1 + e^{-z}}` of a vector z, the contract's
    "a scalar function of a vector acts elementwise")."""
    if isinstance(b, Mat):
        return elementwise(a, b, lambda x, y: x / y, "a division")
    return a.map(lambda x: x / b) if isinstance(a, Mat) else a / b


def squared_norm(a: Value) -> se.Basic:
    if isinstance(a, Mat):
        return se.Add(*[x ** 2 for x in a.entries()])
    return a ** 2


def power(a: Value, b: Value) -> Value:
    """`x^n`; a vector squared is its squared norm (where a cost needs a scalar)."""
    if isinstance(b, Mat):
        raise ShapeMismatch(f"an exponent that is {shape_text(b)}")
    if isinstance(a, Mat):
        if b == 2:
            return squared_norm(a)
        raise ShapeMismatch(f"{shape_text(a)} raised to the power {b}")
    return a ** b


def axis_total(value: Value, axis: int | None, mean: bool = False) -> Value:
    """NumPy's sum (or mean) over an axis: 1 across each row's columns (a column results), 0
    down each column's rows (a row), None every entry (a scalar)."""
    if not isinstance(value, Mat):
        return value
    rows, cols = value.shape
    if axis is None:
        out: Value = se.Add(*value.entries())
        count = rows * cols
    elif axis == 1:
        out = Mat.column(se.Add(*row) for row in value.rows)
        count = cols
    else:
        out = Mat((tuple(se.Add(*col) for col in zip(*value.rows)),))
        count = rows
    if not mean:
        return out
    return out.map(lambda x: x / count) if isinstance(out, Mat) else out / count


def total(values: list[Value]) -> Value:
    """The sum of a list of values of one shape."""
    if not values:
        return se.Integer(0)
    if all(not isinstance(v, Mat) for v in values):
        return se.Add(*values)
    out = values[0]
    for v in values[1:]:
        out = add(out, v)
    return out
