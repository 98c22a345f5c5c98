"""Benchmark of the rules engine against hand-written code and two peer engines.

Run from the repository root::

    .venv/bin/python benchmarks/rules_bench.py            # 1,000,000 firms
    .venv/bin/python benchmarks/rules_bench.py --rows 200000

Printed as ratios, in one run on one machine:

1. ``RuleSet.evaluate_many`` over a population vs a hand-written numpy kernel of the same
   RSTA rules (the three R&D tiers of Art. 10(1) and the Art. 24 investment credit with the
   temporary credit, tax year 2025), on the same input (pandas categorical columns, and
   numpy string columns).
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
SIZES = [
    "sme",
    "sme_graduated",
    "sme_graduated_y4_5",
    "sme_graduated_pre2025",
    "sme_graduated_pre2025_y4_5",
    "mid_sized",
    "large",
]
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

# Tax year 2025 rates (RSTA Art. 10(1) and Art. 24), written out by hand
_OTHERS = ("sme_graduated_y4_5", "sme_graduated_pre2025", "sme_graduated_pre2025_y4_5")
NG_BASE = {"sme": 0.30, "sme_graduated": 0.25, "mid_sized": 0.20, "large": 0.20}
NST_BASE = {"sme": 0.40, "sme_graduated": 0.35, "mid_sized": 0.30, "large": 0.30}
for _s in _OTHERS:
    NG_BASE[_s], NST_BASE[_s] = 0.20, 0.30
CURRENT = {  # 3호나, sizes with a fixed rate
    "sme": 0.25,
    "sme_graduated": 0.20,
    "sme_graduated_y4_5": 0.15,
    "sme_graduated_pre2025": 0.15,
    "sme_graduated_pre2025_y4_5": 0.10,
}
INV_GENERAL = {"sme": 0.10, "grad": 0.075, "mid": 0.05, "large": 0.01}
INV_NEW_GROWTH = {"sme": 0.12, "grad": 0.09, "mid": 0.06, "large": 0.03}
INV_NST = {"sme": 0.25, "grad": 0.20, "mid": 0.15, "large": 0.15}
INV_SEMI = {"sme": 0.30, "grad": 0.25, "mid": 0.20, "large": 0.20}
TMP_GENERAL = {"sme": 0.12, "mid": 0.07, "large": 0.01}
TMP_NEW_GROWTH = {"sme": 0.14, "mid": 0.08, "large": 0.03}
RD_MID_LIMIT, INV_MID_LIMIT = 500e9, 300e9
ELIGIBLE = frozenset(FIELDS)
COMPARED = [
    "new_growth_rd_credit_rate",
    "nst_rd_credit_rate",
    "general_rd_credit",
    "rd_credit",
    "investment_basic_credit",
    "investment_additional_credit",
    "investment_credit",
    "tax_credit",
]


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
    general = rd * rng.uniform(0.0, 1.0, n)
    return {
        "firm_size": np.array(SIZES)[rng.integers(0, len(SIZES), n)],
        "prior_3yr_avg_sales": rng.lognormal(np.log(3e11), 1.0, n),
        "rsta_field": np.array(ALL_FIELDS)[rng.integers(0, len(ALL_FIELDS), n)],
        "new_growth_rd_expense": rd * rng.uniform(0.0, 0.5, n) * (rng.random(n) < 0.3),
        "nst_rd_expense": rd,
        "general_rd_expense": general,
        "prior_year_general_rd_expense": general * rng.uniform(0.5, 1.2, n),
        "prior_4yr_avg_general_rd_expense": general * rng.uniform(0.0, 1.1, n),
        "revenue": rd * rng.uniform(5, 200, n) + 1e6,
        "general_investment": investment * rng.uniform(0.0, 1.0, n),
        "new_growth_facility_investment": investment * (rng.random(n) < 0.2),
        "nst_facility_investment": investment,
        "prior_3yr_avg_investment": investment * rng.uniform(0.3, 1.5, n) * (rng.random(n) < 0.9),
        "temporary_credit_elected": rng.random(n) < 0.3,
    }


# --- hand-written numpy kernel -----------------------------------------------------------------


def _kernel(
    by_size: Callable[[dict[str, float]], np.ndarray],
    is_size: Callable[[str], np.ndarray],
    nst_field: np.ndarray,
    semi_field: np.ndarray,
    c: Any,
) -> dict[str, np.ndarray]:
    """The 2025 RSTA credits over columns; sizes and fields as lookups (codes or strings)."""
    ng, nst, gen = c["new_growth_rd_expense"], c["nst_rd_expense"], c["general_rd_expense"]
    revenue, sales = c["revenue"], c["prior_3yr_avg_sales"]
    prior, avg4 = c["prior_year_general_rd_expense"], c["prior_4yr_avg_general_rd_expense"]
    sme, large, mid, grad = (is_size(s) for s in ("sme", "large", "mid_sized", "sme_graduated"))
    between = ~(sme | large)
    with np.errstate(divide="ignore", invalid="ignore"):
        ng_rate = np.where(ng > 0, by_size(NG_BASE) + np.minimum(0.10, 3 * ng / revenue), 0.0)
        nst_ok = (nst > 0) & nst_field
        nst_rate = np.where(nst_ok, by_size(NST_BASE) + np.minimum(0.10, 3 * nst / revenue), 0.0)
        g = gen + np.where(nst_ok, 0.0, nst)
        has_g = g > 0
        allowed = has_g & (avg4 > 0) & (prior >= avg4)
        rd_mid = between & (sales < RD_MID_LIMIT)
        formula = np.minimum(0.02, 0.5 * g / revenue)
        current_rate = np.where(
            mid | large, np.where(mid & rd_mid, 0.08, formula), by_size(CURRENT)
        )
    current = np.where(has_g, current_rate * g, 0.0)
    incremental_rate = np.where(sme, 0.50, np.where(rd_mid, 0.40, 0.25))
    incremental = np.where(allowed, incremental_rate * np.maximum(0.0, g - prior), 0.0)
    general_credit = np.where(allowed, np.maximum(current, incremental), current)
    rd = ng * ng_rate + nst * nst_rate + general_credit
    gi, ngi, nsti = (
        c["general_investment"],
        c["new_growth_facility_investment"],
        c["nst_facility_investment"],
    )
    avg = c["prior_3yr_avg_investment"]
    total = gi + ngi + nsti
    nst_inv_ok = (nsti > 0) & nst_field
    general_amount = gi + np.where(nst_inv_ok, 0.0, nsti)
    temporary = (total > 0) & c["temporary_credit_elected"]
    inv_mid = (between & ~grad & (total > 0)) | (
        grad & temporary & ((general_amount > 0) | (ngi > 0))
    )
    inv_mid &= sales < INV_MID_LIMIT

    def cls(t: dict[str, float]) -> np.ndarray:
        return np.where(
            sme, t["sme"], np.where(grad, t["grad"], np.where(inv_mid, t["mid"], t["large"]))
        )

    def tmp(t: dict[str, float]) -> np.ndarray:
        return np.where(sme, t["sme"], np.where(inv_mid, t["mid"], t["large"]))

    nst_basic = np.where(nst_inv_ok, np.where(semi_field, cls(INV_SEMI), cls(INV_NST)) * nsti, 0)
    regular = np.where(
        total > 0, cls(INV_GENERAL) * general_amount + cls(INV_NEW_GROWTH) * ngi + nst_basic, 0.0
    )
    increase = np.maximum(0.0, total - avg)
    regular_add = np.where((total > 0) & (avg > 0), np.minimum(2 * regular, 0.10 * increase), 0)
    tmp_basic = np.where(
        temporary, tmp(TMP_GENERAL) * general_amount + tmp(TMP_NEW_GROWTH) * ngi + nst_basic, 0.0
    )
    tmp_add = np.where(temporary & (avg > 0), np.minimum(2 * tmp_basic, 0.10 * increase), 0.0)
    basic = np.where(temporary, tmp_basic, regular)
    additional = np.where(temporary, tmp_add, regular_add)
    investment = basic + additional
    return {
        "new_growth_rd_credit_rate": ng_rate,
        "nst_rd_credit_rate": nst_rate,
        "general_rd_credit": general_credit,
        "rd_credit": rd,
        "investment_basic_credit": basic,
        "investment_additional_credit": additional,
        "investment_credit": investment,
        "tax_credit": rd + investment,
    }


def _tables(categories: list[str], mapping: dict[str, float]) -> np.ndarray:
    return np.array([mapping.get(c, np.nan) for c in categories])


def hand_numpy(df: pd.DataFrame) -> dict[str, np.ndarray]:
    """The kernel on pandas categorical columns (lookups by category code)."""
    size, field = df["firm_size"].cat, df["rsta_field"].cat
    size_codes, field_codes = size.codes.to_numpy(), field.codes.to_numpy()
    sizes = list(size.categories)
    nst_field = np.array([c in ELIGIBLE for c in field.categories])[field_codes]
    semi_field = np.array([c == "semiconductors" for c in field.categories])[field_codes]
    columns = {k: df[k].to_numpy() for k in df.columns if k not in ("firm_size", "rsta_field")}
    return _kernel(
        lambda t: _tables(sizes, t)[size_codes],
        lambda s: size_codes == sizes.index(s),
        nst_field,
        semi_field,
        columns,
    )


def hand_numpy_strings(table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The same kernel on numpy string columns (categories compared as strings)."""
    size_col = table["firm_size"]
    hits = {s: size_col == s for s in SIZES}

    def by_size(t: dict[str, float]) -> np.ndarray:
        out = np.full(len(size_col), np.nan)
        for s, rate in t.items():
            out[hits[s]] = rate
        return out

    return _kernel(
        by_size,
        lambda s: hits[s],
        np.isin(table["rsta_field"], FIELDS),
        table["rsta_field"] == "semiconductors",
        table,
    )


