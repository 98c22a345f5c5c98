"""Reading money as budget documents write it: symbols, codes, words, scales, CJK numerals.

Pure Python, no pint: :func:`read_money` turns ``"8조 6천억원"``, ``"$52.7 billion"`` or
``"1.2万亿元"`` into a number, a scale word and a currency code, which the parser then makes
a quantity of. The whole grammar is listed in the guide "Units and money"; in short:

- an optional sign, then an optional currency marker before the number (a symbol such as
  ``$``, ``US$``, ``€``, ``£``, ``¥``, ``₩``; an ISO 4217 code; ``RMB``, ``人民币``);
- the number: ASCII digits with thousands separators (``3,500`` or ``1 074``), an
  optional decimal part and exponent; then an optional scale (``thousand``, ``million``,
  ``billion``, ``trillion`` and ``k``, ``m``/``mn``/``mln``/``MM``/``M``, ``b``/``bn``/
  ``bln``/``B``, ``tn``/``trn``/``T``);
- or a Korean, Japanese or Chinese numeral: ASCII or CJK digits with the units 十 百 千
  (십 백 천) and 万 億 兆 (만 억 조), also 亿, 萬, 万亿, 京 (경), groups separated by spaces
  or not (``8조 6천억``, ``1兆2000億``, ``1.2万亿``);
- an optional currency marker after it (a code, ``won``, ``dollars``, ``euros``, ``yen``,
  ``yuan``, ``원``, ``円``, ``元``, ``달러``, ``美元`` ...).

Money needs a currency marker; text without one is not read here (it may be another unit:
``"3 m"`` is three metres, ``"$3m"`` three million dollars). A CJK numeral is written back
with the largest scale word not above it (``3,500억원`` is 350 billion KRW), so that every
spelling has one canonical form.
"""

from __future__ import annotations

import decimal
import itertools
import re
from decimal import Decimal
from typing import NamedTuple

from stratpolicy._checks import quote
from stratpolicy.errors import UnitError
from stratpolicy.units._currencies import CURRENCIES, ISO_4217

__all__ = [
    "CJK_BIG_UNITS",
    "CJK_SMALL_UNITS",
    "NUMBER_PATTERN",
    "PREFIX_MARKERS",
    "SCALE_ABBREVIATIONS",
    "SUFFIX_MARKERS",
    "MoneyText",
    "read_money",
]


class MoneyText(NamedTuple):
    """An amount of money read from text: ``magnitude`` ``scale`` ``currency``."""

    magnitude: int | float
    scale: str | None
    currency: str


PREFIX_MARKERS: dict[str, str] = {
    "US$": "USD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "HK$": "HKD",
    "NT$": "TWD",
    "NZ$": "NZD",
    "S$": "SGD",
    "R$": "BRL",
    "MX$": "MXN",
    "CN¥": "CNY",
    "JP¥": "JPY",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₩": "KRW",
    "₹": "INR",
    "₽": "RUB",
    "₺": "TRY",
    "₫": "VND",
    "₱": "PHP",
    "₪": "ILS",
    "฿": "THB",
    "₴": "UAH",
    "₦": "NGN",
    "RMB": "CNY",
    "人民币": "CNY",
    "人民幣": "CNY",
}
"""Currency markers written before the number (besides every ISO 4217 code)."""

SUFFIX_MARKERS: dict[str, str] = {
    # English words (matched without regard to case)
    "won": "KRW",
    "us dollars": "USD",
    "us dollar": "USD",
    "u.s. dollars": "USD",
    "u.s. dollar": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "pounds sterling": "GBP",
    "pound sterling": "GBP",
    "rmb": "CNY",
    # symbols after the number, as in "5 €" or "1.5 bn €"
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₩": "KRW",
    # Korean
    "원": "KRW",
    "달러": "USD",
    "유로": "EUR",
    "엔": "JPY",
    "위안": "CNY",
    "파운드": "GBP",
    # Japanese
    "円": "JPY",
    "米ドル": "USD",
    "ドル": "USD",
    "ユーロ": "EUR",
    "人民元": "CNY",
    "ウォン": "KRW",
    "ポンド": "GBP",
    # Chinese
    "美元": "USD",
    "欧元": "EUR",
    "歐元": "EUR",
    "日元": "JPY",
    "韩元": "KRW",
    "韓元": "KRW",
    "英镑": "GBP",
    "英鎊": "GBP",
    "港元": "HKD",
    "元": "CNY",
}
"""Currency markers written after the number (besides every ISO 4217 code)."""

