"""The report as data: every section's lines for a reader, its caveats, and its figures.

:func:`build_report` returns plain data (what ``report --format json`` prints). Text and
HTML are renderings of it (``_text.py``, ``_html.py``). Sections print names; ids appear
only in the data. Every section whose figures rest on an assumption, on the editors'
choices or on an envelope with no published split carries a caveat saying so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import stratpolicy
from stratpolicy.display import format_money as money
from stratpolicy.display import format_percent as percent
from stratpolicy.display import format_quantity as amount
from stratpolicy.graph import Allocation, MissionGraph
from stratpolicy.model import BudgetStage, MissionKind, Portfolio
from stratpolicy.report._format import actor_names, count

__all__ = ["REPORT_VERSION", "ReportSettings", "build_report"]

REPORT_VERSION = 2
"""The version of the JSON report's shape; raised when a key changes meaning or goes."""


class ReportSettings:
    """What the report is computed on: a date, a budget year and stage, an allocation.

    Args:
        on: The analysis date; ``None`` ignores dates.
        year: The budget year; ``None`` for the latest with a budget.
        stage: The budget stage; ``None`` for each instrument's most final one.
        allocation: How to split money without a published split; ``None``: do not.
        include_envelopes: Count envelope support in coverage, gaps and bottlenecks.
        top: How many bottlenecks to list.
    """

    def __init__(
        self,
        *,
        on: dt.date | None = None,
        year: int | None = None,
        stage: BudgetStage | None = None,
        allocation: Allocation | None = None,
        include_envelopes: bool = False,
        top: int = 5,
    ) -> None:
        self.on = on
        self.year = year
        self.stage = stage
        self.allocation = allocation
        self.include_envelopes = include_envelopes
        self.top = top


def _section(
    id: str, title: str, lines: list[str], caveats: list[str], data: Any = None
) -> dict[str, Any]:
    return {"id": id, "title": title, "lines": lines, "caveats": caveats, "data": data}


def _tree(portfolio: Portfolio) -> list[tuple[str, int]]:
    """Mission ids in reading order (each mission, then its sub-missions), with depths."""
    order: list[tuple[str, int]] = []

    def visit(mission_id: str, depth: int) -> None:
        order.append((mission_id, depth))
        for child in portfolio.sub_missions(mission_id):
            visit(child.id, depth + 1)

    for mission in portfolio.core_missions():
        visit(mission.id, 0)
    return order


class _Names:
    """Display names of a portfolio's objects."""

    def __init__(self, portfolio: Portfolio) -> None:
        self.p = portfolio
        self.actors = actor_names(portfolio)

    def __call__(self, id: str) -> str:
        if id in self.actors:
            return self.actors[id]
        obj = self.p.get(id)
        return str(getattr(obj, "name", id)) if obj is not None else id

    def join(self, ids: Any) -> str:
        return ", ".join(self(i) for i in ids)


# -- header and descriptive sections -------------------------------------------------------


def _counts(portfolio: Portfolio) -> dict[str, int]:
    kinds = [m.kind for m in portfolio.missions]
    return {
        "missions": kinds.count(MissionKind.MISSION),
        "sub_missions": kinds.count(MissionKind.SUB_MISSION),
        "challenges": kinds.count(MissionKind.CHALLENGE),
        "instruments": len(portfolio.instruments),
        "instruments_named_by_source": sum(1 for i in portfolio.instruments if not i.context),
        "incentives": len(portfolio.incentives),
        "actors": len(portfolio.actors),
        "technology_areas": len(portfolio.areas()),
        "key_technologies": len(portfolio.key_technologies()),
    }


def _headline(counts: dict[str, int]) -> str:
    parts = [count(counts["missions"], "mission")]
    if counts["sub_missions"]:
        parts.append(count(counts["sub_missions"], "sub-mission"))
    if counts["challenges"]:
        parts.append(count(counts["challenges"], "challenge"))
    named, modelled = counts["instruments_named_by_source"], counts["instruments"]
    parts.append(f"{count(named, 'instrument')} named by the source ({modelled} modelled)")
    parts.append(count(counts["incentives"], "incentive"))
    parts.append(count(counts["actors"], "actor"))
    parts.append(
        f"{count(counts['technology_areas'], 'technology area')}, "
        f"{count(counts['key_technologies'], 'key technology', 'key technologies')}"
    )
    return ", ".join(parts)


