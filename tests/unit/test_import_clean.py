"""Nothing happens at import: every `worker` module imports in a fresh interpreter whose
settings are invalid and whose Redis is unreachable, and none of them opens a socket, builds
a Celery app, connects a Celery signal or writes a file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Runs in the child. Records socket connects and Celery apps built while the modules import.
PROBE = r"""
import importlib, json, pkgutil, socket, sys, traceback, weakref

connects = []
_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex

def connect(self, address):
    connects.append(f"connect {address!r}\n" + "".join(traceback.format_stack(limit=12)[:-1]))
    return _connect(self, address)

def connect_ex(self, address):
    connects.append(f"connect_ex {address!r}\n" + "".join(traceback.format_stack(limit=12)[:-1]))
    return _connect_ex(self, address)

socket.socket.connect, socket.socket.connect_ex = connect, connect_ex

import celery
from celery import signals
from celery.utils.dispatch import Signal

apps = []
_init = celery.Celery.__init__

def init(self, *args, **kwargs):
    apps.append("".join(traceback.format_stack(limit=12)[:-1]))
    _init(self, *args, **kwargs)

celery.Celery.__init__ = init

import worker

failed, imported = [], []

def onerror(name):
    failed.append(f"{name}: " + traceback.format_exc())

for info in pkgutil.walk_packages(worker.__path__, "worker.", onerror=onerror):
    try:
        importlib.import_module(info.name)
        imported.append(info.name)
    except BaseException:  # SystemExit too: a module may not exit the interpreter on import
        failed.append(f"{info.name}: " + traceback.format_exc())

module_apps = [f"{name}.{attr}" for name, mod in sorted(sys.modules.items())
               if name == "worker" or name.startswith("worker.")
               for attr, value in list(vars(mod).items()) if isinstance(value, celery.Celery)]
def described(receiver):
    fn = receiver() if isinstance(receiver, weakref.ReferenceType) else receiver
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', fn)!s}"

def alive(receiver):  # a receiver of a module that failed to import may be collected already
    return not isinstance(receiver, weakref.ReferenceType) or receiver() is not None

receivers = [f"{name}: {described(entry[1])}" for name, sig in sorted(vars(signals).items())
             if isinstance(sig, Signal) for entry in sig.receivers if alive(entry[1])]
print(json.dumps({"imported": imported, "failed": failed, "connects": connects, "apps": apps,
                  "module_apps": module_apps, "receivers": receivers}))
"""


@pytest.fixture(params=["missing", "invalid"])
def bad_config(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "missing":
        return str(tmp_path / "nonexistent" / "newsworker.toml")
    path = tmp_path / "invalid.toml"
    path.write_text("this is = = not [toml\nconsumer_batch = 'many'\n")
    return str(path)


def test_every_module_imports_with_bad_settings_and_does_nothing(
        tmp_path: Path, bad_config: str) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWORKER_")}
    env.update({
        "NEWSWORKER_CONSUMER_BATCH": "not-a-number",
        "NEWSWORKER_REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "NEWSWORKER_CONFIG": bad_config,
        "NEWSWORKER_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, f"the import probe crashed:\n{done.stderr[-4000:]}"
    report = json.loads(done.stdout.strip().splitlines()[-1])
    problems = []
    for key, what in (("failed", "modules that fail to import"),
                      ("connects", "sockets connected at import"),
                      ("apps", "Celery apps built at import"),
                      ("module_apps", "module-level Celery apps"),
                      ("receivers", "Celery signals with receivers connected at import")):
        if report[key]:
            # the end of a traceback names the culprit; keep messages short
            items = [x if len(x) < 1500 else x.split("\n", 1)[0] + "\n..." + x[-1200:]
                     for x in report[key]]
            problems.append(f"{what}:\n  " + "\n  ".join(items))
    created = sorted(str(p.relative_to(tmp_path)) for p in [*cwd.rglob("*"),
                                                            tmp_path / "data"] if p.exists())
    if created:
        problems.append("files written at import:\n  " + "\n  ".join(created))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
    assert len(report["imported"]) > 20, report["imported"]  # the walk found the package
