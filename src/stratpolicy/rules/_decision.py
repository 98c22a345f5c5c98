"""Decisions: the result of evaluating a rule set on one case.

:meth:`RuleSet.evaluate` returns a :class:`Decision` at once: a read-only ``dict`` of the
outputs, which the compiled function fills, with the checked inputs and the fired flags
kept aside. Everything else is computed when it is read; the
:class:`~stratpolicy.rules.Explanation` (see ``_explanation.py``) only when
:meth:`Decision.explain` is called, by re-running the rules in the tracing interpreter.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NoReturn

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


def _refuse(self: Decision, *args: object, **kwargs: object) -> NoReturn:
    raise TypeError("a Decision is read-only (a snapshot of one evaluation)")


class Decision(dict[str, Any]):
    """The result of evaluating a rule set on one case.

    A decision is a read-only ``dict`` of the outputs that are set (``decision["rd_credit"]``
    is one dictionary look-up; ``in``, ``len``, iteration, ``keys()``, ``items()`` and
    ``get()`` are those of a ``dict``); :attr:`fired` lists the rules that fired;
    :meth:`explain` says why.

    It is a snapshot: changing the facts mapping afterwards changes neither the decision
    nor its explanation. The compiled rule set fills it with its outputs and keeps the
    checked inputs and which rules fired; everything else -- :attr:`inputs`,
    :attr:`fired`, the explanation -- is computed only when it is read.

    Reading an output that is not set raises ``KeyError`` with the reason (no rule set it
    and it has no default, or it is not an output at all). Two decisions are equal when
    their rule sets are equal and their dates, inputs and results are the same; compared
    with a plain ``dict``, a decision is the dict of its outputs.
    """

    __slots__ = ("_state",)

    # (the evaluation context (rule set, date, regime), a bit mask of the inputs not
    # given, the inputs..., one fired flag per rule...): one slot, set by the compiled code
    _state: tuple[Any, ...]

    def __missing__(self, name: object) -> Any:
        if not isinstance(name, str):
            raise TypeError("read a decision's outputs by name: decision['rd_credit']")
        plan = self.rule_set._engine.plan
        if plan.symbols.get(name, ("",))[0] != "output":
            raise KeyError(f"{name!r} is not an output of rule set {self.rule_set.id!r}")
        raise KeyError(f"output {name!r} is not set: no rule set it and it has no default")

    # read-only: a decision is a snapshot
    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    @property
    def _ctx(self) -> Context:
        ctx: Context = self._state[0]
        return ctx

    @property
    def rule_set(self) -> RuleSet:
        """The rule set evaluated."""
        rs: RuleSet = self._state[0].rule_set
        return rs

    @property
    def on(self) -> dt.date:
        """The evaluation date."""
        return self._ctx.on

    @property
    def _regime(self) -> Regime:
        return self._ctx.regime

    @property
    def _gone(self) -> int:
        """Bit ``i`` set: input ``i`` was not given (or was masked)."""
        gone: int = self._state[1]
        return gone

    def _inputs(self) -> tuple[Any, ...]:
        plan = self.rule_set._engine.plan
        return self._state[2 : 2 + len(plan.inputs)]

    def _flags(self) -> tuple[Any, ...]:
        plan = self.rule_set._engine.plan
        return self._state[2 + len(plan.inputs) :]

    @property
    def _values(self) -> tuple[Any, ...]:
        """The inputs, every output (``UNSET`` if not set) and the fired flags, in plan order."""
        plan = self.rule_set._engine.plan
        outputs = tuple(self.get(out.name, UNSET) for out in plan.outputs)
        return (*self._inputs(), *outputs, *self._flags())

    # -- values ----------------------------------------------------------------------------

    @property
    def outputs(self) -> dict[str, Any]:
        """Every output that is set, by name (unset outputs are left out), as a plain dict."""
        return dict(self)

    @property
    def inputs(self) -> dict[str, Any]:
        """The inputs as the rules saw them (converted; defaults filled in; missing left out)."""
        plan = self.rule_set._engine.plan
        values = self._inputs()
        return {i.name: values[i.index] for i in plan.inputs if values[i.index] is not UNSET}

    def __eq__(self, other: object) -> bool:
        """Equal: the same rule set (equal declarations), date, inputs and results."""
        if self is other:
            return True
        if not isinstance(other, Decision):
            return NotImplemented
        return (
            self.on == other.on
            and dict.__eq__(self, other)
            and len(self._state) == len(other._state)
            and all(
                a is b or (a is not UNSET and b is not UNSET and a == b)
                for a, b in zip(self._state[1:], other._state[1:], strict=True)
            )
            and (self.rule_set is other.rule_set or self.rule_set == other.rule_set)
        )

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:  # type: ignore[override]
        return hash((self.rule_set.id, self.on, self._gone))

    def __reduce__(self) -> Any:
        # the rule set, the date and the values: the context is found again on the other
        # side (a rule set pickles by its declarations)
        return (_rebuild_decision, (self.rule_set, self.on, self._gone, self._values))

    def __copy__(self) -> Decision:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Decision:
        return self  # a snapshot that cannot change: a copy would be equal in every way

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
        inputs = list(self._inputs())
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
        shown = ", ".join(f"{k}={format_value(v)}" for k, v in self.items())
        return f"<Decision {self.rule_set.id!r} on {self.on}: {shown}>"

    def _repr_html_(self) -> str:
        """The outputs and the explanation as HTML tables for Jupyter (runs :meth:`explain`)."""
        return self.explain()._repr_html_()


def _rebuild_decision(
    rule_set: RuleSet, on: dt.date, gone: int, values: tuple[Any, ...]
) -> Decision:
    """A decision from its rule set, date and values (unpickling).

    ``values`` are the inputs, every output (``UNSET`` if not set) and the fired flags.
    """
    plan = rule_set._engine.plan
    n_in, n_out = len(plan.inputs), len(plan.outputs)
    outputs = values[n_in : n_in + n_out]
    decision = Decision(
        {o.name: v for o, v in zip(plan.outputs, outputs, strict=True) if v is not UNSET}
    )
    ctx = rule_set._engine.context(on)
    decision._state = (ctx, gone, *values[:n_in], *values[n_in + n_out :])
    return decision
