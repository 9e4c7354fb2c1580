"""The one settings object.

Precedence (highest first): keyword arguments, ``NEWSWORKER_*`` environment variables,
the TOML file (``NEWSWORKER_CONFIG`` or ``config/newsworker.toml``), then the defaults below.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from worker.errors import ConfigError

log = logging.getLogger(__name__)

DEFAULT_CONFIG = Path("config/newsworker.toml")
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
RECORDED_REDIS_URL = "redis.url"  # under data_dir, written by `newsworker run` while it runs


def config_path() -> Path | None:
    explicit = os.environ.get("NEWSWORKER_CONFIG")
    if explicit:
        return Path(explicit)
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSWORKER_", extra="ignore", frozen=True)

    # --- Redis / Celery -----------------------------------------------------------------
    redis_url: str | None = Field(
        default=None,
        description="Event-store Redis. Unset: `run` starts an embedded Redis; "
        "other commands use the URL `run` recorded, else redis://127.0.0.1:6379/0.",
    )
    broker_url: str | None = Field(default=None, description="Celery broker; default redis_url")
    result_backend: str | None = Field(default=None, description="Celery results; default broker")
    key_prefix: str = Field(default="newsworker", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    celery_key_prefix: str = Field(default="", description="Prefix for Celery's broker keys")
    ingest_queue: str = "ingest"
    feeds_queue: str = "feeds"
    visibility_timeout_s: int = Field(default=3600, ge=1)
    task_time_limit_s: int = Field(default=300, ge=1)
    task_soft_time_limit_s: int = Field(default=240, ge=1)
    task_max_retries: int = Field(default=10, ge=0)
    redis_wait_s: float = Field(
        default=120.0, ge=0,
        description="How long a running task waits for Redis to come back before it fails "
        "over to Celery's retry (which needs the broker itself)")
    task_max_deliveries: int = Field(
        default=25, ge=1,
        description="Runs of one task id (retries and redeliveries) before it gives up")
    worker_concurrency: int = Field(default=2, ge=1)
    journal: bool = Field(default=True, description=(
        "Record ingest submissions in a ledger on a Redis broker and re-send any the broker "
        "loses (see worker/tasks/broker.py)"))
    journal_resend_after_s: float = Field(
        default=30.0, gt=0,
        description="How long a lost-looking submission must stay unreceived before re-send")
    journal_max_resends: int = Field(default=5, ge=1)

    # --- files -----------------------------------------------------------------------------
    data_dir: Path = Path(".newsworker")
    input_roots: list[Path] = Field(
        default_factory=list,
        description="File ingestion is confined to these directories; empty = anywhere.",
    )
    max_body_bytes: int = Field(default=15 * 1024 * 1024, ge=1024)
    max_file_bytes: int = Field(default=10 * 1024 * 1024, ge=1)

    # --- fetching --------------------------------------------------------------------------
    fetch_timeout_s: float = Field(default=10.0, gt=0)
    fetch_connect_timeout_s: float = Field(default=5.0, gt=0)
    fetch_deadline_s: float = Field(default=30.0, gt=0)
    fetch_max_redirects: int = Field(default=5, ge=0)
    fetch_allow_hosts: list[str] = Field(
        default_factory=list,
        description="Hosts or CIDRs exempt from the private-address ban (tests, intranets).",
    )
    user_agent: str = "newsworker/0.1 (+https://github.com/newsworker/newsworker)"
    feeds_file: Path = Path("config/feeds.toml")
    feed_max_errors: int = Field(default=10, ge=1)
    feed_backoff_base_s: float = Field(default=60.0, gt=0)

    # --- stream / consumers -----------------------------------------------------------------
    consumer_batch: int = Field(default=100, ge=1, le=10_000)
    consumer_block_ms: int = Field(default=1000, ge=1)
    claim_idle_s: float = Field(default=60.0, gt=0)
    max_deliveries: int = Field(default=5, ge=1)
    stream_maxlen: int | None = Field(default=None, ge=1)
    append_retries: int = Field(default=10, ge=1)
    handlers: dict[str, str] = Field(default_factory=dict, description="name -> module:callable")
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_timeout_s: float = Field(default=5.0, gt=0)
    webhook_retries: int = Field(default=2, ge=0, le=10, description="extra tries per delivery")
    webhook_backoff_s: float = Field(default=0.2, ge=0, description="first back-off, doubles")
    archive_dir: Path | None = Field(default=None, description="default: data_dir/archive")

    # --- API / monitoring -----------------------------------------------------------------
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8080, ge=1, le=65535)
    api_token: str | None = None
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    alert_max_lag: int = Field(default=1000, ge=0)
    alert_max_dlq: int = Field(default=0, ge=0)
    worker_ping_timeout_s: float = Field(default=1.0, gt=0)

    @field_validator("redis_url", "broker_url", "result_backend")
    @classmethod
    def _check_url(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return None
        if not v.startswith(("redis://", "rediss://", "unix://", "amqp://", "memory://")):
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return v

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = config_path()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    # --- derived ------------------------------------------------------------------------
    @property
    def store_url(self) -> str:
        return self.redis_url or DEFAULT_REDIS_URL

    @property
    def archive_path(self) -> Path:
        return self.archive_dir or self.data_dir / "archive"

    def as_env(self) -> dict[str, str]:
        """``NEWSWORKER_*`` variables that make a child process load exactly these settings
        (environment beats the config file, so every field is carried)."""
        env: dict[str, str] = {}
        for name, value in self.model_dump(mode="json").items():
            if value is not None:
                env[f"NEWSWORKER_{name.upper()}"] = (
                    json.dumps(value) if isinstance(value, list | dict) else str(value))
        env["NEWSWORKER_REDIS_URL"] = self.store_url  # resolved, so the child needs no lookup
        return env

    @property
    def celery_broker(self) -> str:
        return self.broker_url or self.store_url

    @property
    def celery_backend(self) -> str:
        return self.result_backend or self.celery_broker


def _format_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "?"
    env = f"NEWSWORKER_{key.upper()}"
    return f"invalid setting {key} ({env}): {first['msg']}"


def load_settings(**overrides: Any) -> Settings:
    """Build settings, turning validation errors into one ConfigError line naming the key."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(_format_error(exc)) from None
    except (OSError, ValueError) as exc:  # unreadable or malformed TOML
        raise ConfigError(f"invalid config file {config_path()}: {exc}") from None


def with_recorded_redis(settings: Settings) -> Settings:
    """``settings``, with the Redis that a running `newsworker run` recorded under
    ``data_dir`` when no ``redis_url`` is configured (so other commands reach its embedded
    Redis). Read when called, never at import."""
    if settings.redis_url:
        return settings
    recorded = settings.data_dir / RECORDED_REDIS_URL
    try:
        url = recorded.read_text().strip() if recorded.is_file() else ""
    except OSError:
        url = ""
    return settings.model_copy(update={"redis_url": url}) if url else settings
