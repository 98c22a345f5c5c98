"""The permanent fuzz test: a seeded, bounded campaign over mutated built-in catalogs.

Hypothesis draws the mutations (``tests/fuzz.py`` describes them and the contract) with a
fixed seed (``derandomize``), so every run checks the same cases; the budget of cases fits
in about 30 s here. A longer run is ``python -m tests.fuzz --minutes 10`` (seed 0 unless given).
"""

from __future__ import annotations

import faulthandler
import resource
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import fuzz

CASES = 1500

_peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@pytest.fixture(scope="module", autouse=True)
def _seed_documents() -> None:
    fuzz.seeds()  # built once, outside the timed cases


@settings(
    max_examples=CASES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(rng=st.randoms(use_true_random=False), fmt=st.sampled_from(fuzz.FORMATS))
def test_mutated_documents_keep_the_contract(rng: object, fmt: str) -> None:
    case = fuzz.make_case(rng, fmt)  # type: ignore[arg-type]
    # a real hang (one that never returns to Python) stops the run with a traceback
    faulthandler.dump_traceback_later(60, exit=True)
    try:
        outcome = fuzz.run_case(case)
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert outcome.kind in ("library_error", "accepted"), (
        f"{outcome.kind} after {outcome.seconds:.2f} s: {outcome.detail}\n"
        f"case: {case.describe()}\nfirst bytes: {case.data[:300]!r}"
    )
    assert outcome.seconds <= fuzz.HANG_SECONDS


def test_the_campaign_stayed_within_memory() -> None:
    """Run after the campaign (tests run in file order): the peak grew by less than 1 GB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kib = 1 if sys.platform != "darwin" else 1024  # ru_maxrss is KiB on Linux, bytes on macOS
    assert (peak - _peak_before) / kib < 1024 * 1024


def test_the_fuzzer_finds_what_the_contract_forbids() -> None:
    """The oracle is not blind: it flags a non-finite number and a non-library exception."""
    import datetime as dt

    from stratpolicy import IndicatorPoint

    point = IndicatorPoint(on=dt.date(2026, 1, 1), value=1.0)
    object.__setattr__(point, "value", float("nan"))
    assert any("does not re-validate" in p for p in fuzz.invalid(point))
    outcome = fuzz.run_case(fuzz.Case("x", "json", b"{}", []))
    assert outcome.kind == "library_error"
    broken = fuzz.Case("x", "xml", b"{}", [])  # an unknown format is a library error too
    assert fuzz.run_case(broken).kind == "library_error"
