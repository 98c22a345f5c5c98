"""Rule sets: checked when built, evaluated on a date, explained, saved."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum

import pytest

from stratpolicy import io
from stratpolicy.errors import (
    CurrencyError,
    DataError,
    ExpressionError,
    RuleSetError,
    SchemaError,
    UnitError,
    ValidationError,
)
from stratpolicy.model import Citation, FirmSize
from stratpolicy.rules import (
    SCHEMA_VERSION,
    Combine,
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
CITE = Citation(act="Test Act", article="1")

SIZE = Input(name="size", type="category", categories=["sme", "mid", "large"])
SALES = Input(name="sales", type="money", unit="KRW")
SPEND = Input(name="spend", type="money", unit="KRW", default=0.0)
SHARE = Input(name="share", type="number")
FLAG = Input(name="flag", type="bool", default=False)
FIELD = Input(name="field", type="category", categories=["a", "b", "c"])

RATE = Parameter(
    name="rate",
    values=[
        ParameterValue(
            start=D(2021, 1, 1), by_key={"sme": 0.4, "mid": 0.3, "large": 0.3}, citation=CITE
        ),
        ParameterValue(
            start=D(2025, 1, 1),
            by_key={"sme": 0.5, "mid": 0.3, "large": 0.2},
            citation=CITE,
            note="new",
        ),
    ],
)
CAP = Parameter(name="cap", values=[ParameterValue(start=D(2021, 1, 1), value=0.1)])
FIELDS = Parameter(
    name="fields",
    values=[
        ParameterValue(start=D(2021, 1, 1), members=["a"]),
        ParameterValue(start=D(2023, 1, 1), members=["a", "b"]),
    ],
)
PARAMS = ParameterSet(parameters=[RATE, CAP, FIELDS])


def build(
    rules: list[Rule], inputs: list[Input] | None = None, outputs: list[Output] | None = None
) -> RuleSet:
    return RuleSet(
        id="t",
        inputs=inputs if inputs is not None else [SIZE, SALES, SPEND, SHARE, FLAG, FIELD],
        parameters=PARAMS,
        rules=rules,
        outputs=outputs or [],
    )


# --- build-time checks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("spend + share", "cannot add an amount in KRW and a ratio"),
        ("spend + 1", "cannot add an amount in KRW and a ratio"),
        ("spend > 100", "cannot compare an amount in KRW and a ratio"),
        ("size == 'smee'", "'smee' is not one of the allowed categories"),
        ("size == 1", "cannot compare a category"),
        ("size < 'sme'", "has no order"),
        ("size in ('sme', 'huge')", "'huge' not among the allowed categories"),
        ("flag + 1", "must be a number"),
        ("spend and flag", "must be true/false"),
        ("not spend", "must be true/false"),
        ("rate", "is a table keyed by category"),
        ("fields", "is a set"),
        ("rate[field]", "has keys that are not categories of 'field'"),
        ("rate['huge']", "has no key 'huge'"),
        ("rate[spend]", "must be a category"),
        ("field in rate", "not a set"),
        ("size in fields", "holds values that are not allowed categories"),
        ("spned * 2", "unknown name 'spned' (did you mean 'spend'?)"),
        ("min(spend, share)", "cannot take the min of"),
        ("spend if flag else share", "cannot choose between"),
        ("spend if share else 0", "must be true/false"),
        ("'a' if flag else 1", "the two branches differ"),
        ("spend / 0", "division by zero"),
        ("min(spend)", "takes 2 or more arguments"),
        ("abs(spend, spend)", "takes 1 arguments"),
    ],
)
def test_type_errors_are_found_when_built(expression: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        build([Rule(id="the_rule", outputs={"out": expression})])
    text = str(info.value)
    assert message in text
    assert "the_rule" in text
    assert repr(" ".join(expression.split())) in text


def test_well_typed_dimensions() -> None:
    rs = build(
        [
            Rule(
                id="r",
                outputs={
                    "ratio": "spend / sales",
                    "money": "spend * rate[size] + max(0, spend - sales)",
                },
            ),
            Rule(id="sq", outputs={"area": "spend ** 2 / sales"}),
        ]
    )
    d = rs.evaluate(
        {"size": "sme", "sales": 10.0, "spend": 4.0, "share": 0.0, "field": "a"}, on=D(2024, 1, 1)
    )
    assert d["ratio"] == 0.4
    assert d["money"] == pytest.approx(4.0 * 0.4)
    assert d["area"] == pytest.approx(1.6)


def test_declared_output_type_is_checked() -> None:
    with pytest.raises(
        ExpressionError, match="declared as an amount in KRW, but the expression is a ratio"
    ):
        build(
            [Rule(id="r", outputs={"x": "share * 2"})],
            outputs=[Output(name="x", type="money", unit="KRW")],
        )
    with pytest.raises(ExpressionError, match="declared as true/false"):
        build(
            [Rule(id="r", outputs={"x": "share"})],
            outputs=[Output(name="x", type="bool", default=False)],
        )
    with pytest.raises(ExpressionError, match="declare 'x' in outputs"):
        build([Rule(id="r", outputs={"x": "flag"})])


def test_cycles_are_named() -> None:
    with pytest.raises(RuleSetError) as info:
        build(
            [
                Rule(id="first", outputs={"a": "b + 1"}),
                Rule(id="second", outputs={"b": "c + 1"}),
                Rule(id="third", outputs={"c": "a + 1"}),
            ]
        )
    text = str(info.value)
    assert "cycle" in text
    assert "'first' sets 'a', read by 'third'" in text
    assert "'third' sets 'c', read by 'second'" in text


def test_self_reference_is_a_cycle() -> None:
    with pytest.raises(RuleSetError, match="cycle"):
        build([Rule(id="loop", outputs={"a": "a + 1"})])


def test_two_rules_one_output_need_a_policy() -> None:
    with pytest.raises(RuleSetError, match="declare how to combine them"):
        build([Rule(id="r1", outputs={"x": "share"}), Rule(id="r2", outputs={"x": "share * 2"})])


def test_two_rules_in_disjoint_periods_need_no_policy() -> None:
    rs = build(
        [
            Rule(id="old", outputs={"x": "share"}, valid_to=D(2022, 12, 31)),
            Rule(id="new", outputs={"x": "share * 2"}, valid_from=D(2023, 1, 1)),
        ]
    )
    facts = {"size": "sme", "sales": 1.0, "share": 3.0, "field": "a"}
    assert rs.evaluate(facts, on=D(2022, 6, 1))["x"] == 3.0
    assert rs.evaluate(facts, on=D(2023, 6, 1))["x"] == 6.0


def test_names_must_not_clash() -> None:
    with pytest.raises(RuleSetError, match="declared twice"):
        RuleSet(
            id="t",
            inputs=[Input(name="rate", type="number")],
            parameters=PARAMS,
            rules=[Rule(id="r", outputs={"x": "1"})],
        )
    with pytest.raises(RuleSetError, match="a rule cannot set it"):
        build([Rule(id="r", outputs={"share": "1"})])
    with pytest.raises(RuleSetError, match="used twice"):
        build([Rule(id="r", outputs={"x": "1"}), Rule(id="r", outputs={"y": "1"})])


def test_bad_declarations() -> None:
    with pytest.raises(DataError, match="currency code"):
        Input(name="x", type="money", unit="won")
    with pytest.raises(DataError, match="allowed values"):
        Input(name="x", type="category")
    with pytest.raises(DataError, match="reserved"):
        Input(name="min", type="number")
    with pytest.raises(DataError, match="may not start with '_'"):
        Input(name="_x", type="number")
    with pytest.raises(DataError, match="needs a default"):
        Output(name="ok", type="bool")
    with pytest.raises(DataError, match="combines numbers only"):
        Output(name="ok", type="bool", combine="sum", default=False)
    with pytest.raises(DataError, match="one of the categories"):
        Input(name="x", type="category", categories=["a"], default="b")


def test_all_problems_reported_together() -> None:
    with pytest.raises(ExpressionError) as info:
        build([Rule(id="r1", outputs={"x": "nope"}), Rule(id="r2", outputs={"y": "spend + share"})])
    assert len(info.value.problems) == 2


# --- evaluation ----------------------------------------------------------------------------------


FACTS = {"size": "sme", "sales": 100.0, "spend": 10.0, "share": 0.5, "field": "a"}


def test_rules_are_ordered_by_data_dependency() -> None:
    rs = build(
        [
            Rule(id="total", outputs={"total": "base + extra"}),
            Rule(id="extra", outputs={"extra": "base * cap"}),
            Rule(id="base", outputs={"base": "spend * rate[size]"}),
        ]
    )
    assert rs.evaluation_order == ("base", "extra", "total")
    d = rs.evaluate(FACTS, on=D(2024, 1, 1))
    assert d["total"] == pytest.approx(4.0 + 0.4)


def test_parameters_resolve_on_the_date() -> None:
    rs = build([Rule(id="r", outputs={"x": "spend * rate[size]"})])
    assert rs.evaluate(FACTS, on=D(2024, 12, 31))["x"] == 4.0
    assert rs.evaluate(FACTS, on=D(2025, 1, 1))["x"] == 5.0


def test_float64_not_float32() -> None:
    rs = build([Rule(id="r", outputs={"x": "rate[size]"})])
    assert rs.evaluate(FACTS, on=D(2024, 1, 1))["x"] == 0.4
    assert repr(rs.evaluate(FACTS, on=D(2024, 1, 1))["x"]) == "0.4"


def test_rule_outside_its_validity_does_not_fire() -> None:
    rs = build(
        [Rule(id="r", outputs={"x": "spend"}, valid_from=D(2023, 1, 1), valid_to=D(2023, 12, 31))],
        outputs=[Output(name="x", type="money", unit="KRW", default=0.0)],
    )
    assert rs.evaluate(FACTS, on=D(2022, 12, 31))["x"] == 0.0
    d = rs.evaluate(FACTS, on=D(2023, 1, 1))
    assert d["x"] == 10.0 and d.fired == ("r",)
    late = rs.evaluate(FACTS, on=D(2024, 1, 1))
    assert late.not_in_force == ("r",) and late.fired == ()


def test_parameter_not_in_force_for_a_rule_in_force_is_an_error() -> None:
    rs = build([Rule(id="r", outputs={"x": "spend * rate[size]"})])
    with pytest.raises(ValidationError, match="reads parameter 'rate', which has no value then"):
        rs.evaluate(FACTS, on=D(2020, 1, 1))


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("first", 1.0), ("priority", 3.0), ("max", 3.0), ("min", 1.0), ("sum", 6.0)],
)
def test_combination_policies(policy: str, expected: float) -> None:
    rs = build(
        [
            Rule(id="one", outputs={"x": "1"}),
            Rule(id="two", outputs={"x": "2"}, condition="flag"),
            Rule(id="three", outputs={"x": "3"}, priority=5),
        ],
        outputs=[Output(name="x", type="number", combine=policy)],
    )
    assert rs.evaluate({**FACTS, "flag": True}, on=D(2024, 1, 1))["x"] == expected
    without = {"first": 1.0, "priority": 3.0, "max": 3.0, "min": 1.0, "sum": 4.0}[policy]
    assert rs.evaluate(FACTS, on=D(2024, 1, 1))["x"] == without


def test_unset_output_and_defaults() -> None:
    rs = build(
        [
            Rule(id="r", condition="flag", outputs={"x": "spend"}),
            Rule(id="s", outputs={"y": "share"}, condition="flag"),
        ],
        outputs=[Output(name="y", type="number", default=-1.0)],
    )
    d = rs.evaluate(FACTS, on=D(2024, 1, 1))
    assert "x" not in d and d.get("x") is None
    with pytest.raises(KeyError, match="not set"):
        d["x"]
    assert d["y"] == -1.0
    assert d.outputs == {"y": -1.0}


def test_reading_an_unset_output_is_an_error() -> None:
    rs = build(
        [
            Rule(id="r", condition="flag", outputs={"x": "spend"}),
            Rule(id="s", outputs={"y": "x * 2"}),
        ]
    )
    with pytest.raises(ValidationError, match="output 'x' is needed but no rule set it"):
        rs.evaluate(FACTS, on=D(2024, 1, 1))
    assert rs.evaluate({**FACTS, "flag": True}, on=D(2024, 1, 1))["y"] == 20.0


def test_missing_input_is_an_error_only_when_needed() -> None:
    rs = build([Rule(id="r", condition="spend > 0", outputs={"x": "spend / sales"})])
    assert (
        rs.evaluate({"size": "sme", "share": 1.0, "field": "a"}, on=D(2024, 1, 1)).get("x") is None
    )
    with pytest.raises(ValidationError, match="input 'sales' is needed but was not given"):
        rs.evaluate({"size": "sme", "share": 1.0, "field": "a", "spend": 5.0}, on=D(2024, 1, 1))


def test_missing_input_passed_on_unchanged_is_an_error() -> None:
    rs = build([Rule(id="r", outputs={"x": "sales if flag else spend"})])
    with pytest.raises(ValidationError, match="input 'sales' is needed"):
        rs.evaluate({"size": "sme", "share": 1.0, "field": "a", "flag": True}, on=D(2024, 1, 1))


def test_division_by_zero_names_the_rule() -> None:
    rs = build([Rule(id="ratio_rule", outputs={"x": "spend / sales"})])
    with pytest.raises(ValidationError) as info:
        rs.evaluate({**FACTS, "sales": 0.0}, on=D(2024, 1, 1))
    assert "ratio_rule" in str(info.value) and "division by zero" in str(info.value)
    assert info.value.problems[0].path == "rules[0].outputs.x"


def test_missing_key_on_the_date_is_an_error() -> None:
    rs = RuleSet(
        id="t",
        inputs=[SIZE],
        parameters=ParameterSet(
            parameters=[
                Parameter(
                    name="r", values=[ParameterValue(start=D(2021, 1, 1), by_key={"sme": 0.1})]
                )
            ]
        ),
        rules=[Rule(id="x", outputs={"y": "r[size]"})],
    )
    assert rs.evaluate({"size": "sme"}, on=D(2022, 1, 1))["y"] == 0.1
    with pytest.raises(
        ValidationError, match="parameter 'r' has no value for 'large' on 2022-01-01"
    ):
        rs.evaluate({"size": "large"}, on=D(2022, 1, 1))


class Size(StrEnum):
    SME = "sme"
    LARGE = "large"


@pytest.mark.parametrize(
    ("facts", "error", "message"),
    [
        ({**FACTS, "size": "huge"}, ValidationError, "'huge' is not one of"),
        ({**FACTS, "size": 3}, ValidationError, "must be one of"),
        ({**FACTS, "size": ["sme"]}, ValidationError, "must be one of"),
        ({**FACTS, "sales": "100"}, ValidationError, "must be a number in KRW"),
        ({**FACTS, "sales": True}, ValidationError, "must be a number"),
        ({**FACTS, "sales": float("nan")}, ValidationError, "finite"),
        ({**FACTS, "sales": float("inf")}, ValidationError, "finite"),
        ({**FACTS, "flag": 1}, ValidationError, "must be true or false"),
        ({**FACTS, "flag": "yes"}, ValidationError, "must be true or false"),
        (
            {k: v for k, v in FACTS.items() if k != "spend"} | {"spnd": 1.0},
            SchemaError,
            r"facts.spnd: unknown input \(did you mean 'spend'\? the inputs are: size, sales",
        ),
    ],
)
def test_bad_facts(facts: dict[str, object], error: type[Exception], message: str) -> None:
    rs = build(
        [
            Rule(
                id="r",
                outputs={"x": "spend * rate[size] + sales * 0 + share * 0 * spend", "y": "flag"},
            )
        ],
        outputs=[Output(name="y", type="bool", default=False)],
    )
    with pytest.raises(error, match=message):
        rs.evaluate(facts, on=D(2024, 1, 1))


def test_facts_may_be_ints_decimals_numpy_and_enums() -> None:
    from decimal import Decimal

    import numpy as np

    rs = build([Rule(id="r", outputs={"x": "spend * rate[size] + sales"})])
    d = rs.evaluate(
        {**FACTS, "size": Size.SME, "spend": 10, "sales": Decimal("1.5")}, on=D(2024, 1, 1)
    )
    assert d["x"] == 5.5
    assert d.inputs["size"] == "sme" and type(d.inputs["spend"]) is float
    d = rs.evaluate(
        {**FACTS, "size": FirmSize.SME, "spend": np.float32(10), "sales": np.int64(1)},
        on=D(2024, 1, 1),
    )
    assert d["x"] == 5.0
    with pytest.raises(ValidationError):
        rs.evaluate({**FACTS, "size": "sme", "spend": np.bool_(True)}, on=D(2024, 1, 1))


def test_strict_evaluation_refuses_unknown_facts() -> None:
    # The docstring promises that strict evaluation refuses facts that are not inputs; it
    # used to check only when an input was missing, so a misspelt optional fact next to a
    # full set of inputs went unnoticed.
    rs = build([Rule(id="r", outputs={"x": "spend"})])
    full = {**FACTS, "flag": False}
    assert rs.evaluate(full, on=D(2024, 1, 1))["x"] == 10.0
    with pytest.raises(SchemaError) as info:
        rs.evaluate({**full, "spned": 5.0}, on=D(2024, 1, 1))
    assert [p.path for p in info.value.problems] == ["facts.spned"]
    assert "did you mean 'spend'?" in str(info.value)
    partial = {k: v for k, v in full.items() if k != "flag"}
    with pytest.raises(SchemaError, match=r"facts\.name: unknown input"):
        rs.evaluate({**partial, "name": "Acme"}, on=D(2024, 1, 1))
    assert rs.evaluate({**full, "name": "Acme"}, on=D(2024, 1, 1), strict=False)["x"] == 10.0
    # keys that are not text are named too, without a traceback
    with pytest.raises(SchemaError, match=r"facts\.1: unknown input"):
        rs.evaluate({**full, 1: 2}, on=D(2024, 1, 1))  # type: ignore[dict-item]


def test_quantities_are_converted_to_the_declared_unit() -> None:
    from stratpolicy.units import money, quantity

    rs = build([Rule(id="r", outputs={"x": "spend + sales * share"})])
    d = rs.evaluate(
        {**FACTS, "spend": money(1.5, "billion KRW"), "share": quantity(20, "percent")},
        on=D(2024, 1, 1),
    )
    assert d["x"] == pytest.approx(1.5e9 + 100.0 * 0.2)
    with pytest.raises(CurrencyError, match="in USD, but the rule set expects KRW"):
        rs.evaluate({**FACTS, "spend": money(5, "USD")}, on=D(2024, 1, 1))
    with pytest.raises(UnitError):
        rs.evaluate({**FACTS, "spend": quantity(5, "GW")}, on=D(2024, 1, 1))
    with pytest.raises(UnitError):
        rs.evaluate({**FACTS, "share": quantity(5, "GW")}, on=D(2024, 1, 1))


def test_dates_may_be_given_as_datetimes_or_iso_text() -> None:
    rs = build([Rule(id="r", outputs={"x": "rate[size]"})])
    assert rs.evaluate(FACTS, on=dt.datetime(2025, 3, 1, 12, 0))["x"] == 0.5  # type: ignore[arg-type]
    assert rs.evaluate(FACTS, on="2024-03-01")["x"] == 0.4  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="must be a date"):
        rs.evaluate(FACTS, on="someday")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="must be a date"):
        rs.evaluate(FACTS, on=[2024])  # type: ignore[arg-type]


def test_facts_must_be_a_mapping() -> None:
    rs = build([Rule(id="r", outputs={"x": "spend"})])
    with pytest.raises(ValidationError, match="must be a mapping"):
        rs.evaluate([1, 2], on=D(2024, 1, 1))  # type: ignore[arg-type]


def test_functions() -> None:
    rs = build(
        [
            Rule(
                id="r",
                outputs={
                    "lo": "min(share, 0.3, 2)",
                    "hi": "max(share, 0.3)",
                    "a": "abs(-share)",
                    "r0": "round(share + 2)",
                    "r2": "round(2.675 * share / share, 2)",
                    "rneg": "round(1234.0 * share / share, -2)",
                    "c": "clip(share, 0, 0.25)",
                    "p": "share ** 3",
                    "one": "share ** 0",
                },
            )
        ]
    )
    d = rs.evaluate(FACTS, on=D(2024, 1, 1))
    assert (d["lo"], d["hi"], d["a"], d["r0"], d["c"], d["one"]) == (0.3, 0.5, 0.5, 2.0, 0.25, 1.0)
    assert d["r2"] == 2.68  # like numpy.round: scale, round half to even, unscale
    assert d["rneg"] == 1200.0
    assert d["p"] == 0.125


def test_membership_and_sets() -> None:
    rs = build(
        [Rule(id="r", condition="field in fields and size not in ('large',)", outputs={"x": "1"})],
    )
    assert rs.evaluate(FACTS, on=D(2022, 1, 1)).fired == ("r",)
    assert rs.evaluate({**FACTS, "field": "b"}, on=D(2022, 1, 1)).fired == ()
    assert rs.evaluate({**FACTS, "field": "b"}, on=D(2023, 1, 1)).fired == ("r",)
    assert rs.evaluate({**FACTS, "size": "large"}, on=D(2023, 1, 1)).not_fired == ("r",)


# --- explanations ------------------------------------------------------------------------------


def test_explanation_text_and_record() -> None:
    rs = build(
        [
            Rule(
                id="credit",
                description="The credit.",
                condition="field in fields and spend > 0",
                outputs={"credit": "spend * rate[size]"},
                citation=CITE,
            ),
            Rule(id="later", outputs={"y": "1"}, valid_from=D(2030, 1, 1)),
        ]
    )
    d = rs.evaluate(FACTS, on=D(2025, 6, 1))
    e = d.explain()
    text = str(e)
    assert "credit = 5" in text
    assert "Test Act, Art. 1" in text
    assert "parameter rate['sme'] = 0.5 (in force from 2025-01-01" in text
    assert "note: new" in text
    assert "[not in force] later" in text
    record = d.to_dict()
    assert record["schema_version"] == SCHEMA_VERSION
    json.dumps(record)
    rule = next(r for r in record["rules"] if r["rule"] == "credit")  # type: ignore[union-attr]
    assert rule["condition_value"] is True
    assert {"name": "spend", "kind": "input", "value": 10.0, "unit": "KRW"} in rule["used"]
    used = {u["name"]: u for u in rule["used"]}
    assert used["rate"]["effective_from"] == "2025-01-01" and used["rate"]["key"] == "sme"
    assert used["rate"]["citation"]["label"] == "Test Act, Art. 1"
    inputs = {i["name"]: i for i in record["inputs"]}  # type: ignore[union-attr]
    assert inputs["flag"]["defaulted"] is True
    assert "defaulted" not in inputs["spend"]


def test_explanation_shows_clauses_not_evaluated() -> None:
    rs = build([Rule(id="r", condition="flag and spend / sales > 0", outputs={"x": "1"})])
    e = rs.evaluate({**FACTS, "sales": 0.0}, on=D(2024, 1, 1)).explain()
    assert e.rule("r").clauses == (("flag", False), ("spend / sales > 0", None))


def test_decision_repr_and_mapping() -> None:
    rs = build([Rule(id="r", outputs={"x": "spend"})])
    d = rs.evaluate(FACTS, on=D(2024, 1, 1))
    assert list(d) == ["x"] and len(d) == 1 and "x" in d
    assert "x=10" in repr(d)
    assert d.rule_set is rs and d.on == D(2024, 1, 1)
    with pytest.raises(TypeError):
        d[0]  # type: ignore[index]


# --- Python rules --------------------------------------------------------------------------------


def bonus(spend: float, rate: object, size: str) -> dict[str, float] | None:
    return {"bonus": spend * rate[size]} if spend > 5 else None  # type: ignore[index]


def test_python_rule() -> None:
    rs = RuleSet(
        id="py",
        inputs=[SIZE, SPEND],
        parameters=PARAMS,
        outputs=[Output(name="bonus", type="money", unit="KRW", default=0.0)],
        python_rules=[PythonRule(id="bonus", function=bonus, sets=("bonus",))],
        rules=[Rule(id="double", outputs={"double": "bonus * 2"})],
    )
    d = rs.evaluate({"size": "sme", "spend": 10.0}, on=D(2024, 1, 1))
    assert d["bonus"] == 4.0 and d["double"] == 8.0
    assert rs.evaluate({"size": "sme", "spend": 1.0}, on=D(2024, 1, 1))["bonus"] == 0.0
    assert rs.evaluation_order == ("bonus", "double")
    assert "python rule" not in str(d.explain())  # explained like any rule
    with pytest.raises(Exception):  # noqa: B017 - Python rules cannot be saved
        io.dumps(rs, "yaml")


def test_python_rule_errors() -> None:
    def broken(spend: float) -> dict[str, object]:
        return {"bonus": "lots"}

    rs = RuleSet(
        id="py",
        inputs=[SPEND],
        outputs=[Output(name="bonus", type="number", default=0.0)],
        python_rules=[PythonRule(id="broken", function=broken, sets=("bonus",))],
    )
    with pytest.raises(ValidationError, match="must be a number"):
        rs.evaluate({"spend": 1.0}, on=D(2024, 1, 1))
    with pytest.raises(RuleSetError, match="not declared in outputs"):
        RuleSet(
            id="py",
            inputs=[SPEND],
            python_rules=[PythonRule(id="b", function=broken, sets=("nope",))],
        )


# --- saving ------------------------------------------------------------------------------------


def test_rule_set_round_trips_through_yaml_json_toml() -> None:
    rs = build(
        [
            Rule(
                id="r",
                condition="field in fields",
                outputs={"x": "spend * rate[size]"},
                citation=CITE,
                valid_from=D(2021, 1, 1),
                priority=2,
            ),
            Rule(id="s", outputs={"x": "spend"}, condition="flag"),
        ],
        outputs=[Output(name="x", type="money", unit="KRW", combine=Combine.PRIORITY, default=0.0)],
    )
    for fmt in ("yaml", "json", "toml"):
        back = io.loads(io.dumps(rs, fmt), fmt)
        assert back == rs
        assert (
            back.evaluate(FACTS, on=D(2024, 1, 1))["x"] == rs.evaluate(FACTS, on=D(2024, 1, 1))["x"]
        )
    assert io.loads(io.dumps(PARAMS, "yaml"), "yaml") == PARAMS


def test_loading_a_bad_rule_set_reports_the_expression() -> None:
    text = """
schema_version: 1
document: rule_set
id: bad
inputs:
  - {name: x, type: number}
rules:
  - id: r
    outputs: {y: "x.__class__"}
"""
    with pytest.raises(ExpressionError, match="attribute access"):
        io.loads(text, "yaml")


def test_reform_changes_a_rate_from_a_date() -> None:
    rs = build([Rule(id="r", outputs={"x": "spend * cap"})])
    reformed = rs.with_parameters(
        rs.parameters.with_value("cap", ParameterValue(start=D(2026, 1, 1), value=0.2))
    )
    assert rs.evaluate(FACTS, on=D(2026, 6, 1))["x"] == 1.0
    assert reformed.evaluate(FACTS, on=D(2026, 6, 1))["x"] == 2.0
    assert reformed.evaluate(FACTS, on=D(2025, 6, 1))["x"] == 1.0
