"""Benchmark of the mission graph at national scale: growth, tables vs objects, peers.

A seeded generator makes a synthetic portfolio as plain numpy arrays. Scale 1: 1,000
missions (200 core, 800 below), 100,000 technologies in 1,000 areas, 100,000 instruments
("projects": 1 % programmes, 30 % of the rest budget lines of a programme, 15 % ended
before the analysis date), 200 actors and about 650,000 edges. The same arrays feed:

* ``stratpolicy``, from tables: the arrays written as pandas DataFrames (NTIS-like: a
  project table, a project x technology table, a budget table...) and read with
  ``Portfolio.from_tables``; the graph index built from the validated columns; the
  analyses through the public API (tables and all), each run with the index's derived
  caches dropped so that it pays for what it derives.
* ``stratpolicy``, from objects (``--objects-scales``, default scale 1): the 200,000
  frozen attrs objects, the validated ``Portfolio``, the index read from the objects.
* ``scipy floor``: the analyses written directly with numpy / scipy.sparse on the
  arrays, no ids, no tables, no checks.
* ``networkx`` (scale 1 unless ``--no-networkx``): the analyses written directly on a typed
  ``MultiDiGraph``, per-node Python as networkx users write it.
* ``before`` (``--before-src DIR``): the same object-path steps and analyses run by an
  older checkout of the library (``DIR/src``) in a subprocess, in the same invocation.

Every implementation is checked to give the same numbers before anything is timed. Times
are medians of ``--repeat`` runs (networkx and model objects: one), each after a full
``gc.collect()``, in CPU time unless ``--clock wall``. For every step the growth exponent ``k`` (time ~ scale^k) is fitted by
least squares over the scales run and printed.

Run::

    .venv/bin/python benchmarks/graph_bench.py                       # scales 1, 2, 4, 8
    .venv/bin/python benchmarks/graph_bench.py --scales 1,2 --no-networkx
    .venv/bin/python benchmarks/graph_bench.py --answer-sizes       # how the answers grow
    git archive <commit> src | tar -x -C /tmp/before
    .venv/bin/python benchmarks/graph_bench.py --before-src /tmp/before
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np
import scipy
import scipy.sparse as sp

import stratpolicy
from stratpolicy import (
    Actor,
    BudgetEntry,
    Instrument,
    Mission,
    Portfolio,
    Requirement,
    Support,
    Technology,
)
from stratpolicy.graph import MissionGraph
from stratpolicy.units import registry

YEAR = 2026
ON = dt.date(2026, 6, 1)
THRESHOLD = 0.5
TOP = 20

# ------------------------------------------------------------------------------------------
# generator
# ------------------------------------------------------------------------------------------


def generate(scale: int, seed: int = 0) -> dict[str, Any]:
    """A synthetic portfolio as arrays. Technology t of area a sits at a * 100 + j."""
    rng = np.random.default_rng(seed)
    n_area = 1000 * scale
    n_tech = 100 * n_area
    tech = np.arange(n_tech)
    is_area = tech % 100 == 0
    parent = np.where(is_area, -1, tech - tech % 100)

    # missions: 20 % core, the rest sub-missions of an earlier mission
    n_m = 1000 * scale
    n_core = n_m // 5
    m_parent = np.full(n_m, -1)
    m_parent[n_core:] = (rng.random(n_m - n_core) * np.arange(n_core, n_m)).astype(np.int64)
    # requirements: 5 areas and 45 key technologies per mission, weights in (0, 1]
    areas = rng.integers(0, n_area, size=(n_m, 5)) * 100
    keys = rng.integers(0, n_area, size=(n_m, 45)) * 100 + rng.integers(1, 100, size=(n_m, 45))
    req_m = np.repeat(np.arange(n_m), 50)
    req_t = np.concatenate([areas, keys], axis=1).ravel()
    pair = np.unique(req_m * n_tech + req_t)
    req_m, req_t = pair // n_tech, pair % n_tech
    req_w = np.round(rng.uniform(0.1, 1.0, len(req_m)), 2)

    # dependencies: each key technology on an earlier one of its area; 10 % also on any
    # technology with a lower index (a DAG with some cross-area links)
    k = tech[~is_area & (tech % 100 > 1)]
    same = k - 1 - (rng.random(len(k)) * (k % 100 - 1)).astype(np.int64)
    cross_from = k[rng.random(len(k)) < 0.1]
    cross_to = (rng.random(len(cross_from)) * cross_from).astype(np.int64)
    dep = np.unique(np.concatenate([k, cross_from]) * n_tech + np.concatenate([same, cross_to]))
    dep_u, dep_v = dep // n_tech, dep % n_tech
    keep = dep_u != dep_v
    dep_u, dep_v = dep_u[keep], dep_v[keep]

    # instruments: 1 % programmes (1 trillion KRW, 5 areas each), then projects
    n_i = 100_000 * scale
    n_prog = n_i // 100
    budget = np.zeros(n_i)
    budget[:n_prog] = 1e12
    budget[n_prog:] = rng.integers(1_000_000, 1_000_000_000, n_i - n_prog)
    part_of = np.full(n_i, -1)
    is_part = np.zeros(n_i, dtype=bool)
    is_part[n_prog:] = rng.random(n_i - n_prog) < 0.3
    part_of[is_part] = rng.integers(0, n_prog, is_part.sum())
    n_sup = np.where(np.arange(n_i) < n_prog, 5, rng.integers(1, 5, n_i))
    sup_i = np.repeat(np.arange(n_i), n_sup)
    sup_t = np.where(
        np.repeat(np.arange(n_i) < n_prog, n_sup),
        rng.integers(0, n_area, len(sup_i)) * 100,
        rng.integers(0, n_tech, len(sup_i)),
    )
    pair = np.unique(sup_i * n_tech + sup_t)
    sup_i, sup_t = pair // n_tech, pair % n_tech
    first = np.ones(len(sup_i), dtype=bool)
    first[1:] = sup_i[1:] != sup_i[:-1]
    shared = rng.random(n_i) < 0.5
    sup_share = np.where(first & shared[sup_i], 0.5, np.nan)
    # dates: 15 % ended before 2026-06-01; a third started in 2020
    start = np.where(rng.random(n_i) < 0.33, dt.date(2020, 1, 1).toordinal(), -1)
    end = np.where(rng.random(n_i) < 0.15, dt.date(2025, 12, 31).toordinal(), -1)

    # actors: 20 ministries, 180 agencies; one administers each instrument, 10 % two
    n_a = 200
    ministry = np.arange(n_a) < 20
    main = np.where(rng.random(n_i) < 0.7, rng.integers(0, 20, n_i), rng.integers(20, n_a, n_i))
    second = rng.random(n_i) < 0.1
    adm_i = np.concatenate([np.arange(n_i), np.flatnonzero(second)])
    adm_a = np.concatenate(
        [main, (main[second] + 1 + rng.integers(0, n_a - 1, second.sum())) % n_a]
    )
    return {
        "n_tech": n_tech,
        "is_area": is_area,
        "parent": parent,
        "n_m": n_m,
        "m_parent": m_parent,
        "req_m": req_m,
        "req_t": req_t,
        "req_w": req_w,
        "dep_u": dep_u,
        "dep_v": dep_v,
        "n_i": n_i,
        "budget": budget,
        "part_of": part_of,
        "sup_i": sup_i,
        "sup_t": sup_t,
        "sup_share": sup_share,
        "start": start,
        "end": end,
        "n_a": n_a,
        "ministry": ministry,
        "adm_i": adm_i,
        "adm_a": adm_a,
    }


def edge_count(raw: dict[str, Any]) -> int:
    return (
        len(raw["req_m"])
        + int((raw["m_parent"] >= 0).sum())
        + len(raw["dep_u"])
        + int((raw["parent"] >= 0).sum())
        + len(raw["sup_i"])
        + len(raw["adm_i"])
        + int((raw["part_of"] >= 0).sum())
    )


def tid(t: int) -> str:
    return f"t{t}"


def mid(m: int) -> str:
    return f"m{m}"


def iid(i: int) -> str:
    return f"i{i}"


def aid(a: int) -> str:
    return f"a{a}"


# ------------------------------------------------------------------------------------------
# tables: the arrays as an NTIS-like project database (pandas DataFrames)
# ------------------------------------------------------------------------------------------


def _ids(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def _ref(ids: list[str], pos: Any) -> list[str | None]:
    return [ids[p] if p >= 0 else None for p in pos.tolist()]


def _day(ordinals: Any) -> Any:
    import pandas as pd

    days = np.where(ordinals > 0, ordinals - dt.date(1970, 1, 1).toordinal(), 0)
    out = pd.Series(days.astype("datetime64[D]")).astype("datetime64[s]")
    return out.where(ordinals > 0)


def tables_from_raw(raw: dict[str, Any], *, with_dependencies: bool = True) -> dict[str, Any]:
    """The synthetic portfolio as the tables a researcher would hold (clearly synthetic)."""
    import pandas as pd

    t_ids = _ids("t", raw["n_tech"])
    m_ids = _ids("m", raw["n_m"])
    i_ids = _ids("i", raw["n_i"])
    a_ids = _ids("a", raw["n_a"])
    tables: dict[str, Any] = {
        "technologies": pd.DataFrame(
            {
                "id": t_ids,
                "name": t_ids,
                "kind": np.where(raw["is_area"], "area", "key_technology"),
                "parent": _ref(t_ids, raw["parent"]),
            }
        ),
        "missions": pd.DataFrame(
            {
                "id": m_ids,
                "name": m_ids,
                "kind": np.where(raw["m_parent"] >= 0, "sub_mission", "mission"),
                "parent": _ref(m_ids, raw["m_parent"]),
            }
        ),
        "requirements": pd.DataFrame(
            {
                "mission": _ref(m_ids, raw["req_m"]),
                "technology": _ref(t_ids, raw["req_t"]),
                "weight": raw["req_w"],
            }
        ),
        "instruments": pd.DataFrame(
            {
                "id": i_ids,
                "name": i_ids,
                "kind": "project_grants_public_research",
                "part_of": _ref(i_ids, raw["part_of"]),
                "start": _day(raw["start"]),
                "end": _day(raw["end"]),
            }
        ),
        "supports": pd.DataFrame(
            {
                "instrument": _ref(i_ids, raw["sup_i"]),
                "technology": _ref(t_ids, raw["sup_t"]),
                "share": raw["sup_share"],
            }
        ),
        "budgets": pd.DataFrame(
            {"instrument": i_ids, "year": YEAR, "amount": raw["budget"], "currency": "KRW"}
        ),
        "actors": pd.DataFrame(
            {
                "id": a_ids,
                "name": a_ids,
                "kind": np.where(raw["ministry"], "ministry", "agency"),
            }
        ),
        "administrators": pd.DataFrame(
            {"instrument": _ref(i_ids, raw["adm_i"]), "actor": _ref(a_ids, raw["adm_a"])}
        ),
    }
    if with_dependencies:
        tables["dependencies"] = pd.DataFrame(
            {"technology": _ref(t_ids, raw["dep_u"]), "depends_on": _ref(t_ids, raw["dep_v"])}
        )
    return tables


def validation_share(tables: dict[str, Any]) -> float:
    """The time of one ``from_tables`` minus its reading and grouping: the checks alone.

    Reading is the conversion of each column (to a pyarrow string array, a numpy array or
    a list), grouping the reordering of link tables by owner; both are timed by wrapping
    the library's private functions for the one run (a benchmark may; the library does not).
    """
    from stratpolicy.model import _columns, _tables

    spent = [0.0]

    def timing(cls: Any, name: str) -> Callable[..., Any]:
        original = getattr(cls, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t0 = CLOCK()
            try:
                return original(*args, **kwargs)
            finally:
                spent[0] += CLOCK() - t0

        setattr(cls, name, wrapper)
        return original

    targets = [
        (_columns.Column, "_to_strings"),
        (_columns.Column, "numpy"),
        (_columns.Column, "objects"),
        (_tables.LinkColumns, "__init__"),
        (_tables.NodeColumns, "__init__"),
    ]
    originals = [timing(cls, name) for cls, name in targets]
    try:
        gc.collect()
        t0 = CLOCK()
        Portfolio.from_tables(id="bench", name="Bench", **tables)
        total = CLOCK() - t0
    finally:
        for (cls, name), original in zip(targets, originals, strict=True):
            setattr(cls, name, original)
    return total - spent[0]


# ------------------------------------------------------------------------------------------
# stratpolicy from objects
# ------------------------------------------------------------------------------------------


def build_objects(raw: dict[str, Any]) -> dict[str, Any]:
    """The model objects (frozen attrs, checked on construction)."""
    techs = [
        Technology(id=tid(t), name=tid(t), kind="area")
        if a
        else Technology(id=tid(t), name=tid(t), parent=tid(p))
        for t, (a, p) in enumerate(
            zip(raw["is_area"].tolist(), raw["parent"].tolist(), strict=False)
        )
    ]
    reqs: list[list[Requirement]] = [[] for _ in range(raw["n_m"])]
    for m, t, w in zip(
        raw["req_m"].tolist(), raw["req_t"].tolist(), raw["req_w"].tolist(), strict=False
    ):
        reqs[m].append(Requirement(technology=tid(t), weight=w))
    missions = [
        Mission(id=mid(m), name=mid(m), requires=reqs[m])
        if p < 0
        else Mission(id=mid(m), name=mid(m), kind="sub_mission", parent=mid(p), requires=reqs[m])
        for m, p in enumerate(raw["m_parent"].tolist())
    ]
    sups: list[list[Support]] = [[] for _ in range(raw["n_i"])]
    for i, t, s in zip(
        raw["sup_i"].tolist(), raw["sup_t"].tolist(), raw["sup_share"].tolist(), strict=False
    ):
        sups[i].append(Support(technology=tid(t), share=None if s != s else s))
    adms: list[list[str]] = [[] for _ in range(raw["n_i"])]
    for i, a in zip(raw["adm_i"].tolist(), raw["adm_a"].tolist(), strict=False):
        adms[i].append(aid(a))
    reg = registry()
    krw = reg.Unit("KRW")
    instruments = []
    for i, (b, po, s, e) in enumerate(
        zip(
            raw["budget"].tolist(),
            raw["part_of"].tolist(),
            raw["start"].tolist(),
            raw["end"].tolist(),
            strict=False,
        )
    ):
        instruments.append(
            Instrument(
                id=iid(i),
                name=iid(i),
                kind="project_grants_public_research",
                budget=(BudgetEntry(year=YEAR, amount=reg.Quantity(b, krw)),),
                administered_by=adms[i],
                supports=sups[i],
                part_of=iid(po) if po >= 0 else None,
                start=dt.date.fromordinal(s) if s > 0 else None,
                end=dt.date.fromordinal(e) if e > 0 else None,
            )
        )
    actors = [
        Actor(id=aid(a), name=aid(a), kind="ministry" if m else "agency")
        for a, m in enumerate(raw["ministry"].tolist())
    ]
    return {
        "technologies": techs,
        "missions": missions,
        "instruments": instruments,
        "actors": actors,
    }


def dependencies(raw: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (tid(u), tid(v)) for u, v in zip(raw["dep_u"].tolist(), raw["dep_v"].tolist(), strict=False)
    ]


# ------------------------------------------------------------------------------------------
# scipy floor: the same analyses on the arrays, no ids and no tables
# ------------------------------------------------------------------------------------------


def floor_build(raw: dict[str, Any]) -> dict[str, Any]:
    nt, nm, ni = raw["n_tech"], raw["n_m"], raw["n_i"]

    def m(r: Any, c: Any, shape: tuple[int, int], d: Any = None) -> Any:
        d = np.ones(len(r)) if d is None else d
        return sp.csr_array((d, (r, c)), shape=shape)

    keys = np.flatnonzero(raw["parent"] >= 0)
    return {
        "R": m(raw["req_m"], raw["req_t"], (nm, nt), raw["req_w"].astype(float)),
        "D": m(raw["dep_u"], raw["dep_v"], (nt, nt)),
        "S": m(raw["sup_i"], raw["sup_t"], (ni, nt)),
        "A": m(raw["adm_a"], raw["adm_i"], (raw["n_a"], ni)),
        "K": m(keys, raw["parent"][keys], (nt, nt)),  # key -> area
    }


def floor_active(raw: dict[str, Any]) -> Any:
    o = ON.toordinal()
    start = np.where(raw["start"] > 0, raw["start"], np.iinfo(np.int64).min)
    end = np.where(raw["end"] > 0, raw["end"], np.iinfo(np.int64).max)
    return (start <= o) & (o <= end)


def floor_support(raw: dict[str, Any], active: Any) -> Any:
    nt = raw["n_tech"]
    direct = np.zeros(nt, dtype=bool)
    direct[raw["sup_t"][active[raw["sup_i"]]]] = True
    par = raw["parent"]
    keys = par >= 0
    key_sup = direct.copy()
    key_sup[keys] |= direct[par[keys]]
    n_keys = np.bincount(par[keys], minlength=nt)
    n_sup = np.bincount(par[keys], weights=key_sup[keys], minlength=nt)
    support = key_sup.astype(float)
    areas = raw["is_area"] & ~direct
    with np.errstate(invalid="ignore", divide="ignore"):
        support[areas] = np.where(n_keys[areas] > 0, n_sup[areas] / n_keys[areas], 0.0)
    return support


def floor_closure(raw: dict[str, Any]) -> Any:
    nm = raw["n_m"]
    par = raw["m_parent"]
    rows, cols = [np.arange(nm)], [np.arange(nm)]
    node, cur = np.arange(nm), par.copy()
    while (cur >= 0).any():
        has = cur >= 0
        node, cur = node[has], cur[has]
        rows.append(cur)
        cols.append(node)
        cur = par[cur]
    r, c = np.concatenate(rows), np.concatenate(cols)
    return sp.csr_array((np.ones(len(r)), (r, c)), shape=(nm, nm))


def floor_coverage(raw: dict[str, Any], f: dict[str, Any]) -> Any:
    support = floor_support(raw, floor_active(raw))
    c = floor_closure(raw).tocoo()
    R = f["R"]
    a, d = c.row, c.col
    counts = R.indptr[d + 1] - R.indptr[d]
    rows = np.repeat(a, counts)
    offs = np.repeat(R.indptr[d] - (np.cumsum(counts) - counts), counts) + np.arange(counts.sum())
    cols, w = R.indices[offs], R.data[offs]
    key = rows.astype(np.int64) * raw["n_tech"] + cols
    order = np.lexsort((w, key))
    key, w = key[order], w[order]
    last = np.ones(len(key), dtype=bool)
    last[:-1] = key[1:] != key[:-1]
    key, w = key[last], w[last]
    Rm = sp.csr_array((w, (key // raw["n_tech"], key % raw["n_tech"])), shape=R.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (Rm @ support) / Rm.sum(axis=1)


def floor_reached(f: dict[str, Any]) -> Any:
    """Missions x technologies they reach through requires and depends_on (a frontier search)."""
    reached = f["R"].copy()
    reached.data[:] = 1.0
    frontier = reached
    D = f["D"]
    while frontier.nnz:
        step = frontier @ D
        step.data[:] = 1.0
        new = step - step.multiply(reached)
        new.eliminate_zeros()
        reached = reached + new
        frontier = new
    return reached


def floor_scores(raw: dict[str, Any], f: dict[str, Any]) -> Any:
    return np.bincount(floor_reached(f).indices, minlength=raw["n_tech"])


def floor_bottlenecks(raw: dict[str, Any], f: dict[str, Any]) -> Any:
    score = floor_scores(raw, f)
    support = floor_support(raw, floor_active(raw))
    top = np.argsort(-score, kind="stable")[:TOP]
    return score[top], support[top] > 0


def floor_funding(raw: dict[str, Any], f: dict[str, Any]) -> Any:
    active = floor_active(raw)
    ni, nt = raw["n_i"], raw["n_tech"]
    budget = np.where(active, raw["budget"], 0.0)
    holder = raw["part_of"].copy()
    climb = (holder >= 0) & ~active[np.maximum(holder, 0)]
    while climb.any():
        holder[climb] = raw["part_of"][holder[climb]]
        climb = (holder >= 0) & ~active[np.maximum(holder, 0)]
    inner = np.flatnonzero(active & (holder >= 0))
    own = budget - np.bincount(holder[inner], weights=budget[inner], minlength=ni)
    si, st, share = raw["sup_i"], raw["sup_t"], raw["sup_share"]
    none = np.isnan(share)
    explicit = np.bincount(si, weights=np.where(none, 0, share), minlength=ni)
    n_none = np.bincount(si, weights=none, minlength=ni)
    with np.errstate(invalid="ignore", divide="ignore"):
        each = np.where(n_none > 0, np.maximum(1 - explicit, 0) / n_none, 0)
    eff = np.where(none, each[si], share)
    inflow = np.bincount(st, weights=own[si] * eff, minlength=nt)
    K = f["K"]
    rel = sp.eye_array(nt, format="csr") + K + K.T
    E = f["R"] @ rel
    E.data[:] = 1.0  # allocation="equal": a technology's money in equal parts per mission
    colsum = E.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        per = np.where(colsum > 0, inflow / colsum, 0.0)
    missions = E @ per
    unallocated = own.sum() - missions.sum()
    return missions, unallocated


def floor_overlap(raw: dict[str, Any], f: dict[str, Any]) -> Any:
    active = floor_active(raw)
    nt = raw["n_tech"]
    K = f["K"]
    has_keys = np.bincount(raw["parent"][raw["parent"] >= 0], minlength=nt) > 0
    expand = K.T + sp.diags_array((~has_keys).astype(float))  # area -> keys; else itself
    X = sp.diags_array(active.astype(float)) @ f["S"] @ expand
    X.data[:] = 1.0
    size = np.diff(X.indptr)
    G = sp.triu(X @ X.T, k=1).tocoo()
    union = size[G.row] + size[G.col] - G.data
    jac = G.data / union
    keep = jac >= THRESHOLD
    a, b = G.row[keep], G.col[keep]
    M = (f["A"][raw["ministry"]]).T.tocsr()  # instruments x ministries
    both = np.asarray(M[a].multiply(M[b]).sum(axis=1)).ravel() > 0
    cross = (np.diff(M[a].indptr) > 0) & (np.diff(M[b].indptr) > 0) & ~both
    return a, b, jac[keep], cross


def floor_pagerank(raw: dict[str, Any], f: dict[str, Any]) -> Any:
    nm, nt = raw["n_m"], raw["n_tech"]
    n = nm + nt
    r, d = f["R"].tocoo(), f["D"].tocoo()
    W = sp.csr_array(
        (
            np.concatenate([r.data, d.data]),
            (np.concatenate([r.row, d.row + nm]), np.concatenate([r.col + nm, d.col + nm])),
        ),
        shape=(n, n),
    )
    out = W.sum(axis=1)
    dangling = out == 0
    with np.errstate(divide="ignore"):
        P = (W.multiply(np.where(dangling, 0, 1 / out)[:, None])).T.tocsr()
    x = np.full(n, 1 / n)
    for _ in range(100):
        last = x
        x = 0.85 * (P @ x + last[dangling].sum() / n) + 0.15 / n
        if np.abs(x - last).sum() < n * 1e-6:
            break
    return x[nm:]


def floor_pipeline(raw: dict[str, Any], f: dict[str, Any]) -> Any:
    """Missions x instruments in force reaching them, and the ministry count per mission."""
    nt = raw["n_tech"]
    active = floor_active(raw)
    K = f["K"]
    rel = sp.eye_array(nt, format="csr") + K + K.T
    need = f["R"] @ rel
    need.data[:] = 1.0
    C = floor_closure(raw)  # ancestors x descendants
    reach_t = C @ need
    reach_t.data[:] = 1.0
    S = sp.diags_array(active.astype(float)) @ f["S"]
    R = (reach_t @ S.T).tocsr()  # missions x instruments
    R.sort_indices()
    A = f["A"]
    actors = (R @ A.T).tocsr()
    ministries = int(raw["ministry"][actors.indices].sum())
    return R.indptr, R.indices, ministries


def floor_analyses(raw: dict[str, Any], f: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    return {
        "coverage": lambda: floor_coverage(raw, f),
        "bottlenecks": lambda: floor_bottlenecks(raw, f),
        "pipeline": lambda: floor_pipeline(raw, f),
        "funding flow": lambda: floor_funding(raw, f),
        "overlap": lambda: floor_overlap(raw, f),
        "pagerank": lambda: floor_pagerank(raw, f),
    }


# ------------------------------------------------------------------------------------------
# networkx: the analyses on a typed MultiDiGraph, per-node Python
# ------------------------------------------------------------------------------------------


def nx_build(raw: dict[str, Any]) -> Any:
    G = nx.MultiDiGraph()
    for t, a in enumerate(raw["is_area"].tolist()):
        G.add_node(tid(t), type="technology", kind="area" if a else "key_technology")
    for m in range(raw["n_m"]):
        G.add_node(mid(m), type="mission")
    o = ON.toordinal()
    for i, (b, s, e) in enumerate(
        zip(raw["budget"].tolist(), raw["start"].tolist(), raw["end"].tolist(), strict=False)
    ):
        G.add_node(
            iid(i),
            type="instrument",
            budget=b,
            in_force=(s <= 0 or s <= o) and (e <= 0 or o <= e),
        )
    for a, mi in enumerate(raw["ministry"].tolist()):
        G.add_node(aid(a), type="actor", kind="ministry" if mi else "agency")
    for t, p in enumerate(raw["parent"].tolist()):
        if p >= 0:
            G.add_edge(tid(t), tid(p), key="part_of")
    for m, p in enumerate(raw["m_parent"].tolist()):
        if p >= 0:
            G.add_edge(mid(m), mid(p), key="contributes_to")
    for m, t, w in zip(
        raw["req_m"].tolist(), raw["req_t"].tolist(), raw["req_w"].tolist(), strict=False
    ):
        G.add_edge(mid(m), tid(t), key="requires", weight=w)
    for u, v in zip(raw["dep_u"].tolist(), raw["dep_v"].tolist(), strict=False):
        G.add_edge(tid(u), tid(v), key="depends_on")
    for i, t, s in zip(
        raw["sup_i"].tolist(), raw["sup_t"].tolist(), raw["sup_share"].tolist(), strict=False
    ):
        G.add_edge(iid(i), tid(t), key="supports", share=None if s != s else s)
    for i, a in zip(raw["adm_i"].tolist(), raw["adm_a"].tolist(), strict=False):
        G.add_edge(aid(a), iid(i), key="administers")
    for i, p in enumerate(raw["part_of"].tolist()):
        if p >= 0:
            G.add_edge(iid(i), iid(p), key="budget_part_of")
    return G


def _out(G: Any, n: str, kind: str) -> list[tuple[str, dict[str, Any]]]:
    return [(v, d) for _, v, k, d in G.out_edges(n, keys=True, data=True) if k == kind]


def _in(G: Any, n: str, kind: str) -> list[tuple[str, dict[str, Any]]]:
    return [(u, d) for u, _, k, d in G.in_edges(n, keys=True, data=True) if k == kind]


def nx_support(G: Any) -> dict[str, float]:
    direct = {
        t
        for t, d in G.nodes(data=True)
        if d["type"] == "technology"
        and any(G.nodes[i]["in_force"] for i, _ in _in(G, t, "supports"))
    }
    support = {}
    for t, d in G.nodes(data=True):
        if d["type"] != "technology":
            continue
        if t in direct:
            support[t] = 1.0
        elif d["kind"] == "area":
            keys = [k for k, _ in _in(G, t, "part_of")]
            ok = sum(1 for k in keys if k in direct)
            support[t] = ok / len(keys) if keys else 0.0
        else:
            areas = [a for a, _ in _out(G, t, "part_of")]
            support[t] = 1.0 if any(a in direct for a in areas) else 0.0
    return support


def nx_coverage(G: Any) -> dict[str, float]:
    support = nx_support(G)
    missions = [n for n, d in G.nodes(data=True) if d["type"] == "mission"]
    tree = nx.DiGraph()
    tree.add_nodes_from(missions)
    tree.add_edges_from((p, m) for m in missions for p, _ in _out(G, m, "contributes_to"))
    result = {}
    for m in missions:
        weights: dict[str, float] = {}
        for s in [m, *nx.descendants(tree, m)]:
            for t, d in _out(G, s, "requires"):
                weights[t] = max(weights.get(t, 0.0), d["weight"])
        total = sum(weights.values())
        result[m] = sum(w * support[t] for t, w in weights.items()) / total
    return result


def nx_scores(G: Any) -> Counter[str]:
    deps = nx.DiGraph()
    deps.add_edges_from((u, v) for u, v, k in G.edges(keys=True) if k == "depends_on")
    score: Counter[str] = Counter()
    for m, d in G.nodes(data=True):
        if d["type"] != "mission":
            continue
        needs: set[str] = set()
        for t, _ in _out(G, m, "requires"):
            needs.add(t)
            if t in deps:
                needs |= nx.descendants(deps, t)
        score.update(needs)
    return score


def nx_bottlenecks(G: Any) -> Any:
    score = nx_scores(G)
    support = nx_support(G)
    return [(t, s, support[t] > 0) for t, s in score.most_common(TOP)]


def nx_funding(G: Any) -> tuple[dict[str, float], float]:
    instruments = [n for n, d in G.nodes(data=True) if d["type"] == "instrument" and d["in_force"]]
    own = {i: G.nodes[i]["budget"] for i in instruments}
    for i in instruments:
        up = next(iter(_out(G, i, "budget_part_of")), (None, None))[0]
        while up is not None and not G.nodes[up]["in_force"]:
            up = next(iter(_out(G, up, "budget_part_of")), (None, None))[0]
        if up is not None:
            own[up] -= G.nodes[i]["budget"]
    inflow: dict[str, float] = defaultdict(float)
    for i in instruments:
        sups = _out(G, i, "supports")
        explicit = sum(d["share"] for _, d in sups if d["share"] is not None)
        n_none = sum(1 for _, d in sups if d["share"] is None)
        for t, d in sups:
            share = d["share"] if d["share"] is not None else max(1 - explicit, 0) / n_none
            inflow[t] += own[i] * share
    missions: dict[str, float] = defaultdict(float)
    for t, money in inflow.items():
        related = [t]
        related += [a for a, _ in _out(G, t, "part_of")]
        related += [k for k, _ in _in(G, t, "part_of")]
        needs = {m for r in related for m, _ in _in(G, r, "requires")}
        for m in needs:  # allocation="equal": equal parts per mission
            missions[m] += money / len(needs)
    return missions, sum(own.values()) - sum(missions.values())


def nx_overlap(G: Any) -> list[tuple[str, str, float, bool]]:
    keysets: dict[str, set[str]] = {}
    for i, d in G.nodes(data=True):
        if d["type"] != "instrument" or not d["in_force"]:
            continue
        keys: set[str] = set()
        for t, _ in _out(G, i, "supports"):
            below = [k for k, _ in _in(G, t, "part_of")]
            keys.update(below or [t])
        keysets[i] = keys
    by_key: dict[str, list[str]] = defaultdict(list)
    for i, keys in keysets.items():
        for k in keys:
            by_key[k].append(i)
    shared: Counter[tuple[str, str]] = Counter()
    for holders in by_key.values():
        shared.update(itertools.combinations(sorted(holders), 2))
    ministries = {
        i: {a for a, _ in _in(G, i, "administers") if G.nodes[a]["kind"] == "ministry"}
        for i in keysets
    }
    pairs = []
    for (a, b), n in shared.items():
        jac = n / (len(keysets[a]) + len(keysets[b]) - n)
        if jac >= THRESHOLD:
            ma, mb = ministries[a], ministries[b]
            pairs.append((a, b, jac, bool(ma) and bool(mb) and not (ma & mb)))
    return pairs


def nx_pagerank(G: Any) -> dict[str, float]:
    H = nx.DiGraph()
    H.add_nodes_from(n for n, d in G.nodes(data=True) if d["type"] in ("mission", "technology"))
    for u, v, k, d in G.edges(keys=True, data=True):
        if k == "requires":
            H.add_edge(u, v, weight=d["weight"])
        elif k == "depends_on":
            H.add_edge(u, v, weight=1.0)
    return nx.pagerank(H, alpha=0.85, weight="weight")


def nx_pipeline(G: Any) -> dict[str, set[str]]:
    """Per mission, the instruments in force reaching it (through related technologies)."""
    needs: dict[str, set[str]] = defaultdict(set)  # technology -> missions needing it
    for m, d in G.nodes(data=True):
        if d["type"] != "mission":
            continue
        for t, _ in _out(G, m, "requires"):
            needs[t].add(m)
            for a, _ in _out(G, t, "part_of"):
                needs[a].add(m)
            for k, _ in _in(G, t, "part_of"):
                needs[k].add(m)
    result: dict[str, set[str]] = defaultdict(set)
    for i, d in G.nodes(data=True):
        if d["type"] != "instrument" or not d["in_force"]:
            continue
        for t, _ in _out(G, i, "supports"):
            for m in needs.get(t, ()):
                up: str | None = m
                while up is not None:  # the mission and its ancestors
                    result[up].add(i)
                    up = next(iter(_out(G, up, "contributes_to")), (None, None))[0]
    return result


def nx_analyses(G: Any) -> dict[str, Callable[[], Any]]:
    return {
        "coverage": lambda: nx_coverage(G),
        "bottlenecks": lambda: nx_bottlenecks(G),
        "pipeline": lambda: nx_pipeline(G),
        "funding flow": lambda: nx_funding(G),
        "overlap": lambda: nx_overlap(G),
        "pagerank": lambda: nx_pagerank(G),
    }


# ------------------------------------------------------------------------------------------
# stratpolicy: the steps timed
# ------------------------------------------------------------------------------------------

_DERIVED = (
    "n_keys",
    "relation",
    "key_expansion",
    "closure",
    "merged_requirements",
    "related",
    "related_missions",
    "related_weight",
    "related_reach",
    "split_shares",
    "_mission_split",
    "_positions",
)


def cold(graph: MissionGraph, fn: Callable[[], Any]) -> Callable[[], Any]:
    """Run ``fn`` with the index's derived caches dropped (they are part of the analysis)."""

    def run() -> Any:
        for name in _DERIVED:
            graph._index.__dict__.pop(name, None)
        return fn()

    return run


