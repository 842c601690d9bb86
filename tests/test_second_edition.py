"""The derivation-file contract, second edition ("Readings settled for real sources").

For every construct of the second edition, three kinds of test, on small files written the way
real sources print them: (a) a true claim holds; (b) a wrong one fails with the right diagnosis;
(c) where the form could be read two ways, the result's `readings` names the reading taken.
Only public behaviour is used: `check_text`, the `ClaimResult` fields, and the CLI. Every
expectation was worked out by hand from the contract; the note next to a claim says how.
"""
from __future__ import annotations

import functools
import json
import math
import os
import re
import subprocess
import sys
import textwrap


from symbp.check import check_text

FILE = "case.toml"


# -- helpers ---------------------------------------------------------------------------------------
@functools.cache
def _run(text: str) -> dict:
    """Check one case file once; its results by claim name."""
    return {r.name: r for r in check_text(textwrap.dedent(text), FILE)}


def result(case: str, name: str):
    return _run(case)[name]


def shown(r) -> str:
    """Everything a failing assertion should show about a result."""
    return (f"{r.name}: verdict={r.verdict!r} diagnosis={r.diagnosis!r} error={r.error!r} "
            f"readings={getattr(r, 'readings', ())!r} instances={r.instances!r}")


def holds(case: str, *names: str) -> None:
    for name in names:
        r = result(case, name)
        assert r.verdict == "holds", shown(r)


def fails(case: str, name: str):
    r = result(case, name)
    assert r.verdict == "fails", shown(r)
    return r


def diagnosis(r) -> str:
    return r.diagnosis or ""


# A derivative of a generic function as a diagnosis may print it: σ' or sigma', φ' or varphi'.
PRIMED = {"sigma": r"(σ|\\?sigma)\s*'", "varphi": r"(φ|ϕ|\\?varphi|\\?phi)\s*'",
          "g": r"\bg\s*'", "f": r"\bf\s*'"}


def says_missing(r, fn: str) -> bool:
    d = diagnosis(r)
    return "missing" in d and re.search(PRIMED[fn], d) is not None


def says_extra(r, fn: str) -> bool:
    d = diagnosis(r)
    return "extra" in d and re.search(PRIMED[fn], d) is not None


def says_factor_2(r) -> bool:
    d = diagnosis(r)
    return "factor" in d and "2" in d


def says_sign(r) -> bool:
    return "sign" in diagnosis(r)


def says_shape(r) -> bool:
    d = diagnosis(r)
    return "shape" in d or "transpose" in d


def readings(r) -> tuple[str, ...]:
    return tuple(getattr(r, "readings", ()))


def reading_mentions(r, *words: str) -> bool:
    """Some reading names one of `words` (case-insensitive)."""
    return any(w.lower() in s.lower() for s in readings(r) for w in words)


def refused(case: str, name: str, *words: str):
    """A located error for claim `name` that names the construct (any of `words`)."""
    r = result(case, name)
    assert r.verdict == "error", shown(r)
    assert r.error and r.error.startswith(FILE) and name in r.error, shown(r)
    message = r.error.split(name, 1)[1].lower()       # past the file and claim name
    assert any(w.lower() in message for w in words), shown(r)
    return r


# -- the network most books use (Nielsen ch. 2), as the baseline -----------------------------------
NIELSEN_DEFS = r"""
define = [
  'a^1_j = x_j',
  'z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j',
  'a^l_j = \sigma(z^l_j)',
  'C = \frac{1}{2} \sum_j (a^L_j - y_j)^2',
  '\delta^l_j = \frac{\partial C}{\partial z^l_j}',
]
"""

# -- layer scripts: ^{(l)} (Bishop, UFLDL, Goodfellow) ---------------------------------------------
PAREN = r"""
title  = "Backprop in parenthesised layer superscripts"
layers = [[2, 3, 2], [3, 2, 4, 2]]
define = [
  'a^{(1)}_j = x_j',
  'z^{(l)}_j = \sum_k w^{(l)}_{jk} a^{(l-1)}_k + b^{(l)}_j',
  'a^{(l)}_j = \sigma(z^{(l)}_j)',
  'C = \frac{1}{2} \sum_j (a^{(L)}_j - y_j)^2',
  '\delta^{(l)}_j = \frac{\partial C}{\partial z^{(l)}_j}',
  'W^{(l)}_{jk} = w^{(l)}_{jk}',
]

[[claim]]
name   = "BP4"
latex  = '\frac{\partial C}{\partial w^{(l)}_{jk}} = a^{(l-1)}_k \delta^{(l)}_j'
expect = "holds"

[[claim]]
name   = "BP1"
latex  = '''\delta^{(L)} = \nabla_{a^{(L)}} C \odot \sigma'(z^{(L)})'''
expect = "holds"

[[claim]]
name   = "BP2-shared-transpose"
latex  = '''\delta^{(l)} = (W^{(l+1)T} \delta^{(l+1)}) \odot \sigma'(z^{(l)})'''
where  = '2 \le l \le L-1'
expect = "holds"

[[claim]]
name   = "BP3-doubled"
latex  = '\frac{\partial C}{\partial b^{(l)}_j} = 2 \delta^{(l)}_j'
expect = "fails"

[[claim]]
name   = "BP2-no-sigma-prime"
latex  = '\delta^{(l)} = (W^{(l+1)})^T \delta^{(l+1)}'
where  = '2 \le l \le L-1'
expect = "fails"
"""


def test_paren_layer_superscripts_hold():
    holds(PAREN, "BP4", "BP1", "BP2-shared-transpose")


def test_paren_layer_superscripts_wrong_forms_fail_with_diagnosis():
    assert says_factor_2(fails(PAREN, "BP3-doubled"))
    # δ_j = σ'(z_j) Σ_k W_kj δ_k: without the Hadamard factor, exactly σ'(z_j) is missing.
    assert says_missing(fails(PAREN, "BP2-no-sigma-prime"), "sigma")


def test_shared_transpose_superscript_names_its_reading():
    assert reading_mentions(result(PAREN, "BP2-shared-transpose"), "transpose")


# -- layer scripts: ^{[l]} and code-style names (Ng's course, one example) -------------------------
NG = r"""
title  = "Vectorised backprop in Ng's notation, one training example (m = 1)"
layers = [[2, 3, 2], [3, 2, 4, 2]]
first_layer = 0
define = [
  'A^{[0]} = X',
  'Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}',
  'A^{[l]} = g(Z^{[l]})',
  'J = \frac{1}{2} \|A^{[L]} - Y\|^2',
  'dZ^{[l]} = \frac{\partial J}{\partial Z^{[l]}}',
  'dA^{[l]} = \frac{\partial J}{\partial A^{[l]}}',
  'dW^{[l]} = \frac{\partial J}{\partial W^{[l]}}',
  'db^{[l]} = \frac{\partial J}{\partial b^{[l]}}',
]

[[claim]]
name   = "dZ-output"
latex  = '''dZ^{[L]} = (A^{[L]} - Y) * g'(Z^{[L]})'''
expect = "holds"

[[claim]]
name   = "dZ"
latex  = '''dZ^{[l]} = dA^{[l]} * g'(Z^{[l]})'''
expect = "holds"

[[claim]]
name   = "dZ-matlab"
latex  = '''dZ^{[l]} = dA^{[l]} .* g'(Z^{[l]})'''
expect = "holds"

[[claim]]
name   = "dW"
latex  = 'dW^{[l]} = dZ^{[l]} A^{[l-1]T}'
expect = "holds"

[[claim]]
name   = "db"
latex  = 'db^{[l]} = dZ^{[l]}'
expect = "holds"

[[claim]]
name   = "dA-previous"
latex  = 'dA^{[l-1]} = W^{[l]T} dZ^{[l]}'
where  = '2 \le l \le L'
expect = "holds"

[[claim]]
name   = "dZ-without-g-prime"
latex  = 'dZ^{[l]} = dA^{[l]}'
expect = "fails"

[[claim]]
name   = "dA-previous-untransposed"
latex  = 'dA^{[l-1]} = W^{[l]} dZ^{[l]}'
where  = '2 \le l \le L'
expect = "fails"

[[claim]]
name   = "dZ-cdot"
latex  = '''dZ^{[l]} = dA^{[l]} \cdot g'(Z^{[l]})'''
expect = "fails"

[[claim]]
name   = "dW-transposed"
latex  = 'dW^{[l]} = A^{[l-1]} dZ^{[l]T}'
expect = "fails"
"""


