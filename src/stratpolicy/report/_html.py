"""The report as one self-contained HTML page an analyst can send.

Inline CSS, tables, and two inline SVG pictures (the mission graph and the funding flow);
no script, no external file, no network request: a Content-Security-Policy of
``default-src 'none'`` (inline styles allowed) says so to the browser.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from stratpolicy.display import format_money as money
from stratpolicy.display import format_percent as percent
from stratpolicy.graph import Allocation
from stratpolicy.model import Portfolio
from stratpolicy.report._format import actor_names
from stratpolicy.report._svg import STATUS_COLOURS, STATUS_WORDS, funding_svg, mission_graph_svg

__all__ = ["CSP", "render_html"]

#: The page's Content-Security-Policy: nothing may load; inline styles are allowed.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK KR",
  sans-serif; color: #1b1b1b; max-width: 1060px; margin: 2em auto; padding: 0 1em;
  line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 2px solid #1d3557; padding-bottom: 0.2em;
  margin-top: 2em; }
.meta { color: #444; margin: 0.2em 0; }
nav ol { columns: 2; font-size: 0.95em; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccd; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #eef1f6; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.caveat { background: #fff7e0; border-left: 4px solid #d08c00; padding: 0.4em 0.7em;
  margin: 0.4em 0; font-size: 0.92em; }
.caveat::before { content: "Caveat: "; font-weight: bold; }
.lines { font-size: 0.92em; margin: 0.3em 0; padding-left: 0; list-style: none; }
.lines li { margin: 0.1em 0; }
.status { font-weight: bold; }
.bar { display: inline-block; height: 0.8em; background: #2d6a4f; vertical-align: middle; }
.bar.env { background: #d08c00; }
figure { margin: 1em 0; overflow-x: auto; }
figcaption { font-size: 0.9em; color: #444; }
footer { margin-top: 3em; font-size: 0.85em; color: #555; }
"""


def _e(value: object) -> str:
    return escape(str(value))


def _table(head: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _lines(lines: list[str]) -> str:
    items = []
    for line in lines:
        depth = (len(line) - len(line.lstrip(" "))) // 2
        items.append(f'<li style="margin-left: {depth * 1.4:.1f}em">{_e(line.strip())}</li>')
    return f'<ul class="lines">{"".join(items)}</ul>'


def _caveats(section: dict[str, Any]) -> str:
    return "".join(f'<p class="caveat">{_e(c)}</p>' for c in section.get("caveats", []))


def _status(status: str) -> str:
    colour = STATUS_COLOURS.get(status, "#000")
    word = _e(STATUS_WORDS.get(status, status))
    return f'<span class="status" style="color: {colour}">{word}</span>'


def _tree(report: dict[str, Any]) -> list[tuple[str, int]]:
    """Mission ids in reading order (each mission, then its sub-missions), with depths."""
    children: dict[str | None, list[str]] = {}
    for m in report["missions"]:
        children.setdefault(m["parent"], []).append(m["id"])
    order: list[tuple[str, int]] = []

    def visit(mission_id: str, depth: int) -> None:
        order.append((mission_id, depth))
        for child in children.get(mission_id, []):
            visit(child, depth + 1)

    for root in children.get(None, []):
        visit(root, 0)
    return order


def _in_tree(
    report: dict[str, Any], rows: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], int]]:
    by_id = {r["mission"]: r for r in rows}
    return [(by_id[m], depth) for m, depth in _tree(report) if m in by_id]


_INDENT = "&nbsp;&nbsp;&nbsp;"


