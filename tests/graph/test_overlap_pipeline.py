"""Overlap on the ``overlap`` portfolio and the pipeline on ``lab`` (see conftest)."""

from __future__ import annotations

import datetime as dt

import pytest

from stratpolicy.catalogs import korea
from stratpolicy.errors import ValidationError
from stratpolicy.graph import MissionGraph, overlap, pipeline

# Key-technology sets (an area expands to its key technologies; C has none, so counts as C):
#   O1 {a1 a2 a3}  msit        O2 {a1 a2}  motie        O3 {a1 b1}  msit motie
#   O4 {b1 b2}     (agency)    O5 {C k}    msit         O6 {C}      motie
#   O7 {a1 a2 a3}  msit, from 2030
# Jaccard of the pairs that share something:
#   O1-O7 3/3  O1-O2 2/3  O2-O7 2/3  O5-O6 1/2  O2-O3 1/3  O3-O4 1/3  O1-O3 1/4  O3-O7 1/4


def _pairs(table: object) -> list[tuple[str, str, int, int, bool]]:
    return [
        (r.instrument_a, r.instrument_b, r.shared, r.union, r.cross_ministry)
        for r in table  # type: ignore[attr-defined]
    ]


def test_overlap_by_hand(overlap_graph: MissionGraph) -> None:
    table = overlap(overlap_graph, 0.5)
    assert _pairs(table) == [
        ("O1", "O7", 3, 3, False),  # both msit
        ("O1", "O2", 2, 3, True),  # msit vs motie, no ministry runs both
        ("O2", "O7", 2, 3, True),
        ("O5", "O6", 1, 2, True),
    ]
    assert table[1].jaccard == pytest.approx(2 / 3)
    assert table[1].ministries_a == ("msit",) and table[1].ministries_b == ("motie",)


def test_overlap_lower_threshold_and_dates(overlap_graph: MissionGraph) -> None:
    table = overlap(overlap_graph, 0.3, on=dt.date(2026, 1, 1))  # O7 not yet in force
    assert _pairs(table) == [
        ("O1", "O2", 2, 3, True),
        ("O5", "O6", 1, 2, True),
        ("O2", "O3", 1, 3, False),  # motie runs both
        ("O3", "O4", 1, 3, False),  # O4 is run by an agency, not a ministry
    ]
    assert table[3].ministries_b == ()
    everything = overlap(overlap_graph, 0.25)
    assert len(everything) == 8
    assert overlap(overlap_graph, 1.0).column("instrument_b") == ("O7",)


def test_overlap_threshold_is_checked(overlap_graph: MissionGraph) -> None:
    for bad in (0.0, -0.1, 1.5):
        with pytest.raises(ValidationError, match="must be in"):
            overlap(overlap_graph, bad)


# Pipeline on lab. An instrument reaches the missions requiring a technology related to
# one it supports (itself, its area, or an area's key technologies), and their parents;
# or the missions it lists.
#   I1 a1 a2 -> related a1 a2 A   -> M (A), S (a1), T (a1)      msit
#   I2 B     -> related B b1 b2   -> S (b1), N (B, b2) (+M)      motie
#   I3 x                          -> M                          kisa, motie
#   I4 b1    -> related b1 B      -> S (b1), N (B) (+M)          msit
#   I5 lists N                    -> N                          mof


def test_pipeline_by_hand(lab: MissionGraph) -> None:
    table = pipeline(lab, via_incentives=False)
    assert table["M"].instruments == ("I1", "I2", "I3", "I4")
    assert table["M"].actors == ("msit", "motie", "kisa")  # in portfolio order
    assert table["M"].ministries == ("msit", "motie")
    assert not table["M"].single_ministry
    assert table["S"].instruments == ("I1", "I2", "I4")
    assert table["T"].instruments == ("I1",)
    assert table["T"].ministries == ("msit",) and table["T"].single_ministry
    assert table["N"].instruments == ("I2", "I4", "I5")
    assert table["N"].ministries == ("msit", "motie", "mof")
    assert table["E"].instruments == () and not table["E"].single_ministry


def test_pipeline_on_a_date(lab: MissionGraph) -> None:
    table = pipeline(lab, on=dt.date(2026, 6, 1), via_incentives=False)  # I2 not yet in force
    assert table["S"].instruments == ("I1", "I4")
    assert table["S"].single_ministry  # msit alone
    assert table["N"].ministries == ("msit", "mof")


def test_pipeline_via_incentives(lab: MissionGraph) -> None:
    # I5 offers grant1 (C) -> T requires C -> T and its parents S, M
    table = pipeline(lab)  # incentives count by default
    assert table["T"].instruments == ("I1", "I3", "I5")  # I3 offers credit1 (A, b1)
    assert table["T"].ministries == ("msit", "motie", "mof")
    # on 2026-06-01 credit1 (from 2025) is in force, credit2 (x, until 2024) is not
    dated = pipeline(lab, on=dt.date(2026, 6, 1))
    assert dated["T"].instruments == ("I1", "I3", "I5")


def test_summit_pipeline() -> None:
    graph = korea.summit_2025().graph()
    table = graph.pipeline(via_incentives=False)
    assert table["trade_security"].instruments == ("nst_rd_investment", "early_warning_system")
    assert table["trade_security"].ministries == ("msit",)
    # the AI budget is run by MSIT, MOTIE and MSS (their shares of the enacted AI budget)
    assert table["ai_transformation"].ministries == ("msit", "motie", "mss")
    with_credits = graph.pipeline()
    # the RSTA credits (MOEF) apply to semiconductors, batteries, bio, hydrogen, mobility, AI
    assert with_credits["trade_security"].ministries == ("msit", "moef")
    assert not any(r.single_ministry for r in with_credits)
    # kr_government_reorg_2026.yaml: from 2026-01-02 tax belongs to 재정경제부 (mofe_2026)
    after = graph.pipeline(on=dt.date(2026, 3, 13))
    assert after["trade_security"].ministries == ("msit", "mofe_2026")
    before = graph.pipeline(on=dt.date(2025, 12, 31))
    assert before["trade_security"].ministries == ("msit", "moef")
