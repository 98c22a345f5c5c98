"""Policy instruments: what a government does, with budgets and the technologies it backs."""

from __future__ import annotations

import datetime as dt

import attrs

from stratpolicy._checks import Checker, describe
from stratpolicy.errors import SchemaError
from stratpolicy.model._citation import Citation
from stratpolicy.model._dates import in_period
from stratpolicy.model._enums import InstrumentKind
from stratpolicy.model._money import check_money
from stratpolicy.units import Money

__all__ = ["BudgetEntry", "Instrument", "Support"]

_SHARE_TOLERANCE = 1e-9


@attrs.frozen(kw_only=True)
class BudgetEntry:
    """An instrument's budget for one year.

    Attributes:
        year: The fiscal year.
        amount: Money, in one currency (``35.3 trillion KRW``); not negative.
        stage: Which figure it is: ``"proposal"``, ``"appropriation"``, ``"plan"``...
        source: Where the figure comes from.
        verified: Whether it was found in that source.
    """

    year: int
    amount: Money
    stage: str = ""
    source: str = ""
    verified: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            check.add("year", f"expected a whole number, got {describe(self.year)}", SchemaError)
        else:
            check.in_range("year", self.year, 1900, 2200)
        check_money(check, "amount", self.amount)
        check.texts(self)
        check.done()


@attrs.frozen(kw_only=True)
class Support:
    """An instrument's support for one technology.

    Attributes:
        technology: Id of the technology or area supported.
        share: Share of the instrument's budget for it, in (0, 1]; ``None`` splits the
            unassigned budget equally among the supports without a share.
    """

    technology: str
    share: float | None = None

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.id("technology", self.technology)
        check.in_range("share", self.share, 0.0, 1.0, low_open=True)
        check.done()


@attrs.frozen(kw_only=True)
class Instrument:
    """A policy instrument: a budget line, fund, infrastructure, regulation or programme.

    Attributes:
        id: Unique id within a portfolio.
        name: Name in English.
        kind: The EC-OECD STIP Compass instrument type.
        description: What it does.
        name_local: Name in the policy's own language.
        budget: Budget by year.
        administered_by: Ids of the actors that run it.
        supports: Technologies it supports, with budget shares.
        missions: Ids of the missions it serves directly.
        incentives: Ids of the incentives it offers.
        legal_basis: The acts and articles it rests on.
        part_of: Id of an instrument whose budget includes this one's (a budget line within
            a larger budget); funding analyses count that money once.
        start: First day in force.
        end: Last day in force.
        source: Where it comes from.
        verified: Whether it was found in that source.
    """

    id: str
    name: str
    kind: InstrumentKind = attrs.field(converter=InstrumentKind)
    description: str = ""
    name_local: str = ""
    budget: tuple[BudgetEntry, ...] = attrs.field(default=(), converter=tuple)
    administered_by: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    supports: tuple[Support, ...] = attrs.field(default=(), converter=tuple)
    missions: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    incentives: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    legal_basis: tuple[Citation, ...] = attrs.field(default=(), converter=tuple)
    part_of: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    source: str = ""
    verified: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.id("id", self.id)
        check.non_empty("name", self.name)
        check.texts(self)
        check.ids("administered_by", self.administered_by)
        check.ids("missions", self.missions)
        check.ids("incentives", self.incentives)
        check.optional_id("part_of", self.part_of)
        check.date_order("end", self.start, self.end)
        check.unique("budget", (b.year for b in self.budget), "budget year")
        check.unique("supports", (s.technology for s in self.supports), "technology")
        check.unique("administered_by", self.administered_by, "actor")
        check.unique("missions", self.missions, "mission")
        check.unique("incentives", self.incentives, "incentive")
        if self.part_of is not None and self.part_of == self.id:
            check.add("part_of", "an instrument cannot be part of itself")
        total = sum(s.share for s in self.supports if isinstance(s.share, (int, float)))
        if total > 1.0 + _SHARE_TOLERANCE:
            check.add("supports", f"shares add up to {total:g}, more than 1")
        check.done()

    def in_force(self, on: dt.date) -> bool:
        """Whether the instrument is in force on ``on`` (open ends count as in force)."""
        return in_period(on, self.start, self.end)

    def budget_for(self, year: int) -> Money | None:
        """The budget for ``year``, or ``None`` if the instrument has none recorded."""
        for entry in self.budget:
            if entry.year == year:
                return entry.amount
        return None
