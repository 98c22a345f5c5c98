"""Scenarios: reforms as data, baseline against reform over firm populations, experiments.

The layer above the engines (:mod:`stratpolicy.rules`, :mod:`stratpolicy.graph`) and the
catalogs, below the faces:

* :class:`Reform` -- a document of the file format (``document: reform``): dated
  parameter overrides with explicit periods, set members added and removed, rules added,
  replaced and removed, new inputs, categories and parameters, portfolio changes; a citation
  or ``hypothetical: true``; composable with ``|``; ``reform.apply(rule_set)`` and
  ``reform.apply(portfolio)``.
* :class:`Population` -- firms (or projects) read from CSV, Parquet, pandas or pyarrow and
  checked strictly against a rule set's inputs, with row weights;
  :func:`synthetic_firms` -- a seeded, labelled synthetic Korean firm population.
* :func:`compare` -- baseline against reform over a population on a date (:class:`
  Comparison`: per row, by group, totals, winners and losers, pandas, Parquet, HTML, a plot);
  :func:`compare_portfolios` -- coverage, gaps and funding flow before and after.
* :class:`ExperimentSpec` (``document: experiments``) with :class:`Factor` levers and
  uncertainties, :class:`Outcome` s and a sampler (grid, Latin hypercube, Sobol');
  :func:`run_experiments` serially, on any ``concurrent.futures`` executor or on Dask,
  with identical results, streaming to Parquet and resuming; :func:`read_results`.
* :func:`evaluate_partitions` -- a rule set over the partitions of a Dask DataFrame;
  :func:`local_dask_client` -- a local Dask cluster of worker processes, set up for it;
  :func:`tune_malloc` and :data:`MALLOC_SETTINGS` -- glibc's allocator tuned for numpy's
  temporaries (repeated evaluations about twice as fast).
* :mod:`~stratpolicy.scenarios.examples` -- the shipped reforms and study.

Importing this package loads neither numpy nor pandas; they load on first use.

Examples:
    >>> import datetime as dt
    >>> from stratpolicy.catalogs import korea
    >>> from stratpolicy.scenarios import ParameterOverride, Reform
    >>> reform = Reform(id="sme_50", name="SME NST R&D at 50 %", hypothetical=True, parameters=[
    ...     ParameterOverride(parameter="nst_rd_base_rate", key="sme", value=0.50,
    ...                       start=dt.date(2026, 1, 1), end=dt.date(2029, 12, 31))])
    >>> firm = {"firm_size": "sme", "rsta_field": "semiconductors",
    ...         "nst_rd_expense": 1e9, "revenue": 1e11}
    >>> reformed = reform.apply(korea.tax_credits())
    >>> round(reformed.evaluate(firm, on=dt.date(2026, 6, 30))["nst_rd_credit"])
    530000000
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from stratpolicy.io import register_kind
from stratpolicy.scenarios._experiments import (
    OUTCOME_STATISTICS,
    SAMPLERS,
    Design,
    ExperimentSpec,
    Factor,
    Outcome,
    PopulationSource,
)
from stratpolicy.scenarios._reform import (
    BudgetChange,
    CategoryChange,
    InstrumentEnd,
    ParameterOverride,
    PortfolioChanges,
    Reform,
    RuleChanges,
    SupportChange,
)

if TYPE_CHECKING:
    from stratpolicy.scenarios import examples
    from stratpolicy.scenarios._compare import Comparison, compare
    from stratpolicy.scenarios._dask import evaluate_partitions, local_dask_client
    from stratpolicy.scenarios._memory import MALLOC_SETTINGS, tune_malloc
    from stratpolicy.scenarios._population import MISSING_POLICIES, Population
    from stratpolicy.scenarios._portfolios import PortfolioComparison, compare_portfolios
    from stratpolicy.scenarios._runner import (
        DASK_MIN_BATCH,
        ExperimentResults,
        read_results,
        run_experiments,
    )
    from stratpolicy.scenarios._synthetic import ASSUMPTIONS, SOURCES, synthetic_firms

register_kind("reform", Reform)
register_kind("experiments", ExperimentSpec)

# public name -> private module; loaded on first access (they import numpy or pandas)
_LAZY: dict[str, str] = {
    "examples": "",
    "Comparison": "_compare",
    "compare": "_compare",
    "evaluate_partitions": "_dask",
    "local_dask_client": "_dask",
    "MALLOC_SETTINGS": "_memory",
    "tune_malloc": "_memory",
    "MISSING_POLICIES": "_population",
    "Population": "_population",
    "PortfolioComparison": "_portfolios",
    "compare_portfolios": "_portfolios",
    "DASK_MIN_BATCH": "_runner",
    "ExperimentResults": "_runner",
    "read_results": "_runner",
    "run_experiments": "_runner",
    "ASSUMPTIONS": "_synthetic",
    "SOURCES": "_synthetic",
    "synthetic_firms": "_synthetic",
}

__all__ = [
    "ASSUMPTIONS",
    "DASK_MIN_BATCH",
    "MALLOC_SETTINGS",
    "MISSING_POLICIES",
    "OUTCOME_STATISTICS",
    "SAMPLERS",
    "SOURCES",
    "BudgetChange",
    "CategoryChange",
    "Comparison",
    "Design",
    "ExperimentResults",
    "ExperimentSpec",
    "Factor",
    "InstrumentEnd",
    "Outcome",
    "ParameterOverride",
    "Population",
    "PopulationSource",
    "PortfolioChanges",
    "PortfolioComparison",
    "Reform",
    "RuleChanges",
    "SupportChange",
    "compare",
    "compare_portfolios",
    "evaluate_partitions",
    "examples",
    "local_dask_client",
    "read_results",
    "run_experiments",
    "synthetic_firms",
    "tune_malloc",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stratpolicy.scenarios' has no attribute {name!r}")
    value = (
        importlib.import_module(f"stratpolicy.scenarios.{name}")
        if module == ""
        else getattr(importlib.import_module(f"stratpolicy.scenarios.{module}"), name)
    )
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
