"""Populations: a table of facts checked against a rule set's inputs, with row weights.

A :class:`Population` is read once and checked strictly; afterwards it is plain numpy
columns (numbers as float64, booleans, categories as integer codes into the input's
declared categories) and a weight per row, which every aggregate of a comparison uses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from stratpolicy._checks import describe
from stratpolicy.errors import DataError, Problem, SchemaError, ValidationError
from stratpolicy.rules import MAX_REPORTED_ROWS, Input, RuleSet, ValueType, resolve_columns

__all__ = ["MISSING_POLICIES", "Population"]

MISSING_POLICIES = ("error", "default")
"""What to do with a missing value (an empty CSV cell, ``None``, NaN, a null, a masked
entry): ``"error"`` refuses it (every such row is listed); ``"default"`` uses the input's
declared default, and refuses it where the input has none."""

_CHECK_DATE = dt.date(2000, 1, 1)  # any date: the reader rule set has no rules
_WEIGHT_INPUT = "weight"


def _reader(rule_set: RuleSet, weight: bool) -> RuleSet:
    """A rule set without rules whose inputs are ``rule_set``'s (and the weight)."""
    inputs: Any = list(rule_set.inputs)
    if weight:
        inputs.append(
            Input(
                name=_WEIGHT_INPUT,
                type=ValueType.NUMBER,
                min=0.0,
                description="How many firms the row stands for.",
            )
        )
    return RuleSet(id=f"{rule_set.id}.population", inputs=inputs)


def _rows_problem(rows: Sequence[int], path: str, message: str) -> list[Problem]:
    problems = [Problem(f"rows[{r}].{path}", message) for r in rows[:MAX_REPORTED_ROWS]]
    more = len(rows) - MAX_REPORTED_ROWS
    if more > 0:
        problems.append(Problem("rows", f"and {more} more rows with a missing {path}"))
    return problems


