"""The mission-to-technology graph of a portfolio and the analyses analysts ask of it.

:class:`MissionGraph` (``portfolio.graph()``) is the convenient face: coverage of missions
and their gaps (targeted support apart from unallocated envelopes), bottleneck
technologies, PageRank, funding flow from instruments through technologies to missions
(money counted once, split only by a named allocation), overlap between instruments, the
cross-ministerial pipeline, the linkage of designated technologies to incentives and its
timeline, the provenance of a report's facts and assumptions, and exports to networkx,
node-link JSON, GraphML and Mermaid. Each analysis is also a plain function taking the
graph first (``coverage(graph, on=...)``), like networkx's algorithms, reading the graph's
public :class:`GraphIndex` (``graph.index``: ids per node type, one scipy CSR matrix per
edge type); write your own analyses the same way.

Results are small typed tables (:class:`Table` of frozen attrs rows) with ``to_pandas()``.
Importing this package loads neither numpy, scipy nor networkx; they load on first use.

Examples:
    >>> from stratpolicy.catalogs import korea
    >>> graph = korea.summit_2025().graph()
    >>> [row.technology for row in graph.linkage_gap(kind="tax_credit")]
    ['next_gen_nuclear', 'aerospace_marine', 'cybersecurity', 'next_gen_communications',
     'advanced_robotics_manufacturing', 'quantum']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from stratpolicy.graph._graph import MissionGraph
from stratpolicy.graph._rows import (
    Allocation,
    BottleneckRow,
    CentralityRow,
    CoverageRow,
    CrosswalkRow,
    FundingFlow,
    FundingTotalRow,
    GapRow,
    InstrumentFlowRow,
    LinkageRow,
    LinkageTimelineRow,
    MissionFlowRow,
    OverlapFlowRow,
    OverlapRow,
    PipelineRow,
    ProvenanceRow,
    RankRow,
    RequirementRow,
    SupportRow,
    TechnologyFlowRow,
    UnallocatedRow,
)
from stratpolicy.graph._table import Table

if TYPE_CHECKING:
    from stratpolicy.graph._centrality import (
        betweenness,
        bottleneck_scores,
        bottlenecks,
        cut_vertices,
        rank_technologies,
    )
    from stratpolicy.graph._coverage import (
        coverage,
        gaps,
        linkage,
        linkage_gap,
        linkage_timeline,
        mission_requirements,
        technology_support,
    )
    from stratpolicy.graph._crosswalk import CrosswalkTable, crosswalk_table
    from stratpolicy.graph._export import (
        EDGE_TYPES,
        EXPORT_FORMATS,
        NODE_TYPES,
        export,
        to_graphml,
        to_json,
        to_mermaid,
        to_networkx,
        to_node_link,
        write_graphml,
    )
    from stratpolicy.graph._funding import budget_years, funding_flow
    from stratpolicy.graph._index import (
        NO_END,
        NO_START,
        BudgetEntries,
        GraphIndex,
        LinkEntries,
        SupportEntries,
    )
    from stratpolicy.graph._overlap import overlap
    from stratpolicy.graph._pipeline import pipeline, reach
    from stratpolicy.graph._provenance import provenance
    from stratpolicy.graph._summary import summary

# public name -> private module defining it; loaded on first access (they import numpy/scipy)
_LAZY: dict[str, str] = {
    "betweenness": "_centrality",
    "bottleneck_scores": "_centrality",
    "bottlenecks": "_centrality",
    "cut_vertices": "_centrality",
    "rank_technologies": "_centrality",
    "coverage": "_coverage",
    "gaps": "_coverage",
    "linkage": "_coverage",
    "linkage_gap": "_coverage",
    "linkage_timeline": "_coverage",
    "mission_requirements": "_coverage",
    "technology_support": "_coverage",
    "CrosswalkTable": "_crosswalk",
    "crosswalk_table": "_crosswalk",
    "EDGE_TYPES": "_export",
    "EXPORT_FORMATS": "_export",
    "NODE_TYPES": "_export",
    "export": "_export",
    "to_graphml": "_export",
    "to_json": "_export",
    "to_mermaid": "_export",
    "to_networkx": "_export",
    "to_node_link": "_export",
    "write_graphml": "_export",
    "budget_years": "_funding",
    "funding_flow": "_funding",
    "NO_END": "_index",
    "NO_START": "_index",
    "BudgetEntries": "_index",
    "GraphIndex": "_index",
    "LinkEntries": "_index",
    "SupportEntries": "_index",
    "overlap": "_overlap",
    "pipeline": "_pipeline",
    "reach": "_pipeline",
    "provenance": "_provenance",
    "summary": "_summary",
}

__all__ = [
    "EDGE_TYPES",
    "EXPORT_FORMATS",
    "NODE_TYPES",
    "NO_END",
    "NO_START",
    "Allocation",
    "BottleneckRow",
    "BudgetEntries",
    "CentralityRow",
    "CoverageRow",
    "CrosswalkRow",
    "CrosswalkTable",
    "FundingFlow",
    "FundingTotalRow",
    "GapRow",
    "GraphIndex",
    "InstrumentFlowRow",
    "LinkEntries",
    "LinkageRow",
    "LinkageTimelineRow",
    "MissionFlowRow",
    "MissionGraph",
    "OverlapFlowRow",
    "OverlapRow",
    "PipelineRow",
    "ProvenanceRow",
    "RankRow",
    "RequirementRow",
    "SupportEntries",
    "SupportRow",
    "Table",
    "TechnologyFlowRow",
    "UnallocatedRow",
    "betweenness",
    "bottleneck_scores",
    "bottlenecks",
    "budget_years",
    "coverage",
    "crosswalk_table",
    "cut_vertices",
    "export",
    "funding_flow",
    "gaps",
    "linkage",
    "linkage_gap",
    "linkage_timeline",
    "mission_requirements",
    "overlap",
    "pipeline",
    "provenance",
    "rank_technologies",
    "reach",
    "summary",
    "technology_support",
    "to_graphml",
    "to_json",
    "to_mermaid",
    "to_networkx",
    "to_node_link",
    "write_graphml",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stratpolicy.graph' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"stratpolicy.graph.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
