"""The Korea catalogs hold what the reference data says, each entry with its source."""

from __future__ import annotations

import pytest

from stratpolicy import MissionKind, Portfolio, TechnologyKind, catalogs
from stratpolicy.catalogs import korea
from stratpolicy.units import currency_of, parse_amount


def _entries(portfolio: Portfolio) -> list[object]:
    found: list[object] = list(portfolio)
    for m in portfolio.missions:
        found.extend(m.targets)
    for i in portfolio.instruments:
        found.extend(i.budget)
    for r in portfolio.roadmaps:
        found.extend(r.milestones)
    return found


def test_twelve_areas_and_fifty_key_technologies() -> None:
    techs = korea.strategic_technologies()
    assert len(techs.areas()) == 12
    assert len(techs.key_technologies()) == 50
    # per-area counts from the Dec 2023 designation: 8, 4, 3, 2, 4, 5, 3, 4, 4, 5, 5, 3
    counts = [len(techs.key_technologies(a.id)) for a in techs.areas()]
    assert counts == [8, 4, 3, 2, 4, 5, 3, 4, 4, 5, 5, 3]
    assert techs["quantum"].name_local == "양자"
    assert techs["quantum_computing"].parent == "quantum"
    assert techs["semiconductors_displays"].kind is TechnologyKind.AREA
    assert "소형모듈원자로" in techs["small_modular_reactors"].aliases


@pytest.mark.parametrize("loader", [korea.strategic_technologies, korea.summit_2025])
def test_every_entry_has_a_source(loader: object) -> None:
    portfolio = loader()  # type: ignore[operator]
    missing = [
        getattr(e, "id", e) for e in _entries(portfolio) if not getattr(e, "source", "").strip()
    ]
    assert missing == []


def test_summit_missions_and_challenges() -> None:
    p = korea.summit_2025()
    assert [m.id for m in p.core_missions()] == [
        "ai_transformation",
        "trade_security",
        "future_innovation",
    ]
    challenges = [m for m in p.missions if m.kind is MissionKind.CHALLENGE]
    assert len(challenges) == 5
    assert all(m.parent is not None and m.requires for m in challenges)
    ai = p.mission("ai_transformation")
    ranks = [t.rank for t in ai.targets if t.rank is not None]
    assert ranks == [3]  # "top three AI powers"
    gpus = [t.value for t in ai.targets if t.value is not None]
    assert gpus == [parse_amount("50000 GPU")]


def test_summit_budgets_are_the_sourced_figures() -> None:
    p = korea.summit_2025()
    assert p.instrument("rd_budget_2026").budget_for(2026) == parse_amount("35.3 trillion KRW")
    assert p.instrument("nst_rd_investment").budget_for(2026) == parse_amount("8.6 trillion KRW")
    assert p.instrument("ai_budget_2026").budget_for(2026) == parse_amount("10.1 trillion KRW")
    for ins in p.instruments:
        for entry in ins.budget:
            assert currency_of(entry.amount) == "KRW"
            assert entry.verified, (ins.id, entry.year)
    assert p.instrument("nst_rd_investment").part_of == "rd_budget_2026"


def test_summit_instruments_cover_the_seven_named() -> None:
    p = korea.summit_2025()
    ids = {i.id for i in p.instruments}
    named = {
        "rd_budget_2026",  # largest-ever government R&D investment
        "national_ai_computing_center",
        "early_warning_system",
        "matching_ratio_easing",
        "rapid_response_rd_fund",
        "rd_administration_streamlining",
        "nst_tax_incentives",
    }
    assert named <= ids
    assert p.actor("msit").abbreviation == "MSIT"
    assert {a for i in p.instruments for a in i.administered_by} >= {"msit", "moef"}


def test_tax_incentives_reach_the_mapped_areas() -> None:
    p = korea.summit_2025()
    credit = p.incentive("rsta_nst_rd_credit")
    # crosswalk_rsta_to_msit12 in the reference: the RSTA fields map to these six areas
    assert set(credit.technology_ids) == {
        "semiconductors_displays",
        "secondary_batteries",
        "advanced_bio",
        "hydrogen",
        "advanced_mobility",
        "artificial_intelligence",
    }
    assert credit.citation is not None and credit.citation.article == "10(1)2"


def test_unverified_entries_are_marked() -> None:
    p = korea.summit_2025()
    assert p.instrument("rapid_response_rd_fund").verified is False
    assert p.actor("kdb").verified is False
    assert p.instrument("rd_budget_2026").verified is True


def test_catalog_registry() -> None:
    assert "kr_summit_2025" in catalogs.names()
    assert catalogs.get("kr_summit_2025") == korea.summit_2025()
    with pytest.raises(KeyError):
        catalogs.get("nope")
