"""The library's exceptions: one class per kind of failure, under one base class.

Every error about input data is a :class:`DataError` and carries *all* the problems found,
each with the path of the offending field and what was expected::

    StratpolicyError
    ├── DataError (also a ValueError)      bad input; .problems lists every problem
    │   ├── FormatError                    not valid JSON/YAML/TOML, empty, unknown format
    │   ├── SchemaError                    wrong shape: unknown key, missing field, wrong type
    │   ├── ValidationError                domain rule broken: range, order, reference, duplicate
    │   │   ├── DuplicateIdError           an id used twice in one portfolio
    │   │   ├── UnknownReferenceError      a reference to an id that does not exist
    │   │   └── EvaluationError            rules cannot be evaluated on these facts
    │   └── UnitError                      not an amount, wrong dimension, unknown unit
    │       └── CurrencyError              currencies mixed, or no exchange rate for a date
    ├── ExpressionError (also a DataError) a rule expression that is unsafe or ill-typed
    └── RuleSetError (also a DataError)    rules that cannot be ordered or combined

Examples:
    >>> from stratpolicy.errors import Problem, ValidationError
    >>> problem = Problem("missions[0].requires[0].weight", "must be in (0, 1], got 2")
    >>> err = ValidationError([problem])
    >>> print(err)
    1 problem:
      missions[0].requires[0].weight: must be in (0, 1], got 2
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = [
    "CurrencyError",
    "DataError",
    "DuplicateIdError",
    "EvaluationError",
    "ExpressionError",
    "FormatError",
    "Problem",
    "RuleSetError",
    "SchemaError",
    "StratpolicyError",
    "UnitError",
    "UnknownReferenceError",
    "ValidationError",
]


class Problem:
    """One problem found in input data.

    Attributes:
        path: Where the problem is, as a path into the document
            (``missions[2].targets[0].value``); empty for the document itself.
        message: What is wrong and what was expected.
        kind: The :class:`DataError` subclass this problem belongs to.
    """

    __slots__ = ("kind", "message", "path")

    def __init__(self, path: str, message: str, kind: type[DataError] | None = None) -> None:
        self.path = path
        self.message = message
        self.kind: type[DataError] = kind if kind is not None else ValidationError

    def at(self, prefix: str) -> Problem:
        """Return this problem with ``prefix`` put in front of its path."""
        return Problem(join_path(prefix, self.path), self.message, self.kind)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def __repr__(self) -> str:
        return f"Problem({self.path!r}, {self.message!r}, {self.kind.__name__})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return (self.path, self.message, self.kind) == (other.path, other.message, other.kind)

    def __hash__(self) -> int:
        return hash((self.path, self.message, self.kind))


def join_path(prefix: str, path: str) -> str:
    """Join two document paths: ``join_path("missions[0]", "weight") == "missions[0].weight"``."""
    if not prefix:
        return path
    if not path:
        return prefix
    return prefix + path if path.startswith("[") else f"{prefix}.{path}"


class StratpolicyError(Exception):
    """Base class of every exception the library raises on purpose."""


class DataError(StratpolicyError, ValueError):
    """Input data is wrong. Lists every problem found, each with its path.

    Args:
        problems: The problems, at least one; plain strings become path-less problems.
        source: The file or other origin of the data, if known.

    Attributes:
        problems: Every problem found, in document order.
        source: The file or other origin of the data, or ``None``.
    """

    def __init__(self, problems: Iterable[Problem | str], source: str | None = None) -> None:
        own = type(self)
        self.problems: tuple[Problem, ...] = tuple(
            p if isinstance(p, Problem) else Problem("", p, own) for p in problems
        )
        if not self.problems:
            raise ValueError("a DataError needs at least one problem")
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        from stratpolicy.limits import MAX_SHOWN_PROBLEMS

        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''}"
        if self.source:
            head += f" in {self.source}"
        lines = [f"  {p}" for p in self.problems[:MAX_SHOWN_PROBLEMS]]
        if n > MAX_SHOWN_PROBLEMS:
            lines.append(f"  ... and {n - MAX_SHOWN_PROBLEMS} more (see the error's .problems)")
        return head + ":\n" + "\n".join(lines)

    def __str__(self) -> str:
        return self._render()

    @classmethod
    def from_problems(cls, problems: Sequence[Problem], source: str | None = None) -> DataError:
        """Build the most specific error class that covers every problem's kind.

        A list of unit problems gives a :class:`UnitError`; a unit problem next to an unknown
        key gives a :class:`DataError`, since that is the nearest class common to both.
        """
        kinds = [p.kind for p in problems] or [cls]
        common = _nearest_common_class(kinds)
        return common(problems, source=source)


class FormatError(DataError):
    """The text is not valid JSON, YAML or TOML, is empty, or its format is unknown."""


class SchemaError(DataError):
    """The document has the wrong shape.

    An unknown key, a missing field, a wrong type, an unknown enumeration value, or an
    unsupported ``schema_version``.
    """


class ValidationError(DataError):
    """The data is well-formed but breaks a rule of the domain (a range, a date order)."""


class DuplicateIdError(ValidationError):
    """An id is used by more than one object of a portfolio."""


class UnknownReferenceError(ValidationError):
    """An object refers to an id that the portfolio does not hold."""


class EvaluationError(ValidationError):
    """Rules cannot be evaluated on these facts.

    A division by zero, a parameter with no value for a key on the date, a value out of a
    function's domain; the message names the rule, the expression and the record.
    """


class UnitError(DataError):
    """A value is not an amount of the expected kind, or its unit is unknown."""


class CurrencyError(UnitError):
    """Amounts in different currencies were mixed, or no exchange rate covers a date."""


class ExpressionError(DataError):
    """A rule expression is not allowed (unsafe, too large) or does not type-check."""


class RuleSetError(DataError):
    """Rules cannot be put together.

    A dependency cycle, an output set twice without a combination policy, or an undefined
    name.
    """


def _nearest_common_class(kinds: Sequence[type[DataError]]) -> type[DataError]:
    first = kinds[0]
    for candidate in first.__mro__:
        if (
            isinstance(candidate, type)
            and issubclass(candidate, DataError)
            and all(issubclass(k, candidate) for k in kinds)
        ):
            return candidate
    return DataError
