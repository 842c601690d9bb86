"""Bad input never crashes, hangs, leaks or loses a claim (issue 11's reproducers, one test each).

The checks go through the public paths (`symbp check`, `check_files`), so they hold whatever the
reader does with a formula: a claim that breaks is that claim's `error` or `undecided`, and every
other claim of the file still gets its verdict.
"""
from __future__ import annotations

import os
import time

import numpy as np
import pytest

from symbp import workers
from symbp.cli import main
from symbp.terminal import safe
from tests.fuzz_inputs import NETWORK

BP1 = r"\delta^L_j = (a^L_j - y_j) \sigma^\prime(z^L_j)"
BP1_WRONG = r"\delta^L_j = (a^L_j - y_j)"


def claims_file(*latex: str, head: str = NETWORK, names=None) -> str:
    names = names or [f"c{n}" for n in range(len(latex))]
    body = head
    for name, formula in zip(names, latex):
        body += f"[[claim]]\nname = {name!r}\nlatex = '{formula}'\n"
    return body


def check(tmp_path, text: str, capsys, *extra: str) -> tuple[int, str, str]:
    path = tmp_path / "f.toml"
    path.write_text(text, encoding="utf-8")
    code = main(["check", str(path), *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def verdicts(out: str) -> dict[str, str]:
    found = {}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("  ") and not line.startswith("    ") and len(parts) >= 2:
            found[parts[1]] = parts[0]
    return found


# -- one claim cannot take the file down ----------------------------------------------------------
@pytest.mark.parametrize("formula", [
    r"\delta_j^l = 1.0",                              # a decimal claim without `values`
    r"\nabla_a y = (a^L - C)",                        # a matrix inside a scalar operation
    r"\delta^l_j = \sqrt{-\frac{1}{2}}",              # the engine's evalf "Not Implemented"
    r"\delta^L_j = \frac{e^{z^L_j}}{\sum_k 0^{z^L_k}}",   # a softmax denominator of 0^z
    r"e^{\frac{1}{0}} = x_1",                         # complex infinity in exp
    r"\tanh(\frac{1}{0}) = x_1",                      # and in tanh
    r"x_1 = 10^{10^{10}}",                            # a GMP abort, in C
])
def test_a_breaking_claim_leaves_the_others_their_verdicts(formula, tmp_path, capsys):
    code, out, _ = check(tmp_path, claims_file(BP1, formula, BP1_WRONG), capsys)
    got = verdicts(out)
    assert got["c0"] == "holds" and got["c2"] == "FAILS"
    assert got["c1"] in ("ERROR", "undecided", "FAILS", "holds")
    assert code in (1, 2) and "3 claims in 1 file" in out


def test_a_power_too_large_to_compute_is_refused_at_its_place(tmp_path, capsys):
    """10^{10^{10}} used to abort inside GMP (a C abort, only the worker's death stopped it);
    the evaluator now refuses it, and a tower that grows digit by digit, before computing it."""
    tower = "((((((10^{64})^{64})^{64})^{64})^{64})^{64})"
    code, out, _ = check(tmp_path, claims_file(BP1, r"x_1 = 10^{10^{10}}",
                                               rf"\delta^L_j = {tower} (a^L_j - y_j)"), capsys)
    assert code == 2 and verdicts(out) == {"c0": "holds", "c1": "ERROR", "c2": "ERROR"}
    assert "claim c1, column 11: the exponent 10000000000 is beyond the limit of 64" in out
    assert "claim c2, column 19: this power has about 4096 digits" in out


@pytest.mark.parametrize("formula, column", [
    (r"z^l_j \exp \frac{1}{0} = \sigma^\prime(z^l_j)", 21),       # was the engine's "exp of zoo"
    (r"\delta^L_j = \frac{a^L_j}{y_j - y_j}", 27),
    (r"\delta^L_j = 0^{-2} a^L_j", 14),
])
def test_a_division_by_zero_is_an_error_at_its_place(formula, column, tmp_path, capsys):
    code, out, _ = check(tmp_path, claims_file(BP1, formula), capsys)
    assert code == 2 and verdicts(out) == {"c0": "holds", "c1": "ERROR"}
    assert f"claim c1, column {column}: " in out and "division by zero" in out


# -- the worker pool itself: crashes, aborts, memory and time, each one claim's -------------------
def _misbehave(prep, index, claim_seconds=None):
    """A stand-in for the checker (inherited by the forked workers) that fails by claim name."""
    name = prep.claims[index].spec.label
    if name == "abort":
        os.abort()
    if name == "exit":
        os._exit(7)
    if name == "hang":
        time.sleep(60)
    if name == "memory":
        return bytearray(4 * 2**30)                            # above the limit
    if name == "bug":
        raise KeyError("E")
    return ORIGINAL(prep, index, claim_seconds)


ORIGINAL = workers.check_prepared


def test_each_failing_worker_costs_only_its_claim(monkeypatch):
    monkeypatch.setattr(workers, "check_prepared", _misbehave)
    names = ["abort", "ok1", "exit", "hang", "memory", "ok2", "bug"]
    text = claims_file(*([BP1] * len(names)), names=names)
    start = time.monotonic()
    [report] = workers.check_files([("f.toml", text)], jobs=2, claim_seconds=6,
                                   hard_seconds=8, memory=2**30)   # room for a loaded machine
    assert time.monotonic() - start < 40
    got = {r.name: r for r in report.results}
    assert [r.name for r in report.results] == names
    assert got["ok1"].verdict == got["ok2"].verdict == "holds"
    assert got["abort"].verdict == "undecided" and "SIGABRT" in got["abort"].reason
    assert got["exit"].verdict == "undecided" and "status 7" in got["exit"].reason
    assert got["hang"].verdict == "undecided" and "time limit of 8 s" in got["hang"].reason
    assert got["memory"].verdict == "undecided" and "memory limit of 1024 MB" in \
        got["memory"].reason
    assert got["bug"].verdict == "error" and "f.toml, claim bug" in got["bug"].error \
        and "KeyError" in got["bug"].error


def test_workers_and_in_process_give_the_same_verdicts():
    text = claims_file(BP1, BP1_WRONG, r"\frac{\partial C}{\partial b^l_j} = \delta^l_j")
    [a] = workers.check_files([("f.toml", text)], jobs=2)
    [b] = workers.check_files([("f.toml", text)], jobs=0)
    assert [r.to_dict() | {"seconds": 0} for r in a.results] == \
        [r.to_dict() | {"seconds": 0} for r in b.results]
    assert [r.verdict for r in a.results] == ["holds", "fails", "holds"]


def test_check_one_checks_claim_number_index():
    text = claims_file(BP1, BP1_WRONG)
    assert workers.check_one(text, "f.toml", 1).verdict == "fails"
    assert workers.check_one("x = [", "f.toml", 0).name == "(file)"


# -- values, TOML and files are validated where they enter ----------------------------------------
@pytest.mark.parametrize("value", ['"abc"', "inf", "nan", '"1/0"', '""', '"1e999999999"',
                                   "1e300", '"' + "9" * 80 + '"', "[1]", "true"])
def test_a_bad_value_is_one_located_line(value, tmp_path, capsys):
    text = claims_file(BP1, head=NETWORK + f"values = {{ x_1 = {value} }}\n")
    start = time.monotonic()
    code, out, _ = check(tmp_path, text, capsys)
    assert time.monotonic() - start < 10
    assert code == 2
    [line] = [ln for ln in out.splitlines() if "error:" in ln]
    assert "f.toml, line 9" in line and "'x_1'" in line


@pytest.mark.parametrize("text", ["a = " + "[" * 500 + "]" * 500,
                                  "a = " + "{b=" * 500 + "1" + "}" * 500,
                                  "title = " + "9" * 4301])
def test_hostile_toml_is_one_line(text, tmp_path, capsys):
    code, out, _ = check(tmp_path, text, capsys)
    assert code == 2 and out.count("error:") == 1


def test_a_byte_order_mark_is_accepted(tmp_path, capsys):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + claims_file(BP1).encode())
    assert main(["check", str(path)]) == 0
    assert "1 hold" in capsys.readouterr().out


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused_without_reading_it(special, capsys):
    if not os.path.exists(special):
        pytest.skip(f"no {special} here")
    assert main(["check", special]) == 2
    out = capsys.readouterr().out
    assert "not a regular file" in out


def test_a_fifo_is_refused_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert main(["check", str(tmp_path)]) == 2
    assert "not a regular file" in capsys.readouterr().out


@pytest.mark.parametrize("scale, message", [("0", "positive"), ("-1", "positive"),
                                            ("1e999999999", "takes a number"),
                                            ("1/0", "takes a number"), ("abc", "takes a number")])
def test_cost_scale_is_positive_and_bounded(scale, message, capsys):
    start = time.monotonic()
    assert main(["prove", "--layers", "2,1", f"--cost-scale={scale}"]) == 2
    assert time.monotonic() - start < 5
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


# -- what reaches the terminal ---------------------------------------------------------------------
@pytest.mark.parametrize("name", ["two\nlines", "red\x1b[31mtext", "nul\x00byte",
                                  "rtl\u202eevil", "bell\x07", "c1\x9bx"])
def test_hostile_claim_names_are_printed_as_one_plain_line(name, tmp_path, capsys):
    text = claims_file(BP1_WRONG, names=[name]).replace(repr(name), _toml_string(name))
    code, out, _ = check(tmp_path, text, capsys)
    assert code == 1
    lines = [ln for ln in out.splitlines() if "FAILS" in ln]
    assert len(lines) == 1
    assert not any(c in out for c in "\x1b\x00\u202e\x07\x9b")
    assert safe(name) in lines[0]


def _toml_string(text: str) -> str:
    return '"' + "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f
                         else c for c in text) + '"'


