"""Benchmark of the rules engine against hand-written code and peer engines.

Run from the repository root::

    .venv/bin/python benchmarks/rules_bench.py                       # 1,000,000 firms
    .venv/bin/python benchmarks/rules_bench.py --rows 200000 --rounds 3
    # before and after, side by side: an earlier version's source tree
    git archive 6c53207 src | tar -x -C /tmp/before
    .venv/bin/python benchmarks/rules_bench.py --before /tmp/before/src

The driver starts one worker process per round and per version, alternately (before,
after, before, after...), so that both versions meet the same load; each worker measures
everything once, peers included, and the driver prints the median of the rounds. Times
are CPU time of the worker (``time.process_time``: on a shared machine it does not count
the time the process waits for a processor); every benchmark reads the outputs it
computes. What it measures, on the built-in RSTA tax credits
(``stratpolicy.catalogs.korea.tax_credits()``, tax year 2025):

1. Building a reformed rule set (the SME rate of Art. 10(1)2 changed with
   ``RuleSet.with_parameters``): the build alone, with its first ``evaluate``, and with
   its first ``evaluate_many``.
2. ``evaluate`` of one firm on one rule (NST R&D credit eligibility: field on the RSTA
   list, firm size known, expense and revenue positive) and reading its output, against
   a plain Python function of the same rule (given the facts and the date, returning a
   dict), rule-engine, business-rules and OpenFisca (a simulation of one firm).
3. ``evaluate`` of one firm on the whole rule set, and reading five outputs, against a
   hand-written Python function of the same rules.
4. ``evaluate_many`` over a population (pandas categorical columns) against a
   hand-written numpy kernel of the same rules; numpy string columns too; and the
   eligibility rule over string columns against a hand-written numpy string kernel (and
   OpenFisca over the same population); the extra memory of ``evaluate_many`` and of the
   hand kernel (``tracemalloc`` peak).
5. (Versions with per-row dates.) A population of firm-years 2021-2029 in one call with
   ``on=`` a column, against one call per year.

Every comparison first checks that both sides give the same answers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
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


def cpu(fn: Callable[[], Any], repeat: int = 3) -> float:
    """The median CPU time of ``repeat`` calls of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


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


# --- the eligibility rule: plain Python, OpenFisca ------------------------------------------------

NST_LIST_START = dt.date(2025, 1, 1)  # the RSTA list of the rule sets above starts then
FIELD_SET, SIZE_SET = frozenset(FIELDS), frozenset(SIZES)


def plain_eligibility(facts: dict[str, Any], on: dt.date) -> dict[str, bool]:
    """The eligibility rule as a plain Python function of the facts and the date."""
    fields = FIELD_SET if on >= NST_LIST_START else frozenset()
    return {
        "eligible": facts["rsta_field"] in fields
        and facts["firm_size"] in SIZE_SET
        and facts["nst_rd_expense"] > 0
        and facts["revenue"] > 0
    }


def openfisca_system() -> Any:
    """The eligibility rule in OpenFisca: enums, a dated parameter keyed by field, a formula."""
    from openfisca_core.entities import build_entity
    from openfisca_core.indexed_enums import Enum
    from openfisca_core.parameters import ParameterNode
    from openfisca_core.periods import DateUnit
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    firm = build_entity(key="firm", plural="firms", label="A firm", is_person=True)
    size_enum = Enum("FirmSize", {s: s for s in SIZES})  # type: ignore[misc]
    field_enum = Enum("RstaField", {f: f for f in ALL_FIELDS})  # type: ignore[misc]

    def variable(name: str, value_type: Any, **more: Any) -> type:
        attrs = {"value_type": value_type, "entity": firm, "label": name}
        attrs["definition_period"] = DateUnit.YEAR
        return type(name, (Variable,), {**attrs, **more})

    def formula(firms: Any, period: Any, parameters: Any) -> Any:
        # an enum holds only its declared sizes: "firm size known" is true of every firm
        listed = parameters(period).rsta_nst_field[firms("rsta_field", period)]
        return listed * (firms("nst_rd_expense", period) > 0) * (firms("revenue", period) > 0)

    system = TaxBenefitSystem([firm])
    for v in (
        variable("firm_size", Enum, possible_values=size_enum, default_value=size_enum[SIZES[0]]),
        variable("rsta_field", Enum, possible_values=field_enum, default_value=field_enum["other"]),
        variable("nst_rd_expense", float),
        variable("revenue", float),
        variable("eligible", bool, formula=formula),
    ):
        system.add_variable(v)
    system.parameters = ParameterNode(
        "",
        data={
            "rsta_nst_field": {
                f: {"values": {"2025-01-01": {"value": f in FIELD_SET}}} for f in ALL_FIELDS
            }
        },
    )
    return system


