"""SymPy's `lambdify` as a source of text: the generated module carries the code it printed."""
from __future__ import annotations

import inspect

import sympy as sp

from symbp.errors import SymbpError


def _cse(exprs):
    # Subexpressions are named t0, t1, ...: no variable of ours is a letter alone plus digits.
    return sp.cse(exprs, symbols=sp.numbered_symbols("t"))


def function_source(name: str, args: list[sp.Symbol], exprs: list[sp.Expr], *,
                    cse: bool = True) -> str:
    """`def name(args): ... return [exprs]`, printed by lambdify (NumPy) with optional CSE."""
    func = sp.lambdify(args, list(exprs), modules="numpy", cse=_cse if cse else False,
                       dummify=False)
    source = inspect.getsource(func)
    head = "def _lambdifygenerated("
    if not source.startswith(head) or "numpy." in source:
        raise SymbpError("lambdify printed code that needs more than arithmetic; refusing it")
    return f"def {name}(" + source[len(head):]


def expression_source(args: list[sp.Symbol], expr: sp.Expr) -> str:
    """One expression printed by lambdify (NumPy) as a single line of Python."""
    func = sp.lambdify(args, expr, modules="numpy", cse=False, dummify=False)
    lines = [ln.strip() for ln in inspect.getsource(func).splitlines()[1:] if ln.strip()]
    if len(lines) != 1 or not lines[0].startswith("return "):
        raise SymbpError(f"lambdify did not print {expr} as one expression")
    if "numpy." in lines[0]:
        raise SymbpError(f"lambdify printed {expr} with functions; refusing it")
    return lines[0][len("return "):]
