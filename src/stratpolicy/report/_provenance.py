"""What a report rests on, as data: the portfolio's unverified facts and its assumptions."""

from __future__ import annotations

from typing import Any

from stratpolicy.model import Portfolio
from stratpolicy.report._data import REPORT_VERSION, ReportSettings

__all__ = ["build_provenance"]


def build_provenance(
    portfolio: Portfolio, settings: ReportSettings | None = None, *, built_in: bool = False
) -> dict[str, Any]:
    """Every unverified fact, editorial field and assumption the report rests on, as data.

    What ``stratpolicy provenance --format json`` prints: the portfolio's id and name and one
    record per fact (``kind``, ``path``, ``subject``, ``statement``, ``source``, ``note``).

    Args:
        portfolio: The portfolio.
        settings: The analysis settings; default: on the portfolio's ``as_of``.
        built_in: Whether it is the built-in summit, whose report adds the Korean tax example
            and the early-warning section: their assumptions are listed too.
    """
    s = settings or ReportSettings(on=portfolio.as_of)
    rows = (
        portfolio.graph()
        .provenance(
            on=s.on,
            year=s.year,
            stage=s.stage,
            allocation=s.allocation,
            include_envelopes=s.include_envelopes,
        )
        .to_records()
    )
    if built_in:
        rows += _built_in_assumptions()
    return {
        "report_version": REPORT_VERSION,
        "portfolio": {"id": portfolio.id, "name": portfolio.name},
        "provenance": rows,
    }


def _built_in_assumptions() -> list[dict[str, Any]]:
    """What the built-in summit's extra report sections rest on."""
    return [
        {
            "kind": "assumption",
            "path": "early_warning",
            "subject": "early-warning rules",
            "statement": "the alert rules (catalog kr_early_warning) are the library's own "
            "choice: a rival's level above Korea's, a rival closer to the leader, Korea's gap "
            "growing; not MSIT's early warning system",
            "source": "",
            "note": "",
        },
        {
            "kind": "assumption",
            "path": "tax_example",
            "subject": "illustrative firm",
            "statement": "the tax-credit example is for an illustrative firm, not a real one",
            "source": "",
            "note": "",
        },
    ]
