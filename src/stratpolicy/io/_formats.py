"""Text formats: JSON, YAML (safe subset) and TOML, to and from plain data.

Reading is bounded before work is done (see :mod:`stratpolicy.limits`): the size of the
document, then its encoding (UTF-8, with the byte offset of the first bad byte), then its
nesting depth (scanned before a parser can recurse), its integers (before conversion), and
for YAML its aliases (counted as they are met, never expanded). Any failure is a
:class:`~stratpolicy.errors.FormatError` with a line and column where one is known.

YAML is read from the parser's event stream (PyYAML's C parser, libyaml, when it is
installed; else its pure-Python parser) by a small builder of our own, not by PyYAML's
composer and constructor: the builder is not recursive, counts depth and alias expansion as
it goes, refuses keys written twice and complex keys (``? [a, b]``), and knows only the safe
tags: text, null, booleans (``true``/``false`` only, as in YAML 1.2), integers, floats,
and dates written with an explicit ``!!timestamp``; plain dates stay text so that the
converter reports a bad date at its path.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from stratpolicy._checks import quote
from stratpolicy.errors import FormatError, Problem
from stratpolicy.limits import (
    MAX_ALIAS_NODES,
    MAX_DOCUMENT_SIZE,
    MAX_INTEGER_DIGITS,
    MAX_NESTING_DEPTH,
)

__all__ = ["FORMATS", "decode", "format_of", "parse_text", "render_text"]

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
    raise FormatError(
        [f"cannot tell the format of {quote(str(path), 200)}: expected a suffix {known}"]
    )


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        shown = quote(fmt) if isinstance(fmt, str) else repr(type(fmt).__name__)
        raise FormatError([f"unknown format {shown}; expected one of {', '.join(FORMATS)}"])


class _Refused(Exception):
    """A bound or rule broken while reading; becomes a FormatError."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _fail(message: str, source: str | None) -> FormatError:
    return FormatError([Problem("", message, FormatError)], source=source)


_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode(data: bytes, *, source: str | None = None) -> str:
    """The text of a document's bytes, which must be UTF-8 (a leading UTF-8 BOM is dropped).

    Raises:
        FormatError: The bytes are more than :data:`~stratpolicy.limits.MAX_DOCUMENT_SIZE`,
            or not UTF-8: the message names the first bad byte's offset, line and column.
    """
    if len(data) > MAX_DOCUMENT_SIZE:
        raise _fail(_too_large(len(data), "bytes"), source)
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise _fail(
                f"the document is {name} text (it starts with a {name} byte-order mark); "
                "save it as UTF-8",
                source,
            )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        raise _fail(
            f"not UTF-8 text: byte 0x{data[start]:02x} at offset {start} "
            f"(line {line}, column {column}) cannot be decoded; save the document as UTF-8",
            source,
        ) from None