def test_json_output_escapes_what_a_terminal_would_act_on(tmp_path, capsys):
    import json
    name = "rtl\u202eevil\x9b"
    text = claims_file(BP1, names=[name]).replace(repr(name), _toml_string(name))
    code, out, _ = check(tmp_path, text, capsys, "--json")
    assert code == 0 and "\u202e" not in out and "\x9b" not in out
    assert json.loads(out)[0]["name"] == name


def test_safe_keeps_ordinary_unicode():
    assert safe("σ′(zˡ) ⊙ ∇ₐC — δ") == "σ′(zˡ) ⊙ ∇ₐC — δ"
    assert safe("a\nb\x1b[2J") == "a\\nb\\e[2J"


# -- counterexamples are real ----------------------------------------------------------------------
def test_a_complex_root_is_no_counterexample(tmp_path, capsys):
    head = "define = ['f = u']\n"
    code, out, _ = check(tmp_path, claims_file(r"(u^3)^{1/3} = u", r"(u^2)^{1/2} = u",
                                               head=head), capsys)
    got = verdicts(out)
    assert got["c0"] != "FAILS"             # true for every real u where it is real
    assert got["c1"] == "FAILS"             # |u| = u fails at a negative u, with real values


# -- files written ---------------------------------------------------------------------------------
def test_codegen_output_has_the_mode_of_any_new_file(tmp_path, capsys):
    out = tmp_path / "net.py"
    old = os.umask(0o022)
    try:
        assert main(["codegen", "--layers", "2,1", "-o", str(out)]) == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["net.py"]


def test_train_plot_into_a_missing_folder_fails_before_training(tmp_path, capsys):
    target = tmp_path / "missing" / "loss.png"
    assert main(["train", "--data", "xor", "--plot", str(target)]) == 2
    out, err = capsys.readouterr()
    assert "does not exist" in err and "training:" not in out


def test_float32_sigmoid_does_not_overflow():
    from symbp.codegen.numpy_rules import helpers_namespace
    z = np.array([-1000.0, 1000.0], dtype=np.float32)
    with np.errstate(over="raise"):
        low, high = helpers_namespace()["sigmoid"](z).tolist()
    assert 0.0 <= low < 1e-37 and high == 1.0


def test_work_that_ignores_the_alarm_is_stopped_by_the_parent():
    # two nested 4,096-term sums: 16.7 M terms, each sum within its own limit
    slow = r"\sum_{i=1}^{4096} \sum_{k=1}^{4096} x_1 = x_1"
    start = time.monotonic()
    [report] = workers.check_files([("f.toml", claims_file(slow, BP1))], jobs=2,
                                   claim_seconds=1, hard_seconds=3)
    assert time.monotonic() - start < 20
    assert [r.verdict for r in report.results] == ["undecided", "holds"]
    assert "time limit" in report.results[0].reason
