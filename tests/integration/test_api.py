"""The HTTP API in-process (FastAPI TestClient) against real Redis; task execution by a real
Celery worker process is in tests/e2e/test_api.py."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.api import AUTH, api_settings, http
from tests.support.articles import make_article
from worker import metrics
from worker.api.app import create_app
from worker.api.security import check_bind
from worker.errors import ConfigError
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import ensure_group

with warnings.catch_warnings():
    # Starlette >= 1.x nudges towards the httpx2 package; httpx still works for the test client.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

__all__ = ["api_settings", "http"]  # fixtures, found by pytest in this module's namespace


def test_token_is_required_except_for_healthz_and_the_shell(http: TestClient) -> None:
    assert http.get("/v1/status").status_code == 401
    r = http.get("/v1/events", headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert http.get("/metrics").status_code == 401
    assert http.post("/v1/ingest/text", json={"text": "x"}).status_code == 401
    assert http.get("/v1/status", headers=AUTH).status_code == 200
    assert http.get("/healthz").json() == {"status": "ok"}
    shell = http.get("/")
    assert shell.status_code == 200 and 'id="queues"' in shell.text
    assert "script-src 'self'" in shell.headers["content-security-policy"]
    assert http.get("/static/dashboard.js").status_code == 200
    assert http.get("/openapi.json").status_code == 401  # the description too (issue 14)
    assert "/v1/ingest/file" in http.get("/openapi.json", headers=AUTH).json()["paths"]


def test_without_a_token_only_loopback(settings: Settings) -> None:
    # Binding beyond loopback without a token is refused at start.
    with pytest.raises(ConfigError, match="NEWSWORKER_API_TOKEN"):
        check_bind(settings, "0.0.0.0")
    check_bind(settings, "127.0.0.1")
    check_bind(settings, "::1")
    # On loopback, requests need a loopback Host and no foreign Origin (DNS rebinding, CSRF).
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8080") as c:
        assert c.get("/v1/events").status_code == 200
        assert c.get("/v1/events", headers={"Host": "evil.example"}).status_code == 403
        r = c.post("/v1/ingest/feed", json={"url": "https://example.com/f.xml"},
                   headers={"Origin": "https://evil.example"})
        assert r.status_code == 403


@pytest.mark.parametrize("path,body,needle", [
    ("/v1/ingest/text", {}, "body.text: Field required"),
    ("/v1/ingest/text", {"text": "   "}, "text is blank"),
    ("/v1/ingest/text", {"text": "x", "url": "ftp://example.com/a"}, "http:// or https://"),
    ("/v1/ingest/feed", {"url": "file:///etc/passwd"}, "http:// or https://"),
    ("/v1/ingest/feed", [1, 2], "body"),
])
def test_bad_bodies_are_422_with_a_message(http: TestClient, path: str, body: Any,
                                           needle: str) -> None:
    r = http.post(path, json=body, headers=AUTH)
    assert r.status_code == 422
    assert needle in r.json()["message"]


def test_bad_queries_and_json_are_422(http: TestClient) -> None:
    r = http.post("/v1/ingest/text", content=b"{not json", headers=AUTH | {
        "Content-Type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.json()["message"]
    assert http.get("/v1/events?after=abc", headers=AUTH).status_code == 422
    assert http.get("/v1/events?limit=0", headers=AUTH).status_code == 422
    r = http.post("/v1/ingest/file", files={"file": ("a.txt", b"")}, headers=AUTH)
    assert r.status_code == 422 and "empty" in r.json()["message"]


def test_oversized_bodies_are_413(http: TestClient, api_settings: Settings) -> None:
    big = b"x" * (api_settings.max_upload_bytes + 1)
    # a file just over the limit (inside the multipart slack): checked on the file itself
    r = http.post("/v1/ingest/file", files={"file": ("a.txt", big)}, headers=AUTH)
    assert r.status_code == 413
    # a body announced as too large: refused before it is read
    huge = b"x" * (api_settings.max_upload_bytes + 128 * 1024)
    r = http.post("/v1/ingest/text", content=huge, headers=AUTH | {
        "Content-Type": "application/json"})
    assert r.status_code == 413 and "exceeds" in r.json()["message"]

    # a chunked body with no Content-Length: counted while streaming
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"y" * 4096

    r = http.post("/v1/ingest/text", content=chunks(), headers=AUTH | {
        "Content-Type": "application/json"})
    assert r.status_code == 413
    uploads = api_settings.data_dir / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


def test_events_paging_and_articles(http: TestClient, store: EventStore,
                                    api_settings: Settings) -> None:
    results = store.append_many([make_article(f"Body {i}.", location=f"/in/{i}.txt")
                                 for i in range(5)])
    ids = [r.entry_id for r in results]
    page = http.get("/v1/events?limit=2", headers=AUTH).json()
    assert [e["entry_id"] for e in page["events"]] == ids[:2]
    page = http.get(f"/v1/events?limit=2&after={page['next_after']}", headers=AUTH).json()
    assert [e["entry_id"] for e in page["events"]] == ids[2:4]  # exclusive after
    page = http.get(f"/v1/events?after={ids[-1]}", headers=AUTH).json()
    assert page == {"events": [], "next_after": ids[-1], "truncated": False,
                    "max_bytes": api_settings.events_max_bytes}
    tail = http.get("/v1/events?tail=2", headers=AUTH).json()
    assert [e["entry_id"] for e in tail["events"]] == ids[3:]
    # summaries by default; the whole event on request
    first = tail["events"][0]
    assert (first["title"], first["type"], first["version"], first["event"]) == \
        ("A title", "article.ingested", 1, None)
    assert first["article_id"] == results[3].article_id and first["body_bytes"] > 0
    full = http.get("/v1/events?tail=2&full=true", headers=AUTH).json()
    assert full["events"][0]["event"]["data"]["title"] == "A title"
    art = http.get(f"/v1/articles/{results[1].article_id}", headers=AUTH).json()
    assert (art["entry_id"], art["version"]) == (ids[1], 1)
    assert http.get("/v1/articles/0000", headers=AUTH).status_code == 404


def test_metrics_are_computed_from_redis(http: TestClient, store: EventStore,
                                         celery_app: Any, settings: Settings) -> None:
    # Given 3 queued tasks (no worker), a group that read nothing, 4 events, a failure
    for _ in range(3):
        celery_app.send_task("newsworker.ingest_file", args=["/nope"],
                             queue=settings.ingest_queue)
    ensure_group(store.redis, store.keys.events, "idx")
    store.append_many([make_article(f"B {i}.", location=f"/m/{i}") for i in range(4)])
    store.redis.hincrby(store.keys.counters, "failures:binary", 2)
    store.redis.hincrby(store.keys.counters, "feed_polls:not_modified", 1)

    text = http.get("/metrics", headers=AUTH).text
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for fam in text_string_to_metric_families(text) for s in fam.samples}
    assert samples[("newsworker_queue_length", (("queue", settings.ingest_queue),))] == 3
    assert samples[("newsworker_journal_pending", ())] == 3
    assert samples[("newsworker_group_lag", (("group", "idx"),))] == 4
    assert samples[("newsworker_group_pending", (("group", "idx"),))] == 0
    assert samples[("newsworker_stream_length", ())] == 4
    assert samples[("newsworker_dlq_length", ())] == 0
    assert samples[("newsworker_events_appended_total", (("type", "article.ingested"),))] == 4
    assert samples[("newsworker_ingest_failures_total", (("reason", "binary"),))] == 2
    assert samples[("newsworker_feed_polls_total", (("result", "not_modified"),))] == 1
    assert "# TYPE newsworker_task_duration_seconds histogram" in text


def test_task_durations_of_all_workers_are_one_histogram(
        http: TestClient, store: EventStore) -> None:
    # Given runs recorded by two different processes' tasks (here: two batches, as two
    # processes' task_postrun receivers keep them)
    for runs in ([("ingest_file", 0.02), ("poll_feed", 400.0)], [("ingest_file", 3.0)]):
        batch = metrics.DurationBatch(store.redis, store.keys)
        for task, seconds in runs:
            batch.add(task, seconds)
        batch.stop()

    # When /metrics is scraped, Then it is one cumulative histogram per task
    text = http.get("/metrics", headers=AUTH).text
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for fam in text_string_to_metric_families(text) for s in fam.samples}
    name = "newsworker_task_duration_seconds"

    def bucket(task: str, le: str) -> float:
        return samples[(f"{name}_bucket", (("le", le), ("task", task)))]

    assert bucket("ingest_file", "0.01") == 0
    assert bucket("ingest_file", "0.025") == 1
    assert bucket("ingest_file", "2.5") == 1
    assert bucket("ingest_file", "5.0") == 2
    assert bucket("ingest_file", "+Inf") == 2
    assert samples[(f"{name}_count", (("task", "ingest_file"),))] == 2
    assert samples[(f"{name}_sum", (("task", "ingest_file"),))] == pytest.approx(3.02)
    assert bucket("poll_feed", "300.0") == 0 and bucket("poll_feed", "+Inf") == 1
