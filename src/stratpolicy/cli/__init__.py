"""The ``stratpolicy`` command line (also ``python -m stratpolicy``).

Commands:
    report [FILE] [--format text|json|html] [--on DATE] [--allocation equal|by_weight]
                           the main job: a portfolio's missions, targets, technologies,
                           instruments and budgets, coverage, gaps, bottlenecks, funding
                           flow, pipeline, linkage, each with its caveats (the built-in
                           Korea 2025 summit by default, with an explained tax-credit
                           decision and early warning)
    provenance [FILE]      every unverified fact and every assumption a report rests on
    validate FILE [--format text|json]
                           check a document; print every problem with its path (as JSON:
                           the error's ``to_dict()``, with a stable code per problem)
    schema KIND [--output FILE] | schema --list
                           the JSON Schema (draft 2020-12) of a document kind
    evaluate RULESET FACTS --on DATE [--explain] [--format json]
             [--column COLUMN=INPUT] [--extra error|ignore]
                           a rule set (a file, or kr_tax_credits / kr_rd_matching) on one
                           record (YAML/JSON) or many (a CSV or a list of records)
    graph [FILE] --format graphml|json|mermaid [--on DATE]
                           the mission graph, for Gephi, networkx or a Mermaid diagram
    compare RULESET REFORM POPULATION --on DATE [--by GROUP] [--output NAME]
            [--format text|json] [--rows FILE.parquet] [--column COLUMN=INPUT]
            [--extra error|ignore] [--missing error|default] [--weight COLUMN]
                           a reform (a file, or a shipped example) against a rule set over a
                           population (CSV, Parquet, JSON/YAML, or synthetic:ROWS:SEED)
    experiments run SPEC --out FOLDER [--executor serial|process|dask] [--workers N]
            [--batch-size N] [--format text|json] [--progress | --no-progress]
                           a study of levers and uncertainties, streamed to Parquet;
                           an interrupted run resumes from FOLDER
    catalog list           the built-in catalogs
    catalog show NAME      one catalog as YAML or JSON

Exit status (see :data:`~stratpolicy.cli._common.EXIT_CODES`): 0 done; 1 invalid input (a
missing or unreadable file, bad data: a message on standard error, never a traceback);
2 a wrong command line; 3 an internal error (a bug: a one-line message, please report it);
130 interrupted (Ctrl-C); 141 standard output closed early (``stratpolicy report | head``),
as for Unix tools stopped by SIGPIPE. Text that the terminal's encoding cannot show is
written with backslash escapes rather than failing (``PYTHONIOENCODING=ascii``).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import stratpolicy
from stratpolicy.cli._common import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OUTPUT_CLOSED,
    UserError,
    output_closed,
    prepare_streams,
    say_error,
)
from stratpolicy.errors import DataError

if TYPE_CHECKING:
    from stratpolicy.model import Portfolio
    from stratpolicy.report import ReportSettings

__all__ = ["main"]
# Each command imports what it uses when it runs: 'validate' needs no graph, no rules and no
# catalogs, and the start-up of a command is part of its cost (benchmarks/startup_bench.py).
# A process started from the command line imports with the cyclic garbage collector paused:
# modules, classes and registries are made once and live as long as the process, yet the
# collector would scan them again and again while they are being made. Once a command has
# its modules, _imports_done() freezes what exists (gc.freeze: never scanned again) and
# resumes the collector for the command's own work; main() freezes again at the end, so the
# interpreter's last collection on the way out scans nothing. Together about a fifth of the
# CPU time of a report (benchmarks/README.md).
_GC_PAUSED = [False]
# numpy's BLAS (OpenBLAS in numpy's wheels) starts a thread per CPU when numpy is imported.
# No command does the dense matrix products those threads speed up (the graph's analyses are
# sparse, the rules element-wise), and they cost a report 0.22 s of CPU on 2 CPUs (wall
# time too when the CPUs are busy); worker processes the command starts inherit the
# setting, so they do not oversubscribe the CPUs either. A value the user set is kept.
_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _imports_done() -> None:
    """Resume the collector paused by :func:`main` for this process's imports."""
    if _GC_PAUSED[0]:
        _GC_PAUSED[0] = False
        gc.freeze()
        gc.enable()


def _read(path: str, kind: type[Any] | None = None) -> Any:
    file = Path(path)
    if not file.exists():
        raise UserError(f"no such file: {path}")
    if file.is_dir():
        raise UserError(f"{path} is a directory, not a file")
    return stratpolicy.load(file, kind)


