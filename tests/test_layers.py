"""Imports point down the floors of the house, and no private module is used across packages.

Every import of a checked module is read from its source with ``ast`` -- at the top, inside
functions, under ``if TYPE_CHECKING:`` -- and so is every module named in a string (the
target of ``importlib.import_module``, or a ``"module:Class"`` reference), which an import
analysis would otherwise not see. An import is allowed when it is of

* a module of the same package (``stratpolicy.io._formats`` from ``stratpolicy.io``), or
* a module on a lower floor, public or a top-level private module of the ground floor
  (``stratpolicy._checks``), never another package's private module.

Two packages on one floor (``graph`` and ``rules``) may not import each other; the modules
of the ground floor (``errors``, ``limits``, ``_checks``, ``_version``) are one unit.

``CHECKED`` lists the packages checked now; add a package to it once its imports obey the
table (issue 10 asks for all of them).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"

# package (or module) -> its floor; higher floors may import lower ones, never the reverse
FLOORS: dict[str, int] = {
    # ground floor: no dependencies inside the library
    "stratpolicy.errors": 0,
    "stratpolicy.limits": 0,
    "stratpolicy._checks": 0,
    "stratpolicy._version": 0,
    "stratpolicy.units": 1,  # the one pint registry, money and currencies
    "stratpolicy.model": 2,  # attrs domain objects
    "stratpolicy.io": 3,  # converter, formats, JSON Schema, the kinds registry
    "stratpolicy.graph": 4,  # the engines: neither imports the other
    "stratpolicy.rules": 4,
    "stratpolicy.catalogs": 5,  # built-in data, built with the engines
    "stratpolicy": 6,  # the top-level package: the public names of every floor
    "stratpolicy.cli": 7,  # faces: use the public API
    "stratpolicy.__main__": 8,  # python -m stratpolicy: runs the command line
}
GROUND = 0  # the ground floor's modules are one unit: they may import each other

# packages whose imports are checked (every module under them)
CHECKED = ["stratpolicy.io"]


def _unit(module: str) -> str:
    """The entry of FLOORS a module belongs to (its package, or itself)."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in FLOORS:
            return prefix
    raise KeyError(f"{module} is on no floor: add it to FLOORS")


def _module_name(path: Path, src: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve_from(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _exists(module: str, src: Path) -> bool:
    path = src.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports_of(path: Path, src: Path = SRC) -> list[tuple[int, str]]:
    """``(line, module)`` for every stratpolicy module the file imports or names."""
    importer = _module_name(path, src)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(node, importer, is_package)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append((node.lineno, sub if _exists(sub, src) else base))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            text = node.value.split(":", 1)[0]
            if text.startswith("stratpolicy.") and text.replace(".", "").replace("_", "").isalnum():
                found.append((node.lineno, text))
    return [(line, m) for line, m in found if m == "stratpolicy" or m.startswith("stratpolicy.")]


def violations(package: str, src: Path = SRC) -> list[str]:
    root = src.joinpath(*package.split("."))
    files = sorted(root.rglob("*.py")) if root.is_dir() else [root.with_suffix(".py")]
    found = []
    for path in files:
        importer = _module_name(path, src)
        home = _unit(importer)
        for line, target in imports_of(path, src):
            where = f"{path.relative_to(src)}:{line} imports {target}"
            there = _unit(target)
            if there == home or FLOORS[there] == FLOORS[home] == GROUND:
                continue
            if FLOORS[there] >= FLOORS[home]:
                found.append(f"{where}: floor {FLOORS[there]} is not below floor {FLOORS[home]}")
                continue
            private = [p for p in target[len(there) :].split(".") if p.startswith("_")]
            if private and FLOORS[there] > GROUND:
                found.append(f"{where}: a private module of {there}")
    return found


@pytest.mark.parametrize("package", CHECKED)
def test_imports_point_down_and_use_public_modules(package: str) -> None:
    assert violations(package) == []


def test_every_module_is_on_a_floor() -> None:
    for path in (SRC / "stratpolicy").rglob("*.py"):
        _unit(_module_name(path, SRC))


def test_the_check_catches_what_it_should(tmp_path: Path) -> None:
    """The checker itself: an upward import in each form it must see is reported."""
    for package in ("", "io", "catalogs", "model", "rules", "graph", "cli"):
        folder = tmp_path.joinpath("stratpolicy", package)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "stratpolicy" / "errors.py").write_text("", encoding="utf-8")
    (tmp_path / "stratpolicy" / "io" / "_probe.py").write_text(
        '"""A probe: every import below is upward or private. stratpolicy.rules: a docstring."""\n'
        "import importlib\n"
        "from stratpolicy.rules import RuleSet\n"
        "from ..graph import MissionGraph\n"
        "from . import _converter\n"
        "from stratpolicy import catalogs, errors\n"
        "from stratpolicy.model._dates import in_period\n"
        "def f():\n"
        "    import stratpolicy.cli\n"
        "    return importlib.import_module('stratpolicy.rules')\n"
        "KINDS = {'rule_set': 'stratpolicy.rules:RuleSet'}\n",
        encoding="utf-8",
    )
    found = [v.split(" imports ")[1] for v in violations("stratpolicy.io", tmp_path)]
    assert sorted(found) == sorted(
        [
            "stratpolicy.rules: floor 4 is not below floor 3",
            "stratpolicy.graph: floor 4 is not below floor 3",
            "stratpolicy.catalogs: floor 5 is not below floor 3",
            "stratpolicy.model._dates: a private module of stratpolicy.model",
            "stratpolicy.cli: floor 7 is not below floor 3",
            "stratpolicy.rules: floor 4 is not below floor 3",
            "stratpolicy.rules: floor 4 is not below floor 3",
        ]
    )
