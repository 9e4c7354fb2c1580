"""``pg_project``: events/s through the ``postgres`` read-model handler (a real Consumer,
in-process, batch 100: one transaction per batch with upserts, versions and the tracking
row) against a raw ``executemany`` INSERT of the very same rows in batches of 100, one
transaction each, into a freshly migrated copy of the same tables (same indexes, same
generated full-text column) — the floor for writing these rows at all.

PostgreSQL: ``NEWSWORKER_BENCH_POSTGRES_DSN``, else 127.0.0.1:5432 database ``test``, else an
embedded server (``pgserver``) in the bench's temp dir. The bench works in two schemas of
its own and drops them afterwards.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import time
import uuid
import warnings
from collections.abc import Iterator
from typing import Any

from benchmarks.data import paragraphs_for
from benchmarks.harness import Bench, Row, row
from worker.events.models import Article, ArticleIngested, ArticleRevised, Source, content_hash
from worker.store.eventstore import EventStore
from worker.store.keys import Keys

BATCH = 100
LOCAL_DSNS = ("postgresql://postgres@127.0.0.1:5432/test",
              "postgresql://root@127.0.0.1:5432/test")


@contextlib.contextmanager
def postgres(b: Bench) -> Iterator[str]:
    from worker.pgstore.schema import answers

    explicit = os.environ.get("NEWSWORKER_BENCH_POSTGRES_DSN")
    local = explicit or next((d for d in LOCAL_DSNS if answers(d)), None)
    if local:
        yield local
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR
        server = importlib.import_module("pgserver").get_server(b.tmp / "pgdata",
                                                                cleanup_mode="delete")
    try:
        yield str(server.get_uri())
    finally:
        server.cleanup()


def bench_articles(n: int) -> list[Article]:
    out = []
    for i in range(n):
        title, paras, _ = paragraphs_for(i)
        body = tuple(paras)
        out.append(Article(title=title, body=body, source=Source(kind="file", location=f"/p/{i}"),
                           url=f"https://site{i % 7}.example/a/{i}", site_name=f"Site {i % 7}",
                           language="en" if i % 3 else None, word_count=len(" ".join(body).split()),
                           content_hash=content_hash(title, body), normaliser_version="bench"))
    return out


def _raw_insert(conn: Any, schema: str, entries: list[tuple[str, Any]]) -> float:
    from worker.pgstore.rows import (
        ARTICLE_COLUMNS,
        VERSION_COLUMNS,
        article_row,
        ts_configs,
        version_row,
    )
    from worker.pgstore.schema import migrate

    migrate(conn, schema)
    available = ts_configs(conn)
    cols_a, cols_v = ", ".join(ARTICLE_COLUMNS), ", ".join(VERSION_COLUMNS)
    marks_a = ", ".join("%s::regconfig" if c == "ts_config" else "%s" for c in ARTICLE_COLUMNS)
    marks_v = ", ".join(["%s"] * len(VERSION_COLUMNS))
    ins_a = f"INSERT INTO {schema}.articles ({cols_a}) VALUES ({marks_a})"
    ins_v = f"INSERT INTO {schema}.article_versions ({cols_v}) VALUES ({marks_v})"
    pairs = [(eid, ev) for eid, ev in entries if isinstance(ev, ArticleIngested | ArticleRevised)]
    t = time.perf_counter()
    for i in range(0, len(pairs), BATCH):
        chunk = pairs[i:i + BATCH]
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(ins_a, [article_row(e, ev, available) for e, ev in chunk])
            cur.executemany(ins_v, [version_row(e, ev) for e, ev in chunk])
    return time.perf_counter() - t


def bench_pg_project(b: Bench) -> list[Row]:
    from worker.consumers.consumer import Consumer
    from worker.consumers.handler import HandlerContext, resolve
    from worker.pgstore.schema import connect, drop_schema

    n = b.n(10_000, minimum=50)
    tag = uuid.uuid4().hex[:8]
    measured_schema = f"bench_pg_{tag}"
    raw_schemas = (f"bench_raw_{tag}", f"bench_raw2_{tag}")
    with postgres(b) as dsn, connect(dsn) as conn:
        try:
            s = b.settings(postgres_dsn=dsn, postgres_schema=measured_schema)
            st = EventStore(b.client, Keys(s.key_prefix))
            arts = bench_articles(n)
            for i in range(0, n, 500):
                st.append_many(arts[i:i + 500])
            entries = list(st.read())
            # Baseline before and after the measured pass (the table and its indexes cost
            # more as they grow warm in cache): the faster of the two is the floor.
            raw_s = _raw_insert(conn, raw_schemas[0], entries)
            spec = resolve("postgres", HandlerContext(s, st.keys, b.client, "pg"))
            c = Consumer(b.client, st.keys, "pg", spec, s, consumer="bench", batch=BATCH)
            t = time.perf_counter()
            stats = c.run(until_idle=True)
            took = time.perf_counter() - t
            assert stats.handled == n and stats.failed == 0, stats
            raw_s = min(raw_s, _raw_insert(conn, raw_schemas[1], entries))
        finally:
            for schema in (measured_schema, *raw_schemas):
                drop_schema(conn, schema)
    return [row("pg_project", n / took, "events/s", n / raw_s, "ratio >= 0.5", events=n,
                batch=BATCH)]
