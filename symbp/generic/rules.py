"""The rules a generic proof step may use: one row each, with its statement and its action.

A rule acts on one node of an expression (most on a partial derivative ∂f/∂v) and returns the
node it equals, or None where it does not apply. Every row is stated in docs/generic-proofs.md;
every step of every proof is re-checked at concrete sizes against route A (tests), so a wrong row
is caught. The network enters through `GenericNetwork`: its definitions, its output activation,
its cost term and its bias convention, all taken from the tables of `symbp.rules`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import sympy as sp

from symbp.engine import to_sympy
from symbp.generic.expr import (A, COST, KD, ONE, ZERO, Y, Add, Atom, D, Expr, Layer, Mul, Num,
                                Pow, Scalar, Sum, add, fresh, mul, num, shift)
from symbp.rules import ACTIVATIONS, BIASES, COSTS, BiasConvention

OUTPUT: Layer = ("L", 0)
PARAMETERS = ("w", "b")
COMPUTED = ("z", "a", "E", "S")


@dataclass(frozen=True)
class GenericNetwork:
    """A network of any depth L and widths n_1..n_L: its definitions as generic expressions."""

    output: str = "elementwise"          # or "softmax"
    bias: str = "add"
    cost: str = "quadratic"
    scale: sp.Expr = sp.Rational(1, 2)
    hidden: frozenset = field(default_factory=frozenset)   # layers known to be below L
    output_activation: str = "sigma"     # the output layer's row of ACTIVATIONS

    @property
    def convention(self) -> BiasConvention:
        return BIASES[self.bias]

    def cost_term(self, i: str, form: sp.Expr | None = None, name: str = "f") -> Scalar:
        """f(a^L_i, y_i): the table's cost on one output unit (C = Σ_i f(a^L_i, y_i))."""
        if form is None:
            form = to_sympy(COSTS[self.cost].form([A], [Y], self.scale))   # refuses text
        return Scalar(form, OUTPUT, (i,), name)

    def cost_gradient_term(self, i: str) -> Scalar:
        """The table's ∇_a C on one output unit, written in A and Y."""
        return Scalar(to_sympy(COSTS[self.cost].gradient([A], [Y], self.scale)[0]), OUTPUT,
                      (i,), "g")

    def z_definition(self, layer: Layer, i) -> Expr:
        """z^m_i = Σ_k w^m_{ik} a^{m-1}_k (from k = 0 with a bias unit) ± b^m_i."""
        k = fresh("k")
        bias = self.convention
        total: Expr = Sum(k, shift(layer, -1), mul(Atom("w", layer, (i, k)),
                                                    Atom("a", shift(layer, -1), (k,))),
                          0 if bias.unit else 1)
        if bias.sign:
            total = add(total, mul(num(bias.sign), Atom("b", layer, (i,))))
        return total

    def is_hidden(self, layer: Layer) -> bool:
        return layer in self.hidden

    def softmax_at(self, layer: Layer) -> bool:
        return layer == OUTPUT and self.output == "softmax"


Action = Callable[[Expr, GenericNetwork], "Expr | None"]


@dataclass(frozen=True)
class Rule:
    """One rule: its name, statement (text and LaTeX) and the rewrite it licenses."""

    name: str
    statement: str
    latex: str
    apply: Action
    unfold: Action | None = None        # the definition read right to left, where it is one


def _d(node: Expr) -> D | None:
    return node if isinstance(node, D) else None


def _same_base(p: Layer | None, q: Layer | None) -> bool:
    return p is not None and q is not None and p[0] == q[0]


# -- derivative rules -------------------------------------------------------------------------
def linearity(node, net):
    d = _d(node)
    if d is None:
        return None
    if isinstance(d.f, Add):
        return add(*[D(t, d.v) for t in d.f.terms])
    if isinstance(d.f, Mul) and isinstance(d.f.factors[0], Num):
        return mul(d.f.factors[0], D(mul(*d.f.factors[1:]), d.v))
    if isinstance(d.f, Num):
        return ZERO
    return None


def finite_sum(node, net):
    d = _d(node)
    if d is None or not isinstance(d.f, Sum):
        return None
    return Sum(d.f.index, d.f.layer, D(d.f.body, d.v), d.f.lower)


def product(node, net):
    d = _d(node)
    if d is None or not isinstance(d.f, Mul):
        return None
    fs = d.f.factors
    return add(*[mul(*fs[:n], D(f, d.v), *fs[n + 1:]) for n, f in enumerate(fs)])


