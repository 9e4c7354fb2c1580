"""With no Redis configured and no running `newsworker run`, commands use the default
redis://127.0.0.1:6379/0 and say so in one line on stderr (on a shared machine that Redis may
be someone else's); with one configured, or recorded by `run`, they say nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from tests.conftest import ROOT
from worker.settings import DEFAULT_REDIS_URL


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWORKER_")}
    config = tmp_path / "newsworker.toml"
    config.write_text(f'key_prefix = "t{uuid.uuid4().hex[:10]}"\n'
                      f'data_dir = "{tmp_path / "data"}"\n')
    env.update({"NEWSWORKER_CONFIG": str(config), **extra})
    return env


def _cli(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "worker", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def test_a_command_on_the_default_redis_names_it_and_why(tmp_path: Path) -> None:
    # Given no redis_url anywhere and no `run` recorded under data_dir
    env = _env(tmp_path)

    # When a command that reads the store runs (read-only, on a fresh key prefix)
    out = _cli(env, tmp_path, "events", "--count", "1")

    # Then its first stderr line names the fallback and every place that was looked at,
    # whether or not a Redis answers there
    first = out.stderr.splitlines()[0]
    assert DEFAULT_REDIS_URL in first, out.stderr
    assert "NEWSWORKER_REDIS_URL unset" in first
    assert str(tmp_path / "newsworker.toml") in first
    assert str(tmp_path / "data" / "redis.url") in first


def test_a_configured_or_recorded_redis_is_used_silently(tmp_path: Path,
                                                         redis_url: str) -> None:
    # Given a Redis set in the environment, or recorded by a running `run`
    configured = _env(tmp_path, NEWSWORKER_REDIS_URL=redis_url)
    recorded = _env(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "redis.url").write_text(redis_url + "\n")

    # When the same command runs with either
    for env in (configured, recorded):
        out = _cli(env, tmp_path, "events", "--count", "1")

        # Then it works and says nothing about a default
        assert out.returncode == 0, out.stderr
        assert "default" not in out.stderr, out.stderr


def test_celery_on_the_default_redis_names_it(tmp_path: Path) -> None:
    # Given no Redis configured, when `celery -A worker` builds its app (no connection yet)
    out = subprocess.run([sys.executable, "-c", "import worker; worker.app"], cwd=tmp_path,
                         env={**_env(tmp_path), "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=60, check=False)

    # Then it says which Redis it will use and why, in one line
    assert out.returncode == 0, out.stderr
    assert [line for line in out.stderr.splitlines() if DEFAULT_REDIS_URL in line] == [
        out.stderr.strip()], out.stderr
