"""The general derivation of BP1–BP4 as a LaTeX document: every line a checked step, its rule named.

Only symbp's own expressions reach math mode (index names are symbp's, never user text); every
piece of running text goes through `escape`.
"""
from __future__ import annotations

import re

import sympy as sp

from symbp.generic.expr import (A, KD, Y, Add, Atom, D, Expr, Layer, Mul, Num, Pow, Scalar, Sum,
                                layer_text)
from symbp.generic.proof import PROVED, GenericVerdict
from symbp.generic.rules import RULES
from symbp.printing.latex import escape
from symbp.printing.latex_document import PRE_ACTIVATIONS, document

_NAME = re.compile(r"^([a-z])(\d*)$")


def _index(i) -> str:
    if isinstance(i, int):
        return str(i)
    m = _NAME.match(i)
    if not m:
        raise ValueError(f"not an index name: {i!r}")
    return m[1] + (f"_{{{m[2]}}}" if m[2] else "")


def _sub(idx) -> str:
    return "{" + "".join(_index(i) for i in idx) + "}"


def _sup(layer: Layer | None) -> str:
    return "{" + (layer_text(layer) if layer else "") + "}"


def _atom(e: Atom) -> str:
    s, i = _sup(e.layer), _sub(e.idx)
    return {
        "w": f"w^{s}_{i}", "b": f"b^{s}_{i}", "a": f"a^{s}_{i}", "z": f"z^{s}_{i}",
        "y": f"y_{i}", "dsig": f"\\sigma'(z^{s}_{i})", "delta": f"\\delta^{s}_{i}",
        "grad": f"(\\nabla_a C)_{i}", "E": f"e^{{z^{s}_{i}}}", "S": f"S^{s}", "n": f"n_{s}",
        "C": "C",
    }[e.kind]


def _scalar_name(name: str) -> str:
    return {"f": "f", "g": "g", "∂_1f": r"\partial_1 f"}.get(name, "h")


def latex(e: Expr) -> str:
    """One generic expression in LaTeX."""
    if isinstance(e, Num):
        v = e.value
        return str(v.numerator) if v.denominator == 1 else \
            f"{'-' if v < 0 else ''}\\frac{{{abs(v.numerator)}}}{{{v.denominator}}}"
    if isinstance(e, Atom):
        return _atom(e)
    if isinstance(e, Scalar):
        i = _sub(e.idx)
        return f"{_scalar_name(e.name)}(a^{_sup(e.layer)}_{i}, y_{i})"
    if isinstance(e, KD):
        return f"\\delta_{{{_index(e.i)}{_index(e.j)}}}"
    if isinstance(e, Add):
        out = latex(e.terms[0])
        for t in e.terms[1:]:
            s = latex(t)
            out += f" - {s[1:]}" if s.startswith("-") else f" + {s}"
        return out
    if isinstance(e, Mul):
        parts, sign = [], ""
        for n, f in enumerate(e.factors):
            if n == 0 and f == Num(-1):
                sign = "-"
                continue
            s = latex(f)
            parts.append(f"\\left({s}\\right)" if isinstance(f, (Add, Sum)) and
                         (len(e.factors) > 1 and f is not e.factors[-1] or isinstance(f, Add))
                         else s)
        return sign + "\\, ".join(parts)
    if isinstance(e, Pow):
        s = latex(e.base)
        wrap = isinstance(e.base, (Add, Mul)) or "^" in s
        return (f"\\left({s}\\right)" if wrap else s) + f"^{{{e.exp}}}"
    if isinstance(e, Sum):
        return (f"\\sum_{{{_index(e.index)}={e.lower}}}^{{n_{_sup(e.layer)}}} "
                f"{latex(e.body)}")
    if isinstance(e, D):
        v = latex(e.v)
        if isinstance(e.f, Atom):
            return f"\\frac{{\\partial {latex(e.f)}}}{{\\partial {v}}}"
        return f"\\frac{{\\partial}}{{\\partial {v}}}\\left({latex(e.f)}\\right)"
    raise TypeError(repr(e))


def _rule(name: str) -> str:
    return f"\\text{{({escape(name)})}}"


def proof_lines(v: GenericVerdict) -> str:
    """The align* body of one proof: the left side's chain, then the right side's."""
    rows = []
    for side in ("left", "right"):
        steps = [s for s in v.steps if s.side == side]
        if not steps:
            continue
        rows.append(f"{latex(steps[0].before)} &= {latex(steps[0].after)} && {_rule(steps[0].rule)}")
        rows += [f"&= {latex(s.after)} && {_rule(s.rule)}" for s in steps[1:]]
        rows[-1] += "\\\\[0.6em]"
    for s in v.steps:
        if s.side == "both":
            rows.append(f"{latex(s.before)} &= {latex(s.after)} && {_rule(s.rule)}")
    return " \\\\\n".join(rows)


