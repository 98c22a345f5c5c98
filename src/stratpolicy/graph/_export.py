"""The graph as networkx, node-link JSON, GraphML and Mermaid."""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stratpolicy.errors import Problem, SchemaError, ValidationError
from stratpolicy.units import currency_of

if TYPE_CHECKING:
    from stratpolicy.graph._graph import MissionGraph

__all__ = [
    "EDGE_TYPES",
    "EXPORT_FORMATS",
    "NODE_TYPES",
    "export",
    "to_graphml",
    "to_json",
    "to_mermaid",
    "to_networkx",
    "to_node_link",
    "write_graphml",
]

NODE_TYPES: tuple[str, ...] = ("mission", "technology", "instrument", "incentive", "actor")
"""The node types, as the ``type`` attribute of every node."""

EDGE_TYPES: dict[str, tuple[str, str]] = {
    "requires": ("mission", "technology"),
    "contributes_to": ("mission", "mission"),
    "depends_on": ("technology", "technology"),
    "part_of": ("technology", "technology"),
    "supports": ("instrument", "technology"),
    "serves": ("instrument", "mission"),
    "budget_part_of": ("instrument", "instrument"),
    "offers": ("instrument", "incentive"),
    "applies_to": ("incentive", "technology"),
    "administers": ("actor", "instrument"),
    "owns": ("actor", "mission"),
    "succeeded_by": ("actor", "actor"),
}
"""The edge types (``type`` attribute and multigraph key), with source and target node types."""

EXPORT_FORMATS: tuple[str, ...] = ("graphml", "json", "mermaid")
"""The formats :func:`export` writes."""


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _put(attrs: dict[str, Any], name: str, value: Any) -> None:
    """Set a scalar attribute, leaving out empty values (GraphML has no null)."""
    if value is None or value == "":
        return
    if isinstance(value, dt.date):
        value = value.isoformat()
    elif hasattr(value, "value") and isinstance(value.value, str):  # an enum
        value = value.value
    attrs[name] = value


def to_networkx(graph: MissionGraph, *, on: dt.date | None = None) -> Any:
    """The graph as a networkx ``MultiDiGraph``, built anew on each call.

    Nodes are keyed by id (ids are unique across a portfolio) and carry a ``type``
    (:data:`NODE_TYPES`), ``name`` and scalar attributes: ``kind``; ``parent`` for
    technologies and missions; ``stip_code``, ``start``, ``end``, ``part_of`` and
    ``budget_<year>`` (float, in whole currency units, of the year's most final stage)
    with ``currency_<year>`` and ``stage_<year>`` for instruments; ``start`` and ``end``
    for incentives and actors. Edges are keyed by their type (:data:`EDGE_TYPES`), which is
    also their ``type`` attribute; ``requires`` edges carry ``weight``; ``supports`` edges
    ``targeted`` (see :class:`~stratpolicy.model.Support`), ``share`` when the model gives
    one, and ``start``/``end`` when dated; ``applies_to`` edges ``start``/``end`` when
    dated; ``succeeded_by`` edges (an actor to its successor) ``remit``. The graph's
    ``dependencies`` become ``depends_on`` edges.

    Args:
        graph: The mission graph.
        on: Leave out the instruments, incentives, supports and incentive links not in
            force on this date (with their edges); ``None`` keeps them all.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = to_networkx(korea.summit_2025().graph())
        >>> g.nodes["quantum"]["type"]
        'technology'
        >>> g.edges["ai_transformation", "artificial_intelligence", "requires"]
        {'type': 'requires', 'weight': 1.0}
    """
    import networkx as nx

    p = graph.portfolio
    g = nx.MultiDiGraph(name=p.id)
    if on is not None:
        g.graph["on"] = on.isoformat()

    def edge(u: str, v: str, kind: str, **data: Any) -> None:
        g.add_edge(u, v, key=kind, type=kind, **{k: x for k, x in data.items() if x is not None})

    with _gc_paused():
        for t in p.technologies:
            a: dict[str, Any] = {"type": "technology", "name": t.name}
            _put(a, "kind", t.kind)
            _put(a, "name_local", t.name_local)
            _put(a, "parent", t.parent)
            g.add_node(t.id, **a)
        for m in p.missions:
            a = {"type": "mission", "name": m.name}
            _put(a, "kind", m.kind)
            _put(a, "parent", m.parent)
            _put(a, "due", m.due)
            g.add_node(m.id, **a)
        instruments = [x for x in p.instruments if on is None or x.in_force(on)]
        incentives = [c for c in p.incentives if on is None or c.in_force(on)]
        kept = {x.id for x in instruments} | {c.id for c in incentives}
        for x in instruments:
            a = {"type": "instrument", "name": x.name}
            _put(a, "kind", x.kind)
            _put(a, "stip_code", x.kind.code)
            _put(a, "start", x.start)
            _put(a, "end", x.end)
            _put(a, "part_of", x.part_of)
            for year in sorted({e.year for e in x.budget}):
                entry = x.budget_entry(year)
                assert entry is not None
                code = currency_of(entry.amount)
                assert code is not None
                a[f"budget_{year}"] = float(entry.amount.to(code).magnitude)
                a[f"currency_{year}"] = code
                _put(a, f"stage_{year}", entry.stage)
            g.add_node(x.id, **a)
        for c in incentives:
            a = {"type": "incentive", "name": c.name}
            _put(a, "kind", c.kind)
            _put(a, "start", c.start)
            _put(a, "end", c.end)
            _put(a, "rule_set", c.rule_set)
            g.add_node(c.id, **a)
        for actor in p.actors:
            a = {"type": "actor", "name": actor.name}
            _put(a, "kind", actor.kind)
            _put(a, "abbreviation", actor.abbreviation)
            _put(a, "parent", actor.parent)
            _put(a, "start", actor.start)
            _put(a, "end", actor.end)
            g.add_node(actor.id, **a)
        for actor in p.actors:
            for succ in actor.successors:
                edge(actor.id, succ.actor, "succeeded_by", remit=succ.remit or None)

        for t in p.technologies:
            if t.parent is not None:
                edge(t.id, t.parent, "part_of")
        for u, v in graph.dependencies:
            edge(u, v, "depends_on")
        for m in p.missions:
            for r in m.requires:
                edge(m.id, r.technology, "requires", weight=float(r.weight))
            if m.parent is not None:
                edge(m.id, m.parent, "contributes_to")
            for owner in m.owners:
                edge(owner, m.id, "owns")
        for x in instruments:
            for s in x.supports:
                if on is not None and not s.in_force(on):
                    continue
                share = None if s.share is None else float(s.share)
                edge(
                    x.id,
                    s.technology,
                    "supports",
                    share=share,
                    targeted=x.is_targeted(s),
                    start=s.start.isoformat() if s.start else None,
                    end=s.end.isoformat() if s.end else None,
                )
            for mid in x.missions:
                edge(x.id, mid, "serves")
            for cid in x.incentives:
                if cid in kept:
                    edge(x.id, cid, "offers")
            if x.part_of is not None and x.part_of in kept:
                edge(x.id, x.part_of, "budget_part_of")
            for aid in x.administered_by:
                edge(aid, x.id, "administers")
        for c in incentives:
            for link in c.technologies:
                if on is not None and not link.in_force(on):
                    continue
                edge(
                    c.id,
                    link.technology,
                    "applies_to",
                    start=link.start.isoformat() if link.start else None,
                    end=link.end.isoformat() if link.end else None,
                )
    return g


