"""The ``evaluate`` command: a rule set on one record (YAML/JSON/TOML) or many (CSV, a list).

One record (a mapping) is evaluated with :meth:`RuleSet.evaluate`; a population -- a CSV
file (read by :func:`stratpolicy.rules.read_table`) or a JSON/YAML list of records -- with
:meth:`RuleSet.evaluate_many`. Output:

* text (default): each output with its unit (``rd_credit = 430,000,000 KRW``), per record;
* ``--format json``: for one record its explanation record; for a population a list of
  records (the inputs given, then the outputs; ``null`` where not given or not set);
* ``--explain``: for one record the readable explanation (text) or the record (JSON); for
  a population one explanation record per row, as JSON Lines.

Bad input raises the library's errors (a :class:`~stratpolicy.errors.DataError`: exit
status 1, every problem listed, rows located by their line in the file); a missing file or
an unknown rule set is a :class:`UserError` (status 1).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stratpolicy import catalogs, io
from stratpolicy.cli._common import UserError
from stratpolicy.errors import DataError, Problem, SchemaError

if TYPE_CHECKING:
    from stratpolicy.rules import PopulationTable, RuleSet

__all__ = ["load_rule_set", "parse_date", "run_evaluate"]

_DOCUMENTS = (".json", ".yaml", ".yml", ".toml")


def parse_date(text: str) -> dt.date:
    """An ISO date given on the command line."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"--on: expected a date as YYYY-MM-DD, got {text!r}") from None


def load_rule_set(name_or_path: str) -> RuleSet:
    """A built-in rule set by catalog name, or a rule set document."""
    from stratpolicy.rules import RuleSet

    path = Path(name_or_path)
    if not path.exists() and name_or_path in catalogs.names():
        if catalogs.kind(name_or_path) != "rule_set":
            raise UserError(f"catalog {name_or_path!r} is not a rule set")
        built_in: RuleSet = catalogs.get(name_or_path)
        return built_in
    if not path.is_file():
        known = ", ".join(catalogs.names("rule_set"))
        raise UserError(f"no such file or built-in rule set: {name_or_path} (built in: {known})")
    rule_set: RuleSet = io.load(path, RuleSet)
    return rule_set


def run_evaluate(
    rule_set_arg: str,
    facts_arg: str,
    on: dt.date,
    explain: bool,
    fmt: str,
    *,
    columns: Mapping[str, str] | None = None,
    extra: str = "error",
) -> str:
    """Run the command and return what it prints.

    Args:
        rule_set_arg: A rule set file or a built-in rule set's name.
        facts_arg: A YAML/JSON/TOML record, a JSON/YAML list of records, or a CSV file.
        on: The evaluation date.
        explain: Explain every output (JSON Lines, one record per row, for a population).
        fmt: ``"text"`` or ``"json"``.
        columns: For a population, column name -> input name.
        extra: For a population, ``"error"`` or ``"ignore"`` for columns that are not
            inputs.

    Raises:
        UserError: No such file or rule set.
        DataError: Bad facts (every problem, rows located in the file).
    """
    from stratpolicy.rules import PopulationTable, read_table

    rule_set = load_rule_set(rule_set_arg)
    path = Path(facts_arg)
    if not path.is_file():
        raise UserError(f"no such file: {path}" + (" (a directory)" if path.is_dir() else ""))
    if path.suffix.lower() in _DOCUMENTS:
        data = _read_document(path)
        if isinstance(data, Mapping):
            return _one(rule_set, data, on, explain, fmt, str(path))
        if not isinstance(data, list):
            raise SchemaError(
                [Problem("", "expected a mapping of facts, or a list of them", SchemaError)],
                source=str(path),
            )
        table = PopulationTable.from_records(
            data, rule_set, columns=columns, extra=extra, source=str(path)
        )
    else:
        table = read_table(path, rule_set, columns=columns, extra=extra)
    return _many(rule_set, table, on, explain, fmt)


def _read_document(path: Path) -> Any:
    return io.read_data(path)


# -- one record --------------------------------------------------------------------------------


