"""LaTeX for finished results: textbook quantities, checked steps, verdicts and counterexamples.

`TextbookLatex` is SymPy's LaTeX printer taught the quantities of `symbp.quantities` (z^l_j,
δ^l_j, ∂C/∂w^l_{jk}, σ'(z^l_j)) and to write a derivative of a function of one variable as f'(u)
rather than SymPy's `\\left.\\frac{d}{d\\xi} f(\\xi)\\right|_{\\xi=u}`. Nothing here differentiates
or proves: a step is shown as an equality only when its verdict says proved.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import sympy as sp
from sympy.printing.latex import LatexPrinter

from symbp.notation.names import GREEK
from symbp.prove import PROVED, Counterexample, Verdict
from symbp.rules import ACTIVATIONS

if TYPE_CHECKING:
    from symbp.network import NetworkSpec
    from symbp.steps import Block, Derivation, Reason, Step
    from symbp.theorems import EquationResult

#: Unicode that reports use, as LaTeX math (pdflatex cannot typeset it raw).
UNICODE_MATH: dict[str, str] = {
    "δ": r"\delta", "σ": r"\sigma", "ε": r"\varepsilon", "ϵ": r"\epsilon", "η": r"\eta",
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "θ": r"\theta", "λ": r"\lambda",
    "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho", "τ": r"\tau",
    "φ": r"\varphi", "ϕ": r"\phi", "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega", "ζ": r"\zeta",
    "ι": r"\iota", "κ": r"\kappa", "υ": r"\upsilon", "ϑ": r"\vartheta", "ℓ": r"\ell",
    "Δ": r"\Delta", "Σ": r"\Sigma", "Γ": r"\Gamma", "Θ": r"\Theta", "Λ": r"\Lambda",
    "Ξ": r"\Xi", "Π": r"\Pi", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega",
    "∂": r"\partial", "∇": r"\nabla", "⊙": r"\odot", "∘": r"\circ", "⊗": r"\otimes",
    "×": r"\times", "·": r"\cdot", "−": "-", "≤": r"\le", "≥": r"\ge", "≠": r"\ne",
    "≈": r"\approx", "→": r"\to", "…": r"\dots", "∑": r"\sum", "√": r"\sqrt", "′": "'",
    "←": r"\leftarrow", "⇒": r"\Rightarrow", "∈": r"\in", "‖": r"\|", "∞": r"\infty",
    "±": r"\pm", "²": "^2", "ᵀ": "^T", "⊤": r"\top", "∀": r"\forall", "≡": r"\equiv",
}

#: Typographic Unicode in running text.
TEXT_UNICODE: dict[str, str] = {
    "–": "--", "—": "---", "‘": "`", "’": "'", "“": "``", "”": "''", "\u00a0": "~",
}

#: Characters that mean something to TeX in running text.
TEXT_ESCAPES: dict[str, str] = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "#": r"\#", "$": r"\$", "%": r"\%",
    "&": r"\&", "_": r"\_", "^": r"\^{}", "~": r"\~{}", "<": r"\textless{}",
    ">": r"\textgreater{}", "|": r"\textbar{}",
}

_MATHY = re.compile(r"[\\^_{}]|[" + "".join(UNICODE_MATH) + "]")


def unicode_math(text: str) -> str:
    """Math text with its Unicode symbols as LaTeX commands."""
    out = []
    for ch in text:
        cmd = UNICODE_MATH.get(ch)
        out.append(cmd + (" " if cmd and cmd[-1].isalpha() else "") if cmd else ch)
    return "".join(out)


def escape(text: str) -> str:
    """Running text, safe for LaTeX (Unicode math symbols become inline math)."""
    out = []
    for ch in text:
        if ch in TEXT_ESCAPES:
            out.append(TEXT_ESCAPES[ch])
        elif ch in UNICODE_MATH:
            out.append(f"${unicode_math(ch)}$")
        elif ch in TEXT_UNICODE:
            out.append(TEXT_UNICODE[ch])
        elif ord(ch) > 255 or (ord(ch) > 127 and not ch.isalpha()):
            out.append("?")   # not in every TeX installation's input encoding
        else:
            out.append(ch)
    return "".join(out)


_OPERATORS = {"+", "-", "=", "/", "×", "·", "−", "<", ">", "≤", "≥"}


def _split_word(word: str) -> tuple[str, str, str]:
    """(opening quotes, core, closing punctuation and possessive) of one word."""
    head = word[:len(word) - len(word.lstrip("'\"`"))]
    rest = word[len(head):]
    core = re.sub(r"(?:'s|'|\")?[,;:.!?]*$", "", rest)
    tail = rest[len(core):]
    while core.endswith(")") and core.count(")") > core.count("("):
        core, tail = core[:-1], ")" + tail
    while core.startswith("(") and core.count("(") > core.count(")"):
        head, core = head + "(", core[1:]
    return head, core, tail


#: Control sequences an author's formula may use: each typesets in pdflatex (amsmath, amssymb),
#: MathJax 3 and KaTeX. Anything else (`\input`, `\write`, `\def`, ...) is never emitted.
MATH_COMMANDS: frozenset[str] = frozenset({
    *(f"\\{g}" for g in GREEK),
    r"\cal", r"\bf", r"\rm", r"\it", r"\over", r"\bigtriangledown", r"\ell",
    r"\frac", r"\dfrac", r"\tfrac", r"\partial", r"\nabla", r"\sum", r"\prod", r"\odot",
    r"\circ", r"\cdot", r"\cdots", r"\ldots", r"\dots", r"\vdots", r"\times", r"\sqrt", r"\left",
    r"\right", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr", r"\big", r"\Big", r"\ln", r"\log",
    r"\exp", r"\tanh", r"\sinh", r"\cosh", r"\sin", r"\cos", r"\max", r"\min", r"\lim",
    r"\text", r"\textrm", r"\mathrm", r"\mathbf", r"\mathit", r"\mathsf", r"\mathcal",
    r"\mathbb", r"\operatorname", r"\boldsymbol", r"\vec", r"\hat", r"\widehat", r"\tilde",
    r"\widetilde", r"\bar", r"\overline", r"\underline", r"\top", r"\intercal", r"\prime",
    r"\quad", r"\qquad", r"\le", r"\ge", r"\leq", r"\geq", r"\ne", r"\neq", r"\approx", r"\to",
    r"\infty", r"\in", r"\forall", r"\pm", r"\mp", r"\equiv", r"\sim", r"\propto", r"\otimes",
    r"\oplus", r"\ast", r"\colon", r"\mid", r"\lvert", r"\rvert", r"\lVert", r"\rVert",
    r"\langle", r"\rangle", r"\displaystyle", r"\limits", r"\nolimits", r"\leftarrow",
    r"\Rightarrow", r"\rightarrow", r"\mapsto", r"\star", r"\varphi", r"\overset", r"\underset",
    r"\binom", r"\sup", r"\inf", r"\det", r"\operatorname", r"\epsilon", r"\implies",
    r"\iff", r"\Leftarrow", r"\Leftrightarrow", r"\longrightarrow", r"\Longrightarrow",
    r"\sum", r"\mathbf", r"\bm", r"\tfrac", r"\cdotp", r"\neg", r"\land", r"\lor",
    r"\underbrace", r"\overbrace", r"\cfrac",
})
#: Font sizes an author may print inside math (`\underbrace{…}_{\Large …}`): pdflatex rejects
#: them there, and they change no meaning, so they are left out.
SIZE_COMMANDS = frozenset({r"\tiny", r"\scriptsize", r"\footnotesize", r"\small",
                           r"\normalsize", r"\large", r"\Large", r"\LARGE", r"\huge",
                           r"\Huge"})
#: What `\limits` and `\nolimits` may follow: pdflatex rejects them anywhere else.
LIMIT_OPERATORS = frozenset({r"\sum", r"\prod", r"\lim", r"\max", r"\min", r"\sup",
                             r"\inf", r"\det"})
#: Escapes of one non-letter character that are safe in math.
MATH_SYMBOL_ESCAPES = frozenset({r"\,", r"\;", r"\!", r"\ ", r"\{", r"\}", r"\|", r"\:", r"\_"})
_MATH_TOKEN = re.compile(r"\\(?:begin|end)\s*\{[A-Za-z*]*\}|\\[A-Za-z]+|\\.|.", re.DOTALL)
#: Environments an author's formula may open (cases, matrices): inside one, `&` and `\\`
#: separate cells and rows.
MATH_ENVIRONMENTS = frozenset({"cases", "aligned", "matrix", "bmatrix", "pmatrix"})
_MATH_PLAIN = re.compile(r"[A-Za-z0-9 \t\n+\-*/=<>()\[\]{},.;:!?'|^_]")


_ARGUMENT_COMMANDS = re.compile(
    r"\\(mathbf|mathrm|mathit|mathsf|mathcal|mathbb|boldsymbol|operatorname|text|textrm|hat|"
    r"widehat|tilde|widetilde|bar|overline|underline|vec|frac|dfrac|tfrac|cfrac|sqrt|"
    r"underbrace|overbrace|binom|overset|underset)(?![a-zA-Z])")


def _readable(text: str) -> bool:
    """Whether TeX can typeset the formula's shape: every command that takes an argument has
    one (a bare `\\mathbf` does not), every ^ and _ has something to set (not `w_'`), and no
    prime follows a superscript (`x^{2}'`)."""
    for m in _ARGUMENT_COMMANDS.finditer(text):
        rest = text[m.end():].lstrip()
        if not rest or rest[0] not in "{\\" and not rest[0].isalnum():
            return False
    if re.search(r"[\^_]\s*($|['\)\]\}])", text):
        return False                        # w_' or x^): a script with nothing to set
    return not re.search(r"\^(\{[^{}]*\}|[^{\s])\s*'", text)


def safe_math(text: str) -> str | None:
    """An author's math, re-emitted token by token when every token is known to be harmless
    (allow-listed commands, ASCII math characters, Unicode math symbols, balanced braces);
    None otherwise, and the caller shows the text escaped instead."""
    if "^^" in text.replace(" ", ""):      # TeX's ^^5c is a backslash
        return None
    if not _readable(text):
        return None                         # x^{2}' (a double superscript), a bare \mathbf
    out, depth, opened = [], 0, []
    for token in _MATH_TOKEN.findall(text):
        environment = re.fullmatch(r"\\(begin|end)\s*\{([A-Za-z*]*)\}", token)
        if environment:
            kind, name = environment.groups()
            if name not in MATH_ENVIRONMENTS or (kind == "end" and opened[-1:] != [name]):
                return None
            opened.append(name) if kind == "begin" else opened.pop()
            out.append(f"\\{kind}{{{name}}}")
        elif token in ("&", "\\\\"):
            if not opened:
                return None
            out.append(token)
        elif token in SIZE_COMMANDS:
            continue
        elif token in (r"\limits", r"\nolimits"):
            if next((t for t in reversed(out) if t.strip()), None) not in LIMIT_OPERATORS:
                return None
            out.append(token)
        elif token.startswith("\\"):
            if token not in MATH_COMMANDS and token not in MATH_SYMBOL_ESCAPES:
                return None
            out.append(token)
        elif token in UNICODE_MATH:
            cmd = UNICODE_MATH[token]
            out.append(cmd + (" " if cmd[-1].isalpha() else ""))
        elif _MATH_PLAIN.fullmatch(token):
            depth += (token == "{") - (token == "}")
            if depth < 0:
                return None
            out.append(token)
        else:
            return None
    if not "".join(out).strip():
        return None                         # `\Large` alone: words, not a formula
    return "".join(out) if depth == 0 and not opened else None


def _engine_syntax(text: str) -> str:
    """Engine spellings in a report's formula as a reader writes them: `+ -1 · t` as `- t`,
    `x^-1` as `x^{-1}`, a generic function named `sigma'` as σ'."""
    text = re.sub(r"\+\s*-\s*1\s*[·*]\s*", "- ", text)
    text = re.sub(r"\+\s*-", "- ", text)
    text = re.sub(r"\^(-?\d+)", r"^{\1}", text)
    # a power of a scripted name, z^{2}_{1}^{2}: the name in braces, one superscript each
    text = re.sub(r"([A-Za-z\\]+\w*(?:\^\{[^{}]*\}_\{[^{}]*\}|_\{[^{}]*\}\^\{[^{}]*\}))\^\{",
                  r"{\1}^{", text)
    return _function_names(text)


