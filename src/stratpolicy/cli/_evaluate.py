"""The ``evaluate`` command: a rule set on one record (YAML/JSON) or many (CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io as _io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stratpolicy import catalogs, io
from stratpolicy.cli._common import UserError
from stratpolicy.errors import DataError, Problem, SchemaError

if TYPE_CHECKING:
    from stratpolicy.rules import RuleSet

__all__ = ["load_rule_set", "parse_date", "run_evaluate"]

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


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


def _read_records(path: Path) -> dict[str, Any] | list[dict[str, Any]]:
    if not path.is_file():
        raise UserError(f"no such file: {path}")
    data = io.read_data(path)
    if isinstance(data, dict):
        return data
    if isinstance(data, list) and all(isinstance(r, dict) for r in data):
        return data
    raise SchemaError(
        [Problem("", "expected a mapping of facts, or a list of them", SchemaError)],
        source=str(path),
    )


def _read_csv(path: Path, rule_set: RuleSet) -> dict[str, list[Any]]:
    """CSV columns typed by the rule set's declared inputs; unknown columns are kept as text."""
    types = {i.name: i.type.value for i in rule_set.inputs}
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise DataError([Problem("", "the CSV file has no records", SchemaError)], source=str(path))
    problems: list[Problem] = []
    columns: dict[str, list[Any]] = {name: [] for name in rows[0]}
    for number, row in enumerate(rows):
        for name, text in row.items():
            kind = types.get(name, "text")
            value: Any = text
            if kind in ("number", "money"):
                try:
                    value = float(text)
                except ValueError:
                    problems.append(
                        Problem(
                            f"rows[{number}].{name}",
                            f"expected a number, got {text!r}",
                            SchemaError,
                        )
                    )
            elif kind == "bool":
                if text.strip().lower() not in _TRUE | _FALSE:
                    problems.append(
                        Problem(
                            f"rows[{number}].{name}",
                            f"expected true or false, got {text!r}",
                            SchemaError,
                        )
                    )
                value = text.strip().lower() in _TRUE
            columns[name].append(value)
    if problems:
        raise DataError.from_problems(problems, source=str(path))
    return columns


def run_evaluate(rule_set_arg: str, facts_arg: str, on: dt.date, explain: bool, fmt: str) -> str:
    """Run the command and return what it prints."""
    rule_set = load_rule_set(rule_set_arg)
    path = Path(facts_arg)
    if path.suffix.lower() == ".csv":
        if not path.is_file():
            raise UserError(f"no such file: {path}")
        return _evaluate_csv(rule_set, _read_csv(path, rule_set), on, fmt)
    records = _read_records(path)
    if isinstance(records, dict):
        decision = rule_set.evaluate(records, on=on)
        if fmt == "json":
            return json.dumps(decision.to_dict(), ensure_ascii=False, indent=2) + "\n"
        if explain:
            return str(decision.explain()) + "\n"
        lines = [f"{rule_set.id} on {on.isoformat()}"]
        lines += [f"  {name} = {_show(value)}" for name, value in decision.outputs.items()]
        lines.append(f"  rules fired: {', '.join(decision.fired) or 'none'}")
        return "\n".join(lines) + "\n"
    columns: dict[str, list[Any]] = {}
    for number, record in enumerate(records):
        if set(record) != set(records[0]):
            raise SchemaError(
                [Problem(f"[{number}]", "every record must have the same fields", SchemaError)],
                source=str(path),
            )
        for name, value in record.items():
            columns.setdefault(name, []).append(value)
    return _evaluate_csv(rule_set, columns, on, fmt)


def _evaluate_csv(rule_set: RuleSet, columns: dict[str, list[Any]], on: dt.date, fmt: str) -> str:
    import numpy as np

    arrays = {
        name: np.asarray(values) for name, values in columns.items() if name in rule_set.input_names
    }
    result = rule_set.evaluate_many(arrays, on=on)
    n = len(next(iter(columns.values())))
    records = []
    for row in range(n):
        record = {name: columns[name][row] for name in columns}
        values = {name: result[name][row] for name in result}
        # category outputs are strings; numbers and booleans are written as numbers
        record.update({k: v if isinstance(v, str) else float(v) for k, v in values.items()})
        records.append(record)
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    out = _io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1 else f"{value:,.2f}"
    return str(value)
