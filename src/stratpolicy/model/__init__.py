"""The domain model: frozen, keyword-only attrs classes, checked when they are built.

The model knows nothing of files, graphs or rules engines. Objects refer to each other by
id; a :class:`Portfolio` holds them all and checks that every reference resolves.
"""

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

__all__ = [
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
    "Milestone",
    "Mission",
    "MissionKind",
    "Portfolio",
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
