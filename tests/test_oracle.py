"""Route A and route B against oracles symbp does not share: autograd, and mpmath differences.

The forward passes below are written independently of symbp, once with autograd.numpy and once
with mpmath at 50 digits; symbp's symbolic gradients are evaluated at the same rational point.
"""
import random
import zlib

import mpmath
import numpy as onp
import pytest
import symengine as se

autograd = pytest.importorskip("autograd")
anp = pytest.importorskip("autograd.numpy")

from symbp import backprop, numeric                     # noqa: E402
from symbp.chain import Direct                          # noqa: E402
from symbp.network import NetworkSpec, build_network    # noqa: E402
from symbp.prove import evaluate_at                     # noqa: E402
from symbp.theorems import context                      # noqa: E402

AG_ACT = {"sigmoid": lambda z: 1 / (1 + anp.exp(-z)), "tanh": anp.tanh,
          "softplus": lambda z: anp.log(1 + anp.exp(z)), "relu": lambda z: anp.maximum(z, 0),
          "identity": lambda z: z, "softmax": lambda z: anp.exp(z) / anp.sum(anp.exp(z))}
MP_ACT = {"sigmoid": lambda z: [1 / (1 + mpmath.exp(-v)) for v in z],
          "tanh": lambda z: [mpmath.tanh(v) for v in z],
          "softplus": lambda z: [mpmath.log(1 + mpmath.exp(v)) for v in z],
          "relu": lambda z: [max(v, 0) for v in z], "identity": lambda z: list(z),
          "softmax": lambda z: [mpmath.exp(v) / sum(mpmath.exp(u) for u in z) for v in z]}


def ag_cost(name, a, y):
    return {"quadratic": lambda: 0.5 * anp.sum((a - y) ** 2),
            "cross_entropy": lambda: -anp.sum(y * anp.log(a) + (1 - y) * anp.log(1 - a)),
            "log_likelihood": lambda: -anp.sum(y * anp.log(a))}[name]()


def mp_cost(name, a, y):
    return {"quadratic": lambda: sum((ai - yi) ** 2 for ai, yi in zip(a, y)) / 2,
            "cross_entropy": lambda: -sum(yi * mpmath.log(ai) + (1 - yi) * mpmath.log(1 - ai)
                                          for ai, yi in zip(a, y)),
            "log_likelihood": lambda: -sum(yi * mpmath.log(ai) for ai, yi in zip(a, y))}[name]()


CASES = [  # (layers, activations per layer, cost)
    ((2, 3, 2), ("sigmoid", "sigmoid"), "quadratic"),
    ((3, 4, 2), ("tanh", "tanh"), "quadratic"),
    ((2, 3, 2), ("softplus", "identity"), "quadratic"),
    ((2, 4, 3, 2), ("relu", "tanh", "sigmoid"), "quadratic"),
    ((3, 3, 2), ("tanh", "sigmoid"), "cross_entropy"),
    ((2, 4, 3), ("sigmoid", "softmax"), "log_likelihood"),
    ((2, 3, 3), ("softplus", "softmax"), "quadratic"),
    ((2, 3, 2), ("identity", "sigmoid"), "cross_entropy"),
]


def random_point(net, rng):
    """Small rationals for every free symbol; targets in (0, 1) so every cost is defined."""
    point = {}
    for sym in sorted(net.free_symbols, key=str):
        if str(sym).startswith("y"):
            point[sym] = se.Rational(rng.randint(1, 9), 10)
        else:
            point[sym] = se.Rational(rng.randint(-15, 15), 10) or se.Rational(1, 7)
    return point


def point_off_kinks(net, seed):
    """A random point where every gradient exists: ReLU's kink at z = 0 is redrawn, not evaluated.

    The seed is stable across processes (crc32, not the salted str hash), so a failure reproduces.
    """
    rng = random.Random(seed)
    for _ in range(50):
        point = random_point(net, rng)
        try:
            symbolic_gradients(net, point)
        except ArithmeticError:
            continue
        return point
    raise AssertionError("no point off the kinks in 50 draws")


