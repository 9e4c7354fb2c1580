"""iter_files reports a directory it cannot list, per path, and walks on (as root too: a
path longer than PATH_MAX cannot be listed by anyone)."""

from __future__ import annotations

import os
from pathlib import Path

from worker.sources.files import iter_files, unreadable


def test_unlistable_directory_is_reported_and_the_walk_goes_on(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("x")
    deep = tmp_path / "deep"
    deep.mkdir()
    # Nest directories (by fd, so each step is short) until the joined path passes PATH_MAX.
    fd = os.open(deep, os.O_RDONLY)
    try:
        for _ in range(20):
            os.mkdir("d" * 250, dir_fd=fd)
            inner = os.open("d" * 250, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        with open(os.open("z.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as fh:
            fh.write("x")
    finally:
        os.close(fd)
    errors: list[tuple[Path, str]] = []
    found = list(iter_files([tmp_path], on_error=lambda p, why: errors.append((p, why))))
    assert found == [tmp_path / "ok.txt"]
    [(path, why)] = errors
    assert str(path).startswith(str(deep)) and why.startswith("cannot read (File name too long")


def test_reasons_in_words() -> None:
    assert unreadable(RuntimeError("Symlink loop from '/x'")) == "symlink loop"
    assert unreadable(PermissionError(13, "Permission denied")) == "permission denied"
    assert unreadable(OSError(40, "Too many levels of symbolic links")) == "symlink loop"
