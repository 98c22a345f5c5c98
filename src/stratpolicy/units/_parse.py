"""Reading amounts: :func:`parse_amount`, :func:`quantity`, :func:`money`, and their checks.

No text reaches pint's own parser. Money is read by :mod:`._money_text`; any other amount
is a number followed by unit names in the library's small grammar, each name looked up in
the registry one at a time, within the bounds of :mod:`stratpolicy.limits`.
"""

from __future__ import annotations

import math
import re
from typing import Any

from stratpolicy._checks import describe, quote
from stratpolicy.errors import CurrencyError, UnitError
from stratpolicy.limits import MAX_AMOUNT_LENGTH, MAX_UNIT_EXPONENT, MAX_UNIT_TERMS
from stratpolicy.units._currencies import ISO_4217
from stratpolicy.units._money_text import NUMBER_PATTERN, SPACES, read_money
from stratpolicy.units._registry import Amount, currency_of, registry

__all__ = ["money", "parse_amount", "quantity"]

# Any other amount: a number (ASCII digits, thousands separators, decimals, exponent), then
# a unit. Nothing here can backtrack badly: the text is at most MAX_AMOUNT_LENGTH characters.
_AMOUNT = re.compile(rf"\s*([+-]?{NUMBER_PATTERN})?\s*(.*?)\s*", re.ASCII | re.DOTALL)
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_UNIT_TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*|%)|(?P<op>\*\*|[*/^])|(?P<int>[+-]?[0-9]+))",
    re.ASCII,
)
_GRAMMAR = (
    "a unit is names joined by '*', '/' or spaces, each with an optional whole power "
    f"'^n' (|n| <= {MAX_UNIT_EXPONENT}), at most {MAX_UNIT_TERMS} names"
)
_CACHE_SIZE = 4096
_UNIT_CACHE: dict[str, Any] = {}
_FACTOR_CACHE: dict[Any, float | None] = {}


def quantity(value: float, unit: str) -> Amount:
    """Make a quantity in the library's registry: ``quantity(2.5, "GW")``.

    ``unit`` is read with the same small grammar as :func:`parse_amount`.

    Raises:
        UnitError: ``unit`` is not a unit the registry knows, or ``value`` is not a finite
            number.
    """
    _check_number(value)
    if not isinstance(unit, str):
        raise UnitError([f"expected a unit as text such as 'GW', got {describe(unit)}"])
    units = _parse_units(unit, unit)
    amount = registry().Quantity(value, units)
    _check_finite(quote(f"{value!r} {unit}"), amount)
    return amount


def money(value: float, currency: str) -> Amount:
    """Make an amount of money: ``money(8.6, "trillion KRW")``.

    ``currency`` is an ISO 4217 code (:data:`~stratpolicy.units.CURRENCIES`), optionally after
    a scale word (``"billion USD"``), or one of the registry's currency names (``"won"``).

    Raises:
        CurrencyError: ``currency`` is not (a scale of) an ISO 4217 currency.
        UnitError: ``value`` is not a finite number.
    """
    _check_number(value)
    if not isinstance(currency, str):
        raise CurrencyError(
            [f"expected a currency as text such as 'KRW', got {describe(currency)}"]
        )
    try:
        units = _parse_units(currency, currency)
    except UnitError:
        raise CurrencyError([not_a_currency(currency)]) from None
    amount = registry().Quantity(value, units)
    if currency_of(amount) is None:
        raise CurrencyError([not_a_currency(currency)])
    _check_finite(quote(f"{value!r} {currency}"), amount)
    return amount


