"""Standalone LaTeX documents (amsmath, amssymb, geometry only): a network's derivation, and a
derivation file's definitions and claims with their verdicts.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from symbp.printing.latex import (TextbookLatex, block_ranges, block_rows,
                                  counterexample_text, equation_row, escape, math_or_text, number,
                                  prose, questioned, reason_text, safe_math, sentence,
                                  verdict_text)
from symbp.rules import ACTIVATIONS, BIASES, COSTS

if TYPE_CHECKING:
    from symbp.network import NetworkSpec
    from symbp.steps import Derivation

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath,amssymb}
\usepackage[a4paper,margin=2cm]{geometry}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6em}
"""

#: z^l_j by bias convention, with the range of every sum.
PRE_ACTIVATIONS: dict[str, str] = {
    "add": r"z^l_j = \sum_{k=1}^{n_{l-1}} w^l_{jk}\, a^{l-1}_k + b^l_j",
    "subtract": r"z^l_j = \sum_{k=1}^{n_{l-1}} w^l_{jk}\, a^{l-1}_k - b^l_j",
    "unit": r"z^l_j = \sum_{k=0}^{n_{l-1}} w^l_{jk}\, a^{l-1}_k, \qquad a^{l-1}_0 = 1",
    "none": r"z^l_j = \sum_{k=1}^{n_{l-1}} w^l_{jk}\, a^{l-1}_k",
}

#: Each activation's definition; `{L}` is the output layer's number.
ACTIVATION_FORMS: dict[str, str] = {
    "sigma": r"\sigma \text{ is any differentiable function}",
    "sigmoid": r"\sigma(t) = \frac{1}{1 + e^{-t}}",
    "tanh": r"\tanh(t) = \frac{e^{t} - e^{-t}}{e^{t} + e^{-t}}",
    "relu": r"\mathrm{ReLU}(t) = \max(0, t)",
    "softplus": r"\mathrm{softplus}(t) = \ln(1 + e^{t})",
    "identity": r"\mathrm{id}(t) = t",
    "softmax": r"a^{L}_j = \frac{e^{z^{L}_j}}{\sum_{i=1}^{n_{L}} e^{z^{L}_i}}",
}

#: Each cost for one sample, `{c}` its constant, with the range of its sum.
COST_FORMS: dict[str, str] = {
    "quadratic": r"C = {c} \sum_{j=1}^{n_L} \bigl(a^L_j - y_j\bigr)^2",
    "cross_entropy": r"C = -\sum_{j=1}^{n_L} \bigl[y_j \ln a^L_j + (1 - y_j) \ln(1 - a^L_j)\bigr]",
    "log_likelihood": r"C = -\sum_{j=1}^{n_L} y_j \ln a^L_j",
}


def _scale(spec: NetworkSpec) -> str:
    from sympy import latex
    return latex(spec.scale) if spec.scale != 1 else ""


def definitions(spec: NetworkSpec) -> str:
    """The network in the canonical notation: sizes, forward equations, cost, δ."""
    L = len(spec.layers)
    sizes = ",\\quad ".join(f"n_{{{l}}} = {n}" for l, n in enumerate(spec.layers, start=1))
    acts = list(dict.fromkeys(spec.activations))
    per_layer = len(acts) > 1
    rows = [r"a^1_k &= x_k && k = 1, \dots, n_1",
            PRE_ACTIVATIONS[spec.bias].replace("=", "&=", 1)
            + r" && l = 2, \dots, L,\ j = 1, \dots, n_l"]
    for l, name in enumerate(spec.activations, start=2):
        if name == "softmax":
            rows.append(ACTIVATION_FORMS["softmax"].replace("L", str(L)).replace("=", "&=", 1)
                        + rf" && j = 1, \dots, n_{{{L}}}")
        elif per_layer or l == 2:
            letter = ACTIVATIONS[name].latex
            where = f"l = {l}" if per_layer else r"l = 2, \dots, L"
            rows.append(rf"a^{{{'l' if not per_layer else l}}}_j &= {letter}(z^"
                        rf"{{{'l' if not per_layer else l}}}_j) && {where}")
    cost = COST_FORMS[spec.cost].replace("{c}", _scale(spec)).replace("=", "&=", 1)
    if spec.samples > 1:
        rows.append(rf"C &= \frac{{1}}{{{spec.samples}}} \sum_{{s=1}}^{{{spec.samples}}} C^{{(s)}}"
                    r" && \text{the mean over the samples}")
        cost = cost.replace("C &=", "C^{(s)} &=", 1) + \
            r" && \text{on sample } s:\ a^{(s),L}_j,\ y^{(s)}_j"
    rows.append(cost)
    funcs = [ACTIVATION_FORMS[a] for a in acts if a != "softmax"]
    delta = r"\delta^{(s),l}_j := \frac{\partial C^{(s)}}{\partial z^{(s),l}_j}" \
        if spec.samples > 1 else r"\delta^l_j := \frac{\partial C}{\partial z^l_j}"
    notes = [ACTIVATIONS[a].note for a in acts if a == "relu"]
    out = [
        rf"The network has $L = {L}$ layers of widths ${sizes}$; layer 1 is the input "
        rf"$x$, the targets are $y_1, \dots, y_{{{spec.layers[-1]}}}$.",
        "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}",
        "where " + ", ".join(f"${f}$" for f in funcs) + "." if funcs else "",
        rf"The error of unit $j$ in layer $l$ is $\displaystyle {delta}$, "
        r"the rate at which the cost changes when $z^l_j$ alone is changed.",
    ]
    out += [f"Note: {prose(n)}." for n in notes]
    return "\n\n".join(p for p in out if p)


