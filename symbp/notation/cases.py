"""Definitions by cases, as sources print them: `\\delta_j = \\begin{cases} A & \\text{if output
neuron} \\\\ B & \\text{otherwise} \\end{cases}` is one claim per case, `\\delta_j = A` where the
left side is on the output layer and `\\delta_j = B` elsewhere. This module splits the printed
text (keeping every column where it was, so errors point into the claim as printed) and reads
each case's condition by the table `CONDITION_WORDS`."""
from __future__ import annotations

from dataclasses import dataclass
import re

from symbp.errors import SymbpError

BEGIN, END = r"\begin{cases}", r"\end{cases}"

#: What a condition printed in words means: (pattern, meaning), the first that matches wins.
#: "output" and "hidden" place the left side's layer; "otherwise" is every other case's complement.
CONDITION_WORDS: tuple[tuple[str, str], ...] = (
    (r"\b(otherwise|else|elsewhere)\b", "otherwise"),
    (r"\b(non-?output|not\s+(an?\s+)?output|not\s+in\s+the\s+output)\b", "hidden"),
    (r"\bhidden\b", "hidden"),
    (r"\b(output|last\s+layer|final\s+layer|top\s+layer)\b", "output"),
)

_WORDS = re.compile(r"\\(?:text|textrm|mathrm|textit|mbox)\s*\{([^{}]*)\}")
_LEAD = re.compile(r"^\s*(if|for|when|where|with)\b[\s,:]*", re.I)


@dataclass(frozen=True)
class Case:
    """One case: the claim text with only this case's formula left (other text blanked, so
    columns stay), and its condition: a meaning from `CONDITION_WORDS` or a comparison."""

    text: str
    condition: str                  # the condition as printed
    meaning: str | None             # "output", "hidden", "otherwise"; None: `comparison`
    comparison: str | None          # `l = L`, `l < L`, with the other text blanked


def split_cases(latex: str) -> list[Case] | None:
    """The cases of `lhs = \\begin{cases} … \\end{cases}`, None for a claim without them."""
    start = latex.find(BEGIN)
    if start < 0:
        return None
    end = latex.find(END, start)
    if end < 0:
        raise SymbpError(f"{BEGIN} without {END}", column=start + 1)
    head, tail = latex[:start], latex[end + len(END):]
    if not head.rstrip().endswith("=") or latex.find(BEGIN, start + 1) >= 0:
        raise SymbpError("cases are read only as the whole right side of one equation, "
                         r"name = \begin{cases} … \end{cases}", column=start + 1)
    if tail.strip(" .,;") and tail.strip() not in (r"\right.",):
        raise SymbpError(f"nothing may follow {END} but punctuation",
                         column=end + len(END) + 1)
    body_start = start + len(BEGIN)
    cases = []
    for row_start, row in _parts(latex, body_start, end, "\\\\"):
        if not row.strip():
            continue
        cells = _parts(latex, row_start, row_start + len(row), "&")
        if len(cells) != 2:
            raise SymbpError("each case is `formula & condition`, cases separated by \\\\",
                             column=row_start + 1)
        (f_start, formula), (c_start, condition) = cells
        text = _keep(latex, [(0, len(head)), (f_start, f_start + len(formula))])
        cases.append(_case(latex, text, c_start, condition))
    if len(cases) < 2:
        raise SymbpError("a cases display needs at least two cases", column=start + 1)
    return cases


def _case(latex: str, text: str, start: int, condition: str) -> Case:
    words = " ".join(_WORDS.findall(condition)) or condition
    for pattern, meaning in CONDITION_WORDS:
        if re.search(pattern, words, re.I):
            return Case(text, condition.strip(), meaning, None)
    formal = _WORDS.sub(lambda m: " " * len(m.group(0)), condition)
    lead = _LEAD.match(_WORDS.sub(lambda m: m.group(1).ljust(len(m.group(0))), condition))
    if lead:
        formal = " " * lead.end() + formal[lead.end():]
    formal = re.sub(r"[,;.\s]+$", lambda m: " " * len(m.group(0)), formal)   # `l = L,`
    if not re.search(r"=|<|>|\\le|\\ge|\\ne|\\neq|\\leq|\\geq", formal):
        raise SymbpError(f"the case condition {condition.strip()!r} is not read: write a "
                         "comparison (l = L, l < L) or say `if output neuron`, `if hidden`, "
                         "`otherwise`", column=start + len(condition) - len(condition.lstrip()) + 1)
    return Case(text, condition.strip(), None, _keep(latex, [(start, start + len(condition))],
                                                       formal))


#: A comparison and its negation, for `otherwise` beside one comparison (`l = L`).
_NEGATED = {"=": r"\ne", r"\ne": "=", r"\neq": "=", "<": r"\ge", r"\ge": "<", r"\geq": "<",
            ">": r"\le", r"\le": ">", r"\leq": ">"}
_RELATION = re.compile(r"\\neq|\\ne|\\geq|\\ge|\\leq|\\le|[=<>]")


def with_complements(cases: list[Case]) -> list[Case]:
    """The cases with each `otherwise` made explicit: the other case's complement, in words
    (output <-> hidden) or as the negated comparison (`l = L` -> `l \\ne L`)."""
    out = []
    for n, case in enumerate(cases):
        if case.meaning != "otherwise":
            out.append(case)
            continue
        others = [c for i, c in enumerate(cases) if i != n]
        meanings = {c.meaning for c in others}
        if meanings == {"output"}:
            out.append(Case(case.text, case.condition, "hidden", None))
        elif meanings == {"hidden"}:
            out.append(Case(case.text, case.condition, "output", None))
        elif len(others) == 1 and others[0].comparison is not None and \
                len(_RELATION.findall(others[0].comparison)) == 1:
            negated = _RELATION.sub(lambda m: _NEGATED[m.group(0)], others[0].comparison)
            out.append(Case(case.text, case.condition, None, negated))
        else:
            raise SymbpError("`otherwise` is read beside one comparison (l = L) or beside "
                             "`if output …` / `if hidden …`: write its condition", column=1)
    return out


def _parts(text: str, start: int, end: int, sep: str) -> list[tuple[int, str]]:
    """text[start:end] split at `sep` outside braces, each part with its start."""
    out, depth, i, begin = [], 0, start, start
    while i < end:
        ch = text[i]
        if ch == "\\" and text.startswith("\\\\", i) and sep != "\\\\":
            i += 2
            continue
        if ch == "\\" and i + 1 < end and text[i + 1] in "{}&":
            i += 2
            continue
        depth += (ch == "{") - (ch == "}")
        if depth == 0 and text.startswith(sep, i):
            out.append((begin, text[begin:i]))
            i += len(sep)
            begin = i
            continue
        i += 1
    out.append((begin, text[begin:end]))
    return out


def _keep(text: str, spans: list[tuple[int, int]], replacement: str | None = None) -> str:
    """`text` with everything outside `spans` blanked to spaces (columns stay); `replacement`
    stands for the text of a single span."""
    chars = [" " if c != "\n" else c for c in text]
    for a, b in spans:
        chars[a:b] = list(replacement if replacement is not None else text[a:b])
    return "".join(chars)
