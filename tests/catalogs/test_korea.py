"""The Korea catalogs hold what the reference data says, each entry with its source."""

from __future__ import annotations

import datetime as dt

import pytest

from stratpolicy import BudgetStage, MissionKind, Portfolio, TechnologyKind, catalogs
from stratpolicy.catalogs import korea
from stratpolicy.units import currency_of, parse_amount


def _entries(portfolio: Portfolio) -> list[object]:
    found: list[object] = list(portfolio)
    for m in portfolio.missions:
        found.extend(m.targets)
    for i in portfolio.instruments:
        found.extend(i.budget)
        found.extend(i.supports)
        found.extend(i.overlaps)
    found.extend(r for m in portfolio.missions for r in m.requires)
    for c in portfolio.incentives:
        found.extend(c.technologies)
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
    rd = p.instrument("rd_budget_2026")
    # kr_budget_2026_update.yaml: 2026 R&D 35.3 proposed (2025-08-22), 35.5 enacted
    assert rd.budget_for(2026, "proposal") == parse_amount("35.3 trillion KRW")
    assert rd.budget_for(2026, "enacted") == parse_amount("35.5 trillion KRW")
    assert rd.budget_for(2026) == parse_amount("35.5 trillion KRW")  # the most final stage
    nst = p.instrument("nst_rd_investment")
    assert nst.budget_entry(2026) is not None
    assert nst.budget_entry(2026).stage is BudgetStage.PLAN  # type: ignore[union-attr]
    assert nst.budget_for(2026) == parse_amount("8.6 trillion KRW")
    ai = p.instrument("ai_budget_2026")
    # AI budget: 10.1398 proposed, 9.9334 enacted (National Assembly Budget Office, Bizhankook)
    assert ai.budget_for(2026, "proposal") == parse_amount("10.1398 trillion KRW")
    assert ai.budget_for(2026, "enacted") == parse_amount("9.9334 trillion KRW")
    for ins in p.instruments:
        for entry in ins.budget:
            assert currency_of(entry.amount) == "KRW"
            assert entry.verified, (ins.id, entry.year)
            assert entry.stage is not None, (ins.id, entry.year)
    assert nst.part_of == "rd_budget_2026"


def test_summit_overlap_of_the_ai_budget_with_the_rd_budget() -> None:
    ai = korea.summit_2025().instrument("ai_budget_2026")
    by_other = {o.instrument: o for o in ai.overlaps}
    rd = by_other["rd_budget_2026"]
    # the 2.3 trillion KRW 'AI' area of major R&D in the 2026 proposal, not the 2.9164
    # 'technology development' component of the AI budget (a different classification)
    assert rd.amount == parse_amount("2.3 trillion KRW")
    assert rd.stage is BudgetStage.PROPOSAL and rd.verified is False
    assert "2.9164" in rd.note and "different classification" in rd.note
    fund = by_other["national_growth_fund"]
    assert fund.amount is None  # the Budget Office names the overlap, not its amount


def test_summit_strategic_technology_rd_is_an_envelope() -> None:
    nst = korea.summit_2025().instrument("nst_rd_investment")
    assert len(nst.supports) == 12
    assert nst.envelope == nst.supports and nst.targeted == ()
    ai = korea.summit_2025().instrument("ai_budget_2026")
    assert [s.technology for s in ai.targeted] == ["artificial_intelligence"]


def test_the_finance_ministry_split() -> None:
    p = korea.summit_2025()
    old = p.actor("moef")
    # kr_government_reorg_2026.yaml: split effective 2026-01-02
    assert old.name_local == "기획재정부" and old.end == dt.date(2026, 1, 1)
    succ = {s.actor: s for s in old.successors}
    assert p.actor("mofe_2026").name_local == "재정경제부"
    assert p.actor("mpb").name_local == "기획예산처"
    assert succ["mofe_2026"].instruments == ("nst_tax_incentives",)
    assert succ["mpb"].instruments == ("rd_budget_2026",)
    assert p.actor("mofe_2026").start == p.actor("mpb").start == dt.date(2026, 1, 2)


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
    assert sum(1 for i in p.instruments if not i.context) == 7


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


# kr_rsta_rd_credit_tiers.yaml nst_fields: the first day of R&D expenses each field's credit
# covers; an MSIT area takes its earliest RSTA field (editors' crosswalk)
RD_FIELD_START = {
    "semiconductors_displays": dt.date(2021, 7, 1),  # semiconductors (displays: 2023-01-01)
    "secondary_batteries": dt.date(2021, 7, 1),
    "advanced_bio": dt.date(2021, 7, 1),  # vaccines (biopharmaceuticals: 2023-07-01)
    "hydrogen": dt.date(2023, 1, 1),
    "advanced_mobility": dt.date(2023, 1, 1),
    "artificial_intelligence": dt.date(2025, 1, 1),
}


def test_tax_credit_links_carry_the_field_start_dates() -> None:
    credit = korea.summit_2025().incentive("rsta_nst_rd_credit")
    starts = {link.technology: link.start for link in credit.technologies}
    assert starts == RD_FIELD_START
    for link in credit.technologies:
        assert link.verified is False and "crosswalk" in link.note  # derived mapping
    assert "2023-01-01" in credit.technologies[0].note  # displays, kept in the note
    assert "2023-07-01" in credit.technologies[2].note  # biopharmaceuticals


def test_unverified_entries_are_marked() -> None:
    p = korea.summit_2025()
    # named by the summit (the seed text), but what it does is the editors' reading
    fund = p.instrument("rapid_response_rd_fund")
    assert fund.verified is True and "description" in fund.editorial
    assert p.actor("kdb").verified is False
    assert p.instrument("rd_budget_2026").verified is True
    for m in p.missions:
        assert m.verified  # the seed text names the three missions and five challenges
        for r in m.requires:  # the technologies and weights are the editors'
            assert r.verified is False and "editors'" in r.note, (m.id, r.technology)
    for m in p.missions:
        if m.parent is not None:
            assert "parent" in m.editorial
    for ins in p.instruments:
        assert "kind" in ins.editorial  # STIP types are the editors' classification


def test_mission_wording_is_the_seed_texts() -> None:
    # the summit's agenda (project brief): "leading the AI transformation; securing
    # leadership in trade and security; presenting future innovation"; challenges:
    # "industrial AI transformation (industrial AX), AI-based drug development, bottlenecks
    # in semiconductors and energy, securing power grids, materials exploration with
    # quantum computing and AI"
    p = korea.summit_2025()
    assert [m.name for m in p.missions] == [
        "Lead the AI transformation",
        "Secure leadership in trade and security",
        "Present future innovation",
        "Industrial AI transformation (industrial AX)",
        "AI-based drug development",
        "Bottlenecks in semiconductors and energy",
        "Securing power grids",
        "Materials exploration with quantum computing and AI",
    ]
    goals = [m.goal for m in p.core_missions()]
    assert goals == [
        "Become one of the top three AI powers.",
        "Technological independence amid supply-chain restructuring.",
        "Leadership in quantum and next-generation technologies.",
    ]


def test_context_instruments_are_the_ones_the_summit_does_not_name() -> None:
    p = korea.summit_2025()
    assert {i.id for i in p.instruments if i.context} == {
        "nst_rd_investment",
        "ai_budget_2026",
        "national_growth_fund",
    }


def test_catalog_registry() -> None:
    assert "kr_summit_2025" in catalogs.names()
    assert catalogs.get("kr_summit_2025") == korea.summit_2025()
    with pytest.raises(KeyError):
        catalogs.get("nope")
