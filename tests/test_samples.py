"""Training examples, means over a batch and update steps, as sources print them: a one-example
claim and its batch form agree on a batch of one; the batch form is checked on several batch
sizes; updates with the wrong sign, a missing 1/m, a missing sum or the transposed outer product
fail with the named diagnosis."""
from __future__ import annotations

import functools
import textwrap

from symbp.check import check_text


@functools.cache
def _run(text: str) -> dict:
    return {r.name: r for r in check_text(textwrap.dedent(text), "batch.toml")}


def result(case: str, name: str):
    return _run(case)[name]


def verdict(case: str, name: str) -> str:
    return result(case, name).verdict


NIELSEN_BATCH = r"""
layers = [[2, 3, 2]]
examples = [1, 3]
define = [
  'z^{x,l} = w^l a^{x,l-1} + b^l',
  'a^{x,l} = \sigma(z^{x,l})',
  'C_x = \frac{1}{2} \|y(x) - a^{x,L}\|^2',
  'C = \frac{1}{n} \sum_x C_x',
  '\delta^{x,l} = \frac{\partial C_x}{\partial z^{x,l}}',
]
[[claim]]
name = "bp1"
latex = '''\delta^{x,L} = \nabla_a C_x \odot \sigma'(z^{x,L})'''
[[claim]]
name = "bp2"
latex = '''\delta^{x,l} = ((w^{l+1})^T \delta^{x,l+1}) \odot \sigma'(z^{x,l})'''
[[claim]]
name = "mean-gradient"
latex = '\frac{\partial C}{\partial w^l} = \frac{1}{n} \sum_x \delta^{x,l} (a^{x,l-1})^T'
[[claim]]
name = "one-example-gradient"
latex = '\frac{\partial C}{\partial b^l} = \delta^{x,l}'
[[claim]]
name = "update-w"
latex = 'w^l \rightarrow w^l - \frac{\eta}{m} \sum_x \delta^{x,l} (a^{x,l-1})^T'
[[claim]]
name = "update-b"
latex = 'b^l \rightarrow b^l - \frac{\eta}{m} \sum_x \delta^{x,l}'
[[claim]]
name = "update-sign"
latex = 'b^l \rightarrow b^l + \frac{\eta}{m} \sum_x \delta^{x,l}'
[[claim]]
name = "update-no-mean"
latex = 'b^l \rightarrow b^l - \eta \sum_x \delta^{x,l}'
[[claim]]
name = "update-no-sum"
latex = 'w^l_{jk} \leftarrow w^l_{jk} - \eta \delta^{x,l}_j a^{x,l-1}_k'
[[claim]]
name = "update-outer-transposed"
latex = 'w^l \rightarrow w^l - \frac{\eta}{m} \sum_x a^{x,l-1} (\delta^{x,l})^T'
[[claim]]
name = "gradient-no-sum"
latex = '\frac{\partial C}{\partial w^l} = \delta^{x,l} (a^{x,l-1})^T'
[[claim]]
name = "increment"
latex = '\Delta w^l_{jk} = -\frac{\eta}{m} \sum_x \delta^{x,l}_j a^{x,l-1}_k'
"""


def test_per_example_equations_hold_for_every_example():
    for name in ("bp1", "bp2"):
        r = result(NIELSEN_BATCH, name)
        assert r.verdict == "holds", r
        assert any("counts the training examples" in x for x in r.readings)


def test_the_batch_gradient_is_the_mean_over_examples():
    assert verdict(NIELSEN_BATCH, "mean-gradient") == "holds"
    one = result(NIELSEN_BATCH, "one-example-gradient")
    assert one.verdict == "fails" and "3 examples" in one.instance, one
    assert "the mean over the examples (1/m Σ_x) is missing" in one.diagnosis
    no_sum = result(NIELSEN_BATCH, "gradient-no-sum")
    assert no_sum.verdict == "fails" and "1/m Σ_x" in no_sum.diagnosis, no_sum


def test_updates_hold_and_their_slips_fail_with_the_named_diagnosis():
    for name in ("update-w", "update-b", "increment"):
        assert verdict(NIELSEN_BATCH, name) == "holds", result(NIELSEN_BATCH, name)
    sign = result(NIELSEN_BATCH, "update-sign")
    assert sign.verdict == "fails" and "sign" in sign.diagnosis
    mean = result(NIELSEN_BATCH, "update-no-mean")
    assert mean.verdict == "fails" and "a factor 1/m is missing" in mean.diagnosis \
        and "m = 3" in mean.diagnosis
    no_sum = result(NIELSEN_BATCH, "update-no-sum")
    assert no_sum.verdict == "fails" and "3 examples" in no_sum.instance
    assert "the mean over the examples (1/m Σ_x) is missing" in no_sum.diagnosis, no_sum
    outer = result(NIELSEN_BATCH, "update-outer-transposed")
    assert outer.verdict == "fails" and "shape" in outer.diagnosis
    assert any("update" in x for x in result(NIELSEN_BATCH, "update-w").readings)


def test_a_batch_of_one_agrees_with_the_one_example_form():
    one = NIELSEN_BATCH.replace("examples = [1, 3]", "examples = 1")
    assert verdict(one, "one-example-gradient") == "holds"
    assert verdict(one, "update-no-mean") == "holds"          # 1/m with m = 1
    assert verdict(one, "update-no-sum") == "holds"


def test_the_number_of_examples_is_checked_on_several_batch_sizes():
    r = result(NIELSEN_BATCH, "update-b")
    assert r.instances == 4                 # one layer pair (l = 2, 3) on each of m = 1, 3


NG_PER_EXAMPLE = r"""
layers = [[2, 3, 1]]
first_layer = 0
define = [
  'z^{[1](i)} = W^{[1]} x^{(i)} + b^{[1]}',
  'a^{[1](i)} = \tanh(z^{[1](i)})',
  'z^{[2](i)} = W^{[2]} a^{[1](i)} + b^{[2]}',
  'a^{[2](i)} = \sigma(z^{[2](i)})',
  '\sigma(t) = \frac{1}{1 + e^{-t}}',
  'J = - \frac{1}{m} \sum_{i = 1}^{m} (y^{(i)}\log(a^{[2](i)}) + (1-y^{(i)})\log(1- a^{[2](i)}))',
]
[[claim]]
name = "dz2"
latex = '\frac{\partial J}{\partial z^{[2](i)}} = \frac{1}{m} (a^{[2](i)} - y^{(i)})'
[[claim]]
name = "db2"
latex = '\frac{\partial J}{\partial b^{[2]}} = \sum_{i=1}^{m} \frac{\partial J}{\partial z^{[2](i)}}'
[[claim]]
name = "dW2-one-example"
latex = '\frac{\partial J}{\partial W^{[2]}} = \frac{\partial J}{\partial z^{[2](i)}} a^{[1](i)T}'
[[claim]]
name = "dz2-no-mean"
latex = '\frac{\partial J}{\partial z^{[2](i)}} = a^{[2](i)} - y^{(i)}'
"""


def test_ng_per_example_superscripts_beside_bracketed_layers():
    for name in ("dz2", "db2"):
        assert verdict(NG_PER_EXAMPLE, name) == "holds", result(NG_PER_EXAMPLE, name)
    assert verdict(NG_PER_EXAMPLE, "dW2-one-example") == "fails"
    r = result(NG_PER_EXAMPLE, "dz2-no-mean")
    assert r.verdict == "fails" and "factor" in r.diagnosis, r


UNIT_NOTATION_SAMPLES = r"""
layers = [[2, 3, 2]]
sets = { L = "previous" }
define = [
  'o_j = \sigma(n_j)',
  'n_j = \left(\sum_{\ell \in L} w_{\ell j} o_\ell \right) - b_j',
  'E = \frac{1}{n} \sum_{x,i} (o_i(x) - t_i(x))^2',
  '\delta_j(x) = \frac{\partial E}{\partial o_j(x)} \frac{\partial o_j(x)}{\partial n_j(x)}',
]
[[claim]]
name = "dE-do"
latex = '\partial_{o_j(x)} E = \frac{2}{n} (o_j(x) - t_j(x))'
[[claim]]
name = "dw"
latex = '\Delta w_{ij} = -\eta \sum_x o_i(x) \delta_j(x)'
[[claim]]
name = "db"
latex = '\Delta b_j = \eta \sum_x \delta_j(x)'
[[claim]]
name = "db-sign"
latex = '\Delta b_j = -\eta \sum_x \delta_j(x)'
[[claim]]
name = "dw-extra-mean"
latex = '\Delta w_{ij} = -\frac{\eta}{n} \sum_x o_i(x) \delta_j(x)'
"""


