"""read_table: populations from CSV files and lists of records, typed by a rule set."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from stratpolicy.catalogs.korea import early_warning_rules, tax_credits
from stratpolicy.errors import DataError, FormatError, SchemaError, ValidationError
from stratpolicy.rules import (
    BOOLEAN_TEXT,
    MAX_REPORTED_ROWS,
    Input,
    Output,
    PopulationTable,
    Rule,
    RuleSet,
    read_table,
)

ON = dt.date(2025, 12, 31)

FIRMS = RuleSet(
    id="firms",
    inputs=[
        Input(name="size", type="category", categories=["sme", "large"]),
        Input(name="rd", type="money", unit="KRW", min=0, default=0.0),
        Input(name="semiconductor", type="bool", default=False),
    ],
    outputs=[Output(name="credit", type="money", unit="KRW", default=0.0)],
    rules=[
        Rule(
            id="credit",
            condition="size == 'sme' or semiconductor",
            outputs={"credit": "0.25 * rd"},
        )
    ],
)

HEADER = "size,rd,semiconductor"


def write(tmp_path: Path, text: str | bytes, name: str = "firms.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def read(
    tmp_path: Path, text: str | bytes, name: str = "firms.csv", **kwargs: Any
) -> PopulationTable:
    return read_table(write(tmp_path, text, name), FIRMS, **kwargs)


def problems(exc: DataError) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in exc.problems]


def test_a_csv_file_gives_typed_columns(tmp_path: Path) -> None:
    table = read(tmp_path, f"{HEADER}\nsme,1e9,false\nlarge,2000000,TRUE\n")
    assert table.rows == 2 and table.lines == (2, 3)
    assert list(table) == ["size", "rd", "semiconductor"]
    assert table["size"].tolist() == ["sme", "large"]
    assert table["rd"].dtype == np.float64 and table["rd"].tolist() == [1e9, 2e6]
    assert table["semiconductor"].tolist() == [False, True]
    credit = FIRMS.evaluate_many(table, on=ON)["credit"]
    assert credit.tolist() == [0.25 * 1e9, 0.25 * 2e6]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_excel_files_bom_and_delimiters(tmp_path: Path, delimiter: str, bom: bytes) -> None:
    # before (CLI): a BOM made the first column unknown ("input 'size' is needed but was not
    # given"), and a semicolon file was one column ("cannot tell the number of rows")
    text = "\r\n".join(
        delimiter.join(row)
        for row in [HEADER.split(","), ["sme", "1e9", "TRUE"], ["large", "", ""]]
    )
    table = read(tmp_path, bom + text.encode() + b"\r\n")
    assert list(table) == ["size", "rd", "semiconductor"]
    assert table["size"].tolist() == ["sme", "large"]
    assert FIRMS.evaluate_many(table, on=ON)["credit"].tolist() == [0.25e9, 0.0]


def test_a_delimiter_can_be_given(tmp_path: Path) -> None:
    table = read(tmp_path, "size|rd\nsme|5\n", delimiter="|")
    assert table["rd"].tolist() == [5.0]
    with pytest.raises(SchemaError, match="delimiter: must be one character"):
        read(tmp_path, "size|rd\nsme|5\n", delimiter="||")


def test_empty_cells_are_missing_values(tmp_path: Path) -> None:
    table = read(tmp_path, f"{HEADER}\nsme,,\n,1,true\n")
    assert isinstance(table["rd"], np.ma.MaskedArray)
    assert np.ma.getmaskarray(table["rd"]).tolist() == [True, False]
    assert np.ma.getmaskarray(table["size"]).tolist() == [False, True]
    # the default applies to a missing rd; a missing size (no default) is needed by the rule
    with pytest.raises(ValidationError) as info:
        FIRMS.evaluate_many(table, on=ON)
    assert problems(info.value)[0][0] == "rows[1].rules[0].condition"
    assert "input 'size' is needed but was not given" in str(info.value)


def test_blank_lines_are_skipped_and_lines_are_counted(tmp_path: Path) -> None:
    text = f'\n{HEADER},note\n\nsme,1,true,\n,,,\n"large",2,false,"two\nlines"\nsme,3,true,\n'
    table = read(tmp_path, text, extra="ignore")
    assert table.rows == 3
    assert table.lines == (4, 6, 8)  # the quoted note spans lines 6 and 7
    assert table.where(1) == "line 6"
    assert table["size"].tolist() == ["sme", "large", "sme"]


@pytest.mark.parametrize(
    ("row", "path", "message"),
    [
        ("sme,1e9", "rows[0]", "has 2 fields, the header has 3 (line 2)"),
        ("sme,1e9,true,4", "rows[0]", "has 4 fields, the header has 3 (line 2)"),
        ("sme,lots,true", "rows[0].rd", "expected a number such as 1500000"),
        ('sme,"1,000",true', "rows[0].rd", "got '1,000' (line 2)"),
        ("sme,nan,true", "rows[0].rd", "got 'nan'"),
        ("sme,inf,true", "rows[0].rd", "got 'inf'"),
        ("sme,1_000,true", "rows[0].rd", "got '1_000'"),
        ("sme,１２,true", "rows[0].rd", "got '１２'"),  # full-width digits
        ("sme,٣,true", "rows[0].rd", "got '٣'"),  # Arabic-Indic digit: float() would take it
        ("sme,1e999,true", "rows[0].rd", "must be a finite number, got inf"),
        ("sme,-5,true", "rows[0].rd", "must be at least 0 KRW (the input's min), got -5 KRW"),
        ("sme,1e9,yes", "rows[0].semiconductor", "expected true or false, got 'yes'"),
        ("sme,1e9,1", "rows[0].semiconductor", "expected true or false, got '1'"),
        ("huge,1e9,true", "rows[0].size", "'huge' is not one of 'sme', 'large' (line 2)"),
        ("[1],1e9,true", "rows[0].size", "'[1]' is not one of"),
        ("sme,\x00,true", "rows[0].rd", "got '\\x00'"),
    ],
)
def test_bad_rows_name_the_row_the_column_and_the_line(
    tmp_path: Path, row: str, path: str, message: str
) -> None:
    with pytest.raises(DataError) as info:
        read(tmp_path, f"{HEADER}\n{row}\n")
    assert info.value.source is not None and info.value.source.endswith("firms.csv")
    assert [p for p, _ in problems(info.value)] == [path]
    assert message in info.value.problems[0].message


def test_numbers_allow_spaces_signs_points_and_exponents(tmp_path: Path) -> None:
    table = read(tmp_path, f"{HEADER}\nsme, 12 ,true\nsme,+.5,true\nsme,3.,true\nsme,1E3,true\n")
    assert table["rd"].tolist() == [12.0, 0.5, 3.0, 1000.0]


def test_the_boolean_spellings_are_one_table() -> None:
    assert dict(BOOLEAN_TEXT) == {
        "true": True,
        "True": True,
        "TRUE": True,
        "false": False,
        "False": False,
        "FALSE": False,
    }


def test_every_bad_row_is_reported_up_to_the_limit(tmp_path: Path) -> None:
    lines = [HEADER] + [("sme,x,true" if i % 2 else "sme,1,maybe") for i in range(30)]
    with pytest.raises(DataError) as info:
        read(tmp_path, "\n".join(lines) + "\n")
    found = problems(info.value)
    assert len(found) == MAX_REPORTED_ROWS + 1
    assert found[0] == (
        "rows[0].semiconductor",
        "expected true or false, got 'maybe' (line 2)",
    )
    assert found[1][0] == "rows[1].rd"
    assert found[-1] == (
        "rows",
        f"and 10 more bad rows (30 in all; the first {MAX_REPORTED_ROWS} are listed)",
    )


def test_several_problems_in_one_row_are_all_listed(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        read(tmp_path, f"{HEADER}\nhuge,x,maybe\nsme,1,true\n")
    assert [p for p, _ in problems(info.value)] == [
        "rows[0].size",
        "rows[0].rd",
        "rows[0].semiconductor",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"size,rd\nsm\xe9,1\n", "not UTF-8 text: byte 0xe9 at offset 10 (line 2)"),
        ("size,rd\n".encode("utf-16"), "the file is UTF-16 text; save it as UTF-8"),
        (b"", "the file is empty"),
        (b"\n\n", "the file is empty"),
        (b'size,rd\n"sme"x,1\n', "not valid CSV"),
    ],
)
def test_files_that_are_not_csv_text(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(FormatError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read(tmp_path, data)


@pytest.mark.parametrize(
    ("header", "path", "message"),
    [
        ("size,rd,sise", "table.sise", "unknown column (did you mean 'size'?"),
        ("size,,rd", "columns[1]", "a column has no name"),
        ("size,rd,size", "columns[2]", "column 'size' appears twice (also column 0)"),
    ],
)
def test_bad_headers(tmp_path: Path, header: str, path: str, message: str) -> None:
    with pytest.raises(SchemaError) as info:
        read(tmp_path, f"{header}\nsme,1,2\n")
    assert info.value.problems[0].path == path
    assert message in info.value.problems[0].message


def test_unknown_columns_can_be_mapped_or_ignored(tmp_path: Path) -> None:
    text = "size,R&D,name\nsme,4,Acme\n"
    table = read(tmp_path, text, columns={"R&D": "rd"}, extra="ignore")
    assert list(table) == ["size", "rd"] and table["rd"].tolist() == [4.0]
    with pytest.raises(SchemaError, match=r"table\.name: unknown column"):
        read(tmp_path, text, columns={"R&D": "rd"})
    with pytest.raises(SchemaError, match="no column is an input of the rule set"):
        read(tmp_path, "name\nAcme\n", extra="ignore")


def test_a_header_alone_is_a_table_of_no_rows(tmp_path: Path) -> None:
    table = read(tmp_path, f"{HEADER}\n")
    assert table.rows == 0
    assert FIRMS.evaluate_many(table, on=ON)["credit"].tolist() == []


# --- lists of records --------------------------------------------------------------------------


def test_records_from_json_and_yaml(tmp_path: Path) -> None:
    records = [
        {"size": "sme", "rd": 1e9, "semiconductor": True},
        {"size": "large", "rd": None},
        {"size": "large", "semiconductor": True, "rd": 4},
    ]
    for name, text in (
        ("firms.json", json.dumps(records)),
        (
            "firms.yaml",
            "- {size: sme, rd: 1.0e+9, semiconductor: true}\n- {size: large, rd: null}\n"
            "- {size: large, semiconductor: true, rd: 4}\n",
        ),
    ):
        table = read(tmp_path, text, name)
        assert table.rows == 3 and table.lines == ()
        assert table.where(2) == "record 2"
        assert FIRMS.evaluate_many(table, on=ON)["credit"].tolist() == [0.25e9, 0.0, 1.0]


@pytest.mark.parametrize(
    ("records", "path", "message"),
    [
        ([{"size": "sme", "rd": [1, 2]}], "rows[0].rd", "must be one value, got a list"),
        ([{"size": "sme", "rd": {"a": 1}}], "rows[0].rd", "must be one value, got a dict"),
        ([{"size": "sme", "rd": "1e9"}], "rows[0].rd", "must be a number in KRW, got '1e9'"),
        ([{"size": "sme", "rd": True}], "rows[0].rd", "must be a number, got True"),
        ([{"size": "sme", "semiconductor": "true"}], "rows[0].semiconductor", "true or false"),
        ([{"size": "sme"}, 5], "rows[1]", "must be a record"),
        ({"size": "sme"}, "", "expected a list of records"),
    ],
)
def test_bad_records(tmp_path: Path, records: Any, path: str, message: str) -> None:
    with pytest.raises(DataError) as info:
        read(tmp_path, json.dumps(records), "firms.json")
    assert info.value.problems[0].path == path
    assert message in info.value.problems[0].message


def test_huge_integers_in_records_are_row_errors() -> None:
    table_error = None
    try:
        PopulationTable.from_records([{"size": "sme", "rd": 10**400}], FIRMS)
    except DataError as exc:
        table_error = exc
    assert table_error is not None
    assert "rows[0].rd: must be a finite number, got an integer of 401 digits" in str(table_error)


def test_the_built_in_rule_sets_read_their_columns(tmp_path: Path) -> None:
    # a category output (kr_early_warning) and money inputs (kr_tax_credits)
    path = write(tmp_path, "level_pct_lead_cn;gap_years_change\n1.5;0\n-2;0.3\n")
    result = early_warning_rules().evaluate_many(read_table(path, early_warning_rules()), on=ON)
    assert result["alert_level"].tolist() == ["warning", "watch"]
    path = write(
        tmp_path,
        "firm_size,rsta_field,nst_rd_expense,revenue\nsme,semiconductors,1e9,1e11\n",
        "credits.csv",
    )
    rules = tax_credits()
    # RSTA Art. 10(1)2, tax year 2025, SME: 40 % + min(10 %, 3 x 1e9 / 1e11 = 3 %) = 43 %
    assert rules.evaluate_many(read_table(path, rules), on=ON)["rd_credit"][0] == pytest.approx(
        4.3e8
    )
