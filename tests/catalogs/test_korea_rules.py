"""The built-in Korea rule sets: structure, sources and the public names.

The RSTA credits are tested by hand, tier by tier and date by date, in
``test_korea_tax_rd.py`` and ``test_korea_tax_investment.py``; this file checks what holds
for the whole rule set (every value dated and cited to the statute, the public input and
output names, population and one-by-one evaluation agree) and the R&D cost-sharing caps.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from stratpolicy.catalogs.korea import rd_matching, tax_credits


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return tax_credits()


STATUTE = re.compile(r"(법률|대통령령|기획재정부령) 제\d+호")
LAW_GO_KR = "https://www.law.go.kr/법령/조세특례제한법"


def test_every_rate_is_dated_and_cited_to_the_statute(rules) -> None:  # type: ignore[no-untyped-def]
    for parameter in rules.parameters:
        assert parameter.description
        for value in parameter.values:
            assert value.start is not None
            c = value.citation
            assert c is not None and c.article, parameter.name
            assert STATUTE.search(c.act), (parameter.name, c.act)
            assert c.url.startswith(LAW_GO_KR), (parameter.name, c.url)
    for rule in rules.rules:
        c = rule.citation
        assert c is not None and c.article and STATUTE.search(c.act), rule.id
        assert c.url.startswith(LAW_GO_KR), (rule.id, c.url)
        assert rule.description


def test_news_and_blogs_appear_only_as_corroboration(rules) -> None:  # type: ignore[no-untyped-def]
    urls = [v.citation.url for p in rules.parameters for v in p.values if v.citation]
    urls += [r.citation.url for r in rules.rules if r.citation]
    assert all("law.go.kr" in u for u in urls)
    notes = " ".join(v.citation.note for p in rules.parameters for v in p.values if v.citation)
    assert "tistory" not in notes  # the multiplier is cited to decree Art. 9(5) now
    multiplier = next(p for p in rules.parameters if p.name == "rd_addon_multiplier")
    assert multiplier.values[0].citation.act.endswith("대통령령 제32413호")
    assert multiplier.values[0].citation.article == "9(5)"


def test_medium_confidence_and_assumptions_are_marked(rules) -> None:  # type: ignore[no-untyped-def]
    fields = next(p for p in rules.parameters if p.name == "rsta_nst_fields")
    assert "MEDIUM" in fields.values[0].citation.note  # the annex is an attachment
    assert "MEDIUM" in fields.values[2].citation.note  # biopharmaceutical facilities
    rule_notes = {r.id: r.citation.note for r in rules.rules if r.citation}
    assert "MEDIUM" in rule_notes["rd_new_growth_rate"]  # quantum on the new-growth list
    assert "ASSUMPTION" in rule_notes["investment_regular_additional_nst_2021"]


def test_public_names(rules) -> None:  # type: ignore[no-untyped-def]
    assert rules.id == "kr_rsta_tax_credits"
    assert set(rules.input_names) == {
        "firm_size",
        "prior_3yr_avg_sales",
        "kosdaq_listed",
        "rsta_field",
        "new_growth_rd_expense",
        "nst_rd_expense",
        "general_rd_expense",
        "prior_year_general_rd_expense",
        "prior_4yr_avg_general_rd_expense",
        "revenue",
        "general_investment",
        "new_growth_facility_investment",
        "nst_facility_investment",
        "prior_3yr_avg_investment",
        "temporary_credit_elected",
    }
    for name in ("rd_credit", "nst_rd_credit_rate", "nst_rd_credit", "new_growth_rd_credit"):
        assert name in rules.output_names
    for name in ("general_rd_credit", "investment_credit", "tax_credit"):
        assert name in rules.output_names
    assert all(i.description for i in rules.inputs)
    assert all(o.description for o in rules.outputs)
    assert set(rules.output_names) == {o.name for o in rules.outputs}  # all declared
    assert all(i.unit == "KRW" for i in rules.inputs if i.type.value == "money")


def test_population_equals_one_by_one(rules) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    rows = [
        {
            "firm_size": s,
            "prior_3yr_avg_sales": sales,
            "rsta_field": f,
            "new_growth_rd_expense": 3e8,
            "nst_rd_expense": e,
            "general_rd_expense": g,
            "prior_year_general_rd_expense": 1e9,
            "prior_4yr_avg_general_rd_expense": 1e9,
            "revenue": 1e10,
            "general_investment": 1e9,
            "nst_facility_investment": i,
            "prior_3yr_avg_investment": 2e9,
            "temporary_credit_elected": t,
        }
        for s, sales, f, e, g, i, t in itertools.product(
            ("sme", "sme_graduated", "sme_graduated_pre2025", "mid_sized", "large"),
            (2e11, 4e11, 6e11),
            ("semiconductors", "artificial_intelligence", "other"),
            (0.0, 5e8),
            (0.0, 2e9),
            (0.0, 3e9),
            (False, True),
        )
    ]
    table = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    for on in (dt.date(2023, 12, 31), dt.date(2025, 6, 30), dt.date(2030, 1, 1)):
        keep = [
            n for n, r in enumerate(rows) if on.year >= 2025 or r["firm_size"] != "sme_graduated"
        ]
        sub = {k: v[keep] for k, v in table.items()}
        result = rules.evaluate_many(sub, on=on)
        for n, index in enumerate(keep):
            d = rules.evaluate(rows[index], on=on)
            for name in rules.output_names:
                assert result[name][n] == d[name], (on, rows[index], name)


def test_tax_credits_is_the_kr_tax_credits_catalog() -> None:
    from stratpolicy import catalogs

    assert catalogs.get("kr_tax_credits") == tax_credits()
    assert catalogs.kind("kr_tax_credits") == "rule_set"


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
