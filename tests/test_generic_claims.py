"""Claims in derivation files tried for every size: a claim that holds on its file's networks is
reported for every width and depth only when the generic prover proves it; a failing one keeps
its concrete counterexample and gets a diagnosis in its own indices."""
from __future__ import annotations

from pathlib import Path

import pytest

from symbp.check import ALL_SIZES, LISTED_SIZES, check_text
from symbp.derivation.build import context_for, prepare
from symbp.derivation.read import read_text
from symbp.derivation.report import claim_lines
from symbp.generic.audit import AUDIT_NETWORKS, audit
from symbp.generic.file_claims import every_size, own_diagnosis
from symbp.notation.resolve import Resolver
from tests.notation_helpers import NETWORK, toml_claims, verdicts

ROOT = Path(__file__).resolve().parent.parent / "derivations"
BIAS_UNIT_NOTES = ROOT / "bias-unit-notes.toml"

BP1_TO_BP4 = (
    r"\delta^L = \nabla_a C \odot \sigma'(z^L)",
    r"\delta^l = ((W^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)",
    r"\frac{\partial C}{\partial b^l_j} = \delta^l_j",
    r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j",
)
#: 1 - [p = q] for every pair of four units of layer l: the product is 0 whenever two of the four
#: coincide, so on layers of at most 3 units (pigeonhole) the claim holds; at 4 units it fails.
PIGEONHOLE = (r"(1 - [i = j])(1 - [i = k])(1 - [i = m])(1 - [j = k])(1 - [j = m])(1 - [k = m]) "
              r"\delta^l_i \delta^l_j \delta^l_k \delta^l_m = 0")


def _model(text: str, label: str):
    """(the claim's Context, its resolved and relayered chains, the name and the input layer's
    number): what the checker passes on."""
    prep = prepare(read_text(text, "t.toml"))
    pc = next(c for c in prep.claims if c.spec.label == label)
    resolver = Resolver(prep.lex, prep.conv)
    chains = resolver.relations(pc.statement)
    exprs = [e for links in chains for link in links for e in (link.left, link.right)]
    ctx = context_for(prep, pc, exprs)
    ctx.plain = resolver.scalars
    return ctx, ctx.relayer_chains(chains), label, prep.file.first_layer


def test_bp1_to_bp4_in_nielsens_notation_hold_for_every_size():
    results = verdicts(*BP1_TO_BP4)
    assert [(r.verdict, r.scope) for r in results] == [("holds", ALL_SIZES)] * 4
    for r in results:
        assert r.to_dict()["scope"] == "all-sizes"
        assert "holds for every size" in claim_lines(r)[0]


def test_a_claim_about_fixed_units_holds_only_on_the_listed_sizes():
    # four-horsemen's 'white neuron': BP2 written out for an output layer of exactly 2 units
    white, unit_one = verdicts(
        r"\delta^{L-1}_j = \sigma'(z^{L-1}_j) (w^L_{1j} \delta^L_1 + w^L_{2j} \delta^L_2)",
        r"\delta^L_1 = \frac{\partial C}{\partial a^L_1} \sigma'(z^L_1)")
    for r in (white, unit_one):
        assert r.verdict == "holds" and r.scope == LISTED_SIZES
        assert r.to_dict()["scope"] == "listed-sizes"
        assert "holds on the listed sizes" in claim_lines(r)[0]
    blog = {r.name: r for r in check_text((ROOT / "four-horsemen-blog.toml").read_text(
        encoding="utf-8"), "four-horsemen-blog.toml")}
    assert blog["2-white-neuron"].scope == LISTED_SIZES
    assert blog["2-BP2-intended"].scope == ALL_SIZES


def test_a_wrong_claim_fails_with_its_counterexample_and_a_diagnosis_in_its_own_indices():
    (bp2,) = verdicts(r"\delta^l_j = \sum_k w^{l+1}_{kj} \delta^{l+1}_k")
    assert bp2.verdict == "fails" and bp2.scope is None
    assert bp2.diagnosis == "a factor σ'(z^l_j) is missing on the right"
    assert "l = 2" in bp2.instance and "layers [2, 3, 2]" in bp2.instance
    assert bp2.counterexample and "left =" in bp2.counterexample_text
    (vector,) = verdicts(r"\delta^L = a^L - y")
    assert vector.verdict == "fails" and vector.counterexample_text.startswith("entry")
    assert vector.diagnosis == "entry j: a factor σ'(z^L_j) is missing on the right"
    (twice,) = verdicts(r"\frac{\partial C}{\partial b^l_j} = 2 \delta^l_j")
    assert twice.diagnosis == "the sides differ by a constant factor: left = 1/2 × right"


def test_diagnoses_in_source_000s_own_notation():
    text = BIAS_UNIT_NOTES.read_text(encoding="utf-8")
    header = text[:text.index("[[claim]]")]
    claims = {
        "dz": r"\frac{\partial z_k^{l+1}}{\partial z_u^l} = \sigma'(z_u^l)",
        "bp2": r"\delta_u^l = \sum_k w_{uk}^l \delta_k^{l+1}",
        "bp4": r"\frac{\partial C}{\partial w_{ij}^l} = \delta_j^{l+1}",
    }
    body = "".join(f"\n[[claim]]\nname = '{n}'\nlatex = '''{c}'''\n" for n, c in claims.items())
    results = {r.name: r for r in check_text(header + body, "000.toml")}
    assert all(r.verdict == "fails" and r.counterexample for r in results.values())
    # w^l_{uk} runs from unit u of layer l to unit k of layer l+1, as the notes write it
    assert results["dz"].diagnosis == "a factor w^l_{uk} is missing on the right"
    assert results["bp2"].diagnosis == "a factor σ'(z^l_u) is missing on the right"
    assert results["bp4"].diagnosis == "a factor a^l_i is missing on the right"


