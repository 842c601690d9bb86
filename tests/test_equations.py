"""BP1–BP4 hold on every network symbp builds; the facts about softmax and the shortcuts."""
import pytest

from symbp import backprop
from symbp.chain import Direct
from symbp.network import NetworkSpec, build_network
from symbp.prove import prove_atoms
from symbp.theorems import context
from symbp.theorems import prove_equations

SIZES = [(2, 3, 2), (3, 4, 4, 2), (2, 3, 3, 2, 2)]
ACTIVATIONS = ["sigma", "sigmoid", "tanh", "softplus", "relu", "identity"]


def statuses(**spec):
    return {r.name: (r.status, r.instances) for r in prove_equations(NetworkSpec(**spec))}


@pytest.mark.parametrize("layers", SIZES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_instance_of_the_four_equations_is_proved(layers, activation):
    results = prove_equations(NetworkSpec(layers=layers, activation=activation))
    names = {r.name for r in results}
    assert {"BP1", "BP2", "BP3", "BP4"} <= names
    for r in results:
        assert r.status == "proved", (r.name, r.failures()[:1])
    bp4 = next(r for r in results if r.name == "BP4")
    assert bp4.instances == sum(m * n for m, n in zip(layers, layers[1:]))


@pytest.mark.parametrize("bias,row", [("add", "BP3"), ("subtract", "BP3 (-b)"),
                                      ("unit", "BP3 (bias unit)")])
def test_bias_conventions(bias, row):
    assert statuses(layers=(2, 3, 2), bias=bias)[row] == ("proved", 5)


def test_no_bias_has_no_bp3():
    assert not any(name.startswith("BP3") for name in statuses(layers=(2, 3, 2), bias="none"))


def test_several_samples_average_the_per_sample_equations():
    rows = statuses(layers=(2, 3, 2), samples=3, cost_scale=1)
    assert rows["BP1"] == ("proved", 6) and rows["BP4"] == ("proved", 12)


def _bp1_hadamard_verdicts(net):
    direct, ctx = Direct(net), context(net)
    return [prove_atoms(direct.delta(0, net.L, j), backprop.bp1_hadamard(net, 0, j), ctx)
            for j in range(1, net.width(net.L) + 1)]


def test_softmax_breaks_hadamard_bp1_but_not_the_jacobian_form():
    net = build_network(NetworkSpec(layers=(2, 3, 3), activation=("sigma", "softmax")))
    assert all(v.status == "refuted" for v in _bp1_hadamard_verdicts(net))
    rows = statuses(layers=(2, 3, 3), activation=("sigma", "softmax"))
    assert rows["BP1 (Jacobian)"] == ("proved", 3)


def test_softmax_log_likelihood_shortcut_needs_targets_summing_to_one():
    spec = NetworkSpec(layers=(2, 3, 3), activation=("sigmoid", "softmax"), cost="log_likelihood")
    rows = prove_equations(spec)
    shortcut = next(r for r in rows if r.name == "δ^L = a^L - y")
    assert shortcut.status == "proved" and "Σ_j y_j = 1" in shortcut.condition
    # without the condition it fails, with a counterexample
    net = build_network(spec)
    direct, ctx = Direct(net), context(net)
    a = net.units[0][(net.L, 1)].a_atoms
    verdict = prove_atoms(direct.delta(0, net.L, 1), a - net.y[0][0], ctx)
    assert verdict.status == "refuted" and verdict.counterexample is not None


def test_sigmoid_cross_entropy_cancels_sigma_prime():
    assert statuses(layers=(2, 3, 2), activation="sigmoid",
                    cost="cross_entropy")["δ^L = a^L - y"] == ("proved", 2)


def test_the_shortcut_is_not_claimed_where_it_is_false():
    assert "δ^L = a^L - y" not in statuses(layers=(2, 3, 2), activation="tanh",
                                           cost="cross_entropy")


def test_route_b_in_full_equals_route_a_for_every_parameter():
    net = build_network(NetworkSpec(layers=(3, 4, 4, 2), activation="tanh"))
    direct, ctx = Direct(net), context(net)
    for sym, rhs in backprop.gradients(net).items():
        assert prove_atoms(direct.parameter(sym), rhs, ctx).status == "proved", sym


def test_relu_states_its_kink():
    rows = prove_equations(NetworkSpec(layers=(2, 3, 2), activation="relu"))
    assert any("kink" in r.note for r in rows)
