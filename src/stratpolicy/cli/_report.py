"""The ``report`` command's content: a portfolio summarised as data, then as text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from stratpolicy.model import Portfolio
from stratpolicy.units import format_amount

__all__ = [
    "EXAMPLE_FIRM",
    "build_report",
    "early_warning_section",
    "graph_sections",
    "render_text",
    "tax_credit_section",
]

#: The illustrative firm of the report's tax-credit example (not a real firm; KRW).
EXAMPLE_FIRM: dict[str, Any] = {
    "firm_size": "sme",
    "rsta_field": "semiconductors",
    "nst_rd_expense": 1_000_000_000,
    "revenue": 100_000_000_000,
}
EXAMPLE_DATE = dt.date(2025, 12, 31)


def _budget_rows(portfolio: Portfolio) -> list[dict[str, Any]]:
    rows = []
    for ins in portfolio.instruments:
        rows.append(
            {
                "id": ins.id,
                "name": ins.name,
                "kind": ins.kind.value,
                "stip_code": ins.kind.code,
                "administered_by": [portfolio.actor(a).label for a in ins.administered_by],
                "budget": {str(b.year): format_amount(b.amount) for b in ins.budget},
                "part_of": ins.part_of,
                "supports": [s.technology for s in ins.supports],
                "incentives": list(ins.incentives),
                "verified": ins.verified,
            }
        )
    return rows


def _mission_rows(portfolio: Portfolio) -> list[dict[str, Any]]:
    rows = []
    for m in portfolio.missions:
        rows.append(
            {
                "id": m.id,
                "name": m.name,
                "kind": m.kind.value,
                "parent": m.parent,
                "goal": m.goal,
                "targets": [
                    {
                        "metric": t.metric,
                        "target": t.label,
                        "due": t.due.isoformat() if t.due else None,
                        "verified": t.verified,
                    }
                    for t in m.targets
                ],
                "requires": [
                    {
                        "technology": r.technology,
                        "name": portfolio.technology(r.technology).name,
                        "weight": r.weight,
                    }
                    for r in m.requires
                ],
                "owners": [portfolio.actor(a).label for a in m.owners],
                "verified": m.verified,
            }
        )
    return rows


def build_report(portfolio: Portfolio) -> dict[str, Any]:
    """The report as plain data (what ``--format json`` prints)."""
    return {
        "report_version": 1,
        "portfolio": {
            "id": portfolio.id,
            "name": portfolio.name,
            "country": portfolio.country,
            "as_of": portfolio.as_of.isoformat() if portfolio.as_of else None,
            "counts": {
                "technology_areas": len(portfolio.areas()),
                "key_technologies": len(portfolio.key_technologies()),
                "missions": len(portfolio.missions),
                "instruments": len(portfolio.instruments),
                "incentives": len(portfolio.incentives),
                "actors": len(portfolio.actors),
            },
        },
        "missions": _mission_rows(portfolio),
        "instruments": _budget_rows(portfolio),
        "incentives": [
            {
                "id": inc.id,
                "name": inc.name,
                "kind": inc.kind.value,
                "citation": inc.citation.label if inc.citation else None,
                "technologies": list(inc.technology_ids),
            }
            for inc in portfolio.incentives
        ],
    }


def _money(value: float, currency: str) -> str:
    if abs(value) >= 1e12:
        return f"{value / 1e12:,.2f} trillion {currency}"
    if abs(value) >= 1e9:
        return f"{value / 1e9:,.2f} billion {currency}"
    return f"{value:,.0f} {currency}"


def graph_sections(portfolio: Portfolio, *, top: int = 5) -> list[dict[str, Any]]:
    """The mission graph's analyses as report sections.

    Coverage, gaps, bottlenecks, funding flow, pipeline and linkage gap; the graph guide
    gives their definitions.
    """
    summary = portfolio.graph().summary(top=top)
    names = {m.id: m.name for m in portfolio.missions}
    order = _tree_order(portfolio)
    coverage = [
        f"{'  ' * order[row['mission']][1]}{row['name']}: {row['coverage']:.0%} of "
        f"{row['requirements']} requirements"
        + (f"; gaps: {', '.join(row['gaps'])}" if row["gaps"] else "")
        for row in sorted(summary["coverage"], key=lambda r: order[r["mission"]])
    ]
    gaps = [
        f"{row['name']} ({row['technology']}), needed by {', '.join(row['missions'])}"
        for row in summary["gaps"]
    ] or ["none: every requirement has some support from an instrument"]
    bottlenecks = [
        f"{row['name']}: {row['score']} mission{'' if row['score'] == 1 else 's'}"
        + ("" if row["supported"] else " (UNSUPPORTED)")
        for row in summary["bottlenecks"]
    ]
    flow = summary["funding_flow"]
    funding = []
    if flow is not None:
        for total in flow["totals"]:
            cur = total["currency"]
            funding.append(
                f"{flow['year']} budgets {_money(total['budget'], cur)}: "
                f"{_money(total['to_missions'], cur)} reach missions, "
                f"{_money(total['unallocated'], cur)} reach none"
            )
        for row in sorted(flow["missions"], key=lambda r: order[r["mission"]]):
            indent = "  " * (order[row["mission"]][1] + 1)
            amount = _money(row["inflow_with_sub"], row["currency"])
            funding.append(f"{indent}{names[row['mission']]}: {amount}")
    labels = {a.id: a.label for a in portfolio.actors}
    pipeline = [
        f"{'  ' * order[row['mission']][1]}{row['name']}: "
        + (", ".join(labels[a] for a in row["actors"]) or "no actor")
        + (" (one ministry only)" if row["single_ministry"] else "")
        for row in sorted(summary["pipeline"], key=lambda r: order[r["mission"]])
    ]
    linkage = summary["linkage_gap"]
    linkage_lines = [f"{row['name']} ({row['technology']})" for row in linkage["technologies"]]
    return [
        {"title": "Coverage of missions", "lines": coverage},
        {"title": "Gaps", "lines": gaps},
        {"title": f"Top {top} bottleneck technologies", "lines": bottlenecks},
        {"title": "Funding flow (counted once; sub-missions included)", "lines": funding},
        {"title": "Cross-ministerial pipeline", "lines": pipeline},
        {
            "title": f"Linkage gap: designated areas no {linkage['kind']} reaches",
            "lines": linkage_lines or ["none"],
        },
    ]


def _tree_order(portfolio: Portfolio) -> dict[str, tuple[int, int]]:
    """Mission id -> (position, depth), each mission followed by its sub-missions."""
    order: dict[str, tuple[int, int]] = {}

    def visit(mission_id: str, depth: int) -> None:
        order[mission_id] = (len(order), depth)
        for child in portfolio.sub_missions(mission_id):
            visit(child.id, depth + 1)

    for mission in portfolio.core_missions():
        visit(mission.id, 0)
    return order


def early_warning_section() -> dict[str, Any]:
    """Alerts of the built-in early-warning rules on the KISTEP technology levels."""
    from stratpolicy.catalogs import korea
    from stratpolicy.rules import early_warning

    rules = korea.early_warning_rules()
    alerts = early_warning(korea.tech_levels(), rules) + early_warning(
        korea.tech_level_aggregates(), rules
    )
    lines = [
        "KISTEP technology levels (% of the leading country), dated by the day each round",
        "was reported; rules compare countries and rounds, with no invented thresholds:",
    ]
    lines += [
        f"  {a.on.isoformat()} {a.technology}: {a.level}: {a.message} "
        f"({', '.join(f'{k} = {v:+.1f}' for k, v in a.values.items())})"
        for a in sorted(alerts, key=lambda a: (a.on, a.technology, a.rule), reverse=True)
    ]
    return {
        "title": "Early warning",
        "lines": lines,
        "data": [
            {"technology": a.technology, "on": a.on.isoformat(), "level": a.level, "rule": a.rule}
            for a in alerts
        ],
    }


def tax_credit_section() -> dict[str, Any]:
    """An explained RSTA R&D credit decision for an illustrative firm.

    Also the same firm in a field outside the RSTA list, whose explanation says why it gets
    no credit.
    """
    from stratpolicy.catalogs import korea

    rules = korea.tax_credits()
    decision = rules.evaluate(EXAMPLE_FIRM, on=EXAMPLE_DATE)
    explanation = decision.explain()
    lines = [
        "An illustrative SME (not a real firm) with 1,000,000,000 KRW of R&D on semiconductors",
        f"and 100,000,000,000 KRW of revenue, tax year {EXAMPLE_DATE.year}:",
    ]
    for out in explanation.outputs:
        if out.name.startswith("rd_"):
            lines.append(f"  {out.name} = {_number(out.value)}{' ' + out.unit if out.unit else ''}")
    for trace in explanation.rules:
        if trace.status != "fired" or not trace.rule.startswith("rd_"):
            continue
        cite = f" ({trace.citation.label})" if trace.citation else ""
        lines.append(f"  rule {trace.rule}{cite}:")
        for name, expression, value in trace.outputs:
            lines.append(f"    {name} = {' '.join(expression.split())} = {_number(value)}")
        for used in trace.used:
            if used.kind == "parameter" and used.name != "rsta_nst_fields":
                lines.append(f"    {used.text()}")
    other = rules.evaluate({**EXAMPLE_FIRM, "rsta_field": "other"}, on=EXAMPLE_DATE)
    why = next(t for t in other.explain().rules if t.rule == "rd_nst_rate")
    lines.append("The same firm doing R&D in a field outside the RSTA list (e.g. quantum) gets")
    lines.append(
        f"  rd_credit = {_number(other['rd_credit'])}: rule rd_nst_rate did not fire, "
        + "; ".join(
            f"{' '.join(c.split())} -> {'not evaluated' if v is None else str(v).lower()}"
            for c, v in why.clauses
        )
    )
    return {
        "title": "Example tax-credit decision (RSTA national strategic technology R&D credit)",
        "lines": lines,
        "data": {
            "facts": EXAMPLE_FIRM,
            "on": EXAMPLE_DATE.isoformat(),
            "decision": decision.to_dict(),
        },
    }


def _number(value: Any) -> str:
    if isinstance(value, float) and abs(value) >= 1:
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _mark(verified: bool) -> str:
    return "" if verified else " [unverified]"


def render_text(report: dict[str, Any]) -> str:
    """The report as a readable terminal text."""
    p = report["portfolio"]
    c = p["counts"]
    out: list[str] = []
    title = f"{p['name']}"
    out += [title, "=" * len(title)]
    facts = [f"{c['missions']} missions", f"{c['instruments']} instruments"]
    facts += [
        f"{c['technology_areas']} technology areas",
        f"{c['key_technologies']} key technologies",
    ]
    out.append(", ".join(facts) + (f"; sources as of {p['as_of']}" if p["as_of"] else ""))
    out.append("")
    out += ["Missions", "--------"]
    missions = report["missions"]
    children: dict[str | None, list[dict[str, Any]]] = {}
    for m in missions:
        children.setdefault(m["parent"], []).append(m)

    def mission(m: dict[str, Any], depth: int) -> None:
        pad = "  " * depth
        label = "Challenge" if m["kind"] == "challenge" else "Mission"
        out.append(f"{pad}{label}: {m['name']} ({m['id']}){_mark(m['verified'])}")
        if m["goal"]:
            out.append(f"{pad}  goal: {m['goal']}")
        for t in m["targets"]:
            due = f", by {t['due']}" if t["due"] else ""
            out.append(f"{pad}  target: {t['metric']}: {t['target']}{due}{_mark(t['verified'])}")
        if m["requires"]:
            needs = ", ".join(f"{r['name']} ({r['weight']:g})" for r in m["requires"])
            out.append(f"{pad}  requires: {needs}")
        if m["owners"]:
            out.append(f"{pad}  owners: {', '.join(m['owners'])}")
        for child in children.get(m["id"], []):
            mission(child, depth + 1)

    for m in children.get(None, []):
        mission(m, 0)
    out += ["", "Instruments and budgets", "-----------------------"]
    for ins in report["instruments"]:
        by = f" - {', '.join(ins['administered_by'])}" if ins["administered_by"] else ""
        out.append(f"{ins['name']} [{ins['stip_code']}]{by}{_mark(ins['verified'])}")
        if ins["budget"]:
            years = "; ".join(f"{y}: {a}" for y, a in ins["budget"].items())
            part = f" (part of {ins['part_of']})" if ins["part_of"] else ""
            out.append(f"  budget: {years}{part}")
        if ins["supports"]:
            shown = ", ".join(ins["supports"][:6])
            more = f" and {len(ins['supports']) - 6} more" if len(ins["supports"]) > 6 else ""
            out.append(f"  supports: {shown}{more}")
        if ins["incentives"]:
            out.append(f"  offers: {', '.join(ins['incentives'])}")
    if report["incentives"]:
        out += ["", "Incentives", "----------"]
        for inc in report["incentives"]:
            cite = f" ({inc['citation']})" if inc["citation"] else ""
            out.append(f"{inc['name']}{cite}")
    for section in report.get("sections", []):
        out += ["", section["title"], "-" * len(section["title"]), *section["lines"]]
    return "\n".join(out) + "\n"
