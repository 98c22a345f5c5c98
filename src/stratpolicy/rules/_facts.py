"""Turn the facts a caller gives into the values rules compute with.

Numbers become floats (money in the input's declared currency; a pint quantity is
converted to the declared unit, and an amount in another currency is refused); booleans
must be ``True``/``False``; categories must be one of the allowed strings (a ``str``
enumeration member counts as its value); dates are ``datetime.date`` objects or ISO text
``YYYY-MM-DD`` (a ``datetime``, a pandas ``Timestamp`` or a ``numpy.datetime64`` counts
as its day when it is midnight without a time zone). NaN, infinities, numbers too large
for a float and numbers outside an input's declared ``min``/``max`` are refused. A masked
value (``numpy.ma.masked``) is a missing fact.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import numbers
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any, NoReturn

from stratpolicy._checks import parse_iso_date
from stratpolicy._format import format_value
from stratpolicy.errors import (
    CurrencyError,
    DataError,
    Problem,
    SchemaError,
    UnitError,
    ValidationError,
)
from stratpolicy.rules._plan import InputInfo, OutputInfo, Plan
from stratpolicy.rules._runtime import UNSET, shown
from stratpolicy.rules._spec import ValueType

__all__ = [
    "COERCER",
    "MaskedFact",
    "as_day",
    "bound_problem",
    "coerce_output",
    "is_masked",
    "is_quantity",
    "make_coercers",
    "quantity_to_unit",
    "unknown_names",
]


class MaskedFact(KeyError):
    """Raised by the fact checkers for a masked value: the fact counts as not given.

    A ``KeyError``, so that the compiled code's handler of a missing fact catches it.
    """


def is_quantity(value: object) -> bool:
    """Whether ``value`` is a pint quantity (checked without importing pint)."""
    return type(value).__module__.startswith("pint") and hasattr(value, "magnitude")


def is_masked(value: object) -> bool:
    """Whether ``value`` is numpy's masked constant (checked without importing numpy)."""
    kind = type(value)
    return kind.__name__ == "MaskedConstant" and kind.__module__.startswith("numpy")


def _is_numpy_bool(value: object) -> bool:
    kind = type(value)
    return kind.__name__ in ("bool_", "bool") and kind.__module__.startswith("numpy")


def _fail(path: str, message: str, kind: type[DataError] = ValidationError) -> DataError:
    return kind([Problem(path, message, kind)])


def quantity_to_unit(value: Any, unit: str, vtype: ValueType, path: str) -> Any:
    """The magnitude of a pint quantity (scalar or array) in ``unit``.

    Raises:
        CurrencyError: An amount in another currency than ``unit``.
        UnitError: Not an amount of money where money is expected, or a wrong dimension.
    """
    from stratpolicy import units

    try:
        text = units.format_amount(value) if isinstance(value.magnitude, int | float) else ""
    except Exception:  # an amount that cannot be written: describe it by its type
        text = ""
    shown_value = f"'{text}'" if text else "the amount"
    if vtype is ValueType.MONEY:
        currency = units.currency_of(value)
        if currency is None:
            raise _fail(path, f"{shown_value} is not an amount of money in {unit}", UnitError)
        if currency != unit:
            raise _fail(
                path,
                f"{shown_value} is in {currency}, but the rule set expects {unit}; convert it "
                "with a dated exchange rate first",
                CurrencyError,
            )
    target = unit if unit and vtype is ValueType.MONEY else (unit or "dimensionless")
    try:
        return value.to(target).magnitude
    except Exception as exc:  # pint's DimensionalityError / UndefinedUnitError
        raise _fail(
            path,
            f"cannot express {shown_value} in {target or 'a plain number'}: "
            f"{shown(str(exc))[1:-1]}",
            UnitError,
        ) from None


def bound_problem(number: float, low: float | None, high: float | None, unit: str) -> str | None:
    """Why ``number`` is outside the bounds ``[low, high]`` (``None`` if it is inside)."""
    if low is not None and not number >= low:
        return (
            f"must be at least {format_value(low, unit)} (the input's min), "
            f"got {format_value(number, unit)}"
        )
    if high is not None and not number <= high:
        return (
            f"must be at most {format_value(high, unit)} (the input's max), "
            f"got {format_value(number, unit)}"
        )
    return None


