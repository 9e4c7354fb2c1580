"""`newsworker groups list|delete|prune-consumers` and `trim` naming what holds entries back,
against a real Redis (in-process CLI, settings through the environment like a child's)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.conftest import settings_env
from tests.support.articles import make_article
from worker.cli.app import build
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import ensure_group


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for key, value in settings_env(settings).items():
        if key.startswith("NEWSWORKER_"):
            monkeypatch.setenv(key, value)
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(build(), list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def fill(store: EventStore, n: int) -> list[str]:
    results = store.append_many([make_article(f"Paragraph {i}.", location=f"/in/{i}.txt")
                                 for i in range(n)])
    return [r.entry_id for r in results if r.entry_id]


def consume_all(store: EventStore, group: str, consumer: str) -> None:
    """Read and acknowledge everything, as a live consumer would."""
    rows = store.redis.xreadgroup(group, consumer, {store.keys.events: ">"}, count=1000)
    for _, entries in rows:
        store.redis.xack(store.keys.events, group, *[eid for eid, _ in entries])


def test_abandoned_groups_block_trim_until_deleted(cli: CliRunner, store: EventStore) -> None:
    ids = fill(store, 8)
    assert len(ids) == 8
    ensure_group(store.redis, store.keys.events, "live")
    consume_all(store, "live", "c1")
    # Two abandoned groups: one read 3 entries and never acknowledged them, one never read.
    ensure_group(store.redis, store.keys.events, "stale-reader")
    store.redis.xreadgroup("stale-reader", "gone", {store.keys.events: ">"}, count=3)
    ensure_group(store.redis, store.keys.events, "never-read")

    out = invoke(cli, "trim", "--maxlen", "1")
    assert "removed 0 entries" in out
    assert "held back by group stale-reader: 3 pending" in out
    assert "held back by group never-read: has read only up to 0-0" in out
    assert "group live" not in out
    assert store.redis.xlen(store.keys.events) == 8

    listing = invoke(cli, "groups", "list")
    assert "stale-reader" in listing and "never-read" in listing and "live" in listing
    assert "  gone  pending=3" in listing

    assert "deleted group stale-reader (3 pending entries dropped)" in invoke(
        cli, "groups", "delete", "stale-reader")
    out = invoke(cli, "trim", "--maxlen", "1")
    assert "held back by group never-read" in out and "stale-reader" not in out

    invoke(cli, "groups", "delete", "never-read")
    out = invoke(cli, "trim", "--maxlen", "1")
    assert "removed 7 entries" in out and "held back" not in out
    assert store.redis.xlen(store.keys.events) == 1


def test_delete_unknown_group_is_one_line(cli: CliRunner, store: EventStore) -> None:
    fill(store, 1)
    result = cli.invoke(build(), ["groups", "delete", "nope"])
    assert result.exit_code != 0
    assert "no consumer group 'nope'" in str(result.exception)


def test_trim_without_groups_says_why_nothing_went(cli: CliRunner, store: EventStore) -> None:
    fill(store, 3)
    out = invoke(cli, "trim", "--maxlen", "1")
    assert "removed 0 entries" in out and "no consumer group exists" in out


def test_prune_consumers_keeps_owners_of_pending_entries(cli: CliRunner,
                                                         store: EventStore) -> None:
    fill(store, 4)
    ensure_group(store.redis, store.keys.events, "g")
    store.redis.xreadgroup("g", "holder", {store.keys.events: ">"}, count=2)
    store.redis.xgroup_createconsumer(store.keys.events, "g", "idle-empty")

    out = invoke(cli, "groups", "prune-consumers", "--idle", "0")
    assert "g/idle-empty inactive" in out and ": removed" in out
    assert "g/holder" in out and "kept (2 pending)" in out
    assert "1 consumer(s) removed" in out
    names = [c["name"] for c in store.redis.xinfo_consumers(store.keys.events, "g")]
    assert [n.decode() if isinstance(n, bytes) else n for n in names] == ["holder"]

    # A long idle threshold touches nobody.
    assert "0 consumer(s) removed" in invoke(cli, "groups", "prune-consumers", "--idle", "3600")
