"""symbp: a symbolic derivation checker for backpropagation.

The Python API in one place:

    from symbp import NetworkSpec, build_network, prove_equations, check_text, Verdict
    prove_equations(NetworkSpec(layers=(2, 3, 2), activation="sigmoid"))   # BP1–BP4, each proved
    from symbp.prove import prove
    prove(lhs, rhs)                         # any identity between SymPy expressions -> Verdict
"""
__version__ = "0.1.0"

__all__ = ["NetworkSpec", "build_network", "prove_equations", "check_text", "Verdict",
           "__version__"]


def __getattr__(name: str):
    """Import the heavy modules only when their names are used (the CLI starts faster)."""
    homes = {"NetworkSpec": "symbp.network", "build_network": "symbp.network",
             "Verdict": "symbp.prove",
             "prove_equations": "symbp.theorems", "check_text": "symbp.check"}
    if name in homes:
        import importlib
        return getattr(importlib.import_module(homes[name]), name)
    raise AttributeError(f"module 'symbp' has no attribute {name!r}")
