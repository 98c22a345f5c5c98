"""Construction-time checks of the model classes: every problem, with its field's path."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from stratpolicy import (
    Actor,
    BudgetEntry,
    Citation,
    Incentive,
    Instrument,
    InstrumentCategory,
    InstrumentKind,
    Milestone,
    Mission,
    Requirement,
    Roadmap,
    Support,
    Target,
    Technology,
    TechnologyKind,
)
from stratpolicy.errors import UnitError, ValidationError
from stratpolicy.units import parse_amount, quantity


def paths(
    info: pytest.ExceptionInfo[ValidationError] | pytest.ExceptionInfo[UnitError],
) -> list[str]:
    return [p.path for p in info.value.problems]


def test_objects_are_frozen_and_keyword_only() -> None:
    tech = Technology(id="ai", name="AI", kind="area")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        tech.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Technology("ai", "AI")  # type: ignore[misc]


def test_enum_fields_accept_their_values_and_lists_become_tuples() -> None:
    tech = Technology(id="ai", name="AI", kind="area", aliases=["인공지능"])  # type: ignore[arg-type]
    assert tech.kind is TechnologyKind.AREA
    assert tech.aliases == ("인공지능",)
    assert hash(tech) == hash(Technology(id="ai", name="AI", kind="area", aliases=("인공지능",)))


def test_stip_instrument_kinds() -> None:
    assert len(InstrumentKind) == 28
    assert len({k.code for k in InstrumentKind}) == 28
    assert InstrumentKind("PI015") is InstrumentKind.TAX_RELIEF_FIRMS
    assert InstrumentKind.TAX_RELIEF_FIRMS.category is InstrumentCategory.INDIRECT_FINANCIAL_SUPPORT
    with pytest.raises(KeyError):
        InstrumentKind.from_code("PI999")


def test_technology_checks() -> None:
    with pytest.raises(ValidationError) as info:
        Technology(id=" ", name="", kind="area", parent="x")
    assert paths(info) == ["id", "name", "parent"]


def test_requirement_weight_range() -> None:
    Requirement(technology="ai", weight=1.0)
    for bad in (0.0, -0.1, 1.01, float("nan")):
        with pytest.raises(ValidationError, match="weight: must be in \\(0, 1\\]"):
            Requirement(technology="ai", weight=bad)


def test_target_value_or_rank() -> None:
    assert Target(metric="rank", rank=3).label == "top 3"
    assert Target(metric="GPUs", value=parse_amount("50,000 GPU")).label == "50000 GPU"
    assert Target(metric="independence", description="Independence").label == "Independence"
    with pytest.raises(ValidationError) as info:
        Target(metric="x", value=quantity(1, "GPU"), rank=0)
    assert paths(info) == ["rank", "rank"]


def test_mission_checks() -> None:
    with pytest.raises(ValidationError) as info:
        Mission(
            id="m",
            name="M",
            parent="m",
            requires=(Requirement(technology="a"), Requirement(technology="a")),
            owners=("x", "x"),
            start=dt.date(2026, 1, 1),
            due=dt.date(2025, 1, 1),
        )
    assert paths(info) == ["requires[1]", "owners[1]", "due", "parent", "kind"]
    m = Mission(id="m", name="M", requires=(Requirement(technology="a", weight=0.4),))
    assert m.weight_of("a") == 0.4
    assert m.weight_of("b") == 0.0


def test_budget_must_be_money_and_not_negative() -> None:
    with pytest.raises(UnitError, match="amount: '12 metric_ton' is not an amount of money"):
        BudgetEntry(year=2026, amount=parse_amount("12 tonnes"))
    with pytest.raises(UnitError, match="is not an amount of money"):
        BudgetEntry(year=2026, amount=3.0)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="must not be negative"):
        BudgetEntry(year=2026, amount=parse_amount("-1 KRW"))


def test_instrument_checks() -> None:
    money = parse_amount("1 trillion KRW")
    with pytest.raises(ValidationError) as info:
        Instrument(
            id="i",
            name="I",
            kind="grants_business_rd",
            start=dt.date(2026, 1, 1),
            end=dt.date(2025, 1, 1),
            budget=(BudgetEntry(year=2026, amount=money), BudgetEntry(year=2026, amount=money)),
            supports=(Support(technology="a", share=0.6), Support(technology="b", share=0.6)),
            part_of="i",
        )
    assert paths(info) == ["end", "budget[1]", "part_of", "supports"]


def test_instrument_queries() -> None:
    ins = Instrument(
        id="i",
        name="I",
        kind="grants_business_rd",
        start=dt.date(2026, 1, 1),
        budget=(BudgetEntry(year=2026, amount=parse_amount("1 trillion KRW")),),
    )
    assert not ins.in_force(dt.date(2025, 12, 31))
    assert ins.in_force(dt.date(2030, 1, 1))
    assert ins.budget_for(2026) == parse_amount("1e12 KRW")
    assert ins.budget_for(2025) is None


def test_share_range() -> None:
    with pytest.raises(ValidationError, match="share"):
        Support(technology="a", share=0.0)


def test_actor_firm_size_only_for_firms() -> None:
    assert Actor(id="f", name="F", kind="firm", firm_size="sme").firm_size is not None
    with pytest.raises(ValidationError, match="firm_size: only firms have a size"):
        Actor(id="m", name="M", kind="ministry", firm_size="sme")


def test_incentive_and_citation() -> None:
    cite = Citation(act="RSTA", article="24(1)2", effective_from=dt.date(2021, 7, 1))
    assert cite.label == "RSTA, Art. 24(1)2"
    assert cite.in_force(dt.date(2021, 7, 1))
    assert not cite.in_force(dt.date(2021, 6, 30))
    inc = Incentive(id="c", name="C", kind="tax_credit", beneficiaries=["sme"], citation=cite)  # type: ignore[arg-type]
    assert inc.beneficiaries[0].value == "sme"
    with pytest.raises(ValidationError):
        Citation(act="", effective_from=dt.date(2022, 1, 1), effective_to=dt.date(2021, 1, 1))


def test_roadmap_milestones_in_order_and_in_period() -> None:
    early = Milestone(id="a", name="A", due=dt.date(2027, 1, 1))
    late = Milestone(id="b", name="B", due=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError) as info:
        Roadmap(id="r", name="R", milestones=(early, late), end=dt.date(2026, 12, 31))
    assert paths(info) == ["milestones[0].due", "milestones[1].due"]
