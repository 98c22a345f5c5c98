"""What the command line's modules share: user errors, exit codes, safe output."""

from __future__ import annotations

import os
import sys

__all__ = [
    "EXIT_CODES",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_OUTPUT_CLOSED",
    "EXIT_USAGE",
    "UserError",
    "output_closed",
    "prepare_streams",
    "say_error",
]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_OUTPUT_CLOSED = 141

EXIT_CODES: dict[int, str] = {
    EXIT_OK: "done",
    EXIT_INVALID: "invalid input: a missing or unreadable file, or bad data",
    EXIT_USAGE: "a wrong command line (unknown command or option, missing argument)",
    EXIT_INTERNAL: "an internal error (a bug; please report it)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C)",
    EXIT_OUTPUT_CLOSED: "standard output was closed before everything was written",
}
"""Every exit status of ``stratpolicy`` and its meaning."""


class UserError(Exception):
    """A problem with what the user asked for: printed without a traceback."""


def prepare_streams() -> None:
    r"""Make printing never fail on an encoding: escape what the encoding cannot show.

    With ``PYTHONIOENCODING=ascii`` (or a terminal in Latin-1) a Korean name is written as
    ``\uc591`` instead of raising ``UnicodeEncodeError``.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None or getattr(stream, "errors", "strict") != "strict":
            continue
        try:
            reconfigure(errors="backslashreplace")
        except (ValueError, OSError):  # a stream that cannot change; leave it as it is
            continue


def say_error(message: str) -> None:
    """Print ``error: message`` on standard error; never raise (stderr may be closed too)."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(f"error: {message}" + ("" if message.endswith("\n") else "\n"))
        stream.flush()
    except (OSError, ValueError):
        pass


def output_closed() -> None:
    """Standard output was closed by its reader: stop quietly.

    Points the output's file descriptor at ``os.devnull`` so that the interpreter's final
    flush does not fail again (the recipe of Python's ``signal`` documentation).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
