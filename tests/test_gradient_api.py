"""`symbp.gradient`: ∂C/∂θ as a closed-form SymPy expression, checked after `sympy.lambdify`
against autograd's gradient of a plainly written loss (tests/codegen_oracle.py)."""
import numpy as np
import pytest
import sympy as sp

import symbp
from symbp.network import NetworkSpec

oracle = pytest.importorskip("codegen_oracle")

CASES = [  # (layers, activation, cost, parameter)
    ((2, 3, 2), "sigmoid", "quadratic", "w^2_{11}"),
    ((2, 3, 2), "tanh", "quadratic", "w^3_{21}"),
    ((2, 2, 2), "softplus", "quadratic", "b^2_2"),
    ((3, 2, 2), "sigmoid", "cross_entropy", "w^2_{23}"),
    ((2, 2, 3), "tanh,softmax", "log_likelihood", "w^3_{32}"),
    ((2, 2, 1), "identity", "quadratic", "b^3_1"),
]


def _values(spec: NetworkSpec, rng):
    """Random parameters (as the oracle's (W, b) list) and one sample."""
    params = [(rng.normal(size=(n, m)), rng.normal(size=n))
              for m, n in zip(spec.layers, spec.layers[1:])]
    x = rng.normal(size=spec.layers[0])
    y = rng.dirichlet(np.ones(spec.layers[-1])) if spec.cost != "quadratic" \
        else rng.normal(size=spec.layers[-1])
    return params, x, y


def _symbol_values(params, x, y) -> dict[str, float]:
    values = {f"x_{{{k + 1}}}": v for k, v in enumerate(x)}
    values |= {f"y_{{{j + 1}}}": v for j, v in enumerate(y)}
    for l, (W, b) in enumerate(params, start=2):
        for (j, k), v in np.ndenumerate(W):
            values[f"w^{{{l}}}_{{{j + 1}{k + 1}}}"] = v
        for j, v in enumerate(b):
            values[f"b^{{{l}}}_{{{j + 1}}}"] = v
    return values


@pytest.mark.parametrize("layers, activation, cost, name", CASES)
def test_gradient_lambdified_equals_autograd(layers, activation, cost, name):
    spec = NetworkSpec(layers, activation=activation if "," not in activation
                       else tuple(activation.split(",")), cost=cost)
    expr = symbp.gradient(spec, name)
    assert isinstance(expr, sp.Expr)
    assert not any(isinstance(f, sp.core.function.AppliedUndef) for f in expr.atoms(sp.Function))
    symbols = sorted(expr.free_symbols, key=str)
    f = sp.lambdify(symbols, expr, "numpy")
    rng = np.random.default_rng(7)
    for _ in range(3):
        params, x, y = _values(spec, rng)
        values = _symbol_values(params, x, y)
        got = f(*[np.array([values[str(s)]]) for s in symbols])[0]   # arrays: ReLU's Max needs them
        grads = oracle.gradients(params, x[None, :], y[None, :], spec.activations, cost,
                                 scale=float(spec.scale))
        layer, rest = int(name[2]), name[3:].strip("_{}")
        W_grad, b_grad = grads[layer - 2]
        want = W_grad[int(rest[0]) - 1, int(rest[1]) - 1] if name[0] == "w" \
            else b_grad[int(rest) - 1]
        assert got == pytest.approx(want, rel=1e-10, abs=1e-12)


def test_gradient_is_public_and_a_wrong_name_is_a_clear_error():
    assert "gradient" in symbp.__all__
    with pytest.raises(symbp.errors.SymbpError, match="names no parameter"):
        symbp.gradient(NetworkSpec((2, 2)), "w^5_{11}")


def test_a_generic_sigma_stays_an_undefined_function():
    expr = symbp.gradient(NetworkSpec((2, 2, 1)), "w^2_{11}")
    assert {f.func.__name__ for f in expr.atoms(sp.core.function.AppliedUndef)} == {"sigma"}


def test_relu_gradient_evaluates_to_autograd_away_from_the_kink():
    """ReLU's Max(0, z) and Heaviside(z) are in the expression; SymPy's evaluation at a point
    (NumPy lambdify of nested Heaviside(Max) is beyond numpy.select) matches autograd."""
    spec = NetworkSpec((2, 3, 1), activation="relu")
    expr = symbp.gradient(spec, "w^2_{12}")
    params, x, y = _values(spec, np.random.default_rng(3))
    values = _symbol_values(params, x, y)
    got = float(expr.subs({s: values[str(s)] for s in expr.free_symbols}))
    want = oracle.gradients(params, x[None, :], y[None, :], spec.activations, "quadratic")[0][0]
    assert got == pytest.approx(want[0, 1], rel=1e-10, abs=1e-12)
