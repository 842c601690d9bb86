"""Formula text -> syntax tree (`symbp.notation.syntax`), with located errors and input limits.

The text is never evaluated: lark reads it with the grammar in `latex.lark` (LALR, contextual
lexer), and a transformer builds frozen dataclasses. Norm bars `\\|` are paired before lexing
(same width, so columns stay right), since one token cannot both open and close.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import lark

from symbp.errors import LimitError, SymbpError
from symbp.notation import syntax as S
from symbp.notation.limits import LIMITS

_GRAMMAR = Path(__file__).with_name("latex.lark")
_BARS = re.compile(r"\\\||\\[lr]?Vert(?![a-zA-Z])|\u2016|\|\|")
_SIZES = re.compile(r"\\(tiny|scriptsize|footnotesize|small|normalsize|large|Large|LARGE|huge|Huge)"
                    r"(?![a-zA-Z])(\s*\{\s*([()\[\]|.])\s*\})?")
_COLORS = re.compile(r"\\(color|textcolor)\s*\{[^{}]*\}")
_OPENERS = "([{"
_CLOSERS = ")]}"


@lru_cache(maxsize=1)
def _lark() -> lark.Lark:
    return lark.Lark(_GRAMMAR.read_text(encoding="utf-8"), start="statement", parser="lalr",
                     lexer="contextual", propagate_positions=True, maybe_placeholders=False)


def _pair_norm_bars(text: str) -> str:
    """Replace each `\\|` by an opening or closing bar of the same width, alternately per depth."""
    out, depth, open_at = [], 0, set()
    last = 0
    for m in _BARS.finditer(text):
        for ch in text[last:m.start()]:
            depth += (ch in _OPENERS) - (ch in _CLOSERS)
        token = m.group(0)
        closing = depth in open_at and not token.startswith(r"\lVert")
        if token.startswith(r"\rVert"):
            closing = True
        bar = "\u27e7" if closing else "\u27e6"
        (open_at.discard if closing else open_at.add)(depth)
        out.append(text[last:m.start()] + bar + " " * (len(token) - 1))
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _drop_sizes(text: str) -> str:
    """Font-size switches (`\\large{(}`, `\\small`) and colours (`\\color{red}`) are layout:
    each becomes spaces of the same width, keeping the delimiter it wraps, so that columns
    stay right."""
    def blank(m: re.Match) -> str:
        keep = m.group(3) if m.group(3) not in (None, ".") else ""
        return keep.rjust(len(m.group(0)))
    text = _SIZES.sub(blank, text)
    return _COLORS.sub(lambda m: " " * len(m.group(0)), text)     # \color{red}{x}: layout


def _check_limits(text: str, where: dict) -> None:
    if len(text) > LIMITS["formula_chars"]:
        raise LimitError(f"formula of {len(text)} characters exceeds the limit of "
                         f"{int(LIMITS['formula_chars'])}", column=int(LIMITS["formula_chars"]) + 1,
                         **where)
    depth = 0
    for col, ch in enumerate(text):
        depth += (ch in _OPENERS) - (ch in _CLOSERS)
        if depth > LIMITS["nesting"]:
            raise LimitError(f"brackets nested deeper than {int(LIMITS['nesting'])}",
                             column=col + 1, **where)


def _describe(exc: lark.exceptions.UnexpectedInput, text: str) -> str:
    if isinstance(exc, lark.exceptions.UnexpectedCharacters):
        return f"unexpected character {text[exc.pos_in_stream]!r}"
    if isinstance(exc, lark.exceptions.UnexpectedEOF):
        return "the formula ends too early (an unclosed bracket or a missing operand?)"
    token = getattr(exc, "token", None)
    if token is not None and token.type == "$END":
        return "the formula ends too early (an unclosed bracket or a missing operand?)"
    shown = str(token) if token is not None else "?"
    return f"unexpected {shown!r}"


def parse(text: str, *, file: str | None = None, claim: str | None = None) -> S.Statement:
    """Parse one formula; a SymbpError names file, claim and column on any problem."""
    where = {"file": file, "claim": claim}
    if not isinstance(text, str):
        raise SymbpError("a formula must be a string", column=1, **where)
    _check_limits(text, where)
    if not text.strip():
        raise SymbpError("empty formula", column=1, **where)
    prepared = _pair_norm_bars(_drop_sizes(text))
    try:
        tree = _lark().parse(prepared)
    except lark.exceptions.UnexpectedInput as exc:
        message = _describe(exc, prepared)
        column = exc.column if isinstance(exc.column, int) and exc.column > 0 else len(text) + 1
        if "ends too early" in message:
            column = len(text.rstrip()) + 1
        raise SymbpError(message, column=column, **where) from None
    try:
        return _Build(text).transform(tree)
    except lark.exceptions.VisitError as exc:
        inner = exc.orig_exc
        if isinstance(inner, SymbpError):
            raise SymbpError(inner.message, column=inner.column, **where) from None
        raise
    except RecursionError:
        raise LimitError("formula nested too deeply", column=1, **where) from None


def _pos(meta, fallback: int = 0) -> int:
    return getattr(meta, "start_pos", fallback) if not getattr(meta, "empty", True) else fallback


def _code_name(letter: S.Node, number: S.Node) -> bool:
    """A letter and the digits printed right after it, with no space (`W1`, `h1`): a name, as
    code-style notes write them; `2x` and `x 2` stay products."""
    base = number.base if isinstance(number, S.Atom) else number
    return isinstance(letter, S.Tok) and letter.kind == "LETTER" and \
        isinstance(base, S.Tok) and base.kind in ("NUMBER", "DIGIT") and \
        base.text.isdigit() and base.pos == letter.pos + 1


def _joined(letter: S.Tok, number: S.Node) -> S.Node:
    """`W` and `2_{11}` -> the name `W2` with the number's scripts."""
    base = number.base if isinstance(number, S.Atom) else number
    name = S.Tok(letter.pos, "NAME", letter.text + base.text)
    if isinstance(number, S.Atom):
        return S.Atom(letter.pos, name, number.sub, number.sup, number.primes)
    return name


