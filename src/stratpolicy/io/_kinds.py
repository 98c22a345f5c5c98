"""The registry of document kinds: which class the ``document`` key of a document names.

Each layer registers its own kinds when it is imported, so that ``io`` needs to know
nothing above it: io registers the kinds of the floors below it (the model's classes and
the units' exchange-rate table, which know nothing of files), ``stratpolicy.rules``
registers ``rule_set`` and ``parameter_set``. This module is light: it imports neither
cattrs nor a parser, so a layer can register its kinds without loading them.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import attrs

from stratpolicy.model import (
    Actor,
    Citation,
    Crosswalk,
    Incentive,
    Instrument,
    Mission,
    Portfolio,
    Roadmap,
    Technology,
)
from stratpolicy.units import ExchangeRates

__all__ = ["SCHEMA_VERSION", "class_of", "document_kinds", "kind_of", "register_kind"]

SCHEMA_VERSION = 1
"""The version of the document format this library writes and reads."""

_KIND = re.compile(r"[a-z][a-z0-9_]{0,63}")
_lock = threading.Lock()
_KINDS: dict[str, type[Any]] = {}
_BY_CLASS: dict[type[Any], str] = {}


def register_kind(kind: str, cls: type[Any], *, replace: bool = False) -> None:
    """Register an attrs class as a document kind, so that documents of it can be read.

    Each layer registers its own kinds when it is imported (``stratpolicy.rules`` registers
    ``rule_set`` and ``parameter_set``). Registering the same class under the same kind
    again does nothing. This is what ``stratpolicy.rules`` does when it is imported::

        register_kind("rule_set", RuleSet)
        register_kind("parameter_set", ParameterSet)

    Args:
        kind: The value of the document's ``document`` key: lower-case letters, digits and
            ``_``, starting with a letter (``"rule_set"``).
        cls: An attrs class the converter can build.
        replace: Allow ``kind`` to name another class than the one it names now (and
            ``cls`` to leave the kind it had).

    Raises:
        ValueError: ``kind`` is not such a name, or it (or ``cls``) is registered already
            and ``replace`` is false.
        TypeError: ``cls`` is not an attrs class.
    """
    if not isinstance(kind, str) or not _KIND.fullmatch(kind):
        raise ValueError(
            f"a document kind is 1 to 64 lower-case letters, digits and _ starting with a "
            f"letter, got {kind!r}"
        )
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise TypeError(f"a document kind must be an attrs class, got {cls!r}")
    with _lock:
        known = _KINDS.get(kind)
        had = _BY_CLASS.get(cls)
        if known is cls and had == kind:
            return
        if not replace:
            if known is not None:
                raise ValueError(
                    f"the document kind {kind!r} is registered already (for "
                    f"{known.__module__}.{known.__qualname__}); pass replace=True to change it"
                )
            if had is not None:
                raise ValueError(
                    f"{cls.__qualname__} is registered already as the document kind {had!r}; "
                    "pass replace=True to change it"
                )
        if known is not None:
            del _BY_CLASS[known]
        if had is not None:
            del _KINDS[had]
        _KINDS[kind] = cls
        _BY_CLASS[cls] = kind


def document_kinds() -> dict[str, type[Any]]:
    """The document kinds registered so far and their classes, in registration order.

    A layer's kinds are registered when the layer is imported; the top-level
    :func:`stratpolicy.document_kinds` imports every layer first.

    Examples:
        >>> list(document_kinds())[:3]
        ['portfolio', 'technology', 'mission']
    """
    with _lock:
        return dict(_KINDS)


def class_of(kind: str) -> type[Any] | None:
    """The class registered for ``kind``, or ``None``."""
    return _KINDS.get(kind)


def kind_of(obj_or_cls: Any) -> str:
    """The document kind of an object or a class (``"portfolio"``).

    A subclass of a registered class has the kind of its nearest registered base.

    Raises:
        TypeError: The class is not a registered kind.

    Examples:
        >>> from stratpolicy.model import Citation
        >>> kind_of(Citation)
        'citation'
    """
    cls = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    for base in cls.__mro__:
        kind = _BY_CLASS.get(base)
        if kind is not None:
            return kind
    raise TypeError(
        f"{cls.__qualname__} is not a document kind; the registered kinds are "
        f"{', '.join(_KINDS)} (see stratpolicy.io.register_kind)"
    )


for _kind, _cls in (
    ("portfolio", Portfolio),
    ("technology", Technology),
    ("mission", Mission),
    ("instrument", Instrument),
    ("incentive", Incentive),
    ("actor", Actor),
    ("roadmap", Roadmap),
    ("citation", Citation),
    ("crosswalk", Crosswalk),
    ("exchange_rates", ExchangeRates),
):
    register_kind(_kind, _cls)
