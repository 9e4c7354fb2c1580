"""PostgreSQL for the tests (a pytest plugin, loaded by tests/conftest.py).

Where the tests find PostgreSQL, first match wins:
  NEWSWORKER_TEST_POSTGRES_DSN   use that server; fail if it does not answer;
  127.0.0.1:5432, database test  a local server (trust auth, user postgres or root);
  otherwise                      an embedded server from the `pgserver` wheel (dev extra),
                                 in a temporary directory, removed after the session;
                                 without it the PostgreSQL tests are skipped, saying why.

Every test gets a schema of its own (``pg_schema``), dropped afterwards with its rebuild
staging schema: no test touches any other schema.
"""

from __future__ import annotations

import importlib
import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from worker.consumers.builtin.postgres import build_schema
from worker.pgstore.schema import answers
from worker.settings import Settings

LOCAL_DSNS = ("postgresql://postgres@127.0.0.1:5432/test",
              "postgresql://root@127.0.0.1:5432/test",
              "postgresql://127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def postgres_dsn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    explicit = os.environ.get("NEWSWORKER_TEST_POSTGRES_DSN")
    if explicit:
        if not answers(explicit):
            pytest.fail("NEWSWORKER_TEST_POSTGRES_DSN is set but does not answer")
        yield explicit
        return
    local = next((d for d in LOCAL_DSNS if answers(d)), None)
    if local:
        yield local
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR on import
        try:
            pgserver = importlib.import_module("pgserver")
        except ImportError:
            pytest.skip("no PostgreSQL: set NEWSWORKER_TEST_POSTGRES_DSN, run one on "
                        "127.0.0.1:5432 (database test), or install the dev extra (pgserver)")
        server = pgserver.get_server(Path(tmp_path_factory.mktemp("pgdata")),
                                     cleanup_mode="delete")
    try:
        yield str(server.get_uri())
    finally:
        server.cleanup()


@pytest.fixture
def pg_schema(postgres_dsn: str) -> Iterator[str]:
    """A fresh schema name for this test; it and its staging schema are dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield name
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        for schema in (name, build_schema(name)):
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                sql.Identifier(schema)))


@pytest.fixture
def pg_settings(settings: Settings, postgres_dsn: str, pg_schema: str) -> Settings:
    """``settings`` (so the ``store`` fixture shares its keys) with this test's schema."""
    return settings.model_copy(update={"postgres_dsn": postgres_dsn,
                                       "postgres_schema": pg_schema})


@pytest.fixture
def pg_conn(postgres_dsn: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        yield conn
