"""Benchmark of the rules engine against hand-written code and two peer engines.

Run from the repository root::

    .venv/bin/python benchmarks/rules_bench.py            # 1,000,000 firms
    .venv/bin/python benchmarks/rules_bench.py --rows 200000

Printed as ratios, in one run on one machine:

1. ``RuleSet.evaluate_many`` over a population vs a hand-written numpy kernel of the same
   RSTA rules (NST R&D credit and facility credit, tax year 2025), on the same input
   (pandas categorical columns, and numpy string columns).
2. ``RuleSet.evaluate`` (no explanation) per firm vs a hand-written plain Python function of
   the same rules.
3. ``RuleSet.evaluate`` vs ``rule-engine`` and ``business-rules`` on the same eligibility
   rule (NST R&D credit eligibility), and on a minimal two-clause variant of it.

Every comparison first checks that both sides give the same answers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from stratpolicy.catalogs.korea import tax_credits
from stratpolicy.rules import Input, Output, Parameter, ParameterSet, ParameterValue, Rule, RuleSet

ON = dt.date(2025, 6, 30)
SIZES = ["sme", "sme_graduated", "mid_sized", "large"]
FIELDS = [
    "semiconductors",
    "secondary_batteries",
    "vaccines",
    "displays",
    "hydrogen",
    "future_mobility",
    "biopharmaceuticals",
    "artificial_intelligence",
]
ALL_FIELDS = [*FIELDS, "other"]

# Tax year 2025 rates (RSTA Art. 10(1)2 and Art. 24), written out by hand
RD_BASE = {"sme": 0.40, "sme_graduated": 0.35, "mid_sized": 0.30, "large": 0.30}
FAC_BASE = {"sme": 0.25, "sme_graduated": 0.20, "mid_sized": 0.15, "large": 0.15}
FAC_SEMI = {"sme": 0.30, "sme_graduated": 0.25, "mid_sized": 0.20, "large": 0.20}
ELIGIBLE = frozenset(FIELDS)


def best(fn: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def population(n: int, seed: int = 2025) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    rd = rng.lognormal(20, 1.5, n) * (rng.random(n) < 0.7)
    investment = rng.lognormal(21, 1.5, n) * (rng.random(n) < 0.5)
    return {
        "firm_size": np.array(SIZES)[rng.integers(0, 4, n)],
        "rsta_field": np.array(ALL_FIELDS)[rng.integers(0, len(ALL_FIELDS), n)],
        "nst_rd_expense": rd,
        "revenue": rd * rng.uniform(5, 200, n) + 1e6,
        "nst_facility_investment": investment,
        "prior_3yr_avg_investment": investment * rng.uniform(0.3, 1.5, n),
        "temporary_credit_elected": rng.random(n) < 0.3,
        "semiconductor": rng.random(n) < 0.2,
    }


# --- hand-written numpy kernel -----------------------------------------------------------------


def _tables(categories: list[str], mapping: dict[str, float]) -> np.ndarray:
    return np.array([mapping.get(c, np.nan) for c in categories])


def hand_numpy(df: pd.DataFrame) -> dict[str, np.ndarray]:
    """The 2025 RSTA NST credits over columns, written by hand (categorical columns)."""
    size = df["firm_size"].cat
    field = df["rsta_field"].cat
    size_codes = size.codes.to_numpy()
    field_codes = field.codes.to_numpy()
    sizes = list(size.categories)
    eligible = np.array([c in ELIGIBLE for c in field.categories])[field_codes]
    rd = df["nst_rd_expense"].to_numpy()
    revenue = df["revenue"].to_numpy()
    inv = df["nst_facility_investment"].to_numpy()
    avg = df["prior_3yr_avg_investment"].to_numpy()
    semi = df["semiconductor"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(
            eligible & (rd > 0),
            _tables(sizes, RD_BASE)[size_codes] + np.minimum(0.10, 3 * rd / revenue),
            0.0,
        )
    credit = rd * rate
    fac_ok = eligible & (inv > 0)
    base_rate = np.where(
        semi, _tables(sizes, FAC_SEMI)[size_codes], _tables(sizes, FAC_BASE)[size_codes]
    )
    basic = np.where(fac_ok, base_rate * inv, 0.0)
    additional = np.where(fac_ok, np.minimum(0.10 * np.maximum(0.0, inv - avg), 2 * basic), 0.0)
    return {
        "rd_credit_rate": rate,
        "rd_credit": credit,
        "facility_basic_credit": basic,
        "facility_additional_credit": additional,
        "facility_credit": basic + additional,
    }


def hand_numpy_strings(table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The same kernel on numpy string columns (categories compared as strings)."""
    size_col = table["firm_size"]
    rd_base = np.zeros(len(size_col))
    fac_base = np.zeros(len(size_col))
    fac_semi = np.zeros(len(size_col))
    for s in SIZES:
        hit = size_col == s
        rd_base[hit] = RD_BASE[s]
        fac_base[hit] = FAC_BASE[s]
        fac_semi[hit] = FAC_SEMI[s]
    eligible = np.isin(table["rsta_field"], FIELDS)
    rd = table["nst_rd_expense"]
    revenue = table["revenue"]
    inv = table["nst_facility_investment"]
    avg = table["prior_3yr_avg_investment"]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(eligible & (rd > 0), rd_base + np.minimum(0.10, 3 * rd / revenue), 0.0)
    fac_ok = eligible & (inv > 0)
    basic = np.where(fac_ok, np.where(table["semiconductor"], fac_semi, fac_base) * inv, 0.0)
    additional = np.where(fac_ok, np.minimum(0.10 * np.maximum(0.0, inv - avg), 2 * basic), 0.0)
    return {
        "rd_credit_rate": rate,
        "rd_credit": rd * rate,
        "facility_basic_credit": basic,
        "facility_additional_credit": additional,
        "facility_credit": basic + additional,
    }


