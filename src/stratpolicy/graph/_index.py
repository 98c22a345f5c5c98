"""The compact, integer-indexed form of a portfolio that every analysis reads.

:class:`GraphIndex` (``graph.index``) gives every object a position in its node type's
array (missions, technologies, instruments, incentives, actors, in portfolio order) and
every edge type a ``scipy.sparse`` CSR array between two node types, named by the edge
type (:data:`~stratpolicy.graph.EDGE_TYPES`): ``index.requires`` is missions x
technologies, ``index.edges["supports"]`` instruments x technologies. Dated links
(supports, incentive links, budgets) are kept as entry arrays beside the matrices, from
which the matrices of one date are built. Indices are ``int32`` (the products run faster
than with ``int64``) as long as the sizes fit.

The index is built once per :class:`~stratpolicy.graph.MissionGraph`, on first use, from
the portfolio's objects or, for a portfolio built with
:meth:`~stratpolicy.model.Portfolio.from_tables`, straight from its validated columns
(no model object is made). It never changes; quantities derived from it (the mission
hierarchy's closure, the merged requirements) are cached on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from stratpolicy.graph._export import EDGE_TYPES, NODE_TYPES
from stratpolicy.model import ActorKind, TechnologyKind
from stratpolicy.units import currency_of

if TYPE_CHECKING:
    from stratpolicy.model import Portfolio, PortfolioTables

__all__ = [
    "NO_END",
    "NO_START",
    "BudgetEntries",
    "GraphIndex",
    "LinkEntries",
    "SupportEntries",
]

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

NO_START: int = int(np.iinfo(np.int64).min)
"""The start ordinal of something without a start date (before every date)."""

NO_END: int = int(np.iinfo(np.int64).max)
"""The end ordinal of something without an end date (after every date)."""

_INT32_MAX = int(np.iinfo(np.int32).max)


def _index_dtype(*sizes: int) -> type[np.signedinteger[Any]]:
    return np.int32 if max(sizes, default=0) < _INT32_MAX else np.int64


def csr(
    rows: Sequence[int] | npt.NDArray[np.integer[Any]],
    cols: Sequence[int] | npt.NDArray[np.integer[Any]],
    shape: tuple[int, int],
    data: Sequence[float] | FloatArray | None = None,
) -> Any:
    """A CSR array from coordinates; duplicate entries are summed; ``int32`` indices."""
    dtype = _index_dtype(*shape, len(rows))
    r = np.asarray(rows, dtype=dtype)
    c = np.asarray(cols, dtype=dtype)
    d = np.ones(len(r)) if data is None else np.asarray(data, dtype=np.float64)
    m = sp.coo_array((d, (r, c)), shape=shape).tocsr()
    m.sum_duplicates()
    return m


def csr_unique(
    rows: npt.NDArray[np.integer[Any]],
    cols: npt.NDArray[np.integer[Any]],
    shape: tuple[int, int],
    data: FloatArray | None = None,
) -> Any:
    """A CSR array from coordinates known to be distinct, without a general sort.

    Rows are grouped with a stable sort (nearly free when they come grouped, as a
    portfolio's entries do); each row's columns are then sorted in place.
    """
    n = len(rows)
    dtype = _index_dtype(*shape, n)
    r = np.asarray(rows, dtype=dtype)
    # copies: sorting each row's columns below works in place
    c = np.array(cols, dtype=dtype)
    d = np.ones(n) if data is None else np.array(data, dtype=np.float64)
    if n and np.any(r[1:] < r[:-1]):
        order = np.argsort(r, kind="stable")
        r, c, d = r[order], c[order], d[order]
    indptr = np.zeros(shape[0] + 1, dtype=dtype)
    np.cumsum(np.bincount(r, minlength=shape[0]), out=indptr[1:])
    m = sp.csr_array((d, c, indptr), shape=shape)
    m.sort_indices()
    return m


def binary(m: Any) -> Any:
    """The pattern of a sparse array, with every stored non-zero set to 1.0."""
    out = m.tocsr(copy=True)
    out.eliminate_zeros()
    out.data[:] = 1.0
    return out


def select_rows(m: Any, keep: BoolArray) -> Any:
    """``m`` with the rows not in ``keep`` emptied (the shape is unchanged)."""
    return sp.diags_array(keep.astype(np.float64)) @ m


def ragged_of(m: Any) -> tuple[npt.NDArray[np.integer[Any]], npt.NDArray[np.integer[Any]]]:
    """The CSR pattern of ``m`` (``indptr``, ``indices``), column indices sorted per row."""
    out = m.tocsr(copy=True)
    out.eliminate_zeros()
    out.sort_indices()
    return out.indptr, out.indices


def _ordinal(day: dt.date | None, missing: int) -> int:
    return day.toordinal() if day is not None else missing


class SupportEntries:
    """One entry per support of an instrument (:class:`~stratpolicy.model.Support`).

    Entries follow the portfolio: instrument by instrument, each instrument's supports in
    their order. Every attribute is a numpy array with one item per entry.

    Attributes:
        instrument: Position of the instrument.
        technology: Position of the technology.
        share: The share, or NaN when the support has none.
        envelope: Whether the support is marked ``envelope``.
        targeted: Whether the support is targeted (a share, or the instrument's only
            share-less support not marked as an envelope); every other support is part of
            the instrument's envelope.
        start: First day (ordinal) the support holds, :data:`NO_START` when open.
        end: Last day (ordinal) the support holds, :data:`NO_END` when open.
    """

    __slots__ = ("end", "envelope", "instrument", "share", "start", "targeted", "technology")

    def __init__(
        self,
        *,
        instrument: Int32Array,
        technology: Int32Array,
        share: FloatArray,
        envelope: BoolArray,
        start: IntArray,
        end: IntArray,
        n_instruments: int,
    ) -> None:
        self.instrument = instrument
        self.technology = technology
        self.share = share
        self.envelope = envelope
        self.start = start
        self.end = end
        # Support.is_targeted, vectorised: a share, or the only share-less unmarked support
        shareless = np.isnan(share)
        n_shareless = np.bincount(instrument, weights=shareless, minlength=n_instruments)
        self.targeted: BoolArray = ~shareless | (~envelope & (n_shareless[instrument] == 1))

    def __len__(self) -> int:
        return len(self.instrument)


class LinkEntries:
    """One entry per technology link of an incentive (:class:`~stratpolicy.model.TechnologyLink`).

    Attributes:
        incentive: Position of the incentive.
        technology: Position of the technology.
        start: First day (ordinal) the link holds, :data:`NO_START` when open.
        end: Last day (ordinal) the link holds, :data:`NO_END` when open.
    """

    __slots__ = ("end", "incentive", "start", "technology")

    def __init__(
        self, *, incentive: Int32Array, technology: Int32Array, start: IntArray, end: IntArray
    ) -> None:
        self.incentive = incentive
        self.technology = technology
        self.start = start
        self.end = end

    def __len__(self) -> int:
        return len(self.incentive)


class BudgetEntries:
    """One entry per budget entry of an instrument (:class:`~stratpolicy.model.BudgetEntry`).

    Attributes:
        instrument: Position of the instrument.
        year: The fiscal year.
        amount: The amount in whole units of its currency (``35.3 trillion KRW`` is
            ``3.53e13``).
        currency: Position of the currency in :attr:`GraphIndex.currencies`.
        stage: The stage's finality (:attr:`~stratpolicy.model.BudgetStage.finality`;
            0 for an entry without a stage).
    """

    __slots__ = ("amount", "currency", "instrument", "stage", "year")

    def __init__(
        self,
        *,
        instrument: Int32Array,
        year: IntArray,
        amount: FloatArray,
        currency: IntArray,
        stage: IntArray,
    ) -> None:
        self.instrument = instrument
        self.year = year
        self.amount = amount
        self.currency = currency
        self.stage = stage

    def __len__(self) -> int:
        return len(self.instrument)


class _Columns:
    """What the index is built from: the structure of a portfolio as flat arrays.

    Made either from the model objects (:func:`_from_objects`) or from the validated
    columns of a portfolio built from tables (:func:`_from_tables`); the index itself is
    built from this one form, so both give the same index.
    """

    technology_ids: list[str]
    technology_names: list[str]
    is_area: BoolArray
    technology_parent: Int32Array
    mission_ids: list[str]
    mission_names: list[str]
    mission_kinds: list[str]
    mission_parent: Int32Array
    req_mission: Int32Array
    req_technology: Int32Array
    req_weight: FloatArray
    dep_from: Int32Array
    dep_to: Int32Array
    instrument_ids: list[str]
    instrument_start: IntArray
    instrument_end: IntArray
    instrument_part_of: Int32Array
    supports: SupportEntries
    serves: tuple[Int32Array, Int32Array]
    offers: tuple[Int32Array, Int32Array]
    administers: tuple[Int32Array, Int32Array]
    budgets: BudgetEntries
    currencies: list[str]
    overlaps: list[tuple[int, int, int, float, int, int]]
    incentive_ids: list[str]
    incentive_kinds: list[str]
    incentive_start: IntArray
    incentive_end: IntArray
    links: LinkEntries
    actor_ids: list[str]
    is_ministry: BoolArray
    actor_start: IntArray
    actor_end: IntArray
    successors: dict[int, list[tuple[int, frozenset[int] | None]]]
    owns: tuple[Int32Array, Int32Array]


def _i32(values: Sequence[int] | npt.NDArray[Any]) -> Int32Array:
    return np.asarray(values, dtype=np.int32)


def _i64(values: Sequence[int] | npt.NDArray[Any]) -> IntArray:
    return np.asarray(values, dtype=np.int64)


def _from_objects(
    p: Portfolio, dep_from: Sequence[int] | IntArray, dep_to: Sequence[int] | IntArray
) -> _Columns:
    """The columns of a portfolio of model objects (one pass over the objects)."""
    c = _Columns()
    techs, missions, ins, incs, actors = (
        p.technologies,
        p.missions,
        p.instruments,
        p.incentives,
        p.actors,
    )
    c.technology_ids = [t.id for t in techs]
    c.mission_ids = [m.id for m in missions]
    c.instrument_ids = [x.id for x in ins]
    c.incentive_ids = [x.id for x in incs]
    c.actor_ids = [a.id for a in actors]
    tpos = {t: i for i, t in enumerate(c.technology_ids)}
    mpos = {m: i for i, m in enumerate(c.mission_ids)}
    ipos = {x: i for i, x in enumerate(c.instrument_ids)}
    cpos = {x: i for i, x in enumerate(c.incentive_ids)}
    apos = {x: i for i, x in enumerate(c.actor_ids)}
    nt, nm, ni, nc, na = len(techs), len(missions), len(ins), len(incs), len(actors)

    area = TechnologyKind.AREA
    c.technology_names = [t.name for t in techs]
    c.is_area = np.fromiter((t.kind is area for t in techs), dtype=np.bool_, count=nt)
    c.technology_parent = np.fromiter(
        (tpos[t.parent] if t.parent is not None else -1 for t in techs), dtype=np.int32, count=nt
    )
    c.mission_names = [m.name for m in missions]
    c.mission_kinds = [m.kind.value for m in missions]
    c.mission_parent = np.fromiter(
        (mpos[m.parent] if m.parent is not None else -1 for m in missions),
        dtype=np.int32,
        count=nm,
    )
    c.req_mission = _i32([i for i, m in enumerate(missions) for _ in m.requires])
    c.req_technology = _i32([tpos[r.technology] for m in missions for r in m.requires])
    c.req_weight = np.asarray([r.weight for m in missions for r in m.requires], dtype=np.float64)
    c.dep_from, c.dep_to = _i32(dep_from), _i32(dep_to)

    c.instrument_start = np.fromiter(
        (_ordinal(x.start, NO_START) for x in ins), dtype=np.int64, count=ni
    )
    c.instrument_end = np.fromiter((_ordinal(x.end, NO_END) for x in ins), dtype=np.int64, count=ni)
    c.instrument_part_of = np.fromiter(
        (ipos[x.part_of] if x.part_of is not None else -1 for x in ins), dtype=np.int32, count=ni
    )
    nan = float("nan")
    sups = [s for x in ins for s in x.supports]  # flattened once: national scale
    sup_start = np.full(len(sups), NO_START, dtype=np.int64)
    sup_end = np.full(len(sups), NO_END, dtype=np.int64)
    for k, s in enumerate(sups):
        if s.start is not None or s.end is not None:
            sup_start[k] = _ordinal(s.start, NO_START)
            sup_end[k] = _ordinal(s.end, NO_END)
    c.supports = SupportEntries(
        instrument=_i32([i for i, x in enumerate(ins) for _ in x.supports]),
        technology=_i32([tpos[s.technology] for s in sups]),
        share=np.asarray([nan if s.share is None else s.share for s in sups], dtype=np.float64),
        envelope=np.fromiter((s.envelope for s in sups), dtype=np.bool_, count=len(sups)),
        start=sup_start,
        end=sup_end,
        n_instruments=ni,
    )
    c.serves = (
        _i32([i for i, x in enumerate(ins) for _ in x.missions]),
        _i32([mpos[m] for x in ins for m in x.missions]),
    )
    c.offers = (
        _i32([i for i, x in enumerate(ins) for _ in x.incentives]),
        _i32([cpos[k] for x in ins for k in x.incentives]),
    )
    c.administers = (
        _i32([apos[a] for x in ins for a in x.administered_by]),
        _i32([i for i, x in enumerate(ins) for _ in x.administered_by]),
    )
    br: list[int] = []
    by: list[int] = []
    ba: list[float] = []
    bcur: list[int] = []
    bstage: list[int] = []  # finality of the entry's stage (0: none given)
    c.currencies = []
    cur_code: dict[str, int] = {}
    # unit -> (currency code, factor to whole currency units), converted once per unit
    factors: dict[tuple[tuple[str, Any], ...], tuple[int, float]] = {}
    for i, x in enumerate(ins):
        for entry in x.budget:
            amount = entry.amount
            unit_key = tuple(amount.unit_items())
            known = factors.get(unit_key)
            if known is None:
                code = currency_of(amount)
                assert code is not None  # the model checked it is money
                if code not in cur_code:
                    cur_code[code] = len(c.currencies)
                    c.currencies.append(code)
                one = type(amount)(1.0, amount.units).to(code).magnitude
                known = factors[unit_key] = (cur_code[code], float(one))
            br.append(i)
            by.append(entry.year)
            ba.append(float(amount.magnitude) * known[1])
            bcur.append(known[0])
            bstage.append(entry.finality)
    c.budgets = BudgetEntries(
        instrument=_i32(br),
        year=_i64(by),
        amount=np.asarray(ba, dtype=np.float64),
        currency=_i64(bcur),
        stage=_i64(bstage),
    )
    c.overlaps = []
    for i, x in enumerate(ins):
        for o in x.overlaps:
            if o.amount is None:
                c.overlaps.append((i, ipos[o.instrument], o.year, nan, -1, 0))
                continue
            code = currency_of(o.amount)
            assert code is not None  # the model checked it is money
            if code not in cur_code:
                cur_code[code] = len(c.currencies)
                c.currencies.append(code)
            whole = float(o.amount.to(code).magnitude)
            stage = o.stage.finality if o.stage is not None else 0
            c.overlaps.append((i, ipos[o.instrument], o.year, whole, cur_code[code], stage))

    c.incentive_kinds = [k.kind.value for k in incs]
    c.incentive_start = np.fromiter(
        (_ordinal(k.start, NO_START) for k in incs), dtype=np.int64, count=nc
    )
    c.incentive_end = np.fromiter((_ordinal(k.end, NO_END) for k in incs), dtype=np.int64, count=nc)
    c.links = LinkEntries(
        incentive=_i32([i for i, k in enumerate(incs) for _ in k.technologies]),
        technology=_i32([tpos[t.technology] for k in incs for t in k.technologies]),
        start=_i64([_ordinal(t.start, NO_START) for k in incs for t in k.technologies]),
        end=_i64([_ordinal(t.end, NO_END) for k in incs for t in k.technologies]),
    )

    ministry = ActorKind.MINISTRY
    c.is_ministry = np.fromiter((a.kind is ministry for a in actors), dtype=np.bool_, count=na)
    c.actor_start = np.fromiter(
        (_ordinal(a.start, NO_START) for a in actors), dtype=np.int64, count=na
    )
    c.actor_end = np.fromiter((_ordinal(a.end, NO_END) for a in actors), dtype=np.int64, count=na)
    c.successors = {
        apos[a.id]: [
            (apos[s.actor], frozenset(ipos[x] for x in s.instruments) or None) for s in a.successors
        ]
        for a in actors
        if a.successors
    }
    c.owns = (
        _i32([apos[a] for m in missions for a in m.owners]),
        _i32([i for i, m in enumerate(missions) for _ in m.owners]),
    )
    return c


def _from_tables(
    t: PortfolioTables, dep_from: Sequence[int] | IntArray, dep_to: Sequence[int] | IntArray
) -> _Columns:
    """The columns of a portfolio built from tables: already arrays, nothing to walk."""
    c = _Columns()
    tech, mis, ins, act = t.technologies, t.missions, t.instruments, t.actors
    c.technology_ids = tech.ids
    c.technology_names = tech.names
    c.is_area = tech.is_area
    c.technology_parent = tech.parent
    c.mission_ids = mis.ids
    c.mission_names = mis.names
    c.mission_kinds = mis.kinds
    c.mission_parent = mis.parent
    req = t.requirements
    c.req_mission, c.req_technology, c.req_weight = req.mission, req.technology, req.weight
    c.dep_from, c.dep_to = _i32(dep_from), _i32(dep_to)
    c.instrument_ids = ins.ids
    c.instrument_start, c.instrument_end = ins.start, ins.end
    c.instrument_part_of = ins.part_of
    s = t.supports
    c.supports = SupportEntries(
        instrument=s.instrument,
        technology=s.technology,
        share=s.share,
        envelope=s.envelope,
        start=s.start,
        end=s.end,
        n_instruments=len(ins.ids),
    )
    c.serves = (t.serves.instrument, t.serves.mission)
    c.offers = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32))
    c.administers = (t.administrators.actor, t.administrators.instrument)
    b = t.budgets
    c.budgets = BudgetEntries(
        instrument=b.instrument,
        year=b.year,
        amount=b.whole_amount,
        currency=b.currency_code,
        stage=b.stage,
    )
    c.currencies = list(b.currency_codes)
    c.overlaps = []
    c.incentive_ids, c.incentive_kinds = [], []
    c.incentive_start = c.incentive_end = np.zeros(0, dtype=np.int64)
    empty = np.zeros(0, dtype=np.int32)
    c.links = LinkEntries(
        incentive=empty, technology=empty, start=c.incentive_start, end=c.incentive_end
    )
    c.actor_ids = act.ids
    c.is_ministry = act.is_ministry
    c.actor_start, c.actor_end = act.start, act.end
    c.successors = {}
    c.owns = (empty, empty)
    return c


class _EdgeView(Mapping[str, Any]):
    """The matrices of an index by edge type, built on first access."""

    def __init__(self, index: GraphIndex) -> None:
        self._index = index

    def __getitem__(self, edge: str) -> Any:
        if edge not in EDGE_TYPES:
            raise KeyError(f"no edge type {edge!r}; expected one of {', '.join(EDGE_TYPES)}")
        return getattr(self._index, edge)

    def __iter__(self) -> Iterator[str]:
        return iter(EDGE_TYPES)

    def __len__(self) -> int:
        return len(EDGE_TYPES)


class GraphIndex:
    """The arrays and sparse matrices of one portfolio, which every analysis reads.

    Get it as ``graph.index`` (:attr:`MissionGraph.index
    <stratpolicy.graph.MissionGraph.index>`); it is built once per graph. Write your own
    analysis as a function of the graph reading this index, as the library's own do.

    **Nodes.** Each node type (:data:`~stratpolicy.graph.NODE_TYPES`) has its ids in
    portfolio order (:meth:`ids`, or ``technology_ids``, ``mission_ids``,
    ``instrument_ids``, ``incentive_ids``, ``actor_ids``); a node's position in that list is
    its row or column in every matrix (:meth:`position`).

    **Edges.** One CSR array per edge type (:data:`~stratpolicy.graph.EDGE_TYPES`), rows
    the source type, columns the target type, ``1.0`` per edge (``requires`` holds the
    requirement weights): :attr:`requires` (missions x technologies), :attr:`depends_on`
    and :attr:`part_of` (technologies x technologies: ``[u, v] = 1`` when ``u`` depends
    on, or is a key technology of, ``v``), :attr:`contributes_to` (missions x missions,
    a sub-mission to its parent), :attr:`supports` (instruments x technologies, at any
    date), :attr:`serves` (instruments x missions), :attr:`budget_part_of` (instruments x
    instruments), :attr:`offers` (instruments x incentives), :attr:`applies_to`
    (incentives x technologies, at any date), :attr:`administers` (actors x
    instruments), :attr:`owns` (actors x missions), :attr:`succeeded_by` (actors x
    actors). :attr:`edges` gives them by name.

    **Dates.** Validity as day ordinals (``date.toordinal()``; :data:`NO_START` and
    :data:`NO_END` for open ends): ``instrument_start``/``instrument_end``,
    ``incentive_start``/``incentive_end``, ``actor_start``/``actor_end``. Dated links are
    entry arrays: :attr:`support_entries`, :attr:`link_entries`; budgets are
    :attr:`budget_entries`. The methods ``*_on(on)`` build the matrices holding on one date.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> index = korea.summit_2025().graph().index
        >>> index.requires.shape == (len(index.mission_ids), len(index.technology_ids))
        True
        >>> row = index.position("mission", "quantum_ai_materials")
        >>> [index.technology_ids[t] for t in index.requires[[row]].indices]
        ['advanced_ai_modelling_and_decision_making', 'quantum_computing']
        >>> index.edges["supports"].indices.dtype
        dtype('int32')
    """

    def __init__(self, columns: _Columns) -> None:
        c = columns
        # -- nodes --------------------------------------------------------------------------
        self.technology_ids: list[str] = c.technology_ids
        """Technology ids, in portfolio order."""
        self.technology_names: list[str] = c.technology_names
        """Technology names (English), in portfolio order."""
        self.mission_ids: list[str] = c.mission_ids
        """Mission ids (missions, sub-missions and challenges), in portfolio order."""
        self.mission_names: list[str] = c.mission_names
        """Mission names, in portfolio order."""
        self.mission_kinds: list[str] = c.mission_kinds
        """Each mission's kind (``"mission"``, ``"sub_mission"``, ``"challenge"``)."""
        self.instrument_ids: list[str] = c.instrument_ids
        """Instrument ids, in portfolio order."""
        self.incentive_ids: list[str] = c.incentive_ids
        """Incentive ids, in portfolio order."""
        self.actor_ids: list[str] = c.actor_ids
        """Actor ids, in portfolio order."""
        self.n_technologies = len(self.technology_ids)
        self.n_missions = len(self.mission_ids)
        self.n_instruments = len(self.instrument_ids)
        self.n_incentives = len(self.incentive_ids)
        self.n_actors = len(self.actor_ids)
        nt, nm, ni, nc, na = (
            self.n_technologies,
            self.n_missions,
            self.n_instruments,
            self.n_incentives,
            self.n_actors,
        )

        # -- technologies and missions ----------------------------------------------------
        self.is_area: BoolArray = c.is_area
        """Per technology: whether it is an area."""
        self.technology_parent: Int32Array = c.technology_parent
        """Per technology: the position of its parent, -1 for none."""
        self.technology_kinds: list[str] = [
            "area" if a else "key_technology" for a in self.is_area.tolist()
        ]
        """Per technology: ``"area"`` or ``"key_technology"``."""
        self.area_of: Int32Array = _nearest_area(self.technology_parent, self.is_area)
        """Per technology: its nearest ancestor that is an area, -1 for none."""
        self.mission_parent: Int32Array = c.mission_parent
        """Per mission: the position of its parent mission, -1 for none."""
        self.requires = csr_unique(c.req_mission, c.req_technology, (nm, nt), c.req_weight)
        """Missions x technologies: the requirement weights."""
        self.depends_on = csr_unique(c.dep_from, c.dep_to, (nt, nt))
        """Technologies x technologies: ``[u, v] = 1`` when ``u`` depends on ``v``."""

        # -- instruments ------------------------------------------------------------------
        self.instrument_start: IntArray = c.instrument_start
        """Per instrument: its first day in force (ordinal)."""
        self.instrument_end: IntArray = c.instrument_end
        """Per instrument: its last day in force (ordinal)."""
        self.instrument_part_of: Int32Array = c.instrument_part_of
        """Per instrument: the position of the instrument it is a budget line of, or -1."""
        self.support_entries: SupportEntries = c.supports
        """Every support, with its share, targeting and dates."""
        self.supports = csr_unique(c.supports.instrument, c.supports.technology, (ni, nt))
        """Instruments x technologies: 1 where an instrument supports a technology (any date)."""
        self.serves = csr_unique(c.serves[0], c.serves[1], (ni, nm))
        """Instruments x missions: the missions an instrument lists."""
        self.offers = csr_unique(c.offers[0], c.offers[1], (ni, nc))
        """Instruments x incentives: the incentives an instrument offers."""
        self.administers = csr_unique(c.administers[0], c.administers[1], (na, ni))
        """Actors x instruments: who administers each instrument, as listed."""
        self.budget_entries: BudgetEntries = c.budgets
        """Every budget entry, in whole currency units."""
        self.currencies: list[str] = c.currencies
        """The currency codes the budget entries index."""
        self.overlaps: list[tuple[int, int, int, float, int, int]] = c.overlaps
        """Budget overlaps: ``(declaring instrument, other, year, amount in whole units or
        NaN, currency position or -1, stage finality or 0)``."""

        # -- incentives -------------------------------------------------------------------
        self.incentive_kinds: list[str] = c.incentive_kinds
        """Per incentive: its kind (``"tax_credit"``...)."""
        self.incentive_start: IntArray = c.incentive_start
        """Per incentive: its first day in force (ordinal)."""
        self.incentive_end: IntArray = c.incentive_end
        """Per incentive: its last day in force (ordinal)."""
        self.link_entries: LinkEntries = c.links
        """Every technology link of an incentive, with its dates."""
        self.applies_to = csr_unique(c.links.incentive, c.links.technology, (nc, nt))
        """Incentives x technologies: 1 where an incentive applies to a technology (any date)."""

        # -- actors -----------------------------------------------------------------------
        self.is_ministry: BoolArray = c.is_ministry
        """Per actor: whether it is a ministry."""
        self.actor_start: IntArray = c.actor_start
        """Per actor: its first day (ordinal)."""
        self.actor_end: IntArray = c.actor_end
        """Per actor: its last day (ordinal)."""
        self.successors: dict[int, list[tuple[int, frozenset[int] | None]]] = c.successors
        """Per actor with successors: ``(successor, instruments it takes over or None for
        all)``."""
        self._owns = c.owns

    # -- nodes by type -------------------------------------------------------------------

    @classmethod
    def from_portfolio(
        cls,
        portfolio: Portfolio,
        dependencies: tuple[Sequence[int] | IntArray, Sequence[int] | IntArray] | None = None,
    ) -> GraphIndex:
        """The index of a portfolio; ``dependencies`` as ``(from, to)`` technology positions.

        Without ``dependencies``, the technologies' own ``depends_on`` are used.
        """
        if dependencies is None:
            from stratpolicy.graph._graph import declared_dependencies

            dependencies = declared_dependencies(portfolio)
        tables = portfolio.tables
        if tables is not None:
            return cls(_from_tables(tables, *dependencies))
        return cls(_from_objects(portfolio, *dependencies))

    def ids(self, node_type: str) -> list[str]:
        """The ids of one node type (``"technology"``...), in portfolio order.

        Raises:
            KeyError: ``node_type`` is not a node type.
        """
        if node_type not in NODE_TYPES:
            raise KeyError(f"no node type {node_type!r}; expected one of {', '.join(NODE_TYPES)}")
        ids: list[str] = getattr(self, f"{node_type}_ids")
        return ids

    def positions(self, node_type: str) -> Mapping[str, int]:
        """Id -> position for one node type (built on first use, then kept).

        Raises:
            KeyError: ``node_type`` is not a node type.
        """
        cache: dict[str, dict[str, int]] = self.__dict__.setdefault("_positions", {})
        found = cache.get(node_type)
        if found is None:
            ids = self.ids(node_type)
            found = cache[node_type] = dict(zip(ids, range(len(ids)), strict=True))
        return found

    def position(self, node_type: str, id: str) -> int:
        """The position of one node: its row or column in the matrices.

        Raises:
            KeyError: No node of this type has this id.
        """
        try:
            return self.positions(node_type)[id]
        except KeyError:
            raise KeyError(f"no {node_type} with id {id!r}") from None

    @property
    def edges(self) -> Mapping[str, Any]:
        """The matrices by edge type (:data:`~stratpolicy.graph.EDGE_TYPES`)."""
        return _EdgeView(self)

    # -- the edges built on first use -----------------------------------------------------

    @cached_property
    def part_of(self) -> Any:
        """Technologies x technologies: ``[k, a] = 1`` when ``a`` is the parent of ``k``."""
        child = np.flatnonzero(self.technology_parent >= 0)
        return csr_unique(child, self.technology_parent[child], (self.n_technologies,) * 2)

    @cached_property
    def contributes_to(self) -> Any:
        """Missions x missions: ``[m, p] = 1`` when ``p`` is the parent mission of ``m``."""
        child = np.flatnonzero(self.mission_parent >= 0)
        return csr_unique(child, self.mission_parent[child], (self.n_missions,) * 2)

    @cached_property
    def budget_part_of(self) -> Any:
        """Instruments x instruments: ``[i, p] = 1`` when ``i`` is a budget line of ``p``."""
        child = np.flatnonzero(self.instrument_part_of >= 0)
        return csr_unique(child, self.instrument_part_of[child], (self.n_instruments,) * 2)

    @cached_property
    def owns(self) -> Any:
        """Actors x missions: the owners of each mission."""
        return csr_unique(self._owns[0], self._owns[1], (self.n_actors, self.n_missions))

    @cached_property
    def succeeded_by(self) -> Any:
        """Actors x actors: ``[a, s] = 1`` when ``s`` succeeds ``a`` (for some instruments)."""
        pairs = [(a, s) for a, succ in self.successors.items() for s, _ in succ]
        rows = np.asarray([a for a, _ in pairs], dtype=np.int32)
        cols = np.asarray([s for _, s in pairs], dtype=np.int32)
        return csr_unique(rows, cols, (self.n_actors, self.n_actors))

    # -- dates ---------------------------------------------------------------------------

    def instruments_in_force(self, on: dt.date | None) -> BoolArray:
        """Which instruments are in force on ``on`` (all of them when ``on`` is None)."""
        if on is None:
            return np.ones(self.n_instruments, dtype=np.bool_)
        o = on.toordinal()
        return (self.instrument_start <= o) & (o <= self.instrument_end)

    def incentives_in_force(self, on: dt.date | None, kind: str | None = None) -> BoolArray:
        """Which incentives (of ``kind``, if given) are in force on ``on``."""
        keep = np.ones(self.n_incentives, dtype=np.bool_)
        if on is not None:
            o = on.toordinal()
            keep &= (self.incentive_start <= o) & (o <= self.incentive_end)
        if kind is not None:
            keep &= np.asarray([k == kind for k in self.incentive_kinds], dtype=np.bool_)
        return keep

    def supports_active(self, on: dt.date | None, *, targeted_only: bool = False) -> BoolArray:
        """Which support entries hold on ``on``: the instrument and the link in force."""
        e = self.support_entries
        keep = self.instruments_in_force(on)[e.instrument]
        if on is not None:
            o = on.toordinal()
            keep &= (e.start <= o) & (o <= e.end)
        if targeted_only:
            keep &= e.targeted
        return keep

    def supports_on(self, on: dt.date | None, *, targeted_only: bool = False) -> Any:
        """Instruments x technologies (0/1) of the supports holding on ``on``."""
        if on is None and not targeted_only:
            return self.supports
        return self.supports_where(self.supports_active(on, targeted_only=targeted_only))

    def supports_where(self, keep: BoolArray) -> Any:
        """Instruments x technologies (0/1) of the support entries marked in ``keep``."""
        e = self.support_entries
        shape = (self.n_instruments, self.n_technologies)
        return csr_unique(e.instrument[keep], e.technology[keep], shape)

    def links_on(self, on: dt.date | None, kind: str | None = None) -> Any:
        """Incentives x technologies (0/1): the links of incentives (of ``kind``) in force."""
        e = self.link_entries
        keep = self.incentives_in_force(on, kind)[e.incentive]
        if on is not None:
            o = on.toordinal()
            keep &= (e.start <= o) & (o <= e.end)
        shape = (self.n_incentives, self.n_technologies)
        return csr_unique(e.incentive[keep], e.technology[keep], shape)

    def administrators_on(self, on: dt.date | None) -> Any:
        """Actors x instruments (0/1): who administers each instrument on ``on``.

        ``on=None`` gives the actors as listed. On a date, an actor that does not exist
        then (before its start, after its end) is replaced by its successors that take the
        instrument over, transitively, until one exists on the date; an instrument whose
        listed actor has no such successor loses that administrator.
        """
        if on is None:
            return self.administers
        o = on.toordinal()
        exists = (self.actor_start <= o) & (o <= self.actor_end)
        a = self.administers.tocoo()
        alive = exists[a.row]
        if alive.all():
            return self.administers
        rows: list[int] = a.row[alive].tolist()
        cols: list[int] = a.col[alive].tolist()
        for actor, inst in zip(a.row[~alive].tolist(), a.col[~alive].tolist(), strict=True):
            for who in self._resolve(actor, inst, exists):
                rows.append(who)
                cols.append(inst)
        return binary(csr(rows, cols, (self.n_actors, self.n_instruments)))

    def _resolve(self, actor: int, inst: int, exists: BoolArray) -> list[int]:
        found: list[int] = []
        todo, seen = [actor], {actor}
        while todo:
            cur = todo.pop(0)
            if exists[cur]:
                found.append(cur)
                continue
            for nxt, only in self.successors.get(cur, ()):
                if (only is None or inst in only) and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return found

    # -- derived structure (cached) --------------------------------------------------------

    @cached_property
    def n_keys(self) -> IntArray:
        """Per technology: how many key technologies have it as their area."""
        keys = self.area_of >= 0
        return np.bincount(self.area_of[keys], minlength=self.n_technologies).astype(np.int64)

    @cached_property
    def relation(self) -> Any:
        """Technologies x technologies, symmetric: 1 for a technology and itself or its area.

        The relation of "related" technologies shared by coverage, reach and funding: a
        technology, its area, and (for an area) its key technologies.
        """
        nt = self.n_technologies
        keys = np.flatnonzero(self.area_of >= 0)
        areas = self.area_of[keys]
        eye = np.arange(nt)
        rows = np.concatenate([eye, keys, areas])
        cols = np.concatenate([eye, areas, keys])
        return csr_unique(rows, cols, (nt, nt))

    @cached_property
    def key_expansion(self) -> Any:
        """Technologies x technologies: each technology's set of key technologies.

        A key technology (or a technology with no key technologies under it) maps to
        itself; an area with key technologies maps to them.
        """
        nt = self.n_technologies
        keys = np.flatnonzero(self.area_of >= 0)
        areas = self.area_of[keys]
        alone = np.flatnonzero(self.n_keys == 0)
        rows = np.concatenate([alone, areas])
        cols = np.concatenate([alone, keys])
        return csr_unique(rows, cols, (nt, nt))

    @cached_property
    def closure(self) -> Any:
        """Missions x missions: ``closure[a, d] = 1`` when ``d`` is ``a`` or below it."""
        nm = self.n_missions
        anc = [np.arange(nm, dtype=np.int32)]
        desc = [np.arange(nm, dtype=np.int32)]
        cur = self.mission_parent.copy()
        node = np.arange(nm, dtype=np.int32)
        while True:
            has = cur >= 0
            if not has.any():
                break
            cur, node = cur[has], node[has]
            anc.append(cur)
            desc.append(node)
            cur = self.mission_parent[cur]
        return csr_unique(np.concatenate(anc), np.concatenate(desc), (nm, nm))

    @cached_property
    def merged_requirements(self) -> Any:
        """Missions x technologies: a mission's requirements and its sub-missions'.

        Sub-missions count transitively; a technology required more than once takes its
        largest weight.
        """
        c = self.closure.tocoo()
        a, d = c.row.astype(np.int64), c.col.astype(np.int64)
        r = self.requires
        starts = r.indptr[d].astype(np.int64)
        counts = (r.indptr[d + 1] - r.indptr[d]).astype(np.int64)
        total = int(counts.sum())
        rows = np.repeat(a, counts)
        offsets = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total)
        cols = r.indices[offsets].astype(np.int64)
        weights = r.data[offsets]
        key = rows * max(self.n_technologies, 1) + cols
        order = np.lexsort((weights, key))  # by key, then weight ascending
        key, weights = key[order], weights[order]
        last = np.ones(len(key), dtype=np.bool_)
        last[:-1] = key[1:] != key[:-1]  # the last (largest weight) entry of each key
        key, weights = key[last], weights[last]
        nt = max(self.n_technologies, 1)
        return csr_unique(key // nt, key % nt, (self.n_missions, self.n_technologies), weights)

    @cached_property
    def related(self) -> Any:
        """Missions x technologies: the weights of the requirements related to a technology.

        Related: the technology itself, its area, or an area's key technologies.
        """
        return (self.requires @ self.relation).tocsr()

    @cached_property
    def related_missions(self) -> IntArray:
        """Per technology: how many missions have a requirement related to it."""
        r = self.related
        return np.bincount(r.indices[r.data != 0], minlength=self.n_technologies).astype(np.int64)

    @cached_property
    def related_weight(self) -> FloatArray:
        """Per technology: the summed weights of the requirements related to it."""
        return np.asarray(self.related.sum(axis=0)).ravel()

    @cached_property
    def related_reach(self) -> Any:
        """Missions x technologies (0/1): related to the mission's or its subtree's needs."""
        return binary(self.closure @ binary(self.related))

    @cached_property
    def split_shares(self) -> tuple[FloatArray, FloatArray, BoolArray]:
        """The model's split of each instrument's money.

        Per support entry its share (the single targeted support without a share takes the
        rest, envelope entries 0); per instrument the rest the shares leave; which
        instruments have an envelope.
        """
        e = self.support_entries
        share = e.share
        has = ~np.isnan(share)
        ni = self.n_instruments
        explicit = np.bincount(e.instrument, weights=np.where(has, share, 0.0), minlength=ni)
        rest = np.maximum(1.0 - explicit, 0.0)
        eff = np.where(has, share, 0.0)
        eff = np.where(e.targeted & ~has, rest[e.instrument], eff)
        in_env = (~e.targeted).astype(np.float64)
        has_env = np.bincount(e.instrument, weights=in_env, minlength=ni) > 0
        return eff, rest, has_env

    # -- support ---------------------------------------------------------------------------

    def support_from(self, direct: BoolArray) -> FloatArray:
        """Support of every technology, given which are named directly.

        ``direct`` marks the technologies an instrument (or incentive) in force names. A key
        technology's support is 1 if it or its area is named; an area's is 1 if it is named,
        else the share of its key technologies that are supported.
        """
        area = self.area_of
        has_area = area >= 0
        key_sup = direct.copy()
        key_sup[has_area] |= direct[area[has_area]]
        supported_keys = np.bincount(
            area[has_area],
            weights=key_sup[has_area].astype(np.float64),
            minlength=self.n_technologies,
        )
        n_keys = self.n_keys
        share = np.divide(
            supported_keys,
            n_keys,
            out=np.zeros(self.n_technologies, dtype=np.float64),
            where=n_keys > 0,
        )
        support = key_sup.astype(np.float64)
        areas = self.is_area & ~direct
        support[areas] = share[areas]
        return support

    def direct_support(self, active: BoolArray) -> BoolArray:
        """Which technologies the support entries marked in ``active`` name directly."""
        direct = np.zeros(self.n_technologies, dtype=np.bool_)
        direct[self.support_entries.technology[active]] = True
        return direct

    def support_pair(self, on: dt.date | None) -> tuple[FloatArray, FloatArray]:
        """Support of every technology on ``on``: by targeted supports, and by all supports."""
        active = self.supports_active(on)
        targeted = self.support_from(self.direct_support(active & self.support_entries.targeted))
        everything = self.support_from(self.direct_support(active))
        return targeted, everything

    def support(self, on: dt.date | None, include_envelopes: bool = False) -> FloatArray:
        """Support of every technology on ``on``: targeted supports only, or all of them."""
        active = self.supports_active(on, targeted_only=not include_envelopes)
        return self.support_from(self.direct_support(active))

    def envelope_on(self, on: dt.date | None) -> Any:
        """Instruments x technologies (0/1): the envelope supports holding on ``on``."""
        return self.supports_where(self.supports_active(on) & ~self.support_entries.targeted)


def _nearest_area(parent: Int32Array, is_area: BoolArray) -> Int32Array:
    """For each key technology the nearest ancestor that is an area (-1 if none)."""
    n = len(parent)
    result = np.full(n, -1, dtype=np.int32)
    todo = np.flatnonzero(~is_area)
    cur = parent[todo]
    for _ in range(n + 1):
        found = cur >= 0
        if not found.any():
            break
        todo, cur = todo[found], cur[found]
        hit = is_area[cur]
        result[todo[hit]] = cur[hit]
        todo, cur = todo[~hit], parent[cur[~hit]]
        if len(todo) == 0:
            break
    return result
