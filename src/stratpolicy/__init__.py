"""stratpolicy: model strategic technology policy.

The technologies a state designates as strategic, the missions it sets, the instruments it
uses and the incentives they offer; a rules engine that turns legislation and dated rate
tables into explained decisions; a mission-to-technology graph. Built-in data covers
Korea's national strategic technology policy.

Example:
    >>> import stratpolicy
    >>> summit = stratpolicy.catalogs.korea.summit_2025()
    >>> [m.id for m in summit.core_missions()]
    ['ai_transformation', 'trade_security', 'future_innovation']

Importing the package is cheap: every name below is loaded on first use, and pint,
networkx and numpy only when a feature needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from stratpolicy._version import __version__

if TYPE_CHECKING:
    from stratpolicy import catalogs, errors, io, units
    from stratpolicy.errors import (
        CurrencyError,
        DataError,
        DuplicateIdError,
        ExpressionError,
        FormatError,
        Problem,
        RuleSetError,
        SchemaError,
        StratpolicyError,
        UnitError,
        UnknownReferenceError,
        ValidationError,
    )
    from stratpolicy.io import dump, dumps, load, loads
    from stratpolicy.model import (
        Actor,
        ActorKind,
        BudgetEntry,
        Citation,
        Crosswalk,
        CrosswalkLink,
        FirmSize,
        Incentive,
        IncentiveKind,
        IndicatorPoint,
        IndicatorSeries,
        Instrument,
        InstrumentCategory,
        InstrumentKind,
        Milestone,
        Mission,
        MissionKind,
        Portfolio,
        Requirement,
        Roadmap,
        Support,
        Target,
        Technology,
        TechnologyCode,
        TechnologyKind,
    )
    from stratpolicy.units import (
        ExchangeRate,
        ExchangeRates,
        format_amount,
        money,
        parse_amount,
        quantity,
    )

# public name -> module that defines it
_LAZY: dict[str, str] = {
    **dict.fromkeys(("catalogs", "errors", "io", "units"), ""),
    **dict.fromkeys(
        (
            "CurrencyError",
            "DataError",
            "DuplicateIdError",
            "ExpressionError",
            "FormatError",
            "Problem",
            "RuleSetError",
            "SchemaError",
            "StratpolicyError",
            "UnitError",
            "UnknownReferenceError",
            "ValidationError",
        ),
        "stratpolicy.errors",
    ),
    **dict.fromkeys(("dump", "dumps", "load", "loads"), "stratpolicy.io"),
    **dict.fromkeys(
        (
            "Actor",
            "ActorKind",
            "BudgetEntry",
            "Citation",
            "Crosswalk",
            "CrosswalkLink",
            "FirmSize",
            "Incentive",
            "IncentiveKind",
            "IndicatorPoint",
            "IndicatorSeries",
            "Instrument",
            "InstrumentCategory",
            "InstrumentKind",
            "Milestone",
            "Mission",
            "MissionKind",
            "Portfolio",
            "Requirement",
            "Roadmap",
            "Support",
            "Target",
            "Technology",
            "TechnologyCode",
            "TechnologyKind",
        ),
        "stratpolicy.model",
    ),
    **dict.fromkeys(
        ("ExchangeRate", "ExchangeRates", "format_amount", "money", "parse_amount", "quantity"),
        "stratpolicy.units",
    ),
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stratpolicy' has no attribute {name!r}")
    value = (
        importlib.import_module(f"stratpolicy.{name}")
        if module == ""
        else getattr(importlib.import_module(module), name)
    )
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
