"""Malformed or meaningless formulas are rejected with a message naming file, claim and column."""
from __future__ import annotations

from symbp.check import check_text

import re
import time

import pytest

from symbp.errors import LimitError, SymbpError
from symbp.notation.limits import LIMITS
from symbp.notation.parser import parse
from tests.notation_helpers import verdicts


@pytest.mark.parametrize("text, column", [
    (r"a = (b + c", 11),          # unclosed bracket: at the end
    (r"a = b +", 8),
    (r"a = b ) c", 7),
    (r"a = \frac{1}", 13),
    (r"a = b # c", 7),
    (r"a_{1", 5),
])
def test_syntax_errors_carry_the_column(text, column):
    with pytest.raises(SymbpError) as info:
        parse(text, file="f.toml", claim="c1")
    err = info.value
    assert (err.file, err.claim, err.column) == ("f.toml", "c1", column)
    assert "f.toml" in str(err) and "claim c1" in str(err) and f"column {column}" in str(err)


def test_million_character_formula_is_refused_fast():
    start = time.perf_counter()
    with pytest.raises(LimitError, match="exceeds the limit"):
        parse("a" * 1_000_000, file="f.toml", claim="big")
    assert time.perf_counter() - start < 0.5


def test_deep_nesting_is_refused_with_a_column():
    depth = int(LIMITS["nesting"]) + 5
    with pytest.raises(LimitError) as info:
        parse("{" * depth + "a" + "}" * depth + " = 1", file="f.toml", claim="deep")
    assert info.value.column == LIMITS["nesting"] + 1


def _error(results, name="c1"):
    r = next(r for r in results if r.name == name)
    assert r.verdict == "error", (r.verdict, r.error)
    return r.error


@pytest.mark.parametrize("claim, pattern", [
    (r"\delta^l = q^l_j", r"q is not defined, and no definition uses it"),
    (r"\frac{\partial \mathcal{C}}{\partial z^2_1} = 0", r"differentiated but never defined"),
    (r"\frac{\partial C}{\partial \delta^2_1} = 0", r"nothing is computed from δ"),
    (r"q = \sum_k 1", r"cannot infer the range of the sum index k"),
    (r"\frac{\partial^2 C}{\partial w^2_{11}} = 0", r"higher"),
    (r"a^2_1 \le 3", r"cannot be checked"),
    (r"\delta^l = 2 \implies", r"unexpected|ends too early"),
    (r"\infty = 1", r"not supported"),
    (r"a^7_1 = 0", r"no instance of this claim is in range"),
])
def test_meaningless_claims_are_located_errors(claim, pattern):
    message = _error(verdicts(claim))
    assert re.search(pattern, message), message
    assert message.startswith("t.toml, claim c1")
    assert "column" in message


def test_other_claims_still_checked_after_an_error():
    results = verdicts(r"a = (", r"\frac{\partial C}{\partial b^3_j} = \delta^3_j")
    assert [r.verdict for r in results] == ["error", "holds"]


def test_index_whose_range_cannot_be_inferred():
    header = "layers = [[2, 2]]\ndefine = ['V_{jk} = u_{jk}']\n"
    message = _error(verdicts("V = 0", header=header))
    assert "cannot infer the range" in message


def test_cycle_in_definitions_is_an_error():
    header = "layers = [[2, 2]]\ndefine = ['p = q + 1', 'q = p']\n"
    message = _error(verdicts("p = 0", header=header))
    assert "cycle" in message


def test_a_cost_reading_a_layer_letter_it_does_not_bind_reads_the_output_layer():
    """`C = ½‖a^l - y‖²` beside `z^l = W^l a^{l-1} + b^l`: the cost has no layer of its own,
    so its l is the output layer (said in a reading), while the other definitions keep their l
    (never all read as L). A definition whose left side binds another letter is refused."""
    text = r"""
layers = [[2, 3, 1]]
define = ['z^{l} = W^{l} a^{l-1} + b^{l}', 'a^{l} = \sigma(z^{l})', 'C = \frac{1}{2} \|a^{l} - y\|^2']
[[claim]]
name = 'out'
latex = '\frac{\partial C}{\partial a^L} = a^L - y'
[[claim]]
name = 'hidden'
latex = '''\frac{\partial C}{\partial a^{L-1}} = (W^L)^T ((a^L - y) \odot \sigma'(z^L))'''
[[claim]]
name = 'out-sign'
latex = '\frac{\partial C}{\partial a^L} = y - a^L'
"""
    results = {r.name: r for r in check_text(text, "cost.toml")}
    assert results["out"].verdict == "holds", results["out"].error
    assert any("read as the output layer" in x for x in results["out"].readings)
    assert results["hidden"].verdict == "holds", results["hidden"].error
    assert results["out-sign"].verdict == "fails"
    header = ("layers = [[2, 3, 1]]\ndefine = ['z^{k} = W^{k} a^{l} + b^{k}', "
              "'a^{l} = \\sigma(z^{l})']\n")
    message = _error(verdicts(r"\frac{\partial z^2}{\partial b^2} = 1", header=header))
    assert "reads layer l" in message and "L for the output layer" in message


def test_an_error_in_a_definitions_right_side_names_that_definition_and_its_column():
    text = r"""
layers = [[2, 3, 2]]
define = ['z^{l} = W^{l} a^{l-1} + b^{l}', 'a^{l} = \sigma(z^{l})',
          'C = \frac{1}{2} \sum_{i=1}^{q+1} (y_i - a^{L}_i)^2']
[[claim]]
name = 'out'
latex = '\frac{\partial C}{\partial a^L_1} = a^L_1 - y_1'
"""
    error = check_text(text, "def.toml")[0].error
    assert "definition 'C = " in error and "column 29: expected an integer" in error, error
