"""Portfolios from tables: column-wise checks, no object per row until one is asked for.

:meth:`Portfolio.from_tables <stratpolicy.model.Portfolio.from_tables>` reads one table
per kind of object or link (:data:`TABLE_COLUMNS`), checks every rule the model classes
check, a column at a time (ids unique and well formed, references resolved to an object
of the right kind, shares and weights in range, dates in order, currencies consistent
between budget lines, no cycles), and keeps the validated columns as
:class:`PortfolioTables`. The graph's index is built from those columns directly. The
portfolio's objects (``portfolio.instruments[5]``, ``portfolio.instrument("p1")``) are
built one at a time, when asked for, and kept.

A problem anywhere raises one :class:`~stratpolicy.errors.DataError` listing every problem
with its table, row (counted from 0) and column -- ``supports[17].share`` -- before any
portfolio exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import numpy.typing as npt

from stratpolicy._checks import id_problem
from stratpolicy.errors import CurrencyError, DuplicateIdError, UnitError, UnknownReferenceError
from stratpolicy.limits import MAX_LIST_PROBLEMS
from stratpolicy.model._actor import Actor
from stratpolicy.model._columns import NO_END, NO_START, Codes, Ids, Problems, Repeat, TableReader
from stratpolicy.model._enums import (
    ActorKind,
    BudgetStage,
    FirmSize,
    InstrumentKind,
    MissionKind,
    TechnologyKind,
)
from stratpolicy.model._instrument import BudgetEntry, Instrument, Support
from stratpolicy.model._mission import Mission, Requirement
from stratpolicy.model._technology import Technology

if TYPE_CHECKING:
    from stratpolicy.model._portfolio import Entity, Portfolio

__all__ = ["TABLE_COLUMNS", "LazyObjects", "PortfolioTables", "portfolio_from_tables"]

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "technologies": (
        "id",
        "name",
        "kind",
        "parent",
        "name_local",
        "description",
        "source",
        "verified",
    ),
    "dependencies": ("technology", "depends_on"),
    "missions": (
        "id",
        "name",
        "kind",
        "parent",
        "goal",
        "name_local",
        "start",
        "due",
        "source",
        "verified",
        "note",
    ),
    "requirements": ("mission", "technology", "weight", "note", "source", "verified"),
    "instruments": (
        "id",
        "name",
        "kind",
        "description",
        "name_local",
        "part_of",
        "start",
        "end",
        "context",
        "source",
        "verified",
        "note",
    ),
    "supports": (
        "instrument",
        "technology",
        "share",
        "envelope",
        "start",
        "end",
        "source",
        "verified",
        "note",
    ),
    "budgets": (
        "instrument",
        "year",
        "amount",
        "currency",
        "stage",
        "date",
        "source",
        "verified",
        "note",
    ),
    "serves": ("instrument", "mission"),
    "actors": (
        "id",
        "name",
        "kind",
        "name_local",
        "abbreviation",
        "parent",
        "firm_size",
        "country",
        "start",
        "end",
        "source",
        "verified",
    ),
    "administrators": ("instrument", "actor"),
}
"""The tables :meth:`~stratpolicy.model.Portfolio.from_tables` reads and their columns.

