"""Where articles come from: files on disk (confined to the configured input roots).

A file becomes one article (.txt, .html, .json export) or many (a feed file). Every
refusal is a RejectedInput naming the reason; nothing here raises anything else for bad input.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from worker.errors import (
    MissingInput,
    OutsideInputRoots,
    RejectedInput,
    TooLarge,
)
from worker.events.models import Article, Source
from worker.settings import Settings

log = logging.getLogger(__name__)

FEED_SUFFIXES = {".rss", ".atom", ".xml", ".rdf", ".feed"}
ARTICLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".json", ".md", ""}
_FEED_SNIFF = (b"<rss", b"<feed", b"<rdf:rdf", b'"https://jsonfeed.org/version', b"<channel")


def file_source(path: Path | str) -> Source:
    return Source(kind="file", location=str(Path(path).resolve()))


def check_path(path: Path | str, settings: Settings) -> Path:
    """Resolve ``path`` (following symlinks) and confine it to the input roots."""
    p = Path(path)
    try:
        resolved = p.resolve(strict=True)
    except FileNotFoundError:
        raise MissingInput("no such file", location=str(p)) from None
    except (OSError, RuntimeError) as exc:  # symlink loops, permissions
        raise MissingInput(f"cannot resolve path ({exc.__class__.__name__})",
                           location=str(p)) from None
    roots = [r.resolve() for r in settings.input_roots]
    if roots and not any(resolved.is_relative_to(r) for r in roots):
        raise OutsideInputRoots("outside the configured input roots", location=str(p))
    if not resolved.is_file():
        raise RejectedInput("not a regular file", location=str(p))
    return resolved


def read_file(path: Path | str, settings: Settings) -> tuple[Source, bytes]:
    resolved = check_path(path, settings)
    source = file_source(resolved)
    try:
        size = resolved.stat().st_size
        if size > settings.max_file_bytes:
            raise TooLarge(f"file is {size} bytes, over the {settings.max_file_bytes}-byte cap",
                           location=source.location)
        with resolved.open("rb") as fh:
            raw = fh.read(settings.max_file_bytes + 1)
    except PermissionError:
        raise RejectedInput("permission denied", location=source.location) from None
    except IsADirectoryError:
        raise RejectedInput("not a regular file", location=source.location) from None
    if len(raw) > settings.max_file_bytes:
        raise TooLarge(f"file is over the {settings.max_file_bytes}-byte cap",
                       location=source.location)
    return source, raw


def is_feed(path: Path | str, raw: bytes) -> bool:
    suffix = Path(path).suffix.lower()
    if suffix in FEED_SUFFIXES:
        return True
    head = raw[:1024].lstrip().lower()
    return any(tag in head for tag in _FEED_SNIFF)


def articles_from_bytes(raw: bytes, source: Source, settings: Settings) -> list[Article]:
    """Normalise one input's bytes into its articles (one, or one per feed entry)."""
    from worker.normalise import article as normalise  # lazy: keeps CLI start fast

    try:
        if is_feed(source.location, raw):
            from worker.feeds import parse as feeds

            return feeds.articles_from_feed_bytes(raw, source=source, settings=settings)
        return [normalise.normalise(raw, source=source, max_bytes=settings.max_body_bytes)]
    except RejectedInput as exc:
        exc.location = exc.location or source.location
        raise


def articles_from_file(path: Path | str, settings: Settings) -> tuple[Source, list[Article]]:
    source, raw = read_file(path, settings)
    return source, articles_from_bytes(raw, source, settings)


def iter_files(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Files under ``paths`` (directories recurse; hidden files skipped), in a stable order.

    A path that does not exist is still yielded, so it gets its own clear rejection.
    """
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield p