def _settings(args: argparse.Namespace, portfolio: Portfolio) -> ReportSettings:
    from stratpolicy.cli._evaluate import parse_date
    from stratpolicy.graph import Allocation
    from stratpolicy.model import BudgetStage
    from stratpolicy.report import ReportSettings

    if args.on is None:
        on = portfolio.as_of
    elif args.on == "none":
        on = None
    else:
        on = parse_date(args.on)
    return ReportSettings(
        on=on,
        year=args.year,
        stage=BudgetStage(args.stage) if args.stage else None,
        allocation=Allocation(args.allocation) if args.allocation else None,
        include_envelopes=args.include_envelopes,
    )


def _cmd_report(args: argparse.Namespace) -> int:
    from stratpolicy import catalogs
    from stratpolicy.graph import summary  # noqa: F401 -- the analyses (numpy, scipy) now
    from stratpolicy.model import Portfolio
    from stratpolicy.report import build_report, render_html, render_text
    from stratpolicy.units import registry

    registry()  # pint and numpy now, with the other imports
    _imports_done()
    portfolio: Portfolio = (
        _read(args.file, Portfolio) if args.file else catalogs.korea.summit_2025()
    )
    # the Korean tax example and early warning belong to the built-in portfolio only
    report = build_report(portfolio, _settings(args, portfolio), built_in=not args.file)
    if args.format == "json":
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "html":
        sys.stdout.write(render_html(report, portfolio))
    else:
        sys.stdout.write(render_text(report))
    return 0


def _cmd_provenance(args: argparse.Namespace) -> int:
    from stratpolicy import catalogs
    from stratpolicy.model import Portfolio
    from stratpolicy.report import build_provenance, render_provenance

    _imports_done()
    portfolio: Portfolio = (
        _read(args.file, Portfolio) if args.file else catalogs.korea.summit_2025()
    )
    data = build_provenance(portfolio, _settings(args, portfolio), built_in=not args.file)
    if args.format == "json":
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_provenance(data["portfolio"], data["provenance"]))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from stratpolicy import io
    from stratpolicy.model import Portfolio
    from stratpolicy.units import registry

    registry()
    _imports_done()
    if args.format == "json":
        try:
            obj = _read(args.file)
        except DataError as exc:
            record = {"file": args.file, "valid": False, "error": exc.to_dict()}
            sys.stdout.write(io.render_data(record, "json"))
            return EXIT_INVALID
        result = {
            "file": args.file,
            "valid": True,
            "document": io.kind_of(obj),
            "objects": len(obj) if isinstance(obj, Portfolio) else None,
        }
        sys.stdout.write(io.render_data(result, "json"))
        return 0
    obj = _read(args.file)
    kind = io.kind_of(obj)
    size = f" with {len(obj)} objects" if isinstance(obj, Portfolio) else ""
    print(f"{args.file}: valid {kind}{size}")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    import inspect

    from stratpolicy import io

    _imports_done()
    kinds = stratpolicy.document_kinds()
    if args.list:
        width = max(len(k) for k in kinds)
        for kind, cls in kinds.items():
            summary = (inspect.getdoc(cls) or "").split("\n", 1)[0]
            print(f"{kind:<{width}}  {cls.__name__}: {summary}")
        return 0
    if args.kind is None:
        raise UserError("name a document kind (see 'stratpolicy schema --list')")
    if args.kind not in kinds:
        raise UserError(f"no document kind {args.kind!r}; the kinds are {', '.join(kinds)}")
    document = stratpolicy.schema(args.kind)
    if args.output:
        io.write_data(document, args.output, format="json")
    else:
        sys.stdout.write(io.render_data(document, "json"))
    return 0


def _cmd_graph(args: argparse.Namespace) -> int:
    from stratpolicy import catalogs
    from stratpolicy.cli._evaluate import parse_date
    from stratpolicy.graph import export
    from stratpolicy.model import Portfolio

    _imports_done()
    portfolio: Portfolio = (
        _read(args.file, Portfolio) if args.file else catalogs.korea.summit_2025()
    )
    on = parse_date(args.on) if args.on else None
    sys.stdout.write(export(portfolio.graph(), args.format, on=on))
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from stratpolicy.cli._evaluate import parse_date, run_evaluate

    _imports_done()
    text = run_evaluate(
        args.rule_set,
        args.facts,
        parse_date(args.on),
        args.explain,
        args.format,
        columns=_columns(args.column),
        extra=args.extra,
    )
    sys.stdout.write(text)
    return 0


# -- scenarios ---------------------------------------------------------------------------------


