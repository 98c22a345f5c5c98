"""A fuzzing campaign over the file format: mutated built-in catalogs, in JSON, YAML and TOML.

The contract it checks, for every document, whatever it holds (issue 9, item 5):

1. ``io.loads`` raises a library error (a :class:`~stratpolicy.errors.DataError` subclass)
   or returns an object; never any other exception;
2. in bounded time: a case over :data:`HANG_SECONDS` counts as a hang (the long run also
   kills a worker that stops answering), and bounded memory (the long run's worker has an
   address-space limit, so a memory bomb shows as a ``MemoryError``);
3. an object it returns is valid: every attrs object in it re-validates (``attrs.evolve``
   re-runs its checks), no number is NaN or infinite, no text holds a lone surrogate;
4. and round-trips: saved in each format it reads back equal, and is saved again byte for
   byte the same.

Cases start from the dumped built-in catalogs (portfolios, rule sets, the crosswalk) and a
few small documents, and apply one to four mutations: delete a key, change a value's type,
inject huge / non-finite / odd-Unicode / binary values, bad amounts and dates, duplicate
items, unknown keys, shared values (YAML aliases) and alias bombs, deep nesting, YAML tags
and complex keys, bad encodings, truncation, random bytes.

The test suite runs a seeded, bounded campaign (``tests/io/test_fuzz.py``). A longer run is a
command::

    python -m tests.fuzz --minutes 10            # seed 0, one worker process
    python -m tests.fuzz --minutes 10 --seed 7 --out /tmp/fuzz-failures

It prints the counts: cases, library errors, objects accepted, non-library exceptions, hangs,
invalid objects accepted, round-trip differences; and writes each failing case to ``--out``.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import math
import multiprocessing
import os
import queue
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMATS = ("json", "yaml", "toml")
HANG_SECONDS = 2.0
"""A case whose reading (or one round trip) takes longer than this counts as a hang."""

OUTCOMES = (
    "library_error",
    "accepted",
    "non_library_exception",
    "hang",
    "invalid_accepted",
    "round_trip_difference",
)
FAILURES = OUTCOMES[2:]


@dataclass
class Case:
    """One document to read: its bytes, its format and how it was made."""

    seed_name: str
    fmt: str
    data: bytes
    mutations: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return f"{self.seed_name} as {self.fmt}, mutated by {', '.join(self.mutations) or '-'}"


@dataclass
class Outcome:
    """What reading a case gave."""

    kind: str
    seconds: float
    detail: str = ""


# -- the seed documents -------------------------------------------------------------------

_SEEDS: list[tuple[str, dict[str, Any]]] | None = None


def seeds() -> list[tuple[str, dict[str, Any]]]:
    """The documents mutations start from: the built-in catalogs and small objects, as data."""
    global _SEEDS
    if _SEEDS is None:
        from stratpolicy import catalogs
        from stratpolicy.io import to_document
        from stratpolicy.units import ExchangeRate, ExchangeRates

        found: list[tuple[str, dict[str, Any]]] = []
        for name in catalogs.names():
            if catalogs.kind(name) in ("portfolio", "rule_set", "crosswalk"):
                found.append((name, to_document(catalogs.get(name))))
        summit = catalogs.get("kr_summit_2025")
        found.append(("mission", to_document(summit.missions[0])))
        found.append(("instrument", to_document(summit.instruments[0])))
        rates = ExchangeRates(
            rates=(ExchangeRate(on=dt.date(2026, 1, 2), base="USD", quote="KRW", rate=1450.5),)
        )
        found.append(("exchange_rates", to_document(rates)))
        _SEEDS = found
    return _SEEDS


# -- values to inject ---------------------------------------------------------------------

ODD_TEXT = [
    "ai\u200b",
    "chip\u00ads",
    " ai",
    "ai ",
    "",
    "   ",
    "a\x85b",
    "\u2028",
    "\u2029",
    "\ufeffbom",
    "\x00",
    "\x1b[31m",
    "\u202eevil",
    "ａｉ",
    "１２ KRW",
    "\ud800",
    "\udfff",
    "🇰🇷",
    "\uffff",
    "한국어",
    "x" * 100_000,
]
ODD_AMOUNTS = [
    "1 m^(9^9^9)",
    "1 9^9^(2^2^2)",
    "1 m^99999999",
    "1e999 KRW",
    "-1e999 KRW",
    "1e300 trillion KRW",
    "nan KRW",
    "inf KRW",
    "１２ KRW",
    "5 µs",
    "2 k%",
    "1 " + "m*" * 40 + "m",
    "9" * 5000 + " KRW",
    "12 parsecs",
    "3 USD",
    "-3 trillion KRW",
    "0 KRW",
    "1,000,0000 KRW",
    "1.2.3 KRW",
    "e5 KRW",
    "-E-3",
    "1 KRW/",
    "1 / KRW",
    "1 KRW^-1",
    "35.3 trillion KRW",
    "8.6조원",
]
ODD_DATES = ["20250101", "2025-W01-1", "2025-02-30", "2025-13-45", "2025-1-1", "0000-01-01"]
ODD_NUMBERS: list[Any] = [
    float("nan"),
    float("inf"),
    -float("inf"),
    -0.0,
    5e-324,
    1.7976931348623157e308,
    10**30,
    10**99,
    10**100,
    -(10**200),
    2**63,
    -1,
    0,
    True,
    False,
]


def _odd_value(rng: random.Random) -> Any:
    kind = rng.randrange(10)
    if kind == 0:
        return rng.choice(ODD_TEXT)
    if kind == 1:
        return rng.choice(ODD_AMOUNTS)
    if kind == 2:
        return rng.choice(ODD_DATES)
    if kind == 3:
        return rng.choice(ODD_NUMBERS)
    if kind == 4:
        return 10 ** rng.randrange(1, 5000)  # huge integers
    if kind == 5:
        return [rng.choice(ODD_NUMBERS) for _ in range(rng.choice([0, 1, 1000, 50_000]))]
    if kind == 6:
        return {rng.choice(["", "a", "1", "colour", "\u200b"]): rng.choice(ODD_TEXT[:5])}
    if kind == 7:
        return None
    if kind == 8:
        return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(1, 40)))
    return rng.choice([1.5, "text", [1, 2], {"k": "v"}, 7, "2026-01-01"])


# -- mutations of the data ----------------------------------------------------------------


def _slots(data: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in the data, the root's children included."""
    found: list[tuple[Any, Any]] = []
    stack = [data]
    seen = {id(data)}
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            found.append((node, key))
            if isinstance(value, (dict, list)) and id(value) not in seen:
                seen.add(id(value))  # a shared value (an alias, a bomb) is walked once
                stack.append(value)
    return found


