"""The expression language: what it accepts, what it refuses, and that refusing is safe."""

from __future__ import annotations

import contextlib
import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratpolicy.errors import DataError, ExpressionError
from stratpolicy.rules import Input, Rule, RuleSet, check_expression
from stratpolicy.rules import _ir as ir
from stratpolicy.rules._parse import parse

# --- hostile input: each refused with ExpressionError, quickly, with nothing run ---------------

CANARY: list[str] = []


def canary() -> None:  # pragma: no cover - must never run
    CANARY.append("ran")


HOSTILE = {
    "dunder attribute": "().__class__.__bases__[0].__subclasses__()",
    "dunder name": "__import__('os').system('true')",
    "import via builtins": "__builtins__['eval']('1')",
    "private name": "_secret",
    "attribute access": "firm.size",
    "method call": "'x'.upper()",
    "call outside the set": "open('/etc/passwd')",
    "call of a name": "canary()",
    "exec": "exec('1')",
    "getattr": "getattr(x, 'y')",
    "keyword argument": "round(x, ndigits=2)",
    "huge power": "10 ** 10 ** 10",
    "power of a name": "2 ** x",
    "negative exponent": "x ** -1",
    "large exponent": "x ** 9",
    "float exponent": "x ** 0.5",
    "huge literal": "1" + "0" * 400 + ".0 * x",
    "deep parentheses": "(" * 100_000 + "x" + ")" * 100_000,
    "deep brackets": "[" * 50 + "x" + "]" * 50,
    "long chain": " + ".join(["x"] * 700),
    "long input": "x" * 3000,
    "deep unary": "-" * 1500 + "x",
    "deep not": "not " * 400 + "x",
    "fullwidth homoglyph": "\uff58 + 1",
    "cyrillic homoglyph": "\u0445 + 1",
    "zero-width joiner": "x\u200d + 1",
    "bidi override in a string": "x == '\u202eabc'",
    "null byte": "x\x00",
    "backslash escape": "x == '\\x41'",
    "lambda": "(lambda: 1)()",
    "list comprehension": "[c for c in x]",
    "generator": "sum(c for c in x)",
    "set comprehension": "{c for c in x}",
    "dict comprehension": "{c: 1 for c in x}",
    "starred": "min(*x)",
    "double starred": "min(**x)",
    "walrus": "(y := 1)",
    "f-string": "f'{x}'",
    "bytes": "b'x' == x",
    "raw string": "r'x' == x",
    "triple-quoted string": "'''x''' == x",
    "comment": "x # comment",
    "semicolon": "x; y",
    "statement": "import os",
    "assignment": "x = 1",
    "await": "await x",
    "yield": "(yield x)",
    "slice": "x[1:2]",
    "subscript of a call": "min(a, b)[0]",
    "list literal in": "x in ['a', 'b']",
    "set literal": "{1, 2}",
    "dict literal": "{'a': 1}",
    "is": "x is None",
    "None": "None",
    "complex": "1j * x",
    "ellipsis": "...",
    "floor division": "x // 2",
    "modulo": "x % 2",
    "bit and": "x & y",
    "invert": "~x",
    "matmul": "x @ y",
    "empty": "   ",
    "not text": 42,
    "min of one": "min(x)",
    "abs of two": "abs(x, y)",
    "clip of two": "clip(x, 1)",
    "round digits name": "round(x, y)",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_expressions_are_refused_quickly(text: object) -> None:
    start = time.perf_counter()
    with pytest.raises(ExpressionError):
        parse(text)  # type: ignore[arg-type]
    assert time.perf_counter() - start < 1.0
    assert CANARY == []


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_expressions_are_refused_in_a_rule_set(text: object) -> None:
    with pytest.raises(ExpressionError):
        RuleSet(
            id="hostile",
            inputs=[Input(name="x", type="number")],
            rules=[Rule(id="r", outputs={"y": text})],  # type: ignore[dict-item]
        )
    assert CANARY == []


def test_messages_name_the_rule_and_quote_the_expression() -> None:
    with pytest.raises(ExpressionError) as info:
        RuleSet(
            id="demo",
            inputs=[Input(name="x", type="number")],
            rules=[Rule(id="bad_rule", outputs={"y": "x.real + 1"})],
        )
    text = str(info.value)
    assert "bad_rule" in text
    assert "'x.real + 1'" in text
    assert "rules[0].outputs.y" in text
    assert "attribute access" in text


def test_source_is_never_executed_even_when_well_formed() -> None:
    # a well-formed name that would be dangerous in Python is just an unknown name here
    with pytest.raises(ExpressionError, match="unknown name 'canary'"):
        RuleSet(
            id="demo",
            inputs=[Input(name="x", type="number")],
            rules=[Rule(id="r", outputs={"y": "canary"})],
        )
    assert CANARY == []


# --- what the language accepts ----------------------------------------------------------------------

ACCEPTED = [
    "x + y * 2 - z / 4",
    "x ** 2 + y ** 0",
    "-x",
    "+x",
    "not flag",
    "flag and not other or third",
    "0 < x <= 1",
    "size in ('sme', 'large')",
    "size not in ('sme',)",
    "field in eligible_fields",
    "a if flag else b",
    "rate[size]",
    "rate['sme']",
    "min(a, b, c)",
    "max(0, x - y)",
    "abs(x)",
    "round(x)",
    "round(x, 2)",
    "round(x, -3)",
    "clip(x, 0, 1)",
    "True",
    "1e6 * x",
    "size == '반도체'",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepted_expressions_round_trip(text: str) -> None:
    tree = parse(text)
    assert parse(ir.to_source(tree)) == tree
    assert check_expression(ir.to_source(tree)) == ir.to_source(tree)


def test_integers_become_floats() -> None:
    tree = parse("3 * x")
    assert isinstance(tree, ir.Binary) and isinstance(tree.left, ir.Num)
    assert tree.left.value == 3.0 and isinstance(tree.left.value, float)


def test_chained_comparisons_become_conjunctions() -> None:
    assert parse("a < b < c") == parse("a < b and b < c")


# --- properties ------------------------------------------------------------------------------------

NAMES = st.sampled_from(["x", "y", "z", "flag", "size"])


def _trees(depth: int) -> st.SearchStrategy[ir.Node]:
    leaves = st.one_of(
        st.builds(ir.Num, st.floats(allow_nan=False, allow_infinity=False, width=64)),
        st.builds(ir.Name, NAMES),
        st.builds(ir.Truth, st.booleans()),
        st.builds(ir.Text, st.text(alphabet="abcxyz_ 한국", max_size=5)),
        st.builds(ir.Lookup, st.just("rate"), st.builds(ir.Name, st.just("size"))),
    )
    if depth == 0:
        return leaves
    sub = _trees(depth - 1)
    return st.one_of(
        leaves,
        st.builds(ir.Binary, st.sampled_from(["+", "-", "*", "/"]), sub, sub),
        st.builds(ir.Unary, st.sampled_from(["-", "not"]), sub),
        st.builds(ir.Power, sub, st.integers(0, 8)),
        st.builds(ir.Compare, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), sub, sub),
        st.builds(
            ir.Member,
            sub,
            st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3).map(tuple),
            st.none(),
            st.booleans(),
        ),
        st.builds(
            ir.Logic,
            st.sampled_from(["and", "or"]),
            st.lists(sub, min_size=2, max_size=3).map(tuple),
        ),
        st.builds(ir.Cond, sub, sub, sub),
        st.builds(
            ir.Call,
            st.sampled_from(["min", "max"]),
            st.lists(sub, min_size=2, max_size=3).map(tuple),
        ),
        st.builds(ir.Call, st.just("abs"), st.tuples(sub)),
        st.builds(ir.Call, st.just("clip"), st.tuples(sub, sub, sub)),
    )


