"""The command line: the main job, validate, catalog; user errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stratpolicy import Roadmap, io
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
    # kr_budget_2026_update.yaml: 35.3 proposed, 35.5 enacted, each with its stage
    flat = " ".join(out.split())  # long lines wrap
    assert "2026: 35.3 trillion KRW (proposal), 35.5 trillion KRW (enacted)" in flat
    assert "Quantum computing (1)" in out  # a challenge's required technology with its weight


def test_report_json_for_machines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["report_version"] == 2
    assert data["portfolio"]["id"] == "kr_summit_2025"
    assert data["portfolio"]["counts"]["key_technologies"] == 50
    budgets = {i["id"]: i["budget"] for i in data["instruments"]}
    assert [(b["year"], b["amount"], b["stage"]) for b in budgets["ai_budget_2026"]] == [
        (2026, 10.1398e12, "proposal"),
        (2026, 9.9334e12, "enacted"),
    ]


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


def test_report_has_an_explained_tax_credit_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report")
    assert code == 0
    # RSTA Art. 10(1)2, tax year 2025, SME: 0.40 + min(0.10, 3 * 1e9 / 1e11) = 0.43;
    # credit = 1,000,000,000 KRW * 0.43 = 430,000,000 KRW
    assert "nst_rd_credit_rate = 0.43" in out
    assert "  rd_credit = 430,000,000 KRW" in out
    assert "parameter nst_rd_base_rate['sme'] = 0.4" in out
    assert "rsta_field in rsta_nst_fields -> false" in out
    # the same firm doing quantum R&D: Art. 10(1)1, 1e9 * (0.30 + min(0.10, 0.03)), or
    # Art. 10(1)3, current-year method, 1e9 * 0.25
    assert "new_growth_rd_credit = 330,000,000 KRW" in out
    assert "general_rd_credit = 250,000,000 KRW" in out


def test_report_graph_sections(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report")
    assert code == 0
    linkage = out.split("Designated areas and tax credits: when each was linked")[1]
    linkage = linkage.split("\n\n")[0]
    # The reference data's msit_fields_without_rsta_nst_field_as_of_2025, by name:
    for area in [
        "Next-generation nuclear energy",
        "Aerospace and marine",
        "Cybersecurity",
        "Next-generation communications",
        "Advanced robotics and manufacturing",
        "Quantum",
    ]:
        assert f"\n{area}: no tax credit" in linkage
    # the field start dates of kr_rsta_rd_credit_tiers.yaml (nst_fields)
    assert "\nArtificial intelligence: since 2025-01-01 - " in linkage
    assert "\nHydrogen: since 2023-01-01 - " in linkage
    assert "\nSemiconductors and displays: since 2021-07-01 - " in linkage
    # 2026 budgets counted once: 35.5 (R&D, incl. the 8.6 NST line) + 9.9334 (AI) - 2.3
    # (AI R&D inside the R&D budget) + 1.0 (fund) = 44.1334 trillion KRW
    assert "Money in 2026, counted once: 44.1334 trillion KRW" in out
    for title in (
        "Coverage of missions",
        "Gaps",
        "bottleneck technologies",
        "Cross-ministerial pipeline",
    ):
        assert title in out


def test_report_json_has_the_graph_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "--format", "json")
    assert code == 0
    data = json.loads(out)
    totals = data["graph"]["funding_flow"]["totals"][0]
    assert totals["budget"] == pytest.approx(44.1334e12)
    assert totals["to_missions"] + totals["unallocated"] == pytest.approx(totals["budget"])


@pytest.mark.parametrize("fmt", ["graphml", "json", "mermaid"])
def test_graph_export(capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str) -> None:
    import networkx as nx

    code, out, _ = run(capsys, "graph", "--format", fmt)
    assert code == 0
    portfolio = korea.summit_2025()
    # every object but the roadmaps is a node (roadmaps are dated text, not graph nodes)
    nodes = {o.id for o in portfolio if not isinstance(o, Roadmap)}
    if fmt == "graphml":
        path = tmp_path / "g.graphml"
        path.write_text(out, encoding="utf-8")
        assert set(nx.read_graphml(path).nodes) == nodes
    elif fmt == "json":
        assert {n["id"] for n in json.loads(out)["nodes"]} == nodes
    else:
        assert out.startswith("flowchart")
    code, _, err = run(capsys, "graph", str(tmp_path / "none.yaml"))
    assert code == 1 and "no such file" in err


def test_report_early_warning_section(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report")
    assert code == 0
    section = out.split("Early warning\n-------------\n")[1]
    assert (
        "2026-02-22 Semiconductors and displays: warning: China's technology level is above "
        "Korea's" in section
    )
    assert "2026-02-22 Secondary batteries: watch" in section
    assert "Caveat: The alert rules (catalog kr_early_warning) are the library's own" in section


def test_catalog_show_indicators(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "show", "kr_tech_levels", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["artificial_intelligence"][0]["metric"] == "level_pct"
