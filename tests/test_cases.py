"""Claims printed by cases (`\\begin{cases} … & \\text{if output neuron} \\\\ … & \\text{otherwise}
\\end{cases}`): each case is checked where its condition holds; a wrong case fails and names
itself; the reading of a condition in words is reported; an unreadable condition is refused at
its column with the forms to write instead."""
from __future__ import annotations

import functools
import textwrap

from symbp.check import check_text
from symbp.notation.cases import split_cases


@functools.cache
def _run(text: str) -> dict:
    return {r.name: r for r in check_text(textwrap.dedent(text), "cases.toml")}


NIELSEN = r"""
layers = [[2, 3, 2], [3, 2, 4, 2]]
define = [
  'z^l = w^l a^{l-1} + b^l',
  'a^l = \sigma(z^l)',
  'C = \frac{1}{2} \|y - a^L\|^2',
  '\delta^l = \frac{\partial C}{\partial z^l}',
]
[[claim]]
name = "comparisons"
latex = '''\delta^l = \begin{cases} (a^L - y) \odot \sigma'(z^L) & \text{if } l = L \\ ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l) & \text{if } l < L \end{cases}'''
[[claim]]
name = "words"
latex = '''\delta^l = \begin{cases} (a^L - y) \odot \sigma'(z^L) & \text{for the output layer} \\ ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l) & \text{otherwise} \end{cases}.'''
[[claim]]
name = "otherwise-beside-a-comparison"
latex = '''\delta^l = \begin{cases} (a^L - y) \odot \sigma'(z^L) & \text{if } l = L, \\ ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l) & \text{otherwise} \end{cases}'''
[[claim]]
name = "derivative-by-cases"
latex = '''\frac{\partial C}{\partial z^l} = \begin{cases} (a^L - y) \odot \sigma'(z^L) & \text{output layer} \\ ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l) & \text{hidden layers} \end{cases}'''
[[claim]]
name = "no-transpose"
latex = '''\delta^l = \begin{cases} (a^L - y) \odot \sigma'(z^L) & l = L \\ (w^{l+1} \delta^{l+1}) \odot \sigma'(z^l) & l < L \end{cases}'''
[[claim]]
name = "output-case-wrong"
latex = '''\delta^l = \begin{cases} (y - a^L) \odot \sigma'(z^L) & \text{if output neuron} \\ ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l) & \text{otherwise} \end{cases}'''
[[claim]]
name = "unread-condition"
latex = '''\delta^l = \begin{cases} (a^L - y) \odot \sigma'(z^L) & \text{if it rains} \\ 0 & \text{otherwise} \end{cases}'''
"""

SOURCE_002 = r"""
layers = [[2, 3, 2], [2, 2, 3, 2]]
sets = { L = "previous" }
define = [
  'o_j = \sigma(n_j)',
  'n_j = \left(\sum_{\ell \in L} w_{\ell j} o_\ell \right) - b_j',
  '\sigma(x) = \frac{1}{1 + e^{-x}}',
  'E = \|\vec{o} - \vec{t}\|^2',
  '\delta_j = \frac{\partial E}{\partial n_j}',
]
[[claim]]
name = "as-printed"
latex = '\delta_j = \begin{cases} \frac{\partial E}{\partial o_j} \frac{\partial o_j}{\partial n_j} & \text{if output neuron} \\ \sum_{\ell \in L} \delta_\ell w_{j\ell} & \text{otherwise} \end{cases}.'
sets = { L = "next" }
[[claim]]
name = "with-sigma-prime"
latex = '''\delta_j = \begin{cases} \frac{\partial E}{\partial o_j} \frac{\partial o_j}{\partial n_j} & \text{if output neuron} \\ \sigma'(n_j) \sum_{\ell \in L} \delta_\ell w_{j\ell} & \text{otherwise} \end{cases}'''
sets = { L = "next" }
"""


def test_cases_with_comparisons_and_with_words_hold():
    for name in ("comparisons", "words"):
        result = _run(NIELSEN)[name]
        assert result.verdict == "holds", result
        assert result.instances >= 4          # both cases, on both networks
    words = _run(NIELSEN)["words"].readings
    assert any("for the output layer" in r and "output layer L" in r for r in words), words
    assert any("otherwise" in r and "before the output layer" in r for r in words), words


def test_a_derivative_by_cases_is_on_the_layer_it_differentiates_by():
    result = _run(NIELSEN)["derivative-by-cases"]
    assert result.verdict == "holds" and result.instances >= 4, result


def test_otherwise_beside_one_comparison_is_its_negation():
    result = _run(NIELSEN)["otherwise-beside-a-comparison"]
    assert result.verdict == "holds" and result.instances >= 4, result


def test_a_wrong_case_fails_and_names_itself():
    wrong = _run(NIELSEN)["no-transpose"]
    assert wrong.verdict == "fails" and wrong.instance.startswith("case 2 (l < L)"), wrong
    assert "shape mismatch" in wrong.diagnosis
    sign = _run(NIELSEN)["output-case-wrong"]
    assert sign.verdict == "fails" and sign.instance.startswith("case 1 (\\text{if output"), sign


def test_an_unread_condition_is_refused_at_its_column():
    refused = _run(NIELSEN)["unread-condition"]
    assert refused.verdict == "error"
    assert "if it rains" in refused.error and "l = L" in refused.error
    latex = textwrap.dedent(NIELSEN).split("unread-condition")[1].split("'''")[1]
    column = int(refused.error.split("column ")[1].split(":")[0])
    assert latex[column - 1:].startswith(r"\text{if it rains}"), (column, latex)


def test_source_002_delta_by_cases_without_layer_scripts():
    """002 prints δ_j by cases with no layer scripts: the hidden case lacks σ'(n_j)."""
    printed = _run(SOURCE_002)["as-printed"]
    assert printed.verdict == "fails" and "otherwise" in printed.instance, printed
    assert _run(SOURCE_002)["with-sigma-prime"].verdict == "holds"


def test_splitting_keeps_every_column():
    latex = r"\delta_j = \begin{cases} A_j & \text{if output} \\ B_j & \text{otherwise} \end{cases}."
    first, second = split_cases(latex)
    assert len(first.text) == len(latex) == len(second.text)
    assert first.text.index("A_j") == latex.index("A_j")
    assert second.text.index("B_j") == latex.index("B_j") and "A_j" not in second.text
    assert (first.meaning, second.meaning) == ("output", "otherwise")
    assert split_cases(r"\delta = A") is None
