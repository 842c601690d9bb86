"""Generators of hostile input for the fuzz tests and the scale run (benchmarks/fuzz_scale.py):
formulas built from the notation's own pieces, derivation files, and mutations of real files."""
from __future__ import annotations

import random

PIECES = [r"\delta^l_j", r"\delta^L_j", "z^l_j", "a^{l-1}_k", "w^l_{jk}", "w^{l+1}_{kj}", "b^l_j",
          "x_1", "y_j", "C", r"\sigma(z^l_j)", r"\sigma'(z^L_j)", r"\sigma^\prime(z^l_j)",
          r"\frac{\partial C}{\partial z^l_j}", r"\frac{\partial C}{\partial b^l_j}",
          r"\nabla_a C", "a^L", r"(w^{l+1})^T", r"\odot", r"\sum_k", r"\sum_{k=1}^{4096}",
          "e^{z^L_j}", r"\tanh(z^l_j)", r"\sqrt{2}", r"\frac{1}{0}", "0^{z^L_k}", "10^{10^{10}}",
          "1.0", "0.5", "-", "+", r"\cdot", "(", ")", "{", "}", "^", "_", "^{-1}", "^T", r"\|",
          r"\ln", r"\log", r"\exp", r"\max", r"\mathcal{\input}", r"\input{/etc/hostname}",
          "\x00", "\x1b[31m", "\u202e", "\n", "ő", "σ", "=", r"\approx", r"\le", "2", "3",
          r"\begin{cases}", r"\end{cases}", "&", r"\\", r"\text{if output neuron}",
          r"\text{otherwise}", "l = L", r"[x^{(1)} \; x^{(2)} \; \ldots \; x^{(m)}]",
          r"\begin{bmatrix}", r"\end{bmatrix}", r"x^{(i)}_k", "X_{ki}", "w_1^{+}", r"\vdots",
          "np.sum(", "np.dot(", "np.einsum(", ", axis=1", ", keepdims=True", ", axis=7", ".T",
          ".dot(", r"\text{np.sum}", r"\cdots", r"w_1 x_1 + \cdots + w_n x_n", r"\equiv",
          r"\mathbf{dw}", "a_{y_i}", r"\mathbb{1}(y_i = k)", r"[a_1, a_2, \ldots, a_m]"]

NETWORK = r"""layers = [2, 3, 2]
define = [
  'a^1_j = x_j',
  'z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j',
  'a^l_j = \sigma(z^l_j)',
  'C = \frac{1}{2} \sum_j (y_j - a^L_j)^2',
  '\delta^l_j = \frac{\partial C}{\partial z^l_j}',
]
"""

GOOD = [r"\delta^L_j = (a^L_j - y_j) \sigma^\prime(z^L_j)",
        r"\frac{\partial C}{\partial b^l_j} = \delta^l_j",
        r"\delta^L_j = (a^L_j - y_j)"]


def formula(rng: random.Random) -> str:
    """A formula of random pieces, usually with one `=`."""
    n = rng.randint(1, 12)
    parts = [rng.choice(PIECES) for _ in range(n)]
    if rng.random() < 0.8:
        parts.insert(rng.randint(0, len(parts)), "=")
    return " ".join(parts)


def toml_literal(text: str) -> str:
    """`text` as a TOML basic string (every control character escaped)."""
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7f:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def claims_file(formulas: list[str], names: list[str] | None = None) -> str:
    names = names or [f"c{n}" for n in range(len(formulas))]
    body = NETWORK
    for name, f in zip(names, formulas):
        body += f"[[claim]]\nname = {toml_literal(name)}\nlatex = {toml_literal(f)}\n"
    return body


def mutate(text: str, rng: random.Random) -> str:
    """A real file with a few random edits: bytes deleted, duplicated, swapped or inserted."""
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        if not chars:
            break
        i = rng.randrange(len(chars))
        kind = rng.random()
        if kind < 0.3:
            del chars[i:i + rng.randint(1, 8)]
        elif kind < 0.5:
            chars[i:i] = chars[i:i + rng.randint(1, 40)]
        elif kind < 0.7:
            chars[i] = rng.choice("[]{}='\"\\\n#,.0123456789_^ ")
        else:
            chars[i:i] = list(rng.choice(PIECES + ["[[claim]]\n", "values = { x_1 = 'abc' }\n",
                                                   "layers = [[8,8,8,8,8,8,8,8]]\n"]))
    return "".join(chars)
