"""Populations: evaluate_many equals evaluate row by row, on any table type."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratpolicy.catalogs.korea import rd_matching, tax_credits
from stratpolicy.errors import DataError, ValidationError
from stratpolicy.rules import (
    MAX_REPORTED_ROWS,
    Input,
    Output,
    Parameter,
    ParameterSet,
    ParameterValue,
    PythonRule,
    Rule,
    RuleSet,
)

D = dt.date

# A rule set that uses every construct, including the ones that can fail on some rows only:
# a division, a keyed parameter without a key ('large'), an output that may be unset.
RICH = RuleSet(
    id="rich",
    inputs=[
        Input(name="size", type="category", categories=["sme", "mid", "large"]),
        Input(name="field", type="category", categories=["a", "b", "c"]),
        Input(name="x", type="number"),
        Input(name="y", type="number", default=1.0),
        Input(name="s", type="number", default=0.5),
        Input(name="flag", type="bool", default=False),
        # bounded: values outside [-1e3, 1e6] are refused in both paths
        Input(name="b", type="number", min=-1e3, max=1e6, default=0.0),
        # a date: compared with a literal and with a date parameter, measured in days
        Input(name="placed", type="date", default=D(2023, 1, 1)),
    ],
    parameters=ParameterSet(
        parameters=[
            Parameter(
                name="rate",
                values=[ParameterValue(start=D(2020, 1, 1), by_key={"sme": 0.4, "mid": 0.3})],
            ),
            Parameter(
                name="fields",
                values=[
                    ParameterValue(start=D(2020, 1, 1), members=["a"]),
                    ParameterValue(start=D(2023, 1, 1), members=["a", "b"]),
                ],
            ),
            Parameter(name="cap", values=[ParameterValue(start=D(2020, 1, 1), value=0.1)]),
            Parameter(
                name="deadline",
                values=[
                    ParameterValue(start=D(2020, 1, 1), date=D(2023, 12, 31)),
                    ParameterValue(start=D(2024, 1, 1), date=D(2026, 12, 31)),
                ],
            ),
        ]
    ),
    outputs=[
        Output(name="base", type="number", combine="max"),
        Output(name="level", type="category", categories=["low", "mid", "high"], default="low"),
        Output(name="ok", type="bool", default=False),
        Output(name="acc", type="number", combine="sum", default=-1.0),
        Output(name="pick", type="number", combine="priority"),
    ],
    rules=[
        Rule(
            id="r1",
            condition="field in fields and x > 0",
            outputs={"base": "x * rate[size] + min(cap * x, x / y)"},
        ),
        Rule(id="r2", condition="flag or s > 0.7", outputs={"base": "x * 0.5"}),
        Rule(id="r3", outputs={"total": "base * 2 if flag else round(abs(x - y), 2)"}),
        Rule(id="r4", outputs={"level": "'high' if x > 1000 else ('mid' if x > 10 else 'low')"}),
        Rule(
            id="r5",
            condition="size in ('sme', 'mid') and not flag",
            outputs={"ok": "x ** 2 > y ** 3 or s == 0.5"},
        ),
        Rule(id="r6", outputs={"c": "clip(s * 3, 0, 1) + max(x, y, 0) - min(x, y)"}),
        Rule(id="r7", condition="s < 0.6", outputs={"acc": "s"}),
        Rule(id="r8", condition="flag", outputs={"acc": "s * 10"}),
        Rule(
            id="r9", condition="size == 'large' or field != 'c'", outputs={"pick": "1"}, priority=1
        ),
        Rule(id="r10", condition="x < 0", outputs={"pick": "x"}, priority=2),
        Rule(
            id="r11",
            condition="level == 'high' and ok",
            outputs={"flagged": "1"},
            valid_from=D(2024, 1, 1),
        ),
        # may overflow (x up to 1e300): inf - inf is NaN, refused; hidden in min and in a
        # comparison, refused too
        Rule(id="r12", condition="b * x * x >= 0", outputs={"over": "x * x * b - x * x"}),
        Rule(id="r13", outputs={"capped": "min(x * x * x, 1e6) + b"}),
        Rule(
            id="r14",
            condition="placed > date('2022-12-31') and placed <= deadline",
            outputs={"age": "days_between(placed, date('2024-12-31')) * s"},
        ),
        Rule(id="r15", condition="placed < date('2021-06-30')", outputs={"early": "x"}),
    ],
)

NUMBERS = st.one_of(
    st.sampled_from([0.0, 1.0, -1.0, 0.5, 10.0, 1000.0, 1e-300, 1e300, -0.0, 2.675]),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
)


def rows_strategy() -> st.SearchStrategy[list[dict[str, Any]]]:
    # None stands for a masked entry: a missing fact
    row = st.fixed_dictionaries(
        {
            "size": st.sampled_from(["sme", "mid", "large"]),
            "field": st.sampled_from(["a", "b", "c"]),
            "x": st.one_of(NUMBERS, st.none()),
            "y": st.one_of(NUMBERS.filter(lambda v: v != 0), st.just(0.0), st.none()),
            "s": st.floats(min_value=0, max_value=1, allow_nan=False),
            "flag": st.one_of(st.booleans(), st.none()),
            "b": st.one_of(
                st.sampled_from([0.0, 1.0, -1e3, 1e6, -1000.5, 1e6 + 1, 2.0]),
                st.floats(min_value=-2e3, max_value=2e6, allow_nan=False),
                st.none(),
            ),
            "placed": st.one_of(
                st.sampled_from([D(2022, 12, 31), D(2023, 1, 1), D(2023, 12, 31), D(2024, 1, 1)]),
                st.dates(min_value=D(2020, 1, 1), max_value=D(2027, 12, 31)),
                st.none(),
            ),
        }
    )
    return st.lists(row, min_size=1, max_size=25)


def valid_rows_strategy() -> st.SearchStrategy[list[dict[str, Any]]]:
    """Rows that mostly evaluate: every fact given, within bounds, no zero divisor."""
    row = st.fixed_dictionaries(
        {
            "size": st.sampled_from(["sme", "mid"]),
            "field": st.sampled_from(["a", "b", "c"]),
            "x": st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
            "y": st.floats(min_value=0.5, max_value=1e6),
            "s": st.floats(min_value=0, max_value=1, allow_nan=False),
            "flag": st.booleans(),
            "b": st.floats(min_value=-1e3, max_value=1e6),
            "placed": st.dates(min_value=D(2020, 1, 1), max_value=D(2027, 12, 31)),
        }
    )
    return st.lists(row, min_size=1, max_size=25)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def column(values: list[Any]) -> Any:
    """A column; None entries become masked entries of a masked array; dates datetime64."""
    dtype = "datetime64[D]" if any(isinstance(v, dt.date) for v in values) else None
    if all(v is not None for v in values):
        return np.array(values, dtype=dtype)
    mask = [v is None for v in values]
    filler = next((v for v in values if v is not None), 0.0)
    return np.ma.MaskedArray([filler if v is None else v for v in values], mask=mask, dtype=dtype)


def check_identity(
    rs: RuleSet,
    rows: list[dict[str, Any]],
    on: dt.date | str,
    columns: set[str] | None = None,
    dates: list[Any] | None = None,
) -> None:
    """evaluate_many equals evaluate row by row: values, and the failing rows with their errors.

    The population's error lists every failing row the scalar path finds, in order, up to
    MAX_REPORTED_ROWS, each with the scalar path's problems. With ``dates`` (one per row),
    ``on`` names the column that holds them: each row is evaluated on its own date.
    """
    names = columns if columns is not None else set(rows[0])
    table = {k: column([r[k] for r in rows]) for k in names}
    if dates is not None:
        assert isinstance(on, str)
        table[on] = column(dates) if all(isinstance(d, dt.date) for d in dates) else dates
    expected: list[dict[str, Any] | None] = []
    failures: list[tuple[int, DataError]] = []
    for n, r in enumerate(rows):
        facts = {k: r[k] for k in names if r[k] is not None}
        try:
            d = rs.evaluate(facts, on=dates[n] if dates is not None else on)
            expected.append({name: d.get(name, math.nan) for name in rs.output_names})
        except DataError as exc:
            expected.append(None)
            failures.append((n, exc))
    if failures:
        with pytest.raises(DataError) as info:
            rs.evaluate_many(table, on=on)
        got = [(p.path, p.message) for p in info.value.problems if p.path != "rows"]
        want = [
            (f"rows[{n}].{p.path}", p.message)
            for n, exc in failures[:MAX_REPORTED_ROWS]
            for p in exc.problems
        ]
        assert got == want
        assert (info.value.problems[-1].path == "rows") == (len(failures) > MAX_REPORTED_ROWS)
        return
    result = rs.evaluate_many(table, on=on)
    for n, e in enumerate(expected):
        assert e is not None
        for name in rs.output_names:
            got_value = result[name][n]
            got_value = got_value.item() if hasattr(got_value, "item") else got_value
            assert same(got_value, e[name]), (n, name, got_value, e[name], rows[n])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(rows_strategy(), valid_rows_strategy()),
    st.sampled_from([D(2022, 6, 1), D(2024, 6, 1)]),
)
def test_evaluate_many_equals_evaluate_row_by_row(rows: list[dict[str, Any]], on: dt.date) -> None:
    check_identity(RICH, rows, on)


# Evaluation dates across the changes of RICH: before its parameters exist (an error), in
# each regime (rule r11 from 2024; the set 'fields' and the date 'deadline' change in 2023
# and 2024), on the days things change, and a few that are no dates at all.
ON_DATES = st.one_of(
    st.sampled_from([D(2019, 12, 31), D(2020, 1, 1), D(2022, 12, 31), D(2023, 1, 1)]),
    st.sampled_from([D(2023, 12, 31), D(2024, 1, 1), D(2025, 6, 30)]),
    st.dates(min_value=D(2019, 6, 1), max_value=D(2027, 12, 31)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(rows_strategy(), valid_rows_strategy()).flatmap(
        lambda rows: st.tuples(
            st.just(rows), st.lists(ON_DATES, min_size=len(rows), max_size=len(rows))
        )
    )
)
def test_per_row_dates_equal_evaluate_on_each_rows_date(
    rows_and_dates: tuple[list[dict[str, Any]], list[dt.date]],
) -> None:
    rows, dates = rows_and_dates
    check_identity(RICH, rows, "tax_year_end", dates=dates)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows_strategy().flatmap(
        lambda rows: st.tuples(
            st.just(rows),
            st.lists(
                st.one_of(
                    ON_DATES.map(lambda d: d.isoformat()),
                    st.sampled_from(["2024-1-1", "someday", "", "2024-02-30"]),
                ),
                min_size=len(rows),
                max_size=len(rows),
            ),
        )
    )
)
def test_per_row_dates_as_text_and_bad_dates_fail_as_evaluate_does(
    rows_and_dates: tuple[list[dict[str, Any]], list[str]],
) -> None:
    rows, dates = rows_and_dates
    check_identity(RICH, rows, "tax_year_end", dates=dates)


@settings(max_examples=100, deadline=None)
@given(rows_strategy(), st.sets(st.sampled_from(["y", "s", "flag", "x", "b"])))
def test_missing_columns_act_like_missing_facts(
    rows: list[dict[str, Any]], dropped: set[str]
) -> None:
    check_identity(
        RICH, rows, D(2024, 6, 1), columns={"size", "field", "x", "y", "s", "flag", "b"} - dropped
    )


# The categories a random population draws from are the rule set's own declared ones.
_CATEGORIES = {i.name: list(i.categories) for i in tax_credits().inputs if i.categories}
SIZES = _CATEGORIES["firm_size"]
FIELDS = _CATEGORIES["rsta_field"]
MONEY = st.one_of(st.just(0.0), st.floats(min_value=1e6, max_value=1e12))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "firm_size": st.sampled_from(SIZES),
                "prior_3yr_avg_sales": st.floats(min_value=1e9, max_value=1e12),
                "kosdaq_listed": st.booleans(),
                "rsta_field": st.sampled_from(FIELDS),
                "new_growth_rd_expense": MONEY,
                "nst_rd_expense": MONEY,
                "general_rd_expense": MONEY,
                "prior_year_general_rd_expense": MONEY,
                "prior_4yr_avg_general_rd_expense": MONEY,
                "revenue": st.floats(min_value=1e6, max_value=1e13),
                "general_investment": MONEY,
                "new_growth_facility_investment": MONEY,
                "nst_facility_investment": MONEY,
                "prior_3yr_avg_investment": MONEY,
                "temporary_credit_elected": st.booleans(),
            }
        ),
        min_size=1,
        max_size=20,
    ),
    st.dates(min_value=D(2021, 1, 1), max_value=D(2032, 6, 30)),
)
def test_tax_credit_population_equals_row_by_row(rows: list[dict[str, Any]], on: dt.date) -> None:
    check_identity(TAX, rows, on)


TAX = tax_credits()


# --- table types ----------------------------------------------------------------------------------


POP = {
    "firm_size": ["sme", "large", "mid_sized", "sme"],
    "rsta_field": ["semiconductors", "other", "vaccines", "artificial_intelligence"],
    "nst_rd_expense": [1e9, 2e9, 0.0, 5e8],
    "revenue": [2e10, 1e10, 1e9, 1e11],
    # row 1's R&D is outside the RSTA list, so general R&D, which needs its history
    "prior_year_general_rd_expense": [0.0, 0.0, 0.0, 0.0],
    "prior_4yr_avg_general_rd_expense": [0.0, 0.0, 0.0, 0.0],
}


def expected_credits(on: dt.date) -> list[float]:
    return [TAX.evaluate({k: v[i] for k, v in POP.items()}, on=on)["rd_credit"] for i in range(4)]


def test_mapping_of_lists_and_arrays() -> None:
    on = D(2025, 6, 30)
    assert list(TAX.evaluate_many(POP, on=on)["rd_credit"]) == expected_credits(on)
    arrays = {k: np.asarray(v) for k, v in POP.items()}
    arrays["firm_size"] = arrays["firm_size"].astype(object)
    assert list(TAX.evaluate_many(arrays, on=on)["rd_credit"]) == expected_credits(on)


def test_pandas_dataframe() -> None:
    pd = pytest.importorskip("pandas")
    on = D(2025, 6, 30)
    df = pd.DataFrame(POP)
    assert list(TAX.evaluate_many(df, on=on)["rd_credit"]) == expected_credits(on)
    df["firm_size"] = df["firm_size"].astype("category")
    df["rsta_field"] = df["rsta_field"].astype("string")
    result = TAX.evaluate_many(df, on=on)
    assert list(result["rd_credit"]) == expected_credits(on)
    frame = result.to_pandas(index=df.index)
    assert list(frame.columns) == list(TAX.output_names)
    assert result.fired["rd_nst_rate"].tolist() == [True, False, False, True]


def test_pyarrow_table() -> None:
    pa = pytest.importorskip("pyarrow")
    on = D(2025, 6, 30)
    table = pa.table(POP)
    assert list(TAX.evaluate_many(table, on=on)["rd_credit"]) == expected_credits(on)
    encoded = table.set_column(0, "firm_size", pa.array(POP["firm_size"]).dictionary_encode())
    assert list(TAX.evaluate_many(encoded, on=on)["rd_credit"]) == expected_credits(on)


def test_column_names_can_be_mapped() -> None:
    on = D(2025, 6, 30)
    renamed = {("R&D" if k == "nst_rd_expense" else k): v for k, v in POP.items()}
    result = TAX.evaluate_many(renamed, on=on, columns={"R&D": "nst_rd_expense"})
    assert list(result["rd_credit"]) == expected_credits(on)


def test_quantity_columns() -> None:
    from stratpolicy.units import registry

    on = D(2025, 6, 30)
    table = dict(POP)
    table["revenue"] = registry().Quantity(np.asarray(POP["revenue"]) / 1e9, "billion KRW")
    assert TAX.evaluate_many(table, on=on)["rd_credit"] == pytest.approx(expected_credits(on))


@pytest.mark.parametrize(
    ("column", "values", "message"),
    [
        (
            "firm_size",
            ["sme", "huge", "sme", "sme"],
            "rows[1].facts.firm_size: 'huge' is not one of",
        ),
        (
            "revenue",
            [1.0, 2.0, float("nan"), 1.0],
            "rows[2].facts.revenue: must be a finite number",
        ),
        ("revenue", [1.0, "x", 1.0, 1.0], "rows[1].facts.revenue: must be a number"),
        ("revenue", [1.0, 1.0, 1.0, 0.0], "rows[3].rules[6].outputs.nst_rd_credit_rate"),
    ],
)
def test_errors_name_the_row(column: str, values: list[object], message: str) -> None:
    table = {
        **POP,
        column: np.array(values, dtype=object)
        if column != "revenue" or "x" in values
        else np.array(values),
    }
    with pytest.raises(ValidationError) as info:
        TAX.evaluate_many(table, on=D(2025, 6, 30))
    assert message in str(info.value)


def test_bool_columns_must_be_booleans() -> None:
    table = {**POP, "temporary_credit_elected": np.array([1, 0, 1, 0])}
    with pytest.raises(
        ValidationError, match=r"rows\[0\].facts.temporary_credit_elected: must be true or false"
    ):
        TAX.evaluate_many(table, on=D(2025, 6, 30))


def test_outputs_of_every_type() -> None:
    result = rd_matching().evaluate_many(
        {
            "firm_size": ["sme", "other", "large"],
            "total_rd_cost": [1e9, 1e9, 0.0],
            "government_contribution": [7e8, 9e8, 0.0],
            "own_cash_contribution": [5e7, 0.0, 0.0],
        },
        on=D(2026, 1, 1),
    )
    assert result["compliant"].dtype == bool
    assert result["compliant"].tolist() == [True, True, True]
    assert math.isnan(result["government_share"][2])
    assert math.isnan(result["max_government_contribution"][1])
    assert result["government_share"][0] == pytest.approx(0.7)
    level = RICH.evaluate_many({"size": ["sme"], "field": ["a"], "x": [5000.0]}, on=D(2024, 1, 1))[
        "level"
    ]
    assert level.dtype == object and level.tolist() == ["high"]


def test_python_rules_in_populations() -> None:
    def bonus(x: float, size: str) -> dict[str, float] | None:
        return {"bonus": x * (2.0 if size == "sme" else 1.0)} if x > 0 else None

    def bonus_columns(x: Any, size: Any) -> tuple[Any, dict[str, Any]]:
        return x > 0, {"bonus": x * np.where(size == "sme", 2.0, 1.0)}

    table = {"size": ["sme", "large", "sme"], "x": [1.0, 2.0, -1.0]}
    for vector in (None, bonus_columns):
        rs = RuleSet(
            id="py",
            inputs=[
                Input(name="size", type="category", categories=["sme", "large"]),
                Input(name="x", type="number"),
            ],
            outputs=[Output(name="bonus", type="number", default=0.0)],
            python_rules=[
                PythonRule(id="b", function=bonus, sets=("bonus",), vector_function=vector)
            ],
            rules=[Rule(id="twice", outputs={"twice": "bonus * 2"})],
        )
        result = rs.evaluate_many(table, on=D(2024, 1, 1))
        assert result["bonus"].tolist() == [2.0, 2.0, 0.0]
        assert result["twice"].tolist() == [4.0, 4.0, 0.0]
        assert result.fired["b"].tolist() == [True, True, False]


def test_results_do_not_alias_the_inputs() -> None:
    rs = RuleSet(
        id="alias",
        inputs=[Input(name="x", type="number")],
        rules=[Rule(id="r", outputs={"y": "x"})],
    )
    x = np.array([1.0, 2.0])
    y = rs.evaluate_many({"x": x}, on=D(2024, 1, 1))["y"]
    y[0] = 99.0
    assert x[0] == 1.0


def test_constant_outputs_are_full_columns() -> None:
    rs = RuleSet(
        id="c", inputs=[Input(name="x", type="number")], rules=[Rule(id="r", outputs={"y": "2"})]
    )
    assert rs.evaluate_many({"x": [1.0, 2.0, 3.0]}, on=D(2024, 1, 1))["y"].tolist() == [
        2.0,
        2.0,
        2.0,
    ]


def test_import_loads_neither_numpy_nor_pint() -> None:
    code = (
        "import sys, json, datetime\n"
        "import stratpolicy.rules\n"
        "from stratpolicy.catalogs.korea import tax_credits\n"
        "rs = tax_credits()\n"
        "rs.evaluate({'firm_size': 'sme', 'rsta_field': 'vaccines', 'nst_rd_expense': 1.0, 'revenue': 10.0},"
        " on=datetime.date(2025, 1, 1)).explain()\n"
        "print(json.dumps([m for m in ('numpy', 'pint', 'pandas', 'pyarrow') if m in sys.modules]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert json.loads(out.strip().splitlines()[-1]) == []


# --- string columns ---------------------------------------------------------------------------------

TEXTS = st.text(alphabet=st.sampled_from("ab_zé한\x00 "), max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(TEXTS.filter(bool), min_size=1, max_size=12, unique=True),
    st.lists(TEXTS, min_size=0, max_size=40),
    st.data(),
)
def test_string_columns_are_encoded_exactly(
    allowed: list[str], others: list[str], data: st.DataObject
) -> None:
    from stratpolicy.rules._population import _encode_text

    values = others + data.draw(st.lists(st.sampled_from(allowed), max_size=40))
    values = data.draw(st.permutations(values))
    codes = {text: 100 + i for i, text in enumerate(allowed)}
    array = np.array(values, dtype=f"<U{max([1, *map(len, values)])}")
    # numpy's str_ cannot hold trailing NUL characters: compare what the array holds
    want = [codes.get(str(v), -1) for v in array]
    assert _encode_text(array, allowed, codes).tolist() == want
    assert _encode_text(array[::-1], allowed, codes).tolist() == want[::-1]  # not contiguous


@pytest.mark.parametrize("count", [70, 200])
def test_many_categories_are_encoded_by_a_binary_search(count: int) -> None:
    from stratpolicy.rules._population import _encode_text

    rng = np.random.default_rng(count)
    allowed = [f"field_{i:03d}" for i in range(count)]  # alike but in the last characters
    values = [allowed[i] for i in rng.integers(0, count, 500)] + ["field_", "field_0000", ""]
    codes = {text: i for i, text in enumerate(allowed)}
    got = _encode_text(np.array(values), allowed, codes).tolist()
    assert got == [codes.get(v, -1) for v in values]


@pytest.mark.parametrize("dtype", ["string", "str", object])
def test_pandas_text_columns_give_evaluates_results_and_errors(dtype: object) -> None:
    pd = pytest.importorskip("pandas")
    sizes = ["sme", "mid", "large", "sme"]
    frame = pd.DataFrame(
        {
            "size": pd.Series(sizes, dtype=dtype),
            "field": ["a", "b", "c", "a"],
            "x": [1.0, 2.0, 3.0, 4.0],
        }
    )
    result = RICH.evaluate_many(frame, on=D(2024, 6, 1))
    for row in range(4):
        want = RICH.evaluate(
            {"size": sizes[row], "field": frame["field"][row], "x": float(row + 1)},
            on=D(2024, 6, 1),
        )
        expected = want.get("base", math.nan)
        got = result["base"][row]
        assert got == expected or (math.isnan(got) and math.isnan(expected))
    bad = frame.assign(size=pd.Series(["sme", "smee", None, "mid"], dtype=dtype))
    with pytest.raises(ValidationError) as info:
        RICH.evaluate_many(bad, on=D(2024, 6, 1))
    paths = [p.path for p in info.value.problems]
    assert paths == ["rows[1].facts.size", "rows[2].facts.size"]
    assert "'smee' is not one of 'sme', 'mid', 'large'" in info.value.problems[0].message
    for row in (1, 2):
        facts = {"size": bad["size"][row], "field": bad["field"][row], "x": bad["x"][row]}
        with pytest.raises(ValidationError) as one:
            RICH.evaluate(facts, on=D(2024, 6, 1))
        assert one.value.problems[0].message == info.value.problems[row - 1].message
