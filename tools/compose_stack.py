"""The compose project `make compose-test` drives (tools/compose_test.py): its name, env
file, images, containers, and the probes that read Redis and the event store inside them."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
HEALTHY_WITHIN_S = 300.0
START = time.monotonic()
KEYS_PROBE = ("from worker.settings import load_settings; from worker.store.keys import Keys; "
              "from worker.tasks.broker import unacked_key; s = load_settings(); "
              "print(unacked_key(s), Keys(s.key_prefix).events)")

# Runs inside the api container (its settings, its /data volume): which titles are events,
# how often each one is archived, and how many ingestion failures there are.
PROBE = """
import json, sys
from collections import Counter
from worker.consumers.builtin.archive import iter_archive
from worker.settings import load_settings
from worker.store.eventstore import EventStore
s = load_settings()
store = EventStore.from_settings(s)
events, archived = Counter(), Counter()
for _, ev in store.iter_all():
    d = ev.model_dump(mode="json") if hasattr(ev, "model_dump") else {}
    if str(d.get("type", "")).startswith("article."):
        events[d["data"]["title"]] += 1
if s.archive_path.is_dir():
    for d in iter_archive(s.archive_path):
        if str(d.get("type", "")).startswith("article."):
            archived[d["data"]["title"]] += 1
