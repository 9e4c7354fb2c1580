"""``append`` (EventStore.append_many vs raw pipelined XADD) and ``consume`` (Consumer with the
noop handler vs a raw XREADGROUP + XACK loop). In-process, against the bench Redis.
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks.data import paragraphs_for
from benchmarks.harness import Bench, Row, row
from worker.events.codec import encode
from worker.events.models import Article, Source, article_event, content_hash
from worker.store.eventstore import EventStore
from worker.store.keys import Keys

BATCH = 500


def make_articles(n: int, start: int = 0) -> list[Article]:
    """``n`` distinct ~3 KB articles, built directly (normalisation is measured elsewhere)."""
    out = []
    for i in range(start, start + n):
        title, paras, _ = paragraphs_for(i)
        body = tuple(paras)
        out.append(Article(title=title, body=body, source=Source(kind="file", location=f"/b/{i}"),
                           url=f"https://news.example.com/a/{i}", lede=paras[0],
                           word_count=sum(len(p.split()) for p in paras),
                           content_hash=content_hash(title, body), normaliser_version="bench"))
    return out


def _store_run(b: Bench, articles: list[Article]) -> float:
    st = EventStore(b.client, Keys(b.settings().key_prefix))
    st.append_many(articles[:10])  # load the script, warm up
    t = time.perf_counter()
    for i in range(10, len(articles), BATCH):
        st.append_many(articles[i:i + BATCH])
    return time.perf_counter() - t


def _xadd_run(b: Bench, payloads: list[dict[str, bytes]]) -> float:
    stream = Keys(b.settings().key_prefix).events
    t = time.perf_counter()
    for i in range(10, len(payloads), BATCH):
        pipe = b.client.pipeline(transaction=False)
        for fields in payloads[i:i + BATCH]:
            pipe.xadd(stream, fields)  # type: ignore[arg-type]
        pipe.execute()
    return time.perf_counter() - t


def bench_append(b: Bench) -> list[Row]:
    n = b.n(20_000, minimum=60)
    articles = make_articles(n)
    # The baseline gets the exact bytes the store would write (encoded up front: raw XADD
    # is the floor, and its payload encoding is part of what append_many pays for).
    payloads = [encode(article_event(a, version=1, correlation_id="bench")) for a in articles]
    store_s = xadd_s = 0.0
    for _ in range(2):  # alternate, so drift on a noisy machine hits both sides
        store_s += _store_run(b, articles)
        xadd_s += _xadd_run(b, payloads)
    count = 2 * (n - 10)
    value, base = count / store_s, count / xadd_s
    return [row("append", value, "events/s", base, "ratio >= 0.8", events=n,
                batch=BATCH, payload_bytes=int(sum(len(p["body"]) for p in payloads) / n))]


def _fill(b: Bench, n: int) -> tuple[Any, EventStore]:
    s = b.settings()
    st = EventStore(b.client, Keys(s.key_prefix))
    arts = make_articles(n, start=1_000_000)
    for i in range(0, n, BATCH):
        st.append_many(arts[i:i + BATCH])
    return s, st


def consumer_run(b: Bench, s: Any, st: EventStore, group: str, handler: str = "noop") -> float:
    """Seconds for an in-process Consumer running ``handler`` through the whole stream."""
    from worker.consumers.consumer import Consumer
    from worker.consumers.handler import HandlerContext, resolve

    spec = resolve(handler, HandlerContext(s, st.keys, b.client, group))
    c = Consumer(b.client, st.keys, group, spec, s, consumer="bench", batch=100)
    t = time.perf_counter()
    stats = c.run(until_idle=True)
    took = time.perf_counter() - t
    assert stats.handled == st.length(), (stats, st.length())
    return took


def _raw_run(b: Bench, st: EventStore, group: str) -> float:
    stream = st.keys.events
    b.client.xgroup_create(stream, group, id="0")
    t = time.perf_counter()
    while True:
        reply = b.client.xreadgroup(group, "raw", {stream: ">"}, count=100)
        entries = reply[0][1] if reply else []
        if not entries:
            break
        b.client.xack(stream, group, *[e[0] for e in entries])
    return time.perf_counter() - t


def bench_consume(b: Bench) -> list[Row]:
    n = b.n(20_000, minimum=50)
    s, st = _fill(b, n)
    cons_s = raw_s = 0.0
    for k in range(2):
        cons_s += consumer_run(b, s, st, f"noop{k}")
        raw_s += _raw_run(b, st, f"raw{k}")
    value, base = 2 * n / cons_s, 2 * n / raw_s
    return [row("consume", value, "events/s", base, "ratio >= 0.6", events=n, batch=100)]
