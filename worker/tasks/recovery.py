"""Dead-worker recovery: a task taken by a worker that died is queued again within
``dead_worker_after_s``, whatever the broker's ``visibility_timeout_s``.

With ``acks_late``, kombu's Redis transport keeps a message a worker took in its
``unacked`` hash (and the ``unacked_index`` sorted set) until the worker acknowledges it,
and puts it back only once ``visibility_timeout_s`` has passed. A worker that is SIGKILLed
or OOM-killed never acknowledges, so its tasks wait the whole timeout (an hour shipped). The
timeout cannot just be shortened: a task still running when it expires is delivered again.

So the main process of every worker runs a :class:`Watchman` thread that

- **beats**: ``ZADD {p}:workers:beats <broker ms> <worker id>``, every tenth of
  ``dead_worker_after_s``;
- **records what it holds**: every delivery tag it receives (``task_received`` fires only
  after kombu wrote the unacked entry) goes to ``{p}:workers:held:<worker id>``, and a tag
  that has left the unacked hash (acknowledged, or put back) is dropped again;
- **recovers** (one worker at a time, under a lock): an unacked message older than half of
  ``dead_worker_after_s`` that no *live* worker (heartbeat younger than that) holds is put
  back at the head of its queue by a Lua script that moves it only if the unacked entry is
  still the one it read (so kombu's own restore, an ack or another recovery can't race it
  into a duplicate). Then the dead workers' records are deleted.

Ownership is checked against live workers, so a message whose worker died before its tag
was recorded is recovered too. A long task on a live worker is never put back: its worker
keeps beating and holds its tag. Only messages of newsworker tasks routed to this
deployment's queues are touched; another Celery app sharing the broker keeps its own. A
false alarm (a worker silent that long, yet alive) costs one redundant run of an idempotent
task, never a duplicate event. docs/recovery.md has the timeline.
"""

from __future__ import annotations

import logging
import threading
import time
from bisect import bisect
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import orjson
import redis

from worker.redisconn import to_str
from worker.settings import Settings
from worker.store.keys import Keys
from worker.tasks import names
from worker.tasks.broker import PRIORITY_SEP, guarded, queue_keys, unacked_key

log = logging.getLogger(__name__)

# Moves one unacked message back to its queue list(s), only if it is still the entry read.
_RESTORE = """
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
for i = 3, #KEYS do redis.call('RPUSH', KEYS[i], ARGV[3]) end
return 1
"""

NEWSWORKER_TASKS = names.LEDGERED | names.FEED_TASKS
# kombu's priority steps (0 is the queue's own list), in the order of queue_keys().
_STEPS = (0, 3, 6, 9)
_PAGE = 500


def silence_ms(dead_after_s: float) -> int:
    """A worker whose heartbeat is this old counts as dead: half the budget, so that the
    detection, a recovery pass and the lock's expiry all fit in ``dead_after_s``."""
    return int(dead_after_s * 1000 / 2)


@dataclass
class Recovered:
    restored: list[str] = field(default_factory=list)  # delivery tags put back
    dead: dict[str, int] = field(default_factory=dict)  # worker id -> its tags put back


