"""Shared helpers for the notation and check tests: a tiny file around one formula."""
from __future__ import annotations

import symengine as se

from symbp.check import check_text
from symbp.derivation.build import context_for, prepare
from symbp.derivation.evaluate import Evaluator, Net
from symbp.derivation.read import read_text
from symbp.notation.parser import parse
from symbp.notation.lexicon import build_lexicon
from symbp.notation.resolve import Resolver

NETWORK = """
layers = [[2, 3, 2]]
define = [
  'a^1_j = x_j',
  'z^l_j = \\sum_k w^l_{jk} a^{l-1}_k + b^l_j',
  'a^l_j = \\sigma(z^l_j)',
  'C = \\frac{1}{2} \\sum_j (a^L_j - y_j)^2',
  '\\delta^l_j = \\frac{\\partial C}{\\partial z^l_j}',
  'W^l_{jk} = w^l_{jk}',
]
"""


def toml_claims(*claims: str, header: str = NETWORK, extra: str = "") -> str:
    """A derivation file: `header` plus one [[claim]] per formula (TOML literal strings)."""
    body = "".join(f"\n[[claim]]\nname = 'c{n}'\nlatex = '''{c}'''\n{extra}"
                   for n, c in enumerate(claims, 1))
    return header + body


def verdicts(*claims: str, header: str = NETWORK, **kw) -> list:
    return check_text(toml_claims(*claims, header=header), "t.toml", **kw)


def value(formula: str, env: dict | None = None, header: str = NETWORK):
    """Evaluate one formula (not an equation) in the context of `header` on its first network."""
    text = header + f"\n[[claim]]\nlatex = '''{formula} = 0'''\n"
    prep = prepare(read_text(text, "t.toml"))
    pc = prep.claims[0]
    rel = Resolver(prep.lex, prep.conv).relations(pc.statement)[0][0]
    ctx = context_for(prep, pc, [rel.left])
    sizes = prep.file.layers[0] if prep.file.layers else None
    ev = Evaluator(ctx, Net(sizes, prep.file.first_layer) if sizes else None)
    return ev.ev(rel.left, env or {}, {})


def same(a, b) -> bool:
    """Equal as expressions (expanded difference is zero)."""
    return se.expand(se.sympify(a) - se.sympify(b)) == 0


def ast_of(formula: str):
    """The resolved expression of a formula in an empty, layer-less file."""
    stmt = parse(formula + " = 0")
    lex = build_lexicon([], [stmt], has_layers=True)
    return Resolver(lex).relations(stmt)[0][0].left
