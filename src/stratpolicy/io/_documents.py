"""Documents: the ``schema_version`` / ``document`` envelope, the kinds registry, load and dump."""

from __future__ import annotations

import errno
import importlib
import math
import os
import secrets
import stat
from pathlib import Path
from typing import Any, TypeVar, overload

from stratpolicy._checks import describe, quote, text_problem
from stratpolicy.errors import Problem, SchemaError, ValidationError
from stratpolicy.io._converter import structure, unstructure
from stratpolicy.io._formats import decode, format_of, parse_text, render_text
from stratpolicy.limits import MAX_DOCUMENT_SIZE, MAX_INTEGER_DIGITS, MAX_NESTING_DEPTH

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
    # the scenarios layer (it also registers them with register_kind when imported)
    "reform": "stratpolicy.scenarios:Reform",
    "experiments": "stratpolicy.scenarios:ExperimentSpec",
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
    """The document for an object: envelope first, then its fields.

    Raises:
        ValidationError: The object holds something no document can hold so that it reads
            back equal (a lone surrogate in a text, a number that is not finite, a key that
            is not text); each problem has its path.
    """
    document = {"schema_version": SCHEMA_VERSION, "document": kind_of(obj), **unstructure(obj)}
    _check_writable(document)
    return document


def _check_writable(data: Any) -> None:
    problems: list[Problem] = []
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack and len(problems) < 100:
        value, path, depth = stack.pop()
        if isinstance(value, dict):
            if depth >= MAX_NESTING_DEPTH:
                problems.append(Problem(path, f"nested deeper than {MAX_NESTING_DEPTH} levels"))
                continue
            for key, item in value.items():
                if not isinstance(key, str):
                    problems.append(Problem(path, f"a key must be text, got {describe(key)}"))
                    continue
                stack.append((item, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(value, (list, tuple)):
            if depth >= MAX_NESTING_DEPTH:
                problems.append(Problem(path, f"nested deeper than {MAX_NESTING_DEPTH} levels"))
                continue
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str):
            problem = text_problem(value)
            if problem is not None:
                problems.append(Problem(path, problem[0]))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(Problem(path, f"{value!r} cannot be written: not a finite number"))
        elif (
            isinstance(value, int)
            and not isinstance(value, bool)
            and abs(value) >= 10**MAX_INTEGER_DIGITS
        ):
            problems.append(Problem(path, f"{describe(value)} cannot be written"))
    if problems:
        raise ValidationError(problems)


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
                    f"expected a mapping at the top of the document, got {describe(data)}",
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
    elif type(version) is not int or version != SCHEMA_VERSION:
        problems.append(
            Problem(
                "schema_version",
                f"unsupported version {_shown(version)}; this library reads {SCHEMA_VERSION} "
                "(a whole number)",
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
                f"unknown document kind {_shown(kind)}; expected one of {', '.join(_KINDS)}",
                SchemaError,
            )
        )
    else:
        cls = _class_of(kind)
        if expected is not None and not issubclass(cls, expected):
            problems.append(
                Problem(
                    "document",
                    f"expected a document of kind {kind_of(expected)!r}, got {kind!r}",
                    SchemaError,
                )
            )
    if problems:
        raise SchemaError(problems, source=source)
    assert cls is not None
    body = {k: v for k, v in data.items() if k not in _ENVELOPE}
    return structure(body, cls, source=source)


def _shown(value: object) -> str:
    return quote(value) if isinstance(value, str) else describe(value)


def dumps(obj: Any, format: str = "yaml") -> str:
    """Write an object as a document in ``format`` (``"json"``, ``"yaml"`` or ``"toml"``).

    What is written reads back equal with :func:`loads`, in each format.

    Raises:
        ValidationError: The object holds a value no document can hold (see
            :func:`to_document`).
        TypeError: The object is not a document kind, or holds Python code (a ``PythonRule``).
    """
    return render_text(to_document(obj), format)


@overload
def loads(
    text: str | bytes, format: str = "yaml", kind: None = None, *, source: str | None = None
) -> Any: ...
@overload
def loads(
    text: str | bytes, format: str = "yaml", kind: type[_T] = ..., *, source: str | None = None
) -> _T: ...
def loads(
    text: str | bytes,
    format: str = "yaml",
    kind: type[Any] | None = None,
    *,
    source: str | None = None,
) -> Any:
    """Read the object a document holds.

    Args:
        text: The document, as text or as UTF-8 bytes.
        format: ``"json"``, ``"yaml"`` or ``"toml"``.
        kind: If given, the class the document must hold (e.g. ``Portfolio``).
        source: Where the text came from, for error messages.

    Raises:
        FormatError: The text is empty, too large, not UTF-8, nested too deeply, or not
            valid in ``format`` (see :mod:`stratpolicy.limits` for the bounds).
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

    The file must be UTF-8 (a byte-order mark is allowed) and at most
    :data:`~stratpolicy.limits.MAX_DOCUMENT_SIZE` bytes; no more than that is read.

    Raises:
        FileNotFoundError: There is no such file (and other ``OSError`` s from the system).
        DataError: As for :func:`loads`, with the file named in the message.
    """
    fmt = format or format_of(path)
    with open(path, "rb") as handle:
        data = handle.read(MAX_DOCUMENT_SIZE + 1)
    text = decode(data, source=str(path))
    return loads(text, fmt, kind, source=str(path))


def dump(obj: Any, path: str | os.PathLike[str], *, format: str | None = None) -> None:
    """Write an object to a file, replacing it atomically; a failed write leaves the old file.

    The document is rendered first, so an object that cannot be written touches no file.
    Then it is written to a temporary file in the target's folder, flushed to disk
    (``fsync``), and renamed over the target; the folder is flushed too, so the new name
    survives a crash. On any exception, ``KeyboardInterrupt`` included, the temporary file
    is removed and the target is unchanged.

    - An existing file keeps its permission bits (a 0644 file stays 0644); a new file gets
      the usual default (0666 less the process umask), as with ``open(path, "w")``.
    - A symbolic link is followed: the file it points to is replaced, the link stays.
    - A file with several hard links, and anything that is not a regular file (a FIFO, a
      device, a socket), is refused with an ``OSError``: replacing it would split the links
      or destroy the special file, and writing it in place would not be atomic.

    Raises:
        ValidationError: The object holds a value no document can hold.
        TypeError: The object is not a document kind.
        OSError: The target cannot be written (see above), or the system refuses.
    """
    fmt = format or format_of(path)
    data = dumps(obj, fmt).encode("utf-8")
    target = Path(os.path.realpath(path))
    mode: int | None = None
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise OSError(
                errno.EINVAL,
                "not a regular file (a FIFO, device or socket): dump replaces regular files only",
                str(path),
            )
        if info.st_nlink > 1:
            raise OSError(
                errno.EMLINK,
                f"the file has {info.st_nlink} hard links; replacing it would split them "
                "(copy it to a file of its own first)",
                str(path),
            )
        mode = stat.S_IMODE(info.st_mode)
    tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(tmp, flags, 0o666)  # the umask applies, as for any new file
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.chmod(tmp, mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, where the system allows it (not on Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a folder; the data itself is synced
        pass
    finally:
        os.close(fd)
