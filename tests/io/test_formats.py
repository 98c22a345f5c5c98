"""Reading text is bounded and strict in each format (stratpolicy.io._formats).

Every bound of :mod:`stratpolicy.limits` that concerns documents is tested at its edge: the
last value allowed is read, the next one is refused with a FormatError naming the bound.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stratpolicy import io, limits
from stratpolicy.errors import DataError, FormatError, SchemaError
from stratpolicy.io import _formats
from stratpolicy.io._formats import parse_text

FORMATS = ("json", "yaml", "toml")


def nested(fmt: str, depth: int) -> str:
    """A document whose top mapping holds a value nested to ``depth`` levels in all."""
    inner = "[" * (depth - 1) + "]" * (depth - 1)
    if fmt == "toml":
        return f"a = {inner}\n"
    if fmt == "json":
        return '{"a": ' + inner + "}"
    return "a: " + inner + "\n"


@pytest.mark.parametrize("fmt", FORMATS)
def test_nesting_is_bounded_at_its_edge(fmt: str) -> None:
    parse_text(nested(fmt, limits.MAX_NESTING_DEPTH), fmt)
    with pytest.raises(FormatError, match="nested deeper than 32 levels"):
        parse_text(nested(fmt, limits.MAX_NESTING_DEPTH + 1), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_100000_nested_brackets_are_a_format_error(fmt: str) -> None:
    # was RecursionError in all three formats
    with pytest.raises(FormatError, match="nested deeper than"):
        parse_text(nested(fmt, 100_000), fmt)


def test_brackets_inside_strings_do_not_count() -> None:
    text = '{"a": "' + "[" * 1000 + '", "b": ["]]]]"]}'
    assert parse_text(text, "json")["b"] == ["]]]]"]
    toml = "a = '" + "[" * 1000 + '\'\nb = """' + "{" * 100 + '"""\n# [[[[[[\n'
    assert parse_text(toml, "toml")["a"] == "[" * 1000


def test_toml_dotted_keys_count_as_nesting() -> None:
    keys = ".".join(f"k{i}" for i in range(limits.MAX_NESTING_DEPTH + 1))
    with pytest.raises(FormatError, match="nested deeper than"):
        parse_text(f"{keys} = 1\n", "toml")


@pytest.mark.parametrize("fmt", FORMATS)
def test_integers_are_bounded_before_conversion(fmt: str) -> None:
    ok, too_long = "9" * limits.MAX_INTEGER_DIGITS, "9" * 5000  # 5000 > Python's 4300 too
    template = {"json": '{"a": %s}', "yaml": "a: %s\n", "toml": "a = %s\n"}[fmt]
    assert parse_text(template % ok, fmt) == {"a": int(ok)}
    with pytest.raises(FormatError, match="more than 100 digits"):
        parse_text(template % too_long, fmt)
    assert parse_text(template % ("-" + ok), fmt) == {"a": -int(ok)}


def test_long_digit_runs_inside_strings_are_text() -> None:
    digits = "1" * 5000
    assert parse_text(f'a = "{digits}"\n', "toml") == {"a": digits}
    assert parse_text(f'{{"a": "{digits}"}}', "json") == {"a": digits}
    assert parse_text(f"a: '{digits}'\n", "yaml") == {"a": digits}


def test_documents_are_bounded_in_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_formats, "MAX_DOCUMENT_SIZE", 100)
    assert parse_text("a: " + "x" * 90, "yaml") == {"a": "x" * 90}
    with pytest.raises(FormatError, match="too large: 104 characters"):
        parse_text("a: " + "x" * 101, "yaml")
    with pytest.raises(FormatError, match="too large: 104 bytes"):
        parse_text(b"a: " + b"x" * 101, "yaml")


def test_load_reads_no_more_than_the_bound(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with path.open("wb") as handle:  # a sparse file: 1 byte past the bound
        handle.truncate(limits.MAX_DOCUMENT_SIZE + 1)
    with pytest.raises(FormatError, match="too large"):
        io.load(path)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("name: Café\n".encode("latin-1"), "byte 0xe9 at offset 9 (line 1, column 10)"),
        ("a: 1\nname: Café\n".encode("cp1252"), "byte 0xe9 at offset 14 (line 2, column 10)"),
        ("name: x\n".encode("utf-16"), "UTF-16 text"),
        ("name: x\n".encode("utf-32"), "UTF-32 text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "byte 0x89 at offset 0"),
    ],
)
def test_text_that_is_not_utf8_names_the_byte(data: bytes, words: str) -> None:
    for fmt in FORMATS:
        with pytest.raises(FormatError, match="save") as info:
            parse_text(data, fmt)
        assert words in str(info.value)


def test_a_utf8_byte_order_mark_is_allowed() -> None:
    for fmt, text in (("json", '{"a": 1}'), ("yaml", "a: 1"), ("toml", "a = 1")):
        assert parse_text(b"\xef\xbb\xbf" + text.encode(), fmt) == {"a": 1}
        assert parse_text("\ufeff" + text, fmt) == {"a": 1}


def test_lone_surrogates_in_text_are_refused() -> None:
    with pytest.raises(FormatError, match=r"lone surrogate U\+D83D"):
        parse_text("a: \ud83d\n", "yaml")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("? [a, b]\n: 1\n", "a key must be a single value"),
        ("? {a: 1}\n: 1\n", "a key must be a single value"),
        ("a: !!float abc\n", "'abc' is not a valid float (line 1, column 4)"),
        ("a: !!int x\n", "'x' is not a valid int"),
        ("a: !!timestamp foo\n", "'foo' is not a valid timestamp"),
        ("a: !!timestamp 2025-13-45\n", "is not a valid timestamp"),
        ("a: !!bool maybe\n", "'maybe' is not a valid bool"),
        ("a: !!binary aGVsbG8=\n", "the tag 'tag:yaml.org,2002:binary' is not supported"),
        ("a: !!set {x, y}\n", "is not supported"),
        ("a: !!python/object:os.system x\n", "is not supported"),
        ("a: !custom x\n", "the tag '!custom' is not supported"),
        ("a: &x [*x]\n", "the alias *x refers to a value that contains it"),
        ("a: *nothing\n", "names no anchor"),
        ("a: 1\na: 2\n", "key 'a' appears twice in one mapping (line 2, column 1)"),
        ("a: 1\n---\nb: 2\n", "a file holds one document"),
        ("a: [1, 2\n", "not valid YAML"),
        ("a: <<\n<<: 5\n", "a merge (<<) takes a mapping"),
    ],
)
def test_yaml_refusals(text: str, words: str) -> None:
    with pytest.raises(FormatError) as info:
        parse_text(text, "yaml")
    assert words in str(info.value)


def test_yaml_safe_types() -> None:
    text = (
        "s: text\nn: null\nt: true\nf: FALSE\ni: 0x1F\no: 017\nx: 1_000\nr: 2.5\n"
        "inf: .inf\nd: 2026-01-01\nts: !!timestamp 2026-01-01\nyes: no\neq: =\n"
        "q: '<<'\nk: !!str 12\n"
    )
    data = parse_text(text, "yaml")
    assert data == {
        "s": "text",
        "n": None,
        "t": True,
        "f": False,
        "i": 31,
        "o": 15,
        "x": 1000,
        "r": 2.5,
        "inf": float("inf"),  # read; refused by the converter with its path
        "d": "2026-01-01",  # plain dates stay text: the converter checks them
        "ts": dt.date(2026, 1, 1),
        "yes": "no",  # YAML 1.1 booleans stay text
        "eq": "=",
        "q": "<<",
        "k": "12",
    }


def test_yaml_merges_and_aliases_within_the_budget() -> None:
    text = "base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\nd: [*b, *b]\n"
    data = parse_text(text, "yaml")
    assert data["c"] == {"x": 1, "y": 3}
    assert data["d"] == [{"x": 1, "y": 2}] * 2


def test_alias_expansion_is_bounded_at_its_edge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_formats, "MAX_ALIAS_NODES", 30)
    # the anchored list counts 1 + 9 values; three aliases add 30, four add 40
    anchor = "a: &a [" + ", ".join("x" * 9) + "]\n"
    assert len(parse_text(anchor + "b: [*a, *a, *a]\n", "yaml")["b"]) == 3
    with pytest.raises(FormatError, match="aliases expand to more than 30 values"):
        parse_text(anchor + "b: [*a, *a, *a, *a]\n", "yaml")


def test_the_alias_bomb_is_refused_without_expanding_it() -> None:
    levels = "abcdefghi"
    lines = ["l0: &a [" + ",".join(["lol"] * 9) + "]"]
    for prev, cur in itertools.pairwise(levels):
        lines.append(f"l{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(FormatError, match="aliases expand to more than 100,000"):
        parse_text("\n".join(lines), "yaml")


def test_yaml_depth_counts_block_nesting() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "v\n"
    with pytest.raises(FormatError, match="nested deeper than 32"):
        parse_text(text, "yaml")


def test_the_pure_python_parser_gives_the_same_data(monkeypatch: pytest.MonkeyPatch) -> None:
    from stratpolicy.catalogs._data import read_data

    names = ["kr_summit_2025.yaml", "kr_tax_credits.yaml", "kr_tech_levels.yaml"]
    fast = [read_data(n) for n in names]
    monkeypatch.setattr(_formats, "_YAML_PARSER", yaml.SafeLoader)
    assert [read_data(n) for n in names] == fast
    with pytest.raises(FormatError, match="nested deeper than 32"):
        parse_text(nested("yaml", 100_000), "yaml")


def test_the_c_parser_is_used_when_available() -> None:
    if getattr(yaml, "CSafeLoader", None) is None:  # pragma: no cover - libyaml missing
        pytest.skip("PyYAML without libyaml")
    assert _formats._YAML_PARSER is yaml.CSafeLoader


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"a": 1, "a": 2}', "key 'a' appears twice in one object"),
        ('{"a": {"b": 1, "b": 1}}', "key 'b' appears twice"),
        ('{"a": NaN}', "NaN is not a JSON number"),
        ('{"a": -Infinity}', "-Infinity is not a JSON number"),
        ('{"a": 1} x', "Extra data"),
    ],
)
def test_json_refusals(text: str, words: str) -> None:
    with pytest.raises(FormatError) as info:
        parse_text(text, "json")
    assert words in str(info.value)


def test_kind_mismatch_is_reported_at_document() -> None:
    from stratpolicy import Mission, Portfolio

    text = io.dumps(Mission(id="m", name="M"), "yaml")
    with pytest.raises(SchemaError) as info:
        io.loads(text, "yaml", Portfolio)
    assert [p.path for p in info.value.problems] == ["document"]


def test_schema_version_is_the_whole_number_1() -> None:
    for version in ("1.0", "true", "'1'", "1.5", "2"):
        with pytest.raises(SchemaError, match="unsupported version"):
            io.loads(f"schema_version: {version}\ndocument: citation\nact: A\n", "yaml")
    assert io.loads("schema_version: 1\ndocument: citation\nact: A\n", "yaml").act == "A"


def test_loads_accepts_utf8_bytes() -> None:
    text = io.dumps(
        io.loads("schema_version: 1\ndocument: citation\nact: 조세특례제한법\n"), "json"
    )
    assert io.loads(text.encode("utf-8"), "json").act == "조세특례제한법"
    assert json.loads(text)["act"] == "조세특례제한법"


def test_a_long_list_of_bad_items_reports_at_most_max_list_problems() -> None:
    aliases = json.dumps([7] * 100_000)
    text = (
        '{"schema_version": 1, "document": "technology", "id": "t", "name": "T", '
        f'"aliases": {aliases}}}'
    )
    with pytest.raises(SchemaError) as info:
        io.loads(text, "json")
    problems = info.value.problems
    assert len(problems) == limits.MAX_LIST_PROBLEMS + 1
    assert problems[0].path == "aliases[0]" and "expected text, got 7" in problems[0].message
    assert problems[-1].path == f"aliases[{limits.MAX_LIST_PROBLEMS}]"
    assert "the items from here on are not checked" in problems[-1].message


_SYNTAX = st.sampled_from(
    [
        *"[]{}:,-?&*!|>'\"#%@`=\n\t ",
        "<<",
        "---",
        "...",
        "!!float",
        "&a",
        "*a",
        "1e999",
        "0x",
        "9" * 120,
        "\x85",
        "\u2028",
        "\ufeff",
        "true",
        "null",
        "~",
        "a",
        "b: 1",
        '"k": ',
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.lists(_SYNTAX, max_size=40).map(lambda parts: "".join(parts).encode()),
    ),
    st.sampled_from(FORMATS),
)
def test_any_bytes_give_data_or_a_format_error(data: bytes, fmt: str) -> None:
    with contextlib.suppress(FormatError):
        parse_text(data, fmt)
    with contextlib.suppress(DataError):
        io.loads(data, fmt)
