"""``rediss://``: the host-name lookup is bounded like plain TCP's, and TLS still checks the
certificate against the host *name*. A real redis-server with TLS and a real certificate."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from celery import Celery

from worker.redisconn import BoundedLookupSSLConnection, connect
from worker.tasks.backend import SubmitOnlyRedisBackend


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def tls_redis(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A TLS-only redis-server whose certificate names ``localhost`` (no IP address)."""
    if not shutil.which("openssl") or not shutil.which("redis-server"):
        pytest.skip("needs openssl and redis-server")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    port, log = free_port(), tmp_path / "redis.log"
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(
            ["redis-server", "--port", "0", "--tls-port", str(port), "--bind", "127.0.0.1",
             "--tls-cert-file", str(cert), "--tls-key-file", str(key), "--tls-auth-clients", "no",
             "--save", "", "--appendonly", "no"],
            stdout=out, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            if proc.poll() is not None:
                pytest.skip(f"redis-server without TLS: {log.read_text()[-200:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port, cert
    finally:
        proc.terminate()
        proc.wait(10)


def test_rediss_checks_the_certificate_against_the_name(tls_redis: tuple[int, Path]) -> None:
    port, cert = tls_redis
    client = connect(f"rediss://localhost:{port}/0", ssl_ca_certs=str(cert))
    assert client.connection_pool.connection_class is BoundedLookupSSLConnection
    # The TCP connect goes to the resolved address; the certificate names only "localhost",
    # so this answers only if TLS checked the name, not the address.
    assert client.ping() is True
    client.close()


def test_rediss_lookup_is_bounded(tls_redis: tuple[int, Path],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    port, cert = tls_redis
    release = threading.Event()
    real = socket.getaddrinfo

    def silent_dns(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "silent.example":
            release.wait(30)  # a name server that does not answer
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", silent_dns)
    client = connect(f"rediss://silent.example:{port}/0", ssl_ca_certs=str(cert),
                     socket_connect_timeout=0.3, retry_on_timeout=False)
    try:
        with pytest.raises(redis.TimeoutError) as caught:
            client.ping()
        # redis-py names it a connect timeout; what timed out was the lookup
        assert "looking up silent.example took over" in str(caught.value.__context__)
    finally:
        release.set()
        client.close()


def test_celery_clients_use_the_bounded_tls_class() -> None:
    app = Celery(set_as_current=False)
    backend = SubmitOnlyRedisBackend(app=app, url="rediss://localhost:1/0?ssl_cert_reqs=required")
    assert backend.connparams["connection_class"] is BoundedLookupSSLConnection
