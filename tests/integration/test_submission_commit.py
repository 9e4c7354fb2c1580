"""A submission answered with anything but 2xx is never run later: the ledger record and the
task message are committed by one script that does nothing past its deadline, so what a hung
Redis (SIGSTOP) still had in its socket buffer when the client gave up never lands."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.conftest import wait_until
from tests.integration.test_api_unavailable import AUTH, TOKEN, call, own_redis
from tests.support.ledger import ledger_for
from worker.api.app import create_app
from worker.redisconn import connect
from worker.settings import Settings
from worker.tasks import names
from worker.tasks.app import create_app as create_celery
from worker.tasks.broker import ABANDONED_TTL_S, DEADLINE_HEADER, queue_keys

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

__all__ = ["own_redis"]  # the fixture, imported for this module's tests

TEXT = "A headline for the council\n\nThe council approved the new library budget today."


def queued_ids(settings: Settings) -> list[str]:
    """Task ids of the messages waiting in the ingest queue (every priority list)."""
    client = connect(settings.celery_broker)
    out: list[str] = []
    for key in queue_keys(settings, settings.ingest_queue):
        for raw in client.lrange(key, 0, -1):
            out.append(json.loads(raw)["headers"]["id"])
    return out


@pytest.fixture
def api_settings(own_redis: tuple[str, Any], make_settings: Callable[..., Settings],
                 tmp_path: Path) -> Settings:
    return make_settings(redis_url=own_redis[0], api_token=TOKEN, api_redis_timeout_s=1.0,
                         data_dir=tmp_path / "data")


@pytest.fixture
def http(api_settings: Settings) -> Iterator[TestClient]:
    yield TestClient(create_app(api_settings))


def test_a_503_while_redis_is_hung_never_lands_when_it_resumes(
        http: TestClient, api_settings: Settings,
        own_redis: tuple[str, subprocess.Popen[bytes]]) -> None:
    proc = own_redis[1]
    # Given one submission accepted while Redis answers
    ok = http.post("/v1/ingest/text", headers=AUTH, json={"text": TEXT})
    assert ok.status_code == 202, ok.text
    accepted = ok.json()["task_id"]
    # When Redis hangs (its sockets accept and buffer, it answers nothing) during submissions
    proc.send_signal(signal.SIGSTOP)
    try:
        answers = [call(lambda i=i: http.post(  # type: ignore[misc]
            "/v1/ingest/text", headers=AUTH, json={"text": f"{TEXT} Item {i}."}))
            for i in range(3)]
    finally:
        proc.send_signal(signal.SIGCONT)
    # Then each was refused
    assert [r.status_code for r in answers] == [503, 503, 503], [r.text for r in answers]
    # And once Redis has resumed and read its buffers, nothing of them was recorded or queued
    time.sleep(1.0)
    ledger = ledger_for(api_settings)
    assert {k.decode() for k in ledger.redis.hkeys(ledger.keys.journal("msg"))} == {accepted}
    assert queued_ids(api_settings) == [accepted]
    # And each refused one is marked abandoned, in case its commit ran just before the hang
    marks = list(ledger.redis.scan_iter(ledger.abandoned_key("*")))
    assert len(marks) == 3


def test_a_commit_past_its_deadline_records_and_queues_nothing(settings: Settings) -> None:
    ledger = ledger_for(settings)
    key = queue_keys(settings, settings.ingest_queue)[0]
    sec, usec = ledger.redis.time()
    now_ms = int(sec) * 1000 + int(usec) // 1000
    # Given a commit that reaches Redis after its deadline
    with pytest.raises(redis.TimeoutError, match="after its deadline"):
        ledger.commit("late", b"{}", settings.ingest_queue, key, b"message",
                      deadline_ms=now_ms - 1)
    # Then neither the record nor the message exists
    assert ledger.pending() == 0 and ledger.redis.llen(key) == 0
    # While one in time does both
    ledger.commit("early", b"{}", settings.ingest_queue, key, b"message",
                  deadline_ms=now_ms + 60_000)
    assert ledger.pending() == 1 and ledger.redis.llen(key) == 1
    # and the same entry committed again is queued again, as Celery's retry() re-sends a task
    # under its own id (once taken for a retried publish and dropped: the task was lost)
    ledger.commit("early", b"{}", settings.ingest_queue, key, b"message",
                  deadline_ms=now_ms + 60_000)
    assert ledger.pending() == 1 and ledger.redis.llen(key) == 2


def test_an_abandon_mark_sent_while_redis_is_hung_lands_when_it_resumes(
        api_settings: Settings, own_redis: tuple[str, subprocess.Popen[bytes]]) -> None:
    proc = own_redis[1]
    ledger = ledger_for(api_settings)
    proc.send_signal(signal.SIGSTOP)
    try:
        ledger.abandon(api_settings.celery_broker, "gave-up", timeout_s=1.0)
        time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGCONT)
    assert wait_until(lambda: ledger.abandoned("gave-up"), timeout=10)
    assert 0 < ledger.redis.ttl(ledger.abandoned_key("gave-up")) <= ABANDONED_TTL_S


def test_a_task_whose_submitter_gave_up_is_not_run(settings: Settings, store: Any) -> None:
    app = create_celery(settings)
    ledger = ledger_for(settings)
    task = app.tasks[names.INGEST_TEXT]
    # Given one submission its client abandoned and one it did not
    ledger.redis.set(ledger.abandoned_key("abandoned-1"), "1")
    # When workers run them (sent by a client with a deadline, as the API's are)
    deadline = {DEADLINE_HEADER: 1}
    skipped = task.apply(args=[TEXT], kwargs={"url": "https://example.com/a"},
                         task_id="abandoned-1", headers=deadline).get()
    ran = task.apply(args=[TEXT + " More."], kwargs={"url": "https://example.com/b"},
                     task_id="kept-1", headers=deadline).get()
    # Then only the second appends anything
    assert skipped == {"status": "abandoned", "task_id": "abandoned-1"}
    assert ran["status"] == "appended", ran
    assert store.length() == 1
    # and the one that ran saw the worker's request (its id counted for the give-up limit)
    assert store.redis.get(store.keys.task_runs("kept-1")) == b"1"
