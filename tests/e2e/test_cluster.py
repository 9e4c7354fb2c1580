"""Redis Cluster: appends (Lua, pipelines, optimistic versions) and a consumer group run on a
local three-master cluster, because every key of a prefix shares the ``{prefix}`` hash tag.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from worker.consumers.consumer import Consumer
from worker.consumers.handler import CallableHandler
from worker.errors import PermanentHandlerError, VersionConflict
from worker.events.models import AnyEvent, Article, Source, content_hash
from worker.ops.runner import free_port
from worker.settings import load_settings
from worker.store.eventstore import EventStore
from worker.store.groups import group_info
from worker.store.keys import Keys

SERVER = shutil.which("redis-server")
CLI = shutil.which("redis-cli")
pytestmark = pytest.mark.skipif(not (SERVER and CLI),
                                reason="redis-server and redis-cli (7+) needed for a cluster")


def _wait(pred: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _cluster_ports(n: int) -> list[int]:
    """Free ports whose cluster-bus twins (port + 10000) are free and valid too."""
    ports: list[int] = []
    while len(ports) < n:
        p = free_port()
        if p + 10000 > 65535 or p in ports:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", p + 10000))
            except OSError:
                continue
        ports.append(p)
    return ports


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[int]]:
    assert SERVER and CLI
    base = tmp_path_factory.mktemp("cluster")
    ports = _cluster_ports(3)
    procs = []
    for p in ports:
        d = base / str(p)
        d.mkdir()
        with (d / "log").open("wb") as log:
            procs.append(subprocess.Popen(
                [SERVER, "--port", str(p), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                 "--cluster-config-file", str(d / "nodes.conf"), "--dir", str(d), "--save",
                 "", "--appendonly", "no", "--daemonize", "no", "--cluster-node-timeout", "5000"],
                stdout=log, stderr=subprocess.STDOUT))

    def ping(p: int) -> bool:
        return subprocess.run([CLI, "-p", str(p), "ping"], capture_output=True,
                              text=True).stdout.strip() == "PONG"

    try:
        _wait(lambda: all(ping(p) for p in ports), 10, "cluster nodes")
        out = subprocess.run([CLI, "--cluster", "create", *(f"127.0.0.1:{p}" for p in ports),
                              "--cluster-yes"], capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stdout + out.stderr

        def ok() -> bool:
            info = [subprocess.run([CLI, "-p", str(p), "cluster", "info"], capture_output=True,
                                   text=True).stdout for p in ports]
            return all("cluster_state:ok" in i for i in info)

        _wait(ok, 20, "cluster_state:ok")
        yield ports
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


@pytest.fixture
def client(cluster: list[int]) -> Iterator[Any]:
    from redis.cluster import ClusterNode, RedisCluster

    c = RedisCluster(startup_nodes=[ClusterNode("127.0.0.1", cluster[0])])
    yield c
    c.close()


def _article(i: int, body: str = "body") -> Article:
    title, paras = f"Cluster article {i}", (f"{body} {i}",)
    return Article(title=title, body=paras, source=Source(kind="text", location=f"c{i}"),
                   url=f"https://example.com/c/{i}", content_hash=content_hash(title, paras))


def test_append_and_consume_on_a_cluster(client: Any, tmp_path: Path) -> None:
    keys = Keys("clu" + str(time.time_ns())[-8:])
    store = EventStore(client, keys)
    # When articles are appended singly, in pipelined batches, revised and re-sent
    first = store.append(_article(0))
    assert first.status == "appended"
    batch = store.append_many([_article(i) for i in range(1, 40)] + [_article(0)])
    assert [r.status for r in batch].count("appended") == 39
    assert batch[-1].status == "unchanged"
    rev = store.append(_article(1, "changed"), expected_version=1)
    assert rev.version == 2 and rev.type == "article.revised"
    with pytest.raises(VersionConflict):
        store.append(_article(1, "again"), expected_version=1)
    store.record_failure(Source(kind="file", location="/bad"), "no articles found",
                         correlation_id="c1")
    # Then the stream holds each event once, in order, decodable
    events = store.read()
    assert len(events) == 41
    assert [e.version for _, e in events].count(2) == 1
    assert len(store.read_failures()) == 1

    # When a consumer group (with one poison event) consumes through the cluster client
    seen: list[str] = []
    poison = events[5][1].event_id

    def handler(event: AnyEvent) -> None:
        if event.event_id == poison:
            raise PermanentHandlerError("poison")
        seen.append(event.event_id)

    settings = load_settings(redis_url="redis://127.0.0.1:1/0", key_prefix=keys.prefix,
                             claim_idle_s=0.5, consumer_block_ms=50, data_dir=tmp_path)
    consumer = Consumer(client, keys, "g1", CallableHandler(name="rec", fn=handler), settings,
                        consumer="c1", batch=7)
    stats = consumer.run(until_idle=True)
    # Then every event is handled once, the poison one dead-lettered, nothing pending
    assert stats.handled == 40 and stats.dead_lettered == 1
    assert len(set(seen)) == 40
    info = group_info(client, keys.events, "g1")[0]
    assert info.pending == 0 and info.lag == 0
    assert client.xlen(keys.dead_letters) == 1

    # And every key of the prefix lives in one slot (on one node)
    found = [k.decode() for k in client.scan_iter(match=f"{keys.tag}:*",
                                                  target_nodes=client.ALL_NODES)]
    assert {keys.events, keys.failures, keys.dead_letters, keys.counters,
            keys.processed("g1")} <= set(found)
    assert len(found) > 45
    assert len({client.keyslot(k) for k in found}) == 1
    for k in found:
        client.delete(k)


def test_retention_on_a_cluster(client: Any) -> None:
    from worker.store.expiry import expire
    from worker.store.groups import ensure_group, parse_id

    # Given handled articles, one of them revised, on the cluster
    keys = Keys("ret" + str(time.time_ns())[-8:])
    store = EventStore(client, keys)
    store.append_many([_article(i) for i in range(5)])
    store.append(_article(0, "changed"))
    ensure_group(client, keys.events, "g1", "$")
    now_ms = parse_id(store.read()[-1][0])[0] + 10_000

    # When retention passes after the window (expire.lua reaches per-article keys it builds
    # from prefixes: they share the hash tag, so the same slot)
    done = expire(client, keys, retention_s=1.0, now_ms=now_ms)

    # Then every entry is trimmed, every article forgotten, and they still dedupe
    assert (done.entries_read, done.articles_forgotten, done.trimmed) == (6, 5, 6)
    assert store.append(_article(0, "changed")).status == "unchanged"
    assert store.append(_article(1, "changed")).version == 2
    for k in client.scan_iter(match=f"{keys.tag}:*", target_nodes=client.ALL_NODES):
        client.delete(k)
