"""What every CLI command shares: the two consoles, JSON output and the settings it runs on."""

from __future__ import annotations

import logging
import sys
from typing import Any

from rich.console import Console

from worker.settings import Settings, load_settings, with_recorded_redis

log = logging.getLogger(__name__)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def print_json(obj: Any) -> None:
    import orjson

    sys.stdout.buffer.write(orjson.dumps(obj) + b"\n")
    sys.stdout.flush()


def cli_settings() -> Settings:
    """Settings from the environment and config file; with no ``redis_url``, the Redis of a
    running `newsworker run` when it recorded one."""
    return with_recorded_redis(load_settings())
