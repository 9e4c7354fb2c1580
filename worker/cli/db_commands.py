"""PostgreSQL read-model commands of the `newsworker` CLI: `db migrate`, `search`.

(`rebuild postgres` sits with the other rebuilds in ops_commands.) Plain functions;
worker.cli.app registers them on the typer app.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from worker.cli.console import cli_settings, out, parse_since, print_json

log = logging.getLogger(__name__)


def db_migrate() -> None:
    """Create or upgrade the PostgreSQL read model's tables (postgres_dsn, postgres_schema)."""
    from worker.pgstore.schema import applied_versions, connect, migrate, require_dsn

    settings = cli_settings()
    with connect(require_dsn(settings)) as conn:
        done = migrate(conn, settings.postgres_schema)
        now = applied_versions(conn, settings.postgres_schema)
    state = f"applied {', '.join(f'{v:04d}' for v in done)}" if done else "already up to date"
    out.print(f"schema {settings.postgres_schema}: {state} (at {max(now):04d})",
              highlight=False)


def search(
    query: Annotated[str, typer.Argument(help="Words; \"quoted phrase\", or, -word work.")],
    language: Annotated[str | None, typer.Option(help="Only articles in this language "
                                                 "(ISO 639-1), stemmed as it.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on/after (ISO-8601).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (1..100).")] = 20,
    offset: Annotated[int, typer.Option(help="Skip this many (paging).")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False,
) -> None:
    """Full-text search of the PostgreSQL read model, best match first, with snippets."""
    from worker.pgstore.schema import check_migrated, connect, require_dsn
    from worker.pgstore.search import search as do_search

    settings = cli_settings()
    when = parse_since(since)
    with connect(require_dsn(settings)) as conn:
        check_migrated(conn, settings.postgres_schema)
        hits = do_search(conn, settings.postgres_schema, query, language=language, since=when,
                         limit=limit, offset=offset)
    for hit in hits:
        if as_json:
            print_json(hit.as_dict())
        else:
            day = hit.published_at.date().isoformat() if hit.published_at else "-"
            out.print(f"{hit.article_id} v{hit.version} {day} {hit.site_name or '-'}: "
                      f"{hit.title}\n    {hit.snippet}", markup=False, highlight=False)
    if not hits and not as_json:
        out.print("no matches", highlight=False)


def register(app: typer.Typer) -> None:
    db_app = typer.Typer(help="The PostgreSQL read model.", no_args_is_help=True)
    db_app.command("migrate")(db_migrate)
    app.add_typer(db_app, name="db")
    app.command("search")(search)
