"""The public API of `worker` is pinned: a change to ``worker.__all__`` is a decision, made
here on purpose (the way httpx's tests/test_exported_members.py does it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import worker

ROOT = Path(__file__).resolve().parents[2]

EXPECTED = [
    "Client",
    "EventStore",
    "Handler",
    "Settings",
    "__version__",
    "app",
    "create_app",
    "errors",
    "events",
    "load_settings",
]


def test_all_is_pinned() -> None:
    assert sorted(worker.__all__) == sorted(EXPECTED)
    assert len(set(worker.__all__)) == len(worker.__all__)


def test_every_exported_name_resolves() -> None:
    # `app` builds the Celery app from the environment's settings: checked in a child below.
    missing = [name for name in worker.__all__
               if name != "app" and getattr(worker, name, None) is None]
    assert not missing, f"in worker.__all__ but not resolvable: {missing}"


# Runs in the child: `import worker` stays light, and `worker.app` is the lazily built app.
PROBE = r"""
import json, sys
import worker
light = "celery" not in sys.modules
import celery
app = worker.app
print(json.dumps({"light": light, "is_celery": isinstance(app, celery.Celery),
                  "same": worker.app is app, "broker": str(app.conf.broker_url)}))
"""


def test_app_resolves_lazily_to_a_celery_app(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWORKER_")}
    env.update({
        # Building the app opens no connection, so nothing needs to listen here.
        "NEWSWORKER_REDIS_URL": "redis://127.0.0.1:1/0",
        "NEWSWORKER_CONFIG": str(ROOT / "config" / "newsworker.toml"),
        "NEWSWORKER_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    })
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["light"], "`import worker` imported Celery; it should load it on first use"
    assert got["is_celery"] and got["same"]
    assert "127.0.0.1:1/" in got["broker"]
