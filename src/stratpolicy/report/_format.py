"""How the command line writes numbers, money, dates and names for a reader."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from stratpolicy.model import Portfolio

__all__ = ["WIDTH", "actor_names", "columns", "count", "wrap"]

#: No line of text output is longer than this.
WIDTH = 100


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
