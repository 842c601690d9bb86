"""Which layer each index lives on, for sources that print families without a layer script
(`o_j = \\varphi(n_j)`, `n_j = \\sum_k w_{kj} o_k`: "a unit of some layer").

The definitions relate the index letters, and this pass finds how by unification: every unit
letter of a formula gets a layer, related to the others by fixed offsets (a weighted union-find).
Offsets come from three sources, in this order of trust:
1. a family's slots: once `w_{kj}` is known to join a unit k of one layer to a unit j of the
   next, every `w_{..}` relates its two letters the same way;
2. feed-forward: in a definition of F, a summed letter indexing a family that is itself
   computed from F (`o_k` in the definition of `n_j`, where `o_j = \\sigma(n_j)`) is a unit of
   the layer before F's;
3. the file's `sets` (`\\sum_{\\ell \\in L}` with L = next, previous, output or input); without
   an entry, the output layer.
A family that is never defined and only ever used on one fixed layer (a target t on the output
layer) lives on that layer only. The result rewrites every reference with an explicit layer
index — a hidden variable `layer(j)` for "the layer of unit j" — so the evaluator and the
instance enumeration treat these files exactly like files with layer scripts.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from symbp.errors import SymbpError
from symbp.notation import ast as A
from symbp.notation import names as N

OUTPUT, INPUT = "#output", "#input"     # the two absolute layers
HERE = "#here"                          # a definition's own layer
SET_MEANINGS = ("next", "previous", "output", "input")


class _Layers:
    """A weighted union-find over letters: layer(a) = layer(find(a)) + offset(a)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.offset: dict[str, int] = {}

    def find(self, a: str) -> tuple[str, int]:
        if a not in self.parent:
            self.parent[a], self.offset[a] = a, 0
            return a, 0
        root, total = a, 0
        while self.parent[root] != root:
            total += self.offset[root]
            root = self.parent[root]
        return root, total

    def union(self, a: str, b: str, d: int) -> bool:
        """layer(a) = layer(b) + d; False when that contradicts what is known."""
        ra, oa = self.find(a)
        rb, ob = self.find(b)
        if ra == rb:
            return oa == ob + d
        if {ra, rb} == {OUTPUT, INPUT}:
            return False
        rank = {OUTPUT: 2, INPUT: 2, HERE: 1}   # the absolute layers, then HERE, stay roots
        if rank.get(ra, 0) >= rank.get(rb, 0):
            self.parent[rb], self.offset[rb] = ra, oa - ob - d
        else:
            self.parent[ra], self.offset[ra] = rb, ob + d - oa
        return True

    def related(self, a: str, b: str) -> int | None:
        ra, oa = self.find(a)
        rb, ob = self.find(b)
        return oa - ob if ra == rb else None


@dataclass
class Solution:
    """The layers of one formula's letters: letter -> (root, offset)."""

    layers: _Layers
    free: list[str]
    families: "Families"
    defaulted: list[str] = field(default_factory=list)

    def layer_of(self, letter: str) -> A.Index | None:
        root, off = self.layers.find(letter)
        if root == OUTPUT:
            return A.Index("L", off, A.Role.LAYER)
        if root == INPUT:
            return A.Index(None, self.families.first + off, A.Role.LAYER)
        if root == HERE:
            return A.Index("layer(@)", off, A.Role.LAYER)
        rep = next((f for f in self.free if self.layers.find(f)[0] == root), None)
        if rep is None:
            return None
        return A.Index(f"layer({rep})", off - self.layers.find(rep)[1], A.Role.LAYER)

    def relayer(self, expr: A.Expr, plain: frozenset = frozenset()) -> A.Expr:
        """`expr` with every reference to an implicit family given its layer index (but
        `plain` names, read as plain variables: h'(a) = 1 - h(a)^2)."""
        return _rewrite(expr, self, plain)


