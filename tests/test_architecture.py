"""The house rules of `holocron_lib`, checked on its source: no import cycles, layers point down.

The import graph is read statically (``ast``), so a cycle hidden inside a function counts as
much as one at the top of a module; ``from package import module`` is an edge to the module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from holocron_lib.execution.closure import import_graph as library_import_graph
from holocron_lib.execution.closure import library_modules

LIB = Path(__file__).resolve().parent.parent / "holocron_lib"

# Each package may import only packages of a lower rank (and itself). errors and settings are
# the foundation every layer uses; the package's own __init__ and __main__ are its front door.
RANKS = {
    "tsql": 1, "schema": 2, "seed": 3, "synthetic": 4, "db": 5, "execution": 5,
    "notebook": 6, "service": 6, "book": 7, "cli": 8,
}
FOUNDATION = {"holocron_lib.errors", "holocron_lib.settings", "holocron_lib.fingerprint"}
VERSION = "holocron_lib"  # importing the package itself, for __version__, is allowed everywhere
FRONT_DOOR = {"holocron_lib", "holocron_lib.__main__"}


def _modules() -> dict[str, tuple[Path, bool]]:
    return library_modules(LIB)


def import_graph() -> dict[str, set[str]]:
    """Module -> the holocron_lib modules it imports, anywhere in its text (the library's own
    reading, which the book also uses to find each notebook's dependencies)."""
    return library_import_graph(LIB)


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        cycles.append(sorted(component))
    return cycles


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or parts[-1] in RANKS else None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_holocron_lib_has_no_import_cycle():
    assert find_cycles(import_graph()) == []


def test_every_package_has_a_rank():
    packages = {p.name for p in LIB.iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(RANKS)


def test_layers_point_down():
    wrong = []
    for module, targets in import_graph().items():
        if module in FRONT_DOOR:
            continue
        for target in targets:
            if target in FOUNDATION or target == VERSION:
                continue
            if module in FOUNDATION:
                wrong.append(f"{module} -> {target} (the foundation imports nothing above it)")
                continue
            source, dest = _package(module), _package(target)
            if dest is None:
                wrong.append(f"{module} -> {target} (only the foundation lives at the top)")
            elif source != dest and RANKS[dest] >= RANKS[source]:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_at_most_ten_modules_at_the_top():
    top = sorted(p.name for p in LIB.glob("*.py"))
    assert len(top) <= 10, top


@pytest.mark.parametrize("name", ["queue", "coverage", "duckdb", "json", "types", "string"])
def test_no_top_level_module_shadows_a_well_known_one(name):
    assert not (LIB / f"{name}.py").exists()


def test_module_file_names_are_unique():
    seen: dict[str, list[str]] = {}
    for path in LIB.rglob("*.py"):
        if path.name not in {"__init__.py", "base.py"}:
            seen.setdefault(path.stem, []).append(str(path.relative_to(LIB)))
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_imports_inside_functions_say_why():
    """A sibling import inside a function is deliberate (start-up cost, optional part): a comment
    on the line or just above it says so."""
    unexplained = []
    for path, _ in _modules().values():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, (ast.ImportFrom, ast.Import)) and node.col_offset > 0:
                module = getattr(node, "module", None) or ""
                local = node.level > 0 if isinstance(node, ast.ImportFrom) else False
                if not (local or module.startswith("holocron_lib")):
                    continue
                around = " ".join(lines[max(0, node.lineno - 3): node.lineno])
                if "lazy" not in around.lower():
                    unexplained.append(f"{path.relative_to(LIB)}:{node.lineno}")
    assert unexplained == []
