"""Evaluate a rule set over a population: columns in, numpy arrays out.

numpy is imported here, on the first call of :meth:`RuleSet.evaluate_many`; pandas and
pyarrow are never imported by this module -- a DataFrame or an arrow Table is recognised
by its type and read through its own methods.

A population is evaluated in three steps. Every column is checked and converted at once
(the rows with a bad value are remembered, not raised at once); the kernel runs over all
rows and collects the rows it finds failing (see :mod:`._vector`); then, if any row
failed, the first :data:`MAX_REPORTED_ROWS` of them are run through the scalar path's
careful interpreter, one by one, which gives each the exact error :meth:`RuleSet.evaluate`
raises for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from stratpolicy.errors import DataError, EvaluationError, Problem, SchemaError
from stratpolicy.rules import _ir as ir
from stratpolicy.rules._codegen import make_function
from stratpolicy.rules._engine import Engine, Regime, as_date
from stratpolicy.rules._facts import (
    MaskedFact,
    coerce_output,
    is_quantity,
    quantity_to_unit,
)
from stratpolicy.rules._plan import InputInfo, OutputInfo, Plan
from stratpolicy.rules._runtime import MAX_REPORTED_ROWS, shown
from stratpolicy.rules._spec import PythonRule, ValueType
from stratpolicy.rules._table import resolve_columns
from stratpolicy.rules._vector import VectorCode, compile_vector

if TYPE_CHECKING:
    import numpy.typing as npt
    import pandas as pd

    from stratpolicy.rules._ruleset import RuleSet

__all__ = ["PopulationResult", "evaluate_many"]

_INF = float("inf")


# -- poison helpers used by the kernels ------------------------------------------------------


def _por(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return np.logical_or(a, b)


def _pand(mask: Any, poison: Any) -> Any:
    if poison is None:
        return None
    return np.logical_and(mask, poison)


def _pif(test: Any, a: Any, b: Any) -> Any:
    if a is None and b is None:
        return None
    return np.where(test, False if a is None else a, False if b is None else b)


def _ptake(missing: Any, key: Any) -> Any:
    if missing is None:
        return None
    return np.take(missing, key)


def _divp(den: Any) -> Any:
    zero = np.equal(den, 0.0)
    return zero if zero.any() else None


def _nfp(value: Any) -> Any:
    """The rows where ``value`` is NaN or infinite (``None``: none)."""
    if isinstance(value, np.ndarray):
        if value.size == 0:
            return None
        total = np.add.reduce(value, axis=None)
        if -_INF < total < _INF:  # a sum of finite values (or a sum that overflowed)
            return None
        bad = ~np.isfinite(value)
        return bad if bad.any() else None
    return None if -_INF < value < _INF else True


def _check(bad: list[Any], poison: Any) -> None:
    """Remember the rows where ``poison`` is true (a 0-d true: every row)."""
    if poison is None:
        return
    if isinstance(poison, np.ndarray) and poison.ndim:
        if poison.any():
            bad.append(poison)
    elif poison:
        bad.append(True)


def _mask(value: Any, all_rows: Any) -> Any:
    if isinstance(value, np.ndarray) and value.dtype == np.bool_ and value.shape == all_rows.shape:
        return value
    return np.logical_and(all_rows, value)


def _round(x: Any, digits: int) -> Any:
    if digits == 0:
        return np.rint(x)
    if digits > 0:
        f = 10.0**digits
        return np.rint(np.multiply(x, f)) / f
    f = 10.0 ** (-digits)
    return np.rint(np.true_divide(x, f)) * f


_HELPERS: dict[str, Any] = {
    "WHERE": np.where,
    "AND": np.logical_and,
    "OR": np.logical_or,
    "NOT": np.logical_not,
    "FMIN": np.fmin,
    "FMAX": np.fmax,
    "ABS": np.abs,
    "TAKE": np.take,
    "DIV": np.true_divide,
    "NAN": float("nan"),
    "ROUND": _round,
    "POR": _por,
    "PAND": _pand,
    "PIF": _pif,
    "PTAKE": _ptake,
    "DIVP": _divp,
    "NFP": _nfp,
    "CHECK": _check,
    "MASK": _mask,
}


def _union(bad: list[Any], n: int) -> Any:
    rows = np.zeros(n, dtype=bool)
    for poison in bad:
        np.logical_or(rows, poison, out=rows)
    return rows


# -- the kernel of a regime --------------------------------------------------------------------


class _Kernel:
    """A regime's numpy kernel with its date-dependent tables."""

    def __init__(self, engine: Engine, regime: Regime) -> None:
        plan = engine.plan
        self.plan = plan
        self.regime = regime
        cache: dict[tuple[bool, ...], VectorCode] = engine.vector_codes
        code = cache.get(regime.active)
        if code is None:
            code = compile_vector(plan, regime.active)
            cache[regime.active] = code
        size = len(plan.vocab)
        namespace: dict[str, Any] = dict(_HELPERS)
        for name, codes in code.constants.items():
            table = np.zeros(size, dtype=bool)
            table[list(codes)] = True
            namespace[name] = table
        for p, resolved in zip(plan.params, regime.params, strict=True):
            if resolved is None:
                continue
            value = resolved.value
            if isinstance(value, Mapping):
                table = np.full(size, np.nan)
                for key, number in value.items():
                    table[plan.codes[key]] = number
                namespace[f"T{p.index}"] = table
            elif isinstance(value, frozenset):
                member = np.zeros(size, dtype=bool)
                member[[plan.codes[m] for m in value]] = True
                namespace[f"S{p.index}"] = member
            else:
                namespace[f"p{p.index}"] = value
        for site, j, site_key in code.key_sites:
            site_value = regime.params[j]
            assert site_value is not None
            assert isinstance(site_value.value, Mapping)
            mapping = site_value.value
            if isinstance(site_key, ir.Name):  # a category input or output
                kind, index = plan.symbols[site_key.id]
                cats = (
                    plan.inputs[index].categories
                    if kind == "input"
                    else plan.outputs[index].categories
                )
                absent = [c for c in cats if c not in mapping]
                if absent:
                    missing = np.zeros(size, dtype=bool)
                    missing[[plan.codes[c] for c in absent]] = True
                    namespace[f"MK{site}"] = missing
                else:
                    namespace[f"MK{site}"] = None
            else:
                text = site_key.value
                namespace[f"LK{site}"] = mapping.get(text, float("nan"))
                namespace[f"MK{site}"] = None if text in mapping else True
        namespace["PYRULE"] = self._python_rule
        self.fn = make_function(code.code, namespace)
        self.params = regime.params

    # -- Python rules ---------------------------------------------------------------------

    def _python_rule(
        self,
        r: int,
        values: dict[str, Any],
        poisons: dict[str, Any],
        all_rows: Any,
        bad: list[Any],
    ) -> tuple[Any, ...]:
        """Run a Python rule over the rows (its vector form if it has one).

        Rows that failed before (in its arguments or in an earlier rule) are skipped: the
        scalar path never calls the rule for them. Rows the rule itself fails on are added
        to ``bad``. A vector form that raises, or that gives a value the scalar form would
        not (not finite, not of the output's type), is run again row by row, so that the
        results are those of the scalar path.
        """
        plan = self.plan
        info = plan.rules[r]
        rule = info.rule
        assert isinstance(rule, PythonRule)
        n = all_rows.shape[0]
        outs = [plan.outputs[k] for k, _, _ in info.outputs]
        skip = _union([p for p in poisons.values() if p is not None], n)
        if skip.any():
            bad.append(skip.copy())
        np.logical_or(skip, _union(bad, n), out=skip)
        decoded = {name: self._decode(name, v) for name, v in values.items()}
        fired = np.zeros(n, dtype=bool)
        arrays = [self._empty(out, n) for out in outs]
        redo = ~skip
        if rule.vector_function is not None:
            try:
                fired, arrays, redo = self._vector_rule(rule, outs, decoded, all_rows)
            except Exception:  # the row-by-row form decides
                fired = np.zeros(n, dtype=bool)
                arrays = [self._empty(out, n) for out in outs]
                redo = np.ones(n, dtype=bool)
            np.logical_and(redo, ~skip, out=redo)
        failed = np.zeros(n, dtype=bool)
        for row in np.flatnonzero(redo).tolist():
            kwargs = {
                name: column[row] if isinstance(column, np.ndarray) else column
                for name, column in decoded.items()
            }
            try:
                result = rule.function(**kwargs)
                if result is None:
                    fired[row] = False
                    continue
                if not isinstance(result, Mapping):
                    raise TypeError("not a mapping")
                got = [coerce_output(result[out.name], out, info.path) for out in outs]
            except Exception:  # the careful path reports it
                failed[row] = True
                continue
            fired[row] = True
            for array, out, value in zip(arrays, outs, got, strict=True):
                array[row] = plan.codes[str(value)] if out.vtype is ValueType.CATEGORY else value
        if failed.any():
            bad.append(failed)
        return (fired, *arrays)

    def _vector_rule(
        self, rule: PythonRule, outs: list[OutputInfo], decoded: dict[str, Any], all_rows: Any
    ) -> tuple[Any, list[Any], Any]:
        """The vector form's results, with the rows to run again row by row."""
        assert rule.vector_function is not None
        n = all_rows.shape[0]
        result: Any = rule.vector_function(**decoded)
        fired_raw, produced = result
        fired_given = np.broadcast_to(np.asarray(fired_raw), (n,))
        if fired_given.dtype != np.bool_:
            raise TypeError("the fired mask must be booleans")
        fired = np.logical_and(all_rows, fired_given)
        redo = np.zeros(n, dtype=bool)
        arrays = []
        codes = self.plan.codes
        for out in outs:
            column = np.broadcast_to(np.asarray(produced[out.name]), (n,))
            if out.vtype in (ValueType.NUMBER, ValueType.MONEY):
                if column.dtype.kind not in "fiu":
                    raise TypeError("not numbers")
                numbers = column.astype(np.float64)
                ok = np.isfinite(numbers)
                redo |= fired & ~ok
                arrays.append(np.where(fired & ok, numbers, np.nan))
            elif out.vtype is ValueType.BOOL:
                if column.dtype != np.bool_:
                    raise TypeError("not booleans")
                arrays.append(np.logical_and(fired, column))
            else:
                default = codes[str(out.default)]
                allowed = set(out.categories)
                encoded = np.full(n, default, dtype=np.intp)
                for row in np.flatnonzero(fired).tolist():
                    value = column[row]
                    if isinstance(value, str) and value in allowed:
                        encoded[row] = codes[value]
                    else:
                        redo[row] = True
                arrays.append(encoded)
        return fired, arrays, redo

    def _empty(self, out: OutputInfo, n: int) -> Any:
        if out.vtype is ValueType.CATEGORY:
            return np.full(n, self.plan.codes[str(out.default)], dtype=np.intp)
        if out.vtype is ValueType.BOOL:
            return np.zeros(n, dtype=bool)
        return np.full(n, np.nan)

    def _decode(self, name: str, value: Any) -> Any:
        kind, index = self.plan.symbols[name]
        if kind == "param":
            resolved = self.params[index]
            assert resolved is not None
            return resolved.value
        info = self.plan.inputs[index] if kind == "input" else self.plan.outputs[index]
        if info.vtype is ValueType.CATEGORY:
            vocab = np.asarray(self.plan.vocab, dtype=object)
            return vocab[value] if isinstance(value, np.ndarray) else self.plan.vocab[int(value)]
        if info.vtype is ValueType.BOOL:
            return value.astype(bool, copy=False) if isinstance(value, np.ndarray) else bool(value)
        return value if isinstance(value, np.ndarray) else float(value)


