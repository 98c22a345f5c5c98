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
import re
import sys
import threading
from typing import TYPE_CHECKING, Any

import attrs

from stratpolicy._checks import Checker
from stratpolicy.errors import CurrencyError, UnitError, ValidationError

if TYPE_CHECKING:
    from typing import TypeAlias

    import pint

    Amount: TypeAlias = pint.Quantity[Any]
    Money: TypeAlias = pint.Quantity[Any]
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
_registry: pint.UnitRegistry[Any] | None = None


def registry() -> pint.UnitRegistry[Any]:
    """Return the library's pint registry, building it on first call.

    There is exactly one registry: quantities from two registries cannot be added, yet
    compare equal, so mixing them hides bugs. Use this one, or :func:`quantity`.
    """
    global _registry
    if _registry is None:
        with _lock:
            if _registry is None:
                import pint

                reg: pint.UnitRegistry[Any] = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
                for line in _DEFINITIONS:
                    reg.define(line)
                _registry = reg
    return _registry


def quantity(value: float, unit: str) -> Amount:
    """Make a quantity in the library's registry: ``quantity(2.5, "GW")``.

    Raises:
        UnitError: ``unit`` is not a unit the registry knows.
    """
    reg = registry()
    try:
        units = reg.parse_units(unit)
    except Exception as exc:  # pint raises several unrelated types here
        raise UnitError([f"unknown unit {unit!r}: {exc}"]) from None
    return reg.Quantity(value, units)


def money(value: float, currency: str) -> Amount:
    """Make an amount of money: ``money(8.6, "trillion KRW")``.

    Raises:
        UnitError: ``currency`` is not (a scale of) one of :data:`CURRENCIES`.
    """
    amount = quantity(value, currency)
    if currency_of(amount) is None:
        raise UnitError(
            [f"{currency!r} is not a currency; expected one of {', '.join(CURRENCIES)}"]
        )
    return amount


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
    dims = dict(amount.dimensionality)  # type: ignore[attr-defined]
    if len(dims) != 1:
        return None
    ((dim, power),) = dims.items()
    if power != 1 or not dim.startswith("[currency_"):
        return None
    return str(dim[len("[currency_") : -1])


_NUMBER = re.compile(
    r"^\s*([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(.*?)\s*$"
)
_UNIT_TEXT = re.compile(r"^[A-Za-z0-9_ %/*^().-]{0,100}$")
_KOREAN = (("조원", " trillion KRW"), ("억원", " hundred_million KRW"), ("원", " KRW"))


def parse_amount(text: str, *, dimension: str | None = None) -> Amount:
    """Parse an amount written as in a policy document.

    Accepts thousands separators (``"50,000 GPU"``), scale words (``"35.3 trillion KRW"``),
    ``won`` and the Korean ``조원`` / ``억원`` / ``원``, SI prefixes (``"1.2 exaFLOP/s"``,
    ``"2.5 GW"``) and percent (``"15 %"``).

    Args:
        text: The amount.
        dimension: If given, the amount must have this dimension: ``"money"`` for any
            currency, a currency code such as ``"KRW"``, or a unit whose dimension it must
            share (``"W"``).

    Raises:
        UnitError: The text is not a number followed by a known unit, or has the wrong
            dimension.

    Examples:
        >>> parse_amount("50,000 GPU").magnitude
        50000
    """
    if not isinstance(text, str):
        raise UnitError([f"expected an amount as text such as '35.3 trillion KRW', got {text!r}"])
    match = _NUMBER.match(text)
    if match is None or not match.group(1) or match.group(1) in "+-":
        raise UnitError([f"{text!r} is not an amount: expected a number then a unit"])
    number_text, unit_text = match.group(1).replace(",", ""), match.group(2)
    number: float = (
        int(number_text) if re.fullmatch(r"[+-]?\d+", number_text) else float(number_text)
    )
    for korean, english in _KOREAN:
        if unit_text.endswith(korean):
            unit_text = unit_text[: -len(korean)] + english
    if not _UNIT_TEXT.match(unit_text):
        raise UnitError([f"{text!r}: {unit_text!r} is not a unit (letters, digits, % / * ^ only)"])
    reg = registry()
    try:
        units = reg.parse_units(unit_text.strip() or "dimensionless")
    except Exception:
        raise UnitError([f"{text!r}: unknown unit {unit_text!r}"]) from None
    amount = reg.Quantity(number, units)
    if dimension is not None:
        _check_dimension(text, amount, dimension)
    return amount