def sp_analyses(g: MissionGraph) -> dict[str, Callable[[], Any]]:
    """The analyses, reading what they return (a table's rows are built lazily)."""

    def pipeline() -> Any:
        # the per-mission instrument lists stay arrays; reading them all as Python tuples
        # (3.5 million ids at scale 1) is timed apart ("pipeline, every list read")
        table = g.pipeline(on=ON)
        return table.column("ministries"), table[0]

    return {
        "coverage": cold(g, lambda: g.coverage(on=ON, include_envelopes=True).rows),
        "bottlenecks": cold(g, lambda: g.bottlenecks(TOP, on=ON, include_envelopes=True).rows),
        "pipeline": cold(g, pipeline),
        "pipeline, every list read": cold(g, lambda: g.pipeline(on=ON).column("instruments")),
        "funding flow": cold(g, lambda: g.funding_flow(YEAR, on=ON, allocation="equal")),
        "overlap": cold(g, lambda: g.overlap(THRESHOLD, on=ON).rows),
        "pagerank": cold(g, lambda: g.rank_technologies(TOP).rows),
    }


GC_OFF = False
CLOCK: Callable[[], float] = time.process_time


def timed(fn: Callable[[], Any], repeat: int) -> float:
    """Median time of ``repeat`` runs, each after a full collection.

    The clock is the process's CPU time (``--clock cpu``, the default: on a shared machine
    other jobs stretch wall time, not CPU time) or wall time (``--clock wall``).
    """
    times = []
    for _ in range(repeat):
        gc.collect()
        if GC_OFF:
            gc.disable()
        t0 = CLOCK()
        fn()
        times.append(CLOCK() - t0)
        if GC_OFF:
            gc.enable()
    return statistics.median(times)


