"""Safe Python identifiers for a network's symbols, made from integer indices only.

A symbol's own name is LaTeX (`w^{2}_{13}`); generated code names it `w_2_1_3`. No user text is
ever used as an identifier: every name here is a letter and the unit's integer indices.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import symengine as se
import sympy as sp

from symbp.atoms import canonical
from symbp.errors import SymbpError
from symbp.engine import to_sympy
from symbp.network import Network

#: The letter of an atom's variable, by what the atom stands for.
ATOM_LETTERS = {"value": "a", "derivative": "d", "exp": "e"}


@dataclass(frozen=True)
class AtomVariable:
    """One atom route A uses: its variable name, unit, and how it is computed from z^l_j."""

    name: str
    layer: int
    unit: int
    role: str            # "value" (σ(z)), "derivative" (σ'(z)) or "exp" (e^z, softmax layer)
    symbol: se.Symbol


@dataclass
class Names:
    """Every symbol of one network (one sample) and its identifier in generated code."""

    x: list[tuple[se.Symbol, str]] = field(default_factory=list)
    y: list[tuple[se.Symbol, str]] = field(default_factory=list)
    parameters: list[tuple[se.Symbol, str]] = field(default_factory=list)
    atoms: list[AtomVariable] = field(default_factory=list)

    def ordered(self) -> list[tuple[se.Symbol, str]]:
        """All variables in the order generated functions take them: x, y, θ, atoms."""
        return self.x + self.y + self.parameters + [(a.symbol, a.name) for a in self.atoms]

    def sympy_map(self) -> dict[sp.Symbol, sp.Symbol]:
        """From the SymPy image of each engine symbol to a SymPy symbol with its safe name."""
        return {to_sympy(sym): sp.Symbol(name) for sym, name in self.ordered()}

    def to_code(self, expr: se.Basic) -> sp.Expr:
        """An engine expression as SymPy over safe names, refusing any symbol not named here."""
        mapping = self.sympy_map()
        out = to_sympy(expr)
        unknown = out.free_symbols - mapping.keys()
        if unknown:
            raise SymbpError(f"refusing to generate code: {sorted(map(str, unknown))} are not "
                             f"variables the generated forward pass computes")
        return out.xreplace(mapping)


def network_names(net: Network) -> Names:
    """Name the inputs, targets, parameters and atoms of sample 0 of `net`."""
    names = Names()
    names.x = [(s, f"x_{k}") for k, s in enumerate(net.x[0], start=1)]
    names.y = [(s, f"y_{j}") for j, s in enumerate(net.y[0], start=1)]
    for kind, key, sym in net.parameters:
        names.parameters.append((sym, f"{kind}_" + "_".join(str(i) for i in key)))
    names.atoms = _atoms(net)
    return names


def _atoms(net: Network) -> list[AtomVariable]:
    """Every atom of sample 0, matched to the unit whose z it is applied to, in layer order."""
    by_z = {canonical(unit.z_atoms): key for key, unit in net.units[0].items()}
    found = []
    for sym, atom in net.atomizer.atoms.items():
        key = by_z.get(canonical(atom.argument))
        if key is None:
            continue          # an atom of a perturbed quantity, not of the forward pass
        role = "exp" if atom.function == "exp" else ("value" if atom.order == 0 else "derivative")
        if atom.order > 1 or (role != "exp" and atom.function != net.activation(key[0])):
            raise SymbpError(f"refusing to generate code: no NumPy form for the atom "
                             f"{atom.label}")
        found.append(AtomVariable(f"{ATOM_LETTERS[role]}_{key[0]}_{key[1]}", key[0], key[1],
                                  role, sym))
    order = list(ATOM_LETTERS)
    return sorted(found, key=lambda a: (a.layer, order.index(a.role), a.unit))
