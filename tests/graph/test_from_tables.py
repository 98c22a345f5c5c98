"""A portfolio read from tables is the portfolio of objects it was written from.

Random portfolios (of what tables hold: technologies and their dependencies, missions and
requirements, instruments with supports, budgets and budget lines, missions served,
actors and administrators) are written as tables -- plain columns, pandas DataFrames or
pyarrow Tables -- and read back with ``Portfolio.from_tables``. Every array and matrix of
the graph index, every analysis (with and without dates, envelopes, allocations, stages),
the exports, and every object made lazily from the tables must equal what the objects
give.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from stratpolicy.errors import DataError
from stratpolicy.graph import GraphIndex, MissionGraph
from stratpolicy.model import TABLE_COLUMNS
from stratpolicy.units import format_amount, money

YEARS = (2025, 2026)
STAGES = (None, "proposal", "enacted")
dates = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2028, 12, 31))
texts = st.sampled_from(["", "a note", "출처", "source: MSIT"])


@st.composite
def periods(draw: st.DrawFn) -> tuple[dt.date | None, dt.date | None]:
    start, end = draw(st.none() | dates), draw(st.none() | dates)
    if start is not None and end is not None and end < start:
        start, end = end, start
    return start, end


@st.composite
def portfolios(draw: st.DrawFn) -> Portfolio:
    techs: list[Technology] = []
    for a in range(draw(st.integers(0, 3))):
        techs.append(Technology(id=f"A{a}", name=f"Area {a}", kind="area"))
        for k in range(draw(st.integers(0, 3))):
            techs.append(Technology(id=f"A{a}k{k}", name=f"Key {a}.{k}", parent=f"A{a}"))
    for k in range(draw(st.integers(0 if techs else 1, 2))):
        techs.append(Technology(id=f"k{k}", name=f"Key {k}", source=draw(texts)))
    ids = [t.id for t in techs]
    # dependencies, cycles allowed
    with_deps = []
    for t in techs:
        deps = draw(st.lists(st.sampled_from(ids), unique=True, max_size=2))
        deps = [d for d in deps if d != t.id]
        with_deps.append(Technology(**{**_fields(t), "depends_on": tuple(deps)}))
    techs = with_deps

    actors: list[Actor] = []
    for a in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["ministry", "ministry", "agency", "firm"]))
        start, end = draw(periods())
        actors.append(
            Actor(
                id=f"act{a}",
                name=f"Actor {a}",
                kind=kind,
                parent=draw(st.none() | st.sampled_from([x.id for x in actors]))
                if actors
                else None,
                firm_size=draw(st.none() | st.just("sme")) if kind == "firm" else None,
                start=start,
                end=end,
                verified=draw(st.booleans()),
            )
        )

    missions: list[Mission] = []
    for m in range(draw(st.integers(1, 5))):
        parent = draw(st.none() | st.sampled_from([x.id for x in missions])) if missions else None
        picked = draw(st.lists(st.sampled_from(ids), unique=True, max_size=4))
        start, due = draw(periods())
        missions.append(
            Mission(
                id=f"m{m}",
                name=f"Mission {m}",
                kind="mission"
                if parent is None
                else draw(st.sampled_from(["sub_mission", "challenge"])),
                parent=parent,
                goal=draw(texts),
                start=start,
                due=due,
                requires=tuple(
                    Requirement(
                        technology=t,
                        weight=draw(st.floats(min_value=0.01, max_value=1.0)),
                        note=draw(texts),
                        verified=draw(st.booleans()),
                    )
                    for t in picked
                ),
            )
        )

    instruments: list[Instrument] = []
    room: dict[tuple[str, int], float] = {}
    currency_of: dict[str, str] = {}
    for i in range(draw(st.integers(0, 6))):
        iid = f"i{i}"
        parent = draw(st.none() | st.sampled_from(instruments)) if instruments else None
        budget: list[BudgetEntry] = []
        if parent is not None:
            currency = currency_of[parent.id]
            for year in YEARS:
                if (parent.id, year) in room and draw(st.booleans()):
                    amount = float(draw(st.integers(0, int(room[parent.id, year]))))
                    room[parent.id, year] -= amount
                    budget.append(BudgetEntry(year=year, amount=money(amount, currency)))
        else:
            currency = draw(st.sampled_from(["KRW", "USD", "billion KRW"]))
            for year in YEARS:
                for stage in draw(st.lists(st.sampled_from(STAGES), unique=True, max_size=2)):
                    amount = float(draw(st.integers(0, 10**6)))
                    budget.append(
                        BudgetEntry(
                            year=year,
                            amount=money(amount, currency),
                            stage=stage,
                            date=draw(st.none() | dates),
                            source=draw(texts),
                        )
                    )
        currency_of[iid] = currency
        for e in budget:
            key = (iid, e.year)
            room[key] = min(room.get(key, float("inf")), float(e.amount.magnitude))
        picked = draw(st.lists(st.sampled_from(ids), unique=True, max_size=4))
        left = 1.0
        supports = []
        for t in picked:
            start, end = draw(periods())
            if draw(st.booleans()) and left > 0.05:
                share = draw(st.floats(min_value=0.01, max_value=left))
                left -= share
                supports.append(Support(technology=t, share=share, start=start, end=end))
            else:
                supports.append(
                    Support(technology=t, envelope=draw(st.booleans()), start=start, end=end)
                )
        start, end = draw(periods())
        instruments.append(
            Instrument(
                id=iid,
                name=f"Instrument {i}",
                kind=draw(st.sampled_from(["grants_business_rd", "PI007", "tax_relief_firms"])),
                budget=tuple(budget),
                supports=tuple(supports),
                missions=tuple(
                    draw(
                        st.lists(st.sampled_from([m.id for m in missions]), unique=True, max_size=2)
                    )
                ),
                administered_by=tuple(
                    draw(st.lists(st.sampled_from([a.id for a in actors]), unique=True, max_size=2))
                )
                if actors
                else (),
                part_of=parent.id if parent is not None else None,
                start=start,
                end=end,
                context=draw(st.booleans()),
                note=draw(texts),
            )
        )
    return Portfolio(
        id="random",
        name="Random",
        technologies=techs,
        missions=missions,
        instruments=instruments,
        actors=actors,
    )


def _fields(obj: Any) -> dict[str, Any]:
    import attrs

    return {f.name: getattr(obj, f.name) for f in attrs.fields(type(obj)) if f.init}


def tables_of(p: Portfolio) -> dict[str, dict[str, list[Any]]]:
    """The portfolio as plain columns, in the layout of ``TABLE_COLUMNS``."""
    t: dict[str, dict[str, list[Any]]] = {}
    t["technologies"] = {
        "id": [x.id for x in p.technologies],
        "name": [x.name for x in p.technologies],
        "kind": [x.kind.value for x in p.technologies],
        "parent": [x.parent for x in p.technologies],
        "source": [x.source for x in p.technologies],
        "verified": [x.verified for x in p.technologies],
    }
    t["dependencies"] = {
        "technology": [x.id for x in p.technologies for _ in x.depends_on],
        "depends_on": [d for x in p.technologies for d in x.depends_on],
    }
    t["missions"] = {
        "id": [m.id for m in p.missions],
        "name": [m.name for m in p.missions],
        "kind": [m.kind.value for m in p.missions],
        "parent": [m.parent for m in p.missions],
        "goal": [m.goal for m in p.missions],
        "start": [m.start for m in p.missions],
        "due": [m.due for m in p.missions],
    }
    t["requirements"] = {
        "mission": [m.id for m in p.missions for _ in m.requires],
        "technology": [r.technology for m in p.missions for r in m.requires],
        "weight": [r.weight for m in p.missions for r in m.requires],
        "note": [r.note for m in p.missions for r in m.requires],
        "verified": [r.verified for m in p.missions for r in m.requires],
    }
    ins = p.instruments
    t["instruments"] = {
        "id": [x.id for x in ins],
        "name": [x.name for x in ins],
        "kind": [x.kind.value for x in ins],
        "part_of": [x.part_of for x in ins],
        "start": [x.start for x in ins],
        "end": [x.end for x in ins],
        "context": [x.context for x in ins],
        "note": [x.note for x in ins],
    }
    sups = [(x.id, s) for x in ins for s in x.supports]
    t["supports"] = {
        "instrument": [i for i, _ in sups],
        "technology": [s.technology for _, s in sups],
        "share": [s.share for _, s in sups],
        "envelope": [s.envelope for _, s in sups],
        "start": [s.start for _, s in sups],
        "end": [s.end for _, s in sups],
    }
    buds = [(x.id, b) for x in ins for b in x.budget]
    t["budgets"] = {
        "instrument": [i for i, _ in buds],
        "year": [b.year for _, b in buds],
        "amount": [float(b.amount.magnitude) for _, b in buds],
        "currency": [format_amount(b.amount).split(" ", 1)[1] for _, b in buds],
        "stage": [b.stage.value if b.stage else None for _, b in buds],
        "date": [b.date for _, b in buds],
        "source": [b.source for _, b in buds],
    }
    t["serves"] = {
        "instrument": [x.id for x in ins for _ in x.missions],
        "mission": [m for x in ins for m in x.missions],
    }
    t["actors"] = {
        "id": [a.id for a in p.actors],
        "name": [a.name for a in p.actors],
        "kind": [a.kind.value for a in p.actors],
        "parent": [a.parent for a in p.actors],
        "firm_size": [a.firm_size.value if a.firm_size else None for a in p.actors],
        "start": [a.start for a in p.actors],
        "end": [a.end for a in p.actors],
        "verified": [a.verified for a in p.actors],
    }
    t["administrators"] = {
        "instrument": [x.id for x in ins for _ in x.administered_by],
        "actor": [a for x in ins for a in x.administered_by],
    }
    return t


def as_form(tables: dict[str, dict[str, list[Any]]], form: str) -> dict[str, Any]:
    if form == "columns":
        return dict(tables)
    if form == "pandas":
        return {name: pd.DataFrame(cols) for name, cols in tables.items()}
    out = {}
    for name, cols in tables.items():
        arrays = {}
        for c, values in cols.items():
            if c in ("start", "end", "due", "date"):
                arrays[c] = pa.array(values, type=pa.date32())
            elif c in ("share", "weight", "amount"):
                arrays[c] = pa.array(values, type=pa.float64())
            elif c in ("verified", "envelope", "context"):
                arrays[c] = pa.array(values, type=pa.bool_())
            elif c == "year":
                arrays[c] = pa.array(values, type=pa.int64())
            else:
                arrays[c] = pa.array(values, type=pa.string())
        out[name] = pa.table(arrays)
    return out


def _arrow_kernels(on: bool) -> Any:
    """Text checks in pyarrow's kernels (``on``) or in plain Python, as without pyarrow."""
    if on:
        return contextlib.nullcontext()
    return mock.patch("stratpolicy.model._columns._arrow", return_value=None)


