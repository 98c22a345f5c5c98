"""Incentives: what an instrument offers a beneficiary (a tax credit, a grant share...)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from stratpolicy._checks import Checker
from stratpolicy.model._citation import Citation
from stratpolicy.model._dates import in_period
from stratpolicy.model._enums import FirmSize, IncentiveKind

__all__ = ["Incentive"]


def _firm_sizes(values: Iterable[FirmSize | str]) -> tuple[FirmSize, ...]:
    return tuple(FirmSize(v) for v in values)


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
        technologies: Ids of the technologies or areas it applies to.
        beneficiaries: Firm sizes that can receive it (empty: any).
        rule_set: Id of the rule set holding its rates and eligibility, if any.
        citation: The article that grants it.
        start: First day in force.
        end: Last day in force.
        source: Where it comes from.
        verified: Whether it was found in that source.
    """

    id: str
    name: str
    kind: IncentiveKind = attrs.field(converter=IncentiveKind)
    description: str = ""
    technologies: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    beneficiaries: tuple[FirmSize, ...] = attrs.field(default=(), converter=_firm_sizes)
    rule_set: str = ""
    citation: Citation | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    source: str = ""
    verified: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.id("id", self.id)
        check.non_empty("name", self.name)
        check.texts(self)
        check.ids("technologies", self.technologies)
        if self.rule_set != "":
            check.id("rule_set", self.rule_set)
        check.unique("technologies", self.technologies, "technology")
        check.unique("beneficiaries", self.beneficiaries, "firm size")
        check.date_order("end", self.start, self.end)
        check.done()

    def in_force(self, on: dt.date) -> bool:
        """Whether the incentive is in force on ``on`` (open ends count as in force)."""
        return in_period(on, self.start, self.end)
