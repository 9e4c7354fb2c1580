"""Feed polling against a real local HTTP server and a real Redis."""

from __future__ import annotations

import time
from collections.abc import Callable
from email.utils import formatdate
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.feedserver import FeedServer, Route, feed_server, gzip_bomb, rss
from worker.feeds.poll import RESERVE_HOST_SLOT, poll, queue_due
from worker.feeds.schedule import feed_id_for
from worker.settings import Settings
from worker.store.eventstore import EventStore

__all__ = ["feed_server"]

FIX = FIXTURES / "feeds"


# --- polling (real Redis, real HTTP) ------------------------------------------------------

@pytest.fixture
def ps(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(fetch_deadline_s=1.5, max_body_bytes=1024 * 1024,
                         feed_backoff_base_s=10.0, feed_max_errors=3)


@pytest.fixture
def st(ps: Settings) -> EventStore:
    return EventStore.from_settings(ps)


def state(st: EventStore, url: str) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in
            st.redis.hgetall(st.keys.feed(feed_id_for(url))).items()}


ITEMS = [("a", "Alpha", "<p>Alpha body.</p>"), ("b", "Beta", "<p>Beta body.</p>"),
         ("c", "Gamma", "<p>Gamma body.</p>")]


def test_poll_appends_then_304_then_revision(feed_server: FeedServer, ps: Settings,
                                             st: EventStore) -> None:
    # Given a feed with validators
    feed_server.routes["/f.xml"] = Route(rss(ITEMS).encode(), etag='"1"',
                                         last_modified="Wed, 21 Oct 2015 07:28:00 GMT")
    url = feed_server.url("/f.xml")
    # When polled: three article.ingested events in one go
    r1 = poll(url, ps, st)
    assert (r1["status"], r1["entries"], r1["appended"], r1["ingested"]) == ("ok", 3, 3, 3)
    assert [e.type for _, e in st.read()] == ["article.ingested"] * 3
    s = state(st, url)
    assert (s["etag"], s["last_result"], s["error_count"], s["entries_seen"]) == (
        '"1"', "ok", "0", "3")
    # When polled again (forced past its interval): validators sent, 304, nothing appended
    r2 = poll(url, ps, st, options={"force": True})
    assert r2["status"] == "not_modified" and st.length() == 3
    assert feed_server.seen("/f.xml")[-1].headers["if-none-match"] == '"1"'
    # and both polls are counted by result (newsworker_feed_polls_total reads these)
    counters = st.redis.hgetall(st.keys.counters)
    assert (counters[b"feed_polls:ok"], counters[b"feed_polls:not_modified"]) == (b"1", b"1")
    # When one entry's content changes: exactly one article.revised v2
    edited = [ITEMS[0], ("b", "Beta", "<p>Beta body, corrected.</p>"), ITEMS[2]]
    feed_server.routes["/f.xml"] = Route(rss(edited).encode(), etag='"2"')
    r3 = poll(url, ps, st, options={"force": True})
    assert (r3["appended"], r3["revised"], r3["unchanged"]) == (1, 1, 2)
    events = [e for _, e in st.read()]
    assert [(e.type, e.version) for e in events[3:]] == [("article.revised", 2)]
    assert events[3].data.body == ("Beta body, corrected.",)  # type: ignore[union-attr]
    assert state(st, url)["events_appended"] == "4"
    # Not due yet without force
    assert poll(url, ps, st)["status"] == "skipped_not_due"


