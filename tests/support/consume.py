"""Helpers for consumer-group tests: a `newsworker consume` command line, what the archive and
the stream hold, whether a group has caught up, a group run in-process, a CLI call."""

from __future__ import annotations

import subprocess
import sys

import orjson
import redis

from tests.conftest import settings_env
from worker.consumers.consumer import Consumer
from worker.consumers.handler import HandlerContext, resolve
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import group_info
from worker.store.keys import Keys


def consume_argv(group: str, handler: str, name: str, batch: int = 4,
                 *extra: str) -> list[str]:
    return [sys.executable, "-m", "worker", "consume", group, "--handler", handler,
            "--consumer", name, "--batch", str(batch), *extra]


def archived_ids(settings: Settings) -> list[str]:
    ids = []
    for path in sorted(settings.archive_path.glob("*.jsonl")):
        ids += [orjson.loads(line)["event_id"] for line in path.read_bytes().splitlines()]
    return ids


def appended_ids(store: EventStore) -> list[str]:
    return [ev.event_id for _, ev in store.read()]


def settled(client: redis.Redis, keys: Keys, group: str) -> bool:
    info = group_info(client, keys.events, group)
    return bool(info) and info[0].pending == 0 and info[0].lag == 0


def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "worker", *args], env=settings_env(settings),
                          capture_output=True, text=True, timeout=60)


def run_group(settings: Settings, store: EventStore, group: str, handler: str) -> Consumer:
    spec = resolve(handler, HandlerContext(settings, store.keys, store.redis, group))
    c = Consumer(store.redis, store.keys, group, spec, settings, consumer="c")
    c.run(until_idle=True)
    return c