class Roster:
    """The Redis side: heartbeats, held tags, and putting orphaned messages back."""

    def __init__(self, client: redis.Redis, keys: Keys, settings: Settings) -> None:
        self.redis = client
        self.keys = keys
        self.settings = settings
        self.silence_ms = silence_ms(settings.dead_worker_after_s)
        self.queues = {settings.ingest_queue, settings.feeds_queue}
        self.ignored: set[str] = set()  # tags of messages that are not ours to move
        self._restore = client.register_script(_RESTORE)

    @property
    def beats(self) -> str:
        return self.keys.workers("beats")

    def held_key(self, worker: str) -> str:
        return self.keys.workers("held:" + worker)

    def kombu(self, name: str) -> str:
        return self.settings.celery_key_prefix + name

    def now_ms(self) -> int:
        """The broker's clock: heartbeats of every host are compared on one clock."""
        sec, usec = self.redis.time()
        return int(sec) * 1000 + int(usec) // 1000

    # --- one worker's records --------------------------------------------------------------
    def beat(self, worker: str, now_ms: int) -> bool:
        """Record a heartbeat; True when the worker was not listed (its first beat, or it
        was counted dead meanwhile and must record its tags again)."""
        return int(self.redis.zadd(self.beats, {worker: now_ms})) == 1

    def hold(self, worker: str, tags: Mapping[str, int]) -> None:
        if tags:
            self.redis.hset(self.held_key(worker), mapping=dict(tags))

    def unacked(self, tags: list[str]) -> list[bool]:
        pipe = self.redis.pipeline(transaction=False)
        for tag in tags:
            pipe.hexists(unacked_key(self.settings), tag)
        return [bool(x) for x in pipe.execute()]

    def release(self, worker: str, tags: list[str]) -> None:
        if tags:
            self.redis.hdel(self.held_key(worker), *tags)

    def leave(self, worker: str) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.zrem(self.beats, worker)
        pipe.delete(self.held_key(worker))
        pipe.execute()

    # --- recovery ------------------------------------------------------------------------
    def workers(self, now_ms: int, *, live: bool) -> list[str]:
        edge = now_ms - self.silence_ms
        lo, hi = (edge, "+inf") if live else ("-inf", f"({edge}")
        return [to_str(w) for w in self.redis.zrangebyscore(self.beats, lo, hi)]

    def orphans(self, now_ms: int, live: list[str]) -> list[str]:
        """Unacked tags older than the silence that no live worker holds."""
        edge_s = (now_ms - self.silence_ms) / 1000
        out: list[str] = []
        start = 0
        while True:
            page = [to_str(t) for t in self.redis.zrangebyscore(
                self.kombu("unacked_index"), "-inf", edge_s, start=start, num=_PAGE)]
            if not page:
                return out
            pipe = self.redis.pipeline(transaction=False)
            for w in live:
                pipe.hmget(self.held_key(w), page)
            owned = {t for row in pipe.execute() for t, v in zip(page, row, strict=True) if v}
            out += [t for t in page if t not in owned and t not in self.ignored]
            start += len(page)

    def destinations(self, exchange: str, routing_key: str) -> list[str]:
        """The queues kombu would deliver to (direct exchanges, as declared by the app)."""
        if not exchange:
            return [routing_key]
        table = self.redis.smembers(self.kombu(f"_kombu.binding.{exchange}"))
        if not table and routing_key in self.queues:
            # The app binds each queue to an exchange of its own name; a lost binding table
            # (kombu would drop the message as undeliverable) must not lose the task.
            return [routing_key]
        found = set()
        for member in table:
            parts = to_str(member).split(PRIORITY_SEP)
            if len(parts) == 3 and parts[0] == routing_key:
                found.add(parts[2])
        return sorted(found)

    def restore(self, tag: str) -> bool:
        """Put one unacked message back at the head of its queue, as kombu's own restore
        does (redelivered flags, priority list); False when it is gone or not ours."""
        raw = self.redis.hget(unacked_key(self.settings), tag)
        if raw is None:
            return False
        try:
            payload, exchange, routing_key = orjson.loads(raw)
            task = (payload.get("headers") or {}).get("task")
            queues = self.destinations(str(exchange or ""), str(routing_key or ""))
        except (ValueError, TypeError, AttributeError):
            task, queues = None, []  # not a kombu entry of ours: never block the others
        if task not in NEWSWORKER_TASKS or not queues or not self.queues.issuperset(queues):
            self.ignored.add(tag)
            return False
        try:
            payload["headers"]["redelivered"] = True
            payload["properties"]["delivery_info"]["redelivered"] = True
        except (KeyError, TypeError):
            pass
        try:
            priority = max(0, min(int(payload["properties"]["priority"]), 9))
        except (KeyError, TypeError, ValueError):
            priority = 0
        step = bisect(_STEPS, priority) - 1
        lists = [queue_keys(self.settings, q)[step] for q in queues]
        moved = self._restore(keys=[unacked_key(self.settings), self.kombu("unacked_index"),
                                    *lists], args=[tag, raw, orjson.dumps(payload)])
        return bool(moved)

    def recover(self, now_ms: int) -> Recovered:
        live = self.workers(now_ms, live=True)
        dead = self.workers(now_ms, live=False)
        held_by_dead = {w: {to_str(t) for t in self.redis.hkeys(self.held_key(w))} for w in dead}
        out = Recovered()
        for tag in self.orphans(now_ms, live):
            if self.restore(tag):
                out.restored.append(tag)
        restored = set(out.restored)
        for w, tags in held_by_dead.items():
            out.dead[w] = len(tags & restored)
            self.leave(w)
        if len(self.ignored) > 10_000:
            self.ignored.clear()
        return out

    def lock(self, token: str) -> bool:
        """One recovering worker at a time; a dead holder's lock lapses within the silence."""
        key = self.keys.workers("lock")
        if self.redis.set(key, token, px=self.silence_ms, nx=True):
            return True
        return self.redis.get(key) == token.encode() and bool(
            self.redis.pexpire(key, self.silence_ms))


