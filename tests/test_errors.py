from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


# -- errors as JSON: stable codes, to_dict / from_dict, pickle ----------------------------

# The table of the docs (errors.ERROR_CODES), written out: a code never changes.
CODES = {
    "data": "DataError",
    "format": "FormatError",
    "schema": "SchemaError",
    "validation": "ValidationError",
    "duplicate_id": "DuplicateIdError",
    "unknown_reference": "UnknownReferenceError",
    "evaluation": "EvaluationError",
    "unit": "UnitError",
    "currency": "CurrencyError",
    "expression": "ExpressionError",
    "rule_set": "RuleSetError",
}


def test_every_error_class_has_its_stable_code() -> None:
    from stratpolicy import errors

    assert {code: cls.__name__ for code, cls in errors.ERROR_CODES.items()} == CODES
    for code, name in CODES.items():
        cls = getattr(errors, name)
        assert cls.code == code
        assert Problem("p", "m", cls).code == code
    assert Problem("p", "m").code == "validation"  # the default kind
    assert Problem("p", "m").kind is ValidationError  # kept for compatibility


def test_the_file_format_guide_lists_every_code() -> None:
    from pathlib import Path

    guide = (Path(__file__).parent.parent / "docs" / "guides" / "file-format.md").read_text(
        encoding="utf-8"
    )
    for code, name in CODES.items():
        assert f"| `{code}` | `{name}` |" in guide


def test_to_dict_is_plain_data_for_json() -> None:
    import json

    err = UnitError(
        [Problem("budget[0].amount", "'12 parsecs' is not an amount of money", UnitError)],
        source="plan.yaml",
    )
    record = err.to_dict()
    assert record == {
        "error": "UnitError",
        "code": "unit",
        "source": "plan.yaml",
        "message": "1 problem in plan.yaml:\n"
        "  budget[0].amount: '12 parsecs' is not an amount of money",
        "problems": [
            {
                "path": "budget[0].amount",
                "message": "'12 parsecs' is not an amount of money",
                "code": "unit",
            }
        ],
    }
    assert json.loads(json.dumps(record)) == record


def test_from_dict_gives_an_equal_error_of_the_class_the_code_names() -> None:
    from stratpolicy.errors import DuplicateIdError, UnknownReferenceError

    err = DataError.from_problems(
        [
            Problem("missions[0].id", "duplicate id 'a'", DuplicateIdError),
            Problem("missions[1].parent", "unknown mission 'z'", UnknownReferenceError),
        ],
        source=None,
    )
    assert type(err) is ValidationError  # their nearest common class
    back = DataError.from_dict(err.to_dict())
    assert type(back) is ValidationError
    assert back == err and hash(back) == hash(err)
    assert [p.kind for p in back.problems] == [DuplicateIdError, UnknownReferenceError]
    assert ValidationError.from_dict(err.to_dict()) == err
    assert str(back) == str(err)


def test_equal_errors_need_the_same_class_problems_and_source() -> None:
    a = ValidationError([Problem("x", "bad")], source="f")
    assert a == ValidationError([Problem("x", "bad")], source="f")
    assert a != ValidationError([Problem("x", "bad")], source="g")
    assert a != ValidationError([Problem("y", "bad")], source="f")
    assert a != SchemaError([Problem("x", "bad", ValidationError)], source="f")
    assert a != "x"


