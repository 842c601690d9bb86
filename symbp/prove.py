"""Identity proofs, counterexamples and diagnoses, returned as a `Verdict`, never a bare bool.

`proved` means both sides have the same canonical form once every function application is an
independent atom (see `symbp.atoms`): a proof for every value of every atom, hence for every
differentiable σ. `refuted` carries an exact rational assignment at which the two sides are
evaluated (exactly, or in rigorous interval arithmetic) and differ. Anything else is `undecided`.
"""
from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import symengine as se
import sympy as sp

from symbp import numeric
from symbp.atoms import Atomizer, canonical
from symbp.deadline import time_limit
from symbp.engine import to_engine, to_sympy

PROVED, REFUTED, UNDECIDED = "proved", "refuted", "undecided"
COUNTEREXAMPLE_TRIES = 24
#: The largest difference (in operations, before expanding) the prover will canonicalise.
MAX_OPERATIONS = 2_000_000


@dataclass(frozen=True)
class Counterexample:
    """A point where the sides differ: free variables, generic function values, both sides."""

    assignment: dict[str, str]          # readable name -> exact rational
    functions: dict[str, str]           # "σ(z^{2}_{1})" -> chosen value (generic functions only)
    lhs_value: str
    rhs_value: str
    exact: bool                          # exact rationals, or a rigorous interval midpoint
    point: dict = field(default_factory=dict, compare=False, repr=False)  # symbol/atom -> value

    def __str__(self) -> str:
        pts = ", ".join(f"{k} = {v}" for k, v in self.assignment.items())
        fns = ", ".join(f"{k} = {v}" for k, v in self.functions.items())
        how = "exactly" if self.exact else f"in {numeric.PRECISION_BITS}-bit interval arithmetic"
        where = pts + (f"; generic functions: {fns}" if fns else "")
        return f"at {where}: left = {self.lhs_value}, right = {self.rhs_value} ({how})"

    def to_dict(self) -> dict:
        return {"assignment": self.assignment, "functions": self.functions,
                "lhs": self.lhs_value, "rhs": self.rhs_value, "exact": self.exact}


@dataclass(frozen=True)
class Verdict:
    """The outcome of one proof attempt, with its evidence."""

    status: str
    method: str = ""
    condition: str | None = None
    counterexample: Counterexample | None = None
    diagnosis: str | None = None
    reason: str | None = None
    seconds: float = 0.0

    @property
    def proved(self) -> bool:
        return self.status == PROVED

    def to_dict(self) -> dict:
        return {"status": self.status, "method": self.method, "condition": self.condition,
                "counterexample": self.counterexample.to_dict() if self.counterexample else None,
                "diagnosis": self.diagnosis, "reason": self.reason,
                "seconds": round(self.seconds, 6)}

    def __str__(self) -> str:
        text = self.status
        if self.condition:
            text += f" (given {self.condition})"
        if self.diagnosis:
            text += f": {self.diagnosis}"
        if self.counterexample:
            text += f"; counterexample {self.counterexample}"
        if self.reason:
            text += f" ({self.reason})"
        return text


@dataclass
class Context:
    """What the prover needs to know about the atoms of the expressions it compares."""

    atomizer: Atomizer
    labels: dict[se.Basic, str] = field(default_factory=dict)
    named: dict[se.Basic, str] = field(default_factory=dict)   # canonical expr -> its name
    specialize: dict[se.Basic, se.Basic] = field(default_factory=dict)  # σ' atom -> its rule

    def label(self, symbol: se.Basic) -> str:
        if symbol in self.labels:
            return self.labels[symbol]
        atom = self.atomizer.atoms.get(symbol)
        return atom.label if atom else str(symbol)


def context(net) -> Context:
    """The prover's view of a `symbp.network.Network`: atom labels and its σ' rules."""
    return Context(net.atomizer, net.labels, specialize=net.specialize)


