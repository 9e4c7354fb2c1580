"""The docker-compose deployment, checked without a Docker engine: the compose file's shape
(what an operator relies on), that every service runs a real command of this project, the
Dockerfile's layering and user, and that .env.example documents every variable.

The helpers that read the compose file are in tests/support/compose.py, shared with
tests/e2e/test_topology.py, which starts the services as local processes.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.support.compose import (
    APP_SERVICES,
    BIN,
    COMPOSE,
    DOCKERFILE,
    ENV_EXAMPLE,
    IMAGE_SERVICES,
    compose_vars,
    has_serve,
    interpolate,
    load_compose,
    program_argv,
    service_argv,
    service_env,
)
from worker.settings import Settings


def compose_tool() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True,
                                 timeout=30).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


# What .env must give: compose refuses to start without either.
SECRETS = {"NEWSWORKER_API_TOKEN": "test-token", "REDIS_PASSWORD": "redis-pw"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose()


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    svcs: dict[str, Any] = compose["services"]
    return svcs


# --- services --------------------------------------------------------------------------------

def test_every_service_is_defined(services: dict[str, Any]) -> None:
    assert set(services) == {"redis", "postgres", *IMAGE_SERVICES}


def test_redis_is_durable_never_evicts_and_is_not_published(services: dict[str, Any]) -> None:
    redis = services["redis"]
    # redis:7 itself, only run as its own user (deploy/redis/Dockerfile).
    assert redis["image"].split(":")[1].startswith("7")
    froms = [line.split()[1] for line in
             (ROOT / redis["build"] / "Dockerfile").read_text().splitlines()
             if line.startswith("FROM ")]
    assert froms == ["redis:7"]
    cmd = service_argv(redis, SECRETS)
    assert cmd[0] == "redis-server"
    opts = dict(zip(cmd[1::2], cmd[2::2], strict=True))
    assert opts["--appendonly"] == "yes"
    assert opts["--appendfsync"] == "everysec"
    assert opts["--maxmemory-policy"] == "noeviction"
    assert "ports" not in redis
    [volume] = redis["volumes"]
    name, target = volume.split(":")[:2]
    assert target == "/data" and "/" not in name, "Redis data must be a named volume"


def test_healthchecks_where_health_gates_startup(services: dict[str, Any]) -> None:
    for name in ("redis", "worker", "api"):
        test = services[name]["healthcheck"]["test"]
        assert test[0] in ("CMD", "CMD-SHELL") and len(test) > 1, name
    assert "redis-cli ping" in " ".join(services["redis"]["healthcheck"]["test"])
    # redis-cli authenticates from REDISCLI_AUTH: the healthcheck passes only with the password.
    assert service_env(services["redis"], SECRETS)["REDISCLI_AUTH"] == "redis-pw"
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])


def test_only_the_api_publishes_a_port_flower_only_on_loopback(
        services: dict[str, Any]) -> None:
    published = {n for n, s in services.items() if s.get("ports")}
    assert published == {"api", "flower"}
    [api_port] = services["api"]["ports"]
    assert interpolate(api_port, {}).endswith(":8080:8080")
    [flower_port] = services["flower"]["ports"]
    assert interpolate(flower_port, {}).startswith("127.0.0.1:")


def test_flower_is_profile_only(services: dict[str, Any]) -> None:
    assert services["flower"]["profiles"] == ["monitoring"]
    for name in ("redis", *APP_SERVICES):
        assert "profiles" not in services[name], name


def test_beat_is_single_and_consumers_are_scalable(services: dict[str, Any]) -> None:
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    # container_name would make --scale impossible; so would a fixed --consumer name.
    for name in (*APP_SERVICES, "flower"):
        assert "container_name" not in services[name], name
    for name in ("archive", "catalog"):
        argv = service_argv(services[name], SECRETS)
        assert argv[:3] == ["newsworker", "consume", name]
        assert "--consumer" not in argv


def test_app_services_share_env_config_data_and_wait_for_redis(
        services: dict[str, Any]) -> None:
    for name in IMAGE_SERVICES:
        svc = services[name]
        env = service_env(svc, SECRETS)
        assert env["NEWSWORKER_REDIS_URL"] == "redis://:redis-pw@redis:6379/0", name
        assert env["NEWSWORKER_DATA_DIR"] == "/data", name
        assert env["NEWSWORKER_CONFIG"] == "/app/config/newsworker.toml", name
        assert "./config:/app/config:ro" in svc["volumes"], name
        assert any(v.split(":")[1] == "/data" for v in svc["volumes"]), name
        assert svc["depends_on"]["redis"]["condition"] == "service_healthy", name
        assert svc["restart"] == "unless-stopped", name
    # The api stores uploads under /data/uploads and queues their path: the workers must see
    # the same volume (and several archive replicas share one directory, under flock).
    data = {n: next(v.split(":")[0] for v in services[n]["volumes"] if v.split(":")[1] == "/data")
            for n in IMAGE_SERVICES}
    assert len(set(data.values())) == 1 and "/" not in data["api"], data


def test_worker_queues_match_the_default_settings(services: dict[str, Any]) -> None:
    argv = service_argv(services["worker"], {})
    queues = argv[argv.index("-Q") + 1].split(",")
    defaults = Settings.model_fields
    assert queues == [defaults["ingest_queue"].default, defaults["feeds_queue"].default]
    assert argv[argv.index("--concurrency") + 1] == "2"
    assert service_argv(services["worker"], {"WORKER_CONCURRENCY": "8"})[
        argv.index("--concurrency") + 1] == "8"


def test_api_requires_a_token(services: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="NEWSWORKER_API_TOKEN"):
        service_env(services["api"], {"REDIS_PASSWORD": "redis-pw"})
    assert service_env(services["api"], SECRETS)["NEWSWORKER_API_TOKEN"] == "test-token"


def test_redis_requires_a_password_and_every_service_uses_it(services: dict[str, Any]) -> None:
    redis = services["redis"]
    opts = service_argv(redis, SECRETS)
    assert opts[opts.index("--requirepass") + 1] == "redis-pw"
    # An unset or empty password stops compose, naming the variable, for Redis and its clients.
    for env in ({"NEWSWORKER_API_TOKEN": "t"}, {"NEWSWORKER_API_TOKEN": "t", "REDIS_PASSWORD": ""}):
        with pytest.raises(ValueError, match="REDIS_PASSWORD"):
            service_argv(redis, env)
        with pytest.raises(ValueError, match="REDIS_PASSWORD"):
            service_env(redis, env)
        for name in IMAGE_SERVICES:
            with pytest.raises(ValueError, match="REDIS_PASSWORD"):
                service_env(services[name], env)
    for name in IMAGE_SERVICES:
        url = service_env(services[name], SECRETS)["NEWSWORKER_REDIS_URL"]
        assert url.startswith("redis://:redis-pw@redis:"), name


def test_no_service_runs_as_root(services: dict[str, Any]) -> None:
    """Our image by its Dockerfile's USER; redis and postgres by a `user:` of their own image."""
    for name, svc in services.items():
        user = str(svc.get("user", ""))
        if name in IMAGE_SERVICES:
            assert user == "", f"{name}: the image's USER applies (checked below)"
        else:
            assert user and user.split(":")[0] not in ("root", "0"), f"{name}: user {user!r}"
    assert services["redis"]["user"] == "redis" and services["postgres"]["user"] == "postgres"
    redis_users = [line.split()[1] for line in
                   (ROOT / services["redis"]["build"] / "Dockerfile").read_text().splitlines()
                   if line.startswith("USER ")]
    assert redis_users == ["redis"], "the redis image must run as `redis`, owning /data"


