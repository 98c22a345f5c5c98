"""The model refuses at construction what a file could not hold or would hold ambiguously.

Ids follow one grammar (ASCII letters, digits, ``_ . : -``); text fields cannot hold lone
surrogates; numbers are finite; amounts are writable; lists of references have no
duplicates. Each case here was accepted before (issue 9, "silently wrong").
"""

from __future__ import annotations

import datetime as dt

import pytest

from stratpolicy import (
    Actor,
    BudgetEntry,
    Citation,
    Crosswalk,
    CrosswalkLink,
    IndicatorPoint,
    Instrument,
    Milestone,
    Mission,
    Portfolio,
    Requirement,
    Roadmap,
    Support,
    Target,
    Technology,
    TechnologyCode,
)
from stratpolicy._checks import ID_RULE, describe, parse_iso_date
from stratpolicy.errors import DataError, SchemaError, UnitError, ValidationError
from stratpolicy.limits import MAX_ID_LENGTH
from stratpolicy.units import quantity, registry

GOOD_IDS = ["ai", "AI", "a", "7", "kr_summit_2025", "us-cet.2024", "iso:3166", "x" * MAX_ID_LENGTH]
BAD_IDS = [
    "",
    " ai",  # leading blank
    "ai ",  # trailing blank
    "ai\u200b",  # zero-width space (format character)
    "chip\u00ads",  # soft hyphen
    "a\u200db",  # zero-width joiner
    "\ufeffai",  # byte-order mark
    "ai\n",  # control character
    "a\tb",
    "a b",
    "ａｉ",  # full-width letters
    "인공지능",  # ids are ASCII; names carry the local script
    "-ai",  # must start with a letter or digit
    "_ai",
    "x" * (MAX_ID_LENGTH + 1),
]


@pytest.mark.parametrize("value", GOOD_IDS)
def test_good_ids(value: str) -> None:
    assert Technology(id=value, name="T").id == value


@pytest.mark.parametrize("value", BAD_IDS)
def test_invisible_blank_and_foreign_ids_are_refused(value: str) -> None:
    with pytest.raises(ValidationError) as info:
        Technology(id=value, name="T")
    assert [p.path for p in info.value.problems] == ["id"]


@pytest.mark.parametrize(
    ("build", "path"),
    [
        (lambda v: Technology(id="t", name="T", parent=v), "parent"),
        (lambda v: Technology(id="t", name="T", depends_on=(v,)), "depends_on[0]"),
        (lambda v: TechnologyCode(scheme=v, code="c"), "scheme"),
        (lambda v: TechnologyCode(scheme="s", code=v), "code"),
        (lambda v: Requirement(technology=v), "technology"),
        (lambda v: Mission(id="m", name="M", owners=(v,)), "owners[0]"),
        (lambda v: Mission(id="m", name="M", kind="challenge", parent=v), "parent"),
        (lambda v: Support(technology=v), "technology"),
        (lambda v: Instrument(id="i", name="I", kind="equity_financing", part_of=v), "part_of"),
        (
            lambda v: Instrument(id="i", name="I", kind="equity_financing", missions=(v,)),
            "missions[0]",
        ),
        (lambda v: Actor(id="a", name="A", kind="ministry", parent=v), "parent"),
        (
            lambda v: Milestone(id="s", name="S", due=dt.date(2026, 1, 1), missions=(v,)),
            "missions[0]",
        ),
        (lambda v: Roadmap(id=v, name="R"), "id"),
        (lambda v: Portfolio(id=v, name="P"), "id"),
        (lambda v: Crosswalk(id=v, name="C"), "id"),
        (
            lambda v: CrosswalkLink(from_list="a", from_id=v, to_list="b", to_id="c"),
            "from_id",
        ),
    ],
)
def test_every_reference_follows_the_id_grammar(build: object, path: str) -> None:
    with pytest.raises(ValidationError) as info:
        build("ai\u200b")  # type: ignore[operator]
    assert [p.path for p in info.value.problems] == [path]
    assert ID_RULE in info.value.problems[0].message


