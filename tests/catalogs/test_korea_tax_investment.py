"""The RSTA Art. 24 integrated investment credit, computed by hand at every boundary date.

Rates are copied from the statute (법률 제17759호 to 법률 제21223호, as summarised in
shared/reference/kr_rsta_investment_credit.yaml); every expected value is computed here.
"""

from __future__ import annotations

import datetime as dt

import pytest

from stratpolicy.catalogs.korea import tax_credits
from stratpolicy.errors import SchemaError, ValidationError

D = dt.date
BN = 1e9

SIZES = (
    "sme",
    "sme_graduated",
    "sme_graduated_y4_5",
    "sme_graduated_pre2025",
    "sme_graduated_pre2025_y4_5",
    "mid_sized",
    "large",
)
# The graduated tier of Art. 24 (years 1-3, 법률 제20617호) exists from tax year 2025 only; a
# firm in years 4-5 has no tier of its own in any version, so it is a 중견기업 or large.
NEW_GRADUATES = ("sme_graduated",)

# --- the statute's rates, by the first day they apply to investments --------------------------------
# Art. 24(1)2가: basic rate by class. 'mid' is a 중견기업 (decree Art. 6의4(1): average sales of
# the 3 preceding years below 300 bn KRW); 'grad' the graduated tier of 법률 제20617호.
GENERAL = [  # other assets
    (D(2021, 1, 1), {"sme": 0.10, "mid": 0.03, "large": 0.01}),  # 법률 제17759호
    (D(2023, 1, 1), {"sme": 0.10, "mid": 0.05, "large": 0.01}),  # 법률 제19199호
    (D(2025, 1, 1), {"sme": 0.10, "grad": 0.075, "mid": 0.05, "large": 0.01}),  # 법률 제20617호
]
NEW_GROWTH = [  # new-growth commercialisation facilities
    (D(2021, 1, 1), {"sme": 0.12, "mid": 0.05, "large": 0.03}),
    (D(2023, 1, 1), {"sme": 0.12, "mid": 0.06, "large": 0.03}),
    (D(2025, 1, 1), {"sme": 0.12, "grad": 0.09, "mid": 0.06, "large": 0.03}),
]
NST = [  # NST commercialisation facilities, from 2021-07-01 to 2029-12-31
    (D(2021, 7, 1), {"sme": 0.16, "mid": 0.08, "large": 0.06}),  # 법률 제18634호
    (D(2023, 1, 1), {"sme": 0.25, "mid": 0.15, "large": 0.15}),  # 법률 제19328호
    (D(2025, 1, 1), {"sme": 0.25, "grad": 0.20, "mid": 0.15, "large": 0.15}),
]
SEMICONDUCTOR = [  # semiconductor NST facilities, 법률 제20778호
    (D(2025, 1, 1), {"sme": 0.30, "grad": 0.25, "mid": 0.20, "large": 0.20}),
]
# Art. 24(1)2나: additional rate; NST facilities 4 % in 2021-2024; cap 2 x basic always
ADDITIONAL = [(D(2021, 1, 1), 0.03), (D(2025, 1, 1), 0.10)]
ADDITIONAL_NST_TO_2024 = 0.04
CAP = 2
# Art. 24(1)3: the temporary credit (2023 mandatory; 2024, 2025 elective)
TEMPORARY_GENERAL = {
    2023: {"sme": 0.12, "mid": 0.07, "large": 0.03},
    2024: {"sme": 0.12, "mid": 0.07, "large": 0.01},
    2025: {"sme": 0.12, "mid": 0.07, "large": 0.01},
}
TEMPORARY_NEW_GROWTH = {
    2023: {"sme": 0.18, "mid": 0.10, "large": 0.06},
    2024: {"sme": 0.14, "mid": 0.08, "large": 0.03},
    2025: {"sme": 0.14, "mid": 0.08, "large": 0.03},
}
TEMPORARY_ADDITIONAL = 0.10

MID_SALES = 200 * BN  # below 300 bn KRW: a 중견기업 for Art. 24


def at(schedule, on):  # type: ignore[no-untyped-def]
    found = None
    for start, value in schedule:
        if on >= start:
            found = value
    return found


