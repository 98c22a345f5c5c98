"""HTML for Jupyter of the scenarios: reforms, populations, comparisons, experiment results.

Each object's ``_repr_html_`` calls one function here, when the object is shown. Tables are
the ground floor's ``html_table``; figures are written with
:func:`~stratpolicy.display.format_figure` (money scaled, other numbers as values).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from stratpolicy._format import format_figure, format_percent
from stratpolicy._html import escape, html_table

if TYPE_CHECKING:
    from stratpolicy.scenarios import (
        Comparison,
        ExperimentResults,
        Population,
        PortfolioComparison,
        Reform,
    )

__all__ = [
    "comparison_html",
    "population_html",
    "portfolio_comparison_html",
    "reform_html",
    "results_html",
]

_MAX_ROWS = 20
_SYNTHETIC = "Synthetic population: no row is a real firm."


def _count(value: float) -> str:
    """A (weighted) count of firms or rows: whole numbers with separators."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _rows(rows: Sequence[Sequence[str]]) -> list[Sequence[str]]:
    """The first rows, and a last one saying how many more there are."""
    if len(rows) <= _MAX_ROWS:
        return list(rows)
    more = (f"... {len(rows) - _MAX_ROWS} more rows", *("" for _ in rows[0][1:]))
    return [*rows[:_MAX_ROWS], more]


def reform_html(reform: Reform) -> str:
    """A reform: its name, source or hypothesis, every change and assumption.

    The lines of :meth:`Reform.describe`, the first as a title.
    """
    lines = reform.describe().splitlines()
    title = escape(lines[0]) if lines else ""
    items = "".join(f"<li>{escape(line.strip())}</li>" for line in lines[1:])
    return f"<div><strong>{title}</strong><ul>{items}</ul></div>"


def population_html(population: Population) -> str:
    """A population: rows, firms by weight, source, inputs; the synthetic label first."""
    meta = population.metadata
    warning = f"<p><strong>{_SYNTHETIC}</strong></p>" if meta.get("synthetic") else ""
    rows = [
        ("rows", f"{population.n:,}"),
        ("firms (sum of weights)", _count(population.total_weight)),
        ("source", str(meta.get("source", ""))),
        ("checked against", population.rule_set_id),
        ("inputs with a column", ", ".join(population.inputs)),
        ("inputs at their default", ", ".join(population.defaulted) or "none"),
    ]
    return f"<div>{warning}{html_table('Population', ('', ''), rows)}</div>"


def comparison_html(comparison: Comparison) -> str:
    """The weighted totals of the outputs that change; by firm size when there is one.

    The outputs are those of :meth:`Comparison.changing` (summable ones); the last of them
    is shown by firm size.
    """
    names = comparison.changing(summable=True)
    totals = comparison.totals(names) if names else None
    rows = (
        []
        if totals is None
        else [
            (
                str(name),
                format_figure(r["baseline"], r["unit"]),
                format_figure(r["reform"], r["unit"]),
                format_figure(r["delta"], r["unit"]),
                _count(r["winners"]),
                _count(r["losers"]),
                _count(r["unchanged"]),
            )
            for name, r in totals.iterrows()
        ]
    )
    reform = comparison.reform
    name = reform.id if reform is not None else comparison.reformed.id
    title = (
        f"Baseline {comparison.baseline.id!r} against reform {name!r} on "
        f"{comparison.on.isoformat()}, {comparison.population.n:,} rows"
    )
    notes = ""
    if reform is not None and reform.is_hypothetical:
        notes += "<p><em>The reform is hypothetical.</em></p>"
    if comparison.population.metadata.get("synthetic"):
        notes += f"<p><em>{_SYNTHETIC}</em></p>"
    body = html_table(
        "Weighted totals of the outputs that change (winners, losers: firms by weight)",
        ("output", "baseline", "reform", "change", "winners", "losers", "unchanged"),
        _rows(rows),
        empty="no output changes",
    )
    by = ""
    if "firm_size" in comparison.population.inputs and rows:
        key = names[-1]
        unit = comparison.baseline.unit_of(key)
        frame = comparison.by("firm_size", key)
        by_rows = [
            (
                str(size),
                _count(r["firms"]),
                format_figure(r["baseline"], unit),
                format_figure(r["reform"], unit),
                format_figure(r["delta"], unit),
            )
            for size, r in frame.iterrows()
            if r["firms"] > 0
        ]
        by = html_table(
            f"{key} by firm size", ("firm size", "firms", "baseline", "reform", "change"), by_rows
        )
    return f"<div><strong>{escape(title)}</strong>{notes}{body}{by}</div>"


def portfolio_comparison_html(comparison: PortfolioComparison) -> str:
    """Coverage per mission before and after, the gaps that open or close, the assumptions."""
    cov = comparison.coverage()
    rows = [
        (
            str(m),
            str(r["name"]),
            format_percent(_optional(r["coverage_before"])),
            format_percent(_optional(r["coverage_after"])),
            str(r["gaps_before"]),
            str(r["gaps_after"]),
        )
        for m, r in cov.iterrows()
    ]
    gaps = comparison.gaps()
    changed = gaps[gaps["change"] != "unchanged"]
    gap_rows = [(str(t), str(r["name"]), str(r["change"])) for t, r in changed.iterrows()]
    notes = "".join(f"<li>{escape(a)}</li>" for a in comparison.assumptions())
    return (
        f"<div><strong>{escape(comparison.base.name)}: before and after</strong>"
        + html_table(
            "Coverage per mission",
            ("mission", "name", "coverage before", "after", "gaps before", "after"),
            _rows(rows),
        )
        + html_table("Gaps that change", ("technology", "name", "gap"), _rows(gap_rows))
        + (f"<p>Assumptions:</p><ul>{notes}</ul>" if notes else "")
        + "</div>"
    )


def _optional(value: object) -> float | None:
    """A coverage cell: ``None`` (no requirement) or a share."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)  # type: ignore[arg-type]


def results_html(results: ExperimentResults) -> str:
    """A study's results: what ran, and each outcome's spread over the experiments."""
    table = results.table
    units = results.units
    rows = [
        (
            name,
            format_figure(float(table[name].min()), units.get(name, "")),
            format_figure(float(table[name].median()), units.get(name, "")),
            format_figure(float(table[name].max()), units.get(name, "")),
        )
        for name in results.outcomes
        if len(table)
    ]
    meta = results.metadata
    title = (
        f"Study {meta.get('study')!r}: {len(results):,} of {meta.get('experiments', 0):,} "
        f"experiments ({meta.get('sampler')}, seed {meta.get('root_seed')})"
    )
    columns = ("outcome", "min", "median", "max")
    outcomes = html_table("Outcomes over the experiments", columns, rows)
    return f"<div><strong>{escape(title)}</strong>{outcomes}</div>"
