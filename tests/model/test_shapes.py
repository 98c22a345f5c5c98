"""Tuple and enumeration fields take any iterable and refuse the wrong shape clearly.

The typed converters (issue 10) keep what ``converter=tuple`` did for lists and tuples, and
turn what it did wrong into a ``SchemaError`` at the field: text was split into letters
(``owners="msit"`` gave four one-letter ids), a mapping gave its keys, ``None`` or a number
raised a bare ``TypeError``, an unknown enumeration value a bare ``ValueError``.
"""

from __future__ import annotations

import pytest

from stratpolicy import (
    Input,
    Mission,
    MissionKind,
    Parameter,
    ParameterValue,
    Portfolio,
    PythonRule,
    Requirement,
    RuleSet,
    SchemaError,
    Technology,
)


def _problems(error: pytest.ExceptionInfo[SchemaError]) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in error.value.problems]


def test_any_iterable_becomes_a_tuple() -> None:
    reqs = [Requirement(technology="ai"), Requirement(technology="chips")]
    for given in (reqs, tuple(reqs), iter(reqs), (r for r in reqs)):
        mission = Mission(id="m", name="M", requires=given, owners=iter(["msit"]))
        assert mission.requires == tuple(reqs)
        assert mission.owners == ("msit",)


def test_enum_fields_take_members_and_values() -> None:
    assert Mission(id="m", name="M", kind="challenge", parent="p").kind is MissionKind.CHALLENGE
    assert Input(name="x", type="money", unit="KRW").type.value == "money"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("msit", "'msit' (text)"),
        ({"msit": 1}, "a mapping of 1 key"),
        (None, "null"),
        (5, "5 (a whole number)"),
    ],
)
def test_a_value_that_is_no_list_is_refused_at_its_field(value: object, shown: str) -> None:
    with pytest.raises(SchemaError) as error:
        Mission(id="m", name="M", owners=value)  # type: ignore[arg-type]
    assert _problems(error) == [("owners", f"expected a list, got {shown}")]


def test_items_of_the_wrong_class_are_refused_with_their_index() -> None:
    with pytest.raises(SchemaError) as error:
        Mission(id="m", name="M", requires=[Requirement(technology="ai"), "chips", 3])  # type: ignore[list-item]
    assert _problems(error) == [
        ("requires[1]", "expected a Requirement, got 'chips' (text)"),
        ("requires[2]", "expected a Requirement, got 3 (a whole number)"),
    ]
    with pytest.raises(SchemaError) as error:
        Portfolio(id="p", name="P", technologies=[Mission(id="m", name="M")])  # type: ignore[list-item]
    assert _problems(error) == [
        ("technologies[0]", "expected a Technology, got a value of type Mission")
    ]


def test_an_unknown_enum_value_names_the_allowed_ones() -> None:
    with pytest.raises(SchemaError) as error:
        Technology(id="t", name="T", kind="field")  # type: ignore[arg-type]
    assert _problems(error) == [
        ("kind", "'field' is not a TechnologyKind; expected one of 'area', 'key_technology'")
    ]


def test_rules_and_units_containers_too() -> None:
    with pytest.raises(SchemaError) as error:
        RuleSet(id="r", inputs="revenue")  # type: ignore[arg-type]
    assert _problems(error) == [("inputs", "expected a list, got 'revenue' (text)")]
    with pytest.raises(SchemaError) as error:
        PythonRule(id="p", function=lambda: None, sets="credit")
    assert _problems(error) == [("sets", "expected a list, got 'credit' (text)")]
    with pytest.raises(SchemaError) as error:
        Parameter(name="rate", values=[ParameterValue(value=0.1), 0.2])  # type: ignore[list-item]
    assert _problems(error) == [("values[1]", "expected a ParameterValue, got 0.2 (a number)")]


def test_an_exchange_rate_table_takes_any_iterable() -> None:
    import datetime as dt

    from stratpolicy.units import ExchangeRate, ExchangeRates

    rate = ExchangeRate(on=dt.date(2025, 1, 1), base="USD", quote="KRW", rate=1400.0)
    assert ExchangeRates(rates=(r for r in [rate])).rates == (rate,)
    with pytest.raises(SchemaError) as error:
        ExchangeRates(rates="USD/KRW")  # type: ignore[arg-type]
    assert _problems(error) == [("rates", "expected a list of rates, got 'USD/KRW' (text)")]
