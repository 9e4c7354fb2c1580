"""Security properties (see docs/security.md) against real Redis servers: JSON-only task
messages, Redis AUTH/TLS, an authenticated API, loopback binds. (The pickle guard, secrets and
the container are in tests/unit/test_security.py; a pickled message sent to a real worker is in
tests/e2e/test_security.py.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from tests.conftest import ROOT
from worker.events.models import Article, Source, content_hash
from worker.ops.runner import Supervisor, free_port, redis_server_binary, start_embedded_redis
from worker.settings import Settings, load_settings
from worker.store.eventstore import EventStore
from worker.store.keys import Keys


def test_celery_accepts_json_only(settings: Settings) -> None:
    from worker.tasks.app import create_app

    conf = create_app(settings).conf
    assert conf.accept_content == ["json"] and conf.task_serializer == "json"
    assert conf.result_accept_content == ["json"] and conf.result_serializer == "json"


# --- Redis AUTH and TLS -------------------------------------------------------------------------

@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[Callable[[list[str]], int]]:
    procs: list[subprocess.Popen[bytes]] = []

    def start(extra: list[str], binary: str | None = None) -> int:
        port = free_port()
        with (tmp_path / f"redis-{port}.log").open("wb") as log:
            procs.append(subprocess.Popen(
                [binary or redis_server_binary(), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(tmp_path), *extra,
                 *(["--port", str(port)] if "--port" not in extra else [])],
                stdout=log, stderr=subprocess.STDOUT))
        return port

    yield start  # type: ignore[misc]
    for p in procs:
        p.kill()
        p.wait()


def _article() -> Article:
    title, body = "Authenticated", ("Appended through a password-protected Redis.",)
    return Article(title=title, body=body, source=Source(kind="text", location="auth"),
                   content_hash=content_hash(title, body))


def _wait_ping(client: redis.Redis) -> None:
    from tests.conftest import wait_until

    def ping() -> bool:
        try:
            return bool(client.ping())
        except redis.AuthenticationError:
            raise
        except redis.ConnectionError:
            return False

    wait_until(ping, timeout=15, message="redis ping")


def test_redis_auth_from_the_url(private_redis: Callable[[list[str]], int],
                                 tmp_path: Path) -> None:
    port = private_redis(["--requirepass", "s3cr3t-pw"])
    url = f"redis://:s3cr3t-pw@127.0.0.1:{port}/0"
    settings = load_settings(redis_url=url, key_prefix="auth", data_dir=tmp_path)
    store = EventStore.from_settings(settings)
    _wait_ping(store.redis)
    assert store.append(_article()).status == "appended"
    assert store.length() == 1
    # Without the password nothing is readable
    with pytest.raises(redis.AuthenticationError):
        redis.Redis(port=port).xlen(Keys("auth").events)


def test_redis_tls(private_redis: Callable[..., int], tmp_path: Path) -> None:
    server, openssl = shutil.which("redis-server"), shutil.which("openssl")
    if not server or not openssl:
        pytest.skip("TLS test needs redis-server (built with TLS) and openssl on PATH")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    made = subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
                           "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                           "-keyout", str(key), "-out", str(cert)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"openssl could not make a test certificate: {made.stderr[-200:]!r}")
    port = free_port()
    private_redis(["--port", "0", "--tls-port", str(port), "--tls-cert-file", str(cert),
                   "--tls-key-file", str(key), "--tls-ca-cert-file", str(cert),
                   "--tls-auth-clients", "no"], server)
    url = f"rediss://127.0.0.1:{port}/0?ssl_ca_certs={cert}"
    store = EventStore.from_settings(load_settings(redis_url=url, key_prefix="tls",
                                                   data_dir=tmp_path))
    try:
        _wait_ping(store.redis)
    except AssertionError:
        log = "".join(p.read_text(errors="replace") for p in tmp_path.glob("redis-*.log"))
        if "TLS" in log and ("not" in log or "support" in log):
            pytest.skip(f"this redis-server has no TLS support: {log[-200:]}")
        raise
    assert store.append(_article()).status == "appended"
    # A plain-text client cannot talk to the TLS port
    with pytest.raises(redis.ConnectionError):
        redis.Redis(port=port, socket_timeout=2, socket_connect_timeout=2).ping()


# --- API, container, binds ------------------------------------------------------------------------

def test_api_requires_a_token(settings: Settings, make_settings: Callable[..., Settings]) -> None:
    api = pytest.importorskip("worker.api.app")
    with warnings.catch_warnings():  # Starlette 1.x prefers httpx2; httpx works
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        from fastapi.testclient import TestClient

    s = make_settings(api_token="right-token")
    with TestClient(api.create_app(s), base_url="http://127.0.0.1") as client:
        for path in ("/v1/status", "/v1/events", "/metrics"):
            assert client.get(path).status_code == 401, path
            bad = client.get(path, headers={"Authorization": "Bearer wrong"})
            assert bad.status_code == 401, path
        assert client.post("/v1/ingest/text", json={"text": "x"}).status_code == 401
        good = client.get("/v1/events", headers={"Authorization": "Bearer right-token"})
        assert good.status_code == 200


def test_api_without_token_refuses_public_bind(make_settings: Callable[..., Settings]) -> None:
    api = pytest.importorskip("worker.api.app")
    from worker.errors import ConfigError

    s = make_settings(api_token=None)
    with pytest.raises(ConfigError):
        api.check_bind(s, "0.0.0.0")
    api.check_bind(s, "127.0.0.1")


def test_defaults_bind_loopback_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for k in [k for k in os.environ if k.startswith("NEWSWORKER_")]:
        monkeypatch.delenv(k)
    monkeypatch.setenv("NEWSWORKER_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    assert Settings().api_host == "127.0.0.1"
    conf = tomllib.loads((ROOT / "config" / "newsworker.toml").read_text())
    assert conf.get("api_host", "127.0.0.1") == "127.0.0.1"
    # The embedded Redis `run` starts binds loopback (checked on the real argv) and answers there
    with Supervisor(tmp_path / "logs") as sup:
        url = start_embedded_redis(sup, tmp_path)
        argv = list(sup.procs[0][1].args)  # type: ignore[arg-type]
        assert argv[argv.index("--bind") + 1] == "127.0.0.1"
        assert "0.0.0.0" not in argv
        assert url.startswith("redis://127.0.0.1:")
