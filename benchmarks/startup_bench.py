"""Benchmark of start-up: what a ``stratpolicy`` process costs before it does its job.

Run from the repository root::

    .venv/bin/python benchmarks/startup_bench.py              # 7 rounds
    .venv/bin/python benchmarks/startup_bench.py --rounds 15
    .venv/bin/python benchmarks/startup_bench.py --importtime # and the slowest imports of report
    .venv/bin/python benchmarks/startup_bench.py --before /tmp/old/src   # another tree too
    .venv/bin/python benchmarks/startup_bench.py --breakdown  # where a report's time goes

``--breakdown`` runs the report's steps one by one in fresh processes (the imports in
dependency order, then the registry, the catalog, the report, its text), with the garbage
collector handled as the program handles it, and prints the best and the median of each
step.

``--before SRC`` also times the library's cases on another source tree (``git archive REV
src | tar -x -C /tmp/old`` gives one), interleaved with this tree's in the same rounds, so
that before and after are measured side by side under the same load.

Each case is a fresh process of the same interpreter, timed from start to exit (wall
clock) and by the CPU time it used (user + system, from ``os.wait4``: steadier than the wall
clock when other jobs share the machine), the cases interleaved round by round so that a
busy machine slows them all alike; the tables give the median of the rounds and each
median's ratio to ``python -c pass`` and to ``python -c "import pint"`` measured in the same
run. The cases:

- ``python -c pass``: the interpreter alone, the floor;
- ``import stratpolicy``: the package (it must stay cheap: nothing heavy at import);
- ``import pint``: pint alone (it imports numpy, and dask when dask is installed);
- ``pint default registry``: ``import pint; pint.UnitRegistry()``, what the library built
  before it had its own definitions;
- ``stratpolicy registry``: ``stratpolicy.units.registry()`` (pint, the library's
  definitions and every ISO 4217 currency);
- ``stratpolicy report``: the main command on the built-in Korea 2025 portfolio (text),
  output to ``/dev/null``;
- ``stratpolicy validate``: the built-in portfolio written to a temporary YAML file
  (``stratpolicy catalog show kr_summit_2025``) and validated: reading, checking, no graph.

Every command's output is checked once before timing (``report`` prints its title,
``validate`` says ``valid portfolio``), so the benchmark cannot time a failure. That first
run also writes the bytecode cache: the child processes run with ``PYTHONDONTWRITEBYTECODE``
unset, as an installed package runs (pip compiles a wheel's modules when it installs them);
with it set, every process compiles the library's ~80 modules from source again.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable


LIBRARY = (
    "import stratpolicy",
    "stratpolicy registry",
    "stratpolicy report",
    "stratpolicy validate",
)


def _cases(document: Path) -> dict[str, list[str]]:
    return {
        "python -c pass": [PY, "-c", "pass"],
        "import stratpolicy": [PY, "-c", "import stratpolicy"],
        "import pint": [PY, "-c", "import pint"],
        "pint default registry": [PY, "-c", "import pint; pint.UnitRegistry()"],
        "stratpolicy registry": [
            PY,
            "-c",
            "from stratpolicy.units import registry; registry()",
        ],
        "stratpolicy report": [PY, "-m", "stratpolicy", "report"],
        "stratpolicy validate": [PY, "-m", "stratpolicy", "validate", str(document)],
    }


def _env(src: str | None) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")
    }
    if src is not None:
        env["PYTHONPATH"] = src
    return env


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, command)
    return wall, usage.ru_utime + usage.ru_stime


def _check(cases: dict[str, tuple[list[str], dict[str, str]]]) -> None:
    """Every case runs, and the two commands do their job (this also writes bytecode)."""
    for name, (command, env) in cases.items():
        out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
        if name.startswith("stratpolicy report"):
            assert "National Strategic Technology Summit 2025" in out, out[:500]
        if name.startswith("stratpolicy validate"):
            assert "valid portfolio" in out, out


BREAKDOWN = """
import gc, json, sys, time
gc.disable()  # as the stratpolicy program does while it imports (cli/__init__.py)
marks = [("start", time.perf_counter())]
def mark(name):
    marks.append((name, time.perf_counter()))
