"""HTML for Jupyter: reforms, populations, comparisons and experiment results.

Kept in ``scenarios/`` until the display layer takes the renderers; each object's
``_repr_html_`` calls one function here, which runs only when the object is shown.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stratpolicy.scenarios._compare import Comparison
    from stratpolicy.scenarios._population import Population
    from stratpolicy.scenarios._portfolios import PortfolioComparison
    from stratpolicy.scenarios._reform import Reform
    from stratpolicy.scenarios._runner import ExperimentResults

__all__ = [
    "comparison_html",
    "number",
    "population_html",
    "portfolio_comparison_html",
    "reform_html",
    "results_html",
]

_MAX_ROWS = 20


def number(value: Any, unit: str = "") -> str:
    """A number for people: thousands separators, at most 4 significant decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        text = f"{value:,}"
    else:
        v = float(value)
        text = f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.4g}"
    return f"{text} {unit}".strip()


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = "") -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in rows[:_MAX_ROWS]
    )
    more = (
        f"<tr><td colspan='{len(columns)}'>... {len(rows) - _MAX_ROWS} more rows</td></tr>"
        if len(rows) > _MAX_ROWS
        else ""
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<tr>{head}</tr>{body}{more}</table>"


def reform_html(reform: Reform) -> str:
    """A reform: name, source or hypothesis, changes and assumptions."""
    lines = reform.describe().splitlines()
    items = "".join(f"<li>{html.escape(line.strip())}</li>" for line in lines[1:])
    title = html.escape(lines[0]) if lines else ""
    return f"<div><strong>{title}</strong><ul>{items}</ul></div>"


def population_html(population: Population) -> str:
    """A population: rows, weight, source, inputs; the synthetic label first."""
    meta = population.metadata
    warning = (
        "<p><strong>Synthetic population: no row is a real firm.</strong></p>"
        if meta.get("synthetic")
        else ""
    )
    rows = [
        ("rows", number(population.n)),
        ("firms (sum of weights)", number(population.total_weight)),
        ("source", meta.get("source", "")),
        ("checked against", population.rule_set_id),
        ("inputs with a column", ", ".join(population.inputs)),
        ("inputs at their default", ", ".join(population.defaulted)),
    ]
    return f"<div>{warning}{_table(('', ''), rows)}</div>"


def comparison_html(comparison: Comparison) -> str:
    """Totals per output, and the change by firm size when the population has one."""
    totals = comparison.totals()
    moved = totals[(totals["delta"] != 0) | (totals["winners"] + totals["losers"] > 0)]
    rows = [
        (
            name,
            number(r["baseline"], r["unit"]),
            number(r["reform"], r["unit"]),
            number(r["delta"], r["unit"]),
            number(r["winners"]),
            number(r["losers"]),
            number(r["unchanged"]),
        )
        for name, r in moved.iterrows()
    ]
    reform = comparison.reform
    title = f"Baseline {comparison.baseline.id!r} against reform " + (
        repr(reform.id) if reform is not None else repr(comparison.reformed.id)
    )
    title += f" on {comparison.on.isoformat()}, {comparison.population.n:,} rows"
    notes = ""
    if reform is not None and reform.is_hypothetical:
        notes += "<p><em>The reform is hypothetical.</em></p>"
    if comparison.population.metadata.get("synthetic"):
        notes += "<p><em>Synthetic population: no row is a real firm.</em></p>"
    by = ""
    if "firm_size" in comparison.population.inputs and rows:
        key = moved.index[-1]
        frame = comparison.by("firm_size", key)
        unit = comparison.baseline.unit_of(key)
        by_rows = [
            (
                size,
                number(r["firms"]),
                number(r["baseline"], unit),
                number(r["reform"], unit),
                number(r["delta"], unit),
            )
            for size, r in frame.iterrows()
            if r["firms"] > 0
        ]
        by = _table(
            ("firm size", "firms", "baseline", "reform", "change"), by_rows, f"{key} by firm size"
        )
    body = (
        _table(
            ("output", "baseline", "reform", "change", "winners", "losers", "unchanged"),
            rows,
            "weighted totals of the outputs that change (winners, losers: firms by weight)",
        )
        if rows
        else "<p>No output changes.</p>"
    )
    return f"<div><strong>{html.escape(title)}</strong>{notes}{body}{by}</div>"


def portfolio_comparison_html(comparison: PortfolioComparison) -> str:
    """Coverage per mission before and after, the gaps that open or close."""
    cov = comparison.coverage()
    rows = [
        (
            m,
            r["name"],
            number(r["coverage_before"]),
            number(r["coverage_after"]),
            number(r["gaps_before"]),
            number(r["gaps_after"]),
        )
        for m, r in cov.iterrows()
    ]
    gaps = comparison.gaps()
    changed = gaps[gaps["change"] != "unchanged"]
    gap_rows = [(t, r["name"], r["change"]) for t, r in changed.iterrows()]
    notes = "".join(f"<li>{html.escape(a)}</li>" for a in comparison.assumptions())
    return (
        f"<div><strong>{html.escape(comparison.base.name)}: before and after</strong>"
        + _table(("mission", "name", "coverage before", "after", "gaps before", "after"), rows)
        + (_table(("technology", "name", "gap"), gap_rows, "gaps that change") if gap_rows else "")
        + (f"<p>Assumptions:</p><ul>{notes}</ul>" if notes else "")
        + "</div>"
    )


def results_html(results: ExperimentResults) -> str:
    """Each outcome's spread over the experiments."""
    table = results.table
    rows = []
    for name in results.outcomes:
        column = table[name]
        rows.append(
            (
                name,
                number(float(column.min())),
                number(float(column.median())),
                number(float(column.max())),
            )
        )
    meta = results.metadata
    title = (
        f"Study {meta.get('study')!r}: {len(results):,} of {meta.get('experiments', 0):,} "
        f"experiments ({meta.get('sampler')}, seed {meta.get('root_seed')})"
    )
    return (
        f"<div><strong>{html.escape(title)}</strong>"
        + _table(("outcome", "min", "median", "max"), rows)
        + "</div>"
    )