def test_unit_notation_with_example_arguments():
    """Source 002's §1.6: o_j(x), t_i(x) per example, n_j the net input beside the n of 1/n
    (the number of examples), Δw_{ij} on the layers of w_{ij}."""
    for name in ("dE-do", "dw", "db"):
        r = result(UNIT_NOTATION_SAMPLES, name)
        assert r.verdict == "holds", r
    readings = result(UNIT_NOTATION_SAMPLES, "dE-do").readings
    assert any("n in a denominator read as the number of training examples" in x
               for x in readings)
    assert not any("activation t" in x for x in readings)       # t_i(x) is a target
    sign = result(UNIT_NOTATION_SAMPLES, "db-sign")
    assert sign.verdict == "fails" and "sign" in sign.diagnosis
    extra = result(UNIT_NOTATION_SAMPLES, "dw-extra-mean")
    assert extra.verdict == "fails" and "2 examples" in extra.instance
    assert "a factor 1/m too many" in extra.diagnosis, extra


NG_LAYERS_FROM_ZERO = r"""
layers = [[2, 3, 1]]
define = [
  'z_1^{(i)} = W_1 x^{(i)} + b_1',
  'a^{[1](i)} = \tanh(z_1^{(i)})',
  'z_2^{(i)} = W_2 a^{[1](i)} + b_2',
  '\sigma(t) = \frac{1}{1 + e^{-t}}',
  'a^{[2](i)} = \sigma(z_2^{(i)})',
  'J = - \frac{1}{m} \sum_{i = 1}^{m} (y^{(i)}\log(a^{[2](i)}) + (1-y^{(i)})\log(1- a^{[2](i)}))',
]
[[claim]]
name = "dz2"
latex = '\frac{\partial J}{\partial z_{2}^{(i)}} = \frac{1}{m} (a^{[2](i)} - y^{(i)})'
[[claim]]
name = "dz1"
latex = '\frac{\partial J}{\partial z_{1}^{(i)}} = W_2^T \frac{\partial J}{\partial z_{2}^{(i)}} * (1 - a^{[1](i)2})'
[[claim]]
name = "dz1-hadamard"
latex = '\frac{\partial J}{\partial z_{1}^{(i)}} = W_2^T \frac{\partial J}{\partial z_{2}^{(i)}} \odot (1 - (a^{[1](i)})^2)'
[[claim]]
name = "dz1-no-tanh-slope"
latex = '\frac{\partial J}{\partial z_{1}^{(i)}} = W_2^T \frac{\partial J}{\partial z_{2}^{(i)}}'
[[claim]]
name = "per-example-total"
latex = '\frac{\partial J_i}{\partial b_1} = \sum_i \frac{\partial J}{\partial z_1^{(i)}}'
"""


def test_a_first_layer_computed_from_its_own_parameters_counts_the_input_as_layer_0():
    """Ng writes z_1 = W_1 x + b_1 with the input as layer 0; a file that does not give
    `first_layer` is read so (layers [2, 3, 1] are then input, hidden, output), and says so."""
    r = result(NG_LAYERS_FROM_ZERO, "dz2")
    assert r.verdict == "holds", r
    assert any("input layer read as layer 0" in x for x in r.readings)
    assert verdict(NG_LAYERS_FROM_ZERO, "dz1") == "holds"
    assert verdict(NG_LAYERS_FROM_ZERO, "dz1-hadamard") == "holds"
    assert any("entry by entry" in x for x in result(NG_LAYERS_FROM_ZERO, "dz1").readings)
    assert verdict(NG_LAYERS_FROM_ZERO, "dz1-no-tanh-slope") == "fails"
    given = NG_LAYERS_FROM_ZERO.replace("layers = [[2, 3, 1]]",
                                        "layers = [[2, 3, 1]]\nfirst_layer = 1")
    assert not any("layer 0" in x for x in result(given, "dz2").readings)


def test_a_batch_total_printed_for_one_example_is_refused_not_read_as_the_total():
    r = result(NG_LAYERS_FROM_ZERO, "per-example-total")
    assert r.verdict == "error" and "one value for the whole batch" in r.error, r


NG_COLUMNS = r"""
layers = [[2, 3, 1]]
first_layer = 0
examples = [1, 3]
define = [
  'X_{ki} = x^{(i)}_k',
  'Y_{1i} = y^{(i)}',
  'Z^{[1]} = W^{[1]} X + b^{[1]}',
  'A^{[1]} = g(Z^{[1]})',
  'Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]}',
  '\sigma(t) = \frac{1}{1 + e^{-t}}',
  'A^{[2]} = \sigma(Z^{[2]})',
  'a^{[1](i)}_j = A^{[1]}_{ji}',
  'a^{[2](i)} = A^{[2]}_{1i}',
  'J = -\frac{1}{m} \sum_{i=1}^{m} (Y_{1i} \log A^{[2]}_{1i} + (1 - Y_{1i}) \log(1 - A^{[2]}_{1i}))',
]
[[claim]]
name = "dZ2"
latex = '\frac{\partial J}{\partial Z^{[2]}} = \frac{1}{m} (A^{[2]} - Y)'
[[claim]]
name = "dW2"
latex = '\frac{\partial J}{\partial W^{[2]}} = \frac{1}{m} (A^{[2]} - Y) A^{[1]T}'
[[claim]]
name = "dW1"
latex = '''\frac{\partial J}{\partial W^{[1]}} = (W^{[2]T} \frac{\partial J}{\partial Z^{[2]}} \odot g'(Z^{[1]})) X^T'''
[[claim]]
name = "dW2-no-mean"
latex = '\frac{\partial J}{\partial W^{[2]}} = (A^{[2]} - Y) A^{[1]T}'
[[claim]]
name = "dW2-untransposed"
latex = '\frac{\partial J}{\partial W^{[2]}} = \frac{1}{m} (A^{[2]} - Y) A^{[1]}'
[[claim]]
name = "one-column"
latex = '\frac{\partial J}{\partial W^{[2]}} = \frac{1}{m} (a^{[2](i)} - y^{(i)}) a^{[1](i)T}'
"""


def test_examples_as_columns_of_a_batch_matrix():
    """Ng's X = [x^{(1)} ... x^{(m)}] written entry by entry: Z = W X + b broadcasts b over the
    columns, the gradients are matrix products over the batch, and the slips are named."""
    for name in ("dZ2", "dW2", "dW1"):
        assert verdict(NG_COLUMNS, name) == "holds", result(NG_COLUMNS, name)
    assert any("one example per column" in r for r in result(NG_COLUMNS, "dW2").readings)
    missing = result(NG_COLUMNS, "dW2-no-mean")
    assert missing.verdict == "fails" and "factor 1/m is missing" in missing.diagnosis
    untransposed = result(NG_COLUMNS, "dW2-untransposed")
    assert untransposed.verdict == "fails" and "shape mismatch" in untransposed.diagnosis


def test_a_batch_matrix_of_one_example_agrees_with_the_per_example_form():
    """With one example the mean over the batch is that example's term; with three it is not:
    the claim (1/m printed, Σ not) holds on a batch of one, fails on three: a missing sum."""
    assert verdict(NG_COLUMNS.replace("examples = [1, 3]", "examples = [1]"),
                   "one-column") == "holds"
    one_column = result(NG_COLUMNS, "one-column")
    assert one_column.verdict == "fails", one_column
    assert "3 examples" in one_column.instance
    assert "sum over the examples (Σ_x) is missing" in one_column.diagnosis


