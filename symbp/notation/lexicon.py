"""The lexicon pass: facts about the names of a whole derivation file, gathered from every
formula before any is resolved (which runs of letters are words, which families are defined,
carry layers, or are functions)."""
from __future__ import annotations

import re

from dataclasses import dataclass, field

from symbp.notation import names as N
from symbp.notation import syntax as S
from symbp.notation.samples import layer_part, printed_samples
from symbp.notation.shapes import (bare_letter, base_key, is_paren, item_runs, items_of,
                                   nested_label, split, unwrap, walk_syntax, word_at)


@dataclass
class Lexicon:
    """What the whole file says about names, gathered before any formula is resolved."""

    has_layers: bool = False
    words: set[str] = field(default_factory=set)          # multi-letter names: net, out
    defined: set[str] = field(default_factory=set)        # families with a definition
    layered: set[str] = field(default_factory=set)        # families with a layer superscript
    functions: set[str] = field(default_factory=set)      # generic and defined functions
    defined_functions: set[str] = field(default_factory=set)
    layer_vars: set[str] = field(default_factory=lambda: {"L"})
    samples: frozenset[str] = frozenset()                 # letters printed to count examples
    sup_labels: frozenset[str] = frozenset()              # (o) in W^{(o)}: a label, no layer
    indexed: set[str] = field(default_factory=set)        # families defined with unit indices
    unit_functions: set[str] = field(default_factory=set)  # g in g_j(z_j): one per unit
    implicit_words: set[str] = field(default_factory=set)  # runs read as names though no
    #                                                       definition introduces them: net_k
    in_definitions: set[str] = field(default_factory=set)  # every name the definitions print
    matrices: set[str] = field(default_factory=set)       # families the definitions index twice
    name_labels: set[tuple[str, str]] = field(default_factory=set)  # E_n: n names, not indexes


def lhs_name(node: S.Node, lex: Lexicon) -> tuple[str, S.Node] | None:
    """The key a definition's left side introduces, and the scripted node that carries it."""
    items = [it for it in items_of(node)]
    if items and is_paren(items[-1]) and len(items) > 1:
        items = items[:-1]
    if len(items) > 1 and all(bare_letter(split(it)[0]) for it in items[:-1]) and \
            _letters_or_code(split(items[-1])[0]):
        word = "".join(bare_letter(split(it)[0]) or split(it)[0].text for it in items)
        last = items[-1]
        if all(split(it)[1:] == (None, None, 0) for it in items[:-1]):
            return word, last
    if len(items) == 2 and isinstance(items[0], S.Tok) and items[0].text in (r"\Delta", r"\delta"):
        inner = base_key(split(items[1])[0])
        if inner:                               # \Delta w: the step; \delta y_1: y_1's signal
            mark = "Δ" if items[0].text == r"\Delta" else "δ"
            return f"{mark}{inner}", items[1]
    if len(items) == 1:
        base, _, _, primes = split(items[0])
        key = base_key(base)
        if key and primes and not (len(items_of(node)) > 1):
            return primed(key, primes), items[0]       # {y}' = \sigma(net_2): the name y′
        if key:
            return key, items[0]
    return None


def _letters_or_code(node: S.Node) -> bool:
    """A letter, or a code name of letters and digits (`d21` ending `pred21`)."""
    return bare_letter(node) is not None or (isinstance(node, S.Tok) and node.kind == "NAME")


def primed(key: str, primes: int) -> str:
    """The key of a name printed with primes that is not a derivative: y′ (the output y')."""
    return key + "\u2032" * primes


def label_key(key: str, sub: S.Script | None, lex: Lexicon | None = None) -> str:
    """The key of a name whose subscript is part of it (`E_{total}`, `out_{h1}`, and `E_n` when
    the file's definition of E_n never uses n); otherwise `key` itself."""
    nested = nested_label(sub)
    if nested is not None:
        return f"{key}_{{{nested[0]}}}"
    label = N.label_text(sub.raw) if sub is not None else None
    if label is not None and lex is not None and key in lex.matrices & lex.layered and \
            re.fullmatch(r"[a-z][0-9]", label):
        return key                     # w_{j1} of a family the definitions index w_{jk}
    if label is None and sub is not None and lex is not None and \
            (key, _raw(sub)) in lex.name_labels:
        label = _raw(sub)
    if label is not None:
        return f"{key}_{{{label}}}"
    return key


