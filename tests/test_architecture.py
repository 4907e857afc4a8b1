"""The layout's rules, checked on the source: no import cycle in kg/, and kg.cli imports only kg.api."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from tests.conftest import ROOT

KG = ROOT / "kg"


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in KG.rglob("*.py")}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes inside ``if TYPE_CHECKING:`` blocks (imports for annotations only)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside.update(id(n) for n in ast.walk(node))
    return inside


def imports(name: str) -> set[str]:
    """The kg modules ``name`` imports, at module level or inside functions (not for annotations).

    ``from kg.x import y`` depends on ``kg.x.y`` when that is a module, else on ``kg.x``.
    """
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module of ``graph`` (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph)))
    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found


def test_architecture_no_import_cycle_in_kg() -> None:
    assert cycles({name: imports(name) for name in MODULES}) == []


def test_architecture_the_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}) == [["a", "b", "c"]]
    assert "kg.api" in imports("kg.cli") and "kg.pipeline.build" in imports("kg.api")
    assert "kg.api" not in imports("kg.pipeline.build")  # the cycle api <-> build is gone


def test_architecture_cli_imports_only_kg_api() -> None:
    tree = ast.parse((KG / "cli.py").read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {f"{n.module}.{a.name}" if n.module == "kg" else n.module or ""
                 for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    kg_imports = {name for name in imported if name == "kg" or name.startswith("kg.")}
    assert kg_imports == {"kg.api"}
    others = {name.split(".")[0] for name in imported - kg_imports} - {"__future__"}
    assert others <= {"click", *sys.stdlib_module_names}, others


def test_architecture_sparql_never_imports_the_store() -> None:
    for name in MODULES:
        if name.startswith("kg.sparql"):
            assert not {m for m in imports(name) if m.startswith("kg.store")}, name


def test_architecture_no_module_shadows_an_api_name() -> None:
    """``kg.build`` is a function (``kg/__init__`` loads it lazily); a module ``kg/build.py`` took its
    place as soon as anything imported it, and a second ``kg.build(...)`` in a notebook failed."""
    import kg

    for name in kg.__all__:
        assert not (KG / f"{name}.py").exists() and not (KG / name).is_dir(), name
