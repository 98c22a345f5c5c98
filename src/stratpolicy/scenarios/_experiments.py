"""Experiments: levers and uncertainties by parameter path, samplers, seeds and outcomes.

An :class:`ExperimentSpec` (a document of the file format, ``document: experiments``)
names the factors, how to sample them, the seed and the outcomes; :meth:`~ExperimentSpec.
design` draws the experiments (:class:`Design`), each with its own seed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from stratpolicy._checks import Checker, describe
from stratpolicy._frozen import plain_state, set_plain_state
from stratpolicy.errors import Problem, SchemaError, ValidationError
from stratpolicy.rules import RuleSet, ValueType
from stratpolicy.scenarios._reform import ParameterOverride, Reform

__all__ = [
    "OUTCOME_STATISTICS",
    "SAMPLERS",
    "Design",
    "ExperimentSpec",
    "Factor",
    "Outcome",
    "PopulationSource",
]

SAMPLERS = ("grid", "lhs", "sobol")
"""The samplers: ``grid`` (full factorial), ``lhs`` (Latin hypercube) and ``sobol``
(scrambled Sobol' points; ``n`` a power of two), the last two from ``scipy.stats.qmc``."""

OUTCOME_STATISTICS = (
    "delta",
    "baseline",
    "reform",
    "winners",
    "losers",
    "unchanged",
    "firms",
)
"""What an :class:`Outcome` sums over the (selected) rows, each row times its weight:
``delta`` (reform - baseline), ``baseline``, ``reform``; ``winners`` / ``losers`` /
``unchanged`` (rows whose value rises / falls by more than the tolerance / neither);
``firms`` (the weights)."""

_PATH = re.compile(r"^(population\.)?([A-Za-z_][A-Za-z0-9_]*)(?:\[([^\[\]]+)\])?$")


def _factors(items: Iterable[Factor]) -> tuple[Factor, ...]:
    return tuple(items)


def _outcomes(items: Iterable[Outcome]) -> tuple[Outcome, ...]:
    return tuple(items)


def _floats(items: Iterable[float] | None) -> tuple[float, ...] | None:
    if items is None:
        return None
    return tuple(float(x) if isinstance(x, int) and not isinstance(x, bool) else x for x in items)


def _to_float(value: float | None) -> float | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _where(value: Mapping[str, Sequence[str]] | None) -> Mapping[str, tuple[str, ...]]:
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        return value  # refused by the checks
    return MappingProxyType({k: (v,) if isinstance(v, str) else tuple(v) for k, v in value.items()})


def _str_map(value: Mapping[str, str] | None) -> Mapping[str, str] | None:
    if value is None or not isinstance(value, Mapping):
        return value
    return MappingProxyType(dict(value))


def _finite(x: object) -> bool:
    return not isinstance(x, bool) and isinstance(x, float) and math.isfinite(x)


@attrs.frozen(kw_only=True)
class Factor:
    """A lever or an uncertainty: a path with a range or a list of choices.

    Paths:

    * ``rd_addon_cap`` -- a number parameter;
    * ``nst_rd_base_rate[sme]`` -- one key of a keyed parameter;
    * ``population.nst_rd_expense`` -- a number column of the population, multiplied by
      the factor's value (a behavioural uncertainty: firms spend 10 % more).

    A parameter factor becomes a :class:`ParameterOverride` from the spec's ``start`` to
    its ``end``. A lever changes the reform only; an uncertainty changes the world, so the
    baseline too.

    Attributes:
        path: What the factor sets (see above).
        low: Lowest value of a range.
        high: Highest value of a range.
        choices: Values to choose among (instead of a range).
        levels: For the full grid, how many evenly spaced values of a range (default 3).
        name: Its column in the results (default: the path).
        description: What it stands for.
    """

    path: str
    low: float | None = attrs.field(default=None, converter=_to_float)
    high: float | None = attrs.field(default=None, converter=_to_float)
    choices: tuple[float, ...] | None = attrs.field(default=None, converter=_floats)
    levels: int | None = None
    name: str = ""
    description: str = ""

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.texts(self)
        if not isinstance(self.path, str) or not _PATH.match(self.path):
            check.add(
                "path",
                f"expected 'parameter', 'parameter[key]' or 'population.input', got "
                f"{describe(self.path)}",
            )
        ranged = self.low is not None or self.high is not None
        if ranged == (self.choices is not None):
            check.add("", "give either low and high, or choices")
        if ranged:
            if not (_finite(self.low) and _finite(self.high)):
                check.add("low", "low and high must both be finite numbers")
            elif self.high < self.low:  # type: ignore[operator]
                check.add("high", f"must not be below low ({self.low!r}), got {self.high!r}")
        if self.choices is not None:
            if not self.choices:
                check.add("choices", "must not be empty")
            for i, c in enumerate(self.choices):
                if not _finite(c):
                    check.add(f"choices[{i}]", f"must be a finite number, got {describe(c)}")
            check.unique("choices", self.choices, "choice")
        if self.levels is not None and (
            isinstance(self.levels, bool) or not isinstance(self.levels, int) or self.levels < 1
        ):
            check.add("levels", f"must be a whole number >= 1, got {describe(self.levels)}")
        if self.levels is not None and self.choices is not None:
            check.add("levels", "levels go with a range, not with choices")
        check.done()

    @property
    def label(self) -> str:
        """The factor's column name: ``name`` or the path."""
        return self.name or self.path

    @property
    def parts(self) -> tuple[bool, str, str | None]:
        """``(on the population?, parameter or input name, key or None)``."""
        match = _PATH.match(self.path)
        assert match is not None
        return bool(match.group(1)), match.group(2), match.group(3)

    def scale(self, u: float) -> float:
        """The factor's value at ``u`` in [0, 1): a point of the range, or a choice."""
        if self.choices is not None:
            k = len(self.choices)
            return self.choices[min(k - 1, int(u * k))]
        assert self.low is not None
        assert self.high is not None
        return self.low + u * (self.high - self.low)

    def grid(self) -> tuple[float, ...]:
        """The factor's values in a full grid."""
        if self.choices is not None:
            return self.choices
        assert self.low is not None
        assert self.high is not None
        k = self.levels or 3
        if k == 1 or self.low == self.high:
            return (self.low,)
        step = (self.high - self.low) / (k - 1)
        return (*(self.low + i * step for i in range(k - 1)), self.high)


@attrs.frozen(kw_only=True)
class Outcome:
    """A named aggregate of a comparison: a weighted statistic of one output.

    Attributes:
        name: Its column in the results (with ``by``: ``name[category]`` per category).
        output: The rule set's output (a number or boolean output).
        statistic: One of :data:`OUTCOME_STATISTICS` (default ``delta``).
        where: Only rows whose inputs take these categories: ``{firm_size: [sme]}``.
        by: A category input: one column per declared category.
        tolerance: For winners / losers / unchanged: the least change that counts.

    Examples:
        >>> Outcome(name="cost", output="rd_credit", by="firm_size").statistic
        'delta'
    """

    name: str
    output: str
    statistic: str = "delta"
    where: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_where)
    by: str | None = None
    tolerance: float = attrs.field(default=0.0, converter=_to_float)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.non_empty("name", self.name)
        check.non_empty("output", self.output)
        check.texts(self)
        if self.statistic not in OUTCOME_STATISTICS:
            check.add(
                "statistic",
                f"{describe(self.statistic)} is not one of {', '.join(OUTCOME_STATISTICS)}",
            )
        if not _finite(self.tolerance) or self.tolerance < 0:
            check.add("tolerance", f"must be a finite number >= 0, got {describe(self.tolerance)}")
        if isinstance(self.where, Mapping):
            for k, values in self.where.items():
                if not values:
                    check.add(f"where.{k}", "must list at least one category")
        check.done()

    def __getstate__(self) -> tuple[object, ...]:
        return plain_state(self)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        set_plain_state(self, state)

    def columns(self, categories: Sequence[str] = ()) -> tuple[str, ...]:
        """The result columns: ``(name,)``, or ``name[category]`` for each category."""
        if self.by is None:
            return (self.name,)
        return tuple(f"{self.name}[{c}]" for c in categories)


