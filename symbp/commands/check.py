"""`symbp check FILE_OR_DIR... [--json]`: verify textbook equations as printed.

Exit status: 0 when every claim's verdict equals its `expect` (or holds, without one), 1 when
some claim differs, 2 when a file or formula cannot be read (other claims are still checked).
"""
from __future__ import annotations

import argparse
import json
import time
import tomllib
from pathlib import Path

from symbp.check import ClaimResult, check_text
from symbp.derivation.report import report
from symbp.notation.limits import LIMITS

HELP = "check the claimed equations of derivation files (TOML), reporting each verdict"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR",
                        help="derivation files, or directories (all *.toml in them, sorted)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON array with an object per claim")


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
    try:
        size = Path(path).stat().st_size
        if size > LIMITS["file_bytes"]:
            return ClaimResult(path, "(file)", "", "error",
                               error=f"{path}: file larger than "
                                     f"{int(LIMITS['file_bytes'])} bytes")
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return ClaimResult(path, "(file)", "", "error", error=f"{path}: cannot read: {reason}")


def _title(text: str) -> str:
    try:
        title = tomllib.loads(text).get("title", "")
        return title if isinstance(title, str) else ""
    except tomllib.TOMLDecodeError:
        return ""


def run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    results: list[ClaimResult] = []
    titles: dict[str, str] = {}
    for path in expand(args.paths):
        text = _read(path)
        if isinstance(text, ClaimResult):
            results.append(text)
            continue
        titles[path] = _title(text)
        results.extend(check_text(text, path))
    seconds = time.perf_counter() - start
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        print(report(results, titles, seconds))
    return exit_status(results)


def exit_status(results: list[ClaimResult]) -> int:
    """2 if anything could not be read, else 1 if any verdict differs from its expectation."""
    if any(r.verdict == "error" for r in results):
        return 2
    if not results or any(not r.as_expected for r in results):
        return 1 if results else 2
    return 0
