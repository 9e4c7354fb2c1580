"""The broker side of Celery: queue keys, and the submission ledger that re-sends task
messages the broker lost between pop and unacked (its Redis keys and settings keep their
historic ``journal`` name, so deployments carry over).

kombu's Redis transport takes a message with BRPOP, then records it in its ``unacked``
hash with a second command. If Redis dies between the two (or the worker is SIGKILLed
there), the pop is durable and the unacked record is never written: the message is gone,
and nothing in Celery can notice. ``make faults`` (Redis down 10 s mid-ingest) showed it.

The ledger closes that window for the ingest tasks:

- **record** (publisher, with the message: on our transport one script records the entry
  and pushes the message, or, once past a deadline of half the client's socket timeout,
  does neither, so a client told "failed" never has either land later): the task's name,
  args, kwargs and queue, and its send time in a per-queue sorted set;
- **receipt** (worker main process, ``task_received``): kombu fires it only after the
  unacked record is written, so from then on the message is kombu's to redeliver. A
  background thread flushes receipts in batches (never blocking the consumer loop); a
  receipt removes the entry and raises the queue's *mark*, the latest send time received;
- **reap** (one worker at a time, under a lock): a queue is FIFO, so an entry sent before
  something received at least ``journal_resend_after_s`` ago, or before a moment at least
  that long ago when the queue was empty, and still not received, was lost. It is re-sent
  with the same task id. Tasks are idempotent, so a false alarm (a receipt a dead worker
  never flushed) costs a redundant run, never a duplicate event.

Keys live on the broker's Redis (it is the broker that loses the message) and share the
event store's hash tag, so the scripts also run on Redis Cluster.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
import redis
from celery.worker import state as worker_state

from worker.redisconn import send_blind, to_str
from worker.settings import Settings
from worker.store.keys import Keys

log = logging.getLogger(__name__)


_RECEIPT = """
local marks = KEYS[3]
for i = 1, #ARGV do
  local id = ARGV[i]
  local q = redis.call('HGET', KEYS[2], id)
  if q then
    local sent = KEYS[4] .. q
    local s = redis.call('ZSCORE', sent, id)
    redis.call('ZREM', sent, id)
    redis.call('HDEL', KEYS[1], id)
    redis.call('HDEL', KEYS[2], id)
    if s then
      local m = tonumber(redis.call('HGET', marks, q) or '0')
      if tonumber(s) > m then redis.call('HSET', marks, q, s) end
    end
  end
end
return 0
"""

# Records a submission and publishes its message in one step, or does nothing: a submitting
# client that gave up (socket timeout, Redis hung) must not have either land later, when the
# stopped Redis resumes and reads what was left in the socket buffer.
# KEYS: msg, queue_of, sent:<queue>, the queue's list. ARGV: task id, ledger body, queue,
# send time (ms, publisher's clock, as record() uses), deadline (broker ms; 0: none), message.
_COMMIT = """
if tonumber(ARGV[5]) > 0 then
  local t = redis.call('TIME')
  if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[5]) then
    return 0
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
redis.call('LPUSH', KEYS[4], ARGV[6])
return 1
"""

# How long a mark that a submission was abandoned is kept: far longer than any message waits.
ABANDONED_TTL_S = 7 * 24 * 3600

# The message header that carries a submission's ledger body from send_task to the transport
# (worker.tasks.transport), which commits both at once and strips it from the message.
LEDGER_HEADER = "newsworker_ledger"
# Set on a message whose submitter had a deadline (so might give up on it and mark it
# abandoned): only those cost a worker the look at the mark.
DEADLINE_HEADER = "newsworker_deadline_ms"


# kombu's Redis transport keeps priorities 3/6/9 in sibling lists named queue + SEP + step.
PRIORITY_SEP = "\x06\x16"
PRIORITY_STEPS = ("", "3", "6", "9")


def queue_keys(settings: Settings, queue: str) -> list[str]:
    """The broker lists holding ``queue``'s messages, one per priority step."""
    base = settings.celery_key_prefix + queue
    return [base + (PRIORITY_SEP + step if step else "") for step in PRIORITY_STEPS]


def unacked_key(settings: Settings) -> str:
    """kombu's hash of messages taken by a worker and not yet acknowledged."""
    return settings.celery_key_prefix + "unacked"


def guarded(logger: logging.Logger, what: str, step: Callable[[], object]) -> None:
    """One step of a background thread: Redis away is expected and retried next time; any
    other error is a bug, logged, and must not kill the thread silently."""
    try:
        step()
    except redis.RedisError as exc:
        logger.debug("%s skipped: %s", what, exc)
    except Exception:
        logger.exception("%s failed", what)


@dataclass(frozen=True, slots=True)
class Entry:
    task_id: str
    name: str
    args: list[Any]
    kwargs: dict[str, Any]
    queue: str
    resends: int = 0


