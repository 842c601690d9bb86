"""Rewrite derivation files through their formulas' syntax trees, for the metamorphic tests.

Each transformation finds the spans to change from `symbp.notation.parser.parse` (nodes carry
their offsets into the formula) and splices the formula text; the file is then written back as
TOML. A transformation that does not apply to a file raises `NotApplicable`.
"""
from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from symbp.notation import syntax as S
from symbp.notation.cases import split_cases
from symbp.notation.parser import parse

Edit = tuple[int, int, str]                       # replace text[start:end] by the string


class NotApplicable(Exception):
    """The transformation has nothing to act on in this file (no layers, no weights, ...)."""


# -- walking the tree -----------------------------------------------------------------------------
def nodes(node) -> Iterator:
    """Every syntax node under `node` (itself included), depth first."""
    if isinstance(node, S.Node):
        yield node
        for f in dataclasses.fields(node):
            yield from nodes(getattr(node, f.name))
    elif isinstance(node, tuple):
        for item in node:
            yield from nodes(item)


def letters(tree) -> list[S.Tok]:
    return [n for n in nodes(tree) if isinstance(n, S.Tok) and n.kind == "LETTER"]


def _close_brace(text: str, start: int) -> int:
    """The index just past the `}` that closes the `{` at `start`."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif text[i] == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError(f"unbalanced braces in {text!r}")


def script_span(text: str, script: S.Script) -> tuple[int, int]:
    """(offset of its `^` or `_`, offset just past the script's argument)."""
    start = script.pos
    if text[start] == "{":
        end = _close_brace(text, start)
    elif text[start] == "\\":
        end = start + 1
        while end < len(text) and text[end].isalpha():
            end += 1
    else:
        end = start + 1
    marker = start - 1
    while text[marker] == " ":
        marker -= 1
    assert text[marker] in "^_", (text, start)
    return marker, end


def atom_end(text: str, atom: S.Atom) -> int:
    ends = [script_span(text, s)[1] for s in (atom.sub, atom.sup) if s is not None]
    end = max(ends) if ends else atom.pos + 1
    while end < len(text) and text[end] == "'":
        end += 1
    return end


def base_key(text: str, atom: S.Atom) -> str:
    """The printed name of an atom's base without vector decorations: `\\vec{o}` is `o`."""
    base = _unwrap(atom.base)
    while isinstance(base, S.Font) and base.cmd in (r"\vec", r"\mathbf", r"\boldsymbol", r"\bm"):
        base = _unwrap(base.arg)
    if isinstance(base, S.Tok):
        return base.text
    return text[base.pos:_first_script(text, atom)].strip()


def _unwrap(node):
    """A braced argument's single expression (`{o}` -> o)."""
    while isinstance(node, S.Statement) and len(node.chains) == 1 \
            and len(node.chains[0].exprs) == 1:
        node = node.chains[0].exprs[0]
    return node


def _first_script(text: str, atom: S.Atom) -> int:
    return min(script_span(text, s)[0] for s in (atom.sub, atom.sup) if s is not None)


def splice(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits."""
    out, last = [], 0
    for start, end, new in sorted(edits):
        if start < last:
            raise ValueError(f"overlapping edits in {text!r}: {edits}")
        out.append(text[last:start] + new)
        last = end
    out.append(text[last:])
    return "".join(out)


# -- the formulas of a file ------------------------------------------------------------------------
def split_conditions(where: str) -> list[tuple[int, str]]:
    """A `where` text's comma-separated conditions, each with its offset."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(where):
        depth += (ch in "([{") - (ch in ")]}")
        if ch == "," and depth == 0:
            parts.append((start, where[start:i]))
            start = i + 1
    parts.append((start, where[start:]))
    return parts


@dataclass
class Formula:
    """One formula of a file: its text and where it lives in the TOML document."""

    text: str
    kind: str                      # "define", "claim", "where", "value-key"
    put: Callable[[str], None]     # write the rewritten text back


def formulas(doc: dict) -> list[Formula]:
    out: list[Formula] = []

    def lines(owner: dict) -> None:
        for n, line in enumerate(owner.get("define", [])):
            out.append(Formula(line, "define", lambda t, o=owner, n=n: o["define"].__setitem__(n, t)))

    lines(doc)
    for claim in doc.get("claim", []):
        out.append(Formula(claim["latex"], "claim", lambda t, c=claim: c.__setitem__("latex", t)))
        lines(claim)
        if "where" in claim:
            out.append(Formula(claim["where"], "where",
                               lambda t, c=claim: c.__setitem__("where", t)))
    if "values" in doc:
        keys, numbers = list(doc["values"]), list(doc["values"].values())
        for n, key in enumerate(keys):
            def put(t, n=n):       # by place: renaming w_{1,2} to w_{2,1} before w_{2,1} itself
                keys[n] = t        # is renamed must not merge the two keys
                doc["values"] = dict(zip(keys, numbers))
            out.append(Formula(key, "value-key", put))
    for key in ("cost", "rate"):                  # names the file's keys give, renamed alike
        if key in doc:
            out.append(Formula(doc[key], "value-key", lambda t, k=key: doc.__setitem__(k, t)))
    for n, name in enumerate(doc.get("trained", [])):
        out.append(Formula(name, "value-key",
                           lambda t, n=n: doc["trained"].__setitem__(n, t)))
    return out


def rewrite(doc: dict, edit: Callable[[str, object, str], list[Edit]]) -> None:
    """Rewrite every formula of `doc` in place: `edit(text, tree, kind)` gives its edits."""
    for f in formulas(doc):
        if f.kind == "where":
            pieces = [splice(cond, edit(cond, parse(cond), "where")) if cond.strip() else cond
                      for _, cond in split_conditions(f.text)]
            f.put(",".join(pieces))
        else:
            f.put(splice(f.text, list(dict.fromkeys(         # the left side is in every case
                e for piece in formula_pieces(f.text, f.kind)
                for e in edit(piece, parse(piece), f.kind)))))


def trees(doc: dict) -> Iterator[tuple[str, object, str]]:
    for f in formulas(doc):
        if f.kind == "where":
            for _, cond in split_conditions(f.text):
                if cond.strip():
                    yield cond, parse(cond), "where"
        else:
            for piece in formula_pieces(f.text, f.kind):
                yield piece, parse(piece), f.kind


def formula_pieces(text: str, kind: str) -> list[str]:
    """The texts of a formula to parse: each case (and comparison) of a claim by cases, with
    its columns kept, so that edits found in a piece apply to the whole text; else the text."""
    cases = split_cases(text) if kind == "claim" else None
    if not cases:
        return [text]
    return [c.text for c in cases] + [c.comparison for c in cases if c.comparison]


# -- TOML out -------------------------------------------------------------------------------------
def _toml_string(s: str) -> str:
    if "'" not in s and "\n" not in s:
        return f"'{s}'"
    if "'''" not in s and not s.endswith("'"):
        return f"'''{s}'''"
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _toml_key(k: str) -> str:
    return k if k.replace("_", "").replace("-", "").isalnum() and k.isascii() else _toml_string(k)


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return _toml_string(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def dumps(doc: dict) -> str:
    """A derivation document as TOML (the subset derivation files use)."""
    head = [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in doc.items() if k != "claim"]
    body = []
    for claim in doc.get("claim", []):
        body.append("\n[[claim]]")
        body += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in claim.items()]
    return "\n".join(head + body) + "\n"


def load(text: str) -> dict:
    return tomllib.loads(text)


# -- transformation 1: rename letters consistently -------------------------------------------------
# Letters with a fixed meaning (output layer, transpose, e, Leibniz d, widths) are never renamed
# nor used as new names; runs spelling a known function are left alone.
FIXED = set("LTednNMms")
FUNCTION_WORDS = {"sigmoid", "exp", "ln", "log", "tanh", "relu", "ReLU", "max", "min", "sin",
                  "cos", "softmax", "sign", "diag", "sqrt", "if", "otherwise"}
GREEK_FAMILIES = [r"\delta", r"\varepsilon", r"\epsilon", r"\eta", r"\varphi", r"\phi",
                  r"\sigma", r"\theta", r"\lambda"]
GREEK_FRESH = [r"\alpha", r"\beta", r"\gamma", r"\kappa", r"\mu", r"\rho", r"\psi", r"\chi",
               r"\omega", r"\xi", r"\zeta", r"\tau"]


def _runs(text: str, toks: list[S.Tok]) -> list[list[S.Tok]]:
    """Maximal runs of letters printed next to each other."""
    runs: list[list[S.Tok]] = []
    for t in sorted(toks, key=lambda t: t.pos):
        if runs and runs[-1][-1].pos + 1 == t.pos:
            runs[-1].append(t)
        else:
            runs.append([t])
    return runs


def _protected(text: str, tree) -> set[int]:
    """Offsets of letters in a run that spells a known function word (\\mathrm{sigmoid})."""
    out = set()
    for run in _runs(text, letters(tree)):
        if "".join(t.text for t in run) in FUNCTION_WORDS:
            out |= {t.pos for t in run}
    return out


def renamable(doc: dict) -> tuple[list[str], list[str], list[str], list[str]]:
    """(letters that may be renamed, fresh letters, Greek names that may be, fresh Greek)."""
    used, greek = set(), set()
    keep = set(doc.get("sets", {}))
    for text, tree, _ in trees(doc):
        guard = _protected(text, tree)
        used |= {t.text for t in letters(tree)} | {n.text[0] for n in nodes(tree)
                                                  if isinstance(n, S.Tok) and n.kind == "NAME"}
        greek |= {n.text for n in nodes(tree) if isinstance(n, S.Tok) and n.kind == "CMD"}
        keep |= {t.text for t in letters(tree) if t.pos in guard}
    if any(_derivative_letter(tree) for _, tree, _ in trees(doc)):
        greek.discard(r"\delta")           # `\frac{\delta out}{\delta net}`: δ written for ∂
    sources = sorted(used - FIXED - keep)
    fresh = [c for c in "abcfghijkopqrtuvwxyzABCDEFGHIJKOPQRSUVWXYZ" if c not in used | FIXED]
    # new names keep the case of the old ones (W stays a capital, a stays small)
    g_sources = [g for g in GREEK_FAMILIES if g in greek]
    g_fresh = [g for g in GREEK_FRESH if g not in greek]
    return sources, fresh, g_sources, g_fresh


def _derivative_letter(tree) -> bool:
    """Some fraction's denominator starts with \\delta, as in sources that write δ for ∂."""
    for n in nodes(tree):
        if isinstance(n, S.Frac):
            toks = sorted((t for t in nodes(n.den) if isinstance(t, S.Tok)), key=lambda t: t.pos)
            if toks and toks[0].text == r"\delta":
                return True
    return False


def rename(doc: dict, mapping: dict[str, str]) -> None:
    """Rename letters (and Greek names) by `mapping`, everywhere they occur."""
    def edit(text, tree, kind):
        guard = _protected(text, tree)
        out = []
        for n in nodes(tree):
            if isinstance(n, S.Tok) and n.kind == "NAME" and n.text[0] in mapping and \
                    n.pos not in guard:                 # y1, W2: the letter of a code-style name
                out.append((n.pos, n.pos + 1, mapping[n.text[0]]))
                continue
            if not isinstance(n, S.Tok) or n.text not in mapping:
                continue
            if n.kind == "LETTER" and n.pos not in guard:
                out.append((n.pos, n.pos + 1, mapping[n.text]))
            elif n.kind == "CMD" and text.startswith(n.text, n.pos):
                new = mapping[n.text]
                after = text[n.pos + len(n.text):n.pos + len(n.text) + 1]
                out.append((n.pos, n.pos + len(n.text), new + (" " if after.isalpha() else "")))
        return out
    rewrite(doc, edit)


# -- which superscripts are layers ----------------------------------------------------------------
def _layer_expr(node) -> bool:
    """A layer number or letter, maybe plus or minus a number: 2, l, L, l-1, L-1, l+1."""
    if isinstance(node, S.Tok):
        return node.kind in ("NUMBER", "DIGIT") or (node.kind == "LETTER" and node.text != "T")
    if isinstance(node, S.Signed):
        (s0, first), *rest = node.terms
        return (s0 == "+" and isinstance(first, S.Tok) and first.kind == "LETTER"
                and first.text != "T"
                and all(isinstance(t, S.Tok) and t.kind in ("NUMBER", "DIGIT") for _, t in rest))
    return False


def _has_letter(node) -> bool:
    return any(isinstance(n, S.Tok) and n.kind == "LETTER" for n in nodes(node))


@dataclass(frozen=True)
class LayerScript:
    """A layer superscript found in a formula."""

    atom: S.Atom
    layer: S.Node            # the layer expression itself
    style: str               # "plain", "(", "["
    transpose: str | None    # "T" or "\\top" when the transpose shares the superscript
    start: int               # span of `^...`
    end: int


def _parse_layer_sup(text: str, atom: S.Atom) -> LayerScript | None:
    sup = atom.sup
    if sup is None or sup.mark is not None or len(sup.parts) != 1:
        return None
    part, transpose = _unwrap(sup.parts[0]), None
    if isinstance(part, S.Product) and len(part.items) == 2:
        last = part.items[1]
        if isinstance(last, S.Tok) and last.text in ("T", r"\top"):
            part, transpose = part.items[0], last.text
    style = "plain"
    if isinstance(part, S.Group) and part.kind in "([" and len(part.items) == 1:
        style, part = part.kind, _unwrap(part.items[0])
    if not _layer_expr(part) or (style == "plain" and transpose):
        return None
    start, end = script_span(text, sup)
    return LayerScript(atom, part, style, transpose, start, end)


def _non_family(text: str, atom: S.Atom) -> bool:
    base = atom.base
    return (isinstance(base, (S.Group, S.Frac, S.Sqrt))
            or (isinstance(base, S.Tok) and (base.kind in ("NUMBER", "DIGIT") or base.text == "e"
                                            or (base.kind == "CMD" and base.text in _FUNCS))))


_FUNCS = {r"\tanh", r"\exp", r"\ln", r"\log", r"\max", r"\sin", r"\cos", r"\sigma", r"\sum",
          r"\prod"}          # a \sum's upper bound is no layer script


def layered_keys(doc: dict) -> set[str]:
    """Bases written somewhere with a layer letter as superscript (a^l, \\delta^{(L)}, w^{[l]}),
    or with a number in brackets (W^{[1]}, W^{(1)}: the contract reads it as a layer)."""
    keys = set()
    for text, tree, _ in trees(doc):
        for atom in (n for n in nodes(tree) if isinstance(n, S.Atom)):
            ls = _parse_layer_sup(text, atom)
            if ls and not _non_family(text, atom) and (_has_letter(ls.layer) or
                                                       ls.style in "(["):
                keys.add(base_key(text, atom))      # W^{[1]}, W^{(1)}: bracketed, a layer
    return keys


def layer_scripts(text: str, tree, keys: set[str]) -> list[LayerScript]:
    out = []
    for atom in (n for n in nodes(tree) if isinstance(n, S.Atom)):
        ls = _parse_layer_sup(text, atom)
        if ls and not _non_family(text, atom) and base_key(text, atom) in keys:
            out.append(ls)
    return out


def _comma_superscripts(doc: dict) -> bool:
    """Some superscript lists two layers (`w^{l-1,l}`)."""
    return any(isinstance(a, S.Atom) and a.sup is not None and len(a.sup.parts) > 1
               for _, tree, _ in trees(doc) for a in nodes(tree))


# -- transformation 2: switch the layer-script style -----------------------------------------------
def _layer_text(text: str, ls: LayerScript) -> str:
    node = ls.layer
    if isinstance(node, S.Tok):
        return node.text
    (_, first), *rest = node.terms
    return first.text + "".join(f"{s}{t.text}" for s, t in rest)


def restyle(doc: dict, style: str) -> None:
    """Write every layer superscript as `^l` ("plain"), `^{(l)}` ("(") or `^{[l]}` ("[")."""
    if not doc.get("layers"):
        raise NotApplicable("no layers")
    if _comma_superscripts(doc):
        raise NotApplicable("weights labelled by two layers")
    keys = layered_keys(doc)
    if not keys:
        raise NotApplicable("no layer superscripts")

    def edit(text, tree, kind):
        out = []
        for ls in layer_scripts(text, tree, keys):
            layer = _layer_text(text, ls)
            inside = text[ls.start:ls.end].lstrip("^{ ")
            primes = "'" * (len(inside) - len(inside.lstrip("'")))   # g^{'(L)}: it stays
            if style == "plain":
                new = "^" + (layer if len(layer) == 1 and not primes
                             else "{" + primes + layer + "}")
            else:
                close = ")" if style == "(" else "]"
                new = "^{" + primes + style + layer + close + (ls.transpose or "") + "}"
            if style == "plain" and ls.transpose:
                # (W^{l})^T: the transpose moves outside the atom.
                start, end = ls.atom.pos, atom_end(text, ls.atom)
                inner = text[start:ls.start] + new + text[ls.end:end]
                out.append((start, end, "(" + inner + ")^" + ("T" if ls.transpose == "T"
                                                             else "{\\top}")))
            else:
                out.append((ls.start, ls.end, new))
        return _outermost(out)
    rewrite(doc, edit)


def _outermost(edits: list[Edit]) -> list[Edit]:
    """Drop edits nested inside another (a layer script inside an atom that is wrapped)."""
    keep = []
    for e in sorted(edits, key=lambda e: (e[0], -e[1])):
        if keep and e[0] < keep[-1][1]:
            if e[1] <= keep[-1][1]:
                raise NotApplicable("nested layer scripts inside a shared transpose")
        keep.append(e)
    return keep


# -- transformation 3: number the layers from the other end (1 <-> 0) ------------------------------
WIDTHS = {"n", "N", "M", "s", "m"}          # n_l, M_{l-1}, s_l: widths, subscripted by a layer


def layer_letters(doc: dict) -> set[str]:
    keys = layered_keys(doc)
    out = set()
    for text, tree, _ in trees(doc):
        for ls in layer_scripts(text, tree, keys):
            out |= {t.text for t in letters(ls.layer)}
    return out - {"L"}


def renumber(doc: dict) -> None:
    """Shift `first_layer` between 1 and 0 and every concrete layer number with it."""
    if not doc.get("layers"):
        raise NotApplicable("no layers")
    if _comma_superscripts(doc):
        raise NotApplicable("weights labelled by two layers")
    keys = layered_keys(doc)
    if not keys:
        raise NotApplicable("no layer superscripts")
    first = doc.get("first_layer", 1)
    shift = -1 if first == 1 else 1
    layer_vars = layer_letters(doc)
    unit_letters = set()
    for text, tree, _ in trees(doc):
        for atom in (n for n in nodes(tree) if isinstance(n, S.Atom) and n.sub is not None):
            width = (isinstance(atom.base, S.Tok) and atom.base.text in WIDTHS
                     and base_key(text, atom) not in keys)
            items = _index_items(text, atom.sub)
            if not width and items:
                unit_letters |= {i for i in items if i.isalpha()}
            elif any(i.isdigit() for i in items or ()):
                raise NotApplicable(f"a width with a concrete layer number in {text!r}")
    if layer_vars & unit_letters:
        raise NotApplicable("a letter is both a layer and a unit index")

    def edit(text, tree, kind):
        out = []
        if kind == "where":
            chain_letters = {t.text for t in letters(tree)}
            if chain_letters & layer_vars:
                for chain in tree.chains:
                    for expr in chain.exprs:
                        if isinstance(expr, S.Tok) and expr.kind in ("NUMBER", "DIGIT"):
                            out.append((expr.pos, expr.pos + len(expr.text),
                                        str(int(expr.text) + shift)))
            return out
        for ls in layer_scripts(text, tree, keys):
            node = ls.layer
            if isinstance(node, S.Tok) and node.kind in ("NUMBER", "DIGIT"):
                number = int(node.text) + shift
                if number < 0:
                    raise NotApplicable("layer -1")
                out.append((node.pos, node.pos + len(node.text), str(number)))
        return out
    rewrite(doc, edit)
    doc["first_layer"] = first + shift


# -- transformation 4: reverse a weight family's index order ---------------------------------------
def _index_items(text: str, sub: S.Script) -> list[str] | None:
    """The unit indices of a subscript as printed (`jk` -> j, k; `0j` -> 0, j; `11` -> 1, 1)."""
    if len(sub.parts) == 2:
        return [text[p.pos:_node_end(text, p)].strip() for p in sub.parts]
    if len(sub.parts) != 1:
        return None
    part = _unwrap(sub.parts[0])
    items = part.items if isinstance(part, S.Product) else (part,)
    if _is_label(items):
        return None
    out = []
    for it in items:
        if not isinstance(it, S.Tok):
            return None
        if it.kind in ("NUMBER", "DIGIT"):
            if "." in it.text:
                return None
            out += list(it.text)
        elif it.kind in ("LETTER", "CMD"):
            out.append(it.text)
        else:
            return None
    return out


def _is_label(items) -> bool:
    """`h1`, `o1`, `total`: a label that belongs to the name, not a list of unit indices."""
    kinds = [(t.kind, t.text) if isinstance(t, S.Tok) else (None, "") for t in items]
    letter_digits = (len(kinds) >= 2 and kinds[0][0] == "LETTER"
                     and all(k in ("NUMBER", "DIGIT") for k, _ in kinds[1:]))
    word = len(kinds) >= 3 and all(k == "LETTER" for k, _ in kinds)
    return letter_digits or word


def _node_end(text: str, node) -> int:
    ends = []
    for n in nodes(node):
        if isinstance(n, S.Tok):
            ends.append(n.pos + len(n.text))
        elif isinstance(n, S.Script):
            ends.append(script_span(text, n)[1])
        elif isinstance(n, S.Group):
            ends.append(n.pos + 1)
    return max(ends)


def weight_families(doc: dict) -> list[str]:
    """Families written in a definition with exactly two unit indices (w^l_{jk}, w_{\\ell j}),
    not the batch's matrices: those defined whole (A^{[1]} = g(Z^{[1]})) or by example
    (X_{ki} = x^{(i)}_k), whose index order is the layout of the batch, not of a weight."""
    found = []
    batch = _batch_matrices(doc)
    for f in formulas(doc):
        if f.kind != "define":
            continue
        tree = parse(f.text)
        for atom in (n for n in nodes(tree) if isinstance(n, S.Atom) and n.sub is not None):
            items = _index_items(f.text, atom.sub)
            key = base_key(f.text, atom)
            if items and len(items) == 2 and not _non_family(f.text, atom) and \
                    key not in found and key not in batch:
                found.append(key)
    return found


def _batch_matrices(doc: dict) -> set[str]:
    out = set()
    for f in formulas(doc):
        if f.kind != "define" or "=" not in f.text:
            continue
        tree = parse(f.text)
        lhs, rhs = tree.chains[0].exprs[:2] if len(tree.chains[0].exprs) >= 2 else (None, None)
        head = next((n for n in nodes(lhs) if isinstance(n, S.Atom)), None) if lhs else None
        if head is None:
            continue
        examples = {a.sup.raw.strip()[1:-1] for a in nodes(rhs) if isinstance(a, S.Atom) and
                    a.sup is not None and re.fullmatch(r"\(\w\)", a.sup.raw.strip())}
        if head.sub is None or examples & set(head.sub.raw):
            out.add(base_key(f.text, head))
    return out


def _inside_script_or_denominator(tree, atom) -> bool:
    for n in nodes(tree):
        if isinstance(n, S.Script) and any(m is atom for m in nodes(n.parts)):
            return True
        if isinstance(n, S.Frac) and any(m is atom for m in nodes(n.den)):
            return True
    return False


def _delta_prefixes(tree) -> dict[int, int]:
    """Atoms printed right after `\\Delta` (one name, `\\Delta w`): id -> offset of the Delta."""
    out = {}
    for n in nodes(tree):
        if isinstance(n, S.Product):
            for before, item in zip(n.items, n.items[1:]):
                if isinstance(before, S.Tok) and before.text == r"\Delta" \
                        and isinstance(item, S.Atom):
                    out[id(item)] = before.pos
    return out


def reverse_indices(doc: dict, family: str) -> None:
    """Write `family_{kj}` for every `family_{jk}` in definitions and claims alike, and the
    matrix `family` (no unit indices) as its transpose."""
    def occurrences(text, tree):
        return [a for a in nodes(tree) if isinstance(a, S.Atom)
                and not _non_family(text, a) and base_key(text, a) == family]
    for text, tree, kind in trees(doc):
        for atom in occurrences(text, tree):
            if atom.sub is None:
                if _inside_script_or_denominator(tree, atom):
                    raise NotApplicable(f"the matrix {family} is differentiated by in {text!r}")
                continue
            items = _index_items(text, atom.sub)
            if items is None or len(items) != 2:
                raise NotApplicable(f"{family} used without two unit indices in {text!r}")
            if any(len(i) > 1 and not i.startswith("\\") for i in items):
                raise NotApplicable(f"{family} has a label subscript in {text!r}")

    def edit(text, tree, kind):
        out = []
        delta_before = _delta_prefixes(tree)
        for atom in occurrences(text, tree):
            if atom.sub is None:
                # `\Delta W^l` is a name of its own: its transpose is (\Delta W^l)^T
                start, end = delta_before.get(id(atom), atom.pos), atom_end(text, atom)
                out.append((start, end, "(" + text[start:end] + ")^T"))
                continue
            items = _index_items(text, atom.sub)
            start, end = script_span(text, atom.sub)
            a, b = items[1], items[0]
            # `j0` would be a label (a letter followed by digits): write `j,0`
            sep = "," if a.isdigit() or b.isdigit() else (" " if a.startswith("\\") else "")
            out.append((start, end, "_{" + a + sep + b + "}"))
        return out
    rewrite(doc, edit)
