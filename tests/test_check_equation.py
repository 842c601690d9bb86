"""`symbp.check_equation`: one equation checked as a one-claim derivation file would be, with
no file written; bad input is an `error` verdict with a located message, never an exception."""
from fractions import Fraction

import pytest

import symbp
from symbp.check import ClaimResult, check_text

NIELSEN = [
    'a^1_j = x_j',
    r'z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j',
    r'a^l_j = \sigma(z^l_j)',
    r'C = \frac{1}{2} \sum_j (a^L_j - y_j)^2',
    r'\delta^l_j = \frac{\partial C}{\partial z^l_j}',
    'W^l_{jk} = w^l_{jk}',
]
BP1 = r"\delta^L = \nabla_a C \odot \sigma'(z^L)"
BP2 = r"\delta^l = ((W^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)"


def test_it_is_public_and_lazy():
    assert "check_equation" in symbp.__all__
    assert symbp.check_equation.__module__ == "symbp.check"


def test_a_true_equation_holds_on_every_network_given():
    result = symbp.check_equation(BP1, define=NIELSEN, layers=[[2, 3, 2], [3, 2, 4, 2]])
    assert isinstance(result, ClaimResult)
    assert result.verdict == "holds" and result.error is None
    assert result.instances == 2              # the vector equation, once on each network
    bp2 = symbp.check_equation(BP2, define=NIELSEN, layers=(2, 3, 4, 2),    # one network
                               where=r"2 \le l \le L-1")
    assert bp2.verdict == "holds" and bp2.instances == 2                    # l = 2 and l = 3


def test_a_wrong_equation_fails_with_a_diagnosis_and_a_counterexample():
    result = symbp.check_equation(r"\delta^L = \nabla_a C", define=NIELSEN, layers=[[2, 3, 2]])
    assert result.verdict == "fails"
    assert "σ'(z^L_j) is missing on the right" in result.diagnosis     # in the claim's indices
    assert result.counterexample and result.instance
    assert not result.as_expected              # a claimed equation is claimed to hold
    wanted = symbp.check_equation(r"\delta^L = \nabla_a C", define=NIELSEN, layers=[[2, 3, 2]],
                                  expect="fails")
    assert wanted.verdict == "fails" and wanted.as_expected


def test_it_gives_what_the_same_one_claim_file_gives():
    lines = ["layers = [[2, 3, 2]]", "define = ["] + [f"  '''{d}'''," for d in NIELSEN] + [
        "]", "[[claim]]", "name = 'equation'", r"latex = '\delta^L = \nabla_a C'"]
    from_file, = check_text("\n".join(lines), "check_equation")
    direct = symbp.check_equation(r"\delta^L = \nabla_a C", define=NIELSEN, layers=[[2, 3, 2]])
    fields = ("verdict", "instances", "instance", "diagnosis", "counterexample", "readings")
    assert {f: getattr(direct, f) for f in fields} == {f: getattr(from_file, f) for f in fields}


@pytest.mark.parametrize("kwargs, located", [
    (dict(latex=r"\delta^L = \nabla_a C \odot"), "claim equation, column 28: the formula ends"),
    (dict(latex=r"\delta^L = \foo C"), r"column 12: \foo is not supported"),
    (dict(latex=BP1, layers=None), "the output layer L needs `layers`"),
    (dict(latex=BP1, define=NIELSEN[:2] + [r"a^l_j = \sigma("]), "definition 3"),
    (dict(latex=BP1, layers=[[2, 3, 2, 2, 2, 2, 2, 2, 2]]), "limited to 8 layers"),
    (dict(latex=BP1, layers=5), "key 'layers' in the arguments must be a list"),
    (dict(latex=3), "key 'latex' in a claim must be a str"),
    (dict(latex=BP1, define=[3]), "every entry of 'define' must be a string formula"),
    (dict(latex=BP1, values={"x_1": "abc"}), "value of 'x_1' must be a number"),
    (dict(latex=BP1, values={"x_1": float("nan")}), "must be a finite number"),
    (dict(latex=BP1, values={1: 2}), "every key of 'values' must be a formula"),
    (dict(latex=BP1, values=[1, 2]), "key 'values' in the arguments must be a dict"),
    (dict(latex=BP1, expect="maybe"), "'expect' must be one of holds, fails, undecided"),
    (dict(latex=BP1, first_layer=2), "'first_layer' must be 0 or 1"),
])
def test_unreadable_input_is_an_error_verdict_with_a_located_message(kwargs, located):
    kwargs = {"define": NIELSEN, "layers": [[2, 3, 2]]} | kwargs
    result = symbp.check_equation(**kwargs)
    assert result.verdict == "error"
    assert located in result.error and not result.error.startswith(":")
    assert result.name == "equation" and isinstance(result.latex, str) and result.file == ""


def test_values_make_a_numeric_claim_exact_or_decimal():
    define = "y = w x"                     # one definition may be given as a string
    exact = {"w": Fraction(2, 3), "x": 9}
    assert symbp.check_equation("y = 6", define, values=exact).verdict == "holds"
    wrong = symbp.check_equation("y = 7", define, values=exact)
    assert wrong.verdict == "fails" and "differ" in wrong.diagnosis
    assert symbp.check_equation("y = 0.75", define, values={"w": 0.5, "x": "3/2"},
                                tolerance="1e-12").verdict == "holds"
    assert symbp.check_equation("y = 0.76", define, values={"w": 0.5, "x": "3/2"},
                                tolerance="1e-12").verdict == "fails"


def test_values_may_be_numpy_and_sympy_numbers():
    import numpy as np
    import sympy as sp
    for w, x in ((sp.Rational(2, 3), np.int64(9)), (np.float64(0.5), sp.Float(12)),
                 (Fraction(1, 2), np.float32(12.0))):
        result = symbp.check_equation("y = 6", "y = w x", values={"w": w, "x": x})
        assert result.verdict == "holds", (w, x, result.error)
    bad = symbp.check_equation("y = 6", "y = w x", values={"w": object(), "x": 1})
    assert bad.verdict == "error" and "value of 'w' must be a number" in bad.error


def test_a_derivative_with_values_at_a_point():
    define = [r"h = \frac{1}{1 + \exp(-w x)}", r"E = \frac{1}{2}(h - d)^2"]
    values = {"w": 0.5, "x": 2, "d": 1}
    # dE/dw = (h - d) h (1 - h) x with h = 1/(1 + e^{-1}) = 0.7310585786...
    good = symbp.check_equation(r"\frac{\partial E}{\partial w} = -0.10575", define,
                                values=values, tolerance="1e-5")
    assert good.verdict == "holds", good
    bad = symbp.check_equation(r"\frac{\partial E}{\partial w} = -0.0529", define,
                               values=values, tolerance="1e-5")
    assert bad.verdict == "fails"


def test_the_result_displays_in_a_notebook():
    symbp.attach_displays()
    fails = symbp.check_equation(r"\delta^L = \nabla_a C", define=NIELSEN, layers=[[2, 3, 2]])
    shown = fails._repr_latex_()
    assert shown.startswith("$$") and r"\textbf{equation: fails}" in shown
    assert r"\overset{?}{=}" in shown and "diagnosis" in shown
    error = symbp.check_equation(r"\delta^L = \foo C", define=NIELSEN, layers=[[2, 3, 2]])
    assert r"\textbf{equation: error}" in error._repr_latex_()
    assert r"\foo" not in error._repr_latex_().replace(r"\backslash foo", "")
