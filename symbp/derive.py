"""The worked derivation of backpropagation on one network, built as checked steps.

For each chosen parameter θ: ∂C/∂θ taken apart by the chain rule into local partials, each local
partial evaluated, the products recognised as δ; and δ itself derived layer by layer, from the
output (BP1) down (BP2). Every step is proved on the network as it is built (`symbp.steps.step`);
the four equations in vector form are proved for all instances by `symbp.theorems`.
"""
from __future__ import annotations

import re
import time

import sympy as sp

from symbp.errors import SymbpError
from symbp.network import Network, NetworkSpec, build_network
from symbp.quantities import (Act, Bias, Cost, D, Delta, Meaning, Pre, Prime, Same, Sig,
                              Target, Weight, add, mul)
from symbp.rules import ACTIVATIONS, BIASES, COSTS
from symbp.steps import Block, Derivation, Index, Reason, Step, step
from symbp.theorems import SHORTCUTS, prove_equations

i, j, k, s = (sp.Symbol(name, integer=True, positive=True) for name in "ijks")

#: Above this fan-in a unit's formula is not written out term by term inside a step.
EXPAND_AT_MOST = 4
#: How many valid parameter names an error message lists before it says "and N more".
LIST_AT_MOST = 40


def _range(count: int) -> str:
    """The units {2} to {3} of a layer of `count` units, in words: the one, both, or a range."""
    return {1: "{2}", 2: "{2} and {3}"}.get(count, "{2}, $\\dots$, {3}")


# -- choosing parameters ---------------------------------------------------------------------------
def _plain(name: str) -> str:
    return re.sub(r"[\s{}]", "", name)


def parameter(net: Network, text: str) -> sp.Expr:
    """The quantity a `--param` text names (`w^2_{11}`, `w^{2}_{1,1}`, `b^3_1`)."""
    names: dict[str, sp.Expr] = {}
    for kind, key, sym in net.parameters:
        q = Weight(*key) if kind == "w" else Bias(*key)
        names[_plain(str(sym))] = q
        names.setdefault(_plain(str(sym)).replace(",", ""), q)   # w^2_{1,1} also as w^2_11
        if kind == "w":
            names.setdefault(_plain(f"w^{key[0]}_{key[1]},{key[2]}"), q)
    found = names.get(_plain(text))
    if found is not None:
        return found
    valid = [str(sym) for _, _, sym in net.parameters]
    shown = ", ".join(valid[:LIST_AT_MOST])
    more = f" and {len(valid) - LIST_AT_MOST} more" if len(valid) > LIST_AT_MOST else ""
    raise SymbpError(f"--param: '{text}' names no parameter of this network "
                     f"(valid: {shown}{more})")


def default_parameters(net: Network) -> list[sp.Expr]:
    """One parameter of each kind per layer: w^l_{11}, and the bias of unit 1 (b^l_1 or w^l_{10})."""
    chosen = []
    for l in range(2, net.L + 1):
        chosen.append(Weight(l, 1, 1))
        if (l, 1) in net.b:
            chosen.append(Bias(l, 1))
        elif (l, 1, 0) in net.w:
            chosen.append(Weight(l, 1, 0))
    return chosen


