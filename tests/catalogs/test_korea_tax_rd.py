"""The RSTA Art. 10(1) R&D credit, all three tiers, computed by hand at every boundary date.

The rates below are copied from the statute and decree texts (every version from 법률
제17759호 to 법률 제21223호, as summarised in shared/reference/kr_rsta_rd_credit_tiers.yaml);
every expected value is computed in this file from them, never taken from the engine.
"""

from __future__ import annotations

import datetime as dt

import pytest

from stratpolicy.catalogs.korea import tax_credits
from stratpolicy.errors import ValidationError

D = dt.date
BN = 1e9  # one billion KRW

SIZES = (
    "sme",
    "sme_graduated",
    "sme_graduated_y4_5",
    "sme_graduated_pre2025",
    "sme_graduated_pre2025_y4_5",
    "mid_sized",
    "large",
)
# Firms that first ceased to be SMEs in a tax year beginning on or after 2025-01-01
# (법률 제20617호 addendum Art. 3(1)): they cannot exist in an earlier tax year.
NEW_GRADUATES = ("sme_graduated", "sme_graduated_y4_5")

# Average sales of the three preceding years: below the 500 bn KRW of decree Art. 9(4)4, so a
# mid-sized or graduated firm is a 중견기업 for Art. 10.
MID_SALES = 400 * BN
NO_PRIOR_GENERAL = {"prior_year_general_rd_expense": 0.0, "prior_4yr_avg_general_rd_expense": 0.0}

# --- the statute's rates --------------------------------------------------------------------------


def ng_base(size: str, year: int) -> float:
    """1호가: SME 30 %, others 20 %; graduated SME 25 % from 2025 (법률 제20617호)."""
    if size == "sme":
        return 0.30
    if size == "sme_graduated" and year >= 2025:
        return 0.25
    return 0.20


def nst_base(size: str, year: int) -> float:
    """2호가: SME 40 %, others 30 %; graduated SME 35 % from 2025 (법률 제20617호)."""
    if size == "sme":
        return 0.40
    if size == "sme_graduated" and year >= 2025:
        return 0.35
    return 0.30


ADDON_CAP = 0.10  # 1호나, 2호나
MULTIPLIER = 3  # decree Art. 9(5), 대통령령 제32413호


def current_year_rate(size: str, year: int, general: float, revenue: float) -> float:
    """3호나 for a firm whose average sales are MID_SALES (a 중견기업)."""
    if size == "sme":
        return 0.25
    if size == "sme_graduated_pre2025":
        return 0.15  # 법률 제17759호 3호나2)가); kept by 법률 제20617호 addendum Art. 3(1)
    if size == "sme_graduated_pre2025_y4_5":
        return 0.10  # 3호나2)나)
    if size == "sme_graduated":
        return 0.20  # 법률 제20617호 3호나2)가)
    if size == "sme_graduated_y4_5":
        return 0.15  # 법률 제20617호 3호나2)나)
    if size == "mid_sized":
        return 0.08  # 3호나3)
    return min(0.02, 0.5 * general / revenue)  # 3호나4)


INCREMENTAL = {"sme": 0.50, "mid_sized": 0.40, "large": 0.25}  # 3호가


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return tax_credits()


def facts(size: str, **kw: object) -> dict[str, object]:
    base: dict[str, object] = {"firm_size": size, "revenue": 100 * BN}
    if size not in ("sme", "large"):
        base["prior_3yr_avg_sales"] = MID_SALES
    base.update(kw)
    return base


# --- worked examples, one per boundary, arithmetic written out -------------------------------------


