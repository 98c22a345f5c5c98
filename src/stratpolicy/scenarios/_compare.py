"""Baseline against reform over a population: per-row values and weighted aggregates."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from typing import Any

from stratpolicy._checks import describe
from stratpolicy._version import __version__
from stratpolicy.errors import Problem, ValidationError
from stratpolicy.rules import RuleSet, ValueType
from stratpolicy.scenarios._population import Population
from stratpolicy.scenarios._reform import Reform

__all__ = ["Comparison", "as_evaluation_date", "compare", "reformed_pair"]

_NUMERIC = (ValueType.NUMBER, ValueType.MONEY)


def as_evaluation_date(on: object) -> dt.date:
    """The evaluation date of a comparison: a ``date`` (or ISO text ``YYYY-MM-DD``).

    Per-row dates (a column name) are not supported yet; the argument is named ``on`` so
    that they can be added.

    Raises:
        ValidationError: Not a date.
    """
    if isinstance(on, dt.datetime):
        return on.date()
    if isinstance(on, dt.date):
        return on
    if isinstance(on, str):
        try:
            return dt.date.fromisoformat(on)
        except ValueError:
            pass
    raise ValidationError([Problem("on", f"must be a date (YYYY-MM-DD), got {describe(on)}")])


def reformed_pair(baseline: RuleSet, reform: Reform | RuleSet) -> tuple[RuleSet, RuleSet]:
    """The baseline as evaluated and the reformed rule set.

    With a :class:`Reform`, the baseline is widened by its new inputs and categories.
    """
    if isinstance(reform, Reform):
        return reform.widen(baseline), reform.apply(baseline)
    if isinstance(reform, RuleSet):
        return baseline, reform
    raise TypeError(f"reform must be a Reform or a RuleSet, got {describe(reform)}")


class Comparison:
    """A baseline and a reform evaluated over one population on one date.

    Per row: the baseline's and the reform's value of every output and their difference
    (``delta = reform - baseline`` for numbers, ``+1``/``-1``/``0`` for booleans, and a
    ``changed`` flag for categories). Aggregates are weighted by the population's
    weights: a row stands for ``weight`` firms. A number output that is not set on a row
    (NaN) contributes nothing to sums. *Winners* are rows whose value rises by more than
    ``tolerance``, *losers* rows whose value falls by more than it, the rest *unchanged*.

    Attributes:
        on: The evaluation date.
        population: The population.
        baseline: The baseline rule set as evaluated (widened by the reform's new inputs and
            categories).
        reformed: The reformed rule set.
        reform: The reform document, or ``None`` when a reformed rule set was given.
        outputs: The outputs compared, in the baseline's order.
    """

    def __init__(
        self,
        *,
        on: dt.date,
        population: Population,
        baseline: RuleSet,
        reformed: RuleSet,
        reform: Reform | None,
        base_values: Mapping[str, Any],
        reform_values: Mapping[str, Any],
    ) -> None:
        self.on = on
        self.population = population
        self.baseline = baseline
        self.reformed = reformed
        self.reform = reform
        self._base = dict(base_values)
        self._reform = dict(reform_values)
        self.outputs = tuple(self._base)
        self._types = {name: _output_type(baseline, name) for name in self.outputs}

    # -- per row --------------------------------------------------------------------------

    def values(self, output: str) -> tuple[Any, Any]:
        """``(baseline, reform)`` arrays of one output."""
        self._check_output(output)
        return self._base[output], self._reform[output]

    def delta(self, output: str) -> Any:
        """``reform - baseline`` per row (numbers: float; booleans: -1, 0, +1 as int8).

        Raises:
            TypeError: A category output (use :meth:`changed`).
        """
        import numpy as np

        base, new = self.values(output)
        kind = self._types[output]
        if kind in _NUMERIC:
            return new - base
        if kind is ValueType.BOOL:
            return new.astype(np.int8) - base.astype(np.int8)
        raise TypeError(f"{output!r} is a category output: use changed({output!r})")

    def changed(self, output: str) -> Any:
        """Whether the output differs between baseline and reform, per row."""
        import numpy as np

        base, new = self.values(output)
        if self._types[output] in _NUMERIC:
            both_nan = np.isnan(base) & np.isnan(new)
            return ~both_nan & (base != new)
        return base != new

    def rows(self, outputs: Sequence[str] | None = None, *, inputs: bool = True) -> Any:
        """Per-row table (pandas): the inputs and weight, then each output's values.

        For each output ``{output}.baseline``, ``{output}.reform`` and ``{output}.delta``
        (``.changed`` for a category).
        """
        import pandas as pd

        chosen = self._chosen(outputs)
        columns: dict[str, Any] = {}
        if inputs:
            frame = self.population.to_pandas()
            for name in frame.columns:
                columns[name] = frame[name].to_numpy() if name == "weight" else frame[name]
        else:
            columns["weight"] = self.population.weight
        for name in chosen:
            base, new = self.values(name)
            columns[f"{name}.baseline"] = base
            columns[f"{name}.reform"] = new
            if self._types[name] is ValueType.CATEGORY:
                columns[f"{name}.changed"] = self.changed(name)
            else:
                columns[f"{name}.delta"] = self.delta(name)
        return pd.DataFrame(columns)

    to_pandas = rows

    # -- aggregates -----------------------------------------------------------------------

    def totals(self, outputs: Sequence[str] | None = None, *, tolerance: float = 0.0) -> Any:
        """Weighted totals of every number and boolean output (pandas, one row per output).

        Columns: ``baseline``, ``reform``, ``delta`` (weighted sums; for a boolean the
        weighted count of rows where it is true), ``winners``, ``losers``, ``unchanged``
        (weighted counts of rows) and ``rows_winners`` / ``rows_losers`` (unweighted).
        """
        import pandas as pd

        records = []
        for name in self._chosen(outputs, numeric=True):
            record = {"output": name, "unit": self.baseline.unit_of(name)}
            record.update(self._stats(name, tolerance))
            records.append(record)
        return pd.DataFrame.from_records(records).set_index("output")

    def by(
        self,
        group: str | Sequence[str] | Any,
        outputs: str | Sequence[str] | None = None,
        *,
        tolerance: float = 0.0,
    ) -> Any:
        """Weighted aggregates by group (pandas).

        Args:
            group: An input (``"firm_size"``), a category or boolean output (its baseline
                value), several of them (a list of names: one row per combination), or a
                numpy array or pandas Series of labels, one per row. Every declared category
                is a row, even when empty.
            outputs: One output (flat columns), several or ``None`` for every number and
                boolean output (columns ``(output, statistic)``).
            tolerance: How much a value must change for a row to win or lose.

        Returns:
            Per group: ``firms`` (sum of weights), ``rows``, ``baseline``, ``reform``,
            ``delta``, ``winners``, ``losers``, ``unchanged``, ``rows_winners``,
            ``rows_losers``.
        """
        import pandas as pd

        keys, names = self._group_keys(group)
        single = isinstance(outputs, str)
        chosen = self._chosen([outputs] if isinstance(outputs, str) else outputs, numeric=True)
        frames = {}
        for name in chosen:
            stats = self._stats_frame(name, tolerance)
            frame = stats.groupby(keys, observed=False, sort=False).sum()
            frame.index.names = names
            frames[name] = frame
        if single:
            result = frames[chosen[0]]
        else:
            result = pd.concat(frames, axis=1, names=["output", "statistic"])
        return _sort_index(result, keys)

    def changing(self, *, summable: bool = False) -> tuple[str, ...]:
        """The number and boolean outputs that change on some row, in the baseline's order.

        An output changes when its weighted total does or some row wins or loses. With
        ``summable``, only those whose sum means something -- outputs with a unit (money, a
        count) and booleans (a count of firms) -- when any of them change; a sum of rates
        means little.
        """
        totals = self.totals()
        moved = totals[(totals["delta"] != 0) | ((totals["winners"] + totals["losers"]) > 0)]
        names = tuple(str(name) for name in moved.index)
        if not summable:
            return names
        chosen = tuple(n for n in names if moved.loc[n, "unit"] or self._types[n] is ValueType.BOOL)
        return chosen or names

    def winners_losers(self, output: str, *, tolerance: float = 0.0) -> dict[str, float]:
        """Weighted and unweighted counts of winners, losers and unchanged rows."""
        stats = self._stats(output, tolerance)
        return {
            k: stats[k]
            for k in ("winners", "losers", "unchanged", "rows_winners", "rows_losers", "rows")
        }

    def total(self, output: str, which: str = "delta") -> float:
        """One weighted total: ``which`` is ``"baseline"``, ``"reform"`` or ``"delta"``."""
        import numpy as np

        base, new = self.values(output)
        w = self.population.weight
        value = {"baseline": base, "reform": new}.get(which)
        if value is None:
            if which != "delta":
                raise ValueError(f"which must be baseline, reform or delta, got {which!r}")
            value = self.delta(output)
        return float(np.nansum(w * np.asarray(value, dtype=np.float64)))

    # -- output -----------------------------------------------------------------------------

    @property
    def metadata(self) -> dict[str, Any]:
        """What the comparison rests on: date, rule sets, reform, population, assumptions."""
        from stratpolicy import io

        reform_doc = json.loads(io.dumps(self.reform, "json")) if self.reform is not None else None
        assumptions = list(self.reform.all_assumptions()) if self.reform is not None else []
        population = {k: v for k, v in self.population.metadata.items() if k != "sources"}
        return {
            "stratpolicy_version": __version__,
            "on": self.on.isoformat(),
            "baseline": self.baseline.id,
            "baseline_digest": self.baseline.digest,
            "reformed_digest": self.reformed.digest,
            "reform": reform_doc,
            "hypothetical": self.reform.is_hypothetical if self.reform is not None else None,
            "assumptions": assumptions,
            "population": population,
        }

    def to_parquet(
        self, path: str | os.PathLike[str], outputs: Sequence[str] | None = None
    ) -> None:
        """Write the per-row table (:meth:`rows`) to Parquet, with the metadata.

        :attr:`metadata` goes in the file's key-value metadata (key ``stratpolicy``, JSON).
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(self.rows(outputs), preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[b"stratpolicy"] = json.dumps(self.metadata, ensure_ascii=False).encode("utf-8")
        pq.write_table(table.replace_schema_metadata(meta), path)

    def plot(
        self,
        output: str,
        by: str | Sequence[str] | Any = "firm_size",
        *,
        ax: Any = None,
        scale: float = 1.0,
        unit: str | None = None,
    ) -> Any:
        """A bar chart of the weighted change of ``output`` by group; returns the ``Axes``.

        Needs matplotlib: ``pip install stratpolicy[plot]``.
        """
        from stratpolicy.display import plot_comparison

        return plot_comparison(self, output, by, ax=ax, scale=scale, unit=unit)

    def __repr__(self) -> str:
        name = self.reform.id if self.reform is not None else self.reformed.id
        return (
            f"<Comparison of {self.baseline.id!r} and reform {name!r} on {self.on}: "
            f"{self.population.n} rows, {len(self.outputs)} outputs>"
        )

    def _repr_html_(self) -> str:
        from stratpolicy.display import comparison_html

        return comparison_html(self)

    # -- internals --------------------------------------------------------------------------

    def _check_output(self, output: str) -> None:
        if output not in self._base:
            raise KeyError(
                f"{output!r} is not an output compared (outputs: {', '.join(self.outputs)})"
            )

    def _chosen(self, outputs: Sequence[str] | None, *, numeric: bool = False) -> list[str]:
        if outputs is None:
            names = list(self.outputs)
            if numeric:
                names = [n for n in names if self._types[n] is not ValueType.CATEGORY]
            return names
        names = list(outputs)
        for name in names:
            self._check_output(name)
            if numeric and self._types[name] is ValueType.CATEGORY:
                raise TypeError(f"{name!r} is a category output: it has no sum")
        return names

    def _stats_frame(self, output: str, tolerance: float) -> Any:
        import numpy as np
        import pandas as pd

        base, new = self.values(output)
        w = self.population.weight
        base_f = np.asarray(base, dtype=np.float64)
        new_f = np.asarray(new, dtype=np.float64)
        delta = new_f - base_f
        up = delta > tolerance
        down = delta < -tolerance
        return pd.DataFrame(
            {
                "firms": w,
                "rows": np.ones(w.shape[0], dtype=np.int64),
                "baseline": np.where(np.isnan(base_f), 0.0, w * base_f),
                "reform": np.where(np.isnan(new_f), 0.0, w * new_f),
                "delta": np.where(np.isnan(delta), 0.0, w * delta),
                "winners": np.where(up, w, 0.0),
                "losers": np.where(down, w, 0.0),
                "unchanged": np.where(up | down, 0.0, w),
                "rows_winners": up.astype(np.int64),
                "rows_losers": down.astype(np.int64),
            }
        )

    def _stats(self, output: str, tolerance: float) -> dict[str, Any]:
        frame = self._stats_frame(output, tolerance)
        sums = frame.sum()
        return {k: (int(v) if k.startswith("rows") else float(v)) for k, v in sums.items()}

    def _group_keys(self, group: Any) -> tuple[list[Any], list[str]]:
        import numpy as np
        import pandas as pd

        items = [group] if isinstance(group, str) or not _is_list_of_names(group) else list(group)
        keys = []
        names = []
        for item in items:
            if isinstance(item, str):
                keys.append(self._group_column(item))
                names.append(item)
            else:
                array = np.asarray(item)
                if array.shape != (self.population.n,):
                    raise ValueError(
                        f"a group given as labels needs one per row ({self.population.n}), "
                        f"got shape {array.shape}"
                    )
                keys.append(pd.Series(array))
                names.append("group")
        return keys, names

    def _group_column(self, name: str) -> Any:
        import pandas as pd

        pop = self.population
        if name in pop._declared:
            info = pop.declared(name)
            if info.type is ValueType.CATEGORY:
                return pd.Categorical.from_codes(
                    pop.codes(name), categories=pd.Index(info.categories)
                )
            return pd.Series(pop.column(name))
        if name in self._base:
            kind = self._types[name]
            base = self._base[name]
            if kind is ValueType.CATEGORY:
                cats = _output_categories(self.baseline, name)
                return pd.Categorical(base, categories=cats)
            if kind is ValueType.BOOL:
                return pd.Categorical(base, categories=[False, True])
            raise TypeError(f"{name!r} is a number output: group by a category or a boolean")
        raise KeyError(f"{name!r} is neither an input of the population nor an output compared")


def _is_list_of_names(group: Any) -> bool:
    return isinstance(group, (list, tuple)) and all(isinstance(g, str) for g in group)


def _sort_index(frame: Any, keys: list[Any]) -> Any:
    try:
        return frame.sort_index()
    except TypeError:  # labels of mixed types
        return frame


def _output_type(rule_set: RuleSet, name: str) -> ValueType:
    plan = rule_set._engine.plan
    _, index = plan.symbols[name]
    vtype: ValueType = plan.outputs[index].vtype
    return vtype


def _output_categories(rule_set: RuleSet, name: str) -> list[str]:
    plan = rule_set._engine.plan
    _, index = plan.symbols[name]
    return list(plan.outputs[index].categories)


def compare(
    baseline: RuleSet,
    reform: Reform | RuleSet,
    population: Population,
    *,
    on: dt.date | str,
    outputs: Sequence[str] | None = None,
) -> Comparison:
    """Evaluate a baseline and a reform over a population on a date, and compare them.

    Args:
        baseline: The rule set as it stands.
        reform: A :class:`Reform` (applied to ``baseline``) or a reformed rule set. With a
            reform, the baseline is evaluated *widened* by the reform's new inputs and
            categories (:meth:`Reform.widen`), which its rules do not read or list, so that
            one population serves both.
        population: The firms, checked against the baseline (or the reformed rule set).
        on: The evaluation date (a ``date`` or ``YYYY-MM-DD``).
        outputs: The outputs to compare (default: every output of the baseline that the
            reformed rule set also has).

    Returns:
        The :class:`Comparison`.

    Raises:
        DataError: The reform does not apply, or a row cannot be evaluated (every failing
            row is listed).

    Examples:
        >>> import datetime as dt
        >>> from stratpolicy.catalogs import korea
        >>> from stratpolicy.scenarios import examples, synthetic_firms
        >>> firms = synthetic_firms(200, seed=1)
        >>> c = compare(korea.tax_credits(), examples.sme_nst_rd_50(), firms,
        ...             on=dt.date(2026, 6, 30), outputs=["nst_rd_credit"])
        >>> c.total("nst_rd_credit") > 0
        True
    """
    day = as_evaluation_date(on)
    base_rs, reformed = reformed_pair(baseline, reform)
    population.check_compatible(base_rs)
    population.check_compatible(reformed)
    table = population.table()
    base_result = base_rs.evaluate_many(table, on=day)
    reform_result = reformed.evaluate_many(table, on=day)
    if outputs is None:
        names = [n for n in base_rs.output_names if n in reform_result]
    else:
        names = list(outputs)
        for name in names:
            if name not in base_result or name not in reform_result:
                raise KeyError(f"{name!r} is not an output of both rule sets")
    return Comparison(
        on=day,
        population=population,
        baseline=base_rs,
        reformed=reformed,
        reform=reform if isinstance(reform, Reform) else None,
        base_values={n: base_result[n] for n in names},
        reform_values={n: reform_result[n] for n in names},
    )
