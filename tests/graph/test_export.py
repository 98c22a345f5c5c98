"""networkx, node-link JSON, GraphML and Mermaid exports; read-back into networkx."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from stratpolicy.catalogs import korea
from stratpolicy.graph import (
    EDGE_TYPES,
    EXPORT_FORMATS,
    NODE_TYPES,
    MissionGraph,
    export,
    to_networkx,
)


def _edges(g: nx.MultiDiGraph) -> Counter[tuple[str, str, str]]:
    return Counter((u, v, d["type"]) for u, v, d in g.edges(data=True))


@pytest.fixture(params=["summit", "lab"])
def graph(request: pytest.FixtureRequest, lab: MissionGraph) -> MissionGraph:
    return korea.summit_2025().graph() if request.param == "summit" else lab


def test_networkx_graph_is_typed(lab: MissionGraph) -> None:
    g = to_networkx(lab)
    assert isinstance(g, nx.MultiDiGraph)
    p = lab.portfolio
    assert g.number_of_nodes() == len(p) - len(p.roadmaps)
    assert {d for _, d in g.nodes(data="type")} == set(NODE_TYPES)
    for u, v, k, d in g.edges(keys=True, data=True):
        assert k == d["type"]
        assert (g.nodes[u]["type"], g.nodes[v]["type"]) == EDGE_TYPES[k]
    assert g.edges["T", "a1", "requires"]["weight"] == 0.8
    assert g.has_edge("T", "S", "contributes_to")
    assert g.has_edge("a1", "a3", "depends_on")
    assert g.has_edge("a1", "A", "part_of")
    assert g.has_edge("I1", "a1", "supports")
    assert g.has_edge("msit", "I1", "administers")
    assert g.has_edge("I3", "credit1", "offers")
    assert g.has_edge("credit1", "A", "applies_to")
    assert g.has_edge("I5", "N", "serves")
    counts = Counter(k for _, _, k in g.edges(keys=True))
    assert counts["requires"] == 2 + 2 + 2 + 2  # M, S, T, N
    assert counts["depends_on"] == 3


def test_networkx_graph_on_a_date_drops_what_is_not_in_force(lab: MissionGraph) -> None:
    g = lab.to_networkx(on=dt.date(2028, 1, 1))
    assert "I1" not in g and "I3" not in g and "I2" in g
    assert "credit2" not in g and "credit1" in g
    assert g.graph["on"] == "2028-01-01"


def test_json_reads_back_with_the_same_nodes_and_edges(graph: MissionGraph) -> None:
    original = graph.to_networkx()
    data = json.loads(export(graph, "json"))
    back = nx.node_link_graph(data, edges="edges")
    assert set(back.nodes) == set(original.nodes)
    assert _edges(back) == _edges(original)
    assert dict(back.nodes(data=True)) == dict(original.nodes(data=True))


def test_graphml_reads_back_with_the_same_nodes_and_edges(
    graph: MissionGraph, tmp_path: Path
) -> None:
    original = graph.to_networkx()
    text = graph.to_graphml()
    back = nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)
    assert set(back.nodes) == set(original.nodes)
    assert _edges(back) == _edges(original)
    assert dict(back.nodes(data=True)) == dict(original.nodes(data=True))
    path = tmp_path / "g.graphml"
    graph.write_graphml(path)
    assert set(nx.read_graphml(path).nodes) == set(original.nodes)


def test_graphml_attributes_are_scalars() -> None:
    g = korea.summit_2025().graph().to_networkx()
    for _, data in g.nodes(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in data.values())
    for _, _, data in g.edges(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in data.values())
    budget = g.nodes["rd_budget_2026"]
    # 2026: 35.3 proposed, 35.5 enacted; the node carries the most final figure
    assert budget["budget_2026"] == 35.5e12 and budget["currency_2026"] == "KRW"
    assert budget["stage_2026"] == "enacted"
    envelope = g.edges["nst_rd_investment", "quantum", "supports"]
    assert envelope["targeted"] is False
    assert g.edges["ai_budget_2026", "artificial_intelligence", "supports"]["targeted"] is True
    ai_credit = g.edges["rsta_nst_rd_credit", "artificial_intelligence", "applies_to"]
    assert ai_credit["start"] == "2025-01-01"  # the RSTA field's first day (law 20778)
    assert g.edges["moef", "mofe_2026", "succeeded_by"]["remit"].endswith("tax and treasury")
    assert g.nodes["moef"]["end"] == "2026-01-01"
    assert budget["stip_code"] == "PI007"


def test_mermaid(lab: MissionGraph) -> None:
    text = export(lab, "mermaid")
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert '    M(["M"])' in lines  # a mission is a stadium
    assert '    a1["A1"]' in lines  # a technology a rectangle
    assert '    I1{{"I1"}}' in lines  # an instrument a hexagon
    assert "    T -->|requires 0.8| a1" in lines
    assert "    I1 -->|supports 0.5| a1" in lines  # with its share
    assert "    E" not in "\n".join(lines)  # E has no edges: left out
    assert "E([" in lab.to_mermaid(isolated=True)
    only = lab.to_mermaid(node_types=["mission"], direction="TB")
    assert only.splitlines()[0] == "flowchart TB"
    assert "    S -->|contributes_to| M" in only.splitlines()
    assert "a1" not in only


def test_mermaid_ids_are_safe() -> None:
    from stratpolicy import Portfolio, Technology

    p = Portfolio(
        id="p",
        name="P",
        technologies=(
            Technology(id="end", name='Say "hi"', kind="area"),
            Technology(id="1-x", name="X", parent="end"),
            Technology(id="1_x", name="Y", parent="end"),
        ),
    )
    text = p.graph().to_mermaid()
    assert 'n_end["Say #quot;hi#quot;"]' in text
    assert "n_1_x[" in text and "n_1_x_2[" in text


def test_export_rejects_unknown_formats(lab: MissionGraph) -> None:
    assert EXPORT_FORMATS == ("graphml", "json", "mermaid")
    with pytest.raises(ValueError, match="unknown format"):
        export(lab, "dot")
    with pytest.raises(ValueError, match="node types"):
        lab.to_mermaid(node_types=["planet"])
    with pytest.raises(ValueError, match="direction"):
        lab.to_mermaid(direction="up")


def test_graphml_declares_one_type_per_attribute() -> None:
    from stratpolicy import Mission, Portfolio, Requirement, Technology

    p = Portfolio(
        id="p",
        name="P",
        technologies=(
            Technology(id="a", name="A", kind="area"),
            Technology(id="b", name="B", kind="area"),
        ),
        missions=(
            Mission(
                id="m",
                name="M",
                requires=(
                    Requirement(technology="a", weight=1),  # an int weight
                    Requirement(technology="b", weight=0.5),
                ),
            ),
        ),
    )
    text = p.graph().to_graphml()
    keys = [line for line in text.splitlines() if 'attr.name="weight"' in line]
    assert len(keys) == 1 and 'attr.type="double"' in keys[0]