def test_worked_examples(rules) -> None:  # type: ignore[no-untyped-def]
    nst = {"nst_rd_expense": 1 * BN, **NO_PRIOR_GENERAL}
    # 2021-06-30: semiconductor R&D is not yet NST (from 2021-07-01, 법률 제18634호 addendum
    # Art. 4): it is general R&D; an SME with no general R&D in the 4 years before: 25 %.
    d = rules.evaluate(facts("sme", rsta_field="semiconductors", **nst), on=D(2021, 6, 30))
    assert d["rd_credit"] == pytest.approx(1e9 * 0.25)
    assert d["nst_rd_credit"] == 0.0 and d["general_rd_method"] == "current_year"
    # 2021-07-01: NST. 1e9 * (0.40 + min(0.10, 3 * 1e9 / 1e11)) = 430,000,000
    d = rules.evaluate(facts("sme", rsta_field="semiconductors", **nst), on=D(2021, 7, 1))
    assert d["nst_rd_credit"] == pytest.approx(1e9 * (0.40 + min(0.10, 3 * 1e9 / 1e11)))
    assert d["rd_credit"] == pytest.approx(430_000_000)
    # 2022-12-31 / 2023-01-01: hydrogen joins (법률 제19328호 addendum Art. 2(1)); large firm,
    # before: general R&D at min(0.02, 0.5 * 1e9 / 1e11) = 0.005
    before = rules.evaluate(facts("large", rsta_field="hydrogen", **nst), on=D(2022, 12, 31))
    assert before["rd_credit"] == pytest.approx(1e9 * min(0.02, 0.5 * 1e9 / 1e11))
    after = rules.evaluate(facts("large", rsta_field="hydrogen", **nst), on=D(2023, 1, 1))
    assert after["rd_credit"] == pytest.approx(1e9 * (0.30 + min(0.10, 3 * 1e9 / 1e11)))
    # 2023-06-30 / 2023-07-01: biopharmaceuticals (대통령령 제33682호 addendum Art. 3);
    # mid-sized 중견기업: general R&D 8 %, then 30 % + 3 %
    before = rules.evaluate(
        facts("mid_sized", rsta_field="biopharmaceuticals", **nst), on=D(2023, 6, 30)
    )
    assert before["rd_credit"] == pytest.approx(1e9 * 0.08)
    after = rules.evaluate(
        facts("mid_sized", rsta_field="biopharmaceuticals", **nst), on=D(2023, 7, 1)
    )
    assert after["rd_credit"] == pytest.approx(1e9 * (0.30 + 0.03))
    # 2024-12-31 / 2025-01-01: AI (법률 제20778호 addendum Art. 3(1)); SME 25 %, then 40 % + 3 %
    before = rules.evaluate(
        facts("sme", rsta_field="artificial_intelligence", **nst), on=D(2024, 12, 31)
    )
    assert before["rd_credit"] == pytest.approx(1e9 * 0.25)
    after = rules.evaluate(
        facts("sme", rsta_field="artificial_intelligence", **nst), on=D(2025, 1, 1)
    )
    assert after["rd_credit"] == pytest.approx(1e9 * (0.40 + 0.03))
    # 2029-12-31 / 2030-01-01: vaccines end, semiconductors go on (to 2031-12-31)
    vaccines = facts("sme_graduated", rsta_field="vaccines", **nst)
    assert rules.evaluate(vaccines, on=D(2029, 12, 31))["rd_credit"] == pytest.approx(
        1e9 * (0.35 + 0.03)
    )
    # graduated SME (years 1-3, 2025 regime) as general R&D: 20 %
    assert rules.evaluate(vaccines, on=D(2030, 1, 1))["rd_credit"] == pytest.approx(1e9 * 0.20)
    chips = facts("sme_graduated", rsta_field="semiconductors", **nst)
    assert rules.evaluate(chips, on=D(2030, 1, 1))["rd_credit"] == pytest.approx(
        1e9 * (0.35 + 0.03)
    )
    # 2031-12-31 / 2032-01-01: semiconductors end
    assert rules.evaluate(chips, on=D(2031, 12, 31))["rd_credit"] == pytest.approx(
        1e9 * (0.35 + 0.03)
    )
    assert rules.evaluate(chips, on=D(2032, 1, 1))["rd_credit"] == pytest.approx(1e9 * 0.20)


# --- 2호: each field's start date and the sunsets, every firm size ---------------------------------

FIELD_STARTS = [
    # (field, last day before, first day) -- from the addenda
    ("semiconductors", D(2021, 6, 30), D(2021, 7, 1)),  # 법률 제18634호 부칙 Art. 4
    ("secondary_batteries", D(2021, 6, 30), D(2021, 7, 1)),
    ("vaccines", D(2021, 6, 30), D(2021, 7, 1)),
    ("displays", D(2022, 12, 31), D(2023, 1, 1)),  # 대통령령 제33264호 부칙 Art. 9
    ("hydrogen", D(2022, 12, 31), D(2023, 1, 1)),  # 법률 제19328호 부칙 Art. 2(1)
    ("future_mobility", D(2022, 12, 31), D(2023, 1, 1)),
    ("biopharmaceuticals", D(2023, 6, 30), D(2023, 7, 1)),  # 대통령령 제33682호 부칙 Art. 3
    ("artificial_intelligence", D(2024, 12, 31), D(2025, 1, 1)),  # 법률 제20778호 부칙 Art. 3(1)
]
FIELD_ENDS = [
    # (field, last day, first day after) -- Art. 10(1) lead sentence, 법률 제20778호
    ("vaccines", D(2029, 12, 31), D(2030, 1, 1)),
    ("displays", D(2029, 12, 31), D(2030, 1, 1)),
    ("artificial_intelligence", D(2029, 12, 31), D(2030, 1, 1)),
    ("semiconductors", D(2031, 12, 31), D(2032, 1, 1)),
]
EXPENSE, REVENUE = 2 * BN, 100 * BN  # intensity 2 %: add-on 3 * 0.02 = 0.06