def _describe(spec: NetworkSpec) -> str:
    acts = ", ".join(dict.fromkeys(spec.activations))
    extra = f", {spec.samples} samples" if spec.samples > 1 else ""
    return (f"layers {'--'.join(str(n) for n in spec.layers)}, activation {escape(acts)}, "
            f"cost {escape(COSTS[spec.cost].name.replace('_', ' '))}, "
            f"bias {escape(BIASES[spec.bias].name)}{extra}")


def derivation_body(d: Derivation) -> str:
    """The derivation: definitions, each block of checked steps, the four equations proved."""
    printer = TextbookLatex(d.spec)
    out = ["\\section*{The network}", definitions(d.spec), "\\section*{The derivation}",
           "Each partial derivative is taken apart by the chain rule into local partial "
           "derivatives; each local partial is evaluated; the products are recognised as "
           "$\\delta$. Every equality below was proved by symbp on this network, for every "
           "value of the indices shown beside it."]
    for block in d.blocks:
        out.append(f"\\subsection*{{{reason_text(block.title, printer)}}}")
        where = block_ranges(block, printer)
        local = block_ranges(block, printer, local=True)
        also = f" (and ${local}$ in the steps where it is not summed over)" if local else ""
        if where:
            out.append(f"For ${where}${also}; each step holds for every one of these values.")
        rows = block_rows(block, printer)
        out.append("\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}")
        out += [_failure(st) for st in block.steps if not st.proved]
    if d.equations:
        out.append("\\section*{The four equations}")
        out.append("In vector form, each proved on this network for every instance (every "
                   "layer, unit and sample) against the derivative of the composed cost:")
        letter = _letter(d.spec)
        rows = [equation_row(r, d.spec.samples, letter) for r in d.equations]
        out.append("\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}")
        out += [f"{prose(r.name)}: holds given {prose(r.condition)}."
                for r in d.equations if r.condition]
        for r in d.equations:
            out += [f"{prose(r.name)} [{prose(label)}]: {verdict_text(v)}"
                    for label, v in r.failures()[:3]]
    steps = d.steps
    total = sum(st.instances for st in steps)
    proved = sum(st.instances for st in steps if st.proved)
    out.append(f"\\medskip\\noindent {len(steps)} displayed steps, {proved} of {total} "
               "instances proved by symbp.")
    return "\n\n".join(out)


def _letter(spec: NetworkSpec) -> str:
    acts = set(spec.activations) - {"softmax"}
    return ACTIVATIONS[acts.pop()].latex if len(acts) == 1 else r"\sigma"


def _failure(st) -> str:
    where = ", ".join(f"${k} = {v}$" for k, v in st.failed_at)
    return f"Not proved{(' at ' + where) if where else ''}: {verdict_text(st.verdict)}."


def document(body: str, title: str, subtitle: str = "") -> str:
    """A complete document around a body."""
    sub = f"\\\\[0.3em]\\large {subtitle}" if subtitle else ""
    return (PREAMBLE + f"\\title{{{title}{sub}}}\n\\date{{}}\n\\author{{}}\n"
            "\\begin{document}\n\\maketitle\n\\vspace{-3em}\n" + body + "\n\\end{document}\n")


