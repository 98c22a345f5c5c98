"""Portfolio.from_tables: every bad cell is a library error naming table, row and column.

Rows count from 0, as ``DataFrame.iloc`` does. Nothing is built when a table has a problem.
The same tables read from plain columns, pandas, pyarrow, Parquet and CSV give one
portfolio.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from stratpolicy import (
    Actor,
    BudgetEntry,
    Instrument,
    Mission,
    Portfolio,
    Requirement,
    Support,
    Technology,
)
from stratpolicy.errors import (
    CurrencyError,
    DataError,
    DuplicateIdError,
    SchemaError,
    UnknownReferenceError,
    ValidationError,
)
from stratpolicy.limits import MAX_LIST_PROBLEMS
from stratpolicy.model import TABLE_COLUMNS
from stratpolicy.units import money


def good() -> dict[str, Any]:
    """A small portfolio as plain columns: every table, every kind of column."""
    return {
        "technologies": {
            "id": ["ai", "llm", "chips"],
            "name": ["AI", "Language models", "AI chips"],
            "kind": ["area", "key_technology", None],
            "parent": [None, "ai", "ai"],
            "name_local": ["인공지능", "", None],
            "verified": [True, False, None],
        },
        "dependencies": {"technology": ["llm"], "depends_on": ["chips"]},
        "missions": {
            "id": ["m1", "c1"],
            "name": ["AI power", "Chips challenge"],
            "kind": ["mission", "challenge"],
            "parent": [None, "m1"],
            "start": ["2025-01-01", None],
            "due": [dt.date(2030, 12, 31), None],
        },
        "requirements": {
            "mission": ["m1", "c1"],
            "technology": ["ai", "chips"],
            "weight": [1.0, 0.5],
        },
        "instruments": {
            "id": ["rd", "line"],
            "name": ["R&D programme", "Chips line"],
            "kind": ["grants_business_rd", "PI008"],
            "part_of": [None, "rd"],
            "start": [None, "2026-01-01"],
            "end": [None, "2028-12-31"],
        },
        "supports": {
            "instrument": ["rd", "rd", "line"],
            "technology": ["llm", "chips", "chips"],
            "share": [0.25, None, None],
        },
        "budgets": {
            "instrument": ["rd", "rd", "line"],
            "year": [2026, 2026, 2026],
            "amount": [2.0, 2.1, 500.0],
            "currency": ["trillion KRW", "trillion KRW", "billion KRW"],
            "stage": ["proposal", "enacted", None],
        },
        "serves": {"instrument": ["line"], "mission": ["c1"]},
        "actors": {
            "id": ["msit", "motie"],
            "name": ["MSIT", "MOTIE"],
            "kind": ["ministry", "ministry"],
        },
        "administrators": {"instrument": ["rd", "line"], "actor": ["msit", "motie"]},
    }


def expected() -> Portfolio:
    """The portfolio of ``good()``, written as objects."""
    return Portfolio(
        id="p",
        name="P",
        technologies=[
            Technology(id="ai", name="AI", kind="area", name_local="인공지능", verified=True),
            Technology(id="llm", name="Language models", parent="ai", depends_on=["chips"]),
            Technology(id="chips", name="AI chips", parent="ai"),
        ],
        missions=[
            Mission(
                id="m1",
                name="AI power",
                start=dt.date(2025, 1, 1),
                due=dt.date(2030, 12, 31),
                requires=[Requirement(technology="ai", weight=1.0)],
            ),
            Mission(
                id="c1",
                name="Chips challenge",
                kind="challenge",
                parent="m1",
                requires=[Requirement(technology="chips", weight=0.5)],
            ),
        ],
        instruments=[
            Instrument(
                id="rd",
                name="R&D programme",
                kind="grants_business_rd",
                budget=[
                    BudgetEntry(year=2026, amount=money(2.0, "trillion KRW"), stage="proposal"),
                    BudgetEntry(year=2026, amount=money(2.1, "trillion KRW"), stage="enacted"),
                ],
                supports=[Support(technology="llm", share=0.25), Support(technology="chips")],
                administered_by=["msit"],
            ),
            Instrument(
                id="line",
                name="Chips line",
                kind="grants_business_rd",
                budget=[BudgetEntry(year=2026, amount=money(500.0, "billion KRW"))],
                supports=[Support(technology="chips")],
                missions=["c1"],
                part_of="rd",
                administered_by=["motie"],
                start=dt.date(2026, 1, 1),
                end=dt.date(2028, 12, 31),
            ),
        ],
        actors=[
            Actor(id="msit", name="MSIT", kind="ministry"),
            Actor(id="motie", name="MOTIE", kind="ministry"),
        ],
    )


def build(tables: dict[str, Any]) -> Portfolio:
    return Portfolio.from_tables(id="p", name="P", **tables)


def problems_of(tables: dict[str, Any]) -> list[tuple[str, str, type[DataError]]]:
    with pytest.raises(DataError) as caught:
        build(tables)
    return [(p.path, p.message, p.kind) for p in caught.value.problems]


def with_cell(table: str, column: str, row: int, value: Any) -> dict[str, Any]:
    tables = good()
    cells = list(tables[table][column])
    cells[row] = value
    tables[table] = {**tables[table], column: cells}
    return tables


# -- the same portfolio from every form --------------------------------------------------


def test_plain_columns_give_the_portfolio_of_objects() -> None:
    p = build(good())
    assert p == expected()
    assert p.graph().dependencies == (("llm", "chips"),)


def test_pandas_arrow_parquet_and_csv_give_the_same_portfolio(tmp_path: Path) -> None:
    frames = {name: pd.DataFrame(cols) for name, cols in good().items()}
    arrow = {name: pa.Table.from_pandas(df, preserve_index=False) for name, df in frames.items()}
    parquet: dict[str, Any] = {}
    csv: dict[str, Any] = {}
    for name, table in arrow.items():
        pq.write_table(table, tmp_path / f"{name}.parquet")
        parquet[name] = tmp_path / f"{name}.parquet"
        frames[name].to_csv(tmp_path / f"{name}.csv", index=False)
        csv[name] = str(tmp_path / f"{name}.csv")
    for tables in (frames, arrow, parquet, csv):
        assert build(tables) == expected()


def test_csv_keeps_the_spelling_of_ids(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id,name,kind\n007,Agent,area\n", encoding="utf-8")
    assert build({"technologies": path}).technologies[0].id == "007"


# -- bad cells, one kind at a time ---------------------------------------------------------


def test_a_bad_id_is_named_by_table_row_and_column() -> None:
    got = problems_of(with_cell("technologies", "id", 1, "large language models"))
    assert got[0][:1] == ("technologies[1].id",)
    assert "is not an id" in got[0][1]
    assert got[0][2] is ValidationError


def test_duplicate_ids_across_tables() -> None:
    got = problems_of(with_cell("actors", "id", 1, "ai"))
    assert got == [
        ("actors[1].id", "duplicate id 'ai': already used by technologies[0]", DuplicateIdError),
        # the actor renamed, its instrument names an actor that no longer exists
        ("administrators[1].actor", "unknown actor 'motie'", UnknownReferenceError),
    ]


def test_references_resolve_to_an_object_of_the_right_kind() -> None:
    got = problems_of(with_cell("supports", "technology", 2, "msit"))
    assert got == [
        ("supports[2].technology", "'msit' is an actor, not a technology", UnknownReferenceError)
    ]
    got = problems_of(with_cell("requirements", "technology", 0, "nope"))
    assert got == [
        ("requirements[0].technology", "unknown technology 'nope'", UnknownReferenceError)
    ]
    got = problems_of(with_cell("administrators", "actor", 0, "bad id!"))
    assert got[0][0] == "administrators[0].actor" and "is not an id" in got[0][1]


def test_shares_and_weights_in_range() -> None:
    got = problems_of(with_cell("supports", "share", 1, 1.5))
    assert ("supports[1].share", "must be in (0, 1], got 1.5", ValidationError) in got
    got = problems_of(with_cell("requirements", "weight", 1, 0.0))
    assert got == [("requirements[1].weight", "must be in (0, 1], got 0", ValidationError)]


def test_shares_of_an_instrument_add_up_to_at_most_one() -> None:
    got = problems_of(with_cell("supports", "share", 1, 0.8))  # 0.25 + 0.8
    assert got == [
        (
            "supports[0].share",
            "the shares of instrument 'rd' add up to 1.05, more than 1",
            ValidationError,
        )
    ]


def test_an_envelope_has_no_share() -> None:
    tables = good()
    tables["supports"] = {**tables["supports"], "envelope": [True, False, False]}
    got = problems_of(tables)
    assert got[0][0] == "supports[0].envelope"


def test_duplicate_links() -> None:
    got = problems_of(with_cell("supports", "technology", 1, "llm"))
    assert got == [
        ("supports[1].technology", "duplicate technology for this instrument", ValidationError)
    ]
    got = problems_of(with_cell("budgets", "stage", 1, "proposal"))
    assert got == [
        ("budgets[1].stage", "duplicate budget year and stage (2026, proposal)", ValidationError)
    ]


def test_dates_valid_and_in_order() -> None:
    got = problems_of(with_cell("instruments", "end", 1, "2025-12-31"))
    assert got == [
        (
            "instruments[1].end",
            "must not be before the start date 2026-01-01, got 2025-12-31",
            ValidationError,
        )
    ]
    got = problems_of(with_cell("missions", "start", 0, "2025-13-01"))
    assert got[0][:1] == ("missions[0].start",) and got[0][2] is SchemaError
    got = problems_of(with_cell("missions", "start", 0, "20250101"))  # one spelling only
    assert got[0][0] == "missions[0].start"


def test_enumerations() -> None:
    got = problems_of(with_cell("instruments", "kind", 0, "subsidy"))
    assert got[0][:1] == ("instruments[0].kind",) and got[0][2] is SchemaError
    assert "'grants_business_rd'" in got[0][1]
    got = problems_of(with_cell("actors", "kind", 0, None))
    assert got == [("actors[0].kind", "must not be empty", ValidationError)]


def test_currencies_are_known_and_consistent() -> None:
    got = problems_of(with_cell("budgets", "currency", 2, "bitcoin"))
    assert got[0][0] == "budgets[2].currency" and got[0][2] is CurrencyError
    # a budget line in another currency than its parent's budget
    got = problems_of(with_cell("budgets", "currency", 2, "USD"))
    assert (
        "budgets[0].currency",
        "part 'line' has its 2026 budget in USD, 'rd' in KRW; "
        "convert one of them with an ExchangeRates table",
        CurrencyError,
    ) in got


def test_parts_do_not_exceed_the_parent() -> None:
    # 2,500 billion KRW is more than the proposal (2.0 trillion) and the enacted (2.1)
    got = problems_of(with_cell("budgets", "amount", 2, 2500.0))
    assert [p for p, _, _ in got] == ["budgets[0].amount", "budgets[1].amount"]
    assert got[0][1] == (
        "the parts of 'rd' have 2.5 trillion KRW in 2026, more than its budget of 2.0 trillion KRW"
    )


def test_kinds_and_parents_of_missions_and_technologies() -> None:
    got = problems_of(with_cell("missions", "parent", 1, None))
    assert got == [("missions[1].parent", "a challenge needs a parent mission", ValidationError)]
    got = problems_of(with_cell("technologies", "parent", 0, "llm"))
    assert ("technologies[0].parent", "an area has no parent technology", ValidationError) in got
    got = problems_of(with_cell("instruments", "part_of", 0, "rd"))
    assert (
        "instruments[0].part_of",
        "an instrument cannot be part of itself",
        ValidationError,
    ) in got


def test_cycles() -> None:
    tables = good()
    tables["actors"] = {**tables["actors"], "parent": ["motie", "msit"]}
    got = problems_of(tables)
    assert got == [
        (
            "actors[0].parent",
            "'msit' is its own ancestor (a cycle through parent)",
            ValidationError,
        ),
        (
            "actors[1].parent",
            "'motie' is its own ancestor (a cycle through parent)",
            ValidationError,
        ),
    ]


def test_numbers_booleans_and_text_of_the_wrong_type() -> None:
    got = problems_of(with_cell("budgets", "amount", 0, "lots"))
    assert got[0][:1] == ("budgets[0].amount",) and got[0][2] is SchemaError
    got = problems_of(with_cell("budgets", "year", 0, 2026.5))
    assert got == [("budgets[0].year", "expected a whole number, got 2026.5", SchemaError)]
    got = problems_of(with_cell("technologies", "verified", 0, "yes"))
    assert got == [
        ("technologies[0].verified", "expected true or false, got 'yes' (text)", SchemaError)
    ]
    got = problems_of(with_cell("technologies", "name", 0, "  "))
    assert got == [("technologies[0].name", "must not be empty", ValidationError)]
    got = problems_of(with_cell("technologies", "name_local", 1, 5))
    assert got == [
        ("technologies[1].name_local", "expected text, got 5 (a whole number)", SchemaError)
    ]
    got = problems_of(with_cell("budgets", "amount", 0, -1.0))
    assert got[0][0] == "budgets[0].amount" and "must not be negative" in got[0][1]


def test_columns_missing_unknown_and_tables_not_tables() -> None:
    tables = good()
    tables["supports"] = {"instrument": ["rd"], "technology": ["llm"], "shares": [0.2]}
    got = problems_of(tables)
    assert got[0][0] == "supports.shares" and "unknown column 'shares'" in got[0][1]
    tables = good()
    tables["budgets"] = {k: v for k, v in tables["budgets"].items() if k != "currency"}
    got = problems_of(tables)
    assert got[0][:1] == ("budgets.currency",) and got[0][2] is SchemaError
    with pytest.raises(SchemaError, match="technologies: expected a pandas DataFrame"):
        build({"technologies": 42})
    with pytest.raises(SchemaError, match="no such file"):
        build({"technologies": "nowhere.parquet"})
    with pytest.raises(SchemaError, match="differ in length"):
        build({"technologies": {"id": ["a"], "name": []}})


def test_every_problem_together_and_the_long_lists_bounded() -> None:
    n = MAX_LIST_PROBLEMS + 50
    tables = {
        "technologies": {"id": [f"t{i}" for i in range(n)], "name": ["T"] * n},
        "supports": {"instrument": ["nope"] * n, "technology": ["t0"] * n},
        "instruments": {"id": ["x"], "name": [" "], "kind": ["PI008"]},
    }
    got = problems_of(tables)
    paths = [p for p, _, _ in got]
    assert "instruments[0].name" in paths
    assert sum(p.startswith("supports[") and p.endswith(".instrument") for p in paths) == (
        MAX_LIST_PROBLEMS
    )
    assert "supports.instrument" in paths  # "... and 50 more rows"
    assert any("50 more rows" in m for _, m, _ in got)


def test_table_columns_are_documented() -> None:
    assert TABLE_COLUMNS["supports"][:2] == ("instrument", "technology")
    assert set(TABLE_COLUMNS) == {
        "technologies",
        "dependencies",
        "missions",
        "requirements",
        "instruments",
        "supports",
        "budgets",
        "serves",
        "actors",
        "administrators",
    }


def test_a_portfolio_from_tables_is_written_compared_and_pickled_as_one_of_objects() -> None:
    import pickle

    import stratpolicy

    p = build(good())
    assert stratpolicy.loads(stratpolicy.dumps(p, "yaml"), "yaml") == expected()
    assert hash(p) == hash(expected())
    assert pickle.loads(pickle.dumps(p)) == p
    assert (
        repr(p)
        == "Portfolio(id='p', name='P', 3 technologies, 2 missions, 2 instruments, 2 actors)"
    )
