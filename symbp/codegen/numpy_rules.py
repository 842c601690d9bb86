"""NumPy forms of the activations and costs of `symbp.rules`, one table each, every form stable.

Each helper is kept as source text: the same text is copied into a generated module and executed
here for in-process use, so what the tests exercise is what a user's file runs. Stability: no
helper overflows or warns at |z| = 1000; logarithms of σ and softmax come from log-sum-exp.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from symbp.errors import SymbpError
from symbp.rules import ACTIVATIONS, COSTS

#: e^t overflows above ln(largest float) of t's type: 709.78 in float64, 88.72 in float32. The
#: sigmoid caps -z one below that, where σ(z) < 1e-307 (float64) or 1e-38 (float32), so the cap
#: changes σ by less than that.

#: Source of every NumPy helper a generated module may need, by name. z has a leading batch axis.
HELPERS: dict[str, str] = {
    "sigmoid": '''def sigmoid(z):
    """σ(z) = 1/(1 + e^-z), with -z capped one below ln(largest float) of z's type (708.8 in
    float64, 87.7 in float32) so e^-z cannot overflow; one buffer."""
    e = np.negative(z)
    np.minimum(e, np.log(np.finfo(e.dtype).max) - 1.0, out=e)
    np.exp(e, out=e)
    e += 1.0
    return np.reciprocal(e, out=e)
''',
    "log_sigmoid": '''def log_sigmoid(z):
    """ln σ(z) = -softplus(-z), by log-sum-exp."""
    return -np.logaddexp(0.0, -z)
''',
    "log_one_minus_sigmoid": '''def log_one_minus_sigmoid(z):
    """ln(1 - σ(z)) = -softplus(z), by log-sum-exp."""
    return -np.logaddexp(0.0, z)
''',
    "softplus": '''def softplus(z):
    """ln(1 + e^z) by log-sum-exp."""
    return np.logaddexp(0.0, z)
''',
    "relu": '''def relu(z):
    """max(0, z)."""
    return np.maximum(z, 0.0)
''',
    "step": '''def step(z):
    """ReLU'(z): the step H(z) (taken as 0 at the kink z = 0)."""
    return (z > 0.0).astype(z.dtype)
''',
    "tanh": '''def tanh(z):
    """tanh(z)."""
    return np.tanh(z)
