"""How values are written for a reader: numbers, money, shares, amounts (the ground floor).

Two jobs, two names. :func:`stratpolicy.units.format_amount` is the canonical *file*
spelling of an amount (``3.53e13 KRW`` reads back equal). The functions here write for a
person and never round-trip: :func:`format_value` writes a value of a rule (explanations,
error messages), :func:`format_money` an amount of money (``35.5 trillion KRW``),
:func:`format_percent` a share, :func:`format_quantity` any amount, :func:`format_figure`
a figure of a summary table (money scaled, other numbers as values). Every layer may use
them; :mod:`stratpolicy.display` re-exports them.
"""

from __future__ import annotations

import datetime as dt
import math

__all__ = ["format_figure", "format_money", "format_percent", "format_quantity", "format_value"]

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def format_value(value: object, unit: str = "") -> str:
    """A readable form of a value: ``450,000,000 KRW``, ``0.43``, ``'sme'``, ``true``.

    Numbers are shown to 12 significant digits, so that float noise
    (``0.43000000000000005``) does not show; amounts of money of 1,000 or more get
    thousands separators. Used by explanations, error messages and the command line.

    Examples:
        >>> format_value(0.4 + 0.03), format_value(4.3e8, "KRW"), format_value(True)
        ('0.43', '430,000,000 KRW', 'true')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            text = repr(value)
        else:
            clean = float(f"{value:.12g}")
            if unit and unit.isupper() and abs(clean) >= 1000 and abs(clean) < 1e18:
                text = f"{clean:,.0f}" if clean == round(clean) else f"{clean:,.2f}"
            else:
                text = f"{clean:.12g}"
        return f"{text} {unit}" if unit else text
    if isinstance(value, frozenset | tuple | list):
        return "{" + ", ".join(repr(v) for v in sorted(value)) + "}"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return repr(value)


def format_money(value: float, currency: str) -> str:
    """An amount with its currency, without float noise.

    Amounts of a million or more are written in the largest of million, billion and
    trillion that keeps at least one whole unit, with at most four decimals (trailing
    zeros dropped): ``44.1334 trillion KRW``, ``35.5 trillion KRW``; float noise does not
    show (``999,999,999.9999999`` is ``1 billion KRW``). Smaller amounts are
    whole units with thousands separators: ``430,000,000 KRW`` is ``430 million KRW``.

    Examples:
        >>> format_money(44.1334e12, "KRW"), format_money(35.5e12, "KRW"), format_money(0.0, "KRW")
        ('44.1334 trillion KRW', '35.5 trillion KRW', '0 KRW')
        >>> format_money(1234.4, "EUR"), format_money(250e6, "EUR"), format_money(1e9 - 1e-7, "KRW")
        ('1,234 EUR', '250 million EUR', '1 billion KRW')
    """
    value = float(f"{value:.12g}")  # no float noise: 999,999,999.9999999 is 1 billion
    for scale, word in _SCALES:
        if round(abs(value) / scale, 4) >= 1:  # 999,999,999 is 1 billion, not 1,000 million
            text = f"{value / scale:,.4f}".rstrip("0").rstrip(".")
            return f"{text} {word} {currency}"
    return f"{round(value):,} {currency}"


def format_figure(value: float | None, unit: str = "") -> str:
    """A figure of a summary table: money as :func:`format_money`, others as :func:`format_value`.

    Money is a unit in capitals (an ISO 4217 code); ``None`` and NaN (no figure) are ``-``.

    Examples:
        >>> format_figure(1.5e12, "KRW"), format_figure(12.0), format_figure(None)
        ('1.5 trillion KRW', '12', '-')
    """
    if value is None or math.isnan(value):
        return "-"
    value = float(value)
    return format_money(value, unit) if unit.isupper() else format_value(value, unit)


def format_percent(value: float | None) -> str:
    """A share in [0, 1] as a whole percentage (``"58 %"``); ``"-"`` for none.

    Examples:
        >>> format_percent(0.5833), format_percent(1.0), format_percent(None), format_percent(0.004)
        ('58 %', '100 %', '-', '0.4 %')
    """
    if value is None:
        return "-"
    pct = value * 100
    if 0 < pct < 1:
        return f"{pct:.1f} %"
    return f"{pct:.0f} %"


def format_quantity(value: object) -> str:
    """An amount for a reader: money as :func:`format_money`, whole counts with separators.

    ``50,000 GPU``; ``35.5 trillion KRW``. Unlike :func:`stratpolicy.units.format_amount`
    (the one spelling files use, which reads back equal), this is for people.
    """
    from stratpolicy.units import currency_of, format_amount

    code = currency_of(value)
    if code is not None:
        return format_money(float(value.to(code).magnitude), code)  # type: ignore[attr-defined]
    magnitude = value.magnitude  # type: ignore[attr-defined]
    if isinstance(magnitude, int | float) and float(magnitude).is_integer():
        unit = format_amount(value).split(" ", 1)  # type: ignore[arg-type]
        return f"{int(magnitude):,} {unit[1]}" if len(unit) == 2 else f"{int(magnitude):,}"
    return format_amount(value)  # type: ignore[arg-type]
