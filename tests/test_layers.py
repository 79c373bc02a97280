"""Import rules of ARCHITECTURE.md, read from the source: layers point one way, no import circles,
`_runtime` is self-contained, and no private name is imported across package boundaries."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "src" / "alation_workflows"
PKG = "alation_workflows"

# Lowest first; a module may import its own layer and the layers before it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("runtime", ("_runtime",)),
    ("overlay", ("jobs", "auth", "lookups")),
    ("generated", ("models", "_operations", "_group", "sdk", "errors", "utils", "config", "__init__")),
    ("tools", ("testing", "cli", "__main__")),
]
# Generated operation-group modules (one per spec tag) sit with the generated layer.
GROUP_LAYER = "generated"
# Circles still to be cut (issue 16); the test fails on any other and when one of these is gone.
KNOWN_CYCLES: set[tuple[str, ...]] = set()


def _modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1] or ["__init__"]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _layer(module: str) -> int:
    head = module.split(".")[0]
    for i, (_, heads) in enumerate(LAYERS):
        if head in heads:
            return i
    return [name for name, _ in LAYERS].index(GROUP_LAYER)


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if module != "__init__" else []
    is_pkg = MODULES.get(module, Path()).name == "__init__.py"
    anchor = base if is_pkg else base[:-1]
    anchor = anchor[: len(anchor) - (node.level - 1)] if node.level > 1 else anchor
    return ".".join([PKG, *anchor, *([node.module] if node.module else [])])


def _in_type_checking(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def _imports(module: str) -> list[tuple[str, list[str], int]]:
    """(imported package-internal module, names, line) for every runtime import of `module`."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    found: list[tuple[str, list[str], int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not _in_type_checking(node, parents):
            target = _resolve(module, node)
            if not target.startswith(PKG):
                continue
            inner = target[len(PKG) + 1 :] or "__init__"
            names = [a.name for a in node.names]
            subs = {n: n if inner == "__init__" else f"{inner}.{n}" for n in names}
            # `from . import models` imports a module; other names are attributes of `inner`.
            found.extend((subs[n], [], node.lineno) for n in names if subs[n] in MODULES)
            if inner in MODULES:
                found.append((inner, [n for n in names if subs[n] not in MODULES], node.lineno))
        elif isinstance(node, ast.Import) and not _in_type_checking(node, parents):
            for alias in node.names:
                if alias.name.startswith(PKG + "."):
                    found.append((alias.name[len(PKG) + 1 :], [], node.lineno))
    return found


def test_the_layer_table_covers_every_module() -> None:
    assert "_runtime.client" in MODULES and "jobs.handle" in MODULES  # the walk found the package


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_the_layers(module: str) -> None:
    mine = _layer(module)
    upward = [
        f"line {line}: {target} ({LAYERS[_layer(target)][0]})"
        for target, _, line in _imports(module)
        if _layer(target) > mine
    ]
    assert not upward, f"{module} ({LAYERS[mine][0]}) imports a higher layer: {upward}"


def test_runtime_imports_nothing_outside_itself() -> None:
    outside = [
        (module, target)
        for module in MODULES
        if module.startswith("_runtime")
        for target, _, _ in _imports(module)
        if not target.startswith("_runtime")
    ]
    assert not outside


def _package(module: str) -> str:
    path = MODULES[module]
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def test_no_private_name_crosses_a_package_boundary() -> None:
    crossings = [
        f"{module} imports {name} from {target}"
        for module in MODULES
        for target, names, _ in _imports(module)
        for name in names
        if name.startswith("_") and _package(module) != _package(target)
    ]
    assert not crossings, crossings


def test_no_import_circles() -> None:
    graph = {m: {t for t, _, _ in _imports(m) if t != m} for m in MODULES}
    # A package's __init__ re-exporting its own modules is not a circle between them.
    for m in graph:
        if MODULES[m].name == "__init__.py":
            prefix = "" if m == "__init__" else m + "."
            graph[m] = {t for t in graph[m] if not t.startswith(prefix) or m == "__init__"}
    graph["__init__"] = set()  # the public facade imports everything and is imported by nobody inside
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    found = {tuple(sorted(set(c))) for c in cycles}
    assert found == KNOWN_CYCLES, cycles