def derivation_document(d: Derivation) -> str:
    """The standalone document for a network's derivation."""
    return document(derivation_body(d), "Backpropagation, derived and checked",
                    _describe(d.spec))


# -- derivation files -------------------------------------------------------------------------
VERDICT_WORDS: dict[str, str] = {
    "holds": "holds (proved)", "fails": "fails (refuted)", "undecided": "undecided",
    "error": "could not be read",
}


def claim_section(result) -> str:
    """One claim: the author's formula, the verdict, and for a failure the evidence."""
    name = prose(result.name)                       # y_1^{(in)} in a name: typeset, safely
    shown = safe_math(result.latex.strip())
    if result.verdict == "error" or shown is None:    # shown as its characters, never as TeX
        formula = f"\\begin{{center}}\\texttt{{{escape(result.latex.strip())}}}\\end{{center}}"
    elif result.verdict == "holds":
        formula = f"\\[ {shown} \\]"
    else:
        formula = f"\\[ {questioned(shown)} \\]"
    count = f", over {_plural(result.instances, 'instance')}" if result.instances else ""
    relation = "" if result.verdict == "holds" else \
        " Not proved, so it is shown as a claim ($\\overset{?}{=}$), not as an equality."
    out = [f"\\subsection*{{Claim {name}}}", formula,
           f"Verdict: \\textbf{{{escape(VERDICT_WORDS.get(result.verdict, result.verdict))}}}"
           f"{count}.{relation}"]
    if result.verdict != (result.expect or "holds"):
        out.append(f"\\fbox{{\\textbf{{Not as expected:}} the file expected this claim to "
                   f"{escape(result.expect or 'hold')}.}}")
    elif result.expect:
        out.append(f"As the file expected ({escape(result.expect)}).")
    details = [("Instance", result.instance), ("Link", result.link),
               ("Diagnosis", result.diagnosis), ("Reason", result.reason)]
    out += [f"{k}: {sentence(v)}" for k, v in details if v]
    if result.counterexample and "assignment" in result.counterexample:
        out.append(f"Counterexample: {counterexample_text(result.counterexample)}.")
    elif result.counterexample_text:
        out.append(f"Counterexample: {sentence(result.counterexample_text)}")
    if result.error:
        out.append(f"Error: {sentence(result.error)}")
    if result.note:
        out.append(f"Note: {sentence(result.note)}")
    return "\n\n".join(out)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _formula(text: str) -> str:
    """An author's definition: its allow-listed tokens re-emitted, or its characters as text."""
    shown = safe_math(text.strip())
    return shown if shown is not None else f"\\text{{\\texttt{{{escape(text.strip())}}}}}"


def file_body(df, results: list) -> str:
    """A derivation file: its definitions in the author's notation, then every claim."""
    out = []
    if df.source:
        out.append(f"Source: {sentence(df.source)}")
    if df.note:
        out.append(sentence(df.note))
    if df.layers:
        sizes = "; ".join("--".join(str(n) for n in widths) for widths in df.layers)
        numbered = f" (input layer numbered {df.first_layer})" if df.first_layer_given else ""
        out.append(f"Checked on the networks of widths {sizes}{numbered}.")
    if df.define:
        out.append("\\section*{Definitions}")
        out.append("In the author's notation:")
        out.append("\\begin{gather*}\n" + " \\\\\n".join(_formula(d) for d in df.define)
                   + "\n\\end{gather*}")
    if df.values:
        vals = ",\\quad ".join(f"{math_or_text(k)} = {number(str(v))}" for k, v in df.values)
        out.append(f"With the values \\[ {vals} \\]")
    out.append("\\section*{Claims}")
    held = sum(r.verdict == "holds" for r in results)
    out.append(f"{held} of {len(results)} claims hold. A claim that holds was proved for every "
               "instance; any other is shown with its verdict and, where refuted, the "
               "counterexample.")
    out += [claim_section(r) for r in results]
    return "\n\n".join(out)


def file_document(df, results: list) -> str:
    """The standalone document for a derivation file."""
    return document(file_body(df, results), prose(df.title) if df.title else escape(df.path),
                    escape(df.path) if df.title else "")

