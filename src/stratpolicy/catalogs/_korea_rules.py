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
    >>> round(d["nst_rd_credit_rate"], 6), round(d["rd_credit"])
    (0.43, 430000000)
"""

from __future__ import annotations

from stratpolicy.catalogs._data import read_document
from stratpolicy.rules import RuleSet

__all__ = ["rd_matching", "tax_credits"]


def tax_credits() -> RuleSet:
    """The RSTA R&D credit (Art. 10(1)) and integrated investment credit (Art. 24).

    One rule set, id ``kr_rsta_tax_credits``, tax years 2021-2029 (semiconductor R&D to
    2031; the general R&D tier and the general and new-growth investment rates have no
    sunset in the statute). Every rate is dated and cited to the act or decree (law number,
    article, addendum) with its law.go.kr address; notes say where a fact is of medium
    confidence or an assumption of the library.

    The evaluation date is the date the expense was incurred or the investment made; its
    calendar year is the tax year. Dates before 2021-01-01 are refused.

    **Inputs** (money in KRW; see each input's ``description``):

    * ``firm_size``: ``sme``, ``sme_graduated`` (years 1-3 after first ceasing to be an SME,
      first ceasing in a tax year from 2025), ``sme_graduated_y4_5`` (years 4-5 of that),
      ``sme_graduated_pre2025`` and ``sme_graduated_pre2025_y4_5`` (the same for firms that
      first ceased before 2025), ``mid_sized``, ``large``;
      ``prior_3yr_avg_sales`` decides whether a mid-sized or graduated firm is a 중견기업
      (below 500 bn KRW for Art. 10, 300 bn KRW for Art. 24); ``kosdaq_listed`` (bool).
    * R&D: ``new_growth_rd_expense`` (1호), ``nst_rd_expense`` with ``rsta_field`` (2호; the
      eight RSTA fields or ``other``), ``general_rd_expense`` (3호) with
      ``prior_year_general_rd_expense`` and ``prior_4yr_avg_general_rd_expense``;
      ``revenue``.
    * Investment: ``general_investment``, ``new_growth_facility_investment``,
      ``nst_facility_investment`` (its field is ``rsta_field``; semiconductor rates follow
      from the field), ``prior_3yr_avg_investment``, ``temporary_credit_elected`` (bool).

    **Outputs**: ``new_growth_rd_credit_rate``, ``new_growth_rd_credit``,
    ``nst_rd_credit_rate``, ``nst_rd_credit``, ``general_rd_current_year_credit``,
    ``general_rd_incremental_credit``, ``general_rd_credit``, ``general_rd_method``,
    ``rd_credit`` (the sum of the tiers); ``regular_basic_credit``,
    ``regular_additional_credit``, ``temporary_basic_credit``,
    ``temporary_additional_credit``, ``temporary_credit_applied``,
    ``investment_basic_credit``, ``investment_additional_credit``, ``investment_credit``;
    ``tax_credit`` (R&D plus investment, before the minimum tax); and the intermediate
    values the explanation shows (eligibility flags, size classes, amounts).

    * 1호: ``expense * (base + min(cap, 3 * expense / revenue))``, base 30 % SME, 25 %
      graduated (2025-), 20 % others (KOSDAQ-listed 중견기업 25 % with a 15-point cap to 2024).
    * 2호: the same with 40 / 35 / 30 %, for fields on the NST list on the date (expenses
      from 2021-07-01; displays, hydrogen, future mobility 2023-01-01; biopharmaceuticals
      2023-07-01; AI 2025-01-01; sunset 2029-12-31, semiconductors 2031-12-31).
    * 3호: the larger of the incremental method (50 / 40 / 25 % of the increase over the
      preceding year) and the current-year method (25 % SME, graduated 15-20 % / 10-15 %,
      중견기업 8 %, others ``min(2 %, general R&D / revenue / 2)``), the incremental method only
      when there was general R&D in the 4 preceding years and the preceding year's is not
      below their average. R&D that does not qualify for 1호 or 2호 on the date is general R&D.
    * Art. 24: basic rates by category, size and year; the additional credit on investment
      above the prior 3-year average (3 %, NST 4 %, to 2024; 10 % from 2025), at most twice
      the basic credit, none without a prior average; the temporary credit in tax year 2023
      (mandatory) and 2024-2025 (elective). NST facilities outside the list on the date are
      general assets.

    Examples:
        >>> import datetime as dt
        >>> quantum = {"firm_size": "sme", "new_growth_rd_expense": 1e9, "revenue": 1e11}
        >>> round(tax_credits().evaluate(quantum, on=dt.date(2025, 12, 31))["rd_credit"])
        330000000
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