#: Each equation's statement as a textbook prints it.
STATEMENTS = {
    "grad_a C": r"\frac{\partial C}{\partial a^L_j} = g(a^L_j, y_j)",
    "BP1": r"\delta^L = \nabla_a C \odot \sigma'(z^L)",
    "BP1 (Jacobian)": r"\delta^L = J_\sigma(z^L)^T \nabla_a C",
    "BP2": r"\delta^l = ((W^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)",
    "BP3": r"\frac{\partial C}{\partial b^l_j} = \delta^l_j",
    "BP3 (-b)": r"\frac{\partial C}{\partial b^l_j} = -\delta^l_j",
    "BP3 (bias unit)": r"\frac{\partial C}{\partial w^l_{j0}} = \delta^l_j",
    "BP4": r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j",
    "δ^L = a^L - y": r"\delta^L = a^L - y",
}


def equation_section(v: GenericVerdict) -> str:
    statement = STATEMENTS.get(v.name)
    head = (f"\\subsection*{{{escape(v.name)}: ${statement}$}}\n" if statement else
            f"\\subsection*{{{escape(v.name)}: {escape(v.statement)}}}\n")
    where = f"For ${escape_math(v.where)}$.\n\n" if v.where and "≤" in v.where else ""
    if v.status == PROVED and v.steps:
        body = ("\\begin{align*}\n" + proof_lines(v) + "\n\\end{align*}\n"
                "Both sides reach the same canonical form, so the equation holds for every "
                "width $n_1, \\dots, n_L$ and every depth $L \\ge 2$.\n")
        if v.name == "grad_a C":
            body += f"\nHere $g$ is the cost's rule for $\\nabla_a C$ on one unit.\n"
        return head + where + body
    if v.status == PROVED:
        return head + f"Proved as {escape(v.where or 'a scalar identity')}.\n"
    text = f"Not proved for every size: {escape(v.status)}"
    if v.network:
        text += f" on the network {escape(str(v.network))} at {escape(v.instance or '')}"
    if v.diagnosis:
        text += f". Diagnosis: {escape(v.diagnosis)}"
    if v.concrete is not None and v.concrete.counterexample:
        text += f". Counterexample: {escape(str(v.concrete.counterexample))}"
    if v.reason:
        text += f". {escape(v.reason)}"
    return head + where + text + ".\n"


def escape_math(statement: str) -> str:
    """A statement of symbp's equation table, in math mode (its own text, escaped anyway)."""
    from symbp.printing.latex import unicode_math
    safe = re.sub(r"[^\w\s^_{}()'=+\-/,.<>≤·⊙∂∇σδΣ]", "", statement)
    return re.sub(r"_\{?([a-zA-Z0-9+\-]+)\}?", r"_{\1}", unicode_math(safe))


def rule_table() -> str:
    rows = [f"\\item \\textbf{{{escape(r.name)}}}: ${r.latex}$" for r in RULES.values()]
    return "\\begin{itemize}\n" + "\n".join(rows) + "\n\\end{itemize}\n"


def generic_document(verdicts: list[GenericVerdict], activation: str, cost: str, bias: str,
                     cost_form: sp.Expr) -> str:
    """The standalone document: definitions, the rule table, then each equation's proof."""
    f = sp.latex(cost_form.subs({A: sp.Symbol("a"), Y: sp.Symbol("y")}))
    intro = (
        "\\section*{The network}\n"
        "Any depth $L \\ge 2$ and any widths $n_1, \\dots, n_L$ (symbols, not numbers). "
        f"Activation {escape(activation)}, cost {escape(cost)}, bias {escape(bias)}.\n"
        "\\begin{gather*}\n" + PRE_ACTIVATIONS[bias] + ", \\qquad a^l_j = \\sigma(z^l_j), \\qquad "
        "a^1_k = x_k,\\\\\n"
        f"C = \\sum_{{i=1}}^{{n_L}} f(a^L_i, y_i),\\quad f(a, y) = {f}, \\qquad "
        "\\delta^l_j = \\frac{\\partial C}{\\partial z^l_j}.\n\\end{gather*}\n"
        "The layer-local lemma: for $l < L$ the cost depends on $z^l$ only through $z^{l+1}$ "
        "(it is a differentiable function of $z^{l+1}_1, \\dots, z^{l+1}_{n_{l+1}}$, whatever "
        "the layers above are), on $z^L$ only through $a^L$, and on the parameters of layer $l$ "
        "only through $z^l$. So one proof covers every depth.\n"
        "\\section*{The rules}\nEvery line below is one rule applied wherever it applies; "
        "symbp's test suite also re-checks every step on concrete networks of widths 1 to 4 "
        "and depths 2 to 4, against direct differentiation (tests/test\\_generic\\_audit.py).\n"
        + rule_table() + "\\section*{The proofs}\n")
    body = intro + "\n".join(equation_section(v) for v in verdicts)
    return document("{\\small\n" + body + "}\n",
                    "Backpropagation for every network",
                    "BP1--BP4 for all widths and depths, step by step")