def test_bracket_layers_code_names_and_elementwise_star_hold():
    holds(NG, "dZ-output", "dZ", "dZ-matlab", "dW", "db", "dA-previous")


def test_bracket_layers_missing_derivative_is_diagnosed():
    # dZ_j = dA_j g'(Z_j): the right side lacks exactly g'(Z_j).
    assert says_missing(fails(NG, "dZ-without-g-prime"), "g")


def test_bracket_layers_wrong_orientation_is_a_shape_mismatch():
    # Every weight matrix here is non-square, so W dZ and A dZ^T never have the right shape.
    assert says_shape(fails(NG, "dA-previous-untransposed"))
    assert says_shape(fails(NG, "dW-transposed"))


def test_cdot_between_two_vectors_is_not_elementwise():
    # \cdot is the scalar or matrix product: column times column has no shape.
    assert says_shape(fails(NG, "dZ-cdot"))


def test_bracket_layer_transpose_names_its_reading():
    assert reading_mentions(result(NG, "dW"), "transpose")


def test_star_names_the_elementwise_reading():
    assert reading_mentions(result(NG, "dZ"), "elementwise", "element-wise", "hadamard")
    assert reading_mentions(result(NG, "dZ-matlab"), "elementwise", "element-wise", "hadamard")


# -- square layers: a transpose slip cannot hide behind a shape mismatch ---------------------------
SQUARE = r"""
title  = "Square layers, parenthesised layer scripts, the matrix W^{(l)} as an alias"
layers = [[2, 2, 2, 2]]
define = [
  'a^{(1)}_j = x_j',
  'z^{(l)}_j = \sum_k w^{(l)}_{jk} a^{(l-1)}_k + b^{(l)}_j',
  'a^{(l)}_j = \sigma(z^{(l)}_j)',
  'C = \frac{1}{2} \sum_j (a^{(L)}_j - y_j)^2',
  '\delta^{(l)}_j = \frac{\partial C}{\partial z^{(l)}_j}',
  'W^{(l)}_{jk} = w^{(l)}_{jk}',
]

[[claim]]
name   = "BP2"
latex  = '''\delta^{(l)} = (W^{(l+1)T} \delta^{(l+1)}) \odot \sigma'(z^{(l)})'''
where  = '2 \le l \le L-1'
expect = "holds"

[[claim]]
name   = "BP2-untransposed"
latex  = '''\delta^{(l)} = (W^{(l+1)} \delta^{(l+1)}) \odot \sigma'(z^{(l)})'''
where  = '2 \le l \le L-1'
expect = "fails"

[[claim]]
name   = "grad-W"
latex  = '\nabla_{W^{(l)}} C = \delta^{(l)} a^{(l-1)T}'
expect = "holds"

[[claim]]
name   = "grad-W-transposed"
latex  = '\nabla_{W^{(l)}} C = a^{(l-1)} \delta^{(l)T}'
expect = "fails"

[[claim]]
name   = "BP4-indices-exchanged"
latex  = '\frac{\partial C}{\partial w^{(l)}_{jk}} = a^{(l-1)}_j \delta^{(l)}_k'
expect = "fails"
"""

SQUARE_NG = r"""
title  = "Ng's vector form on square layers: W's orientation comes from Z = W A + b alone"
layers = [[2, 2, 2]]
first_layer = 0
define = [
  'A^{[0]} = X',
  'Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}',
  'A^{[l]} = g(Z^{[l]})',
  'J = \frac{1}{2} \|A^{[L]} - Y\|^2',
  'dZ^{[l]} = \frac{\partial J}{\partial Z^{[l]}}',
]

[[claim]]
name   = "dA1"
latex  = '\frac{\partial J}{\partial A^{[1]}} = W^{[2]T} dZ^{[2]}'
expect = "holds"

[[claim]]
name   = "dA1-untransposed"
latex  = '\frac{\partial J}{\partial A^{[1]}} = W^{[2]} dZ^{[2]}'
expect = "fails"

[[claim]]
name   = "dW"
latex  = '\frac{\partial J}{\partial W^{[l]}} = dZ^{[l]} A^{[l-1]T}'
expect = "holds"

[[claim]]
name   = "dW-transposed"
latex  = '\frac{\partial J}{\partial W^{[l]}} = A^{[l-1]} dZ^{[l]T}'
expect = "fails"
"""


def test_square_layers_transposes_hold():
    holds(SQUARE, "BP2", "grad-W")
    holds(SQUARE_NG, "dA1", "dW")


def test_square_layers_transpose_slips_fail_by_value():
    for case, name in [(SQUARE, "BP2-untransposed"), (SQUARE, "grad-W-transposed"),
                       (SQUARE_NG, "dA1-untransposed"), (SQUARE_NG, "dW-transposed")]:
        r = fails(case, name)
        assert r.counterexample_text, shown(r)


def test_square_layers_exchanged_indices_are_named():
    r = fails(SQUARE, "BP4-indices-exchanged")
    assert any(w in diagnosis(r) for w in ("exchang", "swap", "index", "transpose")), shown(r)


# -- layer subscripts: W_1, b_2 (slides and code with two weight layers) ---------------------------
SUBSCRIPT = r"""
title  = "A two-layer network with the layer as a subscript: z_1 = W_1 x + b_1"
layers = [[2, 3, 2], [3, 4, 2]]
first_layer = 0
define = [
  'z_1 = W_1 x + b_1',
  'h = \sigma(z_1)',
  'z_2 = W_2 h + b_2',
  '\hat{y} = \sigma(z_2)',
  'J = \frac{1}{2} \|\hat{y} - y\|^2',
]

[[claim]]
name   = "db2"
latex  = '''\frac{\partial J}{\partial b_2} = (\hat{y} - y) \odot \sigma'(z_2)'''
expect = "holds"

[[claim]]
name   = "dW2"
latex  = '''\frac{\partial J}{\partial W_2} = ((\hat{y} - y) \odot \sigma'(z_2)) h^T'''
expect = "holds"

[[claim]]
name   = "db1"
latex  = '''\frac{\partial J}{\partial b_1} = (W_2^T ((\hat{y} - y) \odot \sigma'(z_2))) \odot \sigma'(z_1)'''
expect = "holds"

[[claim]]
name   = "dW1"
latex  = '''\frac{\partial J}{\partial W_1} = ((W_2^T ((\hat{y} - y) \odot \sigma'(z_2))) \odot \sigma'(z_1)) x^T'''
expect = "holds"

[[claim]]
name   = "dh"
latex  = '''\frac{\partial J}{\partial h} = W_2^T ((\hat{y} - y) \odot \sigma'(z_2))'''
expect = "holds"

[[claim]]
name   = "db1-with-the-output-error"
latex  = '''\frac{\partial J}{\partial b_1} = (\hat{y} - y) \odot \sigma'(z_2)'''
expect = "fails"
note   = "b_1 is the hidden layer's bias (3 or 4 units), the right side the output's (2)."

[[claim]]
name   = "db2-no-sigma-prime"
latex  = '\frac{\partial J}{\partial b_2} = \hat{y} - y'
expect = "fails"

[[claim]]
name   = "db1-untransposed"
latex  = '''\frac{\partial J}{\partial b_1} = (W_2 ((\hat{y} - y) \odot \sigma'(z_2))) \odot \sigma'(z_1)'''
expect = "fails"
"""


def test_layer_subscripts_hold():
    holds(SUBSCRIPT, "db2", "dW2", "db1", "dW1", "dh")


def test_layer_subscripts_wrong_forms_fail_with_diagnosis():
    assert says_missing(fails(SUBSCRIPT, "db2-no-sigma-prime"), "sigma")
    # W_2 is 2x3 (2x4): it cannot multiply a 2-vector.
    assert says_shape(fails(SUBSCRIPT, "db1-untransposed"))
    # b_1 is a layer, not unit 1: the hidden bias cannot equal the output error.
    assert says_shape(fails(SUBSCRIPT, "db1-with-the-output-error"))