def _check_dimension(text: str, amount: Amount, dimension: str) -> None:
    if dimension == "money":
        if currency_of(amount) is None:
            raise UnitError([f"{text!r} is not an amount of money"])
        return
    if dimension in CURRENCIES:
        found = currency_of(amount)
        if found != dimension:
            what = f"in {found}" if found else "not money"
            raise UnitError([f"{text!r} is not an amount in {dimension} ({what})"])
        return
    expected = registry().parse_units(dimension)
    if amount.dimensionality != expected.dimensionality:
        raise UnitError([f"{text!r} is not an amount of {dimension}"])


def format_amount(amount: Amount) -> str:
    """Write an amount so that :func:`parse_amount` reads back the same quantity.

    Money is written as policy documents write it (``"35.3 trillion KRW"``); other amounts
    use pint's compact symbols (``"2.5 GW"``).
    """
    magnitude = amount.magnitude
    number = repr(magnitude) if isinstance(magnitude, float) else str(magnitude)
    units = dict(amount.unit_items())
    currency = currency_of(amount)
    if currency is not None and set(units) <= {currency, *SCALES} and units[currency] == 1:
        scales = [s for s in units if s != currency]
        if len(scales) <= 1 and all(units[s] == 1 for s in scales):
            return " ".join([number, *scales, currency])
    text = format(amount.units, "~C")
    return f"{number} {text}" if text else number


@attrs.frozen(kw_only=True)
class ExchangeRate:
    """One dated exchange rate: ``rate`` units of ``quote`` buy one unit of ``base``.

    Attributes:
        on: The date the rate applies from (until a later rate for the same pair).
        base: Currency code sold, e.g. ``"USD"``.
        quote: Currency code bought, e.g. ``"KRW"``.
        rate: Units of ``quote`` per one ``base``; positive.
        source: Where the rate comes from.
    """

    on: dt.date
    base: str
    quote: str
    rate: float
    source: str = ""

    def __attrs_post_init__(self) -> None:
        check = Checker()
        for name in ("base", "quote"):
            if getattr(self, name) not in CURRENCIES:
                check.add(
                    name, f"must be one of {', '.join(CURRENCIES)}, got {getattr(self, name)!r}"
                )
        if self.base == self.quote:
            check.add("quote", "must differ from base")
        if not self.rate > 0:
            check.add("rate", f"must be positive, got {self.rate}")
        check.done()


@attrs.frozen(kw_only=True)
class ExchangeRates:
    """An explicit table of dated exchange rates; the only way money changes currency.

    The rate used for a date is the latest one on or before it, for the pair in either
    direction (an inverse pair is used as ``1 / rate``).

    Examples:
        >>> import datetime as dt
        >>> table = ExchangeRates(rates=(
        ...     ExchangeRate(on=dt.date(2025, 1, 1), base="USD", quote="KRW", rate=1400.0),
        ... ))
        >>> usd = table.convert(money(2.8, "trillion KRW"), "USD", on=dt.date(2025, 6, 1))
        >>> print(format_amount(usd))
        2000000000.0 USD
    """

    rates: tuple[ExchangeRate, ...] = ()

    def __attrs_post_init__(self) -> None:
        check = Checker()
        seen: set[tuple[dt.date, frozenset[str]]] = set()
        for i, r in enumerate(self.rates):
            key = (r.on, frozenset((r.base, r.quote)))
            if key in seen:
                check.add(f"rates[{i}]", f"a second {r.base}/{r.quote} rate for {r.on}")
            seen.add(key)
        check.done()

    def rate(self, base: str, quote: str, on: dt.date) -> float:
        """Units of ``quote`` per one ``base`` on ``on``.

        Raises:
            CurrencyError: No rate for the pair on or before ``on``.
        """
        if base == quote:
            return 1.0
        best: tuple[dt.date, float] | None = None
        for r in self.rates:
            if r.on > on:
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
            raise CurrencyError([f"no {base}/{quote} exchange rate on or before {on.isoformat()}"])
        return best[1]

    def convert(self, amount: Amount, to: str, on: dt.date) -> Amount:
        """Convert an amount of money into currency ``to`` at the rate in force on ``on``.

        Raises:
            UnitError: ``amount`` is not money.
            CurrencyError: No rate covers the pair on that date.
        """
        currency = currency_of(amount)
        if currency is None:
            raise UnitError([f"'{amount}' is not an amount of money"])
        if to not in CURRENCIES:
            raise ValidationError(
                [f"unknown currency {to!r}; expected one of {', '.join(CURRENCIES)}"]
            )
        base_amount = amount.to(currency).magnitude
        return registry().Quantity(base_amount * self.rate(currency, to, on), to)
