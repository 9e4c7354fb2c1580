"""Security properties that need no Redis (see docs/security.md): the pickle guard, secrets
from the environment only, a non-root container, Flower behind basic auth on loopback."""

from __future__ import annotations

import pickle
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.payloads import MakeDir
from worker.settings import load_settings


def test_pickle_payload_would_execute(tmp_path: Path) -> None:
    # Guard: the payload really runs code when unpickled, so tests/e2e/test_security.py can fail.
    marker = tmp_path / "proof"
    pickle.loads(pickle.dumps(MakeDir(str(marker))))  # on purpose
    assert marker.is_dir()


# --- secrets ------------------------------------------------------------------------------------

SECRET_KEYS = ("api_token", "webhook_secret", "redis_url", "broker_url", "result_backend")


def test_config_file_holds_no_secrets() -> None:
    raw = (ROOT / "config" / "newsworker.toml").read_text()
    conf = tomllib.loads(raw)
    for key in SECRET_KEYS:
        assert not conf.get(key), f"config/newsworker.toml sets {key}; use NEWSWORKER_{key.upper()}"
    code = "\n".join(line.split("#")[0] for line in raw.splitlines())  # comments may show URLs
    assert "@" not in code, "credentials in a URL in the config"


def test_secrets_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWORKER_API_TOKEN", "t0ken")
    monkeypatch.setenv("NEWSWORKER_WEBHOOK_SECRET", "s3cret")
    s = load_settings()
    assert s.api_token == "t0ken" and s.webhook_secret == "s3cret"


# --- container -------------------------------------------------------------------------------

def test_container_runs_as_non_root() -> None:
    dockerfile = ROOT / "Dockerfile"
    if not dockerfile.exists():
        pytest.skip("no Dockerfile yet")
    users = [line.split(None, 1)[1].strip() for line in dockerfile.read_text().splitlines()
             if line.strip().upper().startswith("USER ")]
    assert users, "Dockerfile has no USER: the container would run as root"
    assert users[-1].split(":")[0] not in ("root", "0"), users[-1]


def test_flower_requires_basic_auth() -> None:
    compose = ROOT / "docker-compose.yml"
    if not compose.exists():
        pytest.skip("no docker-compose.yml yet")
    text = compose.read_text()
    assert "flower" in text and "FLOWER_BASIC_AUTH" in text
    assert '127.0.0.1:${FLOWER_PORT' in text, "Flower must publish on loopback only"