def regular_class(size: str, sales: float, year: int) -> str:
    if size == "sme":
        return "sme"
    if size == "sme_graduated" and year >= 2025:
        return "grad"
    if size != "large" and sales < 300e9:
        return "mid"
    return "large"


def temporary_class(size: str, sales: float) -> str:
    if size == "sme":
        return "sme"
    if size != "large" and sales < 300e9:
        return "mid"
    return "large"


NST_FIELD_START = {
    "semiconductors": D(2021, 7, 1),
    "secondary_batteries": D(2021, 7, 1),
    "vaccines": D(2021, 7, 1),
    "displays": D(2023, 1, 1),
    "hydrogen": D(2023, 1, 1),
    "future_mobility": D(2023, 1, 1),
    "biopharmaceuticals": D(2023, 7, 1),
    "artificial_intelligence": D(2025, 1, 1),
}


def expected(
    size: str,
    on: dt.date,
    *,
    field: str = "other",
    general: float = 0.0,
    new_growth: float = 0.0,
    nst: float = 0.0,
    average: float = 0.0,
    elected: bool = False,
    sales: float = MID_SALES,
) -> dict[str, float]:
    """The credit as the statute computes it, by hand."""
    year = on.year
    is_nst = field in NST_FIELD_START and NST_FIELD_START[field] <= on <= D(2029, 12, 31)
    general_amount = general + (0.0 if is_nst else nst)
    nst_amount = nst if is_nst else 0.0
    total = general + new_growth + nst
    cls = regular_class(size, sales, year)
    if nst_amount:
        table = SEMICONDUCTOR if field == "semiconductors" and year >= 2025 else NST
        nst_basic = at(table, on)[cls] * nst_amount
    else:
        nst_basic = 0.0
    basic = at(GENERAL, on)[cls] * general_amount + at(NEW_GROWTH, on)[cls] * new_growth + nst_basic
    increase = max(0.0, total - average) if average > 0 else 0.0  # decree Art. 21(9)
    rate = at(ADDITIONAL, on)
    if year <= 2024 and nst_amount:  # 3 % (NST 4 %), the increase split pro rata
        additional = increase * (rate * (total - nst_amount) + 0.04 * nst_amount) / total
    else:
        additional = increase * rate
    additional = min(CAP * basic, additional)
    temporary = year == 2023 or (year in (2024, 2025) and elected)
    if temporary and total > 0:
        t = temporary_class(size, sales)
        basic = (
            TEMPORARY_GENERAL[year][t] * general_amount
            + TEMPORARY_NEW_GROWTH[year][t] * new_growth
            + nst_basic
        )
        additional = min(CAP * basic, TEMPORARY_ADDITIONAL * increase)
    return {"basic": basic, "additional": additional, "total": basic + additional}


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return tax_credits()


def run(rules, size, on, **kw):  # type: ignore[no-untyped-def]
    f: dict[str, object] = {
        "firm_size": size,
        "rsta_field": kw.get("field", "other"),
        "general_investment": kw.get("general", 0.0),
        "new_growth_facility_investment": kw.get("new_growth", 0.0),
        "nst_facility_investment": kw.get("nst", 0.0),
        "prior_3yr_avg_investment": kw.get("average", 0.0),
        "temporary_credit_elected": kw.get("elected", False),
    }
    if size not in ("sme", "large"):
        f["prior_3yr_avg_sales"] = kw.get("sales", MID_SALES)
    return rules.evaluate(f, on=on)


def check(rules, size, on, **kw) -> None:  # type: ignore[no-untyped-def]
    if size in NEW_GRADUATES and on.year < 2025:
        with pytest.raises(ValidationError, match="sme_graduated"):
            run(rules, size, on, **kw)
        return
    d = run(rules, size, on, **kw)
    e = expected(size, on, **kw)
    assert d["investment_basic_credit"] == pytest.approx(e["basic"], rel=1e-12)
    assert d["investment_additional_credit"] == pytest.approx(e["additional"], rel=1e-12)
    assert d["investment_credit"] == pytest.approx(e["total"], rel=1e-12)