# -- the public entry point on SymPy objects -------------------------------------------------------
def prove(lhs: sp.Expr, rhs: sp.Expr, *, given: dict | None = None,
          alternatives: dict[str, sp.Expr] | None = None, names: dict | None = None,
          seed: int = 0, timeout: float | None = 10.0, diagnose: bool = True) -> Verdict:
    """Prove `lhs == rhs` for all values of the free symbols and every generic function.

    Sides may be SymPy or SymEngine expressions. `given` substitutes a side condition (e.g.
    y_3 -> 1 - y_1 - y_2) and is stated in the verdict; `alternatives` are readings the
    diagnosis may name (e.g. "j and k swapped": lhs at (k, j)); `names` maps expressions to the
    names a reader knows them by (the composed z^l_j -> "z^{2}_{1}"), so that an atom reads
    σ(z^{2}_{1}). Past `timeout` seconds (main thread only) the verdict is undecided.
    `diagnose=False` skips the readings a refuted claim is tried under.
    """
    start = time.perf_counter()
    ctx = Context(Atomizer())
    try:
        with time_limit(timeout):
            for expr, label in (names or {}).items():
                ctx.atomizer.name(ctx.atomizer(to_engine(expr)), label)
            subs = {to_engine(k): to_engine(v) for k, v in (given or {}).items()}
            left, right = (ctx.atomizer(to_engine(side).subs(subs) if subs else to_engine(side))
                           for side in (lhs, rhs))
            alts = {desc: ctx.atomizer(to_engine(e)) for desc, e in (alternatives or {}).items()}
            condition = ", ".join(f"{k} = {v}" for k, v in (given or {}).items()) or None
            verdict = prove_atoms(left, right, ctx, alternatives=alts, seed=seed,
                                  condition=condition, diagnose=diagnose)
    except TimeoutError:
        verdict = Verdict(UNDECIDED, "time limit", reason=f"no verdict within {timeout} s")
    return _timed(verdict, start)


def identical(lhs: sp.Expr, rhs: sp.Expr, *, timeout: float | None = 10.0) -> bool:
    """Whether `lhs == rhs` is proved, without the diagnosis a false identity costs: for
    trying readings of a claim cheaply."""
    return prove(lhs, rhs, timeout=timeout, diagnose=False).proved


def _timed(verdict: Verdict, start: float) -> Verdict:
    return Verdict(**{**verdict.__dict__, "seconds": time.perf_counter() - start})


# -- the proof on atomized engine expressions ------------------------------------------------------
def prove_atoms(lhs: se.Basic, rhs: se.Basic, ctx: Context, *,
                alternatives: dict[str, se.Basic] | None = None, seed: int = 0,
                condition: str | None = None, diagnose: bool = True) -> Verdict:
    """Prove or refute an identity between two atomized expressions."""
    start = time.perf_counter()
    size = se.count_ops(lhs - rhs)
    if size > MAX_OPERATIONS:
        return _timed(Verdict(UNDECIDED, "size limit", condition,
                              reason=f"the difference has {size} operations, more than the "
                                     f"{MAX_OPERATIONS} the prover expands"), start)
    if canonical(lhs - rhs) == 0:
        return _timed(Verdict(PROVED, "canonical polynomial form", condition), start)
    if ctx.specialize:     # an identity for every σ failed; try the activation's own σ' rule
        special = is_identity((lhs - rhs).subs(ctx.specialize))
        if special:
            return _timed(Verdict(PROVED, f"{special}, σ' rewritten by its rule", condition),
                          start)
    example = counterexample(lhs, rhs, ctx, seed=seed)   # cheap, and it spares a false claim
    method = "" if example is not None else is_identity(lhs - rhs)     # the rational forms
    if method:
        return _timed(Verdict(PROVED, method, condition), start)
    diagnosis = diagnosis_of(lhs, rhs, ctx, alternatives or {}) if diagnose else None
    if diagnosis is None and diagnose and ctx.specialize:
        diagnosis = diagnosis_of(lhs.subs(ctx.specialize), rhs.subs(ctx.specialize), ctx,
                                 alternatives or {})
    if example is None:
        return _timed(Verdict(UNDECIDED, "canonical forms differ", condition,
                              diagnosis=diagnosis,
                              reason="the canonical forms differ in independent atoms, but no "
                                     "point was found where the sides differ; the identity may "
                                     "rest on a relation between the functions"), start)
    return _timed(Verdict(REFUTED, "counterexample", condition, example, diagnosis), start)