def _marked(mark: S.Tok, arg: S.Node) -> S.Node:
    """`\\partial` (or d) put before a derivative macro's argument; an empty one is the mark."""
    if isinstance(arg, S.Statement) and not arg.chains:
        return mark
    while isinstance(arg, S.Statement) and len(arg.chains) == 1 and \
            len(arg.chains[0].exprs) == 1:
        arg = arg.chains[0].exprs[0]
    items = arg.items if isinstance(arg, S.Product) else (arg,)
    return S.Product(mark.pos, (mark,) + tuple(items))


def _primes_out(sup: S.Script) -> tuple[S.Script, int]:
    """A superscript that carries the name's prime beside a layer (`^{'(L)}`, `^{l\\prime}`,
    `^{\\prime l}`): the layer alone, and the primes moved to the name."""
    primes = sup.primes
    if not sup.parts and primes and not sup.mark:
        return None, primes                                    # h^{'} is h'
    if sup.mark or len(sup.parts) != 1:
        return sup, primes
    part = sup.parts[0]
    while isinstance(part, (S.Statement, S.Chain)) and len(getattr(part, "chains", None) or
                                                          getattr(part, "exprs", ())) == 1:
        part = part.chains[0] if isinstance(part, S.Statement) else part.exprs[0]
    raw = sup.raw.replace(r"\prime", "").replace("'", "").strip()
    if isinstance(part, S.Atom) and part.primes and part.sub is None and part.sup is None and \
            raw:                                               # ^{l\prime}
        return S.Script(sup.pos, (part.base,), raw), primes + part.primes
    if isinstance(part, S.Product) and isinstance(part.items[0], S.Tok) and \
            part.items[0].text == r"\prime" and len(part.items) == 2:    # ^{\prime l}
        return S.Script(sup.pos, (part.items[1],), raw), primes + 1
    if primes:
        return S.Script(sup.pos, sup.parts, raw), primes
    return sup, 0


