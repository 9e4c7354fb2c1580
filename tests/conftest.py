"""Shared fixtures: a real Redis (a dedicated database, a unique key prefix per test, cleaned
up afterwards — never FLUSHALL), settings built for that prefix, and a real Celery worker
process started from the same command line an operator uses.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from hypothesis import settings as hypothesis_settings

from worker.redisconn import connect
from worker.settings import Settings, load_settings
from worker.store.eventstore import EventStore
from worker.store.keys import Keys

# `make test` (and CI) replays the same Hypothesis examples on every run, so a result never
# depends on the draw; `make fuzz` explores fresh random examples, many more of them.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.register_profile("fuzz", derandomize=False, max_examples=3000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "seeds").glob("*.txt"))
# A database of its own on the shared Redis, so Celery's shared keys (unacked, ...) can't
# meet another user's; event-store keys are further isolated by a per-test prefix.
TEST_REDIS_URL = os.environ.get("NEWSWORKER_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def _cleanup(client: redis.Redis, patterns: list[str]) -> None:
    for pattern in patterns:
        batch = list(client.scan_iter(match=pattern, count=1000))
        for i in range(0, len(batch), 500):
            client.delete(*batch[i:i + 500])


@pytest.fixture(scope="session")
def redis_url() -> str:
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as exc:  # pragma: no cover - CI starts one
        pytest.fail(f"tests need a Redis at {TEST_REDIS_URL}: {exc}")
    return TEST_REDIS_URL


@pytest.fixture
def redis_client(redis_url: str) -> redis.Redis:
    return connect(redis_url)


@pytest.fixture
def make_settings(redis_url: str, tmp_path: Path) -> Iterator[Callable[..., Settings]]:
    """Factory: settings with a unique key prefix and queues; their keys are deleted after."""
    made: list[Settings] = []

    def factory(**overrides: Any) -> Settings:
        tag = uuid.uuid4().hex[:10]
        values: dict[str, Any] = {
            "redis_url": redis_url, "key_prefix": f"t{tag}",
            "celery_key_prefix": f"t{tag}:celery:",
            "ingest_queue": f"t{tag}.ingest", "feeds_queue": f"t{tag}.feeds",
            "data_dir": tmp_path / f"data-{tag}", "claim_idle_s": 1.0,
            "consumer_block_ms": 100, "fetch_allow_hosts": ["127.0.0.1", "localhost"],
        }
        values.update(overrides)
        s = load_settings(**values)
        made.append(s)
        return s

    yield factory
    client = connect(redis_url)
    for s in made:
        _cleanup(client, [*Keys(s.key_prefix).all_patterns(), f"{s.celery_key_prefix}*",
                          f"*{s.ingest_queue}*", f"*{s.feeds_queue}*"])


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture
def store(settings: Settings) -> EventStore:
    return EventStore.from_settings(settings)


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment a child process needs to see ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWORKER_")}
    env.update(settings.as_env())
    env.update({"NEWSWORKER_CONFIG": str(ROOT / "config" / "newsworker.toml"),
                "PYTHONUNBUFFERED": "1"})
    return env


class Proc:
    """A real child process in its own session, killed (whole tree) at teardown."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.argv, self.env, self.log = argv, env, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Proc:
        fh = self.log.open("ab")
        self.proc = subprocess.Popen(self.argv, env=self.env, cwd=ROOT, stdout=fh,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        fh.close()
        return self

    def signal(self, sig: int) -> None:
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    def stop(self, timeout: float = 15) -> int | None:
        import signal as _sig

        if self.proc is None:
            return None
        self.signal(_sig.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal(_sig.SIGKILL)
            self.proc.wait()
        return self.proc.returncode

    def kill(self) -> None:
        import signal as _sig

        self.signal(_sig.SIGKILL)
        if self.proc:
            self.proc.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Callable[..., Proc]]:
    """Factory for real child processes; all are stopped at teardown."""
    procs: list[Proc] = []

    def factory(argv: list[str], env: dict[str, str], name: str = "proc") -> Proc:
        p = Proc(argv, env, tmp_path / f"{name}-{len(procs)}.log").start()
        procs.append(p)
        return p

    yield factory
    for p in procs:
        p.kill()


def worker_argv(settings: Settings, concurrency: int = 2, name: str = "w") -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "worker", "worker",
            "-Q", f"{settings.ingest_queue},{settings.feeds_queue}", "-c", str(concurrency),
            "-n", f"{name}-{uuid.uuid4().hex[:6]}@%h", "--without-gossip", "--without-mingle",
            "-l", "INFO"]


def load_tool(name: str) -> Any:
    """Import ``tools/<name>.py`` (the eval scripts are scripts, not package modules)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses in the tool look their module up here
    spec.loader.exec_module(mod)
    return mod


def wait_until(predicate: Callable[[], Any], timeout: float = 30, interval: float = 0.05,
               message: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


@pytest.fixture
def celery_worker(settings: Settings, spawn: Callable[..., Proc]) -> Iterator[Proc]:
    """A real `celery -A worker worker` process for ``settings``, ready to take tasks."""
    proc = spawn(worker_argv(settings), settings_env(settings), name="celery")
    wait_until(lambda: "ready." in proc.output() or (proc.proc and proc.proc.poll() is not None),
               timeout=60, message="celery worker ready")
    assert proc.proc is not None and proc.proc.poll() is None, proc.output()
    yield proc
    proc.stop()


@pytest.fixture
def celery_app(settings: Settings) -> Any:
    """A Celery client configured like the worker (send tasks by name)."""
    from worker.tasks.app import make_app

    return make_app(settings)