def _delete_key(rng: random.Random, data: Any) -> str:
    slots = [(c, k) for c, k in _slots(data) if isinstance(c, dict)]
    container, key = rng.choice(slots)
    del container[key]
    return f"delete {key!r}"


def _change_value(rng: random.Random, data: Any) -> str:
    container, key = rng.choice(_slots(data))
    container[key] = _odd_value(rng)
    return f"change {key!r}"


def _change_type(rng: random.Random, data: Any) -> str:
    container, key = rng.choice(_slots(data))
    value = container[key]
    options: list[Callable[[Any], Any]] = [
        str,
        lambda v: [v],
        lambda v: {"value": v},
        lambda v: None,
        lambda v: 1,
        lambda v: 1.5,
        lambda v: True,
    ]
    try:
        container[key] = rng.choice(options)(value)
    except Exception:  # str() of an odd value
        container[key] = None
    return f"retype {key!r}"


_FREE_TEXT = ("name", "description", "note", "source", "goal", "name_local", "title", "metric")


def _odd_text(rng: random.Random, data: Any) -> str:
    """Odd but valid text in a free-text field: the object should load and round-trip."""
    slots = [(c, k) for c, k in _slots(data) if k in _FREE_TEXT and isinstance(c[k], str)]
    if not slots:
        return _change_value(rng, data)
    container, key = rng.choice(slots)
    pieces = [rng.choice(ODD_TEXT[:14] + ODD_TEXT[17:20]) for _ in range(rng.randrange(1, 4))]
    container[key] = "x" + "".join(pieces)
    return f"odd text in {key!r}"


def _unknown_key(rng: random.Random, data: Any) -> str:
    dicts = [data] + [c[k] for c, k in _slots(data) if isinstance(c[k], dict)]
    target = rng.choice(dicts)
    target[rng.choice(["colour", "id2", "\u200bname", "x" * 1000, "1", "schema_version "])] = 1
    return "unknown key"


def _duplicate_item(rng: random.Random, data: Any) -> str:
    lists = [c[k] for c, k in _slots(data) if isinstance(c[k], list) and c[k]]
    if not lists:
        return _change_value(rng, data)
    target = rng.choice(lists)
    target.append(copy.deepcopy(rng.choice(target)))
    return "duplicate item"