def _too_large(size: int, unit: str) -> str:
    return (
        f"the document is too large: {size:,} {unit}, more than the limit of "
        f"{MAX_DOCUMENT_SIZE:,} (stratpolicy.limits.MAX_DOCUMENT_SIZE)"
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_text(text: str | bytes, fmt: str, *, source: str | None = None) -> Any:
    """Parse a document into plain data.

    Args:
        text: The document, as text or as UTF-8 bytes.
        fmt: ``"json"``, ``"yaml"`` or ``"toml"``.
        source: Where the text came from, for error messages.

    Raises:
        FormatError: The text is empty, too large, not UTF-8, nested too deeply, holds an
            integer that is too long, or is not valid in ``fmt``; the message gives the line
            where one is known.
    """
    _check_format(fmt)
    if isinstance(text, (bytes, bytearray)):
        text = decode(bytes(text), source=source)
    elif not isinstance(text, str):
        raise _fail(f"expected the document as text or bytes, got {type(text).__name__}", source)
    else:
        if len(text) > MAX_DOCUMENT_SIZE:
            raise _fail(_too_large(len(text), "characters"), source)
        found = _SURROGATE.search(text)
        if found is not None:
            line, column = _line_column(text, found.start())
            raise _fail(
                f"the text holds a lone surrogate U+{ord(found.group()):04X} "
                f"(line {line}, column {column}): not Unicode text",
                source,
            )
        if text.startswith("\ufeff"):
            text = text[1:]
    if not text.strip():
        raise _fail("the document is empty", source)
    try:
        return _PARSERS[fmt](text)
    except _Refused as exc:
        where = f" (line {exc.line}, column {exc.column})" if exc.line is not None else ""
        raise _fail(f"not valid {fmt.upper()}: {exc.message}{where}", source) from None
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        if "nesting depth" in problem:  # libyaml's own bound (1000) met while scanning ahead
            problem = (
                f"nested deeper than {MAX_NESTING_DEPTH} levels "
                "(stratpolicy.limits.MAX_NESTING_DEPTH)"
            )
        message = f"not valid YAML: {problem}{where}"
    except tomllib.TOMLDecodeError as exc:
        message = f"not valid TOML: {exc}"
    except ValueError:  # Python's own limit on integer digits, if a scan let one through
        message = f"not valid {fmt.upper()}: a number is too long"
    raise _fail(message, source)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _depth_error(text: str, offset: int) -> _Refused:
    line, column = _line_column(text, offset)
    return _Refused(
        f"nested deeper than {MAX_NESTING_DEPTH} levels (stratpolicy.limits.MAX_NESTING_DEPTH)",
        line,
        column,
    )


def _scan_depth(text: str, tokens: re.Pattern[str]) -> None:
    """Refuse nesting deeper than the bound, skipping brackets inside strings and comments."""
    if text.count("[") + text.count("{") <= MAX_NESTING_DEPTH:
        return
    depth = 0
    for match in tokens.finditer(text):
        char = match.group()[0]
        if char in "[{":
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                raise _depth_error(text, match.start())
        elif char in "]}":
            depth = max(depth - 1, 0)


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"key {quote(key)} appears twice in one object")
        result[key] = value
    return result


def _json_int(text: str) -> int:
    if len(text) - text.startswith("-") > MAX_INTEGER_DIGITS:
        raise _Refused(_long_integer(len(text)))
    return int(text)


def _long_integer(length: int) -> str:
    return (
        f"a whole number of {length:,} characters has more than {MAX_INTEGER_DIGITS} digits "
        "(stratpolicy.limits.MAX_INTEGER_DIGITS)"
    )


def _json_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number")


def _parse_json(text: str) -> Any:
    _scan_depth(text, _JSON_TOKENS)
    return json.loads(
        text,
        object_pairs_hook=_json_pairs,
        parse_int=_json_int,
        parse_constant=_json_constant,
    )


_TOML_TOKENS = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]',
    re.DOTALL,
)
_TOML_LONG_NUMBER = re.compile(rf"[0-9][0-9_]{{{MAX_INTEGER_DIGITS},}}")
_TOML_NUMBER_TOKENS = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*'
    rf"|[0-9][0-9_]{{{MAX_INTEGER_DIGITS},}}",
    re.DOTALL,
)


def _parse_toml(text: str) -> Any:
    _scan_depth(text, _TOML_TOKENS)
    if _TOML_LONG_NUMBER.search(text):
        for match in _TOML_NUMBER_TOKENS.finditer(text):
            token = match.group()
            if token[0].isdigit() and len(token.replace("_", "")) > MAX_INTEGER_DIGITS:
                line, column = _line_column(text, match.start())
                raise _Refused(_long_integer(len(token)), line, column)
    data = tomllib.loads(text)
    _check_nesting(data)  # dotted keys (a.b.c = 1) nest without brackets
    return data


def _check_nesting(data: Any) -> None:
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if depth > MAX_NESTING_DEPTH:
            raise _Refused(
                f"nested deeper than {MAX_NESTING_DEPTH} levels "
                "(stratpolicy.limits.MAX_NESTING_DEPTH)"
            )
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))


