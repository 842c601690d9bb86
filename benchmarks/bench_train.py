"""One SGD training step (forward, backward, update) in float64: generated code against the rest.

Compared in one run, on the same weights and batch: symbp's layer form, its per-parameter form
(on the sizes where generating it is practical), hand-written vectorised NumPy backprop, and
PyTorch on the CPU (autograd, plain SGD). Sigmoid layers, quadratic cost ½‖a - y‖², batch mean.
Prints µs per step and ratios; run `python benchmarks/bench_train.py [--quick]`.
"""
from __future__ import annotations

import argparse
import gc
import os
import time

# One BLAS thread for NumPy and PyTorch alike: a fair, steady comparison on a shared 2-core machine.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from symbp.codegen import generate, layout  # noqa: E402

SIZES = [((2, 3, 1), 4), ((64, 32, 10), 64), ((784, 128, 10), 128)]
#: The per-parameter form is generated for networks up to this many parameters.
PER_PARAMETER_MAX = 200
#: Where the per-parameter form is measured against the layer form, to show where it stops.
PER_PARAMETER_SWEEP = [((2, 3, 1), 4), ((8, 8, 4), 32), ((16, 16, 8), 64)]
LR = 0.1
REPEATS = 30
#: Each contender's turn in a round lasts about this long (seconds) for the layer form.
TURN = 0.005


def handwritten_step(params, X, Y, lr):
    """Textbook vectorised backprop, written by hand: what the layer form must keep up with."""
    activations = [X]
    for W, b in params:
        activations.append(1.0 / (1.0 + np.exp(-(activations[-1] @ W.T + b))))
    a = activations[-1]
    delta = (a - Y) * a * (1.0 - a)
    scale = 1.0 / X.shape[0]
    grads = []
    for l in range(len(params) - 1, -1, -1):
        grads.append(((delta.T @ activations[l]) * scale, delta.sum(axis=0) * scale))
        if l:
            a = activations[l]
            delta = (delta @ params[l][0]) * a * (1.0 - a)
    grads.reverse()
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]


def torch_stepper(params, torch):
    """A PyTorch SGD step on copies of `params` (float64, CPU, autograd)."""
    tensors = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True))
               for W, b in params]
    flat = [t for pair in tensors for t in pair]
    optimizer = torch.optim.SGD(flat, lr=LR)

    def step(X, Y):
        a = X
        for W, b in tensors:
            a = torch.sigmoid(a @ W.T + b)
        loss = 0.5 * ((a - Y) ** 2).sum(dim=1).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    return step


def per_step(runs: dict, steps: int, repeats: int) -> dict[str, float]:
    """µs per step of each contender: the best of `repeats` rounds of `steps` chained steps.

    The contenders take turns within every round, so a change in the machine's load between
    rounds affects them alike instead of favouring whichever ran in the quiet moment.
    """
    best = {name: float("inf") for name in runs}
    gc.disable()
    try:
        for _ in range(repeats):
            for name, run in runs.items():
                start = time.perf_counter()
                run(steps)
                best[name] = min(best[name], (time.perf_counter() - start) / steps)
    finally:
        gc.enable()
    return {name: seconds * 1e6 for name, seconds in best.items()}


def batch_for(widths, batch):
    """A reproducible batch: inputs in [0, 1), one-hot (or 0/1) targets."""
    rng = np.random.default_rng(0)
    X = rng.random((batch, widths[0]))
    Y = np.eye(widths[-1])[rng.integers(0, widths[-1], batch)] if widths[-1] > 1 \
        else rng.integers(0, 2, (batch, 1)).astype(float)
    return X, Y


def stepping(step, params, X, Y):
    """A function running `n` chained SGD steps of `step` from `params`."""
    def run(n):
        p = params
        for _ in range(n):
            p = step(p, X, Y, LR)
    return run


def calibrate(step, params, X, Y) -> int:
    """How many chained steps of `step` take about TURN seconds (at least 3)."""
    run = stepping(step, params, X, Y)
    run(3)
    start = time.perf_counter()
    run(10)
    return max(3, int(TURN / ((time.perf_counter() - start) / 10)))


