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

    The firm's semiconductor R&D earns the national-strategic-technology tier (Art.
    10(1)2); the same firm doing quantum R&D instead, which is not on the RSTA's NST list,
    is shown with the credit it is entitled to under the other two tiers: the new-growth
    tier (Art. 10(1)1; quantum computing is on that list with medium confidence) or, if its
    technology is not on that list, the general tier (Art. 10(1)3).
    """
    from stratpolicy.catalogs import korea

    rules = korea.tax_credits()
    decision = rules.evaluate(EXAMPLE_FIRM, on=EXAMPLE_DATE)
    explanation = decision.explain()
    expense = _number(float(EXAMPLE_FIRM["nst_rd_expense"]))
    revenue = _number(float(EXAMPLE_FIRM["revenue"]))
    lines = [
        f"An illustrative SME (not a real firm) with {expense} KRW of R&D on semiconductors",
        f"and {revenue} KRW of revenue, tax year {EXAMPLE_DATE.year}:",
    ]
    for name in ("nst_rd_credit_rate", "nst_rd_credit", "rd_credit"):
        out = explanation.output(name)
        lines.append(f"  {name} = {_number(out.value)}{' ' + out.unit if out.unit else ''}")
    lines += _rule_lines(explanation, "rd_nst_rate", "  ")

    quantum = {k: v for k, v in EXAMPLE_FIRM.items() if k not in ("rsta_field", "nst_rd_expense")}
    as_new_growth_facts = {**quantum, "new_growth_rd_expense": EXAMPLE_FIRM["nst_rd_expense"]}
    as_new_growth = rules.evaluate(as_new_growth_facts, on=EXAMPLE_DATE)
    as_general_facts = {
        **EXAMPLE_FIRM,
        "rsta_field": "other",
        "prior_year_general_rd_expense": 0,
        "prior_4yr_avg_general_rd_expense": 0,
    }
    as_general = rules.evaluate(as_general_facts, on=EXAMPLE_DATE)
    why = as_general.explain().rule("rd_nst_field")
    clauses = "; ".join(
        f"{' '.join(c.split())} -> {'not evaluated' if v is None else str(v).lower()}"
        for c, v in why.clauses
    )
    lines.append("The same firm doing quantum R&D instead gets no NST credit, since quantum is not")
    lines.append("an RSTA NST field; rule rd_nst_field did not fire:")
    lines += _wrap(clauses, "    ")
    lines.append("It is entitled to the credit of another tier:")
    lines += _wrap(
        "(a) as new-growth technology R&D, new_growth_rd_credit = "
        f"{_number(as_new_growth['new_growth_rd_credit'])} KRW, if quantum computing is on the "
        "new-growth list (added in 2018; medium confidence: the annex was not checked for "
        "2021-2026):",
        "  ",
    )
    lines += _rule_lines(as_new_growth.explain(), "rd_new_growth_rate", "      ")
    lines += _wrap(
        "(b) otherwise as general R&D, general_rd_credit = "
        f"{_number(as_general['general_rd_credit'])} KRW (current-year method, assuming no "
        "general R&D in the four preceding years):",
        "  ",
    )
    general = as_general.explain()
    lines += _rule_lines(general, "rd_general_current_year", "      ")
    lines += _rule_lines(general, "rd_general_current_year_rate", "      ", outputs=False)[1:]
    return {
        "title": "Example tax-credit decision (RSTA Art. 10(1) R&D credit, three tiers)",
        "lines": lines,
        "data": {
            "facts": EXAMPLE_FIRM,
            "on": EXAMPLE_DATE.isoformat(),
            "decision": decision.to_dict(),
            "quantum_as_new_growth": {
                "facts": as_new_growth_facts,
                "decision": as_new_growth.to_dict(),
            },
            "quantum_as_general": {"facts": as_general_facts, "decision": as_general.to_dict()},
        },
    }


def _wrap(text: str, indent: str) -> list[str]:
    """``text`` as one line at ``indent``; the report's page wrap breaks it to the width."""
    return [indent + text]


def _rule_lines(explanation: Any, rule_id: str, indent: str, outputs: bool = True) -> list[str]:
    """A fired rule: its citation, what it set (expression = value) and the parameters read."""
    trace = explanation.rule(rule_id)
    cite = f" ({trace.citation.label})" if trace.citation else ""
    lines = [f"{indent}rule {trace.rule}{cite}:"]
    for name, expression, value in trace.outputs if outputs else ():
        text = f"{name} = {' '.join(expression.split())} = {_number(value)}"
        lines += _wrap(text, indent + "  ")
    for used in trace.used:
        if used.kind != "parameter" or used.name == "rsta_nst_fields":
            continue
        label = f"{used.name}[{used.key!r}]" if used.key is not None else used.name
        since = f"from {used.effective_from.isoformat()}; " if used.effective_from else ""
        source = used.citation.label if used.citation else "no citation"
        text = f"parameter {label} = {_number(used.value)} ({since}{source})"
        lines += _wrap(text, indent + "  ")
    return lines


def _number(value: Any) -> str:
    if isinstance(value, float) and abs(value) >= 1:
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