BOUNDARIES = [
    D(2021, 1, 1),
    D(2021, 6, 30),
    D(2021, 7, 1),
    D(2022, 12, 31),
    D(2023, 1, 1),
    D(2023, 6, 30),
    D(2023, 7, 1),
    D(2023, 12, 31),
    D(2024, 1, 1),
    D(2024, 12, 31),
    D(2025, 1, 1),
    D(2025, 12, 31),
    D(2026, 1, 1),
    D(2029, 12, 31),
    D(2030, 1, 1),
]
CATEGORIES = {
    "general": {"general": 10 * BN},
    "new_growth": {"new_growth": 10 * BN},
    "nst": {"nst": 10 * BN, "field": "secondary_batteries"},
    "nst_biopharmaceuticals": {"nst": 10 * BN, "field": "biopharmaceuticals"},  # 2023-07-01
    "nst_ai": {"nst": 10 * BN, "field": "artificial_intelligence"},  # 2025-01-01
    "nst_semiconductor": {"nst": 10 * BN, "field": "semiconductors"},
    "mixed": {"general": 3 * BN, "new_growth": 2 * BN, "nst": 5 * BN, "field": "hydrogen"},
}


@pytest.mark.parametrize("elected", [False, True])
# prior 3-year average: none (no additional credit); 1e9 (a large increase: the cap of twice
# the basic credit binds at the low rates, not at the high ones)
@pytest.mark.parametrize("average", [0.0, 1 * BN])
@pytest.mark.parametrize("category", sorted(CATEGORIES))
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("on", BOUNDARIES)
def test_every_category_size_and_boundary(rules, on, size, category, average, elected) -> None:  # type: ignore[no-untyped-def]
    check(rules, size, on, average=average, elected=elected, **CATEGORIES[category])


@pytest.mark.parametrize("sales", [299_999_999_999.0, 300 * BN])
@pytest.mark.parametrize("size", ["mid_sized", "sme_graduated_pre2025", "sme_graduated_y4_5"])
@pytest.mark.parametrize("on", [D(2022, 6, 30), D(2023, 6, 30), D(2025, 6, 30), D(2028, 6, 30)])
def test_mid_sized_threshold_is_300_bn(rules, on, size, sales) -> None:  # type: ignore[no-untyped-def]
    check(rules, size, on, general=10 * BN, new_growth=5 * BN, average=8 * BN, sales=sales)


# --- worked examples, arithmetic written out --------------------------------------------------------