def segments(text: str) -> list[tuple[bool, str]]:
    """A report's sentence (diagnosis, note) as runs: (True, LaTeX math) for words that look
    like formulas (`σ'(z^{2}_{1})`, `e^{-z}/(1 + e^{-z})^2`) and are safe to typeset, (False,
    plain text) for the rest, spaces kept in the text runs."""
    parts = [_split_word(w) for w in re.sub(r"\s+", " ", text).strip().split(" ")]
    mathy = [bool(core and _MATHY.search(core)) for _, core, _ in parts]
    simple = [bool(re.fullmatch(r"\(?[A-Za-z0-9]\)?", h + c + t)) for h, c, t in parts]
    changed = True
    while changed:     # an operator joins formulas, and a lone letter or number beside one
        changed = False
        for n, (head, core, tail) in enumerate(parts):
            if mathy[n] or core not in _OPERATORS or not 0 < n < len(parts) - 1 or head or tail:
                continue
            left, right = n - 1, n + 1
            if (mathy[left] or simple[left]) and (mathy[right] or simple[right]) and \
                    (mathy[left] or mathy[right]):
                mathy[left] = mathy[n] = mathy[right] = changed = True
    out: list[tuple[bool, str]] = []

    def add(is_math: bool, piece: str) -> None:
        if out and out[-1][0] == is_math == False:   # noqa: E712 - merge text runs
            out[-1] = (False, out[-1][1] + piece)
        elif piece:
            out.append((is_math, piece))

    run: list[str] = []
    lead = ""

    def flush(tail: str = "") -> None:
        nonlocal lead
        if run:
            core = " ".join(run)
            if lead and _balanced(lead + core):    # `(y_j - a^L_j)^2`: the parenthesis too
                core, lead = lead + core, ""
            math = safe_math(_engine_syntax(core)) if _balanced(core) else None
            add(False, lead)
            if math is None:
                add(False, core)
            else:
                add(True, math)
            add(False, tail)
            run.clear()
        lead = ""

    for n, (head, core, tail) in enumerate(parts):
        if n:
            if run and mathy[n] and not head:
                pass                       # a space inside a formula run
            else:
                flush()
                add(False, " ")
        if mathy[n]:
            if head and run:
                flush()
            if not run:
                lead = head
            run.append(core)
            if tail:
                flush(tail)
        else:
            add(False, head + core + tail)
    flush()
    return out


