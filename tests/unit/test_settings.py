"""Settings: file defaults, environment overrides, one clear line on bad values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from worker.errors import ConfigError
from worker.settings import load_settings


def test_env_overrides_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "nw.toml"
    cfg.write_text('key_prefix = "fromfile"\nconsumer_batch = 7\n')
    monkeypatch.setenv("NEWSWORKER_CONFIG", str(cfg))
    monkeypatch.setenv("NEWSWORKER_CONSUMER_BATCH", "9")
    s = load_settings()
    assert s.key_prefix == "fromfile" and s.consumer_batch == 9


def test_invalid_value_names_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWORKER_CONSUMER_BATCH", "lots")
    with pytest.raises(ConfigError, match=r"consumer_batch.*NEWSWORKER_CONSUMER_BATCH"):
        load_settings()


@pytest.mark.parametrize("name", ["NEWSWORKER_INPUT_ROOTS", "NEWSWORKER_HANDLERS"])
def test_a_list_in_the_environment_that_is_not_json_names_the_variable(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # pydantic-settings raised a ValueError naming only the field, so it was reported as
    # "invalid config file config/newsworker.toml" (issue 21).
    monkeypatch.setenv("NEWSWORKER_CONFIG", str(ROOT / "config" / "newsworker.toml"))
    monkeypatch.setenv(name, "not json")
    with pytest.raises(ConfigError) as info:
        load_settings()
    key = name.removeprefix("NEWSWORKER_").lower()
    assert str(info.value).startswith(f"invalid setting {key} ({name}): not JSON")
    assert "config file" not in str(info.value)


def test_cli_reports_bad_setting_in_one_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "NEWSWORKER_REDIS_URL": "http://nope",
           "NEWSWORKER_CONFIG": str(ROOT / "config" / "newsworker.toml")}
    proc = subprocess.run([sys.executable, "-m", "worker", "events"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "redis_url" in lines[0], proc.stderr


def test_documented_defaults_load() -> None:
    s = load_settings(_env_file=None) if False else load_settings()
    assert s.max_body_bytes == 15 * 1024 * 1024 and s.fetch_timeout_s > 0


def test_as_env_reproduces_the_settings_in_a_child(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    # Given settings that differ from the defaults in every kind of field,
    s = load_settings(redis_url="redis://127.0.0.1:6379/5", key_prefix="kid",
                      input_roots=[tmp_path], fetch_allow_hosts=["10.0.0.0/8"],
                      handlers={"mine": "pkg.mod:fn"}, claim_idle_s=2.5, stream_maxlen=9)
    # when a child loads its settings from as_env() alone, then it sees the same values.
    for k, v in s.as_env().items():
        monkeypatch.setenv(k, v)
    assert load_settings() == s


def test_a_missing_config_file_is_a_named_error(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    # Given NEWSWORKER_CONFIG naming a file that is not there (a typo, a missing mount)
    monkeypatch.setenv("NEWSWORKER_CONFIG", str(tmp_path / "nope.toml"))
    # Then loading settings stops with one line naming the variable and the path
    with pytest.raises(ConfigError, match=r"NEWSWORKER_CONFIG names .*nope\.toml"):
        load_settings()


def test_cli_reports_a_missing_config_file_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWORKER_")}
    env["NEWSWORKER_CONFIG"] = str(tmp_path / "nope.toml")
    out = subprocess.run([sys.executable, "-m", "worker", "events", "--count", "1"], env=env,
                         capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 2, out.stderr
    assert out.stderr.strip().splitlines() == [
        f"newsworker: NEWSWORKER_CONFIG names {tmp_path / 'nope.toml'}, which is not a readable "
        "file"]
