"""An audit of a generic proof that does not trust the generic rules: every step at concrete sizes.

Each step's two sides are translated to one concrete network (`symbp.generic.instances`: route A
for ∂C/∂·, the engine's own `diff` for every other ∂) and compared by today's prover (the
canonical form in independent atoms) and, where every atom has an exact value, at a random point
of small exact rationals; a failure comes with an exact rational point where the sides differ.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import symengine as se

from symbp.chain import Direct
from symbp.generic.expr import tidy
from symbp.generic.instances import Instance, OutOfRange
from symbp.generic.proof import GenericClaim, GenericVerdict
from symbp.generic.rules import GenericNetwork
from symbp.generic.verdicts import instances, spec_for
from symbp.network import build_network
from symbp.prove import atom_values, counterexample, is_identity
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


def _equal_at_a_point(left: se.Basic, right: se.Basic, ctx, rng: random.Random) -> bool:
    """Both sides at one random point of small exact rationals (generic functions get rational
    values, the same at the same argument): equal, or (exp atoms: no exact value) not tested."""
    free = sorted((left.free_symbols | right.free_symbols) - ctx.atomizer.atoms.keys(), key=str)
    for atom in ctx.atomizer.reachable(left, right):
        free += sorted(ctx.atomizer.atoms[atom].argument.free_symbols - ctx.atomizer.atoms.keys()
                       - set(free), key=str)
    env = {s: se.Rational(rng.randint(-9, 9), rng.choice([1, 2, 3, 5, 7])) for s in free}
    values = atom_values([left, right], ctx, env, rng)
    if not all(isinstance(v, se.Basic) for v in values.values()):
        return True
    try:
        sides = [side.subs(values) for side in (left, right)]
        for _ in range(4):
            sides = [side.subs(values) for side in sides]
    except ZeroDivisionError:
        return True
    if not all(side.is_Rational for side in sides):
        return True
    return sides[0] == sides[1]


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
        rng = random.Random(len(layers))
        for lay, units in instances(claim, spec):
            inst = Instance(network, direct, lay, units)
            for step in verdict.steps:
                try:
                    left, right = inst(step.before), inst(step.after)
                except OutOfRange:
                    continue
                checked += 1
                same = is_identity(left - right) or \
                    (ctx.specialize and is_identity((left - right).subs(ctx.specialize)))
                if not same or not _equal_at_a_point(left, right, ctx, rng):
                    point = counterexample(left, right, ctx)
                    failures.append(StepFailure(step.rule, step.side, layers, inst.label(),
                                                str(point) if point else "canonical forms differ"))
    return checked, failures
