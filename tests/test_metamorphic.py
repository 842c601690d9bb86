"""Metamorphic tests over every file in derivations/: rewriting a file's notation in a way that
does not change its mathematics must leave every verdict as it was.

The rewrites work on the formulas' syntax trees (tests/rewrite_helpers.py): renaming families and
index letters consistently, switching the layer-script style (^l, ^{(l)}, ^{[l]}), numbering the
layers from 0 instead of 1 (or from 1 instead of 0), and reversing every weight family's index
order in its definition and every use. Each file gets all four rewrites at once (one check of
the rewritten file, so the cost is twice `symbp check derivations/`); when a verdict changes, the
failure names which rewrite alone changes it. Hypothesis draws the renaming and the style (one
derandomized example). Each rewrite is also tried alone on the contract's own case files, which
use notations derivations/ may not have.
"""
from __future__ import annotations

import functools
import os
import re
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


def changes(text: str, new_text: str) -> list:
    before, after = verdicts_of(text), verdicts_of(new_text)
    if len(before) != len(after):
        return [("claims", len(before), len(after))]
    return [(a, b[1]) for a, b in zip(before, after) if a != b]


WORD = re.compile(r"\\(?:text|textrm|mathrm|operatorname)\s*\{([A-Za-z]+)\}")


# -- the four rewrites, with their parameters drawn ---------------------------------------------------
def draw_renaming(data, doc: dict, label: str) -> dict[str, str]:
    """Every renamable letter to a fresh one of the same case, every Greek family name too."""
    sources, fresh, g_sources, g_fresh = R.renamable(doc)
    pool = {case: data.draw(st.permutations([c for c in fresh if c.isupper() == case]),
                            label=f"{label}: fresh {'capitals' if case else 'small'}")
            for case in (True, False)}
    mapping, reserved = {}, {}
    in_words = {c for f in R.formulas(doc) for w in WORD.findall(f.text) for c in w}
    for letter in data.draw(st.permutations(sources), label=f"{label}: letters"):
        if letter.swapcase() in R.FIXED and letter in in_words:
            continue                                # T stays, so t stays: Total is total
        own, other = pool[letter.isupper()], pool[not letter.isupper()]
        if letter in reserved:                      # W and w stay a pair (W is w's matrix)
            mapping[letter] = reserved.pop(letter)
            continue
        twin = letter.swapcase()
        if twin in sources:
            choice = next((c for c in reversed(own) if c.swapcase() in other), None)
            if choice is not None:
                other.remove(choice.swapcase())
                reserved[twin] = choice.swapcase()
        else:
            choice = own[-1] if own else None
        if choice is not None:
            mapping[letter] = choice
            own.remove(choice)
    mapping.update(zip(g_sources, data.draw(st.permutations(g_fresh), label=f"{label}: Greek")))
    return mapping


def reverse_all(doc: dict) -> None:
    """Every weight family (w^l_{jk}, an alias W^l_{jk} = w^l_{jk}) written the other way round."""
    families = [f for f in R.weight_families(doc) if applies(lambda d: R.reverse_indices(d, f), doc)]
    if not families:
        raise R.NotApplicable("no weights with two indices")
    for family in families + _capital_matrices(doc, families):
        R.reverse_indices(doc, family)


def _capital_matrices(doc: dict, families: list[str]) -> list[str]:
    """`W` or `\\hat{W}` that no definition prints, beside a weight family w: the matrix of w
    (symbp reads it so), reversed with it."""
    printed = {R.base_key(f.text, a) for f in R.formulas(doc) if f.kind == "define"
               for piece in R.formula_pieces(f.text, f.kind)
               for a in R.nodes(R.parse(piece)) if isinstance(a, R.S.Atom)}
    used = {R.base_key(f.text, a) for f in R.formulas(doc)
            for piece in R.formula_pieces(f.text, f.kind)
            for a in R.nodes(R.parse(piece)) if isinstance(a, R.S.Atom)}
    out = []
    for family in families:
        if len(family) == 1 and family.islower():
            for cap in (family.upper(), rf"\hat{{{family.upper()}}}"):
                if cap in used and cap not in printed and family.upper() not in printed:
                    out.append(cap)
    if out and any(f"{{{c}^" in f.text for c in out for f in R.formulas(doc)):
        raise R.NotApplicable("a matrix printed with its scripts inside a decoration, "
                              "\\hat{W^L}: its transpose cannot be written there")
    return out


