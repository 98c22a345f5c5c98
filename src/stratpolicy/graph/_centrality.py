"""Bottlenecks, PageRank, cut vertices and betweenness of technologies."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from stratpolicy.errors import Problem, StratpolicyError, ValidationError
from stratpolicy.graph._index import csr_unique
from stratpolicy.graph._rows import STATUSES, BottleneckRow, CentralityRow, RankRow
from stratpolicy.graph._table import Coded, Table

if TYPE_CHECKING:
    from stratpolicy.graph._graph import MissionGraph
    from stratpolicy.graph._index import FloatArray, IntArray

__all__ = ["betweenness", "bottleneck_scores", "bottlenecks", "cut_vertices", "rank_technologies"]


def _spans(starts: Any, counts: Any) -> Any:
    """The positions ``starts[i] .. starts[i] + counts[i]`` of every span, concatenated."""
    counts = counts.astype(np.int64)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.cumsum(counts) - counts
    return np.repeat(starts.astype(np.int64) - offsets, counts) + np.arange(total)


def _gather(indptr: Any, indices: Any, rows: Any) -> tuple[Any, Any]:
    """The concatenated CSR rows ``rows`` of a pattern, and each row's length."""
    starts = indptr[rows]
    counts = indptr[rows + 1] - starts
    return indices[_spans(starts, counts)], counts


