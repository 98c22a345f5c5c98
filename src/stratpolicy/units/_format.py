"""Writing amounts: :func:`format_amount`, the one canonical ASCII spelling of an amount."""

from __future__ import annotations

import math
from typing import Any

from stratpolicy._checks import describe, quote
from stratpolicy.errors import UnitError
from stratpolicy.limits import MAX_AMOUNT_LENGTH, MAX_UNIT_EXPONENT, MAX_UNIT_TERMS
from stratpolicy.units._parse import check_finite, parse_amount
from stratpolicy.units._registry import SCALES, Amount, currency_of

__all__ = ["format_amount"]

_SCALE_WORDS = (*SCALES, "hundred_million")
_CACHE_SIZE = 4096
_SPELLING_READS_BACK: dict[Any, bool] = {}


def format_amount(amount: Amount) -> str:
    """Write an amount in its one canonical spelling, which :func:`parse_amount` reads back equal.

    The number is an integer or the shortest decimal that reads back as the same float
    (Python's ``repr``). Money is written as policy documents write it, the number, a scale
    word and the ISO 4217 code (``"35.3 trillion KRW"``; ``parse_amount("3,500억원")`` is
    written ``"350 billion KRW"``); other units by their full ASCII names, joined with ``*``
    and ``/``, powers as ``^n`` (``"2.5 gigawatt"``, ``"1.2 exaFLOP / second"``,
    ``"3 meter^2"``). Symbols such as ``µs`` or ``$`` are never written: they are not ASCII,
    or are ambiguous.

    Raises:
        UnitError: The amount cannot be written so that it reads back: its magnitude is not a
            finite int or float, or the text would be longer than
            :data:`~stratpolicy.limits.MAX_AMOUNT_LENGTH`.

    Examples:
        >>> format_amount(parse_amount("8조 6천억원"))
        '8.6 trillion KRW'
        >>> format_amount(parse_amount("$52.7 billion"))
        '52.7 billion USD'
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


def writable_problem(amount: Amount) -> str | None:
    """Why ``format_amount(amount)`` would not read back as ``amount``, or ``None``.

    The number reads back by construction (an int's digits, a float's shortest ``repr``);
    the unit's spelling is checked once per unit and remembered.
    """
    try:
        text = format_amount(amount)
        check_finite(quote(text), amount)
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
