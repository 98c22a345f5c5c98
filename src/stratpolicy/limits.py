"""The library's bounds on input, one named constant each.

Every bound is checked *before* the work it protects is done: a document that is too large
is refused before it is parsed, nesting before a parser can recurse, an alias before it is
expanded, an amount's exponent before a unit is built. Going past a bound raises a
:class:`~stratpolicy.errors.DataError` subclass naming the bound, never a ``RecursionError``,
a ``MemoryError`` or a hang. The page "Limits and guarantees" of the documentation lists
each bound with the test that checks it.

Examples:
    >>> from stratpolicy import limits
    >>> limits.MAX_NESTING_DEPTH
    32
"""

from __future__ import annotations

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_AMOUNT_LENGTH",
    "MAX_DOCUMENT_SIZE",
    "MAX_ID_LENGTH",
    "MAX_INTEGER_DIGITS",
    "MAX_LIST_PROBLEMS",
    "MAX_NESTING_DEPTH",
    "MAX_SHOWN_PROBLEMS",
    "MAX_UNIT_EXPONENT",
    "MAX_UNIT_TERMS",
]

MAX_DOCUMENT_SIZE = 32 * 1024 * 1024
"""Largest document read: 32 MiB (bytes of a file; characters of a string).

Checked before parsing; a file is not even read past this size."""

MAX_NESTING_DEPTH = 32
"""Deepest nesting of lists and mappings in a document (the deepest built-in document
uses 7). Checked while scanning, before a parser can recurse."""

MAX_ALIAS_NODES = 100_000
"""Most values YAML aliases (``*name``) may add to a document, counting each alias as a full
copy of what it names. A larger expansion (an "alias bomb") is refused while parsing, before
anything is copied or described."""

MAX_INTEGER_DIGITS = 100
"""Most digits in a whole number of a document (Python itself refuses more than 4,300, and
converting long numbers costs time quadratic in their length). Checked before conversion."""

MAX_AMOUNT_LENGTH = 100
"""Most characters in an amount written as text (``"35.3 trillion KRW"``)."""

MAX_UNIT_TERMS = 8
"""Most unit names in an amount's unit (``"KRW / GPU / year"`` has three)."""

MAX_UNIT_EXPONENT = 4
"""Largest power of one unit name in an amount (``"m^3"``, ``"s^-2"``): the exponent is
a small whole number, checked before pint sees it."""

MAX_ID_LENGTH = 100
"""Most characters in an id (see the id grammar in :mod:`stratpolicy.model`)."""

MAX_LIST_PROBLEMS = 100
"""Most problems reported for the items of one list of a document; past it the remaining
items are not checked, so a huge list of bad items costs no more than a short one."""

MAX_SHOWN_PROBLEMS = 100
"""Most problems an error's message prints; ``DataError.problems`` keeps them all."""
