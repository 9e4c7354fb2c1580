"""`serve` refuses a token anyone could guess, or one that refuses everyone, with one line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from worker.api.security import MIN_TOKEN_CHARS, check_bind
from worker.errors import ConfigError
from worker.settings import load_settings


@pytest.mark.parametrize(("token", "needle"), [
    ("x", "has 1 characters"),
    ("a" * (MIN_TOKEN_CHARS - 1), f"use at least {MIN_TOKEN_CHARS}"),
    ("   ", "blank"),
    (" " + "a" * 40, "white space"),
])
def test_weak_or_blank_tokens_are_refused(token: str, needle: str) -> None:
    with pytest.raises(ConfigError, match=needle):
        check_bind(load_settings(api_token=token), "0.0.0.0")


def test_a_long_token_serves_anywhere() -> None:
    check_bind(load_settings(api_token="k" * MIN_TOKEN_CHARS), "0.0.0.0")
    check_bind(load_settings(api_token=None), "127.0.0.1")


def test_serve_with_a_short_token_stops_with_one_line() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWORKER_")}
    env.update({"NEWSWORKER_API_TOKEN": "short", "NEWSWORKER_REDIS_URL": "redis://127.0.0.1:1/0",
                "NEWSWORKER_CONFIG": str(ROOT / "config" / "newsworker.toml")})
    out = subprocess.run([sys.executable, "-m", "worker", "serve", "--host", "0.0.0.0",
                          "--port", "1"], env=env, capture_output=True, text=True, timeout=60,
                         check=False)
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "NEWSWORKER_API_TOKEN" in lines[0] and "has 5 characters" in \
        lines[0], out.stderr
