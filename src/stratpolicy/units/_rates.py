"""Exchange rates: explicit, dated, and the only way money changes currency.

A table of :class:`ExchangeRate` converts between any two currencies that a chain of its
rates links on a date (EUR to KRW through EUR/USD and USD/KRW), by the shortest chain, and
says which chain it used (:meth:`ExchangeRates.path`, :meth:`ExchangeRates.conversion`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import deque
from collections.abc import Iterable

import attrs

from stratpolicy._checks import Checker, as_tuple, describe, parse_iso_date, quote
from stratpolicy.errors import CurrencyError, Problem, SchemaError, UnitError, ValidationError
from stratpolicy.units._currencies import ISO_4217
from stratpolicy.units._format import format_amount
from stratpolicy.units._parse import check_finite, unknown_currency
from stratpolicy.units._registry import Amount, currency_of, is_quantity, registry

__all__ = ["Conversion", "ExchangeRate", "ExchangeRates"]

DateLike = dt.date | dt.datetime | str


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
        base: Currency code sold, e.g. ``"USD"`` (any of
            :data:`~stratpolicy.units.CURRENCIES`).
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
            if not isinstance(value, str) or value not in ISO_4217:
                check.add(name, unknown_currency(value), CurrencyError)
        if self.base == self.quote:
            check.add("quote", "must differ from base", CurrencyError)
        before = len(check.problems)
        check.finite("rate", self.rate)
        if len(check.problems) == before and not self.rate > 0:
            check.add("rate", f"must be positive, got {self.rate!r}")
        check.texts(self)
        check.done()


@attrs.frozen(kw_only=True)
class Conversion:
    """An amount converted by :meth:`ExchangeRates.conversion`, with the rates behind it.

    Attributes:
        amount: The converted amount, in the target currency.
        original: The amount given.
        on: The date of the conversion.
        path: The currencies passed through, from the original's to the target's:
            ``("EUR", "USD", "KRW")``; one code when no conversion was needed.
        legs: The table's rates used, one per step of ``path``, each as given in the table
            (a step against a rate's direction uses ``1 / rate``), with its own date and
            source.
        rate: Units of the target currency per one unit of the original's (the product of
            the steps).
    """

    amount: Amount
    original: Amount
    on: dt.date
    path: tuple[str, ...]
    legs: tuple[ExchangeRate, ...]
    rate: float


def _rates(value: Iterable[ExchangeRate]) -> tuple[ExchangeRate, ...]:
    return as_tuple(value)  # any iterable; text, a mapping or a non-iterable is refused below


@attrs.frozen(kw_only=True)
class ExchangeRates:
    """An explicit table of dated exchange rates; the only way money changes currency.

    For each pair of currencies the rate used on a date is the latest one on or before it,
    in either direction (an inverse pair is used as ``1 / rate``). Two currencies with no
    rate between them convert through others when a chain of rates links them on the date:
    the shortest chain (fewest steps; among equals, the one whose currencies, read from the
    end whose code comes first in the alphabet, come first in alphabetical order, so that a
    conversion back uses the same chain). :meth:`path` and :meth:`conversion` say which
    chain was used.
    The table keeps its own tuple of rates: changing the list it was built from changes
    nothing.

    Examples:
        >>> import datetime as dt
        >>> from stratpolicy.units import format_amount, money
        >>> table = ExchangeRates(rates=(
        ...     ExchangeRate(on=dt.date(2025, 1, 1), base="USD", quote="KRW", rate=1400.0),
        ...     ExchangeRate(on=dt.date(2025, 1, 1), base="EUR", quote="USD", rate=1.25),
        ... ))
        >>> print(format_amount(table.convert(money(2.8, "trillion KRW"), "USD", on="2025-06-01")))
        2000000000.0 USD
        >>> table.path("EUR", "KRW", on="2025-06-01")
        ('EUR', 'USD', 'KRW')
        >>> table.rate("EUR", "KRW", on="2025-06-01")  # 1.25 USD per EUR x 1400 KRW per USD
        1750.0
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

    def rate(self, base: str, quote: str, on: DateLike) -> float:
        """Units of ``quote`` per one ``base`` on ``on``, through other currencies if needed.

        Args:
            base: A currency code of :data:`~stratpolicy.units.CURRENCIES`.
            quote: A currency code of :data:`~stratpolicy.units.CURRENCIES`.
            on: A ``date``, a ``datetime`` (its date is used) or ``"YYYY-MM-DD"``.

        Raises:
            CurrencyError: An unknown currency, or no chain of rates from ``base`` to
                ``quote`` on or before ``on`` (the message names both and the date).
            ValidationError: ``on`` is not a date.
        """
        return self._route(base, quote, on)[2]

    def path(self, base: str, quote: str, on: DateLike) -> tuple[str, ...]:
        """The currencies a conversion from ``base`` to ``quote`` on ``on`` passes through.

        ``("EUR", "USD", "KRW")`` when the table has EUR/USD and USD/KRW but no EUR/KRW;
        ``("USD", "KRW")`` for a direct (or inverse) rate; ``("KRW",)`` from KRW to KRW.

        Raises:
            CurrencyError: An unknown currency, or no chain of rates on that date.
            ValidationError: ``on`` is not a date.
        """
        return self._route(base, quote, on)[0]

    def convert(self, amount: Amount, to: str, on: DateLike) -> Amount:
        """Convert an amount of money into currency ``to`` at the rates in force on ``on``.

        Args:
            amount: Money, in one currency.
            to: A currency code of :data:`~stratpolicy.units.CURRENCIES`.
            on: A ``date``, a ``datetime`` (its date is used) or ``"YYYY-MM-DD"``.

        Raises:
            UnitError: ``amount`` is not money.
            CurrencyError: ``to`` is not a known currency, or no chain of rates links the
                two currencies on that date.
            ValidationError: ``on`` is not a date.
        """
        return self.conversion(amount, to, on).amount

    def conversion(self, amount: Amount, to: str, on: DateLike) -> Conversion:
        """Convert like :meth:`convert`, and say how: the path, the rates used, the rate.

        Examples:
            >>> import datetime as dt
            >>> from stratpolicy.units import money
            >>> table = ExchangeRates(rates=[
            ...     ExchangeRate(on=dt.date(2025, 1, 1), base="EUR", quote="USD", rate=1.25),
            ...     ExchangeRate(on=dt.date(2025, 1, 1), base="USD", quote="KRW", rate=1400.0),
            ... ])
            >>> done = table.conversion(money(2, "EUR"), "KRW", on="2025-06-01")
            >>> done.path, done.rate, done.amount.magnitude
            (('EUR', 'USD', 'KRW'), 1750.0, 3500.0)
        """
        day = _as_date(on)
        currency = currency_of(amount)
        if currency is None:
            what = quote(format_amount(amount)) if is_quantity(amount) else describe(amount)
            raise UnitError([f"{what} is not an amount of money"])
        path, legs, rate, (times, per) = self._route(currency, to, day)
        base_amount = amount.to(currency).magnitude
        # multiply by the direct rates, divide by the inverse ones: 2.9e12 KRW at 1,450 KRW
        # per USD is exactly 2e9 USD, where multiplying by 1 / 1450 gives 1999999999.9999998
        result = registry().Quantity(base_amount * times / per, to)
        check_finite(quote(f"{format_amount(amount)} in {to}"), result)
        return Conversion(amount=result, original=amount, on=day, path=path, legs=legs, rate=rate)

    def _route(
        self, base: str, quote: str, on: DateLike
    ) -> tuple[tuple[str, ...], tuple[ExchangeRate, ...], float, tuple[float, float]]:
        day = _as_date(on)
        _check_currency("base", base)
        _check_currency("quote", quote)
        if base == quote:
            return (base,), (), 1.0, (1.0, 1.0)
        latest: dict[frozenset[str], ExchangeRate] = {}
        for r in self.rates:
            if r.on > day:
                continue
            key = frozenset((r.base, r.quote))
            held = latest.get(key)
            if held is None or r.on >= held.on:
                latest[key] = r
        links: dict[str, list[str]] = {}
        for r in latest.values():
            links.setdefault(r.base, []).append(r.quote)
            links.setdefault(r.quote, []).append(r.base)
        # steps from the alphabetically last end; then walk from the first end, taking the
        # alphabetically first currency that is one step closer: the same chain both ways
        first, last = sorted((base, quote))
        steps = {last: 0}
        queue = deque([last])
        while queue:
            here = queue.popleft()
            for there in links.get(here, ()):
                if there not in steps:
                    steps[there] = steps[here] + 1
                    queue.append(there)
        if first not in steps:
            reached = sorted(_reach(links, base) - {base})
            linked = f"; {base} links only to {', '.join(reached)}" if reached else ""
            raise CurrencyError(
                [
                    f"no {base}/{quote} exchange rate on or before {day.isoformat()}, directly "
                    f"or through other currencies{linked}"
                ]
            )
        path = [first]
        while path[-1] != last:
            path.append(min(c for c in links[path[-1]] if steps.get(c) == steps[path[-1]] - 1))
        if path[0] != base:
            path.reverse()
        legs: list[ExchangeRate] = []
        times, per = 1.0, 1.0
        for here, there in itertools.pairwise(path):
            leg = latest[frozenset((here, there))]
            legs.append(leg)
            if leg.base == here:
                times *= leg.rate
            else:
                per *= leg.rate
        return tuple(path), tuple(legs), times / per, (times, per)


def _reach(links: dict[str, list[str]], start: str) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for there in links.get(queue.popleft(), ()):
            if there not in seen:
                seen.add(there)
                queue.append(there)
    return seen


def _check_currency(path: str, code: object) -> None:
    if not isinstance(code, str) or code not in ISO_4217:
        raise CurrencyError([Problem(path, unknown_currency(code), CurrencyError)])
