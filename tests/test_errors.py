from __future__ import annotations

import pytest

from stratpolicy.errors import (
    CurrencyError,
    DataError,
    FormatError,
    Problem,
    SchemaError,
    UnitError,
    ValidationError,
    join_path,
)


def test_join_path() -> None:
    assert join_path("", "a") == "a"
    assert join_path("a", "") == "a"
    assert join_path("missions[2]", "targets[0].value") == "missions[2].targets[0].value"
    assert join_path("missions", "[2]") == "missions[2]"


def test_message_lists_every_problem_with_its_path() -> None:
    err = ValidationError([Problem("a.b", "too big"), Problem("c[0]", "missing")], source="f.yaml")
    text = str(err)
    assert text.splitlines() == ["2 problems in f.yaml:", "  a.b: too big", "  c[0]: missing"]
    assert isinstance(err, ValueError)


def test_needs_at_least_one_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        ValidationError([])


def test_from_problems_picks_the_nearest_common_class() -> None:
    unit = Problem("x", "m", UnitError)
    currency = Problem("y", "m", CurrencyError)
    schema = Problem("z", "m", SchemaError)
    assert type(DataError.from_problems([currency])) is CurrencyError
    assert type(DataError.from_problems([unit, currency])) is UnitError
    assert type(DataError.from_problems([unit, schema])) is DataError
    assert type(DataError.from_problems([Problem("", "m", FormatError)])) is FormatError


def test_plain_strings_become_problems_of_the_error_kind() -> None:
    err = UnitError(["not money"])
    assert err.problems == (Problem("", "not money", UnitError),)


def test_a_message_shows_at_most_max_shown_problems() -> None:
    from stratpolicy.limits import MAX_SHOWN_PROBLEMS

    err = ValidationError([Problem(f"a[{i}]", "bad") for i in range(250)])
    lines = str(err).splitlines()
    assert lines[0] == "250 problems:"
    assert len(lines) == 1 + MAX_SHOWN_PROBLEMS + 1
    assert lines[-1] == "  ... and 150 more (see the error's .problems)"
    assert len(err.problems) == 250  # all kept
