"""The submission journal re-sends task messages the broker lost between BRPOP and unacked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Proc, settings_env, wait_until, worker_argv
from worker.redisconn import connect
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.keys import Keys
from worker.tasks.app import create_app
from worker.tasks.broker import Entry, Reaper, SubmissionLedger


def _journal(settings: Settings) -> SubmissionLedger:
    return SubmissionLedger(connect(settings.celery_broker), Keys(settings.key_prefix))


def _entry(n: int, queue: str = "q") -> Entry:
    return Entry(f"task-{n}", "newsworker.ingest_text", [f"text {n}"], {"name": f"n{n}"}, queue)


def test_receipts_remove_entries_and_raise_the_mark(settings: Settings) -> None:
    j = _journal(settings)
    for n, at in ((1, 1000), (2, 2000), (3, 3000)):
        j.record(_entry(n), now_ms=at)
    assert j.pending() == 3

    j.received(["task-2", "unknown-id"])

    assert j.pending() == 2
    assert j.mark("q") == 2000
    # A receipt of an older message never lowers the mark.
    j.received(["task-1"])
    assert j.mark("q") == 2000
    assert [e.task_id for e in j.sent_before("q", 10_000)] == ["task-3"]


def test_reaper_judges_only_from_a_view_old_enough(settings: Settings) -> None:
    # Given three submissions of which only the second was received (the first was lost)
    j = _journal(settings)
    for n, at in ((1, 1000), (2, 2000), (3, 3000)):
        j.record(_entry(n), now_ms=at)
    j.received(["task-2"])
    backlog = {"q": 1}
    reaper = Reaper(j, resend_after_s=10, queue_len=lambda q: backlog[q])

    # When the reaper looks, Then nothing is judged until its view is 10 s old
    assert reaper.lost("q", now_ms=5_000) == []
    assert reaper.lost("q", now_ms=14_000) == []
    # And then only the entry sent before the received one is lost; the third may be queued
    assert [e.task_id for e in reaper.lost("q", now_ms=15_000)] == ["task-1"]


def test_reaper_treats_an_empty_queue_as_a_receipt_of_everything_before(
        settings: Settings) -> None:
    # Given the last submission of a burst is lost: nothing later will be received
    j = _journal(settings)
    j.record(_entry(1), now_ms=1000)
    reaper = Reaper(j, resend_after_s=10, queue_len=lambda q: 0)

    # When the queue has stayed empty for the grace period
    assert reaper.lost("q", now_ms=2_000) == []

    # Then the entry sent before the empty view is lost
    assert [e.task_id for e in reaper.lost("q", now_ms=12_000)] == ["task-1"]


def test_only_ingest_submissions_are_journaled(settings: Settings, celery_app: Any) -> None:
    j = _journal(settings)
    celery_app.send_task("newsworker.poll_feed", ["http://127.0.0.1:9/feed"],
                         queue=settings.feeds_queue)
    assert j.pending() == 0
    res = celery_app.send_task("newsworker.ingest_text", ["Headline\n\nBody text."],
                               queue=settings.ingest_queue)
    assert j.pending() == 1
    assert [e.task_id for e in j.sent_before(settings.ingest_queue, 2**62)] == [res.id]


def test_a_failed_publish_is_not_left_in_the_journal(
        settings: Settings, celery_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a broker publish that fails after the journal write
    from celery import Celery

    def refuse(*_a: Any, **_k: Any) -> Any:
        raise ConnectionRefusedError("broker refused the publish")

    monkeypatch.setattr(Celery, "send_task", refuse)

    # When a submission is made, Then the caller sees the error and nothing is left to re-send
    with pytest.raises(ConnectionRefusedError):
        celery_app.send_task("newsworker.ingest_text", ["Headline\n\nBody."],
                             queue=settings.ingest_queue)
    assert _journal(settings).pending() == 0


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
    j = _journal(settings)
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
