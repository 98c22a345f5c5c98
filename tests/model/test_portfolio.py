from __future__ import annotations

import pytest

from stratpolicy import (
    Instrument,
    Mission,
    Portfolio,
    Requirement,
    Technology,
)
from stratpolicy.errors import (
    CurrencyError,
    DuplicateIdError,
    UnknownReferenceError,
    ValidationError,
)


def test_lookups(small_portfolio: Portfolio) -> None:
    p = small_portfolio
    assert p["ai"].name == "AI"
    assert "qc" in p and "nope" not in p
    assert len(p) == 5 + 2 + 2 + 1 + 1 + 1
    assert p.technology("qc").parent == "quantum"
    assert p.get("qc", Mission) is None
    assert p.get("nope") is None
    with pytest.raises(KeyError, match="no mission with id 'qc' \\(the id names a technology\\)"):
        p.mission("qc")
    assert [t.id for t in p.areas()] == ["ai", "quantum"]
    assert [t.id for t in p.key_technologies("ai")] == ["llm", "ai_chips"]
    assert [m.id for m in p.core_missions()] == ["ai_power"]
    assert [m.id for m in p.sub_missions("ai_power")] == ["ai_chips_challenge"]
    assert [m.id for m in p.missions_requiring("ai_chips")] == ["ai_chips_challenge"]
    assert [i.id for i in p.instruments_of("msit")] == ["rd"]
    assert [o.id for o in p.of_kind(Technology)] == ["ai", "llm", "ai_chips", "quantum", "qc"]
    assert [o.id for o in p][:3] == ["ai", "llm", "ai_chips"]


def test_duplicate_ids_across_collections(small_portfolio: Portfolio) -> None:
    with pytest.raises(DuplicateIdError) as info:
        small_portfolio.add(Mission(id="qc", name="Clash"))
    (problem,) = info.value.problems
    assert problem.path == "missions[2].id"
    assert "already used by technologies[4]" in problem.message


def test_unknown_reference_names_both(small_portfolio: Portfolio) -> None:
    with pytest.raises(UnknownReferenceError) as info:
        small_portfolio.add(
            Mission(
                id="m3",
                name="M3",
                requires=(Requirement(technology="warp"),),
                owners=("msit", "nasa"),
            )
        )
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("missions[2].requires[0].technology", "mission 'm3' requires unknown technology 'warp'"),
        ("missions[2].owners[1]", "mission 'm3' is owned by unknown actor 'nasa'"),
    ]


def test_reference_of_the_wrong_kind(small_portfolio: Portfolio) -> None:
    with pytest.raises(
        UnknownReferenceError, match="requires 'msit', which is an actor, not a technology"
    ):
        small_portfolio.add(Mission(id="m3", name="M3", requires=(Requirement(technology="msit"),)))


def test_changes_return_checked_copies(small_portfolio: Portfolio) -> None:
    p = small_portfolio
    renamed = p.replace(Technology(id="qc", name="Quantum computers", parent="quantum"))
    assert renamed.technology("qc").name == "Quantum computers"
    assert p.technology("qc").name == "Quantum computing"
    assert [t.id for t in renamed.technologies] == [t.id for t in p.technologies]
    with pytest.raises(TypeError):
        p.replace(Mission(id="qc", name="x"))
    with pytest.raises(KeyError):
        p.replace(Technology(id="zz", name="x"))
    smaller = p.remove("rd_part")
    assert "rd_part" not in smaller and len(smaller) == len(p) - 1
    with pytest.raises(UnknownReferenceError, match="incentive 'credit' applies to unknown"):
        p.remove("ai")  # still referenced by the incentive and the mission
    with pytest.raises(KeyError):
        p.remove("nope")
    assert p.evolve(name="Renamed").name == "Renamed"


def test_mission_hierarchy_rules(small_portfolio: Portfolio) -> None:
    with pytest.raises(ValidationError, match="a challenge needs a parent mission"):
        small_portfolio.add(Mission(id="c", name="C", kind="challenge"))


def test_budget_parts(small_portfolio: Portfolio) -> None:
    from stratpolicy import BudgetEntry
    from stratpolicy.units import parse_amount

    bigger = Instrument(
        id="big_part",
        name="Big part",
        kind="grants_business_rd",
        part_of="rd",
        budget=(BudgetEntry(year=2026, amount=parse_amount("1.6 trillion KRW")),),
    )
    # 0.5 + 1.6 = 2.1 trillion KRW of parts in a 2 trillion KRW budget
    with pytest.raises(
        ValidationError,
        match=r"have 2\.1 trillion KRW in 2026, more than its budget of 2 trillion KRW",
    ):
        small_portfolio.add(bigger)
    dollars = Instrument(
        id="usd_part",
        name="Dollar part",
        kind="grants_business_rd",
        part_of="rd",
        budget=(BudgetEntry(year=2026, amount=parse_amount("1 USD")),),
    )
    with pytest.raises(CurrencyError, match="in USD, 'rd' in KRW"):
        small_portfolio.add(dollars)


def test_repr_is_a_summary(small_portfolio: Portfolio) -> None:
    assert repr(small_portfolio) == (
        "Portfolio(id='small', name='Small portfolio', 5 technologies, 2 missions, "
        "2 instruments, 1 incentives, 1 actors, 1 roadmaps)"
    )
    assert repr(Portfolio(id="e", name="E")) == "Portfolio(id='e', name='E', empty)"
    html = small_portfolio._repr_html_()
    assert "<td>technologies</td><td>5</td>" in html


def test_depends_on_is_checked(small_portfolio: Portfolio) -> None:
    with pytest.raises(
        UnknownReferenceError, match="technology 'qc2' depends on unknown technology 'warp'"
    ):
        small_portfolio.add(
            Technology(id="qc2", name="QC2", parent="quantum", depends_on=("warp",))
        )
    with pytest.raises(ValidationError, match="cannot depend on itself"):
        Technology(id="x", name="X", depends_on=("x",))
