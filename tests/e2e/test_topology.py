"""The docker-compose topology, run as local processes (there is no Docker engine here).

Each app service's ``command`` is taken from docker-compose.yml and started as it would run in
its container, with the environment compose gives it. Only what a container changes is
translated: ``celery``/``newsworker``/``python`` are the venv's, container paths (/data,
/app/config) are a temp dir and the repo's config dir, the ``redis`` service is the test Redis
(its own key prefix and queues), and the api binds to a free port on 127.0.0.1. Then the
article and a feed go in over HTTP with the bearer token, come out in the archive (JSON Lines
on the data volume) and the catalog, beat's schedule reaches the workers, every service's
healthcheck passes, and SIGTERM (what ``docker compose stop`` sends) stops each one cleanly.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT, SEED, Proc, settings_env, wait_until
from tests.feedserver import FeedServer, Route, rss
from tests.support.compose import (
    APP_SERVICES,
    BIN,
    DOCKERFILE,
    has_serve,
    interpolate,
    load_compose,
    service_argv,
    service_env,
)
from worker.consumers.builtin.archive import iter_archive
from worker.feeds.schedule import feed_id_for
from worker.ops.runner import free_port
from worker.redisconn import connect
from worker.settings import Settings
from worker.store.keys import Keys

pytestmark = pytest.mark.e2e

TOKEN = "topology-test-token-0123456789abcdef0123"
SEED_TITLE = "China's Xi says willing to put South Korea ties back on track"
PARAGRAPHS = (
    "The harbour at Porthmellow reopened on Tuesday after three days of closure, when the "
    "storm surge had pushed the water over the sea wall and into the lower town.",
    "Harbour master Jenna Trewin said crews worked through the night to clear debris from "
    "the channel, and that the fishing fleet would be back at sea by the weekend.",
    "Residents praised the volunteers who filled sandbags, and the council promised a "
    "review of the flood defences before the winter season begins in earnest.",
)
FEED_TITLE = "Porthmellow harbour reopens after storm"
BEAT_TITLE = "Scheduled poll finds the lighthouse restored"


class Container:
    """What differs between a container and this machine, as translations."""

    def __init__(self, settings: Settings, port: int) -> None:
        self.settings, self.port = settings, port

    def path(self, value: str) -> str:
        for inside, outside in (("/app/config", ROOT / "config"),
                                ("/data", self.settings.data_dir)):
            if value == inside or value.startswith(inside + "/"):
                return str(outside) + value[len(inside):]
        return value

    def argv(self, argv: list[str]) -> list[str]:
        out = []
        for i, arg in enumerate(argv):
            prev = argv[i - 1] if i else ""
            if i == 0 and arg in ("celery", "newsworker", "python"):
                arg = str(BIN / arg)
            elif prev == "-Q":  # the compose queue names -> this test's queues
                names = {"ingest": self.settings.ingest_queue, "feeds": self.settings.feeds_queue}
                arg = ",".join(names[q] for q in arg.split(","))
            elif prev == "--host" and arg == "0.0.0.0":
                arg = "127.0.0.1"
            elif prev == "--port" and arg == "8080":
                arg = str(self.port)
            else:
                arg = self.path(arg).replace("127.0.0.1:8080", f"127.0.0.1:{self.port}")
            out.append(arg)
        return out

    def env(self, svc: dict[str, Any], extra: dict[str, str]) -> dict[str, str]:
        compose_env = service_env(svc, {"NEWSWORKER_API_TOKEN": TOKEN,
                                         "REDIS_PASSWORD": "topology-redis-pw"})
        # The compose network's `redis` is this test's Redis; everything else is as given.
        assert compose_env.pop("NEWSWORKER_REDIS_URL") == \
            "redis://:topology-redis-pw@redis:6379/0"
        env = {**settings_env(self.settings), **extra,
               **{k: self.path(v) for k, v in compose_env.items()}}
        assert env["NEWSWORKER_DATA_DIR"] == str(self.settings.data_dir)
        assert env["NEWSWORKER_CONFIG"] == str(ROOT / "config" / "newsworker.toml")
        env["HOSTNAME"] = socket.gethostname()  # what a container's shell has
        return env


def _healthcheck_argv(test: list[str], box: Container) -> list[str]:
    kind, *rest = (interpolate(t, {}) for t in test)  # compose interpolates these too ($$)
    if kind == "CMD-SHELL":
        [script] = rest
        script = re.sub(r"(^|[;&|]\s*)(celery|newsworker|python)\b",
                        lambda m: m.group(1) + str(BIN / m.group(2)), script)
        return ["sh", "-c", box.path(script)]
    assert kind == "CMD", test
    return box.argv(rest)


def _image_healthcheck() -> list[str]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    line = next(ln for ln in text.splitlines() if ln.startswith("HEALTHCHECK"))
    cmd: list[str] = json.loads(line.split(" CMD ", 1)[1])
    return ["CMD", *cmd]


def _stop_like_docker(proc: Proc, grace_s: float = 30) -> int:
    """SIGTERM to the service's main process only (tini forwards to it), then wait."""
    assert proc.proc is not None
    if proc.proc.poll() is None:
        proc.proc.send_signal(signal.SIGTERM)
    rc = proc.proc.wait(timeout=grace_s)

    def group_gone() -> bool:
        try:
            os.killpg(proc.proc.pid, 0)  # type: ignore[union-attr]
        except ProcessLookupError:
            return True
        return False

    wait_until(group_gone, timeout=15, message="every process of the service to exit")
    return rc


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    srv = FeedServer().start()
    desc = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    beat_desc = desc.replace("harbour", "lighthouse").replace("Harbour", "Lighthouse")
    xml = {"Content-Type": "application/rss+xml"}
    srv.routes["/harbour.xml"] = Route(
        rss([("harbour-1", FEED_TITLE, desc)], title="Coast News").encode(), headers=xml)
    srv.routes["/beat.xml"] = Route(
        rss([("lighthouse-1", BEAT_TITLE, beat_desc)], title="Coast News").encode(),
        headers=xml)
    yield srv
    srv.stop()


