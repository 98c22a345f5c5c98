"""Populations larger than memory: :meth:`RuleSet.evaluate_many` over Dask partitions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from stratpolicy.rules import RuleSet

__all__ = ["evaluate_partitions"]


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