def _number(
    value: object,
    unit: str,
    vtype: ValueType,
    path: str,
    low: float | None = None,
    high: float | None = None,
) -> float:
    if isinstance(value, bool) or _is_numpy_bool(value):
        raise _fail(path, f"must be a number, got {value!r}")
    try:
        if isinstance(value, float | int):
            number = float(value)
        elif is_quantity(value):
            number = float(quantity_to_unit(value, unit, vtype, path))
        elif isinstance(value, numbers.Real | Decimal):
            number = float(value)
        else:
            shown_unit = f" in {unit}" if unit else ""
            raise _fail(path, f"must be a number{shown_unit}, got {shown(value)}")
    except DataError:
        raise
    except OverflowError:
        raise _fail(path, f"must be a finite number, got {shown(value)}, too large") from None
    except Exception:  # Decimal('sNaN'), a number type whose __float__ fails
        raise _fail(path, f"must be a finite number, got {shown(value)}") from None
    if not math.isfinite(number):
        raise _fail(path, f"must be a finite number, got {number!r}")
    if low is not None or high is not None:
        why = bound_problem(number, low, high, unit)
        if why is not None:
            raise _fail(path, why)
    return number


def _boolean(value: object, path: str) -> bool:
    if isinstance(value, bool):
        return value
    if _is_numpy_bool(value):
        return bool(value)
    raise _fail(path, f"must be true or false, got {shown(value)}")


def _category(value: object, allowed: frozenset[str], listed: tuple[str, ...], path: str) -> str:
    if isinstance(value, Enum) and isinstance(value.value, str):
        value = value.value
    if isinstance(value, str):
        text = str(value)
        if text in allowed:
            return text
        raise _fail(path, f"{shown(text)} is not one of {', '.join(repr(c) for c in listed)}")
    raise _fail(path, f"must be one of {', '.join(repr(c) for c in listed)}, got {shown(value)}")


_EPOCH = dt.date(1970, 1, 1)
_DATE_FORMS = "a date (a datetime.date, or text YYYY-MM-DD)"


def as_day(value: object) -> dt.date | str:
    """``value`` as a date, or why it is not one (a message).

    A ``datetime.date``; ISO text ``YYYY-MM-DD``; a ``datetime`` (a pandas ``Timestamp``)
    or a ``numpy.datetime64`` at midnight without a time zone. Not NaT, not a time of day.
    """
    kind = type(value)
    if kind is dt.date:
        return value  # type: ignore[return-value]
    if isinstance(value, str):
        day = parse_iso_date(str(value))
        if day is None:
            return f"must be {_DATE_FORMS}, got {shown(value)}"
        return day
    if isinstance(value, dt.datetime):
        if value != value:  # pandas' NaT
            return f"must be {_DATE_FORMS}, got NaT (not a time)"
        if value.tzinfo is not None or value.time() != dt.time():
            return f"must be {_DATE_FORMS}, got {value.isoformat()} (a time of day)"
        return value.date()
    if kind.__name__ == "datetime64" and kind.__module__.startswith("numpy"):
        text = str(value)
        if text == "NaT":
            return f"must be {_DATE_FORMS}, got NaT (not a time)"
        day = value.astype("datetime64[D]")  # type: ignore[attr-defined]
        if day != value:
            return f"must be {_DATE_FORMS}, got {text} (a time of day)"
        return _EPOCH + dt.timedelta(days=int(day.astype("int64")))
    if isinstance(value, dt.date):  # a subclass of date that is not a datetime
        return dt.date(value.year, value.month, value.day)
    return f"must be {_DATE_FORMS}, got {shown(value)}"


def _date(value: object, path: str) -> dt.date:
    day = as_day(value)
    if isinstance(day, str):
        raise _fail(path, day)
    return day