# -- reading tables ----------------------------------------------------------------------------


def _kind(table: Any) -> str:
    module = type(table).__module__
    if module.startswith("pandas") and hasattr(table, "columns"):
        return "pandas"
    if module.startswith("pyarrow") and hasattr(table, "column_names"):
        return "arrow"
    if isinstance(table, Mapping):
        return "mapping"
    raise SchemaError(
        [
            Problem(
                "table",
                "expected a mapping of columns, a pandas DataFrame or a pyarrow Table, "
                f"got {type(table).__name__}",
                SchemaError,
            )
        ]
    )


def _column_names(table: Any, kind: str) -> list[Any]:
    if kind == "arrow":
        return list(table.column_names)
    if kind == "pandas":
        return list(table.columns.tolist())
    return list(table.keys())


def _text(name: object) -> str:
    return name if isinstance(name, str) else shown(name)


def _not_a_column(name: str, value: object) -> SchemaError:
    return SchemaError(
        [
            Problem(
                f"table.{name}",
                "must be a column (a list, a tuple or a one-dimensional array with one value "
                f"per row), got a {type(value).__name__}",
                SchemaError,
            )
        ]
    )


def _objects(items: Sequence[Any]) -> Any:
    array = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        array[i] = item
    return array


def _array(value: Any, name: str) -> Any:
    """A mapping's column as a one-dimensional numpy array.

    A list of items of one type (or of ints and floats) becomes a typed array; any other
    list an array of objects, each checked as the scalar path checks a fact -- so that
    ``[1.0, "x"]`` does not turn 1.0 into the text ``'1.0'``, nor ``[True, 2]`` True
    into 1.
    """
    if isinstance(value, np.ndarray):
        array = value
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        items = list(value)
        kinds = {type(item) for item in items}
        if len(kinds) <= 1 or kinds <= {int, float}:
            try:
                array = np.asarray(items)
            except Exception:  # items of different shapes
                array = _objects(items)
            if array.ndim != 1:
                array = _objects(items)
        else:
            array = _objects(items)
    elif hasattr(value, "__array__") and not isinstance(value, str | bytes):
        try:
            array = np.asarray(value)
        except Exception:
            raise _not_a_column(name, value) from None
    else:
        raise _not_a_column(name, value)
    if array.ndim != 1:
        if array.ndim == 0:
            raise _not_a_column(name, value)
        raise SchemaError(
            [Problem(f"table.{name}", "must be a one-dimensional column", SchemaError)]
        )
    return array


