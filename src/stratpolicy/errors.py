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

Each class has a stable ``code`` (``"unit"``, ``"duplicate_id"``, ...; see
:data:`ERROR_CODES`), and every error turns into plain data for JSON with
:meth:`DataError.to_dict` and back with :meth:`DataError.from_dict`; errors also pickle, so
they cross process boundaries unchanged.

Examples:
    >>> from stratpolicy.errors import Problem, ValidationError
    >>> problem = Problem("missions[0].requires[0].weight", "must be in (0, 1], got 2")
    >>> err = ValidationError([problem])
    >>> print(err)
    1 problem:
      missions[0].requires[0].weight: must be in (0, 1], got 2
    >>> err.to_dict()["problems"]  # doctest: +NORMALIZE_WHITESPACE
    [{'path': 'missions[0].requires[0].weight', 'message': 'must be in (0, 1], got 2',
      'code': 'validation'}]
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, ClassVar, TypeVar

__all__ = [
    "ERROR_CODES",
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


_E = TypeVar("_E", bound="DataError")


class Problem:
    """One problem found in input data.

    Attributes:
        path: Where the problem is, as a path into the document
            (``missions[2].targets[0].value``); empty for the document itself.
        message: What is wrong and what was expected.
        kind: The :class:`DataError` subclass this problem belongs to (its :attr:`code`
            names it in JSON).

    Examples:
        >>> p = Problem("technologies[0].id", "must not be empty")
        >>> p.code, p.to_dict()["path"]
        ('validation', 'technologies[0].id')
        >>> Problem.from_dict(p.to_dict()) == p
        True
    """

    __slots__ = ("kind", "message", "path")

    def __init__(self, path: str, message: str, kind: type[DataError] | None = None) -> None:
        self.path = path
        self.message = message
        # a class made inside a function is represented by the library class it derives from
        self.kind: type[DataError] = _named_class(kind) if kind is not None else ValidationError

    def at(self, prefix: str) -> Problem:
        """Return this problem with ``prefix`` put in front of its path."""
        return Problem(join_path(prefix, self.path), self.message, self.kind)

    @property
    def code(self) -> str:
        """The stable code of this problem's kind (``"schema"``, ``"unit"``, ...).

        One code per error class, listed in :data:`ERROR_CODES`; unlike the class, a code
        can be written to JSON and read by programs in any language.
        """
        return self.kind.code

    def to_dict(self) -> dict[str, str]:
        """This problem as plain data: ``{"path": ..., "message": ..., "code": ...}``."""
        return {"path": self.path, "message": self.message, "code": self.code}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Problem:
        """The problem :meth:`to_dict` wrote.

        Raises:
            SchemaError: ``data`` is not such a mapping, or its code is unknown.
        """
        problems: list[Problem] = []
        problem = _problem_from(data, "", problems)
        if problem is None:
            raise SchemaError(problems)
        return problem

    def __reduce__(self) -> tuple[Any, ...]:
        return (Problem, (self.path, self.message, self.kind))

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


_BY_CODE: dict[str, type[DataError]] = {}


class DataError(StratpolicyError, ValueError):
    """Input data is wrong. Lists every problem found, each with its path.

    Two errors are equal when they are of the same class and have the same problems and
    source, so an error that went through :meth:`to_dict` and :meth:`from_dict`, or through
    ``pickle``, compares equal to the original.

    Args:
        problems: The problems, at least one; plain strings become path-less problems.
        source: The file or other origin of the data, if known.

    Attributes:
        problems: Every problem found, in document order.
        source: The file or other origin of the data, or ``None``.
        code: The stable code of the class (``"data"`` here; see :data:`ERROR_CODES`). A
            subclass of an upper layer that sets its own ``code`` is found by
            :meth:`from_dict` too.

    Examples:
        >>> err = UnitError([Problem("budget", "'12 parsecs' is not money", UnitError)])
        >>> record = err.to_dict()
        >>> record["error"], record["code"], record["source"]
        ('UnitError', 'unit', None)
        >>> DataError.from_dict(record) == err
        True
    """

    code: ClassVar[str] = "data"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        code = cls.__dict__.get("code")
        if code is None:
            return
        if not isinstance(code, str) or not code:
            raise TypeError(f"{cls.__qualname__}.code must be non-empty text")
        known = _BY_CODE.get(code)
        if known is not None and known.__qualname__ != cls.__qualname__:
            raise TypeError(
                f"{cls.__qualname__}.code {code!r} is already the code of {known.__qualname__}"
            )
        _BY_CODE[code] = cls

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

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DataError):
            return NotImplemented
        return (
            _named_class(type(self)) is _named_class(type(other))
            and self.problems == other.problems
            and self.source == other.source
        )

    def __hash__(self) -> int:
        return hash((_named_class(type(self)), self.problems, self.source))

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception pickles its args (here the rendered message); rebuild from the problems.
        state = {k: v for k, v in self.__dict__.items() if k not in ("problems", "source")}
        return (_named_class(type(self)), (self.problems, self.source), state or None)

    def to_dict(self) -> dict[str, Any]:
        """This error as plain data for JSON.

        Returns:
            ``{"error": class name, "code": its code, "source": the source or None,
            "message": the text of the error, "problems": [each problem's
            :meth:`Problem.to_dict`]}``.
        """
        cls = _named_class(type(self))
        return {
            "error": cls.__name__,
            "code": cls.code,
            "source": self.source,
            "message": str(self),
            "problems": [p.to_dict() for p in self.problems],
        }

    @classmethod
    def from_dict(cls: type[_E], data: Mapping[str, Any]) -> _E:
        """The error :meth:`to_dict` wrote, of the class its ``code`` names.

        ``error`` and ``message`` are read for nothing (the class comes from ``code``, the
        message from the problems), so a record is all that another process needs.

        Raises:
            SchemaError: ``data`` is not such a record (each problem with its path), or its
                code names a class that is not ``cls`` or a subclass of it.
        """
        problems: list[Problem] = []
        if not isinstance(data, Mapping):
            raise SchemaError([Problem("", "expected a mapping (an error record)", SchemaError)])
        unknown = sorted(str(k) for k in data if k not in _RECORD_KEYS)
        problems.extend(
            Problem(str(k), f"unknown key; expected one of {', '.join(_RECORD_KEYS)}", SchemaError)
            for k in unknown
        )
        error_class = _class_from(data.get("code"), "code", problems)
        if error_class is not None and not issubclass(error_class, cls):
            problems.append(
                Problem(
                    "code",
                    f"{error_class.code!r} is a {error_class.__name__}, not a {cls.__name__}",
                    SchemaError,
                )
            )
        source = data.get("source")
        if source is not None and not isinstance(source, str):
            problems.append(Problem("source", "expected text or null", SchemaError))
        items = data.get("problems")
        found: list[Problem] = []
        if not isinstance(items, (list, tuple)) or not items:
            problems.append(Problem("problems", "expected a non-empty list", SchemaError))
        else:
            for i, item in enumerate(items):
                problem = _problem_from(item, f"problems[{i}]", problems)
                if problem is not None:
                    found.append(problem)
        if problems:
            raise SchemaError(problems)
        assert error_class is not None
        error: _E = error_class(found, source=source)  # type: ignore[assignment]
        return error

    @classmethod
    def from_problems(cls, problems: Sequence[Problem], source: str | None = None) -> DataError:
        """Build the most specific error class that covers every problem's kind.

        A list of unit problems gives a :class:`UnitError`; a unit problem next to an unknown
        key gives a :class:`DataError`, since that is the nearest class common to both.
        """
        kinds = [p.kind for p in problems] or [cls]
        common = _nearest_common_class(kinds)
        return common(problems, source=source)


