"""HTML for the rules engine's results in Jupyter: a decision's explanation."""

from __future__ import annotations

from stratpolicy._format import format_value
from stratpolicy._html import escape, html_table
from stratpolicy.model import Citation
from stratpolicy.rules import Decision, Explanation

__all__ = ["decision_html", "explanation_html"]


def decision_html(decision: Decision) -> str:
    """A decision as its explanation's tables, computed now (``evaluate`` stays fast)."""
    return explanation_html(decision.explain())


def explanation_html(explanation: Explanation) -> str:
    """The explanation as HTML tables for Jupyter: outputs, rules, inputs."""
    traces = {t.rule: t for t in explanation.rules}
    units = {o.name: o.unit for o in explanation.outputs}

    def cite(c: Citation | None) -> str:
        return c.label if c is not None else ""

    outputs = []
    for out in explanation.outputs:
        shown = "not set" if out.value is None else format_value(out.value, out.unit)
        if out.defaulted:
            how = "default (no rule set it)"
        elif out.chosen:
            how = f"rule {out.chosen}"
            if len(out.rules) > 1:
                how += f" ({out.combine} of {', '.join(out.rules)})"
        elif out.rules:
            how = f"{out.combine} of rules {', '.join(out.rules)}"
        else:
            how = ""
        source = traces[out.chosen].citation if out.chosen else None
        outputs.append((out.name, shown, how, cite(source)))
    rules = []
    for rule in explanation.rules:
        if rule.status == "not_in_force":
            span = f"valid {rule.valid_from or '...'} to {rule.valid_to or '...'}"
            rules.append((rule.rule, "not in force", span, "", "", cite(rule.citation)))
            continue
        condition = "always" if rule.condition in ("", "True") else ""
        if not condition:
            condition = (
                f"{' '.join(rule.condition.split())} -> {format_value(rule.condition_value)}"
            )
        sets = "\n".join(
            f"{name} = {format_value(value, units.get(name, ''))}"
            for name, _, value in rule.outputs
        )
        used = "\n".join(u.text() for u in rule.used)
        status = "fired" if rule.status == "fired" else "did not fire"
        rules.append((rule.rule, status, condition, sets, used, cite(rule.citation)))
    inputs = [
        (
            u.name,
            "not given" if u.value is None else format_value(u.value, u.unit),
            "default" if u.defaulted else "",
        )
        for u in explanation.inputs
    ]
    title = f"Decision of rule set {explanation.rule_set!r} on {explanation.on.isoformat()}"
    return (
        f"<div><strong>{escape(title)}</strong>"
        + html_table("Outputs", ("output", "value", "set by", "citation"), outputs)
        + html_table(
            "Rules",
            ("rule", "status", "condition", "sets", "values used", "citation"),
            rules,
        )
        + html_table("Inputs", ("input", "value", ""), inputs)
        + "</div>"
    )