def test_layer_subscript_names_its_reading():
    # z_1 = W_1 x + b_1 could be unit 1 of z; the definitions make 1 a layer.
    assert reading_mentions(result(SUBSCRIPT, "db1"), "layer")


# -- transpose sharing the superscript, layers numbered by k (Goodfellow, algorithm 6.4) -----------
GOODFELLOW = r"""
title  = "Deep Learning (Goodfellow et al.), 6.5.4: a^{(k)} = b^{(k)} + W^{(k)} h^{(k-1)}"
layers = [[2, 3, 2], [3, 2, 4, 2]]
first_layer = 0
define = [
  'h^{(0)}_j = x_j',
  'a^{(k)}_i = b^{(k)}_i + \sum_j W^{(k)}_{ij} h^{(k-1)}_j',
  'h^{(k)}_i = f(a^{(k)}_i)',
  'J = \frac{1}{2} \sum_i (h^{(L)}_i - y_i)^2',
  'g^{(k)}_i = \frac{\partial J}{\partial a^{(k)}_i}',
]

[[claim]]
name   = "grad-W"
latex  = '\nabla_{W^{(k)}} J = g^{(k)} h^{(k-1)\top}'
expect = "holds"

[[claim]]
name   = "grad-b"
latex  = '\nabla_{b^{(k)}} J = g^{(k)}'
expect = "holds"

[[claim]]
name   = "back"
latex  = '''g^{(k)} = (W^{(k+1)\top} g^{(k+1)}) \odot f'(a^{(k)})'''
where  = 'k \le L-1'
expect = "holds"

[[claim]]
name   = "grad-W-transposed"
latex  = '\nabla_{W^{(k)}} J = h^{(k-1)} g^{(k)\top}'
expect = "fails"

[[claim]]
name   = "grad-b-extra-f-prime"
latex  = '''\nabla_{b^{(k)}} J = g^{(k)} \odot f'(a^{(k)})'''
expect = "fails"
"""


def test_goodfellow_shared_transpose_holds():
    holds(GOODFELLOW, "grad-W", "grad-b", "back")


def test_goodfellow_wrong_forms_fail_with_diagnosis():
    assert says_shape(fails(GOODFELLOW, "grad-W-transposed"))
    # ∂J/∂b_i = g_i: f'(a_i) is one factor too many.
    assert says_extra(fails(GOODFELLOW, "grad-b-extra-f-prime"), "f")


def test_goodfellow_transpose_in_superscript_names_its_reading():
    assert reading_mentions(result(GOODFELLOW, "grad-W"), "transpose")


# -- layers from 0, inputs defined -----------------------------------------------------------------
FROM_ZERO = r"""
title  = "Layers numbered from 0, a^0 = x"
layers = [[2, 3, 2], [3, 4, 2]]
first_layer = 0
define = [
  'a^0_j = x_j',
  'z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j',
  'a^l_j = \sigma(z^l_j)',
  'C = \frac{1}{2} \sum_j (a^L_j - y_j)^2',
  '\delta^l_j = \frac{\partial C}{\partial z^l_j}',
]

[[claim]]
name   = "output-layer-is-2"
latex  = '''\delta^2_j = (a^2_j - y_j) \sigma'(z^2_j)'''
expect = "holds"

[[claim]]
name   = "hidden-layer-is-1"
latex  = '''\delta^1_j = \sigma'(z^1_j) \sum_k w^2_{kj} \delta^2_k'''
expect = "holds"

[[claim]]
name   = "first-weights-see-x"
latex  = '\frac{\partial C}{\partial w^1_{jk}} = x_k \delta^1_j'
expect = "holds"

[[claim]]
name   = "hidden-no-sigma-prime"
latex  = '\delta^1_j = \sum_k w^2_{kj} \delta^2_k'
expect = "fails"
"""

FROM_ZERO_ONE_NET = FROM_ZERO.replace("[[2, 3, 2], [3, 4, 2]]", "[[2, 3, 2]]") + r"""
[[claim]]
name   = "every-delta"
latex  = '\delta^l_j = \frac{\partial C}{\partial z^l_j}'
expect = "holds"
"""


def test_layers_from_zero_with_defined_inputs_hold():
    # Layer 2 is the output of both networks only if the input is layer 0.
    holds(FROM_ZERO, "output-layer-is-2", "hidden-layer-is-1", "first-weights-see-x")


def test_layers_from_zero_missing_sigma_prime_is_diagnosed():
    assert says_missing(fails(FROM_ZERO, "hidden-no-sigma-prime"), "sigma")


def test_layers_from_zero_instances_are_layers_1_and_2():
    # [2, 3, 2] numbered 0, 1, 2: δ on layer 1 (3 units) and layer 2 (2 units).
    r = result(FROM_ZERO_ONE_NET, "every-delta")
    assert r.verdict == "holds" and r.instances == 5, shown(r)


# -- layers from 0, inputs free, weights by sending layer, bias unit (source document 000) ---------
FREE_INPUTS = r"""
title  = "BACKPROP notes: w^l_{jk} from unit j of layer l to unit k of layer l+1, a^l_0 = 1"
layers = [[2, 3, 2], [3, 2, 2]]
first_layer = 0
define = [
  'a^l_0 = 1',
  'z^{l+1}_k = \sum_{j=0}^{n_l} a^l_j w^l_{jk}',
  'a^l_j = \sigma(z^l_j)',
  'C = \sum_i (a^L_i - y_i)^2',
  '\delta^l_u = \frac{\partial C}{\partial z^l_u}',
]

[[claim]]
name   = "input-gradient"
latex  = '\frac{\partial C}{\partial a^0_i} = \sum_k w^0_{ik} \delta^1_k'
expect = "holds"

[[claim]]
name   = "BP4-first-layer"
latex  = '\frac{\partial C}{\partial w^0_{ij}} = a^0_i \delta^1_j'
expect = "holds"

[[claim]]
name   = "BP3-bias-weight"
latex  = '\frac{\partial C}{\partial w_{0j}^l} = \delta_j^{l+1}'
expect = "holds"

[[claim]]
name   = "output-error"
latex  = '''\delta_u^L = 2(a_u^L - y_u) \sigma'(z_u^L)'''
expect = "holds"

[[claim]]
name   = "BP4-first-layer-doubled"
latex  = '\frac{\partial C}{\partial w^0_{ij}} = 2 a^0_i \delta^1_j'
expect = "fails"

[[claim]]
name   = "output-error-without-2"
latex  = '''\delta_u^L = (a_u^L - y_u) \sigma'(z_u^L)'''
expect = "fails"
note   = "C has no factor 1/2."

[[claim]]
name   = "local-derivative-indicator"
latex  = '\frac{\partial z_k^{l+1}}{\partial w_{ij}^l} = a_i^l [k = j]'
expect = "holds"

[[claim]]
name   = "local-derivative-mathbb"
latex  = '\frac{\partial z_k^{l+1}}{\partial w_{ij}^l} = a_i^l \mathbb{1}(k = j)'
expect = "holds"

[[claim]]
name   = "local-derivative-indicator-only"
latex  = '\frac{\partial z_k^{l+1}}{\partial w_{ij}^l} = [k = j]'
expect = "fails"
"""


def test_free_input_layer_holds():
    holds(FREE_INPUTS, "input-gradient", "BP4-first-layer", "BP3-bias-weight", "output-error")


def test_free_input_layer_wrong_constants_are_diagnosed():
    assert says_factor_2(fails(FREE_INPUTS, "BP4-first-layer-doubled"))
    assert says_factor_2(fails(FREE_INPUTS, "output-error-without-2"))


# -- indicators ------------------------------------------------------------------------------------
def test_indicators_hold():
    holds(FREE_INPUTS, "local-derivative-indicator", "local-derivative-mathbb")


def test_indicator_without_its_factor_fails_with_missing_factor():
    r = fails(FREE_INPUTS, "local-derivative-indicator-only")
    assert "missing" in diagnosis(r), shown(r)


