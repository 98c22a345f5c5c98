"""Reading ``definitions.txt`` into pint's definition objects, without pint's text parser.

The file is in pint's definition syntax, restricted to what it uses: prefixes
(``kilo- = 1e3 = k-``), base units (``meter = [length] = m = metre``), units as a number
times a product of units (``metric_ton = 1e3 * kilogram = t = tonne``,
``newton = kilogram * meter / second ** 2 = N``) with an optional ``; offset: x``, derived
dimensions (``[area] = [length] ** 2``) and the ``@defaults`` and ``@system`` blocks.

pint's own parser reads it too, but costs ~15 ms on every start, ten times what the
definitions cost to add (most of it setting up the parser and Python's tokenizer).
``tests/units/test_registry.py`` checks that this reader and pint's give the same
definitions for every line of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["read_definitions"]

_TOKEN = re.compile(
    r"\s*(?:(?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?:\*\*[0-9]+)?)"
    r"|(?P<name>\[[A-Za-z_]*\]|[A-Za-z_][A-Za-z0-9_]*)|(?P<op>\*\*|[*/]))"
)


def read_definitions(lines: Iterable[str]) -> list[Any]:
    """The pint definition objects for ``lines`` (restricted syntax), in order.

    Raises:
        ValueError: A line outside the restricted syntax (a mistake in the shipped file,
            which the tests would catch).
    """
    from pint.facets.plain.definitions import (
        DefaultsDefinition,
        DerivedDimensionDefinition,
        PrefixDefinition,
        UnitDefinition,
    )
    from pint.facets.system.definitions import BaseUnitRule, SystemDefinition

    found: list[Any] = []
    block: list[Any] | None = None
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if block is not None:
            if line != "@end":
                block.append(line)
            elif block[0] == "@defaults":
                values = dict(_pair(entry) for entry in block[1:])
                found.append(DefaultsDefinition(values.get("group"), values.get("system")))
                block = None
            else:
                name, _, groups = block[0].removeprefix("@system ").partition(" using ")
                rules = tuple(BaseUnitRule(entry) for entry in block[1:])
                using = tuple(g.strip() for g in groups.split(",") if g.strip())
                found.append(SystemDefinition(name.strip(), using, rules))
                block = None
            continue
        if line == "@defaults" or line.startswith("@system "):
            block = [line]
            continue
        name, relation, *names = (part.strip() for part in line.split("="))
        if name.startswith("["):
            found.append(DerivedDimensionDefinition(name, _units(_product(relation)[1])))
        elif name.endswith("-"):
            value: Any = _product(relation)[0]  # pint annotates it as numbers.Number
            symbol = names[0].removesuffix("-") if names and names[0] != "_" else None
            aliases = tuple(n.removesuffix("-") for n in names[1:])
            found.append(PrefixDefinition(name.removesuffix("-"), value, symbol, aliases))
        else:
            product, _, offset = relation.partition(";")
            scale, reference = _product(product)
            symbol = names[0] if names and names[0] != "_" else None
            converter = _converter(scale, offset)
            found.append(
                UnitDefinition(name, symbol, tuple(names[1:]), converter, _units(reference))
            )
    if block is not None:
        raise ValueError(f"{block[0]} has no @end")
    return found


def _pair(entry: str) -> tuple[str, str]:
    key, _, value = entry.partition("=")
    return key.strip(), value.strip()


def _converter(scale: float, offset: str) -> Any:
    from pint.facets.nonmultiplicative.definitions import OffsetConverter
    from pint.facets.plain.definitions import ScaleConverter

    if offset:
        key, value = _pair(offset.replace(":", "=", 1))
        if key != "offset":
            raise ValueError(f"unexpected {offset!r}")
        number = float(value)
        if number:
            return OffsetConverter(scale, number)
    return ScaleConverter(scale)


def _units(reference: dict[str, int]) -> Any:
    from pint.util import UnitsContainer

    return UnitsContainer(reference)


def _product(text: str) -> tuple[float, dict[str, int]]:
    """``2 * meter / second ** 2`` as a scale (2) and unit powers (meter 1, second -2)."""
    scale: float = 1
    reference: dict[str, int] = {}
    sign, pos = 1, 0
    text = text.strip()
    while pos < len(text):
        token = _TOKEN.match(text, pos)
        if token is None:
            raise ValueError(f"cannot read {text!r} at {pos}")
        pos = token.end()
        if token.group("op") in ("*", "/"):
            sign = 1 if token.group("op") == "*" else -1
            continue
        power = 1
        after = _TOKEN.match(text, pos)
        if after is not None and after.group("op") == "**":
            exponent = _TOKEN.match(text, after.end())
            if exponent is None or exponent.group("number") is None:
                raise ValueError(f"a power must be a whole number in {text!r}")
            power = int(exponent.group("number"))
            pos = exponent.end()
        number, name = token.group("number"), token.group("name")
        if number is not None:
            base, _, exponent_text = number.partition("**")
            value: float = int(base) if base.isdigit() else float(base)
            if exponent_text:
                value = value ** int(exponent_text)
            value = value**power
            scale = scale * value if sign == 1 else scale / value
        else:
            reference[name] = reference.get(name, 0) + sign * power
            if reference[name] == 0:
                del reference[name]
        sign = 1
    return scale, reference
