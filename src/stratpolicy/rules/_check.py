"""Type-check a parsed expression against the names a rule set declares.

Checking happens once, when a rule set is built. It finds unknown names, type mismatches
(a money amount added to a ratio, a category compared with a number or with a value
outside its allowed categories) and misuse (a table used without a key, a set used
outside ``in``), and reports each as an :class:`~stratpolicy.errors.ExpressionError`
that names the rule and quotes the expression and the offending part of it.
"""

from __future__ import annotations

import ast
import difflib
import types
from collections.abc import Mapping

from stratpolicy.errors import ExpressionError, Problem
from stratpolicy.rules import _ir as ir
from stratpolicy.rules._types import (
    RATIO,
    BoolT,
    CatT,
    DateT,
    Dim,
    KeyedT,
    NumT,
    SetT,
    Type,
    describe,
    dim_div,
    dim_mul,
    dim_pow,
)

__all__ = ["Checker", "Constraint", "segment"]

Constraint = tuple[str, str, frozenset[str]]
"""What an expression needs of a keyed or set parameter's keys or members, whatever their
values: ``(parameter, "has", {key})`` (``table['key']``), ``(parameter, "keys_within",
categories)`` (``table[category]``), ``(parameter, "members_within", categories)``
(``category in set``). A rule set whose parameters differ only in values and in keys or
members that still meet these type-checks exactly as the one they were recorded on."""


def segment(text: str, pos: ir.Pos) -> str:
    """The part of ``text`` at source position ``pos`` (empty if unknown)."""
    if pos is None:
        return ""
    fake = types.SimpleNamespace(
        lineno=pos[0], col_offset=pos[1], end_lineno=pos[2], end_col_offset=pos[3]
    )
    return ast.get_source_segment(text, fake) or ""  # type: ignore[arg-type]


class _Mismatch(Exception):
    def __init__(self, message: str, node: ir.Node) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