def _columns(items: list[str]) -> dict[str, str] | None:
    columns: dict[str, str] = {}
    for item in items:
        column, sep, name = item.partition("=")
        if not sep or not column or not name:
            raise UserError(f"--column: expected COLUMN=INPUT, got {item!r}")
        columns[column] = name
    return columns or None


def _load_reform(arg: str) -> Any:
    from stratpolicy import io
    from stratpolicy.scenarios import Reform, examples

    path = Path(arg)
    if not path.exists() and arg in examples.names():
        return examples.get(arg)
    if not path.is_file():
        known = ", ".join(examples.names())
        raise UserError(f"no such file or shipped reform: {arg} (shipped: {known})")
    return io.load(path, Reform)


def _load_population(arg: str, rule_set: Any, args: argparse.Namespace) -> Any:
    from stratpolicy.scenarios import Population, synthetic_firms

    if arg.startswith("synthetic:"):
        parts = arg.split(":")
        try:
            rows = int(parts[1])
            seed = int(parts[2]) if len(parts) > 2 else 0
        except (IndexError, ValueError):
            raise UserError(
                f"expected synthetic:ROWS or synthetic:ROWS:SEED, got {arg!r}"
            ) from None
        if len(parts) > 3:
            raise UserError(f"expected synthetic:ROWS or synthetic:ROWS:SEED, got {arg!r}")
        return synthetic_firms(rows, seed=seed, rule_set=rule_set)
    path = Path(arg)
    if not path.is_file():
        raise UserError(f"no such file: {arg}")
    return Population.read(
        path,
        rule_set,
        columns=_columns(args.column),
        extra=args.extra,
        missing=args.missing,
        weight=None if args.weight == "" else args.weight,
    )


def _cmd_compare(args: argparse.Namespace) -> int:
    from stratpolicy.cli._evaluate import load_rule_set, parse_date
    from stratpolicy.report import comparison_summary, render_comparison
    from stratpolicy.scenarios import compare

    rule_set = load_rule_set(args.rule_set)
    reform = _load_reform(args.reform)
    population = _load_population(args.population, reform.widen(rule_set), args)
    comparison = compare(rule_set, reform, population, on=parse_date(args.on))
    outputs = [args.output] if args.output else None
    if args.output and args.output not in comparison.outputs:
        raise UserError(f"--output: {args.output!r} is not an output of both rule sets")
    if args.by and args.by not in population.inputs and args.by not in comparison.outputs:
        known = ", ".join(population.inputs)
        raise UserError(f"--by: {args.by!r} is neither a population column nor an output ({known})")
    summary = comparison_summary(comparison, by=args.by, outputs=outputs)
    if args.rows:
        comparison.to_parquet(args.rows)
    if args.format == "json":
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_comparison(summary))
    return 0


def _cmd_experiments(args: argparse.Namespace) -> int:
    from stratpolicy.report import render_results, results_summary
    from stratpolicy.scenarios import ExperimentSpec, run_experiments

    spec: ExperimentSpec = _read(args.spec, ExperimentSpec)
    rule_set, population = spec.inputs(Path(args.spec).parent)
    if args.workers is not None and args.workers < 1:
        raise UserError(f"--workers: must be at least 1, got {args.workers}")
    progress = args.progress
    if args.executor == "serial":
        results = run_experiments(
            spec, rule_set, population, out=args.out, batch_size=args.batch_size, progress=progress
        )
    elif args.executor == "process":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=args.workers or 2, mp_context=context) as pool:
            results = run_experiments(
                spec,
                rule_set,
                population,
                executor=pool,
                out=args.out,
                batch_size=args.batch_size,
                progress=progress,
            )
    else:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise UserError(
                "--executor dask needs Dask: pip install 'stratpolicy[distributed]'"
            ) from None
        from stratpolicy.scenarios import local_dask_client

        with local_dask_client(args.workers or 2) as client:
            results = run_experiments(
                spec,
                rule_set,
                population,
                executor=client,
                out=args.out,
                batch_size=args.batch_size,
                progress=progress,
            )
    summary = results_summary(results)
    if args.format == "json":
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_results(summary, args.out))
    return 0


