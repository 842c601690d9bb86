"""Time `symbp prove --generic`: every equation for every activation, cost and bias convention.

Each configuration is run once to warm up, then timed over --rounds runs; the table shows the
slowest equation and the whole set (median of the rounds), and the audit of every step at
widths 1–4 and depths 2–4 for one configuration per output kind.

    python benchmarks/bench_generic.py [--rounds 5]
"""
from __future__ import annotations

import argparse
import statistics
import time

from symbp.generic.audit import audit
from symbp.generic.equations import claims
from symbp.generic.verdicts import generic_network, prove_all, prove_generic
from symbp.rules import BIASES, COSTS

ACTIVATIONS = ["sigma", "sigmoid", "tanh", "softplus", "identity", "relu", "softmax"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"{'activation':<10} {'cost':<15} {'bias':<9} {'proved':>7} {'slowest eq':>11} "
          f"{'all eqs':>9}")
    worst = 0.0
    for act in ACTIVATIONS:
        for cost in COSTS:
            for bias in BIASES:
                prove_all(act, cost, bias)                      # warm-up
                totals, slowest = [], []
                for _ in range(args.rounds):
                    start = time.perf_counter()
                    verdicts = prove_all(act, cost, bias)
                    totals.append(time.perf_counter() - start)
                    slowest.append(max(v.seconds for v in verdicts))
                proved = sum(v.proved for v in verdicts)
                worst = max(worst, max(slowest))
                print(f"{act:<10} {cost:<15} {bias:<9} {proved:>3}/{len(verdicts):<3} "
                      f"{statistics.median(slowest) * 1000:>8.1f} ms "
                      f"{statistics.median(totals) * 1000:>6.1f} ms")
    print(f"slowest single equation over all rounds: {worst * 1000:.1f} ms")
    for act in ("sigma", "softmax"):
        net, acts = generic_network(act, "quadratic", "add")
        start, steps, failures = time.perf_counter(), 0, 0
        for claim in claims(net):
            verdict = prove_generic(claim, net, acts)
            checked, failed = audit(claim, verdict, net, acts)
            steps += checked
            failures += len(failed)
        print(f"audit ({act}, quadratic, add): {steps} step instances re-checked at widths 1-4, depths 2-4, "
              f"{failures} failures, {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
