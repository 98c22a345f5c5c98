"""The ``stratpolicy`` command line (also ``python -m stratpolicy``).

Commands:
    report [FILE]          the main job: a portfolio's missions, targets, technologies,
                           instruments and budgets, coverage, gaps, bottlenecks, funding
                           flow, pipeline, linkage gap, and an explained tax-credit decision
                           (the built-in Korea 2025 summit by default)
    validate FILE          check a document; print every problem with its path
    evaluate RULESET FACTS --on DATE [--explain] [--format json]
                           a rule set (a file, or kr_tax_credits / kr_rd_matching) on one
                           record (YAML/JSON) or many (a CSV or a list of records)
    graph [FILE] --format graphml|json|mermaid [--on DATE]
                           the mission graph, for Gephi, networkx or a Mermaid diagram
    catalog list           the built-in catalogs
    catalog show NAME      one catalog as YAML or JSON

User errors (a missing file, bad data) print a message and exit with status 1, without a
traceback; a wrong command line exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import stratpolicy
from stratpolicy import catalogs, io
from stratpolicy.cli._common import UserError
from stratpolicy.cli._evaluate import parse_date, run_evaluate
from stratpolicy.cli._report import (
    build_report,
    early_warning_section,
    graph_sections,
    render_text,
    tax_credit_section,
)
from stratpolicy.errors import DataError
from stratpolicy.model import Portfolio

__all__ = ["main"]


def _read(path: str, kind: type[Any] | None = None) -> Any:
    file = Path(path)
    if not file.exists():
        raise UserError(f"no such file: {path}")
    if file.is_dir():
        raise UserError(f"{path} is a directory, not a file")
    return io.load(file, kind)


def _cmd_report(args: argparse.Namespace) -> int:
    portfolio: Portfolio = (
        _read(args.file, Portfolio) if args.file else catalogs.korea.summit_2025()
    )
    report = build_report(portfolio)
    report["sections"] = [*graph_sections(portfolio), tax_credit_section()]
    if not args.file:  # the Korea-specific sections belong to the built-in portfolio
        report["sections"].append(early_warning_section())
    report["graph"] = portfolio.graph().summary()
    if args.format == "json":
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_text(report))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    obj = _read(args.file)
    kind = io.kind_of(obj)
    size = f" with {len(obj)} objects" if isinstance(obj, Portfolio) else ""
    print(f"{args.file}: valid {kind}{size}")
    return 0


def _cmd_graph(args: argparse.Namespace) -> int:
    from stratpolicy.graph import export

    portfolio: Portfolio = (
        _read(args.file, Portfolio) if args.file else catalogs.korea.summit_2025()
    )
    on = parse_date(args.on) if args.on else None
    sys.stdout.write(export(portfolio.graph(), args.format, on=on))
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    text = run_evaluate(args.rule_set, args.facts, parse_date(args.on), args.explain, args.format)
    sys.stdout.write(text)
    return 0


def _cmd_catalog(args: argparse.Namespace) -> int:
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
        sys.stdout.write(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            if args.format == "json"
            else _yaml(data)
        )
    else:
        sys.stdout.write(io.dumps(value, args.format))
    return 0


def _yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stratpolicy",
        description="Model strategic technology policy: missions, technologies, instruments.",
    )
    parser.add_argument("--version", action="version", version=stratpolicy.__version__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    report = sub.add_parser("report", help="summarise a portfolio (default: Korea 2025 summit)")
    report.add_argument("file", nargs="?", help="a portfolio document (JSON, YAML or TOML)")
    report.add_argument("--format", choices=("text", "json"), default="text")
    report.set_defaults(run=_cmd_report)

    validate = sub.add_parser("validate", help="check a document and list every problem")
    validate.add_argument("file", help="a document (JSON, YAML or TOML)")
    validate.set_defaults(run=_cmd_validate)

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
    evaluate.set_defaults(run=_cmd_evaluate)

    catalog = sub.add_parser("catalog", help="the built-in catalogs")
    actions = catalog.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="list the catalogs").set_defaults(run=_cmd_catalog)
    show = actions.add_parser("show", help="print one catalog")
    show.add_argument("name")
    show.add_argument("--format", choices=("yaml", "json", "toml"), default="yaml")
    show.set_defaults(run=_cmd_catalog)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr, end="" if str(exc).endswith("\n") else "\n")
        return 1
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {getattr(exc, 'filename', '')}", file=sys.stderr)
        return 1
    return status
