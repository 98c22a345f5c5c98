"""The report an analyst reads: names, percentages, money with stage, caveats, 100 columns."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from stratpolicy import io
from stratpolicy.catalogs import korea
from stratpolicy.cli import main

WIDTH = 100


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def sections(text: str) -> dict[str, list[str]]:
    """The text report's sections: title -> lines (wrapped lines joined back)."""
    lines = text.splitlines()
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line and nxt and set(nxt) <= {"-"} and len(nxt) == len(line):
            current = found.setdefault(line, [])
            continue
        if current is None or (line and set(line) <= {"-"}):
            continue
        if line.startswith("    ") and current:
            # a continuation of a wrapped line is indented 4 more than its line
            previous = current[-1]
            indent = len(previous) - len(previous.lstrip(" "))
            if len(line) - len(line.lstrip(" ")) == indent + 4:
                current[-1] = previous + " " + line.strip()
                continue
        if line:
            current.append(line)
    return found


@pytest.fixture(scope="module")
def summit_text() -> str:
    import io as stdio
    from contextlib import redirect_stdout

    buffer = stdio.StringIO()
    with redirect_stdout(buffer):
        assert main(["report"]) == 0
    return buffer.getvalue()


def columns(line: str) -> int:
    """Terminal columns: a wide (East Asian) character takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def test_every_line_fits_in_100_columns(
    capsys: pytest.CaptureFixture[str], summit_text: str, tmp_path: Path
) -> None:
    assert max(len(line) for line in summit_text.splitlines()) <= WIDTH
    assert max(columns(line) for line in summit_text.splitlines()) <= WIDTH
    assert "재정경제부" in summit_text  # wide characters are there to count
    for args in (["--allocation", "equal"], ["--allocation", "by_weight"], ["--on", "none"]):
        out = run(capsys, "report", *args)
        assert max(len(line) for line in out.splitlines()) <= WIDTH, args
    path = tmp_path / "summit.yaml"
    io.dump(korea.summit_2025(), path)
    out = run(capsys, "report", str(path))
    assert max(len(line) for line in out.splitlines()) <= WIDTH
    out = run(capsys, "provenance")
    assert max(len(line) for line in out.splitlines()) <= WIDTH


def test_no_float_noise(capsys: pytest.CaptureFixture[str], summit_text: str) -> None:
    # a float printed with its binary noise, like 0.43000000000000005, has many decimals
    noise = re.compile(r"\d\.\d{5,}")
    assert noise.findall(summit_text) == []
    assert noise.findall(run(capsys, "report", "--allocation", "by_weight")) == []


def test_names_not_ids(capsys: pytest.CaptureFixture[str], summit_text: str) -> None:
    portfolio = korea.summit_2025()
    ids = {o.id for o in portfolio if "_" in o.id}  # snake_case ids cannot be English words
    assert ids  # there are such ids to look for
    printed = {i for i in ids if re.search(rf"\b{re.escape(i)}\b", summit_text)}
    assert printed == set()
    data = json.loads(run(capsys, "report", "--format", "json"))
    assert data["sections"][3]["data"][0]["mission"] == "ai_transformation"  # ids in JSON


def test_header_as_of_and_counts(summit_text: str) -> None:
    head = " ".join(summit_text.split("\n\n")[0].split())
    assert "As of 2026-03-13:" in head
    # the summit names 3 missions, 5 challenges and 7 instruments; 3 more are modelled
    assert "3 missions, 5 challenges, 7 instruments named by the source (10 modelled)" in head
    assert "stratpolicy provenance lists them" in head


def test_percentages_and_coverage_not_100_everywhere(summit_text: str) -> None:
    coverage = sections(summit_text)["Coverage of missions (targeted support)"]
    figures = [re.search(r": (\d+) % of", line) for line in coverage]
    shown = [int(m.group(1)) for m in figures if m]
    assert len(shown) == 8
    # by hand (tests/graph/test_coverage.py): 3.5/6, 0, 0.5/3.75 for the core missions
    assert shown[0] == round(100 * 3.5 / 6) and shown[3] == 0 and shown[6] == round(50 / 3.75)
    assert set(shown) != {100}
    assert not re.search(r"\b0\.\d+\b", "\n".join(coverage))  # no shares as fractions


def test_money_has_currency_and_stage(summit_text: str) -> None:
    funding = sections(summit_text)["Funding flow 2026"]
    money_lines = [line for line in funding if "trillion" in line]
    assert money_lines and all("KRW" in line for line in money_lines)
    stages = {"(enacted)", "(plan)", "(proposal)"}
    budget_lines = [line for line in funding if re.search(r"trillion KRW \((\w+)\)", line)]
    assert {re.search(r"\((\w+)\)", line).group(0) for line in budget_lines} == stages  # type: ignore[union-attr]


def test_every_section_resting_on_an_assumption_has_a_caveat(
    capsys: pytest.CaptureFixture[str], summit_text: str
) -> None:
    """Acceptance: no figure that rests on an unsourced split without a caveat next to it."""
    data = json.loads(run(capsys, "report", "--format", "json"))
    by_id = {s["id"]: s for s in data["sections"]}
    # coverage, gaps and bottlenecks rest on the editors' weights and on the envelope rule;
    # the funding flow on stages, overlaps and the (missing) split; the pipeline and the
    # linkage on the editors' mappings
    for section_id in ("coverage", "gaps", "bottlenecks", "funding", "pipeline", "linkage"):
        assert by_id[section_id]["caveats"], section_id
    assert any("editors'" in c for c in by_id["coverage"]["caveats"])
    assert any("envelope" in c for c in by_id["coverage"]["caveats"])
    funding = " ".join(by_id["funding"]["caveats"])
    for words in ("stages differ", "proposal figure", "unpublished amount", "stay unallocated"):
        assert words in funding
    # in the text, each caveat sits under its own section, before the next one starts
    text = sections(summit_text)
    for section in data["sections"]:
        shown = text[section["title"]]
        for caveat in section["caveats"]:
            assert f"Caveat: {' '.join(caveat.split())}" in shown, (section["title"], caveat)


def test_without_an_allocation_no_mission_gets_a_split_figure(summit_text: str) -> None:
    funding = sections(summit_text)["Funding flow 2026"]
    assert not any(line.strip().startswith("Per mission") for line in funding)
    assert "Money at the technologies each mission needs (not split; does not add up):" in funding


@pytest.mark.parametrize(
    ("allocation", "label"),
    [("equal", "split equally"), ("by_weight", "split by requirement weight")],
)
def test_split_figures_carry_their_assumption(
    capsys: pytest.CaptureFixture[str], allocation: str, label: str
) -> None:
    text = sections(run(capsys, "report", "--allocation", allocation))
    funding = text["Funding flow 2026"]
    start = next(i for i, line in enumerate(funding) if line.startswith("Per mission"))
    end = next(i for i, line in enumerate(funding) if line.startswith("Money at the"))
    per_mission = funding[start + 1 : end]
    assert len(per_mission) == 8
    for line in per_mission:  # the assumption beside every figure that depends on it
        assert line.endswith(f"KRW [{label}]"), line
    assert any(c.startswith(f"Caveat: Figures marked [{label}]") for c in funding)


def test_ties_are_said_as_ties(summit_text: str) -> None:
    lines = sections(summit_text)["Top 5 bottleneck technologies"]
    # one technology is needed by 2 missions; every other required one by 1 (tests/graph)
    assert lines[0].startswith("1. Advanced AI modelling and decision-making: 2 missions")
    assert all(line.startswith("2= ") for line in lines[1:5])
    assert lines[5] == "(17 more tied at rank 2 with 1 mission are not shown)"


def test_the_korean_examples_belong_to_the_built_in_summit_only(
    capsys: pytest.CaptureFixture[str], summit_text: str, tmp_path: Path
) -> None:
    assert "Example tax-credit decision" in summit_text and "\nEarly warning\n" in summit_text
    path = tmp_path / "p.json"
    io.dump(korea.summit_2025(), path)
    out = run(capsys, "report", str(path))
    assert "Example tax-credit decision" not in out and "\nEarly warning\n" not in out
    assert "Coverage of missions" in out


def test_pipeline_counts_the_finance_ministrys_successor(summit_text: str) -> None:
    lines = sections(summit_text)["Cross-ministerial pipeline"]
    assert lines[0] == (
        "Lead the AI transformation: MSIT, Ministry of Economy and Finance (재정경제부), MOTIE, MSS"
    )
    assert not any("one ministry only" in line for line in lines)


def test_json_is_complete_and_versioned(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(capsys, "report", "--format", "json", "--allocation", "equal"))
    assert data["report_version"] == 2
    assert data["settings"]["allocation"] == "equal"
    assert {"portfolio", "header", "missions", "instruments", "incentives", "sections"} <= set(data)
    assert {"graph", "provenance", "as_of"} <= set(data)
    flow = data["graph"]["funding_flow"]
    assert flow["allocation"] == "equal" and flow["assumptions"]
    assert data["graph"]["linkage_timeline"]["technologies"][0]["first_linked"] == "2021-07-01"
    text = sections(run(capsys, "report", "--allocation", "equal"))
    assert [s["title"] for s in data["sections"]] == list(text)


def test_report_options_are_checked(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["report", "--allocation", "half"])
    assert info.value.code == 2
    assert main(["report", "--on", "2026-13-01"]) == 1
    assert "expected a date" in capsys.readouterr().err
    out = run(capsys, "report", "--on", "2022-06-30", "--year", "2024")
    assert "As of 2022-06-30" in out and "Funding flow 2024" in out


def test_instruments_list_their_administrators_on_the_report_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Government Organization Act, law 21065, addendum Art. 1(1): 기획재정부 ended on
    # 2026-01-01; tax went to 재정경제부, the budget to 기획예산처 (the catalog's successors)
    def instruments(on: str) -> list[str]:
        found = sections(run(capsys, "report", "--on", on))["Instruments and budgets"]
        return [line for line in found if not line.startswith(" ")]

    before = instruments("2025-12-01")
    assert not any(line.startswith("Caveat: Administrators are") for line in before)
    assert "Tax incentives for national strategic technologies - MOEF (기획재정부)" in before
    assert any(
        line.startswith("Government R&D budget") and line.endswith("- MSIT, MOEF (기획재정부)")
        for line in before
    )
    after = instruments("2026-03-13")
    tax = "Tax incentives for national strategic technologies - Ministry of Economy and Finance"
    assert f"{tax} (재정경제부)" in after
    assert any(
        line.startswith("Government R&D budget")
        and line.endswith("- MSIT, Ministry of Planning and Budget")
        for line in after
    )
    assert not any("기획재정부" in line for line in after)
    caveats = [line for line in after if line.startswith("Caveat: Administrators are")]
    assert len(caveats) == 1
