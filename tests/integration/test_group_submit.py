"""The API's grouped submissions (worker.tasks.submitter) put on the broker what Celery's own
send path puts there: the same protocol-2 message, ledger entry and task-sent event; each
caller is answered from its own submission; one past its deadline lands nowhere."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
import warnings
from typing import Any

import pytest
import redis
from celery.utils.saferepr import saferepr

from tests.conftest import wait_until
from tests.support.ledger import ledger_for
from worker.api.app import create_app
from worker.ops.client import Client
from worker.redisconn import connect
from worker.settings import Settings
from worker.tasks import names
from worker.tasks.app import create_client_app
from worker.tasks.broker import DEADLINE_HEADER, queue_keys
from worker.tasks.submitter import REPR_MAX, GroupSubmitter, task_repr

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

TOKEN = "g" * 40
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TEXT = "Harbour ferry timetable changes\n\nThe morning ferry leaves twenty minutes later."
# Different for every message, whoever builds it.
PER_MESSAGE = {"id", "root_id", DEADLINE_HEADER, "correlation_id", "delivery_tag", "reply_to"}


def queued(settings: Settings) -> list[dict[str, Any]]:
    """The ingest queue's messages, oldest first."""
    raw = connect(settings.celery_broker).lrange(queue_keys(settings, settings.ingest_queue)[0],
                                                 0, -1)
    return [json.loads(m) for m in reversed(raw)]


def shape(message: dict[str, Any]) -> dict[str, Any]:
    """A message with its per-message values blanked and its body decoded."""
    out = {k: v for k, v in message.items() if k not in ("headers", "properties", "body")}
    out["headers"] = {k: ("*" if k in PER_MESSAGE else v) for k, v in message["headers"].items()}
    out["properties"] = {k: ("*" if k in PER_MESSAGE else v)
                         for k, v in message["properties"].items()}
    out["body"] = json.loads(base64.b64decode(message["body"]))
    return out


def test_the_api_queues_what_celery_would(settings: Settings) -> None:
    s = settings.model_copy(update={"api_token": TOKEN})
    http = TestClient(create_app(s))
    # Given one submission through the API and the same one through Celery's send_task
    answer = http.post("/v1/ingest/text", headers=AUTH, json={"text": TEXT, "name": "ferry"})
    assert answer.status_code == 202, answer.text
    api_id = answer.json()["task_id"]
    celery_id = Client(s, app=create_client_app(s, 2.0)).submit_text(TEXT, name="ferry").id
    # Then both messages have the same shape and body, each with its own id and deadline
    ours, celerys = queued(s)
    assert ours["headers"]["id"] == ours["headers"]["root_id"] == api_id
    assert ours["properties"]["correlation_id"] == api_id
    assert shape(ours) == shape(celerys)
    assert ours["headers"][DEADLINE_HEADER] > 0
    # and the same ledger entry
    ledger = ledger_for(s)
    bodies = ledger.redis.hmget(ledger.keys.journal("msg"), [api_id, celery_id])
    assert bodies[0] == bodies[1] and bodies[0] is not None
    assert ledger.sent_before(s.ingest_queue, 2**62)[0].task_id == api_id


def test_the_api_sends_a_task_sent_event(settings: Settings) -> None:
    s = settings.model_copy(update={"api_token": TOKEN})
    http = TestClient(create_app(s))
    app = create_client_app(s, 2.0)
    sent: list[dict[str, Any]] = []
    ids: set[str] = set()
    with app.connection_for_read() as conn:
        # Every task-sent event is kept and matched afterwards: its event can arrive before the
        # POST that caused it has returned its task id.
        receiver = app.events.Receiver(conn, handlers={"task-sent": sent.append})
        listening = threading.Thread(
            target=lambda: receiver.capture(limit=None, timeout=None, wakeup=False), daemon=True)
        listening.start()
        try:
            def one_sent() -> bool:
                # pub/sub: one sent before the receiver subscribed is not seen; send again
                r = http.post("/v1/ingest/text", headers=AUTH, json={"text": TEXT})
                ids.add(r.json()["task_id"])
                return any(ev["uuid"] in ids for ev in list(sent))
            wait_until(one_sent, timeout=30, interval=0.2, message="a task-sent event")
        finally:
            receiver.should_stop = True
            listening.join(timeout=10)
    event = next(ev for ev in list(sent) if ev["uuid"] in ids)
    assert event["name"] == names.INGEST_TEXT and event["queue"] == s.ingest_queue
    assert event["routing_key"] == s.ingest_queue and event["retries"] == 0
    assert event["args"].startswith("['Harbour ferry")


