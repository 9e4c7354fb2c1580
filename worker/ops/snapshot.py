"""The typed monitor snapshot: what `newsworker status`, ``GET /v1/status``, the dashboard
and the alerts read. Its JSON (``model_dump(mode="json")``) is the API's wire format."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Workers(Model):
    live: int | None = Field(description="Workers that answered the broadcast; None: not asked")
    active: int | None = Field(description="Tasks running on them")
    names: list[str] = []
    per_worker: dict[str, int] | None = None
    error: str | None = Field(default=None, description="Why the broadcast failed")


class StreamStats(Model):
    length: int
    first_id: str | None
    last_id: str | None
    newest_age_s: float | None
    events_per_minute: float


class GroupRow(Model):
    name: str
    consumers: int
    pending: int
    lag: int
    lag_capped: bool = Field(default=False, description=(
        "Redis could not report the lag and counting stopped at alert_max_lag + 1: "
        "the lag is at least `lag`"))
    last_delivered_id: str
    oldest_pending_id: str | None
    oldest_pending_idle_ms: int | None


class DeadLetterRow(Model):
    id: str = Field(description="Entry id in the dead-letter stream (for `dlq retry`)")
    group: str = Field(description="Consumer group whose handler gave up")
    handler: str
    error: str = Field(description="The handler's last error")
    deliveries: int = Field(description="Deliveries before it was dead-lettered")
    entry_id: str = Field(description="The event's entry id in the event stream")
    type: str
    article_id: str
    at_ms: int = Field(description="When it was dead-lettered, Unix ms")


class DeadLetters(Model):
    length: int
    recent: list[DeadLetterRow]


class FailureRow(Model):
    entry_id: str
    reason: str
    code: str
    source: str


class Failures(Model):
    length: int
    recent: list[FailureRow]
    by_code: dict[str, int]


class FeedRow(Model):
    id: str
    url: str
    last_poll_at: float | None
    last_result: str
    next_due_at: float | None
    error_count: int
    parked: bool
    parked_reason: str
    last_error: str


class RedisHealth(Model):
    """The event-store Redis as INFO reports it: what it holds and whether it keeps it."""
    version: str
    used_memory_bytes: int
    maxmemory_bytes: int = Field(description="0: no limit set")
    maxmemory_policy: str = Field(description="Anything but noeviction can drop events")
    aof_enabled: bool = Field(description="Append-only persistence; off loses recent writes")


class Alert(Model):
    kind: Literal["lag", "dlq", "workers", "redis"]
    subject: str
    value: int
    limit: int
    message: str


class Snapshot(Model):
    at: float = Field(description="Unix time of the reading, seconds")
    key_prefix: str
    queues: dict[str, int] = Field(description="Messages waiting per Celery queue")
    unacked: int = Field(description="Messages taken by a worker, not yet acknowledged")
    journal_pending: int = Field(description="Submissions no worker has received yet")
    workers: Workers
    stream: StreamStats
    groups: list[GroupRow]
    dead_letters: DeadLetters
    counters: dict[str, dict[str, int]]
    failures: Failures
    feeds: list[FeedRow]
    redis: RedisHealth | None = Field(default=None, description="None: INFO unavailable")
    alerts: list[Alert]
