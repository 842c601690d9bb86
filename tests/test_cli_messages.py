"""The CLI says what it did: --version, what `symbp latex` wrote, and a verdict that differs
from the file's expectation on stderr with exit 1."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _symbp(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "symbp.cli", *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd)


def test_version():
    proc = _symbp("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("symbp ")


def test_latex_says_what_it_wrote_and_flags_an_unexpected_verdict(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("define = ['y = w x']\n[[claim]]\nname = 'bad'\n"
                   "latex = '\\frac{\\partial y}{\\partial w} = w'\n", encoding="utf-8")
    out = tmp_path / "bad.tex"
    proc = _symbp("latex", str(bad), "-o", str(out))
    assert proc.returncode == 1
    assert f"wrote {out}" in proc.stderr
    assert "claim 'bad' fails, the file expects holds" in proc.stderr
    assert "Not as expected" in out.read_text(encoding="utf-8")
    good = _symbp("latex", "--layers", "2,2", "-o", str(tmp_path / "net.tex"))
    assert good.returncode == 0 and good.stderr.strip() == f"wrote {tmp_path / 'net.tex'}"