def _mission_rows(portfolio: Portfolio, names: _Names) -> list[dict[str, Any]]:
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
                        "description": t.description,
                        "due": t.due.isoformat() if t.due else None,
                        "verified": t.verified,
                        "source": t.source,
                    }
                    for t in m.targets
                ],
                "requires": [
                    {
                        "technology": r.technology,
                        "name": names(r.technology),
                        "weight": r.weight,
                        "verified": r.verified,
                        "note": r.note,
                    }
                    for r in m.requires
                ],
                "owners": list(m.owners),
                "owner_names": [names(a) for a in m.owners],
                "verified": m.verified,
                "editorial": list(m.editorial),
                "source": m.source,
            }
        )
    return rows


def _missions_section(portfolio: Portfolio, names: _Names) -> dict[str, Any]:
    lines: list[str] = []
    for mission_id, depth in _tree(portfolio):
        m = portfolio.mission(mission_id)
        pad = "  " * depth
        label = {"challenge": "Challenge", "sub_mission": "Sub-mission"}.get(
            m.kind.value, "Mission"
        )
        lines.append(f"{pad}{label}: {m.name}{'' if m.verified else ' [unverified]'}")
        if m.goal:
            lines.append(f"{pad}  goal: {m.goal}")
        for t in m.targets:
            due = f", by {t.due.isoformat()}" if t.due else ""
            if t.rank is not None:
                shown = f"top {t.rank}"
            elif t.value is not None:
                shown = amount(t.value)
            else:
                shown = t.description or "qualitative"
            mark = "" if t.verified else " [unverified]"
            lines.append(f"{pad}  target: {t.metric}: {shown}{due}{mark}")
        if m.requires:
            needs = ", ".join(f"{names(r.technology)} ({r.weight:g})" for r in m.requires)
            lines.append(f"{pad}  requires (weight): {needs}")
        if m.owners:
            lines.append(f"{pad}  owners: {names.join(m.owners)}")
    requirements = [r for m in portfolio.missions for r in m.requires]
    caveats = []
    unverified = [r for r in requirements if not r.verified]
    if unverified:
        caveats.append(
            f"{len(unverified)} of {len(requirements)} required technologies and their weights "
            "are the editors' choice, not the source's; every figure below that uses them "
            "(coverage, gaps, bottlenecks, money per mission) rests on that choice."
        )
    editorial = [m for m in portfolio.missions if m.editorial]
    if any("parent" in m.editorial for m in editorial):
        caveats.append(
            "Which mission each challenge serves is the editors' choice (the source lists "
            "the challenges on their own)."
        )
    return _section("missions", "Missions", lines, caveats)


def _budget_text(entries: list[Any]) -> str:
    by_year: dict[int, list[str]] = {}
    for b in entries:
        code = _currency(b.amount)
        value = float(b.amount.to(code).magnitude)
        mark = "" if b.verified else " [unverified]"
        by_year.setdefault(b.year, []).append(f"{money(value, code)} ({b.stage_label}){mark}")
    return "; ".join(f"{y}: {', '.join(v)}" for y, v in sorted(by_year.items()))


def _currency(amount: Any) -> str:
    from stratpolicy.units import currency_of

    code = currency_of(amount)
    assert code is not None  # the model checked it is money
    return code


