"""Korea's built-in rule sets: the RSTA tax credits and the R&D cost-sharing caps.

Both are rule set documents in the package data (``kr_tax_credits.yaml``,
``kr_rd_matching.yaml``), read with :mod:`importlib.resources` through the shared
converter, so they are also examples of the file format.

Examples:
    >>> import datetime as dt
    >>> d = tax_credits().evaluate(
    ...     {"firm_size": "sme", "rsta_field": "semiconductors",
    ...      "nst_rd_expense": 1e9, "revenue": 1e11},
    ...     on=dt.date(2025, 12, 31))
    >>> round(d["rd_credit_rate"], 6), round(d["rd_credit"])
    (0.43, 430000000)
"""

from __future__ import annotations

from stratpolicy.catalogs._data import read_document
from stratpolicy.rules import RuleSet

__all__ = ["rd_matching", "tax_credits"]


def tax_credits() -> RuleSet:
    """The RSTA tax credits for national strategic technologies, tax years 2021-2029.

    Inputs: ``firm_size`` (sme, sme_graduated, mid_sized, large), ``rsta_field`` (the
    eight RSTA fields or ``other``), ``nst_rd_expense``, ``revenue``,
    ``nst_facility_investment``, ``prior_3yr_avg_investment`` (KRW),
    ``temporary_credit_elected`` and ``semiconductor`` (bool). Outputs:
    ``rd_credit_rate``, ``rd_credit``, ``facility_basic_credit``,
    ``facility_additional_credit``, ``facility_credit`` (KRW).

    * R&D credit (Art. 10(1)2): ``nst_rd_expense * (base_rate[firm_size] + min(0.10, 3 *
      nst_rd_expense / revenue))`` from 2021-07-01 (the graduated-SME tier from 2025 is
      assumed, as the source says; semiconductor R&D to 2031).
    * Facility credit (Art. 24) by tax year 2021-2029: basic rate by size (semiconductor
      rates from 2025) plus the additional credit on investment above the prior 3-year
      average (4 %, 10 % with the temporary credit in 2023-2025, 10 % capped at twice the
      basic credit from 2025).
    * Eligibility: the field must be on the RSTA list on the date (semiconductors,
      batteries, vaccines from 2021-07; displays 2023; hydrogen and future mobility
      2023-04-11; biopharmaceuticals 2023-07-01; AI 2025).

    The date passed to ``evaluate(on=...)`` selects the tax year. Every rate is dated and
    cited; notes say where a date was completed (a year or month only) or assumed.
    """
    rule_set: RuleSet = read_document("kr_tax_credits.yaml")
    return rule_set


def rd_matching() -> RuleSet:
    """Government R&D cost-sharing caps (National R&D Innovation Act decree, Art. 19(1)).

    Inputs: ``firm_size`` (sme, mid_sized, large, other), ``total_rd_cost``,
    ``government_contribution``, ``own_cash_contribution`` (KRW). Outputs:
    ``government_share``, ``own_contribution``, ``max_government_contribution``,
    ``min_own_cash_contribution``, ``government_share_ok``, ``cash_ratio_ok``,
    ``compliant``.

    Examples:
        >>> import datetime as dt
        >>> d = rd_matching().evaluate(
        ...     {"firm_size": "large", "total_rd_cost": 1e9,
        ...      "government_contribution": 6e8, "own_cash_contribution": 1e8},
        ...     on=dt.date(2026, 1, 1))
        >>> d["government_share_ok"], d["cash_ratio_ok"], d["compliant"]
        (False, True, False)
    """
    rule_set: RuleSet = read_document("kr_rd_matching.yaml")
    return rule_set