_SCRIPT = re.compile(r"([\^_])(\{[^{}]*\}|[A-Za-z0-9]+)")


def _scripted(text: str) -> str:
    """Plain text escaped, with a stray `^2` or `_j` (from a formula too ragged to typeset as a
    whole) set as a superscript or subscript rather than as a literal ^ or _."""
    out, last = [], 0
    for m in _SCRIPT.finditer(text):
        script = safe_math(m[2].strip("{}"))
        if script is None:
            continue
        out.append(escape(text[last:m.start()]) + f"${m[1]}{{{script}}}$")
        last = m.end()
    return "".join(out) + escape(text[last:])


def prose(text: str) -> str:
    """A report's sentence in running text: formulas as inline math, the rest escaped."""
    return "".join(f"${m}$" if is_math else _scripted(m) for is_math, m in segments(text))


#: Characters of plain text that cannot stand inside `\text{...}` in every renderer, as math.
TEXT_IN_MATH: dict[str, str] = {
    "\\": r"\backslash ", "{": r"\{", "}": r"\}", "#": r"\#", "$": r"\$", "%": r"\%",
    "&": r"\&", "_": r"\_", "^": r"\hat{}", "~": r"\sim ", "<": "<", ">": ">", "|": r"\vert ",
}


def text_math(text: str) -> str:
    """Plain text inside math, renderable by pdflatex, MathJax 3 and KaTeX alike: letters in
    `\\text{}` with no macro inside it; TeX's special characters and Unicode symbols as math."""
    out, plain = [], []

    def flush() -> None:
        if plain:
            out.append("\\text{" + "".join(plain) + "}")
            plain.clear()

    for ch in text:
        if ch in TEXT_IN_MATH or ch in UNICODE_MATH:
            flush()
            cmd = TEXT_IN_MATH.get(ch) or UNICODE_MATH[ch]
            out.append(cmd + (" " if cmd[-1].isalpha() else ""))
        elif ch in TEXT_UNICODE:
            plain.append({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"',
                          "\u00a0": " "}[ch])
        elif ord(ch) < 32 or ord(ch) > 126:
            plain.append("?")
        else:
            plain.append(ch)
    flush()
    return "".join(out)


