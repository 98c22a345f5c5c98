"""Reading one table's columns, typed and checked a column at a time.

A table is a pandas ``DataFrame``, a pyarrow ``Table``, a path to a Parquet or CSV file, or
a mapping of column name -> sequence (a list, a numpy array). Each column is read once into
either a numpy array (numbers, booleans, dates) or a list (text), with a mask of its
missing cells; the typed readers of :class:`TableReader` then check it with whole-column
operations and report every bad cell as a :class:`~stratpolicy.errors.Problem` whose path
names the table, the row (counted from 0, as ``DataFrame.iloc`` does) and the column:
``supports[17].share``.

numpy is imported by this module; pandas and pyarrow only when the input needs them. The
module itself is imported only by :meth:`Portfolio.from_tables
<stratpolicy.model.Portfolio.from_tables>`.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from stratpolicy._checks import ID_RULE, describe, parse_iso_date, quote, text_problem
from stratpolicy.errors import DataError, Problem, SchemaError, ValidationError
from stratpolicy.limits import MAX_ID_LENGTH, MAX_LIST_PROBLEMS

__all__ = ["NO_END", "NO_START", "Problems", "TableReader", "read_table"]

E = TypeVar("E", bound=Enum)

NO_START = int(np.iinfo(np.int64).min)
NO_END = int(np.iinfo(np.int64).max)
_NO_DAY = 0  # ordinal of no date (real ordinals start at 1)

# bytes allowed in an id, and allowed as its first byte
_ID_BYTES = np.zeros(256, dtype=np.bool_)
for _ch in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-":
    _ID_BYTES[_ch] = True
_ID_FIRST = _ID_BYTES.copy()
for _ch in b"_.:-":
    _ID_FIRST[_ch] = False


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

    def done(self) -> None:
        """Raise every problem as one error, if there are any."""
        if self.items:
            raise DataError.from_problems(self.items)


# -- reading a table ----------------------------------------------------------------------


class Column:
    """One column as read: ``values`` (a numpy array or a list) and its ``missing`` mask."""

    __slots__ = ("missing", "values")

    def __init__(self, values: Any, missing: npt.NDArray[np.bool_]) -> None:
        self.values = values
        self.missing = missing


def _is_missing_object(v: object) -> bool:
    return (
        v is None or (isinstance(v, float) and v != v) or type(v).__name__ in ("NAType", "NaTType")
    )


def _from_pandas(frame: Any) -> tuple[int, dict[str, Column]]:
    n = len(frame)
    columns: dict[str, Column] = {}
    for name in frame.columns:
        series = frame[name]
        missing = np.asarray(series.isna().to_numpy(), dtype=np.bool_)
        kind = getattr(series.dtype, "kind", "O")
        if kind in "iufb" and not missing.any():
            values: Any = series.to_numpy()
        elif kind in "iuf":
            values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        elif kind == "M":
            values = series.to_numpy()
        else:
            values = series.to_numpy(dtype=object).tolist()
        columns[str(name)] = Column(values, missing)
    return n, columns


def _from_arrow(table: Any) -> tuple[int, dict[str, Column]]:
    import pyarrow as pa

    n = table.num_rows
    columns: dict[str, Column] = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        missing = np.asarray(col.is_null().to_numpy(zero_copy_only=False), dtype=np.bool_)
        t = col.type
        numeric = pa.types.is_integer(t) or pa.types.is_floating(t)
        if numeric and missing.any():
            values: Any = np.asarray(col.to_numpy(zero_copy_only=False), dtype=np.float64)
        elif numeric or (pa.types.is_boolean(t) and not missing.any()):
            values = np.asarray(col.to_numpy(zero_copy_only=False))
        else:  # text, dates, timestamps, booleans with nulls: Python values
            values = col.to_pylist()
        columns[str(name)] = Column(values, missing)
    return n, columns


def _from_mapping(data: Mapping[Any, Any]) -> tuple[int, dict[str, Column]]:
    columns: dict[str, Column] = {}
    lengths = set()
    for name, seq in data.items():
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
                missing = np.fromiter(
                    (_is_missing_object(v) for v in values), dtype=np.bool_, count=len(values)
                )
        elif isinstance(seq, Sequence) and not isinstance(seq, (str, bytes)):
            values = list(seq)
            missing = np.fromiter(
                (_is_missing_object(v) for v in values), dtype=np.bool_, count=len(values)
            )
        else:
            raise _schema(str(name), f"expected a sequence of values, got {describe(seq)}")
        lengths.add(len(values))
        columns[str(name)] = Column(values, missing)
    if len(lengths) > 1:
        raise _schema("", f"the columns differ in length: {sorted(lengths)}")
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
        try:
            return _from_mapping(source)
        except SchemaError as exc:
            raise SchemaError([p.at(name) for p in exc.problems]) from None
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
        except Exception as exc:
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


# -- typed readers ------------------------------------------------------------------------


def _bad_ids(values: list[Any]) -> npt.NDArray[np.int64]:
    """Positions of the values that are not ids, checked on all bytes at once."""
    n = len(values)
    if all(type(v) is str for v in values):
        joined = "".join(values)
        if joined.isascii():
            lengths = np.fromiter(map(len, values), dtype=np.int64, count=n)
            data = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
            ok = (lengths >= 1) & (lengths <= MAX_ID_LENGTH)
            starts = np.zeros(n, dtype=np.int64)
            np.cumsum(lengths[:-1], out=starts[1:])
            ok[ok] &= _ID_FIRST[data[starts[ok]]]
            bad_bytes = ~_ID_BYTES[data]
            if bad_bytes.any():
                owner = np.searchsorted(starts, np.flatnonzero(bad_bytes), side="right") - 1
                ok[owner] = False
            return np.flatnonzero(~ok)
    from stratpolicy._checks import id_problem

    return np.asarray(
        [i for i, v in enumerate(values) if id_problem(v) is not None], dtype=np.int64
    )


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
        unknown = [c for c in self._columns if c not in allowed]
        for c in unknown:
            problems.add(
                f"{name}.{c}",
                f"unknown column {c!r}; a {name} table has the columns {', '.join(allowed)} "
                "(select the columns you mean)",
                SchemaError,
            )
        self.present = [c for c in allowed if c in self._columns]

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
            self.problems.rows(
                self.name, column, np.flatnonzero(col.missing), lambda r: "must not be empty"
            )
        return col

    def _objects(self, col: Column) -> list[Any]:
        values = col.values
        return values.tolist() if isinstance(values, np.ndarray) else list(values)

    # -- text and ids -------------------------------------------------------------------

    def texts(self, column: str, *, required: bool = False, non_empty: bool = False) -> list[str]:
        """A text column; missing cells read as ``""`` (unless ``required``)."""
        col = self._get(column, required)
        if col is None:
            return [""] * self.n
        values = self._objects(col)
        missing = col.missing
        if missing.any():
            for r in np.flatnonzero(missing).tolist():
                values[r] = ""
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
                self.problems.rows(
                    self.name,
                    column,
                    bad,
                    lambda r: str(text_problem(values[r])[0]),  # type: ignore[index]
                )
        if non_empty:
            blank = [r for r, v in enumerate(values) if not v.strip() and not missing[r]]
            if blank:
                self.problems.rows(self.name, column, blank, lambda r: "must not be empty")
        return values

    def ids(self, column: str, *, required: bool = True) -> list[str | None]:
        """An id column (see the id grammar); missing cells read as ``None``."""
        col = self._get(column, required)
        if col is None:
            return [None] * self.n
        values = self._objects(col)
        missing = col.missing
        present = (
            values
            if not missing.any()
            else [v for v, m in zip(values, missing, strict=True) if not m]
        )
        bad = _bad_ids(present)
        if len(bad):
            rows = np.flatnonzero(~missing)[bad] if missing.any() else bad
            from stratpolicy._checks import id_problem

            def message(r: int) -> str:
                found = id_problem(values[r])
                return found[0] if found else f"not an id: {ID_RULE}"

            kinds = {id_problem(values[r])[1] for r in rows[:MAX_LIST_PROBLEMS].tolist()}  # type: ignore[index]
            self.problems.rows(
                self.name,
                column,
                rows,
                message,
                SchemaError if kinds == {SchemaError} else ValidationError,
            )
            for r in rows.tolist():
                values[r] = None
        if missing.any():
            for r in np.flatnonzero(missing).tolist():
                values[r] = None
        return values

    # -- numbers, booleans, dates, enumerations -----------------------------------------

    def _numbers(self, col: Column, column: str) -> npt.NDArray[Any]:
        """The column as numbers (int64 or float64), NaN where missing or bad."""
        values = col.values
        if isinstance(values, np.ndarray) and values.dtype.kind in "iuf":
            return values
        if isinstance(values, np.ndarray) and values.dtype.kind == "b":
            self.problems.rows(
                self.name,
                column,
                np.flatnonzero(~col.missing),
                lambda r: "expected a number, got a boolean",
                SchemaError,
            )
            return np.full(self.n, np.nan)
        items = self._objects(col)
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
        numbers = self._numbers(col, column)
        out = np.asarray(numbers, dtype=np.float64)
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
                    self.name, column, bad, lambda r: f"must be a finite number, got {numbers[r]!r}"
                )
        return numbers

    def whole(self, column: str, low: int, high: int) -> npt.NDArray[np.int64]:
        """A required column of whole numbers in ``[low, high]``."""
        col = self._get(column, True)
        if col is None:
            return np.zeros(self.n, dtype=np.int64)
        numbers = self._numbers(col, column)
        f = np.asarray(numbers, dtype=np.float64)
        ok = col.missing | np.isnan(f) | (f == np.floor(f))
        bad = np.flatnonzero(~ok)
        if len(bad):
            self.problems.rows(
                self.name,
                column,
                bad,
                lambda r: f"expected a whole number, got {f[r]:g}",
                SchemaError,
            )
        fine = ~col.missing & ~np.isnan(f) & ok
        out_of = np.flatnonzero(fine & ((f < low) | (f > high)))
        if len(out_of):
            self.problems.rows(
                self.name, column, out_of, lambda r: f"must be in [{low:g}, {high:g}], got {f[r]:g}"
            )
        return np.where(fine, f, 0).astype(np.int64)

    def bools(self, column: str, default: bool = False) -> npt.NDArray[np.bool_]:
        """A boolean column; missing cells read as ``default``."""
        col = self._get(column, False)
        if col is None:
            return np.full(self.n, default, dtype=np.bool_)
        values = col.values
        if isinstance(values, np.ndarray) and values.dtype.kind == "b":
            return np.where(col.missing, default, values)
        items = self._objects(col)
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
        values = col.values
        present = ~col.missing
        if isinstance(values, np.ndarray) and values.dtype.kind == "M":
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
        items = self._objects(col)
        parsed: dict[Any, int | None] = {}
        bad_rows: list[int] = []
        for r in np.flatnonzero(present).tolist():
            v = items[r]
            key = (type(v), v)
            day = parsed.get(key, -1) if _hashable(v) else _ordinal_of(v)
            if day == -1:
                day = _ordinal_of(v)
                parsed[key] = day
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

    def enum(
        self, column: str, cls: type[E], *, required: bool = False, default: E | None = None
    ) -> list[E | None]:
        """An enumeration column (values as the enum's values); missing cells: ``default``."""
        col = self._get(column, required)
        if col is None:
            return [default] * self.n
        items = self._objects(col)
        known: dict[Any, E | None] = {}
        for v in set(items) if all(_hashable(v) for v in items) else items:
            if isinstance(v, str):
                try:
                    known[v] = cls(v)
                except ValueError:
                    known[v] = None
        out: list[E | None] = []
        bad: list[int] = []
        for r, v in enumerate(items):
            if col.missing[r]:
                out.append(default)
                continue
            member = known.get(v) if isinstance(v, str) else None
            if member is None:
                bad.append(r)
            out.append(member if member is not None else default)
        if bad:
            allowed = ", ".join(repr(m.value) for m in cls)
            self.problems.rows(
                self.name,
                column,
                bad,
                lambda r: f"{describe(items[r])} is not one of {allowed}",
                SchemaError,
            )
        return out


def _hashable(v: object) -> bool:
    try:
        hash(v)
    except TypeError:
        return False
    return True


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
    if type(v).__name__ == "Timestamp":  # pandas
        return _ordinal_of(v.to_pydatetime())  # type: ignore[attr-defined]
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