def _check_number(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UnitError([f"expected a number, got {describe(value)}"])


_EXPECTED_CODE = (
    f"expected an ISO 4217 code such as KRW, USD or EUR (one of the {len(ISO_4217)} in "
    "stratpolicy.units.CURRENCIES)"
)


def not_a_currency(text: object) -> str:
    """The message for a unit that names no currency (``money(1, "GW")``)."""
    shown = quote(text) if isinstance(text, str) else describe(text)
    return f"{shown} is not a currency; {_EXPECTED_CODE}"


def unknown_currency(code: object) -> str:
    """The message for a currency code that is not one of :data:`CURRENCIES`."""
    shown = quote(code) if isinstance(code, str) else describe(code)
    return f"unknown currency {shown}; {_EXPECTED_CODE}"


def parse_amount(text: str, *, dimension: str | None = None) -> Amount:
    """Parse an amount written as in a policy document or a budget.

    Money is read as budgets write it, in English, Korean, Japanese and Chinese:
    ``"35.3 trillion KRW"``, ``"8조 6천억원"``, ``"3,500억원"``, ``"1兆2000億円"``,
    ``"1.2万亿元"``, ``"₩1,000"``, ``"$52.7 billion"``, ``"€1.5 bn"``, ``"£2m"``,
    ``"USD 52.7 billion"``, ``"52.7bn USD"``, ``"8.6 trillion won"``. The guide "Units and
    money" lists every accepted spelling; :func:`format_amount` writes each back in one
    canonical form (``3,500억원`` is ``350 billion KRW``).

    Any other amount is a number in ASCII digits followed by unit names joined by ``*``,
    ``/`` or spaces, each with an optional small whole power: ``"50,000 GPU"``,
    ``"1.2 exaFLOP/s"``, ``"2.5 GW"``, ``"15 %"``, ``"9.81 m/s^2"``.

    The text is read with the library's own grammar, never handed to pint's parser. Its
    bounds (:data:`~stratpolicy.limits.MAX_AMOUNT_LENGTH`,
    :data:`~stratpolicy.limits.MAX_UNIT_TERMS`, :data:`~stratpolicy.limits.MAX_UNIT_EXPONENT`)
    are checked before any unit is built, and the amount must be finite.

    Args:
        text: The amount.
        dimension: If given, the amount must have this dimension: ``"money"`` for any
            currency, a currency code such as ``"KRW"``, or a unit whose dimension it must
            share (``"W"``).

    Raises:
        UnitError: The text is not a number followed by a known unit, is too long, is not
            finite, or has the wrong dimension.
        CurrencyError: ``dimension`` names a currency and the amount is in another one.

    Examples:
        >>> parse_amount("50,000 GPU").magnitude
        50000
        >>> parse_amount("8조 6천억원").to("KRW").magnitude
        8600000000000.0
    """
    if not isinstance(text, str):
        raise UnitError(
            [f"expected an amount as text such as '35.3 trillion KRW', got {describe(text)}"]
        )
    shown = quote(text)
    if len(text) > MAX_AMOUNT_LENGTH:
        raise UnitError([f"{shown} is not an amount: longer than {MAX_AMOUNT_LENGTH} characters"])
    found = read_money(text)
    if found is not None:
        unit_text = f"{found.scale} {found.currency}" if found.scale else found.currency
        amount = registry().Quantity(found.magnitude, _parse_units(unit_text, text))
    else:
        match = _AMOUNT.fullmatch(text.translate(SPACES))
        number_text = match.group(1) if match is not None else ""
        if match is None or not number_text:
            raise UnitError(
                [f"{shown} is not an amount: expected a number (ASCII digits) then a unit"]
            )
        number_text = number_text.replace(",", "").replace(" ", "")
        number: float = int(number_text) if _INTEGER.fullmatch(number_text) else float(number_text)
        amount = registry().Quantity(number, _parse_units(match.group(2), text))
    _check_finite(shown, amount)
    if isinstance(amount.magnitude, int) and abs(amount.magnitude) >= _LONG_INT:
        _check_writable(shown, amount)
    if dimension is not None:
        _check_dimension(shown, amount, dimension)
    return amount


_LONG_INT = 10**60  # whole numbers this long may not fit the canonical spelling's bound


def _check_writable(shown: str, amount: Amount) -> None:
    from stratpolicy.units._format import format_amount

    try:
        format_amount(amount)
    except UnitError:
        raise UnitError(
            [f"{shown} cannot be written back in {MAX_AMOUNT_LENGTH} characters"]
        ) from None


def _parse_units(unit_text: str, text: str) -> Any:
    """The pint unit of ``unit_text``, read with the library's grammar (see parse_amount).

    Units read once are kept (at most a few thousand): documents repeat a handful of units.
    """
    unit = _UNIT_CACHE.get(unit_text)
    if unit is None:
        unit = _read_units(unit_text, text)
        if len(_UNIT_CACHE) >= _CACHE_SIZE:
            _UNIT_CACHE.clear()
        _UNIT_CACHE[unit_text] = unit
    return unit


def _read_units(unit_text: str, text: str) -> Any:
    reg = registry()
    terms: list[tuple[str, int]] = []
    pos, sign, expect_term = 0, 1, True
    end = len(unit_text.rstrip())
    while pos < end:
        token = _UNIT_TOKEN.match(unit_text, pos)
        if token is None:
            raise UnitError([f"{quote(text)}: {quote(unit_text)} is not a unit: {_GRAMMAR}"])
        pos = token.end()
        name, op = token.group("name"), token.group("op")
        if name is not None:
            if len(terms) >= MAX_UNIT_TERMS:
                raise UnitError([f"{quote(text)}: more than {MAX_UNIT_TERMS} unit names"])
            power = 1
            after = _UNIT_TOKEN.match(unit_text, pos)
            if after is not None and after.group("op") in ("^", "**"):
                exponent = _UNIT_TOKEN.match(unit_text, after.end())
                if exponent is None or exponent.group("int") is None:
                    raise UnitError(
                        [f"{quote(text)}: a power must be a whole number, as in 'm^3' or 's^-2'"]
                    )
                digits = exponent.group("int")
                power = int(digits) if len(digits) <= 3 else MAX_UNIT_EXPONENT + 1
                if power == 0 or abs(power) > MAX_UNIT_EXPONENT:
                    raise UnitError(
                        [
                            f"{quote(text)}: the power {digits[:5]} is out of bounds: expected "
                            f"a whole number from -{MAX_UNIT_EXPONENT} to {MAX_UNIT_EXPONENT}, "
                            "other than 0"
                        ]
                    )
                pos = exponent.end()
            terms.append((name, sign * power))
            sign, expect_term = 1, False
        elif op in ("*", "/") and not expect_term:
            sign, expect_term = (1 if op == "*" else -1), True
        else:
            raise UnitError([f"{quote(text)}: {quote(unit_text)} is not a unit: {_GRAMMAR}"])
    if expect_term and terms:
        raise UnitError([f"{quote(text)}: {quote(unit_text)} ends with an operator"])
    unit = reg.Unit("")
    for name, power in terms:
        if not reg.parse_unit_name(name):
            raise UnitError([f"{quote(text)}: unknown unit {quote(name)}"])
        try:
            unit = unit * reg.Unit(name) ** power
        except Exception:  # pint raises several unrelated types for odd units
            raise UnitError([f"{quote(text)}: unknown unit {quote(name)}"]) from None
    powers: dict[str, Any] = dict(unit._units.items())
    for name, total in powers.items():  # 'm^3 * m^2' is m^5: bound the result too
        if abs(total) > MAX_UNIT_EXPONENT:
            raise UnitError(
                [
                    f"{quote(text)}: {name} ends up to the power {total}; expected a power "
                    f"from -{MAX_UNIT_EXPONENT} to {MAX_UNIT_EXPONENT}"
                ]
            )
    return unit


def check_finite(shown: str, amount: Amount) -> None:
    """The amount, and the amount in base units, must be finite floats."""
    try:
        number = float(amount.magnitude)
        factor = _base_factor(amount)
        base = number * factor if factor is not None else amount.to_base_units().magnitude
        ok = math.isfinite(number) and math.isfinite(float(base))
    except (OverflowError, TypeError, ValueError):
        ok = False
    if not ok:
        raise UnitError(
            [f"{shown} is not a finite amount (at most about 1.8e308 in base units, never NaN)"]
        )


_check_finite = check_finite


def _base_factor(amount: Amount) -> float | None:
    """How many base units one of the amount's unit is; ``None`` for offset units (degC)."""
    key = amount._units
    if key not in _FACTOR_CACHE:
        factor: float | None = None
        if amount._is_multiplicative:
            factor = float(registry().Quantity(1.0, amount.units).to_base_units().magnitude)
        if len(_FACTOR_CACHE) >= _CACHE_SIZE:
            _FACTOR_CACHE.clear()
        _FACTOR_CACHE[key] = factor
    return _FACTOR_CACHE[key]


def _check_dimension(shown: str, amount: Amount, dimension: str) -> None:
    if dimension == "money":
        if currency_of(amount) is None:
            raise UnitError([f"{shown} is not an amount of money"])
        return
    if dimension in ISO_4217:
        found = currency_of(amount)
        if found != dimension:
            what = f"in {found}" if found else "not money"
            kind = CurrencyError if found else UnitError
            raise kind([f"{shown} is not an amount in {dimension} ({what})"])
        return
    expected = _parse_units(dimension, dimension)
    if amount.dimensionality != expected.dimensionality:
        raise UnitError([f"{shown} is not an amount of {dimension}"])
