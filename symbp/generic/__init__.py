"""Size-generic proofs: BP1–BP4 for every width n_1..n_L and every depth L at once.

`expr` is the language of finite sums with symbolic bounds and its canonical form, `rules` the
table of rules a proof step may use, `proof` the steps as data and the prover, `instances` the
translation of a generic expression to one concrete network (for refutation and audit), and
`equations` the equations themselves. The method is argued in docs/generic-proofs.md.
"""