def _one(
    rule_set: RuleSet, facts: Mapping[Any, Any], on: dt.date, explain: bool, fmt: str, source: str
) -> str:
    try:
        decision = rule_set.evaluate(facts, on=on)
    except DataError as exc:
        raise DataError.from_problems(exc.problems, source=source) from None
    if fmt == "json":
        return json.dumps(_clean(decision.to_dict()), ensure_ascii=False, indent=2) + "\n"
    if explain:
        return str(decision.explain()) + "\n"
    lines = [f"{rule_set.id} on {on.isoformat()}"]
    lines += _output_lines(rule_set, decision.outputs, indent="  ")
    lines.append(f"  rules fired: {', '.join(decision.fired) or 'none'}")
    return "\n".join(lines) + "\n"


def _output_lines(rule_set: RuleSet, values: Mapping[str, Any], indent: str) -> list[str]:
    return [
        f"{indent}{name} = {show(values.get(name), rule_set.unit_of(name))}"
        for name in rule_set.output_names
    ]


def show(value: Any, unit: str = "") -> str:
    """A value for people: ``430,000,000 KRW``, ``0.43``, ``sme``, ``true``, ``not set``."""
    from stratpolicy.rules import format_value

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not set"
    if isinstance(value, str):
        return value
    return format_value(value, unit)


def _clean(value: Any) -> Any:
    """A value for JSON: floats to 15 significant digits (no float noise), NaN as null.

    Applied through lists and mappings, so that an explanation record is cleaned too.
    """
    if hasattr(value, "item") and not isinstance(value, Mapping):
        value = value.item()
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return float(f"{value:.15g}")
    if isinstance(value, Mapping):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


# -- a population --------------------------------------------------------------------------------


def _many(rule_set: RuleSet, table: PopulationTable, on: dt.date, explain: bool, fmt: str) -> str:
    try:
        result = rule_set.evaluate_many(table, on=on)
    except DataError as exc:
        raise _located(exc, table) from None
    inputs = [name for name in rule_set.input_names if name in table]
    rows = [_row_facts(table, inputs, row) for row in range(table.rows)]
    if explain:
        out = []
        for row, facts in enumerate(rows):
            explained = {"row": row, **_clean(rule_set.evaluate(facts, on=on).to_dict())}
            out.append(json.dumps(explained, ensure_ascii=False))
        return "".join(line + "\n" for line in out)
    outputs = list(rule_set.output_names)
    if fmt == "json":
        records = []
        for row, facts in enumerate(rows):
            record: dict[str, Any] = {name: _clean(facts.get(name)) for name in inputs}
            record.update({name: _clean(result[name][row]) for name in outputs})
            records.append(record)
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    lines = [f"{rule_set.id} on {on.isoformat()}: {table.rows} row{'s' if table.rows != 1 else ''}"]
    for row in range(table.rows):
        lines.append(f"row {row} ({table.where(row)})")
        values = {name: _value(result[name][row]) for name in outputs}
        lines += _output_lines(rule_set, values, indent="  ")
        fired = [rule for rule, mask in result.fired.items() if mask[row]]
        lines.append(f"  rules fired: {', '.join(fired) or 'none'}")
    return "\n".join(lines) + "\n"


def _value(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _row_facts(table: PopulationTable, inputs: list[str], row: int) -> dict[str, Any]:
    import numpy as np

    facts: dict[str, Any] = {}
    for name in inputs:
        column = table[name]
        if isinstance(column, np.ma.MaskedArray) and np.ma.getmaskarray(column)[row]:
            continue
        facts[name] = _value(np.ma.getdata(column)[row])
    return facts


def _located(exc: DataError, table: PopulationTable) -> DataError:
    """The error with each row's line in the file, and the file named."""
    problems = []
    for problem in exc.problems:
        path = problem.path
        message = problem.message
        if path.startswith("rows[") and "]" in path:
            try:
                row = int(path[len("rows[") : path.index("]")])
            except ValueError:  # pragma: no cover - the library writes rows[<int>]
                row = -1
            if row >= 0:
                message = f"{message} ({table.where(row)})"
        problems.append(Problem(path, message, problem.kind))
    return DataError.from_problems(problems, source=table.source)
