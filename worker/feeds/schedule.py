"""The feed schedule (``config/feeds.toml``): which feeds, how often, with which filters.

Read by ``poll_due_feeds`` on every beat tick, so changing the list needs no code change.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from worker.errors import ConfigError
from worker.events.models import Article


@dataclass(frozen=True)
class FeedConfig:
    url: str
    interval_s: float = 900.0
    tags: tuple[str, ...] = ()
    fulltext: bool = False
    keep: tuple[str, ...] = ()
    block: tuple[str, ...] = ()
    enabled: bool = True  # false: listed (and `submit feed` uses its options) but never polled

    def as_options(self) -> dict[str, Any]:
        return {"interval_s": self.interval_s, "tags": list(self.tags),
                "fulltext": self.fulltext, "keep": list(self.keep), "block": list(self.block)}

    @classmethod
    def from_options(cls, url: str, options: Mapping[str, Any]) -> FeedConfig:
        return cls(url=url, interval_s=float(options.get("interval_s") or 900.0),
                   tags=tuple(str(t) for t in options.get("tags") or ()),
                   fulltext=bool(options.get("fulltext", False)),
                   keep=tuple(str(r) for r in options.get("keep") or ()),
                   block=tuple(str(r) for r in options.get("block") or ()),
                   enabled=bool(options.get("enabled", True)))


def load_schedule(path: Path | str) -> list[FeedConfig]:
    """Feeds listed in a TOML file (``[[feed]]`` tables). Missing file = no feeds."""
    import tomllib

    p = Path(path)
    if not p.is_file():
        return []
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"invalid feeds file {p}: {exc}") from None
    out: list[FeedConfig] = []
    for i, item in enumerate(doc.get("feed") or []):
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            raise ConfigError(f"invalid feeds file {p}: [[feed]] #{i + 1} needs a url string")
        if not isinstance(item.get("enabled", True), bool):
            raise ConfigError(f"invalid feeds file {p}: feed {item['url']}: enabled must be "
                              "true or false")
        try:
            cfg = FeedConfig.from_options(item["url"].strip(), item)
            for rx in (*cfg.keep, *cfg.block):
                re.compile(rx)
        except (TypeError, ValueError, re.error) as exc:
            raise ConfigError(f"invalid feeds file {p}: feed {item['url']}: {exc}") from None
        if cfg.interval_s < 1:
            raise ConfigError(f"invalid feeds file {p}: feed {cfg.url}: interval_s must be >= 1")
        out.append(cfg)
    return out


def passes_filters(article: Article, keep: Iterable[str], block: Iterable[str]) -> bool:
    """keep: at least one regex must match; block: none may (title, URL or text)."""
    keep, block = list(keep), list(block)
    if not keep and not block:
        return True
    hay = "\n".join((article.title, article.url or "", article.text))
    if keep and not any(re.search(rx, hay, re.IGNORECASE) for rx in keep):
        return False
    return not any(re.search(rx, hay, re.IGNORECASE) for rx in block)


def feed_id_for(url: str) -> str:
    """Stable id of a configured feed URL (or path)."""
    return hashlib.blake2b(url.strip().encode(), digest_size=8).hexdigest()
