"""Targeted support versus envelopes, budget stages and overlaps, allocation, dated links,
the linkage timeline and actors resolved on a date -- each worked out by hand.

``env`` portfolio::

    technologies  A (area: a1 a2)   B (area: b1)   C (area, no key technologies)
    missions      M requires a1 1.0, b1 0.5
                  K requires a1 0.5
                  N requires C 1.0
    instruments (2026)
        T1  100 KRW  supports a1 (share 0.5)                 targeted
        E1   60 KRW  supports A, B (no shares)                an envelope
        D1       -   supports C (from 2027-01-01)            targeted, dated
"""

from __future__ import annotations

import datetime as dt

import pytest

from stratpolicy import (
    Actor,
    BudgetEntry,
    BudgetOverlap,
    Incentive,
    Instrument,
    Mission,
    Portfolio,
    Requirement,
    Successor,
    Support,
    TechnologyLink,
)
from stratpolicy.errors import SchemaError
from stratpolicy.graph import MissionGraph, funding_flow, linkage_timeline, provenance
from stratpolicy.units import money
from tests.graph.conftest import area, key

D = dt.date


def _env() -> Portfolio:
    return Portfolio(
        id="env",
        name="Env",
        technologies=(
            area("A"),
            key("a1", "A"),
            key("a2", "A"),
            area("B"),
            key("b1", "B"),
            area("C"),
        ),
        missions=(
            Mission(
                id="M",
                name="M",
                requires=(Requirement(technology="a1"), Requirement(technology="b1", weight=0.5)),
            ),
            Mission(id="K", name="K", requires=(Requirement(technology="a1", weight=0.5),)),
            Mission(id="N", name="N", requires=(Requirement(technology="C"),)),
        ),
        instruments=(
            Instrument(
                id="T1",
                name="T1",
                kind="grants_business_rd",
                budget=(BudgetEntry(year=2026, amount=money(100, "KRW"), stage="enacted"),),
                supports=(Support(technology="a1", share=0.5),),
            ),
            Instrument(
                id="E1",
                name="E1",
                kind="project_grants_public_research",
                budget=(BudgetEntry(year=2026, amount=money(60, "KRW"), stage="plan"),),
                supports=(Support(technology="A"), Support(technology="B")),
            ),
            Instrument(
                id="D1",
                name="D1",
                kind="grants_business_rd",
                supports=(Support(technology="C", start=D(2027, 1, 1)),),
            ),
        ),
    )


@pytest.fixture
def env() -> MissionGraph:
    return _env().graph()


def test_support_status(env: MissionGraph) -> None:
    s = env.support()
    assert (s["a1"].status, s["a1"].support) == ("targeted", 1.0)
    assert (s["A"].status, s["A"].support) == ("targeted", 0.5)  # a1 of a1, a2
    assert s["A"].with_envelopes == 1.0  # E1 names A itself
    assert (s["b1"].status, s["b1"].support, s["b1"].with_envelopes) == ("envelope_only", 0.0, 1.0)
    assert s["b1"].envelopes == ("E1",) and s["b1"].instruments == ()
    assert s["C"].status == "targeted"  # dates ignored
    assert env.support(on=D(2026, 6, 1))["C"].status == "none"  # D1's support from 2027
    assert env.support(include_envelopes=True)["b1"].support == 1.0


def test_coverage_counts_targeted_support_by_default(env: MissionGraph) -> None:
    cov = env.coverage()
    # M: a1 1.0 x 1 + b1 0.5 x 0 (envelope only) over 1.5
    assert cov["M"].coverage == pytest.approx(1.0 / 1.5)
    assert cov["M"].coverage_with_envelopes == 1.0
    assert cov["M"].gaps == ("b1",) and cov["M"].envelope_only == ("b1",)
    with_env = env.coverage(include_envelopes=True)
    assert with_env["M"].coverage == 1.0 and with_env["M"].gaps == ()
    assert with_env["M"].envelope_only == ("b1",)
    on = env.coverage(on=D(2026, 6, 1))
    assert on["N"].coverage == 0.0 and on["N"].envelope_only == ()  # a real gap
    gaps = env.gaps(on=D(2026, 6, 1))
    assert [(g.technology, g.status) for g in gaps] == [("C", "none"), ("b1", "envelope_only")]
    assert env.mission_requirements("M")["b1"].status == "envelope_only"
    assert env.bottlenecks(None)["b1"].status == "envelope_only"


def test_flow_without_allocation_leaves_unsplit_money_unallocated(env: MissionGraph) -> None:
    flow = env.funding_flow(2026)
    assert flow.allocation is None
    # T1: 50 to a1, 50 to no technology; E1: 60 of envelope; a1's 50 is needed by M and K
    reasons = {(r.source, r.reason): r.amount for r in flow.unallocated}
    assert reasons == {
        ("T1", "no_technology"): 50.0,
        ("E1", "envelope"): 60.0,
        ("a1", "shared"): 50.0,
    }
    assert flow.to_mission("M") == 0.0 and flow.to_mission("K") == 0.0
    assert flow.missions["M"].reachable == 50.0 == flow.missions["K"].reachable
    total = flow.total()
    assert (total.budget, total.to_technologies, total.to_missions) == (160.0, 50.0, 0.0)
    assert total.unallocated == 160.0
    assert flow.instruments["E1"].envelope == 60.0


