"""The result backend of a process that only submits (the API): see the class."""

from __future__ import annotations

from typing import Any

import redis
from celery.backends.redis import RedisBackend

from worker.redisconn import BoundedLookupConnection, BoundedLookupSSLConnection


class SubmitOnlyRedisBackend(RedisBackend):  # type: ignore[misc]
    """Celery's Redis result backend without the result subscription it opens for every
    task sent: a submitting process reads results on demand (``/v1/tasks/{id}``), and that
    subscription's reconnect loop outlives any request timeout and, once past its retry
    limit, disables the app until restarted. Over TCP and TLS its connect timeout bounds the
    host-name lookup too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Celery names redis-py's TLS class for rediss:// itself; unix sockets keep theirs.
        cls = self.connparams.get("connection_class")
        if cls is None:
            self.connparams["connection_class"] = BoundedLookupConnection
        elif cls is redis.SSLConnection:
            self.connparams["connection_class"] = BoundedLookupSSLConnection

    def on_task_call(self, producer: Any, task_id: str) -> None:
        return None
