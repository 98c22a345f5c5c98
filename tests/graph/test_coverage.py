"""Support, coverage, gaps and linkage on the hand-built ``lab`` portfolio (see conftest)."""

from __future__ import annotations

import datetime as dt

import pytest

from stratpolicy.catalogs import korea
from stratpolicy.errors import SchemaError, UnknownReferenceError, ValidationError
from stratpolicy.graph import (
    CoverageRow,
    MissionGraph,
    coverage,
    gaps,
    linkage,
    linkage_gap,
    technology_support,
)
from stratpolicy.model import Portfolio

# Dates at which different instruments are in force (see conftest):
#   None        I1 I2 I3 I4 I5   (dates ignored)
#   2026-06-01  I1 I3 I4 I5      (I2 starts in 2027)
#   2028-01-01  I2 I4 I5         (I1 and I3 ended in 2026)
MID_2026 = dt.date(2026, 6, 1)
IN_2028 = dt.date(2028, 1, 1)


def test_support_follows_the_definition(lab: MissionGraph) -> None:
    s = {r.technology: r.support for r in technology_support(lab)}
    # directly supported: a1 a2 (I1), B (I2), x (I3), b1 (I4)
    assert s["a1"] == s["a2"] == 1.0
    assert s["a3"] == s["a4"] == 0.0
    assert s["A"] == 2 / 4  # not supported itself: 2 of its 4 key technologies are
    assert s["B"] == 1.0  # supported itself
    assert s["b2"] == 1.0  # through its area B
    assert s["C"] == 0.0  # an area without key technologies, not supported
    assert s["x"] == 1.0
    # in 2026 I2 is not in force: B falls to 1 of 2 key technologies, b2 to 0
    s26 = {r.technology: r.support for r in technology_support(lab, on=MID_2026)}
    assert s26["B"] == 1 / 2
    assert s26["b2"] == 0.0
    row = technology_support(lab)["b2"]
    assert row.instruments == ("I2",)  # via its area
    assert technology_support(lab)["B"].instruments == ("I2", "I4")  # itself and b1


def test_coverage_with_dates_ignored(lab: MissionGraph) -> None:
    cov = coverage(lab)
    # M's requirements: its own (A 1.0, x 0.5), S's (a1 0.4, b1 1.0) and T's (a1 0.8,
    # C 0.2); a1 counts once with its largest weight, 0.8.
    # supports: A 0.5, x 1, a1 1, b1 1, C 0
    m = (1.0 * 0.5 + 0.5 * 1 + 0.8 * 1 + 1.0 * 1 + 0.2 * 0) / (1.0 + 0.5 + 0.8 + 1.0 + 0.2)
    assert cov["M"].coverage == pytest.approx(m)  # 2.8 / 3.5 = 0.8
    assert cov["M"].requirements == 5
    assert cov["M"].gaps == ("C",)
    s = (0.8 * 1 + 1.0 * 1 + 0.2 * 0) / (0.8 + 1.0 + 0.2)  # a1 takes T's weight 0.8
    assert cov["S"].coverage == pytest.approx(s)
    t = (0.8 * 1 + 0.2 * 0) / (0.8 + 0.2)
    assert cov["T"].coverage == pytest.approx(t)
    assert cov["N"].coverage == pytest.approx((0.6 * 1 + 0.3 * 1) / (0.6 + 0.3))
    assert cov["N"].gaps == ()
    assert cov["E"] == CoverageRow(
        mission="E",
        name="E",
        kind="mission",
        parent=None,
        requirements=0,
        coverage=None,
        coverage_with_envelopes=None,
        gaps=(),
        envelope_only=(),
    )
    assert cov.column("mission") == ("M", "S", "T", "N", "E")


def test_coverage_on_a_date(lab: MissionGraph) -> None:
    cov = coverage(lab, on=MID_2026)
    # 2026: B not supported itself, b1 is: B = 1/2, b2 = 0
    assert cov["N"].coverage == pytest.approx((0.6 * (1 / 2) + 0.3 * 0) / (0.6 + 0.3))
    assert cov["N"].gaps == ("b2",)
    assert cov["M"].coverage == pytest.approx(2.8 / 3.5)  # unchanged: M needs neither B nor b2
    cov28 = coverage(lab, on=IN_2028)
    # 2028: only B (I2) and b1 (I4) supported: A 0/4, x 0, a1 0, b1 1, C 0
    assert cov28["M"].coverage == pytest.approx((1.0 * 0 + 1.0 * 1) / 3.5)
    assert cov28["M"].gaps == ("A", "a1", "C", "x")  # portfolio order
    assert cov28["T"].coverage == 0.0


