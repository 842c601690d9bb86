"""The network a derivation file defines, as the generic prover models it.

`recognize(ctx)` reads a claim's `Context` (the file's definitions, resolved) and accepts only a
standard layered network: z^m_i = Σ_k w a^{m-1}_k ± b^m_i (or summed from k = 0 with a bias unit
a_0 = 1), a^m_i = σ(z^m_i) for one σ (generic, or one of the table's, recognised by proof), inputs
left free or given as x_j on the first layer, a cost C = c Σ_i f(a^L_i, y_i) that is one of the
cost table's, δ^m_u = ∂C/∂z^m_u, and definitions that only rename (W^l_{kj} = w^l_{jk}). It
records how the file writes a weight: w^{l}_{jk} into unit j of layer l (Nielsen), w_{ij}^l
from i to j, or w^l_{jk} from unit j of layer l to unit k of layer l+1 (a sending-layer
superscript). Anything else raises `Unmodelled`, and the file's claims keep the scope of the
sizes the file lists.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import sympy as sp

from symbp.derivation.model import Context, Definition
from symbp.engine import to_sympy as engine_to_sympy
from symbp.generic.expr import A as A_SYM, Y as Y_SYM, Atom, Layer, shift
from symbp.generic.rules import GenericNetwork
from symbp.notation import ast as A
from symbp.prove import prove
from symbp.rules import ACTIVATIONS, COSTS

#: Activations recognised by proof from a file's definition of σ (their σ' rule is a polynomial
#: in σ, which the rule "activation's derivative rule" needs); any other σ is generic.
TABLED = ("sigmoid", "tanh", "identity")
#: Functions the evaluator knows without a definition, read as the table's activation.
BUILTIN = {"sigmoid": "sigmoid", "tanh": "tanh"}
#: The largest power the model expands (a larger one is refused, never expanded).
MAX_POWER = 8
T = sp.Symbol("t")


class Unmodelled(Exception):
    """A file or claim the generic model cannot express; the message says what."""


@dataclass(frozen=True)
class Weights:
    """How a file writes one weight: its family, the offset from the superscript's layer to the
    receiving layer (0 for w^l into layer l, 1 for w^l out of layer l), and which subscript
    (0 or 1) is the receiving unit."""

    name: str
    shift: int
    receiving: int

    def slots(self) -> list[tuple[str, int]]:
        """The layer each subscript runs over, relative to the superscript (the model's slots)."""
        out = [("rel", self.shift - 1), ("rel", self.shift - 1)]
        out[self.receiving] = ("rel", self.shift)
        return out


@dataclass(frozen=True)
class FileNetwork:
    """The families of a standard layered network in a file's names, and its conventions."""

    z: str
    a: str
    weights: Weights
    b: str | None
    y: str
    costs: frozenset[str]                  # the cost and its aliases (\\mathcal{C} = C)
    deltas: frozenset[str]                 # families defined as ∂C/∂z^m_u
    sigma: str                             # the activation function's name in the file
    activation: str                        # its row of ACTIVATIONS ("sigma": generic)
    bias: str                              # a row of BIASES
    cost: str                              # a row of COSTS
    scale: sp.Expr
    macros: dict[str, Definition] = field(default_factory=dict)   # renamings, inlined

    def network(self) -> GenericNetwork:
        """The generic network with this file's bias, cost and output activation."""
        return GenericNetwork("elementwise", self.bias, self.cost, self.scale,
                              output_activation=self.activation)

    @property
    def cost_family(self) -> str:
        return sorted(self.costs)[0] if "C" not in self.costs else "C"

    def atom_text(self, atom: Atom) -> str:
        """A generic network quantity written in the file's own names and weight convention."""
        kind = atom.kind
        idx = _idx(atom.idx)
        if kind == "w":
            sup = shift(atom.layer, -self.weights.shift)
            recv, send = atom.idx
            order = (recv, send) if self.weights.receiving == 0 else (send, recv)
            return f"{self.weights.name}^{_sup(sup)}_{_idx(order)}"
        if kind in ("z", "a", "b", "delta"):
            name = {"z": self.z, "a": self.a, "b": self.b or "b",
                    "delta": min(self.deltas) if self.deltas else "δ"}[kind]
            return f"{name}^{_sup(atom.layer)}_{idx}"
        if kind == "dsig":
            return f"{self.sigma}'({self.z}^{_sup(atom.layer)}_{idx})"
        if kind == "y":
            return f"{self.y}_{idx}"
        if kind == "grad":
            return f"∂{self.cost_family}/∂{self.a}^L_{idx}"
        if kind == "C":
            return self.cost_family
        if kind == "n":
            return f"n_{_sup(atom.layer)}"
        raise Unmodelled(f"no name in the file for {kind}")


def _layer_text(layer: Layer) -> str:
    base, off = layer
    return base if off == 0 else f"{base}{off:+d}"


def _sup(layer: Layer) -> str:
    t = _layer_text(layer)
    return t if len(t) == 1 else "{" + t + "}"


def _idx(idx: tuple) -> str:
    s = "".join(str(i) for i in idx)
    return s if len(s) == 1 else "{" + s + "}"


# -- recognising the network ----------------------------------------------------------------------
def _symbolic(level: A.Index | None) -> bool:
    """A layer written with a letter (l, l+1), not a number, L or a hidden layer(j)."""
    return level is not None and level.var not in (None, "L") and not level.hidden


def _letter(idx: A.Index) -> str | None:
    return idx.var if idx.var is not None and idx.offset == 0 and not idx.hidden else None


def _is_ref(e: A.Expr, name: str | None = None) -> bool:
    return isinstance(e, A.Ref) and (name is None or e.name == name)


@dataclass(frozen=True)
class _Forward:
    """What the definition of z says: the families and conventions it fixes."""

    z: Definition
    a: str
    weights: Weights
    b: str | None
    sign: int
    lower: int


def _forward(d: Definition, ctx: Context) -> _Forward | None:
    """`z^X_i = Σ_k w a^{X-1}_k ± b^X_i` (either order of the product, either weight index order,
    the sum from 0 or 1), or None."""
    if not _symbolic(d.layer) or len(d.indices) != 1 or _letter(d.indices[0]) is None:
        return None
    i = d.indices[0].var
    terms = list(d.rhs.terms) if isinstance(d.rhs, A.Add) else [d.rhs]
    sums = [t for t in terms if isinstance(t, A.Sum)]
    if len(sums) != 1 or len(terms) > 2:
        return None
    total = sums[0]
    rest = [t for t in terms if t is not total]
    b, sign = None, 0
    if rest:
        term = rest[0]
        sign = -1 if isinstance(term, A.Neg) else 1
        term = term.arg if isinstance(term, A.Neg) else term
        if not (_is_ref(term) and term.layer == d.layer and term.indices == d.indices):
            return None
        b = term.name
    if total.within is not None or not isinstance(total.body, A.Mul) or \
            len(total.body.factors) != 2:
        return None
    k = total.var
    below = d.layer.shifted(-1)
    found = None
    for act, weight in (total.body.factors, reversed(total.body.factors)):
        if _is_ref(act) and act.layer == below and len(act.indices) == 1 and \
                _letter(act.indices[0]) == k and _is_ref(weight) and weight.layer is not None \
                and weight.layer.var == d.layer.var and len(weight.indices) == 2:
            letters = [_letter(x) for x in weight.indices]
            if sorted(letters, key=str) == sorted([i, k]) and i != k:
                found = (act.name, weight, letters.index(i))
    if found is None:
        return None
    a, weight, receiving = found
    lower = _lower_bound(total, d.layer, ctx)
    if lower is None:
        return None
    weights = Weights(weight.name, d.layer.offset - weight.layer.offset, receiving)
    return _Forward(d, a, weights, b, sign, lower)


def _lower_bound(total: A.Sum, layer: A.Index, ctx: Context) -> int | None:
    """The sum's first unit (0 or 1) when its upper bound is the width of the layer below."""
    if total.lo is None:
        return 1 if total.hi is None else None
    if not (isinstance(total.lo, A.Num) and total.lo.value in (0, 1)):
        return None
    hi = total.hi
    if _is_ref(hi) and hi.layer is None and not hi.indices and hi.name not in ctx.definitions \
            and hi.name != "L":
        return int(total.lo.value)            # a bare count: the units the summand runs over
    below = layer.shifted(-1)
    if _is_ref(hi) and hi.layer is None and len(hi.indices) == 1 and \
            hi.name not in ctx.definitions and \
            (hi.indices[0].var, hi.indices[0].offset) == (below.var, below.offset):
        return int(total.lo.value)
    return None


def _activation_definition(d: Definition, fwd: _Forward) -> str | None:
    """`a^m_i = σ(z^m_i)` or `a^m = σ(z^m)`: the function's name, else None."""
    rhs = d.rhs
    if not _symbolic(d.layer) or not isinstance(rhs, A.Call) or rhs.order or \
            rhs.layer is not None or not _is_ref(rhs.arg, fwd.z.name):
        return None
    if rhs.arg.layer != d.layer or rhs.arg.indices != d.indices:
        return None
    if len(d.indices) > 1 or (d.indices and _letter(d.indices[0]) is None):
        return None
    return rhs.func


def _check_activation_family(defs: list[Definition], fwd: _Forward, ctx: Context,
                             first_layer: int) -> str:
    """The one σ of a^m = σ(z^m); the other definitions of a may only give the bias unit
    a^m_0 = 1 (and it must be there when the sums start at 0) or the inputs x_j."""
    sigma, unit = None, False
    for d in defs:
        func = _activation_definition(d, fwd)
        if func is not None and sigma is None:
            sigma = func
        elif _symbolic(d.layer) and len(d.indices) == 1 and d.indices[0].var is None and \
                d.indices[0].offset == 0 and isinstance(d.rhs, A.Num) and d.rhs.value == 1:
            unit = True
        elif _input_definition(d, ctx, first_layer):
            continue
        else:
            raise Unmodelled(f"the definition {d.text!r} is not part of a standard network")
    if sigma is None:
        raise Unmodelled("no definition a^l_j = σ(z^l_j)")
    if fwd.lower == 0 and not unit:
        raise Unmodelled("a sum from 0 without a bias unit a^l_0 = 1")
    return sigma


def _input_definition(d: Definition, ctx: Context, first_layer: int) -> bool:
    """`a^1_j = x_j` on the input layer: the inputs, free variables as in the generic model."""
    return d.layer is not None and d.layer.var is None and d.layer.offset == first_layer and \
        len(d.indices) == 1 and \
        _letter(d.indices[0]) is not None and _is_ref(d.rhs) and d.rhs.layer is None and \
        d.rhs.indices == d.indices and d.rhs.name not in ctx.definitions


def _activation_row(sigma: str, ctx: Context) -> str:
    """The table's activation σ is, proved from the file's definition; generic otherwise."""
    if sigma == "relu":
        raise Unmodelled("ReLU is checked by its sign patterns, not by the generic model")
    fdef = ctx.functions.get(sigma)
    if fdef is None:
        if sigma in ("exp", "log"):
            raise Unmodelled(f"{sigma} as an activation")
        return BUILTIN.get(sigma, "sigma")
    if len(fdef.params) != 1:
        raise Unmodelled(f"{sigma} takes {len(fdef.params)} arguments")
    param = fdef.params[0]
    body = to_sympy(fdef.body, lambda r: T if r.name == param and not r.indices
                    and r.layer is None else None)
    return _table_activation(body)


@lru_cache(maxsize=64)
def _table_activation(body: sp.Expr) -> str:
    for name in TABLED:
        if prove(body, ACTIVATIONS[name].form(T), timeout=2.0).proved:
            return name
    return "sigma"


def to_sympy(e: A.Expr, leaf) -> sp.Expr:
    """A scalar formula as a SymPy expression built node by node (never from text): numbers,
    + - × ÷, integer powers, exp and ln; `leaf(ref)` gives each reference (None: refused)."""
    if isinstance(e, A.Num):
        return sp.Rational(e.value)
    if isinstance(e, A.Ref):
        found = leaf(e)
        if found is None:
            raise Unmodelled(f"{e.name} in a scalar formula")
        return found
    if isinstance(e, A.Add):
        return sp.Add(*[to_sympy(t, leaf) for t in e.terms])
    if isinstance(e, A.Neg):
        return -to_sympy(e.arg, leaf)
    if isinstance(e, A.Mul):
        return sp.Mul(*[to_sympy(f, leaf) for f in e.factors])
    if isinstance(e, A.Div):
        return to_sympy(e.num, leaf) / to_sympy(e.den, leaf)
    if isinstance(e, A.Pow) and isinstance(e.exp, A.Num) and e.exp.value.is_integer and \
            abs(e.exp.value) <= MAX_POWER:
        return to_sympy(e.base, leaf) ** int(e.exp.value)
    if isinstance(e, A.Call) and e.order == 0 and e.layer is None and e.func in ("exp", "log"):
        inner = to_sympy(e.arg, leaf)
        return sp.exp(inner) if e.func == "exp" else sp.log(inner)
    raise Unmodelled(f"a {type(e).__name__} in a scalar formula")


def _aliases(ctx: Context) -> dict[str, str]:
    """Scalar families defined as another one (`\\mathcal{C} = C`): name -> the other."""
    out = {}
    for name, defs in ctx.definitions.items():
        if len(defs) == 1 and defs[0].layer is None and not defs[0].indices and \
                _is_ref(defs[0].rhs) and defs[0].rhs.layer is None and not defs[0].rhs.indices:
            out[name] = defs[0].rhs.name
    return out


def _cost(ctx: Context, a: str) -> tuple[frozenset[str], str, str, sp.Expr]:
    """(the cost and its aliases, the target family, the table's cost, its scale)."""
    aliases = _aliases(ctx)
    found = []
    for name, defs in ctx.definitions.items():
        if name in aliases or any(d.layer is not None or d.indices for d in defs):
            continue
        if any(_is_ref(r, a) and r.layer is not None and r.layer.var == "L"
               for d in defs for r in A.walk(d.rhs)):
            found.append(name)
    if len(found) != 1 or len(ctx.definitions[found[0]]) != 1:
        raise Unmodelled("no single cost defined from a^L")
    cost = found[0]
    names = {cost}
    changed = True
    while changed:
        changed = False
        for name, target in aliases.items():
            if target in names and name not in names:
                names.add(name)
                changed = True
    per_unit, target = _per_unit(ctx.definitions[cost][0].rhs, a, ctx)
    table, scale = _table_cost(per_unit)
    return frozenset(names), target, table, scale


def _per_unit(rhs: A.Expr, a: str, ctx: Context) -> tuple[sp.Expr, str]:
    """C = c Σ_i f(a^L_i, y_i) (or c ‖a^L - y‖², c (y - a^L)^2): f in A, Y, and y's family."""
    targets: set[str] = set()

    def output(r: A.Ref, vector: bool) -> sp.Expr | None:
        if r.name == a and r.layer is not None and (r.layer.var, r.layer.offset) == ("L", 0):
            return A_SYM if (not r.indices) == vector else None
        if r.layer is None and r.name not in ctx.definitions and r.name not in ctx.layered \
                and (not r.indices) == vector:
            targets.add(r.name)
            return Y_SYM
        return None

    def cost(e: A.Expr) -> sp.Expr:
        if isinstance(e, A.Neg):
            return -cost(e.arg)
        if isinstance(e, A.Mul):
            body = [f for f in e.factors if not _number(f)]
            if len(body) != 1:
                raise Unmodelled("the cost is not a constant times one sum")
            scale = sp.Mul(*[to_sympy(f, lambda r: None) for f in e.factors if _number(f)])
            return scale * cost(body[0])
        if isinstance(e, A.Div) and _number(e.den):
            return cost(e.num) / to_sympy(e.den, lambda r: None)
        if isinstance(e, A.Sum):
            if not _over_output(e, ctx):
                raise Unmodelled("the cost's sum does not run over the output units")
            letter = e.var
            return to_sympy(e.body, lambda r: output(r, False) if len(r.indices) == 1 and
                            _letter(r.indices[0]) == letter else None)
        if isinstance(e, A.Pow) and isinstance(e.exp, A.Num) and e.exp.value == 2:
            base = e.base.arg if isinstance(e.base, A.Norm) else e.base
            return to_sympy(base, lambda r: output(r, True)) ** 2     # the squared norm
        raise Unmodelled("the cost is not a sum over the output units")

    f = cost(rhs)
    if len(targets) != 1:
        raise Unmodelled("the cost does not compare a^L with one target family")
    return f, targets.pop()


def _number(e: A.Expr) -> bool:
    return all(isinstance(n, (A.Num, A.Div, A.Neg, A.Mul, A.Add)) for n in A.walk(e))


def _over_output(total: A.Sum, ctx: Context) -> bool:
    if total.within is not None:
        return isinstance(total.within, A.Index) and \
            (total.within.var, total.within.offset) == ("L", 0)
    if total.lo is None:
        return total.hi is None
    hi = total.hi
    return isinstance(total.lo, A.Num) and total.lo.value == 1 and _is_ref(hi) and \
        hi.layer is None and hi.name not in ctx.definitions and (
            (not hi.indices and hi.name != "L") or
            (len(hi.indices) == 1 and (hi.indices[0].var, hi.indices[0].offset) == ("L", 0)))


@lru_cache(maxsize=64)
def _table_cost(f: sp.Expr) -> tuple[str, sp.Expr]:
    """The cost table's row whose one-unit form f is, with its scale (proved equal)."""
    poly = sp.expand(f)
    if poly.is_polynomial(A_SYM, Y_SYM):
        c = poly.coeff(A_SYM, 2)
        if c.is_Rational and c != 0 and sp.expand(poly - c * (A_SYM - Y_SYM) ** 2) == 0:
            return "quadratic", c
        raise Unmodelled("a polynomial cost that is not c (a - y)^2")
    for name in ("cross_entropy", "log_likelihood"):
        form = engine_to_sympy(COSTS[name].form([A_SYM], [Y_SYM], sp.Integer(1)))  # refuses text
        if prove(f, form, timeout=2.0).proved:
            return name, COSTS[name].default_scale
    raise Unmodelled("a cost the table does not have")


def _deltas(ctx: Context, costs: frozenset[str], z: str) -> frozenset[str]:
    """Families defined as δ^m_u = ∂C/∂z^m_u."""
    out = set()
    for name, defs in ctx.definitions.items():
        if len(defs) != 1:
            continue
        d = defs[0]
        rhs = d.rhs
        if _symbolic(d.layer) and len(d.indices) == 1 and _letter(d.indices[0]) and \
                isinstance(rhs, A.Deriv) and _is_ref(rhs.num) and rhs.num.name in costs and \
                not rhs.num.indices and rhs.num.layer is None and rhs.wrt.name == z and \
                rhs.wrt.layer == d.layer and rhs.wrt.indices == d.indices:
            out.add(name)
    return frozenset(out)


def _macros(ctx: Context, core: set[str]) -> dict[str, Definition]:
    """Other families with one definition over letters only (renamings such as W = w)."""
    out = {}
    for name, defs in ctx.definitions.items():
        if name in core or len(defs) != 1:
            continue
        d = defs[0]
        letters = [_letter(i) for i in d.indices]
        if (d.layer is None or _symbolic(d.layer)) and None not in letters and \
                len(set(letters)) == len(letters):
            out[name] = d
    return out


def recognize(ctx: Context, first_layer: int = 1) -> FileNetwork:
    """The file's network as the generic model sees it (`first_layer`: the number the file gives
    its input layer); `Unmodelled` if it is not standard."""
    if ctx.values:
        raise Unmodelled("a file with `values` makes numeric claims")
    if ctx.given:
        raise Unmodelled("the definitions use letters they do not bind")
    forward = [f for defs in ctx.definitions.values() for d in defs
               if (f := _forward(d, ctx)) is not None]
    if len(forward) != 1 or len(ctx.definitions[forward[0].z.name]) != 1:
        raise Unmodelled("no single definition z^l_j = Σ_k w a^{l-1}_k + b^l_j")
    fwd = forward[0]
    z, a, w = fwd.z.name, fwd.a, fwd.weights
    sigma = _check_activation_family(ctx.definitions.get(a, []), fwd, ctx, first_layer)
    for free in (w.name, fwd.b):
        if free is not None and free in ctx.definitions:
            raise Unmodelled(f"{free} is defined; the model's weights and biases are free")
    costs, y, table, scale = _cost(ctx, a)
    deltas = _deltas(ctx, costs, z)
    expected = {z: [("rel", 0)], a: [("rel", 0)], w.name: w.slots(),
                y: [("abs", A.Index("L", 0, A.Role.LAYER))],
                **{d: [("rel", 0)] for d in deltas}, **({fwd.b: [("rel", 0)]} if fwd.b else {})}
    for name, slots in expected.items():
        if ctx.slots.get(name) != slots:
            raise Unmodelled(f"the ranges of {name}'s indices are not the standard ones")
    bias = "unit" if fwd.lower == 0 else {1: "add", -1: "subtract", 0: "none"}[fwd.sign]
    if fwd.lower == 0 and fwd.b is not None:
        raise Unmodelled("both a bias unit and a bias")
    core = {z, a, w.name, y, *costs, *deltas} | ({fwd.b} if fwd.b else set())
    return FileNetwork(z, a, w, fwd.b, y, costs, deltas, sigma, _activation_row(sigma, ctx),
                       bias, table, scale, _macros(ctx, core))

