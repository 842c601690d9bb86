"""The per-parameter form: route A's ∂C/∂θ for every weight and bias, as derived, lambdified.

Each expression is `symbp.chain.Direct(net).parameter(θ)` of the requested network, a polynomial
(or rational function) in the atoms a^l_j = σ(z^l_j), σ'(z^l_j) and, for softmax, e^{z^l_j},
after `prove_equations` has proved it equal to BP3/BP4 at every instance. Rational expressions
are put over one denominator (SymPy's exact `cancel`) so that no 1/a can overflow, and softmax
atoms are evaluated as e^{z_j - max z}, exact because every softmax expression is homogeneous of
degree 0 in them (checked). One sample's gradient is proved; the loss is the batch
mean, so its gradient is the batch mean of these (C = (1/n) Σ_x C_x is linear).
"""
from __future__ import annotations

import random
import re
from typing import Callable

import symengine as se
import sympy as sp

from symbp.chain import Direct
from symbp.codegen.lambdified import function_source
from symbp.codegen.layout import Layout
from symbp.codegen.module import Generated, assemble
from symbp.codegen.names import AtomVariable, Names, network_names
from symbp.codegen.numpy_rules import check_pair, numpy_activation
from symbp.codegen.proof import prove
from symbp.errors import SymbpError
from symbp.engine import to_engine, to_sympy
from symbp.network import Network

#: Per bias convention: (θ piece of one layer, lines that cut dW, db out of G at offset o).
Slicer = Callable[[int, int, int], tuple[str, list[str], int]]
THETA_LAYOUTS: dict[str, Slicer] = {
    "add": lambda l, n, m: (f"W{l}.ravel(), b{l}",
                            [f"dW{l} = G[{{o}}:{{o}} + {n * m}].reshape({n}, {m})",
                             f"db{l} = G[{{o}} + {n * m}:{{o}} + {n * m + n}]"], n * m + n),
    "unit": lambda l, n, m: (f"np.column_stack([b{l}, W{l}]).ravel()",
                             [f"Wb = G[{{o}}:{{o}} + {n * (m + 1)}].reshape({n}, {m + 1})",
                              f"dW{l}, db{l} = Wb[:, 1:], Wb[:, 0]"], n * (m + 1)),
    "none": lambda l, n, m: (f"W{l}.ravel()",
                             [f"dW{l} = G[{{o}}:{{o}} + {n * m}].reshape({n}, {m})",
                              f"db{l} = np.zeros({n})"], n * m),
}
THETA_LAYOUTS["subtract"] = THETA_LAYOUTS["add"]   # z = Σ w a - b: same places, sign in route A

#: The largest network (in parameters) the per-parameter form is generated for: at 408 parameters
#: generation already takes seconds and a step is ~60x slower than the layer form's.
MAX_PARAMETERS = 500

#: Exact evaluations at random rational points that confirm each `cancel`.
SPOT_CHECKS = 2


def _offsets(line: str, offset: int) -> str:
    """A slicing line with `{o} + k` written out as one number."""
    line = re.sub(r"\{o\} \+ (\d+)", lambda m: str(offset + int(m[1])), line)
    return line.replace("{o}", str(offset))


def _has_denominator(expr: sp.Expr) -> bool:
    return any(isinstance(p, sp.Pow) and p.exp.is_negative for p in sp.preorder_traversal(expr))


def _one_denominator(derivative: se.Basic, seed: int) -> se.Basic:
    """The derivative over one denominator by SymPy's `cancel` (exact polynomial gcd).

    The result is spot-checked in exact rational arithmetic at random points (cheap; a full
    proof of the rewrite costs seconds per expression); a mismatch refuses the code.
    """
    expr = to_sympy(derivative)
    if not _has_denominator(expr):
        return derivative
    together = to_engine(sp.cancel(expr))
    rng = random.Random(seed)
    for _ in range(SPOT_CHECKS):
        point = {s: se.Rational(rng.randint(1, 97), rng.randint(1, 13))
                 for s in derivative.free_symbols}
        if se.expand(together.subs(point) - derivative.subs(point)) != 0:
            raise SymbpError(f"refusing to generate code: cancelling {expr} changed it")
    return together


def _check_homogeneous(expr: se.Basic, exps: list[se.Symbol]) -> None:
    """Refuse a softmax expression that is not homogeneous of degree 0 in the e^{z_j} atoms.

    Only such an expression is unchanged when every e^{z_j} becomes e^{z_j - max z}.
    """
    if not exps or not (expr.free_symbols & set(exps)):
        return
    numerator, denominator = sp.fraction(to_sympy(expr))
    gens = [to_sympy(e) for e in exps]
    orders = {sp.Poly(part, *gens).homogeneous_order() for part in (numerator, denominator)}
    if len(orders) != 1 or None in orders:
        raise SymbpError("refusing to generate code: an expression is not invariant under "
                         "shifting the softmax inputs, so e^{z - max z} would change it")


def _used_atoms(net: Network, names: Names, derivatives: list[se.Basic]) -> list[AtomVariable]:
    """The atoms the derivatives or the forward pass use, whole layers of each kind at a time."""
    used = set().union(*(d.free_symbols for d in derivatives),
                       *(u.z_atoms.free_symbols for u in net.units[0].values()))
    kinds = {(a.layer, a.role) for a in names.atoms if a.symbol in used}
    return [a for a in names.atoms if (a.layer, a.role) in kinds]


