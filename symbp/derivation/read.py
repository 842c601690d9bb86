"""Reading a derivation file: TOML (tomllib) -> `DerivationFile`, with every key validated.

A table of keys and their types replaces chains of checks: an unknown key, a wrong type or a
missing `latex` is a `SymbpError` naming the file, the claim and the TOML line where possible.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from symbp.errors import LimitError, SymbpError
from symbp.notation.conventions import NOTATION_KEYS
from symbp.notation.limits import LIMITS

VERDICTS = ("holds", "fails", "undecided")

#: Top-level keys: name -> (accepted Python types, meaning)
FILE_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "title": ((str,), "what the file transcribes"),
    "source": ((str,), "the document transcribed"),
    "layers": ((list,), "network widths, or a list of them"),
    "first_layer": ((int,), "the number of the input layer, 0 or 1"),
    "define": ((list,), "forward equations"),
    "values": ((dict,), "numbers for symbols"),
    "claim": ((list,), "the claims"),
    "note": ((str,), "a remark on the whole file"),
    "notation": ((dict,), "the source's conventions where symbp should not infer them"),
    "sets": ((dict,), "what a set letter in \\sum_{\\ell \\in L} names: next, previous, output, input"),
    "examples": ((int, list), "the number of training examples, or a list of such numbers"),
    "cost": ((str,), "the quantity an update step descends (default: the last one defined)"),
    "rate": ((str,), "the learning rate of an update step (default: \\eta)"),
    "trained": ((list,), "the parameters each round of a worked example updates (claims with `rounds`)"),
}

#: Keys of one `[[claim]]` table.
CLAIM_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "latex": ((str,), "the claimed equation"),
    "name": ((str,), "a short name"),
    "where": ((str,), "a range for free indices"),
    "expect": ((str,), "holds or fails"),
    "note": ((str,), "why"),
    "tolerance": ((str,), "numeric tolerance, e.g. 1e-12 or rel 1e-12"),
    "define": ((list,), "definitions for this claim only (a reading of an ambiguous source)"),
    "sets": ((dict,), "the file's `sets`, for this claim only"),
    "rounds": ((int,), "the claim is about the values after this many rounds of gradient descent"),
}

#: What a set letter of `\sum_{\ell \in L}` may name, relative to the unit the sum is about.
SET_MEANINGS = ("next", "previous", "output", "input")


@dataclass(frozen=True)
class ClaimSpec:
    """One `[[claim]]` table."""

    number: int
    latex: str
    name: str | None = None
    where: str | None = None
    expect: str | None = None
    note: str | None = None
    tolerance: str | None = None
    define: tuple[str, ...] = ()
    sets: dict = field(default_factory=dict)
    rounds: int | None = None

    @property
    def label(self) -> str:
        return self.name or f"#{self.number}"


@dataclass(frozen=True)
class DerivationFile:
    """The whole file, validated but not yet interpreted."""

    path: str
    title: str = ""
    source: str = ""
    note: str = ""
    layers: tuple[tuple[int, ...], ...] | None = None
    first_layer: int = 1
    define: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = ()
    claims: tuple[ClaimSpec, ...] = field(default_factory=tuple)
    sets: dict = field(default_factory=dict)
    notation: dict = field(default_factory=dict)
    examples: tuple[int, ...] | None = None       # batch sizes every claim is checked on
    cost: str | None = None                        # what an update step descends
    rate: str | None = None                        # its learning rate
    first_layer_given: bool = False                # False: 1 unless the definitions say 0
    trained: tuple[str, ...] = ()                  # what a round of a worked example updates


_TOML_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _type_check(table: dict, keys: dict, where: dict, what: str) -> None:
    for key, value in table.items():
        if key not in keys:
            known = ", ".join(sorted(keys))
            raise SymbpError(f"unknown key {key!r} in {what} (known keys: {known})", **where)
        types, _ = keys[key]
        if not isinstance(value, types) or isinstance(value, bool):
            raise SymbpError(f"key {key!r} in {what} must be a {types[0].__name__}", **where)


def _strings(items: list, key: str, where: dict) -> tuple[str, ...]:
    if len(items) > LIMITS["definitions"]:
        raise LimitError(f"more than {int(LIMITS['definitions'])} entries in {key!r}", **where)
    for item in items:
        if not isinstance(item, str):
            raise SymbpError(f"every entry of {key!r} must be a string formula", **where)
    return tuple(items)


def _layers(value, where: dict) -> tuple[tuple[int, ...], ...]:
    lists = value if value and all(isinstance(v, list) for v in value) else [value]
    if len(lists) > LIMITS["networks"]:
        raise LimitError(f"more than {int(LIMITS['networks'])} networks in 'layers'", **where)
    out = []
    for widths in lists:
        if not widths or not all(isinstance(w, int) and not isinstance(w, bool) for w in widths):
            raise SymbpError("'layers' must be a list of widths, or a list of such lists",
                             **where)
        if len(widths) > LIMITS["layers"] or any(w < 1 or w > LIMITS["width"] for w in widths):
            raise LimitError(f"networks are limited to {int(LIMITS['layers'])} layers of 1 to "
                             f"{int(LIMITS['width'])} units", **where)
        if sum(widths) > LIMITS["units"]:
            raise LimitError(f"networks are limited to {int(LIMITS['units'])} units in all "
                             f"layers (this one has {sum(widths)}): larger ones are not checked "
                             f"within the time limit", **where)
        out.append(tuple(widths))
    return tuple(out)


def read_text(text: str, path: str) -> DerivationFile:
    """Parse and validate the TOML text of a derivation file."""
    where = {"file": path}
    text = text.removeprefix("\ufeff")           # a byte-order mark some editors write
    if len(text.encode("utf-8", "replace")) > LIMITS["file_bytes"]:
        raise LimitError(f"file larger than {int(LIMITS['file_bytes'])} bytes", **where)
    return read_data(_toml(text, where), path, text=text)


def read_data(data: dict, path: str, *, text: str = "",
              container: str = "the file") -> DerivationFile:
    """Validate a derivation file's data as TOML parses it (a dict of the keys in FILE_KEYS).

    `text` is the file's text, to find the line of a bad `values` entry; `container` names
    where the top-level keys come from in messages (the API's arguments, for one equation).
    """
    where = {"file": path}
    _type_check(data, FILE_KEYS, where, container)
    first = data.get("first_layer", 1)
    if first not in (0, 1):
        raise SymbpError("'first_layer' must be 0 or 1", **where)
    layers = _layers(data["layers"], where) if "layers" in data else None
    raw_values = data.get("values", {})
    if not all(isinstance(k, str) for k in raw_values):
        raise SymbpError("every key of 'values' must be a formula as a string, e.g. 'x_1'",
                         **where)
    values = {k: _number(k, v, text, where) for k, v in raw_values.items()}
    claims_raw = data.get("claim", [])
    if len(claims_raw) > LIMITS["claims"]:
        raise LimitError(f"more than {int(LIMITS['claims'])} claims", **where)
    claims = []
    for n, table in enumerate(claims_raw, start=1):
        cwhere = {**where, "claim": table.get("name") if isinstance(table, dict) and
                  isinstance(table.get("name"), str) else f"#{n}"}
        if not isinstance(table, dict):
            raise SymbpError("each claim must be a [[claim]] table", **cwhere)
        _type_check(table, CLAIM_KEYS, cwhere, "a claim")
        if "latex" not in table:
            raise SymbpError("a claim needs a 'latex' formula", **cwhere)
        expect = table.get("expect")
        if expect is not None and expect not in VERDICTS:
            raise SymbpError(f"'expect' must be one of {', '.join(VERDICTS)}", **cwhere)
        rounds = table.get("rounds")
        if rounds is not None and not 1 <= rounds <= LIMITS["rounds"]:
            raise LimitError(f"'rounds' must be from 1 to {int(LIMITS['rounds'])}", **cwhere)
        if rounds is not None and not data.get("trained"):
            raise SymbpError("a claim with 'rounds' needs the file's 'trained': the parameters "
                             "each round updates, e.g. trained = [\"w_1\", \"w_2\"]", **cwhere)
        claims.append(ClaimSpec(n, table["latex"], table.get("name"), table.get("where"),
                                expect, table.get("note"), table.get("tolerance"),
                                _strings(table.get("define", []), "define", cwhere),
                                _sets(table.get("sets", {}), cwhere), rounds))
    return DerivationFile(path, data.get("title", ""), data.get("source", ""),
                          data.get("note", ""), layers, first,
                          _strings(data.get("define", []), "define", where),
                          tuple(values.items()),
                          tuple(claims), _sets(data.get("sets", {}), where),
                          _notation(data.get("notation", {}), where),
                          _examples(data["examples"], where) if "examples" in data else None,
                          data.get("cost"), data.get("rate"), "first_layer" in data,
                          _strings(data.get("trained", []), "trained", where))


def _examples(value, where: dict) -> tuple[int, ...]:
    """`examples = 3` or `examples = [1, 3]`: batch sizes, each 1 .. LIMITS["examples"]."""
    sizes = value if isinstance(value, list) else [value]
    top = int(LIMITS["examples"])
    if not sizes or len(sizes) > LIMITS["networks"] or not all(
            isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= top for m in sizes):
        raise SymbpError(f"'examples' must be a number of examples from 1 to {top}, or a list "
                         "of such numbers", **where)
    return tuple(sizes)


def _notation(table: dict, where: dict) -> dict:
    """`notation = { layer_subscripts = false }`: settings the conventions pass must not infer."""
    for key, value in table.items():
        if key not in NOTATION_KEYS:
            known = ", ".join(f"{k} ({v})" for k, v in NOTATION_KEYS.items())
            raise SymbpError(f"unknown `notation` key {key!r}; known: {known}", **where)
        if key == "layer_subscripts" and not isinstance(value, bool):
            raise SymbpError("`notation.layer_subscripts` must be true or false", **where)
        if key == "first_unit" and (isinstance(value, bool) or value not in (0, 1)):
            raise SymbpError("`notation.first_unit` must be 0 or 1", **where)
        if key == "sample" and not (isinstance(value, str) or (
                isinstance(value, list) and all(isinstance(v, str) for v in value))):
            raise SymbpError("`notation.sample` must be a letter or a list of letters", **where)
    return dict(table)


def _sets(table: dict, where: dict) -> dict:
    """`sets = { L = "next" }`: letter -> meaning, each checked against SET_MEANINGS."""
    out = {}
    for letter, meaning in table.items():
        if meaning not in SET_MEANINGS:
            raise SymbpError(f"`sets` entry {letter} = {meaning!r} names no layer: write one of "
                             f"{', '.join(repr(m) for m in SET_MEANINGS)}", **where)
        out[letter.replace("\\", "").strip()] = meaning
    return out


def _toml(text: str, where: dict) -> dict:
    """The parsed TOML; a syntax error names its line and column, and no input is a traceback."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_WHERE.search(str(exc))
        message = _TOML_WHERE.sub("", str(exc)).replace("(at end of document)", "").strip()
        if m:
            line, column = int(m[1]), int(m[2])
        else:                                 # "at end of document"
            lines = text.split("\n")
            line, column = len(lines), len(lines[-1]) + 1
        raise SymbpError(f"TOML syntax error: {message}", line=line, column=column,
                         **where) from None
    except RecursionError:
        raise LimitError("TOML tables or arrays nested too deeply", **where) from None
    except ValueError as exc:                     # an integer beyond Python's digit limit
        raise LimitError(f"TOML value too large: {str(exc).split(':')[0]}", **where) from None


#: A number in `values` written as text: a decimal (with an optional exponent) or a fraction p/q.
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?")
_FRACTION = re.compile(r"[+-]?\d+/\d+")


def _number(key: str, value, text: str, where: dict) -> str:
    """The exact text of a finite number of bounded size, for a `values` entry; anything else
    (a word, inf, nan, 1/0, an empty string, 1e999999999) is one located error."""
    here = {**where, "line": _line_of(text, key)}
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise SymbpError(f"value of {key!r} must be a number", **here)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise SymbpError(f"value of {key!r} must be a finite number, got {value!r}", **here)
        number = repr(value)
    else:
        number = str(value).strip()
    digits = int(LIMITS["value_digits"])
    decimal, fraction = _DECIMAL.fullmatch(number), _FRACTION.fullmatch(number)
    if not (decimal or fraction):
        raise SymbpError(f"value of {key!r} must be a number such as 0.5, -3, 1e-3 or 2/3, "
                         f"got {number[:40]!r}", **here)
    if sum(c.isdigit() for c in number) > digits or (   # digits first: int() below is small
            decimal and decimal[1] and abs(int(decimal[1])) > LIMITS["value_exponent"]):
        raise LimitError(f"value of {key!r} is too large: at most {digits} digits and an "
                         f"exponent of at most {int(LIMITS['value_exponent'])}", **here)
    if fraction and int(number.split("/")[1]) == 0:
        raise SymbpError(f"value of {key!r} divides by zero: {number!r}", **here)
    return number


def _line_of(text: str, key: str) -> int | None:
    """The line of the file where a `values` key is written, if it can be found."""
    quoted = re.escape(key)
    pattern = re.compile(rf"(?:^|[{{,\s])(?:'{quoted}'|\"{quoted}\"|{quoted})\s*=", re.MULTILINE)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None
