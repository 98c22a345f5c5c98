"""Scenarios: reform build, a million firms baseline against reform, experiment sweeps.

Not a test: nothing here asserts a time. Run:

    .venv/bin/python benchmarks/scenarios_bench.py                  # everything (minutes)
    .venv/bin/python benchmarks/scenarios_bench.py --quick          # small sizes
    .venv/bin/python benchmarks/scenarios_bench.py --skip build million dispatch  # sweeps
    .venv/bin/python benchmarks/scenarios_bench.py --skip build million dispatch --tune-malloc

Sections:

1. Reform build: ``Reform.apply`` on the RSTA rule set (a parameter-only reform), the first
   evaluation of the reformed rule set (which compiles it), unpickling a rule set (a build
   the first time in a process, a cache hit after).
2. One million synthetic firms, baseline against reform (``compare``), and weighted totals by
   firm size.
3. A 1,000-experiment sweep over 100,000 firms: serially, on a process pool of 1 and of 2
   and on a Dask LocalCluster of 2 workers (``local_dask_client``, whose workers start with
   glibc's malloc tuned); the results are checked identical. With ``--tune-malloc`` this
   process calls ``tune_malloc()`` and the pools' workers start with ``MALLOC_SETTINGS``
   too; without it they keep glibc's defaults. Per experiment: rule-set
   build, evaluation, and the runner's overhead -- the time not spent building or evaluating
   rules: ``(workers x wall - sum of build, evaluation and aggregation) / experiments``.
4. Dispatch overhead: the runner on a tiny study (the cost-sharing rules, 50 projects),
   unbatched (1 experiment per task) and batched, on a process pool and on Dask: the wall
   time beyond the busiest worker's own work, per experiment that worker ran
   (``(wall - busiest worker's busy time) / its experiments``): sending tasks and results,
   and the parent's bookkeeping.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import multiprocessing
import os
import pickle
import statistics
import subprocess
import sys
import time
from typing import Any

import attrs
import numpy as np

from stratpolicy.catalogs import korea
from stratpolicy.scenarios import (
    ExperimentSpec,
    Factor,
    Outcome,
    Population,
    compare,
    examples,
    local_dask_client,
    run_experiments,
    synthetic_firms,
)

ON = dt.date(2026, 6, 30)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def best(fn: Any, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def section_build() -> None:
    rs = korea.tax_credits()
    reform = examples.sme_nst_rd_50()
    times = []
    for _ in range(20):
        t = time.perf_counter()
        reform.apply(rs)
        times.append(time.perf_counter() - t)
    firm = {
        "firm_size": "sme",
        "rsta_field": "semiconductors",
        "nst_rd_expense": 1e9,
        "revenue": 1e11,
    }
    first = []
    for _ in range(10):
        reformed = reform.apply(rs)
        t = time.perf_counter()
        reformed.evaluate(firm, on=ON)
        first.append(time.perf_counter() - t)
    small = synthetic_firms(1000, seed=1).table()
    first_many = []
    for _ in range(10):
        reformed = reform.apply(rs)
        t = time.perf_counter()
        reformed.evaluate_many(small, on=ON)
        first_many.append(time.perf_counter() - t)
    data = pickle.dumps(rs)
    code = (
        "import pickle, sys, time; import stratpolicy.rules, stratpolicy.catalogs;"
        "import stratpolicy.rules._population; data = sys.stdin.buffer.read();"
        "t = time.perf_counter(); pickle.loads(data); a = time.perf_counter() - t;"
        "t = time.perf_counter(); pickle.loads(data); b = time.perf_counter() - t;"
        "print(a, b)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input=data, capture_output=True, check=True
    ).stdout.split()
    print("1. reform build (RSTA rule set, reform (a))")
    print(
        f"   Reform.apply                          median {statistics.median(times) * 1e3:.2f} ms"
    )
    print(
        f"   first evaluate (compiles one regime)  median {statistics.median(first) * 1e3:.2f} ms"
    )
    print(
        f"   first evaluate_many, 1,000 rows       median {statistics.median(first_many) * 1e3:.2f} ms"
    )
    print(f"   pickled rule set                      {len(data) / 1024:.0f} KiB")
    print(
        f"   unpickle in a fresh process           {float(out[0]) * 1e3:.2f} ms (build), "
        f"{float(out[1]) * 1e3:.3f} ms (cache hit)"
    )


def section_million(rows: int) -> None:
    t = time.perf_counter()
    firms = synthetic_firms(rows, seed=1)
    made = time.perf_counter() - t
    rs = korea.tax_credits()
    reform = examples.sme_nst_rd_50()
    compare(rs, reform, synthetic_firms(100, seed=1), on=ON)  # compile both regimes
    firms.table()
    t = time.perf_counter()
    comparison = compare(rs, reform, firms, on=ON, outputs=["rd_credit", "nst_rd_credit"])
    took = time.perf_counter() - t
    t = time.perf_counter()
    by = comparison.by("firm_size", "rd_credit")
    grouped = time.perf_counter() - t
    one = best(lambda: rs.evaluate_many(firms.table(), on=ON), 3)
    print(f"2. {rows:,} synthetic firms, baseline against reform (a), 2026-06-30")
    print(
        f"   synthetic_firms({rows:,})               {made:.2f} s (generation, calibration, checks)"
    )
    print(f"   compare (2 evaluations, reform built)   {took:.3f} s")
    print(f"   one evaluate_many alone                 {one:.3f} s")
    print(f"   by firm size (weighted, pandas)         {grouped:.3f} s")
    print(
        f"   change in R&D credit                    {comparison.total('rd_credit') / 1e9:,.1f} bn KRW "
        f"(SMEs {by.loc['sme', 'delta'] / 1e9:,.1f})"
    )


def sweep_spec(n: int) -> ExperimentSpec:
    spec = examples.rd_credit_study()
    return attrs.evolve(spec, n=n, uncertainties=())  # levers only: the baseline once per worker


def report(label: str, results: Any, n: int) -> None:
    t = results.timings
    workers = t["workers"]
    rules = t["build"] + t["evaluate"] + t["outcomes"]
    overhead = (workers * t["wall"] - rules) / n
    print(
        f"   {label:<30} wall {t['wall']:7.2f} s  tasks {t['tasks']:4d}  "
        f"build {t['build'] / n * 1e3:6.2f} ms  evaluate {t['evaluate'] / n * 1e3:6.2f} ms  "
        f"overhead {overhead * 1e3:7.3f} ms  (per experiment)"
    )


def section_sweep(rows: int, n: int) -> None:
    rs = korea.tax_credits()
    firms = synthetic_firms(rows, seed=2)
    spec = sweep_spec(n)
    print(f"3. sweep: {n:,} experiments (LHS, 4 levers) over {rows:,} firms; load {load()}")
    serial = run_experiments(spec, rs, firms, progress=False)
    report("serial", serial, n)
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(1, mp_context=context) as pool:
        pool.submit(int).result()  # the worker started before the clock
        alone = run_experiments(spec, rs, firms, executor=pool, progress=False)
    report("process pool, 1 worker", alone, n)
    assert alone.table.equals(serial.table)
    with cf.ProcessPoolExecutor(2, mp_context=context) as pool:
        pool.submit(int).result()  # workers started before the clock
        pooled = run_experiments(spec, rs, firms, executor=pool, progress=False)
    report("process pool, 2 workers", pooled, n)
    assert pooled.table.equals(serial.table)
    with local_dask_client(2) as client:
        t = time.perf_counter()
        scattered = client.scatter(firms, broadcast=True)
        scatter_time = time.perf_counter() - t
        client.cancel([scattered])
        on_dask = run_experiments(spec, rs, firms, executor=client, progress=False)
    report("Dask, 2 workers", on_dask, n)
    assert on_dask.table.equals(serial.table)
    size = len(pickle.dumps(firms)) / 2**20
    print(
        f"   speed-up over serial: process pool {serial.timings['wall'] / pooled.timings['wall']:.2f}x, "
        f"Dask {serial.timings['wall'] / on_dask.timings['wall']:.2f}x; results identical"
    )
    print(
        f"   population pickled {size:.1f} MiB; scattering it to both workers {scatter_time:.2f} s "
        f"(the runner scatters the study once, with {on_dask.timings['batch_size']} experiments per task)"
    )


def section_dispatch(n: int) -> None:
    rng = np.random.default_rng(3)
    cost = rng.uniform(1e8, 1e10, 50)
    projects = Population.from_columns(
        {
            "firm_size": ["sme", "mid_sized", "large", "other"] * 12 + ["sme", "large"],
            "total_rd_cost": cost,
            "government_contribution": cost * 0.5,
        },
        korea.rd_matching(),
    )
    spec = ExperimentSpec(
        id="dispatch",
        on=ON,
        sampler="lhs",
        n=n,
        seed=1,
        levers=[Factor(path="government_share_max[sme]", low=0.75, high=0.9)],
        outcomes=[Outcome(name="extra", output="max_government_contribution")],
    )
    rs = korea.rd_matching()
    print(f"4. dispatch: {n:,} experiments of the cost-sharing rules on 50 projects; load {load()}")

    def overhead(results: Any) -> float:
        """Wall time beyond the busiest worker's work, per experiment that worker ran."""
        t = results.timings
        busiest = max(t["busy_by_process"].values())
        share = busiest / t["busy"] * n  # experiments the busiest worker ran (about)
        return (t["wall"] - busiest) / share

    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(2, mp_context=context) as pool:
        pool.submit(int).result()
        run_experiments(spec, rs, projects, executor=pool, batch_size=50, progress=False)  # warm
        one = run_experiments(spec, rs, projects, executor=pool, batch_size=1, progress=False)
        many = run_experiments(spec, rs, projects, executor=pool, batch_size=100, progress=False)
    print(
        f"   process pool, 1 per task     {overhead(one) * 1e3:8.3f} ms per experiment "
        f"(worker busy {one.timings['busy'] / n * 1e3:.2f} ms)"
    )
    print(f"   process pool, 100 per task   {overhead(many) * 1e6:8.1f} us per experiment")
    with local_dask_client(2) as client:
        run_experiments(spec, rs, projects, executor=client, batch_size=50, progress=False)
        ten = run_experiments(spec, rs, projects, executor=client, batch_size=10, progress=False)
        hundred = run_experiments(
            spec, rs, projects, executor=client, batch_size=100, progress=False
        )
    print(f"   Dask, 10 per task            {overhead(ten) * 1e3:8.3f} ms per experiment")
    print(f"   Dask, 100 per task           {overhead(hundred) * 1e6:8.1f} us per experiment")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--million", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--experiments", type=int, default=1000)
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["build", "million", "sweep", "dispatch"]
    )
    parser.add_argument(
        "--tune-malloc",
        action="store_true",
        help="tune glibc's malloc here (tune_malloc) and in the pools' workers",
    )
    args = parser.parse_args()
    if args.tune_malloc:
        from stratpolicy.scenarios import MALLOC_SETTINGS, tune_malloc

        os.environ.update(MALLOC_SETTINGS)  # spawned workers inherit it
        print(f"malloc tuned here: {tune_malloc()}; pools' workers: {MALLOC_SETTINGS}")
    if args.quick:
        args.million, args.rows, args.experiments = 100_000, 5_000, 100
    print(
        f"Python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
        f"load {load()}"
    )
    if "build" not in args.skip:
        section_build()
    if "million" not in args.skip:
        section_million(args.million)
    if "sweep" not in args.skip:
        section_sweep(args.rows, args.experiments)
    if "dispatch" not in args.skip:
        section_dispatch(args.experiments)


if __name__ == "__main__":
    main()
