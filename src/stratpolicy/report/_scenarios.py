"""Comparisons and experiment results for a reader: as plain data (JSON), and as text.

What ``stratpolicy compare`` and ``stratpolicy experiments run`` print, usable from Python:
:func:`comparison_summary` and :func:`results_summary` give plain data (``--format
json``), :func:`render_comparison` and :func:`render_results` turn it into text of at most
100 columns. Figures are written with :func:`~stratpolicy.display.format_figure` (money scaled,
other numbers as values).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from stratpolicy.display import format_figure
from stratpolicy.report._format import WIDTH, wrap

if TYPE_CHECKING:
    from stratpolicy.scenarios import Comparison, ExperimentResults

__all__ = [
    "SUMMARY_VERSION",
    "comparison_summary",
    "render_comparison",
    "render_results",
    "results_summary",
]

SUMMARY_VERSION = 1
"""The version of the summaries' plain data (``summary_version``)."""


def comparison_summary(
    comparison: Comparison,
    *,
    by: str | None = None,
    outputs: Sequence[str] | None = None,
) -> dict[str, Any]:
    """A comparison as JSON-ready data: what was compared, totals, winners, groups.

    Args:
        comparison: The comparison.
        by: Also the last output's change by this group (an input or a category output).
        outputs: The outputs (default: those that change, summable ones first: see
            :meth:`Comparison.changing`).

    Returns:
        ``summary_version``, the library version, the date, the baseline, the reform (id,
        name, citation, whether hypothetical, assumptions), the population (rows, firms,
        source, whether synthetic), ``outputs`` (per output: unit, weighted ``baseline``,
        ``reform``, ``delta``, ``winners``, ``losers``, ``unchanged`` and the row counts)
        and, with ``by``, the groups.

    Examples:
        >>> import datetime as dt
        >>> from stratpolicy.catalogs import korea
        >>> from stratpolicy.scenarios import compare, examples, synthetic_firms
        >>> c = compare(korea.tax_credits(), examples.sme_nst_rd_50(),
        ...             synthetic_firms(200, seed=1), on=dt.date(2026, 6, 30))
        >>> data = comparison_summary(c, by="firm_size")
        >>> data["reform"], data["hypothetical"], data["population"]["synthetic"]
        ('kr_sme_nst_rd_50', True, True)
        >>> render_comparison(data).startswith("Reform kr_sme_nst_rd_50 (hypothetical): SME")
        True
    """
    meta = comparison.metadata
    reform = comparison.reform
    names = list(outputs) if outputs is not None else list(comparison.changing(summable=True))
    citation = reform.components[0].citation if reform is not None else None
    data: dict[str, Any] = {
        "summary_version": SUMMARY_VERSION,
        **{
            k: meta[k]
            for k in ("stratpolicy_version", "on", "baseline", "hypothetical", "assumptions")
        },
        "reform": reform.id if reform is not None else comparison.reformed.id,
        "reform_name": reform.name if reform is not None else "",
        "citation": citation.label if citation is not None else None,
        "population": {
            "rows": comparison.population.n,
            "firms": comparison.population.total_weight,
            "source": comparison.population.metadata.get("source", ""),
            "synthetic": bool(comparison.population.metadata.get("synthetic")),
        },
        "outputs": [],
    }
    if names:
        totals = comparison.totals(names)
        for name, row in totals.iterrows():
            item: dict[str, Any] = {"output": str(name), "unit": str(row["unit"])}
            for k in totals.columns:
                if k != "unit":
                    item[str(k)] = int(row[k]) if str(k).startswith("rows") else float(row[k])
            data["outputs"].append(item)
    if by is not None and names:
        frame = comparison.by(by, names[-1])
        groups = [
            {
                "group": str(key),
                **{
                    str(k): (int(v) if str(k).startswith("rows") else float(v))
                    for k, v in row.items()
                },
            }
            for key, row in frame.iterrows()
            if row["firms"] > 0
        ]
        data["by"] = {"group": by, "output": names[-1], "groups": groups}
    return data