ROWS = r"""
layers = [[3, 4, 2]]
first_layer = 0
define = [
  'X_{ik} = x^{(i)}_k',
  'H = f(X W_1 + b_1)',
  'S = H W_2 + b_2',
  'L = \frac{1}{2N} \sum_{i=1}^{N} \sum_{k=1}^{2} (S_{ik} - y^{(i)}_k)^2',
]
[[claim]]
name = "dS"
latex = '\frac{\partial L}{\partial S_{ik}} = \frac{1}{N} (S_{ik} - y^{(i)}_k)'
[[claim]]
name = "dW2"
latex = '\frac{\partial L}{\partial W_2} = H^T \frac{\partial L}{\partial S}'
[[claim]]
name = "dH"
latex = '\frac{\partial L}{\partial H} = \frac{\partial L}{\partial S} W_2^T'
[[claim]]
name = "dW1"
latex = '''\frac{\partial L}{\partial W_1} = X^T (\frac{\partial L}{\partial H} \odot f'(X W_1 + b_1))'''
[[claim]]
name = "dW2-wrong-order"
latex = '\frac{\partial L}{\partial W_2} = \frac{\partial L}{\partial S} H^T'
[[claim]]
name = "dS-no-mean"
latex = '\frac{\partial L}{\partial S_{ik}} = S_{ik} - y^{(i)}_k'
"""


def test_examples_as_rows_of_a_batch_matrix():
    """CS231n's and NumPy's layout, X W + b with one example per row."""
    for name in ("dS", "dW2", "dH", "dW1"):
        assert verdict(ROWS, name) == "holds", result(ROWS, name)
    assert any("one example per row" in r for r in result(ROWS, "dW2").readings)
    assert verdict(ROWS, "dW2-wrong-order") == "fails"
    assert verdict(ROWS, "dS-no-mean") == "fails"


STACKED = r"""
layers = [[2, 3, 1]]
first_layer = 0
examples = [1, 3]
define = [
  'X = [x^{(1)} \; x^{(2)} \; \ldots \; x^{(m)}]',
  'Y = [y^{(1)} \; y^{(2)} \; \ldots \; y^{(m)}]',
  'Z^{[1]} = W^{[1]} X + b^{[1]}',
  'A^{[1]} = g(Z^{[1]})',
  'Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]}',
  '\sigma(t) = \frac{1}{1 + e^{-t}}',
  'A^{[2]} = \sigma(Z^{[2]})',
  'J = -\frac{1}{m} \sum_{i=1}^{m} (y^{(i)} \log A^{[2]}_{1i} + (1 - y^{(i)}) \log(1 - A^{[2]}_{1i}))',
]
[[claim]]
name = "dW2"
latex = '\frac{\partial J}{\partial W^{[2]}} = \frac{1}{m} (A^{[2]} - Y) A^{[1]T}'
[[claim]]
name = "dW2-no-mean"
latex = '\frac{\partial J}{\partial W^{[2]}} = (A^{[2]} - Y) A^{[1]T}'
"""


def test_a_batch_matrix_printed_as_its_list_of_examples():
    """Ng's X = [x^{(1)} x^{(2)} ... x^{(m)}] is the entry definition X_{ki} = x^{(i)}_k, in
    letters the file does not use (i already counts the examples in J), and the report says so."""
    holds = result(STACKED, "dW2")
    assert holds.verdict == "holds", holds
    stated = [r for r in holds.readings if r.startswith("X = [")]
    assert stated and "one example per column" in stated[0] and "_{kj}" in stated[0], stated
    missing = result(STACKED, "dW2-no-mean")
    assert missing.verdict == "fails" and "factor 1/m is missing" in missing.diagnosis


def test_rows_printed_as_a_bmatrix_of_transposed_examples():
    rows = ROWS.replace("'X_{ik} = x^{(i)}_k'", r"'X = \begin{bmatrix} x^{(1)T} \\ x^{(2)T} "
                        r"\\ \vdots \\ x^{(N)T} \end{bmatrix}'")
    assert "bmatrix" in rows
    for name in ("dW2", "dW1"):
        assert verdict(rows, name) == "holds", result(rows, name)
    assert any("one example per row" in r for r in result(rows, "dW2").readings)
    assert verdict(rows, "dW2-wrong-order") == "fails"


def test_a_list_without_its_ellipsis_or_with_gaps_is_not_a_batch():
    """Only 1, 2, …, m is a batch: `[x^{(1)} x^{(3)} \\ldots x^{(m)}]` is read as it stands
    (and refused), not as a batch matrix."""
    gap = STACKED.replace(r"x^{(2)} \; \ldots", r"x^{(3)} \; \ldots")
    assert verdict(gap, "dW2") == "error"


NG_FREE_X = r"""
layers = [[2, 3, 1]]
first_layer = 0
examples = [1, 3]
define = [
  'Z^{[1]} = W^{[1]} X + b^{[1]}',
  'A^{[1]} = g(Z^{[1]})',
  'Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]}',
  '\sigma(t) = \frac{1}{1 + e^{-t}}',
  'A^{[2]} = \sigma(Z^{[2]})',
  'J = -\frac{1}{m} \sum_{i=1}^{m} (y^{(i)} \log A^{[2]}_{1i} + (1 - y^{(i)}) \log(1 - A^{[2]}_{1i}))',
  'dZ^{[l]} = m \frac{\partial J}{\partial Z^{[l]}}',
  'dW^{[l]} = \frac{\partial J}{\partial W^{[l]}}',
]
[[claim]]
name = "dZ2"
latex = 'dZ^{[2]} = A^{[2]} - Y'
[[claim]]
name = "dW1"
latex = '''dW^{[1]} = \frac{1}{m} (W^{[2]T} dZ^{[2]} * g'(Z^{[1]})) X^T'''
[[claim]]
name = "dW2-no-mean"
latex = 'dW^{[2]} = dZ^{[2]} A^{[1]T}'
"""


def test_undefined_capitals_are_the_batch_as_ng_writes_it():
    """X fed to the first layer's matrix and Y beside y^{(i)}, never defined, are the batch
    matrices (Ng's convention), said in a reading; the 1/m slip is still found."""
    for name in ("dZ2", "dW1"):
        assert verdict(NG_FREE_X, name) == "holds", result(NG_FREE_X, name)
    assert any("X read as the batch matrix" in r for r in result(NG_FREE_X, "dW1").readings)
    assert any("Y read as the batch matrix" in r for r in result(NG_FREE_X, "dZ2").readings)
    slip = result(NG_FREE_X, "dW2-no-mean")
    assert slip.verdict == "fails" and "factor 1/m is missing" in slip.diagnosis


def test_a_claim_readable_only_for_one_example_is_refused_not_held():
    """A single input vector x beside a cost over m examples: with m > 1 nothing is in range,
    and the claim is not passed on the batch of one alone (where 1/m cannot be seen)."""
    one = NG_FREE_X.replace("W^{[1]} X + b^{[1]}", "W^{[1]} x + b^{[1]}")
    refused = result(one, "dW2-no-mean")
    assert refused.verdict == "error" and "batch of one example" in refused.error, refused


# -- NumPy as the course slides print it: np.sum(dZ, axis=1, keepdims=True), np.dot, A.T --------
NUMPY_COLUMNS = r"""
layers = [[2, 3, 1]]
first_layer = 0
examples = [1, 3]
define = [
  'X_{ki} = x^{(i)}_k',
  'Y_{1i} = y^{(i)}',
  'Z^{[1]} = np.dot(W^{[1]}, X) + b^{[1]}',
  'A^{[1]} = g(Z^{[1]})',
  'Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]}',
  '\sigma(t) = \frac{1}{1 + e^{-t}}',
  'A^{[2]} = \sigma(Z^{[2]})',
  'J = -\frac{1}{m} \sum_{i=1}^{m} (Y_{1i} \log A^{[2]}_{1i} + (1 - Y_{1i}) \log(1 - A^{[2]}_{1i}))',
  'dZ^{[l]} = m \frac{\partial J}{\partial Z^{[l]}}',
  'dW^{[l]} = \frac{\partial J}{\partial W^{[l]}}',
  'db^{[l]} = \frac{\partial J}{\partial b^{[l]}}',
]
[[claim]]
name = "db2"
latex = 'db^{[2]} = \frac{1}{m} np.sum(dZ^{[2]}, axis=1, keepdims=True)'
[[claim]]
name = "db2 as typeset"
latex = 'db^{[2]} = \frac{1}{m} \cdot \text{np.sum}(dZ^{[2]}, \text{axis}=1, \text{keepdims}=\text{True})'
[[claim]]
name = "db2 as a mean"
latex = 'db^{[2]} = np.mean(dZ^{[2]}, axis=1, keepdims=True)'
[[claim]]
name = "db2 as a sum over the examples"
latex = 'db^{[2]} = \frac{1}{m} \sum_{i=1}^{m} dZ^{[2]}'
[[claim]]
name = "db1 without keepdims"
latex = 'db^{[1]} = \frac{1}{m} np.sum(dZ^{[1]}, axis=1)'
[[claim]]
name = "dW2 in code"
latex = 'dW^{[2]} = (1 / m) * np.dot(dZ^{[2]}, A^{[1]}.T)'
[[claim]]
name = "dZ1 in code"
latex = '''dZ^{[1]} = np.multiply(np.dot(W^{[2]}.T, dZ^{[2]}), g'(Z^{[1]}))'''
[[claim]]
name = "db2 over the wrong axis"
latex = 'db^{[2]} = \frac{1}{m} np.sum(dZ^{[2]}, axis=0, keepdims=True)'
[[claim]]
name = "db2 without 1/m"
latex = 'db^{[2]} = np.sum(dZ^{[2]}, axis=1, keepdims=True)'
[[claim]]
name = "dZ1 with a dot product"
latex = '''dZ^{[1]} = np.dot(np.dot(W^{[2]}.T, dZ^{[2]}), g'(Z^{[1]}))'''
[[claim]]
name = "dW2 untransposed"
latex = 'dW^{[2]} = (1 / m) * np.dot(dZ^{[2]}, A^{[1]})'
[[claim]]
name = "a function symbp does not read"
latex = 'dW^{[2]} = np.einsum(dZ^{[2]}, A^{[1]})'
[[claim]]
name = "an axis arrays do not have"
latex = 'db^{[2]} = np.sum(dZ^{[2]}, axis=2)'
"""


