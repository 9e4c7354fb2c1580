"""The submission journal re-sends a task message the broker lost between BRPOP and unacked,
and a real worker completes it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Proc, settings_env, wait_until, worker_argv
from tests.support.ledger import ledger_for
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.tasks.app import create_app

TEXT = ("Harbour ferry timetable changes {n}\n\n"
        "The harbour authority said on Friday that ferry number {n} would run every twenty "
        "minutes from next month, after a consultation with commuters and local businesses "
        "that drew more than four hundred responses over the summer.\n")


@pytest.mark.e2e
def test_a_message_lost_by_the_broker_is_re_sent_and_completes(
        make_settings: Callable[..., Settings], spawn: Callable[..., Proc],
        tmp_path: Path) -> None:
    settings = make_settings(journal_resend_after_s=1.0)
    app = create_app(settings)
    j = ledger_for(settings)
    broker = j.redis
    queue_key = f"{settings.celery_key_prefix}{settings.ingest_queue}"

    # Given a submission whose message vanishes from the queue as if popped by a worker
    # that lost Redis before recording it unacked (kombu's BRPOP-then-HSET window)
    lost = app.send_task("newsworker.ingest_text", [TEXT.format(n=1)], kwargs={"name": "a1"},
                         queue=settings.ingest_queue)
    assert broker.rpop(queue_key) is not None
    assert broker.llen(queue_key) == 0
    # and a later submission that is delivered normally
    later = app.send_task("newsworker.ingest_text", [TEXT.format(n=2)], kwargs={"name": "a2"},
                          queue=settings.ingest_queue)

    # When a real worker runs
    proc = spawn(worker_argv(settings), settings_env(settings), name="celery")
    wait_until(lambda: "ready." in proc.output(), timeout=60, message="worker ready")

    # Then the later one completes, and the lost one is re-sent under its own id and completes
    assert later.get(timeout=60)["status"] == "appended"
    result = lost.get(timeout=60)
    assert result["status"] == "appended"
    store = EventStore.from_settings(settings)
    assert store.length() == 2
    wait_until(lambda: j.pending() == 0, timeout=10, message="journal drained")
    assert f"task {lost.id} (newsworker.ingest_text) was lost by the broker" in proc.output()
    assert f"task {later.id} (newsworker.ingest_text) was lost" not in proc.output()
    proc.stop()
