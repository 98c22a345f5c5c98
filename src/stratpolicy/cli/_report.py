"""The report's Korean tax example (the built-in summit only).

The report itself is built in ``_report_data.py`` and rendered in ``_text.py`` and
``_html.py``; this module keeps the explained RSTA credit decision for an illustrative firm.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["EXAMPLE_FIRM", "tax_credit_section"]

#: The illustrative firm of the report's tax-credit example (not a real firm; KRW).
EXAMPLE_FIRM: dict[str, Any] = {
    "firm_size": "sme",
    "rsta_field": "semiconductors",
    "nst_rd_expense": 1_000_000_000,
    "revenue": 100_000_000_000,
}
EXAMPLE_DATE = dt.date(2025, 12, 31)


def tax_credit_section() -> dict[str, Any]:
    """An explained RSTA R&D credit decision for an illustrative firm.

    Also the same firm in a field outside the RSTA list, whose explanation says why it gets
    no credit.
    """
    from stratpolicy.catalogs import korea

    rules = korea.tax_credits()
    decision = rules.evaluate(EXAMPLE_FIRM, on=EXAMPLE_DATE)
    explanation = decision.explain()
    lines = [
        "An illustrative SME (not a real firm) with 1,000,000,000 KRW of R&D on semiconductors",
        f"and 100,000,000,000 KRW of revenue, tax year {EXAMPLE_DATE.year}:",
    ]
    for out in explanation.outputs:
        if out.name.startswith("rd_"):
            lines.append(f"  {out.name} = {_number(out.value)}{' ' + out.unit if out.unit else ''}")
    for trace in explanation.rules:
        if trace.status != "fired" or not trace.rule.startswith("rd_"):
            continue
        cite = f" ({trace.citation.label})" if trace.citation else ""
        lines.append(f"  rule {trace.rule}{cite}:")
        for name, expression, value in trace.outputs:
            lines.append(f"    {name} = {' '.join(expression.split())} = {_number(value)}")
        for used in trace.used:
            if used.kind == "parameter" and used.name != "rsta_nst_fields":
                lines.append(f"    {used.text()}")
    other = rules.evaluate({**EXAMPLE_FIRM, "rsta_field": "other"}, on=EXAMPLE_DATE)
    why = next(t for t in other.explain().rules if t.rule == "rd_nst_rate")
    lines.append("The same firm doing R&D in a field outside the RSTA list (e.g. quantum) gets")
    lines.append(
        f"  rd_credit = {_number(other['rd_credit'])}: rule rd_nst_rate did not fire, "
        + "; ".join(
            f"{' '.join(c.split())} -> {'not evaluated' if v is None else str(v).lower()}"
            for c, v in why.clauses
        )
    )
    return {
        "title": "Example tax-credit decision (RSTA national strategic technology R&D credit)",
        "lines": lines,
        "data": {
            "facts": EXAMPLE_FIRM,
            "on": EXAMPLE_DATE.isoformat(),
            "decision": decision.to_dict(),
        },
    }


def _number(value: Any) -> str:
    if isinstance(value, float) and abs(value) >= 1:
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
