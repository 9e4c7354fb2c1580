"""Scenarios 7-9, as an operator meets them: Redis hung while clients submit through the HTTP
API, Celery's purge and revoke, and a worker restart with submissions right behind it. All run
with the shipped visibility timeout (an hour), so kombu's own restore can rescue nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from tests.faults.harness import ROOT, Cluster, Proc, Row, wait_for
from worker.events.models import ARTICLE_INGESTED
from worker.ops.runner import free_port
from worker.tasks import names

SHIPPED_VISIBILITY_TIMEOUT_S = 3600
TOKEN = "faults-" + "t" * 40


def urls(c: Cluster) -> Counter[str]:
    """``article.ingested`` events per article URL."""
    out: Counter[str] = Counter()
    for _, ev in c.store().iter_all():
        if not isinstance(ev, Exception) and ev.type == ARTICLE_INGESTED and ev.data.url:
            out[str(ev.data.url)] += 1
    return out


def warm_stop(proc: Proc) -> None:
    """SIGTERM to the worker's main process only, as `docker stop` or `kill <pid>` sends it."""
    if proc.p is not None and proc.p.poll() is None:
        os.kill(proc.p.pid, signal.SIGTERM)


def ready(proc: Proc) -> bool:
    return "ready." in proc.output()


def resends(c: Cluster) -> int:
    return sum(p.output().count("was lost by the broker") for p in c.procs)


def cli(c: Cluster, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=c.env(), capture_output=True,
                          text=True, timeout=120)


# --- 7 -------------------------------------------------------------------------------------------
def text(tag: str, i: int) -> tuple[str, str]:
    title = f"{tag} council report number {i}"
    body = (f"Council item {i} for {tag}: the committee approved measure {i * 7 + 3} after a "
            "long debate about roads, schools and the library.")
    return f"https://news.example.com/{tag}/{i}", f"{title}\n\n{body}\n"


def redis_hung_api(base: Path, scale: float, hang_s: float = 20.0) -> Row:
    row = Row("7 Redis hung 20 s during API submissions", "")
    c = Cluster(base, "s7", visibility_timeout_s=SHIPPED_VISIBILITY_TIMEOUT_S, api_token=TOKEN)
    row.visibility_timeout_s = c.settings.visibility_timeout_s
    answers: list[tuple[str, int, float]] = []  # URL, HTTP status (0: no answer), seconds
    stop = threading.Event()
    try:
        workers = [c.celery_worker(2), c.celery_worker(2)]
        port = free_port()
        c.spawn("api", [sys.executable, "-m", "worker", "serve", "--port", str(port)])
        url = f"http://127.0.0.1:{port}"
        http = httpx.Client(base_url=url, timeout=60,
                            headers={"Authorization": f"Bearer {TOKEN}"})
        def healthy() -> bool:
            try:
                return http.get("/healthz").status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(healthy, timeout=60)
        for w in workers:
            wait_for(lambda w=w: ready(w), timeout=90)  # type: ignore[misc]

        def submit(k: int) -> None:
            i = 0
            while not stop.is_set():
                url, body = text(f"s7c{k}", i)
                t0 = time.monotonic()
                try:
                    status = http.post("/v1/ingest/text",
                                       json={"text": body, "url": url}).status_code
                except httpx.HTTPError:
                    status = 0
                answers.append((url, status, time.monotonic() - t0))
                i += 1
                time.sleep(0.02)

        clients = [threading.Thread(target=submit, args=(k,), daemon=True) for k in range(3)]
        for t in clients:
            t.start()
        time.sleep(3 * max(scale, 0.2))
        c.redis.proc.signal(signal.SIGSTOP)  # type: ignore[union-attr]
        time.sleep(hang_s)
        c.redis.proc.signal(signal.SIGCONT)  # type: ignore[union-attr]
        resumed = time.monotonic()
        time.sleep(3 * max(scale, 0.2))
        stop.set()
        for t in clients:
            t.join(timeout=90)
        accepted = {t for t, s, _ in answers if 200 <= s < 300}
        refused = {t for t, s, _ in answers if not 200 <= s < 300}
        done = wait_for(lambda: accepted <= set(urls(c)), timeout=120, interval=0.5)
        row.recovery_s = round(time.monotonic() - resumed, 1)
        # A refused submission would come back through the ledger only after its re-send
        # window: wait that out before counting.
        time.sleep(c.settings.journal_resend_after_s + 10)
        seen = urls(c)
        ran_refused = sorted(refused & set(seen))
        row.faults = (f"Redis SIGSTOPped {hang_s:.0f}s while 3 clients POST /v1/ingest/text "
                      f"(api_redis_timeout_s={c.settings.api_redis_timeout_s:g})")
        row.submitted = len(accepted)
        row.events = sum(1 for t in accepted if seen[t])
        row.lost = len(accepted) - row.events
        row.duplicated = sum(1 for n in seen.values() if n > 1)
        row.handled = row.events
        statuses = Counter(s for _, s, _ in answers)
        slowest = max(s for _, _, s in answers)
        row.notes.append("answers " + ", ".join(f"{k}={v}" for k, v in sorted(statuses.items()))
                         + f", slowest {slowest:.1f}s")
        skipped = sum(p.output().count("not run: its submitter gave up") for p in c.procs)
        row.notes.append(f"refused that ran later: {len(ran_refused)} "
                         f"({skipped} abandoned task(s) skipped by workers)")
        row.notes.append(f"{resends(c)} journal re-sends")
        if not done:
            row.notes.append("FAIL: accepted submissions did not all become events")
        if ran_refused:
            row.notes.append(f"FAIL: refused yet ran: {ran_refused[:3]}")
        if not refused or statuses.get(503, 0) == 0:
            row.notes.append("FAIL: the hang refused nothing, so it proves nothing")
    finally:
        stop.set()
        c.close()
    return row


