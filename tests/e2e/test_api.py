"""The HTTP API in-process (FastAPI TestClient) with task execution by a real Celery worker
process, and the Python client queueing the same tasks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import SEED, Proc, wait_until
from tests.support.api import AUTH, api_settings, http
from worker.settings import Settings

if TYPE_CHECKING:  # imported at run time by tests.support.api, under a warnings filter
    from fastapi.testclient import TestClient

__all__ = ["api_settings", "http"]  # fixtures, found by pytest in this module's namespace


@pytest.mark.e2e
def test_ingest_text_and_file_then_task_result(
        http: TestClient, celery_worker: Proc, api_settings: Settings,
        tmp_path: Path) -> None:
    r = http.post("/v1/ingest/text", headers=AUTH, json={
        "text": SEED.read_text(), "name": "api-test", "url": "https://example.com/xi"})
    assert r.status_code == 202, r.text
    task_id = r.json()["task_id"]
    assert r.json()["status_url"] == f"/v1/tasks/{task_id}"
    done = wait_until(lambda: (t := http.get(f"/v1/tasks/{task_id}", headers=AUTH).json())
                      ["ready"] and t, timeout=60, message="text task done")
    assert done["state"] == "SUCCESS", done
    assert done["result"]["status"] == "appended" and done["result"]["version"] == 1

    up = http.post("/v1/ingest/file", headers=AUTH,
                   files={"file": ("../../etc/evil name.TXT", b"Title here\n\nA body paragraph "
                                   b"long enough to count as an article body, really.")})
    assert up.status_code == 202, up.text
    done = wait_until(lambda: (t := http.get(up.json()["status_url"], headers=AUTH).json())
                      ["ready"] and t, timeout=60, message="file task done")
    assert done["state"] == "SUCCESS", done
    # The result names the upload by the client's file name (its last part: no traversal),
    # never by the server path it was stored under; the stored copy is gone once ingested.
    assert done["result"]["path"] == "evil name.TXT", done
    assert done["result"]["results"][0]["source"] == "evil name.TXT"
    uploads = (api_settings.data_dir / "uploads").resolve()
    assert str(uploads) not in str(done["result"])
    assert list(uploads.iterdir()) == []
    # The same upload again is the same article (client name plus content), unchanged.
    again = http.post("/v1/ingest/file", headers=AUTH,
                      files={"file": ("evil name.TXT", b"Title here\n\nA body paragraph "
                                      b"long enough to count as an article body, really.")})
    twice = wait_until(lambda: (t := http.get(again.json()["status_url"], headers=AUTH).json())
                       ["ready"] and t, timeout=60, message="second upload done")
    assert twice["result"]["status"] == "unchanged", twice
    assert twice["result"]["article_id"] == done["result"]["article_id"]


    # The Python client queues the same tasks by name (signatures), here as one batch.
    from worker.ops.client import Client

    client = Client(api_settings)
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Client story A\n\nA paragraph that is long enough for an article body.")
    b.write_text("Client story B\n\nAnother paragraph long enough for an article body.")
    [batch] = client.submit_files([a, b], batch=10)
    got = batch.get(timeout=60)
    assert [r["status"] for r in got["results"]] == ["appended", "appended"]
    res = client.submit_text(SEED.read_text(), url="https://example.com/client").get(timeout=60)
    assert (res["status"], res["version"]) == ("appended", 1), res
