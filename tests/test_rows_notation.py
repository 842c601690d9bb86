"""Examples as rows, as NumPy tutorials print the forward pass (`z_1 = X W_1 + b_1`,
`z_2 = a_1 W_2 + b_2`): the subscripts are layers, `(z_2)_{ik}` is an entry of z_2 and
`a_1^2` the square of a_1, never unit 1 of a layer 2."""
from __future__ import annotations

import functools
import textwrap

from symbp.check import check_text

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


@functools.cache
def _results() -> dict:
    return {r.name: r for r in check_text(textwrap.dedent(ROWS), "rows.toml")}


def test_row_form_true_claims_hold():
    for name in ("dW2", "dz1", "entry"):
        assert _results()[name].verdict == "holds", (name, _results()[name].error)


def test_row_form_wrong_claims_fail():
    results = _results()
    assert results["dW2-transposed"].verdict == "fails"
    assert "shape mismatch" in results["dW2-transposed"].diagnosis
    assert results["dz1-no-square"].verdict == "fails"


def test_a_layer_subscript_with_a_digit_superscript_is_a_power():
    readings = " ".join(_results()["dz1"].readings)
    assert "read as layers" in readings
    assert "one example per row" in readings


def test_entries_of_a_parenthesised_name():
    result = _results()["entry"]
    assert any("read as an entry of z" in r for r in result.readings)
    assert _results()["entry-transposed"].verdict == "fails"
