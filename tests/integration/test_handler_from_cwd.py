"""`newsworker consume --handler module:callable` finds a module in the working directory,
with the installed console script too (which, unlike `python -m`, puts no directory on
sys.path)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import settings_env
from tests.support.articles import make_article
from worker.settings import Settings
from worker.store.eventstore import EventStore


def test_a_handler_module_in_the_working_directory_is_found(
        settings: Settings, store: EventStore, tmp_path: Path) -> None:
    # Given a handler module in the directory the operator works in, and one event
    (tmp_path / "my_index.py").write_text(
        "from pathlib import Path\n\n"
        "def handle(event):\n"
        "    Path('seen.txt').open('a').write(event.event_id + '\\n')\n")
    store.append(make_article("A story for a handler of our own."))
    script = shutil.which("newsworker", path=str(Path(sys.executable).parent))
    assert script, "the console script is installed with the package"

    # When the console script runs it from that directory
    out = subprocess.run([script, "consume", "mine", "--handler", "my_index:handle",
                          "--until-idle"], cwd=tmp_path, env=settings_env(settings),
                         capture_output=True, text=True, timeout=120, check=False)

    # Then the module was found and handled the event
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "seen.txt").read_text().split() == [e.event_id for _, e in store.read()]