def test_iverson_bracket_names_its_reading():
    assert reading_mentions(result(FREE_INPUTS, "local-derivative-indicator"),
                            "iverson", "indicator")


# -- which layer a superscript labels: the sending layer, first layer 1 ----------------------------
SENDING = r"""
title  = 'Weights labelled by their sending layer: z^{l+1}_k = \sum_j a^l_j w^l_{jk} + b^{l+1}_k'
layers = [[2, 3, 2], [3, 2, 4, 2]]
define = [
  'a^1_j = x_j',
  'z^{l+1}_k = \sum_j a^l_j w^l_{jk} + b^{l+1}_k',
  'a^l_j = \sigma(z^l_j)',
  'C = \frac{1}{2} \sum_j (a^L_j - y_j)^2',
  '\delta^l_j = \frac{\partial C}{\partial z^l_j}',
]

[[claim]]
name   = "BP4"
latex  = '\frac{\partial C}{\partial w^l_{jk}} = a^l_j \delta^{l+1}_k'
expect = "holds"

[[claim]]
name   = "BP2"
latex  = '''\delta^l_j = \sigma'(z^l_j) \sum_k w^l_{jk} \delta^{l+1}_k'''
expect = "holds"

[[claim]]
name   = "operator-reach-over-a-sum"
latex  = '''\frac{\partial}{\partial z_u^l} \sum_j \sigma(z_j^l) w_{jk}^l = \sigma'(z_u^l) w_{uk}^l'''
expect = "holds"

[[claim]]
name   = "BP4-receiving-form-carried-over"
latex  = '\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j'
expect = "fails"
note   = "Nielsen's BP4 is wrong here: w^l_{jk} goes from unit j of layer l to unit k of layer l+1."

[[claim]]
name   = "BP4-extra-sigma-prime"
latex  = '''\frac{\partial C}{\partial w^l_{jk}} = a^l_j \delta^{l+1}_k \sigma'(z^{l+1}_k)'''
expect = "fails"
"""


def test_sending_layer_weights_hold():
    holds(SENDING, "BP4", "BP2")


def test_sending_layer_extra_factor_is_diagnosed():
    assert says_extra(fails(SENDING, "BP4-extra-sigma-prime"), "sigma")


def test_sending_layer_weights_are_not_read_as_receiving_ones():
    fails(SENDING, "BP4-receiving-form-carried-over")


# -- both layers on the weight, δ with a minus (Haykin) --------------------------------------------
BOTH = r"""
title  = "Weights carrying both layers, w^{l-1,l}_{ik}; local gradient δ = -∂E/∂v"
layers = [[2, 3, 2], [3, 2, 4, 2]]
define = [
  'y^1_i = x_i',
  'v^l_k = \sum_i w^{l-1,l}_{ik} y^{l-1}_i',
  'y^l_k = \varphi(v^l_k)',
  'E = \frac{1}{2} \sum_k (d_k - y^L_k)^2',
  '\delta^l_k = -\frac{\partial E}{\partial v^l_k}',
]

[[claim]]
name   = "output-local-gradient"
latex  = '''\delta^L_k = (d_k - y^L_k) \varphi'(v^L_k)'''
expect = "holds"

[[claim]]
name   = "hidden-local-gradient"
latex  = '''\delta^l_i = \varphi'(v^l_i) \sum_k w^{l,l+1}_{ik} \delta^{l+1}_k'''
expect = "holds"

[[claim]]
name   = "weight-gradient"
latex  = '\frac{\partial E}{\partial w^{l-1,l}_{ik}} = -\delta^l_k y^{l-1}_i'
expect = "holds"

[[claim]]
name   = "weight-gradient-sign"
latex  = '\frac{\partial E}{\partial w^{l-1,l}_{ik}} = \delta^l_k y^{l-1}_i'
expect = "fails"
"""


def test_weights_labelled_by_both_layers_hold():
    holds(BOTH, "output-local-gradient", "hidden-local-gradient", "weight-gradient")


def test_weights_labelled_by_both_layers_sign_is_diagnosed():
    assert says_sign(fails(BOTH, "weight-gradient-sign"))


# -- δ numbered one above the z it differentiates --------------------------------------------------
DELTA_SHIFTED = r"""
title  = "δ numbered by its weight layer: δ^l_k = ∂C/∂z^{l+1}_k, so ∂C/∂w^l_{jk} = a^l_j δ^l_k"
layers = [[2, 3, 2], [3, 2, 4, 2]]
define = [
  'a^1_j = x_j',
  'z^{l+1}_k = \sum_j a^l_j w^l_{jk} + b^l_k',
  'a^l_j = \sigma(z^l_j)',
  'C = \frac{1}{2} \sum_j (a^L_j - y_j)^2',
  '\delta^l_k = \frac{\partial C}{\partial z^{l+1}_k}',
]

[[claim]]
name   = "weight-gradient"
latex  = '\frac{\partial C}{\partial w^l_{jk}} = a^l_j \delta^l_k'
expect = "holds"

[[claim]]
name   = "bias-gradient"
latex  = '\frac{\partial C}{\partial b^l_k} = \delta^l_k'
expect = "holds"

[[claim]]
name   = "last-delta"
latex  = '''\delta^{L-1}_k = (a^L_k - y_k) \sigma'(z^L_k)'''
expect = "holds"

[[claim]]
name   = "backward"
latex  = '''\delta^{l-1}_j = \sigma'(z^l_j) \sum_k w^l_{jk} \delta^l_k'''
expect = "holds"

[[claim]]
name   = "backward-no-sigma-prime"
latex  = '\delta^{l-1}_j = \sum_k w^l_{jk} \delta^l_k'
expect = "fails"
"""


def test_delta_one_above_its_z_holds():
    holds(DELTA_SHIFTED, "weight-gradient", "bias-gradient", "last-delta", "backward")


def test_delta_one_above_its_z_missing_factor_is_diagnosed():
    assert says_missing(fails(DELTA_SHIFTED, "backward-no-sigma-prime"), "sigma")


# -- families without a layer script; Σ_{ℓ∈L} without a `sets` entry is the output layer (doc 002)
LAYERLESS = r"""
title  = "One generic layer: o_j = φ(n_j), n_j = Σ_k w_kj o_k"
layers = [[2, 3, 2], [3, 2, 4, 2]]
define = [
  'n_j = \sum_k w_{kj} o_k',
  'o_j = \varphi(n_j)',
  'E = \sum_{\ell \in L} (o_\ell - t_\ell)^2',
  '\delta_j = \frac{\partial E}{\partial n_j}',
]

[[claim]]
name   = "dE-do-output"
latex  = '\frac{\partial E}{\partial o_j} = 2(o_j - t_j)'
expect = "holds"
note   = "t lives on the output layer only, so j does too."

[[claim]]
name   = "delta-output"
latex  = '''\delta_j = 2(o_j - t_j) \varphi'(n_j)'''
expect = "holds"

[[claim]]
name   = "weight-gradient"
latex  = '\frac{\partial E}{\partial w_{kj}} = \delta_j o_k'
expect = "holds"
note   = "k is a unit of the layer before j's, on every pair of layers."

[[claim]]
name   = "chain-through-output"
latex  = '\delta_j = \sum_{\ell \in L} 2(o_\ell - t_\ell) \frac{\partial o_\ell}{\partial n_j}'
expect = "holds"
note   = "L is the output layer (no `sets` entry); E depends on n_j only through the outputs."

[[claim]]
name   = "delta-output-no-phi-prime"
latex  = '\delta_j = 2(o_j - t_j)'
expect = "fails"

[[claim]]
name   = "dE-do-halved"
latex  = '\frac{\partial E}{\partial o_j} = o_j - t_j'
expect = "fails"
"""


def test_layerless_families_hold():
    holds(LAYERLESS, "dE-do-output", "delta-output", "weight-gradient", "chain-through-output")
    # δ_j on every layer after the input: [2,3,2]: 3 + 2 units; [3,2,4,2]: 2 + 4 + 2.
    assert result(LAYERLESS, "chain-through-output").instances == 13
    # t, and so j, on the output layer only: 2 + 2 units.
    assert result(LAYERLESS, "delta-output").instances == 4


