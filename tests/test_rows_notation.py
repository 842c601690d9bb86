"""Examples as rows, as NumPy tutorials print the forward pass (`z_1 = X W_1 + b_1`,
`z_2 = a_1 W_2 + b_2`): the subscripts are layers, `(z_2)_{ik}` is an entry of z_2 and
`a_1^2` the square of a_1, never unit 1 of a layer 2."""
from __future__ import annotations

import functools
import textwrap

from symbp.check import check_text

@functools.cache
def _run(text: str) -> dict:
    return {r.name: r for r in check_text(textwrap.dedent(text), "rows.toml")}


def result(case: str, name: str):
    return _run(case)[name]


ROWS = r"""
layers = [[2, 3, 2]]
examples = 3
define = [
  'X_{ik} = x^{(i)}_k',
  'z_1 = X W_1 + b_1',
  'a_1 = \tanh(z_1)',
  'z_2 = a_1 W_2 + b_2',
  'L = \frac{1}{2N} \sum_{i=1}^{N} \sum_{k} ((z_2)_{ik} - y^{(i)}_k)^2',
  'dz_2 = \frac{\partial L}{\partial z_2}',
  'dz_1 = \frac{\partial L}{\partial z_1}',
]
[[claim]]
name = "dW2"
latex = '\frac{\partial L}{\partial W_2} = a_1^T dz_2'
[[claim]]
name = "dW2-transposed"
latex = '\frac{\partial L}{\partial W_2} = dz_2^T a_1'
[[claim]]
name = "dz1"
latex = 'dz_1 = (dz_2 W_2^T) \odot (1 - a_1^2)'
[[claim]]
name = "dz1-no-square"
latex = 'dz_1 = (dz_2 W_2^T) \odot (1 - a_1)'
[[claim]]
name = "entry"
latex = '(z_2)_{ik} = \sum_j (a_1)_{ij} (W_2)_{jk} + (b_2)_k'
[[claim]]
name = "entry-transposed"
latex = '(z_2)_{ik} = \sum_j (a_1)_{ij} (W_2)_{kj} + (b_2)_k'
where = 'k \le 2'
"""



def test_row_form_true_claims_hold():
    for name in ("dW2", "dz1", "entry"):
        assert result(ROWS, name).verdict == "holds", (name, result(ROWS, name).error)


def test_row_form_wrong_claims_fail():
    assert result(ROWS, "dW2-transposed").verdict == "fails"
    assert "shape mismatch" in result(ROWS, "dW2-transposed").diagnosis
    assert result(ROWS, "dz1-no-square").verdict == "fails"


def test_a_layer_subscript_with_a_digit_superscript_is_a_power():
    readings = " ".join(result(ROWS, "dz1").readings)
    assert "read as layers" in readings
    assert "one example per row" in readings


def test_entries_of_a_parenthesised_name():
    assert any("read as an entry of z" in r for r in result(ROWS, "entry").readings)
    assert result(ROWS, "entry-transposed").verdict == "fails"