SCALE_ABBREVIATIONS: dict[str, str] = {
    "k": "thousand",
    "K": "thousand",
    "m": "million",
    "M": "million",
    "mn": "million",
    "mln": "million",
    "MM": "million",
    "b": "billion",
    "B": "billion",
    "bn": "billion",
    "bln": "billion",
    "T": "trillion",
    "tn": "trillion",
    "trn": "trillion",
}
"""Abbreviated scales, read only in an amount of money (``"$3m"``; ``"3 m"`` is metres)."""

_SCALE_WORDS = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}

CJK_SMALL_UNITS: dict[str, int] = {
    "십": 10,
    "十": 10,
    "拾": 10,
    "백": 100,
    "百": 100,
    "佰": 100,
    "천": 1000,
    "千": 1000,
    "仟": 1000,
}
"""Units within a group of four digits (Korean, Japanese, Chinese)."""

CJK_BIG_UNITS: dict[str, int] = {
    "만": 10**4,
    "万": 10**4,
    "萬": 10**4,
    "억": 10**8,
    "億": 10**8,
    "亿": 10**8,
    "조": 10**12,
    "兆": 10**12,
    "경": 10**16,
    "京": 10**16,
}
"""Units of groups of four digits; ``兆`` is 10^12 as in Japan, Korea and Taiwan."""

_CJK_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

NUMBER_PATTERN = (
    r"(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?"
    r"|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
)
"""An unsigned number in ASCII digits: ``3,500``, ``1 074.3`` (EU style), ``35.3``, ``1e12``.

Thousands are separated by commas or by spaces (no-break and thin spaces count as spaces);
the decimal mark is a point. ``1,5`` is not a number: a comma is never a decimal mark."""

_NUMBER = re.compile(NUMBER_PATTERN, re.ASCII)
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u3000": " "})
_SIGNS = {"+": 1, "-": -1, "\u2212": -1}


def _by_first(markers: list[str], fold: bool) -> dict[str, tuple[str, ...]]:
    """Markers by their first character (folded to lower case if ``fold``), longest first."""
    found: dict[str, list[str]] = {}
    for marker in sorted(markers, key=len, reverse=True):
        found.setdefault(marker[0].lower() if fold else marker[0], []).append(marker)
    return {first: tuple(group) for first, group in found.items()}


# looked up by the character at hand, so that reading an amount tries a few markers, not all
_PREFIXES = _by_first(list(PREFIX_MARKERS), fold=False)
_SUFFIXES = _by_first(list(SUFFIX_MARKERS), fold=True)
_WORDS = _by_first(list(_SCALE_WORDS), fold=True)
_ABBREVIATIONS = _by_first(list(SCALE_ABBREVIATIONS), fold=False)
_CODES = frozenset(CURRENCIES)
_DOLLARS = frozenset(c for c, info in ISO_4217.items() if "Dollar" in info.name)
_WEAK = {"$": _DOLLARS, "¥": frozenset({"JPY", "CNY"})}
_EXACT_INT = 10**15  # a CJK amount's number is an int below this, a float above


# the canonical spelling ('35.3 trillion KRW'), read without the general scanner
_CANONICAL = re.compile(
    rf"\s*([+-]?{NUMBER_PATTERN}) (?:(thousand|million|billion|trillion) )?([A-Z]{{3}})\s*",
    re.ASCII,
)
# the English words that may end an amount of money
_ASCII_WORD = re.compile(
    r"(?:won|dollars?|euros?|yen|yuan|renminbi|rmb|sterling)\s*$", re.ASCII | re.IGNORECASE
)
_NO_NUMBER = "expected a number"
# characters that only money uses: currency signs ($ and the non-ASCII ones), CJK numerals
# and currency words; text without any of them may be another amount ('5 µs', '3 m')
_MONEY_CHARACTERS = frozenset(
    c
    for c in "".join([*PREFIX_MARKERS, *SUFFIX_MARKERS, *CJK_SMALL_UNITS, *CJK_BIG_UNITS])
    + "".join(_CJK_DIGITS)
    + "￥$"
    if c == "$" or not c.isascii()
)


class _NotMoney(Exception):
    """The text is not an amount of money (it may still be another kind of amount)."""