failures = sum(1 for _ in store.iter_all(stream=store.keys.failures))
json.dump({"events": events, "archived": archived, "failures": failures}, sys.stdout)
"""


def log(msg: str) -> None:
    print(f"compose-test [{time.monotonic() - START:6.1f}s] {msg}", flush=True)


class Failed(Exception):
    """The stack did not do what the test asserts (the message says what)."""


def run(argv: list[str], *, env: dict[str, str] | None = None, timeout: float = 600,
        check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, input=stdin)
    if check and proc.returncode != 0:
        raise Failed(f"{' '.join(argv[:4])} ... exited {proc.returncode}:\n"
                     f"{(proc.stderr or proc.stdout)[-3000:]}")
    return proc


def compose_tool() -> list[str]:
    docker = shutil.which("docker")
    if docker and run([docker, "compose", "version"], check=False).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    if legacy:
        return [legacy]
    raise Failed("no compose tool: install the `docker compose` plugin or docker-compose")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Stack:
    """One compose project: its own name, env file, volumes and containers."""

    def __init__(self, workdir: Path) -> None:
        self.project = f"nwct{secrets.token_hex(4)}"
        self.token = secrets.token_urlsafe(32)
        self.password = secrets.token_urlsafe(24)
        self.port = free_port()
        env_file = workdir / "compose-test.env"
        env_file.write_text("\n".join([
            f"NEWSWORKER_API_TOKEN={self.token}", f"REDIS_PASSWORD={self.password}",
            "API_BIND=127.0.0.1", f"API_PORT={self.port}",
            "NEWSWORKER_IMAGE=newsworker:compose-test", ""]))
        self.base = [*compose_tool(), "--project-directory", str(ROOT), "-p", self.project,
                     "--env-file", str(env_file), "-f", str(COMPOSE_FILE)]
        # The caller's shell must not override the env file (compose prefers the shell).
        used = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", COMPOSE_FILE.read_text()))
        self.env = {k: v for k, v in os.environ.items() if k not in used}
        self.keys: list[str] = []  # kombu's unacked hash, the event stream

    def compose(self, *args: str, timeout: float = 600,
                check: bool = True) -> subprocess.CompletedProcess[str]:
        return run([*self.base, *args], env=self.env, timeout=timeout, check=check)

    def build(self) -> None:
        """Every image the default services build, with `docker build` (one network option
        for compose v1 and v2 alike)."""
        config = yaml.safe_load(self.compose("config").stdout)
        network = os.environ.get("COMPOSE_TEST_BUILD_NETWORK", "")
        built: set[str] = set()
        for svc in config["services"].values():
            if "build" not in svc or svc.get("profiles") or svc["image"] in built:
                continue
            build = svc["build"]
            context = Path(build["context"] if isinstance(build, dict) else build)
            dockerfile = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) \
                else "Dockerfile"
            argv = ["docker", "build", "-q", "-t", svc["image"], "-f",
                    str(context / dockerfile), str(context)]
            if network:
                argv[2:2] = ["--network", network]
            t0 = time.monotonic()
            old = run(["docker", "image", "inspect", "-f", "{{.Id}}", svc["image"]],
                      check=False).stdout.strip()
            run(argv, env=self.env, timeout=1800)
            if old and old != run(["docker", "image", "inspect", "-f", "{{.Id}}",
                                   svc["image"]]).stdout.strip():
                # The tag moved: its last image would stay behind untagged, run after run.
                run(["docker", "image", "rm", old], check=False)
            log(f"built {svc['image']} in {time.monotonic() - t0:.0f} s"
                + (f" (build network {network})" if network else ""))
            built.add(svc["image"])

    def containers(self) -> dict[str, list[dict[str, Any]]]:
        ids = self.compose("ps", "-a", "-q").stdout.split()
        if not ids:
            return {}
        out: dict[str, list[dict[str, Any]]] = {}
        for c in json.loads(run(["docker", "inspect", *ids]).stdout):
            out.setdefault(c["Config"]["Labels"]["com.docker.compose.service"], []).append(c)
        return out

    def container(self, service: str) -> str:
        cid: str = self.containers()[service][0]["Id"]
        return cid

    def wait_healthy(self) -> None:
        deadline, last = time.monotonic() + HEALTHY_WITHIN_S, ""
        while True:
            states = {}
            for name, cs in sorted(self.containers().items()):
                for c in cs:
                    if c["State"]["Status"] in ("exited", "dead"):
                        logs = run(["docker", "logs", "--tail", "40", c["Id"]], check=False)
                        raise Failed(f"{name} exited ({c['State']['ExitCode']}):\n"
                                     f"{logs.stdout[-2000:]}{logs.stderr[-2000:]}")
                    states[name] = c["State"].get("Health", {}).get("Status", "no healthcheck")
            line = ", ".join(f"{n} {s}" for n, s in states.items())
            if line != last:
                log(f"waiting for healthy: {line}")
                last = line
            if states and all(s == "healthy" for s in states.values()):
                return
            if time.monotonic() > deadline:
                raise Failed(f"not healthy within {HEALTHY_WITHIN_S:.0f} s: {line}")
            time.sleep(2)

    def check_hardening(self) -> None:
        """No process of any service runs as root; Redis answers nobody without the password."""
        for name, cs in self.containers().items():
            for c in cs:
                top = run(["docker", "top", c["Id"], "-o", "pid,uid,args"]).stdout.splitlines()
                root = [line for line in top[1:] if line.split()[1] == "0"]
                if root:
                    raise Failed(f"{name} runs processes as root: {root}")
        redis = self.container("redis")
        anon = run(["docker", "exec", redis, "env", "-u", "REDISCLI_AUTH", "redis-cli", "ping"],
                   check=False)
        if "PONG" in anon.stdout or "NOAUTH" not in anon.stdout + anon.stderr:
            raise Failed(f"Redis answered without a password: {anon.stdout!r} {anon.stderr!r}")
        log("hardening: no process runs as root in any service; Redis without the password "
            "answers NOAUTH")

    def read_keys(self) -> None:
        """kombu's unacked hash and the event stream, named by the api's own settings."""
        self.keys = run(["docker", "exec", self.container("api"), "python", "-c",
                         KEYS_PROBE]).stdout.split()

    def probe(self) -> dict[str, Any]:
        out = run(["docker", "exec", "-i", self.container("api"), "python", "-"], stdin=PROBE,
                  timeout=120)
        result: dict[str, Any] = json.loads(out.stdout)
        return result

    def in_flight(self) -> tuple[int, int]:
        """Tasks the worker holds (kombu's unacked hash) and events the archive group has
        taken but not acknowledged, read from Redis right now."""
        out = run(["docker", "exec", self.container("redis"), "sh", "-c",
                   'redis-cli HLEN "$1"; redis-cli XPENDING "$2" archive', "sh", *self.keys])
        lines = out.stdout.splitlines()
        return int(lines[0]), int(lines[1]) if lines[1:] and lines[1].isdigit() else 0

    def redis_answers(self) -> bool:
        ping = run(["docker", "exec", self.container("redis"), "redis-cli", "ping"], check=False)
        return "PONG" in ping.stdout
