"""Scenario 1b: SIGKILL Celery workers with the shipped visibility timeout (an hour). Only
dead-worker recovery (worker/tasks/recovery.py, docs/recovery.md) can bring their tasks back
in time; recovery_s is the time from the last kill until every submitted article is an event
(goal: at most 60 s with the shipped dead_worker_after_s of 30 s)."""

from __future__ import annotations

import re
import time
from functools import partial
from pathlib import Path

from tests.faults.harness import Cluster, Proc, Row, wait_for

SHIPPED_VISIBILITY_TIMEOUT_S = 3600
RECOVERY_GOAL_S = 60.0
QUIET_S = 5.0  # after the last article: a late redelivery would show up as a duplicate



def started(proc: Proc) -> bool:
    return "ready." in proc.output()


def worker_kill_shipped_timeout(base: Path, scale: float) -> Row:
    n = max(200, int(2000 * scale))
    row = Row("1b SIGKILL workers, shipped visibility timeout", "")
    c = Cluster(base, "s1b", visibility_timeout_s=SHIPPED_VISIBILITY_TIMEOUT_S)
    row.visibility_timeout_s = c.settings.visibility_timeout_s
    try:
        paths = c.write_articles(n, "s1b")
        ids = c.article_ids(paths)
        workers = [c.celery_worker(2), c.celery_worker(2)]
        for w in workers:
            wait_for(partial(started, w), timeout=90)
        app = c.celery_app()
        q = c.settings.ingest_queue
        batch = 25
        for i in range(0, n, batch):
            app.send_task("newsworker.ingest_files", args=[[str(p) for p in paths[i:i + batch]]],
                          queue=q)
        broker = c.client()
        unacked = c.settings.celery_key_prefix + "unacked"
        # Kill every worker at once while they hold tasks: only dead-worker recovery can run
        # those again before the hour is up (no survivor's kombu restores them either).
        # Half-way through, so what is left after the kill is mostly the recovered tasks.
        wait_for(lambda: c.count_present(ids) >= n // 2, timeout=120, interval=0.1)
        wait_for(lambda: broker.hlen(unacked) >= len(workers), timeout=60, interval=0.02)
        held = int(broker.hlen(unacked))
        for w in workers:
            w.kill()
        last_kill = time.monotonic()
        kills = len(workers)
        workers = [c.celery_worker(2) for _ in workers]
        done = wait_for(lambda: c.count_present(ids) >= n, timeout=180, interval=0.5)
        recovery_s = time.monotonic() - last_kill
        time.sleep(QUIET_S)
        row.faults = (f"{kills} worker SIGKILLs at once, holding {held} unacked task(s), "
                      f"vt={c.settings.visibility_timeout_s}s, "
                      f"dead_worker_after_s={c.settings.dead_worker_after_s:g}")
        row.submitted = n
        row.events, row.lost, row.duplicated, _ = c.tally(ids)
        row.handled = row.events
        requeued = sum(int(m) for p in c.procs
                       for m in re.findall(r"queued (\d+) task\(s\) again", p.output()))
        row.recovery_s = round(recovery_s, 1)
        row.notes.append(f"recovery_s={recovery_s:.1f}")
        row.notes.append(f"{requeued} task(s) of dead workers queued again")
        if held == 0 or requeued == 0:
            row.notes.append("FAIL: the kills hit no task, so they prove nothing")
        if not done or recovery_s > RECOVERY_GOAL_S:
            row.notes.append(f"FAIL: recovery took {recovery_s:.0f}s "
                             f"(goal {RECOVERY_GOAL_S:.0f}s)")
    finally:
        c.close()
    return row
