"""KISTEP technology levels and the built-in early-warning rules.

Expected alerts are worked out below from the levels printed in the sources (the project's
reference data, kistep_tech_levels.yaml), not from the engine's output.
"""

from __future__ import annotations

import datetime as dt

import pytest

from stratpolicy.catalogs import korea
from stratpolicy.rules import early_warning

ROUND_2022 = dt.date(2024, 2, 29)  # the day the 2022 round was reported
ROUND_2024 = dt.date(2026, 2, 22)  # the day the 2024 round was reported


def test_levels_are_the_printed_values_with_sources() -> None:
    levels = korea.tech_levels()
    assert set(levels) <= {a.id for a in korea.strategic_technologies().areas()}
    ai_level = {p.country: p.value for p in levels["artificial_intelligence"][0].points}
    assert ai_level == {"US": 100.0, "CN": 93.0, "EU": 86.3, "KR": 80.6, "JP": 75.8}
    every_point = [
        p
        for group in (levels, korea.tech_level_aggregates())
        for ss in group.values()
        for s in ss
        for p in s.points
    ]
    assert every_point and all(p.source and p.verified for p in every_point)
    assert {p.on for p in every_point} == {ROUND_2022, ROUND_2024}


def test_alerts_by_hand() -> None:
    alerts = early_warning(korea.tech_levels(), korea.early_warning_rules())
    found = {(a.technology, a.on, a.rule) for a in alerts}
    expected = {
        # semiconductors/displays 2024 round: CN 91.5 > KR 91.2 (gap: CN 0.8 > KR 0.7, no alert)
        ("semiconductors_displays", ROUND_2024, "china_level_ahead"),
        # AI 2024 round: CN 93.0 and EU 86.3 > KR 80.6; JP 75.8 < KR 80.6
        ("artificial_intelligence", ROUND_2024, "china_level_ahead"),
        ("artificial_intelligence", ROUND_2024, "eu_level_ahead"),
        # batteries: KR gap 0.0 years (2022 round) -> 0.2 years (2024 round)
        ("secondary_batteries", ROUND_2024, "gap_widening"),
    }
    assert found == expected
    levels = {a.rule: a.level for a in alerts}
    assert levels == {
        "china_level_ahead": "warning",
        "eu_level_ahead": "warning",
        "gap_widening": "watch",
    }
    semis = next(a for a in alerts if a.technology == "semiconductors_displays")
    assert semis.values["level_pct_lead_cn"] == pytest.approx(91.5 - 91.2)


def test_aggregate_alerts_by_hand() -> None:
    alerts = early_warning(korea.tech_level_aggregates(), korea.early_warning_rules())
    leads = {(a.on, a.rule): next(iter(a.values.values())) for a in alerts}
    # strategic 50, 2022 round: CN 86.5, JP 85.2, EU 92.3 vs KR 81.7; gaps CN 2.2 vs KR 3.0
    assert leads[(ROUND_2022, "china_level_ahead")] == pytest.approx(86.5 - 81.7)
    assert leads[(ROUND_2022, "japan_level_ahead")] == pytest.approx(85.2 - 81.7)
    assert leads[(ROUND_2022, "eu_level_ahead")] == pytest.approx(92.3 - 81.7)
    assert leads[(ROUND_2022, "china_closer_to_leader")] == pytest.approx(2.2 - 3.0)
    # 2024 round: CN 91.3, JP 84.9, EU 90.5 vs KR 82.7; gaps CN 1.4 vs KR 2.6; KR's gap fell
    assert leads[(ROUND_2024, "china_level_ahead")] == pytest.approx(91.3 - 82.7)
    assert leads[(ROUND_2024, "japan_level_ahead")] == pytest.approx(84.9 - 82.7)
    assert leads[(ROUND_2024, "eu_level_ahead")] == pytest.approx(90.5 - 82.7)
    assert leads[(ROUND_2024, "china_closer_to_leader")] == pytest.approx(1.4 - 2.6)
    assert (ROUND_2024, "gap_widening") not in leads  # 3.0 -> 2.6 years: narrower
    assert len(alerts) == 8