def test_layerless_families_wrong_forms_fail_with_diagnosis():
    assert says_missing(fails(LAYERLESS, "delta-output-no-phi-prime"), "varphi")
    assert says_factor_2(fails(LAYERLESS, "dE-do-halved"))


def test_set_L_without_entry_names_the_output_reading():
    assert reading_mentions(result(LAYERLESS, "chain-through-output"), "output")


# -- families without a layer script, with a `sets` table ------------------------------------------
LAYERLESS_SETS = r"""
title  = "One generic layer with named sets: L the next layer, K the previous, O the output"
layers = [[2, 3, 2], [3, 2, 4, 2]]
sets   = { L = "next", K = "previous", O = "output", I = "input" }
define = [
  'n_j = \sum_{k \in K} w_{kj} o_k',
  'o_j = \varphi(n_j)',
  'E = \sum_{\ell \in O} (o_\ell - t_\ell)^2',
  '\delta_j = \frac{\partial E}{\partial n_j}',
]

[[claim]]
name   = "delta-hidden"
latex  = '''\delta_j = \varphi'(n_j) \sum_{\ell \in L} \delta_\ell w_{j\ell}'''
expect = "holds"

[[claim]]
name   = "dE-do-hidden"
latex  = '\partial_{o_j} E = \sum_{\ell \in L} \frac{\partial E}{\partial o_\ell} \frac{\partial o_\ell}{\partial n_\ell} \frac{\partial n_\ell}{\partial o_j}'
expect = "holds"

[[claim]]
name   = "net-input-previous"
latex  = 'n_j = \sum_{k \in K} w_{kj} o_k'
expect = "holds"

[[claim]]
name   = "net-input-first-hidden"
latex  = 'n_j = \sum_{k \in I} w_{kj} o_k'
expect = "holds"
note   = "Only where j's previous layer is the input: on the first hidden layer."

[[claim]]
name   = "delta-hidden-as-printed"
latex  = '\delta_j = \sum_{\ell \in L} \delta_\ell w_{j\ell}'
expect = "fails"
note   = "Source document 002's 'otherwise' case: the factor φ'(n_j) is missing."

"""


def test_sets_table_next_and_previous_hold():
    holds(LAYERLESS_SETS, "delta-hidden", "dE-do-hidden", "net-input-previous",
          "net-input-first-hidden")
    # L = "next": δ_j on every layer that has a next one, [2,3,2]: 3 units; [3,2,4,2]: 2 + 4.
    assert result(LAYERLESS_SETS, "delta-hidden").instances == 9
    # I = "input": only the first hidden layer, 3 + 2 units.
    assert result(LAYERLESS_SETS, "net-input-first-hidden").instances == 5


def test_sets_table_source_error_is_a_missing_phi_prime():
    assert says_missing(fails(LAYERLESS_SETS, "delta-hidden-as-printed"), "varphi")


def test_a_sets_entry_that_names_no_layer_is_refused_with_the_words_to_use():
    text = LAYERLESS_SETS.replace('K = "previous"', 'K = "before"')
    (r, *_) = check_text(textwrap.dedent(text), FILE)
    assert r.verdict == "error" and r.error.startswith(FILE), shown(r)
    assert "sets" in r.error and "before" in r.error and "previous" in r.error, shown(r)


# -- names: net, out, \mathrm{net}, \partial_{net}, slash forms, \nabla_{net}, Leibniz d -----------
NET = r"""
title  = "net and out, layered, with a generic φ"
layers = [[2, 3, 2], [3, 2, 4, 2]]
define = [
  'out^1_j = x_j',
  'net^l_j = \sum_k w^l_{jk} out^{l-1}_k',
  'out^l_j = \varphi(net^l_j)',
  'E = \frac{1}{2} \sum_j (t_j - out^L_j)^2',
  '\delta^l_j = \frac{\partial E}{\partial net^l_j}',
]

[[claim]]
name   = "leibniz-output"
latex  = '\delta^L_j = (out^L_j - t_j) \frac{d\varphi(net^L_j)}{d\,net^L_j}'
expect = "holds"

[[claim]]
name   = "leibniz-chain"
latex  = '''\frac{\partial out^l_j}{\partial net^l_j} = \frac{d \varphi(net^l_j)}{d net^l_j} = \varphi'(net^l_j)'''
expect = "holds"

[[claim]]
name   = "subscript-partial"
latex  = '\partial_{net^l_j} E = \delta^l_j'
expect = "holds"

[[claim]]
name   = "slash"
latex  = '\partial E / \partial net^l_j = \delta^l_j'
expect = "holds"

[[claim]]
name   = "mathrm"
latex  = '\frac{\partial E}{\partial \mathrm{net}^L_j} = \delta^L_j'
expect = "holds"

[[claim]]
name   = "nabla-net-L"
latex  = '''\nabla_{net^L} E = (out^L - t) \odot \varphi'(net^L)'''
expect = "holds"

[[claim]]
name   = "nabla-net"
latex  = '''\nabla_{net} E = (out^L - t) \odot \varphi'(net^L)'''
expect = "holds"
note   = "Like \\nabla_a C, \\nabla_{net} without a layer is the output layer's."

[[claim]]
name   = "leibniz-total-no-phi-prime"
latex  = '\frac{d E}{d\,net^L_j} = out^L_j - t_j'
expect = "fails"

[[claim]]
name   = "dE-dout-sign"
latex  = '\frac{\partial E}{\partial out^L_j} = t_j - out^L_j'
expect = "fails"
"""


def test_multi_letter_names_in_every_derivative_form_hold():
    holds(NET, "subscript-partial", "slash", "mathrm", "nabla-net-L", "nabla-net")


def test_leibniz_d_is_a_derivative():
    holds(NET, "leibniz-output", "leibniz-chain")


def test_leibniz_total_derivative_missing_factor_is_diagnosed():
    assert says_missing(fails(NET, "leibniz-total-no-phi-prime"), "varphi")


def test_multi_letter_name_sign_slip_is_diagnosed():
    assert says_sign(fails(NET, "dE-dout-sign"))


def test_leibniz_d_names_its_reading():
    assert reading_mentions(result(NET, "leibniz-output"), "leibniz")


# -- named units with values (Mazur's worked example, one output), integer claims (CS231n) ---------
MAZUR = r"""
title  = "A step-by-step backpropagation example: net_{h1}, out_{h1}, E_{total}"
define = [
  'net_{h1} = w_1 i_1 + w_2 i_2 + b_1',
  'out_{h1} = \frac{1}{1 + e^{-net_{h1}}}',
  'net_{o1} = w_5 out_{h1} + b_2',
  'out_{o1} = \frac{1}{1 + e^{-net_{o1}}}',
  'E_{total} = \frac{1}{2}(target_{o1} - out_{o1})^2',
]
values = { i_1 = 0.05, i_2 = 0.10, w_1 = 0.15, w_2 = 0.20, w_5 = 0.40, b_1 = 0.35, b_2 = 0.60, 'target_{o1}' = 0.01 }

[[claim]]
name   = "slash"
latex  = '\partial E_{total} / \partial out_{o1} = -(target_{o1} - out_{o1})'
expect = "holds"

[[claim]]
name   = "frac"
latex  = '\frac{\partial E_{total}}{\partial out_{o1}} = out_{o1} - target_{o1}'
expect = "holds"

[[claim]]
name   = "subscript-partial"
latex  = '\partial_{net_{o1}} out_{o1} = out_{o1}(1 - out_{o1})'
expect = "holds"

[[claim]]
name   = "chain"
latex  = '\frac{\partial E_{total}}{\partial w_5} = \frac{\partial E_{total}}{\partial out_{o1}} \frac{\partial out_{o1}}{\partial net_{o1}} \frac{\partial net_{o1}}{\partial w_5}'
expect = "holds"

[[claim]]
name   = "text-and-operatorname"
latex  = '\frac{\partial \text{net}_{o1}}{\partial w_5} = \operatorname{out}_{h1}'
expect = "holds"

[[claim]]
name   = "slash-sign"
latex  = '\partial E_{total} / \partial out_{o1} = target_{o1} - out_{o1}'
expect = "fails"
"""


