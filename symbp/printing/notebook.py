"""Notebook displays (`_repr_latex_`, `_repr_html_`) for every result a notebook user meets.

The data classes know nothing of printing: `symbp/__init__.py` calls `attach()`, which sets these
functions on the classes. Every LaTeX display is one math block that MathJax 3, KaTeX and
pdflatex all typeset: text only as `\\text{}` / `\\textbf{}` with no macro inside, no document
commands (`\\section`), no `$` nested in text.
"""
from __future__ import annotations

import html
from typing import TYPE_CHECKING

from symbp.printing.latex import (TextbookLatex, block_ranges, block_rows, equation_row,
                                  math_or_text, number, prose_math, questioned, reason_math,
                                  safe_math, text_math)
from symbp.printing.text import proof_table
from symbp.prove import PROVED

if TYPE_CHECKING:
    from symbp.checked import FileDerivation
    from symbp.prove import Counterexample, Verdict
    from symbp.steps import Derivation
    from symbp.theorems import EquationResult, EquationResults

#: Assignments of a counterexample per displayed row (a display line does not wrap).
VALUES_PER_ROW = 4


def _display(rows: list[str]) -> str:
    """Rows stacked left-aligned in one display."""
    return "$$\\begin{array}{l}\n" + " \\\\\n".join(rows) + "\n\\end{array}$$"


def _bold(text: str) -> str:
    return text_math(text).replace("\\text{", "\\textbf{")


# -- verdicts -------------------------------------------------------------------------------------
def counterexample_rows(data: dict) -> list[str]:
    """A counterexample as display rows: the point, the generic function values, both sides."""
    pts = [f"{math_or_text(k)} = {number(str(v))}" for k, v in data.get("assignment", {}).items()]
    for key, value in data.get("functions", {}).items():
        label, _, at = key.partition(" at ")
        pts.append(f"{math_or_text(label)} = {number(str(value))}"
                   + (f"\\ {text_math('(at ')}{number(at)}{text_math(')')}" if at else ""))
    rows = [",\\ ".join(pts[n:n + VALUES_PER_ROW]) for n in range(0, len(pts), VALUES_PER_ROW)]
    if "lhs" in data and "rhs" in data:
        how = "exactly" if data.get("exact", True) else "in interval arithmetic"
        rows.append(f"{text_math('left side ')}{number(str(data['lhs']))},\\ "
                    f"{text_math('right side ')}{number(str(data['rhs']))}\\ {text_math(how)}")
    return rows


def verdict_rows(verdict: Verdict) -> list[str]:
    head = _bold(verdict.status) + (f"\\ {text_math('(' + verdict.method + ')')}"
                                    if verdict.method else "")
    rows = [head]
    if verdict.condition:
        rows.append(text_math("given ") + prose_math(verdict.condition))
    if verdict.diagnosis:
        rows.append(text_math("diagnosis: ") + prose_math(verdict.diagnosis))
    if verdict.counterexample:
        rows.append(text_math("counterexample:"))
        rows += counterexample_rows(verdict.counterexample.to_dict())
    if verdict.reason:
        rows.append(prose_math(verdict.reason))
    return rows


def verdict_latex(verdict: Verdict) -> str:
    return _display(verdict_rows(verdict))


# -- equations and proof tables -------------------------------------------------------------------
def equation_latex(result: EquationResult) -> str:
    rows = [f"\\begin{{aligned}}{equation_row(result)}\\end{{aligned}}"]
    if result.condition:
        rows.append(text_math("given ") + prose_math(result.condition))
    for label, verdict in result.failures()[:3]:
        rows.append(_bold(f"[{label}]"))
        rows += verdict_rows(verdict)
    return _display(rows)


def results_text(results: EquationResults) -> str:
    """The proof table as `symbp prove` prints it."""
    if results.spec is None:
        return list.__repr__(results)
    return proof_table(results.spec, results, results.seconds)


def results_html(results: EquationResults) -> str:
    """The proof table as an HTML table, one row per equation."""
    e = html.escape
    head = "".join(f"<th>{h}</th>" for h in ("equation", "statement", "instances", "verdict",
                                              "time"))
    rows = []
    for r in results:
        verdict = f"proved {r.count(PROVED)}/{r.instances}" if r.status == PROVED else r.status
        if r.condition:
            verdict += f" (given {r.condition})"
        rows.append(f"<tr><td>{e(r.name)}</td><td>{e(r.statement)}</td>"
                    f"<td>{r.instances}</td><td>{e(verdict)}</td>"
                    f"<td>{r.seconds * 1000:.1f} ms</td></tr>")
    caption = ""
    if results.spec is not None:
        from symbp.printing.text import network_line
        caption = f"<caption>{e(network_line(results.spec))}</caption>"
    failures = [f"<li>{e(r.name)} [{e(label)}]: {e(str(v))}</li>"
                for r in results for label, v in r.failures()[:3]]
    extra = f"<ul>{''.join(failures)}</ul>" if failures else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>" \
           f"</table>{extra}"


