"""Task results name inputs as the client knows them: a file relative to its input root, an
upload by the client's file name; never by a server path the client did not give."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.tasks.ingest import Ingest

TEXT = "A headline for the test\n\nThe first paragraph of a short article, long enough to count."


def test_files_are_named_relative_to_their_input_root(
        make_settings: Callable[..., Settings], tmp_path: Path) -> None:
    root = tmp_path / "inputs"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text(TEXT)
    (root / "empty.txt").write_text("")
    settings = make_settings(input_roots=[root])
    run = Ingest(settings, EventStore.from_settings(settings))
    [ok] = run.path(str(root / "sub" / "a.txt"), None)
    [bad] = run.path(str(root / "empty.txt"), None)
    batch = run.paths([str(root / "sub" / "a.txt"), str(root / "missing.txt")], None)
    assert (ok["status"], ok["source"]) == ("appended", "sub/a.txt")
    assert (bad["status"], bad["source"]) == ("failed", "empty.txt")
    assert [r["source"] for r in batch["results"]] == ["missing.txt", "sub/a.txt"]
    assert not any(str(tmp_path) in str(r) for r in [ok, bad, *batch["results"]])


def test_uploads_are_named_by_the_client_name(settings: Settings, tmp_path: Path) -> None:
    run = Ingest(settings, EventStore.from_settings(settings))
    empty = tmp_path / "0123abcd.txt"
    empty.write_text("")
    [bad] = run.path(str(empty), None, "notes.txt")
    assert (bad["status"], bad["source"]) == ("failed", "notes.txt")
