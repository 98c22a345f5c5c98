"""Text formats: JSON, YAML (safe loader only) and TOML, to and from plain data."""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from stratpolicy.errors import FormatError, Problem

__all__ = ["FORMATS", "format_of", "parse_text", "render_text"]

FORMATS: dict[str, tuple[str, ...]] = {
    "json": (".json",),
    "yaml": (".yaml", ".yml"),
    "toml": (".toml",),
}
"""The supported formats and the file suffixes that select them."""


def format_of(path: str | os.PathLike[str]) -> str:
    """The format a file name's suffix selects.

    Raises:
        FormatError: The suffix is not one of ``.json``, ``.yaml``, ``.yml``, ``.toml``.
    """
    suffix = Path(path).suffix.lower()
    for name, suffixes in FORMATS.items():
        if suffix in suffixes:
            return name
    known = ", ".join(s for ss in FORMATS.values() for s in ss)
    raise FormatError([f"cannot tell the format of {str(path)!r}: expected a suffix {known}"])


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise FormatError([f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}"])


class _StrictSafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key written twice in one mapping.

    Two YAML 1.1 habits are dropped: dates stay text (the converter parses them, so a bad
    date such as ``2026-13-45`` is reported with its path instead of failing the whole
    parse), and only ``true``/``false`` are booleans, as in YAML 1.2 (a key ``on:`` or a
    value ``no`` stays text).
    """


_DROPPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}
_StrictSafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictSafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice in one mapping", mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_StrictSafeLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def parse_text(text: str, fmt: str, *, source: str | None = None) -> Any:
    """Parse a document into plain data.

    Raises:
        FormatError: The text is empty or not valid in ``fmt``; the message gives the line.
    """
    _check_format(fmt)
    if not text.strip():
        raise FormatError([Problem("", "the document is empty", FormatError)], source=source)
    try:
        if fmt == "json":
            return json.loads(text)
        if fmt == "yaml":
            return yaml.load(text, Loader=_StrictSafeLoader)  # noqa: S506 - a SafeLoader subclass
        return tomllib.loads(text)
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        message = f"not valid YAML: {problem}{where}"
    except tomllib.TOMLDecodeError as exc:
        message = f"not valid TOML: {exc}"
    raise FormatError([Problem("", message, FormatError)], source=source)


def render_text(data: Any, fmt: str) -> str:
    """Write plain data as a document in ``fmt``."""
    _check_format(fmt)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    import tomli_w

    return tomli_w.dumps(data)
