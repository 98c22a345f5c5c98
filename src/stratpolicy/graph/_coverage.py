"""Support, coverage and gaps of missions; the linkage gap of designated technologies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from stratpolicy.graph._index import binary, ragged_of, select_rows
from stratpolicy.graph._rows import (
    CoverageRow,
    GapRow,
    LinkageRow,
    RequirementRow,
    SupportRow,
)
from stratpolicy.graph._table import Coded, Ragged, Table
from stratpolicy.model import IncentiveKind

if TYPE_CHECKING:
    from stratpolicy.graph._graph import MissionGraph

__all__ = [
    "coverage",
    "gaps",
    "linkage",
    "linkage_gap",
    "mission_requirements",
    "technology_support",
]


def technology_support(graph: MissionGraph, *, on: dt.date | None = None) -> Table[SupportRow]:
    """The support of every technology by the instruments in force.

    A key technology is supported (support 1) when an instrument in force supports it or
    its area, else its support is 0. An area's support is 1 if an instrument in force
    supports the area itself, else the share of its key technologies that are supported
    (0 for an area without key technologies).

    Args:
        graph: The mission graph.
        on: Count only instruments in force on this date; ``None`` counts every instrument.

    Returns:
        One row per technology, in portfolio order, keyed by technology id.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> technology_support(g)["quantum"].support
        1.0
    """
    ix = graph._index
    in_force = ix.instruments_in_force(on)
    support = ix.support_from(ix.direct_support(in_force))
    s_active = select_rows(ix.S, in_force)
    indptr, indices = ragged_of((s_active @ ix.relation).T)
    return Table(
        SupportRow,
        {
            "technology": ix.tech_ids,
            "name": ix.tech_names,
            "kind": ix.tech_kind,
            "support": support,
            "supported": support > 0,
            "instruments": Ragged(indptr, indices, ix.inst_ids),
        },
        key="technology",
    )


def coverage(
    graph: MissionGraph, mission: str | None = None, *, on: dt.date | None = None
) -> Table[CoverageRow]:
    """The coverage of every mission (or of one), with its gaps.

    A mission's requirements are its own plus those of its sub-missions and challenges,
    transitively; a technology required more than once counts once, with its largest
    weight. Its coverage is the requirement-weighted mean support of those requirements,
    ``sum(w_t * support_t) / sum(w_t)``, in [0, 1] (``None`` when it requires nothing). Its
    gaps are the requirements with support 0.

    Args:
        graph: The mission graph.
        mission: Only this mission; ``None`` for all, in portfolio order.
        on: Count only instruments in force on this date; ``None`` counts every instrument.

    Returns:
        A table keyed by mission id.

    Raises:
        KeyError: ``mission`` is not a mission of the portfolio.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> coverage(korea.summit_2025().graph())["quantum_ai_materials"].coverage
        1.0
        >>> without = korea.summit_2025().remove("nst_rd_investment").graph()
        >>> row = coverage(without)["quantum_ai_materials"]
        >>> round(row.coverage, 3), row.gaps  # (0 * 1.0 + 1 * 0.5) / (1.0 + 0.5)
        (0.333, ('quantum_computing',))
    """
    ix = graph._index
    support = ix.support(on)
    rm = ix.merged_requirements
    total = np.asarray(rm.sum(axis=1)).ravel()
    covered = rm @ support
    value = [
        min(max(c / t, 0.0), 1.0) if t > 0 else None  # clip float rounding (1 + 2e-16)
        for c, t in zip(covered.tolist(), total.tolist(), strict=True)
    ]
    gap = rm.copy()
    gap.data = (support[gap.indices] == 0).astype(np.float64)
    indptr, indices = ragged_of(gap)
    n_req = np.diff(rm.indptr)
    parents = [ix.mission_ids[p] if p >= 0 else None for p in ix.mission_parent.tolist()]
    table = Table(
        CoverageRow,
        {
            "mission": ix.mission_ids,
            "name": ix.mission_names,
            "kind": ix.mission_kind,
            "parent": parents,
            "requirements": n_req,
            "coverage": value,
            "gaps": Ragged(indptr, indices, ix.tech_ids),
        },
        key="mission",
    )
    if mission is None:
        return table
    graph.portfolio.mission(mission)
    return Table.from_rows(CoverageRow, [table[mission]], key="mission")


def mission_requirements(
    graph: MissionGraph, mission: str, *, on: dt.date | None = None
) -> Table[RequirementRow]:
    """The merged requirements of one mission, with each one's support and contribution.

    The rows are the terms of the mission's coverage: ``coverage = sum(contribution) /
    sum(weight)``.

    Args:
        graph: The mission graph.
        mission: Id of the mission.
        on: Count only instruments in force on this date; ``None`` counts every instrument.

    Raises:
        KeyError: ``mission`` is not a mission of the portfolio.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> reqs = korea.summit_2025().graph().mission_requirements("future_innovation")
        >>> reqs["quantum_computing"].weight
        1.0
    """
    graph.portfolio.mission(mission)
    ix = graph._index
    support = ix.support(on)
    rm = ix.merged_requirements
    m = ix.mission_pos[mission]
    lo, hi = rm.indptr[m], rm.indptr[m + 1]
    cols = rm.indices[lo:hi].astype(np.int64)
    weights = rm.data[lo:hi]
    return Table(
        RequirementRow,
        {
            "mission": [mission] * len(cols),
            "technology": Coded(cols, ix.tech_ids),
            "weight": weights,
            "support": support[cols],
            "contribution": weights * support[cols],
        },
        key="technology",
    )


def gaps(graph: MissionGraph, *, on: dt.date | None = None) -> Table[GapRow]:
    """The technologies some mission requires that have support 0.

    Each row names the missions that require the technology directly, and the sum of their
    weights for it; rows are sorted by that weight (largest first), then portfolio order.

    Args:
        graph: The mission graph.
        on: Count only instruments in force on this date; ``None`` counts every instrument.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> len(gaps(korea.summit_2025().graph()))  # the NST R&D investment backs all 12 areas
        0
        >>> without = korea.summit_2025().remove("nst_rd_investment").graph()
        >>> gaps(without)["small_modular_reactors"].missions
        ('semiconductor_energy_bottlenecks',)
    """
    ix = graph._index
    support = ix.support(on)
    rt = ix.R.T.tocsr()
    weight = np.asarray(rt.sum(axis=1)).ravel()
    required = np.diff(rt.indptr) > 0
    pick = np.flatnonzero(required & (support == 0))
    order = pick[np.lexsort((pick, -weight[pick]))]
    indptr, indices = ragged_of(rt[order])
    names = np.asarray(ix.tech_names, dtype=object)[order].tolist()
    kinds = np.asarray(ix.tech_kind, dtype=object)[order].tolist()
    return Table(
        GapRow,
        {
            "technology": Coded(order, ix.tech_ids),
            "name": names,
            "kind": kinds,
            "missions": Ragged(indptr, indices, ix.mission_ids),
            "weight": weight[order],
        },
        key="technology",
    )


def linkage(
    graph: MissionGraph,
    technologies: Iterable[str] | None = None,
    *,
    kind: IncentiveKind | str = IncentiveKind.TAX_CREDIT,
    on: dt.date | None = None,
) -> Table[LinkageRow]:
    """How a designation list's technologies are linked to incentives of one kind.

    Support is computed as for instruments, from the incentives of ``kind`` in force
    (their own start and end dates) and the technologies each names: a key technology is
    linked when an incentive names it or its area; an area's support is 1 when an
    incentive names it, else the share of its key technologies that are linked.

    Args:
        graph: The mission graph.
        technologies: The designation list (ids of technologies in the portfolio); ``None``
            for every area of the portfolio (Korea's 12 areas in the summit portfolio).
        kind: The kind of incentive (``"tax_credit"``, ``"grant_share"``...).
        on: Count only incentives in force on this date; ``None`` counts every incentive.

    Raises:
        KeyError: A technology id is not a technology of the portfolio.
        ValueError: ``kind`` is not an incentive kind.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> table = linkage(korea.summit_2025().graph())
        >>> table["quantum"].linked, table["artificial_intelligence"].incentives
        (False, ('rsta_nst_rd_credit', 'rsta_nst_facility_credit'))
    """
    ix = graph._index
    kind_value = IncentiveKind(kind).value
    if technologies is None:
        pick = np.flatnonzero(ix.is_area)
    else:
        ids = list(technologies)
        for t in ids:
            graph.portfolio.technology(t)
        pick = np.asarray([ix.tech_pos[t] for t in ids], dtype=np.int64)
    in_force = ix.incentives_in_force(on, kind_value)
    it = binary(select_rows(ix.IT, in_force))
    direct = np.asarray(it.sum(axis=0)).ravel() > 0
    support = ix.support_from(direct)
    indptr, indices = ragged_of((it @ ix.relation).T.tocsr()[pick])
    names = np.asarray(ix.tech_names, dtype=object)[pick].tolist()
    kinds = np.asarray(ix.tech_kind, dtype=object)[pick].tolist()
    return Table(
        LinkageRow,
        {
            "technology": Coded(pick, ix.tech_ids),
            "name": names,
            "kind": kinds,
            "support": support[pick],
            "linked": support[pick] > 0,
            "incentives": Ragged(indptr, indices, ix.inc_ids),
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
        on: Count only incentives in force on this date; ``None`` counts every incentive.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> linkage_gap(korea.summit_2025().graph()).column("technology")
        ('next_gen_nuclear', 'aerospace_marine', 'cybersecurity', 'next_gen_communications',
         'advanced_robotics_manufacturing', 'quantum')
    """
    table = linkage(graph, technologies, kind=kind, on=on)
    return Table.from_rows(LinkageRow, [r for r in table if not r.linked], key="technology")
