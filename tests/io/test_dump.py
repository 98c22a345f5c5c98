"""``io.dump`` replaces a file atomically and keeps what the user set up around it.

Mode bits, symbolic links, the folder's entry on disk; a failure at any point (a serializer
that raises, an interrupt during the write) leaves the old file and no temporary file.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from stratpolicy import Citation, io
from stratpolicy.errors import ValidationError
from stratpolicy.io import _documents

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file semantics")

OLD = Citation(act="Old act")
NEW = Citation(act="New act")


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o640, 0o755])
def test_an_existing_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "c.yaml"
    io.dump(OLD, path)
    path.chmod(mode)
    io.dump(NEW, path)
    assert stat.S_IMODE(path.stat().st_mode) == mode  # was always 0600
    assert io.load(path) == NEW


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_the_umask_default(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        io.dump(NEW, tmp_path / "c.json")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "c.json").stat().st_mode) == 0o666 & ~umask


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "data" / "c.yaml"
    real.parent.mkdir()
    io.dump(OLD, real)
    link = tmp_path / "link.yaml"
    link.symlink_to(Path("data") / "c.yaml")  # relative, as users make them
    chain = tmp_path / "chain.yaml"
    chain.symlink_to(link)
    io.dump(NEW, chain)
    assert link.is_symlink() and chain.is_symlink()
    assert io.load(real) == NEW
    assert listing(real.parent) == ["c.yaml"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(tmp_path / "target.toml")
    io.dump(NEW, link)
    assert link.is_symlink() and io.load(tmp_path / "target.toml") == NEW


def test_hard_links_fifos_and_folders_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    io.dump(OLD, path)
    os.link(path, tmp_path / "other.yaml")
    with pytest.raises(OSError, match="2 hard links"):
        io.dump(NEW, path)
    assert io.load(tmp_path / "other.yaml") == OLD == io.load(path)
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        io.dump(NEW, fifo)  # neither replaced nor opened (opening would wait for a reader)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    with pytest.raises(IsADirectoryError):
        io.dump(NEW, folder)
    assert listing(tmp_path) == ["c.yaml", "folder.yaml", "other.yaml", "pipe.yaml"]


def test_the_file_and_its_folder_are_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    io.dump(NEW, tmp_path / "c.yaml")
    assert synced == ["file", "folder"]


def test_a_failing_serializer_touches_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.yaml"
    io.dump(OLD, path)

    def broken(data: object, fmt: str) -> str:
        raise RuntimeError("serializer failed")

    monkeypatch.setattr(_documents, "render_text", broken)
    with pytest.raises(RuntimeError):
        io.dump(NEW, path)
    assert listing(tmp_path) == ["c.yaml"] and io.load(path) == OLD


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
@pytest.mark.parametrize("exc", [KeyboardInterrupt, OSError, MemoryError])
def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, exc: type[BaseException]
) -> None:
    path = tmp_path / "c.yaml"
    io.dump(OLD, path)

    def fail(*args: object, **kwargs: object) -> None:
        raise exc()

    if where == "write":
        monkeypatch.setattr(_documents.os, "fdopen", _failing_fdopen(exc))
    else:
        monkeypatch.setattr(_documents.os, where, fail)
    with pytest.raises(exc):
        io.dump(NEW, path)
    monkeypatch.undo()
    assert listing(tmp_path) == ["c.yaml"]
    assert io.load(path) == OLD


def _failing_fdopen(exc: type[BaseException]) -> object:
    real = os.fdopen

    class Handle:
        def __init__(self, fd: int, *args: object, **kwargs: object) -> None:
            self.inner = real(fd, *args, **kwargs)  # type: ignore[call-overload]

        def __enter__(self) -> Handle:
            return self

        def __exit__(self, *args: object) -> None:
            self.inner.close()

        def write(self, data: bytes) -> int:
            self.inner.write(data[:10])  # part of the data, then the interrupt
            raise exc()

    return Handle


def test_values_no_file_can_hold_are_refused_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    # a surrogate sneaked past construction (objects are frozen, not sealed)
    bad = Citation(act="Act")
    object.__setattr__(bad, "note", "x\ud800")
    with pytest.raises(ValidationError, match="note: contains a lone surrogate"):
        io.dump(bad, path)
    assert listing(tmp_path) == []
