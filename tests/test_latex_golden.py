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
    "network-2-2-tanh-quadratic.tex": NetworkSpec((2, 2), activation="tanh"),
    "network-2-2-relu-quadratic.tex": NetworkSpec((2, 2), activation="relu"),
    "network-2-2-softplus-quadratic.tex": NetworkSpec((2, 2), activation="softplus"),
    "network-2-1-identity-quadratic.tex": NetworkSpec((2, 1), activation="identity"),
    "network-2-2-softmax-log-likelihood.tex": NetworkSpec((2, 2), activation="softmax",
                                                          cost="log_likelihood"),
}
#: Derivation files with failing claims (and claims that hold), as `symbp latex FILE` writes them.
FILES = {"file-four-horsemen-blog.tex": "four-horsemen-blog.toml",
         "file-nielsen-softmax-log-likelihood.tex": "nielsen-softmax-log-likelihood.toml"}


def _document(name: str) -> str:
    if name in CASES:
        return derivation_document(derive(CASES[name]))
    from symbp.checked import FileDerivation
    from symbp.printing.latex_document import file_document
    source = GOLDEN.parent.parent / "derivations" / FILES[name]
    checked = FileDerivation.check(source.read_text(encoding="utf-8"), f"derivations/{FILES[name]}")
    return file_document(checked.file, checked.results)


@pytest.mark.parametrize("name", [*CASES, *FILES])
def test_latex_matches_the_golden_file(name):
    tex = _document(name)
    path = GOLDEN / name
    if os.environ.get("SYMBP_UPDATE_GOLDEN"):
        path.write_text(tex, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with SYMBP_UPDATE_GOLDEN=1 to create it"
    assert tex == path.read_text(encoding="utf-8"), \
        f"the LaTeX of {name} changed; if intended, regenerate with SYMBP_UPDATE_GOLDEN=1"