def assert_same_index(a: GraphIndex, b: GraphIndex) -> None:
    for name in ("technology", "mission", "instrument", "incentive", "actor"):
        assert a.ids(name) == b.ids(name)
    for edge, m in a.edges.items():
        other = b.edges[edge]
        assert m.shape == other.shape and m.indices.dtype == other.indices.dtype, edge
        assert (m != other).nnz == 0, edge
    for attr in (
        "technology_names",
        "mission_names",
        "mission_kinds",
        "technology_kinds",
        "currencies",
    ):
        assert getattr(a, attr) == getattr(b, attr), attr
    for attr in (
        "is_area",
        "area_of",
        "mission_parent",
        "instrument_start",
        "instrument_end",
        "instrument_part_of",
        "is_ministry",
        "actor_start",
        "actor_end",
    ):
        assert np.array_equal(getattr(a, attr), getattr(b, attr)), attr
    for entries in ("support_entries", "budget_entries", "link_entries"):
        ea, eb = getattr(a, entries), getattr(b, entries)
        for field in type(ea).__slots__:
            assert np.array_equal(getattr(ea, field), getattr(eb, field), equal_nan=True), (
                entries,
                field,
            )


def assert_same_analyses(g: MissionGraph, h: MissionGraph, on: dt.date | None) -> None:
    for envelopes in (False, True):
        assert g.support(on=on, include_envelopes=envelopes) == h.support(
            on=on, include_envelopes=envelopes
        )
        assert g.coverage(on=on, include_envelopes=envelopes) == h.coverage(
            on=on, include_envelopes=envelopes
        )
        assert g.gaps(on=on, include_envelopes=envelopes) == h.gaps(
            on=on, include_envelopes=envelopes
        )
        assert g.bottlenecks(None, on=on, include_envelopes=envelopes) == h.bottlenecks(
            None, on=on, include_envelopes=envelopes
        )
    for m in g.index.mission_ids:
        assert g.mission_requirements(m, on=on) == h.mission_requirements(m, on=on)
    assert g.bottleneck_scores().tolist() == h.bottleneck_scores().tolist()
    assert g.rank_technologies() == h.rank_technologies()
    assert g.overlap(0.01, on=on) == h.overlap(0.01, on=on)
    assert g.overlap(0.01, on=on, top=2) == h.overlap(0.01, on=on, top=2)
    assert g.pipeline(on=on) == h.pipeline(on=on)
    assert (g.reach(on=on) != h.reach(on=on)).nnz == 0
    assert g.budget_years(on=on) == h.budget_years(on=on)
    for year in YEARS:
        for allocation in (None, "equal", "by_weight"):
            for stage in (None, "enacted"):
                assert g.funding_flow(year, on=on, allocation=allocation, stage=stage) == (
                    h.funding_flow(year, on=on, allocation=allocation, stage=stage)
                )
    assert g.cut_vertices() == h.cut_vertices()
    assert g.betweenness() == h.betweenness()
    assert g.linkage(on=on) == h.linkage(on=on)
    assert g.to_node_link(on=on) == h.to_node_link(on=on)
    assert g.provenance(on=on) == h.provenance(on=on)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    p=portfolios(),
    form=st.sampled_from(["columns", "pandas", "arrow"]),
    on=st.none() | dates,
    data=st.data(),
)
def test_tables_give_the_portfolio_and_the_analyses_of_its_objects(
    p: Portfolio, form: str, on: dt.date | None, data: st.DataObject
) -> None:
    with _arrow_kernels(data.draw(st.booleans())):
        q = Portfolio.from_tables(id=p.id, name=p.name, **as_form(tables_of(p), form))
    ids = [t.id for t in p.technologies]
    extra = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=3))
    extra = [(a, b) for a, b in extra if a != b]
    g, h = MissionGraph(p, dependencies=extra), MissionGraph(q, dependencies=extra)
    assert g.dependencies == h.dependencies
    # the index before any object of q exists
    assert_same_index(g.index, h.index)
    assert_same_analyses(g, h, on)
    # the objects, made lazily, are the objects
    for m in p.missions:
        assert q.mission(m.id) == m
    assert q == p
    assert tuple(q.instruments) == p.instruments
    assert len(q) == len(p) and {o.id for o in q} == {o.id for o in p}


