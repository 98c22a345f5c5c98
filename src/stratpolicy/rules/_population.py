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
import difflib
import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from stratpolicy._checks import parse_iso_date
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
from stratpolicy.rules._vector import EPOCH, VectorCode, compile_vector

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


def _scalar(value: Any) -> Any:
    """A column's value for one row, as the scalar path has it (a date, not a datetime64)."""
    return value.item() if isinstance(value, np.datetime64) else value


def _zsel(cond: Any, value: Any) -> Any:
    """``numpy.where(cond, value, 0.0)``, bit for bit, for a float column.

    The bits of ``value`` where ``cond``, the bits of +0.0 (all zero) elsewhere: a mask of
    all ones or all zeros per row, and a bitwise and -- no branch for the processor to
    mispredict on a random mask (about five times faster than ``numpy.where``). NaN,
    infinities and -0.0 pass through unchanged where ``cond`` holds.
    """
    if not (
        isinstance(value, np.ndarray)
        and value.dtype == np.float64
        and isinstance(cond, np.ndarray)
        and cond.dtype == np.bool_
        and cond.shape == value.shape
    ):
        return np.where(cond, value, 0.0)
    mask = cond.astype(np.int64)
    np.negative(mask, out=mask)
    np.bitwise_and(value.view(np.int64), mask, out=mask)
    return mask.view(np.float64)


def _bits(*tests: Any) -> Any:
    """An index of the tests' truth values, bit ``i`` for test ``i`` (uint8)."""
    index: Any = np.asarray(tests[0], dtype=bool).astype(np.uint8)
    for i, test in enumerate(tests[1:], 1):
        index = index | (np.asarray(test, dtype=bool).astype(np.uint8) << np.uint8(i))
    return index


def _pick(index: Any, values: tuple[Any, ...], pattern: tuple[int, ...]) -> Any:
    """The value each row's index leads to: ``values[pattern[index]]``."""
    return np.array([values[i] for i in pattern])[index]


def _days(start: Any, end: Any) -> Any:
    """``days_between`` over columns of days: a float64 number of days."""
    return np.subtract(end, start, dtype=np.float64)


def _day(days: int) -> dt.date:
    """The date ``days`` after 1970-01-01."""
    return dt.date.fromordinal(days + EPOCH)


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
    "DAYS": _days,
    "BITS": _bits,
    "ZSEL": _zsel,
    "PICK": _pick,
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
        cache: dict[Any, VectorCode] = plan.shared.vector
        key = (regime.active, plan.checked)
        code = cache.get(key)
        if code is None:
            code = compile_vector(plan, regime.active)
            cache[key] = code
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
                for text, number in value.items():
                    if text in plan.codes:  # a key no category equals is never looked up
                        table[plan.codes[text]] = number
                namespace[f"T{p.index}"] = table
            elif isinstance(value, frozenset):
                member = np.zeros(size, dtype=bool)
                member[[plan.codes[m] for m in value if m in plan.codes]] = True
                namespace[f"S{p.index}"] = member
            elif isinstance(value, dt.date):
                namespace[f"p{p.index}"] = value.toordinal() - EPOCH
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
                name: _scalar(column[row]) if isinstance(column, np.ndarray) else column
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
        if info.vtype is ValueType.DATE:  # datetime64[D] columns; a date for one row
            return value.view("datetime64[D]") if isinstance(value, np.ndarray) else _day(value)
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
    if kind == "pandas" and type(column.dtype).__name__ == "StringDtype":
        # pandas' text columns hold str (or a missing value): pandas looks them up in a hash
        # table of the categories, in C; a bad row is re-read from the column
        import pandas as pd

        where = pd.Index(list(allowed), dtype=object).get_indexer(column.to_numpy(dtype=object))
        values, bad, _, _ = through(list(allowed), where)
        return values, bad, _Rows(column), None
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
        out = _encode_text(array, allowed, codes)
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


_CODE_POINTS = 0x110000  # a character of a numpy str_ array is a uint32 below this