def test_named_units_hold_in_every_derivative_form():
    holds(MAZUR, "slash", "frac", "subscript-partial", "chain", "text-and-operatorname")


def test_named_units_sign_slip_is_diagnosed():
    assert says_sign(fails(MAZUR, "slash-sign"))


def _mazur_error() -> float:
    """E_total at the file's values, computed independently in floating point."""
    def logistic(t):
        return 1 / (1 + math.exp(-t))
    out_h1 = logistic(0.15 * 0.05 + 0.20 * 0.10 + 0.35)
    out_o1 = logistic(0.40 * out_h1 + 0.60)
    return 0.5 * (0.01 - out_o1) ** 2


def _numeric_case() -> str:
    e = _mazur_error()
    four = f"{e:.4f}"
    assert abs(e - float(four)) > 1e-9            # the 4-digit form is not exact
    claims = [
        ("four-digits", four, None, "holds"),
        ("four-digits-off", f"{float(four) + 0.0002:.4f}", None, "fails"),
        ("four-digits-absolute-1e-12", four, "1e-12", "fails"),
        ("twelve-digits-absolute-1e-12", f"{e:.12f}", "1e-12", "holds"),
        ("relative-within", f"{e * (1 + 5e-4):.12f}", "rel 1e-3", "holds"),
        ("relative-outside", f"{e * (1 + 5e-4):.12f}", "rel 1e-4", "fails"),
    ]
    body = "".join(
        f"\n[[claim]]\nname = \"{name}\"\nlatex = 'E_{{total}} = {value}'\n"
        + (f"tolerance = \"{tol}\"\n" if tol else "") + f"expect = \"{expect}\"\n"
        for name, value, tol, expect in claims)
    return MAZUR + body


def test_decimal_claims_at_values_honour_the_tolerance():
    case = _numeric_case()
    holds(case, "four-digits", "twelve-digits-absolute-1e-12", "relative-within")
    assert "tolerance" in diagnosis(fails(case, "four-digits-off"))
    assert "tolerance" in diagnosis(fails(case, "four-digits-absolute-1e-12"))
    assert "tolerance" in diagnosis(fails(case, "relative-outside"))


CS231N = r"""
title  = "CS231n, backpropagation intuitions: f(x, y, z) = (x + y) z at x = -2, y = 5, z = -4"
define = ['q = x + y', 'f = q z']
values = { x = -2, y = 5, z = -4 }

[[claim]]
name   = "q"
latex  = 'q = 3'
expect = "holds"

[[claim]]
name   = "f"
latex  = 'f = -12'
expect = "holds"

[[claim]]
name   = "df-dx"
latex  = '\frac{\partial f}{\partial x} = -4'
expect = "holds"

[[claim]]
name   = "df-dz"
latex  = '\frac{\partial f}{\partial z} = 3'
expect = "holds"

[[claim]]
name   = "df-dx-symbolic"
latex  = '\frac{\partial f}{\partial x} = z'
expect = "holds"

[[claim]]
name   = "f-sign"
latex  = 'f = 12'
expect = "fails"

[[claim]]
name   = "df-dq"
latex  = '\frac{\partial f}{\partial q} = 3'
expect = "fails"
note   = "∂f/∂q = z = -4; 3 is q."
"""


def test_integer_claims_are_numeric_at_the_values():
    holds(CS231N, "q", "f", "df-dx", "df-dz", "df-dx-symbolic")
    assert result(CS231N, "df-dq").verdict == "fails", shown(result(CS231N, "df-dq"))


def test_integer_claim_with_the_wrong_sign_is_diagnosed():
    r = fails(CS231N, "f-sign")
    assert "sign" in diagnosis(r) or "tolerance" in diagnosis(r), shown(r)


def test_integer_claim_names_its_numeric_reading():
    # q = 3 could be an identity in x and y; with `values` it is a claim at those values.
    assert reading_mentions(result(CS231N, "q"), "values", "numeric")


# -- operator reach --------------------------------------------------------------------------------
REACH = r"""
title  = 'Operator reach: \frac{\partial}{\partial y} \frac{1}{2}(t - y)^2'
define = ['E = \frac{1}{2}(t - y)^2']

[[claim]]
name   = "reach-over-product"
latex  = '\frac{\partial E}{\partial y} = \frac{\partial}{\partial y} \frac{1}{2}(t - y)^2 = -(t - y)'
expect = "holds"

[[claim]]
name   = "reach-stops-at-plus"
latex  = '\frac{\partial}{\partial y} \frac{1}{2}(t - y)^2 + y = 2y - t'
expect = "holds"

[[claim]]
name   = "leibniz-reach"
latex  = '\frac{d}{dy} \frac{1}{2}(t - y)^2 = y - t'
expect = "holds"

[[claim]]
name   = "subscript-one-factor"
latex  = '\partial_y E \cdot \partial_t E = -(t - y)^2'
expect = "holds"
note   = "(y - t)(t - y): two derivatives multiplied, not ∂_y of the product."

[[claim]]
name   = "reach-stops-at-the-next-operator"
latex  = '\frac{\partial}{\partial y} y \frac{\partial}{\partial y} y^2 = 2y'
expect = "holds"
note   = "(dy/dy)(d(y^2)/dy) = 2y; read as one operator over the rest it would be 4y."

[[claim]]
name   = "reach-sign"
latex  = '\frac{\partial}{\partial y} \frac{1}{2}(t - y)^2 = t - y'
expect = "fails"
"""


def test_operator_reach_holds():
    holds(REACH, "reach-over-product", "reach-stops-at-plus", "leibniz-reach",
          "subscript-one-factor", "reach-stops-at-the-next-operator")
    holds(SENDING, "operator-reach-over-a-sum")


def test_operator_reach_sign_slip_is_diagnosed():
    assert says_sign(fails(REACH, "reach-sign"))


def test_operator_reach_names_its_reading():
    r = result(REACH, "reach-sign")
    assert reading_mentions(r, "product", "reach", "applies"), shown(r)


# -- code-style names (a NumPy two-layer example, one unit per layer) ------------------------------
CODE_NAMES = r"""
title  = "Code-style names: h = w_1 x, hrelu = max(0, h), ypred = w_2 hrelu"
define = [
  'h = w_1 x',
  'hrelu = \max(0, h)',
  'ypred = w_2 hrelu',
  'loss = (ypred - y)^2',
  'dypred = \frac{\partial loss}{\partial ypred}',
]

[[claim]]
name   = "grad-ypred"
latex  = 'dypred = 2(ypred - y)'
expect = "holds"

[[claim]]
name   = "grad-w2"
latex  = '\frac{\partial loss}{\partial w_2} = dypred \cdot hrelu'
expect = "holds"

[[claim]]
name   = "grad-hrelu"
latex  = '\frac{\partial loss}{\partial hrelu} = 2(ypred - y) w_2'
expect = "holds"

[[claim]]
name   = "grad-h-chain"
latex  = '\frac{\partial loss}{\partial h} = dypred \cdot w_2 \frac{\partial hrelu}{\partial h}'
expect = "holds"

[[claim]]
name   = "grad-w2-halved"
latex  = '\frac{\partial loss}{\partial w_2} = (ypred - y) hrelu'
expect = "fails"
"""


def test_code_style_names_hold():
    holds(CODE_NAMES, "grad-ypred", "grad-w2", "grad-hrelu", "grad-h-chain")


def test_code_style_names_wrong_constant_is_diagnosed():
    assert says_factor_2(fails(CODE_NAMES, "grad-w2-halved"))


# -- \tanh^2 and functions with a local parameter --------------------------------------------------
TANH = r"""
title  = 'tanh units: f(z) = \tanh z, while z^l_j is the weighted input'
layers = [[2, 3, 2], [3, 2, 4, 2]]
define = [
  'f(z) = \tanh z',
  'a^1_j = x_j',
  'z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j',
  'a^l_j = f(z^l_j)',
  'C = \frac{1}{2} \sum_j (a^L_j - y_j)^2',
  '\delta^l_j = \frac{\partial C}{\partial z^l_j}',
]

[[claim]]
name   = "output-error-tanh-squared"
latex  = '\delta^L_j = (a^L_j - y_j)(1 - \tanh^2 z^L_j)'
expect = "holds"

[[claim]]
name   = "output-error-activation"
latex  = '\delta^L_j = (a^L_j - y_j)(1 - (a^L_j)^2)'
expect = "holds"

[[claim]]
name   = "tanh-derivative"
latex  = '\frac{d}{du} \tanh u = 1 - \tanh^2 u'
expect = "holds"

[[claim]]
name   = "output-error-doubled"
latex  = '\delta^L_j = 2(a^L_j - y_j)(1 - \tanh^2 z^L_j)'
expect = "fails"
"""