def _coverage(report: dict[str, Any], names: dict[str, str]) -> str:
    rows = []
    for r, depth in _in_tree(report, report["graph"]["coverage"]):
        cov, env = r["coverage"], r["coverage_with_envelopes"]
        bar = (
            f'<span class="bar" style="width: {80 * (cov or 0):.0f}px"></span>'
            f'<span class="bar env" style="width: {80 * max((env or 0) - (cov or 0), 0):.0f}px">'
            "</span>"
        )
        gaps = [t for t in r["gaps"] if t not in r["envelope_only"]]
        rows.append(
            [
                (_INDENT * depth) + _e(r["name"]),
                _e(percent(cov)),
                _e(percent(env)),
                bar,
                _e(", ".join(names.get(t, t) for t in r["envelope_only"])),
                _e(", ".join(names.get(t, t) for t in gaps)),
            ]
        )
    return _table(
        [
            "mission",
            "coverage (targeted)",
            "counting envelopes",
            "",
            "covered only by an unallocated envelope",
            "no support",
        ],
        rows,
        {1, 2},
    )


def _gaps(report: dict[str, Any], names: dict[str, str]) -> str:
    rows = [
        [
            _e(g["name"]),
            _e(", ".join(names.get(m, m) for m in g["missions"])),
            _e(f"{g['weight']:g}"),
            _status(g["status"]),
            _e(", ".join(names.get(i, i) for i in g["envelopes"])),
        ]
        for g in report["graph"]["gaps"]
    ]
    if not rows:
        return "<p>none</p>"
    return _table(["technology", "needed by", "weight", "status", "envelopes"], rows, {2})


def _bottlenecks(section: dict[str, Any]) -> str:
    rows = section["data"] or []
    ranks = [r["rank"] for r in rows]
    body = [
        [
            _e(f"{r['rank']}{'=' if ranks.count(r['rank']) > 1 else ''}"),
            _e(r["name"]),
            _e(r["score"]),
            _status(r["status"]),
        ]
        for r in rows
    ]
    note = [line for line in section["lines"] if line.startswith("(")]
    return _table(["rank", "technology", "missions", "support"], body, {0, 2}) + (
        _lines(note) if note else ""
    )


def _funding(report: dict[str, Any], names: dict[str, str]) -> str:
    flow = report["graph"]["funding_flow"]
    if flow is None:
        return "<p>no budgets recorded</p>"
    out = []
    for total in flow["totals"]:
        cur = total["currency"]
        picture = funding_svg(flow, names, cur)
        out.append(
            f"<figure>{picture}<figcaption>Where {flow['year']}'s money goes, counted once "
            f"({_e(money(total['budget'], cur))}).</figcaption></figure>"
        )
        rows = [
            [
                _e(names.get(r["instrument"], r["instrument"])),
                _e(r["stage"]),
                _e(money(r["budget"], cur)),
                _e(money(r["overlap"], cur)) if r["overlap"] else "",
                _e(money(r["own"], cur)),
                _e(money(r["to_technologies"], cur)),
                _e(money(r["envelope"], cur)) if r["envelope"] else "",
                _e(money(r["unallocated"], cur)) if r["unallocated"] else "",
            ]
            for r in flow["instruments"]
            if r["currency"] == cur
        ]
        out.append(
            _table(
                [
                    "instrument",
                    "stage",
                    "budget",
                    "also in another budget",
                    "counted here",
                    "to technologies",
                    "envelope (not split)",
                    "to no technology",
                ],
                rows,
                {2, 3, 4, 5, 6, 7},
            )
        )
        how = flow["allocation"]
        mark = f" [{Allocation(how).label}]" if how else ""
        mine = [r for r in flow["missions"] if r["currency"] == cur]
        rows = [
            [
                (_INDENT * depth) + _e(names.get(r["mission"], r["mission"])),
                _e(money(r["inflow_with_sub"], cur) + mark),
                _e(money(r["reachable"], cur)),
            ]
            for r, depth in _in_tree(report, mine)
        ]
        allocated = (
            f"allocated, sub-missions included ({Allocation(how).label}: an assumption)"
            if how
            else "allocated, sub-missions included (no allocation: only money that one "
            "mission alone needs)"
        )
        out.append(
            _table(
                [
                    "mission",
                    allocated,
                    "at the technologies it needs (not split; does not add up)",
                ],
                rows,
                {1, 2},
            )
        )
    return "".join(out)


