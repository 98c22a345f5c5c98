"""Actors: the ministries, agencies, committees, firms and institutes of a policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from stratpolicy._checks import Checker, Id, as_texts, as_tuple
from stratpolicy._dates import in_period
from stratpolicy.model._enums import ActorKind, FirmSize, to_actor_kind, to_firm_size

__all__ = ["Actor", "Successor"]


def _successors(value: Iterable[Successor]) -> tuple[Successor, ...]:
    return as_tuple(value)


@attrs.frozen(kw_only=True)
class Successor:
    """An actor that takes over (part of) another's remit when that one ends.

    Korea's finance ministry (기획재정부) ended on 2026-01-01: tax went to 재정경제부, the
    budget to 기획예산처. Each is a successor of the old ministry for the instruments of its
    remit.

    Attributes:
        actor: Id of the successor.
        remit: What it takes over, in words (``"tax"``).
        instruments: Ids of the instruments it takes over; empty for all of them.
    """

    actor: Id
    remit: str = ""
    instruments: tuple[Id, ...] = attrs.field(default=(), converter=as_texts)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.id("actor", self.actor)
        check.ids("instruments", self.instruments)
        check.texts(self)
        check.unique("instruments", self.instruments, "instrument")
        check.done()

    def takes_over(self, instrument: str) -> bool:
        """Whether it takes over ``instrument`` (every instrument when none are listed)."""
        return not self.instruments or instrument in self.instruments


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
        start: First day it exists (``None``: not known or not relevant).
        end: Last day it exists (``None``: it still does).
        successors: Who takes over its remit after ``end`` (see :class:`Successor`).
        source: Where it comes from.
        verified: Whether it was found in that source.
    """

    id: Id
    name: str
    kind: ActorKind = attrs.field(converter=to_actor_kind)
    name_local: str = ""
    abbreviation: str = ""
    parent: Id | None = None
    firm_size: FirmSize | None = attrs.field(default=None, converter=to_firm_size)
    country: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    successors: tuple[Successor, ...] = attrs.field(default=(), converter=_successors)
    source: str = ""
    verified: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.id("id", self.id)
        check.non_empty("name", self.name)
        check.date_order("end", self.start, self.end)
        check.unique("successors", (s.actor for s in self.successors), "successor")
        for i, succ in enumerate(self.successors):
            if succ.actor == self.id:
                check.add(f"successors[{i}].actor", "an actor cannot succeed itself")
        check.texts(self)
        check.optional_id("parent", self.parent)
        if self.firm_size is not None and self.kind is not ActorKind.FIRM:
            check.add("firm_size", f"only firms have a size, not a {self.kind.value}")
        if self.parent is not None and self.parent == self.id:
            check.add("parent", "an actor cannot be its own parent")
        check.done()

    def in_force(self, on: dt.date) -> bool:
        """Whether the actor exists on ``on`` (open ends count as existing)."""
        return in_period(on, self.start, self.end)

    @property
    def label(self) -> str:
        """The abbreviation if there is one, else the name."""
        return self.abbreviation or self.name