@dataclass
class Families:
    """What unification learned about the families of the file."""

    implicit: set[str]                               # families printed without a layer script
    offsets: dict[str, list[int | None]]              # slot i's layer minus slot 0's
    pinned: dict[str, str] = field(default_factory=dict)   # free family -> OUTPUT | INPUT
    sets: dict[str, str] = field(default_factory=dict)
    first: int = 1
    letters: dict[str, int] = field(default_factory=dict)  # letter -> layer - output layer,
    #                                                        where index letters name layers
    piecewise: set[str] = field(default_factory=set)       # defined apart for some units
    pin_offset: dict[str, int] = field(default_factory=dict)   # pinned: layers from that end
    only: int | None = None                          # every network is one layer, this one

    def ref_layer(self, ref: A.Ref, sol: Solution) -> A.Index | None:
        if ref.layer is not None and ref.layer.var == "L":     # W^{(o)}: printed on the output
            return ref.layer
        if ref.name in self.pinned:
            off = self.pin_offset.get(ref.name, 0)
            return A.Index("L", off, A.Role.LAYER) if self.pinned[ref.name] == OUTPUT \
                else A.Index(None, self.first + off, A.Role.LAYER)
        if not ref.indices:                   # a vector such as \vec{o}: the output layer
            sol.defaulted.append(ref.name)
            return A.Index("L", 0, A.Role.LAYER)
        offs = list(self.offsets.get(ref.name) or [0])   # a lone slot lives on its own layer
        if offs[0] is None:
            offs[0] = 0 if not any(o is not None for o in offs) else None
        for i, idx in enumerate(ref.indices):
            if idx.var is not None and i < len(offs) and offs[i] is not None:
                layer = sol.layer_of(idx.var)
                if layer is not None:
                    return layer.shifted(-offs[i])
        return None


def _letters(ref: A.Ref) -> list[tuple[int, str]]:
    return [(i, idx.var) for i, idx in enumerate(ref.indices) if idx.var is not None
            and idx.offset == 0]


def _refs(expr: A.Expr):
    return [n for n in A.walk(expr) if isinstance(n, A.Ref)]


def _sums(expr: A.Expr):
    return [n for n in A.walk(expr) if isinstance(n, A.Sum)]


def _constrain(fam: Families, uf: _Layers, exprs: list[A.Expr], anchor: str | None,
               deps: dict[str, set[str]] | None, lhs_name: str | None, lhs_letters: set[str],
               defaulted: list[str]) -> None:
    """Add one formula's relations between its letters to `uf`."""
    for expr in exprs:
        for ref in _refs(expr):
            if ref.name not in fam.implicit:
                continue
            if ref.name in fam.pinned:
                offs = fam.offsets.get(ref.name, [])
                for i, u in _letters(ref):
                    slot = offs[i] if i < len(offs) and offs[i] is not None else 0
                    uf.union(u, fam.pinned[ref.name], fam.pin_offset.get(ref.name, 0) + slot)
                continue
            letters = _letters(ref)
            offs = fam.offsets.get(ref.name, [])
            known = [(i, u) for i, u in letters if i < len(offs) and offs[i] is not None]
            for (i, u), (k, v) in zip(known, known[1:]):
                uf.union(v, u, offs[k] - offs[i])
            if ref.layer is not None and ref.layer.var == "L":    # W^{(o)}_{kj}: k on L
                for i, u in known:
                    uf.union(u, OUTPUT, offs[i] + ref.layer.offset)
    if deps is not None and lhs_name is not None:       # feed-forward, for unrelated letters
        for expr in exprs[1:]:
            for ref in _refs(expr):
                if ref.name not in fam.implicit or ref.name in fam.pinned:
                    continue
                if ref.name == lhs_name and lhs_name in fam.piecewise:
                    continue        # δ_j = … Σ_k δ_k w_{jk}: a recursion that runs backwards
                if lhs_name not in _closure(deps, ref.name):
                    continue
                offs = fam.offsets.get(ref.name, [])
                letters = _letters(ref)
                joined = any(v in lhs_letters for _, v in letters)    # x_{ji}: j's and i's
                for i, u in letters:
                    if u in lhs_letters or uf.related(u, HERE) is not None:
                        continue
                    if i < len(offs) and offs[i] is not None:
                        uf.union(u, HERE, offs[i] - 1)
                    elif joined:                  # net_j = Σ_i w_{ji} x_{ji}, x_{ji} = o_i
                        uf.union(u, HERE, -1)
    if deps is not None and lhs_name is not None:
        _forward_sums(fam, uf, exprs[1:], deps, lhs_name, lhs_letters)
    for expr in exprs:
        for s in _sums(expr):
            meaning = None
            if isinstance(s.within, A.Index) and s.within.var is not None:
                meaning = fam.sets.get(s.within.var, "output" if s.within.var == "L" else
                                       N.SET_WORDS.get(s.within.var))
            if meaning is None:
                continue
            if meaning in ("output", "input"):
                uf.union(s.var, OUTPUT if meaning == "output" else INPUT, 0)
                continue
            ref_letter = anchor or next((f for f in free_letters(exprs) if f != s.var), None)
            if ref_letter is not None:
                uf.union(s.var, ref_letter, 1 if meaning == "next" else -1)


