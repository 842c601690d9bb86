"""Wrong generic equations are not proved: each is refuted on a concrete network, diagnosed.

The counterexample of each refutation is re-evaluated here in exact arithmetic, independently of
the prover's own evaluation.
"""
import pytest
import symengine as se

from symbp.generic.equations import (EXPLICIT_COST_PLAN, a, bp1, bp1_jacobian, bp2, bp4, delta,
                                     dsig, grad, l, l_down, l_up, w, L)
from symbp.generic.expr import Atom, Sum, add, mul, neg, ONE
from symbp.generic.instances import Instance
from symbp.generic.verdicts import generic_network, prove_generic
from symbp.chain import Direct
from symbp.network import build_network
from symbp.generic.verdicts import spec_for


def refuted(claim, activation="sigma", cost="quadratic", scale=None):
    net, acts = generic_network(activation, cost, "add", scale)
    verdict = prove_generic(claim(net) if callable(claim) else claim, net, acts)
    assert verdict.status == "refuted" and verdict.scope == "network", verdict
    return net, acts, verdict


def reevaluate(verdict, claim, net, acts):
    """Both sides at the counterexample, exactly, on the network and instance it names."""
    spec = spec_for(tuple(verdict.network), net, acts)
    network = build_network(spec)
    pairs = dict(part.split("=") for part in verdict.instance.split(", "))
    layers = {"L": len(spec.layers)}
    units = {}
    for name, value in pairs.items():
        (layers if name in ("l", "L") else units)[name] = int(value)
    inst = Instance(network, Direct(network), layers, units)
    point = verdict.concrete.counterexample.point
    assert all(isinstance(v, se.Basic) for v in point.values())
    left, right = inst(claim.lhs), inst(claim.rhs)
    for _ in range(6):
        left, right = left.subs(point), right.subs(point)
    assert left.is_Number and right.is_Number
    return left, right


def test_bp2_without_sigma_prime():
    rhs = Sum("k", l_up, mul(w(l_up, "k", "j"), delta(l_up, "k")))
    net, acts, verdict = refuted(lambda n: bp2(n, rhs, "BP2 without σ'"))
    assert "a factor σ'(z^l_j) is missing on the right" in verdict.diagnosis
    assert "missing on the right" in verdict.concrete.diagnosis
    left, right = reevaluate(verdict, bp2(net, rhs), net, acts)
    assert left != right and str(left) == verdict.concrete.counterexample.lhs_value


def test_bp2_without_the_transpose():
    rhs = mul(Sum("k", l_up, mul(w(l_up, "j", "k"), delta(l_up, "k"))), dsig(l, "j"))
    net, acts, verdict = refuted(lambda n: bp2(n, rhs, "BP2 without transpose"))
    assert "missing transpose" in verdict.diagnosis
    assert "n_{l+1} = n_{l}" in verdict.diagnosis          # the shapes, in the claim's indices
    left, right = reevaluate(verdict, bp2(net, rhs), net, acts)
    assert left != right


def test_bp4_with_j_and_k_swapped():
    rhs = mul(a(l_down, "j"), delta(l, "k"))
    net, acts, verdict = refuted(lambda n: bp4(n, rhs, "BP4 swapped"))
    assert "the right side holds with j and k exchanged" in verdict.diagnosis
    left, right = reevaluate(verdict, bp4(net, rhs), net, acts)
    assert left != right


def test_bp1_with_the_wrong_cost_constant():
    rhs = mul(add(a(L, "j"), neg(Atom("y", None, ("j",)))), dsig(L, "j"))
    claim = lambda n: bp1(n, rhs, "BP1, C = Σ(a-y)²", plan=EXPLICIT_COST_PLAN)   # noqa: E731
    net, acts, verdict = refuted(claim, scale=1)
    assert "left = 2 × right" in verdict.diagnosis
    left, right = reevaluate(verdict, claim(net), net, acts)
    assert left == 2 * right and left != 0
    # with the textbook's ½ the same claim is proved for every size
    half, acts = generic_network("sigma", "quadratic", "add")
    assert prove_generic(claim(half), half, acts).scope == "all-sizes"


def test_hadamard_bp1_with_a_softmax_output():
    rhs = mul(grad("j"), a(L, "j"), add(ONE, neg(a(L, "j"))))
    claim = lambda n: bp1(n, rhs, "BP1 (Hadamard)")   # noqa: E731
    net, acts = generic_network("softmax")
    verdict = prove_generic(claim(net), net, acts)
    assert verdict.status == "refuted" and verdict.network
    assert verdict.concrete.counterexample is not None
    assert prove_generic(bp1_jacobian(net), net, acts).scope == "all-sizes"


@pytest.mark.parametrize("activation", ["sigma", "tanh", "sigmoid"])
def test_a_wrong_claim_is_refuted_for_concrete_activations_too(activation):
    rhs = Sum("k", l_up, mul(w(l_up, "k", "j"), delta(l_up, "k")))
    net, acts = generic_network(activation)
    verdict = prove_generic(bp2(net, rhs), net, acts)
    assert verdict.status == "refuted" and "σ'(z^l_j) is missing" in verdict.diagnosis


def test_an_unprovable_but_true_instance_is_not_called_proved():
    # σ'(z^L_j) (∇_a C)_j · 1 + 0: proved; a claim true only at width 1 is not proved generically
    rhs = mul(Sum("i", L, grad("i")), dsig(L, "j"))        # Σ_i (∇C)_i σ'(z_j): true iff n_L = 1
    net, acts = generic_network("sigma")
    verdict = prove_generic(bp1(net, rhs), net, acts)
    assert verdict.status == "refuted" and verdict.network[-1] > 1
    one = prove_generic(bp1(net, rhs), net, acts, networks=((2, 1),))
    assert one.status == "undecided" and one.scope == "network"
    assert "no counterexample on [2, 1]" in one.reason


def test_a_claim_the_language_cannot_take_apart_is_undecided_not_proved():
    from symbp.generic.expr import D
    from symbp.generic.proof import prove_claim
    net, acts = generic_network("sigma")
    # ∂δ^l_j/∂w: no rule differentiates δ (a second derivative), so no proof is claimed
    claim = bp2(net, D(delta(l, "j"), w(l, "j", "j")))
    verdict = prove_claim(claim, net)
    assert verdict.status == "undecided" and verdict.reason