def _subscript_digits(atom: S.Node, number: S.Node) -> bool:
    """`E_y1`: digits printed right after a one-letter subscript belong to it (a label y1)."""
    return isinstance(atom, S.Atom) and atom.sub is not None and atom.sup is None and \
        not atom.primes and len(atom.sub.raw) == 1 and atom.sub.raw.isalpha() and \
        atom.sub.pos + 1 == number.pos and isinstance(number, S.Tok) and \
        number.kind in ("NUMBER", "DIGIT") and number.text.isdigit()


def _longer_subscript(atom: S.Atom, number: S.Tok) -> S.Atom:
    raw = atom.sub.raw + number.text
    name = S.Tok(atom.sub.pos, "NAME", raw)
    return S.Atom(atom.pos, atom.base, S.Script(atom.sub.pos, (name,), raw), None, 0)


def _primed(node: S.Node) -> S.Atom:
    """`node` with one more prime: the `\\prime` printed after it, as `'` would be."""
    if isinstance(node, S.Atom):
        return S.Atom(node.pos, node.base, node.sub, node.sup, node.primes + 1)
    return S.Atom(node.pos, node, None, None, 1)


def _dot_transposed(item: S.Node, mark: S.Tok) -> S.Atom:
    """`A1.T`, `A^{[1]}.T`: the item before `.T`, transposed, as `(A1)^T` prints it."""
    return S.Atom(item.pos, S.Group(item.pos, "(", (item,)), None,
                  S.Script(mark.pos + 1, (S.Tok(mark.pos + 1, "LETTER", "T"),), "T"), 0)


def _tok(t: lark.Token) -> S.Node:
    if t.type == "TEXTARG":            # \text{any words!}: a font around its words, kept as text
        cmd, _, rest = str(t).partition("{")
        content = rest[:-1]
        pos = t.start_pos or 0
        return S.Font(pos, cmd.strip(), S.Tok(pos + len(cmd) + 1, "TEXT", content),
                      content.strip())
    return S.Tok(t.start_pos or 0, t.type, str(t))


#: Accents and vector fonts whose argument may carry the name's subscript: `\hat{y_k}`.
_ACCENTS = {r"\hat", r"\widehat", r"\tilde", r"\widetilde", r"\bar", r"\overline", r"\vec",
            r"\mathbf", r"\boldsymbol", r"\bm", r"\pmb"}


def _single(node: S.Node) -> S.Node:
    """The one expression of a font's argument (`{y_k}`), or the argument itself."""
    while isinstance(node, (S.Statement, S.Chain)):
        parts = node.chains if isinstance(node, S.Statement) else node.exprs
        if len(parts) != 1:
            return node
        node = parts[0]
    return node


