"""``stratpolicy evaluate``: one record or a population; clear errors, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stratpolicy.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


CREDITS = (
    "firm_size,rsta_field,nst_rd_expense,revenue,"
    "prior_year_general_rd_expense,prior_4yr_avg_general_rd_expense\n"
    "sme,semiconductors,1e9,1e11,0,0\n"
    "large,other,2e9,1e10,0,0\n"
)


# --- one record ------------------------------------------------------------------------------


def test_one_record(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    facts = write(
        tmp_path,
        "firm.yaml",
        "firm_size: large\nrsta_field: secondary_batteries\n"
        "nst_facility_investment: 10000000000\nprior_3yr_avg_investment: 8000000000\n",
    )
    code, out, _ = run(capsys, "evaluate", "kr_tax_credits", facts, "--on", "2024-06-30")
    assert code == 0
    # RSTA Art. 24, tax year 2024, large firm: basic 15 % of 10e9 = 1.5e9;
    # additional 4 % of (10e9 - 8e9) = 0.08e9; total 1.58e9 -- with their unit
    assert "investment_basic_credit = 1,500,000,000 KRW" in out
    assert "investment_additional_credit = 80,000,000 KRW" in out
    assert "investment_credit = 1,580,000,000 KRW" in out
    code, out, _ = run(
        capsys, "evaluate", "kr_tax_credits", facts, "--on", "2024-06-30", "--format", "json"
    )
    record = json.loads(out)
    assert record["schema_version"] >= 1
    code, out, _ = run(
        capsys, "evaluate", "kr_tax_credits", facts, "--on", "2024-06-30", "--explain"
    )
    assert "Restriction of Special Taxation Act" in out


def test_one_record_without_float_noise(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    facts = write(
        tmp_path,
        "firm.json",
        json.dumps(
            {
                "firm_size": "sme",
                "rsta_field": "semiconductors",
                "nst_rd_expense": 1e9,
                "revenue": 1e11,
            }
        ),
    )
    # 2025, SME: 0.40 + min(0.10, 3 * 1e9 / 1e11) = 0.43 (0.43000000000000005 in floats)
    code, out, _ = run(capsys, "evaluate", "kr_tax_credits", facts, "--on", "2025-12-31")
    assert code == 0
    assert "nst_rd_credit_rate = 0.43\n" in out
    assert "\nrd_credit = 430,000,000 KRW" in out or "  rd_credit = 430,000,000 KRW" in out
    code, out, _ = run(
        capsys, "evaluate", "kr_tax_credits", facts, "--on", "2025-12-31", "--format", "json"
    )
    assert "0.43000000000000005" not in out
    outputs = {o["name"]: o["value"] for o in json.loads(out)["outputs"]}
    assert outputs["nst_rd_credit_rate"] == 0.43 and outputs["rd_credit"] == 4.3e8


def test_one_record_with_bad_facts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    facts = write(
        tmp_path,
        "firm.yaml",
        "firm_size: sme\nrsta_field: semiconductors\nnst_rd_expens: 1.0e+9\nrevenue: 1.0e+11\n",
    )
    code, _, err = run(capsys, "evaluate", "kr_tax_credits", facts, "--on", "2025-12-31")
    assert code == 1
    assert "firm.yaml" in err
    assert "facts.nst_rd_expens: unknown input (did you mean 'nst_rd_expense'?" in err
    assert "Traceback" not in err


# --- populations -----------------------------------------------------------------------------


def test_a_csv_population(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    table = write(tmp_path, "firms.csv", CREDITS)
    code, out, _ = run(
        capsys, "evaluate", "kr_tax_credits", table, "--on", "2025-12-31", "--format", "json"
    )
    assert code == 0
    rows = json.loads(out)
    # row 0: 1e9 * (0.40 + min(0.10, 3 * 0.01)) = 4.3e8; row 1: a field outside the RSTA list
    # is general R&D (Art. 10(1)3), large firm: 2e9 * min(0.02, 0.5 * 2e9 / 1e10) = 4e7
    assert rows[0]["rd_credit"] == 4.3e8 and rows[0]["nst_rd_credit_rate"] == 0.43
    assert rows[1]["nst_rd_credit"] == 0.0
    assert rows[1]["rd_credit"] == pytest.approx(2e9 * min(0.02, 0.5 * 2e9 / 1e10))
    assert rows[0]["firm_size"] == "sme" and rows[0]["nst_rd_expense"] == 1e9
    code, out, _ = run(capsys, "evaluate", "kr_tax_credits", table, "--on", "2025-12-31")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith("on 2025-12-31: 2 rows")
    assert lines[1] == "row 0 (line 2)"
    assert "  nst_rd_credit_rate = 0.43" in lines and "  rd_credit = 430,000,000 KRW" in lines
    assert "row 1 (line 3)" in lines


def test_an_excel_csv_with_semicolons(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # before: the BOM made 'firm_size' unknown, and ';' made one column
    text = "\ufeff" + CREDITS.replace(",", ";").replace("\n", "\r\n")
    table = write(tmp_path, "excel.csv", text.encode("utf-8"))
    code, out, err = run(
        capsys, "evaluate", "kr_tax_credits", table, "--on", "2025-12-31", "--format", "json"
    )
    assert code == 0, err
    assert json.loads(out)[0]["rd_credit"] == 4.3e8


def test_a_rule_set_with_a_category_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # before: float('warning') crashed every evaluation of the early-warning rule set
    table = write(
        tmp_path, "levels.csv", "level_pct_lead_cn,gap_years_change\n1.5,0\n-2,0.3\n-1,0\n"
    )
    code, out, err = run(capsys, "evaluate", "kr_early_warning", table, "--on", "2025-01-01")
    assert code == 0, err
    assert out.count("alert_level = warning") == 1 and out.count("alert_level = watch") == 1
    assert out.count("alert_level = none") == 1
    code, out, _ = run(
        capsys, "evaluate", "kr_early_warning", table, "--on", "2025-01-01", "--format", "json"
    )
    assert [r["alert_level"] for r in json.loads(out)] == ["warning", "watch", "none"]


def test_a_list_of_records(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    records = [
        {"firm_size": "sme", "total_rd_cost": 1e9, "government_contribution": 7e8},
        {"firm_size": "other", "total_rd_cost": 5e8, "government_contribution": 5e8},
    ]
    path = write(tmp_path, "projects.json", json.dumps(records))
    code, out, err = run(
        capsys, "evaluate", "kr_rd_matching", path, "--on", "2026-01-01", "--format", "json"
    )
    assert code == 0, err
    rows = json.loads(out)
    # decree annex: an SME may be funded up to 75 % -> max 7.5e8; 'other' has no cap (null)
    assert rows[0]["max_government_contribution"] == 7.5e8
    assert rows[1]["max_government_contribution"] is None
    assert "own_cash_contribution" not in rows[0]  # not a column of the records


def test_explain_a_population_as_json_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # before: --explain was silently ignored for a CSV
    table = write(tmp_path, "firms.csv", CREDITS)
    code, out, _ = run(
        capsys, "evaluate", "kr_tax_credits", table, "--on", "2025-12-31", "--explain"
    )
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["row"] for r in records] == [0, 1]
    assert all(r["kind"] == "decision" and r["on"] == "2025-12-31" for r in records)
    rate = next(r for r in records[0]["rules"] if r["rule"] == "rd_nst_rate")
    assert rate["status"] == "fired"
    assert next(r for r in records[1]["rules"] if r["rule"] == "rd_nst_rate")["status"] != "fired"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "firm_size,rsta_field,nst_rd_expens,revenue\nsme,other,1,1\n",
            "table.nst_rd_expens: unknown column (did you mean 'nst_rd_expense'?",
        ),
        (
            "firm_size,rsta_field,nst_rd_expense,revenue\nsme,other,1\n",
            "rows[0]: has 3 fields, the header has 4 (line 2)",
        ),
        (
            "firm_size,rsta_field,nst_rd_expense,revenue\nsme,other,lots,1\n",
            "rows[0].nst_rd_expense: expected a number",
        ),
        (
            "firm_size,rsta_field,nst_rd_expense,revenue\nsme,semiconductors,1e9,1e-300\n",
            "outputs.nst_rd_credit_rate: rule 'rd_nst_rate', output "
            "'nst_rd_credit_rate': 'rd_addon_multiplier * nst_rd_expense / revenue' is inf",
        ),
        ("firm_size\n\xe9\n", "not UTF-8 text"),
    ],
)
def test_bad_populations_exit_1_without_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, expected: str
) -> None:
    data = text.encode("latin-1") if "\xe9" in text else text.encode()
    path = write(tmp_path, "firms.csv", data)
    code, out, err = run(capsys, "evaluate", "kr_tax_credits", path, "--on", "2025-12-31")
    assert code == 1
    assert out == ""
    assert expected in err
    assert "firms.csv" in err
    assert "Traceback" not in err


def test_rows_failing_in_rules_are_located_in_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "projects.csv",
        "firm_size,total_rd_cost,government_contribution\nsme,1e9,7e8\n\nlarge,-1,0\n",
    )
    code, _, err = run(capsys, "evaluate", "kr_rd_matching", path, "--on", "2026-01-01")
    assert code == 1
    # the Korea matching rule set declares min 0 for its amounts
    assert (
        "rows[1].total_rd_cost: must be at least 0 KRW (the input's min), got -1 KRW (line 4)"
        in err
    )


def test_user_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "evaluate", "nope", "x.yaml", "--on", "2025-01-01")
    assert code == 1 and "no such file or built-in rule set: nope" in err
    assert "kr_tax_credits" in err
    code, _, err = run(capsys, "evaluate", "kr_summit_2025", "x.yaml", "--on", "2025-01-01")
    assert code == 1 and "is not a rule set" in err
    code, _, err = run(
        capsys, "evaluate", "kr_tax_credits", str(tmp_path / "x.yaml"), "--on", "2025-01-01"
    )
    assert code == 1 and "no such file" in err
    code, _, err = run(capsys, "evaluate", "kr_tax_credits", str(tmp_path), "--on", "2025-01-01")
    assert code == 1 and "a directory" in err
    facts = write(tmp_path, "f.yaml", "firm_size: sme\n")
    code, _, err = run(capsys, "evaluate", "kr_tax_credits", facts, "--on", "2025-13-01")
    assert code == 1 and "--on: expected a date" in err
    notes = write(tmp_path, "f.txt", "hello")
    code, _, err = run(capsys, "evaluate", "kr_tax_credits", notes, "--on", "2025-01-01")
    assert code == 1 and "no column is an input" not in err and "unknown column" in err
    scalar = write(tmp_path, "f.json", "5")
    code, _, err = run(capsys, "evaluate", "kr_tax_credits", scalar, "--on", "2025-01-01")
    assert code == 1 and "expected a mapping of facts, or a list of them" in err
    assert "Traceback" not in err


def test_a_wrong_command_line_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["evaluate", "kr_tax_credits"])
    assert info.value.code == 2


def test_columns_mapped_or_ignored_from_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A population saved with its own column names: 'R&D' is the NST R&D expense, 'note' is
    # no input. Without options both are refused; --column maps one, --extra ignore drops one.
    text = (
        CREDITS.replace("nst_rd_expense", "R&D")
        .replace("\n", ",x\n")
        .replace("_expense,x\n", "_expense,note\n", 1)
    )
    table = write(tmp_path, "own.csv", text)
    code, _, err = run(capsys, "evaluate", "kr_tax_credits", table, "--on", "2025-12-31")
    assert code == 1 and "R&D" in err
    code, out, err = run(
        capsys,
        "evaluate",
        "kr_tax_credits",
        table,
        "--on",
        "2025-12-31",
        "--format",
        "json",
        "--column",
        "R&D=nst_rd_expense",
        "--extra",
        "ignore",
    )
    assert code == 0, err
    # row 0 as in test_a_csv_population: 1e9 * (0.40 + min(0.10, 3 * 0.01)) = 4.3e8
    assert json.loads(out)[0]["rd_credit"] == 4.3e8
    code, _, err = run(
        capsys, "evaluate", "kr_tax_credits", table, "--on", "2025-12-31", "--column", "R&D"
    )
    assert code == 1 and "--column: expected COLUMN=INPUT" in err
