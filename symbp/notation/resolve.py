"""The resolve pass: one formula's syntax tree -> meaning (`symbp.notation.ast`), in the
context of the file's `Lexicon` (what `net_j`, `\\sigma(z)`, `^2` mean there).

Every place a name occurs (a factor, a derivative's denominator, `\\partial_v`, `\\nabla_v`, a
slash form) reads it through one `read_name`, so a multi-letter name means the same everywhere.
Where a form could be read two ways, the reading taken is recorded in `Resolver.readings`.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symbp.errors import SymbpError
from symbp.notation import ast as A
from symbp.notation import names as N
from symbp.notation import syntax as S
from symbp.notation.lexicon import Lexicon, label_key
from symbp.notation.shapes import (bare_letter, base_key, is_paren, items_of, split, unwrap,
                                   word_at)

RELATIONS = {"=": "=", r"\approx": "≈"}


class ResolveError(SymbpError):
    """A formula that parses but means nothing symbp knows; `column` locates it."""


def _err(message: str, node: S.Node | int) -> ResolveError:
    pos = node if isinstance(node, int) else node.pos
    return ResolveError(message, column=pos + 1)


# -- one formula ----------------------------------------------------------------------------------
class Resolver:
    """Turns syntax nodes into `ast` nodes using a `Lexicon`."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex

    # statements
    def relations(self, stmt: S.Statement) -> list[list[A.Relation]]:
        """Each chain of the statement as its list of links `A = B`, `B = C`."""
        chains = []
        for chain in stmt.chains:
            if not chain.rels:
                raise _err("a claim must be an equation (no '=' found)", chain)
            exprs = [self.expr(e) for e in chain.exprs]
            links = []
            for i, rel in enumerate(chain.rels):
                if rel not in RELATIONS:
                    raise _err(f"relation {rel!r} cannot be checked; use '=' or '\\approx'",
                               chain.exprs[i + 1].pos)
                links.append(A.Relation(exprs[i], exprs[i + 1], RELATIONS[rel],
                                        chain.exprs[i + 1].pos))
            chains.append(links)
        return chains

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
        for sign, term in node.terms:
            value = self.expr(term)
            terms.append(A.Neg(term.pos, value) if sign == "-" else value)
        return terms[0] if len(terms) == 1 else A.Add(node.pos, tuple(terms))

    def _HChain(self, node: S.HChain) -> A.Expr:
        value = self.expr(node.operands[0])
        for op, operand in zip(node.ops, node.operands[1:]):
            right = self.expr(operand)
            cls = A.Outer if op == r"\otimes" else A.Hadamard
            value = cls(operand.pos, value, right)
        return value

    def _Product(self, node: S.Product) -> A.Expr:
        return self._build(self._pieces(node.items), node.pos)

    def _Atom(self, node: S.Atom) -> A.Expr:
        return self._build(self._pieces((node,)), node.pos)

    def _Tok(self, node: S.Tok) -> A.Expr:
        return self._build(self._pieces((node,)), node.pos)

    _Font = _Tok
    _Frac = _Tok
    _Sqrt = _Tok

    def _Group(self, node: S.Group) -> A.Expr:
        return self._build(self._pieces((node,)), node.pos)

    # -- a product: pieces, then operators with their scopes -----------------------------------
    def _pieces(self, items: tuple[S.Node, ...]) -> list[tuple]:
        """Items -> pieces: ("f", expr) factors, ("dot", op), and prefix operators."""
        pieces: list[tuple] = []
        i = 0
        while i < len(items):
            item = items[i]
            word = word_at(items, i, self.lex.words)
            if word:
                key, last, nxt = word
                _, sub, sup, primes = split(last)
                i = nxt
                i = self._named(pieces, key, sub, sup, primes, items, i, last.pos)
                continue
            base, sub, sup, primes = split(item)
            if isinstance(base, S.Tok) and base.kind == "DOTOP":
                pieces.append(("dot", base.text, base.pos))
                i += 1
                continue
            if isinstance(base, S.Tok) and base.text == r"\Delta" and sub is None and sup is None \
                    and i + 1 < len(items) and base_key(split(items[i + 1])[0]):
                nb, nsub, nsup, nprimes = split(items[i + 1])
                i = self._named(pieces, "Δ" + base_key(nb), nsub, nsup, nprimes, items, i + 2,
                                base.pos)
                continue
            if isinstance(base, S.Tok) and base.text == r"\partial":
                i = self._partial(pieces, items, i, sub, sup)
                continue
            if isinstance(base, S.Tok) and base.text == r"\sum":
                pieces.append(("sum", self._sum_binding(sub, sup, base), base.pos))
                i += 1
                continue
            if isinstance(base, S.Tok) and base.text == r"\nabla":
                if sub is None:
                    raise _err("\\nabla needs a subscript: \\nabla_a C", base)
                pieces.append(("nabla", self._wrt(sub, vector=True), base.pos))
                i += 1
                continue
            key = base_key(base)
            if key is not None:
                i = self._named(pieces, key, sub, sup, primes, items, i + 1, base.pos)
                continue
            value = self._primary(base)
            pieces.append(("f", self._scripted(value, sub, sup, primes, base), base.pos))
            i += 1
        return pieces

    def _named(self, pieces, key, sub, sup, primes, items, i, pos) -> int:
        """A name at items[i-1]: a function call, an operator such as \\ln, or a reference."""
        lex = self.lex
        fname = N.BUILTIN_FUNCTIONS.get(key)
        if key == "e" and "e" not in lex.defined and sup is not None and sub is None:
            exponent = self._script_expr(sup)
            pieces.append(("f", A.Call(pos, "exp", exponent), pos))
            return i
        if fname is None and key in lex.functions and sub is None:
            fname = key
        sup_raw = sup.raw.replace(" ", "") if sup is not None else None
        if fname is not None and sup_raw in N.PRIME_MARKS:
            primes, sup = primes + 1, None
        if fname is not None and sub is None and sup is None:
            if i < len(items) and is_paren(items[i]):
                gbase, gsub, gsup, gprimes = split(items[i])
                arg = self._group_value(gbase)
                call = A.Call(pos, fname, arg, primes)
                pieces.append(("f", self._scripted(call, gsub, gsup, gprimes, gbase), pos))
                return i + 1
            pieces.append(("func", (fname, primes), pos))
            return i
        if primes:
            raise _err(f"a prime on {key}, which is not a function", pos)
        if fname is not None and (sub is not None or sup is not None):
            if sup is not None and key in N.BUILTIN_FUNCTIONS:
                raise _err(f"a superscript on {key} is not supported; use parentheses", pos)
        pieces.append(("f", self._reference(key, sub, sup, pos), pos))
        return i

    def _reference(self, key: str, sub, sup, pos) -> A.Expr:
        key = label_key(key, sub)
        if sub is not None and N.is_label(sub.raw):
            sub = None
        layer = None
        post = None
        if sup is not None:
            raw = sup.raw.replace(" ", "")
            if sup.mark:
                key = f"{key}^{sup.mark}"
            elif raw in N.TRANSPOSE_MARKS:
                post = "T"
            elif key in self.lex.layered:
                layer = self.level(sup)
            else:
                post = "pow"
        indices = self.indices(sub) if sub is not None else ()
        if key == "1" and not indices:
            ref: A.Expr = A.Ones(pos)
        else:
            ref = A.Ref(pos, key, layer, indices)
        if post == "T":
            return A.Transpose(pos, ref)
        if post == "pow":
            return A.Pow(pos, ref, self._script_expr(sup))
        return ref

    def _scripted(self, value: A.Expr, sub, sup, primes, node) -> A.Expr:
        """Scripts on a non-name: `(W)^T`, `(y-a)^2`, `\\|x\\|^2`."""
        if primes:
            raise _err("a prime here is not on a function", node)
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
            if base.kind == "CMD":
                raise _err(f"{base.text} is not supported here", base)
            raise _err(f"unexpected {base.text!r}", base)
        if isinstance(base, S.Group):
            return self._group_value(base)
        if isinstance(base, S.Frac):
            return self._frac(base)
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

    def _frac(self, node: S.Frac) -> A.Expr:
        den = items_of(node.den)
        num = items_of(node.num)
        if den and isinstance(den[0], (S.Tok, S.Atom)) and _is_partial(den[0]):
            if len(den) != 2:
                raise _err("expected \\partial followed by one name in the denominator", node.den)
            wrt = self._wrt_node(den[1])
            if not (num and _is_partial(num[0])):
                raise _err("a denominator \\partial v needs \\partial in the numerator", node.num)
            if isinstance(num[0], S.Atom):
                raise _err("higher or scripted derivatives are not supported", num[0])
            if len(num) == 1:
                return _Operator(node.pos, "dfrac", wrt)
            body = self._build(self._pieces(tuple(num[1:])), num[1].pos)
            return A.Deriv(node.pos, body, wrt)
        if num and _is_partial(num[0]):
            raise _err("\\partial in a numerator needs \\partial v in the denominator", node.num)
        return A.Div(node.pos, self.expr(node.num), self.expr(node.den))

    def _partial(self, pieces, items, i, sub, sup) -> int:
        node = items[i]
        if sup is not None:
            raise _err("higher derivatives are not supported", node)
        if sub is not None:                       # ∂_v X: applies to the rest of the run
            pieces.append(("drun", self._wrt(sub), node.pos))
            return i + 1
        rest = items[i + 1:]
        # ∂ / ∂ v X  and  ∂ X / ∂ v
        if len(rest) >= 3 and _is_dotop(rest[0], "/") and _is_partial(rest[1]):
            pieces.append(("drun", self._wrt_node(rest[2]), node.pos))
            return i + 4
        if len(rest) >= 4 and _is_dotop(rest[1], "/") and _is_partial(rest[2]):
            body = self._build(self._pieces((rest[0],)), rest[0].pos)
            pieces.append(("f", A.Deriv(node.pos, body, self._wrt_node(rest[3])), node.pos))
            return i + 5
        raise _err("cannot read this \\partial: write \\frac{\\partial C}{\\partial v}, "
                   "\\partial_v C or \\partial C / \\partial v", node)

    def _wrt(self, script: S.Script, vector: bool = False) -> A.Ref:
        if len(script.parts) != 1:
            raise _err("expected one variable to differentiate by", script.pos)
        return self._wrt_node(unwrap(script.parts[0]))

    def _wrt_node(self, node: S.Node) -> A.Ref:
        value = self.expr(node)
        if isinstance(value, A.Ref):
            return value
        raise _err("can only differentiate with respect to a name such as w^l_{jk}", node)

    def _sum_binding(self, sub, sup, node) -> tuple:
        if sub is None:
            raise _err("\\sum needs a subscript naming its index", node)
        lo = within = None
        names: list[str] = []
        parts = [unwrap(p) for p in sub.parts]
        for part in parts:
            if isinstance(part, S.Chain) and len(part.exprs) == 2 and part.rels[0] == "=":
                names.append(self._index_var(part.exprs[0]))
                lo = self.expr(part.exprs[1])
            elif isinstance(part, S.Chain) and len(part.exprs) == 2 and part.rels[0] == r"\in":
                names.append(self._index_var(part.exprs[0]))
                within = self.level_node(unwrap(part.exprs[1]), A.Role.LAYER)
            else:
                names.extend(self._index_var(p) for p in items_of(part))
        hi = self._script_expr(sup) if sup is not None else None
        if (lo is None) != (hi is None):
            raise _err("a sum needs both bounds or none", node)
        return names, lo, hi, within

    def _index_var(self, node: S.Node) -> str:
        node = unwrap(node)
        if isinstance(node, S.Tok):
            key = base_key(node)
            if key and len(key) == 1:
                return key
        raise _err("a sum index must be one letter", node)

    def _build(self, pieces: list[tuple], pos: int) -> A.Expr:
        factors: list[A.Expr] = []
        i = 0
        while i < len(pieces):
            kind, payload, ppos = pieces[i]
            if kind == "dot":
                if payload == "/":
                    if not factors:
                        raise _err("'/' needs something to divide", ppos)
                    if i + 1 >= len(pieces):
                        raise _err("'/' needs a divisor", ppos)
                    divisor, i = self._take(pieces, i + 1)
                    factors[-1] = A.Div(ppos, factors[-1], divisor)
                    continue
                if not factors or i + 1 >= len(pieces):
                    raise _err(f"{payload} needs two operands", ppos)
                i += 1
                continue
            value, i = self._take(pieces, i)
            factors.append(value)
        if not factors:
            raise _err("missing operand", pos)
        if len(factors) == 1:
            return factors[0]
        return A.Mul(pos, tuple(factors))

    def _take(self, pieces, i) -> tuple[A.Expr, int]:
        """One factor starting at pieces[i], with the operand(s) of prefix operators."""
        kind, payload, ppos = pieces[i]
        if kind == "f":
            value = payload
            if isinstance(value, _Operator):
                kind, payload = value.kind, value.wrt
            else:
                return value, i + 1
        if kind == "sum":
            names, lo, hi, within = payload
            if i + 1 >= len(pieces):
                raise _err("\\sum needs something to sum", ppos)
            body = self._build(pieces[i + 1:], pieces[i + 1][2])
            for name in reversed(names):
                body = A.Sum(ppos, name, lo, hi, within, body)
            return body, len(pieces)
        if kind == "drun":
            j = i + 1
            while j < len(pieces) and pieces[j][0] != "dot":
                j += 1
            if j == i + 1:
                raise _err("nothing to differentiate after this \\partial", ppos)
            return A.Deriv(ppos, self._build(pieces[i + 1:j], pieces[i + 1][2]), payload), j
        if kind in ("dfrac", "nabla", "func"):
            if i + 1 >= len(pieces) or pieces[i + 1][0] == "dot":
                raise _err("this operator needs an operand after it", ppos)
            operand, j = self._take(pieces, i + 1)
            if kind == "func":
                fname, order = payload
                return A.Call(ppos, fname, operand, order), j
            return A.Deriv(ppos, operand, payload), j
        raise _err("unexpected operator", ppos)

    # -- indices and layers --------------------------------------------------------------------
    def indices(self, sub: S.Script) -> tuple[A.Index, ...]:
        """A subscript of unit indices: `jk`, `12`, `j,k`, `\\ell j`, `k+1` -> Levels."""
        parts = [unwrap(p) for p in sub.parts]
        if sub.mark:
            raise _err("unexpected mark in a subscript", sub.pos)
        if len(parts) > 1:
            return tuple(self.level_node(p) for p in parts)
        part = parts[0]
        if isinstance(part, S.Tok) and part.kind == "NUMBER" and "." not in part.text:
            return tuple(A.Index(None, int(c)) for c in part.text)
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
        if script.mark or len(script.parts) != 1:
            raise _err("cannot read this superscript as a layer", script.pos)
        return self.level_node(unwrap(script.parts[0]), A.Role.LAYER)

    def level_node(self, node: S.Node, role: A.Role = A.Role.UNIT) -> A.Index:
        """`l`, `3`, `L`, `l-1`, `(l)`, `[l]`, `\\ell` -> Index."""
        node = unwrap(node)
        if isinstance(node, S.Group) and node.kind in "([" and len(node.items) == 1:
            return self.level_node(node.items[0], role)
        if isinstance(node, S.Tok):
            if node.kind in ("DIGIT", "NUMBER") and node.text.isdigit():
                return A.Index(None, int(node.text), role)
            key = base_key(node)
            if key and len(key) == 1:
                return A.Index(key, 0, role)
        if isinstance(node, S.Signed) and len(node.terms) == 2 and node.terms[0][0] == "+":
            head = self.level_node(node.terms[0][1], role)
            tail = unwrap(node.terms[1][1])
            if head.var is not None and isinstance(tail, S.Tok) and tail.text.isdigit():
                sign = 1 if node.terms[1][0] == "+" else -1
                return A.Index(head.var, head.offset + sign * int(tail.text), role)
        raise _err("expected an index: a letter, a number, or a letter plus or minus a number",
                   node)


@dataclass(frozen=True)
class _Operator(A.Expr):
    """`\\frac{\\partial}{\\partial v}` before its operand is known."""

    kind: str
    wrt: A.Ref


def _is_partial(node: S.Node) -> bool:
    base = node.base if isinstance(node, S.Atom) else node
    return isinstance(base, S.Tok) and base.text == r"\partial"


def _is_dotop(node: S.Node, text: str) -> bool:
    return isinstance(node, S.Tok) and node.kind == "DOTOP" and node.text == text
