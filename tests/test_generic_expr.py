"""The canonical form of sums over symbolic widths: each of its rules, and its soundness.

Soundness is checked against concrete values: a random expression and its canonical form,
instantiated on a network, must be the same expression in the network's atoms.
"""
import random

import pytest

from symbp.chain import Direct
from symbp.generic.expr import (KD, Atom, Sum, add, from_canonical, mul, neg, normalize, num)
from symbp.generic.instances import Instance
from symbp.network import NetworkSpec, build_network
from symbp.prove import is_identity

l, up, down = ("l", 0), ("l", 1), ("l", -1)
RANGES = {"j": (l, 1), "k": (down, 1)}


def w(i, k, layer=up):
    return Atom("w", layer, (i, k))


def d(i, layer=up):
    return Atom("delta", layer, (i,))


def test_bound_names_do_not_matter():
    one = Sum("p", up, mul(w("p", "j"), d("p")))
    other = Sum("q", up, mul(d("q"), w("q", "j")))
    assert normalize(one, RANGES) == normalize(other, RANGES)


def test_a_factor_that_does_not_depend_on_the_bound_index_moves_out():
    s = Atom("dsig", l, ("j",))
    inside = Sum("p", up, mul(s, w("p", "j"), d("p")))
    outside = mul(s, Sum("p", up, mul(w("p", "j"), d("p"))))
    assert normalize(inside, RANGES) == normalize(outside, RANGES)


def test_a_constant_summed_n_times():
    c = normalize(Sum("p", up, Atom("dsig", l, ("j",))), RANGES)
    assert c == normalize(mul(Atom("n", up), Atom("dsig", l, ("j",))), RANGES)


def test_kronecker_summation_and_its_range():
    assert normalize(Sum("p", l, mul(KD("p", "j"), d("p", l))), RANGES) == \
        normalize(d("j", l), RANGES)
    # j is a unit of layer l, p one of layer l+1: δ_{pj} is not summed out
    kept = normalize(Sum("p", up, mul(KD("p", "j"), d("p"))), RANGES)
    assert kept != normalize(d("j"), RANGES) and kept
    # δ_{p0} vanishes when p starts at 1 and picks a_0 = 1 when p starts at 0
    assert normalize(Sum("p", down, mul(KD("p", 0), Atom("a", down, ("p",)))), RANGES) == {}
    assert normalize(Sum("p", down, mul(KD("p", 0), Atom("a", down, ("p",))), 0), RANGES) == \
        normalize(num(1), RANGES)


def test_like_terms_cancel():
    e = add(Sum("p", up, w("p", "j")), neg(Sum("q", up, w("q", "j"))))
    assert normalize(e, RANGES) == {}


def _random_expr(rng, depth=0):
    leaves = [lambda: w("j", "j", up),
              lambda: Atom("dsig", l, ("j",)), lambda: d("j", l),
              lambda: Atom("a", down, ("k",)), lambda: num(rng.randint(-3, 3)),
              lambda: KD("j", "j")]
    kind = rng.random()
    if depth > 2 or kind < 0.35:
        return rng.choice(leaves)()
    if kind < 0.55:
        return add(_random_expr(rng, depth + 1), _random_expr(rng, depth + 1))
    if kind < 0.75:
        return mul(_random_expr(rng, depth + 1), _random_expr(rng, depth + 1))
    name = f"p{depth}"
    # a bound unit of layer l+1 (a weight's row, a δ) or of layer l (an activation, a δ_{pj})
    body, layer = rng.choice([(w(name, "j"), up), (d(name), up), (KD(name, "j"), l),
                              (Atom("a", l, (name,)), l)])
    return Sum(name, layer, mul(body, _random_expr(rng, depth + 1)))


@pytest.mark.parametrize("layers", [(2, 3, 2), (3, 1, 4, 2)])
def test_the_canonical_form_is_the_same_value_at_concrete_sizes(layers):
    net = build_network(NetworkSpec(layers))
    direct = Direct(net)
    rng = random.Random(7)
    tried = 0
    for _ in range(60):
        e = _random_expr(rng)
        canonical = from_canonical(normalize(e, RANGES), RANGES)
        for j in range(1, layers[1] + 1):
            inst = Instance(net, direct, {"L": len(layers), "l": 2}, {"j": j, "k": 1})
            try:
                left = inst(e)
            except LookupError:
                continue                     # an index past a layer's width at this size
            tried += 1
            assert is_identity(left - inst(canonical)), (str(e), str(canonical))
    assert tried > 50