def refuted_by_shape(description: str) -> Verdict:
    """A matrix claim whose shapes do not fit is false at every point: say which shapes."""
    return Verdict(REFUTED, "shapes", diagnosis=description)


def is_identity(difference: se.Basic) -> str:
    """The method that shows `difference` is identically zero, or '' if it is not."""
    expanded = canonical(difference)
    if expanded == 0:
        return "canonical polynomial form"
    denominators = _denominators(difference)
    if any(_denominators(base) for base in denominators):       # 1 - 1/(1 + e^{-z})
        difference = _flat_fractions(difference, {})
        denominators = _denominators(difference)
    if denominators and _clears_to_zero(difference, denominators):
        return "canonical rational form"
    if _denominators(expanded):
        numerator = sp.numer(sp.together(to_sympy(expanded)))
        if sp.expand(numerator) == 0:
            return "canonical rational form"
    return ""


def _clears_to_zero(difference: se.Basic, denominators: dict[se.Basic, int]) -> bool:
    """Multiply through by every denominator (each named by a fresh symbol, so that the engine
    cancels it instead of expanding it), expand, and see whether nothing is left."""
    names = {base: se.Symbol(f"_den{i}") for i, base in enumerate(denominators)}
    cleared = difference.subs(names)
    for base, power in denominators.items():
        cleared = cleared * names[base] ** power
    cleared = canonical(cleared)
    if _denominators(cleared):
        return False
    return canonical(cleared.subs({v: k for k, v in names.items()})) == 0


def _flat_fractions(expr: se.Basic, memo: dict) -> se.Basic:
    """`expr` with no fraction inside a denominator: each such base is written as one
    fraction N/D first (innermost first), so 1/(1 - 1/(1 + u)) becomes (1 + u)/u. Clearing
    the whole difference at once instead expands every nested denominator into every term."""
    if expr in memo:
        return memo[expr]
    if isinstance(expr, se.Pow):
        base, exponent = _flat_fractions(expr.args[0], memo), expr.args[1]
        if exponent.is_Integer and exponent < 0 and _denominators(base):
            num, den = _one_fraction(base)
            out = den ** -exponent * num ** exponent
        else:
            out = base ** exponent
    elif isinstance(expr, (se.Add, se.Mul)):
        out = type(expr)(*[_flat_fractions(a, memo) for a in expr.args])
    else:
        out = expr
    memo[expr] = out
    return out


def _one_fraction(expr: se.Basic) -> tuple[se.Basic, se.Basic]:
    """(N, D) with expr = N/D, N expanded, for an expr whose denominators hold no fraction."""
    denominators = _denominators(expr)
    names = {base: se.Symbol(f"_frac{i}") for i, base in enumerate(denominators)}
    cleared, den = expr.subs(names), se.Integer(1)
    for base, power in denominators.items():
        cleared, den = cleared * names[base] ** power, den * base ** power
    num = canonical(canonical(cleared).subs({v: k for k, v in names.items()}))
    return num, den