def test_numpy_sums_products_and_transposes_as_the_course_prints_them():
    for name in ("db2", "db2 as typeset", "db2 as a mean", "db2 as a sum over the examples",
                 "db1 without keepdims", "dW2 in code", "dZ1 in code"):
        assert verdict(NUMPY_COLUMNS, name) == "holds", result(NUMPY_COLUMNS, name)
    assert any("across its columns" in r
               for r in result(NUMPY_COLUMNS, "db2 as a sum over the examples").readings)
    assert any("without keepdims=True read as the column vector" in r
               for r in result(NUMPY_COLUMNS, "db1 without keepdims").readings)


def test_numpy_forms_that_are_wrong_fail_with_their_diagnosis():
    axis = result(NUMPY_COLUMNS, "db2 over the wrong axis")
    assert axis.verdict == "fails" and "shape" in axis.diagnosis, axis
    missing = result(NUMPY_COLUMNS, "db2 without 1/m")
    assert missing.verdict == "fails" and "factor 1/m is missing" in missing.diagnosis, missing
    for name in ("dZ1 with a dot product", "dW2 untransposed"):
        wrong = result(NUMPY_COLUMNS, name)
        assert wrong.verdict == "fails" and "shape mismatch" in wrong.diagnosis, wrong


def test_numpy_forms_symbp_cannot_read_are_refused_where_they_stand():
    unknown = result(NUMPY_COLUMNS, "a function symbp does not read")
    assert unknown.verdict == "error" and "np.einsum is not read" in unknown.error
    assert "column 12" in unknown.error
    axis = result(NUMPY_COLUMNS, "an axis arrays do not have")
    assert axis.verdict == "error" and "axis 2" in axis.error


def test_numpy_sum_over_rows_when_examples_are_rows():
    rows = ROWS + r"""
[[claim]]
name = "db2"
latex = '\frac{\partial L}{\partial b_2} = np.sum(\frac{\partial L}{\partial S}, axis=0, keepdims=True)'
[[claim]]
name = "db2 as a sum over the examples"
latex = '\frac{\partial L}{\partial b_2} = \sum_{i=1}^{N} \frac{\partial L}{\partial S}'
[[claim]]
name = "db2 over the wrong axis"
latex = '\frac{\partial L}{\partial b_2} = np.sum(\frac{\partial L}{\partial S}, axis=1, keepdims=True)'
"""
    assert verdict(rows, "db2") == "holds", result(rows, "db2")
    assert verdict(rows, "db2 as a sum over the examples") == "holds"
    assert any("across its rows" in r for r in result(rows, "db2 as a sum over the examples").readings)
    assert verdict(rows, "db2 over the wrong axis") == "fails"


# -- Ng's logistic regression: one neuron, w^T x + b, L(a, y), the batch as rows of one -----------
LOGISTIC = r"""
layers = [[2, 1], [3, 1]]
first_layer = 0
define = [
  'z^{(i)} = w^T x^{(i)} + b',
  '\hat{y}^{(i)} = a^{(i)} = \sigma(z^{(i)})',
  '\sigma(z) = \frac{1}{1 + e^{-z}}',
  '\mathcal{L}(a, y) = -(y \log(a) + (1 - y) \log(1 - a))',
  'J(w, b) = \frac{1}{m} \sum_{i=1}^{m} \mathcal{L}(a^{(i)}, y^{(i)})',
  'dw = \frac{\partial J}{\partial w}',
  'db = \frac{\partial J}{\partial b}',
]
[[claim]]
name = "dz"
latex = '\frac{\partial \mathcal{L}(a^{(i)}, y^{(i)})}{\partial z^{(i)}} = a^{(i)} - y^{(i)}'
[[claim]]
name = "dz of the prediction"
latex = '\frac{\partial \mathcal{L}(\hat{y}^{(i)}, y^{(i)})}{\partial z^{(i)}} = \hat{y}^{(i)} - y^{(i)}'
[[claim]]
name = "dw"
latex = 'dw = \frac{1}{m} X (A - Y)^T'
[[claim]]
name = "dw by entries"
latex = '\frac{\partial J}{\partial w_j} = \frac{1}{m} \sum_{i=1}^{m} x^{(i)}_j (a^{(i)} - y^{(i)})'
[[claim]]
name = "db"
latex = 'db = \frac{1}{m} np.sum(A - Y)'
[[claim]]
name = "step"
latex = 'w = w - \alpha dw'
[[claim]]
name = "dw without 1/m"
latex = 'dw = X (A - Y)^T'
[[claim]]
name = "dw transposed"
latex = 'dw = \frac{1}{m} (A - Y) X^T'
[[claim]]
name = "step uphill"
latex = 'w = w + \alpha dw'
[[claim]]
name = "dz with the loss of the wrong argument order"
latex = '\frac{\partial \mathcal{L}(y^{(i)}, a^{(i)})}{\partial z^{(i)}} = a^{(i)} - y^{(i)}'
"""


def test_logistic_regression_as_one_neuron_over_a_batch():
    """z = w^T x + b in a network of one layer: w and x run over the inputs; X, A, Y are the
    batch matrices of x, a, y (A and Y one row, a and y being numbers); a defined function of
    two arguments is its formula; names chained to one formula are each that formula."""
    for name in ("dz", "dz of the prediction", "dw", "dw by entries", "db", "step"):
        assert verdict(LOGISTIC, name) == "holds", result(LOGISTIC, name)
    readings = result(LOGISTIC, "dw").readings
    assert any("w, x read as vectors over the inputs" in r for r in readings), readings
    assert any(r.startswith("X read as the batch matrix") for r in readings), readings
    assert any("read as an update" in r for r in result(LOGISTIC, "step").readings)


def test_logistic_regression_slips_fail():
    missing = result(LOGISTIC, "dw without 1/m")
    assert missing.verdict == "fails" and "factor 1/m is missing" in missing.diagnosis, missing
    assert verdict(LOGISTIC, "dw transposed") == "fails"
    uphill = result(LOGISTIC, "step uphill")
    assert uphill.verdict == "fails" and "sign" in uphill.diagnosis, uphill
    assert verdict(LOGISTIC, "dz with the loss of the wrong argument order") == "fails"


