"""`symbp train`: XOR and digits reach their accuracies; bad data and settings are clear errors."""
from __future__ import annotations

import re

import numpy as np
import pytest

from tests.extras import require

from symbp.cli import main
from symbp.codegen import generate, layout
from symbp.errors import SymbpError
from symbp.training import data as datasets
from symbp.training import plot as plot_module
from symbp.training.loop import train


def run(argv, capsys):
    code = main(["train", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def accuracy_of(out: str, which: str) -> float:
    return float(re.search(rf"^{which} accuracy ([\d.]+)%", out, re.M)[1])


@pytest.mark.parametrize("layers", ["2,2,1", "2,3,1"])
def test_xor_reaches_100_percent_from_a_fixed_seed(layers, capsys):
    code, out, err = run(["--layers", layers, "--data", "xor", "--seed", "0"], capsys)
    assert code == 0
    assert accuracy_of(out, "train") == 100.0
    assert "BP1-BP4 proved on this network itself" in out
    assert "final loss" in out and "epoch 4000/4000" in err      # the progress bar, on stderr


def test_digits_64_32_10_over_90_percent_on_held_out_samples(capsys):
    code, out, _ = run(["--layers", "64,32,10", "--data", "digits", "--proof", "schema",
                        "--epochs", "15"], capsys)
    assert code == 0
    assert "359 test samples" in out
    assert accuracy_of(out, "test") > 90.0


def test_loss_curve_is_a_png(tmp_path, capsys):
    require("matplotlib", "plot")
    target = tmp_path / "loss.png"
    code, out, _ = run(["--data", "xor", "--epochs", "50", "--plot", str(target)], capsys)
    assert code == 0 and f"loss curve saved to {target}" in out
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_without_matplotlib_is_a_clear_error(monkeypatch, capsys):
    def missing() -> None:
        raise SymbpError("--plot needs matplotlib: pip install 'symbp[plot]'")
    monkeypatch.setattr("symbp.commands.train.require_matplotlib", missing)
    code, _, err = run(["--data", "xor", "--plot", "x.png"], capsys)
    assert code == 2 and "needs matplotlib" in err


def test_require_matplotlib_reports_a_missing_import(monkeypatch):
    import builtins
    real = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "matplotlib":
            raise ImportError(name)
        return real(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(SymbpError, match=r"pip install matplotlib .*pip install '\.\[plot\]'"):
        plot_module.require_matplotlib()


def test_the_loop_lowers_the_loss_with_every_form():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [0.0], [0.0], [1.0]])          # AND: separable, so the loss must fall
    for form in ("layer", "per-parameter"):
        module = generate(layout((2, 3, 1), ["tanh", "sigmoid"], "cross_entropy"),
                          form).load()
        history = train(module, module.init_params(0), X, Y, epochs=300, lr=1.0, batch=2)
        assert len(history.losses) == 301 and history.losses[-1] < 0.5 * history.losses[0]


# -- bad settings --------------------------------------------------------------------------------
@pytest.mark.parametrize("argv, message", [
    (["--lr", "0"], "--lr must be a positive number"),
    (["--lr", "-0.5"], "--lr must be a positive number"),
    (["--lr", "nan"], "--lr must be a positive number"),
    (["--epochs", "0"], "--epochs must be at least 1"),
    (["--batch", "0"], "--batch must be at least 1"),
    (["--layers", "2,2,3"], None),          # XOR's 2 classes fit 3 one-hot outputs
    (["--layers", "3,2,1"], "the data has 2 features per sample but the input layer has 3"),
    (["--layers", "64,10,1", "--data", "digits"], "the labels take 10 values"),
    (["--layers", "64,10,5", "--data", "digits"], "output layer has 5 units"),
    (["--data", "mnist"], "unknown data 'mnist'"),
    (["--activation", "sigma"], "generic function"),
    (["--plot", "curve.pdf", "--epochs", "1"], "PNG"),
])
def test_bad_settings_are_one_line_errors_exit_2(argv, message, capsys):
    code, out, err = run([*argv, "--epochs", "1"] if "--epochs" not in argv else argv, capsys)
    if message is None:
        assert code == 0
        return
    assert code == 2, out
    assert message in err and err.count("\n") == 1


def test_argparse_rejects_a_non_number(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["train", "--lr", "fast"])
    assert stop.value.code == 2
    assert "--lr takes a number" in capsys.readouterr().err


# -- CSV files -----------------------------------------------------------------------------------
def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("text, message", [
    ("1,2,0\n3,4\n", "line 2: ragged row: 2 cells, but the first row has 3"),
    ("1,2,0\n3,abc,1\n", "line 2, column 2: 'abc' is not a number"),
    ("1,2,0\n3,4,0.5\n", "line 2: the label 0.5 in the last column is not a class"),
    ("1,2,0\n3,4,-1\n", "the label -1"),
    ("1,2,0\n3,inf,1\n", "'inf' is not a finite number"),
    ("a,b,label\n", "no data rows"),
    ("\n\n", "no data rows"),
    ("1\n2\n", "at least one feature and a label"),
])
def test_bad_csv_files_name_the_line(tmp_path, text, message, capsys):
    path = write(tmp_path, text)
    code, _, err = run(["--data", path, "--epochs", "1"], capsys)
    assert code == 2
    assert message in err and path in err and err.count("\n") == 1


def test_a_missing_csv_file_is_a_clear_error(tmp_path, capsys):
    code, _, err = run(["--data", str(tmp_path / "none.csv")], capsys)
    assert code == 2 and "cannot read the data file" in err


def test_a_csv_with_a_header_trains_and_labels_must_fit(tmp_path, capsys):
    rows = ["x1,x2,label"] + [f"{a},{b},{a ^ b}" for a in (0, 1) for b in (0, 1)] * 3
    path = write(tmp_path, "\n".join(rows) + "\n")
    code, out, _ = run(["--data", path, "--epochs", "5"], capsys)
    assert code == 0 and "10 training samples" in out and "2 test samples" in out
    three = write(tmp_path, "0,0,0\n0,1,1\n1,0,2\n", "three.csv")
    code, _, err = run(["--data", three, "--layers", "2,2,1"], capsys)
    assert code == 2 and "the labels take 3 values (0..2) but the output layer has 1 unit" in err


def test_shipped_data_sets_load_without_scikit_learn():
    digits, _ = datasets.load("digits", seed=0)
    assert digits.X.shape == (1438, 64) and digits.X_test.shape == (359, 64)
    assert digits.classes == 10 and 0.0 <= digits.X.min() and digits.X.max() <= 1.0
    iris, _ = datasets.load("iris", seed=0)
    assert iris.X.shape[1] == 4 and iris.classes == 3
    xor, _ = datasets.load("xor")
    assert not xor.has_test and xor.X.shape == (4, 2)
