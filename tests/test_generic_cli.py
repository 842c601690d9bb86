"""`symbp prove --generic`, `symbp latex --generic` and codegen's proof statement, end to end."""
import ast
import json
import shutil

import pytest

from symbp.cli import main
from symbp.rules import BIASES, COSTS

ELEMENTWISE = ["sigma", "sigmoid", "tanh", "softplus", "identity", "relu"]


@pytest.mark.parametrize("activation", ELEMENTWISE + ["softmax"])
@pytest.mark.parametrize("cost", list(COSTS))
@pytest.mark.parametrize("bias", list(BIASES))
def test_every_equation_is_proved_for_every_size(activation, cost, bias, capsys):
    assert main(["prove", "--generic", "--activation", activation, "--cost", cost,
                 "--bias", bias, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = {e["equation"] for e in data["equations"]}
    assert {"grad_a C", "BP2", "BP4"} <= names
    assert ("BP1 (Jacobian)" if activation == "softmax" else "BP1") in names
    assert any(n.startswith("BP3") for n in names) == (bias != "none")
    for e in data["equations"]:
        assert e["verdict"] == "proved" and e["scope"] == "all-sizes", e
        assert e["counterexample"] is None
        if e["equation"].startswith("BP"):
            assert e["steps"] and all(s["rule"] for s in e["steps"])
    if activation == "relu":
        assert any("kink" in e["note"] for e in data["equations"])


def test_the_table_says_every_width_and_depth(capsys):
    assert main(["prove", "--generic", "--activation", "tanh"]) == 0
    out = capsys.readouterr().out
    assert out.count("proved for every width and depth ≥ 2") == 5
    assert "2 ≤ l < L" in out and "tanh' rule" in out


def test_layers_json_says_network_scope(capsys):
    assert main(["prove", "--layers", "2,2,1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {e["scope"] for e in data["equations"]} == {"network"}


@pytest.mark.parametrize("args, message", [
    (["--layers", "2,2"], "--layers describes one network"),
    (["--activation", "relu,sigmoid,tanh"], "hidden,output"),
    (["--activation", "softmax,sigma"], "only supported on the output"),
    (["--activation", "swish"], "unknown activation 'swish'"),
    (["--cost", "hinge"], "unknown cost"),
    (["--cost-scale", "x"], "--cost-scale"),
])
def test_bad_flags_are_one_line(args, message, capsys):
    assert main(["prove", "--generic", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_latex_generic_names_a_rule_on_every_line(tmp_path):
    from symbp.generic.rules import RULES
    out = tmp_path / "generic.tex"
    assert main(["latex", "--generic", "--activation", "softmax", "--bias", "unit",
                 "-o", str(out)]) == 0
    tex = out.read_text()
    assert "\\documentclass" in tex and "BP1 (Jacobian)" in tex
    lines = [ln for ln in tex.splitlines() if ln.startswith("&=") or " &= " in ln]
    assert len(lines) > 40
    from symbp.printing.latex import escape
    rule_names = [escape(n) for n in RULES]
    assert all(any(f"({n})" in ln for n in rule_names) for ln in lines)


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex")
def test_latex_generic_compiles(tmp_path):
    out = tmp_path / "generic.tex"
    assert main(["latex", "--generic", "--cost", "cross_entropy", "-o", str(out), "--pdf"]) == 0
    assert out.with_suffix(".pdf").stat().st_size > 10_000


def test_codegen_cites_the_generic_proof():
    from symbp.codegen import generate, layout
    source = generate(layout((784, 128, 10), "sigmoid", "quadratic")).source
    doc = ast.get_docstring(ast.parse(source))
    assert "for every width and depth (symbp prove --generic" in doc
    assert "so this proves" not in doc


def test_codegen_without_a_generic_proof_says_what_was_checked(monkeypatch):
    from symbp.codegen import proof as proof_module
    from symbp.codegen import generate, layout
    monkeypatch.setattr(proof_module, "_generic", lambda spec: [])
    proof_module._prove.cache_clear()
    try:
        doc = generate(layout((784, 128, 10), "tanh", "quadratic")).source
    finally:
        proof_module._prove.cache_clear()
    assert "on the network [3, 3, 3] with the same activations, cost and bias, instance by " \
           "instance; symbp has no proof for other widths" in doc
    assert "so this proves" not in doc and "every width" not in doc
