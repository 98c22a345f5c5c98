"""Properties of the money grammar: numerals built at random read as their hand value, every
written amount reads back equal, and any text gives an amount or a library error."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratpolicy.errors import UnitError
from stratpolicy.units import CURRENCIES, currency_of, format_amount, money, parse_amount

# -- CJK numerals --------------------------------------------------------------------------

# (big unit, its value) per language, and the small units of a group (천/千 = 1000 ...)
KOREAN = {"big": [("조", 10**12), ("억", 10**8), ("만", 10**4)], "small": "천백십", "won": "원"}
JAPANESE = {"big": [("兆", 10**12), ("億", 10**8), ("万", 10**4)], "small": "千百十", "won": "円"}
CHINESE = {"big": [("万亿", 10**12), ("亿", 10**8), ("万", 10**4)], "small": "千百十", "won": "元"}
CODES = {"원": "KRW", "円": "JPY", "元": "CNY"}


@st.composite
def group(draw: st.DrawFn, small: str) -> tuple[str, int]:
    """A number from 1 to 9999, written in one of the ways budgets write a group."""
    value = draw(st.integers(min_value=1, max_value=9999))
    style = draw(st.sampled_from(["digits", "comma", "units"]))
    if style == "digits":
        return str(value), value
    if style == "comma":
        return f"{value:,}", value
    text = ""
    for unit, size in zip(small, (1000, 100, 10), strict=True):
        digit = value // size % 10
        if digit:
            text += ("" if digit == 1 and draw(st.booleans()) else str(digit)) + unit
    if value % 10:
        text += str(value % 10)
    return text, value


@st.composite
def numeral(draw: st.DrawFn) -> tuple[str, int, str]:
    """A CJK amount of money: some of the big groups, each with its number, then the currency."""
    language = draw(st.sampled_from([KOREAN, JAPANESE, CHINESE]))
    bigs = [(u, v) for u, v in language["big"] if draw(st.booleans())]
    parts, total = [], 0
    for unit, size in bigs:
        text, value = draw(group(language["small"]))
        parts.append(text + unit)
        total += value * size
    if not parts or draw(st.booleans()):
        text, value = draw(group(language["small"]))
        parts.append(text)
        total += value
    space = draw(st.sampled_from(["", " "]))
    end = draw(st.sampled_from(["", " "])) + language["won"]
    return space.join(parts) + end, total, CODES[language["won"]]


@settings(deadline=None)  # the first example builds the registry
@given(numeral())
def test_cjk_numerals_read_as_their_value(case: tuple[str, int, str]) -> None:
    text, total, currency = case
    amount = parse_amount(text)
    assert currency_of(amount) == currency
    # the number is exact up to float rounding of the scaled magnitude
    assert math.isclose(amount.to(currency).magnitude, total, rel_tol=1e-15)
    # scaled by the largest scale word not above it (so the number is at least 1)
    assert 1 <= abs(amount.magnitude) < 1000 or total < 10**6 or total >= 10**15
    back = parse_amount(format_amount(amount))
    assert back == amount and back.units == amount.units


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("1조", 10**12),
        ("천만원", 10**7),  # a unit with no number before it counts one
        ("만원", 10**4),
        ("십억원", 10**9),
        ("1조 천억원", 1_100_000_000_000),
        ("2조 3억 4만 5원", 2_000_300_040_005),
        ("일조원", None),  # Hangul digits are not read: budgets write ASCII digits with 조
    ],
)
def test_korean_numerals_by_hand(text: str, total: int | None) -> None:
    if not text.endswith("원"):
        text += "원"
    if total is None:
        with pytest.raises(UnitError):
            parse_amount(text)
        return
    assert parse_amount(text).to("KRW").magnitude == pytest.approx(total, rel=1e-15)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("5억 3조원", "groups must decrease"),
        ("5천천원", "units within a group must decrease"),
        ("1,5 Mrd. EUR", "is not a unit"),  # a comma is never a decimal mark
        ("원", "expected a number"),
        ("₩", "expected a number"),
        ("$5 EUR", "name different currencies"),
        ("₩5 USD", "name different currencies"),
        ("5억 원 달러", "unexpected"),
        ("1조 2 3억원", "two numbers in a row"),
        ("1万亿亿元", "a larger unit must follow a smaller one"),
        ("1e400조원", "not a finite amount"),
        ("9e999999999999999999조원", "too large"),
        ("1e300조원", "not a finite amount"),  # 10^312 won
        ("$" + "9" * 100, "longer than 100 characters"),
        # 99 digits fit in the text, but not in its canonical spelling ('... USD')
        ("$" + "9" * 99, "cannot be written back in 100 characters"),
        ("5 $ per GPU", "unexpected"),
    ],
)
def test_malformed_money_is_a_unit_error(text: str, words: str) -> None:
    with pytest.raises(UnitError) as info:
        parse_amount(text)
    assert words in str(info.value)
    assert len(str(info.value)) < 400


# -- any money we write reads back equal --------------------------------------------------

_magnitudes = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(min_value=-1e200, max_value=1e200, allow_nan=False, allow_infinity=False),
)
_scales = st.sampled_from(
    ["", "thousand ", "million ", "billion ", "trillion ", "hundred_million "]
)


@settings(deadline=None)  # the first example builds the registry
@given(_magnitudes, _scales, st.sampled_from(CURRENCIES))
def test_any_money_we_write_reads_back_equal(magnitude: float, scale: str, code: str) -> None:
    amount = money(magnitude, scale + code)
    text = format_amount(amount)
    assert text.isascii()
    back = parse_amount(text)
    assert back == amount
    assert back.units == amount.units
    assert back.magnitude == amount.magnitude
    assert type(back.magnitude) is type(amount.magnitude)


_SIGNS = st.sampled_from(["$", "US$", "€", "£", "¥", "₩", "CN¥", "A$", "USD ", "EUR ", "KRW "])
_SCALE_SPELLINGS = {
    "": 1,
    "k": 10**3,
    "K": 10**3,
    " thousand": 10**3,
    "m": 10**6,
    " million": 10**6,
    " mn": 10**6,
    "M": 10**6,
    "bn": 10**9,
    " billion": 10**9,
    "B": 10**9,
    " bn": 10**9,
    "tn": 10**12,
    " trillion": 10**12,
    "T": 10**12,
}


@settings(deadline=None)  # the first example builds the registry
@given(
    _SIGNS,
    st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
    st.sampled_from(sorted(_SCALE_SPELLINGS)),
    st.booleans(),
)
def test_western_spellings_read_as_their_value(
    sign: str, number: Decimal, scale: str, commas: bool
) -> None:
    digits = f"{number:,}" if commas else str(number)
    text = f"{sign}{digits}{scale}"
    amount = parse_amount(text)
    expected = float(number) * _SCALE_SPELLINGS[scale]
    assert currency_of(amount) is not None
    assert math.isclose(amount.to(currency_of(amount)).magnitude, expected, rel_tol=1e-12)


# -- any text at all ----------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    [
        *"0123456789.,eE+- %$€£¥₩",
        *"조억만천백십원兆億万千百十円亿元一二五两",
        "KRW",
        "USD",
        "bn",
        "m",
        "k",
        "B",
        "trillion",
        "US$",
        "CN¥",
        "人民币",
        "달러",
        "美元",
        "\u00a0",
        "\u3000",
        "１",
        "µ",
    ]
)


@settings(deadline=None)  # the first example builds the registry
@given(st.one_of(st.text(max_size=40), st.lists(_ALPHABET, max_size=14).map("".join)))
def test_any_text_gives_an_amount_or_a_library_error(text: str) -> None:
    try:
        amount = parse_amount(text)
    except UnitError:
        return  # the only error it may raise (any other StratpolicyError fails the test)
    assert math.isfinite(float(amount.magnitude))
    written = format_amount(amount)
    back = parse_amount(written)
    assert back == amount and back.units == amount.units
