"""The small type system of rule expressions.

Every expression has one of these types, found when a rule set is built:

* :class:`NumT` -- a number with a *dimension*: a money amount in one currency (``KRW``), a
  plain ratio (dimensionless), a count, or a product of those (``KRW/count``). Dimensions
  multiply and divide like units; ``+``, ``-``, comparisons, ``min``/``max`` need equal
  dimensions. The literal ``0`` fits any dimension (``max(0, investment - average)``) where it
  stands on its own; in a product or a quotient it is a ratio, so ``0 * amount_in_usd`` is
  still an amount in USD. Every other literal is a ratio.
* :class:`BoolT` -- true or false.
* :class:`CatT` -- a category: one string out of a known set of allowed values.
* :class:`SetT` -- a set of categories (a set-valued parameter, used with ``in``).
* :class:`KeyedT` -- a table of numbers keyed by category (a keyed parameter, used as
  ``table[key]``).
* :class:`DateT` -- a calendar day: compared with another date, measured with
  ``days_between(start, end)`` (a plain number of days).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "RATIO",
    "BoolT",
    "CatT",
    "DateT",
    "Dim",
    "KeyedT",
    "NumT",
    "SetT",
    "Type",
    "describe",
    "dim_div",
    "dim_mul",
    "dim_of_unit",
    "dim_pow",
    "dim_text",
]

Dim = tuple[tuple[str, int], ...]
"""A dimension: sorted ``(unit, exponent)`` pairs; ``()`` is a plain ratio."""

RATIO: Dim = ()


def dim_of_unit(unit: str) -> Dim:
    """The dimension of a declared unit: ``""`` or ``"ratio"`` is a ratio, else the unit."""
    return RATIO if unit in ("", "ratio", "1") else ((unit, 1),)


def _combine(a: Dim, b: Dim, sign: int) -> Dim:
    exps = dict(a)
    for unit, exp in b:
        exps[unit] = exps.get(unit, 0) + sign * exp
    return tuple(sorted((u, e) for u, e in exps.items() if e != 0))


def dim_mul(a: Dim, b: Dim) -> Dim:
    """The dimension of a product."""
    return _combine(a, b, 1)


def dim_div(a: Dim, b: Dim) -> Dim:
    """The dimension of a quotient."""
    return _combine(a, b, -1)


def dim_pow(a: Dim, n: int) -> Dim:
    """The dimension of a power with integer exponent ``n``."""
    return tuple((u, e * n) for u, e in a) if n else RATIO


def dim_text(d: Dim) -> str:
    """A short text for a dimension: ``ratio``, ``KRW``, ``KRW^2``, ``KRW/count``."""
    if not d:
        return "ratio"
    num = [u if e == 1 else f"{u}^{e}" for u, e in d if e > 0]
    den = [u if e == -1 else f"{u}^{-e}" for u, e in d if e < 0]
    text = "*".join(num) or "1"
    if den:
        text += "/" + "/".join(den)
    return text


@dataclass(frozen=True, slots=True)
class NumT:
    """A number; ``dim`` is ``None`` only for the literal zero, which fits any dimension."""

    dim: Dim | None


@dataclass(frozen=True, slots=True)
class BoolT:
    """True or false."""


@dataclass(frozen=True, slots=True)
class CatT:
    """A category out of ``values``."""

    values: frozenset[str]


@dataclass(frozen=True, slots=True)
class SetT:
    """A set of categories; ``members`` is every member it has on any date."""

    members: frozenset[str]


@dataclass(frozen=True, slots=True)
class KeyedT:
    """A table of numbers of dimension ``dim`` keyed by the categories ``keys``."""

    keys: frozenset[str]
    dim: Dim


@dataclass(frozen=True, slots=True)
class DateT:
    """A calendar day."""


Type = NumT | BoolT | CatT | SetT | KeyedT | DateT


def _values(values: frozenset[str]) -> str:
    shown = sorted(values)
    text = ", ".join(repr(v) for v in shown[:8])
    return text + (", ..." if len(shown) > 8 else "")


def describe(t: Type) -> str:
    """A phrase for a type, for error messages: ``a money amount in KRW``."""
    if isinstance(t, NumT):
        if t.dim is None:
            return "the number 0"
        if not t.dim:
            return "a ratio (a plain number)"
        if len(t.dim) == 1 and t.dim[0][1] == 1:
            unit = t.dim[0][0]
            if len(unit) == 3 and unit.isalpha() and unit.isupper():
                return f"an amount in {unit}"
            return f"a number in {unit}"
        return f"a number in {dim_text(t.dim)}"
    if isinstance(t, BoolT):
        return "true/false"
    if isinstance(t, DateT):
        return "a date"
    if isinstance(t, CatT):
        return f"a category (one of {_values(t.values)})"
    if isinstance(t, SetT):
        return f"a set of categories ({_values(t.members)})"
    return f"a table keyed by category ({_values(t.keys)})"
