"""Early warning: threshold rules on KISTEP technology levels raise dated alerts."""

from __future__ import annotations

import datetime as dt

import pytest

from stratpolicy.errors import RuleSetError
from stratpolicy.model import IndicatorPoint, IndicatorSeries
from stratpolicy.rules import Alert, Input, Output, Rule, RuleSet, early_warning, indicator_facts

R2022 = dt.date(2022, 12, 31)  # assessment rounds (reported 2024-02-29 and 2026-02-22)
R2024 = dt.date(2024, 12, 31)
SRC = "shared/reference/kistep_tech_levels.yaml"


def point(on: dt.date, value: float, country: str) -> IndicatorPoint:
    return IndicatorPoint(on=on, value=value, country=country, source=SRC, verified=True)


# KISTEP technology levels (% of the leading country) and gaps (years), strategic 50 technologies
STRATEGIC_50 = [
    IndicatorSeries(
        metric="level_pct",
        unit="%",
        points=[
            point(R2022, 81.7, "KR"),
            point(R2022, 86.5, "CN"),
            point(R2024, 82.7, "KR"),
            point(R2024, 91.3, "CN"),
        ],
    ),
    IndicatorSeries(
        metric="gap_years",
        unit="years",
        points=[
            point(R2022, 3.0, "KR"),
            point(R2022, 2.2, "CN"),
            point(R2024, 2.6, "KR"),
            point(R2024, 1.4, "CN"),
        ],
    ),
]
# artificial intelligence, 2024 round only
AI = [
    IndicatorSeries(
        metric="level_pct",
        unit="%",
        points=[point(R2024, 80.6, "KR"), point(R2024, 93.0, "CN"), point(R2024, 100.0, "US")],
    ),
    IndicatorSeries(metric="gap_years", unit="years", points=[point(R2024, 2.1, "KR")]),
]

# Thresholds are the analyst's choice (these are examples), not facts from a source.
WARNING_RULES = RuleSet(
    id="example_early_warning",
    inputs=[
        Input(name="level_pct", type="number"),
        Input(name="level_pct_change", type="number", default=0.0),
        Input(name="level_pct_lead_cn", type="number", default=0.0),
        Input(name="gap_years", type="number", default=0.0),
        Input(name="gap_years_change", type="number", default=0.0),
    ],
    outputs=[
        Output(
            name="alert_level",
            type="category",
            categories=["none", "watch", "warning", "critical"],
            default="none",
            combine="priority",
        )
    ],
    rules=[
        Rule(
            id="behind_china",
            description="China's level is above Korea's",
            condition="level_pct_lead_cn > 0",
            outputs={"alert_level": "'warning'"},
            priority=2,
        ),
        Rule(
            id="far_behind_china",
            description="China leads Korea by 10 points or more",
            condition="level_pct_lead_cn >= 10",
            outputs={"alert_level": "'critical'"},
            priority=3,
        ),
        Rule(
            id="gap_widening",
            description="Korea's gap to the leader grew",
            condition="gap_years_change > 0",
            outputs={"alert_level": "'watch'"},
            priority=1,
        ),
    ],
)


def test_facts_from_series() -> None:
    facts = dict(indicator_facts(STRATEGIC_50))
    assert facts[R2022]["level_pct"] == 81.7
    assert "level_pct_change" not in facts[R2022]
    assert facts[R2024]["level_pct_change"] == pytest.approx(1.0)
    assert facts[R2024]["level_pct_cn"] == 91.3
    assert facts[R2024]["level_pct_lead_cn"] == pytest.approx(8.6)
    assert facts[R2024]["gap_years_change"] == pytest.approx(-0.4)


def test_alerts_are_dated_and_name_their_rule() -> None:
    alerts = early_warning(
        {"strategic_50": STRATEGIC_50, "artificial_intelligence": AI}, WARNING_RULES
    )
    found = {(a.technology, a.on, a.rule, a.level) for a in alerts}
    assert found == {
        ("strategic_50", R2022, "behind_china", "warning"),
        ("strategic_50", R2024, "behind_china", "warning"),
        ("artificial_intelligence", R2024, "behind_china", "warning"),
        ("artificial_intelligence", R2024, "far_behind_china", "critical"),
    }
    ai = next(a for a in alerts if a.rule == "far_behind_china")
    assert isinstance(ai, Alert)
    assert ai.values["level_pct_lead_cn"] == pytest.approx(12.4)
    assert "2024-12-31 artificial_intelligence: critical" in str(ai)


def test_a_gap_that_grows_raises_a_watch() -> None:
    series = [
        IndicatorSeries(
            metric="gap_years", points=[point(R2022, 8.6, "KR"), point(R2024, 11.8, "KR")]
        )
    ]
    rules = RuleSet(
        id="gap",
        inputs=[Input(name="gap_years_change", type="number", default=0.0)],
        outputs=[
            Output(
                name="alert_level", type="category", categories=["none", "watch"], default="none"
            )
        ],
        rules=[
            Rule(
                id="gap_widening",
                condition="gap_years_change > 0",
                outputs={"alert_level": "'watch'"},
            )
        ],
    )
    alerts = early_warning({"aerospace_marine": series}, rules)
    assert [(a.on, a.level) for a in alerts] == [(R2024, "watch")]


def test_the_rule_set_needs_a_level_output() -> None:
    rules = RuleSet(
        id="x",
        inputs=[Input(name="level_pct", type="number")],
        rules=[Rule(id="r", outputs={"y": "1"})],
    )
    with pytest.raises(RuleSetError, match="alert_level"):
        early_warning({"t": STRATEGIC_50}, rules)
