"""Validation helpers used by the model classes (and units) at construction.

A :class:`Checker` collects every problem of one object, each with a path relative to the
object, and raises them together as one error. The loader puts the object's own path in
front, so a user sees ``missions[2].requires[0].weight: must be in (0, 1], got 2``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from stratpolicy.errors import DataError, Problem, ValidationError


class Checker:
    """Collects the problems of one object and raises them all at once."""

    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, kind: type[DataError] = ValidationError) -> None:
        """Record one problem at ``path``."""
        self.problems.append(Problem(path, message, kind))

    def extend(self, prefix: str, problems: Iterable[Problem]) -> None:
        """Record problems found in a part of the object, under ``prefix``."""
        self.problems.extend(p.at(prefix) for p in problems)

    def non_empty(self, path: str, value: str) -> None:
        """A text field must hold something other than blanks."""
        if not value.strip():
            self.add(path, "must not be empty")

    def in_range(
        self,
        path: str,
        value: float | None,
        low: float,
        high: float,
        *,
        low_open: bool = False,
    ) -> None:
        """``value`` must lie in ``[low, high]`` (or ``(low, high]`` when ``low_open``)."""
        if value is None:
            return
        too_low = value <= low if low_open else value < low
        if too_low or value > high or value != value:  # NaN fails too
            bracket = "(" if low_open else "["
            self.add(path, f"must be in {bracket}{low:g}, {high:g}], got {value:g}")

    def date_order(self, path: str, start: dt.date | None, end: dt.date | None) -> None:
        """An end date must not come before its start date."""
        if start is not None and end is not None and end < start:
            self.add(path, f"must not be before the start date {start.isoformat()}, got {end}")

    def unique(self, path: str, values: Iterable[object], what: str = "value") -> None:
        """No value may appear twice in ``values``."""
        seen: set[object] = set()
        for i, value in enumerate(values):
            if value in seen:
                self.add(f"{path}[{i}]", f"duplicate {what} {value!r}")
            seen.add(value)

    def done(self) -> None:
        """Raise every recorded problem as one error, if there are any."""
        if self.problems:
            raise DataError.from_problems(self.problems)
