"""Pickling frozen attrs objects that hold read-only mappings (shared by every floor).

``types.MappingProxyType`` cannot be pickled; a class whose fields hold one gives
``__getstate__`` / ``__setstate__`` through these two helpers.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import attrs

__all__ = ["plain_state", "set_plain_state"]


def plain_state(obj: Any) -> tuple[object, ...]:
    """The fields of a slotted attrs object for pickling, read-only mappings as dicts.

    ``types.MappingProxyType`` cannot be pickled; :func:`set_plain_state` turns the dicts
    back into read-only mappings.
    """
    return tuple(
        dict(value) if isinstance(value, MappingProxyType) else value
        for value in (getattr(obj, a.name) for a in attrs.fields(type(obj)))
    )


def set_plain_state(obj: Any, state: tuple[object, ...]) -> None:
    """Restore what :func:`plain_state` saved (every field, dicts made read-only again)."""
    for a, value in zip(attrs.fields(type(obj)), state, strict=True):
        if isinstance(value, dict):
            value = MappingProxyType(value)
        object.__setattr__(obj, a.name, value)