def _normal(node: ir.Node) -> ir.Node:
    """What the parser makes of a tree: ``-literal`` folds into the literal."""
    if isinstance(node, ir.Unary) and node.op == "-" and isinstance(node.operand, ir.Num):
        return ir.Num(-node.operand.value)
    return node


@settings(max_examples=300, deadline=None)
@given(_trees(3))
def test_render_then_parse_is_identity(tree: ir.Node) -> None:
    once = parse(ir.to_source(tree))
    assert parse(ir.to_source(once)) == once
    assert ir.to_source(parse(ir.to_source(once))) == ir.to_source(once)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_random_text_parses_or_raises_expression_error(text: str) -> None:
    with contextlib.suppress(ExpressionError):
        parse(text)


ALPHABET = "xy_01.+-*/()<>=!, '\"[]abcdefinotrsu\n"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_random_expression_like_text_never_crashes(text: str) -> None:
    try:
        tree = parse(text)
    except ExpressionError:
        return
    assert parse(ir.to_source(tree)) == tree


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_random_text_never_crashes_a_rule_set_build(text: str) -> None:
    # a library error or a rule set: an expression error, or a rule set error such as
    # "out" (the rule reading the output it sets: a cycle)
    with contextlib.suppress(DataError):
        RuleSet(
            id="fuzz",
            inputs=[Input(name="x", type="number"), Input(name="y", type="money", unit="KRW")],
            rules=[Rule(id="r", outputs={"out": text})],
        )


def test_evaluation_date_plays_no_part_in_parsing() -> None:
    rs = RuleSet(
        id="d",
        inputs=[Input(name="x", type="number")],
        rules=[Rule(id="r", outputs={"y": "x * 2"})],
    )
    assert rs.evaluate({"x": 2}, on=dt.date(2020, 1, 1))["y"] == 4.0


@pytest.mark.parametrize("text", ["1if x else 2", "x if 1else 2", "1or x > 0", "0x1for"])
def test_text_python_only_warns_about_is_refused_without_a_warning(text: str) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would fail the test
        with pytest.raises(ExpressionError, match="syntax error"):
            check_expression(text)
