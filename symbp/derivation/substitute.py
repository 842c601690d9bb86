"""Putting a value back for a perturbation variable, inside derivatives too.

SymEngine's own `subs` does not reach into the point of a `Subs(Derivative(f(ξ), ξ), ξ, p)`
node; this walk does, rebuilding f'(p) in the engine's normal form `Derivative(f(p), p)`,
which is what `symbp.prove` reads as the atom f'(p).
"""
from __future__ import annotations

import symengine as se

_XI = se.Symbol("_ξ")


def _applied_derivative(function: se.Basic, order: int, point: se.Basic) -> se.Basic:
    """f^(order)(point), built the way the engine builds it."""
    body = se.Function(str(function.get_name()))(_XI)
    for _ in range(order):
        body = body.diff(_XI)
    return body.subs({_XI: point})


def substitute(expr: se.Basic, var: se.Symbol, value: se.Basic) -> se.Basic:
    """`expr` with `var` replaced by `value` everywhere, including derivative points."""
    memo: dict = {}

    def walk(e: se.Basic) -> se.Basic:
        if e in memo:
            return memo[e]
        if e == var:
            out = value
        elif not e.args or var not in e.free_symbols:
            out = e
        elif isinstance(e, se.Subs):
            inner, bound, point = e.args[0], e.args[1], e.args[2]
            out = inner.subs({bound: walk(point)})
        elif isinstance(e, se.Derivative):
            applied, variables = e.args[0], e.args[1:]
            if isinstance(applied, se.FunctionSymbol) and len(applied.args) == 1 and \
                    all(v == applied.args[0] for v in variables):
                out = _applied_derivative(applied, len(variables), walk(applied.args[0]))
            else:
                raise ValueError(f"cannot substitute into {e}")
        elif isinstance(e, se.FunctionSymbol):
            out = se.Function(str(e.get_name()))(*[walk(a) for a in e.args])
        else:
            out = e.func(*[walk(a) for a in e.args])
        memo[e] = out
        return out

    return walk(expr)
