"""Notebook displays: every result a notebook user meets renders, strictly, in MathJax 3 and in
KaTeX (tests/js/render_math.js, run by node), and carries what the text report carries.

The renderers are the npm packages `mathjax-full@3` and `katex`, found through NODE_PATH (e.g.
`npm install --prefix /opt/js mathjax-full@3 katex` and NODE_PATH=/opt/js/node_modules). Without
node or them these tests skip, unless CI is set: then they fail.
"""
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy as sp

import symbp
from symbp.checked import FileDerivation
from symbp.derive import derive
from symbp.network import NetworkSpec
from symbp.prove import prove
from symbp.theorems import EquationResults, prove_equations

ROOT = Path(__file__).resolve().parent.parent
RENDER = Path(__file__).resolve().parent / "js" / "render_math.js"
symbp.attach_displays()

FILE = "\n".join([
    "title = 'A file with \\input{/etc/hostname} in its title'",
    "define = ['y = w x']",
    "[[claim]]", "name = 'good'", r"latex = '\frac{\partial y}{\partial w} = x'",
    "[[claim]]", "name = 'bad'", r"latex = '\frac{\partial y}{\partial w} = w'",
    "[[claim]]", "name = 'expected to fail, holds'", r"latex = '\frac{\partial y}{\partial w} = x'",
    "expect = 'fails'",
])


def _renderer():
    node = shutil.which("node")
    if node is not None:
        probe = subprocess.run([node, "-e", "require('katex'); require('mathjax-full/js/mathjax.js')"],
                               capture_output=True)
        if probe.returncode == 0:
            return node
    if os.environ.get("CI"):
        pytest.fail("CI is set but node with the npm packages katex and mathjax-full@3 is not "
                    "available (NODE_PATH): the notebook displays cannot be rendered")
    pytest.skip("node with katex and mathjax-full@3 (NODE_PATH) is not available")


def _math(display: str) -> list[str]:
    """The math of a LaTeX display: the text between $$ ... $$ (every display is one block)."""
    found = re.findall(r"\$\$(.*?)\$\$", display, re.DOTALL)
    assert found and "".join(f"$${m}$$" for m in found) == display.replace("\n\n", ""), \
        f"text outside math in a display: {display[:200]!r}"
    return found


@pytest.fixture(scope="module")
def displays() -> dict[str, str]:
    x = sp.Symbol("x")
    sigma = sp.Function("sigma")
    out = {
        "proved verdict": prove(x * (x + 1), x**2 + x)._repr_latex_(),
        "refuted verdict": prove(2 * x, x + 1)._repr_latex_(),
        "generic refuted": prove(sigma(x) * 2, sigma(x))._repr_latex_(),
        "derivation 2-3-2": derive(NetworkSpec((2, 3, 2)))._repr_latex_(),
        "derivation softmax": derive(NetworkSpec((2, 2), activation="softmax",
                                                 cost="log_likelihood"))._repr_latex_(),
        "checked file": FileDerivation.check(FILE, "t.toml")._repr_latex_(),
        "check_equation fails": symbp.check_equation(
            r"\frac{\partial y}{\partial w} = w", define=["y = w x"])._repr_latex_(),
        "check_equation error": symbp.check_equation(
            r"\frac{\partial y}{\partial w} = \foo_{x}^{", define=["y = w x"])._repr_latex_(),
    }
    for r in prove_equations(NetworkSpec((2, 2), activation="softmax", cost="log_likelihood")):
        out[f"equation {r.name}"] = r._repr_latex_()
    for path in sorted((ROOT / "derivations").glob("*.toml"))[:3]:
        checked = FileDerivation.check(path.read_text(encoding="utf-8"), path.name)
        for r in checked.results:
            out[f"{path.name}: {r.name}"] = r._repr_latex_()
    return out


def test_every_display_is_math_only_with_no_document_commands(displays):
    for name, shown in displays.items():
        for math in _math(shown):
            assert not re.search(r"\\(section|subsection|textbackslash|input|begin\{verbatim)",
                                 math), name
            assert not re.search(r"\\textbf\{[^}]*\\", math), f"a macro inside \\textbf: {name}"


def test_every_display_renders_in_mathjax3_and_katex(displays):
    node = _renderer()
    names, texts = [], []
    for name, shown in displays.items():
        for math in _math(shown):
            names.append(name)
            texts.append(math)
    proc = subprocess.run([node, str(RENDER)], input=json.dumps(texts), capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    failures = [f"{names[f['index']]} ({f['engine']}): {f['error']}"
                for f in json.loads(proc.stdout)]
    assert not failures, "\n".join(failures[:10])


def test_the_renderer_catches_the_old_headings_and_an_injection():
    node = _renderer()
    bad = [r"\begin{aligned}&\textbf{\text{a}\delta} && x\end{aligned}", r"\input{/etc/hostname}"]
    proc = subprocess.run([node, str(RENDER)], input=json.dumps(bad), capture_output=True,
                          text=True, timeout=60)
    failed = {f["index"] for f in json.loads(proc.stdout)}
    assert failed == {0, 1}


def test_displays_carry_the_evidence(displays):
    assert r"\textbf{refuted}" in displays["refuted verdict"]
    assert "counterexample" in displays["refuted verdict"] and "x = " in displays["refuted verdict"]
    assert r"\textbf{proved}" in displays["proved verdict"]
    assert r"\sigma" in displays["generic refuted"]
    assert "(BP4)" in displays["derivation 2-3-2"] and r"\delta" in displays["derivation 2-3-2"]
    checked = displays["checked file"]
    assert r"\overset{?}{=}" in checked and "the verdict differs" in checked
    assert r"\input" not in checked and r"\backslash" in checked


def test_prove_equations_returns_a_table_not_sixty_lines_of_dataclasses():
    results = prove_equations(NetworkSpec((2, 2)))
    assert isinstance(results, EquationResults) and isinstance(results, list)
    text = repr(results)
    assert text.splitlines()[0].startswith("network [2, 2]") and "BP4" in text
    assert "EquationResult(" not in text and len(text.splitlines()) < 15
    table = results._repr_html_()
    assert table.startswith("<table>") and table.count("<tr>") == len(results) + 1
    assert "proved 4/4" in table


def test_a_claim_result_displays_from_its_fields():
    bad, = [r for r in FileDerivation.check(FILE, "t.toml").results if r.name == "bad"]
    shown = bad._repr_latex_()
    assert r"\textbf{bad: fails}" in shown and r"\overset{?}{=}" in shown
    html = FileDerivation.check(FILE, "t.toml")._repr_html_()
    assert html.count("<b>differs</b>") == 2     # 'bad' (expected to hold) and the last
