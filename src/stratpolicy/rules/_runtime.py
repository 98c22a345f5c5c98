"""Runtime helpers shared by the compiled code, the vector kernels and the interpreter.

All three paths use these, so that they compute exactly the same numbers.

``min``/``max`` ignore NaN like :func:`numpy.fmin`/:func:`numpy.fmax`; ``round`` follows
:func:`numpy.round` (scale, round half to even, unscale); ``clip(x, lo, hi)`` is
``min(max(x, lo), hi)``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

__all__ = [
    "DAYS_RANGE",
    "MAX_REPORTED_ROWS",
    "UNSET",
    "Missing",
    "clip",
    "days_between",
    "fmax",
    "fmin",
    "missing",
    "round_half_even",
    "shown",
]


class _Unset:
    """The value of an input that was not given or an output no rule set.

    Every operation on it fails, so a rule that reads it cannot silently go on.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self) -> str:
        return "UNSET"  # pickled by name: the one instance survives a round trip

    def _fail(self, *_: object) -> NoReturn:
        raise TypeError("unset value used")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _fail
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _fail
    __truediv__ = __rtruediv__ = __neg__ = __pos__ = __abs__ = _fail
    __bool__ = __hash__ = __float__ = __index__ = _fail


UNSET: Any = _Unset()

MAX_REPORTED_ROWS = 20
"""Most failing rows one error lists, first failing row first.

:meth:`RuleSet.evaluate_many` and :func:`read_table` report every bad row up to this many
(each with its problem), then how many more rows fail."""

_SHOWN_LIMIT = 60


def shown(value: object) -> str:
    """A short, safe description of a value for an error message.

    Never expands a huge value: an integer too long to print is described by its number
    of digits, long text and reprs are cut, and a ``__repr__`` that fails is not trusted.

    Examples:
        >>> shown(10**400)
        'an integer of 401 digits'
        >>> shown("ab" * 40)
        "'abababababababababababababababababababababababababababababab'... (80 characters)"
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > 200:
            digits = int(value.bit_length() * 0.30103) + 1
            if abs(value) < 10 ** (digits - 1):
                digits -= 1
            return f"an integer of {digits} digits"
        return repr(value)
    if isinstance(value, str):
        if len(value) > _SHOWN_LIMIT:
            return f"{value[:_SHOWN_LIMIT]!r}... ({len(value)} characters)"
        return repr(value)
    if isinstance(value, float | bool) or value is None:
        return repr(value)
    kind = type(value).__name__
    if isinstance(value, list | tuple | dict | set | frozenset):
        return f"a {kind} of {len(value)} items"
    try:
        text = repr(value)
    except Exception:
        return f"a {kind}"
    if not isinstance(text, str):  # pragma: no cover - a broken __repr__
        return f"a {kind}"
    if len(text) > _SHOWN_LIMIT:
        return f"a {kind} ({text[:_SHOWN_LIMIT]}...)"
    return text


class Missing(Exception):
    """Raised by compiled code that reads an unset input or output (index in the plan)."""

    def __init__(self, kind: str, index: int) -> None:
        super().__init__(kind, index)
        self.kind = kind
        self.index = index


def missing(kind: str, index: int) -> NoReturn:
    """Raise :class:`Missing` (called from compiled code)."""
    raise Missing(kind, index)


def fmin(a: float, b: float) -> float:
    """``min`` ignoring NaN, exactly like :func:`numpy.fmin` on two floats."""
    return b if (b < a or a != a) else a


def fmax(a: float, b: float) -> float:
    """``max`` ignoring NaN, exactly like :func:`numpy.fmax` on two floats."""
    return b if (b > a or a != a) else a


def days_between(start: Any, end: Any) -> float:
    """The number of days from ``start`` to ``end`` (two dates), as a float.

    Examples:
        >>> import datetime as dt
        >>> days_between(dt.date(2025, 12, 31), dt.date(2027, 1, 1))
        366.0
    """
    return float(end.toordinal() - start.toordinal())


DAYS_RANGE = float(dt.date.max.toordinal() - dt.date.min.toordinal())
"""The most days between two dates (from 0001-01-01 to 9999-12-31)."""


def clip(x: float, low: float, high: float) -> float:
    """``min(max(x, low), high)`` with NaN-ignoring min and max."""
    return fmin(fmax(x, low), high)


_LIMIT = 4503599627370496.0  # 2**52: every float at least this large is a whole number


def _rint(y: float) -> float:
    if -_LIMIT < y < _LIMIT:
        return float(round(y))
    return y


def round_half_even(x: float, digits: int = 0) -> float:
    """Round like :func:`numpy.round`: scale by ``10**digits``, round half to even, unscale.

    Examples:
        >>> round_half_even(2.675, 2), round_half_even(2.5), round_half_even(1234.0, -2)
        (2.68, 2.0, 1200.0)
    """
    if digits == 0:
        return _rint(x)
    if digits > 0:
        f = 10.0**digits
        return _rint(x * f) / f
    f = 10.0 ** (-digits)
    return _rint(x / f) * f
