"""``import stratpolicy`` must stay cheap: heavy dependencies load on first use only."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pint", "networkx", "numpy", "scipy", "pandas", "cattrs", "yaml")


def _modules_after(code: str) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_import_loads_no_heavy_dependency() -> None:
    loaded = _modules_after("import stratpolicy")
    assert not [m for m in HEAVY if m in loaded]


def test_model_objects_without_quantities_need_no_pint() -> None:
    loaded = _modules_after(
        "import stratpolicy\n"
        "t = stratpolicy.Technology(id='ai', name='AI', kind='area')\n"
        "p = stratpolicy.Portfolio(id='p', name='P', technologies=(t,))"
    )
    assert "pint" not in loaded
    assert "networkx" not in loaded
    assert "numpy" not in loaded


def test_public_names_resolve() -> None:
    import stratpolicy

    missing = [name for name in stratpolicy.__all__ if not hasattr(stratpolicy, name)]
    assert missing == []
    assert stratpolicy.__version__


def test_version_is_printed_by_module_main() -> None:
    import stratpolicy

    out = subprocess.run(
        [sys.executable, "-m", "stratpolicy", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert out.stdout.strip() == stratpolicy.__version__
    assert json.dumps(out.stdout)  # printable


def test_validate_loads_no_graph_and_no_rules(tmp_path: object) -> None:
    """``stratpolicy validate`` of a portfolio reads and checks it: no graph, no rules engine."""
    from pathlib import Path

    from stratpolicy import io
    from stratpolicy.catalogs import korea

    path = Path(str(tmp_path)) / "summit.yaml"
    path.write_text(io.dumps(korea.summit_2025(), "yaml"), encoding="utf-8")
    loaded = _modules_after(
        "import contextlib, io\n"
        "from stratpolicy.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['validate', {str(path)!r}]) == 0"
    )
    assert "pint" in loaded  # amounts are read
    unused = ["networkx", "scipy.sparse", "stratpolicy.graph", "stratpolicy.rules"]
    assert [m for m in unused if m in loaded] == []
    assert "stratpolicy.catalogs" not in loaded
