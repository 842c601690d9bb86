"""Plain minibatch SGD with a generated module's `sgd_step`, recording the loss per epoch."""
from __future__ import annotations

import math
import types
from dataclasses import dataclass, field

import numpy as np

from symbp.errors import SymbpError
from symbp.training.progress import Progress


@dataclass
class History:
    """The loss after each epoch (index 0: before training) and the final parameters."""

    losses: list[float] = field(default_factory=list)
    params: list = field(default_factory=list)


def check_settings(epochs: int, lr: float, batch: int) -> None:
    """Refuse settings that cannot train: no epochs, a step size that is not positive."""
    if epochs < 1:
        raise SymbpError(f"--epochs must be at least 1, got {epochs}")
    if not (math.isfinite(lr) and lr > 0):
        raise SymbpError(f"--lr must be a positive number, got {lr:g}")
    if batch < 1:
        raise SymbpError(f"--batch must be at least 1, got {batch}")


def train(module: types.ModuleType, params: list, X: np.ndarray, Y: np.ndarray, *, epochs: int,
          lr: float, batch: int, seed: int = 0, progress: Progress | None = None) -> History:
    """`epochs` passes of minibatch SGD over (X, Y), shuffled by `seed`, with `module.sgd_step`."""
    check_settings(epochs, lr, batch)
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    batch = min(batch, n)
    history = History([module.loss(params, X, Y)])
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n) if batch < n else np.arange(n)
        for start in range(0, n, batch):
            rows = order[start:start + batch]
            params = module.sgd_step(params, X[rows], Y[rows], lr)
        history.losses.append(module.loss(params, X, Y))
        if not math.isfinite(history.losses[-1]):
            raise SymbpError(f"the loss is no longer finite at epoch {epoch}: lower --lr")
        if progress is not None:
            progress.update(epoch, history.losses[-1])
    if progress is not None:
        progress.close()
    history.params = params
    return history


def predictions(module: types.ModuleType, params: list, X: np.ndarray) -> np.ndarray:
    """Class predictions: output ≥ 1/2 for one output unit, the largest output otherwise."""
    A = module.forward(params, X)
    return (A[:, 0] >= 0.5).astype(int) if A.shape[1] == 1 else A.argmax(axis=1)


def accuracy(module: types.ModuleType, params: list, X: np.ndarray, labels: np.ndarray) \
        -> tuple[int, int]:
    """(correct, total) of the module's predictions against integer labels."""
    return int((predictions(module, params, X) == labels).sum()), len(labels)
