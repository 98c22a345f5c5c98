"""The notebooks in notebooks/ run top to bottom, offline; they are committed without outputs.

Each notebook runs once (a module-scoped fixture) with nbclient in an IPython kernel of
*this* interpreter: the test writes its own kernel spec (``sys.executable -m
ipykernel_launcher``) to a temporary folder, so it needs nothing but ``pip install -e
'.[dev]'`` and ignores any kernels installed for the user. A first cell added in memory
blocks network connections other than loopback; the kernel runs in an empty temporary
folder, which must stay empty.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# Figures each notebook draws (plt.show() of a figure: one image/png display each).
FIGURES = {
    "tour_korea_2025.ipynb": 2,  # funding-flow bar chart, graph.plot()
    "tax_credit_explorer.ipynb": 2,  # rates by year, credits by firm size
    "build_your_own_portfolio.ipynb": 1,  # graph.plot()
    "scenario_lab.ipynb": 2,  # change by firm size, the study's experiments
}
# HTML that the library's own _repr_html_ methods produce, which each notebook displays.
REPRS = {
    "tour_korea_2025.ipynb": ["<p>Targets (2)</p>", "<strong>MissionGraph of "],
    "tax_credit_explorer.ipynb": ["<strong>Decision of rule set "],
    "build_your_own_portfolio.ipynb": [
        "<strong>Resilient chip supply</strong>",
        "MissionGraph of ",
    ],
    "scenario_lab.ipynb": [
        "Synthetic population: no row is a real firm.",
        "<strong>Baseline &#x27;kr_rsta_tax_credits&#x27; against reform",
        "<strong>Reform kr_matching_easing_2025: ",
        "<strong>Study &#x27;kr_rd_credit_rates_lhs&#x27;: 1,000 of 1,000 experiments",
    ],
}
CELL_TIMEOUT = 120  # seconds: a guard against a hung kernel (a notebook runs in ~2 s)

NETWORK_GUARD = """
import socket as _socket

_LOCAL = {None, "localhost", "127.0.0.1", "::1"}
_connect, _getaddrinfo = _socket.socket.connect, _socket.getaddrinfo


def _refuse(host):
    raise OSError(f"notebooks must not use the network (tried {host!r})")


def _guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if self.family in (_socket.AF_INET, _socket.AF_INET6) and host not in _LOCAL:
        _refuse(host)
    return _connect(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if host not in _LOCAL:
        _refuse(host)
    return _getaddrinfo(host, *args, **kwargs)


_socket.socket.connect = _guarded_connect
_socket.getaddrinfo = _guarded_getaddrinfo
"""


@pytest.fixture(scope="module")
def kernel_manager_class(tmp_path_factory: pytest.TempPathFactory) -> type[AsyncKernelManager]:
    """A kernel manager that only knows a ``python3`` kernel running this interpreter."""
    from ipykernel.kernelspec import write_kernel_spec

    kernels = tmp_path_factory.mktemp("kernels")
    write_kernel_spec(kernels / "python3")

    class Manager(AsyncKernelManager):
        def _kernel_spec_manager_default(self) -> KernelSpecManager:
            return KernelSpecManager(kernel_dirs=[str(kernels)], ensure_native_kernel=False)

    return Manager


def run(nb: Any, cwd: Path, manager: type[AsyncKernelManager]) -> Any:
    """Execute ``nb`` in place, with the network guard first, in ``cwd``."""
    nb.cells.insert(0, nbformat.v4.new_code_cell(NETWORK_GUARD))
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # the inline backend
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        kernel_manager_class=manager,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute(env=env)
    return nb


class Executed:
    def __init__(self, path: Path, nb: Any, left_behind: list[str]) -> None:
        self.path, self.nb, self.left_behind = path, nb, left_behind

    def outputs(self) -> Iterator[Any]:
        for cell in self.nb.cells:
            if cell.cell_type == "code":
                yield from cell.outputs


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=lambda p: p.stem)
def executed(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    kernel_manager_class: type[AsyncKernelManager],
) -> Executed:
    path: Path = request.param
    nb = nbformat.read(path, as_version=4)
    cwd = tmp_path_factory.mktemp(path.stem)
    run(nb, cwd, kernel_manager_class)
    return Executed(path, nb, sorted(os.listdir(cwd)))


# -- the notebooks as committed -----------------------------------------------------------


def test_the_notebooks_are_there_and_in_the_docs_nav() -> None:
    names = {p.name for p in NOTEBOOKS}
    assert set(FIGURES) <= names
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for name in names:
        assert f"notebooks/{name}" in nav, f"{name} is not in the nav of mkdocs.yml"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "a notebook without code"
    for cell in code:
        assert cell.outputs == [], f"cell {cell.id} has outputs: clear them before committing"
        assert cell.execution_count is None, f"cell {cell.id} has an execution count"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_network_addresses_or_absolute_paths(path: Path) -> None:
    source = "\n".join(
        c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"
    )
    assert not re.search(r"https?://", source)
    assert "/work/" not in source and "C:\\" not in source


# -- the notebooks executed -----------------------------------------------------------------


def test_runs_without_errors_or_warnings_and_writes_nothing(executed: Executed) -> None:
    errors = [o for o in executed.outputs() if o.output_type == "error"]
    assert errors == []
    # a warning would be printed on the docs page: stderr must stay empty
    stderr = [
        o.text for o in executed.outputs() if o.output_type == "stream" and o.name == "stderr"
    ]
    assert stderr == []
    assert executed.left_behind == [], "the notebook wrote files where it ran"


def test_draws_its_figures(executed: Executed) -> None:
    images = [
        o
        for o in executed.outputs()
        if o.output_type == "display_data" and "image/png" in o.get("data", {})
    ]
    assert len(images) == FIGURES[executed.path.name]


def test_shows_the_library_html(executed: Executed) -> None:
    html = "".join(
        o["data"]["text/html"]
        for o in executed.outputs()
        if o.output_type in ("display_data", "execute_result") and "text/html" in o["data"]
    )
    for fragment in REPRS[executed.path.name]:
        assert fragment in html


def test_the_network_guard_refuses_connections(
    tmp_path: Path, kernel_manager_class: type[AsyncKernelManager]
) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import urllib.request\nurllib.request.urlopen('http://example.org', timeout=5)"
        )
    )
    with pytest.raises(CellExecutionError, match="notebooks must not use the network"):
        run(nb, tmp_path, kernel_manager_class)
