"""Reading and writing stratpolicy documents and plain data: JSON, YAML and TOML.

A document is a mapping with ``schema_version`` (currently 1), ``document`` (the kind of
object it holds, e.g. ``portfolio``) and the fields of that object::

    schema_version: 1
    document: portfolio
    id: demo
    name: Demo portfolio
    technologies:
      - {id: ai, name: Artificial intelligence, kind: area}

The module has four parts:

* **Documents in files**: :func:`load`, :func:`loads`, :func:`dump`, :func:`dumps`.
* **Objects and plain data** (for an application that receives JSON): a
  :class:`Converter` and the functions of its default instance, :func:`structure` and
  :func:`unstructure` (an object's fields, without the envelope), :func:`to_document` and
  :func:`from_document` (with it), :func:`schema` (a JSON Schema, draft 2020-12).
* **Plain data in files**, read as strictly as documents: :func:`read_data`,
  :func:`parse_data`, :func:`render_data`, :func:`write_data`.
* **Document kinds**: each layer registers its own (:func:`register_kind`) when it is
  imported; :func:`document_kinds` lists those registered so far, :func:`kind_of` names the
  kind of an object.

Every model object round-trips unchanged. Bad input raises one :class:`~stratpolicy.errors.
DataError` subclass listing every problem with its path; nothing is half-built.

Importing this module is cheap: cattrs and the parsers load on first use.

Examples:
    >>> from stratpolicy import Technology, TechnologyKind, io
    >>> text = io.dumps(Technology(id="ai", name="AI", kind=TechnologyKind.AREA), "json")
    >>> io.loads(text, "json")
    Technology(id='ai', name='AI', kind=<TechnologyKind.AREA: 'area'>, ...)
    >>> io.unstructure(io.loads(text, "json"))
    {'id': 'ai', 'name': 'AI', 'kind': 'area'}
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from stratpolicy.io._kinds import SCHEMA_VERSION, document_kinds, kind_of, register_kind

if TYPE_CHECKING:
    from stratpolicy.io._converter import (
        Converter,
        SchemaHook,
        default_converter,
        from_document,
        get_converter,
        register_enum,
        schema,
        structure,
        to_document,
        unstructure,
    )
    from stratpolicy.io._documents import dump, dumps, load, loads
    from stratpolicy.io._files import parse_data, read_data, render_data, write_data
    from stratpolicy.io._formats import FORMATS, format_of
    from stratpolicy.io._schema import JSON_SCHEMA_DIALECT

# name -> the private module that defines it, imported on first access (cattrs, PyYAML)
_LAZY: dict[str, str] = {
    "Converter": "_converter",
    "SchemaHook": "_converter",
    "default_converter": "_converter",
    "from_document": "_converter",
    "get_converter": "_converter",
    "register_enum": "_converter",
    "schema": "_converter",
    "structure": "_converter",
    "to_document": "_converter",
    "unstructure": "_converter",
    "dump": "_documents",
    "dumps": "_documents",
    "load": "_documents",
    "loads": "_documents",
    "parse_data": "_files",
    "read_data": "_files",
    "render_data": "_files",
    "write_data": "_files",
    "FORMATS": "_formats",
    "format_of": "_formats",
    "JSON_SCHEMA_DIALECT": "_schema",
}

__all__ = [
    "FORMATS",
    "JSON_SCHEMA_DIALECT",
    "SCHEMA_VERSION",
    "Converter",
    "SchemaHook",
    "default_converter",
    "document_kinds",
    "dump",
    "dumps",
    "format_of",
    "from_document",
    "get_converter",
    "kind_of",
    "load",
    "loads",
    "parse_data",
    "read_data",
    "register_enum",
    "register_kind",
    "render_data",
    "schema",
    "structure",
    "to_document",
    "unstructure",
    "write_data",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stratpolicy.io' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"stratpolicy.io.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
