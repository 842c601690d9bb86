"""Crossing between SymPy (the interface) and SymEngine (the engine inside).

Both directions convert an expression tree node by node; neither parses text, so no user
input can reach them as code.
"""
from __future__ import annotations

import symengine as se
import sympy as sp


def to_engine(expr: sp.Basic) -> se.Basic:
    """A SymPy object in the engine. Only ever called on objects symbp built, never on text.

    Each `Subs` that `sympy.diff` makes is rebuilt by hand with a plain symbol for its ξ: the
    engine cannot convert a SymPy dummy whose hash is negative, and SymPy puts its canonical
    dummy back whenever a `Subs` is rebuilt, so renaming in place does not stick.
    """
    if isinstance(expr, str):
        raise TypeError("to_engine converts expressions, never text")
    if not isinstance(expr, sp.Basic) or not expr.has(sp.Subs):
        return se.sympify(expr)   # safe: text was refused above; converts a tree, parses nothing
    subs_nodes = sorted(expr.atoms(sp.Subs), key=sp.default_sort_key)
    holders = {node: sp.Symbol(f"_subs{i}") for i, node in enumerate(subs_nodes)}
    return to_engine(expr.xreplace(holders)).subs(
        {to_engine(holder): _subs_to_engine(node) for node, holder in holders.items()})


def _subs_to_engine(node: sp.Subs) -> se.Basic:
    """Subs(f(ξ…), ξ…, p…) in the engine, with fresh plain symbols for the ξ."""
    fresh = [sp.Symbol(f"_xi{i}") for i in range(len(node.variables))]
    inner = node.expr.xreplace(dict(zip(node.variables, fresh)))
    return se.Subs(to_engine(inner), [to_engine(f) for f in fresh],
                   [to_engine(p) for p in node.point])


def to_sympy(expr: se.Basic) -> sp.Expr:
    """An engine expression (already atomized: no unevaluated derivatives) as a SymPy object."""
    if isinstance(expr, str):
        raise TypeError("to_sympy converts expressions, never text")
    return sp.sympify(expr)   # safe: text was refused above; converts a tree, parses nothing