def test_flow_with_equal_allocation(env: MissionGraph) -> None:
    flow = env.funding_flow(2026, allocation="equal")
    # E1's 60 -> A 30, B 30. a1's 50 -> M 25, K 25; A's 30 (needed via a1 by M and K)
    # -> M 15, K 15; B's 30 (needed via b1 by M only) -> M 30.
    assert flow.to_mission("M") == pytest.approx(25 + 15 + 30)
    assert flow.to_mission("K") == pytest.approx(25 + 15)
    assert flow.total().to_missions == pytest.approx(110.0)
    assert flow.total().unallocated == pytest.approx(50.0)  # T1's half without a support
    assert flow.assumptions()[0].startswith("allocation 'equal'")


def test_flow_by_weight(env: MissionGraph) -> None:
    flow = funding_flow(env, 2026, allocation="by_weight")
    # envelope by related requirement weight: A 1.0 (M's a1) + 0.5 (K's a1) = 1.5; B 0.5
    a_money, b_money = 60 * 1.5 / 2.0, 60 * 0.5 / 2.0  # 45, 15
    m = 50 * 1.0 / 1.5 + a_money * 1.0 / 1.5 + b_money
    k = 50 * 0.5 / 1.5 + a_money * 0.5 / 1.5
    assert flow.to_mission("M") == pytest.approx(m)  # 78.33
    assert flow.to_mission("K") == pytest.approx(k)  # 31.67
    assert flow.technologies["A"].inflow == pytest.approx(a_money)
    with pytest.raises(SchemaError, match="'half' is not an allocation"):
        funding_flow(env, 2026, allocation="half")


def _staged(overlap: BudgetOverlap) -> Portfolio:
    return Portfolio(
        id="staged",
        name="Staged",
        instruments=(
            Instrument(
                id="X",
                name="X",
                kind="project_grants_public_research",
                budget=(
                    BudgetEntry(year=2026, amount=money(90, "KRW"), stage="proposal"),
                    BudgetEntry(year=2026, amount=money(100, "KRW"), stage="enacted"),
                ),
            ),
            Instrument(
                id="Y",
                name="Y",
                kind="grants_business_rd",
                budget=(BudgetEntry(year=2026, amount=money(40, "KRW"), stage="enacted"),),
                overlaps=(overlap,),
            ),
            Instrument(
                id="Z",
                name="Z",
                kind="equity_financing",
                budget=(BudgetEntry(year=2026, amount=money(5, "KRW"), stage="proposal"),),
            ),
        ),
    )


def test_stages_and_overlaps_count_money_once() -> None:
    g = _staged(BudgetOverlap(instrument="X", year=2026, amount=money(10, "KRW"), stage="enacted"))
    flow = g.graph().funding_flow(2026)
    # most final stages: X enacted 100, Y enacted 40 (10 of it inside X's), Z proposal 5
    assert flow.total().budget == 100 + (40 - 10) + 5
    assert flow.instruments["Y"].overlap == 10 and flow.instruments["Y"].own == 30
    assert [r.stage for r in flow.instruments] == ["enacted", "enacted", "proposal"]
    assert flow.overlaps[0].stage_matches is True
    assert any("stages differ" in a for a in flow.assumptions())
    proposal = g.graph().funding_flow(2026, stage="proposal")
    # only the proposal figures: X 90 and Z 5; Y has no proposal figure, the overlap is idle
    assert proposal.total().budget == 90 + 5 and "Y" not in proposal.instruments
    assert proposal.stage == "proposal" and len(proposal.overlaps) == 0
    with pytest.raises(SchemaError, match="not a budget stage"):
        g.graph().funding_flow(2026, stage="appropriation")


def test_an_overlap_of_another_stage_or_unknown_amount_is_flagged() -> None:
    other = _staged(
        BudgetOverlap(instrument="X", year=2026, amount=money(10, "KRW"), stage="proposal")
    )
    flow = other.graph().funding_flow(2026)
    assert flow.total().budget == 135  # still subtracted
    assert flow.overlaps[0].stage_matches is False
    assert any("a proposal figure, applied" in a for a in flow.assumptions())
    unknown = _staged(BudgetOverlap(instrument="X", year=2026)).graph().funding_flow(2026)
    assert unknown.total().budget == 145  # cannot be subtracted
    row = unknown.overlaps[0]
    assert row.amount is None and row.subtracted is False and row.at_most == 40
    assert any("may count up to 40 KRW twice" in a for a in unknown.assumptions())


