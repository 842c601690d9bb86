"""Every step of every generic proof, re-checked at concrete sizes without the generic rules.

Widths 1–4, depths 2–4; each step's sides are instantiated on the network (route A for ∂C/∂·,
the engine's diff for any other ∂) and compared exactly. A wrong rule put into the table must
be caught here, as autograd tests its gradient checker with a wrong gradient.
"""
from pathlib import Path

import pytest

from symbp.generic import rules as rule_table
from symbp.generic.audit import audit, chain_breaks
from symbp.generic.equations import bp2, claims, delta, l_up, w
from symbp.generic.expr import D, Sum, mul
from symbp.generic.proof import prove_claim
from symbp.generic.verdicts import generic_network, prove_generic

CONFIGURATIONS = [("sigma", "quadratic", "add"), ("sigma", "cross_entropy", "subtract"),
                  ("softmax", "log_likelihood", "unit"), ("sigma,softmax", "quadratic", "none"),
                  ("tanh,sigmoid", "cross_entropy", "add"), ("identity", "quadratic", "subtract")]


def proofs(activation, cost, bias):
    net, acts = generic_network(activation, cost, bias)
    for claim in claims(net):
        yield net, acts, claim, prove_generic(claim, net, acts)


@pytest.mark.parametrize("activation,cost,bias", CONFIGURATIONS)
def test_every_step_holds_on_every_small_network(activation, cost, bias):
    for net, acts, claim, verdict in proofs(activation, cost, bias):
        assert verdict.status == "proved" and verdict.scope == "all-sizes", claim.name
        assert not chain_breaks(claim, verdict)
        checked, failures = audit(claim, verdict, net, acts)
        assert checked >= len(verdict.steps) and not failures, (claim.name, failures[:1])


def test_every_rule_of_the_table_is_used_audited_and_documented():
    used = {step.rule for config in CONFIGURATIONS for *_, v in proofs(*config)
            for step in v.steps}
    unused = set(rule_table.RULES) - used - {"scalar identity"}
    assert not unused
    doc = (Path(__file__).parent.parent / "docs" / "generic-proofs.md").read_text()
    assert all(f"**{name}**" in doc for name in rule_table.RULES)


def _sigma_prime_is_one(node, net):
    """A wrong activation rule: ∂a/∂v = ∂z/∂v, as if σ' were 1."""
    d = rule_table._d(node)
    if d is None or getattr(d.f, "kind", None) != "a" or d.f.layer == rule_table.OUTPUT:
        return None
    return D(rule_table.Atom("z", d.f.layer, d.f.idx), d.v)


def test_a_wrong_rule_proves_a_wrong_equation_and_the_audit_catches_it(monkeypatch):
    name = "activation (chain rule through σ)"
    wrong = rule_table.Rule(name, "wrong", "wrong", _sigma_prime_is_one)
    monkeypatch.setitem(rule_table.RULES, name, wrong)
    net, acts = generic_network("sigma")
    claim = bp2(net, Sum("k", l_up, mul(w(l_up, "k", "j"), delta(l_up, "k"))))   # no σ'
    verdict = prove_claim(claim, net)
    assert verdict.status == "proved"           # the generic prover is fooled by its table ...
    checked, failures = audit(claim, verdict, net, acts)
    assert failures and {f.rule for f in failures} == {name}    # ... the audit is not
    assert "left =" in failures[0].evidence


def _power_rule_without_exponent(node, net):
    """A wrong power rule: ∂(f^n)/∂v = f^{n-1} ∂f/∂v (the factor n forgotten)."""
    d = rule_table._d(node)
    if d is None or not isinstance(d.f, rule_table.Pow):
        return None
    return mul(rule_table.Pow(d.f.base, d.f.exp - 1), D(d.f.base, d.v))


def test_a_wrong_power_rule_is_caught_in_the_softmax_proof(monkeypatch):
    wrong = rule_table.Rule("power rule", "wrong", "wrong", _power_rule_without_exponent)
    monkeypatch.setitem(rule_table.RULES, "power rule", wrong)
    net, acts = generic_network("softmax")
    claim = next(c for c in claims(net) if c.name == "BP1 (Jacobian)")
    verdict = prove_claim(claim, net)
    checked, failures = audit(claim, verdict, net, acts)
    assert {f.rule for f in failures} == {"power rule"}


@pytest.mark.parametrize("cost", ["quadratic", "cross_entropy", "log_likelihood"])
def test_each_table_cost_is_the_sum_of_its_one_unit_form(cost):
    """The generic proof reads C as Σ_i f(a_i, y_i) with f the table's form on one unit."""
    import sympy as sp
    from symbp.generic.expr import A, Y
    from symbp.rules import COSTS
    net, _ = generic_network("sigma", cost)
    f = net.cost_term("i").form
    for n in range(1, 5):
        a, y = sp.symbols(f"a1:{n + 1}"), sp.symbols(f"y1:{n + 1}")
        whole = COSTS[cost].form(list(a), list(y), net.scale)
        parts = sum(f.subs({A: ai, Y: yi}) for ai, yi in zip(a, y))
        assert sp.expand(whole - parts) == 0


def test_the_exact_point_check_alone_catches_a_wrong_step(monkeypatch):
    """With the symbolic comparison switched off, the random exact rational point still fails."""
    from symbp.generic import audit as audit_module
    name = "activation (chain rule through σ)"
    monkeypatch.setitem(rule_table.RULES, name,
                        rule_table.Rule(name, "wrong", "wrong", _sigma_prime_is_one))
    monkeypatch.setattr(audit_module, "is_identity", lambda difference: "trusted")
    net, acts = generic_network("sigma")
    claim = bp2(net, Sum("k", l_up, mul(w(l_up, "k", "j"), delta(l_up, "k"))))
    checked, failures = audit(claim, prove_claim(claim, net), net, acts)
    assert failures and {f.rule for f in failures} == {name}
