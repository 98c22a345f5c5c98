"""The interval analysis that decides where values are checked for NaN and infinity.

Soundness is what matters: where the analysis finds no check is needed, the value must be
finite for every input within the declared bounds. The property test builds random
arithmetic, evaluates it in plain Python floats node by node, and checks that
``evaluate`` fails exactly when a value that is checked (an output, an argument of
``min``/``max``, a denominator) is not finite -- or a denominator is zero -- and that
``evaluate_many`` agrees.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Callable

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stratpolicy.catalogs.korea import tax_credits
from stratpolicy.errors import DataError, ExpressionError
from stratpolicy.rules import Input, Output, Rule, RuleSet
from stratpolicy.rules._runtime import fmax, fmin, round_half_even

ON = dt.date(2025, 1, 1)
MAX = sys.float_info.max


class Failed(Exception):
    """The reference evaluation hit a value the engine must refuse."""


def checked(value: float) -> float:
    if not math.isfinite(value):
        raise Failed
    return value


# An expression: its text and how to compute it (every checked value checked).
Expr = tuple[str, Callable[[dict[str, float]], float]]


def leaf() -> st.SearchStrategy[Expr]:
    names = st.sampled_from(["a", "b"]).map(lambda n: (n, lambda env, n=n: env[n]))
    literals = st.sampled_from(["0", "1", "2.5", "3", "1e300", "1e-300", "0.5"]).map(
        lambda t: (t, lambda env, v=float(t): v)
    )
    return st.one_of(names, literals)


def combine(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    def binary(op: str) -> st.SearchStrategy[Expr]:
        def make(pair: tuple[Expr, Expr]) -> Expr:
            (lt, lf), (rt, rf) = pair
            text = f"({lt} {op} {rt})"
            if op == "+":
                return text, lambda env: lf(env) + rf(env)
            if op == "-":
                return text, lambda env: lf(env) - rf(env)
            if op == "*":
                return text, lambda env: lf(env) * rf(env)

            def divide(env: dict[str, float]) -> float:
                num, den = lf(env), checked(rf(env))
                if den == 0:
                    raise Failed
                return num / den

            return text, divide

        return st.tuples(children, children).map(make)

    def minmax(name: str) -> st.SearchStrategy[Expr]:
        helper = fmin if name == "min" else fmax

        def make(pair: tuple[Expr, Expr]) -> Expr:
            (lt, lf), (rt, rf) = pair
            return f"{name}({lt}, {rt})", lambda env: helper(checked(lf(env)), checked(rf(env)))

        return st.tuples(children, children).map(make)

    def unary(kind: str) -> st.SearchStrategy[Expr]:
        def make(child: Expr) -> Expr:
            t, f = child
            if kind == "neg":
                return f"(-{t})", lambda env: -f(env)
            if kind == "abs":
                return f"abs({t})", lambda env: abs(f(env))
            if kind == "square":
                return f"({t}) ** 2", lambda env: (lambda v: v * v)(f(env))
            return f"round({t}, 2)", lambda env: round_half_even(f(env), 2)

        return children.map(make)

    return st.one_of(
        *(binary(op) for op in "+-*/"),
        minmax("min"),
        minmax("max"),
        *(unary(k) for k in ("neg", "abs", "square", "round")),
    )


EXPRESSIONS = st.recursive(leaf(), combine, max_leaves=8)
SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.0, 1e-300, 5e-324, 1e154, -1e154, 1e300, -1e300, MAX, -MAX]
BOUND = st.one_of(st.none(), st.sampled_from([-MAX, -1e300, -1.0, 0.0, 1.0, 1e10, 1e300]))


@st.composite
def inputs(draw: st.DrawFn) -> tuple[Input, list[float]]:
    low, high = draw(BOUND), draw(BOUND)
    if low is not None and high is not None and low > high:
        low, high = high, low
    lo = low if low is not None else -MAX
    hi = high if high is not None else MAX
    pool = [v for v in SPECIAL if lo <= v <= hi] + [lo, hi]
    values = draw(
        st.lists(
            st.one_of(st.sampled_from(pool), st.floats(min_value=lo, max_value=hi)),
            min_size=1,
            max_size=6,
        )
    )
    return Input(name="x", type="number", min=low, max=high), values


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS, inputs(), inputs())
def test_checks_are_where_values_can_stop_being_finite(
    expr: Expr, a: tuple[Input, list[float]], b: tuple[Input, list[float]]
) -> None:
    text, compute = expr
    declared = [attrs.evolve(a[0], name="a"), attrs.evolve(b[0], name="b")]
    try:
        rs = RuleSet(id="t", inputs=declared, rules=[Rule(id="r", outputs={"y": text})])
    except ExpressionError:  # e.g. a division by the literal 0
        assume(False)
        return
    rows = [{"a": x, "b": y} for x in a[1] for y in b[1]][:12]
    expected: list[float | None] = []
    for facts in rows:
        try:
            expected.append(checked(compute(facts)))
        except (Failed, ZeroDivisionError):
            expected.append(None)
    for facts, want in zip(rows, expected, strict=True):
        if want is None:
            try:
                got = rs.evaluate(facts, on=ON)["y"]
            except DataError:
                continue
            raise AssertionError(f"{text} on {facts}: expected an error, got {got!r}")
        assert rs.evaluate(facts, on=ON)["y"] == want
    table = {"a": np.array([r["a"] for r in rows]), "b": np.array([r["b"] for r in rows])}
    failing = [n for n, w in enumerate(expected) if w is None]
    if failing:
        try:
            rs.evaluate_many(table, on=ON)
        except DataError as exc:
            paths = [p.path for p in exc.problems]
            assert [int(p[5 : p.index("]")]) for p in paths] == failing
        else:
            raise AssertionError(f"{text}: evaluate_many did not fail on rows {failing}")
    else:
        got_many = rs.evaluate_many(table, on=ON)["y"].tolist()
        assert got_many == expected


def test_declared_bounds_remove_checks() -> None:
    # Interval analysis: with min=0 on its amounts, the RSTA rule set checks fewer places --
    # sums of unbounded amounts may still overflow, and divisions by revenue (which may be
    # close to zero) stay checked; without the bounds every difference and product is too.
    rules = tax_credits()
    unbounded = attrs.evolve(
        rules,
        inputs=[attrs.evolve(i, min=None) if i.type.value == "money" else i for i in rules.inputs],
    )
    assert 0 < len(rules._engine.plan.checked) < len(unbounded._engine.plan.checked)
    firm = {"firm_size": "sme", "rsta_field": "semiconductors", "nst_rd_expense": 1e9}
    # 3 * 1e9 / 1e-300 overflows: refused, though min() would have dropped it
    for rs in (rules, unbounded):
        with pytest.raises(DataError, match="is inf: it overflows the float range"):
            rs.evaluate({**firm, "revenue": 1e-300}, on=dt.date(2025, 12, 31))


def test_a_sum_of_rules_is_checked_only_where_it_may_overflow() -> None:
    def summed(bound: float | None) -> RuleSet:
        return RuleSet(
            id="t",
            inputs=[Input(name="a", type="number", min=0, max=bound)],
            outputs=[Output(name="total", type="number", combine="sum", default=0.0)],
            rules=[Rule(id="one", outputs={"total": "a"}), Rule(id="two", outputs={"total": "a"})],
        )

    assert summed(1e300)._engine.plan.sum_checked == frozenset()
    assert summed(None)._engine.plan.sum_checked == frozenset({0})
