"""Running experiments: serially, on any ``concurrent.futures`` executor, or on Dask.

The study (baseline rule set, population, spec) goes to each worker once: on Dask it is
scattered to every worker and kept there; for other executors it is written to one
temporary file that each worker process reads once and keeps (keyed by the study's content
hash). A task carries only a batch of experiments: their indices, factor values and seeds.
Results are identical whatever the executor: each experiment is computed from the same
inputs by the same code, and the results are put back in experiment order.

With ``out=``, each batch is written as it finishes, as one Parquet file of a dataset
folder, atomically; a run interrupted part-way resumes from the batches already written.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import math
import os
import pickle
import shutil
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from stratpolicy._version import __version__
from stratpolicy.errors import Problem, SchemaError, ValidationError
from stratpolicy.rules import RuleSet
from stratpolicy.scenarios._compare import as_evaluation_date
from stratpolicy.scenarios._experiments import Design, ExperimentSpec, Outcome
from stratpolicy.scenarios._population import Population
from stratpolicy.scenarios._reform import Reform

__all__ = [
    "DASK_MIN_BATCH",
    "ExperimentResults",
    "read_results",
    "run_experiments",
]

DASK_MIN_BATCH = 10
"""Fewest experiments per Dask task: dispatching a task costs about 2 ms on Dask, against
0.2 ms on a local process pool (``shared/NOTES.md``)."""

MANIFEST = "_stratpolicy.json"
"""The file in a results folder that describes the study (readers of Parquet datasets skip
names starting with an underscore)."""

_FORMAT = "stratpolicy experiment results"
_FORMAT_VERSION = 1


# -- the study a worker holds ---------------------------------------------------------------


class _Study:
    """What every experiment needs: the spec, the baseline and the population."""

    def __init__(self, spec: ExperimentSpec, baseline: RuleSet, population: Population) -> None:
        from stratpolicy import io

        self.spec = spec
        self.baseline = baseline
        self.population = population
        self.on = as_evaluation_date(spec.on)
        document = json.loads(io.dumps(spec, "json"))
        self.spec_document = document
        text = json.dumps(document, sort_keys=True, ensure_ascii=False)
        h = hashlib.sha256(text.encode("utf-8"))
        h.update(baseline.digest.encode())
        h.update(population.digest.encode())
        self.key = h.hexdigest()
        self._cache: dict[str, Any] = {}

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_cache"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # -- pieces, built once per process ---------------------------------------------------

    def _widened(self) -> RuleSet:
        found = self._cache.get("widened")
        if found is None:
            reform = self.spec.reform
            found = reform.widen(self.baseline) if reform is not None else self.baseline
            self._cache["widened"] = found
        return found

    def _plan(self) -> list[tuple[Outcome, Any, Any, int]]:
        """Per outcome: the row mask (or None), the group codes (or None), group count."""
        found = self._cache.get("plan")
        if found is None:
            import numpy as np

            pop = self.population
            found = []
            for o in self.spec.outcomes:
                mask = None
                for name, values in o.where.items():
                    cats = pop.categories(name)
                    allowed = np.zeros(len(cats), dtype=bool)
                    allowed[[cats.index(v) for v in values]] = True
                    rows = allowed[pop.codes(name)]
                    mask = rows if mask is None else mask & rows
                codes = pop.codes(o.by) if o.by is not None else None
                k = len(pop.categories(o.by)) if o.by is not None else 0
                found.append((o, mask, codes, k))
            self._cache["plan"] = found
        return found

    def columns(self) -> list[str]:
        """The outcome columns, in order."""
        cols: list[str] = []
        for o in self.spec.outcomes:
            cats = self.population.categories(o.by) if o.by is not None else ()
            cols.extend(o.columns(cats))
        return cols

    def units(self) -> dict[str, str]:
        """The unit of each outcome column: the output's for sums of it, none for counts."""
        widened = self._widened()
        units: dict[str, str] = {}
        for o in self.spec.outcomes:
            cats = self.population.categories(o.by) if o.by is not None else ()
            unit = widened.unit_of(o.output) if o.statistic in _SUMS else ""
            units.update(dict.fromkeys(o.columns(cats), unit))
        return units

    def reforms(
        self, values: Sequence[float], index: int
    ) -> tuple[Reform | None, Reform | None, dict[str, float]]:
        """The experiment's reform, its world and its population scales.

        The reform: levers and uncertainties on top of the spec's reform; the world: the
        uncertainties alone (for the baseline).
        """
        spec = self.spec
        levers, uncertain, scales = spec.overrides(values, self.baseline)
        world = (
            Reform(
                id=f"{spec.id}.world.{index}",
                name=f"experiment {index}: uncertainties",
                hypothetical=True,
                parameters=uncertain,
            )
            if uncertain
            else None
        )
        lever_reform = (
            Reform(
                id=f"{spec.id}.levers.{index}",
                name=f"experiment {index}: levers",
                hypothetical=True,
                parameters=levers,
            )
            if levers
            else None
        )
        pieces = [r for r in (spec.reform, lever_reform, world) if r is not None]
        reform: Reform | None = None
        for piece in pieces:
            reform = piece if reform is None else reform | piece
        return reform, world, scales

    # -- one experiment -------------------------------------------------------------------

    def run(
        self, index: int, values: Sequence[float], seed: int, timings: dict[str, float]
    ) -> list[float]:
        """The outcomes of one experiment (a fresh list)."""
        import numpy as np

        t0 = time.perf_counter()
        reform, world, scales = self.reforms(values, index)
        baseline = self._widened()
        if world is not None:
            baseline = world.apply(baseline)
        reformed = reform.apply(self.baseline) if reform is not None else baseline
        t1 = time.perf_counter()
        population = self.population.scaled(scales) if scales else self.population
        table = population.table()
        fixed_world = world is None and not scales
        base = self._cache.get("base") if fixed_world else None
        if base is None:
            base = baseline.evaluate_many(table, on=self.on)
            if fixed_world:
                self._cache["base"] = base
        new = reformed.evaluate_many(table, on=self.on)
        t2 = time.perf_counter()
        w = population.weight
        if self.spec.resample:
            w = w * np.random.default_rng(seed).poisson(1.0, w.shape[0])
        out: list[float] = []
        for o, mask, codes, k in self._plan():
            b = np.asarray(base[o.output], dtype=np.float64)
            r = np.asarray(new[o.output], dtype=np.float64)
            stat = _statistic(o, b, r, w)
            if mask is not None:
                stat = np.where(mask, stat, 0.0)
            if codes is None:
                out.append(float(np.sum(stat)))
            else:
                out.extend(np.bincount(codes, weights=stat, minlength=k).tolist())
        t3 = time.perf_counter()
        timings["build"] += t1 - t0
        timings["evaluate"] += t2 - t1
        timings["outcomes"] += t3 - t2
        return out

    def run_batch(self, batch: _Batch) -> _BatchResult:
        """Every experiment of a batch, in order."""
        start = time.perf_counter()
        timings = {"build": 0.0, "evaluate": 0.0, "outcomes": 0.0}
        rows = [
            self.run(i, values, seed, timings)
            for i, values, seed in zip(batch.indices, batch.values, batch.seeds, strict=True)
        ]
        timings["busy"] = time.perf_counter() - start
        return _BatchResult(batch.indices, rows, timings, os.getpid())


