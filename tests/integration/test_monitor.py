"""Monitoring against real Redis: figures that equal what Redis itself reports (`newsworker
status` as a healthcheck with real worker processes is in tests/e2e/test_monitor.py)."""

from __future__ import annotations

import pytest

from tests.support.articles import make_article
from worker.events.models import Source
from worker.ops import monitor
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import ensure_group


def test_group_figures_equal_what_redis_reports(settings: Settings, store: EventStore) -> None:
    # Given a group that read 3 of 8 events without acknowledging them
    client = store.redis
    keys = store.keys
    ensure_group(client, keys.events, "g1")
    ensure_group(client, keys.events, "idle")
    store.append_many([make_article(f"Body {i}.", location=f"/in/{i}.txt") for i in range(8)])
    client.xreadgroup("g1", "c1", {keys.events: ">"}, count=3)

    # When the monitor collects (without the worker broadcast)
    snap = monitor.collect(settings, client=client, include_workers=False).model_dump(mode="json")

    # Then lag / pending / oldest pending are XINFO GROUPS' and XPENDING's figures.
    groups = {g["name"]: g for g in snap["groups"]}
    info = {g["name"].decode(): g for g in client.xinfo_groups(keys.events)}
    pending = client.xpending(keys.events, "g1")
    assert groups["g1"]["pending"] == pending["pending"] == info["g1"]["pending"] == 3
    assert groups["g1"]["lag"] == 5 and groups["idle"]["lag"] == 8
    if info["g1"].get("lag") is not None:  # Redis >= 7 reports it itself
        assert groups["g1"]["lag"] == info["g1"]["lag"]
    assert groups["g1"]["oldest_pending_id"] == pending["min"].decode()
    assert groups["idle"]["pending"] == 0 and groups["idle"]["oldest_pending_id"] is None
    assert snap["stream"]["length"] == 8
    assert snap["stream"]["events_per_minute"] == pytest.approx(8 / 5)
    assert 0 <= snap["stream"]["newest_age_s"] < 60

    # And a lag above alert_max_lag is an alert.
    strict = settings.model_copy(update={"alert_max_lag": 4})
    kinds = [(a["kind"], a["subject"]) for a in monitor.collect(
        strict, client=client, include_workers=False).model_dump(mode="json")["alerts"]]
    assert kinds == [("lag", "idle"), ("lag", "g1")] or kinds == [("lag", "g1"), ("lag", "idle")]


def test_dead_letters_failures_counters_and_feeds(settings: Settings, store: EventStore) -> None:
    # Given a dead letter, a recorded failure and a feed's state hash
    client, keys = store.redis, store.keys
    client.xadd(keys.dead_letters, {"type": "article.ingested", "dlq_group": "g",
                                    "dlq_handler": "webhook", "dlq_error": "HTTP 410",
                                    "dlq_deliveries": "5", "dlq_entry_id": "1-0",
                                    "dlq_at": "1700000000000"})
    store.record_failure(Source(kind="file", location="/in/x.bin"), "binary file",
                         code="binary", correlation_id="c1")
    client.sadd(keys.feeds_index, "f1")
    client.hset(keys.feed("f1"), mapping={"url": "https://example.com/feed.xml",
                                          "last_poll_at": "1700000000.5", "last_result": "parked",
                                          "error_count": "10", "parked": "1",
                                          "parked_reason": "10 failures in a row",
                                          "last_error": "HTTP 500: " + "x" * 5000})
    client.hincrby(keys.counters, "feed_polls:ok", 3)

    snap = monitor.collect(settings, client=client, include_workers=False).model_dump(mode="json")

    assert snap["dead_letters"]["length"] == 1
    assert snap["dead_letters"]["recent"][0]["error"] == "HTTP 410"
    assert snap["failures"]["length"] == 1
    assert snap["failures"]["recent"][0] | {"entry_id": ""} == {
        "entry_id": "", "reason": "binary file", "code": "binary", "source": "/in/x.bin"}
    assert snap["counters"]["failures"] == {"binary": 1}
    assert snap["counters"]["feed_polls"] == {"ok": 3}
    [feed] = snap["feeds"]
    assert (feed["url"], feed["parked"], feed["error_count"], feed["last_poll_at"]) == \
        ("https://example.com/feed.xml", True, 10, 1700000000.5)
    # a long server error is cut for the snapshot, its start kept
    assert feed["last_error"].startswith("HTTP 500: xxx") and len(feed["last_error"]) == 300
    # alert_max_dlq is 0: one dead letter is an alert
    assert [a["kind"] for a in snap["alerts"]] == ["dlq"]
