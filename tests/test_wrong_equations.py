"""The prover is not a yes-machine: deliberately wrong equations are refuted and diagnosed.

Each counterexample is re-evaluated here, independently of the prover's own arithmetic.
"""
import pytest
import symengine as se

from symbp import backprop
from symbp.chain import Direct
from symbp.network import NetworkSpec, build_network
from symbp.prove import prove_atoms
from symbp.theorems import context


def setup(**spec):
    net = build_network(NetworkSpec(**spec))
    return net, Direct(net), context(net)


def reevaluate(verdict, lhs, rhs):
    """Both sides at the counterexample's point, in exact rational arithmetic."""
    point = verdict.counterexample.point
    assert all(isinstance(v, se.Basic) for v in point.values()), "expected an exact point"
    left, right = (side.subs(point) for side in (lhs, rhs))
    for _ in range(5):   # atoms of atoms: substitute until only numbers remain
        left, right = left.subs(point), right.subs(point)
    assert left.is_Number and right.is_Number
    return left, right


@pytest.mark.parametrize("activation", ["sigma", "tanh"])
def test_bp2_without_sigma_prime(activation):
    net, direct, ctx = setup(layers=(2, 3, 2), activation=activation)
    lhs = direct.delta(0, 2, 1)
    rhs = sum((net.w[(3, k, 1)] * direct.delta(0, 3, k) for k in (1, 2)), se.Integer(0))
    verdict = prove_atoms(lhs, rhs, ctx)
    assert verdict.status == "refuted"
    if activation == "sigma":
        assert "factor \\sigma'(z^{2}_{1}) is missing on the right" in verdict.diagnosis
        left, right = reevaluate(verdict, lhs, rhs)
        assert left != right and str(left) == verdict.counterexample.lhs_value
    else:
        assert "missing on the right" in verdict.diagnosis


def test_bp2_without_transpose_on_non_square_layers_is_a_shape_mismatch():
    net, direct, ctx = setup(layers=(2, 3, 2))
    w3 = backprop.weight_matrix(net, 3)          # 2×3
    with pytest.raises(backprop.ShapeMismatch, match="2×3 and δ\\^\\{3\\} is 2×1"):
        backprop.bp2_vector(net, direct.delta, 0, 2, w3, name="W^{3}")
    right = backprop.bp2_vector(net, direct.delta, 0, 2, w3.T)
    for j in range(3):
        assert prove_atoms(direct.delta(0, 2, j + 1), right[j, 0], ctx).proved


def test_bp2_without_transpose_on_square_layers_is_an_index_swap():
    net, direct, ctx = setup(layers=(2, 2, 2))
    wrong = backprop.bp2_vector(net, direct.delta, 0, 2, backprop.weight_matrix(net, 3))
    lhs = direct.delta(0, 2, 1)
    verdict = prove_atoms(lhs, wrong[0, 0], ctx)
    assert verdict.status == "refuted"
    assert "indices of each weight swapped" in verdict.diagnosis
    left, right = reevaluate(verdict, lhs, wrong[0, 0])
    assert left != right


def test_bp4_with_j_and_k_swapped():
    net, direct, ctx = setup(layers=(3, 3, 2))
    l, j, k = 2, 1, 3
    lhs = direct.parameter(net.w[(l, j, k)])
    wrong = backprop.bp4(net, direct.delta, l, k, j)       # a^{l-1}_j δ^l_k
    swapped = direct.parameter(net.w[(l, k, j)])
    verdict = prove_atoms(lhs, wrong, ctx,
                          alternatives={"∂C/∂w^{2}_{31}, the weight with j and k swapped": swapped})
    assert verdict.status == "refuted"
    assert "j and k swapped" in verdict.diagnosis
    left, right = reevaluate(verdict, lhs, wrong)
    assert left != right


def test_bp1_with_the_wrong_cost_constant():
    net, direct, ctx = setup(layers=(2, 3, 2), cost_scale=1)     # C = Σ (a - y)^2, no ½
    a = net.units[0][(3, 1)].a_atoms
    rhs = (a - net.y[0][0]) * net.units[0][(3, 1)].dsigma     # ∇_a C read as a - y
    lhs = direct.delta(0, 3, 1)
    verdict = prove_atoms(lhs, rhs, ctx)
    assert verdict.status == "refuted"
    assert "left = 2 × right" in verdict.diagnosis
    left, right = reevaluate(verdict, lhs, rhs)
    assert left == 2 * right and left != 0