def test_source_000s_four_equations_hold_for_every_size_in_its_own_notation():
    text = BIAS_UNIT_NOTES.read_text(encoding="utf-8")
    results = {r.name: r for r in check_text(text, BIAS_UNIT_NOTES.name)}
    for name in ("BP1", "BP2", "BP3", "BP4"):
        assert results[name].verdict == "holds" and results[name].scope == ALL_SIZES, name
    # the worked example fixes L = 2: it holds on the listed networks only
    assert results["example-weight-gradient"].scope == LISTED_SIZES
    for name in ("BP3", "BP4"):                   # layers from 0, bias unit, w^l out of layer l
        check = every_size(*_model(text, name))
        assert check.all_sizes and all(v.proved and v.scope == "all-sizes"
                                       for v in check.verdicts)
        assert {s.rule for v in check.verdicts for s in v.steps} >= \
            {"multivariate chain rule (layer-local lemma)", "definition of z"}


@pytest.mark.parametrize("path, names", [
    (BIAS_UNIT_NOTES, ("BP1", "BP2", "BP3", "BP4")),
    (ROOT / "nielsen-style-slides.toml", ("BP2", "quadratic-gradient")),
])
def test_every_step_of_a_file_claims_proof_passes_the_audit_at_concrete_sizes(path, names):
    """The proofs behind 'holds for every size', re-checked step by step on networks of widths
    1-4 against route A, without the generic rules (with the file's bias unit and σ)."""
    text = path.read_text(encoding="utf-8")
    for name in names:
        check = every_size(*_model(text, name))
        assert check.all_sizes, name
        act = check.network.output_activation
        for claim, verdict in zip(check.claims, check.verdicts):
            checked, failures = audit(claim, verdict, check.network, (act, act),
                                      AUDIT_NETWORKS[:4])
            assert checked and not failures, (name, failures)


def test_a_claim_false_at_a_width_outside_layers_is_not_reported_for_every_size():
    (small,) = verdicts(PIGEONHOLE)                       # widths 2, 3, 2: at most 3 units
    assert small.verdict == "holds" and small.scope == LISTED_SIZES
    wider = NETWORK.replace("layers = [[2, 3, 2]]", "layers = [[2, 4, 2]]")
    (wide,) = verdicts(PIGEONHOLE, header=wider)          # at 4 units it is false
    assert wide.verdict == "fails" and "i = 1, j = 2, k = 3, m = 4" in wide.instance
    # not refused by the translation: the generic prover itself does not prove it
    check = every_size(*_model(toml_claims(PIGEONHOLE), "c1"))
    assert check.unmodelled is None and check.verdicts
    assert not check.all_sizes and not any(v.proved for v in check.verdicts)


def test_no_failing_transcribed_claim_is_proved_for_every_size():
    """The generic route never upgrades what the instances refute: every claim a file expects to
    fail is not proved generically (most are translated, and their forms differ)."""
    tried = 0
    for path in sorted(ROOT.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        prep = prepare(read_text(text, path.name))
        for pc in prep.claims:
            if pc.error is not None or pc.spec.expect != "fails":
                continue
            check = every_size(*_model(text, pc.spec.label))
            assert not check.all_sizes, (path.name, pc.spec.label)
            tried += check.unmodelled is None
    assert tried >= 2


def test_the_generic_step_out_of_time_changes_nothing(monkeypatch):
    from symbp.notation.limits import LIMITS
    monkeypatch.setitem(LIMITS, "generic_seconds", 1e-6)
    (r,) = verdicts(BP1_TO_BP4[3])
    assert r.verdict == "holds" and r.scope == LISTED_SIZES


def test_a_bug_in_the_generic_step_keeps_the_verdict_and_says_so(monkeypatch):
    import symbp.check as check

    def broken(*args):
        raise KeyError("E")

    monkeypatch.setattr(check, "every_size", broken)
    (r,) = verdicts(BP1_TO_BP4[2])
    assert r.verdict == "holds" and r.scope == LISTED_SIZES
    assert "internal error in the generic prover (KeyError" in r.reason


def test_a_huge_power_is_refused_not_expanded():
    header = NETWORK.replace("\\frac{1}{2} \\sum_j (a^L_j - y_j)^2",
                             "\\sum_j (a^L_j - y_j)^{100000}")
    assert "100000" in header
    check = every_size(*_model(toml_claims(BP1_TO_BP4[2], header=header), "c1"))
    assert not check.all_sizes and "a Pow in a scalar formula" in check.unmodelled


@pytest.mark.parametrize("claim", [
    r"\delta^l_j = \frac{\partial C}{\partial z^l_j}",
    r"\delta^l_j = \sum_k w^{l+1}_{kj} \delta^{l+1}_k \sigma'(z^l_j)",
])
def test_a_claim_that_holds_gets_no_diagnosis_from_the_generic_form(claim):
    ctx, chains, name, first = _model(toml_claims(claim), "c1")
    found = own_diagnosis(ctx, chains, chains[0][0], name, first)
    assert found.diagnosis is None and found.verdicts[0].proved
