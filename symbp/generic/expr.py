"""Expressions with unit indices over symbolic widths, finite sums with symbolic bounds, δ_{ij}.

A layer is a symbol with an integer offset (l, l+1, L); a unit index is a name or the constant
0 (the bias unit). `normalize` gives the canonical form that decides equality: every product
expanded and every sum pulled to the front of its term (a factor that does not depend on a bound
index is thereby outside that sum), Kronecker deltas summed out, bound indices renamed
canonically, like terms collected. Each of these is a rule of `symbp.generic.rules`.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Iterable, Union

import sympy as sp

Layer = tuple[str, int]            # ("l", 1) is layer l+1
Index = Union[str, int]            # a unit index name, or a constant unit (0: the bias unit)
Range = tuple[Layer, int]          # the units 'lower'..n_layer of a layer

#: The placeholders a cost term f(A, Y) is written in: A for a^L_i, Y for y_i.
A, Y = sp.Symbol("A"), sp.Symbol("Y")


class Expr:
    """A node of the expression language (immutable, hashable, compared structurally)."""

    def __add__(self, other: "Expr") -> "Expr":
        return add(self, other)

    def __mul__(self, other: "Expr") -> "Expr":
        return mul(self, other)

    def __str__(self) -> str:
        return text(self)


@dataclass(frozen=True, eq=True)
class Num(Expr):
    value: Fraction


@dataclass(frozen=True, eq=True)
class Atom(Expr):
    """A network quantity: w, b, a, z, y, dsig (σ'(z)), delta (δ), grad ((∇_a C)_i), E (e^{z}),
    S (the softmax denominator Σ_m e^{z_m}), n (a width), C (the cost)."""

    kind: str
    layer: Layer | None = None
    idx: tuple[Index, ...] = ()


@dataclass(frozen=True, eq=True)
class Scalar(Expr):
    """A scalar function of (a^L_i, y_i), written as a SymPy expression in A and Y."""

    form: sp.Expr
    layer: Layer
    idx: tuple[Index, ...]
    name: str = "f"


@dataclass(frozen=True, eq=True)
class KD(Expr):
    """The Kronecker delta δ_{ij}: 1 when the two units are the same, else 0."""

    i: Index
    j: Index


@dataclass(frozen=True, eq=True)
class Add(Expr):
    terms: tuple[Expr, ...]


@dataclass(frozen=True, eq=True)
class Mul(Expr):
    factors: tuple[Expr, ...]


@dataclass(frozen=True, eq=True)
class Pow(Expr):
    base: Expr
    exp: int


@dataclass(frozen=True, eq=True)
class Sum(Expr):
    """Σ_{index = lower}^{n_layer} body."""

    index: str
    layer: Layer
    body: Expr
    lower: int = 1


@dataclass(frozen=True, eq=True)
class D(Expr):
    """∂f/∂v, the partial derivative of f with respect to one network quantity v."""

    f: Expr
    v: Atom


ZERO, ONE = Num(Fraction(0)), Num(Fraction(1))
COST = Atom("C")


def num(value: int | Fraction) -> Num:
    return Num(Fraction(value))


def add(*terms: Expr) -> Expr:
    """A sum, flattened, zeros dropped (nothing else: steps stay readable)."""
    flat: list[Expr] = []
    for t in terms:
        flat.extend(t.terms if isinstance(t, Add) else [t])
    flat = [t for t in flat if t != ZERO]
    return ZERO if not flat else flat[0] if len(flat) == 1 else Add(tuple(flat))


def mul(*factors: Expr) -> Expr:
    """A product, flattened; a zero factor makes it zero, unit factors are dropped."""
    flat: list[Expr] = []
    for f in factors:
        flat.extend(f.factors if isinstance(f, Mul) else [f])
    if any(f == ZERO for f in flat):
        return ZERO
    coeff = Fraction(1)
    rest = []
    for f in flat:
        if isinstance(f, Num):
            coeff *= f.value
        else:
            rest.append(f)
    if coeff != 1 or not rest:
        rest.insert(0, Num(coeff))
    return rest[0] if len(rest) == 1 else Mul(tuple(rest))


def neg(e: Expr) -> Expr:
    return mul(num(-1), e)


# -- indices ------------------------------------------------------------------------------------
def layer_text(layer: Layer) -> str:
    base, off = layer
    return base if off == 0 else f"{base}{off:+d}"


def shift(layer: Layer, by: int) -> Layer:
    return (layer[0], layer[1] + by)


def rename(e: Expr, mapping: dict[str, Index]) -> Expr:
    """Substitute unit indices (bound indices of inner sums are not touched)."""
    if not mapping:
        return e
    r = lambda i: mapping.get(i, i) if isinstance(i, str) else i   # noqa: E731
    if isinstance(e, Atom):
        return Atom(e.kind, e.layer, tuple(r(i) for i in e.idx))
    if isinstance(e, Scalar):
        return Scalar(e.form, e.layer, tuple(r(i) for i in e.idx), e.name)
    if isinstance(e, KD):
        return KD(r(e.i), r(e.j))
    if isinstance(e, Add):
        return Add(tuple(rename(t, mapping) for t in e.terms))
    if isinstance(e, Mul):
        return Mul(tuple(rename(f, mapping) for f in e.factors))
    if isinstance(e, Pow):
        return Pow(rename(e.base, mapping), e.exp)
    if isinstance(e, Sum):
        inner = {k: v for k, v in mapping.items() if k != e.index}
        return Sum(e.index, e.layer, rename(e.body, inner), e.lower)
    if isinstance(e, D):
        return D(rename(e.f, mapping), rename(e.v, mapping))   # type: ignore[arg-type]
    return e


def indices(e: Expr) -> set[str]:
    """The free unit index names of an expression."""
    if isinstance(e, (Atom, Scalar)):
        return {i for i in e.idx if isinstance(i, str)}
    if isinstance(e, KD):
        return {i for i in (e.i, e.j) if isinstance(i, str)}
    if isinstance(e, (Add, Mul)):
        parts = e.terms if isinstance(e, Add) else e.factors
        return set().union(*(indices(p) for p in parts))
    if isinstance(e, Pow):
        return indices(e.base)
    if isinstance(e, Sum):
        return indices(e.body) - {e.index}
    if isinstance(e, D):
        return indices(e.f) | indices(e.v)
    return set()


def walk(e: Expr) -> Iterable[Expr]:
    """Every node, parents before children."""
    yield e
    children: tuple = ()
    if isinstance(e, Add):
        children = e.terms
    elif isinstance(e, Mul):
        children = e.factors
    elif isinstance(e, Pow):
        children = (e.base,)
    elif isinstance(e, Sum):
        children = (e.body,)
    elif isinstance(e, D):
        children = (e.f, e.v)
    for c in children:
        yield from walk(c)


_fresh = itertools.count(1)


def fresh(base: str = "m") -> str:
    """A bound index name never used before (so that renaming can never capture)."""
    return f"{base}{next(_fresh)}"


# -- canonical form -----------------------------------------------------------------------------
Factors = tuple[tuple[Expr, int], ...]
Bound = tuple[tuple[str, Layer, int], ...]
Canonical = dict[tuple[Bound, Factors], Fraction]


class NotPolynomial(ValueError):
    """An expression the canonical form cannot expand (a negative power of a sum)."""


@dataclass
class _Term:
    coeff: Fraction
    bound: list[tuple[str, Layer, int]]
    factors: dict[Expr, int]


def _product(a: list[_Term], b: list[_Term]) -> list[_Term]:
    out = []
    for s in a:
        for t in b:
            factors = dict(s.factors)
            for f, p in t.factors.items():
                factors[f] = factors.get(f, 0) + p
            out.append(_Term(s.coeff * t.coeff, s.bound + t.bound,
                             {f: p for f, p in factors.items() if p}))
    return out


def _cost_monomials(e: Scalar) -> list[_Term] | None:
    """A polynomial cost term as monomials in a^L_i and y_i (None for a rational one)."""
    form = sp.expand(e.form)
    if not form.is_polynomial(A, Y):
        return None
    a_atom, y_atom = Atom("a", e.layer, e.idx), Atom("y", None, e.idx)
    out = []
    for (pa, py), c in sp.Poly(form, A, Y).terms():
        factors = {k: v for k, v in ((a_atom, pa), (y_atom, py)) if v}
        out.append(_Term(Fraction(int(c.p), int(c.q)), [], factors))
    return out


def expand(e: Expr) -> list[_Term]:
    """Sum of monomials, each with its bound indices in front (the 'expand' rule)."""
    if isinstance(e, Num):
        return [_Term(e.value, [], {})] if e.value else []
    if isinstance(e, Scalar):
        return _cost_monomials(e) or [_Term(Fraction(1), [], {e: 1})]
    if isinstance(e, Atom) and e.kind == "a" and e.idx == (0,):
        return [_Term(Fraction(1), [], {})]          # the bias unit a_0 = 1
    if isinstance(e, (Atom, KD, D)):
        return [_Term(Fraction(1), [], {e: 1})]
    if isinstance(e, Add):
        return [t for part in e.terms for t in expand(part)]
    if isinstance(e, Mul):
        out = [_Term(Fraction(1), [], {})]
        for f in e.factors:
            out = _product(out, expand(f))
        return out
    if isinstance(e, Pow):
        base = expand(e.base)
        if e.exp >= 0:
            out = [_Term(Fraction(1), [], {})]
            for _ in range(e.exp):
                out = _product(out, base)
            return out
        if len(base) != 1 or base[0].bound:
            raise NotPolynomial(f"a negative power of a sum: {text(e)}")
        t = base[0]
        return [_Term(t.coeff ** e.exp, [], {f: p * e.exp for f, p in t.factors.items()})]
    if isinstance(e, Sum):
        name = fresh()
        out = []
        for t in expand(rename(e.body, {e.index: name})):
            if any(name in indices(f) for f in t.factors):
                out.append(_Term(t.coeff, [(name, e.layer, e.lower)] + t.bound, t.factors))
            else:   # Σ_{k=lower}^{n} c = (n - lower + 1) c
                width = Atom("n", e.layer)
                out.append(_Term(t.coeff, t.bound, {**t.factors, width: t.factors.get(width, 0) + 1}))
                if e.lower != 1:
                    out.append(_Term(t.coeff * (1 - e.lower), t.bound, dict(t.factors)))
        return out
    raise TypeError(f"cannot expand {e!r}")


def _range_of(name: Index, bound: list, ranges: dict[str, Range]) -> Range | None:
    for b, layer, lower in bound:
        if b == name:
            return (layer, lower)
    return ranges.get(name) if isinstance(name, str) else None


def _in_range(value: Index, rng: Range | None, ranges: dict, bound: list) -> bool:
    """Whether a unit certainly lies in a range: a constant ≥ lower, or an index of the same
    layer whose own range starts no lower."""
    if rng is None:
        return False
    if isinstance(value, int):
        return rng[1] <= value <= 1          # every width is at least 1, and no more is known
    own = _range_of(value, bound, ranges)
    return own is not None and own[0] == rng[0] and own[1] >= rng[1]


def _outside(value: Index, rng: Range | None) -> bool:
    return isinstance(value, int) and rng is not None and value < rng[1]


def kronecker(t: _Term, ranges: dict[str, Range]) -> _Term | None:
    """Sum out every δ_{ij} that can be (the 'Kronecker summation' rule); None if the term is 0."""
    changed = True
    while changed:
        changed = False
        for f in list(t.factors):
            if not isinstance(f, KD):
                continue
            i, j = f.i, f.j
            if i == j:
                del t.factors[f]
                changed = True
                break
            if isinstance(i, int) and isinstance(j, int):
                return None
            bound_names = [b for b, _, _ in t.bound]
            if j in bound_names and i not in bound_names:
                i, j = j, i
            ri, rj = _range_of(i, t.bound, ranges), _range_of(j, t.bound, ranges)
            if _outside(j, ri) or _outside(i, rj):
                return None                       # δ_{k0} = 0 when k ≥ 1
            if i in bound_names and _in_range(j, ri, ranges, t.bound):
                del t.factors[f]
                t.bound = [b for b in t.bound if b[0] != i]
                factors: dict[Expr, int] = {}
                for g, p in t.factors.items():
                    g2 = rename(g, {i: j})  # type: ignore[dict-item]
                    g2 = ONE if isinstance(g2, Atom) and g2.kind == "a" and g2.idx == (0,) else g2
                    if g2 != ONE:
                        factors[g2] = factors.get(g2, 0) + p
                t.factors = factors
                changed = True
                break
    return t


def _key(bound: list, factors: dict[Expr, int], order: tuple[str, ...]) -> tuple[Bound, Factors]:
    names = {b: f"_{n}" for n, b in enumerate(order, start=1)}
    fs = []
    for f, p in factors.items():
        g = rename(f, names)    # type: ignore[arg-type]
        if isinstance(g, KD) and repr(g.j) < repr(g.i):
            g = KD(g.j, g.i)
        fs.append((g, p))
    fs.sort(key=lambda fp: repr(fp))
    bs = tuple(sorted((names[b], layer, lower) for b, layer, lower in bound))
    return bs, tuple(fs)


def canonical_key(t: _Term) -> tuple[Bound, Factors]:
    """The term with its bound indices renamed canonically: the least key over all namings."""
    names = [b for b, _, _ in t.bound]
    if len(names) > 6:
        return _key(t.bound, t.factors, tuple(names))
    return min((_key(t.bound, t.factors, order) for order in itertools.permutations(names)),
               key=repr)


def normalize(e: Expr, ranges: dict[str, Range], *, sum_out: bool = True) -> Canonical:
    """The canonical form: expand, (if `sum_out`) sum out Kronecker deltas, rename, collect."""
    out: Canonical = {}
    for t in expand(e):
        if sum_out:
            t = kronecker(t, ranges)
            if t is None:
                continue
        key = canonical_key(t)
        out[key] = out.get(key, Fraction(0)) + t.coeff
    return {k: c for k, c in out.items() if c}


def from_canonical(c: Canonical, free: Iterable[str] = ()) -> Expr:
    """A canonical form as an expression again, bound indices named from i, m, p, q, ..."""
    taken = set(free)
    pool = [n for n in "imnpqrstuv" if n not in taken]
    terms = []
    for (bound, factors), coeff in sorted(c.items(), key=lambda kv: repr(kv[0])):
        names = {b: pool[n] for n, (b, _, _) in enumerate(bound)}
        body = mul(Num(coeff), *[rename(f, names) if p == 1 else Pow(rename(f, names), p)
                                 for f, p in factors])
        for b, layer, lower in reversed(bound):
            body = Sum(names[b], layer, body, lower)
        terms.append(body)
    return add(*terms) if terms else ZERO


def times(c: Canonical, e: Expr, ranges: dict[str, Range]) -> Canonical:
    """The canonical form of (the expression of c) · e."""
    return normalize(mul(from_canonical(c, ranges), e), ranges)


# -- plain text ---------------------------------------------------------------------------------
def _idx(idx: tuple[Index, ...]) -> str:
    s = "".join(str(i) for i in idx)
    return s if len(s) == 1 else "{" + s + "}"


def _sup(layer: Layer | None) -> str:
    t = layer_text(layer) if layer else ""
    return t if len(t) == 1 else "{" + t + "}"


ATOM_TEXT = {
    "w": lambda e: f"w^{_sup(e.layer)}_{_idx(e.idx)}",
    "b": lambda e: f"b^{_sup(e.layer)}_{_idx(e.idx)}",
    "a": lambda e: f"a^{_sup(e.layer)}_{_idx(e.idx)}",
    "z": lambda e: f"z^{_sup(e.layer)}_{_idx(e.idx)}",
    "y": lambda e: f"y_{_idx(e.idx)}",
    "dsig": lambda e: f"σ'(z^{_sup(e.layer)}_{_idx(e.idx)})",
    "delta": lambda e: f"δ^{_sup(e.layer)}_{_idx(e.idx)}",
    "grad": lambda e: f"(∇_a C)_{_idx(e.idx)}",
    "E": lambda e: f"e^(z^{_sup(e.layer)}_{_idx(e.idx)})",
    "S": lambda e: f"S^{_sup(e.layer)}",
    "n": lambda e: f"n_{_sup(e.layer)}",
    "C": lambda e: "C",
}


AtomText = Callable[[Atom], str]


def text(e: Expr, atom_text: "AtomText | None" = None) -> str:
    """A plain-text rendering, as a reader would write it; `atom_text` renders network
    quantities in another notation (a derivation file's own), the default is this module's."""
    show = atom_text or (lambda a: ATOM_TEXT[a.kind](a))
    t = lambda x: text(x, atom_text)    # noqa: E731
    if isinstance(e, Num):
        return str(e.value)
    if isinstance(e, Atom):
        return show(e)
    if isinstance(e, Scalar):
        return f"{e.name}(a^{_sup(e.layer)}_{_idx(e.idx)}, y_{_idx(e.idx)})"
    if isinstance(e, KD):
        return f"δ_{{{e.i}{e.j}}}"
    if isinstance(e, Add):
        out = t(e.terms[0])
        for term in e.terms[1:]:
            s = t(term)
            out += f" - {s[1:]}" if s.startswith("-") else f" + {s}"
        return out
    if isinstance(e, Mul):
        parts = []
        for n, f in enumerate(e.factors):
            if n == 0 and f == num(-1):
                parts.append("-")
                continue
            s = t(f)
            parts.append(f"({s})" if isinstance(f, (Add, Sum)) and len(e.factors) > 1 else s)
        head = parts[0] if parts[0] == "-" else ""
        return head + " ".join(p for p in parts if p != "-")
    if isinstance(e, Pow):
        s = t(e.base)
        return f"({s})^{e.exp}" if isinstance(e.base, (Add, Mul)) or "^" in s else f"{s}^{e.exp}"
    if isinstance(e, Sum):
        low = f"={e.lower}" if e.lower != 1 else ""
        return f"Σ_{e.index}{low}^(n_{layer_text(e.layer)}) {t(e.body)}"
    if isinstance(e, D):
        inner = t(e.f)
        return f"∂{inner}/∂{t(e.v)}" if isinstance(e.f, Atom) else f"∂({inner})/∂{t(e.v)}"
    raise TypeError(repr(e))


# -- readable bound names -----------------------------------------------------------------------
_FRESH = re.compile(r"^[a-z]\d+$")
POOL = "kmipqrstuv"


def bound_names(e: Expr) -> set[str]:
    return {n.index for n in walk(e) if isinstance(n, Sum)}


def all_names(e: Expr) -> set[str]:
    return indices(e) | bound_names(e)


def tidy(e: Expr, mapping: dict[str, str]) -> Expr:
    """`e` with its machine-made bound names (k12) read as letters, consistently across calls
    sharing `mapping`, never capturing a name already in `e`."""
    taken = {n for n in all_names(e) if not _FRESH.match(n)}
    local: dict[str, str] = {}
    for name in sorted((n for n in bound_names(e) if _FRESH.match(n)),
                       key=lambda n: int(n[1:])):
        letter = mapping.get(name)
        if letter is None or letter in taken or letter in local.values():
            used = taken | set(local.values())
            letter = next((c for c in POOL if c not in used and c not in mapping.values()),
                          None) or next(f"{c}{n}" for n in range(2, 99) for c in POOL
                                        if f"{c}{n}" not in used)
            mapping[name] = letter
        local[name] = letter
    return rename_bound(e, local)


def rename_bound(e: Expr, mapping: dict[str, str]) -> Expr:
    """Rename bound indices (binders and their occurrences); free indices are left alone."""
    if isinstance(e, Sum):
        new = mapping.get(e.index, e.index)
        body = rename(rename_bound(e.body, mapping), {e.index: new})
        return Sum(new, e.layer, body, e.lower)
    if isinstance(e, Add):
        return Add(tuple(rename_bound(t, mapping) for t in e.terms))
    if isinstance(e, Mul):
        return Mul(tuple(rename_bound(f, mapping) for f in e.factors))
    if isinstance(e, Pow):
        return Pow(rename_bound(e.base, mapping), e.exp)
    if isinstance(e, D):
        return D(rename_bound(e.f, mapping), e.v)
    return e
