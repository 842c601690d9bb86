"""`symbp prove`: prove every instance of BP1–BP4 on one network and print the table."""
from __future__ import annotations

import argparse
import json
import time

from symbp.commands.options import add_network_options, spec_from_args
from symbp.printing.text import proof_table
from symbp.prove import PROVED
from symbp.theorems import prove_equations

HELP = "prove the four backpropagation equations on a network, instance by instance"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_network_options(parser)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


def run(args: argparse.Namespace) -> int:
    spec = spec_from_args(args)
    start = time.perf_counter()
    results = prove_equations(spec)
    seconds = time.perf_counter() - start
    if args.json:
        print(json.dumps({"network": _describe(spec), "seconds": round(seconds, 6),
                          "equations": [r.to_dict() for r in results]}, indent=2,
                         ensure_ascii=False))
    else:
        print(proof_table(spec, results, seconds))
    return 0 if all(r.status == PROVED for r in results) else 1


def _describe(spec) -> dict:
    return {"layers": list(spec.layers), "activation": list(spec.activations),
            "cost": spec.cost, "cost_scale": str(spec.scale), "bias": spec.bias,
            "samples": spec.samples}
