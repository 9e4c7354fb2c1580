"""The documentation holds: no broken relative link in README.md and docs/*.md, and every
`newsworker ...` command line in their shell code blocks runs (in a temp dir, against the test
Redis) without an error.

Runnable examples live in ```sh (or bash, shell, console) blocks; a plain ``` or ```text
block is a synopsis with placeholders (`GROUP`, `[--json]`) and is not run. A command line that
needs a live worker, a feed or a terminal of its own says so with a `# needs: ...` comment in
the doc; those are skipped by name, everything else is run.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, settings_env
from worker.intake import articles_from_file
from worker.settings import Settings
from worker.store.eventstore import EventStore

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]  # docs/schema/ too
LINK_RE = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE_RE = re.compile(r"^```(\S*)\s*$")
SHELL_LANGS = {"sh", "bash", "shell", "console"}
ENV_ASSIGN_RE = re.compile(r"^[A-Z_][A-Z0-9_]*=\S*$")
CLI_LINE_RE = re.compile(r"^([A-Z_][A-Z0-9_]*=\S*\s+)*newsworker(\s|$)")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found, in_code = set(), False
    for line in path.read_text().splitlines():
        if FENCE_RE.match(line):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            found.add(slug(line.lstrip("#")))
    return found


def prose(path: Path) -> str:
    """The file without its fenced code blocks (links are only links outside them)."""
    keep, in_code = [], False
    for line in path.read_text().splitlines():
        if FENCE_RE.match(line):
            in_code = not in_code
        elif not in_code:
            keep.append(line)
    return "\n".join(keep)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(doc: Path) -> None:
    broken = []
    for target in LINK_RE.findall(prose(doc)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, fragment = target.partition("#")
        dest = (doc.parent / file_part).resolve() if file_part else doc
        if not dest.exists():
            broken.append(f"{target} (no {dest})")
        elif fragment and dest.suffix == ".md" and fragment not in anchors(dest):
            broken.append(f"{target} (no heading #{fragment} in {dest.name})")
    assert not broken, f"{doc.relative_to(ROOT)}: broken links: {broken}"


# --- command lines ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DocCommand:
    doc: str
    line_no: int
    env: dict[str, str]
    argv: list[str]
    needs: str | None


def strip_comment(line: str) -> tuple[str, str]:
    """(command, comment): a ``#`` starts a comment only after whitespace, as in sh."""
    m = re.search(r"\s#(.*)$", line)
    return (line[:m.start()], m.group(1)) if m else (line, "")


def doc_commands() -> list[DocCommand]:
    found = []
    for doc in DOCS:
        lang: str | None = None
        for no, line in enumerate(doc.read_text().splitlines(), 1):
            fence = FENCE_RE.match(line)
            if fence:
                lang = fence.group(1) if lang is None else None
                continue
            if lang not in SHELL_LANGS:
                continue
            command, comment = strip_comment(line.strip())
            if not CLI_LINE_RE.match(command):
                continue
            words = shlex.split(command)
            env = {}
            while words and ENV_ASSIGN_RE.match(words[0]):
                key, _, value = words.pop(0).partition("=")
                env[key] = value
            if not words or words[0] != "newsworker":
                continue
            needs = re.search(r"needs:\s*(.+)$", comment)
            found.append(DocCommand(str(doc.relative_to(ROOT)), no, env, words[1:],
                                    needs.group(1).strip() if needs else None))
    return found


COMMANDS = doc_commands()


def test_the_docs_show_commands() -> None:
    """The quickstart's commands are found (the extraction itself works)."""
    shown = {" ".join(c.argv[:2]) for c in COMMANDS if c.doc == "README.md"}
    assert {"events", "articles list", "consume catalog"} <= shown


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A directory shaped like a checkout after `make run`: seeds/, config/, sample inputs."""
    work = tmp_path / "work"
    shutil.copytree(ROOT / "seeds", work / "seeds")
    shutil.copytree(ROOT / "config", work / "config")
    (work / "path" / "to" / "dir").mkdir(parents=True)
    sample = next((ROOT / "seeds").iterdir())
    shutil.copy(sample, work / "path" / "to" / "dir" / sample.name)
    shutil.copy(sample, work / "path" / "to" / "file.html")
    return work


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: f"{c.doc}:{c.line_no}")
def test_documented_command_runs(cmd: DocCommand, settings: Settings, store: EventStore,
                                 workdir: Path) -> None:
    if cmd.needs:
        pytest.skip(f"needs {cmd.needs} (marked in {cmd.doc}:{cmd.line_no})")
    # What `make run` leaves behind: the seed article in the stream.
    seed = next((workdir / "seeds").iterdir())
    _, articles = articles_from_file(seed, settings)
    store.append_many(articles)
    env = {**settings_env(settings), **cmd.env}
    result = subprocess.run([sys.executable, "-m", "worker", *cmd.argv], cwd=workdir, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    shown = f"{cmd.doc}:{cmd.line_no}: newsworker {shlex.join(cmd.argv)}"
    assert "Traceback" not in result.stderr, f"{shown}\n{result.stderr}"
    assert result.returncode == 0, f"{shown} exited {result.returncode}\n{result.stderr}"


def test_python_m_worker_is_the_cli() -> None:
    """The commands above run through `python -m worker`; it must be the same CLI."""
    result = subprocess.run([sys.executable, "-m", "worker", "--help"], capture_output=True,
                            text=True, timeout=60, check=False,
                            env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 0 and "groups" in result.stdout, result.stderr


def test_quickstart_output_shape(settings: Settings, store: EventStore, workdir: Path) -> None:
    """The README's quickstart comments describe these outputs: `events` prints entry id, type,
    version, article id and title; `articles list` prints id, version, date, source: title."""
    seed = next((workdir / "seeds").iterdir())
    _, articles = articles_from_file(seed, settings)
    store.append_many(articles)
    env = settings_env(settings)

    def cli(*argv: str) -> str:
        result = subprocess.run([sys.executable, "-m", "worker", *argv], cwd=workdir, env=env,
                                capture_output=True, text=True, timeout=120, check=True)
        return result.stdout

    aid = articles[0].article_id
    assert re.fullmatch(rf"\d+-\d+ article\.ingested v1 {aid} .+\n", cli("events"))
    cli("consume", "catalog", "--handler", "catalog", "--until-idle")
    assert re.fullmatch(rf"{aid} v1 \S+ file: .+\n", cli("articles", "list"))
