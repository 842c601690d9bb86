"""`symbp latex` end to end: outputs, one-line errors for bad input, and no partial file."""
import os
from pathlib import Path

import pytest

from symbp.cli import main
from symbp.commands import files
from symbp.commands import latex as command

ROOT = Path(__file__).resolve().parent.parent


def test_writes_a_standalone_document(tmp_path):
    out = tmp_path / "d.tex"
    assert main(["latex", "--layers", "2,2", "-o", str(out)]) == 0
    tex = out.read_text()
    assert tex.startswith("\\documentclass") and tex.rstrip().endswith("\\end{document}")
    assert "\\usepackage{amsmath,amssymb}" in tex
    assert "(BP1)" in tex and "(BP3)" in tex and "(BP4)" in tex
    assert [p.name for p in tmp_path.iterdir()] == ["d.tex"]     # no temporary file left


def test_prints_to_standard_output_without_o(capsys):
    assert main(["latex", "--layers", "2,1", "--param", "b^2_1"]) == 0
    out = capsys.readouterr().out
    assert "\\partial C / \\partial b^{2}_{1}" in out and "w^{2}_{11}}$}" not in out


def test_chosen_parameters_get_their_own_blocks(capsys):
    assert main(["latex", "--layers", "2,3,2", "--param", "w^2_{32}", "--param", "b^3_2"]) == 0
    out = capsys.readouterr().out
    assert out.count("\\subsection*{The gradient") == 2
    assert "\\partial C / \\partial w^{2}_{32}" in out and "\\partial C / \\partial b^{3}_{2}" in out


def test_sigma_prime_is_printed_as_sigma_prime(capsys):
    assert main(["latex", "--layers", "2,2,1"]) == 0
    out = capsys.readouterr().out
    assert "\\sigma'(z^{2}_{j})" in out and "\\right|_" not in out and "\\xi" not in out
    assert "\\sum_{k=1}^{1}" in out          # sums carry their ranges


def test_a_derivation_file_is_rendered_in_its_authors_notation(tmp_path):
    out = tmp_path / "f.tex"
    status = main(["latex", str(ROOT / "derivations" / "named-weights-slides.toml"),
                   "-o", str(out)])
    assert status == 0
    tex = out.read_text()
    assert "\\varepsilon_2 = \\frac{1}{2}(y_2 - d_2)^2" in tex     # the author's letters
    refuted = tmp_path / "g.tex"
    assert main(["latex", str(ROOT / "derivations" / "nielsen-style-slides.toml"),
                 "-o", str(refuted)]) == 0
    tex = refuted.read_text()
    assert "fails (refuted)" in tex and "Counterexample:" in tex
    assert "\\overset{?}{=}" in tex                                 # a refuted claim


@pytest.mark.parametrize("args,message", [
    (["--param", "w^2_{99}"], "names no parameter of this network (valid: w^{2}_{11}"),
    (["--param", "c^2_1"], "valid:"),
    (["--pdf"], "--pdf needs -o"),
    (["-o", "/nonexistent-folder/x.tex"], "the folder /nonexistent-folder does not exist"),
    (["derivations/bias-unit-notes.toml", "--layers", "2,2"], "--layers describes a network"),
    (["no-such-file.toml"], "no-such-file.toml: cannot read"),
])
def test_bad_input_is_one_line_and_exit_2(args, message, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["latex", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_an_output_that_is_a_directory_is_refused(tmp_path, capsys):
    assert main(["latex", "--layers", "2,1", "-o", str(tmp_path)]) == 2
    assert "it is a directory" in capsys.readouterr().err


def test_a_failed_write_leaves_no_partial_file(tmp_path, monkeypatch, capsys):
    out = tmp_path / "d.tex"

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken)
    assert main(["latex", "--layers", "2,1", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "No space left" in err
    assert list(tmp_path.iterdir()) == []


def test_a_bad_param_writes_nothing(tmp_path):
    out = tmp_path / "d.tex"
    assert main(["latex", "--param", "w^9_{11}", "-o", str(out)]) == 2
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_replaced_whole_and_keeps_its_mode(tmp_path):
    out = tmp_path / "d.tex"
    out.write_text("old")
    os.chmod(out, 0o640)
    assert main(["latex", "--layers", "2,1", "-o", str(out)]) == 0
    assert out.read_text().startswith("\\documentclass") and (out.stat().st_mode & 0o777) == 0o640


def test_pdf_without_pdflatex_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(command, "pdflatex", lambda: None)
    out = tmp_path / "d.tex"
    assert main(["latex", "--layers", "2,1", "-o", str(out), "--pdf"]) == 2
    assert "--pdf needs pdflatex, which is not installed" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