class _Column:
    """One input's column, checked: values, the rows with bad values, the rows missing."""

    __slots__ = ("bad", "missing", "raw", "values")

    def __init__(self, values: Any, bad: Any, raw: Any, missing: Any) -> None:
        self.values = values  # float64 / bool / intp codes; placeholders at bad rows
        self.bad = bad  # bool array or None
        self.raw = raw  # the values as given, to re-check a bad row with the scalar path
        self.missing = missing  # bool array (masked entries) or None


def _scan(items: Any, index: int, scalar: Any) -> tuple[list[Any], Any, Any]:
    """Check every item with the scalar path's checker: values, bad rows, masked rows."""
    n = len(items)
    out: list[Any] = [None] * n
    bad = missing = None
    for row, item in enumerate(items):
        try:
            out[row] = scalar(item, index)
        except MaskedFact:  # numpy.ma.masked among the items: a missing fact
            if missing is None:
                missing = np.zeros(n, dtype=bool)
            missing[row] = True
        except DataError:
            if bad is None:
                bad = np.zeros(n, dtype=bool)
            bad[row] = True
    return out, bad, missing


Typed = tuple[Any, Any, Any, Any]  # values, bad rows, raw values, missing rows


def _numbers(info: InputInfo, column: Any, kind: str, scalar: Any) -> Typed:
    path = f"facts.{info.name}"
    if is_quantity(column):
        column = quantity_to_unit(column, info.unit, info.vtype, path)
    if kind == "arrow" and hasattr(column, "to_numpy"):
        column = column.to_numpy()
    elif kind == "pandas":
        dtype = column.dtype
        if getattr(dtype, "kind", "O") in "fiu" and str(dtype) != "bool":
            column = column.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            column = column.to_numpy(dtype=object)
    array = _array(column, info.name) if kind == "mapping" else np.asarray(column)
    if array.dtype.kind in "fiu":
        values = array.astype(np.float64, copy=False)
        if values.shape[0] == 0:
            return values, None, array, None
        low, high = info.low, info.high
        if low is None and high is None:
            ok = bool(np.isfinite(values).all())
        else:  # min and max are NaN if a value is, and fail every comparison then
            smallest, largest = values.min(), values.max()
            ok_low = smallest >= low if low is not None else smallest > -_INF
            ok_high = largest <= high if high is not None else largest < _INF
            ok = bool(ok_low and ok_high)
        if ok:
            return values, None, array, None
        good = np.isfinite(values)
        if low is not None:
            good &= values >= low
        if high is not None:
            good &= values <= high
        bad = ~good
        return np.where(bad, 0.0, values), bad, array, None
    # booleans, objects, text: check each value as the scalar path does
    out, bad, missing = _scan(array.tolist(), info.index, scalar)
    values = np.array([0.0 if v is None else v for v in out], dtype=np.float64)
    return values, bad, array, missing


