"""One order of modules, enforced: each module imports only from modules before it in `ORDER`
(module-level, function-local and TYPE_CHECKING imports all count), and nothing forms a cycle.

Data flows one way: notation -> network model -> routes -> prover -> theorems and derivations
as data -> the checker -> printers -> code generation -> the CLI -> the package top (which
attaches the notebook displays). A new upward import fails here; fix the design, not this list.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "symbp"

#: Bottom first. An entry ending in ".*" is a package whose modules may import one another
#: (its own order is its owner's to refine); any other entry is one module.
ORDER = [
    "version", "errors", "terminal", "notation.limits", "engine", "deadline", "rules", "atoms", "network", "chain",
    "backprop", "numeric", "prove", "theorems", "quantities", "steps", "derive", "gradients",
    "notation.*", "notation", "derivation.*", "generic.*", "check", "workers", "checked",
    "printing.text", "printing.latex", "printing.latex_document", "printing.*",
    "printing.notebook", "codegen.*", "training.*", "commands.*", "cli", "",
]

#: Known upward imports that remain, each to be removed by the module's owner (then delete it
#: here: the test also fails on an entry that no longer happens).
ALLOWED = {
    # the plain-text printer of `symbp check` still lives in derivation/ and reads ClaimResult;
    # it moves to printing/ with the checker's rewrite
    ("derivation.report", "check"),
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _module_name(dotted: str) -> str:
    return dotted.removeprefix("symbp").removeprefix(".")


def _rank(module: str) -> int:
    for n, entry in enumerate(ORDER):
        if entry == module or (entry.endswith(".*") and (module.startswith(entry[:-1])
                                                          or module == entry[:-2])):
            return n
    raise AssertionError(f"symbp.{module} is not placed in tests/test_layering.py ORDER")


def _group(module: str) -> str | None:
    entry = ORDER[_rank(module)]
    return entry if entry.endswith(".*") else None


def _imports(module: str) -> set[str]:
    """Every symbp module `module` imports, anywhere in its file."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".") if package else []
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
                base = "symbp" + ("." + base if base else "")
            subs = [f"{base}.{a.name}" for a in node.names]
            # `from symbp import numeric` imports the module symbp.numeric; a name that is not
            # a module comes from `base` itself
            names = subs + ([base] if any(_module_name(n) not in MODULES for n in subs) else [])
        else:
            continue
        for name in names:
            if not (name == "symbp" or name.startswith("symbp.")):
                continue
            target = name.removeprefix("symbp").removeprefix(".")
            while target not in MODULES and "." in target:
                target = target.rpartition(".")[0]
            if target in MODULES and target != module:
                found.add(target)
    return found


EDGES = {m: _imports(m) for m in MODULES}


def _upward() -> set[tuple[str, str]]:
    bad = set()
    for module, targets in EDGES.items():
        for target in targets:
            same_group = _group(module) is not None and _group(module) == _group(target)
            if _rank(target) > _rank(module) or (_rank(target) == _rank(module)
                                                  and not same_group):
                bad.add((module, target))
    return bad


def test_every_module_is_placed():
    for module in MODULES:
        _rank(module)


def test_no_module_imports_from_a_later_one():
    new = sorted(_upward() - ALLOWED)
    assert not new, "upward imports: " + ", ".join(f"symbp.{a} -> symbp.{b}" for a, b in new)


def test_the_allow_list_holds_only_violations_that_still_happen():
    assert ALLOWED <= _upward(), f"remove from ALLOWED: {sorted(ALLOWED - _upward())}"


def test_no_import_cycle_outside_the_allow_list():
    edges = {m: {t for t in ts if (m, t) not in ALLOWED} for m, ts in EDGES.items()}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in edges[node]:
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