# -- Ng's lecture as transcripts print it: examples numbered by subscripts, A = [a_1, ..., a_m] ---
SUBSCRIPTED = r"""
layers = [[2, 1], [3, 1]]
first_layer = 0
define = [
  'z_i = w^T x_i + b',
  'a_i = \sigma(z_i)',
  '\sigma(t) = \frac{1}{1 + e^{-t}}',
  '\mathcal{L}(a, y) = -(y \log(a) + (1 - y) \log(1 - a))',
  'J = \frac{1}{m} \sum_{i=1}^{m} \mathcal{L}(a_i, y_i)',
  'dz_i = \frac{\partial \mathcal{L}(a_i, y_i)}{\partial z_i}',
  'dw = \frac{\partial J}{\partial w}',
  'db = \frac{\partial J}{\partial b}',
  'A = [a_1, a_2, \ldots, a_m]',
  'Y = [y_1, y_2, \ldots, y_m]',
  'dZ = [dz_1, dz_2, \ldots, dz_m]',
]
[[claim]]
name = "dZ"
latex = 'dZ = A - Y'
[[claim]]
name = "db"
latex = 'db = \frac{1}{m} \times \text{np.sum}(dZ)'
[[claim]]
name = "dw"
latex = 'dw = \frac{1}{m} X \times dZ^T'
[[claim]]
name = "dw by terms"
latex = 'dw = \frac{1}{m} (x_1 \times dz_1 + x_2 \times dz_2 + \ldots + x_m \times dz_m)'
[[claim]]
name = "step"
latex = '\mathbf{w} = \mathbf{w} - \alpha \mathbf{dw}'
[[claim]]
name = "db without 1/m"
latex = 'db = \text{np.sum}(dZ)'
[[claim]]
name = "dw by terms without 1/m"
latex = 'dw = x_1 dz_1 + x_2 dz_2 + \ldots + x_m dz_m'
[[claim]]
name = "dw in the wrong order"
latex = 'dw = \frac{1}{m} dZ^T X'
"""


def test_examples_numbered_by_subscripts_as_lecture_transcripts_print_them():
    """i summed from 1 to m right after 1/m counts the examples; a list [a_1, ..., a_m] is the
    batch; the terms x_1 dz_1 + ... + x_m dz_m run over the examples; y and a are numbers per
    example (one output), so Y and A are rows."""
    for name in ("dZ", "db", "dw", "dw by terms", "step"):
        assert verdict(SUBSCRIPTED, name) == "holds", result(SUBSCRIPTED, name)
    readings = result(SUBSCRIPTED, "dw by terms").readings
    assert any(r.startswith("i") and "counts the training examples" in r for r in readings)
    assert any("sum over the examples" in r for r in readings), readings
    assert any("Y is the row Y_{1j}" in r for r in result(SUBSCRIPTED, "dZ").readings)
    for name in ("db without 1/m", "dw by terms without 1/m"):
        missing = result(SUBSCRIPTED, name)
        assert missing.verdict == "fails" and "factor 1/m" in missing.diagnosis, missing
    wrong = result(SUBSCRIPTED, "dw in the wrong order")
    assert wrong.verdict == "fails" and "shape mismatch" in wrong.diagnosis, wrong


def test_numpy_method_calls_as_cs231n_prints_them():
    """`H.T.dot(dS)`, `dS.dot(W_2.T)`: the matrix product NumPy's method computes."""
    rows = ROWS.replace("]\n[[claim]]", "  'dS = \\frac{\\partial L}{\\partial S}',\n]\n[[claim]]", 1) + r"""
[[claim]]
name = "dW2 by method"
latex = '\frac{\partial L}{\partial W_2} = H.T.dot(dS)'
[[claim]]
name = "dH by method"
latex = '\frac{\partial L}{\partial H} = dS.dot(W_2.T)'
[[claim]]
name = "dH untransposed"
latex = '\frac{\partial L}{\partial H} = dS.dot(W_2)'
"""
    assert "'dS = " in rows
    for name in ("dW2 by method", "dH by method"):
        assert verdict(rows, name) == "holds", result(rows, name)
    wrong = result(rows, "dH untransposed")
    assert wrong.verdict == "fails" and "shape mismatch" in wrong.diagnosis, wrong


# -- Ng's deep network, every layer l at once: A^{[0]} = X, dA^{[L]} by np.divide ----------------
NG_DEEP = r"""
layers = [[2, 3, 2, 1], [3, 2, 1]]
first_layer = 0
examples = [1, 3]
define = [
  'A^{[0]} = X',
  'Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}',
  'A^{[l]} = g^{[l]}(Z^{[l]})',
  'J = -\frac{1}{m} \sum_{i=1}^{m} (y^{(i)} \log a^{[L](i)} + (1 - y^{(i)}) \log(1 - a^{[L](i)}))',
  'a^{[L](i)} = A^{[L]}_{1i}',
  'dA^{[l]} = m \frac{\partial J}{\partial A^{[l]}}',
  'dZ^{[l]} = m \frac{\partial J}{\partial Z^{[l]}}',
  'dW^{[l]} = \frac{\partial J}{\partial W^{[l]}}',
  'db^{[l]} = \frac{\partial J}{\partial b^{[l]}}',
]
[[claim]]
name = "dAL"
latex = 'dA^{[L]} = - (np.divide(Y, A^{[L]}) - np.divide(1 - Y, 1 - A^{[L]}))'
[[claim]]
name = "dZl"
latex = '''dZ^{[l]} = dA^{[l]} * g^{[l]'}(Z^{[l]})'''
[[claim]]
name = "dWl"
latex = 'dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}'
[[claim]]
name = "dAl-1"
latex = 'dA^{[l-1]} = W^{[l]T} dZ^{[l]}'
[[claim]]
name = "dAL with the sign flipped"
latex = 'dA^{[L]} = np.divide(Y, A^{[L]}) - np.divide(1 - Y, 1 - A^{[L]})'
[[claim]]
name = "dAl-1 untransposed"
latex = 'dA^{[l-1]} = W^{[l]} dZ^{[l]}'
"""


def test_ng_deep_network_for_every_layer_with_the_input_layer_as_x():
    for name in ("dAL", "dZl", "dWl", "dAl-1"):
        assert verdict(NG_DEEP, name) == "holds", result(NG_DEEP, name)
    assert any(r.startswith("X read as the batch matrix") for r in result(NG_DEEP, "dWl").readings)
    flipped = result(NG_DEEP, "dAL with the sign flipped")
    assert flipped.verdict == "fails" and "sign" in flipped.diagnosis, flipped
    assert verdict(NG_DEEP, "dAl-1 untransposed") == "fails"


# -- CS231n's softmax: L = \frac{1}{N} \sum_i L_i, the class y_i as an index ------------------------
CLASS_INDEX = r"""
layers = [[3, 3], [2, 4]]
define = [
  'a^1_j = x_j',
  'z^2_k = \sum_j w^2_{kj} a^1_j',
  'a^2_k = \frac{e^{z^2_k}}{\sum_j e^{z^2_j}}',
  'L_i = -\log a^2_{y_i}',
  'L = \frac{1}{N} \sum_i L_i',
]
[[claim]]
name = "dL_i/dz"
latex = '\frac{\partial L_i}{\partial z^2_k} = a^2_k - \mathbb{1}(y_i = k)'
[[claim]]
name = "dL_i/dz against class 1"
latex = '\frac{\partial L_i}{\partial z^2_k} = a^2_k - \mathbb{1}(y_i = 1)'
"""


def test_a_class_label_as_an_index_and_a_mean_over_examples_without_bounds():
    """`a^2_{y_i}`: y_i, the class of example i, is a given unit, checked at each of its values;
    `\\frac{1}{N} \\sum_i L_i` makes i count the examples."""
    holds = result(CLASS_INDEX, "dL_i/dz")
    assert holds.verdict == "holds", holds
    assert any("y_i read as a given unit" in r for r in holds.readings), holds.readings
    assert any(r.startswith("i counts the training examples") for r in holds.readings)
    assert verdict(CLASS_INDEX, "dL_i/dz against class 1") == "fails"


def test_a_mean_over_the_units_of_a_layer_does_not_count_examples():
    """`\\frac{1}{n} \\sum_{j=1}^{n} (y_j - a^L_j)^2`: j indexes a^L, a unit of layer L, so it
    does not count examples (only a letter that subscripts names alone does)."""
    units = r"""
layers = [[2, 3, 2]]
define = [
  'z^l = W^l a^{l-1} + b^l',
  'a^l = \sigma(z^l)',
  'C = \frac{1}{n} \sum_{j=1}^{n} (y_j - a^L_j)^2',
]
[[claim]]
name = "dC/da"
latex = '\frac{\partial C}{\partial a^L_j} = \frac{2}{n} (a^L_j - y_j)'
[[claim]]
name = "dC/da without the 2"
latex = '\frac{\partial C}{\partial a^L_j} = \frac{1}{n} (a^L_j - y_j)'
"""
    holds = result(units, "dC/da")
    assert holds.verdict == "holds", holds
    assert not any("counts the training examples" in r for r in holds.readings), holds.readings
    assert verdict(units, "dC/da without the 2") == "fails"


