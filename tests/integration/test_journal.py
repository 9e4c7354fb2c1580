"""The submission journal re-sends task messages the broker lost between BRPOP and unacked:
its bookkeeping against a real Redis (a lost message re-sent to a real worker is in
tests/e2e/test_journal.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.ledger import ledger_for
from worker.settings import Settings
from worker.tasks.broker import Entry, Reaper


def _entry(n: int, queue: str = "q") -> Entry:
    return Entry(f"task-{n}", "newsworker.ingest_text", [f"text {n}"], {"name": f"n{n}"}, queue)


def test_receipts_remove_entries_and_raise_the_mark(settings: Settings) -> None:
    j = ledger_for(settings)
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
    j = ledger_for(settings)
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
    j = ledger_for(settings)
    j.record(_entry(1), now_ms=1000)
    reaper = Reaper(j, resend_after_s=10, queue_len=lambda q: 0)

    # When the queue has stayed empty for the grace period
    assert reaper.lost("q", now_ms=2_000) == []

    # Then the entry sent before the empty view is lost
    assert [e.task_id for e in reaper.lost("q", now_ms=12_000)] == ["task-1"]


def test_only_ingest_submissions_are_journaled(settings: Settings, celery_app: Any) -> None:
    j = ledger_for(settings)
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
    assert ledger_for(settings).pending() == 0
