"""Money as budget documents write it: Korean, Japanese, Chinese, US and EU spellings.

Every spelling below is in a form that the named kind of document uses; the expected value
is read off the spelling by hand (조 = 10^12, 억 = 10^8, 만 = 10^4, 천 = 10^3; 兆/億/万/千
alike; 亿 = 10^8, 万亿 = 10^12; bn = 10^9, m = 10^6, k = 10^3). Where a figure comes from the
project's sourced reference data, the source is named in the comment. Each spelling must
read as that value in that currency, be written back in one canonical ASCII form, and read
back equal (same number, same unit).
"""

from __future__ import annotations

import math

import pytest

from stratpolicy.units import currency_of, format_amount, parse_amount

# (spelling, value in whole currency units, currency)
SPELLINGS: list[tuple[str, float, str]] = [
    # --- Korea: MOEF / MSIT budget releases (조원, 억원, 만원; spaced or not) ---
    # 2026 NST R&D, digitaltoday.co.kr "8.6 trillion won in R&D" (reference kr_budget_2026)
    ("8조 6천억원", 8.6e12, "KRW"),
    # 2026 government R&D budget, donga.com 2025-08-22 (reference kr_budget_2026)
    ("35.3조원", 35.3e12, "KRW"),
    ("35.3조 원", 35.3e12, "KRW"),
    # 2025 government R&D budget, donga.com (reference kr_budget_2026)
    ("29조 6천억원", 29.6e12, "KRW"),
    # 2024 government R&D budget after the cut, ohmynews.com (reference kr_budget_2026)
    ("26조 5천억원", 26.5e12, "KRW"),
    # 2026 government-wide AI budget, asiae.co.kr (reference kr_budget_2026)
    ("10조 1천억원", 10.1e12, "KRW"),
    # National Growth Fund, biz.chosun.com (reference kr_budget_2026)
    ("100조원", 100e12, "KRW"),
    # capital of the 2025 H1 AI computing centre call (reference kr_budget_2026)
    ("4,000억원", 400e9, "KRW"),
    ("3,500억원", 350e9, "KRW"),
    ("1조2천억 원", 1.2e12, "KRW"),
    ("5천만원", 50e6, "KRW"),
    ("673조 3천억원", 673.3e12, "KRW"),
    ("2천5백억원", 250e9, "KRW"),
    ("10억 5천만원", 1.05e9, "KRW"),
    ("1,234억 5,600만원", 123_456_000_000, "KRW"),
    ("500억 원", 50e9, "KRW"),
    # Korean government releases in English
    ("₩1,000", 1000, "KRW"),
    ("₩35.3 trillion", 35.3e12, "KRW"),
    ("35.3 trillion won", 35.3e12, "KRW"),
    ("KRW 35.3 trillion", 35.3e12, "KRW"),
    # --- Japan: MOF / METI budgets (兆円, 億円, 万円) ---
    ("1兆2000億円", 1.2e12, "JPY"),
    ("1兆2,000億円", 1.2e12, "JPY"),
    ("5,000億円", 500e9, "JPY"),
    ("3.5兆円", 3.5e12, "JPY"),
    ("115兆5,415億円", 115.5415e12, "JPY"),
    ("2,000万円", 20e6, "JPY"),
    ("1億2千万円", 120e6, "JPY"),
    ("五百億円", 50e9, "JPY"),
    ("¥500", 500, "JPY"),
    ("¥1.2 trillion", 1.2e12, "JPY"),
    ("JPY 3.5 trillion", 3.5e12, "JPY"),
    # --- China: NPC budget reports, MOF releases (亿元, 万亿元, 万元) ---
    ("3.5亿元", 350e6, "CNY"),
    ("1.2万亿元", 1.2e12, "CNY"),
    ("1万亿元", 1e12, "CNY"),
    ("500万元", 5e6, "CNY"),
    ("7000亿元", 700e9, "CNY"),
    ("285490亿元", 28.549e12, "CNY"),
    ("人民币3.5亿元", 350e6, "CNY"),
    ("两千亿元", 200e9, "CNY"),
    ("RMB 3.5 billion", 3.5e9, "CNY"),
    ("CN¥500 million", 500e6, "CNY"),
    ("3.5 billion yuan", 3.5e9, "CNY"),
    # --- United States: appropriations, CBO, agency releases ---
    # CHIPS and Science Act appropriations for semiconductors
    ("$52.7 billion", 52.7e9, "USD"),
    ("USD 52.7 billion", 52.7e9, "USD"),
    ("52.7bn USD", 52.7e9, "USD"),
    ("52.7 billion dollars", 52.7e9, "USD"),
    ("$280 billion", 280e9, "USD"),
    # Korea's 2026 R&D budget in an English wire story, wam.ae (reference kr_budget_2026)
    ("US$25.1 billion", 25.1e9, "USD"),
    ("US$1.2 million", 1.2e6, "USD"),
    ("$1.5B", 1.5e9, "USD"),
    ("$500k", 500e3, "USD"),
    ("$2.5 mn", 2.5e6, "USD"),
    ("$1.2T", 1.2e12, "USD"),
    # --- European Union: MFF, Chips Act, Commission releases (EUR with spaces) ---
    ("€1.5 bn", 1.5e9, "EUR"),
    ("EUR 1 074.3 billion", 1074.3e9, "EUR"),
    ("EUR 95 517 million", 95_517e6, "EUR"),
    ("€750 billion", 750e9, "EUR"),
    ("€43 billion", 43e9, "EUR"),
    ("EUR 500 million", 500e6, "EUR"),
    ("€2m", 2e6, "EUR"),
    ("1.5 billion euros", 1.5e9, "EUR"),
    ("€ 1 074.3 billion", 1074.3e9, "EUR"),
    # --- United Kingdom ---
    ("£2m", 2e6, "GBP"),
]