def _cmd_catalog(args: argparse.Namespace) -> int:
    from stratpolicy import catalogs, io

    _imports_done()
    if args.action == "list":
        width = max(len(n) for n in catalogs.names())
        for name in catalogs.names():
            print(f"{name:<{width}}  {catalogs.describe(name)}")
        return 0
    if args.name not in catalogs.names():
        raise UserError(f"no catalog named {args.name!r}; see 'stratpolicy catalog list'")
    value = catalogs.get(args.name)
    if isinstance(value, (list, dict)):
        data: Any = io.unstructure(value)
        if args.format == "toml" and not isinstance(data, dict):
            data = {args.name: data}  # a TOML document is a table, never a bare list
        sys.stdout.write(io.render_data(data, args.format))
    else:
        sys.stdout.write(io.dumps(value, args.format))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stratpolicy",
        description="Model strategic technology policy: missions, technologies, instruments.",
    )
    parser.add_argument("--version", action="version", version=stratpolicy.__version__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    report = sub.add_parser("report", help="summarise a portfolio (default: Korea 2025 summit)")
    report.add_argument("file", nargs="?", help="a portfolio document (JSON, YAML or TOML)")
    report.add_argument("--format", choices=("text", "json", "html"), default="text")
    _analysis_options(report)
    report.set_defaults(run=_cmd_report)

    provenance = sub.add_parser(
        "provenance", help="every unverified fact and assumption a report rests on"
    )
    provenance.add_argument("file", nargs="?", help="a portfolio document (default: Korea 2025)")
    provenance.add_argument("--format", choices=("text", "json"), default="text")
    _analysis_options(provenance)
    provenance.set_defaults(run=_cmd_provenance)

    validate = sub.add_parser("validate", help="check a document and list every problem")
    validate.add_argument("file", help="a document (JSON, YAML or TOML)")
    validate.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: a record on standard output, the error's to_dict() when it is not valid",
    )
    validate.set_defaults(run=_cmd_validate)

    schema = sub.add_parser("schema", help="the JSON Schema of a document kind")
    schema.add_argument("kind", nargs="?", metavar="KIND", help="a document kind (see --list)")
    schema.add_argument("--list", action="store_true", help="list the document kinds")
    schema.add_argument("--output", metavar="FILE", help="write the schema to FILE (JSON)")
    schema.set_defaults(run=_cmd_schema)

    graph = sub.add_parser("graph", help="export a portfolio's mission graph")
    graph.add_argument("file", nargs="?", help="a portfolio document (default: Korea 2025)")
    graph.add_argument("--format", choices=("graphml", "json", "mermaid"), default="mermaid")
    graph.add_argument("--on", metavar="DATE", help="only instruments in force on this date")
    graph.set_defaults(run=_cmd_graph)

    evaluate = sub.add_parser("evaluate", help="evaluate a rule set on facts")
    evaluate.add_argument("rule_set", metavar="RULESET", help="a rule set file or built-in name")
    evaluate.add_argument(
        "facts", metavar="FACTS", help="a YAML/JSON record (or list of records), or a CSV"
    )
    evaluate.add_argument("--on", required=True, metavar="DATE", help="evaluation date")
    evaluate.add_argument("--explain", action="store_true", help="explain every output")
    evaluate.add_argument("--format", choices=("text", "json"), default="text")
    evaluate.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="COLUMN=INPUT",
        help="read a population column under an input's name (repeatable)",
    )
    evaluate.add_argument(
        "--extra",
        choices=("error", "ignore"),
        default="error",
        help="a column that is no input: an error (default) or ignored",
    )
    evaluate.set_defaults(run=_cmd_evaluate)

    comp = sub.add_parser("compare", help="a reform against a rule set over a population")
    comp.add_argument("rule_set", metavar="RULESET", help="a rule set file or built-in name")
    comp.add_argument("reform", metavar="REFORM", help="a reform file or shipped reform name")
    comp.add_argument(
        "population",
        metavar="POPULATION",
        help="a CSV, Parquet or JSON/YAML file, or synthetic:ROWS[:SEED]",
    )
    comp.add_argument("--on", required=True, metavar="DATE", help="evaluation date")
    comp.add_argument("--by", metavar="GROUP", help="also by an input or category output")
    comp.add_argument("--output", metavar="NAME", help="compare one output only")
    comp.add_argument("--format", choices=("text", "json"), default="text")
    comp.add_argument("--rows", metavar="FILE", help="write the per-row table to Parquet")
    comp.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="COLUMN=INPUT",
        help="read a population column under an input's name (repeatable)",
    )
    comp.add_argument("--extra", choices=("error", "ignore"), default="error")
    comp.add_argument("--missing", choices=("error", "default"), default="error")
    comp.add_argument(
        "--weight", default="weight", metavar="COLUMN", help="the weight column ('' for none)"
    )
    comp.set_defaults(run=_cmd_compare)

    experiments = sub.add_parser("experiments", help="run a study of levers and uncertainties")
    exp_actions = experiments.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = exp_actions.add_parser("run", help="run (or resume) a study")
    run.add_argument("spec", metavar="SPEC", help="an experiments document (YAML, JSON, TOML)")
    run.add_argument("--out", required=True, metavar="FOLDER", help="results (a Parquet folder)")
    run.add_argument("--executor", choices=("serial", "process", "dask"), default="serial")
    run.add_argument("--workers", type=int, metavar="N", help="workers (default 2)")
    run.add_argument("--batch-size", type=int, metavar="N", help="experiments per task")
    run.add_argument("--format", choices=("text", "json"), default="text")
    run.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar (default: when standard error is a terminal)",
    )
    run.set_defaults(run=_cmd_experiments)

    catalog = sub.add_parser("catalog", help="the built-in catalogs")
    actions = catalog.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="list the catalogs").set_defaults(run=_cmd_catalog)
    show = actions.add_parser("show", help="print one catalog")
    show.add_argument("name")
    show.add_argument("--format", choices=("yaml", "json", "toml"), default="yaml")
    show.set_defaults(run=_cmd_catalog)
    return parser


