"""The LaTeX printer: textbook notation, σ' as σ'(z), safe running text, and notebook reprs."""
import sympy as sp

from symbp.network import NetworkSpec
from symbp.printing.latex import latex, number, prose, questioned
from symbp.quantities import Act, Cost, D, Delta, Pre, Prime, Same, Weight


def test_quantities_print_in_the_canonical_notation():
    spec = NetworkSpec((2, 12, 2), activation="tanh")
    assert latex(D(Cost(), Weight(2, 12, 1)), spec) == \
        r"\frac{\partial C}{\partial w^{2}_{12,1}}"
    assert latex(Prime(2, 3, 1), spec) == r"\tanh'(z^{2}_{3})"
    assert latex(Delta(3, sp.Symbol("j"), 1), spec) == r"\delta^{3}_{j}"
    assert latex(Same(sp.Symbol("i"), sp.Symbol("j"))) == "[i = j]"
    assert latex(Act(2, 1, 1) ** 2) == r"\left(a^{2}_{1}\right)^{2}"


def test_several_samples_are_tagged_and_one_is_not():
    assert latex(Pre(2, 1, 2), NetworkSpec((2, 2), samples=2)) == "z^{(2),2}_{1}"
    assert latex(Pre(2, 1, 1), NetworkSpec((2, 2))) == "z^{2}_{1}"
    assert latex(Cost(2)) == "C^{(2)}"


def test_a_sympy_derivative_of_a_function_is_printed_with_a_prime():
    z, t = sp.symbols("z t")
    sigma = sp.Function("sigma")
    at_point = sigma(2 * z).diff(z)                   # 2 Subs(Derivative(σ(ξ), ξ), ξ, 2z)
    assert r"\sigma'\left(2 z\right)" in latex(at_point)
    assert r"\sigma'\left(t\right)" == latex(sigma(t).diff(t))
    assert r"\xi" not in latex(at_point) and r"\right|" not in latex(at_point)


def test_prose_sets_formulas_as_math_and_escapes_the_rest():
    assert prose("a factor σ'(z^{2}_{1}) is missing") == \
        r"a factor $\sigma '(z^{2}_{1})$ is missing"
    assert prose("W^l's entries, 50% & more") == r"$W^l$'s entries, 50\% \& more"
    assert prose("(w_{jk} read as w_{kj}): swap") == r"($w_{jk}$ read as $w_{kj}$): swap"


def test_a_claim_shows_its_top_level_equals_as_a_question():
    assert questioned(r"\sum_{k=1}^2 a_k = b") == r"\sum_{k=1}^2 a_k \overset{?}{=} b"
    assert questioned(r"a \le b") == r"a \le b"
    assert number("-3/4") == r"-\frac{3}{4}" and number("2") == "2"