def applies(transform, doc: dict) -> bool:
    try:
        transform(R.load(R.dumps(doc)))
    except R.NotApplicable:
        return False
    return True


def rewrites(data, doc: dict, label: str) -> list[tuple[str, object]]:
    """The four rewrites for one file, parameters drawn."""
    mapping = draw_renaming(data, doc, label)
    style = data.draw(st.sampled_from(["(", "[", "plain"]), label=f"{label}: style")
    return [(f"renaming {mapping}", lambda d: R.rename(d, mapping)),
            (f"layer style {style}", lambda d: R.restyle(d, style)),
            ("renumbering the layers", R.renumber),
            ("reversing the weight-index order", reverse_all)]


def rewritten(text: str, steps) -> tuple[str, list[str]]:
    """`text` with every step that applies, in turn; the names of those applied."""
    doc, done = R.load(text), []
    for name, step in steps:
        trial = R.load(R.dumps(doc))
        try:
            step(trial)
        except R.NotApplicable:
            continue
        if R.dumps(trial) != R.dumps(doc):
            doc = trial
            done.append(name)
    return R.dumps(doc), done


def test_there_are_derivation_files():
    assert len(FILES) >= 5, DERIVATIONS


@ONCE
@given(st.data())
def test_all_four_rewrites_keep_every_verdict_of_every_file(data):
    applied = {name: 0 for name in ("renaming", "layer style", "renumbering", "reversing")}
    failures = []
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        steps = rewrites(data, R.load(text), path.name)
        new, done = rewritten(text, steps)
        for name in done:
            applied[next(k for k in applied if name.startswith(k))] += 1
        changed = changes(text, new)
        if changed:
            alone = [name for name, step in steps if name in done
                     and changes(text, rewritten(text, [(name, step)])[0])]
            failures.append(f"{path.name}: verdicts changed {changed[:6]}\n  under {done};\n"
                            f"  alone, these change them: {alone or 'none (only together)'}")
    assert not failures, "\n".join(failures)
    assert applied["renaming"] == len(FILES), applied
    assert all(applied.values()), f"a rewrite applied to no file: {applied}"


# -- each rewrite alone on the contract's case files --------------------------------------------------
def _contract_cases() -> dict[str, str]:
    from tests import test_second_edition as SE
    return {"NG": SE.NG, "GOODFELLOW": SE.GOODFELLOW, "DOC_000": SE.DOC_000}


def _rename_layer_letter(doc: dict) -> None:
    _, fresh, _, _ = R.renamable(doc)
    letter = sorted(R.layer_letters(doc))[0]
    R.rename(doc, {letter: next(c for c in fresh if c.islower())})


CASE_REWRITES = {
    "rename-layer-letter": _rename_layer_letter,
    "plain-style": lambda d: R.restyle(d, "plain"),
    "bracket-style": lambda d: R.restyle(d, "["),
    "renumber": R.renumber,
    "reverse": reverse_all,
}


@pytest.mark.parametrize("case", ["NG", "GOODFELLOW", "DOC_000"])
@pytest.mark.parametrize("rewrite", sorted(CASE_REWRITES))
def test_contract_cases_keep_their_verdicts(case, rewrite):
    text = textwrap.dedent(_contract_cases()[case])
    new, done = rewritten(text, [(rewrite, CASE_REWRITES[rewrite])])
    if not done:
        pytest.skip(f"{rewrite} does not apply to {case}")
    changed = changes(text, new)
    assert not changed, f"{case}, {rewrite}: verdicts changed {changed[:6]}\n{new}"


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
