"""The library's one cattrs converter, and the translation of its errors into ours.

Every part of the library that reads or writes objects goes through :func:`get_converter`.
Its hooks are strict: a string is never silently turned into a number, a list is never
built from the characters of a string, unknown keys are errors, and a wrong value is
reported with the path of its field. pint's own errors never reach the user (its
``DimensionalityError`` also crashes ``cattrs.transform_error``): amounts are parsed by
:func:`stratpolicy.units.parse_amount`, which raises our :class:`UnitError`.
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import math
import threading
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from stratpolicy._checks import describe, parse_iso_date, quote, text_problem
from stratpolicy.errors import (
    DataError,
    Problem,
    SchemaError,
    ValidationError,
    join_path,
)
from stratpolicy.limits import MAX_INTEGER_DIGITS, MAX_LIST_PROBLEMS
from stratpolicy.model import (
    ActorKind,
    BudgetStage,
    FirmSize,
    IncentiveKind,
    InstrumentCategory,
    InstrumentKind,
    MissionKind,
    TechnologyKind,
)
from stratpolicy.units import Amount, Money, format_amount, parse_amount

__all__ = ["get_converter", "register_enum", "structure", "unstructure"]


_MODEL_ENUMS = (
    ActorKind,
    BudgetStage,
    FirmSize,
    IncentiveKind,
    InstrumentCategory,
    InstrumentKind,
    MissionKind,
    TechnologyKind,
)


class _Invalid(Exception):
    """A hook's verdict on one value; becomes a :class:`Problem` at the value's path."""

    def __init__(self, message: str, kind: type[DataError] = SchemaError) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


def _str(value: object, _: type) -> str:
    problem = text_problem(value)
    if problem is not None:
        raise _Invalid(*problem)
    assert isinstance(value, str)
    return value


def _int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"expected a whole number, got {describe(value)}")
    if abs(value) >= _INT_BOUND:
        raise _Invalid(
            f"{describe(value)} has more than {MAX_INTEGER_DIGITS} digits "
            "(stratpolicy.limits.MAX_INTEGER_DIGITS)",
            ValidationError,
        )
    return value


_INT_BOUND = 10**MAX_INTEGER_DIGITS


def _float(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Invalid(f"expected a number, got {describe(value)}")
    if isinstance(value, int):
        _int(value, int)
        return float(value)
    if not math.isfinite(value):
        raise _Invalid(f"must be a finite number, got {float.__repr__(value)}", ValidationError)
    return float(value)


def _bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"expected true or false, got {describe(value)}")
    return value


def _date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _Invalid(f"expected a date (YYYY-MM-DD) without a time, got {value.isoformat()!r}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        parsed = parse_iso_date(value)
        if parsed is not None:
            return parsed
    raise _Invalid(f"expected a date as YYYY-MM-DD, got {describe(value)}")


def _refuse_code(value: object, _: type) -> Any:
    raise _Invalid("a Python function cannot be read from a document")


def _amount(value: object, _: type) -> Amount:
    try:
        return parse_amount(value)  # type: ignore[arg-type]
    except DataError as exc:
        raise _Invalid(exc.problems[0].message, exc.problems[0].kind) from None


def _money(value: object, _: type) -> Money:
    try:
        return parse_amount(value, dimension="money")  # type: ignore[arg-type]
    except DataError as exc:
        raise _Invalid(exc.problems[0].message, exc.problems[0].kind) from None


def _make_attrs_hook(conv: cattrs.Converter) -> Callable[[Any], Callable[[object, type], Any]]:
    def factory(cls: Any) -> Callable[[object, type], Any]:
        inner = make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True
        )
        # A class may be written as one string filling one field (a link as an id).
        shorthand = getattr(cls, "__shorthand__", None)

        def hook(value: object, _: type) -> Any:
            if isinstance(shorthand, str) and isinstance(value, str):
                return inner({shorthand: value}, cls)
            if not isinstance(value, Mapping):
                expected = "a mapping of fields"
                if isinstance(shorthand, str):
                    expected += f" or a {shorthand} id"
                raise _Invalid(f"expected {expected}, got {describe(value)}")
            return inner(value, cls)

        return hook

    return factory


def _make_shorthand_unstructure(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any], Any]]:
    def factory(cls: Any) -> Callable[[Any], Any]:
        from cattrs.gen import make_dict_unstructure_fn

        inner = make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True)
        field = cls.__shorthand__

        def hook(obj: Any) -> Any:
            data = inner(obj)
            return data[field] if list(data) == [field] else data

        return hook

    return factory


def _enum_hook(cls: type[Enum]) -> Callable[[object, type], Enum]:
    allowed = ", ".join(repr(m.value) for m in cls)

    def hook(value: object, _: type) -> Enum:
        if isinstance(value, str):
            try:
                return cls(value)
            except ValueError:
                pass
        shown = quote(value) if isinstance(value, str) else describe(value)
        raise _Invalid(f"{shown} is not a {cls.__name__}; expected one of {allowed}")

    return hook


def _is_homogeneous_tuple(t: Any) -> bool:
    args = typing.get_args(t)
    return typing.get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _make_tuple_hook(conv: cattrs.Converter) -> Callable[[Any], Callable[[object, type], Any]]:
    def factory(t: Any) -> Callable[[object, type], Any]:
        inner = typing.get_args(t)[0]
        inner_hook = conv.get_structure_hook(inner)

        def hook(value: object, _: type) -> tuple[Any, ...]:
            if not isinstance(value, (list, tuple)):
                raise _Invalid(f"expected a list, got {describe(value)}")
            out: list[Any] = []
            errors: list[Exception] = []
            for i, item in enumerate(value):
                try:
                    out.append(inner_hook(item, inner))
                except Exception as failure:
                    exc: Exception = failure
                    if len(errors) == MAX_LIST_PROBLEMS:
                        exc = _Invalid(
                            f"and more: the items from here on are not checked "
                            f"(stratpolicy.limits.MAX_LIST_PROBLEMS = {MAX_LIST_PROBLEMS})"
                        )
                    _note_index(exc, t, i, inner)
                    errors.append(exc)
                    if len(errors) > MAX_LIST_PROBLEMS:
                        break
            if errors:
                raise IterableValidationError(f"While structuring {t}", errors, t)
            return tuple(out)

        return hook

    return factory


def _note_index(exc: Exception, t: Any, index: int, inner: Any) -> None:
    exc.__notes__ = [
        *getattr(exc, "__notes__", []),
        IterableValidationNote(f"Structuring {t} @ index {index}", index, inner),
    ]


def _is_mapping(t: Any) -> bool:
    origin = typing.get_origin(t)
    return origin in (dict, Mapping, collections.abc.Mapping) and len(typing.get_args(t)) == 2


def _make_mapping_hook(conv: cattrs.Converter) -> Callable[[Any], Callable[[object, type], Any]]:
    def factory(t: Any) -> Callable[[object, type], Any]:
        key_type, value_type = typing.get_args(t)
        key_hook = conv.get_structure_hook(key_type)
        value_hook = conv.get_structure_hook(value_type)

        def hook(value: object, _: type) -> dict[Any, Any]:
            if not isinstance(value, Mapping):
                raise _Invalid(f"expected a mapping, got {describe(value)}")
            out: dict[Any, Any] = {}
            problems: list[Problem] = []
            for key, item in value.items():
                where = f"[{_key_path(key).strip('[]')}]"
                try:
                    out[key_hook(key, key_type)] = value_hook(item, value_type)
                except Exception as exc:
                    problems.extend(_problems(exc, where))
                    if len(problems) > MAX_LIST_PROBLEMS:
                        break
            if problems:
                raise DataError.from_problems(problems)
            return out

        return hook

    return factory


def _is_callable(t: Any) -> bool:
    return typing.get_origin(t) is collections.abc.Callable or t is collections.abc.Callable


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True, omit_if_default=True)
    # Single dispatch, like cattrs' own hooks for these types; str-based enums get hooks of
    # their own below (the most specific class wins).
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(float, _float)
    conv.register_structure_hook(bool, _bool)
    conv.register_structure_hook(dt.date, _date)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook(Amount, _amount)
    conv.register_structure_hook(Money, _money)
    conv.register_structure_hook_factory(attrs.has, _make_attrs_hook(conv))
    conv.register_unstructure_hook_factory(
        lambda t: attrs.has(t) and isinstance(getattr(t, "__shorthand__", None), str),
        _make_shorthand_unstructure(conv),
    )
    conv.register_unstructure_hook_func(_is_quantity_type, format_amount)
    conv.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, Enum), _enum_hook
    )
    for enum_cls in _MODEL_ENUMS:  # str-based enums: single dispatch would pick ``str``
        conv.register_structure_hook(enum_cls, _enum_hook(enum_cls))
        conv.register_unstructure_hook(enum_cls, _enum_value)
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, Enum), _enum_value
    )
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _make_tuple_hook(conv))
    conv.register_structure_hook_factory(_is_mapping, _make_mapping_hook(conv))
    conv.register_structure_hook_func(_is_callable, _refuse_code)
    conv.register_unstructure_hook_func(
        lambda t: isinstance(getattr(t, "__not_serialisable__", None), str), _refuse
    )
    return conv


def _refuse(obj: Any) -> Any:
    """Objects that hold code (a Python rule) cannot be written to a document."""
    raise TypeError(f"{type(obj).__name__} cannot be written to a file: {obj.__not_serialisable__}")


def _is_quantity_type(t: Any) -> bool:
    if t is Amount or t is Money:
        return True
    try:
        import pint
    except ImportError:  # pragma: no cover - pint is a dependency
        return False
    return isinstance(t, type) and issubclass(t, pint.Quantity)


_lock = threading.Lock()
_converter: cattrs.Converter | None = None


def get_converter() -> cattrs.Converter:
    """The library's cattrs converter, built on first use.

    Upper layers add hooks for their own classes to it; everything the library reads or
    writes goes through it.
    """
    global _converter
    if _converter is None:
        with _lock:
            if _converter is None:
                _converter = _make_converter()
    return _converter


def register_enum(cls: type[Enum]) -> None:
    """Teach the converter an enumeration of an upper layer.

    It gets the library's strict hook and clear message; enums that subclass ``str`` need
    this, or cattrs would treat them as plain text.
    """
    conv = get_converter()
    conv.register_structure_hook(cls, _enum_hook(cls))
    conv.register_unstructure_hook(cls, _enum_value)


def _enum_value(member: Enum) -> Any:
    return member.value


def unstructure(obj: Any) -> Any:
    """Turn a model object into plain data (dicts, lists, strings, numbers, booleans)."""
    return get_converter().unstructure(obj)


T = typing.TypeVar("T")


def structure(data: Any, cls: type[T], *, path: str = "", source: str | None = None) -> T:
    """Build an object of class ``cls`` from plain data, or raise every problem at once.

    Args:
        data: Plain data as read from JSON, YAML or TOML.
        cls: The class to build.
        path: The path of ``data`` within its document, put in front of problem paths.
        source: The file the data came from, for the error message.

    Raises:
        DataError: A subclass naming every problem with its path; nothing is half-built.
    """
    try:
        return get_converter().structure(data, cls)
    except Exception as exc:
        problems = _problems(exc, path)
        raise DataError.from_problems(problems, source=source) from None


def _problems(exc: BaseException, path: str) -> list[Problem]:
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        found: list[Problem] = []
        for sub in exc.exceptions:
            found.extend(_problems(sub, _note_path(sub, path)))
        return found
    if isinstance(exc, _Invalid):
        return [Problem(path, exc.message, exc.kind)]
    if isinstance(exc, DataError):
        return [p.at(path) for p in exc.problems]
    if isinstance(exc, ForbiddenExtraKeysError):
        expected = _field_names(exc.cl)
        return [
            Problem(
                join_path(path, _key_path(key)),
                f"unknown key; expected one of {expected}",
                SchemaError,
            )
            for key in sorted(exc.extra_fields, key=_sort_key)
        ]
    if isinstance(exc, KeyError):
        return [Problem(path, "required field is missing", SchemaError)]
    # Anything else (a class's own converter refusing a value) is described by the type
    # expected, never by the Python exception's text.
    expected = _expected_type(exc)
    return [Problem(path, f"is not valid here{expected}", SchemaError)]


def _sort_key(key: object) -> tuple[str, str]:
    return (type(key).__name__, key if isinstance(key, str) else describe(key))


def _key_path(key: object) -> str:
    """A key as a path element: plain when it is a short identifier, quoted otherwise."""
    if isinstance(key, str) and len(key) <= 60 and key.isidentifier() and key.isascii():
        return key
    return quote(key) if isinstance(key, str) else f"[{describe(key)}]"


def _expected_type(exc: BaseException) -> str:
    for note in getattr(exc, "__notes__", []):
        t = getattr(note, "type", None)
        if t is not None:
            name = getattr(t, "__name__", None)
            return f"; expected a {name}" if name else ""
    return ""


def _note_path(exc: BaseException, path: str) -> str:
    for note in getattr(exc, "__notes__", []):
        name = getattr(note, "name", None)
        index = getattr(note, "index", None)
        if name is not None:
            path = join_path(path, str(name))
        elif index is not None:
            path = f"{path}[{index}]"
    return path


def _field_names(cls: type | None) -> str:
    if cls is None or not attrs.has(cls):
        return "the documented fields"
    return ", ".join(a.alias or a.name for a in attrs.fields(cls) if a.init)