def _instrument_rows(portfolio: Portfolio, names: _Names) -> list[dict[str, Any]]:
    rows = []
    for ins in portfolio.instruments:
        rows.append(
            {
                "id": ins.id,
                "name": ins.name,
                "kind": ins.kind.value,
                "stip_code": ins.kind.code,
                "stip_label": ins.kind.label,
                "administered_by": list(ins.administered_by),
                "administered_by_names": [names(a) for a in ins.administered_by],
                "budget": [
                    {
                        "year": b.year,
                        "amount": float(b.amount.to(_currency(b.amount)).magnitude),
                        "currency": _currency(b.amount),
                        "stage": b.stage.value if b.stage is not None else None,
                        "date": b.date.isoformat() if b.date else None,
                        "verified": b.verified,
                        "source": b.source,
                        "note": b.note,
                    }
                    for b in ins.budget
                ],
                "part_of": ins.part_of,
                "overlaps": [
                    {
                        "instrument": o.instrument,
                        "year": o.year,
                        "amount": None
                        if o.amount is None
                        else float(o.amount.to(_currency(o.amount)).magnitude),
                        "currency": None if o.amount is None else _currency(o.amount),
                        "stage": o.stage.value if o.stage is not None else None,
                        "verified": o.verified,
                        "note": o.note,
                    }
                    for o in ins.overlaps
                ],
                "supports": [
                    {
                        "technology": s.technology,
                        "targeted": ins.is_targeted(s),
                        "share": s.share,
                        "start": s.start.isoformat() if s.start else None,
                        "end": s.end.isoformat() if s.end else None,
                        "verified": s.verified,
                    }
                    for s in ins.supports
                ],
                "missions": list(ins.missions),
                "incentives": list(ins.incentives),
                "context": ins.context,
                "editorial": list(ins.editorial),
                "verified": ins.verified,
                "source": ins.source,
            }
        )
    return rows


def _administrators_on(graph: MissionGraph, on: dt.date | None) -> dict[str, list[str]]:
    """Instrument id -> who administers it on ``on`` (successors of an actor that ended)."""
    index = graph.index
    actors = index.ids("actor")
    matrix = index.administrators_on(on).tocsc()  # actors x instruments
    return {
        instrument: [actors[a] for a in matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]]]
        for i, instrument in enumerate(index.ids("instrument"))
    }


def _instruments_section(
    portfolio: Portfolio, names: _Names, administrators: Mapping[str, list[str]]
) -> dict[str, Any]:
    lines: list[str] = []
    for ins in portfolio.instruments:
        listed = list(ins.administered_by)
        # the listed order, then the successors (in portfolio order)
        by_on_date = sorted(
            administrators.get(ins.id, listed),
            key=lambda a: listed.index(a) if a in listed else len(listed),
        )
        by = f" - {names.join(by_on_date)}" if by_on_date else ""
        flags = []
        if ins.context:
            flags.append("not named by the source: added for context")
        if not ins.verified:
            flags.append("unverified")
        flag = f" [{'; '.join(flags)}]" if flags else ""
        lines.append(f"{ins.name}{by}{flag}")
        kind = f"{ins.kind.label} ({ins.kind.code})"
        if "kind" in ins.editorial:
            kind += ", the editors' classification"
        lines.append(f"  STIP type: {kind}")
        if ins.budget:
            lines.append(f"  budget: {_budget_text(list(ins.budget))}")
        if ins.part_of:
            lines.append(f"  a budget line inside: {names(ins.part_of)}")
        for o in ins.overlaps:
            if o.amount is None:
                amount = "an unpublished amount"
            else:
                amount = money(
                    float(o.amount.to(_currency(o.amount)).magnitude), _currency(o.amount)
                )
                if o.stage is not None:
                    amount += f" ({o.stage.value})"
            mark = "" if o.verified else " [unverified]"
            lines.append(f"  {o.year}: {amount} of it is also in: {names(o.instrument)}{mark}")
        targeted = [s for s in ins.supports if ins.is_targeted(s)]
        envelope = [s for s in ins.supports if not ins.is_targeted(s)]
        if targeted:
            shown = ", ".join(
                names(s.technology) + (f" ({percent(s.share)})" if s.share is not None else "")
                for s in targeted
            )
            lines.append(f"  supports: {shown}")
        if envelope:
            many = count(len(envelope), "technology", "technologies")
            lines.append(
                f"  envelope (no published split) for {many}: "
                + ", ".join(names(s.technology) for s in envelope)
            )
        if ins.incentives:
            lines.append(f"  offers: {names.join(ins.incentives)}")
    caveats = []
    context = [i for i in portfolio.instruments if i.context]
    if context:
        caveats.append(
            f"{count(len(context), 'instrument')} not named by the portfolio's source "
            f"({names.join(i.id for i in context)}) were added for context from other sources."
        )
    if any("kind" in i.editorial for i in portfolio.instruments):
        caveats.append("STIP types are the editors' classification.")
    moved = [
        i.id
        for i in portfolio.instruments
        if i.id in administrators and set(i.administered_by) != set(administrators[i.id])
    ]
    if moved:
        caveats.append(
            f"Administrators are those on the report's date: for {names.join(moved)} an actor "
            "that had ended is replaced by its successor (see the pipeline section)."
        )
    return _section("instruments", "Instruments and budgets", lines, caveats)


