"""Roadmaps: dated milestones per mission or technology."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from stratpolicy._checks import Checker, Id, as_texts, as_tuple

__all__ = ["Milestone", "Roadmap"]


def _milestones(value: Iterable[Milestone]) -> tuple[Milestone, ...]:
    return as_tuple(value)


@attrs.frozen(kw_only=True)
class Milestone:
    """A dated step on a roadmap.

    Attributes:
        id: Unique id within its roadmap.
        name: What is reached.
        due: When.
        missions: Ids of the missions it advances.
        technologies: Ids of the technologies it concerns.
        description: Free text.
        source: Where it comes from.
        verified: Whether it was found in that source.
    """

    id: Id
    name: str
    due: dt.date
    missions: tuple[Id, ...] = attrs.field(default=(), converter=as_texts)
    technologies: tuple[Id, ...] = attrs.field(default=(), converter=as_texts)
    description: str = ""
    source: str = ""
    verified: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.id("id", self.id)
        check.non_empty("name", self.name)
        check.texts(self)
        check.ids("missions", self.missions)
        check.ids("technologies", self.technologies)
        check.unique("missions", self.missions, "mission")
        check.unique("technologies", self.technologies, "technology")
        check.done()


@attrs.frozen(kw_only=True)
class Roadmap:
    """A roadmap: milestones in date order within an optional period.

    Attributes:
        id: Unique id within a portfolio.
        name: Name in English.
        milestones: The milestones, in date order.
        start: First day of the period it covers.
        end: Last day of the period it covers.
        source: Where it comes from.
        verified: Whether it was found in that source.
    """

    id: Id
    name: str
    milestones: tuple[Milestone, ...] = attrs.field(default=(), converter=_milestones)
    start: dt.date | None = None
    end: dt.date | None = None
    source: str = ""
    verified: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.id("id", self.id)
        check.non_empty("name", self.name)
        check.texts(self)
        check.date_order("end", self.start, self.end)
        check.unique("milestones", (m.id for m in self.milestones), "milestone id")
        for i, m in enumerate(self.milestones):
            if i and m.due < self.milestones[i - 1].due:
                check.add(f"milestones[{i}].due", "milestones must be in date order")
            if (self.start and m.due < self.start) or (self.end and m.due > self.end):
                check.add(f"milestones[{i}].due", f"{m.due} is outside the roadmap's period")
        check.done()