def render_comparison(summary: dict[str, Any], width: int = WIDTH) -> str:
    """The data of :func:`comparison_summary` as lines of at most ``width`` columns."""
    tag = " (hypothetical)" if summary.get("hypothetical") else ""
    lines = [f"Reform {summary['reform']}{tag}: {summary['reform_name']}".rstrip(": ")]
    if summary.get("citation"):
        lines.append(f"  source: {summary['citation']}")
    pop = summary["population"]
    label = " -- SYNTHETIC: no row is a real firm" if pop["synthetic"] else ""
    lines.append(f"Baseline {summary['baseline']}, on {summary['on']}")
    lines.append(
        f"Population: {pop['rows']:,} rows standing for {pop['firms']:,.0f} firms "
        f"({pop['source']}){label}"
    )
    lines.append("")
    outputs = summary["outputs"]
    if not outputs:
        lines.append("No output changes.")
    else:
        lines.append("Weighted totals of the outputs that change:")
        lines.append(f"  {'output':<28} {'baseline':>22} {'reform':>22} {'change':>22}")
        for o in outputs:
            unit = o["unit"]
            lines.append(
                f"  {o['output'][:28]:<28} {format_figure(o['baseline'], unit):>22} "
                f"{format_figure(o['reform'], unit):>22} {format_figure(o['delta'], unit):>22}"
            )
        last = outputs[-1]
        lines.append("")
        lines.append(
            f"{last['output']}: winners {last['winners']:,.0f} firms ({last['rows_winners']:,} "
            f"rows), losers {last['losers']:,.0f} ({last['rows_losers']:,} rows), unchanged "
            f"{last['unchanged']:,.0f}"
        )
    by = summary.get("by")
    if by:
        unit = next(o["unit"] for o in outputs if o["output"] == by["output"])
        lines.append("")
        lines.append(f"{by['output']} by {by['group']}:")
        lines.append(f"  {by['group'][:24]:<24} {'firms':>12} {'baseline':>20} {'change':>20}")
        for g in by["groups"]:
            lines.append(
                f"  {g['group'][:24]:<24} {g['firms']:>12,.0f} "
                f"{format_figure(g['baseline'], unit):>20} {format_figure(g['delta'], unit):>20}"
            )
    if summary.get("assumptions"):
        lines.append("")
        lines.append("Assumptions:")
        lines.extend(f"  - {a}" for a in summary["assumptions"])
    return "\n".join(wrap(lines, width)) + "\n"


def results_summary(results: ExperimentResults) -> dict[str, Any]:
    """A study's results as JSON-ready data: counts, timings, each outcome's spread.

    Returns:
        ``summary_version``, the study, the experiments planned and ``done``, whether the
        run is ``complete``, the sampler and root seed, this run's ``timings`` (see
        :attr:`ExperimentResults.timings`), and per outcome its unit and its ``min``,
        ``median`` and ``max`` over the experiments (``None`` when none ran).
    """
    meta = results.metadata
    table = results.table
    units = results.units
    outcomes = []
    for name in results.outcomes:
        column = table[name].astype(float)
        outcomes.append(
            {
                "outcome": name,
                "unit": units.get(name, ""),
                "min": float(column.min()) if len(column) else None,
                "median": float(column.median()) if len(column) else None,
                "max": float(column.max()) if len(column) else None,
            }
        )
    return {
        "summary_version": SUMMARY_VERSION,
        "study": meta.get("study"),
        "experiments": meta.get("experiments"),
        "done": len(results),
        "complete": results.complete,
        "sampler": meta.get("sampler"),
        "root_seed": meta.get("root_seed"),
        "timings": dict(results.timings),
        "outcomes": outcomes,
    }


def render_results(summary: dict[str, Any], out: str | None = None) -> str:
    """The data of :func:`results_summary` as text; ``out``: where the results are."""
    t = summary["timings"]
    lines = [
        f"Study {summary['study']}: {summary['done']:,} of {summary['experiments']:,} experiments "
        f"({summary['sampler']}, seed {summary['root_seed']})"
        + ("" if summary["complete"] else " -- INCOMPLETE"),
    ]
    if t:
        lines.append(
            f"  this run: {t.get('experiments', 0):,} experiments in {t.get('tasks', 0):,} tasks "
            f"on {t.get('executor')} ({t.get('workers')} worker(s)), {t.get('resumed', 0):,} "
            f"resumed from the output; {t.get('wall', 0.0):.1f} s"
        )
    if out:
        lines.append(f"  results: {out}")
    lines.append("")
    lines.append(f"  {'outcome':<32} {'min':>20} {'median':>20} {'max':>20}")
    for o in summary["outcomes"]:
        unit = o.get("unit", "")
        lines.append(
            f"  {o['outcome'][:32]:<32} {format_figure(o['min'], unit):>20} "
            f"{format_figure(o['median'], unit):>20} {format_figure(o['max'], unit):>20}"
        )
    return "\n".join(wrap(lines)) + "\n"
