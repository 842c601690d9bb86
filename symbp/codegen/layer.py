"""The layer form: BP1–BP4 as matrix expressions over a batch, each piece checked against a proof.

Arrays carry the batch on their first axis: A^l and Δ^l are (batch, n_l), W^l is (n_l, n_{l-1}).
  forward   Z^l = A^{l-1} W^lᵀ + b^l,  A^l = σ(Z^l)
  BP1       Δ^L = ∇_a C ⊙ σ'(Z^L)   (softmax: Δ^L = J_σᵀ ∇_a C, row by row)
  BP2       Δ^l = (Δ^{l+1} W^{l+1}) ⊙ σ'(Z^l)
  BP3       ∂C/∂b^l = ±(1/batch) Σ_rows Δ^l
  BP4       ∂C/∂W^l = (1/batch) Δ^lᵀ A^{l-1}
The elementwise pieces — (∇_a C)_j σ'(z_j) and σ'(z) — are the rule tables' formulas, simplified
and printed by lambdify; each is proved equal, on the proof network, to the instance of BP1 or
the σ' of BP2 that the prover proved, so the text that runs is the text that was proved.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import symengine as se
import sympy as sp

from symbp import backprop
from symbp.codegen.lambdified import expression_source
from symbp.codegen.layout import Layout
from symbp.codegen.numpy_rules import check_pair, numpy_activation
from symbp.codegen.module import Generated, assemble
from symbp.codegen.proof import Proof, prove
from symbp.errors import SymbpError
from symbp.engine import to_engine
from symbp.network import Network
from symbp.prove import is_identity
from symbp.rules import ACTIVATIONS, BIASES, COSTS

#: How each bias convention enters Z, and the sign of BP3 (0: the network has no bias).
BIAS_TERMS = {"add": (" + b{l}", 1), "subtract": (" - b{l}", -1), "unit": (" + b{l}", 1),
              "none": ("", 0)}


@dataclass
class LayerCode:
    """The source lines of the layer form, and the equations they implement, for the docstring."""

    forward: list[str] = field(default_factory=list)
    backward: list[str] = field(default_factory=list)
    equations: list[str] = field(default_factory=list)


def _sym(name: str) -> sp.Symbol:
    return sp.Symbol(name)


def _activation_derivative(act: str, a: sp.Symbol, atom: sp.Symbol) -> sp.Expr:
    """σ' by the rule of `symbp.rules` in the value a, or the σ' atom when there is no such rule."""
    rule = ACTIVATIONS[act].derivative
    return rule(sp.Symbol("_t"), a) if rule is not None else atom


def _simplest(expr: sp.Expr) -> sp.Expr:
    """A rational expression over one denominator (no 1/a to overflow); a product as it is."""
    if any(isinstance(p, sp.Pow) and p.exp.is_negative for p in sp.preorder_traversal(expr)):
        return sp.factor(sp.cancel(expr))
    return expr


def _check(net: Network, name: str, claim: se.Basic, proved: se.Basic, where: str) -> None:
    """Refuse unless `claim` is `proved` (σ' atoms read by their rules, as the prover may)."""
    if not is_identity((claim - proved).subs(net.specialize)):
        raise SymbpError(f"refusing to generate code: the layer form's {name} is not the proved "
                         f"{name} at {where}")


def _derivative_source(net: Network, layout: Layout, l: int) -> str | None:
    """The NumPy text of σ'(Z^l), checked against every hidden unit's σ' in the proof network."""
    act = layout.activations[l - 2]
    numpy_act = numpy_activation(act)
    a, atom = _sym(f"A{l}"), _sym(f"S{l}")
    template = _activation_derivative(act, a, atom)
    for j in range(1, net.width(l) + 1):
        unit = net.units[0][(l, j)]
        claim = to_engine(template).subs({to_engine(a): unit.a_atoms, to_engine(atom): unit.dsigma})
        _check(net, "σ'", claim, unit.dsigma, f"l={l}, j={j}")
    if template == 1:
        return None
    if template == atom:
        return f"{numpy_act.atom_derivative}(Z{l})"
    return expression_source([a], template)


def _output_delta(net: Network, layout: Layout) -> tuple[str, str]:
    """BP1 as NumPy text over A^L, Y (and σ'(Z^L)), checked against every proved BP1 instance."""
    L, act = layout.L, layout.activations[-1]
    a, y, atom = _sym(f"A{L}"), _sym("Y"), _sym(f"S{L}")
    grad = COSTS[layout.cost].gradient([a], [y], layout.scale)[0]
    if numpy_activation(act).layerwise:
        # J_σᵀ g for softmax, row by row: a ⊙ g - a (a · g); a ⊙ g simplified first, so no 1/a.
        product = _simplest(grad * a)
        units = net.units[0]
        for j in range(1, net.width(L) + 1):
            outs = [units[(L, i)].a_atoms for i in range(1, net.width(L) + 1)]
            per = [to_engine(product).subs({to_engine(a): o, to_engine(y): net.y[0][i]})
                   for i, o in enumerate(outs)]
            claim = per[j - 1] - outs[j - 1] * sum(per, se.Integer(0))
            _check(net, "BP1", claim, backprop.bp1_jacobian(net, 0, j), f"j={j}")
        text = expression_source([a, y], product)
        return (f"P = {text}\n"
                f"D{L} = (P - A{L} * P.sum(axis=1, keepdims=True)) * scale"), \
            f"Δ^{L} = a ⊙ ∇_a C - a (a · ∇_a C) per row, with a ⊙ ∇_a C = {text}"
    template = _simplest(grad * _activation_derivative(act, a, atom))
    for j in range(1, net.width(L) + 1):
        unit = net.units[0][(L, j)]
        claim = to_engine(template).subs({to_engine(a): unit.a_atoms, to_engine(y): net.y[0][j - 1],
                                          to_engine(atom): unit.dsigma})
        _check(net, "BP1", claim, backprop.bp1_hadamard(net, 0, j), f"j={j}")
    text = expression_source([a, y, atom], template)
    if atom in template.free_symbols:
        text = text.replace(f"S{L}", f"{numpy_activation(act).atom_derivative}(Z{L})")
    return f"D{L} = ({text}) * scale", f"Δ^{L} = ∇_a C ⊙ σ'(Z^{L}) = {text}"


def layer_code(layout: Layout, proof: Proof) -> LayerCode:
    """Forward pass and BP1–BP4 for `layout` as lines of NumPy, each piece checked on `proof`."""
    check_pair(layout.activations[-1], layout.cost)
    net, L = proof.net, layout.L
    code = LayerCode()
    unpack = "(" + "), (".join(f"W{l}, b{l}" for l in range(2, L + 1)) + "), = params"
    code.forward.append(unpack)
    term, sign = BIAS_TERMS[layout.bias]
    for l in range(2, L + 1):
        prev = "X" if l == 2 else f"A{l - 1}"
        code.forward.append(f"Z{l} = {prev} @ W{l}.T" + term.format(l=l))
        value = numpy_activation(layout.activations[l - 2]).value
        code.forward.append(f"A{l} = {value}(Z{l})" if value else f"A{l} = Z{l}")
    delta, bp1 = _output_delta(net, layout)
    code.backward += ["# BP1: δ^L from ∇_a C and σ'(z^L), times `scale` once: BP2-BP4 are linear "
                      "in δ,", "# so every D below carries the factor (1/batch, or lr/batch for "
                      "an SGD step)", *delta.splitlines()]
    code.equations.append(f"BP1  {bp1}")
    for l in range(L - 1, 1, -1):
        derivative = _derivative_source(net, layout, l)
        back = f"D{l + 1} @ W{l + 1}"
        code.backward.append(f"# BP2: δ^{l} = (W^{l + 1})ᵀ δ^{l + 1} ⊙ σ'(z^{l})")
        code.backward.append(f"D{l} = ({back}) * ({derivative})" if derivative
                             else f"D{l} = {back}")
        code.equations.append(f"BP2  Δ^{l} = (Δ^{l + 1} W^{l + 1}) ⊙ {derivative or '1'}")
    code.backward.append("# BP3 and BP4: sums over the batch of δ^l and of δ^l (a^{l-1})ᵀ")
    grads = []
    for l in range(2, L + 1):
        prev = "X" if l == 2 else f"A{l - 1}"
        code.backward.append(f"dW{l} = D{l}.T @ {prev}")
        db = {1: f"D{l}.sum(axis=0)", -1: f"-D{l}.sum(axis=0)", 0: f"np.zeros_like(b{l})"}[sign]
        code.backward.append(f"db{l} = {db}")
        grads.append(f"(dW{l}, db{l})")
    code.backward.append(f"return [{', '.join(grads)}]")
    sign_text = {1: "", -1: "-", 0: "0 · "}[sign]
    code.equations.append(f"BP3  ∂C/∂b^l = {sign_text}mean over the batch of Δ^l"
                          + (" (b^l is the bias unit's weight w^l_{j0})"
                             if BIASES[layout.bias].unit else ""))
    code.equations.append("BP4  ∂C/∂W^l = (1/batch) (Δ^l)ᵀ A^{l-1}")
    return code


def generate(layout: Layout, proof_network: str | None = None) -> Generated:
    """The layer-form module for `layout`, after proving BP1–BP4 on it or on its schema."""
    evidence = prove(layout, proof_network)
    code = layer_code(layout, evidence)
    L = layout.L
    equations = ["forward  Z^l = A^{l-1} (W^l)ᵀ + b^l,  A^l = σ(Z^l)  (A^1 = X)", *code.equations]
    return assemble(layout, "layer", evidence, private="",
                    output=code.forward + [f"return Z{L}, A{L}"],
                    gradients=code.forward + code.backward, equations=equations)
