"""Route B: the four backpropagation equations, built from atoms without differentiating C.

Each function is named after the equation it computes and returns the right side for one
instance. `deltas` runs the whole backward pass (BP1 then BP2) from the output layer down.
"""
from __future__ import annotations

from typing import Callable

import symengine as se
import sympy as sp

from symbp.engine import to_engine
from symbp.network import Network
from symbp.rules import BIASES, COSTS

Delta = Callable[[int, int, int], se.Basic]    # (sample, layer, j) -> δ^l_j


def grad_a_cost(net: Network, sample: int) -> list[se.Basic]:
    """∇_a C_x by the cost's textbook rule, in the output atoms."""
    a = [net.units[sample][(net.L, j)].a_atoms for j in range(1, net.width(net.L) + 1)]
    placeholders = [sp.Symbol(f"_A{j}") for j in range(1, len(a) + 1)]
    targets = [sp.Symbol(f"_Y{j}") for j in range(1, len(a) + 1)]
    rule = COSTS[net.spec.cost].gradient(placeholders, targets, net.spec.scale)
    subs = {se.Symbol(str(p)): v for p, v in zip(placeholders, a)} | \
           {se.Symbol(str(t)): y for t, y in zip(targets, net.y[sample])}
    return [to_engine(g).subs(subs) for g in rule]


def output_jacobian(net: Network, sample: int) -> list[list[se.Basic]]:
    """J_ij = ∂a^L_i/∂z^L_j in atoms: diagonal σ' for an elementwise layer, full for softmax."""
    n, L = net.width(net.L), net.L
    units = net.units[sample]
    if net.activation(L) == "softmax":
        a = [units[(L, i)].a_atoms for i in range(1, n + 1)]
        return [[a[i] * ((1 if i == j else 0) - a[j]) for j in range(n)] for i in range(n)]
    return [[units[(L, i + 1)].dsigma if i == j else se.Integer(0) for j in range(n)]
            for i in range(n)]


def bp1_hadamard(net: Network, sample: int, j: int) -> se.Basic:
    """BP1: δ^L_j = (∇_a C)_j σ'(z^L_j); for softmax σ'(z^L_j) is read as ∂a_j/∂z_j."""
    grad = grad_a_cost(net, sample)
    return grad[j - 1] * output_jacobian(net, sample)[j - 1][j - 1]


def bp1_jacobian(net: Network, sample: int, j: int) -> se.Basic:
    """BP1 in general form: δ^L = J_σ(z^L)^T ∇_a C, right for any output layer."""
    grad = grad_a_cost(net, sample)
    jac = output_jacobian(net, sample)
    return sum((jac[i][j - 1] * grad[i] for i in range(len(grad))), se.Integer(0))


def bp2(net: Network, delta: Delta, sample: int, l: int, j: int) -> se.Basic:
    """BP2: δ^l_j = (Σ_k w^{l+1}_{kj} δ^{l+1}_k) σ'(z^l_j)."""
    back = sum((net.w[(l + 1, k, j)] * delta(sample, l + 1, k)
                for k in range(1, net.width(l + 1) + 1)), se.Integer(0))
    return back * net.units[sample][(l, j)].dsigma


class ShapeMismatch(ValueError):
    """A matrix expression whose shapes do not fit; the message says which."""


def weight_matrix(net: Network, l: int) -> se.DenseMatrix:
    """W^l: rows j (units of layer l), columns k (units of layer l-1)."""
    return se.DenseMatrix(net.width(l), net.width(l - 1),
                          [net.w[(l, j, k)] for j in range(1, net.width(l) + 1)
                           for k in range(1, net.width(l - 1) + 1)])


def bp2_vector(net: Network, delta: Delta, sample: int, l: int, matrix: se.DenseMatrix,
               name: str = "(W^{l+1})^T") -> se.DenseMatrix:
    """BP2 in vector form with a given matrix in place of (W^{l+1})^T: (M δ^{l+1}) ⊙ σ'(z^l)."""
    d_next = se.DenseMatrix(net.width(l + 1), 1,
                            [delta(sample, l + 1, k) for k in range(1, net.width(l + 1) + 1)])
    rows, cols = matrix.shape
    if cols != d_next.shape[0] or rows != net.width(l):
        raise ShapeMismatch(f"shape mismatch: {name} is {rows}×{cols} and δ^{{{l + 1}}} is "
                            f"{d_next.shape[0]}×1, so their product "
                            + ("is undefined" if cols != d_next.shape[0] else
                               f"has {rows} rows, not the {net.width(l)} of δ^{{{l}}}"))
    back = matrix * d_next
    return se.DenseMatrix(net.width(l), 1, [back[j, 0] * net.units[sample][(l, j + 1)].dsigma
                                            for j in range(net.width(l))])


def bp3(net: Network, delta: Delta, l: int, j: int) -> se.Basic:
    """BP3: ∂C/∂b^l_j = ±(1/n) Σ_x δ^{x,l}_j, the sign that of the bias in z."""
    n = net.spec.samples
    sign = BIASES[net.spec.bias].sign or 1
    return sign * sum((delta(s, l, j) for s in range(n)), se.Integer(0)) / n


def bp4(net: Network, delta: Delta, l: int, j: int, k: int) -> se.Basic:
    """BP4: ∂C/∂w^l_{jk} = (1/n) Σ_x a^{x,l-1}_k δ^{x,l}_j (a_0 = 1 for a bias unit)."""
    n = net.spec.samples
    return sum((net.a_in(s, l - 1, k) * delta(s, l, j) for s in range(n)), se.Integer(0)) / n


def deltas(net: Network) -> dict[tuple[int, int, int], se.Basic]:
    """The whole backward pass: δ^L by BP1 (general form), then δ^l by BP2, for every sample."""
    table: dict[tuple[int, int, int], se.Basic] = {}

    def lookup(s: int, l: int, j: int) -> se.Basic:
        return table[(s, l, j)]

    for s in range(net.spec.samples):
        for j in range(1, net.width(net.L) + 1):
            table[(s, net.L, j)] = bp1_jacobian(net, s, j)
        for l in range(net.L - 1, 1, -1):
            for j in range(1, net.width(l) + 1):
                table[(s, l, j)] = bp2(net, lookup, s, l, j)
    return table


def gradients(net: Network) -> dict[se.Symbol, se.Basic]:
    """∂C/∂θ for every parameter by BP3 and BP4 on the backward pass: route B in full."""
    table = deltas(net)

    def delta(s: int, l: int, j: int) -> se.Basic:
        return table[(s, l, j)]

    out = {}
    for kind, key, sym in net.parameters:
        out[sym] = bp3(net, delta, *key) if kind == "b" else bp4(net, delta, *key)
    return out
