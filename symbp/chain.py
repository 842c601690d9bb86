"""Route A: every partial derivative by differentiating the fully composed cost (no δ here).

For a parameter θ, ∂C/∂θ is the engine's chain rule applied to C composed from the free symbols.
For a unit quantity (z^l_j or a^l_j of one sample) the meaning is the perturbation one: replace
it by a free variable, recompute everything computed from it, differentiate, put the value back.
Results are returned atomized: polynomials in the network's atoms σ(z^l_j), σ'(z^l_j).
"""
from __future__ import annotations

from functools import cached_property

import symengine as se

from symbp.network import Network


class Direct:
    """Direct derivatives of one network, computed on demand and remembered."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self._cache: dict[tuple, se.Basic] = {}

    @cached_property
    def cost(self) -> se.Basic:
        """C composed from the free symbols (the mean over samples)."""
        return self.net.cost()

    def parameter(self, symbol: se.Symbol) -> se.Basic:
        """∂C/∂θ for a weight or bias θ, atomized."""
        key = ("param", symbol)
        if key not in self._cache:
            self._cache[key] = self.net.atomizer(self.cost.diff(symbol))
        return self._cache[key]

    def unit(self, kind: str, sample: int, layer: int, j: int, *, per_sample: bool = True) \
            -> se.Basic:
        """∂C_x/∂z^l_j (kind "z") or ∂C_x/∂a^l_j (kind "a") by perturbation, atomized.

        With `per_sample=False` the total cost C = (1/n) Σ_x C_x is differentiated instead.
        """
        key = (kind, sample, layer, j, per_sample)
        if key not in self._cache:
            free = se.Symbol("_perturbed")
            cost = self.net.cost(sample, (kind, layer, j), free) if per_sample else \
                self._total_with(sample, (kind, layer, j), free)
            unit = self.net.units[sample][(layer, j)]
            value = unit.z_atoms if kind == "z" else unit.a_atoms
            atomized = self.net.atomizer(cost.diff(free))
            self._cache[key] = self.net.atomizer.substitute(atomized, {free: value})
        return self._cache[key]

    def _total_with(self, sample: int, override: tuple, free: se.Symbol) -> se.Basic:
        n = self.net.spec.samples
        parts = [self.net.cost(s, override if s == sample else None, free if s == sample else None)
                 for s in range(n)]
        return sum(parts, se.Integer(0)) / n

    def delta(self, sample: int, layer: int, j: int) -> se.Basic:
        """δ^l_j := ∂C_x/∂z^l_j, the definition every text starts from."""
        return self.unit("z", sample, layer, j)
