"""Portfolio against reformed portfolio: coverage, gaps and funding flow per mission."""

from __future__ import annotations

import datetime as dt
from typing import Any

from stratpolicy._checks import describe
from stratpolicy.model import BudgetStage, Portfolio
from stratpolicy.scenarios._reform import Reform

__all__ = ["PortfolioComparison", "compare_portfolios"]


class PortfolioComparison:
    """Two portfolios analysed with the same settings, side by side.

    Uses the graph's public analyses (:meth:`MissionGraph.coverage`,
    :meth:`~MissionGraph.gaps`, :meth:`~MissionGraph.funding_flow`) on each portfolio.

    Attributes:
        base: The portfolio as it stands.
        reformed: The reformed portfolio.
        reform: The reform document, when one was given.
        on: The analysis date (``None``: dates ignored).
        year: The budget year of the funding flow.
        include_envelopes: Whether envelope-only support counts as coverage.
        allocation: The allocation assumption of the funding flow (``None``: unsplit money
            stays unallocated).
        stage: The budget stage (``None``: each instrument's most final).
    """

    def __init__(
        self,
        *,
        base: Portfolio,
        reformed: Portfolio,
        reform: Reform | None,
        on: dt.date | None,
        year: int | None,
        include_envelopes: bool,
        allocation: Any,
        stage: BudgetStage | str | None,
    ) -> None:
        self.base = base
        self.reformed = reformed
        self.reform = reform
        self.on = on
        self.include_envelopes = include_envelopes
        self.allocation = allocation
        self.stage = stage
        g0, g1 = base.graph(), reformed.graph()
        if year is None:
            years = set(g0.budget_years(on=on)) | set(g1.budget_years(on=on))
            year = max(years) if years else None
        self.year = year
        self._coverage = (
            g0.coverage(on=on, include_envelopes=include_envelopes),
            g1.coverage(on=on, include_envelopes=include_envelopes),
        )
        self._gaps = (
            g0.gaps(on=on, include_envelopes=include_envelopes),
            g1.gaps(on=on, include_envelopes=include_envelopes),
        )
        self._flows = (
            (
                g0.funding_flow(year, on=on, stage=stage, allocation=allocation),
                g1.funding_flow(year, on=on, stage=stage, allocation=allocation),
            )
            if year is not None
            else None
        )

    def coverage(self) -> Any:
        """Per mission (pandas): coverage and gap count before and after, and the change."""
        import pandas as pd

        before, after = self._coverage
        rows = []
        after_by = {r.mission: r for r in after}
        for row in before:
            new = after_by.get(row.mission)
            rows.append(
                {
                    "mission": row.mission,
                    "name": row.name,
                    "coverage_before": row.coverage,
                    "coverage_after": new.coverage if new is not None else None,
                    "coverage_change": (
                        new.coverage - row.coverage
                        if new is not None and new.coverage is not None and row.coverage is not None
                        else None
                    ),
                    "gaps_before": len(row.gaps),
                    "gaps_after": len(new.gaps) if new is not None else None,
                    "envelope_only_before": len(row.envelope_only),
                    "envelope_only_after": len(new.envelope_only) if new is not None else None,
                }
            )
        return pd.DataFrame.from_records(rows).set_index("mission")

    def gaps(self) -> Any:
        """Every gap technology before or after (pandas).

        Columns ``before``, ``after`` and ``change`` (``opened``, ``closed`` or ``unchanged``).
        """
        import pandas as pd

        before = {r.technology: r for r in self._gaps[0]}
        after = {r.technology: r for r in self._gaps[1]}
        rows = []
        for tech in [*before, *(t for t in after if t not in before)]:
            row = before.get(tech) or after[tech]
            was, now = tech in before, tech in after
            rows.append(
                {
                    "technology": tech,
                    "name": row.name,
                    "before": was,
                    "after": now,
                    "change": "unchanged" if was == now else ("closed" if was else "opened"),
                    "missions": ", ".join((after.get(tech) or row).missions),
                }
            )
        return pd.DataFrame.from_records(
            rows, columns=["technology", "name", "before", "after", "change", "missions"]
        ).set_index("technology")

    def funding(self) -> Any:
        """Per mission and currency (pandas): money reaching it before and after.

        ``inflow`` (its own requirements), ``inflow_with_sub`` (with sub-missions) and
        ``reachable`` (money at the technologies it needs, unsplit), each ``_before`` and
        ``_after``, and ``inflow_change``.
        """
        import pandas as pd

        if self._flows is None:
            return pd.DataFrame()
        before, after = self._flows

        def key(r: Any) -> tuple[str, str]:
            return (r.mission, r.currency)

        after_by = {key(r): r for r in after.missions}
        rows = []
        seen = set()
        for row in before.missions:
            new = after_by.get(key(row))
            seen.add(key(row))
            rows.append(_flow_row(row, new))
        for k, new in after_by.items():
            if k not in seen:
                rows.append(_flow_row(None, new))
        return pd.DataFrame.from_records(rows).set_index(["mission", "currency"])

    def totals(self) -> Any:
        """The funding balance per currency before and after (pandas)."""
        import pandas as pd

        if self._flows is None:
            return pd.DataFrame()
        rows = []
        for label, flow in zip(("before", "after"), self._flows, strict=True):
            for r in flow.totals:
                rows.append(
                    {
                        "when": label,
                        "currency": r.currency,
                        "budget": r.budget,
                        "to_technologies": r.to_technologies,
                        "to_missions": r.to_missions,
                        "unallocated": r.unallocated,
                    }
                )
        return pd.DataFrame.from_records(rows).set_index(["when", "currency"])

    def missions_losing_support(self) -> tuple[str, ...]:
        """Missions whose coverage falls or whose gaps grow."""
        frame = self.coverage()
        out = []
        for mission, row in frame.iterrows():
            change = row["coverage_change"]
            if (change is not None and change == change and change < 0) or (
                row["gaps_after"] is not None and row["gaps_after"] > row["gaps_before"]
            ):
                out.append(str(mission))
        return tuple(out)

    def assumptions(self) -> tuple[str, ...]:
        """What the figures rest on: the reform's assumptions and each flow's."""
        out: list[str] = []
        if self.reform is not None:
            out.extend(self.reform.all_assumptions())
        if self._flows is not None:
            for label, flow in zip(("before", "after"), self._flows, strict=True):
                out.extend(f"{label}: {a}" for a in flow.assumptions())
        if not self.include_envelopes:
            out.append(
                "coverage counts targeted support only; envelope-only support is reported apart"
            )
        return tuple(out)

    def __repr__(self) -> str:
        return (
            f"<PortfolioComparison {self.base.id!r} on {self.on}: "
            f"{len(self.missions_losing_support())} missions lose support>"
        )

    def _repr_html_(self) -> str:
        from stratpolicy.display import portfolio_comparison_html

        return portfolio_comparison_html(self)


