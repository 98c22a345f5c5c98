"""Small hand-built portfolios whose analyses the tests work out by hand.

``lab`` (coverage, gaps, bottlenecks, pipeline, linkage)::

    technologies  A (area: a1 a2 a3 a4)   B (area: b1 b2)   C (area, no key technologies)
                  x (key technology without an area)
    missions      M requires A 1.0, x 0.5
                  └ S (sub-mission) requires a1 0.4, b1 1.0
                    └ T (challenge) requires a1 0.8, C 0.2
                  N requires B 0.6, b2 0.3
                  E requires nothing
    instruments   I1 supports a1, a2 (0.5 each)  2024-01-01..2026-12-31   msit
                  I2 supports B           from 2027-01-01          motie
                  I3 supports x           until 2026-12-31         kisa (agency), motie
                  I4 supports b1          always                   msit
                  I5 serves N (no support)                         mof
    incentives    credit1 tax_credit  A, b1   from 2025-01-01
                  credit2 tax_credit  x       until 2024-12-31
                  grant1  grant_share C
    dependencies  a1 -> a3, a3 -> x, b1 -> a3   (technology depends on technology)
"""

from __future__ import annotations

import datetime as dt

import pytest

from stratpolicy import (
    Actor,
    BudgetEntry,
    Incentive,
    Instrument,
    Mission,
    Portfolio,
    Requirement,
    Support,
    Technology,
)
from stratpolicy.graph import MissionGraph
from stratpolicy.units import money

D = dt.date


def area(id: str) -> Technology:
    return Technology(id=id, name=id.upper(), kind="area")


def key(id: str, parent: str | None = None) -> Technology:
    return Technology(id=id, name=id.upper(), kind="key_technology", parent=parent)


def req(tech: str, weight: float) -> Requirement:
    return Requirement(technology=tech, weight=weight)


ACTORS = (
    Actor(id="msit", name="MSIT", kind="ministry"),
    Actor(id="motie", name="MOTIE", kind="ministry"),
    Actor(id="mof", name="MOF", kind="ministry"),
    Actor(id="kisa", name="KISA", kind="agency", parent="msit"),
)

LAB_DEPENDENCIES = [("a1", "a3"), ("a3", "x"), ("b1", "a3")]


@pytest.fixture
def lab_portfolio() -> Portfolio:
    return Portfolio(
        id="lab",
        name="Lab",
        technologies=(
            area("A"),
            key("a1", "A"),
            key("a2", "A"),
            key("a3", "A"),
            key("a4", "A"),
            area("B"),
            key("b1", "B"),
            key("b2", "B"),
            area("C"),
            key("x"),
        ),
        missions=(
            Mission(id="M", name="M", requires=(req("A", 1.0), req("x", 0.5))),
            Mission(
                id="S",
                name="S",
                kind="sub_mission",
                parent="M",
                requires=(req("a1", 0.4), req("b1", 1.0)),
            ),
            Mission(
                id="T",
                name="T",
                kind="challenge",
                parent="S",
                requires=(req("a1", 0.8), req("C", 0.2)),
            ),
            Mission(id="N", name="N", requires=(req("B", 0.6), req("b2", 0.3))),
            Mission(id="E", name="E"),
        ),
        instruments=(
            Instrument(
                id="I1",
                name="I1",
                kind="grants_business_rd",
                supports=(
                    Support(technology="a1", share=0.5),
                    Support(technology="a2", share=0.5),
                ),
                administered_by=("msit",),
                start=D(2024, 1, 1),
                end=D(2026, 12, 31),
            ),
            Instrument(
                id="I2",
                name="I2",
                kind="grants_business_rd",
                supports=(Support(technology="B"),),
                administered_by=("motie",),
                start=D(2027, 1, 1),
            ),
            Instrument(
                id="I3",
                name="I3",
                kind="procurement_rd",
                supports=(Support(technology="x"),),
                administered_by=("kisa", "motie"),
                end=D(2026, 12, 31),
                incentives=("credit1", "credit2"),
            ),
            Instrument(
                id="I4",
                name="I4",
                kind="project_grants_public_research",
                supports=(Support(technology="b1"),),
                administered_by=("msit",),
            ),
            Instrument(
                id="I5",
                name="I5",
                kind="policy_intelligence",
                missions=("N",),
                administered_by=("mof",),
                incentives=("grant1",),
            ),
        ),
        incentives=(
            Incentive(
                id="credit1",
                name="credit1",
                kind="tax_credit",
                technologies=("A", "b1"),
                start=D(2025, 1, 1),
            ),
            Incentive(
                id="credit2",
                name="credit2",
                kind="tax_credit",
                technologies=("x",),
                end=D(2024, 12, 31),
            ),
            Incentive(id="grant1", name="grant1", kind="grant_share", technologies=("C",)),
        ),
        actors=ACTORS,
    )


