"""Citations: where a rule, a rate or an instrument comes from in law or policy."""

from __future__ import annotations

import datetime as dt

import attrs

from stratpolicy._checks import Checker
from stratpolicy._dates import in_period

__all__ = ["Citation"]


@attrs.frozen(kw_only=True)
class Citation:
    """A reference to a legal or policy text.

    Attributes:
        act: The act, decree or document (``"Restriction of Special Taxation Act"``).
        article: The article, e.g. ``"10(1)2"``; empty when not known.
        clause: A clause or item within the article, if any.
        effective_from: First day the cited text is in force, if known.
        effective_to: Last day the cited text is in force, if known.
        url: Where the text can be read.
        note: Anything a reader should know (an unconfirmed date, a paraphrase).

    Examples:
        >>> Citation(act="Restriction of Special Taxation Act", article="10(1)2").label
        'Restriction of Special Taxation Act, Art. 10(1)2'
    """

    act: str
    article: str = ""
    clause: str = ""
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    url: str = ""
    note: str = ""

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.non_empty("act", self.act)
        check.texts(self)
        check.date_order("effective_to", self.effective_from, self.effective_to)
        check.done()

    @property
    def label(self) -> str:
        """A short human-readable form: act, article and clause."""
        text = self.act
        if self.article:
            text += f", Art. {self.article}"
        if self.clause:
            text += f", {self.clause}"
        return text

    def in_force(self, on: dt.date) -> bool:
        """Whether the cited text is in force on ``on`` (open ends count as in force)."""
        return in_period(on, self.effective_from, self.effective_to)
