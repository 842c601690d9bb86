"""`symbp prove`: prove every instance of BP1–BP4 on one network and print the table."""
from __future__ import annotations

import argparse
import json
import time

import sympy as sp

from symbp.errors import SymbpError

from symbp.commands.options import add_network_options, spec_from_args
from symbp.printing.text import proof_table
from symbp.prove import PROVED
from symbp.theorems import prove_equations

HELP = "prove the four backpropagation equations on a network, instance by instance"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_network_options(parser)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--generic", action="store_true",
                        help="prove the equations for every width and depth at once (no "
                             "--layers); a claim not proved so is tried on concrete networks")


def run(args: argparse.Namespace) -> int:
    if args.generic:
        return _run_generic(args)
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


def _run_generic(args: argparse.Namespace) -> int:
    from symbp.generic.proof import verdict_dict
    from symbp.generic.verdicts import prove_all
    from symbp.printing.generic_text import generic_table

    for flag, default in (("layers", "2,3,2"), ("samples", "1")):
        if getattr(args, flag) != default:
            raise SymbpError(f"--{flag} describes one network; --generic proves for every size "
                             f"(leave out --{flag} or --generic)")
    scale = _scale(args.cost_scale)
    start = time.perf_counter()
    verdicts = prove_all(args.activation, args.cost, args.bias, scale)
    seconds = time.perf_counter() - start
    described = {"activation": args.activation, "cost": args.cost, "bias": args.bias,
                 "cost_scale": str(scale) if scale is not None else None}
    if args.json:
        print(json.dumps({"generic": True, "network": described, "seconds": round(seconds, 6),
                          "equations": [verdict_dict(v) for v in verdicts]}, indent=2,
                         ensure_ascii=False))
    else:
        header = (f"every network: activation {args.activation}, cost {args.cost}"
                  + (f" (c = {scale})" if scale is not None else "") + f", bias {args.bias}")
        print(generic_table(header, verdicts, seconds))
    return 0 if all(v.proved for v in verdicts) else 1


def _scale(text: str | None):
    if text is None:
        return None
    from fractions import Fraction
    try:
        return sp.Rational(Fraction(text))
    except (ValueError, ZeroDivisionError):
        raise SymbpError(f"--cost-scale takes a number such as 1/2 or 0.5, got '{text}'") \
            from None


def _describe(spec) -> dict:
    return {"layers": list(spec.layers), "activation": list(spec.activations),
            "cost": spec.cost, "cost_scale": str(spec.scale), "bias": spec.bias,
            "samples": spec.samples}
