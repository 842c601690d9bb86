"""Proven gradients as NumPy training code: the layer form and the per-parameter form.

`generate(layout, form)` proves BP1–BP4 (refusing anything unproved) and returns the source of a
standalone module with `init_params`, `forward`, `loss`, `gradients` and `sgd_step`.
"""
from __future__ import annotations

from typing import Callable

from symbp.codegen import layer, per_parameter
from symbp.codegen.layout import Layout, layout, layout_of
from symbp.codegen.module import Generated, load_source
from symbp.errors import SymbpError
from symbp.network import NetworkSpec

#: Each form's generator: (layout, proof network or None for the default) -> Generated.
FORMS: dict[str, Callable[[Layout, str | None], Generated]] = {
    "layer": layer.generate,
    "per-parameter": per_parameter.generate,
}

__all__ = ["FORMS", "Generated", "Layout", "generate", "layout", "layout_of", "load_source"]


def generate(target: Layout | NetworkSpec, form: str = "layer",
             proof_network: str | None = None) -> Generated:
    """The generated module for `target` in `form`, after proving what it implements."""
    if form not in FORMS:
        raise SymbpError(f"unknown form '{form}' (valid: {', '.join(FORMS)})")
    net_layout = target if isinstance(target, Layout) else layout_of(target)
    return FORMS[form](net_layout, proof_network)
