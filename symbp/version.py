"""The version of symbp (pyproject.toml says the same; `symbp --version` prefers the installed one)."""
__version__ = "0.1.0"
