"""The scenarios' displays: the doors give what display computes, with hand-worked figures.

The firms are those of ``tests/scenarios/conftest.py``: an SME, a mid-sized and a large firm
with 1 bn KRW of semiconductor NST R&D each and an SME outside the list, weights 10, 2, 1,
5. On 2026-06-30 the baseline NST credits are 0.43, 0.33, 0.33 and 0 bn KRW (base rate plus
a 3-point add-on); the reform raises the SME base rate from 40 % to 50 %: 0.53 bn KRW for
the first firm. Weighted: baseline 10 x 0.43 + 2 x 0.33 + 1 x 0.33 = 5.29 bn KRW, reform
6.29 bn KRW, change 10 x 0.10 = 1 bn KRW; SMEs are 10 + 5 = 15 firms.
"""

from __future__ import annotations

import datetime as dt

import pytest

from stratpolicy import display
from stratpolicy.catalogs import korea
from stratpolicy.scenarios import (
    ExperimentSpec,
    Factor,
    InstrumentEnd,
    Outcome,
    ParameterOverride,
    Population,
    PortfolioChanges,
    Reform,
    compare,
    compare_portfolios,
    examples,
    run_experiments,
)
from tests.scenarios.conftest import firms_columns, rsta

ON = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def firms() -> Population:
    return Population.from_columns(firms_columns(), rsta())


def test_doors_delegate_to_display(firms: Population) -> None:
    reform = examples.sme_nst_rd_50()
    comparison = compare(rsta(), reform, firms, on=ON)
    ends = Reform(
        id="ends",
        name="NST R&D ends",
        hypothetical=True,
        portfolio=PortfolioChanges(
            end_instruments=[InstrumentEnd(instrument="nst_rd_investment", on=ON)]
        ),
    )
    portfolios = compare_portfolios(korea.summit_2025(), ends, on=dt.date(2026, 12, 1))
    assert reform._repr_html_() == display.reform_html(reform)
    assert firms._repr_html_() == display.population_html(firms)
    assert comparison._repr_html_() == display.comparison_html(comparison)
    assert portfolios._repr_html_() == display.portfolio_comparison_html(portfolios)


def test_the_comparison_shows_weighted_totals_and_sizes(firms: Population) -> None:
    html = display.comparison_html(compare(rsta(), examples.sme_nst_rd_50(), firms, on=ON))
    assert "The reform is hypothetical" in html
    row = "<tr><td>nst_rd_credit</td><td>5.29 billion KRW</td><td>6.29 billion KRW</td>"
    assert row + "<td>1 billion KRW</td><td>10</td><td>0</td><td>8</td></tr>" in html
    assert "nst_rd_credit_rate" not in html  # a sum of rates means nothing
    # the last output by firm size (tax_credit): the SMEs (15 firms) carry the whole change;
    # the large firm keeps its 0.33 bn KRW
    assert "<tr><td>sme</td><td>15</td>" in html
    assert "<td>1 billion KRW</td></tr><tr><td>mid_sized</td><td>2</td>" in html
    assert "<tr><td>large</td><td>1</td><td>330 million KRW</td><td>330 million KRW</td>" in html


def test_a_reform_is_escaped_and_lists_its_changes() -> None:
    reform = Reform(
        id="x",
        name="rates <up>",
        hypothetical=True,
        parameters=[
            ParameterOverride(
                parameter="nst_rd_base_rate", key="sme", value=0.5, start=dt.date(2026, 1, 1)
            )
        ],
    )
    html = display.reform_html(reform)
    assert "<strong>Reform x: rates &lt;up&gt; (hypothetical)</strong>" in html
    assert (
        "<li>parameter nst_rd_base_rate[&#x27;sme&#x27;] = 0.5 from 2026-01-01 to no end</li>"
        in html
    )


def test_a_synthetic_population_says_so(firms: Population) -> None:
    from stratpolicy.scenarios import synthetic_firms

    assert "no row is a real firm" in display.population_html(synthetic_firms(200, seed=1))
    html = display.population_html(firms)
    assert "real firm" not in html
    assert "<tr><td>firms (sum of weights)</td><td>18</td></tr>" in html  # 10 + 2 + 1 + 5


def test_results_show_each_outcome_in_its_unit() -> None:
    # one SME project of 1 bn KRW: the cap (75 % by decree) set to 0.8 or 0.9 gives 50 or
    # 150 million KRW more public money; one firm counted in each experiment
    projects = Population.from_columns(
        {"firm_size": ["sme"], "total_rd_cost": [1e9], "government_contribution": [5e8]},
        korea.rd_matching(),
    )
    spec = ExperimentSpec(
        id="caps",
        on=ON,
        sampler="grid",
        levers=[Factor(path="government_share_max[sme]", choices=[0.8, 0.9])],
        outcomes=[
            Outcome(name="extra", output="max_government_contribution"),
            Outcome(name="firms", output="max_government_contribution", statistic="firms"),
        ],
    )
    results = run_experiments(spec, korea.rd_matching(), projects)
    assert results.units == {"extra": "KRW", "firms": ""}
    html = display.results_html(results)
    assert results._repr_html_() == html
    assert "Study &#x27;caps&#x27;: 2 of 2 experiments (grid, seed 0)" in html
    assert "<tr><td>extra</td><td>50 million KRW</td><td>100 million KRW</td>" in html
    assert "<td>150 million KRW</td></tr>" in html
    assert "<tr><td>firms</td><td>1</td><td>1</td><td>1</td></tr>" in html


def test_plot_comparison_draws_the_change_by_group(firms: Population) -> None:
    import matplotlib

    matplotlib.use("Agg")
    comparison = compare(rsta(), examples.sme_nst_rd_50(), firms, on=ON)
    ax = display.plot_comparison(comparison, "nst_rd_credit", "firm_size", scale=1e9)
    # sme, mid_sized, large (the group "other" has no firms): +1 bn KRW for the SMEs
    assert [p.get_height() for p in ax.patches] == pytest.approx([1.0, 0, 0], abs=1e-9)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["sme", "mid_sized", "large"]
    assert ax.get_ylabel() == "change in nst_rd_credit (KRW)"