# --- hand-written plain Python -----------------------------------------------------------------


def hand_python(f: dict[str, Any]) -> dict[str, float]:
    """The 2025 RSTA credits for one firm, written by hand."""
    size, field, revenue, sales = f["firm_size"], f["rsta_field"], f["revenue"], 0.0
    if size not in ("sme", "large"):
        sales = f["prior_3yr_avg_sales"]
    ng, nst, gen = f["new_growth_rd_expense"], f["nst_rd_expense"], f["general_rd_expense"]
    ng_rate = NG_BASE[size] + min(0.10, 3 * ng / revenue) if ng > 0 else 0.0
    nst_ok = nst > 0 and field in ELIGIBLE
    nst_rate = NST_BASE[size] + min(0.10, 3 * nst / revenue) if nst_ok else 0.0
    g = gen + (0.0 if nst_ok else nst)
    general_credit = 0.0
    if g > 0:
        prior, avg4 = f["prior_year_general_rd_expense"], f["prior_4yr_avg_general_rd_expense"]
        allowed = avg4 > 0 and prior >= avg4
        between = size not in ("sme", "large")
        rd_mid = between and (size == "mid_sized" or allowed) and sales < RD_MID_LIMIT
        if size in CURRENT:
            rate = CURRENT[size]
        elif size == "mid_sized" and rd_mid:
            rate = 0.08
        else:
            rate = min(0.02, 0.5 * g / revenue)
        general_credit = rate * g
        if allowed:
            inc_rate = 0.50 if size == "sme" else (0.40 if rd_mid else 0.25)
            general_credit = max(general_credit, inc_rate * max(0.0, g - prior))
    rd = ng * ng_rate + nst * nst_rate + general_credit
    gi, ngi, nsti = (
        f["general_investment"],
        f["new_growth_facility_investment"],
        f["nst_facility_investment"],
    )
    avg = f["prior_3yr_avg_investment"]
    total = gi + ngi + nsti
    basic = additional = 0.0
    if total > 0:
        nst_inv_ok = nsti > 0 and field in ELIGIBLE
        general_amount = gi + (0.0 if nst_inv_ok else nsti)
        temporary = bool(f["temporary_credit_elected"])
        if size == "sme_graduated":
            needs_test = temporary and (general_amount > 0 or ngi > 0)
        else:
            needs_test = size not in ("sme", "large")
        inv_mid = needs_test and sales < INV_MID_LIMIT
        key = "sme" if size == "sme" else ("mid" if inv_mid else "large")
        cls = "grad" if size == "sme_graduated" else key
        nst_basic = 0.0
        if nst_inv_ok:
            nst_basic = (INV_SEMI if field == "semiconductors" else INV_NST)[cls] * nsti
        increase = max(0.0, total - avg)
        if temporary:
            basic = TMP_GENERAL[key] * general_amount + TMP_NEW_GROWTH[key] * ngi + nst_basic
        else:
            basic = INV_GENERAL[cls] * general_amount + INV_NEW_GROWTH[cls] * ngi + nst_basic
        additional = min(2 * basic, 0.10 * increase) if avg > 0 else 0.0
    return {
        "new_growth_rd_credit_rate": ng_rate,
        "nst_rd_credit_rate": nst_rate,
        "general_rd_credit": general_credit,
        "rd_credit": rd,
        "investment_basic_credit": basic,
        "investment_additional_credit": additional,
        "investment_credit": basic + additional,
        "tax_credit": rd + basic + additional,
    }


# --- the eligibility rule in three engines ------------------------------------------------------

FULL = (
    f"rsta_field in rsta_nst_fields and firm_size in {tuple(SIZES)!r}"
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
    assert set(hand) == set(COMPARED)
    for name, values in hand.items():
        assert np.allclose(ours[name], values, rtol=1e-12, atol=0), name
    strings = rs.evaluate_many(raw, on=ON)
    for name, values in hand_numpy_strings(raw).items():
        assert np.allclose(strings[name], values, rtol=1e-12, atol=0), name
    t_ours = best(lambda: rs.evaluate_many(df, on=ON))
    t_hand = best(lambda: hand_numpy(df))
    t_ours_s = best(lambda: rs.evaluate_many(raw, on=ON))
    t_hand_s = best(lambda: hand_numpy_strings(raw))
    n = args.rows
    print(f"\n1. population of {n:,} firms, RSTA R&D and investment credits, tax year 2025")
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
