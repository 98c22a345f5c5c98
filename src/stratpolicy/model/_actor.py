"""Actors: the ministries, agencies, committees, firms and institutes of a policy."""

from __future__ import annotations

import attrs

from stratpolicy._checks import Checker
from stratpolicy.model._enums import ActorKind, FirmSize

__all__ = ["Actor"]


@attrs.frozen(kw_only=True)
class Actor:
    """An organisation that sets, runs or benefits from policy.

    Attributes:
        id: Unique id within a portfolio (``"msit"``).
        name: Name in English.
        kind: Ministry, agency, committee, firm, university...
        name_local: Name in the country's language.
        abbreviation: Short name (``"MSIT"``).
        parent: Id of the actor it belongs to (an agency's ministry).
        firm_size: Size class, for firms only.
        country: ISO 3166 alpha-2 code (``"KR"``).
        source: Where it comes from.
        verified: Whether it was found in that source.
    """

    id: str
    name: str
    kind: ActorKind = attrs.field(converter=ActorKind)
    name_local: str = ""
    abbreviation: str = ""
    parent: str | None = None
    firm_size: FirmSize | None = attrs.field(
        default=None, converter=attrs.converters.optional(FirmSize)
    )
    country: str = ""
    source: str = ""
    verified: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.id("id", self.id)
        check.non_empty("name", self.name)
        check.texts(self)
        check.optional_id("parent", self.parent)
        if self.firm_size is not None and self.kind is not ActorKind.FIRM:
            check.add("firm_size", f"only firms have a size, not a {self.kind.value}")
        if self.parent is not None and self.parent == self.id:
            check.add("parent", "an actor cannot be its own parent")
        check.done()

    @property
    def label(self) -> str:
        """The abbreviation if there is one, else the name."""
        return self.abbreviation or self.name