def _denominators(expr: se.Basic) -> dict[se.Basic, int]:
    """Each base that appears with a negative integer power, with the power that clears it
    once the expression is expanded: powers in the factors of a product add up, and a power
    multiplies what it encloses (`(y - a/d)(1 - a/d)/d` needs d^3)."""
    memo: dict[se.Basic, dict[se.Basic, int]] = {}

    def merge(parts, combine) -> dict[se.Basic, int]:
        out: dict[se.Basic, int] = {}
        for part in parts:
            for base, power in part.items():
                out[base] = combine(out.get(base, 0), power)
        return out

    def walk(node: se.Basic) -> dict[se.Basic, int]:
        if node in memo:
            return memo[node]
        if isinstance(node, se.Pow) and node.args[1].is_Integer:
            base, exponent = node.args[0], int(node.args[1])
            inner = {b: p * abs(exponent) for b, p in walk(base).items()}
            if exponent < 0:
                inner[base] = max(inner.get(base, 0), -exponent)
            out = inner
        elif isinstance(node, se.Mul):
            out = merge((walk(a) for a in node.args), lambda x, y: x + y)
        else:
            out = merge((walk(a) for a in node.args), max)
        memo[node] = out
        return out

    return walk(expr)


# -- counterexamples ---------------------------------------------------------------------------
def _small_rational(rng: random.Random) -> se.Rational:
    while True:
        value = Fraction(rng.randint(-9, 9), rng.choice([1, 2, 3, 4, 5, 7]))
        if value and abs(value) <= 2:
            return se.Rational(value.numerator, value.denominator)


def counterexample(lhs: se.Basic, rhs: se.Basic, ctx: Context, *, seed: int = 0,
                   tries: int = COUNTEREXAMPLE_TRIES) -> Counterexample | None:
    """A rational point where both sides are evaluated rigorously and certainly differ."""
    rng = random.Random(seed)
    for _ in range(tries):
        try:
            found = _try_point(lhs, rhs, ctx, rng)
        except (ArithmeticError, ZeroDivisionError, ValueError):
            continue
        if found is not None:
            return found
    return None


def _base_symbols(exprs: list[se.Basic], ctx: Context) -> tuple[list[se.Symbol], list]:
    """The free (non-atom) symbols reached from `exprs`, and the atoms they use, in order."""
    used = ctx.atomizer.reachable(*exprs)
    free = set().union(*(e.free_symbols for e in exprs),
                       *(x.free_symbols for a in used for x in ctx.atomizer.atoms[a].arguments)) - \
        ctx.atomizer.atoms.keys()
    ordered_atoms = [a for a in ctx.atomizer.atoms if a in used]   # arguments come first
    return sorted(free, key=str), ordered_atoms


def atom_values(exprs: list[se.Basic], ctx: Context, env: dict, rng: random.Random | None = None,
                shown: dict[str, str] | None = None) -> dict:
    """`env` extended with a value for every atom `exprs` reach, arguments first.

    Concrete functions are evaluated rigorously; a generic function gets a random rational at
    each distinct argument value (consistent: equal arguments, equal values), so that some
    smooth function takes exactly those values and slopes.
    """
    rng = rng or random.Random(0)
    env = dict(env)
    chosen: dict[tuple, se.Rational] = {}
    used = ctx.atomizer.reachable(*exprs)
    for sym in [a for a in ctx.atomizer.atoms if a in used]:
        atom = ctx.atomizer.atoms[sym]
        arg_value = _value(atom.argument, env)
        if numeric.is_concrete(atom.function, atom.order):
            table = numeric.FUNCTIONS if atom.order == 0 else numeric.DERIVATIVES
            env[sym] = table[atom.function](numeric.interval(arg_value))
            continue
        key = (atom.function, atom.order, atom.slots, numeric.show(arg_value, 40)) + \
            tuple(numeric.show(_value(a, env), 40) for a in atom.more)
        if key not in chosen:
            chosen[key] = _small_rational(rng)
        env[sym] = chosen[key]
        if shown is not None:
            shown[f"{ctx.label(sym)} at {numeric.show(arg_value)}"] = str(chosen[key])
    return env


