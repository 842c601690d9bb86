"""Every derivative rule in the tables is proved against sympy.diff, and a wrong rule is caught."""
import dataclasses

import pytest
import sympy as sp

from symbp.prove import prove
from symbp.rules import ACTIVATIONS, COSTS, derivative_rule_sides, t

CONCRETE = [name for name, act in ACTIVATIONS.items() if act.form is not None]


@pytest.mark.parametrize("name", CONCRETE)
def test_activation_rule_is_the_derivative(name):
    lhs, rhs = derivative_rule_sides(name)
    verdict = prove(lhs, rhs)
    assert verdict.status == "proved", verdict
    # and an independent numeric look at one point away from any kink
    point = sp.Rational(3, 7)
    assert abs(float(lhs.subs(t, point)) - float(rhs.subs(t, point))) < 1e-12


def test_a_rule_off_by_a_thousandth_is_refuted_with_its_factor():
    sigmoid = ACTIVATIONS["sigmoid"]
    wrong = dataclasses.replace(sigmoid, derivative=lambda u, s: s * (1 - s) * sp.Rational(1001, 1000))
    verdict = prove(*derivative_rule_sides("sigmoid", wrong))
    assert verdict.status == "refuted"
    assert "1000/1001" in verdict.diagnosis
    ce = verdict.counterexample
    assert ce is not None and ce.lhs_value != ce.rhs_value


@pytest.mark.parametrize("name", list(COSTS))
def test_cost_gradient_rule_is_the_derivative(name):
    a = sp.symbols("a1:4", positive=True)
    y = sp.symbols("y1:4")
    cost = COSTS[name]
    scale = cost.default_scale
    form = cost.form(list(a), list(y), scale)
    for ai, gi in zip(a, cost.gradient(list(a), list(y), scale)):
        assert prove(sp.diff(form, ai), gi).status == "proved"


def test_quadratic_without_half_has_gradient_twice_a_minus_y():
    a, y = sp.symbols("a y")
    form = COSTS["quadratic"].form([a], [y], 1)
    verdict = prove(sp.diff(form, a), a - y)
    assert verdict.status == "refuted"
    assert "left = 2 × right" in verdict.diagnosis
