"""`symbp codegen`: a standalone NumPy module computing the proved gradients of a network."""
from __future__ import annotations

import argparse
import sys

from symbp.codegen import FORMS, generate
from symbp.commands.options import layout_from_args
from symbp.codegen.proof import PROOF_NETWORKS
from symbp.commands.files import check_writable, write_atomically
from symbp.commands.options import add_network_options

HELP = "generate NumPy training code (forward, loss, gradients, SGD step) from proved equations"


def add_network_and_code_options(parser: argparse.ArgumentParser, default_layers: str) -> None:
    """The network flags, with a concrete default activation, plus the form and proof flags."""
    add_network_options(parser, default_layers=default_layers, default_activation="sigmoid",
                        samples=False)    # generated code takes a batch of any size instead
    parser.add_argument("--form", default="layer", choices=list(FORMS),
                        help="layer: BP1-BP4 as matrix code (fast); per-parameter: one proved "
                             "expression per weight (small networks only). Default layer")
    parser.add_argument("--proof", default=None, choices=list(PROOF_NETWORKS),
                        help="prove the equations on the network itself (default when it is "
                             "within symbp's limits) or on a small network of the same shape")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_network_and_code_options(parser, default_layers="2,3,1")
    parser.add_argument("-o", "--output", default=None,
                        help="write the module to this file (default: standard output)")


def run(args: argparse.Namespace) -> int:
    layout = layout_from_args(args)
    if args.output is not None:
        check_writable(args.output)
    generated = generate(layout, args.form, args.proof)
    if args.output is None:
        sys.stdout.write(generated.source)
        return 0
    write_atomically(args.output, generated.source)
    print(f"wrote {args.output}: {args.form} form for {layout.describe()}; "
          f"BP1-BP4 proved {generated.proof.where()} in {generated.proof.seconds:.2f} s")
    return 0
