"""The report as terminal text: names, percentages, money with currency and stage.

Every line is at most :data:`~stratpolicy.report._format.WIDTH` characters; a section's
caveats follow its lines, each starting with ``Caveat:``.
"""

from __future__ import annotations

from typing import Any

from stratpolicy.report._format import wrap

__all__ = ["CAVEAT", "render_provenance", "render_text"]

#: How a caveat line starts.
CAVEAT = "Caveat: "


def render_text(report: dict[str, Any]) -> str:
    """The report (see :func:`~stratpolicy.report._data.build_report`) as text."""
    p = report["portfolio"]
    out = [p["name"], "=" * len(p["name"]), *report["header"]]
    for section in report["sections"]:
        title = section["title"]
        out += ["", title, "-" * len(title), *section["lines"]]
        out += [CAVEAT + c for c in section.get("caveats", [])]
    return "\n".join(wrap(out)) + "\n"


def render_provenance(portfolio: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """The provenance list as text, grouped by kind, each entry with its path."""
    groups = (
        ("unverified", "Unverified facts (verified: false)"),
        ("editorial", "Editorial choices in verified entries"),
        ("context", "Instruments not named by the portfolio's source"),
        ("assumption", "Assumptions of the report's analyses"),
    )
    title = f"Provenance: {portfolio['name']}"
    out = [title, "=" * len(title)]
    for kind, heading in groups:
        mine = [r for r in rows if r["kind"] == kind]
        out += ["", f"{heading} ({len(mine)})", "-" * (len(heading) + len(str(len(mine))) + 3)]
        if not mine:
            out.append("none")
        for r in mine:
            out.append(f"{r['path'] or '(portfolio)'}: {r['statement']}")
            if r["note"]:
                out.append(f"    note: {' '.join(r['note'].split())}")
            if r["source"]:
                out.append(f"    source: {r['source']}")
    return "\n".join(wrap(out)) + "\n"