def _pipeline(report: dict[str, Any], names: dict[str, str]) -> str:
    rows = [
        [
            (_INDENT * depth) + _e(r["name"]),
            _e(", ".join(names.get(a, a) for a in r["ministries"]) or "none"),
            _e(", ".join(names.get(a, a) for a in r["actors"] if a not in r["ministries"])),
            _e(", ".join(names.get(i, i) for i in r["instruments"])),
        ]
        for r, depth in _in_tree(report, report["graph"]["pipeline"])
    ]
    return _table(["mission", "ministries", "other actors", "through"], rows)


def _linkage(report: dict[str, Any], names: dict[str, str]) -> str:
    rows = []
    for r in report["graph"]["linkage_timeline"]["technologies"]:
        periods = ", ".join(p.replace("..", " to ") for p in r["periods"]) or "never"
        rows.append(
            [
                _e(r["name"]),
                _e(r["first_linked"] or ("always" if r["linked"] else "no")),
                _e(periods),
                _e(", ".join(names.get(i, i) for i in r["incentives"])),
            ]
        )
    return _table(["area", "first linked", "periods", "incentives"], rows)


def _provenance(report: dict[str, Any]) -> str:
    rows = [
        [_e(r["kind"]), f"<code>{_e(r['path'])}</code>", _e(r["statement"]), _e(r["note"])]
        for r in report["provenance"]
    ]
    return _table(["kind", "path", "what", "note"], rows)


def render_html(report: dict[str, Any], portfolio: Portfolio) -> str:
    """The report (see :func:`~stratpolicy.report._data.build_report`) as an HTML page."""
    p = report["portfolio"]
    names = {o.id: getattr(o, "name", o.id) for o in portfolio}
    names.update(actor_names(portfolio))
    on = dt.date.fromisoformat(report["as_of"]) if report["as_of"] else None
    tables = {
        "coverage": lambda: _coverage(report, names),
        "gaps": lambda: _gaps(report, names),
        "funding": lambda: _funding(report, names),
        "pipeline": lambda: _pipeline(report, names),
        "linkage": lambda: _linkage(report, names),
    }
    sections = []
    toc = []
    for section in report["sections"]:
        sid = section.get("id", section["title"])
        anchor = "s-" + "".join(c if c.isalnum() else "-" for c in sid)
        toc.append(f'<li><a href="#{anchor}">{_e(section["title"])}</a></li>')
        if sid == "missions":
            body = _lines(section["lines"]) + (
                f"<figure>{mission_graph_svg(portfolio, on)}<figcaption>The mission graph: "
                "what each mission needs and what each instrument supports, coloured by "
                "support.</figcaption></figure>"
            )
        elif sid == "bottlenecks":
            body = _bottlenecks(section)
        elif sid in tables:
            body = tables[sid]()
        else:
            body = _lines(section["lines"])
        sections.append(
            f'<section id="{anchor}"><h2>{_e(section["title"])}</h2>{body}{_caveats(section)}'
            "</section>"
        )
    toc.append('<li><a href="#s-provenance">Provenance</a></li>')
    sections.append(
        '<section id="s-provenance"><h2>Provenance</h2><p>Every fact the report rests on that '
        "its source does not vouch for, and every assumption of the analyses, with its path."
        f"</p>{_provenance(report)}</section>"
    )
    header = "".join(f'<p class="meta">{_e(line)}</p>' for line in report["header"])
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(p['name'])}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{_e(p['name'])}</h1>{header}</header>"
        f"<nav><ol>{''.join(toc)}</ol></nav>"
        f"{''.join(sections)}"
        f"<footer>stratpolicy {_e(report['stratpolicy'])}, report version "
        f"{report['report_version']}.</footer>"
        "</body></html>\n"
    )
