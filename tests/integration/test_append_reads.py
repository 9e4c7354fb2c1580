"""What append.lua reads per article, counted by a private Redis (its command stats include the
calls a script makes): a call of new articles checks them with one EXISTS and no per-article
HMGET; a call with any known article reads every article's state, and the outcomes are the
same either way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.conftest import own_redis
from tests.support.articles import make_article
from worker.store.eventstore import SCRIPT_BATCH, EventStore
from worker.store.keys import Keys


@pytest.fixture
def private(tmp_path: Path) -> Iterator[redis.Redis]:
    with own_redis(tmp_path) as url:
        client = redis.Redis.from_url(url)
        try:
            yield client
        finally:
            client.close()


def calls(client: redis.Redis) -> dict[str, int]:
    return {name.removeprefix("cmdstat_"): int(v["calls"])
            for name, v in client.info("commandstats").items()}


def test_new_articles_skip_the_per_article_state_read(private: redis.Redis) -> None:
    store = EventStore(private, Keys("reads"))
    arts = [make_article(f"new {i}", location=f"/n/{i}") for i in range(SCRIPT_BATCH)]
    store.append_many(arts[:1])  # loads the script; one call of one new article
    private.config_resetstat()
    # When a full call of new articles is appended
    res = store.append_many(arts[1:])
    # Then every one is appended with one EXISTS for the call and no HMGET
    assert [r.status for r in res] == ["appended"] * (SCRIPT_BATCH - 1)
    seen = calls(private)
    assert seen.get("hmget", 0) == 0
    assert seen["exists"] == seen["evalsha"] >= 1
    assert seen["xadd"] == SCRIPT_BATCH - 1


def test_a_call_with_a_known_article_reads_each_state(private: redis.Redis) -> None:
    store = EventStore(private, Keys("reads"))
    store.append_many([make_article("kept", location="/k/0"), make_article("old", location="/k/1")])
    private.config_resetstat()
    # When a call holds an unchanged article, a revision and new ones
    res = store.append_many([make_article("kept", location="/k/0"),
                             make_article("new text", location="/k/1"),
                             make_article("fresh", location="/k/2"),
                             make_article("fresher", location="/k/3")])
    # Then each outcome is as before, every state in the calls is read
    assert [(r.status, r.version) for r in res] == [
        ("unchanged", 1), ("appended", 2), ("appended", 1), ("appended", 1)]
    seen = calls(private)
    assert seen["hmget"] >= 4
    assert seen["xadd"] == 3
