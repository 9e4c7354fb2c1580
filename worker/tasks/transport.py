"""kombu's Redis transport, plus two things; everything else is kombu's own behaviour.

- A purge of a queue (``celery -A worker purge``, ``Channel.queue_purge``) also tells the
  submission ledger, so the ledger never re-sends a message an operator purged.
- A message carrying a ledger body (``LEDGER_HEADER``, set by ``NewsworkerCelery.send_task``)
  is recorded in the ledger and pushed onto its queue by one script, which does nothing once
  the broker's clock is past half the client's socket timeout. A client that timed out (and
  told its caller "failed") can then never have the record or the message land later, when a
  hung Redis resumes and reads its socket buffer.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import redis
from kombu.transport import redis as kombu_redis
from kombu.utils.json import dumps

from worker.redisconn import BoundedLookupConnection, BoundedLookupSSLConnection
from worker.store.keys import Keys
from worker.tasks.broker import DEADLINE_HEADER, LEDGER_HEADER, SubmissionLedger

log = logging.getLogger(__name__)

LEDGER_PREFIX_OPTION = "newsworker_key_prefix"
# How long a measured offset between the broker's clock and ours is trusted (a step of the
# broker's clock counts from the next measurement; ours is monotonic).
CLOCK_CHECK_S = 10.0

# The task id this thread's last publish committed: send_task answers from it when something
# after the commit (Celery's task-sent event) fails, since the task will run.
last_commit = threading.local()


def clock_offset_ms(sec: int | str, usec: int | str, mono_now_s: float) -> float:
    """The broker's clock (a TIME reply) minus our monotonic clock, in ms, taken as if TIME
    answered at ``mono_now_s`` (when its reply arrived), so it errs early. Kept unrounded:
    truncating both clocks to whole ms made the estimate up to 1 ms late
    (test_submission_overhead failed 1 run in 10)."""
    return int(sec) * 1000 + int(usec) // 1000 - mono_now_s * 1000


def committed(task_id: str) -> bool:
    """Whether this thread's last ledgered publish committed ``task_id``."""
    return getattr(last_commit, "task_id", None) == task_id


class Channel(kombu_redis.Channel):  # type: ignore[misc]
    # TCP and TLS (unix sockets bring their own class): the name lookup is bounded by
    # socket_connect_timeout too.
    connection_class = BoundedLookupConnection
    connection_class_ssl = BoundedLookupSSLConnection
    plain: redis.Redis | None = None
    shared: redis.Redis | None = None  # see conn_or_acquire
    # The broker's clock minus our monotonic clock (ms), and when that was measured.
    clock_offset_ms: float | None = None
    clock_measured_at_s = 0.0

    def plain_client(self) -> redis.Redis:
        """A client to the broker without kombu's key prefixing (the ledger's keys are not
        under celery_key_prefix), sharing the channel's connection settings."""
        if self.plain is None:
            pool = self.client.connection_pool
            self.plain = redis.Redis(connection_pool=redis.ConnectionPool(
                connection_class=pool.connection_class, **pool.connection_kwargs))
        return self.plain

    @contextlib.contextmanager
    def conn_or_acquire(self, client: Any = None) -> Iterator[Any]:
        """kombu builds a new client object (on the channel's pool) for every publish, event
        and ack: ~60 us each, most of it filling the client's table of reply callbacks
        (cProfile: 169 dict insertions per API submission). One per channel and pool does."""
        if client:
            yield client
            return
        if self.collected():
            # kombu would build a pool from the connection's settings, which are gone: an
            # AttributeError that Celery does not catch (an ack after a reconnect stopped the
            # worker). A connection error is what it handles.
            raise redis.ConnectionError("the broker connection was closed")
        pool = self.pool  # a new one after a fork or a disconnect: then a new client too
        if self.shared is None or self.shared.connection_pool is not pool:
            self.shared = self._create_client()
        yield self.shared

    def collected(self) -> bool:
        """Whether this channel's connection was closed under it (kombu's ``collect``, which
        Celery's consumer runs on a broker connection error before closing the channel), or
        the channel itself was closed."""
        return self.connection is None or self.connection.client is None

    def close(self) -> None:
        if self.collected() and not self.closed:
            # Celery's consumer collects the connection and then closes it: restoring the
            # unacked messages then needs a pool built from settings that are gone, and the
            # AttributeError stopped the worker for good (Redis down 1-6 s, 10 times: both
            # workers, queue left at ~1,250). The messages stay in the unacked hash, which any
            # worker's restore_visible returns to their queue after the visibility timeout.
            log.warning("broker connection closed before its channel: its unacked messages "
                        "return after the visibility timeout")
            self.do_restore = False
        super().close()
        self.shared = None
        if self.plain is not None:
            self.plain.close()
            self.plain = None

    def _put(self, queue: str, message: dict[str, Any], **kwargs: Any) -> None:
        headers = message.get("headers") or {}
        prefix = self.connection.client.transport_options.get(LEDGER_PREFIX_OPTION)
        body = headers.get(LEDGER_HEADER)
        if body is None or not prefix:
            super()._put(queue, message, **kwargs)
            return
        # A copy: kombu re-sends the same headers dict when it retries a publish.
        headers = {k: v for k, v in headers.items() if k != LEDGER_HEADER}
        client = self.plain_client()
        timeout = client.connection_pool.connection_kwargs.get("socket_timeout")
        deadline_ms = 0
        if timeout:
            # Half the time the client waits for the answer: a commit that ran in time is
            # answered before the client gives up, one that did not is never run.
            deadline_ms = self.broker_now_ms(client) + int(float(timeout) * 500)
            headers[DEADLINE_HEADER] = deadline_ms
        message = {**message, "headers": headers}
        key = self.global_keyprefix + self._q_for_pri(
            queue, self._get_message_priority(message, reverse=False))
        task_id = str(headers["id"])
        try:
            SubmissionLedger(client, Keys(str(prefix))).commit(
                task_id, str(body).encode(), queue, key, dumps(message).encode(),
                deadline_ms=deadline_ms)
        except redis.RedisError:
            self.clock_offset_ms = None  # maybe another server now: measure again
            raise
        last_commit.task_id = task_id

    def broker_now_ms(self, client: redis.Redis) -> int:
        """The broker's clock now, from its offset to our monotonic clock, measured with TIME
        at most every CLOCK_CHECK_S (a TIME per submission was one of its three round
        trips). The offset is taken as if TIME answered when its reply arrived, so it errs
        early: a deadline is never later than half the timeout after the send."""
        now = time.monotonic()
        if self.clock_offset_ms is None or now - self.clock_measured_at_s > CLOCK_CHECK_S:
            sec, usec = client.time()
            now = time.monotonic()
            self.clock_offset_ms = clock_offset_ms(sec, usec, now)
            self.clock_measured_at_s = now
        return int(now * 1000 + self.clock_offset_ms)

    def _purge(self, queue: str) -> Any:
        purged = super()._purge(queue)
        prefix = self.connection.client.transport_options.get(LEDGER_PREFIX_OPTION)
        if prefix:
            # A plain client to the same server: kombu's own client adds celery_key_prefix
            # to every key it touches.
            forgotten = SubmissionLedger(self.plain_client(), Keys(str(prefix))).purged(queue)
            log.info("purged %s: %s message(s), %d ledger entr(ies) forgotten", queue, purged,
                     forgotten)
        return purged


class Transport(kombu_redis.Transport):  # type: ignore[misc]
    Channel = Channel
