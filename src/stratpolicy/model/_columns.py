"""Reading one table's columns, typed and checked a column at a time.

A table is a pandas ``DataFrame``, a pyarrow ``Table``, a path to a Parquet or CSV file, or
a mapping of column name -> sequence (a list, a numpy array). The typed readers of
:class:`TableReader` check each column with whole-column operations and report every bad
cell as a :class:`~stratpolicy.errors.Problem` whose path names the table, the row (counted
from 0, as ``DataFrame.iloc`` does) and the column: ``supports[17].share``.

Text work (the id grammar, references, enumerations) runs in pyarrow's compute kernels
when pyarrow is installed (a pandas 3 string column already is a pyarrow array), and in
plain Python otherwise; both give the same answers. numpy is imported by this module;
pandas and pyarrow only when the input or the speed needs them. The module itself is
imported only by :meth:`Portfolio.from_tables <stratpolicy.model.Portfolio.from_tables>`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar, overload

import numpy as np
import numpy.typing as npt

from stratpolicy._checks import ID_RULE, describe, id_problem, parse_iso_date, quote, text_problem
from stratpolicy.errors import DataError, Problem, SchemaError, ValidationError
from stratpolicy.limits import MAX_ID_LENGTH, MAX_LIST_PROBLEMS

__all__ = ["NO_END", "NO_START", "Ids", "Problems", "Repeat", "TableReader", "read_table"]

E = TypeVar("E", bound=Enum)

NO_START = int(np.iinfo(np.int64).min)
NO_END = int(np.iinfo(np.int64).max)
_ID_PATTERN = f"^[A-Za-z0-9][A-Za-z0-9_.:-]{{0,{MAX_ID_LENGTH - 1}}}$"


def _arrow() -> Any:
    """The modules ``pyarrow`` and ``pyarrow.compute``, or ``None`` without pyarrow."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    return pa, pc


class Problems:
    """Problems found in tables: the first ones per column and problem, and a count.

    At most :data:`~stratpolicy.limits.MAX_LIST_PROBLEMS` rows per table column and kind of
    problem are listed, then one problem says how many more rows have it.
    """

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: str, message: str, kind: type[DataError] = ValidationError) -> None:
        """One problem."""
        self.items.append(Problem(path, message, kind))

    def rows(
        self,
        table: str,
        column: str,
        rows: npt.NDArray[np.integer[Any]] | Sequence[int],
        message: Callable[[int], str] | str,
        kind: type[DataError] = ValidationError,
    ) -> None:
        """One problem per bad row (the first ones), then one naming how many more.

        ``message`` is the message, or a function of the row giving it.
        """
        rows = np.asarray(rows, dtype=np.int64)
        for r in rows[:MAX_LIST_PROBLEMS].tolist():
            text = message if isinstance(message, str) else message(r)
            self.add(f"{table}[{r}].{column}", text, kind)
        if len(rows) > MAX_LIST_PROBLEMS:
            more = len(rows) - MAX_LIST_PROBLEMS
            self.add(
                f"{table}.{column}",
                f"... and {more:,} more rows with the problem of {table}[{int(rows[0])}]"
                f".{column} (the first {MAX_LIST_PROBLEMS} are listed)",
                kind,
            )

    def done(self, order: Sequence[str] = ()) -> None:
        """Raise every problem as one error, if there are any.

        Problems are sorted by table (in ``order``), then row; a problem of a whole column
        (``"... and 50 more"``) after the rows of its column.
        """
        if self.items:
            rank = {name: i for i, name in enumerate(order)}

            def key(item: tuple[int, Problem]) -> tuple[int, float, int]:
                k, problem = item
                table, _, rest = problem.path.partition("[")
                if not rest:
                    table = problem.path.partition(".")[0]
                row = float(rest.partition("]")[0]) if rest[:1].isdigit() else math.inf
                return rank.get(table, len(rank)), row, k

            ordered = [p for _, p in sorted(enumerate(self.items), key=key)]
            raise DataError.from_problems(ordered)