_BY_CODE["data"] = DataError


class FormatError(DataError):
    """The text is not valid JSON, YAML or TOML, is empty, or its format is unknown."""

    code: ClassVar[str] = "format"


class SchemaError(DataError):
    """The document has the wrong shape.

    An unknown key, a missing field, a wrong type, an unknown enumeration value, or an
    unsupported ``schema_version``.
    """

    code: ClassVar[str] = "schema"


class ValidationError(DataError):
    """The data is well-formed but breaks a rule of the domain (a range, a date order)."""

    code: ClassVar[str] = "validation"


class DuplicateIdError(ValidationError):
    """An id is used by more than one object of a portfolio."""

    code: ClassVar[str] = "duplicate_id"


class UnknownReferenceError(ValidationError):
    """An object refers to an id that the portfolio does not hold."""

    code: ClassVar[str] = "unknown_reference"


class EvaluationError(ValidationError):
    """Rules cannot be evaluated on these facts.

    A division by zero, a parameter with no value for a key on the date, a value out of a
    function's domain; the message names the rule, the expression and the record.
    """

    code: ClassVar[str] = "evaluation"


class UnitError(DataError):
    """A value is not an amount of the expected kind, or its unit is unknown."""

    code: ClassVar[str] = "unit"


class CurrencyError(UnitError):
    """Amounts in different currencies were mixed, or no exchange rate covers a date."""

    code: ClassVar[str] = "currency"


