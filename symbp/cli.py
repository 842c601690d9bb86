"""The command line: a thin table of subcommands, each in `symbp/commands/<name>.py`.

Every command module offers `HELP`, `add_arguments(parser)` and `run(args) -> int`; this file only
dispatches, turns a `SymbpError` into one line on stderr with exit status 2, and nothing else.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from symbp.errors import SymbpError
from symbp.terminal import safe

COMMANDS: dict[str, str] = {
    "prove": "symbp.commands.prove",
    "check": "symbp.commands.check",
    "latex": "symbp.commands.latex",
    "codegen": "symbp.commands.codegen",
    "train": "symbp.commands.train",
}


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2 (argparse's own code)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"symbp: error: {safe(message)}\n")
        raise SystemExit(2)


def _available() -> dict[str, object]:
    """The command modules that exist in this installation, by name."""
    found = {}
    for name, module in COMMANDS.items():
        try:
            found[name] = importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name != module:
                raise
    return found


def version() -> str:
    """The installed distribution's version, or the package's own when run from a checkout."""
    from importlib.metadata import PackageNotFoundError, version as installed
    try:
        return installed("symbp")
    except PackageNotFoundError:
        from symbp.version import __version__
        return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="symbp", description="A symbolic derivation checker for backpropagation.")
    parser.add_argument("--version", action="version", version=f"symbp {version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, module in _available().items():
        cmd = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `symbp` console script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args))
    except SymbpError as err:
        sys.stderr.write(f"symbp: error: {safe(err)}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("symbp: interrupted\n")
        return 130
    except BrokenPipeError:            # the reader (e.g. `| head`) left: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