def read_money(text: str) -> MoneyText | None:
    """Read ``text`` as an amount of money, or return ``None`` if it is not written as one.

    ``None`` means "no currency marker here, or not in a money form" (``"50,000 GPU"``,
    ``"3 KRW / GPU"``): the caller reads it as another amount. Text that is plainly money
    (a currency symbol or a CJK numeral) but malformed raises.

    Raises:
        UnitError: A currency symbol or a CJK numeral in text that is not a well-formed
            amount of money, two markers naming different currencies, CJK units out of
            order, or a number too large to be finite.
    """
    quick = _CANONICAL.fullmatch(text)
    if quick is not None and quick.group(3) in _CODES:  # what format_amount writes
        digits = quick.group(1).replace(",", "").replace(" ", "")
        number: int | float = int(digits) if _INTEGER.fullmatch(digits) else float(digits)
        return MoneyText(number, quick.group(2), quick.group(3))
    normal = text.translate(SPACES).replace("￥", "¥")
    if normal.isascii() and "$" not in normal and not _ascii_may_be_money(normal):
        return None  # no currency in sight: '50,000 GPU', '2.5 GW'
    try:
        return _read(normal)
    except _NotMoney as reason:
        if not _MONEY_CHARACTERS.intersection(normal):
            return None  # maybe another amount ('5 µs'); the caller's grammar decides
        if str(reason) == _NO_NUMBER:
            message = f"{quote(text)} is not an amount: {_NO_NUMBER} (ASCII digits) then a unit"
        else:
            message = f"{quote(text)} is not an amount of money: {reason}"
        raise UnitError([message]) from None


def _ascii_may_be_money(text: str) -> bool:
    """Whether ASCII text without ``$`` starts with a code or RMB, or ends with one or a word."""
    head = text.lstrip().lstrip("+-").lstrip()[:3]
    end = text.rstrip()
    return head in _CODES or head == "RMB" or end[-3:] in _CODES or bool(_ASCII_WORD.search(end))


def _read(text: str) -> MoneyText:
    pos, end = _skip(text, 0), len(text.rstrip())
    sign, pos = _sign(text, pos)
    prefix, pos = _prefix(text, pos)
    if prefix is not None:
        pos = _skip(text, pos)
        if sign == 0:
            sign, pos = _sign(text, pos)
    body_start = pos
    try:
        number, scale, pos = _body(text, pos)
    except decimal.DecimalException:
        raise _NotMoney("the number is too large") from None
    if pos == body_start:
        raise _NotMoney(_NO_NUMBER)
    suffix, pos = _suffix(text, _skip(text, pos))
    if _skip(text, pos) < end:
        raise _NotMoney(f"unexpected {quote(text[pos:end][:20])}")
    currency = _currency(prefix, suffix)
    if isinstance(number, Decimal):
        return _canonical(-number if sign == -1 else number, currency)
    digits = number.replace(",", "").replace(" ", "")
    magnitude: int | float = int(digits) if _INTEGER.fullmatch(digits) else float(digits)
    return MoneyText(-magnitude if sign == -1 else magnitude, scale, currency)


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return pos


def _sign(text: str, pos: int) -> tuple[int, int]:
    if pos < len(text) and text[pos] in _SIGNS:
        return _SIGNS[text[pos]], _skip(text, pos + 1)
    return 0, pos


def _prefix(text: str, pos: int) -> tuple[str | None, int]:
    for marker in _PREFIXES.get(text[pos : pos + 1], ()):
        if text.startswith(marker, pos):
            return marker, pos + len(marker)
    code = text[pos : pos + 3]
    after = text[pos + 3 : pos + 4]
    if code in _CODES and not after.isalpha():
        return code, pos + 3
    return None, pos


def _suffix(text: str, pos: int) -> tuple[str | None, int]:
    code = text[pos : pos + 3]
    if code in _CODES and not text[pos + 3 : pos + 4].isalpha():
        return code, pos + 3
    lower = text[pos : pos + 16].lower()  # the longest marker has 15 characters
    for marker in _SUFFIXES.get(lower[:1], ()):
        if lower.startswith(marker) and not (
            marker.isascii() and lower[len(marker) : len(marker) + 1].isalpha()
        ):
            return marker, pos + len(marker)
    return None, pos


def _currency(prefix: str | None, suffix: str | None) -> str:
    first = None if prefix is None else PREFIX_MARKERS.get(prefix, prefix)
    second = None if suffix is None else SUFFIX_MARKERS.get(suffix.lower(), suffix)
    if first is None and second is None:
        raise _NotMoney("no currency (a symbol such as $ or ₩, a code such as KRW, or a word)")
    if first is None or second is None or first == second:
        return first or second  # type: ignore[return-value]
    family = _WEAK.get(prefix or "")
    if family is not None and second in family:
        return second  # '$' names a dollar, '¥' the yen or the yuan: the suffix says which
    raise _NotMoney(f"{prefix!r} and {suffix!r} name different currencies")


