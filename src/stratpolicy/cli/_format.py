"""How the command line writes numbers, money, dates and names for a reader."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from stratpolicy.model import Portfolio

__all__ = [
    "WIDTH",
    "actor_names",
    "amount",
    "columns",
    "count",
    "money",
    "percent",
    "wrap",
]

#: No line of text output is longer than this.
WIDTH = 100

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def money(value: float, currency: str) -> str:
    """An amount with its currency, without float noise.

    Amounts of a million or more are written in the largest of million, billion and
    trillion that keeps at least one whole unit, with at most four decimals (trailing
    zeros dropped): ``44.1334 trillion KRW``, ``35.5 trillion KRW``. Smaller amounts are
    whole units with thousands separators: ``430,000,000 KRW`` is ``430 million KRW``.

    Examples:
        >>> money(44.1334e12, "KRW"), money(35.5e12, "KRW"), money(0.0, "KRW")
        ('44.1334 trillion KRW', '35.5 trillion KRW', '0 KRW')
        >>> money(1234.4, "EUR"), money(250e6, "EUR")
        ('1,234 EUR', '250 million EUR')
    """
    for scale, word in _SCALES:
        if abs(value) >= scale:
            text = f"{value / scale:,.4f}".rstrip("0").rstrip(".")
            return f"{text} {word} {currency}"
    return f"{round(value):,} {currency}"


def percent(value: float | None) -> str:
    """A share in [0, 1] as a whole percentage (``"58 %"``); ``"-"`` for none.

    Examples:
        >>> percent(0.5833), percent(1.0), percent(None), percent(0.004)
        ('58 %', '100 %', '-', '0.4 %')
    """
    if value is None:
        return "-"
    pct = value * 100
    if 0 < pct < 1:
        return f"{pct:.1f} %"
    return f"{pct:.0f} %"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``"1 mission"``, ``"3 missions"``."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def actor_names(portfolio: Portfolio) -> dict[str, str]:
    """A display name per actor: its label, with its local name when names collide.

    Korea's finance ministry before and after 2026-01-02 share an English name; their
    Korean names (기획재정부, 재정경제부) tell them apart.
    """
    labels = [a.label for a in portfolio.actors]
    full = [a.name for a in portfolio.actors]
    names = {}
    for a in portfolio.actors:
        label = a.label
        if (labels.count(label) > 1 or full.count(a.name) > 1) and a.name_local:
            label = f"{label} ({a.name_local})"
        names[a.id] = label
    return names


def amount(value: object) -> str:
    """An amount (a pint quantity) with thousands separators: ``50,000 GPU``."""
    from stratpolicy.units import currency_of, format_amount

    code = currency_of(value)
    if code is not None:
        return money(float(value.to(code).magnitude), code)  # type: ignore[attr-defined]
    magnitude = value.magnitude  # type: ignore[attr-defined]
    if isinstance(magnitude, int | float) and float(magnitude).is_integer():
        unit = format_amount(value).split(" ", 1)  # type: ignore[arg-type]
        return f"{int(magnitude):,} {unit[1]}" if len(unit) == 2 else f"{int(magnitude):,}"
    return format_amount(value)  # type: ignore[arg-type]


def columns(text: str) -> int:
    """The width of ``text`` in a terminal: wide (East Asian) characters take two columns.

    Examples:
        >>> columns("MOEF"), columns("기획재정부")
        (4, 10)
    """
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fits(text: str, width: int) -> bool:
    # A line fits in ``width`` terminal columns and in ``width`` UTF-8 bytes: byte-counting
    # tools (mawk, some pagers) then agree with the terminal that no line is too long.
    return columns(text) <= width and len(text.encode("utf-8")) <= width


def wrap(lines: Iterable[str], width: int = WIDTH) -> list[str]:
    """Lines at most ``width`` terminal columns: long ones continue indented 4 more spaces.

    Korean and other wide characters count as two columns, and a line also has at most
    ``width`` UTF-8 bytes, so tools that count bytes agree that it fits.
    """
    out: list[str] = []
    for line in lines:
        if _fits(line, width):
            out.append(line)
            continue
        indent = min(len(line) - len(line.lstrip(" ")), width // 2)
        parts = [line]
        for limit in range(width, indent + 8, -1):
            parts = textwrap.wrap(
                line.strip(),
                width=limit,
                initial_indent=" " * indent,
                subsequent_indent=" " * (indent + 4),
                break_long_words=True,
                break_on_hyphens=False,
            )
            if all(_fits(part, width) for part in parts):
                break
        out += parts
    return out
