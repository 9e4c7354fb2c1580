"""The Celery application: JSON only, named queues, late acks, bounded retries.

Tasks are idempotent (the event store dedupes by content hash and checks versions), which
is what makes ``acks_late`` + ``reject_on_worker_lost`` safe: a redelivered task appends
nothing new.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
import uuid
from typing import Any

import redis
from celery import Celery, signals
from kombu import Queue

from worker.errors import ConfigError
from worker.settings import Settings, get_settings
from worker.store.keys import Keys
from worker.tasks.broker import JOURNALED, Entry, Journal, Keeper

log = logging.getLogger(__name__)


def transport_options(settings: Settings) -> dict[str, object]:
    vt = settings.visibility_timeout_s
    opts: dict[str, object] = {
        "visibility_timeout": vt,
        # Restore a killed worker's unacked messages within about half the timeout.
        "unacked_restore_interval": max(1, min(10, vt // 2)),
        "unacked_restore_throttle": 1 if vt < 120 else 10,
    }
    if settings.celery_key_prefix:
        opts["global_keyprefix"] = settings.celery_key_prefix
    return opts


def configure(app: Celery, settings: Settings) -> None:
    app.conf.update(
        broker_url=settings.celery_broker,
        result_backend=settings.celery_backend,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],  # a pickled message is rejected, never executed
        result_accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=settings.task_time_limit_s,
        task_soft_time_limit=settings.task_soft_time_limit_s,
        task_track_started=True,
        result_expires=24 * 3600,
        # Off: it stored every task's args (a whole article for ingest_text) with its result
        # and nothing reads them back.
        result_extended=False,
        task_default_queue=settings.ingest_queue,
        task_queues=[Queue(settings.ingest_queue), Queue(settings.feeds_queue)],
        task_routes={
            "newsworker.poll_feed": {"queue": settings.feeds_queue},
            "newsworker.poll_due_feeds": {"queue": settings.feeds_queue},
            "newsworker.fetch_fulltext": {"queue": settings.feeds_queue},
        },
        # ETA/countdown tasks longer than this would be redelivered: keep it above retry caps.
        broker_transport_options=transport_options(settings),
        result_backend_transport_options={"visibility_timeout": settings.visibility_timeout_s},
        broker_connection_retry_on_startup=True,
        worker_send_task_events=True,  # Flower and `celery events` need only these
        # Off: a "task-sent" event was one more broker publish per submitted task, on the
        # submitter's path (the API request, a feed task queueing fetches).
        task_send_sent_event=False,
        worker_hijack_root_logger=False,
        enable_utc=True,
        timezone="UTC",
    )


class NewsworkerCelery(Celery):  # type: ignore[misc]
    """Celery that journals ingest submissions before publishing them (worker/journal.py)."""

    settings: Settings
    _journal_client: Journal | None = None
    keeper: Keeper | None = None

    def journal(self) -> Journal | None:
        if not self.settings.journal or not self.settings.celery_broker.startswith(
                ("redis://", "rediss://", "unix://")):
            return None
        if self._journal_client is None:
            from worker.redisconn import connect

            client = connect(self.settings.celery_broker, socket_timeout=5)
            self._journal_client = Journal(client, Keys(self.settings.key_prefix))
        return self._journal_client

    def _queue_for(self, name: str, args: Any, kwargs: Any, options: dict[str, Any]) -> str:
        q = options.get("queue")
        if q is None:
            q = self.amqp.router.route(dict(options), name, args, kwargs).get("queue")
        return str(getattr(q, "name", q) or self.conf.task_default_queue)

    def send_task(self, name: str, args: Any = None, kwargs: Any = None,
                  **options: Any) -> Any:
        resends = int(options.pop("journal_resends", 0))
        journal = self.journal() if name in JOURNALED else None
        if journal is not None:
            options["task_id"] = options.get("task_id") or str(uuid.uuid4())
            entry = Entry(options["task_id"], name, list(args or ()), dict(kwargs or {}),
                          self._queue_for(name, args, kwargs, options), resends)
            # Journal first: a message published but never journaled could be lost unseen.
            for delay in (0.2, 0.5, 1.0, 2.0, None):
                try:
                    journal.record(entry)
                    break
                except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError):
                    if delay is None:
                        raise
                    time.sleep(delay)
            try:
                return super().send_task(name, args, kwargs, **options)
            except Exception:
                # The caller is told the submission failed: don't re-send it behind its back.
                with contextlib.suppress(redis.RedisError):
                    journal.forget(entry)
                raise
        return super().send_task(name, args, kwargs, **options)

    def broker_queue_len(self, queue: str) -> int:
        journal = self.journal()
        if journal is None:
            return 0
        from worker.ops.monitor import queue_keys

        pipe = journal.redis.pipeline(transaction=False)
        for key in queue_keys(self.settings, queue):
            pipe.llen(key)
        return sum(int(n) for n in pipe.execute())

    def resend(self, entry: Entry) -> None:
        self.send_task(entry.name, entry.args, entry.kwargs, task_id=entry.task_id,
                       queue=entry.queue, journal_resends=entry.resends + 1)


def _app_of(sender: Any) -> NewsworkerCelery | None:
    app = getattr(sender, "app", None)
    return app if isinstance(app, NewsworkerCelery) else None


def _start_keeper(sender: Any = None, **_: Any) -> None:
    app = _app_of(sender)
    if app is None or app.keeper is not None:
        return
    journal = app.journal()
    if journal is None:
        return
    # A client of its own, with short timeouts: this thread must never wedge on Redis.
    from worker.redisconn import connect

    own = Journal(connect(app.settings.celery_broker, socket_timeout=2,
                          socket_connect_timeout=2), journal.keys)
    s = app.settings
    consumed = getattr(getattr(app.amqp, "queues", None), "consume_from", None) or {}
    queues = sorted({s.ingest_queue, *consumed})
    app.keeper = Keeper(own, resend=app.resend, queues=queues,
                        queue_len=app.broker_queue_len, resend_after_s=s.journal_resend_after_s,
                        max_resends=s.journal_max_resends,
                        reap_every_s=min(5.0, max(0.5, s.journal_resend_after_s / 4)))
    app.keeper.start()


def _receipt(sender: Any = None, request: Any = None, **_: Any) -> None:
    # Runs in the consumer's event loop: only a deque append, the thread does the I/O.
    app = _app_of(sender)
    if (app is not None and app.keeper is not None and request is not None
            and getattr(request, "name", None) in JOURNALED):
        app.keeper.receipt(request.id)


def _stop_keeper(sender: Any = None, **_: Any) -> None:
    app = _app_of(sender)
    if app is not None and app.keeper is not None:
        app.keeper.stop()
        app.keeper.join(timeout=5)


signals.worker_ready.connect(_start_keeper)
signals.task_received.connect(_receipt)
signals.worker_shutdown.connect(_stop_keeper)


def make_app(settings: Settings | None = None) -> Celery:
    try:
        settings = settings or get_settings()
    except ConfigError as exc:
        # Celery would print a traceback; an operator needs the key.
        sys.exit(f"newsworker: {exc}")
    app = NewsworkerCelery("newsworker", include=["worker.tasks.ingest", "worker.tasks.feeds"])
    app.settings = settings
    configure(app, settings)
    # `celery beat` polls the feed schedule; poll_due_feeds only queues feeds that are due.
    app.conf.beat_schedule = {
        "poll-due-feeds": {"task": "newsworker.poll_due_feeds", "schedule": 30.0,
                           "options": {"queue": settings.feeds_queue, "expires": 25}},
    }
    return app


app = make_app()
