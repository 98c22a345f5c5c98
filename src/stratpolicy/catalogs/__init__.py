"""Built-in catalogs: sourced data shipped with the package, as model objects.

Every entry carries ``source`` and ``verified``. :func:`names` lists the catalogs and
:func:`get` loads one by name; the modules :mod:`~stratpolicy.catalogs.korea` and
:mod:`~stratpolicy.catalogs.international` hold one function per catalog.

Examples:
    >>> from stratpolicy import catalogs
    >>> "kr_summit_2025" in catalogs.names()
    True
    >>> catalogs.get("kr_summit_2025").name
    'National Strategic Technology Summit 2025 (Korea)'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stratpolicy.catalogs import international, korea

__all__ = ["describe", "get", "international", "kind", "korea", "names"]

# name -> (loader, what the loader returns, description)
_CATALOGS: dict[str, tuple[Callable[[], Any], str, str]] = {
    "kr_strategic_technologies": (
        korea.strategic_technologies,
        "portfolio",
        "Korea's 12 national strategic technology areas and 50 key technologies",
    ),
    "kr_summit_2025": (
        korea.summit_2025,
        "portfolio",
        "Korea's National Strategic Technology Summit 2025: missions, challenges, instruments",
    ),
    "kr_tax_credits": (
        korea.tax_credits,
        "rule_set",
        "Korea's RSTA R&D (Art. 10(1)) and investment (Art. 24) tax credits, 2021-2029 (rule set)",
    ),
    "kr_rd_matching": (
        korea.rd_matching,
        "rule_set",
        "Korea's government R&D cost-sharing caps by firm size (rule set)",
    ),
    "kr_tech_levels": (
        korea.tech_levels,
        "indicators",
        "KISTEP technology levels of Korea's strategic areas (indicator series)",
    ),
    "kr_early_warning": (
        korea.early_warning_rules,
        "rule_set",
        "Early-warning rules over the technology levels: a rival ahead, a widening gap",
    ),
    "us_cet_2024": (
        international.us_cet_2024,
        "portfolio",
        "US Critical and Emerging Technologies, 2024",
    ),
    "us_cet_2022": (
        international.us_cet_2022,
        "portfolio",
        "US Critical and Emerging Technologies, 2022",
    ),
    "eu_2023": (international.eu_2023, "portfolio", "EU critical technology areas, 2023"),
    "aspi_tracker": (
        international.aspi_tracker,
        "portfolio",
        "ASPI Critical Technology Tracker (unverified)",
    ),
    "jp_2022": (
        international.jp_2022,
        "portfolio",
        "Japan's specified critical technology areas, 2022",
    ),
    "jp_2025": (international.jp_2025, "portfolio", "Japan's 16 priority technology fields, 2025"),
    "crosswalk_kr12": (
        international.crosswalk_kr12,
        "crosswalk",
        "Crosswalk from Korea's 12 areas to the other lists (derived, unverified)",
    ),
    "stip_instrument_types": (
        international.stip_instrument_types,
        "table",
        "EC-OECD STIP Compass instrument types, 2023 edition",
    ),
}


def names(kind: str | None = None) -> list[str]:
    """The names of the built-in catalogs, all or those of one kind.

    Args:
        kind: ``"portfolio"``, ``"rule_set"``, ``"crosswalk"``, ``"indicators"`` or
            ``"table"``.
    """
    return [name for name, entry in _CATALOGS.items() if kind is None or entry[1] == kind]


def describe(name: str) -> str:
    """A one-line description of a catalog.

    Raises:
        KeyError: No catalog has that name.
    """
    return _CATALOGS[name][2]


def kind(name: str) -> str:
    """What a catalog holds: a portfolio, rule set, crosswalk, indicators or table.

    Raises:
        KeyError: No catalog has that name.
    """
    return _CATALOGS[name][1]


def get(name: str) -> Any:
    """Load a built-in catalog by name.

    Raises:
        KeyError: No catalog has that name.
    """
    return _CATALOGS[name][0]()
