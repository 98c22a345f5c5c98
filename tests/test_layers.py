"""Imports point down the floors of ``docs/architecture.md``; no private module crosses packages.

An AST check over every module of ``src/stratpolicy``: each ``import`` and ``from ...
import`` -- at module level, inside a function or under ``TYPE_CHECKING`` -- and each
string that names a module for ``importlib`` (``"stratpolicy.rules:RuleSet"``), resolved
to the package it reaches (``from stratpolicy import units`` reaches ``units``; a name the
root package re-exports reaches the package that defines it). Two rules:

1. **Floors.** A module may import its own floor and the floors below. ``rules`` and
   ``graph`` share a floor and never import each other. The only way up is a *door*, listed
   in :data:`DOORS` with its reason: an import inside a method (never at module level) that
   loads the upper floor when the method is called, such as ``Portfolio.graph()`` and the
   ``_repr_html_`` methods that call :mod:`stratpolicy.display`.
2. **Private modules stay home.** ``stratpolicy.x._y`` is imported only from inside
   package ``x``. The root's own private modules (``stratpolicy._checks``, ``_html``,
   ``_format`` ...) are the ground floor's shared helpers, open to every floor.

:data:`PENDING` lists crossings that a change in progress removes (empty when none); every
entry of both lists must still match an import, so neither can rot.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "stratpolicy"

FLOORS: dict[str, int] = {
    # ground: exceptions, bounds, checks, amounts and the helpers every floor shares
    "errors": 0,
    "limits": 0,
    "_checks": 0,
    "_dates": 0,
    "_frozen": 0,
    "_format": 0,
    "_html": 0,
    "_version": 0,
    "_amount": 0,
    "units": 0,
    "model": 1,
    "io": 2,
    "rules": 3,
    "graph": 3,
    "catalogs": 4,
    "scenarios": 5,
    # faces
    "display": 6,
    "report": 6,
    "cli": 6,
    "__main__": 6,
    "": 6,  # the root package: the public API of every floor (loaded lazily), a face
}
"""The floor of each top-level module or package of ``stratpolicy``, bottom up."""

SIBLINGS_APART = {frozenset({"rules", "graph"})}
"""Packages on one floor that must not import each other."""

DOORS: dict[tuple[str, str], str] = {
    ("stratpolicy.model._portfolio", "graph"): "Portfolio.graph() builds the graph engine on "
    "first call (and names MissionGraph for type checkers)",
    ("stratpolicy.model._portfolio", "display"): "Portfolio._repr_html_",
    ("stratpolicy.model._mission", "display"): "Mission._repr_html_",
    ("stratpolicy.rules._explanation", "display"): "Explanation._repr_html_ (a Decision's too)",
    ("stratpolicy.graph._graph", "display"): "MissionGraph._repr_html_ and plot()",
    ("stratpolicy.graph._table", "display"): "Table.__repr__ and _repr_html_",
    ("stratpolicy.scenarios._reform", "display"): "Reform._repr_html_",
    ("stratpolicy.scenarios._population", "display"): "Population._repr_html_",
    ("stratpolicy.scenarios._compare", "display"): "Comparison._repr_html_ and plot()",
    ("stratpolicy.scenarios._portfolios", "display"): "PortfolioComparison._repr_html_",
    ("stratpolicy.scenarios._runner", "display"): "ExperimentResults._repr_html_",
}
"""Upward imports inside a method, each with the method that needs it."""

PENDING: dict[tuple[str, str], str] = {}
"""Crossings a change in progress removes; empty when there is none."""

_MODULE_TEXT = re.compile(r"stratpolicy(\.[A-Za-z_]\w*)+(:\w+)?")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _root_exports() -> dict[str, str]:
    """Name -> defining module, from the root package's lazy table (``_LAZY``)."""
    tree = ast.parse((SRC / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "_LAZY":
            table = ast.literal_eval(node.value)  # type: ignore[arg-type]
            return {k: v or f"stratpolicy.{k}" for k, v in table.items()}
    raise AssertionError("stratpolicy/__init__.py has no _LAZY table")


ROOT_EXPORTS = _root_exports()


def _is_module(name: str) -> bool:
    path = SRC.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _where(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return "function"
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return "type_checking"
    return "module"


def imports_of(path: Path) -> Iterator[tuple[str, str, int]]:
    """``(imported module, where, line)`` for every reference of a module to the library."""
    module = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                if source == "stratpolicy":
                    targets.append(ROOT_EXPORTS.get(alias.name, f"stratpolicy.{alias.name}"))
                elif _is_module(f"{source}.{alias.name}"):
                    targets.append(f"{source}.{alias.name}")  # from stratpolicy.x import _y
                else:
                    targets.append(source)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and _MODULE_TEXT.fullmatch(node.value)
        ):
            targets = [node.value.partition(":")[0]]
        for target in targets:
            if target == "stratpolicy" or target.startswith("stratpolicy."):
                yield target, _where(node, parents), getattr(node, "lineno", 0)


MODULES = sorted(SRC.rglob("*.py"))
FOUND = {
    (_module_name(p), target, where, line) for p in MODULES for target, where, line in imports_of(p)
}


def _crossing(module: str, target: str) -> tuple[bool, bool]:
    """(goes up a floor or to a sibling kept apart, reaches another package's private module)."""
    here, there = _package(module), _package(target)
    assert here in FLOORS, f"{module}: add its package to FLOORS (and to docs/architecture.md)"
    assert there in FLOORS, f"{target}: add its package to FLOORS (and to docs/architecture.md)"
    up = FLOORS[there] > FLOORS[here] or frozenset({here, there}) in SIBLINGS_APART
    parts = target.split(".")
    private = (
        len(parts) >= 3 and parts[2].startswith("_") and parts[1] != here and bool(there)
    ) and not there.startswith("_")
    return up, private


def test_every_module_is_read() -> None:
    names = {_module_name(p) for p in MODULES}
    assert {"stratpolicy.model._portfolio", "stratpolicy.display", "stratpolicy.report"} <= names
    assert len(FOUND) > 200  # the library's own imports, so the walk found them


def test_imports_point_down_except_through_doors() -> None:
    wrong = []
    for module, target, where, line in sorted(FOUND):
        up, _ = _crossing(module, target)
        if not up or (module, target) in PENDING:
            continue
        door = DOORS.get((module, _package(target)))
        if door is None or where == "module":
            wrong.append(f"{module}:{line} imports {target} ({where})")
    assert wrong == [], "upward imports (a door must be a listed import inside a method)"


def test_no_private_module_is_imported_from_another_package() -> None:
    wrong = [
        f"{module}:{line} imports {target}"
        for module, target, _, line in sorted(FOUND)
        if _crossing(module, target)[1] and (module, target) not in PENDING
    ]
    assert wrong == []


@pytest.mark.parametrize("entry", [*DOORS, *PENDING], ids=lambda e: f"{e[0]}->{e[1]}")
def test_every_door_and_pending_crossing_is_still_used(entry: tuple[str, str]) -> None:
    module, target = entry
    assert any(m == module and (t == target or _package(t) == target) for m, t, _, _ in FOUND), (
        f"{module} no longer imports {target}: remove the entry"
    )


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The rules themselves: a module-level upward import, a door, a private crossing."""
    assert _crossing("stratpolicy.model._mission", "stratpolicy.rules") == (True, False)
    assert _crossing("stratpolicy.rules._spec", "stratpolicy.graph") == (True, False)
    assert _crossing("stratpolicy.graph._index", "stratpolicy.model") == (False, False)
    assert _crossing("stratpolicy.rules._spec", "stratpolicy.model._dates") == (False, True)
    assert _crossing("stratpolicy.display._model", "stratpolicy._html") == (False, False)
    assert _crossing("stratpolicy.report._data", "stratpolicy.display") == (False, False)
