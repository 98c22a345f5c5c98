"""Shared fixtures: a small hand-built portfolio used across the test suite."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from stratpolicy import (
    Actor,
    BudgetEntry,
    Citation,
    Incentive,
    Instrument,
    Milestone,
    Mission,
    Portfolio,
    Requirement,
    Roadmap,
    Support,
    Target,
    Technology,
    TechnologyKind,
)
from stratpolicy.units import parse_amount

DATA = Path(__file__).parent / "data"


@pytest.fixture
def small_portfolio() -> Portfolio:
    """Two areas, three key technologies, a mission with a challenge, two instruments."""
    return Portfolio(
        id="small",
        name="Small portfolio",
        country="KR",
        as_of=dt.date(2026, 1, 1),
        technologies=(
            Technology(id="ai", name="AI", kind=TechnologyKind.AREA),
            Technology(id="llm", name="Language models", parent="ai"),
            Technology(id="ai_chips", name="AI chips", parent="ai"),
            Technology(id="quantum", name="Quantum", kind=TechnologyKind.AREA),
            Technology(id="qc", name="Quantum computing", parent="quantum"),
        ),
        missions=(
            Mission(
                id="ai_power",
                name="AI power",
                targets=(Target(metric="rank", rank=3),),
                requires=(Requirement(technology="ai"),),
                owners=("msit",),
            ),
            Mission(
                id="ai_chips_challenge",
                name="AI chips challenge",
                kind="challenge",
                parent="ai_power",
                requires=(Requirement(technology="ai_chips", weight=0.5),),
            ),
        ),
        instruments=(
            Instrument(
                id="rd",
                name="R&D programme",
                kind="grants_business_rd",
                budget=(BudgetEntry(year=2026, amount=parse_amount("2 trillion KRW")),),
                administered_by=("msit",),
                supports=(Support(technology="llm", share=0.25), Support(technology="qc")),
                incentives=("credit",),
            ),
            Instrument(
                id="rd_part",
                name="Chips line",
                kind="grants_business_rd",
                budget=(BudgetEntry(year=2026, amount=parse_amount("500 billion KRW")),),
                part_of="rd",
                start=dt.date(2026, 1, 1),
                end=dt.date(2028, 12, 31),
            ),
        ),
        incentives=(
            Incentive(
                id="credit",
                name="R&D credit",
                kind="tax_credit",
                technologies=("ai",),
                beneficiaries=("sme", "large"),
                citation=Citation(act="Restriction of Special Taxation Act", article="10(1)2"),
            ),
        ),
        actors=(
            Actor(
                id="msit", name="Ministry of Science and ICT", kind="ministry", abbreviation="MSIT"
            ),
        ),
        roadmaps=(
            Roadmap(
                id="plan",
                name="Plan",
                milestones=(
                    Milestone(
                        id="m1", name="Start", due=dt.date(2026, 1, 1), missions=("ai_power",)
                    ),
                    Milestone(
                        id="m2", name="Review", due=dt.date(2027, 1, 1), technologies=("qc",)
                    ),
                ),
            ),
        ),
    )
