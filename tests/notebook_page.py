"""A notebook as a reader sees it: executed (nbclient), made a page (nbconvert's HTML exporter,
lab template), and its math typeset by MathJax 3 in headless chromium, with every TeX error
reported. Used by tests/test_notebook_render.py and to make the README's picture:

    NODE_PATH=... python -m tests.notebook_page docs/tour.ipynb --screenshot docs/notebook.png

MathJax comes from local files only (the npm package mathjax-full@3 or mathjax@3, found through
NODE_PATH), with every TeX package JupyterLab 4 loads except the two that hide errors
(`noerrors`, `noundefined`): a TeX error, an undefined macro, or a text-mode macro where only
math is allowed (`\\textbf{\\text{x}\\delta}`) is reported, not drawn in red. The page loads
nothing from the network.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

#: The MathJax 3 bundle with every TeX extension (as JupyterLab's) and SVG output (no fonts to
#: fetch), under each package name it ships in.
MATHJAX_FILES = ("mathjax-full/es5/tex-svg-full.js", "mathjax/es5/tex-svg-full.js")
CHROMIUM_NAMES = ("chromium", "chromium-browser")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                  "--force-device-scale-factor=1")
#: nbconvert's order of preference among an output's formats (its default).
SHOWN_FIRST = ("text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png",
               "image/jpeg", "text/markdown", "text/plain")
REPORT_ID = "symbp-mathjax-report"

#: Runs before anything else on the page: MathJax's configuration, and the report it writes
#: into the page when it has typeset everything (read back from chromium's --dump-dom).
CONFIG = """<script>
window.symbpReport = {errors: [], pageErrors: []};
window.addEventListener('error', (e) => window.symbpReport.pageErrors.push(String(e.message)));
window.MathJax = {
  tex: {
    packages: {'[-]': ['noerrors', 'noundefined']},
    inlineMath: [['$', '$'], ['\\\\(', '\\\\)']],
    displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']],
    processEscapes: true,
    processEnvironments: true,
    formatError: (jax, err) => {
      window.symbpReport.errors.push(String(err.message || err));
      return jax.formatError(err);
    }
  },
  options: {enableMenu: false},
  startup: {
    pageReady: () => MathJax.startup.defaultPageReady().then(() => {
      const r = window.symbpReport;
      r.done = true;
      r.containers = document.querySelectorAll('mjx-container').length;
      r.merror = document.querySelectorAll('[data-mml-node="merror"]').length;
      r.untypeset = Array.from(document.querySelectorAll('.jp-RenderedLatex'))
        .filter((e) => !e.querySelector('mjx-container'))
        .map((e) => e.textContent.trim().slice(0, 200));
      r.height = document.documentElement.scrollHeight;
      const out = document.createElement('pre');
      out.id = '%s';
      out.style.display = 'none';
      out.textContent = JSON.stringify(r);
      document.body.appendChild(out);
    })
  }
};
</script>
""" % REPORT_ID


@dataclass
class Report:
    """What MathJax 3 made of a page: TeX errors, error nodes, outputs left as raw TeX."""

    errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    containers: int = 0
    merror: int = 0
    untypeset: list[str] = field(default_factory=list)
    height: int = 0

    @property
    def problems(self) -> list[str]:
        """Every reason the page does not typeset cleanly, one line each."""
        out = [f"MathJax error: {e}" for e in self.errors]
        out += [f"page script error: {e}" for e in self.page_errors]
        if self.merror > len(self.errors):
            out.append(f"{self.merror} MathJax error nodes (merror)")
        out += [f"output not typeset: {t!r}" for t in self.untypeset]
        return out


def chromium() -> str | None:
    """The headless browser, if installed."""
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def mathjax() -> Path | None:
    """MathJax 3's full TeX+SVG bundle from an npm package on NODE_PATH, if installed."""
    for folder in os.environ.get("NODE_PATH", "").split(os.pathsep):
        for name in MATHJAX_FILES:
            if folder and (Path(folder) / name).is_file():
                return Path(folder) / name
    return None


def missing() -> list[str]:
    """What this machine lacks to execute and render a notebook (empty when it has it all)."""
    out = []
    for module, package in (("nbclient", "nbclient"), ("nbconvert", "nbconvert"),
                            ("ipykernel", "ipykernel")):
        try:
            __import__(module)
        except ImportError:
            out.append(f"the Python package {package} (pip install -e '.[notebook]')")
    if chromium() is None:
        out.append("chromium (apt-get install chromium)")
    if mathjax() is None:
        out.append("MathJax 3 on NODE_PATH (npm install mathjax-full@3.2.2)")
    return out