def _forward_sums(fam: Families, uf: _Layers, exprs: list[A.Expr], deps: dict[str, set[str]],
                  lhs_name: str, lhs_letters: set[str]) -> None:
    """`h_i = \\sigma(\\sum_k w_{k,i} x_k)`: a summed letter still unplaced that a two-index
    family joins to the definition's own letter, beside a family of that letter alone which
    nothing of this definition's own units feeds (an earlier layer's values), runs over the
    layer before (a unit's weighted input). A backward sum (`\\sum_k w_{kj} \\delta_k`, δ_k
    computed from this layer) is left alone."""
    own = {r.name for e in exprs for r in _refs(e)
           if any(i.var in lhs_letters for i in r.indices)} | {lhs_name}
    for expr in exprs:
        for s in _sums(expr):
            k = s.var
            if uf.related(k, HERE) is not None:
                continue
            refs = _refs(s.body)
            joins = any(len(r.indices) == 2 and k in _vars(r) and _vars(r) & lhs_letters
                        for r in refs)
            alone = [r for r in refs if r.name in fam.implicit and
                     [i.var for i in r.indices] == [k]]
            if joins and alone and all(not (_closure(deps, r.name) | {r.name}) & own
                                       for r in alone):
                uf.union(k, HERE, -1)


def _vars(ref: A.Ref) -> set[str]:
    return {i.var for i in ref.indices if i.var is not None}


def _closure(deps: dict[str, set[str]], name: str) -> set[str]:
    seen, todo = set(), [name]
    while todo:
        n = todo.pop()
        for d in deps.get(n, ()):
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return seen


def free_letters(exprs: list[A.Expr]) -> list[str]:
    """Unit letters used in `exprs` and bound by no sum there, in order of appearance."""
    out: list[str] = []

    def visit(e: A.Expr, bound: frozenset) -> None:
        if isinstance(e, A.Sum):
            visit(e.body, bound | {e.var})
            return
        if isinstance(e, A.Ref):
            for idx in e.indices:
                if idx.var is not None and idx.var not in bound and idx.var not in out:
                    out.append(idx.var)
        if isinstance(e, A.Indicator) and e.rel == "=":      # 1(i = c): the class c
            for side in (e.left, e.right):
                if isinstance(side, A.Ref) and not side.indices and side.layer is None and \
                        len(side.name) == 1 and side.name.islower() and \
                        side.name not in bound and side.name not in out:
                    out.append(side.name)
        for child in A.children(e):
            visit(child, bound)

    for e in exprs:
        visit(e, frozenset())
    return out


def _learn(fam: Families, uf: _Layers, exprs: list[A.Expr]) -> bool:
    changed = False
    for expr in exprs:
        for ref in _refs(expr):
            if ref.name not in fam.implicit or ref.name in fam.pinned:
                continue
            offs = fam.offsets.setdefault(ref.name, [None] * len(ref.indices))
            if len(offs) < len(ref.indices):
                offs.extend([None] * (len(ref.indices) - len(offs)))
            letters = _letters(ref)
            base = next(((i, u) for i, u in letters if offs[i] is not None), None)
            if base is None and letters and letters[0][0] == 0:
                offs[0], base, changed = 0, letters[0], True
            if base is None:
                continue
            for i, u in letters:
                if offs[i] is None:
                    d = uf.related(u, base[1])
                    if d is not None:
                        offs[i] = offs[base[0]] + d
                        changed = True
    return changed


