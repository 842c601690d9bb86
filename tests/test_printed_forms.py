"""Printed forms that real sources use and the contract's second edition leaves to a careful
reader: for each, (a) a true claim holds, (b) a wrong one fails for the right reason, (c) the
result's `readings` names the reading taken where the form could be read two ways.
"""
from __future__ import annotations

import functools
import textwrap

from symbp.check import check_text


@functools.cache
def _run(text: str) -> dict:
    return {r.name: r for r in check_text(textwrap.dedent(text), "case.toml")}


def verdict(case: str, name: str) -> str:
    return _run(case)[name].verdict


def result(case: str, name: str):
    return _run(case)[name]


def reads(case: str, name: str, words: str) -> bool:
    return any(words in r for r in result(case, name).readings)


# -- layers written as subscripts with letters: z_l = w_l a_{l-1} + b_l -------------------------
LAYER_SUBSCRIPTS = r"""
layers = [[2, 3, 2], [3, 2, 4, 2]]
define = [
  'z_l = w_l a_{l-1} + b_l',
  'a_l = \sigma(z_l)',
  'C = \frac{1}{2} \|y - a_L\|^2',
  '\delta_l = \frac{\partial C}{\partial z_l}',
]
[[claim]]
name = "bp1"
latex = '\delta_L = \bigtriangledown_a C \odot\sigma\prime (z_L)'
[[claim]]
name = "bp2"
latex = '\delta_l = ((w_{l+1})^T\delta_{l+1})\odot\sigma\prime (z_l)'
[[claim]]
name = "bp4"
latex = '\frac{\partial C}{\partial w_l} = \delta_l a_{l-1}^T'
[[claim]]
name = "bp4-outer-order-swapped"
latex = '\frac{\partial C}{\partial w_l} = a_{l-1} \delta_l^T'
[[claim]]
name = "bp2-no-transpose"
latex = '\delta_l = (w_{l+1} \delta_{l+1})\odot\sigma\prime (z_l)'
[[claim]]
name = "bp1-no-prime"
latex = '\delta_L = \bigtriangledown_a C \odot\sigma (z_L)'
"""


def test_letter_layer_subscripts_true_claims_hold():
    for name in ("bp1", "bp2", "bp4"):
        assert verdict(LAYER_SUBSCRIPTS, name) == "holds", result(LAYER_SUBSCRIPTS, name)


def test_letter_layer_subscripts_wrong_claims_fail():
    swapped = result(LAYER_SUBSCRIPTS, "bp4-outer-order-swapped")
    assert swapped.verdict == "fails" and "shape mismatch" in swapped.diagnosis
    assert verdict(LAYER_SUBSCRIPTS, "bp2-no-transpose") == "fails"
    assert verdict(LAYER_SUBSCRIPTS, "bp1-no-prime") == "fails"


def test_letter_layer_subscripts_say_so():
    assert reads(LAYER_SUBSCRIPTS, "bp4", "subscripts of a, b, w, z, δ read as layers")


UNIT_SUBSCRIPTS = r"""
layers = [[2, 2]]
define = ['o_j = \sigma(n_j)', 'n_j = \sum_k w_{kj} x_k', 'E = \frac{1}{2}\sum_j (o_j - t_j)^2']
[[claim]]
name = "units"
latex = '\frac{\partial E}{\partial n_j} = (o_j - t_j) \sigma\prime(n_j)'
"""


def test_single_letter_subscripts_without_a_matrix_form_stay_units():
    r = result(UNIT_SUBSCRIPTS, "units")
    assert r.verdict == "holds", r
    assert not any("read as layers" in x for x in r.readings)


# -- W^l, \hat{W}^l for the matrix of a family the definitions write w_{ij}^l -------------------
CAPITAL_MATRIX = r"""
layers = [[2, 3, 2], [3, 3, 3]]
define = [
  'z_j^l = \sum_{i} w_{ij}^l a_i^{l-1} + b_j^l',
  'a_j^l = f(z_j^l)',
  'C = \frac{1}{2} \sum_i (a_i^L - t_i)^2',
]
[[claim]]
name = "matrix-form"
latex = '\hat{z}^l = \left(\hat{W}^l\right)^T\hat{a}^{l-1}+\hat{b}^l'
[[claim]]
name = "matrix-form-no-transpose"
latex = 'z^l = W^l a^{l-1} + b^l'
[[claim]]
name = "entry"
latex = '''\frac{\partial C}{\partial W^L_{jk}} = (a^L_k - t_k) f'(z^L_k) a^{L-1}_j'''
[[claim]]
name = "entry-nielsen-order"
latex = '''\frac{\partial C}{\partial W^L_{jk}} = (a^L_j - t_j) f'(z^L_j) a^{L-1}_k'''
"""


def test_capital_letter_is_the_matrix_of_the_lower_case_family():
    assert verdict(CAPITAL_MATRIX, "matrix-form") == "holds"
    assert verdict(CAPITAL_MATRIX, "entry") == "holds"
    assert reads(CAPITAL_MATRIX, "matrix-form", "read as the matrix of w")
    assert reads(CAPITAL_MATRIX, "entry", "read as the matrix of w")


def test_capital_matrix_in_the_wrong_orientation_fails():
    assert verdict(CAPITAL_MATRIX, "matrix-form-no-transpose") == "fails"
    slip = result(CAPITAL_MATRIX, "entry-nielsen-order")
    assert slip.verdict == "fails" and "exchanged" in slip.diagnosis


def test_a_capital_letter_the_definitions_print_is_its_own_family():
    case = r"""
    layers = [[2, 2]]
    define = ['z^l = W^l a^{l-1}', 'a^l = \sigma(z^l)', 'w^l_{jk} = 2 W^l_{jk}']
    [[claim]]
    name = "own"
    latex = 'z^l_j = \sum_k W^l_{jk} a^{l-1}_k'
    """
    r = result(case, "own")
    assert r.verdict == "holds", r
    assert not any("matrix of" in x for x in r.readings)


# -- labels: \text{Out}_{y_1} is \text{Out}_{y1}, E_{\text{Total}} is E_{\text{total}} ----------
LABELS = r"""
define = [
  'E_{\text{total}} = \frac{1}{2}(T_{1} - \text{Out}_{y_1})^2 + \frac{1}{2}(T_{2} - \text{Out}_{y_2})^2',
]
[[claim]]
name = "answer"
latex = '\frac{\partial E_{\text{Total}}}{\partial \text{Out}_{y1}} = \text{Out}_{y_1} - T_1'
[[claim]]
name = "sign-slip"
latex = '\frac{\partial E_{\text{Total}}}{\partial \text{Out}_{y1}} = T_1 - \text{Out}_{y_1}'
[[claim]]
name = "other-output"
latex = '\frac{\partial E_{\text{total}}}{\partial \text{Out}_{y_2}} = \text{Out}_{y_1} - T_1'
"""


def test_labels_in_any_spelling_name_one_quantity():
    assert verdict(LABELS, "answer") == "holds"


def test_labels_keep_quantities_apart():
    slip = result(LABELS, "sign-slip")
    assert slip.verdict == "fails" and "sign" in slip.diagnosis
    assert verdict(LABELS, "other-output") == "fails"


# -- a run of letters no definition introduces: net_k -------------------------------------------
NET = r"""
layers = [[3, 2]]
define = ['E = \frac{1}{2} {\sum\limits_{k}} (t_k - a_k)^2', 'a_k = {(1+e^{-net_k})^{-1}}']
[[claim]]
name = "dE-da"
latex = '{\frac{\partial E}{\partial a_k}} = -(t_k - a_k)'
[[claim]]
name = "da-dnet"
latex = '{\frac{\partial a_k}{\partial net_k}} = a_k(1-a_k)'
[[claim]]
name = "da-dnet-leibniz"
latex = '\frac{d a_k}{d net_k} = a_k(1-a_k)'
[[claim]]
name = "da-dnet-missing-factor"
latex = '{\frac{\partial a_k}{\partial net_k}} = a_k'
"""


def test_an_undefined_run_of_letters_is_one_name():
    for name in ("dE-da", "da-dnet", "da-dnet-leibniz"):
        assert verdict(NET, name) == "holds", result(NET, name)
    assert reads(NET, "da-dnet", "net read as one name, not as the product n·e·t")


def test_an_undefined_run_of_letters_still_refutes():
    r = result(NET, "da-dnet-missing-factor")
    assert r.verdict == "fails"


def test_function_names_printed_as_letters():
    case = r"""
    define = ['h = tanh(z)', 's = sigmoid(z)']
    [[claim]]
    name = "tanh"
    latex = '\frac{\partial h}{\partial z} = 1 - h^2'
    [[claim]]
    name = "sigmoid"
    latex = '\frac{\partial s}{\partial z} = s(1 - s)'
    [[claim]]
    name = "tanh-wrong"
    latex = '\frac{\partial h}{\partial z} = 1 - h'
    """
    assert verdict(case, "tanh") == "holds"
    assert verdict(case, "sigmoid") == "holds"
    assert verdict(case, "tanh-wrong") == "fails"


def test_a_run_with_a_letter_the_file_defines_stays_a_product():
    case = r"""
    define = ['a = 2 x', 'q = b a c']
    [[claim]]
    name = "product"
    latex = '\frac{\partial q}{\partial x} = 2 b c'
    """
    assert verdict(case, "product") == "holds"


# -- a bracketed superscript is a layer, even in a file without `layers` ------------------------
def test_bracketed_superscript_is_a_layer_not_a_power():
    case = r"""
    define = ['J = y_{true}^2 - {h_{1}^{(3)}}^2', 'h_{1}^{(3)} = z_{1}^{(2)}']
    [[claim]]
    name = "linear"
    latex = '\frac{\partial h_{1}^{(3)}}{\partial z_{1}^{(2)}} = 1'
    [[claim]]
    name = "square"
    latex = '\frac{\partial J}{\partial z_{1}^{(2)}} = -2 z_{1}^{(2)}'
    """
    assert verdict(case, "linear") == "holds"
    assert verdict(case, "square") == "holds"


