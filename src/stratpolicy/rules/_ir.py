"""The intermediate representation of a parsed expression.

The parser (:mod:`._parse`) turns the user's text into these nodes; nothing downstream
ever sees a node of the standard :mod:`ast` module. Nodes are immutable and compare by
value (their source position ``pos`` takes no part in equality), so a parsed expression
can be rendered back to text with :func:`to_source` and parsed again to the same tree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = [
    "Binary",
    "Call",
    "Compare",
    "Cond",
    "Day",
    "Logic",
    "Lookup",
    "Member",
    "Name",
    "Node",
    "Num",
    "Pos",
    "Power",
    "Text",
    "Truth",
    "Unary",
    "children",
    "names",
    "to_source",
    "walk",
]

Pos = tuple[int, int, int, int] | None
"""Source position: ``(line, column, end line, end column)`` as the :mod:`ast` module gives."""


@dataclass(frozen=True, slots=True)
class Num:
    """A number literal (always a float)."""

    value: float
    pos: Pos = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Text:
    """A string literal: a category value."""

    value: str
    pos: Pos = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Truth:
    """``True`` or ``False``."""

    value: bool
    pos: Pos = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Day:
    """A date literal, written ``date('2025-12-31')``."""

    value: dt.date
    pos: Pos = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Name:
    """A name: an input, a parameter or an output of another rule."""

    id: str
    pos: Pos = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Lookup:
    """``table[key]``: a keyed parameter subscripted by a category or a string literal."""

    table: str
    key: Name | Text
    pos: Pos = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Unary:
    """``-x`` or ``not x``."""

    op: str
    operand: Node
    pos: Pos = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Binary:
    """``a + b``, ``a - b``, ``a * b``, ``a / b``."""

    op: str
    left: Node
    right: Node
    pos: Pos = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Power:
    """``base ** exponent`` with a small non-negative integer literal exponent."""

    base: Node
    exponent: int
    pos: Pos = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Compare:
    """One comparison ``left op right`` (chains are split into ``and`` of pairs)."""

    op: str
    left: Node
    right: Node
    pos: Pos = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Member:
    """``item in ("a", "b")`` (``options``) or ``item in set_parameter`` (``table``)."""

    item: Node
    options: tuple[str, ...] | None
    table: str | None
    negate: bool
    pos: Pos = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Logic:
    """``a and b and ...`` or ``a or b or ...``."""

    op: str
    operands: tuple[Node, ...]
    pos: Pos = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Cond:
    """``body if test else orelse``."""

    test: Node
    body: Node
    orelse: Node
    pos: Pos = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Call:
    """A call of a fixed function (``min``, ``max``, ``abs``, ``round``, ``clip``, ...).

    (``date('...')`` is no call: the parser makes it a :class:`Day`.)
    """

    func: str
    args: tuple[Node, ...]
    pos: Pos = field(default=None, compare=False, repr=False)


Node = (
    Num
    | Text
    | Truth
    | Day
    | Name
    | Lookup
    | Unary
    | Binary
    | Power
    | Compare
    | Member
    | Logic
    | Cond
    | Call
)


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-expressions of ``node``."""
    if isinstance(node, Lookup):
        return (node.key,)
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary | Compare):
        return (node.left, node.right)
    if isinstance(node, Power):
        return (node.base,)
    if isinstance(node, Member):
        return (node.item,)
    if isinstance(node, Logic):
        return node.operands
    if isinstance(node, Cond):
        return (node.test, node.body, node.orelse)
    if isinstance(node, Call):
        return node.args
    return ()


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children (iterative: no recursion)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def names(node: Node) -> list[str]:
    """Every name the expression reads (inputs, parameters, outputs), in order, once each."""
    seen: dict[str, None] = {}
    for n in walk(node):
        if isinstance(n, Name):
            seen.setdefault(n.id, None)
        elif isinstance(n, Lookup | Member) and n.table is not None:
            seen.setdefault(n.table, None)
    return list(seen)


_ATOMS = (Num, Text, Truth, Day, Name, Lookup, Call)


def _wrap(node: Node) -> str:
    text = to_source(node)
    if isinstance(node, _ATOMS) and not text.startswith("-"):
        return text
    return f"({text})"


def to_source(node: Node) -> str:
    """Render an expression as text that parses back to an equal tree.

    Examples:
        >>> from stratpolicy.rules._parse import parse
        >>> to_source(parse("a+b*c"))
        'a + (b * c)'
    """
    if isinstance(node, Num):
        return repr(node.value)
    if isinstance(node, Text):
        return repr(node.value)
    if isinstance(node, Truth):
        return "True" if node.value else "False"
    if isinstance(node, Day):
        return f"date({node.value.isoformat()!r})"
    if isinstance(node, Name):
        return node.id
    if isinstance(node, Lookup):
        return f"{node.table}[{to_source(node.key)}]"
    if isinstance(node, Unary):
        sep = " " if node.op == "not" else ""
        return f"{node.op}{sep}{_wrap(node.operand)}"
    if isinstance(node, Binary | Compare):
        return f"{_wrap(node.left)} {node.op} {_wrap(node.right)}"
    if isinstance(node, Power):
        return f"{_wrap(node.base)} ** {node.exponent}"
    if isinstance(node, Member):
        op = "not in" if node.negate else "in"
        if node.options is not None:
            inner = ", ".join(repr(o) for o in node.options)
            if len(node.options) == 1:
                inner += ","
            return f"{_wrap(node.item)} {op} ({inner})"
        return f"{_wrap(node.item)} {op} {node.table}"
    if isinstance(node, Logic):
        return f" {node.op} ".join(_wrap(o) for o in node.operands)
    if isinstance(node, Cond):
        return f"{_wrap(node.body)} if {_wrap(node.test)} else {_wrap(node.orelse)}"
    args = [to_source(a) for a in node.args]
    if node.func == "round" and len(node.args) == 2 and isinstance(node.args[1], Num):
        args[1] = str(int(node.args[1].value))  # the digits are an integer literal
    return f"{node.func}({', '.join(args)})"
