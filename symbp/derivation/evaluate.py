"""Formulas -> SymEngine values on one network size: instances, ranges, and derivatives.

Every family instance (`w^{2}_{12}`, `a^{3}_{1}`) is either defined (its most specific matching
definition is evaluated) or a free SymPy symbol. A partial derivative with respect to a defined
instance means: replace it by a fresh variable, recompute everything computed from it, take the
ordinary derivative, put the instance's value back (the "demon's error" of the contract).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
import math

import symengine as se

from symbp.errors import LimitError, SymbpError
from symbp.derivation import values as V
from symbp.derivation.substitute import substitute
from symbp.derivation.model import (SAMPLE_SLOT, Context, Definition, batch_total,
                                    PRIMED, over_examples, stepped_base)
from symbp.notation import ast as A
from symbp.notation import names as N
from symbp.notation.samples import BATCH_NAMES
from symbp.notation.limits import LIMITS

Key = tuple   # (name, layer or None, units, example or None)
SAMPLE = "#x"  # the example a per-example quantity is read for, where none is printed


class OutOfRange(Exception):
    """An instance that does not exist on this network: the claim instance is skipped."""


def _entrywise(entries: list[list]) -> V.Mat | None:
    """The derivatives ∂a_{ij}/∂z_{ij} where `entries[i][j]` = ∂a/∂z_{ij} is zero in every
    entry but (i, j): an elementwise map's Jacobian, read as the matrix of its diagonal."""
    rows = len(entries)
    cols = len(entries[0]) if rows else 0
    out = []
    for i, row in enumerate(entries):
        out_row = []
        for j, d in enumerate(row):
            if not (isinstance(d, V.Mat) and d.shape == (rows, cols)) or any(
                    x != 0 for a, r in enumerate(d.rows) for b, x in enumerate(r)
                    if (a, b) != (i, j)):
                return None
            out_row.append(d.rows[i][j])
        out.append(tuple(out_row))
    return V.Mat(tuple(out))


def located(message: str, node: A.Expr | None) -> SymbpError:
    return SymbpError(message, column=(node.pos + 1) if node is not None else None)


class _DefinitionError(SymbpError):
    """An error in a definition's right side: its column is in that definition's text."""


def _in_definition(err: SymbpError, d: Definition) -> SymbpError:
    """`err`, raised while computing `d`, said to be in `d` (the innermost definition)."""
    if isinstance(err, (_DefinitionError, LimitError)):
        return err
    return _DefinitionError(f"definition {d.text.strip()[:80]!r}, column {err.column}: "
                            f"{err.message}" if err.column else
                            f"definition {d.text.strip()[:80]!r}: {err.message}")


def _check_power(base, exponent: se.Number, node: A.Pow) -> None:
    """Refuse a numeric power whose exponent or exact value would be too large to compute (a
    tower such as 10^{10^{10}} fills memory inside GMP, where no exception can stop it)."""
    if abs(float(exponent)) > LIMITS["exponent"]:
        raise located(f"the exponent {exponent} is beyond the limit of {LIMITS['exponent']:g}",
                      node.exp)
    if isinstance(base, se.Basic) and base == 0 and exponent.is_negative:
        raise located("a power of zero with a negative exponent (division by zero)", node)
    if isinstance(base, se.Number) and base != 0 and base.is_real:
        digits = abs(float(exponent)) * abs(math.log10(abs(float(base))))
        if digits > LIMITS["number_digits"]:
            raise located(f"this power has about {digits:.0f} digits, beyond the limit of "
                          f"{LIMITS['number_digits']:g}", node)


@dataclass(frozen=True)
class Net:
    """One network size: widths, input first; layers numbered from `first`."""

    sizes: tuple[int, ...]
    first: int
    examples: int = 1                      # training examples in the batch

    @property
    def L(self) -> int:
        return self.first + len(self.sizes) - 1

    def valid(self, layer: int) -> bool:
        return self.first <= layer <= self.L

    def width(self, layer: int) -> int:
        if not self.valid(layer):
            raise OutOfRange(f"there is no layer {layer}")
        return self.sizes[layer - self.first]

    def __str__(self) -> str:
        text = "[" + ", ".join(map(str, self.sizes)) + "]"
        return text + (f", {self.examples} examples" if self.examples > 1 else "")


def key_text(key: Key) -> str:
    name, layer, units, sample = key
    text = N.symbol_name(name, layer, units)
    return text if sample is None else f"{text}({sample})"


def _function_name(name: str) -> str:
    """SymPy function names are ASCII words: σ -> sigma."""
    for command, letter in N.GREEK.items():
        if letter == name:
            return command
    return name


_BUILTIN = {
    "exp": se.exp, "log": se.log,
    "tanh": lambda x: (se.exp(2 * x) - 1) / (se.exp(2 * x) + 1),   # so e^{…} forms compare
    "sigmoid": lambda x: 1 / (1 + se.exp(-x)),
}


STEP_PREFIX = "H("


