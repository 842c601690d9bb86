"""Metamorphic tests over every file in derivations/: rewriting a file's notation in a way that
does not change its mathematics must leave every verdict as it was.

The rewrites work on the formulas' syntax trees (tests/rewrite_helpers.py): renaming families and
index letters consistently, switching the layer-script style (^l, ^{(l)}, ^{[l]}), numbering the
layers from 0 instead of 1 (or from 1 instead of 0), and reversing a weight family's index order
in its definition and every use. Hypothesis draws the renaming (one derandomized example: every
renamable letter gets a fresh one); each test checks every file once, to stay near 30 s.
"""
from __future__ import annotations

import functools
import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbp.check import check_text
from tests import rewrite_helpers as R

DERIVATIONS = Path(os.environ.get("SYMBP_DERIVATIONS",
                                  Path(__file__).resolve().parents[1] / "derivations"))
FILES = sorted(DERIVATIONS.glob("*.toml"))

ONCE = settings(max_examples=1, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


@functools.cache
def verdicts_of(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((r.name, r.verdict) for r in check_text(text, "m.toml"))


def original(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def assert_same_verdicts(path: Path, new_text: str, what: str) -> None:
    before = verdicts_of(original(path))
    after = verdicts_of(new_text)
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and not changed, (
        f"{path.name}, {what}: verdicts changed {changed[:6]}\n--- rewritten file ---\n{new_text}")


def transformed(path: Path, transform) -> str | None:
    """The file rewritten by `transform(doc)`, or None where it does not apply."""
    doc = R.load(original(path))
    try:
        transform(doc)
    except R.NotApplicable:
        return None
    return R.dumps(doc)


def _run_all(transform_for, what: str) -> None:
    applied = 0
    for path in FILES:
        new = transformed(path, transform_for(path))
        if new is None:
            continue
        applied += 1
        assert new != R.dumps(R.load(original(path))), f"{path.name}: {what} changed nothing"
        assert_same_verdicts(path, new, what)
    if not applied:
        pytest.skip(f"{what} applies to no file in {DERIVATIONS}")


def test_there_are_derivation_files():
    assert len(FILES) >= 5, DERIVATIONS


# -- renaming --------------------------------------------------------------------------------------
@ONCE
@given(st.data())
def test_renaming_letters_consistently_keeps_every_verdict(data):
    """Every letter that may be renamed gets a fresh one of the same case; Greek names too."""
    def transform_for(path):
        def transform(doc):
            sources, fresh, g_sources, g_fresh = R.renamable(doc)
            pool = {case: data.draw(st.permutations([c for c in fresh if c.isupper() == case]),
                                    label=f"{path.name}: fresh {'capitals' if case else 'small'}")
                    for case in (True, False)}
            order = data.draw(st.permutations(sources), label=f"{path.name}: letters")
            mapping = {}
            for letter in order:
                if pool[letter.isupper()]:
                    mapping[letter] = pool[letter.isupper()].pop()
            greek = data.draw(st.permutations(g_fresh), label=f"{path.name}: Greek")
            mapping.update(zip(g_sources, greek))
            R.rename(doc, mapping)
        return transform
    _run_all(transform_for, "renaming")


# -- layer-script style ----------------------------------------------------------------------------
@pytest.mark.parametrize("style", ["(", "["])
def test_switching_the_layer_script_style_keeps_every_verdict(style):
    _run_all(lambda path: (lambda doc: R.restyle(doc, style)), f"layer style {style}")


# -- layer numbering -------------------------------------------------------------------------------
def test_numbering_layers_from_the_other_end_keeps_every_verdict():
    _run_all(lambda path: R.renumber, "renumbering layers")


# -- weight-index order ----------------------------------------------------------------------------
def test_reversing_the_weight_index_order_keeps_every_verdict():
    """Every weight family (w^l_{jk}, and an alias W^l_{jk} = w^l_{jk}) written the other way round."""
    def transform(doc):
        families = []
        for family in R.weight_families(doc):
            try:
                R.reverse_indices(R.load(R.dumps(doc)), family)
                families.append(family)
            except R.NotApplicable:
                pass
        if not families:
            raise R.NotApplicable("no weights with two indices")
        for family in families:
            R.reverse_indices(doc, family)
    _run_all(lambda path: transform, "reversing the weight-index order")


# -- the rewrites themselves, on a file small enough to check by eye -------------------------------
SMALL = r"""
layers = [[2, 3, 2]]
define = [
  'a^1_j = x_j',
  'z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j',
  'a^l_j = \sigma(z^l_j)',
  'C = \frac{1}{2} \sum_j (a^L_j - y_j)^2',
  '\delta^l_j = \frac{\partial C}{\partial z^l_j}',
]

[[claim]]
latex = '''\delta^l = ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)'''
where = '2 \le l \le L-1, j \le 2'

[[claim]]
latex = '\frac{\partial C}{\partial w^2_{0j}} = (a^L_1 - y_1)^2'
"""


def _small(transform) -> tuple[list[str], list[str], dict]:
    doc = R.load(SMALL)
    transform(doc)
    doc = R.load(R.dumps(doc))                     # the output is TOML that reads back
    return doc["define"], [c["latex"] for c in doc["claim"]], doc


def test_restyle_rewrites_layer_superscripts_only():
    define, claims, _ = _small(lambda d: R.restyle(d, "["))
    assert define[1] == r"z^{[l]}_j = \sum_k w^{[l]}_{jk} a^{[l-1]}_k + b^{[l]}_j"
    assert define[3] == r"C = \frac{1}{2} \sum_j (a^{[L]}_j - y_j)^2"       # the power stays
    assert claims[0] == (r"\delta^{[l]} = ((w^{[l+1]})^T \delta^{[l+1]}) \odot "
                         r"\sigma'(z^{[l]})")
    assert claims[1] == r"\frac{\partial C}{\partial w^{[2]}_{0j}} = (a^{[L]}_1 - y_1)^2"


def test_renumber_shifts_concrete_layers_and_where_bounds_only():
    define, claims, doc = _small(R.renumber)
    assert doc["first_layer"] == 0 and define[0] == "a^0_j = x_j"
    assert define[1] == r"z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j"
    assert doc["claim"][0]["where"] == r"1 \le l \le L-1, j \le 2"       # the unit bound stays
    assert claims[1] == r"\frac{\partial C}{\partial w^1_{0j}} = (a^L_1 - y_1)^2"


def test_reverse_swaps_every_use_and_transposes_the_matrix():
    define, claims, _ = _small(lambda d: R.reverse_indices(d, "w"))
    assert define[1] == r"z^l_j = \sum_k w^l_{kj} a^{l-1}_k + b^l_j"
    assert claims[0].startswith(r"\delta^l = (((w^{l+1})^T)^T \delta^{l+1})")
    assert claims[1].startswith(r"\frac{\partial C}{\partial w^2_{j,0}}")


def test_rename_is_consistent_and_leaves_fixed_letters():
    define, claims, doc = _small(lambda d: R.rename(d, {"a": "h", "j": "u", r"\delta": r"\beta"}))
    assert define[2] == r"h^l_u = \sigma(z^l_u)"
    assert define[4] == r"\beta^l_u = \frac{\partial C}{\partial z^l_u}"
    assert doc["claim"][0]["where"] == r"2 \le l \le L-1, u \le 2"
    assert "L" in claims[1] and "T" in claims[0]


# -- the contract's own case files, in the notations derivations/ may not have yet -----------------
def _contract_cases() -> dict[str, str]:
    from tests import test_second_edition as SE
    return {"NG": SE.NG, "GOODFELLOW": SE.GOODFELLOW, "DOC_000": SE.DOC_000}


def _rename_layer_letter(doc: dict) -> None:
    _, fresh, _, _ = R.renamable(doc)
    letter = sorted(R.layer_letters(doc))[0]
    R.rename(doc, {letter: next(c for c in fresh if c.islower())})


@pytest.mark.parametrize("case", ["NG", "GOODFELLOW", "DOC_000"])
@pytest.mark.parametrize("transform", ["rename-layer-letter", "plain-style"])
def test_contract_cases_keep_their_verdicts(case, transform):
    text = textwrap.dedent(_contract_cases()[case])
    doc = R.load(text)
    if transform == "rename-layer-letter":
        _rename_layer_letter(doc)
    else:
        R.restyle(doc, "plain")
    new = R.dumps(doc)
    before, after = verdicts_of(text), verdicts_of(new)
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert not changed, f"{case}, {transform}: verdicts changed {changed[:6]}\n{new}"


def test_reverse_transposes_a_delta_name_whole():
    doc = R.load(r"""
layers = [[2, 3, 2]]
define = ['z^l_j = \sum_k W^l_{jk} a^{l-1}_k', '\Delta W^l_{jk} = -\eta a^{l-1}_k']
[[claim]]
latex = '\Delta W^l = -\eta a^{l-1}'
""")
    R.reverse_indices(doc, "W")
    assert doc["define"][1] == r"\Delta W^l_{kj} = -\eta a^{l-1}_k"
    assert doc["claim"][0]["latex"] == r"(\Delta W^l)^T = -\eta a^{l-1}"
