"""Events -> rows of the read model, and the one transaction that applies a batch of them.

``apply_entries`` writes the articles (only a newer version replaces a row), every version
(once: keyed by article and version) and the group's tracking position (only forward) in ONE
transaction: either all of a batch's effects and its position are stored, or none. A batch
delivered again — after a crash between commit and XACK, a claim, a replay — changes nothing,
and with several consumers per group an older version arriving late never wins.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql

from worker.events.models import AnyEvent, ArticleIngested, ArticleRevised

log = logging.getLogger(__name__)

# ISO 639-1 code -> the text-search configuration PostgreSQL ships for it. Anything else
# (unknown language, one PostgreSQL does not stem) is indexed with 'simple': no stemming, no
# stop words, but every word still findable.
TS_CONFIGS: dict[str, str] = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian",
    "nb": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
FALLBACK_TS_CONFIG = "simple"

ARTICLE_COLUMNS = ("article_id", "version", "event_id", "entry_id", "title", "body", "lede",
                   "url", "site_name", "source_kind", "source_location", "language",
                   "authors", "tags", "published_at", "updated_at", "ingested_at",
                   "word_count", "content_hash", "ts_config")
VERSION_COLUMNS = ("article_id", "version", "event_id", "entry_id", "event_type",
                   "occurred_at", "title", "lede", "body", "content_hash")


def ts_config_for(language: str | None, available: frozenset[str] | None = None) -> str:
    """The text-search configuration for an article's language code ('en', 'de-AT', ...)."""
    code = (language or "").split("-")[0].split("_")[0].lower()
    config = TS_CONFIGS.get(code, FALLBACK_TS_CONFIG)
    if available is not None and config not in available:
        return FALLBACK_TS_CONFIG
    return config


def position_key(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def article_row(entry_id: str, event: ArticleIngested | ArticleRevised,
                available: frozenset[str] | None = None) -> tuple[Any, ...]:
    art = event.data
    return (event.article_id, event.version, event.event_id, entry_id, art.title, art.text,
            art.lede, art.url, art.site_name, art.source.kind, art.source.location,
            art.language, list(art.authors), list(art.tags), art.published_at,
            art.updated_at, event.occurred_at, art.word_count, art.content_hash,
            ts_config_for(art.language, available))


def version_row(entry_id: str, event: ArticleIngested | ArticleRevised) -> tuple[Any, ...]:
    art = event.data
    return (event.article_id, event.version, event.event_id, entry_id, event.type,
            event.occurred_at, art.title, art.lede, art.text, art.content_hash)


def _insert(table: str, columns: Sequence[str], schema: str) -> sql.Composed:
    values = [sql.SQL("%s::regconfig") if c == "ts_config" else sql.Placeholder()
              for c in columns]
    return sql.SQL("INSERT INTO {}.{} ({}) VALUES ({})").format(
        sql.Identifier(schema), sql.Identifier(table),
        sql.SQL(", ").join(map(sql.Identifier, columns)), sql.SQL(", ").join(values))


def upsert_articles_sql(schema: str) -> sql.Composed:
    updates = sql.SQL(", ").join(
        sql.SQL("{0} = excluded.{0}").format(sql.Identifier(c)) for c in ARTICLE_COLUMNS[1:])
    return sql.SQL("{} ON CONFLICT (article_id) DO UPDATE SET {} "
                   "WHERE excluded.version > {}.articles.version").format(
        _insert("articles", ARTICLE_COLUMNS, schema), updates, sql.Identifier(schema))


def insert_versions_sql(schema: str) -> sql.Composed:
    return sql.SQL("{} ON CONFLICT DO NOTHING").format(
        _insert("article_versions", VERSION_COLUMNS, schema))


def track_sql(schema: str) -> sql.Composed:
    return sql.SQL(
        "INSERT INTO {0}.tracking (group_name, position, position_ms, position_seq) "
        "VALUES (%s, %s, %s, %s) ON CONFLICT (group_name) DO UPDATE SET "
        "position = excluded.position, position_ms = excluded.position_ms, "
        "position_seq = excluded.position_seq, updated_at = now() "
        "WHERE (excluded.position_ms, excluded.position_seq) "
        "> ({0}.tracking.position_ms, {0}.tracking.position_seq)").format(sql.Identifier(schema))


def ts_configs(conn: psycopg.Connection[Any]) -> frozenset[str]:
    """The text-search configurations this server has (a server may lack some we map to)."""
    return frozenset(str(r[0]) for r in conn.execute("SELECT cfgname FROM pg_ts_config"))


def apply_entries(conn: psycopg.Connection[Any], schema: str, group: str,
                  entries: Sequence[tuple[str, AnyEvent]],
                  available: frozenset[str] | None = None) -> int:
    """Apply (entry id, event) pairs and move ``group``'s position, in one transaction.
    Returns the article rows written (0 when every event was already applied)."""
    if not entries:
        return 0
    latest: dict[str, tuple[str, ArticleIngested | ArticleRevised]] = {}
    versions = []
    for entry_id, event in entries:
        if not isinstance(event, ArticleIngested | ArticleRevised) or not event.article_id:
            continue  # failures have no article: only the position moves past them
        versions.append(version_row(entry_id, event))
        seen = latest.get(event.article_id)
        if seen is None or event.version > seen[1].version:
            latest[event.article_id] = (entry_id, event)
    # Key order: two consumers writing overlapping articles lock rows in the same order.
    rows = [article_row(eid, ev, available) for _, (eid, ev) in sorted(latest.items())]
    versions.sort(key=lambda r: (r[0], r[1]))
    positions = [e for e, _ in entries if e]  # handle() outside a consumer has none
    last = max(positions, key=position_key) if positions else None
    with conn.transaction(), conn.cursor() as cur:
        written = 0
        if rows:
            cur.executemany(upsert_articles_sql(schema), rows)
            written = cur.rowcount
            cur.executemany(insert_versions_sql(schema), versions)
        if last is not None:
            cur.execute(track_sql(schema), (group, last, *position_key(last)))
    return max(written, 0)


def tracking_position(conn: psycopg.Connection[Any], schema: str, group: str) -> str | None:
    row = conn.execute(sql.SQL("SELECT position FROM {}.tracking WHERE group_name = %s")
                       .format(sql.Identifier(schema)), (group,)).fetchone()
    return str(row[0]) if row else None


def state_hash(conn: psycopg.Connection[Any], schema: str) -> str:
    """SHA-256 over every row of ``articles`` and ``article_versions`` in key order: equal
    hashes, equal read models (the tracking table is not state: it says where a reader is)."""
    h = hashlib.sha256()
    for table, order in (("articles", "article_id"), ("article_versions", "article_id, version")):
        query = sql.SQL("SELECT t::text FROM {}.{} AS t ORDER BY {}").format(
            sql.Identifier(schema), sql.Identifier(table), sql.SQL(order))
        h.update(table.encode() + b"\x00")
        with conn.cursor() as cur:
            for (text,) in cur.execute(query):
                h.update(str(text).encode() + b"\x01")
    return h.hexdigest()