# -- a chain with a side symbp cannot read -------------------------------------------------------
CHAIN = r"""
layers = [[2, 2]]
define = ['o_j = \sigma(n_j)', 'n_j = \sum_k w_{kj} o_k', 'E = \frac{1}{2}\sum_j (o_j - t_j)^2']
[[claim]]
name = "fails-elsewhere"
latex = '\frac{\partial E}{\partial n_j} = 2 (o_j - t_j) \sigma\prime(n_j) = \partial o_j/o_k'
[[claim]]
name = "holds-elsewhere"
latex = '\frac{\partial E}{\partial n_j} = (o_j - t_j) \sigma\prime(n_j) = \partial o_j/o_k'
"""


def test_a_chain_refuted_on_a_readable_link_fails_and_says_what_was_not_read():
    r = result(CHAIN, "fails-elsewhere")
    assert r.verdict == "fails", r
    assert any("could not be read" in x for x in r.readings)


def test_a_chain_whose_readable_links_hold_is_an_error_at_the_unread_side():
    r = result(CHAIN, "holds-elsewhere")
    assert r.verdict == "error" and "\\partial" in r.error


# -- a defined quantity with one argument in parentheses: C(W) --------------------------------
def test_one_name_in_parentheses_after_a_defined_quantity_is_its_argument():
    case = r"""
    layers = [[2, 2]]
    define = ['z^l_j = \sum_k w^l_{jk} a^{l-1}_k', 'a^l_j = \sigma(z^l_j)',
              'C = \frac{1}{2}\sum_j (a^L_j - y_j)^2']
    [[claim]]
    name = "argument"
    latex = '''\frac{\partial C(W)}{\partial w^L_{jk}} = (a^L_j - y_j)\sigma'(z^L_j) a^{L-1}_k'''
    [[claim]]
    name = "product"
    latex = '''a^L_j(1 - a^L_j) = a^L_j - (a^L_j)^2'''
    """
    r = result(case, "argument")
    assert r.verdict == "holds", r
    assert any("argument list" in x for x in r.readings)
    assert verdict(case, "product") == "holds"


# -- a primed name the file defines: {y}' is the output, not a derivative ----------------------
PRIMED_OUTPUT = r"""
define = [
  'net_1 = xw_{1}+b', 'h = \sigma (net_1)', 'net_2 = hw_{2}+b',
  '''{y}' = \sigma (net_2)''', '\sigma(x) = \frac{1}{1 + e^{-x}}',
  '''L=\frac{1}{2}\sum(y-{y}')^{2}''',
]
[[claim]]
name = "output"
latex = '''\frac{\partial L }{\partial w_2} = h\times {y}'(1-{y}')\times ({y}'-y)'''
[[claim]]
name = "output-sign-slip"
latex = '''\frac{\partial L }{\partial w_2} = h\times {y}'(1-{y}')\times (y-{y}')'''
"""


def test_a_primed_name_the_file_defines_is_a_name():
    r = result(PRIMED_OUTPUT, "output")
    assert r.verdict == "holds", r
    assert any("name of its own" in x for x in r.readings)
    assert any("one term" in x for x in r.readings)        # \sum with no index
    assert "sign" in result(PRIMED_OUTPUT, "output-sign-slip").diagnosis


# -- E_n: a subscript the definition never uses labels the quantity ---------------------------
BISHOP = r"""
first_layer = 0
layers = [[2, 3, 2], [3, 2, 3]]
define = [
  'a_j^{(1)} = \sum_i w_{ji}^{(1)} x_i', 'z_j^{(1)} = \tanh\Big(a_j^{(1)}\Big)',
  'a_k^{(2)} = \sum_j w_{kj}^{(2)} z_j^{(1)}', 'y_k = a_k^{(2)}',
  'E_n = \frac{1}{2} \sum_k \Big(y_k - t_k\Big)^2',
  '\delta_k^{(2)} = \frac{\partial E_n}{\partial a_k^{(2)}}',
  '\delta_j^{(1)} = \frac{\partial E_n}{\partial a_j^{(1)}}',
]
[[claim]]
name = "hidden"
latex = '\delta_j^{(1)} = \Big(1 - \Big(z_j^{(1)}\Big)^2\Big) \sum_k w_{kj}^{(2)} \delta_k^{(2)}'
[[claim]]
name = "hidden-transposed"
latex = '\delta_j^{(1)} = \Big(1 - \Big(z_j^{(1)}\Big)^2\Big) \sum_k w_{jk}^{(2)} \delta_k^{(2)}'
"""


def test_a_subscript_its_definition_never_uses_labels_the_quantity():
    r = result(BISHOP, "hidden")
    assert r.verdict == "holds", r
    assert any("E_{n} read as one name" in x for x in r.readings)
    assert verdict(BISHOP, "hidden-transposed") == "fails"


# -- code-style names (W1, h1, W2_{11}), double signs, empty braces, units given one by one ----
CODE_NAMES = r"""
define = [
  'M_1 = X_1 \mathit{W1}_{11} + X_2 \mathit{W1}_{21}',
  'M_2 = X_1 \mathit{W1}_{12} + X_2 \mathit{W1}_{22}',
  '\mathit{h1}_n = \max(0, M_n)',
  's = \mathit{h1_1} \mathit{W2_{11}} + \mathit{h1_2} \mathit{W2_{21}}',
  'loss = -(s) + -(-\log{(s)})',
]
[values]
X_1 = 16
X_2 = -6
'\mathit{W1}_{11}' = 0.18
'\mathit{W1}_{12}' = 0.04
'\mathit{W1}_{21}' = 0.1
'\mathit{W1}_{22}' = 0.22
[[claim]]
name = "expanded"
latex = '\frac{\partial{loss}}{\partial{\mathit{W2_{11}}}} = \frac{\partial{loss}}{\partial{s}} \frac{\partial{}}{\partial{\mathit{W2_{11}}}}(\mathit{h1_1} \mathit{W2_{11}} + \mathit{h1_2} \mathit{W2_{21}})'
[[claim]]
name = "M1"
latex = 'M_1 = 2.28'
[[claim]]
name = "relu-chain"
latex = '\frac{\partial{s}}{\partial{M_n}} = \frac{\partial{s}}{\partial{\mathit{h1}_n}} \frac{\partial{\mathit{h1}_n}}{\partial{M_n}}'
[[claim]]
name = "relu-chain-wrong"
latex = '\frac{\partial{s}}{\partial{M_n}} = \frac{\partial{s}}{\partial{\mathit{h1}_n}}'
"""


def test_code_style_names_and_double_signs():
    assert verdict(CODE_NAMES, "expanded") == "holds", result(CODE_NAMES, "expanded")
    assert verdict(CODE_NAMES, "M1") == "holds"


def test_a_free_unit_runs_over_the_units_the_definitions_give():
    r = result(CODE_NAMES, "relu-chain")
    assert r.verdict == "holds" and r.instances == 2, r
    assert verdict(CODE_NAMES, "relu-chain-wrong") == "fails"


def test_a_letter_and_a_number_with_a_space_stay_a_product():
    case = r"""
    define = ['q = x 2']
    [[claim]]
    name = "product"
    latex = '\frac{\partial q}{\partial x} = 2'
    """
    assert verdict(case, "product") == "holds"


# -- placeholders, a one-unit layer, a layer's own activation written g^l or g^{'(l)} ----------
def test_an_argument_placeholder_and_a_one_unit_layer():
    case = r"""
    layers = [[1, 1]]
    define = ['z^{(L)}=w^{(L)}a^{(L-1)}+b^{(L)}', 'a^{(L)}=\sigma(z^{(L)})',
              'C_0(...)=( a^{(L)}-y)^2']
    [[claim]]
    name = "bias"
    latex = '''\frac{ \partial C_0 }{ \partial b^{(L)} } = 2( a^{(L)}-y) \sigma' (z^{(L)}) \times 1'''
    [[claim]]
    name = "ellipsis-elsewhere"
    latex = 'C_0 = a_1 + \ldots'
    """
    assert verdict(case, "bias") == "holds", result(case, "bias")
    r = result(case, "ellipsis-elsewhere")
    assert r.verdict == "error" and "ellipsis" in r.error


LAYER_ACTIVATION = r"""
layers = [[2, 3, 2], [3, 2, 2, 1]]
first_layer = 0
define = [
  'z^l = W^l a^{l-1} + b^l', 'a^l = g^l(z^l)', '\mathcal{L} = \frac{1}{2} \| a^L - y \|^2',
  'da^l = \frac{\partial \mathcal{L}}{\partial a^l}', 'dz^l = \frac{\partial \mathcal{L}}{\partial z^l}',
]
[[claim]]
name = "prime-first"
latex = '''dz^l= da^l*g'^l(z^l)'''
[[claim]]
name = "prime-inside"
latex = '''dz^l= da^l*g^{'(l)}(z^l)'''
[[claim]]
name = "prime-after"
latex = '''dz^l= da^l*g^{l\prime}(z^l)'''
[[claim]]
name = "no-prime"
latex = '''dz^l= da^l*g^l(z^l)'''
"""


def test_a_layers_own_activation_with_its_prime_anywhere():
    for name in ("prime-first", "prime-inside", "prime-after"):
        assert verdict(LAYER_ACTIVATION, name) == "holds", result(LAYER_ACTIVATION, name)
    r = result(LAYER_ACTIVATION, "no-prime")
    assert r.verdict == "fails" and "missing" in r.diagnosis


# -- \pdv, a width defined by a name, \ell, a typo below a derivative -------------------------
LFD = r"""
layers = [[2, 3, 1], [3, 2, 2, 1]]
first_layer = 0
define = [
  'd^{(\ell)} = n_\ell', 'x_0^{(\ell)} = 1',
  'S_j^{(\ell)} = \sum_{i=0}^{d^{(\ell -1 )}} w_{ij}^{(\ell)} x_i^{(\ell -1)}',
  'x_j^{(\ell)} = g\left(S_j^{(\ell)}\right)',
  'e(w) = \frac{1}{2}\left( g(S_1^{(L)}) - y \right)^2',
  '\delta_j^{(\ell)} = \frac{\partial e}{\partial S_j^{(\ell)}}',
]
[[claim]]
name = "weight"
latex = '\pdv{e(w)}{w_{ij}^{(\ell)}} = \pdv{e(w)}{S_j^{(\ell)}}\times\pdv{S_j^{(\ell)}}{w_{ij}^{(\ell)}} = \delta_j^{(\ell)} x_{i}^{(\ell -1)}'
[[claim]]
name = "operator"
latex = '\pdv{e(w)}{S_1^{(L)}} = \pdv{}{S_1^{(L)}} \left [ \frac{1}{2}\left( g(S_1^{(L)}) - y \right)^2 \right ]'
[[claim]]
name = "weight-indices-swapped"
latex = '\pdv{e(w)}{w_{ij}^{(\ell)}} = \delta_i^{(\ell)} x_{j}^{(\ell -1)}'
[[claim]]
name = "typo-below"
latex = '\delta_{i}^{(\ell - 1)} = \pdv{e(w)}{s_i^{\ell -1 }}'
where = '2 \le \ell \le L, 1 \le i'
[[claim]]
name = "typo-elsewhere"
latex = '\delta_{i}^{(\ell - 1)} = s_i^{\ell -1 }'
where = '2 \le \ell \le L, 1 \le i'
"""


