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

The file functions here (:func:`load`, :func:`loads`, :func:`from_document`,
:func:`schema`, :func:`document_kinds`) know every document kind the library ships: each
layer registers its own kinds with :mod:`stratpolicy.io` when it is imported, and these
functions import the layers first. ``stratpolicy.io.load`` knows the kinds registered so
far.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any, TypeVar, overload

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
    from stratpolicy.io import dump, dumps, structure, to_document, unstructure
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
    "structure": "stratpolicy.io",
    "to_document": "stratpolicy.io",
    "unstructure": "stratpolicy.io",
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
    "document_kinds",
    "dump",
    "dumps",
    "early_warning",
    "errors",
    "format_amount",
    "from_document",
    "graph",
    "io",
    "load",
    "loads",
    "money",
    "parse_amount",
    "quantity",
    "report",
    "rules",
    "schema",
    "structure",
    "to_document",
    "units",
    "unstructure",
]

_LAYERS = ("stratpolicy.rules", "stratpolicy.scenarios")
"""The packages above io that register document kinds when imported."""

_T = TypeVar("_T")


def _register_layers() -> None:
    for name in _LAYERS:
        importlib.import_module(name)


def _register_kind_of(data: object) -> None:
    """Import the layers above io unless ``data``'s kind is already registered.

    A portfolio (a kind io registers itself) loads without importing the rules engine; a
    rule set, or a document whose kind is unknown, imports the layers first.
    """
    from stratpolicy.io import document_kinds as registered

    kind = data.get("document") if isinstance(data, dict) else None
    if not isinstance(kind, str) or kind not in registered():
        _register_layers()


@overload
def load(path: str | os.PathLike[str], kind: None = None, *, format: str | None = None) -> Any: ...
@overload
def load(path: str | os.PathLike[str], kind: type[_T], *, format: str | None = None) -> _T: ...
def load(
    path: str | os.PathLike[str], kind: type[Any] | None = None, *, format: str | None = None
) -> Any:
    """Read the object a file holds: any document kind the library ships.

    As :func:`stratpolicy.io.load`, with every kind the library ships known: a layer that
    registers a kind is imported when a document of an unregistered kind is read (a
    ``rule_set`` file loads without importing :mod:`stratpolicy.rules` first; a portfolio
    loads without importing it at all).

    Args:
        path: A ``.json``, ``.yaml``/``.yml`` or ``.toml`` file.
        kind: If given, the class the document must hold (e.g. ``Portfolio``).
        format: The format, when the suffix does not say it.

    Raises:
        FileNotFoundError: There is no such file (and other ``OSError`` s from the system).
        DataError: A subclass listing every problem with its path (see
            :func:`stratpolicy.io.loads`).
    """
    from stratpolicy import io

    data = io.read_data(path, format=format)
    if kind is None:
        _register_kind_of(data)
    return io.from_document(data, kind, source=str(path))


@overload
def loads(
    text: str | bytes, format: str = "yaml", kind: None = None, *, source: str | None = None
) -> Any: ...
@overload
def loads(
    text: str | bytes, format: str = "yaml", kind: type[_T] = ..., *, source: str | None = None
) -> _T: ...
def loads(
    text: str | bytes,
    format: str = "yaml",
    kind: type[Any] | None = None,
    *,
    source: str | None = None,
) -> Any:
    """Read the object a document's text holds: any document kind the library ships.

    As :func:`stratpolicy.io.loads`, with every kind the library ships known (see
    :func:`load`).

    Raises:
        DataError: A subclass listing every problem with its path.
    """
    from stratpolicy import io

    data = io.parse_data(text, format, source=source)
    if kind is None:
        _register_kind_of(data)
    return io.from_document(data, kind, source=source)


@overload
def from_document(data: Any, cls: None = None, *, source: str | None = None) -> Any: ...
@overload
def from_document(data: Any, cls: type[_T], *, source: str | None = None) -> _T: ...
def from_document(data: Any, cls: type[Any] | None = None, *, source: str | None = None) -> Any:
    """The object a document given as plain data holds (a JSON body an application received).

    As :func:`stratpolicy.io.from_document`, with every kind the library ships known (see
    :func:`load`).

    Raises:
        DataError: A subclass listing every problem with its path.

    Examples:
        >>> doc = {"schema_version": 1, "document": "parameter_set", "parameters": []}
        >>> from_document(doc)
        ParameterSet(parameters=())
    """
    if cls is None:
        _register_kind_of(data)
    from stratpolicy.io import from_document as build

    return build(data, cls, source=source)


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a document kind the library ships.

    The schema describes the document with its envelope: ``schema_version``, ``document``
    and the fields of the object, each with its type, whether it is required, its default
    and its description. See :func:`stratpolicy.io.schema` for the schema of a type without
    the envelope.

    Raises:
        ValueError: ``kind`` is not a document kind.

    Examples:
        >>> s = schema("rule_set")
        >>> s["$schema"]
        'https://json-schema.org/draft/2020-12/schema'
        >>> s["required"]
        ['schema_version', 'document', 'id', 'inputs']
    """
    _register_layers()
    from stratpolicy.io import schema as schema_of

    return schema_of(kind)


def document_kinds() -> dict[str, type[Any]]:
    """Every document kind the library ships, and its class.

    Examples:
        >>> list(document_kinds())
        ['portfolio', 'technology', 'mission', 'instrument', 'incentive', 'actor',
         'roadmap', 'citation', 'crosswalk', 'exchange_rates', 'rule_set', 'parameter_set',
         'reform', 'experiments']
    """
    _register_layers()
    from stratpolicy.io import document_kinds as registered

    return registered()


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
