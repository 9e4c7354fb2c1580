"""Redis clients and the one bytes -> str helper every layer uses on Redis replies.

Clients come from :func:`connect` so every process gets the same timeouts and health checks;
nothing here connects until a command runs.
"""

from __future__ import annotations

import logging
from typing import Any

import redis

log = logging.getLogger(__name__)

__all__ = ["connect", "to_str"]


def connect(url: str, **kwargs: Any) -> redis.Redis:
    """A Redis client for ``url`` (redis://, rediss:// with TLS, unix://; AUTH in the URL)."""
    kwargs.setdefault("health_check_interval", 30)
    kwargs.setdefault("socket_connect_timeout", 5)
    kwargs.setdefault("retry_on_timeout", True)
    return redis.Redis.from_url(url, **kwargs)


def to_str(value: Any) -> str:
    """A Redis reply (bytes, str, int or None) as text.

    Invalid UTF-8 is replaced, never raised: stream entries are written by anyone with XADD
    access, and a UnicodeDecodeError must not escape a consumer or a status page.
    """
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)
