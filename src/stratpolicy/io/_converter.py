"""The converter: plain data <-> objects, with the library's strict hooks; its default instance.

Every part of the library that reads or writes objects goes through a :class:`Converter`,
the default one unless told otherwise. Its hooks are strict: a string is never silently
turned into a number, a list is never built from the characters of a string, unknown keys
are errors, and a wrong value is reported with the path of its field. pint's own errors
never reach the user (its ``DimensionalityError`` also crashes ``cattrs.transform_error``):
amounts are parsed by :func:`stratpolicy.units.parse_amount`, which raises our
:class:`UnitError`.
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import functools
import math
import operator
import threading
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, TypeVar, overload

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from stratpolicy._checks import describe, parse_iso_date, quote, text_problem
from stratpolicy.errors import (
    DataError,
    Problem,
    SchemaError,
    ValidationError,
    join_path,
)
from stratpolicy.io._envelope import open_envelope, seal
from stratpolicy.io._kinds import class_of, kind_of
from stratpolicy.limits import MAX_INTEGER_DIGITS, MAX_LIST_PROBLEMS
from stratpolicy.model import (
    ActorKind,
    BudgetStage,
    FirmSize,
    IncentiveKind,
    InstrumentCategory,
    InstrumentKind,
    MissionKind,
    TechnologyKind,
)
from stratpolicy.units import Amount, Money, format_amount, parse_amount

__all__ = [
    "Converter",
    "SchemaHook",
    "default_converter",
    "from_document",
    "get_converter",
    "register_enum",
    "schema",
    "structure",
    "to_document",
    "unstructure",
]

T = TypeVar("T")

SchemaHook = Callable[[Any], dict[str, Any] | bool]
"""A function that gives the JSON Schema of a type (a mapping, or ``True``/``False``)."""


_MODEL_ENUMS = (
    ActorKind,
    BudgetStage,
    FirmSize,
    IncentiveKind,
    InstrumentCategory,
    InstrumentKind,
    MissionKind,
    TechnologyKind,
)


class _Invalid(Exception):
    """A hook's verdict on one value; becomes a :class:`Problem` at the value's path."""

    def __init__(self, message: str, kind: type[DataError] = SchemaError) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


def _str(value: object, _: type) -> str:
    problem = text_problem(value)
    if problem is not None:
        raise _Invalid(*problem)
    assert isinstance(value, str)
    return value


def _int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"expected a whole number, got {describe(value)}")
    if abs(value) >= _INT_BOUND:
        raise _Invalid(
            f"{describe(value)} has more than {MAX_INTEGER_DIGITS} digits "
            "(stratpolicy.limits.MAX_INTEGER_DIGITS)",
            ValidationError,
        )
    return value


_INT_BOUND = 10**MAX_INTEGER_DIGITS


def _float(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Invalid(f"expected a number, got {describe(value)}")
    if isinstance(value, int):
        _int(value, int)
        return float(value)
    if not math.isfinite(value):
        raise _Invalid(f"must be a finite number, got {float.__repr__(value)}", ValidationError)
    return float(value)


def _bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"expected true or false, got {describe(value)}")
    return value


def _date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _Invalid(f"expected a date (YYYY-MM-DD) without a time, got {value.isoformat()!r}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        parsed = parse_iso_date(value)
        if parsed is not None:
            return parsed
    raise _Invalid(f"expected a date as YYYY-MM-DD, got {describe(value)}")


def _refuse_code(value: object, _: type) -> Any:
    raise _Invalid("a Python function cannot be read from a document")


def _amount(value: object, _: type) -> Amount:
    try:
        return parse_amount(value)  # type: ignore[arg-type]
    except DataError as exc:
        raise _Invalid(exc.problems[0].message, exc.problems[0].kind) from None


def _money(value: object, _: type) -> Money:
    try:
        return parse_amount(value, dimension="money")  # type: ignore[arg-type]
    except DataError as exc:
        raise _Invalid(exc.problems[0].message, exc.problems[0].kind) from None


def _make_attrs_hook(conv: cattrs.Converter) -> Callable[[Any], Callable[[object, type], Any]]:
    def factory(cls: Any) -> Callable[[object, type], Any]:
        inner = make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True
        )
        # A class may be written as one string filling one field (a link as an id).
        shorthand = getattr(cls, "__shorthand__", None)

        def hook(value: object, _: type) -> Any:
            if isinstance(shorthand, str) and isinstance(value, str):
                return inner({shorthand: value}, cls)
            if not isinstance(value, Mapping):
                expected = "a mapping of fields"
                if isinstance(shorthand, str):
                    expected += f" or a {shorthand} id"
                raise _Invalid(f"expected {expected}, got {describe(value)}")
            return inner(value, cls)

        return hook

    return factory


def _make_shorthand_unstructure(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any], Any]]:
    def factory(cls: Any) -> Callable[[Any], Any]:
        from cattrs.gen import make_dict_unstructure_fn

        inner = make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True)
        field = cls.__shorthand__

        def hook(obj: Any) -> Any:
            data = inner(obj)
            return data[field] if list(data) == [field] else data

        return hook

    return factory


def _enum_hook(cls: type[Enum]) -> Callable[[object, type], Enum]:
    allowed = ", ".join(repr(m.value) for m in cls)

    def hook(value: object, _: type) -> Enum:
        if isinstance(value, str):
            try:
                return cls(value)
            except ValueError:
                pass
        shown = quote(value) if isinstance(value, str) else describe(value)
        raise _Invalid(f"{shown} is not a {cls.__name__}; expected one of {allowed}")

    return hook


def _is_homogeneous_tuple(t: Any) -> bool:
    args = typing.get_args(t)
    return typing.get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _make_tuple_hook(conv: cattrs.Converter) -> Callable[[Any], Callable[[object, type], Any]]:
    def factory(t: Any) -> Callable[[object, type], Any]:
        inner = typing.get_args(t)[0]
        inner_hook = conv.get_structure_hook(inner)

        def hook(value: object, _: type) -> tuple[Any, ...]:
            if not isinstance(value, (list, tuple)):
                raise _Invalid(f"expected a list, got {describe(value)}")
            out: list[Any] = []
            errors: list[Exception] = []
            for i, item in enumerate(value):
                try:
                    out.append(inner_hook(item, inner))
                except Exception as failure:
                    exc: Exception = failure
                    if len(errors) == MAX_LIST_PROBLEMS:
                        exc = _Invalid(
                            f"and more: the items from here on are not checked "
                            f"(stratpolicy.limits.MAX_LIST_PROBLEMS = {MAX_LIST_PROBLEMS})"
                        )
                    _note_index(exc, t, i, inner)
                    errors.append(exc)
                    if len(errors) > MAX_LIST_PROBLEMS:
                        break
            if errors:
                raise IterableValidationError(f"While structuring {t}", errors, t)
            return tuple(out)

        return hook

    return factory


def _note_index(exc: Exception, t: Any, index: int, inner: Any) -> None:
    exc.__notes__ = [
        *getattr(exc, "__notes__", []),
        IterableValidationNote(f"Structuring {t} @ index {index}", index, inner),
    ]


def _is_mapping(t: Any) -> bool:
    origin = typing.get_origin(t)
    return origin in (dict, Mapping, collections.abc.Mapping) and len(typing.get_args(t)) == 2


def _make_mapping_hook(conv: cattrs.Converter) -> Callable[[Any], Callable[[object, type], Any]]:
    def factory(t: Any) -> Callable[[object, type], Any]:
        key_type, value_type = typing.get_args(t)
        key_hook = conv.get_structure_hook(key_type)
        value_hook = conv.get_structure_hook(value_type)

        def hook(value: object, _: type) -> dict[Any, Any]:
            if not isinstance(value, Mapping):
                raise _Invalid(f"expected a mapping, got {describe(value)}")
            out: dict[Any, Any] = {}
            problems: list[Problem] = []
            for key, item in value.items():
                where = f"[{_key_path(key).strip('[]')}]"
                try:
                    out[key_hook(key, key_type)] = value_hook(item, value_type)
                except Exception as exc:
                    problems.extend(_problems(exc, where))
                    if len(problems) > MAX_LIST_PROBLEMS:
                        break
            if problems:
                raise DataError.from_problems(problems)
            return out

        return hook

    return factory


def _is_callable(t: Any) -> bool:
    return typing.get_origin(t) is collections.abc.Callable or t is collections.abc.Callable


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True, omit_if_default=True)
    # Single dispatch, like cattrs' own hooks for these types; str-based enums get hooks of
    # their own below (the most specific class wins).
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(float, _float)
    conv.register_structure_hook(bool, _bool)
    conv.register_structure_hook(dt.date, _date)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook(Amount, _amount)
    conv.register_structure_hook(Money, _money)
    conv.register_structure_hook_factory(attrs.has, _make_attrs_hook(conv))
    conv.register_unstructure_hook_factory(
        lambda t: attrs.has(t) and isinstance(getattr(t, "__shorthand__", None), str),
        _make_shorthand_unstructure(conv),
    )
    conv.register_unstructure_hook_func(_is_quantity_type, format_amount)
    conv.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, Enum), _enum_hook
    )
    for enum_cls in _MODEL_ENUMS:  # str-based enums: single dispatch would pick ``str``
        conv.register_structure_hook(enum_cls, _enum_hook(enum_cls))
        conv.register_unstructure_hook(enum_cls, _enum_value)
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, Enum), _enum_value
    )
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _make_tuple_hook(conv))
    conv.register_structure_hook_factory(_is_mapping, _make_mapping_hook(conv))
    conv.register_structure_hook_func(_is_callable, _refuse_code)
    conv.register_unstructure_hook_func(
        lambda t: isinstance(getattr(t, "__not_serialisable__", None), str), _refuse
    )
    return conv


def _refuse(obj: Any) -> Any:
    """Objects that hold code (a Python rule) cannot be written to a document."""
    raise TypeError(f"{type(obj).__name__} cannot be written to a file: {obj.__not_serialisable__}")


def _is_quantity_type(t: Any) -> bool:
    if t is Amount or t is Money:
        return True
    try:
        import pint
    except ImportError:  # pragma: no cover - pint is a dependency
        return False
    return isinstance(t, type) and issubclass(t, pint.Quantity)


class Converter:
    """Turns plain data into objects and back, with the library's strict rules.

    An explicit converter object, as cattrs has: it wraps a ``cattrs.Converter`` whose hooks
    refuse what cattrs' defaults would coerce (``5`` is not text, ``"msit"`` is not a list,
    an unknown key is an error) and report every problem with its path. The library uses
    one default instance (:func:`default_converter`); the module functions
    :func:`structure`, :func:`unstructure`, :func:`to_document`, :func:`from_document` and
    :func:`schema` use it. Make your own to teach it classes of your own without touching
    the library's: add hooks to :attr:`cattrs` (a hook that refuses a value raises a
    :class:`~stratpolicy.errors.DataError`; its problems get the value's path in front) and,
    for the JSON Schema, :meth:`register_schema_hook`.

    Examples:
        >>> from stratpolicy.model import Requirement
        >>> conv = Converter()
        >>> conv.structure({"technology": "ai", "weight": 0.5}, Requirement).weight
        0.5
        >>> conv.unstructure(Requirement(technology="ai"))
        {'technology': 'ai'}
    """

    def __init__(self) -> None:
        self._cattrs = _make_converter()
        self._schema_hooks: list[tuple[Callable[[Any], bool], SchemaHook]] = []
        self._unions: dict[Any, tuple[str, dict[str, type[Any]]]] = {}

    @property
    def cattrs(self) -> cattrs.Converter:
        """The wrapped ``cattrs.Converter``, for hooks of your own classes."""
        return self._cattrs

    def structure(self, data: Any, cls: type[T], *, path: str = "", source: str | None = None) -> T:
        """Build an object of class ``cls`` from plain data, or raise every problem at once.

        The data is the object's fields, without the document envelope (see
        :meth:`from_document` for a document).

        Args:
            data: Plain data as read from JSON, YAML or TOML.
            cls: The class to build (or a type such as ``tuple[Technology, ...]``).
            path: The path of ``data`` within its document, put in front of problem paths.
            source: The file the data came from, for the error message.

        Raises:
            DataError: A subclass naming every problem with its path; nothing is half-built.
        """
        try:
            return self._cattrs.structure(data, cls)
        except Exception as exc:
            problems = _problems(exc, path)
            raise DataError.from_problems(problems, source=source) from None

    def unstructure(self, obj: Any) -> Any:
        """Plain data (dicts, lists, text, numbers, booleans) for an object, without envelope.

        Fields that have their default value are left out.

        Raises:
            TypeError: The object holds Python code (a ``PythonRule``).
        """
        return self._cattrs.unstructure(obj)

    def to_document(self, obj: Any) -> dict[str, Any]:
        """The document for an object: the envelope (``schema_version``, ``document``) first.

        Raises:
            TypeError: The object's class is not a registered document kind, or it holds
                Python code.
            ValidationError: The object holds something no document can hold so that it
                reads back equal (a lone surrogate in a text, a number that is not finite,
                a key that is not text); each problem has its path.
        """
        return seal(kind_of(obj), self.unstructure(obj))

    @overload
    def from_document(self, data: Any, cls: None = None, *, source: str | None = None) -> Any: ...
    @overload
    def from_document(self, data: Any, cls: type[T], *, source: str | None = None) -> T: ...
    def from_document(
        self, data: Any, cls: type[Any] | None = None, *, source: str | None = None
    ) -> Any:
        """The object a document (plain data with the envelope) holds.

        Args:
            data: The document as plain data (a mapping with ``schema_version`` and
                ``document``).
            cls: If given, the class the document must hold.
            source: Where the data came from, for the error message.

        Raises:
            SchemaError: A wrong envelope: not a mapping, a missing or unsupported
                ``schema_version``, an unknown ``document`` kind (the message lists the
                registered ones), or not a ``cls``.
            DataError: As for :meth:`structure`.
        """
        kind_class, body = open_envelope(data, cls, source)
        return self.structure(body, kind_class, source=source)

    def register_enum(self, cls: type[Enum]) -> None:
        """Teach the converter an enumeration with the library's strict hook and message.

        Enums that subclass ``str`` need this, or cattrs would treat them as plain text.
        """
        self._cattrs.register_structure_hook(cls, _enum_hook(cls))
        self._cattrs.register_unstructure_hook(cls, _enum_value)

    def register_tagged_union(
        self, union: Any, tags: Mapping[str, type[Any]], *, tag: str = "kind"
    ) -> None:
        """Read and write a union of attrs classes as mappings that name their class.

        A field typed ``RateChange | AddInstrument`` is written ``{kind: rate_change,
        ...fields}`` and read back as the class its tag names; an unknown or missing tag is
        a :class:`~stratpolicy.errors.SchemaError` at the tag's path that lists the tags (not
        cattrs' "required field missing"). The JSON Schema gives each class with its tag.

        Args:
            union: The union type, as fields are annotated (``A | B``).
            tags: Tag -> class, one per member of the union.
            tag: The key that holds the tag; no member may have a field of that name.

        Raises:
            ValueError: The tags do not name each member of the union once, or a member
                has a field named ``tag``.
            TypeError: A member is not an attrs class.

        Examples:
            >>> import attrs
            >>> @attrs.frozen
            ... class Add:
            ...     id: str
            >>> @attrs.frozen
            ... class Drop:
            ...     id: str
            >>> conv = Converter()
            >>> conv.register_tagged_union(Add | Drop, {"add": Add, "drop": Drop})
            >>> conv.structure({"kind": "drop", "id": "x"}, Add | Drop)
            Drop(id='x')
            >>> conv.cattrs.unstructure(Add(id="y"), unstructure_as=Add | Drop)
            {'kind': 'add', 'id': 'y'}
        """
        members = set(typing.get_args(union))
        classes = list(tags.values())
        if not tags or members != set(classes) or len(set(classes)) != len(classes):
            raise ValueError("the tags must name each member of the union once")
        for cls in classes:
            if not (isinstance(cls, type) and attrs.has(cls)):
                raise TypeError(f"a member of a tagged union must be an attrs class, got {cls!r}")
            if any(a.name == tag for a in attrs.fields(cls)):
                raise ValueError(f"{cls.__qualname__} has a field named {tag!r}, the tag's key")
        table = dict(tags)
        names = {cls: name for name, cls in table.items()}
        allowed = ", ".join(repr(name) for name in table)
        conv = self._cattrs

        def structure_hook(value: object, _: type) -> Any:
            if not isinstance(value, Mapping):
                raise _Invalid(
                    f"expected a mapping with {tag!r} ({allowed}), got {describe(value)}"
                )
            if tag not in value:
                raise SchemaError(
                    [
                        Problem(
                            tag,
                            f"required field is missing; expected one of {allowed}",
                            SchemaError,
                        )
                    ]
                )
            name = value[tag]
            if not isinstance(name, str) or name not in table:
                shown = quote(name) if isinstance(name, str) else describe(name)
                raise SchemaError(
                    [Problem(tag, f"unknown {tag} {shown}; expected one of {allowed}", SchemaError)]
                )
            body = {k: v for k, v in value.items() if k != tag}
            return conv.structure(body, table[name])

        def unstructure_hook(obj: Any) -> Any:
            cls = type(obj)
            if cls not in names:
                raise TypeError(f"{cls.__qualname__} is not a member of the tagged union")
            return {tag: names[cls], **conv.unstructure(obj, unstructure_as=cls)}

        conv.register_structure_hook_func(lambda t: t == union, structure_hook)
        conv.register_unstructure_hook_func(lambda t: t == union, unstructure_hook)
        self._unions[union] = (tag, table)

    def tagged_union(self, t: Any) -> tuple[str, dict[str, type[Any]]] | None:
        """The tag key and the tags of a union registered with :meth:`register_tagged_union`."""
        found = self._unions.get(t)
        return (found[0], dict(found[1])) if found is not None else None

    def register_schema_hook(
        self, type_or_predicate: type[Any] | Callable[[Any], bool], hook: SchemaHook
    ) -> None:
        """Give the JSON Schema of a type that the converter reads with a hook of your own.

        Args:
            type_or_predicate: A type, or a function that says whether a type is one of
                those ``hook`` describes. The last registered hook that matches wins.
            hook: Gets the type, returns its JSON Schema (a mapping), or ``True`` (anything)
                or ``False`` (nothing).
        """
        predicate: Callable[[Any], bool]
        if isinstance(type_or_predicate, type):
            wanted = type_or_predicate
            predicate = functools.partial(operator.is_, wanted)
        else:
            predicate = type_or_predicate
        self._schema_hooks.append((predicate, hook))

    def schema_hook_for(self, t: Any) -> SchemaHook | None:
        """The schema hook registered for type ``t``, or ``None``."""
        for predicate, hook in reversed(self._schema_hooks):
            if predicate(t):
                found: SchemaHook = hook
                return found
        return None

    def schema(self, kind: str | Any, *, envelope: bool | None = None) -> dict[str, Any]:
        """The JSON Schema (draft 2020-12) of a document kind or of a type.

        Args:
            kind: A registered document kind (``"portfolio"``), or a type (a class such as
                ``Mission``, or ``tuple[Technology, ...]``).
            envelope: Describe the document with its envelope (``schema_version``,
                ``document``). The default: with it for a kind name, without it for a type.

        Raises:
            ValueError: ``kind`` is a name that is not a registered kind, or ``envelope`` is
                asked for a type that is not a registered kind.
            TypeError: The type holds something that has no JSON Schema (a hook of your own
                without :meth:`register_schema_hook`).
        """
        from stratpolicy.io._schema import build_schema

        if isinstance(kind, str):
            cls = class_of(kind)
            if cls is None:
                from stratpolicy.io._kinds import document_kinds

                raise ValueError(
                    f"unknown document kind {kind!r}; the registered kinds are "
                    f"{', '.join(document_kinds())}"
                )
            return build_schema(self, cls, kind if envelope is None or envelope else None)
        if envelope:
            try:
                name = kind_of(kind)
            except TypeError as exc:
                raise ValueError(str(exc)) from None
            return build_schema(self, kind, name)
        return build_schema(self, kind, None)


_lock = threading.Lock()
_default: Converter | None = None


def default_converter() -> Converter:
    """The library's converter, built on first use (one per process).

    Everything the library reads or writes goes through it; upper layers add their hooks
    to it (:func:`register_enum`).
    """
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Converter()
    return _default


def get_converter() -> cattrs.Converter:
    """The ``cattrs.Converter`` inside the default converter (``default_converter().cattrs``)."""
    return default_converter().cattrs


def register_enum(cls: type[Enum]) -> None:
    """Teach the default converter an enumeration of an upper layer.

    It gets the library's strict hook and clear message; enums that subclass ``str`` need
    this, or cattrs would treat them as plain text.
    """
    default_converter().register_enum(cls)


def _enum_value(member: Enum) -> Any:
    return member.value


def unstructure(obj: Any) -> Any:
    """Plain data for an object, without the envelope (see :meth:`Converter.unstructure`).

    Examples:
        >>> from stratpolicy.model import Citation
        >>> unstructure(Citation(act="Special Act", article="5"))
        {'act': 'Special Act', 'article': '5'}
    """
    return default_converter().unstructure(obj)


def structure(data: Any, cls: type[T], *, path: str = "", source: str | None = None) -> T:
    """Build an object of class ``cls`` from plain data, without the envelope.

    See :meth:`Converter.structure`.

    Raises:
        DataError: A subclass naming every problem with its path; nothing is half-built.

    Examples:
        >>> from stratpolicy.model import Citation
        >>> structure({"act": "Special Act", "article": "5"}, Citation).article
        '5'
    """
    return default_converter().structure(data, cls, path=path, source=source)


def to_document(obj: Any) -> dict[str, Any]:
    """The document for an object, as plain data with the envelope first.

    See :meth:`Converter.to_document`.

    Examples:
        >>> from stratpolicy.model import Citation
        >>> to_document(Citation(act="Special Act"))
        {'schema_version': 1, 'document': 'citation', 'act': 'Special Act'}
    """
    return default_converter().to_document(obj)


@overload
def from_document(data: Any, cls: None = None, *, source: str | None = None) -> Any: ...
@overload
def from_document(data: Any, cls: type[T], *, source: str | None = None) -> T: ...
def from_document(data: Any, cls: type[Any] | None = None, *, source: str | None = None) -> Any:
    """The object a document (plain data with the envelope) holds.

    See :meth:`Converter.from_document`.

    Examples:
        >>> from_document({"schema_version": 1, "document": "citation", "act": "Special Act"})
        Citation(act='Special Act', ...)
    """
    return default_converter().from_document(data, cls, source=source)


def schema(kind: str | Any, *, envelope: bool | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a document kind or a type.

    See :meth:`Converter.schema`; :func:`stratpolicy.schema` also knows the kinds of layers
    that are not imported yet.

    Examples:
        >>> s = schema("citation")
        >>> s["properties"]["document"]["const"], s["required"]
        ('citation', ['schema_version', 'document', 'act'])
    """
    return default_converter().schema(kind, envelope=envelope)


