"""Every Python example in the README and the docs runs, and every YAML document loads.

The blocks of one page run in order in one namespace, in a temporary directory, so a page
can build on its earlier examples. An example that rots fails the suite.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import stratpolicy

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"```(python|yaml)\n(.*?)```", re.S)


def _blocks(page: Path, language: str) -> list[str]:
    return [
        code for lang, code in BLOCK.findall(page.read_text(encoding="utf-8")) if lang == language
    ]


@pytest.mark.parametrize("page", [p for p in PAGES if _blocks(p, "python")], ids=lambda p: p.name)
def test_python_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for number, code in enumerate(_blocks(page, "python")):
        compiled = compile(code, f"{page.name}[{number}]", "exec")
        exec(compiled, namespace)


@pytest.mark.parametrize(
    "page",
    [p for p in PAGES if any(b.startswith("schema_version") for b in _blocks(p, "yaml"))],
    ids=lambda p: p.name,
)
def test_yaml_documents_load_and_round_trip(page: Path) -> None:
    for block in _blocks(page, "yaml"):
        if block.startswith("schema_version"):
            obj = stratpolicy.loads(block, "yaml")
            for fmt in ("json", "yaml", "toml"):
                assert stratpolicy.loads(stratpolicy.dumps(obj, fmt), fmt) == obj
