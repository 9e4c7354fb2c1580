"""Every API route that needs Redis answers 503 + Retry-After, promptly, also when the Redis
host name does not resolve in time (Compose with Redis stopped: Docker's DNS took 10 s to
fail). Real glibc lookups against a real name server that never answers, in namespaces of
the test's own (tests/support/slow_dns.py); the server takes 30 s per lookup."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.slow_dns import HOST, RESOLV_CONF
from worker.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
GENEROUS_S = 15.0  # half the name server's 30 s: "bounded", not a benchmark


def namespaces_work() -> bool:
    if not (shutil.which("unshare") and shutil.which("ip")):
        return False
    probe = subprocess.run(["unshare", "-rmn", "sh", "-c", "ip link set lo up"],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


@pytest.mark.timeout(300)
def test_routes_answer_503_promptly_when_the_redis_host_never_resolves(
        make_settings: Callable[..., Settings], tmp_path: Path) -> None:
    if not namespaces_work():
        pytest.skip("needs unshare -rmn (user namespaces) and ip to fake a silent DNS server")
    conf = tmp_path / "resolv.conf"
    conf.write_text(RESOLV_CONF)
    settings = make_settings(data_dir=tmp_path / "data", api_redis_timeout_s=1.0)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWORKER_")}
    env.update(settings.as_env())
    env.pop("NEWSWORKER_REDIS_URL", None)
    env.pop("NEWSWORKER_CONFIG", None)
    script = (f"ip link set lo up && mount --bind {conf} /etc/resolv.conf && "
              f"exec {sys.executable} -m tests.support.slow_dns")
    proc = subprocess.run(["unshare", "-rmn", "sh", "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    answers = json.loads(proc.stdout.strip().splitlines()[-1])
    # Given the Redis host name never resolves, When each route is asked,
    for route, a in answers.items():
        # Then it answers 503 with Retry-After and a JSON body, long before the name server
        # would have given up, naming no host
        assert a["status"] == 503, (route, a)
        assert a["seconds"] < GENEROUS_S, (route, a)
        assert int(a["retry_after"]) > 0, (route, a)
        body = json.loads(a["body"])
        assert body.get("error") == "unavailable" or body == {"status": "down"}, (route, a)
        assert HOST not in a["body"], (route, a)
