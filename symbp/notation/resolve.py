"""The resolve pass: one formula's syntax tree -> meaning (`symbp.notation.ast`), in the
context of the file's `Lexicon` (what `net_j`, `\\sigma(z)`, `^2` mean there).

Every place a name occurs (a factor, a derivative's denominator, `\\partial_v`, `\\nabla_v`, a
slash form) reads it through one `read_name`, so a multi-letter name means the same everywhere.
Where a form could be read two ways, the reading taken is recorded in `Resolver.readings`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

import sympy as sp

from symbp.errors import SymbpError
from symbp.notation import ast as A
from symbp.notation import names as N
from symbp.notation import syntax as S
from symbp.notation.ellipsis import over_examples, term_run
from symbp.notation.conventions import Conventions
from symbp.notation.samples import BATCH_NAMES
from symbp.notation.lexicon import (Lexicon, _layer_like, label_key, layer_text, primed,
                                    superscript_word)
from symbp.notation.shapes import (bare_letter, base_key, is_paren, item_runs, items_of,
                                   nested_label, split, unwrap, walk_syntax, word_at)

RELATIONS = {"=": "=", r"\approx": "≈", r"\equiv": "=", r"\triangleq": "=", r"\doteq": "="}
# What a `define` may print between the name and its formula (`E \equiv \frac{1}{2} …`).
DEFINING = {"=", ":=", r"\coloneqq", r"\equiv", r"\triangleq", r"\doteq"}


#: Fonts an upright Leibniz d is printed in: `\mathrm{d}z`.
UPRIGHT_D = {r"\mathrm", r"\text", r"\textrm", r"\operatorname", r"\mathit", r"\rm"}


class ResolveError(SymbpError):
    """A formula that parses but means nothing symbp knows; `column` locates it."""


def _err(message: str, node: S.Node | int) -> ResolveError:
    pos = node if isinstance(node, int) else node.pos
    return ResolveError(message, column=pos + 1)


# -- one formula ----------------------------------------------------------------------------------
class Resolver:
    """Turns syntax nodes into `ast` nodes using a `Lexicon`."""

    def __init__(self, lex: Lexicon, conv: Conventions | None = None) -> None:
        self.lex = lex
        self.conv = conv or Conventions()
        self.readings: list[str] = []
        self.point: str | None = None     # the variable of a claim about functions: σ' = σ(1 - σ)
        self.scalars: set[str] = set()    # layered names used as plain variables: σ'(z) = …
        self.unread: list[ResolveError] = []   # sides of a chain that could not be read

    def _plain_letters(self, stmt: S.Statement) -> set[str]:
        """In a claim with no scripts at all (`\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))`), a
        family name such as z is a plain variable, not the family without its layer."""
        names, functions = set(), False
        for node in walk_syntax(stmt):
            if isinstance(node, S.Atom) and (node.sub is not None or node.sup is not None) and \
                    base_key(node.base) is not None:       # (…)^2 is a power, no script
                euler = base_key(node.base) == "e" and node.sub is None and \
                    "e" not in self.lex.defined and "e" not in self.lex.layered   # e^{-z}
                if not euler and \
                        not (node.sup is not None and node.sup.raw.strip() in N.PRIME_MARKS):
                    return set()
            if isinstance(node, S.Tok):
                key = base_key(node)
                if key in self.lex.layered or key in self.lex.indexed:
                    names.add(key)
                functions |= key in self.lex.functions or key in N.BUILTIN_FUNCTIONS
        if not functions:           # V = 0: a family without its scripts, not a variable
            return set()
        if names:
            self.readings.append(f"{', '.join(sorted(names))} without scripts in a claim with "
                                 "no scripts read as a plain variable")
        return names

    def _point_variable(self, stmt: S.Statement) -> str | None:
        """A claim that names a function without its argument (σ' = σ(1 - σ), do/dz = o(1 - o))
        is about the function at one point: the variable it is differentiated by, or t."""
        bare = False
        wrt = None
        for seq in item_runs(stmt):
            for i, item in enumerate(seq):
                word = word_at(seq, i, self.lex.words)
                last, after = (word[1], word[2]) if word else (item, i + 1)
                base, sub, sup, _ = split(last)
                key = word[0] if word else base_key(base)
                if key in self.lex.functions and key not in N.BUILTIN_FUNCTIONS and sub is None \
                        and not (after < len(seq) and is_paren(seq[after])) and \
                        (sup is None or sup.raw.strip() in N.PRIME_MARKS or split(last)[3]):
                    bare = True
                base = split(item)[0]
                mark = bare_letter(base) == "d" or (isinstance(base, S.Tok) and
                                                   base.text in (r"\partial", r"\delta"))
                if mark and i + 1 < len(seq) and wrt is None and \
                        not word_at(seq, i + 1, self.lex.words):
                    nxt = bare_letter(split(seq[i + 1])[0])
                    if nxt and nxt not in self.lex.functions:
                        wrt = nxt
        if not bare:
            return None
        point = wrt or "t"
        self.readings.append(f"a function written without its argument is read at one point "
                             f"{point}: f' = f(1 - f) means f'({point}) = f({point})(1 - f({point}))")
        return point

    # statements
    def relations(self, stmt: S.Statement) -> list[list[A.Relation]]:
        """Each chain of the statement as its list of links `A = B`, `B = C`."""
        chains = []
        self.point = self._point_variable(stmt)
        self.scalars = self._plain_letters(stmt)
        for chain in stmt.chains:
            chain = self._definition_restated(chain)
            if any(rel in UPDATES for rel in chain.rels) or self._assignment(chain):
                chains.append(self._update(chain))
                continue
            old = self._primed_update(chain)
            if old is not None:                    # w_i' = w_i - \eta \frac{dE}{dw_i} = …
                chains.extend(self._update(S.Chain(chain.pos, (old, new), ("=",)))
                              for new in chain.exprs[1:])
                continue
            if not chain.rels:
                raise _err("a claim must be an equation (no '=' found)", chain)
            read = [self._side(e, len(chain.exprs)) for e in chain.exprs]
            settled = iter(self.settle_sums([e for e in read if e is not None]))
            exprs = [next(settled) if e is not None else None for e in read]
            links = []
            for i, rel in enumerate(chain.rels):
                if rel not in RELATIONS:
                    raise _err(f"relation {rel!r} cannot be checked; use '=' or '\\approx'",
                               chain.exprs[i + 1].pos)
                if exprs[i] is not None and exprs[i + 1] is not None:
                    links.append(A.Relation(exprs[i], exprs[i + 1], RELATIONS[rel],
                                            chain.exprs[i + 1].pos))
            if not links:
                raise self.unread[0]
            chains.append(links)
        return chains

    def _definition_restated(self, chain: S.Chain) -> S.Chain:
        """`dZ^{[l]} := \\frac{\\partial J}{\\partial Z^{[l]}} = dA^{[l]} * g'(Z^{[l]})`: a
        name defined on the left of a claim (`:=` first, the name nowhere on the right) states
        equality, not an update step; the chain with `=` there."""
        if not chain.rels or chain.rels[0] not in (":=", r"\coloneqq"):
            return chain
        said = len(self.readings)
        try:
            name = self.expr(chain.exprs[0])
            right = [self.expr(e) for e in chain.exprs[1:]]
        except ResolveError:
            return chain
        finally:
            del self.readings[said:]
        if not isinstance(name, A.Ref) or any(
                isinstance(n, A.Ref) and n.name == name.name for e in right for n in A.walk(e)):
            return chain
        key = name.name
        self.readings.append(f"{chain.rels[0]} after {key} read as a definition restated: "
                             f"{key} equals what follows (no {key} on the right, so no update)")
        return replace(chain, rels=("=",) + chain.rels[1:])

    def _primed_update(self, chain: S.Chain) -> S.Node | None:
        """`w_i' = w_i - \\eta \\frac{dE}{dw_i}`: a primed name that is no function on the left,
        and the name itself on the right, is the new value of one step; the old name, else
        None."""
        lhs = unwrap(chain.exprs[0]) if chain.rels and set(chain.rels) == {"="} else None
        if not (isinstance(lhs, S.Atom) and lhs.primes and base_key(lhs.base)):
            return None
        key = base_key(lhs.base)
        if key in self.lex.functions or primed(key, lhs.primes) in self.lex.defined:
            return None
        old = replace(lhs, primes=0)
        raw = old.sub.raw if old.sub is not None else None
        if not any(isinstance(n, S.Atom) and not n.primes and base_key(n.base) == key and
                   (n.sub.raw if n.sub is not None else None) == raw
                   for e in chain.exprs[1:] for n in walk_syntax(e)):
            return None
        self.readings.append(f"{key}' = … with {key} on the right read as the value after one "
                             f"update step ({key} is no function, so the prime is no derivative)")
        return old

    def _assignment(self, chain: S.Chain) -> bool:
        """`w = w - \\alpha\\, dw` as code and slides print a step: a name equal to itself
        plus or minus a term is read as the update `w := w - \\alpha dw` (as an equation it
        would say the step is 0), and a reading says so."""
        if chain.rels != ("=",):
            return False
        left, right = unwrap(chain.exprs[0]), unwrap(chain.exprs[1])
        if not isinstance(right, S.Signed) or len(right.terms) != 2 or \
                right.terms[0][0] != "+":
            return False
        said = len(self.readings)                 # _update reads the sides again, and says so
        try:
            param, first = self.expr(left), self.expr(right.terms[0][1])
        except ResolveError:
            return False
        finally:
            del self.readings[said:]
        if not isinstance(param, A.Ref) or A.shape_key(param) != A.shape_key(first):
            return False
        self.readings.append("= between a name and itself plus or minus a term read as an update, "
                             "as code prints one step (w = w - α dw is w := w - α dw)")
        return True

    def _update(self, chain: S.Chain) -> list[A.Relation]:
        """`w \\leftarrow w - \\eta \\ldots`, `w^l \\rightarrow \\ldots`, `w := \\ldots`: the printed
        step is compared with gradient descent on the file's cost, increment with increment
        (new - old = Δw, the step's Δw = -η ∂C/∂w), so a slip shows as a factor or a sign."""
        if len(chain.exprs) != 2:
            raise _err("an update is one step: old \\leftarrow new", chain)
        rel = chain.rels[0]
        old, new = (chain.exprs[0], chain.exprs[1])
        param = self.expr(old)
        if isinstance(param, A.Ref) and not param.name.startswith("Δ"):
            step = replace(param, name="Δ" + param.name)
        else:
            raise _err("the left side of an update must be the quantity updated, such as w^l "
                       "or w_{ij}", old)
        value = self.expr(new)
        self.readings.append(f"{rel} read as an update: the new value minus the old one is "
                             "compared with the gradient-descent step -η ∂C/∂(the quantity), C "
                             "the file's cost")
        return [A.Relation(A.Add(new.pos, (value, A.Neg(old.pos, param))), step, "=",
                           chain.exprs[1].pos)]

    def _side(self, node: S.Node, sides: int) -> A.Expr | None:
        """One side of a chain; in a chain of three or more, a side that cannot be read is
        kept in `unread` (its links are not checked) so that the other links still are."""
        try:
            return self.expr(node)
        except ResolveError as err:
            if sides < 3:
                raise
            self.unread.append(err)
            return None

    def settle_sums(self, exprs: list[A.Expr]) -> list[A.Expr]:
        """Give each `\\sum` printed without a subscript its index: the one unit letter of
        its summand that occurs nowhere else in the formula."""
        return [self._settle(e, exprs) for e in exprs]

    def _settle(self, expr: A.Expr, whole: list[A.Expr]) -> A.Expr:
        if isinstance(expr, A.Sum) and expr.var == BARE:
            inner = _unit_letters(expr.body)
            outer = set()
            for e in whole:
                outer |= _unit_letters(e, skip=expr)
            candidates = sorted(inner - outer)
            if not inner and (self.conv.sample_letters or self.conv.batched):   # \sum dZ: the batch
                return replace(expr, body=self._settle(expr.body, whole))
            if not inner:
                self.readings.append(ONE_TERM)
                return self._settle(expr.body, whole)
            if len(candidates) != 1:
                raise _err("cannot tell what this \\sum without a subscript runs over: "
                           "write its index, e.g. \\sum_i", expr)
            self.readings.append(f"\\sum without a subscript read as the sum over "
                                 f"{candidates[0]}, the one index of its summand used "
                                 "nowhere else")
            expr = replace(expr, var=candidates[0])
        changes = {}
        for name, value in expr.__dict__.items():
            if isinstance(value, A.Expr):
                new = self._settle(value, whole)
                if new is not value:
                    changes[name] = new
            elif isinstance(value, tuple) and any(isinstance(v, A.Expr) for v in value):
                new_t = tuple(self._settle(v, whole) if isinstance(v, A.Expr) else v
                              for v in value)
                if any(a is not b for a, b in zip(new_t, value)):
                    changes[name] = new_t
        return replace(expr, **changes) if changes else expr

    # expressions
    def expr(self, node: S.Node) -> A.Expr:
        node = unwrap(node)
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise _err("a statement (with '=' or \\implies) cannot be used as a value", node)
        return method(node)

    def _Statement(self, node):
        raise _err("a statement (with '=' or \\implies) cannot be used as a value", node)

    _Chain = _Statement

    def _Signed(self, node: S.Signed) -> A.Expr:
        terms = []
        printed = list(node.terms)
        while printed:
            sign, term = printed.pop(0)
            if _is_ellipsis(term) and sign == "+" and terms and printed and printed[0][0] == "+":
                terms = self._term_run(terms, printed.pop(0)[1], term)
                continue
            value = self.expr(term)
            terms.append(A.Neg(term.pos, value) if sign == "-" else value)
        return terms[0] if len(terms) == 1 else A.Add(node.pos, tuple(terms))

    def _term_run(self, before: list[A.Expr], last: S.Node, dots: S.Node) -> list[A.Expr]:
        """`a_1 + a_2 + \\cdots + a_n`: the terms before the ellipsis that follow the last
        term's pattern, and the last, as one sum (`symbp.notation.ellipsis`)."""
        run = term_run(before, self.expr(last), dots.pos)
        if run is None:
            raise _err("the terms around this ellipsis are not one term at consecutive index "
                       "values: write the sum with its bounds, \\sum_{i=1}^{n}", dots)
        total = run.total
        examples = over_examples(total) if self.conv.sample_letters and \
            total.hi.name in BATCH_NAMES else None
        if examples is not None:
            total = examples
            self.readings.append(f"the terms up to {total.hi.name} around an ellipsis read as "
                                 "the sum over the examples (the number the run counts up to)")
        self.readings.append(f"the terms before an ellipsis and the one after it read as "
                             f"\\sum_{{{total.var}={total.lo.text}}}^{{{total.hi.name}}}"
                             " of the last term")
        return before[:len(before) - run.taken] + [total]

    def _NumpyCall(self, node: S.NumpyCall) -> A.Expr:
        """`np.sum(dZ, axis=1, keepdims=True)`, `np.dot(W.T, dZ)`, `np.multiply(A, B)`,
        `np.power(A, 2)`: NumPy's meaning (`names.NUMPY_CALLS`), read as the arrays it
        computes; any other NumPy function is refused where it stands."""
        if node.func not in N.NUMPY_CALLS:
            raise _err(f"np.{node.func} is not read: write the formula it computes", node)
        kind, arity = N.NUMPY_CALLS[node.func]
        if len(node.args) != arity:
            raise _err(f"np.{node.func} takes {arity} array{'s' if arity > 1 else ''} here",
                       node)
        if node.keywords and kind != "reduce":
            raise _err(f"np.{node.func} takes no keyword arguments here", node)
        args = [self.expr(a) for a in node.args]
        if kind == "product":
            return A.Mul(node.pos, tuple(args))
        if kind == "elementwise":
            return A.Hadamard(node.pos, args[0], args[1])
        if kind == "division":
            return A.Div(node.pos, args[0], args[1])
        if kind == "power":
            return A.EntryPow(node.pos, args[0], args[1])
        if kind == "transpose":
            return A.Transpose(node.pos, args[0])
        return self._reduce(node, args[0])

    def _reduce(self, node: S.NumpyCall, arg: A.Expr) -> A.AxisSum:
        """np.sum / np.mean: over axis 1 across each row's columns, axis 0 down each column,
        no axis over every entry. With keepdims=True the result keeps its axis (a column or a
        row); without it NumPy's 1-d result is read as that same vector, and a reading says so."""
        given = dict(node.keywords)
        if len(given) != len(node.keywords) or any(len(k) != 2 for k in node.keywords):
            raise _err(f"np.{node.func} names a keyword twice or without its value", node)
        axis_text = given.get("axis", "None")
        if axis_text not in ("0", "1", "-1", "None"):
            raise _err(f"np.{node.func} over axis {axis_text}: symbp's arrays have axes 0 "
                       "(rows) and 1 (columns)", node)
        axis = None if axis_text == "None" else (1 if axis_text == "-1" else int(axis_text))
        if given.get("keepdims", "True") not in ("True", "False"):
            raise _err("keepdims is True or False", node)
        if axis is not None and given.get("keepdims") != "True":
            self.readings.append(f"np.{node.func}(…, axis={axis_text}) without keepdims=True "
                                 "read as the " + ("column" if axis == 1 else "row") +
                                 " vector keepdims=True keeps (NumPy gives a 1-d array)")
        return A.AxisSum(node.pos, arg, axis, node.func == "mean")

    def _HChain(self, node: S.HChain) -> A.Expr:
        value = self.expr(node.operands[0])
        for op, operand in zip(node.ops, node.operands[1:]):
            right = self.expr(operand)
            cls = A.Outer if op == r"\otimes" else A.Hadamard
            value = self._summed_through(value, right, cls, operand.pos) or \
                cls(operand.pos, value, right)
            if cls is A.Hadamard:
                self._entrywise_powers(value)
        return value

    def _summed_through(self, left: A.Expr, right: A.Expr, cls, pos: int) -> A.Expr | None:
        """`\\sum_i (a^{(i)} - y^{(i)}) \\odot f'(z^{(i)})`: a sum that ends the left operand
        and whose index the right one uses takes the product in (as it would a juxtaposed
        factor); None where the right operand does not use it."""
        factors = left.factors if isinstance(left, A.Mul) else (left,)
        last = factors[-1]
        if not isinstance(last, A.Sum) or \
                last.var not in {i.var for r in A.walk(right) if isinstance(r, A.Ref)
                                 for i in (*r.indices, r.layer, r.sample) if i is not None}:
            return None
        self.readings.append(f"the sum over {last.var} read as taking in the elementwise product "
                             f"after it, whose factor is printed with {last.var}")
        inner = replace(last, body=cls(pos, last.body, right))
        return replace(left, factors=factors[:-1] + (inner,)) if isinstance(left, A.Mul) \
            else inner

    def _entrywise_powers(self, product: A.Expr) -> None:
        """Say so where a power stands inside an operand of an elementwise product."""
        if any(isinstance(n, A.Pow) and isinstance(n.exp, A.Num) and not isinstance(n.base, A.Norm)
               for n in A.walk(product)):
            self.readings.append("a vector's power inside an operand of an elementwise product "
                                 "read entry by entry ((1 - a^2) ⊙ v); elsewhere the square of "
                                 "a vector is its squared norm")

    def _Product(self, node: S.Product) -> A.Expr:
        return self._build(self._pieces(node.items), node.pos)

    def _Atom(self, node: S.Atom) -> A.Expr:
        return self._build(self._pieces((node,)), node.pos)

    def _Tok(self, node: S.Tok) -> A.Expr:
        return self._build(self._pieces((node,)), node.pos)

    _Font = _Tok
    _Compare = _Tok
    _Frac = _Tok
    _Sqrt = _Tok

    def _Group(self, node: S.Group) -> A.Expr:
        return self._build(self._pieces((node,)), node.pos)

    # -- a product: pieces, then operators with their scopes -----------------------------------
    def _pieces(self, items: tuple[S.Node, ...]) -> list[Piece]:
        """Items -> pieces: factors, explicit operators, and prefix operators."""
        pieces: list[Piece] = []
        i = 0
        while i < len(items):
            slash = self._slash_derivative(items, i)
            if slash is not None:                   # do/dz, \delta E/\delta w: ∂o/∂z
                deriv, i = slash
                pieces.append(Piece("f", deriv, deriv.pos))
                continue
            if _inline_brace(items[i]):            # {\sum\limits_k} (t_k - a_k)^2: braces group
                inner = unwrap(items[i].items[0])
                items = items[:i] + (inner.items if isinstance(inner, S.Product) else (inner,)) \
                    + items[i + 1:]
                continue
            base, sub, sup, primes = split(items[i])
            if isinstance(base, S.Tok) and base.text in (r"\top", r"\intercal") and \
                    sub is None and sup is None and pieces and pieces[-1].kind == "f":
                last = pieces[-1]                  # a^{(L-1)}\top: ^ left out before \top
                pieces[-1] = Piece("f", A.Transpose(last.pos, last.payload), last.pos)
                self.readings.append(f"{base.text} printed after a factor without ^ read as "
                                     "its transpose")
                i += 1
                continue
            reader = PREFIX_OPERATORS.get(base.text) if isinstance(base, S.Tok) else None
            if reader is not None and not word_at(items, i, self.lex.words):
                i = reader(self, pieces, items, i)
                continue
            signal = _error_signal(items, i, self.lex)
            if signal is not None:                       # \delta y_1 defined: the name δy
                nb, nsub, nsup, nprimes = split(items[i + 1])
                i = self._named(pieces, signal, nsub, nsup, nprimes, items, i + 2, base.pos)
                continue
            if isinstance(base, S.Tok) and base.kind == "DOTOP":
                pieces.append(Piece("dot", "*" if base.text == r"\ast" else base.text, base.pos))
                i += 1
                continue
            if isinstance(base, S.Font) and base.cmd in (r"\underbrace", r"\overbrace"):
                self.readings.append(f"the label under {base.cmd} is an annotation, not checked")
                pieces.append(Piece("f", self.expr(base.arg), base.pos))
                i += 1
                continue
            if self._is_indicator_font(base) and i + 1 < len(items) and \
                    isinstance(items[i + 1], S.Compare) and items[i + 1].kind == "(":
                pieces.append(Piece("f", self._indicator(items[i + 1]), base.pos))
                i += 2
                continue
            condition = _subscript_condition(items[i])
            if condition is not None and self._is_indicator_font(split(items[i])[0]):
                pieces.append(Piece("f", self._indicator(condition), base.pos))  # 1_{z > 0}
                i += 1
                continue
            word = word_at(items, i, self.lex.words)
            if word and word[0] == "sum" and "sum" not in self.lex.defined and \
                    word[2] < len(items) and is_paren(items[word[2]]):
                group = items[word[2]]                 # sum(dz): \sum dz, as code prints it
                self.readings.append("sum(…) read as \\sum with no index of what it encloses")
                body = self.expr(group.items[0] if len(group.items) == 1 else group)
                pieces.append(Piece("f", A.Sum(base.pos, BARE, None, None, None, body),
                                    base.pos))
                i = word[2] + 1
                continue
            if word:
                key, last, nxt = word
                self._note_word(key)
                _, sub, sup, primes = split(last)
                i = self._named(pieces, key, sub, sup, primes, items, nxt, last.pos)
                continue
            key = base_key(base)
            if key is None and sub is None and sup is None and not primes:
                key, sub, sup, primes = _scripted_inside(base)     # \\hat{W^L}, \\mathbf{a^L}
            if key is not None:
                i = self._named(pieces, key, sub, sup, primes, items, i + 1, base.pos)
                continue
            value = self._primary(base)
            pieces.append(Piece("f", self._scripted(value, sub, sup, primes, base), base.pos))
            i += 1
        return pieces

    def _read_delta(self, pieces, items, i) -> int:
        """`\\Delta w_{ij}`: the name Δw (an update), when a name follows."""
        base, sub, sup, _ = split(items[i])
        if sub is None and sup is None and i + 1 < len(items) and \
                base_key(split(items[i + 1])[0]):
            nb, nsub, nsup, nprimes = split(items[i + 1])
            return self._named(pieces, "Δ" + base_key(nb), nsub, nsup, nprimes, items, i + 2,
                               base.pos)
        return self._named(pieces, "Δ", sub, sup, 0, items, i + 1, base.pos)

    def _read_sum(self, pieces, items, i) -> int:
        base, sub, sup, _ = split(items[i])
        if base.text == r"\Sigma":
            if "Σ" in self.lex.defined or (sub is None and sup is None):
                return self._named(pieces, "Σ", sub, sup, 0, items, i + 1, base.pos)
            self.readings.append("\\Sigma with an index read as the sum sign \\sum")
        pieces.append(Piece("sum", self._sum_binding(sub, sup, base), base.pos))
        return i + 1

    def _read_nabla(self, pieces, items, i) -> int:
        base, sub, _, _ = split(items[i])
        if sub is None:
            raise _err("\\nabla needs a subscript: \\nabla_a C", base)
        pieces.append(Piece("one", ("deriv", self._wrt(sub)), base.pos))
        return i + 1

    def _read_partial(self, pieces, items, i) -> int:
        """`\\partial_v X` (one factor), `\\partial / \\partial v X` (the product that follows),
        `\\partial X / \\partial v`."""
        node = items[i]
        _, sub, sup, _ = split(node)
        if sup is not None:
            raise _err("higher derivatives are not supported", node)
        if sub is not None:
            pieces.append(Piece("one", ("deriv", self._wrt(sub)), node.pos))
            return i + 1
        if i + 2 < len(items) and _is_dotop(items[i + 1], "/") and _is_partial(items[i + 2]):
            wrt, nxt = self._read_wrt_at(items, i + 3, node)
            pieces.append(Piece("reach", wrt, node.pos))
            return nxt
        if i + 1 < len(items):
            body, nxt = self._read_one(items, i + 1)
            if nxt + 1 < len(items) and _is_dotop(items[nxt], "/") and _is_partial(items[nxt + 1]):
                wrt, end = self._read_wrt_at(items, nxt + 2, node)
                pieces.append(Piece("f", A.Deriv(node.pos, body, wrt), node.pos))
                return end
        raise _err("cannot read this \\partial: write \\frac{\\partial C}{\\partial v}, "
                   "\\partial_v C or \\partial C / \\partial v", node)

    def _slash_derivative(self, items, i) -> tuple[A.Deriv, int] | None:
        """`d o / d z`, `\\delta E_{total}/\\delta w5`, `\\delta(E1 + E2)/\\delta w5`: a derivative
        printed inline with a Leibniz d (or δ where δ is no quantity of the file) before one
        name or a parenthesised expression, a slash, and the mark again before one name."""
        mark = self._derivative_mark(items, i)
        if mark != "d" or i + 1 >= len(items) or _is_dotop(items[i + 1], "/"):
            return None
        if is_paren(items[i + 1]) and split(items[i + 1])[1:] == (None, None, 0):
            body_end = i + 2
        elif base_key(split(items[i + 1])[0]) is not None:
            body_end = (word_at(items, i + 1, self.lex.words) or (0, 0, i + 2))[2]
        else:
            return None
        if body_end + 2 >= len(items) or not _is_dotop(items[body_end], "/") or \
                self._derivative_mark(items, body_end + 1) != mark:
            return None
        below = items[body_end + 2]
        inner = _one_name_in_parens(below)              # dSSR/d(predicted): the name inside
        if inner is None and base_key(split(below)[0]) is None:
            if is_paren(below):
                raise _err("a derivative printed with a slash differentiates by one name: "
                           "write d(...)/dw with one variable after the second d", below)
            return None
        if inner is not None and (word_at(inner, 0, self.lex.words) or (0, 0, 1))[2] != \
                len(inner):
            raise _err("a derivative printed with a slash differentiates by one name: "
                       "write d(...)/dw with one variable after the second d", below)
        body = self._build(self._pieces(tuple(items[i + 1:body_end])), items[i + 1].pos)
        if inner is not None:
            wrt, nxt = self._read_wrt_at(inner, 0, items[i])[0], body_end + 3
        else:
            wrt, nxt = self._read_wrt_at(items, body_end + 2, items[i])
        mark_text = "d" if bare_letter(items[i]) == "d" else "δ"
        self.readings.append(f"{mark_text}…/{mark_text}… read as a derivative (Leibniz "
                             f"{mark_text}), not as a quotient of products with {mark_text}")
        return A.Deriv(items[i].pos, body, wrt), nxt

    def _note_word(self, word: str) -> None:
        if word in self.lex.implicit_words and word not in N.BUILTIN_FUNCTIONS:
            letters = "·".join(word)
            self.readings.append(f"{word} read as one name, not as the product {letters} (no "
                                 "definition introduces it, and a run of three letters is a "
                                 "name in a backprop text)")

    def _read_one(self, items, i) -> tuple[A.Expr, int]:
        """One name (a multi-letter word or one item) starting at items[i], and the next index."""
        word = word_at(items, i, self.lex.words)
        end = word[2] if word else i + 1
        return self._build(self._pieces(tuple(items[i:end])), items[i].pos), end

    def _read_wrt_at(self, items, i, node) -> tuple[A.Ref, int]:
        if i >= len(items):
            raise _err("expected a variable to differentiate by after \\partial", node)
        value, nxt = self._read_one(items, i)
        return self._as_wrt(value, items[i]), nxt

    def _as_wrt(self, value: A.Expr, node: S.Node) -> A.Ref:
        if isinstance(value, A.Ref):
            return value
        raise _err("can only differentiate with respect to a name such as w^l_{jk}", node)

    def _is_indicator_font(self, base: S.Node) -> bool:
        return isinstance(base, S.Font) and base.cmd in (r"\mathbb", r"\mathbf", r"\mathrm",
                                                         r"\boldsymbol", r"\bm") and \
            base.raw.strip() == "1"

    def _indicator(self, node: S.Compare) -> A.Expr:
        left, right = self._compared(node.left), self._compared(node.right)
        if node.rel == "=":
            self.readings.append("[k = j] read as an indicator: 1 when the indices are equal, "
                                 "else 0 (not a bracketed equation)")
            return A.Indicator(node.pos, left, right)
        if node.rel in (">", r"\gt") and isinstance(right, A.Num) and right.value == 0:
            self.readings.append("[z > 0] read as the step H(z), the derivative of "
                                 "\\max(0, z) away from z = 0")
            return A.Indicator(node.pos, self.expr(unwrap(node.left)), right, ">")  # z_1: a value
        raise _err("an indicator is read as [k = j] or [z > 0]", node)

    def _compared(self, node: S.Node) -> A.Expr:
        """One side of an indicator: `y_i` in `\\mathbb{1}(y_i = k)` is the given unit (the
        class of example i), as in `f_{y_i}`; anything else as a formula."""
        node = unwrap(node)
        label = _given_unit(node)
        return A.Ref(node.pos, label, None, ()) if label else self.expr(node)

    def _named(self, pieces, key, sub, sup, primes, items, i, pos) -> int:
        """A name at items[i-1]: a function call, an operator such as \\ln, or a reference."""
        lex = self.lex
        key = self._unmarked(key)
        while i < len(items) and isinstance(items[i], S.Tok) and items[i].text in N.PRIME_MARKS:
            primes, i = primes + 1, i + 1          # \sigma\prime(z)
        if key in lex.unit_functions and sub is not None and sup is None and i < len(items) \
                and is_paren(items[i]) and \
                _single_letter(split(items[i])[0]) not in self.conv.sample_letters:
            self.readings.append(f"{key}_{sub.raw}(…) read as the activation {key} of unit "
                                 f"{sub.raw}: a generic function, one application per unit")
            sub = None
        if sub is not None and label_key(key, sub, lex) != key and \
                label_key(key, sub, lex) in lex.functions:
            key, sub = label_key(key, sub, lex), None      # g_{relu}(z): a labelled function
        if key in self.conv.example_families and sub is None and sup is None and \
                i < len(items) and is_paren(items[i]) and \
                _single_letter(split(items[i])[0]) in self.conv.sample_letters:
            sample = A.Index(_single_letter(split(items[i])[0]), 0, A.Role.SAMPLE)
            pieces.append(Piece("f", A.Ref(pos, key, None, (), sample), pos))   # y(x)
            return i + 1
        fname = N.BUILTIN_FUNCTIONS.get(key)
        if key == "e" and sup is not None and sub is None and ("e" not in lex.defined or (
                "e" in lex.indexed and "e" not in lex.layered and    # e^{-z} beside e_1 = …,
                not sup.raw.strip().isdigit())):                     # but e^2 squares e_i
            exponent = self._script_expr(sup)
            pieces.append(Piece("f", A.Call(pos, "exp", exponent), pos))
            return i
        if fname is None and key in lex.functions and sub is None and not (
                key == "L" and not primes and not (i < len(items) and is_paren(items[i]))):
            fname = key                     # L(\hat{y}, y) is a loss, a bare L the depth
        sub_layer = None
        if fname is None and key in self.conv.layer_subscripts and sub is not None and \
                key not in lex.defined and \
                (sup is None or sup.raw.replace(" ", "") in N.PRIME_MARKS) and \
                i < len(items) and is_paren(items[i]):       # f_2(z_2): layer 2's activation
            fname, sub_layer, sub = key, self.level_node(unwrap(sub.parts[0]), A.Role.LAYER), None
            self.readings.append(f"{key} with a layer subscript, applied to a bracket, read as "
                                 f"that layer's activation {key}: a generic function")
        sup_raw = sup.raw.replace(" ", "") if sup is not None else None
        if fname is not None and sup_raw in N.PRIME_MARKS:
            primes, sup = primes + 1, None
        own_layer = sub_layer
        if fname is not None and key not in N.BUILTIN_FUNCTIONS and sup is not None and \
                (_is_layer_script(sup) or layer_text(sup)[:1] in lex.layer_vars and
                 _layer_like(sup)):                          # g^{[l]}(z): layer l's activation
            own_layer, sup = self.level(sup), None
        power = None
        if fname is not None and key in N.BUILTIN_FUNCTIONS and sup is not None and sub is None \
                and sup_raw.isdigit():
            power, sup = A.Num(sup.pos, sp.Rational(sup_raw), sup_raw), None   # \tanh^2 z
            self.readings.append(f"{key}^{sup_raw} z read as ({key} z)^{sup_raw}, not as "
                                 f"{key} applied {sup_raw} times")
        if fname == "max":
            return self._max(pieces, items, i, pos)
        if fname is not None and key not in N.BUILTIN_FUNCTIONS and sup is not None and \
                sub is None and sup_raw.isdigit() and power is None:
            power, sup = A.Num(sup.pos, sp.Rational(sup_raw), sup_raw), None   # Tanh^2(z)
        if fname is not None and sub is None and sup is None and self.point is not None and \
                key not in N.BUILTIN_FUNCTIONS and \
                not (i < len(items) and is_paren(items[i]) and
                     not self._mentions_bare(items[i], key)):
            call = A.Call(pos, fname, A.Ref(pos, self.point, None, ()), primes, own_layer)
            pieces.append(Piece("f", A.Pow(pos, call, power) if power is not None else call, pos))
            return i
        if fname is not None and sub is None and sup is None:
            if i < len(items) and is_paren(items[i]):
                gbase, gsub, gsup, gprimes = split(items[i])
                call = A.Call(pos, fname, self._group_value(gbase), primes, own_layer)
                if power is not None:
                    call = A.Pow(pos, call, power)
                pieces.append(Piece("f", self._scripted(call, gsub, gsup, gprimes, gbase), pos))
                return i + 1
            pieces.append(Piece("one", ("func", fname, primes, power, own_layer), pos))
            return i
        if primes and primed(key, primes) in lex.defined:
            self.readings.append(f"{key}{chr(39) * primes} read as a name of its own (the file "
                                 "defines it), not as a derivative")
            key, primes = primed(key, primes), 0
        if primes and sup is None and not self.lex.layered & {key}:
            self.readings.append(f"{key}{chr(39) * primes} read as a name of its own ({key} is "
                                 "no function, so the prime is no derivative)")
            key, primes = primed(key, primes), 0          # y' (the target), w' (a new weight)
        if primes:
            raise _err(f"a prime on {key}, which is not a function", pos)
        argument = _single_letter(split(items[i])[0]) if i < len(items) and \
            is_paren(items[i]) else None
        base = key[1:] if key.startswith("Δ") else key              # Δw_{ji}(n): w's step
        if argument in self.conv.sample_letters and (sub is not None or sup is not None) and \
                (base in lex.defined or base in lex.in_definitions or base in lex.layered):
            ref = _with_sample(self._reference(key, sub, sup, pos),          # o_j(x), a^L(x)
                               A.Index(argument, 0, A.Role.SAMPLE))
            pieces.append(Piece("f", ref, pos))
            return i + 1
        if key in lex.defined and sup is None and i < len(items) and is_paren(items[i]) and \
                not isinstance(items[i], S.Atom) and \
                _argument_list(split(items[i])[0]) and (sub is None or self._sample_argument(
                    split(items[i])[0])):
            if key in self.scalars:
                raise _err(f"{key}(…) in a claim without scripts: {key} depends on what its "
                           "argument list names, which plain variables cannot say; write the "
                           "quantities with their layers (and examples), e.g. a^L", pos)
            self.readings.append(f"{key}(…) read as {key}: the argument list names what it "
                                 "depends on, as in its definition, not a product")
            pieces.append(Piece("f", self._reference(key, sub, sup, pos), pos))
            return i + 1
        if fname is not None and (sub is not None or sup is not None):
            if sup is not None and key in N.BUILTIN_FUNCTIONS:
                raise _err(f"a superscript on {key} is not supported; use parentheses", pos)
        pieces.append(Piece("f", self._reference(key, sub, sup, pos), pos))
        return i

    def _sample_argument(self, group: S.Group) -> bool:
        """`y_j(n)`: one bare letter in parentheses after an indexed quantity, a letter the
        file defines nothing by: the example (or input) it is computed for."""
        if len(group.items) != 1:
            return False
        letter = bare_letter(unwrap(group.items[0]))
        if letter is None or letter in self.lex.defined:
            return False
        self.readings.append(f"({letter}) after an indexed quantity read as the example it is "
                             f"computed for (one example), not as a product with {letter}")
        return True

    def _mentions_bare(self, group: S.Node, key: str) -> bool:
        """σ(1 - σ) in a claim about the function σ: the parentheses hold σ itself."""
        for seq in item_runs(group):
            for n, item in enumerate(seq):
                word = word_at(seq, n, self.lex.words)
                name, after = (word[0], word[2]) if word else (base_key(split(item)[0]), n + 1)
                if name == key and not (after < len(seq) and is_paren(seq[after])):
                    return True
        return False

    def _unmarked(self, key: str) -> str:
        """`\\hat{z}` where only z is defined: the hat marks the vector z (as in slides that
        write vectors with hats), not a new quantity. `W` (or `\\hat{W}`) that no definition
        prints, beside a family w that the definitions index twice: the matrix of w."""
        for mark in (r"\hat", r"\vec", r"\bar"):
            prefix = mark + "{"
            if key.startswith(prefix) and key.endswith("}") and key not in self.lex.defined:
                inner = key[len(prefix):-1]
                if self._matrix_of(inner):
                    self.readings.append(f"{key} read as the matrix of {inner.lower()}: no "
                                         f"definition gives {inner}, and {mark} marks a matrix")
                    return inner.lower()
                if inner in self.lex.defined or inner in self.lex.layered:
                    self.readings.append(f"{key} read as {inner}: no definition gives {key}, "
                                         f"and {mark} marks the vector {inner}")
                    return inner
        if self._matrix_of(key):
            self.readings.append(f"{key} read as the matrix of {key.lower()} (rows the first "
                                 f"index of {key.lower()}): no definition prints {key}")
            return key.lower()
        return key

    def _matrix_of(self, key: str) -> bool:
        """`W` names the matrix of `w`: an upper-case letter no definition prints, whose
        lower case the definitions index with two units."""
        lex = self.lex
        return len(key) == 1 and key.isupper() and key not in lex.in_definitions and \
            key not in lex.defined and key.lower() in lex.matrices

    def _max(self, pieces, items, i, pos) -> int:
        """`\\max(0, z)` is ReLU (its derivative the step, undefined at the kink z = 0)."""
        group = split(items[i])[0] if i < len(items) and is_paren(items[i]) else None
        args = [self.expr(a) for a in group.items] if group is not None else []
        zero = [n for n, a in enumerate(args) if isinstance(a, A.Num) and a.value == 0]
        if len(args) != 2 or not zero:
            raise _err("\\max is read only as ReLU, \\max(0, z); write that form", pos)
        self.readings.append("\\max(0, z) read as ReLU: its derivative is the step H(z), "
                             "which has no value at the kink z = 0")
        pieces.append(Piece("f", A.Call(pos, "relu", args[1 - zero[0]]), pos))
        return i + 1

    def _reference(self, key: str, sub, sup, pos) -> A.Expr:
        sample, sub, sup, after = self._sample_scripts(sub, sup)
        if sample is not None:
            ref = self._reference(key, sub, sup, pos)
            ref = _with_sample(ref, A.Index(sample, 0, A.Role.SAMPLE))
            if after == "T":
                return A.Transpose(pos, ref)
            if after is not None:
                return A.Pow(pos, ref, A.Num(pos, sp.Integer(after), after))
            return ref
        layer_sub = self._layer_subscript(key, sub, sup, pos)
        if layer_sub is not None:
            return layer_sub
        nested = nested_label(sub)
        if nested is not None:                         # C_{0_j}: family C_0, unit j
            key, sub = label_key(key, sub, self.lex), nested[1]
        labelled = label_key(key, sub, self.lex)
        if labelled != key:
            if not N.is_label(sub.raw) and sub.raw.strip().startswith("\\"):
                self.readings.append(f"{labelled} read as one name: its definition uses "
                                     f"{sub.raw} only as the name of other quantities, so the "
                                     "subscript labels it, not a unit index")
            elif not N.is_label(sub.raw):
                self.readings.append(f"{labelled} read as one name: its definition never uses "
                                     f"{sub.raw}, so the subscript labels it (an example), "
                                     "not a unit index")
            key, sub = labelled, None
        label_layer = None
        label = superscript_word(sup)
        if label is None and sup is not None and sup.raw.strip().startswith("("):
            label = sup.raw.replace(" ", "").strip("()")
        if label is not None and label in self.lex.sup_labels:
            offset = N.LAYER_LABELS.get(label)
            if offset is not None and key in self.lex.in_definitions and \
                    f"{key}^{{{sup.raw.strip()}}}" not in self.lex.in_definitions:
                label_layer = offset      # W^{(o)}, W^{(h)}: the file's W on that layer
                where = "the output layer" if offset == 0 else \
                    "the hidden layer below the output (with several, the last)"
                self.readings.append(f"{key}^{{{sup.raw.strip()}}} read as {key} on {where} "
                                     f"(({label}) labels a layer, not a layer number)")
                sup = None
            else:
                key, sup = f"{key}^{{({label})}}", None    # y^{(in)}: a name of its own
        layer = None
        post = None
        layered = key in self.lex.layered or (key.startswith("Δ") and key[1:] in self.lex.layered)
        if sup is not None:
            raw = sup.raw.replace(" ", "")
            layer_part, transposed = _layer_and_transpose(sup)
            if sup.mark:
                key = f"{key}^{sup.mark}"
            elif raw in N.TRANSPOSE_MARKS:
                post = "T"
            elif layered and layer_part is not None:
                layer = self.level_node(layer_part, A.Role.LAYER)
                post = "T" if transposed else None
                if transposed:
                    self.readings.append(f"{key}^{{{sup.raw}}} read as the transpose of {key} "
                                         "on that layer")
            elif layered:
                layer = self.level(sup)
            else:
                post = "pow"
        indices = self.indices(sub) if sub is not None else ()
        if label_layer is not None:
            layer = A.Index("L", label_layer, A.Role.LAYER)
        if key == "1" and not indices:
            ref: A.Expr = A.Ones(pos)
        else:
            ref = A.Ref(pos, key, layer, indices)
        if post == "T":
            return A.Transpose(pos, ref)
        if post == "pow":
            return A.Pow(pos, ref, self._script_expr(sup))
        return ref

    def _sample_scripts(self, sub, sup):
        """The training example a name's scripts give, and the scripts left without it:
        `a^{x,l}` (x, -, l), `x^{(i)}` (i, -, -), `a^{[1](i)}` (i, -, [1]), `a^{[1](i)T}` (with
        a transpose after), `C_x` (x, -, -). (None, sub, sup, None) when there is none."""
        letters = self.conv.sample_letters
        if not letters:
            return None, sub, sup, None
        if sub is not None and not sub.mark and sub.raw.strip() in letters and sup is None:
            return sub.raw.strip(), None, None, None                       # C_x, E_d
        if sup is None or sup.mark:
            return None, sub, sup, None
        if sup.raw.strip() in letters:                                     # \hat{y}_j^k
            return sup.raw.strip(), sub, None, None
        pair = unwrap(sup.parts[0]) if len(sup.parts) == 1 else None
        if isinstance(pair, S.Group) and pair.kind == "(" and len(pair.items) == 2:
            sup = S.Script(sup.pos, pair.items, sup.raw.strip()[1:-1])    # a^{(i, \ell)}
        if len(sup.parts) == 2:                                            # a^{x,l}
            first = bare_letter(unwrap(sup.parts[0]))
            if first in letters:
                rest = sup.raw.split(",", 1)[1].strip()
                return first, sub, S.Script(sup.pos, (sup.parts[1],), rest), None
            second = bare_letter(unwrap(sup.parts[1]))
            if second in letters:                                          # a^{l,m}
                rest = sup.raw.split(",", 1)[0].strip()
                return second, sub, S.Script(sup.pos, (sup.parts[0],), rest), None
            return None, sub, sup, None
        part = unwrap(sup.parts[0]) if len(sup.parts) == 1 else None
        items = list(part.items) if isinstance(part, S.Product) else [part]
        after = None
        if len(items) > 1 and isinstance(items[-1], S.Tok) and (
                items[-1].text in N.TRANSPOSE_MARKS or items[-1].text.isdigit()):
            after = "T" if items[-1].text in N.TRANSPOSE_MARKS else items[-1].text
            items = items[:-1]
        last = items[-1] if items else None
        if isinstance(last, S.Group) and last.kind == "(" and len(last.items) == 1 and \
                bare_letter(unwrap(last.items[0])) in letters:
            sample = bare_letter(unwrap(last.items[0]))
            rest = items[:-1]
            if not rest:
                return sample, sub, None, after                           # x^{(i)}
            layer = rest[0] if len(rest) == 1 else S.Product(rest[0].pos, tuple(rest))
            raw = sup.raw[:sup.raw.rindex("(")].strip()
            return sample, sub, S.Script(sup.pos, (layer,), raw), after    # a^{[1](i)}
        return None, sub, sup, None

    def _layer_subscript(self, key: str, sub, sup, pos) -> A.Expr | None:
        """`z_1`, `W_2^T` where the definitions make the subscript a layer; `h` (and its
        entries `h_k`) where the conventions put an unscripted vector on one layer."""
        conv = self.conv
        power = sup.raw.strip() if sup is not None and sup.raw.strip().isdigit() and \
            key in conv.layer_subscripts and sub is not None else None     # a_1^2: squared
        if power:
            sup = None
        transposed = sup is not None and sup.raw.replace(" ", "") in N.TRANSPOSE_MARKS
        placed = key[1:] if key.startswith("Δ") and key[1:] in conv.vector_layers else key
        if placed in conv.vector_layers and (sub is None or key not in conv.layer_subscripts) \
                and (sup is None or transposed):      # h, or x_k: entry k of the input x
            ref: A.Expr = A.Ref(pos, key, A.Index(None, conv.vector_layers[placed], A.Role.LAYER),
                                self.indices(sub) if sub is not None else ())
        elif key in conv.layer_subscripts and sub is not None and (sup is None or transposed):
            layer = self.level_node(unwrap(sub.parts[0]), A.Role.LAYER)
            names = ", ".join(sorted(conv.layer_subscripts))
            self.readings.append(f"the subscripts of {names} read as layers, not units (the "
                                 "definitions are in vector form, a matrix times the vector of "
                                 "the layer before)")
            ref = A.Ref(pos, key, layer, ())
        else:
            return None
        if power:
            return A.Pow(pos, ref, A.Num(pos, sp.Rational(power), power))
        return A.Transpose(pos, ref) if transposed else ref

    def _scripted(self, value: A.Expr, sub, sup, primes, node) -> A.Expr:
        """Scripts on a non-name: `(W)^T`, `(y-a)^2`, `\\|x\\|^2`."""
        if primes:
            raise _err("a prime here is not on a function", node)
        if sub is not None and isinstance(value, A.Norm) and N.plain_text(sub.raw) in ("F", "2"):
            sub = None                       # \|W\|_F, \|x\|_2: the root of the sum of squares
        whole = _whole_ref(value)
        if sub is not None and whole is not None:        # (z_2)_{ik}: entry i, k of z_2
            value, sub = replace(whole, indices=self.indices(sub)), None
            self.readings.append(f"({whole.name} ...)_{{...}} read as an entry of "
                                 f"{whole.name}, the subscript its indices")
        if sub is not None:
            raise _err("a subscript here is not on a name", sub.pos)
        if sup is None:
            return value
        raw = sup.raw.replace(" ", "")
        if raw in N.TRANSPOSE_MARKS:
            return A.Transpose(node.pos, value)
        if sup.mark:
            raise _err(f"superscript {sup.mark} is not on a name", sup.pos)
        return A.Pow(node.pos, value, self._script_expr(sup))

    def _script_expr(self, script: S.Script) -> A.Expr:
        if script.mark or len(script.parts) != 1:
            raise _err("expected one expression in this script", script.pos)
        part = script.parts[0]
        if isinstance(part, S.Tok) and part.kind == "CMD" and part.text in N.PRIME_MARKS:
            raise _err("a prime here is not on a function", script.pos)
        return self.expr(part)

    def _primary(self, base: S.Node) -> A.Expr:
        if isinstance(base, S.Tok):
            if base.kind in ("NUMBER", "DIGIT"):
                return A.Num(base.pos, sp.Rational(base.text), base.text)
            if base.kind == "ELLIPSIS":
                raise _err(f"an ellipsis {base.text} cannot be checked: write the terms, "
                           "the sum with its bounds (\\sum_{i=1}^{n}), or a batch's examples "
                           "in order, X = [x^{(1)} \\; x^{(2)} \\; \\ldots \\; x^{(m)}]", base)
            if base.kind == "CMD":
                raise _err(f"{base.text} is not supported here", base)
            raise _err(f"unexpected {base.text!r}", base)
        if isinstance(base, S.Group):
            return self._group_value(base)
        if isinstance(base, S.Compare):
            if base.kind != "[" and base.rel in ("=", r"\ne", r"\neq"):
                raise _err("an equation in parentheses is read only after \\mathbb{1}: write "
                           "[k = j] or \\mathbb{1}(k = j)", base)
            if base.kind != "[":                         # dA * (Z > 0), as NumPy masks
                self.readings.append("a comparison in parentheses read as its indicator (1 "
                                     "where it holds, else 0), as NumPy's boolean masks are")
            return self._indicator(base)
        if isinstance(base, S.Frac):
            return self._frac(base)
        if isinstance(base, S.NumpyCall):
            return self._NumpyCall(base)
        if isinstance(base, S.Sqrt):
            return A.Pow(base.pos, self.expr(base.arg), A.Num(base.pos, sp.Rational(1, 2), "1/2"))
        if isinstance(base, S.Font):
            raise _err(f"cannot read {base.cmd}{{{base.raw}}} as a name", base)
        raise _err("unexpected construct", base)

    def _group_value(self, group: S.Group) -> A.Expr:
        items = [self.expr(i) for i in group.items]
        if group.kind == "\u2016":
            return A.Norm(group.pos, items[0])
        if len(items) == 1:
            return items[0]
        return A.Tuple(group.pos, tuple(items))

    def _batch_size(self, den: A.Expr) -> A.Expr:
        """`\\frac{1}{n}`, `\\frac{1}{2n}` in a file that counts examples and also has a family
        n_j: the bare n of the denominator is the number of examples, not that family."""
        if isinstance(den, A.Mul):
            factors = tuple(self._batch_size(f) if isinstance(f, A.Ref) else f
                            for f in den.factors)
            return replace(den, factors=factors) if factors != den.factors else den
        if isinstance(den, A.Ref) and den.name in BATCH_NAMES and den.layer is None and \
                not den.indices and den.sample is None and self.conv.sample_letters and \
                den.name in self.lex.indexed:
            self.readings.append(f"{den.name} in a denominator read as the number of training "
                                 f"examples in the batch ({den.name} with an index is another "
                                 "quantity)")
            return A.BatchSize(den.pos, den.name)
        return den

    def _frac(self, node: S.Frac) -> A.Expr:
        """A quotient, or a derivative: `\\frac{\\partial N}{\\partial v}`, Leibniz
        `\\frac{dN}{dv}`, and the operators `\\frac{\\partial}{\\partial v}`, `\\frac{d}{dv}`."""
        den, num = _filled(items_of(node.den)), _filled(items_of(node.num))
        mark = self._derivative_mark(den, 0)
        if mark is None or len(den) < 2:
            if self._derivative_mark(num, 0) == "partial":
                raise _err("\\partial in a numerator needs \\partial v in the denominator",
                           node.num)
            return A.Div(node.pos, self.expr(node.num), self._batch_size(self.expr(node.den)))
        top = self._derivative_mark(num, 0)
        if top is None:
            if mark == "d":
                return A.Div(node.pos, self.expr(node.num), self.expr(node.den))
            raise _err("a denominator \\partial v needs \\partial in the numerator", node.num)
        if top != mark:                     # \frac{dy}{\partial w}: no quotient reads so
            self.readings.append("read the mixed \\frac{d…}{\\partial…} (or \\partial over d) "
                                 "as one derivative")
        if isinstance(num[0], S.Atom) or isinstance(den[0], S.Atom):
            raise _err("higher or scripted derivatives are not supported", num[0])
        value = self._build(self._pieces(tuple(den[1:])), den[1].pos)
        wrt = self._as_wrt(value, den[1])
        if mark == "d":
            self.readings.append("read the d of \\frac{d…}{d…} as a derivative (Leibniz d), "
                                 "not as a factor d")
        if len(num) == 1:
            return _Operator(node.pos, wrt)
        body = self._build(self._pieces(tuple(num[1:])), num[1].pos)
        return A.Deriv(node.pos, body, wrt)

    def _derivative_mark(self, items, i) -> str | None:
        """"partial" for `\\partial`, "d" for a Leibniz d (a bare d that is neither defined
        nor the start of a defined name such as dZ), else None."""
        if i >= len(items):
            return None
        if _is_partial(items[i]):
            return "partial"
        if bare_letter(items[i]) == "d" and "d" not in self.lex.defined and \
                not word_at(items, i, self.lex.words):
            return "d"
        if isinstance(items[i], S.Font) and items[i].raw.strip() == "d" and \
                items[i].cmd in UPRIGHT_D:
            return "d"                      # \frac{\mathrm{d}C}{\mathrm{d}s}: an upright d
        if isinstance(items[i], S.Tok) and items[i].text == r"\delta" and (
                ("δ" not in self.lex.defined and "δ" not in self.lex.layered) or
                ("δ" in self.lex.indexed and "δ" not in self.lex.layered)):
            return "d"                      # \frac{\delta out}{\delta net}: δ as the d
        return None

    def _wrt(self, script: S.Script) -> A.Ref:
        if len(script.parts) != 1:
            raise _err("expected one variable to differentiate by", script.pos)
        part = unwrap(script.parts[0])
        return self._as_wrt(self.expr(part), part)

    def _sum_binding(self, sub, sup, node) -> tuple:
        if sub is None:
            if sup is not None:
                raise _err("\\sum needs a subscript naming its index", node)
            return [BARE], None, None, None, ()   # the index is settled from the summand
        lo = within = None
        names: list[str] = []
        excluded: list[tuple[str, A.Expr]] = []
        parts = [unwrap(p) for p in sub.parts]
        for part in parts:
            if isinstance(part, S.Chain) and len(part.exprs) == 2 and \
                    part.rels[0] in (r"\ne", r"\neq"):          # \sum_{i \neq k}
                names.append(self._index_var(part.exprs[0]))
                excluded.append((names[-1], self.expr(part.exprs[1])))
            elif isinstance(part, S.Chain) and len(part.exprs) == 2 and part.rels[0] == "=":
                names.append(self._index_var(part.exprs[0]))
                lo = self.expr(part.exprs[1])
            elif isinstance(part, S.Chain) and len(part.exprs) == 2 and part.rels[0] == r"\in":
                names.append(self._index_var(part.exprs[0]))
                within = self._set(part.exprs[1])
            else:
                names.extend(self._index_var(p) for p in items_of(part))
        hi = self._script_expr(sup) if sup is not None else None
        if (lo is None) != (hi is None):
            raise _err("a sum needs both bounds or none", node)
        if lo is not None and self.conv.first_unit == 0:     # j = 0 .. n-1 is 1 .. n
            lo, hi = _plus_one(lo), _plus_one(hi)
            self.readings.append("units are numbered from 0 here (the definitions sum "
                                 "j = 0 .. n-1, with no bias unit): unit 0 is a layer's first "
                                 "unit, numbered 1 in instances and counterexamples")
        return names, lo, hi, within, tuple(excluded)

    def _set(self, node: S.Node) -> A.Index | None:
        """What `\\ell \\in L` sums over: a layer letter, or a set the file's `sets` table
        names (`\\mathcal{D}_j`). Where the families carry layer scripts, a named set is the
        range the summand's indices give (None)."""
        raw = "".join(self._raw_text(node).split()).replace("\\", "")
        if raw not in self.conv.sets and "(" in raw:          # Downstream(j): the set's name
            raw = raw[:raw.index("(")]
        raw = N.plain_text(raw) if raw not in self.conv.sets else raw     # \text{outputs}
        if raw not in self.conv.sets and raw in N.SET_WORDS:
            self.readings.append(f"\\sum over {raw} read as the sum over the units of the "
                                 f"{N.SET_WORDS[raw]} layer (the file's `sets` does not name it)")
        if raw in self.conv.sets or raw in N.SET_WORDS:
            if self.lex.layered:
                self.readings.append(f"\\sum over {raw} (named in `sets`) read as the sum over "
                                     "the units its summand indexes")
                return None
            return A.Index(raw, 0, A.Role.LAYER)
        return self.level_node(unwrap(node), A.Role.LAYER)

    def _raw_text(self, node: S.Node) -> str:
        """The formula text a node was read from (the parser keeps it on fonts and scripts)."""
        node = unwrap(node)
        if isinstance(node, S.Tok):
            return node.text
        if isinstance(node, S.Font):
            return f"{node.cmd}{{{node.raw}}}"
        if isinstance(node, S.Atom):
            text = self._raw_text(node.base)
            if node.sub is not None:
                text += f"_{node.sub.raw}" if len(node.sub.raw) == 1 else f"_{{{node.sub.raw}}}"
            return text
        if isinstance(node, S.Product):
            return "".join(self._raw_text(i) for i in node.items)
        if isinstance(node, S.Group) and node.kind == "(":
            return "(" + ",".join(self._raw_text(i) for i in node.items) + ")"
        return ""

    def _index_var(self, node: S.Node) -> str:
        node = unwrap(node)
        if isinstance(node, S.Tok):
            key = base_key(node)
            if key and len(key) == 1:
                return key
        raise _err("a sum index must be one letter", node)

    def _build(self, pieces: list[Piece], pos: int) -> A.Expr:
        """Pieces -> one expression: groups joined by `*` (elementwise), each a product."""
        groups: list[list[Piece]] = [[]]
        cut = next((n for n, p in enumerate(pieces) if p.kind == "sum"), len(pieces))
        for n, piece in enumerate(pieces):
            if n >= cut:                    # a \sum takes the rest, * included: Σ_j w_kj * o_j
                groups[-1].append(piece)
            elif piece.kind == "dot" and piece.payload in ("*", ".*"):
                if not groups[-1]:
                    raise _err(f"{piece.payload} needs two operands", piece.pos)
                groups.append([])
            else:
                groups[-1].append(piece)
        if len(groups) > 1:
            if not groups[-1]:
                raise _err("* needs two operands", pos)
            self.readings.append("read * as the elementwise product of arrays of one shape "
                                 "(a product of scalars otherwise)")
        value = self._product(groups[0], pos)
        for group in groups[1:]:
            value = A.Star(group[0].pos, value, self._product(group, group[0].pos))
            self._entrywise_powers(value)
        return value

    def _product(self, pieces: list[Piece], pos: int) -> A.Expr:
        factors: list[A.Expr] = []
        i = 0
        while i < len(pieces):
            piece = pieces[i]
            if piece.kind == "dot":
                if piece.payload == "/":
                    if not factors:
                        raise _err("'/' needs something to divide", piece.pos)
                    if i + 1 >= len(pieces):
                        raise _err("'/' needs a divisor", piece.pos)
                    divisor, i = self._take(pieces, i + 1)
                    factors[-1] = A.Div(piece.pos, factors[-1], divisor)
                    continue
                if not factors or i + 1 >= len(pieces):
                    raise _err(f"{piece.payload} needs two operands", piece.pos)
                i += 1
                continue
            value, i = self._take(pieces, i)
            factors.append(value)
        if not factors:
            raise _err("missing operand", pos)
        if len(factors) == 1:
            return factors[0]
        return A.Mul(pos, tuple(factors))

    def _take(self, pieces: list[Piece], i: int) -> tuple[A.Expr, int]:
        """One factor starting at pieces[i], with the operand(s) of prefix operators."""
        piece = pieces[i]
        kind, payload = piece.kind, piece.payload
        if kind == "f":
            if not isinstance(payload, _Operator):
                return payload, i + 1
            kind, payload = "reach", payload.wrt
        if i + 1 >= len(pieces) or pieces[i + 1].kind == "dot":
            what = "\\sum needs something to sum" if kind == "sum" else \
                "this operator needs an operand after it"
            raise _err(what, piece.pos)
        if kind == "sum":
            names, lo, hi, within, excluded = payload
            body = self._build(pieces[i + 1:], pieces[i + 1].pos)
            for name, other in excluded:            # Σ_{i≠k} f = Σ_i (1 - [i = k]) f
                pos = piece.pos
                keep = A.Add(pos, (A.Num(pos, sp.Integer(1), "1"), A.Neg(pos, A.Indicator(
                    pos, A.Ref(pos, name, None, ()), other))))
                body = A.Mul(pos, (keep, body))
            for name in reversed(names):
                body = A.Sum(piece.pos, name, lo, hi, within, body)
            return body, len(pieces)
        if kind == "reach":
            if _is_reach(pieces[i + 1]):              # ∂/∂y ∂/∂h X: the operators compose
                operand, j = self._take(pieces, i + 1)
                self.readings.append("two derivative operators in a row compose: "
                                     "\\frac{\\partial}{\\partial u}\\frac{\\partial}"
                                     "{\\partial v} X is the derivative by u of ∂X/∂v")
                return A.Deriv(piece.pos, operand, payload), j
            j = i + 1
            while j < len(pieces) and not _is_reach(pieces[j]):
                j += 1
            operand = self._product(pieces[i + 1:j], pieces[i + 1].pos)
            if isinstance(operand, A.Mul):
                self.readings.append("a derivative operator \\frac{\\partial}{\\partial v} "
                                     "applies to the whole product that follows it")
            return A.Deriv(piece.pos, operand, payload), j
        operand, j = self._take(pieces, i + 1)
        if payload[0] == "deriv" and j < len(pieces) and pieces[j].kind != "dot":
            self.readings.append("\\partial_v applies to the one factor after it (the "
                                 "contract's reading), not to the rest of the product: write "
                                 "\\partial_v(…) to differentiate the product")
        if payload[0] == "func":
            _, fname, order, power, own_layer = payload
            call: A.Expr = A.Call(piece.pos, fname, operand, order, own_layer)
            return (A.Pow(piece.pos, call, power) if power is not None else call), j
        return A.Deriv(piece.pos, operand, payload[1]), j

    # -- indices and layers --------------------------------------------------------------------
    def indices(self, sub: S.Script) -> tuple[A.Index, ...]:
        """A subscript of unit indices, with the source's first unit counted as 1."""
        out = self._indices(sub)
        if self.conv.first_unit == 0:
            out = tuple(i.shifted(1) if i.var is None else i for i in out)
        return out

    def _indices(self, sub: S.Script) -> tuple[A.Index, ...]:
        """A subscript of unit indices: `jk`, `12`, `j,k`, `\\ell j`, `k+1` -> Levels."""
        parts = [unwrap(p) for p in sub.parts]
        if sub.mark:
            raise _err("unexpected mark in a subscript", sub.pos)
        if len(parts) > 1:
            return tuple(self.level_node(p) for p in parts)
        part = parts[0]
        named = _named_unit(part)
        if named is not None:                     # o_{j=1}: unit j = 1, unit 1
            self.readings.append(f"_{{{sub.raw}}} read as the unit {named.text} (the "
                                 "subscript names the index and its value)")
            part = named
        if isinstance(part, S.Tok) and part.kind == "NUMBER" and "." not in part.text:
            return tuple(A.Index(None, int(c)) for c in part.text)
        if isinstance(part, S.Tok) and part.kind == "NAME" and len(part.text) == 2 and \
                part.text[0].isalpha() and part.text[1].isdigit():     # w_{j1}: unit j, unit 1
            return (A.Index(part.text[0], 0), A.Index(None, int(part.text[1])))
        if isinstance(part, S.Product):
            out = []
            for item in part.items:
                if isinstance(item, S.Tok) and item.kind == "NUMBER" and "." not in item.text:
                    out.extend(A.Index(None, int(c)) for c in item.text)
                else:
                    out.append(self.level_node(item))
            return tuple(out)
        return (self.level_node(part),)

    def level(self, script: S.Script) -> A.Index:
        if script.mark or len(script.parts) not in (1, 2):
            raise _err("cannot read this superscript as a layer", script.pos)
        if len(script.parts) == 2:            # w^{l-1,l}: from layer l-1 to layer l
            sending = self.level_node(unwrap(script.parts[0]), A.Role.LAYER)
            receiving = self.level_node(unwrap(script.parts[1]), A.Role.LAYER)
            if receiving != sending.shifted(1):
                raise _err("a weight's two layers must be consecutive, as in w^{l-1,l}",
                           script.pos)
            self.readings.append(f"w^{{{script.raw}}} read as a weight from layer "
                                 f"{script.raw.split(',')[0].strip()} to the next")
            return sending
        return self.level_node(unwrap(script.parts[0]), A.Role.LAYER)

    def level_node(self, node: S.Node, role: A.Role = A.Role.UNIT) -> A.Index:
        """`l`, `3`, `L`, `l-1`, `(l)`, `[l]`, `\\ell` -> Index."""
        node = unwrap(node)
        if isinstance(node, S.Group) and node.kind in "([" and len(node.items) == 1:
            return self.level_node(node.items[0], role)
        if isinstance(node, S.Atom) and node.sup is None and node.sub is not None and \
                base_key(node.base) in ("n", "N") and node.sub.raw.strip() in ("l", "L"):
            self.readings.append(f"{base_key(node.base)}_{node.sub.raw} in a layer script read "
                                 "as the number of layers: the output layer L")
            return A.Index("L", 0, role)
        if isinstance(node, S.Tok):
            if node.kind in ("DIGIT", "NUMBER") and node.text.isdigit():
                return A.Index(None, int(node.text), role)
            key = base_key(node)
            if key and len(key) == 1 and role is A.Role.LAYER and \
                    key in self.conv.output_letters:
                self.readings.append(f"layer {key} read as the output layer: a definition uses "
                                     "it without binding it (the depth of the network)")
                return A.Index("L", 0, role)
            if key and len(key) == 1:
                return A.Index(key, 0, role)
        if role is A.Role.UNIT and _given_unit(node):
            label = _given_unit(node)                                  # f_{y_i}: the class
            self.readings.append(f"the index {label} read as a given unit (the class label "
                                 "of the example): the claim is checked for each of its values")
            return A.Index(label, 0, role)
        if isinstance(node, S.Signed) and len(node.terms) == 2 and node.terms[0][0] == "+":
            head = self.level_node(node.terms[0][1], role)
            tail = unwrap(node.terms[1][1])
            if isinstance(tail, S.Tok) and tail.text.isdigit():
                sign = 1 if node.terms[1][0] == "+" else -1
                return A.Index(head.var, head.offset + sign * int(tail.text), role)
        raise _err("expected an index: a letter, a number, or a letter plus or minus a number",
                   node)


@dataclass(frozen=True)
class _Operator(A.Expr):
    """`\\frac{\\partial}{\\partial v}` or `\\frac{d}{dv}` before its operand is known."""

    wrt: A.Ref


class Piece(NamedTuple):
    """One item of a product: "f" a factor, "dot" an explicit operator, "sum" a sum binding,
    "reach" a derivative operator reaching the product that follows, "one" an operator on the
    one factor that follows (`\\partial_v`, `\\nabla_v`, a function without parentheses)."""

    kind: str
    payload: object
    pos: int


def _is_reach(piece: Piece) -> bool:
    return piece.kind == "reach" or (piece.kind == "f" and isinstance(piece.payload, _Operator))


#: Relations that print an update step: the quantity on the left, its new value on the right.
UPDATES = {r"\leftarrow", r"\longleftarrow", r"\gets", r"\rightarrow", r"\longrightarrow",
           r"\to", r"\mapsto", ":=", r"\coloneqq"}
BARE = A.UNINDEXED   # the index of a \\sum printed without a subscript, until it is settled
ONE_TERM = ("\\sum with no index over a summand with no unit index read as that one term "
            "(a single output)")


def _unit_letters(expr: A.Expr, skip: A.Expr | None = None) -> set[str]:
    """Unit-index letters used in `expr` (not inside `skip`, not bound by an inner sum)."""
    out: set[str] = set()

    def visit(e: A.Expr, bound: frozenset) -> None:
        if e is skip:
            return
        if isinstance(e, A.Sum):
            visit(e.body, bound | {e.var})
            return
        if isinstance(e, A.Ref):
            out.update(i.var for i in e.indices if i.var is not None and i.var not in bound)
        for child in A.children(e):
            visit(child, bound)

    visit(expr, frozenset())
    return out


def _named_unit(part: S.Node) -> S.Tok | None:
    """The number of a subscript `j=1` (an index letter set to a value; `unwrap` gives the
    chain), else None."""
    if isinstance(part, S.Chain) and part.rels == ("=",) and bare_letter(part.exprs[0]) and \
            isinstance(part.exprs[1], S.Tok) and part.exprs[1].kind == "NUMBER" and \
            "." not in part.exprs[1].text:
        return part.exprs[1]
    return None


def _with_sample(expr: A.Expr, sample: A.Index) -> A.Expr:
    """The reference inside `expr` (itself, or under a transpose or power) for that example."""
    if isinstance(expr, A.Ref):
        return replace(expr, sample=sample)
    if isinstance(expr, (A.Transpose,)):
        return replace(expr, arg=_with_sample(expr.arg, sample))
    if isinstance(expr, A.Pow):
        return replace(expr, base=_with_sample(expr.base, sample))
    raise _err("an example index on something that is not a quantity", expr.pos)


def _plus_one(bound: A.Expr) -> A.Expr:
    """A sum bound one higher, kept in a form the evaluator reads as a count: 0 -> 1,
    n - 1 -> n, anything else -> (it) + 1."""
    if isinstance(bound, A.Num) and bound.value.is_integer:
        value = bound.value + 1
        return A.Num(bound.pos, value, str(value))
    if isinstance(bound, A.Add) and len(bound.terms) == 2 and isinstance(bound.terms[1], A.Neg) \
            and isinstance(bound.terms[1].arg, A.Num) and bound.terms[1].arg.value == 1:
        return bound.terms[0]
    return A.Add(bound.pos, (bound, A.Num(bound.pos, sp.Integer(1), "1")))


def _filled(items: tuple[S.Node, ...]) -> tuple[S.Node, ...]:
    """The items without empty braces: `\\partial{}` is `\\partial`."""
    return tuple(i for i in items if not (isinstance(i, S.Group) and i.kind == "{" and
                                          not i.items))


def _single_letter(group: S.Group) -> str | None:
    """`(x)`: the one bare letter in parentheses, or None."""
    if len(group.items) != 1:
        return None
    return bare_letter(unwrap(group.items[0]))


def _given_unit(node: S.Node) -> str | None:
    """`y_i` where a unit index stands (`f_{y_i}`): the label `y_i`, else None."""
    if isinstance(node, S.Atom) and node.sup is None and not node.primes and \
            node.sub is not None and bare_letter(node.base) and \
            len(node.sub.raw.strip()) == 1 and node.sub.raw.strip().isalnum():
        return f"{bare_letter(node.base)}_{node.sub.raw.strip()}"
    return None


def _is_ellipsis(node: S.Node) -> bool:
    node = unwrap(node)
    return isinstance(node, S.Tok) and node.kind == "ELLIPSIS"


def _error_signal(items, i: int, lex) -> str | None:
    """`δy` for `\\delta y_1` where a definition gives `\\delta y_1 = …` (the error signal of
    y_1, a name of its own); None elsewhere."""
    base, sub, sup, primes = split(items[i])
    if not (isinstance(base, S.Tok) and base.text == r"\delta" and sub is None and sup is None
            and not primes and i + 1 < len(items)):
        return None
    inner = base_key(split(items[i + 1])[0])
    return f"δ{inner}" if inner and f"δ{inner}" in lex.defined else None


def _subscript_condition(node: S.Node) -> S.Compare | None:
    """`z > 0` of `\\mathbf{1}_{z > 0}`: a comparison printed as the subscript, nothing else."""
    if not isinstance(node, S.Atom) or node.sub is None or node.sup is not None or \
            len(node.sub.parts) != 1:
        return None
    part = node.sub.parts[0]
    chain = part.chains[0] if isinstance(part, S.Statement) and len(part.chains) == 1 else part
    if isinstance(chain, S.Chain) and len(chain.exprs) == 2 and len(chain.rels) == 1:
        return S.Compare(chain.pos, "(", chain.exprs[0], chain.rels[0], chain.exprs[1])
    return None


def _argument_list(group: S.Group) -> bool:
    """`(w, b)`, `(\\hat{W^L})`, `(\\theta)`: several items, or one name standing alone (not
    `(1 - o)`), after a defined quantity: what it depends on."""
    if len(group.items) > 1:
        return True
    item = unwrap(group.items[0])
    base, _, sup, _ = split(item)
    if is_paren(base) and sup is not None and sup.raw.strip() in N.TRANSPOSE_MARKS and \
            len(base.items) == 1:                          # C((W^L)^T): a name, transposed
        base = split(unwrap(base.items[0]))[0]
    if isinstance(base, S.Tok) and base.kind == "ELLIPSIS":
        return True                                     # C_0(...): depends on everything
    if isinstance(item, S.Product) and len(item.items) == 2 and \
            base_key(split(item.items[0])[0]) is not None and is_paren(item.items[1]):
        return _argument_list(split(item.items[1])[0])  # f(q(x, y)): f of q, itself of x, y
    return base_key(base) is not None or _scripted_inside(base)[0] is not None


def _is_layer_script(sup: S.Script) -> bool:
    """`[l]`, `(l)`, `(l-1)`: a bracketed layer on a function name."""
    raw = sup.raw.replace(" ", "")
    return not sup.mark and len(raw) > 2 and raw[0] in "([" and raw[-1] in ")]"


def _inline_brace(node: S.Node) -> bool:
    """A brace group whose content is a product of items, with nothing attached to it."""
    if not (isinstance(node, S.Group) and node.kind == "{" and len(node.items) == 1):
        return False
    inner = unwrap(node.items[0])
    return isinstance(inner, (S.Product, S.Atom)) or (
        isinstance(inner, S.Tok) and inner.kind == "CMD")


def _whole_ref(value: A.Expr) -> A.Ref | None:
    """A name written whole, without unit indices: what `(z_2)_{ik}` takes entries of."""
    return value if isinstance(value, A.Ref) and not value.indices and value.sample is None \
        else None


def _scripted_inside(base: S.Node) -> tuple[str | None, object, object, int]:
    """A font command around a scripted name, `\\hat{W^L}`: the decorated name and the scripts."""
    if isinstance(base, S.Font) and (base.cmd in N.DECORATIONS or base.cmd in N.IGNORED_FONTS):
        inner = unwrap(base.arg)
        if isinstance(inner, S.Atom):
            key = base_key(S.Font(base.pos, base.cmd, inner.base, base.raw))
            if key is not None:
                return key, inner.sub, inner.sup, inner.primes
    return None, None, None, 0


def _layer_and_transpose(sup: S.Script) -> tuple[S.Node | None, bool]:
    """A superscript that is a layer with a transpose mark after it: `[l]T`, `(l)\\top`."""
    if sup.mark or len(sup.parts) != 1:
        return None, False
    part = unwrap(sup.parts[0])
    if isinstance(part, S.Atom) and isinstance(part.base, S.Group) and part.sub is None and \
            part.sup is not None and part.sup.raw.replace(" ", "") in N.TRANSPOSE_MARKS:
        return part.base, True                     # W^{[l]^T}: the transpose inside the script
    if isinstance(part, S.Product) and len(part.items) >= 2:
        last = part.items[-1]
        if isinstance(last, S.Tok) and last.text in N.TRANSPOSE_MARKS:
            rest = part.items[:-1]
            return (rest[0] if len(rest) == 1 else S.Product(part.pos, rest)), True
    return part, False


def _one_name_in_parens(node: S.Node) -> tuple[S.Node, ...] | None:
    """The items of `(predicted)`, `(w_5)`: a bracket around one name and nothing else."""
    if not (is_paren(node) and split(node)[1:] == (None, None, 0) and len(node.items) == 1):
        return None
    inner = unwrap(node.items[0])
    items = inner.items if isinstance(inner, S.Product) else (inner,)
    if all(isinstance(i, (S.Tok, S.Atom)) and base_key(split(i)[0]) is not None for i in items):
        return tuple(items)
    return None


def _is_partial(node: S.Node) -> bool:
    base = node.base if isinstance(node, S.Atom) else node
    return isinstance(base, S.Tok) and base.text == r"\partial"


def _is_dotop(node: S.Node, text: str) -> bool:
    return isinstance(node, S.Tok) and node.kind == "DOTOP" and node.text == text


#: Prefix operators by command: each reads its operator and returns the next item index.
PREFIX_OPERATORS = {
    r"\partial": Resolver._read_partial,
    r"\sum": Resolver._read_sum,
    r"\Sigma": Resolver._read_sum,
    r"\nabla": Resolver._read_nabla,
    r"\bigtriangledown": Resolver._read_nabla,
    r"\Delta": Resolver._read_delta,
}