def test_concurrent_submissions_are_each_answered_with_their_own_id(settings: Settings) -> None:
    app = create_client_app(settings, 2.0)
    grouped = GroupSubmitter.for_app(app, 2.0)
    assert grouped is not None

    async def many() -> list[str]:
        return await asyncio.gather(*(grouped.send(names.INGEST_TEXT, [f"{TEXT} {i}"],
                                                   {"name": f"n{i}", "url": None},
                                                   settings.ingest_queue)
                                      for i in range(50)))

    ids = asyncio.run(many())
    assert len(set(ids)) == 50
    by_id = {m["headers"]["id"]: json.loads(base64.b64decode(m["body"]))[1]["name"]
             for m in queued(settings)}
    assert [by_id[i] for i in ids] == [f"n{i}" for i in range(50)]


def test_a_submission_past_its_deadline_lands_nowhere(settings: Settings) -> None:
    app = create_client_app(settings, 2.0)
    grouped = GroupSubmitter.for_app(app, 2.0)
    assert grouped is not None
    # The broker's clock as this process sees it is 10 s behind: every deadline is past.
    sec, usec = connect(settings.celery_broker).time()
    grouped.clock_measured_at_s = time.monotonic()
    grouped.clock_offset_ms = (int(sec) * 1000 + int(usec) // 1000
                               - grouped.clock_measured_at_s * 1000 - 10_000)

    async def one() -> str:
        return await grouped.send(names.INGEST_TEXT, [TEXT], {"name": "x", "url": None},
                                  settings.ingest_queue)

    with pytest.raises(redis.TimeoutError):
        asyncio.run(one())
    assert queued(settings) == []
    ledger = ledger_for(settings)
    assert ledger.pending() == 0
    # and its submitter marked it abandoned, as every refused submission is
    wait_until(lambda: list(ledger.redis.scan_iter(ledger.abandoned_key("*"))), timeout=5,
               interval=0.05, message="an abandon mark")


@pytest.mark.parametrize("kwargs", [
    {"name": "ferry", "url": None}, {"name": None, "url": "https://example.com/a?b=1&c=%20#x"},
    {"name": "it's", "url": None}, {"name": 'say "hi"', "url": None}, {"name": "é\n\\"},
    {"name": "a" * 300, "url": "https://example.com/" + "b" * 900}, {"n": 1}, {}])
def test_the_kwargs_repr_is_celerys(kwargs: dict[str, Any]) -> None:
    assert task_repr(kwargs) == saferepr(kwargs, REPR_MAX)


def test_a_caller_that_left_does_not_cost_the_others_their_answer(settings: Settings) -> None:
    app = create_client_app(settings, 2.0)
    grouped = GroupSubmitter.for_app(app, 2.0)
    assert grouped is not None

    async def three() -> list[Any]:
        sends = [asyncio.ensure_future(grouped.send(names.INGEST_TEXT, [f"{TEXT} {i}"],
                                                    {"name": f"n{i}", "url": None},
                                                    settings.ingest_queue)) for i in range(3)]
        await asyncio.sleep(0)  # all three queued, none committed yet
        sends[1].cancel()
        return await asyncio.gather(*sends, return_exceptions=True)

    first, gone, last = asyncio.run(three())
    assert isinstance(gone, asyncio.CancelledError)
    assert isinstance(first, str) and isinstance(last, str)
    assert len(queued(settings)) == 3  # the one whose caller left was queued all the same


def test_the_submit_link_keeps_its_idle_connection_probed(settings: Settings) -> None:
    # A peer gone without a FIN is found while the link is idle, not by the next group's timeout
    import socket

    from worker.tasks.redislink import KEEPALIVE_IDLE_S, open_link

    async def probe() -> tuple[int, int]:
        link = await open_link(settings.celery_broker, 2.0)
        try:
            assert link.transport is not None
            sock = link.transport.get_extra_info("socket")
            assert await link.call("PING", timeout_s=2.0) == b"PONG"
            return (sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
                    sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE))
        finally:
            link.close()

    on, idle = asyncio.run(probe())
    assert on and idle == KEEPALIVE_IDLE_S
