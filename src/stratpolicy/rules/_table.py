"""Read a population from a file: typed columns for :meth:`RuleSet.evaluate_many`.

A CSV file (UTF-8, with or without the byte-order mark Excel writes; comma, semicolon or
tab separated, found from the header line) or a JSON/YAML list of records. Each column is
typed by the input it gives: numbers are parsed strictly, booleans from
:data:`BOOLEAN_TEXT`, dates strictly as ``YYYY-MM-DD``, categories checked against the
declared ones, every value checked as :meth:`RuleSet.evaluate` checks a fact (bounds
included). A column of per-row evaluation dates (``on=``) is read as dates too. An empty
cell, an absent key or ``null`` is a missing value (a masked entry). Every bad row is
reported, with its line, up to :data:`~stratpolicy.rules.MAX_REPORTED_ROWS` rows.

numpy is imported when a table is read, not when this module is.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io as _io
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from stratpolicy._checks import parse_iso_date
from stratpolicy.errors import DataError, FormatError, Problem, SchemaError
from stratpolicy.rules._facts import COERCER, MaskedFact, as_day
from stratpolicy.rules._runtime import MAX_REPORTED_ROWS, shown
from stratpolicy.rules._spec import ValueType

if TYPE_CHECKING:
    from stratpolicy.rules._plan import InputInfo
    from stratpolicy.rules._ruleset import RuleSet

__all__ = [
    "BOOLEAN_TEXT",
    "DELIMITERS",
    "EXTRA_POLICIES",
    "PopulationTable",
    "read_table",
    "resolve_columns",
]

BOOLEAN_TEXT: Mapping[str, bool] = MappingProxyType(
    {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
)
"""How a boolean is written in text: ``true`` or ``false``, in lower case, capitalised or
upper case (as YAML 1.2 writes them, and as Excel writes ``TRUE``/``FALSE``). Nothing else
-- not ``yes``, ``1`` or an empty cell -- is a boolean."""

DELIMITERS = (",", ";", "\t")
"""The delimiters a CSV file may use; the one that splits the header line into the most
fields wins (ties: in this order)."""

EXTRA_POLICIES = ("error", "ignore")
"""What to do with a column that is neither an input nor mapped to one."""

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_MAX_NUMBER_TEXT = 400  # characters: a longer number is refused without parsing it
_BLANKS = " \t"
_EPOCH = dt.date(1970, 1, 1)  # the placeholder of a missing or bad date


def _text(name: object) -> str:
    return name if isinstance(name, str) else shown(name)


def resolve_columns(
    input_names: Sequence[str],
    column_names: Sequence[object],
    columns: Mapping[str, str] | None,
    extra: str,
) -> dict[str, object]:
    """Which column gives each input: input name -> column name (inputs without one left out).

    Args:
        input_names: The rule set's inputs.
        column_names: The table's columns.
        columns: Column name -> input name, for columns named otherwise than their input.
        extra: ``"error"``: a column that is neither an input nor mapped to one is an
            error; ``"ignore"``: such columns are left out.

    Raises:
        SchemaError: An unknown column (naming the closest input), a bad mapping, or two
            columns for one input.
    """
    if extra not in EXTRA_POLICIES:
        raise SchemaError(
            [Problem("extra", f"must be 'error' or 'ignore', got {shown(extra)}", SchemaError)]
        )
    problems: list[Problem] = []
    inputs = list(input_names)
    known = set(inputs)
    present = set(column_names)
    if columns is not None and not isinstance(columns, Mapping):
        raise SchemaError(
            [
                Problem(
                    "columns",
                    f"must be a mapping of column name -> input name, got {shown(columns)}",
                    SchemaError,
                )
            ]
        )
    mapping = dict(columns or {})
    given: dict[str, object] = {}
    for column, name in mapping.items():
        where = f"columns.{_text(column)}"
        if not isinstance(name, str) or name not in known:
            close = difflib.get_close_matches(_text(name), inputs, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            swapped = ""
            if column in known and name in present and column not in present:
                swapped = (
                    "; columns maps a column name to an input name, like pandas' rename: "
                    f"write {{{name!r}: {column!r}}}"
                )
            problems.append(
                Problem(where, f"{shown(name)} is not an input{hint}{swapped}", SchemaError)
            )
            continue
        if column not in present:
            problems.append(
                Problem(where, f"the table has no column {_text(column)!r}", SchemaError)
            )
            continue
        if name in given:
            problems.append(
                Problem(
                    where,
                    f"input {name!r} is already given by column {_text(given[name])!r}",
                    SchemaError,
                )
            )
            continue
        given[name] = column
    for col in column_names:
        if col in mapping:
            continue
        if isinstance(col, str) and col in known:
            if col in given:
                problems.append(
                    Problem(
                        f"table.{col}",
                        f"input {col!r} is given twice: by this column and by column "
                        f"{_text(given[col])!r} (see columns=)",
                        SchemaError,
                    )
                )
                continue
            given[col] = col
            continue
        if extra == "error":
            text = _text(col)
            close = difflib.get_close_matches(text, inputs, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(
                Problem(
                    f"table.{text}",
                    f"unknown column ({hint}the inputs are: {', '.join(inputs)}); map it to an "
                    "input with columns=, or pass extra='ignore' to leave it out",
                    SchemaError,
                )
            )
    if problems:
        raise SchemaError(problems)
    return given


class PopulationTable(Mapping[str, Any]):
    """Columns read from a file, by input name: pass it to :meth:`RuleSet.evaluate_many`.

    A mapping of input name -> numpy array (float64 for numbers and money, bool for
    booleans, ``datetime64[D]`` for dates, objects (strings) for categories); a column
    with missing values is a ``numpy.ma`` masked array, masked where the value is missing.

    Attributes:
        rows: The number of rows.
        lines: For a CSV file, the line each row starts on (1 is the header line); for
            records, empty.
        source: The file read.
        on: The column of per-row evaluation dates (``datetime64[D]``), if one was read:
            ``rule_set.evaluate_many(table, on=table.on)`` evaluates each row on its date.
    """

    def __init__(
        self,
        columns: dict[str, Any],
        rows: int,
        lines: tuple[int, ...],
        source: str,
        on: str | None = None,
    ) -> None:
        self._columns = columns
        self.rows = rows
        self.lines = lines
        self.source = source
        self.on = on

    def __getitem__(self, name: str) -> Any:
        return self._columns[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    @classmethod
    def from_records(
        cls,
        records: Sequence[Mapping[Any, Any]],
        rule_set: RuleSet,
        *,
        columns: Mapping[str, str] | None = None,
        extra: str = "error",
        source: str = "records",
        on: str | None = None,
    ) -> PopulationTable:
        """The columns of a list of records (mappings of column -> value), checked.

        Arguments and errors as for :func:`read_table`; an absent key or ``None`` is a
        missing value (but a row's evaluation date, ``on``, must be given).
        """
        return _from_records(records, rule_set, columns, extra, source, on)

    def where(self, row: int) -> str:
        """Where a row is in the file: ``line 12`` for a CSV file, ``record 3`` otherwise."""
        if self.lines and 0 <= row < len(self.lines):
            return f"line {self.lines[row]}"
        return f"record {row}"

    def __repr__(self) -> str:
        names = list(self._columns)
        return f"<PopulationTable from {self.source!r}: {self.rows} rows, columns {names}>"


# -- text -------------------------------------------------------------------------------------


def _decode(data: bytes, source: str) -> str:
    for bom, name in (
        (codecs.BOM_UTF32_LE, "UTF-32"),
        (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"),
        (codecs.BOM_UTF16_BE, "UTF-16"),
    ):
        if data.startswith(bom):
            raise FormatError(
                [Problem("", f"the file is {name} text; save it as UTF-8", FormatError)],
                source=source,
            )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise FormatError(
            [
                Problem(
                    "",
                    f"not UTF-8 text: byte 0x{byte} at offset {exc.start} (line {line}); "
                    "save the file as UTF-8",
                    FormatError,
                )
            ],
            source=source,
        ) from None


def _delimiter(header: str) -> str:
    best, count = DELIMITERS[0], -1
    for candidate in DELIMITERS:
        try:
            fields = next(csv.reader([header], delimiter=candidate), [])
        except csv.Error:
            continue
        if len(fields) > count:
            best, count = candidate, len(fields)
    return best


def _csv_rows(
    text: str, delimiter: str | None, source: str
) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """The header and the data rows (with their first line), blank rows left out."""
    first = next((line for line in _io.StringIO(text) if line.strip()), "").rstrip("\r\n")
    used = delimiter if delimiter is not None else _delimiter(first)
    if not (isinstance(used, str) and len(used) == 1 and used not in '"\r\n'):
        raise SchemaError(
            [Problem("delimiter", f"must be one character, got {shown(used)}", SchemaError)]
        )
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=used, strict=True)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    line = 1
    try:
        for fields in reader:
            start = line
            line = reader.line_num + 1
            if not fields or all(not f.strip(_BLANKS) for f in fields):
                continue
            if header is None:
                header = fields
                continue
            rows.append((start, fields))
    except csv.Error as exc:
        raise FormatError(
            [Problem("", f"not valid CSV: {exc} (line {reader.line_num})", FormatError)],
            source=source,
        ) from None
    if header is None:
        raise FormatError([Problem("", "the file is empty", FormatError)], source=source)
    return header, rows, used


def _header(names: list[str], source: str) -> list[str]:
    problems = []
    seen: dict[str, int] = {}
    out = []
    for i, raw in enumerate(names):
        name = raw.strip(_BLANKS)
        if not name:
            problems.append(Problem(f"columns[{i}]", "a column has no name", SchemaError))
        elif name in seen:
            problems.append(
                Problem(
                    f"columns[{i}]",
                    f"column {name!r} appears twice (also column {seen[name]})",
                    SchemaError,
                )
            )
        seen.setdefault(name, i)
        out.append(name)
    if problems:
        raise SchemaError(problems, source=source)
    return out


def _parse_cell(text: str, info: InputInfo) -> object:
    """A cell's text as the value it stands for (a float, a bool or a string)."""
    cell = text.strip(_BLANKS)
    if info.vtype in (ValueType.NUMBER, ValueType.MONEY):
        if len(cell) > _MAX_NUMBER_TEXT or not _NUMBER.fullmatch(cell):
            raise ValueError(
                f"expected a number such as 1500000, 0.25 or 1.5e9 (digits, an optional point "
                f"and exponent; no thousands separators or units), got {shown(cell)}"
            )
        return float(cell)
    if info.vtype is ValueType.BOOL:
        if cell not in BOOLEAN_TEXT:
            raise ValueError(f"expected true or false, got {shown(cell)}")
        return BOOLEAN_TEXT[cell]
    if info.vtype is ValueType.DATE:
        return _parse_date(cell)
    return cell


def _parse_date(cell: str) -> dt.date:
    day = parse_iso_date(cell)
    if day is None:
        raise ValueError(f"expected a date written YYYY-MM-DD, got {shown(cell)}")
    return day


class _Collector:
    """The values of the columns, row by row, and the problems of the bad rows."""

    def __init__(self, rule_set: RuleSet, given: dict[str, object], on: str | None) -> None:
        engine = rule_set._engine
        self.helpers = engine.helpers
        self.infos = [i for i in engine.plan.inputs if i.name in given]
        self.names = [given[i.name] for i in self.infos]
        self.values: list[list[Any]] = [[] for _ in self.infos]
        self.missing: list[list[bool]] = [[] for _ in self.infos]
        self.on = on  # a column of per-row dates that is not an input
        self.days: list[dt.date] = []
        self.problems: list[Problem] = []
        self.bad_rows = 0

    def check(self, info: InputInfo, value: object) -> object:
        return self.helpers[COERCER[info.vtype]](value, info.index)

    def add(
        self,
        row: int,
        where: str,
        cells: list[tuple[bool, object]],
        on: tuple[bool, object] = (False, None),
    ) -> None:
        """One row: for each column, (given, value) -- a value still to be checked.

        ``on`` is the row's evaluation date, when a column of them is read.
        """
        problems = []
        if self.on is not None:
            here, value = on
            day: object = "the row's evaluation date is missing" if not here else value
            if isinstance(value, _Refused):
                day = value.message
            elif here:
                day = as_day(value)
            if isinstance(day, dt.date):
                self.days.append(day)
            else:
                self.days.append(_EPOCH)
                message = f"{day} ({where})"
                problems.append(Problem(f"rows[{row}].{self.on}", message, SchemaError))
        for k, (info, (here, value)) in enumerate(zip(self.infos, cells, strict=True)):
            checked: object = None
            missing = not here
            if here:
                try:
                    if isinstance(value, _Refused):
                        raise ValueError(value.message)
                    if isinstance(value, list | tuple | dict | set):
                        what = type(value).__name__
                        raise ValueError(f"must be one value, got a {what}")
                    checked = self.check(info, value)
                except MaskedFact:
                    missing = True
                except DataError as exc:
                    message = "; ".join(p.message for p in exc.problems)
                    problems.append(self._problem(row, k, where, message, exc.problems[0].kind))
                except ValueError as exc:
                    problems.append(self._problem(row, k, where, str(exc), SchemaError))
            self.values[k].append(checked)
            self.missing[k].append(missing)
        if problems:
            self.bad_rows += 1
            if self.bad_rows <= MAX_REPORTED_ROWS:
                self.problems.extend(problems)

    def _problem(
        self, row: int, k: int, where: str, message: str, kind: type[DataError]
    ) -> Problem:
        return Problem(f"rows[{row}].{_text(self.names[k])}", f"{message} ({where})", kind)

    def ragged(self, row: int, where: str, got: int, expected: int) -> None:
        self.bad_rows += 1
        if self.bad_rows <= MAX_REPORTED_ROWS:
            self.problems.append(
                Problem(
                    f"rows[{row}]",
                    f"has {got} field{'s' if got != 1 else ''}, the header has {expected} "
                    f"({where})",
                    SchemaError,
                )
            )
        for k in range(len(self.infos)):
            self.values[k].append(None)
            self.missing[k].append(True)
        if self.on is not None:
            self.days.append(_EPOCH)

    def columns(self, source: str) -> dict[str, Any]:
        import numpy as np

        if self.problems:
            more = self.bad_rows - MAX_REPORTED_ROWS
            problems = list(self.problems)
            if more > 0:
                problems.append(
                    Problem(
                        "rows",
                        f"and {more} more bad row{'s' if more != 1 else ''} ({self.bad_rows} in "
                        f"all; the first {MAX_REPORTED_ROWS} are listed)",
                        SchemaError,
                    )
                )
            raise DataError.from_problems(problems, source=source)
        out: dict[str, Any] = {}
        for info, values, missing in zip(self.infos, self.values, self.missing, strict=True):
            if info.vtype in (ValueType.NUMBER, ValueType.MONEY):
                array = np.array([0.0 if v is None else v for v in values], dtype=np.float64)
            elif info.vtype is ValueType.BOOL:
                array = np.array([bool(v) for v in values], dtype=bool)
            elif info.vtype is ValueType.DATE:
                array = np.array([_EPOCH if v is None else v for v in values], "datetime64[D]")
            else:
                array = np.empty(len(values), dtype=object)
                array[:] = [info.categories[0] if v is None else v for v in values]
            mask = np.array(missing, dtype=bool)
            out[info.name] = np.ma.MaskedArray(array, mask=mask) if mask.any() else array
        if self.on is not None:
            out[self.on] = np.array(self.days, dtype="datetime64[D]")
        return out


def read_table(
    source: str | os.PathLike[str],
    rule_set: RuleSet,
    *,
    columns: Mapping[str, str] | None = None,
    extra: str = "error",
    delimiter: str | None = None,
    on: str | None = None,
) -> PopulationTable:
    r"""Read a population for ``rule_set`` from a CSV file or a JSON/YAML list of records.

    Args:
        source: The file. ``.json``, ``.yaml`` and ``.yml`` files hold a list of records
            (mappings of column -> value); any other file is CSV.
        rule_set: The rule set whose inputs type the columns.
        columns: Column name -> input name, for columns named otherwise than their
            input (``{"R&D": "nst_rd_expense"}``).
        extra: ``"error"`` (default): a column that is neither an input nor mapped to one
            is an error naming the closest input; ``"ignore"``: it is left out.
        delimiter: The CSV delimiter; by default the one of ``,`` ``;`` and tab that
            splits the header line into the most fields.
        on: A column of per-row evaluation dates (``YYYY-MM-DD``, each row's own),
            read as dates and kept in the table under its name (``table.on``); it is not
            an unknown column. It may also be an input.

    Returns:
        The columns by input name, with the number of rows and where each row is.

    Raises:
        OSError: The file cannot be read.
        FormatError: Not UTF-8 (a UTF-16 file, Latin-1 text), not valid CSV/JSON/YAML, or
            empty.
        SchemaError: An unknown or duplicate column, a row with more or fewer fields than
            the header, a value that is not of its input's type (a list, a word where a
            number is expected, a category that is not declared, a number out of its
            input's bounds, a date not written ``YYYY-MM-DD``), an ``on`` column that is
            missing or a row without its date; every bad row is listed, with its line, up
            to :data:`~stratpolicy.rules.MAX_REPORTED_ROWS` rows.

    Examples:
        >>> import pathlib, tempfile, datetime as dt
        >>> from stratpolicy.catalogs.korea import rd_matching
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "projects.csv"
        >>> _ = path.write_text(
        ...     "firm_size;total_rd_cost;government_contribution\nsme;1e9;7e8\n",
        ...     encoding="utf-8-sig")
        >>> table = read_table(path, rd_matching())
        >>> table.rows, list(table)
        (1, ['firm_size', 'total_rd_cost', 'government_contribution'])
        >>> rd_matching().evaluate_many(table, on=dt.date(2026, 1, 1))["government_share"]
        array([0.7])
    """
    path = Path(source)
    name = str(source)
    data = path.read_bytes()
    text = _decode(data, name)
    if path.suffix.lower() in (".json", ".yaml", ".yml"):
        return _read_records(text, path, rule_set, columns, extra, on)
    header_fields, rows, _ = _csv_rows(text, delimiter, name)
    header = _header(header_fields, name)
    own = _dates_column(on, header, rule_set, columns, name)
    try:
        names = [h for h in header if h != own]
        given = resolve_columns(rule_set.input_names, names, columns, extra)
    except DataError as exc:
        raise DataError.from_problems(exc.problems, source=name) from None
    _need_inputs(given, header, name)
    collector = _Collector(rule_set, given, own)
    positions = [header.index(str(n)) for n in collector.names]
    on_position = header.index(own) if own is not None else -1
    width = len(header)
    for row, (line, fields) in enumerate(rows):
        where = f"line {line}"
        if len(fields) != width:
            collector.ragged(row, where, len(fields), width)
            continue
        cells: list[tuple[bool, object]] = []
        for info, position in zip(collector.infos, positions, strict=True):
            cell = fields[position]
            if not cell.strip(_BLANKS):
                cells.append((False, None))
                continue
            try:
                cells.append((True, _parse_cell(cell, info)))
            except ValueError as exc:
                cells.append((True, _Refused(str(exc))))
        day: tuple[bool, object] = (False, None)
        if on_position >= 0:
            text = fields[on_position].strip(_BLANKS)
            if text:
                try:
                    day = (True, _parse_date(text))
                except ValueError as exc:
                    day = (True, _Refused(str(exc)))
        collector.add(row, where, cells, day)
    lines = tuple(line for line, _ in rows)
    return PopulationTable(collector.columns(name), len(rows), lines, name, on)


class _Refused:
    """A cell that could not be parsed: checking it raises the parser's message."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def _dates_column(
    on: str | None,
    header: Sequence[object],
    rule_set: RuleSet,
    columns: Mapping[str, str] | None,
    source: str,
) -> str | None:
    """The column of per-row dates to read apart from the inputs (``None``: none, or an input)."""
    if on is None:
        return None
    if not isinstance(on, str) or on not in header:
        close = difflib.get_close_matches(_text(on), [_text(h) for h in header], n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise SchemaError(
            [Problem("on", f"the table has no column {shown(on)}{hint}", SchemaError)],
            source=source,
        )
    if on in rule_set.input_names or on in (columns or {}):
        return None  # an input column: read with the inputs
    return on


def _need_inputs(given: Mapping[str, object], header: Sequence[object], source: str) -> None:
    if not given and header:
        raise SchemaError(
            [Problem("", "no column is an input of the rule set", SchemaError)], source=source
        )


def _read_records(
    text: str,
    path: Path,
    rule_set: RuleSet,
    columns: Mapping[str, str] | None,
    extra: str,
    on: str | None,
) -> PopulationTable:
    from stratpolicy import io

    name = str(path)
    return _from_records(
        io.parse_data(text, io.format_of(path), source=name), rule_set, columns, extra, name, on
    )


def _from_records(
    data: object,
    rule_set: RuleSet,
    columns: Mapping[str, str] | None,
    extra: str,
    name: str,
    on: str | None = None,
) -> PopulationTable:
    if not isinstance(data, Sequence) or isinstance(data, str | bytes):
        raise SchemaError(
            [Problem("", "expected a list of records (mappings of column -> value)", SchemaError)],
            source=name,
        )
    bad = [i for i, r in enumerate(data) if not isinstance(r, Mapping)]
    if bad:
        raise SchemaError(
            [
                Problem(
                    f"rows[{i}]", "must be a record (a mapping of column -> value)", SchemaError
                )
                for i in bad[:MAX_REPORTED_ROWS]
            ],
            source=name,
        )
    keys: dict[object, None] = {}
    for record in data:
        for key in record:
            keys.setdefault(key, None)
    header = list(keys)
    own = _dates_column(on, header, rule_set, columns, name)
    try:
        names = [h for h in header if h != own]
        given = resolve_columns(rule_set.input_names, names, columns, extra)
    except DataError as exc:
        raise DataError.from_problems(exc.problems, source=name) from None
    _need_inputs(given, header, name)
    collector = _Collector(rule_set, given, own)
    for row, record in enumerate(data):
        cells: list[tuple[bool, object]] = []
        for column in collector.names:
            value = record.get(column)
            cells.append((value is not None, value))
        day = record.get(own) if own is not None else None
        collector.add(row, f"record {row}", cells, (day is not None, day))
    return PopulationTable(collector.columns(name), len(data), (), name, on)
