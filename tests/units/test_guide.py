"""The guide "Units and money" lists what the code knows: every currency, every unit, every
currency marker and scale abbreviation."""

from __future__ import annotations

import re
from pathlib import Path

from stratpolicy.units import ISO_4217, PREFIX_MARKERS, SCALE_ABBREVIATIONS, SUFFIX_MARKERS
from tests.units.test_registry import _defined_units

GUIDE = (Path(__file__).parents[2] / "docs" / "guides" / "units.md").read_text(encoding="utf-8")


def test_the_currency_table_is_the_shipped_list() -> None:
    rows = re.findall(r"^\| ([A-Z]{3}) \| ([0-9]{3}) \| (.+?) \| (\S+) \|$", GUIDE, re.M)
    table = {code: (number, name, minor) for code, number, name, minor in rows}
    assert len(rows) == len(table) == len(ISO_4217)
    for code, currency in ISO_4217.items():
        name = currency.name + (" (fund)" if currency.fund else "")
        minor = "N.A." if currency.minor_units is None else str(currency.minor_units)
        assert table[code] == (currency.number, name, minor), code


def test_every_unit_is_listed() -> None:
    section = GUIDE.split("## The units the registry knows")[1].split("\n## ")[0]
    for name in _defined_units():
        assert f"`{name}`" in section, name


def test_every_marker_and_abbreviation_is_listed() -> None:
    section = GUIDE.split("## Money as budgets write it")[1].split("\n### ")[0]
    prose = re.sub(r"```.*?```", "", section, flags=re.S)
    listed = {m.lower() for m in re.findall(r"`([^`\n]+)`", prose)}
    for marker in [*PREFIX_MARKERS, *SUFFIX_MARKERS, *SCALE_ABBREVIATIONS]:
        assert marker.lower() in listed, marker