def test_bp3_with_the_wrong_sign_under_subtracted_bias():
    net, direct, ctx = setup(layers=(2, 3, 2), bias="subtract")
    lhs = direct.parameter(net.b[(2, 1)])
    verdict = prove_atoms(lhs, direct.delta(0, 2, 1), ctx)
    assert verdict.status == "refuted" and "differ in sign" in verdict.diagnosis


def test_concrete_activation_counterexample_is_rigorous():
    net, direct, ctx = setup(layers=(2, 2, 1), activation="sigmoid")
    lhs = direct.delta(0, 2, 1)
    rhs = net.w[(3, 1, 1)] * direct.delta(0, 3, 1)   # σ' missing
    verdict = prove_atoms(lhs, rhs, ctx)
    assert verdict.status == "refuted"
    assert not verdict.counterexample.exact        # sigmoid values are irrational: intervals
    assert abs(float(verdict.counterexample.lhs_value) -
               float(verdict.counterexample.rhs_value)) > 1e-6


def test_past_the_size_limit_the_verdict_is_undecided(monkeypatch):
    from symbp import prove as prove_module
    net, direct, ctx = setup(layers=(2, 3, 2))
    monkeypatch.setattr(prove_module, "MAX_OPERATIONS", 3)
    verdict = prove_atoms(direct.delta(0, 2, 1), backprop.bp2(net, direct.delta, 0, 2, 1), ctx)
    assert verdict.status == "undecided" and "operations" in verdict.reason


def test_prove_names_atoms_the_way_readers_do():
    import sympy as sp
    from symbp.prove import prove
    w, x, b = sp.symbols("w x b")
    sigma = sp.Function("sigma")
    z = w * x + b
    verdict = prove(sp.diff(sigma(z) ** 2, w), 2 * sigma(z) * x, names={z: "z^{2}_{1}"})
    assert verdict.status == "refuted"
    assert "sigma'(z^{2}_{1})" in verdict.diagnosis


def test_prove_gives_up_honestly_at_its_time_limit(monkeypatch):
    import time

    import sympy as sp
    from symbp import prove as prove_module
    monkeypatch.setattr(prove_module, "is_identity", lambda difference: time.sleep(2) or "")
    monkeypatch.setattr(prove_module, "counterexample", lambda *a, **k: time.sleep(2))
    x = sp.Symbol("x")
    verdict = prove_module.prove(x, x + 1, timeout=0.05)
    assert verdict.status == "undecided" and "within 0.05 s" in verdict.reason
    assert verdict.seconds < 1


def test_a_constant_factor_is_found_without_a_gcd_of_the_sides(monkeypatch):
    """SymPy's cancel can spend minutes inside one bignum operation, where no time limit
    reaches: a constant factor is guessed at points and proved, never cancelled out."""
    import sympy as sp
    monkeypatch.setattr(sp, "cancel", lambda *a, **k: pytest.fail("cancel was called"))
    net, direct, ctx = setup(layers=(3, 4, 4, 3), activation="sigmoid", cost="cross_entropy")
    lhs = direct.delta(0, 2, 1)
    verdict = prove_atoms(lhs, 3 * lhs, ctx)
    assert verdict.status == "refuted" and "left = 1/3 × right" in verdict.diagnosis


def test_a_swallowed_time_limit_is_raised_again():
    import time

    from symbp.deadline import time_limit
    began = time.perf_counter()
    with pytest.raises(TimeoutError):
        with time_limit(0.05):
            try:                               # a library that catches every Exception,
                time.sleep(5)
            except Exception:
                pass
            time.sleep(5)                      # then goes on with a long fallback
    assert time.perf_counter() - began < 3


def test_a_time_limit_leaves_no_timer_behind_when_it_expires_at_the_end():
    """The limit running out just as its block ends must not leave a handler or a retry armed
    that would interrupt unrelated work later."""
    import signal
    import time

    from symbp.deadline import time_limit
    for delay in (0.0, 0.001, 0.002, 0.005):
        try:
            with time_limit(0.01):
                time.sleep(0.01 - delay)
        except TimeoutError:
            pass
        assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
        assert getattr(signal.getsignal(signal.SIGALRM), "__name__", "") != "expire"
    time.sleep(0.6)                     # a leaked retry would raise here


def test_a_limit_that_ends_at_once_leaves_nothing_armed():
    import signal
    import time

    from symbp.deadline import time_limit
    for _ in range(50):
        try:
            with time_limit(1e-6):
                time.sleep(0.001)
        except TimeoutError:
            pass
        assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
        assert getattr(signal.getsignal(signal.SIGALRM), "__name__", "") != "expire"