Results = dict[str, dict[str, float]]


def run_objects(raw: dict[str, Any], repeat: int, res: Results, impl: str) -> MissionGraph:
    """The object path: attrs objects, validated portfolio, dependency checks, index."""
    objects: dict[str, Any] = {}
    res["model objects (attrs)"][impl] = timed(lambda: objects.update(build_objects(raw)), 1)
    box: list[Portfolio] = []
    res["portfolio validation"][impl] = timed(
        lambda: box.append(Portfolio(id="bench", name="Bench", **objects)), 1
    )
    portfolio = box[0]
    objects.clear()
    deps = dependencies(raw)
    res["dependency checks"][impl] = timed(
        lambda: MissionGraph(portfolio, dependencies=deps), repeat
    )
    g = MissionGraph(portfolio, dependencies=deps)

    def build_index() -> None:
        g.__dict__.pop("_index", None)
        g.__dict__.pop("index", None)
        g._index  # noqa: B018 - build the compact index now

    step = "graph index build" if impl == "before" else "graph index build, from objects"
    res[step][impl] = timed(build_index, repeat)
    return g


def run_tables(raw: dict[str, Any], repeat: int, res: Results) -> MissionGraph:
    """The table path: DataFrames -> Portfolio.from_tables -> index."""
    tables = tables_from_raw(raw)
    box: list[Portfolio] = []

    def build() -> None:
        box.clear()
        box.append(Portfolio.from_tables(id="bench", name="Bench", **tables))

    res["build from tables"]["stratpolicy"] = timed(build, repeat)
    res["validation from tables"]["stratpolicy"] = statistics.median(
        validation_share(tables) for _ in range(repeat)
    )
    portfolio = box[0]
    g = MissionGraph(portfolio)

    def build_index() -> None:
        g.__dict__.pop("index", None)
        g.index  # noqa: B018 - build the compact index now

    res["graph index build"]["stratpolicy"] = timed(build_index, repeat)
    # the dependency checks of MissionGraph(portfolio, dependencies=[(a, b), ...])
    bare = Portfolio.from_tables(
        id="bench", name="Bench", **tables_from_raw(raw, with_dependencies=False)
    )
    deps = dependencies(raw)

    def checks() -> None:
        bare.tables.technologies.__dict__.pop("positions", None)  # id -> position, built
        MissionGraph(bare, dependencies=deps)

    res["dependency checks"]["stratpolicy"] = timed(checks, repeat)
    return g


