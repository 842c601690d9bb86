"""Plain-text report of `symbp prove --generic`: one row per equation, then the evidence."""
from __future__ import annotations

from symbp.generic.proof import PROVED, GenericVerdict

SCOPE_WORDS = {"all-sizes": "proved for every width and depth ≥ 2"}


def verdict_words(v: GenericVerdict) -> str:
    if v.status == PROVED:
        return "proved (a scalar identity)" if not v.steps and v.where.startswith("a scalar") \
            else SCOPE_WORDS[v.scope]
    if v.network:
        return f"{v.status} on {v.network}"
    return v.status


def generic_table(header: str, verdicts: list[GenericVerdict], seconds: float) -> str:
    """The table: equation, statement, where it holds, verdict, steps, time; then details."""
    rows = [("equation", "statement", "for", "verdict", "steps", "time")]
    for v in verdicts:
        rows.append((v.name, v.statement, v.where, verdict_words(v), str(len(v.steps)),
                     f"{v.seconds * 1000:.1f} ms"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [header, ""]
    for n, row in enumerate(rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    for v in verdicts:
        if v.status != PROVED:
            lines.append(f"{v.name}: {v.status}" + (f" at {v.instance} on {v.network}"
                                                    if v.network else ""))
            if v.diagnosis:
                lines.append(f"    diagnosis: {v.diagnosis}")
            if v.concrete is not None and v.concrete.counterexample:
                lines.append(f"    counterexample: {v.concrete.counterexample}")
            if v.reason:
                lines.append(f"    {v.reason}")
    lines += [f"note: {n}" for n in dict.fromkeys(v.note for v in verdicts if v.note)]
    proved = sum(v.status == PROVED for v in verdicts)
    lines.append(f"{proved} of {len(verdicts)} equations proved for every size in {seconds:.3f} s")
    return "\n".join(lines)
