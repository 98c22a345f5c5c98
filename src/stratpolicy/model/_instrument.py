"""Policy instruments: what a government does, with budgets and the technologies it backs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from stratpolicy._checks import Checker, Id, as_texts, as_tuple, describe
from stratpolicy._dates import in_period
from stratpolicy.errors import SchemaError
from stratpolicy.model._citation import Citation
from stratpolicy.model._editorial import check_editorial
from stratpolicy.model._enums import (
    BudgetStage,
    InstrumentKind,
    to_budget_stage,
    to_instrument_kind,
)
from stratpolicy.model._money import check_money
from stratpolicy.units import Money

__all__ = ["BudgetEntry", "BudgetOverlap", "Instrument", "Support"]

_SHARE_TOLERANCE = 1e-9


def _budget(value: Iterable[BudgetEntry]) -> tuple[BudgetEntry, ...]:
    return as_tuple(value)


def _supports(value: Iterable[Support]) -> tuple[Support, ...]:
    return as_tuple(value)


def _citations(value: Iterable[Citation]) -> tuple[Citation, ...]:
    return as_tuple(value)


def _overlaps(value: Iterable[BudgetOverlap]) -> tuple[BudgetOverlap, ...]:
    return as_tuple(value)


@attrs.frozen(kw_only=True)
class BudgetEntry:
    """An instrument's budget for one year.

    A year may have one entry per stage (a proposal and the enacted budget).

    Attributes:
        year: The fiscal year.
        amount: Money, in one currency (``35.3 trillion KRW``); not negative.
        stage: Which figure it is (:class:`BudgetStage`: ``plan``, ``proposal``,
            ``enacted``, ``supplementary``, ``executed``); ``None`` when not known.
        date: When the figure was set or published, if known.
        source: Where the figure comes from.
        verified: Whether it was found in that source.
        note: Anything a reader should know about the figure.
    """

    year: int
    amount: Money
    stage: BudgetStage | None = attrs.field(default=None, converter=to_budget_stage)
    date: dt.date | None = None
    source: str = ""
    verified: bool = False
    note: str = ""

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            check.add("year", f"expected a whole number, got {describe(self.year)}", SchemaError)
        else:
            check.in_range("year", self.year, 1900, 2200)
        check_money(check, "amount", self.amount)
        check.texts(self)
        check.done()

    @property
    def finality(self) -> int:
        """The stage's rank in the budget process (0 for an entry without a stage)."""
        return self.stage.finality if self.stage is not None else 0

    @property
    def stage_label(self) -> str:
        """The stage in words (``"enacted"``), or ``"stage not given"``."""
        return self.stage.value if self.stage is not None else "stage not given"


@attrs.frozen(kw_only=True)
class BudgetOverlap:
    """Money of one instrument's budget that another instrument's budget also counts.

    The AI budget's R&D part, for instance, is also inside the government R&D budget.
    Funding analyses subtract ``amount`` from the declaring instrument's own money, so the
    money is counted once (in the other instrument). An overlap whose amount is not known
    (``amount=None``) cannot be subtracted: analyses report it, so that a reader knows a
    total may count some money twice.

    Attributes:
        instrument: Id of the other instrument, whose budget also holds the money.
        year: The fiscal year.
        amount: The money in both budgets; ``None`` when not known.
        stage: The budget stage the amount belongs to, if it is one stage's figure.
        source: Where the overlap (and its amount) comes from.
        verified: Whether it was found in that source.
        note: How the amount was read (a classification, a proposal figure...).
    """

    instrument: Id
    year: int
    amount: Money | None = None
    stage: BudgetStage | None = attrs.field(default=None, converter=to_budget_stage)
    source: str = ""
    verified: bool = False
    note: str = ""

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.id("instrument", self.instrument)
        check.texts(self)
        check.in_range("year", self.year, 1900, 2200)
        if self.amount is not None:
            check_money(check, "amount", self.amount)
        check.done()


@attrs.frozen(kw_only=True)
class Support:
    """An instrument's support for one technology: targeted, or part of an envelope.

    A support is **targeted** when its part of the instrument's money is known: it has a
    ``share``, or it is the instrument's only support without a share and not marked as an
    envelope (it receives what the shares leave). Otherwise it is part of the instrument's
    **envelope**: the instrument funds a set of technologies with no published split
    between them (Korea's strategic-technology R&D funds the 12 areas). Mark such a
    support ``envelope=True``; several supports without a share are an envelope even when
    not marked. See :meth:`Instrument.is_targeted`.

    Attributes:
        technology: Id of the technology or area supported.
        share: Share of the instrument's budget for it, in (0, 1]; a share makes the support
            targeted.
        envelope: Part of an envelope with no published split (never with a ``share``).
        start: First day the support holds (``None``: from the instrument's start).
        end: Last day the support holds (``None``: to the instrument's end).
        source: Where the link comes from.
        verified: Whether it was found in that source.
        note: Anything a reader should know (whose choice it is, what it rests on).
    """

    technology: Id
    share: float | None = None
    envelope: bool = False
    start: dt.date | None = None
    end: dt.date | None = None
    source: str = ""
    verified: bool = False
    note: str = ""

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.id("technology", self.technology)
        check.texts(self)
        check.in_range("share", self.share, 0.0, 1.0, low_open=True)
        if self.envelope and self.share is not None:
            check.add(
                "envelope",
                "a support with a share is targeted, not part of an envelope: "
                "drop the share or the envelope flag",
            )
        check.date_order("end", self.start, self.end)
        check.done()

    def in_force(self, on: dt.date) -> bool:
        """Whether the support holds on ``on`` (open ends count as holding)."""
        return in_period(on, self.start, self.end)


