"""The OpenAPI document tells the truth: schemathesis generates requests from it (valid and
invalid) against the live app on a real Redis, and every response must be one the schema
documents, with the documented body, and no request may cause a server error.

`make test` replays a fixed example set (Hypothesis profile `ci`, derandomized)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from worker.api.app import create_app
from worker.pgstore import schema as pg
from worker.settings import Settings

TOKEN = "s" * 40
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def api_schema(make_settings: Callable[..., Settings], postgres_dsn: str, pg_schema: str,
               celery_worker: Any) -> Any:
    # Every optional route is on (PostgreSQL search, migrated), and a real worker takes tasks.
    with pg.connect(postgres_dsn) as conn:
        pg.migrate(conn, pg_schema)
    app = create_app(make_settings(api_token=TOKEN, max_upload_bytes=64 * 1024,
                                   postgres_dsn=postgres_dsn, postgres_schema=pg_schema))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return schemathesis.openapi.from_asgi("/openapi.json", app, headers=AUTH)


def test_every_documented_operation_keeps_its_contract(api_schema: Any) -> None:
    # Given every operation of the live app's own OpenAPI document
    failures: list[str] = []
    labels = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def exercise(case: Any) -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                case.call_and_validate(headers=AUTH)

        # When generated requests are sent, Then each response keeps the documented contract
        try:
            exercise()
        except (Exception, BaseExceptionGroup) as exc:  # every operation, not just the first
            failures.append(f"{operation.label}: {exc}")
    assert "GET /v1/search" in labels and len(labels) >= 12, labels
    assert not failures, "\n\n".join(failures)
