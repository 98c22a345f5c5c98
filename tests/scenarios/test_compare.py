"""Comparisons: per-row values, weighted totals and groups worked out by hand.

The firms (conftest): SME / mid-sized / large firms with NST R&D in semiconductors and an SME
outside the NST list, weights 10, 2, 1, 5; each has NST R&D of 1 bn KRW and revenue of 100
bn KRW (add-on 3 points). On 2026-06-30 the NST credits are 0.43, 0.33, 0.33 and 0 bn KRW;
the reform raises the SME base rate to 50 %: 0.53 bn for the first firm.
"""

from __future__ import annotations

import datetime as dt
import json

import pyarrow.parquet as pq
import pytest

from stratpolicy.errors import ValidationError
from stratpolicy.model import Support
from stratpolicy.scenarios import (
    InstrumentEnd,
    PortfolioChanges,
    Reform,
    SupportChange,
    compare,
    compare_portfolios,
    examples,
)
from tests.scenarios.conftest import rsta

ON = dt.date(2026, 6, 30)


@pytest.fixture
def comparison(firms):  # type: ignore[no-untyped-def]
    return compare(rsta(), examples.sme_nst_rd_50(), firms, on=ON)


def test_per_row_values(comparison) -> None:  # type: ignore[no-untyped-def]
    base, new = comparison.values("nst_rd_credit")
    assert list(base) == pytest.approx([0.43e9, 0.33e9, 0.33e9, 0.0], rel=1e-12)
    assert list(new) == pytest.approx([0.53e9, 0.33e9, 0.33e9, 0.0], rel=1e-12)
    assert list(comparison.delta("nst_rd_credit")) == pytest.approx([0.1e9, 0, 0, 0], abs=1e-4)
    assert list(comparison.delta("nst_rd_eligible")) == [0, 0, 0, 0]
    assert list(comparison.changed("general_rd_method")) == [False] * 4
    rows = comparison.rows(["nst_rd_credit", "general_rd_method"])
    assert {
        "firm_size",
        "weight",
        "nst_rd_credit.baseline",
        "nst_rd_credit.reform",
        "nst_rd_credit.delta",
        "general_rd_method.changed",
    } <= set(rows.columns)
    assert len(rows) == 4
    with pytest.raises(TypeError, match="category output"):
        comparison.delta("general_rd_method")
    with pytest.raises(KeyError):
        comparison.values("nst_rd_credits")


def test_weighted_totals_winners_and_losers(comparison) -> None:  # type: ignore[no-untyped-def]
    totals = comparison.totals(["nst_rd_credit"]).loc["nst_rd_credit"]
    # 10 x 0.43 + 2 x 0.33 + 1 x 0.33 = 5.29 bn; the reform adds 10 x 0.1 bn
    assert totals["baseline"] == pytest.approx(5.29e9, rel=1e-12)
    assert totals["reform"] == pytest.approx(6.29e9, rel=1e-12)
    assert totals["delta"] == pytest.approx(1.0e9, rel=1e-9)
    assert (totals["firms"], totals["winners"], totals["losers"], totals["unchanged"]) == (
        18,
        10,
        0,
        8,
    )
    assert (totals["rows_winners"], totals["rows_losers"]) == (1, 0)
    assert comparison.winners_losers("nst_rd_credit", tolerance=2e8)["winners"] == 0
    assert comparison.total("nst_rd_credit", "baseline") == pytest.approx(5.29e9, rel=1e-12)


def test_by_group(comparison) -> None:  # type: ignore[no-untyped-def]
    frame = comparison.by("firm_size", "nst_rd_credit")
    assert frame.loc["sme", "firms"] == 15
    assert frame.loc["sme", "baseline"] == pytest.approx(4.3e9, rel=1e-12)
    assert frame.loc["sme", "delta"] == pytest.approx(1.0e9, rel=1e-9)
    assert frame.loc["mid_sized", "baseline"] == pytest.approx(0.66e9, rel=1e-12)
    assert frame.loc["large", "delta"] == 0
    assert frame.loc["sme_graduated", "firms"] == 0  # every declared category is a row
    both = comparison.by(["firm_size", "rsta_field"], "nst_rd_credit")
    assert both.loc[("sme", "other"), "firms"] == 5
    several = comparison.by("nst_rd_eligible")  # a boolean output, every number output
    assert several.loc[True, ("nst_rd_credit", "delta")] == pytest.approx(1.0e9, rel=1e-9)
    import numpy as np

    labels = comparison.by(np.array(["x", "y", "x", "y"]), "nst_rd_credit")
    assert labels.loc["x", "firms"] == 11  # rows 0 and 2: weights 10 + 1