def _incentives_section(portfolio: Portfolio, names: _Names) -> dict[str, Any]:
    lines = []
    for inc in portfolio.incentives:
        cite = f" ({inc.citation.label})" if inc.citation else ""
        lines.append(f"{inc.name}{cite}")
        if inc.technologies:
            parts = [
                names(link.technology) + (f" from {link.start.isoformat()}" if link.start else "")
                for link in inc.technologies
            ]
            lines.append(f"  applies to: {', '.join(parts)}")
    caveats = []
    derived = [
        link for inc in portfolio.incentives for link in inc.technologies if not link.verified
    ]
    if derived:
        caveats.append(
            f"{count(len(derived), 'link')} of incentives to technologies are unverified "
            "(for the summit: the tax law's fields mapped to the areas by the editors' "
            "crosswalk; the dates are the statute's)."
        )
    return _section("incentives", "Incentives", lines, caveats)


# -- analyses -----------------------------------------------------------------------------


def _coverage_section(
    graph: MissionGraph, summary: dict[str, Any], names: _Names, envelopes: bool
) -> dict[str, Any]:
    portfolio = graph.portfolio
    rows = {r["mission"]: r for r in summary["coverage"]}
    lines = []
    for mission_id, depth in _tree(portfolio):
        r = rows[mission_id]
        pad = "  " * depth
        needs = count(r["requirements"], "requirement")
        line = f"{pad}{r['name']}: {percent(r['coverage'])} of {needs}"
        if not envelopes and r["coverage_with_envelopes"] != r["coverage"]:
            line += f" ({percent(r['coverage_with_envelopes'])} counting unallocated envelopes)"
        lines.append(line)
        real = [t for t in r["gaps"] if t not in r["envelope_only"]]
        if real:
            lines.append(f"{pad}  no support: {names.join(real)}")
        if r["envelope_only"] and not envelopes:
            lines.append(
                f"{pad}  covered only by an unallocated envelope: {names.join(r['envelope_only'])}"
            )
    caveats = _envelope_caveats(graph, summary, names, envelopes)
    return _section(
        "coverage",
        "Coverage of missions (targeted support)" if not envelopes else "Coverage of missions",
        lines,
        caveats,
        summary["coverage"],
    )


def _envelope_caveats(
    graph: MissionGraph, summary: dict[str, Any], names: _Names, envelopes: bool
) -> list[str]:
    support = graph.support(on=_on(summary))
    only = [r for r in support if r.status == "envelope_only"]
    order = [i.id for i in graph.portfolio.instruments]
    holders = sorted({i for r in only for i in r.envelopes}, key=order.index)
    required = {t for m in graph.portfolio.missions for t in (r.technology for r in m.requires)}
    needed = [r for r in only if r.technology in required]
    caveats = []
    if needed and not envelopes:
        caveats.append(
            "Support counts only when its share of an instrument's money is known. "
            f"{count(len(needed), 'required technology', 'required technologies')} are reached "
            f"only by an envelope with no published split ({names.join(holders)}) and count "
            "as not covered."
        )
    elif needed:
        caveats.append(
            "Envelope support is counted: "
            f"{count(len(needed), 'required technology', 'required technologies')} "
            "count as covered only because an envelope with no published split "
            f"({names.join(holders)}) lists them or their area."
        )
    requirements = [r for m in graph.portfolio.missions for r in m.requires]
    if any(not r.verified for r in requirements):
        caveats.append("The required technologies and weights are the editors' choice.")
    return caveats


def _on(summary: dict[str, Any]) -> dt.date | None:
    on = summary["on"]
    return dt.date.fromisoformat(on) if on else None


