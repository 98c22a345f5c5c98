"""The summaries of comparisons and experiment results: data worked out by hand, and text.

The firms are those of ``tests/scenarios/conftest.py`` (weights 10, 2, 1, 5); under the
reform the SME's NST R&D credit rises from 0.43 to 0.53 bn KRW: +1 bn KRW weighted, one row
and 10 firms winning, 8 firms unchanged.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from stratpolicy.catalogs import korea
from stratpolicy.report import (
    comparison_summary,
    render_comparison,
    render_results,
    results_summary,
)
from stratpolicy.scenarios import (
    ExperimentSpec,
    Factor,
    Outcome,
    Population,
    compare,
    examples,
    run_experiments,
)
from tests.scenarios.conftest import firms_columns, rsta

ON = dt.date(2026, 6, 30)


def test_a_comparison_summary() -> None:
    firms = Population.from_columns(firms_columns(), rsta())
    comparison = compare(rsta(), examples.sme_nst_rd_50(), firms, on=ON)
    data = comparison_summary(comparison, by="firm_size", outputs=["nst_rd_credit"])
    json.dumps(data)  # plain data
    assert data["reform"] == "kr_sme_nst_rd_50" and data["hypothetical"] is True
    assert data["population"] == {
        "rows": 4,
        "firms": 18.0,
        "source": "columns",
        "synthetic": False,
    }
    (nst,) = data["outputs"]
    assert nst["unit"] == "KRW"
    assert nst["baseline"] == pytest.approx(5.29e9) and nst["delta"] == pytest.approx(1e9)
    assert (nst["winners"], nst["losers"], nst["unchanged"]) == (10.0, 0.0, 8.0)
    assert (nst["rows_winners"], nst["rows_losers"]) == (1, 0)
    groups = {g["group"]: g for g in data["by"]["groups"]}
    assert list(groups) == ["sme", "mid_sized", "large"]  # groups without firms left out
    assert groups["sme"]["firms"] == 15 and groups["sme"]["delta"] == pytest.approx(1e9)
    text = render_comparison(data)
    assert "nst_rd_credit" in text and "5.29 billion KRW" in text and "1 billion KRW" in text
    assert "winners 10 firms (1 rows), losers 0 (0 rows), unchanged 8" in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_a_results_summary() -> None:
    # one SME project of 1 bn KRW; caps 0.8 and 0.9 instead of the decree's 0.75: 50 and
    # 150 million KRW more public money
    projects = Population.from_columns(
        {"firm_size": ["sme"], "total_rd_cost": [1e9], "government_contribution": [5e8]},
        korea.rd_matching(),
    )
    spec = ExperimentSpec(
        id="caps",
        on=ON,
        sampler="grid",
        levers=[Factor(path="government_share_max[sme]", choices=[0.8, 0.9])],
        outcomes=[Outcome(name="extra", output="max_government_contribution")],
    )
    data = results_summary(run_experiments(spec, korea.rd_matching(), projects))
    assert (data["study"], data["experiments"], data["done"], data["complete"]) == (
        "caps",
        2,
        2,
        True,
    )
    (extra,) = data["outcomes"]
    assert extra["unit"] == "KRW"
    assert extra["min"] == pytest.approx(5e7) and extra["max"] == pytest.approx(1.5e8)
    text = render_results(data, "out.parquet")
    assert text.startswith("Study caps: 2 of 2 experiments (grid, seed 0)\n")
    assert "results: out.parquet" in text
    assert "50 million KRW" in text and "150 million KRW" in text
