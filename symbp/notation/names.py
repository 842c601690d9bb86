"""How a printed name becomes a family key: Greek letters, decorations, labels, index lists.

Tables, not branches: which commands are Greek letters, which are built-in functions, which font
commands are ignored and which make a name of their own.
"""
from __future__ import annotations

import re

GREEK: dict[str, str] = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "ell": "ℓ",
}

#: Words a sum's index may run over (`\\sum_{k \\in outputs}`, Mitchell's `Downstream(j)`), with
#: the layer they name, relative to the summand's own unit, where the file's `sets` is silent.
SET_WORDS = {"outputs": "output", "output": "output", "Outputs": "output",
             "inputs": "input", "Inputs": "input", "Downstream": "next", "downstream": "next",
             "Upstream": "previous", "upstream": "previous"}

#: Rates and penalties: never a function, so `\eta (t - o) x_i` is a product.
SCALAR_LETTERS = ("η", "α", "μ", "λ")

#: Built-in functions, by the key their command or \mathrm word gets.
BUILTIN_FUNCTIONS: dict[str, str] = {
    r"\exp": "exp", r"\ln": "log", r"\log": "log", r"\tanh": "tanh",
    "sigmoid": "sigmoid", "exp": "exp", "ln": "log", "log": "log", "tanh": "tanh",
    r"\max": "max", "max": "max", "ReLU": "relu", "relu": "relu",
}

#: Font commands that do not change a name (`\mathbf{a}` is `a`).
IGNORED_FONTS = {r"\mathbf", r"\vec", r"\boldsymbol", r"\bm", r"\mathit", r"\mathsf",
                 r"\textbf", r"\textit", r"\pmb"}
#: Font commands whose argument is a word (`\mathrm{net}` is the name `net`).
WORD_FONTS = {r"\mathrm", r"\operatorname", r"\text", r"\textrm"}
#: Decorations that make a name of their own (`\hat{y}` is not `y`).
DECORATIONS = {r"\hat", r"\widehat", r"\tilde", r"\widetilde", r"\bar", r"\overline", r"\mathcal",
               r"\mathbb"}

#: Letters that, with the output layer's letter (`n_L`, `s_{n_L}`'s n_L), name its width.
WIDTH_LETTERS = ("n", "N", "M", "s", "S")
#: Letters that name the output layer's width only as a sum's bound (`\sum_{j=1}^{m_L}`).
BOUND_WIDTH_LETTERS = ("m", "d")
#: Superscripts that transpose, and the one that is a prime.
TRANSPOSE_MARKS = {"T", r"\top", r"\intercal"}
PRIME_MARKS = {r"\prime"}

_WORD = re.compile(r"^[A-Za-z]{3,}$")
_LABEL = re.compile(r"^[A-Za-z]+[0-9]+$")


def greek(command: str) -> str | None:
    """The letter a Greek command stands for (`\\delta` -> δ), or None."""
    return GREEK.get(command.lstrip("\\"))


_WORD_FONT = re.compile(r"\\(?:text|textrm|mathrm|operatorname|rm|mathit)\s*\{([^{}]*)\}")
_LABEL_NOISE = re.compile(r"[\s{}_]")


def plain_text(raw: str) -> str:
    """A script's text without font commands, braces, underscores and spaces."""
    return _LABEL_NOISE.sub("", _WORD_FONT.sub(r"\1", raw))


def label_text(raw: str) -> str | None:
    """The label a subscript spells, if it belongs to the name: a word (`total`,
    `\\text{Total}`: words are one label whatever their case) or letters and digits (`h1`,
    `y_1`, `o_{1}`); None for a list of unit indices (`jk`, `12`, `j,k`)."""
    text = plain_text(raw)
    if _WORD.match(text):
        return text.lower()
    if _LABEL.match(text):
        return text
    return None


def is_label(raw: str) -> bool:
    """A subscript that belongs to the name: a word (`total`) or a letter and digits (`h1`)."""
    return label_text(raw) is not None


def symbol_name(name: str, layer: int | None, units: tuple[int, ...]) -> str:
    """The readable SymPy symbol name of one instance: `w^{2}_{12}`, `x_{1}`, `η`."""
    text = name
    if layer is not None:
        text += f"^{{{layer}}}"
    if units:
        sep = "," if any(u > 9 for u in units) else ""
        text += "_{" + sep.join(str(u) for u in units) + "}"
    return text


#: Parenthesised superscript labels that name the output layer (`W^{(o)}`, `w^{(out)}`).
OUTPUT_LABELS = frozenset({"o", "out", "output"})
#: Superscript labels that name a layer by its place: the output, the hidden layer below it.
LAYER_LABELS = {**{k: 0 for k in OUTPUT_LABELS}, "h": -1, "hid": -1, "hidden": -1}


#: NumPy functions that code-style sources print inside formulas (`np.sum(dZ, axis=1)`,
#: `np.dot(W.T, dZ)`): what each computes, and how many arrays it takes.
NUMPY_CALLS = {
    "sum": ("reduce", 1),
    "mean": ("reduce", 1),
    "dot": ("product", 2),
    "matmul": ("product", 2),
    "multiply": ("elementwise", 2),
    "divide": ("division", 2),
    "power": ("power", 2),
    "transpose": ("transpose", 1),
}