def _gaps_section(
    graph: MissionGraph, summary: dict[str, Any], names: _Names, envelopes: bool
) -> dict[str, Any]:
    gaps = summary["gaps"]
    none = [g for g in gaps if g["status"] == "none"]
    only = [g for g in gaps if g["status"] == "envelope_only"]
    lines = []
    if not gaps:
        lines.append(
            "none: every required technology has support"
            + (" (envelopes counted)" if envelopes else " from a targeted instrument")
        )
    for title, rows in (
        ("No support at all", none),
        ("Covered only by an unallocated envelope", only),
    ):
        if not rows:
            continue
        lines.append(f"{title} ({len(rows)}):")
        for g in rows:
            needed = ", ".join(names(m) for m in g["missions"])
            lines.append(f"  {g['name']}: needed by {needed} (weight {g['weight']:g})")
    caveats = _envelope_caveats(graph, summary, names, envelopes) if gaps else []
    return _section("gaps", "Gaps", lines, caveats, gaps)


def _bottlenecks_section(
    graph: MissionGraph, summary: dict[str, Any], top: int, envelopes: bool
) -> dict[str, Any]:
    rows = summary["bottlenecks"]
    everything = graph.bottlenecks(None, on=_on(summary), include_envelopes=envelopes)
    ranks = [r["rank"] for r in rows]
    lines = []
    status_words = {
        "targeted": "supported",
        "envelope_only": "only an unallocated envelope",
        "none": "UNSUPPORTED",
    }
    for r in rows:
        tied = ranks.count(r["rank"]) > 1 or sum(1 for x in everything if x.rank == r["rank"]) > 1
        rank = f"{r['rank']}{'=' if tied else '.'}"
        lines.append(
            f"{rank} {r['name']}: {count(r['score'], 'mission')} "
            f"({status_words.get(r['status'], r['status'])})"
        )
    if rows:
        last = rows[-1]["rank"]
        hidden = sum(1 for x in everything if x.rank == last) - ranks.count(last)
        if hidden > 0:
            lines.append(
                f"({hidden} more tied at rank {last} with {count(rows[-1]['score'], 'mission')}"
                " are not shown)"
            )
    else:
        lines.append("none: no mission requires a technology")
    caveats = ["'=' marks a tie: technologies with the same number of missions share a rank."]
    caveats += _envelope_caveats(graph, summary, _Names(graph.portfolio), envelopes)
    return _section("bottlenecks", f"Top {top} bottleneck technologies", lines, caveats, rows)


