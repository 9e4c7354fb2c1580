"""Full-text search over the read model: ranked (``ts_rank``), with highlighted snippets
(``ts_headline``), filtered by language and date, paged by limit/offset.

The query is parsed with ``websearch_to_tsquery`` (quotes, ``or``, ``-word`` work as on a
search engine). With a language, it is stemmed as that language and only articles in it
match; without, it is the OR of its parse under every configuration in use, so an English
article is found by "running" (stemmed 'run') and an unknown-language one by the word itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql

from worker.errors import ReadModelError
from worker.pgstore.rows import FALLBACK_TS_CONFIG, ts_config_for

log = logging.getLogger(__name__)

MAX_LIMIT = 100
SNIPPET_START = "«"
SNIPPET_STOP = "»"
HEADLINE_OPTIONS = (f"StartSel={SNIPPET_START}, StopSel={SNIPPET_STOP}, MaxWords=35, "
                    "MinWords=15, MaxFragments=2, FragmentDelimiter=\" … \"")


@dataclass(frozen=True)
class Hit:
    article_id: str
    version: int
    title: str
    url: str | None
    site_name: str | None
    language: str | None
    published_at: datetime | None
    rank: float
    snippet: str

    def as_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "version": self.version, "title": self.title,
                "url": self.url, "site_name": self.site_name, "language": self.language,
                "published_at": self.published_at.isoformat() if self.published_at else None,
                "rank": round(self.rank, 6), "snippet": self.snippet}


def _configs_in_use(conn: psycopg.Connection[Any], schema: str) -> list[str]:
    # DISTINCT over a small-cardinality column; falls back to 'simple' on an empty table.
    rows = conn.execute(sql.SQL("SELECT DISTINCT ts_config::text FROM {}.articles")
                        .format(sql.Identifier(schema))).fetchall()
    return sorted({str(r[0]) for r in rows} | {FALLBACK_TS_CONFIG})


def search(conn: psycopg.Connection[Any], schema: str, query: str, *,
           language: str | None = None, since: datetime | None = None, limit: int = 20,
           offset: int = 0) -> list[Hit]:
    """Articles matching ``query``, best first (ties: newest first, then id)."""
    if not query.strip():
        raise ReadModelError("search: the query is empty")
    if not 1 <= limit <= MAX_LIMIT:
        raise ReadModelError(f"search: limit must be 1..{MAX_LIMIT}, not {limit}")
    if offset < 0:
        raise ReadModelError(f"search: offset must be >= 0, not {offset}")
    configs = [ts_config_for(language)] if language else _configs_in_use(conn, schema)
    tsquery = sql.SQL(" || ").join(
        sql.SQL("websearch_to_tsquery({}::regconfig, %(q)s)").format(sql.Literal(c))
        for c in configs)
    filters = [sql.SQL("a.search @@ q.tsq")]
    if language:
        filters.append(sql.SQL(
            "lower(split_part(replace(a.language, '_', '-'), '-', 1)) = %(lang)s"))
    if since:
        filters.append(sql.SQL("coalesce(a.published_at, a.ingested_at) >= %(since)s"))
    # Headlines only for the page's rows: ts_headline re-parses the whole body.
    stmt = sql.SQL(
        "WITH q AS (SELECT {tsquery} AS tsq), page AS ("
        " SELECT a.article_id, a.version, a.title, a.url, a.site_name, a.language,"
        " a.published_at, a.body, a.ts_config, ts_rank(a.search, q.tsq) AS rank"
        " FROM {schema}.articles a, q WHERE {filters}"
        " ORDER BY rank DESC, a.published_at DESC NULLS LAST, a.article_id"
        " LIMIT %(limit)s OFFSET %(offset)s)"
        " SELECT p.article_id, p.version, p.title, p.url, p.site_name, p.language,"
        " p.published_at, p.rank, ts_headline(p.ts_config, p.body, q.tsq, %(opts)s)"
        " FROM page p, q ORDER BY p.rank DESC, p.published_at DESC NULLS LAST, p.article_id"
    ).format(tsquery=tsquery, schema=sql.Identifier(schema),
             filters=sql.SQL(" AND ").join(filters))
    lang = (language or "").replace("_", "-").split("-")[0].lower()
    params = {"q": query, "lang": lang, "since": since,
              "limit": limit, "offset": offset, "opts": HEADLINE_OPTIONS}
    return [Hit(str(r[0]), int(r[1]), str(r[2]), r[3], r[4], r[5], r[6], float(r[7]),
                str(r[8])) for r in conn.execute(stmt, params)]
