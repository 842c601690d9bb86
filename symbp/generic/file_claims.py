"""A derivation file's claim as generic claims: its sides in the language of sums over symbolic
widths, proved for every width and depth, or diagnosed in the claim's own indices.

The translation follows the checker's own reading of the resolved formula (`symbp.derivation`):
a family written without indices is the vector (or matrix) of its entries over the layers its
slots run over; juxtaposition is the matrix product, a scalar scales, ⊙ is entrywise, a vector
squared is its squared norm; ∂f/∂v with respect to a whole vector is the vector of partials; a
sum without bounds runs over the units its index takes in the summand. A free unit letter runs
over the units of the one layer all its uses agree on; a free layer letter over every layer
where each quantity exists. Anything it cannot say exactly that way (a fixed layer or unit
number other than the bias unit 0, two layer letters, a letter used on two layers, a shape that
only fits at some sizes, a family the model does not have) raises `Unmodelled`: the claim then
keeps the scope of the sizes its file lists. Nothing here decides a verdict: the caller asks
only about claims the instance checker has already judged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

from symbp.derivation.model import Context
from symbp.generic.expr import (COST, KD, ONE, Atom, D, Expr, Index, Layer, Num, Pow, Sum, add,
                                fresh, indices, mul, neg, shift, text, walk)
from symbp.generic.file_network import MAX_POWER, FileNetwork, Unmodelled, recognize
from symbp.generic.proof import GenericClaim, GenericVerdict, Phase, prove_claim
from symbp.generic.rules import OUTPUT, GenericNetwork
from symbp.notation import ast as A
from symbp.notation import names as N

Dim = Layer | None                      # the layer a dimension runs over; None: size 1
Entry = Callable[[Index | None, Index | None], Expr]
#: The letters an entry of a vector claim is named by, in order of preference.
ENTRY_LETTERS = ("j", "k", "i", "u", "m", "p", "q", "r", "s", "t", "v")
#: How deep definitions that only rename may be unfolded into one another.
MAX_INLINE = 8
#: The first layer each quantity exists on, the input layer being 1.
FIRST_LAYER = {"a": 1, "y": 1, "z": 2, "b": 2, "w": 2, "delta": 2, "dsig": 2}
_MACHINE = re.compile(r"^[a-z]\d+$")


@dataclass(frozen=True)
class Shaped:
    """A translated value: the layers its rows and columns run over, and its entries."""

    rows: Dim
    cols: Dim
    entry: Entry

    @property
    def scalar(self) -> bool:
        return self.rows is None and self.cols is None

    def at(self, r: Index | None, c: Index | None) -> Expr:
        """The entry (r, c); a scalar is its own entry everywhere (broadcast)."""
        return self.entry(None, None) if self.scalar else self.entry(r, c)


def _scalar(e: Expr) -> Shaped:
    return Shaped(None, None, lambda r, c: e)


@dataclass(frozen=True)
class Env:
    """Letters bound by a sum or by an unfolded definition: unit letters to generic indices,
    layer letters to generic layers."""

    units: dict[str, Index] = field(default_factory=dict)
    layers: dict[str, Layer] = field(default_factory=dict)

    def bind(self, letter: str, index: Index) -> "Env":
        return Env({**self.units, letter: index}, self.layers)


class _Translator:
    """Resolved formulas of one claim -> generic expressions, recording the ranges it meets."""

    def __init__(self, fn: FileNetwork, ctx: Context) -> None:
        self.fn, self.ctx = fn, ctx
        self.uses: dict[Index, set[Layer]] = {}     # index -> the layers whose units it names
        self.bound: set[str] = set()                # generic names bound by sums
        self.layer_letters: set[str] = set()        # free layer letters other than L
        self.output = False                         # whether L is used
        self.atoms: list[tuple[str, Layer]] = []    # (kind, layer) of every quantity met
        self.depth = 0

    # -- indices and layers ----------------------------------------------------------------------
    def use(self, index: Index, layer: Layer) -> None:
        if isinstance(index, str):
            self.uses.setdefault(index, set()).add(layer)

    def layer(self, level: A.Index | None, env: Env) -> Layer:
        if level is None or level.var is None:
            raise Unmodelled("a fixed layer number")
        if level.hidden:
            raise Unmodelled("a family without a layer script")
        if level.var in env.layers:
            return shift(env.layers[level.var], level.offset)
        if level.var == "L":
            self.output = True
        else:
            self.layer_letters.add(level.var)
        return (level.var, level.offset)

    def unit(self, idx: A.Index, env: Env, zero: bool = False) -> Index:
        """A unit index: a letter (bound or free), or 0 where `zero` allows the bias unit."""
        if idx.var is None:
            if idx.offset == 0 and zero:
                return 0
            raise Unmodelled("a fixed unit number")
        if idx.offset or idx.hidden:
            raise Unmodelled("a unit index with an offset")
        found = env.units.get(idx.var, idx.var)
        if found == 0 and not zero:
            raise Unmodelled("the bias unit where the model has none")
        if isinstance(found, str) and found not in self.bound and _MACHINE.match(found):
            raise Unmodelled(f"the letter {found}")
        return found

    def atom(self, kind: str, layer: Layer | None, idx: tuple[Index, ...]) -> Atom:
        if layer is not None:
            self.atoms.append((kind, layer))
        return Atom(kind, layer, idx)

    # -- values ----------------------------------------------------------------------------------
    def value(self, e: A.Expr, env: Env) -> Shaped:
        method = getattr(self, "_" + type(e).__name__, None)
        if method is None:
            raise Unmodelled(f"a {type(e).__name__}")
        return method(e, env)

    def _Num(self, e: A.Num, env: Env) -> Shaped:
        return _scalar(Num(Fraction(int(e.value.p), int(e.value.q))))

    def _Ref(self, e: A.Ref, env: Env, wrt: bool = False) -> Shaped:
        fn = self.fn
        if e.name in fn.costs:
            if e.layer is not None or e.indices:
                raise Unmodelled("an indexed cost")
            return _scalar(COST)
        kinds = {fn.z: "z", fn.a: "a", **({fn.b: "b"} if fn.b else {}),
                 **{d: "delta" for d in fn.deltas}}
        if e.name in kinds:
            return self._unit_family(e, kinds[e.name], env, wrt)
        if e.name == fn.weights.name:
            return self._weights(e, env)
        if e.name == fn.y:
            if e.layer is not None or len(e.indices) > 1:
                raise Unmodelled("an indexed target")
            if e.indices:
                i = self.unit(e.indices[0], env)
                self.use(i, OUTPUT)
                return _scalar(self.atom("y", None, (i,)))
            return Shaped(OUTPUT, None, lambda r, c: self._used(self.atom("y", None, (r,)),
                                                                r, OUTPUT))
        if e.name in fn.macros:
            return self._inline(e, env)
        raise Unmodelled(f"{e.name} is not a quantity of the model")

    def _used(self, atom: Atom, index: Index, layer: Layer) -> Atom:
        self.use(index, layer)
        return atom

    def _unit_family(self, e: A.Ref, kind: str, env: Env, wrt: bool) -> Shaped:
        if e.layer is None and not (wrt and kind in ("a", "z")):
            raise Unmodelled(f"{e.name} without its layer")
        layer = self.layer(e.layer, env) if e.layer is not None else OUTPUT
        if e.layer is None:
            self.output = True
        if len(e.indices) == 1:
            i = self.unit(e.indices[0], env, zero=kind == "a" and self.fn.bias == "unit")
            self.use(i, layer)
            return _scalar(self.atom(kind, layer, (i,)))
        if e.indices:
            raise Unmodelled(f"{e.name} with {len(e.indices)} indices")
        return Shaped(layer, None, lambda r, c: self._used(self.atom(kind, layer, (r,)), r, layer))

    def _weights(self, e: A.Ref, env: Env) -> Shaped:
        w = self.fn.weights
        recv = shift(self.layer(e.layer, env), w.shift)
        send = shift(recv, -1)
        dims = [send, send]
        dims[w.receiving] = recv

        def atom(p: Index, q: Index) -> Atom:
            r, s = (p, q) if w.receiving == 0 else (q, p)
            self.use(r, recv)
            self.use(s, send)
            return self.atom("w", recv, (r, s))

        if len(e.indices) == 2:
            zero = self.fn.bias == "unit"
            p, q = (self.unit(i, env, zero=zero and n != w.receiving)
                    for n, i in enumerate(e.indices))
            return _scalar(atom(p, q))
        if e.indices:
            raise Unmodelled("a weight with one index")
        return Shaped(dims[0], dims[1], atom)

    def _inline(self, e: A.Ref, env: Env) -> Shaped:
        """A family defined over letters only (a renaming): its definition, unfolded."""
        d = self.fn.macros[e.name]
        if self.depth >= MAX_INLINE:
            raise Unmodelled("definitions nested too deeply")
        layers: dict[str, Layer] = {}
        if (d.layer is None) != (e.layer is None):
            raise Unmodelled(f"{e.name} with or without its layer")
        own = self.layer(e.layer, env) if e.layer is not None else None
        if d.layer is not None and own is not None:
            layers[d.layer.var] = shift(own, -d.layer.offset)
        letters = [i.var for i in d.indices]
        slots = [self._slot(e.name, n, own) for n in range(len(letters))]

        def unfold(values: list[Index]) -> Expr:
            for value, slot in zip(values, slots):
                self.use(value, slot)
            self.depth += 1
            try:
                inner = self.value(d.rhs, Env(dict(zip(letters, values)), layers))
            finally:
                self.depth -= 1
            if not inner.scalar:
                raise Unmodelled(f"{e.name} defined as a vector entry by entry")
            return inner.entry(None, None)

        if len(e.indices) == len(letters):
            values = [self.unit(i, env, zero=True) for i in e.indices]
            return _scalar(unfold(values))
        if e.indices or len(letters) > 2:
            raise Unmodelled(f"{e.name} with some of its indices")
        if not letters:
            self.depth += 1
            try:
                return self.value(d.rhs, Env({}, layers))
            finally:
                self.depth -= 1
        rows, cols = (slots + [None])[:2]
        return Shaped(rows, cols, lambda r, c: unfold([r, c][:len(letters)]))

    def _slot(self, name: str, n: int, own: Layer | None) -> Layer:
        """The layer slot n of a defined family runs over, in the checker's own inference."""
        table = self.ctx.slots.get(name) or []
        slot = table[n] if n < len(table) else None
        if slot is None:
            raise Unmodelled(f"the range of index {n + 1} of {name}")
        if slot[0] == "rel" and own is not None:
            return shift(own, slot[1])
        if slot[0] == "abs" and (slot[1].var, slot[1].offset) == ("L", 0):
            return OUTPUT
        raise Unmodelled(f"the range of index {n + 1} of {name}")

    def _Deriv(self, e: A.Deriv, env: Env) -> Shaped:
        wrt = e.wrt
        fn = self.fn
        if wrt.name not in (fn.z, fn.a, fn.b, fn.weights.name):
            raise Unmodelled(f"a derivative with respect to {wrt.name}")
        num = self.value(e.num, env)
        var = self._Ref(wrt, env, wrt=True)
        if var.scalar:
            v = var.entry(None, None)
            if v.kind == "a" and v.idx == (0,):
                raise Unmodelled("a derivative with respect to the bias unit a_0 = 1")
            return Shaped(num.rows, num.cols, lambda r, c: D(num.at(r, c), v))
        if num.scalar:
            return Shaped(var.rows, var.cols,
                          lambda r, c: D(num.entry(None, None), var.entry(r, c)))
        raise Unmodelled("a derivative of a vector by a vector")

    def _Call(self, e: A.Call, env: Env) -> Shaped:
        if e.layer is not None or e.func != self.fn.sigma or e.order > 1:
            raise Unmodelled(f"the function {e.func}")
        arg = self.value(e.arg, env)
        kind = "dsig" if e.order else "a"

        def entry(r: Index | None, c: Index | None) -> Expr:
            x = arg.at(r, c)
            if not (isinstance(x, Atom) and x.kind == "z"):
                raise Unmodelled(f"{e.func} of something other than z")
            return self.atom(kind, x.layer, x.idx)
        return Shaped(arg.rows, arg.cols, entry)

    def _Add(self, e: A.Add, env: Env) -> Shaped:
        parts = [self.value(t, env) for t in e.terms]
        rows, cols = _common(parts)
        return Shaped(rows, cols, lambda r, c: add(*[p.at(r, c) for p in parts]))

    def _Neg(self, e: A.Neg, env: Env) -> Shaped:
        arg = self.value(e.arg, env)
        return Shaped(arg.rows, arg.cols, lambda r, c: neg(arg.at(r, c)))

    def _Mul(self, e: A.Mul, env: Env) -> Shaped:
        out = self.value(e.factors[0], env)
        for f in e.factors[1:]:
            out = self._product(out, self.value(f, env))
        return out

    def _product(self, a: Shaped, b: Shaped) -> Shaped:
        """Juxtaposition: a scalar scales, else the matrix product of the two shapes."""
        if a.scalar or b.scalar:
            rows, cols = _common([a, b])
            return Shaped(rows, cols, lambda r, c: mul(a.at(r, c), b.at(r, c)))
        if a.cols is None and b.rows is None:                  # a column times a row
            return Shaped(a.rows, b.cols, lambda r, c: mul(a.entry(r, None), b.entry(None, c)))
        if a.cols is None or a.cols != b.rows:
            raise Unmodelled("a matrix product whose shapes fit only at some sizes")
        inner = a.cols

        def entry(r: Index | None, c: Index | None) -> Expr:
            k = self._bound()
            return Sum(k, inner, mul(a.entry(r, k), b.entry(k, c)))
        return Shaped(a.rows, b.cols, entry)

    def _bound(self) -> str:
        k = fresh("k")
        self.bound.add(k)
        return k

    def _Div(self, e: A.Div, env: Env) -> Shaped:
        num, den = self.value(e.num, env), self.value(e.den, env)
        value = den.entry(None, None) if den.scalar else None
        if not isinstance(value, Num) or value.value == 0:
            raise Unmodelled("a division by something other than a number")
        inverse = Num(1 / value.value)
        return Shaped(num.rows, num.cols, lambda r, c: mul(inverse, num.at(r, c)))

    def _Pow(self, e: A.Pow, env: Env) -> Shaped:
        exp = e.exp.arg if isinstance(e.exp, A.Neg) else e.exp
        if not (isinstance(exp, A.Num) and exp.value.is_integer):
            raise Unmodelled("a power that is not a whole number")
        n = int(exp.value) * (-1 if isinstance(e.exp, A.Neg) else 1)
        if abs(n) > MAX_POWER:
            raise Unmodelled(f"a power above {MAX_POWER}")
        base = self.value(e.base, env)
        if base.scalar:
            x = base.entry(None, None)
            return _scalar(ONE if n == 0 else x if n == 1 else Pow(x, n))
        if n != 2:
            raise Unmodelled("a vector raised to a power other than 2")

        def norm(r: Index | None, c: Index | None) -> Expr:        # the squared norm
            i = self._bound() if base.rows else None
            j = self._bound() if base.cols else None
            out: Expr = Pow(base.entry(i, j), 2)
            for name, layer in ((j, base.cols), (i, base.rows)):
                if name is not None:
                    out = Sum(name, layer, out)
            return out
        return Shaped(None, None, norm)

    def _Hadamard(self, e: A.Hadamard, env: Env) -> Shaped:
        return self._entrywise(self.value(e.left, env), self.value(e.right, env))

    def _entrywise(self, a: Shaped, b: Shaped) -> Shaped:
        rows, cols = _common([a, b])
        return Shaped(rows, cols, lambda r, c: mul(a.at(r, c), b.at(r, c)))

    def _Star(self, e: A.Star, env: Env) -> Shaped:
        a, b = self.value(e.left, env), self.value(e.right, env)
        return self._entrywise(a, b) if not (a.scalar or b.scalar) else self._product(a, b)

    def _Transpose(self, e: A.Transpose, env: Env) -> Shaped:
        arg = self.value(e.arg, env)
        return Shaped(arg.cols, arg.rows, lambda r, c: arg.at(c, r))

    def _Outer(self, e: A.Outer, env: Env) -> Shaped:
        a, b = self.value(e.left, env), self.value(e.right, env)
        if a.rows is None or b.rows is None or a.cols is not None or b.cols is not None:
            raise Unmodelled("an outer product of something other than two vectors")
        return Shaped(a.rows, b.rows, lambda r, c: mul(a.entry(r, None), b.entry(c, None)))

    def _Indicator(self, e: A.Indicator, env: Env) -> Shaped:
        if e.rel != "=":
            raise Unmodelled("a step [z > 0]")
        return _scalar(KD(self._index(e.left, env), self._index(e.right, env)))

    def _index(self, e: A.Expr, env: Env) -> Index:
        if isinstance(e, A.Num) and e.value == 0:
            return 0
        if isinstance(e, A.Ref) and e.layer is None and not e.indices:
            return self.unit(A.Index(e.name), env, zero=True)
        raise Unmodelled("an index that is not a letter or the bias unit")

    def _Sum(self, e: A.Sum, env: Env) -> Shaped:
        lower, stated = self._bounds(e, env)
        k = self._bound()
        body = self.value(e.body, env.bind(e.var, k))

        def entry(r: Index | None, c: Index | None) -> Expr:
            inside = body.at(r, c)
            layers = self.uses.get(k, set()) | ({stated} if stated else set())
            if len(layers) != 1 or k not in self.uses:
                raise Unmodelled(f"the range of the sum over {e.var}")
            if lower == 0:
                if self.fn.bias != "unit":
                    raise Unmodelled("a sum from unit 0 without a bias unit")
                _bias_unit_only(inside, k)
            return Sum(k, next(iter(layers)), inside, lower)
        return Shaped(body.rows, body.cols, entry)

    def _bounds(self, e: A.Sum, env: Env) -> tuple[int, Layer | None]:
        """(the first unit, the layer a stated bound names) as the checker reads the bounds."""
        if e.within is not None:
            if not isinstance(e.within, A.Index):
                raise Unmodelled("a sum over a named set")
            return 1, self.layer(e.within, env)
        if e.lo is None:
            if e.hi is not None:
                raise Unmodelled("a sum with only an upper bound")
            return 1, None
        if not (isinstance(e.lo, A.Num) and e.lo.value in (0, 1)):
            raise Unmodelled("a sum from a unit other than 0 or 1")
        lower, hi = int(e.lo.value), e.hi
        if isinstance(hi, A.Ref) and hi.layer is None and not hi.indices and \
                hi.name not in env.units and hi.name != "L" and \
                hi.name not in self.ctx.definitions:
            return lower, None                  # a count: the units the summand runs over
        if self._is_width(hi):
            idx = hi.indices[0]
            return lower, self.layer(A.Index(idx.var, idx.offset, A.Role.LAYER), env)
        raise Unmodelled("a sum with a fixed upper bound")

    def _is_width(self, e: A.Expr | None) -> bool:
        """`n_l`, `M_{l-1}`: the checker's reading of a layer's width as a bound."""
        if not (isinstance(e, A.Ref) and len(e.indices) == 1 and e.layer is None):
            return False
        idx = e.indices[0]
        return e.name not in self.ctx.definitions and idx.var is not None and (
            e.name == "n" or idx.var in self.ctx.lex.layer_vars - {"L"} or
            (idx.var == "L" and e.name in N.WIDTH_LETTERS))