def test_lone_surrogates_are_refused_at_construction() -> None:
    with pytest.raises(ValidationError) as info:
        Technology(id="t", name="bad \ud800 name", aliases=("fine", "\udfff"))
    assert [p.path for p in info.value.problems] == ["name", "aliases[1]"]
    assert "lone surrogate U+D800" in info.value.problems[0].message
    with pytest.raises(ValidationError, match="lone surrogate"):
        Citation(act="Act", note="\ud83d")


def test_other_unusual_text_is_kept() -> None:
    # NEL, line separators, controls and noncharacters are text a file can hold (escaped)
    name = "a\x85b\u2028c\u2029d\x00e\x1bf\ufffeg"
    assert Technology(id="t", name=name).name == name


def test_numbers_are_finite() -> None:
    with pytest.raises(ValidationError, match="must be a finite number, got nan"):
        IndicatorPoint(on=dt.date(2024, 1, 1), value=float("nan"))
    with pytest.raises(ValidationError, match="must be a finite number, got inf"):
        IndicatorPoint(on=dt.date(2024, 1, 1), value=float("inf"))
    with pytest.raises(SchemaError, match="expected a number"):
        IndicatorPoint(on=dt.date(2024, 1, 1), value="82.7")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Requirement(technology="ai", weight=float("nan"))


def test_amounts_must_be_writable() -> None:
    reg = registry()
    with pytest.raises(UnitError, match="not a finite amount"):
        quantity(float("inf"), "KRW")
    for magnitude in (float("inf"), float("nan")):
        with pytest.raises(UnitError):
            BudgetEntry(year=2026, amount=reg.Quantity(magnitude, "KRW"))
        with pytest.raises(UnitError):
            Target(metric="m", value=reg.Quantity(magnitude, "GPU"))
    import pint

    foreign = pint.UnitRegistry().Quantity(1, "meter")
    with pytest.raises(UnitError, match="another pint registry"):
        Target(metric="m", value=foreign)
    with pytest.raises(UnitError, match="expected an amount"):
        Target(metric="m", value="50,000 GPU")  # type: ignore[arg-type]


def test_wrong_types_are_schema_errors_not_raw_exceptions() -> None:
    with pytest.raises(SchemaError, match="expected an id"):
        Technology(id=5, name="T")  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="expected text"):
        Technology(id="t", name=5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="rank: must be a whole number"):
        Target(metric="rank", rank="three")  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="year: expected a whole number"):
        BudgetEntry(year="2026", amount=quantity(1, "KRW"))  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="weight: expected a number"):
        Requirement(technology="ai", weight="heavy")  # type: ignore[arg-type]


def test_a_milestone_lists_each_mission_and_technology_once() -> None:
    with pytest.raises(ValidationError) as info:
        Milestone(
            id="s",
            name="S",
            due=dt.date(2026, 1, 1),
            missions=("m", "m"),
            technologies=("ai", "qc", "ai"),
        )
    assert [p.path for p in info.value.problems] == ["missions[1]", "technologies[2]"]


def test_duplicates_are_quoted_with_a_bounded_preview() -> None:
    long_id = "x" * 90
    with pytest.raises(DataError) as info:
        Mission(id="m", name="M", owners=(long_id, long_id))
    message = info.value.problems[0].message
    assert message.startswith("duplicate owner 'xxxx") and "(90 characters)" in message


def test_describe_never_expands_a_value() -> None:
    shared: list[object] = ["lol"] * 9
    for _ in range(8):
        shared = [shared] * 9  # 9**9 leaves, like a YAML alias bomb
    assert describe(shared) == "a list of 9 items"
    assert describe({"a": shared}) == "a mapping of 1 key"
    assert describe("x" * 10_000).endswith("... (10,000 characters) (text)")
    assert describe(10**5000) == "a whole number of about 5,001 digits"
    assert describe(None) == "null"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-01", dt.date(2025, 1, 1)),
        ("2024-02-29", dt.date(2024, 2, 29)),
        ("20250101", None),
        ("2025-W01-1", None),
        ("2025-001", None),
        ("2025-1-1", None),
        ("２０２５-01-01", None),
        ("2025-02-30", None),
        ("2025-01-01T00:00", None),
        (" 2025-01-01", None),
    ],
)
def test_one_date_spelling(text: str, expected: dt.date | None) -> None:
    assert parse_iso_date(text) == expected
