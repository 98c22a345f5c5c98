"""Pickling and deep copies of the objects a process pool or Dask sends to workers.

Round trips are equal, and a rule set that went through pickle evaluates exactly as the
original (the same numbers, bit for bit) on a random population.
"""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import subprocess
import sys

import numpy as np
import pytest

from stratpolicy.catalogs import korea
from stratpolicy.rules import ParameterSet, RuleSet
from stratpolicy.rules._ruleset import built_cache_info
from stratpolicy.rules._runtime import UNSET
from tests.scenarios.conftest import rsta

ON = dt.date(2026, 6, 30)


def _table(random_table: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in random_table.items() if not k.startswith("_")}


@pytest.mark.parametrize("roundtrip", [pickle.loads, copy.deepcopy])
def test_rule_set_round_trip_evaluates_the_same(roundtrip, random_table) -> None:  # type: ignore[no-untyped-def]
    rs = rsta()
    back = roundtrip(pickle.dumps(rs)) if roundtrip is pickle.loads else roundtrip(rs)
    assert isinstance(back, RuleSet)
    assert back == rs
    assert back.digest == rs.digest
    table = _table(random_table)
    assert back.evaluate_many(table, on=ON) == rs.evaluate_many(table, on=ON)
    facts = {
        k: (v[7] if not isinstance(v[7], np.generic) else v[7].item()) for k, v in table.items()
    }
    assert back.evaluate(facts, on=ON).outputs == rs.evaluate(facts, on=ON).outputs


def test_every_built_in_rule_set_round_trips() -> None:
    for rs in (korea.tax_credits(), korea.rd_matching(), korea.early_warning_rules()):
        assert pickle.loads(pickle.dumps(rs)) == rs


def test_unpickling_builds_a_rule_set_once_per_process() -> None:
    # a fresh interpreter: the cache of built rule sets starts empty
    code = (
        "import pickle; from stratpolicy.catalogs import korea;"
        "from stratpolicy.rules._ruleset import built_cache_info;"
        "data = pickle.dumps(korea.tax_credits());"
        "a = pickle.loads(data); b = pickle.loads(data); c = pickle.loads(data);"
        "print(built_cache_info()['builds'], built_cache_info()['hits'], a is b is c)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["1", "2", "True"]


def test_digest_tells_rule_sets_apart() -> None:
    rs = rsta()
    other = korea.rd_matching()
    assert rs.digest != other.digest
    assert len(rs.digest) == 64
    info = built_cache_info()
    assert set(info) == {"builds", "hits", "size"}


def test_parameter_set_round_trips() -> None:
    params = rsta().parameters
    for back in (pickle.loads(pickle.dumps(params)), copy.deepcopy(params)):
        assert isinstance(back, ParameterSet)
        assert back == params
        # read-only mappings stay read-only after the trip
        by_key = back["nst_rd_base_rate"].values[0].by_key
        with pytest.raises(TypeError):
            by_key["sme"] = 1.0  # type: ignore[index]


def test_unset_survives_pickle_as_the_one_instance() -> None:
    assert pickle.loads(pickle.dumps(UNSET)) is UNSET


def test_decision_round_trips() -> None:
    rs = rsta()
    d = rs.evaluate(
        {
            "firm_size": "sme",
            "rsta_field": "semiconductors",
            "nst_rd_expense": 1e9,
            "revenue": 1e11,
        },
        on=ON,
    )
    for back in (pickle.loads(pickle.dumps(d)), copy.deepcopy(d)):
        assert back == d
        assert back.outputs == d.outputs
        assert back.fired == d.fired
        assert back.explain().to_dict() == d.explain().to_dict()
        assert hash(back) == hash(d)
    other = rs.evaluate({"firm_size": "large", "revenue": 1e11}, on=ON)
    assert other != d


def test_population_result_round_trips(random_table) -> None:  # type: ignore[no-untyped-def]
    result = rsta().evaluate_many(_table(random_table), on=ON)
    back = pickle.loads(pickle.dumps(result))
    assert back == result
    assert copy.deepcopy(result) == result
    # a different result is not equal
    other = rsta().evaluate_many(_table(random_table), on=dt.date(2024, 6, 30))
    assert other != result


def test_portfolio_round_trips_without_its_cached_graph() -> None:
    portfolio = korea.summit_2025()
    portfolio.graph()  # fills the cache
    data = pickle.dumps(portfolio)
    back = pickle.loads(data)
    assert back == portfolio
    assert back._graph is None
    assert copy.deepcopy(portfolio) == portfolio
    # the graph is rebuilt on demand and gives the same analysis
    assert back.graph().coverage() == portfolio.graph().coverage()


def test_graph_result_tables_round_trip() -> None:
    g = korea.summit_2025().graph()
    results = [
        g.coverage(),
        g.gaps(),
        g.bottlenecks(),
        g.pipeline(),
        g.linkage_timeline(),
        g.funding_flow(2026, allocation="by_weight"),
    ]
    for result in results:
        assert pickle.loads(pickle.dumps(result)) == result
        assert copy.deepcopy(result) == result