def _common(parts: list[Shaped]) -> tuple[Dim, Dim]:
    """The one shape of an entrywise operation (scalars broadcast); unequal shapes refused."""
    shapes = {(p.rows, p.cols) for p in parts if not p.scalar}
    if len(shapes) > 1:
        raise Unmodelled("an entrywise operation whose shapes fit only at some sizes")
    return shapes.pop() if shapes else (None, None)


def _bias_unit_only(e: Expr, k: str) -> None:
    """A sum from 0 reaches unit 0 only where the model has it: a_0 = 1 and the bias weight."""
    for node in walk(e):
        if isinstance(node, Atom) and k in node.idx and \
                not (node.kind == "a" or (node.kind == "w" and node.idx[1] == k
                                          and node.idx[0] != k)):
            raise Unmodelled("unit 0 of a quantity the bias unit does not give")


# -- claims -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Translated:
    """A claim's links as generic claims, with the entry letters of vector and matrix claims
    ("j", or "j, k")."""

    claims: list[GenericClaim]
    entry: str | None


def _plan(output: bool, chain_depth: int, activation: str) -> tuple[Phase, ...]:
    """Both sides alike: δ unfolded, the chain rule as deep as the layers go, every derivative
    rule, then (for claims about L) ∇_a C and the cost written out, σ' by its table rule."""
    plan: list[Phase] = [("unfold", "definition of δ")]
    plan += [("apply", "multivariate chain rule (layer-local lemma)")] * chain_depth
    plan.append(("local",))
    if output:
        plan += [("unfold", "definition of ∇_a C"), ("apply", "definition of C"), ("local",)]
        if activation != "sigma":
            plan.append(("apply", "activation's derivative rule"))
    plan.append(("canonical",))
    return tuple(plan)


