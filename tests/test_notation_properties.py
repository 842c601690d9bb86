"""Property tests: random and mutated formulas and files never raise anything but a located
`SymbpError` (from the parser) and never make `check_text` raise at all."""
from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbp.check import check_text
from symbp.errors import SymbpError
from symbp.notation.parser import parse
from tests.notation_helpers import toml_claims

TOKENS = ["a", "w", "z", "C", "x", "y", "j", "k", "l", "L", "1", "2", "0.5", "^", "_", "{", "}",
          "(", ")", "[", "]", "+", "-", "=", "'", ",", "/", r"\frac", r"\partial", r"\sum",
          r"\sigma", r"\delta", r"\odot", r"\cdot", r"\nabla", r"\|", r"\left(", r"\right)",
          r"\mathbf", r"\vec", r"\ln", r"\exp", r"\approx", r"\implies", r"\prime", "T", " ",
          r"\ell", r"\in", r"\otimes", r"\top", r"\foo", "#", "&", "\\\\"]

VALID = [
    r"\delta^L = \nabla_a C \odot \sigma'(z^L)",
    r"\delta^l = ((W^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)",
    r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j",
    r"\frac{\partial C}{\partial b^l_j} = \sum_{k=1}^{2} \delta^l_j x_k",
    r"C = \frac{1}{2} \|y - a^L\|^2 = \frac12 \sum_j (a^L_j - y_j)^2",
    r"\partial_{z^3_1} C = \frac{\partial}{\partial z^3_1} C",
]

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def _located(message: str) -> bool:
    return message.startswith("t.toml, claim c1") and re.search(r"column \d+", message) is not None


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))
def test_random_token_strings_parse_or_raise_a_located_error(text):
    try:
        parse(text, file="f.toml", claim="c")
    except SymbpError as err:
        assert err.file == "f.toml" and err.claim == "c"
        assert err.column is not None and err.column >= 1
        assert "f.toml, claim c, column" in str(err)


@st.composite
def mutated(draw):
    text = draw(st.sampled_from(VALID))
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        token = draw(st.sampled_from(TOKENS))
        if op == "insert":
            text = text[:i] + token + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + 1:]
        else:
            text = text[:i] + token + text[i + 1:]
    return text


@FAST
@given(mutated())
def test_mutated_claims_get_a_verdict_or_a_located_error(formula):
    formula = formula.replace("'''", "")
    results = check_text(toml_claims(formula), "t.toml", claim_seconds=2)
    assert len(results) == 1
    (r,) = results
    assert r.verdict in ("holds", "fails", "undecided", "error")
    if r.verdict == "error":
        assert _located(r.error) or r.name == "(file)", r.error


@FAST
@given(st.data())
def test_mutated_files_never_raise(data):
    text = toml_claims(VALID[2], VALID[0])
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        piece = data.draw(st.sampled_from(["[", "]", "'", '"', "=", "\n", "[[claim]]", "x",
                                           "layers = 3", "{", "\\", "expect = 'fails'"]))
        text = text[:i] + piece + text[i + data.draw(st.integers(0, 2)):]
    results = check_text(text, "t.toml", claim_seconds=2)
    assert results
    for r in results:
        assert r.verdict in ("holds", "fails", "undecided", "error")
        if r.verdict == "error":
            assert r.error.startswith("t.toml")