# A NumPy tutorial's binary network, examples as rows, X never defined, the batch of labels y
# beside y^{(i)}; ∂a_2/∂z_2 of an entrywise map is the matrix of its entries' derivatives.
TUTORIAL = r"""
layers = [[2, 3, 1]]
first_layer = 0
examples = 2
define = [
  'z_1 = X W_1 + b_1',
  'a_1 = \tanh(z_1)',
  'z_2 = a_1 W_2 + b_2',
  '\sigma(z) = \frac{1}{1 + e^{-z}}',
  'a_2 = \sigma(z_2)',
  'y_{i,1} = y^{(i)}',
  'a_2^{(i)} = (a_2)_{i,1}',
  'L = -\frac{1}{N} \sum_{i=1}^N ( y^{(i)} \ln(a_2^{(i)}) + (1 - y^{(i)}) \ln(1 - a_2^{(i)}) )',
]
[[claim]]
name = "dL-da2"
latex = '\frac{\partial L}{\partial a_2} = \frac{1}{N} \frac{a_2 - y}{a_2 \odot (1 - a_2)}'
[[claim]]
name = "slope"
latex = '\frac{\partial a_2}{\partial z_2} = \sigma(z_2) \odot (1 - \sigma(z_2)) = a_2 \odot (1 - a_2)'
[[claim]]
name = "slope-wrong"
latex = '\frac{\partial a_2}{\partial z_2} = a_2 \odot (1 + a_2)'
[[claim]]
name = "dz2"
latex = '\frac{\partial L}{\partial z_2} = \frac{1}{N} (a_2 - y)'
[[claim]]
name = "dz2-no-mean"
latex = '\frac{\partial L}{\partial z_2} = a_2 - y'
[[claim]]
name = "dW1"
latex = '\frac{\partial L}{\partial W_1} = \frac{1}{N} X^T ((a_2 - y) W_2^T \odot (1 - \tanh^2(z_1)))'
[[claim]]
name = "juxtaposed-columns-are-a-matrix-product"
latex = '\frac{\partial a_2}{\partial z_2} = a_2 (1 - a_2)'
"""



def test_a_tutorial_with_examples_as_rows_holds():
    for name in ("dL-da2", "slope", "dz2", "dW1"):
        assert result(TUTORIAL, name).verdict == "holds", (name, result(TUTORIAL, name).error,
                                                     result(TUTORIAL, name).diagnosis)
    readings = " ".join(result(TUTORIAL, "slope").readings)
    assert "entry by entry" in readings and "X read as the batch matrix" in readings
    assert "y is the batch matrix" in readings


def test_a_tutorial_with_examples_as_rows_refutes():
    assert result(TUTORIAL, "slope-wrong").verdict == "fails"
    assert result(TUTORIAL, "dz2-no-mean").verdict == "fails"
    dot = result(TUTORIAL, "juxtaposed-columns-are-a-matrix-product")
    assert dot.verdict == "fails" and "shape mismatch" in dot.diagnosis


# A mini-batch of B examples as rows, nothing printed per example but the rows z_2^{(i)} of the
# batch matrices and the step 1(z_1 > 0) of ReLU over a whole matrix.
MINIBATCH = r"""
layers = [[2, 3, 2]]
first_layer = 0
examples = [1, 3]
define = [
  'z_1 = X W_1 + b_1',
  'a_1 = \max(0, z_1)',
  'z_2 = a_1 W_2 + b_2',
  'L = \frac{1}{2B} \sum_{i=1}^{B} \sum_{k} ((z_2)_{ik} - Y_{ik})^2',
]
[[claim]]
name = "db2-rows"
latex = '\frac{\partial L}{\partial b_2} = \sum_{i=1}^B \frac{\partial L}{\partial z_2^{(i)}}'
[[claim]]
name = "db2-one-row"
latex = '\frac{\partial L}{\partial b_2} = \frac{\partial L}{\partial z_2^{(i)}}'
[[claim]]
name = "dz1-relu"
latex = '\frac{\partial L}{\partial z_1} = \frac{\partial L}{\partial a_1} \odot \mathbb{1}(z_1 > 0)'
[[claim]]
name = "dz1-no-step"
latex = '\frac{\partial L}{\partial z_1} = \frac{\partial L}{\partial a_1}'
[[claim]]
name = "row-of-z2"
latex = 'z_2^{(i)} = a_1^{(i)} W_2 + b_2'
"""



def test_rows_of_batch_matrices_and_an_undefined_x_with_b_examples():
    for name in ("db2-rows", "dz1-relu", "row-of-z2"):
        assert result(MINIBATCH, name).verdict == "holds", (name, result(MINIBATCH, name).error)
    assert any("X read as the batch matrix" in r for r in result(MINIBATCH, "db2-rows").readings)


def test_one_row_or_a_missing_step_fails():
    assert result(MINIBATCH, "db2-one-row").verdict == "fails"
    assert result(MINIBATCH, "dz1-no-step").verdict == "fails"