def test_w_transpose_x_is_one_neuron_only_where_the_network_has_one_output():
    """With two outputs W^T x is a matrix's product, not one neuron's: the one-neuron reading
    (W and x over the inputs) is not taken, and no reading claims it."""
    two = r"""
layers = [[3, 2]]
first_layer = 0
define = [
  'z = W^T x + b',
  'a = \sigma(z)',
  'C = \frac{1}{2} \|a - y\|^2',
]
[[claim]]
name = "dC/db"
latex = '''\frac{\partial C}{\partial b} = (a - y) \odot \sigma'(z)'''
"""
    readings = result(two, "dC/db").readings
    assert not any("read as vectors over the inputs" in r for r in readings), readings
    assert any("read as vectors over the inputs" in r
               for r in result(two.replace("[[3, 2]]", "[[3, 1]]"), "dC/db").readings)


def test_a_sum_without_an_index_over_a_batch_matrix_sums_its_examples():
    """`\\frac{1}{m} \\sum dZ^{[2]}`: no index, a whole batch matrix: the sum over the examples
    (it was read as the one term dZ^{[2]}, and a true db failed with a shape mismatch)."""
    bare = NUMPY_COLUMNS + r"""
[[claim]]
name = "db2 by a bare sum"
latex = 'db^{[2]} = \frac{1}{m} \sum dZ^{[2]}'
[[claim]]
name = "db2 by a bare sum without 1/m"
latex = 'db^{[2]} = \sum dZ^{[2]}'
"""
    holds = result(bare, "db2 by a bare sum")
    assert holds.verdict == "holds", holds
    assert any("without an index read as the sum over the examples" in r
               for r in holds.readings), holds.readings
    missing = result(bare, "db2 by a bare sum without 1/m")
    assert missing.verdict == "fails" and "factor 1/m" in missing.diagnosis, missing


# Zhou's Machine Learning §5.3 as the Pumpkin Book derives it: \hat{y}_j^k, E_k for the k-th
# example (a bare superscript), thresholds subtracted, a network of named layers.
ZHOU = r"""
layers = [[2, 3, 2], [3, 2, 1]]
examples = 1
cost = 'E_k'
define = [
  'f(x) = \frac{1}{1+e^{-x}}',
  '\alpha_h = \sum_{i=1}^{d} v_{ih} x_i',
  'b_h = f(\alpha_h - \gamma_h)',
  '\beta_j = \sum_{h=1}^{q} w_{hj} b_h',
  '\hat{y}_j^k = f(\beta_j - \theta_j)',
  'E_k = \frac{1}{2} \sum_{j=1}^{l} (\hat{y}_j^k - y_j^k)^2',
  'g_j = \hat{y}_j^k (1 - \hat{y}_j^k)(y_j^k - \hat{y}_j^k)',
  'e_h = b_h (1 - b_h) \sum_{j=1}^{l} w_{hj} g_j',
]
[[claim]]
name = "threshold-step"
latex = '\Delta \theta_j = -\eta \frac{\partial E_k}{\partial \theta_j} = -\eta g_j'
[[claim]]
name = "weight-step"
latex = '\Delta w_{hj} = \eta g_j b_h'
[[claim]]
name = "hidden-step"
latex = '\Delta v_{ih} = \eta e_h x_i'
[[claim]]
name = "hidden-step-sign"
latex = '\Delta v_{ih} = -\eta e_h x_i'
[[claim]]
name = "g-without-slope"
latex = '\frac{\partial E_k}{\partial \beta_j} = \hat{y}_j^k - y_j^k'
"""


def test_a_bare_superscript_beside_the_examples_error_is_the_example():
    for name in ("threshold-step", "weight-step", "hidden-step"):
        assert verdict(ZHOU, name) == "holds", (name, result(ZHOU, name).error)
    assert any("k counts the training examples" in r for r in result(ZHOU, "weight-step").readings)


def test_zhou_steps_with_a_wrong_sign_or_a_missing_slope_fail():
    assert verdict(ZHOU, "hidden-step-sign") == "fails"
    assert verdict(ZHOU, "g-without-slope") == "fails"


# A single linear unit as web tutorials and course pages print it: y = \sum_{i=1}^N w_i.x_i, the
# target y' and the new weight w_i' (primes that are no derivatives), AIMA's W_j I_j.
PERCEPTRON = r"""
layers = [[2, 1], [3, 1]]
define = [
  'y = \sum_{i=1}^N w_i.x_i',
  '''E = \frac{1}{2}(y'-y)^2''',
]
[[claim]]
name = "gradient"
latex = '''\frac{dE}{dw_i} = -(y'-y)x_i'''
[[claim]]
name = "update"
latex = '''w_i'=w_i-\eta.\frac{dE}{dw_i} = w_i+\eta(y'-y)x_i'''
[[claim]]
name = "update-sign"
latex = '''w_i' = w_i - \eta(y'-y)x_i'''
"""

AIMA = r"""
layers = [[2, 1], [3, 1]]
rate = '\alpha'
define = [
  'in = \sum_j W_j I_j',
  'O = g(\sum_j W_j I_j)',
  'Err = T - O',
  'E = \frac{1}{2} (T-O)^2',
]
[[claim]]
name = "gradient"
latex = '''\frac{\partial E}{\partial W_j}=-I_j(T-O)g'(\sum_j W_j I_j) = -I_j \times Err \times g'(in)'''
[[claim]]
name = "gradient-no-slope"
latex = '''\frac{\partial E}{\partial W_j} = -I_j \times Err'''
"""

MEAN_HALF = r"""
layers = [[2, 1], [3, 1]]
examples = 3
define = [
  '\text{net}_i = \sum_j w_j x_j^{(i)}',
  'o_i = \phi(\text{net}_i)',
  'E = \frac{1}{2n} \sum_{i=1}^{n} (t_i - o_i)^2',
]
[[claim]]
name = "gradient"
latex = '''\frac{\partial E}{\partial w_j} = - \frac{1}{n} \sum_{i=1}^{n} (t_i - o_i) \phi'(\text{net}_i) x_j^{(i)}'''
[[claim]]
name = "gradient-no-mean"
latex = '''\frac{\partial E}{\partial w_j} = - \sum_{i=1}^{n} (t_i - o_i) \phi'(\text{net}_i) x_j^{(i)}'''
"""


def test_one_unit_with_primed_targets_and_weights():
    assert verdict(PERCEPTRON, "gradient") == "holds", result(PERCEPTRON, "gradient").error
    assert verdict(PERCEPTRON, "update") == "holds", result(PERCEPTRON, "update").error
    assert any("after one update step" in r for r in result(PERCEPTRON, "update").readings)
    assert any("y' read as a name of its own" in r for r in result(PERCEPTRON, "gradient").readings)
    assert verdict(PERCEPTRON, "update-sign") == "fails"


def test_one_unit_summed_inputs_and_a_family_that_is_no_function():
    assert verdict(AIMA, "gradient") == "holds", result(AIMA, "gradient").error
    assert verdict(AIMA, "gradient-no-slope") == "fails"


def test_half_mean_over_examples_subscripted():
    assert verdict(MEAN_HALF, "gradient") == "holds", result(MEAN_HALF, "gradient").error
    r = result(MEAN_HALF, "gradient-no-mean")
    assert r.verdict == "fails" and "1/m" in (r.diagnosis or ""), r.diagnosis


