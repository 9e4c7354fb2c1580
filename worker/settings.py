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
    SettingsError,
    TomlConfigSettingsSource,
)

from worker.errors import ConfigError

log = logging.getLogger(__name__)

DEFAULT_CONFIG = Path("config/newsworker.toml")
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
RECORDED_REDIS_URL = "redis.url"  # under data_dir, written by `newsworker run` while it runs


def config_path() -> Path | None:
    """The TOML file to read: ``NEWSWORKER_CONFIG`` (which must exist: a typo must not
    silently fall back to defaults), else config/newsworker.toml when there is one."""
    explicit = os.environ.get("NEWSWORKER_CONFIG")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"NEWSWORKER_CONFIG names {explicit}, which is not a readable file")
        return path
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSWORKER_", extra="ignore", frozen=True)

    # --- Redis / Celery -----------------------------------------------------------------
    redis_url: str | None = Field(
        default=None,
        description="Event-store Redis. Unset: `run` starts an embedded Redis; "
        "other commands use the URL `run` recorded, else redis://127.0.0.1:6379/0 "
        "(said on stderr).",
    )
    broker_url: str | None = Field(
        default=None, description="Celery broker URL. Unset: the event-store Redis (redis_url)")
    result_backend: str | None = Field(
        default=None,
        description="Celery result backend URL. Unset: the broker (broker_url, else redis_url)")
    key_prefix: str = Field(
        default="newsworker", pattern=r"^[A-Za-z0-9_.:-]{1,64}$",
        description="Prefix (and Cluster hash tag) of every event-store key; one per deployment")
    celery_key_prefix: str = Field(
        default="", description="Prefix of Celery's queue keys on the broker (to share one Redis)")
    ingest_queue: str = Field(default="ingest", description="Celery queue of file and text ingests")
    feeds_queue: str = Field(default="feeds", description="Celery queue of feed polls")
    visibility_timeout_s: int = Field(
        default=3600, ge=1,
        description="A task unacknowledged this long (its worker died) is delivered again")
    task_time_limit_s: int = Field(default=300, ge=1,
                                   description="Hard limit per task; the worker process is killed")
    task_soft_time_limit_s: int = Field(
        default=240, ge=1, description="Soft limit per task: the task is interrupted and fails")
    task_max_retries: int = Field(
        default=10, ge=0, description="Celery retries of an ingest task on a transient error")
    redis_wait_s: float = Field(
        default=120.0, ge=0,
        description="How long a running task waits for Redis to come back before it fails "
        "over to Celery's retry (which needs the broker itself)")
    task_max_deliveries: int = Field(
        default=25, ge=1,
        description="Runs of one task id (retries and redeliveries) before it gives up")
    worker_concurrency: int = Field(
        default=2, ge=1, description="Celery worker processes that `newsworker run` starts")
    journal: bool = Field(default=True, description=(
        "Record ingest submissions in a ledger on a Redis broker and re-send any the broker "
        "loses (see worker/tasks/broker.py)"))
    journal_resend_after_s: float = Field(
        default=30.0, gt=0,
        description="How long a lost-looking submission must stay unreceived before re-send")
    journal_max_resends: int = Field(
        default=5, ge=1, description="Re-sends of one lost submission before it is given up")
    dead_worker_after_s: float = Field(
        default=30.0, ge=1,
        description="A task taken by a worker that died (SIGKILL, OOM, lost host) is queued "
        "again within this long, whatever visibility_timeout_s is; a worker whose heartbeat "
        "is half this old counts as dead (see docs/recovery.md)")

    # --- files -----------------------------------------------------------------------------
    data_dir: Path = Field(
        default=Path(".newsworker"),
        description="Local state: embedded Redis data, logs, API uploads, default archive")
    input_roots: list[Path] = Field(
        default_factory=list,
        description="File ingestion is confined to these directories; empty = anywhere.",
    )
    max_body_bytes: int = Field(
        default=15 * 1024 * 1024, ge=1024,
        description="Largest document (page, feed, article) that is normalised")
    max_file_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1, description="Largest input file read from disk")

    # --- fetching --------------------------------------------------------------------------
    fetch_timeout_s: float = Field(default=10.0, gt=0, description="HTTP read timeout per fetch")
    fetch_connect_timeout_s: float = Field(
        default=5.0, gt=0, description="HTTP connect timeout per fetch")
    fetch_deadline_s: float = Field(
        default=30.0, gt=0, description="Whole-fetch deadline, redirects and body included")
    fetch_max_redirects: int = Field(default=5, ge=0, description="Redirects followed per fetch")
    fetch_allow_hosts: list[str] = Field(
        default_factory=list,
        description="Hosts or CIDRs exempt from the private-address ban (tests, intranets).",
    )
    user_agent: str = Field(
        default="newsworker/0.1 (+https://github.com/newsworker/newsworker)",
        description="User-Agent header of feed/page fetches and webhook calls")
    feeds_file: Path = Field(
        default=Path("config/feeds.toml"),
        description="Feed schedule, re-read by the worker that runs poll_due_feeds (not by beat)")
    feed_max_errors: int = Field(
        default=10, ge=1,
        description="Consecutive failed polls after which a feed is parked (`submit feed` unparks)")
    feed_backoff_base_s: float = Field(
        default=60.0, gt=0,
        description="First back-off after a failed poll; doubles per failure, at most 24 h")

    # --- stream / consumers -----------------------------------------------------------------
    consumer_batch: int = Field(
        default=100, ge=1, le=10_000, description="Entries a consumer reads per XREADGROUP")
    consumer_block_ms: int = Field(
        default=1000, ge=1, description="How long an idle consumer blocks per read")
    claim_idle_s: float = Field(
        default=60.0, gt=0,
        description="Entries pending this long on a dead or stuck consumer are claimed by another")
    max_deliveries: int = Field(
        default=5, ge=1, description="Deliveries of one entry before it is dead-lettered")
    stream_maxlen: int | None = Field(
        default=None, ge=1,
        description="Consumers trim the stream to this many entries, never past what a "
        "group still needs. Unset: no trimming")
    retention_s: float = Field(
        default=7 * 24 * 3600.0, ge=0,
        description="Consumers trim stream entries older than this, never past what a group "
        "still needs, and forget articles whose latest event they trimmed: catalog document "
        "and history go, a compact state stays for dedupe "
        "(docs/deploy.md#memory-and-retention). 0: keep everything")
    append_retries: int = Field(default=10, ge=1, description="Not used at present")
    revisions_from_any_source: bool = Field(
        default=False,
        description="Let any source revise an article; off: only the origin that established "
        "it may, others are recorded as source_conflict (docs/identity.md)")
    handlers: dict[str, str] = Field(
        default_factory=dict,
        description="Extra handler names: name -> module:callable (see docs/handlers.md)")
    story_duplicate_containment_min: float = Field(default=0.8, gt=0, le=1, description=(
        "share of the shorter body's word shingles found in the other (MinHash estimate) at "
        "or above which an article is a duplicate (syndicated copy) of one in its story"))
    story_same_containment_min: float = Field(default=0.5, gt=0, le=1, description=(
        "the same share at or above which an article joins the other's story"))
    story_shingle_words: int = Field(default=3, ge=1, le=16, description="words per shingle")
    story_min_paragraph_words: int = Field(default=8, ge=0, description=(
        "paragraphs shorter than this are page furniture, left out of the comparison"))
    story_minhash_permutations: int = Field(default=128, ge=16, le=1024, description=(
        "MinHash permutations per sketch (more: finer similarity estimates, slower); "
        "changing it needs `newsworker rebuild stories`"))
    webhook_url: str | None = Field(default=None, description="Target of the webhook handler")
    webhook_secret: str | None = Field(
        default=None, description="HMAC key signing webhook bodies")
    webhook_timeout_s: float = Field(
        default=5.0, gt=0, description="Timeout per webhook call")
    webhook_retries: int = Field(default=2, ge=0, le=10, description="extra tries per delivery")
    webhook_backoff_s: float = Field(default=0.2, ge=0, description="first back-off, doubles")
    archive_dir: Path | None = Field(default=None, description="default: data_dir/archive")
    postgres_dsn: str | None = Field(
        default=None, description="PostgreSQL for the `postgres` read model and search; "
        "unset: neither is available")
    postgres_schema: str = Field(
        default="newsworker", pattern=r"^[a-z_][a-z0-9_]{0,47}$",
        description="Schema of the read model's tables (a rebuild stages in <schema>_build)")

    # --- API / monitoring -----------------------------------------------------------------
    api_host: str = Field(default="127.0.0.1", description="Bind address of `serve`")
    api_port: int = Field(default=8080, ge=1, le=65535, description="Port of `serve`")
    api_token: str | None = Field(
        default=None,
        description="Bearer token for the API's protected routes; required off loopback")
    max_upload_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1, description="Largest API upload or text body")
    api_docs: bool = Field(
        default=True, description="Serve /openapi.json (needs the token) and /docs, the page "
        "reading it; off: both answer 404")
    events_max_bytes: int = Field(
        default=2 * 1024 * 1024, ge=4096, description=(
            "Most JSON one `/v1/events` answer (or one page of `newsworker events`) carries; "
            "the request's max_bytes may only lower it"))
    api_redis_timeout_s: float = Field(
        default=2.0, gt=0, description=(
            "How long an API request waits on Redis or the broker before it answers 503 "
            "(down, refusing or hung)"))
    alert_max_lag: int = Field(
        default=1000, ge=0, description="`status` alerts when a group lags by more entries")
    alert_max_dlq: int = Field(
        default=0, ge=0, description="`status` alerts when more dead letters are waiting")
    alert_redis_aof: bool = Field(
        default=True, description="`status` alerts when the store Redis runs without AOF")
    alert_max_memory_pct: float = Field(
        default=90.0, gt=0, le=100,
        description="`status` alerts above this share of Redis maxmemory (none when unset)")
    worker_ping_timeout_s: float = Field(
        default=1.0, gt=0, description="How long `status` waits for workers to answer a ping")

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
    except SettingsError as exc:
        # pydantic-settings names the field but not the variable, and is a ValueError too:
        # a list or table in the environment that is not JSON must not blame the config file.
        if '"EnvSettingsSource"' in str(exc) and (key := str(exc).split('"')[1]):
            raise ConfigError(
                f"invalid setting {key} (NEWSWORKER_{key.upper()}): not JSON "
                f"({exc.__cause__}); lists and tables are JSON there: [\"a\"], {{\"k\": \"v\"}}"
            ) from None
        raise ConfigError(f"invalid config file {config_path()}: {exc}") from None
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


def default_redis_notice(settings: Settings) -> str | None:
    """The one line to print when ``settings`` (after :func:`with_recorded_redis`) fall back to
    DEFAULT_REDIS_URL, naming where each place to set a Redis was looked at; None otherwise.
    Said aloud because on a shared machine the default may be someone else's Redis."""
    if settings.redis_url:
        return None
    where = config_path()
    return (f"no redis_url (NEWSWORKER_REDIS_URL unset, "
            f"{f'not in {where}' if where else 'no config file'}, no running `newsworker run` "
            f"recorded in {settings.data_dir / RECORDED_REDIS_URL}): "
            f"using the default {DEFAULT_REDIS_URL}")