def power(node, net):
    d = _d(node)
    if d is None or not isinstance(d.f, Pow):
        return None
    n = d.f.exp
    return mul(num(n), Pow(d.f.base, n - 1) if n - 1 != 1 else d.f.base, D(d.f.base, d.v))


def variables(node, net):
    """∂q_{ab}/∂q_{cd} = δ_{ac} δ_{bd}: the independent variables of one family."""
    d = _d(node)
    if d is None or not isinstance(d.f, Atom) or d.f.kind != d.v.kind or d.f.layer != d.v.layer:
        return None
    if d.f.kind not in PARAMETERS + ("z", "a") or len(d.f.idx) != len(d.v.idx):
        return None
    return mul(*[KD(i, j) for i, j in zip(d.f.idx, d.v.idx)]) if d.f.idx else ONE


def independent(node, net):
    """∂q/∂v = 0 when q is not computed from v (a parameter, a target, a lower layer)."""
    d = _d(node)
    if d is None or not isinstance(d.f, Atom):
        return None
    q, v = d.f, d.v
    if q.kind in ("y", "n"):
        return ZERO
    if q.kind in PARAMETERS:
        if v.kind != q.kind and v.kind in PARAMETERS + ("z", "a"):
            return ZERO
        if v.kind == q.kind and _same_base(q.layer, v.layer) and q.layer != v.layer:
            return ZERO
        return None
    if q.kind in COMPUTED and v.kind in PARAMETERS + ("z", "a") and _same_base(q.layer, v.layer):
        return ZERO if v.layer[1] > q.layer[1] else None
    return None


def definition_z(node, net):
    d = _d(node)
    if d is None or not isinstance(d.f, Atom) or d.f.kind != "z":
        return None
    return D(net.z_definition(d.f.layer, d.f.idx[0]), d.v)


def activation(node, net):
    """a^m_i = σ(z^m_i) on a hidden (elementwise) layer: ∂a^m_i/∂v = σ'(z^m_i) ∂z^m_i/∂v."""
    d = _d(node)
    if d is None or not isinstance(d.f, Atom) or d.f.kind != "a" or d.f.layer is None:
        return None
    hidden_or_elementwise = net.is_hidden(d.f.layer) or \
        (d.f.layer == OUTPUT and net.output == "elementwise")
    if not hidden_or_elementwise:
        return None
    return mul(Atom("dsig", d.f.layer, d.f.idx), D(Atom("z", d.f.layer, d.f.idx), d.v))


def _softmax_value(node, net):
    if isinstance(node, Atom) and node.kind == "a" and net.softmax_at(node.layer or ("", 0)):
        return mul(Atom("E", node.layer, node.idx), Pow(Atom("S", node.layer), -1))
    return None


def definition_softmax(node, net):
    """a^L_i = e^{z^L_i} / S^L with S^L = Σ_m e^{z^L_m} (a softmax output layer)."""
    d = _d(node)
    if d is not None:
        value = _softmax_value(d.f, net)
        return D(value, d.v) if value is not None else None
    return _softmax_value(node, net)


def definition_s(node, net):
    d = _d(node)
    if d is None or not isinstance(d.f, Atom) or d.f.kind != "S":
        return None
    m = fresh("m")
    return D(Sum(m, d.f.layer, Atom("E", d.f.layer, (m,))), d.v)


def exponential(node, net):
    """∂e^{z}/∂v = e^{z} ∂z/∂v (exp' = exp and the chain rule)."""
    d = _d(node)
    if d is None or not isinstance(d.f, Atom) or d.f.kind != "E":
        return None
    return mul(d.f, D(Atom("z", d.f.layer, d.f.idx), d.v))


def scalar_chain(node, net):
    """∂f(a^L_i, y_i)/∂v = ∂_1 f(a^L_i, y_i) · ∂a^L_i/∂v (y is a constant)."""
    d = _d(node)
    if d is None or not isinstance(d.f, Scalar):
        return None
    partial = Scalar(sp.diff(d.f.form, A), d.f.layer, d.f.idx, f"∂_1{d.f.name}")
    return mul(partial, D(Atom("a", d.f.layer, d.f.idx), d.v))


def definition_delta(node, net):
    d = _d(node)
    if d is None or d.f != COST or d.v.kind != "z":
        return None
    return Atom("delta", d.v.layer, d.v.idx)


