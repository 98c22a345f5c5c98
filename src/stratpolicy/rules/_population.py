"""Evaluate a rule set over a population: columns in, numpy arrays out.

numpy is imported here, on the first call of :meth:`RuleSet.evaluate_many`; pandas and
pyarrow are never imported by this module -- a DataFrame or an arrow Table is recognised
by its type and read through its own methods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from stratpolicy.errors import DataError, EvaluationError, Problem, ValidationError
from stratpolicy.rules import _ir as ir
from stratpolicy.rules._codegen import make_function
from stratpolicy.rules._engine import Engine, Regime, as_date
from stratpolicy.rules._facts import coerce_output, is_quantity, quantity_to_unit
from stratpolicy.rules._plan import InputInfo, Plan
from stratpolicy.rules._runtime import Poison
from stratpolicy.rules._spec import PythonRule, ValueType
from stratpolicy.rules._vector import VectorCode, compile_vector

if TYPE_CHECKING:
    from stratpolicy.rules._ruleset import RuleSet

__all__ = ["PopulationResult", "evaluate_many"]

_F64 = np.dtype(np.float64)


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


def _check(poison: Any) -> None:
    if poison is None:
        return
    flat = np.atleast_1d(poison)
    if flat.any():
        raise Poison(int(np.flatnonzero(flat)[0]) if flat.shape[0] > 1 else 0)


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
    "CHECK": _check,
    "MASK": _mask,
}


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

    def _python_rule(
        self, r: int, values: dict[str, Any], poisons: dict[str, Any], all_rows: Any
    ) -> tuple[Any, ...]:
        plan = self.plan
        info = plan.rules[r]
        rule = info.rule
        assert isinstance(rule, PythonRule)
        n = all_rows.shape[0]
        outs = [plan.outputs[k] for k, _, _ in info.outputs]
        decoded = {name: self._decode(name, v) for name, v in values.items()}
        if rule.vector_function is not None:
            for p in poisons.values():
                _check(p)
            result: Any = rule.vector_function(**decoded)
            fired_raw, produced = result
            fired = np.logical_and(all_rows, np.asarray(fired_raw).astype(bool))
            arrays = []
            for out in outs:
                column = np.broadcast_to(produced[out.name], (n,))
                arrays.append(self._encode_output(out, column, fired))
            return (fired, *arrays)
        fired = np.zeros(n, dtype=bool)
        columns: list[list[Any]] = [[None] * n for _ in outs]
        for row in range(n):
            kwargs = {}
            for name, column in decoded.items():
                poison = poisons.get(name)
                if poison is not None and bool(
                    np.atleast_1d(poison)[row if np.ndim(poison) else 0]
                ):
                    raise Poison(row)
                kwargs[name] = column[row] if isinstance(column, np.ndarray) else column
            try:
                result = rule.function(**kwargs)
                if result is None:
                    continue
                fired[row] = True
                for slot, out in enumerate(outs):
                    if not isinstance(result, Mapping) or out.name not in result:
                        raise Poison(row)
                    columns[slot][row] = coerce_output(result[out.name], out, info.path)
            except (DataError, Exception):
                raise Poison(row) from None
        arrays = [
            self._encode_output(out, np.asarray(col, dtype=object), fired)
            for out, col in zip(outs, columns, strict=True)
        ]
        return (fired, *arrays)

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

    def _encode_output(self, out: Any, column: Any, fired: Any) -> Any:
        if out.vtype is ValueType.CATEGORY:
            codes = self.plan.codes
            default = codes[str(out.default)]
            return np.array(
                [codes[str(v)] if f else default for v, f in zip(column, fired, strict=True)],
                dtype=np.intp,
            )
        if out.vtype is ValueType.BOOL:
            return np.array([bool(v) if f else False for v, f in zip(column, fired, strict=True)])
        return np.array(
            [float(v) if f else np.nan for v, f in zip(column, fired, strict=True)],
            dtype=np.float64,
        )


# -- reading tables ----------------------------------------------------------------------------


def _kind(table: Any) -> str:
    module = type(table).__module__
    if module.startswith("pandas") and hasattr(table, "columns"):
        return "pandas"
    if module.startswith("pyarrow") and hasattr(table, "column_names"):
        return "arrow"
    if isinstance(table, Mapping):
        return "mapping"
    raise ValidationError(
        [
            Problem(
                "table",
                "expected a mapping of columns, a pandas DataFrame or a pyarrow Table, "
                f"got {type(table).__name__}",
            )
        ]
    )


def _has(table: Any, kind: str, name: str) -> bool:
    if kind == "arrow":
        return name in table.column_names
    if kind == "pandas":
        return name in table.columns
    return name in table


def _rows(table: Any, kind: str) -> int | None:
    if kind == "arrow":
        return int(table.num_rows)
    if kind == "pandas":
        return len(table)
    for value in table.values():
        try:
            return len(value)
        except TypeError:
            continue
    return None


def _fail_row(row: int, path: str, message: str) -> ValidationError:
    return ValidationError([Problem(f"rows[{row}].{path}", message)])


def _first_bad(bad: Any) -> int:
    return int(np.flatnonzero(bad)[0])


def _numbers(info: InputInfo, column: Any, kind: str, scalar: Any) -> Any:
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
    array = np.asarray(column)
    if array.dtype.kind in "fiu":
        values = array.astype(np.float64, copy=False)
    else:  # booleans, objects, text: check each value as the scalar path does
        values = np.empty(array.shape[0], dtype=np.float64)
        for row, item in enumerate(array.tolist()):
            _raise_at(row, scalar, item, info.index)
            values[row] = scalar(item, info.index)
        return values
    finite = np.isfinite(values)
    if not finite.all():
        row = _first_bad(~finite)
        raise _fail_row(row, path, f"must be a finite number, got {values[row]!r}")
    return values


def _booleans(info: InputInfo, column: Any, kind: str, scalar: Any) -> Any:
    if kind == "arrow":
        column = column.to_numpy(zero_copy_only=False)
    elif kind == "pandas":
        column = (
            column.to_numpy(dtype=bool)
            if str(column.dtype) == "bool"
            else column.to_numpy(dtype=object)
        )
    array = np.asarray(column)
    if array.dtype == np.bool_:
        return array
    values = np.empty(array.shape[0], dtype=bool)
    for row, item in enumerate(array.tolist()):
        _raise_at(row, scalar, item, info.index)
        values[row] = scalar(item, info.index)
    return values


def _raise_at(row: int, scalar: Any, item: Any, index: int) -> None:
    """Raise the scalar path's error for ``item``, at ``rows[row]``."""
    try:
        scalar(item, index)
    except DataError as exc:
        raise DataError.from_problems([p.at(f"rows[{row}]") for p in exc.problems]) from None