class _Sets:
    """Sets of missions stored as spans of one growing array; spans may be shared."""

    def __init__(self, first: Any, indptr: Any) -> None:
        self.store = first.astype(np.int32)
        self.size = len(self.store)
        self.start = indptr[:-1].astype(np.int64)
        self.length = np.diff(indptr).astype(np.int64)

    def merge(self, nodes: Any, sources: Any, owners: Any, n_missions: int) -> None:
        """Set each of ``nodes`` to the union of the sets of its ``sources``.

        ``owners[k]`` is the index into ``nodes`` of the node ``sources[k]`` feeds.
        """
        members = self.store[_spans(self.start[sources], self.length[sources])]
        who = np.repeat(owners.astype(np.int64), self.length[sources])
        key = who * n_missions + members
        key.sort()  # sort and drop repeats: sequential, cheaper than a hashed unique here
        if len(key) > 1:
            key = key[np.concatenate(([True], key[1:] != key[:-1]))]
        counts = np.bincount(key // n_missions, minlength=len(nodes))
        end = self.size + len(key)
        if end > len(self.store):
            grown = np.empty(max(end, 2 * len(self.store)), dtype=np.int32)
            grown[: self.size] = self.store[: self.size]
            self.store = grown
        self.store[self.size : end] = key % n_missions
        self.start[nodes] = self.size + np.cumsum(counts) - counts
        self.length[nodes] = counts
        self.size = end


def mission_reach_counts(requires: Any, depends_on: Any) -> IntArray:
    """Per technology, how many missions reach it (see :func:`bottlenecks`).

    A mission reaches the technologies it requires and, transitively, those they depend on
    (``depends_on[u, v] = 1``: ``u`` depends on ``v``). Linear in the size of the answer:

    1. the strongly connected components of ``depends_on`` are condensed (scipy's
       compiled traversal), so every technology of a cycle has the one set of missions of
       its component and the condensed graph is acyclic;
    2. components are taken in topological order, a level of sources at a time (Kahn's
       algorithm: each edge is visited once); a component's set of missions is the union
       of its own requirers and its predecessors' sets, all final by then;
    3. a component with a single contributing set shares it (no copy); only a component
       where two or more sets meet merges and stores a new one.

    The level-synchronous search this replaces advanced every mission one level at a time
    and re-walked the whole reached matrix per level (its cost grew with levels x reach).

    Args:
        requires: Missions x technologies (any positive weights).
        depends_on: Technologies x technologies (0/1).

    Returns:
        One count per technology.
    """
    from scipy.sparse.csgraph import connected_components

    nm, nt = requires.shape
    if nm == 0 or nt == 0:
        return np.zeros(nt, dtype=np.int64)
    own = requires.T.tocsr()  # technologies x missions: who requires each, sorted
    own.sort_indices()
    d = depends_on
    label: Any = None
    nc = nt
    if d.nnz:
        nc, label = connected_components(d, directed=True, connection="strong")
        if nc == nt:
            label = None
    if label is not None:
        # condense: one node per component, the union of its technologies' requirers
        oc = own.tocoo()
        key = np.unique(label[oc.row].astype(np.int64) * nm + oc.col)
        own = csr_unique(key // nm, key % nm, (nc, nm))
        dc = d.tocoo()
        u, v = label[dc.row].astype(np.int64), label[dc.col].astype(np.int64)
        cross = u != v
        key = np.unique(u[cross] * nc + v[cross])
        d = csr_unique(key // nc, key % nc, (nc, nc))
    preds = d.T.tocsr()
    sets = _Sets(own.indices, own.indptr)  # each component's own requirers to start
    length = sets.length
    remaining = np.diff(preds.indptr).astype(np.int64)  # predecessors not yet final
    level = np.flatnonzero(remaining == 0)
    while len(level):
        p_nodes, p_counts = _gather(preds.indptr, preds.indices, level)
        if len(p_nodes):
            p_owner = np.repeat(np.arange(len(level)), p_counts)
            has = length[p_nodes] > 0
            p_nodes, p_owner = p_nodes[has], p_owner[has]
            mine = length[level] > 0
            n_sets = np.bincount(p_owner, minlength=len(level)) + mine
            # a single contributing set is shared (an own set is in place already)
            lone = n_sets[p_owner] == 1
            to, frm = level[p_owner[lone]], p_nodes[lone]
            sets.start[to] = sets.start[frm]
            length[to] = length[frm]
            merge = n_sets[p_owner] > 1
            if merge.any():
                local = np.flatnonzero(n_sets > 1)
                slot = np.full(len(level), -1, dtype=np.int64)
                slot[local] = np.arange(len(local))
                own_too = local[mine[local]]
                sources = np.concatenate([level[own_too], p_nodes[merge]])
                owners = np.concatenate([slot[own_too], slot[p_owner[merge]]])
                sets.merge(level[local], sources, owners, nm)
        succ, _ = _gather(d.indptr, d.indices, level)
        if not len(succ):
            break
        np.subtract.at(remaining, succ, 1)
        level = np.unique(succ[remaining[succ] == 0])
    counts: IntArray = length if label is None else length[label]
    return counts


def bottleneck_scores(graph: MissionGraph) -> IntArray:
    """The bottleneck score of every technology, in portfolio order (see :func:`bottlenecks`).

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> int(bottleneck_scores(g)[g.index.position("technology", "quantum")])
        1
    """
    ix = graph.index
    return mission_reach_counts(ix.requires, ix.depends_on)


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
    ix = graph.index
    score = bottleneck_scores(graph)
    direct = np.diff(ix.requires.tocsc().indptr).astype(np.int64)
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
            "technology": Coded(order, ix.technology_ids),
            "name": Coded(order, ix.technology_names),
            "kind": Coded(order, ix.technology_kinds),
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
    ix = graph.index
    nm, nt = ix.n_missions, ix.n_technologies
    n = nm + nt
    if n == 0:
        return Table(RankRow, {"technology": [], "name": [], "kind": [], "score": []})
    _, score = _pagerank(ix.requires, ix.depends_on, alpha, tol, max_iter)
    order = _top(score, k)
    return Table(
        RankRow,
        {
            "technology": Coded(order, ix.technology_ids),
            "name": Coded(order, ix.technology_names),
            "kind": Coded(order, ix.technology_kinds),
            "score": score[order],
        },
        key="technology",
    )


def _pagerank(
    requires: Any, depends_on: Any, alpha: float, tol: float, max_iter: int
) -> tuple[FloatArray, FloatArray]:
    """PageRank of missions then technologies; returns all scores and the technologies'.

    The weighted adjacency (missions then technologies) is stacked from the two CSR
    arrays without a sort; its transpose is the same arrays read as CSC, converted once.
    """
    nm, nt = requires.shape
    n = nm + nt
    indptr = np.concatenate(
        [requires.indptr.astype(np.int64), depends_on.indptr[1:].astype(np.int64) + requires.nnz]
    )
    dtype = np.int32 if max(n, int(indptr[-1])) < np.iinfo(np.int32).max else np.int64
    indices: Any = np.concatenate([requires.indices, depends_on.indices]).astype(dtype)
    indices += nm
    data = np.concatenate([requires.data, depends_on.data])
    w = sp.csr_array((data, indices, indptr.astype(dtype)), shape=(n, n))
    out = np.asarray(w.sum(axis=1)).ravel()
    dangling = np.flatnonzero(out == 0)
    scale = np.divide(1.0, out, out=np.zeros(n), where=out != 0)
    w.data = w.data * np.repeat(scale, np.diff(w.indptr))
    pt = sp.csc_array((w.data, w.indices, w.indptr), shape=(n, n)).tocsr()
    x = np.full(n, 1.0 / n)
    teleport = (1.0 - alpha) / n
    limit = n * tol
    for _ in range(max_iter):
        last = x
        x = pt @ last
        x += last[dangling].sum() / n
        x *= alpha
        x += teleport
        if np.abs(x - last).sum() < limit:
            break
    else:
        raise StratpolicyError(f"PageRank did not converge in {max_iter} iterations")
    return x, x[nm:]


def _top(score: FloatArray, k: int | None) -> IntArray:
    """Positions by score, highest first, ties in position order; only the first ``k``."""
    n = len(score)
    if k is None or k >= n or k < 0:
        return np.argsort(-score, kind="stable").astype(np.int64)[:k]
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    cut = np.partition(score, n - k)[n - k]  # the k-th largest score
    pick = np.flatnonzero(score >= cut)  # every tie at the cut, in position order
    return pick[np.argsort(-score[pick], kind="stable")][:k].astype(np.int64)


def _mission_technology_graph(graph: MissionGraph) -> Any:
    """The undirected networkx graph of missions and technologies.

    Edges: ``requires``, ``contributes_to``, ``depends_on`` and ``part_of``.
    """
    import networkx as nx

    ix = graph.index
    g = nx.Graph()
    g.add_nodes_from(ix.mission_ids)
    g.add_nodes_from(ix.technology_ids)
    r = ix.requires.tocoo()
    g.add_edges_from(
        zip(
            (ix.mission_ids[i] for i in r.row.tolist()),
            (ix.technology_ids[j] for j in r.col.tolist()),
            strict=True,
        )
    )
    d = ix.depends_on.tocoo()
    g.add_edges_from(
        zip(
            (ix.technology_ids[i] for i in d.row.tolist()),
            (ix.technology_ids[j] for j in d.col.tolist()),
            strict=True,
        )
    )
    for i, p in enumerate(ix.mission_parent.tolist()):
        if p >= 0:
            g.add_edge(ix.mission_ids[i], ix.mission_ids[p])
    for i, a in enumerate(ix.area_of.tolist()):
        if a >= 0:
            g.add_edge(ix.technology_ids[i], ix.technology_ids[a])
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
    return tuple(t for t in graph.index.technology_ids if t in points)


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

    ix = graph.index
    g = _mission_technology_graph(graph)
    values = nx.betweenness_centrality(g, k=samples, seed=seed, normalized=True)
    score = np.asarray([values[t] for t in ix.technology_ids], dtype=np.float64)
    order = _top(score, k)
    return Table(
        CentralityRow,
        {
            "technology": Coded(order, ix.technology_ids),
            "name": Coded(order, ix.technology_names),
            "betweenness": score[order],
        },
        key="technology",
    )
