"""A minimal article for event-store tests (one paragraph; the location decides its identity),
and story paragraphs for normaliser rule tests."""

from __future__ import annotations

from pathlib import Path

from worker.events.models import Article, Source, content_hash
from worker.normalise.article import normalise


def make_article(body: str = "First paragraph.", *, location: str = "/in/a.txt",
                 title: str = "A title", url: str | None = None) -> Article:
    paras = (body,)
    return Article(title=title, body=paras, source=Source(kind="file", location=location),
                   url=url, word_count=len(body.split()), content_hash=content_hash(title, paras))


# A story sentence long enough that the normaliser reads its paragraphs as prose
STORY = ("The council approved the plan on Tuesday after a long debate about the costs of "
         "the project and the needs of the residents who live near the river. ")


def story_html(n: int = 4) -> str:
    """``n`` story paragraphs as <p> elements."""
    return "".join(f"<p>{STORY}Paragraph {k} adds more detail for readers.</p>" for k in range(n))


# The labelled dev set, for rule tests that pin a fixture page's shape
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
RULE_SRC = Source(kind="file", location="/t/page")
STORY_PARAS = "\n\n".join(f"{STORY}Paragraph {k}." for k in range(4))


def text_article(raw: str) -> Article:
    """A plain-text dump normalised, for the normaliser's rule tests."""
    return normalise(raw.encode(), source=RULE_SRC, kind="text")


def page_article(article: str, head: str = "") -> Article:
    """``article`` inside an <article> of a minimal page, normalised."""
    page = f"<html><head>{head}</head><body><article>{article}</article></body></html>"
    return normalise(page.encode(), source=RULE_SRC, kind="html")


def day(article: Article) -> str | None:
    """The article's publication day, "YYYY-MM-DD" (None without a date)."""
    return article.published_at.date().isoformat() if article.published_at else None