def execute(path: Path, timeout: int = 600):
    """The notebook at `path`, run top to bottom in a fresh kernel in its own folder."""
    import nbformat

    return execute_node(nbformat.read(path, as_version=4), path.parent, timeout)


def execute_node(nb, folder: Path | None = None, timeout: int = 600):
    """`nb` (an nbformat node), run in a fresh kernel in `folder`; a cell that raises raises
    here (nbclient's CellExecutionError)."""
    from nbclient import NotebookClient

    folder = folder or Path.cwd()
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return nb


def latex_outputs(nb) -> list[tuple[str, bool]]:
    """Every output's `text/latex`, and whether the page shows it (nbconvert shows one format
    of each output, and a table's HTML before its LaTeX)."""
    out = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/latex" in data:
                shown = next((m for m in SHOWN_FIRST if m in data), None)
                out.append((data["text/latex"], shown == "text/latex"))
    return out


def page(nb, mathjax_js: Path, *, hidden_latex: bool = True) -> str:
    """The notebook's HTML page with MathJax 3 from `mathjax_js` and nothing from the network.

    With `hidden_latex`, the LaTeX of outputs that the page shows in another format is added at
    the end, so that every output's math is typeset."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", mathjax_url=mathjax_js.resolve().as_uri())
    body, _ = exporter.from_notebook_node(nb)
    body = re.sub(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>', "", body)
    remote = re.findall(r'\b(?:src|href)="(https?://[^"]*)"', body)
    if remote:
        raise ValueError(f"the page would load from the network: {remote[:3]}")
    body = body.replace("<head>", "<head>\n" + CONFIG, 1)
    if hidden_latex:
        extra = "".join(f'<div class="jp-RenderedLatex symbp-hidden-latex">{html.escape(t)}</div>'
                        for t, shown in latex_outputs(nb) if not shown)
        body = body.replace("</body>", extra + "</body>", 1)
    return body


def _run_chromium(page_html: str, *args: str, timeout: int = 180) -> str:
    with tempfile.TemporaryDirectory(prefix="symbp-chromium-") as tmp:
        page_file = Path(tmp) / "page.html"
        page_file.write_text(page_html, encoding="utf-8")
        proc = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile",
                               "--virtual-time-budget=60000", *args, page_file.as_uri()],
                              capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}")
        return proc.stdout


def typeset(page_html: str) -> Report:
    """Typeset the page in headless chromium; what MathJax reported, read from the DOM."""
    dom = _run_chromium(page_html, "--dump-dom")
    found = re.search(rf'<pre id="{REPORT_ID}"[^>]*>(.*?)</pre>', dom, re.DOTALL)
    if found is None:
        raise RuntimeError("MathJax did not finish typesetting the page (no report in the DOM)")
    data = json.loads(html.unescape(found[1]))
    return Report(errors=data["errors"], page_errors=data["pageErrors"],
                  containers=data["containers"], merror=data["merror"],
                  untypeset=data["untypeset"], height=data["height"])


def screenshot(page_html: str, out: Path, width: int = 960, height: int | None = None) -> None:
    """A PNG of the typeset page, `width` pixels wide, as tall as its content or `height`."""
    height = min(typeset(page_html).height, height or 100_000)
    with tempfile.TemporaryDirectory(prefix="symbp-shot-") as tmp:
        shot = Path(tmp) / "shot.png"
        _run_chromium(page_html, f"--screenshot={shot}", f"--window-size={width},{height}")
        shutil.copyfile(shot, out)


def main() -> None:
    """Render a notebook (or some of its cells) to a PNG: the README's picture."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--screenshot", type=Path, required=True)
    parser.add_argument("--cells", default=None,
                        help="a Python slice of the executed notebook's cells, e.g. 9:13")
    parser.add_argument("--width", type=int, default=960)
    parser.add_argument("--height", type=int, default=None, help="crop the page to this height")
    args = parser.parse_args()
    lacking = missing()
    if lacking:
        parser.error("missing: " + "; ".join(lacking))
    nb = execute(args.notebook)
    if args.cells:
        start, _, stop = args.cells.partition(":")
        nb.cells = nb.cells[int(start or 0):int(stop) if stop else None]
    shown = page(nb, mathjax(), hidden_latex=False)
    problems = typeset(shown).problems
    if problems:
        parser.error("the page does not typeset: " + "; ".join(problems[:5]))
    screenshot(shown, args.screenshot, args.width, args.height)
    print(f"wrote {args.screenshot}")


if __name__ == "__main__":
    main()
