"""An independent reference for generated code: the loss written plainly, differentiated by autograd."""
from __future__ import annotations

import autograd.numpy as anp
from autograd import grad

ACTIVATIONS = {
    "sigmoid": lambda z: 1 / (1 + anp.exp(-z)),
    "tanh": anp.tanh,
    "relu": lambda z: anp.maximum(z, 0.0),
    "softplus": lambda z: anp.log(1 + anp.exp(z)),
    "identity": lambda z: z,
    "softmax": lambda z: anp.exp(z) / anp.sum(anp.exp(z), axis=1, keepdims=True),
}

COSTS = {
    "quadratic": lambda a, y, c: c * anp.sum((a - y) ** 2, axis=1),
    "cross_entropy": lambda a, y, c: -anp.sum(y * anp.log(a) + (1 - y) * anp.log(1 - a), axis=1),
    "log_likelihood": lambda a, y, c: -anp.sum(y * anp.log(a), axis=1),
}

BIAS_SIGNS = {"add": 1.0, "unit": 1.0, "subtract": -1.0, "none": 0.0}


def loss(params, X, Y, activations, cost, bias="add", scale=0.5):
    """The mean over the batch of the per-sample cost, composed plainly."""
    a = X
    for (W, b), act in zip(params, activations):
        a = ACTIVATIONS[act](anp.dot(a, W.T) + BIAS_SIGNS[bias] * b)
    return anp.mean(COSTS[cost](a, Y, scale))


def gradients(params, X, Y, activations, cost, bias="add", scale=0.5):
    """autograd's gradient of `loss` with respect to every (W, b)."""
    return grad(loss)(params, X, Y, activations, cost, bias, scale)
