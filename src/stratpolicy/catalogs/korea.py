"""Korea's national strategic technology policy: technologies, the 2025 summit, tax credits.

:func:`strategic_technologies` and :func:`summit_2025` give portfolios; :func:`tax_credits`
(RSTA national-strategic-technology credits) and :func:`rd_matching` (government R&D
cost-sharing caps) give rule sets of :mod:`stratpolicy.rules`.

Examples:
    >>> from stratpolicy.catalogs import korea
    >>> techs = korea.strategic_technologies()
    >>> len(techs.areas()), len(techs.key_technologies())
    (12, 50)
    >>> techs["quantum"].name_local
    '양자'
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from stratpolicy import io
from stratpolicy.catalogs._data import read_data, read_document
from stratpolicy.catalogs._korea_rules import rd_matching, tax_credits
from stratpolicy.model import IndicatorSeries, Portfolio

if TYPE_CHECKING:
    from stratpolicy.rules import RuleSet

__all__ = [
    "early_warning_rules",
    "rd_matching",
    "strategic_technologies",
    "summit_2025",
    "tax_credits",
    "tech_level_aggregates",
    "tech_levels",
]

_LEVELS = "stratpolicy/catalogs/data/kr_tech_levels.yaml"


def strategic_technologies() -> Portfolio:
    """Korea's 12 national strategic technology areas and their 50 key technologies.

    Designated under the Special Act on the Promotion of National Strategic Technologies
    (formally on 2023-12-20). Each technology has its Korean name, the spellings found in
    other sources (``aliases``), its ``source`` and whether the name was ``verified`` there.
    """
    portfolio: Portfolio = read_document("kr_strategic_technologies.yaml")
    return portfolio


@functools.cache
def summit_2025() -> Portfolio:
    """The National Strategic Technology Summit (MSIT, 2025-12-18) as a portfolio.

    Three core missions (lead the AI transformation; secure leadership in trade and
    security; present future innovation) with their targets, five mid- to long-term
    challenges as sub-missions, the seven instruments the summit names (the 2026 R&D budget,
    the national AI computing center, the early warning system, the easing of the matching
    ratio, the rapid-response R&D fund, streamlined R&D administration, the tax incentives)
    and three the editors add for context (``context=True``: strategic-technology R&D, the
    government-wide AI budget, the National Growth Fund), with budgets by stage where a
    sourced figure exists, the incentives with the dates each technology joined them, the
    actors (with the finance ministry's split of 2026-01-02) and a dated roadmap.

    The missions' names, goals and targets are the summit's (``verified=True``). What the
    editors chose is marked: the technologies each mission needs and their weights
    (requirements with ``verified=False`` and a note), the mission each challenge serves and
    the STIP types (``editorial``), the crosswalk of the tax law's fields to the 12 areas
    (technology links with ``verified=False``). ``stratpolicy provenance`` lists them all.

    Examples:
        >>> p = summit_2025()
        >>> [m.id for m in p.sub_missions("ai_transformation")]
        ['industrial_ax', 'ai_drug_development']
        >>> from stratpolicy.units import format_amount
        >>> rd = p.instrument("rd_budget_2026")
        >>> format_amount(rd.budget_for(2026)), format_amount(rd.budget_for(2026, "proposal"))
        ('35.5 trillion KRW', '35.3 trillion KRW')
    """
    data = read_data("kr_summit_2025.yaml")
    data["technologies"] = read_data("kr_strategic_technologies.yaml")["technologies"]
    portfolio: Portfolio = io.from_document(
        data, Portfolio, source="stratpolicy/catalogs/data/kr_summit_2025.yaml"
    )
    return portfolio


def _series(section: str) -> dict[str, tuple[IndicatorSeries, ...]]:
    data = read_data("kr_tech_levels.yaml")[section]
    return {
        key: io.structure(
            value, tuple[IndicatorSeries, ...], path=f"{section}.{key}", source=_LEVELS
        )
        for key, value in data.items()
    }


def tech_levels() -> dict[str, tuple[IndicatorSeries, ...]]:
    """KISTEP technology levels of Korea's strategic areas, as indicator series by area id.

    Metrics ``level_pct`` (% of the leading country) and ``gap_years`` (years behind it),
    per country, dated by the day each assessment round was reported (2024-02-29 for the
    2022 round, 2026-02-22 for the 2024 round). Only the per-area values printed in the
    sources' text are included: semiconductors and displays, AI, batteries, aerospace and
    marine.

    Examples:
        >>> levels = tech_levels()
        >>> [(p.country, p.value) for p in levels["semiconductors_displays"][0].points]
        [('KR', 91.2), ('CN', 91.5)]
    """
    return _series("technologies")


def tech_level_aggregates() -> dict[str, tuple[IndicatorSeries, ...]]:
    """KISTEP technology levels averaged over the 50 strategic technologies (``strategic_50``)."""
    return _series("aggregates")


def early_warning_rules() -> RuleSet:
    """Early-warning rules over :func:`tech_levels`, for :func:`stratpolicy.rules.early_warning`.

    A *warning* when China's, Japan's or the EU's level is above Korea's, or China is fewer
    years behind the leader; a *watch* when Korea's gap to the leader grew since the last
    round. The rules and their thresholds (zero differences) are the library's own choice,
    not MSIT's early warning system, whose rules are not published; only the KISTEP levels
    they read are sourced.

    Examples:
        >>> from stratpolicy.rules import early_warning
        >>> alerts = early_warning(tech_levels(), early_warning_rules())
        >>> [(a.technology, a.rule) for a in alerts if a.technology == "semiconductors_displays"]
        [('semiconductors_displays', 'china_level_ahead')]
    """
    rule_set: RuleSet = read_document("kr_early_warning.yaml")
    return rule_set