def translate(fn: FileNetwork, ctx: Context, chains: list[list[A.Relation]],
              name: str) -> Translated:
    """Every link of a claim as a generic claim over the claim's own letters."""
    tr = _Translator(fn, ctx)
    links = [link for chain in chains for link in chain]
    if any(link.rel != "=" or any(isinstance(n, A.Num) and n.decimal
                                  for side in (link.left, link.right) for n in A.walk(side))
           for link in links):
        raise Unmodelled("a numeric claim")
    shaped = [(tr.value(link.left, Env()), tr.value(link.right, Env())) for link in links]
    dims = {(s.rows, s.cols) for pair in shaped for s in pair}
    if len(dims) != 1:
        raise Unmodelled("sides of different shapes")
    rows, cols = dims.pop()
    letters = {i.var for link in links for side in (link.left, link.right)
               for node in A.walk(side) if isinstance(node, A.Ref)
               for i in (node.indices + ((node.layer,) if node.layer else ())) if i.var} | \
        {node.var for link in links for side in (link.left, link.right)
         for node in A.walk(side) if isinstance(node, A.Sum)} | \
        {node.name for link in links for side in (link.left, link.right)
         for node in A.walk(side) if isinstance(node, A.Ref)}
    spare = iter(x for x in ENTRY_LETTERS if x not in letters)
    r, c = (next(spare, None) if dim is not None else None for dim in (rows, cols))
    for letter, dim in ((r, rows), (c, cols)):
        if dim is not None and letter is None:
            raise Unmodelled("no letter left to name an entry")
        if letter is not None:
            tr.use(letter, dim)
    entry = ", ".join(x for x in (r, c) if x is not None) or None
    sides = [(left.at(r, c), right.at(r, c)) for left, right in shaped]
    free = {i for lhs, rhs in sides for i in indices(lhs) | indices(rhs)}
    ranges = {}
    for i in free:
        layers = tr.uses.get(i, set())
        if len(layers) != 1:
            raise Unmodelled(f"the letter {i} names units of {len(layers)} layers")
        ranges[i] = (next(iter(layers)), 1)
    if len(tr.layer_letters) > 1 or (tr.layer_letters and tr.output):
        raise Unmodelled("more than one layer letter")
    symbol = next(iter(tr.layer_letters)) if tr.layer_letters else "L"
    offsets = [layer[1] for _, layer in tr.atoms if layer[0] == symbol]
    if not offsets or any(layer[0] != symbol for _, layer in tr.atoms):
        raise Unmodelled("no quantity of a layer")
    top, bottom = max(offsets), min(offsets)
    if symbol == "L" and top > 0:
        raise Unmodelled("a layer above L")
    high = 0 if symbol == "L" else -top
    low = max(FIRST_LAYER[kind] - layer[1] for kind, layer in tr.atoms)
    hidden = frozenset((symbol, o) for o in range(bottom - 2, top if symbol != "L" else 0))
    plan = _plan(symbol == "L", min(top - bottom + 2, 6), fn.activation)
    free_letters = sorted(ranges)
    swaps = tuple((p, q) for n, p in enumerate(free_letters) for q in free_letters[n + 1:])
    claims = [GenericClaim(name, f"link {n + 1}" if len(sides) > 1 else name, lhs, rhs, ranges,
                           (symbol, low, high), plan, plan, hidden, swaps=swaps)
              for n, (lhs, rhs) in enumerate(sides)]
    return Translated(claims, entry)


