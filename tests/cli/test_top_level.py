"""The command line's top level: exit codes, and never a traceback (issue 9, item 6).

0 done; 1 invalid input; 2 a wrong command line; 3 a bug; 130 interrupted; 141 standard
output closed early. Whatever the input file, the terminal's encoding or the state of
standard output, no traceback is printed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from stratpolicy.cli import main
from stratpolicy.cli._common import EXIT_CODES
from tests.conftest import DATA

BAD = sorted((DATA / "bad").iterdir())


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_process(
    *args: str, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "stratpolicy", *args],
        env={**os.environ, **(env or {})},
        capture_output="stdout" not in kwargs,
        timeout=120,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def test_exit_codes_are_documented() -> None:
    assert sorted(EXIT_CODES) == [0, 1, 2, 3, 130, 141]
    page = (Path(__file__).parents[2] / "docs" / "guides" / "cli.md").read_text(encoding="utf-8")
    for code in EXIT_CODES:
        assert f"| {code} |" in page


@pytest.mark.parametrize("path", BAD, ids=[p.name for p in BAD])
def test_every_bad_file_exits_1_without_a_traceback(
    capsys: pytest.CaptureFixture[str], path: Path
) -> None:
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1 and out == ""
    assert err.startswith("error: ") and "Traceback" not in err
    assert len(err) < 20_000  # an alias bomb or a huge number is never printed whole


@pytest.mark.parametrize("command", ["report", "graph"])
def test_report_and_graph_refuse_bad_files_with_1(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    for path in BAD:
        code, _, err = run(capsys, command, str(path))
        assert code == 1, path
        assert "Traceback" not in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["frobnicate"], [], ["validate"], ["report", "--format", "xml"]):
        with pytest.raises(SystemExit) as info:
            main(args)
        assert info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_missing_files_and_folders_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, "validate", str(tmp_path / "none.yaml"))[0] == 1
    assert run(capsys, "validate", str(tmp_path))[0] == 1
    unreadable = tmp_path / "secret.yaml"
    unreadable.write_text("x: 1\n", encoding="utf-8")
    unreadable.chmod(0)
    if os.geteuid() != 0:  # root reads anything
        code, _, err = run(capsys, "validate", str(unreadable))
        assert code == 1 and "Permission denied" in err


def test_a_bug_exits_3_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> int:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("stratpolicy.report.build_report", broken)
    code, _, err = run(capsys, "report")
    assert code == 3
    assert err.startswith("error: internal error (ZeroDivisionError): a bug; please report")
    assert err.count("\n") == 1


def test_an_interrupt_exits_130(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("stratpolicy.report.build_report", interrupted)
    code, _, err = run(capsys, "report")
    assert code == 130 and err == "error: interrupted\n"


@pytest.mark.parametrize("command", [["report"], ["catalog", "show", "kr_summit_2025"]])
def test_an_ascii_terminal_gets_escapes_not_a_crash(command: list[str]) -> None:
    done = run_process(*command, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert done.stdout.isascii()
    assert b"\\u" in done.stdout  # the Korean names, escaped


def test_an_ascii_terminal_gets_errors_too(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "schema_version: 1\ndocument: portfolio\nid: p\nname: 양자\ncolour: 파랑\n", "utf-8"
    )
    done = run_process("validate", str(bad), env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 1 and b"colour: unknown key" in done.stderr
    assert b"Traceback" not in done.stderr


def test_a_closed_pipe_exits_141_quietly() -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written (like `| head -0`)
    try:
        done = run_process("report", stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    assert done.returncode == 141
    assert done.stderr == b""  # no traceback, no "Exception ignored"


def test_head_reads_the_first_line_quietly() -> None:
    shell = f"{sys.executable} -m stratpolicy report | head -1; exit ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", shell], capture_output=True, timeout=120, check=False)
    assert done.stdout.decode().startswith("National Strategic Technology Summit 2025")
    assert done.stdout.count(b"\n") == 1
    assert done.returncode in (0, 141)  # 0 when the whole report fitted in the pipe
    assert done.stderr == b""


def test_a_closed_stdout_exits_1_with_a_message() -> None:
    done = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m stratpolicy report >&-"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == b"error: standard output is closed; nothing can be printed\n"


@pytest.mark.parametrize("name", ["kr_tech_levels", "stip_instrument_types", "kr_summit_2025"])
def test_catalog_show_toml_prints_toml(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, _ = run(capsys, "catalog", "show", name, "--format", "toml")
    assert code == 0
    data = tomllib.loads(out)  # was YAML for the first two
    assert data
