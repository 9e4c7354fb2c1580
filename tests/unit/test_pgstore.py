"""The PostgreSQL read model's pure parts: language -> text-search configuration, stream
positions, the packaged migrations, settings, the handler's registration."""

from __future__ import annotations

import pytest

from worker.consumers.handler import BUILTINS, load
from worker.errors import ConfigError
from worker.pgstore.rows import FALLBACK_TS_CONFIG, position_key, ts_config_for
from worker.pgstore.schema import migrations
from worker.settings import load_settings

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("language,config", [
    ("en", "english"), ("de-AT", "german"), ("pt_BR", "portuguese"), ("FR", "french"),
    (None, FALLBACK_TS_CONFIG), ("", FALLBACK_TS_CONFIG), ("zh", FALLBACK_TS_CONFIG),
    ("xx-yy", FALLBACK_TS_CONFIG),
])
def test_language_picks_the_stemming_configuration(language: str | None, config: str) -> None:
    assert ts_config_for(language) == config


def test_a_configuration_the_server_lacks_falls_back_to_simple() -> None:
    assert ts_config_for("hy", frozenset({"simple", "english"})) == FALLBACK_TS_CONFIG
    assert ts_config_for("en", frozenset({"simple", "english"})) == "english"


def test_positions_order_as_stream_ids_not_as_strings() -> None:
    ids = ["1700000000000-10", "1700000000000-9", "999999999999-0", "1700000000001-0"]
    assert sorted(ids, key=position_key) == [
        "999999999999-0", "1700000000000-9", "1700000000000-10", "1700000000001-0"]


def test_migrations_are_packaged_numbered_and_create_the_read_model() -> None:
    found = migrations()
    assert found and [m.version for m in found] == list(range(1, len(found) + 1))
    first = found[0].sql
    for table in ("articles", "article_versions", "tracking"):
        assert f"CREATE TABLE {table} (" in first
    assert "GENERATED ALWAYS AS" in first and "tsvector" in first


def test_postgres_settings_default_and_validate() -> None:
    s = load_settings()
    assert s.postgres_dsn is None and s.postgres_schema == "newsworker"
    with pytest.raises(ConfigError, match="postgres_schema"):
        load_settings(postgres_schema="bad; drop table")


def test_the_postgres_handler_is_a_builtin() -> None:
    cls = load(BUILTINS["postgres"])
    assert cls.positioned and cls.batched and cls.idempotent
