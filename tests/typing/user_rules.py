"""Typical user code: a rule set by hand, one case and a population (hypothetical rates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np

from stratpolicy import (
    Citation,
    Combine,
    Decision,
    Input,
    Output,
    Parameter,
    ParameterSet,
    ParameterValue,
    PythonRule,
    Rule,
    RuleSet,
    ValueType,
)
from stratpolicy.errors import ExpressionError, ValidationError
from stratpolicy.rules import read_table

act = Citation(act="Tax Act (hypothetical)", article="10", effective_from=dt.date(2024, 1, 1))
rates = ParameterSet(
    parameters=[
        Parameter(
            name="credit_rate",
            values=[
                ParameterValue(start=dt.date(2024, 1, 1), by_key={"sme": 0.25, "large": 0.1}),
                ParameterValue(start=dt.date(2025, 1, 1), by_key={"sme": 0.3, "large": 0.15}),
            ],
            description="credit rate by firm size",
        ),
        Parameter(name="fields", values=[ParameterValue(members=["chips", "batteries"])]),
    ]
)


def bonus(rd_expense: float, firm_size: str) -> Mapping[str, float] | None:
    return {"bonus": 0.01 * rd_expense} if firm_size == "sme" else None


rules = RuleSet(
    id="demo_credit",
    inputs=[
        Input(name="firm_size", type="category", categories=["sme", "large"]),
        Input(name="field", type=ValueType.CATEGORY, categories=("chips", "batteries", "other")),
        Input(name="rd_expense", type="money", unit="KRW", min=0),
    ],
    outputs=[
        Output(name="credit", type="money", unit="KRW", combine="max", default=0.0),
        Output(name="bonus", type="money", unit="KRW", default=0),
        Output(name="eligible", type="bool", default=False, combine=Combine.FIRST),
    ],
    rules=[
        Rule(
            id="eligible", condition="field in fields", outputs={"eligible": "True"}, citation=act
        ),
        Rule(
            id="credit",
            condition="eligible",
            outputs={"credit": "credit_rate[firm_size] * rd_expense"},
            citation=act,
        ),
    ],
    parameters=rates,
    python_rules=[PythonRule(id="bonus", function=bonus, sets=["bonus"])],
)
order: tuple[str, ...] = rules.evaluation_order
decision: Decision = rules.evaluate(
    {"firm_size": "sme", "field": "chips", "rd_expense": 1e9}, on=dt.date(2025, 6, 30)
)
credit: float = decision["credit"]
fired: tuple[str, ...] = decision.fired
print(credit, fired, decision.explain().rule("credit").status)
population = rules.evaluate_many(
    {
        "firm_size": np.array(["sme", "large"]),
        "field": ["chips", "other"],
        "rd_expense": np.array([1e9, 2e9]),
    },
    on=dt.date(2025, 6, 30),
)
print(population["credit"], list(population))
with open("firms.csv", "w", encoding="utf-8") as f:
    f.write("firm_size,field,rd_expense\nsme,chips,1000000000\n")
print(rules.evaluate_many(read_table("firms.csv", rules), on=dt.date(2025, 1, 1))["credit"])
try:
    RuleSet(id="bad", inputs=[], rules=[Rule(id="bad", outputs={"x": "__import__('os')"})])
except ExpressionError as error:
    print(type(error).__name__)
try:
    rules.evaluate(
        {"firm_size": "sme", "field": "chips", "rd_expense": -1.0}, on=dt.date(2025, 1, 1)
    )
except ValidationError as error:  # below the input's min
    print(error.problems[0].path)