class Evaluator:
    """Evaluates formulas of one `Context` on one `Net` (None: named weights, no layers)."""

    def __init__(self, ctx: Context, net: Net | None, given: dict | None = None,
                 batch: int = 1) -> None:
        self.ctx = ctx
        self.net = net
        self.batch = net.examples if net is not None else batch   # examples in the batch
        self.given = dict(given or {})     # values of the definitions' own free letters (a^L_y)
        self.cache: dict[tuple, object] = {}
        self.deps: dict[Key, set] = {}
        self.closure: dict[Key, frozenset] = {}
        self.stack: list[Key] = []
        self.active: set = set()
        self.templates: dict[tuple, tuple] = {}
        self.params: dict[str, se.Symbol] = {}     # a function's parameters, in its body
        self.batch_axes: dict[int, tuple] = {}     # id(sum) -> (sum, batch_total of it)
        self.steps: dict[se.Symbol, se.Basic] = {}  # ReLU's steps H(u), by their argument u
        self.elementwise = False    # inside an operand of ⊙ or *: a vector's square is entrywise
        self.notes: set[str] = set()    # readings the values decided (an entrywise ∂a/∂z)

    def step(self, value) -> se.Symbol:
        """The step H(u) of ReLU(u) = u H(u): an atom that no variable moves (its derivative
        is 0 away from the kink u = 0); the prover tries it at 0 and 1."""
        symbol = se.Symbol(f"{STEP_PREFIX}{value})")
        self.steps[symbol] = value
        return symbol

    # -- instances -------------------------------------------------------------------------------
    def layer_value(self, level: A.Index, env: dict, node: A.Expr | None = None) -> int:
        if level.var is None:
            return level.offset
        if level.var == "L":
            if self.net is None:
                raise located("the output layer L needs `layers` in the file", node)
            return self.net.L + level.offset
        if level.var not in env:
            raise located(f"layer index {level.var} is not bound", node)
        return env[level.var] + level.offset

    def unit_value(self, level: A.Index, env: dict, node: A.Expr | None = None) -> int:
        if level.var is None:
            return level.offset
        if level.var not in env:
            raise located(f"index {level.var} is not bound (no sum over it, and it is not on "
                          "the left side of the definition)", node)
        return env[level.var] + level.offset

    def slot_width(self, name: str, i: int, layer: int | None) -> int | None:
        """The width of the layer slot i of `name` runs over, None if unknown."""
        table = self.ctx.slots.get(name)
        if self.net is None or not table or i >= len(table) or table[i] is None:
            return None
        slot = table[i]
        if slot == SAMPLE_SLOT:
            return self.examples
        if slot[0] == "rel":
            if layer is None:
                return None
            return self.net.width(layer + slot[1])
        return self.net.width(self.layer_value(slot[1], {}))

    def resolve(self, key: Key, ov: dict, node: A.Expr | None = None):
        """The value of one instance, with the perturbations `ov` in force."""
        if self.stack:                       # conservative: every instance read while computing
            self.deps[self.stack[-1]].add(key)
        if key in ov:
            return ov[key]
        if ov and not (self._depends(key) & ov.keys()):
            ov = {}
        ckey = (key, tuple(sorted(ov.items(), key=str)))
        if ckey in self.cache:
            hit = self.cache[ckey]
            if isinstance(hit, OutOfRange):
                raise hit
            return hit
        if ckey in self.active:
            raise located(f"the definitions refer to each other in a cycle through "
                          f"{key_text(key)}", node)
        self.active.add(ckey)
        if not ov:
            self.stack.append(key)
            self.deps.setdefault(key, set())
        try:
            value = self._compute(key, ov, node)
        except OutOfRange as exc:
            self.cache[ckey] = exc
            raise
        finally:
            self.active.discard(ckey)
            if not ov:
                self.stack.pop()
        self.cache[ckey] = value
        return value

    def _depends(self, key: Key) -> frozenset:
        if key in self.closure:
            return self.closure[key]
        if key not in self.deps:
            try:
                self.resolve(key, {})
            except OutOfRange:
                pass
        seen, todo = set(), [key]
        while todo:
            k = todo.pop()
            for d in self.deps.get(k, ()):
                if d not in seen:
                    seen.add(d)
                    todo.append(d)
        found = frozenset(seen)
        if not self.stack:                  # only complete dependency sets are remembered
            self.closure[key] = found
        return found

    def _compute(self, key: Key, ov: dict, node):
        name, layer, units, sample = key
        defs = self.ctx.definitions.get(name)
        if not defs and self.net is not None and layer is not None and not units and \
                not self.ctx.nslots(name) and name not in self.ctx.plain:
            raise located(f"the shape of {name} on layer {layer} is not known (a scalar, a "
                          "vector, a matrix?): use its entries in a definition "
                          f"({name}_{{jk}}), or a vector-form one (z = {name} x)", node)
        if not defs and name.startswith("Δ") and len(name) > 1 and self.ctx.cost is not None:
            return self._descent_step(key, ov, node)
        base = stepped_base(name)
        if not defs and base is not None and not name.startswith("Δ") and \
                not (name.endswith(PRIMED) and base in self.ctx.definitions) and \
                self.ctx.cost is not None:       # w^{+}, w': w after one step
            target = (base, layer, units, sample)
            return V.add(self.resolve(target, ov, node),
                         self._descent_step(("Δ" + target[0],) + key[1:], ov, node))
        if not defs or (name in self.ctx.plain and layer is None and not units):
            return self._free(key, node)
        for d in defs:
            if len(d.indices) != len(units):
                continue
            env = self._match(d, layer, units, sample)
            if env is None:
                continue
            try:
                value = self._own(d.rhs, {**self.given, **env}, ov)
            except OutOfRange:
                continue
            except SymbpError as err:
                raise _in_definition(err, d) from None
            return V.as_scalar(value) if units else value
        if self.net is not None and layer == self.net.first and name in self.ctx.inputs and \
                not self._defined_whole(defs, layer, sample):     # A^{[0]} = X: X's entries
            if len(units) < max(1, self.ctx.nslots(name)) <= 1:   # the input vector, free
                return self._vector([self._free((name, layer, (u,), sample), node)
                                     for u in range(1, self.net.width(layer) + 1)])
            return self._free(key, node)         # the inputs, left free by the source
        if units:                                # a vector-form definition: z^l = W^l a^{l-1} + b^l
            for d in defs:
                if d.indices:
                    continue
                env = self._match(d, layer, (), sample)
                if env is None:
                    continue
                try:
                    whole = self.resolve((name, layer, (), sample), ov, node)
                except OutOfRange:
                    continue
                if not isinstance(whole, V.Mat):
                    if units == (1,):              # a^3 = σ(z^3_1): a layer of one unit
                        return whole
                    continue
                rows, cols = whole.shape
                r, c = units[:2] if len(units) > 1 else \
                    (1, units[0]) if rows == 1 and cols > 1 else (units[0], 1)
                if 1 <= r <= rows and 1 <= c <= cols:
                    return whole.rows[r - 1][c - 1]
                raise OutOfRange(f"{key_text(key)} is out of range")
        if self.net is None:                     # a network written unit by unit: an unknown
            return self._free(key, node)
        raise OutOfRange(f"{key_text(key)} is not defined here")

    def _defined_whole(self, defs: list[Definition], layer: int, sample) -> bool:
        """A definition gives this layer's quantity whole (`A^{[0]} = X`), on this layer alone."""
        return any(not d.indices and d.layer is not None and d.layer.var is None and
                   self._match(d, layer, (), sample) is not None for d in defs)

    def _descent_step(self, key: Key, ov: dict, node):
        """Δw for a w no definition steps: gradient descent on the file's cost,
        -η ∂C/∂w (the cost and rate as `Context.cost`, `Context.rate` name them)."""
        name, layer, units, sample = key
        cost = self.ctx.cost
        env = {}
        if isinstance(cost, A.Ref) and cost.sample is not None and cost.sample.var:
            if sample is None and self.examples > 1:      # Δθ_j on E_k: which example k?
                raise located(f"the update descends {cost.name} of one example, but the "
                              "batch has several: set `examples = 1` or descend their mean",
                              node)
            env[cost.sample.var] = sample if sample is not None else 1
            if sample is None and name[1:] in self.ctx.per_example:
                sample = env[cost.sample.var]          # w_{ji}(n), stepped on E(n)
        target = (name[1:], layer, units, sample)
        self.resolve(target, ov, node)                     # a quantity of the file, in range
        rate = self.ev(self.ctx.rate, {}, ov)
        wrt = A.Ref(node.pos if node is not None else 0, name[1:], None, ())
        gradient = self._partial(cost, target, env, ov, A.Deriv(wrt.pos, cost, wrt))
        if isinstance(gradient, V.Mat):            # the derivative of an array is one
            raise located(f"an update descends a cost, one number, but {cost.name} is an "
                          "array: name the cost with the file key `cost`", node)
        return V.neg(V.product(rate, gradient))

    def _match(self, d: Definition, layer: int | None, units: tuple,
               sample: int | None = None) -> dict | None:
        env: dict[str, int] = {} if sample is None else {SAMPLE: sample}
        if d.sample is not None:               # C_x = ...: the definition's own example letter
            if sample is None:
                return None
            env[d.sample.var] = sample
        elif sample is not None:               # g_j = \hat{y}_j^k (…): its example is k
            env.update((letter, sample) for letter in self.ctx.sample_letters
                       if letter not in env)
        if (d.layer is None) != (layer is None):
            return None
        if d.layer is not None:
            if d.layer.var is None or d.layer.var == "L":
                if self.layer_value(d.layer, {}) != layer:
                    return None
            else:
                env[d.layer.var] = layer - d.layer.offset
                if self.net is not None and not self.net.valid(env[d.layer.var]) and \
                        d.layer.offset == 0:
                    return None
        for i, (pattern, unit) in enumerate(zip(d.indices, units)):
            if pattern.var is None:
                if pattern.offset != unit:
                    return None
                continue
            value = unit - pattern.offset
            if env.get(pattern.var, value) != value:
                return None
            env[pattern.var] = value
            try:
                width = self.slot_width(d.name, i, layer)
            except OutOfRange:
                return None
            if width is not None and not 1 <= unit <= width:
                return None
        return env

    def _free(self, key: Key, node):
        name, layer, units, _ = key
        if self.net is not None:
            if layer is not None and not self.net.valid(layer):
                raise OutOfRange(f"{key_text(key)}: there is no layer {layer}")
            for i, unit in enumerate(units):
                width = self.slot_width(name, i, layer)
                if width is not None and not 0 <= unit <= width:
                    raise OutOfRange(f"{key_text(key)} is out of range")
        return se.Symbol(key_text(key))

    # -- expressions ----------------------------------------------------------------------------
    def ev(self, expr: A.Expr, env: dict, ov: dict):
        """The value (scalar or `Mat`) of `expr` with index values `env`."""
        return getattr(self, "_" + type(expr).__name__)(expr, env, ov)

    def _own(self, expr: A.Expr, env: dict, ov: dict, elementwise: bool = False):
        """`expr` evaluated in its own context: a definition's right side is read as printed,
        whatever product the quantity it defines stands in."""
        saved, self.elementwise = self.elementwise, elementwise
        try:
            return self.ev(expr, env, ov)
        finally:
            self.elementwise = saved

    def _Num(self, e: A.Num, env, ov):
        return se.Rational(int(e.value.p), int(e.value.q))

    def _BatchSize(self, e: A.BatchSize, env, ov):
        return se.Integer(self.examples)

    def _Ones(self, e, env, ov):
        return se.Integer(1)

    def _Tuple(self, e, env, ov):
        raise located("a list in parentheses has no value here", e)

    def _Add(self, e: A.Add, env, ov):
        out = self.ev(e.terms[0], env, ov)
        for t in e.terms[1:]:
            out = V.add(out, self.ev(t, env, ov), self.ctx.examples_as)
        return out

    def _Neg(self, e: A.Neg, env, ov):
        return V.neg(self.ev(e.arg, env, ov))

    def _Mul(self, e: A.Mul, env, ov):
        out = self.ev(e.factors[0], env, ov)
        for f in e.factors[1:]:
            out = V.product(out, self.ev(f, env, ov))
        return out

    def _Div(self, e: A.Div, env, ov):
        den = self.ev(e.den, env, ov)
        if isinstance(den, se.Basic) and den == 0:
            raise located("division by zero", e.den)
        return V.divide(self.ev(e.num, env, ov), den)

    def _Pow(self, e: A.Pow, env, ov):
        base, exponent = self.ev(e.base, env, ov), self.ev(e.exp, env, ov)
        if isinstance(exponent, se.Number):
            _check_power(base, exponent, e)
        if (self.elementwise or isinstance(e.base, A.Call)) and isinstance(base, V.Mat) and \
                not isinstance(exponent, V.Mat):          # (1 - a^2) ⊙ …, \tanh^2(z):
            return base.map(lambda x: x ** exponent)      # entry by entry
        return V.power(base, exponent)

    def _Hadamard(self, e: A.Hadamard, env, ov):
        return V.hadamard(self._own(e.left, env, ov, True), self._own(e.right, env, ov, True))

    def _Outer(self, e: A.Outer, env, ov):
        return V.outer(self.ev(e.left, env, ov), self.ev(e.right, env, ov))

    def _Star(self, e: A.Star, env, ov):
        left, right = self._own(e.left, env, ov, True), self._own(e.right, env, ov, True)
        if isinstance(left, V.Mat) and isinstance(right, V.Mat):
            return V.hadamard(left, right)
        return V.product(left, right)

    def _Indicator(self, e: A.Indicator, env, ov):
        if e.rel == ">":
            value = self.ev(e.left, env, ov)
            return value.map(self.step) if isinstance(value, V.Mat) else self.step(value)
        return se.Integer(int(self.integer(e.left, env) == self.integer(e.right, env)))

    def _Transpose(self, e: A.Transpose, env, ov):
        return V.transpose(self.ev(e.arg, env, ov))

    def _Norm(self, e: A.Norm, env, ov):
        return se.sqrt(V.squared_norm(self.ev(e.arg, env, ov)))

    def _Ref(self, e: A.Ref, env, ov):
        if e.name in self.params and not e.indices and e.layer is None:
            return self.params[e.name]
        if e.sample is not None and e.name in self.ctx.batched and \
                e.name not in self.ctx.per_example and len(e.indices) <= 1:
            return self._example_of_batch(e, env, ov)
        if self._is_width(e) and self.net is not None:       # n_L: a layer's width, a number
            return se.Integer(self.integer(e, env))
        if self.is_batch_size(e) and e.name not in env:        # \frac{1}{n}: the batch size
            return se.Integer(self.examples)
        keys = self.keys(e, env)
        if isinstance(keys, list):
            return V.Mat(tuple(tuple(self.resolve(k, ov, e) for k in row) for row in keys))
        return self.resolve(keys, ov, e)

    def keys(self, e: A.Ref, env: dict, *, wrt: bool = False):
        """The instance key of a reference, or a matrix (list of rows) of keys for a vector."""
        lex = self.ctx.lex
        layer = None
        if e.name in self.ctx.plain and e.layer is None and not e.indices:
            return (e.name, None, (), None)      # σ'(z) = σ(z)(1 - σ(z)): z a plain variable
        if e.name in self.ctx.layered:
            if e.layer is None:
                if not wrt or self.net is None:
                    raise located(f"{e.name} needs its layer as a superscript", e)
                layer = self.net.L
            else:
                layer = self.layer_value(e.layer, env, e)
        elif e.layer is not None:
            raise located(f"{e.name} has no layers", e)
        units = tuple(self.unit_value(i, env, e) for i in e.indices)
        sample = self.sample_of(e, env)
        n = self.ctx.nslots(e.name)
        if not units and not wrt:
            whole = self._whole(e.name, layer, sample, e)
            if whole is not None:
                return whole
        if len(units) >= n or self.net is None or \
                self._has_own_definition(e.name, layer, units):
            return (e.name, layer, units, sample)
        missing = n - len(units)
        if missing > 2:
            raise located(f"{e.name} has {n} indices; give at least {n - 2}", e)
        ranges = []
        for i in range(len(units), n):
            width = self.slot_width(e.name, i, layer) or self._given_width(e.name, i) or \
                self._paired_width(e.name, i)
            if width is None:
                raise located(f"cannot infer the range of index {i + 1} of {e.name} from the "
                              "definitions; write it with its index in a definition", e)
            ranges.append(range(1, width + 1))
        if missing == 1:
            if self.ctx.row_vectors and not ({e.name, stepped_base(e.name)} &
                                             self.ctx.column_vectors):
                return [[(e.name, layer, units + (u,), sample) for u in ranges[0]]]
            return [[(e.name, layer, units + (u,), sample)] for u in ranges[0]]
        return [[(e.name, layer, units + (r, c), sample) for c in ranges[1]] for r in ranges[0]]

    def _example_of_batch(self, e: A.Ref, env, ov):
        """`z_2^{(i)}`, `dZ^{[l](i)}` of a matrix computed over the batch: example i's row (where
        examples are rows) or column, and `z_2^{(i)}_k` its entry k."""
        return self._example_slice(e, self.ev(replace(e, sample=None, indices=()), env, ov),
                                   env)

    def _example_slice(self, e: A.Ref, whole, env):
        if not isinstance(whole, V.Mat):
            raise located(f"{e.name} is one number for the whole batch: it has no example "
                          f"{e.sample.var}", e)
        rows = 0 in self.ctx.batch_slots.values()
        k = self.unit_value(e.sample, env, e)
        matrix = whole if rows else whole.T()
        if not 1 <= k <= len(matrix.rows):
            raise OutOfRange(f"{e.name} has no example {k}")
        row = matrix.rows[k - 1]
        if e.indices:
            u = self.unit_value(e.indices[0], env, e)
            if not 1 <= u <= len(row):
                raise OutOfRange(f"{e.name} has no unit {u}")
            return row[u - 1]
        return V.Mat((row,)) if self.ctx.row_vectors else V.Mat.column(row)

    def sample_of(self, e: A.Ref, env: dict) -> int | None:
        """The example a reference is read for: the one printed (`a^{x,l}`), else the one in
        force (`#x`, in a definition or a sum over examples); None for what all share (w, b)."""
        if e.name not in self.ctx.per_example:
            if e.sample is not None and e.name in self.ctx.definitions:
                raise located(f"{e.name} has one value for the whole batch (its definitions "
                              f"print no example): {e.name} for example {e.sample.var} is not "
                              "defined", e)
            return None
        if e.sample is not None:
            return self.unit_value(e.sample, env, e)
        if e.name in self.ctx.totals:           # C beside C_x: the batch's total
            return None
        return env.get(SAMPLE, 1)

    def _whole(self, name: str, layer, sample, node) -> list | None:
        """The entry keys of a family defined as a whole vector or matrix (`Z^{[l]} = W A + b`),
        so that a perturbation of one entry reaches everything computed from it."""
        if not any(not d.indices for d in self.ctx.definitions.get(name, ())):
            return None
        try:
            value = self.resolve((name, layer, (), sample), {}, node)
        except OutOfRange:
            return None
        if not isinstance(value, V.Mat):
            return None
        return _entry_keys(name, layer, sample, *value.shape, matrix=name in self.ctx.batched)

    def _given_width(self, name: str, i: int) -> int | None:
        """`Y_1 = 0`, `Y_2 = 1` (or `values` for X_1, X_2): a family given unit by unit at
        units 1..m and nowhere else is a vector of m entries."""
        units = {d.indices[i].offset for d in self.ctx.definitions.get(name, ())
                 if len(d.indices) > i and d.indices[i].var is None}
        units |= {t[i] for t in self.ctx.value_units.get(name, ()) if len(t) > i}
        general = any(len(d.indices) > i and d.indices[i].var is not None
                      for d in self.ctx.definitions.get(name, ()))
        if units and not general and units == set(range(1, max(units) + 1)):
            return max(units)
        return None

    def _paired_width(self, name: str, i: int) -> int | None:
        """A free family whose entries a definition prints beside a matrix's entries with the
        same index letter in the same place (`(t_{qj} - y_{qj})^2`, y = H^L whole): that
        matrix's rows or columns."""
        for d in (d for table in self.ctx.definitions.values() for d in table):
            found = [r for r in A.walk(d.rhs) if isinstance(r, A.Ref) and len(r.indices) == 2]
            for mine in (r for r in found if r.name == name and r.indices[i].var):
                for other in found:
                    if other.name != name and other.indices[i] == mine.indices[i]:
                        layer = other.layer.offset if other.layer is not None and \
                            other.layer.var is None else None
                        width = self._whole_width(other.name, layer, i)
                        if width is not None:
                            return width
        return None

    def _has_own_definition(self, name: str, layer: int | None, units: tuple) -> bool:
        """Some definition gives exactly this instance (`A^{[0]} = X` gives A^{[0]}, not
        A^{[2]}, whose entries A^{[2]}_1, A^{[2]}_2 are defined one by one)."""
        on_inputs = self.net is not None and layer == self.net.first and name in self.ctx.inputs
        return any(len(d.indices) == len(units) and self._match(d, layer, units, 1) is not None
                   and not (on_inputs and d.layer is not None and d.layer.var is not None)
                   for d in self.ctx.definitions.get(name, ()))   # A^{[l]} = g(Z^{[l]}): not A^{[0]}

    def _Call(self, e: A.Call, env, ov):
        if isinstance(e.arg, A.Tuple):
            return self._generic_of_several(e, env, ov)
        arg = self.ev(e.arg, env, ov)
        if e.layer is not None:                  # g^{[l]}: each layer's own activation
            level = self.layer_value(e.layer, env, e)
            given = self._layer_activation(e.func, level)
            if given is not None:                # σ'^l beside a^1 = ReLU(z^1): ReLU there
                return self._Call(replace(e, func=given, layer=None), env, ov)
            fn = self._function(f"{e.func}^{{{level}}}", e.order, e)
            return arg.map(fn) if isinstance(arg, V.Mat) else fn(arg)
        if e.func == "relu":
            if e.order > 1:
                return arg.map(lambda _: se.Integer(0)) if isinstance(arg, V.Mat) else \
                    se.Integer(0)
            fn = self.step if e.order == 1 else (lambda a: a * self.step(a))
            return arg.map(fn) if isinstance(arg, V.Mat) else fn(arg)
        fn = self._function(e.func, e.order, e)
        return arg.map(fn) if isinstance(arg, V.Mat) else fn(arg)

    def _layer_activation(self, func: str, level: int) -> str | None:
        """The function the definitions apply on layer `level` (`a^1 = \\text{ReLU}(z^1)`),
        which a claim's layer-scripted σ^l stands for; None where they print σ^l themselves
        or apply nothing there."""
        if f"{func}^{{{level}}}" in self.ctx.functions:
            return None
        for defs in self.ctx.definitions.values():
            for d in defs:
                rhs = d.rhs
                if not (isinstance(rhs, A.Call) and rhs.layer is None and not rhs.order and
                        isinstance(rhs.arg, A.Ref) and rhs.arg.layer is not None and
                        d.layer is not None and not d.indices and
                        rhs.arg.layer.var == d.layer.var and
                        rhs.arg.layer.offset == d.layer.offset):
                    continue
                if self._match(d, level, ()) is not None:
                    self.notes.add(f"{func}^{level} read as layer {level}'s activation as the "
                                   f"definitions give it: {rhs.func}")
                    return rhs.func
        return None

    def _generic_of_several(self, e: A.Call, env, ov):
        """`l(\\mathbf{o}, y)`: a generic function of several arguments (a loss of the output
        and the target), each vector argument contributing its entries; a function the file
        defines with as many parameters (Ng's `\\mathcal{L}(a, y) = …`) is its formula."""
        fdef = self.ctx.functions.get(e.func)
        if fdef is not None and not e.order and e.layer is None:
            return self._defined_of_several(fdef, e, env, ov)
        if e.order or e.layer is not None or e.func in self.ctx.functions or \
                e.func in _BUILTIN or e.func == "relu":
            raise located(f"{e.func} of several arguments: only a generic function (an "
                          "undefined letter, such as l(o, y)) takes a list", e)
        flat = []
        for item in e.arg.items:
            value = self.ev(item, env, ov)
            flat.extend(value.entries() if isinstance(value, V.Mat) else [value])
        return se.Function(_function_name(e.func))(*flat)

    def _defined_of_several(self, fdef, e: A.Call, env, ov):
        """A defined function of scalar parameters at scalar arguments: its body with each
        parameter standing for its argument (a vector argument is refused)."""
        if len(fdef.params) != len(e.arg.items):
            raise located(f"{e.func} takes {len(fdef.params)} arguments, "
                          f"here {len(e.arg.items)}", e)
        values = [V.as_scalar(self.ev(item, env, ov)) for item in e.arg.items]
        if any(isinstance(v, V.Mat) for v in values):
            raise located(f"{e.func} of several arguments takes numbers, not vectors: "
                          "apply it entry by entry", e)
        saved, self.params = self.params, dict(zip(fdef.params, values))
        try:
            body = self._own(fdef.body, {}, {})
        finally:
            self.params = saved
        if isinstance(body, V.Mat):
            raise located(f"the definition of {e.func} is not a scalar", e)
        return body

    def _function(self, name: str, order: int, node):
        """A one-argument SymPy function for f^(order)."""
        tkey = (name, order)
        if tkey not in self.templates:
            x = se.Symbol("_ξ")
            fdef = self.ctx.functions.get(name)
            if fdef is not None:
                if len(fdef.params) != 1:
                    raise located(f"{name} takes {len(fdef.params)} arguments", node)
                self.params = {fdef.params[0]: x}
                try:
                    body = self._own(fdef.body, {}, {})
                finally:
                    self.params = {}
                if isinstance(body, V.Mat):
                    raise located(f"the definition of {name} is not a scalar", node)
            elif name in _BUILTIN:
                body = _BUILTIN[name](x)
            else:
                body = se.Function(_function_name(name))(x)
            for _ in range(order):
                body = body.diff(x)
            self.templates[tkey] = (x, body)
        x, template = self.templates[tkey]
        steps = {s: arg for s, arg in self.steps.items()     # max(0, t) in a defined function
                 if s in template.free_symbols and x in arg.free_symbols}

        def apply(a):
            value = template.subs({x: a})
            if steps:
                value = value.subs({s: self.step(arg.subs({x: a})) for s, arg in steps.items()})
            return value
        return apply

    # sums
    def _EntryPow(self, e: A.EntryPow, env, ov):
        base, exponent = self.ev(e.base, env, ov), self.ev(e.exp, env, ov)
        if isinstance(exponent, V.Mat):
            raise V.ShapeMismatch(f"an exponent that is {V.shape_text(exponent)}")
        if isinstance(exponent, se.Number):
            _check_power(base, exponent, e)
        return base.map(lambda x: x ** exponent) if isinstance(base, V.Mat) else base ** exponent

    def _AxisSum(self, e: A.AxisSum, env, ov):
        return V.axis_total(self.ev(e.arg, env, ov), e.axis, e.mean)

    def _Sum(self, e: A.Sum, env, ov):
        if id(e) not in self.batch_axes:          # a property of the formula, not the point
            self.batch_axes[id(e)] = (e, batch_total(e, self.ctx))
        axis = self.batch_axes[id(e)][1]
        if axis is not None:                      # \sum_{i=1}^{m} dZ: dZ's m columns
            return V.axis_total(self.ev(e.body, env, ov), 1 if axis == "columns" else 0)
        if e.var == A.UNINDEXED:                  # \sum o: that one term (a single output)
            return self.ev(e.body, env, ov)
        if self.over_examples(e):                  # \sum_x C_x, \sum_{i=1}^{m}: each example
            values = [self.ev(e.body, {**env, e.var: v, SAMPLE: v}, ov)
                      for v in self.example_range(e, env)]
            return V.total(values)
        values = [self.ev(e.body, {**env, e.var: v}, ov) for v in self.sum_range(e, env)]
        return V.total(values)

    def over_examples(self, e: A.Sum) -> bool:
        """A sum over the training examples (`symbp.derivation.model.over_examples`)."""
        return over_examples(e, self.ctx.sample_letters)

    def example_range(self, e: A.Sum, env: dict) -> range:
        m = self.examples
        lo, hi = (self.integer(e.lo, env), self.integer(e.hi, env)) if e.lo is not None \
            else (1, m)
        if lo < 1 or hi > m:
            raise OutOfRange(f"examples {lo} .. {hi} of a batch of {m}")
        return range(lo, hi + 1)

    @property
    def examples(self) -> int:
        return self.batch

    def is_batch_size(self, expr: A.Expr) -> bool:
        """`n`, `m`, `N` with nothing else to name, in a file that counts examples."""
        return bool(self.ctx.sample_letters or self.ctx.batch_file) and \
            isinstance(expr, A.Ref) and \
            expr.name in BATCH_NAMES and not expr.indices and expr.layer is None and \
            expr.name not in self.ctx.definitions

    def sum_range(self, e: A.Sum, env: dict) -> range:
        if e.lo is not None and self._is_count(e.hi, env) and self.integer(e.lo, env) in (0, 1):
            widths = self.occurrence_widths(e.body, e.var, env)
            if widths:
                lo, hi = self.integer(e.lo, env), min(widths)
                return range(lo, hi + 1)
        if e.lo is not None:
            lo, hi = self.integer(e.lo, env), self.integer(e.hi, env)
        elif e.within is not None:
            if self.net is None:
                raise located("a sum over a layer needs `layers` in the file", e)
            lo, hi = 1, self.net.width(self.layer_value(e.within, env, e))
        else:
            widths = self.occurrence_widths(e.body, e.var, env)
            if not widths:
                raise located(f"cannot infer the range of the sum index {e.var}: it indexes no "
                              "family whose range is known; give bounds \\sum_{k=1}^{n}", e)
            lo, hi = 1, min(widths)
        if hi - lo + 1 > LIMITS["sum_terms"]:
            raise located(f"a sum of {hi - lo + 1} terms exceeds the limit", e)
        return range(lo, hi + 1)

    def occurrence_widths(self, expr: A.Expr, var: str, env: dict) -> list[int]:
        """Widths of the layers that the unit index `var` runs over where it occurs in `expr`."""
        widths = []
        for ref in _unbound_refs(expr, var):
            for i, idx in enumerate(ref.indices):
                if idx.var != var:
                    continue
                layer = None
                if ref.layer is not None:
                    try:
                        layer = self.layer_value(ref.layer, env, ref)
                    except SymbpError:
                        continue
                elif ref.name in self.ctx.layered:
                    continue
                width = self.slot_width(ref.name, i, layer)
                if width is None and len(ref.indices) == 2:
                    width = self._whole_width(ref.name, layer, i) or \
                        self._entry_width(ref.name, i)
                if width is None and len(ref.indices) == 1:     # \hat{y}_i, \hat{y} = a^{[L]}
                    rows, cols = (self._whole_width(ref.name, layer, k) for k in (0, 1))
                    width = cols if rows == 1 else rows if cols == 1 else None
                if width is not None:
                    widths.append(width)
        return widths

    def _entry_width(self, name: str, i: int) -> int | None:
        """Slot i of a family defined entry by entry from the entries of a whole matrix
        (`\\hat{y}_{i,k} = e^{(z_2)_{i,k}} / …`): that matrix's rows or columns."""
        for d in self.ctx.definitions.get(name, ()):
            letter = d.indices[i].var if i < len(d.indices) else None
            for r in (n for n in A.walk(d.rhs) if isinstance(n, A.Ref) and len(n.indices) == 2):
                for p, idx in enumerate(r.indices):
                    if idx.var != letter or idx.offset:
                        continue
                    layer = r.layer.offset if r.layer is not None and r.layer.var is None \
                        else None
                    if r.layer is not None and r.layer.var == "L" and self.net is not None:
                        layer = self.net.L + r.layer.offset        # a_{ij} = A^{[L]}_{ji}
                    if r.layer is None or layer is not None:
                        width = self._whole_width(r.name, layer, p)
                        if width is not None:
                            return width
        return None

    def _whole_width(self, name: str, layer: int | None, i: int) -> int | None:
        """The rows (i = 0) or columns (i = 1) of a family defined as a whole matrix
        (`S = H W_2 + b_2`: S_{ik} runs over its rows and columns)."""
        if not any(not d.indices for d in self.ctx.definitions.get(name, ())):
            return None
        try:
            value = self.resolve((name, layer, (), None), {})
        except (OutOfRange, SymbpError):
            return None
        return value.shape[i] if isinstance(value, V.Mat) else None

    def _is_width(self, expr: A.Expr, bound: bool = False) -> bool:
        """`n_l`, `M_{l-1}`, `s_l`: an undefined family of one layer index is that layer's width;
        `m_L`, `d_L` only as a `bound` (`\\sum_{j=1}^{m_L}`), where they can be nothing else."""
        if not (isinstance(expr, A.Ref) and len(expr.indices) == 1 and expr.layer is None):
            return False
        idx = expr.indices[0]
        letters = N.WIDTH_LETTERS + (N.BOUND_WIDTH_LETTERS if bound else ())
        return not self._has_definition_of(expr.name, 1) and (
            expr.name == "n" or idx.var in self.ctx.lex.layer_vars - {"L"} or
            (idx.var == "L" and expr.name in letters))

    def _vector(self, items: list) -> V.Mat:
        """A vector of the source's kind: a column, or a row where the source writes rows."""
        return V.Mat((tuple(items),)) if self.ctx.row_vectors else V.Mat.column(items)

    def _has_definition_of(self, name: str, count: int) -> bool:
        """Some definition gives `name` with `count` unit indices (n = n_L gives n, not n_l)."""
        return any(len(d.indices) == count for d in self.ctx.definitions.get(name, ()))

    def _is_count(self, expr: A.Expr | None, env: dict) -> bool:
        """A bare undefined letter as an upper bound (`\\sum_{i=1}^n`): the number of units."""
        return isinstance(expr, A.Ref) and not expr.indices and expr.layer is None and \
            expr.name not in env and expr.name != "L" and expr.name not in self.ctx.definitions

    def integer(self, expr: A.Expr, env: dict) -> int:
        """An index-valued expression: numbers, index letters, L, n_l (the width of layer l)."""
        if isinstance(expr, A.Num) and expr.value.is_integer:
            return int(expr.value)
        if self.is_batch_size(expr) and expr.name not in env:
            return self.examples
        if isinstance(expr, A.Ref) and not expr.indices and expr.layer is None:
            if expr.name in env:
                return env[expr.name]
            if expr.name == "L" and self.net is not None:
                return self.net.L
        if self._is_width(expr, bound=True) and self.net is not None:
            return self.net.width(self.layer_value(expr.indices[0], env, expr))
        if isinstance(expr, A.Ref) and expr.layer is not None and not expr.indices and \
                expr.name not in self.ctx.definitions and self.net is not None:
            return self.net.width(self.layer_value(expr.layer, env, expr))   # d^{(l-1)}: a width
        if isinstance(expr, A.Add):
            return sum(self.integer(t, env) for t in expr.terms)
        if isinstance(expr, A.Neg):
            return -self.integer(expr.arg, env)
        if isinstance(expr, A.Ref) and expr.name in self.ctx.definitions:   # d^{(l)} = n_l
            layer = self.layer_value(expr.layer, env, expr) if expr.layer is not None else None
            units = tuple(self.unit_value(i, env, expr) for i in expr.indices)
            for d in self.ctx.definitions[expr.name]:
                if len(d.indices) == len(units):
                    bound = self._match(d, layer, units)
                    if bound is not None:
                        return self.integer(d.rhs, bound)
            raise OutOfRange(f"{expr.name} has no value on this layer")
        raise located("expected an integer: a number, an index, L or n_l", expr)

    # derivatives
    def _Deriv(self, e: A.Deriv, env, ov):
        w = e.wrt
        if w.sample is not None and w.name in self.ctx.batched and \
                w.name not in self.ctx.per_example and len(w.indices) <= 1:   # ∂L/∂z_2^{(i)}
            whole = replace(w, sample=None, indices=())
            return self._example_slice(w, self._Deriv(replace(e, wrt=whole), env, ov), env)
        keys = self.keys(e.wrt, env, wrt=True)
        name = e.wrt.name
        if not isinstance(keys, list):
            whole = self.resolve(keys, ov, e.wrt)
            if isinstance(whole, V.Mat):          # a family defined as a whole vector or matrix
                name, layer, _, sample = keys
                keys = _entry_keys(name, layer, sample, *whole.shape,
                                   matrix=name in self.ctx.batched)
        if isinstance(keys, list):
            entries = [[V.as_scalar(self._partial(e.num, k, env, ov, e)) for k in row]
                       for row in keys]
            if any(isinstance(x, V.Mat) for row in entries for x in row):
                diagonal = _entrywise(entries)
                if diagonal is None:
                    raise V.ShapeMismatch("a derivative of a vector by a vector (a Jacobian) "
                                          "has no shape here")
                self.notes.add("∂a/∂z of a vector or matrix computed entry by entry (each entry "
                               "of a depends on the same entry of z alone) read as the matrix "
                               "of the entries' derivatives, as sources print σ'(z)")
                return diagonal
            return V.Mat(tuple(tuple(row) for row in entries))
        return self._partial(e.num, keys, env, ov, e)

    def _partial(self, num: A.Expr, key: Key, env, ov, node):
        current = self.resolve(key, ov, node.wrt)
        if isinstance(current, V.Mat):
            raise located("can only differentiate with respect to a scalar instance", node.wrt)
        alias = key[0] in self.ctx.definitions and key[0] not in self.ctx.read_by_definitions
        if (key[0] not in self.ctx.definitions or alias) and key not in ov and \
                isinstance(current, se.Symbol):
            value = V.as_scalar(self.ev(num, env, ov))   # an alias (W^l_{jk} = w^l_{jk}): its variable
            return _diff(value, current)
        if alias:
            raise located(f"nothing is computed from {key[0]}: differentiate with respect to "
                          "the quantity it is defined from", node.wrt)
        var = se.Symbol(f"_δ{key_text(key)}")
        value = V.as_scalar(self.ev(num, env, {**ov, key: var}))    # a layer of one unit: a number
        d = _diff(value, var)
        back = self._restep(var, current)
        if isinstance(d, V.Mat):
            return d.map(lambda x: substitute(x, var, current).subs(back))
        return substitute(d, var, current).subs(back)

    def _restep(self, var, current) -> dict:
        """Steps H(u) whose argument held the perturbation variable, renamed for its value."""
        out = {}
        for symbol, arg in list(self.steps.items()):
            if var in arg.free_symbols:
                out[symbol] = self.step(substitute(arg, var, current))
        return out


def _entry_keys(name: str, layer, sample, rows: int, cols: int, matrix: bool = False) -> list:
    """The entry keys of a whole vector or matrix: one unit index for a column or a row
    (`u_j` of the row u), two for a matrix, and for a batch matrix even of one example."""
    if not matrix and cols == 1:
        return [[(name, layer, (r + 1,), sample)] for r in range(rows)]
    if not matrix and rows == 1:
        return [[(name, layer, (c + 1,), sample) for c in range(cols)]]
    return [[(name, layer, (r + 1, c + 1), sample) for c in range(cols)] for r in range(rows)]


def _diff(value, var):
    """The partial derivative; the engine applies the chain rule (Subs for generic f')."""
    if isinstance(value, V.Mat):
        return value.map(lambda x: se.diff(x, var))
    return se.diff(value, var)


def _unbound_refs(expr: A.Expr, var: str):
    """References in `expr` where `var` is not rebound by an inner sum."""
    if isinstance(expr, A.Sum) and expr.var == var:
        return
    if isinstance(expr, A.Ref):
        yield expr
    for value in expr.__dict__.values():
        if isinstance(value, A.Expr):
            yield from _unbound_refs(value, var)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, A.Expr):
                    yield from _unbound_refs(item, var)
