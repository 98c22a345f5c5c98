"""The declarations a rule set is made of: inputs, outputs and rules."""

from __future__ import annotations

import datetime as dt
import inspect
import math
from collections.abc import Callable, Mapping
from enum import Enum
from types import MappingProxyType
from typing import Any

import attrs

from stratpolicy._checks import Checker, as_enum, as_texts, parse_iso_date
from stratpolicy._dates import in_period
from stratpolicy._frozen import plain_state, set_plain_state
from stratpolicy.model import Citation
from stratpolicy.rules._runtime import shown

__all__ = ["Combine", "Input", "Output", "PythonRule", "Rule", "ValueType"]

Scalar = Any
"""A value of an input or an output: a float, a bool or a category (a string).

Typed ``Any`` so that the shared converter passes it through; the classes check it."""


class ValueType(Enum):
    """The type of an input or an output.

    ``NUMBER`` is a plain number (a ratio, or a count when ``unit`` says so); ``MONEY`` an
    amount in the currency given as ``unit``; ``BOOL`` true or false; ``CATEGORY`` one of
    a declared list of strings; ``DATE`` a calendar day (a ``datetime.date``; in files and
    records ISO text ``YYYY-MM-DD``), compared with other dates and measured with
    ``days_between`` -- an input only, never an output.
    """

    NUMBER = "number"
    MONEY = "money"
    BOOL = "bool"
    CATEGORY = "category"
    DATE = "date"


class Combine(Enum):
    """How several rules that set one output are combined.

    ``FIRST``: the first rule (in declaration order) that fires. ``PRIORITY``: the firing
    rule with the highest ``priority`` (ties: the first declared). ``MAX`` / ``MIN`` /
    ``SUM``: over every firing rule (numbers only).
    """

    FIRST = "first"
    PRIORITY = "priority"
    MAX = "max"
    MIN = "min"
    SUM = "sum"


def _to_float(value: float | None) -> float | None:
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:  # refused by the checks, described without printing it
            return value
    return value


def _to_scalar(value: float | bool | str | dt.date | None) -> Scalar | None:
    return value if isinstance(value, bool) else _to_float(value)  # type: ignore[arg-type]


def _to_value_type(value: ValueType | str) -> ValueType:
    return as_enum(ValueType, value)


def _to_combine(value: Combine | str | None) -> Combine | None:
    return None if value is None else as_enum(Combine, value)


def _check_declaration(
    check: Checker,
    name: str,
    type_: ValueType,
    unit: str,
    categories: tuple[str, ...],
    default: object,
) -> None:
    from stratpolicy.rules._parse import check_name

    why = check_name(name)
    if why is not None:
        check.add("name", why)
    if type_ is ValueType.MONEY and not (unit.isascii() and unit.isalpha() and unit.isupper()):
        check.add("unit", f"money needs a currency code such as 'KRW', got {shown(unit)}")
    if type_ in (ValueType.BOOL, ValueType.CATEGORY, ValueType.DATE) and unit:
        check.add("unit", f"a {type_.value} has no unit, got {shown(unit)}")
    if type_ is ValueType.NUMBER and unit and not unit.replace("_", "").isalnum():
        check.add("unit", f"must be a unit name such as 'count', got {shown(unit)}")
    if type_ is ValueType.CATEGORY:
        if not categories:
            check.add("categories", "a category needs its list of allowed values")
        check.unique("categories", categories, "category")
        for i, c in enumerate(categories):
            if not isinstance(c, str) or not c:
                check.add(f"categories[{i}]", f"must be non-empty text, got {shown(c)}")
    elif categories:
        check.add("categories", f"only a category has categories, not a {type_.value}")
    if default is None:
        return
    if type_ in (ValueType.NUMBER, ValueType.MONEY):
        if (
            isinstance(default, bool)
            or not isinstance(default, float)
            or not math.isfinite(default)
        ):
            check.add("default", f"must be a finite number, got {shown(default)}")
    elif type_ is ValueType.BOOL:
        if not isinstance(default, bool):
            check.add("default", f"must be true or false, got {shown(default)}")
    elif type_ is ValueType.DATE:
        if type(default) is not dt.date:
            check.add("default", f"must be a date (YYYY-MM-DD), got {shown(default)}")
    elif default not in categories:
        check.add("default", f"must be one of the categories, got {shown(default)}")