ONE_LAYER = r"""
layers = [[3, 2]]
examples = 2
define = [
  'H = X \cdot W + b',
  'E = e(H, t)',
  'g = \frac{\partial E}{\partial H}',
]
[[claim]]
name = "dW"
latex = '\frac{\partial E}{\partial W} = X^T \cdot g'
[[claim]]
name = "db"
latex = '\frac{\partial E}{\partial b} = \sum g'
[[claim]]
name = "dX"
latex = '\frac{\partial E}{\partial X} = g \cdot W^T'
[[claim]]
name = "dW-columns"
latex = '\frac{\partial E}{\partial W} = g^T \cdot X'
[[claim]]
name = "dX-no-transpose"
latex = '\frac{\partial E}{\partial X} = g \cdot W'
"""


def test_one_layer_printed_without_layer_scripts():
    """`H = X·W + b` on a network of one layer: W is its matrix and X the batch of inputs,
    one example per row; every name a scalar would make every claim hold."""
    for name in ("dW", "db", "dX"):
        r = result(ONE_LAYER, name)
        assert r.verdict == "holds", (name, r.error, r.diagnosis)
    assert any("weight matrix" in reading for reading in result(ONE_LAYER, "dW").readings)
    for name in ("dW-columns", "dX-no-transpose"):
        r = result(ONE_LAYER, name)
        assert r.verdict == "fails" and "shape" in r.diagnosis, (name, r)


TRANSPOSED_ROWS = r"""
layers = [[2, 3, 2]]
examples = 3
define = [
  'Z^{(1)} = X W^{(1)\top} + b^{(1)}',
  'A^{(1)} = \tanh(Z^{(1)})',
  'Z^{(2)} = A^{(1)} W^{(2)\top} + b^{(2)}',
  'E = \frac{1}{2m} \|Z^{(2)} - Y\|_F^2',
  '\Delta^{(2)} = Z^{(2)} - Y',
]
[[claim]]
name = "dW2"
latex = '\frac{\partial E}{\partial W^{(2)}} = \frac{1}{m} {\Delta^{(2)}}^\top A^{(1)}'
[[claim]]
name = "dW2-rows-order"
latex = '\frac{\partial E}{\partial W^{(2)}} = \frac{1}{m} {A^{(1)}}^\top \Delta^{(2)}'
[[claim]]
name = "dA1"
latex = '\frac{\partial E}{\partial A^{(1)}} = \frac{1}{m} \Delta^{(2)} W^{(2)}'
"""


def test_rows_times_the_transpose_of_the_layer_matrix():
    """`Z = A W^{(l)\\top} + b` (PyTorch's Linear as notebooks print it): W has rows over its own
    layer, and ∂E/∂W = Δ^T A."""
    for name in ("dW2", "dA1"):
        r = result(TRANSPOSED_ROWS, name)
        assert r.verdict == "holds", (name, r.error, r.diagnosis)
    r = result(TRANSPOSED_ROWS, "dW2-rows-order")
    assert r.verdict == "fails" and "shape" in r.diagnosis


LAYER_ACTIVATIONS = r"""
layers = [[3, 2, 2]]
first_layer = 0
define = [
  'z_1 = a_0 W_1 + b_1',
  'a_1 = f_1(z_1)',
  'z_2 = a_1 W_2 + b_2',
  'a_2 = f_2(z_2)',
  'J = \frac{1}{2} \|a_2 - y\|^2',
  '\delta_2 = \frac{\partial J}{\partial z_2}',
  '\delta_1 = \frac{\partial J}{\partial z_1}',
]
[[claim]]
name = "delta2"
latex = '''\delta_2 = (a_2 - y) \odot f'_2(z_2)'''
[[claim]]
name = "delta1"
latex = '''\delta_1 = (\delta_2 W_2^T) \odot f_1'(z_1)'''
[[claim]]
name = "dW1"
latex = '\frac{\partial J}{\partial W_1} = a_0^T \delta_1'
[[claim]]
name = "delta1-wrong-layer"
latex = '''\delta_1 = (\delta_2 W_2^T) \odot f_2'(z_1)'''
"""


