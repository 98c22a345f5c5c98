"""Support, coverage and gaps of missions; linkage of designated technologies to incentives.

Targeted support counts by default; support only as part of an unallocated envelope is
reported apart (status ``"envelope_only"``), and ``include_envelopes=True`` counts it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from stratpolicy.errors import Problem, SchemaError
from stratpolicy.graph._index import ragged_of
from stratpolicy.graph._rows import (
    STATUSES,
    CoverageRow,
    GapRow,
    LinkageRow,
    LinkageTimelineRow,
    RequirementRow,
    SupportRow,
)
from stratpolicy.graph._table import Coded, Ragged, Table
from stratpolicy.model import IncentiveKind

if TYPE_CHECKING:
    from stratpolicy.graph._graph import MissionGraph
    from stratpolicy.graph._index import FloatArray, IntArray

__all__ = [
    "coverage",
    "gaps",
    "incentive_kind",
    "linkage",
    "linkage_gap",
    "linkage_timeline",
    "mission_requirements",
    "technology_support",
]


def _status(targeted: FloatArray, everything: FloatArray) -> IntArray:
    """Codes into :data:`STATUSES`: 0 targeted, 1 envelope only, 2 none."""
    return np.where(targeted > 0, 0, np.where(everything > 0, 1, 2)).astype(np.int64)


def technology_support(
    graph: MissionGraph, *, on: dt.date | None = None, include_envelopes: bool = False
) -> Table[SupportRow]:
    """The support of every technology by the instruments in force.

    A key technology is supported (support 1) when an instrument in force supports it or
    its area, else its support is 0. An area's support is 1 if an instrument in force
    supports the area itself, else the share of its key technologies that are supported
    (0 for an area without key technologies). A support counts on ``on`` when its
    instrument is in force and the support's own dates hold.

    Only **targeted** supports count (see :class:`~stratpolicy.model.Support`), unless
    ``include_envelopes``: a technology reached only as part of an unallocated envelope has
    status ``"envelope_only"`` and its envelope support in ``with_envelopes``.

    Args:
        graph: The mission graph.
        on: Count only supports holding on this date; ``None`` counts every support.
        include_envelopes: Count envelope supports in ``support`` too.

    Returns:
        One row per technology, in portfolio order, keyed by technology id.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> table = technology_support(g)
        >>> table["quantum"].status, table["artificial_intelligence"].status
        ('envelope_only', 'targeted')
        >>> technology_support(g, include_envelopes=True)["quantum"].support
        1.0
    """
    ix = graph.index
    targeted, everything = ix.support_pair(on)
    support = everything if include_envelopes else targeted
    t_ptr, t_idx = ragged_of((ix.supports_on(on, targeted_only=True) @ ix.relation).T)
    env = ix.envelope_on(on)
    e_ptr, e_idx = ragged_of((env @ ix.relation).T)
    return Table(
        SupportRow,
        {
            "technology": ix.technology_ids,
            "name": ix.technology_names,
            "kind": ix.technology_kinds,
            "support": support,
            "supported": support > 0,
            "status": Coded(_status(targeted, everything), STATUSES),
            "targeted": targeted,
            "with_envelopes": everything,
            "instruments": Ragged(t_ptr, t_idx, ix.instrument_ids),
            "envelopes": Ragged(e_ptr, e_idx, ix.instrument_ids),
        },
        key="technology",
    )


def _check_id(graph: MissionGraph, node_type: str, id: str) -> None:
    """Raise the portfolio's own ``KeyError`` unless ``id`` is a node of ``node_type``."""
    if id not in graph.index.positions(node_type):
        getattr(graph.portfolio, node_type)(id)  # raises, naming what the id is
        raise KeyError(id)  # pragma: no cover - the portfolio raised


def _weighted_mean(rm: Any, support: FloatArray) -> list[float | None]:
    total = np.asarray(rm.sum(axis=1)).ravel()
    covered = rm @ support
    return [
        min(max(c / t, 0.0), 1.0) if t > 0 else None  # clip float rounding (1 + 2e-16)
        for c, t in zip(covered.tolist(), total.tolist(), strict=True)
    ]


