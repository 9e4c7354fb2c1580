"""Monitoring with real worker processes: `newsworker status` as a healthcheck, queue depth
and live workers, and the shared task-duration histogram."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.conftest import SEED, Proc, settings_env, wait_until, worker_argv
from worker.metrics import read_task_durations
from worker.settings import Settings
from worker.store.keys import Keys
from worker.tasks.broker import queue_keys


def status(settings: Settings, *extra: str) -> tuple[int, dict[str, Any]]:
    env = settings_env(settings) | {"NEWSWORKER_WORKER_PING_TIMEOUT_S": "0.5"}
    proc = subprocess.run([sys.executable, "-m", "worker", "status", "--json", *extra],
                          env=env, capture_output=True, timeout=60, check=False)
    assert proc.stdout, proc.stderr.decode()
    return proc.returncode, json.loads(proc.stdout)


@pytest.mark.e2e
def test_status_is_a_healthcheck_queue_depth_and_workers(
        settings: Settings, celery_app: Any, spawn: Callable[..., Proc], tmp_path: Path) -> None:
    # Given 50 queued ingest tasks and no worker (two of them at a non-default priority,
    # which kombu keeps in a sibling list)
    seed = tmp_path / "seed.txt"
    seed.write_bytes(SEED.read_bytes())
    for i in range(50):
        celery_app.send_task("newsworker.ingest_file", args=[str(seed)],
                             queue=settings.ingest_queue, priority=5 if i < 2 else None)

    # When status runs, then it shows 50 waiting, 0 live workers, and exits 1.
    code, snap = status(settings)
    assert snap["queues"][settings.ingest_queue] == 50
    assert snap["queues"][settings.feeds_queue] == 0
    assert snap["workers"]["live"] == 0
    assert snap["journal_pending"] == 50  # journaled, no worker has received them
    assert [a["kind"] for a in snap["alerts"]] == ["workers"]
    assert code == 1

    # When a worker starts and drains the queue, then status exits 0.
    worker = spawn(worker_argv(settings), settings_env(settings), name="celery")
    client = redis.Redis.from_url(settings.store_url)
    wait_until(lambda: sum(client.llen(k) for k in
                           queue_keys(settings, settings.ingest_queue)) == 0
               and client.hlen(settings.celery_key_prefix + "unacked") == 0
               and client.hlen(Keys(settings.key_prefix).journal("msg")) == 0,
               timeout=90, message="worker drains the queue and records receipts")
    code, snap = status(settings)
    assert snap["queues"][settings.ingest_queue] == 0, snap
    assert snap["journal_pending"] == 0
    assert snap["workers"]["live"] == 1 and snap["alerts"] == [], snap
    assert snap["stream"]["length"] == 1  # one article; 49 redeliveries were unchanged
    assert snap["counters"]["appended"] == {"article.ingested": 1}
    # and every run the worker's pool processes made is in the shared duration histogram
    durations = read_task_durations(client, Keys(settings.key_prefix))
    assert durations["newsworker.ingest_file"][2] >= 50
    assert code == 0, worker.output()[-2000:]