import numpy; mark("numpy")
import pint; mark("pint (numpy already imported)")
import numpy.testing, numpy.f2py; mark("numpy.testing + numpy.f2py (scipy.sparse imports them)")
import scipy.sparse; mark("scipy.sparse (the rest)")
import attrs, cattrs, yaml; mark("attrs, cattrs, yaml")
import stratpolicy.cli, stratpolicy.catalogs, stratpolicy.graph, stratpolicy.cli._report_data
import stratpolicy.cli._text; mark("stratpolicy modules")
from stratpolicy.units import registry; registry(); mark("unit registry")
gc.freeze(); gc.enable()
from stratpolicy.catalogs import korea; portfolio = korea.summit_2025(); mark("read the Korea 2025 portfolio")
from stratpolicy.cli._report_data import ReportSettings, build_report
report = build_report(portfolio, ReportSettings(on=portfolio.as_of), built_in=True)
mark("the report as data (analyses, tax example, early warning)")
from stratpolicy.cli._text import render_text
assert "National Strategic Technology Summit 2025" in render_text(report); mark("the report as text")
print(json.dumps([(b[0], b[1] - a[1]) for a, b in zip(marks, marks[1:])]))
"""


def _table(title: str, times: dict[str, list[float]]) -> None:
    medians = {name: statistics.median(values) for name, values in times.items()}
    floor, pint = medians["python -c pass"], medians["import pint"]
    print(f"\n{title}")
    print(f"{'case':<33} {'median':>9} {'min-max':>17} {'/ pass':>8} {'/ import pint':>14}")
    for name, values in times.items():
        spread = f"{1000 * min(values):.0f}-{1000 * max(values):.0f} ms"
        print(
            f"{name:<33} {1000 * medians[name]:>6.0f} ms {spread:>17} "
            f"{medians[name] / floor:>7.1f}x {medians[name] / pint:>13.2f}x"
        )


def _breakdown(rounds: int) -> None:
    steps: dict[str, list[float]] = {}
    for _ in range(rounds):
        out = subprocess.run(
            [PY, "-c", BREAKDOWN], check=True, capture_output=True, text=True, env=_env(None)
        ).stdout
        for name, seconds in json.loads(out):
            steps.setdefault(name, []).append(seconds)
    print(f"\nwhere a report process's time goes, in-process, {rounds} processes (best, median):")
    best_total = sum(min(v) for v in steps.values())
    for name, values in steps.items():
        print(f"  {1000 * min(values):6.0f} ms {1000 * statistics.median(values):6.0f} ms  {name}")
    print(f"  {1000 * best_total:6.0f} ms          sum of the best (plus the interpreter's start)")


def _importtime(top: int) -> None:
    """The slowest imports (cumulative) of one report process, from ``python -X importtime``."""
    err = subprocess.run(
        [PY, "-X", "importtime", "-m", "stratpolicy", "report"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(None),
    ).stderr
    rows = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line[len("import time:") :].split("|")
        if not parts[0].strip().isdigit():
            continue
        rows.append((int(parts[1]), int(parts[0]), parts[2].rstrip()))
    print(f"\nslowest imports of one report process (cumulative µs, self µs), top {top}:")
    for cumulative, own, name in sorted(rows, reverse=True)[:top]:
        print(f"  {cumulative:>9} {own:>9}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--importtime", action="store_true", help="list the slowest imports")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--before", metavar="SRC", help="also time the library on this src tree")
    parser.add_argument("--breakdown", action="store_true", help="time the report's steps")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        document = Path(folder) / "kr_summit_2025.yaml"
        text = subprocess.run(
            [PY, "-m", "stratpolicy", "catalog", "show", "kr_summit_2025"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        document.write_text(text, encoding="utf-8")
        cases = {name: (command, _env(None)) for name, command in _cases(document).items()}
        if args.before:
            for name in LIBRARY:
                cases[f"{name} (before)"] = (cases[name][0], _env(args.before))
        _check(cases)
        walls: dict[str, list[float]] = {name: [] for name in cases}
        cpus: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.rounds):
            for name, (command, env) in cases.items():
                wall, cpu = _run(command, env)
                walls[name].append(wall)
                cpus[name].append(cpu)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {load:.2f}, "
        f"{args.rounds} rounds (median; min-max)"
    )
    for title, times in (("wall clock", walls), ("CPU time (user + system)", cpus)):
        _table(title, times)
    if args.before:
        print("\nafter / before, same rounds (medians):      wall    CPU")
        for name in LIBRARY:
            old = f"{name} (before)"
            wall = statistics.median(walls[name]) / statistics.median(walls[old])
            cpu = statistics.median(cpus[name]) / statistics.median(cpus[old])
            print(f"  {name:<40} {wall:5.2f}x {cpu:6.2f}x")
    if args.breakdown:
        _breakdown(args.rounds)
    if args.importtime:
        _importtime(args.top)


if __name__ == "__main__":
    main()