def test_objects_are_made_when_asked_for() -> None:
    tables = {
        "technologies": {
            "id": ["ai", "llm"],
            "name": ["AI", "LLM"],
            "kind": ["area", None],
            "parent": [None, "ai"],
        },
        "instruments": {"id": ["p1", "p2"], "name": ["P1", "P2"], "kind": ["PI007", "PI008"]},
        "supports": {"instrument": ["p2", "p1"], "technology": ["ai", "llm"], "share": [0.5, None]},
    }
    p = Portfolio.from_tables(id="t", name="T", **tables)
    cache = p.instruments._cache  # type: ignore[attr-defined]
    assert cache == [None, None]
    g = p.graph()
    assert g.coverage() == ()  # no missions
    # p1 supports llm, p2 its area ai (both targeted: a share, the only share-less support)
    assert g.support()["llm"].instruments == ("p1", "p2")
    assert cache == [None, None]  # the graph and its analyses made no object
    assert p.instrument("p2").supports == (Support(technology="ai", share=0.5),)
    assert cache[0] is None and cache[1] is not None
    assert p["llm"] == Technology(id="llm", name="LLM", parent="ai")
    assert "p1" in p and "nope" not in p and len(p) == 4
    with pytest.raises(KeyError, match="no mission with id 'p1'"):
        p.mission("p1")
    # a change gives a portfolio of objects, checked as usual
    changed = p.remove("p1")
    assert changed.tables is None and [x.id for x in changed.instruments] == ["p2"]
    assert p.instruments[-1].id == "p2" and [x.id for x in p.instruments[0:1]] == ["p1"]


