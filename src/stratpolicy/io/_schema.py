"""JSON Schema (draft 2020-12) from the attrs classes and the converter's rules.

The schema states what the converter checks about the *shape* of a document: the fields of
each class and which are required (a field without a default), no other keys
(``additionalProperties: false``), the JSON type of each value, the values of each
enumeration (and the STIP codes instrument kinds also accept), ids in the id grammar
(fields typed :data:`~stratpolicy._checks.Id`; a list of ids names each once), dates as
``YYYY-MM-DD``, amounts as text, a class that may be written as one id (``__shorthand__``:
a technology link) as either form, a tagged union (:meth:`Converter.register_tagged_union`)
as one object per member with its tag, a class holding Python code as nothing at all. The rules
of the domain that hold between values (a reference that resolves, an id used once in a
portfolio, an end after its start, shares that add up) are the library's to check: the
schema accepts a document that breaks them.

Descriptions come from the classes' docstrings (their ``Attributes:`` section).
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import inspect
import re
import types
import typing
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import attrs

from stratpolicy._checks import ID, TextRule
from stratpolicy.io._kinds import SCHEMA_VERSION
from stratpolicy.limits import MAX_AMOUNT_LENGTH, MAX_INTEGER_DIGITS
from stratpolicy.units import Amount, Money

if TYPE_CHECKING:
    from stratpolicy.io._converter import Converter

__all__ = ["JSON_SCHEMA_DIALECT", "build_schema"]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect of every schema the library writes."""

# The end of the text, written so that Python's ``re.search`` (which lets ``$`` match
# before a final newline) and ECMA-262 engines agree: nothing may follow.
_END = r"(?![\s\S])"

_DATE: dict[str, Any] = {
    "type": "string",
    "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}" + _END,
    "format": "date",
    "description": "A date written YYYY-MM-DD (ASCII digits).",
}
_INTEGER_BOUND = 10**MAX_INTEGER_DIGITS - 1
_AMOUNT: dict[str, Any] = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_AMOUNT_LENGTH,
    "description": "An amount written as text: a number, then a unit ('50,000 GPU', '2.5 GW').",
    "examples": ["50,000 GPU", "2.5 GW", "35.3 trillion KRW"],
}
_MONEY: dict[str, Any] = {
    **_AMOUNT,
    "description": "An amount of money written as text: a number, then a currency "
    "('35.3 trillion KRW', '1.2 billion USD').",
    "examples": ["35.3 trillion KRW", "1.2 billion USD", "3,500억원"],
}


def build_schema(converter: Converter, target: Any, kind: str | None) -> dict[str, Any]:
    """The schema of ``target`` (a class or a type); with the envelope of ``kind`` if given."""
    builder = _Builder(converter)
    if kind is not None:
        root = builder.object_schema(target)
        if root is False:
            raise TypeError(f"{target.__qualname__} cannot be read from a document")
        properties = {
            "schema_version": {
                "const": SCHEMA_VERSION,
                "description": "The version of the file format (a whole number).",
            },
            "document": {"const": kind, "description": "The kind of object the document holds."},
            **root["properties"],
        }
        document: dict[str, Any] = {
            "$schema": JSON_SCHEMA_DIALECT,
            "$id": f"urn:stratpolicy:schema:{SCHEMA_VERSION}:{kind}",
            "title": f"stratpolicy {kind} document",
            **({"description": root["description"]} if "description" in root else {}),
            "type": "object",
            "properties": properties,
            "required": ["schema_version", "document", *root.get("required", ())],
            "additionalProperties": False,
        }
    else:
        if isinstance(target, type) and attrs.has(target):
            body = builder.object_schema(target)
            if body is False:
                raise TypeError(f"{target.__qualname__} cannot be read from plain data")
        else:
            of = builder.of(target)
            body = of if isinstance(of, dict) else {"not": {}} if of is False else {}
        document = {"$schema": JSON_SCHEMA_DIALECT, **body}
    if builder.defs:
        document["$defs"] = dict(sorted(builder.defs.items()))
    return document


