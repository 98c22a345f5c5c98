"""Files of plain data: bounded strict reading, atomic writing."""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path
from typing import Any

from stratpolicy._checks import describe
from stratpolicy.errors import Problem, ValidationError, join_path
from stratpolicy.io._envelope import check_writable
from stratpolicy.io._formats import decode, format_of, parse_text, render_text
from stratpolicy.limits import MAX_DOCUMENT_SIZE, MAX_SHOWN_PROBLEMS

__all__ = ["parse_data", "read_data", "render_data", "write_data", "write_text"]


def parse_data(text: str | bytes, format: str, *, source: str | None = None) -> Any:
    r"""Plain data from the text of a JSON, YAML or TOML file, read as strictly as documents.

    The same bounded, strict parsing as :func:`~stratpolicy.io.loads`, without building an
    object: the size, the encoding (UTF-8), the nesting, the digits of whole numbers and
    YAML's aliases are bounded (:mod:`stratpolicy.limits`); a key written twice is an error;
    YAML is its safe subset (``yes``/``no``/``on`` stay text, plain dates stay text).

    Args:
        text: The text, or its UTF-8 bytes.
        format: ``"json"``, ``"yaml"`` or ``"toml"``.
        source: Where the text came from, for error messages.

    Returns:
        Dicts, lists, text, numbers, booleans and ``None`` (and dates, where TOML or a YAML
        ``!!timestamp`` writes one).

    Raises:
        FormatError: The text is empty, too large, not UTF-8, nested too deeply, holds an
            integer that is too long, or is not valid in ``format``; with a line where one
            is known.

    Examples:
        >>> parse_data("answer: 42\nwhen: 2026-01-01\nok: yes\n", "yaml")
        {'answer': 42, 'when': '2026-01-01', 'ok': 'yes'}
    """
    return parse_text(text, format, source=source)


def read_data(path: str | os.PathLike[str], *, format: str | None = None) -> Any:
    """Plain data from a JSON, YAML or TOML file, read as strictly as documents.

    Its format comes from its suffix unless given. No more than
    :data:`~stratpolicy.limits.MAX_DOCUMENT_SIZE` bytes are read. See :func:`parse_data`.

    Raises:
        FileNotFoundError: There is no such file (and other ``OSError`` s from the system).
        FormatError: As for :func:`parse_data`, with the file named in the message; or the
            suffix is not one of ``.json``, ``.yaml``, ``.yml``, ``.toml``.
    """
    fmt = format or format_of(path)
    with open(path, "rb") as handle:
        data = handle.read(MAX_DOCUMENT_SIZE + 1)
    text = decode(data, source=str(path))
    return parse_text(text, fmt, source=str(path))


def render_data(data: Any, format: str) -> str:
    """The text of plain data in ``format`` (``"json"``, ``"yaml"`` or ``"toml"``).

    What :func:`parse_data` reads back equal: YAML writes double-quoted, with escapes, any
    text another style would change. A TOML document is a table: ``data`` must be a mapping.

    Raises:
        FormatError: ``format`` is not one of the three.
        ValidationError: ``data`` holds a value no file can hold so that it reads back equal
            (a lone surrogate, a number that is not finite, a key that is not text).

    Examples:
        >>> print(render_data({"name": "AI", "levels": [1, 2]}, "json"))
        {
          "name": "AI",
          "levels": [
            1,
            2
          ]
        }
        <BLANKLINE>
    """
    check_writable(data)
    if format == "toml":
        _check_toml(data)
    return render_text(data, format)


def _check_toml(data: Any) -> None:
    """TOML has no null, and a document is a table."""
    if not isinstance(data, dict):
        raise ValidationError(
            [Problem("", f"a TOML document is a table (a mapping), got {describe(data)}")]
        )
    problems: list[Problem] = []
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack and len(problems) < MAX_SHOWN_PROBLEMS:
        value, path = stack.pop()
        if value is None:
            problems.append(Problem(path, "TOML has no null: leave the key out"))
        elif isinstance(value, dict):
            stack.extend((v, join_path(path, str(k))) for k, v in value.items())
        elif isinstance(value, (list, tuple)):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(value))
    if problems:
        problems.sort(key=lambda p: p.path)
        raise ValidationError(problems)


def write_data(data: Any, path: str | os.PathLike[str], *, format: str | None = None) -> None:
    """Write plain data to a file, replacing it atomically; a failed write leaves the old file.

    The text is rendered first (:func:`render_data`), so data that cannot be written touches
    no file. Then it is written to a temporary file in the target's folder, flushed to disk
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
        FormatError: The format is unknown (from ``format`` or the suffix).
        ValidationError: The data holds a value no file can hold.
        OSError: The target cannot be written (see above), or the system refuses.
    """
    fmt = format or format_of(path)
    write_text(render_data(data, fmt), path)


def write_text(text: str, path: str | os.PathLike[str]) -> None:
    """Write text to a file as UTF-8, atomically (see :func:`write_data`)."""
    data = text.encode("utf-8")
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
