"""Incentives: what an instrument offers a beneficiary (a tax credit, a grant share...)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from stratpolicy._checks import Checker, Id, as_enum, as_tuple
from stratpolicy._dates import in_period
from stratpolicy.model._citation import Citation
from stratpolicy.model._enums import FirmSize, IncentiveKind, to_incentive_kind

__all__ = ["Incentive", "TechnologyLink"]


def _firm_sizes(values: Iterable[FirmSize | str]) -> tuple[FirmSize, ...]:
    items = as_tuple(values)
    if not isinstance(items, tuple):
        return items  # refused by Checker.shapes
    return tuple(as_enum(FirmSize, v) for v in items)


@attrs.frozen(kw_only=True)
class TechnologyLink:
    """A dated link from an incentive to a technology it applies to.

    In a document a link without dates or sources may be written as the technology's id
    alone: ``technologies: [ai, quantum]`` and ``technologies: [{technology: ai}, ...]``
    mean the same.

    Attributes:
        technology: Id of the technology or area.
        start: First day the incentive applies to it (``None``: from the incentive's start).
        end: Last day it applies (``None``: to the incentive's end).
        source: Where the link (and its dates) comes from.
        verified: Whether it was found in that source.
        note: Anything a reader should know (a crosswalk the link rests on...).

    Examples:
        >>> import datetime as dt
        >>> link = TechnologyLink(technology="ai", start=dt.date(2025, 1, 1))
        >>> link.in_force(dt.date(2024, 12, 31)), link.in_force(dt.date(2025, 1, 1))
        (False, True)
    """

    #: A document may give a link as this field's value alone (see :mod:`stratpolicy.io`).
    __shorthand__ = "technology"

    technology: Id
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
        check.date_order("end", self.start, self.end)
        check.done()

    def in_force(self, on: dt.date) -> bool:
        """Whether the link holds on ``on`` (open ends count as holding)."""
        return in_period(on, self.start, self.end)


def _links(values: Iterable[TechnologyLink | str]) -> tuple[TechnologyLink, ...]:
    items = as_tuple(values)
    if not isinstance(items, tuple):
        return items  # refused by Checker.shapes
    return tuple(TechnologyLink(technology=v) if isinstance(v, str) else v for v in items)


@attrs.frozen(kw_only=True)
class Incentive:
    """An incentive an instrument offers: its kind, who gets it, for which technologies.

    Its rates and eligibility live in a rule set (see :mod:`stratpolicy.rules`), named by
    ``rule_set``, so that dated rates are kept in one place.

    Attributes:
        id: Unique id within a portfolio.
        name: Name in English.
        kind: Tax credit, grant share, loan, matching-ratio cap...
        description: What it offers.
        technologies: The technologies or areas it applies to, as dated links
            (:class:`TechnologyLink`; plain ids are accepted and become undated links).
            :attr:`technology_ids` gives the ids.
        beneficiaries: Firm sizes that can receive it (empty: any).
        rule_set: Id of the rule set holding its rates and eligibility, if any.
        citation: The article that grants it.
        start: First day in force.
        end: Last day in force.
        source: Where it comes from.
        verified: Whether it was found in that source.
    """

    id: Id
    name: str
    kind: IncentiveKind = attrs.field(converter=to_incentive_kind)
    description: str = ""
    technologies: tuple[TechnologyLink, ...] = attrs.field(default=(), converter=_links)
    beneficiaries: tuple[FirmSize, ...] = attrs.field(default=(), converter=_firm_sizes)
    rule_set: Id = ""
    citation: Citation | None = None
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
        check.ids("technologies", self.technology_ids)
        if self.rule_set != "":
            check.id("rule_set", self.rule_set)
        check.unique("technologies", self.technology_ids, "technology")
        check.unique("beneficiaries", self.beneficiaries, "firm size")
        check.date_order("end", self.start, self.end)
        check.done()

    def in_force(self, on: dt.date) -> bool:
        """Whether the incentive is in force on ``on`` (open ends count as in force)."""
        return in_period(on, self.start, self.end)

    @property
    def technology_ids(self) -> tuple[str, ...]:
        """The ids of the technologies it applies to, at any date, in order.

        Examples:
            >>> Incentive(id="c", name="Credit", kind="tax_credit",
            ...           technologies=["ai", "quantum"]).technology_ids
            ('ai', 'quantum')
        """
        return tuple(link.technology for link in self.technologies)

    def technologies_on(self, on: dt.date) -> tuple[str, ...]:
        """The ids of the technologies it applies to on ``on`` (none if not in force)."""
        if not self.in_force(on):
            return ()
        return tuple(link.technology for link in self.technologies if link.in_force(on))
