"""Where a value may stop being a finite number: interval analysis of a rule set.

Facts are finite (and within their input's ``min``/``max``), parameters are finite, and
every output is checked where it is set; so a NaN or an infinity can only come from
arithmetic on the way. This module finds where: it computes, for every number expression,
an interval that holds every value the expression can take (from the inputs' bounds, the
parameters' values on every date, the literals, and the outputs' own intervals, in
dependency order), and marks as a *site* every node whose value must be checked:

* an output's expression, when its interval reaches past the float range;
* a value that could hide a NaN or an infinity on its way to a result: an operand of a
  comparison (``a * a > 0`` would be true), an argument of ``min``/``max``/``clip`` (they
  would drop it), a denominator (``x / inf`` is 0) -- again when its interval reaches past
  the float range.

Once checked, a value is finite, so its interval is clipped to the float range for the
expressions that use it. The scalar path, the vector path and the careful interpreter all
check exactly the sites found here (``Plan.checked``), so they fail on exactly the same
cases. Declaring bounds (``Input(min=0)``) makes intervals narrower and sites fewer.

Intervals are computed with the same float operations as the values (rounding is monotonic,
so an operation on the bounds bounds the operation on the values); an endpoint of ``inf``
means "may overflow" (to an actual infinity, so ``0 * inf`` may be NaN); an interval with a
NaN bound says nothing and becomes ``(-inf, inf)``.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Mapping

from stratpolicy.rules import _ir as ir
from stratpolicy.rules._runtime import DAYS_RANGE

__all__ = ["FULL", "Interval", "Ranges", "hull", "is_finite_interval"]

Interval = tuple[float, float]
"""``(low, high)``: every value of an expression lies between them (inclusive)."""

_MAX = sys.float_info.max
_INF = math.inf
FULL: Interval = (-_MAX, _MAX)
"""Any finite float."""
_ANY: Interval = (-_INF, _INF)
_TINY = 5e-324  # the smallest positive float: a denominator that is not zero is at least it


def is_finite_interval(interval: Interval) -> bool:
    """Whether every value in ``interval`` is a finite float (NaN bounds: no)."""
    low, high = interval
    return low > -_INF and high < _INF


def _clip(interval: Interval) -> Interval:
    low, high = interval
    if low != low or high != high:  # NaN: nothing known
        return FULL
    return (max(low, -_MAX), min(high, _MAX))


def hull(intervals: Iterable[Interval]) -> Interval:
    """The smallest interval holding all of ``intervals``."""
    items = list(intervals)
    return (min(i[0] for i in items), max(i[1] for i in items))


def _norm(interval: Interval) -> Interval:
    """An interval with a NaN bound (``inf - inf``, ``0 * inf``) says nothing: any value."""
    low, high = interval
    if low != low or high != high:
        return _ANY
    return interval


def _times(a: Interval, b: Interval) -> Interval:
    products = [x * y for x in a for y in b]
    if any(p != p for p in products):  # 0 * inf: a zero times an overflow is NaN
        return _ANY
    return (min(products), max(products))


def _divide(a: Interval, b: Interval) -> Interval:
    low, high = b
    if low < 0.0 < high or low != low or high != high:
        return _ANY
    if low == 0.0 and high == 0.0:  # always zero: always an error of its own
        return (0.0, 0.0)
    # a zero denominator is an error of its own: a denominator that is not is at least the
    # smallest float away from zero, on its side
    if low == 0.0:
        low = _TINY
    if high == 0.0:
        high = -_TINY
    quotients = [x / y for x in a for y in (low, high)]
    if any(q != q for q in quotients):
        return _ANY
    return (min(quotients), max(quotients))


def _maybe(interval: Interval | None) -> Interval | None:
    return None if interval is None else _norm(interval)


class Ranges:
    """Intervals of the expressions of one rule set, and the nodes to check.

    Args:
        env: The interval of every number name an expression may read (inputs,
            parameters, outputs set so far).

    Attributes:
        sites: ``id()`` of every node whose value must be checked.
    """

    def __init__(self, env: Mapping[str, Interval]) -> None:
        self.env = dict(env)
        self.sites: set[int] = set()

    # -- entry points -----------------------------------------------------------------------

    def condition(self, node: ir.Node) -> None:
        """Find the sites of a condition."""
        self._value(node)

    def output(self, node: ir.Node) -> Interval:
        """Find the sites of an output's expression; the interval of the (checked) value."""
        return self._checked(node)

    # -- intervals ------------------------------------------------------------------------

    def _checked(self, node: ir.Node) -> Interval:
        """The interval of a value that is checked where it is computed (a site if needed)."""
        return self._site(node, self._value(node))

    def _site(self, node: ir.Node, interval: Interval | None) -> Interval:
        if interval is None:
            return FULL
        if not is_finite_interval(interval):
            self.sites.add(id(node))
        return _clip(interval)

    def _value(self, node: ir.Node) -> Interval | None:
        if isinstance(node, ir.Num):
            return (node.value, node.value)
        if isinstance(node, ir.Text | ir.Truth | ir.Day):
            return None
        if isinstance(node, ir.Name):
            return self.env.get(node.id)
        if isinstance(node, ir.Lookup):
            return self.env.get(node.table, FULL)
        if isinstance(node, ir.Unary):
            operand = self._value(node.operand)
            if node.op == "not" or operand is None:
                return None
            return _norm((-operand[1], -operand[0]))
        if isinstance(node, ir.Binary):
            left = _maybe(self._value(node.left))
            # a denominator is checked: x / inf would be 0
            right = self._checked(node.right) if node.op == "/" else self._value(node.right)
            if left is None or right is None:  # pragma: no cover - type-checked numbers
                return _ANY
            if node.op == "+":
                return _norm((left[0] + right[0], left[1] + right[1]))
            if node.op == "-":
                return _norm((left[0] - right[1], left[1] - right[0]))
            if node.op == "*":
                return _times(left, right)
            return _divide(left, right)
        if isinstance(node, ir.Power):
            if node.exponent == 0:
                return (1.0, 1.0)
            base = self._value(node.base)
            if base is None:  # pragma: no cover - type-checked numbers
                return _ANY
            result = base
            for _ in range(node.exponent - 1):
                result = _times(result, base)
            return result
        if isinstance(node, ir.Compare):
            for side in (node.left, node.right):
                interval = self._value(side)
                if interval is not None:  # a number, not a category or a bool
                    self._site(side, interval)
            return None
        if isinstance(node, ir.Member):
            self._value(node.item)
            return None
        if isinstance(node, ir.Logic):
            for part in node.operands:
                self._value(part)
            return None
        if isinstance(node, ir.Cond):
            self._value(node.test)
            body = _maybe(self._value(node.body))
            orelse = _maybe(self._value(node.orelse))
            if body is None or orelse is None:
                return None
            return hull([body, orelse])
        return self._call(node)

    def _call(self, node: ir.Call) -> Interval | None:
        func = node.func
        if func == "days_between":  # two dates: at most the span of the calendar apart
            for arg in node.args:
                self._value(arg)
            return (-DAYS_RANGE, DAYS_RANGE)
        if func in ("min", "max", "clip"):
            args = [self._checked(a) for a in node.args]
            if func == "min":
                return (min(a[0] for a in args), min(a[1] for a in args))
            if func == "max":
                return (max(a[0] for a in args), max(a[1] for a in args))
            x, floor, ceiling = args
            raised = (max(x[0], floor[0]), max(x[1], floor[1]))
            return (min(raised[0], ceiling[0]), min(raised[1], ceiling[1]))
        value = _maybe(self._value(node.args[0]))
        if value is None:  # pragma: no cover - type-checked numbers
            return _ANY
        low, high = value
        if func == "abs":
            top = max(abs(low), abs(high))
            bottom = 0.0 if low <= 0.0 <= high else min(abs(low), abs(high))
            return _norm((bottom, top))
        # round(x, digits): rounding moves a value by less than one unit of the scale
        digits = node.args[1] if len(node.args) == 2 else None
        places = int(digits.value) if isinstance(digits, ir.Num) else 0
        if places == 0:
            return _norm((low - 1.0, high + 1.0))
        if places > 0:
            scale = 10.0**places
            return _norm(((low * scale - 1.0) / scale, (high * scale + 1.0) / scale))
        scale = 10.0 ** (-places)
        return _norm(((low / scale - 1.0) * scale, (high / scale + 1.0) * scale))