def _categories(plan: Plan, info: InputInfo, column: Any, kind: str, scalar: Any) -> Any:
    codes = plan.codes
    allowed = info.categories

    def through(categories: list[Any], positions: Any) -> Any:
        # positions index ``categories``; -1 means missing
        table = np.full(len(categories) + 1, -1, dtype=np.intp)
        for i, c in enumerate(categories):
            text = c.value if hasattr(c, "value") and isinstance(c.value, str) else c
            if isinstance(text, str) and text in allowed:
                table[i] = codes[text]
        out = table[np.asarray(positions, dtype=np.intp)]
        if (out < 0).any():
            row = _first_bad(out < 0)
            position = int(np.asarray(positions)[row])
            _raise_at(row, scalar, categories[position] if position >= 0 else None, info.index)
        return out

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
    array = np.asarray(column)
    if array.dtype.kind in "UT":
        out = np.full(array.shape[0], -1, dtype=np.intp)
        for text in allowed:
            out[array == text] = codes[text]
        if (out < 0).any():
            row = _first_bad(out < 0)
            _raise_at(row, scalar, str(array[row]), info.index)
        return out
    lookup = {c: codes[c] for c in allowed}
    get = lookup.get
    out = np.fromiter(
        (get(v, -1) if type(v) is str else -1 for v in array.tolist()),
        dtype=np.intp,
        count=array.shape[0],
    )
    if (out < 0).any():
        items = array.tolist()
        for bad in np.flatnonzero(out < 0):
            row = int(bad)
            _raise_at(row, scalar, items[row], info.index)
            out[row] = codes[scalar(items[row], info.index)]
    return out