class Watchman(threading.Thread):
    """Worker-side thread: heartbeat, held tags, and recovery of dead workers' messages."""

    def __init__(self, roster: Roster, worker: str, *,
                 busy: Callable[[], bool] | None = None, drain_s: float = 0.0) -> None:
        super().__init__(name="newsworker-watchman", daemon=True)
        self.roster = roster
        self.worker = worker
        # Ten beats per budget: a few lost to a loaded host don't make a worker look dead.
        self.interval_s = min(5.0, max(0.1, roster.settings.dead_worker_after_s / 10))
        # Tasks still running: keep beating through a warm shutdown.
        self.busy: Callable[[], bool] = busy or (lambda: False)
        self.drain_s = drain_s
        self.fresh: deque[str] = deque()
        self.held: dict[str, int] = {}
        self.stopping = threading.Event()
        self._token = f"{worker}:{time.time()}"

    def received(self, tag: str) -> None:
        self.fresh.append(tag)  # deque.append is thread-safe; never blocks the consumer

    def take_fresh(self, now_ms: int) -> dict[str, int]:
        batch = {}
        while self.fresh:
            batch[self.fresh.popleft()] = now_ms
        self.held.update(batch)
        return batch

    def tick(self) -> Recovered | None:
        r = self.roster
        now = r.now_ms()
        fresh = self.take_fresh(now)
        # Hold before beating: a worker must never look live without its tags recorded.
        r.hold(self.worker, fresh)
        if r.beat(self.worker, now) and self.held:
            r.hold(self.worker, self.held)  # counted dead meanwhile: record them all again
        tags = list(self.held)
        gone = [t for t, there in zip(tags, r.unacked(tags), strict=True) if not there]
        for t in gone:
            self.held.pop(t, None)
        r.release(self.worker, gone)
        if not r.lock(self._token):
            return None
        done = r.recover(now)
        for w, n in done.dead.items():
            log.warning("worker %s stopped beating: counted dead, %d of its task(s) queued "
                        "again", w, n)
        if done.restored:
            log.warning("queued %d task(s) again that a dead worker had taken: %s",
                        len(done.restored), ", ".join(done.restored[:10]))
        return done

    def run(self) -> None:
        while not self.stopping.wait(self.interval_s):
            guarded(log, "watchman tick", self.tick)
        # A warm shutdown still running tasks: keep beating (bounded) so none is put back.
        deadline = time.monotonic() + self.drain_s
        while self.busy() and time.monotonic() < deadline:
            guarded(log, "watchman tick", self.tick)
            time.sleep(self.interval_s)
        try:
            # A clean stop: kombu has put back or acknowledged what this worker held, and
            # anything it could not is an orphan the others recover.
            self.roster.leave(self.worker)
        except redis.RedisError as exc:
            log.debug("watchman records left for the others to clear: %s", exc)

    def stop(self) -> None:
        self.stopping.set()

