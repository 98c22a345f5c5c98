"""Date inputs, date parameters, date literals, days_between, and per-row evaluation dates."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from stratpolicy import io
from stratpolicy.errors import DataError, ExpressionError, SchemaError, ValidationError
from stratpolicy.model import Citation
from stratpolicy.rules import (
    Input,
    Output,
    Parameter,
    ParameterSet,
    ParameterValue,
    PopulationTable,
    Rule,
    RuleSet,
    check_expression,
    read_table,
)

D = dt.date

# US IRC §48D as described in /work/shared/reference/us_48d.yaml: 25 % of the qualified
# investment in property placed in service after 2022-12-31 (CHIPS Act, P.L. 117-167),
# 35 % for property placed in service after 2025-12-31 (P.L. 119-21); no credit for
# property whose construction begins after 2026-12-31.
CHIPS = Citation(act="26 U.S.C. 48D (CHIPS Act of 2022, Sec. 107)", article="48D(a)")
OBBBA = Citation(act="P.L. 119-21", article="48D(a) as amended")
RATE = Parameter(
    name="rate_2023",
    values=[ParameterValue(start=D(2022, 8, 9), value=0.25, citation=CHIPS)],
)
RATE_2026 = Parameter(
    name="rate_2026",
    values=[ParameterValue(start=D(2025, 7, 4), value=0.35, citation=OBBBA)],
)
DEADLINE = Parameter(
    name="construction_deadline",
    values=[ParameterValue(start=D(2022, 8, 9), date=D(2026, 12, 31), citation=CHIPS)],
)
US_48D = RuleSet(
    id="us_48d",
    inputs=[
        Input(name="placed_in_service", type="date"),
        Input(name="construction_start", type="date"),
        Input(name="qualified_investment", type="money", unit="USD", min=0),
    ],
    parameters=ParameterSet(parameters=[RATE, RATE_2026, DEADLINE]),
    # the two rules never fire together (placed in service by 2025, or after)
    outputs=[Output(name="credit", type="money", unit="USD", default=0.0, combine="first")],
    rules=[
        Rule(
            id="placed_2023_2025",
            condition="placed_in_service > date('2022-12-31') and "
            "placed_in_service <= date('2025-12-31') and "
            "construction_start <= construction_deadline",
            outputs={"credit": "qualified_investment * rate_2023"},
            citation=CHIPS,
        ),
        Rule(
            id="placed_from_2026",
            condition="placed_in_service > date('2025-12-31') and "
            "construction_start <= construction_deadline",
            outputs={"credit": "qualified_investment * rate_2026"},
            citation=OBBBA,
            valid_from=D(2025, 7, 4),
        ),
        Rule(
            id="build_time",
            outputs={"build_days": "days_between(construction_start, placed_in_service)"},
        ),
    ],
)
ON = D(2026, 6, 30)


def firm(placed: object, start: object, investment: float = 1e9) -> dict[str, object]:
    return {
        "placed_in_service": placed,
        "construction_start": start,
        "qualified_investment": investment,
    }


@pytest.mark.parametrize(
    ("placed", "start", "credit", "days"),
    [
        # 35 % of 1e9 = 350,000,000; 2025-01-15 -> 2026-03-01 is 351 + 59 = 410 days
        (D(2026, 3, 1), D(2025, 1, 15), 350_000_000.0, 410.0),
        # 25 % of 1e9, placed in 2025; 2024-01-01 -> 2025-06-01: 366 + 151 = 517 days
        (D(2025, 6, 1), D(2024, 1, 1), 250_000_000.0, 517.0),
        # the last day of the 25 % rate and the first of the 35 % rate
        (D(2025, 12, 31), D(2025, 12, 31), 250_000_000.0, 0.0),
        (D(2026, 1, 1), D(2025, 12, 31), 350_000_000.0, 1.0),
        # placed in service on 2022-12-31: not after it
        (D(2022, 12, 31), D(2022, 1, 1), 0.0, 364.0),
        # construction begun on the deadline, and the day after it
        (D(2027, 6, 1), D(2026, 12, 31), 350_000_000.0, 152.0),
        (D(2027, 6, 1), D(2027, 1, 1), 0.0, 151.0),
        # placed in service before construction began: a negative number of days
        (D(2026, 1, 1), D(2026, 1, 11), 350_000_000.0, -10.0),
    ],
)
def test_us_48d_by_dates(placed: dt.date, start: dt.date, credit: float, days: float) -> None:
    d = US_48D.evaluate(firm(placed, start), on=ON)
    assert d["credit"] == credit and d["build_days"] == days
    many = US_48D.evaluate_many({k: [v] for k, v in firm(placed, start).items()}, on=ON)
    assert many["credit"][0] == credit and many["build_days"][0] == days


@pytest.mark.parametrize(
    "value",
    [
        D(2026, 3, 1),
        "2026-03-01",
        dt.datetime(2026, 3, 1),
        np.datetime64("2026-03-01"),
        np.datetime64("2026-03-01T00:00:00.000000000"),
        np.str_("2026-03-01"),
    ],
)
def test_date_facts_may_be_dates_iso_text_or_midnight(value: object) -> None:
    d = US_48D.evaluate(firm(value, "2025-01-15"), on=ON)
    assert d.inputs["placed_in_service"] == D(2026, 3, 1) and d["credit"] == 350_000_000.0


def test_pandas_timestamps_are_dates_at_midnight() -> None:
    pd = pytest.importorskip("pandas")
    d = US_48D.evaluate(firm(pd.Timestamp("2026-03-01"), "2025-01-15"), on=ON)
    assert d.inputs["placed_in_service"] == D(2026, 3, 1)
    with pytest.raises(ValidationError, match="got NaT"):
        US_48D.evaluate(firm(pd.NaT, "2025-01-15"), on=ON)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-3-1", "got '2026-3-1'"),
        ("20260301", "got '20260301'"),
        ("2026-02-30", "got '2026-02-30'"),
        (dt.datetime(2026, 3, 1, 12, 0), "2026-03-01T12:00:00 \\(a time of day\\)"),
        (
            dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
            "2026-03-01T00:00:00\\+00:00 \\(a time of day\\)",
        ),
        (np.datetime64("2026-03-01T06:00"), "2026-03-01T06:00 \\(a time of day\\)"),
        (np.datetime64("NaT"), "got NaT"),
        (20260301, "got 20260301"),
        (1.5, "got 1.5"),
        (None, "got None"),
    ],
)
def test_date_facts_are_refused_naming_the_fact(value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        US_48D.evaluate(firm(value, "2025-01-15"), on=ON)
    assert [p.path for p in info.value.problems] == ["facts.placed_in_service"]
    assert "YYYY-MM-DD" in str(info.value)


def test_date_parameters_change_with_the_evaluation_date() -> None:
    rs = RuleSet(
        id="deadline",
        inputs=[Input(name="start", type="date")],
        parameters=ParameterSet(
            parameters=[
                Parameter(
                    name="deadline",
                    values=[
                        ParameterValue(start=D(2020, 1, 1), date=D(2024, 12, 31)),
                        ParameterValue(start=D(2025, 1, 1), date=D(2026, 12, 31)),
                    ],
                )
            ]
        ),
        outputs=[Output(name="in_time", type="bool", default=False)],
        rules=[
            Rule(
                id="r",
                condition="start <= deadline",
                outputs={"in_time": "True", "slack": "days_between(start, deadline)"},
            )
        ],
    )
    facts = {"start": D(2025, 6, 30)}
    before = rs.evaluate(facts, on=D(2024, 6, 1))
    assert before["in_time"] is False and "slack" not in before
    after = rs.evaluate(facts, on=D(2025, 6, 1))
    # 2025-06-30 -> 2026-12-31: 184 + 365 days
    assert after["in_time"] is True and after["slack"] == 549.0
    used = {u.name: u for u in after.explain().rule("r").used}
    assert used["deadline"].value == D(2026, 12, 31)
    assert used["deadline"].effective_from == D(2025, 1, 1)
    record = after.to_dict()
    rule = record["rules"][0]  # type: ignore[index]
    values = {u["name"]: u["value"] for u in rule["used"]}
    assert values == {"start": "2025-06-30", "deadline": "2026-12-31"}
    assert "input start = 2025-06-30" in str(after.explain())


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("placed > 5", "cannot compare a date with"),
        ("placed + 1 > 0", "left operand of '\\+' must be a number, got a date"),
        ("days_between(placed, 5) > 0", "each argument of days_between\\(\\) must be a date"),
        ("min(placed, placed) == placed", "each argument of min\\(\\) must be a number"),
        ("placed == 'x'", "cannot compare a date with a category"),
    ],
)
def test_dates_are_type_checked(expression: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        RuleSet(
            id="bad",
            inputs=[Input(name="placed", type="date")],
            rules=[Rule(id="r", condition=expression, outputs={"x": "1"})],
        )


@pytest.mark.parametrize(
    "text",
    ["date(2025, 12, 31) > x", "date('2025-1-1') > x", "date(x) > x", "date() > x"],
)
def test_date_literals_are_iso_text(text: str) -> None:
    with pytest.raises(ExpressionError, match="date\\(\\) takes one text literal"):
        check_expression(text)


def test_date_expressions_round_trip() -> None:
    text = check_expression("days_between(a,date('2025-12-31'))>365 and b<=date('2027-01-01')")
    assert text == "(days_between(a, date('2025-12-31')) > 365.0) and (b <= date('2027-01-01'))"
    assert check_expression(text) == text


def test_outputs_cannot_be_dates() -> None:
    with pytest.raises(DataError, match="an output cannot be a date"):
        Output(name="when", type="date")
    with pytest.raises(ExpressionError, match="an output cannot be a date"):
        RuleSet(
            id="bad",
            inputs=[Input(name="placed", type="date")],
            rules=[Rule(id="r", outputs={"when": "placed"})],
        )


def test_date_inputs_have_no_unit_or_bounds_and_a_date_default() -> None:
    with pytest.raises(DataError, match="a date has no unit"):
        Input(name="d", type="date", unit="day")
    with pytest.raises(DataError, match="a date has no bounds"):
        Input(name="d", type="date", min=0)
    with pytest.raises(DataError, match="must be a date"):
        Input(name="d", type="date", default=5)
    assert Input(name="d", type="date", default="2025-01-01").default == D(2025, 1, 1)
    with pytest.raises(DataError, match="a date has no unit"):
        Parameter(name="p", unit="KRW", values=[ParameterValue(date=D(2025, 1, 1))])
    with pytest.raises(DataError, match="exactly one of value, by_key, members, date"):
        ParameterValue(value=1.0, date=D(2025, 1, 1))


def test_rule_sets_with_dates_round_trip_through_documents() -> None:
    rs = RuleSet(
        id="d",
        inputs=[Input(name="placed", type="date", default=D(2025, 1, 1))],
        parameters=ParameterSet(parameters=[DEADLINE]),
        rules=[Rule(id="r", condition="placed <= construction_deadline", outputs={"x": "1"})],
    )
    for fmt in ("json", "yaml", "toml"):
        text = io.dumps(rs, fmt)
        assert "2025-01-01" in text and "2026-12-31" in text
        again = io.loads(text, fmt, RuleSet)
        assert again == rs
        assert again.evaluate({}, on=ON)["x"] == 1.0


# --- populations ---------------------------------------------------------------------------------

FIRMS: dict[str, Any] = {
    "placed_in_service": ["2026-03-01", "2025-06-01", "2022-12-31"],
    "construction_start": ["2025-01-15", "2024-01-01", "2022-01-01"],
    "qualified_investment": [1e9, 1e9, 1e9],
}
CREDITS = [350_000_000.0, 250_000_000.0, 0.0]


def test_date_columns_of_every_kind() -> None:
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    as_dates = {
        k: np.array(v, dtype="datetime64[D]") if "i" in k[:2] or "con" in k else v
        for k, v in FIRMS.items()
    }
    tables: list[Any] = [
        FIRMS,
        {**FIRMS, "placed_in_service": np.array(FIRMS["placed_in_service"])},
        as_dates,
        {**FIRMS, "placed_in_service": [D.fromisoformat(t) for t in FIRMS["placed_in_service"]]},
        pd.DataFrame(FIRMS).assign(
            placed_in_service=lambda f: pd.to_datetime(f["placed_in_service"])
        ),
        pa.table(
            {
                **FIRMS,
                "placed_in_service": pa.array(
                    [D.fromisoformat(t) for t in FIRMS["placed_in_service"]], pa.date32()
                ),
            }
        ),
    ]
    for table in tables:
        assert US_48D.evaluate_many(table, on=ON)["credit"].tolist() == CREDITS


def test_bad_dates_in_columns_fail_as_evaluate_does() -> None:
    placed = np.array(["2026-03-01T00:00", "2026-03-01T06:00", "NaT"], dtype="datetime64[m]")
    table = {**FIRMS, "placed_in_service": placed}
    with pytest.raises(ValidationError) as info:
        US_48D.evaluate_many(table, on=ON)
    got = [(p.path, p.message) for p in info.value.problems]
    want = []
    for row in (1, 2):
        facts = {k: v[row] for k, v in table.items()}
        with pytest.raises(ValidationError) as one:
            US_48D.evaluate(facts, on=ON)
        want += [(f"rows[{row}].{p.path}", p.message) for p in one.value.problems]
    assert got == want
    assert "a time of day" in got[0][1] and "NaT" in got[1][1]
    with pytest.raises(ValidationError, match=r"rows\[0\].facts.placed_in_service"):
        US_48D.evaluate_many({**FIRMS, "placed_in_service": ["2026-3-1", "2026-03-01", ""]}, on=ON)


YEAR_ENDS = ["2025-12-31", "2024-12-31", "2023-12-31"]


def test_each_row_on_its_own_date() -> None:
    # the 35 % rule is in force from its enactment (2025-07-04): on 2024-12-31 and
    # 2023-12-31 only the 25 % rule is
    rs = US_48D
    table = {**FIRMS, "year_end": YEAR_ENDS}
    result = rs.evaluate_many(table, on="year_end")
    expected = [
        rs.evaluate({k: FIRMS[k][i] for k in FIRMS}, on=YEAR_ENDS[i])["credit"] for i in range(3)
    ]
    assert result["credit"].tolist() == expected == CREDITS
    assert result.on is None
    assert result.dates.tolist() == [D.fromisoformat(d) for d in YEAR_ENDS]
    assert "on each row's date" in repr(result)


def test_per_row_dates_select_rules_and_parameters_in_force() -> None:
    rs = RuleSet(
        id="rates",
        inputs=[Input(name="x", type="number")],
        parameters=ParameterSet(
            parameters=[
                Parameter(
                    name="rate",
                    values=[
                        ParameterValue(start=D(2020, 1, 1), value=0.1),
                        ParameterValue(start=D(2024, 7, 1), value=0.2),
                    ],
                    end=D(2029, 12, 31),
                )
            ]
        ),
        rules=[
            Rule(id="base", outputs={"y": "x * rate"}),
            Rule(id="bonus", outputs={"z": "x"}, valid_from=D(2025, 1, 1)),
        ],
        outputs=[Output(name="z", type="number", default=-1.0)],
    )
    days = ["2024-06-30", "2024-07-01", "2025-01-01", "2029-12-31", "2020-01-01"]
    result = rs.evaluate_many({"x": [10.0] * 5, "day": days}, on="day")
    assert result["y"].tolist() == [1.0, 2.0, 2.0, 2.0, 1.0]
    assert result["z"].tolist() == [-1.0, -1.0, 10.0, 10.0, -1.0]
    assert result.fired["bonus"].tolist() == [False, False, True, True, False]
    with pytest.raises(ValidationError) as info:
        rs.evaluate_many(
            {"x": [10.0] * 3, "day": ["2019-12-31", "2024-01-01", "2030-01-01"]}, on="day"
        )
    assert [p.path for p in info.value.problems] == ["rows[0].on", "rows[2].on"]
    assert "in force on 2019-12-31 but reads parameter 'rate'" in info.value.problems[0].message
    assert "in force on 2030-01-01" in info.value.problems[1].message


def test_the_dates_column_may_be_an_input_and_must_exist() -> None:
    rs = RuleSet(
        id="age",
        inputs=[Input(name="founded", type="date"), Input(name="assessed", type="date")],
        rules=[Rule(id="r", outputs={"age": "days_between(founded, assessed)"})],
    )
    table = {"founded": ["2020-01-01", "2021-01-01"], "assessed": ["2020-01-31", "2021-03-01"]}
    assert rs.evaluate_many(table, on="assessed")["age"].tolist() == [30.0, 59.0]
    with pytest.raises(SchemaError, match="did you mean 'assessed'"):
        rs.evaluate_many(table, on="asessed")
    with pytest.raises(SchemaError, match=r"table\.year_end: unknown column"):
        rs.evaluate_many({**table, "year_end": ["2020-12-31"] * 2}, on=D(2021, 1, 1))


def test_pandas_and_arrow_dates_columns() -> None:
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    frame = pd.DataFrame({**FIRMS, "year_end": pd.to_datetime(YEAR_ENDS)})
    assert US_48D.evaluate_many(frame, on="year_end")["credit"].tolist() == CREDITS
    arrow = pa.table({**FIRMS, "year_end": pa.array([D.fromisoformat(d) for d in YEAR_ENDS])})
    assert US_48D.evaluate_many(arrow, on="year_end")["credit"].tolist() == CREDITS


def test_read_table_reads_dates_and_a_dates_column(tmp_path: Path) -> None:
    path = tmp_path / "plants.csv"
    path.write_text(
        "placed_in_service;construction_start;qualified_investment;year_end\n"
        + "".join(
            f"{p};{c};1e9;{y}\n"
            for p, c, y in zip(
                FIRMS["placed_in_service"], FIRMS["construction_start"], YEAR_ENDS, strict=True
            )
        ),
        encoding="utf-8",
    )
    table = read_table(path, US_48D, on="year_end")
    assert table.on == "year_end" and table["year_end"].dtype == np.dtype("datetime64[D]")
    assert table["placed_in_service"].dtype == np.dtype("datetime64[D]")
    assert US_48D.evaluate_many(table, on=table.on)["credit"].tolist() == CREDITS
    path.write_text(
        "placed_in_service,construction_start,qualified_investment,year_end\n"
        "2026-3-1,2025-01-15,1e9,2025-12-31\n"
        "2026-03-01,2025-01-15,1e9,\n"
        "2026-03-01,,1e9,31.12.2025\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemaError) as info:
        read_table(path, US_48D, on="year_end")
    assert [p.path for p in info.value.problems] == [
        "rows[0].placed_in_service",
        "rows[1].year_end",
        "rows[2].year_end",
    ]
    assert "expected a date written YYYY-MM-DD, got '2026-3-1' (line 2)" in str(info.value)
    assert "evaluation date is missing (line 3)" in str(info.value)
    with pytest.raises(SchemaError, match="no column 'yearend'"):
        read_table(path, US_48D, on="yearend")


def test_records_with_dates() -> None:
    records = [
        {
            "placed_in_service": "2026-03-01",
            "construction_start": D(2025, 1, 15),
            "qualified_investment": 1e9,
            "year_end": "2025-12-31",
        },
        {
            "placed_in_service": "2026-03-01",
            "construction_start": None,
            "qualified_investment": 1e9,
            "year_end": D(2026, 12, 31),
        },
    ]
    table = PopulationTable.from_records(records, US_48D, on="year_end")
    assert table["construction_start"].mask.tolist() == [False, True]
    with pytest.raises(ValidationError, match="construction_start' is needed but was not given"):
        US_48D.evaluate_many(table, on=table.on)
    assert math.isclose(
        US_48D.evaluate_many(
            PopulationTable.from_records(records[:1], US_48D, on="year_end"), on="year_end"
        )["credit"][0],
        350_000_000.0,
    )


def test_the_evaluation_date_has_one_spelling() -> None:
    facts = firm(D(2026, 3, 1), D(2025, 1, 15))
    for on in ("2026-06-30", dt.datetime(2026, 6, 30, 15, 0), np.datetime64("2026-06-30T12")):
        assert US_48D.evaluate(facts, on=on)["credit"] == 350_000_000.0  # type: ignore[arg-type]
    for on in ("20260630", "2026-W26-2", "2026-6-30", np.datetime64("NaT"), 2026):
        with pytest.raises(ValidationError, match="on: must be a date"):
            US_48D.evaluate(facts, on=on)  # type: ignore[arg-type]
