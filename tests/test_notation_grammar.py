"""Each construct of the notation is accepted and builds the expression it means."""
from __future__ import annotations

import pytest
import symengine as se

from symbp.derivation.values import Mat
from symbp.notation import ast as A
from symbp.notation.parser import parse
from tests.notation_helpers import NETWORK, ast_of, same, value

S = se.Symbol
sigma = se.Function("sigma")


def w(l, j, k):
    return S(f"w^{{{l}}}_{{{j}{k}}}")


@pytest.mark.parametrize("text, name, layer, indices", [
    ("w^l_{jk}", "w", A.Index("l", 0, A.Role.LAYER), (A.Index("j"), A.Index("k"))),
    ("w_{jk}^l", "w", A.Index("l", 0, A.Role.LAYER), (A.Index("j"), A.Index("k"))),
    ("a^{l-1}_k", "a", A.Index("l", -1, A.Role.LAYER), (A.Index("k"),)),
    ("a^{(l)}_k", "a", A.Index("l", 0, A.Role.LAYER), (A.Index("k"),)),
    ("w_{12}", "w", None, (A.Index(None, 1), A.Index(None, 2))),
    ("w_{j,k}", "w", None, (A.Index("j"), A.Index("k"))),
    ("h_1", "h", None, (A.Index(None, 1),)),
    ("E_{total}", "E_{total}", None, ()),
    (r"\mathbf{a}^L", "a", A.Index("L", 0, A.Role.LAYER), ()),
    (r"\vec{o}", "o", None, ()),
    (r"\delta^l_j", "δ", A.Index("l", 0, A.Role.LAYER), (A.Index("j"),)),
    (r"\varepsilon", "ε", None, ()),
    (r"\eta", "η", None, ()),
    (r"w_{\ell j}", "w", None, (A.Index("ℓ"), A.Index("j"))),
    (r"\hat{y}_j", r"\hat{y}", None, (A.Index("j"),)),
    (r"\Delta w_{ij}", "Δw", None, (A.Index("i"), A.Index("j"))),
    ("w^{+}_5", "w^+", None, (A.Index(None, 5),)),
])
def test_names_scripts_in_either_order(text, name, layer, indices):
    ref = ast_of(text)
    assert isinstance(ref, A.Ref)
    assert (ref.name, ref.layer, ref.indices) == (name, layer, indices)


def test_run_of_letters_is_one_name_only_when_introduced():
    header = "define = ['net_j = x_j']\n"
    assert same(value("net_1 o", header=header), S("x_{1}") * S("o"))
    assert same(value("ab_1", header=""), S("a") * S("b_{1}"))


def test_fraction_power_exp_log_decimal():
    assert same(value(r"\frac{1}{2} q^2"), S("q") ** 2 / 2)
    assert same(value(r"e^{-q}"), se.exp(-S("q")))
    assert same(value(r"\exp(q) + \ln(q) + \log q"), se.exp(S("q")) + 2 * se.log(S("q")))
    assert same(value("0.25 q"), S("q") / 4)
    assert same(value(r"\frac12"), se.Rational(1, 2))


def test_sigma_prime_both_spellings_are_the_derivative():
    t = S("t")
    xi = S("_ξ")
    expected = sigma(xi).diff(xi).subs({xi: t})
    assert same(value(r"\sigma'(t)"), expected)
    assert same(value(r"\sigma^{\prime}(t)"), expected)


def test_partial_derivative_forms_agree():
    forms = [r"\frac{\partial C}{\partial w^2_{11}}", r"\partial_{w^2_{11}} C",
             r"\frac{\partial}{\partial w^2_{11}} C", r"\partial C / \partial w^2_{11}"]
    values = [value(f) for f in forms]
    assert all(same(v, values[0]) for v in values)
    assert not same(values[0], 0)


def test_frac_partial_applies_to_next_factor_only():
    # ∂/∂q applies to q, then the product with r: 1·r
    assert same(value(r"\frac{\partial}{\partial q} q r"), S("r"))


def test_partial_subscript_applies_to_the_run():
    assert same(value(r"\partial_{q} q r"), S("r"))
    assert same(value(r"\partial_{q} q \cdot \partial_{r} r q"), S("q"))


