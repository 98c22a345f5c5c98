"""Benchmark of YAML reading on the built-in catalogs: the library's reader against PyYAML's.

Run from the repository root::

    .venv/bin/python benchmarks/yaml_bench.py              # 20 rounds over every catalog
    .venv/bin/python benchmarks/yaml_bench.py --rounds 5

What it compares, on the text of every YAML file in ``stratpolicy/catalogs/data`` (read
once, so no disk time is measured):

1. the library's reader (``stratpolicy.io._formats.parse_text``): the C parser (libyaml)'s
   event stream, built into plain data by the library's own bounded builder;
2. the same builder on PyYAML's pure-Python parser (what runs where libyaml is missing);
3. the reader the library had before: a subclass of PyYAML's pure-Python ``SafeLoader``
   with the same resolvers and a duplicate-key check (``yaml.load``);
4. the same loader on PyYAML's C parser (``yaml.CSafeLoader`` with the same resolvers and
   constructors), for reference.

Every reader must give the same data for every file before it is timed. Times are the best
of ``--rounds`` rounds, each over all the files.
"""

from __future__ import annotations

import argparse
import platform
import re
import time
from collections.abc import Callable
from importlib import resources
from typing import Any

import yaml

from stratpolicy.io import _formats

_DROPPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:value"}


def _strict(base: type) -> type:
    """The library's previous loader (PR before issue 9), on ``base``'s parser."""

    class Strict(base):  # type: ignore[valid-type, misc]
        pass

    Strict.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Strict.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )

    def construct_mapping(loader: Any, node: Any) -> dict[Any, Any]:
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                raise yaml.constructor.ConstructorError(None, None, "duplicate key", None)
            result[key] = loader.construct_object(value_node, deep=True)
        return result

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return Strict


def _ours(parser: Any) -> Callable[[str], Any]:
    def read(text: str) -> Any:
        saved = _formats._YAML_PARSER
        _formats._YAML_PARSER = parser
        try:
            return _formats.parse_text(text, "yaml")
        finally:
            _formats._YAML_PARSER = saved

    return read


def _pyyaml(loader: type) -> Callable[[str], Any]:
    return lambda text: yaml.load(text, Loader=loader)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    folder = resources.files("stratpolicy.catalogs").joinpath("data")
    texts = {
        f.name: f.read_text("utf-8")
        for f in sorted(folder.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".yaml")
    }
    size = sum(len(t.encode("utf-8")) for t in texts.values())
    readers: dict[str, Callable[[str], Any]] = {
        "library: event builder on libyaml (C)": _ours(yaml.CSafeLoader),
        "library: event builder on pure-Python parser": _ours(yaml.SafeLoader),
        "before: SafeLoader subclass (pure Python)": _pyyaml(_strict(yaml.SafeLoader)),
        "reference: CSafeLoader subclass (C parser)": _pyyaml(_strict(yaml.CSafeLoader)),
    }
    expected = {
        name: readers["before: SafeLoader subclass (pure Python)"](t) for name, t in texts.items()
    }
    for label, read in readers.items():
        for name, text in texts.items():
            assert read(text) == expected[name], f"{label} reads {name} differently"
    print(
        f"{len(texts)} catalog files, {size / 1024:.0f} KiB; Python {platform.python_version()}, "
        f"PyYAML {yaml.__version__}, libyaml {yaml.__with_libyaml__}; best of {args.rounds}"
    )
    best: dict[str, float] = {}
    for label, read in readers.items():
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            for text in texts.values():
                read(text)
            times.append(time.perf_counter() - start)
        best[label] = min(times)
    base = best["before: SafeLoader subclass (pure Python)"]
    print("| reader | time | MB/s | speed-up over before |")
    print("|---|---|---|---|")
    for label, seconds in best.items():
        print(
            f"| {label} | {seconds * 1000:.1f} ms | {size / seconds / 1e6:.2f} | "
            f"{base / seconds:.1f}x |"
        )


if __name__ == "__main__":
    main()
