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
        parse_amount("12 tonnes", dimension="money")
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


# -- hard edges (issue 9) ------------------------------------------------------------------

from stratpolicy import limits  # noqa: E402
from stratpolicy.errors import DataError, ValidationError  # noqa: E402


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # exponents and unit expressions are bounded before pint sees them (these hung)
        ("1 m^(9^9^9)", "a power must be a whole number"),
        ("1 9^9^(2^2^2)", "is not a unit"),
        ("1 m^99999999999999", "the power 99999 is out of bounds"),
        ("1 m^5", "the power 5 is out of bounds"),
        ("1 m^0", "the power 0 is out of bounds"),
        ("1 m**(2)", "a power must be a whole number"),
        ("1 a*b*c*d*e*f*g*h*m", "more than 8 unit names"),
        ("1 " + "m*" * 60 + "m", "longer than 100 characters"),
        # numbers: ASCII digits only, finite, in base units too
        ("１２ KRW", "expected a number (ASCII digits)"),
        ("١٢ KRW", "expected a number (ASCII digits)"),
        ("1e999 KRW", "is not a finite amount"),
        ("1e300 trillion KRW", "is not a finite amount"),
        ("inf KRW", "expected a number"),
        ("e5 KRW", "expected a number"),  # was a raw ValueError: an exponent without digits
        ("+e5", "expected a number"),
        ("-E-3 GW", "expected a number"),
        (".e5 KRW", "expected a number"),
        ("nan KRW", "expected a number"),
        ("1" * 5000 + " KRW", "longer than 100 characters"),
        # symbols that are not ASCII are not read (they were never written back either)
        ("5 µs", "is not a unit"),
        ("1 KRW /", "ends with an operator"),
        ("1 / s", "is not a unit"),
    ],
)
def test_amounts_out_of_bounds_are_refused_quickly(text: str, words: str) -> None:
    with pytest.raises(UnitError) as info:
        parse_amount(text)
    assert words in str(info.value)
    assert len(str(info.value)) < 400  # the message quotes a bounded preview


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("35.3 trillion KRW", "35.3 trillion KRW"),
        ("8.6조원", "8.6 trillion KRW"),
        ("350억원", "35 billion KRW"),  # 350 x 10^8 = 35 x 10^9 (was '350 hundred_million KRW')
        ("350 hundred_million KRW", "350 hundred_million KRW"),  # what earlier versions wrote
        ("50,000 GPU", "50000 GPU"),
        ("1.2 exaFLOP/s", "1.2 exaFLOP / second"),
        ("2.5 GW", "2.5 gigawatt"),
        ("15 %", "15 percent"),
        ("5 microsecond", "5 microsecond"),  # was written '5 µs', which did not read back
        ("2 kpercent", "2 kilopercent"),  # was written '2 k%', read back as Boltzmann x %
        ("3 KRW / GPU / year", "3 KRW / GPU / year"),
        ("9.81 m/s^2", "9.81 meter / second^2"),
        ("4 s^-1", "4 second^-1"),
        ("1e+16 USD", "1e+16 USD"),
    ],
)
def test_amounts_have_one_canonical_ascii_spelling(written: str, canonical: str) -> None:
    amount = parse_amount(written)
    text = format_amount(amount)
    assert text == canonical and text.isascii()
    back = parse_amount(text)
    assert back == amount and back.units == amount.units
    assert type(back.magnitude) is type(amount.magnitude)


def test_format_amount_refuses_what_cannot_read_back() -> None:
    import numpy as np

    reg = registry()
    # a numpy float writes its plain repr, not 'np.float64(1.5)'
    assert format_amount(reg.Quantity(np.float64(1.5), "KRW")) == "1.5 KRW"
    from decimal import Decimal

    for magnitude in (float("inf"), float("nan"), 10**400, Decimal("1.5")):
        with pytest.raises(UnitError):
            format_amount(reg.Quantity(magnitude, "KRW"))


_NAMES = st.sampled_from(
    [
        "KRW",
        "USD",
        "EUR",
        "GPU",
        "FLOP",
        "watt",
        "hour",
        "second",
        "meter",
        "percent",
        "year",
        "gram",
        "joule",
        "byte",
    ]
)
_PREFIXES = st.sampled_from(["", "kilo", "mega", "giga", "tera", "exa", "milli", "micro", "nano"])
_POWERS = st.sampled_from([1, 1, 1, 2, 3, -1, -2])


@st.composite
def _units(draw: st.DrawFn) -> str:
    """A unit built from canonical names, prefixes and small powers (never pint's parser)."""
    terms = draw(st.lists(st.tuples(_PREFIXES, _NAMES, _POWERS), min_size=0, max_size=3))
    return " * ".join(f"{p}{n}^{e}" for p, n, e in terms)


@given(
    st.one_of(
        st.integers(min_value=-(10**15), max_value=10**15),
        st.floats(min_value=-1e200, max_value=1e200, allow_nan=False, allow_infinity=False),
        st.floats(min_value=-1e-200, max_value=1e-200, allow_nan=False),
    ),
    _units(),
)
def test_every_written_amount_reads_back_equal(magnitude: float, unit: str) -> None:
    try:
        amount = quantity(magnitude, unit)
    except UnitError:  # the same name twice with powers over the bound, e.g. m^3 * m^2
        return
    text = format_amount(amount)
    assert text.isascii()
    back = parse_amount(text)
    assert back.magnitude == amount.magnitude
    assert type(back.magnitude) is type(amount.magnitude)
    assert back.units == amount.units


