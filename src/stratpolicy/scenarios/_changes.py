"""The changes a reform is made of: parameter overrides, categories, rules, portfolios.

Each is a frozen attrs class checked when built; :class:`~._reform.Reform` holds them and
applies them (see :mod:`._schedule` for the exact semantics of an override's period).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from stratpolicy._checks import Checker, describe
from stratpolicy._frozen import plain_state, set_plain_state
from stratpolicy.errors import SchemaError
from stratpolicy.model import BudgetEntry, Instrument, Support
from stratpolicy.rules import Input, Output, Parameter, Rule

__all__ = [
    "BudgetChange",
    "CategoryChange",
    "InstrumentEnd",
    "ParameterOverride",
    "PortfolioChanges",
    "RuleChanges",
    "SupportChange",
]


# -- typed converters -------------------------------------------------------------------------


def _strings(items: Iterable[str]) -> tuple[str, ...]:
    if isinstance(items, str):
        return (items,)  # refused by the checks below: a list is expected
    return tuple(items)


def _optional_strings(items: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if items is None else _strings(items)


def _to_float(value: float | None) -> float | None:
    """Whole numbers and numpy floats as Python floats (the engine computes with floats)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:  # a huge whole number: refused by the checks
            return value
    return value


def _float_map(value: Mapping[str, float] | None) -> Mapping[str, float] | None:
    if value is None or not isinstance(value, Mapping):
        return value
    return MappingProxyType({k: _to_float(v) for k, v in value.items()})  # type: ignore[misc]


def _overrides(items: Iterable[ParameterOverride]) -> tuple[ParameterOverride, ...]:
    return tuple(items)


def _parameters(items: Iterable[Parameter]) -> tuple[Parameter, ...]:
    return tuple(items)


def _inputs(items: Iterable[Input]) -> tuple[Input, ...]:
    return tuple(items)


def _outputs(items: Iterable[Output]) -> tuple[Output, ...]:
    return tuple(items)


def _categories(items: Iterable[CategoryChange]) -> tuple[CategoryChange, ...]:
    return tuple(items)


