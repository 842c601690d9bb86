"""symbp: a symbolic derivation checker for backpropagation."""
__version__ = "0.1.0"