def test_adding_currencies_outside_the_engine_is_a_currency_error() -> None:
    import pint

    krw, usd = money(1, "trillion KRW"), money(1, "billion USD")
    for operation in (
        lambda: krw + usd,
        lambda: usd - krw,
        lambda: krw < usd,
        lambda: krw >= usd,
        lambda: krw.to("USD"),
        lambda: sum([krw, usd]),
    ):
        with pytest.raises(
            CurrencyError, match=r"cannot combine amounts in (KRW and USD|USD and KRW)"
        ):
            operation()
    # still pint's DimensionalityError for code written against pint
    with pytest.raises(pint.DimensionalityError):
        _ = krw + usd
    # other dimensions: a UnitError
    with pytest.raises(UnitError, match="different dimensions"):
        _ = quantity(1, "GW") + quantity(1, "GPU")
    # == never converts and never raises between currencies
    assert (krw == usd) is False
    assert (money(0, "KRW") == money(0, "USD")) is False
    assert krw == money(1, "trillion KRW")


def test_quantities_of_another_registry_are_refused_not_equal() -> None:
    import pint

    other = pint.UnitRegistry()
    with pytest.raises(UnitError, match="another pint registry"):
        _ = quantity(1, "meter") == other.Quantity(1, "meter")
    with pytest.raises(UnitError, match="another pint registry"):
        _ = quantity(1, "meter") + other.Quantity(1, "meter")


def test_quantities_pickle_into_the_one_registry() -> None:
    import pickle

    amount = parse_amount("35.3 trillion KRW")
    back = pickle.loads(pickle.dumps(amount))
    assert back._REGISTRY is registry()
    assert back == amount and back.units == amount.units


def test_unknown_currencies_are_always_currency_errors() -> None:
    table = ExchangeRates()
    for call in (
        lambda: money(1, "XYZ"),
        lambda: money(1, "GW"),
        lambda: table.convert(money(1, "KRW"), "XYZ", on=dt.date(2025, 1, 1)),
        lambda: table.rate("XYZ", "KRW", dt.date(2025, 1, 1)),
        lambda: ExchangeRate(on=dt.date(2025, 1, 1), base="XYZ", quote="KRW", rate=1.0),
    ):
        with pytest.raises(CurrencyError):
            call()


def test_exchange_rates_keep_their_own_tuple() -> None:
    rate = ExchangeRate(on=dt.date(2025, 1, 1), base="USD", quote="KRW", rate=1400.0)
    rates = [rate]
    table = ExchangeRates(rates=rates)
    rates.append(ExchangeRate(on=dt.date(2025, 1, 1), base="USD", quote="KRW", rate=1000.0))
    assert table.rates == (rate,)
    # 2.8 trillion KRW / 1400 = 2.0e9 USD, whatever happens to the caller's list
    usd = table.convert(money(2.8, "trillion KRW"), "USD", on=dt.date(2025, 6, 1))
    assert usd.magnitude == pytest.approx(2.0e9)
    with pytest.raises(DataError):
        ExchangeRates(rates=[rate, "not a rate"])  # type: ignore[list-item]


def test_exchange_rate_dates_are_checked() -> None:
    table = ExchangeRates(
        rates=(ExchangeRate(on=dt.date(2025, 1, 1), base="USD", quote="KRW", rate=1400.0),)
    )
    amount = money(2800, "KRW")
    # a datetime's date is used; ISO text is read strictly (2800 / 1400 = 2 USD)
    assert table.convert(amount, "USD", on=dt.datetime(2025, 6, 1, 23, 59)).magnitude == 2.0
    assert table.convert(amount, "USD", on="2025-06-01").magnitude == 2.0
    for bad in ("20250601", "2025-W23-1", "June 1", 20250601, None):
        with pytest.raises(ValidationError, match="on: expected a date"):
            table.convert(amount, "USD", on=bad)  # type: ignore[arg-type]
    with pytest.raises(DataError, match="on: expected a date"):
        ExchangeRate(on="2025-01-01", base="USD", quote="KRW", rate=1.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("rate", [float("inf"), float("nan"), -1.0, 0.0, True, "1400"])
def test_exchange_rates_must_be_positive_finite_numbers(rate: object) -> None:
    with pytest.raises(DataError) as info:
        ExchangeRate(on=dt.date(2025, 1, 1), base="USD", quote="KRW", rate=rate)  # type: ignore[arg-type]
    assert [p.path for p in info.value.problems] == ["rate"]


def test_limits_are_documented_constants() -> None:
    assert limits.MAX_AMOUNT_LENGTH == 100
    assert limits.MAX_UNIT_EXPONENT == 4
    assert limits.MAX_UNIT_TERMS == 8


_AMOUNT_ALPHABET = st.sampled_from(
    [*"0123456789.,eE+-*/^ %()", "KRW", "m", "s", "k", "trillion", "조원", "µ", "１", "\x85"]
)


@given(st.one_of(st.text(max_size=40), st.lists(_AMOUNT_ALPHABET, max_size=12).map("".join)))
def test_parse_amount_gives_an_amount_or_a_unit_error(text: str) -> None:
    """Any text at all: a finite amount that writes back, or a UnitError, never another error."""
    import math

    try:
        amount = parse_amount(text)
    except UnitError:
        return
    assert math.isfinite(float(amount.magnitude))
    assert parse_amount(format_amount(amount)) == amount
