"""Deterministic synthetic inputs: ~3 KB news articles, HTML pages, big RSS feeds.

Built from a word list with a seeded RNG so every article is distinct (distinct content
hashes, so the store really appends) yet the same across runs.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

_TEXT = (
    "government minister said on Friday that the new policy would take effect next month "
    "after months of talks between officials industry groups and unions the agency reported "
    "growth in exports while analysts expected the central bank to keep interest rates "
    "unchanged amid concerns about inflation and slowing demand in Europe and Asia "
    "shares rose in early trading as investors weighed earnings from technology companies "
    "police said the incident happened late on Thursday near the city centre and an "
    "investigation was under way residents told reporters they heard several loud bangs "
    "the company plans to cut costs and hire engineers for its battery plant in the north"
)
_WORDS = _TEXT.split()
_PLACES = ["LONDON", "BEIJING", "WASHINGTON", "PARIS", "BERLIN", "TOKYO", "NAIROBI", "LIMA"]
_NAMES = ["Anna Keller", "David Osei", "Mei Lin", "Carlos Ruiz", "Sara Novak", "Tom Hughes"]
_BASE = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(12, 24))
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int = 3) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _title(rng: random.Random, i: int) -> str:
    return f"{' '.join(rng.choices(_WORDS, k=7)).capitalize()} ({i})"


def paragraphs_for(i: int, target_bytes: int = 3300) -> tuple[str, list[str], random.Random]:
    rng = random.Random(i)
    title = _title(rng, i)
    paras: list[str] = []
    size = 0
    while size < target_bytes - 400:
        p = _paragraph(rng, rng.randint(2, 4))
        paras.append(p)
        size += len(p) + 2
    return title, paras, rng


def text_article(i: int, target_bytes: int = 3300) -> bytes:
    """A plain-text dump like a copied news page: title, byline, dateline, paragraphs."""
    title, paras, rng = paragraphs_for(i, target_bytes)
    when = _BASE + timedelta(minutes=i)
    place = rng.choice(_PLACES)
    lines = [title, "", f"By {rng.choice(_NAMES)}", when.strftime("%B %d, %Y %H:%M UTC"), "",
             f"{place} (Reuters) - {paras[0]}", ""]
    for p in paras[1:]:
        lines += [p, ""]
    return "\n".join(lines).encode()


def html_page(i: int, target_bytes: int = 3300) -> bytes:
    """A news page with furniture (nav, share bar, related links, footer) around the story."""
    title, paras, rng = paragraphs_for(i, target_bytes)
    when = (_BASE + timedelta(minutes=i)).isoformat()
    author = rng.choice(_NAMES)
    nav = "".join(f'<li><a href="/section/{w}">{w.title()}</a></li>'
                  for w in ("world", "business", "tech", "sport", "culture", "opinion"))
    related = "".join(f'<li><a href="/news/{i}-{k}">{escape(_title(rng, k))}</a></li>'
                      for k in range(5))
    body = "".join(f"<p>{escape(p)}</p>\n" for p in paras)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(title)} | Daily Bench</title>
<meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="Daily Bench">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{when}">
<link rel="canonical" href="https://news.example.com/world/{i}">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{}}</script>
</head><body>
<header><nav><ul>{nav}</ul></nav><div class="cookie">We use cookies. Accept all</div></header>
<main><article>
<h1>{escape(title)}</h1>
<div class="byline">By <span class="author">{author}</span> <time datetime="{when}">{when}</time>
</div>
<div class="share">Share on Facebook Share on X Email</div>
{body}
</article>
<aside><h2>Related</h2><ul>{related}</ul></aside></main>
<footer><p>&copy; 2024 Daily Bench. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>""".encode()


def rss_feed(n: int, *, feed_no: int = 0, para_bytes: int = 300) -> bytes:
    """An RSS 2.0 feed with ``n`` items (HTML descriptions of about ``para_bytes``)."""
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
           f"<title>Bench feed {feed_no}</title><link>https://feed{feed_no}.example.com/</link>",
           "<description>benchmark feed</description><language>en</language>"]
    for k in range(n):
        i = feed_no * 10_000_000 + k
        rng = random.Random(i)
        title = _title(rng, i)
        desc = ""
        while len(desc) < para_bytes:
            desc += f"<p>{escape(_paragraph(rng, 2))}</p>"
        when = format_datetime(_BASE + timedelta(seconds=k))
        out.append(f"<item><title>{escape(title)}</title>"
                   f"<link>https://feed{feed_no}.example.com/a/{k}</link>"
                   f'<guid isPermaLink="false">bench-{feed_no}-{k}</guid>'
                   f"<pubDate>{when}</pubDate>"
                   f"<description>{escape(desc)}</description></item>")
    out.append("</channel></rss>\n")
    return "\n".join(out).encode()


def write_text_files(root: Path, n: int, start: int = 0, target_bytes: int = 3300) -> list[str]:
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        p = root / f"a{i:07d}.txt"
        p.write_bytes(text_article(i, target_bytes))
        paths.append(str(p))
    return paths