def _funding_section(graph: MissionGraph, summary: dict[str, Any], names: _Names) -> dict[str, Any]:
    flow = summary["funding_flow"]
    if flow is None:
        return _section("funding", "Funding flow", ["no budgets recorded"], [], None)
    year = flow["year"]
    how = flow["allocation"]
    mark = f" [{Allocation(how).label}]" if how else ""
    lines: list[str] = []
    caveats: list[str] = []
    instruments = {r["instrument"]: r for r in flow["instruments"]}
    parts: dict[str, list[str]] = {}
    for ins in graph.portfolio.instruments:
        if ins.id in instruments and ins.part_of is not None and ins.part_of in instruments:
            parts.setdefault(ins.part_of, []).append(ins.id)
    for total in flow["totals"]:
        cur = total["currency"]
        lines.append(f"Money in {year}, counted once: {money(total['budget'], cur)}")
        for ins in graph.portfolio.instruments:
            row = instruments.get(ins.id)
            if row is None or row["currency"] != cur or ins.part_of in instruments:
                continue
            lines += _instrument_money(ins.id, row, instruments, parts, names, "  ", mark)
        to_missions = money(total["to_missions"], cur) + (mark if total["to_missions"] else "")
        lines.append(
            f"Reaches technologies: {money(total['to_technologies'], cur)}; "
            f"reaches missions: {to_missions}; "
            f"reaches no mission: {money(total['unallocated'], cur)}"
        )
        reasons: dict[str, float] = {}
        for u in flow["unallocated"]:
            if u["currency"] == cur:
                reasons[u["reason"]] = reasons.get(u["reason"], 0.0) + u["amount"]
        words = {
            "no_technology": "assigned to no technology",
            "envelope": "in envelopes with no published split",
            "shared": "at technologies several missions need (not split)",
            "no_mission": "at technologies no mission needs",
        }
        for reason, value in reasons.items():
            lines.append(f"  {money(value, cur)} {words.get(reason, reason)}")
        missions = {r["mission"]: r for r in flow["missions"] if r["currency"] == cur}
        if how is not None:
            lines.append(f"Per mission, sub-missions included{mark}:")
            for mission_id, depth in _tree(graph.portfolio):
                r = missions[mission_id]
                shown = money(r["inflow_with_sub"], cur)
                lines.append(f"{'  ' * (depth + 1)}{names(mission_id)}: {shown}{mark}")
        lines.append("Money at the technologies each mission needs (not split; does not add up):")
        for mission_id, depth in _tree(graph.portfolio):
            r = missions[mission_id]
            lines.append(f"{'  ' * (depth + 1)}{names(mission_id)}: {money(r['reachable'], cur)}")
    stages = sorted({r["stage"] for r in flow["instruments"]})
    if flow["stage"] is None:
        caveats.append(
            f"Each budget is its most final figure recorded for {year} "
            f"({', '.join(stages)}): the stages differ between instruments."
            if len(stages) > 1
            else f"Each budget is its most final figure recorded for {year} ({stages[0]})."
        )
    else:
        caveats.append(f"Only {flow['stage']} figures are counted.")
    for o in flow["overlaps"]:
        if o["amount"] is None:
            caveats.append(
                f"{names(o['instrument'])} holds part of {names(o['other'])} by an unpublished "
                f"amount: the total may count up to {money(o['at_most'], o['currency'])} twice."
            )
        elif not o["stage_matches"]:
            caveats.append(
                f"The {money(o['amount'], o['currency'])} of {names(o['instrument'])} also in "
                f"{names(o['other'])} is a {o['stage']} figure, applied to the figures above."
            )
    overlap_notes = [
        o
        for ins in graph.portfolio.instruments
        for o in ins.overlaps
        if not o.verified and o.year == year
    ]
    if overlap_notes:
        caveats.append(
            "That the overlapping money lies in both budgets is the editors' reading (unverified)."
        )
    context = [i for i in graph.portfolio.instruments if i.context and i.id in instruments]
    if context:
        caveats.append(
            f"Not named by the source, added for context: {names.join(i.id for i in context)}."
        )
    if how is None:
        caveats.append(
            "No money is split without a published split: envelopes and money at technologies "
            "several missions need stay unallocated (report --allocation equal or by_weight "
            "splits them, as an assumption)."
        )
    else:
        caveats.append(
            f"Figures marked [{Allocation(how).label}] rest on that assumption, not on any "
            "published split."
        )
    caveats.append(
        "Which technologies each mission needs is the editors' choice; the per-mission figures "
        "rest on it."
    )
    return _section("funding", f"Funding flow {year}", lines, caveats, flow)


def _instrument_money(
    id: str,
    row: dict[str, Any],
    instruments: dict[str, dict[str, Any]],
    parts: dict[str, list[str]],
    names: _Names,
    pad: str,
    mark: str,
) -> list[str]:
    cur = row["currency"]
    has_envelope = bool(names.p.instrument(id).envelope)
    text = f"{pad}{names(id)}: {money(row['budget'], cur)} ({row['stage']})"
    inner = parts.get(id, [])
    less = []
    if inner:
        less.append(f"its line{'s' if len(inner) > 1 else ''} below")
    if row["overlap"]:
        less.append(f"{money(row['overlap'], cur)} also in another budget")
    if less:
        text += f"; without {' and '.join(less)}: {money(row['own'], cur)}"
    if row["envelope"] and row["envelope"] == row["own"]:
        text += ", an envelope with no published split"
    elif has_envelope and mark and row["to_technologies"]:
        text += f", an envelope split across its technologies{mark}"
    elif row["to_technologies"] == row["own"] and row["own"]:
        text += ", to technologies by known shares"
    elif row["unallocated"] == row["own"] and row["own"]:
        text += ", to no technology"
    lines = [text]
    for part in inner:
        lines += _instrument_money(
            part, instruments[part], instruments, parts, names, pad + "  ", mark
        )
    return lines


