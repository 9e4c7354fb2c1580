"""Article history commands: `articles history`, `articles diff`, and what `articles show
--as-of / --version` prints (see docs/history.md).

Everything reads the per-article history index and point reads of the article's own
entries (worker.store.history), never the whole stream.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.text import Text

from worker.cli.console import cli_settings, out, print_json
from worker.errors import ConfigError

log = logging.getLogger(__name__)


def _history() -> Any:
    from worker.store.eventstore import EventStore
    from worker.store.history import History

    store = EventStore.from_settings(cli_settings())
    return History(store.redis, store.keys)


def parse_time(value: str) -> datetime:
    """An ISO-8601 moment; one without a zone is taken as UTC."""
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"--as-of {value!r}: expected an ISO-8601 time, e.g. "
                          "2026-01-31T12:00:00Z") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _changes_text(changes: dict[str, Any] | None, version: int) -> str:
    if version == 1:
        return "first version"
    if changes is None:
        return "changes unknown"
    parts = [", ".join(changes["fields"]) or "no article field"]
    if "body" in changes["fields"]:
        parts.append(f"+{changes['words_added']}/-{changes['words_removed']} words")
    if changes.get("old_title") is not None:
        parts.append(f"title was {changes['old_title']!r}")
    return "; ".join(parts)


def history(
    article_id: Annotated[str, typer.Argument(help="Article id.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines, one per version.")] = False,
) -> None:
    """Every version of an article, oldest first, with what each revision changed."""
    for v in _history().require(article_id):
        row = v.model_dump(mode="json")
        if as_json:
            print_json(row)
            continue
        out.print(f"v{v.version} {v.type} {v.entry_id} {v.event_id} {row['occurred_at']} "
                  f"words={v.word_count} hash={v.content_hash[:12]} {v.title!r}: "
                  f"{_changes_text(row['changes'], v.version)}", markup=False, highlight=False)


STYLES = {"delete": "red strike", "insert": "green", "equal": ""}
MARKS = {"delete": ("[-", "-]"), "insert": ("{+", "+}"), "equal": ("", "")}


def render_chunks(chunks: list[dict[str, str]]) -> Text:
    """wdiff-style text: ``[-removed-]{+added+}``; the marks stay when piped, the colours
    only in a terminal (rich drops styles when stdout is not one, or NO_COLOR is set)."""
    text = Text()
    for k, c in enumerate(chunks):
        if k and not text.plain.endswith("\n") and not c["text"].startswith("\n"):
            text.append(" ")
        left, right = MARKS[c["op"]]
        text.append(f"{left}{c['text']}{right}", style=STYLES[c["op"]])
    return text


def diff(
    article_id: Annotated[str, typer.Argument(help="Article id.")],
    start: Annotated[int | None, typer.Option("--from", help="Old version (default: the one "
                                                           "before --to).")] = None,
    end: Annotated[int | None, typer.Option("--to", help="New version (default: the "
                                                       "latest).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """Word-level diff of the title and body between two versions of an article."""
    d = _history().diff(article_id, start, end)
    if as_json:
        print_json(d)
        return
    a, b = d["from"], d["to"]
    out.print(f"article {article_id}: v{a['version']} ({a['occurred_at']}) -> "
              f"v{b['version']} ({b['occurred_at']}): "
              f"{_changes_text(d['changes'], b['version'])}", markup=False, highlight=False)
    out.print(Text("title: ").append_text(render_chunks(d["title"])))
    out.print("")
    out.print(render_chunks(d["body"]))


def show_version(article_id: str, *, version: int | None, as_of: str | None,
                 as_json: bool) -> None:
    """`articles show --version N | --as-of TIME`: the article as it stood then, its body
    included (the catalog keeps only the latest version, and no body)."""
    from worker.consumers.builtin.catalog import document

    v, event = _history().at(article_id, version=version,
                             as_of=parse_time(as_of) if as_of else None)
    doc = {**document(event), "entry_id": v.entry_id, "body": list(event.data.body)}
    if as_json:
        print_json(doc)
        return
    for k, val in doc.items():
        if k != "body":
            out.print(f"{k:>16}: {val}", markup=False, highlight=False)
    out.print("")
    out.print(event.data.text, markup=False, highlight=False)


def register(articles_app: typer.Typer) -> None:
    """Add the history commands to the `articles` sub-app (made by ops_commands)."""
    articles_app.command("history")(history)
    articles_app.command("diff")(diff)


def rebuild_history(client: Any, keys: Any) -> None:
    """`newsworker rebuild history`: rewrite every version still in the stream."""
    from worker.store.eventstore import EventStore
    from worker.store.history import rebuild

    written, articles = rebuild(client, keys, EventStore(client, keys).iter_all())
    out.print(f"history rebuilt: {written} versions of {articles} articles", highlight=False)