def evaluate_at(expr: se.Basic, ctx: Context, point: dict):
    """The value of an atomized expression at a point of its free symbols (exact or interval)."""
    return _value(expr, atom_values([expr], ctx, point))


def _try_point(lhs, rhs, ctx: Context, rng: random.Random) -> Counterexample | None:
    free, _ = _base_symbols([lhs, rhs], ctx)
    shown: dict[str, str] = {}
    env = atom_values([lhs, rhs], ctx, {s: _small_rational(rng) for s in free}, rng, shown)
    left, right = _value(lhs, env), _value(rhs, env)
    difference = _difference(left, right)
    if not numeric.excludes_zero(difference):
        return None
    exact = all(isinstance(v, se.Basic) for v in (left, right))
    return Counterexample({ctx.label(s): str(env[s]) for s in free}, shown,
                          numeric.show(left), numeric.show(right), exact, env)


def _value(expr: se.Basic, env: dict):
    """Exact when every symbol has a rational value, an interval otherwise."""
    if all(isinstance(env.get(s), se.Basic) for s in expr.free_symbols):
        out = expr.subs({s: env[s] for s in expr.free_symbols})
        if out.is_Rational:
            return out
        if out.is_Number:   # infinite or undefined: a pole of a rational function
            raise ZeroDivisionError(str(out))
    return numeric.evaluate(expr, env)


def _difference(left, right):
    if isinstance(left, se.Basic) and isinstance(right, se.Basic):
        return left - right
    return numeric.interval(left) - numeric.interval(right)


# -- diagnoses: a table of readings tried in order ------------------------------------------------
Diagnosis = Callable[[se.Basic, se.Basic, Context, dict], "str | None"]


#: The largest side (in operations) whose ratio SymPy's `cancel` is asked for: its gcds can
#: run for minutes inside one bignum operation, where no time limit reaches.
RATIO_OPERATIONS = 400
RATIO_POINTS = 3


def _ratio(lhs: se.Basic, rhs: se.Basic) -> sp.Expr | None:
    if canonical(rhs) == 0 or max(se.count_ops(lhs), se.count_ops(rhs)) > RATIO_OPERATIONS:
        return None
    return sp.cancel(to_sympy(lhs) / to_sympy(rhs))


def _constant_ratio(lhs: se.Basic, rhs: se.Basic, ctx: Context) -> se.Basic | None:
    """The constant c with lhs = c·rhs, if there is one: the same ratio (a small fraction) at a
    few random points, then proved as an identity; no gcd of the whole sides is ever taken."""
    rng = random.Random(1)
    guesses = set()
    free, _atoms = _base_symbols([lhs, rhs], ctx)
    for _ in range(RATIO_POINTS):
        env = atom_values([lhs, rhs], ctx, {s: _small_rational(rng) for s in free}, rng)
        right = _value(rhs, env)
        if not numeric.excludes_zero(right):
            return None
        guesses.add(_small_fraction(_value(lhs, env), right))
    if len(guesses) != 1 or None in guesses:
        return None
    ratio = guesses.pop()
    return ratio if is_identity(lhs - ratio * rhs) else None


def _small_fraction(left, right) -> se.Rational | None:
    """left/right as a fraction of small denominator, if it is (or lies very near) one."""
    if isinstance(left, se.Basic) and isinstance(right, se.Basic):
        return left / right
    quotient = numeric.interval(left) / numeric.interval(right)
    value = Fraction(numeric.show(quotient, 30))
    guess = value.limit_denominator(10_000)
    if abs(value - guess) > Fraction(1, 10**12) * max(1, abs(guess)):   # then proved exactly
        return None
    return se.Rational(guess.numerator, guess.denominator)


def _constant_factor(lhs, rhs, ctx, alts) -> str | None:
    ratio = _constant_ratio(lhs, rhs, ctx)
    if ratio is None or ratio == 1:
        return None
    if ratio == -1:
        return "the sides differ in sign (left = -right)"
    return f"the sides differ by a constant factor: left = {ratio} × right"