def _share(rng: random.Random, data: Any) -> str:
    """The same value at two places: YAML writes it as an anchor and an alias."""
    slots = _slots(data)
    (c1, k1), (c2, k2) = rng.choice(slots), rng.choice(slots)
    c2[k2] = c1[k1]
    return "shared value (alias)"


def _alias_bomb(rng: random.Random, data: Any, levels: int) -> str:
    value: Any = ["lol"] * 9
    for _ in range(levels):
        value = [value] * 9
    container, key = rng.choice(_slots(data))
    container[key] = value
    return f"alias bomb of 9**{levels + 1}"


def _envelope(rng: random.Random, data: Any) -> str:
    if not isinstance(data, dict):
        return "-"
    choice = rng.randrange(5)
    if choice == 0:
        data["schema_version"] = rng.choice([1.0, "1", 2, None, True, 10**400])
    elif choice == 1:
        data["document"] = rng.choice(["spaceship", "", None, 5, "portfolio", "rule_set"])
    elif choice == 2:
        data.pop("schema_version", None)
    elif choice == 3:
        data.pop("document", None)
    else:
        data["document"] = rng.choice(["mission", "citation", "exchange_rates", "parameter_set"])
    return "envelope"


def mutate_data(rng: random.Random, data: Any, fmt: str) -> list[str]:
    """Apply one to three mutations to plain data in place; return their names."""
    done = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        if not isinstance(data, (dict, list)) or not _slots(data):
            break
        pick = rng.randrange(12)
        if pick <= 2:
            done.append(_change_value(rng, data))
        elif pick == 3:
            done.append(_delete_key(rng, data))
        elif pick == 4:
            done.append(_change_type(rng, data))
        elif pick == 5:
            done.append(_unknown_key(rng, data))
        elif pick == 6:
            done.append(_duplicate_item(rng, data))
        elif pick == 7 and fmt == "yaml":
            done.append(_share(rng, data))
        elif pick == 8 and fmt == "yaml":
            done.append(_alias_bomb(rng, data, rng.randrange(2, 9)))
        elif pick == 8:
            done.append(_alias_bomb(rng, data, rng.randrange(1, 4)))  # expanded when written
        elif pick == 9:
            done.append(_envelope(rng, data))
        else:
            done.append(_odd_text(rng, data))
    return done


# -- writing and mutating the text --------------------------------------------------------


def render(data: Any, fmt: str, ascii_only: bool = True) -> str | None:
    """Write data as loosely as each format allows (NaN in JSON; None refused by TOML)."""
    try:
        if fmt == "json":  # lone surrogates travel only as escapes (ascii_only)
            return json.dumps(data, ensure_ascii=ascii_only, indent=1)
        if fmt == "yaml":
            import yaml

            return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        import tomli_w

        return str(tomli_w.dumps(data))
    except Exception:
        return None


def _deep(rng: random.Random) -> str:
    depth = rng.choice([31, 32, 33, 100, 5000, 100_000])
    open_, close = rng.choice([("[", "]"), ("{", "}"), ("[", "")])
    if open_ == "{":
        return '{"a": ' * depth + "1" + "}" * depth
    return open_ * depth + close * depth


def mutate_text(rng: random.Random, text: str, fmt: str) -> tuple[bytes, list[str]]:
    """Apply zero to two text-level mutations; return the bytes and their names."""
    done: list[str] = []
    lines = text.split("\n")
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        pick = rng.randrange(9)
        lines = lines or [""]
        i = rng.randrange(len(lines))
        line = lines[i]
        if pick == 0:  # deep nesting in place of a value
            sep = {"json": ": ", "yaml": ": ", "toml": " = "}[fmt]
            if sep in line:
                head = line.split(sep, 1)[0]
                tail = "," if fmt == "json" and line.rstrip().endswith(",") else ""
                lines[i] = head + sep + _deep(rng) + tail
                done.append("deep nesting")
        elif pick == 1 and fmt == "yaml":
            tag = rng.choice(
                ["!!float", "!!int", "!!timestamp", "!!binary", "!!set", "!!python/none", "!x"]
            )
            if ": " in line:
                head, value = line.split(": ", 1)
                lines[i] = f"{head}: {tag} {value}"
                done.append(f"tag {tag}")
        elif pick == 2 and fmt == "yaml":
            indent = len(line) - len(line.lstrip(" -"))
            lines.insert(i, " " * indent + "? [a, b]\n" + " " * indent + ": 1")
            done.append("complex key")
        elif pick == 3:  # a key written twice
            lines.insert(i, line)
            done.append("line twice")
        elif pick == 4:
            lines[i] = line + rng.choice(["\x85", "\u2028", "\t", "\x00", "\\", '"', "'", "#"])
            done.append("odd character")
        elif pick == 5 and fmt != "yaml":
            lines[i] = line.replace("1", rng.choice(["NaN", "Infinity", "9" * 5000, "1e999"]), 1)
            done.append("odd number")
        elif pick == 6:
            del lines[i]
            done.append("delete line")
        else:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            done.append("swap lines")
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    pick = rng.randrange(10)
    if pick == 0:
        encoding = rng.choice(["utf-16", "utf-32", "latin-1", "cp949", "utf-16-le"])
        data = "\n".join(lines).encode(encoding, "replace")
        done.append(f"encoded as {encoding}")
    elif pick == 1 and data:
        cut = rng.randrange(len(data))
        data = data[:cut]
        done.append("truncated")
    elif pick == 2 and data:
        for _ in range(rng.randrange(1, 8)):
            at = rng.randrange(len(data))
            data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
        done.append("random bytes")
    elif pick == 3:
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 2000)))
        done.append("binary")
    return data, done