def per_parameter_sweep(quick: bool) -> None:
    """Generation time and step time of the per-parameter form against the layer form."""
    print()
    print("per-parameter form (one lambdified expression per parameter) against the layer form")
    print(f"{'network':<16}{'batch':>6}{'params':>8}{'generate s':>12}{'per-param µs':>14}"
          f"{'layer µs':>10}{'ratio':>9}")
    for widths, batch in PER_PARAMETER_SWEEP:
        lay = layout(widths, "sigmoid", "quadratic")
        start = time.perf_counter()
        per_mod = generate(lay, "per-parameter").load()
        made = time.perf_counter() - start
        layer_mod = generate(lay, "layer").load()
        params = layer_mod.init_params(0)
        X, Y = batch_for(widths, batch)
        steps = max(3, calibrate(per_mod.sgd_step, params, X, Y) // (5 if quick else 1))
        times = per_step({"per": stepping(per_mod.sgd_step, params, X, Y),
                          "layer": stepping(layer_mod.sgd_step, params, X, Y)}, steps, REPEATS)
        slow, fast = times["per"], times["layer"]
        count = sum(W.size + b.size for W, b in params)
        print(f"{str(list(widths)):<16}{batch:>6}{count:>8}{made:>12.1f}{slow:>14.1f}"
              f"{fast:>10.1f}{slow / fast:>8.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps (a smoke run)")
    args = parser.parse_args()
    try:
        import torch
        torch.set_default_dtype(torch.float64)
        torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    except ImportError:
        torch = None
    print(f"{os.environ['OPENBLAS_NUM_THREADS']} BLAS thread(s); numpy {np.__version__}" + (f", torch {torch.__version__} "
                                         f"({torch.get_num_threads()} threads)" if torch else
                                         ", torch not installed"))
    header = (f"{'network':<16}{'batch':>6}{'layer':>10}{'per-param':>11}{'numpy':>10}"
              f"{'torch':>10}{'layer/numpy':>13}{'torch/layer':>13}")
    print(f"µs per training step (forward, backward, SGD update), float64, best of {REPEATS} "
          f"interleaved rounds of ~{TURN * 1e3:g} ms; layer form proved on the schema [≤3 units per layer]")
    print(header)
    for widths, batch in SIZES:
        lay = layout(widths, "sigmoid", "quadratic")
        start = time.perf_counter()
        layer_mod = generate(lay, "layer", "schema").load()
        made = time.perf_counter() - start
        params = layer_mod.init_params(0)
        X, Y = batch_for(widths, batch)
        count = sum(W.size + b.size for W, b in params)
        steps = calibrate(layer_mod.sgd_step, params, X, Y)
        if args.quick:
            steps = max(3, steps // 5)

        runs = {"layer": stepping(layer_mod.sgd_step, params, X, Y),
                "numpy": stepping(handwritten_step, params, X, Y)}
        note = ""
        if count <= PER_PARAMETER_MAX:
            start = time.perf_counter()
            per_mod = generate(lay, "per-parameter").load()
            note = f"per-parameter form generated in {time.perf_counter() - start:.1f} s"
            runs["per-param"] = stepping(per_mod.sgd_step, params, X, Y)
        if torch is not None:
            step = torch_stepper(params, torch)
            Xt, Yt = torch.tensor(X), torch.tensor(Y)
            runs["torch"] = lambda n: [step(Xt, Yt) for _ in range(n)]
        times = per_step(runs, steps, REPEATS)

        def show(key):
            return f"{times[key]:>10.1f}" if key in times else f"{'-':>10}"
        ratio = times["layer"] / times["numpy"]
        speed = f"{times['torch'] / times['layer']:>12.2f}x" if "torch" in times else f"{'-':>13}"
        print(f"{str(list(widths)):<16}{batch:>6}{show('layer')}{show('per-param'):>11}"
              f"{show('numpy')}{show('torch')}{ratio:>12.2f}x{speed}"
              f"   ({count} parameters; layer form made in {made:.2f} s"
              + (f"; {note}" if note else "") + ")")
    print("layer/numpy: the layer form's time over hand-written NumPy's (target ≤ 1.2); "
          "torch/layer: how many times faster than PyTorch the layer form is")
    per_parameter_sweep(args.quick)


if __name__ == "__main__":
    main()
