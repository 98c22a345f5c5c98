"""The examples of docs/guides/graph.md run and print what the guide says.

The guide's blocks are plain Python (they paste into any interpreter); a block followed by a
``text`` block prints that text. The blocks run in order in one namespace; each printed
output is compared with its text block as doctest compares (``...`` matches anything,
runs of whitespace are equal).
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
from pathlib import Path

import pytest

GUIDE = Path(__file__).parents[2] / "docs" / "guides" / "graph.md"
PAIR = re.compile(r"```python\n(.*?)```(?:\s*```text\n(.*?)```)?", re.S)


def test_guide_examples_print_what_the_guide_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    checker = doctest.OutputChecker()
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    namespace: dict[str, object] = {"__name__": "__guide__"}
    checked = 0
    for number, (code, expected) in enumerate(PAIR.findall(GUIDE.read_text(encoding="utf-8"))):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, f"graph.md[{number}]", "exec"), namespace)
        if expected:
            got = printed.getvalue()
            assert checker.check_output(expected, got, flags), (
                f"block {number}:\n{code}\nprinted:\n{got}\nthe guide says:\n{expected}"
            )
            checked += 1
    assert checked >= 16  # every block the guide shows output for
    assert ">>>" not in GUIDE.read_text(encoding="utf-8")