def _prepare(
    engine: Engine, table: Any, columns: Mapping[str, str] | None
) -> tuple[list[Any], list[Any], int, list[bool]]:
    plan = engine.plan
    kind = _kind(table)
    columns = dict(columns or {})
    n: int | None = None
    xs: list[Any] = []
    ms: list[Any] = []
    present: list[bool] = []
    helpers = engine.helpers
    for info in plan.inputs:
        name = columns.get(info.name, info.name)
        if not _has(table, kind, name):
            present.append(False)
            if info.vtype is ValueType.CATEGORY:
                xs.append(plan.codes[str(info.default)] if info.default is not None else 0)
            elif info.default is not None:
                xs.append(info.default)
            else:
                xs.append(False if info.vtype is ValueType.BOOL else 0.0)
            ms.append(True if info.default is None else None)
            continue
        present.append(True)
        column = table.column(name) if kind == "arrow" else table[name]
        if info.vtype in (ValueType.NUMBER, ValueType.MONEY):
            values = _numbers(info, column, kind, helpers["CNUM"])
        elif info.vtype is ValueType.BOOL:
            values = _booleans(info, column, kind, helpers["CBOOL"])
        else:
            values = _categories(plan, info, column, kind, helpers["CCAT"])
        if values.ndim != 1:
            raise ValidationError([Problem(f"table.{name}", "must be a one-dimensional column")])
        if n is None:
            n = values.shape[0]
        elif values.shape[0] != n:
            raise ValidationError(
                [Problem(f"table.{name}", f"has {values.shape[0]} rows, other columns have {n}")]
            )
        xs.append(values)
        ms.append(None)
    if n is None:
        n = _rows(table, kind)
        if n is None:
            raise ValidationError([Problem("table", "cannot tell the number of rows")])
    return xs, ms, n, present


def _row_facts(plan: Plan, xs: list[Any], present: list[bool], row: int) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for info, column, here in zip(plan.inputs, xs, present, strict=True):
        if not here:
            continue
        value = column[row]
        if info.vtype is ValueType.CATEGORY:
            facts[info.name] = plan.vocab[int(value)]
        elif info.vtype is ValueType.BOOL:
            facts[info.name] = bool(value)
        else:
            facts[info.name] = float(value)
    return facts


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

    def __getitem__(self, name: str) -> Any:
        return self._outputs[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._outputs)

    def __len__(self) -> int:
        return len(self._outputs)

    def to_pandas(self, index: Any = None) -> Any:
        """The outputs as a pandas DataFrame (imports pandas)."""
        import pandas as pd

        return pd.DataFrame(dict(self._outputs), index=index)

    def __repr__(self) -> str:
        n = next(iter(self._outputs.values())).shape[0] if self._outputs else 0
        names = list(self._outputs)
        return f"<PopulationResult {self.rule_set_id!r} on {self.on}: {n} rows, outputs {names}>"


def evaluate_many(
    rs: RuleSet, table: Any, *, on: dt.date, columns: Mapping[str, str] | None = None
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
    xs, ms, n, present = _prepare(engine, table, columns)
    all_rows = np.ones(n, dtype=bool)
    try:
        with np.errstate(all="ignore"):
            outs, masks, flags = kernel.fn(xs, ms, all_rows)
    except Poison as poison:
        facts = _row_facts(plan, xs, present, poison.row)
        try:
            engine.diagnose(facts, day, regime, strict=False)
        except DataError as exc:
            raise DataError.from_problems(
                [p.at(f"rows[{poison.row}]") for p in exc.problems]
            ) from None
        raise EvaluationError(
            [Problem(f"rows[{poison.row}]", "evaluation failed", EvaluationError)]
        ) from None
    vocab = np.asarray(plan.vocab, dtype=object)
    inputs = {id(x) for x in xs if isinstance(x, np.ndarray)}
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