def _separating(texts: tuple[str, ...], width: int) -> list[int] | None:
    """At most three character positions whose characters tell ``texts`` apart, or ``None``."""

    def kinds(positions: list[int]) -> int:
        return len({tuple(t[p] if p < len(t) else "" for p in positions) for t in texts})

    candidates = range(min(width, max(len(t) for t in texts) + 1))
    chosen: list[int] = []
    while kinds(chosen) < len(texts):
        if len(chosen) == 3:
            return None
        rest = [p for p in candidates if p not in chosen]
        chosen.append(max(rest, key=lambda p: kinds([*chosen, p])))
    return chosen


@functools.lru_cache(maxsize=256)
def _text_plan(texts: tuple[str, ...], width: int) -> tuple[list[int], int, Any] | None:
    """How to find each row's only possible category: positions, modulus, slot table.

    ``None`` when no three positions tell the categories apart, or no small modulus keeps
    their keys apart (many categories): then a binary search is used.
    """
    if len(texts) > 64:
        return None
    positions = _separating(texts, width)
    if positions is None:
        return None
    keys = []
    for text in texts:
        key = 0
        for p in positions:
            key = key * _CODE_POINTS + (ord(text[p]) if p < len(text) else 0)
        keys.append(key)
    for modulus in range(len(texts), len(texts) + 4096):
        if len({k % modulus for k in keys}) == len(keys):
            slot = np.zeros(modulus, dtype=np.intp)
            for i, key in enumerate(keys):
                slot[key % modulus] = i
            return positions, modulus, slot
    return None


def _encode_text(array: Any, allowed: Sequence[str], codes: Mapping[str, int]) -> Any:
    """The codes of a numpy ``str_`` column (-1 where a value is no allowed category).

    Two passes over the text instead of one comparison per category: the characters at
    (at most three) positions that tell the categories apart name each row's only
    possible category, through a small table; one comparison with that category decides.
    """
    n = array.shape[0]
    width = array.dtype.itemsize // 4
    # a category longer than the column's width, or ending in NUL (which numpy strips from
    # every value), equals no value
    texts = tuple(t for t in allowed if len(t) <= width and not t.endswith("\x00"))
    if array.dtype.kind != "U" or not texts or n == 0:
        out = np.full(n, -1, dtype=np.intp)
        for text in texts:
            out[array == text] = codes[text]
        return out
    plan = _text_plan(texts, width)
    if plan is None:  # a binary search per value
        ordered = sorted(texts)
        sorted_texts = np.array(ordered)
        found = np.minimum(np.searchsorted(sorted_texts, array), len(ordered) - 1)
        table = np.array([codes[t] for t in ordered], dtype=np.intp)
        return np.where(sorted_texts[found] == array, table[found], -1)
    positions, modulus, slot = plan
    if positions:
        chars = np.ascontiguousarray(array).view(np.uint32).reshape(n, width)
        key_of_row = chars[:, positions[0]].astype(np.int64)
        for p in positions[1:]:
            key_of_row *= _CODE_POINTS
            key_of_row += chars[:, p]
        np.remainder(key_of_row, modulus, out=key_of_row)
        candidate = slot[key_of_row]
    else:  # one category: every row's candidate
        candidate = np.zeros(n, dtype=np.intp)
    equal = np.array(texts)[candidate] == array
    out = np.array([codes[t] for t in texts], dtype=np.intp)[candidate]
    out[~equal] = -1
    return out


class _Rows:
    """A pandas column's value in a row, read only for a bad row."""

    __slots__ = ("column",)

    def __init__(self, column: Any) -> None:
        self.column = column

    def __getitem__(self, row: int) -> Any:
        return self.column.iloc[row]


class _Lazy:
    """``categories[positions[row]]`` (``None`` for -1), computed only for a bad row."""

    __slots__ = ("categories", "positions")

    def __init__(self, categories: list[Any], positions: Any) -> None:
        self.categories = categories
        self.positions = positions

    def __getitem__(self, row: int) -> Any:
        position = int(self.positions[row])
        return self.categories[position] if position >= 0 else None


