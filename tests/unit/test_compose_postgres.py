"""The compose file's `postgres` profile: a durable, unpublished, health-checked PostgreSQL
and the projection consumer that waits for it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.compose import load_compose, service_argv, service_env

pytestmark = pytest.mark.unit

ENV = {"NEWSWORKER_API_TOKEN": "t", "POSTGRES_PASSWORD": "pw", "REDIS_PASSWORD": "rpw"}


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    svcs: dict[str, Any] = load_compose()["services"]
    return svcs


def test_postgres_is_profile_only_durable_unpublished_and_health_checked(
        services: dict[str, Any]) -> None:
    pg = services["postgres"]
    assert pg["profiles"] == ["postgres"]
    assert pg["image"].startswith("postgres:")
    assert "ports" not in pg
    [volume] = pg["volumes"]
    name, target = volume.split(":")
    assert target == "/var/lib/postgresql/data" and "/" not in name, "a named volume"
    assert name in load_compose()["volumes"]
    assert "pg_isready" in " ".join(pg["healthcheck"]["test"])
    assert service_env(pg, ENV)["POSTGRES_PASSWORD"] == "pw"
    assert pg["user"] == "postgres", "the image's own user: never root"


def test_the_projection_runs_the_postgres_handler_once_postgres_is_healthy(
        services: dict[str, Any]) -> None:
    proj = services["projection"]
    assert proj["profiles"] == ["postgres"]
    assert service_argv(proj, ENV)[:5] == ["newsworker", "consume", "postgres", "--handler",
                                            "postgres"]
    assert proj["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert proj["depends_on"]["redis"]["condition"] == "service_healthy"
    dsn = service_env(proj, ENV)["NEWSWORKER_POSTGRES_DSN"]
    assert dsn == "postgresql://newsworker:pw@postgres:5432/newsworker"


def test_the_api_serves_search_only_when_given_a_dsn(services: dict[str, Any]) -> None:
    assert service_env(services["api"], ENV)["NEWSWORKER_POSTGRES_DSN"] == ""
    given = {**ENV, "NEWSWORKER_POSTGRES_DSN": "postgresql://x@postgres/newsworker"}
    assert service_env(services["api"], given)["NEWSWORKER_POSTGRES_DSN"].startswith("postgresql")
