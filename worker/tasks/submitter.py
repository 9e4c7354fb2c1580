"""The API's ledgered submissions, committed in groups from the event loop, without Celery.

Through ``Celery.send_task`` one API submission cost ~1 ms of CPU: Celery and kombu rebuild
the message piece by piece, take a producer from the pool, publish the ``task-sent`` event as
a second round trip, and the sync route itself hops to a thread pool and back. Here the
event loop builds the same protocol-2 message and ``task-sent`` event (the fields Celery's
``as_task_v2`` and ``send_task_message`` write) and queues it; while no commit is in flight
the loop sends every submission waiting at that moment as one script call (over one
connection of its own, ``worker.tasks.redislink``: no thread hop), which for each one
records the ledger entry, pushes the message and publishes the event, or, once the broker's
clock is past that submission's deadline, does none of it. Each caller is answered only from
its own submission's result.

The guarantees are those of ``worker.tasks.transport`` (docs/recovery.md): the deadline is
half the API's Redis timeout after the submission was made (by the broker's clock, from an
offset read with TIME at most every CLOCK_CHECK_S), a caller is answered within the timeout
(a timer, however long the group ahead of it hangs), and a caller told anything but "queued"
gets its task marked abandoned, in case its commit ran just before Redis hung.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import os
import re
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import orjson
import redis
from celery.utils.nodenames import anon_nodename
from celery.utils.saferepr import saferepr
from celery.utils.time import utcoffset
from kombu.exceptions import OperationalError

from worker.tasks import names
from worker.tasks.broker import DEADLINE_HEADER, SubmissionLedger, queue_keys
from worker.tasks.redislink import RedisLink, open_link
from worker.tasks.transport import CLOCK_CHECK_S, clock_offset_ms

log = logging.getLogger(__name__)

MAX_GROUP = 64  # submissions per script call: bounds one call's size and its Redis time
# Script calls in flight on the connection (pipelined; Redis runs them in order): with one,
# the loop sat idle while a group's reply was on its way and the next group waited; two
# still left it waiting on a loaded host (bench 0.71-0.89 where four gave 0.89-1.07).
IN_FLIGHT = 4
REPR_MAX = 1024  # Celery's argsrepr_maxsize / kwargsrepr_maxsize

# Per submission, ARGV from 2 on: task id, ledger body, queue, send time (ms, publisher's
# clock), deadline (broker ms), message, event; KEYS from 3 on: its sent:<queue> set and its
# queue's list. ARGV[1]: the channel of task-sent events ('' sends none). One 0/1 each.
_COMMIT_GROUP = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
local n = (#ARGV - 1) / 7
for i = 0, n - 1 do
  local a, k = 2 + i * 7, 3 + i * 2
  if now > tonumber(ARGV[a + 4]) then
    out[i + 1] = 0
  else
    redis.call('HSET', KEYS[1], ARGV[a], ARGV[a + 1])
    redis.call('HSET', KEYS[2], ARGV[a], ARGV[a + 2])
    redis.call('ZADD', KEYS[k], ARGV[a + 3], ARGV[a])
    redis.call('LPUSH', KEYS[k + 1], ARGV[a + 5])
    if ARGV[1] ~= '' then redis.call('PUBLISH', ARGV[1], ARGV[a + 6]) end
    out[i + 1] = 1
  end
end
return out
"""

_EMBED = {"callbacks": None, "errbacks": None, "chain": None, "chord": None}
# Characters repr() and Celery's saferepr both write as they are.
_PLAIN = re.compile(r"[A-Za-z0-9 _.,:/?#=&%+~@-]*").fullmatch


def task_repr(kwargs: dict[str, Any]) -> str:
    """Celery's kwargsrepr (saferepr): for keyword arguments that are plain strings or None
    and short, repr() says the same at a fifth of the cost (~25 us a request)."""
    if all(isinstance(k, str) and _PLAIN(k) and (v is None or (isinstance(v, str) and
                                                               _PLAIN(v) is not None))
           for k, v in kwargs.items()):
        text = repr(kwargs)
        if len(text) <= REPR_MAX:
            return text
    return str(saferepr(kwargs, REPR_MAX))


