"""Populations: strict columns, missing values by policy, every bad row, weights; synthetic."""

from __future__ import annotations

import datetime as dt
import pickle

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from stratpolicy.errors import DataError, FormatError, SchemaError, ValidationError
from stratpolicy.scenarios import SOURCES, Population, synthetic_firms
from tests.scenarios.conftest import firms_columns, rsta

HEADER = (
    "firm_size;rsta_field;nst_rd_expense;revenue;prior_3yr_avg_sales;"
    "prior_year_general_rd_expense;prior_4yr_avg_general_rd_expense;prior_3yr_avg_investment;weight"
)


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def row(size: str = "sme", expense: str = "1e9", weight: str = "3") -> str:
    return f"{size};semiconductors;{expense};1e11;1e11;0;0;0;{weight}"


def test_csv_with_bom_and_semicolons(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write(
        tmp_path,
        "firms.csv",
        "\n".join([HEADER, row(), row("large", weight="2")]) + "\n",
        encoding="utf-8-sig",
    )
    pop = Population.read(path, rsta())
    assert pop.n == 2
    assert list(pop.weight) == [3.0, 2.0]
    assert pop.total_weight == 5.0
    assert list(pop.column("firm_size")) == ["sme", "large"]
    assert list(pop.column("nst_rd_expense")) == [1e9, 1e9]
    assert "new_growth_rd_expense" in pop.defaulted
    assert list(pop.column("new_growth_rd_expense")) == [0.0, 0.0]  # the input's default
    assert pop.metadata["source"] == str(path)


def test_a_misspelt_column_is_an_error_naming_the_closest_input(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = HEADER.replace("nst_rd_expense", "nst_rd_expnse") + "\n" + row() + "\n"
    with pytest.raises(SchemaError) as err:
        Population.read(write(tmp_path, "f.csv", text), rsta())
    message = str(err.value)
    assert "nst_rd_expnse" in message and "did you mean 'nst_rd_expense'" in message
    # mapped, it reads
    pop = Population.read(
        write(tmp_path, "g.csv", text), rsta(), columns={"nst_rd_expnse": "nst_rd_expense"}
    )
    assert list(pop.column("nst_rd_expense")) == [1e9]


def test_a_missing_required_column_is_an_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "firm_size;rsta_field;nst_rd_expense\nsme;semiconductors;1e9\n"
    with pytest.raises(SchemaError) as err:
        Population.read(write(tmp_path, "f.csv", text), rsta())
    paths = {p.path for p in err.value.problems}
    assert {"columns.revenue", "columns.prior_3yr_avg_sales"} <= paths
    assert "missing required column" in str(err.value)


def test_bad_rows_in_the_middle_are_all_listed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = [HEADER] + [row() for _ in range(10)]
    lines[4] = row(expense="1,000")  # line 5: thousands separator
    lines[6] = row(size="smee")  # line 7: not a category
    lines[8] = row(expense="-5")  # line 9: below the input's min
    lines[9] = row(weight="-1")  # line 10: a negative weight
    with pytest.raises(DataError) as err:
        Population.read(write(tmp_path, "f.csv", "\n".join(lines) + "\n"), rsta())
    text = str(err.value)
    for line in (5, 7, 9, 10):
        assert f"line {line}" in text
    rows = sorted({p.path.split("]")[0] for p in err.value.problems})
    assert rows == ["rows[3", "rows[5", "rows[7", "rows[8"]


def test_missing_values_follow_the_policy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = [
        HEADER,
        row(),
        "sme;semiconductors;;1e11;1e11;0;0;0;1",
        "sme;semiconductors;1e9;;1e11;0;0;0;1",
    ]
    path = write(tmp_path, "f.csv", "\n".join(lines) + "\n")
    with pytest.raises(ValidationError) as err:
        Population.read(path, rsta())
    paths = [p.path for p in err.value.problems]
    assert paths == ["rows[1].nst_rd_expense", "rows[2].revenue"]
    with pytest.raises(ValidationError) as err:
        Population.read(path, rsta(), missing="default")
    # nst_rd_expense has a default (0); revenue has none
    assert [p.path for p in err.value.problems] == ["rows[2].revenue"]
    pop = Population.read(
        write(tmp_path, "g.csv", "\n".join(lines[:3]) + "\n"), rsta(), missing="default"
    )
    assert list(pop.column("nst_rd_expense")) == [1e9, 0.0]
    with pytest.raises(SchemaError, match="'error' or 'default'"):
        Population.read(path, rsta(), missing="zero")


def test_pandas_nan_and_none_are_missing_values() -> None:
    cols = firms_columns()
    frame = pd.DataFrame(cols)
    frame.loc[1, "nst_rd_expense"] = np.nan
    frame.loc[2, "firm_size"] = None
    with pytest.raises(ValidationError) as err:
        Population.from_pandas(frame, rsta())
    assert sorted(p.path for p in err.value.problems) == [
        "rows[1].nst_rd_expense",
        "rows[2].firm_size",
    ]
    frame.loc[2, "firm_size"] = "large"
    pop = Population.from_pandas(frame, rsta(), missing="default")
    assert pop.column("nst_rd_expense")[1] == 0.0


def test_arrow_and_parquet(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cols = firms_columns()
    table = pa.table({k: pa.array(v) for k, v in cols.items()})
    table = table.set_column(0, "firm_size", table.column("firm_size").dictionary_encode())
    pop = Population.from_arrow(table, rsta())
    reference = Population.from_columns(cols, rsta())
    assert pop == reference
    path = tmp_path / "firms.parquet"
    pq.write_table(table, path)
    assert Population.read(path, rsta()) == reference
    nulls = table.set_column(2, "nst_rd_expense", pa.array([1e9, None, 1e9, 1e9]))
    with pytest.raises(ValidationError, match=r"rows\[1\].nst_rd_expense"):
        Population.from_arrow(nulls, rsta())
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet")
    with pytest.raises(FormatError):
        Population.read(bad, rsta())


def test_values_are_checked_as_facts() -> None:
    cols = firms_columns()
    cols["nst_rd_expense"] = [1e9, float("inf"), -1.0, 1e9]
    with pytest.raises(DataError) as err:
        Population.from_columns(cols, rsta())
    assert [p.path for p in err.value.problems] == [
        "rows[1].nst_rd_expense",
        "rows[2].nst_rd_expense",
    ]


def test_weight_column_rules() -> None:
    cols = firms_columns()
    pop = Population.from_columns(cols, rsta(), weight=None, extra="ignore")
    assert list(pop.weight) == [1.0] * 4
    with pytest.raises(SchemaError, match="unknown column"):
        Population.from_columns(cols, rsta(), weight=None)
    cols["w"] = cols.pop("weight")
    assert Population.from_columns(cols, rsta(), weight="w").total_weight == 18.0


def test_population_pickles_and_is_compatible() -> None:
    pop = Population.from_columns(firms_columns(), rsta())
    back = pickle.loads(pickle.dumps(pop))
    assert back == pop and back.digest == pop.digest
    pop.check_compatible(rsta())
    from stratpolicy.catalogs import korea

    with pytest.raises(SchemaError, match="is not an input"):
        pop.check_compatible(korea.rd_matching())


def test_scaled_and_reweighted() -> None:
    pop = Population.from_columns(firms_columns(), rsta())
    more = pop.scaled({"nst_rd_expense": 1.5})
    assert list(more.column("nst_rd_expense")) == [1.5e9] * 4
    assert list(pop.column("nst_rd_expense")) == [1e9] * 4
    with pytest.raises(KeyError):
        pop.scaled({"firm_size": 2.0})
    with pytest.raises(ValidationError):
        pop.reweighted([1.0, -1.0, 1.0, 1.0])


# -- synthetic firms --------------------------------------------------------------------------


def test_synthetic_firms_match_their_sourced_figures() -> None:
    pop = synthetic_firms(3000, seed=4)
    w, size = pop.weight, pop.column("firm_size")
    counts = SOURCES["firm_counts_2023"]["value"]
    performers = SOURCES["rd_performers_2018"]["value"]
    # weights: the R&D-performing corporations by size (hand: 1,602 x 5,868 / 10,781 = 872.0)
    assert w[size == "sme"].sum() == pytest.approx(38_398)
    assert w[size == "mid_sized"].sum() == pytest.approx(1_602 * 5_868 / 10_781)
    assert w[size == "large"].sum() == pytest.approx(1_602 * 4_913 / 10_781)
    assert counts["mid_sized"] + counts["large"] == 10_781
    assert performers["sme"] + performers["non_sme"] == 40_000
    # R&D (before the qualifying share): 94.2968 tn x (10.9 % + 11.5 %) for SMEs
    cal = pop.metadata["calibration"]["groups"]
    rd = pop.column("nst_rd_expense") + pop.column("general_rd_expense")
    sme_rd = (w * rd)[size == "sme"].sum() / cal["sme"]["qualifying_share"]
    assert sme_rd == pytest.approx(94.2968e12 * 0.224, rel=1e-9)
    large_rd = (w * rd)[size == "large"].sum() / cal["non_sme"]["qualifying_share"]
    assert large_rd == pytest.approx(94.2968e12 * 0.637, rel=1e-9)
    # credits for tax year 2022 reach the NTS claims (1.5 and 2.1 tn KRW)
    result = rsta().evaluate_many(pop.table(), on=dt.date(2022, 12, 31))
    credit = w * result["rd_credit"]
    assert credit[size == "sme"].sum() == pytest.approx(1.5e12, rel=1e-6)
    assert credit[size != "sme"].sum() == pytest.approx(2.1e12, rel=1e-6)


def test_synthetic_firms_are_seeded_and_labelled() -> None:
    a, b, c = (
        synthetic_firms(200, seed=1),
        synthetic_firms(200, seed=1),
        synthetic_firms(200, seed=2),
    )
    assert a == b and a != c
    assert a.metadata["synthetic"] is True and a.metadata["seed"] == 1
    assert any("Synthetic" in x for x in a.metadata["assumptions"])
    assert "Synthetic population" in a._repr_html_()
    with pytest.raises(ValidationError):
        synthetic_firms(5, seed=1)
    with pytest.raises(ValidationError):
        synthetic_firms(100, seed=-1)


def test_synthetic_firms_use_special_act_areas_when_declared() -> None:
    from stratpolicy.scenarios import examples

    widened = examples.rsta_nst_12_areas().widen(rsta())
    fields = set(synthetic_firms(500, seed=3, rule_set=widened).column("rsta_field"))
    plain = set(synthetic_firms(500, seed=3).column("rsta_field"))
    assert "quantum" in fields and "quantum" not in plain
    assert plain <= set(next(i for i in rsta().inputs if i.name == "rsta_field").categories)
