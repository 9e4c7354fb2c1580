"""The `postgres` read model live: a real Celery worker ingests 300 articles into the stream,
a real `newsworker consume --handler postgres` process is SIGKILLed mid-run and restarted,
and PostgreSQL ends with each article once, at its latest version, searchable."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from tests.conftest import SEED, Proc, settings_env, wait_until
from tests.support.consume import cli, settled
from worker.pgstore.rows import tracking_position
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import group_info

pytestmark = pytest.mark.e2e

N = 300
REVISED = range(0, N, 5)  # every fifth article gets a second version


def consume(env: dict[str, str], spawn: Callable[..., Proc], name: str) -> Proc:
    argv = [sys.executable, "-m", "worker", "consume", "pg", "--handler", "postgres",
            "--consumer", "c1", "--batch", "8"]
    return spawn(argv, env, name=name)


def scalar(conn: psycopg.Connection[Any], query: sql.Composed) -> Any:
    row = conn.execute(query).fetchone()
    return row[0] if row else None


def test_sigkilled_projection_ends_with_every_article_once_at_its_latest_version(
        pg_settings: Settings, store: EventStore, celery_worker: Proc, celery_app: Any,
        spawn: Callable[..., Proc], pg_conn: psycopg.Connection[Any], tmp_path: Path) -> None:
    schema = sql.Identifier(pg_settings.postgres_schema)
    body = SEED.read_text().split("\n\n", 3)[-1]

    def write(i: int, rev: int) -> str:
        p = tmp_path / f"art{i}.txt"
        p.write_text(f"Headline number {i} about the harbour\n\n{body}\n\n"
                     f"Closing paragraph about quokka{i}, revision {rev} of this story.")
        return str(p)

    def submit(files: list[str]) -> list[Any]:
        return [celery_app.send_task("newsworker.ingest_files", args=[files[k:k + 10]],
                                     queue=pg_settings.ingest_queue)
                for k in range(0, len(files), 10)]

    def rows() -> int:
        return int(scalar(pg_conn, sql.SQL("SELECT count(*) FROM {}.articles").format(schema))
                   or 0)

    env = settings_env(pg_settings)
    # Given a postgres consumer running while a real worker ingests 300 articles
    first = consume(env, spawn, "pg-1")
    tasks = submit([write(i, 0) for i in range(N)])
    wait_until(lambda: pg_conn.execute("SELECT to_regclass(%s)", (
        f"{pg_settings.postgres_schema}.articles",)).fetchone() != (None,) and rows() >= 40,
        timeout=90, interval=0.01, message="the projection under way")
    # When it is SIGKILLed mid-run (mid-transaction or between commit and XACK alike)
    first.kill()
    assert first.proc is not None and first.proc.returncode == -signal.SIGKILL
    at_kill = rows()
    # and restarted under the same consumer name, while revisions arrive
    second = consume(env, spawn, "pg-2")
    wait_until(lambda: all(t.ready() for t in tasks), timeout=120, message="first ingest")
    tasks = submit([write(i, 1) for i in REVISED])
    wait_until(lambda: all(t.ready() for t in tasks), timeout=120, message="revisions")
    total = N + len(REVISED)
    assert store.length() == total
    assert at_kill < total, "the kill must land before the projection was complete"
    wait_until(lambda: settled(store.redis, store.keys, "pg"), timeout=120,
               message="the group has consumed everything")
    # Then articles holds exactly 300 rows, each at its latest version in the stream
    latest: dict[str, int] = {}
    for _, ev in store.read():
        assert ev.article_id is not None
        latest[ev.article_id] = max(latest.get(ev.article_id, 0), ev.version)
    got = dict(pg_conn.execute(sql.SQL("SELECT article_id, version FROM {}.articles")
                               .format(schema)).fetchall())
    assert len(got) == N and got == latest
    assert sorted(latest.values()).count(2) == len(REVISED)
    assert scalar(pg_conn, sql.SQL("SELECT count(*) FROM {}.article_versions").format(
        schema)) == total
    # and the tracking position is the group's last delivered id
    info = group_info(store.redis, store.keys.events, "pg")[0]
    assert tracking_position(pg_conn, pg_settings.postgres_schema, "pg") == \
        info.last_delivered_id
    assert second.stop() == 0
    # and `search` finds an article by a word of its body, with a snippet
    res = cli(pg_settings, "search", "quokka135", "--json")
    assert res.returncode == 0, res.stderr
    [hit] = [json.loads(line) for line in res.stdout.splitlines()]
    assert hit["title"] == "Headline number 135 about the harbour"
    assert hit["version"] == 2 and "«quokka135»" in hit["snippet"]
    assert "revision 1" in hit["snippet"]