def _check_bounds(check: Checker, input_: Input) -> None:
    low, high = input_.min, input_.max
    if low is None and high is None:
        return
    if input_.type not in (ValueType.NUMBER, ValueType.MONEY):
        check.add("min" if low is not None else "max", f"a {input_.type.value} has no bounds")
        return
    for name, bound in (("min", low), ("max", high)):
        if bound is None:
            continue
        if isinstance(bound, bool) or not isinstance(bound, float) or not math.isfinite(bound):
            check.add(name, f"must be a finite number, got {shown(bound)}")
            return
    if low is not None and high is not None and low > high:
        check.add("max", f"must be at least min ({low!r}), got {shown(high)}")
        return
    default = input_.default
    if isinstance(default, float) and math.isfinite(default):
        if low is not None and default < low:
            check.add("default", f"must be at least min ({low!r}), got {shown(default)}")
        if high is not None and default > high:
            check.add("default", f"must be at most max ({shown(high)}), got {shown(default)}")


@attrs.frozen(kw_only=True)
class Input:
    """A fact a rule set reads, declared with its type and, for numbers, its bounds.

    Attributes:
        name: The name expressions use.
        type: Number, money, bool, category or date.
        unit: For money the currency (``"KRW"``); for a number an optional unit tag
            (``"count"``); empty for a ratio.
        categories: For a category, the allowed values.
        default: Used when the fact is not given; ``None`` means the fact is required
            (an error is raised when a rule needs it and it is missing). For a date, a
            ``datetime.date`` (ISO text ``YYYY-MM-DD`` in a document).
        min: For a number or money, the least value a fact may have (inclusive), in the
            declared unit; ``None``: no lower bound. ``min=0`` for revenue and expenses.
        max: For a number or money, the greatest value a fact may have (inclusive);
            ``None``: no upper bound.
        description: What the input is.

    A fact outside its bounds is refused by :meth:`RuleSet.evaluate` and
    :meth:`RuleSet.evaluate_many` alike, with the input, the bound and (for a population)
    the row. NaN and infinities are always refused.

    Examples:
        >>> Input(name="revenue", type=ValueType.MONEY, unit="KRW", min=0).min
        0.0
    """

    name: str
    type: ValueType = attrs.field(converter=_to_value_type)
    unit: str = ""
    categories: tuple[str, ...] = attrs.field(default=(), converter=as_texts)
    default: Scalar | None = attrs.field(default=None, converter=_to_scalar)
    min: float | None = attrs.field(default=None, converter=_to_float)
    max: float | None = attrs.field(default=None, converter=_to_float)
    description: str = ""

    def __attrs_post_init__(self) -> None:
        if self.type is ValueType.DATE and isinstance(self.default, str):
            day = parse_iso_date(self.default)  # documents write dates as ISO text
            if day is not None:
                object.__setattr__(self, "default", day)
        check = Checker()
        check.shapes(self)
        _check_declaration(check, self.name, self.type, self.unit, self.categories, self.default)
        _check_bounds(check, self)
        check.done()


@attrs.frozen(kw_only=True)
class Output:
    """A value a rule set computes, declared with its type and combination policy.

    Declaring an output is optional for numbers (its type is then inferred from the
    expressions that set it) and required for bool and category outputs, which need a
    ``default``.

    Attributes:
        name: The output's name.
        type: Number, money, bool or category.
        unit: As for :class:`Input`.
        categories: For a category, the allowed values.
        combine: How to combine several rules that set it; required when more than one
            rule sets it in overlapping periods.
        default: The value when no rule sets it; ``None`` leaves it unset (a number
            output is then NaN in a population result).
        description: What the output is.
    """

    name: str
    type: ValueType = attrs.field(converter=_to_value_type)
    unit: str = ""
    categories: tuple[str, ...] = attrs.field(default=(), converter=as_texts)
    combine: Combine | None = attrs.field(default=None, converter=_to_combine)
    default: Scalar | None = attrs.field(default=None, converter=_to_scalar)
    description: str = ""

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        _check_declaration(check, self.name, self.type, self.unit, self.categories, self.default)
        numeric = self.type in (ValueType.NUMBER, ValueType.MONEY)
        if self.type is ValueType.DATE:
            check.add(
                "type",
                "an output cannot be a date: compare dates (a bool output) or measure them "
                "with days_between (a number output)",
            )
        if self.combine in (Combine.MAX, Combine.MIN, Combine.SUM) and not numeric:
            check.add("combine", f"{self.combine.value!r} combines numbers only")
        if not numeric and self.default is None and self.type is not ValueType.DATE:
            check.add("default", f"a {self.type.value} output needs a default")
        check.done()


