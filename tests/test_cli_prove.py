"""`symbp prove` end to end: tables, JSON, exit codes, and one-line errors for bad input."""
import json
import subprocess
import sys

import pytest

from symbp.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "symbp.cli", *args], capture_output=True,
                          text=True, timeout=300)


def test_default_network_is_proved(capsys):
    assert main(["prove"]) == 0
    out = capsys.readouterr().out
    for name in ("BP1", "BP2", "BP3", "BP4"):
        assert name in out
    assert "24 of 24 instances proved" in out


@pytest.mark.parametrize("layers", ["2,3,2", "3,4,4,2", "2,3,3,2,2"])
@pytest.mark.parametrize("activation", ["sigma", "sigmoid", "tanh", "softplus", "relu"])
def test_json_reports_every_instance_proved(layers, activation, capsys):
    assert main(["prove", "--layers", layers, "--activation", activation, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["network"]["layers"] == [int(n) for n in layers.split(",")]
    assert {e["equation"] for e in data["equations"]} >= {"BP1", "BP2", "BP3", "BP4"}
    assert all(e["verdict"] == "proved" and e["proved"] == e["instances"]
               for e in data["equations"])
    if activation == "relu":
        assert any("kink" in e["note"] for e in data["equations"])


@pytest.mark.parametrize("args,message", [
    (["--layers", "0,2"], "at least 1"),
    (["--layers", "a,b"], "whole numbers"),
    (["--activation", "swish"], "valid: sigma, sigmoid"),
    (["--cost", "hinge"], "valid: quadratic, cross_entropy, log_likelihood"),
    (["--bias", "sideways"], "valid: add, subtract, unit, none"),
    (["--layers", "2,200,2"], "network too large: 200 units in a layer (the limit is 64"),
    (["--layers", "64,64,64,64"], "the limit is 6000 parameters"),
    (["--layers", "5"], "at least two layers"),
    (["--cost-scale", "half"], "--cost-scale"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = run("prove", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr


def test_unknown_flag_is_exit_2():
    result = run("prove", "--frobnicate")
    assert result.returncode == 2 and "Traceback" not in result.stderr
