"""Small typed result tables: frozen attrs rows in a read-only, tuple-like sequence.

A :class:`Table` stores its data by column and builds a row object only when one is asked
for, so that an analysis over 100,000 technologies does not create 100,000 Python objects
unless the caller iterates over them. Columns are plain Python sequences, numpy arrays,
:class:`Coded` (integer codes into a list of labels) or :class:`Ragged` (a CSR-like list
of tuples of labels). Nothing here imports numpy or pandas.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, overload

import attrs

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Coded", "Ragged", "Table"]

R = TypeVar("R")


class Coded:
    """A column of labels stored as integer codes: ``labels[codes[i]]``.

    Args:
        codes: Integer array (numpy) or sequence of codes.
        labels: The labels the codes index.
    """

    __slots__ = ("codes", "labels")

    def __init__(self, codes: Any, labels: Sequence[str]) -> None:
        self.codes = codes
        self.labels = labels

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i: int) -> str:
        return self.labels[int(self.codes[i])]

    def to_list(self) -> list[str]:
        """Every label, in order."""
        codes = self.codes.tolist() if hasattr(self.codes, "tolist") else self.codes
        return list(map(self.labels.__getitem__, codes))


class Ragged:
    """A column whose cells are tuples of labels, stored like a CSR matrix's rows.

    Cell ``i`` is ``tuple(labels[j] for j in indices[indptr[i]:indptr[i + 1]])``.

    Args:
        indptr: Row pointers, length ``n + 1``.
        indices: Label codes of every cell, concatenated.
        labels: The labels the codes index.
    """

    __slots__ = ("indices", "indptr", "labels")

    def __init__(self, indptr: Any, indices: Any, labels: Sequence[str]) -> None:
        self.indptr = indptr
        self.indices = indices
        self.labels = labels

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def __getitem__(self, i: int) -> tuple[str, ...]:
        start, stop = int(self.indptr[i]), int(self.indptr[i + 1])
        labels = self.labels
        codes = self.indices[start:stop]
        codes = codes.tolist() if hasattr(codes, "tolist") else codes
        return tuple(labels[c] for c in codes)

    def to_list(self) -> list[tuple[str, ...]]:
        """Every cell, in order (the labels looked up in one pass, then cut per row)."""
        codes = self.indices.tolist() if hasattr(self.indices, "tolist") else self.indices
        flat = list(map(self.labels.__getitem__, codes))
        ptr = self.indptr.tolist() if hasattr(self.indptr, "tolist") else list(self.indptr)
        return [tuple(flat[a:b]) for a, b in itertools.pairwise(ptr)]


def _cell(column: Any, i: int) -> Any:
    value = column[i]
    if hasattr(value, "item") and not isinstance(value, tuple | str):
        return value.item()  # a numpy scalar: give the plain Python value
    return value


def _as_list(column: Any) -> list[Any]:
    if isinstance(column, Coded | Ragged):
        return list(column.to_list())
    if hasattr(column, "tolist"):
        return list(column.tolist())
    return list(column)


class Table(Sequence[R], Generic[R]):
    """A read-only table of typed rows (frozen attrs objects), stored by column.

    Index it by position (``table[0]``), by slice (a smaller table) or, when it has a key
    column, by key (``coverage["ai_transformation"]``). It compares equal to another table
    or to a tuple or list of the same rows.

    Args:
        row_type: The attrs class of a row.
        columns: One sequence per field of ``row_type``, all of the same length.
        key: Name of the column whose values identify a row, if any.

    Examples:
        >>> import attrs
        >>> @attrs.frozen(kw_only=True)
        ... class Row:
        ...     name: str
        ...     score: float
        >>> t = Table(Row, {"name": ["a", "b"], "score": [0.5, 1.0]}, key="name")
        >>> t["b"].score
        1.0
        >>> t == (Row(name="a", score=0.5), Row(name="b", score=1.0))
        True
        >>> t.column("score")
        (0.5, 1.0)
    """

    __slots__ = ("_by_key", "_columns", "_key", "_n", "_row_type", "_rows")

    def __init__(
        self,
        row_type: type[R],
        columns: Mapping[str, Any],
        *,
        key: str | None = None,
    ) -> None:
        names = [f.name for f in attrs.fields(cast(Any, row_type))]
        if set(columns) != set(names):
            raise ValueError(f"{row_type.__name__} needs columns {names}, got {sorted(columns)}")
        lengths = {len(columns[n]) for n in names}
        if len(lengths) > 1:
            raise ValueError(f"columns of {row_type.__name__} differ in length: {lengths}")
        if key is not None and key not in columns:
            raise ValueError(f"key column {key!r} is not a field of {row_type.__name__}")
        self._row_type = row_type
        self._columns = {n: columns[n] for n in names}
        self._n = lengths.pop() if lengths else 0
        self._key = key
        self._rows: tuple[R, ...] | None = None
        self._by_key: dict[Any, int] | None = None

    @classmethod
    def from_rows(cls, row_type: type[R], rows: Sequence[R], *, key: str | None = None) -> Table[R]:
        """A table holding ``rows`` (objects of ``row_type``)."""
        names = [f.name for f in attrs.fields(cast(Any, row_type))]
        columns = {n: [getattr(r, n) for r in rows] for n in names}
        table = cls(row_type, columns, key=key)
        table._rows = tuple(rows)
        return table

    # -- the sequence ----------------------------------------------------------------

    def __len__(self) -> int:
        return self._n

    def _row(self, i: int) -> R:
        if self._rows is not None:
            return self._rows[i]
        return self._row_type(**{n: _cell(c, i) for n, c in self._columns.items()})

    @overload
    def __getitem__(self, index: int) -> R: ...
    @overload
    def __getitem__(self, index: slice) -> Table[R]: ...
    @overload
    def __getitem__(self, index: str) -> R: ...
    def __getitem__(self, index: int | slice | str) -> R | Table[R]:
        if isinstance(index, slice):
            picked = [self._row(i) for i in range(*index.indices(self._n))]
            return Table.from_rows(self._row_type, picked, key=self._key)
        if isinstance(index, str):
            return self._row(self._position(index))
        if index < 0:
            index += self._n
        if not 0 <= index < self._n:
            raise IndexError(f"row {index} of a table of {self._n} rows")
        return self._row(index)

    def _position(self, key: str) -> int:
        if self._key is None:
            raise KeyError(f"this table has no key column; look {key!r} up by position")
        if self._by_key is None:
            self._by_key = {v: i for i, v in enumerate(_as_list(self._columns[self._key]))}
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"no row with {self._key} {key!r}") from None

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str) and self._key is not None:
            try:
                self._position(item)
            except KeyError:
                return False
            return True
        return any(row == item for row in self)

    def __iter__(self) -> Iterator[R]:
        return iter(self.rows)

    @property
    def rows(self) -> tuple[R, ...]:
        """Every row, as a tuple (built on first access)."""
        if self._rows is None:
            self._rows = tuple(self._row(i) for i in range(self._n))
        return self._rows

    @property
    def row_type(self) -> type[R]:
        """The attrs class of the rows."""
        return self._row_type

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names, in field order."""
        return tuple(self._columns)

    def column(self, name: str) -> tuple[Any, ...]:
        """The values of one column, as plain Python values."""
        return tuple(_as_list(self._columns[name]))

    def get(self, key: str, default: R | None = None) -> R | None:
        """The row with this key, or ``default``."""
        try:
            return self[key]
        except KeyError:
            return default

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Table):
            return self._row_type is other._row_type and self.rows == other.rows
        if isinstance(other, tuple | list):
            return self.rows == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    # -- conversions -----------------------------------------------------------------

    def to_records(self) -> list[dict[str, Any]]:
        """The rows as plain dicts (tuples become lists): JSON-ready data.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> korea.summit_2025().graph().linkage_gap().to_records()[0]["technology"]
            'next_gen_nuclear'
        """
        cols = {n: _as_list(c) for n, c in self._columns.items()}
        return [
            {n: (list(v[i]) if isinstance(v[i], tuple) else v[i]) for n, v in cols.items()}
            for i in range(self._n)
        ]

    def to_pandas(self) -> pd.DataFrame:
        """The table as a pandas ``DataFrame`` (needs the optional pandas dependency).

        Raises:
            ImportError: pandas is not installed (``pip install 'stratpolicy[pandas]'``).

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> df = korea.summit_2025().graph().coverage().to_pandas()
            >>> list(df.columns)[:3], len(df)
            (['mission', 'name', 'kind'], 8)
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "Table.to_pandas needs pandas: pip install 'stratpolicy[pandas]'"
            ) from exc
        data: dict[str, Any] = {}
        for name, col in self._columns.items():
            if isinstance(col, Coded | Ragged) or not hasattr(col, "dtype"):
                data[name] = _as_list(col)
            else:
                data[name] = col
        return pd.DataFrame(data, columns=list(self._columns))

    # -- display (see stratpolicy.display) -----------------------------------------

    def __repr__(self) -> str:
        from stratpolicy.display import table_text

        return table_text(self)

    def _repr_html_(self) -> str:
        from stratpolicy.display import table_html

        return table_html(self)