def test_activations_with_layer_subscripts_and_the_input_as_layer_zero():
    """`a_1 = f_1(z_1)`: f_1 is layer 1's activation (it had been f times z_1); a_0, read by
    z_1 and defined nowhere, is the input; the norm makes J a number, not a vector of layer 2."""
    for name in ("delta2", "delta1", "dW1"):
        r = result(LAYER_ACTIVATIONS, name)
        assert r.verdict == "holds", (name, r.error, r.diagnosis)
    assert any("activation f" in x for x in result(LAYER_ACTIVATIONS, "delta1").readings)
    r = result(LAYER_ACTIVATIONS, "delta1-wrong-layer")
    assert r.verdict == "fails" and "f^{2}'" in r.diagnosis


# -- a row-form source that prints its biases as columns: z_1 = a_0 W_1 + b_1^T ---------------
COLUMN_BIASES = r"""
layers = [[3, 2, 2], [2, 3, 2]]
first_layer = 0
examples = 1
define = [
  'z_0 = a_0 = x',
  'z_1 = a_0 W_1 + b_1^T',
  'a_1 = f_1(z_1)',
  'z_2 = a_1 W_2 + b_2^T',
  'a_2 = f_2(z_2)',
  'J(W, b) = \frac{1}{2} ||a_2 - y||^2',
  '\delta_2 = \frac{\partial J(W, b)}{\partial z_2}',
]
[[claim]]
name = "bias gradient"
latex = '\frac{\partial J(W, b)}{\partial b_2} = \delta_2^T'
[[claim]]
name = "bias gradient as a row"
latex = '\frac{\partial J(W, b)}{\partial b_2} = \delta_2'
[[claim]]
name = "bias step"
latex = 'b_2 := b_2 - \eta \delta_2^T'
[[claim]]
name = "weights"
latex = '\frac{\partial J(W, b)}{\partial W_2} = a_1^T \delta_2'
"""


def test_a_bias_a_row_form_definition_adds_transposed_is_a_column():
    for name in ("bias gradient", "bias step", "weights"):
        r = result(COLUMN_BIASES, name)
        assert r.verdict == "holds", (name, r.error, r.reason)
    assert any("b_2 read as column vectors" in x or "read as column vectors" in x
               for x in result(COLUMN_BIASES, "bias gradient").readings)
    wrong = result(COLUMN_BIASES, "bias gradient as a row")
    assert wrong.verdict == "fails" and "shape" in (wrong.diagnosis or wrong.reason or "")


# -- Welch's rows: the input layer is 1 and W^{(k)} leaves layer k ------------------------------
WELCH = r"""
layers = [[2, 3, 1], [3, 4, 1]]
first_layer = 1
examples = 3
define = [
  'z^{(2)} = XW^{(1)}',
  'a^{(2)} = f(z^{(2)})',
  'z^{(3)} = a^{(2)}W^{(2)}',
  '\hat{y} = f(z^{(3)})',
  'f(z) = \frac{1}{1+e^{-z}}',
  'J = \sum \frac{1}{2}(y-\hat{y})^2',
  '\delta^{(3)} = \frac{\partial J}{\partial z^{(3)} }',
]
[[claim]]
name = "slope"
latex = '''f^\prime(z) = \frac{e^{-z}}{(1+e^{-z})^2}'''
[[claim]]
name = "eq6"
latex = '\frac{\partial J}{\partial W^{(2)}} = (a^{(2)})^T\delta^{(3)}'
[[claim]]
name = "eq7"
latex = '''\frac{\partial J}{\partial W^{(1)}} = X^T (\delta^{(3)} (W^{(2)})^T * f^\prime(z^{(2)}))'''
[[claim]]
name = "eq6-swapped"
latex = '\frac{\partial J}{\partial W^{(2)}} = (\delta^{(3)})^T a^{(2)}'
[[claim]]
name = "eq7-no-transpose"
latex = '''\frac{\partial J}{\partial W^{(1)}} = X^T (\delta^{(3)} W^{(2)} * f^\prime(z^{(2)}))'''
"""


