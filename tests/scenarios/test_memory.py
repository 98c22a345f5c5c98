"""tune_malloc: glibc's thresholds set in a running process, results unchanged."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux's")
def test_tune_malloc_sets_glibcs_thresholds_and_changes_no_result() -> None:
    # in a child process: the setting is process-wide and must not leak into the test run
    code = textwrap.dedent(
        """
        import datetime as dt, platform
        from stratpolicy.catalogs import korea
        from stratpolicy.scenarios import synthetic_firms, tune_malloc

        firms = synthetic_firms(20_000, seed=4).table()
        on = dt.date(2026, 6, 30)
        before = korea.tax_credits().evaluate_many(firms, on=on)["rd_credit"].tobytes()
        applied = tune_malloc()
        after = korea.tax_credits().evaluate_many(firms, on=on)["rd_credit"].tobytes()
        print(applied, platform.libc_ver()[0], before == after)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    ).stdout.split()
    applied, libc, same = out
    assert same == "True"
    # glibc's mallopt returns 1 for each accepted setting; other C libraries decline
    assert applied == ("True" if libc == "glibc" else "False")


def test_tune_malloc_declines_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    from stratpolicy.scenarios import _memory

    monkeypatch.setattr(_memory.sys, "platform", "darwin")
    assert _memory.tune_malloc() is False
