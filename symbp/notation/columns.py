"""A batch matrix printed as the list of its examples, `X = [x^{(1)} \\ x^{(2)} \\ldots x^{(m)}]`
(one example per column, as Ng prints it) or `\\begin{bmatrix} x^{(1)T} \\\\ \\vdots \\\\ x^{(m)T}
\\end{bmatrix}` (one per row), is the entry definition symbp reads, `X_{ki} = x^{(i)}_k` (or
`X_{ik}`): this module writes that definition, in letters the file does not use."""
from __future__ import annotations

from dataclasses import dataclass

from symbp.notation import syntax as S
from symbp.notation.samples import BATCH_NAMES
from symbp.notation.shapes import unwrap, walk_syntax

_ELLIPSES = {r"\ldots", r"\cdots", r"\dots", r"\vdots", r"\ddots"}
_TRANSPOSES = ("T", r"\top", r"\intercal")
_SAMPLE_LETTERS = "ijnpqrstuv"
_UNIT_LETTERS = "kjhpqrsuvg"


@dataclass(frozen=True)
class Stacked:
    """`X = [x^{(1)} … x^{(m)}]` as an entry definition: its text and the axis of examples."""

    text: str
    axis: str            # "columns" or "rows"


def stacked_examples(text: str, stmt: S.Statement, taken: set[str]) -> Stacked | None:
    """The entry definition a define `text` states by listing examples, or None if it does
    not (then it is read as it stands). `taken`: every letter the file's formulas use."""
    lhs, rhs = stmt.chains[0].exprs
    atoms = _listed(rhs)
    if atoms is None or "=" not in text:
        return None
    scripts = [_example_script(a) for a in atoms]
    if any(s is None for s in scripts):
        return None
    bases = {text[a.pos:(a.sup or a.sub).pos - 1].strip() for a in atoms}
    shapes = {(prefix, suffix) for prefix, _, suffix in scripts}
    tags = [tag for _, tag, _ in scripts]
    if len(bases) != 1 or len(shapes) != 1 or tags[-1] not in BATCH_NAMES or \
            tags[:-1] != [str(n) for n in range(1, len(tags))]:
        return None
    (base,), ((prefix, suffix),) = bases, shapes
    if suffix not in ("",) + _TRANSPOSES:
        return None
    free = [c for c in _SAMPLE_LETTERS if c not in taken]
    sample = free[0] if free else None
    unit = next((c for c in _UNIT_LETTERS if c not in taken and c != sample), None)
    if sample is None or unit is None:
        return None
    name = text[:text.index("=")].strip()
    rows = suffix != ""
    entry = f"{sample}{unit}" if rows else f"{unit}{sample}"
    return Stacked(f"{name}_{{{entry}}} = {base}^{{{prefix}({sample})}}_{{{unit}}}",
                   "rows" if rows else "columns")


def letters_of(statements: list[S.Statement]) -> set[str]:
    """Every single letter the statements print."""
    return {n.text for stmt in statements for n in walk_syntax(stmt)
            if isinstance(n, S.Tok) and n.kind == "LETTER"}


def _listed(rhs: S.Node) -> list[S.Atom] | None:
    """The named items of `[a \\ b \\ldots c]` or of a bmatrix, with one ellipsis before the
    last; None for anything else."""
    node = unwrap(rhs)
    if isinstance(node, S.Group) and node.kind == "[" and len(node.items) > 2:
        items = [_named(unwrap(item)) for item in node.items]    # [dz_1, dz_2, \ldots, dz_m]
    elif isinstance(node, S.Group) and node.kind == "[":
        items = [i for item in node.items for i in _flat(item)]
    elif isinstance(node, S.Product) and _environment(node.items):
        items = list(node.items[2:-2])
    else:
        return None
    ellipses = [n for n, i in enumerate(items) if isinstance(i, S.Tok) and i.text in _ELLIPSES]
    if len(ellipses) != 1 or ellipses[0] != len(items) - 2 or len(items) < 3:
        return None
    atoms = items[:-2] + items[-1:]
    return atoms if all(isinstance(a, S.Atom) and ((a.sup is not None and a.sub is None) or
                                                   (a.sub is not None and a.sup is None))
                        for a in atoms) else None


def _named(item: S.Node) -> S.Node:
    """One listed item: `dz_1`, a run of letters ending in a scripted one, as one atom whose
    name starts where the run does; any other item as it is."""
    if isinstance(item, S.Product) and isinstance(item.items[-1], S.Atom) and all(
            isinstance(i, S.Tok) and i.kind == "LETTER" for i in item.items[:-1]):
        last = item.items[-1]
        return S.Atom(item.pos, last.base, last.sub, last.sup, last.primes)
    return item


def _flat(item: S.Node) -> list[S.Node]:
    item = unwrap(item) if not isinstance(item, S.Product) else item
    return list(item.items) if isinstance(item, S.Product) else [item]


def _environment(items: tuple) -> bool:
    """`\\begin{bmatrix} … \\end{bmatrix}` (or pmatrix, matrix)."""
    return len(items) >= 4 and isinstance(items[0], S.Tok) and items[0].text == r"\begin" and \
        isinstance(items[-2], S.Tok) and items[-2].text == r"\end"


def _example_script(atom: S.Atom) -> tuple[str, str, str] | None:
    """`x^{[l](2)T}` -> ("[l]", "2", "T"): what precedes the example's parentheses, the
    example, and what follows; `a_2` -> ("", "2", "") (lecture transcripts number examples
    with subscripts, `A = [a_1, a_2, \\ldots, a_m]`)."""
    if atom.sup is None:
        raw = atom.sub.raw.replace(" ", "")
        return ("", raw, "") if raw.isdigit() or raw in BATCH_NAMES else None
    raw = atom.sup.raw.replace(" ", "")
    if "(" not in raw or ")" not in raw or atom.sup.mark:
        return None
    start = raw.rindex("(")
    end = raw.index(")", start)
    prefix, tag, suffix = raw[:start], raw[start + 1:end], raw[end + 1:]
    if prefix and not (prefix.startswith("[") and prefix.endswith("]")):
        return None
    return prefix, tag, suffix
