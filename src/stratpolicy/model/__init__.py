"""The domain model: frozen, keyword-only attrs classes, checked when they are built.

The model knows nothing of files, graphs or rules engines. Objects refer to each other by
id; a :class:`Portfolio` holds them all and checks that every reference resolves.
"""

from typing import TYPE_CHECKING, Any

from stratpolicy.model._actor import Actor, Successor
from stratpolicy.model._citation import Citation
from stratpolicy.model._crosswalk import Crosswalk, CrosswalkLink
from stratpolicy.model._enums import (
    ActorKind,
    BudgetStage,
    FirmSize,
    IncentiveKind,
    InstrumentCategory,
    InstrumentKind,
    MissionKind,
    TechnologyKind,
)
from stratpolicy.model._incentive import Incentive, TechnologyLink
from stratpolicy.model._instrument import BudgetEntry, BudgetOverlap, Instrument, Support
from stratpolicy.model._mission import Mission, Requirement, Target
from stratpolicy.model._portfolio import Entity, Portfolio
from stratpolicy.model._roadmap import Milestone, Roadmap
from stratpolicy.model._technology import (
    IndicatorPoint,
    IndicatorSeries,
    Technology,
    TechnologyCode,
)

if TYPE_CHECKING:
    from stratpolicy.model._tables import (
        TABLE_COLUMNS,
        LinkColumns,
        NodeColumns,
        PortfolioTables,
    )

# loaded on first access: they import numpy (see Portfolio.from_tables)
_LAZY = ("TABLE_COLUMNS", "LinkColumns", "NodeColumns", "PortfolioTables")

__all__ = [
    "TABLE_COLUMNS",
    "Actor",
    "ActorKind",
    "BudgetEntry",
    "BudgetOverlap",
    "BudgetStage",
    "Citation",
    "Crosswalk",
    "CrosswalkLink",
    "Entity",
    "FirmSize",
    "Incentive",
    "IncentiveKind",
    "IndicatorPoint",
    "IndicatorSeries",
    "Instrument",
    "InstrumentCategory",
    "InstrumentKind",
    "LinkColumns",
    "Milestone",
    "Mission",
    "MissionKind",
    "NodeColumns",
    "Portfolio",
    "PortfolioTables",
    "Requirement",
    "Roadmap",
    "Successor",
    "Support",
    "Target",
    "Technology",
    "TechnologyCode",
    "TechnologyKind",
    "TechnologyLink",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from stratpolicy.model import _tables

        value = getattr(_tables, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'stratpolicy.model' has no attribute {name!r}")
