"""Network options shared by the commands that build a network from flags."""
from __future__ import annotations

import argparse
import re
from fractions import Fraction

import sympy as sp

from symbp.errors import SymbpError
from symbp.network import NetworkSpec
from symbp.rules import ACTIVATIONS, BIASES, COSTS, names


def add_network_options(parser: argparse.ArgumentParser, default_layers: str = "2,3,2", *,
                        default_activation: str = "sigma", samples: bool = True) -> None:
    """--layers, --activation, --cost, --cost-scale, --bias and (with `samples`) --samples."""
    parser.add_argument("--layers", default=default_layers,
                        help=f"layer widths, input first (default {default_layers})")
    shown = "sigma, a generic function" if default_activation == "sigma" else default_activation
    parser.add_argument("--activation", default=default_activation,
                        help=f"one activation for all layers, or a comma list per layer "
                             f"({names(ACTIVATIONS)}; default {shown})")
    parser.add_argument("--cost", default="quadratic", help=f"the cost ({names(COSTS)})")
    parser.add_argument("--cost-scale", default=None,
                        help="the quadratic cost's constant c in C = c Σ (a - y)^2 (default 1/2)")
    parser.add_argument("--bias", default="add", help=f"bias convention ({names(BIASES)})")
    if samples:
        parser.add_argument("--samples", default="1",
                            help="number of training samples; C is their mean (default 1)")


def _integers(text: str, what: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",")]
    except ValueError:
        raise SymbpError(f"--{what} takes comma-separated whole numbers, got '{text}'") from None
    return values


#: --cost-scale: a short decimal (exponent at most 2 digits) or fraction, read exactly.
_SCALE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,2})?|[+-]?\d+/\d+")
SCALE_CHARS = 40
SCALE_MAX = 10**6


def cost_scale(text: str) -> sp.Rational:
    """The quadratic cost's constant: a positive number of at most 40 characters, at most 10^6
    (0 would make every gradient 0, and every claim about it trivially true)."""
    shown = text if len(text) <= SCALE_CHARS else text[:SCALE_CHARS] + "..."
    if len(text) > SCALE_CHARS or not _SCALE.fullmatch(text.strip()):
        raise SymbpError(f"--cost-scale takes a number such as 1/2 or 0.5, got '{shown}'")
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise SymbpError(f"--cost-scale takes a number such as 1/2 or 0.5, got '{shown}'") \
            from None
    if not 0 < value <= SCALE_MAX:
        raise SymbpError(f"--cost-scale must be positive and at most {SCALE_MAX}, got '{shown}'")
    return sp.Rational(value.numerator, value.denominator)


def spec_from_args(args: argparse.Namespace) -> NetworkSpec:
    """The NetworkSpec the flags describe; any mistake is a SymbpError naming the flag."""
    layers = _integers(args.layers, "layers")
    if any(n < 1 for n in layers):
        raise SymbpError(f"--layers: every width must be at least 1, got '{args.layers}'")
    activations = [a.strip() for a in args.activation.split(",")]
    for act in activations:
        if act not in ACTIVATIONS:
            raise SymbpError(f"--activation: unknown activation '{act}' "
                             f"(valid: {names(ACTIVATIONS)})")
    if len(activations) not in (1, len(layers) - 1):
        raise SymbpError(f"--activation: give one activation or {len(layers) - 1} "
                         f"(one per non-input layer), got {len(activations)}")
    scale = None if args.cost_scale is None else cost_scale(args.cost_scale)
    samples = _integers(getattr(args, "samples", "1"), "samples")
    if len(samples) != 1:
        raise SymbpError(f"--samples takes one whole number, got '{args.samples}'")
    return NetworkSpec(layers=tuple(layers),
                       activation=activations[0] if len(activations) == 1 else tuple(activations),
                       cost=args.cost, bias=args.bias, samples=samples[0], cost_scale=scale)


def layout_from_args(args: argparse.Namespace) -> "Layout":
    """The layout the shared network flags describe; widths beyond `LIMITS` are allowed here."""
    from symbp.codegen.layout import SCHEMA_WIDTH, Layout, layout_of
    from symbp.errors import LimitError
    from symbp.network import LIMITS

    try:
        return layout_of(spec_from_args(args))
    except LimitError:
        layers = tuple(int(p) for p in args.layers.split(","))   # already parsed once above
        if len(layers) > LIMITS["layers"]:
            raise
        small = ",".join(str(min(n, SCHEMA_WIDTH)) for n in layers)
        spec = spec_from_args(argparse.Namespace(**{**vars(args), "layers": small}))
        return Layout(layers, spec)
