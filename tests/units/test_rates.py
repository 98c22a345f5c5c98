"""Exchange rates: cross rates through any chain of currencies on a date, and the path used.

The rates are made up for the tests (round numbers, so that the products are checked by
hand in the comments); they are not market rates.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratpolicy.errors import CurrencyError, UnitError, ValidationError
from stratpolicy.units import (
    CURRENCIES,
    Conversion,
    ExchangeRate,
    ExchangeRates,
    money,
    quantity,
)

D2025 = dt.date(2025, 1, 1)
D2026 = dt.date(2026, 1, 1)


def rate(base: str, quote: str, value: float, on: dt.date = D2025) -> ExchangeRate:
    return ExchangeRate(on=on, base=base, quote=quote, rate=value, source="test")


TABLE = ExchangeRates(
    rates=[
        rate("EUR", "USD", 1.25),  # 1 EUR = 1.25 USD
        rate("USD", "KRW", 1400.0),  # 1 USD = 1,400 KRW
        rate("USD", "JPY", 150.0),  # 1 USD = 150 JPY
        rate("CNY", "USD", 0.125),  # 1 CNY = 0.125 USD
        rate("GBP", "EUR", 1.2),  # 1 GBP = 1.2 EUR
    ]
)


def test_eur_to_krw_goes_through_usd() -> None:
    # 1 EUR = 1.25 USD = 1.25 x 1,400 KRW = 1,750 KRW
    assert TABLE.path("EUR", "KRW", on="2025-06-01") == ("EUR", "USD", "KRW")
    assert TABLE.rate("EUR", "KRW", on="2025-06-01") == pytest.approx(1750.0)
    # 2 million EUR = 3,500 million KRW
    krw = TABLE.convert(money(2, "million EUR"), "KRW", on="2025-06-01")
    assert krw.magnitude == pytest.approx(3.5e9)
    assert str(krw.units) == "KRW"


def test_inverse_rates_are_used_along_the_way() -> None:
    # KRW -> EUR: 1 / 1,750 EUR per KRW; JPY -> CNY: 1/150 USD per JPY, 8 CNY per USD = 8/150
    assert TABLE.rate("KRW", "EUR", on=D2025) == pytest.approx(1 / 1750)
    assert TABLE.path("JPY", "CNY", on=D2025) == ("JPY", "USD", "CNY")
    assert TABLE.rate("JPY", "CNY", on=D2025) == pytest.approx(8 / 150)
    # three steps: GBP -> EUR -> USD -> KRW = 1.2 x 1.25 x 1,400 = 2,100 KRW per GBP
    assert TABLE.path("GBP", "KRW", on=D2025) == ("GBP", "EUR", "USD", "KRW")
    assert TABLE.rate("GBP", "KRW", on=D2025) == pytest.approx(2100.0)


def test_a_conversion_says_how_it_was_made() -> None:
    done = TABLE.conversion(money(3, "GBP"), "KRW", on=dt.date(2025, 3, 1))
    assert isinstance(done, Conversion)
    assert done.path == ("GBP", "EUR", "USD", "KRW")
    assert [(leg.base, leg.quote) for leg in done.legs] == [
        ("GBP", "EUR"),
        ("EUR", "USD"),
        ("USD", "KRW"),
    ]
    assert all(leg.source == "test" for leg in done.legs)
    assert done.rate == pytest.approx(2100.0)
    assert done.amount.magnitude == pytest.approx(6300.0)  # 3 GBP x 2,100
    assert done.original == money(3, "GBP")
    assert done.on == dt.date(2025, 3, 1)
    # a leg against a rate's direction is still reported as the table holds it
    back = TABLE.conversion(money(1750, "KRW"), "EUR", on=D2025)
    assert [(leg.base, leg.quote) for leg in back.legs] == [("USD", "KRW"), ("EUR", "USD")]
    assert back.amount.magnitude == pytest.approx(1.0)


def test_same_currency_needs_no_rate() -> None:
    done = ExchangeRates().conversion(money(5, "billion KRW"), "KRW", on=D2025)
    assert done.path == ("KRW",) and done.legs == () and done.rate == 1.0
    assert done.amount.magnitude == 5e9


def test_the_shortest_chain_wins_and_a_direct_rate_beats_a_chain() -> None:
    table = ExchangeRates(
        rates=[
            *TABLE.rates,
            rate("EUR", "KRW", 1500.0),  # a direct quote, different from the 1,750 cross rate
        ]
    )
    assert table.path("EUR", "KRW", on=D2025) == ("EUR", "KRW")
    assert table.rate("EUR", "KRW", on=D2025) == 1500.0
    # GBP -> KRW now takes 2 steps through EUR: 1.2 x 1,500 = 1,800
    assert table.path("GBP", "KRW", on=D2025) == ("GBP", "EUR", "KRW")
    assert table.rate("GBP", "KRW", on=D2025) == pytest.approx(1800.0)


def test_equal_chains_are_broken_alphabetically() -> None:
    # AUD -> KRW through CAD or through USD, both 2 steps: CAD comes first
    table = ExchangeRates(
        rates=[
            rate("AUD", "USD", 0.5),
            rate("USD", "KRW", 1400.0),
            rate("AUD", "CAD", 0.9),
            rate("CAD", "KRW", 1000.0),
        ]
    )
    assert table.path("AUD", "KRW", on=D2025) == ("AUD", "CAD", "KRW")
    assert table.rate("AUD", "KRW", on=D2025) == pytest.approx(900.0)
    # and the same chain back, whichever end the search starts from
    assert table.path("KRW", "AUD", on=D2025) == ("KRW", "CAD", "AUD")


def test_each_step_uses_its_own_latest_rate() -> None:
    table = ExchangeRates(
        rates=[
            rate("EUR", "USD", 1.25, on=D2025),
            rate("EUR", "USD", 1.10, on=D2026),
            rate("USD", "KRW", 1400.0, on=D2025),
        ]
    )
    # mid 2025: 1.25 x 1,400 = 1,750; in 2026 the new EUR/USD: 1.10 x 1,400 = 1,540
    assert table.rate("EUR", "KRW", on="2025-06-01") == pytest.approx(1750.0)
    done = table.conversion(money(1, "EUR"), "KRW", on="2026-06-01")
    assert done.rate == pytest.approx(1540.0)
    assert [leg.on for leg in done.legs] == [D2026, D2025]


def test_a_chain_exists_only_from_its_latest_date() -> None:
    table = ExchangeRates(
        rates=[rate("EUR", "USD", 1.25, on=D2026), rate("USD", "KRW", 1400.0, on=D2025)]
    )
    with pytest.raises(CurrencyError) as info:
        table.rate("EUR", "KRW", on="2025-06-01")
    message = str(info.value)
    assert "no EUR/KRW exchange rate on or before 2025-06-01" in message
    assert table.path("EUR", "KRW", on="2026-01-01") == ("EUR", "USD", "KRW")


def test_no_chain_is_a_currency_error_naming_both_and_the_date() -> None:
    with pytest.raises(CurrencyError) as info:
        TABLE.convert(money(1, "CHF"), "KRW", on=D2025)
    assert "no CHF/KRW exchange rate on or before 2025-01-01" in str(info.value)
    with pytest.raises(CurrencyError) as info:
        TABLE.path("KRW", "INR", on=D2025)
    # what KRW does reach is named, so that the missing link is easy to see
    assert "KRW links only to CNY, EUR, GBP, JPY, USD" in str(info.value)


def test_bad_arguments() -> None:
    with pytest.raises(CurrencyError, match="unknown currency 'XYZ'"):
        TABLE.path("XYZ", "KRW", on=D2025)
    with pytest.raises(CurrencyError, match="unknown currency"):
        TABLE.rate("KRW", ["USD"], on=D2025)  # type: ignore[arg-type]
    with pytest.raises(UnitError, match="not an amount of money"):
        TABLE.convert(quantity(1, "GW"), "KRW", on=D2025)
    with pytest.raises(ValidationError, match="on: expected a date"):
        TABLE.path("EUR", "KRW", on="2025/06/01")


def test_any_iso_currency_may_be_in_a_table() -> None:
    table = ExchangeRates(rates=[rate("XOF", "EUR", 1 / 655.957), rate("CHF", "EUR", 1.05)])
    # XOF -> CHF: 1/655.957 EUR, / 1.05 EUR per CHF
    assert table.rate("XOF", "CHF", on=D2025) == pytest.approx(1 / 655.957 / 1.05)


_codes = st.sampled_from(["KRW", "USD", "EUR", "JPY", "CNY", "GBP", "CHF", "INR"])
_rate_values = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False, allow_infinity=False)


@settings(deadline=None)  # the first example may build the registry
@given(st.lists(st.tuples(_codes, _codes, _rate_values), max_size=10), _codes, _codes)
def test_a_cross_rate_is_the_product_along_its_path(
    pairs: list[tuple[str, str, float]], source: str, target: str
) -> None:
    rates, seen = [], set()
    for base, quote, value in pairs:
        if base != quote and frozenset((base, quote)) not in seen:
            seen.add(frozenset((base, quote)))
            rates.append(rate(base, quote, value))
    table = ExchangeRates(rates=rates)
    try:
        done = table.conversion(money(1, source), target, on=D2025)
    except CurrencyError:
        return
    assert done.path[0] == source and done.path[-1] == target
    assert len(done.legs) == len(done.path) - 1
    assert len(set(done.path)) == len(done.path)  # never twice through one currency
    product = 1.0
    for here, there, leg in zip(done.path, done.path[1:], done.legs, strict=False):
        assert {leg.base, leg.quote} == {here, there}
        product *= leg.rate if leg.base == here else 1 / leg.rate
    assert math.isclose(done.rate, product, rel_tol=1e-12)
    # and back again: the same chain reversed, the inverse rate
    back = table.conversion(money(1, target), source, on=D2025)
    assert back.path == done.path[::-1]
    assert math.isclose(back.rate * done.rate, 1.0, rel_tol=1e-9)
    assert source in CURRENCIES