def expected_nst(size: str, year: int) -> float:
    return EXPENSE * (nst_base(size, year) + min(ADDON_CAP, MULTIPLIER * EXPENSE / REVENUE))


def expected_as_general(size: str, year: int) -> float:
    return EXPENSE * current_year_rate(size, year, EXPENSE, REVENUE)


def check_nst_or_general(rules, field: str, on: dt.date, size: str, nst: bool) -> None:  # type: ignore[no-untyped-def]
    f = facts(size, rsta_field=field, nst_rd_expense=EXPENSE, revenue=REVENUE, **NO_PRIOR_GENERAL)
    if size in NEW_GRADUATES and on.year < 2025:
        with pytest.raises(ValidationError, match=size):
            rules.evaluate(f, on=on)
        return
    d = rules.evaluate(f, on=on)
    if nst:
        assert d["nst_rd_eligible"] is True
        assert d["nst_rd_credit"] == pytest.approx(expected_nst(size, on.year), rel=1e-12)
        assert d["general_rd_credit"] == 0.0
        assert d["rd_credit"] == pytest.approx(expected_nst(size, on.year), rel=1e-12)
    else:
        assert d["nst_rd_eligible"] is False and d["nst_rd_credit"] == 0.0
        assert d["general_rd_amount"] == EXPENSE
        assert d["rd_credit"] == pytest.approx(expected_as_general(size, on.year), rel=1e-12)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("field", "before", "first"), FIELD_STARTS)
def test_nst_fields_start_on_the_addendum_date(rules, field, before, first, size) -> None:  # type: ignore[no-untyped-def]
    check_nst_or_general(rules, field, before, size, nst=False)
    check_nst_or_general(rules, field, first, size, nst=True)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("field", "last", "after"), FIELD_ENDS)
def test_nst_r_and_d_ends_at_the_sunset(rules, field, last, after, size) -> None:  # type: ignore[no-untyped-def]
    check_nst_or_general(rules, field, last, size, nst=True)
    check_nst_or_general(rules, field, after, size, nst=False)


@pytest.mark.parametrize(
    ("size", "on", "rate"),
    [
        # the add-on is capped at 10 points: 1e9 * (base + min(0.10, 3 * 9e9 / 1e10))
        ("sme", D(2024, 12, 31), 0.40 + 0.10),
        ("large", D(2024, 12, 31), 0.30 + 0.10),
        ("sme", D(2025, 1, 1), 0.40 + 0.10),
        ("sme_graduated", D(2025, 1, 1), 0.35 + 0.10),
        ("mid_sized", D(2025, 1, 1), 0.30 + 0.10),
    ],
)
def test_nst_add_on_is_capped(rules, size, on, rate) -> None:  # type: ignore[no-untyped-def]
    d = rules.evaluate(
        facts(size, rsta_field="vaccines", nst_rd_expense=9 * BN, revenue=10 * BN), on=on
    )
    assert MULTIPLIER * 9e9 / 1e10 > 0.10  # the cap binds
    assert d["nst_rd_credit_rate"] == pytest.approx(rate)
    assert d["nst_rd_credit"] == pytest.approx(9e9 * rate)


# --- 1호 new-growth / source technology -----------------------------------------------------------

