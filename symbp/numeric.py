"""Rigorous numeric evaluation of engine expressions: exact rationals, or mpmath intervals.

Used to make counterexamples that cannot be an artefact of rounding: a difference is reported
only when the interval of `lhs - rhs` excludes zero.
"""
from __future__ import annotations

from typing import Callable

import mpmath
import symengine as se

PRECISION_BITS = 256
_iv = mpmath.iv
_iv.prec = PRECISION_BITS   # interval results are rigorous at any precision; this keeps them tight


def _sigmoid(u):
    return 1 / (1 + _iv.exp(-u))


def _tanh(u):
    e = _iv.exp(2 * u)
    return (e - 1) / (e + 1)


def _softplus(u):
    return _iv.log(1 + _iv.exp(u))


def _relu(u):
    if u.a > 0:
        return u
    if u.b < 0:
        return _iv.mpf(0)
    raise ArithmeticError("ReLU at its kink")


def _step(u):
    if u.a > 0:
        return _iv.mpf(1)
    if u.b < 0:
        return _iv.mpf(0)
    raise ArithmeticError("the step function at 0")


#: Functions with a known numeric meaning; any other function name is generic.
FUNCTIONS: dict[str, Callable] = {
    "exp": lambda u: _iv.exp(u), "log": lambda u: _iv.log(u), "sigmoid": _sigmoid,
    "tanh": _tanh, "softplus": _softplus, "relu": _relu, "Heaviside": _step,
    "Max": None,  # placeholder: Max(0, u) is evaluated through relu when it reaches us
}
#: Derivatives (order 1) of the concrete activations, for σ' atoms of functions without a rule.
DERIVATIVES: dict[str, Callable] = {"softplus": _sigmoid, "relu": _step, "sigmoid":
                                    lambda u: _sigmoid(u) * (1 - _sigmoid(u)),
                                    "tanh": lambda u: 1 - _tanh(u) ** 2, "exp": lambda u: _iv.exp(u)}


def is_concrete(function: str, order: int) -> bool:
    """Whether the value of `function^(order)` is determined (not a generic function's)."""
    table = FUNCTIONS if order == 0 else DERIVATIVES
    return table.get(function) is not None


def interval(value) -> "mpmath.iv.mpf":
    """A rational or interval as an mpmath interval at the working precision."""
    if isinstance(value, se.Basic):
        p, q = (int(part) for part in value.as_numer_denom())
        return _iv.mpf(p) / _iv.mpf(q)
    return value


def evaluate(expr: se.Basic, env: dict[se.Basic, object]) -> "mpmath.iv.mpf":
    """The interval of `expr` with its symbols given by `env` (rationals or intervals)."""
    memo: dict[se.Basic, object] = {}

    def walk(e: se.Basic):
        if e in memo:
            return memo[e]
        if e.is_Number:
            out = interval(e)
        elif e in env:
            out = interval(env[e])
        elif isinstance(e, se.Add):
            out = sum((walk(a) for a in e.args), _iv.mpf(0))
        elif isinstance(e, se.Mul):
            out = _iv.mpf(1)
            for a in e.args:
                out = out * walk(a)
        elif e == se.E:
            out = _iv.exp(_iv.mpf(1))
        elif e == se.pi:
            out = _iv.pi
        elif isinstance(e, se.Pow):
            base, expo = e.args
            if base == se.E:
                out = _iv.exp(walk(expo))
            elif expo.is_Integer:
                out = walk(base) ** int(expo)
            else:
                out = _real_power(walk(base), walk(expo))
        else:
            raise NotReal(f"no numeric value for {str(e)[:60]}")
        memo[e] = out
        return out

    return walk(expr)


class NotReal(ValueError):
    """The expression has no (certain) real value at this point: no counterexample here."""


def _real_power(base, expo):
    """base^expo for a non-integer exponent, only where it is real: a base certainly > 0.

    (mpmath would give the real part of a complex root for a negative base, and a point where
    one side is complex is no counterexample to an identity between real functions.)
    """
    if not base.a > 0:
        raise NotReal("a non-integer power of a base that may be negative or zero")
    return base ** expo


def excludes_zero(value) -> bool:
    """Whether an interval (or exact number) is certainly not zero."""
    if isinstance(value, se.Basic):
        return value != 0
    return value.a > 0 or value.b < 0


def show(value, digits: int = 20) -> str:
    """A value for people: exact rationals as p/q, intervals by their midpoint."""
    if isinstance(value, se.Basic):
        return str(value)
    mid = (value.a + value.b) / 2
    return mpmath.nstr(mpmath.mpf(mid.a), digits)