class ExpressionError(DataError):
    """A rule expression is not allowed (unsafe, too large) or does not type-check."""

    code: ClassVar[str] = "expression"


class RuleSetError(DataError):
    """Rules cannot be put together.

    A dependency cycle, an output set twice without a combination policy, or an undefined
    name.
    """

    code: ClassVar[str] = "rule_set"


ERROR_CODES: Mapping[str, type[DataError]] = MappingProxyType(_BY_CODE)
"""Every problem code and the error class it names (a read-only view).

| code | class | the problem |
|---|---|---|
| `data` | `DataError` | problems of several kinds (their nearest common class) |
| `format` | `FormatError` | not valid JSON/YAML/TOML, not UTF-8, empty, a bound passed |
| `schema` | `SchemaError` | unknown key, missing field, wrong type, unknown enumeration value |
| `validation` | `ValidationError` | a rule of the domain: a range, a date order, a cycle |
| `duplicate_id` | `DuplicateIdError` | an id used twice |
| `unknown_reference` | `UnknownReferenceError` | a reference to an id that does not exist |
| `evaluation` | `EvaluationError` | rules cannot be evaluated on these facts |
| `unit` | `UnitError` | not an amount of the right kind, an unknown unit |
| `currency` | `CurrencyError` | currencies mixed or unknown, no exchange rate for a date |
| `expression` | `ExpressionError` | a rule expression that is not allowed or ill-typed |
| `rule_set` | `RuleSetError` | rules that cannot be ordered or combined |

The codes are stable: a code is never renamed or given to another class. Upper layers may
add codes (a :class:`DataError` subclass with its own ``code``).
"""

_RECORD_KEYS = ("error", "code", "source", "message", "problems")
_PROBLEM_KEYS = ("path", "message", "code")


def _class_from(code: object, path: str, problems: list[Problem]) -> type[DataError] | None:
    if not isinstance(code, str) or code not in _BY_CODE:
        if code is None:
            what = "required field is missing"
        elif isinstance(code, str):
            what = f"unknown problem code {code[:60]!r}"
        else:
            what = f"expected text, got a value of type {type(code).__name__}"
        problems.append(
            Problem(path, f"{what}; expected one of {', '.join(sorted(_BY_CODE))}", SchemaError)
        )
        return None
    return _BY_CODE[code]


def _problem_from(data: object, path: str, problems: list[Problem]) -> Problem | None:
    if not isinstance(data, Mapping):
        problems.append(Problem(path, "expected a mapping with path, message, code", SchemaError))
        return None
    before = len(problems)
    for key in data:
        if key not in _PROBLEM_KEYS:
            problems.append(
                Problem(
                    join_path(path, str(key)),
                    f"unknown key; expected one of {', '.join(_PROBLEM_KEYS)}",
                    SchemaError,
                )
            )
    for key in ("path", "message"):
        if not isinstance(data.get(key), str):
            problems.append(Problem(join_path(path, key), "expected text", SchemaError))
    kind = _class_from(data.get("code"), join_path(path, "code"), problems)
    if len(problems) > before or kind is None:
        return None
    return Problem(data["path"], data["message"], kind)


def _named_class(cls: type[DataError]) -> type[DataError]:
    """``cls``, or its nearest base that can be found by name (what pickle can rebuild).

    A class made inside a function (the unit registry's errors that are also pint's) is
    represented by the library class it derives from.
    """
    candidate: type[DataError]
    for candidate in (c for c in cls.__mro__ if issubclass(c, DataError)):
        found: object = sys.modules.get(candidate.__module__)
        for part in candidate.__qualname__.split("."):
            found = getattr(found, part, None)
        if found is candidate:
            return candidate
    return DataError


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