def measure(
    scale: int, seed: int, repeat: int, mode: str, with_networkx: bool, objects: bool
) -> Results:
    t0 = time.perf_counter()
    raw = generate(scale, seed)
    gen = time.perf_counter() - t0
    print(
        f"\n## scale {scale} ({mode}): {raw['n_m']:,} missions, {raw['n_tech']:,} technologies, "
        f"{raw['n_i']:,} instruments, {edge_count(raw):,} edges (generated in {gen:.1f} s)",
        file=sys.stderr,
        flush=True,
    )
    res: Results = defaultdict(dict)
    if mode == "before":
        g = run_objects(raw, repeat, res, "before")
        floor = floor_build(raw)
        check(raw, g, floor, None, pipeline=False)
        for name, fn in sp_analyses(g).items():
            res[name]["before"] = timed(fn, repeat)
        return res
    g = run_tables(raw, repeat, res)
    floor: dict[str, Any] = {}
    res["graph index build"]["scipy floor"] = timed(lambda: floor.update(floor_build(raw)), repeat)
    G = None
    if with_networkx:
        graphs: list[Any] = []
        res["graph index build"]["networkx"] = timed(lambda: graphs.append(nx_build(raw)), 1)
        G = graphs[0]
    check(raw, g, floor, G)
    if objects:
        h = run_objects(raw, repeat, res, "stratpolicy")
        same_index(g, h)
        del h
    print("checked: the implementations agree", file=sys.stderr, flush=True)
    for name, fn in sp_analyses(g).items():
        res[name]["stratpolicy"] = timed(fn, repeat)
    for name, fn in floor_analyses(raw, floor).items():
        res[name]["scipy floor"] = timed(fn, repeat)
    if G is not None:
        for name, fn in nx_analyses(G).items():
            res[name]["networkx"] = timed(fn, 1)
    return res