NG_DATES = [D(2021, 1, 1), D(2021, 12, 31), D(2022, 1, 1), D(2024, 12, 31), D(2025, 1, 1)]
NG_DATES += [D(2025, 12, 31), D(2026, 1, 1), D(2029, 12, 31)]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("on", NG_DATES)
@pytest.mark.parametrize("expense", [1 * BN, 5 * BN])  # add-on 3 % / capped at 10 %
def test_new_growth_tier(rules, on, size, expense) -> None:  # type: ignore[no-untyped-def]
    f = facts(size, new_growth_rd_expense=expense)
    if size in NEW_GRADUATES and on.year < 2025:
        with pytest.raises(ValidationError, match=size):
            rules.evaluate(f, on=on)
        return
    d = rules.evaluate(f, on=on)
    rate = ng_base(size, on.year) + min(ADDON_CAP, MULTIPLIER * expense / 100e9)
    assert d["new_growth_rd_credit_rate"] == pytest.approx(rate, rel=1e-12)
    assert d["new_growth_rd_credit"] == pytest.approx(expense * rate, rel=1e-12)
    assert d["rd_credit"] == pytest.approx(expense * rate, rel=1e-12)


def test_new_growth_tier_ends_2029_and_becomes_general_r_and_d(rules) -> None:  # type: ignore[no-untyped-def]
    f = facts("sme", new_growth_rd_expense=1 * BN, **NO_PRIOR_GENERAL)
    # 2029-12-31: 1e9 * (0.30 + min(0.10, 3 * 1e9 / 1e11))
    assert rules.evaluate(f, on=D(2029, 12, 31))["rd_credit"] == pytest.approx(1e9 * 0.33)
    # 2030-01-01: sunset passed; general R&D of an SME, current-year method 25 %
    d = rules.evaluate(f, on=D(2030, 1, 1))
    assert d["new_growth_rd_credit"] == 0.0
    assert d["rd_credit"] == pytest.approx(1e9 * 0.25)


@pytest.mark.parametrize(
    ("on", "sales", "rate"),
    [
        # 코스닥상장중견기업 (Art. 10(1)1가2), 1나, to tax year 2024): 4e9 / 1e11 = 4 %, 3 x = 0.12
        (D(2021, 1, 1), 400 * BN, 0.25 + min(0.15, 0.12)),
        (D(2024, 12, 31), 400 * BN, 0.25 + min(0.15, 0.12)),
        (D(2024, 12, 31), 499_999_999_999.0, 0.25 + min(0.15, 0.12)),
        # average sales of 500 bn KRW are not 'below 500 bn': not a 중견기업 (decree Art. 9(4)4)
        (D(2024, 12, 31), 500 * BN, 0.20 + min(0.10, 0.12)),
        # abolished from tax year 2025 (법률 제20617호)
        (D(2025, 1, 1), 400 * BN, 0.20 + min(0.10, 0.12)),
    ],
)
def test_kosdaq_listed_mid_sized_rates_to_2024(rules, on, sales, rate) -> None:  # type: ignore[no-untyped-def]
    f = {
        "firm_size": "mid_sized",
        "kosdaq_listed": True,
        "prior_3yr_avg_sales": sales,
        "new_growth_rd_expense": 4 * BN,
        "revenue": 100 * BN,
    }
    d = rules.evaluate(f, on=on)
    assert d["new_growth_rd_credit_rate"] == pytest.approx(rate)
    assert d["new_growth_rd_credit"] == pytest.approx(4e9 * rate)


def test_kosdaq_cap_is_15_points(rules) -> None:  # type: ignore[no-untyped-def]
    f = {
        "firm_size": "sme_graduated_pre2025",
        "kosdaq_listed": True,
        "prior_3yr_avg_sales": 100 * BN,
        "new_growth_rd_expense": 8 * BN,
        "revenue": 100 * BN,
    }
    # 3 * 8e9 / 1e11 = 0.24 -> capped at 0.15: 8e9 * (0.25 + 0.15)
    assert rules.evaluate(f, on=D(2023, 5, 1))["new_growth_rd_credit"] == pytest.approx(8e9 * 0.40)
    # a KOSDAQ-listed SME or large firm is not a 코스닥상장중견기업
    for size in ("sme", "large"):
        d = rules.evaluate({**f, "firm_size": size}, on=D(2023, 5, 1))
        assert d["new_growth_rd_credit"] == pytest.approx(8e9 * (ng_base(size, 2023) + 0.10))


# --- 3호 general R&D: the two methods and the rule for choosing -------------------------------------