class _Builder:
    """Walks the types once, collecting a definition per class and enumeration."""

    def __init__(self, converter: Converter) -> None:
        self.converter = converter
        self.defs: dict[str, Any] = {}
        self.names: dict[Any, str] = {}

    # -- one type ---------------------------------------------------------------------

    def of(self, t: Any) -> dict[str, Any] | bool:
        hook = self.converter.schema_hook_for(t)
        if hook is not None:
            return hook(t)
        if t is Any or t is object:
            return True
        if t is Amount:
            return dict(_AMOUNT)
        if t is Money:
            return dict(_MONEY)
        origin = typing.get_origin(t)
        if origin is Annotated:
            base, *metadata = typing.get_args(t)
            schema = self.of(base)
            for item in metadata:
                if isinstance(item, TextRule) and isinstance(schema, dict):
                    schema = {
                        **schema,
                        "pattern": f"^{item.pattern}{_END}",
                        "minLength": item.min_length,
                        "maxLength": item.max_length,
                        "description": _sentence(item.description),
                    }
            return schema
        if t is type(None) or t is None:
            return {"type": "null"}
        tagged = self.converter.tagged_union(t)
        if tagged is not None:
            return self._tagged(t, *tagged)
        if origin is typing.Union or isinstance(t, types.UnionType):
            return self._union(typing.get_args(t))
        if t is bool:
            return {"type": "boolean"}
        if t is int:
            return {"type": "integer", "minimum": -_INTEGER_BOUND, "maximum": _INTEGER_BOUND}
        if t is float:
            return {"type": "number"}
        if t is str:
            return {"type": "string"}
        if t is dt.date:
            return dict(_DATE)
        if isinstance(t, type) and issubclass(t, Enum):
            return self._ref(t, self._enum)
        if origin is tuple:
            args = typing.get_args(t)
            if len(args) == 2 and args[1] is Ellipsis:
                items = self.of(args[0])
                if items is False:
                    return dict(_EMPTY_LIST)
                array: dict[str, Any] = {"type": "array", "items": items}
                if ID in typing.get_args(args[0])[1:]:
                    array["uniqueItems"] = True  # a list of references names each id once
                return array
        if origin in (dict, collections.abc.Mapping, typing.Mapping) and typing.get_args(t):
            key, value = typing.get_args(t)
            mapping: dict[str, Any] = {"type": "object", "additionalProperties": self.of(value)}
            keys = self.of(key)
            if keys != {"type": "string"}:
                mapping["propertyNames"] = keys
            return mapping
        if origin is collections.abc.Callable or t is collections.abc.Callable:
            return False  # the converter refuses code in a document
        if isinstance(t, type) and attrs.has(t):
            return self._class_ref(t)
        raise TypeError(
            f"no JSON Schema for {t!r}: give it with Converter.register_schema_hook, next to "
            "the converter's hook that reads it"
        )

    def _union(self, members: tuple[Any, ...]) -> dict[str, Any] | bool:
        options: list[dict[str, Any]] = []
        for member in members:
            schema = self.of(member)
            if schema is True:
                return True
            if schema is False:
                continue
            options.append(schema)
        if not options:
            return False
        if len(options) == 1:
            return options[0]
        return {"anyOf": options}

    def _tagged(self, union: Any, tag: str, tags: dict[str, type[Any]]) -> dict[str, Any]:
        """One object schema per member, each with its tag first (``oneOf``)."""
        name = "_or_".join(cls.__name__ for cls in tags.values())
        if name not in self.defs:
            self.defs[name] = {}
            variants = []
            for value, cls in tags.items():
                body = self.object_schema(cls)
                if body is False:
                    continue
                variants.append(
                    {
                        **body,
                        "properties": {
                            tag: {"const": value, "description": f"The {tag}: {value}."},
                            **body["properties"],
                        },
                        "required": [tag, *body.get("required", ())],
                    }
                )
            self.defs[name] = {"oneOf": variants}
        return {"$ref": f"#/$defs/{name}"}

    # -- named definitions --------------------------------------------------------------

    def _name(self, t: type[Any]) -> str:
        name = self.names.get(t)
        if name is None:
            name = t.__qualname__.replace(".", "_")
            if name in self.names.values():
                name = f"{t.__module__}.{name}".replace(".", "_")
            self.names[t] = name
        return name

    def _ref(self, t: type[Any], build: Any) -> dict[str, Any] | bool:
        name = self._name(t)
        if name not in self.defs:
            self.defs[name] = {}  # a placeholder, for classes that refer to themselves
            self.defs[name] = build(t)
        if self.defs[name] is False:
            del self.defs[name]
            self.names.pop(t)
            return False
        return {"$ref": f"#/$defs/{name}"}

    def _enum(self, cls: type[Enum]) -> dict[str, Any]:
        values: list[Any] = [m.value for m in cls]
        aliases = _aliases(cls)
        description = _summary(cls)
        if aliases:
            description += " Written by value, or by its code: " + ", ".join(
                f"{a} ({cls(a).value})" for a in aliases[:3]
            )
            description += ", ..."
        schema: dict[str, Any] = {"title": cls.__name__}
        if description:
            schema["description"] = description
        if all(isinstance(v, str) for v in values):
            schema["type"] = "string"
        schema["enum"] = values + aliases
        return schema

    def _class_ref(self, cls: type[Any]) -> dict[str, Any] | bool:
        return self._ref(cls, self._class_as_field)

    def _class_as_field(self, cls: type[Any]) -> dict[str, Any] | bool:
        body = self.object_schema(cls)
        if body is False:
            return False
        shorthand = getattr(cls, "__shorthand__", None)
        if isinstance(shorthand, str):
            alone = {k: v for k, v in body["properties"][shorthand].items() if k != "default"}
            alone["description"] = f"The {shorthand} alone, for {{{shorthand}: ...}}."
            title = body.pop("title")
            description = body.pop("description", None)
            head: dict[str, Any] = {"title": title}
            if description:
                head["description"] = description
            return {**head, "anyOf": [alone, body]}
        return body

    def object_schema(self, cls: type[Any]) -> dict[str, Any] | typing.Literal[False]:
        """The object form of an attrs class, or ``False`` when no document can hold one."""
        if isinstance(getattr(cls, "__not_serialisable__", None), str):
            return False
        hints = typing.get_type_hints(cls, include_extras=True)
        docs = _field_docs(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            if not field.init:
                continue
            schema = self.of(hints[field.name])
            if field.default is attrs.NOTHING:
                if schema is False:
                    return False  # a field nothing can fill: the class cannot be read
                required.append(field.name)
            elif not isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                default = _plain_default(field.default)
                if default is not _NO_DEFAULT and isinstance(schema, dict):
                    schema = {**schema, "default": default}
            if field.name in docs:
                if schema is True:
                    schema = {}
                if isinstance(schema, dict):
                    own = schema.get("description") if "$ref" not in schema else None
                    text = docs[field.name] + (f" {own}" if own else "")
                    schema = {**schema, "description": text}
            properties[field.name] = schema
        result: dict[str, Any] = {"title": cls.__name__}
        summary = _summary(cls)
        if summary:
            result["description"] = summary
        result["type"] = "object"
        result["properties"] = properties
        if required:
            result["required"] = required
        result["additionalProperties"] = False
        return result


_EMPTY_LIST: dict[str, Any] = {"type": "array", "maxItems": 0}
_NO_DEFAULT = object()


def _plain_default(value: Any) -> Any:
    """A field's default as plain data, if it is a simple constant."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, Enum):
        return value.value
    if value == ():
        return []
    return _NO_DEFAULT


def _aliases(cls: type[Enum]) -> list[str]:
    """Other spellings the enumeration accepts: each member's ``code``, if it names it."""
    found: list[str] = []
    for member in cls:
        code = getattr(member, "code", None)
        if isinstance(code, str) and code != member.value:
            try:
                if cls(code) is member:
                    found.append(code)
            except ValueError:
                continue
    return found


_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")


def _clean(text: str) -> str:
    text = _ROLE.sub(lambda m: m.group(1).rsplit(".", 1)[-1], text)
    text = _LITERAL.sub(r"\1", text)
    return " ".join(text.split())


def _sentence(text: str) -> str:
    text = text.strip()
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".") if text else text


