"""∂C/∂θ for one parameter as a closed-form SymPy expression: the API behind `symbp.gradient`.

Concrete activations are written out (sigmoid as 1/(1 + e^{-z}), softplus as log(1 + e^{z}),
ReLU as Max(0, z)), so the result is ready for `sympy.lambdify`; a generic σ stays an undefined
function, and its derivative a SymPy `Derivative`/`Subs` of it.
"""
from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from symbp.derive import parameter
from symbp.engine import to_sympy
from symbp.network import NetworkSpec, build_network
from symbp.quantities import Weight
from symbp.rules import ACTIVATIONS

#: Opaque engine functions that stand for a SymPy function of the same value.
ENGINE_FUNCTIONS = {"exp": sp.exp}


def closed_form(expr: sp.Expr) -> sp.Expr:
    """`expr` with every concrete activation and opaque `exp` replaced by its closed form."""
    def rewritten(app: AppliedUndef) -> sp.Expr:
        name = app.func.__name__
        if name in ENGINE_FUNCTIONS:
            return ENGINE_FUNCTIONS[name](*app.args)
        return ACTIVATIONS[name].form(*app.args)

    def concrete(e) -> bool:
        if not isinstance(e, AppliedUndef):
            return False
        name = e.func.__name__
        return name in ENGINE_FUNCTIONS or (name in ACTIVATIONS and
                                            ACTIVATIONS[name].form is not None)

    return expr.replace(concrete, rewritten)


def gradient(spec: NetworkSpec, name: str) -> sp.Expr:
    """∂C/∂θ for the parameter θ named as `--param` names it (`'w^2_{11}'`, `'b^3_1'`), in the
    network's symbols x_{k}, y_{j}, w^{l}_{jk}, b^{l}_{j}."""
    net = build_network(spec)
    q = parameter(net, name)
    key = tuple(int(a) for a in q.args)
    symbol = net.w[key] if isinstance(q, Weight) else net.b[key]
    cost = closed_form(to_sympy(net.cost()))
    return sp.diff(cost, to_sympy(symbol))
