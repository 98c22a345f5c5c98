"""Bottlenecks, PageRank, cut vertices and betweenness of technologies."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np

from stratpolicy.errors import Problem, StratpolicyError, ValidationError
from stratpolicy.graph._index import binary, csr
from stratpolicy.graph._rows import STATUSES, BottleneckRow, CentralityRow, RankRow
from stratpolicy.graph._table import Coded, Table

if TYPE_CHECKING:
    from stratpolicy.graph._graph import MissionGraph
    from stratpolicy.graph._index import Index, IntArray

__all__ = ["betweenness", "bottleneck_scores", "bottlenecks", "cut_vertices", "rank_technologies"]


def _needs(ix: Index) -> Any:
    """Missions x technologies: 1 where a mission needs a technology (see :func:`bottlenecks`).

    A breadth-first search on the CSR matrices, one frontier for all missions at once.
    """
    reached = binary(ix.R)
    frontier = reached
    d = ix.D
    while frontier.nnz:
        step = binary(frontier @ d)
        new = step - step.multiply(reached)
        new.eliminate_zeros()
        if not new.nnz:
            break
        reached = reached + new
        frontier = new
    return reached


def bottleneck_scores(graph: MissionGraph) -> IntArray:
    """The bottleneck score of every technology, in portfolio order (see :func:`bottlenecks`).

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> int(bottleneck_scores(g)[g._index.tech_pos["quantum"]])
        1
    """
    ix = graph._index
    needs = _needs(ix)
    return np.bincount(needs.indices, minlength=ix.n_tech).astype(np.int64)


def bottlenecks(
    graph: MissionGraph,
    k: int | None = 10,
    *,
    on: dt.date | None = None,
    include_envelopes: bool = False,
) -> Table[BottleneckRow]:
    """The technologies the most missions depend on, the unsupported ones flagged.

    The bottleneck score of a technology is the number of missions (core missions,
    sub-missions and challenges alike, each counted once) that require it directly or
    require a technology that depends on it, transitively, through the graph's
    ``depends_on`` edges. A mission's requirements here are its own, not its sub-missions'.
    Technologies with the same score share a ``rank`` (a tie: 1, 2, 2, 4...); the first
    ``k`` rows may cut a tie, which the ranks show.

    Args:
        graph: The mission graph.
        k: How many to return; ``None`` for every technology with a score above 0.
        on: The date for the support flags; ``None`` counts every support.
        include_envelopes: Count envelope supports in the support flags (see
            :func:`~stratpolicy.graph.technology_support`); by default only targeted
            support counts, and ``status`` tells envelope-only support apart.

    Returns:
        Rows sorted by score (highest first), then portfolio order; keyed by technology.

    Raises:
        ValidationError: ``k`` is negative.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> top = bottlenecks(korea.summit_2025().graph(), 2)
        >>> [(r.technology, r.score, r.rank, r.status) for r in top]
        [('advanced_ai_modelling_and_decision_making', 2, 1, 'targeted'),
         ('semiconductors_displays', 1, 2, 'envelope_only')]
    """
    if k is not None and k < 0:
        raise ValidationError([Problem("k", f"must be 0 or more, got {k}")])
    ix = graph._index
    score = bottleneck_scores(graph)
    direct = np.diff(ix.R.tocsc().indptr).astype(np.int64)
    targeted, everything = ix.support_pair(on)
    support = everything if include_envelopes else targeted
    status = np.where(targeted > 0, 0, np.where(everything > 0, 1, 2)).astype(np.int64)
    pick = np.flatnonzero(score > 0)
    order = pick[np.lexsort((pick, -score[pick]))]
    # competition ranking: 1 + the number of technologies with a higher score
    ranked = np.sort(score[pick])[::-1]
    rank = 1 + np.searchsorted(-ranked, -score[order], side="left")
    if k is not None:
        order, rank = order[:k], rank[:k]
    return Table(
        BottleneckRow,
        {
            "technology": Coded(order, ix.tech_ids),
            "name": Coded(order, ix.tech_names),
            "kind": Coded(order, ix.tech_kind),
            "score": score[order],
            "direct": direct[order],
            "support": support[order],
            "supported": support[order] > 0,
            "status": Coded(status[order], STATUSES),
            "rank": rank.astype(np.int64),
        },
        key="technology",
    )


def rank_technologies(
    graph: MissionGraph,
    k: int | None = None,
    *,
    alpha: float = 0.85,
    tol: float = 1.0e-6,
    max_iter: int = 100,
) -> Table[RankRow]:
    """Technologies ranked by PageRank over the requirement and dependency edges.

    The graph has every mission and technology as a node, an edge from a mission to each
    technology it requires (weighted by the requirement weight) and an edge from a
    technology to each technology it depends on (weight 1). PageRank is computed by power
    iteration on the CSR matrix exactly as ``networkx.pagerank`` does (uniform teleport,
    dangling nodes spread uniformly, stop when the L1 change is below ``N * tol``).

    Args:
        graph: The mission graph.
        k: How many to return; ``None`` for all technologies.
        alpha: Damping factor.
        tol: Convergence tolerance (per node).
        max_iter: Most iterations before giving up.

    Raises:
        StratpolicyError: The iteration did not converge in ``max_iter`` steps.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> rank_technologies(korea.summit_2025().graph(), 1)[0].technology
        'advanced_ai_modelling_and_decision_making'
    """
    ix = graph._index
    nm, nt = ix.n_mission, ix.n_tech
    n = nm + nt
    if n == 0:
        return Table(RankRow, {"technology": [], "name": [], "kind": [], "score": []})
    r = ix.R.tocoo()
    d = ix.D.tocoo()
    rows = np.concatenate([r.row.astype(np.int64), d.row.astype(np.int64) + nm])
    cols = np.concatenate([r.col.astype(np.int64) + nm, d.col.astype(np.int64) + nm])
    data = np.concatenate([r.data, d.data])
    w = csr(rows, cols, (n, n), data)
    out = np.asarray(w.sum(axis=1)).ravel()
    dangling = out == 0
    scale = np.divide(1.0, out, out=np.zeros(n), where=~dangling)
    pt = (w.multiply(scale[:, None])).T.tocsr()
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * (pt @ x + last[dangling].sum() / n) + (1.0 - alpha) / n
        if np.abs(x - last).sum() < n * tol:
            break
    else:
        raise StratpolicyError(f"PageRank did not converge in {max_iter} iterations")
    score = x[nm:]
    order = np.lexsort((np.arange(nt), -score))
    if k is not None:
        order = order[:k]
    return Table(
        RankRow,
        {
            "technology": Coded(order, ix.tech_ids),
            "name": Coded(order, ix.tech_names),
            "kind": Coded(order, ix.tech_kind),
            "score": score[order],
        },
        key="technology",
    )


def _mission_technology_graph(graph: MissionGraph) -> Any:
    """The undirected networkx graph of missions and technologies.

    Edges: ``requires``, ``contributes_to``, ``depends_on`` and ``part_of``.
    """
    import networkx as nx

    ix = graph._index
    g = nx.Graph()
    g.add_nodes_from(ix.mission_ids)
    g.add_nodes_from(ix.tech_ids)
    r = ix.R.tocoo()
    g.add_edges_from(
        zip(
            (ix.mission_ids[i] for i in r.row.tolist()),
            (ix.tech_ids[j] for j in r.col.tolist()),
            strict=True,
        )
    )
    d = ix.D.tocoo()
    g.add_edges_from(
        zip(
            (ix.tech_ids[i] for i in d.row.tolist()),
            (ix.tech_ids[j] for j in d.col.tolist()),
            strict=True,
        )
    )
    for i, p in enumerate(ix.mission_parent.tolist()):
        if p >= 0:
            g.add_edge(ix.mission_ids[i], ix.mission_ids[p])
    for i, a in enumerate(ix.area_of.tolist()):
        if a >= 0:
            g.add_edge(ix.tech_ids[i], ix.tech_ids[a])
    return g


def cut_vertices(graph: MissionGraph) -> tuple[str, ...]:
    """The technologies whose removal splits the mission–technology graph.

    The graph is undirected, with the missions and technologies as nodes and the
    ``requires``, ``contributes_to``, ``depends_on`` and ``part_of`` edges. A cut vertex
    (articulation point) is a single point of failure: some missions or technologies
    connect to the rest only through it. Uses networkx (linear time, in Python): fine for
    portfolios of thousands of nodes.

    Returns:
        Technology ids, in portfolio order.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> "artificial_intelligence" in cut_vertices(korea.summit_2025().graph())
        True
    """
    import networkx as nx

    points = set(nx.articulation_points(_mission_technology_graph(graph)))
    return tuple(t for t in graph._index.tech_ids if t in points)


def betweenness(
    graph: MissionGraph, k: int | None = None, *, samples: int | None = None, seed: int = 0
) -> Table[CentralityRow]:
    """Technologies ranked by betweenness centrality in the mission–technology graph.

    The graph is that of :func:`cut_vertices`. Uses ``networkx.betweenness_centrality``
    (normalised); it costs O(nodes x edges), so pass ``samples`` (pivot nodes, drawn with
    ``seed``) to approximate it on large portfolios.

    Args:
        graph: The mission graph.
        k: How many to return; ``None`` for all technologies.
        samples: Number of pivot nodes for an approximation; ``None`` for the exact value.
        seed: Seed for drawing the pivots.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> betweenness(korea.summit_2025().graph(), 1)[0].technology
        'semiconductors_displays'
    """
    import networkx as nx

    ix = graph._index
    g = _mission_technology_graph(graph)
    values = nx.betweenness_centrality(g, k=samples, seed=seed, normalized=True)
    score = np.asarray([values[t] for t in ix.tech_ids], dtype=np.float64)
    order = np.lexsort((np.arange(ix.n_tech), -score))
    if k is not None:
        order = order[:k]
    return Table(
        CentralityRow,
        {
            "technology": Coded(order, ix.tech_ids),
            "name": Coded(order, ix.tech_names),
            "betweenness": score[order],
        },
        key="technology",
    )