def test_physics_derivative_macros_and_a_width_named_by_a_definition():
    for name in ("weight", "operator"):
        assert verdict(LFD, name) == "holds", result(LFD, name)
    assert verdict(LFD, "weight-indices-swapped") == "fails"


def test_a_name_nothing_gives_below_a_derivative_refutes_but_never_proves():
    r = result(LFD, "typo-below")
    assert r.verdict == "fails" and any("derivative by it is 0" in x for x in r.readings), r
    r = result(LFD, "typo-elsewhere")
    assert r.verdict == "error" and "s is not defined" in r.error


def test_operators_in_a_row_compose_and_ln_in_plain_letters():
    case = r"""
    define = ['h = w_1x_1 + w_2x_2 + w_3', '\hat{y} = \sigma(h)',
              'E = -y ln \hat{y} - (1-y) ln (1-\hat{y})', '\sigma(t) = \frac{1}{1 + e^{-t}}']
    [[claim]]
    name = "composed"
    latex = '\frac{\partial}{\partial \hat{y}} \frac{\partial}{\partial h} \hat{y} \frac{\partial}{\partial w_1} h = 0'
    [[claim]]
    name = "result"
    latex = '\frac{\partial}{\partial w_1} E = -(y - \hat{y}) x_1'
    """
    assert verdict(case, "composed") == "holds"
    assert any("compose" in x for x in result(case, "composed").readings)
    assert verdict(case, "result") == "holds"


def test_a_first_layer_quantity_read_there_and_given_nowhere_is_free():
    case = r"""
    layers = [[3, 2], [2, 2]]
    define = ['a^{[1]}_i = g^{[1]}(z^{[1]}_i)', 'z^{[2]}_j = b^{[2]}_j + \sum_i W_{ij}^{[2]} a_i^{[1]}',
              'a^{[2]}_j = g^{[2]}(z^{[2]}_j)', 'J = \frac{1}{2} \sum_j (a^{[2]}_j - y_j)^2']
    [[claim]]
    name = "chain"
    latex = '\frac{\partial J}{\partial a_i^{[1]}} = \sum_j \frac{\partial J}{\partial z_j^{[2]}} W_{ij}^{[2]}'
    [[claim]]
    name = "chain-nielsen-order"
    latex = '\frac{\partial J}{\partial a_i^{[1]}} = \sum_j \frac{\partial J}{\partial z_j^{[2]}} W_{ji}^{[2]}'
    """
    assert verdict(case, "chain") == "holds", result(case, "chain")
    assert verdict(case, "chain-nielsen-order") == "fails"


# -- units numbered from 0 (\sum_{j=0}^{n-1}, no bias unit), \textbf vectors, a bare \top -------
ZERO_BASED = r"""
layers = [[2, 3, 2], [3, 2, 2]]
first_layer = 0
define = [
  'n = n_L', 'z^{(l)} = w^{(l)} a^{(l-1)} + b^{(l)}', 'a^{(l)} = \sigma(z^{(l)})',
  'c_{0} = \sum_{j=0}^{n-1} (a_{j}^{(L)}-y_{j})^2',
  '\delta^{(l)}_{j} = \frac{\partial c_{0}}{\partial z_{j}^{(l)}}',
]
[[claim]]
name = "sum"
latex = '''\frac{\partial c_{0}}{\partial a_{k}^{(L-1)}} = \sum_{i=0}^{n-1} \delta^{(L)}_{i}w_{ik}^{(L)}'''
[[claim]]
name = "sum-missing-last"
latex = '''\frac{\partial c_{0}}{\partial a_{k}^{(L-1)}} = \sum_{i=0}^{n-2} \delta^{(L)}_{i}w_{ik}^{(L)}'''
[[claim]]
name = "first-unit"
latex = '''\frac{\partial c_{0}}{\partial a_{0}^{(L)}} = 2(a_{0}^{(L)}-y_{0})'''
[[claim]]
name = "outer"
latex = '\frac{\partial \textbf{c}_0}{\partial \textbf{w}^{(L)}} = \boldsymbol{\delta}^{(L)} \cdot \textbf{a}^{(L-1)}\top'
"""


def test_units_numbered_from_zero():
    assert verdict(ZERO_BASED, "sum") == "holds", result(ZERO_BASED, "sum")
    assert any("numbered from 0" in x for x in result(ZERO_BASED, "sum").readings)
    assert verdict(ZERO_BASED, "sum-missing-last") == "fails"
    assert verdict(ZERO_BASED, "first-unit") == "holds"


def test_bold_text_vectors_and_a_transpose_without_its_caret():
    r = result(ZERO_BASED, "outer")
    assert r.verdict == "holds", r
    assert any("transpose" in x for x in r.readings)


# -- row vectors (u^l = h^{l-1} W^l + b^l), sets of downstream units, \sum_{i \neq k} ----------
ROWS = r"""
layers = [[2, 3, 2], [3, 2, 2]]
first_layer = 0
sets = { '\mathcal{D}_j' = "next" }
define = [
  'h^0 = \mathbf{x}', 'u^l = h^{l-1}W^l + b^l', 'h^l = \phi(u^l)',
  'E = \frac{1}{2} \lVert t - h^L \rVert^2', '\delta_j^l = \frac{\partial E}{\partial u_j^l}',
]
[[claim]]
name = "weights"
latex = '\frac{\partial E}{\partial W^l} = (h^{l-1})^T \delta^l'
[[claim]]
name = "weights-column-habit"
latex = '\frac{\partial E}{\partial W^l} = \delta^l (h^{l-1})^T'
[[claim]]
name = "downstream"
latex = '\delta_j^l = \sum_{d\in\mathcal{D}_j} \delta_d^{l+1} W_{jd}^{l+1} \phi^{\prime}(u_j^l)'
where = '1 \le l \le L-1'
"""


def test_row_vectors_and_a_named_set_of_downstream_units():
    r = result(ROWS, "weights")
    assert r.verdict == "holds", r
    assert any("rows" in x for x in r.readings)
    assert verdict(ROWS, "weights-column-habit") == "fails"
    assert verdict(ROWS, "downstream") == "holds", result(ROWS, "downstream")


def test_a_sum_that_leaves_one_index_out_and_a_one_layer_file():
    case = r"""
    layers = [[3]]
    define = ['p_i = \frac{ \exp (o_i) }{\sum_j \exp(o_j) }', 'L = - \sum_i y_i \log p_i',
              'y_1 = 0', 'y_2 = 1', 'y_3 = 0']
    [[claim]]
    name = "split"
    latex = '\frac{\partial L}{\partial o_k} = - y_k (1 - p_k) + \sum_{i\neq k} y_i p_k = p_k - y_k'
    [[claim]]
    name = "split-wrong"
    latex = '\frac{\partial L}{\partial o_k} = - y_k (1 - p_k) + \sum_{i} y_i p_k'
    """
    assert verdict(case, "split") == "holds", result(case, "split")
    assert verdict(case, "split-wrong") == "fails"


# -- \underbrace labels, \text{...!}, y_j(n) for the value at example n ---------------------------
PORR = r"""
layers = [[2, 3, 2], [3, 2, 2]]
define = [
  'w_{ji} = \omega_{ji}', 'y_i(n) = \sum_j y_j(n) w_{ji}', 'e_i(n) = y_i(n) - d_i(n)',
  'E = \frac{1}{2} e^2',
]
[[claim]]
name = "chain"
latex = '\frac{\partial E}{\partial \omega_{kj}} = \underbrace{\frac{\partial E}{\partial y_j}}_\textrm{trick!} \frac{\partial y_j}{\partial \omega_{kj}}'
[[claim]]
name = "sign"
latex = '\frac{\partial E}{\partial \omega_{kj}} = - \left( \sum_i e_i \omega_{ji} \right) \underbrace{\frac{\partial \left(\sum_k y_k(n) w_{kj}\right)}{\partial \omega_{kj}}}_{y_k}'
"""


def test_underbrace_labels_are_annotations_and_y_of_n_is_at_example_n():
    r = result(PORR, "chain")
    assert r.verdict == "holds", r
    assert any("annotation" in x for x in r.readings)
    r = result(PORR, "sign")
    assert r.verdict == "fails" and "sign" in r.diagnosis, r
    assert any("n counts the training examples" in x for x in r.readings)


# -- index letters that name layers, Σ as the sum sign, per-unit activations, x_{ji} = o_i -----
CLEVER = r"""
layers = [[2, 3, 2], [3, 2, 4, 2]]
define = [
  'z_j = b_j + \sum_i a_i w_{ij}', 'a_j=g_j(z_j)', 'K = n_L',
  'E = \frac{1}{2} \sum_{k=1}^K(a_k - t_k)^2',
  '''\delta_k = (a_k - t_k)g_k'(z_k)''',
  '''\delta_j = g'_j(z_j) \sum_{k} \delta_k w_{jk}''',
]
[[claim]]
name = "output"
latex = '\frac{\partial E }{\partial w_{jk}} = \color{red}{\delta_k}\color{green}{a_j}'
[[claim]]
name = "hidden"
latex = '\frac{\partial E }{\partial w_{ij}} = \delta_j a_i'
[[claim]]
name = "hidden-bias-typo"
latex = '\frac{\partial E }{\partial b_i} = \delta_j'
"""


def test_index_letters_that_name_layers():
    for name in ("output", "hidden"):
        r = result(CLEVER, name)
        assert r.verdict == "holds", r
    assert any("activation g of unit" in x for x in result(CLEVER, "hidden").readings)
    assert verdict(CLEVER, "hidden-bias-typo") == "fails"


