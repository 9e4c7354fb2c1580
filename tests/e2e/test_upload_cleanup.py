"""An upload's stored copy is deleted also when the worker refuses it (issue 14: uploads stayed
in data_dir/uploads forever). Deleted once ingested: tests/e2e/test_api.py; when it could not be
queued: tests/integration/test_api_unavailable.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import Proc, wait_until
from tests.support.api import AUTH, api_settings, http
from worker.settings import Settings

if TYPE_CHECKING:  # imported at run time by tests.support.api, under a warnings filter
    from fastapi.testclient import TestClient

__all__ = ["api_settings", "http"]  # fixtures, found by pytest in this module's namespace

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.mark.parametrize(("name", "content", "code"), [
    ("photo.png", PNG, "binary"),
    ("note.txt", b"Hi", "not_article"),
])
def test_a_refused_upload_is_deleted(http: TestClient, celery_worker: Proc,
                                     api_settings: Settings, name: str, content: bytes,
                                     code: str) -> None:
    up = http.post("/v1/ingest/file", headers=AUTH, files={"file": (name, content)})
    assert up.status_code == 202, up.text
    uploads = api_settings.data_dir / "uploads"
    done = wait_until(lambda: (t := http.get(up.json()["status_url"], headers=AUTH).json())
                      ["ready"] and t, timeout=60, message="upload task done")
    assert done["result"]["status"] == "failed" and done["result"]["code"] == code, done
    assert done["result"]["source"] == name
    assert list(uploads.iterdir()) == []
