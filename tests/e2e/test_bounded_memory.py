"""Bounded memory per request (issue 14): a real `newsworker serve` process stays within 50 MB
of its idle size across 20 status and event requests over ten 9 MB articles (before the fix
one snapshot pulled 208 MB and the API grew from 115 MB to 1.04 GB)."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Proc
from tests.support.api import TOKEN
from tests.support.bigstream import big_articles
from tests.support.serve import serve
from worker.settings import Settings
from worker.store.eventstore import EventStore

MB = 1024 * 1024
ROUTES = ["/v1/status", "/v1/events?tail=15", "/v1/events?tail=15&full=true",
          "/v1/events?limit=100"]


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for {pid}")


def get(url: str) -> bytes:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 200
        return bytes(r.read())


def test_api_memory_stays_bounded(settings: Settings, store: EventStore,
                                  spawn: Callable[..., Proc]) -> None:
    base, server = serve(settings, spawn, TOKEN)
    assert server.proc is not None
    pid = server.proc.pid
    for route in ROUTES:  # warm up on an empty stream: imports, connections, first caches
        get(base + route)
    idle = rss_bytes(pid)

    big_articles(store)
    peak = idle
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, rss_bytes(pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    sizes = []
    try:
        for i in range(20):
            route = ROUTES[i % len(ROUTES)]
            body = get(base + route)
            sizes.append((route, len(body)))
            doc = json.loads(body)
            if route == "/v1/status":
                assert doc["stream"]["length"] == 10
            elif "tail" in route:
                assert doc["events"][-1]["title"] == "Big 9"
            else:
                assert doc["events"][0]["title"] == "Big 0"
            time.sleep(0.25 if route == "/v1/status" else 0)  # past the 1 s status cache
    finally:
        stop.set()
        sampler.join()
    assert all(n <= settings.events_max_bytes for r, n in sizes if "events" in r), sizes
    grew = peak - idle
    print(f"serve RSS: idle {idle / MB:.1f} MB, peak {peak / MB:.1f} MB over 20 requests; "
          f"answers {sizes}")
    assert grew < 50 * MB, f"RSS {idle / MB:.0f} MB idle, peak {peak / MB:.0f} MB"
