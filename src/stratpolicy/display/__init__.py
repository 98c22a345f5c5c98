"""Display: HTML and text for notebooks and readers, and plots (the faces floor).

Everything the library shows a person lives here, above the engines, so that the model,
the rules engine and the graph hold no rendering code: their ``_repr_html_`` (and a result
table's ``repr``) are two-line doors that import this package when an object is shown, in
the same way as ``Portfolio.graph()`` imports the graph engine when first asked.

The functions take the library's public objects and return text; call them directly to
put the same HTML in a page of your own:

- :func:`portfolio_html`, :func:`mission_html`: the model's objects;
- :func:`decision_html`, :func:`explanation_html`: a decision and why;
- :func:`graph_html`, :func:`table_html`, :func:`table_text`: the mission graph and its
  result tables; :func:`plot_graph` draws the graph with matplotlib (what
  ``MissionGraph.plot`` does);
- :func:`reform_html`, :func:`population_html`, :func:`comparison_html`,
  :func:`portfolio_comparison_html`, :func:`results_html`: the scenarios' objects;
  :func:`plot_comparison` draws a comparison's change by group (what ``Comparison.plot``
  does);
- :func:`format_value`, :func:`format_money`, :func:`format_percent`,
  :func:`format_quantity`, :func:`format_figure`: values written for a reader
  (``35.5 trillion KRW``, ``58 %``). The file spelling of an amount, which reads back equal, is
  :func:`stratpolicy.units.format_amount`.

Examples:
    >>> from stratpolicy.catalogs import korea
    >>> from stratpolicy.display import format_money, mission_html
    >>> mission_html(korea.summit_2025().mission("ai_transformation")).startswith("<div>")
    True
    >>> format_money(35.5e12, "KRW")
    '35.5 trillion KRW'
"""

from __future__ import annotations

from stratpolicy._format import (
    format_figure,
    format_money,
    format_percent,
    format_quantity,
    format_value,
)
from stratpolicy.display._graph import graph_html, table_html, table_text
from stratpolicy.display._model import mission_html, portfolio_html
from stratpolicy.display._plot import plot_comparison, plot_graph
from stratpolicy.display._rules import decision_html, explanation_html
from stratpolicy.display._scenarios import (
    comparison_html,
    population_html,
    portfolio_comparison_html,
    reform_html,
    results_html,
)

__all__ = [
    "comparison_html",
    "decision_html",
    "explanation_html",
    "format_figure",
    "format_money",
    "format_percent",
    "format_quantity",
    "format_value",
    "graph_html",
    "mission_html",
    "plot_comparison",
    "plot_graph",
    "population_html",
    "portfolio_comparison_html",
    "portfolio_html",
    "reform_html",
    "results_html",
    "table_html",
    "table_text",
]