class Repeat(Sequence[Any]):
    """One value repeated ``n`` times: a column the table does not have."""

    __slots__ = ("n", "value")

    def __init__(self, value: Any, n: int) -> None:
        self.value = value
        self.n = n

    def __len__(self) -> int:
        return self.n

    @overload
    def __getitem__(self, i: int) -> Any: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Any]: ...
    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return Repeat(self.value, len(range(*i.indices(self.n))))
        return self.value

    def __iter__(self) -> Iterator[Any]:
        return iter([self.value] * self.n)


# -- reading a table ----------------------------------------------------------------------


class Column:
    """One column as given, with its mask of missing cells and its conversions, cached."""

    def __init__(self, source: Any, missing: npt.NDArray[np.bool_], n: int) -> None:
        self.source = source  # a pandas Series, a pyarrow (Chunked)Array, a list, an ndarray
        self.missing = missing
        self.n = n
        self._objects: list[Any] | None = None
        self._strings: Any = False  # not tried yet

    def numpy(self) -> npt.NDArray[Any] | None:
        """The column as a numpy array of numbers, booleans or datetimes, if it is one."""
        s = self.source
        module = type(s).__module__
        if isinstance(s, np.ndarray):
            return s if s.dtype.kind in "iufbM" else None
        if module.startswith("pandas"):
            kind = getattr(s.dtype, "kind", "O")
            if kind in "iufb" and not self.missing.any():
                return np.asarray(s.to_numpy())
            if kind in "iuf":
                return np.asarray(s.to_numpy(dtype=np.float64, na_value=np.nan))
            if kind == "M" and str(s.dtype).startswith("datetime64"):
                return np.asarray(s.to_numpy())
            return None
        if module.startswith("pyarrow"):
            import pyarrow as pa  # the table is one: pyarrow is installed

            t = s.type
            numeric = pa.types.is_integer(t) or pa.types.is_floating(t)
            if numeric and self.missing.any():
                return np.asarray(s.to_numpy(zero_copy_only=False), dtype=np.float64)
            if numeric or (pa.types.is_boolean(t) and not self.missing.any()):
                return np.asarray(s.to_numpy(zero_copy_only=False))
            return None
        return None

    def objects(self) -> list[Any]:
        """The column as a list of Python values (missing cells as given)."""
        if self._objects is None:
            s = self.source
            module = type(s).__module__
            if isinstance(s, np.ndarray):
                self._objects = s.tolist()
            elif module.startswith("pandas"):
                self._objects = s.to_numpy(dtype=object).tolist()
            elif module.startswith("pyarrow"):
                self._objects = s.to_pylist()
            else:
                self._objects = list(s)
        return self._objects

    def strings(self) -> Any:
        """The column as a pyarrow string array (nulls where missing), or ``None``.

        ``None`` when pyarrow is not installed or a cell is not text.
        """
        if self._strings is False:
            self._strings = self._to_strings()
        return self._strings

    def _to_strings(self) -> Any:
        arrow = _arrow()
        if arrow is None:
            return None
        pa, _ = arrow
        s = self.source
        try:
            if type(s).__module__.startswith("pyarrow"):
                if not (pa.types.is_string(s.type) or pa.types.is_large_string(s.type)):
                    return None
                array = s
            elif type(s).__module__.startswith("pandas"):
                array = pa.array(s, from_pandas=True)
                if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
                    return None
            else:
                items = self.objects()
                if any(
                    type(v) is not str for v, m in zip(items, self.missing, strict=True) if not m
                ):
                    return None
                array = pa.array(
                    [None if m else v for v, m in zip(items, self.missing, strict=True)],
                    type=pa.string(),
                )
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
            return None
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        if pa.types.is_large_string(array.type) and array.nbytes < 2**31 - 2**20:
            array = array.cast(pa.string())  # 32-bit offsets: hashing runs twice as fast
        return array


def _missing_of(values: list[Any]) -> npt.NDArray[np.bool_]:
    return np.fromiter(
        (
            v is None
            or (isinstance(v, float) and v != v)
            or type(v).__name__ in ("NAType", "NaTType")
            for v in values
        ),
        dtype=np.bool_,
        count=len(values),
    )


