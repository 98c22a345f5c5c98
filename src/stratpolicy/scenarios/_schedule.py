"""Dated overrides of a parameter's schedule: the exact semantics of a reform's periods.

A parameter's schedule is a sequence of *pieces*: from each start date a value holds until
the next start (the last one until the parameter's ``end``, or for ever). Before the first
start, and after the end, the parameter has no value.

An override ``[start, end]`` (both days included; ``end=None``: no end) cuts the schedule at
``start`` and at the day after ``end`` and changes every piece between the cuts:

* ``value`` (a number) or ``by_key`` / ``members`` (a whole table or set) replace the
  piece's value -- also where the baseline has no value;
* ``key`` + ``value`` changes one key of the piece's keyed table, ``add`` / ``remove``
  change members of the piece's set; the other keys and members follow the baseline, piece
  by piece. Where the baseline has no value (before its first start, after its end) there
  is nothing to change, and the parameter stays without a value there (a sunset stays a
  sunset); an override that finds no value anywhere in its period is an error.

Inside the period the override wins over every baseline entry, including entries that start
later than the override; outside it the baseline is untouched. Pieces the override made are
merged when they hold the same value, so that a value held across several baseline entries
is one entry.

The result must be a schedule the engine can hold: values from a first start to an end
without a hole. An override that would leave days without a value between two values (it
starts after the baseline's end with a gap, say) is an error naming the days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

from stratpolicy.model import Citation
from stratpolicy.rules import Parameter, ParameterValue

__all__ = ["ScheduleError", "apply_override"]

_FIRST = dt.date.min
_ONE_DAY = dt.timedelta(days=1)


class ScheduleError(Exception):
    """An override cannot be applied; the message says why (the caller adds the path)."""


# A piece: (first day, entry or None for "no value", made by the override?)
_Piece = tuple[dt.date, ParameterValue | None, bool]


def _pieces(param: Parameter) -> list[_Piece]:
    pieces: list[_Piece] = []
    first = param.values[0].start
    if first is not None:
        pieces.append((_FIRST, None, False))
    for entry in param.values:
        pieces.append((entry.start if entry.start is not None else _FIRST, entry, False))
    if param.end is not None and param.end < dt.date.max:
        pieces.append((param.end + _ONE_DAY, None, False))
    return pieces


def _cut(pieces: list[_Piece], day: dt.date) -> None:
    """Make ``day`` the first day of a piece (splitting the piece that holds it)."""
    for i, (start, _, _) in enumerate(pieces):
        if start == day:
            return
        if start > day:
            previous = pieces[i - 1]
            pieces.insert(i, (day, previous[1], previous[2]))
            return
    pieces.append((day, pieces[-1][1], pieces[-1][2]))


def _span(start: dt.date, stop: dt.date | None) -> str:
    first = "the beginning" if start == _FIRST else start.isoformat()
    last = "no end" if stop is None else (stop - _ONE_DAY).isoformat()
    return f"{first} to {last}"


def apply_override(
    param: Parameter,
    start: dt.date,
    end: dt.date | None,
    change: Callable[[ParameterValue | None], Any],
    *,
    relative: bool,
    citation: Citation | None,
    note: str,
) -> Parameter:
    """The schedule of ``param`` with ``change`` applied to every piece in ``[start, end]``.

    Args:
        param: The baseline parameter.
        start: First day of the override.
        end: Last day of the override (``None``: no end).
        change: Given a piece's baseline entry (``None``: no value), returns the new value
            as ``ParameterValue`` keyword arguments (``{"value": 0.5}``); raises
            :class:`ScheduleError` when the piece cannot be changed.
        relative: The change modifies the baseline's value (a key, members): pieces
            without a value are left without one.
        citation: The citation of the new entries.
        note: The note of the new entries.

    Raises:
        ScheduleError: A piece cannot be changed, or the result would have a hole.
    """
    pieces = _pieces(param)
    _cut(pieces, start)
    stop = end + _ONE_DAY if end is not None and end < dt.date.max else None
    if stop is not None:
        _cut(pieces, stop)
    out: list[_Piece] = []
    changed = 0
    for i, (first, entry, made) in enumerate(pieces):
        inside = first >= start and (stop is None or first < stop)
        if not inside:
            out.append((first, entry, made))
            continue
        following = pieces[i + 1][0] if i + 1 < len(pieces) else None
        if entry is None and relative:
            out.append((first, None, made))
            continue
        try:
            fields = change(entry)
        except ScheduleError as exc:
            raise ScheduleError(f"{exc} (on {_span(first, following)})") from None
        changed += 1
        new = ParameterValue(
            start=None if first == _FIRST else first, citation=citation, note=note, **fields
        )
        out.append((first, new, True))
    if not changed:
        raise ScheduleError(
            f"parameter {param.name!r} has no value from {_span(start, stop)} to change; "
            "give its whole value instead"
        )
    merged: list[_Piece] = []
    for piece in out:
        if merged:
            last = merged[-1]
            both_made = piece[2] and last[2]
            if (piece[1] is None and last[1] is None) or (
                both_made
                and last[1] is not None
                and piece[1] is not None
                and last[1].data == piece[1].data
            ):
                continue
        merged.append(piece)
    while merged and merged[0][1] is None:
        merged.pop(0)
    end_day: dt.date | None = None
    if merged and merged[-1][1] is None:
        end_day = merged[-1][0] - _ONE_DAY
        merged.pop()
    holes = [
        (merged[i][0], merged[i + 1][0]) for i in range(len(merged) - 1) if merged[i][1] is None
    ]
    if holes:
        first, following = holes[0]
        raise ScheduleError(
            f"the reformed schedule of {param.name!r} would have no value from "
            f"{_span(first, following)}; a schedule holds values without a hole: make the "
            "override's period meet the baseline's"
        )
    values = []
    for first, entry, _ in merged:
        assert entry is not None
        day = None if first == _FIRST else first
        if entry.start != day:
            entry = attrs.evolve(entry, start=day)
        values.append(entry)
    if not values:  # pragma: no cover - an override always leaves a value
        raise ScheduleError(f"the reformed schedule of {param.name!r} is empty")
    return attrs.evolve(param, values=tuple(values), end=end_day)
