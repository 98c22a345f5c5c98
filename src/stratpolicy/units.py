"""Units and money: the library's one pint registry, amount parsing and exchange rates.

The registry is built on first use, never at import (``import stratpolicy`` does not load
pint). Every currency is a dimension of its own, so adding won to dollars is an error, not
a silent conversion; money changes currency only through an explicit, dated
:class:`ExchangeRates` table.

Amounts are written the way policy documents write them::

    >>> from stratpolicy.units import parse_amount, format_amount
    >>> budget = parse_amount("35.3 trillion KRW")
    >>> budget.to("KRW").magnitude
    35300000000000.0
    >>> format_amount(parse_amount("8.6 trillion won"))
    '8.6 trillion KRW'
    >>> str(parse_amount("1.2 exaFLOP/s").to("FLOP/s"))
    '1.2e+18 FLOP / second'

Besides money the registry knows compute (``FLOP``, ``FLOP/s``, ``GPU`` as a count of
accelerators), and pint's own energy and power units (``GW``, ``TWh``), for the AI
computing centre and the power-grid challenges.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import sys
import threading
import typing
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from stratpolicy._checks import Checker, as_tuple, describe, parse_iso_date, quote
from stratpolicy.errors import (
    CurrencyError,
    DataError,
    Problem,
    SchemaError,
    StratpolicyError,
    UnitError,
    ValidationError,
)
from stratpolicy.limits import MAX_AMOUNT_LENGTH, MAX_UNIT_EXPONENT, MAX_UNIT_TERMS

if TYPE_CHECKING:
    from typing import TypeAlias

    from stratpolicy._amount import Amount as Amount
    from stratpolicy._amount import Registry

    Money: TypeAlias = Amount
else:

    class Amount:
        """A pint quantity (money, compute, energy, a share ...).

        At run time this name only marks fields that hold a quantity, so that model classes
        can be declared without importing pint; type checkers see ``pint.Quantity``.
        """

    class Money:
        """A pint quantity in one currency; a run-time marker like :class:`Amount`."""


__all__ = [
    "CURRENCIES",
    "SCALES",
    "Amount",
    "ExchangeRate",
    "ExchangeRates",
    "Money",
    "currency_of",
    "format_amount",
    "is_quantity",
    "money",
    "parse_amount",
    "quantity",
    "registry",
]

CURRENCIES: tuple[str, ...] = ("KRW", "USD", "EUR", "JPY", "CNY")
"""The currencies the registry knows, each a dimension of its own."""

SCALES: dict[str, float] = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}
"""Scale words that policy documents put before a currency ("35.3 trillion KRW")."""

_DEFINITIONS = (
    "KRW = [currency_KRW] = _ = won",
    "USD = [currency_USD]",
    "EUR = [currency_EUR] = _ = euro",
    "JPY = [currency_JPY] = _ = yen",
    "CNY = [currency_CNY] = _ = yuan = renminbi",
    *(f"{name} = {factor:.0e}" for name, factor in SCALES.items()),
    "hundred_million = 1e8",
    "FLOP = [computation] = _ = flop",
    "FLOPS = FLOP / second = _ = flops",
    "GPU = [accelerator] = _ = gpu = GPUs",
)

_lock = threading.Lock()
_registry: Registry | None = None


def registry() -> Registry:
    """Return the library's pint registry, building it on first call.

    There is exactly one registry: quantities from two registries cannot be added, yet
    pint compares them as equal, so mixing them hides bugs. Use this one, or
    :func:`quantity`. Its quantities raise the library's errors: adding won to dollars raises
    :class:`~stratpolicy.errors.CurrencyError`, adding metres to seconds
    :class:`~stratpolicy.errors.UnitError` (both are also pint's ``DimensionalityError``),
    and comparing with a quantity of another registry raises ``UnitError`` instead of
    answering ``True``.
    """
    global _registry
    if _registry is None:
        with _lock:
            if _registry is None:
                reg = _build_registry()
                for line in _DEFINITIONS:
                    reg.define(line)
                _registry = reg
    return _registry


def _build_registry() -> Registry:
    import pint
    from pint.errors import DimensionalityError

    base: Any = pint.UnitRegistry.Quantity

    class _Mismatch(DimensionalityError):
        """Shared by the two library errors below: also a pint ``DimensionalityError``."""

        def _copy(self, exc: DimensionalityError) -> None:
            self.units1, self.units2 = exc.units1, exc.units2
            self.dim1, self.dim2, self.extra_msg = exc.dim1, exc.dim2, exc.extra_msg

        def __reduce__(self) -> Any:
            kind = CurrencyError if isinstance(self, CurrencyError) else UnitError
            return kind, (getattr(self, "problems", ()),)

    class CurrencyMismatch(CurrencyError, _Mismatch):
        __str__ = CurrencyError.__str__

    class UnitMismatch(UnitError, _Mismatch):
        __str__ = UnitError.__str__

    def translate(exc: DimensionalityError) -> DataError:
        first, second = _dimension_text(exc.dim1), _dimension_text(exc.dim2)
        cur1, cur2 = _CURRENCY_DIM.fullmatch(first), _CURRENCY_DIM.fullmatch(second)
        error: Any
        if cur1 and cur2:
            error = CurrencyMismatch(
                [
                    f"cannot combine amounts in {cur1.group(1)} and {cur2.group(1)}: currencies "
                    "never convert silently; convert one with an ExchangeRates table"
                ]
            )
        else:
            what = f" ({first} and {second})" if first or second else ""
            error = UnitMismatch(
                [f"cannot combine '{exc.units1}' and '{exc.units2}': different dimensions{what}"]
            )
        error._copy(exc)
        return typing.cast(DataError, error)

    def guard(name: str) -> Any:
        method = getattr(base, name)

        @functools.wraps(method)
        def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except DimensionalityError as exc:
                if isinstance(exc, StratpolicyError):
                    raise
                raise translate(exc) from None
            except ValueError as exc:
                if isinstance(exc, StratpolicyError) or "different registries" not in str(exc):
                    raise
                raise UnitError([_FOREIGN]) from None

        return guarded

    def eq(self: Any, other: Any) -> Any:
        if isinstance(other, pint.Quantity) and other._REGISTRY is not self._REGISTRY:
            raise UnitError([_FOREIGN])
        return base.__eq__(self, other)

    def reduce(self: Any) -> Any:
        return _rebuild, (self._magnitude, tuple(self._units.items()))

    namespace: dict[str, Any] = {
        name: guard(name) for name in _GUARDED if getattr(base, name, None) is not None
    }
    namespace.update(__eq__=eq, __hash__=base.__hash__, __reduce__=reduce)
    quantity_class = type("Quantity", (base,), namespace)
    registry_class = type("UnitRegistry", (pint.UnitRegistry,), {"Quantity": quantity_class})
    reg: Registry = registry_class(autoconvert_offset_to_baseunit=True)
    return reg


_GUARDED = (
    "__add__",
    "__radd__",
    "__iadd__",
    "__sub__",
    "__rsub__",
    "__isub__",
    "__floordiv__",
    "__rfloordiv__",
    "__mod__",
    "__rmod__",
    "__divmod__",
    "__rdivmod__",
    "compare",
    "to",
    "ito",
    "m_as",
    "__array_ufunc__",
    "__array_function__",
)
_FOREIGN = (
    "a quantity from another pint registry cannot be combined or compared with the library's "
    "(pint would answer == with True); use stratpolicy.units.registry() or quantity()"
)
_CURRENCY_DIM = re.compile(r"\[currency_([A-Z]{3})\]")


def _dimension_text(dim: object) -> str:
    return "" if dim is None else str(dim)


def _rebuild(magnitude: Any, units: tuple[tuple[str, float], ...]) -> Amount:
    """Unpickle a quantity into the library's registry (pint's own goes to its default)."""
    reg = registry()
    unit = reg.Unit("")
    for name, power in units:
        unit = unit * reg.Unit(name) ** power
    return reg.Quantity(magnitude, unit)


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

    Raises:
        CurrencyError: ``currency`` is not (a scale of) one of :data:`CURRENCIES`.
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
        raise CurrencyError([_not_a_currency(currency)]) from None
    amount = registry().Quantity(value, units)
    if currency_of(amount) is None:
        raise CurrencyError([_not_a_currency(currency)])
    _check_finite(quote(f"{value!r} {currency}"), amount)
    return amount


def _check_number(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UnitError([f"expected a number, got {describe(value)}"])


def _not_a_currency(text: str) -> str:
    return f"{quote(text)} is not a currency; expected one of {', '.join(CURRENCIES)}"


def is_quantity(value: object) -> bool:
    """Whether ``value`` is a pint quantity (without importing pint if nobody has)."""
    pint = sys.modules.get("pint")
    return pint is not None and isinstance(value, pint.Quantity)


def currency_of(amount: object) -> str | None:
    """The currency of an amount of money (``"KRW"``), or ``None`` if it is not money.

    An amount is money when its dimension is exactly one currency: ``KRW``, ``trillion KRW``
    and ``won`` are money; ``KRW / GPU`` is not.
    """
    if not is_quantity(amount):
        return None
    units = amount._units  # type: ignore[attr-defined]
    try:
        return _CURRENCY_CACHE[units]
    except KeyError:
        pass
    found: str | None = None
    dims = dict(amount.dimensionality)  # type: ignore[attr-defined]
    if len(dims) == 1:
        ((dim, power),) = dims.items()
        if power == 1 and dim.startswith("[currency_"):
            found = str(dim[len("[currency_") : -1])
    if len(_CURRENCY_CACHE) >= _CACHE_SIZE:
        _CURRENCY_CACHE.clear()
    _CURRENCY_CACHE[units] = found
    return found


_CURRENCY_CACHE: dict[Any, str | None] = {}


# An amount: a number (ASCII digits, optional thousands separators, decimals, exponent), then
# a unit. Nothing here can backtrack badly: the text is at most MAX_AMOUNT_LENGTH characters.
_NUMBER = re.compile(
    r"\s*([+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)"
    r"(?:[eE][+-]?[0-9]+)?)?\s*(.*?)\s*",
    re.ASCII | re.DOTALL,
)
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_UNIT_TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*|%)|(?P<op>\*\*|[*/^])|(?P<int>[+-]?[0-9]+))",
    re.ASCII,
)
_KOREAN = (("조원", " trillion KRW"), ("억원", " hundred_million KRW"), ("원", " KRW"))
_SCALE_WORDS = (*SCALES, "hundred_million")
_GRAMMAR = (
    "a unit is names joined by '*', '/' or spaces, each with an optional whole power "
    f"'^n' (|n| <= {MAX_UNIT_EXPONENT}), at most {MAX_UNIT_TERMS} names"
)


def parse_amount(text: str, *, dimension: str | None = None) -> Amount:
    """Parse an amount written as in a policy document.

    Accepts thousands separators (``"50,000 GPU"``), scale words (``"35.3 trillion KRW"``),
    ``won`` and the Korean ``조원`` / ``억원`` / ``원``, SI prefixes (``"1.2 exaFLOP/s"``,
    ``"2.5 GW"``) and percent (``"15 %"``).

    The text is read with the library's own small grammar, never handed to pint's parser:
    a number in ASCII digits, then unit names joined by ``*``, ``/`` or spaces, each with an
    optional small whole power (``m^3``, ``s^-2``). Its bounds
    (:data:`~stratpolicy.limits.MAX_AMOUNT_LENGTH`,
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
    """
    if not isinstance(text, str):
        raise UnitError(
            [f"expected an amount as text such as '35.3 trillion KRW', got {describe(text)}"]
        )
    shown = quote(text)
    if len(text) > MAX_AMOUNT_LENGTH:
        raise UnitError([f"{shown} is not an amount: longer than {MAX_AMOUNT_LENGTH} characters"])
    match = _NUMBER.fullmatch(text)
    number_text = match.group(1) if match is not None else ""
    if match is None or not number_text:
        raise UnitError([f"{shown} is not an amount: expected a number (ASCII digits) then a unit"])
    number_text, unit_text = number_text.replace(",", ""), match.group(2)
    number: float = int(number_text) if _INTEGER.fullmatch(number_text) else float(number_text)
    for korean, english in _KOREAN:
        if unit_text.endswith(korean):
            unit_text = unit_text[: -len(korean)] + english
            break
    amount = registry().Quantity(number, _parse_units(unit_text, text))
    _check_finite(shown, amount)
    if dimension is not None:
        _check_dimension(shown, amount, dimension)
    return amount


_UNIT_CACHE: dict[str, Any] = {}
_FACTOR_CACHE: dict[Any, float | None] = {}
_CACHE_SIZE = 4096


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


def _check_finite(shown: str, amount: Amount) -> None:
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
    if dimension in CURRENCIES:
        found = currency_of(amount)
        if found != dimension:
            what = f"in {found}" if found else "not money"
            kind = CurrencyError if found else UnitError
            raise kind([f"{shown} is not an amount in {dimension} ({what})"])
        return
    expected = _parse_units(dimension, dimension)
    if amount.dimensionality != expected.dimensionality:
        raise UnitError([f"{shown} is not an amount of {dimension}"])


def format_amount(amount: Amount) -> str:
    """Write an amount in its one canonical spelling, which :func:`parse_amount` reads back equal.

    The number is an integer or the shortest decimal that reads back as the same float
    (Python's ``repr``). Money is written as policy documents write it
    (``"35.3 trillion KRW"``); other units by their full ASCII names, joined with ``*`` and
    ``/``, powers as ``^n`` (``"2.5 gigawatt"``, ``"1.2 exaFLOP / second"``, ``"3 meter^2"``).
    Symbols such as ``µs`` or ``k%`` are never written: they are not ASCII, or read back as
    another unit.

    Raises:
        UnitError: The amount cannot be written so that it reads back: its magnitude is not a
            finite int or float, or the text would be longer than
            :data:`~stratpolicy.limits.MAX_AMOUNT_LENGTH`.

    Examples:
        >>> format_amount(parse_amount("8.6조원"))
        '8.6 trillion KRW'
        >>> format_amount(parse_amount("2 kpercent"))
        '2 kilopercent'
    """
    number = _format_number(amount.magnitude)
    items = [(str(name), power) for name, power in amount.unit_items()]
    currency = currency_of(amount)
    words: list[str] | None = None
    if currency is not None and all(p == 1 for _, p in items):
        scales = [n for n, _ in items if n in _SCALE_WORDS]
        rest = [n for n, _ in items if n not in _SCALE_WORDS]
        if len(scales) <= 1 and rest == [currency]:
            words = [*scales, currency]
    if words is None:
        if len(items) > MAX_UNIT_TERMS:
            raise UnitError([f"a unit of more than {MAX_UNIT_TERMS} names cannot be written"])
        words = _unit_words(items)
    text = " ".join([number, *words])
    if len(text) > MAX_AMOUNT_LENGTH:
        raise UnitError(
            [f"{quote(text)} cannot be written: longer than {MAX_AMOUNT_LENGTH} characters"]
        )
    return text


_SPELLING_READS_BACK: dict[Any, bool] = {}


def _writable_problem(amount: Amount) -> str | None:
    """Why ``format_amount(amount)`` would not read back as ``amount``, or ``None``.

    The number reads back by construction (an int's digits, a float's shortest ``repr``);
    the unit's spelling is checked once per unit and remembered.
    """
    try:
        text = format_amount(amount)
        _check_finite(quote(text), amount)
    except UnitError as exc:
        return exc.problems[0].message
    units = amount._units
    reads_back = _SPELLING_READS_BACK.get(units)
    if reads_back is None:
        try:
            reads_back = bool(parse_amount(text).units == amount.units)
        except UnitError:
            reads_back = False
        if len(_SPELLING_READS_BACK) >= _CACHE_SIZE:
            _SPELLING_READS_BACK.clear()
        _SPELLING_READS_BACK[units] = reads_back
    if not reads_back:
        return f"{quote(text)} would not read back as the same amount"
    return None


def _format_number(magnitude: object) -> str:
    if isinstance(magnitude, bool):
        raise UnitError(
            [f"an amount's number must be an int or a float, got {describe(magnitude)}"]
        )
    if isinstance(magnitude, int):
        if magnitude.bit_length() > 1024:  # beyond any float, and far past the length bound
            raise UnitError([f"an amount's number is too large: {describe(magnitude)}"])
        return int.__repr__(magnitude)
    if isinstance(magnitude, float):
        if not math.isfinite(magnitude):
            raise UnitError([f"an amount must be finite, got {float.__repr__(magnitude)}"])
        return float.__repr__(magnitude)  # a subclass (numpy.float64) would repr differently
    raise UnitError([f"an amount's number must be an int or a float, got {describe(magnitude)}"])


def _unit_words(items: list[tuple[str, Any]]) -> list[str]:
    def word(name: str, power: Any) -> str:
        return name if power == 1 else f"{name}^{_format_power(power)}"

    up = [word(n, p) for n, p in items if p > 0]
    down = [word(n, -p) for n, p in items if p < 0]
    if not up:
        return [" * ".join(word(n, p) for n, p in items)] if items else []
    words = [" * ".join(up)]
    words.extend(f"/ {w}" for w in down)
    return words


def _format_power(power: Any) -> str:
    if power != int(power) or abs(power) > MAX_UNIT_EXPONENT:
        raise UnitError(
            [
                f"a unit's power must be a whole number from -{MAX_UNIT_EXPONENT} to "
                f"{MAX_UNIT_EXPONENT}, got {power}"
            ]
        )
    return str(int(power))


def _as_date(on: object, path: str = "on") -> dt.date:
    """A date argument: a ``date``, a ``datetime`` (its date) or ``YYYY-MM-DD`` text."""
    if isinstance(on, dt.datetime):
        return on.date()
    if isinstance(on, dt.date):
        return on
    if isinstance(on, str):
        parsed = parse_iso_date(on)
        if parsed is not None:
            return parsed
    raise ValidationError(
        [Problem(path, f"expected a date (a datetime.date or 'YYYY-MM-DD'), got {describe(on)}")]
    )


@attrs.frozen(kw_only=True)
class ExchangeRate:
    """One dated exchange rate: ``rate`` units of ``quote`` buy one unit of ``base``.

    Attributes:
        on: The date the rate applies from (until a later rate for the same pair).
        base: Currency code sold, e.g. ``"USD"``.
        quote: Currency code bought, e.g. ``"KRW"``.
        rate: Units of ``quote`` per one ``base``; a positive, finite number.
        source: Where the rate comes from.
    """

    on: dt.date
    base: str
    quote: str
    rate: float
    source: str = ""

    def __attrs_post_init__(self) -> None:
        check = Checker()
        if not isinstance(self.on, dt.date) or isinstance(self.on, dt.datetime):
            check.add("on", f"expected a date, got {describe(self.on)}", SchemaError)
        for name in ("base", "quote"):
            value = getattr(self, name)
            if value not in CURRENCIES:
                shown = quote(value) if isinstance(value, str) else describe(value)
                check.add(
                    name,
                    f"unknown currency {shown}; expected one of {', '.join(CURRENCIES)}",
                    CurrencyError,
                )
        if self.base == self.quote:
            check.add("quote", "must differ from base", CurrencyError)
        before = len(check.problems)
        check.finite("rate", self.rate)
        if len(check.problems) == before and not self.rate > 0:
            check.add("rate", f"must be positive, got {self.rate!r}")
        check.texts(self)
        check.done()


def _rates(value: Iterable[ExchangeRate]) -> tuple[ExchangeRate, ...]:
    return as_tuple(value)  # any iterable; text, a mapping or a non-iterable is refused below


@attrs.frozen(kw_only=True)
class ExchangeRates:
    """An explicit table of dated exchange rates; the only way money changes currency.

    The rate used for a date is the latest one on or before it, for the pair in either
    direction (an inverse pair is used as ``1 / rate``). The table keeps its own tuple of
    rates: changing the list it was built from changes nothing.

    Examples:
        >>> import datetime as dt
        >>> table = ExchangeRates(rates=(
        ...     ExchangeRate(on=dt.date(2025, 1, 1), base="USD", quote="KRW", rate=1400.0),
        ... ))
        >>> usd = table.convert(money(2.8, "trillion KRW"), "USD", on=dt.date(2025, 6, 1))
        >>> print(format_amount(usd))
        2000000000.0 USD
    """

    rates: tuple[ExchangeRate, ...] = attrs.field(default=(), converter=_rates)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        if not isinstance(self.rates, tuple):
            check.add("rates", f"expected a list of rates, got {describe(self.rates)}", SchemaError)
            check.done()
        seen: set[tuple[dt.date, frozenset[str]]] = set()
        for i, r in enumerate(self.rates):
            if not isinstance(r, ExchangeRate):
                check.add(
                    f"rates[{i}]", f"expected an ExchangeRate, got {describe(r)}", SchemaError
                )
                continue
            key = (r.on, frozenset((r.base, r.quote)))
            if key in seen:
                check.add(f"rates[{i}]", f"a second {r.base}/{r.quote} rate for {r.on}")
            seen.add(key)
        check.done()

    def rate(self, base: str, quote: str, on: dt.date | dt.datetime | str) -> float:
        """Units of ``quote`` per one ``base`` on ``on``.

        Args:
            base: A currency code of :data:`CURRENCIES`.
            quote: A currency code of :data:`CURRENCIES`.
            on: A ``date``, a ``datetime`` (its date is used) or ``"YYYY-MM-DD"``.

        Raises:
            CurrencyError: An unknown currency, or no rate for the pair on or before ``on``.
            ValidationError: ``on`` is not a date.
        """
        day = _as_date(on)
        _check_currency("base", base)
        _check_currency("quote", quote)
        if base == quote:
            return 1.0
        best: tuple[dt.date, float] | None = None
        for r in self.rates:
            if r.on > day:
                continue
            if (r.base, r.quote) == (base, quote):
                value = r.rate
            elif (r.base, r.quote) == (quote, base):
                value = 1.0 / r.rate
            else:
                continue
            if best is None or r.on >= best[0]:
                best = (r.on, value)
        if best is None:
            raise CurrencyError([f"no {base}/{quote} exchange rate on or before {day.isoformat()}"])
        return best[1]

    def convert(self, amount: Amount, to: str, on: dt.date | dt.datetime | str) -> Amount:
        """Convert an amount of money into currency ``to`` at the rate in force on ``on``.

        Args:
            amount: Money, in one currency.
            to: A currency code of :data:`CURRENCIES`.
            on: A ``date``, a ``datetime`` (its date is used) or ``"YYYY-MM-DD"``.

        Raises:
            UnitError: ``amount`` is not money.
            CurrencyError: ``to`` is not a known currency, or no rate covers the pair on
                that date.
            ValidationError: ``on`` is not a date.
        """
        day = _as_date(on)
        currency = currency_of(amount)
        if currency is None:
            what = quote(format_amount(amount)) if is_quantity(amount) else describe(amount)
            raise UnitError([f"{what} is not an amount of money"])
        _check_currency("to", to)
        base_amount = amount.to(currency).magnitude
        result = registry().Quantity(base_amount * self.rate(currency, to, day), to)
        _check_finite(quote(f"{format_amount(amount)} in {to}"), result)
        return result


def _check_currency(path: str, code: object) -> None:
    if code not in CURRENCIES:
        shown = quote(code) if isinstance(code, str) else describe(code)
        raise CurrencyError(
            [
                Problem(
                    path,
                    f"unknown currency {shown}; expected one of {', '.join(CURRENCIES)}",
                    CurrencyError,
                )
            ]
        )
