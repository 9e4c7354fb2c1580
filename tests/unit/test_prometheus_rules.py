"""The shipped Prometheus config and alert rules: valid for promtool, and every metric they
name is one newsworker exports (so a rename can't silently disarm an alert)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"
EXPORTED = {  # worker/ops/prometheus.py; counters get the _total suffix
    "newsworker_queue_length", "newsworker_group_lag", "newsworker_group_pending",
    "newsworker_journal_pending", "newsworker_stream_length", "newsworker_dlq_length",
    "newsworker_events_appended_total", "newsworker_ingest_failures_total",
    "newsworker_feed_polls_total", "newsworker_events_handled_total",
    "newsworker_feeds_parked", "newsworker_task_duration_seconds_bucket",
    "newsworker_task_duration_seconds_sum", "newsworker_task_duration_seconds_count", "up"}


def rule_expressions() -> list[str]:
    doc = yaml.safe_load((DEPLOY / "alerts.yml").read_text())
    return [r["expr"] for g in doc["groups"] for r in g["rules"]]


def test_alert_rules_name_only_exported_metrics() -> None:
    names = {n for e in rule_expressions() for n in re.findall(r"\b(newsworker_\w+|up)\b", e)}
    assert names, "no metric found in the rules"
    assert names <= EXPORTED, names - EXPORTED


def test_exported_names_are_what_the_collector_exports() -> None:
    source = (Path(__file__).resolve().parents[2] / "worker" / "ops" / "prometheus.py").read_text()
    for name in EXPORTED - {"up"}:
        base = re.sub(r"_(total|bucket|sum|count)$", "", name)
        assert f'"{base}"' in source, base


@pytest.mark.skipif(shutil.which("promtool") is None,
                    reason="promtool not installed (.ci/run installs Debian's prometheus)")
@pytest.mark.parametrize("what", ["rules", "config"])
def test_promtool_accepts_them(what: str, tmp_path: Path) -> None:
    if what == "rules":
        argv = ["promtool", "check", "rules", str(DEPLOY / "alerts.yml")]
    else:
        # The config names a token file; promtool checks that it exists.
        conf = (DEPLOY / "prometheus.yml").read_text().replace(
            "/etc/prometheus/newsworker_api_token", str(tmp_path / "token"))
        (tmp_path / "token").write_text("x" * 40)
        (tmp_path / "prometheus.yml").write_text(conf)
        shutil.copy(DEPLOY / "alerts.yml", tmp_path / "alerts.yml")
        argv = ["promtool", "check", "config", str(tmp_path / "prometheus.yml")]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
