"""Typical user code: build a portfolio by hand, change it, look things up (hypothetical)."""

from __future__ import annotations

import datetime as dt

import attrs

from stratpolicy import (
    Actor,
    ActorKind,
    BudgetEntry,
    Citation,
    Incentive,
    Instrument,
    InstrumentKind,
    Milestone,
    Mission,
    MissionKind,
    Portfolio,
    Requirement,
    Roadmap,
    Support,
    Target,
    Technology,
    TechnologyCode,
    TechnologyLink,
)
from stratpolicy.units import format_amount, money, parse_amount

areas = ("ai", "quantum")
technologies = [Technology(id=a, name=a.upper(), kind="area") for a in areas]
technologies += (
    Technology(
        id="ai_chips",
        name="AI chips",
        parent="ai",
        codes=(TechnologyCode(scheme="us_cet_2024", code="semiconductors_microelectronics"),),
        aliases=iter(["NPU", "AI accelerators"]),
    ),
    Technology(id="qc", name="Quantum computing", parent="quantum", depends_on={"ai_chips"}),
)
mission = Mission(
    id="ai_leader",
    name="AI leader",
    kind=MissionKind.MISSION,
    targets=[
        Target(metric="rank", rank=3, due=dt.date(2030, 12, 31)),
        Target(metric="GPUs", value=parse_amount("50,000 GPU")),
    ],
    requires=(Requirement(technology=t, weight=0.5) for t in ("ai", "ai_chips")),
    owners=["msit"],
)
challenge = Mission(
    id="chips",
    name="Own chips",
    kind="challenge",
    parent="ai_leader",
    requires=[Requirement(technology="ai_chips")],
)
instrument = Instrument(
    id="chip_rd",
    name="Chip R&D",
    kind="PI008",
    budget=[BudgetEntry(year=2026, amount=money(1.2, "trillion KRW"), stage="enacted")],
    supports=[Support(technology="ai_chips", share=0.6), Support(technology="qc")],
    administered_by=["msit"],
    missions=["ai_leader"],
    incentives=["chip_credit"],
    legal_basis=[Citation(act="Research Act (hypothetical)", article="12")],
)
incentive = Incentive(
    id="chip_credit",
    name="Chip credit",
    kind="tax_credit",
    technologies=["ai_chips", TechnologyLink(technology="qc", start=dt.date(2027, 1, 1))],
    beneficiaries=["sme", "large"],
)
actors = [
    Actor(id="msit", name="Ministry of Science", kind=ActorKind.MINISTRY),
    Actor(id="chipco", name="ChipCo", kind="firm", firm_size="large"),
]
roadmap = Roadmap(
    id="plan",
    name="Plan",
    milestones=[Milestone(id="m1", name="Fab", due=dt.date(2027, 6, 30), missions=["ai_leader"])],
)
portfolio = Portfolio(
    id="demo",
    name="Hypothetical portfolio",
    technologies=technologies,
    missions=[mission, challenge],
    instruments=(instrument,),
    incentives=[incentive],
    actors=actors,
    roadmaps=[roadmap],
    source="hypothetical",
)

kind: InstrumentKind = portfolio.instrument("chip_rd").kind
budget = portfolio.instrument("chip_rd").budget_for(2026)
assert budget is not None
text: str = format_amount(budget)
trillions: float = budget.to("trillion KRW").magnitude
bigger = attrs.evolve(instrument, budget=[BudgetEntry(year=2026, amount=budget * 2)])
portfolio = portfolio.replace(bigger)
names: list[str] = [m.name for m in portfolio.missions_requiring("ai_chips")]
weight: float = portfolio.mission("ai_leader").weight_of("ai")
print(kind.code, text, trillions, names, weight, len(portfolio))
