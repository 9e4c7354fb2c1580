"""What a submission with a deadline (the API's) costs against real Redis: its deadline comes
from the broker's clock, read once and then kept as an offset, not with a TIME round trip per
submission; and the deadline it carries is still half the client's timeout after its send."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
import redis

from worker.ops.client import Client
from worker.redisconn import connect
from worker.settings import Settings
from worker.tasks.app import create_client_app
from worker.tasks.broker import DEADLINE_HEADER, queue_keys

TEXT = "A headline for the council\n\nThe council approved the new library budget today."
time_command = redis.Redis.time  # uncounted, for the test's own reads of the broker clock


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The clients that sent TIME from here on, one item per call."""
    sent: list[Any] = []

    def counted(self: redis.Redis) -> Any:
        sent.append(self)
        return time_command(self)

    monkeypatch.setattr(redis.Redis, "time", counted)
    return sent


def test_submissions_read_the_broker_clock_once(
        make_settings: Callable[..., Settings], calls: list[Any]) -> None:
    settings = make_settings()
    timeout_s = 1.0
    client = Client(settings, app=create_client_app(settings, timeout_s))
    broker = connect(settings.celery_broker)

    # When 20 submissions go out one after the other
    sec, usec = time_command(broker)
    first_ms = int(sec) * 1000 + int(usec) // 1000
    for i in range(20):
        client.submit_text(f"{TEXT} Item {i}.", name=f"n{i}")
    sec, usec = time_command(broker)
    last_ms = int(sec) * 1000 + int(usec) // 1000

    # Then the broker's clock was asked once (was: once per submission)
    assert len(calls) == 1
    # and each message carries a deadline half the timeout after its send, by the broker's
    # clock (within what the measurement can err: early, never late)
    deadlines = [json.loads(raw)["headers"][DEADLINE_HEADER]
                 for key in queue_keys(settings, settings.ingest_queue)
                 for raw in broker.lrange(key, 0, -1)]
    assert len(deadlines) == 20
    half_ms = int(timeout_s * 500)
    assert all(first_ms + half_ms - 50 <= d <= last_ms + half_ms for d in deadlines), (
        first_ms, last_ms, deadlines)
    assert deadlines == sorted(deadlines, reverse=True)  # LPUSH: newest first


def test_a_stale_clock_offset_is_measured_again(
        make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
        calls: list[Any]) -> None:
    from worker.tasks import transport

    settings = make_settings()
    monkeypatch.setattr(transport, "CLOCK_CHECK_S", 0.05)
    client = Client(settings, app=create_client_app(settings, 1.0))
    client.submit_text(TEXT, name="a")
    time.sleep(0.1)
    client.submit_text(TEXT, name="b")
    assert len(calls) == 2
