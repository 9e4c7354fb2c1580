"""A real `newsworker serve` process for end-to-end tests (dashboard, memory bounds)."""

from __future__ import annotations

import sys
import urllib.request
from collections.abc import Callable

from tests.conftest import Proc, settings_env, wait_until
from worker.ops.runner import free_port
from worker.settings import Settings


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def serve(settings: Settings, spawn: Callable[..., Proc], token: str) -> tuple[str, Proc]:
    """Start `newsworker serve` on a free port with ``token`` and no Celery worker to ask
    (pinging one gives up after 0.3 s); returns its base URL once /healthz answers."""
    env = settings_env(settings) | {"NEWSWORKER_API_TOKEN": token,
                                    "NEWSWORKER_WORKER_PING_TIMEOUT_S": "0.3"}
    port = free_port()
    server = spawn([sys.executable, "-m", "worker", "serve", "--port", str(port)], env,
                   name="serve")
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: healthy(base), timeout=60, message=f"serve up: {server.output()}")
    return base, server
