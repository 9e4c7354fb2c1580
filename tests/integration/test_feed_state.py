"""The feed poll's Redis calls (worker.feeds.state): scripts the server has not cached, and
pooled connections the server dropped."""

from __future__ import annotations

import uuid

import pytest
import redis

from worker.feeds import state
from worker.redisconn import connect


def test_a_script_the_server_does_not_know_is_sent_whole(redis_url: str) -> None:
    # Given a script no one has run yet (its SHA is not in the server's cache)
    client = connect(redis_url)
    script = state.LuaScript.of(f"-- {uuid.uuid4().hex}\nreturn {{ARGV[1], #KEYS}}")
    assert client.script_exists(script.sha) == [False]
    # When run, Then EVALSHA's NOSCRIPT falls back to EVAL, which caches it for next time
    assert state.run(client, script, ["k1", "k2"], ["x"]) == [b"x", 2]
    assert client.script_exists(script.sha) == [True]
    assert state.run(client, script, ["k1"], [7]) == [b"7", 1]


def test_a_connection_the_server_dropped_is_replaced(redis_url: str) -> None:
    # Given a client whose kept connection the server has closed
    name = f"nw-state-{uuid.uuid4().hex[:8]}"
    client = connect(redis_url, client_name=name)
    script = state.LuaScript.of("return 'pong'")
    assert state.run(client, script, [], []) == b"pong"
    killer = connect(redis_url)
    ids = [c["id"] for c in killer.client_list() if c.get("name") == name]
    assert ids
    for own_id in ids:
        assert killer.client_kill_filter(_id=own_id) == 1
    # When run again, Then it answers on a fresh connection
    assert state.run(client, script, [], []) == b"pong"
    # And a script error is raised as redis-py raises it, leaving the connection usable
    broken = state.LuaScript.of("return redis.call('NOSUCHCOMMAND')")
    with pytest.raises(redis.ResponseError):
        state.run(client, broken, [], [])
    assert state.run(client, script, [], []) == b"pong"
    assert len([c for c in killer.client_list() if c.get("name") == name]) == 1


def test_one_kept_connection_per_thread_given_back_when_the_pool_changes(
        redis_url: str) -> None:
    # Given two clients polled from one thread, one after the other
    first, second = connect(redis_url), connect(redis_url)
    script = state.LuaScript.of("return 1")
    for _ in range(3):
        assert state.run(first, script, [], []) == 1
    # Then the first keeps one connection checked out, not one per call (redis-py's pool
    # has no public count of its connections in use)
    assert len(first.connection_pool._in_use_connections) == 1
    # When the thread moves to the second client, Then the first's goes back to its pool
    assert state.run(second, script, [], []) == 1
    assert len(first.connection_pool._in_use_connections) == 0
    assert len(second.connection_pool._in_use_connections) == 1
