"""Putting a value back for a perturbation variable, inside derivatives too.

SymEngine's own `subs` does not reach into the point of a `Subs(Derivative(f(ξ), ξ), ξ, p)`
node; this walk does, rebuilding f'(p) in the engine's normal form `Derivative(f(p), p)`,
which is what `symbp.prove` reads as the atom f'(p).
"""
from __future__ import annotations

import symengine as se

_XI = se.Symbol("_ξ")


def _applied_derivative(function: se.Basic, slots: list[int], points: list[se.Basic]) -> se.Basic:
    """The derivative of f by its arguments in `slots`, at `points`, built the way the engine
    builds it (f'(p) for one argument; ∂_i l(p, q) for several)."""
    xis = [_XI] if len(points) == 1 else [se.Symbol(f"_ξ{k}") for k in range(len(points))]
    body = se.Function(str(function.get_name()))(*xis)
    for slot in slots:
        body = body.diff(xis[slot])
    return body.subs(dict(zip(xis, points)))


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
            out = walk(inner).subs({bound: walk(point)})      # l(ξ, 3d, y): d in the others
        elif isinstance(e, se.Derivative):
            applied, variables = e.args[0], e.args[1:]
            args = list(applied.args) if isinstance(applied, se.FunctionSymbol) else []
            if args and len(set(args)) == len(args) and all(v in args for v in variables):
                out = _applied_derivative(applied, [args.index(v) for v in variables],
                                          [walk(a) for a in args])
            else:
                raise ValueError(f"cannot substitute into {e}")
        elif isinstance(e, se.FunctionSymbol):
            out = se.Function(str(e.get_name()))(*[walk(a) for a in e.args])
        else:
            out = e.func(*[walk(a) for a in e.args])
        memo[e] = out
        return out

    return walk(expr)