def _from_pandas(frame: Any) -> tuple[int, dict[str, Column]]:
    n = len(frame)
    columns: dict[str, Column] = {}
    for name in frame.columns:
        series = frame[name]
        missing = np.asarray(series.isna().to_numpy(), dtype=np.bool_)
        columns[str(name)] = Column(series, missing, n)
    return n, columns


def _from_arrow(table: Any) -> tuple[int, dict[str, Column]]:
    n = table.num_rows
    columns: dict[str, Column] = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        array = col.combine_chunks() if hasattr(col, "combine_chunks") else col
        missing = np.asarray(array.is_null().to_numpy(zero_copy_only=False), dtype=np.bool_)
        columns[str(name)] = Column(array, missing, n)
    return n, columns


def _from_mapping(name: str, data: Mapping[Any, Any]) -> tuple[int, dict[str, Column]]:
    columns: dict[str, Column] = {}
    lengths = set()
    for column, seq in data.items():
        if isinstance(seq, np.ndarray):
            values: Any = seq
            if seq.dtype.kind == "f":
                missing = np.isnan(seq)
            elif seq.dtype.kind == "M":
                missing = np.isnat(seq)
            elif seq.dtype.kind in "iub":
                missing = np.zeros(len(seq), dtype=np.bool_)
            else:
                values = seq.tolist()
                missing = _missing_of(values)
        elif isinstance(seq, Sequence) and not isinstance(seq, (str, bytes)):
            values = list(seq)
            missing = _missing_of(values)
        else:
            raise _schema(f"{name}.{column}", f"expected a sequence of values, got {describe(seq)}")
        lengths.add(len(values))
        columns[str(column)] = Column(values, missing, len(values))
    if len(lengths) > 1:
        raise _schema(name, f"the columns differ in length: {sorted(lengths)}")
    return (lengths.pop() if lengths else 0), columns


def _schema(path: str, message: str) -> SchemaError:
    return SchemaError([Problem(path, message, SchemaError)])


def read_table(name: str, source: object) -> tuple[int, dict[str, Column]]:
    """Read one table into columns: ``(number of rows, columns by name)``.

    Raises:
        SchemaError: The source is not a table, or a file cannot be read as one.
        ImportError: The source needs pandas or pyarrow and it is not installed.
    """
    if isinstance(source, (str, os.PathLike)):
        return _read_file(name, Path(source))
    module = type(source).__module__
    if module.startswith("pandas") and hasattr(source, "columns"):
        return _from_pandas(source)
    if module.startswith("pyarrow") and hasattr(source, "column_names"):
        return _from_arrow(source)
    if isinstance(source, Mapping):
        return _from_mapping(name, source)
    raise _schema(
        name,
        "expected a pandas DataFrame, a pyarrow Table, a path to a .parquet or .csv file, or "
        f"a mapping of column name to values, got {describe(source)}",
    )


def _read_file(name: str, path: Path) -> tuple[int, dict[str, Column]]:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise _schema(name, f"no such file: {quote(str(path))}")
    if suffix in (".parquet", ".pq"):
        try:
            import pyarrow.parquet as pq
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "reading Parquet needs pyarrow: pip install 'stratpolicy[arrow]'"
            ) from exc
        try:
            table = pq.read_table(path)
        except Exception as exc:  # pyarrow raises many kinds
            raise _schema(name, f"{quote(str(path))} is not a Parquet file: {exc}") from None
        return _from_arrow(table)
    if suffix in (".csv", ".tsv"):
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "reading CSV needs pandas: pip install 'stratpolicy[pandas]'"
            ) from exc
        try:
            # every cell as text: ids keep their spelling ("007"); typed readers parse numbers
            frame = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                sep="\t" if suffix == ".tsv" else ",",
                encoding="utf-8",
            )
        except (ValueError, UnicodeDecodeError) as exc:
            raise _schema(name, f"{quote(str(path))} is not a CSV table: {exc}") from None
        return _from_pandas(frame)
    raise _schema(name, f"{quote(str(path))}: expected a .parquet, .pq, .csv or .tsv file")


