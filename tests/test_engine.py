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


def test_fractions_inside_denominators_are_proved_and_refuted_exactly():
    """The sigmoid's derivative through cross-entropy leaves 1/(1 - 1/(1 + e^{-z})) in a side:
    the prover writes such a denominator as one fraction first, proves the true identity in
    canonical rational form, and still refutes a near miss."""
    from symbp.prove import prove
    z, y = sp.symbols("z y")
    s = 1 / (1 + sp.exp(-z))
    loss = -(y * sp.log(s) + (1 - y) * sp.log(1 - s))
    gradient = sp.diff(loss, z)
    proved = prove(gradient, s - y)
    assert proved.status == "proved" and proved.method == "canonical rational form", proved
    assert prove(gradient, s - y + s ** 2 * (1 - s) / 7).status == "refuted"
    u, v = sp.symbols("u v", positive=True)
    nested = 1 / (1 - 1 / (1 + u / v))
    assert prove(nested, (u + v) / u).status == "proved"
    assert prove(nested, (u + v) / v).status == "refuted"


def test_a_fraction_in_a_denominator_is_written_as_one_fraction():
    import symengine as se
    from symbp.prove import _denominators, _flat_fractions
    u, v = se.symbols("u v")
    nested = 1 / (1 - 1 / (1 + u / v)) + u / (1 + 1 / v)
    flat = _flat_fractions(nested, {})
    assert not any(_denominators(base) for base in _denominators(flat))
    for point in ({u: 2, v: 3}, {u: -5, v: 7}):
        assert flat.subs(point) == nested.subs(point)
