"""The display floor: the core classes' HTML doors give exactly what display computes."""

from __future__ import annotations

import datetime as dt

import stratpolicy
from stratpolicy import display, rules
from stratpolicy.catalogs import korea


def test_doors_delegate_to_display() -> None:
    summit = korea.summit_2025()
    mission = summit.mission("ai_transformation")
    graph = summit.graph()
    gaps = graph.gaps()
    assert summit._repr_html_() == display.portfolio_html(summit)
    assert mission._repr_html_() == display.mission_html(mission)
    assert graph._repr_html_() == display.graph_html(graph)
    assert gaps._repr_html_() == display.table_html(gaps)
    assert repr(gaps) == display.table_text(gaps)
    decision = korea.tax_credits().evaluate(
        {
            "firm_size": "sme",
            "rsta_field": "semiconductors",
            "nst_rd_expense": 1e9,
            "revenue": 4e10,
        },
        on=dt.date(2025, 12, 31),
    )
    assert decision._repr_html_() == display.decision_html(decision)
    assert decision.explain()._repr_html_() == display.explanation_html(decision.explain())


def test_the_portfolio_table_counts_every_collection() -> None:
    p = stratpolicy.Portfolio(id="e", name="Empty <one>")
    html = display.portfolio_html(p)
    assert "Empty &lt;one&gt;" in html
    for collection in ("technologies", "missions", "instruments", "actors", "roadmaps"):
        assert f"<tr><td>{collection}</td><td>0</td></tr>" in html


def test_one_value_formatter_for_rules_and_readers() -> None:
    assert rules.format_value is display.format_value
    # 0.4 + 0.03 is 0.43000000000000005 in binary: 12 significant digits hide the noise
    assert display.format_value(0.4 + 0.03) == "0.43"
    assert display.format_money(35.5e12, "KRW") == "35.5 trillion KRW"
    assert display.format_percent(7 / 12) == "58 %"
    assert display.format_quantity(stratpolicy.units.parse_amount("50000 GPU")) == "50,000 GPU"
