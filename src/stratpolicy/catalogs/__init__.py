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

__all__ = ["describe", "get", "international", "korea", "names"]

_CATALOGS: dict[str, tuple[Callable[[], Any], str]] = {
    "kr_strategic_technologies": (
        korea.strategic_technologies,
        "Korea's 12 national strategic technology areas and 50 key technologies",
    ),
    "kr_summit_2025": (
        korea.summit_2025,
        "Korea's National Strategic Technology Summit 2025: missions, challenges, instruments",
    ),
    "us_cet_2024": (international.us_cet_2024, "US Critical and Emerging Technologies, 2024"),
    "us_cet_2022": (international.us_cet_2022, "US Critical and Emerging Technologies, 2022"),
    "eu_2023": (international.eu_2023, "EU critical technology areas, 2023"),
    "aspi_tracker": (international.aspi_tracker, "ASPI Critical Technology Tracker (unverified)"),
    "jp_2022": (international.jp_2022, "Japan's specified critical technology areas, 2022"),
    "jp_2025": (international.jp_2025, "Japan's 16 priority technology fields, 2025"),
    "crosswalk_kr12": (
        international.crosswalk_kr12,
        "Crosswalk from Korea's 12 areas to the other lists (derived, unverified)",
    ),
    "stip_instrument_types": (
        international.stip_instrument_types,
        "EC-OECD STIP Compass instrument types, 2023 edition",
    ),
}


def names() -> list[str]:
    """The names of the built-in catalogs."""
    return list(_CATALOGS)


def describe(name: str) -> str:
    """A one-line description of a catalog.

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


def _register(name: str, loader: Callable[[], Any], description: str) -> None:
    _CATALOGS[name] = (loader, description)
