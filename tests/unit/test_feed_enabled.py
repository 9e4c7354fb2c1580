"""The shipped feed schedule polls nothing until the operator enables a feed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from worker.errors import ConfigError
from worker.feeds.schedule import load_schedule


def test_shipped_examples_are_disabled() -> None:
    feeds = load_schedule(ROOT / "config" / "feeds.toml")
    assert feeds and not [f.url for f in feeds if f.enabled]


def test_enabled_defaults_to_true_and_must_be_a_bool(tmp_path: Path) -> None:
    f = tmp_path / "feeds.toml"
    f.write_text('[[feed]]\nurl = "https://a.example/rss"\n'
                 '[[feed]]\nurl = "https://b.example/rss"\nenabled = false\n')
    assert [c.enabled for c in load_schedule(f)] == [True, False]
    f.write_text('[[feed]]\nurl = "https://a.example/rss"\nenabled = "no"\n')
    with pytest.raises(ConfigError, match="enabled must be true or false"):
        load_schedule(f)
