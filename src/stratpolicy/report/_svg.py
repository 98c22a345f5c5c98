"""Pictures for the HTML report, as inline SVG text: no network, no matplotlib.

:func:`mission_graph_svg` draws missions, the technologies they need or instruments
support, and the instruments, in three columns; :func:`funding_svg` draws where a year's
money goes as two stacked bars.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from stratpolicy.display import format_money as money
from stratpolicy.model import Portfolio

__all__ = ["funding_svg", "mission_graph_svg"]

STATUS_COLOURS = {"targeted": "#2d6a4f", "envelope_only": "#d08c00", "none": "#c9184a"}
STATUS_WORDS = {
    "targeted": "targeted support",
    "envelope_only": "only an unallocated envelope",
    "none": "no support",
}
_ROW = 20
_FONT = 12


def _clip(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(x: float, y: float, text: str, anchor: str = "start", **style: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in style.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{_FONT}"'
        f"{extra}>{escape(text)}</text>"
    )


def mission_graph_svg(portfolio: Portfolio, on: dt.date | None) -> str:
    """Missions (left), technologies (middle), instruments (right), and their links.

    A technology's colour is its support status on ``on`` (targeted, only an envelope, or
    none); envelope supports are dashed lines.
    """
    graph = portfolio.graph()
    support = graph.support(on=on)
    missions: list[tuple[str, int]] = []

    def visit(mission_id: str, depth: int) -> None:
        missions.append((mission_id, depth))
        for child in portfolio.sub_missions(mission_id):
            visit(child.id, depth + 1)

    for m in portfolio.core_missions():
        visit(m.id, 0)
    instruments = [i for i in portfolio.instruments if on is None or i.in_force(on)]
    requires = [(m.id, r.technology, r.weight) for m in portfolio.missions for r in m.requires]
    supports = [
        (i.id, s.technology, i.is_targeted(s))
        for i in instruments
        for s in i.supports
        if on is None or s.in_force(on)
    ]
    used = {t for _, t, _ in requires} | {t for _, t, _ in supports}
    techs = [t for t in portfolio.technologies if t.id in used]
    rows = max(len(missions), len(techs), len(instruments), 1)
    width, height = 1000, 70 + rows * _ROW
    col = {"mission": 10, "technology": 330, "instrument": 690}
    mission_end, tech_end = 266.0, 630.0  # where the edges meet the text columns
    y_m = {m: 50.0 + i * _ROW for i, (m, _) in enumerate(missions)}
    y_t = {t.id: 50.0 + i * _ROW for i, t in enumerate(techs)}
    y_i = {x.id: 50.0 + i * _ROW for i, x in enumerate(instruments)}
    # centre the shorter columns
    for ys, n in ((y_m, len(missions)), (y_i, len(instruments))):
        shift = (len(techs) - n) * _ROW / 2 if len(techs) > n else 0
        for k in ys:
            ys[k] += shift
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif">',
        f"<title>Mission graph of {escape(portfolio.name)}</title>",
        _text(col["mission"], 20, "Missions and challenges", font_weight="bold"),
        _text(col["technology"], 20, "Technologies", font_weight="bold"),
        _text(col["instrument"], 20, "Instruments", font_weight="bold"),
    ]
    for mid, tid, w in requires:
        if mid in y_m and tid in y_t:
            out.append(
                f'<line x1="{mission_end:.1f}" y1="{y_m[mid] - 4:.1f}" '
                f'x2="{col["technology"] - 6:.1f}" y2="{y_t[tid] - 4:.1f}" stroke="#8d99ae" '
                f'stroke-width="{0.6 + 1.6 * w:.2f}" opacity="0.7"/>'
            )
    for iid, tid, targeted in supports:
        if iid in y_i and tid in y_t:
            dash = "" if targeted else ' stroke-dasharray="5 4"'
            out.append(
                f'<line x1="{col["instrument"] - 6:.1f}" y1="{y_i[iid] - 4:.1f}" '
                f'x2="{tech_end:.1f}" y2="{y_t[tid] - 4:.1f}" stroke="#457b9d" '
                f'stroke-width="1.2" opacity="0.6"{dash}/>'
            )
    for mid, depth in missions:
        name = portfolio.mission(mid).name
        out.append(
            _text(
                col["mission"] + 14 * depth, y_m[mid], _clip(name, 40 - 2 * depth), fill="#6a040f"
            )
        )
    for tech in techs:
        row = support.get(tech.id)
        status = row.status if row is not None else "none"
        colour = STATUS_COLOURS[status]
        out.append(
            f'<circle cx="{col["technology"] - 2:.1f}" cy="{y_t[tech.id] - 4:.1f}" r="4" '
            f'fill="{colour}"><title>{escape(STATUS_WORDS[status])}</title></circle>'
        )
        weight = "bold" if tech.is_area else "normal"
        out.append(
            _text(
                col["technology"] + 6,
                y_t[tech.id],
                _clip(tech.name),
                fill=colour,
                font_weight=weight,
            )
        )
    for ins in instruments:
        out.append(_text(col["instrument"], y_i[ins.id], _clip(ins.name, 46), fill="#1d3557"))
    legend_y = height - 10
    items = [
        ("targeted", "targeted support"),
        ("envelope_only", "only an unallocated envelope"),
        ("none", "no support"),
    ]
    x = 10.0
    for status, word in items:
        colour = STATUS_COLOURS[status]
        out.append(f'<circle cx="{x + 4:.1f}" cy="{legend_y - 4:.1f}" r="4" fill="{colour}"/>')
        out.append(_text(x + 12, legend_y, word))
        x += 40 + 7 * len(word)
    out.append(
        f'<line x1="{x:.1f}" y1="{legend_y - 4:.1f}" x2="{x + 30:.1f}" y2="{legend_y - 4:.1f}" '
        'stroke="#457b9d" stroke-width="1.2" stroke-dasharray="5 4"/>'
    )
    out.append(_text(x + 36, legend_y, "envelope support (no published split)"))
    out.append("</svg>")
    return "\n".join(out)


_REASON_WORDS = {
    "missions": "reaches missions",
    "shared": "at technologies several missions need (not split)",
    "envelope": "in envelopes with no published split",
    "no_technology": "assigned to no technology",
    "no_mission": "at technologies no mission needs",
}
_REASON_COLOURS = {
    "missions": "#2d6a4f",
    "shared": "#74c69d",
    "envelope": "#d08c00",
    "no_technology": "#adb5bd",
    "no_mission": "#ced4da",
}
_PALETTE = ("#1d3557", "#457b9d", "#a8dadc", "#e63946", "#6d597a", "#b56576", "#355070")


def funding_svg(flow: dict[str, Any], names: dict[str, str], currency: str) -> str:
    """One year's distinct money in ``currency``: by instrument, and by where it ends."""
    total = next((t for t in flow["totals"] if t["currency"] == currency), None)
    if total is None or total["budget"] <= 0:
        return ""
    budget = total["budget"]
    width, bar, left = 1000, 760, 200
    own = [
        (r["instrument"], r["own"])
        for r in flow["instruments"]
        if r["currency"] == currency and r["own"] > 0
    ]
    ends: dict[str, float] = {"missions": total["to_missions"]}
    for u in flow["unallocated"]:
        if u["currency"] == currency:
            ends[u["reason"]] = ends.get(u["reason"], 0.0) + u["amount"]
    ends = {k: v for k, v in ends.items() if v > 0}
    n_legend = len(own) + len(ends)
    height = 120 + n_legend * _ROW
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif">',
        f"<title>Funding flow {flow['year']}: {escape(money(budget, currency))} "
        "counted once</title>",
    ]

    def stacked(y: float, label: str, parts: list[tuple[str, float, str]]) -> None:
        out.append(_text(left - 10, y + 17, label, anchor="end", font_weight="bold"))
        x = float(left)
        for key, value, colour in parts:
            w = bar * value / budget
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0.5):.1f}" height="26" '
                f'fill="{colour}"><title>{escape(key)}: {escape(money(value, currency))}</title>'
                "</rect>"
            )
            x += w

    colours = {i: _PALETTE[n % len(_PALETTE)] for n, (i, _) in enumerate(own)}
    stacked(20, "by instrument", [(names.get(i, i), v, colours[i]) for i, v in own])
    stacked(
        60,
        "where it ends",
        [(_REASON_WORDS.get(k, k), v, _REASON_COLOURS.get(k, "#999")) for k, v in ends.items()],
    )
    y = 110.0
    for i, v in own:
        out.append(
            f'<rect x="{left:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colours[i]}"/>'
        )
        out.append(_text(left + 18, y, f"{names.get(i, i)}: {money(v, currency)}"))
        y += _ROW
    for k, v in ends.items():
        colour = _REASON_COLOURS.get(k, "#999")
        out.append(
            f'<rect x="{left:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>'
        )
        out.append(_text(left + 18, y, f"{_REASON_WORDS.get(k, k)}: {money(v, currency)}"))
        y += _ROW
    out.append("</svg>")
    return "\n".join(out)
