"""BP1–BP4, BP1's Jacobian form and ∇_a C as generic claims, with the plan of each proof.

Layers: L is the output layer, l a layer with 2 ≤ l ≤ L (BP2: l < L, so layer l is hidden and
elementwise). Unit indices j (of layer l or L) and k (of layer l - 1) range over symbolic widths.
"""
from __future__ import annotations

import sympy as sp

from symbp.generic.expr import (A, Y, COST, KD, Atom, D, Expr, Sum, add, mul, neg, num)
from symbp.generic.proof import GenericClaim
from symbp.generic.rules import OUTPUT, GenericNetwork

l, l_up, l_down, L = ("l", 0), ("l", 1), ("l", -1), OUTPUT

DELTA_PLAN = (("unfold", "definition of δ"),
              ("apply", "multivariate chain rule (layer-local lemma)"), ("local",), ("canonical",))
PARAMETER_PLAN = (("apply", "multivariate chain rule (layer-local lemma)"), ("local",),
                  ("canonical",))
GRAD_PLAN = (("unfold", "definition of ∇_a C"), ("apply", "definition of C"), ("local",),
             ("canonical",))
#: BP1 with the cost's gradient written out: the δ^L proof, then ∇_a C taken apart too.
EXPLICIT_COST_PLAN = DELTA_PLAN + GRAD_PLAN[:1] + GRAD_PLAN[1:]


def delta(layer, i) -> Atom:
    return Atom("delta", layer, (i,))


def dsig(layer, i) -> Atom:
    return Atom("dsig", layer, (i,))


def grad(i) -> Atom:
    return Atom("grad", None, (i,))


def a(layer, i) -> Atom:
    return Atom("a", layer, (i,))


def w(layer, i, k) -> Atom:
    return Atom("w", layer, (i, k))


def grad_a_cost(net: GenericNetwork) -> GenericClaim:
    return GenericClaim("grad_a C", "∂C/∂a^L_j = (∇_a C)_j by the cost's rule", grad("j"),
                        net.cost_gradient_term("j"), {"j": (L, 1)}, ("L", 0, 0), GRAD_PLAN,
                        where="1 ≤ j ≤ n_L",
                        note=f"C = Σ_j f(a^L_j, y_j) with f(a, y) = "
                             f"{net.cost_term('j').form.subs({A: sp.Symbol('a'), Y: sp.Symbol('y')})}"
                             f", the table's cost on one unit; g is its ∇_a C rule")


def bp1(net: GenericNetwork, rhs: Expr | None = None, name: str = "BP1",
        statement: str = "δ^L = ∇_a C ⊙ σ'(z^L)", plan=DELTA_PLAN) -> GenericClaim:
    rhs = rhs if rhs is not None else mul(grad("j"), dsig(L, "j"))
    return GenericClaim(name, statement, delta(L, "j"), rhs, {"j": (L, 1)}, ("L", 0, 0), plan,
                        where="1 ≤ j ≤ n_L")


def bp1_jacobian(net: GenericNetwork) -> GenericClaim:
    """δ^L_j = Σ_i (J_σ)_{ij} (∇_a C)_i with the softmax Jacobian J_{ij} = a_i (δ_{ij} - a_j)."""
    rhs = Sum("i", L, mul(a(L, "i"), add(KD("i", "j"), neg(a(L, "j"))), grad("i")))
    return GenericClaim("BP1 (Jacobian)", "δ^L = J_σ(z^L)^T ∇_a C", delta(L, "j"), rhs,
                        {"j": (L, 1)}, ("L", 0, 0), DELTA_PLAN,
                        rhs_plan=(("apply", "definition of softmax"), ("canonical",)),
                        where="1 ≤ j ≤ n_L")


def bp2(net: GenericNetwork, rhs: Expr | None = None, name: str = "BP2",
        statement: str = "δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ σ'(z^l)") -> GenericClaim:
    if rhs is None:
        rhs = mul(Sum("k", l_up, mul(w(l_up, "k", "j"), delta(l_up, "k"))), dsig(l, "j"))
    return GenericClaim(name, statement, delta(l, "j"), rhs, {"j": (l, 1)}, ("l", 2, -1),
                        DELTA_PLAN, hidden=frozenset({l}), where="2 ≤ l < L, 1 ≤ j ≤ n_l")


def bp3(net: GenericNetwork) -> GenericClaim:
    sign = net.convention.sign
    if net.convention.unit:
        return GenericClaim("BP3 (bias unit)", "∂C/∂w^l_{j0} = δ^l_j (a_0 = 1)",
                            D(COST, Atom("w", l, ("j", 0))), delta(l, "j"), {"j": (l, 1)},
                            ("l", 2, 0), PARAMETER_PLAN, where="2 ≤ l ≤ L, 1 ≤ j ≤ n_l")
    name, statement = ("BP3", "∂C/∂b^l_j = δ^l_j") if sign > 0 else \
        ("BP3 (-b)", "∂C/∂b^l_j = -δ^l_j when z = Σ w a - b")
    return GenericClaim(name, statement, D(COST, Atom("b", l, ("j",))),
                        mul(num(sign), delta(l, "j")), {"j": (l, 1)}, ("l", 2, 0),
                        PARAMETER_PLAN, where="2 ≤ l ≤ L, 1 ≤ j ≤ n_l")


def bp4(net: GenericNetwork, rhs: Expr | None = None, name: str = "BP4",
        statement: str = "∂C/∂w^l_{jk} = a^{l-1}_k δ^l_j") -> GenericClaim:
    rhs = rhs if rhs is not None else mul(a(l_down, "k"), delta(l, "j"))
    return GenericClaim(name, statement, D(COST, w(l, "j", "k")), rhs,
                        {"j": (l, 1), "k": (l_down, 1)}, ("l", 2, 0), PARAMETER_PLAN,
                        where="2 ≤ l ≤ L, 1 ≤ j ≤ n_l, 1 ≤ k ≤ n_{l-1}", swaps=(("j", "k"),))


#: (output activation, cost) pairs for which δ^L = a^L − y (the quadratic one with c = ½ only).
SHORTCUTS = {("sigmoid", "cross_entropy"), ("identity", "quadratic")}
SHORTCUT_PLAN = EXPLICIT_COST_PLAN[:-1] + (("apply", "activation's derivative rule"),
                                           ("canonical",))


def shortcut(net: GenericNetwork) -> GenericClaim | None:
    """δ^L = a^L − y, where the output activation and the cost make σ' cancel."""
    key = (net.output_activation, net.cost)
    if key not in SHORTCUTS or (net.cost == "quadratic" and net.scale != sp.Rational(1, 2)):
        return None
    return bp1(net, add(a(L, "j"), neg(Atom("y", None, ("j",)))), "δ^L = a^L - y",
               "δ^L = a^L - y", plan=SHORTCUT_PLAN)


def claims(net: GenericNetwork) -> list[GenericClaim]:
    """The equations that apply to this network, in the textbook's order."""
    out = [grad_a_cost(net)]
    out.append(bp1_jacobian(net) if net.output == "softmax" else bp1(net))
    out.append(bp2(net))
    if net.convention.sign or net.convention.unit:
        out.append(bp3(net))
    out.append(bp4(net))
    short = shortcut(net)
    return out + ([short] if short else [])