def make_case(rng: random.Random, fmt: str | None = None) -> Case:
    """A random case: a seed document, mutated as data, written in a format, mutated as text."""
    name, document = rng.choice(seeds())
    fmt = fmt or rng.choice(FORMATS)
    data = copy.deepcopy(document)
    mutations = mutate_data(rng, data, fmt) if rng.random() < 0.9 else []
    text = render(data, fmt, ascii_only=rng.random() < 0.5)
    if text is None:  # TOML cannot write null or non-text keys: use YAML for this case
        fmt = "yaml"
        text = render(data, fmt) or "{}"
        mutations.append("written as yaml")
    raw, more = mutate_text(rng, text, fmt)
    return Case(name, fmt, raw, mutations + more)


# -- running a case -----------------------------------------------------------------------


def run_case(case: Case) -> Outcome:
    """Read a case and check the contract (see the module's docstring)."""
    from stratpolicy import io
    from stratpolicy.errors import DataError

    start = time.perf_counter()
    try:
        obj = io.loads(case.data, case.fmt)
    except DataError:
        return _timed("library_error", start)
    except Exception as exc:
        return _timed("non_library_exception", start, _exception(exc))
    seconds = time.perf_counter() - start
    if seconds > HANG_SECONDS:
        return Outcome("hang", seconds, f"reading took {seconds:.2f} s")
    problems = invalid(obj)
    if problems:
        return Outcome("invalid_accepted", seconds, "; ".join(problems[:5]))
    for fmt in FORMATS:
        start = time.perf_counter()
        try:
            text = io.dumps(obj, fmt)
            back = io.loads(text, fmt)
            again = io.dumps(back, fmt)
        except Exception as exc:
            return Outcome("round_trip_difference", seconds, f"{fmt}: {_exception(exc)}")
        took = time.perf_counter() - start
        if took > HANG_SECONDS:
            return Outcome("hang", took, f"the {fmt} round trip took {took:.2f} s")
        if back != obj or again != text:
            return Outcome("round_trip_difference", seconds, f"{fmt}: read back differently")
    return Outcome("accepted", seconds)


def _timed(kind: str, start: float, detail: str = "") -> Outcome:
    seconds = time.perf_counter() - start
    if seconds > HANG_SECONDS:
        return Outcome("hang", seconds, f"took {seconds:.2f} s ({kind}) {detail}")
    return Outcome(kind, seconds, detail)


def _exception(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames))
    return f"{type(exc).__name__}: {str(exc)[:200]} at {where}"


