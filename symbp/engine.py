"""Crossing between SymPy (the interface) and SymEngine (the engine inside).

Both directions convert an expression tree node by node; neither parses text, so no user
input can reach them as code.
"""
from __future__ import annotations

import symengine as se
import sympy as sp


def to_engine(expr: sp.Basic) -> se.Basic:
    """A SymPy object in the engine. Only ever called on objects symbp built, never on text.

    SymPy's dummies (the ξ of a `Subs` that `sympy.diff` makes) are renamed first: the engine
    cannot convert one whose hash is negative.
    """
    if isinstance(expr, str):
        raise TypeError("to_engine converts expressions, never text")
    if isinstance(expr, sp.Basic):
        dummies = sorted(expr.atoms(sp.Dummy), key=lambda d: d.dummy_index)
        if dummies:
            expr = expr.xreplace({d: sp.Symbol(f"_dummy{i}") for i, d in enumerate(dummies)})
    # Safe: text was refused above, so this converts a SymPy tree node by node and parses nothing.
    return se.sympify(expr)


def to_sympy(expr: se.Basic) -> sp.Expr:
    """An engine expression (already atomized: no unevaluated derivatives) as a SymPy object."""
    if isinstance(expr, str):
        raise TypeError("to_sympy converts expressions, never text")
    # Safe: text was refused above, so this converts an engine tree node by node, parsing nothing.
    return sp.sympify(expr)