def _atom_lines(net: Network, names: Names, l: int) -> list[str]:
    """The lines that append layer l's atoms to `atoms`, in the order `names` lists them."""
    act = numpy_activation(net.activation(l))
    helper = {"value": act.value, "derivative": act.atom_derivative}
    lines = []
    layer_atoms = [a for a in names.atoms if a.layer == l]
    for role in dict.fromkeys(a.role for a in layer_atoms):
        units = [a.unit for a in layer_atoms if a.role == role]
        if units != list(range(1, net.width(l) + 1)):
            raise SymbpError(f"refusing to generate code: layer {l} lacks some {role} atoms")
        names_text = ", ".join(a.name for a in layer_atoms if a.role == role)
        call = "shifted_exp(z)" if role == "exp" else f"[{helper[role]}(zj) for zj in z]"
        lines.append(f"atoms += {call}  # {names_text}")
    return lines


def _forward(net: Network, names: Names) -> tuple[str, list[str]]:
    """Lambdified pre-activations per layer and the `_variables` function that strings them."""
    x = [sp.Symbol(n) for _, n in names.x]
    theta = [sp.Symbol(n) for _, n in names.parameters]
    defs, body = [], ["x = list(X.T)", "theta = _theta(params)", "atoms = []"]
    earlier: list[AtomVariable] = []
    for l in range(2, net.L + 1):
        zs = [names.to_code(net.units[0][(l, j)].z_atoms) for j in range(1, net.width(l) + 1)]
        args = x + theta + [sp.Symbol(a.name) for a in earlier]
        defs.append(function_source(f"_z{l}", args, zs, cse=False))
        body.append(f"z = _z{l}(*x, *theta, *atoms)  # z^{l}_j")
        body += _atom_lines(net, names, l)
        earlier += [a for a in names.atoms if a.layer == l]
    body.append("return x, theta, atoms, z")
    return "\n\n".join(defs), body


def generate(layout: Layout, proof_network: str | None = None) -> Generated:
    """The per-parameter module for `layout`, from route A after BP1–BP4 are proved on it."""
    if proof_network not in (None, "network"):
        raise SymbpError("the per-parameter form is the derivatives of this very network, so "
                         "it is proved on the network itself")
    if not layout.buildable:
        raise SymbpError(f"the per-parameter form needs the network {list(layout.layers)} "
                         f"within symbp's limits (one expression per parameter); use the "
                         f"layer form")
    count = layout.spec.parameter_count
    if count > MAX_PARAMETERS:
        raise SymbpError(f"the per-parameter form is for small networks (at most "
                         f"{MAX_PARAMETERS} parameters; this one has {count}): use the layer "
                         f"form, which is proved to compute the same gradients")
    check_pair(layout.activations[-1], layout.cost)
    evidence = prove(layout, "network")
    net = evidence.net
    names = network_names(net)
    direct = Direct(net)
    exps = [a.symbol for a in names.atoms if a.role == "exp"]
    derivatives = []
    for index, (_, _, sym) in enumerate(net.parameters):
        # σ' atoms of activations with a rule (σ' = σ(1 - σ), ...) are read by that rule
        derivative = _one_denominator(direct.parameter(sym).subs(net.specialize), index)
        _check_homogeneous(derivative, exps)
        derivatives.append(derivative)
    names.atoms = _used_atoms(net, names, derivatives)
    derivatives = [names.to_code(d) for d in derivatives]
    args = [sp.Symbol(n) for _, n in names.ordered()]
    route_a = function_source("_route_a", args, derivatives, cse=True)
    z_defs, variables = _forward(net, names)

    pieces, unflatten, offset = [], [], 0
    for l in range(2, net.L + 1):
        piece, lines, count = THETA_LAYOUTS[layout.bias](l, net.width(l), net.width(l - 1))
        pieces.append(piece)
        unflatten += [_offsets(line, offset) for line in lines]
        offset += count
    if offset != len(net.parameters):
        raise SymbpError("refusing to generate code: the parameter layout does not match")
    L = net.L
    unpacked = "(" + "), (".join(f"W{l}, b{l}" for l in range(2, L + 1)) + "), = params"
    value = numpy_activation(net.activation(L)).value
    private = "\n\n".join([
        f'def _theta(params):\n    """Every parameter as one vector, in route A\'s order."""\n'
        f'    {unpacked}\n'
        f'    return np.concatenate([{", ".join(pieces)}])',
        z_defs,
        'def _variables(params, X):\n    """x_k, θ and every atom a_l_j, d_l_j, e_l_j of the '
        'forward pass, as batch vectors."""\n'
        + "\n".join("    " + line for line in variables),
        route_a.rstrip(),
    ]) + "\n"
    output = ["x, theta, atoms, z = _variables(params, X)", "Z = np.stack(z, axis=1)",
              f"return Z, {value}(Z)" if value else "return Z, Z"]
    gradients = [
        "x, theta, atoms, z = _variables(params, X)",
        "# route A: one expression per parameter, for each sample of the batch",
        "g = _route_a(*x, *Y.T, *theta, *atoms)",
        "# the loss is the batch mean, so its gradient is the batch mean of the samples'",
        "G = np.array([np.broadcast_to(gi, X.shape[:1]) for gi in g]).sum(axis=1) * scale",
        *unflatten,
        "return [" + ", ".join(f"(dW{l}, db{l})" for l in range(2, L + 1)) + "]",
    ]
    equations = [
        "forward  z^l_j = Σ_k w^l_{jk} a^{l-1}_k + b^l_j per unit (a^1 = x), "
        "atoms a^l_j = σ(z^l_j), σ'(z^l_j), e^{z^l_j}",
        f"route A  ∂C_x/∂θ for each of the {len(net.parameters)} parameters: the derivative of "
        f"the composed cost, in atoms, as derived (`_route_a`)",
        "loss gradient = the batch mean of ∂C_x/∂θ",
    ]
    return assemble(layout, "per-parameter", evidence, private=private, output=output,
                    gradients=gradients, equations=equations)
