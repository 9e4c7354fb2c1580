"""The ``postgres`` read model handler, and its rebuild.

``newsworker consume <group> --handler postgres`` keeps the tables of worker.pgstore current:
each consumer batch is one transaction holding its rows and the group's stream position
(see worker.pgstore.rows), so the effect of an event lands exactly once however often it is
delivered. The schema is migrated when the handler starts (migrations are versioned and
serialised by an advisory lock, so several consumers may start together).

``rebuild`` replays the whole stream into a staging schema, then in one transaction catches
up with what was appended meanwhile and moves the staging tables in place of the live ones.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
import redis
from psycopg import sql

from worker.consumers.handler import Handler, HandlerContext
from worker.errors import EventDecodeError
from worker.events.models import AnyEvent
from worker.pgstore.rows import apply_entries, state_hash, ts_configs
from worker.pgstore.schema import connect, drop_schema, migrate, require_dsn
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.keys import Keys

log = logging.getLogger(__name__)

REBUILD_PAGE = 500
SWAPPED_TABLES = ("articles", "article_versions")


class PostgresHandler(Handler):
    """Projects article events into PostgreSQL, one transaction per batch."""

    idempotent = True  # the transaction keys rows by (article, version): repeats are no-ops
    batched = True
    positioned = True

    def __init__(self, ctx: HandlerContext) -> None:
        self.dsn = require_dsn(ctx.settings)
        self.schema = ctx.settings.postgres_schema
        self.group = ctx.group
        self.conn: psycopg.Connection[Any] | None = None
        self.available: frozenset[str] = frozenset()
        self._connection()  # fail at start, not on the first event, when the DSN is wrong

    def _connection(self) -> psycopg.Connection[Any]:
        if self.conn is None or self.conn.closed or self.conn.broken:
            self.conn = connect(self.dsn)
            migrate(self.conn, self.schema)
            self.available = ts_configs(self.conn)
        return self.conn

    def handle(self, event: AnyEvent) -> None:
        self.handle_entries([("", event)])

    def handle_entries(self, entries: Sequence[tuple[str, AnyEvent]]) -> None:
        conn = self._connection()
        try:
            apply_entries(conn, self.schema, self.group, entries, self.available)
        except psycopg.OperationalError:
            conn.close()  # reconnect next time; the consumer retries the batch
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def _decoded(store: EventStore, start: str) -> Iterator[list[tuple[str, AnyEvent]]]:
    """Pages of decodable (entry id, event) pairs from ``start`` on (undecodable entries are
    logged and left out, as the consumer dead-letters them)."""
    page: list[tuple[str, AnyEvent]] = []
    for eid, item in store.iter_all(start, page=REBUILD_PAGE):
        if isinstance(item, EventDecodeError):
            log.warning("rebuild: skipping undecodable entry %s: %s", eid, item)
            continue
        page.append((eid, item))
        if len(page) >= REBUILD_PAGE:
            yield page
            page = []
    if page:
        yield page


def build_schema(schema: str) -> str:
    return f"{schema}_build"


def rebuild(settings: Settings, client: redis.Redis, keys: Keys) -> tuple[int, str]:
    """Replay the stream into ``<schema>_build``, then swap its tables in. Returns (events
    applied, state hash of the new live tables)."""
    schema, staging = settings.postgres_schema, build_schema(settings.postgres_schema)
    store = EventStore(client, keys)
    with connect(require_dsn(settings)) as conn:
        migrate(conn, schema)
        drop_schema(conn, staging)
        migrate(conn, staging)
        available = ts_configs(conn)
        n, last = 0, "-"
        for page in _decoded(store, "-"):
            apply_entries(conn, staging, "rebuild", page, available)
            n += len(page)
            last = "(" + page[-1][0]
        live, build = sql.Identifier(schema), sql.Identifier(staging)
        with conn.transaction():
            # Hold live writers off (they wait, then write to the new tables), take what was
            # appended since the replay, then swap: readers see the old tables or the new.
            conn.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(
                sql.SQL(", ").join(sql.SQL("{}.{}").format(live, sql.Identifier(t))
                                   for t in SWAPPED_TABLES)))
            for page in _decoded(store, last):
                apply_entries(conn, staging, "rebuild", page, available)
                n += len(page)
            for t in SWAPPED_TABLES:
                conn.execute(sql.SQL("DROP TABLE {}.{}").format(live, sql.Identifier(t)))
                conn.execute(sql.SQL("ALTER TABLE {}.{} SET SCHEMA {}").format(
                    build, sql.Identifier(t), live))
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(build))
        return n, state_hash(conn, schema)
