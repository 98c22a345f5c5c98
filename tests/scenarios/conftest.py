"""Small populations whose credits the tests work out by hand.

The RSTA NST R&D credit (2호): ``credit = expense * (base[size] + min(0.10, 3 * expense /
revenue))`` for a field on the NST list on the date; the statutory base is 40 % for SMEs
and 30 % for mid-sized and large firms from 2021-07-01 (2025: graduated SMEs apart).
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from stratpolicy.catalogs import korea
from stratpolicy.rules import RuleSet


@functools.cache
def rsta() -> RuleSet:
    return korea.tax_credits()


def firms_columns() -> dict[str, object]:
    """Four firms, each with NST R&D in semiconductors of 1 bn KRW and revenue of 100 bn
    KRW (intensity 1 %, add-on 3 x 1 % = 3 points), no general R&D."""
    return {
        "firm_size": ["sme", "mid_sized", "large", "sme"],
        "rsta_field": ["semiconductors", "semiconductors", "semiconductors", "other"],
        "nst_rd_expense": [1e9, 1e9, 1e9, 1e9],
        "revenue": [1e11, 1e11, 1e11, 1e11],
        "prior_3yr_avg_sales": [1e11, 1e11, 1e11, 1e11],
        "prior_year_general_rd_expense": [1e9, 1e9, 1e9, 1e9],
        "prior_4yr_avg_general_rd_expense": [1e9, 1e9, 1e9, 1e9],
        "prior_3yr_avg_investment": [0.0, 0.0, 0.0, 0.0],
        "weight": [10.0, 2.0, 1.0, 5.0],
    }


@pytest.fixture
def firms():  # type: ignore[no-untyped-def]
    from stratpolicy.scenarios import Population

    return Population.from_columns(firms_columns(), rsta())


@pytest.fixture
def random_table() -> dict[str, object]:
    """500 random firms of every size class and field (seeded)."""
    rng = np.random.default_rng(5)
    rs = rsta()
    sizes = next(i for i in rs.inputs if i.name == "firm_size").categories
    fields = next(i for i in rs.inputs if i.name == "rsta_field").categories
    n = 500
    revenue = rng.uniform(1e9, 1e12, n)
    return {
        "firm_size": np.asarray(rng.choice(["sme", "mid_sized", "large"], n), dtype=object),
        "rsta_field": np.asarray(rng.choice(list(fields), n), dtype=object),
        "nst_rd_expense": rng.uniform(0, 5e9, n),
        "new_growth_rd_expense": rng.uniform(0, 1e9, n),
        "general_rd_expense": rng.uniform(0, 2e9, n),
        "prior_year_general_rd_expense": rng.uniform(0, 2e9, n),
        "prior_4yr_avg_general_rd_expense": rng.uniform(0, 2e9, n),
        "revenue": revenue,
        "prior_3yr_avg_sales": revenue * rng.uniform(0.5, 1.5, n),
        "general_investment": rng.uniform(0, 1e9, n),
        "nst_facility_investment": rng.uniform(0, 1e9, n),
        "prior_3yr_avg_investment": rng.uniform(0, 1e9, n),
        "_sizes": sizes,
    }