def _pick(rm: Any, keep: np.ndarray) -> tuple[Any, Any]:
    m = rm.copy()
    m.data = keep[m.indices].astype(np.float64)
    return ragged_of(m)


def coverage(
    graph: MissionGraph,
    mission: str | None = None,
    *,
    on: dt.date | None = None,
    include_envelopes: bool = False,
) -> Table[CoverageRow]:
    """The coverage of every mission (or of one), with its gaps.

    A mission's requirements are its own plus those of its sub-missions and challenges,
    transitively; a technology required more than once counts once, with its largest
    weight. Its coverage is the requirement-weighted mean support of those requirements,
    ``sum(w_t * support_t) / sum(w_t)``, in [0, 1] (``None`` when it requires nothing).
    Support is targeted support (see :func:`technology_support`) unless
    ``include_envelopes``; ``coverage_with_envelopes`` always counts envelopes. Its gaps
    are the requirements with counted support 0; ``envelope_only`` lists the requirements
    only an envelope supports (gaps too, unless envelopes are included).

    Args:
        graph: The mission graph.
        mission: Only this mission; ``None`` for all, in portfolio order.
        on: Count only supports holding on this date; ``None`` counts every support.
        include_envelopes: Count envelope supports in ``coverage`` and ``gaps``.

    Returns:
        A table keyed by mission id.

    Raises:
        KeyError: ``mission`` is not a mission of the portfolio.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> row = coverage(korea.summit_2025().graph())["quantum_ai_materials"]
        >>> row.coverage, row.coverage_with_envelopes  # (0 * 1.0 + 1 * 0.5) / (1.0 + 0.5)
        (0.3333333333333333, 1.0)
        >>> row.gaps, row.envelope_only
        (('quantum_computing',), ('quantum_computing',))
    """
    ix = graph.index
    targeted, everything = ix.support_pair(on)
    support = everything if include_envelopes else targeted
    rm = ix.merged_requirements
    g_ptr, g_idx = _pick(rm, support == 0)
    e_ptr, e_idx = _pick(rm, (targeted == 0) & (everything > 0))
    n_req = np.diff(rm.indptr)
    parents = [ix.mission_ids[p] if p >= 0 else None for p in ix.mission_parent.tolist()]
    table = Table(
        CoverageRow,
        {
            "mission": ix.mission_ids,
            "name": ix.mission_names,
            "kind": ix.mission_kinds,
            "parent": parents,
            "requirements": n_req,
            "coverage": _weighted_mean(rm, support),
            "coverage_with_envelopes": _weighted_mean(rm, everything),
            "gaps": Ragged(g_ptr, g_idx, ix.technology_ids),
            "envelope_only": Ragged(e_ptr, e_idx, ix.technology_ids),
        },
        key="mission",
    )
    if mission is None:
        return table
    _check_id(graph, "mission", mission)
    return Table.from_rows(CoverageRow, [table[mission]], key="mission")


def mission_requirements(
    graph: MissionGraph,
    mission: str,
    *,
    on: dt.date | None = None,
    include_envelopes: bool = False,
) -> Table[RequirementRow]:
    """The merged requirements of one mission, with each one's support and contribution.

    The rows are the terms of the mission's coverage: ``coverage = sum(contribution) /
    sum(weight)``.

    Args:
        graph: The mission graph.
        mission: Id of the mission.
        on: Count only supports holding on this date; ``None`` counts every support.
        include_envelopes: Count envelope supports (see :func:`coverage`).

    Raises:
        KeyError: ``mission`` is not a mission of the portfolio.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> reqs = korea.summit_2025().graph().mission_requirements("future_innovation")
        >>> reqs["quantum_computing"].weight, reqs["quantum_computing"].status
        (1.0, 'envelope_only')
    """
    _check_id(graph, "mission", mission)
    ix = graph.index
    targeted, everything = ix.support_pair(on)
    support = everything if include_envelopes else targeted
    rm = ix.merged_requirements
    m = ix.position("mission", mission)
    lo, hi = rm.indptr[m], rm.indptr[m + 1]
    cols = rm.indices[lo:hi].astype(np.int64)
    weights = rm.data[lo:hi]
    return Table(
        RequirementRow,
        {
            "mission": [mission] * len(cols),
            "technology": Coded(cols, ix.technology_ids),
            "weight": weights,
            "support": support[cols],
            "contribution": weights * support[cols],
            "status": Coded(_status(targeted, everything)[cols], STATUSES),
        },
        key="technology",
    )