def _layer_like(sup: S.Script, samples: frozenset = frozenset()) -> bool:
    raw = layer_text(sup, samples)
    if sup.mark or raw in N.TRANSPOSE_MARKS or raw in N.PRIME_MARKS:
        return False
    return bool(raw) and raw[0].isalpha() and all(c.isalnum() or c in "+-" for c in raw)


def layer_text(sup: S.Script, samples: frozenset = frozenset()) -> str:
    """A superscript's text without brackets, a trailing transpose and an example:
    `[l]T` -> `l`, `x,l` -> `l` where x counts examples, `(i)` -> `` there."""
    raw = layer_part(sup.raw, samples)
    raw = re.sub(r"([)\]])\^\{?(T|\\top|\\intercal)\}?$", r"\1\2", raw)   # [l]^T: [l]T
    for mark in sorted(N.TRANSPOSE_MARKS, key=len, reverse=True):
        if raw.endswith(mark) and len(raw) > len(mark) and raw[:-len(mark)][-1:] in ")]":
            raw = raw[:-len(mark)]
            break
    raw = raw.strip("()[]").replace(r"\ell", "ℓ")
    return raw.split(",")[0] if "," in raw else raw     # w^{l-1,l}: both layers, first sending


def build_lexicon(defines: list[S.Statement], others: list[S.Statement], *,
                  has_layers: bool, value_keys: list[S.Statement] = ()) -> Lexicon:
    """Gather names, layered families and functions from every formula of a file."""
    lex = Lexicon(has_layers=has_layers)
    lex.samples = frozenset(printed_samples(list(defines) + list(others)))
    lex.sup_labels = frozenset(_superscript_labels(list(defines) + list(others)))
    samples = lex.samples | lex.sup_labels
    scripted_defs: dict[str, set[bool]] = {}
    def_scripts: dict[str, set[bool]] = {}  # per defined family: is a superscript printed?
    defined_letters: set[str] = set()     # layer letters of the defined families: r in z^{x,r}
    for stmt in list(defines) + list(value_keys):
        if len(stmt.chains) != 1 or len(stmt.chains[0].exprs) < 1:
            continue
        found = lhs_name(stmt.chains[0].exprs[0], lex)
        if found:
            key, node = found
            if len(key) > 1 and key.isalnum() and key[0].isalpha() and not key[1:].isdigit():
                lex.words.add(key)                       # net, out, pred21; not W2
    _implicit_words(lex, list(defines) + list(others), defines)
    example_args = _example_arguments(defines, lex)
    for stmt in defines:
        chain = stmt.chains[0] if stmt.chains else None
        if chain is None or len(chain.exprs) != 2:
            continue
        lhs = chain.exprs[0]
        found = lhs_name(lhs, lex)
        if not found:
            continue
        key, node = found
        _, sub, sup, _ = split(node)
        items = items_of(lhs)
        applied = len(items) > 1 and is_paren(items[-1]) and \
            _uses_args(items[-1], chain.exprs[1])
        unused = _unused_subscript(sub, chain.exprs[1])
        if applied and unused and len(_raw(sub)) == 1 and _raw(sub).islower():
            lex.functions.add(key)          # \phi_j(v) = …: the activation of every unit j
            lex.defined_functions.add(key)
            continue
        if unused:
            lex.name_labels.add((key, _raw(sub)))
        key, plain = label_key(key, sub, lex), key
        if applied and (sub is None or N.is_label(sub.raw) or key != plain) and \
                not _indexed_arguments(items[-1], chain.exprs[1]) and \
                not (sub is None and _argument(items[-1]) in example_args and
                     _only_as_argument(_argument(items[-1]), chain.exprs[1])):   # y_i(n), and
            lex.functions.add(key)                                        # E(n) beside it:
            lex.defined_functions.add(key)                                # example n
            continue
        lex.defined.add(key)
        if sub is not None:
            lex.indexed.add(key)
        def_scripts.setdefault(key, set()).add(
            sub is None or (sup is not None and bool(layer_text(sup, samples))))
        if sup is not None and not sup.mark and superscript_word(sup) not in lex.sup_labels \
                and sup.raw.replace(" ", "") not in N.TRANSPOSE_MARKS:
            if has_layers and layer_text(sup, samples):
                lex.layered.add(key)
                if layer_text(sup, samples)[0].isalpha():
                    defined_letters.add(layer_text(sup, samples)[0])
            elif _layer_like(sup, samples) or layer_text(sup, samples).isdigit():
                scripted_defs.setdefault(key, set()).add(sub is not None)
    # Without `layers` (a network written unit by unit), a superscript is a layer only on a
    # family defined with both scripts (z^2_1 = ...), or written with several superscripts
    # and a subscript (w^1_{11}, w^2_{11}); elsewhere it stays a power.
    lex.layered.update(k for k, subs in scripted_defs.items() if True in subs)
    if not has_layers:
        lex.layered.update(_several_layers(list(defines) + list(others)))
    applied, bare, unit_applied, unit_plain, listed = set(), set(), set(), set(), set()
    applied_at: set[int] = set()          # the tokens printed before their argument
    word_ends: dict[int, str] = {}        # the scripted last letter of a word -> the word
    for stmt in list(defines) + list(others):
        for node in walk_syntax(stmt):
            if isinstance(node, S.Product):
                for i in range(len(node.items)):
                    found = word_at(node.items, i, lex.words)
                    if found:
                        word_ends[id(found[1])] = found[0]
            seqs = [node.items] if isinstance(node, S.Product) else []
            for seq in seqs:
                for i, item in enumerate(seq):
                    base, sub, sup, primes = split(item)
                    key = base_key(base)
                    if key is None:
                        continue
                    layer_sup = sup is not None and (_layer_like(sup, samples) or (
                        sup.raw.replace(" ", "")[:1] in "([" and
                        sup.raw.replace(" ", "")[-1:] in ")]"))
                    if primes and primed(key, primes) in lex.defined:
                        continue
                    if sub is None and (sup is None or layer_sup) and (primes or (
                            i + 1 < len(seq) and is_paren(seq[i + 1]))):
                        applied.add(key)
                        applied_at.add(id(base))
                        if i + 1 < len(seq):                # h(1 - h): h inside its own
                            applied_at.update(id(n) for n in walk_syntax(seq[i + 1])   # argument
                                              if isinstance(n, S.Tok) and n.text == key)
                        after = seq[i + 1] if i + 1 < len(seq) else None
                        if isinstance(after, S.Group) and len(after.items) > 1:
                            listed.add(key)         # L(\hat{y}, y): a list has no other use
                    elif sub is None and sup is None:
                        bare.add(key)
                    elif sub is not None and sup is None and bare_letter(unwrap(
                            sub.parts[0]) if len(sub.parts) == 1 else None) and \
                            i + 1 < len(seq) and is_paren(seq[i + 1]):
                        unit_applied.add(key)               # g_j(z_j): unit j's activation
                    elif sub is not None:
                        unit_plain.add(key)                 # W_j I_j: I_j is a quantity
            if isinstance(node, S.Atom):
                key = word_ends.get(id(node)) or base_key(node.base)
                bracketed = node.sup is not None and node.sup.raw.replace(" ", "")[:1] in "(["
                if key and node.sup is not None and (has_layers or bracketed) and \
                        superscript_word(node.sup) not in lex.sup_labels and (
                        _layer_like(node.sup, samples) or
                        (bracketed and layer_text(node.sup, samples).isdigit())):
                    raw = layer_text(node.sup, samples)
                    if raw.isdigit() and not bracketed and def_scripts.get(key) == {False}:
                        continue             # a_1^2 where a_1 = ... is defined: a square
                    if node.sub is not None or raw[0] in "lL" or raw[0] in defined_letters \
                            or key in lex.defined or bracketed:
                        lex.layered.add(label_key(key, node.sub))
                        if raw[0].isalpha():
                            lex.layer_vars.add(raw[0])
    for stmt in list(defines) + list(others):
        for chain in stmt.chains:
            for expr in chain.exprs:
                key = base_key(expr) if isinstance(expr, S.Tok) else None
                if key:
                    bare.add(key)
    applied_at |= {id(a.base) for stmt in list(defines) + list(others)
                   for a in walk_syntax(stmt) if isinstance(a, S.Atom) and a.primes}   # h'
    bare |= {n.text for stmt in list(defines) + list(others) for n in walk_syntax(stmt)
             if isinstance(n, S.Tok) and n.kind == "LETTER" and id(n) not in applied_at and
             n.text in applied}                 # x in e^{-x} beside x(1 - x): no function
    _definition_names(lex, defines)
    batches = _batch_capitals(list(defines) + list(others), lex.samples)
    for key in (applied - bare | listed) - lex.defined - batches - set(N.SCALAR_LETTERS):
        if len(key) == 1 or key in N.BUILTIN_FUNCTIONS:
            lex.functions.add(key)
    lex.unit_functions = {k for k in unit_applied - lex.defined - lex.indexed - unit_plain
                          if len(k) == 1 and (k in lex.functions or k not in bare)}
    lex.functions |= lex.unit_functions
    return lex