def _unfold_delta(node, net):
    if isinstance(node, Atom) and node.kind == "delta":
        return D(COST, Atom("z", node.layer, node.idx))
    return None


def definition_grad(node, net):
    d = _d(node)
    if d is None or d.f != COST or d.v.kind != "a" or d.v.layer != OUTPUT:
        return None
    return Atom("grad", None, d.v.idx)


def _unfold_grad(node, net):
    if isinstance(node, Atom) and node.kind == "grad":
        return D(COST, Atom("a", OUTPUT, node.idx))
    return None


def definition_cost(node, net):
    d = _d(node)
    if d is None or d.f != COST:
        return None
    i = fresh("i")
    return D(Sum(i, OUTPUT, net.cost_term(i)), d.v)


def chain(node, net):
    """The multivariate chain rule through the vector the layer-local lemma names:
    ∂C/∂v = Σ_k ∂C/∂u_k ∂u_k/∂v, u = z^{m+1} (v = z^m, m < L), a^L (v = z^L), z^m (v in layer m)."""
    d = _d(node)
    if d is None or d.f != COST:
        return None
    v = d.v
    if v.kind == "z" and net.is_hidden(v.layer):
        through = ("z", shift(v.layer, 1))
    elif v.kind == "z" and v.layer == OUTPUT:
        through = ("a", OUTPUT)
    elif v.kind in PARAMETERS:
        through = ("z", v.layer)
    else:
        return None
    k = fresh("k")
    u = Atom(through[0], through[1], (k,))
    return Sum(k, through[1], mul(D(COST, u), D(u, v)))


def output_derivative_rule(node, net):
    """σ'(z^L_j) by the output activation's table rule, written in a^L_j = σ(z^L_j)."""
    if not isinstance(node, Atom) or node.kind != "dsig" or node.layer != OUTPUT:
        return None
    act = ACTIVATIONS[net.output_activation]
    if act.derivative is None or not act.elementwise:
        return None
    s = sp.Symbol("s")
    rule = sp.Poly(sp.expand(act.derivative(sp.Symbol("t"), s)), s)
    value = Atom("a", OUTPUT, node.idx)
    return add(*[mul(Num(Fraction(int(c.p), int(c.q))), *([Pow(value, p)] if p > 1 else
                                                          [value] * p))
                 for (p,), c in rule.terms()])


def _canonical_placeholder(node, net):   # canonical rows act on the whole expression (proof.py)
    return None