# -- ids ----------------------------------------------------------------------------------

# bytes allowed in an id, and allowed as its first byte
_ID_BYTES = np.zeros(256, dtype=np.bool_)
for _ch in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-":
    _ID_BYTES[_ch] = True
_ID_FIRST = _ID_BYTES.copy()
for _ch in b"_.:-":
    _ID_FIRST[_ch] = False


def _bad_ids(values: list[Any]) -> npt.NDArray[np.int64]:
    """Positions of the values that are not ids, checked on all bytes at once."""
    n = len(values)
    if set(map(type, values)) <= {str}:
        joined = "".join(values)
        if joined.isascii():
            lengths = np.fromiter(map(len, values), dtype=np.int64, count=n)
            data = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
            ok = (lengths >= 1) & (lengths <= MAX_ID_LENGTH)
            starts = np.zeros(n, dtype=np.int64)
            if n:
                np.cumsum(lengths[:-1], out=starts[1:])
            ok[ok] &= _ID_FIRST[data[starts[ok]]]
            bad_bytes = ~_ID_BYTES[data]
            if bad_bytes.any():
                owner = np.searchsorted(starts, np.flatnonzero(bad_bytes), side="right") - 1
                ok[owner] = False
            return np.flatnonzero(~ok)
    return np.asarray(
        [i for i, v in enumerate(values) if id_problem(v) is not None], dtype=np.int64
    )