def _batch_capitals(statements: list[S.Statement], samples: frozenset) -> set[str]:
    """Capitals whose small letter is printed with an example (`X` beside `x^{(i)}`): Ng's
    batch matrices, so `X (A - Y)^T` is a product, not a function X applied."""
    small = set()
    for stmt in statements:
        for node in walk_syntax(stmt):
            if isinstance(node, S.Atom) and node.sup is not None and not node.sup.mark:
                key = base_key(node.base)
                raw = node.sup.raw.replace(" ", "")
                if key and len(key) == 1 and key.islower() and \
                        any(f"({s})" in raw for s in samples):
                    small.add(key)
    return {k.upper() for k in small}


#: Function names printed as plain letters (`tanh(z)`, `sigmoid(z)`, `exp(-z)`).
PLAIN_FUNCTION_WORDS = {k for k in N.BUILTIN_FUNCTIONS if k.isalpha()}


def _implicit_words(lex: Lexicon, statements: list[S.Statement],
                    defines: list[S.Statement]) -> None:
    """Runs of three or more plain letters that no definition introduces (`net_k`, `out`), and
    function names printed as plain letters (`tanh(z)`), are one name each: a product of three
    undefined letters side by side is not how a backprop text writes anything. A run that uses a
    letter the file defines on its own stays a product of letters."""
    single = set()
    for stmt in defines:
        found = lhs_name(stmt.chains[0].exprs[0], lex) if stmt.chains else None
        if found and len(found[0]) == 1:
            single.add(found[0])
    for seq in item_runs_of(statements):
        i = 0
        while i < len(seq):
            letters, j = "", i
            while j < len(seq):
                base, sub, sup, primes = split(seq[j])
                letter = bare_letter(base)
                if letter is None:
                    break
                letters += letter
                j += 1
                if sub is not None or sup is not None or primes:
                    break
            word = _word_in(letters, single)
            if word and word[:1] == "d" and word[1:] in lex.words:
                word = None                         # dET/dw5: the d of ET's derivative
            if word and word not in lex.words:
                lex.words.add(word)
                lex.implicit_words.add(word)
            i = max(j, i + 1)


