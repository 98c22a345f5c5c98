"""The built-in Korea rule sets give the credits the statute's rates give, computed by hand.

The expected values are computed in this file from the rates of the Restriction of Special
Taxation Act written out below (from the project's reference data,
shared/reference/kr_tax_credit_rates.yaml), never from the engine's output.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from stratpolicy.catalogs.korea import rd_matching, tax_credits
from stratpolicy.errors import ValidationError

# --- the statute's rates, by tax year ------------------------------------------------------------

SIZES = ("sme", "sme_graduated", "mid_sized", "large")

# RSTA Art. 10(1)2: NST R&D credit base rate (graduated-SME tier from 2025, assumed)
RD_BASE = {y: {"sme": 0.40, "mid_sized": 0.30, "large": 0.30} for y in range(2021, 2025)}
RD_BASE.update(
    {
        y: {"sme": 0.40, "sme_graduated": 0.35, "mid_sized": 0.30, "large": 0.30}
        for y in range(2025, 2032)
    }
)
RD_ADDON_MULTIPLIER = 3
RD_ADDON_CAP = 0.10

# RSTA Art. 24: NST facility credit basic rate by tax year
FACILITY_BASIC = {
    2021: {"sme": 0.16, "mid_sized": 0.08, "large": 0.06},
    2022: {"sme": 0.16, "mid_sized": 0.08, "large": 0.06},
    2023: {"sme": 0.25, "mid_sized": 0.15, "large": 0.15},
    2024: {"sme": 0.25, "mid_sized": 0.15, "large": 0.15},
}
for _y in range(2025, 2030):
    FACILITY_BASIC[_y] = {"sme": 0.25, "sme_graduated": 0.20, "mid_sized": 0.15, "large": 0.15}
FACILITY_SEMICONDUCTOR = {
    y: {"sme": 0.30, "sme_graduated": 0.25, "mid_sized": 0.20, "large": 0.20}
    for y in range(2025, 2030)
}
ADDITIONAL = {2021: 0.04, 2022: 0.04, 2023: 0.04, 2024: 0.04}
ADDITIONAL.update(dict.fromkeys(range(2025, 2030), 0.1))
ADDITIONAL_TEMPORARY = {2023: 0.10, 2024: 0.10, 2025: 0.10}
ADDITIONAL_CAP_MULTIPLE_FROM_2025 = 2


def expected_rd(year: int, size: str, expense: float, revenue: float) -> tuple[float, float]:
    rate = RD_BASE[year][size] + min(RD_ADDON_CAP, RD_ADDON_MULTIPLIER * expense / revenue)
    return rate, expense * rate


def expected_facility(
    year: int, size: str, investment: float, average: float, semiconductor: bool, temporary: bool
) -> tuple[float, float, float]:
    table = FACILITY_SEMICONDUCTOR if (semiconductor and year >= 2025) else FACILITY_BASIC
    basic = table[year][size] * investment
    rate = (
        ADDITIONAL_TEMPORARY[year]
        if (temporary and year in ADDITIONAL_TEMPORARY)
        else ADDITIONAL[year]
    )
    additional = rate * max(0.0, investment - average)
    if year >= 2025:
        additional = min(additional, ADDITIONAL_CAP_MULTIPLE_FROM_2025 * basic)
    return basic, additional, basic + additional


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return tax_credits()


CASES = list(
    itertools.product(
        range(2021, 2030),
        SIZES,
        (False, True),  # semiconductor
        (False, True),  # temporary credit elected
        ((1e9, 2e10), (1e9, 1e11)),  # (NST R&D expense, revenue): add-on capped / not capped
        ((5e9, 3e9), (4e9, 6e9)),  # (investment, prior 3-year average): increase / none
    )
)


@pytest.mark.parametrize(("year", "size", "semi", "temporary", "rd", "fac"), CASES)
def test_credits_match_the_statute_by_hand(rules, year, size, semi, temporary, rd, fac) -> None:  # type: ignore[no-untyped-def]
    expense, revenue = rd
    investment, average = fac
    facts = {
        "firm_size": size,
        "rsta_field": "semiconductors",
        "nst_rd_expense": expense,
        "revenue": revenue,
        "nst_facility_investment": investment,
        "prior_3yr_avg_investment": average,
        "semiconductor": semi,
        "temporary_credit_elected": temporary,
    }
    on = dt.date(year, 12, 31)
    if size == "sme_graduated" and year < 2025:
        # the graduated-SME tier does not exist before 2025: the engine says so
        with pytest.raises(ValidationError, match="sme_graduated"):
            rules.evaluate(facts, on=on)
        return
    d = rules.evaluate(facts, on=on)
    rate, credit = expected_rd(year, size, expense, revenue)
    basic, additional, total = expected_facility(year, size, investment, average, semi, temporary)
    assert d["rd_credit_rate"] == pytest.approx(rate, rel=1e-12)
    assert d["rd_credit"] == pytest.approx(credit, rel=1e-12)
    assert d["facility_basic_credit"] == pytest.approx(basic, rel=1e-12)
    assert d["facility_additional_credit"] == pytest.approx(additional, rel=1e-12)
    assert d["facility_credit"] == pytest.approx(total, rel=1e-12)


def test_a_worked_example_in_numbers(rules) -> None:  # type: ignore[no-untyped-def]
    # 2025, SME, semiconductor facility, temporary credit elected:
    # R&D: 1e9 * (0.40 + min(0.10, 3 * 1e9 / 1e11 = 0.03)) = 430,000,000
    # facility: basic 0.30 * 5e9 = 1.5e9; additional 0.10 * (5e9 - 3e9) = 2e8 (cap 3e9)
    d = rules.evaluate(
        {
            "firm_size": "sme",
            "rsta_field": "semiconductors",
            "nst_rd_expense": 1e9,
            "revenue": 1e11,
            "nst_facility_investment": 5e9,
            "prior_3yr_avg_investment": 3e9,
            "semiconductor": True,
            "temporary_credit_elected": True,
        },
        on=dt.date(2025, 6, 30),
    )
    assert round(d["rd_credit"]) == 430_000_000
    assert round(d["facility_basic_credit"]) == 1_500_000_000
    assert round(d["facility_additional_credit"]) == 200_000_000
    assert round(d["facility_credit"]) == 1_700_000_000
    assert "facility_additional_temporary_2025" in d.fired


def test_rates_stay_within_the_statutory_maximum(rules) -> None:  # type: ignore[no-untyped-def]
    # Art. 10(1)2 maximum R&D rates with the add-on: 50 % SME, 45 % graduated, 40 % others
    maximum = {"sme": 0.50, "sme_graduated": 0.45, "mid_sized": 0.40, "large": 0.40}
    for size, cap in maximum.items():
        d = rules.evaluate(
            {"firm_size": size, "rsta_field": "vaccines", "nst_rd_expense": 9e9, "revenue": 1e10},
            on=dt.date(2026, 3, 1),
        )
        assert d["rd_credit_rate"] == pytest.approx(cap)


def test_temporary_credit_counts_only_in_2023_to_2025(rules) -> None:  # type: ignore[no-untyped-def]
    facts = {
        "firm_size": "large",
        "rsta_field": "secondary_batteries",
        "nst_facility_investment": 10e9,
        "prior_3yr_avg_investment": 6e9,
        "temporary_credit_elected": True,
    }
    # increase 4e9: 4 % normally, 10 % with the temporary credit in 2023-2024
    assert rules.evaluate(facts, on=dt.date(2022, 12, 31))[
        "facility_additional_credit"
    ] == pytest.approx(0.04 * 4e9)
    assert rules.evaluate(facts, on=dt.date(2023, 12, 31))[
        "facility_additional_credit"
    ] == pytest.approx(0.10 * 4e9)
    assert rules.evaluate(facts, on=dt.date(2024, 12, 31))[
        "facility_additional_credit"
    ] == pytest.approx(0.10 * 4e9)
    not_elected = {**facts, "temporary_credit_elected": False}
    assert rules.evaluate(not_elected, on=dt.date(2024, 12, 31))[
        "facility_additional_credit"
    ] == pytest.approx(0.04 * 4e9)
    d = rules.evaluate(facts, on=dt.date(2026, 12, 31))
    assert d["facility_additional_credit"] == pytest.approx(0.10 * 4e9)
    assert "facility_additional_2025" in d.fired


# --- field eligibility by date --------------------------------------------------------------------

# (field, last day not eligible, first day eligible); where the reference gives a year or
# month only, the first day of that year or month is used
ADDED = [
    ("semiconductors", dt.date(2021, 6, 30), dt.date(2021, 7, 1)),
    ("secondary_batteries", dt.date(2021, 6, 30), dt.date(2021, 7, 1)),
    ("vaccines", dt.date(2021, 6, 30), dt.date(2021, 7, 1)),
    ("displays", dt.date(2022, 12, 31), dt.date(2023, 1, 1)),
    ("hydrogen", dt.date(2023, 4, 10), dt.date(2023, 4, 11)),
    ("future_mobility", dt.date(2023, 4, 10), dt.date(2023, 4, 11)),
    ("biopharmaceuticals", dt.date(2023, 6, 30), dt.date(2023, 7, 1)),
    ("artificial_intelligence", dt.date(2024, 12, 31), dt.date(2025, 1, 1)),
]


@pytest.mark.parametrize(("field", "before", "from_"), ADDED)
def test_fields_become_eligible_on_the_day_they_were_added(rules, field, before, from_) -> None:  # type: ignore[no-untyped-def]
    facts = {"firm_size": "large", "rsta_field": field, "nst_rd_expense": 1e9, "revenue": 1e11}
    assert rules.evaluate(facts, on=before)["rd_credit"] == 0.0
    after = rules.evaluate(facts, on=from_)
    base = RD_BASE[from_.year]["large"]
    assert after["rd_credit"] == pytest.approx(1e9 * (base + 0.03))


def test_a_firm_outside_the_list_is_told_why(rules) -> None:  # type: ignore[no-untyped-def]
    d = rules.evaluate(
        {
            "firm_size": "sme",
            "rsta_field": "artificial_intelligence",
            "nst_rd_expense": 1e9,
            "revenue": 1e10,
        },
        on=dt.date(2024, 6, 30),
    )
    assert d["rd_credit"] == 0.0
    trace = d.explain().rule("rd_nst_rate")
    assert trace.status == "not_fired"
    assert trace.clauses[0] == ("rsta_field in rsta_nst_fields", False)
    fields = next(u for u in trace.used if u.name == "rsta_nst_fields")
    assert "artificial_intelligence" not in fields.value
    assert fields.effective_from == dt.date(2023, 7, 1)
    assert fields.citation is not None and fields.citation.url
    text = str(d.explain())
    assert "rsta_field in rsta_nst_fields -> false" in text
    assert "in force from 2023-07-01" in text


def test_other_fields_never_earn_the_nst_credit(rules) -> None:  # type: ignore[no-untyped-def]
    for year in range(2021, 2030):
        d = rules.evaluate(
            {
                "firm_size": "sme",
                "rsta_field": "other",
                "nst_rd_expense": 1e9,
                "revenue": 1e10,
                "nst_facility_investment": 1e9,
                "prior_3yr_avg_investment": 0.0,
            },
            on=dt.date(year, 12, 31),
        )
        assert d["rd_credit"] == 0.0
        assert d["facility_credit"] == 0.0


def test_semiconductor_rd_continues_to_2031(rules) -> None:  # type: ignore[no-untyped-def]
    facts = {"firm_size": "mid_sized", "nst_rd_expense": 1e9, "revenue": 1e11}
    semis = rules.evaluate({**facts, "rsta_field": "semiconductors"}, on=dt.date(2031, 12, 31))
    assert semis["rd_credit"] == pytest.approx(1e9 * (0.30 + 0.03))
    assert (
        rules.evaluate({**facts, "rsta_field": "vaccines"}, on=dt.date(2030, 6, 30))["rd_credit"]
        == 0.0
    )
    assert (
        rules.evaluate({**facts, "rsta_field": "semiconductors"}, on=dt.date(2032, 1, 1))[
            "rd_credit"
        ]
        == 0.0
    )


def test_the_2022_large_firm_8_percent_is_left_out(rules) -> None:  # type: ignore[no-untyped-def]
    facts = {
        "firm_size": "large",
        "rsta_field": "semiconductors",
        "nst_facility_investment": 1e9,
        "prior_3yr_avg_investment": 1e9,
    }
    assert rules.evaluate(facts, on=dt.date(2022, 12, 31))[
        "facility_basic_credit"
    ] == pytest.approx(0.06 * 1e9)


def test_a_facility_only_firm_needs_no_revenue(rules) -> None:  # type: ignore[no-untyped-def]
    d = rules.evaluate(
        {
            "firm_size": "sme",
            "rsta_field": "hydrogen",
            "nst_facility_investment": 1e9,
            "prior_3yr_avg_investment": 0.0,
        },
        on=dt.date(2024, 1, 1),
    )
    assert d["rd_credit"] == 0.0
    assert d["facility_credit"] == pytest.approx(0.25 * 1e9 + 0.04 * 1e9)
    with pytest.raises(ValidationError, match="revenue"):
        rules.evaluate(
            {"firm_size": "sme", "rsta_field": "hydrogen", "nst_rd_expense": 1e9},
            on=dt.date(2024, 1, 1),
        )


def test_every_rate_is_dated_and_cited(rules) -> None:  # type: ignore[no-untyped-def]
    for parameter in rules.parameters:
        for value in parameter.values:
            assert value.start is not None
            assert value.citation is not None
            assert value.citation.act and value.citation.article and value.citation.url
    for rule in rules.rules:
        assert rule.citation is not None and rule.citation.article
        assert rule.valid_from is not None and rule.valid_to is not None
    notes = " ".join(v.citation.note for p in rules.parameters for v in p.values if v.citation)
    assert "ASSUMED" in notes  # the graduated-SME tier's first tax year
    assert "first day" in notes  # completed dates say so


def test_uses_exactly_the_names_of_the_issue(rules) -> None:  # type: ignore[no-untyped-def]
    assert set(rules.input_names) == {
        "firm_size",
        "rsta_field",
        "nst_rd_expense",
        "revenue",
        "nst_facility_investment",
        "prior_3yr_avg_investment",
        "temporary_credit_elected",
        "semiconductor",
    }
    assert set(rules.output_names) == {
        "rd_credit_rate",
        "rd_credit",
        "facility_basic_credit",
        "facility_additional_credit",
        "facility_credit",
    }
    money = {i.name for i in rules.inputs if i.type.value == "money"}
    assert all(i.unit == "KRW" for i in rules.inputs if i.name in money)


def test_population_equals_one_by_one(rules) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    rows = [
        {
            "firm_size": s,
            "rsta_field": f,
            "nst_rd_expense": e,
            "revenue": 1e10,
            "nst_facility_investment": i,
            "prior_3yr_avg_investment": 2e9,
            "semiconductor": semi,
            "temporary_credit_elected": t,
        }
        for s, f, e, i, semi, t in itertools.product(
            ("sme", "mid_sized", "large"),
            ("semiconductors", "artificial_intelligence", "other"),
            (0.0, 5e8),
            (0.0, 3e9),
            (False, True),
            (False, True),
        )
    ]
    table = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    on = dt.date(2024, 12, 31)
    result = rules.evaluate_many(table, on=on)
    for n, row in enumerate(rows):
        d = rules.evaluate(row, on=on)
        for name in rules.output_names:
            assert result[name][n] == d[name]


# --- R&D cost-sharing caps ------------------------------------------------------------------------

# Decree Art. 19(1) annex: (government share at most, cash part of own contribution at least)
CAPS = {"large": (0.50, 0.15), "mid_sized": (0.70, 0.13), "sme": (0.75, 0.10)}


@pytest.mark.parametrize("size", sorted(CAPS))
@pytest.mark.parametrize("share", [0.40, 0.50, 0.70, 0.75, 0.80])
@pytest.mark.parametrize("cash", [0.05, 0.10, 0.13, 0.15, 0.20])
def test_matching_caps_by_hand(size: str, share: float, cash: float) -> None:
    total = 1_000_000_000.0
    government = share * total
    own = total - government
    facts = {
        "firm_size": size,
        "total_rd_cost": total,
        "government_contribution": government,
        "own_cash_contribution": cash * own,
    }
    d = rd_matching().evaluate(facts, on=dt.date(2026, 1, 1))
    cap, minimum = CAPS[size]
    assert d["government_share_ok"] is (government <= cap * total)
    assert d["cash_ratio_ok"] is (cash * own >= minimum * own)
    assert d["compliant"] is (d["government_share_ok"] and d["cash_ratio_ok"])
    assert d["max_government_contribution"] == pytest.approx(cap * total)
    assert d["min_own_cash_contribution"] == pytest.approx(minimum * own)
    assert d["government_share"] == pytest.approx(share)


def test_other_organisations_have_no_cap() -> None:
    d = rd_matching().evaluate(
        {"firm_size": "other", "total_rd_cost": 1e9, "government_contribution": 1e9},
        on=dt.date(2026, 1, 1),
    )
    assert d["compliant"] is True
    assert "max_government_contribution" not in d
    assert d.explain().rule("government_share_cap").status == "not_fired"


def test_catalog_round_trips_through_the_file_format() -> None:
    from stratpolicy import io

    for rs in (tax_credits(), rd_matching()):
        for fmt in ("yaml", "json", "toml"):
            assert io.loads(io.dumps(rs, fmt), fmt) == rs