def _linked() -> Portfolio:
    return Portfolio(
        id="linked",
        name="Linked",
        technologies=(area("A"), area("B"), area("C"), area("D")),
        incentives=(
            Incentive(
                id="c1",
                name="c1",
                kind="tax_credit",
                start=D(2021, 7, 1),
                end=D(2030, 12, 31),
                technologies=(
                    "A",
                    TechnologyLink(technology="B", start=D(2023, 1, 1), end=D(2024, 12, 31)),
                ),
            ),
            Incentive(
                id="c2",
                name="c2",
                kind="tax_credit",
                technologies=(TechnologyLink(technology="C", start=D(2025, 1, 1)),),
            ),
            Incentive(id="g1", name="g1", kind="grant_share", technologies=("D",)),
        ),
    )


def test_linkage_on_a_date_follows_the_links_dates() -> None:
    g = _linked().graph()
    assert g.linkage_gap(on=D(2022, 6, 30)).column("technology") == ("B", "C", "D")
    assert g.linkage_gap(on=D(2024, 6, 30)).column("technology") == ("C", "D")
    assert g.linkage_gap(on=D(2025, 6, 30)).column("technology") == ("B", "D")
    assert g.linkage_gap(on=D(2031, 1, 1)).column("technology") == ("A", "B", "D")


def test_linkage_timeline_by_hand() -> None:
    table = linkage_timeline(_linked().graph())
    assert [(r.technology, r.first_linked, r.periods) for r in table] == [
        ("A", D(2021, 7, 1), ("2021-07-01..2030-12-31",)),
        ("B", D(2023, 1, 1), ("2023-01-01..2024-12-31",)),
        ("C", D(2025, 1, 1), ("2025-01-01..",)),
        ("D", None, ()),
    ]
    assert table["C"].incentives == ("c2",) and not table["D"].linked
    grants = linkage_timeline(_linked().graph(), kind="grant_share")
    assert grants["D"].periods == ("..",) and grants["D"].first_linked is None
    assert grants["D"].linked


def test_summit_linkage_timeline_uses_the_rsta_field_dates() -> None:
    from stratpolicy.catalogs import korea

    # kr_rsta_rd_credit_tiers.yaml nst_fields (expenses_from), through the editors' crosswalk
    expected = {
        "semiconductors_displays": D(2021, 7, 1),
        "secondary_batteries": D(2021, 7, 1),
        "advanced_mobility": D(2023, 1, 1),
        "next_gen_nuclear": None,
        "advanced_bio": D(2021, 7, 1),
        "aerospace_marine": None,
        "hydrogen": D(2023, 1, 1),
        "cybersecurity": None,
        "artificial_intelligence": D(2025, 1, 1),
        "next_gen_communications": None,
        "advanced_robotics_manufacturing": None,
        "quantum": None,
    }
    table = korea.summit_2025().graph().linkage_timeline()
    assert {r.technology: r.first_linked for r in table} == expected
    # the example: AI, hydrogen and mobility had no RSTA credit in 2022
    gap_2022 = korea.summit_2025().graph().linkage_gap(on=D(2022, 6, 30)).column("technology")
    assert {"artificial_intelligence", "hydrogen", "advanced_mobility"} <= set(gap_2022)


def _reorganised() -> Portfolio:
    return Portfolio(
        id="reorg",
        name="Reorg",
        technologies=(area("A"),),
        missions=(Mission(id="M", name="M", requires=(Requirement(technology="A"),)),),
        instruments=(
            Instrument(
                id="budget",
                name="Budget",
                kind="project_grants_public_research",
                supports=(Support(technology="A"),),
                administered_by=("old", "science"),
            ),
            Instrument(
                id="taxes",
                name="Taxes",
                kind="tax_relief_firms",
                incentives=("credit",),
                administered_by=("old",),
            ),
        ),
        incentives=(Incentive(id="credit", name="Credit", kind="tax_credit", technologies=("A",)),),
        actors=(
            Actor(id="science", name="Science", kind="ministry"),
            Actor(
                id="old",
                name="Old finance",
                kind="ministry",
                end=D(2026, 1, 1),
                successors=(
                    Successor(actor="tax", remit="tax", instruments=("taxes",)),
                    Successor(actor="plan", remit="budget", instruments=("budget",)),
                ),
            ),
            Actor(id="tax", name="Tax ministry", kind="ministry", start=D(2026, 1, 2)),
            Actor(id="plan", name="Budget ministry", kind="ministry", start=D(2026, 1, 2)),
        ),
    )


def test_pipeline_resolves_actors_on_a_date_and_counts_incentives() -> None:
    g = _reorganised().graph()
    assert g.pipeline()["M"].ministries == ("science", "old")  # as listed
    assert g.pipeline(on=D(2025, 6, 30))["M"].ministries == ("science", "old")
    # from 2026-01-02: the budget goes to the budget ministry, the tax credit to the tax one
    assert g.pipeline(on=D(2026, 6, 30))["M"].ministries == ("science", "tax", "plan")
    assert g.pipeline(on=D(2026, 6, 30), via_incentives=False)["M"].ministries == (
        "science",
        "plan",
    )
    rows = provenance(g, on=D(2026, 6, 30))
    assert any(r.path == "pipeline" and "old" in r.statement for r in rows)