def _word_in(letters: str, single: set[str]) -> str | None:
    """The name a run of plain letters spells, if it is one: `net`, `tanh`; a Leibniz `dnet`
    spells `net` (the d is the derivative's)."""
    for n in range(len(letters)):                  # y ln: the letter y, then ln
        if letters[n:] in PLAIN_FUNCTION_WORDS:
            return letters[n:]
    if letters[:1] == "d" and len(letters) > 3:
        letters = letters[1:]
    if len(letters) >= 3 and not (set(letters) & single):
        return letters
    return None


def item_runs_of(statements: list[S.Statement]):
    """Every run of juxtaposed items in the statements."""
    for stmt in statements:
        yield from item_runs(stmt)


def _raw(sub: S.Script) -> str:
    return sub.raw.replace(" ", "")


def _unused_subscript(sub: S.Script | None, rhs: S.Node) -> bool:
    """`E_n = \\frac{1}{2}\\sum_k (y_k - t_k)^2`: subscript letters that the right side never
    uses (but as the name of a family, `h_\\theta(x) = \\theta_0 + \\theta_1 x`) label the
    quantity (the example n it is computed for); they index nothing."""
    if sub is None or sub.mark:
        return False
    letters = _raw(sub).replace(",", "")
    letters = N.greek(letters[1:]) or letters if letters.startswith("\\") else letters
    if not letters.isalpha():
        return False
    if not any(isinstance(n, S.Tok) and n.kind in ("LETTER", "CMD") for n in walk_syntax(rhs)):
        return False                     # y_i = 0: every unit's value, beside y_1 = 1
    bases = {id(n.base) for n in walk_syntax(rhs) if isinstance(n, S.Atom) and n.sub is not None}
    used = {n.text if n.kind == "LETTER" else N.greek(n.text[1:]) for n in walk_syntax(rhs)
            if isinstance(n, S.Tok) and n.kind in ("LETTER", "CMD") and id(n) not in bases}
    return not (set(letters) & used)     # h_θ = θ_0 + θ_1 x: θ names a family, indexes nothing


