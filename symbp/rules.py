"""Read-only tables of the mathematics: activations, costs and bias conventions.

Each entry holds its symbolic form and its textbook derivative rule; the tests prove every rule
against `sympy.diff`, so the rest of symbp may rewrite by a rule and still call the result a proof.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

t = sp.Symbol("t", real=True)

Form = Callable[[sp.Expr], sp.Expr]


@dataclass(frozen=True)
class Activation:
    """One activation: its closed form, and σ' written in terms of σ(t) (`s`) and t."""

    name: str
    latex: str
    form: Form | None                      # closed form in t; None for the generic σ
    derivative: Callable[[sp.Expr, sp.Expr], sp.Expr] | None  # (t, s) -> σ'(t); None: σ' is its own atom
    derivative_latex: str                  # the rule as a textbook prints it
    derivative_text: str = ""              # the same in plain text, for reports
    elementwise: bool = True
    note: str = ""

    @property
    def generic(self) -> bool:
        return self.form is None


def _softmax_form(t_: sp.Expr) -> sp.Expr:  # pragma: no cover - softmax is not elementwise
    raise TypeError("softmax acts on a whole layer")


ACTIVATIONS: dict[str, Activation] = {a.name: a for a in [
    Activation("sigma", r"\sigma", None, None, r"\sigma'(z)",
               note="a generic differentiable function: a proof holds for every activation"),
    Activation("sigmoid", r"\sigma", lambda u: 1 / (1 + sp.exp(-u)),
               lambda u, s: s * (1 - s), r"\sigma'(z) = \sigma(z)(1 - \sigma(z))",
               derivative_text="σ'(z) = σ(z)(1 - σ(z))"),
    Activation("tanh", r"\tanh", sp.tanh, lambda u, s: 1 - s**2, r"\tanh'(z) = 1 - \tanh^2(z)",
               derivative_text="tanh'(z) = 1 - tanh(z)^2"),
    Activation("relu", r"\mathrm{ReLU}", lambda u: sp.Max(0, u), None,
               r"\mathrm{ReLU}'(z) = H(z)", derivative_text="ReLU'(z) = H(z), the step",
               note="ReLU' is the step H(z), kept as an atom; at the kink z = 0 ReLU has no "
                    "derivative, so every statement holds away from z = 0 only"),
    Activation("softplus", r"\mathrm{softplus}", lambda u: sp.log(1 + sp.exp(u)), None,
               r"\mathrm{softplus}'(z) = \frac{1}{1 + e^{-z}}",
               derivative_text="softplus'(z) = 1/(1 + e^(-z))"),
    Activation("identity", r"\mathrm{id}", lambda u: u, lambda u, s: sp.Integer(1),
               r"\mathrm{id}'(z) = 1", derivative_text="id'(z) = 1"),
    Activation("softmax", r"\mathrm{softmax}", None, None,
               r"\frac{\partial a_i}{\partial z_j} = a_i(\delta_{ij} - a_j)", elementwise=False,
               note="softmax acts on the whole output layer: its Jacobian is full"),
]}

#: For activations whose σ' is not a polynomial in σ, the closed form of σ'(t) (tested against diff).
DERIVATIVE_FORMS: dict[str, Form] = {
    "relu": lambda u: sp.Heaviside(u),
    "softplus": lambda u: 1 / (1 + sp.exp(-u)),
}


@dataclass(frozen=True)
class Cost:
    """One per-sample cost C_x(a, y): its form and its textbook gradient ∇_a C."""

    name: str
    latex: str
    form: Callable[[list, list, sp.Expr], sp.Expr]       # (a, y, scale) -> C_x
    gradient: Callable[[list, list, sp.Expr], list]      # (a, y, scale) -> ∇_a C_x
    default_scale: sp.Expr = sp.Integer(1)
    note: str = ""


COSTS: dict[str, Cost] = {c.name: c for c in [
    Cost("quadratic", r"C = c \sum_j (a^L_j - y_j)^2",
         lambda a, y, c: c * sum((ai - yi) ** 2 for ai, yi in zip(a, y)),
         lambda a, y, c: [2 * c * (ai - yi) for ai, yi in zip(a, y)],
         default_scale=sp.Rational(1, 2)),
    Cost("cross_entropy", r"C = -\sum_j \left[y_j \ln a^L_j + (1 - y_j) \ln(1 - a^L_j)\right]",
         lambda a, y, c: -sum(yi * sp.log(ai) + (1 - yi) * sp.log(1 - ai) for ai, yi in zip(a, y)),
         lambda a, y, c: [-yi / ai + (1 - yi) / (1 - ai) for ai, yi in zip(a, y)]),
    Cost("log_likelihood", r"C = -\sum_j y_j \ln a^L_j",
         lambda a, y, c: -sum(yi * sp.log(ai) for ai, yi in zip(a, y)),
         lambda a, y, c: [-yi / ai for ai, yi in zip(a, y)],
         note="with a one-hot y this is -ln a^L_y, the log-likelihood cost of a softmax layer"),
]}


@dataclass(frozen=True)
class BiasConvention:
    """How a unit's bias enters its pre-activation: z = Σ w a + sign·b, or a bias unit a_0 = 1."""

    name: str
    sign: int            # +1, -1, or 0 when there is no separate b
    unit: bool           # a bias unit a_0 = 1 carried by weight w_{j0}
    latex: str


BIASES: dict[str, BiasConvention] = {b.name: b for b in [
    BiasConvention("add", +1, False, r"z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j"),
    BiasConvention("subtract", -1, False, r"z^l_j = \sum_k w^l_{jk} a^{l-1}_k - b^l_j"),
    BiasConvention("unit", 0, True, r"z^l_j = \sum_{k=0} w^l_{jk} a^{l-1}_k,\ a^{l-1}_0 = 1"),
    BiasConvention("none", 0, False, r"z^l_j = \sum_k w^l_{jk} a^{l-1}_k"),
]}


def names(table: dict) -> str:
    """The valid names of a table, for error messages."""
    return ", ".join(table)


def derivative_rule_sides(name: str, activation: Activation | None = None) \
        -> tuple[sp.Expr, sp.Expr] | None:
    """(sympy.diff of the closed form, the table's rule) for a concrete activation, else None."""
    act = activation or ACTIVATIONS[name]
    if act.form is None:
        return None
    direct = sp.diff(act.form(t), t)
    if act.derivative is not None:
        return direct, act.derivative(t, act.form(t))
    return direct, DERIVATIVE_FORMS[act.name](t)
