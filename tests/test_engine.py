"""The SymPy/SymEngine crossing converts expression trees and refuses text outright."""
import pytest
import sympy as sp

from symbp.engine import to_engine, to_sympy


@pytest.mark.parametrize("convert", [to_engine, to_sympy])
def test_text_is_never_parsed(convert):
    with pytest.raises(TypeError, match="never text"):
        convert("__import__('os').system('true')")


def test_round_trip_keeps_the_expression_and_renames_dummies():
    w, x = sp.symbols("w x")
    sigma = sp.Function("sigma")
    derivative = sp.diff(sigma(sigma(w * x) * w), w)       # holds a Subs with a Dummy
    assert derivative.atoms(sp.Dummy)
    converted = to_engine(derivative)
    assert {str(s) for s in converted.free_symbols} == {"w", "x"}
    plain = w ** 2 + 3 * x
    assert to_sympy(to_engine(plain)) == plain


def test_sympy_derivatives_of_nested_generic_functions_are_proved():
    from symbp.prove import prove
    w, x = sp.symbols("w x")
    sigma = sp.Function("sigma")
    inner = sigma(w * x)
    derivative = sp.diff(sigma(inner * w), w)
    prime = sp.Function("sigma")(sp.Symbol("t")).diff(sp.Symbol("t"))
    sp_at = lambda u: prime.subs(sp.Symbol("t"), u)        # σ'(u) as SymPy writes it
    chain = sp_at(inner * w) * (inner + w * x * sp_at(w * x))
    assert prove(derivative, chain).status == "proved"
    assert prove(derivative, 2 * chain).status == "refuted"