def superscript_word(sup: S.Script | None) -> str | None:
    """The word a superscript spells as part of the name: `y^{(in)}`, `y_j^{(\\mathit{in})}`,
    `a^{\\text{out}}`, `net^{hidden}` (parenthesised or in a word font, or three letters and
    more); None for layers, examples, transposes and powers."""
    if sup is None or sup.mark:
        return None
    raw = sup.raw.strip()
    parens = raw.startswith("(") and raw.endswith(")")
    inner = raw[1:-1] if parens else raw
    text = N.plain_text(inner)
    if len(text) < 2 or not text.isalpha() or text in N.TRANSPOSE_MARKS or "_" in inner:
        return None
    if parens or "\\" in inner or len(text) >= 3:
        return text
    return None


def _superscript_labels(statements: list[S.Statement]) -> set[str]:
    """Letters printed in parentheses as a superscript that name a part of the network, not a
    layer: `W^{(o)}`, `W^{(h)}` (output, hidden). A layer letter is l, L, ℓ, or one printed
    with an offset somewhere (`h^{(k-1)}` makes k a layer letter), or one printed where the
    same family prints layer numbers (`P^{(p)}` beside `P^{(1)}`)."""
    single, shifted, words = set(), {"l", "L", "ℓ"}, set()
    letters: dict[str, set[str]] = {}
    numbered: set[str] = set()
    for stmt in statements:
        for node in walk_syntax(stmt):
            if isinstance(node, S.Atom) and node.sup is not None and not node.sup.mark:
                raw = node.sup.raw.replace(" ", "").strip("()[]")
                key = base_key(node.base)
                word = superscript_word(node.sup)
                if word is not None:
                    words.add(word)
                elif len(raw) == 1 and raw.isalpha() and node.sup.raw.strip()[:1] == "(":
                    single.add(raw)
                    letters.setdefault(raw, set()).add(key)
                elif len(raw) > 2 and raw[0].isalpha() and raw[1] in "+-" and raw[2:].isdigit():
                    shifted.add(raw[0])
                elif raw.isdigit() and node.sup.raw.strip()[:1] == "(":
                    numbered.add(key)
    shifted |= {c for c, keys in letters.items() if keys & numbered}
    return (single - shifted) | words


def _definition_names(lex: Lexicon, defines: list[S.Statement]) -> None:
    """Record every name the definitions print, and which of them carry two unit indices."""
    for stmt in defines:
        for node in walk_syntax(stmt):
            key = base_key(node.base) if isinstance(node, S.Atom) else base_key(node)
            if key is None:
                continue
            lex.in_definitions.add(key)
            if isinstance(node, S.Atom) and node.sub is not None and _two_units(node.sub):
                lex.matrices.add(key)