def _freeze_outputs(value: Mapping[str, str]) -> Mapping[str, str]:
    if isinstance(value, Mapping):
        return MappingProxyType(dict(value))
    return value


def _check_rule_common(
    check: Checker,
    id_: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    priority: object,
) -> None:
    if not isinstance(id_, str) or not id_.strip():
        check.add("id", "must not be empty")
    check.date_order("valid_to", valid_from, valid_to)
    if isinstance(priority, bool) or not isinstance(priority, int):
        check.add("priority", f"must be an integer, got {shown(priority)}")


@attrs.frozen(kw_only=True)
class Rule:
    """A rule: when ``condition`` holds (on a date within its validity), set ``outputs``.

    Attributes:
        id: A unique id within the rule set, cited in explanations.
        outputs: Output name -> expression computing it.
        condition: An expression that must be true for the rule to fire (default: always).
        citation: The legal text the rule implements.
        valid_from: First day the rule is in force (``None``: always was).
        valid_to: Last day the rule is in force (``None``: no end).
        priority: Higher wins when outputs are combined by ``priority``.
        description: What the rule says, in words.

    Examples:
        >>> r = Rule(id="r1", condition="revenue > 0", outputs={"margin": "profit / revenue"})
        >>> r.in_force(dt.date(2025, 1, 1))
        True
    """

    id: str
    description: str = ""
    condition: str = "True"
    outputs: Mapping[str, str] = attrs.field(converter=_freeze_outputs)
    priority: int = 0
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    citation: Citation | None = None

    def __attrs_post_init__(self) -> None:
        check = Checker()
        _check_rule_common(check, self.id, self.valid_from, self.valid_to, self.priority)
        if not isinstance(self.outputs, Mapping) or not self.outputs:
            check.add("outputs", "a rule must set at least one output")
        check.done()

    def __getstate__(self) -> tuple[object, ...]:
        return plain_state(self)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        set_plain_state(self, state)

    def in_force(self, on: dt.date) -> bool:
        """Whether ``on`` lies within the rule's validity dates."""
        return in_period(on, self.valid_from, self.valid_to)


@attrs.frozen(kw_only=True)
class PythonRule:
    """A rule written as a plain Python function, for developers.

    The function receives the names it reads as keyword arguments (inputs as Python
    values, parameters as their value on the date: a float, a mapping or a frozenset,
    outputs of other rules as values) and returns a mapping of the outputs it sets, or
    ``None`` when it does not fire. Python rules cannot be saved to YAML/JSON and, in
    :meth:`RuleSet.evaluate_many`, run once per row unless ``vector_function`` is given.

    Attributes:
        id: A unique id within the rule set.
        function: The rule.
        sets: The outputs it may set (each must be declared as an :class:`Output`).
        reads: The names it reads; by default its parameter names.
        vector_function: Optional columnar form: receives numpy arrays (categories as
            their strings) and returns ``(fired_mask, {output: array})``.
        citation: The legal text the rule implements.
        valid_from: First day in force.
        valid_to: Last day in force.
        priority: Higher wins under the ``priority`` policy.
        description: What the rule says.

    Examples:
        >>> def bonus(revenue):
        ...     return {"bonus": 0.01 * revenue} if revenue > 0 else None
        >>> PythonRule(id="bonus", function=bonus, sets=("bonus",)).reads
        ('revenue',)
    """

    __not_serialisable__ = (
        "it holds a Python function; write the rule as a Rule with expressions to save it"
    )

    id: str
    function: Callable[..., Mapping[str, object] | None] = attrs.field(eq=False)
    sets: tuple[str, ...] = attrs.field(converter=as_texts)
    reads: tuple[str, ...] = attrs.field(default=(), converter=as_texts)
    vector_function: Callable[..., object] | None = attrs.field(default=None, eq=False)
    citation: Citation | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    priority: int = 0
    description: str = ""

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        _check_rule_common(check, self.id, self.valid_from, self.valid_to, self.priority)
        if not callable(self.function):
            check.add("function", "must be callable")
        if not self.sets:
            check.add("sets", "a rule must set at least one output")
        check.done()
        if not self.reads:
            signature = inspect.signature(self.function)
            reads = tuple(
                p.name
                for p in signature.parameters.values()
                if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
            )
            object.__setattr__(self, "reads", reads)

    def in_force(self, on: dt.date) -> bool:
        """Whether ``on`` lies within the rule's validity dates."""
        return in_period(on, self.valid_from, self.valid_to)
