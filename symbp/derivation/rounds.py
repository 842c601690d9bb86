"""Worked examples over rounds of training: a claim about the values after k steps of
gradient descent from the file's `values` (Mazur: the error after one round, and after 10,000).

The steps use the gradients of the file's cost that symbp derives symbolically (route A, the
chain rule on the composed definitions), every trained parameter updated at once from the old
values. A few rounds run in 50-digit arithmetic; more run compiled, in float64; the reading
says which, so a printed digit is never compared against noise it cannot see.
"""
from __future__ import annotations

import mpmath
import symengine as se
import sympy as sp

from symbp.derivation.evaluate import Evaluator
from symbp.engine import to_engine, to_sympy
from symbp.errors import SymbpError
from symbp.notation import ast as A

#: Up to this many rounds, 50-digit arithmetic; beyond, compiled float64.
PRECISE_ROUNDS = 10
DIGITS = 50


def after_rounds(ev: Evaluator, trained: list[A.Ref], rounds: int) -> tuple[dict, str]:
    """The file's `values` with each trained parameter replaced by its value after `rounds`
    steps p <- p - rate * dC/dp, and the reading that says how they were computed."""
    ctx = ev.ctx
    if ctx.cost is None:
        raise SymbpError("`rounds` needs a cost to descend: define one, or name it with `cost`")
    cost = ev.ev(ctx.cost, {}, {})
    rate = ev.ev(ctx.rate, {}, {})
    params = [ev.ev(ref, {}, {}) for ref in trained]
    values = dict(ctx.values)
    for ref, p in zip(trained, params):
        if not isinstance(p, se.Symbol) or to_sympy(p) not in values:
            raise SymbpError(f"`trained` names {ref.name}, which needs a number in `values`",
                             column=1)
    if not isinstance(rate, se.Basic) or to_sympy(rate).xreplace(values).free_symbols:
        raise SymbpError("`rounds` needs the learning rate's number in `values` (η, or the "
                         "`rate` key's name)", column=1)
    names = [to_sympy(p) for p in params]
    held = {s: v for s, v in values.items() if s not in set(names)}
    grads = [to_sympy(se.diff(cost, p)).xreplace(held) for p in params]
    eta = sp.N(to_sympy(rate).xreplace(values), DIGITS)
    loose = set().union(*(g.free_symbols for g in grads)) - set(names)
    if loose:
        raise SymbpError("no number in `values` for "
                         f"{', '.join(sorted(str(s) for s in loose))}", column=1)
    start = [values[n] for n in names]
    if rounds <= PRECISE_ROUNDS:
        final = _precise(grads, names, start, eta, rounds)
        how = f"in {DIGITS}-digit arithmetic"
    else:
        final = _compiled(grads, names, start, float(eta), rounds)
        how = "compiled, in float64 (double precision)"
    values.update(zip(names, final))
    parameters = ", ".join(str(n) for n in names)
    return values, (f"the values after {rounds} round{'s' * (rounds != 1)} of gradient descent "
                 f"on {ctx.cost.name} (rate {sp.N(eta, 6)}; {parameters} updated together "
                 f"from the symbolic gradients, everything else as in `values`), computed {how}")


def _precise(grads: list[sp.Expr], names: list[sp.Symbol], start: list, eta, rounds: int):
    point = [sp.N(v, DIGITS) for v in start]
    for _ in range(rounds):
        at = dict(zip(names, point))
        steps = [sp.N(g.xreplace(at), DIGITS) for g in grads]
        point = [p - eta * s for p, s in zip(point, steps)]
    return point


def _compiled(grads: list[sp.Expr], names: list[sp.Symbol], start: list, eta: float,
              rounds: int):
    """Lambdified by the engine (no generated Python source); float64 throughout."""
    args = [se.Symbol(f"_p{i}") for i in range(len(names))]
    engine = [to_engine(g.xreplace(dict(zip(names, (to_sympy(a) for a in args)))))
              for g in grads]
    fn = se.Lambdify(args, engine, real=True)
    point = [float(v) for v in start]
    for _ in range(rounds):
        step = fn(point)
        point = [p - eta * float(s) for p, s in zip(point, step)]
    return [sp.Float(mpmath.mpf(p), 17) for p in point]
