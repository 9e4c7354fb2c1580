"""Connections and versioned migrations of the PostgreSQL read model.

Migrations are the package's ``migrations/NNNN_name.sql`` files, applied in order, each in its
own transaction together with its row in ``schema_migrations``; a transaction-scoped advisory
lock per schema lets several processes migrate at once without applying a file twice.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

import psycopg
from psycopg import sql

from worker.errors import ReadModelError
from worker.settings import Settings

log = logging.getLogger(__name__)

MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The packaged migrations, oldest first."""
    found = []
    for item in resources.files("worker.pgstore").joinpath("migrations").iterdir():
        m = MIGRATION_NAME.match(item.name)
        if m:
            found.append(Migration(int(m[1]), m[2], item.read_text(encoding="utf-8")))
    return sorted(found, key=lambda x: x.version)


def require_dsn(settings: Settings) -> str:
    if not settings.postgres_dsn:
        raise ReadModelError("PostgreSQL is not configured: set NEWSWORKER_POSTGRES_DSN")
    return settings.postgres_dsn


def connect(dsn: str) -> psycopg.Connection[tuple[object, ...]]:
    """A connection, or ReadModelError naming the server (never the password)."""
    try:
        # autocommit: every write goes through conn.transaction(), a real transaction then.
        return psycopg.connect(dsn, connect_timeout=CONNECT_TIMEOUT_S, autocommit=True)
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReadModelError(f"cannot reach PostgreSQL: {first}") from None


def answers(dsn: str, timeout_s: int = 2) -> bool:
    """Whether a PostgreSQL at ``dsn`` takes a connection and a query (tests, bench, probes)."""
    try:
        with psycopg.connect(dsn, connect_timeout=timeout_s) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def applied_versions(conn: psycopg.Connection[tuple[object, ...]], schema: str) -> list[int]:
    exists = conn.execute("SELECT to_regclass(%s)",
                          (f'"{schema}".schema_migrations',)).fetchone()
    if not exists or exists[0] is None:
        return []
    rows = conn.execute(sql.SQL("SELECT version FROM {}.schema_migrations ORDER BY version")
                        .format(sql.Identifier(schema))).fetchall()
    return [int(str(r[0])) for r in rows]


def migrate(conn: psycopg.Connection[tuple[object, ...]], schema: str) -> list[int]:
    """Bring ``schema`` up to the newest migration. Returns the versions applied now."""
    ident = sql.Identifier(schema)
    done: list[int] = []
    for mig in migrations():
        with conn.transaction():
            # Serialise migrators of this schema; the lock ends with the transaction.
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"newsworker:{schema}",))
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(ident))
            conn.execute(sql.SQL(
                "CREATE TABLE IF NOT EXISTS {}.schema_migrations (version integer PRIMARY KEY,"
                " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
            ).format(ident))
            if mig.version in applied_versions(conn, schema):
                continue
            conn.execute(sql.SQL("SET LOCAL search_path TO {}").format(ident))
            conn.execute(mig.sql.encode())
            conn.execute(sql.SQL("INSERT INTO {}.schema_migrations (version, name) "
                                 "VALUES (%s, %s)").format(ident), (mig.version, mig.name))
            done.append(mig.version)
            log.info("postgres: schema %s migrated to %04d_%s", schema, mig.version, mig.name)
    return done


def check_migrated(conn: psycopg.Connection[tuple[object, ...]], schema: str) -> None:
    """ReadModelError unless every packaged migration is applied to ``schema``."""
    have = set(applied_versions(conn, schema))
    missing = [m.version for m in migrations() if m.version not in have]
    if missing:
        raise ReadModelError(f"PostgreSQL schema {schema!r} is not migrated (missing "
                             f"{', '.join(f'{v:04d}' for v in missing)}): "
                             "run `newsworker db migrate`")


def drop_schema(conn: psycopg.Connection[tuple[object, ...]], schema: str) -> None:
    with conn.transaction():
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
