"""`symbp.check` and `symbp check`: verdicts, evidence, exit codes, JSON, bad files."""
from __future__ import annotations

import json

import pytest

from symbp.check import check_text
from symbp.cli import main
from tests.notation_helpers import NETWORK, toml_claims, verdicts


def test_four_equations_hold_and_wrong_forms_fail_with_evidence():
    results = verdicts(
        r"\delta^L = \nabla_a C \odot \sigma'(z^L)",
        r"\delta^l = ((W^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)",
        r"\frac{\partial C}{\partial b^l_j} = \delta^l_j",
        r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j",
        r"\delta^l = (W^{l+1})^T \delta^{l+1}",
        r"\frac{\partial C}{\partial w^l_{jk}} = 2 a^{l-1}_k \delta^l_j",
        r"\delta^l = (W^{l+1} \delta^{l+1}) \odot \sigma'(z^l)",
    )
    assert [r.verdict for r in results] == ["holds"] * 4 + ["fails"] * 3
    missing, factor, shape = results[4:]
    # the diagnosis in the claim's own indices (the generic form), not one instance's
    assert missing.diagnosis == "entry j: a factor σ'(z^l_j) is missing on the right"
    assert missing.counterexample and missing.counterexample_text.startswith("entry")
    assert "constant factor" in factor.diagnosis and "2" in factor.diagnosis
    assert "l = 2" in factor.instance and "layers [2, 3, 2]" in factor.instance
    assert "shape mismatch" in shape.diagnosis


def test_chain_names_the_failing_link():
    (r,) = verdicts(r"\frac{\partial C}{\partial b^3_1} = \delta^3_1 = 2 \delta^3_1")
    assert r.verdict == "fails" and r.link == "link 2 of 2"


def test_where_narrows_free_indices():
    (r,) = verdicts(r"\delta^l_j = \delta^l_j")
    (n,) = verdicts(r"\delta^l_j = \delta^l_j", header=NETWORK.replace(
        "layers = [[2, 3, 2]]", "layers = [[2, 3, 2]]"))
    assert r.instances == n.instances == 5          # l = 2 (3 units) and l = 3 (2 units)
    text = toml_claims(r"\delta^l_j = \delta^l_j", extra="where = 'l \\ge 3'\n")
    (w,) = check_text(text, "t.toml")
    assert w.verdict == "holds" and w.instances == 2


def test_numeric_claims_use_values_and_half_a_unit_of_the_last_digit():
    header = """define = ['E_{total} = \\frac{1}{2}(t_1 - o_1)^2', 'o_1 = 2 x_1']
values = { 'x_1' = 0.5, 't_1' = 0.1 }
"""
    results = verdicts(r"E_{total} = 0.405", r"E_{total} = 0.41", r"E_{total} = 0.4051",
                       r"E_{total} \approx 0", header=header)
    assert [r.verdict for r in results] == ["holds", "holds", "fails", "holds"]
    assert "tolerance" in results[2].diagnosis


def test_symbolic_claim_in_a_file_with_values_is_proved_for_all_values():
    header = "define = ['o_1 = 2 x_1']\nvalues = { 'x_1' = 0.5 }\n"
    assert [r.verdict for r in verdicts("o_1 = 2 x_1", "o_1 = x_1 + 1", header=header)] == \
        ["holds", "fails"]          # x_1 + 1 equals o_1 at x_1 = 0.5 only: not an identity


def test_an_integer_side_in_a_file_with_values_is_a_numeric_claim():
    header = "define = ['q = x + y', 'f = q z']\nvalues = { x = -2, y = 5, z = -4 }\n"
    results = verdicts("q = 3", "f = -12", "q = 4", "f = -11", header=header)
    assert [r.verdict for r in results] == ["holds", "holds", "fails", "fails"]
    assert "tolerance 0.5" in results[2].diagnosis


def test_the_claims_tolerance_is_honoured():
    header = "define = ['o = 2 x']\nvalues = { x = 0.5 }\n"
    text = toml_claims("o = 1.0100", header=header)
    loose = text.replace("latex =", "tolerance = '0.1'\nlatex =")
    relative = text.replace("latex =", "tolerance = 'rel 1e-12'\nlatex =")
    assert check_text(text, "t.toml")[0].verdict == "fails"
    assert check_text(loose, "t.toml")[0].verdict == "holds"
    assert check_text(relative, "t.toml")[0].verdict == "fails"
    bad = text.replace("latex =", "tolerance = 'abc'\nlatex =")
    (r,) = check_text(bad, "t.toml")
    assert r.verdict == "error" and "tolerance" in r.error


def test_timeout_gives_undecided_not_holds():
    header = NETWORK.replace("layers = [[2, 3, 2]]", "layers = [[3, 4, 4, 3]]")
    (r,) = verdicts(r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j",
                    header=header, claim_seconds=0.05)
    assert r.verdict == "undecided" and "time limit" in r.reason


