"""`symbp check FILE_OR_DIR... [--json]`: verify textbook equations as printed.

Exit status: 0 when every claim's verdict equals its `expect` (or holds, without one), 1 when
some claim differs, 2 when a file or formula cannot be read (other claims are still checked).
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from symbp.check import ClaimResult
from symbp.commands.files import read_text
from symbp.derivation.report import report
from symbp.errors import SymbpError
from symbp.notation.limits import LIMITS
from symbp.terminal import safe
from symbp.workers import FILE, check_files

MAX_JOBS = 64

HELP = "check the claimed equations of derivation files (TOML), reporting each verdict"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR",
                        help="derivation files, or directories (all *.toml in them, sorted)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON array with an object per claim")
    parser.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                        help="worker processes, each claim checked in one with a memory and a "
                             "time limit (default: the number of cores; 0: in this process, "
                             "without those limits, for debugging)")


def expand(paths: list[str]) -> list[str]:
    """Files in command-line order; a directory contributes its *.toml files, sorted."""
    files = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(str(p) for p in sorted(path.glob("*.toml")))
        else:
            files.append(given)
    return files


def _read(path: str) -> str | ClaimResult:
    """The file's text, or the one located error that stops it (bounded, regular files only)."""
    try:
        return read_text(path, int(LIMITS["file_bytes"]))
    except SymbpError as err:
        return ClaimResult(path, FILE, "", "error", error=str(err))


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--jobs takes a whole number, got '{text}'") from None
    if not 0 <= jobs <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"--jobs takes 0 to {MAX_JOBS}, got '{text}'")
    return jobs


def run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    slots: list[ClaimResult | int] = []        # a read error, or the index of a readable file
    readable: list[tuple[str, str]] = []
    for path in expand(args.paths):
        text = _read(path)
        if isinstance(text, ClaimResult):
            slots.append(text)
        else:
            slots.append(len(readable))
            readable.append((path, text))
    jobs = default_jobs() if args.jobs is None else args.jobs
    reports = check_files(readable, jobs=jobs)
    results: list[ClaimResult] = []
    titles: dict[str, str] = {}
    for slot in slots:
        if isinstance(slot, ClaimResult):
            results.append(slot)
            continue
        titles[reports[slot].path] = reports[slot].title
        results.extend(reports[slot].results)
    seconds = time.perf_counter() - start
    if args.json:
        print(json_text([r.to_dict() for r in results]))
    else:
        print(report(results, titles, seconds))
    return exit_status(results)


def json_text(data) -> str:
    """JSON with every character a terminal could act on written as a \\u escape (the same data)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return "".join(f"\\u{ord(c):04x}" if c != "\n" and safe(c) != c else c
                   for c in text)


def exit_status(results: list[ClaimResult]) -> int:
    """2 if anything could not be read, else 1 if any verdict differs from its expectation."""
    if any(r.verdict == "error" for r in results):
        return 2
    if not results or any(not r.as_expected for r in results):
        return 1 if results else 2
    return 0