# --- hand-written plain Python -----------------------------------------------------------------


def hand_python(f: dict[str, Any]) -> dict[str, float]:
    """The 2025 RSTA NST credits for one firm, written by hand."""
    size = f["firm_size"]
    eligible = f["rsta_field"] in ELIGIBLE
    rd = f["nst_rd_expense"]
    rate = RD_BASE[size] + min(0.10, 3 * rd / f["revenue"]) if eligible and rd > 0 else 0.0
    inv = f["nst_facility_investment"]
    basic = additional = 0.0
    if eligible and inv > 0:
        basic = (FAC_SEMI[size] if f["semiconductor"] else FAC_BASE[size]) * inv
        additional = min(0.10 * max(0.0, inv - f["prior_3yr_avg_investment"]), 2 * basic)
    return {
        "rd_credit_rate": rate,
        "rd_credit": rd * rate,
        "facility_basic_credit": basic,
        "facility_additional_credit": additional,
        "facility_credit": basic + additional,
    }


# --- the eligibility rule in three engines ------------------------------------------------------

FULL = (
    "rsta_field in rsta_nst_fields and firm_size in ('sme', 'sme_graduated', 'mid_sized', 'large')"
    " and nst_rd_expense > 0 and revenue > 0"
)
MINIMAL = "rsta_field in rsta_nst_fields and nst_rd_expense > 0"


def eligibility_rule_set(condition: str, full: bool) -> RuleSet:
    inputs = [
        Input(name="firm_size", type="category", categories=SIZES),
        Input(name="rsta_field", type="category", categories=ALL_FIELDS),
        Input(name="nst_rd_expense", type="money", unit="KRW"),
        Input(name="revenue", type="money", unit="KRW"),
    ]
    return RuleSet(
        id="nst_rd_eligibility",
        inputs=inputs if full else inputs[1:3],
        parameters=ParameterSet(
            parameters=[
                Parameter(
                    name="rsta_nst_fields",
                    values=[ParameterValue(start=dt.date(2025, 1, 1), members=FIELDS)],
                )
            ]
        ),
        outputs=[Output(name="eligible", type="bool", default=False)],
        rules=[Rule(id="eligible", condition=condition, outputs={"eligible": "True"})],
    )


def rule_engine_rule(full: bool) -> Any:
    import rule_engine

    text = f"rsta_field in {FIELDS!r} and nst_rd_expense > 0"
    if full:
        text = f"rsta_field in {FIELDS!r} and firm_size in {SIZES!r} and nst_rd_expense > 0 and revenue > 0"
    return rule_engine.Rule(text)


def business_rules_runner(full: bool) -> Callable[[dict[str, Any]], bool]:
    from business_rules import run_all
    from business_rules.actions import BaseActions, rule_action
    from business_rules.variables import BaseVariables, numeric_rule_variable, string_rule_variable

    class Firm(BaseVariables):
        def __init__(self, firm: dict[str, Any]) -> None:
            self.firm = firm

        @string_rule_variable
        def rsta_field(self) -> str:
            return str(self.firm["rsta_field"])

        @string_rule_variable
        def firm_size(self) -> str:
            return str(self.firm["firm_size"])

        @numeric_rule_variable
        def nst_rd_expense(self) -> float:
            return float(self.firm["nst_rd_expense"])

        @numeric_rule_variable
        def revenue(self) -> float:
            return float(self.firm["revenue"])

    class Mark(BaseActions):
        def __init__(self) -> None:
            self.eligible = False

        @rule_action()
        def mark_eligible(self) -> None:
            self.eligible = True

    conditions: list[dict[str, Any]] = [
        {"any": [{"name": "rsta_field", "operator": "equal_to", "value": f} for f in FIELDS]},
        {"name": "nst_rd_expense", "operator": "greater_than", "value": 0},
    ]
    if full:
        conditions.insert(
            1, {"any": [{"name": "firm_size", "operator": "equal_to", "value": s} for s in SIZES]}
        )
        conditions.append({"name": "revenue", "operator": "greater_than", "value": 0})
    rules = [{"conditions": {"all": conditions}, "actions": [{"name": "mark_eligible"}]}]

    def run(firm: dict[str, Any]) -> bool:
        actions = Mark()
        run_all(
            rule_list=rules,
            defined_variables=Firm(firm),
            defined_actions=actions,
            stop_on_first_trigger=True,
        )
        return actions.eligible

    return run


