"""``stratpolicy schema`` and ``stratpolicy validate --format json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import stratpolicy
from stratpolicy.catalogs import korea
from stratpolicy.cli import main
from stratpolicy.errors import DataError
from tests.conftest import DATA


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_schema_list_names_every_kind(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "schema", "--list")
    assert code == 0 and err == ""
    kinds = [line.split()[0] for line in out.splitlines()]
    assert kinds == list(stratpolicy.document_kinds())
    assert "rule_set        RuleSet: Rules with their inputs" in out


@pytest.mark.parametrize("kind", ["portfolio", "rule_set", "exchange_rates"])
def test_schema_prints_the_kinds_json_schema(capsys: pytest.CaptureFixture[str], kind: str) -> None:
    code, out, err = run(capsys, "schema", kind)
    assert code == 0 and err == ""
    assert json.loads(out) == stratpolicy.schema(kind)


def test_schema_output_writes_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "portfolio.schema.json"
    code, out, _ = run(capsys, "schema", "portfolio", "--output", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8")) == stratpolicy.schema("portfolio")


def test_schema_of_an_unknown_kind_or_none(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "schema", "spaceship")
    assert code == 1
    assert err.startswith("error: no document kind 'spaceship'; the kinds are portfolio, ")
    code, _, err = run(capsys, "schema")
    assert code == 1 and "name a document kind" in err


def test_validate_json_of_a_valid_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "summit.json"
    stratpolicy.dump(korea.summit_2025(), path)
    code, out, err = run(capsys, "validate", str(path), "--format", "json")
    assert code == 0 and err == ""
    assert json.loads(out) == {
        "file": str(path),
        "valid": True,
        "document": "portfolio",
        "objects": len(korea.summit_2025()),
    }


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "bad").iterdir()))
def test_validate_json_prints_the_error_record(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = DATA / "bad" / name
    code, out, err = run(capsys, "validate", str(path), "--format", "json")
    assert code == 1 and err == ""
    record = json.loads(out)
    assert record["file"] == str(path) and record["valid"] is False
    with pytest.raises(DataError) as info:
        stratpolicy.load(path)
    assert record["error"] == info.value.to_dict()
    assert DataError.from_dict(record["error"]) == info.value
    for problem in record["error"]["problems"]:
        assert set(problem) == {"path", "message", "code"}


def test_validate_json_codes_of_a_file_with_problems_of_several_kinds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(
        capsys, "validate", str(DATA / "bad" / "many_problems.yaml"), "--format", "json"
    )
    error = json.loads(out)["error"]
    assert (error["error"], error["code"]) == ("DataError", "data")
    assert [(p["path"], p["code"]) for p in error["problems"]] == [
        ("missions[0].name", "schema"),
        ("missions[0].requires[0].weight", "validation"),
        ("extra", "schema"),
    ]