class SubmissionLedger:
    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.redis = client
        self.keys = keys
        self._receipt = client.register_script(_RECEIPT)
        self._commit = client.register_script(_COMMIT)

    # Key names: built from Keys so every one shares the hash tag.
    @property
    def _msg(self) -> str:
        return self.keys.journal("msg")

    @property
    def _queue_of(self) -> str:
        return self.keys.journal("queue")

    @property
    def _marks(self) -> str:
        return self.keys.journal("marks")

    def _sent(self, queue: str) -> str:
        return self.keys.journal("sent:") + queue

    @staticmethod
    def body(entry: Entry) -> bytes:
        return orjson.dumps({"name": entry.name, "args": entry.args, "kwargs": entry.kwargs,
                             "queue": entry.queue, "resends": entry.resends})

    @staticmethod
    def body_of(name: str, args: list[Any], kwargs: dict[str, Any], queue: str) -> bytes:
        """The ledger body of a first submission (no re-sends yet)."""
        return orjson.dumps({"name": name, "args": args, "kwargs": kwargs, "queue": queue,
                             "resends": 0})

    def commit_keys(self, queue: str) -> tuple[str, str, str]:
        """The keys a commit to ``queue`` writes: entries, their queues, its send times."""
        return self._msg, self._queue_of, self._sent(queue)

    def commit(self, task_id: str, body: bytes, queue: str, list_key: str, message: bytes,
               *, deadline_ms: int = 0, now_ms: int | None = None) -> None:
        """Record the submission and push its ``message`` onto ``list_key`` atomically, unless
        the broker's clock is past ``deadline_ms`` (then neither: redis.TimeoutError, which
        callers already treat as "Redis did not answer in time"). The same task id committed
        again is queued again: that is how Celery's retry() re-sends a task."""
        now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        done = self._commit(keys=[self._msg, self._queue_of, self._sent(queue), list_key],
                            args=[task_id, body, queue, now_ms, deadline_ms, message])
        if int(done) == 0:
            raise redis.TimeoutError(f"submission {task_id} reached Redis after its deadline")

    def abandoned_key(self, task_id: str) -> str:
        return self.keys.journal("abandoned:") + task_id

    def abandoned(self, task_id: str) -> bool:
        """Whether the submitter of ``task_id`` gave up on it (and told its caller so)."""
        return bool(self.redis.exists(self.abandoned_key(task_id)))

    def abandon(self, url: str, task_id: str, timeout_s: float) -> None:
        """Mark ``task_id`` abandoned, in the background and without waiting for Redis: its
        commit may have run just before Redis hung, with the answer never sent. Sent while
        Redis is hung, the mark is in its buffers before any worker can ask for it."""
        cmd = ("SET", self.abandoned_key(task_id), "1", "EX", str(ABANDONED_TTL_S))

        def send() -> None:
            try:
                send_blind(url, [cmd], timeout_s)
            except OSError as exc:  # Redis down or refusing: the one window left (docs)
                log.debug("abandon mark for %s not sent: %s", task_id, exc)

        if url.startswith("redis://"):
            threading.Thread(target=send, name="newsworker-abandon", daemon=True).start()

    def record(self, entry: Entry, *, now_ms: int | None = None) -> None:
        now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        body = self.body(entry)
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(self._msg, entry.task_id, body)
        pipe.hset(self._queue_of, entry.task_id, entry.queue)
        pipe.zadd(self._sent(entry.queue), {entry.task_id: now_ms})
        pipe.execute()

    def received(self, task_ids: Iterable[str]) -> None:
        ids = list(task_ids)
        if ids:
            self._receipt(keys=[self._msg, self._queue_of, self._marks, self._sent("")],
                          args=ids)

    def mark(self, queue: str) -> int:
        raw = self.redis.hget(self._marks, queue)
        return int(float(raw)) if raw else 0

    def pending(self) -> int:
        """Entries not yet received by any worker (queued, or lost and awaiting re-send)."""
        return int(self.redis.hlen(self._msg))

    def sent_before(self, queue: str, before_ms: int, limit: int = 200) -> list[Entry]:
        ids = [i.decode() if isinstance(i, bytes) else str(i) for i in
               self.redis.zrangebyscore(self._sent(queue), "-inf", f"({before_ms}",
                                        start=0, num=limit)]
        if not ids:
            return []
        out = []
        for task_id, raw in zip(ids, self.redis.hmget(self._msg, ids), strict=True):
            if raw is None:  # received meanwhile
                continue
            d = orjson.loads(raw)
            out.append(Entry(task_id, d["name"], d["args"], d["kwargs"], d["queue"],
                             int(d.get("resends", 0))))
        return out

    def purged(self, queue: str, *, now_ms: int | None = None) -> int:
        """An operator purged ``queue``: forget every submission sent to it until now, so
        nothing purged is ever re-sent. Returns how many were forgotten."""
        now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        ids = [to_str(i) for i in self.redis.zrangebyscore(self._sent(queue), "-inf", now_ms)]
        if ids:
            pipe = self.redis.pipeline(transaction=True)
            pipe.hdel(self._msg, *ids)
            pipe.hdel(self._queue_of, *ids)
            pipe.zrem(self._sent(queue), *ids)
            pipe.execute()
        return len(ids)

    def forget(self, entry: Entry) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.hdel(self._msg, entry.task_id)
        pipe.hdel(self._queue_of, entry.task_id)
        pipe.zrem(self._sent(entry.queue), entry.task_id)
        pipe.execute()