def test_graph_from_tables_is_the_portfolios_graph() -> None:
    g = MissionGraph.from_tables(
        id="t",
        name="T",
        technologies={"id": ["a", "b"], "name": ["A", "B"]},
        dependencies={"technology": ["b"], "depends_on": ["a"]},
        missions={"id": ["m"], "name": ["M"]},
        requirements={"mission": ["m"], "technology": ["b"]},
    )
    assert g.dependencies == (("b", "a"),)
    # m requires b, which depends on a: both have score 1 (worked out by hand)
    assert g.bottleneck_scores().tolist() == [1, 1]
    assert g is g.portfolio.graph()


NASTY = [
    None,
    "",
    " ",
    "bad id!",
    "m0",
    "i0",
    "A0",
    "k0",
    "act0",
    0,
    -1.0,
    1.5,
    float("nan"),
    True,
    "2025-13-01",
    "2025-02-01",
    dt.date(2020, 1, 1),
    "area",
    "challenge",
    "enacted",
    "USD",
    "bitcoin",
    10**13,
    "x" * 101,
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p=portfolios(), data=st.data())
def test_a_bad_cell_is_refused_or_gives_a_portfolio_the_model_accepts(
    p: Portfolio, data: st.DataObject
) -> None:
    """Corrupt one cell: either a library error, or every object is valid and rechecked."""
    tables = tables_of(p)
    names = [n for n, cols in tables.items() if cols and len(next(iter(cols.values())))]
    table = data.draw(st.sampled_from(names))
    column = data.draw(st.sampled_from(sorted(tables[table])))
    cells = list(tables[table][column])
    row = data.draw(st.integers(0, len(cells) - 1))
    cells[row] = data.draw(st.sampled_from(NASTY))
    tables[table] = {**tables[table], column: cells}
    form = data.draw(st.sampled_from(["columns", "pandas"]))
    refused: DataError | None = None
    try:
        with _arrow_kernels(data.draw(st.booleans())):
            q = Portfolio.from_tables(id="q", name="Q", **as_form(tables, form))
    except DataError as error:
        refused = error
    if refused is not None:  # every problem names a table
        assert all(pr.path.startswith(tuple(TABLE_COLUMNS)) for pr in refused.problems)
        return
    # accepted: every object can be made, and the model checks them all again
    again = Portfolio(
        id="q",
        name="Q",
        technologies=list(q.technologies),
        missions=list(q.missions),
        instruments=list(q.instruments),
        actors=list(q.actors),
    )
    assert again == q
    assert_same_index(MissionGraph(again).index, MissionGraph(q).index)