@pytest.mark.parametrize("text, pattern", [
    ("layers = [[2, 2]\n", "TOML syntax error"),
    ("colour = 'red'\n", "unknown key 'colour'"),
    ("[[claim]]\nlatex = 'a = a'\nexpct = 'holds'\n", "unknown key 'expct'"),
    ("[[claim]]\nname = 'x'\n", "needs a 'latex'"),
    ("layers = 'big'\n", "must be a list"),
    ("first_layer = 2\n", "0 or 1"),
    ("layers = [[2, 99]]\n", "limited to"),
    ("define = ['a = (']\n[[claim]]\nlatex = 'a = 1'\n", "definition 1"),
])
def test_bad_files_are_one_located_error(text, pattern):
    (r,) = check_text(text, "bad.toml")
    assert r.verdict == "error" and pattern in r.error and r.error.startswith("bad.toml")


def test_toml_syntax_error_names_line_and_column():
    (r,) = check_text("title = 'x'\nlayers = [[2, 2]\n", "bad.toml")
    assert "line 3" in r.error or "line 2" in r.error
    assert "column" in r.error


# -- the command ------------------------------------------------------------------------------------
def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_cli_exit_codes_and_summary(tmp_path, capsys):
    good = _write(tmp_path, "a.toml", toml_claims(r"\delta^3_1 = \delta^3_1"))
    wrong = _write(tmp_path, "b.toml", toml_claims(r"\delta^3_1 = 2 \delta^3_1"))
    expected = _write(tmp_path, "c.toml", toml_claims(r"\delta^3_1 = 2 \delta^3_1",
                                                      extra="expect = 'fails'\n"))
    broken = _write(tmp_path, "d.toml", toml_claims(r"\delta^3_1 = (", r"\delta^3_1 = \delta^3_1"))
    assert main(["check", good]) == 0
    assert main(["check", wrong]) == 1
    assert main(["check", expected]) == 0
    capsys.readouterr()
    assert main(["check", broken]) == 2
    out = capsys.readouterr().out
    assert "ERROR" in out and "holds" in out and "2 claims in 1 file" in out


def test_cli_directory_means_sorted_toml_files(tmp_path, capsys):
    _write(tmp_path, "z.toml", toml_claims(r"\delta^3_1 = \delta^3_1"))
    _write(tmp_path, "a.toml", toml_claims(r"\delta^3_2 = \delta^3_2"))
    _write(tmp_path, "notes.txt", "not a derivation")
    assert main(["check", str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["file"].rsplit("/", 1)[1] for d in data] == ["a.toml", "z.toml"]


def test_cli_json_fields_follow_the_contract(tmp_path, capsys):
    path = _write(tmp_path, "f.toml", NETWORK + """
[[claim]]
latex = '\\delta^3_1 = 2 \\delta^3_1'
expect = 'fails'

[[claim]]
name = 'broken'
latex = 'a = ('
""")
    assert main(["check", path, "--json"]) == 2
    failed, broken = json.loads(capsys.readouterr().out)
    for key in ("file", "name", "latex", "verdict", "expect"):
        assert key in failed and key in broken
    assert failed["file"] == path and failed["name"] == "#1" and failed["expect"] == "fails"
    assert failed["verdict"] == "fails" and failed["counterexample"] and failed["diagnosis"]
    assert broken["verdict"] == "error" and "column 6" in broken["error"]


def test_cli_missing_file_is_exit_2_and_others_still_checked(tmp_path, capsys):
    good = _write(tmp_path, "a.toml", toml_claims(r"\delta^3_1 = \delta^3_1"))
    assert main(["check", str(tmp_path / "nope.toml"), good]) == 2
    out = capsys.readouterr().out
    assert "cannot read" in out and "holds" in out


def test_an_index_order_slip_is_named():
    text = r"""
layers = [[3, 3, 2]]
define = ['a^1_j = x_j', 'z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j', 'a^l_j = \sigma(z^l_j)',
          'C = \frac{1}{2} \sum_j (a^L_j - y_j)^2', '\delta^l_j = \frac{\partial C}{\partial z^l_j}']
[[claim]]
name = "BP4-swapped"
latex = '\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_j \delta^l_k'
"""
    from symbp.check import check_text
    (result,) = check_text(text, "swap.toml")
    assert result.verdict == "fails"
    assert "j and k exchanged" in result.diagnosis


def test_an_internal_error_in_process_costs_only_its_claim(monkeypatch):
    """check_text never raises, even in-process (the API, symbp latex): a bug in one claim
    is that claim's located error and the others keep their verdicts."""
    import symbp.check as check

    real = check._run

    def buggy(prep, pc):
        if pc.spec.label == "c1":
            raise KeyError("E")
        return real(prep, pc)

    monkeypatch.setattr(check, "_run", buggy)
    first, second = verdicts(r"\frac{\partial C}{\partial b^l_j} = \delta^l_j",
                             r"\frac{\partial C}{\partial b^l_j} = \delta^l_j")
    assert first.verdict == "error" and "t.toml, claim c1" in first.error \
        and "KeyError" in first.error
    assert second.verdict == "holds"