def as_arrays(net, point, module=onp):
    params = []
    for l in range(2, net.L + 1):
        W = [[float(point[net.w[(l, j, k)]]) for k in range(1, net.width(l - 1) + 1)]
             for j in range(1, net.width(l) + 1)]
        b = [float(point[net.b[(l, j)]]) for j in range(1, net.width(l) + 1)]
        params.append((module.array(W), module.array(b)))
    x = module.array([float(point[s]) for s in net.x[0]])
    y = module.array([float(point[s]) for s in net.y[0]])
    return params, x, y


def ag_loss(flat_params, x, y, acts, cost):
    a = x
    for (W, b), act in zip(flat_params, acts):
        a = AG_ACT[act](anp.dot(W, a) + b)
    return ag_cost(cost, a, y)


def mp_loss(net, point, acts, cost):
    a = [_mp(point[s]) for s in net.x[0]]
    for l, act in zip(range(2, net.L + 1), acts):
        z = [sum(_mp(point[net.w[(l, j, k)]]) * a[k - 1] for k in range(1, net.width(l - 1) + 1))
             + _mp(point[net.b[(l, j)]]) for j in range(1, net.width(l) + 1)]
        a = MP_ACT[act](z)
    return mp_cost(cost, a, [_mp(point[s]) for s in net.y[0]])


def _mp(value):
    if isinstance(value, se.Basic):
        p, q = value.as_numer_denom()
        return mpmath.mpf(int(p)) / int(q)
    return value


def symbolic_gradients(net, point):
    ctx, direct = context(net), Direct(net)
    route_b = backprop.gradients(net)
    out = {}
    for kind, key, sym in net.parameters:
        a = evaluate_at(direct.parameter(sym), ctx, point)
        b = evaluate_at(route_b[sym], ctx, point)
        out[sym] = (float(numeric.show(a, 30)), float(numeric.show(b, 30)), a)
    return out


@pytest.mark.parametrize("layers,acts,cost", CASES)
def test_gradients_agree_with_autograd(layers, acts, cost):
    net = build_network(NetworkSpec(layers=layers, activation=acts, cost=cost))
    point = point_off_kinks(net, zlib.crc32(repr((layers, acts, cost)).encode()))
    params, x, y = as_arrays(net, point, anp)
    grads = autograd.grad(ag_loss)(params, x, y, acts, cost)
    symbolic = symbolic_gradients(net, point)
    for l, (dW, db) in zip(range(2, net.L + 1), grads):
        for (kind, key, sym) in net.parameters:
            if key[0] != l:
                continue
            oracle = dW[key[1] - 1, key[2] - 1] if kind == "w" else db[key[1] - 1]
            route_a, route_b, _ = symbolic[sym]
            assert route_a == pytest.approx(oracle, rel=1e-10, abs=1e-12), sym
            assert route_b == pytest.approx(oracle, rel=1e-10, abs=1e-12), sym


@pytest.mark.parametrize("layers,acts,cost", CASES[:5])
def test_gradients_agree_with_high_precision_central_differences(layers, acts, cost):
    net = build_network(NetworkSpec(layers=layers, activation=acts, cost=cost))
    point = point_off_kinks(net, 7)
    symbolic = symbolic_gradients(net, point)
    h = mpmath.mpf(10) ** -15
    with mpmath.workdps(60):
        for kind, key, sym in net.parameters:
            plus, minus = dict(point), dict(point)
            plus[sym] = _mp(point[sym]) + h
            minus[sym] = _mp(point[sym]) - h
            estimate = (mp_loss(net, plus, acts, cost) - mp_loss(net, minus, acts, cost)) / (2 * h)
            exact = mpmath.mpf(numeric.show(symbolic[sym][2], 40))
            assert abs(estimate - exact) < mpmath.mpf(10) ** -20, (sym, estimate, exact)
