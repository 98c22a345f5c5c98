"""Typical user code: the mission graph's analyses on the built-in summit portfolio."""

from __future__ import annotations

import datetime as dt

from stratpolicy import MissionGraph
from stratpolicy.catalogs import korea
from stratpolicy.graph import BottleneckRow, CoverageRow, Table

summit = korea.summit_2025()
graph: MissionGraph = summit.graph()
coverage: Table[CoverageRow] = graph.coverage(on=dt.date(2026, 1, 1))
for row in coverage:
    share = "n/a" if row.coverage is None else f"{row.coverage:.0%}"
    print(row.mission, share, row.gaps)
top: Table[BottleneckRow] = graph.bottlenecks(k=3)
first: BottleneckRow = top[0]
print(first.technology, [r.technology for r in top[1:]], top.column("technology"))
gaps = graph.gaps(include_envelopes=True)
print(len(gaps), gaps.columns)
flow = graph.funding_flow(2026, allocation="by_weight")
print(flow.assumptions(), [(m.mission, m.currency) for m in flow.missions][:2])
print([r.mission for r in graph.pipeline(on=summit.as_of)][:3])
print(graph.overlap(min_jaccard=0.3).rows[:1], graph.cut_vertices()[:2])
print(graph.rank_technologies(k=2).column("technology"))
mermaid: str = graph.to_mermaid()
print(mermaid.splitlines()[0], len(graph.to_json()))
keys = [t.id for t in summit.technologies if not t.is_area]
custom = MissionGraph(summit, dependencies=[(keys[0], keys[1])])
print(custom.dependencies)
