"""The report's graph sections as plain data."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from stratpolicy.model import IncentiveKind

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
) -> dict[str, Any]:
    """The graph sections of a portfolio report, as plain JSON-ready data.

    Sections: ``coverage`` (every mission), ``gaps``, ``bottlenecks`` (the ``top``
    highest), ``ranking`` (the ``top`` technologies by PageRank), ``funding_flow`` (for
    ``year``), ``overlap`` (pairs at or above ``overlap_threshold``), ``pipeline`` (every
    mission) and ``linkage_gap`` (the portfolio's areas no incentive of ``linkage_kind``
    reaches). Each table is a list of dicts (see ``Table.to_records``); money is a float in
    whole currency units next to its currency code.

    Args:
        graph: The mission graph.
        on: Count only instruments and incentives in force on this date; ``None`` counts all.
        year: The budget year of the funding flow; ``None`` for the latest year in which an
            instrument counted has a budget (the flow is ``None`` if there is none).
        top: How many bottlenecks and ranked technologies to list.
        overlap_threshold: The least Jaccard similarity of an overlap pair.
        linkage_kind: The incentive kind of the linkage gap.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> data = korea.summit_2025().graph().summary()
        >>> data["year"], [r["technology"] for r in data["linkage_gap"]["technologies"]][:2]
        (2026, ['next_gen_nuclear', 'aerospace_marine'])
    """
    if year is None:
        years = graph.budget_years(on=on)
        year = years[-1] if years else None
    kind = IncentiveKind(linkage_kind)
    flow = graph.funding_flow(year, on=on) if year is not None else None
    return {
        "portfolio": graph.portfolio.id,
        "on": on.isoformat() if on is not None else None,
        "year": year,
        "coverage": graph.coverage(on=on).to_records(),
        "gaps": graph.gaps(on=on).to_records(),
        "bottlenecks": graph.bottlenecks(top, on=on).to_records(),
        "ranking": graph.rank_technologies(top).to_records(),
        "funding_flow": flow.to_dict() if flow is not None else None,
        "overlap": graph.overlap(overlap_threshold, on=on).to_records(),
        "pipeline": graph.pipeline(on=on).to_records(),
        "linkage_gap": {
            "kind": kind.value,
            "technologies": graph.linkage_gap(kind=kind, on=on).to_records(),
        },
    }
