"""Crosswalks between national technology lists as a typed many-to-many table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from stratpolicy.graph._rows import CrosswalkRow
from stratpolicy.graph._table import Table
from stratpolicy.model import Crosswalk, Portfolio

__all__ = ["CrosswalkTable", "crosswalk_table"]

_FIELDS = ("from_list", "from_id", "to_list", "to_id", "confidence", "note")


class CrosswalkTable(Table[CrosswalkRow]):
    """The links of a crosswalk, queryable in both directions.

    Each row is one link as stored (``from_list`` to ``to_list``); :meth:`between` and
    :meth:`map` turn links around when asked for the other direction. The items of each
    list, when known, give the unmatched items.

    Args:
        rows: The links.
        items: For each list id, its items in list order.

    Examples:
        >>> from stratpolicy.catalogs import international, korea
        >>> table = crosswalk_table(
        ...     international.crosswalk_kr12(),
        ...     {"kr_strategic_technologies": korea.strategic_technologies(),
        ...      "us_cet_2024": international.us_cet_2024()},
        ... )
        >>> table.map("quantum", "kr_strategic_technologies", "us_cet_2024")
        ('quantum',)
        >>> table.map("quantum", "us_cet_2024", "kr_strategic_technologies")
        ('quantum',)
        >>> table.unmatched("kr_strategic_technologies", "us_cet_2024")
        ()
        >>> len(table.unmatched("us_cet_2024", "kr_strategic_technologies"))
        6
    """

    __slots__ = ("_items",)

    def __init__(
        self, rows: Sequence[CrosswalkRow], items: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        columns = {f: [getattr(r, f) for r in rows] for f in _FIELDS}
        super().__init__(CrosswalkRow, columns)
        self._rows = tuple(rows)
        self._items = dict(items or {})

    def lists(self) -> tuple[str, ...]:
        """The ids of the lists the links or the known items touch, in first-seen order."""
        seen: dict[str, None] = {}
        for r in self.rows:
            seen.setdefault(r.from_list)
            seen.setdefault(r.to_list)
        for name in self._items:
            seen.setdefault(name)
        return tuple(seen)

    def between(self, list_a: str, list_b: str) -> Table[CrosswalkRow]:
        """The links between two lists, oriented from ``list_a`` to ``list_b``.

        Links stored the other way round are turned around (their confidence and note
        kept).
        """
        out = []
        for r in self.rows:
            if (r.from_list, r.to_list) == (list_a, list_b):
                out.append(r)
            elif (r.from_list, r.to_list) == (list_b, list_a):
                out.append(
                    CrosswalkRow(
                        from_list=list_a,
                        from_id=r.to_id,
                        to_list=list_b,
                        to_id=r.from_id,
                        confidence=r.confidence,
                        note=r.note,
                    )
                )
        return Table.from_rows(CrosswalkRow, out)

    def map(
        self, item: str, from_list: str, to_list: str, *, min_confidence: float | None = None
    ) -> tuple[str, ...]:
        """The items of ``to_list`` that ``item`` of ``from_list`` maps to, either direction.

        Args:
            item: Id of the item.
            from_list: Its list.
            to_list: The list to map to.
            min_confidence: Keep only links at least this sure (links without a confidence
                are then left out).
        """
        found: dict[str, None] = {}
        for r in self.between(from_list, to_list):
            if r.from_id != item:
                continue
            if min_confidence is not None and (
                r.confidence is None or r.confidence < min_confidence
            ):
                continue
            found.setdefault(r.to_id)
        return tuple(found)

    def items(self, list_id: str) -> tuple[str, ...]:
        """The known items of a list.

        Raises:
            KeyError: The items of that list were not given.
        """
        try:
            return tuple(self._items[list_id])
        except KeyError:
            raise KeyError(
                f"the items of {list_id!r} are unknown: pass them to crosswalk_table(lists=...)"
            ) from None

    def unmatched(self, list_id: str, other: str | None = None) -> tuple[str, ...]:
        """The items of ``list_id`` with no link (to ``other``, or to any list).

        Raises:
            KeyError: The items of ``list_id`` were not given.
        """
        linked: set[str] = set()
        for r in self.rows:
            if r.from_list == list_id and (other is None or r.to_list == other):
                linked.add(r.from_id)
            if r.to_list == list_id and (other is None or r.from_list == other):
                linked.add(r.to_id)
        return tuple(i for i in self.items(list_id) if i not in linked)


def _items_of(value: Portfolio | Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, Portfolio):
        areas = value.areas()
        return tuple(t.id for t in (areas or value.technologies))
    return tuple(value)


def crosswalk_table(
    crosswalk: Crosswalk, lists: Mapping[str, Portfolio | Iterable[str]] | None = None
) -> CrosswalkTable:
    """A crosswalk's links as a typed table, with the items of the lists it maps.

    Args:
        crosswalk: The crosswalk (e.g. ``catalogs.international.crosswalk_kr12()``).
        lists: For each list id, its items: ids, or a portfolio holding the list (its
            areas, the top level, or all its technologies if it has no areas).

    Examples:
        >>> from stratpolicy.catalogs import international
        >>> table = crosswalk_table(international.crosswalk_kr12())
        >>> table.lists()
        ('kr_strategic_technologies', 'us_cet_2024', 'eu_2023', 'aspi_tracker', 'jp_2022')
    """
    rows = [
        CrosswalkRow(
            from_list=lk.from_list,
            from_id=lk.from_id,
            to_list=lk.to_list,
            to_id=lk.to_id,
            confidence=lk.confidence,
            note=lk.note,
        )
        for lk in crosswalk.links
    ]
    items = {name: _items_of(value) for name, value in (lists or {}).items()}
    return CrosswalkTable(rows, items)