# -- the builder -------------------------------------------------------------------------------
class _Builder:
    """Builds the blocks of one derivation; `m` evaluates and the prover checks every step."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.m = Meaning(net)
        many = net.spec.samples > 1
        self.s = s if many else sp.Integer(1)
        self.over_s: tuple[Index, ...] = ((s, 1, net.spec.samples),) if many else ()
        self.C = Cost(s) if many else Cost()

    def step(self, lhs, rhs, reason: Reason, over=(), name: str | None = None) -> Step:
        return step(lhs, rhs, reason, self.m, tuple(over), name)

    # -- pieces shared by the blocks ------------------------------------------------------------
    def activation_partial(self, l: int, unit) -> list[Step]:
        """∂a^l_j/∂z^l_j = σ'(z^l_j), then σ' by the activation's rule where it has one."""
        a, z, prime = Act(l, unit, self.s), Pre(l, unit, self.s), Prime(l, unit, self.s)
        over = ((unit, 1, self.net.width(l)),) + self.over_s
        steps = [self.step(D(a, z), prime, Reason("differentiating {0} = {1}",
                                                  (a, Sig(l, unit, self.s))), over)]
        act = ACTIVATIONS[self.net.activation(l)]
        if act.derivative is not None:
            rule = act.derivative(z, a)
            steps.append(self.step(prime, rule, Reason(f"the rule ${act.derivative_latex}$"),
                                   over))
        return steps

    def expanded_pre(self, l: int, unit: int) -> sp.Expr | None:
        """z^l_j written out term by term, or None for a wide layer."""
        fan_in = self.net.width(l - 1)
        if fan_in > EXPAND_AT_MOST:
            return None
        bias = BIASES[self.net.spec.bias]
        terms = [Weight(l, unit, 0)] if bias.unit else []
        terms += [mul(Weight(l, unit, kk), Act(l - 1, kk, self.s)) for kk in range(1, fan_in + 1)]
        if bias.sign:
            terms.append(bias.sign * Bias(l, unit) if bias.sign < 0 else Bias(l, unit))
        return add(*terms)

    def cost_gradient(self, unit) -> sp.Expr:
        """(∇_a C)_j as the cost's rule writes it, in a^L_j and y_j."""
        a, y = sp.Symbol("_a"), sp.Symbol("_y")
        rule = COSTS[self.net.spec.cost].gradient([a], [y], self.net.spec.scale)[0]
        return rule.xreplace({a: Act(self.net.L, unit, self.s), y: Target(unit, self.s)})

    # -- δ at the output: BP1 -----------------------------------------------------------------
    def output_block(self) -> Block:
        L, n, C, sm = self.net.L, self.net.width(self.net.L), self.C, self.s
        over = ((j, 1, n),) + self.over_s
        delta, z = Delta(L, j, sm), Pre(L, j, sm)
        block = Block(Reason("The output error {0}", (delta,)))
        if self.net.activation(L) == "softmax":
            return self._softmax_output(block, over)
        a = Act(L, j, sm)
        block.steps += [
            self.step(delta, D(C, z), Reason("definition of {0}", (delta,)), over),
            self.step(D(C, z), mul(D(C, a), D(a, z)),
                      Reason("chain rule: {0} reaches {1} only through {2}", (z, C, a)), over),
            self.step(D(C, a), self.cost_gradient(j),
                      Reason("differentiating the cost $C$ above"), over),
        ]
        block.steps += self.activation_partial(L, j)
        block.steps += [self.step(delta, mul(self.cost_gradient(j), Prime(L, j, sm)),
                                  Reason("the chain above, its local partials evaluated"), over,
                                  name="BP1")]
        if self._shortcut():
            block.steps.append(self.step(mul(self.cost_gradient(j), Prime(L, j, sm)),
                                         add(Act(L, j, sm), -Target(j, sm)),
                                         Reason("with the rule for {0}", (Prime(L, j, sm),)),
                                         over))
        return block

    def _shortcut(self) -> bool:
        """Whether δ^L = a^L - y holds outright (no side condition) for this output and cost."""
        key = (self.net.activation(self.net.L), self.net.spec.cost)
        return key in SHORTCUTS and SHORTCUTS[key] is None and \
            (key[1] != "quadratic" or self.net.spec.scale == sp.Rational(1, 2))

    def _softmax_output(self, block: Block, over) -> Block:
        L, n, C, sm = self.net.L, self.net.width(self.net.L), self.C, self.s
        delta, z = Delta(L, j, sm), Pre(L, j, sm)
        ai = Act(L, i, sm)
        jacobian = mul(ai, add(Same(i, j), -Act(L, j, sm)))
        both = ((i, 1, n), (j, 1, n)) + self.over_s
        through = sp.Sum(mul(D(C, ai), D(ai, z)), (i, 1, n))
        block.steps += [
            self.step(delta, D(C, z), Reason("definition of {0}", (delta,)), over),
            self.step(D(C, z), through,
                      Reason("chain rule: {0} reaches {1} through every {2}", (z, C, ai)), over),
            self.step(D(C, ai), self.cost_gradient(i), Reason("differentiating the cost $C$ above"),
                      ((i, 1, n),) + self.over_s),
            self.step(D(ai, z), jacobian, Reason("differentiating the softmax {0}", (ai,)), both),
            self.step(delta, sp.Sum(mul(self.cost_gradient(i), jacobian), (i, 1, n)),
                      Reason("the chain above, its local partials evaluated"), over,
                      name="BP1 (Jacobian)"),
        ]
        return block

    # -- δ in a hidden layer: BP2 -----------------------------------------------------------------
    def hidden_block(self, l: int) -> Block:
        n, up, C, sm = self.net.width(l), self.net.width(l + 1), self.C, self.s
        over = ((j, 1, n),) + self.over_s
        pairs = ((k, 1, up), (j, 1, n)) + self.over_s
        delta, z, a, z_up = Delta(l, j, sm), Pre(l, j, sm), Act(l, j, sm), Pre(l + 1, k, sm)
        w = Weight(l + 1, k, j)
        block = Block(Reason("The error {0} in layer {1}", (delta, sp.Integer(l))))
        through = sp.Sum(mul(D(C, z_up), D(z_up, z)), (k, 1, up))
        block.steps += [
            self.step(delta, D(C, z), Reason("definition of {0}", (delta,)), over),
            self.step(D(C, z), through,
                      Reason("chain rule: {0} reaches {1} only through " + _range(up),
                             (z, C, Pre(l + 1, 1, sm), Pre(l + 1, up, sm))), over),
            self.step(D(z_up, a), w, Reason("differentiating {0}: only the term {1} depends "
                                            "on {2}", (z_up, mul(w, a), a)), pairs),
        ]
        block.steps += self.activation_partial(l, j)
        block.steps += [self.step(D(z_up, z), mul(D(z_up, a), D(a, z)),
                                  Reason("chain rule: {0} reaches {1} only through {2}",
                                         (z, z_up, a)), pairs),
                        self.step(mul(D(z_up, a), D(a, z)), mul(w, Prime(l, j, sm)),
                                  Reason("the local partials above"), pairs)]
        recognised = sp.Sum(mul(Delta(l + 1, k, sm), w, Prime(l, j, sm)), (k, 1, up))
        block.steps += [
            self.step(delta, recognised,
                      Reason("the chain above, with {0} and the local partial evaluated",
                             (Delta(l + 1, k, sm),)), over),
            self.step(recognised, mul(sp.Sum(mul(w, Delta(l + 1, k, sm)), (k, 1, up)),
                                      Prime(l, j, sm)),
                      Reason("{0} does not depend on {1}", (Prime(l, j, sm), k)), over,
                      name="BP2"),
        ]
        return block

    # -- one parameter: BP3 / BP4 -----------------------------------------------------------------
    def parameter_block(self, theta: sp.Expr) -> Block:
        l, unit = int(theta.args[0]), int(theta.args[1])
        C1 = self.C
        z, delta = Pre(l, unit, self.s), Delta(l, unit, self.s)
        block = Block(Reason("The gradient {0}", (D(Cost(), theta),)))
        local = self._local_value(theta)
        name = "BP4" if isinstance(theta, Weight) and theta.args[2] != 0 else "BP3"
        many = self.net.spec.samples > 1
        block.steps += [
            self.step(D(C1, theta), mul(D(C1, z), D(z, theta)),
                      Reason("chain rule: {0} reaches {1} only through {2}", (theta, C1, z)),
                      self.over_s),
            self.step(mul(D(C1, z), D(z, theta)), mul(delta, D(z, theta)),
                      Reason("definition of {0}", (delta,)), self.over_s),
        ]
        block.steps += self._local_pre(theta, z)
        final = self._recognised(theta, delta, local)
        block.steps.append(self.step(D(C1, theta), final,
                                     Reason("the chain above, its local partial evaluated"),
                                     self.over_s, None if many else name))
        if many:
            n = self.net.spec.samples
            mean = sp.Rational(1, n)
            block.steps += [
                self.step(D(Cost(), theta), mul(mean, sp.Sum(D(C1, theta), (s, 1, n))),
                          Reason("$C$ is the mean of the costs of the samples")),
                self.step(mul(mean, sp.Sum(D(C1, theta), (s, 1, n))),
                          mul(mean, sp.Sum(final, (s, 1, n))),
                          Reason("the gradient of each sample above"), name=name),
            ]
        return block

    def _local_value(self, theta: sp.Expr) -> sp.Expr:
        if isinstance(theta, Bias):
            return sp.Integer(BIASES[self.net.spec.bias].sign)
        l, _, col = (int(a) for a in theta.args)
        return sp.Integer(1) if col == 0 else Act(l - 1, col, self.s)

    def _recognised(self, theta, delta, local) -> sp.Expr:
        if local == 1:
            return delta
        if local == -1:
            return -delta
        return mul(local, delta)

    def _local_pre(self, theta: sp.Expr, z: sp.Expr) -> list[Step]:
        """∂z^l_j/∂θ, through z^l_j written out when the layer is narrow enough."""
        l, unit = int(theta.args[0]), int(theta.args[1])
        value = self._local_value(theta)
        expanded = self.expanded_pre(l, unit)
        if expanded is None:
            return [self.step(D(z, theta), value,
                              Reason("differentiating the definition of {0}", (z,)), self.over_s)]
        return [self.step(D(z, theta), D(expanded, theta),
                          Reason("definition of {0}", (z,)), self.over_s),
                self.step(D(expanded, theta), value,
                          Reason("only one term depends on {0}", (theta,)), self.over_s)]


def derive(spec: NetworkSpec, parameters: list[str] | None = None, *,
           net: Network | None = None, equations: bool = True) -> Derivation:
    """The checked derivation of ∂C/∂θ for the chosen parameters (default: one of each kind per
    layer) and the four equations proved for every instance."""
    start = time.perf_counter()
    net = net or build_network(spec)
    chosen = [parameter(net, p) for p in parameters] if parameters else default_parameters(net)
    chosen = list(dict.fromkeys(chosen))
    b = _Builder(net)
    lowest = min(int(t.args[0]) for t in chosen)
    blocks = [b.output_block()] + [b.hidden_block(l) for l in range(net.L - 1, lowest - 1, -1)]
    blocks += [b.parameter_block(t) for t in chosen]
    results = prove_equations(spec, net=net) if equations else []
    return Derivation(spec, chosen, blocks, results, time.perf_counter() - start)