class Ids:
    """An id column, checked: text kept as a pyarrow array when possible, else a list.

    Missing and bad cells are null (``None``).
    """

    def __init__(self, n: int, arrow: Any = None, items: list[str | None] | None = None) -> None:
        self.n = n
        self.arrow = arrow
        self._items = items

    @property
    def items(self) -> list[str | None]:
        """The ids as a list (``None`` for a missing or bad cell)."""
        if self._items is None:
            self._items = [] if self.arrow is None else self.arrow.to_pylist()
        return self._items

    def __len__(self) -> int:
        return self.n

    def null_mask(self) -> npt.NDArray[np.bool_]:
        """Which cells are null (missing or not an id)."""
        if self.arrow is not None:
            return np.asarray(self.arrow.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        return np.fromiter((v is None for v in self.items), dtype=np.bool_, count=self.n)

    def values_at(self, rows: npt.NDArray[np.int64]) -> dict[int, str | None]:
        """The ids of some rows (for messages)."""
        if self.arrow is not None:
            pa, _ = _arrow()
            return dict(
                zip(rows.tolist(), self.arrow.take(pa.array(rows)).to_pylist(), strict=True)
            )
        return {r: self.items[r] for r in rows.tolist()}

    def lookup(self, ids: Ids, positions: Callable[[], Mapping[str, int]]) -> npt.NDArray[np.int32]:
        """The position of each cell among ``ids``; -1 where it is null or not found."""
        arrow = _arrow()
        if self.arrow is not None and ids.arrow is not None and arrow is not None:
            _, pc = arrow
            found = pc.index_in(self.arrow, value_set=ids.arrow, skip_nulls=True)
            return np.asarray(
                pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int32
            )
        pos = positions()
        get: Callable[[str | None], int | None] = pos.get  # type: ignore[assignment]
        out = np.array(list(map(get, self.items)), dtype=np.float64)
        return np.where(np.isnan(out), -1, out).astype(np.int32)


# -- typed readers ------------------------------------------------------------------------


class TableReader:
    """The typed, checked columns of one table.

    Args:
        name: The table's name (``"supports"``), used in every problem's path.
        source: What :func:`read_table` reads.
        allowed: The columns the table may have; any other is a problem.
        problems: Where problems go.
    """

    def __init__(
        self, name: str, source: object, allowed: Sequence[str], problems: Problems
    ) -> None:
        self.name = name
        self.n, self._columns = read_table(name, source)
        self.problems = problems
        for c in self._columns:
            if c not in allowed:
                problems.add(
                    f"{name}.{c}",
                    f"unknown column {c!r}; a {name} table has the columns {', '.join(allowed)} "
                    "(select the columns you mean)",
                    SchemaError,
                )

    def has(self, column: str) -> bool:
        """Whether the table has this column."""
        return column in self._columns

    def _get(self, column: str, required: bool) -> Column | None:
        col = self._columns.get(column)
        if col is None:
            if required:
                self.problems.add(
                    f"{self.name}.{column}",
                    f"missing column {column!r}, which a {self.name} table must have",
                    SchemaError,
                )
            return None
        if required and col.missing.any():
            self.problems.rows(self.name, column, np.flatnonzero(col.missing), "must not be empty")
        return col

    # -- text and ids -------------------------------------------------------------------

    def texts(
        self, column: str, *, required: bool = False, non_empty: bool = False
    ) -> Sequence[str]:
        """A text column; missing cells read as ``""`` (unless ``required``)."""
        col = self._get(column, required)
        if col is None:
            return Repeat("", self.n)
        missing = col.missing
        values = list(col.objects()) if col.strings() is None else col.strings().to_pylist()
        if missing.any():
            for r in np.flatnonzero(missing).tolist():
                values[r] = ""
        if col.strings() is None:  # not all text, or no pyarrow: check each cell
            bad_type = [r for r, v in enumerate(values) if type(v) is not str]
            if bad_type:
                self.problems.rows(
                    self.name,
                    column,
                    bad_type,
                    lambda r: f"expected text, got {describe(values[r])}",
                    SchemaError,
                )
                for r in bad_type:
                    values[r] = ""
            if not "".join(values).isascii():
                bad = [r for r, v in enumerate(values) if not v.isascii() and text_problem(v)]
                if bad:
                    self.problems.rows(self.name, column, bad, lambda r: _text_message(values[r]))
        if non_empty:
            rows: Any = range(len(values))
            arrow = _arrow()
            if col.strings() is not None and arrow is not None:  # a letter or digit: not blank
                _, pc = arrow
                has = pc.match_substring_regex(col.strings(), pattern="[A-Za-z0-9]")
                rows = np.flatnonzero(~pc.fill_null(has, True).to_numpy(zero_copy_only=False))
                rows = rows.tolist()
            blank = [r for r in rows if not values[r].strip() and not missing[r]]
            if blank:
                self.problems.rows(self.name, column, blank, "must not be empty")
        return values

    def ids(self, column: str, *, required: bool = True, check: bool = True) -> Ids:
        """An id column (see the id grammar); missing and bad cells read as null.

        With ``check=False`` (a reference: it is checked when it is resolved, since only
        an id can name an object) the grammar is not checked here; a cell that is not
        text still reads as null and is reported.
        """
        col = self._get(column, required)
        if col is None:
            return Ids(self.n, items=[None] * self.n)
        strings = col.strings()
        arrow = _arrow()
        if strings is not None and not check:
            return Ids(self.n, arrow=strings)
        if strings is not None and arrow is not None:
            pa, pc = arrow
            ok = pc.match_substring_regex(strings, pattern=_ID_PATTERN)
            good = np.asarray(pc.fill_null(ok, True).to_numpy(zero_copy_only=False), dtype=bool)
            bad = np.flatnonzero(~good)
            if len(bad):
                shown = strings.take(pa.array(bad[:MAX_LIST_PROBLEMS])).to_pylist()
                self._bad_id_rows(column, bad, dict(zip(bad.tolist(), shown, strict=False)))
                strings = pc.if_else(pa.array(good), strings, pa.scalar(None, strings.type))
            return Ids(self.n, arrow=strings)
        values: list[Any] = list(col.objects())
        missing = col.missing
        present = [v for v, m in zip(values, missing, strict=True) if not m]
        bad = np.flatnonzero(~missing)[_bad_ids(present)]
        if len(bad):
            self._bad_id_rows(column, bad, {r: values[r] for r in bad[:MAX_LIST_PROBLEMS].tolist()})
            for r in bad.tolist():
                values[r] = None
        for r in np.flatnonzero(missing).tolist():
            values[r] = None
        return Ids(self.n, items=values)

    def _bad_id_rows(self, column: str, rows: npt.NDArray[np.int64], shown: dict[int, Any]) -> None:
        def message(r: int) -> str:
            found = id_problem(shown.get(r))
            return found[0] if found else f"not an id: {ID_RULE}"

        kinds = {p[1] for p in map(id_problem, shown.values()) if p is not None}
        kind = SchemaError if kinds == {SchemaError} else ValidationError
        self.problems.rows(self.name, column, rows, message, kind)

    # -- numbers, booleans, dates, enumerations -----------------------------------------

    def _numbers(self, col: Column, column: str) -> npt.NDArray[Any]:
        """The column as numbers (int64 or float64), NaN where missing or bad."""
        values = col.numpy()
        if values is not None and values.dtype.kind in "iuf":
            return values
        if values is not None and values.dtype.kind == "b":
            self.problems.rows(
                self.name,
                column,
                np.flatnonzero(~col.missing),
                "expected a number, got a boolean",
                SchemaError,
            )
            return np.full(self.n, np.nan)
        items = col.objects()
        out = np.full(self.n, np.nan)
        bad: list[int] = []
        is_int = True
        for r, v in enumerate(items):
            if col.missing[r]:
                continue
            if isinstance(v, (bool, np.bool_)):
                bad.append(r)
            elif isinstance(v, (int, np.integer)):
                out[r] = v
            elif isinstance(v, (float, np.floating)):
                out[r] = v
                is_int = False
            elif isinstance(v, str):
                number = _parse_number(v)
                if number is None:
                    bad.append(r)
                else:
                    out[r] = number
                    is_int = is_int and isinstance(number, int)
            else:
                bad.append(r)
        if bad:
            self.problems.rows(
                self.name,
                column,
                bad,
                lambda r: f"expected a number, got {describe(items[r])}",
                SchemaError,
            )
        if is_int and not bad and not col.missing.any() and np.all(np.abs(out) < 2**53):
            return out.astype(np.int64)
        return out

    def floats(
        self,
        column: str,
        *,
        required: bool = False,
        default: float = math.nan,
        low: float = -math.inf,
        high: float = math.inf,
        low_open: bool = False,
    ) -> npt.NDArray[np.float64]:
        """A number column checked to lie in ``[low, high]`` (``(low, high]``)."""
        col = self._get(column, required)
        if col is None:
            return np.full(self.n, default)
        out = np.array(self._numbers(col, column), dtype=np.float64)  # a copy: see below
        present = ~col.missing & ~np.isnan(out)
        too_low = out <= low if low_open else out < low
        bad = np.flatnonzero(present & (too_low | (out > high) | ~np.isfinite(out)))
        if len(bad):
            bracket = "(" if low_open else "["
            self.problems.rows(
                self.name,
                column,
                bad,
                lambda r: f"must be in {bracket}{low:g}, {high:g}], got {out[r]:g}",
            )
            out[bad] = np.nan  # reported (messages are made at once): left out of what follows
        return np.where(col.missing, default, out)

    def numbers(self, column: str) -> npt.NDArray[Any]:
        """A required number column as given (int64 if every cell is whole, else float64)."""
        col = self._get(column, True)
        if col is None:
            return np.zeros(self.n)
        numbers = self._numbers(col, column)
        if numbers.dtype.kind == "f":
            bad = np.flatnonzero(~col.missing & ~np.isfinite(numbers) & ~np.isnan(numbers))
            if len(bad):
                self.problems.rows(
                    self.name,
                    column,
                    bad,
                    lambda r: f"must be a finite number, got {float(numbers[r])!r}",
                )
        return numbers

    def whole(self, column: str, low: int, high: int) -> npt.NDArray[np.int64]:
        """A required column of whole numbers in ``[low, high]``."""
        col = self._get(column, True)
        if col is None:
            return np.zeros(self.n, dtype=np.int64)
        f = np.asarray(self._numbers(col, column), dtype=np.float64)
        known = ~col.missing & np.isfinite(f)
        whole = known & (f == np.floor(np.where(known, f, 0.0)))
        bad = np.flatnonzero(known & ~whole)
        if len(bad):
            self.problems.rows(
                self.name,
                column,
                bad,
                lambda r: f"expected a whole number, got {f[r]:g}",
                SchemaError,
            )
        out_of = np.flatnonzero(whole & ((f < low) | (f > high)))
        if len(out_of):
            self.problems.rows(
                self.name, column, out_of, lambda r: f"must be in [{low:g}, {high:g}], got {f[r]:g}"
            )
        return np.where(whole, f, 0).astype(np.int64)

    def bools(self, column: str, default: bool = False) -> npt.NDArray[np.bool_]:
        """A boolean column; missing cells read as ``default``."""
        col = self._get(column, False)
        if col is None:
            return np.full(self.n, default, dtype=np.bool_)
        values = col.numpy()
        if values is not None and values.dtype.kind == "b":
            return np.where(col.missing, default, values)
        items = col.objects()
        out = np.full(self.n, default, dtype=np.bool_)
        bad: list[int] = []
        for r, v in enumerate(items):
            if col.missing[r]:
                continue
            if isinstance(v, (bool, np.bool_)):
                out[r] = bool(v)
            elif isinstance(v, str) and v.lower() in ("true", "false"):
                out[r] = v.lower() == "true"
            else:
                bad.append(r)
        if bad:
            self.problems.rows(
                self.name,
                column,
                bad,
                lambda r: f"expected true or false, got {describe(items[r])}",
                SchemaError,
            )
        return out

    def dates(self, column: str, missing_value: int) -> npt.NDArray[np.int64]:
        """A date column as day ordinals; missing cells read as ``missing_value``.

        Cells are dates, ISO ``YYYY-MM-DD`` text, or timestamps at midnight.
        """
        out = np.full(self.n, missing_value, dtype=np.int64)
        col = self._get(column, False)
        if col is None:
            return out
        present = ~col.missing
        values = col.numpy()
        if values is not None and values.dtype.kind == "M":
            days = values.astype("datetime64[D]")
            exact = days.astype(values.dtype) == values
            bad = np.flatnonzero(present & ~exact)
            if len(bad):
                self.problems.rows(
                    self.name,
                    column,
                    bad,
                    lambda r: f"expected a date, got the time {values[r]}",
                    SchemaError,
                )
            epoch = dt.date(1970, 1, 1).toordinal()
            ordinals = days.astype(np.int64) + epoch
            return np.where(present & exact, ordinals, missing_value)
        items = col.objects()
        parsed: dict[Any, int | None] = {}
        bad_rows: list[int] = []
        for r in np.flatnonzero(present).tolist():
            v = items[r]
            try:
                day = parsed[v]
            except (KeyError, TypeError):
                day = _ordinal_of(v)
                with contextlib.suppress(TypeError):  # an unhashable value: not cached
                    parsed[v] = day
            if day is None:
                bad_rows.append(r)
            else:
                out[r] = day
        if bad_rows:
            self.problems.rows(
                self.name,
                column,
                bad_rows,
                lambda r: f"expected a date written YYYY-MM-DD, got {describe(items[r])}",
                SchemaError,
            )
        return out

    def categories(self, column: str) -> Codes[str]:
        """A required text column of few distinct values, as codes into those values.

        Member 0 is ``""`` (a missing cell, reported as a problem).
        """
        col = self._get(column, True)
        if col is None:
            return Codes(np.zeros(self.n, dtype=np.int32), [""])
        strings = col.strings()
        arrow = _arrow()
        if strings is not None and arrow is not None:
            _, pc = arrow
            encoded = pc.dictionary_encode(strings)
            members = ["", *encoded.dictionary.to_pylist()]
            codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False) + 1
            return Codes(np.asarray(codes, dtype=np.int32), members)
        texts = self.texts(column, required=False)
        seen: dict[str, int] = {"": 0}
        codes = np.fromiter(
            (seen.setdefault(v, len(seen)) for v in texts), dtype=np.int32, count=self.n
        )
        return Codes(codes, list(seen))

    def enum(
        self, column: str, cls: type[E], *, required: bool = False, default: E | None = None
    ) -> Codes[E | None]:
        """An enumeration column, by value (or by any spelling ``cls(...)`` accepts).

        Missing cells read as ``default``.
        """
        members: list[E | None] = [default, *cls]
        col = self._get(column, required)
        if col is None:
            return Codes(np.zeros(self.n, dtype=np.int8), members)
        spellings: dict[str, int] = {}
        strings = col.strings()
        arrow = _arrow()
        if strings is not None and arrow is not None:
            pa, pc = arrow
            uniques = pc.unique(strings).drop_null().to_pylist()
            for u in uniques:
                spellings[u] = _member_code(cls, u)
            keys = pa.array(list(spellings), type=strings.type)
            at = pc.fill_null(pc.index_in(strings, value_set=keys), -1)
            lookup = np.asarray([*spellings.values(), -1], dtype=np.int8)
            codes = lookup[np.asarray(at.to_numpy(zero_copy_only=False), dtype=np.int64)]
            items: list[Any] | None = None
        else:
            items = col.objects()
            codes = np.zeros(self.n, dtype=np.int8)
            for r, v in enumerate(items):
                if col.missing[r]:
                    continue
                if not isinstance(v, str):
                    codes[r] = -1
                    continue
                code = spellings.get(v)
                if code is None:
                    code = spellings[v] = _member_code(cls, v)
                codes[r] = code
        codes[col.missing] = 0
        bad = np.flatnonzero(codes < 0)
        if len(bad):
            shown = items if items is not None else col.objects()
            allowed = ", ".join(repr(m.value) for m in cls)
            self.problems.rows(
                self.name,
                column,
                bad,
                lambda r: f"{describe(shown[r])} is not one of {allowed}",
                SchemaError,
            )
            codes[bad] = 0
        return Codes(codes, members)


