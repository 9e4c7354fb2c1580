"""The generated references (docs/cli.md, docs/configuration.md) match the code, and the code
gives the references something to say: help on every flag, a description on every setting."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ROOT, load_tool


@pytest.fixture(scope="module")
def gen_docs() -> Any:
    return load_tool("gen_docs")


def test_generated_references_are_current(gen_docs: Any) -> None:
    for path, text in gen_docs.outputs().items():
        rel = path.relative_to(ROOT)
        assert path.is_file(), f"{rel} is missing: run `make docs`"
        assert path.read_text() == text, f"{rel} is stale: run `make docs` and commit it"


def test_every_command_argument_and_option_has_help(gen_docs: Any) -> None:
    import typer

    from worker.cli.app import build

    missing = []
    for path, cmd in gen_docs.walk(typer.main.get_command(build()), []):
        name = " ".join(path)
        if not (cmd.help or "").strip():
            missing.append(f"newsworker {name}")
        for p in getattr(cmd, "params", []):
            if not getattr(p, "hidden", False) and not (p.help or "").strip():
                missing.append(f"newsworker {name} {p.opts[0]}")
    assert not missing, f"no help text: {missing}"


def test_every_setting_has_a_description() -> None:
    from worker.settings import Settings

    missing = [n for n, f in Settings.model_fields.items() if not (f.description or "").strip()]
    assert not missing, f"Settings fields without a description: {missing}"


def test_reference_shows_defaults_units_and_env_names(gen_docs: Any) -> None:
    config = gen_docs.render_config()
    assert ("| `visibility_timeout_s` | `NEWSWORKER_VISIBILITY_TIMEOUT_S` | int | `3600` s |"
            in config)
    assert "`15728640` bytes (15 MiB)" in config
    cli = gen_docs.outputs()[gen_docs.CLI_DOC]
    assert "## newsworker events" in cli
    assert "| `--count` | int | `100` | At most this many entries. |" in cli
    assert "Usage: `newsworker groups delete [OPTIONS] GROUP`" in cli
