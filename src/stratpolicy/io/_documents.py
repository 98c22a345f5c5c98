"""Documents in files and text: ``load``, ``loads``, ``dump``, ``dumps`` (the default converter)."""

from __future__ import annotations

import os
from typing import Any, TypeVar, overload

from stratpolicy.io._converter import default_converter
from stratpolicy.io._files import read_data, write_text
from stratpolicy.io._formats import format_of, parse_text, render_text

__all__ = ["dump", "dumps", "load", "loads"]

_T = TypeVar("_T")


def dumps(obj: Any, format: str = "yaml") -> str:
    """Write an object as a document in ``format`` (``"json"``, ``"yaml"`` or ``"toml"``).

    What is written reads back equal with :func:`loads`, in each format.

    Raises:
        ValidationError: The object holds a value no document can hold (see
            :func:`~stratpolicy.io.to_document`).
        TypeError: The object is not a document kind, or holds Python code (a ``PythonRule``).
    """
    return render_text(default_converter().to_document(obj), format)


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
        SchemaError: Wrong envelope (an unknown kind: the message lists the registered
            ones), unknown keys, wrong types, missing fields.
        ValidationError: The objects break a rule of the domain.
        UnitError: An amount is not of the expected kind.
        DataError: Problems of several of these kinds at once.
    """
    data = parse_text(text, format, source=source)
    return default_converter().from_document(data, kind, source=source)


@overload
def load(path: str | os.PathLike[str], kind: None = None, *, format: str | None = None) -> Any: ...
@overload
def load(path: str | os.PathLike[str], kind: type[_T], *, format: str | None = None) -> _T: ...
def load(
    path: str | os.PathLike[str], kind: type[Any] | None = None, *, format: str | None = None
) -> Any:
    """Read the object a file holds; its format comes from its suffix unless given.

    The file must be UTF-8 (a byte-order mark is allowed) and at most
    :data:`~stratpolicy.limits.MAX_DOCUMENT_SIZE` bytes; no more than that is read. Only
    the kinds registered so far are known (:func:`~stratpolicy.io.document_kinds`);
    :func:`stratpolicy.load` knows every kind the library ships.

    Raises:
        FileNotFoundError: There is no such file (and other ``OSError`` s from the system).
        DataError: As for :func:`loads`, with the file named in the message.
    """
    data = read_data(path, format=format)
    return default_converter().from_document(data, kind, source=str(path))


def dump(obj: Any, path: str | os.PathLike[str], *, format: str | None = None) -> None:
    """Write an object to a file, replacing it atomically; a failed write leaves the old file.

    The document is rendered first, so an object that cannot be written touches no file;
    the file is then replaced as :func:`~stratpolicy.io.write_data` does: a temporary file
    in the same folder, flushed to disk and renamed over the target; the target keeps its
    permission bits, a symbolic link is followed, a file with several hard links or a
    special file is refused.

    Raises:
        ValidationError: The object holds a value no document can hold.
        TypeError: The object is not a document kind.
        OSError: The target cannot be written (see above), or the system refuses.
    """
    fmt = format or format_of(path)
    write_text(dumps(obj, fmt), path)