MITCHELL = r"""
layers = [[2, 3, 2], [3, 4, 2]]
sets = { outputs = "output", Downstream = "next" }
define = [
  '\sigma(y) = \frac{1}{1+e^{-y}}', 'x_{ji} = o_i', 'net_j = \Sigma_i w_{ji}x_{ji}',
  'o_j = \sigma(net_j)', 'E_d = \frac{1}{2} \Sigma_{k \in outputs} (t_k-o_k)^2',
  '\delta_n = -\frac{\partial E_d}{\partial net_n}',
]
[[claim]]
name = "output-term"
latex = '\delta_k = o_k(1-o_k)(t_k-o_k)'
[[claim]]
name = "hidden-term"
latex = '\delta_h = o_h(1-o_h) \Sigma_{k \in outputs} w_{kh} \delta_k'
[[claim]]
name = "hidden-term-downstream"
latex = '\delta_h = o_h(1-o_h) \Sigma_{k \in Downstream(h)} w_{kh} \delta_k'
[[claim]]
name = "output-term-sign"
latex = '\delta_k = o_k(1-o_k)(o_k-t_k)'
"""


def test_mitchell_sigma_sums_word_sets_and_inputs_x_ji():
    for name in ("output-term", "hidden-term", "hidden-term-downstream"):
        r = result(MITCHELL, name)
        assert r.verdict == "holds", r
    assert any("sum sign" in x for x in result(MITCHELL, "hidden-term").readings)
    r = result(MITCHELL, "output-term-sign")
    assert r.verdict == "fails" and "sign" in r.diagnosis


# -- a worked example: o_{j=1} as unit 1, a rounded result compared to its own printed digits ----
WORKED_EXAMPLE = r"""
define = [
  's_{11} = -e_1 \cdot \mathrm{sigmoid}(w_{11} o_{j=1} + w_{21} o_{j=2}) \cdot (1 - \mathrm{sigmoid}(w_{11} o_{j=1} + w_{21} o_{j=2})) \cdot o_{j=1}',
]
values = { e_1 = 1.5, 'w_{11}' = 2.0, 'w_{21}' = 3.0, 'o_{j=1}' = 0.4, 'o_{j=2}' = 0.5 }
[[claim]]
name = "slope"
latex = 's_{11} = -0.04969'
[[claim]]
name = "slope-unsigned"
latex = 's_{11} = 0.04969'
[[claim]]
name = "change"
latex = '0.1 \times 0.04969 = 0.005'
[[claim]]
name = "change-too-coarse"
latex = '0.1 \times 0.04969 = 0.004'
[[claim]]
name = "both-printed"
latex = '0.298 = 0.29837'
"""


def test_a_subscript_that_names_its_index_and_a_result_rounded_to_its_digits():
    slope = result(WORKED_EXAMPLE, "slope")
    assert slope.verdict == "holds", slope
    assert any("_{j=1} read as the unit 1" in x for x in slope.readings)
    assert verdict(WORKED_EXAMPLE, "slope-unsigned") == "fails"
    assert verdict(WORKED_EXAMPLE, "change") == "holds"           # 0.004969 is 0.005 to 3 places
    assert verdict(WORKED_EXAMPLE, "change-too-coarse") == "fails"
    assert verdict(WORKED_EXAMPLE, "both-printed") == "holds"      # the coarser side's digits


# -- a worked example's arithmetic written as a formula of numbers: \dfrac{1}{1+e^0} -------------
WORKED_FORMULA = r"""
define = [
  '\sigma(t) = \frac{1}{1 + e^{-t}}',
  'z = w_1 x_1 + w_2 x_2 + b',
  'a = \sigma(z)',
]
values = { x_1 = 1, x_2 = 2, w_1 = -0.5, w_2 = 0.1, b = 0.3 }
[[claim]]
name = "exact-number-formula"
latex = 'a = \sigma(z) = \dfrac{1}{1+e^0}'
[[claim]]
name = "wrong-number-formula"
latex = 'a = \sigma(z) = \dfrac{1}{1+e^1}'
[[claim]]
name = "symbolic-without-values"
latex = '\sigma(z) = \frac{1}{1 + e^{-z}}'
"""


def test_a_formula_of_numbers_is_the_worked_examples_arithmetic():
    """At the printed values z = 0, so σ(z) = 1/(1+e^0) exactly: a careful reader checks the
    worked example's link at its values, not as an identity in z (which it is not)."""
    assert verdict(WORKED_FORMULA, "exact-number-formula") == "holds"
    assert reads(WORKED_FORMULA, "exact-number-formula", "numeric claim at `values`")
    assert verdict(WORKED_FORMULA, "wrong-number-formula") == "fails"
    symbolic = result(WORKED_FORMULA, "symbolic-without-values")
    assert symbolic.verdict == "holds" and not any("numeric" in r for r in symbolic.readings)


# -- code-style integers: -1.0 / den^2 in a file without values ------------------------------------
CODE_DECIMALS = r"""
define = [
  'den = x^2 + 1',
  'invden = 1.0 / den',
  'f = y * invden',
  'dinvden = \frac{\partial f}{\partial invden}',
  'dden = \frac{\partial f}{\partial den}',
]
[[claim]]
name = "dden"
latex = 'dden = (-1.0 / (den^2)) * dinvden'
[[claim]]
name = "dden-sign"
latex = 'dden = (1.0 / (den^2)) * dinvden'
[[claim]]
name = "rounded"
latex = 'dden = -0.5 / (den^2) * dinvden'
"""


def test_integral_decimals_without_values_are_exact_numbers():
    """Staged code (CS231n) writes -1.0 for -1: without `values` the claim stays symbolic and
    says how it read the number; a non-integral decimal still needs `values`."""
    assert verdict(CODE_DECIMALS, "dden") == "holds"
    assert reads(CODE_DECIMALS, "dden", "-1.0 read as the exact number -1") or \
        reads(CODE_DECIMALS, "dden", "1.0 read as the exact number 1")
    assert verdict(CODE_DECIMALS, "dden-sign") == "fails"
    rounded = result(CODE_DECIMALS, "rounded")
    assert rounded.verdict == "error" and "values" in rounded.error


# -- Bishop's W^{(o)}: a label for the output layer's weights, beside W_{ji} without it -------------
BISHOP_LABEL = r"""
layers = [[2, 3, 2], [3, 4, 2]]
define = [
  'a_j = \sum_{i} W_{ji}z_i',
  'z_j = h(a_j)',
  'y_k = a_k',
  'E_n = \frac{1}{2}\sum_{k} (y_{k} - t_{k})^2',
  '\delta_j = \frac{\partial E_n}{\partial a_{j}}',
]
[[claim]]
name = "output-weights"
latex = '\frac{\partial E_n}{\partial W_{kj}^{(o)}} = \delta_k z_j'
[[claim]]
name = "output-weights-as-targets"
latex = '\frac{\partial E_n}{\partial W_{kj}^{(o)}} = (y_k - t_k) z_j'
[[claim]]
name = "output-weights-swapped"
latex = '\frac{\partial E_n}{\partial W_{kj}^{(o)}} = \delta_j z_k'
"""


def test_an_output_label_is_the_files_family_on_the_output_layer():
    """(o) names the output layer's W; the claim is checked there only, where δ_k = y_k - t_k."""
    holds = result(BISHOP_LABEL, "output-weights")
    assert holds.verdict == "holds" and holds.instances == 2 * 3 + 2 * 4, holds
    assert reads(BISHOP_LABEL, "output-weights", "read as W on the output layer")
    assert verdict(BISHOP_LABEL, "output-weights-as-targets") == "holds"   # true only there
    assert verdict(BISHOP_LABEL, "output-weights-swapped") == "fails"


# -- a sum printed by its terms, w_{j1} a_1 + w_{j2} a_2 + \cdots + w_{jn} a_n ------------------
TERM_RUNS = r"""
layers = [[2, 3, 2], [3, 2, 1]]
define = [
  'z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j',
  'a^l_j = \sigma(z^l_j)',
  'C \equiv \frac{1}{2} \sum_j (y_j - a^L_j)^2',
]
[[claim]]
name = "z by its terms"
latex = 'z^l_j = w^l_{j1} a^{l-1}_1 + w^l_{j2} a^{l-1}_2 + \cdots + w^l_{jn} a^{l-1}_n + b^l_j'
[[claim]]
name = "z by its terms without the bias"
latex = 'z^l_j = w^l_{j1} a^{l-1}_1 + \cdots + w^l_{jn} a^{l-1}_n'
[[claim]]
name = "cost by its terms"
latex = 'C = \frac{1}{2} (y_1 - a^L_1)^2 + \ldots + \frac{1}{2} (y_n - a^L_n)^2'
[[claim]]
name = "terms that are no run"
latex = 'C = \frac{1}{2} (y_1 - a^L_1)^2 + \ldots + \frac{1}{2} (y_n - a^L_n)^3'
[[claim]]
name = "derivative of a cost defined with equiv"
latex = '\frac{\partial C}{\partial a^L_j} \triangleq a^L_j - y_j'
"""


def test_a_sum_printed_by_its_terms_is_the_sum():
    assert verdict(TERM_RUNS, "z by its terms") == "holds"
    assert verdict(TERM_RUNS, "cost by its terms") == "holds"
    assert reads(TERM_RUNS, "z by its terms", r"\sum_{q=1}^{n}")
    wrong = result(TERM_RUNS, "z by its terms without the bias")
    assert wrong.verdict == "fails" and "b^{2}_{1}" in wrong.diagnosis


def test_terms_around_an_ellipsis_that_are_no_run_are_refused_at_the_ellipsis():
    bad = result(TERM_RUNS, "terms that are no run")
    assert bad.verdict == "error"
    assert "ellipsis" in bad.error and "column 35" in bad.error


def test_equiv_and_triangleq_define_and_state_equality():
    assert verdict(TERM_RUNS, "derivative of a cost defined with equiv") == "holds"


