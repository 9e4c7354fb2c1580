"""Input files on disk: found, confined to the configured input roots, and read (capped).

What the bytes become (one article, or one per feed entry) is ``worker.intake``'s business.
Every refusal is a RejectedInput naming the reason; nothing here raises anything else for
bad input.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from worker.errors import (
    MissingInput,
    OutsideInputRoots,
    RejectedInput,
    TooLarge,
)
from worker.events.models import Source
from worker.settings import Settings


def file_source(path: Path | str) -> Source:
    return Source(kind="file", location=str(Path(path).resolve()))


def shown_path(path: Path | str, settings: Settings) -> str:
    """How task results name an input file: relative to the input root holding it, so no
    result carries a server path; as given when no root holds it (or none is configured)."""
    p = Path(os.path.abspath(path))
    for root in settings.input_roots:
        for base in {Path(os.path.abspath(root)), root.resolve()}:
            if p.is_relative_to(base):
                return str(p.relative_to(base))
    return str(path)


def upload_source(name: str, raw: bytes) -> Source:
    """An upload's source: the client's file name plus its content hash, so the same upload
    twice is the same article, unchanged (docs/identity.md); the origin is the name."""
    return Source(kind="upload",
                  location=f"{name}#sha256:{hashlib.sha256(raw).hexdigest()[:32]}")


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
    # (resolved already: file_source would resolve it again, ~20 us a file of 110)
    source = Source(kind="file", location=str(resolved))
    try:
        with open(resolved, "rb") as fh:  # the size from the open file: one stat, not two
            size = os.fstat(fh.fileno()).st_size
            if size > settings.max_file_bytes:
                raise TooLarge(f"file is {size} bytes, over the {settings.max_file_bytes}-byte "
                               "cap", location=source.location)
            raw = fh.read(settings.max_file_bytes + 1)
    except PermissionError:
        raise RejectedInput("permission denied", location=source.location) from None
    except IsADirectoryError:
        raise RejectedInput("not a regular file", location=source.location) from None
    if len(raw) > settings.max_file_bytes:
        raise TooLarge(f"file is over the {settings.max_file_bytes}-byte cap",
                       location=source.location)
    return source, raw


def unreadable(exc: BaseException) -> str:
    """Why a path could not be listed or resolved, in words (no traceback)."""
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
        return "symlink loop"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, OSError):
        return f"cannot read ({exc.strerror or exc.__class__.__name__})"
    return f"cannot read ({exc.__class__.__name__})"


def iter_files(paths: Iterable[Path | str],
               on_error: Callable[[Path, str], None] | None = None) -> Iterator[Path]:
    """Files under ``paths`` (directories recurse; hidden files skipped), in a stable order.

    A path that does not exist is still yielded, so it gets its own clear rejection. A
    directory that cannot be listed is passed to ``on_error`` (path, reason) and skipped; the
    rest of the walk goes on.
    """

    def report(exc: OSError) -> None:
        if on_error is not None:
            on_error(Path(exc.filename or "?"), unreadable(exc))

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p, onerror=report):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield p
