"""HTML and text for the mission graph and its result tables, in Jupyter and ``repr``."""

from __future__ import annotations

from typing import Any

import attrs

from stratpolicy._html import escape
from stratpolicy.graph import MissionGraph, Table

__all__ = ["graph_html", "table_html", "table_text"]

_REPR_ROWS = 10
_CELL_WIDTH = 32


def graph_html(graph: MissionGraph) -> str:
    """A summary for Jupyter: what the graph holds and the coverage of each mission."""
    p = graph.portfolio
    areas = len(p.areas())
    core = len(p.core_missions())
    counts = [
        ("missions", f"{len(p.missions)} ({core} core, {len(p.missions) - core} below)"),
        ("technologies", f"{len(p.technologies)} ({areas} areas)"),
        ("instruments", str(len(p.instruments))),
        ("incentives", str(len(p.incentives))),
        ("actors", str(len(p.actors))),
        ("dependencies", str(len(graph.dependencies))),
    ]
    count_rows = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in counts)
    rows = []
    for row in graph.coverage():
        shown = "-" if row.coverage is None else f"{row.coverage:.0%}"
        env = "-" if row.coverage_with_envelopes is None else f"{row.coverage_with_envelopes:.0%}"
        indent = "" if row.parent is None else "&nbsp;&nbsp;"
        rows.append(
            f"<tr><td>{indent}{escape(row.name)}</td><td>{escape(row.kind)}</td>"
            f"<td>{row.requirements}</td><td>{shown}</td><td>{env}</td>"
            f"<td>{escape(', '.join(row.gaps))}</td></tr>"
        )
    coverage = (
        "<table><tr><th>mission</th><th>kind</th><th>requirements</th><th>coverage</th>"
        f"<th>with envelopes</th><th>gaps</th></tr>{''.join(rows)}</table>"
        if rows
        else "<p><em>no missions</em></p>"
    )
    return (
        f"<div><strong>MissionGraph of {escape(p.name)}</strong> <code>{escape(p.id)}</code>"
        f"<table><tr><th>nodes</th><th>count</th></tr>{count_rows}</table>"
        "<p>Coverage of each mission by targeted support, and counting unallocated "
        f"envelopes (every instrument, dates ignored)</p>{coverage}</div>"
    )


def _cells(table: Table[Any], limit: int) -> tuple[list[str], list[list[str]]]:
    fields = {f.name: f for f in attrs.fields(table.row_type)}
    names = list(table.columns)
    body = [
        [_fmt(getattr(row, n), fields[n].metadata.get("fmt")) for n in names]
        for row in table[:limit]
    ]
    return names, body


def table_text(table: Table[Any]) -> str:
    """A result table as aligned text: its first rows, and how many more there are."""
    names, body = _cells(table, _REPR_ROWS)
    n = len(table)
    head = f"{type(table).__name__}[{table.row_type.__name__}]: {_rows(n)}"
    if not body:
        return head
    widths = [max(len(name), *(len(r[j]) for r in body)) for j, name in enumerate(names)]
    lines = [head, "  ".join(name.ljust(w) for name, w in zip(names, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in body]
    if n > _REPR_ROWS:
        lines.append(f"... {n - _REPR_ROWS} more rows")
    return "\n".join(line.rstrip() for line in lines)


def table_html(table: Table[Any]) -> str:
    """A result table as HTML: its first rows, and how many more there are."""
    names, body = _cells(table, 2 * _REPR_ROWS)
    n = len(table)
    head = "".join(f"<th>{escape(name)}</th>" for name in names)
    rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in body)
    more = f"<p>... {n - len(body)} more rows</p>" if n > len(body) else ""
    title = escape(f"{table.row_type.__name__}: {_rows(n)}")
    return f"<p>{title}</p><table><tr>{head}</tr>{rows}</table>{more}"


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _fmt(value: Any, fmt: str | None) -> str:
    if value is None:
        text = "-"
    elif isinstance(value, tuple):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, float):
        text = format(value, fmt or ".4g")
    else:
        text = str(value)
    if len(text) > _CELL_WIDTH:
        text = text[: _CELL_WIDTH - 3] + "..."
    return text
