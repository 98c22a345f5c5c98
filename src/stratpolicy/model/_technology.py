"""Technologies: designated areas and the key technologies under them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from stratpolicy._checks import Checker, Id, as_texts, as_tuple
from stratpolicy.model._enums import TechnologyKind, to_technology_kind

__all__ = ["IndicatorPoint", "IndicatorSeries", "Technology", "TechnologyCode"]


def _points(value: Iterable[IndicatorPoint]) -> tuple[IndicatorPoint, ...]:
    return as_tuple(value)


def _codes(value: Iterable[TechnologyCode]) -> tuple[TechnologyCode, ...]:
    return as_tuple(value)


def _indicators(value: Iterable[IndicatorSeries]) -> tuple[IndicatorSeries, ...]:
    return as_tuple(value)


@attrs.frozen(kw_only=True)
class TechnologyCode:
    """A technology's code or item in another list (a crosswalk entry).

    Attributes:
        scheme: The list, e.g. ``"us_cet_2024"``.
        code: The item's id or code in that list.
    """

    scheme: Id
    code: Id

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.id("scheme", self.scheme)
        check.id("code", self.code)
        check.done()


@attrs.frozen(kw_only=True)
class IndicatorPoint:
    """One observation of an indicator.

    Attributes:
        on: Date of the observation (or of the assessment round).
        value: The value, in the series' unit.
        country: Whose value it is (``"KR"``), if the series compares countries.
        source: Where the value comes from.
        verified: Whether the value was found in that source.
    """

    on: dt.date
    value: float
    country: str = ""
    source: str = ""
    verified: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.finite("value", self.value)
        check.texts(self)
        check.done()


@attrs.frozen(kw_only=True)
class IndicatorSeries:
    """A dated series of one indicator for a technology (readiness, technology level).

    Attributes:
        metric: What is measured, e.g. ``"level_pct"`` (percent of the leading country).
        unit: The unit of the values, e.g. ``"%"`` or ``"years"``.
        points: The observations, in date order.
    """

    metric: str
    unit: str = ""
    points: tuple[IndicatorPoint, ...] = attrs.field(default=(), converter=_points)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.non_empty("metric", self.metric)
        check.texts(self)
        for i in range(1, len(self.points)):
            if self.points[i].on < self.points[i - 1].on:
                check.add(f"points[{i}].on", "points must be in date order")
        check.done()


@attrs.frozen(kw_only=True)
class Technology:
    """A strategic technology: a designated area, or a key technology within one.

    Attributes:
        id: Unique id within a portfolio (``"quantum"``).
        name: Name in English.
        kind: Area or key technology.
        name_local: Name in the designating country's language (``"양자"``).
        aliases: Other spellings found in sources.
        parent: Id of the area a key technology belongs to.
        depends_on: Ids of the technologies this one depends on (a bottleneck analysis
            follows these edges).
        codes: The technology's items in other national lists.
        indicators: Indicator series (technology level, readiness).
        description: Free text.
        source: Where the name and the designation come from.
        verified: Whether they were found in that source.

    Examples:
        >>> Technology(id="quantum", name="Quantum", kind=TechnologyKind.AREA).is_area
        True
    """

    id: Id
    name: str
    kind: TechnologyKind = attrs.field(
        default=TechnologyKind.KEY_TECHNOLOGY, converter=to_technology_kind
    )
    name_local: str = ""
    aliases: tuple[str, ...] = attrs.field(default=(), converter=as_texts)
    parent: Id | None = None
    depends_on: tuple[Id, ...] = attrs.field(default=(), converter=as_texts)
    codes: tuple[TechnologyCode, ...] = attrs.field(default=(), converter=_codes)
    indicators: tuple[IndicatorSeries, ...] = attrs.field(default=(), converter=_indicators)
    description: str = ""
    source: str = ""
    verified: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.id("id", self.id)
        check.non_empty("name", self.name)
        check.texts(self)
        check.optional_id("parent", self.parent)
        check.ids("depends_on", self.depends_on)
        if self.kind is TechnologyKind.AREA and self.parent is not None:
            check.add("parent", "an area has no parent technology")
        if self.parent is not None and self.parent == self.id:
            check.add("parent", "a technology cannot be its own parent")
        check.unique("depends_on", self.depends_on, "technology")
        if self.id in self.depends_on:
            check.add("depends_on", "a technology cannot depend on itself")
        check.done()

    @property
    def is_area(self) -> bool:
        """Whether this is a designated area rather than a key technology."""
        return self.kind is TechnologyKind.AREA
