"""Validation helpers used by the model classes (and units) at construction.

A :class:`Checker` collects every problem of one object, each with a path relative to the
object, and raises them together as one error. The loader puts the object's own path in
front, so a user sees ``missions[2].requires[0].weight: must be in (0, 1], got 2``.

The module also holds what every layer needs to talk about a value without trusting it:
:func:`describe` (a bounded description that never expands a value: a YAML alias bomb is
described as "a list of 9 items", not printed), the id grammar (:data:`ID_RULE`) and the one
strict date syntax (:func:`parse_iso_date`), and :data:`Id`, the type of an id field
(``Annotated[str, ID]``: plain ``str`` to type checkers, the id grammar to the JSON Schema).
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, TypeVar

from stratpolicy.errors import DataError, Problem, SchemaError, ValidationError
from stratpolicy.limits import MAX_ID_LENGTH

_PREVIEW = 60
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_SURROGATE = re.compile("[\ud800-\udfff]")

ID_RULE = (
    f"an id is 1 to {MAX_ID_LENGTH} ASCII letters, digits and _ . : - "
    "starting with a letter or digit"
)
"""The id grammar, in words (used in messages and in the docs)."""


class TextRule:
    """What a text field must look like, in a form a JSON Schema can state.

    Used as the metadata of ``Annotated[str, rule]``: type checkers see ``str``, the
    converter reads text as for any ``str``, the class checks the rule when it is built,
    and :func:`stratpolicy.io.schema` writes ``pattern``, ``minLength``, ``maxLength``
    and ``description`` from it.

    Attributes:
        pattern: A regular expression the whole text must match, without anchors, in the
            syntax common to Python and ECMA-262 (no top-level ``|``).
        min_length: The least number of characters.
        max_length: The most characters.
        description: The rule in words.
    """

    __slots__ = ("description", "max_length", "min_length", "pattern")

    def __init__(self, pattern: str, min_length: int, max_length: int, description: str) -> None:
        self.pattern = pattern
        self.min_length = min_length
        self.max_length = max_length
        self.description = description

    def __repr__(self) -> str:
        return f"TextRule({self.pattern!r})"


ID = TextRule(r"[A-Za-z0-9][A-Za-z0-9_.:-]*", 1, MAX_ID_LENGTH, ID_RULE)
"""The id grammar as a :class:`TextRule`."""

Id = Annotated[str, ID]
"""The type of an id field: text in the id grammar (checked by the model classes)."""

_ID = re.compile(ID.pattern, re.ASCII)


def quote(text: str, limit: int = _PREVIEW) -> str:
    """``repr`` of at most ``limit`` characters of ``text``; invisible characters show escaped."""
    if len(text) <= limit:
        return repr(text)
    return repr(text[:limit]) + f"... ({len(text):,} characters)"


def describe(value: object) -> str:
    """A short description of any value, bounded in length and cost.

    Containers are described by their size, never printed, so a value shared many times (a
    YAML alias) is never expanded; long text is cut; huge numbers are described by size.

    Examples:
        >>> describe("three")
        "'three' (text)"
        >>> describe([1, 2, 3])
        'a list of 3 items'
        >>> describe(10**500)
        'a whole number of about 501 digits'
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true (a boolean)" if value else "false (a boolean)"
    if isinstance(value, int):
        if value.bit_length() > 300:  # never convert a long number to text: quadratic cost
            return f"a whole number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
        return f"{int.__repr__(value)} (a whole number)"
    if isinstance(value, float):
        return f"{float.__repr__(value)} (a number)"
    if isinstance(value, str):
        return f"{quote(value)} (text)"
    if isinstance(value, (bytes, bytearray)):
        return f"binary data of {len(value):,} bytes"
    if isinstance(value, Mapping):
        return f"a mapping of {_count(len(value), 'key')}"
    if isinstance(value, (list, tuple)):
        return f"a list of {_count(len(value), 'item')}"
    if isinstance(value, (set, frozenset)):
        return f"a set of {_count(len(value), 'item')}"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, dt.time):
        return f"the time {value.isoformat()}"
    return f"a value of type {type(value).__name__}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def id_problem(value: object) -> tuple[str, type[DataError]] | None:
    """Why ``value`` is not an id (a message and an error class), or ``None`` if it is one."""
    if type(value) is str and 0 < len(value) <= MAX_ID_LENGTH and _ID.fullmatch(value):
        return None
    if not isinstance(value, str):
        return f"expected an id (text), got {describe(value)}", SchemaError
    if not value:
        return "must not be empty", ValidationError
    if len(value) > MAX_ID_LENGTH or not _ID.fullmatch(value):
        return f"{quote(value)} is not an id: {ID_RULE}", ValidationError
    return None


