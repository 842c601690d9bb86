"""Atomization: turn every function application in an engine expression into an independent symbol.

σ(z^l_j) and σ'(z^l_j) become fresh atoms, innermost layer first, so that both sides of a claimed
identity become polynomials (or rational functions) in independent symbols. Equal canonical forms
then prove the identity for every σ at once: an identity in independent atoms survives any
specialisation of them. Concrete functions with a derivative rule (σ' = σ(1-σ)) are rewritten by
that rule, which the tests prove against `sympy.diff`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import symengine as se

DerivativeRule = Callable[[se.Basic], se.Basic]   # σ(t) atom -> σ'(t) written in it


@dataclass(frozen=True)
class Atom:
    """What one atom stands for: `function` applied to `argument` (itself atomized)."""

    symbol: se.Symbol
    function: str          # "sigma", "sigmoid", "exp", "log", ...
    order: int             # 0 for the value, 1 for σ', 2 for σ'' ...
    argument: se.Basic     # atomized argument, a polynomial in earlier atoms and free symbols
    label: str             # readable, e.g. "σ'(z^{2}_{1})"
    more: tuple[se.Basic, ...] = ()   # further arguments of a function of several, l(o, y)
    slots: tuple[int, ...] = ()       # which arguments it is differentiated by (∂_1 l)

    @property
    def arguments(self) -> tuple[se.Basic, ...]:
        return (self.argument,) + self.more


def canonical(expr: se.Basic) -> se.Basic:
    """The canonical form used as a key and for comparison: fully expanded."""
    return se.expand(expr)


def function_name(expr: se.Basic) -> str:
    """The name of an applied function, for generic and built-in functions alike."""
    if isinstance(expr, se.FunctionSymbol):
        return str(expr.get_name())
    return type(expr).__name__


def _derivative_parts(expr: se.Basic) -> tuple[se.Basic, se.Basic, int] | None:
    """For f'(u) in either engine spelling (Subs or Derivative), return (f applied, u, order)."""
    if isinstance(expr, se.Subs):
        inner, variables, point = expr.args[0], expr.args[1], expr.args[2]
        if isinstance(inner, se.Derivative) and len(inner.args[0].args) == 1:
            order = len(inner.args) - 1
            return inner.args[0], point, order
        return None
    if isinstance(expr, se.Derivative):
        applied = expr.args[0]
        variables = expr.args[1:]
        if len(applied.args) == 1 and all(v == applied.args[0] for v in variables):
            return applied, applied.args[0], len(variables)
    return None


def _partial_parts(expr: se.Basic) -> tuple[se.Basic, tuple[int, ...], tuple] | None:
    """A function of several arguments differentiated by some of them, in either engine
    spelling: (the function applied, the slots, the arguments at the point); None otherwise."""
    if isinstance(expr, se.Subs):
        inner, variables, point = expr.args[0], expr.args[1], expr.args[2]
        if not isinstance(inner, se.Derivative) or len(inner.args[0].args) < 2:
            return None
        applied = inner.args[0]
        at = dict(zip(variables if isinstance(variables, tuple) else (variables,),
                      point if isinstance(point, tuple) else (point,)))
        args = tuple(at.get(a, a) for a in applied.args)
        return _slots(applied, inner.args[1:], args)
    if isinstance(expr, se.Derivative) and len(expr.args[0].args) >= 2:
        applied = expr.args[0]
        return _slots(applied, expr.args[1:], tuple(applied.args))
    return None


def _slots(applied, variables, args) -> tuple[se.Basic, tuple[int, ...], tuple] | None:
    own = list(applied.args)
    if len(set(own)) != len(own) or not all(v in own for v in variables):
        return None
    return applied, tuple(sorted(own.index(v) for v in variables)), args


def _coefficient(term: se.Basic) -> se.Basic:
    """The numeric coefficient of a product term (1 when there is none)."""
    if term.is_Number:
        return term
    if isinstance(term, se.Mul) and term.args[0].is_Number:
        return term.args[0]
    return se.Integer(1)


def _leading_negative(expr: se.Basic) -> bool:
    """Whether an expanded sum reads with a minus sign first, in a fixed term order (for e^{-u})."""
    terms = sorted(expr.args if isinstance(expr, se.Add) else (expr,), key=str)
    terms = [t for t in terms if not t.is_Number] or terms
    return bool(_coefficient(terms[0]) < 0)


def _integer_content(expr: se.Basic) -> int:
    """The signed gcd of the integer coefficients of a sum (1 if any is not an integer)."""
    terms = expr.args if isinstance(expr, se.Add) else (expr,)
    coefficients = [_coefficient(t) for t in terms if not t.is_Number]
    if not all(c.is_Integer for c in coefficients):
        return -1 if _leading_negative(expr) else 1
    content = math.gcd(*(int(c) for c in coefficients))
    return -content if _leading_negative(expr) else content