def gaps(
    graph: MissionGraph, *, on: dt.date | None = None, include_envelopes: bool = False
) -> Table[GapRow]:
    """The technologies some mission requires that have (counted) support 0.

    Each row names the missions that require the technology directly, and the sum of their
    weights for it; rows are sorted by that weight (largest first), then portfolio order.
    Without ``include_envelopes`` a technology supported only by an envelope is a gap with
    status ``"envelope_only"`` (and the instruments whose envelopes reach it); with it,
    only technologies nothing supports (status ``"none"``) are gaps.

    Args:
        graph: The mission graph.
        on: Count only supports holding on this date; ``None`` counts every support.
        include_envelopes: Count envelope supports as support.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> len(gaps(g)), len(gaps(g, include_envelopes=True))
        (18, 0)
        >>> gaps(g)["small_modular_reactors"].missions
        ('semiconductor_energy_bottlenecks',)
    """
    ix = graph.index
    targeted, everything = ix.support_pair(on)
    support = everything if include_envelopes else targeted
    rt = ix.requires.T.tocsr()
    weight = np.asarray(rt.sum(axis=1)).ravel()
    required = np.diff(rt.indptr) > 0
    pick = np.flatnonzero(required & (support == 0))
    order = pick[np.lexsort((pick, -weight[pick]))]
    indptr, indices = ragged_of(rt[order])
    names = np.asarray(ix.technology_names, dtype=object)[order].tolist()
    kinds = np.asarray(ix.technology_kinds, dtype=object)[order].tolist()
    env = ix.envelope_on(on)
    e_ptr, e_idx = ragged_of((env @ ix.relation).T.tocsr()[order])
    return Table(
        GapRow,
        {
            "technology": Coded(order, ix.technology_ids),
            "name": names,
            "kind": kinds,
            "missions": Ragged(indptr, indices, ix.mission_ids),
            "weight": weight[order],
            "status": Coded(_status(targeted, everything)[order], STATUSES),
            "envelopes": Ragged(e_ptr, e_idx, ix.instrument_ids),
        },
        key="technology",
    )


def incentive_kind(kind: IncentiveKind | str, path: str = "kind") -> IncentiveKind:
    """``kind`` as an :class:`~stratpolicy.model.IncentiveKind`.

    Raises:
        SchemaError: ``kind`` is not an incentive kind (the message lists the kinds).
    """
    try:
        return IncentiveKind(kind)
    except ValueError:
        allowed = ", ".join(repr(k.value) for k in IncentiveKind)
        raise SchemaError(
            [Problem(path, f"{kind!r} is not an incentive kind; expected one of {allowed}")]
        ) from None


def _designated(graph: MissionGraph, technologies: Iterable[str] | None) -> IntArray:
    ix = graph.index
    if technologies is None:
        return np.flatnonzero(ix.is_area)
    ids = list(technologies)
    for t in ids:
        _check_id(graph, "technology", t)
    return np.asarray([ix.position("technology", t) for t in ids], dtype=np.int64)