def same_index(g: MissionGraph, h: MissionGraph) -> None:
    """The index from tables is the index from objects."""
    a, b = g.index, h.index
    for edge in a.edges:
        assert (a.edges[edge] != b.edges[edge]).nnz == 0, edge
    assert a.technology_ids == b.technology_ids
    assert a.instrument_ids == b.instrument_ids
    assert np.array_equal(a.budget_entries.amount, b.budget_entries.amount)
    assert np.array_equal(a.support_entries.targeted, b.support_entries.targeted)


# ------------------------------------------------------------------------------------------
# checks: the implementations agree
# ------------------------------------------------------------------------------------------


def check(
    raw: dict[str, Any], g: MissionGraph, f: dict[str, Any], G: Any | None, pipeline: bool = True
) -> None:
    from stratpolicy.graph import bottleneck_scores

    # the hand-written versions count every support (envelopes too) and split equally
    cov = np.array([r.coverage for r in g.coverage(on=ON, include_envelopes=True)], dtype=float)
    assert np.allclose(cov, floor_coverage(raw, f), rtol=1e-12, atol=1e-12)
    assert np.array_equal(bottleneck_scores(g), floor_scores(raw, f))
    flow = g.funding_flow(YEAR, on=ON, allocation="equal")
    missions, unallocated = floor_funding(raw, f)
    assert np.allclose(flow.missions.column("inflow"), missions, rtol=1e-9)
    total = flow.total("KRW")
    assert abs(total.unallocated - unallocated) <= 1e-9 * total.budget
    assert abs(total.to_missions + total.unallocated - total.budget) <= 1e-9 * total.budget
    pairs = g.overlap(THRESHOLD, on=ON)
    a, _b, jac, cross = floor_overlap(raw, f)
    assert len(pairs) == len(a)
    assert np.isclose(sum(pairs.column("jaccard")), jac.sum())
    assert sum(pairs.column("cross_ministry")) == cross.sum()
    ranked = g.rank_technologies()
    floor_rank = floor_pagerank(raw, f)
    assert np.allclose(
        [floor_rank[int(t[1:])] for t in ranked.column("technology")],
        ranked.column("score"),
        atol=1e-12,
    )
    if pipeline:
        table = g.pipeline(on=ON)
        ptr, _idx, ministries = floor_pipeline(raw, f)
        assert [len(x) for x in table.column("instruments")] == np.diff(ptr).tolist()
        assert sum(len(x) for x in table.column("ministries")) == ministries
    if G is None:
        return
    ncov = nx_coverage(G)
    assert np.allclose([ncov[mid(m)] for m in range(raw["n_m"])], cov, rtol=1e-12)
    nscore = nx_scores(G)
    assert all(nscore[tid(t)] == s for t, s in enumerate(bottleneck_scores(g).tolist()))
    nmiss, nleft = nx_funding(G)
    assert np.allclose([nmiss.get(mid(m), 0.0) for m in range(raw["n_m"])], missions, rtol=1e-9)
    assert abs(nleft - unallocated) <= 1e-9 * total.budget
    npairs = nx_overlap(G)
    assert len(npairs) == len(pairs)
    assert sum(c for *_, c in npairs) == cross.sum()
    npr = nx_pagerank(G)
    assert np.allclose(
        [npr[t] for t in ranked.column("technology")], ranked.column("score"), atol=1e-6
    )
    npipe = nx_pipeline(G)
    assert [len(npipe[mid(m)]) for m in range(raw["n_m"])] == [
        len(x) for x in g.pipeline(on=ON).column("instruments")
    ]