def _problems(exc: BaseException, path: str) -> list[Problem]:
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        found: list[Problem] = []
        for sub in exc.exceptions:
            found.extend(_problems(sub, _note_path(sub, path)))
        return found
    if isinstance(exc, _Invalid):
        return [Problem(path, exc.message, exc.kind)]
    if isinstance(exc, DataError):
        return [p.at(path) for p in exc.problems]
    if isinstance(exc, ForbiddenExtraKeysError):
        expected = _field_names(exc.cl)
        return [
            Problem(
                join_path(path, _key_path(key)),
                f"unknown key; expected one of {expected}",
                SchemaError,
            )
            for key in sorted(exc.extra_fields, key=_sort_key)
        ]
    if isinstance(exc, KeyError):
        return [Problem(path, "required field is missing", SchemaError)]
    # Anything else (a class's own converter refusing a value) is described by the type
    # expected, never by the Python exception's text.
    expected = _expected_type(exc)
    return [Problem(path, f"is not valid here{expected}", SchemaError)]


def _sort_key(key: object) -> tuple[str, str]:
    return (type(key).__name__, key if isinstance(key, str) else describe(key))


def _key_path(key: object) -> str:
    """A key as a path element: plain when it is a short identifier, quoted otherwise."""
    if isinstance(key, str) and len(key) <= 60 and key.isidentifier() and key.isascii():
        return key
    return quote(key) if isinstance(key, str) else f"[{describe(key)}]"


def _expected_type(exc: BaseException) -> str:
    for note in getattr(exc, "__notes__", []):
        t = getattr(note, "type", None)
        if t is not None:
            name = getattr(t, "__name__", None)
            return f"; expected a {name}" if name else ""
    return ""


def _note_path(exc: BaseException, path: str) -> str:
    for note in getattr(exc, "__notes__", []):
        name = getattr(note, "name", None)
        index = getattr(note, "index", None)
        if name is not None:
            path = join_path(path, str(name))
        elif index is not None:
            path = f"{path}[{index}]"
    return path


def _field_names(cls: type | None) -> str:
    if cls is None or not attrs.has(cls):
        return "the documented fields"
    return ", ".join(a.alias or a.name for a in attrs.fields(cls) if a.init)
