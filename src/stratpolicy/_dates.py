"""Validity periods: the one rule for "in force on a date", shared by model and rules."""

from __future__ import annotations

import datetime as dt


def in_period(on: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether ``on`` lies in ``[start, end]``; an open end counts as unbounded."""
    return (start is None or start <= on) and (end is None or on <= end)
