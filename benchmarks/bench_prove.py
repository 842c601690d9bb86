"""Time symbp's derive-and-prove of every BP1–BP4 instance next to the plain-SymPy route.

The baseline is what a user would write: compose C with SymPy, `sympy.diff` it by every
parameter, `expand`. It is capped per network (--cap seconds); past the cap its total is
extrapolated from the parameters it did finish (taken in a seeded random order,
so every layer is sampled) and marked ~; if not one parameter finished, the cap is
shown as a lower bound, marked >.

    python benchmarks/bench_prove.py [--cap 60] [--sizes 2,3,2 3,4,4,2 ...]
"""
from __future__ import annotations

import argparse
import random
import signal
import time

import sympy as sp

from symbp.network import NetworkSpec
from symbp.prove import PROVED
from symbp.theorems import prove_equations

SIZES = ["2,3,2", "3,4,4,2", "4,8,8,4", "8,16,16,8"]
ACTIVATIONS = {"sigma": sp.Function("sigma"), "sigmoid": lambda u: 1 / (1 + sp.exp(-u))}


def symbp_time(layers: tuple[int, ...], activation: str) -> tuple[float, int, bool]:
    start = time.perf_counter()
    results = prove_equations(NetworkSpec(layers=layers, activation=activation))
    seconds = time.perf_counter() - start
    instances = sum(r.instances for r in results)
    return seconds, instances, all(r.status == PROVED for r in results)


def plain_sympy_time(layers: tuple[int, ...], activation: str, cap: float) \
        -> tuple[float, bool, int, int]:
    """(seconds, extrapolated?, parameters done, parameters in all) for compose-diff-expand."""
    f = ACTIVATIONS[activation]
    start = time.perf_counter()
    a = list(sp.symbols(f"x1:{layers[0] + 1}"))
    params = []
    for l, (m, n) in enumerate(zip(layers, layers[1:]), start=2):
        W = [[sp.Symbol(f"w{l}_{j}_{k}") for k in range(m)] for j in range(n)]
        b = [sp.Symbol(f"b{l}_{j}") for j in range(n)]
        params += [w for row in W for w in row] + b
        a = [f(sum(W[j][k] * a[k] for k in range(m)) + b[j]) for j in range(n)]
    y = sp.symbols(f"y1:{layers[-1] + 1}")
    cost = sp.Rational(1, 2) * sum((ai - yi) ** 2 for ai, yi in zip(a, y))
    random.Random(0).shuffle(params)    # an unbiased sample of layers if the cap cuts it short
    done = 0
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.setitimer(signal.ITIMER_REAL, max(cap - (time.perf_counter() - start), 0.01))
    try:
        for p in params:
            sp.expand(sp.diff(cost, p))
            done += 1
    except TimeoutError:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    elapsed = time.perf_counter() - start
    if done == 0:
        return elapsed, True, 0, len(params)         # a lower bound only
    if done < len(params):
        return elapsed * len(params) / done, True, done, len(params)
    return elapsed, False, done, len(params)


def _out_of_time(signum, frame):
    raise TimeoutError


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cap", type=float, default=60.0,
                        help="seconds the plain-SymPy route may take per network")
    parser.add_argument("--sizes", nargs="*", default=SIZES)
    args = parser.parse_args()
    header = f"{'network':<14} {'activation':<9} {'instances':>9} {'symbp':>10} " \
             f"{'plain SymPy':>16} {'ratio':>9}"
    for activation in ACTIVATIONS:      # warm-up: imports and SymPy's caches are not the subject
        symbp_time((2, 2, 1), activation)
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        layers = tuple(int(n) for n in size.split(","))
        for activation in ACTIVATIONS:
            ours, instances, ok = symbp_time(layers, activation)
            base, extrapolated, done, total = plain_sympy_time(layers, activation, args.cap)
            mark = ">" if done == 0 else "~" if extrapolated else " "
            print(f"{str(list(layers)):<14} {activation:<9} {instances:>9} {ours:>9.3f}s "
                  f"{mark}{base:>14.2f}s {mark}{base / ours:>7.0f}x"
                  + ("" if ok else "  (NOT ALL PROVED)")
                  + (f"  (baseline: {done}/{total} parameters within the cap"
                     + (", extrapolated)" if done else ": a lower bound)") if extrapolated else ""),
                  flush=True)


if __name__ == "__main__":
    main()
