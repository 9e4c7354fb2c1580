"""The Celery application: JSON only, named queues, late acks, bounded retries.

Tasks are idempotent (the event store dedupes by content hash and checks versions), which
is what makes ``acks_late`` + ``reject_on_worker_lost`` safe: a redelivered task appends
nothing new.
"""

from __future__ import annotations

import logging
import sys

from celery import Celery
from kombu import Queue

from worker.errors import ConfigError
from worker.settings import Settings, get_settings

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


def make_app(settings: Settings | None = None) -> Celery:
    try:
        settings = settings or get_settings()
    except ConfigError as exc:
        # Celery would print a traceback; an operator needs the key.
        sys.exit(f"newsworker: {exc}")
    app = Celery("newsworker", include=["worker.tasks", "worker.feedtasks"])
    configure(app, settings)
    # `celery beat` polls the feed schedule; poll_due_feeds only queues feeds that are due.
    app.conf.beat_schedule = {
        "poll-due-feeds": {"task": "newsworker.poll_due_feeds", "schedule": 30.0,
                           "options": {"queue": settings.feeds_queue, "expires": 25}},
    }
    return app


app = make_app()