def test_worked_examples(rules) -> None:  # type: ignore[no-untyped-def]
    # 2021-06-30: battery facility not yet NST: a large firm's general rate 1 %;
    # additional 3 % of (10e9 - 6e9), at most 2 x 1e8
    d = run(rules, "large", D(2021, 6, 30), nst=10 * BN, field="secondary_batteries", average=6e9)
    assert d["investment_basic_credit"] == pytest.approx(0.01 * 10e9)
    assert d["investment_additional_credit"] == pytest.approx(min(2 * 0.01 * 10e9, 0.03 * 4e9))
    # 2021-07-01: NST 6 %, additional 4 %: 6e8 + 1.6e8
    d = run(rules, "large", D(2021, 7, 1), nst=10 * BN, field="secondary_batteries", average=6e9)
    assert d["investment_credit"] == pytest.approx(0.06 * 10e9 + 0.04 * 4e9)
    # 2022-12-31: mid-sized (중견기업) NST 8 %; 2023-01-01: 15 % and the temporary credit
    # (mandatory in 2023): additional 10 % of the increase
    d = run(rules, "mid_sized", D(2022, 12, 31), nst=10 * BN, field="vaccines", average=6e9)
    assert d["investment_credit"] == pytest.approx(0.08 * 10e9 + 0.04 * 4e9)
    d = run(rules, "mid_sized", D(2023, 1, 1), nst=10 * BN, field="vaccines", average=6e9)
    assert d["temporary_credit_applied"] is True
    assert d["investment_credit"] == pytest.approx(0.15 * 10e9 + 0.10 * 4e9)
    # 2023-12-31 / 2024-01-01: large firm, general assets; temporary 3 % in 2023, 1 % in 2024
    d = run(rules, "large", D(2023, 12, 31), general=10 * BN, average=6e9)
    assert d["investment_credit"] == pytest.approx(0.03 * 10e9 + min(2 * 0.03 * 10e9, 0.10 * 4e9))
    d = run(rules, "large", D(2024, 1, 1), general=10 * BN, average=6e9, elected=True)
    assert d["investment_credit"] == pytest.approx(0.01 * 10e9 + min(2 * 0.01 * 10e9, 0.10 * 4e9))
    d = run(rules, "large", D(2024, 1, 1), general=10 * BN, average=6e9)  # not elected
    assert d["investment_credit"] == pytest.approx(0.01 * 10e9 + min(2 * 0.01 * 10e9, 0.03 * 4e9))
    # 2024-12-31 / 2025-01-01: semiconductor SME 25 % -> 30 %, additional 4 % -> 10 %
    d = run(rules, "sme", D(2024, 12, 31), nst=10 * BN, field="semiconductors", average=6e9)
    assert d["investment_credit"] == pytest.approx(0.25 * 10e9 + 0.04 * 4e9)
    d = run(rules, "sme", D(2025, 1, 1), nst=10 * BN, field="semiconductors", average=6e9)
    assert d["investment_credit"] == pytest.approx(0.30 * 10e9 + 0.10 * 4e9)
    # 2025-12-31 / 2026-01-01: the temporary credit ends; a graduated SME electing it in 2025
    # gets the 중견기업 general rate 7 % instead of its own 7.5 %
    d = run(rules, "sme_graduated", D(2025, 12, 31), general=10 * BN, average=6e9, elected=True)
    assert d["investment_basic_credit"] == pytest.approx(0.07 * 10e9)
    d = run(rules, "sme_graduated", D(2025, 12, 31), general=10 * BN, average=6e9)
    assert d["investment_basic_credit"] == pytest.approx(0.075 * 10e9)
    d = run(rules, "sme_graduated", D(2026, 1, 1), general=10 * BN, average=6e9, elected=True)
    assert d["temporary_credit_applied"] is False
    assert d["investment_credit"] == pytest.approx(0.075 * 10e9 + 0.10 * 4e9)
    # 2029-12-31 / 2030-01-01: the NST rates end; the facility is a general asset
    d = run(rules, "sme", D(2029, 12, 31), nst=10 * BN, field="hydrogen", average=6e9)
    assert d["investment_credit"] == pytest.approx(0.25 * 10e9 + 0.10 * 4e9)
    d = run(rules, "sme", D(2030, 1, 1), nst=10 * BN, field="hydrogen", average=6e9)
    assert d["investment_credit"] == pytest.approx(0.10 * 10e9 + 0.10 * 4e9)


@pytest.mark.parametrize(("field", "first"), sorted(NST_FIELD_START.items()))
def test_nst_facility_fields_start_on_the_addendum_date(rules, field, first) -> None:  # type: ignore[no-untyped-def]
    before = first - dt.timedelta(days=1)
    # an SME; before the field's start the facility is a general asset: 10 %
    assert run(rules, "sme", before, nst=1 * BN, field=field)["regular_basic_credit"] == (
        pytest.approx(0.10 * 1e9)
    )
    nst_rate = at(SEMICONDUCTOR if field == "semiconductors" and first.year >= 2025 else NST, first)
    assert run(rules, "sme", first, nst=1 * BN, field=field)["regular_basic_credit"] == (
        pytest.approx(nst_rate["sme"] * 1e9)
    )


def test_the_additional_credit_is_capped_in_every_year(rules) -> None:  # type: ignore[no-untyped-def]
    # The cap of twice the basic credit is in every version read (법률 제17759호 onwards).
    # 2022, large firm, other assets: basic 0.01 * 1e9 = 1e7; additional 0.03 * (1e9 - 1e8)
    # = 2.7e7 > 2 * 1e7, so 2e7.
    d = run(rules, "large", D(2022, 6, 30), general=1 * BN, average=0.1 * BN)
    assert d["investment_basic_credit"] == pytest.approx(0.01 * 1e9)
    assert d["investment_additional_credit"] == pytest.approx(min(2 * 0.01 * 1e9, 0.03 * 0.9e9))
    assert d["investment_additional_credit"] == pytest.approx(2e7)
    # 2026, same: additional 0.10 * 0.9e9 = 9e7 -> cap 2e7
    d = run(rules, "large", D(2026, 6, 30), general=1 * BN, average=0.1 * BN)
    assert d["investment_additional_credit"] == pytest.approx(2e7)


