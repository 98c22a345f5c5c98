"""``stratpolicy provenance`` lists every unverified fact and every assumption."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from stratpolicy import io
from stratpolicy.catalogs import korea
from stratpolicy.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def unverified_paths(node: Any, path: str = "") -> list[str]:
    """Document paths of every mapping with ``verified: false``, walking the YAML itself."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("verified") is False:
            found.append(path)
        for key, value in node.items():
            found += unverified_paths(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found += unverified_paths(item, f"{path}[{i}]")
    return found


def editorial_paths(node: Any, path: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for field in node.get("editorial", []):
            found.append(f"{path}.{field}")
        for key, value in node.items():
            found += editorial_paths(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found += editorial_paths(item, f"{path}[{i}]")
    return found


@pytest.fixture(scope="module")
def summit_yaml() -> Any:
    text = (
        resources.files("stratpolicy")
        .joinpath("catalogs/data/kr_summit_2025.yaml")
        .read_text(encoding="utf-8")
    )
    return yaml.safe_load(text)


def test_lists_every_unverified_entry_of_the_summit_catalog(
    capsys: pytest.CaptureFixture[str], summit_yaml: Any
) -> None:
    expected = unverified_paths(summit_yaml)
    # the catalog has unverified requirements, supports, links, an overlap, actors...
    assert len(expected) > 30
    assert "missions[3].requires[0]" in expected and "actors[9].verified" not in expected
    data = json.loads(run(capsys, "provenance", "--format", "json"))
    listed = {r["path"] for r in data["provenance"] if r["kind"] == "unverified"}
    assert set(expected) <= listed
    text = run(capsys, "provenance")
    for path in expected:
        assert f"\n{path}: " in text, path


def test_lists_every_editorial_field_and_context_instrument(
    capsys: pytest.CaptureFixture[str], summit_yaml: Any
) -> None:
    data = json.loads(run(capsys, "provenance", "--format", "json"))
    rows = data["provenance"]
    assert {r["path"] for r in rows if r["kind"] == "editorial"} == set(
        editorial_paths(summit_yaml)
    )
    context = [
        f"instruments[{i}]"
        for i, ins in enumerate(summit_yaml["instruments"])
        if ins.get("context")
    ]
    assert [r["path"] for r in rows if r["kind"] == "context"] == context


def test_lists_the_assumptions_of_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(capsys, "provenance", "--format", "json"))
    assumptions = [r for r in data["provenance"] if r["kind"] == "assumption"]
    paths = {r["path"] for r in assumptions}
    assert {"coverage", "funding_flow", "pipeline", "early_warning", "tax_example"} <= paths
    statements = " ".join(r["statement"] for r in assumptions)
    assert "most final budget stage" in statements
    assert "proposal figure" in statements
    assert "may count up to 1,000,000,000,000 KRW twice" in statements
    assert "the library's own" in statements  # the early-warning rules
    # an allocation asked for is an assumption listed with the others
    split = json.loads(run(capsys, "provenance", "--format", "json", "--allocation", "equal"))
    assert any("allocation 'equal'" in r["statement"] for r in split["provenance"])


def test_on_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "summit.toml"
    io.dump(korea.summit_2025(), path)
    text = run(capsys, "provenance", str(path))
    assert text.startswith("Provenance: National Strategic Technology Summit 2025 (Korea)")
    assert "missions[0].requires[0]: ai_transformation requires artificial_intelligence" in text
    # the Korean extras belong to the built-in report
    assert "\nearly_warning: " not in text and "\ntax_example: " not in text
    assert "\nearly_warning: " in run(capsys, "provenance")
