"""The rules engine: dated parameters, safe expressions, rule sets, explained decisions.

Policy is written as data: :class:`Parameter` schedules (a rate in force from each date
on, keyed by firm size, each value cited), and :class:`Rule` s whose conditions and
outputs are expressions in a small, safe subset of Python's expression syntax. A
:class:`RuleSet` checks everything when it is built (names, types, dependency cycles,
how outputs set by several rules combine), then evaluates

* one case: :meth:`RuleSet.evaluate` returns a :class:`Decision`, whose
  :meth:`~Decision.explain` names for every output the rule, its citation, the
  condition's truth value and the inputs and parameter values (with their effective dates
  and citations) behind it;
* a population: :meth:`RuleSet.evaluate_many` over numpy columns, a pandas DataFrame or a
  pyarrow Table, vectorised, with results (and errors) identical to
  :meth:`RuleSet.evaluate` row by row -- on one date, or each row on the date in a column
  (``on="tax_year_end"``); :func:`read_table` reads one from a CSV file or a list of
  records, typed by the rule set's inputs.

Facts may be dates (``Input(type="date")``): expressions compare them with each other, with
date literals (``date('2025-12-31')``) and date parameters, and measure
``days_between(start, end)``. A :class:`Decision` is a read-only ``dict`` of its outputs.
A reform that changes only parameter values (:meth:`RuleSet.with_parameters`) reuses the
checked rules and the compiled code of the rule set it reforms.

Bad input is refused, never passed on: a fact of the wrong type, outside its input's
``min``/``max``, NaN or infinite; a column that is not an input (a misspelt name); a rule
whose result is not a finite number (an overflow, ``inf - inf``) -- each error names the
input or the rule and, for a population, every failing row up to
:data:`MAX_REPORTED_ROWS`.

:func:`early_warning` applies the same engine to indicator series (technology levels) to
raise dated alerts.

Importing this package does not import numpy or pint: numpy is loaded on the first
:meth:`RuleSet.evaluate_many` (or :func:`read_table`), pint only when a fact is a pint
quantity.

Examples:
    >>> import datetime as dt
    >>> from stratpolicy.rules import Input, Parameter, ParameterSet, ParameterValue, Rule, RuleSet
    >>> rates = ParameterSet(parameters=[Parameter(name="base_rate", values=[
    ...     ParameterValue(start=dt.date(2021, 7, 1), by_key={"sme": 0.40, "large": 0.30})])])
    >>> rs = RuleSet(
    ...     id="demo",
    ...     inputs=[
    ...         Input(name="firm_size", type="category", categories=["sme", "large"]),
    ...         Input(name="expense", type="money", unit="KRW"),
    ...     ],
    ...     parameters=rates,
    ...     rules=[Rule(id="credit", outputs={"credit": "expense * base_rate[firm_size]"})],
    ... )
    >>> rs.evaluate({"firm_size": "sme", "expense": 1e9}, on=dt.date(2025, 1, 1))["credit"]
    400000000.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stratpolicy import io
from stratpolicy._format import format_value
from stratpolicy.rules._decision import (
    SCHEMA_VERSION,
    Decision,
    Explanation,
    OutputTrace,
    RuleTrace,
    UsedValue,
)
from stratpolicy.rules._parameters import (
    Parameter,
    ParameterSet,
    ParameterValue,
    ResolvedParameter,
)
from stratpolicy.rules._parse import (
    FUNCTIONS,
    MAX_BRACKETS,
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NODES,
)
from stratpolicy.rules._ruleset import RuleSet
from stratpolicy.rules._runtime import MAX_REPORTED_ROWS
from stratpolicy.rules._spec import Combine, Input, Output, PythonRule, Rule, ValueType
from stratpolicy.rules._table import (
    BOOLEAN_TEXT,
    DELIMITERS,
    PopulationTable,
    read_table,
    resolve_columns,
)
from stratpolicy.rules._warning import Alert, early_warning, indicator_facts

if TYPE_CHECKING:
    from stratpolicy.rules._population import PopulationResult

# The rules engine's document kinds, registered with io when this package is imported.
io.register_kind("rule_set", RuleSet)
io.register_kind("parameter_set", ParameterSet)

__all__ = [
    "BOOLEAN_TEXT",
    "DELIMITERS",
    "FUNCTIONS",
    "MAX_BRACKETS",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_REPORTED_ROWS",
    "SCHEMA_VERSION",
    "Alert",
    "Combine",
    "Decision",
    "Explanation",
    "Input",
    "Output",
    "OutputTrace",
    "Parameter",
    "ParameterSet",
    "ParameterValue",
    "PopulationResult",
    "PopulationTable",
    "PythonRule",
    "ResolvedParameter",
    "Rule",
    "RuleSet",
    "RuleTrace",
    "UsedValue",
    "ValueType",
    "check_expression",
    "early_warning",
    "format_value",
    "indicator_facts",
    "read_table",
    "resolve_columns",
]


def check_expression(text: str) -> str:
    """Check that ``text`` is an allowed expression; return it in canonical form.

    Only the syntax is checked (names are resolved when a rule set is built).

    Raises:
        ExpressionError: The expression is not allowed.

    Examples:
        >>> check_expression("min(0.10, 3*x/y)")
        'min(0.1, (3.0 * x) / y)'
    """
    from stratpolicy.rules._ir import to_source
    from stratpolicy.rules._parse import parse

    return to_source(parse(text))


def __getattr__(name: str) -> Any:
    if name == "PopulationResult":  # lives with numpy; loaded on first use
        from stratpolicy.rules._population import PopulationResult

        return PopulationResult
    raise AttributeError(f"module 'stratpolicy.rules' has no attribute {name!r}")
