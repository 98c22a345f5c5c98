"""Provenance: every fact a portfolio does not vouch for, and every assumption of its analyses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from stratpolicy.graph._rows import Allocation, ProvenanceRow
from stratpolicy.graph._table import Table
from stratpolicy.model import BudgetStage, Portfolio

if TYPE_CHECKING:
    from stratpolicy.graph._graph import MissionGraph

__all__ = ["analysis_assumptions", "provenance"]

_COLLECTIONS = ("technologies", "missions", "instruments", "incentives", "actors", "roadmaps")


def provenance(
    portfolio: Portfolio | MissionGraph,
    *,
    on: dt.date | None = None,
    year: int | None = None,
    stage: BudgetStage | str | None = None,
    allocation: Allocation | str | None = None,
    include_envelopes: bool = False,
) -> Table[ProvenanceRow]:
    """Every unverified fact of a portfolio and every assumption its report rests on.

    Facts, found by walking every object of the portfolio and every object inside one
    (targets, requirements, budget entries, supports, overlaps, technology links,
    milestones...), each with its document path:

    * ``"unverified"``: an entry marked ``verified: false``, with its source and note;
    * ``"editorial"``: a field a verified mission or instrument lists in ``editorial``
      (the editors' choice, not the source's), one row per field;
    * ``"context"``: an instrument the portfolio's own source does not name.

    Then the ``"assumption"`` rows: the rules the graph analyses of
    :func:`~stratpolicy.graph.summary` apply with these settings (``on``, ``year``,
    ``stage``, ``allocation``, ``include_envelopes``) -- how envelopes are counted, which
    budget stages are used, overlaps applied across stages or of unknown amount, the
    allocation if one is asked for, and how actors were resolved on the date.

    Args:
        portfolio: The portfolio, or its mission graph.
        on: The date of the analyses (see :func:`~stratpolicy.graph.summary`).
        year: The budget year; ``None`` for the latest with a budget.
        stage: The budget stage; ``None`` for each instrument's most final stage.
        allocation: The allocation of money without a published split, if any.
        include_envelopes: Whether coverage counts envelope supports.

    Returns:
        The facts in document order, then the assumptions.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> rows = provenance(korea.summit_2025())
        >>> sorted({r.kind for r in rows})
        ['assumption', 'context', 'editorial', 'unverified']
        >>> [r.path for r in rows if r.kind == "unverified"][:2]
        ['missions[0].requires[0]', 'missions[0].requires[1]']
    """
    from stratpolicy.graph._graph import MissionGraph

    graph = portfolio if isinstance(portfolio, MissionGraph) else portfolio.graph()
    rows = list(_facts(graph.portfolio))
    rows += analysis_assumptions(
        graph,
        on=on,
        year=year,
        stage=stage,
        allocation=allocation,
        include_envelopes=include_envelopes,
    )
    return Table.from_rows(ProvenanceRow, rows)


def _subject(obj: Any, owner: str) -> str:
    for name in ("name", "metric", "technology", "instrument", "act"):
        value = getattr(obj, name, None)
        if isinstance(value, str) and value:
            if name in ("technology", "instrument"):
                return f"{owner}: {name} {value}"
            return value
    if hasattr(obj, "year") and hasattr(obj, "amount"):
        return f"{owner}: budget {obj.year}"
    return owner


def _statement(obj: Any, owner: str) -> str:
    kind = type(obj).__name__
    if kind == "Requirement":
        return (
            f"{owner} requires {obj.technology} with weight {obj.weight:g} "
            "(the link and its weight)"
        )
    if kind == "Support":
        how = "as part of an envelope" if obj.envelope else "targeted"
        return f"{owner} supports {obj.technology} ({how})"
    if kind == "TechnologyLink":
        since = f" from {obj.start}" if obj.start else ""
        return f"{owner} applies to {obj.technology}{since}"
    if kind == "BudgetOverlap":
        amount = "an unknown amount" if obj.amount is None else _amount(obj.amount)
        return f"{owner} shares {amount} of its {obj.year} budget with {obj.instrument}"
    if kind == "BudgetEntry":
        stage = obj.stage.value if obj.stage is not None else "stage not given"
        return f"{owner}: {obj.year} budget {_amount(obj.amount)} ({stage})"
    if kind == "Target":
        return f"{owner}: target {obj.label}"
    return f"{kind.lower()} {getattr(obj, 'id', owner)}"


def _amount(value: Any) -> str:
    from stratpolicy.units import format_amount

    return format_amount(value)


def _walk(obj: Any, path: str, owner: str) -> Iterator[tuple[str, Any, str]]:
    """``(path, object, owner)`` for ``obj`` and every attrs object inside it."""
    yield path, obj, owner
    inner_owner = getattr(obj, "id", None) or owner
    for field in attrs.fields(type(obj)):
        if not field.init:
            continue
        value = getattr(obj, field.name)
        if attrs.has(type(value)):
            yield from _walk(value, f"{path}.{field.name}", inner_owner)
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                if attrs.has(type(item)):
                    yield from _walk(item, f"{path}.{field.name}[{i}]", inner_owner)


def _facts(portfolio: Portfolio) -> Iterator[ProvenanceRow]:
    if not portfolio.verified:
        yield ProvenanceRow(
            kind="unverified",
            path="",
            subject=portfolio.name,
            statement=f"portfolio {portfolio.id}",
            source=portfolio.source,
            note="",
        )
    for collection in _COLLECTIONS:
        for i, top in enumerate(getattr(portfolio, collection)):
            for path, obj, owner in _walk(top, f"{collection}[{i}]", top.id):
                yield from _fact_rows(path, obj, owner)


def _fact_rows(path: str, obj: Any, owner: str) -> Iterator[ProvenanceRow]:
    source = str(getattr(obj, "source", ""))
    note = str(getattr(obj, "note", ""))
    subject = _subject(obj, owner)
    if getattr(obj, "verified", True) is False:
        yield ProvenanceRow(
            kind="unverified",
            path=path,
            subject=subject,
            statement=_statement(obj, owner),
            source=source,
            note=note,
        )
    for name in getattr(obj, "editorial", ()):
        value = getattr(obj, name)
        shown = ", ".join(str(v) for v in value) if isinstance(value, tuple) else str(value)
        yield ProvenanceRow(
            kind="editorial",
            path=f"{path}.{name}",
            subject=subject,
            statement=f"{name} = {_short(shown)}: the editors' choice",
            source=source,
            note=note,
        )
    if getattr(obj, "context", False) is True:
        yield ProvenanceRow(
            kind="context",
            path=path,
            subject=subject,
            statement="not named by the portfolio's own source; added for context",
            source=source,
            note=note,
        )


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(str(getattr(text, "value", text)).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def analysis_assumptions(
    graph: MissionGraph,
    *,
    on: dt.date | None = None,
    year: int | None = None,
    stage: BudgetStage | str | None = None,
    allocation: Allocation | str | None = None,
    include_envelopes: bool = False,
) -> list[ProvenanceRow]:
    """The ``"assumption"`` rows of :func:`provenance` for these analysis settings.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> rows = analysis_assumptions(korea.summit_2025().graph())
        >>> rows[0].path, rows[0].subject
        ('coverage', 'envelopes')
    """
    from stratpolicy.graph._funding import allocation_of, stage_of

    how = allocation_of(allocation)
    wanted = stage_of(stage)
    rows: list[ProvenanceRow] = []

    def add(path: str, subject: str, statement: str) -> None:
        rows.append(
            ProvenanceRow(
                kind="assumption",
                path=path,
                subject=subject,
                statement=statement,
                source="",
                note="",
            )
        )

    support = graph.support(on=on)
    envelope_only = [r.technology for r in support if r.status == "envelope_only"]
    if envelope_only:
        if include_envelopes:
            add(
                "coverage",
                "envelopes",
                f"{len(envelope_only)} technologies count as supported only because an "
                "unallocated envelope lists them (no published split): "
                + ", ".join(envelope_only[:12])
                + (" ..." if len(envelope_only) > 12 else ""),
            )
        else:
            add(
                "coverage",
                "envelopes",
                "coverage, gaps and bottlenecks count targeted support only; "
                f"{len(envelope_only)} technologies are supported only by an unallocated "
                "envelope and are reported apart",
            )
    if year is None:
        years = graph.budget_years(on=on)
        year = years[-1] if years else None
    if year is not None:
        flow = graph.funding_flow(year, on=on, stage=wanted, allocation=how)
        if wanted is None:
            add(
                "funding_flow",
                "budget stage",
                f"each instrument's most final budget stage recorded for {year} is used "
                "(executed, supplementary, enacted, proposal, plan)",
            )
        for text in flow.assumptions():
            add("funding_flow", "money", text)
        if how is None and any(r.reason in ("envelope", "shared") for r in flow.unallocated):
            add(
                "funding_flow",
                "allocation",
                "no allocation asked: money without a published split (envelopes, money at "
                "technologies several missions need) is reported as unallocated",
            )
    if support and any(r.envelopes for r in support):
        add(
            "pipeline",
            "envelopes",
            "an instrument reaches the missions that need a technology its envelope lists, "
            "as for targeted support (who acts, not how much)",
        )
    if on is not None:
        resolved = [
            a.id
            for a in graph.portfolio.actors
            if not a.in_force(on)
            and any(a.id in i.administered_by for i in graph.portfolio.instruments)
        ]
        if resolved:
            add(
                "pipeline",
                "actors",
                f"actors that do not exist on {on.isoformat()} are replaced by their "
                f"successors for the instruments they hand over: {', '.join(resolved)}",
            )
    return rows