# -- the input layer defined as a whole vector: A^{[0]} = X ----------------------------------------
INPUT_AS_X = r"""
layers = [[2, 3, 2]]
first_layer = 0
define = [
  'A^{[0]} = X',
  'Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}',
  'A^{[l]} = g(Z^{[l]})',
  'J = \frac{1}{2} \|A^{[L]} - Y\|^2',
  'dZ^{[l]} = \frac{\partial J}{\partial Z^{[l]}}',
]
[[claim]]
name = "dW1"
latex = '\frac{\partial J}{\partial W^{[1]}} = dZ^{[1]} X^T'
[[claim]]
name = "dW1 with A0"
latex = '\frac{\partial J}{\partial W^{[1]}} = dZ^{[1]} A^{[0]T}'
[[claim]]
name = "dW1 untransposed"
latex = '\frac{\partial J}{\partial W^{[1]}} = dZ^{[1]} X'
"""


def test_an_input_layer_defined_as_a_vector_is_that_vector_entry_by_entry():
    """A^{[0]} = X: the entries of A^{[0]} are X's, not free inputs of their own (they were,
    and a true dW^{[1]} = dZ^{[1]} X^T failed with 'a factor A^{0}_1 is missing')."""
    assert verdict(INPUT_AS_X, "dW1") == "holds", result(INPUT_AS_X, "dW1")
    assert verdict(INPUT_AS_X, "dW1 with A0") == "holds"
    assert verdict(INPUT_AS_X, "dW1 untransposed") == "fails"


# -- Mitchell's linear unit: E[\vec{w}] \equiv ..., \Delta w_i beside w_i of a generic layer --------
LINEAR_UNIT = r"""
layers = [[3, 1]]
define = [
  'o_d = \sum_i w_i x_{i,d}',
  'E[\vec{w}] \equiv \frac{1}{2} \sum_{d \in D} (t_d - o_d)^2',
]
[[claim]]
name = "gradient"
latex = '\frac{\partial E}{\partial w_i} = \sum_{d \in D} (t_d - o_d)(-x_{i,d})'
[[claim]]
name = "step"
latex = '\Delta w_i = \eta \sum_{d \in D} (t_d - o_d) x_{i,d}'
[[claim]]
name = "step uphill"
latex = '\Delta w_i = -\eta \sum_{d \in D} (t_d - o_d) x_{i,d}'
"""


def test_a_step_lives_on_the_layer_of_its_weight_and_e_of_w_is_e():
    """E[\\vec{w}] is E, a function of w as Mitchell prints it; Δw_i is on w_i's layer (it was
    put on another, where E does not depend on it, and a true step failed as '0 × right')."""
    assert verdict(LINEAR_UNIT, "gradient") == "holds", result(LINEAR_UNIT, "gradient")
    assert verdict(LINEAR_UNIT, "step") == "holds", result(LINEAR_UNIT, "step")
    uphill = result(LINEAR_UNIT, "step uphill")
    assert uphill.verdict == "fails" and "sign" in uphill.diagnosis, uphill


def test_a_run_whose_last_letter_also_counts_examples_counts_units():
    """`w_1 x_1 + w_2 x_2 + \\cdots + w_n x_n` in a source that also writes `\\Delta w(n)` (n an
    iteration, read as an example): the earlier terms print units, so the run sums units."""
    import sympy as sp
    from symbp.notation import ast as A
    from symbp.notation.ellipsis import term_run

    def term(n):
        unit = A.Index(None, n) if isinstance(n, int) else None
        w = A.Ref(0, "w", None, (unit,)) if unit else \
            A.Ref(0, "w", None, (), A.Index(n, 0, A.Role.SAMPLE))
        x = A.Ref(0, "x", None, (unit if unit else A.Index(n, 0),))
        return A.Mul(0, (w, x))
    run = term_run([term(1), term(2)], term("n"), 0)
    assert run is not None and run.taken == 2 and run.total.lo.value == sp.Integer(1)
    w = run.total.body.factors[0]
    assert w.sample is None and w.indices == (A.Index(run.total.var, 0),)


# -- plain-text derivatives: δE_total/δw5, δ(E1 + E2)/δw5 (spreadsheet walkthroughs) ------------
DELTA_SLASH = r"""
define = [
  'h1 = w1 * i1 + w2 * i2',
  'a_{h1} = 1/(1+exp(-h1))',
  'o1 = w5 * a_{h1}',
  'o2 = w7 * a_{h1}',
  'a_{o1} = 1/(1+exp(-o1))',
  'a_{o2} = 1/(1+exp(-o2))',
  'E1 = 1/2 * (t1 - a_{o1})^2',
  'E2 = 1/2 * (t2 - a_{o2})^2',
  'E_{total} = E1 + E2',
]
[[claim]]
name = "chain"
latex = '\delta E_{total}/\delta w5 = \delta E1/\delta a_{o1} * \delta a_{o1}/\delta o1 * \delta o1/\delta w5'
[[claim]]
name = "sum"
latex = '\delta E_{total}/\delta w5 = \delta(E1 + E2)/\delta w5'
[[claim]]
name = "closed"
latex = '\delta E_{total}/\delta w5 = (a_{o1}-t1) * a_{o1}*(1-a_{o1}) * a_{h1}'
[[claim]]
name = "wrong-path"
latex = '\delta E_{total}/\delta w5 = \delta E1/\delta a_{h1} * \delta a_{h1}/\delta w5'
[[claim]]
name = "wrong-slope"
latex = '\delta E_{total}/\delta w5 = (a_{o1}-t1) * a_{h1}*(1-a_{h1}) * a_{h1}'
"""


def test_delta_slash_derivatives_hold():
    for name in ("chain", "sum", "closed"):
        assert verdict(DELTA_SLASH, name) == "holds", (name, result(DELTA_SLASH, name).error)
    assert reads(DELTA_SLASH, "closed", "δ…/δ… read as a derivative")


def test_delta_slash_derivatives_refute_wrong_steps():
    assert verdict(DELTA_SLASH, "wrong-path") == "fails"
    assert verdict(DELTA_SLASH, "wrong-slope") == "fails"


# -- a network printed unit by unit with word superscripts: y_j^{(in)}, concrete units, values --
UNIT_BY_UNIT = r"""
layers = [[2, 2, 2]]
define = [
  '\sigma(z) = (1 + e^{-z})^{-1}',
  'h_i = \sigma(\sum_k w_{k,i} x_k)',
  'y_j^{(\mathit{in})} = \sum_i v_{i,j} h_i',
  'y_j = \sigma(y_j^{(\mathit{in})})',
  'e_1 = y_1 - t_1',
  'e_2 = y_2 - t_2',
  'L = (y_1 - t_1)^2 + (y_2 - t_2)^2',
]
[values]
'x_1' = 3
'x_2' = 1
'w_{1,1}' = 6
'w_{2,1}' = -2
'w_{1,2}' = -3
'w_{2,2}' = 5
'v_{1,1}' = 1
'v_{2,1}' = 0.25
'v_{1,2}' = -2
'v_{2,2}' = 2
't_1' = 1
't_2' = 0
[[claim]]
name = "errors"
latex = 'L = e_1^2 + e_2^2'
[[claim]]
name = "grad-v"
latex = '\frac{\partial L}{\partial v_{i,j}} = 2 e_j y_j (1 - y_j) h_i'
[[claim]]
name = "grad-v-in"
latex = '\frac{\partial L}{\partial v_{i,j}} = \frac{\partial L}{\partial y_j^{(in)}} h_i'
[[claim]]
name = "grad-v-number"
latex = '\frac{\partial L}{\partial v_{2,1}} = -0.0018919280994576303'
tolerance = "rel 1e-12"
[[claim]]
name = "grad-v-wrong-unit"
latex = '\frac{\partial L}{\partial v_{i,j}} = 2 e_j y_j (1 - y_j) h_j'
where = 'i \ne j'
[[claim]]
name = "grad-w-number-wrong"
latex = '\frac{\partial L}{\partial w_{1,2}} = 0.0015'
"""


def test_word_superscripts_and_concrete_units_of_a_network_printed_unit_by_unit():
    for name in ("errors", "grad-v", "grad-v-in", "grad-v-number"):
        assert verdict(UNIT_BY_UNIT, name) == "holds", (name, result(UNIT_BY_UNIT, name).error)


def test_a_network_printed_unit_by_unit_refutes_wrong_steps():
    assert verdict(UNIT_BY_UNIT, "grad-v-wrong-unit") == "fails"
    assert verdict(UNIT_BY_UNIT, "grad-w-number-wrong") == "fails"


def test_superscript_words_are_labels_and_layers_stay_layers():
    from symbp.notation.lexicon import superscript_word
    from symbp.notation.parser import parse
    from symbp.notation.shapes import walk_syntax
    from symbp.notation import syntax as S

    def sup(text: str):
        atom = next(n for n in walk_syntax(parse(text)) if isinstance(n, S.Atom) and n.sup)
        return superscript_word(atom.sup)

    assert sup(r"y_j^{(\mathit{in})} = 0") == "in"
    assert sup(r"a^{\text{out}} = 0") == "out"
    assert sup(r"net^{hidden}_j = 0") == "hidden"
    for layer in (r"z^{(n_l)} = 0", r"z^{(l)} = 0", r"a^{(i)} = 0", r"W^T = 0", r"a^{l+1} = 0",
                  r"a^{[2]} = 0", r"x^{2} = 0"):
        assert sup(layer) is None, layer


# -- Bishop's §5.3 as a reader's notes print it: W^{(h)}, W^{(o)} label the two weight layers ----
BISHOP_LABELS = r"""
layers = [[2, 3, 2], [3, 2, 1]]
define = [
  'a_j = \sum_{i} W_{ji}z_i',
  'z_j = h(a_j)',
  'y_k = a_k',
  'E_n = \frac{1}{2}\sum_{k} (y_{k} - t_{k})^2',
  '\delta_j = \frac{\partial E_n}{\partial a_{j}}',
]
[[claim]]
name = "first-layer"
latex = '\frac{\partial E_n}{\partial W_{ji}^{(h)}} = \delta_j z_i'
[[claim]]
name = "second-layer"
latex = '\frac{\partial E_n}{\partial W_{kj}^{(o)}} = \delta_k z_j'
[[claim]]
name = "first-layer-no-input"
latex = '\frac{\partial E_n}{\partial W_{ji}^{(h)}} = \delta_j'
[[claim]]
name = "output-delta"
latex = '\delta_k = y_k - t_k'
"""


