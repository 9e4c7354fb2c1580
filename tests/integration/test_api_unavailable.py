"""With Redis down, refusing or hung, the API answers 503 + Retry-After with a JSON body
within a bounded time, and names no address, host or port (``/healthz`` needs no token)."""

from __future__ import annotations

import signal
import subprocess
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from worker.api.app import create_app
from worker.ops.runner import free_port, redis_server_binary, wait_for_redis
from worker.settings import Settings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

TOKEN = "t" * 40
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GENEROUS_S = 30.0  # far above api_redis_timeout_s (1 s here): "bounded", not a benchmark


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A Redis of this test's own, so it can be stopped and killed."""
    port = free_port()
    proc = subprocess.Popen([redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    wait_for_redis(url)
    yield url, proc
    proc.send_signal(signal.SIGCONT)
    proc.kill()
    proc.wait()


@pytest.fixture
def http(own_redis: tuple[str, Any], make_settings: Callable[..., Settings],
         tmp_path: Path) -> TestClient:
    settings = make_settings(redis_url=own_redis[0], api_token=TOKEN, api_redis_timeout_s=1.0,
                             data_dir=tmp_path / "data")
    return TestClient(create_app(settings))


def call(fn: Callable[[], Any]) -> Any:
    """``fn()`` in a thread; fails if it has not returned within GENEROUS_S."""
    out: list[Any] = []
    t = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    t.start()
    t.join(GENEROUS_S)
    assert out, f"no answer within {GENEROUS_S}s"
    return out[0]


def requests(http: TestClient) -> dict[str, Callable[[], Any]]:
    return {
        "ingest_text": lambda: http.post("/v1/ingest/text", headers=AUTH,
                                         json={"text": "A headline\n\nA paragraph of text."}),
        "ingest_feed": lambda: http.post("/v1/ingest/feed", headers=AUTH,
                                         json={"url": "https://example.com/feed.xml"}),
        "events": lambda: http.get("/v1/events", headers=AUTH),
        "status": lambda: http.get("/v1/status", headers=AUTH),
        "article": lambda: http.get("/v1/articles/abc", headers=AUTH),
    }


def assert_unavailable(r: Any, port: str) -> None:
    assert r.status_code == 503, r.text
    assert r.json()["error"] == "unavailable"
    assert int(r.headers["retry-after"]) > 0
    assert "127.0.0.1" not in r.text and port not in r.text


@pytest.mark.parametrize("how", ["hung", "down"])
def test_redis_away_is_a_bounded_503_naming_no_address(
        how: str, http: TestClient, own_redis: tuple[str, subprocess.Popen[bytes]],
        tmp_path: Path) -> None:
    url, proc = own_redis
    uploads = tmp_path / "data" / "uploads"
    port = url.rsplit(":", 1)[1].split("/")[0]
    assert http.get("/healthz").json() == {"status": "ok"}
    # Given Redis hung (SIGSTOP: connections accepted, nothing answered) or dead
    if how == "hung":
        proc.send_signal(signal.SIGSTOP)
    else:
        proc.kill()
        proc.wait()
    # Then every route that needs Redis answers 503 + Retry-After, promptly, with no address
    for name, request in requests(http).items():
        r = call(request)
        assert_unavailable(r, port), name
    # and an upload that could not be queued is not kept
    r = call(lambda: http.post("/v1/ingest/file", headers=AUTH,
                               files={"file": ("story.txt", b"A headline\n\nSome text.")}))
    assert_unavailable(r, port)
    assert not uploads.exists() or not any(uploads.iterdir())
    health = call(lambda: http.get("/healthz"))
    assert health.status_code == 503 and health.json() == {"status": "down"}
    assert port not in health.text
