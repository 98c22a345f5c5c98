"""The ISO 4217 currency list shipped with the library (package data ``iso4217.tsv``).

The list is ISO 4217 List One, the current currency and funds codes, as published by SIX
Financial Information AG (the standard's maintenance agency). ``scripts/build_currencies.py``
regenerates the file from SIX's ``list-one.xml``; its header names the publication date.
Reading it costs a fraction of a millisecond and needs no pint.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from types import MappingProxyType

import attrs

__all__ = ["CURRENCIES", "ISO_4217", "ISO_4217_PUBLISHED", "ISO_4217_SOURCE", "Currency"]


@attrs.frozen(kw_only=True)
class Currency:
    """One currency of the ISO 4217 list.

    Attributes:
        code: The alphabetic code, e.g. ``"KRW"``: the name of its unit in the registry.
        number: The numeric code, e.g. ``"410"`` (text: it keeps its leading zeros).
        name: The list's English name, e.g. ``"Won"``.
        minor_units: Digits after the decimal point (``0`` for KRW, ``2`` for USD);
            ``None`` where the list says N.A. (gold, SDR).
        fund: Whether the list marks the code as a fund (``USN``, ``CLF``...).
    """

    code: str
    number: str
    name: str
    minor_units: int | None
    fund: bool = False


def _read() -> tuple[dict[str, Currency], dt.date, str]:
    # the module's loader reads package data without importing importlib.resources (which
    # costs more than the whole list); it works for installs on disk and in zip files alike
    path = os.path.join(os.path.dirname(__file__), "iso4217.tsv")
    text = __spec__.loader.get_data(path).decode("utf-8")  # type: ignore[union-attr]
    table: dict[str, Currency] = {}
    published = dt.date.min
    source = ""
    for line in text.splitlines():
        if line.startswith("# Published:"):
            published = dt.date.fromisoformat(line.split(":", 1)[1].strip())
        elif line.startswith("# Source:"):
            source = line.split(":", 1)[1].strip()
        if not line or line.startswith("#"):
            continue
        code, number, minor, fund, name = line.split("\t")
        table[code] = Currency(
            code=code,
            number=number,
            name=name,
            minor_units=int(minor) if minor else None,
            fund=fund == "fund",
        )
    return table, published, source


_TABLE, _PUBLISHED, _SOURCE = _read()

ISO_4217: Mapping[str, Currency] = MappingProxyType(_TABLE)
"""Every currency of the shipped list by code (``ISO_4217["KRW"].name == "Won"``), read-only."""

ISO_4217_PUBLISHED: dt.date = _PUBLISHED
"""The publication date of the shipped ISO 4217 list."""

ISO_4217_SOURCE: str = _SOURCE
"""Where the shipped ISO 4217 list comes from."""

CURRENCIES: tuple[str, ...] = tuple(ISO_4217)
"""The codes of every active ISO 4217 currency, sorted; each is a dimension of its own."""