class Population:
    """Facts about many firms (or projects), checked against a rule set, with weights.

    Build one with :meth:`read` (CSV, Parquet, JSON/YAML records), :meth:`from_pandas`,
    :meth:`from_arrow` or :meth:`from_columns`, or with
    :func:`~stratpolicy.scenarios.synthetic_firms`. Every constructor checks:

    * column names, strictly: a column that is neither an input, mapped to one
      (``columns={"R&D": "nst_rd_expense"}``) nor the weight column is an error naming the
      closest input, unless ``extra="ignore"``;
    * required columns: an input without a default must have a column (an input with a
      default may be absent: every row takes the default, and :attr:`defaulted` says so);
    * missing values by the ``missing`` policy (:data:`MISSING_POLICIES`);
    * every value as :meth:`RuleSet.evaluate` checks a fact (type, declared categories,
      bounds, finite); weights are finite and not negative.

    Every bad row is reported (up to :data:`~stratpolicy.rules.MAX_REPORTED_ROWS`) in one
    error; no population is made.

    Attributes:
        n: The number of rows.
        weight: Row weights (float64): how many firms each row stands for (1 without a
            weight column).
        inputs: The inputs given by a column.
        defaulted: The inputs without a column (their default applies to every row).
        rule_set_id: The id of the rule set it was checked against.
        metadata: Where it comes from: ``source``, the ``missing`` policy and, for
            synthetic populations, every assumption.
    """

    def __init__(
        self,
        *,
        data: dict[str, Any],
        weight: Any,
        declared: Mapping[str, Input],
        rule_set_id: str,
        metadata: Mapping[str, Any],
    ) -> None:
        import numpy as np

        self._data = data
        self.weight = np.asarray(weight, dtype=np.float64)
        self.n = int(self.weight.shape[0])
        self._declared = dict(declared)
        self.rule_set_id = rule_set_id
        self.inputs = tuple(data)
        self.defaulted = tuple(name for name in declared if name not in data)
        self.metadata = dict(metadata)
        self._frame: Any = None
        self._digest: str | None = None

    # -- constructors -------------------------------------------------------------------

    @classmethod
    def read(
        cls,
        path: str | os.PathLike[str],
        rule_set: RuleSet,
        *,
        columns: Mapping[str, str] | None = None,
        extra: str = "error",
        missing: str = "error",
        weight: str | None = "weight",
        delimiter: str | None = None,
    ) -> Population:
        """Read a population from a CSV, Parquet (``.parquet``, ``.pq``) or JSON/YAML file.

        CSV and records go through :func:`stratpolicy.rules.read_table` (UTF-8 with or
        without a byte-order mark, the delimiter found from the header line, every bad
        row listed with its line).

        Args:
            path: The file.
            rule_set: The rule set whose inputs the columns must be.
            columns: Column name -> input name, for columns named otherwise.
            extra: ``"error"`` or ``"ignore"`` for a column that is no input.
            missing: ``"error"`` or ``"default"`` (see :data:`MISSING_POLICIES`).
            weight: The name of the weight column (``None``: no weights; every row 1).
            delimiter: The CSV delimiter (by default found from the header line).

        Raises:
            OSError: The file cannot be read.
            FormatError: Not UTF-8, not valid CSV/JSON/YAML/Parquet.
            SchemaError: An unknown column, a missing required column, a bad value.
            ValidationError: A value out of bounds, a missing value the policy refuses.
        """
        file = Path(path)
        if file.suffix.lower() in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            try:
                table = pq.read_table(file)
            except OSError:
                raise
            except Exception as exc:  # pyarrow's own errors: not a Parquet file
                from stratpolicy.errors import FormatError

                raise FormatError(
                    [Problem("", f"not a Parquet file: {str(exc)[:200]}", FormatError)],
                    source=str(path),
                ) from None
            return cls.from_arrow(
                table,
                rule_set,
                columns=columns,
                extra=extra,
                missing=missing,
                weight=weight,
                source=str(path),
            )
        return cls._read_text(file, rule_set, columns, extra, missing, weight, delimiter)

    @classmethod
    def _read_text(
        cls,
        file: Path,
        rule_set: RuleSet,
        columns: Mapping[str, str] | None,
        extra: str,
        missing: str,
        weight: str | None,
        delimiter: str | None,
    ) -> Population:
        import numpy as np

        from stratpolicy.rules import read_table

        _check_policy(missing)
        has_weight = _weight_allowed(rule_set, weight)
        mapping = dict(columns or {})
        if has_weight and weight != _WEIGHT_INPUT:
            assert weight is not None
            mapping[weight] = _WEIGHT_INPUT
        reader = _reader(rule_set, has_weight)
        table = read_table(file, reader, columns=mapping or None, extra=extra, delimiter=delimiter)
        source = str(file)
        raw: dict[str, tuple[Any, Any]] = {}
        for name in table:
            column = table[name]
            if isinstance(column, np.ma.MaskedArray):
                raw[name] = (np.ma.getdata(column), np.ma.getmaskarray(column))
            else:
                raw[name] = (column, None)
        return cls._finish(rule_set, raw, missing, has_weight, source, table.where, checked=True)

    @classmethod
    def from_pandas(
        cls,
        frame: Any,
        rule_set: RuleSet,
        *,
        columns: Mapping[str, str] | None = None,
        extra: str = "error",
        missing: str = "error",
        weight: str | None = "weight",
        source: str = "DataFrame",
    ) -> Population:
        """A population from a pandas DataFrame (NaN, ``None``, ``NA`` are missing values).

        Arguments and errors as for :meth:`read`.
        """
        names = [str(c) if not isinstance(c, str) else c for c in frame.columns.tolist()]
        getter = {name: frame[col] for name, col in zip(names, frame.columns, strict=True)}
        return cls._from_getter(
            getter, names, "pandas", rule_set, columns, extra, missing, weight, source
        )

    @classmethod
    def from_arrow(
        cls,
        table: Any,
        rule_set: RuleSet,
        *,
        columns: Mapping[str, str] | None = None,
        extra: str = "error",
        missing: str = "error",
        weight: str | None = "weight",
        source: str = "arrow Table",
    ) -> Population:
        """A population from a pyarrow Table (nulls are missing values).

        Arguments and errors as for :meth:`read`.
        """
        names = list(table.column_names)
        getter = {name: table.column(name) for name in names}
        return cls._from_getter(
            getter, names, "arrow", rule_set, columns, extra, missing, weight, source
        )

    @classmethod
    def from_columns(
        cls,
        data: Mapping[str, Any],
        rule_set: RuleSet,
        *,
        columns: Mapping[str, str] | None = None,
        extra: str = "error",
        missing: str = "error",
        weight: str | None = "weight",
        source: str = "columns",
        metadata: Mapping[str, Any] | None = None,
    ) -> Population:
        """A population from a mapping of column -> sequence or numpy array.

        ``None``, NaN and masked entries (``numpy.ma``) are missing values. Arguments and
        errors as for :meth:`read`; ``metadata`` is kept in :attr:`metadata`.
        """
        names = list(data)
        population = cls._from_getter(
            dict(data),
            names,
            "mapping",
            rule_set,
            columns,
            extra,
            missing,
            weight,
            source,
        )
        if metadata:
            population.metadata.update(metadata)
        return population

    @classmethod
    def _from_getter(
        cls,
        getter: Mapping[str, Any],
        names: list[str],
        kind: str,
        rule_set: RuleSet,
        columns: Mapping[str, str] | None,
        extra: str,
        missing: str,
        weight: str | None,
        source: str,
    ) -> Population:
        _check_policy(missing)
        has_weight = _weight_allowed(rule_set, weight) and weight in names
        others = [n for n in names if not (has_weight and n == weight)]
        try:
            given = resolve_columns(rule_set.input_names, others, columns, extra)
        except DataError as exc:
            raise DataError.from_problems(exc.problems, source=source) from None
        raw: dict[str, tuple[Any, Any]] = {}
        for input_name, column_name in given.items():
            raw[input_name] = _extract(getter[str(column_name)], kind, input_name)
        if has_weight:
            assert weight is not None
            raw[_WEIGHT_INPUT] = _extract(getter[weight], kind, _WEIGHT_INPUT)
        return cls._finish(rule_set, raw, missing, has_weight, source, None, checked=False)

    @classmethod
    def _finish(
        cls,
        rule_set: RuleSet,
        raw: dict[str, tuple[Any, Any]],
        missing: str,
        has_weight: bool,
        source: str,
        where: Any,
        *,
        checked: bool,
    ) -> Population:
        import numpy as np

        declared = {i.name: i for i in rule_set.inputs}
        problems: list[Problem] = []
        required = [name for name, i in declared.items() if i.default is None and name not in raw]
        for name in required:
            problems.append(
                Problem(
                    f"columns.{name}",
                    f"missing required column: input {name!r} has no default, so every row "
                    "needs a value (map a column to it with columns=)",
                    SchemaError,
                )
            )
        if problems:
            raise DataError.from_problems(problems, source=source)
        lengths = {name: len(values) for name, (values, _) in raw.items()}
        if len(set(lengths.values())) > 1:
            raise SchemaError(
                [Problem("columns", f"columns of different lengths: {lengths}", SchemaError)],
                source=source,
            )
        n = next(iter(lengths.values())) if lengths else 0
        values: dict[str, Any] = {}
        for name, (column, mask) in raw.items():
            if mask is None or not mask.any():
                values[name] = column
                continue
            rows = np.flatnonzero(mask).tolist()

            def at(r: int) -> str:
                return f" ({where(r)})" if where is not None else ""

            info = declared.get(name)
            if name == _WEIGHT_INPUT:
                problems.extend(
                    Problem(f"rows[{r}].weight", f"missing weight{at(r)}")
                    for r in rows[:MAX_REPORTED_ROWS]
                )
                continue
            assert info is not None
            if missing == "error":
                message = "missing value (missing='error'; missing='default' uses the input's"
                message += " default)"
                problems.extend(
                    Problem(f"rows[{r}].{name}", f"{message}{at(r)}")
                    for r in rows[:MAX_REPORTED_ROWS]
                )
            elif info.default is None:
                problems.extend(
                    Problem(
                        f"rows[{r}].{name}",
                        f"missing value, and input {name!r} has no default{at(r)}",
                    )
                    for r in rows[:MAX_REPORTED_ROWS]
                )
            else:
                filled = np.array(column, dtype=object if column.dtype.kind == "O" else None)
                filled[mask] = info.default
                values[name] = filled
        if problems:
            bad_rows = sorted({int(p.path[5 : p.path.index("]")]) for p in problems})
            if len(problems) > MAX_REPORTED_ROWS:
                problems = [
                    *problems[:MAX_REPORTED_ROWS],
                    Problem("rows", f"and more: {len(bad_rows)} rows have missing values"),
                ]
            raise DataError.from_problems(problems, source=source)
        if not checked:
            reader = _reader(rule_set, has_weight)
            try:
                reader.evaluate_many(values, on=_CHECK_DATE)
            except DataError as exc:
                raise DataError.from_problems(
                    [
                        Problem(p.path.replace(".facts.", ".", 1), p.message, p.kind)
                        for p in exc.problems
                    ],
                    source=source,
                ) from None
        data: dict[str, Any] = {}
        for name, info in declared.items():
            if name not in values:
                continue
            data[name] = _convert(values[name], info)
        weights = (
            np.asarray(values[_WEIGHT_INPUT], dtype=np.float64)
            if has_weight and _WEIGHT_INPUT in values
            else np.ones(n, dtype=np.float64)
        )
        return cls(
            data=data,
            weight=weights,
            declared=declared,
            rule_set_id=rule_set.id,
            metadata={"source": source, "missing": missing, "rows": n},
        )

    # -- access ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.n

    @property
    def total_weight(self) -> float:
        """The sum of the weights: how many firms the population stands for."""
        return float(self.weight.sum())

    def declared(self, name: str) -> Input:
        """The declaration of an input as the population was checked against it."""
        return self._declared[name]

    def categories(self, name: str) -> tuple[str, ...]:
        """The categories of a category input, in declared order."""
        return self._declared[name].categories

    def codes(self, name: str) -> Any:
        """A category column as integer codes into :meth:`categories` (numpy intp)."""
        import numpy as np

        info = self._declared[name]
        if info.type is not ValueType.CATEGORY:
            raise TypeError(f"{name!r} is not a category input")
        if name in self._data:
            return self._data[name]
        assert info.default is not None
        return np.full(self.n, info.categories.index(str(info.default)), dtype=np.intp)

    def column(self, name: str) -> Any:
        """The values of an input (its default for every row when it has no column).

        Numbers as float64, booleans as bool, categories as an object array of strings.

        Raises:
            KeyError: ``name`` is not an input.
        """
        import numpy as np

        if name not in self._declared:
            raise KeyError(f"{name!r} is not an input of rule set {self.rule_set_id!r}")
        info = self._declared[name]
        if info.type is ValueType.CATEGORY:
            labels = np.asarray(info.categories, dtype=object)
            return labels[self.codes(name)]
        if name in self._data:
            return self._data[name]
        default: Any = info.default
        if info.type is ValueType.BOOL:
            return np.full(self.n, bool(default), dtype=bool)
        return np.full(self.n, float(default), dtype=np.float64)

    def table(self) -> Any:
        """The columns given, as the pandas DataFrame :meth:`RuleSet.evaluate_many` reads.

        Categories are pandas categoricals (the fastest form for the engine). Built once
        and kept.
        """
        if self._frame is None:
            import pandas as pd

            frame: dict[str, Any] = {}
            for name, values in self._data.items():
                info = self._declared[name]
                if info.type is ValueType.CATEGORY:
                    frame[name] = pd.Categorical.from_codes(
                        values, categories=pd.Index(info.categories)
                    )
                else:
                    frame[name] = values
            self._frame = (
                pd.DataFrame(frame, copy=False) if frame else pd.DataFrame(index=range(self.n))
            )
        return self._frame

    def to_pandas(self) -> Any:
        """Every input (defaults filled in) and the weight, as a pandas DataFrame."""
        import pandas as pd

        out: dict[str, Any] = {}
        for name, info in self._declared.items():
            if info.type is ValueType.CATEGORY:
                out[name] = pd.Categorical.from_codes(
                    self.codes(name), categories=pd.Index(info.categories)
                )
            else:
                out[name] = self.column(name)
        out["weight"] = self.weight
        return pd.DataFrame(out)

    def check_compatible(self, rule_set: RuleSet) -> None:
        """Check that ``rule_set`` can evaluate this population.

        Every column must be an input of the same type, every category used declared.

        Raises:
            SchemaError: Every mismatch, each naming the input.
        """
        import numpy as np

        declared = {i.name: i for i in rule_set.inputs}
        problems = []
        for name in self._data:
            info = declared.get(name)
            mine = self._declared[name]
            if info is None:
                problems.append(
                    Problem(f"columns.{name}", f"is not an input of rule set {rule_set.id!r}")
                )
            elif info.type is not mine.type:
                problems.append(
                    Problem(
                        f"columns.{name}",
                        f"is a {mine.type.value} here, a {info.type.value} in {rule_set.id!r}",
                    )
                )
            elif info.type is ValueType.CATEGORY:
                used = [mine.categories[c] for c in np.unique(self._data[name]).tolist()]
                unknown = [c for c in used if c not in info.categories]
                if unknown:
                    problems.append(
                        Problem(
                            f"columns.{name}",
                            f"the population uses categories that rule set {rule_set.id!r} "
                            f"does not declare: {', '.join(unknown)} (a reform adding them "
                            "widens the baseline; see Reform.widen)",
                        )
                    )
        if problems:
            raise SchemaError(
                [Problem(p.path, p.message, SchemaError) for p in problems],
                source=f"population checked against {self.rule_set_id!r}",
            )

    # -- derived populations --------------------------------------------------------------

    def scaled(self, factors: Mapping[str, float]) -> Population:
        """A copy with number columns multiplied: ``{"nst_rd_expense": 1.1}``.

        Raises:
            KeyError: A name is not a number or money input with a column.
            ValidationError: A factor is not a finite number >= 0.
        """
        import math

        data = dict(self._data)
        for name, factor in factors.items():
            info = self._declared.get(name)
            if info is None or info.type not in (ValueType.NUMBER, ValueType.MONEY):
                raise KeyError(f"{name!r} is not a number input of the population")
            if name not in data:
                raise KeyError(f"{name!r} has no column (its default applies): nothing to scale")
            if (
                isinstance(factor, bool)
                or not isinstance(factor, (int, float))
                or not (math.isfinite(factor) and factor >= 0)
            ):
                raise ValidationError(
                    [
                        Problem(
                            f"factors.{name}",
                            f"must be a finite number >= 0, got {describe(factor)}",
                        )
                    ]
                )
            data[name] = data[name] * float(factor)
        return self._derived(data, self.weight, {"scaled": dict(factors)})

    def reweighted(self, weight: Any) -> Population:
        """A copy with other row weights (finite, not negative, one per row)."""
        import numpy as np

        w = np.asarray(weight, dtype=np.float64)
        if w.shape != (self.n,) or not np.isfinite(w).all() or (w < 0).any():
            raise ValidationError([Problem("weight", f"expected {self.n} finite weights >= 0")])
        return self._derived(self._data, w, {"reweighted": True})

    def _derived(self, data: dict[str, Any], weight: Any, note: Mapping[str, Any]) -> Population:
        return Population(
            data=data,
            weight=weight,
            declared=self._declared,
            rule_set_id=self.rule_set_id,
            metadata={**self.metadata, **note},
        )

    # -- identity -------------------------------------------------------------------------

    @property
    def digest(self) -> str:
        """A content hash (SHA-256, hex) of the columns, their declarations and the weights."""
        if self._digest is None:
            import numpy as np

            h = hashlib.sha256()
            for name, info in self._declared.items():
                h.update(f"{name}|{info.type.value}|{','.join(info.categories)}|".encode())
                if name in self._data:
                    array = self._data[name]
                    h.update(str(array.dtype).encode())
                    h.update(np.ascontiguousarray(array).data)
                else:
                    h.update(f"default={info.default!r}".encode())
            h.update(np.ascontiguousarray(self.weight).data)
            self._digest = h.hexdigest()
        return self._digest

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_frame"] = None  # rebuilt on demand
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Population):
            return NotImplemented
        return self.digest == other.digest and self.rule_set_id == other.rule_set_id

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"<Population of {self.n} rows ({self.total_weight:,.0f} firms by weight), "
            f"inputs {list(self.inputs)}, checked against {self.rule_set_id!r}>"
        )

    def _repr_html_(self) -> str:
        from stratpolicy.display import population_html

        return population_html(self)


