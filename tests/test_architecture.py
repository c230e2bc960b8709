"""The house as drawn in docs/architecture.json (a copy of the design the team agreed):
every part exists, no import runs where the design says never, and no modules import each
other in a circle. Imports are read from the source (``ast``), lazy ones included."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
DESIGN = json.loads((ROOT / "docs" / "architecture.json").read_text(encoding="utf-8"))


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in SRC.rglob("*.py")}


def imports_of(path: Path, name: str) -> set[str]:
    """Modules of this package that a file imports (absolute or relative, anywhere)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = {f"{target}.{a.name}" for a in node.names}
            found |= names
            # "from . import layout" imports the submodule, not the package's own names
            if node.module or not names <= set(modules()):
                found.add(target)
    known = modules()
    return {m for m in found if m in known and m != name}


def part_of(path: Path) -> str | None:
    rel = path.relative_to(ROOT).as_posix()
    for part, spec in DESIGN["parts"].items():
        for place in spec["is"]:
            if rel == place or (place.endswith("/") and rel.startswith(place)):
                return part
    return None


GRAPH = {name: imports_of(path, name) for name, path in modules().items()}
PARTS = {name: part_of(path) for name, path in modules().items()}


def test_every_part_exists():
    for part, spec in DESIGN["parts"].items():
        for place in spec["is"]:
            assert (ROOT / place).exists(), f"{part}: {place} is missing"


def test_every_module_belongs_to_a_part():
    loose = [m for m, p in PARTS.items() if p is None and m != "helpers"]
    assert loose == []


@pytest.mark.parametrize("never", DESIGN["never"], ids=lambda n: f"{n[0]}->{n[1]}")
def test_no_import_where_the_design_says_never(never):
    src, dst, why = never
    broken = sorted(f"{m} -> {t}" for m, targets in GRAPH.items() if PARTS[m] == src
                    for t in targets if PARTS[t] == dst)
    assert broken == [], f"{why}: {broken}"


def test_no_import_cycles():
    """Tarjan's strongly connected components over module imports: none larger than one
    (a package's ``__init__`` importing its own modules is not a cycle: faces are thin)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in GRAPH:
        if v not in index:
            visit(v)
    assert cycles == []


def test_the_reader_can_fail():
    """The import reader finds real edges (so an empty graph cannot pass the tests above)."""
    assert "helpers.indicators.periods" in GRAPH["helpers.run.runner"]
    assert "helpers.params" in GRAPH["helpers.indicators.periods"]
