"""The report: a portfolio's analyses for a reader, as data, text or one HTML page.

What ``stratpolicy report`` prints, usable from Python and notebooks: :func:`build_report`
computes every section as plain data (the JSON the command prints with ``--format
json``), :func:`render_text` and :func:`render_html` turn that data into terminal text or a
self-contained HTML page; :func:`build_provenance` and :func:`render_provenance` do the same
for ``stratpolicy provenance``; :func:`comparison_summary` and :func:`results_summary`, with
:func:`render_comparison` and :func:`render_results`, for ``stratpolicy compare`` and
``stratpolicy experiments run``. The report sits on the faces floor, beside
:mod:`stratpolicy.display` and the command line, and uses only the public API of the
floors below it.

Examples:
    >>> from stratpolicy.catalogs import korea
    >>> from stratpolicy.report import build_report, render_text
    >>> summit = korea.summit_2025()
    >>> report = build_report(summit)
    >>> report["report_version"], [s["id"] for s in report["sections"]][:3]
    (2, ['missions', 'instruments', 'incentives'])
    >>> render_text(report).splitlines()[0] == summit.name
    True
"""

from __future__ import annotations

from stratpolicy.report._data import REPORT_VERSION, ReportSettings, build_report
from stratpolicy.report._html import render_html
from stratpolicy.report._provenance import build_provenance
from stratpolicy.report._scenarios import (
    SUMMARY_VERSION,
    comparison_summary,
    render_comparison,
    render_results,
    results_summary,
)
from stratpolicy.report._text import render_provenance, render_text

__all__ = [
    "REPORT_VERSION",
    "SUMMARY_VERSION",
    "ReportSettings",
    "build_provenance",
    "build_report",
    "comparison_summary",
    "render_comparison",
    "render_html",
    "render_provenance",
    "render_results",
    "render_text",
    "results_summary",
]
