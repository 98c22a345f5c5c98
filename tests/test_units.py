from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stratpolicy.errors import CurrencyError, UnitError
from stratpolicy.units import (
    ExchangeRate,
    ExchangeRates,
    currency_of,
    format_amount,
    money,
    parse_amount,
    quantity,
    registry,
)


@pytest.mark.parametrize(
    ("text", "base_unit", "expected"),
    [
        ("35.3 trillion KRW", "KRW", 35.3e12),
        ("8.6 trillion won", "KRW", 8.6e12),
        ("8.6조원", "KRW", 8.6e12),
        ("50,000 GPU", "GPU", 50_000),
        ("1.2 exaFLOP/s", "FLOP/s", 1.2e18),
        ("2.5 GW", "W", 2.5e9),
        ("15 %", "dimensionless", 0.15),
        ("1,234.5 USD", "USD", 1234.5),
    ],
)
def test_parse_policy_amounts(text: str, base_unit: str, expected: float) -> None:
    amount = parse_amount(text)
    assert amount.to(base_unit).magnitude == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("text", ["", "abc", "KRW", "12 furlongs per fortnight!", "1..2 KRW"])
def test_not_an_amount(text: str) -> None:
    with pytest.raises(UnitError):
        parse_amount(text)


def test_dimension_checks() -> None:
    assert currency_of(parse_amount("3 trillion KRW", dimension="money")) == "KRW"
    with pytest.raises(UnitError, match="not an amount of money"):
        parse_amount("12 parsecs", dimension="money")
    with pytest.raises(UnitError, match="not an amount in KRW"):
        parse_amount("3 USD", dimension="KRW")
    with pytest.raises(UnitError, match="not an amount of W"):
        parse_amount("3 GPU", dimension="W")


def test_currencies_are_separate_dimensions() -> None:
    import pint

    with pytest.raises(pint.DimensionalityError):
        _ = money(1, "KRW") + money(1, "USD")
    assert currency_of(quantity(3, "KRW / GPU")) is None
    assert currency_of(3.0) is None


def test_one_registry() -> None:
    assert registry() is registry()
    assert parse_amount("1 KRW")._REGISTRY is registry()


def test_exchange_rates_are_dated_and_explicit() -> None:
    table = ExchangeRates(
        rates=(
            ExchangeRate(on=dt.date(2025, 1, 1), base="USD", quote="KRW", rate=1400.0),
            ExchangeRate(on=dt.date(2026, 1, 1), base="USD", quote="KRW", rate=1500.0),
        )
    )
    # 3 trillion KRW / 1500 KRW per USD = 2 billion USD, with the 2026 rate
    assert table.convert(
        money(3, "trillion KRW"), "USD", on=dt.date(2026, 6, 1)
    ).magnitude == pytest.approx(2e9)
    # 2,800 KRW / 1400 = 2 USD with the 2025 rate; the inverse pair works too
    assert table.convert(
        money(2800, "KRW"), "USD", on=dt.date(2025, 6, 1)
    ).magnitude == pytest.approx(2.0)
    assert table.convert(money(2, "USD"), "KRW", on=dt.date(2025, 6, 1)).magnitude == pytest.approx(
        2800.0
    )
    with pytest.raises(CurrencyError, match="no USD/KRW exchange rate"):
        table.convert(money(1, "USD"), "KRW", on=dt.date(2024, 12, 31))
    with pytest.raises(CurrencyError, match="no EUR/KRW"):
        table.convert(money(1, "EUR"), "KRW", on=dt.date(2026, 1, 1))
    with pytest.raises(UnitError):
        table.convert(quantity(1, "GW"), "KRW", on=dt.date(2026, 1, 1))


def test_exchange_rate_validation() -> None:
    from stratpolicy.errors import DataError, ValidationError

    with pytest.raises(DataError) as info:
        ExchangeRate(on=dt.date(2025, 1, 1), base="XXX", quote="XXX", rate=-1)
    found = [(p.path, p.kind) for p in info.value.problems]
    # unknown currencies are currency problems; a negative rate is a domain problem
    assert found == [
        ("base", CurrencyError),
        ("quote", CurrencyError),
        ("quote", CurrencyError),
        ("rate", ValidationError),
    ]


_units = st.sampled_from(
    ["KRW", "trillion KRW", "billion USD", "EUR", "GPU", "GW", "TWh", "exaFLOP/s", "%", "years"]
)
_magnitudes = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    # finite in base units too: 1e280 exa-anything is still below float's 1.8e308
    st.floats(min_value=-1e280, max_value=1e280, allow_nan=False, allow_infinity=False),
)


@given(_magnitudes, _units)
def test_format_then_parse_round_trips(magnitude: float, unit: str) -> None:
    amount = quantity(magnitude, unit)
    back = parse_amount(format_amount(amount))
    assert back.magnitude == amount.magnitude
    assert type(back.magnitude) is type(amount.magnitude)
    assert back.units == amount.units