def to_node_link(graph: MissionGraph, *, on: dt.date | None = None) -> dict[str, Any]:
    """The graph as node-link data (``networkx.node_link_data`` with ``edges="edges"``).

    Read it back with ``networkx.node_link_graph(data, edges="edges")``.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> data = to_node_link(korea.summit_2025().graph())
        >>> data["multigraph"], sorted(data)[:3]
        (True, ['directed', 'edges', 'graph'])
    """
    import networkx as nx

    data: dict[str, Any] = nx.node_link_data(to_networkx(graph, on=on), edges="edges")
    return data


def to_json(graph: MissionGraph, *, on: dt.date | None = None, indent: int | None = 2) -> str:
    """The graph as node-link JSON text (see :func:`to_node_link`).

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> to_json(korea.summit_2025().graph())[:1]
        '{'
    """
    return json.dumps(to_node_link(graph, on=on), indent=indent, ensure_ascii=False)


def to_graphml(graph: MissionGraph, *, on: dt.date | None = None) -> str:
    """The graph as GraphML text, readable by ``networkx.read_graphml`` and Gephi.

    Every attribute is a scalar (text, number or boolean); empty values are left out.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> to_graphml(korea.summit_2025().graph()).startswith("<?xml")
        True
    """
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(graph, on=on), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def write_graphml(graph: MissionGraph, path: str | Path, *, on: dt.date | None = None) -> None:
    """Write the graph as a GraphML file (see :func:`to_graphml`).

    Examples:
        >>> import tempfile, pathlib, networkx
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> with tempfile.TemporaryDirectory() as d:
        ...     write_graphml(g, pathlib.Path(d) / "summit.graphml")
        ...     back = networkx.read_graphml(pathlib.Path(d) / "summit.graphml")
        >>> back.nodes["quantum"]["type"]
        'technology'
    """
    Path(path).write_text(to_graphml(graph, on=on), encoding="utf-8")