def test_nabla_is_the_vector_of_partials():
    grad = value(r"\nabla_a C")
    grad_l = value(r"\nabla_{a^L} C")
    assert isinstance(grad, Mat) and grad.shape == (2, 1)
    assert all(same(g, h) for g, h in zip(grad.entries(), grad_l.entries()))
    assert same(grad.entries()[0], value("a^3_1 - y_1"))


def test_sums_bounded_unbounded_and_in_layer():
    assert same(value(r"\sum_k x_k"), S("x_{1}") + S("x_{2}"))
    assert same(value(r"\sum_{k=1}^{2} x_k"), S("x_{1}") + S("x_{2}"))
    assert same(value(r"\sum_{k=1}^{n_1} x_k"), S("x_{1}") + S("x_{2}"))
    assert same(value(r"\sum_{\ell \in L} y_\ell"), S("y_{1}") + S("y_{2}"))


def test_hadamard_circ_outer_transpose_products():
    had = value(r"a^3 \odot y")
    circ = value(r"a^3 \circ y")
    assert had == circ and had.shape == (2, 1)
    outer = value(r"\delta^3 \otimes a^2")
    assert outer.shape == (2, 3)
    assert value(r"(W^3)^T").shape == (3, 2)
    assert value(r"(W^3)^\top").shape == (3, 2)
    assert value(r"(W^3)^{T} \delta^3").shape == (3, 1)
    assert same(value(r"q \cdot r \times s"), S("q") * S("r") * S("s"))


def test_juxtaposition_binds_tighter_than_hadamard_and_plus():
    v = value(r"(W^3)^T \delta^3 \odot a^2 + a^2")
    assert v.shape == (3, 1)


def test_norm_squared_and_vector_squared_are_the_squared_norm():
    n1 = value(r"\|y - a^3\|^2")
    n2 = value(r"(y - a^3)^2")
    assert same(n1, n2)
    assert same(n1, (S("y_{1}") - value("a^3_1")) ** 2 + (S("y_{2}") - value("a^3_2")) ** 2)


def test_left_right_brackets_and_scalar_minus_vector():
    assert same(value(r"\left( q + r \right) \left[ q \right]"), (S("q") + S("r")) * S("q"))
    ones = value(r"\vec{1} - a^3")
    assert ones.shape == (2, 1)


def test_chains_and_implies_give_links():
    stmt = parse(r"a = b = c \implies d = e")
    assert [len(c.exprs) for c in stmt.chains] == [3, 2]


def test_approx_and_aligned_environment():
    stmt = parse(r"\begin{aligned} a &= b \\ &\approx c \end{aligned}")
    assert stmt.chains[0].rels == ("=", r"\approx")


def test_defined_quantity_derivative_is_perturbation():
    # ∂C/∂a^3_1 = a^3_1 - y_1 (C = 1/2 Σ (a - y)^2), although a^3_1 is computed from z
    assert same(value(r"\frac{\partial C}{\partial a^3_1}"), value("a^3_1 - y_1"))


def test_layer_specific_definition_wins_over_general():
    assert value("a^1_2") == S("x_{2}")
    assert "sigma" in str(value("a^2_1"))


def test_bias_unit_at_index_zero():
    header = """layers = [[2, 2]]
first_layer = 0
define = ['a^0_j = x_j', 'a^l_0 = 1', 'z^{l+1}_k = \\sum_{j=0}^{n_l} a^l_j w^l_{jk}']
"""
    assert same(value("z^1_1", header=header), S("w^{0}_{01}") + S("x_{1}") * S("w^{0}_{11}")
                + S("x_{2}") * S("w^{0}_{21}"))
    assert same(value("a^0_0", header=header), 1)


def test_matrix_first_subscript_is_the_row():
    m = value("W^3")
    assert m.shape == (2, 3)
    assert m.rows[0][1] == w(3, 1, 2)


def test_defined_function_and_sigmoid():
    header = NETWORK.replace("define = [", "define = ['\\sigma(t) = \\frac{1}{1 + e^{-t}}',")
    assert same(value(r"\sigma(q)", header=header), 1 / (1 + se.exp(-S("q"))))
    assert same(value(r"\mathrm{sigmoid}(q)"), 1 / (1 + se.exp(-S("q"))))
