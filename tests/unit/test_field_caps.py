"""Every text field an article carries has a cap (worker/events/limits.py, docs/security.md
"Article field caps"), applied on every input path: text, HTML file, JSON (files and API
uploads take these paths) and feed items. Before, a 10 MB feed title was stored whole."""

from __future__ import annotations

import orjson

from worker.events import limits
from worker.events.models import Article, Image, Source, content_hash
from worker.feeds.parse import articles_from_feed_bytes
from worker.normalise.article import normalise
from worker.settings import load_settings

BODY = ("The council approved the new budget on Tuesday after a long debate about "
        "schools, roads and the harbour. ") * 3
HUGE = "Headline " * 1_200_000  # ~10.8 MB
LONG_URL = "https://news.example/" + "a" * 3000


def within_caps(a: Article) -> None:
    assert len(a.title) <= limits.TITLE_CHARS
    assert a.lede is None or len(a.lede) <= limits.LEDE_CHARS
    assert len(a.authors) <= limits.AUTHORS_MAX
    assert all(len(x) <= limits.AUTHOR_CHARS for x in a.authors)
    assert len(a.tags) <= limits.TAGS_MAX and all(len(t) <= limits.TAG_CHARS for t in a.tags)
    assert a.url is None or len(a.url) <= limits.URL_CHARS
    assert a.site_name is None or len(a.site_name) <= limits.SITE_NAME_CHARS
    assert len(a.images) <= limits.IMAGES_MAX
    assert all(len(i.src) <= limits.URL_CHARS and len(i.caption or "") <= limits.CAPTION_CHARS
               for i in a.images)
    assert len(a.source.location) <= limits.LOCATION_CHARS
    assert a.content_hash == content_hash(a.title, a.body)


def test_cut_is_at_a_word_boundary_and_idempotent() -> None:
    text = "word " * 200
    once = limits.cut(text, 101)
    assert len(once) <= 101 and once.endswith("word…") and limits.cut(once, 101) == once
    assert limits.cut("short", 10) == "short"
    assert len(limits.cut("x" * 50, 10)) == 10  # no space: cut anyway


def test_json_input_every_field_capped() -> None:
    doc = {"title": HUGE, "text": BODY, "authors": [f"Writer {i} " + "x" * 300
                                                    for i in range(100)],
           "tags": [f"tag{i}-" + "t" * 200 for i in range(200)], "url": LONG_URL,
           "site_name": "S" * 1000, "description": "D" * 10_000,
           "image_url": "https://news.example/" + "i" * 3000}
    a = normalise(orjson.dumps(doc), source=Source(kind="file", location="/in/a.json"))
    within_caps(a)
    assert a.title.startswith("Headline Headline") and a.title.endswith("…")
    assert a.url is None and a.images == ()  # too long to keep: dropped, never cut
    assert len(a.authors) == limits.AUTHORS_MAX and len(a.tags) == limits.TAGS_MAX


def test_html_input_capped() -> None:
    html = (f"<html><head><title>{HUGE[:2_000_000]}</title>"
            f'<link rel="canonical" href="{LONG_URL}"></head><body><article>'
            f"<h1>{HUGE[:2_000_000]}</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>")
    a = normalise(html.encode(), source=Source(kind="file", location="/in/a.html"))
    within_caps(a)


def test_text_input_capped() -> None:
    text = f"{'Title words ' * 100_000}\n\n{BODY}\n\n{BODY}"
    a = normalise(text.encode(), source=Source(kind="text", location="t" * 10_000))
    within_caps(a)
    # a long location keeps its start and a hash of the whole (it may be the identity)
    assert "#sha256:" in a.source.location and a.source.location.startswith("tttt")


def test_feed_item_capped() -> None:
    items = "".join(
        f"<item><title>{HUGE if i == 0 else 'Short title'}</title>"
        f"<link>{LONG_URL if i == 1 else f'https://news.example/{i}'}</link>"
        f"<guid>g{i}</guid><description>{BODY}</description>"
        + "".join(f"<category>{'c' * 300}{k}</category>" for k in range(80))
        + "</item>" for i in range(2))
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
            f'{items}</channel></rss>')
    arts = articles_from_feed_bytes(feed.encode(), source=Source(kind="feed", location="/in/f.xml"),
                                    settings=load_settings())
    assert len(arts) == 2
    for a in arts:
        within_caps(a)
    assert arts[0].title.endswith("…") and len(arts[0].title) <= limits.TITLE_CHARS
    assert arts[1].url is None  # identity falls back to <feed>#<guid>


def test_capped_returns_the_same_article_when_within_caps() -> None:
    a = Article(title="T", body=("b",), source=Source(kind="file", location="/x"),
                images=(Image(src="https://e/x.jpg", caption="c"),),
                content_hash=content_hash("T", ("b",)))
    assert limits.capped(a) is a
