"""docs/schema/ is the event contract for other languages: it must match the models."""

from __future__ import annotations

import json
from pathlib import Path

from worker.events.schema import schema_documents
from worker.events.stories import PUBLISHED_SCHEMA_VERSIONS

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "docs" / "schema"


def test_checked_in_schemas_match_the_models() -> None:
    # Given the JSON Schemas generated from the event models now
    docs = schema_documents()
    # Then every one is checked in, unchanged (`make docs` regenerates them)
    stale = [name for name, doc in docs.items()
             if not (SCHEMA_DIR / name).is_file()
             or json.loads((SCHEMA_DIR / name).read_text()) != doc]
    assert not stale, f"stale docs/schema files (run `make docs`): {stale}"


def test_every_event_type_has_a_schema_at_its_current_version() -> None:
    names = set(schema_documents())
    assert "story.article_added" in PUBLISHED_SCHEMA_VERSIONS  # the story events stream too
    for etype, version in PUBLISHED_SCHEMA_VERSIONS.items():
        assert f"{etype}.v{version}.json" in names


def test_asyncapi_document_points_at_published_files() -> None:
    import yaml

    doc = yaml.safe_load((SCHEMA_DIR / "asyncapi.yaml").read_text())
    assert doc["asyncapi"].startswith("3.")
    for message in doc["components"]["messages"].values():
        assert (SCHEMA_DIR / message["payload"]["$ref"]).is_file()
    assert {c["address"] for c in doc["channels"].values()} == {
        "{newsworker}:events", "{newsworker}:failures", "{newsworker}:dlq",
        "{newsworker}:story_events"}
    assert doc["components"]["messages"]["storyEntry"]["payload"]["$ref"] == "story-entry.json"
