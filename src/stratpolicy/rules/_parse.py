"""Parse the text of a rule expression into the safe intermediate representation.

The language is a small subset of Python's expression syntax. The text is checked in
three stages, each bounded in time and memory, before anything is built from it:

1. **A scan of the raw text** (one pass, no recursion): at most :data:`MAX_LENGTH`
   characters; outside string literals only printable ASCII (so no homoglyph or
   normalised Unicode name can alias another name); inside string literals no control,
   format (bidi, zero-width) or separator characters and no backslashes; no string
   prefixes (so no f-strings or bytes); no comments; brackets nested at most
   :data:`MAX_BRACKETS` deep. This runs *before* :func:`ast.parse`, which itself
   recurses on deeply nested input.
2. **The standard parser** :func:`ast.parse` in ``eval`` mode, then an iterative walk
   that bounds the number of nodes (:data:`MAX_NODES`) and their depth
   (:data:`MAX_DEPTH`).
3. **A whitelist conversion** of the :mod:`ast` tree into our own nodes
   (:mod:`._ir`): names, numeric/string/bool literals, ``+ - * /``, ``**`` with a small
   integer literal exponent, comparisons (chains too), ``and``/``or``/``not``,
   ``in``/``not in`` against a tuple of string literals or a set-valued parameter,
   ``x if c else y``, ``table[key]``, calls of ``min``, ``max``, ``abs``, ``round``,
   ``clip``, ``days_between``, and date literals ``date('YYYY-MM-DD')``. Anything
   else -- attribute access, other calls, imports, lambdas, comprehensions, starred
   arguments, the walrus, f-strings -- is an :class:`~stratpolicy.errors.ExpressionError`.

Integer literals become floats (no big-integer arithmetic); a literal that does not fit a
finite float is refused. Nothing is evaluated while parsing.
"""

from __future__ import annotations

import ast
import unicodedata
import warnings
from functools import lru_cache

from stratpolicy._checks import describe, parse_iso_date
from stratpolicy.errors import ExpressionError, Problem
from stratpolicy.rules import _ir as ir

__all__ = [
    "FUNCTIONS",
    "MAX_BRACKETS",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NODES",
    "RESERVED",
    "check_name",
    "parse",
]

MAX_LENGTH = 2000
"""Longest expression text, in characters."""
MAX_BRACKETS = 32
"""Deepest nesting of brackets in the text."""
MAX_NODES = 1000
"""Most syntax-tree nodes in one expression."""
MAX_DEPTH = 100
"""Deepest syntax tree (a long chain ``a + b + c ...`` is as deep as it is long)."""
MAX_EXPONENT = 8
"""Largest literal exponent of ``**``."""
MAX_ROUND_DIGITS = 12
"""Largest ``|ndigits|`` of ``round``."""

FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "min": (2, None),
    "max": (2, None),
    "abs": (1, 1),
    "round": (1, 2),
    "clip": (3, 3),
    "days_between": (2, 2),
    "date": (1, 1),
}
"""The functions an expression may call, with their least and most argument counts.

``days_between(start, end)`` is the number of days from ``start`` to ``end`` (negative
when ``end`` comes first); ``date('2025-12-31')`` is a date literal, its one argument ISO
text ``YYYY-MM-DD``."""

RESERVED = frozenset(FUNCTIONS) | {"True", "False", "None", "and", "or", "not", "in", "if"}
"""Words that cannot name an input, a parameter or an output."""

_CMP = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
_BIN = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_FORBIDDEN_BIN = {
    ast.FloorDiv: "'//'",
    ast.Mod: "'%'",
    ast.MatMult: "'@'",
    ast.BitAnd: "'&' (write 'and')",
    ast.BitOr: "'|' (write 'or')",
    ast.BitXor: "'^'",
    ast.LShift: "'<<'",
    ast.RShift: "'>>'",
}
_WHAT: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.Starred: "starred arguments",
    ast.NamedExpr: "assignment expressions (':=')",
    ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.List: "list literals",
    ast.Set: "set literals",
    ast.Dict: "dict literals",
    ast.Slice: "slices",
    ast.Tuple: "tuples outside 'in (...)'",
}