def _pipeline_section(
    graph: MissionGraph, summary: dict[str, Any], names: _Names
) -> dict[str, Any]:
    rows = {r["mission"]: r for r in summary["pipeline"]}
    lines = []
    for mission_id, depth in _tree(graph.portfolio):
        r = rows[mission_id]
        who = names.join(r["ministries"]) or "no ministry"
        others = [a for a in r["actors"] if a not in r["ministries"]]
        if others:
            who += f"; also {names.join(others)}"
        flag = " (one ministry only)" if r["single_ministry"] else ""
        lines.append(f"{'  ' * depth}{names(mission_id)}: {who}{flag}")
    on = _on(summary)
    caveats = [
        "A ministry reaches a mission through an instrument or an incentive it runs that "
        "supports a technology the mission needs (an envelope counts: who acts, not how much)."
    ]
    if on is not None:
        ended = [
            a for a in graph.portfolio.actors if a.end is not None and a.end < on and a.successors
        ]
        for a in ended:
            end = a.end.isoformat() if a.end else ""
            caveats.append(
                f"Actors on {on.isoformat()}: {names(a.id)} ended on {end}; "
                + "; ".join(
                    f"{s.remit or 'its remit'} went to {names(s.actor)}" for s in a.successors
                )
                + "."
            )
    else:
        caveats.append("Dates are ignored: actors as listed, whether or not they exist today.")
    caveats.append("Which technologies each mission needs is the editors' choice.")
    return _section("pipeline", "Cross-ministerial pipeline", lines, caveats, summary["pipeline"])


def _linkage_section(graph: MissionGraph, summary: dict[str, Any], names: _Names) -> dict[str, Any]:
    kind = summary["linkage_timeline"]["kind"]
    word = kind.replace("_", " ")
    lines = []
    gap = {r["technology"] for r in summary["linkage_gap"]["technologies"]}
    on = summary["on"]
    for r in summary["linkage_timeline"]["technologies"]:
        if not r["linked"]:
            lines.append(f"{r['name']}: no {word}")
            continue
        periods = ", ".join(_period(p) for p in r["periods"])
        now = " (not on the analysis date)" if on and r["technology"] in gap else ""
        lines.append(f"{r['name']}: {periods}{now} - {names.join(r['incentives'])}")
    caveats = []
    links = [
        link
        for inc in graph.portfolio.incentives
        if inc.kind.value == kind
        for link in inc.technologies
    ]
    if any(not link.verified for link in links):
        caveats.append(
            f"The links of {word}s to technologies are unverified: for the summit, the tax "
            "law's fields mapped to the areas by the editors' crosswalk (no official one); the "
            "dates are those of the statute's addenda."
        )
    title = f"Designated areas and {word}s: when each was linked"
    return _section(
        "linkage",
        title,
        lines,
        caveats,
        {"gap": summary["linkage_gap"], "timeline": summary["linkage_timeline"]},
    )


def _period(text: str) -> str:
    """``"2021-07-01.."`` as ``"since 2021-07-01"``; ``".."`` as ``"always"``."""
    start, _, end = text.partition("..")
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"since {start}"
    if end:
        return f"until {end}"
    return "always"


def early_warning_section() -> dict[str, Any]:
    """Alerts of the library's early-warning rules on the KISTEP technology levels."""
    from stratpolicy.catalogs import korea
    from stratpolicy.rules import early_warning

    rules = korea.early_warning_rules()
    levels = korea.tech_levels()
    alerts = early_warning(levels, rules) + early_warning(korea.tech_level_aggregates(), rules)
    names = {t.id: t.name for t in korea.strategic_technologies().technologies}
    names["strategic_50"] = "The 50 strategic technologies"
    lines = [
        "KISTEP technology levels (% of the leading country), dated by the day each round",
        "was reported, read by the library's own alert rules:",
    ]
    for a in sorted(alerts, key=lambda a: (a.on, a.technology, a.rule), reverse=True):
        values = ", ".join(f"{k} = {v:+.1f}" for k, v in a.values.items())
        lines.append(
            f"  {a.on.isoformat()} {names.get(a.technology, a.technology)}: {a.level}: "
            f"{a.message} ({values})"
        )
    return {
        "id": "early_warning",
        "title": "Early warning",
        "lines": lines,
        "caveats": [
            "The alert rules (catalog kr_early_warning) are the library's own choice, not "
            "MSIT's early warning system: a rival's level above Korea's, a rival closer to "
            "the leader, or Korea's gap growing. Their thresholds are zero differences; the "
            "levels are KISTEP's, for the few areas whose values the sources print."
        ],
        "data": [
            {"technology": a.technology, "on": a.on.isoformat(), "level": a.level, "rule": a.rule}
            for a in alerts
        ],
    }