''',
    "softmax": '''def softmax(z):
    """e^{z_j} / Σ_k e^{z_k} over the last axis, shifted by the row maximum so nothing overflows."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
''',
    "log_softmax": '''def log_softmax(z):
    """ln softmax(z) = z - log-sum-exp(z) over the last axis."""
    s = z - z.max(axis=-1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))
''',
    "shifted_exp": '''def shifted_exp(zs):
    """e^{z_j - max_k z_k} for the units of one softmax layer (a list of batch vectors).

    Every softmax expression is homogeneous of degree 0 in these atoms, so the shift is exact.
    """
    top = np.max(zs, axis=0)
    return [np.exp(z - top) for z in zs]
''',
}


@dataclass(frozen=True)
class NumpyActivation:
    """How one activation of `symbp.rules.ACTIVATIONS` is computed in NumPy, by helper name."""

    name: str
    value: str | None              # helper for a = σ(z); None for the identity
    atom_derivative: str | None    # helper for σ'(z) when rules.py keeps σ' as its own atom
    log_value: str | None = None   # helper for ln σ(z), for costs that take logarithms
    log_one_minus: str | None = None  # helper for ln(1 - σ(z))
    layerwise: bool = False        # acts on a whole layer (softmax)
    output_range: str = ""


NUMPY_ACTIVATIONS: dict[str, NumpyActivation] = {a.name: a for a in [
    NumpyActivation("sigmoid", "sigmoid", None, "log_sigmoid", "log_one_minus_sigmoid",
                    output_range="(0, 1)"),
    NumpyActivation("tanh", "tanh", None, output_range="(-1, 1)"),
    NumpyActivation("relu", "relu", "step", output_range="[0, ∞)"),
    NumpyActivation("softplus", "softplus", "sigmoid", output_range="(0, ∞)"),
    NumpyActivation("identity", None, None, output_range="(-∞, ∞)"),
    NumpyActivation("softmax", "softmax", None, "log_softmax", layerwise=True,
                    output_range="(0, 1), summing to 1"),
]}


@dataclass(frozen=True)
class NumpyCost:
    """The mean per-sample cost in NumPy: a template over A, Y, Z and the log helpers."""

    name: str
    template: str                  # format fields: c, log_value, log_one_minus
    needs: tuple[str, ...] = ()    # NumpyActivation fields the output activation must supply
    why: str = ""


NUMPY_COSTS: dict[str, NumpyCost] = {c.name: c for c in [
    NumpyCost("quadratic", "{c} * np.sum((A - Y) ** 2)"),
    NumpyCost("cross_entropy", "-np.sum(Y * {log_value}(Z) + (1.0 - Y) * {log_one_minus}(Z))",
              ("log_value", "log_one_minus"),
              "it takes ln a and ln(1 - a) of each output, so each output must be a probability "
              "computed from its own z"),
    NumpyCost("log_likelihood", "-np.sum(Y * {log_value}(Z))", ("log_value",),
              "it takes ln a of each output, so the outputs must be probabilities"),
]}

assert set(NUMPY_COSTS) == set(COSTS), "every cost of symbp.rules needs a NumPy form"
assert set(NUMPY_ACTIVATIONS) == set(ACTIVATIONS) - {"sigma"}, \
    "every concrete activation of symbp.rules needs a NumPy form"


def numpy_activation(name: str) -> NumpyActivation:
    """The NumPy form of an activation; the generic σ has none."""
    if name not in NUMPY_ACTIVATIONS:
        raise SymbpError(f"code can only be generated for concrete activations; '{name}' is a "
                         f"generic function (choose one of {', '.join(NUMPY_ACTIVATIONS)})")
    return NUMPY_ACTIVATIONS[name]


def check_pair(output: str, cost: str) -> None:
    """Refuse an output activation and cost whose cost is undefined on the activation's range."""
    act, rule = numpy_activation(output), NUMPY_COSTS[cost]
    missing = [need for need in rule.needs if getattr(act, need) is None]
    if missing:
        fits = [a.name for a in NUMPY_ACTIVATIONS.values()
                if all(getattr(a, need) is not None for need in rule.needs)]
        raise SymbpError(f"the {cost} cost does not fit a {output} output layer (outputs in "
                         f"{act.output_range}): {rule.why}; use {' or '.join(fits)} on the "
                         f"output layer")


def cost_source(output: str, cost: str, scale: float) -> str:
    """The expression for the summed per-sample cost, over A, Y and Z of the output layer."""
    check_pair(output, cost)
    act = NUMPY_ACTIVATIONS[output]
    return NUMPY_COSTS[cost].template.format(c=repr(float(scale)), log_value=act.log_value,
                                             log_one_minus=act.log_one_minus)


def helper_names(source: str) -> list[str]:
    """The helpers a piece of generated source calls, in table order."""
    return [name for name in HELPERS if re.search(rf"\b{name}\(", source)]


def helper_source(names: list[str]) -> str:
    """The definitions of the named helpers, ready to paste into a module."""
    return "\n\n".join(HELPERS[n] for n in names)


def helpers_namespace() -> dict[str, object]:
    """Every helper executed once, for in-process code and tests."""
    namespace: dict[str, object] = {"np": np}
    for source in HELPERS.values():
        # Safe: HELPERS are constant source strings written in this file, never user input.
        exec(compile(source, "<symbp.codegen.numpy_rules>", "exec"), namespace)  # safe: constant
    return namespace
