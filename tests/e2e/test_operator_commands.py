"""Operators' Celery commands are final: the submission ledger never re-sends a task that
`celery purge` removed or `celery control revoke` revoked, also after a worker (re)starts."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED, Proc, settings_env, wait_until, worker_argv
from tests.support.ledger import ledger_for
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.tasks import names


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    # A reaper that judges within seconds, so a wrong re-send would show in the test.
    return make_settings(journal_resend_after_s=1.0)


def celery(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "celery", "-A", "worker", *args],
                          env=settings_env(settings), capture_output=True, text=True,
                          timeout=120, check=False)


def test_purged_submissions_are_never_resent(settings: Settings, celery_app: Any,
                                             spawn: Callable[..., Proc], tmp_path: Path,
                                             store: EventStore) -> None:
    # Given five ledgered submissions queued while no worker runs
    seed = tmp_path / "seed.txt"
    seed.write_bytes(SEED.read_bytes())
    for _ in range(5):
        celery_app.send_task(names.INGEST_FILE, args=[str(seed)], queue=settings.ingest_queue)
    ledger = ledger_for(settings)
    assert ledger.pending() == 5

    # When the operator purges the queue with Celery's own command
    out = celery(settings, "purge", "-f", "-Q", settings.ingest_queue)
    assert out.returncode == 0, out.stderr
    assert "5 messages" in out.stdout, out.stdout

    # Then the ledger forgot them, and a worker started afterwards runs none of them
    assert ledger.pending() == 0
    worker = spawn(worker_argv(settings), settings_env(settings), name="celery")
    wait_until(lambda: "ready." in worker.output(), timeout=60, message="worker ready")
    time.sleep(4)  # several reaper rounds (resend_after 1 s, reap every 0.5 s)
    assert store.length() == 0
    assert "re-sending" not in worker.output()


def test_revoked_task_is_never_resent(settings: Settings, celery_worker: Proc, celery_app: Any,
                                      tmp_path: Path, store: EventStore) -> None:
    # Given a task id the operator revoked (Celery keeps revoked ids on the live workers)
    task_id = str(uuid.uuid4())
    out = celery(settings, "control", "revoke", task_id)
    assert out.returncode == 0, out.stderr
    wait_until(lambda: task_id in celery(settings, "inspect", "revoked").stdout, timeout=30,
               message="worker knows the revoked id")

    # When a submission with that id arrives, the worker discards it unrun
    seed = tmp_path / "seed.txt"
    seed.write_bytes(SEED.read_bytes())
    celery_app.send_task(names.INGEST_FILE, args=[str(seed)], queue=settings.ingest_queue,
                         task_id=task_id)
    ledger = ledger_for(settings)
    wait_until(lambda: ledger.pending() == 0, timeout=30,
               message="the discarded task counts as received")

    # Then it is never re-sent: no event, no re-send in the worker's log
    time.sleep(4)
    assert store.length() == 0
    assert "re-sending" not in celery_worker.output()
    assert ledger.pending() == 0
