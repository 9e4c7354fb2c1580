"""The result backend of a process that only submits (the API): see the class."""

from __future__ import annotations

from typing import Any

from celery.backends.redis import RedisBackend

from worker.redisconn import BoundedLookupConnection


class SubmitOnlyRedisBackend(RedisBackend):  # type: ignore[misc]
    """Celery's Redis result backend without the result subscription it opens for every
    task sent: a submitting process reads results on demand (``/v1/tasks/{id}``), and that
    subscription's reconnect loop outlives any request timeout and, once past its retry
    limit, disables the app until restarted. Over plain TCP its connect timeout bounds the
    host-name lookup too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # TLS and unix sockets bring their own connection class.
        self.connparams.setdefault("connection_class", BoundedLookupConnection)

    def on_task_call(self, producer: Any, task_id: str) -> None:
        return None
