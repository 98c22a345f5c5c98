"""Every public name has a docstring and a place in the built API reference.

The site is built once for this module (``mkdocs build --strict`` into a temporary folder,
about 3 s; the notebooks are converted but not executed here: tests/test_notebooks.py runs
them). A name counts as documented when the site's object inventory (``objects.inv``, which
mkdocstrings writes for every object it renders) lists it and the page it points to has the
anchor. Docstrings are read with griffe, the same static reader mkdocstrings uses, so a
constant's docstring counts only if the reference can show it.
"""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = [
    "stratpolicy",
    "stratpolicy.rules",
    "stratpolicy.graph",
    "stratpolicy.model",
    "stratpolicy.units",
    "stratpolicy.io",
    "stratpolicy.errors",
    "stratpolicy.limits",
    "stratpolicy.catalogs",
    "stratpolicy.catalogs.korea",
    "stratpolicy.catalogs.international",
    "stratpolicy.display",
    "stratpolicy.report",
    "stratpolicy.scenarios",
    "stratpolicy.scenarios.examples",
]
PUBLIC = [(module, name) for module in MODULES for name in importlib.import_module(module).__all__]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "STRATPOLICY_DOCS_EXECUTE": "false"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir"]
    done = subprocess.run(
        [*command, str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}"
    return out


@pytest.fixture(scope="module")
def inventory(site: Path) -> dict[str, str]:
    """Object name -> URI (page#anchor) from the site's Sphinx-style objects.inv."""
    data = (site / "objects.inv").read_bytes()
    header, _, body = data.partition(b"zlib.\n")
    assert header.startswith(b"# Sphinx inventory version 2")
    entries: dict[str, str] = {}
    for line in zlib.decompress(body).decode("utf-8").splitlines():
        name, _role, _priority, uri, _display = line.split(" ", 4)
        entries[name] = uri.replace("$", name) if uri.endswith("$") else uri
    return entries


@pytest.fixture(scope="module")
def griffe_package() -> Any:
    griffe = pytest.importorskip("griffe")
    return griffe.load("stratpolicy", search_paths=[str(ROOT / "src")], resolve_aliases=True)


def _anchors(site: Path, page: str, cache: dict[str, set[str]]) -> set[str]:
    if page not in cache:
        html = (site / page / "index.html").read_text(encoding="utf-8")
        cache[page] = set(re.findall(r'id="([^"]+)"', html))
    return cache[page]


def test_every_public_name_is_in_the_built_reference(site: Path, inventory: dict[str, str]) -> None:
    missing, no_anchor = [], []
    cache: dict[str, set[str]] = {}
    for module, name in PUBLIC:
        uri = inventory.get(f"{module}.{name}")
        if uri is None:
            missing.append(f"{module}.{name}")
            continue
        page, _, anchor = uri.partition("#")
        if anchor and anchor not in _anchors(site, page.rstrip("/"), cache):
            no_anchor.append(f"{module}.{name} -> {uri}")
    assert missing == [], "not rendered in the API reference (no docstring?)"
    assert no_anchor == []


def test_the_reference_has_the_new_jupyter_api(inventory: dict[str, str]) -> None:
    assert inventory["stratpolicy.graph.MissionGraph.plot"] == (
        "reference/graph/#stratpolicy.graph.MissionGraph.plot"
    )
    assert "stratpolicy.graph.MissionGraph.to_mermaid" in inventory


def test_every_public_name_has_a_docstring(griffe_package: Any) -> None:
    undocumented = []
    for module, name in PUBLIC:
        owner = griffe_package if module == "stratpolicy" else griffe_package[module[12:]]
        obj = owner[name]
        target = obj.final_target if obj.is_alias else obj
        if not (target.docstring and target.docstring.value.strip()):
            undocumented.append(f"{module}.{name}")
    assert undocumented == []


def test_every_public_method_and_property_has_a_docstring(griffe_package: Any) -> None:
    undocumented = []
    for module, name in PUBLIC:
        owner = griffe_package if module == "stratpolicy" else griffe_package[module[12:]]
        obj = owner[name]
        target = obj.final_target if obj.is_alias else obj
        if not target.is_class:
            continue
        for member_name, member in target.members.items():
            if member_name.startswith("_"):
                continue
            member = member.final_target if member.is_alias else member
            # fields are documented in the class's "Attributes:" section, enum members by value
            if member.is_attribute and "property" not in member.labels:
                continue
            if not (member.docstring and member.docstring.value.strip()):
                undocumented.append(member.path)
    assert undocumented == []


def test_the_top_level_page_lists_every_name() -> None:
    import stratpolicy

    page = (ROOT / "docs" / "reference" / "stratpolicy.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\[`(\w+)`\]\[stratpolicy\.\w+\.(\w+)\]", page))
    names = {n for n in stratpolicy.__all__ if stratpolicy._LAZY.get(n) not in ("", None)}
    assert {a for a, b in linked if a == b} == names