# -- derivations ----------------------------------------------------------------------------------
def derivation_latex(derivation: Derivation) -> str:
    """A whole derivation as one aligned display: a bold heading row per block, then its steps."""
    printer = TextbookLatex(derivation.spec)
    rows = []
    for block in derivation.blocks:
        title = reason_math(block.title, printer).replace("\\text{", "\\textbf{")
        where = block_ranges(block, printer)
        rows.append(f"&{title} && "
                    + (f"{text_math('for ')}{where}" if where else ""))
        rows += block_rows(block, printer)
    if derivation.equations:
        rows.append(f"&{_bold('The four equations')} &&")
        rows += [f"&{equation_row(r, derivation.spec.samples)}" for r in derivation.equations]
    return "$$\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}$$"


# -- checked claims and files ---------------------------------------------------------------------
def claim_formula(latex: str, verdict: str) -> str:
    """The author's formula: re-emitted when safe (with `?=` unless it holds), else its text."""
    shown = safe_math(latex.strip())
    if shown is None:
        return text_math(latex.strip())
    return shown if verdict == "holds" else questioned(shown)


def claim_rows(name: str, latex: str, verdict: str, expect: str | None = None,
               counterexample_text: str | None = None, diagnosis: str | None = None,
               reason: str | None = None, error: str | None = None,
               counterexample: dict | None = None) -> list[str]:
    """A checked claim from its fields (the fields of `symbp.check.ClaimResult`)."""
    head = _bold(f"{name}: {verdict}")
    if verdict != (expect or "holds"):
        wanted = expect or "holds"
        head += f"\\quad{_bold(f'(expected {wanted}: the verdict differs)')}"
    rows = [head, claim_formula(latex, verdict)]
    if diagnosis:
        rows.append(text_math("diagnosis: ") + prose_math(diagnosis))
    if counterexample and "assignment" in counterexample:
        rows.append(text_math("counterexample:"))
        rows += counterexample_rows(counterexample)
    elif counterexample_text:
        rows.append(text_math("counterexample: ") + prose_math(counterexample_text))
    if reason:
        rows.append(prose_math(reason))
    if error:
        rows.append(text_math("error: ") + prose_math(error))
    return rows


def _claim_fields(result) -> dict:
    return {"name": result.name, "latex": result.latex, "verdict": result.verdict,
            "expect": result.expect, "counterexample_text": result.counterexample_text,
            "diagnosis": result.diagnosis, "reason": result.reason, "error": result.error,
            "counterexample": getattr(result, "counterexample", None)}


def claim_latex(result) -> str:
    return _display(claim_rows(**_claim_fields(result)))


def file_latex(checked: FileDerivation) -> str:
    rows = []
    held = sum(r.verdict == "holds" for r in checked.results)
    title = checked.file.title or checked.file.path
    rows.append(_bold(title))
    rows.append(text_math(f"{held} of {len(checked.results)} claims hold; "
                          f"{len(checked.unexpected)} not as the file expects"))
    for r in checked.results:
        rows += claim_rows(**_claim_fields(r))
    return _display(rows)


def file_html(checked: FileDerivation) -> str:
    """A checked file as a table: claim, verdict, expected, diagnosis."""
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(r.name)}</td><td>{e(r.verdict)}</td><td>{e(r.expect or 'holds')}</td>"
        f"<td>{'' if r.as_expected else '<b>differs</b>'}</td>"
        f"<td>{e(r.diagnosis or r.error or r.reason or '')}</td></tr>" for r in checked.results)
    return (f"<table><caption>{e(checked.file.title or checked.file.path)}</caption><thead><tr>"
            "<th>claim</th><th>verdict</th><th>expected</th><th></th><th>why</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def attach() -> None:
    """Give each result class its notebook displays (called once by `symbp/__init__.py`)."""
    from symbp.checked import FileDerivation
    from symbp.check import ClaimResult
    from symbp.prove import Verdict
    from symbp.steps import Derivation
    from symbp.theorems import EquationResult, EquationResults

    hooks = {
        Verdict: {"_repr_latex_": verdict_latex},
        EquationResult: {"_repr_latex_": equation_latex},
        EquationResults: {"__repr__": results_text, "_repr_html_": results_html},
        Derivation: {"_repr_latex_": derivation_latex},
        ClaimResult: {"_repr_latex_": claim_latex},
        FileDerivation: {"_repr_latex_": file_latex, "_repr_html_": file_html},
    }
    for cls, methods in hooks.items():
        for name, function in methods.items():
            setattr(cls, name, function)
