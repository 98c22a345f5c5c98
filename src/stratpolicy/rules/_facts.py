"""Turn the facts a caller gives into the values rules compute with.

Numbers become floats (money in the input's declared currency; a pint quantity is
converted to the declared unit, and an amount in another currency is refused); booleans
must be ``True``/``False``; categories must be one of the allowed strings (a ``str``
enumeration member counts as its value). NaN and infinities are refused.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

from stratpolicy.errors import CurrencyError, DataError, Problem, UnitError, ValidationError
from stratpolicy.rules._plan import InputInfo, OutputInfo, Plan
from stratpolicy.rules._runtime import UNSET
from stratpolicy.rules._spec import ValueType

__all__ = ["coerce_output", "is_quantity", "make_coercers", "quantity_to_unit"]


def is_quantity(value: object) -> bool:
    """Whether ``value`` is a pint quantity (checked without importing pint)."""
    return type(value).__module__.startswith("pint") and hasattr(value, "magnitude")


def _fail(path: str, message: str, kind: type[DataError] = ValidationError) -> DataError:
    return kind([Problem(path, message, kind)])


def quantity_to_unit(value: Any, unit: str, vtype: ValueType, path: str) -> Any:
    """The magnitude of a pint quantity (scalar or array) in ``unit``.

    Raises:
        CurrencyError: An amount in another currency than ``unit``.
        UnitError: Not an amount of money where money is expected, or a wrong dimension.
    """
    from stratpolicy import units

    shown = units.format_amount(value) if isinstance(value.magnitude, (int, float)) else value
    if vtype is ValueType.MONEY:
        currency = units.currency_of(value)
        if currency is None:
            raise _fail(path, f"'{shown}' is not an amount of money in {unit}", UnitError)
        if currency != unit:
            raise _fail(
                path,
                f"'{shown}' is in {currency}, but the rule set expects {unit}; convert it with "
                "a dated exchange rate first",
                CurrencyError,
            )
    target = unit if unit and vtype is ValueType.MONEY else (unit or "dimensionless")
    try:
        return value.to(target).magnitude
    except Exception as exc:  # pint's DimensionalityError / UndefinedUnitError
        raise _fail(
            path, f"cannot express '{shown}' in {target or 'a plain number'}: {exc}", UnitError
        ) from None


def _number(value: object, info: InputInfo | OutputInfo, path: str) -> float:
    if value is UNSET:
        return value  # type: ignore[no-any-return]
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        raise _fail(path, f"must be a number, got {value!r}")
    if isinstance(value, float | int):
        number = float(value)
    elif is_quantity(value):
        number = float(quantity_to_unit(value, info.unit, info.vtype, path))
    elif isinstance(value, numbers.Real | Decimal):
        number = float(value)
    else:
        unit = f" in {info.unit}" if info.unit else ""
        raise _fail(path, f"must be a number{unit}, got {value!r}")
    if not math.isfinite(number):
        raise _fail(path, f"must be a finite number, got {number!r}")
    return number


def _boolean(value: object, path: str) -> bool:
    if isinstance(value, bool):
        return value
    if type(value).__name__ == "bool_":  # numpy.bool_
        return bool(value)
    raise _fail(path, f"must be true or false, got {value!r}")


def _category(value: object, allowed: frozenset[str], shown: tuple[str, ...], path: str) -> str:
    if isinstance(value, Enum) and isinstance(value.value, str):
        value = value.value
    if isinstance(value, str):
        text = str(value)
        if text in allowed:
            return text
        raise _fail(path, f"{text!r} is not one of {', '.join(repr(c) for c in shown)}")
    raise _fail(path, f"must be one of {', '.join(repr(c) for c in shown)}, got {value!r}")


def coerce_output(value: object, out: OutputInfo, path: str) -> object:
    """Check and convert a value a Python rule returned for ``out``."""
    if out.vtype in (ValueType.NUMBER, ValueType.MONEY):
        bad = isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal)
        if bad and not is_quantity(value):
            raise _fail(path, f"must be a number, got {value!r}")
        if is_quantity(value):
            return float(quantity_to_unit(value, out.unit, out.vtype, path))
        return float(value)  # type: ignore[arg-type]
    if out.vtype is ValueType.BOOL:
        return _boolean(value, path)
    return _category(value, frozenset(out.categories), out.categories, path)


def make_coercers(plan: Plan) -> dict[str, Callable[..., Any]]:
    """The helper functions compiled code calls to check facts and Python rule results."""
    inputs = plan.inputs
    paths = [f"facts.{i.name}" for i in inputs]
    allowed = [frozenset(i.categories) for i in inputs]
    names = frozenset(i.name for i in inputs)

    def cnum(value: object, index: int) -> float:
        return _number(value, inputs[index], paths[index])

    def cbool(value: object, index: int) -> bool:
        return _boolean(value, paths[index])

    def ccat(value: object, index: int) -> str:
        return _category(value, allowed[index], inputs[index].categories, paths[index])

    def extra(facts: Mapping[str, object]) -> None:
        unknown = [k for k in facts if k not in names]
        if unknown:
            listed = ", ".join(sorted(names))
            raise ValidationError(
                [
                    Problem(f"facts.{k}", f"unknown input (the inputs are: {listed})")
                    for k in unknown
                ]
            )

    def pyo(result: object, rule: int, slot: int) -> object:
        info = plan.rules[rule]
        out = plan.outputs[info.outputs[slot][0]]
        path = f"{info.path}.sets.{out.name}"
        if not isinstance(result, Mapping):
            raise _fail(
                path, f"python rule {info.id!r} must return a mapping or None, got {result!r}"
            )
        if out.name not in result:
            raise _fail(path, f"python rule {info.id!r} did not return {out.name!r}")
        return coerce_output(result[out.name], out, path)

    return {"CNUM": cnum, "CBOOL": cbool, "CCAT": ccat, "EXTRA": extra, "PYO": pyo}
