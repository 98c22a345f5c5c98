"""Editorial fields: the parts of a sourced object that are the editors' choice."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from stratpolicy._checks import Checker

# fields that describe provenance itself, never editorial choices
_NOT_EDITORIAL = frozenset({"id", "source", "verified", "note", "editorial"})


def check_editorial(check: Checker, cls: type, names: Iterable[str]) -> None:
    """Every name in an object's ``editorial`` must be one of its class's other fields."""
    fields = [f.name for f in attrs.fields(cls) if f.init and f.name not in _NOT_EDITORIAL]
    for i, name in enumerate(names):
        if name not in fields:
            check.add(
                f"editorial[{i}]",
                f"{name!r} is not a field that can be an editorial choice; expected one of "
                + ", ".join(fields),
            )
    check.unique("editorial", names, "field")