The first columns of each are required: ``id`` and ``name`` of every node table, ``kind``
of instruments and actors, both ends of every link table, and ``year``, ``amount`` and
``currency`` of budgets. Any other column is optional; a column not listed is refused (so
that a misspelt ``shares`` is not silently ignored)."""

_REQUIRED: dict[str, tuple[str, ...]] = {
    "technologies": ("id", "name"),
    "dependencies": ("technology", "depends_on"),
    "missions": ("id", "name"),
    "requirements": ("mission", "technology"),
    "instruments": ("id", "name", "kind"),
    "supports": ("instrument", "technology"),
    "budgets": ("instrument", "year", "amount", "currency"),
    "serves": ("instrument", "mission"),
    "actors": ("id", "name", "kind"),
    "administrators": ("instrument", "actor"),
}

# node tables: the kind name used in messages and the portfolio collection
_NODES = {
    "technologies": "technology",
    "missions": "mission",
    "instruments": "instrument",
    "actors": "actor",
}
_SHARE_TOLERANCE = 1e-9
_I32 = np.int32
Int32Array = npt.NDArray[np.int32]
IntArray = npt.NDArray[np.int64]


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


class NodeColumns:
    """The validated columns of one node table (technologies, missions, instruments, actors).

    Attributes:
        table: The table's name.
        ids: The ids, in row order (a node's row is its position).
        positions: Id -> position (built on first use).
        names: The names.
        columns: Every column by name, as read: lists of text, numpy arrays of numbers,
            booleans and day ordinals (:data:`NO_START` / :data:`NO_END` for open dates),
            lists of enumeration members.
        parent: Position of the parent (``part_of`` for instruments), -1 for none.
        start: First day (ordinal), :data:`NO_START` when open (missions: ``start``).
        end: Last day (ordinal), :data:`NO_END` when open (missions: ``due``).
        is_area: Technologies: whether each is an area.
        kinds: Missions: each one's kind, as text.
        is_ministry: Actors: whether each is a ministry.
    """

    def __init__(self, table: str, ids: Ids, columns: dict[str, Any]) -> None:
        self.table = table
        self.id_column = ids
        self.ids: list[str] = [v if v is not None else "" for v in ids.items]
        self.names: list[str] = columns["name"]
        self.columns = columns
        n = len(self.ids)
        self.parent: Int32Array = np.full(n, -1, dtype=_I32)
        self.start: IntArray = np.full(n, NO_START, dtype=np.int64)
        self.end: IntArray = np.full(n, NO_END, dtype=np.int64)
        self.is_area: npt.NDArray[np.bool_] = np.zeros(n, dtype=np.bool_)
        self.kinds: list[str] = []
        self.is_ministry: npt.NDArray[np.bool_] = np.zeros(n, dtype=np.bool_)

    @cached_property
    def positions(self) -> dict[str, int]:
        """Id -> position (built on first use)."""
        return dict(zip(self.ids, range(len(self.ids)), strict=True))

    @property
    def part_of(self) -> Int32Array:
        """Instruments: the position of the instrument each is a budget line of, or -1."""
        return self.parent

    def __len__(self) -> int:
        return len(self.ids)


class LinkColumns:
    """The validated columns of one link table, grouped by the object owning each row.

    Rows are reordered so that each owner's rows (a mission's requirements, an
    instrument's supports...) are together, in table order: the owner ``i`` has the rows
    ``indptr[i]:indptr[i + 1]``. ``rows`` gives each row's number in the table.

    Attributes:
        table: The table's name.
        rows: The table row of each (reordered) row.
        indptr: Row pointers per owner.
        columns: Every column by name, reordered.
    """

    def __init__(
        self, table: str, owner: Int32Array, n_owners: int, columns: dict[str, Any]
    ) -> None:
        self.table = table
        order = np.argsort(owner, kind="stable")
        self.rows: IntArray = order.astype(np.int64)
        self.indptr: IntArray = np.zeros(n_owners + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner, minlength=n_owners), out=self.indptr[1:])
        self.columns: dict[str, Any] = {
            name: _take(values, order) for name, values in columns.items()
        }

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["columns"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __len__(self) -> int:
        return len(self.rows)

    def span(self, owner: int) -> range:
        """The (reordered) rows of one owner."""
        return range(int(self.indptr[owner]), int(self.indptr[owner + 1]))


def _take(values: Any, order: npt.NDArray[np.intp]) -> Any:
    if isinstance(values, np.ndarray):
        return values[order]
    if isinstance(values, (Codes, Repeat)):
        return values.take(order) if isinstance(values, Codes) else values
    return np.asarray(values, dtype=object)[order].tolist()


class PortfolioTables:
    """The validated columns of a portfolio built from tables (``portfolio.tables``).

    See :meth:`Portfolio.from_tables <stratpolicy.model.Portfolio.from_tables>`.

    One attribute per table of :data:`TABLE_COLUMNS` (an empty table when not given):
    node tables are :class:`NodeColumns`, link tables :class:`LinkColumns`. Positions
    (``supports.instrument``, ``requirements.technology``...) are ``int32`` arrays into the
    node tables. Budgets also hold ``whole_amount`` (in whole units of the currency),
    ``currency_code`` (a position in ``budgets.currency_codes``) and ``stage`` (the
    stage's finality, 0 for none).
    """

    technologies: NodeColumns
    missions: NodeColumns
    instruments: NodeColumns
    actors: NodeColumns
    dependencies: LinkColumns
    requirements: LinkColumns
    supports: LinkColumns
    budgets: LinkColumns
    serves: LinkColumns
    administrators: LinkColumns

    def node_table(self, kind: str) -> NodeColumns:
        """The node table holding objects of ``kind`` (``"instrument"``...)."""
        table: NodeColumns = getattr(self, _FIELD_OF_KIND[kind])
        return table

    # -- objects, one at a time --------------------------------------------------------

    def technology(self, i: int) -> Technology:
        """The technology at position ``i``, built from its rows."""
        t, c = self.technologies, self.technologies.columns
        deps = self.dependencies
        parent = int(t.parent[i])
        return Technology(
            id=t.ids[i],
            name=t.names[i],
            kind=c["kind"][i],
            name_local=c["name_local"][i],
            parent=t.ids[parent] if parent >= 0 else None,
            depends_on=_many(t.ids[deps.depends_on[k]] for k in deps.span(i)),
            description=c["description"][i],
            source=c["source"][i],
            verified=bool(c["verified"][i]),
        )

    def mission(self, i: int) -> Mission:
        """The mission at position ``i``, built from its rows and requirements."""
        m, c = self.missions, self.missions.columns
        req = self.requirements
        tech = self.technologies.ids
        parent = int(m.parent[i])
        return Mission(
            id=m.ids[i],
            name=m.names[i],
            kind=c["kind"][i],
            goal=c["goal"][i],
            name_local=c["name_local"][i],
            requires=_many(
                Requirement(
                    technology=tech[req.technology[k]],
                    weight=float(req.weight[k]),
                    note=req.note[k],
                    source=req.source[k],
                    verified=bool(req.verified[k]),
                )
                for k in req.span(i)
            ),
            parent=m.ids[parent] if parent >= 0 else None,
            start=_date(m.start[i]),
            due=_date(m.end[i]),
            source=c["source"][i],
            verified=bool(c["verified"][i]),
            note=c["note"][i],
        )

    def instrument(self, i: int) -> Instrument:
        """The instrument at position ``i``, built from its rows, supports and budgets."""
        from stratpolicy.units import money

        x, c = self.instruments, self.instruments.columns
        sup, bud, srv, adm = self.supports, self.budgets, self.serves, self.administrators
        tech, actor, mission = self.technologies.ids, self.actors.ids, self.missions.ids
        parent = int(x.parent[i])
        return Instrument(
            id=x.ids[i],
            name=x.names[i],
            kind=c["kind"][i],
            description=c["description"][i],
            name_local=c["name_local"][i],
            budget=_many(
                BudgetEntry(
                    year=int(bud.year[k]),
                    amount=money(bud.amount[k].item(), bud.currency[k]),
                    stage=bud.stage_member[k],
                    date=_date(bud.date[k]),
                    source=bud.source[k],
                    verified=bool(bud.verified[k]),
                    note=bud.note[k],
                )
                for k in bud.span(i)
            ),
            administered_by=_many(actor[adm.actor[k]] for k in adm.span(i)),
            supports=_many(
                Support(
                    technology=tech[sup.technology[k]],
                    share=None if np.isnan(sup.share[k]) else float(sup.share[k]),
                    envelope=bool(sup.envelope[k]),
                    start=_date(sup.start[k]),
                    end=_date(sup.end[k]),
                    source=sup.source[k],
                    verified=bool(sup.verified[k]),
                    note=sup.note[k],
                )
                for k in sup.span(i)
            ),
            missions=_many(mission[srv.mission[k]] for k in srv.span(i)),
            part_of=x.ids[parent] if parent >= 0 else None,
            start=_date(x.start[i]),
            end=_date(x.end[i]),
            context=bool(c["context"][i]),
            source=c["source"][i],
            verified=bool(c["verified"][i]),
            note=c["note"][i],
        )

    def actor(self, i: int) -> Actor:
        """The actor at position ``i``, built from its row."""
        a, c = self.actors, self.actors.columns
        parent = int(a.parent[i])
        return Actor(
            id=a.ids[i],
            name=a.names[i],
            kind=c["kind"][i],
            name_local=c["name_local"][i],
            abbreviation=c["abbreviation"][i],
            parent=a.ids[parent] if parent >= 0 else None,
            firm_size=c["firm_size"][i],
            country=c["country"][i],
            start=_date(a.start[i]),
            end=_date(a.end[i]),
            source=c["source"][i],
            verified=bool(c["verified"][i]),
        )


_FIELD_OF_KIND = {kind: table for table, kind in _NODES.items()}


def _many(items: Iterator[Any]) -> Any:
    """A tuple for a model field whose converter is ``tuple`` (its parameter is untyped)."""
    return tuple(items)


def _date(ordinal: Any) -> dt.date | None:
    o = int(ordinal)
    return None if o in (NO_START, NO_END) else dt.date.fromordinal(o)


# -- lazy objects -----------------------------------------------------------------------


class LazyObjects(Sequence[Any]):
    """A portfolio collection built from tables: each object is made on first access.

    A read-only sequence that compares equal to a tuple of the same objects; ``len()``
    costs nothing; iterating makes every object (and keeps them).
    """

    __slots__ = ("_cache", "_make", "_n")

    def __init__(self, n: int, make: Callable[[int], Any]) -> None:
        self._n = n
        self._make = make
        self._cache: list[Any] = [None] * n

    def __len__(self) -> int:
        return self._n

    def _item(self, i: int) -> Any:
        obj = self._cache[i]
        if obj is None:
            obj = self._cache[i] = self._make(i)
        return obj

    @overload
    def __getitem__(self, i: int) -> Any: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[Any, ...]: ...
    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return tuple(self._item(j) for j in range(*i.indices(self._n)))
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("index out of range")
        return self._item(i)

    def __iter__(self) -> Iterator[Any]:
        for i in range(self._n):
            yield self._item(i)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, list, LazyObjects)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __add__(self, other: Sequence[Any]) -> tuple[Any, ...]:
        return (*self, *other)

    def __radd__(self, other: Sequence[Any]) -> tuple[Any, ...]:
        return (*other, *self)

    def __repr__(self) -> str:
        return f"<{self._n} objects, built on first access>"


class LazyIndex(Mapping[str, "Entity"]):
    """Id -> object of a portfolio built from tables, making the object when looked up."""

    def __init__(self, tables: PortfolioTables, collections: dict[str, LazyObjects]) -> None:
        self._tables = tables
        self._collections = collections

    def _find(self, id: str) -> tuple[str, int] | None:
        for table, kind in _NODES.items():
            pos = getattr(self._tables, table).positions.get(id)
            if pos is not None:
                return kind, pos
        return None

    def __getitem__(self, id: str) -> Entity:
        found = self._find(id) if isinstance(id, str) else None
        if found is None:
            raise KeyError(id)
        kind, pos = found
        obj: Entity = self._collections[_FIELD_OF_KIND[kind]][pos]
        return obj

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and self._find(id) is not None

    def __iter__(self) -> Iterator[str]:
        for table in _NODES:
            yield from getattr(self._tables, table).ids

    def __len__(self) -> int:
        return sum(len(getattr(self._tables, table).ids) for table in _NODES)


# -- reading and checking -----------------------------------------------------------------


def portfolio_from_tables(meta: dict[str, Any], sources: dict[str, object]) -> Portfolio:
    """Build a checked portfolio from tables (see :meth:`Portfolio.from_tables`)."""
    from stratpolicy.model._portfolio import Portfolio

    head = Portfolio(**meta)  # checks the portfolio's own fields
    tables = read_tables(sources)
    p: Portfolio = object.__new__(Portfolio)
    for field in ("id", "name", "description", "country", "as_of", "source", "verified"):
        object.__setattr__(p, field, getattr(head, field))
    collections = {
        "technologies": LazyObjects(len(tables.technologies), tables.technology),
        "missions": LazyObjects(len(tables.missions), tables.mission),
        "instruments": LazyObjects(len(tables.instruments), tables.instrument),
        "actors": LazyObjects(len(tables.actors), tables.actor),
    }
    for field, objects in collections.items():
        object.__setattr__(p, field, objects)
    object.__setattr__(p, "incentives", ())
    object.__setattr__(p, "roadmaps", ())
    object.__setattr__(p, "_index", LazyIndex(tables, collections))
    object.__setattr__(p, "_graph", None)
    object.__setattr__(p, "_tables", tables)
    return p


def read_tables(sources: dict[str, object]) -> PortfolioTables:
    """Read and check every table; raise every problem together.

    Raises:
        DataError: Any problem, each with its table, row and column.
    """
    problems = Problems()
    unknown = [name for name in sources if name not in TABLE_COLUMNS]
    if unknown:  # a programming error of the caller, not of the data
        raise TypeError(f"unknown table(s) {', '.join(map(repr, unknown))}")
    readers = {
        name: TableReader(name, source, TABLE_COLUMNS[name], problems)
        for name, source in sources.items()
        if source is not None
    }
    t = PortfolioTables()
    node_ids: dict[str, Ids] = {}
    node_cols: dict[str, dict[str, Any]] = {}
    for table in _NODES:
        node_ids[table], node_cols[table] = _read_node(table, readers.get(table))
    _check_unique_ids(node_ids, problems)
    for table in _NODES:
        setattr(t, table, NodeColumns(table, node_ids[table], node_cols[table]))
    links = {
        "dependencies": ("technology", "technology", "depends_on", "technology"),
        "requirements": ("mission", "mission", "technology", "technology"),
        "supports": ("instrument", "instrument", "technology", "technology"),
        "budgets": ("instrument", "instrument", None, None),
        "serves": ("instrument", "instrument", "mission", "mission"),
        "administrators": ("instrument", "instrument", "actor", "actor"),
    }
    link_cols = {table: _read_link(table, readers.get(table)) for table in links}
    # every reference, resolved with one lookup per kind of object
    jobs: list[tuple[str, str, Ids, str]] = []
    for table, kind in _NODES.items():
        column = "part_of" if table == "instruments" else "parent"
        jobs.append((table, column, node_cols[table]["_parent"], kind))
    for table, (owner_col, owner_kind, other_col, other_kind) in links.items():
        jobs.append((table, owner_col, link_cols[table][f"_{owner_col}"], owner_kind))
        if other_col is not None and other_kind is not None:
            jobs.append((table, other_col, link_cols[table][f"_{other_col}"], other_kind))
    at = _Resolver(t, problems).resolve_all(jobs)
    _check_nodes(t, at, problems)
    for table, (owner_col, owner_kind, other_col, other_kind) in links.items():
        cols = link_cols[table]
        del cols[f"_{owner_col}"]
        owner = cols[owner_col] = at[table, owner_col]
        if other_col is not None and other_kind is not None:
            del cols[f"_{other_col}"]
            other = cols[other_col] = at[table, other_col]
            _check_pairs(table, owner_col, other_col, owner, other, problems)
        n_owners = len(t.node_table(owner_kind).ids)
        setattr(t, table, _Link(table, owner, n_owners, cols))
    _check_links(t, problems)
    if not problems.items:
        _check_cycles(t, problems)
    if not problems.items:
        _check_budget_parts(t, problems)
    problems.done(order=tuple(TABLE_COLUMNS))
    codes: list[str] = t.budgets.cols.pop("_codes")
    # group each link table by its owner, once everything holds
    for table in links:
        link: _Link = getattr(t, table)
        setattr(t, table, LinkColumns(table, link.owner, link.n_owners, link.cols))
    # currencies numbered by first use, instrument by instrument (as the objects are read)
    b = t.budgets
    used, first = np.unique(b.currency_code, return_index=True)
    ordered = used[np.argsort(first)]
    renumber = np.zeros(len(codes), dtype=np.int64)
    renumber[ordered] = np.arange(len(ordered))
    b.columns["currency_code"] = renumber[b.currency_code]
    b.__dict__["currency_codes"] = [codes[c] for c in ordered.tolist()]
    return t


class _Link:
    """A link table before grouping."""

    def __init__(self, table: str, owner: Int32Array, n_owners: int, cols: dict[str, Any]) -> None:
        self.table = table
        self.owner = owner
        self.n_owners = n_owners
        self.cols = cols

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["cols"][name]
        except KeyError:
            raise AttributeError(name) from None


def _read_node(table: str, r: TableReader | None) -> tuple[Ids, dict[str, Any]]:
    """The ids and checked columns of a node table (empty when not given)."""
    if r is None:
        r = TableReader(table, {c: [] for c in _REQUIRED[table]}, TABLE_COLUMNS[table], Problems())
    ids = r.ids("id")
    cols: dict[str, Any] = {"name": r.texts("name", required=True, non_empty=True)}
    if table == "technologies":
        cols["kind"] = r.enum("kind", TechnologyKind, default=TechnologyKind.KEY_TECHNOLOGY)
        cols["_parent"] = r.ids("parent", required=False, check=False)
        for c in ("name_local", "description", "source"):
            cols[c] = r.texts(c)
    elif table == "missions":
        cols["kind"] = r.enum("kind", MissionKind, default=MissionKind.MISSION)
        cols["_parent"] = r.ids("parent", required=False, check=False)
        for c in ("goal", "name_local", "source", "note"):
            cols[c] = r.texts(c)
        cols["start"] = r.dates("start", NO_START)
        cols["due"] = r.dates("due", NO_END)
    elif table == "instruments":
        cols["kind"] = r.enum("kind", InstrumentKind, required=True)
        cols["_parent"] = r.ids("part_of", required=False, check=False)
        for c in ("description", "name_local", "source", "note"):
            cols[c] = r.texts(c)
        cols["start"] = r.dates("start", NO_START)
        cols["end"] = r.dates("end", NO_END)
        cols["context"] = r.bools("context")
    else:
        cols["kind"] = r.enum("kind", ActorKind, required=True)
        cols["_parent"] = r.ids("parent", required=False, check=False)
        for c in ("name_local", "abbreviation", "country", "source"):
            cols[c] = r.texts(c)
        cols["firm_size"] = r.enum("firm_size", FirmSize)
        cols["start"] = r.dates("start", NO_START)
        cols["end"] = r.dates("end", NO_END)
    cols["verified"] = r.bools("verified")
    return ids, cols


def _read_link(table: str, r: TableReader | None) -> dict[str, Any]:
    """The checked columns of a link table (empty when not given); ids as ``_name``."""
    if r is None:
        r = TableReader(table, {c: [] for c in _REQUIRED[table]}, TABLE_COLUMNS[table], Problems())
    cols: dict[str, Any] = {}
    for c in _REQUIRED[table][:2] if table != "budgets" else ("instrument",):
        cols[f"_{c}"] = r.ids(c, check=False)
    if table == "requirements":
        cols["weight"] = r.floats("weight", default=1.0, low=0.0, high=1.0, low_open=True)
    elif table == "supports":
        cols["share"] = r.floats("share", low=0.0, high=1.0, low_open=True)
        cols["envelope"] = r.bools("envelope")
        cols["start"] = r.dates("start", NO_START)
        cols["end"] = r.dates("end", NO_END)
    elif table == "budgets":
        cols["year"] = r.whole("year", 1900, 2200)
        cols["amount"] = r.numbers("amount")
        cols["currency"] = r.categories("currency")
        stages = r.enum("stage", BudgetStage)
        cols["stage_member"] = stages
        finality = np.asarray([0 if m is None else m.finality for m in stages.members])
        cols["stage"] = finality[stages.codes.astype(np.int64)].astype(np.int64)
        cols["date"] = r.dates("date", NO_START)
    if table in ("requirements", "supports", "budgets"):
        for c in ("note", "source"):
            cols[c] = r.texts(c)
        cols["verified"] = r.bools("verified")
    return cols


def _check_unique_ids(node_ids: dict[str, Ids], problems: Problems) -> None:
    """No id twice, across every node table."""
    seen: set[str | None] = set()
    total = 0
    for table in _NODES:
        items = node_ids[table].items
        seen.update(items)
        total += len(items) - items.count(None)
    if len(seen - {None}) == total:
        return
    where: dict[str, str] = {}
    for table in _NODES:
        ids = node_ids[table].items
        dupes: list[int] = []
        first: dict[int, str] = {}
        for r, v in enumerate(ids):
            if v is None:
                continue
            if v in where:
                dupes.append(r)
                first[r] = where[v]
            else:
                where[v] = f"{table}[{r}]"
        for r in dupes[:MAX_LIST_PROBLEMS]:
            problems.add(
                f"{table}[{r}].id",
                f"duplicate id {ids[r]!r}: already used by {first[r]}",
                DuplicateIdError,
            )
        if len(dupes) > MAX_LIST_PROBLEMS:
            problems.add(
                f"{table}.id",
                f"... and {len(dupes) - MAX_LIST_PROBLEMS:,} more duplicate ids",
                DuplicateIdError,
            )


def _lookup_many(columns: list[Ids], node: NodeColumns) -> list[Int32Array]:
    """The positions of several id columns among one node table's ids, in one pass."""
    ids = node.id_column
    if not columns:
        return []
    if ids.arrow is not None and all(c.arrow is not None for c in columns):
        import pyarrow as pa
        import pyarrow.compute as pc

        parts = [c.arrow.cast(ids.arrow.type) for c in columns]
        found = pc.fill_null(
            pc.index_in(pa.chunked_array(parts), value_set=ids.arrow, skip_nulls=True), -1
        )
        flat = np.asarray(found.to_numpy(), dtype=np.int32)
        bounds = np.cumsum([len(c) for c in columns])[:-1]
        return list(np.split(flat, bounds))
    return [c.lookup(ids, lambda: node.positions) for c in columns]


class _Resolver:
    """Turns id columns into positions, reporting ids that name nothing or the wrong kind."""

    def __init__(self, t: PortfolioTables, problems: Problems) -> None:
        self.t = t
        self.problems = problems
        self.kind_of: dict[str, str] | None = None

    def resolve_all(
        self, jobs: list[tuple[str, str, Ids, str]]
    ) -> dict[tuple[str, str], Int32Array]:
        """Positions of each job's ids among the nodes of its kind; -1 when missing.

        A job is ``(table, column, ids, kind)``. A value that names no node of ``kind``
        is a problem (and -1). The columns naming one kind are looked up together (one
        hash table per kind).
        """
        out: dict[tuple[str, str], Int32Array] = {}
        for kind in _NODES.values():
            mine = [(table, column, ids) for table, column, ids, k in jobs if k == kind]
            node = self.t.node_table(kind)
            found = _lookup_many([ids for _, _, ids in mine], node)
            for (table, column, ids), positions in zip(mine, found, strict=True):
                self._report(table, column, ids, positions, kind)
                out[table, column] = positions
        return out

    def _report(self, table: str, column: str, values: Ids, out: Int32Array, kind: str) -> None:
        unresolved = np.flatnonzero(out < 0)
        if not len(unresolved):
            return
        bad = unresolved[~values.null_mask()[unresolved]]
        if not len(bad):
            return
        shown = values.values_at(bad[:MAX_LIST_PROBLEMS])
        # a value that is not even an id says so; one that is names nothing of ``kind``
        grammar = {r: p for r, v in shown.items() if (p := id_problem(v)) is not None}
        if grammar:
            rows = [r for r in bad.tolist() if r in grammar]
            self.problems.rows(
                table, column, rows, lambda r: grammar[r][0], next(iter(grammar.values()))[1]
            )
        names = [r for r in bad.tolist() if r not in grammar]
        if names:
            self.problems.rows(
                table,
                column,
                names,
                lambda r: self._message(shown.get(r), kind),
                UnknownReferenceError,
            )

    def _message(self, value: str | None, kind: str) -> str:
        if self.kind_of is None:
            self.kind_of = {v: k for table, k in _NODES.items() for v in getattr(self.t, table).ids}
        other = self.kind_of.get(str(value))
        if other is None:
            return f"unknown {kind} {value!r}"
        return f"{value!r} is {_a(other)}, not {_a(kind)}"


def _check_nodes(
    t: PortfolioTables, at: dict[tuple[str, str], Int32Array], problems: Problems
) -> None:
    """The rules of each node: parents, kinds, dates."""
    raw_parent: dict[str, Ids] = {}
    for table, kind in _NODES.items():
        node = t.node_table(kind)
        cols = node.columns
        column = "part_of" if table == "instruments" else "parent"
        raw_parent[table] = cols.pop("_parent")
        node.parent = at[table, column]
        self_parent = np.flatnonzero(node.parent == np.arange(len(node.ids)))
        if len(self_parent):
            problems.rows(table, column, self_parent, _SELF_PARENT[table])
        if "start" in cols:
            end_col = "due" if table == "missions" else "end"
            node.start, node.end = cols.pop("start"), cols.pop(end_col)
            early = np.flatnonzero(node.end < node.start)
            for r in early[:MAX_LIST_PROBLEMS].tolist():
                problems.add(f"{table}[{r}].{end_col}", _before(node.start[r], node.end[r]))
    tech = t.technologies
    tech.is_area = tech.columns["kind"].is_(TechnologyKind.AREA)
    bad = np.flatnonzero(tech.is_area & (tech.parent >= 0))
    if len(bad):
        problems.rows("technologies", "parent", bad, lambda r: "an area has no parent technology")
    mis = t.missions
    kinds: Codes[MissionKind] = mis.columns["kind"]
    mis.kinds = [k.value if k is not None else "" for k in kinds]
    is_mission = kinds.is_(MissionKind.MISSION)
    bad = np.flatnonzero(is_mission & (mis.parent >= 0))
    if len(bad):
        problems.rows(
            "missions", "kind", bad, "a mission with a parent must be a sub_mission or a challenge"
        )
    # a parent given that names nothing was reported already
    known = kinds.codes != 0
    orphans = np.flatnonzero(
        known & ~is_mission & (mis.parent < 0) & raw_parent["missions"].null_mask()
    )
    if len(orphans):
        problems.rows(
            "missions",
            "parent",
            orphans,
            lambda r: f"a {kinds.members[kinds.codes[r]].value} needs a parent mission",
        )
    act = t.actors
    akinds: Codes[ActorKind] = act.columns["kind"]
    act.is_ministry = akinds.is_(ActorKind.MINISTRY)
    sizes: Codes[FirmSize] = act.columns["firm_size"]
    bad_size = np.flatnonzero(
        (sizes.codes != 0) & (akinds.codes != 0) & ~akinds.is_(ActorKind.FIRM)
    )
    if len(bad_size):
        problems.rows(
            "actors",
            "firm_size",
            bad_size,
            lambda r: f"only firms have a size, not a {akinds.members[akinds.codes[r]].value}",
        )


_SELF_PARENT = {
    "technologies": "a technology cannot be its own parent",
    "missions": "a mission cannot be its own parent",
    "instruments": "an instrument cannot be part of itself",
    "actors": "an actor cannot be its own parent",
}


def _before(start: Any, end: Any) -> str:
    return (
        f"must not be before the start date {dt.date.fromordinal(int(start)).isoformat()}, "
        f"got {dt.date.fromordinal(int(end)).isoformat()}"
    )


def _check_pairs(
    table: str,
    owner_col: str,
    other_col: str,
    owner: Int32Array,
    other: Int32Array,
    problems: Problems,
) -> None:
    """No link twice; no technology depending on itself."""
    ok = (owner >= 0) & (other >= 0)
    key = owner.astype(np.int64) * (int(other.max(initial=0)) + 1) + other
    rows = np.flatnonzero(ok)
    if len(rows):
        order = rows[np.argsort(key[rows], kind="stable")]
        repeat = order[1:][key[order[1:]] == key[order[:-1]]]
        if len(repeat):
            problems.rows(
                table,
                other_col,
                np.sort(repeat),
                lambda r: f"duplicate {other_col} for this {owner_col}",
            )
    if table == "dependencies":
        self_dep = np.flatnonzero(ok & (owner == other))
        if len(self_dep):
            problems.rows(
                table, other_col, self_dep, lambda r: "a technology cannot depend on itself"
            )


def _check_links(t: PortfolioTables, problems: Problems) -> None:
    """Supports (envelopes, dates, shares per instrument) and budgets (unique, money)."""
    s: _Link = t.supports  # type: ignore[assignment]
    share = s.share
    has = ~np.isnan(share)
    both = np.flatnonzero(has & s.envelope)
    if len(both):
        problems.rows(
            "supports",
            "envelope",
            both,
            lambda r: (
                "a support with a share is targeted, not part of an envelope: "
                "drop the share or the envelope flag"
            ),
        )
    early = np.flatnonzero(s.end < s.start)
    if len(early):
        problems.rows("supports", "end", early, lambda r: _before(s.start[r], s.end[r]))
    ok = s.owner >= 0
    n_inst = len(t.instruments.ids)
    total = np.bincount(s.owner[ok], weights=np.where(has, share, 0.0)[ok], minlength=n_inst)
    over = np.flatnonzero(total > 1.0 + _SHARE_TOLERANCE)
    if len(over):
        first_row: dict[int, int] = {}
        for r in np.flatnonzero(ok & has).tolist():
            first_row.setdefault(int(s.owner[r]), r)
        ids = t.instruments.ids
        rows = [first_row[i] for i in over.tolist()]
        problems.rows(
            "supports",
            "share",
            rows,
            lambda r: (
                f"the shares of instrument {ids[int(s.owner[r])]!r} add up to "
                f"{total[int(s.owner[r])]:g}, more than 1"
            ),
        )
    _check_budgets(t, problems)


def _check_budgets(t: PortfolioTables, problems: Problems) -> None:
    from stratpolicy.units import currency_of, money

    b: _Link = t.budgets  # type: ignore[assignment]
    codes: list[str] = []
    code_of: dict[str, int] = {}
    currency: Codes[str] = b.currency
    n_members = len(currency.members)
    m_cur = np.full(n_members, -1, dtype=np.int64)
    m_factor = np.zeros(n_members)
    m_base = np.zeros(n_members)
    why: dict[int, str] = {}
    for m, text in enumerate(currency.members):
        if not text:
            continue  # a missing cell, reported already
        try:
            one = money(1.0, text)
        except UnitError as exc:
            why[m] = exc.problems[0].message
            continue
        code = currency_of(one)
        assert code is not None
        if code not in code_of:
            code_of[code] = len(codes)
            codes.append(code)
        m_cur[m] = code_of[code]
        m_factor[m] = float(one.to(code).magnitude)
        m_base[m] = float(one.to_base_units().magnitude)
    at = currency.codes.astype(np.int64)
    cur, factor, base = m_cur[at], m_factor[at], m_base[at]
    bad_cur = np.flatnonzero(np.isin(at, list(why)))
    if len(bad_cur):
        problems.rows("budgets", "currency", bad_cur, lambda r: why[int(at[r])], CurrencyError)
    amount = np.asarray(b.amount, dtype=np.float64)
    negative = np.flatnonzero(amount < 0)
    if len(negative):
        problems.rows(
            "budgets",
            "amount",
            negative,
            lambda r: f"must not be negative, got {b.amount[r]!r} {b.currency[r]}",
        )
    with np.errstate(over="ignore", invalid="ignore"):
        huge = np.flatnonzero((cur >= 0) & ~np.isfinite(amount * base) & np.isfinite(amount))
    if len(huge):
        problems.rows(
            "budgets",
            "amount",
            huge,
            lambda r: "is not a finite amount (at most about 1.8e308 in base units)",
            UnitError,
        )
    b.cols["whole_amount"] = amount * factor
    b.cols["unit_factor"] = factor
    b.cols["currency_code"] = cur
    b.cols["_codes"] = codes
    # one entry per instrument, year and stage
    ok = b.owner >= 0
    key = (b.owner.astype(np.int64) * 400 + (b.year - 1900)) * 8 + b.stage
    rows = np.flatnonzero(ok)
    order = rows[np.argsort(key[rows], kind="stable")]
    repeat = np.sort(order[1:][key[order[1:]] == key[order[:-1]]])
    if len(repeat):
        problems.rows(
            "budgets",
            "stage",
            repeat,
            lambda r: f"duplicate budget year and stage ({int(b.year[r])}, {_stage(b, r)})",
        )


def _stage(b: Any, r: int) -> str:
    stage = b.stage_member[r]
    return "stage not given" if stage is None else str(stage.value)


def _check_cycles(t: PortfolioTables, problems: Problems) -> None:
    """No object is its own ancestor (through ``parent``, or ``part_of``)."""
    for table in _NODES:
        node: NodeColumns = getattr(t, table)
        column = "part_of" if table == "instruments" else "parent"
        jump = node.parent.astype(np.int64)
        for _ in range(max(len(jump), 1).bit_length() + 1):
            nxt = np.where(jump >= 0, jump[np.maximum(jump, 0)], -1)
            if np.array_equal(nxt, jump):
                break
            jump = nxt
        # after 2^k >= n steps a chain that ends has ended
        bad = np.flatnonzero(jump >= 0)
        for r in bad[:MAX_LIST_PROBLEMS].tolist():
            problems.add(
                f"{table}[{r}].{column}",
                f"{node.ids[r]!r} is its own ancestor (a cycle through {column})",
            )


def _check_budget_parts(t: PortfolioTables, problems: Problems) -> None:
    """The budget lines of an instrument do not add up to more than its budget, per year.

    The rule of the model: each budget entry of the instrument is compared with each
    part's entry of the same year and stage, or, when a part has none of that stage, its
    most final entry of the year; a part in another currency is a problem.
    """
    from stratpolicy.units import format_amount, money

    b: _Link = t.budgets  # type: ignore[assignment]
    part_of = t.instruments.parent
    children = np.flatnonzero(part_of >= 0)
    if not len(children) or not len(b.owner):
        return
    ni = len(part_of)
    kids = np.argsort(part_of[children], kind="stable")
    kid_list = children[kids]
    kid_ptr = np.zeros(ni + 1, dtype=np.int64)
    np.cumsum(np.bincount(part_of[children], minlength=ni), out=kid_ptr[1:])
    n_kids = np.diff(kid_ptr)
    inst, year, stage = b.owner.astype(np.int64), b.year, b.stage
    parents = np.flatnonzero(n_kids[inst] > 0)  # budget rows of instruments with parts
    if not len(parents):
        return
    counts = n_kids[inst[parents]]
    pair_e = np.repeat(parents, counts)
    offsets = np.repeat(kid_ptr[inst[parents]] - (np.cumsum(counts) - counts), counts)
    pair_c = kid_list[offsets + np.arange(int(counts.sum()))].astype(np.int64)
    # the part's entry: same year and stage, else its most final entry of the year
    key3 = (inst * 400 + (year - 1900)) * 8 + stage
    order3 = np.argsort(key3, kind="stable")
    want3 = (pair_c * 400 + (year[pair_e] - 1900)) * 8 + stage[pair_e]
    at = np.minimum(np.searchsorted(key3[order3], want3), len(order3) - 1)
    same = np.where((key3[order3][at] == want3) & (stage[pair_e] != 0), order3[at], -1)
    key2 = inst * 400 + (year - 1900)
    best_order = np.lexsort((-stage, key2))  # by year key, most final first
    k2 = key2[best_order]
    firsts = np.ones(len(k2), dtype=np.bool_)
    firsts[1:] = k2[1:] != k2[:-1]
    best_keys, best_rows = k2[firsts], best_order[firsts]
    want2 = pair_c * 400 + (year[pair_e] - 1900)
    at2 = np.minimum(np.searchsorted(best_keys, want2), len(best_keys) - 1)
    best = np.where(best_keys[at2] == want2, best_rows[at2], -1)
    chosen = np.where(same >= 0, same, best)
    has = chosen >= 0
    cur = b.currency_code
    clash = has & (cur[np.maximum(chosen, 0)] != cur[pair_e])
    ids = t.instruments.ids
    codes = b._codes
    if clash.any():
        for e, c, k in zip(
            pair_e[clash].tolist(), pair_c[clash].tolist(), chosen[clash].tolist(), strict=True
        ):
            problems.add(
                f"budgets[{e}].currency",
                f"part {ids[c]!r} has its {int(year[e])} budget in {codes[cur[k]]}, "
                f"{ids[inst[e]]!r} in {codes[cur[e]]}; convert one of them with an "
                "ExchangeRates table",
                CurrencyError,
            )
    counted = has & ~clash
    whole = b.whole_amount
    total = np.bincount(pair_e[counted], weights=whole[chosen[counted]], minlength=len(inst))
    any_part = np.bincount(pair_e[counted], minlength=len(inst)) > 0
    over = np.flatnonzero(any_part & (total > whole))
    unit, factor = b.currency, b.unit_factor
    for e in over.tolist()[:MAX_LIST_PROBLEMS]:
        parts = format_amount(money(float(total[e] / factor[e]), unit[e]))
        problems.add(
            f"budgets[{e}].amount",
            f"the parts of {ids[inst[e]]!r} have {parts} in {int(year[e])}, more than its "
            f"budget of {format_amount(money(b.amount[e].item(), unit[e]))}",
        )