def _datetime_days(array: Any) -> tuple[Any, Any]:
    """Days since 1970-01-01 of a ``datetime64`` array, and the rows that are no day.

    NaT and a time of day are bad rows (a date input takes calendar days only).
    """
    days = array.astype("datetime64[D]")
    bad = np.isnat(array)
    if array.dtype != days.dtype:
        np.logical_or(bad, days != array, out=bad)
    values = days.view(np.int64)
    if bad.any():
        return np.where(bad, 0, values), bad
    return values, None


def _text_days(array: Any) -> tuple[Any, Any] | None:
    """Days of an array of ISO texts, strictly ``YYYY-MM-DD``; ``None`` if numpy cannot read it.

    numpy reads more spellings than the library accepts (``2025-1-1``, ``NaT``, an empty
    text); writing the days back and comparing keeps exactly the canonical ones.
    """
    try:
        days = array.astype("datetime64[D]")
    except (ValueError, TypeError, OverflowError):
        return None
    back = np.datetime_as_string(days, unit="D")
    bad = np.isnat(days) | (back != array)
    values = days.view(np.int64)
    if bad.any():
        return np.where(bad, 0, values), bad
    return values, None


def _dates(info: InputInfo, column: Any, kind: str, scalar: Any) -> Typed:
    """A date input's column: days since 1970-01-01 (int64), bad rows, raw values, missing."""
    if kind == "arrow":
        chunked = column.combine_chunks() if hasattr(column, "combine_chunks") else column
        column = chunked.to_numpy(zero_copy_only=False)
    elif kind == "pandas":
        dtype = column.dtype
        if getattr(dtype, "kind", "O") == "M":  # datetime64, without a time zone
            column = column.to_numpy()
        else:
            column = column.to_numpy(dtype=object)
    array = _array(column, info.name) if kind == "mapping" else np.asarray(column)
    if array.dtype.kind == "M":
        values, bad = _datetime_days(array)
        return values, bad, array, None
    if array.dtype.kind == "U":
        found = _text_days(array)
        if found is not None:
            return found[0], found[1], array, None
    items = array.tolist()
    if items and all(type(v) is dt.date for v in items):  # date objects: numpy converts them
        return np.array(items, dtype="datetime64[D]").view(np.int64), None, array, None
    out, bad, missing = _scan(items, info.index, scalar)
    values = np.array([0 if v is None else v.toordinal() - EPOCH for v in out], dtype=np.int64)
    return values, bad, array, missing


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
    elif info.vtype is ValueType.DATE:
        values, bad, raw, masked = _dates(info, column, kind, helpers["CDATE"])
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
        values = np.where(missing, _kernel_value(plan, info), values)
    return _Column(values, bad, raw, missing)


def _kernel_value(plan: Plan, info: InputInfo) -> Any:
    """An input's default as the kernels hold it (a category's code, a date's day)."""
    if info.vtype is ValueType.CATEGORY:
        return plan.codes[str(info.default)]
    if info.vtype is ValueType.DATE:
        return info.default.toordinal() - EPOCH
    return info.default


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
    engine: Engine,
    table: Any,
    kind: str,
    columns: Mapping[str, str] | None,
    extra: str,
    on_column: object = None,
) -> _Prepared:
    plan = engine.plan
    names = _column_names(table, kind)
    inputs = [i.name for i in plan.inputs]
    if on_column is not None and on_column not in inputs and on_column not in (columns or {}):
        names = [c for c in names if c != on_column]  # the dates column is not an input
    given = resolve_columns(inputs, names, columns, extra)
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
            if info.default is not None:
                prepared.xs.append(_kernel_value(plan, info))
            elif info.vtype in (ValueType.CATEGORY, ValueType.DATE):
                prepared.xs.append(0)
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
            if isinstance(item, np.generic) and not isinstance(item, np.datetime64):
                item = item.item()  # (a datetime64 in ns would become an int)
            facts[info.name] = item
            continue
        value = col.values[row]
        if info.vtype is ValueType.CATEGORY:
            facts[info.name] = plan.vocab[int(value)]
        elif info.vtype is ValueType.DATE:
            facts[info.name] = _day(int(value))
        elif info.vtype is ValueType.BOOL:
            facts[info.name] = bool(value)
        else:
            facts[info.name] = float(value)
    return facts


