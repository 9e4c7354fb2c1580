"""Handler registry and the built-in handlers (archive, catalog, webhook) on real Redis."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import orjson
import pytest
from standardwebhooks.webhooks import WebhookVerificationError

from tests.handlers_for_tests import make_article
from worker.consumers.builtin.archive import ArchiveHandler, iter_archive
from worker.consumers.builtin.catalog import Catalog
from worker.consumers.builtin.webhook import WebhookHandler, standard_webhook, verify
from worker.consumers.consumer import Consumer
from worker.consumers.handler import CallableHandler, HandlerContext, resolve
from worker.consumers.replay import dlq_list
from worker.errors import ConfigError, HandlerError, PermanentHandlerError
from worker.events.models import ArticleIngested, ArticleRevised, article_event
from worker.settings import Settings
from worker.store.eventstore import EventStore


def ctx(settings: Settings, store: EventStore, group: str = "g") -> HandlerContext:
    return HandlerContext(settings, store.keys, store.redis, group)


def event(i: int, version: int = 1, rev: int = 0, **kw: Any) -> ArticleIngested | ArticleRevised:
    return article_event(make_article(i, rev=rev, **kw), version=version, correlation_id=None)


# --- registry ------------------------------------------------------------------------------------
def test_resolve_builtin_configured_and_dotted(make_settings: Callable[..., Settings],
                                               store: EventStore) -> None:
    settings = make_settings(handlers={"mine": "tests.handlers_for_tests:Record"})
    c = ctx(settings, store)
    assert resolve("log", c).event_types is None
    assert resolve("catalog", c).event_types == frozenset({"article.ingested", "article.revised"})
    assert type(resolve("mine", c).fn).__name__ == "Record"
    spec = resolve("tests.handlers_for_tests.revisions_only", c)
    assert spec.wants("article.revised") and not spec.wants("article.ingested")
    with pytest.raises(ConfigError):
        resolve("no.such.module:thing", c)


def test_consumer_skips_types_the_handler_does_not_take(settings: Settings,
                                                        store: EventStore) -> None:
    store.append_many([make_article(1), make_article(2)])
    store.append_many([make_article(1, rev=1)])
    seen: list[str] = []

    def handler(ev: Any) -> None:
        seen.append(ev.type)

    spec = CallableHandler("x", handler, frozenset({"article.revised"}))
    stats = Consumer(store.redis, store.keys, "g", spec, settings).run(until_idle=True)
    assert seen == ["article.revised"]
    assert (stats.handled, stats.skipped) == (1, 2)
    assert store.redis.xpending(store.keys.events, "g")["pending"] == 0


# --- archive -------------------------------------------------------------------------------------
def test_archive_writes_each_event_once_per_day_file(settings: Settings,
                                                     store: EventStore) -> None:
    a, b = ArchiveHandler(ctx(settings, store)), ArchiveHandler(ctx(settings, store))
    e1 = event(1)
    e2 = event(2).model_copy(update={"occurred_at": datetime(2024, 3, 2, 23, 59, tzinfo=UTC)})
    a(e1)
    a(e1)  # redelivery in the same process
    b(e1)  # another process that never saw it
    b(e2)
    a(e2)
    days = sorted(p.name for p in settings.archive_path.glob("*.jsonl"))
    assert days == sorted({"2024-03-02.jsonl", f"{e1.occurred_at.date().isoformat()}.jsonl"})
    ids = [row["event_id"] for row in iter_archive(settings.archive_path)]
    assert sorted(ids) == sorted([e1.event_id, e2.event_id])
    assert (a.written, a.duplicates, b.written, b.duplicates) == (1, 2, 1, 1)


def test_archive_repairs_a_torn_last_line(settings: Settings, store: EventStore) -> None:
    # Given a writer killed in the middle of a line
    a = ArchiveHandler(ctx(settings, store))
    e1, e2 = event(1), event(2)
    a(e1)
    path = next(settings.archive_path.glob("*.jsonl"))
    with path.open("ab") as fh:
        fh.write(orjson.dumps(e2.model_dump(mode="json"))[:40])
    # When a fresh process archives the interrupted event (its redelivery)
    ArchiveHandler(ctx(settings, store))(e2)
    # Then the torn bytes are gone and both events are there, once, parseable
    lines = path.read_bytes().splitlines()
    assert [orjson.loads(x)["event_id"] for x in lines] == [e1.event_id, e2.event_id]


# --- catalog -------------------------------------------------------------------------------------
def test_catalog_keeps_the_newest_version_whatever_the_order(settings: Settings,
                                                             store: EventStore) -> None:
    cat = Catalog(store.redis, store.keys)
    v1, v2 = event(1), event(1, version=2, rev=1, site="Other Site")
    assert cat.apply(v2) is True
    assert cat.apply(v1) is False  # older, late: ignored
    assert cat.apply(v2) is False  # duplicate
    doc = cat.get(v1.article_id or "")
    assert doc is not None and doc["version"] == 2 and doc["site_name"] == "Other Site"
    # Given the same events in order, the state is the same
    other = make_settings_like(settings)
    cat2 = Catalog(store.redis, other)
    cat2.apply(v1)
    cat2.apply(v2)
    assert cat.state_hash() == cat2.state_hash()
    store.redis.delete(*cat2.all_keys())
    # The old site index no longer lists the article
    assert cat.latest(source="Example News") == []
    assert [d["article_id"] for d in cat.latest(source="Other Site")] == [v1.article_id]


def make_settings_like(settings: Settings) -> Any:
    from worker.store.keys import Keys

    return Keys(settings.key_prefix + "x")


def test_catalog_queries(settings: Settings, store: EventStore) -> None:
    cat = Catalog(store.redis, store.keys)
    for i in range(1, 5):
        cat.apply(event(i, kind="feed" if i % 2 else "file", site=None if i == 4 else "S"))
    assert [d["title"] for d in cat.latest()] == ["Story 4", "Story 3", "Story 2", "Story 1"]
    assert [d["title"] for d in cat.latest(limit=2)] == ["Story 4", "Story 3"]
    assert [d["title"] for d in cat.latest(source="feed")] == ["Story 3", "Story 1"]
    assert [d["title"] for d in cat.latest(source="S")] == ["Story 3", "Story 2", "Story 1"]
    since = datetime(2024, 3, 4, tzinfo=UTC)
    assert [d["title"] for d in cat.latest(since=since)] == ["Story 4", "Story 3"]


# --- webhook -------------------------------------------------------------------------------------
class _Hook(BaseHTTPRequestHandler):
    script: ClassVar[list[int]] = []
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        status = type(self).script.pop(0) if type(self).script else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hook() -> Iterator[tuple[str, type[_Hook]]]:
    handler = type("Hook", (_Hook,), {"script": [], "received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", handler
    server.shutdown()
    server.server_close()


def test_webhook_signs_and_retries_5xx(make_settings: Callable[..., Settings], store: EventStore,
                                       hook: tuple[str, type[_Hook]]) -> None:
    url, srv = hook
    settings = make_settings(webhook_url=url, webhook_secret="s3cret", webhook_backoff_s=0.01)
    wh = WebhookHandler(ctx(settings, store))
    srv.script[:] = [503, 500]
    ev = event(1)
    wh(ev)  # third attempt succeeds
    assert len(srv.received) == 3
    headers, body = srv.received[-1]
    assert verify(body, "s3cret", headers["X-Newsworker-Signature"])
    assert not verify(body, "other", headers["X-Newsworker-Signature"])
    # Standard Webhooks: the library's own verifier accepts it, another secret does not
    standard = {k.lower(): v for k, v in headers.items() if k.lower().startswith("webhook-")}
    assert standard["webhook-id"] == ev.event_id
    assert standard_webhook("s3cret").verify(body.decode(), standard) == orjson.loads(body)
    with pytest.raises(WebhookVerificationError):
        standard_webhook("other").verify(body.decode(), standard)
    assert headers["X-Newsworker-Event-Id"] == ev.event_id
    assert headers["X-Newsworker-Event-Type"] == "article.ingested"
    assert orjson.loads(body)["event_id"] == ev.event_id
    srv.script[:] = [500, 500, 500]
    with pytest.raises(HandlerError) as info:
        wh(ev)
    assert not isinstance(info.value, PermanentHandlerError)
    wh.close()


def test_webhook_4xx_is_dead_lettered_at_once(make_settings: Callable[..., Settings],
                                              hook: tuple[str, type[_Hook]]) -> None:
    url, srv = hook
    settings = make_settings(webhook_url=url, webhook_secret="k", max_deliveries=5)
    st = EventStore.from_settings(settings)
    st.append_many([make_article(1)])
    srv.script[:] = [422]
    spec = resolve("webhook", ctx(settings, st, "hooks"))
    stats = Consumer(st.redis, st.keys, "hooks", spec, settings).run(until_idle=True)
    assert (stats.dead_lettered, len(srv.received)) == (1, 1)
    (letter,) = dlq_list(st.redis, st.keys)
    assert letter.deliveries == 1 and "422" in letter.error and letter.group == "hooks"
    assert st.redis.xpending(st.keys.events, "hooks")["pending"] == 0


# --- batches -------------------------------------------------------------------------------------
def test_archive_batch_is_exactly_once_after_a_crash_between_write_and_ack(
        settings: Settings, store: EventStore) -> None:
    # Given a batch written by one process that died before acking, the next event's line torn
    a = ArchiveHandler(ctx(settings, store))
    e1, e2, e3, e4 = event(1), event(2), event(3), event(4)
    a.handle_batch([e1, e2])
    path = next(settings.archive_path.glob("*.jsonl"))
    with path.open("ab") as fh:
        fh.write(orjson.dumps(e3.model_dump(mode="json"))[:40])
    # When another process gets the whole batch redelivered, plus a new event, with a repeat
    b = ArchiveHandler(ctx(settings, store))
    b.handle_batch([e1, e2, e3, e3, e4])
    # Then every id is there once, in order, parseable; only the new ones were written
    lines = path.read_bytes().splitlines()
    assert [orjson.loads(x)["event_id"] for x in lines] == [e.event_id for e in (e1, e2, e3, e4)]
    assert (b.written, b.duplicates) == (2, 3)


class BatchFailsOnBad:
    """Archives by batch; a batch holding the event titled "Story 3" fails as a whole."""

    idempotent = True

    def __init__(self, c: HandlerContext) -> None:
        self.archive = ArchiveHandler(c)
        self.batches = 0

    def handle_batch(self, events: list[Any]) -> None:
        self.batches += 1
        if any(e.data.title == "Story 3" for e in events):
            raise HandlerError("batch refused")
        self.archive.handle_batch(events)

    def __call__(self, ev: Any) -> None:
        if ev.data.title == "Story 3":
            raise PermanentHandlerError("cannot archive this one")
        self.archive(ev)


def test_consumer_uses_handle_batch_and_isolates_a_failing_event(settings: Settings,
                                                                  store: EventStore) -> None:
    # Given 5 events, one of which fails its batch
    store.append_many([make_article(i) for i in range(1, 6)])
    handler = BatchFailsOnBad(ctx(settings, store))
    spec = CallableHandler("x", handler, idempotent=True, batch=handler.handle_batch)
    # When one consumer batch takes them all
    stats = Consumer(store.redis, store.keys, "g", spec, settings, batch=10).run(until_idle=True)
    # Then the batch call failed, the others were archived one by one, the culprit parked
    assert handler.batches == 1
    assert (stats.handled, stats.dead_lettered) == (4, 1)
    archived = [row["data"]["title"] for row in iter_archive(settings.archive_path)]
    assert sorted(archived) == ["Story 1", "Story 2", "Story 4", "Story 5"]
    assert store.redis.xpending(store.keys.events, "g")["pending"] == 0
    assert len(dlq_list(store.redis, store.keys)) == 1


def test_resolve_finds_handle_batch(settings: Settings, store: EventStore) -> None:
    spec = resolve("archive", ctx(settings, store))
    assert spec.batched and spec.idempotent
    assert not resolve("noop", ctx(settings, store)).batched
