"""Training with generated code ends where PyTorch's plain SGD ends, from the same weights."""
from __future__ import annotations

import numpy as np
import pytest

from tests.extras import require

from symbp.codegen import generate, layout

torch = require("torch", "oracle")

TORCH_ACTIVATIONS = {"sigmoid": torch.sigmoid, "tanh": torch.tanh,
                     "softmax": lambda z: torch.softmax(z, dim=1)}
TORCH_COSTS = {
    "quadratic": lambda a, y: 0.5 * ((a - y) ** 2).sum(dim=1).mean(),
    "log_likelihood": lambda a, y: -(y * torch.log(a)).sum(dim=1).mean(),
    "cross_entropy": lambda a, y: -(y * torch.log(a) + (1 - y) * torch.log(1 - a)).sum(dim=1).mean(),
}
STEPS = 100


def torch_train(params, batches, activations, cost, lr):
    """PyTorch's own SGD (CPU, float64) on copies of `params`, one step per batch."""
    tensors = [torch.tensor(t, dtype=torch.float64, requires_grad=True)
               for pair in params for t in pair]
    optimizer = torch.optim.SGD(tensors, lr=lr)
    for X, Y in batches:
        a = torch.tensor(X)
        for (W, b), act in zip(zip(tensors[::2], tensors[1::2]), activations):
            a = TORCH_ACTIVATIONS[act](a @ W.T + b)
        loss = TORCH_COSTS[cost](a, torch.tensor(Y))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return [t.detach().numpy() for t in tensors]


def batches_for(widths, batch, seed):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(STEPS):
        X = rng.standard_normal((batch, widths[0]))
        labels = rng.integers(0, widths[-1], batch)
        Y = np.eye(widths[-1])[labels] if widths[-1] > 1 else rng.integers(0, 2, (batch, 1)) * 1.0
        out.append((X, Y))
    return out


@pytest.mark.parametrize("widths, activations, cost, form, lr", [
    ((2, 3, 1), ("sigmoid", "sigmoid"), "quadratic", "layer", 2.0),
    ((2, 3, 1), ("sigmoid", "sigmoid"), "quadratic", "per-parameter", 2.0),
    ((4, 6, 3), ("tanh", "softmax"), "log_likelihood", "layer", 0.5),
    ((3, 5, 4, 2), ("tanh", "sigmoid", "sigmoid"), "cross_entropy", "layer", 0.5),
])
def test_100_sgd_steps_end_with_torch_weights(widths, activations, cost, form, lr):
    module = generate(layout(widths, activations, cost), form).load()
    params = module.init_params(1)
    start = [(W.copy(), b.copy()) for W, b in params]
    batches = batches_for(widths, 4 if widths[0] == 2 else 8, seed=2)
    for X, Y in batches:
        params = module.sgd_step(params, X, Y, lr)
    expected = torch_train(start, batches, activations, cost, lr)
    ours = [t for pair in params for t in pair]
    moved = max(np.max(np.abs(a - b)) for a, b in zip(ours, [t for p in start for t in p]))
    assert moved > 0.05, "the weights must actually move for the comparison to mean anything"
    for got, want in zip(ours, expected):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
