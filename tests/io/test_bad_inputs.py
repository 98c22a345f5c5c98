"""Each broken file in tests/data/bad is rejected with the expected error class and path.

Files are read with ``stratpolicy.load``, which knows every document kind the library ships
(``io.load`` knows the kinds registered so far: a parameter set needs ``stratpolicy.rules``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import stratpolicy
from stratpolicy import io
from stratpolicy.errors import (
    CurrencyError,
    DataError,
    DuplicateIdError,
    FormatError,
    SchemaError,
    UnitError,
    UnknownReferenceError,
    ValidationError,
)
from tests.conftest import DATA

# file -> (exact error class, [(path, words the message must contain), ...]), from the files.
EXPECTED: dict[str, tuple[type[DataError], list[tuple[str, str]]]] = {
    "wrong_unit.yaml": (
        UnitError,
        [("instruments[0].budget[0].amount", "'12 tonnes' is not an amount of money")],
    ),
    "not_money.yaml": (
        UnitError,
        [("instruments[0].budget[0].amount", "'2.5 GW' is not an amount of money")],
    ),
    "mixed_currencies.yaml": (
        CurrencyError,
        [("instruments[0].budget", "in USD, 'parent' in KRW")],
    ),
    "parts_exceed_budget.yaml": (
        ValidationError,
        [("instruments[0].budget", "more than its budget of 1 trillion KRW")],
    ),
    "unknown_reference.yaml": (
        UnknownReferenceError,
        [
            (
                "missions[0].requires[1].technology",
                "mission 'ai_leadership' requires unknown technology 'warp_drive'",
            )
        ],
    ),
    "duplicate_id.yaml": (DuplicateIdError, [("missions[0].id", "duplicate id 'quantum'")]),
    "unknown_key.yaml": (SchemaError, [("technologies[0].colour", "unknown key")]),
    "wrong_type.yaml": (
        SchemaError,
        [("missions[0].targets[0].rank", "expected a whole number, got 'three'")],
    ),
    "bad_date.yaml": (
        SchemaError,
        [("missions[0].due", "expected a date as YYYY-MM-DD, got '2026-13-45'")],
    ),
    "dates_out_of_order.yaml": (
        ValidationError,
        [("instruments[0].end", "must not be before the start date 2026-01-01")],
    ),
    "negative_budget.yaml": (
        ValidationError,
        [("instruments[0].budget[0].amount", "must not be negative, got '-3 trillion KRW'")],
    ),
    "weight_out_of_range.yaml": (
        ValidationError,
        [("missions[0].requires[0].weight", "must be in (0, 1], got 1.5")],
    ),
    "shares_over_one.yaml": (
        ValidationError,
        [("instruments[0].supports", "shares add up to 1.3")],
    ),
    "parent_cycle.yaml": (
        ValidationError,
        [
            ("missions[0].parent", "'a' is its own ancestor"),
            ("missions[1].parent", "'b' is its own ancestor"),
        ],
    ),
    "firm_size_on_ministry.yaml": (
        ValidationError,
        [("actors[0].firm_size", "only firms have a size")],
    ),
    "malformed.yaml": (FormatError, [("", "not valid YAML")]),
    "malformed.json": (FormatError, [("", "not valid JSON")]),
    "duplicate_key.yaml": (FormatError, [("", "key 'name' appears twice")]),
    "empty.yaml": (FormatError, [("", "the document is empty")]),
    "unknown_kind.yaml": (SchemaError, [("document", "unknown document kind 'spaceship'")]),
    "wrong_schema_version.yaml": (SchemaError, [("schema_version", "unsupported version 7")]),
    "missing_field.json": (
        SchemaError,
        [
            ("name", "required field is missing"),
            ("technologies[0].name", "required field is missing"),
        ],
    ),
    "bad_enum.toml": (SchemaError, [("instruments[0].kind", "'PI999' is not a InstrumentKind")]),
    # -- hard edges (issue 9): bounds, encodings, tags, non-finite numbers, ids -----------
    "alias_bomb.yaml": (FormatError, [("", "aliases expand to more than 100,000 values")]),
    "amount_exponent_bomb.yaml": (
        UnitError,
        [
            ("missions[0].targets[0].value", "'1 m^(9^9^9)': a power must be a whole number"),
            ("missions[0].targets[1].value", "'9^9^(2^2^2)' is not a unit"),
        ],
    ),
    "deep_nesting.json": (
        FormatError,
        [("", "32 levels (stratpolicy.limits.MAX_NESTING_DEPTH) (line 1, column 98)")],
    ),
    "deep_nesting.yaml": (FormatError, [("", "nested deeper than 32 levels")]),
    "deep_nesting.toml": (
        FormatError,
        [("", "32 levels (stratpolicy.limits.MAX_NESTING_DEPTH) (line 4, column 40)")],
    ),
    "latin1.yaml": (FormatError, [("", "not UTF-8 text: byte 0xe9 at offset 53 (line 4")]),
    "utf16.json": (FormatError, [("", "the document is UTF-16 text")]),
    "binary.toml": (FormatError, [("", "not UTF-8 text: byte 0x80 at offset 128")]),
    "complex_key.yaml": (FormatError, [("", "a key must be a single value")]),
    "bad_float_tag.yaml": (FormatError, [("", "'not-a-number' is not a valid float (line 5")]),
    "bad_int_tag.yaml": (FormatError, [("", "'twelve' is not a valid int (line 5")]),
    "bad_timestamp_tag.yaml": (FormatError, [("", "'next tuesday' is not a valid timestamp")]),
    "huge_integer.json": (FormatError, [("", "has more than 100 digits")]),
    "huge_integer.yaml": (FormatError, [("", "has more than 100 digits (stratpolicy.limits")]),
    "huge_integer.toml": (FormatError, [("", "has more than 100 digits (stratpolicy.limits")]),
    "infinite_rate.yaml": (
        ValidationError,
        [("rates[0].rate", "must be a finite number, got inf")],
    ),
    "infinite_budget.yaml": (
        UnitError,
        [("instruments[0].budget[0].amount", "'1e999 KRW' is not a finite amount")],
    ),
    "nan_indicator.yaml": (
        ValidationError,
        [("technologies[0].indicators[0].points[0].value", "must be a finite number, got nan")],
    ),
    "duplicate_key.json": (FormatError, [("", "key 'name' appears twice in one object")]),
    "invisible_id.yaml": (
        ValidationError,
        [
            ("technologies[0].id", "'ai\\u200b' is not an id"),
            ("technologies[1].id", "'chip\\xads' is not an id"),
            ("technologies[2].id", "' quantum' is not an id"),
        ],
    ),
    "schema_version_float.yaml": (
        SchemaError,
        [("schema_version", "unsupported version 1.0 (a number); this library reads 1")],
    ),
    "date_basic_format.yaml": (
        SchemaError,
        [("as_of", "expected a date as YYYY-MM-DD, got '20250101'")],
    ),
    "date_week_format.yaml": (
        SchemaError,
        [("as_of", "expected a date as YYYY-MM-DD, got '2025-W01-1'")],
    ),
    "fullwidth_amount.yaml": (
        UnitError,
        [("instruments[0].budget[0].amount", "expected a number (ASCII digits) then a unit")],
    ),
    "milestone_duplicate_mission.yaml": (
        ValidationError,
        [("roadmaps[0].milestones[0].missions[1]", "duplicate mission 'm'")],
    ),
    "mapping_expected.yaml": (
        SchemaError,
        [("parameters[0].values[0].by_key", "expected a mapping, got 5 (a whole number)")],
    ),
    "lone_surrogate.json": (ValidationError, [("name", "contains a lone surrogate U+D800")]),
    "unknown_currency.yaml": (CurrencyError, [("rates[0].quote", "unknown currency 'XYZ'")]),
    "many_problems.yaml": (
        DataError,
        [
            ("missions[0].name", "expected text, got 42"),
            ("missions[0].requires[0].weight", "must be in (0, 1], got 0"),
            ("extra", "unknown key"),
        ],
    ),
}

BAD = DATA / "bad"


def test_every_bad_file_has_an_expectation() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 50


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_rejected_with_class_and_path(name: str) -> None:
    error_class, expected = EXPECTED[name]
    with pytest.raises(DataError) as info:
        stratpolicy.load(BAD / name)
    err = info.value
    assert type(err) is error_class
    assert err.source == str(BAD / name)
    found = [(p.path, p.message) for p in err.problems]
    assert len(found) == len(expected), found
    for (path, words), (got_path, got_message) in zip(expected, found, strict=True):
        assert got_path == path
        assert words in got_message
    # never Python internals in a message
    for problem in err.problems:
        for internal in ("object has no attribute", "NoneType", "Traceback", "Error:"):
            assert internal not in problem.message, problem


def test_missing_file_and_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        io.load(tmp_path / "nope.yaml")
    with pytest.raises(FormatError, match="cannot tell the format"):
        io.load(tmp_path / "data.xml")
    with pytest.raises(FormatError, match="unknown format 'xml'"):
        io.loads("a: 1", "xml")


def test_yaml_is_read_with_the_safe_loader() -> None:
    hostile = "!!python/object/apply:os.system ['echo pwned']"
    with pytest.raises(FormatError, match="not valid YAML"):
        io.loads(hostile, "yaml")


def test_top_level_must_be_a_mapping() -> None:
    with pytest.raises(
        SchemaError, match="expected a mapping at the top of the document, got a list of 2 items"
    ):
        io.loads("[1, 2]", "json")


def test_nothing_is_half_built() -> None:
    """A structure error leaves no object behind: the call raises, and returns nothing."""
    text = (BAD / "many_problems.yaml").read_text(encoding="utf-8")
    result = None
    with pytest.raises(DataError):
        result = io.loads(text, "yaml")
    assert result is None


def test_yaml_1_1_booleans_and_dates_stay_text() -> None:
    data = io.parse_data("a: yes\non: 1\nb: true\nc: no\nd: 2026-01-01\n", "yaml")
    assert data == {"a": "yes", "on": 1, "b": True, "c": "no", "d": "2026-01-01"}
