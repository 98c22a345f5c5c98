"""The one HTML table helper of the library (the ground floor: any layer may use it).

Everything shown as HTML in a notebook (:mod:`stratpolicy.display`) builds its tables here,
so that they look alike and every cell is escaped once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

__all__ = ["escape", "html_table"]


def html_table(
    title: str, columns: Sequence[str], rows: Iterable[Sequence[str]], *, empty: str = "none"
) -> str:
    """A titled HTML table; every cell is escaped and a line break in a cell is kept.

    A table without rows is written as its title and ``empty``.

    Examples:
        >>> html_table("Targets (1)", ("metric",), [("rank <3>",)])
        '<p>Targets (1)</p><table><tr><th>metric</th></tr><tr><td>rank &lt;3&gt;</td></tr></table>'
        >>> html_table("Gaps", ("technology",), [])
        '<p><em>Gaps: none</em></p>'
    """
    body = "".join(
        "<tr>"
        + "".join(f"<td>{escape(cell).replace(chr(10), '<br>')}</td>" for cell in row)
        + "</tr>"
        for row in rows
    )
    if not body:
        return f"<p><em>{escape(title)}: {escape(empty)}</em></p>"
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    return f"<p>{escape(title)}</p><table><tr>{head}</tr>{body}</table>"
