"""The HTTP API in-process (FastAPI TestClient) with a bearer token and small limits; shared by
tests/integration/test_api.py and tests/e2e/test_api.py (which adds a real worker)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest

from worker.api.app import create_app
from worker.settings import Settings

with warnings.catch_warnings():
    # Starlette >= 1.x nudges towards the httpx2 package; httpx still works for the test client.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

TOKEN = "test-token-123-0123456789abcdef012345678"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def api_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"api_token": TOKEN, "max_upload_bytes": 4096,
                                       "worker_ping_timeout_s": 0.3})


@pytest.fixture
def http(api_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings)) as c:
        yield c
