"""The command line: the main job, validate, catalog; user errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stratpolicy import io
from stratpolicy.catalogs import korea
from stratpolicy.cli import main
from tests.conftest import DATA


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_report_on_the_built_in_summit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "report")
    assert code == 0 and err == ""
    assert "Lead the AI transformation" in out
    assert "target: AI power ranking: top 3" in out
    assert "2026: 35.3 trillion KRW" in out
    assert "Quantum computing (1)" in out  # a challenge's required technology with its weight


def test_report_json_for_machines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["portfolio"]["id"] == "kr_summit_2025"
    assert data["portfolio"]["counts"]["key_technologies"] == 50
    budgets = {i["id"]: i["budget"] for i in data["instruments"]}
    assert budgets["ai_budget_2026"] == {"2026": "10.1 trillion KRW"}


def test_report_on_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    io.dump(korea.summit_2025(), path)
    code, out, _ = run(capsys, "report", str(path))
    assert code == 0 and "Present future innovation" in out


@pytest.mark.parametrize("fmt", ["json", "yaml", "toml"])
def test_validate_accepts_each_dumped_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"summit.{fmt}"
    io.dump(korea.summit_2025(), path)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0
    assert out.strip() == f"{path}: valid portfolio with {len(korea.summit_2025())} objects"


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "bad").iterdir()))
def test_validate_prints_every_problem_without_traceback(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, err = run(capsys, "validate", str(DATA / "bad" / name))
    assert code == 1 and out == ""
    assert err.startswith("error: ")
    assert "Traceback" not in err
    with pytest.raises(Exception) as info:
        io.load(DATA / "bad" / name)
    for problem in info.value.problems:  # type: ignore[attr-defined]
        assert str(problem) in err


def test_missing_file_and_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert code == 1 and err.strip() == f"error: no such file: {tmp_path / 'nope.yaml'}"
    code, _, err = run(capsys, "report", str(tmp_path))
    assert code == 1 and "is a directory" in err
    (tmp_path / "x.txt").write_text("hi", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(tmp_path / "x.txt"))
    assert code == 1 and "cannot tell the format" in err


def test_catalog_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "list")
    assert code == 0 and "kr_summit_2025" in out and "us_cet_2024" in out
    code, out, _ = run(capsys, "catalog", "show", "us_cet_2024", "--format", "json")
    assert code == 0 and json.loads(out)["document"] == "portfolio"
    code, out, _ = run(capsys, "catalog", "show", "stip_instrument_types")
    assert code == 0 and "PI015" in out
    code, _, err = run(capsys, "catalog", "show", "nope")
    assert code == 1 and "no catalog named 'nope'" in err


def test_bad_command_line_exits_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


def test_python_dash_m() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "stratpolicy", "catalog", "list"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "kr_summit_2025" in out.stdout