def test_row_form_with_weights_labelled_by_the_layer_they_leave():
    for name in ("slope", "eq6", "eq7"):
        r = result(WELCH, name)
        assert r.verdict == "holds", (name, r.error)
    assert any("weights leaving layer k" in x for x in result(WELCH, "eq6").readings)
    assert any("plain variable" in x for x in result(WELCH, "slope").readings)
    for name in ("eq6-swapped", "eq7-no-transpose"):
        assert result(WELCH, name).verdict == "fails", name


# -- rows with a ones column before the bias, the inputs named as layer 0, targets free -----------
ONES_BIAS = r"""
layers = [[2, 3, 2], [3, 2, 3, 2]]
first_layer = 0
examples = 3
define = [
  'U^l = H^{l-1}W^l + \boldsymbol{1}b^l',
  'H^l = \phi(U^l)',
  'H^0 = X',
  'y = H^L',
  'E = \frac{1}{2n}\sum_{q=1}^n \sum_{j=1}^{m_L}(t_{qj} - y_{qj})^2',
  '\delta^l = \frac{\partial E}{\partial U^l}',
]
[[claim]]
name = "output"
latex = '''\delta^L = \frac{1}{n}(y - t)\odot \phi'(U^L)'''
[[claim]]
name = "weights"
latex = '\frac{\partial E}{\partial W^l} = (H^{l-1})^\top \delta^l'
[[claim]]
name = "output-half"
latex = '''\delta^L = \frac{1}{2n}(y - t)\odot \phi'(U^L)'''
[[claim]]
name = "weights-swapped"
latex = '\frac{\partial E}{\partial W^l} = (\delta^l)^\top H^{l-1}'
"""


def test_rows_with_a_ones_column_a_layer_0_alias_and_targets_beside_the_outputs():
    """`\\boldsymbol{1} b^l` adds b^l to every row; `H^0 = X` in a row-form file makes X the
    batch with one example per row; m_L is the output layer's width; t_{qj} beside y_{qj} has
    y's shape."""
    for name in ("output", "weights"):
        r = result(ONES_BIAS, name)
        assert r.verdict == "holds", (name, r.error)
    assert any("one example per row" in x for x in result(ONES_BIAS, "output").readings)
    assert "factor" in result(ONES_BIAS, "output-half").diagnosis
    assert result(ONES_BIAS, "weights-swapped").verdict == "fails"


# -- Britz: z_1, a_1 counted from the hidden layer, δ_3, δ_2 counted from the inputs --------------
BRITZ = r"""
layers = [[2, 3, 2], [2, 4, 2]]
first_layer = 0
define = [
  'z_1 = x W_1 + b_1',
  'a_1 = \tanh(z_1)',
  'z_2 = a_1 W_2 + b_2',
  'C = \frac{1}{2} \|z_2 - y\|^2',
  '\delta_3 = z_2 - y',
  '\delta_2 = (1 - \tanh^2 z_1) \circ \delta_3 W_2^T',
]
[[claim]]
name = "w2"
latex = '\frac{\partial C}{\partial W_2} = a_1^T \delta_3'
[[claim]]
name = "w1"
latex = '\frac{\partial C}{\partial W_1} = x^T \delta_2'
[[claim]]
name = "w2-swapped"
latex = '\frac{\partial C}{\partial W_2} = \delta_3^T a_1'
"""


def test_a_subscript_past_the_deepest_layer_is_a_name_not_a_layer():
    for name in ("w2", "w1"):
        r = result(BRITZ, name)
        assert r.verdict == "holds", (name, r.error)
    assert any("δ read as names, not layers" in x for x in result(BRITZ, "w2").readings)
    assert result(BRITZ, "w2-swapped").verdict == "fails"
