"""docs/schema/ is the event contract for other languages: it must match the models."""

from __future__ import annotations

import json
from pathlib import Path

from worker.events.models import SCHEMA_VERSIONS
from worker.events.schema import schema_documents

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
    for etype, version in SCHEMA_VERSIONS.items():
        assert f"{etype}.v{version}.json" in names


def test_asyncapi_document_points_at_published_files() -> None:
    import yaml

    doc = yaml.safe_load((SCHEMA_DIR / "asyncapi.yaml").read_text())
    assert doc["asyncapi"].startswith("3.")
    payload = doc["components"]["messages"]["entry"]["payload"]["$ref"]
    assert (SCHEMA_DIR / payload).is_file()
    assert {c["address"] for c in doc["channels"].values()} == {
        "{newsworker}:events", "{newsworker}:failures", "{newsworker}:dlq"}