def linkage(
    graph: MissionGraph,
    technologies: Iterable[str] | None = None,
    *,
    kind: IncentiveKind | str = IncentiveKind.TAX_CREDIT,
    on: dt.date | None = None,
) -> Table[LinkageRow]:
    """How a designation list's technologies are linked to incentives of one kind.

    Support is computed as for instruments, from the incentives of ``kind`` in force and
    the technology links that hold on ``on`` (each :class:`~stratpolicy.model.TechnologyLink`
    has its own dates): a key technology is linked when an incentive names it or its area;
    an area's support is 1 when an incentive names it, else the share of its key
    technologies that are linked.

    Args:
        graph: The mission graph.
        technologies: The designation list (ids of technologies in the portfolio); ``None``
            for every area of the portfolio (Korea's 12 areas in the summit portfolio).
        kind: The kind of incentive (``"tax_credit"``, ``"grant_share"``...).
        on: Count only incentives and links in force on this date; ``None`` counts every
            incentive and link.

    Raises:
        KeyError: A technology id is not a technology of the portfolio.
        SchemaError: ``kind`` is not an incentive kind.

    Examples:
        >>> import datetime as dt
        >>> from stratpolicy.catalogs import korea
        >>> table = linkage(korea.summit_2025().graph())
        >>> table["quantum"].linked, table["artificial_intelligence"].incentives
        (False, ('rsta_nst_rd_credit', 'rsta_nst_facility_credit'))
        >>> linkage(korea.summit_2025().graph(), on=dt.date(2022, 6, 30))["hydrogen"].linked
        False
    """
    ix = graph.index
    kind_value = incentive_kind(kind).value
    pick = _designated(graph, technologies)
    it = ix.links_on(on, kind_value)
    direct = np.asarray(it.sum(axis=0)).ravel() > 0
    support = ix.support_from(direct)
    indptr, indices = ragged_of((it @ ix.relation).T.tocsr()[pick])
    names = np.asarray(ix.technology_names, dtype=object)[pick].tolist()
    kinds = np.asarray(ix.technology_kinds, dtype=object)[pick].tolist()
    return Table(
        LinkageRow,
        {
            "technology": Coded(pick, ix.technology_ids),
            "name": names,
            "kind": kinds,
            "support": support[pick],
            "linked": support[pick] > 0,
            "incentives": Ragged(indptr, indices, ix.incentive_ids),
        },
        key="technology",
    )


def linkage_gap(
    graph: MissionGraph,
    technologies: Iterable[str] | None = None,
    *,
    kind: IncentiveKind | str = IncentiveKind.TAX_CREDIT,
    on: dt.date | None = None,
) -> Table[LinkageRow]:
    """The technologies of a designation list that no incentive of ``kind`` in force reaches.

    The rows of :func:`linkage` whose support is 0.

    Args:
        graph: The mission graph.
        technologies: The designation list; ``None`` for every area of the portfolio.
        kind: The kind of incentive.
        on: Count only incentives and links in force on this date; ``None`` counts all.

    Raises:
        SchemaError: ``kind`` is not an incentive kind.

    Examples:
        >>> import datetime as dt
        >>> from stratpolicy.catalogs import korea
        >>> linkage_gap(korea.summit_2025().graph()).column("technology")
        ('next_gen_nuclear', 'aerospace_marine', 'cybersecurity', 'next_gen_communications',
         'advanced_robotics_manufacturing', 'quantum')
        >>> on = dt.date(2024, 12, 31)  # AI joined the RSTA list for R&D from 2025-01-01
        >>> "artificial_intelligence" in linkage_gap(korea.summit_2025().graph(), on=on)
        True
    """
    table = linkage(graph, technologies, kind=kind, on=on)
    return Table.from_rows(LinkageRow, [r for r in table if not r.linked], key="technology")


def _breakpoints(graph: MissionGraph, kind: str) -> list[int]:
    """The days on which some link of an incentive of ``kind`` starts or stops holding."""
    ix = graph.index
    mine = ix.incentives_in_force(None, kind)[ix.link_entries.incentive]
    days: set[int] = set()
    for arr, shift in (
        (ix.link_entries.start[mine], 0),
        (ix.link_entries.end[mine], 1),
        (ix.incentive_start[ix.link_entries.incentive[mine]], 0),
        (ix.incentive_end[ix.link_entries.incentive[mine]], 1),
    ):
        for d in arr.tolist():
            if _MIN_DAY <= d + shift <= _MAX_DAY:
                days.add(d + shift)
    return sorted(days)


