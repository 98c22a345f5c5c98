"""Reforms: dated changes of a rule set's parameters and rules, or of a portfolio, as data.

A :class:`Reform` is a document of the file format (``document: reform``) and an object:
parameter overrides with explicit periods, set members added and removed, rules added,
replaced and removed, new inputs, categories and parameters, and portfolio changes
(instruments added or ended, budgets changed, support links added) -- the classes of
:mod:`._changes`. It names its source (a :class:`~stratpolicy.model.Citation`) or says
``hypothetical: true``.

``reform.apply(rule_set)`` and ``reform.apply(portfolio)`` give new, checked objects;
``reform_a | reform_b`` composes two reforms, refusing conflicts. The exact semantics of
the periods are those of :mod:`._schedule`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, overload

import attrs

from stratpolicy._checks import Checker, describe
from stratpolicy.errors import (
    DataError,
    Problem,
    UnknownReferenceError,
    ValidationError,
)
from stratpolicy.model import Citation, Instrument, Portfolio
from stratpolicy.rules import Input, Output, Parameter, ParameterSet, ParameterValue, RuleSet
from stratpolicy.scenarios._changes import (
    BudgetChange,
    CategoryChange,
    InstrumentEnd,
    ParameterOverride,
    PortfolioChanges,
    RuleChanges,
    SupportChange,
    _categories,
    _hint,
    _inputs,
    _outputs,
    _overrides,
    _parameters,
    _strings,
)
from stratpolicy.scenarios._schedule import ScheduleError, apply_override

__all__ = [
    "BudgetChange",
    "CategoryChange",
    "InstrumentEnd",
    "ParameterOverride",
    "PortfolioChanges",
    "Reform",
    "RuleChanges",
    "SupportChange",
]


def _reforms(items: Iterable[Reform]) -> tuple[Reform, ...]:
    return tuple(items)


def _prefix(composed: bool, i: int) -> str:
    """The path prefix of part ``i`` of a composition (none for a single reform)."""
    return f"parts[{i}]." if composed else ""


# -- the reform -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Reform:
    """A reform of a rule set or a portfolio, as data: dated, cited or marked hypothetical.

    Attributes:
        id: The reform's id (free text without control characters).
        name: A short name.
        description: What it does and why.
        citation: The legal or policy text it implements (a bill, an announcement).
        hypothetical: ``True`` for a what-if that no text proposes. A reform needs a
            citation, or ``hypothetical: true``, or both (a cited announcement whose
            numbers are illustrative).
        assumptions: Every assumption the reform makes, in words (an assumed start date,
            an illustrative value); carried into comparisons and experiment results.
        applies_to: Ids of the rule sets or portfolios it is written for (empty: any).
        parameters: Dated parameter overrides (see :class:`ParameterOverride`).
        new_parameters: Parameters added (read by added rules).
        new_inputs: Inputs added (with defaults, so that older data still evaluates).
        new_outputs: Output declarations added (needed for bool and category outputs).
        categories: Categories added to category inputs.
        rules: Rules added, replaced and removed.
        portfolio: Changes of a portfolio.
        parts: For a composition (``a | b``): the reforms composed; then no changes of
            its own.

    Composition, ``a | b``: both reforms apply; they must not conflict -- no two changes of
    the same thing on a common day (the same parameter, or key, or set member added by one
    and removed by the other; the same rule; the same instrument's end, budget year and
    stage, or support; a parameter, input or output added by both). A conflict is an error
    naming both reforms and both changes. Without conflicts the order does not matter.

    Examples:
        >>> import datetime as dt
        >>> r = Reform(id="demo", name="Demo", hypothetical=True, parameters=[
        ...     ParameterOverride(parameter="cap", value=0.2, start=dt.date(2026, 1, 1))])
        >>> r.describe().splitlines()[0]
        'Reform demo: Demo (hypothetical)'
    """

    id: str
    name: str
    description: str = ""
    citation: Citation | None = None
    hypothetical: bool = False
    assumptions: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    applies_to: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    parameters: tuple[ParameterOverride, ...] = attrs.field(default=(), converter=_overrides)
    new_parameters: tuple[Parameter, ...] = attrs.field(default=(), converter=_parameters)
    new_inputs: tuple[Input, ...] = attrs.field(default=(), converter=_inputs)
    new_outputs: tuple[Output, ...] = attrs.field(default=(), converter=_outputs)
    categories: tuple[CategoryChange, ...] = attrs.field(default=(), converter=_categories)
    rules: RuleChanges = attrs.field(factory=RuleChanges)
    portfolio: PortfolioChanges = attrs.field(factory=PortfolioChanges)
    parts: tuple[Reform, ...] = attrs.field(default=(), converter=_reforms)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.non_empty("id", self.id)
        check.non_empty("name", self.name)
        check.texts(self)
        if self.parts:
            if self._has_own_changes() or self.citation is not None or self.hypothetical:
                check.add(
                    "parts",
                    "a composition holds no changes, citation or hypothetical flag of its own: "
                    "each part carries its own",
                )
            for i, part in enumerate(self.parts):
                if not isinstance(part, Reform):
                    check.add(f"parts[{i}]", f"must be a Reform, got {describe(part)}")
                elif part.parts:
                    check.add(f"parts[{i}]", "a part is not itself a composition: list its parts")
                else:
                    part._check_duplicate_ids(check, f"parts[{i}]", self.parts[:i])
        else:
            if self.citation is None and not self.hypothetical:
                check.add(
                    "citation",
                    "a reform needs a citation (the text it implements) or 'hypothetical: "
                    "true' (a what-if no text proposes)",
                )
            if not self._has_own_changes():
                check.add("", "a reform must change something")
        if not check.problems:
            self._check_conflicts(check)
        check.done()

    # -- structure ------------------------------------------------------------------------

    def _has_own_changes(self) -> bool:
        return bool(
            self.parameters
            or self.new_parameters
            or self.new_inputs
            or self.new_outputs
            or self.categories
            or self.rules
            or self.portfolio
        )

    @property
    def components(self) -> tuple[Reform, ...]:
        """The reforms that apply: the parts of a composition, or the reform itself."""
        return self.parts or (self,)

    @property
    def is_hypothetical(self) -> bool:
        """Whether the reform, or any part of it, is hypothetical."""
        return any(part.hypothetical for part in self.components)

    @property
    def changes_rule_set(self) -> bool:
        """Whether the reform changes a rule set (parameters, rules, inputs, outputs)."""
        return any(
            p.parameters
            or p.new_parameters
            or p.new_inputs
            or p.new_outputs
            or p.categories
            or p.rules
            for p in self.components
        )

    @property
    def changes_portfolio(self) -> bool:
        """Whether the reform changes a portfolio."""
        return any(bool(p.portfolio) for p in self.components)

    def all_assumptions(self) -> tuple[str, ...]:
        """Every part's assumptions, each prefixed with the part's id for a composition."""
        if not self.parts:
            return self.assumptions
        return tuple(f"{p.id}: {a}" for p in self.parts for a in p.assumptions)

    # -- composition ------------------------------------------------------------------------

    def __or__(self, other: Reform) -> Reform:
        """Compose two reforms (see the class documentation); conflicts raise.

        Raises:
            ValidationError: The two reforms change the same thing on a common day.
        """
        if not isinstance(other, Reform):
            return NotImplemented
        parts = (*self.components, *other.components)
        return Reform(
            id="+".join(p.id for p in parts),
            name=" | ".join(p.name for p in parts),
            description="Composition of " + ", ".join(repr(p.id) for p in parts) + ".",
            applies_to=tuple(dict.fromkeys(a for p in parts for a in p.applies_to)),
            parts=parts,
        )

    def _changes(self) -> list[tuple[str, str, object]]:
        """(kind, path, key) of every change that two reforms may not both make."""
        out: list[tuple[str, str, object]] = []
        for i, p in enumerate(self.new_parameters):
            out.append(("parameter", f"new_parameters[{i}]", p.name))
        for i, inp in enumerate(self.new_inputs):
            out.append(("input", f"new_inputs[{i}]", inp.name))
        for i, o in enumerate(self.new_outputs):
            out.append(("output", f"new_outputs[{i}]", o.name))
        for rule_id, where in self.rules.ids().items():
            out.append(("rule", f"rules.{where}", rule_id))
        for name, keys in self.portfolio._keys().items():
            for i, key in enumerate(keys):
                out.append((name, f"portfolio.{name}[{i}]", key))
        return out

    def _check_duplicate_ids(self, check: Checker, prefix: str, before: Iterable[Reform]) -> None:
        for other in before:
            if other.id == self.id:
                check.add(f"{prefix}.id", f"reform {self.id!r} is composed twice")

    def _check_conflicts(self, check: Checker) -> None:
        parts = self.components
        composed = bool(self.parts)

        def prefix(i: int) -> str:
            return _prefix(composed, i)

        # parameter overrides, within and across parts
        flat = [(i, j, o) for i, part in enumerate(parts) for j, o in enumerate(part.parameters)]
        for x in range(len(flat)):
            i, j, a = flat[x]
            for y in range(x):
                k, m, b = flat[y]
                if not a.conflicts_with(b):
                    continue
                other = f"{prefix(k)}parameters[{m}]"
                both = f"both change {a.target} ({a.period} and {b.period})"
                if k == i:
                    message = f"conflicts with {other}: {both}"
                else:
                    message = (
                        f"reform {parts[i].id!r} conflicts with reform {parts[k].id!r} "
                        f"({other}): {both}"
                    )
                check.add(f"{prefix(i)}parameters[{j}]", message)
        # everything else: the same key in two parts
        seen: dict[tuple[str, object], tuple[int, str]] = {}
        for i, part in enumerate(parts):
            for kind, path, key in part._changes():
                found = seen.get((kind, key))
                if found is not None and found[0] != i:
                    k, other_path = found
                    check.add(
                        f"{prefix(i)}{path}",
                        f"reform {parts[i].id!r} conflicts with reform {parts[k].id!r} "
                        f"({prefix(k)}{other_path}): both change {kind.replace('_', ' ')} "
                        f"{describe(key) if not isinstance(key, str) else repr(key)}",
                    )
                seen.setdefault((kind, key), (i, path))

    # -- application ------------------------------------------------------------------------

    @overload
    def apply(self, target: RuleSet) -> RuleSet: ...
    @overload
    def apply(self, target: Portfolio) -> Portfolio: ...
    def apply(self, target: RuleSet | Portfolio) -> RuleSet | Portfolio:
        """The reformed rule set or portfolio: a new object, checked like any other.

        A rule set takes the reform's parameter, input, output and rule changes; a
        portfolio its portfolio changes. The reformed rule set keeps its id.

        Raises:
            UnknownReferenceError: A parameter, key, member, input, rule or instrument the
                reform names does not exist (the path says where in the reform).
            ValidationError: A change does not fit (the wrong kind of change for the
                parameter, a relative change where the baseline has no value, a schedule
                with a hole, an added rule whose id exists, a reform written for another
                rule set or portfolio, no change for this kind of object).
            DataError: The reformed object does not check (an added rule that does not
                type-check raises ``ExpressionError``, say).
        """
        if isinstance(target, RuleSet):
            return self._apply_rule_set(target, schema_only=False)
        if isinstance(target, Portfolio):
            return self._apply_portfolio(target)
        raise TypeError(f"a reform applies to a RuleSet or a Portfolio, not {describe(target)}")

    def widen(self, rule_set: RuleSet) -> RuleSet:
        """The rule set with only this reform's new inputs and categories.

        The baseline's rules neither read the new inputs nor list the new categories, so it
        decides as before; but it accepts data described as finely as the reformed rule set
        does. :func:`~stratpolicy.scenarios.compare` evaluates the baseline widened, so that
        one population serves both rule sets. Without such changes: ``rule_set`` itself.
        """
        self._check_target(rule_set.id, "rule set")
        if not any(p.new_inputs or p.categories for p in self.components):
            return rule_set
        return self._apply_rule_set(rule_set, schema_only=True)

    def _check_target(self, obj_id: str, what: str, changes: bool = True, other: str = "") -> None:
        """Refuse a target the reform is not written for, or has no change of."""
        if self.applies_to and obj_id not in self.applies_to:
            raise ValidationError(
                [
                    Problem(
                        "applies_to",
                        f"reform {self.id!r} is written for {', '.join(map(repr, self.applies_to))}"
                        f", not {what} {obj_id!r}",
                    )
                ]
            )
        if not changes:
            raise ValidationError(
                [Problem("", f"reform {self.id!r} has no change of a {what} (only of a {other})")]
            )

    def _apply_rule_set(self, rs: RuleSet, *, schema_only: bool) -> RuleSet:
        self._check_target(rs.id, "rule set", self.changes_rule_set, "portfolio")
        source = f"reform {self.id!r} applied to rule set {rs.id!r}"
        parts = self.components
        composed = bool(self.parts)

        def prefix(i: int) -> str:
            return _prefix(composed, i)

        problems: list[Problem] = []
        inputs = list(rs.inputs)
        outputs = list(rs.outputs)
        # 1. schema: new inputs, then categories
        for i, part in enumerate(parts):
            names = {x.name for x in inputs} | {o.name for o in outputs} | set(rs.output_names)
            for j, new in enumerate(part.new_inputs):
                if new.name in names or new.name in rs.parameters:
                    problems.append(
                        Problem(f"{prefix(i)}new_inputs[{j}].name", f"{new.name!r} exists already")
                    )
                else:
                    inputs.append(new)
        for i, part in enumerate(parts):
            for j, change in enumerate(part.categories):
                at = next((k for k, x in enumerate(inputs) if x.name == change.input), None)
                if at is None:
                    known = [x.name for x in inputs]
                    problems.append(
                        Problem(
                            f"{prefix(i)}categories[{j}].input",
                            f"no input {change.input!r}{_hint(change.input, known)}",
                            UnknownReferenceError,
                        )
                    )
                    continue
                current = inputs[at]
                if not current.categories:
                    problems.append(
                        Problem(
                            f"{prefix(i)}categories[{j}].input",
                            f"input {change.input!r} is a {current.type.value}, not a category",
                        )
                    )
                    continue
                extra = [c for c in change.add if c not in current.categories]
                grown: Any = (*current.categories, *extra)
                inputs[at] = attrs.evolve(current, categories=grown)
        if problems:
            raise DataError.from_problems(problems, source=source)
        if schema_only:
            widened: RuleSet = _build(attrs.evolve, rs, source, inputs=tuple(inputs))
            return widened
        # 2. outputs and parameters added
        params: dict[str, Parameter] = {p.name: p for p in rs.parameters}
        for i, part in enumerate(parts):
            for j, out in enumerate(part.new_outputs):
                if any(o.name == out.name for o in outputs) or any(
                    x.name == out.name for x in inputs
                ):
                    problems.append(
                        Problem(
                            f"{prefix(i)}new_outputs[{j}].name", f"{out.name!r} is declared already"
                        )
                    )
                else:
                    outputs.append(out)
            for j, new_param in enumerate(part.new_parameters):
                if new_param.name in params:
                    problems.append(
                        Problem(
                            f"{prefix(i)}new_parameters[{j}].name",
                            f"parameter {new_param.name!r} exists already; override it instead",
                        )
                    )
                else:
                    params[new_param.name] = new_param
        # 3. overrides
        categories: set[str] = set()
        for declared in inputs:
            categories.update(declared.categories)
        for out_declared in outputs:
            categories.update(out_declared.categories)
        for i, part in enumerate(parts):
            for j, override in enumerate(part.parameters):
                path = f"{prefix(i)}parameters[{j}]"
                try:
                    params[override.parameter] = _override(params, override, part, categories, path)
                except DataError as exc:
                    problems.extend(exc.problems)
        # 4. rules
        rules = list(rs.rules)
        python_rules = list(rs.python_rules)
        for i, part in enumerate(parts):
            changes = part.rules
            ids = [r.id for r in rules]
            for j, rule_id in enumerate(changes.remove):
                if rule_id in ids:
                    rules = [r for r in rules if r.id != rule_id]
                elif any(r.id == rule_id for r in python_rules):
                    python_rules = [r for r in python_rules if r.id != rule_id]
                else:
                    problems.append(_no_rule(f"{prefix(i)}rules.remove[{j}]", rule_id, ids))
            for j, rule in enumerate(changes.replace):
                at = next((k for k, r in enumerate(rules) if r.id == rule.id), None)
                if at is None:
                    problems.append(_no_rule(f"{prefix(i)}rules.replace[{j}].id", rule.id, ids))
                else:
                    rules[at] = rule
            for j, rule in enumerate(changes.add):
                if rule.id in ids or any(r.id == rule.id for r in python_rules):
                    problems.append(
                        Problem(
                            f"{prefix(i)}rules.add[{j}].id",
                            f"rule {rule.id!r} exists already; replace it instead",
                        )
                    )
                else:
                    rules.append(rule)
        if problems:
            raise DataError.from_problems(problems, source=source)
        reformed: RuleSet = _build(
            attrs.evolve,
            rs,
            source,
            inputs=tuple(inputs),
            outputs=tuple(outputs),
            parameters=ParameterSet(parameters=tuple(params.values())),
            rules=tuple(rules),
            python_rules=tuple(python_rules),
        )
        return reformed

    def _apply_portfolio(self, portfolio: Portfolio) -> Portfolio:
        self._check_target(portfolio.id, "portfolio", self.changes_portfolio, "rule set")
        source = f"reform {self.id!r} applied to portfolio {portfolio.id!r}"
        parts = self.components
        composed = bool(self.parts)

        def prefix(i: int) -> str:
            return _prefix(composed, i)

        problems: list[Problem] = []
        instruments = {ins.id: ins for ins in portfolio.instruments}
        added: list[Instrument] = []
        for i, part in enumerate(parts):
            changes = part.portfolio
            for j, new in enumerate(changes.add_instruments):
                if new.id in portfolio:
                    problems.append(
                        Problem(
                            f"{prefix(i)}portfolio.add_instruments[{j}].id",
                            f"{new.id!r} exists already in portfolio {portfolio.id!r}",
                        )
                    )
                else:
                    added.append(new)
        known = {**instruments, **{a.id: a for a in added}}

        def find(path: str, ins_id: str) -> Instrument | None:
            found = known.get(ins_id)
            if found is None:
                problems.append(
                    Problem(
                        path,
                        f"no instrument {ins_id!r} in portfolio {portfolio.id!r}"
                        f"{_hint(ins_id, known)}",
                        UnknownReferenceError,
                    )
                )
            return found

        for i, part in enumerate(parts):
            changes = part.portfolio
            for j, end in enumerate(changes.end_instruments):
                path = f"{prefix(i)}portfolio.end_instruments[{j}]"
                ins = find(f"{path}.instrument", end.instrument)
                if ins is None:
                    continue
                if ins.start is not None and end.on < ins.start:
                    problems.append(
                        Problem(
                            f"{path}.on",
                            f"{end.on.isoformat()} is before the instrument's start "
                            f"{ins.start.isoformat()}",
                        )
                    )
                    continue
                known[ins.id] = _evolve(ins, path, problems, end=end.on)
            for j, change in enumerate(changes.budgets):
                path = f"{prefix(i)}portfolio.budgets[{j}]"
                ins = find(f"{path}.instrument", change.instrument)
                if ins is None:
                    continue
                entry = change.budget
                kept = tuple(
                    b
                    for b in ins.budget
                    if (b.year, b.stage_label) != (entry.year, entry.stage_label)
                )
                known[ins.id] = _evolve(ins, path, problems, budget=(*kept, entry))
            for j, support in enumerate(changes.add_supports):
                path = f"{prefix(i)}portfolio.add_supports[{j}]"
                ins = find(f"{path}.instrument", support.instrument)
                if ins is None:
                    continue
                known[ins.id] = _evolve(
                    ins, path, problems, supports=(*ins.supports, support.support)
                )
        if problems:
            raise DataError.from_problems(problems, source=source)
        new_instruments = tuple(known[ins.id] for ins in portfolio.instruments) + tuple(
            known[a.id] for a in added
        )
        try:
            return portfolio.evolve(instruments=new_instruments)
        except DataError as exc:
            raise DataError.from_problems(exc.problems, source=source) from None

    # -- display --------------------------------------------------------------------------

    def describe(self) -> str:
        """The reform in words: its name, source or hypothesis, and every change."""
        lines = []
        for part in self.components:
            tag = " (hypothetical)" if part.hypothetical else ""
            lines.append(f"Reform {part.id}: {part.name}{tag}")
            if part.citation is not None:
                lines.append(f"  source: {part.citation.label}")
            for override in part.parameters:
                lines.append(f"  parameter {override.describe()}")
            for p in part.new_parameters:
                lines.append(f"  new parameter {p.name}")
            for inp in part.new_inputs:
                lines.append(f"  new input {inp.name}")
            for change in part.categories:
                lines.append(f"  input {change.input} += [{', '.join(change.add)}]")
            for rule in part.rules.add:
                lines.append(f"  rule added {rule.id}")
            for rule in part.rules.replace:
                lines.append(f"  rule replaced {rule.id}")
            for rule_id in part.rules.remove:
                lines.append(f"  rule removed {rule_id}")
            pc = part.portfolio
            for ins in pc.add_instruments:
                lines.append(f"  instrument added {ins.id}")
            for end in pc.end_instruments:
                lines.append(f"  instrument {end.instrument} ends {end.on.isoformat()}")
            for b in pc.budgets:
                lines.append(
                    f"  budget of {b.instrument} {b.budget.year} ({b.budget.stage_label}) set"
                )
            for s in pc.add_supports:
                lines.append(f"  {s.instrument} supports {s.support.technology}")
            for a in part.assumptions:
                lines.append(f"  assumption: {a}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from stratpolicy.display import reform_html

        return reform_html(self)


# -- helpers ----------------------------------------------------------------------------------


def _build(evolve: Any, obj: Any, source: str, **changes: Any) -> Any:
    try:
        return evolve(obj, **changes)
    except DataError as exc:
        raise DataError.from_problems(exc.problems, source=source) from None


def _evolve(ins: Instrument, path: str, problems: list[Problem], **changes: Any) -> Instrument:
    try:
        return attrs.evolve(ins, **changes)
    except DataError as exc:
        problems.extend(p.at(path) for p in exc.problems)
        return ins


def _no_rule(path: str, rule_id: str, ids: list[str]) -> Problem:
    return Problem(path, f"no rule {rule_id!r}{_hint(rule_id, ids)}", UnknownReferenceError)


def _override(
    params: Mapping[str, Parameter],
    o: ParameterOverride,
    reform: Reform,
    categories: set[str],
    path: str,
) -> Parameter:
    """The parameter ``o`` changes, with ``o`` applied (or raise its problems)."""
    param = params.get(o.parameter)
    if param is None:
        raise UnknownReferenceError(
            [
                Problem(
                    f"{path}.parameter",
                    f"no parameter {o.parameter!r}{_hint(o.parameter, params)}",
                    UnknownReferenceError,
                )
            ]
        )
    kind, op = param.kind, o.operation
    fits = {"number": ("value",), "keyed": ("key", "by_key"), "set": ("members", "add_remove")}
    if op not in fits[kind]:
        wanted = {
            "number": "a value",
            "keyed": "a key with a value, or by_key",
            "set": "members, or add/remove",
        }[kind]
        raise ValidationError(
            [Problem(path, f"parameter {o.parameter!r} is a {kind} parameter: give {wanted}")]
        )
    keys = set(param.keys()) | categories
    members = set(param.members()) | categories
    problems = []
    if op == "key" and o.key not in keys:
        problems.append(
            Problem(
                f"{path}.key",
                f"no key {o.key!r} in parameter {o.parameter!r}{_hint(str(o.key), keys)}",
                UnknownReferenceError,
            )
        )
    if op == "by_key":
        assert o.by_key is not None
        for k in o.by_key:
            if k not in keys:
                problems.append(
                    Problem(
                        f"{path}.by_key.{k}",
                        f"no key {k!r} in parameter {o.parameter!r}{_hint(k, keys)}",
                        UnknownReferenceError,
                    )
                )
    for name in ("members", "add", "remove"):
        for i, m in enumerate(getattr(o, name) or ()):
            if m not in members:
                problems.append(
                    Problem(
                        f"{path}.{name}[{i}]",
                        f"{m!r} is not a category of this rule set{_hint(m, members)}; add it "
                        "to an input first (categories)",
                        UnknownReferenceError,
                    )
                )
    if problems:
        raise DataError.from_problems(problems)

    def change(entry: ParameterValue | None) -> dict[str, Any]:
        if op == "value":
            return {"value": o.value}
        if op == "by_key":
            return {"by_key": dict(o.by_key or {})}
        if op == "members":
            return {"members": tuple(o.members or ())}
        assert entry is not None  # pieces without a value are left alone
        if op == "key":
            assert entry.by_key is not None
            assert o.key is not None
            return {"by_key": {**entry.by_key, o.key: o.value}}
        current = entry.members or ()
        kept = [m for m in current if m not in o.remove]
        return {"members": (*kept, *(m for m in o.add if m not in current))}

    tag = " (hypothetical)" if reform.hypothetical else ""
    note = f"reform {reform.id!r}{tag}" + (f": {o.note}" if o.note else "")
    try:
        return apply_override(
            param,
            o.start,
            o.end,
            change,
            relative=op in ("key", "add_remove"),
            citation=reform.citation,
            note=note,
        )
    except ScheduleError as exc:
        raise ValidationError([Problem(path, str(exc))]) from None