# Ng's notation as a lecture prints it: := restating a definition inside a claim, A^{[0]} left
# free, a^{[L](i)} tied to column i of A^{[L]}.
RESTATED = r"""
layers = [[2, 2, 1], [2, 3, 2, 1]]
first_layer = 0
examples = 2
cost = 'J'
rate = '\alpha'
define = [
  'Z^{[l]} = W^{[l]}A^{[l-1]} + b^{[l]}',
  'A^{[l]} = g(Z^{[l]})',
  'a^{[L](i)} = A^{[L]}_{1i}',
  '\mathcal{L}(a, y) =  - y  \log(a) - (1-y)  \log(1-a)',
  'J = \frac{1}{m} \sum_{i=1}^m \mathcal{L}(a^{[L](i)}, y^{(i)})',
  'dZ^{[l]} := \frac{\partial J }{\partial Z^{[l]}}',
  'dA^{[l]} := \frac{\partial J }{\partial A^{[l]}}',
  'dW^{[l]} := \frac{\partial J }{\partial W^{[l]}}',
]
[[claim]]
name = "dZ"
latex = '''dZ^{[l]} := \frac{\partial J }{\partial Z^{[l]}} = dA^{[l]} * g'(Z^{[l]})'''
[[claim]]
name = "dA"
latex = '''dA^{[l-1]} := \frac{\partial J }{\partial A^{[l-1]}} = W^{[l] T} dZ^{[l]}'''
[[claim]]
name = "dW-extra-mean"
latex = '''dW^{[l]} := \frac{\partial J }{\partial W^{[l]}} = \frac{1}{m} dZ^{[l]} A^{[l-1] T}'''
[[claim]]
name = "update"
latex = 'W^{[l]} = W^{[l]} - \alpha dW^{[l]}'
"""


def test_a_definition_restated_with_colon_equals_is_an_equation():
    for name in ("dZ", "dA", "update"):
        assert verdict(RESTATED, name) == "holds", (name, result(RESTATED, name).error,
                                                    result(RESTATED, name).diagnosis)
    assert any("definition restated" in r for r in result(RESTATED, "dZ").readings)
    r = result(RESTATED, "dW-extra-mean")
    assert r.verdict == "fails" and "1/m" in (r.diagnosis or ""), r.diagnosis


INPUTS_BY_EXAMPLE = r"""
layers = [[2, 1], [3, 1]]
examples = 2
define = [
  'E = \frac{1}{2N} \sum_{n=1}^{N} (d_n - y_n)^2',
  'y_n = f(s_n)',
  's_n = \sum_{k} v_k x_{nk}',
]
[[claim]]
name = "gradient"
latex = '''\frac{\partial E}{\partial v_k} = -\frac{1}{N} \sum_{n=1}^{N} (d_n - y_n) f'(s_n) x_{nk}'''
[[claim]]
name = "gradient-inputs-swapped"
latex = '''\frac{\partial E}{\partial v_k} = -\frac{1}{N} \sum_{n=1}^{N} (d_n - y_n) f'(s_n) x_{kn}'''
where = 'k \le 1'
"""

SHARED_WEIGHTS = r"""
layers = [[2, 1], [3, 1]]
define = [
  'o_p = \sum_{i} w_i x_{i,p}',
  'E = \frac{1}{2} \sum_p (t_p - o_p)^2',
]
[[claim]]
name = "rule"
latex = '\Delta w_i = \eta \sum_p (t_p - o_p) x_{i,p}'
[[claim]]
name = "rule-sign"
latex = '\Delta w_i = -\eta \sum_p (t_p - o_p) x_{i,p}'
[[claim]]
name = "one-example"
latex = '\Delta w_i = \eta (t_p - o_p) x_{ip}'
"""


def test_inputs_subscripted_by_example_and_unit():
    """x_{nk}: input k of example n, where n is averaged over the examples."""
    assert verdict(INPUTS_BY_EXAMPLE, "gradient") == "holds", \
        result(INPUTS_BY_EXAMPLE, "gradient").error
    assert verdict(INPUTS_BY_EXAMPLE, "gradient-inputs-swapped") == "fails"


def test_weights_shared_by_every_example_make_its_letter_count_examples():
    """o_p = Σ_i w_i x_{i,p}: every o_p uses the same weights, so p is no unit but an example
    (Mitchell's linear unit); η before a bracket is the rate, never a function."""
    r = result(SHARED_WEIGHTS, "rule")
    assert r.verdict == "holds", (r.error, r.diagnosis)
    r = result(SHARED_WEIGHTS, "rule-sign")
    assert r.verdict == "fails" and "sign" in r.diagnosis
    assert verdict(SHARED_WEIGHTS, "one-example") == "fails"


LINEAR_REGRESSION = r"""
define = [
  'h_\theta(x) = \theta_0 + \theta_1 x',
  'J(\theta_0, \theta_1) = \frac{1}{2m} \sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})^2',
]
[[claim]]
name = "step-1"
latex = '\theta_1 := \theta_1 - \alpha \frac{1}{m} \sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)}) x^{(i)}'
[[claim]]
name = "step-0-no-mean"
latex = '\theta_0 := \theta_0 - \alpha \sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})'
[[claim]]
name = "gradient-0"
latex = '\frac{\partial J}{\partial \theta_0} = \frac{1}{m} \sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})'
"""


def test_a_hypothesis_labelled_by_its_parameters_and_batches_without_layers():
    """Ng's h_θ(x): θ names the parameters θ_0, θ_1, not an index; a file without `layers`
    that counts examples is checked on batches of one and two, so a missing 1/m shows."""
    for name in ("step-1", "gradient-0"):
        r = result(LINEAR_REGRESSION, name)
        assert r.verdict == "holds", (name, r.error, r.diagnosis)
    assert any("h_{\\theta} read as one name" in x for x in result(LINEAR_REGRESSION,
                                                                   "step-1").readings)
    r = result(LINEAR_REGRESSION, "step-0-no-mean")
    assert r.verdict == "fails" and "1/m" in r.diagnosis, r


CODE_SUM = r"""
layers = [[2, 3, 1]]
first_layer = 0
examples = 3
define = [
  'Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}',
  'A^{[l]} = \sigma(Z^{[l]})',
  'J = \frac{1}{2m} \sum_{i=1}^{m} (a^{[L](i)} - y^{(i)})^2',
  'a^{[L](i)} = A^{[L]}_{1i}',
  'dZ^{[l]} = m \frac{\partial J}{\partial Z^{[l]}}',
]
[[claim]]
name = "db"
latex = '\frac{\partial J}{\partial b^{[l]}} = \frac{1}{m} sum(dZ^{[l]})'
[[claim]]
name = "db-no-mean"
latex = '\frac{\partial J}{\partial b^{[l]}} = sum(dZ^{[l]})'
"""


def test_sum_as_code_prints_it_adds_up_the_examples():
    r = result(CODE_SUM, "db")
    assert r.verdict == "holds", (r.error, r.diagnosis)
    assert any("sum(…) read as" in x for x in r.readings)
    assert verdict(CODE_SUM, "db-no-mean") == "fails"


GENERIC_LOSS = r"""
layers = [[2, 3, 1], [3, 2, 2, 1]]
first_layer = 0
define = [
  'Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}',
  'A^{[l]} = g^{[l]}(Z^{[l]})',
  'A^{[0]} = X',
  '\hat{y}^{(i)} = A^{[L]}_{1i}',
  'J = \frac{1}{m} \sum_{i=1}^{m} L(\hat{y}^{(i)}, y^{(i)})',
  'dA^{[l]} = m \frac{\partial J}{\partial A^{[l]}}',
  'dZ^{[l]} = m \frac{\partial J}{\partial Z^{[l]}}',
]
[[claim]]
name = "dA"
latex = 'dA^{[l-1]} = W^{[l]^T} dZ^{[l]}'
where = '2 \le l \le L'
[[claim]]
name = "dA-untransposed"
latex = 'dA^{[l-1]} = W^{[l]} dZ^{[l]}'
where = '2 \le l \le L'
[[claim]]
name = "dZ"
latex = '''dZ^{[l]} = dA^{[l]} * g'^{[l]}(Z^{[l]})'''
"""


def test_a_generic_loss_of_a_list_and_a_transpose_inside_the_layer_script():
    """`L(\\hat{y}, y)` is a loss function (a list has no other use) while a bare L stays the
    depth in `where`; `W^{[l]^T}` is the transpose of W^{[l]}."""
    for name in ("dA", "dZ"):
        r = result(GENERIC_LOSS, name)
        assert r.verdict == "holds", (name, r.error, r.diagnosis)
    r = result(GENERIC_LOSS, "dA-untransposed")
    assert r.verdict == "fails" and "shape" in r.diagnosis


