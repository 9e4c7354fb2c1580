"""What every CLI command shares: the two consoles, JSON output, the settings it runs on and
how a ``--since`` value is read."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

from rich.console import Console

from worker.errors import ConfigError
from worker.settings import Settings, default_redis_notice, load_settings, with_recorded_redis

log = logging.getLogger(__name__)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def print_json(obj: Any) -> None:
    import orjson

    sys.stdout.buffer.write(orjson.dumps(obj) + b"\n")
    sys.stdout.flush()


def parse_since(since: str | None, flag: str = "--since") -> datetime | None:
    """A ``--since`` value: an ISO-8601 date or time, a naive one taken as UTC."""
    if not since:
        return None
    try:
        when = datetime.fromisoformat(since)
    except ValueError:
        raise ConfigError(f"{flag} {since!r}: expected an ISO-8601 date or time") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def cli_settings(*, announce_default: bool = True) -> Settings:
    """Settings from the environment and config file; with no ``redis_url``, the Redis of a
    running `newsworker run` when it recorded one, else the default Redis, said on stderr
    (``announce_default=False``: `run`, which starts a Redis of its own instead)."""
    settings = with_recorded_redis(load_settings())
    notice = default_redis_notice(settings) if announce_default else None
    if notice:
        err.print(f"newsworker: {notice}", markup=False, highlight=False)
    return settings
