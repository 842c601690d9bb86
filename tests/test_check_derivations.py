"""The transcribed sources in derivations/: every verdict is the one its file records, and the
known mistakes of the sources are found, each with the evidence that explains it."""
from __future__ import annotations

from pathlib import Path

import pytest

from symbp.check import check_text

ROOT = Path(__file__).resolve().parent.parent / "derivations"
FILES = sorted(ROOT.glob("*.toml"))


@pytest.fixture(scope="module")
def results():
    return {p.name: {r.name: r for r in check_text(p.read_text(encoding="utf-8"), p.name)}
            for p in FILES}


def test_there_are_transcriptions():
    assert len(FILES) >= 7


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_verdict_matches_the_recorded_expectation(path, results):
    by_name = results[path.name]
    assert by_name, "no claims"
    wrong = {n: (r.verdict, r.expect, r.error) for n, r in by_name.items() if not r.as_expected}
    assert not wrong


def test_source_000_bp2_orientation_is_read_from_the_definition(results):
    notes = results["bias-unit-notes.toml"]
    assert notes["BP2-reading-W-maps-l-to-l+1"].verdict == "holds"
    wrong = notes["BP2-reading-W-rows-first-subscript"]
    assert wrong.verdict == "fails" and "shape mismatch" in wrong.diagnosis


def test_source_000_unbounded_sum_leaves_out_the_bias_unit(results):
    notes = results["bias-unit-notes.toml"]
    assert notes["BP3-proof-as-printed"].link == "link 2 of 3"
    assert notes["BP3-proof-bias-in-sum"].verdict == "holds"


def test_source_001_bp2_with_capital_L_fails_and_small_l_holds(results):
    blog = results["four-horsemen-blog.toml"]
    assert blog["2-BP2-as-printed"].verdict == "fails"
    assert blog["2-BP2-intended"].verdict == "holds"


def test_source_002_hidden_delta_misses_sigma_prime(results):
    notes = results["o-n-notation-notes.toml"]
    for name in ("delta-hidden-first-form", "delta-hidden-second-form", "vectorised-delta-hidden"):
        r = notes[name]
        assert r.verdict == "fails" and "sigma'" in r.diagnosis and "missing" in r.diagnosis
    assert notes["dE-do-output"].verdict == "holds"          # 2(o - t): no 1/2 in E
    assert notes["bias-gradient-sign"].verdict == "holds"    # ∂E/∂b = -δ
    assert notes["bias-update"].verdict == "holds"           # Δb = +η δ


def test_source_003_lost_minus_sign_reading(results):
    slides = results["named-weights-slides.toml"]
    plus = slides["single-update-plus"]
    assert plus.verdict == "fails" and "sign" in plus.diagnosis
    assert slides["single-update-minus"].verdict == "holds"


def test_source_004_index_typo_and_quadratic_gradient(results):
    slides = results["nielsen-style-slides.toml"]
    assert slides["hidden-sum-as-printed"].verdict == "fails"
    assert slides["hidden-sum-intended"].verdict == "holds"
    typo = slides["local-derivative-as-printed"]
    assert typo.verdict == "fails" and "k = 2" in typo.instance
    assert slides["quadratic-gradient"].verdict == "holds"


def test_classic_forms(results):
    ce = results["nielsen-cross-entropy.toml"]
    assert ce["output-error"].verdict == "holds"
    quad = ce["quadratic-form-does-not-carry-over"]
    assert quad.verdict == "fails" and quad.counterexample and "entry" in quad.counterexample_text
    sm = results["nielsen-softmax-log-likelihood.toml"]
    assert sm["output-error"].verdict == "holds"
    assert sm["elementwise-BP1-misapplied"].verdict == "fails"