@dataclass
class _Snapshot:
    at_ms: int
    mark: int
    empty: bool


@dataclass
class Reaper:
    """Decides which unreceived entries are lost, from what it saw ``resend_after_s`` ago.

    Only a view at least that old counts, so a receipt still in some worker's flush buffer
    (or a publish still retrying) has had time to land before its entry is judged.
    """

    journal: SubmissionLedger
    resend_after_s: float
    queue_len: Any  # Callable[[str], int]: messages waiting in the broker's list(s)
    history: dict[str, list[_Snapshot]] = field(default_factory=dict)

    def observe(self, queue: str, now_ms: int) -> int:
        """Record the queue's state now; return the send-time threshold below which an
        unreceived entry is lost (0: none can be judged yet)."""
        snaps = self.history.setdefault(queue, [])
        snaps.append(_Snapshot(now_ms, self.journal.mark(queue), self.queue_len(queue) == 0))
        horizon = now_ms - int(self.resend_after_s * 1000)
        old = [s for s in snaps if s.at_ms <= horizon]
        # Keep the newest old snapshot and everything newer.
        if len(old) > 1:
            del snaps[:len(old) - 1]
            old = old[-1:]
        if not old:
            return 0
        s = old[0]
        return max(s.mark, s.at_ms if s.empty else 0)

    def lost(self, queue: str, now_ms: int | None = None) -> list[Entry]:
        now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        threshold = self.observe(queue, now_ms)
        return self.journal.sent_before(queue, threshold) if threshold else []


class Keeper(threading.Thread):
    """Worker-side thread: flushes receipts, and reaps lost entries when it holds the lock."""

    def __init__(self, journal: SubmissionLedger, *, resend: Any, queues: list[str], queue_len: Any,
                 resend_after_s: float, max_resends: int, interval_s: float = 0.2,
                 reap_every_s: float = 2.0) -> None:
        super().__init__(name="newsworker-journal", daemon=True)
        self.journal = journal
        self.resend = resend  # Callable[[Entry], None]
        self.queues = queues
        self.max_resends = max_resends
        self.reaper = Reaper(journal, resend_after_s, queue_len)
        self.interval_s = interval_s
        self.reap_every_s = reap_every_s
        self.receipts: deque[str] = deque()
        self.stopping = threading.Event()
        self._token = f"{id(self)}:{time.time()}"

    def receipt(self, task_id: str) -> None:
        self.receipts.append(task_id)  # deque.append is thread-safe; never blocks

    def flush(self) -> None:
        batch = [self.receipts.popleft() for _ in range(min(len(self.receipts), 500))]
        if not batch:
            return
        try:
            self.journal.received(batch)
        except redis.RedisError as exc:
            # Keep them for the next try: a dropped receipt would cause a needless re-send.
            self.receipts.extendleft(reversed(batch))
            log.debug("journal receipts not flushed yet: %s", exc)

    def reap(self) -> int:
        lock = self.journal.keys.journal("reaper")
        ttl_ms = int(max(self.reap_every_s * 3, 5) * 1000)
        r = self.journal.redis
        # One reaper at a time: take the lock, or renew it if it is already ours.
        mine = r.set(lock, self._token, px=ttl_ms, nx=True) or (
            r.get(lock) == self._token.encode() and r.pexpire(lock, ttl_ms))
        if not mine:
            return 0
        resent = 0
        for q in self.queues:
            for entry in self.reaper.lost(q):
                if entry.resends >= self.max_resends:
                    log.error("task %s (%s) was lost %d times; giving up on it",
                              entry.task_id, entry.name, entry.resends)
                    self.journal.forget(entry)
                    continue
                if entry.task_id in worker_state.revoked:
                    # Revoked by an operator: final, never re-sent (the receipt for it may
                    # not have been flushed yet).
                    self.journal.forget(entry)
                    continue
                log.warning("task %s (%s) was lost by the broker; re-sending it (%d)",
                            entry.task_id, entry.name, entry.resends + 1)
                self.resend(entry)
                resent += 1
        return resent

    def run(self) -> None:
        next_reap = time.monotonic() + self.reap_every_s
        while not self.stopping.wait(self.interval_s):
            self.flush()
            if time.monotonic() >= next_reap:
                next_reap = time.monotonic() + self.reap_every_s
                guarded(log, "journal reap", self.reap)
        self.flush()

    def stop(self) -> None:
        self.stopping.set()
