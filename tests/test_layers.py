"""The package's imports: no cycles, and none from a lower layer to a higher one.

Every import is counted, those inside functions too (a late import hides a cycle, it does
not remove it). The layers are explained in docs/architecture.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "newscrawl"

# (layer, module prefixes): a module may import its own layer and those above it in this table.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "plain values",
        (
            "newscrawl.items",
            "newscrawl.normalize",
            "newscrawl.stats",
            "newscrawl.schedule",
            "newscrawl.signals",
            "newscrawl.serialize",
            "newscrawl.ledger",
            "newscrawl.exits",
        ),
    ),
    ("the site", ("newscrawl.site",)),
    ("storage", ("newscrawl.store", "newscrawl.warc", "newscrawl.runs")),
    (
        "crawl components",
        (
            "newscrawl.pipelines",
            "newscrawl.middlewares",
            "newscrawl.scheduler",
            "newscrawl.extensions",
            "newscrawl.exporters",
            "newscrawl.contracts",
        ),
    ),
    (
        "crawls",
        (
            "newscrawl.spiders",
            "newscrawl.commands",
            "newscrawl.settings",
            "newscrawl.settingscheck",
            "newscrawl.sitecheck",
        ),
    ),
    (
        "entry points",
        (
            "newscrawl.cli",
            "newscrawl.reextract",
            "newscrawl.batch",
            "newscrawl.demo",
            "newscrawl.parquet",
            "newscrawl.coverage_report",
            "newscrawl.demo_site",
        ),
    ),
)
# The verdict decides from the stats and newscrawl's signals alone.
VERDICT_NEVER_IMPORTS = ("newscrawl.extensions.keeper", "newscrawl.middlewares")


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own name)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules ``name`` imports (``from a import b`` is ``a.b`` when b is a
    module of its own)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join([*here, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" for alias in node.names]
            targets = [t if t in known else base for t in targets]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the package's modules it imports."""
    found = modules(root)
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def layer_of(module: str) -> int | None:
    """The index of the module's layer in LAYERS (the longest prefix wins)."""
    best, length = None, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(f"{prefix}.")) and len(prefix) > length:
                best, length = index, len(prefix)
    return best


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles: strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def climbing(edges: dict[str, set[str]]) -> list[str]:
    """Imports from a lower layer to a higher one, as 'a (layer) -> b (layer)'."""
    found = []
    for module, targets in sorted(edges.items()):
        for target in sorted(targets):
            here, there = layer_of(module), layer_of(target)
            if here is not None and there is not None and there > here:
                found.append(f"{module} ({LAYERS[here][0]}) -> {target} ({LAYERS[there][0]})")
    return found


def test_every_module_has_a_layer():
    assert [m for m in graph() if m != "newscrawl" and layer_of(m) is None] == []


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_no_import_climbs_a_layer():
    assert climbing(graph()) == []


def test_the_verdict_imports_neither_the_keeper_nor_the_middlewares():
    imported = graph()["newscrawl.extensions.verdict"]
    assert [m for m in imported if m.startswith(VERDICT_NEVER_IMPORTS)] == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"a.py": "from newscrawl import b\n", "b.py": "import newscrawl.a\n"}, [["x.a", "x.b"]]),
        (
            {"a.py": "def f():\n    from newscrawl.b import g\n", "b.py": "from . import a\n"},
            [["x.a", "x.b"]],
        ),
        ({"a.py": "from newscrawl import b\n", "b.py": "import json\n"}, []),
    ],
)
def test_a_cycle_is_found(tmp_path, files, expected):
    """The checks themselves: a cycle added anywhere, even by a late import, is found."""
    root = tmp_path / "newscrawl"
    root.mkdir()
    (root / "__init__.py").write_text("")
    for name, text in files.items():
        (root / name).write_text(text)
    found = cycles(graph(root))
    assert [[m.replace("newscrawl", "x") for m in group] for group in found] == expected


def test_an_import_climbing_a_layer_is_found():
    edges = {"newscrawl.site.urls": {"newscrawl.store.base"}, "newscrawl.store.base": set()}
    assert climbing(edges) == ["newscrawl.site.urls (the site) -> newscrawl.store.base (storage)"]