@pytest.fixture
def lab(lab_portfolio: Portfolio) -> MissionGraph:
    return MissionGraph(lab_portfolio, dependencies=LAB_DEPENDENCIES)


# -- money --------------------------------------------------------------------------------
#
#   technologies  A (area: a1 a2), B (area, no key technologies), z (no area)
#   missions      M requires A 1.0
#                 └ S requires a1 0.5
#                 N requires a1 1.0, z 0.25
#   instruments (2026)
#       P  1,234,567,891 KRW  supports a1 (share 0.3), a2 (0.35), z (0.35)
#       Q    234,567,890 KRW  part_of P; supports A (no share)
#       R     50,000,001 KRW  supports B (share 0.6)
#       U             10 USD  supports z
#       V     70,000,003 KRW  supports nothing; in force from 2027-01-01


P_BUDGET = 1_234_567_891
Q_BUDGET = 234_567_890
R_BUDGET = 50_000_001
V_BUDGET = 70_000_003


def budget(amount: float, currency: str = "KRW", year: int = 2026) -> BudgetEntry:
    return BudgetEntry(year=year, amount=money(amount, currency))


@pytest.fixture
def money_portfolio() -> Portfolio:
    return Portfolio(
        id="money",
        name="Money",
        technologies=(area("A"), key("a1", "A"), key("a2", "A"), area("B"), key("z")),
        missions=(
            Mission(id="M", name="M", requires=(req("A", 1.0),)),
            Mission(id="S", name="S", kind="sub_mission", parent="M", requires=(req("a1", 0.5),)),
            Mission(id="N", name="N", requires=(req("a1", 1.0), req("z", 0.25))),
        ),
        instruments=(
            Instrument(
                id="P",
                name="P",
                kind="grants_business_rd",
                budget=(budget(P_BUDGET), budget(5, year=2025)),
                supports=(
                    Support(technology="a1", share=0.3),
                    Support(technology="a2", share=0.35),
                    Support(technology="z", share=0.35),
                ),
            ),
            Instrument(
                id="Q",
                name="Q",
                kind="grants_business_rd",
                budget=(budget(Q_BUDGET),),
                supports=(Support(technology="A"),),
                part_of="P",
            ),
            Instrument(
                id="R",
                name="R",
                kind="grants_business_rd",
                budget=(budget(R_BUDGET),),
                supports=(Support(technology="B", share=0.6),),
            ),
            Instrument(
                id="U",
                name="U",
                kind="grants_business_rd",
                budget=(budget(10, "USD"),),
                supports=(Support(technology="z"),),
            ),
            Instrument(
                id="V",
                name="V",
                kind="grants_business_rd",
                budget=(budget(V_BUDGET),),
                start=D(2027, 1, 1),
            ),
        ),
    )


# -- overlap ------------------------------------------------------------------------------
#
#   technologies  A (area: a1 a2 a3), B (area: b1 b2), C (area, no key technologies), k
#   instruments   O1 supports A          msit        (supports without shares: overlap
#                 O2 supports a1, a2     motie        counts envelopes and targeted alike)
#                 O3 supports a1, b1     msit, motie
#                 O4 supports B          kisa (agency)
#                 O5 supports C, k       msit
#                 O6 supports C          motie
#                 O7 supports a1 a2 a3   msit          from 2030-01-01


@pytest.fixture
def overlap_graph() -> MissionGraph:
    def inst(id: str, techs: tuple[str, ...], actors: tuple[str, ...], **kw: object) -> Instrument:
        return Instrument(
            id=id,
            name=id,
            kind="grants_business_rd",
            supports=tuple(Support(technology=t) for t in techs),
            administered_by=actors,
            **kw,  # type: ignore[arg-type]
        )

    portfolio = Portfolio(
        id="overlap",
        name="Overlap",
        technologies=(
            area("A"),
            key("a1", "A"),
            key("a2", "A"),
            key("a3", "A"),
            area("B"),
            key("b1", "B"),
            key("b2", "B"),
            area("C"),
            key("k"),
        ),
        instruments=(
            inst("O1", ("A",), ("msit",)),
            inst("O2", ("a1", "a2"), ("motie",)),
            inst("O3", ("a1", "b1"), ("msit", "motie")),
            inst("O4", ("B",), ("kisa",)),
            inst("O5", ("C", "k"), ("msit",)),
            inst("O6", ("C",), ("motie",)),
            inst("O7", ("a1", "a2", "a3"), ("msit",), start=D(2030, 1, 1)),
        ),
        actors=ACTORS,
    )
    return portfolio.graph()