# ------------------------------------------------------------------------------------------
# report
# ------------------------------------------------------------------------------------------

IMPLS = ("before", "stratpolicy", "scipy floor", "networkx")


def fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f} s"


def growth(times: dict[int, float]) -> float | None:
    """The exponent k of time ~ scale^k, least squares on the logs (None under 2 scales)."""
    scales = sorted(s for s, t in times.items() if t > 0)
    if len(scales) < 2:
        return None
    k, _ = np.polyfit(np.log(scales), np.log([times[s] for s in scales]), 1)
    return float(k)


def answer_sizes(scales: list[int], seed: int) -> None:
    """Print how the work the analyses must produce grows: edges, the (mission, technology)
    pairs the bottleneck scores count, the (mission, instrument) pairs of the pipeline."""
    rows = []
    for s in scales:
        raw = generate(s, seed)
        f = floor_build(raw)
        reached = floor_reached(f)
        indptr, _, _ = floor_pipeline(raw, f)
        rows.append({"edges": edge_count(raw), "reached": reached.nnz, "pairs": int(indptr[-1])})
    print("\n### answer sizes\n")
    print("| what | " + " | ".join(f"{s}x" for s in scales) + " | k |")
    print("|---|" + "---|" * len(scales) + "---|")
    labels = {
        "edges": "edges",
        "reached": "(mission, technology) pairs reached (bottlenecks)",
        "pairs": "(mission, instrument) pairs (pipeline)",
    }
    for key, label in labels.items():
        k = growth({s: float(r[key]) for s, r in zip(scales, rows, strict=True)})
        cells = " | ".join(f"{r[key]:,}" for r in rows)
        print(f"| {label} | {cells} | {'-' if k is None else f'{k:.2f}'} |")