def test_hidden_and_output_labels_place_the_weights():
    for name in ("first-layer", "second-layer", "output-delta"):
        assert verdict(BISHOP_LABELS, name) == "holds", (name, result(BISHOP_LABELS, name).error)
    assert reads(BISHOP_LABELS, "first-layer", "the hidden layer below the output")
    assert verdict(BISHOP_LABELS, "first-layer-no-input") == "fails"


CODE_STYLE = r"""
define = [
  'x1 = input \times w1 + b1',
  'y1 = \log(1 + e^{x1})',
  'predicted = y1 * w3 + b3',
  'SSR = (observed - predicted)^2',
]
[[claim]]
name = "chain"
latex = 'dSSR/dw3 = dSSR/d(predicted) * d(predicted)/dw3'
[[claim]]
name = "outer"
latex = 'dSSR/d(predicted) = 2 * (observed - predicted) * -1'
[[claim]]
name = "outer-sign"
latex = 'dSSR/d(predicted) = 2 * (predicted - observed) * -1'
[[claim]]
name = "expression"
latex = 'd(predicted)/dw3 = d(y1 * w3 + b3)/dw3 = y1'
"""


def test_code_style_derivatives_of_a_bracketed_name_and_a_negative_factor():
    """`dSSR/d(predicted)` is the derivative by predicted (it had been read as SSR·predicted),
    and `* -1` after an explicit product is the factor (-1)."""
    for name in ("chain", "outer", "expression"):
        r = result(CODE_STYLE, name)
        assert r.verdict == "holds", (name, r.error, r.diagnosis)
    r = result(CODE_STYLE, "outer-sign")
    assert r.verdict == "fails" and "sign" in r.diagnosis


def test_a_slash_derivative_by_a_bracketed_expression_is_refused_not_multiplied():
    text = "define = ['p = a * w + b', 'E = (t - p)^2']\n[[claim]]\nlatex = 'dE/d(a w) = 2 (p - t)'\n"
    r = check_text(text, "slash.toml")[0]
    assert r.verdict == "error" and "one name" in r.error


MITCHELL_SETS = r"""
layers = [[2, 3, 2]]
define = [
  '\sigma(y) = \frac{1}{1+e^{-y}}',
  'x_{ji} = o_i',
  'net_j = \Sigma_i w_{ji} x_{ji}',
  'o_j = \sigma(net_j)',
  'E_d = \frac{1}{2} \Sigma_{k \in outputs} (t_k - o_k)^2',
  '\delta_n = -\frac{\partial E_d}{\partial net_n}',
]
[[claim]]
name = "hidden"
latex = '\delta_h = o_h(1-o_h) \Sigma_{k \in outputs} w_{kh} \delta_k'
where = 'h \le 3'
[[claim]]
name = "downstream"
latex = '\delta_r = o_r(1-o_r) \Sigma_{s \in Downstream(r)} w_{sr} \delta_s'
where = 'r \le 3'
[[claim]]
name = "hidden-no-slope"
latex = '\delta_h = \Sigma_{k \in outputs} w_{kh} \delta_k'
where = 'h \le 3'
"""


def test_mitchells_outputs_and_downstream_sets_without_a_sets_table():
    for name in ("hidden", "downstream"):
        r = result(MITCHELL_SETS, name)
        assert r.verdict == "holds", (name, r.error, r.diagnosis)
        assert any("read as the sum over the units of the" in x for x in r.readings)
    assert result(MITCHELL_SETS, "hidden-no-slope").verdict == "fails"


def test_a_leibniz_d_before_a_defined_two_letter_name_is_no_word():
    """`dET/dw5` with ET defined: the derivative of ET, not a name 'dET' divided by d·w5."""
    text = r"""
define = ['o1 = w5 * h1', 'a1 = 1/(1+\exp(-o1))', 'E1 = 1/2*(t1-a1)^2', 'ET = E1 + E2',
          'E2 = 1/2*(t2-h1)^2']
[[claim]]
name = "w5"
latex = 'dET/dw5 = (a1-t1)*a1*(1-a1)*h1'
[[claim]]
name = "w5-sign"
latex = 'dET/dw5 = (t1-a1)*a1*(1-a1)*h1'
"""
    results = {r.name: r for r in check_text(text, "d.toml")}
    assert results["w5"].verdict == "holds", results["w5"]
    assert results["w5-sign"].verdict == "fails"


# -- one neuron printed without layer scripts; one claim carries a case superscript ---------------
LOGISTIC_NEURON_WITH_A_CASE_CLAIM = r"""
layers = [[3, 1], [2, 1]]
define = ['z = b + \sum _i x_i w_i', 'y=\frac{1}{1+e^{-z}}', 'E =\frac{1}{2}(y-t)^2']
[[claim]]
name = "dz/dw"
latex = '\frac{\partial z}{\partial w_i} = x_i'
[[claim]]
name = "dz/dw-wrong"
latex = '\frac{\partial z}{\partial w_i} = w_i'
[[claim]]
name = "mixed-d"
latex = '\frac{d y}{\partial w_i} = x_i y(1-y)'
[[claim]]
name = "mixed-d-no-slope"
latex = '\frac{d E}{\partial w_i} = x_i (y-t)'
[[claim]]
name = "cases"
latex = '\frac{\partial E}{\partial w_i} = \sum_n x_i^n (y^n - t^n)'
"""


def test_a_claim_the_whole_files_reading_refuses_is_read_with_the_definitions_alone():
    """`x_i^n` in one claim makes x look layered for the whole file, which leaves the
    others' index i without a range; each of them is then read alone, and says so."""
    r = result(LOGISTIC_NEURON_WITH_A_CASE_CLAIM, "dz/dw")
    assert r.verdict == "holds", r.error
    assert any("this claim alone" in x for x in r.readings)
    assert verdict(LOGISTIC_NEURON_WITH_A_CASE_CLAIM, "dz/dw-wrong") == "fails"


def test_a_mixed_d_over_partial_is_one_derivative():
    r = result(LOGISTIC_NEURON_WITH_A_CASE_CLAIM, "mixed-d")
    assert r.verdict == "holds", r.error
    assert any("mixed" in x for x in r.readings)
    wrong = result(LOGISTIC_NEURON_WITH_A_CASE_CLAIM, "mixed-d-no-slope")
    assert wrong.verdict == "fails" and wrong.counterexample


# -- Mitchell's x_{ji}, "the i-th input to unit j", left undefined ------------------------------
MITCHELL_INPUTS = r"""
layers = [[2, 3, 2], [2, 2, 3, 2]]
cost = 'E_d'
define = [
  '\sigma(y) = \frac{1}{1+e^{-y}}',
  'net_j = \Sigma_i w_{ji}x_{ji}',
  'o_j = \sigma(net_j)',
  'E_d(\overrightarrow{w}) \equiv \frac{1}{2} \Sigma_{k \in outputs} (t_k-o_k)^2',
  '\delta_n = -\frac{\partial E_d}{\partial net_n}',
]
[[claim]]
name = "hidden"
latex = '\delta_h = o_h(1-o_h) \Sigma_{k \in  outputs} w_{kh} \delta_k'
[[claim]]
name = "update"
latex = '\Delta w_{ji} = \eta \delta_j x_{ji}'
[[claim]]
name = "output-rule"
latex = '\Delta w_{ji} = -\eta \frac{\partial E_d}{\partial w_{ji}} = \eta (t_j-o_j) o_j(1-o_j) x_{ji}'
[[claim]]
name = "update-sign"
latex = '\Delta w_{ji} = -\eta \delta_j x_{ji}'
[[claim]]
name = "hidden-no-slope"
latex = '\delta_h = \Sigma_{k \in  outputs} w_{kh} \delta_k'
"""


def test_mitchells_undefined_inputs_x_ji_are_the_outputs_of_the_layer_before():
    for name in ("hidden", "update", "output-rule"):
        r = result(MITCHELL_INPUTS, name)
        assert r.verdict == "holds", (name, r.error, r.counterexample_text)
    assert any("x_{ji} = o_i" in x for x in result(MITCHELL_INPUTS, "update").readings)
    assert "sign" in result(MITCHELL_INPUTS, "update-sign").diagnosis
    assert verdict(MITCHELL_INPUTS, "hidden-no-slope") == "fails"


# -- a class count printed as a sum's bound over a vector defined whole ------------------------
CLASS_COUNT = r"""
layers = [[2, 3, 2], [3, 2, 3, 2]]
first_layer = 0
define = [
  'a^{[0]} = x',
  'z^{[\ell]} = W^{[\ell]} a^{[\ell - 1]} + b^{[\ell]}',
  'a^{[\ell]} = \sigma(z^{[\ell]})',
  '\hat{y} = a^{[L]}',
  '\mathcal{L} = -\sum_{i=1}^{C} y_i \log(\hat{y}_i)',
  '\delta^{[\ell]} = \frac{\partial \mathcal{L}}{\partial z^{[\ell]}}',
]
[[claim]]
name = "output"
latex = '''\delta^{[L]} = \nabla_{a^{[L]}} \mathcal{L} \odot \sigma'(z^{[L]})'''
[[claim]]
name = "output-entry"
latex = '''\delta^{[L]}_j = -\frac{y_j}{\hat{y}_j} \sigma'(z^{[L]}_j)'''
[[claim]]
name = "output-no-slope"
latex = '\delta^{[L]} = \nabla_{a^{[L]}} \mathcal{L}'
"""


def test_an_unnamed_sum_bound_over_a_vector_defined_whole_is_its_length():
    """`\\sum_{i=1}^{C} y_i \\log(\\hat{y}_i)` with `\\hat{y} = a^{[L]}`: C is the number of
    entries of ŷ, the output layer's width."""
    for name in ("output", "output-entry"):
        r = result(CLASS_COUNT, name)
        assert r.verdict == "holds", (name, r.error)
    assert verdict(CLASS_COUNT, "output-no-slope") == "fails"