_SUMS = ("delta", "baseline", "reform")
"""The outcome statistics in the output's unit (the others count firms)."""


def _statistic(o: Outcome, b: Any, r: Any, w: Any) -> Any:
    import numpy as np

    stat = o.statistic
    if stat == "firms":
        return w
    if stat == "baseline":
        return np.where(np.isnan(b), 0.0, w * b)
    if stat == "reform":
        return np.where(np.isnan(r), 0.0, w * r)
    d = r - b
    if stat == "delta":
        return np.where(np.isnan(d), 0.0, w * d)
    up = d > o.tolerance
    down = d < -o.tolerance
    if stat == "winners":
        return np.where(up, w, 0.0)
    if stat == "losers":
        return np.where(down, w, 0.0)
    return np.where(up | down, 0.0, w)


class _Batch:
    """Experiments sent in one task: indices and factor values (and seeds, for records)."""

    __slots__ = ("indices", "seeds", "values")

    def __init__(self, indices: list[int], values: list[list[float]], seeds: list[int]) -> None:
        self.indices = indices
        self.values = values
        self.seeds = seeds

    def __getstate__(self) -> tuple[Any, ...]:
        return (self.indices, self.values, self.seeds)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.indices, self.values, self.seeds = state


class _BatchResult:
    __slots__ = ("indices", "pid", "rows", "timings")

    def __init__(
        self, indices: list[int], rows: list[list[float]], timings: dict[str, float], pid: int
    ) -> None:
        self.indices = indices
        self.rows = rows
        self.timings = timings
        self.pid = pid

    def __getstate__(self) -> tuple[Any, ...]:
        return (self.indices, self.rows, self.timings, self.pid)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.indices, self.rows, self.timings, self.pid = state


