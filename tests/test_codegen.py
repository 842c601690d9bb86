"""Generated NumPy code: equal to autograd on random networks, both forms equal, stable, refusing."""
from __future__ import annotations

import ast
import subprocess
import sys

import numpy as np
import pytest

import codegen_oracle as oracle
from symbp.cli import main
from symbp.codegen import generate, layout
from symbp.codegen import layer as layer_module
from symbp.codegen import proof as proof_module
from symbp.codegen.numpy_rules import NUMPY_ACTIVATIONS, helpers_namespace
from symbp.errors import SymbpError
from symbp.prove import REFUTED, Verdict
from symbp.theorems import EquationResult

#: Every output activation and cost that generated code supports.
PAIRS = [("sigmoid", "quadratic"), ("tanh", "quadratic"), ("relu", "quadratic"),
         ("softplus", "quadratic"), ("identity", "quadratic"), ("softmax", "quadratic"),
         ("sigmoid", "cross_entropy"), ("sigmoid", "log_likelihood"),
         ("softmax", "log_likelihood")]
HIDDEN = ["sigmoid", "tanh", "relu", "softplus", "identity"]
FORMS = ["layer", "per-parameter"]
RTOL = 1e-10


def random_case(widths, seed, batch=6):
    rng = np.random.default_rng(seed)
    params = [(rng.standard_normal((n, m)), rng.standard_normal(n))
              for m, n in zip(widths[:-1], widths[1:])]
    return params, rng.standard_normal((batch, widths[0])), rng.random((batch, widths[-1]))


def relative_error(got, want) -> float:
    """max |got - want| / max |want| over one array (the absolute error where want is 0)."""
    scale = np.max(np.abs(want))
    return float(np.max(np.abs(got - want)) / (scale if scale > 0 else 1.0))


def assert_matches_autograd(module, params, X, Y, activations, cost, bias="add", scale=0.5):
    got = module.gradients(params, X, Y)
    want = oracle.gradients(params, X, Y, activations, cost, bias, scale)
    for (dW, db), (rW, rb) in zip(got, want):
        assert dW.shape == rW.shape and db.shape == rb.shape
        assert relative_error(dW, rW) < RTOL
        if bias != "none":
            assert relative_error(db, rb) < RTOL
    assert module.loss(params, X, Y) == pytest.approx(
        oracle.loss(params, X, Y, activations, cost, bias, scale), rel=1e-12)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("index, pair", list(enumerate(PAIRS)))
def test_every_activation_cost_pair_matches_autograd(form, index, pair):
    output, cost = pair
    hidden = HIDDEN[index % len(HIDDEN)]
    widths = (3, 4, 2) if form == "layer" else (2, 3, 2)
    module = generate(layout(widths, (hidden, output), cost), form).load()
    params, X, Y = random_case(widths, seed=index)
    assert_matches_autograd(module, params, X, Y, (hidden, output), cost)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_every_hidden_activation_matches_autograd(form, hidden):
    widths = (3, 4, 3, 2) if form == "layer" else (2, 3, 2)
    acts = (hidden,) * (len(widths) - 2) + ("sigmoid",)
    module = generate(layout(widths, acts, "quadratic"), form).load()
    params, X, Y = random_case(widths, seed=1, batch=12)
    assert all(np.any(g != 0) for pair in oracle.gradients(params, X, Y, acts, "quadratic")
               for g in pair), "a case with a dead layer would test less"
    assert_matches_autograd(module, params, X, Y, acts, "quadratic")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("bias", ["add", "subtract", "unit", "none"])
def test_bias_conventions_match_autograd(form, bias):
    widths = (2, 3, 2)
    module = generate(layout(widths, "tanh", "quadratic", bias), form).load()
    params, X, Y = random_case(widths, seed=3)
    if bias == "none":
        params = [(W, np.zeros_like(b)) for W, b in params]
    assert_matches_autograd(module, params, X, Y, ("tanh", "tanh"), "quadratic", bias)