def _two_units(sub: S.Script) -> bool:
    """`_{jk}`, `_{j,k}`, `_{ij}`: a subscript of two index letters or digits."""
    raw = sub.raw.replace(" ", "").replace(",", "")
    return len(raw) == 2 and raw.isalnum()


def _several_layers(statements: list[S.Statement]) -> set[str]:
    """Families written with a subscript and two or more different number superscripts."""
    seen: dict[str, set[str]] = {}
    for stmt in statements:
        for node in walk_syntax(stmt):
            if isinstance(node, S.Atom) and node.sub is not None and node.sup is not None:
                key = base_key(node.base)
                raw = layer_text(node.sup)
                if key and raw.isdigit():
                    seen.setdefault(label_key(key, node.sub), set()).add(raw)
    return {k for k, sups in seen.items() if len(sups) > 1}


def _argument(group_node: S.Node) -> str | None:
    """The one bare letter in a bracket, `n` in `(n)`; None otherwise."""
    group = group_node.base if isinstance(group_node, S.Atom) else group_node
    if not isinstance(group, S.Group) or len(group.items) != 1:
        return None
    item = unwrap(group.items[0])
    return item.text if isinstance(item, S.Tok) and item.kind == "LETTER" else None


def _example_arguments(defines: list[S.Statement], lex: Lexicon) -> set[str]:
    """n in `e_j(n) = d_j(n) - y_j(n)`: the argument of a family defined per unit, which
    is that unit's value at example n (Haykin's notation), never a function's parameter."""
    out = set()
    for stmt in defines:
        chain = stmt.chains[0] if stmt.chains else None
        if chain is None or len(chain.exprs) != 2:
            continue
        found = lhs_name(chain.exprs[0], lex)
        items = items_of(chain.exprs[0])
        sub = split(found[1])[1] if found else None
        if sub is not None and len(items) > 1 and not N.is_label(sub.raw) and \
                not _unused_subscript(sub, chain.exprs[1]) and _argument(items[-1]):
            out.add(_argument(items[-1]))
    return out


def _only_as_argument(letter: str, rhs: S.Node) -> bool:
    """Whether `letter` appears in `rhs` only as a bracketed lone argument (`e_j^2(n)`), never
    on its own (`\\sigma(x) = \\frac{1}{1 + e^{-x}}` uses x as a parameter)."""
    inside = {id(unwrap(g.items[0])) for g in walk_syntax(rhs)
              if isinstance(g, S.Group) and len(g.items) == 1}
    return all(id(n) in inside for n in walk_syntax(rhs)
               if isinstance(n, S.Tok) and n.kind == "LETTER" and n.text == letter)


def _indexed_arguments(group_node: S.Node, rhs: S.Node) -> bool:
    """`L(\\textbf{z}, \\textbf{y}) = -\\sum_k \\log(z_k) y_k`: arguments the right side reads
    only entry by entry are the quantities the name depends on (as `E(\\vec{w})`), not a
    function's parameters, which it reads whole (`\\sigma(x) = 1/(1 + e^{-x})`)."""
    group = group_node.base if isinstance(group_node, S.Atom) else group_node
    args = {base_key(unwrap(i)) for i in group.items} - {None}
    if not args:
        return False
    entries = {base_key(n.base) for n in walk_syntax(rhs)
               if isinstance(n, S.Atom) and n.sub is not None}
    inner = {id(n.base) for n in walk_syntax(rhs) if isinstance(n, S.Atom)}
    bare = {base_key(n) for n in walk_syntax(rhs)
            if isinstance(n, (S.Tok, S.Font)) and id(n) not in inner}
    return args <= entries and not (args & bare)


def _uses_args(group_node: S.Node, rhs: S.Node) -> bool:
    group = group_node.base if isinstance(group_node, S.Atom) else group_node
    args = {base_key(unwrap(i)) for i in group.items}
    args.discard(None)
    used = {base_key(n) for n in walk_syntax(rhs) if isinstance(n, S.Tok)}
    return bool(args) and args <= used