ERROR_VECTOR = r"""
layers = [[2, 3, 2]]
rate = '\mu'
define = [
  'y_i = \sum_j y_j \omega_{ji}',
  'e_i = y_i - d_i',
  'E = \frac{1}{2} e^2',
]
[[claim]]
name = "rule"
latex = '\Delta\omega_{ji} = \mu \left(d_i - \sum_j y_j \omega_{ji}\right) y_j'
[[claim]]
name = "rule-sign"
latex = '\Delta\omega_{ji} = \mu e_i y_j'
"""


def test_the_targets_of_an_error_vector_the_cost_reads_whole_lie_on_the_output():
    """E = ½ e² beside e_i = y_i - d_i: e is the output's error, so the desired d_i lives on
    the output layer and a rule printed with d_i is checked there, not on hidden layers."""
    r = result(ERROR_VECTOR, "rule")
    assert r.verdict == "holds", (r.error, r.diagnosis)
    assert verdict(ERROR_VECTOR, "rule-sign") == "fails"


HAYKIN = r"""
layers = [[2, 3, 2]]
examples = 1
define = [
  'e_j(n) = d_j(n) - y_j(n)',
  'E(n) = \frac{1}{2} \sum_j e_j^2(n)',
  'v_j(n) = \sum_i w_{ji}(n) y_i(n)',
  'y_j(n) = \varphi_j(v_j(n))',
  '\delta_j(n) = -\frac{\partial E(n)}{\partial v_j(n)}',
]
[[claim]]
name = "output-delta"
latex = '''\delta_j(n) = e_j(n) \varphi'_j(v_j(n))'''
where = 'j \le 2'
[[claim]]
name = "update"
latex = '\Delta w_{ji}(n) = \eta \delta_j(n) y_i(n)'
[[claim]]
name = "update-sign"
latex = '\Delta w_{ji}(n) = -\eta \delta_j(n) y_i(n)'
[[claim]]
name = "logistic"
define = ['\varphi_j(v) = \frac{1}{1 + e^{-a v}}']
latex = '''\varphi'_j(v_j(n)) = a y_j(n) (1 - y_j(n))'''
[[claim]]
name = "logistic-no-a"
define = ['\varphi_j(v) = \frac{1}{1 + e^{-a v}}']
latex = '''\varphi'_j(v_j(n)) = y_j(n) (1 - y_j(n))'''
"""


def test_haykin_pattern_argument_on_an_unindexed_error_and_on_updates():
    """E(n) beside e_j(n): E at pattern n, never a function of n (δ had come out 0); Δw_{ji}(n)
    descends E(n); φ_j(v) = … defines the activation of every unit j."""
    for name in ("output-delta", "update", "logistic"):
        r = result(HAYKIN, name)
        assert r.verdict == "holds", (name, r.error, r.diagnosis)
    assert verdict(HAYKIN, "update-sign") == "fails"
    assert verdict(HAYKIN, "logistic-no-a") == "fails"


def test_a_mean_whose_bound_also_counts_softmax_units_does_not_count_examples():
    """`E = \\frac{1}{N}\\sum_{i=1}^N (a_i - y_i)^2` beside the softmax's `\\sum_{j=1}^N e^{z_j}`:
    N bounds a sum over the units too, so i is a unit, not an example."""
    text = r"""
layers = [[3, 2], [2, 4]]
define = [
  'z = x \cdot w + b',
  'a_i = \frac{e^{z_i}}{\sum_{j=1}^N e^{z_j}}',
  'E = \frac{1}{N} \sum^{N}_{i=1} (a_{i} - y_{i})^{2}',
]
[[claim]]
name = "diagonal"
latex = '\frac{\partial a_i}{\partial z_m} = a_i(1-a_m)'
where = 'i = m'
[[claim]]
name = "everywhere"
latex = '\frac{\partial a_i}{\partial z_m} = a_i(1-a_m)'
"""
    r = result(text, "diagonal")
    assert r.verdict == "holds", (r.error, r.diagnosis)
    assert not any("counts the training examples" in x for x in r.readings)
    assert verdict(text, "everywhere") == "fails"


# -- the example after the layer in one superscript: a^{l,m} (Südmersen) -------------------------
LAYER_THEN_EXAMPLE = r"""
layers = [[2, 3, 2]]
first_layer = 0
examples = 2
define = [
  'a_i^{0, m} = x_i^m',
  'z_i^{l, m} = \sum_{k=1}^{n^{l-1}} a_k^{l-1, m} w_{i, k}^{l} + b_i^l',
  'a_i^{l, m} = f(z_i^{l, m})',
  'L^m = \frac{1}{2} \sum_{i} (a_i^{L, m} - y_i^m)^2',
  'C = \frac{1}{M} \sum_{m=1}^M L^m',
  '\delta^{l, m}_j = \frac{\partial L^m}{\partial z^{l, m}_j}',
]
[[claim]]
name = "bp1"
latex = '''\delta^{L, m}_j = (a^{L, m}_j - y^m_j) f'(z^{L, m}_j)'''
[[claim]]
name = "bp4"
latex = '\frac{\partial C}{\partial b^l_j} = \frac{1}{M} \sum_{m=1}^M \delta^{l, m}_j'
[[claim]]
name = "bp4-sum"
latex = '\frac{\partial C}{\partial b^l_j} = \sum_{m=1}^M \delta^{l, m}_j'
"""


def test_the_example_after_the_layer_in_one_superscript():
    """`a^{l,m}`, `a^{0,m}`: layer l (or 0) and example m, as Nielsen's `a^{x,l}` the other way
    round; M bounding the sum over m is the number of examples."""
    results = {r.name: r for r in check_text(LAYER_THEN_EXAMPLE, "lm.toml")}
    for name in ("bp1", "bp4"):
        assert results[name].verdict == "holds", (name, results[name].error)
    assert "1/m is missing" in results["bp4-sum"].diagnosis


#: A network whose per-example quantities carry the example and the layer in parentheses.
EXAMPLE_AND_LAYER = r"""
layers = [[2, 3, 2]]
first_layer = 0
define = [
  'a^{(i, 0)} = x^{(i)}',
  'z^{(i, \ell)} = W^{(\ell)} a^{(i, \ell - 1)} + b^{(\ell)}',
  'a^{(i, \ell)} = f(z^{(i, \ell)})',
  'C_i = \frac{1}{2} \|a^{(i, L)} - y^{(i)}\|^2',
  'C = \frac{1}{m} \sum_{i=1}^m C_i',
]
"""


def test_the_example_and_the_layer_in_one_pair_of_parentheses():
    """`a^{(i, \\ell)}`: example i and layer ℓ, as `a^{x,l}` is, printed in parentheses."""
    text = EXAMPLE_AND_LAYER + r"""
[[claim]]
name = "bias"
latex = '''\frac{\partial C}{\partial b^{(L)}} = \frac{1}{m} \sum_{i=1}^m ((a^{(i, L)} - y^{(i)}) \odot f'(z^{(i, L)}))'''
[[claim]]
name = "bias-no-mean"
latex = '''\frac{\partial C}{\partial b^{(L)}} = \sum_{i=1}^m ((a^{(i, L)} - y^{(i)}) \odot f'(z^{(i, L)}))'''
"""
    results = {r.name: r for r in check_text(text, "il.toml")}
    assert results["bias"].verdict == "holds", results["bias"].error
    assert results["bias-no-mean"].verdict == "fails"


def test_a_sum_takes_in_the_elementwise_product_whose_factor_carries_its_index():
    """`\\frac{1}{m} \\sum_i (a^{(i,L)} - y^{(i)}) \\odot f'(z^{(i,L)})`: the sum runs over the whole
    product (i is printed after ⊙); read with the sum ending before ⊙, i was left free."""
    text = EXAMPLE_AND_LAYER + r"""
[[claim]]
name = "bias"
latex = '''\frac{\partial C}{\partial b^{(L)}} = \frac{1}{m} \sum_{i=1}^m (a^{(i, L)} - y^{(i)}) \odot f'(z^{(i, L)})'''
[[claim]]
name = "bias-no-slope"
latex = '''\frac{\partial C}{\partial b^{(L)}} = \frac{1}{m} \sum_{i=1}^m (a^{(i, L)} - y^{(i)})'''
"""
    results = {r.name: r for r in check_text(text, "sum.toml")}
    assert results["bias"].verdict == "holds", results["bias"].error
    assert any("taking in the elementwise product" in x for x in results["bias"].readings)
    assert results["bias-no-slope"].verdict == "fails"