def _report(engine: Engine, prepared: _Prepared, day: dt.date, regime: Regime, rows: Any) -> None:
    """Raise the scalar path's error for each failing row, up to MAX_REPORTED_ROWS rows."""
    plan = engine.plan

    def error(row: int) -> None:
        engine.diagnose(_row_facts(plan, prepared, row), day, regime, strict=False)

    _raise_rows(rows, error)


def _raise_rows(rows: Any, error: Any) -> None:
    """Collect the error of each failing row (``error(row)`` raises it), then raise them."""
    failing = np.flatnonzero(rows)
    problems: list[Problem] = []
    for row in failing[:MAX_REPORTED_ROWS].tolist():
        try:
            error(row)
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


# -- results -------------------------------------------------------------------------------------


class _Columns(Mapping[str, Any]):
    """Name -> numpy array, each made when it is first read (then kept).

    The kernel's values are kept as it gave them (a category's codes, a constant, a mask
    shared by two rules...); reading one makes the full column a caller owns: decoded,
    broadcast, or copied if the array is a caller's input or was handed out already.
    """

    def __init__(self, n: int, names: list[str], make: Any, handed: set[int]) -> None:
        self._n = n
        self._names = names
        self._index = {name: i for i, name in enumerate(names)}
        self._make = make  # index -> array (not yet owned)
        self._handed = handed  # ids of arrays that may not be handed out as they are
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        found = self._made.get(name)
        if found is None:
            i = self._index[name]
            array = self._make(i)
            if array.shape != (self._n,) or id(array) in self._handed or not array.flags.writeable:
                array = np.array(np.broadcast_to(array, (self._n,)))
            self._handed.add(id(array))
            self._made[name] = found = array
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return f"<{len(self._names)} columns of {self._n} rows: {', '.join(self._names)}>"

    def __reduce__(self) -> Any:
        # the kernel's values cannot travel (a closure over them makes each column): every
        # column is made and a plain dict of them is sent
        return (dict, (dict(self),))

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return {name: np.array(self[name]) for name in self._names}


class PopulationResult(Mapping[str, Any]):
    """The outputs of :meth:`RuleSet.evaluate_many`: output name -> numpy array.

    Number outputs are float64 arrays (NaN where the output is not set), booleans bool
    arrays, categories object arrays of strings. Each array is made when it is first read
    (a category's strings, a constant output's full column), then kept: reading only the
    outputs you need costs only those.

    Attributes:
        on: The evaluation date (``None`` when each row has its own, see ``dates``).
        dates: The evaluation date of each row (``datetime64[D]``), or ``None`` when every
            row is evaluated on ``on``.
        fired: Rule id -> boolean array, True where the rule fired.
    """

    def __init__(
        self,
        rule_set_id: str,
        on: dt.date | None,
        outputs: Mapping[str, Any],
        fired: Mapping[str, Any],
        dates: Any = None,
    ) -> None:
        self.rule_set_id = rule_set_id
        self.on = on
        self.dates = dates
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
        n = self.dates.shape[0] if self.dates is not None else None
        if n is None:
            n = next(iter(self._outputs.values())).shape[0] if self._outputs else 0
        names = list(self._outputs)
        when = f"on {self.on}" if self.on is not None else "on each row's date"
        return f"<PopulationResult {self.rule_set_id!r} {when}: {n} rows, outputs {names}>"


def _results(
    plan: Plan, n: int, outs: list[Any], masks: list[Any], flags: list[Any], handed: set[int]
) -> tuple[_Columns, _Columns]:
    """The outputs and the fired masks of a kernel's results, each made when read."""
    vocab = np.asarray(plan.vocab, dtype=object)

    def output(k: int) -> Any:
        out, value, mask = plan.outputs[k], outs[k], masks[k]
        if out.vtype is ValueType.CATEGORY:
            codes = np.broadcast_to(np.asarray(value, dtype=np.intp), (n,))
            return vocab[codes]
        if out.vtype is ValueType.BOOL:
            return np.asarray(value, dtype=bool)
        array = np.asarray(value, dtype=np.float64)
        if mask is not None and np.any(mask):
            array = np.where(mask, np.nan, array)
        return array

    def fired(r: int) -> Any:
        flag = flags[r]
        return np.zeros(n, dtype=bool) if flag is None else np.asarray(flag, dtype=bool)

    return (
        _Columns(n, [o.name for o in plan.outputs], output, handed),
        _Columns(n, [r.id for r in plan.rules], fired, handed),
    )


