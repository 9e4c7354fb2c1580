"""A real Celery worker process survives the hostile-input batch and still ingests a good
file afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Proc, settings_env, wait_until, worker_argv
from tests.support.hostile import BODY, FILES, MAX_FILE, check_no_leak, root, settings
from worker.settings import Settings
from worker.store.eventstore import EventStore

__all__ = ["root", "settings"]


# --- a real worker process survives the hostile batch -------------------------------------------

@pytest.fixture
def hostile_worker(settings: Settings, spawn: Callable[..., Proc]) -> Iterator[Proc]:
    env = {**settings_env(settings), "NEWSWORKER_MAX_FILE_BYTES": str(MAX_FILE),
           "NEWSWORKER_FETCH_ALLOW_HOSTS": "[]"}
    proc = spawn(worker_argv(settings, concurrency=1), env, name="celery-hostile")
    wait_until(lambda: "ready." in proc.output() or (proc.proc and proc.proc.poll() is not None),
               timeout=60, message="celery worker ready")
    yield proc
    proc.stop()


@pytest.mark.e2e
def test_real_worker_survives_hostile_batch(root: Path, settings: Settings, store: EventStore,
                                            hostile_worker: Proc, celery_app: Any) -> None:
    # Given the whole corpus written under the input root, plus escapes
    paths = []
    for name, fname, raw, _ in FILES:
        p = root / f"{name}-{fname}"
        p.write_bytes(raw)
        paths.append(str(p))
    (root / "escape.txt").symlink_to("/etc/passwd")
    paths += [str(root / "escape.txt"), str(root / ("../" * 40 + "etc/shadow"))]
    # When it is submitted as one batch and as single tasks
    batch = celery_app.send_task("newsworker.ingest_files", args=[paths],
                                 queue=settings.ingest_queue)
    singles = [celery_app.send_task("newsworker.ingest_file", args=[p],
                                    queue=settings.ingest_queue) for p in paths[:5]]
    out = batch.get(timeout=90)
    for s in singles:
        s.get(timeout=30)
    # Then every input has an outcome, refusals are failure events, nothing leaked
    assert len([r for r in out["results"] if r["status"] == "failed"]) >= 15
    check_no_leak(out, store.read_failures())
    assert hostile_worker.proc is not None and hostile_worker.proc.poll() is None
    # And the same worker still ingests a good file
    good = root / f"good-{uuid.uuid4().hex[:6]}.txt"
    good.write_text("Library hours extended\n\n" + BODY)
    res = celery_app.send_task("newsworker.ingest_file", args=[str(good)],
                               queue=settings.ingest_queue).get(timeout=30)
    assert res["status"] == "appended", res
    assert "Traceback" not in hostile_worker.output()
