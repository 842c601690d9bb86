"""Fuzzing formulas, files and command lines (hypothesis, derandomized; well under a minute):
exit status 0/1/2 only, one located line per error, no traceback, every claim still reported.
The same generators run at scale in benchmarks/fuzz_scale.py."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbp.cli import main
from symbp.workers import check_files
from tests.fuzz_inputs import GOOD, claims_file, formula, mutate

ROOT = Path(__file__).resolve().parent.parent
def fuzz(examples: int) -> settings:
    return settings(derandomize=True, deadline=None, database=None, max_examples=examples,
                    suppress_health_check=list(HealthCheck))
LIMITS = {"claim_seconds": 2.0, "hard_seconds": 4.0}


def assert_reported(report, count: int) -> None:
    """Every claim has a verdict; an error is one line naming the file (and claim)."""
    assert len(report.results) == count or report.results[0].name == "(file)"
    for r in report.results:
        assert r.verdict in ("holds", "fails", "undecided", "error")
        if r.verdict == "error":
            assert r.error and "\n" not in r.error and r.error.startswith(report.path)
            assert "Traceback" not in r.error


@fuzz(12)
@given(st.integers(0, 2**32 - 1))
def test_random_formulas_never_lose_a_claim(seed):
    rng = random.Random(seed)
    formulas = [formula(rng) for _ in range(4)] + GOOD
    [report] = check_files([("f.toml", claims_file(formulas))], jobs=2, **LIMITS)
    assert_reported(report, len(formulas))
    verdicts = [r.verdict for r in report.results[-3:]]
    assert verdicts == ["holds", "holds", "fails"]


@fuzz(10)
@given(st.integers(0, 2**32 - 1), st.sampled_from(sorted((ROOT / "derivations").glob("*.toml"))))
def test_mutated_files_are_reported_claim_by_claim(seed, path):
    rng = random.Random(seed)
    text = mutate(path.read_text(encoding="utf-8"), rng)
    [report] = check_files([(path.name, text)], jobs=2, **LIMITS)
    assert report.results
    assert_reported(report, len(report.results))


TOKENS = ["check", "prove", "codegen", "latex", "--json", "--jobs", "0", "1", "2", "-3", "x",
          "--layers", "2,1", "2,0", "1", "a,b", "--activation", "sigmoid", "nope", "relu,tanh",
          "--cost", "cross_entropy", "--cost-scale", "0", "1/2", "1e999999999", "nan",
          "--bias", "unit", "--samples", "2", "--form", "per-parameter", "--proof", "schema",
          "/dev/zero", "/nonexistent", "derivations/named-weights-slides.toml", "--param",
          "w^2_{11}", "\x1b[31m", "\u202e", ""]


@fuzz(40)
@given(argv=st.lists(st.sampled_from(TOKENS), min_size=1, max_size=7))
def test_command_lines_exit_0_1_2_in_one_line(argv, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    if argv[0] in ("codegen", "latex"):
        argv = [*argv, "-o", "/nonexistent-folder/out"]   # never write into the project
    try:
        code = main(argv)
    except SystemExit as stop:                             # argparse's usage errors
        code = stop.code
    out, err = capsys.readouterr()
    assert code in (0, 1, 2)
    assert "Traceback" not in out + err
    assert err.count("symbp: error:") <= 1
    for line in err.splitlines():
        assert "\x1b" not in line and "\u202e" not in line


@pytest.mark.parametrize("seed", range(3))
def test_generated_files_with_hostile_names(seed, tmp_path, capsys):
    rng = random.Random(seed)
    names = ["a\nb", "\x1b[2J", "\x00", "\u202eevil", "ok"]
    path = tmp_path / "f.toml"
    path.write_text(claims_file([formula(rng) for _ in names], names), encoding="utf-8")
    code = main(["check", str(path)])
    out, _ = capsys.readouterr()
    assert code in (0, 1, 2) and "5 claims in 1 file" in out
    assert not any(c in out for c in "\x1b\x00\u202e")
