"""The PostgreSQL read model against a real PostgreSQL and Redis: migrations, exactly-once
effect (rows and tracking position in one transaction), version order, rebuild, search."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from psycopg import sql

from tests.conftest import wait_until
from tests.handlers_for_tests import make_article
from tests.support.consume import cli, run_group, settled
from worker.api.app import create_app
from worker.consumers.builtin.postgres import rebuild
from worker.consumers.consumer import Consumer
from worker.consumers.handler import HandlerContext, resolve
from worker.consumers.replay import replay
from worker.errors import ReadModelError
from worker.events.models import AnyEvent, Article, Source, content_hash
from worker.pgstore.rows import apply_entries, state_hash, tracking_position
from worker.pgstore.schema import check_migrated, connect, drop_schema, migrate, migrations
from worker.pgstore.search import search
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import group_info

with warnings.catch_warnings():
    # Starlette >= 1.x nudges towards the httpx2 package; httpx still works for the test client.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration


def count(conn: psycopg.Connection[Any], schema: str, table: str) -> int:
    row = conn.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(
        sql.Identifier(schema), sql.Identifier(table))).fetchone()
    assert row is not None
    return int(row[0])


def versions(conn: psycopg.Connection[Any], schema: str) -> dict[str, int]:
    rows = conn.execute(sql.SQL("SELECT article_id, version FROM {}.articles").format(
        sql.Identifier(schema))).fetchall()
    return {str(a): int(v) for a, v in rows}


def entries(store: EventStore) -> list[tuple[str, AnyEvent]]:
    return list(store.read())


def last_delivered(store: EventStore, group: str) -> str:
    return group_info(store.redis, store.keys.events, group)[0].last_delivered_id


def text_article(i: int, body: Sequence[str], language: str | None) -> Article:
    return Article(title=f"Report {i}", body=tuple(body), url=f"https://lang.example/{i}",
                   source=Source(kind="text", location=f"t{i}"), language=language,
                   content_hash=content_hash(f"Report {i}", tuple(body)))


# --- migrations -----------------------------------------------------------------------------
def test_migrate_creates_the_tables_once_and_the_cli_says_so(
        pg_settings: Settings, pg_conn: psycopg.Connection[Any]) -> None:
    schema = pg_settings.postgres_schema
    with pytest.raises(ReadModelError, match="not migrated"):
        check_migrated(pg_conn, schema)
    first = cli(pg_settings, "db", "migrate")
    assert first.returncode == 0, first.stderr
    assert "applied 0001" in first.stdout
    again = cli(pg_settings, "db", "migrate")
    assert again.returncode == 0 and "already up to date" in again.stdout
    check_migrated(pg_conn, schema)
    assert migrate(pg_conn, schema) == []
    assert [m.version for m in migrations()] == sorted({m.version for m in migrations()})
    for table in ("articles", "article_versions", "tracking", "schema_migrations"):
        assert count(pg_conn, schema, table) >= 0


def test_commands_without_a_dsn_fail_with_one_line(settings: Settings) -> None:
    res = cli(settings, "search", "anything")
    assert res.returncode == 1
    assert "NEWSWORKER_POSTGRES_DSN" in res.stderr and "Traceback" not in res.stderr


def test_an_unreachable_server_is_a_named_error(settings: Settings) -> None:
    with pytest.raises(ReadModelError, match="cannot reach PostgreSQL"):
        connect("postgresql://nobody@127.0.0.1:1/none")


# --- exactly once ---------------------------------------------------------------------------
def test_the_same_batch_twice_has_the_effect_of_once(
        pg_settings: Settings, store: EventStore, pg_conn: psycopg.Connection[Any]) -> None:
    schema = pg_settings.postgres_schema
    migrate(pg_conn, schema)
    store.append_many([make_article(i) for i in range(5)])
    store.append_many([make_article(i, rev=1) for i in range(3)])
    batch = entries(store)
    assert apply_entries(pg_conn, schema, "g", batch) == 5
    state, position = state_hash(pg_conn, schema), tracking_position(pg_conn, schema, "g")
    # Redelivered whole, and each event alone (the consumer's one-by-one retry)
    assert apply_entries(pg_conn, schema, "g", batch) == 0
    for pair in batch:
        assert apply_entries(pg_conn, schema, "g", [pair]) == 0
    assert state_hash(pg_conn, schema) == state
    assert tracking_position(pg_conn, schema, "g") == position == batch[-1][0]
    assert count(pg_conn, schema, "articles") == 5
    assert count(pg_conn, schema, "article_versions") == 8


def test_an_older_version_never_overwrites_a_newer_one(
        pg_settings: Settings, store: EventStore, pg_conn: psycopg.Connection[Any]) -> None:
    schema = pg_settings.postgres_schema
    migrate(pg_conn, schema)
    for rev in range(3):
        store.append(make_article(7, rev=rev))
    [v1, v2, v3] = entries(store)
    apply_entries(pg_conn, schema, "g", [v3])
    apply_entries(pg_conn, schema, "g", [v1, v2])  # late, out of order
    row = pg_conn.execute(sql.SQL("SELECT version, body, entry_id FROM {}.articles").format(
        sql.Identifier(schema))).fetchone()
    assert row is not None and row[0] == 3 and "Revision 2" in row[1] and row[2] == v3[0]
    assert count(pg_conn, schema, "article_versions") == 3
    # The tracking position never moves back either
    assert tracking_position(pg_conn, schema, "g") == v3[0]


def test_a_replayed_group_changes_nothing_and_tracks_the_last_delivered_id(
        pg_settings: Settings, store: EventStore, pg_conn: psycopg.Connection[Any]) -> None:
    schema = pg_settings.postgres_schema
    store.append_many([make_article(i) for i in range(20)])
    store.append_many([make_article(i, rev=1) for i in range(0, 20, 2)])
    run_group(pg_settings, store, "pg", "postgres")
    state = state_hash(pg_conn, schema)
    assert tracking_position(pg_conn, schema, "pg") == last_delivered(store, "pg")
    replay(store.redis, store.keys, "pg", "0")
    c = run_group(pg_settings, store, "pg", "postgres")
    assert c.stats.handled == 30 and c.stats.failed == 0  # all delivered again...
    assert state_hash(pg_conn, schema) == state  # ...with no second effect
    assert count(pg_conn, schema, "articles") == 20
    assert count(pg_conn, schema, "article_versions") == 30
    assert tracking_position(pg_conn, schema, "pg") == last_delivered(store, "pg")


def test_two_concurrent_consumers_keep_revision_order(
        pg_settings: Settings, store: EventStore, pg_conn: psycopg.Connection[Any]) -> None:
    schema = pg_settings.postgres_schema
    for rev in range(6):  # six versions of ten articles, interleaved in the stream
        store.append_many([make_article(i, rev=rev) for i in range(10)])
    consumers = []
    for name in ("a", "b"):
        spec = resolve("postgres", HandlerContext(pg_settings, store.keys, store.redis, "pg"))
        consumers.append(Consumer(store.redis, store.keys, "pg", spec, pg_settings,
                                  consumer=name, batch=3))
    threads = [threading.Thread(target=c.run, kwargs={"until_idle": True}) for c in consumers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(c.stats.handled > 0 for c in consumers), "both consumers took part"
    assert sum(c.stats.handled for c in consumers) == 60
    assert versions(pg_conn, schema) == {make_article(i).article_id: 6 for i in range(10)}
    assert count(pg_conn, schema, "article_versions") == 60
    assert tracking_position(pg_conn, schema, "pg") == last_delivered(store, "pg")
    live = state_hash(pg_conn, schema)
    assert rebuild(pg_settings, store.redis, store.keys) == (60, live)


# --- rebuild --------------------------------------------------------------------------------
def test_rebuild_equals_live_and_swaps_in_fresh_tables(
        pg_settings: Settings, store: EventStore, pg_conn: psycopg.Connection[Any]) -> None:
    schema = pg_settings.postgres_schema
    store.append_many([make_article(i) for i in range(12)])
    store.append_many([make_article(i, rev=1) for i in range(4)])
    run_group(pg_settings, store, "pg", "postgres")
    live = state_hash(pg_conn, schema)
    # Damage the live table: the rebuild must not carry anything over from it
    pg_conn.execute(sql.SQL("UPDATE {}.articles SET title = 'x'").format(
        sql.Identifier(schema)))
    assert state_hash(pg_conn, schema) != live
    res = cli(pg_settings, "rebuild", "postgres")
    assert res.returncode == 0, res.stderr
    assert f"postgres rebuilt from 16 events, state {live}" in res.stdout
    assert state_hash(pg_conn, schema) == live
    staging = pg_conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s",
                              (f"{schema}_build",)).fetchone()
    assert staging == (0,)
    # The swapped-in tables take live writes as before
    store.append(make_article(3, rev=2))
    run_group(pg_settings, store, "pg", "postgres")
    assert versions(pg_conn, schema)[make_article(3).article_id] == 3


def test_rebuild_under_a_running_consumer_and_appends_loses_nothing(
        pg_settings: Settings, store: EventStore, pg_conn: psycopg.Connection[Any]) -> None:
    schema = pg_settings.postgres_schema
    store.append_many([make_article(i) for i in range(150)])
    spec = resolve("postgres", HandlerContext(pg_settings, store.keys, store.redis, "pg"))
    live = Consumer(store.redis, store.keys, "pg", spec, pg_settings, consumer="live", batch=10)
    consuming = threading.Thread(target=live.run)
    consuming.start()

    def append_revisions() -> None:
        for rev in range(1, 4):
            for k in range(0, 150, 30):
                store.append_many([make_article(i, rev=rev) for i in range(k, k + 30)])

    appending = threading.Thread(target=append_revisions)
    appending.start()
    try:
        rebuild(pg_settings, store.redis, store.keys)  # while both run
        appending.join(60)
        assert not appending.is_alive()
        wait_until(lambda: settled(store.redis, store.keys, "pg"), 60, message="caught up")
    finally:
        live.stop_event.set()
        consuming.join(30)
    # The live tables equal the whole stream applied in one go
    reference = f"{schema}_ref"
    migrate(pg_conn, reference)
    try:
        apply_entries(pg_conn, reference, "ref", entries(store))
        assert state_hash(pg_conn, schema) == state_hash(pg_conn, reference)
    finally:
        drop_schema(pg_conn, reference)
    assert versions(pg_conn, schema) == {make_article(i).article_id: 4 for i in range(150)}


# --- search ---------------------------------------------------------------------------------
@pytest.fixture
def searchable(pg_settings: Settings, store: EventStore) -> Settings:
    store.append_many([
        text_article(1, ["The runners were running through the harbour at dawn."], "en"),
        text_article(2, ["Die Läufer liefen durch den Hafen."], "de"),
        text_article(3, ["Zebra crossing installed near the harbour office."], None),
        *[text_article(10 + i, [f"Harbour report number {i} with cargo."], "en")
          for i in range(5)],
    ])
    run_group(pg_settings, store, "pg", "postgres")
    return pg_settings


def test_search_ranks_stems_by_language_and_highlights(
        searchable: Settings, pg_conn: psycopg.Connection[Any]) -> None:
    schema = searchable.postgres_schema
    [hit] = search(pg_conn, schema, "run")  # English stemming: "running" -> run
    assert hit.title == "Report 1" and "«running»" in hit.snippet
    [zebra] = search(pg_conn, schema, "zebra")  # unknown language: 'simple', word as is
    assert zebra.title == "Report 3" and "«Zebra»" in zebra.snippet
    assert [h.title for h in search(pg_conn, schema, "harbour", language="de")] == []
    hafen = search(pg_conn, schema, "Hafen", language="de")
    assert [h.title for h in hafen] == ["Report 2"]
    every = search(pg_conn, schema, "harbour", limit=100)
    assert len(every) == 7
    assert every == sorted(every, key=lambda h: -h.rank)
    pages = [search(pg_conn, schema, "harbour", limit=3, offset=o) for o in (0, 3, 6)]
    assert [h.article_id for p in pages for h in p] == [h.article_id for h in every]
    assert [h.title for h in search(pg_conn, schema, "Hafen", language="de_DE")] == ["Report 2"]
    # --since: by publication date, else by ingestion time (these have none: ingested now)
    assert len(search(pg_conn, schema, "harbour", since=datetime(2000, 1, 1, tzinfo=UTC))) == 7
    assert search(pg_conn, schema, "harbour", since=datetime.now(UTC) + timedelta(days=1)) == []
    with pytest.raises(ReadModelError, match="empty"):
        search(pg_conn, schema, "  ")
    with pytest.raises(ReadModelError, match="limit"):
        search(pg_conn, schema, "harbour", limit=0)


def test_search_cli_and_http(searchable: Settings) -> None:
    res = cli(searchable, "search", "cargo", "--limit", "2", "--json")
    assert res.returncode == 0, res.stderr
    assert res.stdout.count('"snippet"') == 2 and "«cargo»" in res.stdout
    plain = cli(searchable, "search", "running", "--language", "en")
    assert "Report 1" in plain.stdout and "«running»" in plain.stdout
    bad = cli(searchable, "search", "x", "--since", "yesterday-ish")
    assert bad.returncode == 2 and "--since" in bad.stderr
    api = TestClient(create_app(searchable), base_url="http://127.0.0.1:8080")
    body = api.get("/v1/search", params={"q": "cargo", "limit": 2}).json()
    assert len(body["results"]) == 2 and body["next_offset"] == 2
    assert all("«cargo»" in r["snippet"] for r in body["results"])
    rest = api.get("/v1/search", params={"q": "cargo", "limit": 2, "offset": 4}).json()
    assert len(rest["results"]) == 1 and rest["next_offset"] is None
    assert api.get("/v1/search", params={"q": ""}).status_code == 422


def test_http_search_exists_only_with_postgres_configured(settings: Settings) -> None:
    api = TestClient(create_app(settings), base_url="http://127.0.0.1:8080")
    assert api.get("/v1/search", params={"q": "x"}).status_code == 404
    assert "/v1/search" not in api.get("/openapi.json").json()["paths"]


def test_http_search_on_an_unmigrated_schema_is_a_503(pg_settings: Settings) -> None:
    res = TestClient(create_app(pg_settings), base_url="http://127.0.0.1:8080").get(
        "/v1/search", params={"q": "x"})
    assert res.status_code == 503 and res.headers["Retry-After"]
    assert res.json()["error"] == "unavailable"
    assert "newsworker db migrate" in res.json()["message"]


def test_http_search_with_postgres_away_is_a_503_naming_no_address(settings: Settings) -> None:
    away = settings.model_copy(update={"postgres_dsn": "postgresql://nobody@127.0.0.1:1/x"})
    res = TestClient(create_app(away), base_url="http://127.0.0.1:8080").get(
        "/v1/search", params={"q": "x"})
    assert res.status_code == 503 and res.json()["error"] == "unavailable"
    assert res.headers["Retry-After"]
    assert "127.0.0.1" not in res.text and ":1" not in res.text

