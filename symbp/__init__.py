"""symbp: a symbolic derivation checker for backpropagation.

The Python API in one place:

    from symbp import NetworkSpec, prove_equations, check_text, check_equation, Verdict, gradient
    prove_equations(NetworkSpec(layers=(2, 3, 2), activation="sigmoid"))   # BP1–BP4, each proved
    check_equation(r"\\frac{\\partial y}{\\partial w} = x", define=["y = w x"])  # -> ClaimResult
    gradient(NetworkSpec((2, 3, 2), activation="tanh"), "w^2_{11}")       # ∂C/∂w, a SymPy Expr
    from symbp.prove import prove
    prove(lhs, rhs)                         # any identity between SymPy expressions -> Verdict

In IPython and Jupyter every result displays itself typeset (`symbp.printing.notebook`): the
hooks are attached here, at the top, so that no data class imports a printer.
"""
import sys

from symbp.version import __version__

__all__ = ["NetworkSpec", "build_network", "prove_equations", "check_text", "check_equation",
           "Verdict", "gradient", "__version__"]

_HOMES = {"NetworkSpec": "symbp.network", "build_network": "symbp.network",
          "Verdict": "symbp.prove", "prove_equations": "symbp.theorems",
          "check_text": "symbp.check", "check_equation": "symbp.check",
          "gradient": "symbp.gradients"}
_attached = False


def attach_displays() -> None:
    """Give the result classes their notebook displays and text tables (once)."""
    global _attached
    if not _attached:
        _attached = True
        from symbp.printing.notebook import attach
        attach()


def __getattr__(name: str):
    """Import the heavy modules only when their names are used (the CLI starts faster)."""
    if name in _HOMES:
        import importlib
        value = getattr(importlib.import_module(_HOMES[name]), name)
        attach_displays()
        return value
    raise AttributeError(f"module 'symbp' has no attribute {name!r}")


if "IPython" in sys.modules:     # a notebook or an IPython shell: results display typeset
    attach_displays()
