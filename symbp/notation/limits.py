"""Every input limit of the notation reader and the checker, in one table, so that no input can
make symbp use unbounded time or memory. Documented in docs/derivation-format.md ("Limits")."""
from __future__ import annotations

LIMITS: dict[str, float] = {
    "formula_chars": 4000,        # characters in one formula (a claim, definition, `where`)
    "nesting": 32,                # depth of braces, brackets and parentheses in one formula
    "file_bytes": 1_000_000,      # size of one derivation file
    "definitions": 400,           # `define` entries in one file (plus per-claim ones)
    "claims": 400,                # `[[claim]]` tables in one file
    "networks": 8,                # lists in `layers`
    "layers": 8,                  # layers in one network
    "width": 8,                   # units in one layer
    "examples": 8,                # training examples in one batch (`examples`)
    "rounds": 100_000,            # rounds of gradient descent a worked example runs (`rounds`;
                                  # Mazur's 10,000 on his 2-2-2 network take well under a second)
    "units": 32,                  # units in one network, all layers (8 x 4 and 4 x 8 are checked
                                  # within claim_seconds; 5 x 8 and 8 x 6 are not: BP4 times out)
    "instances": 600,             # index instances of one claim, over all networks
    "sum_terms": 4096,            # terms one sum may expand to
    "exponent": 64,               # |n| of a numeric power x^n (10^{10^{10}} would fill memory)
    "number_digits": 2000,        # digits of a numeric power's exact value
    "claim_seconds": 20.0,        # wall time of one claim before it is `undecided`
    "prove_seconds": 10.0,        # passed to the prover for each instance
    "generic_seconds": 2.0,       # the generic prover on a claim, after its instances (at
                                  # most a quarter of claim_seconds); then its scope stays
                                  # the listed sizes
    "value_digits": 60,           # digits of one number in `values`
    "value_exponent": 60,         # |exponent| of one number in `values` (1e-60 .. 1e60)
    "claim_grace_seconds": 5.0,   # then the worker checking a claim is killed (C code too)
    "claim_memory_bytes": 2**31,  # address space of one worker process (RLIMIT_AS)
}
