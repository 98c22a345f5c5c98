"""Dated parameters: schedules resolved on a date, checked when built, saved and loaded."""

from __future__ import annotations

import datetime as dt

import pytest

from stratpolicy import io
from stratpolicy.errors import DataError, ValidationError
from stratpolicy.model import Citation
from stratpolicy.rules import Parameter, ParameterSet, ParameterValue

D = dt.date
CITE = Citation(
    act="Restriction of Special Taxation Act", article="10(1)2", url="https://www.law.go.kr"
)

RATE = Parameter(
    name="rate",
    values=[
        ParameterValue(start=D(2021, 7, 1), by_key={"sme": 0.40, "large": 0.30}, citation=CITE),
        ParameterValue(
            start=D(2025, 1, 1),
            by_key={"sme": 0.40, "sme_graduated": 0.35, "large": 0.30},
            note="assumed",
        ),
    ],
    end=D(2029, 12, 31),
)


def test_value_in_force_on_a_date() -> None:
    assert RATE.at(D(2021, 6, 30)) is None
    first = RATE.at(D(2021, 7, 1))
    assert first is not None and first.by_key == {"sme": 0.40, "large": 0.30}
    assert RATE.at(D(2024, 12, 31)) is first
    later = RATE.resolve(D(2025, 1, 1))
    assert later is not None and later.start == D(2025, 1, 1) and later.note == "assumed"
    assert RATE.at(D(2030, 1, 1)) is None  # after the end
    assert RATE.keys() == {"sme", "sme_graduated", "large"}
    assert RATE.kind == "keyed"


def test_floats_stay_float64() -> None:
    p = Parameter(name="cap", values=[ParameterValue(start=D(2021, 1, 1), value=0.40)])
    resolved = p.resolve(D(2022, 1, 1))
    assert resolved is not None and resolved.value == 0.40 and repr(resolved.value) == "0.4"
    assert ParameterValue(start=D(2021, 1, 1), value=3).value == 3.0


def test_unknown_start_covers_earlier_dates() -> None:
    p = Parameter(
        name="cap",
        values=[ParameterValue(value=0.5), ParameterValue(start=D(2024, 1, 1), value=0.6)],
    )
    assert p.at(D(1990, 1, 1)).value == 0.5  # type: ignore[union-attr]
    assert p.at(D(2024, 1, 1)).value == 0.6  # type: ignore[union-attr]


def test_sets_of_categories() -> None:
    p = Parameter(
        name="fields",
        values=[
            ParameterValue(start=D(2021, 7, 1), members=["semiconductors"]),
            ParameterValue(
                start=D(2025, 1, 1), members=["semiconductors", "artificial_intelligence"]
            ),
        ],
    )
    assert p.resolve(D(2025, 1, 1)).value == frozenset(
        {"semiconductors", "artificial_intelligence"}
    )  # type: ignore[union-attr]
    assert p.members() == {"semiconductors", "artificial_intelligence"}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([], "at least one dated value"),
        (
            [
                ParameterValue(start=D(2022, 1, 1), value=1.0),
                ParameterValue(start=D(2021, 1, 1), value=2.0),
            ],
            "must come after",
        ),
        (
            [
                ParameterValue(start=D(2021, 1, 1), value=1.0),
                ParameterValue(start=D(2022, 1, 1), members=["a"]),
            ],
            "one kind",
        ),
        (
            [ParameterValue(start=D(2021, 1, 1), value=1.0), ParameterValue(value=2.0)],
            "only the first value may have no start",
        ),
    ],
)
def test_bad_schedules(values: list[ParameterValue], message: str) -> None:
    with pytest.raises(DataError, match=message):
        Parameter(name="p", values=values)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "exactly one of"),
        ({"value": 1.0, "members": ["a"]}, "exactly one of"),
        ({"value": float("nan")}, "finite"),
        ({"value": True}, "finite"),
        ({"by_key": {"a": "x"}}, "finite"),
        ({"members": ["a", "a"]}, "duplicate"),
    ],
)
def test_bad_values(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(DataError, match=message):
        ParameterValue(start=D(2021, 1, 1), **kwargs)  # type: ignore[arg-type]


def test_bad_names() -> None:
    with pytest.raises(DataError, match="may not start with '_'"):
        Parameter(name="__class__", values=[ParameterValue(start=D(2021, 1, 1), value=1.0)])
    with pytest.raises(DataError, match="duplicate"):
        ParameterSet(parameters=[RATE, RATE])


def test_parameter_set_at_and_reforms() -> None:
    ps = ParameterSet(parameters=[RATE])
    assert set(ps.at(D(2025, 6, 1))) == {"rate"}
    assert ps.at(D(2020, 1, 1)) == {}
    assert "rate" in ps and len(ps) == 1 and ps.names == ("rate",)
    reformed = ps.with_value(
        "rate", ParameterValue(start=D(2027, 1, 1), by_key={"sme": 0.5, "large": 0.3})
    )
    assert reformed["rate"].at(D(2027, 1, 1)).by_key["sme"] == 0.5  # type: ignore[union-attr]
    assert ps["rate"].at(D(2027, 1, 1)).by_key["sme"] == 0.40  # type: ignore[union-attr]
    with pytest.raises(KeyError):
        ps["nope"]


def test_yaml_round_trip() -> None:
    ps = ParameterSet(parameters=[RATE])
    text = io.dumps(ps, "yaml")
    assert "document: parameter_set" in text
    assert io.loads(text, "yaml") == ps


def test_loading_reports_bad_values_with_their_path() -> None:
    text = """
schema_version: 1
document: parameter_set
parameters:
  - name: rate
    values:
      - start: 2021-07-01
        by_key: {sme: forty}
"""
    with pytest.raises(DataError, match=r"parameters\[0\]\.values\[0\]\.by_key\[sme\]"):
        io.loads(text, "yaml")


@pytest.mark.parametrize(
    ("entry", "path", "message"),
    [
        # a whole number too large for a float: refused with its size, not OverflowError
        ({"value": 10**5000}, "value", "got a whole number of about 5,001 digits"),
        ({"by_key": {"sme": 10**5000}}, "by_key.sme", "got a whole number of about 5,001 digits"),
        # a container is described by its size, never printed (a YAML alias would expand)
        ({"members": [["x"] * 1000]}, "members[0]", "got a list of 1,000 items"),
    ],
)
def test_bad_entries_are_described_not_printed(
    entry: dict[str, object], path: str, message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        ParameterValue(start=dt.date(2020, 1, 1), **entry)  # type: ignore[arg-type]
    (problem,) = info.value.problems
    assert problem.path == path
    assert message in problem.message