# -- evaluation ------------------------------------------------------------------------------------


def _kernel_of(engine: Engine, regime: Regime) -> _Kernel:
    kernel = regime.vector
    if kernel is None:
        kernel = _Kernel(engine, regime)
        regime.vector = kernel
    return kernel  # type: ignore[no-any-return]


def _run(kernel: _Kernel, prepared: _Prepared, rows: Any) -> tuple[Any, Any, Any, list[Any]]:
    """Run a kernel over all rows (``rows`` is ``None``) or over the rows given (indices)."""
    columns = [c for c in prepared.columns if c is not None and c.bad is not None]
    if rows is None:
        n = prepared.n
        xs, ms = prepared.xs, prepared.ms
        bad = [c.bad for c in columns]
    else:
        n = rows.shape[0]
        xs = [x[rows] if isinstance(x, np.ndarray) else x for x in prepared.xs]
        ms = [m[rows] if isinstance(m, np.ndarray) else m for m in prepared.ms]
        bad = [b for b in (c.bad[rows] for c in columns) if b.any()]
    all_rows = np.ones(n, dtype=bool)
    with np.errstate(all="ignore"):
        outs, masks, flags = kernel.fn(xs, ms, all_rows, bad)
    return outs, masks, flags, bad


def _on_column(table: Any, kind: str, on: object) -> object:
    """The name of the column of per-row dates, or ``None`` when ``on`` is one date."""
    if not isinstance(on, str):
        return None
    names = _column_names(table, kind)
    if on in names:
        return on
    if parse_iso_date(on) is not None:
        return None
    close = difflib.get_close_matches(on, [_text(c) for c in names], n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise SchemaError(
        [
            Problem(
                "on",
                f"must be a date (text YYYY-MM-DD) or the name of a column of dates, got "
                f"{shown(on)}, which is neither{hint}",
                SchemaError,
            )
        ]
    )


class _Dates:
    """Per-row evaluation dates: days since 1970-01-01, the rows that are no date."""

    def __init__(self, days: Any, bad: Any, raw: Any) -> None:
        self.days = days
        self.bad = bad  # bool array or None
        self.raw = raw  # the values as given, for the error of a bad row


_MIN_DAY = dt.date.min.toordinal() - EPOCH
_MAX_DAY = dt.date.max.toordinal() - EPOCH


def _read_dates(table: Any, kind: str, name: object) -> _Dates:
    """The column of per-row dates, read as ``on`` is (a datetime counts as its day)."""
    column = table.column(name) if kind == "arrow" else table[name]
    mask = None
    if isinstance(column, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(column)
        column = np.ma.getdata(column)
    if kind == "arrow":
        chunked = column.combine_chunks() if hasattr(column, "combine_chunks") else column
        column = chunked.to_numpy(zero_copy_only=False)
    elif kind == "pandas":
        dtype = column.dtype
        is_naive = getattr(dtype, "kind", "O") == "M" and getattr(dtype, "tz", None) is None
        column = column.to_numpy() if is_naive else column.to_numpy(dtype=object)
    array = _array(column, _text(name)) if kind == "mapping" else np.asarray(column)
    found: tuple[Any, Any] | None = None
    if array.dtype.kind == "M":
        days = array.astype("datetime64[D]")  # a time of day is dropped, as for ``on``
        values = days.view(np.int64)
        bad = np.isnat(days) | (values < _MIN_DAY) | (values > _MAX_DAY)
        found = (values, bad if bad.any() else None)
    elif array.dtype.kind == "U":
        found = _text_days(array)
    if found is None:
        values = np.zeros(array.shape[0], dtype=np.int64)
        bad = np.zeros(array.shape[0], dtype=bool)
        for row, item in enumerate(array.tolist() if array.dtype.kind != "M" else array):
            try:
                values[row] = as_date(item).toordinal() - EPOCH
            except DataError:
                bad[row] = True
        found = (values, bad if bad.any() else None)
    values, bad = found
    raw: Any = array
    if mask is not None and mask.any():
        bad = mask if bad is None else (bad | mask)
        raw = _Masked(array, mask)
    if bad is not None:
        values = np.where(bad, 0, values)
    return _Dates(values, bad, raw)


class _Masked:
    """A column's values, ``numpy.ma.masked`` where masked."""

    __slots__ = ("array", "mask")

    def __init__(self, array: Any, mask: Any) -> None:
        self.array = array
        self.mask = mask

    def __getitem__(self, row: int) -> Any:
        return np.ma.masked if self.mask[row] else self.array[row]


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
    on: object,
    columns: Mapping[str, str] | None = None,
    extra: str = "error",
) -> PopulationResult:
    """Evaluate ``rs`` over the rows of ``table`` (see :meth:`RuleSet.evaluate_many`)."""
    engine: Engine = rs._engine
    plan = engine.plan
    kind = _kind(table)
    on_column = _on_column(table, kind, on)
    if on_column is None:
        day = as_date(on)
        regime = engine.regime(day)
        if regime.fn is None:
            engine.raise_regime(regime)
        kernel = _kernel_of(engine, regime)
        prepared = _prepare(engine, table, kind, columns, extra)
        outs, masks, flags, bad = _run(kernel, prepared, None)
        if bad:
            _report(engine, prepared, day, regime, _union(bad, prepared.n))
        handed = {id(x) for x in prepared.xs if isinstance(x, np.ndarray)}
        out_columns, fired = _results(plan, prepared.n, outs, masks, flags, handed)
        return PopulationResult(rs.id, day, out_columns, fired)
    prepared = _prepare(engine, table, kind, columns, extra, on_column)
    dates = _read_dates(table, kind, on_column)
    if dates.days.shape[0] != prepared.n:
        raise SchemaError(
            [
                Problem(
                    f"table.{_text(on_column)}",
                    f"has {dates.days.shape[0]} rows, the other columns {prepared.n}",
                    SchemaError,
                )
            ]
        )
    return _evaluate_by_row(rs, engine, prepared, dates)


def _evaluate_by_row(
    rs: RuleSet, engine: Engine, prepared: _Prepared, dates: _Dates
) -> PopulationResult:
    """Each row on its own date: the rows of each regime in force run through its kernel.

    The regime is constant between the days on which a rule's validity or a parameter's
    value changes (``Engine.breakpoints``): a binary search finds each row's interval,
    intervals of one regime form a group, a stable sort makes each group contiguous, and
    each group's kernel runs on its slice. An output is put back in row order when it is
    first read.
    """
    plan = engine.plan
    n = prepared.n
    points = np.array([d.toordinal() - EPOCH for d in engine.breakpoints()], dtype=np.int64)
    segment = np.searchsorted(points, dates.days, side="right")
    present = np.bincount(segment, minlength=points.shape[0] + 1)
    group_of = np.full(points.shape[0] + 1, -1, dtype=np.int64)
    regimes: list[Regime] = []
    for k in np.flatnonzero(present).tolist():
        first = int(points[k - 1]) if k > 0 else int(points[0]) - 1 if points.shape[0] else 0
        regime = engine.regime(_day(max(first, _MIN_DAY)))
        if regime.fn is None:  # a rule in force reads a parameter that has no value
            continue
        if regime not in regimes:
            regimes.append(regime)
        group_of[k] = regimes.index(regime)
    group = group_of[segment]
    if dates.bad is not None:
        group[dates.bad] = -1
    failing = [group < 0] if (group < 0).any() else []
    columns = [c for c in prepared.columns if c is not None and c.bad is not None]
    if len(regimes) == 1 and not failing:  # one regime: the rows as they are
        kernel = _kernel_of(engine, regimes[0])
        outs, masks, flags, bad = _run(kernel, prepared, None)
        if bad:
            failing.append(_union(bad, n))
    else:
        # the rows of each group together, in row order within a group (a radix sort on
        # small ids)
        small = group.astype(np.int8) if len(regimes) < 127 else group
        order = np.argsort(small, kind="stable")
        counts = np.bincount(group + 1, minlength=len(regimes) + 1)
        bounds = np.concatenate([[0], np.cumsum(counts)])[1:]  # group g: bounds[g] to [g + 1]
        xs = [x[order] if isinstance(x, np.ndarray) else x for x in prepared.xs]
        ms = [m[order] if isinstance(m, np.ndarray) else m for m in prepared.ms]
        bad_columns = [c.bad[order] for c in columns]
        parts: list[tuple[int, int, Any, Any, Any]] = []
        for g, regime in enumerate(regimes):
            start, end = int(bounds[g]), int(bounds[g + 1])
            if start == end:
                continue
            here = slice(start, end)
            sub = _Prepared(end - start)
            sub.xs = [x[here] if isinstance(x, np.ndarray) else x for x in xs]
            sub.ms = [m[here] if isinstance(m, np.ndarray) else m for m in ms]
            sub.columns = [_Column(b[here], b[here], None, None) for b in bad_columns]
            outs_g, masks_g, flags_g, bad = _run(_kernel_of(engine, regime), sub, None)
            if bad:
                full = np.zeros(n, dtype=bool)
                full[order[here][_union(bad, end - start)]] = True
                failing.append(full)
            parts.append((start, end, outs_g, masks_g, flags_g))
        outs, masks, flags = _assemble(plan, n, order, parts)
    if failing:

        def error(row: int) -> None:
            on = dates.raw[row]
            if isinstance(on, np.generic) and not isinstance(on, np.datetime64):
                on = on.item()
            rs.evaluate(_row_facts(plan, prepared, row), on=on, strict=False)

        _raise_rows(_union(failing, n), error)
    handed = {id(x) for x in prepared.xs if isinstance(x, np.ndarray)}
    out_columns, fired = _results(plan, n, outs, masks, flags, handed)
    return PopulationResult(rs.id, None, out_columns, fired, dates=dates.days.view("datetime64[D]"))


class _Assembled:
    """Item ``k`` of kernels' results over sorted slices of the rows, in row order when read."""

    def __init__(
        self,
        n: int,
        order: Any,
        parts: list[tuple[int, int, Any]],
        dtype: Any,
        fill: Any,
        keep_none: bool,
    ) -> None:
        self.n = n
        self.order = order
        self.parts = parts  # (start, end, the kernel's list)
        self.dtype = dtype  # k -> dtype
        self.fill = fill
        self.keep_none = keep_none  # ``None`` in every part: ``None`` (no mask)

    def __getitem__(self, k: int) -> Any:
        values = [(start, end, items[k]) for start, end, items in self.parts]
        if self.keep_none and all(v is None for _, _, v in values):
            return None
        ordered = np.full(self.n, self.fill, dtype=self.dtype(k))
        for start, end, value in values:
            if value is not None:
                ordered[start:end] = value
        out = np.empty_like(ordered)
        out[self.order] = ordered
        return out


def _assemble(
    plan: Plan, n: int, order: Any, parts: list[tuple[int, int, Any, Any, Any]]
) -> tuple[Any, Any, Any]:
    """The outputs, masks and fired flags of the groups' kernels, each assembled when read."""

    def dtype(k: int) -> Any:
        vtype = plan.outputs[k].vtype
        if vtype is ValueType.CATEGORY:
            return np.intp
        return bool if vtype is ValueType.BOOL else np.float64

    outs = _Assembled(n, order, [(a, b, o) for a, b, o, _, _ in parts], dtype, 0, False)
    masks = _Assembled(n, order, [(a, b, m) for a, b, _, m, _ in parts], lambda k: bool, 0, True)
    flags = _Assembled(n, order, [(a, b, f) for a, b, _, _, f in parts], lambda r: bool, 0, False)
    return outs, masks, flags
