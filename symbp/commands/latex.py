"""`symbp latex`: a standalone LaTeX document of a checked derivation, optionally compiled to PDF.

For a network (flags as in `symbp prove`): the chain-rule derivation of the chosen parameters'
gradients and BP1–BP4, every displayed equality proved. For a derivation file: its definitions
in the author's notation and every claim with its verdict. Files are written atomically (a
temporary file in the same folder, then renamed), so a failure leaves no partial file behind.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from symbp.commands.files import check_writable, read_text, write_atomically
from symbp.commands.options import add_network_options, spec_from_args
from symbp.errors import SymbpError
from symbp.notation.limits import LIMITS

HELP = "write a LaTeX derivation of backpropagation, every displayed step proved"

#: Flags that describe a network; with a derivation file they must be left at their defaults.
NETWORK_FLAGS = ("layers", "activation", "cost", "cost_scale", "bias", "samples", "param")
PDFLATEX_SECONDS = 120
NO_PDFLATEX = ("--pdf needs pdflatex, which is not installed (on Debian: apt-get install "
               "texlive-latex-base texlive-latex-recommended); leave out --pdf to write the "
               ".tex file only")
#: Lines of a pdflatex log that make a compilation fail.
LOG_FAILURES = re.compile(r"^!|Undefined control sequence|LaTeX Error|Emergency stop",
                          re.MULTILINE)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", default=None,
                        help="a derivation file (.toml); without it, the network of the flags")
    add_network_options(parser)
    parser.add_argument("--param", action="append", default=None, metavar="NAME",
                        help="a parameter to derive, e.g. 'w^2_{11}' or 'b^3_1' (repeatable; "
                             "default: one weight and one bias per layer)")
    parser.add_argument("-o", "--output", default=None,
                        help="where to write the .tex file (default: standard output)")
    parser.add_argument("--generic", action="store_true",
                        help="the general derivation of BP1-BP4 for every width and depth "
                             "(with --activation, --cost, --cost-scale, --bias)")
    parser.add_argument("--pdf", action="store_true",
                        help="also compile it with pdflatex to a .pdf next to the .tex file")


def run(args: argparse.Namespace) -> int:
    if args.pdf and not args.output:
        raise SymbpError("--pdf needs -o OUT.tex (the PDF is written next to it)")
    if args.pdf and pdflatex() is None:
        raise SymbpError(NO_PDFLATEX)
    if args.output:
        _check_writable(args.output)
    if args.generic:
        tex, problems = _generic_document(args)
    else:
        tex, problems = _file_document(args) if args.file else _network_document(args)
    if not args.output:
        print(tex, end="")
    else:
        write_atomically(args.output, tex)
        wrote = [args.output]
        if args.pdf:
            compile_pdf(args.output)
            wrote.append(str(Path(args.output).with_suffix(".pdf")))
        print(f"wrote {' and '.join(wrote)}", file=sys.stderr)
    for line in problems:
        print(f"symbp latex: {line}", file=sys.stderr)
    return 0 if not problems else 1


def _network_document(args: argparse.Namespace) -> tuple[str, bool]:
    from symbp.derive import derive
    from symbp.printing.latex_document import derivation_document

    derivation = derive(spec_from_args(args), args.param)
    steps = [st for st in derivation.steps if not st.proved]
    equations = [e for e in derivation.equations if e.status != "proved"]
    problems = [f"{len(steps)} displayed step(s) not proved (shown as claims)"] if steps else []
    problems += [f"{e.name}: {e.status}" for e in equations]
    return derivation_document(derivation), problems


def _generic_document(args: argparse.Namespace) -> tuple[str, list[str]]:
    from symbp.commands.prove import _scale
    from symbp.generic.verdicts import generic_network, prove_all
    from symbp.printing.generic_latex import generic_document

    if args.file or args.param or args.layers != "2,3,2" or args.samples != "1":
        raise SymbpError("--generic writes the derivation for every network; leave out the "
                         "file, --layers, --samples and --param")
    scale = _scale(args.cost_scale)
    verdicts = prove_all(args.activation, args.cost, args.bias, scale)
    net, _ = generic_network(args.activation, args.cost, args.bias, scale)
    tex = generic_document(verdicts, args.activation, args.cost, args.bias,
                           net.cost_term("i").form)
    return tex, [f"{v.name}: not proved for every size" for v in verdicts if not v.proved]


def _file_document(args: argparse.Namespace) -> tuple[str, bool]:
    from symbp.printing.latex_document import file_document

    defaults = argparse.ArgumentParser()
    add_network_options(defaults)
    changed = [f for f in NETWORK_FLAGS
               if getattr(args, f) not in (None, defaults.get_default(f))]
    if changed:
        flag = "--" + changed[0].replace("_", "-")
        raise SymbpError(f"{flag} describes a network; a derivation file describes its own "
                         f"(leave out {flag} or the file)")
    checked = read_and_check(args.file)
    problems = [f"{args.file}: claim {r.name!r} {r.verdict}, the file expects "
                f"{r.expect or 'holds'}" for r in checked.unexpected]
    return file_document(checked.file, checked.results), problems


def read_and_check(path: str):
    """A derivation file and the verdict on each of its claims (via `symbp.check`)."""
    from symbp.checked import FileDerivation

    text = read_text(path, int(LIMITS["file_bytes"]))
    checked = FileDerivation.check(text, path)
    first = checked.results[0] if checked.results else None
    if first is not None and first.name == "(file)" and first.verdict == "error":
        raise SymbpError(first.error or f"{path}: cannot be read")
    return checked


# -- files ----------------------------------------------------------------------------------------
_check_writable = check_writable


def pdflatex() -> str | None:
    """The pdflatex on this machine, if any."""
    return shutil.which("pdflatex")


def compile_pdf(tex_path: str) -> str:
    """Compile a .tex file to the .pdf beside it; returns the pdflatex log.

    It runs in a temporary folder (no shell escape, stops at the first error), and the PDF is
    moved into place only when the log shows no error and no undefined control sequence.
    """
    engine = pdflatex()
    if engine is None:
        raise SymbpError(NO_PDFLATEX)
    source = Path(tex_path)
    with tempfile.TemporaryDirectory(prefix="symbp-latex-") as work:
        shutil.copyfile(source, Path(work) / "doc.tex")
        try:
            proc = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error",
                                   "-no-shell-escape", "doc.tex"], cwd=work,
                                  capture_output=True, timeout=PDFLATEX_SECONDS)
        except subprocess.TimeoutExpired:
            raise SymbpError(f"pdflatex took longer than {PDFLATEX_SECONDS} s on {tex_path}") \
                from None
        log_file = Path(work) / "doc.log"
        log = log_file.read_text(encoding="latin-1") if log_file.exists() else \
            proc.stdout.decode("latin-1")
        failure = LOG_FAILURES.search(log)
        pdf = Path(work) / "doc.pdf"
        if proc.returncode != 0 or failure or not pdf.exists():
            line = _first_error(log)
            raise SymbpError(f"pdflatex failed on {tex_path}: {line}")
        write_atomically(str(source.with_suffix(".pdf")), pdf.read_bytes())
    return log


def _first_error(log: str) -> str:
    for line in log.splitlines():
        if LOG_FAILURES.search(line):
            return line.strip()
    return "no PDF was produced"