def _booleans(info: InputInfo, column: Any, kind: str, scalar: Any) -> Typed:
    if kind == "arrow":
        column = column.to_numpy(zero_copy_only=False)
    elif kind == "pandas":
        column = (
            column.to_numpy(dtype=bool)
            if str(column.dtype) == "bool"
            else column.to_numpy(dtype=object)
        )
    array = _array(column, info.name) if kind == "mapping" else np.asarray(column)
    if array.dtype == np.bool_:
        return array, None, array, None
    out, bad, missing = _scan(array.tolist(), info.index, scalar)
    return np.array([bool(v) for v in out], dtype=bool), bad, array, missing


def _categories(plan: Plan, info: InputInfo, column: Any, kind: str, scalar: Any) -> Typed:
    codes = plan.codes
    allowed = info.categories
    placeholder = codes[allowed[0]]

    def through(categories: list[Any], positions: Any) -> Typed:
        # positions index ``categories``; -1 means missing
        table = np.full(len(categories) + 1, -1, dtype=np.intp)
        for i, c in enumerate(categories):
            text = c.value if hasattr(c, "value") and isinstance(c.value, str) else c
            if isinstance(text, str) and text in allowed:
                table[i] = codes[text]
        out = table[np.asarray(positions, dtype=np.intp)]
        raw = _Lazy(categories, positions)
        bad = out < 0
        if bad.any():
            return np.where(bad, placeholder, out), bad, raw, None
        return out, None, raw, None

    if kind == "pandas" and str(column.dtype) == "category":
        return through(list(column.cat.categories), column.cat.codes.to_numpy())
    if kind == "arrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        chunked = column.combine_chunks() if hasattr(column, "combine_chunks") else column
        if pa.types.is_dictionary(chunked.type):
            indices = chunked.indices.to_numpy(zero_copy_only=False)
            if chunked.null_count:
                indices = np.where(chunked.is_null().to_numpy(zero_copy_only=False), -1, indices)
            return through(chunked.dictionary.to_pylist(), indices)
        if pa.types.is_string(chunked.type) or pa.types.is_large_string(chunked.type):
            found = pc.index_in(chunked, value_set=pa.array(list(allowed), type=chunked.type))
            positions = found.fill_null(-1).to_numpy(zero_copy_only=False)
            if (positions < 0).any():
                return through(chunked.to_pylist(), np.arange(len(chunked)))
            return through(list(allowed), positions)
        column = chunked.to_numpy(zero_copy_only=False)
    elif kind == "pandas":
        column = column.to_numpy(dtype=object)
    array = _array(column, info.name) if kind == "mapping" else np.asarray(column)
    if array.dtype.kind in "UT":
        out = np.full(array.shape[0], -1, dtype=np.intp)
        for text in allowed:
            out[array == text] = codes[text]
        bad = out < 0
        if bad.any():
            return np.where(bad, placeholder, out), bad, array, None
        return out, None, array, None
    lookup = {c: codes[c] for c in allowed}
    get = lookup.get
    items = array.tolist()
    out = np.fromiter(
        (get(v, -1) if type(v) is str else -1 for v in items),
        dtype=np.intp,
        count=array.shape[0],
    )
    if (out < 0).any():
        bad = np.zeros(out.shape[0], dtype=bool)
        missing = np.zeros(out.shape[0], dtype=bool)
        for found in np.flatnonzero(out < 0).tolist():
            try:  # enum members and str subclasses are accepted by the scalar path
                out[found] = codes[scalar(items[found], info.index)]
            except MaskedFact:
                out[found] = placeholder
                missing[found] = True
            except DataError:
                out[found] = placeholder
                bad[found] = True
        return out, (bad if bad.any() else None), array, (missing if missing.any() else None)
    return out, None, array, None