def solve(definitions: list[tuple[A.Ref, A.Expr]], implicit: set[str], defined: set[str],
          sets: dict[str, str], first: int) -> Families:
    """Unify the definitions: slot offsets of every implicit family, and pinned families."""
    fam = Families(implicit, {}, {}, dict(sets), first)
    for name in implicit:
        fam.offsets[name] = []
    counts: dict[str, int] = {}
    for lhs, _ in definitions:
        counts[lhs.name] = counts.get(lhs.name, 0) + 1
    fam.piecewise = {name for name, n in counts.items() if n > 1}
    deps: dict[str, set[str]] = {}
    for lhs, rhs in definitions:
        deps.setdefault(lhs.name, set()).update(r.name for r in _refs(rhs))
    for _ in range(8):
        changed = False
        for lhs, rhs in definitions:
            uf = _Layers()
            letters = {u for _, u in _letters(lhs)}
            for i, u in _letters(lhs):
                offs = fam.offsets.get(lhs.name, [])
                if i < len(offs) and offs[i] is not None:
                    uf.union(u, HERE, offs[i])
                elif i == 0:
                    uf.union(u, HERE, 0)
            _constrain(fam, uf, [lhs, rhs], HERE, deps, lhs.name, letters, [])
            changed |= _learn(fam, uf, [lhs, rhs])
        if not changed:
            break
    _pin(fam, definitions, deps, defined)
    if _letters_name_layers(definitions):
        fam.letters = _letter_layers(fam, definitions, deps)
    return fam


def _letters_name_layers(definitions: list[tuple[A.Ref, A.Expr]]) -> bool:
    """A family defined twice in general form with different index letters (`\\delta_k = …`
    for the output units, `\\delta_j = …` for the hidden ones): the source's index letters
    name layers (k the output layer, j the one before, …), as many texts print them."""
    return any(len(v) > 1 for v in _defining_letters(definitions).values())


def _defining_letters(definitions) -> dict[str, set[str]]:
    """Each family's first index letters across its general definitions (`δ_k`, `δ_j`)."""
    seen: dict[str, set[str]] = {}
    for lhs, _ in definitions:
        if lhs.indices and lhs.indices[0].var is not None:
            seen.setdefault(lhs.name, set()).add(lhs.indices[0].var)
    return seen


def _letter_layers(fam: "Families", definitions, deps) -> dict[str, int]:
    """Each index letter's layer relative to the output layer, unifying the letters of all
    definitions at once (a letter is the same layer everywhere)."""
    world = _Layers()
    for lhs, rhs in definitions:
        sol = solve_formula(fam, [lhs, rhs], lhs=lhs, deps=deps)
        own = next((u for _, u in _letters(lhs)), None)
        for letter in free_letters([lhs, rhs]) + [s.var for s in _sums(rhs)]:
            root, off = sol.layers.find(letter)
            if root == OUTPUT:
                world.union(letter, OUTPUT, off)
            elif own is not None and letter != own:
                d = sol.layers.related(letter, own)
                if d is not None:
                    world.union(letter, own, d)
    out = {}
    for letter in list(world.parent):
        root, off = world.find(letter)
        if root == OUTPUT and letter not in (OUTPUT, INPUT, HERE):
            out[letter] = off
    for letters in _defining_letters(definitions).values():
        placed = [out[u] for u in letters if u in out]      # y_k = u_k on the outputs beside
        if len(letters) == 2 and len(placed) == 1:          # y_j = f(u_j): j is the layer
            (u,) = letters - out.keys()                     # before them
            out[u] = placed[0] - 1
    return out


def _pin(fam: Families, definitions, deps, defined: set[str]) -> None:
    """A family that is never defined and used on one absolute layer only lives there."""
    places: dict[str, set[str]] = {}
    whole = _output_vectors(definitions, defined)
    for lhs, rhs in definitions:
        if lhs.name.startswith("Δ"):              # a claim's step Δw_i, paired with w_i
            continue
        uf = _Layers()
        letters = {u for _, u in _letters(lhs)}
        for i, u in _letters(lhs):
            uf.union(u, HERE, (fam.offsets.get(lhs.name) or [0])[i] or 0)
        _constrain(fam, uf, [lhs, rhs], HERE, deps, lhs.name, letters, [])
        _sums_on_output(fam, uf, [rhs], lambda u: uf.find(u)[0] in (OUTPUT, INPUT, HERE))
        for ref in _refs(rhs):
            if ref.name in defined or ref.name not in fam.implicit:
                continue
            if not ref.indices:                  # a vector such as \vec{t}: the output layer
                places.setdefault(ref.name, set()).add(OUTPUT)
                continue
            roots = {uf.find(u)[0] if uf.find(u)[1] == 0 else "?" for _, u in _letters(ref)}
            if lhs.name in whole:                 # e_i = y_i - d_i, with E = ½ e^2: d there
                roots = {OUTPUT if r == HERE else r for r in roots}
            places.setdefault(ref.name, set()).update(
                r if r in (OUTPUT, INPUT) else "?" for r in roots)
    for name, where in places.items():
        if len(where) == 1 and next(iter(where)) in (OUTPUT, INPUT):
            fam.pinned[name] = next(iter(where))
    _pin_outputs(fam, definitions, deps, places)
    for lhs, rhs in definitions:                  # Δw lives where w does
        if lhs.name.startswith("Δ") and isinstance(rhs, A.Ref) and rhs.name in fam.pinned:
            fam.pinned[lhs.name] = fam.pinned[rhs.name]
            if rhs.name in fam.pin_offset:
                fam.pin_offset[lhs.name] = fam.pin_offset[rhs.name]


