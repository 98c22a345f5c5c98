"""Decisions: the result of evaluating a rule set on one case.

:meth:`RuleSet.evaluate` returns a :class:`Decision` at once, holding only the flat
tuple the compiled function returned. Its :class:`~stratpolicy.rules.Explanation` (see
``_explanation.py``) is computed only when :meth:`Decision.explain` is called, by
re-running the rules in the tracing interpreter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from stratpolicy._format import format_value
from stratpolicy.rules._explanation import (
    SCHEMA_VERSION,
    Explanation,
    OutputTrace,
    RuleTrace,
    UsedValue,
)
from stratpolicy.rules._interp import Read
from stratpolicy.rules._runtime import UNSET
from stratpolicy.rules._spec import Combine, PythonRule

if TYPE_CHECKING:
    from stratpolicy.rules._engine import Context, Regime
    from stratpolicy.rules._ruleset import RuleSet

__all__ = ["SCHEMA_VERSION", "Decision", "Explanation", "OutputTrace", "RuleTrace", "UsedValue"]


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