# --- 8 -------------------------------------------------------------------------------------------
def purge_revoke(base: Path, scale: float) -> Row:
    row = Row("8 celery purge and revoke honoured", "")
    # A short re-send window, so the scenario waits it out three times in seconds.
    c = Cluster(base, "s8", visibility_timeout_s=SHIPPED_VISIBILITY_TIMEOUT_S,
                journal_resend_after_s=5.0)
    row.visibility_timeout_s = c.settings.visibility_timeout_s
    window = c.settings.journal_resend_after_s * 3 + 5
    q = c.settings.ingest_queue
    try:
        app = c.celery_app()
        # Purge: tasks queued while no worker runs, purged with Celery's own command.
        purged_paths = c.write_articles(max(50, int(200 * scale)), "s8purged")
        for i in range(0, len(purged_paths), 10):
            app.send_task(names.INGEST_FILES, args=[[str(p) for p in purged_paths[i:i + 10]]],
                          queue=q)
        purge = cli(c, "-m", "celery", "-A", "worker", "purge", "-f", "-Q", q)
        workers = [c.celery_worker(1), c.celery_worker(1)]
        for w in workers:
            wait_for(lambda w=w: ready(w), timeout=90)  # type: ignore[misc]
        # Revoke: ids revoked first, then sent behind a backlog the workers are busy with.
        backlog = c.write_articles(max(300, int(1500 * scale)), "s8backlog")
        revoked_paths = c.write_articles(10, "s8revoked")
        revoked_ids = [str(uuid.uuid4()) for _ in revoked_paths]
        revoke = cli(c, "-m", "celery", "-A", "worker", "control", "revoke", *revoked_ids)
        for i in range(0, len(backlog), 25):
            app.send_task(names.INGEST_FILES, args=[[str(p) for p in backlog[i:i + 25]]],
                          queue=q)
        for task_id, p in zip(revoked_ids, revoked_paths, strict=True):
            app.send_task(names.INGEST_FILE, args=[str(p)], queue=q, task_id=task_id)
        ids = c.article_ids(backlog)
        done = wait_for(lambda: c.count_present(ids) >= len(ids), timeout=180, interval=0.5)
        time.sleep(window)
        # And after a worker restart (the journal once re-sent purged tasks ~35 s after one)
        for i, w in enumerate(workers):
            warm_stop(w)
            if w.p is not None:
                w.p.wait(timeout=120)
            workers[i] = c.celery_worker(1)
        for w in workers:
            wait_for(lambda w=w: ready(w), timeout=90)  # type: ignore[misc]
        time.sleep(window)
        row.faults = (f"`celery purge` of {len(purged_paths)} queued articles, then "
                      f"`celery control revoke` of {len(revoked_ids)} tasks, then a restart")
        row.submitted = len(backlog)
        row.events, row.lost, row.duplicated, _ = c.tally(ids)
        row.handled = row.events
        ran_purged = c.count_present(c.article_ids(purged_paths))
        ran_revoked = c.count_present(c.article_ids(revoked_paths))
        row.notes.append(purge.stdout.strip().splitlines()[-1] if purge.stdout.strip()
                         else f"purge: {purge.stderr.strip()[-200:]}")
        row.notes.append(f"purged that ran: {ran_purged}, revoked that ran: {ran_revoked}, "
                         f"journal re-sends: {resends(c)}")
        if purge.returncode or revoke.returncode:
            row.notes.append(f"FAIL: purge rc={purge.returncode}, revoke rc={revoke.returncode}")
        if not done:
            row.notes.append("FAIL: the backlog did not complete")
        if ran_purged or ran_revoked:
            row.notes.append("FAIL: a purged or revoked task ran")
    finally:
        c.close()
    return row


