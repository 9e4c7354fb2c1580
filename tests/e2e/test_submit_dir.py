"""`newsworker submit dir` / `submit file DIR` against a real worker: a symlink loop or an
unreadable entry is named on stderr, per path, and everything else still goes through
(issue 14: it used to print a traceback and abort the whole submission)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, Proc, settings_env
from worker.settings import Settings

ARTICLE = "A headline for the test\n\nThe first paragraph of a short article, long enough to count."


def tree(tmp_path: Path) -> Path:
    root = tmp_path / "inbox"
    (root / "sub").mkdir(parents=True)
    (root / "ok.txt").write_text(ARTICLE)
    (root / "sub" / "two.txt").write_text(ARTICLE.replace("first", "second"))
    (root / "a").symlink_to("b")  # a -> b -> a
    (root / "b").symlink_to("a")
    (root / "self").symlink_to("self")
    (root / "sub" / "up").symlink_to("..")  # a directory link: not followed, no loop
    return root


@pytest.mark.e2e
@pytest.mark.parametrize("command", [["submit", "dir"], ["submit", "file", "--batch", "1"]])
def test_symlink_loops_are_reported_per_path(command: list[str], settings: Settings,
                                             celery_worker: Proc, tmp_path: Path) -> None:
    root = tree(tmp_path)
    res = subprocess.run([sys.executable, "-m", "worker", *command, str(root), "--wait"],
                         env=settings_env(settings), cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert "Traceback" not in res.stderr, res.stderr
    # each loop named with its reason, once
    for name in ("a", "b", "self"):
        assert res.stderr.count(f"{root / name}: symlink loop") == 1, res.stderr
    # the rest went through
    assert res.stdout.count("appended") == 2 and "2 ok, 0 failed" in res.stdout, res.stdout
    assert "3 path(s) refused" in res.stderr
    assert res.returncode == 1  # not everything was submitted


@pytest.mark.e2e
@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a mode-000 directory anyway; "
                    "tests/unit/test_submit_paths.py covers an unlistable one as root")
def test_unreadable_directory_is_reported(settings: Settings, celery_worker: Proc,
                                          tmp_path: Path) -> None:
    root = tree(tmp_path)
    locked = root / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text(ARTICLE)
    locked.chmod(0)
    try:
        res = subprocess.run([sys.executable, "-m", "worker", "submit", "dir", str(root),
                              "--wait"], env=settings_env(settings), cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
    finally:
        locked.chmod(0o755)
    assert f"{locked}: permission denied" in res.stderr, res.stderr
    assert "2 ok, 0 failed" in res.stdout and res.returncode == 1