def _flow_row(before: Any, after: Any) -> dict[str, Any]:
    ref = before if before is not None else after
    out: dict[str, Any] = {"mission": ref.mission, "currency": ref.currency}
    for name in ("inflow", "inflow_with_sub", "reachable"):
        out[f"{name}_before"] = getattr(before, name) if before is not None else 0.0
        out[f"{name}_after"] = getattr(after, name) if after is not None else 0.0
    out["inflow_change"] = out["inflow_after"] - out["inflow_before"]
    return out


def compare_portfolios(
    base: Portfolio,
    reformed: Portfolio | Reform,
    *,
    on: dt.date | None = None,
    year: int | None = None,
    include_envelopes: bool = False,
    allocation: Any = None,
    stage: BudgetStage | str | None = None,
) -> PortfolioComparison:
    """Compare coverage, gaps and funding flow per mission before and after a reform.

    Args:
        base: The portfolio as it stands.
        reformed: The reformed portfolio, or a :class:`Reform` to apply to ``base``.
        on: The analysis date (``None``: dates ignored), passed to every analysis.
        year: The budget year of the funding flow (default: the latest year either
            portfolio has a budget for).
        include_envelopes: Count envelope-only support as coverage (passed through).
        allocation: The funding flow's allocation assumption (``"equal"``,
            ``"by_weight"`` or ``None``: unsplit money stays unallocated).
        stage: The budget stage (``None``: each instrument's most final).

    Examples:
        >>> import datetime as dt
        >>> from stratpolicy.catalogs import korea
        >>> from stratpolicy.scenarios import InstrumentEnd, PortfolioChanges, Reform
        >>> end = Reform(id="no_nst_rd", name="NST R&D ends", hypothetical=True,
        ...              portfolio=PortfolioChanges(end_instruments=[InstrumentEnd(
        ...                  instrument="nst_rd_investment", on=dt.date(2026, 6, 30))]))
        >>> c = compare_portfolios(korea.summit_2025(), end, on=dt.date(2026, 12, 1),
        ...                        include_envelopes=True)
        >>> len(c.missions_losing_support()) > 0
        True
    """
    if isinstance(reformed, Reform):
        reform: Reform | None = reformed
        new = reformed.apply(base)
    elif isinstance(reformed, Portfolio):
        reform = None
        new = reformed
    else:
        raise TypeError(f"reformed must be a Portfolio or a Reform, got {describe(reformed)}")
    return PortfolioComparison(
        base=base,
        reformed=new,
        reform=reform,
        on=on,
        year=year,
        include_envelopes=include_envelopes,
        allocation=allocation,
        stage=stage,
    )
