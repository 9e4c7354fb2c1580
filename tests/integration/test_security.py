"""Security properties (see docs/security.md): JSON-only task messages, secrets from the
environment only, Redis AUTH/TLS, an authenticated API, non-root container, loopback binds."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import tomllib
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.conftest import ROOT, Proc
from worker.events.models import Article, Source, content_hash
from worker.ops.runner import Supervisor, free_port, redis_server_binary, start_embedded_redis
from worker.settings import Settings, load_settings
from worker.store.eventstore import EventStore
from worker.store.keys import Keys


class _MakeDir:
    """Unpickling this calls os.mkdir(path): proof of code execution if it ever happens."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (self.path,))


def test_pickle_payload_would_execute(tmp_path: Path) -> None:
    # Guard: the payload below really runs code when unpickled, so the next test can fail.
    marker = tmp_path / "proof"
    pickle.loads(pickle.dumps(_MakeDir(str(marker))))  # on purpose
    assert marker.is_dir()


@pytest.mark.e2e
def test_pickled_message_is_rejected_not_executed(settings: Settings, celery_worker: Proc,
                                                  celery_app: Any, tmp_path: Path) -> None:
    from kombu import Queue

    marker = tmp_path / "pwned"
    task_id = str(uuid.uuid4())
    # Given a message that looks like a Celery task but is pickle-serialised
    body = ((_MakeDir(str(marker)),), {}, {"callbacks": None, "errbacks": None,
                                           "chain": None, "chord": None})
    headers = {"lang": "py", "task": "newsworker.ingest_file", "id": task_id,
               "root_id": task_id, "parent_id": None, "group": None, "retries": 0,
               "argsrepr": "()", "kwargsrepr": "{}", "origin": "attacker"}
    with celery_app.connection_for_write() as conn:
        producer = conn.Producer()
        producer.publish(body, exchange="", routing_key=settings.ingest_queue,
                         serializer="pickle", headers=headers,
                         declare=[Queue(settings.ingest_queue)])
    # When a good task is queued behind it and completes
    ok = celery_app.send_task("newsworker.ingest_text",
                              args=["Safe title\n\nA perfectly ordinary article body about the "
                                    "council budget, road repairs and library hours."],
                              queue=settings.ingest_queue)
    assert ok.get(timeout=60)["status"] == "appended"
    # Then the pickle never ran, the worker refused it and is still up
    assert not marker.exists(), "a pickled message was deserialised and executed"
    out = celery_worker.output()
    assert "ContentDisallowed" in out or "Refusing to deserialize" in out, out[-3000:]
    assert celery_worker.proc is not None and celery_worker.proc.poll() is None


def test_celery_accepts_json_only(settings: Settings) -> None:
    from worker.tasks.app import create_app

    conf = create_app(settings).conf
    assert conf.accept_content == ["json"] and conf.task_serializer == "json"
    assert conf.result_accept_content == ["json"] and conf.result_serializer == "json"


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