def test_no_prior_investment_no_additional_credit(rules) -> None:  # type: ignore[no-untyped-def]
    # decree Art. 21(9): without a prior 3-year average there is no additional credit
    d = run(rules, "sme", D(2025, 6, 30), general=1 * BN, average=0.0)
    assert d["investment_basic_credit"] == pytest.approx(0.10 * 1e9)
    assert d["investment_additional_credit"] == 0.0


def test_mixed_investment_splits_the_increase_pro_rata(rules) -> None:  # type: ignore[no-untyped-def]
    # 2022, SME: 3e9 other assets + 1e9 NST facility, prior average 2e9; increase 2e9 split
    # 3:1 -> 2e9 * (0.03 * 3e9 + 0.04 * 1e9) / 4e9 (the library's assumption, see the note)
    d = run(rules, "sme", D(2022, 6, 30), general=3 * BN, nst=1 * BN, field="vaccines", average=2e9)
    assert d["investment_basic_credit"] == pytest.approx(0.10 * 3e9 + 0.16 * 1e9)
    assert d["investment_additional_credit"] == pytest.approx(2e9 * (0.03 * 3e9 + 0.04 * 1e9) / 4e9)
    note = next(r for r in rules.rules if r.id == "investment_regular_additional_nst_2021")
    assert note.citation is not None and "ASSUMPTION" in note.citation.note


def test_the_8_percent_of_december_2022_never_applied(rules) -> None:  # type: ignore[no-untyped-def]
    # 법률 제19199호 set 8 % for large firms from 2023-01-01, but 법률 제19328호 applied 15 % to
    # NST investments from 2023-01-01: 6 % on 2022-12-31, 15 % on 2023-01-01, never 8 %.
    f = {"nst": 1 * BN, "field": "semiconductors"}
    assert run(rules, "large", D(2022, 12, 31), **f)["investment_basic_credit"] == (
        pytest.approx(0.06 * 1e9)
    )
    assert run(rules, "large", D(2023, 1, 1), **f)["investment_basic_credit"] == (
        pytest.approx(0.15 * 1e9)
    )


def test_temporary_credit_2023_applies_without_election(rules) -> None:  # type: ignore[no-untyped-def]
    for elected in (False, True):
        d = run(rules, "sme", D(2023, 6, 30), new_growth=1 * BN, average=0.5e9, elected=elected)
        assert d["temporary_credit_applied"] is True
        # 18 % temporary new-growth rate; 10 % of the increase 5e8
        assert d["investment_credit"] == pytest.approx(0.18 * 1e9 + 0.10 * 0.5e9)


def test_semiconductor_rates_follow_the_field(rules) -> None:  # type: ignore[no-untyped-def]
    chips = run(rules, "mid_sized", D(2026, 6, 30), nst=1 * BN, field="semiconductors")
    batteries = run(rules, "mid_sized", D(2026, 6, 30), nst=1 * BN, field="secondary_batteries")
    assert chips["investment_basic_credit"] == pytest.approx(0.20 * 1e9)
    assert batteries["investment_basic_credit"] == pytest.approx(0.15 * 1e9)
    # the old separate flag, which could contradict the field, is no input any more
    with pytest.raises(SchemaError, match=r"facts\.semiconductor: unknown input"):
        rules.evaluate(
            {
                "firm_size": "sme",
                "rsta_field": "secondary_batteries",
                "nst_facility_investment": 1e9,
                "prior_3yr_avg_investment": 0.0,
                "semiconductor": True,
            },
            on=D(2026, 6, 30),
        )


def test_investment_needs_the_prior_average_and_sales(rules) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="prior_3yr_avg_investment"):
        rules.evaluate({"firm_size": "sme", "general_investment": 1e9}, on=D(2025, 1, 1))
    with pytest.raises(ValidationError, match="prior_3yr_avg_sales"):
        rules.evaluate(
            {"firm_size": "mid_sized", "general_investment": 1e9, "prior_3yr_avg_investment": 0.0},
            on=D(2025, 1, 1),
        )
