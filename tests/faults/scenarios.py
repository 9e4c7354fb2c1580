"""The six fault scenarios. Each builds its own world (Redis, workers, consumers), injects
faults, waits for the system to settle and returns a Row of what it counted."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis

from tests.faults.dead_workers import worker_kill_shipped_timeout
from tests.faults.harness import Cluster, Proc, Row, wait_for
from tests.faults.operations import purge_revoke, redis_hung_api, worker_restart
from worker.consumers.builtin.archive import iter_archive
from worker.consumers.consumer import Consumer
from worker.consumers.handler import CallableHandler
from worker.events.models import AnyEvent, Article, Source, content_hash
from worker.store.groups import group_info

rng = random.Random(20)


def _audit(c: Cluster) -> int:
    """Read the whole stream through a fresh consumer group: every entry decodes, once."""
    seen: Counter[str] = Counter()

    def record(event: AnyEvent) -> None:
        seen[event.event_id] += 1

    settings = c.settings.model_copy(update={"consumer_block_ms": 50})
    Consumer(c.client(), c.keys, "audit", CallableHandler(name="audit", fn=record), settings,
             consumer="audit", batch=500).run(until_idle=True)
    return sum(seen.values())


def _send_ingest(app: Any, c: Cluster, paths: list[Path], batch: int,
                 singles: int) -> list[Any]:
    q = c.settings.ingest_queue
    out = [app.send_task("newsworker.ingest_file", args=[str(p)], queue=q)
           for p in paths[:singles]]
    rest = [str(p) for p in paths[singles:]]
    out += [app.send_task("newsworker.ingest_files", args=[rest[i:i + batch]], queue=q)
            for i in range(0, len(rest), batch)]
    return out


def _articles(n: int, tag: str, poison: int = 0) -> list[Article]:
    out = []
    for i in range(n):
        title = f"{'POISON' if i < poison else 'Story'} {tag} {i}"
        body = (f"Paragraph {i} of {tag}: the council approved item {i}.",)
        out.append(Article(title=title, body=body, url=f"https://news.example.com/{tag}/{i}",
                           source=Source(kind="text", location=f"{tag}-{i}"),
                           content_hash=content_hash(title, body)))
    return out


def _settled(c: Cluster, group: str) -> bool:
    info = group_info(c.client(), c.keys.events, group)
    return bool(info) and info[0].pending == 0 and info[0].lag == 0


def _count_log(procs: list[Proc], needle: str) -> int:
    return sum(p.output().count(needle) for p in procs)


# --- 1 -------------------------------------------------------------------------------------------
def celery_kill(base: Path, scale: float) -> Row:
    n = max(200, int(5000 * scale))
    row = Row("1 SIGKILL Celery workers", "")
    c = Cluster(base, "s1")
    row.visibility_timeout_s = c.settings.visibility_timeout_s
    try:
        paths = c.write_articles(n, "s1")
        ids = c.article_ids(paths)
        workers = [c.celery_worker(2), c.celery_worker(2)]
        app = c.celery_app()
        sent = _send_ingest(app, c, paths, batch=50, singles=n // 10)
        kills = 0
        while kills < 12 and c.count_present(ids) < n:
            time.sleep(rng.uniform(0.8, 1.8))
            i = kills % len(workers)
            workers[i].kill()
            kills += 1
            workers[i] = c.celery_worker(2)
        wait_for(lambda: c.count_present(ids) >= n, timeout=240, interval=1)
        time.sleep(c.settings.visibility_timeout_s + 2)  # late redeliveries must add nothing
        row.faults = f"{kills} worker SIGKILLs (vt={c.settings.visibility_timeout_s}s)"
        row.submitted = n
        row.events, row.lost, row.duplicated, _ = c.tally(ids)
        row.handled = _audit(c)
        row.notes.append(f"{len(sent)} tasks sent, "
                         f"{_count_log(c.procs, '] received') - len(sent)} redeliveries")
    finally:
        c.close()
    return row


# --- 2 -------------------------------------------------------------------------------------------
def consumer_kill(base: Path, scale: float) -> Row:
    n = max(300, int(3000 * scale))
    row = Row("2 SIGKILL consumers", "")
    c = Cluster(base, "s2")
    row.visibility_timeout_s = c.settings.visibility_timeout_s
    try:
        st = c.store()
        arts = _articles(n, "s2")
        for i in range(0, n, 500):
            st.append_many(arts[i:i + 500])
        group, handler = "arch", "tests.faults.handlers:PacedArchive"
        consumers = [c.consumer(group, handler, batch=50) for _ in range(2)]
        kills = 0
        target = max(6, int(12 * min(scale, 1.0)))
        while kills < target and not _settled(c, group):
            time.sleep(rng.uniform(0.5, 1.5))
            i = kills % len(consumers)
            consumers[i].kill()
            kills += 1
            consumers[i] = c.consumer(group, handler, batch=50)
        ok = wait_for(lambda: _settled(c, group), timeout=120, interval=0.5)
        if not ok:
            row.notes.append("FAIL: group did not settle (pending/lag > 0)")
        archived = Counter(str(e["event_id"]) for e in iter_archive(c.settings.archive_path))
        stream_ids = {ev.event_id for _, ev in st.read()}
        row.faults = f"{kills} consumer SIGKILLs mid-batch (claim_idle 1s, archive handler)"
        row.submitted = n
        row.events = len(stream_ids)
        row.lost = len(stream_ids - set(archived))
        row.duplicated = sum(1 for v in archived.values() if v > 1)
        row.handled = len(archived)
        row.notes.append(f"{_count_log(c.procs, 'torn last line')} torn archive lines repaired")
    finally:
        c.close()
    return row


# --- 3 -------------------------------------------------------------------------------------------
def redis_kill(base: Path, scale: float) -> Row:
    row = Row("3 SIGKILL Redis (AOF always)", "")
    c = Cluster(base, "s3")
    row.visibility_timeout_s = c.settings.visibility_timeout_s
    stop = threading.Event()
    acked: dict[str, str] = {}  # article_id -> event_id the append returned
    errors = Counter[str]()
    lock = threading.Lock()

    def writer(w: int) -> None:
        st = c.store()
        i = 0
        while not stop.is_set():
            art = _articles(1, f"s3w{w}n{i}")[0]
            while not stop.is_set():
                try:
                    res = st.append(art)
                except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError) as e:
                    with lock:
                        errors[type(e).__name__] += 1
                    time.sleep(0.05)
                    continue
                with lock:
                    acked[res.article_id] = res.event_id
                break
            i += 1

    threads = [threading.Thread(target=writer, args=(w,), daemon=True) for w in range(3)]
    try:
        for t in threads:
            t.start()
        kills = max(2, int(4 * min(scale, 1.0)))
        for _ in range(kills):
            time.sleep(rng.uniform(1.0, 2.0))
            c.redis.kill()
            time.sleep(0.5)
            c.redis.start()
        time.sleep(1.0)
        stop.set()
        for t in threads:
            t.join(timeout=30)
        st = c.store()
        stream = {ev.article_id: ev.event_id for _, ev in st.read()}
        ingested = Counter(ev.article_id for _, ev in st.read())
        row.faults = f"{kills} Redis SIGKILLs + restarts"
        row.submitted = len(acked)
        row.events = st.length()
        row.lost = sum(1 for a, e in acked.items() if stream.get(a) != e)
        row.duplicated = sum(1 for v in ingested.values() if v > 1)
        row.handled = _audit(c)
        row.notes.append("client errors during outages: " +
                         ", ".join(f"{k}={v}" for k, v in errors.items()))
    finally:
        stop.set()
        c.close()
    return row


# --- 4 -------------------------------------------------------------------------------------------
def redis_outage(base: Path, scale: float, outage_s: float = 10.0) -> Row:
    n = max(200, int(1000 * scale))
    row = Row("4 Redis unreachable 10 s", "")
    c = Cluster(base, "s4")
    row.visibility_timeout_s = c.settings.visibility_timeout_s
    try:
        paths = c.write_articles(n, "s4")
        ids = c.article_ids(paths)
        app = c.celery_app()
        sent = _send_ingest(app, c, paths, batch=10, singles=n // 10)
        workers = [c.celery_worker(2), c.celery_worker(2)]
        wait_for(lambda: c.count_present(ids) >= n // 5, timeout=120, interval=0.2)
        before = c.count_present(ids)
        c.redis.kill()
        time.sleep(outage_s)
        c.redis.start()
        done = wait_for(lambda: c.count_present(ids) >= n, timeout=240, interval=1)
        if not done:
            row.notes.append("FAIL: ingestion did not complete after the outage")
        time.sleep(c.settings.visibility_timeout_s + 2)
        row.faults = f"Redis down {outage_s:.0f}s after {before}/{n} articles"
        row.submitted = n
        row.events, row.lost, row.duplicated, _ = c.tally(ids)
        row.handled = _audit(c)
        row.notes.append(
            f"{len(sent)} tasks sent, {_count_log(workers, '] received') - len(sent)} "
            f"redeliveries, {_count_log(workers, 'retry: Retry in')} task retries, "
            f"{_count_log(workers, 'Redis unavailable')} in-task waits for Redis, "
            f"{_count_log(workers, 'Connection to broker lost')} broker reconnects, "
            f"{_count_log(workers, 'was lost by the broker')} journal re-sends")
    finally:
        c.close()
    return row


# --- 5 -------------------------------------------------------------------------------------------
MALFORMED: list[dict[Any, Any]] = [
    {"type": "article.ingested", "event_id": "bad-1", "body": "not json"},
    {"foo": "bar", "event_id": "bad-2"},
    {"type": "article.exploded", "event_id": "bad-3", "body": '{"type": "article.exploded"}'},
    {"type": "article.ingested", "event_id": "bad-4",
     "body": '{"type": "article.ingested", "schema_version": 99}'},
    {"type": "ingestion.failed", "event_id": "bad-5", "body": '{"type": "ingestion.failed"}'},
]
# A non-UTF-8 field *name* once raised UnicodeDecodeError in models.decode, crashing the
# consumer and dead-lettering innocent events of its batch; kept as a regression row.
NON_UTF8 = [{b"\x80\xff": b"x", b"event_id": b"bad-6", b"body": b"{}"}]


def poison(base: Path, scale: float, *, malformed: list[dict[Any, Any]] | None = None,
           name: str = "5 poison events -> DLQ") -> Row:
    malformed = MALFORMED if malformed is None else malformed
    n = max(100, int(300 * scale))
    n_poison = 10
    row = Row(name, "")
    c = Cluster(base, "s5" + str(len(malformed)))
    row.visibility_timeout_s = c.settings.visibility_timeout_s
    try:
        st = c.store()
        arts = _articles(n, "s5", poison=n_poison)
        rng.shuffle(arts)
        half = n // 2
        st.append_many(arts[:half])
        client = c.client()
        for fields in malformed:
            client.xadd(c.keys.events, fields)
        st.append_many(arts[half:])
        group, handler = "pz", "tests.faults.handlers:PoisonArchive"
        consumers = [c.consumer(group, handler, batch=20) for _ in range(2)]
        crashes = 0

        def settled() -> bool:
            nonlocal crashes
            for i, p in enumerate(consumers):
                if not p.alive():  # a supervisor restarts crashed consumers
                    crashes += 1
                    consumers[i] = c.consumer(group, handler, batch=20)
            return _settled(c, group)

        ok = wait_for(settled, timeout=150, interval=0.5)
        if not ok:
            row.notes.append("FAIL: pending/lag did not return to 0")
        dlq = client.xrange(c.keys.dead_letters)
        dlq_ids = Counter(f[b"dlq_entry_id"] for _, f in dlq)
        archived = Counter(str(e["event_id"]) for e in iter_archive(c.settings.archive_path))
        raw = client.xrange(c.keys.events)  # raw: one entry has a non-UTF-8 field name
        bad_ids = {eid for eid, f in raw if f.get(b"event_id", b"").startswith(b"bad-")}
        poison_eids = {eid for eid, f in raw if b'"title":"POISON' in f.get(b"body", b"")}
        good = {f[b"event_id"].decode() for _, f in raw if b'"title":"Story' in f.get(b"body", b"")}
        lost_good = len(good - set(archived))
        lost_bad = len((bad_ids | poison_eids) - set(dlq_ids))
        row.faults = f"{n_poison} raising + {len(malformed)} malformed entries"
        row.submitted = n + len(malformed)
        row.events = st.length()
        row.lost = lost_good + lost_bad
        row.duplicated = sum(1 for v in archived.values() if v > 1) + sum(
            1 for v in dlq_ids.values() if v > 1)
        row.handled = len(archived)
        row.dead_letters = len(dlq)
        info = group_info(client, c.keys.events, group)[0]
        row.notes.append(f"pending {info.pending}, lag {info.lag}, consumer crashes {crashes}")
        if len(dlq) != n_poison + len(malformed):
            row.notes.append(f"FAIL: expected {n_poison + len(malformed)} dead letters")
    finally:
        c.close()
    return row


# --- 6 -------------------------------------------------------------------------------------------
def concurrent_clients(base: Path, scale: float) -> Row:
    n = max(100, int(500 * scale))
    row = Row("6 same articles, 4 clients", "")
    c = Cluster(base, "s6")
    row.visibility_timeout_s = c.settings.visibility_timeout_s
    try:
        paths = c.write_articles(n, "s6")
        ids = c.article_ids(paths)
        workers = [c.celery_worker(2), c.celery_worker(2)]
        results: list[Any] = []
        lock = threading.Lock()

        def client(k: int) -> None:
            app = c.celery_app()
            mine = list(paths)
            random.Random(k).shuffle(mine)
            sent = (_send_ingest(app, c, mine, batch=1, singles=n) if k < 2
                    else _send_ingest(app, c, mine, batch=25, singles=0))
            with lock:
                results.extend(sent)

        threads = [threading.Thread(target=client, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses: Counter[str] = Counter()
        for r in results:
            out = r.get(timeout=180)
            for item in out.get("results", [out]):
                statuses[item["status"]] += 1
        row.faults = f"4 concurrent clients x {n} articles ({len(results)} tasks)"
        row.submitted = n
        row.events, row.lost, row.duplicated, _ = c.tally(ids)
        row.handled = _audit(c)
        row.notes.append(", ".join(f"{k}={v}" for k, v in sorted(statuses.items()))
                         + f"; {len(workers)} workers")
        if row.events != n:
            row.notes.append(f"FAIL: {row.events} events for {n} articles")
    finally:
        c.close()
    return row


SCENARIOS: dict[str, Callable[[Path, float], Row]] = {
    "celery-kill": celery_kill, "consumer-kill": consumer_kill, "redis-kill": redis_kill,
    "worker-kill-shipped-vt": worker_kill_shipped_timeout,
    "redis-outage": redis_outage, "poison": poison, "concurrent": concurrent_clients,
    "poison-non-utf8": lambda base, scale: poison(
        base, scale, malformed=NON_UTF8, name="5b non-UTF-8 field name"),
    "redis-hung-api": redis_hung_api, "purge-revoke": purge_revoke,
    "worker-restart": worker_restart,
}