def prose_math(text: str) -> str:
    """A report's sentence inside display math (for a notebook): text runs via `text_math`."""
    return "".join(m if is_math else text_math(m) for is_math, m in segments(text))


def sentence(text: str) -> str:
    """`prose`, ending with exactly one full stop."""
    text = text.strip()
    return prose(text) + ("" if text.endswith((".", "!", "?")) else ".")


def questioned(formula: str) -> str:
    """An author's formula with its top-level `=` shown as `?=`: a claim, not an equality."""
    out, depth = [], 0
    for n, ch in enumerate(formula):
        depth += (ch == "{") - (ch == "}")
        if ch == "=" and depth == 0 and formula[n - 1:n] not in ("<", ">", "!", ":", "\\"):
            out.append(r"\overset{?}{=}")
        else:
            out.append(ch)
    return "".join(out)


def _balanced(text: str) -> bool:
    depth = {"{": 0, "(": 0, "[": 0}
    pairs = {"}": "{", ")": "(", "]": "["}
    for ch in text:
        if ch in depth:
            depth[ch] += 1
        elif ch in pairs:
            depth[pairs[ch]] -= 1
            if depth[pairs[ch]] < 0:
                return False
    return not any(depth.values())


def number(text: str) -> str:
    """An exact rational `-3/4` as `-\\frac{3}{4}`; anything else as it is."""
    m = re.fullmatch(r"(-?)(\d+)/(\d+)", text.strip())
    return f"{m[1]}\\frac{{{m[2]}}}{{{m[3]}}}" if m else math_or_text(text)