def test_from_dict_refuses_a_record_it_cannot_read_with_every_problem() -> None:
    with pytest.raises(SchemaError) as info:
        DataError.from_dict(
            {
                "code": "nope",
                "source": 3,
                "problems": [{"path": 1, "message": "m", "code": "unit", "x": 0}, "text"],
                "extra": True,
            }
        )
    assert [(p.path, p.message.split(";")[0]) for p in info.value.problems] == [
        ("extra", "unknown key"),
        ("code", "unknown problem code 'nope'"),
        ("source", "expected text or null"),
        ("problems[0].x", "unknown key"),
        ("problems[0].path", "expected text"),
        ("problems[1]", "expected a mapping with path, message, code"),
    ]
    with pytest.raises(SchemaError, match="problems: expected a non-empty list"):
        DataError.from_dict({"code": "unit", "problems": []})
    with pytest.raises(SchemaError, match="code: required field is missing"):
        DataError.from_dict({"problems": [{"path": "", "message": "m", "code": "unit"}]})
    with pytest.raises(SchemaError, match="'unit' is a UnitError, not a SchemaError"):
        SchemaError.from_dict(UnitError(["m"]).to_dict())
    with pytest.raises(SchemaError, match="expected a mapping"):
        DataError.from_dict([])  # type: ignore[arg-type]


def test_problem_from_dict() -> None:
    p = Problem("a[0]", "too big", UnitError)
    assert Problem.from_dict(p.to_dict()) == p
    with pytest.raises(SchemaError, match="code: unknown problem code 'units'"):
        Problem.from_dict({"path": "", "message": "m", "code": "units"})


def test_errors_and_problems_pickle() -> None:
    import pickle

    err = CurrencyError(
        [Problem("rates[0].quote", "unknown currency 'XYZ'", CurrencyError)], source="r.yaml"
    )
    err.add_note("read by a worker")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is CurrencyError
    assert back == err and back.source == "r.yaml"
    assert back.__notes__ == ["read by a worker"]
    assert str(back) == str(err)
    assert pickle.loads(pickle.dumps(Problem("a", "b", UnitError))) == Problem("a", "b", UnitError)


def test_the_units_errors_that_are_also_pints_pickle_as_library_errors() -> None:
    import pickle

    from stratpolicy.units import money

    with pytest.raises(CurrencyError) as info:
        money(1, "KRW") + money(1, "USD")
    err = info.value
    assert type(err) is not CurrencyError  # also a pint DimensionalityError
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is CurrencyError and back == err
    assert err.to_dict()["error"] == "CurrencyError"
    assert [p.kind for p in err.problems] == [CurrencyError]


def test_an_upper_layer_error_with_its_own_code_round_trips() -> None:
    import pickle

    from stratpolicy import errors

    # a module-level class of an upper layer, made here so that the table above stays exact
    scenario_error = type(
        "ScenarioError", (ValidationError,), {"code": "test_scenario", "__module__": __name__}
    )
    globals()["ScenarioError"] = scenario_error
    try:
        err = scenario_error(["a reform period ends before it starts"])
        assert err.problems[0].code == "test_scenario"
        back = DataError.from_dict(err.to_dict())
        assert type(back) is scenario_error and back == err
        assert pickle.loads(pickle.dumps(err)) == err
        with pytest.raises(TypeError, match="is already the code of ScenarioError"):
            type("Clash", (DataError,), {"code": "test_scenario"})
    finally:
        del errors._BY_CODE["test_scenario"]
        del globals()["ScenarioError"]


@given(
    st.lists(
        st.tuples(
            st.text(max_size=30),
            st.text(min_size=1, max_size=60),
            st.sampled_from(sorted(CODES)),
        ),
        min_size=1,
        max_size=5,
    ),
    st.none() | st.text(max_size=20),
)
def test_any_error_round_trips_through_json_and_pickle(
    items: list[tuple[str, str, str]], source: str | None
) -> None:
    import json
    import pickle

    from stratpolicy.errors import ERROR_CODES

    err = DataError.from_problems(
        [Problem(path, message, ERROR_CODES[code]) for path, message, code in items],
        source=source,
    )
    record = json.loads(json.dumps(err.to_dict()))
    back = DataError.from_dict(record)
    assert back == err and type(back) is type(err)
    assert [p.code for p in back.problems] == [code for _, _, code in items]
    assert pickle.loads(pickle.dumps(err)) == err