def _show(fn: FileNetwork) -> Callable[[Expr], str]:
    return lambda e: text(e, fn.atom_text)


@dataclass(frozen=True)
class GenericCheck:
    """The generic prover on one claim: whether every link is proved for every size, the
    diagnosis of a failing link in the claim's own indices, and why the model was not used."""

    all_sizes: bool
    diagnosis: str | None = None
    unmodelled: str | None = None
    verdicts: tuple[GenericVerdict, ...] = ()
    claims: tuple[GenericClaim, ...] = ()          # the generic claims the verdicts are about
    network: GenericNetwork | None = None


def every_size(ctx: Context, chains: list[list[A.Relation]], name: str,
               first_layer: int = 1) -> GenericCheck:
    """Whether the generic prover proves every link of a claim for every width and depth
    (`first_layer`: the number the file gives its input layer)."""
    try:
        fn = recognize(ctx, first_layer)
        found = translate(fn, ctx, chains, name)
    except Unmodelled as why:
        return GenericCheck(False, unmodelled=str(why))
    net, show = fn.network(), _show(fn)
    verdicts = []
    for claim in found.claims:
        verdict = prove_claim(claim, net, show)
        verdicts.append(verdict)
        if not verdict.proved:
            break
    return GenericCheck(all(v.proved for v in verdicts) and len(verdicts) == len(found.claims),
                        verdicts=tuple(verdicts), claims=tuple(found.claims[:len(verdicts)]),
                        network=net)


def own_diagnosis(ctx: Context, chains: list[list[A.Relation]], failing: A.Relation,
                  name: str, first_layer: int = 1) -> GenericCheck:
    """The generic form of a failing link against the true one: a diagnosis in the claim's own
    indices where the difference is a recognisable one (a missing factor, a constant, two
    indices exchanged, a missing transpose)."""
    try:
        fn = recognize(ctx, first_layer)
        found = translate(fn, ctx, chains, name)
    except Unmodelled as why:
        return GenericCheck(False, unmodelled=str(why))
    links = [link for chain in chains for link in chain]
    if failing not in links:
        return GenericCheck(False, unmodelled="the failing link is not one of the claim's")
    claim = found.claims[links.index(failing)]
    verdict = prove_claim(claim, fn.network(), _show(fn))
    if verdict.proved or verdict.diagnosis is None:
        return GenericCheck(False, verdicts=(verdict,))
    where = "" if found.entry is None else f"entry {found.entry}: " if "," not in found.entry \
        else f"entry ({found.entry}): "
    return GenericCheck(False, where + verdict.diagnosis, verdicts=(verdict,))