def _summary(obj: Any) -> str:
    """The first paragraph of an object's docstring, on one line."""
    doc = inspect.getdoc(obj)
    if not doc or (isinstance(obj, type) and obj.__doc__ is None):
        return ""
    if isinstance(obj, type) and issubclass(obj, Enum) and doc == inspect.getdoc(Enum):
        return ""
    return _clean(doc.split("\n\n", 1)[0])


_SECTION = re.compile(r"^(\s*)Attributes:\s*$")
_ENTRY = re.compile(r"^(\w+)(?: \([^)]*\))?:\s*(.*)$")


def _field_docs(cls: type[Any]) -> dict[str, str]:
    """Each field's description from the ``Attributes:`` section of a Google docstring."""
    doc = inspect.getdoc(cls) or ""
    lines = doc.splitlines()
    found: dict[str, str] = {}
    inside = False
    indent = -1
    name = ""
    for line in lines:
        if not inside:
            inside = bool(_SECTION.match(line))
            continue
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip())
        if depth == 0:
            break
        if indent < 0:
            indent = depth
        entry = _ENTRY.match(line.strip()) if depth == indent else None
        if entry is not None:
            name = entry.group(1)
            found[name] = entry.group(2)
        elif depth > indent and name:
            found[name] += " " + line.strip()
        else:
            break
    return {k: _sentence(_clean(v)) for k, v in found.items()}