def coerce_output(value: object, out: OutputInfo, path: str, rule: str = "") -> object:
    """Check and convert a value a Python rule returned for ``out``.

    Raises:
        ValidationError: Not a value of the output's type, or a number that is not finite
            (the message names the rule when ``rule`` is given).
    """
    who = f"python rule {rule!r} returned for {out.name!r} a value that " if rule else ""
    try:
        if out.vtype in (ValueType.NUMBER, ValueType.MONEY):
            bad = isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal)
            if bad and not is_quantity(value):
                raise _fail(path, f"must be a number, got {shown(value)}")
            return _number(value, out.unit, out.vtype, path)
        if out.vtype is ValueType.BOOL:
            return _boolean(value, path)
        return _category(value, frozenset(out.categories), out.categories, path)
    except DataError as exc:
        if not who:
            raise
        raise DataError.from_problems(
            [Problem(p.path, who + p.message, p.kind) for p in exc.problems]
        ) from None


def unknown_names(
    given: list[object], declared: list[str], what: str, path: str, listing: str
) -> list[Problem]:
    """One :class:`SchemaError` problem per unknown name, naming the closest declared one."""
    problems = []
    for key in given:
        text = key if isinstance(key, str) else shown(key)
        close = difflib.get_close_matches(text, declared, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        problems.append(
            Problem(
                f"{path}.{text}" if path else text,
                f"unknown {what} ({hint}{listing}: {', '.join(declared)})",
                SchemaError,
            )
        )
    return problems


def make_coercers(plan: Plan) -> dict[str, Callable[..., Any]]:
    """The helper functions compiled code calls to check facts and Python rule results."""
    inputs = plan.inputs
    paths = [f"facts.{i.name}" for i in inputs]
    allowed = [frozenset(i.categories) for i in inputs]
    names = frozenset(i.name for i in inputs)
    declared = [i.name for i in inputs]

    def cnum(value: object, index: int) -> float:
        if is_masked(value):
            raise MaskedFact(index)
        info = inputs[index]
        return _number(value, info.unit, info.vtype, paths[index], info.low, info.high)

    def cbool(value: object, index: int) -> bool:
        if is_masked(value):
            raise MaskedFact(index)
        return _boolean(value, paths[index])

    def ccat(value: object, index: int) -> str:
        if is_masked(value):
            raise MaskedFact(index)
        return _category(value, allowed[index], inputs[index].categories, paths[index])

    def cdate(value: object, index: int) -> dt.date:
        if is_masked(value):
            raise MaskedFact(index)
        return _date(value, paths[index])

    def extra(facts: Mapping[object, object]) -> None:
        unknown = [k for k in facts if k not in names]
        if unknown:
            raise SchemaError(unknown_names(unknown, declared, "input", "facts", "the inputs are"))

    def pyo(result: object, rule: int, slot: int) -> object:
        info = plan.rules[rule]
        out = plan.outputs[info.outputs[slot][0]]
        path = f"{info.path}.sets.{out.name}"
        if not isinstance(result, Mapping):
            raise _fail(
                path,
                f"python rule {info.id!r} must return a mapping or None, got {shown(result)}",
            )
        if out.name not in result:
            raise _fail(path, f"python rule {info.id!r} did not return {out.name!r}")
        return coerce_output(result[out.name], out, path, info.id)

    def nonfinite() -> NoReturn:
        raise ArithmeticError("a value is not finite")  # the careful path says where

    return {
        "CNUM": cnum,
        "CBOOL": cbool,
        "CCAT": ccat,
        "CDATE": cdate,
        "EXTRA": extra,
        "PYO": pyo,
        "NF": nonfinite,
    }


COERCER = {
    ValueType.NUMBER: "CNUM",
    ValueType.MONEY: "CNUM",
    ValueType.BOOL: "CBOOL",
    ValueType.CATEGORY: "CCAT",
    ValueType.DATE: "CDATE",
}
"""The helper that checks a fact of each type."""


def input_value(info: InputInfo, raw: object, coercers: Mapping[str, Callable[..., Any]]) -> Any:
    """One fact checked and converted (the careful path); ``UNSET`` if it is masked."""
    kind = COERCER[info.vtype]
    try:
        return coercers[kind](raw, info.index)
    except MaskedFact:
        return info.default if info.default is not None else UNSET
