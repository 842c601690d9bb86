"""Worked examples over rounds of training (`rounds`, `trained`): the values after k steps of
gradient descent, compared with the printed digits. The oracle is an independent float64
loop written here by hand (Mazur's 2-2-2 network, every weight stepped from the old values)."""
from __future__ import annotations

import functools
import math
import textwrap

from symbp.check import check_text

MAZUR = r"""
define = [
  'net_{h1} = w_1 i_1 + w_2 i_2 + b_1',
  'net_{h2} = w_3 i_1 + w_4 i_2 + b_1',
  'out_{h1} = \frac{1}{1+e^{-net_{h1}}}',
  'out_{h2} = \frac{1}{1+e^{-net_{h2}}}',
  'net_{o1} = w_5 out_{h1} + w_6 out_{h2} + b_2',
  'net_{o2} = w_7 out_{h1} + w_8 out_{h2} + b_2',
  'out_{o1} = \frac{1}{1+e^{-net_{o1}}}',
  'out_{o2} = \frac{1}{1+e^{-net_{o2}}}',
  'E_{total} = \frac{1}{2}(target_{o1} - out_{o1})^{2} + \frac{1}{2}(target_{o2} - out_{o2})^{2}',
]
values = { w_1 = 0.15, w_2 = 0.2, w_3 = 0.25, w_4 = 0.3, w_5 = 0.4, w_6 = 0.45, w_7 = 0.5, w_8 = 0.55, b_1 = 0.35, b_2 = 0.6, i_1 = 0.05, i_2 = 0.1, "target_{o1}" = 0.01, "target_{o2}" = 0.99, "\\eta" = 0.5 }
trained = ["w_1", "w_2", "w_3", "w_4", "w_5", "w_6", "w_7", "w_8"]
"""


def _oracle(rounds: int) -> tuple[float, float, float]:
    """E_total, out_o1, out_o2 after `rounds` simultaneous steps, by hand in float64."""
    s = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    w = [None, .15, .2, .25, .3, .4, .45, .5, .55]
    i1, i2, t1, t2, b1, b2 = .05, .1, .01, .99, .35, .6

    def forward(w):
        h1, h2 = s(w[1] * i1 + w[2] * i2 + b1), s(w[3] * i1 + w[4] * i2 + b1)
        return h1, h2, s(w[5] * h1 + w[6] * h2 + b2), s(w[7] * h1 + w[8] * h2 + b2)

    for _ in range(rounds):
        h1, h2, o1, o2 = forward(w)
        d1, d2 = (o1 - t1) * o1 * (1 - o1), (o2 - t2) * o2 * (1 - o2)
        e1, e2 = (d1 * w[5] + d2 * w[7]) * h1 * (1 - h1), (d1 * w[6] + d2 * w[8]) * h2 * (1 - h2)
        grads = [None, e1 * i1, e1 * i2, e2 * i1, e2 * i2, d1 * h1, d1 * h2, d2 * h1, d2 * h2]
        w = [None] + [w[k] - .5 * grads[k] for k in range(1, 9)]
    _, _, o1, o2 = forward(w)
    return .5 * (t1 - o1) ** 2 + .5 * (t2 - o2) ** 2, o1, o2


@functools.cache
def _check(claims: str) -> dict:
    text = textwrap.dedent(MAZUR) + textwrap.dedent(claims)
    return {r.name: r for r in check_text(text, "rounds.toml")}


def _claim(name: str, latex: str, rounds: int | None) -> str:
    key = f"rounds = {rounds}\n" if rounds else ""
    return f"[[claim]]\nname = '{name}'\nlatex = '{latex}'\n{key}"


def test_one_round_agrees_with_the_hand_written_oracle_in_high_precision():
    error, _, _ = _oracle(1)
    claims = _claim("oracle", f"E_{{total}} = {error:.12f}", 1) + \
        _claim("printed", "E_{total} = 0.291027924", 1)
    results = _check(claims)
    assert results["oracle"].verdict == "holds", results["oracle"]
    assert any("50-digit" in r for r in results["oracle"].readings)
    printed = results["printed"]
    assert printed.verdict == "fails" and "differ by" in printed.diagnosis


def test_ten_thousand_rounds_run_compiled_in_float64():
    error, o1, o2 = _oracle(10000)
    claims = _claim("error", f"E_{{total}} = {error:.14f}", 10000) + \
        _claim("o1", f"out_{{o1}} = {o1:.10f}", 10000) + \
        _claim("o2", f"out_{{o2}} = {o2:.10f}", 10000) + \
        _claim("o1-mazur", "out_{o1} = 0.015912196", 10000)
    results = _check(claims)
    for name in ("error", "o1", "o2"):
        assert results[name].verdict == "holds", results[name]
    assert any("float64" in r for r in results["error"].readings)
    assert results["o1-mazur"].verdict == "fails"


def test_a_claim_without_rounds_still_reads_the_printed_values():
    results = _check(_claim("before", "E_{total} = 0.298371109", None))
    assert results["before"].verdict == "holds"


def test_an_update_printed_as_w_plus_is_one_step():
    claims = _claim("w5", r"w_5^{+} = w_5 - \eta \frac{\partial E_{total}}{\partial w_5}", None) + \
        _claim("w5-sign", r"w_5^{+} = w_5 + \eta \frac{\partial E_{total}}{\partial w_5}", None) + \
        _claim("w5-number", "w_5^{+} = 0.35891648", None)
    results = _check(claims)
    assert results["w5"].verdict == "holds" and results["w5-number"].verdict == "holds"
    assert results["w5-sign"].verdict == "fails"


def test_rounds_need_the_trained_parameters_and_a_bounded_count():
    no_trained = textwrap.dedent(MAZUR).replace("trained = [", "# trained = [") + \
        _claim("r", "E_{total} = 0.29", 1)
    for text, needed in ((no_trained, "needs the file's 'trained'"),
                         (textwrap.dedent(MAZUR) + _claim("r", "E_{total} = 0.29", 10**9),
                          "'rounds' must be from 1 to")):
        (result,) = check_text(text, "rounds.toml")
        assert result.verdict == "error" and needed in result.error, result