def test_parquet_html_and_plot(comparison, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "rows.parquet"
    comparison.to_parquet(path, ["nst_rd_credit"])
    table = pq.read_table(path)
    assert table.num_rows == 4
    meta = json.loads(table.schema.metadata[b"stratpolicy"])
    assert meta["on"] == "2026-06-30"
    assert meta["reform"]["id"] == "kr_sme_nst_rd_50"
    assert meta["hypothetical"] is True
    html = comparison._repr_html_()
    assert "kr_sme_nst_rd_50" in html and "hypothetical" in html and "nst_rd_credit" in html
    import matplotlib

    matplotlib.use("Agg")
    ax = comparison.plot("nst_rd_credit", "firm_size")
    assert [p.get_height() for p in ax.patches] == pytest.approx([1.0e9, 0, 0], abs=1e-3)


def test_compare_with_a_reformed_rule_set_and_dates(firms) -> None:  # type: ignore[no-untyped-def]
    reformed = examples.sme_nst_rd_50().apply(rsta())
    c = compare(rsta(), reformed, firms, on="2026-06-30", outputs=["nst_rd_credit"])
    assert c.reform is None and c.outputs == ("nst_rd_credit",)
    assert c.total("nst_rd_credit") == pytest.approx(1.0e9, rel=1e-9)
    with pytest.raises(ValidationError, match="must be a date"):
        compare(rsta(), reformed, firms, on="firm_year")


def test_compare_names_a_population_the_rule_set_cannot_read() -> None:
    from stratpolicy.errors import SchemaError
    from stratpolicy.scenarios import synthetic_firms

    widened = examples.rsta_nst_12_areas().widen(rsta())
    pop = synthetic_firms(300, seed=2, rule_set=widened)
    with pytest.raises(SchemaError, match="does not declare"):
        compare(rsta(), examples.sme_nst_rd_50(), pop, on=ON)
    # the reform that adds the categories widens the baseline itself
    c = compare(rsta(), examples.rsta_nst_12_areas(), pop, on=dt.date(2027, 6, 30))
    frame = c.by("rsta_field", "nst_rd_credit")
    assert frame.loc["quantum", "delta"] > 0
    assert frame.loc["semiconductors", "delta"] == 0
    assert frame.loc["other", "delta"] == 0


def test_matching_easing_on_projects() -> None:
    """Large firm, task of 1 bn KRW, 700 m government: over the decree's 50 % cap, within the
    illustrative 75 % cap of a strategic research project from 2026."""
    from stratpolicy.catalogs import korea
    from stratpolicy.scenarios import Population

    rs = korea.rd_matching()
    easing = examples.matching_easing_2025()
    projects = Population.from_columns(
        {
            "firm_size": ["large", "large", "sme"],
            "total_rd_cost": [1e9, 1e9, 1e9],
            "government_contribution": [7e8, 7e8, 8.6e8],
            "own_cash_contribution": [1e8, 1e8, 1e8],
            "strategic_research_project": [True, False, True],
        },
        easing.widen(rs),
    )
    after = compare(rs, easing, projects, on=dt.date(2026, 3, 1))
    assert list(after.values("government_share_ok")[0]) == [False, False, False]
    assert list(after.values("government_share_ok")[1]) == [True, False, True]
    assert list(after.values("max_government_contribution")[1]) == pytest.approx(
        [7.5e8, 5e8, 8.75e8]
    )
    before = compare(rs, easing, projects, on=dt.date(2025, 12, 31))
    assert list(before.delta("government_share_ok")) == [0, 0, 0]


# -- portfolios -------------------------------------------------------------------------------


def test_a_support_link_closes_a_gap(small_portfolio) -> None:  # type: ignore[no-untyped-def]
    reform = Reform(
        id="chips",
        name="chips support",
        hypothetical=True,
        portfolio=PortfolioChanges(
            add_supports=[
                SupportChange(instrument="rd", support=Support(technology="ai_chips", share=0.5))
            ]
        ),
    )
    c = compare_portfolios(small_portfolio, reform, on=dt.date(2026, 6, 30))
    cov = c.coverage()
    assert cov.loc["ai_chips_challenge", "coverage_before"] == 0.0
    assert cov.loc["ai_chips_challenge", "coverage_after"] == 1.0
    assert cov.loc["ai_chips_challenge", "gaps_after"] == 0
    assert c.gaps().loc["ai_chips", "change"] == "closed"
    funding = c.funding()
    # rd: 2 tn KRW less its 0.5 tn line rd_part = 1.5 tn own money; half of it to ai_chips
    assert funding.loc[("ai_chips_challenge", "KRW"), "reachable_before"] == 0.0
    assert funding.loc[("ai_chips_challenge", "KRW"), "reachable_after"] == pytest.approx(0.75e12)
    assert c.year == 2026
    assert c.missions_losing_support() == ()
    assert "closed" in c._repr_html_()


def test_an_instrument_that_ends_loses_support(small_portfolio) -> None:  # type: ignore[no-untyped-def]
    reform = Reform(
        id="end",
        name="rd ends",
        hypothetical=True,
        portfolio=PortfolioChanges(
            end_instruments=[InstrumentEnd(instrument="rd", on=dt.date(2026, 6, 30))]
        ),
    )
    c = compare_portfolios(small_portfolio, reform, on=dt.date(2026, 12, 1), allocation="equal")
    # ai_power needs area ai (weight 1; half its key technologies, llm, supported) and its
    # challenge's ai_chips (0.5, unsupported): (1 x 0.5 + 0.5 x 0) / 1.5 = 1/3 before; 0 after
    assert c.coverage().loc["ai_power", "coverage_before"] == pytest.approx(1 / 3)
    assert c.coverage().loc["ai_power", "coverage_after"] == 0.0
    assert "ai_power" in c.missions_losing_support()
    totals = c.totals()
    assert totals.loc[("before", "KRW"), "budget"] == pytest.approx(2e12)
    assert totals.loc[("after", "KRW"), "budget"] == pytest.approx(0.5e12)  # rd_part alone
    assert any("allocation 'equal'" in a for a in c.assumptions())


def test_the_outputs_that_change(comparison) -> None:  # type: ignore[no-untyped-def]
    # the SME's NST rate, credit and the totals built on it move; the mid-sized, large and
    # non-listed firms do not, so nothing else does
    changing = comparison.changing()
    assert changing == ("nst_rd_credit_rate", "nst_rd_credit", "rd_credit", "tax_credit")
    # a sum of rates means nothing: left out when money outputs change too
    assert comparison.changing(summable=True) == ("nst_rd_credit", "rd_credit", "tax_credit")
