"""Populations larger than memory: :meth:`RuleSet.evaluate_many` over Dask partitions."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator, Mapping
from typing import Any

from stratpolicy.rules import RuleSet

__all__ = ["evaluate_partitions", "local_dask_client"]

_TRIM = "MALLOC_TRIM_THRESHOLD_"


@contextlib.contextmanager
def local_dask_client(workers: int = 2, **options: Any) -> Iterator[Any]:
    """A Dask ``Client`` of a local cluster of worker processes, closed on exit.

    ``LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
    host="127.0.0.1", dashboard_address=None)``: one single-threaded process per worker, on
    the loopback interface, without a dashboard. glibc's ``malloc`` keeps its defaults in the
    workers: Dask sets ``MALLOC_TRIM_THRESHOLD_=65536`` for its worker processes, which turns
    off glibc's adaptive ``mmap`` threshold, so every numpy temporary above 128 KiB is mapped
    and unmapped again; ``RuleSet.evaluate_many`` ran 1.4-2.2x slower in such workers
    (``benchmarks/README.md``). Needs ``stratpolicy[distributed]``.

    Args:
        workers: Number of worker processes.
        options: Other ``LocalCluster`` arguments (they win over the ones above).

    Examples:
        >>> from stratpolicy.scenarios import local_dask_client
        >>> with local_dask_client(1) as client:  # doctest: +SKIP
        ...     client.submit(sum, [1, 2]).result()
        3
    """
    import dask
    from distributed import Client, LocalCluster

    settings: dict[str, Any] = {
        "n_workers": workers,
        "threads_per_worker": 1,
        "processes": True,
        "host": "127.0.0.1",
        "dashboard_address": None,
        **options,
    }
    with contextlib.ExitStack() as stack:
        stack.enter_context(
            dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None})
        )
        # An earlier cluster's nanny, in this process, may have set the variable here; its
        # workers inherit this process's environment while they start.
        inherited = os.environ.pop(_TRIM, None)
        try:
            cluster = stack.enter_context(LocalCluster(**settings))  # type: ignore[no-untyped-call]
        finally:
            if inherited is not None:
                os.environ[_TRIM] = inherited
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


def evaluate_partitions(
    rule_set: RuleSet,
    frame: Any,
    *,
    on: dt.date,
    columns: Mapping[str, str] | None = None,
    extra: str = "error",
    outputs: tuple[str, ...] | list[str] | None = None,
) -> Any:
    """Evaluate a rule set over every partition of a ``dask.dataframe.DataFrame``, lazily.

    Each partition is one :meth:`RuleSet.evaluate_many` call, with its results and errors;
    the rule set goes into the task graph once (tokenised by its content hash) and each
    worker builds it once (see :attr:`RuleSet.digest`). Needs ``stratpolicy[distributed]``.

    Args:
        rule_set: The rule set.
        frame: A Dask DataFrame whose columns are the rule set's inputs.
        on: The evaluation date.
        columns: Column name -> input name.
        extra: ``"error"`` or ``"ignore"`` for a column that is no input.
        outputs: The outputs to keep (default: all).

    Returns:
        A lazy Dask DataFrame of the outputs, partitioned and indexed like ``frame``;
        ``.compute()`` it, or aggregate it first (``(out.rd_credit * weight).sum()``).

    Examples:
        >>> import datetime as dt, pandas as pd, dask.dataframe as dd
        >>> from stratpolicy.catalogs import korea
        >>> firms = dd.from_pandas(pd.DataFrame({
        ...     "firm_size": ["sme", "large"] * 2, "total_rd_cost": [1e9] * 4,
        ...     "government_contribution": [5e8] * 4}), npartitions=2)
        >>> out = evaluate_partitions(korea.rd_matching(), firms, on=dt.date(2026, 1, 1))
        >>> out["government_share_ok"].compute().tolist()
        [True, True, True, True]
    """
    from dask.delayed import delayed

    chosen = tuple(outputs) if outputs is not None else None
    meta = _evaluate(frame._meta, rule_set, on, columns, extra, chosen)
    shared = delayed(rule_set, pure=True)
    return frame.map_partitions(
        _evaluate, shared, on, columns, extra, chosen, meta=meta, align_dataframes=False
    )