@attrs.frozen(kw_only=True)
class PopulationSource:
    """Where a spec's population comes from (for the command line): a file or synthetic.

    Attributes:
        file: A CSV, Parquet or JSON/YAML file (relative to the spec's folder).
        synthetic_rows: Rows of :func:`~stratpolicy.scenarios.synthetic_firms`.
        synthetic_seed: Its seed.
        columns: Column name -> input name.
        extra: ``error`` or ``ignore``.
        missing: ``error`` or ``default``.
        weight: The weight column (``null``: none).
    """

    file: str | None = None
    synthetic_rows: int | None = None
    synthetic_seed: int = 0
    columns: Mapping[str, str] | None = attrs.field(default=None, converter=_str_map)
    extra: str = "error"
    missing: str = "error"
    weight: str | None = "weight"

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.texts(self)
        if (self.file is None) == (self.synthetic_rows is None):
            check.add("", "give either file or synthetic_rows")
        check.done()

    def __getstate__(self) -> tuple[object, ...]:
        return plain_state(self)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        set_plain_state(self, state)


@attrs.frozen(kw_only=True)
class ExperimentSpec:
    """A study: factors, a sampler, a seed, outcomes, a date -- a document of the format.

    Attributes:
        id: The study's id.
        name: A short name.
        description: What it asks.
        on: The evaluation date.
        levers: Policy choices (they change the reform only).
        uncertainties: Facts of the world (they change the baseline too).
        outcomes: What to record of each experiment.
        sampler: ``grid``, ``lhs`` or ``sobol`` (:data:`SAMPLERS`).
        n: Number of experiments (``lhs``, ``sobol``; for ``grid`` the grid's size if
            given).
        seed: The root seed: ``numpy.random.SeedSequence(seed)`` spawns the sampler's
            seed and one seed per experiment, recorded with the results.
        start: First day of the factors' parameter overrides (default: ``on``).
        end: Last day of the overrides (default: no end).
        reform: A reform applied in every experiment before the levers (the levers
            must not conflict with it).
        rule_set: For the command line: the baseline, a built-in rule set's name or a
            file (relative to the spec's folder).
        population: For the command line: the population.
        resample: Sampling uncertainty of the population (a Poisson bootstrap): each
            experiment multiplies every row's weight by a Poisson(1) draw from a
            ``numpy.random.default_rng`` seeded with the experiment's recorded seed.
    """

    id: str
    on: dt.date
    name: str = ""
    description: str = ""
    levers: tuple[Factor, ...] = attrs.field(default=(), converter=_factors)
    uncertainties: tuple[Factor, ...] = attrs.field(default=(), converter=_factors)
    outcomes: tuple[Outcome, ...] = attrs.field(default=(), converter=_outcomes)
    sampler: str = "lhs"
    n: int | None = None
    seed: int = 0
    start: dt.date | None = None
    end: dt.date | None = None
    reform: Reform | None = None
    rule_set: str | None = None
    population: PopulationSource | None = None
    resample: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.non_empty("id", self.id)
        check.texts(self)
        if self.sampler not in SAMPLERS:
            check.add("sampler", f"{describe(self.sampler)} is not one of {', '.join(SAMPLERS)}")
        if not (self.levers or self.uncertainties):
            check.add("levers", "a study needs at least one lever or uncertainty")
        if not self.outcomes:
            check.add("outcomes", "a study needs at least one outcome")
        labels = [f.label for f in (*self.levers, *self.uncertainties)]
        check.unique("levers", labels, "factor name")
        check.unique("levers", [f.path for f in (*self.levers, *self.uncertainties)], "path")
        check.unique("outcomes", [o.name for o in self.outcomes], "outcome name")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            check.add("seed", f"must be a whole number >= 0, got {describe(self.seed)}")
        if self.n is not None and (
            isinstance(self.n, bool) or not isinstance(self.n, int) or self.n < 1
        ):
            check.add("n", f"must be a whole number >= 1, got {describe(self.n)}")
        if self.sampler in ("lhs", "sobol") and self.n is None:
            check.add("n", f"the {self.sampler} sampler needs n, the number of experiments")
        if self.sampler == "sobol" and isinstance(self.n, int) and self.n & (self.n - 1):
            check.add(
                "n",
                f"Sobol' points are balanced only in powers of two: use {1 << self.n.bit_length()}"
                f" or {1 << (self.n.bit_length() - 1)}, not {self.n}",
            )
        start = self.start if self.start is not None else self.on
        if self.end is not None:
            check.date_order("end", start, self.end)
            if isinstance(self.on, dt.date) and self.end < self.on:
                check.add("end", "the overrides must be in force on the evaluation date 'on'")
        if self.start is not None and isinstance(self.on, dt.date) and self.start > self.on:
            check.add("start", "the overrides must be in force on the evaluation date 'on'")
        check.done()

    @property
    def factors(self) -> tuple[Factor, ...]:
        """Levers, then uncertainties."""
        return (*self.levers, *self.uncertainties)

    @property
    def size(self) -> int:
        """The number of experiments the spec gives."""
        if self.sampler == "grid":
            return math.prod(len(f.grid()) for f in self.factors)
        assert self.n is not None
        return self.n

    def check_against(self, rule_set: RuleSet) -> None:
        """Check the paths and outputs against a rule set; raise every problem at once.

        Raises:
            UnknownReferenceError: A path names no parameter, key or input; an outcome no
                output, category input or category.
        """
        from stratpolicy.errors import UnknownReferenceError

        problems: list[Problem] = []
        inputs = {i.name: i for i in rule_set.inputs}
        if self.reform is not None:
            inputs.update({i.name: i for p in self.reform.components for i in p.new_inputs})
        params = {p.name: p for p in rule_set.parameters}
        for where, factors in (("levers", self.levers), ("uncertainties", self.uncertainties)):
            for i, f in enumerate(factors):
                on_population, name, key = f.parts
                path = f"{where}[{i}].path"
                if on_population:
                    info = inputs.get(name)
                    if info is None or info.type not in (ValueType.NUMBER, ValueType.MONEY):
                        problems.append(
                            Problem(path, f"{name!r} is not a number input", UnknownReferenceError)
                        )
                    elif key is not None:
                        problems.append(Problem(path, "a population column takes no key"))
                    continue
                param = params.get(name)
                if param is None:
                    problems.append(Problem(path, f"no parameter {name!r}", UnknownReferenceError))
                elif param.kind == "keyed" and key is None:
                    problems.append(Problem(path, f"{name!r} is keyed: write {name}[key]"))
                elif param.kind == "number" and key is not None:
                    problems.append(Problem(path, f"{name!r} is a number: it takes no key"))
                elif param.kind == "set":
                    problems.append(Problem(path, f"{name!r} is a set: factors set numbers"))
        outputs = set(rule_set.output_names)
        for i, o in enumerate(self.outcomes):
            if o.output not in outputs:
                problems.append(
                    Problem(
                        f"outcomes[{i}].output", f"no output {o.output!r}", UnknownReferenceError
                    )
                )
            else:
                vtype = rule_set._engine.plan.outputs[
                    rule_set._engine.plan.symbols[o.output][1]
                ].vtype
                if vtype is ValueType.CATEGORY:
                    problems.append(
                        Problem(f"outcomes[{i}].output", f"{o.output!r} is a category output")
                    )
            for name in [*o.where, *([o.by] if o.by else [])]:
                info = inputs.get(name)
                if info is None or info.type is not ValueType.CATEGORY:
                    problems.append(
                        Problem(
                            f"outcomes[{i}]",
                            f"{name!r} is not a category input",
                            UnknownReferenceError,
                        )
                    )
                    continue
                for value in o.where.get(name, ()):
                    if value not in info.categories:
                        problems.append(
                            Problem(
                                f"outcomes[{i}].where.{name}",
                                f"{value!r} is not a category of {name!r}",
                                UnknownReferenceError,
                            )
                        )
        if problems:
            from stratpolicy.errors import DataError

            raise DataError.from_problems(problems, source=f"experiments {self.id!r}")

    def design(self) -> Design:
        """Draw the experiments: the factors' values and each experiment's seed.

        The same spec gives the same design, bit for bit.
        """
        import numpy as np

        root = np.random.SeedSequence(self.seed)
        sampler_seq, experiments_seq = root.spawn(2)
        factors = self.factors
        d = len(factors)
        if self.sampler == "grid":
            rows = list(itertools.product(*(f.grid() for f in factors)))
            if self.n is not None and self.n != len(rows):
                raise ValidationError(
                    [Problem("n", f"the grid has {len(rows)} experiments, not {self.n}")]
                )
            values = np.asarray(rows, dtype=np.float64).reshape(len(rows), d)
        else:
            from scipy.stats import qmc

            rng = np.random.default_rng(sampler_seq)
            engine = (
                qmc.LatinHypercube(d, **_rng(qmc.LatinHypercube, rng))
                if self.sampler == "lhs"
                else qmc.Sobol(d, scramble=True, **_rng(qmc.Sobol, rng))
            )
            assert self.n is not None
            if self.sampler == "sobol":
                u = engine.random_base2(int(self.n).bit_length() - 1)
            else:
                u = engine.random(self.n)
            values = np.empty_like(u)
            for j, f in enumerate(factors):
                values[:, j] = [f.scale(x) for x in u[:, j].tolist()]
        n = values.shape[0]
        seeds = np.array(
            [s.generate_state(1, np.uint64)[0] for s in experiments_seq.spawn(n)],
            dtype=np.uint64,
        )
        return Design(
            names=tuple(f.label for f in factors),
            values=values,
            seeds=seeds,
            root_seed=self.seed,
        )

    def inputs(self, base: str | os.PathLike[str] = ".") -> tuple[RuleSet, Any]:
        """The spec's baseline and population (``rule_set`` and ``population``).

        Args:
            base: The folder relative file names are read from (the spec's folder).

        Raises:
            SchemaError: The spec names no rule set or population.
            DataError: The files do not read (see :meth:`Population.read`).
            OSError: A file cannot be read.
        """
        from pathlib import Path

        from stratpolicy import catalogs, io
        from stratpolicy.scenarios._population import Population
        from stratpolicy.scenarios._synthetic import synthetic_firms

        if self.rule_set is None:
            raise spec_problem("rule_set", "the spec names no rule set (a built-in name or file)")
        if self.population is None:
            raise spec_problem("population", "the spec names no population (file or synthetic)")
        folder = Path(base)
        if self.rule_set in catalogs.names("rule_set"):
            rule_set: RuleSet = catalogs.get(self.rule_set)
        else:
            rule_set = io.load(folder / self.rule_set, RuleSet)
        widened = self.reform.widen(rule_set) if self.reform is not None else rule_set
        source = self.population
        if source.synthetic_rows is not None:
            population = synthetic_firms(
                source.synthetic_rows, seed=source.synthetic_seed, rule_set=widened
            )
        else:
            assert source.file is not None
            population = Population.read(
                folder / source.file,
                widened,
                columns=source.columns,
                extra=source.extra,
                missing=source.missing,
                weight=source.weight,
            )
        return rule_set, population

    def overrides(
        self, values: Sequence[float], rule_set: RuleSet
    ) -> tuple[list[ParameterOverride], list[ParameterOverride], dict[str, float]]:
        """One experiment's lever overrides, uncertainty overrides and population scales."""
        start = self.start if self.start is not None else self.on
        levers: list[ParameterOverride] = []
        uncertain: list[ParameterOverride] = []
        scales: dict[str, float] = {}
        n_levers = len(self.levers)
        for j, (f, value) in enumerate(zip(self.factors, values, strict=True)):
            on_population, name, key = f.parts
            if on_population:
                scales[name] = float(value)
                continue
            override = ParameterOverride(
                parameter=name, key=key, value=float(value), start=start, end=self.end
            )
            (levers if j < n_levers else uncertain).append(override)
        return levers, uncertain, scales

    def __getstate__(self) -> tuple[object, ...]:
        return plain_state(self)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        set_plain_state(self, state)