def loop_eligibility(evaluate: Callable[..., Any], records: list[dict[str, Any]]) -> None:
    for r in records:
        evaluate(r, on=ON)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="firms in the population")
    parser.add_argument(
        "--scalar-rows", type=int, default=200_000, help="firms for the per-firm loops"
    )
    parser.add_argument(
        "--peer-rows", type=int, default=20_000, help="firms for rule-engine / business-rules"
    )
    args = parser.parse_args()

    print(
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, {platform.machine()}"
    )
    rs = tax_credits()
    raw = population(args.rows)
    df = pd.DataFrame(raw)
    df["firm_size"] = df["firm_size"].astype("category")
    df["rsta_field"] = df["rsta_field"].astype("category")

    # 1. populations
    ours = rs.evaluate_many(df, on=ON)
    hand = hand_numpy(df)
    for name, values in hand.items():
        assert np.allclose(ours[name], values, rtol=1e-12, atol=0), name
    assert np.allclose(
        rs.evaluate_many(raw, on=ON)["facility_credit"], hand_numpy_strings(raw)["facility_credit"]
    )
    t_ours = best(lambda: rs.evaluate_many(df, on=ON))
    t_hand = best(lambda: hand_numpy(df))
    t_ours_s = best(lambda: rs.evaluate_many(raw, on=ON))
    t_hand_s = best(lambda: hand_numpy_strings(raw))
    n = args.rows
    print(f"\n1. population of {n:,} firms, RSTA NST credits, tax year 2025")
    print(
        f"   categorical columns: evaluate_many {t_ours * 1e3:8.1f} ms  hand numpy {t_hand * 1e3:8.1f} ms"
        f"  ratio {t_ours / t_hand:5.2f}x the hand kernel's time  ({n / t_ours / 1e6:.1f} M firms/s)"
    )
    print(
        f"   string columns:      evaluate_many {t_ours_s * 1e3:8.1f} ms  hand numpy {t_hand_s * 1e3:8.1f} ms"
        f"  ratio {t_ours_s / t_hand_s:5.2f}x the hand kernel's time  ({n / t_ours_s / 1e6:.1f} M firms/s)"
    )

    # 2. one firm at a time
    m = min(args.scalar_rows, n)
    records = [
        {k: (v[i].item() if hasattr(v[i], "item") else v[i]) for k, v in raw.items()}
        for i in range(m)
    ]
    for r in records[:2000]:
        d = rs.evaluate(r, on=ON)
        h = hand_python(r)
        assert all(abs(d[k] - h[k]) <= 1e-9 * max(1.0, abs(h[k])) for k in h)
    evaluate = rs.evaluate

    def loop_ours() -> None:
        for r in records:
            evaluate(r, on=ON)

    def loop_hand() -> None:
        for r in records:
            hand_python(r)

    t_eval = best(loop_ours)
    t_py = best(loop_hand)
    t_explain = (
        best(lambda: [rs.evaluate(r, on=ON).explain() for r in records[:2000]], repeat=1) * m / 2000
    )
    print(f"\n2. one firm at a time ({m:,} firms), same rules")
    print(
        f"   evaluate {m / t_eval / 1e6:6.2f} M firms/s   hand Python {m / t_py / 1e6:6.2f} M firms/s"
        f"   ratio {t_py / t_eval:5.2f} (evaluate speed / hand speed)"
    )
    print(f"   evaluate + explain(): {m / t_explain / 1e3:6.1f} k firms/s")

    # 3. peer engines on the eligibility rule
    p = min(args.peer_rows, m)
    print(f"\n3. eligibility rule, per firm (peers on {p:,} firms, ours on {m:,})")
    for label, condition, full in (
        ("full (4 clauses)", FULL, True),
        ("minimal (2 clauses)", MINIMAL, False),
    ):
        elig = eligibility_rule_set(condition, full)
        re_rule = rule_engine_rule(full)
        br = business_rules_runner(full)
        # evaluate is strict: it is given the facts its rule set declares, no others
        names = elig.input_names
        own = [{k: r[k] for k in names} for r in records]
        for r, o in zip(records[:500], own, strict=False):
            mine = elig.evaluate(o, on=ON)["eligible"]
            assert mine == re_rule.matches(r) == br(r), r
        t_mine = best(lambda ev=elig.evaluate, o=own: loop_eligibility(ev, o)) / m
        t_re = best(lambda match=re_rule.matches: [match(r) for r in records[:p]]) / p
        t_br = best(lambda run=br: [run(r) for r in records[:p]]) / p
        print(
            f"   {label}: evaluate {1 / t_mine / 1e6:5.2f} M/s   rule-engine {1 / t_re / 1e3:6.1f} k/s"
            f"   business-rules {1 / t_br / 1e3:6.1f} k/s   ->  {t_re / t_mine:6.1f}x rule-engine,"
            f" {t_br / t_mine:6.1f}x business-rules"
        )


if __name__ == "__main__":
    main()
