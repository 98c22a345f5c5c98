"""The command line's start-up: the collector paused for the imports only, and restored."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest

from stratpolicy import cli


@pytest.fixture(autouse=True)
def _unfreeze(monkeypatch: pytest.MonkeyPatch) -> object:
    for name in cli._BLAS_THREADS:  # restored after the test, whatever main() set
        monkeypatch.delenv(name, raising=False)
    yield
    gc.unfreeze()  # main() froze this test process's objects; let the collector see them again


def _program(code: str, **env: str) -> str:
    """Run ``code`` in a fresh interpreter with the BLAS variables unset (plus ``env``)."""
    clean = {k: v for k, v in os.environ.items() if k not in cli._BLAS_THREADS}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.strip()


RUN_PROGRAM = (
    "import os, sys\n"
    "from stratpolicy import cli\n"
    "sys.argv = ['stratpolicy', 'catalog', 'list']\n"
    "assert cli.main() == 0\n"
    "print('|', os.environ.get('OPENBLAS_NUM_THREADS'), os.environ.get('OMP_NUM_THREADS'))\n"
)


def test_the_program_runs_blas_on_one_thread_unless_told_otherwise() -> None:
    assert _program(RUN_PROGRAM).split("|")[-1].split() == ["1", "1"]
    # a value the user set is kept
    told = _program(RUN_PROGRAM, OPENBLAS_NUM_THREADS="2").split("|")[-1].split()
    assert told == ["2", "1"]
    # numpy already loaded: too late to matter, so nothing is set
    late = _program("import numpy\n" + RUN_PROGRAM).split("|")[-1].split()
    assert late == ["None", "None"]
    # a call from a program, with arguments, changes nothing
    called = _program(
        "import os\nfrom stratpolicy import cli\n"
        "assert cli.main(['catalog', 'list']) == 0\n"
        "print('|', os.environ.get('OPENBLAS_NUM_THREADS'))\n"
    )
    assert called.split("|")[-1].split() == ["None"]


def test_the_program_restores_the_collector(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[bool] = []
    original = cli._imports_done

    def spy() -> None:
        seen.append(gc.isenabled())  # paused while the command imports
        original()
        seen.append(gc.isenabled())  # running again for the command's work

    monkeypatch.setattr(cli, "_imports_done", spy)
    monkeypatch.setattr(sys, "argv", ["stratpolicy", "catalog", "list"])
    assert gc.isenabled()
    assert cli.main() == 0
    assert seen == [False, True]
    assert gc.isenabled()
    assert "kr_summit_2025" in capsys.readouterr().out


def test_the_program_leaves_a_paused_collector_paused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["stratpolicy", "catalog", "list"])
    gc.disable()
    try:
        assert cli.main() == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
    capsys.readouterr()


def test_a_wrong_command_line_restores_the_collector(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["stratpolicy", "no-such-command"])
    with pytest.raises(SystemExit):
        cli.main()
    assert gc.isenabled()
    capsys.readouterr()


def test_a_call_with_arguments_leaves_the_collector_alone(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(gc, "disable", lambda: calls.append("disable"))
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    assert cli.main(["catalog", "list"]) == 0
    assert calls == []
    capsys.readouterr()