_SHAPES = {
    "mission": ('(["', '"])'),
    "technology": ('["', '"]'),
    "instrument": ('{{"', '"}}'),
    "incentive": ('>"', '"]'),
    "actor": ('[/"', '"/]'),
}
_STYLES = {
    "mission": "fill:#fde2e4,stroke:#c9184a",
    "technology": "fill:#e2ece9,stroke:#2d6a4f",
    "instrument": "fill:#dfe7fd,stroke:#1d3557",
    "incentive": "fill:#fff1c1,stroke:#b08900",
    "actor": "fill:#eeeeee,stroke:#555555",
}


def _mermaid_label(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", " ")


def to_mermaid(
    graph: MissionGraph,
    *,
    on: dt.date | None = None,
    node_types: Iterable[str] | None = None,
    isolated: bool = False,
    direction: str = "LR",
) -> str:
    """The graph as a Mermaid flowchart (for Markdown, GitHub and mkdocs-material).

    Node shapes by type: missions are stadiums, technologies rectangles, instruments
    hexagons, incentives flags, actors parallelograms; edges are labelled with their type
    (and a requirement's weight).

    Args:
        graph: The mission graph.
        on: Leave out the instruments and incentives not in force on this date.
        node_types: Only these node types (and the edges between them); default all.
        isolated: Keep nodes without edges (e.g. key technologies no one requires).
        direction: Mermaid direction: ``LR``, ``TB``, ``RL`` or ``BT``.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> text = to_mermaid(korea.summit_2025().graph(), node_types=["mission"])
        >>> print(text.splitlines()[0])
        flowchart LR
        >>> print(text.splitlines()[1])
            ai_transformation(["Lead the AI transformation"])
    """
    if direction not in ("LR", "TB", "TD", "RL", "BT"):
        raise ValidationError(
            [Problem("direction", f"must be LR, TB, RL or BT, got {direction!r}")]
        )
    types = set(NODE_TYPES if node_types is None else node_types)
    unknown = types - set(NODE_TYPES)
    if unknown:
        raise SchemaError(
            [
                Problem(
                    "node_types",
                    f"unknown node types {sorted(unknown)}; expected some of {NODE_TYPES}",
                )
            ]
        )
    g = to_networkx(graph, on=on)
    keep = {n for n, t in g.nodes(data="type") if t in types}
    edges = [(u, v, d) for u, v, d in g.edges(data=True) if u in keep and v in keep]
    if not isolated:
        touched = {u for u, _, _ in edges} | {v for _, v, _ in edges}
        keep &= touched
    names: dict[str, str] = {}
    taken: set[str] = set()
    for n in g.nodes:
        if n not in keep:
            continue
        base = re.sub(r"[^A-Za-z0-9_]", "_", n) or "node"
        if base[0].isdigit() or base in ("end", "graph", "subgraph", "style", "class"):
            base = f"n_{base}"
        name, i = base, 1
        while name in taken:
            i += 1
            name = f"{base}_{i}"
        taken.add(name)
        names[n] = name
    lines = [f"flowchart {direction}"]
    by_type: dict[str, list[str]] = {}
    for n, data in g.nodes(data=True):
        if n not in names:
            continue
        open_, close = _SHAPES[data["type"]]
        lines.append(f"    {names[n]}{open_}{_mermaid_label(str(data['name']))}{close}")
        by_type.setdefault(data["type"], []).append(names[n])
    for u, v, data in edges:
        if u not in names or v not in names:
            continue
        label = data["type"]
        if "weight" in data:
            label = f"{label} {data['weight']:g}"
        elif "share" in data:
            label = f"{label} {data['share']:g}"
        lines.append(f"    {names[u]} -->|{label}| {names[v]}")
    for kind in NODE_TYPES:
        if kind in by_type:
            lines.append(f"    classDef {kind} {_STYLES[kind]}")
            lines.append(f"    class {','.join(by_type[kind])} {kind}")
    return "\n".join(lines) + "\n"


def export(graph: MissionGraph, format: str, *, on: dt.date | None = None) -> str:
    """The graph as text in one of :data:`EXPORT_FORMATS` (for ``stratpolicy graph``).

    Args:
        graph: The mission graph.
        format: ``"graphml"``, ``"json"`` (node-link) or ``"mermaid"``.
        on: Leave out the instruments and incentives not in force on this date.

    Raises:
        ValueError: Unknown format.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> export(korea.summit_2025().graph(), "mermaid").startswith("flowchart LR")
        True
    """
    if format == "graphml":
        return to_graphml(graph, on=on)
    if format == "json":
        return to_json(graph, on=on) + "\n"
    if format == "mermaid":
        return to_mermaid(graph, on=on)
    raise SchemaError(
        [
            Problem(
                "format", f"unknown format {format!r}; expected one of {', '.join(EXPORT_FORMATS)}"
            )
        ]
    )
