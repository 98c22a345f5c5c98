"""Funding flow on the hand-built ``money`` portfolio (see conftest), to the won.

The money portfolio's supports all have shares (targeted); money at a technology several
missions need is split only with an allocation, here ``by_weight`` unless a test says so.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

import pytest

from stratpolicy import BudgetEntry, Instrument, Mission, Portfolio, Requirement, Support
from stratpolicy.errors import CurrencyError, ValidationError
from stratpolicy.graph import MissionGraph, funding_flow
from stratpolicy.units import ExchangeRate, ExchangeRates, money
from tests.graph.conftest import P_BUDGET, Q_BUDGET, R_BUDGET, V_BUDGET, area, key

WON = 0.5  # "to the won": float64 results within half a won of the exact fractions


def expected_krw(v_counted: bool) -> dict[str, F]:
    """The 2026 KRW flow worked out by hand, in exact fractions."""
    p_own = F(P_BUDGET - Q_BUDGET)  # P's own money: Q is a budget line inside it
    q_own = F(Q_BUDGET)
    # P: a1 share 0.3; a2 and z 0.35 each
    p_a1 = F(3, 10) * p_own
    p_a2 = p_z = (1 - F(3, 10)) / 2 * p_own
    # Q: all to A. R: 0.6 to B, 0.4 unassigned
    q_a = q_own
    r_b = F(6, 10) * R_BUDGET
    r_left = R_BUDGET - r_b
    # related requirements:
    #   a1 (in A): M on A 1.0, S on a1 0.5, N on a1 1.0 -> total 2.5
    #   a2 (in A): M on A 1.0                          -> total 1.0
    #   z:         N on z 0.25                          -> total 0.25
    #   A:         M on A 1.0, S on a1 0.5, N on a1 1.0 -> total 2.5
    #   B:         none                                -> unallocated
    m = p_a1 * F(1, 1) / F(5, 2) + p_a2 + q_a * 1 / F(5, 2)
    s = p_a1 * F(1, 2) / F(5, 2) + q_a * F(1, 2) / F(5, 2)
    n = p_a1 * 1 / F(5, 2) + p_z + q_a * 1 / F(5, 2)
    unallocated = r_left + r_b + (V_BUDGET if v_counted else 0)
    budget = P_BUDGET + R_BUDGET + (V_BUDGET if v_counted else 0)
    return {
        "p_own": p_own,
        "p_a1": p_a1,
        "p_a2": p_a2,
        "q_a": q_a,
        "r_b": r_b,
        "r_left": r_left,
        "M": m,
        "S": s,
        "N": n,
        "unallocated": unallocated,
        "budget": F(budget),
    }


def test_flow_by_hand_dates_ignored(money_portfolio: Portfolio) -> None:
    flow = funding_flow(money_portfolio.graph(), 2026, allocation="by_weight")
    x = expected_krw(v_counted=True)
    for mission in ("M", "S", "N"):
        assert flow.to_mission(mission, "KRW") == pytest.approx(float(x[mission]), abs=WON)
    assert flow.to_mission("N", "USD") == pytest.approx(10.0)  # U: 10 USD -> z -> N
    assert flow.to_mission("M", "USD") == 0.0
    # inflow with sub-missions: M gets S's money too
    with_sub = {(r.mission, r.currency): r.inflow_with_sub for r in flow.missions}
    assert with_sub["M", "KRW"] == pytest.approx(float(x["M"] + x["S"]), abs=WON)
    assert with_sub["S", "KRW"] == pytest.approx(float(x["S"]), abs=WON)

    total = flow.total("KRW")
    assert total.budget == pytest.approx(float(x["budget"]), abs=WON)
    assert total.to_missions == pytest.approx(float(x["M"] + x["S"] + x["N"]), abs=WON)
    assert total.unallocated == pytest.approx(float(x["unallocated"]), abs=WON)
    assert total.to_missions + total.unallocated == pytest.approx(total.budget, abs=WON)
    assert flow.total("USD").budget == 10.0

    inst = flow.instruments
    assert inst["P"].budget == P_BUDGET
    assert inst["P"].own == pytest.approx(float(x["p_own"]), abs=WON)
    assert inst["Q"].own == Q_BUDGET
    assert inst["R"].unallocated == pytest.approx(float(x["r_left"]), abs=WON)
    assert inst["V"].unallocated == V_BUDGET
    assert inst["U"].currency == "USD"

    techs = {(r.technology, r.currency): r for r in flow.technologies}
    assert techs["a1", "KRW"].inflow == pytest.approx(float(x["p_a1"]), abs=WON)
    assert techs["A", "KRW"].inflow == pytest.approx(float(x["q_a"]), abs=WON)
    assert techs["B", "KRW"].unallocated == pytest.approx(float(x["r_b"]), abs=WON)
    assert techs["z", "USD"].to_missions == 10.0

    reasons = {(r.source, r.reason): r.amount for r in flow.unallocated}
    assert set(reasons) == {("R", "no_technology"), ("V", "no_technology"), ("B", "no_mission")}
    assert reasons["B", "no_mission"] == pytest.approx(float(x["r_b"]), abs=WON)


def test_flow_on_a_date_leaves_out_instruments_not_in_force(money_portfolio: Portfolio) -> None:
    flow = money_portfolio.graph().funding_flow(
        2026, on=dt.date(2026, 6, 1), allocation="by_weight"
    )
    x = expected_krw(v_counted=False)  # V starts in 2027
    assert "V" not in flow.instruments
    assert flow.total("KRW").budget == pytest.approx(float(x["budget"]), abs=WON)
    assert flow.total("KRW").unallocated == pytest.approx(float(x["unallocated"]), abs=WON)
    assert flow.to_mission("M", "KRW") == pytest.approx(float(x["M"]), abs=WON)


def test_flow_in_one_currency(money_portfolio: Portfolio) -> None:
    rates = ExchangeRates(
        rates=(
            ExchangeRate(on=dt.date(2025, 1, 1), base="USD", quote="KRW", rate=1300.0),
            ExchangeRate(on=dt.date(2026, 1, 1), base="USD", quote="KRW", rate=1400.0),
        )
    )
    flow = money_portfolio.graph().funding_flow(
        2026, currency="KRW", rates=rates, allocation="by_weight"
    )
    x = expected_krw(v_counted=True)
    # the rate of 1 January 2026 applies by default: 10 USD = 14,000 KRW, all to N
    assert flow.to_mission("N") == pytest.approx(float(x["N"]) + 10 * 1400, abs=WON)
    assert flow.totals.column("currency") == ("KRW",)
    assert flow.total().budget == pytest.approx(float(x["budget"]) + 14_000, abs=WON)
    older = money_portfolio.graph().funding_flow(
        2026, currency="KRW", rates=rates, rates_on=dt.date(2025, 6, 1), allocation="by_weight"
    )
    assert older.to_mission("N") == pytest.approx(float(x["N"]) + 10 * 1300, abs=WON)
    with pytest.raises(CurrencyError, match="no USD/KRW"):
        money_portfolio.graph().funding_flow(2026, currency="KRW")
    with pytest.raises(CurrencyError, match="unknown currency"):
        money_portfolio.graph().funding_flow(2026, currency="XYZ", rates=rates)


def test_another_year(money_portfolio: Portfolio) -> None:
    flow = money_portfolio.graph().funding_flow(2025, allocation="by_weight")
    # only P has a 2025 budget (5 KRW) and Q none, so P's own money is all 5 won
    assert flow.total("KRW").budget == 5.0
    # N: a1's 5 * 0.3 splits over requirement weights 2.5 (N's 1.0); z's 5 * 0.35 is all N's
    assert flow.to_mission("N", "KRW") == pytest.approx(5 * 0.3 * 1.0 / 2.5 + 5 * 0.35)
    assert money_portfolio.graph().budget_years() == (2025, 2026)
    assert len(money_portfolio.graph().funding_flow(1999).totals) == 0
    with pytest.raises(ValueError, match="name one"):
        money_portfolio.graph().funding_flow(2026).to_mission("M")


def _nested(part_currency: str, part_amount: float) -> Portfolio:
    """G (in force) > H (no budget this year) > J (a budget line of G, through H)."""
    return Portfolio(
        id="nested",
        name="Nested",
        technologies=(area("A"), key("a1", "A")),
        missions=(Mission(id="M", name="M", requires=(Requirement(technology="a1"),)),),
        instruments=(
            Instrument(
                id="G",
                name="G",
                kind="grants_business_rd",
                budget=(BudgetEntry(year=2026, amount=money(100, "KRW")),),
                supports=(Support(technology="A"),),
            ),
            Instrument(
                id="H",
                name="H",
                kind="grants_business_rd",
                budget=(BudgetEntry(year=2025, amount=money(1, part_currency)),),
                part_of="G",
            ),
            Instrument(
                id="J",
                name="J",
                kind="grants_business_rd",
                budget=(BudgetEntry(year=2026, amount=money(part_amount, part_currency)),),
                supports=(Support(technology="a1"),),
                part_of="H",
            ),
        ),
    )


def test_money_is_counted_once_through_an_uncounted_middle_instrument() -> None:
    flow = _nested("KRW", 30).graph().funding_flow(2026)
    # G's own money is 100 - 30 (J, counted, whose nearest counted ancestor is G)
    assert flow.instruments["G"].own == 70.0
    assert flow.instruments["J"].own == 30.0
    assert flow.total("KRW").budget == 100.0
    assert flow.to_mission("M", "KRW") == 100.0  # A and a1 both reach M


def test_parts_in_another_currency_or_too_large_are_errors() -> None:
    with pytest.raises(CurrencyError, match="pass currency="):
        _nested("USD", 30).graph().funding_flow(2026)
    rates = ExchangeRates(
        rates=(ExchangeRate(on=dt.date(2026, 1, 1), base="USD", quote="KRW", rate=2.0),)
    )
    flow = _nested("USD", 30).graph().funding_flow(2026, currency="KRW", rates=rates)
    assert flow.instruments["G"].own == 100 - 30 * 2.0
    with pytest.raises(ValidationError, match="more than its 2026 budget"):
        _nested("KRW", 150).graph().funding_flow(2026)


def test_without_allocation_money_at_a_shared_technology_stays_unallocated(
    money_portfolio: Portfolio,
) -> None:
    flow = funding_flow(money_portfolio.graph(), 2026)
    x = expected_krw(v_counted=True)
    # a1 and A are needed by M, S and N: not split. a2 only by M; z only by N.
    assert flow.to_mission("M", "KRW") == pytest.approx(float(x["p_a2"]), abs=WON)
    assert flow.to_mission("N", "KRW") == pytest.approx(float(x["p_a2"]), abs=WON)  # z = a2
    assert flow.to_mission("S", "KRW") == 0.0
    reasons = {(r.source, r.reason): r.amount for r in flow.unallocated if r.currency == "KRW"}
    assert reasons["a1", "shared"] == pytest.approx(float(x["p_a1"]), abs=WON)
    assert reasons["A", "shared"] == pytest.approx(float(x["q_a"]), abs=WON)
    # reachable: M needs A (so a1, a2 and A itself) and, through S, a1
    reach = flow.missions
    assert reach[0].mission == "M"
    assert reach[0].reachable == pytest.approx(float(x["p_a1"] + x["p_a2"] + x["q_a"]), abs=WON)


def test_summit_2026_flow() -> None:
    """The funding total is the sum of distinct money, from the catalog's own figures."""
    from stratpolicy.catalogs import korea

    flow = korea.summit_2025().graph().funding_flow(2026)
    t = 10**12
    total = flow.total("KRW")
    # Each instrument's most final 2026 figure (kr_summit_2025.yaml, its sources):
    #   rd_budget_2026        35.5      enacted (35.3 proposed)
    #   nst_rd_investment      8.6      plan; a budget line inside rd_budget_2026: not added
    #   ai_budget_2026         9.9334   enacted (10.1398 proposed)
    #     of which 2.3 is the AI R&D of the R&D budget (a proposal figure): not added again
    #   national_growth_fund   1.0      proposal (no enacted figure in the sources)
    # distinct money = 35.5 + (9.9334 - 2.3) + 1.0 = 44.1334 trillion KRW
    distinct = 35.5 + (9.9334 - 2.3) + 1.0
    assert total.budget == pytest.approx(distinct * t, abs=WON)
    assert flow.instruments["rd_budget_2026"].own == pytest.approx((35.5 - 8.6) * t, abs=WON)
    assert flow.instruments["ai_budget_2026"].own == pytest.approx((9.9334 - 2.3) * t, abs=WON)
    # no allocation: the 8.6 envelope and the AI money (needed by four missions) stay put
    reasons = {(r.source, r.reason): r.amount for r in flow.unallocated}
    assert reasons["nst_rd_investment", "envelope"] == pytest.approx(8.6 * t, abs=WON)
    assert reasons["artificial_intelligence", "shared"] == pytest.approx(
        (9.9334 - 2.3) * t, abs=WON
    )
    assert total.to_missions == 0.0
    assert total.to_missions + total.unallocated == pytest.approx(total.budget, abs=WON)
    # the Budget Office's note that the AI budget holds part of the fund: amount unknown
    unknown = [o for o in flow.overlaps if o.amount is None]
    assert [(o.instrument, o.other, o.at_most) for o in unknown] == [
        ("ai_budget_2026", "national_growth_fund", 1.0 * t)
    ]
    proposal = korea.summit_2025().graph().funding_flow(2026, stage="proposal")
    # proposals only: 35.3 + (10.1398 - 2.3) + 1.0; the NST plan has no proposal figure
    assert proposal.total("KRW").budget == pytest.approx((35.3 + 10.1398 - 2.3 + 1.0) * t, abs=WON)


