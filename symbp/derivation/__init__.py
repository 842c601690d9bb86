"""Derivation files: reading (TOML), the resolved model, and evaluation on network sizes."""
