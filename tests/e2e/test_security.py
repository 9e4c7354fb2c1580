"""A pickle-serialised task message is refused by a real Celery worker, never executed (see
docs/security.md)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Proc
from tests.support.payloads import MakeDir
from worker.settings import Settings


@pytest.mark.e2e
def test_pickled_message_is_rejected_not_executed(settings: Settings, celery_worker: Proc,
                                                  celery_app: Any, tmp_path: Path) -> None:
    from kombu import Queue

    marker = tmp_path / "pwned"
    task_id = str(uuid.uuid4())
    # Given a message that looks like a Celery task but is pickle-serialised
    body = ((MakeDir(str(marker)),), {}, {"callbacks": None, "errbacks": None,
                                          "chain": None, "chord": None})
    headers = {"lang": "py", "task": "newsworker.ingest_file", "id": task_id,
               "root_id": task_id, "parent_id": None, "group": None, "retries": 0,
               "argsrepr": "()", "kwargsrepr": "{}", "origin": "attacker"}
    with celery_app.connection_for_write() as conn:
        producer = conn.Producer()
        producer.publish(body, exchange="", routing_key=settings.ingest_queue,
                         serializer="pickle", headers=headers,
                         declare=[Queue(settings.ingest_queue)])
    # When a good task is queued behind it and completes
    ok = celery_app.send_task("newsworker.ingest_text",
                              args=["Safe title\n\nA perfectly ordinary article body about the "
                                    "council budget, road repairs and library hours."],
                              queue=settings.ingest_queue)
    assert ok.get(timeout=60)["status"] == "appended"
    # Then the pickle never ran, the worker refused it and is still up
    assert not marker.exists(), "a pickled message was deserialised and executed"
    out = celery_worker.output()
    assert "ContentDisallowed" in out or "Refusing to deserialize" in out, out[-3000:]
    assert celery_worker.proc is not None and celery_worker.proc.poll() is None