def test_coverage_of_one_mission(lab: MissionGraph) -> None:
    only = lab.coverage("T")
    assert len(only) == 1 and only[0].mission == "T"
    with pytest.raises(KeyError):
        lab.coverage("nope")
    with pytest.raises(KeyError):
        lab.coverage("a1")  # a technology, not a mission


def test_mission_requirements_are_the_terms_of_coverage(lab: MissionGraph) -> None:
    reqs = lab.mission_requirements("M")
    assert {r.technology: r.weight for r in reqs} == {
        "A": 1.0,
        "a1": 0.8,
        "b1": 1.0,
        "C": 0.2,
        "x": 0.5,
    }
    assert reqs["A"].contribution == 1.0 * 0.5
    total = sum(r.contribution for r in reqs) / sum(r.weight for r in reqs)
    assert total == pytest.approx(lab.coverage()["M"].coverage)


def test_gaps_list_unsupported_required_technologies(lab: MissionGraph) -> None:
    table = gaps(lab)
    assert table.column("technology") == ("C",)
    assert table["C"].missions == ("T",)
    assert table["C"].weight == 0.2
    # 2026: b2 (N, weight 0.3) is unsupported too; heavier first
    table = gaps(lab, on=MID_2026)
    assert table.column("technology") == ("b2", "C")
    assert table["b2"].missions == ("N",)
    # 2028: A (M 1.0), a1 (S 0.4 + T 0.8), x (M 0.5), C (T 0.2)
    table = gaps(lab, on=IN_2028)
    assert table.column("technology") == ("a1", "A", "x", "C")
    assert table["a1"].missions == ("S", "T")
    assert table["a1"].weight == pytest.approx(0.4 + 0.8)


def test_linkage_of_the_areas(lab: MissionGraph) -> None:
    table = linkage(lab)  # the areas A, B, C; tax credits; dates ignored
    # A named by credit1 -> 1; B: b1 named (1 of 2 key technologies) -> 1/2; C: none -> 0
    assert [(r.technology, r.support) for r in table] == [("A", 1.0), ("B", 0.5), ("C", 0.0)]
    assert table["B"].incentives == ("credit1",)
    assert linkage_gap(lab).column("technology") == ("C",)
    # grant shares: only C is named
    assert linkage_gap(lab, kind="grant_share").column("technology") == ("A", "B")


def test_linkage_of_a_designation_list_with_dates(lab: MissionGraph) -> None:
    designated = ["a1", "b2", "x"]
    # a1 through its area A (credit1); b2: neither it nor B is named; x: credit2
    assert linkage_gap(lab, designated).column("technology") == ("b2",)
    # in 2026 credit2 (x) has expired
    assert linkage_gap(lab, designated, on=MID_2026).column("technology") == ("b2", "x")
    # in 2024 credit1 has not started, credit2 is in force
    assert linkage_gap(lab, designated, on=dt.date(2024, 6, 1)).column("technology") == (
        "a1",
        "b2",
    )
    with pytest.raises(KeyError):
        linkage(lab, ["nope"])
    with pytest.raises(SchemaError, match="'bribe' is not an incentive kind") as info:
        linkage(lab, kind="bribe")
    assert info.value.problems[0].path == "kind"
    with pytest.raises(SchemaError):
        linkage_gap(lab, kind="bribe")


def test_summit_linkage_gap_shows_the_areas_rsta_credits_miss() -> None:
    graph = korea.summit_2025().graph()
    expected = (
        "next_gen_nuclear",
        "aerospace_marine",
        "cybersecurity",
        "next_gen_communications",
        "advanced_robotics_manufacturing",
        "quantum",
    )
    assert graph.linkage_gap(kind="tax_credit").column("technology") == expected
    on = korea.summit_2025().as_of
    assert graph.linkage_gap(kind="tax_credit", on=on).column("technology") == expected
    # before the RSTA credits for national strategic technologies (2021-07-01) all 12 miss
    assert len(graph.linkage_gap(on=dt.date(2021, 1, 1))) == 12