def _missing_factor(lhs, rhs, ctx, alts) -> str | None:
    ratio = _ratio(lhs, rhs)
    if ratio is None or ratio.is_number:
        return None
    num, den = sp.fraction(ratio)
    parts = []
    for side, expr in (("missing on the right", num), ("extra on the right", den)):
        if expr == 1:
            continue
        name = ctx.named.get(canonical(to_engine(expr)))
        if name:
            parts.append(f"a factor {name} is {side}")
            continue
        if not all(f.is_number or f.is_Symbol or (f.is_Pow and f.base.is_Symbol)
                   for f in sp.Mul.make_args(expr)):
            return None
        factors = " · ".join(_factor_label(f, ctx) for f in sp.Mul.make_args(expr))
        parts.append(f"a factor {factors} is {side}")
    return "; ".join(parts) or None


def _factor_label(factor: sp.Expr, ctx: Context) -> str:
    if factor.is_Pow:
        return f"{_factor_label(factor.base, ctx)}^{factor.exp}"
    if factor.is_Symbol:
        return ctx.label(se.Symbol(factor.name))
    named = {s: sp.Symbol(ctx.label(se.Symbol(s.name))) for s in factor.free_symbols}
    return str(factor.xreplace(named))      # atoms by the author's names, never _atom1


_TWO_INDEX = re.compile(r"^(?P<head>.*_\{)(?P<i>\d+)(?P<sep>,?)(?P<j>\d+)\}$")


def _index_swap(lhs, rhs, ctx, alts) -> str | None:
    """Does the claim hold once two-index symbols w_{jk} are read as w_{kj} (a transpose)?"""
    swap = {}
    names = {str(s): s for s in rhs.free_symbols | lhs.free_symbols}
    for name, sym in names.items():
        m = _TWO_INDEX.match(name)
        if m and m["i"] != m["j"]:
            other = f"{m['head']}{m['j']}{m['sep']}{m['i']}}}"
            swap[sym] = names.get(other, se.Symbol(other))
    if not swap:
        return None
    if is_identity(lhs - rhs.subs(swap)):
        return "the right side holds with the two indices of each weight swapped " \
               "(w_{jk} read as w_{kj}): a transpose or index-order mistake"
    return None


def _alternative(lhs, rhs, ctx, alts) -> str | None:
    for description, alt in alts.items():
        if is_identity(rhs - alt):
            return f"the right side equals {description}"
    return None


def _additive(lhs, rhs, ctx, alts) -> str | None:
    difference = canonical(lhs - rhs)
    if isinstance(difference, se.Add) and len(difference.args) > 2:
        return None
    terms = sp.Add.make_args(sp.expand(to_sympy(difference)))
    if len(terms) > 2:
        return None
    shown = " + ".join(" · ".join(_factor_label(f, ctx) for f in sp.Mul.make_args(t))
                       for t in terms)
    return f"the sides differ by {shown} (left - right)"


#: Seconds one reading may take: a diagnosis is a courtesy, never a reason to run out of time.
DIAGNOSIS_SECONDS = 2.0


class _DiagnosisTimeout(Exception):
    pass


DIAGNOSES: list[Diagnosis] = [_constant_factor, _missing_factor, _alternative, _index_swap,
                              _additive]


def diagnosis_of(lhs: se.Basic, rhs: se.Basic, ctx: Context, alternatives: dict) -> str | None:
    """The first reading in `DIAGNOSES` that explains why the sides differ, if any."""
    for rule in DIAGNOSES:
        try:
            with time_limit(DIAGNOSIS_SECONDS, _DiagnosisTimeout):
                found = rule(lhs, rhs, ctx, alternatives)
        except (TypeError, ValueError, ArithmeticError, sp.PolynomialError, _DiagnosisTimeout):
            found = None
        if found:
            return found
    return None