def _body(text: str, pos: int) -> tuple[Decimal | str, str | None, int]:
    """The number from ``pos``, its scale word and where it ends.

    Western digits are kept as written (with an optional scale word after them); a CJK
    numeral is given as its exact value.
    """
    tokens: list[tuple[str, str]] = []  # ("n", digits) / ("s", small unit) / ("b", big unit)
    while True:
        at = _skip(text, pos) if tokens else pos
        number = _NUMBER.match(text, at)
        digits = at
        while digits < len(text) and text[digits] in _CJK_DIGITS:
            digits += 1
        char = text[at : at + 1]
        if number is not None or digits > at:
            if tokens and tokens[-1][0] == "n":
                raise _NotMoney("two numbers in a row")
            if number is not None:
                tokens.append(("n", number.group()))
                pos = number.end()
            else:
                tokens.append(("n", "".join(str(_CJK_DIGITS[c]) for c in text[at:digits])))
                pos = digits
        elif char and char in CJK_SMALL_UNITS:
            tokens.append(("s", char))
            pos = at + 1
        elif char and char in CJK_BIG_UNITS:
            tokens.append(("b", char))
            pos = at + 1
        else:
            break
    if not tokens:
        return "", None, pos
    if len(tokens) == 1 and tokens[0][0] == "n" and text[pos - 1 : pos].isascii():
        scale, pos = _scale(text, pos)
        return tokens[0][1], scale, pos
    return _cjk_value(tokens), None, pos


def _scale(text: str, pos: int) -> tuple[str | None, int]:
    at = _skip(text, pos)
    rest = text[at : at + 9]  # 'trillion' and the character after it
    lower = rest.lower()
    for word in _WORDS.get(lower[:1], ()):
        if lower.startswith(word) and not lower[len(word) : len(word) + 1].isalpha():
            return word, at + len(word)
    for short in _ABBREVIATIONS.get(rest[:1], ()):
        if rest.startswith(short) and not rest[len(short) : len(short) + 1].isalpha():
            return SCALE_ABBREVIATIONS[short], at + len(short)
    return None, pos


def _cjk_value(tokens: list[tuple[str, str]]) -> Decimal:
    """The value of a CJK numeral: groups of (digits, 十/百/千) times 万/億/兆, summed."""
    terms: list[list[Decimal]] = []  # [coefficient, multiplier]
    section, number = Decimal(0), None
    last_small: Decimal | None = None
    previous = ""
    for i, (kind, text) in enumerate(tokens):
        if kind == "n":
            number = Decimal(text.replace(",", "").replace(" ", ""))
        elif kind == "s":
            unit = Decimal(CJK_SMALL_UNITS[text])
            if last_small is not None and unit >= last_small:
                raise _NotMoney("units within a group must decrease (千, 百, 十)")
            section += (Decimal(1) if number is None else number) * unit
            number, last_small = None, unit
        elif previous == "b":  # 万亿: a compound unit, 10^4 x 10^8
            unit = Decimal(CJK_BIG_UNITS[text])
            if unit <= terms[-1][1]:
                raise _NotMoney("a larger unit must follow a smaller one to combine (万亿)")
            terms[-1][1] *= unit
        else:
            coefficient = section + (Decimal(0) if number is None else number)
            if number is None and section == 0:
                if i != 0:
                    raise _NotMoney("a unit needs a number before it")
                coefficient = Decimal(1)  # 만원, 億円: one of the unit
            terms.append([coefficient, Decimal(CJK_BIG_UNITS[text])])
            section, number, last_small = Decimal(0), None, None
        previous = kind
    if number is not None or section:
        terms.append([section + (Decimal(0) if number is None else number), Decimal(1)])
    for (_, bigger), (_, smaller) in itertools.pairwise(terms):
        if smaller >= bigger:
            raise _NotMoney("groups must decrease (조 before 억 before 만)")
    return sum((c * m for c, m in terms), Decimal(0))


def _canonical(value: Decimal, currency: str) -> MoneyText:
    """A CJK amount with the largest scale word not above it: 3.5e11 is 350 billion."""
    size = abs(value)
    for word, exponent in (("trillion", 12), ("billion", 9), ("million", 6)):
        if size >= _SCALE_WORDS[word]:
            return MoneyText(_plain(value.scaleb(-exponent)), word, currency)
    return MoneyText(_plain(value), None, currency)


def _plain(value: Decimal) -> int | float:
    """An int for a whole number of moderate size, else the nearest float."""
    try:
        if value == value.to_integral_value() and abs(value) < _EXACT_INT:
            return int(value)
        return float(value)
    except (decimal.DecimalException, OverflowError, ValueError):
        raise _NotMoney("the number is too large") from None
