"""Crosswalks: many-to-many mappings between national technology lists."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from stratpolicy._checks import Checker, Id, as_tuple

__all__ = ["Crosswalk", "CrosswalkLink"]


def _links(value: Iterable[CrosswalkLink]) -> tuple[CrosswalkLink, ...]:
    return as_tuple(value)


@attrs.frozen(kw_only=True)
class CrosswalkLink:
    """One link from an item of one technology list to an item of another.

    Attributes:
        from_list: Id of the first list (``"kr_strategic_technologies"``).
        from_id: Id of the item in the first list.
        to_list: Id of the second list (``"us_cet_2024"``).
        to_id: Id of the item in the second list.
        confidence: How sure the mapping is, in [0, 1]; ``None`` when not assessed.
        note: Why the items match.
    """

    from_list: Id
    from_id: Id
    to_list: Id
    to_id: Id
    confidence: float | None = None
    note: str = ""

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        for name in ("from_list", "from_id", "to_list", "to_id"):
            check.id(name, getattr(self, name))
        check.texts(self)
        check.in_range("confidence", self.confidence, 0.0, 1.0)
        check.done()


@attrs.frozen(kw_only=True)
class Crosswalk:
    """A typed many-to-many table between technology lists, queryable both ways.

    Attributes:
        id: Id of the crosswalk.
        name: What it maps.
        links: The links.
        derived: Whether it is an analyst's mapping rather than an official table.
        source: Where it comes from.
        verified: Whether it was checked against an official source.

    Examples:
        >>> cw = Crosswalk(id="x", name="X", links=(
        ...     CrosswalkLink(from_list="kr", from_id="quantum", to_list="us", to_id="quantum"),
        ... ))
        >>> cw.targets("quantum", "us")
        ('quantum',)
        >>> cw.sources("quantum", "kr")
        ('quantum',)
    """

    id: Id
    name: str
    links: tuple[CrosswalkLink, ...] = attrs.field(default=(), converter=_links)
    derived: bool = False
    source: str = ""
    verified: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.id("id", self.id)
        check.non_empty("name", self.name)
        check.texts(self)
        check.unique(
            "links", ((lk.from_list, lk.from_id, lk.to_list, lk.to_id) for lk in self.links), "link"
        )
        check.done()

    def targets(self, from_id: str, to_list: str) -> tuple[str, ...]:
        """The items of ``to_list`` that ``from_id`` maps to."""
        return tuple(
            lk.to_id for lk in self.links if lk.from_id == from_id and lk.to_list == to_list
        )

    def sources(self, to_id: str, from_list: str) -> tuple[str, ...]:
        """The items of ``from_list`` that map to ``to_id`` (the reverse direction)."""
        return tuple(
            lk.from_id for lk in self.links if lk.to_id == to_id and lk.from_list == from_list
        )

    def lists(self) -> tuple[str, ...]:
        """The ids of every list the crosswalk touches, in first-seen order."""
        seen: dict[str, None] = {}
        for lk in self.links:
            seen.setdefault(lk.from_list)
            seen.setdefault(lk.to_list)
        return tuple(seen)