RULES: dict[str, Rule] = {r.name: r for r in [
    Rule("definition of δ", "δ^m_j = ∂C/∂z^m_j", r"\delta^m_j = \frac{\partial C}{\partial z^m_j}",
         definition_delta, _unfold_delta),
    Rule("definition of ∇_a C", "(∇_a C)_j = ∂C/∂a^L_j",
         r"(\nabla_a C)_j = \frac{\partial C}{\partial a^L_j}", definition_grad, _unfold_grad),
    Rule("definition of C", "C = Σ_i f(a^L_i, y_i), f the cost on one output unit",
         r"C = \sum_{i=1}^{n_L} f(a^L_i, y_i)", definition_cost),
    Rule("multivariate chain rule (layer-local lemma)",
         "∂C/∂v = Σ_{k=1}^{n} ∂C/∂u_k ∂u_k/∂v, where C depends on v only through "
         "u = (u_1..u_n): u = z^{m+1} for v = z^m (m < L), u = a^L for v = z^L, u = z^m for a "
         "parameter of layer m",
         r"\frac{\partial C}{\partial v} = \sum_{k=1}^{n} \frac{\partial C}{\partial u_k}"
         r"\frac{\partial u_k}{\partial v}", chain),
    Rule("linearity", "∂(f + g)/∂v = ∂f/∂v + ∂g/∂v, ∂(c f)/∂v = c ∂f/∂v, ∂c/∂v = 0",
         r"\partial(f + g) = \partial f + \partial g,\ \partial(c f) = c\,\partial f", linearity),
    Rule("derivative of a finite sum",
         "∂(Σ_{k=1}^{n} f_k)/∂v = Σ_{k=1}^{n} ∂f_k/∂v (the bound n does not depend on v)",
         r"\frac{\partial}{\partial v}\sum_{k=1}^{n} f_k = \sum_{k=1}^{n}"
         r"\frac{\partial f_k}{\partial v}", finite_sum),
    Rule("product rule", "∂(f g)/∂v = ∂f/∂v g + f ∂g/∂v",
         r"\partial(f g) = (\partial f)\, g + f\, \partial g", product),
    Rule("power rule", "∂(f^n)/∂v = n f^{n-1} ∂f/∂v", r"\partial(f^n) = n f^{n-1}\,\partial f",
         power),
    Rule("independent variables",
         "∂w^m_{ik}/∂w^m_{jq} = δ_{ij} δ_{kq}, ∂b^m_i/∂b^m_j = δ_{ij}, ∂z^m_i/∂z^m_j = δ_{ij}, "
         "∂a^L_i/∂a^L_j = δ_{ij}",
         r"\frac{\partial w^m_{ik}}{\partial w^m_{jq}} = \delta_{ij}\delta_{kq},\ "
         r"\frac{\partial z^m_i}{\partial z^m_j} = \delta_{ij}", variables),
    Rule("independence",
         "∂q/∂v = 0 when q is not computed from v: parameters and targets are independent "
         "variables, and a quantity of layer m does not depend on layer m' > m",
         r"\frac{\partial q}{\partial v} = 0 \text{ when } q \text{ is not computed from } v",
         independent),
    Rule("definition of z", "z^m_i = Σ_k w^m_{ik} a^{m-1}_k + b^m_i (the bias convention's form)",
         r"z^m_i = \sum_k w^m_{ik} a^{m-1}_k + b^m_i", definition_z),
    Rule("activation (chain rule through σ)",
         "a^m_i = σ(z^m_i), so ∂a^m_i/∂v = σ'(z^m_i) ∂z^m_i/∂v (elementwise layers)",
         r"\frac{\partial a^m_i}{\partial v} = \sigma'(z^m_i)\frac{\partial z^m_i}{\partial v}",
         activation),
    Rule("definition of softmax", "a^L_i = e^{z^L_i} / S^L", r"a^L_i = e^{z^L_i} (S^L)^{-1}",
         definition_softmax),
    Rule("definition of S", "S^L = Σ_m e^{z^L_m}", r"S^L = \sum_{m=1}^{n_L} e^{z^L_m}",
         definition_s),
    Rule("exponential", "∂e^{z}/∂v = e^{z} ∂z/∂v",
         r"\frac{\partial e^{z}}{\partial v} = e^{z} \frac{\partial z}{\partial v}", exponential),
    Rule("chain rule through the cost term", "∂f(a_i, y_i)/∂v = ∂_1 f(a_i, y_i) ∂a_i/∂v",
         r"\frac{\partial f(a_i, y_i)}{\partial v} = \partial_1 f(a_i, y_i)"
         r"\frac{\partial a_i}{\partial v}", scalar_chain),
    Rule("activation's derivative rule",
         "σ'(z^L_j) by the output activation's rule in a^L_j = σ(z^L_j) (σ' = σ(1 - σ), "
         "1 - tanh², 1), itself proved against sympy.diff",
         r"\sigma'(z^L_j) = \sigma(z^L_j)\,(1 - \sigma(z^L_j))", output_derivative_rule),
    Rule("expand", "distribute products over sums and pull every finite sum to the front of its "
         "term (Σ_k c f_k = c Σ_k f_k when c does not depend on k; Σ_{k=1}^{n} c = n c; "
         "a^m_0 = 1, the bias unit); collect like terms",
         r"\sum_k c\, f_k = c \sum_k f_k,\ \sum_{k=1}^{n} c = n\, c", _canonical_placeholder),
    Rule("Kronecker summation",
         "Σ_{k} δ_{kj} f(k) = f(j) for j in the range of k; δ_{jj} = 1; δ_{k0} = 0 for k ≥ 1; "
         "bound indices renamed canonically",
         r"\sum_{k} \delta_{kj} f(k) = f(j),\ \delta_{jj} = 1", _canonical_placeholder),
    Rule("scalar identity", "an identity in one output unit's a^L_j, y_j, proved by symbp's "
         "scalar prover", r"\text{an identity in } a^L_j, y_j", _canonical_placeholder),
]}

#: The derivative rules, in the order a proof tries them on every ∂ it meets.
LOCAL = ("definition of δ", "definition of ∇_a C", "linearity", "derivative of a finite sum",
         "product rule", "power rule", "independent variables", "independence",
         "definition of z", "activation (chain rule through σ)", "definition of softmax",
         "definition of S", "exponential", "chain rule through the cost term")