def test_compose_services_run_ingest_and_stop_cleanly(
        make_settings: Callable[..., Settings], spawn: Callable[..., Proc],
        feeds: FeedServer, tmp_path: Path) -> None:
    if not has_serve():
        pytest.skip("`newsworker serve` is missing (worker/api/app.py): no api to run")
    services = load_compose()["services"]
    settings = make_settings(data_dir=tmp_path / "data")
    box = Container(settings, free_port())
    # Beat's schedule file points at a local feed: the shipped one lists real sites, and
    # nothing here may leave this machine.
    schedule = tmp_path / "feeds.toml"
    schedule.write_text(f'[[feed]]\nurl = "{feeds.url("/beat.xml")}"\ninterval_s = 3600\n')
    extra = {"NEWSWORKER_FEEDS_FILE": str(schedule)}

    # Given every app service of docker-compose.yml, started from its own command line
    procs: dict[str, Proc] = {}
    envs: dict[str, dict[str, str]] = {}
    for name in APP_SERVICES:
        envs[name] = box.env(services[name], extra)
        procs[name] = spawn(box.argv(service_argv(services[name], {})), envs[name], name=name)
    api = f"http://127.0.0.1:{box.port}"
    auth = {"Authorization": f"Bearer {TOKEN}"}

    def up(name: str, ready: Callable[[], bool]) -> Callable[[], bool]:
        def check() -> bool:
            proc = procs[name]
            assert proc.proc is not None and proc.proc.poll() is None, \
                f"{name} exited:\n{proc.output()[-3000:]}"
            return ready()
        return check

    def api_ready() -> bool:
        try:
            return httpx.get(f"{api}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(up("worker", lambda: "ready." in procs["worker"].output()), timeout=90,
               message="celery worker ready")
    wait_until(up("api", api_ready), timeout=60, message="api /healthz")

    # Then the compose healthchecks pass here too (the image's generic one where none is set)
    for name in APP_SERVICES:
        test = services[name].get("healthcheck", {}).get("test") or _image_healthcheck()
        check = subprocess.run(_healthcheck_argv(test, box), env=envs[name], cwd=ROOT,
                               capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, f"{name} healthcheck {test}: {check.stderr[-2000:]}"

    # When the seed article is uploaded and a feed submitted over HTTP with the bearer token
    assert httpx.post(f"{api}/v1/ingest/feed", json={"url": feeds.url("/harbour.xml")},
                      timeout=10).status_code == 401
    up_file = httpx.post(f"{api}/v1/ingest/file", headers=auth, timeout=30,
                         files={"file": (SEED.name, SEED.read_bytes(), "text/plain")})
    assert up_file.status_code == 202, up_file.text
    up_feed = httpx.post(f"{api}/v1/ingest/feed", headers=auth, timeout=30,
                         json={"url": feeds.url("/harbour.xml")})
    assert up_feed.status_code == 202, up_feed.text

    def task_result(queued: httpx.Response) -> Any:
        r = httpx.get(f"{api}{queued.json()['status_url']}", headers=auth, timeout=10).json()
        return r["result"] if r["ready"] else None

    file_result = wait_until(lambda: task_result(up_file), timeout=60, message="file task")
    assert file_result["status"] == "appended", file_result
    feed_result = wait_until(lambda: task_result(up_feed), timeout=60, message="feed task")
    assert (feed_result["status"], feed_result["appended"]) == ("ok", 1), feed_result

    # Then both articles reach the archive on the data volume...
    def archived() -> set[str]:
        root = settings.archive_path
        return {str(e["data"]["title"]) for e in iter_archive(root)
                if e["type"] != "ingestion.failed"} if root.is_dir() else set()

    wait_until(lambda: {SEED_TITLE, FEED_TITLE} <= archived(), timeout=60,
               message="both articles in the archive")
    assert str(settings.archive_path).startswith(str(tmp_path / "data"))

    # ...and the catalog, as an operator would list it with the CLI
    def catalog_titles() -> set[str]:
        out = subprocess.run([str(BIN / "newsworker"), "articles", "list", "--json"],
                             env=envs["api"], cwd=ROOT, capture_output=True, text=True,
                             timeout=60)
        assert out.returncode == 0, out.stderr
        return {json.loads(line)["title"] for line in out.stdout.splitlines() if line.strip()}

    wait_until(lambda: {SEED_TITLE, FEED_TITLE} <= catalog_titles(), timeout=60,
               message="both articles in the catalog")

    # And beat (exactly one, its schedule file on the data volume) runs poll_due_feeds on a
    # worker, which reads the feeds file and claims the scheduled feed's slot...
    client, keys = connect(settings.store_url), Keys(settings.key_prefix)
    beat_feed = keys.feed(feed_id_for(feeds.url("/beat.xml")))
    wait_until(up("beat", lambda: client.hget(beat_feed, "next_due_at")), timeout=75,
               message="beat's poll_due_feeds to claim the scheduled feed")
    assert list(settings.data_dir.glob("celerybeat-schedule*")), "beat's schedule file"
    # ...and the queued poll fetches the feed, whose article reaches the archive.
    wait_until(lambda: BEAT_TITLE in archived(), timeout=30,
               message="the scheduled feed's article in the archive")
    assert feeds.seen("/beat.xml")

    # When every service gets SIGTERM, then each stops on its own, with a clean exit code
    for name in ("api", "beat", "archive", "catalog", "worker"):
        rc = _stop_like_docker(procs[name])
        log = procs[name].output()
        # uvicorn shuts down gracefully, then re-raises SIGTERM so its parent sees why it
        # ended (docker shows 143): clean when the shutdown completed.
        graceful = name == "api" and rc == -signal.SIGTERM and \
            "Application shutdown complete." in log
        assert rc == 0 or graceful, f"{name} exited {rc}:\n{log[-3000:]}"