def report(all_res: dict[int, Results]) -> None:
    scales = sorted(all_res)
    steps: list[str] = []
    for s in scales:
        steps += [name for name in all_res[s] if name not in steps]
    for impl in IMPLS:
        rows = [name for name in steps if any(impl in all_res[s].get(name, {}) for s in scales)]
        if not rows:
            continue
        print(f"\n### {impl}\n")
        head = " | ".join(f"{s}x" for s in scales)
        print(f"| step | {head} | growth {scales[0]}x->{scales[-1]}x | k |")
        print("|---|" + "---|" * len(scales) + "---|---|")
        for name in rows:
            times = {s: all_res[s][name][impl] for s in scales if impl in all_res[s].get(name, {})}
            k = growth(times)
            first, last = times.get(scales[0]), times.get(scales[-1])
            ratio = f"{last / first:.1f}x" if first and last and len(times) > 1 else "-"
            cells = " | ".join(fmt(times.get(s)) for s in scales)
            print(f"| {name} | {cells} | {ratio} | {'-' if k is None else f'{k:.2f}'} |")
    for s in scales:
        print(f"\n### ratios at scale {s}\n")
        print("| step | stratpolicy / floor | networkx / stratpolicy | before / stratpolicy |")
        print("|---|---|---|---|")
        for name, row in all_res[s].items():
            sp_, fl, nx_, bf = (
                row.get(k) for k in ("stratpolicy", "scipy floor", "networkx", "before")
            )
            cells = [
                f"{sp_ / fl:.2f}x" if sp_ and fl else "-",
                f"{nx_ / sp_:.1f}x" if sp_ and nx_ else "-",
                f"{bf / sp_:.1f}x" if sp_ and bf else "-",
            ]
            print(f"| {name} | " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,2,4,8", help="comma-separated scales")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-networkx", action="store_true", help="skip networkx")
    parser.add_argument(
        "--objects-scales", default="1", help="scales at which to time the object path too"
    )
    parser.add_argument("--before-src", help="an older checkout's folder, run in a subprocess")
    parser.add_argument("--before-scales", help="scales for --before-src (default: --scales)")
    parser.add_argument(
        "--mode", default="after", choices=["after", "before"], help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--answer-sizes", action="store_true", help="only print how the answers grow"
    )
    parser.add_argument("--json", help="also write the results to this file ('-': stdout only)")
    parser.add_argument("--gc-off", action="store_true", help="pause the cyclic GC in timings")
    parser.add_argument(
        "--clock", default="cpu", choices=["cpu", "wall"], help="CPU time (default) or wall time"
    )
    args = parser.parse_args(argv)
    global GC_OFF, CLOCK
    GC_OFF = args.gc_off
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter
    scales = [int(s) for s in args.scales.split(",")]
    if args.answer_sizes:
        answer_sizes(scales, args.seed)
        return
    all_res: dict[int, Results] = {}
    if args.mode == "before":
        for s in scales:
            all_res[s] = measure(s, args.seed, args.repeat, "before", False, True)
        print(json.dumps({str(s): r for s, r in all_res.items()}))
        return
    print(
        f"stratpolicy {stratpolicy.__version__}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}, networkx {nx.__version__}; "
        f"{platform.machine()}, {os.cpu_count()} CPUs, cyclic GC "
        f"{'paused' if args.gc_off else 'on'} in timings, {args.clock} time"
    )
    objects_at = {int(s) for s in args.objects_scales.split(",") if s}
    for s in scales:
        with_nx = not args.no_networkx and s == scales[0]
        all_res[s] = measure(s, args.seed, args.repeat, "after", with_nx, s in objects_at)
    if args.before_src:
        before_scales = args.before_scales or args.scales
        env = dict(os.environ, PYTHONPATH=os.path.join(args.before_src, "src"))
        cmd = [sys.executable, __file__, "--mode", "before", "--scales", before_scales]
        cmd += ["--seed", str(args.seed), "--repeat", str(args.repeat), "--clock", args.clock]
        out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
        before = json.loads(out.stdout.strip().splitlines()[-1])
        for s, res in before.items():
            for name, row in res.items():
                all_res.setdefault(int(s), defaultdict(dict))[name].update(row)
    report(all_res)
    if args.json and args.json != "-":
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({str(s): r for s, r in all_res.items()}, f, indent=1)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
