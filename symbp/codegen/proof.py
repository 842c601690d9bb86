"""The proof that licenses generated code: BP1–BP4 proved on the network, or on its schema.

Code is generated only from a `Proof` whose every equation is proved on a concrete network;
anything else is refused. Alongside, the generic proof (`symbp.generic`) of the same equations
for every width and depth is cited when it exists; when it does not, the statement says exactly
which network was checked and no more.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

from symbp.codegen.layout import Layout
from symbp.errors import SymbpError
from symbp.network import Network, NetworkSpec, build_network
from symbp.prove import PROVED
from symbp.theorems import EquationResult, prove_equations

#: Where the equations are proved: the requested network itself, or a small one of the same shape.
PROOF_NETWORKS = ("network", "schema")


@dataclass(frozen=True)
class Proof:
    """Every equation proved on `spec`: the evidence a generated module cites in its docstring."""

    spec: NetworkSpec
    net: Network
    results: tuple[EquationResult, ...]
    seconds: float
    whole: bool            # proved on the requested network itself, not only on its schema
    generic: tuple = ()    # GenericVerdicts of the same equations for every width and depth

    @property
    def generic_proved(self) -> bool:
        return bool(self.generic) and all(v.proved for v in self.generic)

    def lines(self) -> list[str]:
        """One line per equation: name, statement, instances proved."""
        return [(r.name if r.name == r.statement else f"{r.name}: {r.statement}")
                + f"  [{r.count(PROVED)}/{r.instances} proved"
                + (f", given {r.condition}" if r.condition else "") + "]" for r in self.results]

    def where(self) -> str:
        widths = list(self.spec.layers)
        checked = (f"on this network itself ({widths})" if self.whole else
                   f"on the network {widths} with the same activations, cost and bias")
        if self.generic_proved:
            names = ", ".join(v.name for v in self.generic)
            generic = (f"for every width and depth (symbp prove --generic: {names}; the method "
                       f"is in docs/generic-proofs.md)")
            if self.whole:
                return f"{checked}, and {generic}"
            return f"{generic}, and instance by instance {checked}"
        if self.whole:
            return checked
        return (f"{checked}, instance by instance; symbp has no proof for other widths, so "
                f"for the widths of this code the equations were not checked")

    def result(self, name: str) -> EquationResult | None:
        return next((r for r in self.results if r.name == name), None)


def choose(layout: Layout, proof_network: str | None = None) -> tuple[NetworkSpec, bool]:
    """The spec to prove on: the network itself when it is within LIMITS, else its schema."""
    proof_network = proof_network or ("network" if layout.buildable else "schema")
    if proof_network not in PROOF_NETWORKS:
        raise SymbpError(f"unknown proof network '{proof_network}' "
                         f"(valid: {', '.join(PROOF_NETWORKS)})")
    if proof_network == "network" and not layout.buildable:
        raise SymbpError(f"the network {list(layout.layers)} is beyond symbp's limits for a "
                         f"symbolic proof; prove its schema instead")
    whole = layout.buildable and (proof_network == "network"
                                  or tuple(layout.schema_spec().layers) == layout.layers)
    return (layout.spec if proof_network == "network" else layout.schema_spec()), whole


def prove(layout: Layout, proof_network: str | None = None) -> Proof:
    """Prove BP1–BP4 for `layout`, refusing (SymbpError) if any instance is not proved."""
    spec, whole = choose(layout, proof_network)
    return _prove(spec, whole)


@lru_cache(maxsize=32)
def _prove(spec: NetworkSpec, whole: bool) -> Proof:
    start = time.perf_counter()
    net = build_network(spec)
    results = tuple(prove_equations(spec, net=net))
    generic = tuple(_generic(spec))
    proof = Proof(spec, net, results, time.perf_counter() - start, whole, generic)
    refuse_unproved(proof)
    return proof


def _generic(spec: NetworkSpec) -> list:
    """The generic verdicts for the spec's output kind, cost and bias (σ' of every elementwise
    layer is generic in them), with each activation's own derivative rule."""
    from symbp.generic.verdicts import activation_rule, prove_all
    acts = spec.activations
    if len(spec.layers) < 2 or spec.samples != 1:
        return []
    output = "sigma,softmax" if acts[-1] == "softmax" else "sigma"
    rules = [r for name in dict.fromkeys(acts) if (r := activation_rule(name))]
    return rules + prove_all(output, spec.cost, spec.bias, spec.scale)


def refuse_unproved(proof: Proof) -> None:
    """Raise unless every equation of `proof` is proved: no code from an unproved equation."""
    for result in proof.results:
        for label, verdict in result.failures():
            raise SymbpError(f"refusing to generate code: {result.name} ({result.statement}) is "
                             f"{verdict.status} at {label} on {list(proof.spec.layers)}: {verdict}")