def test_summit_2026_total_from_the_catalog_objects() -> None:
    """The same total, read from the catalog's own figures rather than typed in."""
    from stratpolicy.catalogs import korea

    p = korea.summit_2025()

    def won(amount: object) -> float:
        return float(amount.to("KRW").magnitude)  # type: ignore[attr-defined]

    rd = p.instrument("rd_budget_2026").budget_entry(2026)  # most final: enacted
    ai = p.instrument("ai_budget_2026").budget_entry(2026)  # enacted
    fund = p.instrument("national_growth_fund").budget_entry(2026)  # proposal only
    assert rd is not None and ai is not None and fund is not None
    assert (rd.stage, ai.stage, fund.stage) == ("enacted", "enacted", "proposal")
    (ai_rd,) = [o for o in p.instrument("ai_budget_2026").overlaps if o.amount is not None]
    assert ai_rd.instrument == "rd_budget_2026"
    # nst_rd_investment is part_of rd_budget_2026: inside the R&D budget, not added.
    # distinct money = R&D + (AI - the AI R&D also in the R&D budget) + fund
    distinct = won(rd.amount) + (won(ai.amount) - won(ai_rd.amount)) + won(fund.amount)
    assert distinct == pytest.approx(44.1334e12)
    total = p.graph().funding_flow(2026).total("KRW")
    assert total.budget == pytest.approx(distinct, abs=WON)


def test_summit_2026_flow_split_equally() -> None:
    from stratpolicy.catalogs import korea

    flow = korea.summit_2025().graph().funding_flow(2026, allocation="equal")
    t = 10**12
    # 8.6 trillion split equally over the 12 areas (an assumption); aerospace_marine and
    # next_gen_communications are required by no mission (nor any of their key technologies)
    per_area = 8.6 * t / 12
    unallocated = (35.5 - 8.6) * t + 1.0 * t + 2 * per_area
    assert flow.total("KRW").unallocated == pytest.approx(unallocated, abs=WON)
    assert flow.allocation is not None and flow.allocation.value == "equal"


def test_graph_method_matches_function(money_portfolio: Portfolio) -> None:
    g = MissionGraph(money_portfolio)
    assert g.funding_flow(2026).totals == funding_flow(g, 2026).totals
    data = g.funding_flow(2026, allocation="equal").to_dict()
    assert data["year"] == 2026 and data["totals"][0]["currency"] == "KRW"
    assert data["allocation"] == "equal" and data["assumptions"]