def _rules(items: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(items)


def _instruments(items: Iterable[Instrument]) -> tuple[Instrument, ...]:
    return tuple(items)


def _ends(items: Iterable[InstrumentEnd]) -> tuple[InstrumentEnd, ...]:
    return tuple(items)


def _budgets(items: Iterable[BudgetChange]) -> tuple[BudgetChange, ...]:
    return tuple(items)


def _supports(items: Iterable[SupportChange]) -> tuple[SupportChange, ...]:
    return tuple(items)


def _bad_number(value: object) -> bool:
    return isinstance(value, bool) or not isinstance(value, float) or not math.isfinite(value)


def _overlap(
    a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None
) -> bool:
    return (a_end is None or b_start <= a_end) and (b_end is None or a_start <= b_end)


def _period(start: dt.date, end: dt.date | None) -> str:
    return f"{start.isoformat()} to {end.isoformat() if end is not None else 'no end'}"


def _hint(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# -- parameter overrides ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ParameterOverride:
    """A dated change of one parameter: its value, one key, its whole table or its members.

    Give one of: ``value`` (with ``key`` for one key of a keyed table), ``by_key`` (a whole
    table), ``members`` (a whole set), or ``add`` and/or ``remove`` (members of a set).

    Inside ``[start, end]`` (both days included; ``end=None``: no end) the override wins
    over every baseline entry -- also over entries that start later than ``start``;
    outside it the baseline is untouched. ``key`` + ``value`` and ``add`` / ``remove``
    change the baseline's value piece by piece (the other keys and members follow the
    baseline); where the baseline has no value (after a sunset) they leave none, and they
    must find a value somewhere in the period. ``value``, ``by_key`` and ``members``
    replace the value, and may extend a schedule beyond its end.

    Attributes:
        parameter: The parameter's name (``nst_rd_base_rate``).
        start: First day of the override.
        end: Last day of the override, or ``None`` for no end.
        key: For ``value``, the key of a keyed table to change (``sme``).
        value: A number: the parameter's value, or the value of ``key``.
        by_key: A whole keyed table.
        members: A whole set of categories.
        add: Members added to a set.
        remove: Members removed from a set.
        note: What the override rests on (a reader sees it in explanations).

    Examples:
        >>> o = ParameterOverride(parameter="nst_rd_base_rate", key="sme", value=0.5,
        ...                       start=dt.date(2026, 1, 1), end=dt.date(2029, 12, 31))
        >>> o.target, o.operation
        ("nst_rd_base_rate['sme']", 'key')
    """

    parameter: str
    start: dt.date
    end: dt.date | None = None
    key: str | None = None
    value: float | None = attrs.field(default=None, converter=_to_float)
    by_key: Mapping[str, float] | None = attrs.field(default=None, converter=_float_map)
    members: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_strings)
    add: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    remove: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    note: str = ""

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.non_empty("parameter", self.parameter)
        check.texts(self)
        if not isinstance(self.start, dt.date) or isinstance(self.start, dt.datetime):
            check.add("start", f"expected a date, got {describe(self.start)}", SchemaError)
        elif self.end is not None:
            check.date_order("end", self.start, self.end)
        given = [
            name
            for name, present in (
                ("value", self.value is not None),
                ("by_key", self.by_key is not None),
                ("members", self.members is not None),
                ("add/remove", bool(self.add or self.remove)),
            )
            if present
        ]
        if len(given) != 1:
            check.add(
                "",
                "give exactly one of value (with key for one key), by_key, members, "
                f"add/remove; got {', '.join(given) if given else 'none'}",
            )
        if self.key is not None:
            check.non_empty("key", self.key)
            if self.value is None:
                check.add("key", "a key goes with a value: {key: sme, value: 0.5}")
        if self.value is not None and _bad_number(self.value):
            check.add("value", f"must be a finite number, got {describe(self.value)}")
        if self.by_key is not None:
            if not self.by_key:
                check.add("by_key", "must have at least one key")
            for k, number in self.by_key.items():
                if _bad_number(number):
                    check.add(f"by_key.{k}", f"must be a finite number, got {describe(number)}")
        for name in ("members", "add", "remove"):
            items = getattr(self, name) or ()
            check.unique(name, items, "member")
            for i, m in enumerate(items):
                if not isinstance(m, str) or not m:
                    check.add(f"{name}[{i}]", f"must be a category name, got {describe(m)}")
        both = set(self.add) & set(self.remove)
        if both:
            check.add("remove", f"{sorted(both)} both added and removed")
        check.done()

    def __getstate__(self) -> tuple[object, ...]:
        return plain_state(self)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        set_plain_state(self, state)

    @property
    def operation(self) -> str:
        """``"value"``, ``"key"``, ``"by_key"``, ``"members"`` or ``"add_remove"``."""
        if self.value is not None:
            return "key" if self.key is not None else "value"
        if self.by_key is not None:
            return "by_key"
        if self.members is not None:
            return "members"
        return "add_remove"

    @property
    def target(self) -> str:
        """What the override changes, as text: ``nst_rd_base_rate['sme']``."""
        if self.key is not None:
            return f"{self.parameter}[{self.key!r}]"
        return self.parameter

    @property
    def period(self) -> str:
        """The period as text: ``2026-01-01 to 2029-12-31``."""
        return _period(self.start, self.end)

    def conflicts_with(self, other: ParameterOverride) -> bool:
        """Whether both overrides change the same thing on a common day."""
        if self.parameter != other.parameter:
            return False
        if not _overlap(self.start, self.end, other.start, other.end):
            return False
        ops = {self.operation, other.operation}
        if ops & {"value", "by_key", "members"}:
            return True
        if ops == {"key"}:
            return self.key == other.key
        if ops == {"add_remove"}:
            return bool(set(self.add) & set(other.remove) or set(self.remove) & set(other.add))
        return False

    def describe(self) -> str:
        """One line: ``nst_rd_base_rate['sme'] = 0.5 from 2026-01-01 to 2029-12-31``."""
        op = self.operation
        if op in ("value", "key"):
            what = f"{self.target} = {self.value:g}"
        elif op == "by_key":
            assert self.by_key is not None
            pairs = ", ".join(f"{k}: {v:g}" for k, v in self.by_key.items())
            what = f"{self.parameter} = {{{pairs}}}"
        elif op == "members":
            what = f"{self.parameter} = [{', '.join(self.members or ())}]"
        else:
            parts = []
            if self.add:
                parts.append(f"+= [{', '.join(self.add)}]")
            if self.remove:
                parts.append(f"-= [{', '.join(self.remove)}]")
            what = f"{self.parameter} {' '.join(parts)}"
        return f"{what} from {self.period}"


@attrs.frozen(kw_only=True)
class CategoryChange:
    """Categories added to a category input (a finer description of the facts).

    A new category is listed by no baseline rule or set, so the baseline treats it like any
    other unlisted value; a rule that looks it up in a keyed table needs a key for it.

    Attributes:
        input: The category input.
        add: The new categories.
    """

    input: str
    add: tuple[str, ...] = attrs.field(converter=_strings)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.non_empty("input", self.input)
        check.texts(self)
        if not self.add:
            check.add("add", "must name at least one category")
        check.unique("add", self.add, "category")
        check.done()


@attrs.frozen(kw_only=True)
class RuleChanges:
    """Rules added, replaced (by id) and removed (by id).

    Attributes:
        add: New rules; their ids must be new.
        replace: Rules that take the place of the rules with the same ids.
        remove: Ids of rules removed.
    """

    add: tuple[Rule, ...] = attrs.field(default=(), converter=_rules)
    replace: tuple[Rule, ...] = attrs.field(default=(), converter=_rules)
    remove: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.texts(self)
        seen: dict[str, str] = {}
        for name in ("add", "replace", "remove"):
            for i, item in enumerate(getattr(self, name)):
                rule_id = item if isinstance(item, str) else item.id
                if rule_id in seen:
                    check.add(
                        f"{name}[{i}]", f"rule {rule_id!r} is already changed in {seen[rule_id]}"
                    )
                seen.setdefault(rule_id, f"{name}[{i}]")
        check.done()

    def ids(self) -> dict[str, str]:
        """Rule id -> where it is changed (``add[0]``)."""
        out: dict[str, str] = {}
        for name in ("add", "replace", "remove"):
            for i, item in enumerate(getattr(self, name)):
                out[item if isinstance(item, str) else item.id] = f"{name}[{i}]"
        return out

    def __bool__(self) -> bool:
        return bool(self.add or self.replace or self.remove)


@attrs.frozen(kw_only=True)
class InstrumentEnd:
    """An instrument ends: its last day in force becomes ``on``.

    Attributes:
        instrument: The instrument's id.
        on: Its new last day in force.
        note: Why.
    """

    instrument: str
    on: dt.date
    note: str = ""

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.id("instrument", self.instrument)
        check.texts(self)
        check.done()


@attrs.frozen(kw_only=True)
class BudgetChange:
    """An instrument's budget for one year and stage is set (replaced, or added).

    Attributes:
        instrument: The instrument's id.
        budget: The new entry; it replaces the entry of the same year and stage.
    """

    instrument: str
    budget: BudgetEntry

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.id("instrument", self.instrument)
        check.done()


@attrs.frozen(kw_only=True)
class SupportChange:
    """A support link added to an instrument.

    Attributes:
        instrument: The instrument's id.
        support: The new support (a technology, with a share or as part of an envelope).
    """

    instrument: str
    support: Support

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.id("instrument", self.instrument)
        check.done()


@attrs.frozen(kw_only=True)
class PortfolioChanges:
    """Changes of a portfolio: instruments added or ended, budgets set, supports added.

    Attributes:
        add_instruments: New instruments.
        end_instruments: Instruments that end on a date.
        budgets: Budget entries set.
        add_supports: Support links added to instruments.
    """

    add_instruments: tuple[Instrument, ...] = attrs.field(default=(), converter=_instruments)
    end_instruments: tuple[InstrumentEnd, ...] = attrs.field(default=(), converter=_ends)
    budgets: tuple[BudgetChange, ...] = attrs.field(default=(), converter=_budgets)
    add_supports: tuple[SupportChange, ...] = attrs.field(default=(), converter=_supports)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        for name, keys in self._keys().items():
            check.unique(name, keys, "change")
        check.done()

    def _keys(self) -> dict[str, list[object]]:
        return {
            "add_instruments": [i.id for i in self.add_instruments],
            "end_instruments": [e.instrument for e in self.end_instruments],
            "budgets": [(b.instrument, b.budget.year, b.budget.stage_label) for b in self.budgets],
            "add_supports": [(s.instrument, s.support.technology) for s in self.add_supports],
        }

    def __bool__(self) -> bool:
        return bool(
            self.add_instruments or self.end_instruments or self.budgets or self.add_supports
        )
