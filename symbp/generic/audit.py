"""An audit of a generic proof that does not trust the generic rules: every step at concrete sizes.

Each step's two sides are translated to one concrete network (`symbp.generic.instances`: route A
for ∂C/∂·, the engine's own `diff` for every other ∂) and compared by today's prover (the
canonical form in independent atoms; where they differ, an exact rational point where they do).
"""
from __future__ import annotations

from dataclasses import dataclass

from symbp.chain import Direct
from symbp.generic.expr import tidy
from symbp.generic.instances import Instance, OutOfRange
from symbp.generic.proof import GenericClaim, GenericVerdict
from symbp.generic.rules import GenericNetwork
from symbp.generic.verdicts import instances, spec_for
from symbp.network import build_network
from symbp.prove import counterexample, is_identity
from symbp.theorems import context

#: Networks with every width and the depth between 1 and 4 (input first).
AUDIT_NETWORKS = ((1, 1), (2, 3), (3, 1, 2), (2, 4, 3), (1, 2, 3, 4), (4, 3, 2, 1))


@dataclass(frozen=True)
class StepFailure:
    """A step whose two sides differ on a concrete network: the evidence against its rule."""

    rule: str
    side: str
    network: tuple[int, ...]
    instance: str
    evidence: str


def chain_breaks(claim: GenericClaim, verdict: GenericVerdict) -> list[str]:
    """Steps that do not follow on from the one before (each side must be one chain)."""
    problems = []
    for side, start in (("left", claim.lhs), ("right", claim.rhs)):
        steps = [s for s in verdict.steps if s.side == side]
        if steps and steps[0].before != tidy(start, {}):
            problems.append(f"the {side} side does not start from the claim")
        for before, after in zip(steps, steps[1:]):
            if before.after != after.before:
                problems.append(f"'{after.rule}' does not start where '{before.rule}' ended")
    return problems


def audit(claim: GenericClaim, verdict: GenericVerdict, net: GenericNetwork,
          activations: tuple[str, str] = ("sigma", "sigma"),
          networks: tuple[tuple[int, ...], ...] = AUDIT_NETWORKS) -> tuple[int, list[StepFailure]]:
    """(steps checked, the steps that fail) over every instance of every network."""
    checked, failures = 0, []
    for layers in networks:
        if claim.layers[0] == "l" and len(layers) + claim.layers[2] < claim.layers[1]:
            continue                          # the claim has no instance at this depth
        spec = spec_for(layers, net, activations)
        network = build_network(spec)
        direct, ctx = Direct(network), context(network)
        for lay, units in instances(claim, spec):
            inst = Instance(network, direct, lay, units)
            for step in verdict.steps:
                try:
                    left, right = inst(step.before), inst(step.after)
                except OutOfRange:
                    continue
                checked += 1
                if not is_identity(left - right):
                    point = counterexample(left, right, ctx)
                    failures.append(StepFailure(step.rule, step.side, layers, inst.label(),
                                                str(point) if point else "canonical forms differ"))
    return checked, failures