def openfisca_population(system: Any, columns: dict[str, Any], year: str) -> Any:
    """Build a simulation of the rows and calculate the eligibility."""
    from openfisca_core.simulations import SimulationBuilder

    n = len(columns["revenue"])
    sim = SimulationBuilder().build_default_simulation(system, count=n)
    for name in ("firm_size", "rsta_field", "nst_rd_expense", "revenue"):
        sim.set_input(name, year, columns[name])
    return sim.calculate("eligible", year)


def hand_eligibility_strings(c: dict[str, Any]) -> np.ndarray:
    """The eligibility rule over numpy string columns, as written by hand."""
    field, size = c["rsta_field"], c["firm_size"]
    listed = field == FIELDS[0]
    for f in FIELDS[1:]:
        listed |= field == f
    known = size == SIZES[0]
    for s in SIZES[1:]:
        known |= size == s
    return listed & known & (c["nst_rd_expense"] > 0) & (c["revenue"] > 0)


# --- one worker: every measurement once -------------------------------------------------------------

READ = COMPARED  # the outputs a population benchmark reads
FIVE = [
    "rd_credit",
    "investment_credit",
    "tax_credit",
    "general_rd_credit",
    "investment_basic_credit",
]


def measure(args: argparse.Namespace) -> dict[str, Any]:
    import stratpolicy

    out: dict[str, Any] = {"library": str(Path(stratpolicy.__file__).parent)}
    rs = tax_credits()
    n, m, p = args.rows, args.scalar_rows, args.peer_rows
    raw = population(n)
    df = pd.DataFrame(raw)
    df["firm_size"] = df["firm_size"].astype("category")
    df["rsta_field"] = df["rsta_field"].astype("category")
    records = [
        {k: (v[i].item() if hasattr(v[i], "item") else v[i]) for k, v in raw.items()}
        for i in range(max(m, p))
    ]

    # 1. reforms
    base = rs.parameters["nst_rd_base_rate"]
    last = base.values[-1]
    assert last.by_key is not None
    firm = records[0]
    counter = iter(range(10**9))

    def reformed() -> Any:
        rate = 0.40 + next(counter) * 1e-6  # a new value each time
        entry = type(last)(start=last.start, by_key={**last.by_key, "sme": rate})
        return rs.with_parameters(rs.parameters.replace(base.with_value(entry)))

    small = {k: v[:1000] for k, v in raw.items()}
    for key, fn in (
        ("reform_build", lambda: reformed()),
        ("reform_build_evaluate", lambda: reformed().evaluate(firm, on=ON)["tax_credit"]),
        (
            "reform_build_population",
            lambda: reformed().evaluate_many(small, on=ON)["tax_credit"],
        ),
    ):
        fn()
        out[key] = cpu(fn, repeat=15) * 1e3  # ms

    # 2. one firm, one rule
    elig = eligibility_rule_set(FULL, True)
    names = elig.input_names
    own = [{k: r[k] for k in names} for r in records[:m]]
    re_rule = rule_engine_rule(True)
    br = business_rules_runner(True)
    for r, o in zip(records[:500], own, strict=False):
        want = elig.evaluate(o, on=ON)["eligible"]
        assert want == plain_eligibility(o, ON)["eligible"] == re_rule.matches(r) == br(r), r
    evaluate = elig.evaluate

    def ours_one() -> None:
        for facts in own:
            evaluate(facts, on=ON)["eligible"]

    def plain_one() -> None:
        for facts in own:
            plain_eligibility(facts, ON)["eligible"]

    out["one_rule_evaluate_ns"] = cpu(ours_one) / m * 1e9
    out["one_rule_plain_ns"] = cpu(plain_one) / m * 1e9
    out["one_rule_rule_engine_ns"] = (
        cpu(lambda: [re_rule.matches(r) for r in records[:p]]) / p * 1e9
    )
    out["one_rule_business_rules_ns"] = cpu(lambda: [br(r) for r in records[:p]]) / p * 1e9
    try:
        system = openfisca_system()
    except ImportError as exc:  # not installed: pip install -e '.[dev,bench]'
        out["openfisca"] = f"not run: {exc}"
        system = None
    if system is not None:
        import openfisca_core

        out["openfisca"] = getattr(openfisca_core, "__version__", "installed")
        q = max(p // 10, 50)

        def openfisca_one() -> None:
            for facts in own[:q]:
                one = {k: np.array([v]) for k, v in facts.items()}
                openfisca_population(system, one, "2025")[0]

        for facts in own[:50]:
            one = {k: np.array([v]) for k, v in facts.items()}
            got = bool(openfisca_population(system, one, "2025")[0])
            assert got == evaluate(facts, on=ON)["eligible"], facts
        out["one_rule_openfisca_ns"] = cpu(openfisca_one) / q * 1e9

    # 3. one firm, the whole rule set, five outputs read
    for r in records[:2000]:
        d = rs.evaluate(r, on=ON)
        h = hand_python(r)
        assert all(abs(d[k] - h[k]) <= 1e-9 * max(1.0, abs(h[k])) for k in h)
    tax = rs.evaluate
    k = min(m, 20_000)

    def tax_ours() -> None:
        for r in records[:k]:
            tax(r, on=ON)

    def tax_ours_read() -> None:
        for r in records[:k]:
            d = tax(r, on=ON)
            d["rd_credit"], d["investment_credit"], d["tax_credit"]
            d["general_rd_credit"], d["investment_basic_credit"]

    def tax_hand() -> None:
        for r in records[:k]:
            hand_python(r)

    def tax_hand_read() -> None:
        for r in records[:k]:
            d = hand_python(r)
            d["rd_credit"], d["investment_credit"], d["tax_credit"]
            d["general_rd_credit"], d["investment_basic_credit"]

    for key, fn in (
        ("tax_evaluate_ns", tax_ours),
        ("tax_evaluate_read5_ns", tax_ours_read),
        ("tax_hand_ns", tax_hand),
        ("tax_hand_read5_ns", tax_hand_read),
    ):
        out[key] = cpu(fn) / k * 1e9

    # 4. populations
    ours = rs.evaluate_many(df, on=ON)
    hand = hand_numpy(df)
    for name, values in hand.items():
        assert np.allclose(ours[name], values, rtol=1e-12, atol=0), name
    strings = rs.evaluate_many(raw, on=ON)
    for name, values in hand_numpy_strings(raw).items():
        assert np.allclose(strings[name], values, rtol=1e-12, atol=0), name
    cols = {k: raw[k] for k in ("firm_size", "rsta_field", "nst_rd_expense", "revenue")}
    assert (elig.evaluate_many(cols, on=ON)["eligible"] == hand_eligibility_strings(cols)).all()

    def read(result: Any, names: list[str]) -> None:
        for name in names:
            result[name]

    for key, fn in (
        ("population_ms", lambda: read(rs.evaluate_many(df, on=ON), READ)),
        ("population_hand_ms", lambda: read(hand_numpy(df), READ)),
        ("population_str_ms", lambda: read(rs.evaluate_many(raw, on=ON), READ)),
        ("population_hand_str_ms", lambda: read(hand_numpy_strings(raw), READ)),
        ("one_rule_str_ms", lambda: elig.evaluate_many(cols, on=ON)["eligible"]),
        ("one_rule_hand_str_ms", lambda: hand_eligibility_strings(cols)),
    ):
        out[key] = cpu(fn) * 1e3
    if system is not None:
        got = openfisca_population(system, cols, "2025")
        assert (np.asarray(got) == hand_eligibility_strings(cols)).all()
        out["one_rule_openfisca_ms"] = cpu(lambda: openfisca_population(system, cols, "2025")) * 1e3

    def peak(fn: Callable[[], Any]) -> float:
        gc.collect()
        tracemalloc.start()
        start = tracemalloc.get_traced_memory()[0]
        result = fn()
        read(result, READ)
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        del result
        return (top - start) / 1e6

    out["population_peak_mb"] = peak(lambda: rs.evaluate_many(df, on=ON))
    out["population_hand_peak_mb"] = peak(lambda: hand_numpy(df))

    # 5. per-row dates (a version that has them)
    if "dates" in type(ours).__init__.__code__.co_varnames:
        years = np.random.default_rng(7).integers(2021, 2030, n)
        ends = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]") + np.array(
            364, "timedelta64[D]"
        )
        ends = ends + (years % 4 == 0).astype("timedelta64[D]")  # 31 December
        # firm sizes every year 2021-2029 knows (the graduated classes came later)
        sizes = np.array(["sme", "mid_sized", "large"])[np.arange(n) % 3]
        dated = df.assign(firm_size=pd.Categorical(sizes), tax_year_end=ends)
        by_row = rs.evaluate_many(dated, on="tax_year_end")
        frame = dated.drop(columns="tax_year_end")

        def per_year() -> dict[str, Any]:
            """One call per year, and the outputs read put back in row order."""
            assembled = {name: np.empty(n) for name in READ}
            for year in range(2021, 2030):
                rows = years == year
                result = rs.evaluate_many(frame[rows], on=dt.date(year, 12, 31))
                for name in READ:
                    assembled[name][rows] = result[name]
            return assembled

        for name, values in per_year().items():
            assert np.array_equal(values, by_row[name]), name
        out["per_row_dates_ms"] = (
            cpu(lambda: read(rs.evaluate_many(dated, on="tax_year_end"), READ)) * 1e3
        )
        out["per_year_calls_ms"] = cpu(per_year) * 1e3
    return out