def test_tanh_squared_and_local_parameter_hold():
    holds(TANH, "output-error-tanh-squared", "output-error-activation", "tanh-derivative")


def test_tanh_wrong_constant_is_diagnosed():
    assert says_factor_2(fails(TANH, "output-error-doubled"))


def test_tanh_squared_names_its_reading():
    assert reading_mentions(result(TANH, "tanh-derivative"), "tanh")


LOGISTIC_X = r"""
title  = "σ(x) defined with x, while x_j are the inputs"
layers = [[2, 3, 2], [3, 2, 4, 2]]
define = [
  '\sigma(x) = \frac{1}{1 + \exp(-x)}',
  'a^1_j = x_j',
  'z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j',
  'a^l_j = \sigma(z^l_j)',
  'C = \frac{1}{2} \sum_j (a^L_j - y_j)^2',
  '\delta^l_j = \frac{\partial C}{\partial z^l_j}',
]

[[claim]]
name   = "output-error-logistic"
latex  = '\delta^L_j = (a^L_j - y_j) a^L_j (1 - a^L_j)'
expect = "holds"

[[claim]]
name   = "sigma-derivative"
latex  = '''\sigma'(t) = \sigma(t)(1 - \sigma(t))'''
expect = "holds"

[[claim]]
name   = "input-gradient"
latex  = '\frac{\partial C}{\partial x_k} = \sum_j w^2_{jk} \delta^2_j'
expect = "holds"

[[claim]]
name   = "output-error-doubled"
latex  = '\delta^L_j = 2(a^L_j - y_j) a^L_j (1 - a^L_j)'
expect = "fails"
"""


def test_function_parameter_is_local_though_x_is_a_family():
    holds(LOGISTIC_X, "output-error-logistic", "sigma-derivative", "input-gradient")


def test_function_parameter_case_wrong_constant_is_diagnosed():
    assert says_factor_2(fails(LOGISTIC_X, "output-error-doubled"))


# -- \max(0, z) as ReLU ----------------------------------------------------------------------------
RELU = r"""
title  = 'A ReLU unit: r = \max(0, z)'
define = ['r = \max(0, z)', 'E = \frac{1}{2}(r - t)^2']

[[claim]]
name   = "chain"
latex  = '\frac{\partial E}{\partial z} = (r - t) \frac{\partial r}{\partial z}'
expect = "holds"

[[claim]]
name   = "step-times-input"
latex  = '\frac{\partial r}{\partial z} z = r'
expect = "holds"
note   = "H(z) z = max(0, z) for z != 0; at the kink both sides are 0 whatever H(0) is."

[[claim]]
name   = "slope-one"
latex  = '\frac{\partial r}{\partial z} = 1'
expect = "fails"
note   = "The slope is 0 for z < 0."

[[claim]]
name   = "chain-without-step"
latex  = '\frac{\partial E}{\partial z} = r - t'
expect = "fails"
"""


def test_relu_holds():
    holds(RELU, "chain", "step-times-input")


def test_relu_wrong_slopes_fail():
    fails(RELU, "slope-one")
    fails(RELU, "chain-without-step")


def test_relu_names_its_reading_and_the_kink():
    r = result(RELU, "chain")
    assert reading_mentions(r, "relu"), shown(r)
    assert reading_mentions(r, "kink"), shown(r)


# -- derivatives with respect to matrix entries, whole matrices, alias matrices --------------------
CAPITAL_W = r"""
title  = 'Capital W only: z^l_k = \sum_j W^l_{kj} a^{l-1}_j + b^l_k'
layers = [[2, 3, 2], [3, 2, 4, 2]]
define = [
  'a^1_j = x_j',
  'z^l_k = \sum_j W^l_{kj} a^{l-1}_j + b^l_k',
  'a^l_k = \sigma(z^l_k)',
  'E = \frac{1}{2} \sum_k (a^L_k - y_k)^2',
  '\delta^l_k = \frac{\partial E}{\partial z^l_k}',
]

[[claim]]
name   = "entry"
latex  = '\frac{\partial E}{\partial W^2_{kj}} = \delta^2_k a^1_j'
expect = "holds"

[[claim]]
name   = "entry-slash"
latex  = '\partial E / \partial W^2_{kj} = \delta^2_k x_j'
expect = "holds"

[[claim]]
name   = "matrix"
latex  = '\frac{\partial E}{\partial W^l} = \delta^l (a^{l-1})^T'
expect = "holds"

[[claim]]
name   = "nabla-matrix"
latex  = '\nabla_{W^l} E = \delta^l (a^{l-1})^T'
expect = "holds"

[[claim]]
name   = "matrix-transposed"
latex  = '\frac{\partial E}{\partial W^l} = a^{l-1} (\delta^l)^T'
expect = "fails"

[[claim]]
name   = "entry-extra-sigma-prime"
latex  = '''\frac{\partial E}{\partial W^2_{kj}} = \delta^2_k a^1_j \sigma'(z^2_k)'''
expect = "fails"
"""

ALIAS = r"""
title  = "Nielsen with the matrix W^l as an alias of w^l"
layers = [[2, 3, 2], [3, 2, 4, 2]]
""" + NIELSEN_DEFS.replace("]\n", "  'W^l_{jk} = w^l_{jk}',\n]\n") + r"""
[[claim]]
name   = "alias-entry"
latex  = '\frac{\partial C}{\partial W^l_{jk}} = a^{l-1}_k \delta^l_j'
expect = "holds"

[[claim]]
name   = "alias-matrix"
latex  = '\nabla_{W^l} C = \delta^l (a^{l-1})^T'
expect = "holds"

[[claim]]
name   = "alias-entry-doubled"
latex  = '\frac{\partial C}{\partial W^l_{jk}} = 2 a^{l-1}_k \delta^l_j'
expect = "fails"
"""


def test_matrix_and_entry_derivatives_hold():
    holds(CAPITAL_W, "entry", "entry-slash", "matrix", "nabla-matrix")
    holds(ALIAS, "alias-entry", "alias-matrix")


def test_matrix_derivative_wrong_forms_fail_with_diagnosis():
    assert says_shape(fails(CAPITAL_W, "matrix-transposed"))
    assert says_extra(fails(CAPITAL_W, "entry-extra-sigma-prime"), "sigma")
    assert says_factor_2(fails(ALIAS, "alias-entry-doubled"))


# -- more names: {\cal C}, a letter as family and as index -----------------------------------------
CAL = r"""
title  = 'Slides that write the cost {\cal C}'
layers = [[2, 3, 2], [3, 2, 4, 2]]
define = [
  'a^1_j = x_j',
  'z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j',
  'a^l_j = \sigma(z^l_j)',
  '\mathcal{C} = \frac{1}{2} \sum_j (a^L_j - y_j)^2',
  '\delta^l_j = \frac{\partial \mathcal{C}}{\partial z^l_j}',
]

[[claim]]
name   = "BP3"
latex  = '\frac{\partial {\cal C}}{\partial b^l_j} = \delta^l_j'
expect = "holds"

[[claim]]
name   = "BP1"
latex  = '''\delta^L_j = \frac{\partial {\cal C}}{\partial a^L_j} \sigma'(z^L_j)'''
expect = "holds"

[[claim]]
name   = "BP3-sign"
latex  = '\frac{\partial {\cal C}}{\partial b^l_j} = -\delta^l_j'
expect = "fails"
"""

