"""The report's graph sections as plain data."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from stratpolicy.graph._rows import Allocation
from stratpolicy.model import BudgetStage, IncentiveKind

if TYPE_CHECKING:
    from stratpolicy.graph._graph import MissionGraph

__all__ = ["summary"]


def summary(
    graph: MissionGraph,
    *,
    on: dt.date | None = None,
    year: int | None = None,
    top: int = 10,
    overlap_threshold: float = 0.5,
    linkage_kind: IncentiveKind | str = IncentiveKind.TAX_CREDIT,
    stage: BudgetStage | str | None = None,
    allocation: Allocation | str | None = None,
    include_envelopes: bool = False,
) -> dict[str, Any]:
    """The graph sections of a portfolio report, as plain JSON-ready data.

    Sections: ``coverage`` (every mission), ``gaps``, ``bottlenecks`` (the ``top``
    highest), ``ranking`` (the ``top`` technologies by PageRank), ``funding_flow`` (for
    ``year``), ``overlap`` (pairs at or above ``overlap_threshold``), ``pipeline`` (every
    mission), ``linkage_gap`` (the portfolio's areas no incentive of ``linkage_kind``
    reaches on ``on``), ``linkage_timeline`` (when each area was linked) and
    ``assumptions`` (the analysis assumptions of :func:`~stratpolicy.graph.provenance`
    for these settings). ``settings`` repeats the arguments. Each table is a list of dicts
    (see ``Table.to_records``); money is a float in whole currency units next to its
    currency code; dates are ISO text.

    Args:
        graph: The mission graph.
        on: Count only instruments, supports, incentives and links in force on this date,
            and resolve actors on it; ``None`` counts all.
        year: The budget year of the funding flow; ``None`` for the latest year in which an
            instrument counted has a budget (the flow is ``None`` if there is none).
        top: How many bottlenecks and ranked technologies to list.
        overlap_threshold: The least Jaccard similarity of an overlap pair.
        linkage_kind: The incentive kind of the linkage gap and timeline.
        stage: The budget stage of the funding flow; ``None``: each instrument's most final.
        allocation: The funding flow's allocation of money without a published split.
        include_envelopes: Count envelope supports in coverage, gaps and bottlenecks.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> data = korea.summit_2025().graph().summary()
        >>> data["year"], [r["technology"] for r in data["linkage_gap"]["technologies"]][:2]
        (2026, ['next_gen_nuclear', 'aerospace_marine'])
    """
    from stratpolicy.graph._coverage import incentive_kind
    from stratpolicy.graph._funding import allocation_of, stage_of
    from stratpolicy.graph._provenance import analysis_assumptions

    if year is None:
        years = graph.budget_years(on=on)
        year = years[-1] if years else None
    kind = incentive_kind(linkage_kind, "linkage_kind")
    wanted = stage_of(stage)
    how = allocation_of(allocation)
    envelopes = include_envelopes
    flow = (
        graph.funding_flow(year, on=on, stage=wanted, allocation=how) if year is not None else None
    )
    timeline = graph.linkage_timeline(kind=kind).to_records()
    for row in timeline:
        first = row["first_linked"]
        row["first_linked"] = first.isoformat() if first is not None else None
    assumptions = analysis_assumptions(
        graph, on=on, year=year, stage=wanted, allocation=how, include_envelopes=envelopes
    )
    return {
        "portfolio": graph.portfolio.id,
        "on": on.isoformat() if on is not None else None,
        "year": year,
        "settings": {
            "on": on.isoformat() if on is not None else None,
            "year": year,
            "stage": wanted.value if wanted is not None else None,
            "allocation": how.value if how is not None else None,
            "include_envelopes": envelopes,
            "top": top,
            "overlap_threshold": overlap_threshold,
            "linkage_kind": kind.value,
        },
        "coverage": graph.coverage(on=on, include_envelopes=envelopes).to_records(),
        "gaps": graph.gaps(on=on, include_envelopes=envelopes).to_records(),
        "bottlenecks": graph.bottlenecks(top, on=on, include_envelopes=envelopes).to_records(),
        "ranking": graph.rank_technologies(top).to_records(),
        "funding_flow": flow.to_dict() if flow is not None else None,
        "overlap": graph.overlap(overlap_threshold, on=on).to_records(),
        "pipeline": graph.pipeline(on=on).to_records(),
        "linkage_gap": {
            "kind": kind.value,
            "technologies": graph.linkage_gap(kind=kind, on=on).to_records(),
        },
        "linkage_timeline": {"kind": kind.value, "technologies": timeline},
        "assumptions": [
            {"path": r.path, "subject": r.subject, "statement": r.statement} for r in assumptions
        ],
    }
