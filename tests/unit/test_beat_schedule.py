"""`celery -A worker beat` keeps its schedule file under data_dir (none in the repository)."""

from __future__ import annotations

from pathlib import Path

from worker.settings import load_settings
from worker.tasks.app import create_app
from worker.tasks.beat import DataDirScheduler


def test_beat_state_goes_under_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "not-yet" / "data"
    app = create_app(load_settings(redis_url="redis://127.0.0.1:1/0", data_dir=data_dir))
    assert app.conf.beat_schedule_filename == str(data_dir / "celerybeat-schedule")
    assert app.conf.beat_scheduler == "worker.tasks.beat:DataDirScheduler"
    # The scheduler beat builds from that configuration creates the directory and its file.
    scheduler = DataDirScheduler(app=app, schedule_filename=app.conf.beat_schedule_filename)
    try:
        assert "poll-due-feeds" in scheduler.schedule
    finally:
        scheduler.close()
    assert list(data_dir.glob("celerybeat-schedule*"))