def _member_code(cls: type[Enum], text: str) -> int:
    try:
        member = cls(text)
    except ValueError:
        return -1
    return list(cls).index(member) + 1


T = TypeVar("T")


class Codes(Sequence[T]):
    """A column of few distinct values: integer codes into ``members`` (0: the default)."""

    __slots__ = ("codes", "members")

    def __init__(self, codes: npt.NDArray[np.integer[Any]], members: list[T]) -> None:
        self.codes = codes
        self.members = members

    def __len__(self) -> int:
        return len(self.codes)

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[T]: ...
    def __getitem__(self, i: int | slice) -> T | Sequence[T]:
        if isinstance(i, slice):
            return Codes(self.codes[i], self.members)
        return self.members[int(self.codes[i])]

    def is_(self, member: T) -> npt.NDArray[np.bool_]:
        """Which cells hold ``member``."""
        hits = np.asarray([m is member for m in self.members], dtype=np.bool_)
        return hits[self.codes.astype(np.int64)]

    def take(self, order: npt.NDArray[np.intp]) -> Codes[T]:
        """The cells in ``order``."""
        return Codes(self.codes[order], self.members)


def _text_message(value: str) -> str:
    found = text_problem(value)
    return found[0] if found else "not text"


def _ordinal_of(v: object) -> int | None:
    if isinstance(v, dt.datetime):
        if v.time() != dt.time(0) or v.tzinfo is not None:
            return None
        return v.date().toordinal()
    if isinstance(v, dt.date):
        return v.toordinal()
    if isinstance(v, str):
        day = parse_iso_date(v)
        return day.toordinal() if day is not None else None
    return None


def _parse_number(text: str) -> int | float | None:
    s = text.strip()
    if not s or len(s) > 100:
        return None
    try:
        return int(s)
    except ValueError:
        pass
    try:
        f = float(s)
    except ValueError:
        return None
    return f if math.isfinite(f) else None