# -- a hat printed over a subscripted name, braces printed as \lbrace … \rbrace -----------------
HAT_OVER_SUBSCRIPT = r"""
layers = [[2, 3, 2], [3, 2, 3]]
define = [
  '\sigma(x) = \frac{1}{1+e^{-x}}',
  'h_j = \sigma( \sum_i x_i w_{ij} - \beta_j )',
  '\hat{y_k} = \sigma\left\lbrace \sum_j h_j v_{jk} - \lambda_k \right\rbrace',
  'Loss = \frac{1}{2}\sum_k ( y_k - \hat{y_k} )^2',
]
[[claim]]
name = "output-bias"
latex = '\frac{\partial Loss}{\partial \lambda_k} = (y_k - \hat{y}_k) \hat{y_k} (1 - \hat{y_k})'
[[claim]]
name = "hidden-weight"
latex = '\frac{\partial Loss}{\partial w_{ij}} = -\sum_k \{ y_k - \hat{y_k} \} \hat{y_k} ( 1 - \hat{y_k} ) v_{jk} h_j ( 1 - h_j ) x_i'
[[claim]]
name = "output-bias-sign"
latex = '\frac{\partial Loss}{\partial \lambda_k} = (\hat{y_k} - y_k) \hat{y_k} (1 - \hat{y_k})'
"""


def test_a_hat_over_a_subscripted_name_and_braces_as_brackets():
    """`\\hat{y_k}` is `\\hat{y}_k`; `\\left\\lbrace … \\right\\rbrace` and `\\{ … \\}` group."""
    for name in ("output-bias", "hidden-weight"):
        r = result(HAT_OVER_SUBSCRIPT, name)
        assert r.verdict == "holds", (name, r.error)
    assert "sign" in result(HAT_OVER_SUBSCRIPT, "output-bias-sign").diagnosis


# -- one neuron per layer, layers as subscripts counted back from L, products printed with * -----
CHAIN_OF_NEURONS = r"""
layers = [[1, 1, 1]]
define = [
  'Co = (a_L - y)^2',
  'z_L = w_L*a_{L-1}',
  'a_L = \sigma(z_L)',
  'z_{L-1} = w_{L-1}*a_{L-2}',
  'a_{L-1} = \sigma(z_{L-1})',
]
[[claim]]
name = "last"
latex = '''\frac{dCo}{dw_L} = a_{L-1} * \sigma'(z_L) * 2*(a_L - y)'''
[[claim]]
name = "before-last"
latex = '''\frac{dCo}{dw_{L-1}} = a_{L-2} \sigma'(z_{L-1}) w_L \sigma'(z_L) 2(a_L - y)'''
[[claim]]
name = "last-sign"
latex = '''\frac{dCo}{dw_L} = a_{L-1} * \sigma'(z_L) * 2*(y - a_L)'''
[[claim]]
name = "before-last-no-w"
latex = '''\frac{dCo}{dw_{L-1}} = a_{L-2} \sigma'(z_{L-1}) \sigma'(z_L) 2(a_L - y)'''
"""


def test_one_neuron_per_layer_with_layers_counted_back_from_L():
    for name in ("last", "before-last"):
        r = result(CHAIN_OF_NEURONS, name)
        assert r.verdict == "holds", (name, r.error)
    assert "sign" in result(CHAIN_OF_NEURONS, "last-sign").diagnosis
    assert verdict(CHAIN_OF_NEURONS, "before-last-no-w") == "fails"


# -- a loss left generic by its own name, W^l transposed in the forward pass, {f^L}' -------------
GENERIC_OWN_LOSS = r"""
layers = [[3, 2, 1], [2, 3, 2, 1]]
first_layer = 0
define = [
  'Z^l = (W^l)^\top A^{l-1} + W_0^l',
  'A^l = f^l(Z^l)',
  'A^0 = x',
  'g = A^L',
  '\mathcal{L} = \mathcal{L}(g,y)',
]
[[claim]]
name = "output"
latex = '''\frac{\partial \mathcal{L}}{\partial Z^L} = {f^L}'(Z^L) \frac{\partial \mathcal{L}}{\partial g}'''
[[claim]]
name = "weights"
latex = '\frac{\partial \mathcal{L}}{\partial W^L} = A^{L-1}\Big(\frac{\partial \mathcal{L}}{\partial Z^L}\Big)^\top'
[[claim]]
name = "output-no-slope"
latex = '''\frac{\partial \mathcal{L}}{\partial Z^L} = \frac{\partial \mathcal{L}}{\partial g}'''
[[claim]]
name = "weights-swapped"
latex = '\frac{\partial \mathcal{L}}{\partial W^L} = \frac{\partial \mathcal{L}}{\partial Z^L} (A^{L-1})^\top'
"""


def test_a_loss_defined_as_its_own_generic_function_and_a_braced_name_with_a_prime():
    """`\\mathcal{L} = \\mathcal{L}(g, y)` is the generic loss at (g, y), not a cycle;
    `{f^L}'` is f^L with its prime."""
    for name in ("output", "weights"):
        r = result(GENERIC_OWN_LOSS, name)
        assert r.verdict == "holds", (name, r.error)
    assert any("generic function of 2 arguments" in x
               for x in result(GENERIC_OWN_LOSS, "output").readings)
    for name in ("output-no-slope", "weights-swapped"):
        assert verdict(GENERIC_OWN_LOSS, name) == "fails", name


# -- a weight printed with a prime in a worked example: the weight after one step ---------------
PRIMED_STEP = r"""
define = ['z = w_1 x_1 + w_2 x_2', 'a = \frac{1}{1+e^{-z}}', 'L = (y - a)^2']
values = { 'x_1' = 0.5, 'x_2' = 0.3, 'w_1' = 0.3, 'w_2' = 0.2, 'y' = 0.7, '\eta' = 0.1 }
[[claim]]
name = "symbolic"
latex = '''w_1' = w_1 - \eta \frac{\partial L}{\partial w_1}'''
[[claim]]
name = "number"
latex = '''w_1' = 0.3037'''
[[claim]]
name = "number-ascent"
latex = '''w_1' = 0.2963'''
"""


def test_a_parameter_printed_with_a_prime_is_that_parameter_after_one_step():
    for name in ("symbolic", "number"):
        r = result(PRIMED_STEP, name)
        assert r.verdict == "holds", (name, r.error, r.counterexample_text)
    assert verdict(PRIMED_STEP, "number-ascent") == "fails"


# -- index letters naming layers where the hidden letter is tied to no other ---------------------
LETTERS_UNTIED = r"""
layers = [[2, 3, 2], [3, 2, 3]]
define = [
  'f(x) = \frac{1}{1+\exp(-x)}',
  'u_j = \sum_{p=1}^{l} y_p w_{pj} + b_j',
  'y_j = f(u_j)',
  'u_k = \sum_{q=1}^{m} y_q w_{qk} + b_k',
  'y_k = u_k',
  'E = \frac{1}{2} \sum_{k}(y_k-t_k)^2',
  '\delta_{k} = \frac{\partial E}{\partial u_k}',
  '\delta_{j} = \frac{\partial E}{\partial u_j}',
]
[[claim]]
name = "hidden"
latex = '\delta_{j} = \frac{\partial E}{\partial y_j}(1-y_j)y_j'
[[claim]]
name = "output"
latex = '\delta_{k} = y_k-t_k'
[[claim]]
name = "hidden-no-slope"
latex = '\delta_{j} = \frac{\partial E}{\partial y_j}'
"""


def test_a_letter_a_family_is_defined_with_beside_the_output_letter_is_the_layer_before():
    """`y_k = u_k` (k the output layer) beside `y_j = f(u_j)`, no definition relating j to k:
    j is the layer before the output, never the output layer itself."""
    for name in ("hidden", "output"):
        r = result(LETTERS_UNTIED, name)
        assert r.verdict == "holds", (name, r.error, r.counterexample_text)
    assert verdict(LETTERS_UNTIED, "hidden-no-slope") == "fails"


# -- a claim's σ'^l where the definitions give each layer's activation ---------------------------
LAYER_ACTIVATIONS = r"""
layers = [[2, 3, 1]]
first_layer = 0
define = [
  '\text{ReLU}(t) = \max(0, t)',
  'z^1 = W^1 x + b^1',
  'a^1 = \text{ReLU}(z^1)',
  'z^2 = W^2 a^1 + b^2',
  'a^2 = \tanh(z^2)',
  'L = \frac{1}{2}(a^2 - y)^2',
  '\delta^l = \frac{\partial L}{\partial z^l}',
]
[[claim]]
name = "recursion"
latex = '''\delta^l = (W^{l+1})^T \delta^{l+1} \odot \sigma'^l(z^l)'''
[[claim]]
name = "recursion-no-slope"
latex = '''\delta^l = (W^{l+1})^T \delta^{l+1}'''
"""


def test_a_layer_scripted_activation_in_a_claim_is_the_one_the_definitions_apply_there():
    r = result(LAYER_ACTIVATIONS, "recursion")
    assert r.verdict == "holds", (r.error, r.counterexample_text)
    assert any("activation as the definitions give it" in x for x in r.readings)
    assert verdict(LAYER_ACTIVATIONS, "recursion-no-slope") == "fails"


# -- Hagan: the output a = a^M, no 1/2 in the performance index, Newton's dot for f' -------------
HAGAN = r"""
layers = [[2, 3, 2], [2, 2, 3, 2]]
first_layer = 0
define = [
  '\mathbf{a}^0 = \mathbf{p}',
  'n^m_i = \sum^{S^{m-1}}_{j=1} w^m_{i,j} a^{m-1}_{j} + b^m_i',
  'a^m_j = f^m(n^m_j)',
  '\mathbf{a} = \mathbf{a}^M',
  '\hat{F}(\mathbf{x}) = (\mathbf{t} - \mathbf{a})^T (\mathbf{t} - \mathbf{a})',
  's^m_i \equiv \frac{\partial \hat{F}}{\partial n^m_{i}}',
  '\dot{f}^m(n^m_j) = \frac{\partial f^m(n^m_j)}{\partial n^m_j}',
]
[[claim]]
name = "weights"
latex = '\frac{\partial \hat{F}}{\partial w^m_{i,j}} = s^m_{i} \cdot a^{m-1}_j'
[[claim]]
name = "start"
latex = 's^M_i=-2(t_i-a_i)\dot{f}^M(n^M_i)'
[[claim]]
name = "start-no-2"
latex = 's^M_i=-(t_i-a_i)\dot{f}^M(n^M_i)'
[[claim]]
name = "weights-sign"
latex = '\frac{\partial \hat{F}}{\partial w^m_{i,j}} = -s^m_{i} \cdot a^{m-1}_j'
"""


