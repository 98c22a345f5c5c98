"""A rule set over the partitions of a Dask DataFrame equals one evaluate_many call."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tests.scenarios.conftest import rsta

dd = pytest.importorskip("dask.dataframe")


def test_partitions_equal_one_call(random_table) -> None:  # type: ignore[no-untyped-def]
    from stratpolicy.scenarios import evaluate_partitions

    frame = pd.DataFrame({k: v for k, v in random_table.items() if not k.startswith("_")})
    frame["firm_size"] = frame["firm_size"].astype("category")
    on = dt.date(2026, 6, 30)
    whole = rsta().evaluate_many(frame, on=on).to_pandas()
    lazy = evaluate_partitions(rsta(), dd.from_pandas(frame, npartitions=4), on=on)
    assert lazy.npartitions == 4
    got = lazy.compute(scheduler="synchronous")
    assert list(got.columns) == list(whole.columns)
    for name in whole.columns:
        a, b = whole[name].to_numpy(), got[name].to_numpy()
        if a.dtype.kind == "f":
            assert np.array_equal(a, b, equal_nan=True)
        else:
            assert a.tolist() == b.tolist()
    only = evaluate_partitions(
        rsta(), dd.from_pandas(frame, npartitions=2), on=on, outputs=["rd_credit"]
    )
    assert list(only.columns) == ["rd_credit"]
    total = only["rd_credit"].sum().compute(scheduler="synchronous")
    assert total == pytest.approx(float(whole["rd_credit"].sum()), rel=1e-12)


def test_a_bad_row_in_a_partition_is_the_library_error(random_table) -> None:  # type: ignore[no-untyped-def]
    from stratpolicy.errors import ValidationError
    from stratpolicy.scenarios import evaluate_partitions

    frame = pd.DataFrame({k: v for k, v in random_table.items() if not k.startswith("_")})
    frame.loc[7, "revenue"] = -1.0
    lazy = evaluate_partitions(
        rsta(), dd.from_pandas(frame, npartitions=3), on=dt.date(2026, 6, 30)
    )
    with pytest.raises(ValidationError, match=r"rows\[7\].facts.revenue"):
        lazy.compute(scheduler="synchronous")


def test_rule_sets_tokenise_by_their_content_hash() -> None:
    import pickle

    from dask.base import tokenize

    from stratpolicy.catalogs import korea

    copy = pickle.loads(pickle.dumps(rsta()))
    assert copy is not rsta()
    assert tokenize(copy) == tokenize(rsta())  # equal declarations, one token
    assert tokenize(rsta()) != tokenize(korea.rd_matching())
    assert rsta().__dask_tokenize__()[-1] == rsta().digest  # the token is the content hash


def test_a_parquet_path_and_a_pandas_frame_are_read_as_partitions(random_table, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from stratpolicy.scenarios import evaluate_partitions

    frame = pd.DataFrame({k: v for k, v in random_table.items() if not k.startswith("_")})
    on = dt.date(2026, 6, 30)
    whole = rsta().evaluate_many(frame, on=on).to_pandas()["rd_credit"].to_numpy()
    frame.to_parquet(tmp_path / "firms.parquet")
    from_path = evaluate_partitions(rsta(), tmp_path / "firms.parquet", on=on, partitions=3)
    from_frame = evaluate_partitions(rsta(), frame, on=on, partitions=5)
    assert (from_path.npartitions, from_frame.npartitions) == (3, 5)
    for lazy in (from_path, from_frame):
        got = lazy["rd_credit"].compute(scheduler="synchronous").to_numpy()
        assert np.array_equal(got, whole, equal_nan=True)


def test_what_cannot_be_partitioned_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from stratpolicy.errors import ValidationError
    from stratpolicy.scenarios import evaluate_partitions

    on = dt.date(2026, 6, 30)
    frame = pd.DataFrame({"revenue": [1.0]})
    with pytest.raises(ValidationError, match="partitions") as bad_count:
        evaluate_partitions(rsta(), frame, on=on, partitions=0)
    assert [p.path for p in bad_count.value.problems] == ["partitions"]
    with pytest.raises(ValidationError, match="keeps its own"):
        evaluate_partitions(rsta(), dd.from_pandas(frame, npartitions=1), on=on, partitions=2)
    with pytest.raises(ValidationError, match="got list") as bad_data:
        evaluate_partitions(rsta(), [1, 2], on=on)
    assert [p.path for p in bad_data.value.problems] == ["data"]
    with pytest.raises(FileNotFoundError, match="no such Parquet"):
        evaluate_partitions(rsta(), tmp_path / "missing.parquet", on=on)
