"""A reform that changes parameter values reuses the compiled code of the rule set."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratpolicy.catalogs.korea import tax_credits
from stratpolicy.errors import DataError, EvaluationError, ExpressionError
from stratpolicy.rules import (
    Input,
    Parameter,
    ParameterSet,
    ParameterValue,
    PythonRule,
    Rule,
    RuleSet,
    _plan,
)

D = dt.date
ON = D(2025, 6, 30)
TAX = tax_credits()
FIRM = {
    "firm_size": "sme",
    "rsta_field": "semiconductors",
    "nst_rd_expense": 1e9,
    "revenue": 1e10,
    "prior_year_general_rd_expense": 0.0,
    "prior_4yr_avg_general_rd_expense": 0.0,
}


def fresh(rs: RuleSet) -> RuleSet:
    """The same rule set built from scratch: no plan of this process is reused."""
    kept = dict(_plan._structures)
    _plan._structures.clear()
    try:
        return attrs.evolve(rs)
    finally:
        _plan._structures.clear()
        _plan._structures.update(kept)


def code(rs: RuleSet, on: dt.date) -> Any:
    return rs._engine.context(on).fn.__code__


def nst_rate(rs: RuleSet, sme: float) -> RuleSet:
    """The SME rate of RSTA Art. 10(1)2 (national strategic technology R&D) set to ``sme``."""
    param = rs.parameters["nst_rd_base_rate"]
    last = param.values[-1]
    assert last.by_key is not None
    entry = attrs.evolve(last, by_key={**last.by_key, "sme": sme})
    return rs.with_parameters(rs.parameters.replace(param.with_value(entry)))


def test_a_reform_of_values_runs_the_same_compiled_code() -> None:
    reformed = nst_rate(TAX, 0.45)
    assert reformed._engine.plan.shared is TAX._engine.plan.shared
    assert code(reformed, ON) is code(TAX, ON)
    base = TAX.evaluate(FIRM, on=ON)
    new = reformed.evaluate(FIRM, on=ON)
    # 1e9 of NST R&D at the SME base rate plus min(10 %, 3 x 1e9 / 1e10 = 30 %) = 10 %
    assert base["nst_rd_credit"] == pytest.approx(1e9 * (0.40 + 0.10))
    assert new["nst_rd_credit"] == pytest.approx(1e9 * (0.45 + 0.10))
    population = {k: [v, v] for k, v in FIRM.items()}
    a = TAX.evaluate_many(population, on=ON)
    b = reformed.evaluate_many(population, on=ON)
    assert b["nst_rd_credit"].tolist() == [new["nst_rd_credit"]] * 2
    assert a["nst_rd_credit"].tolist() == [base["nst_rd_credit"]] * 2
    base_kernel = TAX._engine.regime(ON).vector.fn.__code__
    assert reformed._engine.regime(ON).vector.fn.__code__ is base_kernel


def test_equal_declarations_share_the_plan() -> None:
    rules = [Rule(id="r", condition="x > 0", outputs={"y": "x * 2"})]
    a = RuleSet(id="a", inputs=[Input(name="x", type="number")], rules=rules)
    b = RuleSet(
        id="a",
        inputs=[Input(name="x", type="number")],
        rules=[Rule(id="r", condition="x > 0", outputs={"y": "x * 2"})],
    )
    assert a._engine.plan.shared is b._engine.plan.shared
    c = RuleSet(
        id="a",
        inputs=[Input(name="x", type="number")],
        rules=[Rule(id="r", condition="x > 0", outputs={"y": "x * 3"})],
    )
    assert c._engine.plan.shared is not a._engine.plan.shared
    assert c.evaluate({"x": 1.0}, on=ON)["y"] == 3.0 and a.evaluate({"x": 1.0}, on=ON)["y"] == 2.0


def test_python_rules_share_only_with_the_same_function() -> None:
    def double(x: float) -> dict[str, float]:
        return {"y": 2 * x}

    def triple(x: float) -> dict[str, float]:
        return {"y": 3 * x}

    def build(fn: Any) -> RuleSet:
        from stratpolicy.rules import Output

        return RuleSet(
            id="py",
            inputs=[Input(name="x", type="number")],
            outputs=[Output(name="y", type="number", default=0.0)],
            python_rules=[PythonRule(id="p", function=fn, sets=("y",))],
        )

    a, b = build(double), build(triple)
    assert a._engine.plan.shared is not b._engine.plan.shared
    assert (a.evaluate({"x": 2.0}, on=ON)["y"], b.evaluate({"x": 2.0}, on=ON)["y"]) == (4.0, 6.0)
    assert build(double)._engine.plan.shared is a._engine.plan.shared


FIELDS = Parameter(name="fields", values=[ParameterValue(start=D(2020, 1, 1), members=["a"])])
RATES = Parameter(
    name="rate", values=[ParameterValue(start=D(2020, 1, 1), by_key={"sme": 0.4, "large": 0.2})]
)
KEYED = RuleSet(
    id="keyed",
    inputs=[
        Input(name="size", type="category", categories=["sme", "large"]),
        Input(name="field", type="category", categories=["a", "b", "c"]),
        Input(name="x", type="number"),
    ],
    parameters=ParameterSet(parameters=[FIELDS, RATES]),
    rules=[
        Rule(id="r", condition="field in fields", outputs={"y": "x * rate[size]"}),
        Rule(id="s", outputs={"z": "rate['large']"}),
    ],
)


def test_keys_and_members_are_values_while_they_type_check() -> None:
    facts = {"size": "sme", "field": "b", "x": 10.0}
    assert "y" not in KEYED.evaluate(facts, on=ON)
    wider = KEYED.with_parameters(
        KEYED.parameters.replace(attrs.evolve(FIELDS, values=[ParameterValue(members=["a", "b"])]))
    )
    assert wider._engine.plan.shared is KEYED._engine.plan.shared
    assert wider.evaluate(facts, on=ON)["y"] == 4.0
    assert wider.evaluate_many({k: [v] for k, v in facts.items()}, on=ON)["y"].tolist() == [4.0]
    # a member that is no category of 'field', a key that is no firm size, a key that a
    # rule reads gone: the type checks of a fresh build, with their messages
    for param, message in [
        (
            attrs.evolve(FIELDS, values=[ParameterValue(members=["a", "quantum"])]),
            "holds values that are not allowed categories of the left side: 'quantum'",
        ),
        (
            attrs.evolve(
                RATES, values=[ParameterValue(by_key={"sme": 0.4, "large": 0.2, "mid": 0.3})]
            ),
            "has keys that are not categories of 'size': mid",
        ),
        (
            attrs.evolve(RATES, values=[ParameterValue(by_key={"sme": 0.4})]),
            "'rate' has no key 'large'",
        ),
    ]:
        with pytest.raises(ExpressionError, match=message):
            KEYED.with_parameters(KEYED.parameters.replace(param))


def test_a_value_that_may_now_overflow_is_checked() -> None:
    # x * cap is finite for x up to 1e300 and cap 0.5; with cap 1e10 it may overflow, so
    # the reformed rule set checks it (and compiles code with the check)
    cap = Parameter(name="cap", values=[ParameterValue(start=D(2020, 1, 1), value=0.5)])
    rs = RuleSet(
        id="cap",
        inputs=[Input(name="x", type="number", min=0, max=1e300)],
        parameters=ParameterSet(parameters=[cap]),
        rules=[Rule(id="r", outputs={"y": "x * cap"})],
    )
    assert rs.evaluate({"x": 1e300}, on=ON)["y"] == 5e299
    big = rs.with_parameters(
        ParameterSet(parameters=[attrs.evolve(cap, values=[ParameterValue(value=1e10)])])
    )
    assert big._engine.plan.checked != rs._engine.plan.checked
    with pytest.raises(EvaluationError, match="overflows the float range"):
        big.evaluate({"x": 1e300}, on=ON)
    with pytest.raises(EvaluationError, match=r"rows\[1\]"):
        big.evaluate_many({"x": [1.0, 1e300]}, on=ON)
    # within the binade of 0.5 the analysis, and the code, are the very same
    near = rs.with_parameters(
        ParameterSet(parameters=[attrs.evolve(cap, values=[ParameterValue(value=0.375)])])
    )
    assert near._engine.plan.checked == rs._engine.plan.checked
    assert code(near, ON) is code(rs, ON)


RATE_NAMES = [p.name for p in TAX.parameters if p.kind in ("number", "keyed")]


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(RATE_NAMES),
        st.floats(min_value=0.0, max_value=3.0),
        min_size=1,
        max_size=5,
    ),
    st.dates(min_value=D(2021, 1, 1), max_value=D(2030, 12, 31)),
)
def test_reformed_values_evaluate_as_a_fresh_build(scales: dict[str, float], on: dt.date) -> None:
    params = []
    for p in TAX.parameters:
        factor = scales.get(p.name)
        if factor is None:
            params.append(p)
            continue
        values = [
            attrs.evolve(v, value=v.value * factor)
            if v.value is not None
            else attrs.evolve(v, by_key={k: x * factor for k, x in (v.by_key or {}).items()})
            for v in p.values
        ]
        params.append(attrs.evolve(p, values=values))
    reformed = TAX.with_parameters(ParameterSet(parameters=params))
    built = fresh(reformed)
    assert built._engine.plan.shared is not reformed._engine.plan.shared
    facts = {
        **FIRM,
        "general_rd_expense": 2e8,
        "general_investment": 3e9,
        "nst_facility_investment": 5e9,
        "prior_3yr_avg_investment": 1e9,
        "prior_3yr_avg_sales": 4e11,
    }
    for size in ("sme", "mid_sized", "large", "sme_graduated"):
        one = {**facts, "firm_size": size}
        outcomes = []
        for rs in (built, reformed):
            try:
                outcomes.append(dict(rs.evaluate(one, on=on)))
            except DataError as exc:  # the same error either way
                outcomes.append(exc)  # type: ignore[arg-type]
        assert outcomes[0] == outcomes[1]


def test_the_process_counts_plans_built_and_reused() -> None:
    before = _plan.plan_cache_info()
    nst_rate(TAX, 0.41)
    after = _plan.plan_cache_info()
    assert after["reused"] == before["reused"] + 1 and after["built"] == before["built"]
    assert 0 < after["kept"] <= _plan.STRUCTURES_KEPT