def test_summit_coverage_counts_targeted_support_not_the_envelope() -> None:
    """The 8.6 trillion KRW strategic-technology R&D names the 12 areas with no split: an
    envelope. Targeted support is the AI budget (the AI area) and the computing center (its
    infrastructure key technology); so, by hand, with the missions' merged requirements:"""
    graph = korea.summit_2025().graph()
    cov = graph.coverage()
    # Lead the AI transformation: AI 1.0 (yes), AI semiconductors 0.5 (no), AI for industry
    # 1.0 (yes), digital twins 0.5 (no), AI infrastructure 0.5 (yes), AI modelling 1.0 (yes),
    # digital health 1.0 (no), gene and cell therapy 0.5 (no)
    assert cov["ai_transformation"].coverage == pytest.approx(3.5 / 6.0)  # 58 %
    # Trade and security: no requirement is an AI technology: nothing targeted
    assert cov["trade_security"].coverage == 0.0
    # Future innovation: quantum 1.0, bio 0.75, hydrogen 0.5, quantum computing 1.0 (no);
    # AI modelling 0.5 (yes, via the AI area)
    assert cov["future_innovation"].coverage == pytest.approx(0.5 / 3.75)  # 13 %
    assert {r.coverage for r in cov} != {1.0}
    # with the envelope counted every requirement has some support, as before
    assert {r.coverage_with_envelopes for r in cov} == {1.0}
    assert cov["trade_security"].envelope_only == cov["trade_security"].gaps
    assert len(graph.gaps()) == 18
    assert {r.status for r in graph.gaps()} == {"envelope_only"}
    assert len(graph.gaps(include_envelopes=True)) == 0
    included = graph.coverage(include_envelopes=True)
    assert {r.coverage for r in included} == {1.0}
    assert all(r.gaps == () for r in included)


def test_summit_gaps_without_the_strategic_rd_investment() -> None:
    summit = korea.summit_2025().remove("nst_rd_investment").graph()
    row = summit.coverage()["quantum_ai_materials"]
    # quantum_computing 1.0 unsupported; advanced_ai_modelling 0.5 supported via AI budget
    assert row.coverage == pytest.approx((1.0 * 0 + 0.5 * 1) / (1.0 + 0.5))
    assert row.coverage_with_envelopes == row.coverage  # no envelope left
    assert row.gaps == ("quantum_computing",) and row.envelope_only == ()
    assert {r.status for r in summit.gaps()} == {"none"}


def test_dependencies_are_checked(lab_portfolio: Portfolio) -> None:
    with pytest.raises(UnknownReferenceError, match=r"dependencies\[0\]\[1\]"):
        MissionGraph(lab_portfolio, dependencies=[("a1", "nope")])
    with pytest.raises(UnknownReferenceError, match="not a technology"):
        MissionGraph(lab_portfolio, dependencies=[("M", "a1")])
    with pytest.raises(ValidationError, match="itself"):
        MissionGraph(lab_portfolio, dependencies=[("a1", "a1")])
    g = MissionGraph(lab_portfolio, dependencies=[("a1", "a3"), ("a1", "a3")])
    assert g.dependencies == (("a1", "a3"),)


def test_empty_portfolio() -> None:
    g = Portfolio(id="empty", name="Empty").graph()
    assert len(g.coverage()) == 0
    assert len(g.gaps()) == 0
    assert len(g.bottlenecks()) == 0
    assert len(g.rank_technologies()) == 0
    assert len(g.overlap()) == 0
    assert len(g.pipeline()) == 0
    assert len(g.linkage_gap()) == 0
    assert g.budget_years() == ()
    assert len(g.funding_flow(2026).totals) == 0


def test_a_key_technology_under_a_key_technology_belongs_to_the_nearest_area() -> None:
    from stratpolicy import Instrument, Mission, Requirement, Support, Technology

    p = Portfolio(
        id="deep",
        name="Deep",
        technologies=(
            Technology(id="A", name="A", kind="area"),
            Technology(id="k", name="k", parent="A"),
            Technology(id="kk", name="kk", parent="k"),  # a sub-key technology
        ),
        missions=(Mission(id="M", name="M", requires=(Requirement(technology="kk"),)),),
        instruments=(
            Instrument(
                id="I", name="I", kind="grants_business_rd", supports=(Support(technology="A"),)
            ),
        ),
    )
    support = technology_support(p.graph())
    assert support["kk"].support == 1.0  # through its nearest area, A
    assert p.graph().coverage()["M"].coverage == 1.0