@attrs.frozen(kw_only=True)
class Instrument:
    """A policy instrument: a budget line, fund, infrastructure, regulation or programme.

    Attributes:
        id: Unique id within a portfolio.
        name: Name in English.
        kind: The EC-OECD STIP Compass instrument type.
        description: What it does.
        name_local: Name in the policy's own language.
        budget: Budget by year and stage.
        administered_by: Ids of the actors that run it.
        supports: Technologies it supports: targeted (with a known share) or as an
            envelope (see :class:`Support`).
        missions: Ids of the missions it serves directly.
        incentives: Ids of the incentives it offers.
        legal_basis: The acts and articles it rests on.
        part_of: Id of an instrument whose budget includes this one's (a budget line within
            a larger budget); funding analyses count that money once.
        overlaps: Money this instrument's budget shares with another's (not a whole budget
            line: the AI budget's R&D part inside the R&D budget); funding analyses count
            it once.
        start: First day in force.
        end: Last day in force.
        context: ``True`` when the portfolio's own source does not name the instrument: the
            editors added it for context, from another source.
        source: Where it comes from.
        verified: Whether it was found in that source.
        editorial: Names of fields whose values are the editors' choice rather than the
            source's (``["kind"]`` when the STIP type is the editors' classification);
            ``note`` says whose choice.
        note: Anything a reader should know.
    """

    id: Id
    name: str
    kind: InstrumentKind = attrs.field(converter=to_instrument_kind)
    description: str = ""
    name_local: str = ""
    budget: tuple[BudgetEntry, ...] = attrs.field(default=(), converter=_budget)
    administered_by: tuple[Id, ...] = attrs.field(default=(), converter=as_texts)
    supports: tuple[Support, ...] = attrs.field(default=(), converter=_supports)
    missions: tuple[Id, ...] = attrs.field(default=(), converter=as_texts)
    incentives: tuple[Id, ...] = attrs.field(default=(), converter=as_texts)
    legal_basis: tuple[Citation, ...] = attrs.field(default=(), converter=_citations)
    part_of: Id | None = None
    overlaps: tuple[BudgetOverlap, ...] = attrs.field(default=(), converter=_overlaps)
    start: dt.date | None = None
    end: dt.date | None = None
    context: bool = False
    source: str = ""
    verified: bool = False
    editorial: tuple[str, ...] = attrs.field(default=(), converter=as_texts)
    note: str = ""

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.id("id", self.id)
        check.non_empty("name", self.name)
        check_editorial(check, Instrument, self.editorial)
        check.texts(self)
        check.ids("administered_by", self.administered_by)
        check.ids("missions", self.missions)
        check.ids("incentives", self.incentives)
        check.optional_id("part_of", self.part_of)
        check.date_order("end", self.start, self.end)
        check.unique(
            "budget",
            ((b.year, b.stage_label) for b in self.budget),
            "budget year and stage",
        )
        check.unique("overlaps", ((o.instrument, o.year) for o in self.overlaps), "overlap")
        for i, o in enumerate(self.overlaps):
            if o.instrument == self.id:
                check.add(f"overlaps[{i}].instrument", "an instrument cannot overlap itself")
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

    def budget_entry(self, year: int, stage: BudgetStage | str | None = None) -> BudgetEntry | None:
        """The budget entry for ``year``: of ``stage``, or else the most final one recorded.

        Without ``stage`` the rule is the one of :class:`BudgetStage`: executed, then
        supplementary, enacted, proposal, plan, then an entry without a stage.

        Raises:
            ValueError: ``stage`` is not a budget stage.
        """
        entries = [b for b in self.budget if b.year == year]
        if stage is not None:
            wanted = BudgetStage(stage)
            return next((b for b in entries if b.stage is wanted), None)
        return max(entries, key=lambda b: b.finality, default=None)

    def budget_for(self, year: int, stage: BudgetStage | str | None = None) -> Money | None:
        """The budget for ``year`` (see :meth:`budget_entry`), or ``None`` if none is recorded.

        Examples:
            >>> from stratpolicy.units import format_amount, money
            >>> rd = Instrument(id="rd", name="R&D budget", kind="PI007", budget=[
            ...     BudgetEntry(year=2026, amount=money(35.3, "trillion KRW"), stage="proposal"),
            ...     BudgetEntry(year=2026, amount=money(35.5, "trillion KRW"), stage="enacted"),
            ... ])
            >>> format_amount(rd.budget_for(2026)), format_amount(rd.budget_for(2026, "proposal"))
            ('35.5 trillion KRW', '35.3 trillion KRW')
        """
        entry = self.budget_entry(year, stage)
        return entry.amount if entry is not None else None

    def is_targeted(self, support: Support) -> bool:
        """Whether one of this instrument's supports is targeted (see :class:`Support`).

        Targeted: it has a share, or it is the only support without a share and is not
        marked ``envelope``. Every other support is part of the instrument's envelope.
        """
        if support.share is not None:
            return True
        if support.envelope:
            return False
        return sum(1 for s in self.supports if s.share is None) == 1

    @property
    def targeted(self) -> tuple[Support, ...]:
        """The supports whose part of the money is known (see :class:`Support`)."""
        return tuple(s for s in self.supports if self.is_targeted(s))

    @property
    def envelope(self) -> tuple[Support, ...]:
        """The supports in the instrument's envelope: funded together, with no known split."""
        return tuple(s for s in self.supports if not self.is_targeted(s))
