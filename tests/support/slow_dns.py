"""Run inside ``unshare -rmn`` (a user, mount and network namespace of its own) by
tests/integration/test_api_slow_dns.py: a name server on 127.0.0.1:53 that reads every query
and answers none, glibc pointed at it through a bind-mounted resolv.conf, and the API asked
once per route with a Redis URL naming a host that therefore never resolves (what Docker's DNS
did for 10 s with Compose's Redis stopped). Prints one JSON object: route -> status, seconds,
Retry-After, body.

    unshare -rmn sh -c 'ip link set lo up && mount --bind <conf> /etc/resolv.conf &&
                        exec python -m tests.support.slow_dns'
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
import warnings
from typing import Any

from worker.api.app import create_app
from worker.settings import load_settings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

HOST = "redis-stopped.newsworker.test"
RESOLV_CONF = "nameserver 127.0.0.1\noptions timeout:30 attempts:1\n"  # 30 s per lookup


def silent_name_server() -> socket.socket:
    """Reads queries (so no ICMP tells glibc to give up) and never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 53))

    def drain() -> None:
        while True:
            sock.recv(4096)

    threading.Thread(target=drain, daemon=True).start()
    return sock


def main() -> int:
    _keep = silent_name_server()
    token = "t" * 40
    auth = {"Authorization": f"Bearer {token}"}
    settings = load_settings(redis_url=f"redis://{HOST}:6379/0", api_token=token)
    http = TestClient(create_app(settings))
    calls: dict[str, Any] = {
        "healthz": lambda: http.get("/healthz"),
        "ingest_text": lambda: http.post("/v1/ingest/text", headers=auth,
                                         json={"text": "A headline\n\nA paragraph of text."}),
        "ingest_file": lambda: http.post("/v1/ingest/file", headers=auth, files={
            "file": ("story.txt", b"A headline\n\nSome text.")}),
        "ingest_feed": lambda: http.post("/v1/ingest/feed", headers=auth,
                                         json={"url": "https://example.com/feed.xml"}),
        "task": lambda: http.get("/v1/tasks/abc", headers=auth),
        "events": lambda: http.get("/v1/events", headers=auth),
        "status": lambda: http.get("/v1/status", headers=auth),
        "article": lambda: http.get("/v1/articles/abc", headers=auth),
        "metrics": lambda: http.get("/metrics", headers=auth),
    }
    out: dict[str, Any] = {}
    for name, call in calls.items():
        t0 = time.monotonic()
        r = call()
        out[name] = {"status": r.status_code, "seconds": round(time.monotonic() - t0, 2),
                     "retry_after": r.headers.get("retry-after"), "body": r.text}
        print(f"{name}: {r.status_code} in {out[name]['seconds']} s", file=sys.stderr,
              flush=True)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
