"""Issue 11 at scale: N generated formulas and M mutated files through the worker pool, counting
tracebacks and lost claims. Not part of the test suite (it takes minutes).

    python benchmarks/fuzz_scale.py --formulas 20000 --files 2000 [--seed 0] [--batch 50]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from symbp.workers import check_files          # noqa: E402
from tests.fuzz_inputs import claims_file, formula, mutate   # noqa: E402


def tally(reports, expected: list[int | None], counts: Counter) -> None:
    for report, want in zip(reports, expected):
        counts["files"] += 1
        got = len(report.results)
        file_error = report.results and report.results[0].name == "(file)"
        if want is not None and not file_error and got != want:
            counts["lost claims"] += want - got
        for r in report.results:
            counts[r.verdict] += 1
            text = (r.error or "") + (r.reason or "")
            if "Traceback" in text:
                counts["tracebacks"] += 1
            if r.verdict == "error" and ("\n" in r.error or not r.error.startswith(report.path)):
                counts["unlocated errors"] += 1
            if r.verdict == "undecided" and "checker process was stopped)" in text:
                counts["stopped at the hard time limit"] += 1    # slow (or a loaded machine)
            elif "internal error" in text or "checker process" in text:
                counts["isolated crashes"] += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--formulas", type=int, default=20000)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--claim-seconds", type=float, default=1.0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    limits = {"claim_seconds": args.claim_seconds, "hard_seconds": args.claim_seconds + 2}
    counts: Counter = Counter()
    start = time.perf_counter()
    done = 0
    while done < args.formulas:
        n = min(args.batch, args.formulas - done)
        files = [(f"gen{done}.toml", claims_file([formula(rng) for _ in range(n)]))]
        tally(check_files(files, jobs=args.jobs, **limits), [n], counts)
        done += n
        counts["formulas"] = done
        if done % 1000 < args.batch:
            print(f"{time.perf_counter() - start:7.0f} s  {dict(counts)}", flush=True)
    sources = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "derivations").glob("*.toml"))]
    for i in range(0, args.files, 20):
        files = [(f"mut{i + k}.toml", mutate(rng.choice(sources), rng))
                 for k in range(min(20, args.files - i))]
        tally(check_files(files, jobs=args.jobs, **limits), [None] * len(files), counts)
        counts["mutated files"] = i + len(files)
        print(f"{time.perf_counter() - start:7.0f} s  {dict(counts)}", flush=True)
    print(f"done in {time.perf_counter() - start:.0f} s: {dict(counts)}")


if __name__ == "__main__":
    main()
