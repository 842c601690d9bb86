"""The generic verdict on a claim: proved for every size, else tried at concrete sizes.

`prove_generic(claim, activation=..., cost=..., bias=...)` is the entry point other parts of
symbp (the derivation-file checker) can call: it returns a `GenericVerdict` whose `scope` says
whether it speaks of every size ("all-sizes") or of one network ("network").
"""
from __future__ import annotations

import time

import sympy as sp

from symbp.chain import Direct
from symbp.errors import SymbpError
from symbp.generic.equations import claims
from symbp.generic.instances import Instance, OutOfRange
from symbp.generic.proof import (ALL_SIZES, NETWORK, REFUTED, GenericClaim, GenericVerdict,
                                 prove_claim)
from symbp.generic.rules import GenericNetwork
from symbp.network import NetworkSpec, build_network
from symbp.prove import prove_atoms
from symbp.rules import ACTIVATIONS, COSTS
from symbp.theorems import context

#: Networks (input first) a claim not proved generically is tried on, in this order.
TRY_NETWORKS = ((2, 3, 2), (3, 2, 4, 2), (2, 2, 2, 2))


def generic_network(activation: str = "sigma", cost: str = "quadratic", bias: str = "add",
                    scale: sp.Expr | None = None) -> tuple[GenericNetwork, tuple[str, str]]:
    """The generic network of the flags, and its (hidden, output) activations.

    `activation` is one name for every layer, or 'hidden,output'; softmax alone means a generic
    σ below a softmax output.
    """
    names = [a.strip() for a in activation.split(",")]
    if len(names) == 1:
        names = ["sigma", "softmax"] if names[0] == "softmax" else names * 2
    if len(names) != 2:
        raise SymbpError("--activation with --generic: one activation, or 'hidden,output'")
    for name in names:
        if name not in ACTIVATIONS:
            raise SymbpError(f"--activation: unknown activation '{name}' "
                             f"(valid: {', '.join(ACTIVATIONS)})")
    if names[0] == "softmax":
        raise SymbpError("softmax is only supported on the output layer")
    if cost not in COSTS:
        raise SymbpError(f"unknown cost '{cost}' (valid: {', '.join(COSTS)})")
    from symbp.rules import BIASES
    if bias not in BIASES:
        raise SymbpError(f"unknown bias convention '{bias}' (valid: {', '.join(BIASES)})")
    scale = sp.Rational(scale) if scale is not None else COSTS[cost].default_scale
    output = "softmax" if names[1] == "softmax" else "elementwise"
    return GenericNetwork(output, bias, cost, scale, output_activation=names[1]), \
        (names[0], names[1])


def prove_generic(claim: GenericClaim, net: GenericNetwork,
                  activations: tuple[str, str] = ("sigma", "sigma"),
                  networks: tuple[tuple[int, ...], ...] = TRY_NETWORKS) -> GenericVerdict:
    """Prove `claim` for every size; failing that, refute it on a concrete network (or say
    what was checked)."""
    start = time.perf_counter()
    verdict = prove_claim(claim, net)
    if not verdict.proved:
        _try_concrete(claim, net, activations, networks, verdict)
    verdict.seconds = time.perf_counter() - start
    return verdict


def spec_for(layers: tuple[int, ...], net: GenericNetwork, activations: tuple[str, str]) \
        -> NetworkSpec:
    acts = (activations[0],) * (len(layers) - 2) + (activations[1],)
    return NetworkSpec(tuple(layers), acts, net.cost, net.bias, 1, net.scale)


def instances(claim: GenericClaim, spec: NetworkSpec):
    """Every (layer, units) assignment of the claim's free symbols on one network."""
    symbol, lo, hi = claim.layers
    L = len(spec.layers)
    values = [L] if symbol == "L" else range(lo, L + hi + 1)
    for m in values:
        layers = {"L": L} if symbol == "L" else {"L": L, symbol: m}
        yield from _units(claim, spec, layers, list(claim.ranges.items()), {})


def _units(claim, spec, layers, todo, done):
    if not todo:
        yield layers, dict(done)
        return
    (name, ((base, off), lower)), rest = todo[0], todo[1:]
    m = layers[base] + off
    if not 1 <= m <= len(spec.layers):
        return
    for u in range(lower, spec.layers[m - 1] + 1):
        yield from _units(claim, spec, layers, rest, {**done, name: u})


def _try_concrete(claim: GenericClaim, net: GenericNetwork, activations: tuple[str, str],
                  networks, verdict: GenericVerdict) -> None:
    """Today's prover on each instance of each network, stopping at the first refutation."""
    checked, undefined = [], None
    for layers in networks:
        spec = spec_for(layers, net, activations)
        network = build_network(spec)
        direct, ctx = Direct(network), context(network)
        count = 0
        for lay, units in instances(claim, spec):
            inst = Instance(network, direct, lay, units)
            try:
                lhs, rhs = inst(claim.lhs), inst(claim.rhs)
            except OutOfRange as err:
                undefined = undefined or (layers, inst.label(), str(err))
                continue
            count += 1
            concrete = prove_atoms(lhs, rhs, ctx, alternatives=_alternatives(claim, inst))
            if concrete.status == REFUTED:
                verdict.status, verdict.scope = REFUTED, NETWORK
                verdict.network, verdict.instance = list(layers), inst.label()
                verdict.concrete = concrete
                verdict.diagnosis = verdict.diagnosis or concrete.diagnosis
                return
        checked.append((list(layers), count))
    if undefined is not None:
        layers, label, why = undefined
        verdict.status, verdict.scope = REFUTED, NETWORK
        verdict.network, verdict.instance = list(layers), label
        verdict.reason = f"the right side is not defined there: {why} (a shape mismatch)"
        return
    verdict.scope = NETWORK
    shown = ", ".join(f"{n} ({c} instances)" for n, c in checked)
    verdict.reason = (f"{verdict.reason}; not proved for every size, and no counterexample on "
                      f"{shown}")


def _alternatives(claim: GenericClaim, inst: Instance) -> dict:
    """The left side with two free indices exchanged, where that is a unit of each layer."""
    out = {}
    for i, j in claim.swaps:
        swapped = Instance(inst.net, inst.direct, inst.layers,
                           {**inst.units, i: inst.units[j], j: inst.units[i]})
        try:
            out[f"the left side with {i} and {j} exchanged"] = swapped(claim.lhs)
        except OutOfRange:
            pass
    return out


def prove_all(activation: str = "sigma", cost: str = "quadratic", bias: str = "add",
              scale: sp.Expr | None = None) -> list[GenericVerdict]:
    """Every applicable equation, plus the activation's derivative rule, for every size."""
    net, acts = generic_network(activation, cost, bias, scale)
    out = [rule for name in dict.fromkeys(acts) if (rule := activation_rule(name))]
    for claim in claims(net):
        out.append(prove_generic(claim, net, acts))
    return out


def activation_rule(name: str) -> GenericVerdict | None:
    """σ' by the table's rule, proved against sympy.diff (a scalar identity: every size)."""
    from symbp.prove import prove
    from symbp.rules import derivative_rule_sides
    sides = derivative_rule_sides(name)
    if sides is None:
        return None
    start = time.perf_counter()
    v = prove(*sides)
    act = ACTIVATIONS[name]
    return GenericVerdict(f"{name}' rule", act.derivative_text, v.status,
                          ALL_SIZES if v.proved else NETWORK, reason=v.reason,
                          seconds=time.perf_counter() - start,
                          note=act.note if name == "relu" else "",
                          where="a scalar identity in t")
