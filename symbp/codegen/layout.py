"""What generated code is for: layer widths of any size, activations, cost, bias convention.

A `NetworkSpec` is bounded by `symbp.network.LIMITS` because it builds every symbol; the layer
form runs at any width, so it carries its own widths and borrows everything else, validated,
from a spec of the same shape that is small enough to build.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import sympy as sp

from symbp.errors import LimitError
from symbp.network import LIMITS, NetworkSpec

#: The width of each layer of the small network a schema proof is done on (at most this much).
SCHEMA_WIDTH = 3


@dataclass(frozen=True)
class Layout:
    """A network for code generation: `spec` has its activations, cost and bias (small if need be)."""

    layers: tuple[int, ...]
    spec: NetworkSpec

    @property
    def activations(self) -> tuple[str, ...]:
        return self.spec.activations

    @property
    def cost(self) -> str:
        return self.spec.cost

    @property
    def bias(self) -> str:
        return self.spec.bias

    @property
    def scale(self) -> sp.Expr:
        return self.spec.scale

    @property
    def L(self) -> int:
        return len(self.layers)

    @property
    def buildable(self) -> bool:
        """Whether the network itself is within `LIMITS` (a spec of it exists)."""
        return tuple(self.spec.layers) == self.layers

    def schema_spec(self) -> NetworkSpec:
        """A small network with the same depth, activations, cost and bias, one sample."""
        small = tuple(min(n, SCHEMA_WIDTH) for n in self.layers)
        return dataclasses.replace(self.spec, layers=small, samples=1)

    def describe(self) -> str:
        acts = self.activations
        act = acts[0] if len(set(acts)) == 1 else ", ".join(acts)
        return f"layers {list(self.layers)}, activation {act}, cost {self.cost}, bias {self.bias}"


def layout_of(spec: NetworkSpec) -> Layout:
    """The layout of a buildable spec (its sample count is irrelevant: code is batched)."""
    return Layout(tuple(spec.layers), dataclasses.replace(spec, samples=1))


def layout(layers: tuple[int, ...] | list[int],
           activation: str | tuple[str, ...] | list[str] = "sigmoid",
           cost: str = "quadratic", bias: str = "add",
           cost_scale: sp.Rational | None = None) -> Layout:
    """A layout of any width, validated by a spec of the same shape within `LIMITS`."""
    layers = tuple(int(n) for n in layers)
    activation = activation if isinstance(activation, str) else tuple(activation)
    try:
        return layout_of(NetworkSpec(layers, activation, cost, bias, 1, cost_scale))
    except LimitError:
        if len(layers) > LIMITS["layers"]:
            raise
        small = tuple(min(n, SCHEMA_WIDTH) for n in layers)
        return Layout(layers, NetworkSpec(small, activation, cost, bias, 1, cost_scale))