def test_quadratic_cost_scale_is_honoured():
    from sympy import Rational
    widths = (2, 3, 1)
    module = generate(layout(widths, "sigmoid", "quadratic", cost_scale=Rational(3))).load()
    params, X, Y = random_case(widths, seed=5)
    assert_matches_autograd(module, params, X, Y, ("sigmoid", "sigmoid"), "quadratic",
                            scale=3.0)


def test_deep_mixed_network_both_forms_equal():
    acts = ("softplus", "relu", "softmax")
    lay = layout((3, 2, 2, 3), acts, "log_likelihood")
    fast, slow = generate(lay, "layer").load(), generate(lay, "per-parameter").load()
    params, X, Y = random_case(lay.layers, seed=11, batch=9)
    for (a, b), (c, d) in zip(fast.gradients(params, X, Y), slow.gradients(params, X, Y)):
        assert relative_error(a, c) < 1e-12 and relative_error(b, d) < 1e-12
    np.testing.assert_allclose(fast.forward(params, X), slow.forward(params, X), rtol=1e-13)
    assert fast.loss(params, X, Y) == pytest.approx(slow.loss(params, X, Y), rel=1e-13)
    assert_matches_autograd(fast, params, X, Y, acts, "log_likelihood")


# -- numerical stability -------------------------------------------------------------------------
def test_helpers_are_stable_at_plus_minus_1000():
    h = helpers_namespace()
    z = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        s = h["sigmoid"](z)
        assert s[0] < 1e-300 and s[2] == 0.5 and s[-1] == 1.0
        assert s[1] == pytest.approx(np.exp(-40.0), rel=1e-14)
        assert h["softplus"](z)[-1] == 1000.0 and h["softplus"](z)[0] == 0.0
        assert h["log_sigmoid"](z)[0] == -1000.0 and h["log_one_minus_sigmoid"](z)[-1] == -1000.0
        logits = np.array([[1000.0, 0.0, -1000.0]])
        np.testing.assert_allclose(h["log_softmax"](logits), [[0.0, -1000.0, -2000.0]])
        np.testing.assert_allclose(h["softmax"](logits), [[1.0, 0.0, 0.0]])


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("pair", PAIRS)
def test_no_overflow_or_warning_at_z_1000(form, pair):
    output, cost = pair
    hidden = "tanh"
    widths = (1, 2, 2)
    module = generate(layout(widths, (hidden, output), cost), form).load()
    # hidden units saturate at ±1, so the output pre-activations are ±1000 and ±3000
    params = [(np.array([[1000.0], [-1000.0]]), np.zeros(2)),
              (np.array([[1000.0, 0.0], [1000.0, -2000.0]]), np.zeros(2))]
    X, Y = np.array([[1.0], [-1.0]]), np.array([[0.0, 1.0], [1.0, 0.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        value = module.loss(params, X, Y)
        grads = module.gradients(params, X, Y)
    assert np.isfinite(value)
    assert all(np.all(np.isfinite(g)) for pair_ in grads for g in pair_)


def test_cross_entropy_loss_is_exact_when_saturated():
    module = generate(layout((1, 1), "sigmoid", "cross_entropy")).load()
    params = [(np.array([[1000.0]]), np.zeros(1))]
    X, Y = np.array([[1.0], [-1.0]]), np.array([[0.0], [1.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert module.loss(params, X, Y) == 1000.0        # -ln(1 - σ(1000)) = -ln σ(-1000)
        dW, db = module.gradients(params, X, Y)[0]
    np.testing.assert_allclose(dW, [[1.0]])                # δ = a - y = ±1 on both samples
    np.testing.assert_allclose(db, [0.0])


# -- the interface -------------------------------------------------------------------------------
def test_interface_shapes_mean_loss_and_sgd_step():
    module = generate(layout((4, 5, 3), "sigmoid", "quadratic")).load()
    params = module.init_params(3)
    assert [(W.shape, b.shape) for W, b in params] == [((5, 4), (5,)), ((3, 5), (3,))]
    assert all(W.dtype == np.float64 for W, _ in params)
    np.testing.assert_array_equal(module.init_params(3)[0][0], params[0][0])
    assert not np.array_equal(module.init_params(4)[0][0], params[0][0])
    _, X, Y = random_case((4, 5, 3), seed=2)
    assert module.forward(params, X).shape == (6, 3)
    each = [module.loss(params, X[i:i + 1], Y[i:i + 1]) for i in range(6)]
    assert module.loss(params, X, Y) == pytest.approx(np.mean(each), rel=1e-14)
    stepped = module.sgd_step(params, X, Y, 0.25)
    for (W, b), (dW, db), (W2, b2) in zip(params, module.gradients(params, X, Y), stepped):
        np.testing.assert_allclose(W2, W - 0.25 * dW, rtol=1e-15, atol=1e-16)
        np.testing.assert_allclose(b2, b - 0.25 * db, rtol=1e-15, atol=1e-16)


def test_module_is_standalone_numpy(tmp_path):
    source = generate(layout((2, 3, 1), ("relu", "sigmoid"), "cross_entropy")).source
    imports = [n for n in ast.walk(ast.parse(source)) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert [alias.name for n in imports for alias in n.names] == ["numpy"]
    path = tmp_path / "net.py"
    path.write_text(source)
    script = ("import sys\nfor m in ('sympy', 'symengine', 'symbp'): sys.modules[m] = None\n"
              "import runpy, numpy as np\nm = runpy.run_path(sys.argv[1])\n"
              "p = m['init_params'](0)\nX = np.array([[0., 1.], [1., 0.]]); Y = np.array([[1.], [0.]])\n"
              "print(len(m['gradients'](p, X, Y)), m['loss'](p, X, Y) > 0)")
    out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == ["2", "True"]


def test_docstring_states_network_equations_and_proof():
    source = generate(layout((2, 3, 1), "sigmoid", "quadratic")).source
    doc = ast.get_docstring(ast.parse(source))
    for needed in ("[2, 3, 1]", "BP1", "BP2", "BP3", "BP4", "proved these equations on this "
                   "network itself", "init_params(seed)", "sgd_step"):
        assert needed in doc


def test_wide_network_is_proved_on_its_schema_and_says_so():
    lay = layout((784, 128, 10), "sigmoid", "quadratic")
    assert not lay.buildable
    generated = generate(lay)
    assert not generated.proof.whole and list(generated.proof.spec.layers) == [3, 3, 3]
    assert "on the network [3, 3, 3] with the same activations" in generated.source
    module = generated.load()
    params = module.init_params(0)
    assert params[0][0].shape == (128, 784)
    with pytest.raises(SymbpError, match="per-parameter form needs"):
        generate(lay, "per-parameter")


# -- refusals ------------------------------------------------------------------------------------
@pytest.mark.parametrize("activation, cost, message", [
    ("sigma", "quadratic", "generic function"),
    ("tanh", "cross_entropy", "does not fit a tanh output"),
    ("softmax", "cross_entropy", "does not fit a softmax output"),
    ("relu", "log_likelihood", "use sigmoid or softmax"),
])
def test_refuses_what_has_no_numeric_meaning(activation, cost, message):
    with pytest.raises(SymbpError, match=message):
        generate(layout((2, 2), activation, cost))


def test_refuses_code_from_an_unproved_equation(monkeypatch):
    refuted = EquationResult("BP4", "∂C/∂w = a δ", [("l=2, j=1, k=1",
                                                   Verdict(REFUTED, "counterexample"))])
    monkeypatch.setattr(proof_module, "prove_equations", lambda spec, net=None: [refuted])
    proof_module._prove.cache_clear()
    try:
        with pytest.raises(SymbpError, match="refusing to generate code: BP4"):
            generate(layout((2, 2, 1), "sigmoid", "quadratic"))
    finally:
        proof_module._prove.cache_clear()


def test_refuses_a_layer_template_that_is_not_the_proved_equation(monkeypatch):
    monkeypatch.setattr(layer_module, "_activation_derivative",
                        lambda act, a, atom: a * (1 + a))     # a wrong σ' for the sigmoid
    with pytest.raises(SymbpError, match="not the proved"):
        generate(layout((2, 2, 1), "sigmoid", "quadratic"))


def test_every_numpy_activation_names_existing_helpers():
    h = helpers_namespace()
    for act in NUMPY_ACTIVATIONS.values():
        for name in (act.value, act.atom_derivative, act.log_value, act.log_one_minus):
            assert name is None or callable(h[name])


# -- the command ---------------------------------------------------------------------------------
def test_codegen_command_writes_a_module(tmp_path, capsys):
    target = tmp_path / "net.py"
    assert main(["codegen", "--layers", "2,3,1", "--activation", "tanh,sigmoid",
                 "--cost", "cross_entropy", "-o", str(target)]) == 0
    assert "wrote" in capsys.readouterr().out
    namespace = {}
    exec(compile(target.read_text(), str(target), "exec"), namespace)
    assert namespace["ACTIVATIONS"] == ("tanh", "sigmoid")
    assert main(["codegen", "--layers", "2,2,1", "--form", "per-parameter"]) == 0
    assert "def _route_a(" in capsys.readouterr().out


def test_samples_is_not_an_option_of_generated_code(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["codegen", "--samples", "3"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --samples" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["--activation", "sigma"], "generic function"),
    (["--layers", "784,128,10", "--form", "per-parameter"], "per-parameter form needs"),
    (["--layers", "64,32,10", "--form", "per-parameter"], "at most 500 parameters"),
    (["--layers", "2,x"], "--layers"),
    (["-o", "/nonexistent-folder/net.py"], "does not exist"),
])
def test_codegen_command_errors_are_one_line_exit_2(argv, message, capsys):
    assert main(["codegen", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_helper_is_finite_and_silent_at_1000_in_its_own_type(dtype):
    h = helpers_namespace()
    z = np.array([-1000.0, -100.0, -40.0, 0.0, 40.0, 100.0, 1000.0], dtype=dtype)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        for name in ("sigmoid", "log_sigmoid", "log_one_minus_sigmoid", "softplus", "relu",
                     "step", "tanh"):
            value = h[name](z.copy())
            assert value.dtype == dtype and np.all(np.isfinite(value)), name
        logits = np.array([[1000.0, 0.0, -1000.0]], dtype=dtype)
        for name in ("softmax", "log_softmax"):
            value = h[name](logits)
            assert value.dtype == dtype and np.all(np.isfinite(value)), name
    s = h["sigmoid"](z.copy())
    assert s[0] == 0.0 or s[0] < np.finfo(dtype).tiny * 1e8
    assert s[3] == 0.5 and s[-1] == 1.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("pair", PAIRS)
def test_generated_code_is_finite_and_silent_at_z_1000(pair, hidden, form, dtype):
    output, cost = pair
    module = generate(layout((1, 2, 2), (hidden, output), cost), form).load()
    params = [(np.array([[1000.0], [-1000.0]], dtype=dtype), np.zeros(2, dtype=dtype)),
              (np.array([[1000.0, 0.0], [1000.0, -2000.0]], dtype=dtype),
               np.zeros(2, dtype=dtype))]
    X = np.array([[1.0], [-1.0]], dtype=dtype)
    Y = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=dtype)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        value = module.loss(params, X, Y)
        grads = module.gradients(params, X, Y)
        out = module.forward(params, X)
    assert np.isfinite(value) and np.all(np.isfinite(out))
    assert all(np.all(np.isfinite(g)) for pair_ in grads for g in pair_)
