"""The `newsworker` command line (typer + rich): the app is built here from the command
modules, which know nothing of it (no import circles).

Every expected failure ends as one readable line and a non-zero status, never a traceback.
"""

from __future__ import annotations

import logging
import os
import sys

import typer

from worker.cli import (
    db_commands,
    groups_commands,
    history_commands,
    ingest_commands,
    ops_commands,
    stories_commands,
)
from worker.cli.console import err
from worker.errors import ConfigError, NewsworkerError, RejectedInput

log = logging.getLogger(__name__)


def build() -> typer.Typer:
    app = typer.Typer(
        help="Event-sourced news ingestion: files and feeds -> Redis Stream -> handlers.",
        no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
    ingest_commands.register(app)
    history_commands.register(ops_commands.register(app))
    db_commands.register(app)
    groups_commands.register(app)
    stories_commands.register(app)
    return app


def setup_logging(verbose: bool) -> None:
    level = os.environ.get("NEWSWORKER_LOG_LEVEL", "DEBUG" if verbose else "WARNING")
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def main() -> None:
    setup_logging(verbose=False)
    try:
        build()()
    except ConfigError as exc:
        err.print(f"newsworker: {exc}", markup=False, highlight=False)
        sys.exit(2)
    except RejectedInput as exc:
        err.print(f"{exc}", markup=False, highlight=False)
        sys.exit(1)
    except NewsworkerError as exc:
        err.print(f"newsworker: {exc}", markup=False, highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        import redis

        if isinstance(exc, redis.ConnectionError):
            err.print(f"newsworker: cannot reach Redis ({exc})", markup=False)
            sys.exit(2)
        raise


if __name__ == "__main__":
    main()