def _output_vectors(definitions, defined: set[str]) -> set[str]:
    """Families defined unit by unit that a scalar's definition reads only whole (`e` in
    `E = \\frac{1}{2} e^2` beside `e_i = y_i - d_i`): the cost's vector, on the output layer."""
    whole, indexed = set(), set()
    for lhs, rhs in definitions:
        for ref in _refs(rhs):
            if ref.name not in defined or ref.name == lhs.name:
                continue
            if ref.indices or lhs.indices:
                indexed.add(ref.name)
            else:
                whole.add(ref.name)
    own = {lhs.name for lhs, _ in definitions if lhs.indices}
    return (whole - indexed) & own


def _pin_outputs(fam: Families, definitions, deps: dict[str, set[str]], places) -> None:
    """Output families of a network printed unit by unit (`y_j = \\sigma(u_j)`, then
    `e_1 = y_1 - t_1`, `L = e_1^2 + e_2^2`): the family that feeds only the cost and single
    units, what single units compute from it alone (e_1), and the free families printed
    beside it (the targets t_1)."""
    outputs = _outputs(fam, definitions, deps)
    changed = True
    while changed:
        changed = False
        for lhs, rhs in definitions:
            concrete = [r for r in _refs(rhs) if r.name in fam.implicit and r.indices and
                        not _letters(r)]
            if not any(r.name in outputs for r in concrete):
                continue
            beside = {r.name for r in concrete if r.name not in outputs and (
                r.name in fam.pinned or places.get(r.name, set()) <= {OUTPUT})}
            if lhs.indices and not _letters(lhs) and lhs.name in fam.implicit and \
                    lhs.name not in outputs:
                beside.add(lhs.name)
            for name in beside - set(fam.pinned):
                outputs.add(name)
                changed = True
    for name in outputs:
        fam.pinned.setdefault(name, OUTPUT)
    if outputs:
        _pin_backwards(fam, definitions, deps)


def _pin_backwards(fam: Families, definitions, deps: dict[str, set[str]]) -> None:
    """From the pinned output families back through the definitions: a family a pinned
    definition computes from, at a letter the definition places, is pinned there too (h one
    layer below y where `u_j = \\sum_i v_{i,j} h_i`), so that concrete units of a network
    printed unit by unit (`h_1`, `v_{2,1}`) have a layer."""
    for _ in range(8):
        changed = False
        for lhs, rhs in definitions:
            if fam.pinned.get(lhs.name) != OUTPUT or not _letters(lhs):
                continue
            uf = _Layers()
            offs = fam.offsets.get(lhs.name) or [0]
            for i, u in _letters(lhs):
                slot = offs[i] if i < len(offs) and offs[i] is not None else 0
                uf.union(u, OUTPUT, fam.pin_offset.get(lhs.name, 0) + slot)
            letters = {u for _, u in _letters(lhs)}
            _constrain(fam, uf, [lhs, rhs], None, deps, lhs.name, letters, [])
            for ref in _refs(rhs):
                if ref.name not in fam.implicit or ref.name in fam.pinned or \
                        ref.name in _closure(deps, ref.name):   # a_j = Σ W z, z = h(a): every layer
                    continue
                roffs = fam.offsets.get(ref.name) or [0]
                for i, u in _letters(ref):
                    root, off = uf.find(u)
                    if root == OUTPUT and i < len(roffs) and roffs[i] is not None:
                        fam.pinned[ref.name] = OUTPUT
                        fam.pin_offset[ref.name] = off - roffs[i]
                        changed = True
                        break
        if not changed:
            return


