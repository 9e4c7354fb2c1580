"""Real processes for the fault scenarios: a private Redis, Celery workers, consumers.

Everything runs on 127.0.0.1 with free ports under one temp directory; every process is in
its own session so a SIGKILL takes its whole tree (Celery's pool children too).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

from worker.events.models import ARTICLE_INGESTED, article_id_for
from worker.ops.runner import free_port, redis_server_binary, wait_for_redis
from worker.redisconn import connect
from worker.settings import Settings, load_settings
from worker.store.eventstore import EventStore
from worker.store.keys import Keys

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Row:
    scenario: str
    faults: str
    submitted: int = 0
    events: int = 0
    lost: int = 0
    duplicated: int = 0
    handled: int = 0
    dead_letters: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    # From the fault (or its end) until every accepted task is an event; None: not measured.
    recovery_s: float | None = None
    visibility_timeout_s: int | None = None

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.duplicated == 0 and not any(
            n.startswith("FAIL") for n in self.notes)


class Proc:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.argv, self.env, self.log = name, argv, env, log
        self.p: subprocess.Popen[bytes] | None = None

    def start(self) -> Proc:
        with self.log.open("ab") as out:
            self.p = subprocess.Popen(self.argv, env=self.env, cwd=ROOT, stdout=out,
                                      stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                      start_new_session=True)
        return self

    def alive(self) -> bool:
        return self.p is not None and self.p.poll() is None

    def signal(self, sig: int) -> None:
        if self.p is not None and self.p.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.p.pid, sig)

    def kill(self) -> None:
        self.signal(signal.SIGKILL)
        if self.p is not None:
            self.p.wait()

    def stop(self, timeout: float = 20) -> None:
        if self.p is None:
            return
        self.signal(signal.SIGTERM)
        try:
            self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class RedisServer:
    """A private redis-server: append-only with fsync always, so a SIGKILL loses nothing
    that was acknowledged. ``kill()`` + ``start()`` restarts it on the same port and dir."""

    def __init__(self, base: Path) -> None:
        self.dir = base / "redis"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: Proc | None = None

    def argv(self) -> list[str]:
        return [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
                "--dir", str(self.dir), "--appendonly", "yes", "--appendfsync", "always",
                "--save", "", "--maxmemory-policy", "noeviction", "--daemonize", "no"]

    def start(self) -> None:
        self.proc = Proc("redis", self.argv(), dict(os.environ), self.dir / "redis.log").start()
        wait_for_redis(self.url, timeout_s=30)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()


class Cluster:
    """One scenario's world: Redis, settings, child processes, input files."""

    def __init__(self, base: Path, name: str, **overrides: Any) -> None:
        self.base = base / name
        self.base.mkdir(parents=True, exist_ok=True)
        self.inputs = self.base / "inputs"
        self.inputs.mkdir(exist_ok=True)
        self.redis = RedisServer(self.base)
        self.redis.start()
        values: dict[str, Any] = {
            "redis_url": self.redis.url, "key_prefix": f"f{uuid.uuid4().hex[:8]}",
            "ingest_queue": "fi", "feeds_queue": "ff", "celery_key_prefix": "fc:",
            "visibility_timeout_s": 5, "data_dir": self.base / "data",
            "input_roots": [self.inputs], "claim_idle_s": 1.0, "consumer_block_ms": 200,
            "max_deliveries": 4, "task_max_retries": 20,
        }
        values.update(overrides)
        self.settings: Settings = load_settings(**values)
        self.keys = Keys(self.settings.key_prefix)
        self.procs: list[Proc] = []
        self._n = 0

    # --- environment and processes ------------------------------------------------------------
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWORKER_")}
        env.update(self.settings.as_env())
        env.update({"NEWSWORKER_CONFIG": str(ROOT / "config" / "newsworker.toml"),
                    "PYTHONUNBUFFERED": "1"})
        return env

    def spawn(self, name: str, argv: list[str]) -> Proc:
        self._n += 1
        p = Proc(name, argv, self.env(), self.base / f"{name}-{self._n}.log").start()
        self.procs.append(p)
        return p

    def celery_worker(self, concurrency: int = 2) -> Proc:
        s = self.settings
        return self.spawn("celery", [
            sys.executable, "-m", "celery", "-A", "worker", "worker", "-Q",
            f"{s.ingest_queue},{s.feeds_queue}", "-c", str(concurrency), "-n",
            f"w{uuid.uuid4().hex[:6]}@%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "-l", "INFO"])

    def consumer(self, group: str, handler: str, batch: int = 50) -> Proc:
        return self.spawn("consumer", [sys.executable, "-m", "worker", "consume", group,
                                        "--handler", handler, "--batch", str(batch)])

    def client(self) -> redis.Redis:
        return connect(self.redis.url)

    def store(self) -> EventStore:
        return EventStore(self.client(), self.keys)

    def celery_app(self) -> Any:
        from worker.tasks.app import create_app

        return create_app(self.settings)

    def close(self) -> None:
        for p in reversed(self.procs):
            p.kill()
        self.redis.stop()

    # --- inputs and accounting ------------------------------------------------------------------
    def write_articles(self, n: int, tag: str) -> list[Path]:
        paths = []
        for i in range(n):
            p = self.inputs / f"{tag}-{i:06d}.txt"
            p.write_text(f"{tag} report number {i}\n\nCouncil item {i} for {tag}: the committee "
                         f"approved measure {i * 7 + 3} after a long debate about roads, "
                         f"schools and the library. Residents spoke for {i % 60} minutes.\n")
            paths.append(p)
        return paths

    @staticmethod
    def article_ids(paths: Iterable[Path]) -> list[str]:
        return [article_id_for(f"file:{p.resolve()}") for p in paths]

    def tally(self, expected_ids: Iterable[str]) -> tuple[int, int, int, Counter[str]]:
        """(events in stream, lost, duplicated, event-id counts) for ``expected_ids``."""
        ingested: Counter[str] = Counter()
        event_ids: Counter[str] = Counter()
        total = 0
        for _, ev in self.store().iter_all():
            total += 1
            if isinstance(ev, Exception):
                continue
            event_ids[ev.event_id] += 1
            if ev.type == ARTICLE_INGESTED and ev.article_id:
                ingested[ev.article_id] += 1
        expected = set(expected_ids)
        lost = sum(1 for a in expected if ingested[a] == 0)
        dup = sum(1 for c in ingested.values() if c > 1) + sum(
            1 for c in event_ids.values() if c > 1)
        return total, lost, dup, event_ids

    def count_present(self, expected_ids: Iterable[str]) -> int:
        client = self.client()
        pipe = client.pipeline(transaction=False)
        ids = list(expected_ids)
        for a in ids:
            pipe.exists(self.keys.article(a))
        try:
            return sum(pipe.execute())
        except redis.RedisError:
            return -1


def wait_for(pred: Callable[[], Any], timeout: float, interval: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if pred():
                return True
        except redis.RedisError:
            pass
        time.sleep(interval)
    return False
