"""Hard edges of the rules engine (issue 9): no raw exception, no silently wrong answer.

Each test is a regression test of one hole found by the fuzzing campaign or the reading
review: the expected behaviour is written out from the issue, and, for populations, the
scalar path (``evaluate`` row by row) is the reference.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from stratpolicy import io
from stratpolicy.catalogs.korea import early_warning_rules, rd_matching, tax_credits
from stratpolicy.errors import (
    DataError,
    EvaluationError,
    ExpressionError,
    SchemaError,
    ValidationError,
)
from stratpolicy.rules import (
    MAX_REPORTED_ROWS,
    Input,
    Output,
    PythonRule,
    Rule,
    RuleSet,
)

ON = dt.date(2025, 6, 30)


def messages(exc: DataError) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in exc.problems]


def scalar_error(rs: RuleSet, facts: dict[str, Any]) -> DataError:
    with pytest.raises(DataError) as info:
        rs.evaluate(facts, on=ON)
    return info.value


def population_error(rs: RuleSet, table: Any, **kwargs: Any) -> DataError:
    with pytest.raises(DataError) as info:
        rs.evaluate_many(table, on=ON, **kwargs)
    return info.value


def assert_same_errors(rs: RuleSet, rows: list[dict[str, Any]]) -> DataError:
    """evaluate_many fails on exactly the rows evaluate fails on, with the same messages."""
    names = {k for r in rows for k in r}
    table = {k: np.array([r[k] for r in rows], dtype=object) for k in names}
    expected = []
    for n, r in enumerate(rows):
        try:
            rs.evaluate(r, on=ON)
        except DataError as exc:
            expected += [(f"rows[{n}].{p.path}", p.message) for p in exc.problems]
    assert expected, "the rows were meant to fail"
    got = population_error(rs, table)
    assert messages(got) == expected
    return got


# --- facts that are not floats -------------------------------------------------------------

NUMBER = RuleSet(
    id="number",
    inputs=[Input(name="x", type="number")],
    rules=[Rule(id="double", outputs={"y": "2 * x"})],
)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (10**400, "facts.x: must be a finite number, got an integer of 401 digits, too large"),
        (-(10**5000), "got an integer of 5001 digits, too large"),
        (Fraction(10**400, 3), "facts.x: must be a finite number, got a Fraction"),
        (Decimal("sNaN"), "facts.x: must be a finite number, got Decimal('sNaN')"),
        (Decimal("NaN"), "facts.x: must be a finite number, got nan"),
        (Decimal("1e999"), "facts.x: must be a finite number, got inf"),
        (np.float64("inf"), "facts.x: must be a finite number, got inf"),
    ],
    ids=["int-401", "int-5001", "fraction", "snan", "nan", "decimal-inf", "numpy-inf"],
)
def test_numbers_too_large_or_not_numbers_are_library_errors(value: object, message: str) -> None:
    # before: OverflowError / ValueError escaped from float()
    err = scalar_error(NUMBER, {"x": value})
    assert isinstance(err, ValidationError)
    assert message in str(err)
    # the same value in a population: the same message, at its row
    got = population_error(NUMBER, {"x": np.array([1.0, value], dtype=object)})
    assert [p.path for p in got.problems] == ["rows[1].facts.x"]
    assert got.problems[0].message == err.problems[0].message


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (
            (v for v in [1.0, 2.0]),
            "table.x: must be a column (a list, a tuple or a one-dimensional",
        ),
        (5.0, "got a float"),
        (np.float64(5.0), "table.x: must be a column"),
        (np.ones((2, 2)), "table.x: must be a one-dimensional column"),
        ("abc", "got a str"),
    ],
)
def test_columns_that_are_not_columns(column: object, message: str) -> None:
    # before: a generator gave IndexError (numpy made it a 0-d object array)
    with pytest.raises(SchemaError, match=r"table\.x") as info:
        NUMBER.evaluate_many({"x": column}, on=ON)
    assert message in str(info.value)


def test_list_values_in_a_column_are_row_errors() -> None:
    # numpy 2 refuses ragged nested lists with ValueError; a list inside a column is a bad fact
    got = population_error(NUMBER, {"x": [1.0, [2.0, 3.0], 4.0, [5.0]]})
    assert messages(got) == [
        ("rows[1].facts.x", "must be a number, got a list of 2 items"),
        ("rows[3].facts.x", "must be a number, got a list of 1 items"),
    ]


def test_mixed_lists_keep_their_items() -> None:
    # [1.0, "x"] must not turn 1.0 into the text '1.0', nor [True, 2] True into 1
    got = population_error(NUMBER, {"x": [1.0, "x"]})
    assert [p.path for p in got.problems] == ["rows[1].facts.x"]
    got = population_error(NUMBER, {"x": [True, 2]})
    assert [p.path for p in got.problems] == ["rows[0].facts.x"]
    assert list(NUMBER.evaluate_many({"x": [1, 2.5]}, on=ON)["y"]) == [2.0, 5.0]


# --- results that are not finite -----------------------------------------------------------

SQUARES = RuleSet(
    id="squares",
    inputs=[Input(name="a", type="number")],
    outputs=[
        Output(name="nan", type="number"),
        Output(name="hidden", type="number"),
        Output(name="flag", type="bool", default=False),
    ],
    rules=[
        Rule(id="difference", outputs={"nan": "a*a - a*a"}),
        Rule(id="hidden_in_min", outputs={"hidden": "min(a*a - a*a, 5)"}),
        Rule(id="compare", condition="a*a - a*a >= 0", outputs={"flag": "True"}),
    ],
)


def test_inf_minus_inf_is_an_error_naming_the_rule() -> None:
    # before: a*a - a*a for a = 1e200 gave NaN silently
    assert SQUARES.evaluate({"a": 3.0}, on=ON)["nan"] == 0.0
    err = scalar_error(SQUARES, {"a": 1e200})
    assert isinstance(err, EvaluationError)
    assert err.problems[0].path == "rules[0].outputs.nan"
    assert "rule 'difference', output 'nan': the result is nan (not a number)" in str(err)
    assert "in 'a*a - a*a'" in str(err)


@pytest.mark.parametrize(
    ("expression", "where"),
    [
        ("a * a", "the result is inf: it overflows the float range"),
        ("-(a * a)", "the result is -inf"),
        ("abs(a * a)", "the result is inf"),
        ("round(a, 2)", "the result is inf"),
        ("min(a * a, 5)", "'a * a' is inf"),  # min would drop the infinity
        ("max(a * a - a * a, 0)", "'a * a - a * a' is nan"),  # max would drop the NaN
        ("clip(a * a, 0, 1)", "'a * a' is inf"),
        ("1 / (a * a)", "'a * a' is inf"),  # x / inf would be 0
        ("1 if a * a > 0 else 0", "'a * a' is inf"),  # a comparison turns it into True
        ("a * a if a > 0 else 0", "the result is inf"),
    ],
)
def test_non_finite_values_are_refused_where_they_could_hide(expression: str, where: str) -> None:
    rs = RuleSet(
        id="t",
        inputs=[Input(name="a", type="number")],
        rules=[Rule(id="r", outputs={"y": expression})],
    )
    big = 1.7e308 if "round" in expression else 1e200
    assert rs.evaluate({"a": 2.0}, on=ON)["y"] == pytest.approx(
        rs.evaluate_many({"a": [2.0]}, on=ON)["y"][0]
    )
    err = scalar_error(rs, {"a": big})
    assert where in err.problems[0].message
    assert "rule 'r', output 'y'" in err.problems[0].message
    assert_same_errors(rs, [{"a": 2.0}, {"a": big}, {"a": 1.0}, {"a": -big}])


def test_overflow_in_a_condition_and_in_a_hidden_place() -> None:
    err = scalar_error(SQUARES, {"a": 1e200})
    assert err.problems[0].path == "rules[0].outputs.nan"  # the first rule in order
    got = assert_same_errors(SQUARES, [{"a": 1.0}, {"a": 1e200}])
    assert got.problems[0].path == "rows[1].rules[0].outputs.nan"
    only_hidden = RuleSet(
        id="t",
        inputs=SQUARES.inputs,
        outputs=SQUARES.outputs[2:],
        rules=SQUARES.rules[2:],
    )
    err = scalar_error(only_hidden, {"a": 1e200})
    assert err.problems[0].path == "rules[0].condition"
    assert "'a*a - a*a' is nan" in err.problems[0].message


def test_a_sum_of_rules_that_overflows_is_an_error() -> None:
    rs = RuleSet(
        id="t",
        inputs=[Input(name="a", type="number")],
        outputs=[Output(name="total", type="number", combine="sum", default=0.0)],
        rules=[
            Rule(id="one", outputs={"total": "a"}),
            Rule(id="two", outputs={"total": "a"}),
        ],
    )
    err = scalar_error(rs, {"a": 1e308})
    assert err.problems[0].path == "outputs[0]"
    assert "output 'total': the sum of the values of rules 'one', 'two' is inf" in str(err)
    assert_same_errors(rs, [{"a": 1.0}, {"a": 1e308}, {"a": -1e308}])
    assert rs.evaluate({"a": 8.9e307}, on=ON)["total"] == 1.78e308


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("vector", [False, True])
def test_python_rules_returning_non_finite_numbers(bad: float, vector: bool) -> None:
    # before: a Python rule's NaN or infinity was passed on
    def bonus(x: float) -> dict[str, float]:
        return {"bonus": bad if x > 10 else 2 * x}

    def bonus_columns(x: Any) -> tuple[Any, dict[str, Any]]:
        return np.ones_like(x, dtype=bool), {"bonus": np.where(x > 10, bad, 2 * x)}

    rs = RuleSet(
        id="py",
        inputs=[Input(name="x", type="number")],
        outputs=[Output(name="bonus", type="number", default=0.0)],
        python_rules=[
            PythonRule(
                id="bonus_rule",
                function=bonus,
                sets=("bonus",),
                vector_function=bonus_columns if vector else None,
            )
        ],
    )
    err = scalar_error(rs, {"x": 11.0})
    assert err.problems[0].path == "python_rules[0].sets.bonus"
    assert "python rule 'bonus_rule' returned for 'bonus' a value that must be a finite" in str(err)
    assert_same_errors(rs, [{"x": 1.0}, {"x": 11.0}, {"x": 2.0}, {"x": 20.0}])
    assert rs.evaluate_many({"x": [1.0, 2.0]}, on=ON)["bonus"].tolist() == [2.0, 4.0]


def test_a_vector_function_that_fails_falls_back_to_the_row_by_row_function() -> None:
    def bonus(x: float) -> dict[str, float]:
        return {"bonus": x + 1}

    def broken(x: Any) -> Any:
        raise RuntimeError("not vectorised after all")

    rs = RuleSet(
        id="py",
        inputs=[Input(name="x", type="number")],
        outputs=[Output(name="bonus", type="number", default=0.0)],
        python_rules=[PythonRule(id="b", function=bonus, sets=("bonus",), vector_function=broken)],
    )
    assert rs.evaluate_many({"x": [1.0, 2.0]}, on=ON)["bonus"].tolist() == [2.0, 3.0]


# --- types: 0 * USD is still USD ----------------------------------------------------------


MONEY = [
    Input(name="m", type="money", unit="KRW"),
    Input(name="u", type="money", unit="USD"),
    Input(name="r", type="number"),
]


@pytest.mark.parametrize(
    "expression",
    ["m + 0 * u", "m + u * 0", "m - 0 * u * r", "max(m, 0 * u)", "m + 0 / u * u * u"],
)
def test_multiplying_by_zero_keeps_the_currency(expression: str) -> None:
    # before: 0 * u had the type of the literal 0, which fits any dimension
    with pytest.raises(ExpressionError, match="an amount in KRW and an amount in USD"):
        RuleSet(id="t", inputs=MONEY, rules=[Rule(id="r", outputs={"x": expression})])


@pytest.mark.parametrize(
    ("expression", "unit"),
    [("m + 0 * m", "KRW"), ("max(0, m)", "KRW"), ("0 * u", "USD"), ("0 * r", ""), ("0 * 0", "")],
)
def test_zero_on_its_own_still_fits_any_dimension(expression: str, unit: str) -> None:
    rs = RuleSet(id="t", inputs=MONEY, rules=[Rule(id="r", outputs={"x": expression})])
    assert rs.unit_of("x") == unit


# --- bounds --------------------------------------------------------------------------------


BOUNDED = RuleSet(
    id="bounded",
    inputs=[
        Input(name="revenue", type="money", unit="KRW", min=0),
        Input(name="share", type="number", min=0, max=1, default=0.5),
    ],
    rules=[Rule(id="part", outputs={"part": "revenue * share"})],
)


@pytest.mark.parametrize(
    ("facts", "path", "message"),
    [
        (
            {"revenue": -1e9},
            "facts.revenue",
            "must be at least 0 KRW (the input's min), got -1,000,000,000 KRW",
        ),
        ({"revenue": 1.0, "share": 1.5}, "facts.share", "must be at most 1 (the input's max)"),
        ({"revenue": 1.0, "share": -0.0001}, "facts.share", "must be at least 0 (the input's"),
        ({"revenue": -1}, "facts.revenue", "must be at least 0 KRW"),
        ({"revenue": Decimal("-2")}, "facts.revenue", "got -2 KRW"),
    ],
)
def test_bounds_are_checked_in_both_paths(facts: dict[str, Any], path: str, message: str) -> None:
    err = scalar_error(BOUNDED, facts)
    assert isinstance(err, ValidationError)
    assert err.problems[0].path == path and message in err.problems[0].message
    rows = [{"revenue": 5.0, "share": 0.5}, facts, {"revenue": 0.0, "share": 1.0}]
    got = assert_same_errors(BOUNDED, [{**{"share": 0.5}, **r} for r in rows])
    assert got.problems[0].path == f"rows[1].{path}"


def test_bounds_are_inclusive_and_fast_columns_are_checked() -> None:
    assert BOUNDED.evaluate({"revenue": 0.0, "share": 1.0}, on=ON)["part"] == 0.0
    table = {"revenue": np.array([1.0, 0.0, -5.0, 2.0, -0.5]), "share": np.array([0.5] * 5)}
    got = population_error(BOUNDED, table)
    assert [p.path for p in got.problems] == ["rows[2].facts.revenue", "rows[4].facts.revenue"]
    assert "got -5 KRW" in got.problems[0].message


def test_negative_revenue_no_longer_gives_a_negative_credit() -> None:
    # Issue 9: negative revenue gave a credit rate of -2.6 and a credit of -2.6 billion KRW.
    # The RSTA rule set declares min: 0 on every money input (revenue, expenses, averages).
    rules = tax_credits()
    firm = {
        "firm_size": "sme",
        "rsta_field": "semiconductors",
        "nst_rd_expense": 1e9,
        "revenue": -1e9,
    }
    money = [i for i in rules.inputs if i.type.value == "money"]
    assert money and all(i.min == 0.0 and i.max is None for i in money)
    err = scalar_error(rules, firm)
    assert err.problems[0].path == "facts.revenue"
    assert "must be at least 0 KRW" in str(err)


def test_the_korea_rule_sets_declare_their_bounds() -> None:
    matching = rd_matching()
    money = [i for i in matching.inputs if i.type.value == "money"]
    assert money and all(i.min == 0.0 and i.max is None for i in money)
    project = {"firm_size": "sme", "total_rd_cost": -1e9, "government_contribution": 0.0}
    assert "facts.total_rd_cost: must be at least 0 KRW" in str(scalar_error(matching, project))
    warning = early_warning_rules()
    levels = [i for i in warning.inputs if i.name.startswith("level_pct_lead_")]
    assert levels and all((i.min, i.max) == (-100.0, 100.0) for i in levels)
    with pytest.raises(ValidationError, match="level_pct_lead_cn: must be at most 100"):
        warning.evaluate({"level_pct_lead_cn": 140.0}, on=ON)


def test_bounds_are_saved_and_read_back() -> None:
    for fmt in ("yaml", "json", "toml"):
        text = io.dumps(BOUNDED, fmt)
        assert "min" in text and "max" in text
        back = io.loads(text, fmt)
        assert back == BOUNDED
        assert [(i.min, i.max) for i in back.inputs] == [(0.0, None), (0.0, 1.0)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"type": "number", "min": 2, "max": 1}, "max: must be at least min (2.0), got 1.0"),
        ({"type": "bool", "min": 0}, "min: a bool has no bounds"),
        ({"type": "category", "categories": ["a"], "max": 1}, "max: a category has no bounds"),
        ({"type": "number", "min": math.nan}, "min: must be a finite number, got nan"),
        ({"type": "number", "max": math.inf}, "max: must be a finite number, got inf"),
        ({"type": "number", "min": 10**400}, "min: must be a finite number, got an integer"),
        ({"type": "number", "min": 0, "default": -1.0}, "default: must be at least min (0.0)"),
        ({"type": "number", "max": 0, "default": 1.0}, "default: must be at most max (0.0)"),
    ],
    ids=["order", "bool", "category", "nan", "inf", "huge", "below", "above"],
)
def test_bad_bounds_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as info:
        Input(name="x", **kwargs)
    assert message in str(info.value)


# --- masked arrays -------------------------------------------------------------------------


MASKED = RuleSet(
    id="masked",
    inputs=[
        Input(name="revenue", type="money", unit="KRW"),
        Input(name="bonus", type="money", unit="KRW", default=0.0),
        Input(name="size", type="category", categories=["sme", "large"], default="sme"),
        Input(name="flag", type="bool", default=False),
    ],
    outputs=[Output(name="total", type="money", unit="KRW", default=0.0)],
    rules=[
        Rule(id="total", condition="size == 'sme' or flag", outputs={"total": "revenue + bonus"})
    ],
)


def test_a_masked_value_is_a_missing_value() -> None:
    # before: the mask was ignored and the masked revenue (here 999) was used
    table = {
        "revenue": np.array([10.0, 20.0, 30.0]),
        "bonus": np.ma.MaskedArray([1.0, 999.0, 3.0], mask=[False, True, False]),
        "size": np.ma.MaskedArray(["large", "large", "x"], mask=[False, False, True]),
        "flag": np.ma.MaskedArray([True, True, True], mask=[False, True, False]),
    }
    result = MASKED.evaluate_many(table, on=ON)
    # row 1: bonus and flag missing -> defaults 0 and False; size large -> rule does not fire
    # row 2: size missing (its 'x' would be refused) -> default 'sme' -> 30 + 3
    assert result["total"].tolist() == [11.0, 0.0, 33.0]
    for row in range(3):
        facts = {
            k: v[row]
            for k, v in table.items()
            if not (isinstance(v, np.ma.MaskedArray) and v.mask[row])
        }
        assert MASKED.evaluate(facts, on=ON)["total"] == result["total"][row]


def test_a_masked_value_without_a_default_is_an_error_only_where_needed() -> None:
    table = {
        "revenue": np.ma.MaskedArray([10.0, 999.0, 30.0], mask=[False, True, False]),
        "size": ["sme", "large", "sme"],
    }
    assert MASKED.evaluate_many(table, on=ON)["total"].tolist() == [10.0, 0.0, 30.0]
    table["size"] = ["sme", "sme", "sme"]
    got = population_error(MASKED, table)
    assert [p.path for p in got.problems] == ["rows[1].rules[0].outputs.total"]
    assert "input 'revenue' is needed but was not given" in str(got)


def test_a_masked_fact_counts_as_not_given() -> None:
    decision = MASKED.evaluate({"revenue": 5.0, "bonus": np.ma.masked}, on=ON)
    assert decision["total"] == 5.0
    assert decision.explain().to_dict()["inputs"][1]["defaulted"] is True  # type: ignore[index]


# --- explanations are snapshots -------------------------------------------------------------


def test_editing_the_facts_after_evaluation_does_not_change_the_explanation() -> None:
    facts: dict[str, Any] = {"revenue": 5.0, "bonus": 1.0}
    decision = MASKED.evaluate(facts, on=ON)
    before = copy.deepcopy(decision.explain().to_dict())
    facts["bonus"] = 100.0
    facts["flag"] = True
    del facts["revenue"]
    assert decision.explain().to_dict() == before
    inputs = {i["name"]: i for i in before["inputs"]}  # type: ignore[union-attr]
    assert inputs["flag"].get("defaulted") is True
    assert "defaulted" not in inputs["bonus"]


# --- every failing row, first failing row first ---------------------------------------------

TWO_RULES = RuleSet(
    id="two_rules",
    inputs=[Input(name="x", type="number"), Input(name="y", type="number")],
    rules=[
        Rule(id="first", outputs={"a": "1 / x"}),
        Rule(id="second", outputs={"b": "1 / y"}),
    ],
)


def test_the_first_failing_row_is_reported_first() -> None:
    # Row 1 fails in the second rule, row 3 in the first: the kernel used to stop at the first
    # rule's first failing row (3); the scalar path, row by row, fails on row 1 first.
    rows = [{"x": 1.0, "y": 1.0}, {"x": 1.0, "y": 0.0}, {"x": 2.0, "y": 2.0}, {"x": 0.0, "y": 1.0}]
    got = assert_same_errors(TWO_RULES, rows)
    assert [p.path for p in got.problems] == [
        "rows[1].rules[1].outputs.b",
        "rows[3].rules[0].outputs.a",
    ]


def test_a_row_with_a_bad_value_and_a_later_row_failing_in_a_rule() -> None:
    table = {"x": [1.0, 0.0, 1.0], "y": [1.0, 1.0, "oops"]}
    got = population_error(TWO_RULES, table)
    assert [p.path for p in got.problems] == ["rows[1].rules[0].outputs.a", "rows[2].facts.y"]


def test_failing_rows_are_listed_up_to_the_limit() -> None:
    n = 1000
    x = np.ones(n)
    bad = list(range(3, n, 7))  # 143 failing rows
    x[bad] = 0.0
    got = population_error(TWO_RULES, {"x": x, "y": np.ones(n)})
    listed = [p for p in got.problems if p.path != "rows"]
    assert [p.path for p in listed] == [f"rows[{i}].rules[0].outputs.a" for i in bad][
        :MAX_REPORTED_ROWS
    ]
    assert MAX_REPORTED_ROWS == 20
    assert got.problems[-1].path == "rows"
    more = len(bad) - MAX_REPORTED_ROWS
    assert got.problems[-1].message.startswith(f"and {more} more failing rows ({len(bad)} in all")


# --- unknown columns -----------------------------------------------------------------------

CREDIT = RuleSet(
    id="credit",
    inputs=[
        Input(name="revenue", type="money", unit="KRW"),
        Input(name="nst_rd_expense", type="money", unit="KRW", default=0.0),
    ],
    rules=[Rule(id="credit", outputs={"credit": "0.1 * nst_rd_expense"})],
)


def test_a_misspelt_optional_column_is_an_error_naming_the_closest_input() -> None:
    # before: the misspelt column was ignored and every firm got a credit of 0
    table = {"revenue": [1e9, 2e9], "nst_rd_expens": [1e8, 2e8]}
    got = population_error(CREDIT, table)
    assert isinstance(got, SchemaError)
    assert got.problems[0].path == "table.nst_rd_expens"
    assert "unknown column (did you mean 'nst_rd_expense'?" in got.problems[0].message
    assert "extra='ignore'" in got.problems[0].message
    ignored = CREDIT.evaluate_many(table, on=ON, extra="ignore")
    assert ignored["credit"].tolist() == [0.0, 0.0]
    mapped = CREDIT.evaluate_many(table, on=ON, columns={"nst_rd_expens": "nst_rd_expense"})
    assert mapped["credit"].tolist() == [1e7, 2e7]


def test_every_unknown_column_is_listed() -> None:
    got = population_error(CREDIT, {"revenue": [1.0], "R&D": [2.0], "name": ["Acme"]})
    assert [p.path for p in got.problems] == ["table.R&D", "table.name"]


@pytest.mark.parametrize(
    ("columns", "extra", "message"),
    [
        ({"R&D": "nst_rd_expens"}, "error", "'nst_rd_expens' is not an input (did you mean"),
        ({"nst_rd_expense": "R&D"}, "error", "write {'R&D': 'nst_rd_expense'}"),
        ({"RD": "nst_rd_expense"}, "error", "columns.RD: the table has no column 'RD'"),
        ({"R&D": "revenue"}, "error", "input 'revenue' is given twice"),
        ({"R&D": "nst_rd_expense"}, "maybe", "extra: must be 'error' or 'ignore', got 'maybe'"),
        ([("R&D", "revenue")], "error", "columns: must be a mapping"),
    ],
)
def test_bad_column_mappings(columns: Any, extra: str, message: str) -> None:
    got = population_error(CREDIT, {"revenue": [1.0], "R&D": [2.0]}, columns=columns, extra=extra)
    assert isinstance(got, SchemaError)
    assert message in str(got)


def test_columns_of_pandas_and_arrow_tables_are_checked_too() -> None:
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    table = {"revenue": [1e9], "nst_rd_expens": [1e8]}
    for frame in (pd.DataFrame(table), pa.table(table)):
        got = population_error(CREDIT, frame)
        assert got.problems[0].path == "table.nst_rd_expens"
        assert CREDIT.evaluate_many(frame, on=ON, extra="ignore")["credit"].tolist() == [0.0]


def test_a_python_rule_is_not_called_after_a_value_went_wrong() -> None:
    # min() would turn the NaN of a*a - a*a into 5: the rule reading it must not be called
    # with that value, in either path (the careful path stops at the first rule)
    calls: list[float] = []

    def record(m: float) -> dict[str, float]:
        calls.append(m)
        return {"seen": m}

    rs = RuleSet(
        id="t",
        inputs=[Input(name="a", type="number")],
        outputs=[Output(name="seen", type="number", default=0.0)],
        rules=[Rule(id="hidden", outputs={"m": "min(a*a - a*a, 5)"})],
        python_rules=[PythonRule(id="record", function=record, sets=("seen",))],
    )
    assert rs.evaluate({"a": 2.0}, on=ON)["seen"] == 0.0 and calls == [0.0]
    calls.clear()
    err = scalar_error(rs, {"a": 1e200})
    assert err.problems[0].path == "rules[0].outputs.m"
    assert calls == []
    got = population_error(rs, {"a": [2.0, 1e200, 3.0]})
    assert [p.path for p in got.problems] == ["rows[1].rules[0].outputs.m"]
    assert calls == [0.0, 0.0]  # rows 0 and 2 only


def test_facts_that_are_no_mapping_are_described_not_printed() -> None:
    from stratpolicy.catalogs import korea

    shared = ["x"] * 1000
    facts = [shared] * 1000  # what a YAML alias makes: printed, a million items
    with pytest.raises(ValidationError) as info:
        korea.rd_matching().evaluate(facts, on=dt.date(2026, 1, 1))  # type: ignore[arg-type]
    (problem,) = info.value.problems
    assert (problem.path, problem.message) == (
        "facts",
        "must be a mapping, got a list of 1,000 items",
    )
