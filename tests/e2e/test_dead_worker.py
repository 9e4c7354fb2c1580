"""A worker SIGKILLed while it holds tasks: with the shipped visibility timeout (an hour),
the tasks it had taken run again on the other worker within seconds, and every article
becomes exactly one event (bookkeeping in tests/integration/test_recovery.py)."""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Proc, settings_env, wait_until, worker_argv
from worker.events.models import ARTICLE_INGESTED
from worker.redisconn import connect, to_str
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.tasks.app import create_app
from worker.tasks.broker import unacked_key
from worker.tasks.recovery import Roster

FILES = 240
BATCH = 6
LATER = 20  # texts sent with a countdown: a worker holds them, unacknowledged, until due
COUNTDOWN_S = 8
TEXT = ("Ferry timetable notice {n}\n\nThe harbour authority said ferry number {n} will run "
        "every {n} minutes from next month, after a consultation with commuters.\n")


def write_articles(root: Path, n: int) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = root / f"report-{i:04d}.txt"
        p.write_text(f"Harbour report number {i}\n\nThe harbour board met on item {i}: it "
                     f"approved berth {i * 7 + 3} after a long debate about ferries, cargo "
                     f"and the fish market. Residents spoke for {i % 60} minutes.\n")
        paths.append(p)
    return paths


def start_worker(settings: Settings, spawn: Callable[..., Proc], name: str) -> Proc:
    proc = spawn(worker_argv(settings, concurrency=1, name=name), settings_env(settings),
                 name=name)
    wait_until(lambda: "ready." in proc.output(), timeout=90, message=f"worker {name} ready")
    return proc


def held_by(roster: Roster, proc: Proc) -> set[str]:
    """Delivery tags the worker whose main process is ``proc`` recorded as held."""
    assert proc.proc is not None
    ids = [to_str(w) for w in roster.redis.zrange(roster.beats, 0, -1)]
    mine = [w for w in ids if w.endswith(f":{proc.proc.pid}")]
    return {to_str(t) for w in mine for t in roster.redis.hkeys(roster.held_key(w))}


@pytest.mark.e2e
def test_tasks_of_a_sigkilled_worker_run_again_within_seconds_with_the_shipped_timeout(
        make_settings: Callable[..., Settings], spawn: Callable[..., Proc],
        tmp_path: Path) -> None:
    settings = make_settings(dead_worker_after_s=4.0)
    assert settings.visibility_timeout_s == 3600  # shipped; kombu alone would wait an hour
    paths = write_articles(tmp_path / "in", FILES)
    broker = connect(settings.celery_broker)
    roster = Roster(broker, EventStore.from_settings(settings).keys, settings)

    # Given two real workers
    victim = start_worker(settings, spawn, "victim")
    survivor = start_worker(settings, spawn, "survivor")
    # and a burst of ingests between them: texts due in a few seconds, then file batches
    app = create_app(settings)
    for n in range(LATER):
        app.send_task("newsworker.ingest_text", [TEXT.format(n=n)], kwargs={"name": f"t{n}"},
                      queue=settings.ingest_queue, countdown=COUNTDOWN_S)
    for i in range(0, FILES, BATCH):
        app.send_task("newsworker.ingest_files", [[str(p) for p in paths[i:i + BATCH]]],
                      queue=settings.ingest_queue)

    # When one worker is killed (SIGKILL, its whole process tree) while it holds a task:
    # frozen first, so what it holds can be read before the kill.
    def frozen_holding() -> set[str]:
        victim.signal(signal.SIGSTOP)
        held = held_by(roster, victim) & {to_str(t) for t in broker.hkeys(unacked_key(settings))}
        if not held:
            victim.signal(signal.SIGCONT)
        return held

    taken = wait_until(frozen_holding, timeout=60, interval=0.1,
                       message="the victim holding a task")
    victim.kill()

    # Then every article becomes an event, the killed worker's tasks run by the survivor
    total = FILES + LATER
    store = EventStore.from_settings(settings)
    wait_until(lambda: store.length() >= total, timeout=120, interval=0.25,
               message=f"{total} events (have {store.length()})")
    wait_until(lambda: broker.hlen(unacked_key(settings)) == 0, timeout=30,
               message="nothing left unacknowledged")
    for tag in taken:
        assert not broker.hexists(unacked_key(settings), tag)
    assert "counted dead" in survivor.output()
    # And exactly one event per article: the re-run appended nothing twice
    ingested = Counter(ev.article_id for _, ev in store.iter_all()
                       if not isinstance(ev, Exception) and ev.type == ARTICLE_INGESTED)
    assert len(ingested) == total
    assert set(ingested.values()) == {1}
    assert store.length() == total
    # And the dead worker's records are cleared, the survivor's kept
    assert survivor.proc is not None
    beating = [to_str(w) for w in broker.zrange(roster.beats, 0, -1)]
    assert len(beating) == 1 and beating[0].endswith(f":{survivor.proc.pid}")
    # And a clean stop leaves no heartbeat behind to be mistaken for a death
    assert survivor.stop() == 0
    assert broker.zcard(roster.beats) == 0
    assert not broker.keys(roster.held_key("*"))