def invalid(obj: Any) -> list[str]:
    """Why an accepted object is not valid (an empty list when it is)."""
    import attrs

    from stratpolicy.units import is_quantity

    problems: list[str] = []
    stack: list[tuple[Any, str]] = [(obj, type(obj).__name__)]
    seen: set[int] = set()
    while stack and len(problems) < 10:
        value, path = stack.pop()
        if isinstance(value, (list, tuple, dict)) or attrs.has(type(value)):
            if id(value) in seen:  # shared (a YAML alias): checked once
                continue
            seen.add(id(value))
        if attrs.has(type(value)):
            try:
                attrs.evolve(value)  # re-runs the class's checks
            except Exception as exc:
                problems.append(f"{path} does not re-validate: {_exception(exc)}")
            for a in attrs.fields(type(value)):
                stack.append((getattr(value, a.name), f"{path}.{a.name}"))
        elif isinstance(value, (list, tuple, frozenset, set)):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(value))
        elif is_quantity(value):
            magnitude = value.magnitude
            if not isinstance(magnitude, (int, float)) or not math.isfinite(float(magnitude)):
                problems.append(f"{path} has the magnitude {magnitude!r}")
        elif isinstance(value, dict) or (hasattr(value, "items") and hasattr(value, "keys")):
            stack.extend((v, f"{path}[{k!r}]") for k, v in value.items())
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(f"{path} is {value!r}")
        elif isinstance(value, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            problems.append(f"{path} holds a lone surrogate")
        elif isinstance(value, dt.datetime):
            problems.append(f"{path} is a datetime, not a date")
    return problems


# -- the long run -------------------------------------------------------------------------


def _worker(seed: int, start: int, progress: Any, results: Any) -> None:
    try:
        import resource

        limit = 4 * 1024**3  # a memory bomb becomes a MemoryError, not a dead machine
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on this platform
        pass
    seeds()
    index = start
    while True:
        progress.value = index
        rng = random.Random(f"{seed}:{index}")
        try:
            case = make_case(rng)
        except Exception as exc:  # the fuzzer's own bug: report it, go on
            results.put((index, "fuzzer_error", 0.0, _exception(exc), "", b""))
            index += 1
            continue
        outcome = run_case(case)
        data = case.data if outcome.kind in FAILURES else b""
        results.put((index, outcome.kind, outcome.seconds, outcome.detail, case.describe(), data))
        index += 1


def campaign(minutes: float, seed: int, out: Path | None, *, stall: float = 30.0) -> Counter[str]:
    """Run cases in a worker process for ``minutes``; a worker silent for ``stall`` s is a hang."""
    context = multiprocessing.get_context("spawn")
    counts: Counter[str] = Counter()
    deadline = time.monotonic() + minutes * 60
    next_index = 0
    slowest = 0.0
    while time.monotonic() < deadline:
        progress = context.Value("q", next_index)
        results = context.Queue()
        worker = context.Process(
            target=_worker, args=(seed, next_index, progress, results), daemon=True
        )
        worker.start()
        last = time.monotonic()
        while time.monotonic() < deadline:
            try:
                index, kind, seconds, detail, what, data = results.get(timeout=1.0)
            except queue.Empty:
                if not worker.is_alive() or time.monotonic() - last > stall:
                    stuck = progress.value
                    kind = "hang" if worker.is_alive() else "non_library_exception"
                    counts[kind] += 1
                    counts["cases"] += 1
                    _report(out, stuck, seed, kind, f"worker stopped on case {stuck}", "", b"")
                    next_index = stuck + 1
                    break
                continue
            last = time.monotonic()
            counts["cases"] += 1
            counts[kind] += 1
            slowest = max(slowest, seconds)
            next_index = index + 1
            if kind in FAILURES or kind == "fuzzer_error":
                _report(out, index, seed, kind, detail, what, data)
        worker.kill()
        worker.join()
    counts["slowest_ms"] = round(slowest * 1000)
    return counts


def _report(
    out: Path | None, index: int, seed: int, kind: str, detail: str, what: str, data: bytes
) -> None:
    print(f"  case {index} (seed {seed}): {kind}: {what}: {detail}", file=sys.stderr, flush=True)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / f"case-{seed}-{index}.bin").write_bytes(data)
        with (out / "failures.txt").open("a", encoding="utf-8") as handle:
            handle.write(f"{seed}:{index}\t{kind}\t{what}\t{detail}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fuzz", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--minutes", type=float, default=1.0, help="how long to run")
    parser.add_argument("--seed", type=int, default=0, help="the campaign's seed")
    parser.add_argument("--out", type=Path, help="folder for the failing cases")
    args = parser.parse_args(argv)
    began = time.monotonic()
    counts = campaign(args.minutes, args.seed, args.out)
    took = time.monotonic() - began
    print(
        f"fuzz campaign: seed {args.seed}, {took / 60:.1f} minutes, python {sys.version.split()[0]}"
    )
    print(f"  cases                   {counts['cases']:>8,}")
    for kind in OUTCOMES:
        print(f"  {kind.replace('_', ' '):<24}{counts[kind]:>8,}")
    if counts["fuzzer_error"]:
        print(f"  fuzzer errors           {counts['fuzzer_error']:>8,}")
    print(f"  slowest case            {counts['slowest_ms']:>6,} ms")
    failed = sum(counts[k] for k in FAILURES)
    print("  contract held" if not failed else f"  CONTRACT BROKEN in {failed} cases")
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
