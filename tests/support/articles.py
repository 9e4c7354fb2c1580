"""A minimal article for event-store tests (one paragraph; the location decides its identity),
and story paragraphs for normaliser rule tests."""

from __future__ import annotations

from worker.events.models import Article, Source, content_hash


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