LETTER_I = r"""
title  = "i^l_k the net input of unit k, while i indexes units elsewhere"
layers = [[2, 3, 2], [3, 2, 4, 2]]
define = [
  'o^1_k = x_k',
  'i^l_k = \sum_j w^l_{kj} o^{l-1}_j + b^l_k',
  'o^l_k = \sigma(i^l_k)',
  'E = \frac{1}{2} \sum_k (o^L_k - t_k)^2',
  '\delta^l_k = \frac{\partial E}{\partial i^l_k}',
]

[[claim]]
name   = "backward"
latex  = '''\delta^l_k = \sigma'(i^l_k) \sum_i w^{l+1}_{ik} \delta^{l+1}_i'''
expect = "holds"

[[claim]]
name   = "weight-gradient"
latex  = '\frac{\partial E}{\partial w^l_{ki}} = \delta^l_k o^{l-1}_i'
expect = "holds"

[[claim]]
name   = "backward-no-sigma-prime"
latex  = '\delta^l_k = \sum_i w^{l+1}_{ik} \delta^{l+1}_i'
expect = "fails"
"""


def test_cal_is_mathcal():
    holds(CAL, "BP3", "BP1")
    assert says_sign(fails(CAL, "BP3-sign"))


def test_a_letter_may_be_a_family_and_an_index():
    holds(LETTER_I, "backward", "weight-gradient")
    assert says_missing(fails(LETTER_I, "backward-no-sigma-prime"), "sigma")


# -- where with several conditions -----------------------------------------------------------------
WHERE = r"""
title  = "where with two conditions"
layers = [[2, 3, 2]]
""" + NIELSEN_DEFS + r"""
[[claim]]
name   = "both-conditions"
latex  = '''\delta^l_j = (a^l_1 - y_1) \sigma'(z^l_1)'''
where  = '1 \le j \le 1, 3 \le l \le L'
expect = "holds"
note   = "True only for l = 3 and j = 1: each condition alone lets in a failing instance."

[[claim]]
name   = "first-condition-only"
latex  = '''\delta^l_j = (a^l_1 - y_1) \sigma'(z^l_1)'''
where  = '1 \le j \le 1'
expect = "fails"

[[claim]]
name   = "second-condition-only"
latex  = '''\delta^l_j = (a^l_1 - y_1) \sigma'(z^l_1)'''
where  = '3 \le l \le L'
expect = "fails"
"""


def test_where_with_several_conditions_applies_all_of_them():
    r = result(WHERE, "both-conditions")
    assert r.verdict == "holds" and r.instances == 1, shown(r)
    fails(WHERE, "first-condition-only")
    fails(WHERE, "second-condition-only")


# -- refusals name the construct and the form to write ---------------------------------------------
REFUSALS = r"""
title  = "Forms the contract does not read"
layers = [[2, 3, 2]]
""" + NIELSEN_DEFS + r"""
[[claim]]
name   = "update-rule"
latex  = 'w^l_{jk} \leftarrow w^l_{jk} - \eta a^{l-1}_k \delta^l_j'

[[claim]]
name   = "update-not-a-quantity"
latex  = '(w^l_{jk} + 1) \leftarrow w^l_{jk} - \eta a^{l-1}_k \delta^l_j'

[[claim]]
name   = "max-not-relu"
latex  = 'a^L_j = \max(z^L_j, 1)'

[[claim]]
name   = "still-read"
latex  = '\frac{\partial C}{\partial b^l_j} = \delta^l_j'
expect = "holds"
"""


def test_an_unambiguous_claim_reports_no_reading():
    # Nielsen's BP3 in Nielsen's notation: nothing in it could be read two ways.
    r = result(REFUSALS, "still-read")
    assert readings(r) == (), shown(r)
    r = result(PAREN, "BP4")
    assert not reading_mentions(r, "leibniz", "elementwise", "relu", "indicator", "output"), shown(r)


def test_refusals_name_the_construct_and_lose_no_other_claim():
    refused(REFUSALS, "update-not-a-quantity", "update", "the quantity updated")
    update = result(REFUSALS, "update-rule")          # read since: a gradient-descent step
    assert update.verdict == "holds" and reading_mentions(update, "update"), shown(update)
    r = refused(REFUSALS, "max-not-relu", "max")
    assert "max(0" in r.error.replace(" ", ""), shown(r)
    holds(REFUSALS, "still-read")


# -- all of source document 000's conventions in one file ------------------------------------------
DOC_000 = r"""
title  = "BACKPROP notes as printed: layers from 0, free inputs, bias unit, w^l from layer l to l+1"
layers = [[2, 3, 2], [3, 2, 4, 3]]
first_layer = 0
define = [
  'a^l_0 = 1',
  'z^{l+1}_k = \sum_{j=0}^{n_l} a^l_j w^l_{jk}',
  'a^l_j = \sigma(z^l_j)',
  'C = \sum_i (a^L_i - y_i)^2',
  '\delta^l_u = \frac{\partial C}{\partial z^l_u}',
  'W^l_{kj} = w^l_{jk}',
]

[[claim]]
name   = "output-units"
latex  = '''\frac{\partial C}{\partial z_i^L} = 2(\sigma(z_i^L) - y_i) \cdot \sigma'(z_i^L)'''
expect = "holds"
note   = "i runs over the output units of each network: 2 and 3 of them."

[[claim]]
name   = "BP2-alias"
latex  = '''\delta^l = ((W^l)^T \delta^{l+1}) \odot \sigma'(z^l)'''
expect = "holds"

[[claim]]
name   = "BP4-free-input"
latex  = '\frac{\partial C}{\partial w_{ij}^0} = a_i^0 \delta_j^1'
expect = "holds"

[[claim]]
name   = "bias-from-0"
latex  = 'z^{l+1}_k = w^l_{0k} + \sum_{j=1}^{n_l} a^l_j w^l_{jk}'
expect = "holds"

[[claim]]
name   = "BP3-bias-weight"
latex  = '\frac{\partial C}{\partial w_{0j}^l} = \delta_j^{l+1}'
expect = "holds"

[[claim]]
name   = "alias-gradient"
latex  = '\nabla_{W^l} C = \delta^{l+1} (a^l)^T'
expect = "holds"

[[claim]]
name   = "BP2-untransposed"
latex  = '''\delta^l = (W^l \delta^{l+1}) \odot \sigma'(z^l)'''
expect = "fails"

[[claim]]
name   = "bias-left-out-of-an-unbounded-sum"
latex  = '\frac{\partial z^{l+1}_k}{\partial w^l_{0k}} = \frac{\partial}{\partial w^l_{0k}} \sum_i a^l_i w^l_{ik}'
expect = "fails"
note   = "A sum without bounds runs over 1..n_l: the right side is 0, the left 1."
"""


def test_document_000_shape_every_convention_in_one_file():
    holds(DOC_000, "output-units", "BP2-alias", "BP4-free-input", "bias-from-0",
          "BP3-bias-weight", "alias-gradient")
    # Output layer 2 of [2, 3, 2] (2 units) and layer 3 of [3, 2, 4, 3] (3 units).
    assert result(DOC_000, "output-units").instances == 5, shown(result(DOC_000, "output-units"))
    assert says_shape(fails(DOC_000, "BP2-untransposed"))
    fails(DOC_000, "bias-left-out-of-an-unbounded-sum")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symbp.cli", *args], capture_output=True,
                          text=True, env=os.environ.copy(), timeout=300)


def test_document_000_shape_through_the_command(tmp_path):
    path = tmp_path / "doc000.toml"
    path.write_text(textwrap.dedent(DOC_000), encoding="utf-8")
    run = _cli("check", str(path), "--json")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    rows = json.loads(run.stdout)
    assert [row["verdict"] for row in rows] == [row["expect"] for row in rows]
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(textwrap.dedent(DOC_000).replace('expect = "fails"', 'expect = "holds"', 1),
                     encoding="utf-8")
    assert _cli("check", str(wrong)).returncode == 1
    broken = tmp_path / "broken.toml"
    broken.write_text(textwrap.dedent(DOC_000).replace("layers = [[2, 3, 2], [3, 2, 4, 3]]",
                                                       "layers = [[2, 3, 2], [3, 2, 4, 3]"),
                      encoding="utf-8")
    run = _cli("check", str(broken))
    said = run.stdout + run.stderr
    assert run.returncode == 2 and "Traceback" not in said, said