def _analysis_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--on",
        metavar="DATE",
        help="analysis date (default: the portfolio's as_of; 'none' ignores dates)",
    )
    parser.add_argument("--year", type=int, help="budget year (default: the latest)")
    parser.add_argument(
        "--stage",
        choices=("plan", "proposal", "enacted", "supplementary", "executed"),
        help="budget stage (default: each instrument's most final)",
    )
    parser.add_argument(
        "--allocation",
        choices=("equal", "by_weight"),
        help="split money without a published split (an assumption; default: do not)",
    )
    parser.add_argument(
        "--include-envelopes",
        action="store_true",
        help="count support from envelopes with no published split as coverage",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Never lets a traceback through: bad input gives status 1 and every problem on standard
    error, a wrong command line 2 (from argparse, which raises ``SystemExit``), a bug 3 with
    a one-line message, Ctrl-C 130, and standard output closed early 141.

    Called without ``argv`` (as the ``stratpolicy`` program is), it pauses the cyclic garbage
    collector while the command imports its modules and runs numpy's BLAS on one thread
    (``OPENBLAS_NUM_THREADS``, ``OMP_NUM_THREADS`` and ``MKL_NUM_THREADS`` default to 1);
    called with ``argv`` (from a program or a test), it changes neither.
    """
    if argv is not None:
        return _main(argv)
    if "numpy" not in sys.modules:  # too late once numpy is loaded
        for name in _BLAS_THREADS:
            os.environ.setdefault(name, "1")
    _GC_PAUSED[0] = gc.isenabled()
    gc.disable()
    try:
        return _main(None)
    finally:
        if _GC_PAUSED[0]:  # the command ended before its imports were done
            _GC_PAUSED[0] = False
            gc.enable()
        gc.freeze()  # the process ends now: its last collection need not scan anything


def _main(argv: Sequence[str] | None) -> int:
    prepare_streams()
    try:
        args = _parser().parse_args(argv)
    except BrokenPipeError:  # --help into a closed pipe
        output_closed()
        return EXIT_OUTPUT_CLOSED
    if sys.stdout is None:  # started with standard output closed (``>&-``)
        say_error("standard output is closed; nothing can be printed")
        return EXIT_INVALID
    try:
        status: int = args.run(args)
        sys.stdout.flush()
    except UserError as exc:
        say_error(str(exc))
        return EXIT_INVALID
    except DataError as exc:
        say_error(str(exc))
        return EXIT_INVALID
    except BrokenPipeError:
        output_closed()
        return EXIT_OUTPUT_CLOSED
    except OSError as exc:
        where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
        say_error(f"{exc.strerror or exc}{where}")
        return EXIT_INVALID
    except UnicodeError as exc:  # a file read as text elsewhere than io.load
        say_error(f"not UTF-8 text: {str(exc)[:200]}")
        return EXIT_INVALID
    except KeyboardInterrupt:
        say_error("interrupted")
        return EXIT_INTERRUPTED
    except RecursionError:
        say_error("the input is nested too deeply to be processed")
        return EXIT_INVALID
    except MemoryError:
        say_error("out of memory")
        return EXIT_INVALID
    except Exception as exc:  # a bug: one line, never a traceback
        say_error(
            f"internal error ({type(exc).__name__}): {str(exc)[:300]}; "
            "please report it at https://github.com/stratpolicy/stratpolicy/issues"
        )
        return EXIT_INTERNAL
    return status
