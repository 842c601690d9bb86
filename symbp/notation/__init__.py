"""The LaTeX notation symbp reads: grammar (`latex.lark`), parser, names, and meaning."""
from symbp.notation.limits import LIMITS
from symbp.notation.parser import parse

__all__ = ["LIMITS", "parse"]
