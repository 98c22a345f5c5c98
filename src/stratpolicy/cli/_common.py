"""What the command line's modules share."""

from __future__ import annotations

__all__ = ["UserError"]


class UserError(Exception):
    """A problem with what the user asked for: printed without a traceback."""
