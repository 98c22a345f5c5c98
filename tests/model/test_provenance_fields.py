"""Targeted support and envelopes, budget stages and overlaps, dated links, successors,
editorial fields: what the model can say about where a number comes from."""

from __future__ import annotations

import datetime as dt

import pytest

from stratpolicy import (
    Actor,
    BudgetEntry,
    BudgetOverlap,
    BudgetStage,
    Incentive,
    Instrument,
    Mission,
    Portfolio,
    Successor,
    Support,
    Technology,
    TechnologyLink,
    io,
)
from stratpolicy.errors import CurrencyError, SchemaError, UnknownReferenceError, ValidationError
from stratpolicy.units import money

AREAS = [Technology(id=t, name=t.upper(), kind="area") for t in ("ai", "chips", "quantum")]


def test_a_support_with_a_share_cannot_be_in_an_envelope() -> None:
    with pytest.raises(ValidationError) as info:
        Support(technology="ai", share=0.5, envelope=True)
    assert [p.path for p in info.value.problems] == ["envelope"]


def test_which_supports_are_targeted() -> None:
    one = Instrument(id="a", name="A", kind="PI008", supports=[Support(technology="ai")])
    assert one.is_targeted(one.supports[0])  # the only share-less support gets the rest
    shared = Instrument(
        id="b",
        name="B",
        kind="PI008",
        supports=[
            Support(technology="ai", share=0.4),
            Support(technology="chips"),
            Support(technology="quantum"),
        ],
    )
    # two supports share the remaining 0.6 with no published split: an envelope
    assert [s.technology for s in shared.targeted] == ["ai"]
    assert [s.technology for s in shared.envelope] == ["chips", "quantum"]
    marked = Instrument(
        id="c", name="C", kind="PI008", supports=[Support(technology="ai", envelope=True)]
    )
    assert marked.targeted == () and marked.envelope == marked.supports