class _Refused(Exception):
    def __init__(self, message: str, node: ast.AST | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


def _error(text: str, message: str, path: str, node: ast.AST | None = None) -> ExpressionError:
    quoted = _quote(text)
    part = ""
    if node is not None and hasattr(node, "lineno"):
        segment = ast.get_source_segment(text, node)
        if segment and segment.strip() != text.strip():
            part = f" (at {_quote(segment)})"
    return ExpressionError([Problem(path, f"{message}{part} in {quoted}", ExpressionError)])


def _quote(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 3] + "..."
    return repr(flat)


def _scan(text: str) -> str | None:
    """Check the raw text; return why it is refused, or ``None``."""
    if len(text) > MAX_LENGTH:
        return f"expression is {len(text)} characters long, more than {MAX_LENGTH}"
    depth = 0
    quote = ""
    prev = ""
    after_string = False  # the last token was a string literal
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
                after_string = True
            elif ch == "\\":
                return "backslashes are not allowed in string literals"
            elif ch in "\n\r":
                return "unterminated string literal"
            elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
                return f"character U+{ord(ch):04X} is not allowed in a string literal"
            prev = ch
            continue
        if ch in "'\"":
            if prev.isalnum() or prev == "_":
                return "string prefixes (f-strings, bytes, raw strings) are not allowed"
            if after_string:
                return "adjacent or triple-quoted string literals are not allowed"
            quote = ch
        elif ch in "([{":
            depth += 1
            if depth > MAX_BRACKETS:
                return f"brackets are nested more than {MAX_BRACKETS} deep"
        elif ch in ")]}":
            depth -= 1
        elif ch == "#":
            return "comments are not allowed"
        elif not (" " <= ch <= "~" or ch in "\t\n\r"):
            return (
                f"character U+{ord(ch):04X} is not allowed outside string literals "
                "(names are ASCII letters, digits and '_')"
            )
        if not ch.isspace() and ch not in "'\"":
            after_string = False
        prev = ch
    return None


def _bounded(tree: ast.AST) -> str | None:
    """Bound the node count and depth of a tree without recursion."""
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            return f"expression has more than {MAX_NODES} syntax nodes"
        if depth > MAX_DEPTH:
            return f"expression is nested more than {MAX_DEPTH} levels deep"
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return None


def _pos(node: ast.AST) -> ir.Pos:
    line = getattr(node, "lineno", None)
    col = getattr(node, "col_offset", None)
    if line is None or col is None:
        return None
    end_line = getattr(node, "end_lineno", None) or line
    end_col = getattr(node, "end_col_offset", None) or col
    return (line, col, end_line, end_col)


def check_name(name: str) -> str | None:
    """Why ``name`` cannot be a name in the language, or ``None`` when it can.

    Examples:
        >>> check_name("firm_size") is None
        True
        >>> check_name("__class__")
        "names may not start with '_': '__class__'"
    """
    if not name or not name.isascii() or not name.isidentifier():
        return f"{name!r} is not a name (ASCII letters, digits and '_', not first a digit)"
    if name.startswith("_"):
        return f"names may not start with '_': {name!r}"
    if name in RESERVED:
        return f"{name!r} is reserved"
    import keyword

    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"{name!r} is a Python keyword"
    return None


class _Converter:
    """Whitelist conversion from :mod:`ast` nodes to :mod:`._ir` nodes."""

    def convert(self, node: ast.AST) -> ir.Node:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            what = _WHAT.get(type(node))
            if what is None:
                what = f"'{type(node).__name__}' syntax"
            raise _Refused(f"{what}: not allowed", node)
        result: ir.Node = method(node)
        return result

    def _Constant(self, node: ast.Constant) -> ir.Node:
        value = node.value
        pos = _pos(node)
        if isinstance(value, bool):
            return ir.Truth(value, pos)
        if isinstance(value, int):
            try:
                number = float(value)
            except OverflowError:
                raise _Refused("number literal is too large", node) from None
            return ir.Num(number, pos)
        if isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                raise _Refused("number literal is too large", node)
            return ir.Num(value, pos)
        if isinstance(value, str):
            return ir.Text(value, pos)
        if value is None:
            raise _Refused("None is not allowed", node)
        raise _Refused(f"{type(value).__name__} literals are not allowed", node)

    def _Name(self, node: ast.Name) -> ir.Node:
        why = check_name(node.id)
        if why is not None:
            raise _Refused(why, node)
        return ir.Name(node.id, _pos(node))

    def _UnaryOp(self, node: ast.UnaryOp) -> ir.Node:
        operand = self.convert(node.operand)
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(node.op, ast.USub):
            if isinstance(operand, ir.Num):
                return ir.Num(-operand.value, _pos(node))
            return ir.Unary("-", operand, _pos(node))
        if isinstance(node.op, ast.Not):
            return ir.Unary("not", operand, _pos(node))
        raise _Refused("'~' is not allowed (write 'not')", node)

    def _BinOp(self, node: ast.BinOp) -> ir.Node:
        if isinstance(node.op, ast.Pow):
            exp = node.right
            if isinstance(exp, ast.UnaryOp) and isinstance(exp.op, ast.UAdd):
                exp = exp.operand
            if (
                not isinstance(exp, ast.Constant)
                or isinstance(exp.value, bool)
                or not isinstance(exp.value, int)
                or not 0 <= exp.value <= MAX_EXPONENT
            ):
                raise _Refused(
                    f"the exponent of '**' must be an integer literal from 0 to {MAX_EXPONENT}",
                    node,
                )
            return ir.Power(self.convert(node.left), int(exp.value), _pos(node))
        op = _BIN.get(type(node.op))
        if op is None:
            shown = _FORBIDDEN_BIN.get(type(node.op), type(node.op).__name__)
            raise _Refused(f"operator {shown} is not allowed", node)
        return ir.Binary(op, self.convert(node.left), self.convert(node.right), _pos(node))

    def _BoolOp(self, node: ast.BoolOp) -> ir.Node:
        op = "and" if isinstance(node.op, ast.And) else "or"
        return ir.Logic(op, tuple(self.convert(v) for v in node.values), _pos(node))

    def _member(self, item: ir.Node, right: ast.AST, negate: bool, node: ast.AST) -> ir.Node:
        if isinstance(right, ast.Tuple):
            options: list[str] = []
            for element in right.elts:
                if not isinstance(element, ast.Constant) or not isinstance(element.value, str):
                    raise _Refused("'in (...)' takes a tuple of string literals", element)
                options.append(element.value)
            if not options:
                raise _Refused("'in ()' with an empty tuple is always false", right)
            return ir.Member(item, tuple(options), None, negate, _pos(node))
        if isinstance(right, ast.Name):
            name = self.convert(right)
            assert isinstance(name, ir.Name)
            return ir.Member(item, None, name.id, negate, _pos(node))
        if isinstance(right, ast.List | ast.Set):
            raise _Refused("write the options of 'in' as a tuple: x in ('a', 'b')", right)
        raise _Refused(
            "'in' takes a tuple of string literals or the name of a set parameter", right
        )

    def _Compare(self, node: ast.Compare) -> ir.Node:
        parts: list[ir.Node] = []
        left_ast: ast.AST = node.left
        left = self.convert(left_ast)
        for op, right_ast in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn):
                parts.append(self._member(left, right_ast, isinstance(op, ast.NotIn), node))
                if right_ast is not node.comparators[-1]:
                    raise _Refused("'in' cannot be chained with another comparison", node)
                break
            symbol = _CMP.get(type(op))
            if symbol is None:
                raise _Refused("'is' / 'is not' are not allowed (write '==' / '!=')", node)
            right = self.convert(right_ast)
            parts.append(ir.Compare(symbol, left, right, _pos(node)))
            left = right
        if len(parts) == 1:
            return parts[0]
        return ir.Logic("and", tuple(parts), _pos(node))

    def _IfExp(self, node: ast.IfExp) -> ir.Node:
        return ir.Cond(
            self.convert(node.test),
            self.convert(node.body),
            self.convert(node.orelse),
            _pos(node),
        )

    def _Subscript(self, node: ast.Subscript) -> ir.Node:
        if not isinstance(node.value, ast.Name):
            raise _Refused("only a parameter name can be subscripted: table[key]", node)
        table = self.convert(node.value)
        assert isinstance(table, ir.Name)
        key_ast = node.slice
        if isinstance(key_ast, ast.Name):
            key: ir.Name | ir.Text = ir.Name(key_ast.id, _pos(key_ast))
            self.convert(key_ast)
        elif isinstance(key_ast, ast.Constant) and isinstance(key_ast.value, str):
            key = ir.Text(key_ast.value, _pos(key_ast))
        else:
            raise _Refused("the key of table[key] must be a category name or a string", node)
        return ir.Lookup(table.id, key, _pos(node))

    def _Call(self, node: ast.Call) -> ir.Node:
        if not isinstance(node.func, ast.Name):
            raise _Refused(f"only the functions {', '.join(FUNCTIONS)} can be called", node)
        name = node.func.id
        if name not in FUNCTIONS:
            raise _Refused(
                f"unknown function {name!r}; allowed: {', '.join(sorted(FUNCTIONS))}", node
            )
        if node.keywords:
            raise _Refused(f"{name}() takes no keyword arguments", node)
        if name == "date":
            return self._date(node)
        low, high = FUNCTIONS[name]
        count = len(node.args)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise _Refused("starred arguments are not allowed", arg)
        if count < low or (high is not None and count > high):
            want = (
                f"{low}" if low == high else f"{low} or more" if high is None else f"{low}-{high}"
            )
            raise _Refused(f"{name}() takes {want} arguments, got {count}", node)
        args = tuple(self.convert(a) for a in node.args)
        if name == "round" and count == 2:
            digits = node.args[1]
            if isinstance(digits, ast.UnaryOp) and isinstance(digits.op, ast.USub):
                digits = digits.operand
            if (
                not isinstance(digits, ast.Constant)
                or isinstance(digits.value, bool)
                or not isinstance(digits.value, int)
                or digits.value > MAX_ROUND_DIGITS
            ):
                raise _Refused(
                    f"round()'s digits must be an integer literal from {-MAX_ROUND_DIGITS}"
                    f" to {MAX_ROUND_DIGITS}",
                    node,
                )
        return ir.Call(name, args, _pos(node))

    def _date(self, node: ast.Call) -> ir.Node:
        """``date('2025-12-31')``: a date literal, ISO text ``YYYY-MM-DD``."""
        arg = node.args[0] if len(node.args) == 1 else None
        day = None
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            day = parse_iso_date(arg.value)
        if day is None:
            raise _Refused(
                "date() takes one text literal, a date written YYYY-MM-DD: date('2025-12-31')",
                node,
            )
        return ir.Day(day, _pos(node))

    def _Expression(self, node: ast.Expression) -> ir.Node:
        return self.convert(node.body)


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> ir.Node | tuple[str, ast.AST | None]:
    why = _scan(text)
    if why is not None:
        return (why, None)
    if not text.strip():
        return ("expression is empty", None)
    try:
        with warnings.catch_warnings():
            # Python only warns of some sloppy text ("1if x else 2": "invalid decimal
            # literal") and parses it; an expression from a file is refused instead, and
            # nothing is printed on the caller's standard error
            warnings.simplefilter("error", SyntaxWarning)
            tree = ast.parse(text.strip(), mode="eval")
    except SyntaxWarning as exc:
        return (f"syntax error: {exc}", None)
    except SyntaxError as exc:
        return (f"syntax error: {exc.msg}", None)
    except (ValueError, MemoryError, RecursionError, OverflowError) as exc:
        return (f"cannot parse: {type(exc).__name__}", None)
    why = _bounded(tree)
    if why is not None:
        return (why, None)
    try:
        return _Converter().convert(tree)
    except _Refused as exc:
        return (exc.message, exc.node)
    except RecursionError:  # pragma: no cover - bounded depth makes this unreachable
        return ("expression is nested too deeply", None)


def parse(text: str, path: str = "") -> ir.Node:
    """Parse one expression into its safe intermediate form.

    Args:
        text: The expression, e.g. ``"nst_rd_expense * base_rate[firm_size]"``.
        path: Where the expression is, for error messages (``rules[2].condition``).

    Returns:
        The expression tree (names are not resolved yet: that is the type checker's job).

    Raises:
        ExpressionError: The text is not an allowed expression.

    Examples:
        >>> from stratpolicy.rules._ir import to_source
        >>> to_source(parse("min(0.10, 3 * x / y)"))
        'min(0.1, (3.0 * x) / y)'
    """
    if not isinstance(text, str):
        raise ExpressionError(
            [Problem(path, f"an expression must be text, got {describe(text)}", ExpressionError)]
        )
    result = _parse_cached(text)
    if isinstance(result, tuple):
        message, node = result
        raise _error(text.strip(), message, path, node)
    return result