class _Lazy:
    """``categories[positions[row]]`` (``None`` for -1), computed only for a bad row."""

    __slots__ = ("categories", "positions")

    def __init__(self, categories: list[Any], positions: Any) -> None:
        self.categories = categories
        self.positions = positions

    def __getitem__(self, row: int) -> Any:
        position = int(self.positions[row])
        return self.categories[position] if position >= 0 else None


def _read_column(plan: Plan, engine: Engine, info: InputInfo, column: Any, kind: str) -> _Column:
    """Check and convert one input's column; a masked entry is a missing fact."""
    helpers = engine.helpers
    mask = None
    if isinstance(column, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(column)
        column = np.ma.getdata(column)
        if mask.ndim != 1 or not mask.any():
            mask = None
    if info.vtype in (ValueType.NUMBER, ValueType.MONEY):
        values, bad, raw, masked = _numbers(info, column, kind, helpers["CNUM"])
    elif info.vtype is ValueType.BOOL:
        values, bad, raw, masked = _booleans(info, column, kind, helpers["CBOOL"])
    else:
        values, bad, raw, masked = _categories(plan, info, column, kind, helpers["CCAT"])
    if values.ndim != 1:  # pragma: no cover - the readers give one-dimensional arrays
        raise SchemaError(
            [Problem(f"table.{info.name}", "must be a one-dimensional column", SchemaError)]
        )
    missing = _or(mask, masked)
    if missing is None:
        return _Column(values, bad, raw, None)
    if bad is not None:
        bad = bad & ~missing
        if not bad.any():
            bad = None
    if info.default is not None:
        fill = plan.codes[str(info.default)] if info.vtype is ValueType.CATEGORY else info.default
        values = np.where(missing, fill, values)
    return _Column(values, bad, raw, missing)


def _or(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return a | b


class _Prepared:
    """The kernel's inputs and what is needed to re-check a row."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.xs: list[Any] = []
        self.ms: list[Any] = []
        self.columns: list[_Column | None] = []


def _prepare(
    engine: Engine, table: Any, columns: Mapping[str, str] | None, extra: str
) -> _Prepared:
    plan = engine.plan
    kind = _kind(table)
    given = resolve_columns(
        [i.name for i in plan.inputs], _column_names(table, kind), columns, extra
    )
    read: list[_Column | None] = []
    n: int | None = None
    first = ""
    for info in plan.inputs:
        name = given.get(info.name)
        if name is None:
            read.append(None)
            continue
        raw = table.column(name) if kind == "arrow" else table[name]
        col = _read_column(plan, engine, info, raw, kind)
        length = col.values.shape[0]
        if n is None:
            n, first = length, _text(name)
        elif length != n:
            raise SchemaError(
                [
                    Problem(
                        f"table.{_text(name)}",
                        f"has {length} rows, column {first!r} has {n}",
                        SchemaError,
                    )
                ]
            )
        read.append(col)
    if n is None:
        n = _row_count(table, kind)
    prepared = _Prepared(n)
    for info, got in zip(plan.inputs, read, strict=True):
        prepared.columns.append(got)
        if got is None:
            if info.vtype is ValueType.CATEGORY:
                prepared.xs.append(plan.codes[str(info.default)] if info.default is not None else 0)
            elif info.default is not None:
                prepared.xs.append(info.default)
            else:
                prepared.xs.append(False if info.vtype is ValueType.BOOL else 0.0)
            prepared.ms.append(True if info.default is None else None)
            continue
        prepared.xs.append(got.values)
        prepared.ms.append(got.missing if info.default is None else None)
    return prepared


def _row_count(table: Any, kind: str) -> int:
    if kind == "arrow":
        return int(table.num_rows)
    if kind == "pandas":
        return len(table)
    for name, value in table.items():  # columns that are not inputs (extra="ignore")
        return int(_array(value, _text(name)).shape[0])
    raise SchemaError(
        [Problem("table", "cannot tell the number of rows: the table has no column", SchemaError)]
    )


def _row_facts(plan: Plan, prepared: _Prepared, row: int) -> dict[str, Any]:
    """The facts of one row as the scalar path would be given them."""
    facts: dict[str, Any] = {}
    for info, col in zip(plan.inputs, prepared.columns, strict=True):
        if col is None:
            continue
        if col.missing is not None and col.missing[row]:
            continue
        if col.bad is not None and col.bad[row]:
            item = col.raw[row]
            facts[info.name] = item.item() if isinstance(item, np.generic) else item
            continue
        value = col.values[row]
        if info.vtype is ValueType.CATEGORY:
            facts[info.name] = plan.vocab[int(value)]
        elif info.vtype is ValueType.BOOL:
            facts[info.name] = bool(value)
        else:
            facts[info.name] = float(value)
    return facts


def _report(engine: Engine, prepared: _Prepared, day: dt.date, regime: Regime, rows: Any) -> None:
    """Raise the scalar path's error for each failing row, up to MAX_REPORTED_ROWS rows."""
    plan = engine.plan
    failing = np.flatnonzero(rows)
    problems: list[Problem] = []
    for row in failing[:MAX_REPORTED_ROWS].tolist():
        facts = _row_facts(plan, prepared, row)
        try:
            engine.diagnose(facts, day, regime, strict=False)
        except DataError as exc:
            problems.extend(p.at(f"rows[{row}]") for p in exc.problems)
            continue
        problems.append(  # pragma: no cover - the kernel and the interpreter disagree
            Problem(f"rows[{row}]", "evaluation failed", EvaluationError)
        )
    more = failing.shape[0] - MAX_REPORTED_ROWS
    if more > 0:
        problems.append(
            Problem(
                "rows",
                f"and {more} more failing row{'s' if more != 1 else ''} "
                f"({failing.shape[0]} in all; the first {MAX_REPORTED_ROWS} are listed)",
                problems[0].kind,
            )
        )
    raise DataError.from_problems(problems)


class PopulationResult(Mapping[str, Any]):
    """The outputs of :meth:`RuleSet.evaluate_many`: output name -> numpy array.

    Number outputs are float64 arrays (NaN where the output is not set), booleans bool
    arrays, categories object arrays of strings.

    Attributes:
        on: The evaluation date.
        fired: Rule id -> boolean array, True where the rule fired.
    """

    def __init__(
        self, rule_set_id: str, on: dt.date, outputs: dict[str, Any], fired: dict[str, Any]
    ) -> None:
        self.rule_set_id = rule_set_id
        self.on = on
        self._outputs = outputs
        self.fired = fired

    def __getitem__(self, name: str) -> npt.NDArray[Any]:
        return self._outputs[name]  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(self._outputs)

    def __len__(self) -> int:
        return len(self._outputs)

    def __eq__(self, other: object) -> bool:
        """Equal: same rule set id, date, outputs and fired masks, array by array.

        Number arrays compare NaN equal to NaN (an output not set in both).
        """
        if self is other:
            return True
        if not isinstance(other, PopulationResult):
            return NotImplemented
        return (
            self.rule_set_id == other.rule_set_id
            and self.on == other.on
            and _same_arrays(self._outputs, other._outputs)
            and _same_arrays(self.fired, other.fired)
        )

    __hash__ = None  # type: ignore[assignment]  # holds (mutable) arrays

    def to_pandas(self, index: Any = None) -> pd.DataFrame:
        """The outputs as a pandas DataFrame (imports pandas)."""
        import pandas as pd

        return pd.DataFrame(dict(self._outputs), index=index)

    def __repr__(self) -> str:
        n = next(iter(self._outputs.values())).shape[0] if self._outputs else 0
        names = list(self._outputs)
        return f"<PopulationResult {self.rule_set_id!r} on {self.on}: {n} rows, outputs {names}>"


def _same_arrays(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    if list(a) != list(b):
        return False
    for name, x in a.items():
        y = b[name]
        if x.shape != y.shape or x.dtype != y.dtype:
            return False
        if not np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
            return False
    return True


def evaluate_many(
    rs: RuleSet,
    table: Any,
    *,
    on: dt.date,
    columns: Mapping[str, str] | None = None,
    extra: str = "error",
) -> PopulationResult:
    """Evaluate ``rs`` over the rows of ``table`` (see :meth:`RuleSet.evaluate_many`)."""
    engine: Engine = rs._engine
    plan = engine.plan
    day = as_date(on)
    regime = engine.regime(day)
    if regime.fn is None:
        engine.raise_regime(regime)
    kernel = regime.vector
    if kernel is None:
        kernel = _Kernel(engine, regime)
        regime.vector = kernel
    prepared = _prepare(engine, table, columns, extra)
    n = prepared.n
    bad: list[Any] = [c.bad for c in prepared.columns if c is not None and c.bad is not None]
    all_rows = np.ones(n, dtype=bool)
    with np.errstate(all="ignore"):
        outs, masks, flags = kernel.fn(prepared.xs, prepared.ms, all_rows, bad)
    if bad:
        _report(engine, prepared, day, regime, _union(bad, n))
    vocab = np.asarray(plan.vocab, dtype=object)
    inputs = {id(x) for x in prepared.xs if isinstance(x, np.ndarray)}
    result: dict[str, Any] = {}
    for out, value, mask in zip(plan.outputs, outs, masks, strict=True):
        if out.vtype is ValueType.CATEGORY:
            codes = np.broadcast_to(np.asarray(value, dtype=np.intp), (n,))
            result[out.name] = vocab[codes]
            continue
        if out.vtype is ValueType.BOOL:
            array = np.asarray(value, dtype=bool)
        else:
            array = np.asarray(value, dtype=np.float64)
            if mask is not None:
                array = np.where(mask, np.nan, array)
        if array.shape != (n,) or id(array) in inputs or not array.flags.writeable:
            array = np.array(np.broadcast_to(array, (n,)))
        result[out.name] = array
    fired = {}
    for info, flag in zip(plan.rules, flags, strict=True):
        fired[info.id] = (
            np.zeros(n, dtype=bool) if flag is None else np.array(np.broadcast_to(flag, (n,)))
        )
    return PopulationResult(rs.id, day, result, fired)
