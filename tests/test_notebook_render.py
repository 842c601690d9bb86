"""The tour notebook (docs/tour.ipynb) as a reader sees it: executed in a fresh kernel, made an
HTML page by nbconvert, and every output's math typeset by MathJax 3 in headless chromium
(tests/notebook_page.py) with no TeX error, no error node and no output left as raw TeX.

Needs the `notebook` extra (nbclient, nbconvert, ipykernel), Debian's chromium, and the npm
package mathjax-full@3 on NODE_PATH; without them these tests skip, unless CI is set (as
.ci/run sets it): then they fail.
"""
import json
import os
import re
from pathlib import Path

import pytest

from tests import notebook_page

ROOT = Path(__file__).resolve().parent.parent
TOUR = ROOT / "docs" / "tour.ipynb"


@pytest.fixture(scope="module")
def tools():
    lacking = notebook_page.missing()
    if lacking and os.environ.get("CI"):
        pytest.fail("CI is set but the notebook cannot be rendered without: "
                    + "; ".join(lacking), pytrace=False)
    if lacking:
        pytest.skip("missing " + "; ".join(lacking) + " (set CI=1 to make this a failure)")


@pytest.fixture(scope="module")
def tour(tools):
    return notebook_page.execute(TOUR)


def _notebook(*sources: str):
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def test_the_tour_is_stored_without_outputs():
    nb = json.loads(TOUR.read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(not c["outputs"] and c["execution_count"] is None for c in code)


def test_the_tour_shows_every_kind_of_result(tour):
    sources = "\n".join(c.source for c in tour.cells)
    for call in ("prove_equations(", "prove(", "derive(NetworkSpec((2, 3, 2)))",
                 "check_equation(", "check_text(", "gradient(", "sp.lambdify("):
        assert call in sources, call
    latex = [text for text, _ in notebook_page.latex_outputs(tour)]
    assert any(r"\textbf{proved}" in t for t in latex)                         # a Verdict
    assert any("(BP4)" in t for t in latex)                                    # a derivation
    assert any(r"\textbf{equation: holds}" in t for t in latex)                # check_equation
    assert any(r"\textbf{equation: fails}" in t and "diagnosis" in t for t in latex)
    assert any(r"\textbf{local derivative: fails}" in t for t in latex)       # check_text
    html = [o.data["text/html"] for c in tour.cells for o in c.get("outputs", [])
            if "text/html" in o.get("data", {})]
    assert any("proved 12/12" in h for h in html)                              # the proof table
    printed = "".join(o.get("text", "") for c in tour.cells for o in c.get("outputs", []))
    exact, numeric = (float(v) for v in re.findall(r"-?\d+\.\d+", printed))
    assert abs(exact - numeric) < 1e-8                                         # lambdify agrees


def test_every_output_of_the_tour_typesets_in_mathjax3(tour):
    report = notebook_page.typeset(notebook_page.page(tour, notebook_page.mathjax()))
    assert not report.problems, "\n".join(report.problems[:10])
    assert report.merror == 0
    outputs = len(notebook_page.latex_outputs(tour))
    assert outputs >= 8 and report.containers >= outputs


def test_a_broken_display_is_caught(tools):
    nb = notebook_page.execute_node(_notebook(
        "from IPython.display import Latex, display",
        # the old derivation headings: a math macro inside \textbf inside aligned
        r'display(Latex(r"$$\begin{aligned}&\textbf{\text{x}\delta} && y\end{aligned}$$"))',
        r'display(Latex(r"$$\undefinedcommand{x}$$"))',
        # a broken LaTeX display behind a table: the page shows the HTML, the test its math
        "class Table:\n    def _repr_html_(self): return '<table><tr><td>t</td></tr></table>'\n"
        "    def _repr_latex_(self): return r'$$\\frac{1}$$'\n"
        "Table()",
        'display(Latex("$$x"))',                         # never typeset: left as raw TeX
        r'display(Latex(r"$$\frac{\partial C}{\partial w} = a \delta$$"))',   # fine
    ))
    report = notebook_page.typeset(notebook_page.page(nb, notebook_page.mathjax()))
    joined = "\n".join(report.errors)
    assert len(report.errors) == 3, joined
    assert "only supported in math mode" in joined
    assert r"Undefined control sequence \undefinedcommand" in joined
    assert r"Missing argument for \frac" in joined
    assert report.merror == 3
    assert report.untypeset == ["$$x"]
    assert len(report.problems) == 4


def test_a_page_that_would_load_from_the_network_is_refused(tour):
    nb = _notebook()
    nb.cells = [c for c in tour.cells if c.cell_type == "markdown"][:1]
    nb.cells[0].source += '\n\n<img src="https://example.org/x.png">'
    with pytest.raises(ValueError, match="network"):
        notebook_page.page(nb, notebook_page.mathjax())
