"""Explanations: why a decision came out as it did (built by :meth:`Decision.explain`).

An :class:`Explanation` holds each output with the rule behind it (:class:`OutputTrace`),
every rule with its condition's truth value and clauses (:class:`RuleTrace`), and the
inputs and parameter values read, with the parameters' effective dates and citations
(:class:`UsedValue`); as text (``str``) or a versioned JSON record (``to_dict``).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

import attrs

from stratpolicy._format import format_value
from stratpolicy.model import Citation

if TYPE_CHECKING:
    pass

__all__ = ["SCHEMA_VERSION", "Explanation", "OutputTrace", "RuleTrace", "UsedValue"]

SCHEMA_VERSION = 1
"""Version of the JSON record :meth:`Explanation.to_dict` writes."""


def _json_value(value: object) -> object:
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _citation_dict(c: Citation | None) -> dict[str, object] | None:
    if c is None:
        return None
    out: dict[str, object] = {"act": c.act, "label": c.label}
    for name in ("article", "clause", "url", "note"):
        if getattr(c, name):
            out[name] = getattr(c, name)
    for name in ("effective_from", "effective_to"):
        value = getattr(c, name)
        if value is not None:
            out[name] = value.isoformat()
    return out


@attrs.frozen(kw_only=True)
class UsedValue:
    """A value that a rule read, with where it comes from.

    Attributes:
        name: The input, parameter or output name.
        kind: ``"input"``, ``"parameter"`` or ``"output"``.
        value: The value (a set parameter's value is a sorted tuple).
        unit: Its unit, if any.
        key: For a keyed parameter, the key looked up.
        effective_from: For a parameter, the first day this value is in force.
        citation: For a parameter, the legal text of this value.
        note: For a parameter, a note on this value.
        defaulted: For an input, whether the default was used.
    """

    name: str
    kind: str
    value: Any
    unit: str = ""
    key: str | None = None
    effective_from: dt.date | None = None
    citation: Citation | None = None
    note: str = ""
    defaulted: bool = False

    def text(self) -> str:
        """One line: ``parameter rd_base_rate['sme'] = 0.4 (in force from ...; citation)``."""
        label = f"{self.name}[{self.key!r}]" if self.key is not None else self.name
        line = f"{self.kind} {label} = {format_value(self.value, self.unit)}"
        if self.defaulted:
            line += " (default)"
        details = []
        if self.kind == "parameter":
            if self.effective_from is not None:
                details.append(f"in force from {self.effective_from.isoformat()}")
            if self.citation is not None:
                cite = self.citation.label
                if self.citation.url:
                    cite += f" <{self.citation.url}>"
                details.append(cite)
            if self.note:
                details.append(f"note: {self.note}")
        if details:
            line += " (" + "; ".join(details) + ")"
        return line

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready mapping."""
        out: dict[str, object] = {
            "name": self.name,
            "kind": self.kind,
            "value": _json_value(self.value),
        }
        if self.unit:
            out["unit"] = self.unit
        if self.key is not None:
            out["key"] = self.key
        if self.effective_from is not None:
            out["effective_from"] = self.effective_from.isoformat()
        if self.citation is not None:
            out["citation"] = _citation_dict(self.citation)
        if self.note:
            out["note"] = self.note
        if self.defaulted:
            out["defaulted"] = True
        return out


@attrs.frozen(kw_only=True)
class RuleTrace:
    """What one rule did in a decision.

    Attributes:
        rule: The rule's id.
        status: ``"fired"``, ``"not_fired"`` (condition false) or ``"not_in_force"``.
        description: The rule's description.
        citation: The rule's citation.
        valid_from: First day the rule is in force.
        valid_to: Last day the rule is in force.
        condition: The condition's text.
        condition_value: Its truth value (``None`` when the rule was not in force).
        clauses: The top-level ``and``/``or`` clauses with their truth values
            (``None``: not evaluated because an earlier clause decided).
        outputs: ``(output, expression, value)`` for each output the rule set.
        used: The values the rule read.
    """

    rule: str
    status: str
    description: str = ""
    citation: Citation | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    condition: str = ""
    condition_value: bool | None = None
    clauses: tuple[tuple[str, bool | None], ...] = ()
    outputs: tuple[tuple[str, str, Any], ...] = ()
    used: tuple[UsedValue, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready mapping."""
        out: dict[str, object] = {"rule": self.rule, "status": self.status}
        if self.description:
            out["description"] = self.description
        if self.citation is not None:
            out["citation"] = _citation_dict(self.citation)
        if self.valid_from is not None:
            out["valid_from"] = self.valid_from.isoformat()
        if self.valid_to is not None:
            out["valid_to"] = self.valid_to.isoformat()
        if self.condition:
            out["condition"] = self.condition
        out["condition_value"] = self.condition_value
        if self.clauses:
            out["clauses"] = [{"clause": c, "value": v} for c, v in self.clauses]
        if self.outputs:
            out["outputs"] = [
                {"output": n, "expression": e, "value": _json_value(v)} for n, e, v in self.outputs
            ]
        if self.used:
            out["used"] = [u.to_dict() for u in self.used]
        return out


@attrs.frozen(kw_only=True)
class OutputTrace:
    """How one output got its value.

    Attributes:
        name: The output's name.
        value: Its value, or ``None`` when it is not set.
        unit: Its unit.
        combine: The combination policy, if any.
        rules: The rules that fired and set it, in combination order.
        chosen: For ``first``/``priority``/single rules, the rule whose value was taken.
        defaulted: Whether no rule set it and the default was used.
    """

    name: str
    value: Any
    unit: str = ""
    combine: str | None = None
    rules: tuple[str, ...] = ()
    chosen: str | None = None
    defaulted: bool = False

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready mapping."""
        out: dict[str, object] = {"name": self.name, "value": _json_value(self.value)}
        if self.unit:
            out["unit"] = self.unit
        if self.combine:
            out["combine"] = self.combine
        out["rules"] = list(self.rules)
        if self.chosen:
            out["chosen"] = self.chosen
        if self.defaulted:
            out["defaulted"] = True
        return out


@attrs.frozen(kw_only=True)
class Explanation:
    """Why a decision came out as it did: outputs, rules, inputs, parameters, citations.

    ``str(explanation)`` is a readable report; :meth:`to_dict` a versioned JSON record.

    Attributes:
        rule_set: The rule set's id.
        on: The evaluation date.
        inputs: Every input, with its value (or none) and whether the default was used.
        outputs: Each output with the rules behind it.
        rules: Every rule with what it did.
    """

    rule_set: str
    on: dt.date
    inputs: tuple[UsedValue, ...]
    outputs: tuple[OutputTrace, ...]
    rules: tuple[RuleTrace, ...]

    def rule(self, rule_id: str) -> RuleTrace:
        """The trace of one rule."""
        for trace in self.rules:
            if trace.rule == rule_id:
                return trace
        raise KeyError(rule_id)

    def output(self, name: str) -> OutputTrace:
        """The trace of one output."""
        for trace in self.outputs:
            if trace.name == name:
                return trace
        raise KeyError(name)

    def to_dict(self) -> dict[str, object]:
        """The explanation as a JSON-ready record with ``schema_version``."""
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "decision",
            "rule_set": self.rule_set,
            "on": self.on.isoformat(),
            "inputs": [u.to_dict() for u in self.inputs],
            "outputs": [o.to_dict() for o in self.outputs],
            "rules": [r.to_dict() for r in self.rules],
        }

    def text(self) -> str:
        """The explanation as a readable report."""
        lines = [f"Decision of rule set {self.rule_set!r} on {self.on.isoformat()}", ""]
        traces = {t.rule: t for t in self.rules}
        units = {o.name: o.unit for o in self.outputs}
        lines.append("Outputs:")
        for out in self.outputs:
            shown = "not set" if out.value is None else format_value(out.value, out.unit)
            lines.append(f"  {out.name} = {shown}")
            if out.defaulted:
                lines.append("    no rule set it: default value")
            elif out.chosen:
                rule = traces[out.chosen]
                cite = f" ({rule.citation.label})" if rule.citation else ""
                how = f", {out.combine} of {', '.join(out.rules)}" if len(out.rules) > 1 else ""
                lines.append(f"    from rule {out.chosen!r}{cite}{how}")
            elif out.rules:
                lines.append(f"    {out.combine} of rules {', '.join(out.rules)}")
        lines.append("")
        lines.append("Rules:")
        for rule in self.rules:
            if rule.status == "not_in_force":
                span = f"{rule.valid_from or '...'} to {rule.valid_to or '...'}"
                lines.append(f"  [not in force] {rule.rule}: valid {span}")
                continue
            tag = "fired" if rule.status == "fired" else "did not fire"
            cite = f" -- {rule.citation.label}" if rule.citation else ""
            lines.append(f"  [{tag}] {rule.rule}{cite}")
            if rule.description:
                lines.append(f"      {rule.description}")
            if rule.condition:
                value = format_value(rule.condition_value)
                lines.append(f"      condition: {' '.join(rule.condition.split())} -> {value}")
                for clause, clause_value in rule.clauses:
                    shown = "not evaluated" if clause_value is None else format_value(clause_value)
                    lines.append(f"        {' '.join(clause.split())} -> {shown}")
            for name, expression, value in rule.outputs:
                expr = f" = {' '.join(expression.split())}" if expression else ""
                lines.append(f"      {name}{expr} = {format_value(value, units.get(name, ''))}")
            if rule.used:
                lines.append("      used:")
                lines.extend(f"        {u.text()}" for u in rule.used)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        """The explanation as HTML tables for Jupyter (see :mod:`stratpolicy.display`)."""
        from stratpolicy.display import explanation_html

        return explanation_html(self)
