"""A seeded synthetic population of Korean R&D-performing firms, for the RSTA tax credits.

Synthetic: no row is a real firm. Weighted totals are calibrated to sourced figures only
(firm counts by size, business R&D by size, R&D credits claimed); everything else is an
assumption, each stated in :data:`ASSUMPTIONS` and in the population's metadata.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from stratpolicy._checks import describe
from stratpolicy.errors import Problem, ValidationError
from stratpolicy.rules import RuleSet
from stratpolicy.scenarios._population import Population

__all__ = ["ASSUMPTIONS", "SOURCES", "synthetic_firms"]

SOURCES: Mapping[str, Mapping[str, Any]] = {
    "firm_counts_2023": {
        "value": {"sme": 1_055_379, "mid_sized": 5_868, "large": 4_913},
        "source": "SMEs: corporations among the 8,298,915 SMEs of MSS 중소기업 기본통계 2023 "
        "(released 2025-08-29); mid-sized: MOTIE 중견기업 기본통계 2023; large: 10,781 "
        "non-SMEs (MSS 2023) minus the 5,868 mid-sized firms (derived, low confidence)",
        "reference": "kr_firm_population.yaml firm_counts",
    },
    "rd_performers_2018": {
        "value": {"sme": 38_398, "non_sme": 1_602},
        "source": "KOITA: corporate research institutes recognised at 2018-11-13 (MBN, 2018-11-15)",
        "reference": "kr_firm_population.yaml rd_performers",
    },
    "business_rd_2023_krw": {
        "value": 94.2968e12,
        "source": "MSIT 연구개발활동조사 2023: business-performed R&D 94.2968 trillion KRW",
        "reference": "kr_firm_population.yaml business_rd",
    },
    "business_rd_shares_2018": {
        "value": {"large": 0.637, "mid_sized": 0.139, "sme": 0.109, "venture": 0.115},
        "source": "KOITA webzine 2020-01: business R&D 2018 by firm type",
        "reference": "kr_firm_population.yaml business_rd",
    },
    "rd_credit_claimed_2022_krw": {
        "value": {"sme": 1.5e12, "non_sme": 2.1e12},
        "source": "NTS 2023 Q3 국세통계, R&D credit reported in corporate-tax returns for "
        "tax year 2022 (Yonhap Infomax via kbthink, 2023-09-25); all three tiers",
        "reference": "kr_firm_population.yaml rd_tax_credit_claimed",
    },
}
"""The sourced figures the synthetic population is calibrated to (see
``shared/reference/kr_firm_population.yaml``)."""

ASSUMPTIONS: tuple[str, ...] = (
    "Synthetic: no row is a real firm.",
    "Rows are R&D-performing corporations (firms without R&D claim no R&D credit). "
    "Performers by size: SMEs 38,398 and non-SMEs 1,602, the KOITA counts of corporate "
    "research institutes of 2018 taken as firms (one institute per firm) and as standing for "
    "2023; non-SMEs split between mid-sized and large in proportion to their 2023 counts "
    "(5,868 : 4,913).",
    "Business R&D by size in 2023 = the 2023 total (94.2968 trillion KRW) times the 2018 "
    "shares by firm type (large 63.7 %, mid-sized 13.9 %, SME 10.9 % plus venture 11.5 %; "
    "ventures counted as SMEs).",
    "R&D per firm within a size class is lognormal with sigma 1.5 (not sourced), scaled so "
    "that the weighted class total is the class's R&D.",
    "Revenue = R&D / R&D intensity; intensity lognormal with median 3 % and sigma 0.8, at "
    "most 100 % (not sourced).",
    "Half of the firms (not sourced) do R&D in one of the Special Act's 12 strategic areas, "
    "the area drawn uniformly (not sourced); the others in none.",
    "Area to RSTA field: semiconductors & displays -> semiconductors or displays (half "
    "each), advanced biotechnology -> biopharmaceuticals or vaccines (half each), secondary "
    "batteries, hydrogen, advanced mobility -> future_mobility, AI -> "
    "artificial_intelligence; the six areas not on the RSTA list -> the area's own "
    "category if the rule set's rsta_field declares it (a rule set widened by a reform), "
    "else 'other'.",
    "A firm in an area spends half of its R&D on it (nst_rd_expense; not sourced); the rest, "
    "and all R&D of other firms, is general R&D. No new-growth R&D and no investment are "
    "modelled.",
    "No growth: the preceding year's general R&D and the 4-year average equal this year's "
    "whole R&D (so there is no increase and the current-year method applies, whichever tier "
    "the R&D falls in); the prior 3-year average sales equal revenue.",
    "Only a share of survey R&D is claimed as credit-qualifying expense; that share is "
    "calibrated per group (SMEs; mid-sized and large) so that the baseline credit "
    "(kr_rsta_tax_credits on 2022-12-31, tax year 2022) equals the R&D credit claimed for "
    "tax year 2022 (NTS: SMEs 1.5, other corporations 2.1 trillion KRW). Claimed credits "
    "are after tax-liability limits, so the share absorbs those limits too.",
    "Firm sizes sme, mid_sized and large only (no graduated SMEs; none KOSDAQ-listed).",
    "Stratified rows: 60 % SMEs, 20 % mid-sized, 20 % large; weights = firms / rows of the "
    "class, so weighted totals do not depend on the stratification.",
)
"""Every assumption of :func:`synthetic_firms`, in words (also in the result's metadata)."""

_AREAS = (
    "semiconductors_displays",
    "secondary_batteries",
    "advanced_mobility",
    "next_gen_nuclear",
    "advanced_bio",
    "aerospace_marine",
    "hydrogen",
    "cybersecurity",
    "artificial_intelligence",
    "next_gen_communications",
    "advanced_robotics_manufacturing",
    "quantum",
)
_ON_RSTA = {
    "semiconductors_displays": ("semiconductors", "displays"),
    "secondary_batteries": ("secondary_batteries",),
    "advanced_mobility": ("future_mobility",),
    "advanced_bio": ("biopharmaceuticals", "vaccines"),
    "hydrogen": ("hydrogen",),
    "artificial_intelligence": ("artificial_intelligence",),
}
_CALIBRATION_DATE = dt.date(2022, 12, 31)
_SIGMA_RD = 1.5
_INTENSITY_MEDIAN = 0.03
_INTENSITY_SIGMA = 0.8
_STRATA = (("sme", 0.6), ("mid_sized", 0.2), ("large", 0.2))


def _targets() -> tuple[dict[str, float], dict[str, float]]:
    counts = SOURCES["firm_counts_2023"]["value"]
    performers = SOURCES["rd_performers_2018"]["value"]
    non_sme = counts["mid_sized"] + counts["large"]
    firms = {
        "sme": float(performers["sme"]),
        "mid_sized": performers["non_sme"] * counts["mid_sized"] / non_sme,
        "large": performers["non_sme"] * counts["large"] / non_sme,
    }
    total = SOURCES["business_rd_2023_krw"]["value"]
    shares = SOURCES["business_rd_shares_2018"]["value"]
    rd = {
        "sme": total * (shares["sme"] + shares["venture"]),
        "mid_sized": total * shares["mid_sized"],
        "large": total * shares["large"],
    }
    return firms, rd


def synthetic_firms(n: int, *, seed: int, rule_set: RuleSet | None = None) -> Population:
    """A seeded synthetic population of Korean R&D-performing corporations (SYNTHETIC).

    For the RSTA R&D credit rule set (:func:`stratpolicy.catalogs.korea.tax_credits`, or a
    reform of it). No row is a real firm. Calibrated only to sourced figures
    (:data:`SOURCES`): the weights add up to the number of R&D-performing corporations by
    size, the weighted R&D to business R&D by size, and the baseline credit for tax year
    2022 to the credits claimed that year. Everything else is an assumption
    (:data:`ASSUMPTIONS`):

    - rows are R&D performers (KOITA 2018 institute counts as firms; non-SMEs split by the
      2023 mid-sized and large counts); R&D by size = 2023 total x 2018 shares;
    - R&D per firm lognormal (sigma 1.5), revenue = R&D / intensity (median 3 %, sigma
      0.8): not sourced;
    - half the firms in one of the Special Act's 12 areas, uniformly, spending half their
      R&D there (the NST tier when the area is on the RSTA list): not sourced;
    - no growth (the current-year method applies), no new-growth R&D, no investment;
    - a credit-qualifying share of R&D calibrated per group to the 2022 claims;
    - sizes sme, mid_sized, large only; stratified rows (60/20/20 %) with weights.

    The population's ``metadata`` holds the seed, the sources, the assumptions and the
    calibration (the qualifying shares found and the totals reached).

    Args:
        n: Number of rows (at least 10).
        seed: Seed of the generator (``numpy.random.default_rng``); the same seed gives
            the same population.
        rule_set: The rule set to check the population against (default: the built-in
            RSTA credits). A rule set whose ``rsta_field`` declares Special Act areas (a
            reform's new categories) gets those areas; otherwise they are ``other``.

    Examples:
        >>> firms = synthetic_firms(1000, seed=7)
        >>> round(firms.total_weight)
        40000
        >>> firms.metadata["synthetic"]
        True
    """
    import numpy as np

    from stratpolicy.catalogs import korea

    if isinstance(n, bool) or not isinstance(n, int) or n < 10:
        raise ValidationError([Problem("n", f"must be a whole number >= 10, got {describe(n)}")])
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValidationError(
            [Problem("seed", f"must be a whole number >= 0, got {describe(seed)}")]
        )
    baseline = korea.tax_credits()
    target_rs = rule_set if rule_set is not None else baseline
    needed = set(baseline.input_names) - set(target_rs.input_names)
    if needed:
        raise ValidationError(
            [
                Problem(
                    "rule_set",
                    f"synthetic firms are made for the RSTA credits (kr_rsta_tax_credits) or a "
                    f"reform of them; rule set {target_rs.id!r} lacks the inputs "
                    f"{', '.join(sorted(needed))}",
                )
            ]
        )
    rng = np.random.default_rng(seed)
    firms, rd_totals = _targets()

    sizes: list[str] = []
    counts = [round(n * share) for _, share in _STRATA]
    counts[0] = n - sum(counts[1:])
    for (label, _), k in zip(_STRATA, counts, strict=True):
        sizes.extend([label] * k)
    size = np.asarray(sizes, dtype=object)
    weight = np.empty(n)
    rd = rng.lognormal(mean=0.0, sigma=_SIGMA_RD, size=n)
    for name, k in zip((s for s, _ in _STRATA), counts, strict=True):
        rows = size == name
        weight[rows] = firms[name] / k
        rd[rows] *= rd_totals[name] / float(np.sum(weight[rows] * rd[rows]))
    intensity = np.minimum(
        1.0, _INTENSITY_MEDIAN * rng.lognormal(mean=0.0, sigma=_INTENSITY_SIGMA, size=n)
    )
    revenue = rd / intensity
    in_area = rng.random(n) < 0.5
    area_index = rng.integers(0, len(_AREAS), size=n)
    pick = rng.random(n) < 0.5
    declared = set(next(i for i in target_rs.inputs if i.name == "rsta_field").categories)
    on_rsta = np.array([a in _ON_RSTA for a in _AREAS])[area_index]
    first = np.array([_ON_RSTA.get(a, ("other",))[0] for a in _AREAS], dtype=object)
    second = np.array([_ON_RSTA.get(a, ("other",))[-1] for a in _AREAS], dtype=object)
    own = np.array([a if a in declared else "other" for a in _AREAS], dtype=object)
    rsta = np.where(pick, first[area_index], second[area_index])
    field_baseline = np.where(in_area & on_rsta, rsta, "other").astype(object)
    field_target = np.where(in_area, np.where(on_rsta, rsta, own[area_index]), "other").astype(
        object
    )
    nst_share = np.where(in_area, 0.5, 0.0)

    def columns(q: Any, fields: Any, rows: Any = slice(None)) -> dict[str, Any]:
        expense = rd[rows] * q
        nst = expense * nst_share[rows]
        general = expense - nst
        return {
            "firm_size": size[rows],
            "rsta_field": fields[rows],
            "nst_rd_expense": nst,
            "general_rd_expense": general,
            "prior_year_general_rd_expense": expense,
            "prior_4yr_avg_general_rd_expense": expense,
            "revenue": revenue[rows],
            "prior_3yr_avg_sales": revenue[rows],
            "prior_3yr_avg_investment": np.zeros(expense.shape[0]),
        }

    groups = {"sme": size == "sme", "non_sme": size != "sme"}
    targets = SOURCES["rd_credit_claimed_2022_krw"]["value"]
    q = np.ones(n)
    calibration: dict[str, Any] = {"date": _CALIBRATION_DATE.isoformat(), "groups": {}}
    for group, rows in groups.items():
        chosen = np.flatnonzero(rows)
        w = weight[chosen]

        def credit(share: float, chosen: Any = chosen, w: Any = w) -> float:
            result = baseline.evaluate_many(
                columns(share, field_baseline, chosen), on=_CALIBRATION_DATE
            )
            return float(np.sum(w * result["rd_credit"]))

        share, reached = 1.0, credit(1.0)
        target = float(targets[group])
        for _ in range(12):  # fixed-point: credit is close to proportional to the share
            if reached <= 0:
                break
            share = min(1.0, share * target / reached)
            reached = credit(share)
            if abs(reached - target) <= 1e-7 * target or share >= 1.0:
                break
        q[rows] = share
        calibration["groups"][group] = {
            "qualifying_share": share,
            "target_krw": target,
            "reached_krw": reached,
        }
    metadata = {
        "synthetic": True,
        "generator": "stratpolicy.scenarios.synthetic_firms",
        "seed": seed,
        "rows": n,
        "assumptions": list(ASSUMPTIONS),
        "sources": {k: dict(v) for k, v in SOURCES.items()},
        "calibration": calibration,
    }
    data = columns(q, field_target)
    data["weight"] = weight
    return Population.from_columns(
        data,
        target_rs,
        source=f"synthetic_firms(n={n}, seed={seed})",
        metadata=metadata,
    )