@pytest.mark.parametrize(
    ("current", "prior", "average", "method", "credit"),
    [
        # SME, rates 50 % (incremental) / 25 % (current-year)
        # incremental allowed (prior 1e9 >= average 1e9) and larger: 0.50 * (3e9 - 1e9) = 1e9
        (3 * BN, 1 * BN, 1 * BN, "incremental", 0.50 * (3e9 - 1e9)),
        # allowed but smaller: 0.50 * (3e9 - 2.9e9) = 5e7 < 0.25 * 3e9 = 7.5e8
        (3 * BN, 2.9 * BN, 2 * BN, "current_year", 0.25 * 3e9),
        # prior year below the 4-year average: only the current-year method, although
        # 0.50 * (3e9 - 1e9) = 1e9 would be larger
        (3 * BN, 1 * BN, 1.2 * BN, "current_year", 0.25 * 3e9),
        # no general R&D in the 4 preceding years (average 0): only the current-year method
        (3 * BN, 0.0, 0.0, "current_year", 0.25 * 3e9),
        # spending fell: the incremental method gives 0, the current-year method applies
        (1 * BN, 2 * BN, 2 * BN, "current_year", 0.25 * 1e9),
    ],
)
def test_general_tier_method_choice(rules, current, prior, average, method, credit) -> None:  # type: ignore[no-untyped-def]
    d = rules.evaluate(
        {
            "firm_size": "sme",
            "general_rd_expense": current,
            "prior_year_general_rd_expense": prior,
            "prior_4yr_avg_general_rd_expense": average,
        },
        on=D(2024, 6, 30),
    )
    assert d["general_rd_method"] == method
    assert d["general_rd_credit"] == pytest.approx(credit)
    assert d["rd_credit"] == pytest.approx(credit)
    assert d["general_rd_current_year_credit"] == pytest.approx(0.25 * current)
    allowed = average > 0 and prior >= average
    assert d["general_rd_incremental_allowed"] is allowed
    incremental = 0.50 * max(0.0, current - prior) if allowed else 0.0
    assert d["general_rd_incremental_credit"] == pytest.approx(incremental)


def incremental_class(size: str, sales: float) -> str:
    if size == "sme":
        return "sme"
    if size != "large" and sales < 500e9:
        return "mid_sized"
    return "large"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("on", [D(2021, 1, 1), D(2024, 12, 31), D(2025, 1, 1), D(2029, 12, 31)])
@pytest.mark.parametrize("sales", [400 * BN, 500 * BN])
def test_general_tier_by_size(rules, size, on, sales) -> None:  # type: ignore[no-untyped-def]
    general, prior, revenue = 4 * BN, 1 * BN, 100 * BN
    f = {
        "firm_size": size,
        "general_rd_expense": general,
        "prior_year_general_rd_expense": prior,
        "prior_4yr_avg_general_rd_expense": prior,
        "revenue": revenue,
        "prior_3yr_avg_sales": sales,
    }
    if size in NEW_GRADUATES and on.year < 2025:
        with pytest.raises(ValidationError, match=size):
            rules.evaluate(f, on=on)
        return
    d = rules.evaluate(f, on=on)
    if size == "mid_sized" and sales >= 500e9:
        current_rate = min(0.02, 0.5 * general / revenue)  # not a 중견기업: as a large firm
    else:
        current_rate = current_year_rate(size, on.year, general, revenue)
    current = current_rate * general
    incremental = INCREMENTAL[incremental_class(size, sales)] * (general - prior)
    assert d["general_rd_current_year_rate"] == pytest.approx(current_rate)
    assert d["general_rd_current_year_credit"] == pytest.approx(current)
    assert d["general_rd_incremental_credit"] == pytest.approx(incremental)
    assert d["general_rd_credit"] == pytest.approx(max(current, incremental))


def test_large_firm_current_year_rate(rules) -> None:  # type: ignore[no-untyped-def]
    base = {"firm_size": "large", **NO_PRIOR_GENERAL, "revenue": 100 * BN}
    # 0.5 * 3e9 / 1e11 = 0.015 < 0.02
    d = rules.evaluate({**base, "general_rd_expense": 3 * BN}, on=D(2026, 3, 1))
    assert d["general_rd_credit"] == pytest.approx(3e9 * 0.015)
    # 0.5 * 6e9 / 1e11 = 0.03 -> capped at 0.02
    d = rules.evaluate({**base, "general_rd_expense": 6 * BN}, on=D(2026, 3, 1))
    assert d["general_rd_credit"] == pytest.approx(6e9 * 0.02)


