"""A real worker does not run a submission its client gave up on (timed out, told its caller
it failed, marked it abandoned): the mark covers a commit that ran just before Redis hung."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import Proc, settings_env, wait_until, worker_argv
from tests.support.ledger import ledger_for
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.tasks.app import create_app, create_client_app
from worker.tasks.broker import DEADLINE_HEADER

TEXT = ("Harbour ferry timetable changes {n}\n\n"
        "The harbour authority said on Friday that ferry number {n} would run every twenty "
        "minutes from next month, after a consultation with commuters and local businesses "
        "that drew more than four hundred responses over the summer.\n")


@pytest.mark.e2e
def test_a_worker_skips_a_submission_its_client_abandoned(
        settings: Settings, spawn: Callable[..., Proc]) -> None:
    # Given two submissions from a client with a deadline (the API's), one marked abandoned
    client = create_client_app(settings, timeout_s=2.0)
    kept = client.send_task("newsworker.ingest_text", [TEXT.format(n=1)],
                            kwargs={"url": "https://example.com/kept"},
                            queue=settings.ingest_queue)
    dropped = client.send_task("newsworker.ingest_text", [TEXT.format(n=2)],
                               kwargs={"url": "https://example.com/dropped"},
                               queue=settings.ingest_queue)
    ledger = ledger_for(settings)
    ledger.redis.set(ledger.abandoned_key(dropped.id), "1")
    queued = ledger.redis.lrange(f"{settings.celery_key_prefix}{settings.ingest_queue}", 0, -1)
    assert all(DEADLINE_HEADER.encode() in m for m in queued)

    # When a real worker takes them
    proc = spawn(worker_argv(settings), settings_env(settings), name="celery")
    wait_until(lambda: "ready." in proc.output(), timeout=60, message="worker ready")

    # Then only the kept one appends an event
    results = create_app(settings)
    assert results.AsyncResult(kept.id).get(timeout=60)["status"] == "appended"
    assert results.AsyncResult(dropped.id).get(timeout=60) == {
        "status": "abandoned", "task_id": dropped.id}
    assert EventStore.from_settings(settings).length() == 1
    assert f"task {dropped.id} (newsworker.ingest_text) not run" in proc.output()
    proc.stop()
