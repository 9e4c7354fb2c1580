"""The foundation path on real processes: file -> Celery task -> event -> stream -> consumer.

Every test here runs a real `celery -A worker worker` process against the real Redis.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED, Proc, settings_env, wait_until, worker_argv
from worker.settings import Settings
from worker.store.eventstore import EventStore

pytestmark = pytest.mark.e2e


def ingest(celery_app: Any, settings: Settings, path: Path | str,
           timeout: float = 60) -> dict[str, Any]:
    res = celery_app.send_task("newsworker.ingest_file", args=[str(path)],
                               queue=settings.ingest_queue)
    value: dict[str, Any] = res.get(timeout=timeout)
    return value


def test_seed_is_ingested_once_then_unchanged_then_revised(
        settings: Settings, store: EventStore, celery_worker: Proc, celery_app: Any,
        tmp_path: Path) -> None:
    # Given the seed article, when it is ingested, then exactly one article.ingested v1.
    seed = tmp_path / "seed.txt"
    seed.write_bytes(SEED.read_bytes())
    first = ingest(celery_app, settings, seed)
    assert (first["status"], first["type"], first["version"]) == \
        ("appended", "article.ingested", 1)
    assert first["title"] == "China's Xi says willing to put South Korea ties back on track"
    [(_, ev)] = store.read()
    assert ev.type == "article.ingested" and ev.data.dateline == "BEIJING"  # type: ignore[union-attr]

    # When it is ingested again, then nothing is appended.
    again = ingest(celery_app, settings, seed)
    assert again["status"] == "unchanged" and store.length() == 1

    # When its text is edited, then article.revised version 2.
    seed.write_text(SEED.read_text().replace("on Friday", "on Friday morning"))
    rev = ingest(celery_app, settings, seed)
    assert (rev["status"], rev["type"], rev["version"]) == ("appended", "article.revised", 2)
    assert [e.type for _, e in store.read()] == ["article.ingested", "article.revised"]


@pytest.mark.parametrize("name,content,code", [
    ("empty.txt", b"", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
    ("undecodable.txt", b"\xff\xfe\xfa" * 10 + b"\x00\x81\x8d" * 50 + b"\xc3\x28" * 40,
     None),
    ("missing.txt", None, "missing"),
])
def test_bad_inputs_fail_clearly_and_worker_keeps_running(
        settings: Settings, store: EventStore, celery_worker: Proc, celery_app: Any,
        tmp_path: Path, name: str, content: bytes | None, code: str | None) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = ingest(celery_app, settings, path)
    assert result["status"] == "failed" and result["reason"]
    if code:
        assert result["code"] == code
    [(_, failure)] = store.read_failures()
    assert failure.type == "ingestion.failed"
    assert failure.data.reason == result["reason"]  # type: ignore[union-attr]
    assert failure.source.location.endswith(name)
    # The worker is still alive and still ingests good input.
    assert celery_worker.proc is not None and celery_worker.proc.poll() is None
    good = tmp_path / "good.txt"
    good.write_bytes(SEED.read_bytes())
    assert ingest(celery_app, settings, good)["status"] == "appended"


def test_worker_killed_mid_task_leaves_exactly_one_event(
        make_settings: Callable[..., Settings], spawn: Callable[..., Proc],
        tmp_path: Path) -> None:
    # Given a short visibility timeout so a killed worker's message is redelivered soon,
    settings = make_settings(visibility_timeout_s=2)
    store = EventStore.from_settings(settings)
    from worker.tasks.app import create_app

    client = create_app(settings)
    n = 2000
    body = SEED.read_text().split("\n\n", 3)[-1]
    files = []
    for i in range(n):
        p = tmp_path / f"art{i}.txt"
        p.write_text(f"Headline number {i} about the harbour\n\n{body}\n\n"
                     f"Unique closing paragraph number {i} of this story.")
        files.append(str(p))
    env = settings_env(settings)
    w1 = spawn(worker_argv(settings, concurrency=1), env, name="w1")
    res = client.send_task("newsworker.ingest_files", args=[files], queue=settings.ingest_queue)
    # When the worker is SIGKILLed after the task's first pipeline landed, before it finished,
    wait_until(lambda: store.length() > 0, timeout=60, interval=0.01, message="first appends")
    w1.signal(signal.SIGKILL)
    w1.proc.wait()  # type: ignore[union-attr]
    at_kill = store.length()
    assert 0 < at_kill < n, "the kill must land mid-task for this test to mean anything"
    # and a new worker starts, then the task is redelivered and completes,
    spawn(worker_argv(settings, concurrency=1), env, name="w2")
    wait_until(lambda: res.state == "SUCCESS", timeout=110, message="task success")
    # then every article has exactly one event.
    events = [e for _, e in store.read()]
    assert len(events) == n
    assert len({e.article_id for e in events}) == n
    assert all(e.version == 1 for e in events)


def test_consumer_hands_events_to_log_handler(
        settings: Settings, store: EventStore, celery_worker: Proc, celery_app: Any,
        spawn: Callable[..., Proc], tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_bytes(SEED.read_bytes())
    ingest(celery_app, settings, seed)
    consumer = spawn([sys.executable, "-m", "worker", "consume", "g1", "--handler", "log"],
                     settings_env(settings), name="consumer")
    wait_until(lambda: "article.ingested v1" in consumer.output(), timeout=60,
               message="log line")
    wait_until(lambda: store.redis.xpending(store.keys.events, "g1")["pending"] == 0,
               timeout=30, message="acked")
    assert consumer.stop() == 0
    assert "China's Xi says willing" in consumer.output()


def test_run_with_embedded_redis_twice(tmp_path: Path) -> None:
    # Given a fresh directory with the seed and no Redis configured,
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("NEWSWORKER_")}
    env["COLUMNS"] = "200"
    cmd = [sys.executable, "-m", "worker", "run"]

    # when `newsworker run` runs, then it starts everything, ingests and shows the article,
    first = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=110)
    assert first.returncode == 0, first.stderr + first.stdout
    assert "China's Xi says willing to put South Korea ties back on track" in first.stdout
    assert "BEIJING" in first.stdout and "article.ingested v1" in first.stdout
    body = first.stdout.split("body", 1)[1]
    for furniture in ("You are here", "Xi Jinping.jpg", "Market voices on:"):
        assert furniture not in body
    assert "image      Xi Jinping.jpg: Mr Xi Jinping told Lee Hae Chan" in first.stdout
    assert "Traceback" not in first.stderr

    # and a second run appends nothing and says the article was unchanged.
    second = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=110)
    assert second.returncode == 0, second.stderr + second.stdout
    assert "unchanged" in second.stdout and "0 appended" in second.stdout
    # and nothing it started is left running.
    left = subprocess.run(["pgrep", "-f", str(tmp_path / ".newsworker")], capture_output=True)
    assert left.returncode == 1, left.stdout


def test_a_task_that_keeps_coming_back_gives_up_with_a_failure_event(
        make_settings: Callable[..., Settings], spawn: Callable[..., Proc],
        tmp_path: Path) -> None:
    # Given a worker that allows one run per task id,
    settings = make_settings(task_max_deliveries=1)
    store = EventStore.from_settings(settings)
    env = {**settings_env(settings), "NEWSWORKER_TASK_MAX_DELIVERIES": "1"}
    proc = spawn(worker_argv(settings, concurrency=1), env, name="w")
    wait_until(lambda: "ready." in proc.output(), timeout=60, message="worker ready")
    from worker.tasks.app import create_app

    client = create_app(settings)
    seed = tmp_path / "seed.txt"
    seed.write_bytes(SEED.read_bytes())
    # when the same task id is delivered twice (as an unacked message is after a crash),
    task_id = f"t-loop-{settings.key_prefix}"
    first = client.send_task("newsworker.ingest_file", args=[str(seed)], task_id=task_id,
                             queue=settings.ingest_queue).get(timeout=60)
    assert first["status"] == "appended"
    client.backend.forget(task_id)
    second = client.send_task("newsworker.ingest_file", args=[str(seed)], task_id=task_id,
                              queue=settings.ingest_queue).get(timeout=60)
    # then the second run gives up by name, with a failure event, and appends nothing.
    assert second["status"] == "failed" and "gave up after 1 runs" in second["reason"]
    [(_, failure)] = store.read_failures()
    assert "gave up" in failure.data.reason  # type: ignore[union-attr]
    assert store.length() == 1