def test_support_dates() -> None:
    s = Support(technology="ai", start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    assert not s.in_force(dt.date(2024, 12, 31))
    assert s.in_force(dt.date(2025, 6, 30))
    with pytest.raises(ValidationError):
        Support(technology="ai", start=dt.date(2025, 1, 1), end=dt.date(2024, 1, 1))


def test_budget_stages_and_the_default_rule() -> None:
    rd = Instrument(
        id="rd",
        name="R&D",
        kind="PI007",
        budget=[
            BudgetEntry(year=2026, amount=money(35.3, "trillion KRW"), stage="proposal"),
            BudgetEntry(year=2026, amount=money(35.5, "trillion KRW"), stage="enacted"),
            BudgetEntry(year=2025, amount=money(8.6, "trillion KRW"), stage="plan"),
            BudgetEntry(year=2025, amount=money(1, "trillion KRW")),
        ],
    )
    assert rd.budget_for(2026) == money(35.5, "trillion KRW")  # enacted beats proposal
    assert rd.budget_for(2026, BudgetStage.PROPOSAL) == money(35.3, "trillion KRW")
    assert rd.budget_for(2026, "executed") is None
    assert rd.budget_for(2025) == money(8.6, "trillion KRW")  # a plan beats no stage
    assert [s.finality for s in BudgetStage] == [1, 2, 3, 4, 5]
    with pytest.raises(ValidationError) as info:
        Instrument(
            id="x",
            name="X",
            kind="PI007",
            budget=[
                BudgetEntry(year=2026, amount=money(1, "KRW"), stage="enacted"),
                BudgetEntry(year=2026, amount=money(2, "KRW"), stage="enacted"),
            ],
        )
    assert [p.path for p in info.value.problems] == ["budget[1]"]


def test_an_unknown_stage_in_a_document_is_a_schema_error() -> None:
    text = (
        "schema_version: 1\ndocument: instrument\nid: x\nname: X\nkind: PI007\n"
        "budget: [{year: 2026, amount: 1 KRW, stage: appropriation}]\n"
    )
    with pytest.raises(SchemaError) as info:
        io.loads(text, "yaml")
    (problem,) = info.value.problems
    assert problem.path == "budget[0].stage"
    assert "'appropriation' is not a BudgetStage" in problem.message


def _two_budgets(overlap: BudgetOverlap) -> Portfolio:
    return Portfolio(
        id="p",
        name="P",
        instruments=[
            Instrument(
                id="rd",
                name="R&D",
                kind="PI007",
                budget=[BudgetEntry(year=2026, amount=money(35.3, "trillion KRW"))],
            ),
            Instrument(
                id="ai",
                name="AI",
                kind="PI008",
                budget=[BudgetEntry(year=2026, amount=money(10.1, "trillion KRW"))],
                overlaps=[overlap],
            ),
        ],
    )


def test_overlaps_are_checked_against_both_budgets() -> None:
    ok = _two_budgets(BudgetOverlap(instrument="rd", year=2026, amount=money(2.3, "trillion KRW")))
    assert ok.instrument("ai").overlaps[0].amount == money(2.3, "trillion KRW")
    unknown = _two_budgets(BudgetOverlap(instrument="rd", year=2026))  # amount not published
    assert unknown.instrument("ai").overlaps[0].amount is None
    with pytest.raises(ValidationError) as info:
        _two_budgets(BudgetOverlap(instrument="rd", year=2026, amount=money(11, "trillion KRW")))
    (problem,) = info.value.problems
    assert problem.path == "instruments[1].overlaps[0].amount"
    assert "more than the 2026 budget of 'ai'" in problem.message
    with pytest.raises(CurrencyError):
        _two_budgets(BudgetOverlap(instrument="rd", year=2026, amount=money(1, "billion USD")))
    with pytest.raises(UnknownReferenceError):
        _two_budgets(BudgetOverlap(instrument="nope", year=2026))
    with pytest.raises(ValidationError):
        Instrument(id="x", name="X", kind="PI007", overlaps=[BudgetOverlap(instrument="x", year=1)])


def test_incentive_links_accept_plain_ids_and_dated_links() -> None:
    credit = Incentive(
        id="c",
        name="C",
        kind="tax_credit",
        technologies=["chips", TechnologyLink(technology="ai", start=dt.date(2025, 1, 1))],
    )
    assert credit.technology_ids == ("chips", "ai")
    assert credit.technologies_on(dt.date(2024, 6, 30)) == ("chips",)
    assert credit.technologies_on(dt.date(2025, 6, 30)) == ("chips", "ai")
    # a document may give a link as an id alone; a dated link as a mapping
    text = (
        "schema_version: 1\ndocument: incentive\nid: c\nname: C\nkind: tax_credit\n"
        "technologies: [chips, {technology: ai, start: '2025-01-01'}]\n"
    )
    loaded = io.loads(text, "yaml")
    assert loaded == credit
    assert io.unstructure(credit)["technologies"] == [
        "chips",
        {"technology": "ai", "start": "2025-01-01"},
    ]
    with pytest.raises(ValidationError):
        Incentive(id="c", name="C", kind="tax_credit", technologies=["ai", "ai"])


def test_actor_successors_are_references() -> None:
    old = Actor(
        id="old",
        name="Old ministry",
        kind="ministry",
        end=dt.date(2026, 1, 1),
        successors=[Successor(actor="tax", remit="tax", instruments=["credit_scheme"])],
    )
    assert old.in_force(dt.date(2026, 1, 1)) and not old.in_force(dt.date(2026, 1, 2))
    assert old.successors[0].takes_over("credit_scheme")
    assert not old.successors[0].takes_over("other")
    assert Successor(actor="x").takes_over("anything")
    with pytest.raises(UnknownReferenceError) as info:
        Portfolio(id="p", name="P", actors=[old])
    assert [p.path for p in info.value.problems] == [
        "actors[0].successors[0].actor",
        "actors[0].successors[0].instruments[0]",
    ]
    with pytest.raises(ValidationError):
        Actor(id="a", name="A", kind="ministry", successors=[Successor(actor="a")])


def test_editorial_names_fields_of_the_class() -> None:
    m = Mission(id="m", name="M", kind="mission", editorial=["goal", "owners"])
    assert m.editorial == ("goal", "owners")
    with pytest.raises(ValidationError) as info:
        Mission(id="m", name="M", editorial=["verified"])
    assert [p.path for p in info.value.problems] == ["editorial[0]"]