@lark.v_args(meta=True)
class _Build(lark.Transformer):
    """lark tree -> syntax dataclasses."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def __default_token__(self, token):
        return token

    def statement(self, meta, ch):
        return S.Statement(_pos(meta), tuple(c for c in ch if isinstance(c, S.Chain)))

    def chain(self, meta, ch):
        exprs = tuple(c for c in ch if not isinstance(c, lark.Token))
        rels = tuple(str(c) for c in ch if isinstance(c, lark.Token))
        return S.Chain(_pos(meta), exprs, rels)

    def expr(self, meta, ch):
        terms, sign = [], "+"
        for c in ch:
            if isinstance(c, lark.Token):          # `+ -b` is `- b`: signs in a row multiply
                sign = "-" if (sign == "-") != (str(c) == "-") else "+"
            else:
                terms.append((sign, c))
                sign = "+"
        if len(terms) == 1 and terms[0][0] == "+":
            return terms[0][1]
        return S.Signed(_pos(meta), tuple(terms))

    def hterm(self, meta, ch):
        if len(ch) == 1:
            return ch[0]
        return S.HChain(_pos(meta), tuple(ch[0::2]), tuple(str(o) for o in ch[1::2]))

    def product(self, meta, ch):
        items: list[S.Node] = []
        for c in ch:
            item = _tok(c) if isinstance(c, lark.Token) else c
            if isinstance(item, S.Tok) and item.kind == "DOT_T" and items:
                items[-1] = _dot_transposed(items[-1], item)   # A1.T: NumPy's transpose
                continue
            if items and _code_name(items[-1], item):
                items[-1] = _joined(items[-1], item)    # W1, h1, W2_{11}: one name each
                continue
            if items and _subscript_digits(items[-1], item):
                items[-1] = _longer_subscript(items[-1], item)   # E_y1 is E_{y1}
                continue
            if isinstance(item, S.Tok) and item.text == r"\prime" and items and \
                    not (isinstance(items[-1], S.Tok) and items[-1].kind == "DOTOP"):
                items[-1] = _primed(items[-1])      # \sigma\prime(z) is \sigma'(z)
                continue
            items.append(item)
        return items[0] if len(items) == 1 else S.Product(_pos(meta), tuple(items))

    def atom(self, meta, ch):
        base = _tok(ch[0]) if isinstance(ch[0], lark.Token) else ch[0]
        sub = sup = None
        primes = 0
        for kind, value in ch[1:]:
            if kind == "prime":
                primes += 1
            elif kind == "sub":
                if sub is not None:
                    raise SymbpError("double subscript", column=value.pos + 1)
                sub = value
            else:
                if sup is not None:
                    raise SymbpError("double superscript", column=value.pos + 1)
                sup, moved = _primes_out(value)
                primes += moved
        if sub is None and sup is None and primes == 0:
            return base
        if isinstance(base, S.Atom) and base.sub is None and base.sup is None:
            return S.Atom(base.pos, base.base, sub, sup, base.primes + primes)  # \dot{f}^m
        inner = _single(base.items[0]) if isinstance(base, S.Group) and base.kind == "{" and \
            len(base.items) == 1 else None
        if sub is None and sup is None and isinstance(inner, S.Atom):     # {f^L}': f^L primed
            return S.Atom(inner.pos, inner.base, inner.sub, inner.sup, inner.primes + primes)
        return S.Atom(_pos(meta), base, sub, sup, primes)

    def sub(self, meta, ch):
        return ("sub", ch[0])

    def sup(self, meta, ch):
        return ("sup", ch[0])

    def prime(self, meta, ch):
        return ("prime", None)

    def sarg(self, meta, ch):
        value = ch[0]
        pos = _pos(meta)
        raw = self.text[pos:getattr(meta, "end_pos", pos + 1)].strip()
        if raw.startswith("{") and raw.endswith("}"):
            raw = raw[1:-1].strip()
        if isinstance(value, lark.Token):
            if value.type in ("SIGN", "DOTOP"):
                return S.Script(pos, (), raw, str(value))
            if value.type == "TEXTARG":
                font = _tok(value)
                return S.Script(pos, (font,), font.raw)
            return S.Script(pos, (_tok(value),), raw)
        if isinstance(value, S.Font):                    # _\textrm{F}: the font takes its argument
            return S.Script(pos, (value,), raw)
        kind, parts = value
        if kind == "mark":
            return S.Script(pos, (), raw, parts)
        if kind == "primes":
            return S.Script(pos, (), "", primes=parts)
        if kind == "primed":
            primes, statement = parts
            return S.Script(pos, (statement,), raw.lstrip("'").strip(), primes=primes)
        return S.Script(pos, parts, raw)

    def slist(self, meta, ch):
        return ("list", tuple(ch))

    def sprimes(self, meta, ch):
        """`h^{'}`: a superscript of primes only is the prime."""
        return ("primes", len(ch))

    def sprimed(self, meta, ch):
        """`^{'(L)}`: primes at the front of a superscript belong to the name (g'^{(L)})."""
        primes = sum(1 for c in ch if isinstance(c, lark.Token))
        return ("primed", (primes, ch[-1]))

    def smark(self, meta, ch):
        return ("mark", str(ch[0]))

    def negated(self, meta, ch):
        """`* -1` (a sign right after an explicit product) is the bracket `(-1)`."""
        sign, atom = str(ch[0]), ch[1]
        return S.Group(_pos(meta), "(", (S.Signed(_pos(meta), ((sign, atom),)),))

    def paren(self, meta, ch):
        return S.Group(_pos(meta), "(", tuple(c for c in ch if not isinstance(c, lark.Token)))

    def bracket(self, meta, ch):
        return S.Group(_pos(meta), "[", tuple(ch))

    def compare_paren(self, meta, ch):
        return S.Compare(_pos(meta), "(", ch[0], str(ch[1]), ch[2])

    def compare_bracket(self, meta, ch):
        return S.Compare(_pos(meta), "[", ch[0], str(ch[1]), ch[2])

    def over(self, meta, ch):
        """`{a \\over b}` is `\\frac{a}{b}`."""
        return S.Frac(_pos(meta), ch[0], ch[2])

    def oldfont(self, meta, ch):
        """`{\\cal C}` is `\\mathcal{C}`: the old font switches as their modern commands."""
        cmd = {"\\cal": "\\mathcal", "\\bf": "\\mathbf", "\\rm": "\\mathrm",
               "\\it": "\\mathit", "\\sf": "\\mathsf"}[str(ch[0])]
        arg = ch[1]
        start = ch[0].end_pos
        raw = self.text[start:getattr(meta, "end_pos", start + 1)].strip().rstrip("}").strip()
        return S.Font(_pos(meta), cmd, arg, raw)

    def brace(self, meta, ch):
        return S.Group(_pos(meta), "{", tuple(ch))

    def norm(self, meta, ch):
        return S.Group(_pos(meta), "\u2016", tuple(c for c in ch if not isinstance(c, lark.Token)))

    def frac(self, meta, ch):
        num, den = self._arg(ch[1]), self._arg(ch[2])
        if ch[0].type == "PDV":                  # \pdv{f}{x} (physics): \frac{\partial f}{\partial x}
            mark = S.Tok(ch[0].start_pos or 0, "CMD", r"\partial") if "p" in str(ch[0]) \
                else S.Tok(ch[0].start_pos or 0, "LETTER", "d")
            num, den = _marked(mark, num), _marked(mark, den)
        return S.Frac(_pos(meta), num, den)

    def font(self, meta, ch):
        arg = self._arg(ch[1])
        cmd = str(ch[0])
        inner = _single(arg)
        if cmd in (r"\dot", r"\ddot") and isinstance(inner, S.Tok) and \
                inner.kind in ("LETTER", "CMD"):      # \dot{f}: Newton's dot, f's derivative
            return S.Atom(_pos(meta), inner, None, None, 1 if cmd == r"\dot" else 2)
        if cmd in _ACCENTS and isinstance(inner, S.Atom) and inner.sub is not None and \
                inner.sup is None and not inner.primes and isinstance(inner.base, S.Tok) and \
                inner.base.kind in ("LETTER", "CMD"):      # \hat{y_k}: the name \hat{y}, unit k
            arg = S.Statement(inner.pos, (S.Chain(inner.pos, (inner.base,), ()),))
            base = S.Font(_pos(meta), cmd, arg, inner.base.text)
            return S.Atom(_pos(meta), base, inner.sub, None, 0)
        start, end = arg.pos, getattr(meta, "end_pos", arg.pos + 1)
        raw = self.text[start:end].strip().rstrip("}").strip()
        return S.Font(_pos(meta), cmd, arg, raw)

    def empty_arg(self, meta, ch):
        return S.Statement(_pos(meta), ())

    def numpy(self, meta, ch):
        func = re.search(r"(?:np|numpy)\.([a-z]+)", str(ch[0])).group(1)
        args = tuple(c for c in ch[1:] if not isinstance(c, lark.Token))
        keywords = tuple(tuple(re.findall(r"axis|keepdims|-?[0-9]+|True|False|None", str(c))[:2])
                         for c in ch[1:] if isinstance(c, lark.Token))
        return S.NumpyCall(_pos(meta), func, args, keywords)

    def sqrt(self, meta, ch):
        return S.Sqrt(_pos(meta), self._arg(ch[1]))

    @staticmethod
    def _arg(value):
        return _tok(value) if isinstance(value, lark.Token) else value
