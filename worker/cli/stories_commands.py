"""`newsworker stories list|show` and the `rebuild stories` step (see
worker.consumers.builtin.stories)."""

from __future__ import annotations

import logging
from typing import Annotated, Any

import typer

from worker.cli.console import cli_settings, out, parse_since, print_json
from worker.errors import RejectedInput

log = logging.getLogger(__name__)


def _stories() -> Any:
    from worker.consumers.builtin.stories import Stories
    from worker.store.eventstore import EventStore

    settings = cli_settings()
    store = EventStore.from_settings(settings)
    return Stories(store.redis, store.keys, settings)


def stories_list(
    since: Annotated[str | None, typer.Option(help="Last seen on/after (ISO-8601).")] = None,
    min_size: Annotated[int, typer.Option(min=1, help="At least this many articles.")] = 1,
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False,
) -> None:
    """Stories, largest first (then most recently seen)."""
    docs = _stories().listing(since=parse_since(since), min_size=min_size, limit=limit)
    for doc in docs:
        print_json(doc) if as_json else out.print(story_line(doc), markup=False,
                                                  highlight=False)


def story_line(doc: dict[str, Any]) -> str:
    return (f"{doc['story_id']} x{doc['size']} {doc['last_seen'][:16]} "
            f"[{', '.join(doc['sources'])}]: {doc['title']}")


def stories_show(
    story_id: Annotated[str, typer.Argument(help="Story id.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """One story's representative and its articles."""
    doc = _stories().get(story_id)
    if doc is None:
        raise RejectedInput("no such story", location=story_id)
    rendered = "\n".join(f"{k:>12}: {v}" for k, v in doc.items())
    print_json(doc) if as_json else out.print(rendered, markup=False, highlight=False)


def rebuild_stories(client: Any, keys: Any) -> None:
    """`newsworker rebuild stories`: replay the stream into fresh story keys, swap them in."""
    from worker.consumers.builtin.stories import rebuild

    n, digest = rebuild(client, keys, cli_settings())
    out.print(f"stories rebuilt from {n} events, state {digest}", highlight=False)


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Stories: articles grouped across sources (the `stories` "
                        "handler).", no_args_is_help=True)
    group.command("list")(stories_list)
    group.command("show")(stories_show)
    app.add_typer(group, name="stories")
