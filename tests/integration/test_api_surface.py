"""The API's locked-down surface (issue 14): its description behind the token and served
without third-party scripts (or off), and an upload with extra multipart parts refused."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import pytest

from tests.support.api import AUTH, api_settings, http
from worker.api.app import STATIC_DIR, create_app
from worker.settings import Settings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

__all__ = ["api_settings", "http"]

TEXT = b"Title here\n\nA body paragraph long enough to count as an article body, really."


def test_the_api_description_needs_the_token(http: TestClient) -> None:
    assert http.get("/openapi.json").status_code == 401
    assert http.get("/openapi.json", headers={"Authorization": "Bearer wrong"}).status_code == 401
    doc = http.get("/openapi.json", headers=AUTH)
    assert doc.status_code == 200 and "/v1/ingest/file" in doc.json()["paths"]


def test_docs_page_loads_only_our_own_scripts(http: TestClient) -> None:
    page = http.get("/docs")
    assert page.status_code == 200  # a shell, like the dashboard: no data in it
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    for name in sources:
        assert http.get(name).status_code == 200
        text = (STATIC_DIR / name.removeprefix("/static/")).read_text()
        # no third-party address anywhere (the spec is fetched from our own /openapi.json)
        assert not re.search(r"https?://", text), name


@pytest.fixture
def no_docs(api_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings.model_copy(update={"api_docs": False}))) as c:
        yield c


def test_docs_can_be_switched_off(no_docs: TestClient) -> None:
    assert no_docs.get("/openapi.json", headers=AUTH).status_code == 404
    assert no_docs.get("/docs").status_code == 404
    assert no_docs.get("/v1/status", headers=AUTH).status_code == 200


@pytest.mark.parametrize("parts", [
    [("file", ("a.txt", TEXT)), ("file", ("b.txt", TEXT))],  # the first was silently dropped
    [("file", ("a.txt", TEXT)), ("note", (None, b"hello"))],
], ids=["two-files", "file-and-field"])
def test_extra_multipart_parts_are_refused(http: TestClient, api_settings: Settings,
                                           parts: list[tuple[str, object]]) -> None:
    r = http.post("/v1/ingest/file", headers=AUTH, files=parts)
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "bad_request" and "exactly one multipart part" in \
        r.json()["message"]
    uploads = api_settings.data_dir / "uploads"
    assert not uploads.exists() or list(uploads.iterdir()) == []  # nothing stored


def test_extra_parts_need_the_token_first(http: TestClient) -> None:
    r = http.post("/v1/ingest/file", files=[("file", ("a.txt", TEXT)), ("x", (None, b"1"))])
    assert r.status_code == 401


JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(("body", "why"), [
    (b'{"text": "caf\xe9"}', "not UTF-8"),  # Latin-1, not UTF-8
    (b"[" * 20_000 + b"]" * 20_000, "nested too deeply"),  # under the size cap
], ids=["latin-1", "deep"])
def test_an_undecodable_json_body_is_a_422_like_any_other(http: TestClient, body: bytes,
                                                           why: str) -> None:
    # Was 400 "There was an error parsing the body", while `{not json` was a 422 (issue 14).
    r = http.post("/v1/ingest/text", content=body, headers=AUTH | JSON)
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "invalid_request" and why in r.json()["message"]


def test_every_error_body_has_the_same_shape_and_a_stable_code(http: TestClient,
                                                               api_settings: Settings) -> None:
    announced = b"x" * (api_settings.max_upload_bytes + 128 * 1024)  # refused before reading

    def streamed() -> Iterator[bytes]:  # no Content-Length: counted while reading
        for _ in range(40):
            yield b"y" * 4096

    answers = {
        "too_large": [http.post("/v1/ingest/text", content=announced, headers=AUTH | JSON),
                      http.post("/v1/ingest/text", content=streamed(), headers=AUTH | JSON)],
        "unauthorized": [http.get("/v1/status")],
        "not_found": [http.get("/v1/nothing-here", headers=AUTH)],
        "method_not_allowed": [http.delete("/v1/status", headers=AUTH)],
        "invalid_request": [http.post("/v1/ingest/text", content=b"{not", headers=AUTH | JSON)],
        "bad_request": [http.post("/v1/ingest/file", files=[("file", ("a.txt", TEXT)),
                                                            ("x", (None, b"1"))],
                                  headers=AUTH)],
    }
    for code, responses in answers.items():
        for r in responses:
            assert r.headers["content-type"] == "application/json", r.text
            body = r.json()
            assert set(body) == {"error", "message", "detail"}, body
            assert body["error"] == code and body["message"], body
