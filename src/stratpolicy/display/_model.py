"""HTML for the model's objects in Jupyter: a portfolio's contents, a mission."""

from __future__ import annotations

from stratpolicy._html import escape, html_table
from stratpolicy.model import Mission, Portfolio

__all__ = ["mission_html", "portfolio_html"]

_COLLECTIONS = ("technologies", "missions", "instruments", "incentives", "actors", "roadmaps")


def portfolio_html(portfolio: Portfolio) -> str:
    """A portfolio's name and id, and how many objects each collection holds."""
    rows = "".join(
        f"<tr><td>{field}</td><td>{len(getattr(portfolio, field))}</td></tr>"
        for field in _COLLECTIONS
    )
    return (
        f"<div><strong>{escape(portfolio.name)}</strong> <code>{escape(portfolio.id)}</code>"
        f"<table><tr><th>collection</th><th>objects</th></tr>{rows}</table></div>"
    )


def mission_html(mission: Mission) -> str:
    """A mission with its facts, goal, targets and required technologies."""
    facts = [("kind", mission.kind.value)]
    if mission.parent is not None:
        facts.append(("parent", mission.parent))
    if mission.owners:
        facts.append(("owners", ", ".join(mission.owners)))
    if mission.start is not None or mission.due is not None:
        facts.append(("period", f"{mission.start or '...'} to {mission.due or '...'}"))
    facts.append(("verified", "yes" if mission.verified else "no"))
    head = " &middot; ".join(f"{k}: <code>{escape(str(v))}</code>" for k, v in facts)
    goal = f"<p>{escape(mission.goal)}</p>" if mission.goal else ""
    targets = html_table(
        f"Targets ({len(mission.targets)})",
        ("metric", "target", "description", "due", "verified"),
        [
            (
                t.metric,
                t.label,
                "" if t.description == t.label else t.description,
                str(t.due or ""),
                "yes" if t.verified else "no",
            )
            for t in mission.targets
        ],
    )
    requires = html_table(
        f"Required technologies ({len(mission.requires)})",
        ("technology", "weight", "note"),
        [(r.technology, f"{r.weight:g}", r.note) for r in mission.requires],
    )
    return (
        f"<div><strong>{escape(mission.name)}</strong> <code>{escape(mission.id)}</code>"
        f"<br><small>{head}</small>{goal}{targets}{requires}</div>"
    )