def text_problem(value: object) -> tuple[str, type[DataError]] | None:
    """Why ``value`` cannot be stored as text, or ``None`` if it can."""
    if not isinstance(value, str):
        return f"expected text, got {describe(value)}", SchemaError
    found = _SURROGATE.search(value)
    if found is not None:
        return (
            f"contains a lone surrogate U+{ord(found.group()):04X} at character "
            f"{found.start()}, which no file can hold (not Unicode text)",
            ValidationError,
        )
    return None


def parse_iso_date(text: str) -> dt.date | None:
    """The date written ``YYYY-MM-DD`` (ASCII digits only), or ``None``.

    Stricter than :meth:`datetime.date.fromisoformat`, which also reads ``20250101`` and
    ``2025-W01-1``: a date in this library has one spelling.
    """
    if not isinstance(text, str) or len(text) != 10 or not _ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


_T = TypeVar("_T")
_E = TypeVar("_E", bound=enum.Enum)


def as_tuple(value: Iterable[_T]) -> tuple[_T, ...]:
    """The converter of tuple fields: a list, a tuple or any other iterable becomes a tuple.

    Text, bytes, a mapping or a value that is not iterable is kept as it is, for
    :meth:`Checker.shapes` to report at its field (``tuple("msit")`` would quietly give four
    one-letter ids). attrs' type-checker plugins read a converter's parameter type, so each
    field uses a small typed wrapper (``def _targets(value: Iterable[Target]) ->
    tuple[Target, ...]``): a bare ``tuple`` or a generic function here reads as
    ``Iterable[_T_co]`` to mypy, which then rejects every list in user code.
    """
    if type(value) is tuple:
        return value
    if isinstance(value, (str, bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]  # refused by Checker.shapes
    return tuple(value)


def as_texts(value: Iterable[str]) -> tuple[str, ...]:
    """The converter of ``tuple[str, ...]`` fields (see :func:`as_tuple`)."""
    return as_tuple(value)


def as_enum(cls: type[_E], value: _E | str) -> _E:
    """``cls(value)``; a value that is no member is kept for :meth:`Checker.shapes` to report."""
    if isinstance(value, cls):
        return value
    try:
        return cls(value)
    except (ValueError, TypeError):
        return value  # type: ignore[return-value]  # refused by Checker.shapes


class Checker:
    """Collects the problems of one object and raises them all at once."""

    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, kind: type[DataError] = ValidationError) -> None:
        """Record one problem at ``path``."""
        self.problems.append(Problem(path, message, kind))

    def extend(self, prefix: str, problems: Iterable[Problem]) -> None:
        """Record problems found in a part of the object, under ``prefix``."""
        self.problems.extend(p.at(prefix) for p in problems)

    def non_empty(self, path: str, value: str) -> None:
        """A text field must hold something other than blanks."""
        if not isinstance(value, str):
            self.add(path, f"expected text, got {describe(value)}", SchemaError)
        elif not value.strip():
            self.add(path, "must not be empty")

    def id(self, path: str, value: object) -> None:
        """``value`` must be an id (see :data:`ID_RULE`)."""
        problem = id_problem(value)
        if problem is not None:
            self.add(path, *problem)

    def optional_id(self, path: str, value: object) -> None:
        """``value`` must be ``None`` or an id."""
        if value is not None:
            self.id(path, value)

    def ids(self, path: str, values: Iterable[object]) -> None:
        """Every item of ``values`` must be an id."""
        for i, value in enumerate(values):
            self.id(f"{path}[{i}]", value)

    def finite(self, path: str, value: object) -> None:
        """``value`` must be a finite number (not NaN, not infinite, not a boolean)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(path, f"expected a number, got {describe(value)}", SchemaError)
        elif isinstance(value, float) and not math.isfinite(value):
            self.add(path, f"must be a finite number, got {float.__repr__(value)}")

    def shapes(self, obj: Any) -> None:
        """The tuple and enumeration fields of an attrs object must hold what they declare.

        A ``tuple[X, ...]`` field must hold a tuple (its converter makes one from any
        iterable) whose items are ``X`` (text items are left to :meth:`texts`); an
        enumeration field must hold a member. Raises at once when a field is wrong, since
        the object's other checks read these fields.
        """
        for name, expected, many, optional in _shape_fields(type(obj)):
            value = getattr(obj, name)
            if value is None and optional:
                continue
            if not many:
                if not isinstance(value, expected):
                    allowed = ", ".join(repr(m.value) for m in expected)  # type: ignore[attr-defined]
                    shown = quote(value) if isinstance(value, str) else describe(value)
                    self.add(
                        name,
                        f"{shown} is not a {expected.__name__}; expected one of {allowed}",
                        SchemaError,
                    )
            elif not isinstance(value, tuple):
                self.add(name, f"expected a list, got {describe(value)}", SchemaError)
            elif expected is not str:
                for i, item in enumerate(value):
                    if not isinstance(item, expected):
                        self.add(
                            f"{name}[{i}]",
                            f"expected {_article(expected.__name__)}, got {describe(item)}",
                            SchemaError,
                        )
        self.done()

    def texts(self, obj: Any) -> None:
        """Every text field of an attrs object must hold text that a file can store.

        Fields annotated ``str``, ``str | None`` or ``tuple[str, ...]`` are checked: the
        right type, and no lone surrogate (text that UTF-8, hence JSON, YAML and TOML files,
        cannot hold).
        """
        for name, many in _text_fields(type(obj)):
            value = getattr(obj, name)
            if value is None or (type(value) is str and value.isascii()):
                continue  # the common case, checked without a regex
            if many:
                if not isinstance(value, tuple):
                    continue  # the field's converter makes a tuple; other types fail elsewhere
                for i, item in enumerate(value):
                    problem = text_problem(item)
                    if problem is not None:
                        self.add(f"{name}[{i}]", *problem)
            else:
                problem = text_problem(value)
                if problem is not None:
                    self.add(name, *problem)

    def in_range(
        self,
        path: str,
        value: float | None,
        low: float,
        high: float,
        *,
        low_open: bool = False,
    ) -> None:
        """``value`` must lie in ``[low, high]`` (or ``(low, high]`` when ``low_open``)."""
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(path, f"expected a number, got {describe(value)}", SchemaError)
            return
        too_low = value <= low if low_open else value < low
        if too_low or value > high or value != value:  # NaN fails too
            bracket = "(" if low_open else "["
            self.add(path, f"must be in {bracket}{low:g}, {high:g}], got {value:g}")

    def date_order(self, path: str, start: dt.date | None, end: dt.date | None) -> None:
        """An end date must not come before its start date."""
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add(path, f"must not be before the start date {start.isoformat()}, got {end}")

    def unique(self, path: str, values: Iterable[object], what: str = "value") -> None:
        """No value may appear twice in ``values``."""
        seen: set[object] = set()
        for i, value in enumerate(values):
            try:
                if value in seen:
                    shown = quote(value) if isinstance(value, str) else describe(value)
                    self.add(f"{path}[{i}]", f"duplicate {what} {shown}")
                seen.add(value)
            except TypeError:  # unhashable: a wrong type, reported by the type checks
                continue

    def done(self) -> None:
        """Raise every recorded problem as one error, if there are any."""
        if self.problems:
            raise DataError.from_problems(self.problems)


_TEXT_FIELDS: dict[type, tuple[tuple[str, bool], ...]] = {}
_SHAPE_FIELDS: dict[type, tuple[tuple[str, type, bool, bool], ...]] = {}


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "AEIOU" else f"a {noun}"


def _shape_fields(cls: type) -> tuple[tuple[str, type, bool, bool], ...]:
    """``(name, class, is a tuple, may be None)`` of the tuple and enum fields, cached."""
    found = _SHAPE_FIELDS.get(cls)
    if found is None:
        import attrs

        hints = typing.get_type_hints(cls)
        fields: list[tuple[str, type, bool, bool]] = []
        for a in attrs.fields(cls):
            if not a.init:
                continue
            hint = hints.get(a.name)
            optional = False
            if isinstance(hint, types.UnionType):
                members = [t for t in typing.get_args(hint) if t is not type(None)]
                optional = len(members) == 1 and len(typing.get_args(hint)) == 2
                hint = members[0] if optional else None
            if typing.get_origin(hint) is tuple:
                args = typing.get_args(hint)
                if len(args) == 2 and args[1] is Ellipsis and isinstance(args[0], type):
                    fields.append((a.name, args[0], True, optional))
            elif isinstance(hint, type) and issubclass(hint, enum.Enum):
                fields.append((a.name, hint, False, optional))
        found = tuple(fields)
        _SHAPE_FIELDS[cls] = found
    return found


def _text_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """``(field name, holds a tuple)`` for the text fields of an attrs class, cached."""
    found = _TEXT_FIELDS.get(cls)
    if found is None:
        import attrs

        hints = typing.get_type_hints(cls)
        fields = []
        for a in attrs.fields(cls):
            if not a.init:
                continue
            hint = hints.get(a.name)
            if hint is str or hint == (str | None):
                fields.append((a.name, False))
            elif hint == tuple[str, ...]:
                fields.append((a.name, True))
        found = tuple(fields)
        _TEXT_FIELDS[cls] = found
    return found
