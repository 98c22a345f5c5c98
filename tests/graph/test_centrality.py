"""Bottlenecks, PageRank, cut vertices and betweenness on the ``lab`` portfolio."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from stratpolicy.errors import ValidationError
from stratpolicy.graph import MissionGraph, bottlenecks, rank_technologies
from stratpolicy.model import Portfolio
from tests.graph.conftest import LAB_DEPENDENCIES


def test_bottleneck_scores_by_hand(lab: MissionGraph) -> None:
    # Own requirements and what they need through depends_on (a1->a3, a3->x, b1->a3):
    #   M: A, x                     -> {A, x}
    #   S: a1, b1 -> a3 -> x        -> {a1, b1, a3, x}
    #   T: a1, C  -> a3 -> x        -> {a1, C, a3, x}
    #   N: B, b2                    -> {B, b2}
    #   E: nothing
    # x: M S T = 3; a1: S T = 2; a3: S T = 2; A B b1 b2 C: 1 each. Ties in portfolio order.
    table = bottlenecks(lab, None)
    assert [(r.technology, r.score) for r in table] == [
        ("x", 3),
        ("a1", 2),
        ("a3", 2),
        ("A", 1),
        ("B", 1),
        ("b1", 1),
        ("b2", 1),
        ("C", 1),
    ]
    assert table["x"].direct == 1  # only M requires x itself
    assert table["a3"].direct == 0
    assert table["a1"].direct == 2
    # supports (dates ignored): a3 0 (nothing supports it, its area A is not supported
    # itself), C 0; the rest above 0
    assert not table["a3"].supported and not table["C"].supported
    assert table["A"].support == 0.5 and table["A"].supported
    assert bottlenecks(lab, 2).column("technology") == ("x", "a1")


def test_bottleneck_flags_follow_the_date(lab: MissionGraph) -> None:
    table = bottlenecks(lab, None, on=dt.date(2028, 1, 1))  # I1 and I3 have ended
    assert not table["x"].supported
    assert table["x"].score == 3  # scores do not depend on dates


def test_without_dependencies_the_score_is_the_direct_count(lab_portfolio: Portfolio) -> None:
    table = bottlenecks(lab_portfolio.graph(), None)
    for row in table:
        assert row.score == row.direct
    assert table["a1"].score == 2  # S and T


def test_dependency_cycles_terminate(lab_portfolio: Portfolio) -> None:
    g = MissionGraph(lab_portfolio, dependencies=[("x", "a4"), ("a4", "x"), ("b2", "a4")])
    table = bottlenecks(g, None)
    # M needs x -> a4 -> x; N needs b2 -> a4 -> x: both reach x and a4
    assert table["a4"].score == 2
    assert table["x"].score == 2


def test_k_must_not_be_negative(lab: MissionGraph) -> None:
    with pytest.raises(ValidationError, match="must be 0 or more") as info:
        lab.bottlenecks(-1)
    assert info.value.problems[0].path == "k"


def test_pagerank_equals_networkx(lab: MissionGraph, lab_portfolio: Portfolio) -> None:
    # The same graph written out for networkx: missions and technologies, requires edges
    # weighted by the requirement weight, depends_on edges with weight 1.
    g = nx.DiGraph()
    g.add_nodes_from(m.id for m in lab_portfolio.missions)
    g.add_nodes_from(t.id for t in lab_portfolio.technologies)
    for m in lab_portfolio.missions:
        for r in m.requires:
            g.add_edge(m.id, r.technology, weight=r.weight)
    for u, v in LAB_DEPENDENCIES:
        g.add_edge(u, v, weight=1.0)
    expected = nx.pagerank(g, alpha=0.85, weight="weight")
    ranked = rank_technologies(lab)
    assert len(ranked) == len(lab_portfolio.technologies)
    for row in ranked:
        assert row.score == pytest.approx(expected[row.technology], abs=1e-6)
    scores = ranked.column("score")
    assert list(scores) == sorted(scores, reverse=True)
    assert ranked[0].technology == "x"  # everything flows down to x
    assert len(lab.rank_technologies(3)) == 3


def test_cut_vertices_and_betweenness(lab: MissionGraph) -> None:
    # The undirected mission-technology graph:
    #   requires  M-A M-x S-a1 S-b1 T-a1 T-C N-B N-b2   contributes_to  S-M T-S
    #   part_of   a1-A a2-A a3-A a4-A b1-B b2-B         depends_on      a1-a3 a3-x b1-a3
    # A: a2 and a4 hang on it alone. B: N and b2 reach the rest only through B.
    # b1: B, b2 and N reach the rest only through b1. (T is a cut vertex too, for C, but
    # it is a mission.)
    assert lab.cut_vertices() == ("A", "B", "b1")
    top = lab.betweenness(3)
    assert len(top) == 3
    assert all(0.0 <= r.betweenness <= 1.0 for r in top)
    approx = lab.betweenness(samples=5, seed=1)
    assert len(approx) == len(lab.portfolio.technologies)


def test_model_depends_on_feeds_bottlenecks() -> None:
    """A technology's own ``depends_on`` counts like an extra dependency edge.

    m1 requires a, m2 requires b; b depends on a. a's score: m1 (directly) and m2 (through
    b) = 2; b's score: m2 = 1.
    """
    from stratpolicy import Mission, Portfolio, Requirement, Technology

    p = Portfolio(
        id="d",
        name="D",
        technologies=(
            Technology(id="a", name="A", kind="area"),
            Technology(id="b", name="B", kind="area", depends_on=("a",)),
        ),
        missions=(
            Mission(id="m1", name="M1", requires=(Requirement(technology="a"),)),
            Mission(id="m2", name="M2", requires=(Requirement(technology="b"),)),
        ),
    )
    graph = p.graph()
    assert graph is p.graph()  # built once per portfolio
    assert graph.dependencies == (("b", "a"),)
    scores = {row.technology: row.score for row in graph.bottlenecks(k=2)}
    assert scores == {"a": 2, "b": 1}