def math_or_text(text: str) -> str:
    """A name or value from a report as math: typeset when safe, else shown as its characters."""
    return safe_math(_engine_syntax(text)) or text_math(text)


# -- expressions ----------------------------------------------------------------------------------
def _powered(method):
    """A quantity's printer that also prints it raised to a power (SymPy passes `exp`)."""
    def printed(self, e, exp: str | None = None) -> str:
        text = method(self, e)
        return text if exp is None else f"\\left({text}\\right)^{{{exp}}}"
    printed.__name__ = method.__name__
    return printed


class TextbookLatex(LatexPrinter):
    """SymPy's LaTeX printer, in the canonical notation of the network of `spec`."""

    def __init__(self, spec: NetworkSpec | None = None, *, inline: bool = False) -> None:
        super().__init__({"order": "none"})
        self.spec = spec
        self.inline = inline     # ∂C/∂w with a slash, for running text

    def _i(self, *units) -> str:
        """Unit subscripts: `jk`, or `1,12` once one has two digits."""
        parts = [self._print(u) for u in units]
        sep = "," if any(len(p) > 1 for p in parts) else ""
        return sep.join(parts)

    def _sup(self, layer, sample=None) -> str:
        tag = f"({self._print(sample)})," if self._many and sample is not None else ""
        return tag + self._print(layer)

    @property
    def _many(self) -> bool:
        return self.spec is not None and self.spec.samples > 1

    def _letter(self, layer) -> str:
        if self.spec is None or not layer.is_Integer or int(layer) < 2:
            return r"\sigma"
        return ACTIVATIONS[self.spec.activations[int(layer) - 2]].latex

    @_powered
    def _print_Pre(self, e) -> str:
        l, j, s = e.args
        return f"z^{{{self._sup(l, s)}}}_{{{self._i(j)}}}"

    @_powered
    def _print_Act(self, e) -> str:
        l, j, s = e.args
        return f"a^{{{self._sup(l, s)}}}_{{{self._i(j)}}}"

    @_powered
    def _print_Sig(self, e) -> str:
        l, j, s = e.args
        return f"{self._letter(l)}({self._print_Pre(e)})"

    @_powered
    def _print_Prime(self, e) -> str:
        l, j, s = e.args
        return f"{self._letter(l)}'({self._print_Pre(e)})"

    @_powered
    def _print_Weight(self, e) -> str:
        l, j, k = e.args
        return f"w^{{{self._print(l)}}}_{{{self._i(j, k)}}}"

    @_powered
    def _print_Bias(self, e) -> str:
        l, j = e.args
        return f"b^{{{self._print(l)}}}_{{{self._i(j)}}}"

    @_powered
    def _print_Target(self, e) -> str:
        j, s = e.args
        tag = f"^{{({self._print(s)})}}" if self._many else ""
        return f"y{tag}_{{{self._i(j)}}}"

    @_powered
    def _print_Cost(self, e) -> str:
        return f"C^{{({self._print(e.args[0])})}}" if e.args else "C"

    @_powered
    def _print_Delta(self, e) -> str:
        l, j, s = e.args
        return f"\\delta^{{{self._sup(l, s)}}}_{{{self._i(j)}}}"

    @_powered
    def _print_Same(self, e) -> str:
        return f"[{self._print(e.args[0])} = {self._print(e.args[1])}]"

    @_powered
    def _print_D(self, e) -> str:
        u, v = e.args
        if isinstance(u, (sp.Add, sp.Mul)):
            return f"\\frac{{\\partial}}{{\\partial {self._print(v)}}}\\left({self._print(u)}\\right)"
        if self.inline:
            return f"\\partial {self._print(u)} / \\partial {self._print(v)}"
        return f"\\frac{{\\partial {self._print(u)}}}{{\\partial {self._print(v)}}}"

    # f'(u), not \left.\frac{d}{d\xi} f(\xi)\right|_{\xi=u}
    def _print_Subs(self, e) -> str:
        inner, variables, points = e.args
        if isinstance(inner, sp.Derivative) and len(variables) == 1:
            primed = self._primed(inner, variables[0], points[0])
            if primed is not None:
                return primed
        return super()._print_Subs(e)

    def _print_Derivative(self, e) -> str:
        f = e.expr
        if isinstance(f, sp.core.function.AppliedUndef) and len(f.args) == 1 and \
                all(v == f.args[0] for v in e.variables):
            return self._primed(e, f.args[0], f.args[0]) or super()._print_Derivative(e)
        return super()._print_Derivative(e)

    def _primed(self, derivative: sp.Derivative, var, point) -> str | None:
        f = derivative.expr
        if not (isinstance(f, sp.core.function.AppliedUndef) and f.args == (var,)):
            return None
        order = len(derivative.variables)
        if any(v != var for v in derivative.variables):
            return None
        marks = "'" * order if order <= 3 else f"^{{({order})}}"
        return f"{self._print(sp.Symbol(f.func.__name__))}{marks}\\left({self._print(point)}\\right)"

    def _print_Add(self, expr, order=None) -> str:
        """Terms in the order written, but a leading minus moved back when a term is positive."""
        terms = list(expr.args)
        if terms and _negative(terms[0]) and not all(_negative(t) for t in terms):
            first = next(t for t in terms if not _negative(t))
            terms.remove(first)
            terms.insert(0, first)
        return super()._print_Add(sp.Add(*terms, evaluate=False), order)