def _outputs(fam: Families, definitions, deps: dict[str, set[str]]) -> set[str]:
    """`y_j = \\sigma(u_j)` read by the cost `L = (y_1 - t_1)^2 + (y_2 - t_2)^2`, and otherwise
    only at the user's own units (`g_j = \\hat{y}_j (1 - \\hat{y}_j)(y_j - \\hat{y}_j)`, never
    summed into another unit as a layer's input is): the network's output family."""
    defined = {lhs.name for lhs, _ in definitions}
    read_by_scalar: set[str] = set()
    passed_on: set[str] = set()               # read at a letter of another unit: an input
    for lhs, rhs in definitions:
        own = {u for _, u in _letters(lhs)}
        for r in _refs(rhs):
            if r.name not in fam.implicit or r.name == lhs.name or not r.indices:
                continue
            if not own:
                read_by_scalar.add(r.name)
            elif any(u not in own for _, u in _letters(r)) or not _letters(r):
                passed_on.add(r.name)
    return {name for name in (read_by_scalar & defined) - passed_on
            if name not in _closure(deps, name)}


def solve_formula(fam: Families, exprs: list[A.Expr], *, lhs: A.Ref | None = None,
                  deps: dict[str, set[str]] | None = None) -> Solution:
    """The layers of one formula's letters (a definition when `lhs` is given)."""
    uf = _Layers()
    free = free_letters(exprs)
    pinned = lhs is None or lhs.name in fam.piecewise   # a claim, or δ_k = … beside δ_j = …
    for letter, off in fam.letters.items() if pinned else ():   # letters that name layers
        if letter in free or any(letter in (i.var for i in r.indices) for e in exprs
                                 for r in _refs(e)):
            uf.union(letter, OUTPUT, off)
    anchor = None
    letters: set[str] = set()
    if lhs is not None:
        anchor = HERE
        letters = {u for _, u in _letters(lhs)}
        offs = fam.offsets.get(lhs.name, [])
        for i, u in _letters(lhs):
            uf.union(u, HERE, offs[i] if i < len(offs) and offs[i] is not None else 0)
        free = [f for f in free if f not in letters]
    _constrain(fam, uf, exprs, anchor, deps, lhs.name if lhs is not None else None, letters, [])
    sol = Solution(uf, free, fam)
    sol.defaulted.extend(_sums_on_output(fam, uf, exprs, lambda u: sol.layer_of(u) is not None))
    return sol


def _sums_on_output(fam: Families, uf: _Layers, exprs: list[A.Expr], placed) -> list[str]:
    """A summed letter tied to no layer (`placed` says which are) that indexes an implicit
    family runs over the output layer; the letters so placed."""
    out = []
    for expr in exprs:
        for s in _sums(expr):
            if not placed(s.var) and any(s.var in (i.var for i in r.indices)
                                         for r in _refs(s.body) if r.name in fam.implicit):
                uf.union(s.var, OUTPUT, 0)
                out.append(s.var)
    return out


def _rewrite(expr: A.Expr, sol: Solution, plain: frozenset = frozenset()) -> A.Expr:
    if isinstance(expr, A.Ref):
        if expr.name in sol.families.implicit and expr.layer is None and not (
                expr.name in plain and not expr.indices):
            layer = sol.families.ref_layer(expr, sol)
            if layer is None and sol.families.only is not None:
                layer = A.Index(None, sol.families.only, A.Role.LAYER)
            if layer is None:
                raise SymbpError(f"cannot tell which layer {expr.name} is on here: index it "
                                 "with a letter that the definitions relate to a layer",
                                 column=expr.pos + 1)
            return replace(expr, layer=layer)
        return expr
    changes = {}
    for name, value in expr.__dict__.items():
        if isinstance(value, A.Expr):
            changes[name] = _rewrite(value, sol, plain)
        elif isinstance(value, tuple) and any(isinstance(v, A.Expr) for v in value):
            changes[name] = tuple(_rewrite(v, sol, plain) if isinstance(v, A.Expr) else v
                                  for v in value)
    if isinstance(expr, A.Sum) and expr.within is not None:
        changes["within"] = None           # the set is a constraint on the letter's layer now
    return replace(expr, **changes) if changes else expr
