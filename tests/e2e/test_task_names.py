"""Tasks as operators see them in other tools (issue 15): a real worker's task durations reach
/metrics labelled with Celery's task name (`newsworker.ingest_text`, as Flower and `celery
inspect` say it; it was `ingest_text`), and a submitter sends `task-sent` events, so Flower shows
queued tasks (it showed `sent` as None)."""

from __future__ import annotations

import threading
import warnings
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import Proc, wait_until
from worker.api.app import create_app
from worker.settings import Settings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

TOKEN = "n" * 40
TEXT = ("Harbour ferry timetable changes\n\nThe harbour authority said on Monday that the "
        "morning ferry will leave twenty minutes later from next week.")


def durations(settings: Settings) -> dict[str, float]:
    """``newsworker_task_duration_seconds_count`` per task label, as Prometheus scrapes it."""
    app = create_app(settings.model_copy(update={"api_token": TOKEN}))
    text = TestClient(app).get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text
    return {s.labels["task"]: s.value for fam in text_string_to_metric_families(text)
            for s in fam.samples if s.name == "newsworker_task_duration_seconds_count"}


def test_task_durations_are_labelled_with_celerys_task_names(
        settings: Settings, celery_worker: Proc, celery_app: Any) -> None:
    res = celery_app.send_task("newsworker.ingest_text", [TEXT], kwargs={"name": "ferry"},
                               queue=settings.ingest_queue)
    assert res.get(timeout=60)["status"] == "appended"
    # written by the worker's batching thread within a fraction of a second
    seen = wait_until(lambda: durations(settings).get("newsworker.ingest_text"), timeout=30,
                      interval=0.2, message="a duration labelled newsworker.ingest_text")
    assert seen == 1
    assert "ingest_text" not in durations(settings)


def test_submitting_a_task_sends_a_task_sent_event(settings: Settings, celery_app: Any) -> None:
    sent: list[dict[str, Any]] = []
    ids: set[str] = set()
    with celery_app.connection_for_read() as conn:
        receiver = celery_app.events.Receiver(
            conn, handlers={"task-sent": lambda ev: sent.append(ev) if ev["uuid"] in ids
                            else None})
        listening = threading.Thread(
            target=lambda: receiver.capture(limit=None, timeout=None, wakeup=False), daemon=True)
        listening.start()
        try:
            def one_sent() -> bool:
                # Events are pub/sub: one sent before the receiver subscribed is not seen, so
                # send until one arrives (no worker runs these; the queue is the test's own).
                ids.add(celery_app.send_task("newsworker.ingest_text", [TEXT],
                                             queue=settings.ingest_queue).id)
                return bool(sent)
            wait_until(one_sent, timeout=30, interval=0.2, message="a task-sent event")
        finally:
            receiver.should_stop = True
            listening.join(timeout=10)
    event = sent[0]
    assert event["name"] == "newsworker.ingest_text" and event["queue"] == settings.ingest_queue
