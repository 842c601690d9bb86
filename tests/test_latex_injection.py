"""No user text reaches LaTeX output raw (issue 11): titles, notes, names, values, definitions and
claim text are re-emitted from allow-listed tokens or escaped, in documents and notebooks."""
import re

import pytest

import symbp
from symbp.check import ClaimResult
from symbp.checked import FileDerivation
from symbp.derivation.read import DerivationFile
from symbp.printing.latex import prose, safe_math
from symbp.printing.latex_document import file_document

ATTACKS = [r"\input{/etc/hostname}", r"\mathcal{\input}", r"\write18{rm -rf x}",
           r"\def\x{y}\x", r"\csname input\endcsname{a}", "^^5cinput{a}", r"\catcode`\@=0",
           "% comment", "a # b", r"\\input{a}", r"\text{\input{a}}", r"x_{\input{a}}",
           r"\begin{cases} a & b \end{cases}\begin{filecontents}{x}\end{filecontents}",
           r"\begin{cases} a \\ b \end{document}", r"a & b \\ c"]
DANGEROUS = re.compile(r"\\(input|write|def|csname|catcode|include|openin|read)\b|\^\^|"
                       r"\\(begin|end)\{filecontents\}")


def test_cases_and_matrices_typeset_but_no_other_environment():
    """A claim by cases is re-emitted as math; an environment outside the allow-list, a `&` or
    a row break outside an environment, or an unbalanced environment is not."""
    cases = r"\delta_j = \begin{cases} a & \text{if output} \\ b & \text{otherwise} \end{cases}."
    assert safe_math(cases) == cases
    assert safe_math(r"\begin{bmatrix} 1 & 2 \end{bmatrix}") is not None
    for refused in (r"\begin{verbatim} x \end{verbatim}", r"a & b", r"a \\ b",
                    r"\begin{cases} a & b", r"\begin{cases} a \end{bmatrix}"):
        assert safe_math(refused) is None, refused


@pytest.mark.parametrize("attack", ATTACKS)
def test_safe_math_refuses_what_is_not_allow_listed(attack):
    shown = safe_math(attack)
    assert shown is None or not DANGEROUS.search(shown)


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_document_never_carries_an_attack_raw(attack):
    df = DerivationFile("t.toml", title=f"title {attack}", source=attack, note=f"note {attack}",
                        define=(f"y = {attack}",), values=((f"x_{{{attack}}}", attack),))
    results = [ClaimResult("t.toml", f"name {attack}", attack, verdict, note=attack,
                           diagnosis=f"diagnosis {attack}", reason=attack, error=attack,
                           counterexample_text=attack, instance=attack, link=attack,
                           expect="holds")
               for verdict in ("holds", "fails", "undecided", "error")]
    tex = file_document(df, results)
    body = tex.split("\\begin{document}", 1)[1]
    assert not DANGEROUS.search(body), DANGEROUS.search(body)
    assert body.count("\\end{document}") == 1
    symbp.attach_displays()
    for shown in [r._repr_latex_() for r in results] + [FileDerivation(df, results)._repr_latex_()]:
        assert not DANGEROUS.search(shown)


def test_safe_math_keeps_textbook_formulas():
    formula = r"\delta^L = \nabla_a C \odot \sigma'(z^L) + \frac{\partial C}{\partial w^l_{jk}}"
    assert safe_math(formula) == formula
    assert prose(r"see \input{x}") == r"see \textbackslash{}input\{x\}"