def _negative(term: sp.Expr) -> bool:
    return term.could_extract_minus_sign()


def latex(expr: sp.Expr, spec: NetworkSpec | None = None) -> str:
    """One expression in the notation of `spec`."""
    return TextbookLatex(spec).doprint(expr)


# -- reasons, steps, blocks ------------------------------------------------------------------------
_PIECES = re.compile(r"(\{\d+\}|\$[^$]*\$)")


def reason_math(reason: Reason, printer: TextbookLatex) -> str:
    """A reason inside display math: text as \\text{...}, formulas as math (no nested $)."""
    out = []
    for piece in _PIECES.split(reason.text):
        if not piece:
            continue
        if piece.startswith("{"):
            out.append(printer.doprint(reason.terms[int(piece[1:-1])]))
        elif piece.startswith("$"):
            out.append(piece[1:-1])
        else:
            out.append(text_math(piece))
    return "".join(out)


def reason_text(reason: Reason, printer: TextbookLatex) -> str:
    """A reason in running text, formulas as inline math."""
    printer = TextbookLatex(printer.spec, inline=True)
    out = []
    for piece in _PIECES.split(reason.text):
        if piece.startswith("{") and piece.endswith("}") and piece[1:-1].isdigit():
            out.append(f"${printer.doprint(reason.terms[int(piece[1:-1])])}$")
        elif piece.startswith("$"):
            out.append(piece)
        else:
            out.append(escape(piece))
    return "".join(out)


