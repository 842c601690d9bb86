"""Plain-text reports: the proof table of `symbp prove`."""
from __future__ import annotations

from symbp.network import NetworkSpec
from symbp.prove import PROVED
from symbp.theorems import EquationResult

MAX_FAILURES_SHOWN = 3


def network_line(spec: NetworkSpec) -> str:
    acts = ",".join(dict.fromkeys(spec.activations)) if len(set(spec.activations)) == 1 \
        else ",".join(spec.activations)
    extra = f", {spec.samples} samples" if spec.samples > 1 else ""
    scale = f" (c = {spec.scale})" if spec.cost == "quadratic" else ""
    return (f"network {list(spec.layers)}, activation {acts}, cost {spec.cost}{scale}, "
            f"bias {spec.bias}{extra}")


def proof_table(spec: NetworkSpec, results: list[EquationResult], seconds: float) -> str:
    """The table: equation, instances, verdict, time; then failures and notes in full."""
    rows = [("equation", "statement", "instances", "verdict", "time")]
    for r in results:
        verdict = r.status if r.status != PROVED else f"proved {r.count(PROVED)}/{r.instances}"
        rows.append((r.name, r.statement, str(r.instances), verdict, f"{r.seconds * 1000:.1f} ms"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [network_line(spec), ""]
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    for r in results:
        if r.condition:
            lines.append(f"{r.name}: holds given {r.condition}")
        for label, verdict in r.failures()[:MAX_FAILURES_SHOWN]:
            lines.append(f"{r.name} [{label}]: {verdict}")
    notes = sorted({r.note for r in results if r.note})
    lines += [f"note: {n}" for n in notes]
    total = sum(r.instances for r in results)
    proved = sum(r.count(PROVED) for r in results)
    lines.append(f"{proved} of {total} instances proved in {seconds:.3f} s")
    return "\n".join(lines)
