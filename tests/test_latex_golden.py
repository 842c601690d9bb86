"""Golden files: the LaTeX of two small networks, so any change to the output shows in review.

After an intended change, regenerate with `SYMBP_UPDATE_GOLDEN=1 python -m pytest
tests/test_latex_golden.py` and read the diff of tests/golden/ before committing it.
"""
import os
from pathlib import Path

import pytest

from symbp.derive import derive
from symbp.network import NetworkSpec
from symbp.printing.latex_document import derivation_document

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = {
    "network-2-2-1-sigma-quadratic.tex": NetworkSpec((2, 2, 1)),
    "network-2-2-sigmoid-cross-entropy.tex": NetworkSpec((2, 2), activation="sigmoid",
                                                         cost="cross_entropy"),
}


@pytest.mark.parametrize("name", CASES)
def test_latex_matches_the_golden_file(name):
    tex = derivation_document(derive(CASES[name]))
    path = GOLDEN / name
    if os.environ.get("SYMBP_UPDATE_GOLDEN"):
        path.write_text(tex, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with SYMBP_UPDATE_GOLDEN=1 to create it"
    assert tex == path.read_text(encoding="utf-8"), \
        f"the LaTeX of {name} changed; if intended, regenerate with SYMBP_UPDATE_GOLDEN=1"
