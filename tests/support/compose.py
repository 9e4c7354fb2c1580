"""The docker-compose file as the tests read it: loading it, compose-style interpolation and
splitting a service's command. Shared by tests/unit/test_compose.py (the file's shape) and
tests/e2e/test_topology.py (which starts the services as local processes).
"""

from __future__ import annotations

import re
import shlex
import subprocess
from typing import Any

import yaml

from tests.conftest import ROOT

COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
BIN = ROOT / ".venv" / "bin"
APP_SERVICES = ("worker", "beat", "archive", "catalog", "api")  # started by `up`
IMAGE_SERVICES = (*APP_SERVICES, "flower", "projection")  # everything built from our image

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def load_compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def compose_vars() -> set[str]:
    """Every ``${VAR…}`` the compose file interpolates (``$${…}`` is an escape, not a var)."""
    text = COMPOSE.read_text().replace("$$", "")
    return {m.group(1) for m in _VAR.finditer(text)}


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's interpolation: ${V}, ${V:-d}, ${V-d}, ${V:?err}, ${V?err}; $$ → $."""
    def sub(m: re.Match[str]) -> str:
        name, op, arg = m.group(1), m.group(2), m.group(3) or ""
        val = env.get(name)
        if op in (":-", "-"):
            return arg if (val is None or (op == ":-" and val == "")) else val
        if op in (":?", "?") and (val is None or (op == ":?" and val == "")):
            raise ValueError(f"{name}: {arg}")
        return val or ""

    parts = value.split("$$")
    return "$".join(_VAR.sub(sub, p) for p in parts)


def service_argv(svc: dict[str, Any], env: dict[str, str]) -> list[str]:
    """The service's command as argv, after interpolation (a string is split like compose)."""
    cmd = svc["command"]
    if isinstance(cmd, str):
        return shlex.split(interpolate(cmd, env))
    return [interpolate(str(part), env) for part in cmd]


def program_argv(argv: list[str]) -> list[str]:
    """The program a command runs: unwraps ``sh -c '…; exec PROGRAM ARGS'``."""
    if argv[:2] == ["sh", "-c"]:
        tail = argv[2].rsplit("exec ", 1)
        assert len(tail) == 2, f"sh -c command must end with exec: {argv[2]!r}"
        return shlex.split(tail[1])
    return argv


def service_env(svc: dict[str, Any], env: dict[str, str]) -> dict[str, str]:
    raw = svc.get("environment") or {}
    assert isinstance(raw, dict), "environment must be a mapping"
    return {k: interpolate(str(v), env) for k, v in raw.items()}


def has_serve() -> bool:
    """Whether `newsworker serve` exists (the api service's command)."""
    proc = subprocess.run([str(BIN / "newsworker"), "serve", "--help"], cwd=ROOT,
                          capture_output=True, timeout=60)
    return proc.returncode == 0
