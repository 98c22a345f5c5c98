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

from stratpolicy.catalogs._data import read_data, read_document
from stratpolicy.catalogs._korea_rules import rd_matching, tax_credits
from stratpolicy.io._documents import from_document
from stratpolicy.model import Portfolio

__all__ = ["rd_matching", "strategic_technologies", "summit_2025", "tax_credits"]


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
    challenges as sub-missions with the technologies each requires, the instruments the
    summit names (the 2026 R&D budget, strategic-technology R&D, the AI budget, the national
    AI computing center, the early warning system, the easing of the matching ratio, the
    rapid-response R&D fund, streamlined R&D administration, the tax incentives) with budgets
    where a sourced figure exists, the incentives, the actors and a dated roadmap.

    Entries marked ``verified=False`` follow the summit's agenda as summarised in the
    project's brief, or are the editors' mapping (which technologies a challenge needs).

    Examples:
        >>> p = summit_2025()
        >>> [m.id for m in p.sub_missions("ai_transformation")]
        ['industrial_ax', 'ai_drug_development']
        >>> from stratpolicy.units import format_amount
        >>> format_amount(p.instrument("rd_budget_2026").budget_for(2026))
        '35.3 trillion KRW'
    """
    data = read_data("kr_summit_2025.yaml")
    data["technologies"] = read_data("kr_strategic_technologies.yaml")["technologies"]
    portfolio: Portfolio = from_document(
        data, Portfolio, source="stratpolicy/catalogs/data/kr_summit_2025.yaml"
    )
    return portfolio