def _chains(steps: list[Step]) -> list[list[Step]]:
    """Consecutive steps that continue one another (lhs = previous rhs, same indices)."""
    chains: list[list[Step]] = []
    for st in steps:
        prev = chains[-1][-1] if chains else None
        if prev is not None and prev.proved and st.proved and st.lhs == prev.rhs and \
                st.over == prev.over:
            chains[-1].append(st)
        else:
            chains.append([st])
    return chains


def _why(st: Step, printer: TextbookLatex) -> str:
    why = reason_math(st.reason, printer)
    if st.name:
        why += f"\\quad{text_math('(' + st.name + ')')}"
    return why


def block_rows(block: Block, printer: TextbookLatex) -> list[str]:
    """The rows of an aligned display: `lhs &= rhs && reason`, a claim for an unproved step."""
    rows = []
    for chain in _chains(block.steps):
        for n, st in enumerate(chain):
            left = printer.doprint(st.lhs) if n == 0 else ""
            right = printer.doprint(st.rhs)
            if st.proved:
                rows.append(f"{left} &= {right} && {_why(st, printer)}")
            else:
                rows.append(f"{left} &\\overset{{?}}{{=}} {right} && "
                            f"{text_math(f'claim, {st.verdict.status}: ')}{_why(st, printer)}")
    return rows


def block_ranges(block: Block, printer: TextbookLatex, *, local: bool = False) -> str:
    """The free indices of a block and their ranges, e.g. `j = 1, 2,\\ k = 1, \\dots, 3`: those
    of its first step (free throughout), or with `local` those free only in some steps (an
    index summed over in the block's result, such as BP2's k)."""
    first = set(block.steps[0].over) if block.steps else set()
    seen: dict = {}
    for st in block.steps:
        for index in st.over:
            if (index in first) != local:
                seen.setdefault(index, None)
    parts = []
    for sym, lo, hi in seen:
        values = ", ".join(str(v) for v in range(lo, hi + 1)) if hi - lo < 2 \
            else f"{lo}, \\dots, {hi}"
        parts.append(f"{printer.doprint(sym)} = {values}")
    return ",\\ ".join(parts)


def verdict_text(verdict: Verdict) -> str:
    """A verdict in running text: status, condition, diagnosis, counterexample, reason."""
    parts = [f"\\textbf{{{escape(verdict.status)}}}"]
    if verdict.method:
        parts.append(f"({escape(verdict.method)})")
    text = " ".join(parts)
    if verdict.condition:
        text += f", given {prose(verdict.condition)}"
    if verdict.diagnosis:
        text += f": {prose(verdict.diagnosis)}"
    if verdict.counterexample:
        text += f". Counterexample: {counterexample_text(verdict.counterexample)}"
    if verdict.reason:
        text += f" ({prose(verdict.reason)})"
    return text


_GREEK_FUNCTION = re.compile(r"(?<!\\)\b(" + "|".join(sorted(GREEK, key=len, reverse=True)) + r")(?=['(])")


def _function_names(label: str) -> str:
    """A generic function written by its Greek name in a label (sigma'(z)) as the letter."""
    return _GREEK_FUNCTION.sub(lambda m: GREEK[m.group(1)], label)


def counterexample_text(cx: Counterexample | dict) -> str:
    """The point where the sides differ, typeset: values of the variables and of σ, both sides."""
    data = cx.to_dict() if isinstance(cx, Counterexample) else cx
    pts = [f"${math_or_text(k)} = {number(v)}$" for k, v in data.get("assignment", {}).items()]
    for key, value in data.get("functions", {}).items():
        label, _, at = key.partition(" at ")
        shown = math_or_text(label)
        pts.append(f"${shown} = {number(value)}$" + (f" (at ${number(at)}$)" if at else ""))
    how = "exactly" if data.get("exact", True) else "in interval arithmetic"
    sides = ""
    if "lhs" in data and "rhs" in data:
        sides = (f"; left side ${number(str(data['lhs']))}$, right side "
                 f"${number(str(data['rhs']))}$ ({how})")
    return (", ".join(pts) or "at the point given") + sides


