"""The public index, the methods that delegate to the functions, overlap's ``top``, and
the linear bottleneck reach against a plain search."""

from __future__ import annotations

import inspect
import warnings
from collections import deque

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import stratpolicy.graph as api
from stratpolicy.errors import ValidationError
from stratpolicy.graph import EDGE_TYPES, NODE_TYPES, GraphIndex, MissionGraph, overlap
from stratpolicy.graph._centrality import mission_reach_counts

from .test_overlap_pipeline import _pairs

# -- the index ------------------------------------------------------------------------------


def test_ids_positions_and_a_matrix_per_edge_type(lab: MissionGraph) -> None:
    ix = lab.index
    assert isinstance(ix, GraphIndex)
    assert lab.index is ix  # built once
    assert ix.ids("technology") == ["A", "a1", "a2", "a3", "a4", "B", "b1", "b2", "C", "x"]
    assert ix.ids("mission") == ["M", "S", "T", "N", "E"]
    assert ix.position("mission", "T") == 2
    with pytest.raises(KeyError, match="no mission with id 'a1'"):
        ix.position("mission", "a1")
    with pytest.raises(KeyError, match="no node type 'project'"):
        ix.ids("project")
    assert set(ix.edges) == set(EDGE_TYPES)
    size = {t: len(ix.ids(t)) for t in NODE_TYPES}
    for edge, (source, target) in EDGE_TYPES.items():
        m = ix.edges[edge]
        assert m.shape == (size[source], size[target]), edge
        assert m.indices.dtype == np.int32 and m.indptr.dtype == np.int32, edge
    with pytest.raises(KeyError, match="no edge type"):
        ix.edges["funds"]


def test_matrices_hold_the_portfolio(lab: MissionGraph) -> None:
    ix = lab.index
    t = ix.technology_ids

    def row(matrix: object, i: int) -> dict[str, float]:
        r = matrix[[i]]  # type: ignore[index]
        return {t[j]: float(v) for j, v in zip(r.indices, r.data, strict=True)}

    # M requires A 1.0, x 0.5; T requires a1 0.8, C 0.2 (see conftest)
    assert row(ix.requires, ix.position("mission", "M")) == {"A": 1.0, "x": 0.5}
    assert row(ix.requires, ix.position("mission", "T")) == {"a1": 0.8, "C": 0.2}
    # dependencies a1 -> a3, a3 -> x, b1 -> a3
    deps = ix.depends_on.tocoo()
    assert sorted((t[u], t[v]) for u, v in zip(deps.row, deps.col, strict=True)) == [
        ("a1", "a3"),
        ("a3", "x"),
        ("b1", "a3"),
    ]
    # key technologies are part of their area; S contributes to M, T to S
    assert row(ix.part_of, t.index("a4")) == {"A": 1.0}
    cont = ix.contributes_to.tocoo()
    m = ix.mission_ids
    assert sorted((m[a], m[b]) for a, b in zip(cont.row, cont.col, strict=True)) == [
        ("S", "M"),
        ("T", "S"),
    ]
    # I1 supports a1 and a2 (0.5 each), I2 B, I3 x, I4 b1
    assert row(ix.supports, ix.position("instrument", "I1")) == {"a1": 1.0, "a2": 1.0}
    e = ix.support_entries
    assert [t[k] for k in e.technology] == ["a1", "a2", "B", "x", "b1"]
    assert e.share[:2].tolist() == [0.5, 0.5] and e.targeted.all()


def test_methods_are_the_functions(lab: MissionGraph) -> None:
    for name in ("coverage", "bottlenecks", "funding_flow", "overlap", "pipeline", "to_json"):
        method = getattr(lab, name)
        function = getattr(api, name)
        assert method.__func__ is function
        assert method.__doc__ == function.__doc__
        params = list(inspect.signature(function).parameters)
        assert list(inspect.signature(method).parameters) == params[1:]
    assert lab.support.__func__ is api.technology_support
    assert lab.coverage(on=None) == api.coverage(lab, on=None)
    assert "stratpolicy.graph.coverage" in repr(MissionGraph.coverage)


# -- overlap's top and min_jaccard ------------------------------------------------------------


def test_overlap_top_keeps_the_most_similar_pairs(overlap_graph: MissionGraph) -> None:
    # the pairs at 0.25 or more, by hand (see test_overlap_pipeline): 3/3, 2/3, 2/3, 1/2,
    # 1/3, 1/3, 1/4, 1/4
    every = overlap(overlap_graph, 0.25)
    for k in range(len(every) + 2):
        assert overlap(overlap_graph, 0.25, top=k) == every[:k]
    assert _pairs(overlap(overlap_graph, min_jaccard=0.5, top=2)) == [
        ("O1", "O7", 3, 3, False),
        ("O1", "O2", 2, 3, True),
    ]
    with pytest.raises(ValidationError, match="top: must be 0 or more"):
        overlap(overlap_graph, 0.5, top=-1)
    with pytest.raises(ValidationError, match="min_jaccard: must be in"):
        overlap(overlap_graph, 1.5)


def test_overlap_threshold_keyword_is_deprecated(overlap_graph: MissionGraph) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = overlap(overlap_graph, threshold=0.5)
    assert [w.category for w in caught] == [DeprecationWarning]
    assert old == overlap(overlap_graph, 0.5)


def test_overlap_in_small_blocks_is_overlap_in_one(
    overlap_graph: MissionGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = overlap(overlap_graph, 0.25)
    top3 = overlap(overlap_graph, 0.25, top=3)
    monkeypatch.setattr("stratpolicy.graph._overlap._BLOCK_PRODUCTS", 2)
    assert overlap(overlap_graph, 0.25) == whole
    assert overlap(overlap_graph, 0.25, top=3) == top3


# -- the linear bottleneck reach ------------------------------------------------------------


def _reach_by_search(requires: list[set[int]], deps: list[set[int]], n: int) -> list[int]:
    """Per technology, the missions reaching it: a breadth-first search per mission."""
    count = [0] * n
    for needs in requires:
        seen = set(needs)
        todo = deque(needs)
        while todo:
            u = todo.popleft()
            for v in deps[u]:
                if v not in seen:
                    seen.add(v)
                    todo.append(v)
        for t in seen:
            count[t] += 1
    return count


@st.composite
def reach_cases(draw: st.DrawFn) -> tuple[list[set[int]], list[set[int]], int]:
    n = draw(st.integers(1, 25))
    m = draw(st.integers(0, 8))
    nodes = st.integers(0, n - 1)
    requires = [draw(st.sets(nodes, max_size=4)) for _ in range(m)]
    deps = [draw(st.sets(nodes, max_size=3)) - {u} for u in range(n)]  # cycles allowed
    return requires, deps, n


@settings(max_examples=300, deadline=None)
@given(case=reach_cases())
def test_reach_counts_are_those_of_a_search(
    case: tuple[list[set[int]], list[set[int]], int],
) -> None:
    requires, deps, n = case
    m = len(requires)
    r_rows = [i for i, s in enumerate(requires) for _ in s]
    r_cols = [t for s in requires for t in sorted(s)]
    d_rows = [u for u, s in enumerate(deps) for _ in s]
    d_cols = [v for s in deps for v in sorted(s)]
    r = sp.csr_array((np.ones(len(r_rows)), (r_rows, r_cols)), shape=(m, n))
    d = sp.csr_array((np.ones(len(d_rows)), (d_rows, d_cols)), shape=(n, n))
    assert mission_reach_counts(r, d).tolist() == _reach_by_search(requires, deps, n)
