"""A feed with `enabled = false` is listed but never queued by the beat tick; the shipped
schedule therefore queues nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import ROOT
from worker.feeds.poll import queue_due
from worker.settings import Settings
from worker.store.eventstore import EventStore


def test_disabled_feeds_are_not_queued(tmp_path: Path,
                                       make_settings: Callable[..., Settings]) -> None:
    f = tmp_path / "feeds.toml"
    f.write_text('[[feed]]\nurl = "https://on.example/rss"\n'
                 '[[feed]]\nurl = "https://off.example/rss"\nenabled = false\n')
    s = make_settings(feeds_file=f)
    sent: list[str] = []
    result = queue_due(s, EventStore.from_settings(s), lambda u, o: sent.append(u))
    assert result["queued"] == 1 and sent == ["https://on.example/rss"]


def test_shipped_schedule_queues_nothing(make_settings: Callable[..., Settings]) -> None:
    s = make_settings(feeds_file=ROOT / "config" / "feeds.toml")
    sent: list[tuple[str, dict[str, Any]]] = []
    result = queue_due(s, EventStore.from_settings(s), lambda u, o: sent.append((u, o)))
    assert result["queued"] == 0 and sent == []