# -- YAML ---------------------------------------------------------------------------------

_YAML_PARSER: Callable[[str], Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""The event source: PyYAML's C parser when libyaml is available (8-10x faster)."""

_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT = (_TAG + n for n in ("str", "null", "bool", "int", "float"))
_TIMESTAMP, _MERGE, _SEQ, _MAP = (_TAG + n for n in ("timestamp", "merge", "seq", "map"))


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.1's implicit types, less dates (kept as text), YAML 1.1 booleans and ``=``."""


_Resolver.yaml_implicit_resolvers = {
    first: [
        (tag, regexp) for tag, regexp in resolvers if tag not in (_TIMESTAMP, _BOOL, _TAG + "value")
    ]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_Resolver.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _MergeKey:
    """The ``<<`` key of a YAML merge."""


_MERGE_KEY = _MergeKey()
_NO_KEY = object()


class _Frame:
    """An open sequence or mapping while the builder reads its events."""

    __slots__ = ("anchor", "key", "key_mark", "mapping", "merges", "size", "value")

    def __init__(self, mapping: bool, anchor: str | None) -> None:
        self.mapping = mapping
        self.anchor = anchor
        self.value: Any = {} if mapping else []
        self.key: Any = _NO_KEY
        self.key_mark: Any = None
        self.merges: list[dict[Any, Any]] = []
        self.size = 1


class _YamlBuilder:
    """Plain data from a YAML event stream, without recursion and within the bounds."""

    def __init__(self, text: str) -> None:
        self.loader = _YAML_PARSER(text)
        self.resolver = _Resolver()
        self.constructor = yaml.constructor.SafeConstructor()
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.expanded = 0

    def build(self) -> Any:
        try:
            get = self.loader.get_event
            get()  # stream start
            result: Any = None
            documents = 0
            while True:
                event = get()
                if isinstance(event, yaml.StreamEndEvent):
                    return result
                documents += 1
                if documents > 1:
                    raise _refused("a file holds one document; found a second", event)
                result = self._document()
                get()  # document end
        finally:
            self.loader.dispose()

    def _document(self) -> Any:
        get = self.loader.get_event
        stack: list[_Frame] = []
        while True:
            event = get()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                value, size = self._scalar(event, stack)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, size)
            elif kind is yaml.AliasEvent:
                value, size = self._alias(event)
            elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                mapping = kind is yaml.MappingStartEvent
                if stack and stack[-1].mapping and stack[-1].key is _NO_KEY:
                    raise _refused(
                        "a key must be a single value (text or a number), not a list or a mapping",
                        event,
                    )
                if len(stack) >= MAX_NESTING_DEPTH:
                    raise _refused(
                        f"nested deeper than {MAX_NESTING_DEPTH} levels "
                        "(stratpolicy.limits.MAX_NESTING_DEPTH)",
                        event,
                    )
                expected = _MAP if mapping else _SEQ
                if event.tag not in (None, "!", expected):
                    raise _refused(f"the tag {quote(event.tag)} is not supported", event)
                if event.anchor is not None:
                    self.open_anchors.add(event.anchor)
                stack.append(_Frame(mapping, event.anchor))
                continue
            elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                frame = stack.pop()
                value, size = self._finish(frame), frame.size
                if frame.anchor is not None:
                    self.open_anchors.discard(frame.anchor)
                    self.anchors[frame.anchor] = (value, size)
            else:  # pragma: no cover - the parser guarantees the event grammar
                raise _refused(f"unexpected {kind.__name__}", event)
            if not stack:
                return value
            self._add(stack[-1], value, size, event)

    def _alias(self, event: Any) -> tuple[Any, int]:
        name = event.anchor
        if name in self.open_anchors:
            raise _refused(f"the alias *{name} refers to a value that contains it", event)
        if name not in self.anchors:
            raise _refused(f"the alias *{name} names no anchor (&{name}) before it", event)
        value, size = self.anchors[name]
        self.expanded += size
        if self.expanded > MAX_ALIAS_NODES:
            raise _refused(
                f"aliases expand to more than {MAX_ALIAS_NODES:,} values "
                "(stratpolicy.limits.MAX_ALIAS_NODES)",
                event,
            )
        return value, size

    def _add(self, frame: _Frame, value: Any, size: int, event: Any) -> None:
        frame.size += size
        if not frame.mapping:
            frame.value.append(value)
            return
        if frame.key is _NO_KEY:
            if isinstance(value, (list, dict)):
                raise _refused("a key must be a single value, not a list or a mapping", event)
            frame.key, frame.key_mark = value, event
            return
        key, frame.key = frame.key, _NO_KEY
        if key is _MERGE_KEY:
            merged = value if isinstance(value, list) else [value]
            if not all(isinstance(m, dict) for m in merged):
                raise _refused("a merge (<<) takes a mapping or a list of mappings", event)
            frame.merges.extend(merged)
            return
        if key in frame.value:
            raise _refused(f"key {_show_key(key)} appears twice in one mapping", frame.key_mark)
        frame.value[key] = value

    def _finish(self, frame: _Frame) -> Any:
        result = frame.value
        for merged in frame.merges:  # explicit keys win, then earlier merges
            for key, value in merged.items():
                if key not in result:
                    result[key] = value
        return result

    def _scalar(self, event: Any, stack: list[_Frame]) -> tuple[Any, int]:
        value: str = event.value
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, value, event.implicit)  # type: ignore[no-untyped-call]
        if tag == _STR:
            return value, 1
        if tag == _NULL:
            return None, 1
        if tag == _MERGE:
            in_key = stack and stack[-1].mapping and stack[-1].key is _NO_KEY
            return (_MERGE_KEY if in_key else value), 1
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
        try:
            if tag == _BOOL:
                return self.constructor.construct_yaml_bool(node), 1
            if tag == _INT:
                digits = value.replace("_", "").lstrip("+-")
                if len(digits) > MAX_INTEGER_DIGITS + 2:  # room for a 0x / 0o / 0b prefix
                    raise _refused(_long_integer(len(value)), event)
                return self.constructor.construct_yaml_int(node), 1
            if tag == _FLOAT:
                return self.constructor.construct_yaml_float(node), 1
            if tag == _TIMESTAMP:
                return self.constructor.construct_yaml_timestamp(node), 1
        except _Refused:
            raise
        except Exception:  # the constructors raise KeyError, ValueError, TypeError...
            raise _refused(f"{quote(value)} is not a valid {tag[len(_TAG) :]}", event) from None
        raise _refused(f"the tag {quote(tag)} is not supported", event)


def _show_key(key: Any) -> str:
    return quote(key) if isinstance(key, str) else repr(key)


def _refused(message: str, event: Any) -> _Refused:
    mark = getattr(event, "start_mark", None)
    if mark is None:
        return _Refused(message)
    return _Refused(message, mark.line + 1, mark.column + 1)


def _parse_yaml(text: str) -> Any:
    return _YamlBuilder(text).build()


_PARSERS: dict[str, Callable[[str], Any]] = {
    "json": _parse_json,
    "yaml": _parse_yaml,
    "toml": _parse_toml,
}


# -- writing ------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing text that other styles would change double-quoted.

    A plain, single-quoted or block scalar turns NEL, the line and paragraph separators
    and other control characters into line breaks or refuses them; double quotes escape them.
    """


_NEEDS_QUOTES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = '"' if _NEEDS_QUOTES.search(data) else None
    return dumper.represent_scalar(_STR, data, style=style)


_Dumper.add_representer(str, _represent_str)


def render_text(data: Any, fmt: str) -> str:
    """Write plain data as a document in ``fmt``."""
    _check_format(fmt)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if fmt == "yaml":
        text: str = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        return text
    import tomli_w

    rendered: str = tomli_w.dumps(data)
    return rendered