def test_the_table_is_large_enough() -> None:
    assert len(SPELLINGS) >= 40
    assert len({text for text, _, _ in SPELLINGS}) == len(SPELLINGS)


@pytest.mark.parametrize(("text", "value", "currency"), SPELLINGS)
def test_budget_spelling_reads_as_its_value(text: str, value: float, currency: str) -> None:
    amount = parse_amount(text, dimension="money")
    assert currency_of(amount) == currency
    assert math.isclose(amount.to(currency).magnitude, value, rel_tol=1e-13)


@pytest.mark.parametrize(("text", "value", "currency"), SPELLINGS)
def test_budget_spelling_round_trips(text: str, value: float, currency: str) -> None:
    amount = parse_amount(text)
    written = format_amount(amount)
    assert written.isascii()
    assert written.endswith(f" {currency}")
    back = parse_amount(written)
    assert back == amount
    assert back.units == amount.units
    assert back.magnitude == amount.magnitude
    assert type(back.magnitude) is type(amount.magnitude)
    assert format_amount(back) == written  # the canonical form is a fixed point


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        # a CJK numeral: the exact value, written with the largest scale word not above it
        ("8조 6천억원", "8.6 trillion KRW"),
        ("3,500억원", "350 billion KRW"),  # 3,500 x 10^8 = 350 x 10^9
        ("5천만원", "50 million KRW"),  # 5 x 10^3 x 10^4 = 50 x 10^6
        ("1조2천억 원", "1.2 trillion KRW"),
        ("5천원", "5000 KRW"),  # below a million: no scale word
        ("1兆2000億円", "1.2 trillion JPY"),
        ("115兆5,415億円", "115.5415 trillion JPY"),
        ("3.5亿元", "350 million CNY"),
        ("1.2万亿元", "1.2 trillion CNY"),
        ("500万元", "5 million CNY"),
        # Western spellings keep their number and scale word; codes replace signs and words
        ("₩1,000", "1000 KRW"),
        ("$52.7 billion", "52.7 billion USD"),
        ("52.7bn USD", "52.7 billion USD"),
        ("€1.5 bn", "1.5 billion EUR"),
        ("£2m", "2 million GBP"),
        ("$500k", "500 thousand USD"),
        ("EUR 1 074.3 billion", "1074.3 billion EUR"),
        ("8.6 trillion won", "8.6 trillion KRW"),
        ("1.5 billion euros", "1.5 billion EUR"),
    ],
)
def test_canonical_spelling(text: str, canonical: str) -> None:
    assert format_amount(parse_amount(text)) == canonical


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        # '¥' is the yen unless the amount says yuan: CN¥, RMB, 人民币 or a closing 元
        ("¥500", "JPY"),
        ("￥500", "JPY"),  # the full-width sign of Japanese and Chinese text
        ("CN¥500", "CNY"),
        ("JP¥500", "JPY"),
        ("¥3.5亿元", "CNY"),
        ("¥5 CNY", "CNY"),
        # '$' is the US dollar unless the amount names another dollar
        ("$5", "USD"),
        ("A$5", "AUD"),
        ("C$5", "CAD"),
        ("HK$5", "HKD"),
        ("NT$5", "TWD"),
        ("S$5", "SGD"),
        ("$5 AUD", "AUD"),
        # symbols after the number, as continental documents write them
        ("5 €", "EUR"),
        ("1.5 bn €", "EUR"),
        # words
        ("5 won", "KRW"),
        ("5 yen", "JPY"),
        ("5 yuan", "CNY"),
        ("5 renminbi", "CNY"),
        ("5 euro", "EUR"),
        ("5 US dollars", "USD"),
        ("5 pounds sterling", "GBP"),
        ("5억 달러", "USD"),
        ("5億ドル", "USD"),
        ("5亿美元", "USD"),
        ("3億ユーロ", "EUR"),
        ("5 CHF", "CHF"),
        ("XOF 5 billion", "XOF"),
    ],
)
def test_currency_markers(text: str, currency: str) -> None:
    assert currency_of(parse_amount(text)) == currency


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # scale abbreviations are read only in money; elsewhere they are units or prefixes
        ("3 m", "3 meter"),
        ("$3m", "3 million USD"),
        ("3m USD", "3 million USD"),
        ("3 M USD", "3 million USD"),
        ("3 MM USD", "3 million USD"),
        ("3 mln USD", "3 million USD"),
        ("3 B USD", "3 billion USD"),
        ("3 bln USD", "3 billion USD"),
        ("3 T USD", "3 trillion USD"),
        ("3 tn USD", "3 trillion USD"),
        ("3 trn USD", "3 trillion USD"),
        ("3 K USD", "3 thousand USD"),
        ("3 MW", "3 megawatt"),
        ("3 kt", "3 kilometric_ton"),
        ("3 Billion USD", "3 billion USD"),
        # a unit per unit stays a unit, not money
        ("3 KRW / GPU", "3 KRW / GPU"),
        ("3 won / GPU", "3 KRW / GPU"),
        ("35.3 trillion", "35.3 trillion"),
    ],
)
def test_scale_abbreviations_only_in_money(text: str, expected: str) -> None:
    assert format_amount(parse_amount(text)) == expected


def test_minus_signs() -> None:
    for text in ("-₩5,000", "₩-5,000", "-5,000원", "−5,000원", "-$1.5B"):
        amount = parse_amount(text)
        assert amount.magnitude < 0, text


def test_spaces_of_every_kind_separate_groups() -> None:
    # no-break space, narrow no-break space, thin space and the ideographic space
    for space in (" ", "\u00a0", "\u202f", "\u2009"):
        amount = parse_amount(f"EUR 1{space}074.3 billion")
        assert format_amount(amount) == "1074.3 billion EUR"
    assert format_amount(parse_amount("8조\u30006천억원")) == "8.6 trillion KRW"
