"""stratpolicy: model strategic technology policy.

The technologies a state designates as strategic, the missions it sets, the instruments it
uses and the incentives they offer; a rules engine that turns legislation and dated rate
tables into explained decisions; a mission-to-technology graph. Built-in data covers
Korea's national strategic technology policy.

Examples:
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
    from stratpolicy import catalogs, display, errors, graph, io, report, rules, units
    from stratpolicy.errors import (
        CurrencyError,
        DataError,
        DuplicateIdError,
        EvaluationError,
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
    from stratpolicy.graph import MissionGraph
    from stratpolicy.io import dump, dumps, load, loads
    from stratpolicy.model import (
        Actor,
        ActorKind,
        BudgetEntry,
        BudgetOverlap,
        BudgetStage,
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
        Successor,
        Support,
        Target,
        Technology,
        TechnologyCode,
        TechnologyKind,
        TechnologyLink,
    )
    from stratpolicy.rules import (
        Alert,
        Combine,
        Decision,
        Input,
        Output,
        Parameter,
        ParameterSet,
        ParameterValue,
        PythonRule,
        Rule,
        RuleSet,
        ValueType,
        early_warning,
    )
    from stratpolicy.units import (
        ExchangeRate,
        ExchangeRates,
        format_amount,
        money,
        parse_amount,
        quantity,
    )

# module that defines each public name ("" for a submodule), loaded on first access
_LAZY: dict[str, str] = {
    "catalogs": "",
    "display": "",
    "graph": "",
    "report": "",
    "rules": "",
    "errors": "",
    "io": "",
    "units": "",
    "CurrencyError": "stratpolicy.errors",
    "DataError": "stratpolicy.errors",
    "DuplicateIdError": "stratpolicy.errors",
    "EvaluationError": "stratpolicy.errors",
    "ExpressionError": "stratpolicy.errors",
    "FormatError": "stratpolicy.errors",
    "Problem": "stratpolicy.errors",
    "RuleSetError": "stratpolicy.errors",
    "SchemaError": "stratpolicy.errors",
    "StratpolicyError": "stratpolicy.errors",
    "UnitError": "stratpolicy.errors",
    "UnknownReferenceError": "stratpolicy.errors",
    "ValidationError": "stratpolicy.errors",
    "dump": "stratpolicy.io",
    "dumps": "stratpolicy.io",
    "load": "stratpolicy.io",
    "loads": "stratpolicy.io",
    "Actor": "stratpolicy.model",
    "ActorKind": "stratpolicy.model",
    "BudgetEntry": "stratpolicy.model",
    "BudgetOverlap": "stratpolicy.model",
    "BudgetStage": "stratpolicy.model",
    "Citation": "stratpolicy.model",
    "Crosswalk": "stratpolicy.model",
    "CrosswalkLink": "stratpolicy.model",
    "FirmSize": "stratpolicy.model",
    "Incentive": "stratpolicy.model",
    "IncentiveKind": "stratpolicy.model",
    "IndicatorPoint": "stratpolicy.model",
    "IndicatorSeries": "stratpolicy.model",
    "Instrument": "stratpolicy.model",
    "InstrumentCategory": "stratpolicy.model",
    "InstrumentKind": "stratpolicy.model",
    "Milestone": "stratpolicy.model",
    "Mission": "stratpolicy.model",
    "MissionKind": "stratpolicy.model",
    "Portfolio": "stratpolicy.model",
    "Requirement": "stratpolicy.model",
    "Roadmap": "stratpolicy.model",
    "Successor": "stratpolicy.model",
    "Support": "stratpolicy.model",
    "Target": "stratpolicy.model",
    "Technology": "stratpolicy.model",
    "TechnologyCode": "stratpolicy.model",
    "TechnologyKind": "stratpolicy.model",
    "TechnologyLink": "stratpolicy.model",
    "Alert": "stratpolicy.rules",
    "Combine": "stratpolicy.rules",
    "Decision": "stratpolicy.rules",
    "Input": "stratpolicy.rules",
    "Output": "stratpolicy.rules",
    "Parameter": "stratpolicy.rules",
    "ParameterSet": "stratpolicy.rules",
    "ParameterValue": "stratpolicy.rules",
    "PythonRule": "stratpolicy.rules",
    "Rule": "stratpolicy.rules",
    "RuleSet": "stratpolicy.rules",
    "ValueType": "stratpolicy.rules",
    "early_warning": "stratpolicy.rules",
    "MissionGraph": "stratpolicy.graph",
    "ExchangeRate": "stratpolicy.units",
    "ExchangeRates": "stratpolicy.units",
    "format_amount": "stratpolicy.units",
    "money": "stratpolicy.units",
    "parse_amount": "stratpolicy.units",
    "quantity": "stratpolicy.units",
}

__all__ = [
    "Actor",
    "ActorKind",
    "Alert",
    "BudgetEntry",
    "BudgetOverlap",
    "BudgetStage",
    "Citation",
    "Combine",
    "Crosswalk",
    "CrosswalkLink",
    "CurrencyError",
    "DataError",
    "Decision",
    "DuplicateIdError",
    "EvaluationError",
    "ExchangeRate",
    "ExchangeRates",
    "ExpressionError",
    "FirmSize",
    "FormatError",
    "Incentive",
    "IncentiveKind",
    "IndicatorPoint",
    "IndicatorSeries",
    "Input",
    "Instrument",
    "InstrumentCategory",
    "InstrumentKind",
    "Milestone",
    "Mission",
    "MissionGraph",
    "MissionKind",
    "Output",
    "Parameter",
    "ParameterSet",
    "ParameterValue",
    "Portfolio",
    "Problem",
    "PythonRule",
    "Requirement",
    "Roadmap",
    "Rule",
    "RuleSet",
    "RuleSetError",
    "SchemaError",
    "StratpolicyError",
    "Successor",
    "Support",
    "Target",
    "Technology",
    "TechnologyCode",
    "TechnologyKind",
    "TechnologyLink",
    "UnitError",
    "UnknownReferenceError",
    "ValidationError",
    "ValueType",
    "__version__",
    "catalogs",
    "display",
    "dump",
    "dumps",
    "early_warning",
    "errors",
    "format_amount",
    "graph",
    "io",
    "load",
    "loads",
    "money",
    "parse_amount",
    "quantity",
    "report",
    "rules",
    "units",
]


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