#: The four equations (and their companions), by `theorems` name: one sample, several samples.
STATEMENTS: dict[str, tuple[str, str]] = {
    "grad_a C": (r"\frac{\partial C}{\partial a^L_j} = (\nabla_a C)_j",
                 r"\frac{\partial C_x}{\partial a^{x,L}_j} = (\nabla_a C_x)_j"),
    "BP1": (r"\delta^L = \nabla_a C \odot \sigma'(z^L)",
            r"\delta^{x,L} = \nabla_a C_x \odot \sigma'(z^{x,L})"),
    "BP1 (Jacobian)": (r"\delta^L = J_{\sigma}(z^L)^{T}\, \nabla_a C",
                       r"\delta^{x,L} = J_{\sigma}(z^{x,L})^{T}\, \nabla_a C_x"),
    "BP2": (r"\delta^l = \bigl((W^{l+1})^T \delta^{l+1}\bigr) \odot \sigma'(z^l)",
            r"\delta^{x,l} = \bigl((W^{l+1})^T \delta^{x,l+1}\bigr) \odot \sigma'(z^{x,l})"),
    "BP3": (r"\frac{\partial C}{\partial b^l_j} = \delta^l_j",
            r"\frac{\partial C}{\partial b^l_j} = \frac{1}{n}\sum_x \delta^{x,l}_j"),
    "BP3 (-b)": (r"\frac{\partial C}{\partial b^l_j} = -\delta^l_j",
                 r"\frac{\partial C}{\partial b^l_j} = -\frac{1}{n}\sum_x \delta^{x,l}_j"),
    "BP3 (bias unit)": (r"\frac{\partial C}{\partial w^l_{j0}} = \delta^l_j",
                        r"\frac{\partial C}{\partial w^l_{j0}} = \frac{1}{n}\sum_x \delta^{x,l}_j"),
    "BP4": (r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j",
            r"\frac{\partial C}{\partial w^l_{jk}} = \frac{1}{n}\sum_x a^{x,l-1}_k \delta^{x,l}_j"),
    "δ^L = a^L - y": (r"\delta^L = a^L - y", r"\delta^{x,L} = a^{x,L} - y^{x}"),
}


def statement(result: EquationResult, samples: int = 1, letter: str = r"\sigma") -> str:
    """The LaTeX statement of one proved equation; a rule's own LaTeX for an activation rule."""
    if result.name in STATEMENTS:
        text = STATEMENTS[result.name][samples > 1]
        return text.replace(r"\sigma", letter)
    activation = ACTIVATIONS.get(result.name.removesuffix("' rule"))
    if activation is not None:
        return activation.derivative_latex
    return math_or_text(result.statement)


#: How an equation's name is shown, where its `theorems` name is not plain text.
EQUATION_LABELS: dict[str, str] = {
    "grad_a C": r"\nabla_a C",
    "δ^L = a^L - y": r"\text{shortcut}",
}


def equation_label(name: str) -> str:
    if name in EQUATION_LABELS:
        return EQUATION_LABELS[name]
    activation = ACTIVATIONS.get(name.removesuffix("' rule"))
    if activation is not None and name.endswith("' rule"):
        return f"{activation.latex}'\\text{{ rule}}"
    return text_math(name)


def equation_row(result: EquationResult, samples: int = 1, letter: str = r"\sigma") -> str:
    """`name & statement && verdict`: an equality only when every instance is proved."""
    text = statement(result, samples, letter)
    if result.status == PROVED:
        noun = "instance" if result.instances == 1 else "instances"
        verdict = f"\\text{{proved, {result.count(PROVED)} of {result.instances} {noun}}}"
    else:
        text = text.replace("=", r"\overset{?}{=}", 1)
        verdict = text_math(f"claim, {result.status}")
    return f"{equation_label(result.name)} && {text} && {verdict}"
