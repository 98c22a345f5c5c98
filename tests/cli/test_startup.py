"""The command line's start-up: the collector paused for the imports only, and restored."""

from __future__ import annotations

import gc
import sys

import pytest

from stratpolicy import cli


@pytest.fixture(autouse=True)
def _unfreeze() -> object:
    yield
    gc.unfreeze()  # main() froze this test process's objects; let the collector see them again


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