class Checker:
    """Checks expressions against a fixed environment of names and their types.

    Args:
        env: Every name an expression may read, with its type.
    """

    def __init__(
        self, env: Mapping[str, Type], constraints: list[Constraint] | None = None
    ) -> None:
        self.env = env
        self.constraints = constraints

    def check(self, node: ir.Node, text: str, where: str, path: str) -> Type:
        """The type of ``node``; raise :class:`ExpressionError` if it has none.

        Args:
            node: The parsed expression.
            text: Its source text (as parsed, stripped), quoted in messages.
            where: Who owns the expression, e.g. ``rule 'r1', output 'credit'``.
            path: Document path for the problem, e.g. ``rules[0].outputs.credit``.
        """
        try:
            return self._type(node)
        except _Mismatch as exc:
            part = segment(text, exc.node.pos)
            at = f" (at {part!r})" if part and part.strip() != text.strip() else ""
            flat = " ".join(text.split())
            message = f"{where}: {exc.message}{at} in {flat!r}"
            raise ExpressionError([Problem(path, message, ExpressionError)]) from None

    # -- helpers ---------------------------------------------------------------------------

    def _need(self, table: str, what: str, values: frozenset[str]) -> None:
        if self.constraints is not None:
            self.constraints.append((table, what, values))

    def _unknown(self, name: str, node: ir.Node) -> _Mismatch:
        close = difflib.get_close_matches(name, list(self.env), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return _Mismatch(f"unknown name {name!r}{hint}", node)

    def _num(self, node: ir.Node, role: str) -> NumT:
        t = self._type(node)
        if not isinstance(t, NumT):
            raise _Mismatch(f"{role} must be a number, got {describe(t)}", node)
        return t

    def _bool(self, node: ir.Node, role: str) -> None:
        t = self._type(node)
        if not isinstance(t, BoolT):
            raise _Mismatch(f"{role} must be true/false, got {describe(t)}", node)

    @staticmethod
    def _unify(a: NumT, b: NumT, verb: str, node: ir.Node) -> NumT:
        if a.dim is None:
            return b
        if b.dim is None or a.dim == b.dim:
            return a
        raise _Mismatch(f"cannot {verb} {describe(a)} and {describe(b)}", node)

    # -- the rules of the type system -----------------------------------------------------

    def _type(self, node: ir.Node) -> Type:
        if isinstance(node, ir.Num):
            return NumT(None if node.value == 0 else RATIO)
        if isinstance(node, ir.Text):
            return CatT(frozenset([node.value]))
        if isinstance(node, ir.Truth):
            return BoolT()
        if isinstance(node, ir.Day):
            return DateT()
        if isinstance(node, ir.Name):
            t = self.env.get(node.id)
            if t is None:
                raise self._unknown(node.id, node)
            if isinstance(t, KeyedT):
                raise _Mismatch(
                    f"{node.id!r} is a table keyed by category: write {node.id}[key]", node
                )
            if isinstance(t, SetT):
                raise _Mismatch(f"{node.id!r} is a set: use it as 'x in {node.id}'", node)
            return t
        if isinstance(node, ir.Lookup):
            return self._lookup(node)
        if isinstance(node, ir.Unary):
            if node.op == "not":
                self._bool(node.operand, "the operand of 'not'")
                return BoolT()
            return self._num(node.operand, "the operand of '-'")
        if isinstance(node, ir.Binary):
            return self._binary(node)
        if isinstance(node, ir.Power):
            base = self._num(node.base, "the base of '**'")
            return NumT(None if base.dim is None else dim_pow(base.dim, node.exponent))
        if isinstance(node, ir.Compare):
            self._compare(node)
            return BoolT()
        if isinstance(node, ir.Member):
            self._member(node)
            return BoolT()
        if isinstance(node, ir.Logic):
            for operand in node.operands:
                self._bool(operand, f"each operand of '{node.op}'")
            return BoolT()
        if isinstance(node, ir.Cond):
            return self._cond(node)
        return self._call(node)

    def _lookup(self, node: ir.Lookup) -> Type:
        table = self.env.get(node.table)
        if table is None:
            raise self._unknown(node.table, node)
        if not isinstance(table, KeyedT):
            raise _Mismatch(f"{node.table!r} is {describe(table)}, not a keyed table", node)
        key = node.key
        if isinstance(key, ir.Text):
            self._need(node.table, "has", frozenset([key.value]))
            if key.value not in table.keys:
                raise _Mismatch(
                    f"{node.table!r} has no key {key.value!r} (keys: "
                    f"{', '.join(sorted(table.keys))})",
                    node,
                )
        else:
            key_type = self.env.get(key.id)
            if key_type is None:
                raise self._unknown(key.id, key)
            if not isinstance(key_type, CatT):
                raise _Mismatch(
                    f"the key {key.id!r} must be a category, got {describe(key_type)}", key
                )
            self._need(node.table, "keys_within", key_type.values)
            extra = table.keys - key_type.values
            if extra:
                raise _Mismatch(
                    f"{node.table!r} has keys that are not categories of {key.id!r}: "
                    f"{', '.join(sorted(extra))}",
                    node,
                )
        return NumT(table.dim)

    def _binary(self, node: ir.Binary) -> Type:
        left = self._num(node.left, f"the left operand of '{node.op}'")
        right = self._num(node.right, f"the right operand of '{node.op}'")
        if node.op in "+-":
            verb = "add" if node.op == "+" else "subtract"
            return self._unify(left, right, verb, node)
        # The literal 0 fits any dimension only on its own: in a product or a quotient it
        # is a plain number, so ``0 * usd_amount`` is still an amount in USD.
        left_dim: Dim = left.dim if left.dim is not None else RATIO
        right_dim: Dim = right.dim if right.dim is not None else RATIO
        if node.op == "*":
            if left.dim is None and right.dim is None:
                return NumT(None)
            return NumT(dim_mul(left_dim, right_dim))
        if isinstance(node.right, ir.Num) and node.right.value == 0:
            raise _Mismatch("division by zero", node)
        if left.dim is None and right.dim is None:
            return NumT(None)
        return NumT(dim_div(left_dim, right_dim))

    def _compare(self, node: ir.Compare) -> None:
        left = self._type(node.left)
        right = self._type(node.right)
        op = node.op
        if isinstance(left, NumT) and isinstance(right, NumT):
            self._unify(left, right, "compare", node)
            return
        if isinstance(left, DateT) and isinstance(right, DateT):
            return  # dates have an order: every comparison
        if op not in ("==", "!="):
            for side in (left, right):
                if not isinstance(side, NumT | DateT):
                    raise _Mismatch(
                        f"'{op}' needs numbers or dates; {describe(side)} has no order", node
                    )
        if isinstance(left, BoolT) and isinstance(right, BoolT):
            return
        if isinstance(left, CatT) and isinstance(right, CatT):
            if not left.values & right.values:
                if len(right.values) == 1:
                    small, big = right, left
                else:
                    small, big = left, right
                raise _Mismatch(
                    f"{', '.join(repr(v) for v in sorted(small.values))} is not one of the "
                    f"allowed categories {', '.join(repr(v) for v in sorted(big.values))}",
                    node,
                )
            return
        raise _Mismatch(f"cannot compare {describe(left)} with {describe(right)}", node)

    def _member(self, node: ir.Member) -> None:
        item = self._type(node.item)
        if not isinstance(item, CatT):
            raise _Mismatch(f"'in' needs a category on its left, got {describe(item)}", node)
        if node.options is not None:
            bad = [o for o in node.options if o not in item.values]
            if bad:
                raise _Mismatch(
                    f"{', '.join(repr(b) for b in bad)} not among the allowed categories "
                    f"{', '.join(repr(v) for v in sorted(item.values))}",
                    node,
                )
            return
        assert node.table is not None
        table = self.env.get(node.table)
        if table is None:
            raise self._unknown(node.table, node)
        if not isinstance(table, SetT):
            raise _Mismatch(f"{node.table!r} is {describe(table)}, not a set", node)
        self._need(node.table, "members_within", item.values)
        bad = sorted(table.members - item.values)
        if bad:
            raise _Mismatch(
                f"the set {node.table!r} holds values that are not allowed categories of the "
                f"left side: {', '.join(repr(b) for b in bad)}",
                node,
            )

    def _cond(self, node: ir.Cond) -> Type:
        self._bool(node.test, "the condition of 'x if c else y'")
        body = self._type(node.body)
        orelse = self._type(node.orelse)
        if isinstance(body, NumT) and isinstance(orelse, NumT):
            return self._unify(body, orelse, "choose between", node)
        if isinstance(body, BoolT) and isinstance(orelse, BoolT):
            return body
        if isinstance(body, DateT) and isinstance(orelse, DateT):
            return body
        if isinstance(body, CatT) and isinstance(orelse, CatT):
            return CatT(body.values | orelse.values)
        raise _Mismatch(f"the two branches differ: {describe(body)} vs {describe(orelse)}", node)

    def _call(self, node: ir.Call) -> Type:
        func = node.func
        if func in ("min", "max", "clip"):
            result = self._num(node.args[0], f"each argument of {func}()")
            for arg in node.args[1:]:
                other = self._num(arg, f"each argument of {func}()")
                result = self._unify(result, other, f"take the {func} of", node)
            return result
        if func == "abs":
            return self._num(node.args[0], "the argument of abs()")
        if func == "days_between":
            for arg in node.args:
                t = self._type(arg)
                if not isinstance(t, DateT):
                    raise _Mismatch(
                        f"each argument of days_between() must be a date, got {describe(t)}", arg
                    )
            return NumT(RATIO)  # a plain number of days
        # round
        return self._num(node.args[0], "the argument of round()")
