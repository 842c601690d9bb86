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


def test_source_000_as_printed_layers_from_0_free_inputs_and_a_bias_unit(results):
    notes = results["bias-unit-notes.toml"]
    for name in ("BP1", "BP2", "BP3", "BP4", "BP2-proof"):
        assert notes[name].verdict == "holds", name
    slip = notes["example-dz-dw-as-stated"]        # [k = i] where the notes mean [k = j]
    assert slip.verdict == "fails" and any("indicator" in r for r in slip.readings)


def test_source_000_unbounded_sum_leaves_out_the_bias_unit_and_says_so(results):
    proof = results["bias-unit-notes.toml"]["BP3-proof"]
    assert proof.verdict == "fails" and proof.link == "link 2 of 5"
    assert any("bias unit" in r for r in proof.readings)


def test_source_001_bp2_with_capital_L_fails_and_small_l_holds(results):
    blog = results["four-horsemen-blog.toml"]
    assert blog["2-BP2-as-printed"].verdict == "fails"
    assert blog["2-BP2-intended"].verdict == "holds"


def test_source_002_without_layer_scripts_hidden_delta_misses_sigma_prime(results):
    notes = results["o-n-notation-notes.toml"]
    for name in ("delta-cases-first-form", "delta-cases-second-form"):    # printed by cases
        assert notes[name].verdict == "fails", name
        assert notes[name].instance.startswith("case 2 (\\text{otherwise})"), notes[name]
    assert notes["dE-do-output"].verdict == "holds"          # 2(o - t): no 1/2 in E
    assert notes["dE-do-total-derivative"].verdict == "holds"
    assert any("layer script" in r for r in notes["dE-do-output"].readings)
    reach = notes["dn-do-sum"]                                # ∂_{o_j} w o_k: one factor
    assert reach.verdict == "fails" and any("one factor" in r for r in reach.readings)


def test_mazur_worked_example_digits(results):
    example = results["mazur-step-by-step.toml"]
    failing = {name for name, r in example.items() if r.verdict != "holds"}
    assert failing == {"net-h1-backward", "error-after-one-round", "error-after-10000-rounds",
                       "output-o1-after-10000-rounds", "output-o2-after-10000-rounds"}
    assert example["E-total"].instances == 1
    one_round = example["error-after-one-round"]
    assert "0.291027773" in one_round.counterexample_text       # the described algorithm
    assert any("50-digit" in r for r in one_round.readings)


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


PENDING = sorted((ROOT / "pending").glob("*.toml"))


@pytest.mark.parametrize("path", PENDING, ids=lambda p: p.name)
def test_pending_transcriptions_never_hold_what_their_source_gets_wrong(path):
    """Files symbp cannot read whole yet: a claim may be refused, but none that the careful
    reader expects to fail is reported as holding."""
    for r in check_text(path.read_text(encoding="utf-8"), path.name):
        assert r.verdict in ("holds", "fails", "undecided", "error"), r
        assert not (r.verdict == "holds" and r.expect == "fails"), (r.name, r.latex)
