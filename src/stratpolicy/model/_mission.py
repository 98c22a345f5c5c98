"""Missions, their targets and the technologies they require."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from stratpolicy._checks import Checker, Id, as_texts, as_tuple, describe
from stratpolicy.model._editorial import check_editorial
from stratpolicy.model._enums import MissionKind, to_mission_kind
from stratpolicy.model._money import check_amount
from stratpolicy.units import Amount, format_amount

__all__ = ["Mission", "Requirement", "Target"]


def _targets(value: Iterable[Target]) -> tuple[Target, ...]:
    return as_tuple(value)


def _requirements(value: Iterable[Requirement]) -> tuple[Requirement, ...]:
    return as_tuple(value)


@attrs.frozen(kw_only=True)
class Target:
    """A measurable target of a mission.

    A target is a quantity to reach (``value``, e.g. ``50,000 GPU``), a rank to reach
    (``rank=3`` for "top three AI powers"), or, when neither is given, a qualitative aim
    described in ``description``.

    Attributes:
        metric: What is measured (``"AI competitiveness rank"``).
        value: The quantity to reach, if any.
        rank: The rank to reach (1 = first), if any.
        due: When it should be reached.
        description: The target in words.
        source: Where the target comes from.
        verified: Whether it was found in that source.
    """

    metric: str
    value: Amount | None = None
    rank: int | None = None
    due: dt.date | None = None
    description: str = ""
    source: str = ""
    verified: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.non_empty("metric", self.metric)
        check.texts(self)
        if self.value is not None:
            check_amount(check, "value", self.value)
        if self.value is not None and self.rank is not None:
            check.add("rank", "a target has a value or a rank, not both")
        if self.rank is not None and (
            isinstance(self.rank, bool) or not isinstance(self.rank, int) or self.rank < 1
        ):
            check.add("rank", f"must be a whole number, 1 or more, got {describe(self.rank)}")
        check.done()

    @property
    def label(self) -> str:
        """The target as a short phrase: ``"top 3"``, ``"50000 GPU"`` or the description."""
        if self.rank is not None:
            return f"top {self.rank}"
        if self.value is not None:
            return format_amount(self.value)
        return self.description or "qualitative"


@attrs.frozen(kw_only=True)
class Requirement:
    """A mission's need for a technology, with its relative weight.

    That a mission needs a technology, and how much, is often an analyst's reading of a
    policy text rather than something the text says: say so with ``verified=False`` and a
    ``note`` naming whose choice it is.

    Attributes:
        technology: Id of the technology (an area or a key technology).
        weight: Relative importance in (0, 1]; coverage and funding flow use it.
        note: Why the mission needs it, and whose choice the link and weight are.
        source: Where the link comes from.
        verified: Whether the link and its weight were found in that source.
    """

    technology: Id
    weight: float = 1.0
    note: str = ""
    source: str = ""
    verified: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.id("technology", self.technology)
        check.texts(self)
        check.in_range("weight", self.weight, 0.0, 1.0, low_open=True)
        check.done()


@attrs.frozen(kw_only=True, repr=False)
class Mission:
    """A mission, sub-mission or challenge of a strategic technology policy.

    Attributes:
        id: Unique id within a portfolio.
        name: Name in English.
        kind: Mission, sub-mission or challenge.
        goal: The goal in one sentence.
        name_local: Name in the policy's own language.
        targets: Measurable targets.
        requires: The technologies it needs, with weights.
        owners: Ids of the actors that own it.
        parent: Id of the mission this one contributes to.
        start: When it starts.
        due: When it should be achieved.
        source: Where it comes from.
        verified: Whether it (its name, kind, goal and targets) was found in that source.
        editorial: Names of fields whose values are the editors' choice rather than the
            source's (``["parent"]`` when the source does not say which mission a challenge
            serves); ``note`` says whose choice.
        note: Anything a reader should know.
    """

    id: Id
    name: str
    kind: MissionKind = attrs.field(default=MissionKind.MISSION, converter=to_mission_kind)
    goal: str = ""
    name_local: str = ""
    targets: tuple[Target, ...] = attrs.field(default=(), converter=_targets)
    requires: tuple[Requirement, ...] = attrs.field(default=(), converter=_requirements)
    owners: tuple[Id, ...] = attrs.field(default=(), converter=as_texts)
    parent: Id | None = None
    start: dt.date | None = None
    due: dt.date | None = None
    source: str = ""
    verified: bool = False
    editorial: tuple[str, ...] = attrs.field(default=(), converter=as_texts)
    note: str = ""

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.id("id", self.id)
        check.non_empty("name", self.name)
        check_editorial(check, Mission, self.editorial)
        check.texts(self)
        check.ids("owners", self.owners)
        check.optional_id("parent", self.parent)
        check.unique("requires", (r.technology for r in self.requires), "technology")
        check.unique("owners", self.owners, "owner")
        check.date_order("due", self.start, self.due)
        if self.parent is not None and self.parent == self.id:
            check.add("parent", "a mission cannot be its own parent")
        if self.kind is MissionKind.MISSION and self.parent is not None:
            check.add("kind", "a mission with a parent must be a sub_mission or a challenge")
        check.done()

    def __repr__(self) -> str:
        extra = "" if self.kind is MissionKind.MISSION else f", kind={self.kind.value!r}"
        if self.parent is not None:
            extra += f", parent={self.parent!r}"
        return (
            f"Mission(id={self.id!r}, name={self.name!r}{extra}, "
            f"{_count(len(self.targets), 'target')}, "
            f"{_count(len(self.requires), 'requirement')})"
        )

    def _repr_html_(self) -> str:
        """The mission with its targets and required technologies, as HTML for Jupyter."""
        from stratpolicy.display import mission_html

        return mission_html(self)

    def weight_of(self, technology: str) -> float:
        """The weight with which this mission requires ``technology`` (0 if it does not)."""
        for r in self.requires:
            if r.technology == technology:
                return r.weight
        return 0.0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
