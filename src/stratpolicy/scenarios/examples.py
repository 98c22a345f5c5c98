"""The shipped examples: reform documents and a study, as package data.

* :func:`sme_nst_rd_50` -- (a) the SME national-strategic-technology R&D credit at 50 % from
  2026 (hypothetical);
* :func:`rsta_nst_12_areas` -- (b) the RSTA strategic-technology list extended to the
  Special Act's 12 areas: the summit's linkage call, with no published rule (hypothetical,
  labelled);
* :func:`matching_easing_2025` -- the summit's easing of corporate matching in strategic
  research projects, a dated reform of :func:`stratpolicy.catalogs.korea.rd_matching` with
  its source and the unknowns stated (illustrative shares);
* :func:`rd_credit_study` -- (c) a Latin-hypercube study of R&D credit rates by firm size,
  1,000 experiments.

The documents live in ``stratpolicy/catalogs/data/reforms/``; :func:`path` gives a file to
read or copy.

Examples:
    >>> names()
    ('kr_sme_nst_rd_50', 'kr_rsta_nst_12_areas', 'kr_matching_easing_2025')
    >>> get("kr_sme_nst_rd_50").is_hypothetical
    True
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable

from stratpolicy import io
from stratpolicy.scenarios._experiments import ExperimentSpec
from stratpolicy.scenarios._reform import Reform

__all__ = [
    "STUDIES",
    "get",
    "matching_easing_2025",
    "names",
    "path",
    "rd_credit_study",
    "rsta_nst_12_areas",
    "sme_nst_rd_50",
    "study",
]

_REFORMS = ("kr_sme_nst_rd_50", "kr_rsta_nst_12_areas", "kr_matching_easing_2025")

STUDIES = ("kr_rd_credit_rates_lhs",)
"""The names of the shipped studies."""


def path(name: str) -> Traversable:
    """The package-data file of an example (``name`` without ``.yaml``).

    Raises:
        KeyError: No example has that name.
    """
    if name not in _REFORMS and name not in STUDIES:
        raise KeyError(f"no example {name!r}; examples: {', '.join((*_REFORMS, *STUDIES))}")
    return resources.files("stratpolicy.catalogs").joinpath("data", "reforms", f"{name}.yaml")


def _read(name: str) -> str:
    return path(name).read_text(encoding="utf-8")


def names() -> tuple[str, ...]:
    """The names of the shipped reforms."""
    return _REFORMS


def get(name: str) -> Reform:
    """A shipped reform by name.

    Raises:
        KeyError: No reform has that name.
    """
    if name not in _REFORMS:
        raise KeyError(f"no example reform {name!r}; reforms: {', '.join(_REFORMS)}")
    return io.loads(
        _read(name), "yaml", Reform, source=f"stratpolicy/catalogs/data/reforms/{name}.yaml"
    )


def sme_nst_rd_50() -> Reform:
    """(a) The SME rate of the NST R&D credit at 50 % from 2026-01-01 to 2029-12-31.

    Hypothetical: no bill proposes it.
    """
    return get("kr_sme_nst_rd_50")


def rsta_nst_12_areas() -> Reform:
    """(b) The RSTA NST list extended to the Special Act's 12 areas, 2027-2029.

    Hypothetical and labelled: the 2025-12-18 summit called for linking the two lists; no
    rule, list or date was published. Adds the six uncovered areas as categories of
    ``rsta_field`` (so the baseline, widened, treats them like ``other``).
    """
    return get("kr_rsta_nst_12_areas")


def matching_easing_2025() -> Reform:
    """The summit's easing of corporate matching, for rule set ``kr_rd_matching``.

    Cited to the 2025-12-18 announcement and the Special Act Art. 12(3) route; the shares
    (an illustrative halving of the minimum own share), the start date (2026-01-01) and the
    firm sizes covered are assumptions, each stated in ``assumptions``.
    """
    return get("kr_matching_easing_2025")


def study(name: str) -> ExperimentSpec:
    """A shipped study by name.

    Raises:
        KeyError: No study has that name.
    """
    if name not in STUDIES:
        raise KeyError(f"no example study {name!r}; studies: {', '.join(STUDIES)}")
    return io.loads(
        _read(name), "yaml", ExperimentSpec, source=f"stratpolicy/catalogs/data/reforms/{name}.yaml"
    )


def rd_credit_study() -> ExperimentSpec:
    """(c) A Latin-hypercube study of NST R&D credit rates by firm size, 1,000 experiments.

    Levers: the NST base rate for SMEs (40-60 %), mid-sized and large firms (30-45 %), the
    add-on cap (10-15 points); uncertainty: firms' NST R&D (x0.9 to x1.3); outcomes: the
    change in R&D credits, in total and by firm size, the baseline credit and the winners.
    Use ``attrs.evolve(spec, n=...)`` for a smaller run.
    """
    return study("kr_rd_credit_rates_lhs")
