"""Smoke test of the benchmark suite: every bench runs end to end at a tiny scale and
reports well-formed rows. Never asserts timings (the machine is shared and noisy).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

ROW_KEYS = {"name", "value", "unit", "baseline", "ratio", "goal", "extra"}
EXPECTED = {"append", "normalise_text", "normalise_html", "consume", "feed_polls", "feed_parse",
            "latency_single", "end_to_end_batch", "worker_rss", "api_ingest", "stories_assign",
            "pg_project", "rebuild_rss", "rebuild_stall"}


@pytest.mark.e2e
def test_every_bench_runs_at_tiny_scale(tmp_path: Path) -> None:
    # Given the suite at a tiny scale, writing into a temp dir
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--scale", "0.002",
                           "--out", str(tmp_path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=110)
    # Then it succeeds and writes both outputs
    assert proc.returncode == 0, proc.stderr[-4000:]
    rows = json.loads((tmp_path / "results.json").read_text())
    assert (tmp_path / "results.md").read_text().startswith("# newsworker benchmarks")
    # And every required row is there, with a number and the same shape
    assert {r["name"] for r in rows} >= EXPECTED
    for r in rows:
        assert set(r) == ROW_KEYS, r
        assert isinstance(r["value"], int | float) and r["value"] > 0, r
        assert r["baseline"] is None or r["baseline"] > 0, r
        if r["baseline"]:
            assert r["ratio"] == pytest.approx(r["value"] / r["baseline"], rel=0.01, abs=0.002), r
