"""Dated parameters: values that change over time, like the rate tables of a statute.

A :class:`Parameter` is a schedule of :class:`ParameterValue` entries; each is in force
from its ``start`` until the next entry starts (or the parameter's ``end``). An entry holds
one of four kinds of value:

* ``value`` -- one number (``rd_addon_cap: 0.10``);
* ``by_key`` -- numbers keyed by category (``rd_base_rate: {sme: 0.40, large: 0.30}``);
* ``members`` -- a set of categories (``rsta_nst_fields: [semiconductors, vaccines]``);
* ``date`` -- a calendar day (``construction_deadline: 2026-12-31``), compared with date
  inputs.

Numbers are Python floats (float64): ``0.40`` stays ``0.40``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

import attrs

from stratpolicy._checks import Checker, as_tuple, describe
from stratpolicy._frozen import plain_state, set_plain_state
from stratpolicy.model import Citation

__all__ = [
    "Parameter",
    "ParameterSet",
    "ParameterValue",
    "ResolvedParameter",
]

ParamValue = float | Mapping[str, float] | frozenset[str] | dt.date


def _to_float(value: float | None) -> float | None:
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:  # too large for a float: refused by the checks, with its size
            return value
    return value


def _to_float_map(value: Mapping[str, float] | None) -> Mapping[str, float] | None:
    if value is None or not isinstance(value, Mapping):
        return value
    return MappingProxyType({k: _to_float(v) for k, v in value.items()})  # type: ignore[misc]


def _to_members(value: Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None or isinstance(value, str) or not hasattr(value, "__iter__"):
        return value  # type: ignore[return-value]  # refused by the checks
    return tuple(value)


def _bad_number(value: object) -> bool:
    return (
        isinstance(value, bool)
        or not isinstance(value, float)
        or math.isnan(value)
        or math.isinf(value)
    )


@attrs.frozen(kw_only=True)
class ParameterValue:
    """One entry of a parameter's schedule: a value in force from ``start``.

    Exactly one of ``value``, ``by_key``, ``members`` and ``date`` is given.

    Attributes:
        start: First day the value is in force. Leave it out (``None``) only for the first
            entry, when the start is not known: the value is then in force on every date
            before the next entry's start.
        value: A single number.
        by_key: Numbers keyed by category, e.g. rates by firm size.
        members: A set of categories, e.g. the fields eligible on that date.
        date: A calendar day, e.g. a deadline (ISO text ``YYYY-MM-DD`` in a document).
        citation: The legal text the value comes from.
        note: Anything a reader should know (an assumed start date, a rounding).

    Examples:
        >>> ParameterValue(start=dt.date(2021, 7, 1), by_key={"sme": 0.4}).kind
        'keyed'
    """

    start: dt.date | None = None
    value: float | None = attrs.field(default=None, converter=_to_float)
    by_key: Mapping[str, float] | None = attrs.field(default=None, converter=_to_float_map)
    members: tuple[str, ...] | None = attrs.field(default=None, converter=_to_members)
    date: dt.date | None = None
    citation: Citation | None = None
    note: str = ""

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        given = [n for n in ("value", "by_key", "members", "date") if getattr(self, n) is not None]
        if len(given) != 1:
            check.add(
                "", f"give exactly one of value, by_key, members, date; got {given or 'none'}"
            )
        if self.date is not None and type(self.date) is not dt.date:
            check.add("date", f"must be a date, got {describe(self.date)}")
        if self.value is not None and _bad_number(self.value):
            check.add("value", f"must be a finite number, got {describe(self.value)}")
        if self.by_key is not None:
            if not self.by_key:
                check.add("by_key", "must have at least one key")
            for key, number in self.by_key.items():
                if not isinstance(key, str) or not key:
                    check.add("by_key", f"keys must be non-empty text, got {describe(key)}")
                elif _bad_number(number):
                    check.add(f"by_key.{key}", f"must be a finite number, got {describe(number)}")
        if self.members is not None:
            for i, member in enumerate(self.members):
                if not isinstance(member, str) or not member:
                    check.add(f"members[{i}]", f"must be non-empty text, got {describe(member)}")
            check.unique("members", self.members, "member")
        check.done()

    def __getstate__(self) -> tuple[object, ...]:
        return plain_state(self)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        set_plain_state(self, state)

    @property
    def kind(self) -> str:
        """``"number"``, ``"keyed"``, ``"set"`` or ``"date"``."""
        if self.by_key is not None:
            return "keyed"
        if self.members is not None:
            return "set"
        if self.date is not None:
            return "date"
        return "number"

    @property
    def data(self) -> ParamValue:
        """The value as the engine uses it: a float, a mapping, a frozenset or a date."""
        if self.by_key is not None:
            return self.by_key
        if self.members is not None:
            return frozenset(self.members)
        if self.date is not None:
            return self.date
        assert self.value is not None
        return self.value


@attrs.frozen(kw_only=True)
class ResolvedParameter:
    """A parameter's value on one date, with where it comes from.

    Attributes:
        name: The parameter's name.
        value: A float, a mapping of key to float, a frozenset of categories or a date.
        unit: The unit of the numbers (``""`` for a ratio, ``"KRW"`` for money).
        start: First day this value is in force (``None``: not known).
        citation: The legal text it comes from.
        note: A note on the value.
    """

    name: str
    value: ParamValue
    unit: str
    start: dt.date | None
    citation: Citation | None
    note: str = ""


def _value_tuple(items: Iterable[ParameterValue]) -> tuple[ParameterValue, ...]:
    return as_tuple(items)


@attrs.frozen(kw_only=True)
class Parameter:
    """A dated schedule of values, optionally keyed by category or holding a set.

    Attributes:
        name: The name rules use (``rd_base_rate``).
        values: The schedule, in order of ``start``.
        unit: Unit of the numbers: ``""`` (or ``"ratio"``) for ratios and rates, a currency
            code such as ``"KRW"`` for money, or another tag such as ``"count"``.
        end: Last day any value is in force (a sunset), or ``None``.
        description: What the parameter is.

    Examples:
        >>> p = Parameter(name="cap", values=[ParameterValue(start=dt.date(2021, 7, 1), value=0.1)])
        >>> p.at(dt.date(2025, 1, 1)).value, p.at(dt.date(2020, 1, 1))
        (0.1, None)
    """

    name: str
    values: tuple[ParameterValue, ...] = attrs.field(converter=_value_tuple)
    unit: str = ""
    end: dt.date | None = None
    description: str = ""
    _starts: tuple[dt.date, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        from stratpolicy.rules._parse import check_name

        check = Checker()
        check.shapes(self)
        why = check_name(self.name)
        if why is not None:
            check.add("name", why)
        if not self.values:
            check.add("values", "must have at least one dated value")
        kinds = {v.kind for v in self.values}
        if len(kinds) > 1:
            check.add("values", f"all values must be of one kind, got {sorted(kinds)}")
        previous: dt.date | None = None
        for i, entry in enumerate(self.values):
            if entry.start is None:
                if i != 0:
                    check.add(f"values[{i}].start", "only the first value may have no start")
                continue
            if previous is not None and entry.start <= previous:
                check.add(
                    f"values[{i}].start",
                    f"must come after the previous start {previous.isoformat()}, "
                    f"got {entry.start.isoformat()}",
                )
            previous = entry.start
        if self.end is not None and previous is not None and self.end < previous:
            check.add("end", f"must not be before the last start {previous.isoformat()}")
        if self.unit and not self.unit.replace("_", "").isalnum():
            check.add("unit", f"must be a unit name such as KRW, got {describe(self.unit)}")
        if "set" in kinds and self.unit:
            check.add("unit", "a set of categories has no unit")
        if "date" in kinds and self.unit:
            check.add("unit", "a date has no unit")
        check.done()
        starts = tuple(v.start if v.start is not None else dt.date.min for v in self.values)
        object.__setattr__(self, "_starts", starts)

    @property
    def kind(self) -> str:
        """``"number"``, ``"keyed"``, ``"set"`` or ``"date"``."""
        return self.values[0].kind

    def index_at(self, on: dt.date) -> int:
        """Index of the value in force on ``on``, or ``-1`` if none is."""
        if self.end is not None and on > self.end:
            return -1
        return bisect.bisect_right(self._starts, on) - 1

    def at(self, on: dt.date) -> ParameterValue | None:
        """The entry in force on ``on``, or ``None``."""
        i = self.index_at(on)
        return self.values[i] if i >= 0 else None

    def resolve(self, on: dt.date) -> ResolvedParameter | None:
        """The value in force on ``on`` with its start and citation, or ``None``."""
        entry = self.at(on)
        if entry is None:
            return None
        return ResolvedParameter(
            name=self.name,
            value=entry.data,
            unit=self.unit,
            start=entry.start,
            citation=entry.citation,
            note=entry.note,
        )

    def keys(self) -> frozenset[str]:
        """Every key of a keyed parameter, over all dates (empty for other kinds)."""
        out: set[str] = set()
        for v in self.values:
            if v.by_key is not None:
                out.update(v.by_key)
        return frozenset(out)

    def members(self) -> frozenset[str]:
        """Every member of a set parameter, over all dates (empty for other kinds)."""
        out: set[str] = set()
        for v in self.values:
            if v.members is not None:
                out.update(v.members)
        return frozenset(out)

    def with_value(self, entry: ParameterValue) -> Parameter:
        """A copy with ``entry`` added to the schedule (replacing one with the same start).

        This is how a reform changes a rate from a date on.
        """
        kept = [v for v in self.values if v.start != entry.start]
        kept.append(entry)
        kept.sort(key=lambda v: v.start or dt.date.min)
        return attrs.evolve(self, values=tuple(kept))


def _parameter_tuple(items: Iterable[Parameter]) -> tuple[Parameter, ...]:
    return as_tuple(items)


@attrs.frozen(kw_only=True)
class ParameterSet:
    """A collection of parameters, resolved together on a date.

    Attributes:
        parameters: The parameters; names are unique.

    Examples:
        >>> cap = ParameterValue(start=dt.date(2021, 1, 1), value=0.1)
        >>> ps = ParameterSet(parameters=[Parameter(name="cap", values=[cap])])
        >>> ps.at(dt.date(2022, 1, 1))["cap"].value
        0.1
    """

    parameters: tuple[Parameter, ...] = attrs.field(default=(), converter=_parameter_tuple)
    _index: Mapping[str, Parameter] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.unique("parameters", [p.name for p in self.parameters], "parameter name")
        check.done()
        object.__setattr__(self, "_index", {p.name: p for p in self.parameters})

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self._index[name]
        except KeyError:
            raise KeyError(f"no parameter named {name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self.parameters)

    def __len__(self) -> int:
        return len(self.parameters)

    @property
    def names(self) -> tuple[str, ...]:
        """The parameter names, in order."""
        return tuple(p.name for p in self.parameters)

    def at(self, on: dt.date) -> dict[str, ResolvedParameter]:
        """Every parameter in force on ``on``, by name (parameters not in force are left out)."""
        out: dict[str, ResolvedParameter] = {}
        for p in self.parameters:
            resolved = p.resolve(on)
            if resolved is not None:
                out[p.name] = resolved
        return out

    def replace(self, parameter: Parameter) -> ParameterSet:
        """A copy with ``parameter`` replacing the one of the same name (or added)."""
        kept = [parameter if p.name == parameter.name else p for p in self.parameters]
        if parameter.name not in self._index:
            kept.append(parameter)
        return ParameterSet(parameters=tuple(kept))

    def with_value(self, name: str, entry: ParameterValue) -> ParameterSet:
        """A copy where parameter ``name`` takes ``entry`` from ``entry.start`` on."""
        return self.replace(self[name].with_value(entry))
