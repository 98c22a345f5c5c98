"""Populations larger than memory: :meth:`RuleSet.evaluate_many` over Dask partitions."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from stratpolicy.errors import Problem, ValidationError
from stratpolicy.rules import RuleSet
from stratpolicy.scenarios._memory import MALLOC_SETTINGS

__all__ = ["evaluate_partitions", "local_dask_client"]


@contextlib.contextmanager
def local_dask_client(workers: int = 2, *, tune: bool = True, **options: Any) -> Iterator[Any]:
    """A Dask ``Client`` of a local cluster of worker processes, closed on exit.

    ``LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
    host="127.0.0.1", dashboard_address=None)``: one single-threaded process per worker, on
    the loopback interface, without a dashboard. The workers start with glibc's ``malloc``
    tuned for numpy's temporaries (:data:`MALLOC_SETTINGS`): evaluations ran about twice as
    fast in them. Without it Dask would start them with ``MALLOC_TRIM_THRESHOLD_=65536``,
    which turns off glibc's adaptive ``mmap`` threshold, so that every numpy temporary above
    128 KiB is mapped and unmapped again (``RuleSet.evaluate_many`` ran 1.4-2.2x slower than
    with glibc's defaults; ``benchmarks/README.md``). Needs ``stratpolicy[distributed]``.

    Args:
        workers: Number of worker processes.
        tune: Start the workers with :data:`MALLOC_SETTINGS`; ``False`` leaves glibc's
            defaults (each worker then keeps less memory).
        options: Other ``LocalCluster`` arguments (they win over the ones above).

    Examples:
        >>> from stratpolicy.scenarios import local_dask_client
        >>> with local_dask_client(1, processes=False) as client:  # a thread, for the example
        ...     client.submit(sum, [1, 2]).result()
        3
    """
    import dask
    from distributed import Client, LocalCluster

    settings: dict[str, Any] = {
        "n_workers": workers,
        "threads_per_worker": 1,
        "processes": True,
        "dashboard_address": None,
        **options,
    }
    if settings["processes"]:  # threads in this process talk in memory, without a host
        settings.setdefault("host", "127.0.0.1")
    environ: dict[str, str | None] = (
        dict(MALLOC_SETTINGS) if tune else dict.fromkeys(MALLOC_SETTINGS, None)
    )
    with contextlib.ExitStack() as stack:
        stack.enter_context(
            dask.config.set(
                {f"distributed.nanny.pre-spawn-environ.{k}": v for k, v in environ.items()}
            )
        )
        # An earlier cluster's nanny, in this process, may have set the variables here; its
        # workers inherit this process's environment while they start.
        inherited = {k: os.environ.pop(k) for k in MALLOC_SETTINGS if k in os.environ}
        try:
            cluster = stack.enter_context(LocalCluster(**settings))  # type: ignore[no-untyped-call]
        finally:
            os.environ.update(inherited)
        client = stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
        yield client


def _evaluate(
    partition: Any,
    rule_set: RuleSet,
    on: dt.date,
    columns: Mapping[str, str] | None,
    extra: str,
    outputs: tuple[str, ...] | None,
) -> Any:
    result = rule_set.evaluate_many(partition, on=on, columns=columns, extra=extra)
    frame = result.to_pandas(index=partition.index)
    return frame if outputs is None else frame[list(outputs)]


def _dask_frame(data: Any, partitions: int | None) -> Any:
    """``data`` as a Dask DataFrame: itself, a lazily read Parquet path, a split pandas frame."""
    import dask.dataframe as dd

    if isinstance(data, dd.DataFrame):
        if partitions is not None:
            raise ValidationError(
                [
                    Problem(
                        "partitions",
                        "partitions= splits a pandas DataFrame; a Dask DataFrame keeps its own",
                    )
                ]
            )
        return data
    if isinstance(data, (str, os.PathLike)):
        path = Path(data)
        if not path.exists():
            raise FileNotFoundError(errno.ENOENT, "no such Parquet file or folder", str(path))
        frame = dd.read_parquet(path)
        return frame if partitions is None else frame.repartition(npartitions=partitions)
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        count = 1 if partitions is None else partitions
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValidationError(
                [Problem("partitions", f"expected a whole number >= 1, got {count!r}")]
            )
        return dd.from_pandas(data, npartitions=count)  # type: ignore[no-untyped-call]
    raise ValidationError(
        [
            Problem(
                "data",
                "expected a Dask DataFrame, a Parquet path or a pandas DataFrame, got "
                f"{type(data).__name__}",
            )
        ]
    )


def evaluate_partitions(
    rule_set: RuleSet,
    data: Any,
    *,
    on: dt.date,
    columns: Mapping[str, str] | None = None,
    extra: str = "error",
    outputs: tuple[str, ...] | list[str] | None = None,
    partitions: int | None = None,
) -> Any:
    """Evaluate a rule set over every partition of a Dask DataFrame, lazily.

    Each partition is one :meth:`RuleSet.evaluate_many` call, with its results and errors;
    the rule set goes into the task graph once (tokenised by its content hash) and each
    worker builds it once (see :attr:`RuleSet.digest`). Needs ``stratpolicy[distributed]``.

    Args:
        rule_set: The rule set.
        data: Rows whose columns are the rule set's inputs: a ``dask.dataframe.DataFrame``,
            the path of a Parquet file or folder (read lazily, one partition per file or
            row group), or a pandas DataFrame (split into ``partitions``).
        on: The evaluation date.
        columns: Column name -> input name.
        extra: ``"error"`` or ``"ignore"`` for a column that is no input.
        outputs: The outputs to keep (default: all).
        partitions: For a pandas DataFrame, the number of partitions (default 1); for a
            Parquet path, a repartitioning.

    Returns:
        A lazy Dask DataFrame of the outputs, partitioned and indexed like the input;
        ``.compute()`` it, or aggregate it first (``(out.rd_credit * weight).sum()``).

    Raises:
        ValidationError: ``data`` is none of the above, or ``partitions`` is not a whole
            number >= 1.
        FileNotFoundError: a Parquet path does not exist.

    Examples:
        >>> import datetime as dt, pandas as pd
        >>> from stratpolicy.catalogs import korea
        >>> firms = pd.DataFrame({
        ...     "firm_size": ["sme", "large"] * 2, "total_rd_cost": [1e9] * 4,
        ...     "government_contribution": [5e8] * 4})
        >>> out = evaluate_partitions(korea.rd_matching(), firms, on=dt.date(2026, 1, 1),
        ...                           partitions=2)
        >>> out.npartitions, out["government_share_ok"].compute().tolist()
        (2, [True, True, True, True])
    """
    from dask.delayed import delayed

    frame = _dask_frame(data, partitions)
    chosen = tuple(outputs) if outputs is not None else None
    meta = _evaluate(frame._meta, rule_set, on, columns, extra, chosen)
    shared = delayed(rule_set, pure=True)
    return frame.map_partitions(
        _evaluate, shared, on, columns, extra, chosen, meta=meta, align_dataframes=False
    )