# -- workers ----------------------------------------------------------------------------------

_loaded: OrderedDict[str, _Study] = OrderedDict()
_loaded_lock = threading.Lock()
_load_counts = {"loads": 0}


def _run_from_file(path: str, key: str, batch: _Batch) -> _BatchResult:
    """A worker's task: the study from this process's memory, or read once from ``path``."""
    with _loaded_lock:
        study = _loaded.get(key)
        if study is None:
            with open(path, "rb") as handle:
                study = pickle.load(handle)  # noqa: S301 - our own file, written by this run
            _load_counts["loads"] += 1
            _loaded[key] = study
            while len(_loaded) > 4:
                _loaded.popitem(last=False)
    return study.run_batch(batch)


def _run_scattered(study: _Study, batch: _Batch) -> _BatchResult:
    """A Dask task: the study is the worker's scattered copy, kept between tasks."""
    return study.run_batch(batch)


# -- results ----------------------------------------------------------------------------------


class ExperimentResults:
    """The results of a study: one row per experiment, in experiment order.

    Attributes:
        table: A pandas DataFrame: ``experiment``, ``seed``, the factors, the outcomes.
        factors: The factor columns.
        outcomes: The outcome columns.
        units: The unit of each outcome column (``KRW`` for a sum of credits; ``""`` for
            counts of firms and unitless outputs).
        metadata: The library version, the spec, the reform documents, the seeds, the
            baseline's and the population's digests (and the population's metadata).
        timings: For a run in this process: seconds spent building rule sets
            (``build``), evaluating them (``evaluate``), aggregating outcomes
            (``outcomes``), in workers in all (``busy``, and ``busy_by_process``: seconds by
            process id), and the wall time (``wall``); ``tasks``, ``experiments`` run,
            ``resumed`` (found in ``out``), ``workers``, ``executor``, ``batch_size``.
    """

    def __init__(
        self,
        table: Any,
        metadata: dict[str, Any],
        timings: dict[str, Any] | None = None,
    ) -> None:
        self.table = table
        self.metadata = metadata
        self.factors = tuple(metadata.get("factors", ()))
        self.outcomes = tuple(metadata.get("outcome_columns", ()))
        self.units: dict[str, str] = dict(metadata.get("outcome_units", {}))
        self.timings = dict(timings or {})

    def __len__(self) -> int:
        return len(self.table)

    @property
    def complete(self) -> bool:
        """Whether every experiment of the design has a result."""
        return len(self.table) == int(self.metadata.get("experiments", -1))

    @property
    def experiments(self) -> Any:
        """The experiment table: ``experiment``, ``seed`` and the factors."""
        return self.table[["experiment", "seed", *self.factors]]

    @property
    def outcome_table(self) -> Any:
        """``experiment`` and the outcomes."""
        return self.table[["experiment", *self.outcomes]]

    def to_parquet(self, path: str | os.PathLike[str]) -> None:
        """Write the results as one Parquet file, with the metadata (key ``stratpolicy``)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(self.table, preserve_index=False)
        table = table.replace_schema_metadata(
            {b"stratpolicy": json.dumps(self.metadata, ensure_ascii=False).encode("utf-8")}
        )
        pq.write_table(table, path)

    def __repr__(self) -> str:
        return (
            f"<ExperimentResults {self.metadata.get('study', '?')!r}: {len(self)} of "
            f"{self.metadata.get('experiments', '?')} experiments, outcomes {list(self.outcomes)}>"
        )

    def _repr_html_(self) -> str:
        from stratpolicy.display import results_html

        return results_html(self)


def read_results(path: str | os.PathLike[str]) -> ExperimentResults:
    """Read the results of a study: a results folder (``out=``) or one Parquet file.

    A folder of an interrupted run reads too: :attr:`ExperimentResults.complete` is false.

    Raises:
        SchemaError: Not a results folder or file of this library.
    """
    import pyarrow.parquet as pq

    target = Path(path)
    if target.is_dir():
        manifest = _read_manifest(target)
        if manifest is None:
            raise SchemaError(
                [Problem("", f"{target} holds no {MANIFEST}: not a results folder", SchemaError)]
            )
        parts = sorted(target.glob("part-*.parquet"))
        import pandas as pd

        frames = [pq.read_table(p).to_pandas() for p in parts]
        columns = ["experiment", "seed", *manifest["factors"], *manifest["outcome_columns"]]
        table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
        table = table.sort_values("experiment", kind="stable").reset_index(drop=True)
        return ExperimentResults(table, manifest)
    table = pq.read_table(target)
    meta = (table.schema.metadata or {}).get(b"stratpolicy")
    if meta is None:
        raise SchemaError(
            [Problem("", f"{target} has no stratpolicy metadata: not a results file", SchemaError)]
        )
    frame = table.to_pandas().sort_values("experiment", kind="stable").reset_index(drop=True)
    return ExperimentResults(frame, json.loads(meta.decode("utf-8")))


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    file = folder / MANIFEST
    if not file.exists():
        return None
    data: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
    if data.get("format") != _FORMAT:
        raise SchemaError(
            [Problem("", f"{file} is not a stratpolicy results manifest", SchemaError)]
        )
    return data


# -- output folder ----------------------------------------------------------------------------


class _Output:
    """A results folder: its manifest, the experiments already done, atomic part files."""

    def __init__(self, folder: Path, manifest: dict[str, Any], key: str) -> None:
        self.folder = folder
        self.manifest = manifest
        existing = _read_manifest(folder) if folder.is_dir() else None
        if folder.exists() and not folder.is_dir():
            raise SchemaError([Problem("out", f"{folder} exists and is not a folder", SchemaError)])
        if existing is not None:
            if existing.get("study_key") != key:
                raise ValidationError(
                    [
                        Problem(
                            "out",
                            f"{folder} holds results of another study ({existing.get('study')!r}"
                            ", or other data or settings); choose another folder or remove it",
                        )
                    ]
                )
        elif folder.is_dir() and any(folder.iterdir()):
            raise ValidationError(
                [Problem("out", f"{folder} is a folder with other files: not a results folder")]
            )
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(".part-*.tmp"):
            stale.unlink(missing_ok=True)
        if existing is None:
            _atomic_write(
                folder / MANIFEST,
                json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8"),
            )

    def done(self) -> set[int]:
        import pyarrow.parquet as pq

        found: set[int] = set()
        for part in self.folder.glob("part-*.parquet"):
            found.update(pq.read_table(part, columns=["experiment"]).column(0).to_pylist())
        return found

    def write(self, table: Any, first: int, last: int) -> None:
        import pyarrow.parquet as pq

        name = f"part-{first:09d}-{last:09d}.parquet"
        tmp = self.folder / f".{name}.{os.getpid()}.tmp"
        try:
            pq.write_table(table, tmp)
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, self.folder / name)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# -- the run ----------------------------------------------------------------------------------


def _kind(executor: Any) -> tuple[str, Any]:
    if executor is None:
        return "serial", None
    module = type(executor).__module__.split(".")[0]
    if module == "distributed":
        if hasattr(executor, "scatter") and hasattr(executor, "submit"):
            return "dask", executor
        client = getattr(executor, "_client", None)  # client.get_executor()
        if client is not None:
            return "dask", client
    if isinstance(executor, cf.Executor):
        return "futures", executor
    raise TypeError(
        "executor must be None, a concurrent.futures.Executor or a dask.distributed Client, "
        f"got {type(executor).__name__}"
    )


def _workers(kind: str, executor: Any) -> int:
    if kind == "dask":
        try:
            return max(1, len(executor.scheduler_info().get("workers", {})))
        except Exception:  # a client without a scheduler yet
            return 2
    if kind == "futures":
        return int(getattr(executor, "_max_workers", 2) or 2)
    return 1


def _metadata(study: _Study, design: Design, columns: list[str]) -> dict[str, Any]:
    from stratpolicy import io

    spec = study.spec
    reforms = []
    if spec.reform is not None:
        reforms.append(json.loads(io.dumps(spec.reform, "json")))
    population = dict(study.population.metadata)
    return {
        "format": _FORMAT,
        "format_version": _FORMAT_VERSION,
        "stratpolicy_version": __version__,
        "study": spec.id,
        "study_key": study.key,
        "spec": study.spec_document,
        "reforms": reforms,
        "assumptions": list(spec.reform.all_assumptions()) if spec.reform is not None else [],
        "on": study.on.isoformat(),
        "sampler": spec.sampler,
        "experiments": len(design),
        "root_seed": spec.seed,
        "seeds": "numpy.random.SeedSequence(root_seed).spawn(2)[1].spawn(experiments)[i]"
        ".generate_state(1, uint64)[0] seeds experiment i (column 'seed'); spawn(2)[0] seeds "
        "the sampler",
        "factors": list(design.names),
        "levers": [f.label for f in spec.levers],
        "uncertainties": [f.label for f in spec.uncertainties],
        "outcome_columns": columns,
        "outcome_units": study.units(),
        "baseline": {"id": study.baseline.id, "digest": study.baseline.digest},
        "population": {"digest": study.population.digest, "rows": study.population.n, **population},
    }


def _arrow_batch(result: _BatchResult, design: Design, columns: list[str], meta: bytes) -> Any:
    import numpy as np
    import pyarrow as pa

    idx = np.asarray(result.indices, dtype=np.int64)
    arrays: dict[str, Any] = {
        "experiment": pa.array(idx, type=pa.int64()),
        "seed": pa.array(design.seeds[idx], type=pa.uint64()),
    }
    for j, name in enumerate(design.names):
        arrays[name] = pa.array(design.values[idx, j], type=pa.float64())
    rows = np.asarray(result.rows, dtype=np.float64).reshape(len(idx), len(columns))
    for j, name in enumerate(columns):
        arrays[name] = pa.array(rows[:, j], type=pa.float64())
    table = pa.table(arrays)
    return table.replace_schema_metadata({b"stratpolicy": meta})


def _progress(enabled: bool | None, total: int, initial: int) -> Any:
    if enabled is False:
        return None
    if enabled is None and not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, initial=initial, unit="experiment", desc="experiments")


def run_experiments(
    spec: ExperimentSpec,
    baseline: RuleSet,
    population: Population,
    *,
    executor: Any = None,
    out: str | os.PathLike[str] | None = None,
    batch_size: int | None = None,
    progress: bool | None = None,
) -> ExperimentResults:
    """Run a study: every experiment of ``spec.design()``, baseline against reform.

    Each experiment applies its levers (on top of ``spec.reform``) to the baseline and its
    uncertainties to both, evaluates both over the population (scaled by any population
    factor) on ``spec.on`` and records the outcomes. Each experiment's outcomes are a
    fresh row; no object is shared between experiments.

    Args:
        spec: The study.
        baseline: The baseline rule set.
        population: The firms, checked against the baseline (or the reform's widening).
        executor: ``None`` (run here, serially), any ``concurrent.futures.Executor``
            whose workers share this machine's files (a process or thread pool), or a
            ``dask.distributed.Client`` (or its ``get_executor()``; install
            ``stratpolicy[distributed]``). The study goes to each worker once: on Dask it
            is scattered to all workers and kept there; otherwise one temporary file is
            read once per worker process. Results are identical, bit for bit and in the
            same order, whatever the executor.
        out: A folder to stream results to (a Parquet dataset: one file per batch, and
            ``_stratpolicy.json``). If it holds a partial run of the same study, only the
            missing experiments run; of another study, it is an error.
        batch_size: Experiments per task (default: about four tasks per worker, 10 to
            100 per task). On Dask at least :data:`DASK_MIN_BATCH`.
        progress: Show a ``tqdm`` progress bar (default: when standard error is a
            terminal and tqdm is installed).

    Returns:
        The results, in experiment order (with ``out``: everything the folder holds).

    Raises:
        DataError: A factor or outcome names nothing in the rule set, a lever conflicts
            with the spec's reform, or a row cannot be evaluated.
        ValidationError: ``out`` holds another study; a Dask batch below the minimum.
    """
    kind, target = _kind(executor)
    spec.check_against(spec.reform.apply(baseline) if spec.reform is not None else baseline)
    design = spec.design()
    study = _Study(spec, baseline, population)
    population.check_compatible(study._widened())
    # the first experiment's reform, built here: a conflict is one clear error, not one per task
    study.reforms(design.values[0].tolist(), 0)[0]
    columns = study.columns()
    metadata = _metadata(study, design, columns)
    meta_bytes = json.dumps(metadata, ensure_ascii=False).encode("utf-8")
    output = _Output(Path(out), metadata, study.key) if out is not None else None
    done = output.done() if output is not None else set()
    todo = [i for i in range(len(design)) if i not in done]
    workers = _workers(kind, target)
    if batch_size is None:
        batch_size = min(
            100, max(DASK_MIN_BATCH, math.ceil(len(todo) / (4 * workers)) if todo else 1)
        )
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValidationError(
            [Problem("batch_size", f"must be a whole number >= 1, got {batch_size!r}")]
        )
    if kind == "dask" and batch_size < DASK_MIN_BATCH:
        raise ValidationError(
            [
                Problem(
                    "batch_size",
                    f"on Dask a task costs about 2 ms to dispatch: batch at least "
                    f"{DASK_MIN_BATCH} experiments per task, got {batch_size}",
                )
            ]
        )
    batches = [
        _Batch(
            todo[k : k + batch_size],
            design.values[todo[k : k + batch_size]].tolist(),
            design.seeds[todo[k : k + batch_size]].tolist(),
        )
        for k in range(0, len(todo), batch_size)
    ]
    collected: list[_BatchResult] = []
    timings: dict[str, Any] = {"build": 0.0, "evaluate": 0.0, "outcomes": 0.0, "busy": 0.0}
    bar = _progress(progress, len(design), len(done))
    start = time.perf_counter()

    per_worker: dict[int, float] = {}

    def take(result: _BatchResult) -> None:
        for k in ("build", "evaluate", "outcomes", "busy"):
            timings[k] += result.timings[k]
        per_worker[result.pid] = per_worker.get(result.pid, 0.0) + result.timings["busy"]
        if output is not None:
            table = _arrow_batch(result, design, columns, meta_bytes)
            output.write(table, result.indices[0], result.indices[-1])
        else:
            collected.append(result)
        if bar is not None:
            bar.update(len(result.indices))

    try:
        for result in _execute(kind, target, study, batches):
            take(result)
    finally:
        if bar is not None:
            bar.close()
    timings.update(
        wall=time.perf_counter() - start,
        tasks=len(batches),
        experiments=len(todo),
        resumed=len(done),
        workers=workers,
        executor=kind,
        batch_size=batch_size,
        busy_by_process=per_worker,
    )
    if output is not None:
        results = read_results(output.folder)
        results.timings = timings
        return results
    collected.sort(key=lambda r: r.indices[0])
    merged = _BatchResult(
        [i for r in collected for i in r.indices],
        [row for r in collected for row in r.rows],
        {},
        os.getpid(),
    )
    table = _arrow_batch(merged, design, columns, meta_bytes).to_pandas()
    return ExperimentResults(table, metadata, timings)


def _execute(
    kind: str, target: Any, study: _Study, batches: list[_Batch]
) -> Iterator[_BatchResult]:
    """The results of the batches, as they finish."""
    if not batches:
        return
    if kind == "serial":
        for batch in batches:
            yield study.run_batch(batch)
        return
    if kind == "dask":
        yield from _execute_dask(target, study, batches)
        return
    folder = tempfile.mkdtemp(prefix="stratpolicy-study-")
    path = os.path.join(folder, "study.pkl")
    futures: list[cf.Future[_BatchResult]] = []
    try:
        with open(path, "wb") as handle:
            pickle.dump(study, handle, protocol=pickle.HIGHEST_PROTOCOL)
        futures = [target.submit(_run_from_file, path, study.key, b) for b in batches]
        for future in cf.as_completed(futures):
            yield future.result()
    finally:  # on an error or an interruption: what has not started never will
        for future in futures:
            future.cancel()
        shutil.rmtree(folder, ignore_errors=True)


def _execute_dask(client: Any, study: _Study, batches: list[_Batch]) -> Iterator[_BatchResult]:
    from distributed import as_completed

    scattered = client.scatter(study, broadcast=True, hash=False)
    futures = [client.submit(_run_scattered, scattered, b, pure=False) for b in batches]
    try:
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            yield future.result()
    finally:
        client.cancel([f for f in futures if not f.done()])
        client.cancel([scattered])