def _rng(cls: Any, rng: Any) -> dict[str, Any]:
    import inspect

    params = inspect.signature(cls.__init__).parameters
    return {"rng": rng} if "rng" in params else {"seed": rng}


@attrs.frozen(kw_only=True, eq=False)
class Design:
    """The experiments of a study: one row of factor values and one seed per experiment.

    Attributes:
        names: The factors' column names (levers, then uncertainties).
        values: ``n x len(names)`` float64 array.
        seeds: One uint64 per experiment: the first word of the experiment's
            ``SeedSequence`` (spawned from the root seed), which seeds its
            ``numpy.random.default_rng``.
        root_seed: The spec's seed.
    """

    names: tuple[str, ...]
    values: Any
    seeds: Any
    root_seed: int

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def to_pandas(self) -> Any:
        """The experiment table: ``experiment``, ``seed`` and one column per factor."""
        import numpy as np
        import pandas as pd

        columns: dict[str, Any] = {
            "experiment": np.arange(len(self), dtype=np.int64),
            "seed": self.seeds,
        }
        for j, name in enumerate(self.names):
            columns[name] = self.values[:, j]
        return pd.DataFrame(columns)


def spec_problem(path: str, message: str) -> SchemaError:
    """A problem with a spec's references (the command line)."""
    return SchemaError([Problem(path, message, SchemaError)])
