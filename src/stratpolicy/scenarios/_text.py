"""Comparisons and experiment results as plain data and as text (the command line's)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stratpolicy.scenarios._compare import Comparison
    from stratpolicy.scenarios._runner import ExperimentResults

__all__ = ["amount", "comparison_summary", "comparison_text", "results_summary", "results_text"]

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def amount(value: float, unit: str = "") -> str:
    """A number for people: money in million / billion / trillion, no float noise.

    Examples:
        >>> amount(44.1334e12, "KRW"), amount(-2.5e9, "KRW"), amount(1234.4), amount(0.125)
        ('44.1334 trillion KRW', '-2.5 billion KRW', '1,234', '0.125')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    v = float(f"{float(value):.10g}")  # no float noise: 999,999,999.9999999 is 1 billion
    if unit and unit.isupper():
        for scale, word in _SCALES:
            if abs(v) >= scale:
                text = f"{v / scale:,.4f}".rstrip("0").rstrip(".")
                return f"{text} {word} {unit}"
        return f"{round(v):,} {unit}"
    text = f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"
    return f"{text} {unit}".strip()


def _changed(comparison: Comparison, outputs: Sequence[str] | None) -> list[str]:
    """The outputs that change; only money, count and boolean ones if some of them change.

    A sum of rates means little.
    """
    totals = comparison.totals(outputs)
    moved = totals[(totals["delta"] != 0) | ((totals["winners"] + totals["losers"]) > 0)]
    names = [str(name) for name in moved.index]
    summable = [n for n in names if moved.loc[n, "unit"] or _is_bool(comparison, n)]
    return summable or names


def _is_bool(comparison: Comparison, name: str) -> bool:
    from stratpolicy.rules import ValueType

    return comparison._types[name] is ValueType.BOOL


def comparison_summary(
    comparison: Comparison,
    *,
    by: str | None = None,
    outputs: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The comparison as JSON-ready data: what was compared, totals, winners, groups."""
    meta = comparison.metadata
    names = list(outputs) if outputs is not None else _changed(comparison, None)
    totals = comparison.totals(names) if names else None
    data: dict[str, Any] = {
        "summary_version": 1,
        **{
            k: meta[k]
            for k in ("stratpolicy_version", "on", "baseline", "hypothetical", "assumptions")
        },
        "reform": comparison.reform.id if comparison.reform is not None else comparison.reformed.id,
        "reform_name": comparison.reform.name if comparison.reform is not None else "",
        "citation": (
            comparison.reform.components[0].citation.label
            if comparison.reform is not None and comparison.reform.components[0].citation
            else None
        ),
        "population": {
            "rows": comparison.population.n,
            "firms": comparison.population.total_weight,
            "source": comparison.population.metadata.get("source", ""),
            "synthetic": bool(comparison.population.metadata.get("synthetic")),
        },
        "outputs": [],
    }
    if totals is not None:
        for name, row in totals.iterrows():
            item = {"output": name, "unit": row["unit"]}
            item.update({k: row[k] for k in totals.columns if k != "unit"})
            for k in ("rows", "rows_winners", "rows_losers"):
                item[k] = int(item[k])
            data["outputs"].append(item)
    if by is not None and names:
        groups = []
        frame = comparison.by(by, names[-1])
        for key, row in frame.iterrows():
            if row["firms"] <= 0:
                continue
            groups.append(
                {
                    "group": key if isinstance(key, str) else str(key),
                    **{k: (int(v) if k.startswith("rows") else float(v)) for k, v in row.items()},
                }
            )
        data["by"] = {"group": by, "output": names[-1], "groups": groups}
    return data


def comparison_text(summary: dict[str, Any], width: int = 100) -> str:
    """The summary of :func:`comparison_summary` as lines of at most ``width`` columns."""
    import textwrap

    lines: list[str] = []

    def wrap(text: str, indent: str = "  ") -> None:
        lines.extend(textwrap.wrap(text, width=width, subsequent_indent=indent))

    tag = " (hypothetical)" if summary.get("hypothetical") else ""
    wrap(f"Reform {summary['reform']}{tag}: {summary['reform_name']}".rstrip(": "))
    if summary.get("citation"):
        wrap(f"  source: {summary['citation']}", "    ")
    pop = summary["population"]
    label = " -- SYNTHETIC: no row is a real firm" if pop["synthetic"] else ""
    wrap(f"Baseline {summary['baseline']}, on {summary['on']}")
    wrap(
        f"Population: {pop['rows']:,} rows standing for {pop['firms']:,.0f} firms "
        f"({pop['source']}){label}"
    )
    lines.append("")
    if not summary["outputs"]:
        lines.append("No output changes.")
    else:
        lines.append("Weighted totals of the outputs that change:")
        header = f"  {'output':<28} {'baseline':>22} {'reform':>22} {'change':>22}"
        lines.append(header)
        for o in summary["outputs"]:
            lines.append(
                f"  {o['output'][:28]:<28} {amount(o['baseline'], o['unit']):>22} "
                f"{amount(o['reform'], o['unit']):>22} {amount(o['delta'], o['unit']):>22}"
            )
        last = summary["outputs"][-1]
        lines.append("")
        lines.append(
            f"{last['output']}: winners {last['winners']:,.0f} firms ({last['rows_winners']:,} "
            f"rows), losers {last['losers']:,.0f} ({last['rows_losers']:,} rows), unchanged "
            f"{last['unchanged']:,.0f}"
        )
    by = summary.get("by")
    if by:
        unit = next(o["unit"] for o in summary["outputs"] if o["output"] == by["output"])
        lines.append("")
        lines.append(f"{by['output']} by {by['group']}:")
        lines.append(f"  {by['group'][:24]:<24} {'firms':>12} {'baseline':>20} {'change':>20}")
        for g in by["groups"]:
            lines.append(
                f"  {g['group'][:24]:<24} {g['firms']:>12,.0f} "
                f"{amount(g['baseline'], unit):>20} {amount(g['delta'], unit):>20}"
            )
    if summary.get("assumptions"):
        lines.append("")
        lines.append("Assumptions:")
        for a in summary["assumptions"]:
            lines.extend(
                textwrap.wrap(a, width=width, initial_indent="  - ", subsequent_indent="    ")
            )
    return "\n".join(lines) + "\n"


def results_summary(results: ExperimentResults) -> dict[str, Any]:
    """An experiment run as JSON-ready data: counts, timings, each outcome's spread."""
    meta = results.metadata
    table = results.table
    outcomes = []
    for name in results.outcomes:
        column = table[name].astype(float)
        outcomes.append(
            {
                "outcome": name,
                "min": float(column.min()) if len(column) else None,
                "median": float(column.median()) if len(column) else None,
                "max": float(column.max()) if len(column) else None,
            }
        )
    return {
        "summary_version": 1,
        "study": meta.get("study"),
        "experiments": meta.get("experiments"),
        "done": len(results),
        "complete": results.complete,
        "sampler": meta.get("sampler"),
        "root_seed": meta.get("root_seed"),
        "timings": dict(results.timings),
        "outcomes": outcomes,
    }


def results_text(summary: dict[str, Any], out: str | None = None) -> str:
    """The summary of :func:`results_summary` as text."""
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
    lines.append(f"  {'outcome':<32} {'min':>18} {'median':>18} {'max':>18}")
    for o in summary["outcomes"]:
        lines.append(
            f"  {o['outcome'][:32]:<32} {amount(o['min']):>18} {amount(o['median']):>18} "
            f"{amount(o['max']):>18}"
        )
    return "\n".join(lines) + "\n"
