"""The import graph of portal's packages: module-level imports only (those inside functions and under
``if TYPE_CHECKING:`` are not counted), read with ``ast`` from the source.

- No cycle between packages.
- A lower layer never imports a higher one (``LAYERS``, bottom first; packages of one layer may import each
  other as long as that makes no cycle).
- No package imports another package's view modules (``views.py``, ``views_*.py``): pages reach other packages
  through their models, queries and services.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parent.parent / "portal"

#: Bottom first. The foundation knows no domain; every package with pages is a layer of its own or shares one.
LAYERS: tuple[frozenset[str], ...] = tuple(frozenset(layer.split()) for layer in (
    "extensions config database types i18n audit core storage",
    "auth",
    "auditlog",
    "geo",
    "facilities",
    "org",
    "communes",
    "users",
    "households",
    "policy",
    "campaigns",
    "events",
    "network",
    "visits",
    "results",
    "enrolments",
    "retention",
    "declarations",
    "jobs offline",
    "printing",
    "privacy backup",
    "reports home demo",
))

#: (importer, imported) edges that go down-up against LAYERS, each with its reason.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def _module_name(path: Path) -> tuple[str, bool]:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _imports(path: Path) -> set[str]:
    """Modules (and ``module.name`` for ``from module import name``) imported at module level."""
    module, is_package = _module_name(path)
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("portal.")}


def _package(module: str) -> str | None:
    """The package of ``portal.<package>...`` (``portal.<module>`` for a top-level module), or None."""
    top = module.split(".")[1]
    if (PORTAL / top).is_dir() or (PORTAL / f"{top}.py").is_file():
        return top
    return None


def _graph() -> dict[str, dict[str, set[str]]]:
    """importer package -> imported package -> the imports that make the edge (``module -> target``)."""
    graph: dict[str, dict[str, set[str]]] = {}
    for path in sorted(PORTAL.rglob("*.py")):
        module, _ = _module_name(path)
        if module == "portal":
            continue
        source = _package(module)
        for target in _imports(path):
            imported = _package(target)
            if imported and imported != source:
                graph.setdefault(source, {}).setdefault(imported, set()).add(f"{module} -> {target}")
    return graph


def _layer(package: str) -> int:
    for index, layer in enumerate(LAYERS):
        if package in layer:
            return index
    raise AssertionError(f"package {package} is in no layer of tests/test_architecture.py")


def test_every_package_has_a_layer():
    packages = {p.name for p in PORTAL.iterdir() if (p / "__init__.py").is_file()}
    packages |= {p.stem for p in PORTAL.glob("*.py") if p.stem != "__init__"}
    for package in packages:
        _layer(package)


def test_no_cycle_between_packages():
    graph = {source: set(targets) for source, targets in _graph().items()}
    for source, target in EXCEPTIONS:
        graph.get(source, set()).discard(target)
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycle = path[path.index(nxt):] + [nxt]
                pytest.fail("import cycle between packages: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_lower_layers_never_import_higher_ones():
    wrong = []
    for source, targets in _graph().items():
        for target, imports in targets.items():
            if _layer(target) > _layer(source) and (source, target) not in EXCEPTIONS:
                wrong.append(f"{source} → {target}: {sorted(imports)[0]}")
    assert not wrong, "imports against the layering:\n" + "\n".join(sorted(wrong))


def test_the_exceptions_are_still_needed():
    graph = _graph()
    for source, target in EXCEPTIONS:
        assert target in graph.get(source, {}), f"stale exception {source} → {target}: remove it"
        assert _layer(target) > _layer(source), f"{source} → {target} follows the layering: remove the exception"


def test_no_package_imports_the_views_of_another():
    wrong = []
    for targets in _graph().values():
        for imports in targets.values():
            for edge in imports:
                target = edge.split(" -> ")[1].split(".")
                if any(part == "views" or part.startswith("views_") for part in target[2:3] + target[3:4]):
                    wrong.append(edge)
    assert not wrong, "view modules imported from another package:\n" + "\n".join(sorted(wrong))