class Atomizer:
    """Replaces function applications by atoms; remembers what each atom stands for.

    `rules` maps a function name to its derivative written in the value atom (sigmoid: s(1-s));
    a function without a rule gets a separate σ' atom, which is what makes generic proofs general.
    """

    def __init__(self, rules: dict[str, DerivativeRule] | None = None) -> None:
        self.rules = dict(rules or {})
        self.names: dict[se.Basic, str] = {}    # canonical expression -> the name people use
        self.atoms: dict[se.Symbol, Atom] = {}
        self._by_key: dict[tuple[str, int, se.Basic], se.Basic] = {}
        self._memo: dict[se.Basic, se.Basic] = {}

    # -- registration -------------------------------------------------------------------------
    def register(self, function: str, argument: se.Basic, symbol: se.Symbol, *, order: int = 0,
                 label: str | None = None) -> se.Symbol:
        """Name the atom for `function^(order)(argument)` in advance (e.g. σ(z^2_1) as s^2_1)."""
        key = (function, order, canonical(argument))
        self._by_key[key] = symbol
        prime = "'" * order
        self.atoms[symbol] = Atom(symbol, function, order, argument,
                                  label or f"{function}{prime}({self.describe(argument)})")
        return symbol

    def name(self, expr: se.Basic, label: str) -> None:
        """Call an (atomized) expression by a name in labels, e.g. its composed value "z^{2}_{1}"."""
        self.names[canonical(expr)] = label

    def describe(self, expr: se.Basic) -> str:
        """An atomized expression for people: named if it has a name, atoms by their labels."""
        named = self.names.get(canonical(expr))
        if named:
            return named
        inner = {a: se.Symbol(self.atoms[a].label) for a in expr.free_symbols if a in self.atoms}
        return str(expr.subs(inner) if inner else expr)

    def _several(self, function: str, slots: tuple[int, ...], args: list[se.Basic]) -> se.Basic:
        """The atom for ∂_{slots} f(args), a function of several arguments (l(o, y)): as
        independent of every other atom as σ'(u) is of σ(u)."""
        key = (function, slots, tuple(canonical(a) for a in args))
        found = self._by_key.get(key)
        if found is not None:
            return found
        symbol = se.Symbol(f"_atom{len(self.atoms) + 1}")
        self._by_key[key] = symbol
        mark = "".join(f"∂{i + 1}" for i in slots)
        label = f"{mark}{function}({', '.join(self.describe(a) for a in args)})"
        self.atoms[symbol] = Atom(symbol, function, len(slots), args[0], label,
                                  tuple(args[1:]), slots)
        return symbol

    def _atom(self, function: str, order: int, argument: se.Basic) -> se.Basic:
        key = (function, order, canonical(argument))
        found = self._by_key.get(key)
        if found is not None:
            return found
        if order == 1 and function in self.rules:
            value = self._atom(function, 0, argument)
            result = self.rules[function](value)
            self._by_key[key] = result
            return result
        index = len(self.atoms) + 1
        symbol = se.Symbol(f"_atom{index}")
        return self.register(function, argument, symbol, order=order)

    def substitute(self, expr: se.Basic, mapping: dict[se.Symbol, se.Basic]) -> se.Basic:
        """Put values for plain symbols into an atomized expression, re-keying affected atoms.

        (The engine's own `subs` does not reach inside unevaluated derivatives, so a perturbed
        quantity is put back only after atomizing.)
        """
        replaced = dict(mapping)
        used = self.reachable(expr)
        for sym in [a for a in self.atoms if a in used]:
            atom = self.atoms[sym]
            if any(a.free_symbols & replaced.keys() for a in atom.arguments):
                if atom.more:
                    replaced[sym] = self._several(atom.function, atom.slots,
                                                  [a.subs(replaced) for a in atom.arguments])
                    continue
                new_argument = atom.argument.subs(replaced)
                replaced[sym] = self._atom(atom.function, atom.order, new_argument)
        return expr.subs(replaced)

    def reachable(self, *exprs: se.Basic) -> set[se.Symbol]:
        """The atoms `exprs` use, directly or through the arguments of other atoms."""
        used: set[se.Symbol] = set()
        stack = list(exprs)
        while stack:
            for sym in stack.pop().free_symbols:
                if sym in self.atoms and sym not in used:
                    used.add(sym)
                    stack.extend(self.atoms[sym].arguments)
        return used

    # -- the walk ----------------------------------------------------------------------------
    def __call__(self, expr: se.Basic) -> se.Basic:
        """The atomized form of `expr`; innermost applications are replaced first."""
        memo = self._memo
        hit = memo.get(expr)
        if hit is not None:
            return hit
        result = self._walk(expr)
        memo[expr] = result
        return result

    def _walk(self, expr: se.Basic) -> se.Basic:
        if isinstance(expr, (se.Symbol, se.Number)) or not expr.args:
            return expr
        several = _partial_parts(expr)
        if several is not None:
            applied, slots, args = several
            return self._several(function_name(applied), slots, [self(a) for a in args])
        parts = _derivative_parts(expr)
        if parts is not None:
            applied, point, order = parts
            return self._atom(function_name(applied), order, self(point))
        if isinstance(expr, se.Pow):
            base, exponent = expr.args
            if base == se.E:
                return self._exp(self(exponent))
            return self(base) ** self(exponent)
        if isinstance(expr, (se.Add, se.Mul)):
            return expr.func(*[self(a) for a in expr.args])
        args = [self(a) for a in expr.args]
        if len(args) != 1:
            if isinstance(expr, se.FunctionSymbol):
                return self._several(function_name(expr), (), args)
            return expr.func(*args)
        return self._atom(function_name(expr), 0, args[0])

    def _exp(self, exponent: se.Basic) -> se.Basic:
        """exp(u) as a product of atoms, one per term of the expanded u: exp(a + b) = e^a e^b.

        The engine merges exp(a)·exp(b) into exp(a + b) whenever it meets them, so only a form
        that splits every sum is canonical. exp(c·m) = exp(m)^c for an integer c.
        """
        exponent = canonical(exponent)
        result = se.Integer(1)
        for term in (exponent.args if isinstance(exponent, se.Add) else (exponent,)):
            if term.is_Number:
                result *= se.exp(term)
                continue
            power = _integer_content(term)
            result *= self._atom("exp", 0, canonical(term / power)) ** power
        return result