# -- the report ---------------------------------------------------------------------------


def build_report(
    portfolio: Portfolio, settings: ReportSettings | None = None, *, built_in: bool = False
) -> dict[str, Any]:
    """The report as plain data: what ``--format json`` prints, and what text and HTML show.

    Args:
        portfolio: The portfolio.
        settings: The analysis settings; default: on the portfolio's ``as_of``.
        built_in: Whether it is the built-in summit (adds the Korean tax example and the
            early-warning section, which belong to it and to no other portfolio).
    """
    from stratpolicy.report._tax_example import tax_credit_section

    s = settings or ReportSettings(on=portfolio.as_of)
    graph = portfolio.graph()
    names = _Names(portfolio)
    summary = graph.summary(
        on=s.on,
        year=s.year,
        top=s.top,
        stage=s.stage,
        allocation=s.allocation,
        include_envelopes=s.include_envelopes,
    )
    counts = _counts(portfolio)
    provenance = graph.provenance(
        on=s.on,
        year=summary["year"],
        stage=s.stage,
        allocation=s.allocation,
        include_envelopes=s.include_envelopes,
    )
    sections = [
        _missions_section(portfolio, names),
        _instruments_section(portfolio, names, _administrators_on(graph, s.on)),
        _incentives_section(portfolio, names),
        _coverage_section(graph, summary, names, s.include_envelopes),
        _gaps_section(graph, summary, names, s.include_envelopes),
        _bottlenecks_section(graph, summary, s.top, s.include_envelopes),
        _funding_section(graph, summary, names),
        _pipeline_section(graph, summary, names),
        _linkage_section(graph, summary, names),
    ]
    extra = []
    if built_in:
        tax = tax_credit_section()
        tax["id"] = "tax_example"
        tax["caveats"] = [
            "An illustrative firm, not a real one; the rates are the rule set's "
            "(catalog kr_tax_credits)."
        ]
        warning = early_warning_section()
        extra = [tax, warning]
    if s.on is not None:
        as_of = f"As of {s.on.isoformat()}: instruments, links and actors in force on that date" + (
            " (the date of the portfolio's latest source)." if s.on == portfolio.as_of else "."
        )
    else:
        as_of = "As of: no date; every instrument, link and actor counts, whatever its dates."
    kinds = [r.kind for r in provenance]
    return {
        "report_version": REPORT_VERSION,
        "stratpolicy": stratpolicy.__version__,
        "portfolio": {
            "id": portfolio.id,
            "name": portfolio.name,
            "country": portfolio.country,
            "as_of": portfolio.as_of.isoformat() if portfolio.as_of else None,
            "source": portfolio.source,
            "counts": counts,
        },
        "as_of": s.on.isoformat() if s.on else None,
        "header": [
            as_of,
            _headline(counts) + ".",
            f"Unverified or editorial facts: {kinds.count('unverified') + kinds.count('editorial')}"
            f"; assumptions: {kinds.count('assumption')} (stratpolicy provenance lists them).",
        ],
        "settings": summary["settings"],
        "missions": _mission_rows(portfolio, names),
        "instruments": _instrument_rows(portfolio, names),
        "incentives": [
            {
                "id": inc.id,
                "name": inc.name,
                "kind": inc.kind.value,
                "citation": inc.citation.label if inc.citation else None,
                "technologies": [
                    {
                        "technology": link.technology,
                        "start": link.start.isoformat() if link.start else None,
                        "end": link.end.isoformat() if link.end else None,
                        "verified": link.verified,
                    }
                    for link in inc.technologies
                ],
            }
            for inc in portfolio.incentives
        ],
        "sections": sections + extra,
        "graph": summary,
        "provenance": provenance.to_records(),
    }