# --- the driver -----------------------------------------------------------------------------------


def run_worker(version: Path | None, args: argparse.Namespace) -> dict[str, Any]:
    env = dict(os.environ)
    if version is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(version), env.get("PYTHONPATH", "")])
    command = [
        sys.executable,
        __file__,
        "--worker",
        f"--rows={args.rows}",
        f"--scalar-rows={args.scalar_rows}",
        f"--peer-rows={args.peer_rows}",
    ]
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def fmt(value: float) -> str:
    return f"{value:,.3g}" if value < 100 else f"{value:,.0f}"


def report(runs: dict[str, list[dict[str, Any]]], args: argparse.Namespace, load: Any) -> None:
    med: dict[str, dict[str, float]] = {}
    for version, results in runs.items():
        keys = {k for r in results for k, v in r.items() if isinstance(v, float)}
        med[version] = {k: statistics.median(r[k] for r in results if k in r) for k in keys}
    versions = list(runs)
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}; "
        f"{args.rounds} rounds per version, interleaved; medians of CPU time; "
        f"load average before {load[0]:.2f}, after {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)"
    )
    for version in versions:
        extra = runs[version][0]
        print(f"  {version}: {extra['library']}; OpenFisca: {extra.get('openfisca')}")
    rows = [
        ("reform: build", "reform_build", "ms"),
        ("reform: build + first evaluate", "reform_build_evaluate", "ms"),
        ("reform: build + first evaluate_many (1,000 firms)", "reform_build_population", "ms"),
        ("evaluate, one firm, one rule (+ read)", "one_rule_evaluate_ns", "ns"),
        ("  plain Python function", "one_rule_plain_ns", "ns"),
        ("  rule-engine", "one_rule_rule_engine_ns", "ns"),
        ("  business-rules", "one_rule_business_rules_ns", "ns"),
        ("  OpenFisca (one-firm simulation)", "one_rule_openfisca_ns", "ns"),
        ("evaluate, one firm, tax credits", "tax_evaluate_ns", "ns"),
        ("  + reading 5 outputs", "tax_evaluate_read5_ns", "ns"),
        ("  hand Python", "tax_hand_ns", "ns"),
        ("  hand Python + reading 5 outputs", "tax_hand_read5_ns", "ns"),
        (f"evaluate_many, {args.rows:,} firms, categorical", "population_ms", "ms"),
        ("  hand numpy", "population_hand_ms", "ms"),
        (f"evaluate_many, {args.rows:,} firms, string columns", "population_str_ms", "ms"),
        ("  hand numpy, strings", "population_hand_str_ms", "ms"),
        ("evaluate_many, one rule, string columns", "one_rule_str_ms", "ms"),
        ("  hand numpy string kernel", "one_rule_hand_str_ms", "ms"),
        ("  OpenFisca (simulation + calculate)", "one_rule_openfisca_ms", "ms"),
        ("evaluate_many extra memory (peak)", "population_peak_mb", "MB"),
        ("  hand numpy extra memory (peak)", "population_hand_peak_mb", "MB"),
        ("per-row dates, 2021-2029, one call", "per_row_dates_ms", "ms"),
        ("  one call per year", "per_year_calls_ms", "ms"),
    ]
    head = "| measurement | " + " | ".join(versions) + " |"
    print("\n" + head + "\n|---|" + "---|" * len(versions))
    for label, key, unit in rows:
        cells = [fmt(med[v][key]) + f" {unit}" if key in med[v] else "-" for v in versions]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("\nratios (same run, medians):")
    for version in versions:
        v = med[version]

        def ratio(a: str, b: str, v: dict[str, float] = v) -> str:
            return f"{v[a] / v[b]:.2f}" if a in v and b in v else "-"

        read_cost = (v["tax_evaluate_read5_ns"] - v["tax_evaluate_ns"]) / 5
        dict_cost = (v["tax_hand_read5_ns"] - v["tax_hand_ns"]) / 5
        print(
            f"  {version}: one rule {ratio('one_rule_evaluate_ns', 'one_rule_plain_ns')}x plain Python, "
            f"{v['one_rule_rule_engine_ns'] / v['one_rule_evaluate_ns']:.0f}x faster than rule-engine, "
            f"{v['one_rule_business_rules_ns'] / v['one_rule_evaluate_ns']:.0f}x than business-rules"
            + (
                f", {v['one_rule_openfisca_ns'] / v['one_rule_evaluate_ns']:.0f}x than OpenFisca"
                if "one_rule_openfisca_ns" in v
                else ""
            )
            + f"; tax decision {v['tax_hand_ns'] / v['tax_evaluate_ns']:.2f}x hand speed, "
            f"{v['tax_hand_read5_ns'] / v['tax_evaluate_read5_ns']:.2f}x with 5 reads "
            f"(a read {read_cost:.0f} ns, a dict look-up {dict_cost:.0f} ns); "
            f"population {ratio('population_ms', 'population_hand_ms')}x hand (categorical), "
            f"{ratio('population_str_ms', 'population_hand_str_ms')}x (strings); one rule on strings "
            f"{ratio('one_rule_str_ms', 'one_rule_hand_str_ms')}x hand; memory "
            f"{ratio('population_peak_mb', 'population_hand_peak_mb')}x hand"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="firms in the population")
    parser.add_argument("--scalar-rows", type=int, default=100_000, help="firms, per-firm loops")
    parser.add_argument("--peer-rows", type=int, default=5_000, help="firms for the peers")
    parser.add_argument("--rounds", type=int, default=5, help="worker runs per version")
    parser.add_argument("--before", type=Path, help="source tree (src/) of an earlier version")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(measure(args)))
        return
    load = os.getloadavg()
    runs: dict[str, list[dict[str, Any]]] = (
        {"before": [], "after": []} if args.before else {"after": []}
    )
    for i in range(args.rounds):
        for version in runs:
            path = args.before if version == "before" else None
            runs[version].append(run_worker(path, args))
            print(f"round {i + 1}/{args.rounds}: {version} done", file=sys.stderr)
    report(runs, args, load)


if __name__ == "__main__":
    main()
