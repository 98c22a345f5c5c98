"""Decisions and their explanations.

:meth:`RuleSet.evaluate` returns a :class:`Decision` at once, holding only the flat
tuple the compiled function returned. The :class:`Explanation` -- each output with the
rule behind it, the condition's truth value and clauses, the inputs and parameter values
read, the parameters' effective dates and citations -- is computed only when
:meth:`Decision.explain` is called, by re-running the rules in the tracing interpreter.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from stratpolicy.model import Citation
from stratpolicy.rules._interp import Read
from stratpolicy.rules._runtime import UNSET, format_value
from stratpolicy.rules._spec import Combine, PythonRule

if TYPE_CHECKING:
    from stratpolicy.rules._engine import Context, Regime
    from stratpolicy.rules._ruleset import RuleSet

__all__ = [
    "SCHEMA_VERSION",
    "Decision",
    "Explanation",
    "OutputTrace",
    "RuleTrace",
    "UsedValue",
]

SCHEMA_VERSION = 1
"""Version of the JSON record :meth:`Explanation.to_dict` writes."""


def _json_value(value: object) -> object:
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
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
        """The explanation as HTML tables for Jupyter: outputs, rules, inputs."""
        traces = {t.rule: t for t in self.rules}
        units = {o.name: o.unit for o in self.outputs}

        def cite(c: Citation | None) -> str:
            return c.label if c is not None else ""

        outputs = []
        for out in self.outputs:
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
        for rule in self.rules:
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
            for u in self.inputs
        ]
        title = f"Decision of rule set {self.rule_set!r} on {self.on.isoformat()}"
        return (
            f"<div><strong>{html.escape(title)}</strong>"
            + _html_table("Outputs", ("output", "value", "set by", "citation"), outputs)
            + _html_table(
                "Rules",
                ("rule", "status", "condition", "sets", "values used", "citation"),
                rules,
            )
            + _html_table("Inputs", ("input", "value", ""), inputs)
            + "</div>"
        )


def _html_table(title: str, columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(cell).replace(chr(10), '<br>')}</td>" for cell in row)
        + "</tr>"
        for row in rows
    )
    return f"<p>{html.escape(title)}</p><table><tr>{head}</tr>{body}</table>"


_item = tuple.__getitem__


class Decision(tuple):  # type: ignore[type-arg]
    """The result of evaluating a rule set on one case.

    Outputs are read like a mapping (``decision["rd_credit"]``, ``"rd_credit" in
    decision``, iteration over the names of the outputs that are set); :attr:`fired`
    lists the rules that fired; :meth:`explain` says why.

    (For speed a decision is built by the compiled rule set in one step, as a tuple of
    its context, which facts were missing, and the checked and computed values -- a
    snapshot: changing the facts mapping afterwards changes neither the decision nor its
    explanation. Use the properties, not indexes.)
    """

    __slots__ = ()

    @property
    def _ctx(self) -> Context:
        ctx: Context = _item(self, 0)
        return ctx

    @property
    def _gone(self) -> int:
        """Bit ``i`` set: input ``i`` was not given (or was masked)."""
        gone: int = _item(self, 1)
        return gone

    @property
    def _values(self) -> tuple[Any, ...]:
        values: tuple[Any, ...] = _item(self, slice(2, None))
        return values

    @property
    def rule_set(self) -> RuleSet:
        """The rule set evaluated."""
        rs: RuleSet = self._ctx.rule_set
        return rs

    @property
    def on(self) -> dt.date:
        """The evaluation date."""
        return self._ctx.on

    @property
    def _regime(self) -> Regime:
        return self._ctx.regime

    # -- values ----------------------------------------------------------------------------

    @property
    def outputs(self) -> dict[str, Any]:
        """Every output that is set, by name (unset outputs are left out)."""
        plan = self.rule_set._engine.plan
        base = len(plan.inputs)
        return {
            out.name: self._values[base + out.index]
            for out in plan.outputs
            if self._values[base + out.index] is not UNSET
        }

    @property
    def inputs(self) -> dict[str, Any]:
        """The inputs as the rules saw them (converted; defaults filled in; missing left out)."""
        plan = self.rule_set._engine.plan
        return {
            i.name: self._values[i.index] for i in plan.inputs if self._values[i.index] is not UNSET
        }

    def __getitem__(self, name: str) -> Any:  # type: ignore[override]
        if not isinstance(name, str):
            raise TypeError("read a decision's outputs by name: decision['rd_credit']")
        plan = self.rule_set._engine.plan
        kind, index = plan.symbols.get(name, ("", -1))
        if kind != "output":
            raise KeyError(f"{name!r} is not an output of rule set {self.rule_set.id!r}")
        value = self._values[len(plan.inputs) + index]
        if value is UNSET:
            raise KeyError(f"output {name!r} is not set: no rule set it and it has no default")
        return value

    def get(self, name: str, default: Any = None) -> Any:
        """An output's value, or ``default`` when it is not set."""
        try:
            return self[name]
        except KeyError:
            return default

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.outputs

    def __iter__(self) -> Iterator[str]:
        return iter(self.outputs)

    def __len__(self) -> int:
        return len(self.outputs)

    def __eq__(self, other: object) -> bool:
        """Equal: the same rule set (equal declarations), date, inputs and results."""
        if self is other:
            return True
        if not isinstance(other, Decision):
            return NotImplemented
        mine, theirs = self._values, other._values
        return (
            self.on == other.on
            and self._gone == other._gone
            and len(mine) == len(theirs)
            and all(
                a is b or (a is not UNSET and b is not UNSET and a == b)
                for a, b in zip(mine, theirs, strict=True)
            )
            and (self.rule_set is other.rule_set or self.rule_set == other.rule_set)
        )

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((self.rule_set.id, self.on, self._gone))

    def __reduce__(self) -> Any:
        # the rule set (sent as its declarations; see RuleSet.digest), the date and the
        # values: the context is found again on the other side
        return (_rebuild_decision, (self.rule_set, self.on, self._gone, self._values))

    def __copy__(self) -> Decision:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Decision:
        return _rebuild_decision(self.rule_set, self.on, self._gone, self._values)

    def _flags(self) -> tuple[Any, ...]:
        plan = self.rule_set._engine.plan
        return self._values[len(plan.inputs) + len(plan.outputs) :]

    @property
    def fired(self) -> tuple[str, ...]:
        """Ids of the rules that fired."""
        plan = self.rule_set._engine.plan
        return tuple(r.id for r, f in zip(plan.rules, self._flags(), strict=True) if f)

    @property
    def not_fired(self) -> tuple[str, ...]:
        """Ids of the rules in force whose condition was false."""
        plan = self.rule_set._engine.plan
        active = self._regime.active
        return tuple(
            r.id
            for r, f in zip(plan.rules, self._flags(), strict=True)
            if active[r.index] and not f
        )

    @property
    def not_in_force(self) -> tuple[str, ...]:
        """Ids of the rules whose validity dates exclude the evaluation date."""
        plan = self.rule_set._engine.plan
        return tuple(r.id for r in plan.rules if not self._regime.active[r.index])

    # -- explanation -------------------------------------------------------------------

    def explain(self) -> Explanation:
        """Explain every output: the rules, their conditions, the values and citations used."""
        engine = self.rule_set._engine
        plan = engine.plan
        on = self.on
        inputs = list(self._values[: len(plan.inputs)])
        run = engine.interpret(inputs, on, self._regime, trace=True)
        params = self._regime.params

        def used(read: Read) -> UsedValue:
            kind, index = plan.symbols[read.name]
            if kind == "input":
                info = plan.inputs[index]
                return UsedValue(name=read.name, kind="input", value=read.value, unit=info.unit)
            if kind == "output":
                out = plan.outputs[index]
                return UsedValue(name=read.name, kind="output", value=read.value, unit=out.unit)
            resolved = params[index]
            assert resolved is not None
            value = read.value
            if isinstance(value, frozenset):
                value = tuple(sorted(value))
            return UsedValue(
                name=read.name,
                kind="parameter",
                value=value,
                unit=resolved.unit,
                key=read.key,
                effective_from=resolved.start,
                citation=resolved.citation,
                note=resolved.note,
            )

        rules = []
        for info, rr in zip(plan.rules, run.rules, strict=True):
            rule = info.rule
            condition = "" if isinstance(rule, PythonRule) else rule.condition.strip()
            outputs: tuple[tuple[str, str, Any], ...] = ()
            if rr.status == "fired":
                outputs = tuple(
                    (plan.outputs[k].name, text, value)
                    for (k, _, text), value in zip(info.outputs, rr.values, strict=True)
                )
            rules.append(
                RuleTrace(
                    rule=info.id,
                    status=rr.status,
                    description=rule.description,
                    citation=rule.citation,
                    valid_from=rule.valid_from,
                    valid_to=rule.valid_to,
                    condition=condition,
                    condition_value=rr.condition if rr.status != "not_in_force" else None,
                    clauses=tuple(rr.clauses),
                    outputs=outputs,
                    used=tuple(used(r) for r in rr.reads),
                )
            )
        out_traces = []
        for out in plan.outputs:
            value = run.outputs[out.index]
            fired = [
                plan.rules[r].id
                for r, _ in out.order
                if self._regime.active[r] and run.rules[r].status == "fired"
            ]
            chosen = None
            if fired and out.combine not in (Combine.SUM, Combine.MAX, Combine.MIN):
                chosen = fired[0]
            out_traces.append(
                OutputTrace(
                    name=out.name,
                    value=None if value is UNSET else value,
                    unit=out.unit,
                    combine=out.combine.value if out.combine is not None else None,
                    rules=tuple(fired),
                    chosen=chosen,
                    defaulted=not fired and value is not UNSET,
                )
            )
        given = []
        for input_info in plan.inputs:
            value = inputs[input_info.index]
            given.append(
                UsedValue(
                    name=input_info.name,
                    kind="input",
                    value=None if value is UNSET else value,
                    unit=input_info.unit,
                    defaulted=bool(self._gone >> input_info.index & 1)
                    and input_info.default is not None,
                )
            )
        return Explanation(
            rule_set=self.rule_set.id,
            on=on,
            inputs=tuple(given),
            outputs=tuple(out_traces),
            rules=tuple(rules),
        )

    def to_dict(self) -> dict[str, object]:
        """The decision and its explanation as a versioned JSON record."""
        return self.explain().to_dict()

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={format_value(v)}" for k, v in self.outputs.items())
        return f"<Decision {self.rule_set.id!r} on {self.on}: {shown}>"

    def _repr_html_(self) -> str:
        """The outputs and the explanation as HTML tables for Jupyter (runs :meth:`explain`)."""
        return self.explain()._repr_html_()


def _rebuild_decision(
    rule_set: RuleSet, on: dt.date, gone: int, values: tuple[Any, ...]
) -> Decision:
    """A decision from its rule set, date and values (unpickling, deep copies)."""
    ctx = rule_set._engine.context(on)
    return Decision((ctx, gone, *values))
