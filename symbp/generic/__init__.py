"""Size-generic proofs: BP1–BP4 for every width n_1..n_L and every depth L at once.

`expr` is the language of finite sums with symbolic bounds and its canonical form, `rules` the
table of rules a proof step may use, `proof` the steps as data and the prover, `equations` the
equations themselves, `instances` the translation of a generic expression to one concrete
network, `verdicts` the entry point (`prove_generic`, `prove_all`: proved for every size, else
tried on concrete networks), and `audit` the re-check of every step at concrete sizes.
`file_network` reads the network a derivation file defines, and `file_claims` translates its
claims into this language, so that `symbp check` can report a claim for every size. The method
is argued in docs/generic-proofs.md.
"""
