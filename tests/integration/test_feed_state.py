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
    # Given a client whose pooled connection the server has closed
    client = connect(redis_url)
    script = state.LuaScript.of("return 'pong'")
    assert state.run(client, script, [], []) == b"pong"
    conn = client.connection_pool.get_connection()
    conn.send_command("CLIENT", "ID")
    own_id = conn.read_response()
    client.connection_pool.release(conn)
    assert connect(redis_url).client_kill_filter(_id=own_id) == 1
    # When run again, Then it answers on a fresh connection
    assert state.run(client, script, [], []) == b"pong"
    # And a script error is raised as redis-py raises it, leaving the connection usable
    broken = state.LuaScript.of("return redis.call('NOSUCHCOMMAND')")
    with pytest.raises(redis.ResponseError):
        state.run(client, broken, [], [])
    assert state.run(client, script, [], []) == b"pong"