def test_graduated_regimes_around_2025(rules) -> None:  # type: ignore[no-untyped-def]
    g = {"general_rd_expense": 1 * BN, **NO_PRIOR_GENERAL}
    # first ceased to be an SME before 2025: 15 % (years 1-3), 10 % (years 4-5), both sides of
    # 2025-01-01 (법률 제20617호 addendum Art. 3(1) keeps the old rates for them)
    for on in (D(2024, 12, 31), D(2025, 1, 1)):
        d = rules.evaluate({"firm_size": "sme_graduated_pre2025", **g}, on=on)
        assert d["general_rd_credit"] == pytest.approx(1e9 * 0.15)
        d = rules.evaluate({"firm_size": "sme_graduated_pre2025_y4_5", **g}, on=on)
        assert d["general_rd_credit"] == pytest.approx(1e9 * 0.10)
    # first ceased in 2025 or later: 20 % / 15 %
    d = rules.evaluate({"firm_size": "sme_graduated", **g}, on=D(2025, 1, 1))
    assert d["general_rd_credit"] == pytest.approx(1e9 * 0.20)
    d = rules.evaluate({"firm_size": "sme_graduated_y4_5", **g}, on=D(2028, 1, 1))
    assert d["general_rd_credit"] == pytest.approx(1e9 * 0.15)
    # and that tier does not exist before 2025: the engine refuses it, naming the firm size
    with pytest.raises(ValidationError, match="sme_graduated"):
        rules.evaluate({"firm_size": "sme_graduated", **g}, on=D(2024, 12, 31))


def test_general_tier_needs_its_history(rules) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="prior_4yr_avg_general_rd_expense"):
        rules.evaluate({"firm_size": "sme", "general_rd_expense": 1 * BN}, on=D(2025, 1, 1))
    with pytest.raises(ValidationError, match="prior_3yr_avg_sales"):
        rules.evaluate(
            {"firm_size": "mid_sized", "general_rd_expense": 1 * BN, **NO_PRIOR_GENERAL},
            on=D(2025, 1, 1),
        )


# --- the tiers together ------------------------------------------------------------------------


def test_three_tiers_add_up(rules) -> None:  # type: ignore[no-untyped-def]
    d = rules.evaluate(
        {
            "firm_size": "sme",
            "rsta_field": "secondary_batteries",
            "new_growth_rd_expense": 1 * BN,
            "nst_rd_expense": 2 * BN,
            "general_rd_expense": 3 * BN,
            "prior_year_general_rd_expense": 2 * BN,
            "prior_4yr_avg_general_rd_expense": 2 * BN,
            "revenue": 100 * BN,
        },
        on=D(2026, 6, 30),
    )
    new_growth = 1e9 * (0.30 + min(0.10, 3 * 1e9 / 1e11))  # 330,000,000
    nst = 2e9 * (0.40 + min(0.10, 3 * 2e9 / 1e11))  # 920,000,000
    general = max(0.50 * (3e9 - 2e9), 0.25 * 3e9)  # 750,000,000 (current-year)
    assert d["new_growth_rd_credit"] == pytest.approx(new_growth)
    assert d["nst_rd_credit"] == pytest.approx(nst)
    assert d["general_rd_credit"] == pytest.approx(general)
    assert d["rd_credit"] == pytest.approx(new_growth + nst + general)
    assert d["rd_credit"] == pytest.approx(2_000_000_000)


def test_a_quantum_r_and_d_firm_gets_its_credit(rules) -> None:  # type: ignore[no-untyped-def]
    # Quantum computing is not an RSTA NST field. As new-growth technology (on annex 7 since
    # 2018; MEDIUM confidence) an SME's 1e9 of quantum R&D with 1e11 revenue earns 1호:
    as_new_growth = rules.evaluate(
        {"firm_size": "sme", "new_growth_rd_expense": 1 * BN, "revenue": 100 * BN},
        on=D(2025, 12, 31),
    )
    assert as_new_growth["rd_credit"] == pytest.approx(1e9 * (0.30 + min(0.10, 3 * 0.01)))
    # Claimed as NST R&D in a field outside the list, it is general R&D (3호): with no general
    # R&D in the 4 years before, the current-year method, 25 %
    as_general = rules.evaluate(
        {
            "firm_size": "sme",
            "rsta_field": "other",
            "nst_rd_expense": 1 * BN,
            "revenue": 100 * BN,
            **NO_PRIOR_GENERAL,
        },
        on=D(2025, 12, 31),
    )
    assert as_general["rd_credit"] == pytest.approx(1e9 * 0.25)
    note = next(r for r in rules.rules if r.id == "rd_new_growth_rate").citation.note
    assert "quantum" in note.lower() and "MEDIUM" in note


def test_dates_before_2021_are_refused(rules) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="2021-01-01"):
        rules.evaluate({"firm_size": "sme"}, on=D(2020, 12, 31))