def test_same_bytes_under_a_new_etag_are_not_parsed_again(feed_server: FeedServer,
                                                         ps: Settings, st: EventStore,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a server whose ETag changes on every response while the feed does not
    feed_server.routes["/churn.xml"] = Route(rss(ITEMS).encode(), etag='"a"')
    url = feed_server.url("/churn.xml")
    assert poll(url, ps, st)["appended"] == 3
    feed_server.routes["/churn.xml"] = Route(rss(ITEMS).encode(), etag='"b"')
    # When polled again: a 200 with the same bytes is the 304 the server did not send
    import worker.feeds.poll as poll_module

    def no_parse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an unchanged body was parsed again")

    with monkeypatch.context() as m:
        m.setattr(poll_module, "open_feed", no_parse)
        r = poll(url, ps, st, options={"force": True})
    assert (r["status"], r["entries"], r["same_body"]) == ("not_modified", 0, True)
    s = state(st, url)
    assert (s["etag"], s["last_result"], s["entries_seen"]) == ('"b"', "not_modified", "3")
    assert feed_server.seen("/churn.xml")[-1].headers["if-none-match"] == '"a"'
    # And when the bytes change (here only the charset the server declares), it is parsed
    feed_server.routes["/churn.xml"] = Route(rss(ITEMS).encode(), etag='"c"', headers={
        "Content-Type": "application/rss+xml; charset=utf-8"})
    r = poll(url, ps, st, options={"force": True})
    assert (r["status"], r["entries"], r["unchanged"]) == ("ok", 3, 3)
    assert st.length() == 3
    # And the same bytes again under other feed options (its tags): parsed again too
    feed_server.routes["/churn.xml"].etag = '"d"'
    r = poll(url, ps, st, options={"force": True, "tags": ["world"]})
    assert (r["status"], r["entries"]) == ("ok", 3)


def test_failures_back_off_park_and_unpark(feed_server: FeedServer, ps: Settings,
                                           st: EventStore) -> None:
    feed_server.routes["/busy"] = Route(status=429, headers={"Retry-After": "3600"})
    url = feed_server.url("/busy")
    before = time.time()
    r = poll(url, ps, st)
    assert (r["status"], r["http_status"], r["retry_after_s"]) == ("failed", 429, 3600)
    s = state(st, url)
    assert s["error_count"] == "1" and float(s["next_due_at"]) >= before + 3600
    (_, failure), = st.read_failures()
    assert failure.type == "ingestion.failed" and failure.source.location == url
    assert failure.data.reason == "HTTP 429 Too Many Requests"  # type: ignore[union-attr]
    # Back-off without Retry-After grows exponentially; after 3 failures the feed is parked
    feed_server.routes["/busy"] = Route(status=500)
    r2 = poll(url, ps, st, options={"force": True})
    assert r2["next_poll_in_s"] == 20.0 and not r2["parked"]
    r3 = poll(url, ps, st, options={"force": True})
    assert r3["parked"] and state(st, url)["parked"] == "1"
    assert "3 failures in a row" in state(st, url)["parked_reason"]
    assert poll(url, ps, st)["status"] == "skipped_parked"
    # A forced (manual) poll that succeeds unparks it
    feed_server.routes["/busy"] = Route(rss(ITEMS).encode())
    assert poll(url, ps, st, options={"force": True})["status"] == "ok"
    s = state(st, url)
    assert (s["parked"], s["error_count"], s["last_result"]) == ("0", "0", "ok")
    assert len(st.read_failures()) == 3


def test_retry_after_http_date_sets_next_due(feed_server: FeedServer, ps: Settings,
                                             st: EventStore) -> None:
    feed_server.routes["/down"] = Route(status=503, headers={
        "Retry-After": formatdate(time.time() + 7200, usegmt=True)})
    r = poll(feed_server.url("/down"), ps, st)
    assert r["status"] == "failed" and 7100 < r["next_poll_in_s"] <= 7200


def test_301_updates_stored_url_302_does_not(feed_server: FeedServer, ps: Settings,
                                             st: EventStore) -> None:
    feed_server.routes["/new.xml"] = Route(rss(ITEMS).encode())
    feed_server.routes["/old.xml"] = Route(status=301, headers={"Location": "/new.xml"})
    feed_server.routes["/tmp.xml"] = Route(status=302, headers={"Location": "/new.xml"})
    old, tmp = feed_server.url("/old.xml"), feed_server.url("/tmp.xml")
    assert poll(old, ps, st)["status"] == "ok"
    assert state(st, old)["url"] == feed_server.url("/new.xml")
    poll(old, ps, st, options={"force": True})  # goes straight to the new URL
    assert len(feed_server.seen("/old.xml")) == 1
    assert poll(tmp, ps, st)["status"] == "ok" and state(st, tmp)["url"] == tmp
    assert st.length() == 3  # the same entries via three URLs: appended once


@pytest.mark.parametrize(("route", "reason"), [
    (Route(rss(ITEMS).encode(), drip_s=0.05), "deadline exceeded"),
    (Route(gzip_bomb(), headers={"Content-Encoding": "gzip"}), "after decompression"),
    (Route(b"x" * (2 * 1024 * 1024)), "byte cap"),
    (Route(b"<?xml version='1.0'?><rss><channel><<<"), "malformed feed"),
    (Route(status=302, headers={"Location": "/bad"}), "redirect loop"),
])
def test_bad_feeds_fail_with_reason(feed_server: FeedServer, ps: Settings, st: EventStore,
                                    route: Route, reason: str) -> None:
    feed_server.routes["/bad"] = route
    r = poll(feed_server.url("/bad"), ps, st)
    assert r["status"] == "failed" and reason in r["reason"]
    (_, failure), = st.read_failures()
    assert reason in failure.data.reason  # type: ignore[union-attr]
    assert st.length() == 0


def test_encodings_duplicates_and_filters_over_http(feed_server: FeedServer, ps: Settings,
                                                    st: EventStore) -> None:
    lying = (FIX / "declared_latin1_is_utf8.xml").read_bytes()
    feed_server.routes["/enc"] = Route(lying, headers={
        "Content-Type": "application/rss+xml; charset=ISO-8859-1"})
    assert poll(feed_server.url("/enc"), ps, st)["appended"] == 1
    (_, ev), = st.read()
    assert ev.data.title == "Café crème à Zürich"  # type: ignore[union-attr]
    feed_server.routes["/dup"] = Route((FIX / "duplicate_guids.xml").read_bytes())
    r = poll(feed_server.url("/dup"), ps, st)
    assert (r["appended"], r["duplicates"]) == (2, 2)
    feed_server.routes["/filt"] = Route(rss(ITEMS).encode())
    r = poll(feed_server.url("/filt"), ps, st,
             options={"keep": ["alpha|beta"], "block": ["^Beta"], "tags": ["mine"]})
    assert (r["appended"], r["filtered"]) == (1, 2)
    last = st.read()[-1][1]
    assert last.data.title == "Alpha" and last.data.tags == ("mine",)  # type: ignore[union-attr]


def test_local_path_and_lock(ps: Settings, st: EventStore) -> None:
    path = str(FIX / "rss2.xml")
    # Given another poll holds the feed's lock (its SET NX PX token), a poll is skipped
    lock = st.keys.feed_lock(feed_id_for(path))
    assert st.redis.set(lock, "another-poll", nx=True, px=10_000)
    assert poll(path, ps, st)["status"] == "skipped_locked"
    assert st.redis.get(lock) == b"another-poll"  # not released by the poll that skipped
    st.redis.delete(lock)
    r = poll(path, ps, st)
    assert (r["status"], r["appended"]) == ("ok", 3)
    assert poll("file:///etc/passwd", ps, st)["status"] == "failed"


def test_queue_due_respects_schedule(tmp_path: Path, feed_server: FeedServer,
                                     make_settings: Callable[..., Settings]) -> None:
    f = tmp_path / "feeds.toml"
    urls = [feed_server.url(f"/s{i}") for i in range(3)]
    f.write_text("".join(f'[[feed]]\nurl = "{u}"\ninterval_s = 300\n' for u in urls))
    s = make_settings(feeds_file=f)
    st = EventStore.from_settings(s)
    st.redis.hset(st.keys.feed(feed_id_for(urls[1])), "parked", 1)
    sent: list[tuple[str, dict[str, Any]]] = []
    first = queue_due(s, st, lambda u, o: sent.append((u, o)))
    assert first["queued"] == 2 and [u for u, _ in sent] == [urls[0], urls[2]]
    assert sent[0][1]["interval_s"] == 300
    # The next beat tick finds nothing due (slots claimed)
    assert queue_due(s, st, lambda u, o: sent.append((u, o)))["queued"] == 0


def test_scheduled_poll_is_not_refused_as_not_due(tmp_path: Path, feed_server: FeedServer,
                                                  make_settings: Callable[..., Settings]) -> None:
    # Given a scheduled feed that beat has just queued (its slot claimed),
    feed_server.routes["/sched.xml"] = Route(rss(ITEMS).encode(), etag='"s"')
    url = feed_server.url("/sched.xml")
    f = tmp_path / "feeds.toml"
    f.write_text(f'[[feed]]\nurl = "{url}"\ninterval_s = 300\n')
    s = make_settings(feeds_file=f)
    st = EventStore.from_settings(s)
    sent: list[tuple[str, dict[str, Any]]] = []
    assert queue_due(s, st, lambda u, o: sent.append((u, o)))["queued"] == 1
    # when the queued poll runs, then it fetches and appends (not "skipped_not_due"),
    [(u, opts)] = sent
    result = poll(u, s, st, options=opts)
    assert (result["status"], result["appended"]) == ("ok", 3)
    # while an unscheduled, unforced poll before the next slot is still refused.
    assert poll(url, s, st)["status"] == "skipped_not_due"


def test_host_rate_reservation(st: EventStore) -> None:
    key = st.keys.host_rate("example.com")
    waits = [int(st.redis.eval(RESERVE_HOST_SLOT, 1, key, 1000)) for _ in range(3)]
    assert waits[0] == 0 and 900 <= waits[1] <= 1000 and 1900 <= waits[2] <= 2000