def _help_rc(argv: list[str]) -> tuple[list[str], int, str]:
    exe = {"newsworker": str(BIN / "newsworker"), "celery": str(BIN / "celery")}[argv[0]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWORKER_")}
    env["NEWSWORKER_CONFIG"] = str(ROOT / "config" / "newsworker.toml")
    # --help after the real arguments: click rejects an unknown option before it prints help.
    proc = subprocess.run([exe, *argv[1:], "--help"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=90)
    return argv, proc.returncode, proc.stderr[-2000:]


def test_every_service_runs_a_real_command_of_this_project(services: dict[str, Any]) -> None:
    commands = {n: program_argv(service_argv(services[n], SECRETS)) for n in IMAGE_SERVICES}
    if not has_serve():
        pytest.skip("`newsworker serve` is missing (worker/api/app.py): no api to run")
    for name, argv in commands.items():
        assert argv[0] in ("newsworker", "celery"), name
        if argv[0] == "celery":
            assert argv[1:3] == ["-A", "worker"], name
    if importlib.util.find_spec("flower") is None:
        pytest.fail("flower is not installed in .venv: pip install -e '.[dev,monitoring]'")
    with ThreadPoolExecutor(max_workers=3) as pool:
        for argv, rc, stderr in pool.map(_help_rc, commands.values()):
            assert rc == 0, f"{shlex.join(argv)} is not a valid command:\n{stderr}"


# --- Dockerfile ----------------------------------------------------------------------------

def _instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_dockerfile_runs_unprivileged_with_a_healthcheck() -> None:
    ins = _instructions()
    froms = [rest.split() for word, rest in ins if word == "FROM"]
    assert froms[0][:1] == ["python:3.11-slim"]
    # the image is its dependency stage plus the code: the compiler stays in the build stage
    assert froms[-1] == [froms[0][-1]] and len(froms[0]) == 3
    users = [rest for word, rest in ins if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert users[-1].split(":")[0] in ("10001", "newsworker")
    assert any(word == "HEALTHCHECK" and "CMD" in rest for word, rest in ins)
    assert ("WORKDIR", "/app") in ins
    assert any(word == "COPY" and rest.split()[0] == "config" for word, rest in ins)


def test_dockerfile_installs_dependencies_before_copying_the_code() -> None:
    ins = _instructions()

    def first(pred: Any) -> int:
        return next(i for i, (w, r) in enumerate(ins) if pred(w, r))

    copy_pyproject = first(lambda w, r: w == "COPY" and r.startswith("pyproject.toml"))
    install_deps = first(lambda w, r: w == "RUN" and "pip install -r" in r)
    copy_code = first(lambda w, r: w == "COPY" and r.split()[0] == "worker")
    install_pkg = first(lambda w, r: w == "RUN" and "pip install --no-deps ." in r)
    assert copy_pyproject < install_deps < copy_code < install_pkg
    # Nothing but pyproject.toml may be copied before the dependency layer.
    assert all(w != "COPY" for w, _ in ins[:copy_pyproject])
    assert "monitoring" in ins[install_deps][1], "Flower (extra `monitoring`) must be in the image"


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", ".newsworker", ".env", "tests"):
        assert entry in ignored, entry


# --- .env.example --------------------------------------------------------------------------

def test_env_example_documents_exactly_the_compose_variables() -> None:
    documented = {m.group(1) for m in
                  re.finditer(r"^([A-Z_][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.MULTILINE)}
    used = compose_vars()
    assert {"NEWSWORKER_API_TOKEN", "REDIS_PASSWORD"} <= used
    assert used - documented == set(), "used in docker-compose.yml, missing in .env.example"
    assert documented - used == set(), "documented in .env.example, unused in the compose file"


def test_env_example_commits_no_secret() -> None:
    """Secrets stay empty placeholders: a copy nobody edited must not start (checked below)."""
    values = dict(m.groups() for m in re.finditer(r"^([A-Z_][A-Z0-9_]*)=(.*)$",
                                                  ENV_EXAMPLE.read_text(), re.MULTILINE))
    for name in ("NEWSWORKER_API_TOKEN", "REDIS_PASSWORD", "POSTGRES_PASSWORD",
                 "FLOWER_BASIC_AUTH", "NEWSWORKER_POSTGRES_DSN"):
        assert values[name] == "", f"{name} in .env.example must be an empty placeholder"


# --- the compose tool itself (needs no engine) ------------------------------------------------

def test_compose_tool_accepts_the_file(tmp_path: Path) -> None:
    tool = compose_tool()
    if tool is None:
        pytest.skip("no compose tool here (`docker compose` plugin or docker-compose); "
                    ".ci/run installs Debian's docker-compose")
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    empty = tmp_path / "empty.env"  # a developer's own .env must not change the outcome
    empty.write_text("")
    base = [*tool, "--project-directory", str(ROOT), "--env-file", str(empty), "-f", str(COMPOSE)]
    ok = subprocess.run([*base, "config", "-q"], env={**env, **SECRETS}, cwd=ROOT,
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    # Without the API token or the Redis password the stack refuses to start, naming it.
    for var in SECRETS:
        given = {k: v for k, v in SECRETS.items() if k != var}
        missing = subprocess.run([*base, "config", "-q"], env={**env, **given}, cwd=ROOT,
                                 capture_output=True, text=True, timeout=120)
        assert missing.returncode != 0 and var in missing.stderr, (var, missing.stderr)
    # So does a copy of .env.example that nobody edited.
    unedited = [*tool, "--project-directory", str(ROOT), "--env-file", str(ENV_EXAMPLE),
                "-f", str(COMPOSE), "config", "-q"]
    copied = subprocess.run(unedited, env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert copied.returncode != 0
    assert "NEWSWORKER_API_TOKEN" in copied.stderr or "REDIS_PASSWORD" in copied.stderr