@dataclass(slots=True, eq=False)
class Pending:
    """One submission on its way, from its request to its commit."""

    task_id: str
    name: str
    queue: str
    ledger_body: bytes
    headers: dict[str, Any]
    body: str  # base64 of [args, kwargs, embed]
    sent_event: dict[str, Any]
    expires_mono: float  # its deadline, on our monotonic clock
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[str]
    timer: asyncio.TimerHandle | None = None
    closed: bool = False  # answered


@dataclass
class Channels:
    """What kombu tells once: the task-sent channel, the reply-to oid; queues declared."""

    events: str = ""
    reply_to: str = ""
    declared: set[str] = field(default_factory=set)


@dataclass
class LoopState:
    """A loop's own queue and connection (one loop in the server; TestClient starts a loop
    per request)."""

    pending: deque[Pending] = field(default_factory=deque)
    pumps: int = 0  # commits in flight, at most IN_FLIGHT
    link: RedisLink | None = None
    opening: asyncio.Lock = field(default_factory=asyncio.Lock)  # one connect, one prepare


class GroupSubmitter:
    """Submits ledgered tasks for coroutines (``await submitter.send(...)``); see the module."""

    def __init__(self, app: Any, ledger: SubmissionLedger, timeout_s: float) -> None:
        self.app = app
        self.settings = app.settings
        self.ledger = ledger
        self.timeout_s = timeout_s
        self.sha = hashlib.sha1(_COMMIT_GROUP.encode()).hexdigest()
        self.origin = anon_nodename()
        self.pid = os.getpid()
        self.channels: Channels | None = None
        self.clock_offset_ms: float | None = None  # broker clock minus our monotonic one
        self.clock_measured_at_s = 0.0
        self.loops: dict[asyncio.AbstractEventLoop, LoopState] = {}

    @classmethod
    def for_app(cls, app: Any, timeout_s: float) -> GroupSubmitter | None:
        """One for ``app`` when its submissions go through the ledger's one-step commit (a
        Redis broker over TCP, our transport, the journal on); else None: Celery's path."""
        from worker.tasks.app import PURGE_AWARE_TRANSPORT  # app imports the tasks: lazily

        ledger = app.ledger()
        if ledger is None or app.conf.broker_transport != PURGE_AWARE_TRANSPORT or \
                not app.settings.celery_broker.startswith("redis://"):
            return None
        return cls(app, ledger, timeout_s)

    async def send(self, name: str, args: list[Any], kwargs: dict[str, Any], queue: str) -> str:
        """Queue task ``name`` (a ledgered one) and return its id once committed; raises
        redis.RedisError (a 503) when it was not, within the timeout."""
        if name not in names.LEDGERED:
            raise ValueError(f"{name} does not go through the ledger")
        item = self.build(name, args, kwargs, queue)
        item.timer = item.loop.call_later(self.timeout_s, self.expire, item)
        state = self.loops.get(item.loop)
        if state is None:
            for old in [lp for lp in self.loops if lp.is_closed()]:
                del self.loops[old]
            state = self.loops[item.loop] = LoopState()
        state.pending.append(item)
        if state.pumps < IN_FLIGHT:
            state.pumps += 1
            # Started on the loop's next turn: what arrives meanwhile joins the group.
            item.loop.create_task(self.pump(state))
        return await item.future

    def build(self, name: str, args: list[Any], kwargs: dict[str, Any], queue: str) -> Pending:
        task_id = str(uuid.uuid4())
        argsrepr, kwargsrepr = saferepr(args, REPR_MAX), task_repr(kwargs)
        # As Celery's as_task_v2 writes them (commit_group adds the deadline).
        headers = {"lang": "py", "task": name, "id": task_id, "shadow": None, "eta": None,
                   "expires": None, "group": None, "group_index": None, "retries": 0,
                   "timelimit": [None, None], "root_id": task_id, "parent_id": None,
                   "argsrepr": argsrepr, "kwargsrepr": kwargsrepr, "origin": self.origin,
                   "ignore_result": None, "replaced_task_nesting": 0, "stamped_headers": None,
                   "stamps": {}}
        sent_event = {"uuid": task_id, "root_id": task_id, "parent_id": None, "name": name,
                      "args": argsrepr, "kwargs": kwargsrepr, "retries": 0, "eta": None,
                      "expires": None, "queue": queue, "exchange": "", "routing_key": queue}
        loop = asyncio.get_running_loop()
        return Pending(
            task_id, name, queue,
            SubmissionLedger.body_of(name, args, kwargs, queue),
            headers, base64.b64encode(orjson.dumps([args, kwargs, _EMBED])).decode(),
            sent_event, time.monotonic() + self.timeout_s / 2, loop, loop.create_future())

    def expire(self, item: Pending) -> None:
        """The caller's wait is over: answer 503 whatever the group ahead of it does."""
        self.settle(item, redis.TimeoutError(f"submission {item.task_id} not committed within "
                                             f"{self.timeout_s:g} s"))

    def settle(self, item: Pending, outcome: BaseException | None) -> None:
        if item.closed:
            return
        item.closed = True
        if item.timer is not None:
            item.timer.cancel()
        if outcome is None:
            if not item.future.done():  # cancelled: its client left; the task is queued
                item.future.set_result(item.task_id)
            return
        # Its commit may have run just before Redis hung, the answer never sent: no worker
        # may run what the caller is told failed (docs/recovery.md).
        self.ledger.abandon(self.settings.celery_broker, item.task_id, self.timeout_s)
        if not item.future.done():
            item.future.set_exception(outcome)

    async def pump(self, state: LoopState) -> None:
        """Commits what waits, a group at a time, until nothing does."""
        try:
            while state.pending:
                group = [state.pending.popleft()
                         for _ in range(min(len(state.pending), MAX_GROUP))]
                try:
                    outcomes = await self.commit(state, group)
                except Exception as exc:  # a bug: answered 500, logged; the pump goes on
                    log.exception("submitting %d task(s) failed", len(group))
                    outcomes = [exc] * len(group)
                for item, outcome in zip(group, outcomes, strict=True):
                    self.settle(item, outcome)
        finally:
            state.pumps -= 1

    async def commit(self, state: LoopState, group: list[Pending]
                     ) -> list[BaseException | None]:
        """Commit what is still awaited and in time; the outcome of each (None: committed)."""
        now = time.monotonic()
        late = redis.TimeoutError("submission reached the committer after its deadline")
        live = [i for i in group if not i.closed and i.expires_mono > now]
        outcomes: dict[int, BaseException | None] = {id(i): late for i in group}
        if live:
            try:
                done = await self.commit_live(state, live)
            except (redis.RedisError, OperationalError, OSError) as exc:
                self.clock_offset_ms = None  # maybe another server now: measure again
                if state.link is not None and not isinstance(exc, redis.ResponseError):
                    state.link.close()
                    state.link = None
                # A 503 either way (worker.api.errors); a bare OSError would be a 500.
                err = redis.ConnectionError(str(exc)) if isinstance(exc, OSError) else exc
                done = [err] * len(live)
            outcomes.update(zip(map(id, live), done, strict=True))
        return [outcomes[id(i)] for i in group]

    async def commit_live(self, state: LoopState, live: list[Pending]
                          ) -> list[BaseException | None]:
        queues = {i.queue for i in live}
        channels = self.channels
        link = state.link
        if channels is None or not queues <= channels.declared or link is None or link.lost:
            async with state.opening:
                if self.channels is None or not queues <= self.channels.declared:
                    # kombu's connection blocks: once, off the loop.
                    await asyncio.get_running_loop().run_in_executor(None, self.prepare,
                                                                     queues)
                if state.link is None or state.link.lost:
                    state.link = await open_link(self.settings.celery_broker, self.timeout_s)
            channels, link = self.channels, state.link
            assert channels is not None and link is not None  # set just above
        offset = await self.broker_offset_ms(link)
        sent_ms = int(time.time() * 1000)
        ledger_keys = self.ledger.commit_keys
        keys: list[Any] = list(ledger_keys("")[:2])
        args: list[Any] = [channels.events]
        tz = utcoffset()
        for item in live:
            deadline_ms = int(item.expires_mono * 1000 + offset)
            message = {"body": item.body, "content-encoding": "utf-8",
                       "content-type": "application/json",
                       "headers": {**item.headers, DEADLINE_HEADER: deadline_ms},
                       "properties": {"correlation_id": item.task_id,
                                      "reply_to": channels.reply_to, "delivery_mode": 2,
                                      "delivery_info": {"exchange": "",
                                                        "routing_key": item.queue},
                                      "priority": 0, "body_encoding": "base64",
                                      "delivery_tag": str(uuid.uuid4())}}
            event = self.event_message(item, tz) if channels.events else b""
            keys += [ledger_keys(item.queue)[2], queue_keys(self.settings, item.queue)[0]]
            args += [item.task_id, item.ledger_body, item.queue, sent_ms, deadline_ms,
                     orjson.dumps(message), event]
        try:
            done = await link.call("EVALSHA", self.sha, len(keys), *keys, *args,
                                   timeout_s=self.timeout_s)
        except redis.ResponseError as exc:
            if not str(exc).startswith("NOSCRIPT"):
                raise
            done = await link.call("EVAL", _COMMIT_GROUP, len(keys), *keys, *args,
                                   timeout_s=self.timeout_s)
        return [None if int(ok) else redis.TimeoutError(
            f"submission {item.task_id} reached Redis after its deadline")
            for item, ok in zip(live, done, strict=True)]

    def event_message(self, item: Pending, tz: float) -> bytes:
        """The task-sent event as Celery's EventDispatcher publishes it."""
        body = {"hostname": self.origin, "utcoffset": tz, "pid": self.pid,
                "clock": self.app.clock.forward(), **item.sent_event,
                "timestamp": time.time(), "type": "task-sent"}
        return orjson.dumps({
            "body": base64.b64encode(orjson.dumps(body)).decode(),
            "content-encoding": "utf-8", "content-type": "application/json",
            "headers": {"hostname": self.origin},
            "properties": {"delivery_mode": 1, "delivery_info": {"exchange": "celeryev",
                                                                 "routing_key": "task.sent"},
                           "priority": 0, "body_encoding": "base64",
                           "delivery_tag": str(uuid.uuid4())}})

    def prepare(self, queues: set[str]) -> Channels:
        """Once: the queues declared as Celery's first publish declares them, and the names
        kombu gives the task-sent channel and the reply-to address."""
        if self.channels is not None and queues <= self.channels.declared:
            return self.channels
        channels = self.channels or Channels(reply_to=self.app.thread_oid)
        with self.app.connection_for_write() as conn:
            channel = conn.default_channel
            if self.app.conf.task_send_sent_event:
                (topic,) = channel._get_publish_topics("celeryev", "task.sent")
                channels.events = channel.global_keyprefix + topic
            for q in queues - channels.declared:
                declared = self.app.amqp.queues.get(q)
                if declared is not None:
                    declared.bind(channel).declare()
                channels.declared.add(q)
        self.channels = channels
        return channels

    async def broker_offset_ms(self, link: RedisLink) -> float:
        """The broker's clock minus our monotonic clock (ms), read with TIME at most every
        CLOCK_CHECK_S; taken as if TIME answered when its reply arrived, so deadlines err
        early, as worker.tasks.transport's do."""
        now = time.monotonic()
        if self.clock_offset_ms is None or now - self.clock_measured_at_s > CLOCK_CHECK_S:
            sec, usec = await link.call("TIME", timeout_s=self.timeout_s)
            now = time.monotonic()
            self.clock_offset_ms = clock_offset_ms(sec, usec, now)
            self.clock_measured_at_s = now
        return self.clock_offset_ms