_MIN_DAY = dt.date.min.toordinal()
_MAX_DAY = dt.date.max.toordinal()


def _span(start: int | None, stop: int | None) -> str:
    left = dt.date.fromordinal(start).isoformat() if start is not None else ""
    right = dt.date.fromordinal(stop - 1).isoformat() if stop is not None else ""
    return f"{left}..{right}"


def linkage_timeline(
    graph: MissionGraph,
    technologies: Iterable[str] | None = None,
    *,
    kind: IncentiveKind | str = IncentiveKind.TAX_CREDIT,
) -> Table[LinkageTimelineRow]:
    """When each technology of a designation list gained (or lost) an incentive of ``kind``.

    The linkage of :func:`linkage` changes only on the days an incentive of ``kind`` or one
    of its technology links starts or stops holding; the timeline evaluates it on each of
    those days (and before the first) and lists, per technology, the periods in which it
    is linked. A technology never linked has ``linked=False`` and no periods.

    Args:
        graph: The mission graph.
        technologies: The designation list; ``None`` for every area of the portfolio.
        kind: The kind of incentive.

    Returns:
        One row per technology, in the list's order, keyed by technology id.

    Raises:
        SchemaError: ``kind`` is not an incentive kind.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> table = linkage_timeline(korea.summit_2025().graph())
        >>> [(r.technology, str(r.first_linked)) for r in table if r.linked][:3]
        [('semiconductors_displays', '2021-07-01'), ('secondary_batteries', '2021-07-01'),
         ('advanced_mobility', '2023-01-01')]
        >>> table["quantum"].linked, table["quantum"].periods
        (False, ())
    """
    ix = graph.index
    kind_value = incentive_kind(kind).value
    pick = _designated(graph, technologies)
    days = _breakpoints(graph, kind_value)
    # the state before the first breakpoint, then from each breakpoint on
    probes: list[int | None] = [None, *days]
    first_day = days[0] - 1 if days else None
    linked_at: list[np.ndarray] = []
    first_inc: dict[tuple[int, int], int] = {}
    for n, day in enumerate(probes):
        when = first_day if day is None else day
        on = dt.date.fromordinal(when) if when is not None else None
        it = ix.links_on(on, kind_value)
        support = ix.support_from(np.asarray(it.sum(axis=0)).ravel() > 0)
        linked_at.append(support[pick] > 0)
        reach = (it @ ix.relation).T.tocsr()[pick].tocoo()
        for row, inc in zip(reach.row.tolist(), reach.col.tolist(), strict=True):
            first_inc.setdefault((row, inc), n)
    states = np.vstack(linked_at) if linked_at else np.zeros((1, len(pick)), dtype=np.bool_)
    bounds: list[int | None] = [None, *days]
    rows: list[LinkageTimelineRow] = []
    for col, t in enumerate(pick.tolist()):
        periods: list[str] = []
        first: dt.date | None = None
        begin: int | None = -1  # -1: not in a period
        for n in range(len(bounds)):
            on_now = bool(states[n, col])
            if on_now and begin == -1:
                begin = bounds[n]
                if first is None and begin is not None:
                    first = dt.date.fromordinal(begin)
            elif not on_now and begin != -1:
                periods.append(_span(begin, bounds[n]))
                begin = -1
        if begin != -1:
            periods.append(_span(begin, None))
        incs = sorted((n, i) for (r, i), n in first_inc.items() if r == col and states[n, col])
        rows.append(
            LinkageTimelineRow(
                technology=ix.technology_ids[t],
                name=ix.technology_names[t],
                kind=ix.technology_kinds[t],
                linked=bool(periods),
                first_linked=first if periods and not periods[0].startswith("..") else None,
                periods=tuple(periods),
                incentives=tuple(dict.fromkeys(ix.incentive_ids[i] for _, i in incs)),
            )
        )
    return Table.from_rows(LinkageTimelineRow, rows, key="technology")