# -- helpers ----------------------------------------------------------------------------------


def _check_policy(missing: str) -> None:
    if missing not in MISSING_POLICIES:
        raise SchemaError(
            [
                Problem(
                    "missing",
                    f"must be 'error' or 'default', got {describe(missing)}",
                    SchemaError,
                )
            ]
        )


def _weight_allowed(rule_set: RuleSet, weight: str | None) -> bool:
    if weight is None:
        return False
    if not isinstance(weight, str) or not weight:
        raise SchemaError(
            [
                Problem(
                    "weight", f"must be a column name or None, got {describe(weight)}", SchemaError
                )
            ]
        )
    if weight in rule_set.input_names or _WEIGHT_INPUT in rule_set.input_names:
        raise SchemaError(
            [
                Problem(
                    "weight",
                    f"rule set {rule_set.id!r} has an input named {weight!r} or 'weight'; name "
                    "the weight column otherwise, or pass weight=None",
                    SchemaError,
                )
            ]
        )
    return True


def _extract(column: Any, kind: str, name: str) -> tuple[Any, Any]:
    """A column as a numpy array and its missing mask (``None``: nothing missing)."""
    import numpy as np

    if kind == "arrow":
        column = column.to_pandas()
        kind = "pandas"
    if kind == "pandas":
        dtype = column.dtype
        if str(dtype) == "category":
            codes = column.cat.codes.to_numpy()
            labels = np.asarray(column.cat.categories, dtype=object)
            values = np.empty(len(codes), dtype=object)
            present = codes >= 0
            values[present] = labels[codes[present]]
            return values, ~present if not present.all() else None
        if getattr(dtype, "kind", "O") in "fiu" and str(dtype) != "bool":
            array = column.to_numpy(dtype=np.float64, na_value=np.nan)
            nan = np.isnan(array)
            return array, nan if nan.any() else None
        if str(dtype) in ("bool", "boolean"):
            nulls = column.isna().to_numpy()
            array = column.to_numpy(dtype=object) if nulls.any() else column.to_numpy(dtype=bool)
            return array, nulls if nulls.any() else None
        array = column.to_numpy(dtype=object)
        nulls = np.asarray(column.isna().to_numpy(), dtype=bool)
        return array, nulls if nulls.any() else None
    # a mapping's column
    if isinstance(column, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(column)
        data = np.ma.getdata(column)
        return data, mask if mask.any() else None
    if isinstance(column, np.ndarray):
        array = column
    elif isinstance(column, (list, tuple)):
        kinds = {type(v) for v in column}
        if len(kinds) <= 1 or kinds <= {int, float}:
            array = np.asarray(column)
            if array.ndim != 1:
                array = np.empty(len(column), dtype=object)
                array[:] = list(column)
        else:
            array = np.empty(len(column), dtype=object)
            array[:] = list(column)
    else:
        raise SchemaError(
            [
                Problem(
                    f"columns.{name}",
                    f"must be a column (a list or a one-dimensional array), got {describe(column)}",
                    SchemaError,
                )
            ]
        )
    if array.ndim != 1:
        raise SchemaError(
            [Problem(f"columns.{name}", "must be a one-dimensional column", SchemaError)]
        )
    if array.dtype.kind == "f":
        nan = np.isnan(array)
        return array, nan if nan.any() else None
    if array.dtype.kind == "O":
        mask = np.fromiter(
            (v is None or (isinstance(v, float) and v != v) for v in array.tolist()),
            dtype=bool,
            count=array.shape[0],
        )
        return array, mask if mask.any() else None
    return array, None


def _convert(values: Any, info: Input) -> Any:
    """A checked column in the population's own form."""
    import numpy as np

    if info.type is ValueType.CATEGORY:
        import pandas as pd

        texts = [v.value if hasattr(v, "value") else v for v in np.asarray(values, dtype=object)]
        codes = pd.Categorical(texts, categories=pd.Index(info.categories)).codes
        return np.asarray(codes, dtype=np.intp)
    if info.type is ValueType.BOOL:
        return np.asarray(values, dtype=bool)
    return np.ascontiguousarray(np.asarray(values, dtype=np.float64))