# --- 9 -------------------------------------------------------------------------------------------
def worker_restart(base: Path, scale: float, cycles: int = 3) -> Row:
    row = Row("9 worker restart, submissions right behind it", "")
    c = Cluster(base, "s9", visibility_timeout_s=SHIPPED_VISIBILITY_TIMEOUT_S)
    row.visibility_timeout_s = c.settings.visibility_timeout_s
    q = c.settings.ingest_queue
    all_paths: list[Path] = []
    cli_errors: list[str] = []

    def submit(paths: list[Path]) -> list[Path]:
        """The CLI's submission of ``paths``; returns those it printed a task id for."""
        sub = cli(c, "-m", "worker", "submit", "file", *map(str, paths))
        if sub.returncode:
            cli_errors.append(f"rc={sub.returncode}: {sub.stderr.strip()[-300:]}")
        printed = {line.split(None, 1)[1] for line in sub.stdout.splitlines()
                   if len(line.split(None, 1)) == 2}
        return [p for p in paths if str(p.resolve()) in printed]

    try:
        app = c.celery_app()
        worker = c.celery_worker(2)
        wait_for(lambda: ready(worker), timeout=90)
        last_term = time.monotonic()
        for k in range(cycles):
            # A worker busy with a backlog ...
            load = c.write_articles(max(50, int(200 * scale)), f"s9c{k}load")
            for i in range(0, len(load), 10):
                app.send_task(names.INGEST_FILES, args=[[str(p) for p in load[i:i + 10]]],
                              queue=q)
            time.sleep(1.0)
            # ... gets SIGTERM (warm shutdown), and the CLI submits 10 files at that moment,
            during = c.write_articles(10, f"s9c{k}during")
            warm_stop(worker)
            last_term = time.monotonic()
            during = submit(during)
            if worker.p is not None:
                worker.p.wait(timeout=120)
            # then a new worker starts and 10 more are submitted before it is ready.
            worker = c.celery_worker(2)
            after = c.write_articles(10, f"s9c{k}after")
            after = submit(after)
            all_paths += load + during + after
            wait_for(partial(ready, worker), timeout=90)
        ids = c.article_ids(all_paths)
        done = wait_for(lambda: c.count_present(ids) >= len(ids), timeout=180, interval=0.5)
        row.recovery_s = round(time.monotonic() - last_term, 1)
        time.sleep(5)
        row.faults = (f"{cycles} x (SIGTERM of a busy worker, 10 CLI submissions during its "
                      f"warm shutdown, new worker, 10 CLI submissions before it is ready)")
        row.submitted = len(all_paths)
        row.events, row.lost, row.duplicated, _ = c.tally(ids)
        row.handled = row.events
        requeued = sum(p.output().count("task(s) again") for p in c.procs)
        row.notes.append(f"journal re-sends {resends(c)}, dead-worker recoveries {requeued}, "
                         f"ledger entries left {ledger_left(c)}")
        for e in cli_errors:  # what was not accepted is not counted as submitted
            row.notes.append(f"FAIL: a CLI submission failed, {e}")
        if not done:
            row.notes.append("FAIL: submissions did not all become events")
    finally:
        c.close()
    return row


def ledger_left(c: Cluster) -> Any:
    return c.client().hlen(c.keys.journal("msg"))