def test_hagans_output_alias_and_newtons_dot():
    """`\\mathbf{a} = \\mathbf{a}^M` puts a bare a on the output layer; `\\dot{f}^m` is f^m's
    derivative, and a define saying so is what the prime already means."""
    for name in ("weights", "start"):
        r = result(HAGAN, name)
        assert r.verdict == "holds", (name, r.error, r.counterexample_text)
    assert any("read as a on layer L" in x for x in result(HAGAN, "start").readings)
    assert "factor" in result(HAGAN, "start-no-2").diagnosis
    assert "sign" in result(HAGAN, "weights-sign").diagnosis


def test_an_indicator_printed_in_any_font_with_braces():
    """`\\mathrm{1}\\{z > 0\\}` and `\\boldsymbol{1}\\{z > 0\\}` are the indicator, as
    `\\mathbb{1}(z > 0)` is."""
    text = r"""
define = ['a = \max(0, z)', 'C = \frac{1}{2}(a - y)^2']
[[claim]]
name = "mask"
latex = '\frac{\partial C}{\partial z} = \mathrm{1}\{z > 0\} (a - y)'
[[claim]]
name = "bold"
latex = '\frac{\partial C}{\partial z} = \boldsymbol{1}\{z > 0\} (a - y)'
[[claim]]
name = "no-mask"
latex = '\frac{\partial C}{\partial z} = (a - y)'
"""
    results = {r.name: r for r in check_text(text, "mask.toml")}
    assert results["mask"].verdict == results["bold"].verdict == "holds"
    assert results["no-mask"].verdict == "fails"


# -- a cost printed with its vector arguments, read only entry by entry ---------------------------
COST_OF_VECTORS = r"""
layers = [[3, 3], [2, 4]]
define = [
  '\textbf{a} = W\textbf{x} + b',
  'z_i = \frac{e^{a_i}}{\sum_j e^{a_j}}',
  'L(\textbf{z},\textbf{y}) = -\sum_k \log(z_k)y_k',
]
[[claim]]
name = "dL/dz"
latex = '\frac{\partial{L}}{\partial{z_k}} = -\frac{y_k}{z_k}'
[[claim]]
name = "dL/dz-sign"
latex = '\frac{\partial{L}}{\partial{z_k}} = \frac{y_k}{z_k}'
"""


def test_a_cost_whose_arguments_its_formula_reads_entry_by_entry_depends_on_them():
    """`L(\\textbf{z}, \\textbf{y}) = -\\sum_k \\log(z_k) y_k`: z and y are the file's vectors,
    so L is the cost that depends on them (as E(w) does), not a function of local parameters."""
    r = result(COST_OF_VECTORS, "dL/dz")
    assert r.verdict == "holds", r.error
    assert "sign" in result(COST_OF_VECTORS, "dL/dz-sign").diagnosis


# -- a softmax over one layer of units, the one-hot target given unit by unit --------------------
ONE_LAYER_SOFTMAX = r"""
layers = [[3], [4]]
define = [
  'L = - \sum_i y_i \log p_i',
  'p_i = \frac{ \exp (o_i) }{\sum_j \exp(o_j) }',
  'y_1 = 1',
  'y_i = 0',
]
[[claim]]
name = "gradient"
latex = '\frac{\partial L}{\partial o_k} = p_k - y_k'
[[claim]]
name = "one-hot"
latex = '\sum_i y_i = 1'
[[claim]]
name = "no-log-slope"
latex = '\frac{\partial L}{\partial o_k} = - \sum_i y_i \frac{\partial p_i}{\partial o_k}'
"""


def test_a_constant_definition_of_every_unit_and_a_network_of_one_layer():
    """`y_i = 0` beside `y_1 = 1` gives every other unit 0 (its subscript is no label, which
    would make L = 0 and let a wrong claim hold); with `layers = [[3], [4]]` every family
    printed without a layer lies on the one layer."""
    for name in ("gradient", "one-hot"):
        r = result(ONE_LAYER_SOFTMAX, name)
        assert r.verdict == "holds", (name, r.error)
    assert verdict(ONE_LAYER_SOFTMAX, "no-log-slope") == "fails"


def test_an_upright_leibniz_d_is_a_derivative_never_a_factor():
    """`\\frac{\\mathrm{d}z}{\\mathrm{d}s}` is dz/ds (read as the quotient of d·z by d·s it had
    refuted a true chain rule)."""
    text = r"""
define = ['z = h(s)', 'C = g(z)']
[[claim]]
name = "chain"
latex = '''\frac{\mathrm{d}C}{\mathrm{d}s} = \frac{\mathrm{d}C}{\mathrm{d}z}\cdot h'(s)'''
[[claim]]
name = "slope"
latex = '''\frac{\text{d}z}{\text{d}s} = h'(s)'''
[[claim]]
name = "no-slope"
latex = '\frac{\mathrm{d}C}{\mathrm{d}s} = \frac{\mathrm{d}C}{\mathrm{d}z}\cdot h(s)'
"""
    results = {r.name: r for r in check_text(text, "d.toml")}
    assert results["chain"].verdict == results["slope"].verdict == "holds"
    assert results["no-slope"].verdict == "fails"


def test_code_names_of_letters_and_digits_and_a_quantity_of_a_quantity():
    """`pred21 = w_{21}*ypred1` defines the code name pred21; `f(q(x,y))` is f, which depends
    on q, which depends on x and y (read as f times q it had refuted a true line)."""
    text = r"""
values = { x = 1, y = 3 }
define = ['q = 3*x + 2*y', 'f = q^2']
[[claim]]
name = "composed"
latex = 'f(q(x,y)) = q^{2} = (3x+2y)^{2}'
[[claim]]
name = "chain"
latex = '\frac{\partial f}{\partial x} = \frac{\partial f}{\partial q}\frac{\partial q}{\partial x} = 6q'
[[claim]]
name = "code"
define = ['ypred1 = w_1 x', 'pred21 = w_{21}*ypred1', 'e = (t - pred21)^2']
latex = '\frac{\partial e}{\partial w_{21}} = -2 (t - pred21) ypred1'
[[claim]]
name = "code-sign"
define = ['ypred1 = w_1 x', 'pred21 = w_{21}*ypred1', 'e = (t - pred21)^2']
latex = '\frac{\partial e}{\partial w_{21}} = 2 (t - pred21) ypred1'
"""
    results = {r.name: r for r in check_text(text, "code.toml")}
    for name in ("composed", "chain", "code"):
        assert results[name].verdict == "holds", (name, results[name].error)
    assert "sign" in results["code-sign"].diagnosis


def test_a_comparison_in_parentheses_is_a_numpy_mask():
    text = r"""
define = ['a = \max(0, z)', 'C = \frac{1}{2}(a - y)^2']
[[claim]]
name = "mask"
latex = '\frac{\partial C}{\partial z} = (a - y) * (z > 0)'
[[claim]]
name = "mask-reversed"
latex = '\frac{\partial C}{\partial z} = (y - a) * (z > 0)'
"""
    results = {r.name: r for r in check_text(text, "mask.toml")}
    assert results["mask"].verdict == "holds", results["mask"].error
    assert any("NumPy's boolean masks" in x for x in results["mask"].readings)
    assert results["mask-reversed"].verdict == "fails"


def test_a_letter_used_bare_is_no_function_where_a_claim_puts_a_bracket_after_it():
    """`\\sigma'(x) = x(1 - x)` beside `\\sigma(x) = 1/(1 + e^{-x})`: x is the variable (bare in
    e^{-x}), so x(1 - x) is a product, and the printed slope is refuted."""
    text = r"""
define = ['\sigma(x) = \frac{1}{1 + e^{-x}}']
[[claim]]
name = "slope"
latex = '''\sigma'(x) = \sigma(x) (1 - \sigma(x))'''
[[claim]]
name = "printed"
latex = '''\sigma'(x) = x(1 - x)'''
"""
    results = {r.name: r for r in check_text(text, "slope.toml")}
    assert results["slope"].verdict == "holds", results["slope"].error
    assert results["printed"].verdict == "fails", results["printed"].error


def test_an_indicator_with_its_condition_as_the_subscript():
    text = r"""
define = ['a = \max(0, z)', 'C = \frac{1}{2}(a - y)^2']
[[claim]]
name = "mask"
latex = '\frac{\partial C}{\partial z} = \mathbf{1}_{z \gt 0} (a - y)'
[[claim]]
name = "mask-sign"
latex = '\frac{\partial C}{\partial z} = \mathbb{1}_{z > 0} (y - a)'
"""
    results = {r.name: r for r in check_text(text, "sub.toml")}
    assert results["mask"].verdict == "holds", results["mask"].error
    assert results["mask-sign"].verdict == "fails"


def test_an_error_signal_named_by_delta_before_its_quantity():
    """`\\delta y_1 = (y_1 - d)(y_1)(1 - y_1)` defines the name δy_1 (y_1's error signal),
    which the claims print the same way; it is no product δ·y_1."""
    text = r"""
define = ['s = w_1 h_1 + w_2 h_2', 'y_1 = \frac{1}{1 + e^{-s}}', 'E = \frac{1}{2}(y_1 - d)^2',
          '\delta y_1 = (y_1 - d)(y_1)(1 - y_1)']
[[claim]]
name = "gradient"
latex = '\frac{\partial E}{\partial w_1} = \delta y_1 \cdot h_1'
[[claim]]
name = "gradient-other-input"
latex = '\frac{\partial E}{\partial w_1} = \delta y_1 \cdot h_2'
"""
    results = {r.name: r for r in check_text(text, "dy.toml")}
    assert results["gradient"].verdict == "holds", results["gradient"].error
    assert results["gradient-other-input"].verdict == "fails"


def test_a_generic_function_used_inside_its_own_argument_stays_a_function():
    """`h' = h(1 - h)` with h generic: h is a function read at one point (its bare use inside
    its own argument, and its primed use, do not make it a plain variable)."""
    text = r"""
define = ['a = g(z)', 'g(t) = \frac{1}{1+e^{-t}}']
[[claim]]
name = "generic"
latex = "h' = h(1 - h)"
[[claim]]
name = "sigmoid"
latex = "g' = g(1 - g)"
"""
    results = {r.name: r for r in check_text(text, "point.toml")}
    assert results["sigmoid"].verdict == "holds", results["sigmoid"].error
    generic = results["generic"]
    assert generic.verdict == "fails"
    assert any("read at one point" in x for x in generic.readings)
