"""Reading and writing stratpolicy documents: JSON, YAML and TOML.

A document is a mapping with ``schema_version`` (currently 1), ``document`` (the kind of
object it holds, e.g. ``portfolio``) and the fields of that object::

    schema_version: 1
    document: portfolio
    id: demo
    name: Demo portfolio
    technologies:
      - {id: ai, name: Artificial intelligence, kind: area}

Every model object round-trips unchanged. Bad input raises one :class:`~stratpolicy.errors.
DataError` subclass listing every problem with its path; nothing is half-built.

Examples:
    >>> from stratpolicy import Technology, TechnologyKind, io
    >>> text = io.dumps(Technology(id="ai", name="AI", kind=TechnologyKind.AREA), "json")
    >>> io.loads(text, "json")
    Technology(id='ai', name='AI', kind=<TechnologyKind.AREA: 'area'>, ...)
"""

from stratpolicy.io._converter import get_converter, register_enum, structure, unstructure
from stratpolicy.io._documents import (
    SCHEMA_VERSION,
    dump,
    dumps,
    kind_of,
    load,
    loads,
    register_kind,
)
from stratpolicy.io._formats import FORMATS, format_of

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "dump",
    "dumps",
    "format_of",
    "get_converter",
    "kind_of",
    "load",
    "loads",
    "register_enum",
    "register_kind",
    "structure",
    "unstructure",
]
