"""Documents: the ``schema_version`` / ``document`` envelope, the kinds registry, load and dump."""

from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path
from typing import Any, TypeVar, overload

from stratpolicy.errors import Problem, SchemaError
from stratpolicy.io._converter import structure, unstructure
from stratpolicy.io._formats import format_of, parse_text, render_text

__all__ = ["SCHEMA_VERSION", "dump", "dumps", "kind_of", "load", "loads", "register_kind"]

SCHEMA_VERSION = 1
"""The version of the document format this library writes and reads."""

_T = TypeVar("_T")

# kind -> "module:Class". Upper layers are imported only when a document of theirs is read,
# so that io does not depend on them.
_KINDS: dict[str, str] = {
    "portfolio": "stratpolicy.model:Portfolio",
    "technology": "stratpolicy.model:Technology",
    "mission": "stratpolicy.model:Mission",
    "instrument": "stratpolicy.model:Instrument",
    "incentive": "stratpolicy.model:Incentive",
    "actor": "stratpolicy.model:Actor",
    "roadmap": "stratpolicy.model:Roadmap",
    "citation": "stratpolicy.model:Citation",
    "crosswalk": "stratpolicy.model:Crosswalk",
    "exchange_rates": "stratpolicy.units:ExchangeRates",
    "rule_set": "stratpolicy.rules:RuleSet",
    "parameter_set": "stratpolicy.rules:ParameterSet",
}
_ENVELOPE = ("schema_version", "document")


def register_kind(kind: str, cls: type[Any]) -> None:
    """Register a class as a document kind, so that :func:`load` can read it.

    Args:
        kind: The value of the document's ``document`` key, e.g. ``"rule_set"``.
        cls: An attrs class the shared converter can build.
    """
    _KINDS[kind] = f"{cls.__module__}:{cls.__qualname__}"


def _class_of(kind: str) -> type[Any]:
    module, _, name = _KINDS[kind].partition(":")
    cls: type[Any] = getattr(importlib.import_module(module), name)
    return cls


def kind_of(obj_or_cls: Any) -> str:
    """The document kind of an object or class (``"portfolio"``).

    Raises:
        TypeError: The class is not a registered kind.
    """
    cls = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    target = f"{cls.__module__}:{cls.__qualname__}"
    for kind, where in _KINDS.items():
        if where == target or (
            where.split(":")[1] == cls.__qualname__ and _safe_class(kind) is cls
        ):
            return kind
    raise TypeError(f"{cls.__qualname__} is not a document kind; see io.register_kind")


def _safe_class(kind: str) -> type[Any] | None:
    try:
        return _class_of(kind)
    except (ImportError, AttributeError):
        return None


def to_document(obj: Any) -> dict[str, Any]:
    """The document for an object: envelope first, then its fields."""
    return {"schema_version": SCHEMA_VERSION, "document": kind_of(obj), **unstructure(obj)}


@overload
def from_document(data: Any, expected: None = None, *, source: str | None = None) -> Any: ...
@overload
def from_document(data: Any, expected: type[_T], *, source: str | None = None) -> _T: ...
def from_document(
    data: Any, expected: type[Any] | None = None, *, source: str | None = None
) -> Any:
    """Build the object a document holds, checking its envelope first."""
    if not isinstance(data, dict):
        raise SchemaError(
            [
                Problem(
                    "",
                    f"expected a mapping at the top of the document, got {type(data).__name__}",
                    SchemaError,
                )
            ],
            source=source,
        )
    problems: list[Problem] = []
    version = data.get("schema_version")
    if "schema_version" not in data:
        problems.append(
            Problem(
                "schema_version",
                f"required field is missing; this library reads {SCHEMA_VERSION}",
                SchemaError,
            )
        )
    elif isinstance(version, bool) or version != SCHEMA_VERSION:
        problems.append(
            Problem(
                "schema_version",
                f"unsupported version {version!r}; this library reads {SCHEMA_VERSION}",
                SchemaError,
            )
        )
    kind = data.get("document")
    cls: type[Any] | None = None
    if "document" not in data:
        problems.append(
            Problem(
                "document",
                f"required field is missing; expected one of {', '.join(_KINDS)}",
                SchemaError,
            )
        )
    elif not isinstance(kind, str) or kind not in _KINDS:
        problems.append(
            Problem(
                "document",
                f"unknown document kind {kind!r}; expected one of {', '.join(_KINDS)}",
                SchemaError,
            )
        )
    else:
        cls = _class_of(kind)
        if expected is not None and not issubclass(cls, expected):
            problems.append(
                Problem(
                    "kind",
                    f"expected a document of kind {kind_of(expected)!r}, got {kind!r}",
                    SchemaError,
                )
            )
    if problems:
        raise SchemaError(problems, source=source)
    assert cls is not None
    body = {k: v for k, v in data.items() if k not in _ENVELOPE}
    return structure(body, cls, source=source)


def dumps(obj: Any, format: str = "yaml") -> str:
    """Write an object as a document in ``format`` (``"json"``, ``"yaml"`` or ``"toml"``)."""
    return render_text(to_document(obj), format)


@overload
def loads(
    text: str, format: str = "yaml", kind: None = None, *, source: str | None = None
) -> Any: ...
@overload
def loads(
    text: str, format: str = "yaml", kind: type[_T] = ..., *, source: str | None = None
) -> _T: ...
def loads(
    text: str, format: str = "yaml", kind: type[Any] | None = None, *, source: str | None = None
) -> Any:
    """Read the object a document holds.

    Args:
        text: The document.
        format: ``"json"``, ``"yaml"`` or ``"toml"``.
        kind: If given, the class the document must hold (e.g. ``Portfolio``).
        source: Where the text came from, for error messages.

    Raises:
        FormatError: The text is empty or not valid in ``format``.
        SchemaError: Wrong envelope, unknown keys, wrong types, missing fields.
        ValidationError: The objects break a rule of the domain.
        UnitError: An amount is not of the expected kind.
        DataError: Problems of several of these kinds at once.
    """
    return from_document(parse_text(text, format, source=source), kind, source=source)


@overload
def load(path: str | os.PathLike[str], kind: None = None, *, format: str | None = None) -> Any: ...
@overload
def load(path: str | os.PathLike[str], kind: type[_T], *, format: str | None = None) -> _T: ...
def load(
    path: str | os.PathLike[str], kind: type[Any] | None = None, *, format: str | None = None
) -> Any:
    """Read the object a file holds; its format comes from its suffix unless given.

    Raises:
        FileNotFoundError: There is no such file.
        DataError: As for :func:`loads`, with the file named in the message.
    """
    fmt = format or format_of(path)
    text = Path(path).read_text(encoding="utf-8")
    return loads(text, fmt, kind, source=str(path))


def dump(obj: Any, path: str | os.PathLike[str], *, format: str | None = None) -> None:
    """Write an object to a file, replacing it atomically (a failed write leaves the old file)."""
    fmt = format or format_of(path)
    text = dumps(obj, fmt)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
