"""Plain-text report of `symbp check`: per file, each claim's verdict (for a claim that holds,
whether for every size or on the listed sizes) and, for a failure, the instance,
counterexample and diagnosis; then one summary line. Every string from the file
goes through `symbp.terminal.safe`, so each detail stays one line of plain text."""
from __future__ import annotations

from collections import Counter

from symbp.check import SCOPE_TEXT, ClaimResult
from symbp.terminal import safe

SHOWN = {"holds": "holds", "fails": "FAILS", "undecided": "undecided", "error": "ERROR"}
DETAILS = [("instance", "instance"), ("link", "link"), ("counterexample", "counterexample_text"),
           ("diagnosis", "diagnosis"), ("reason", "reason"), ("error", "error"), ("note", "note")]


def claim_lines(r: ClaimResult) -> list[str]:
    """The lines for one claim: a verdict line, then details when there is something to show."""
    flag = "" if r.as_expected else f"   <-- expected {r.expect or 'holds'}"
    scope = f"; {SCOPE_TEXT[r.scope]}" if r.scope in SCOPE_TEXT else ""
    lines = [f"  {SHOWN[r.verdict]:<9} {safe(r.name)}  ({r.seconds:.2f} s, {r.instances} "
             f"instance{'s' if r.instances != 1 else ''}{scope}){flag}"]
    if r.verdict == "holds" and r.as_expected:
        return lines
    if r.latex:
        lines.append(f"      {'claim':<15} {safe(_one_line(r.latex))}")
    for label, attr in DETAILS:
        value = getattr(r, attr)
        if value:
            lines.append(f"      {label + ':':<15} {safe(_one_line(value))}")
    for reading in r.readings:
        lines.append(f"      {'reading:':<15} {safe(_one_line(reading))}")
    return lines


def _one_line(text: str) -> str:
    """A formula or remark written over several lines of the file, on one line."""
    return " ".join(str(text).split())


def report(results: list[ClaimResult], titles: dict[str, str], seconds: float) -> str:
    """The whole report: files in order, claims in file order, a summary line."""
    out: list[str] = []
    current = None
    for r in results:
        if r.file != current:
            current = r.file
            title = titles.get(r.file)
            out.append(safe(r.file) + (f" — {safe(title)}" if title else ""))
        out.extend(claim_lines(r))
    out.append(summary(results, seconds))
    return "\n".join(out)


def summary(results: list[ClaimResult], seconds: float) -> str:
    counts = Counter(r.verdict for r in results)
    unexpected = sum(1 for r in results if not r.as_expected)
    files = len({r.file for r in results})
    return (f"{len(results)} claims in {files} file{'s' if files != 1 else ''}: "
            f"{counts['holds']} hold, {counts['fails']} fail, {counts['undecided']} undecided, "
            f"{counts['error']} error{'s' if counts['error'] != 1 else ''}; "
            f"{len(results) - unexpected} as expected, {unexpected} not; {seconds:.2f} s")
