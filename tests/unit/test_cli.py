"""CLI error paths: one readable line, a non-zero status, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWORKER_")}
    base.update({"NEWSWORKER_CONFIG": str(ROOT / "config" / "newsworker.toml"), **env})
    return subprocess.run([sys.executable, "-m", "worker", *args], cwd=tmp_path, env=base,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("args", [
    ["submit", "file", str(SEED)],
    ["submit", "text", "Some article text."],
    ["events"],
    ["status"],
])
def test_unreachable_redis_is_one_line(tmp_path: Path, args: list[str]) -> None:
    proc = _run(args, tmp_path, NEWSWORKER_REDIS_URL="redis://127.0.0.1:1/0")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "cannot reach Redis" in proc.stderr.strip().splitlines()[-1]


def test_normalize_names_each_rejected_input_and_goes_on(tmp_path: Path) -> None:
    # Given a good file between an empty one and a missing one,
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_bytes(SEED.read_bytes())
    proc = _run(["normalize", "--json", "empty.txt", "good.txt", "missing.txt"], tmp_path)
    # then the good one is printed, the others named with a reason, and the status is 1.
    assert proc.returncode == 1
    assert proc.stdout.count("\n") == 1 and "China's Xi" in proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert lines == ["empty.txt: input is empty", "missing.txt: no such file"]
