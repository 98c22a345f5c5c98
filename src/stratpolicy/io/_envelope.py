"""The document envelope (``schema_version``, ``document``): checked on reading, written first."""

from __future__ import annotations

import math
from typing import Any

from stratpolicy._checks import describe, quote, text_problem
from stratpolicy.errors import Problem, SchemaError, ValidationError
from stratpolicy.io._kinds import SCHEMA_VERSION, class_of, document_kinds, kind_of
from stratpolicy.limits import MAX_INTEGER_DIGITS, MAX_NESTING_DEPTH

__all__ = ["ENVELOPE", "check_writable", "open_envelope", "seal"]

ENVELOPE = ("schema_version", "document")
"""The envelope keys, in the order they are written."""


def seal(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """A document: the envelope for ``kind``, then the fields of ``body``, checked writable."""
    document = {"schema_version": SCHEMA_VERSION, "document": kind, **body}
    check_writable(document)
    return document


def open_envelope(
    data: Any, expected: type[Any] | None, source: str | None
) -> tuple[type[Any], dict[str, Any]]:
    """The class a document names and its fields, after checking the envelope.

    Raises:
        SchemaError: Not a mapping, a wrong or missing ``schema_version``, an unknown
            ``document`` kind (the message lists the registered kinds), or a kind other
            than ``expected``.
    """
    if not isinstance(data, dict):
        raise SchemaError(
            [
                Problem(
                    "",
                    f"expected a mapping at the top of the document, got {describe(data)}",
                    SchemaError,
                )
            ],
            source=source,
        )
    problems: list[Problem] = []
    version = data.get("schema_version")
    if "schema_version" not in data:
        problems.append(
            Problem(
                "schema_version",
                f"required field is missing; this library reads {SCHEMA_VERSION}",
                SchemaError,
            )
        )
    elif type(version) is not int or version != SCHEMA_VERSION:
        problems.append(
            Problem(
                "schema_version",
                f"unsupported version {_shown(version)}; this library reads {SCHEMA_VERSION} "
                "(a whole number)",
                SchemaError,
            )
        )
    kind = data.get("document")
    cls: type[Any] | None = None
    if "document" not in data:
        problems.append(
            Problem("document", f"required field is missing; {_registered()}", SchemaError)
        )
    elif not isinstance(kind, str) or class_of(kind) is None:
        problems.append(
            Problem(
                "document",
                f"unknown document kind {_shown(kind)}; {_registered()}. A layer registers "
                "its kinds when it is imported (stratpolicy.load imports every layer)",
                SchemaError,
            )
        )
    else:
        cls = class_of(kind)
        assert cls is not None
        if expected is not None and not issubclass(cls, expected):
            try:
                wanted = repr(kind_of(expected))
            except TypeError:
                wanted = f"holding a {expected.__qualname__}"
            problems.append(
                Problem(
                    "document",
                    f"expected a document of kind {wanted}, got {kind!r}",
                    SchemaError,
                )
            )
    if problems:
        raise SchemaError(problems, source=source)
    assert cls is not None
    return cls, {k: v for k, v in data.items() if k not in ENVELOPE}


def _registered() -> str:
    return f"the registered kinds are {', '.join(document_kinds())}"


def _shown(value: object) -> str:
    return quote(value) if isinstance(value, str) else describe(value)


def check_writable(data: Any) -> None:
    """Refuse plain data that no document can hold so that it reads back equal.

    Raises:
        ValidationError: A lone surrogate in a text, a number that is not finite or too
            long, a key that is not text, nesting deeper than the bound; each with its path.
    """
    problems: list[Problem] = []
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack and len(problems) < 100:
        value, path, depth = stack.pop()
        if isinstance(value, dict):
            if depth >= MAX_NESTING_DEPTH:
                problems.append(Problem(path, f"nested deeper than {MAX_NESTING_DEPTH} levels"))
                continue
            for key, item in value.items():
                if not isinstance(key, str):
                    problems.append(Problem(path, f"a key must be text, got {describe(key)}"))
                    continue
                stack.append((item, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(value, (list, tuple)):
            if depth >= MAX_NESTING_DEPTH:
                problems.append(Problem(path, f"nested deeper than {MAX_NESTING_DEPTH} levels"))
                continue
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str):
            problem = text_problem(value)
            if problem is not None:
                problems.append(Problem(path, problem[0]))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(Problem(path, f"{value!r} cannot be written: not a finite number"))
        elif (
            isinstance(value, int)
            and not isinstance(value, bool)
            and abs(value) >= 10**MAX_INTEGER_DIGITS
        ):
            problems.append(Problem(path, f"{describe(value)} cannot be written"))
    if problems:
        raise ValidationError(problems)
