"""Other countries' technology lists, the crosswalk from Korea's 12 areas, STIP types.

The US, EU, ASPI and Japanese critical technology lists; the editors' crosswalk from
Korea's 12 areas to them; and the EC-OECD STIP Compass instrument types.

Each list is a :class:`~stratpolicy.model.Portfolio` holding only technologies, so that the
same lookups work (``us_cet_2024()["quantum"]``).

Examples:
    >>> from stratpolicy.catalogs import international
    >>> len(international.us_cet_2024().technologies)
    18
    >>> international.crosswalk_kr12().targets("quantum", "us_cet_2024")
    ('quantum',)
"""

from __future__ import annotations

from typing import Any

from stratpolicy.catalogs._data import read_data, read_document
from stratpolicy.model import Crosswalk, Portfolio

__all__ = [
    "aspi_tracker",
    "crosswalk_kr12",
    "eu_2023",
    "jp_2022",
    "jp_2025",
    "stip_instrument_types",
    "us_cet_2022",
    "us_cet_2024",
]


def _portfolio(name: str) -> Portfolio:
    portfolio: Portfolio = read_document(name)
    return portfolio


def us_cet_2024() -> Portfolio:
    """The US Critical and Emerging Technologies list, February 2024 update (18 items)."""
    return _portfolio("us_cet_2024.yaml")


def us_cet_2022() -> Portfolio:
    """The US Critical and Emerging Technologies list, February 2022 update (19 items)."""
    return _portfolio("us_cet_2022.yaml")


def eu_2023() -> Portfolio:
    """The EU's 10 critical technology areas, Commission Recommendation C(2023) 6689.

    Three of the ten names are unverified (``verified=False``): the sources read only
    paraphrase them.
    """
    return _portfolio("eu_2023.yaml")


def aspi_tracker() -> Portfolio:
    """ASPI's Critical Technology Tracker: 8 domains (areas) and their 64 technologies.

    Unverified: reproduced from a third-party document, not checked against ASPI's site.
    """
    return _portfolio("aspi_tracker.yaml")


def jp_2022() -> Portfolio:
    """Japan's 20 technology areas that may contain specified critical technologies (2022).

    Items 16, 17, 19 and 20 are unverified.
    """
    return _portfolio("jp_2022.yaml")


def jp_2025() -> Portfolio:
    """Japan's 16 priority technology fields for the 7th S&T and Innovation Basic Plan."""
    return _portfolio("jp_2025.yaml")


def crosswalk_kr12() -> Crosswalk:
    """The editors' crosswalk from Korea's 12 areas to the US, EU, ASPI and Japanese lists.

    Derived and unverified: no official crosswalk was found.
    """
    crosswalk: Crosswalk = read_document("crosswalk_kr12.yaml")
    return crosswalk


def stip_instrument_types() -> list[dict[str, Any]]:
    """The 28 EC-OECD STIP Compass instrument types (2023 edition) with codes and sources.

    :class:`~stratpolicy.model.InstrumentKind` holds the same types as an enumeration; this
    is the sourced table behind it.
    """
    rows: list[dict[str, Any]] = read_data("stip_instrument_types.yaml")["instrument_types"]
    return rows
