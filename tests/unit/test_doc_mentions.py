"""Every `newsworker ...` the docs mention names a command and options that exist.

tests/integration/test_documented_command_runs runs the command lines of the docs' shell blocks;
this checks all the others without running them: inline mentions in prose, synopsis blocks,
and `docker compose exec api newsworker ...` lines. A renamed command or a removed flag then
fails here instead of misleading a reader (issue 21)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]  # docs/schema/ too
INLINE_RE = re.compile(r"`(newsworker\s[^`]+)`")
# A command line in any fenced block: after env assignments, `$ ` or `docker compose exec`.
BLOCK_RE = re.compile(r"^(?:\$ )?(?:[A-Z_][A-Z0-9_]*=\S*\s+)*"
                      r"(?:docker compose exec (?:-T )?[\w-]+ )?(newsworker\s.*)$")
OPTION_RE = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def mentions() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        in_block = False
        for no, line in enumerate(doc.read_text().splitlines(), 1):
            where = f"{doc.relative_to(ROOT)}:{no}"
            if line.startswith("```"):
                in_block = not in_block
            elif in_block:
                m = BLOCK_RE.match(re.sub(r"\s#.*$", "", line.strip()))
                if m:
                    found.append((where, m.group(1)))
            else:
                found.extend((where, m.group(1)) for m in INLINE_RE.finditer(line))
    return found


MENTIONS = mentions()


@pytest.fixture(scope="module")
def cli() -> Any:
    import typer

    from worker.cli.app import build

    return typer.main.get_command(build())


def test_mentions_are_found() -> None:
    docs = {where.split(":")[0] for where, _ in MENTIONS}
    assert {"README.md", "docs/deploy.md", "docs/handlers.md", "docs/monitoring.md"} <= docs


@pytest.mark.parametrize(("where", "text"), MENTIONS, ids=[w for w, _ in MENTIONS])
def test_mention_names_a_real_command_and_its_options(cli: Any, where: str, text: str) -> None:
    words = text.split()[1:]
    command, path = cli, ["newsworker"]
    while words and getattr(command, "commands", None) is not None:
        if words[0] not in command.commands:
            # a group named alone, or its subcommands as a placeholder: `newsworker COMMAND`
            assert words[0].startswith("-") or words[0].isupper() or words[0] == "...", \
                f"{where}: `{text}`: {' '.join(path)} has no command {words[0]!r}"
            break
        command = command.commands[words[0]]
        path.append(words.pop(0))
    known = {"--help"} | {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
    unknown = [o for w in words for o in OPTION_RE.findall(w) if o not in known]
    assert not unknown, f"{where}: `{text}`: {' '.join(path)} has no option {unknown}"
