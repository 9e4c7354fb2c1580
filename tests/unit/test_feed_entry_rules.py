"""Feed entry rules from blind batch u (worker.feeds.entry_rules), each through the real
entry point: link-post targets, the same story twice, injected ads, image-only and removed
posts, source-wrapped lines, link-only JSON Feed items, forum handles as authors."""

from __future__ import annotations

import pytest

from worker.errors import NotAnArticle
from worker.events.models import Article, Source
from worker.feeds.entry_rules import unwrap_source_lines
from worker.feeds.parse import articles_from_feed_bytes
from worker.settings import load_settings

SETTINGS = load_settings()


def feed(body: str, *, location: str = "/srv/feed.xml") -> list[Article]:
    return articles_from_feed_bytes(body.encode(), source=Source(kind="feed", location=location),
                                    settings=SETTINGS)


def atom(entries: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            '<title>T</title><link rel="alternate" href="https://forum.example/r/city/"/>'
            f"{entries}</feed>")


def entry(ident: str, title: str, link: str, content: str, author: str = "Ann Lee") -> str:
    return (f"<entry><id>{ident}</id><title>{title}</title><link href=\"{link}\"/>"
            f"<author><name>{author}</name></author>"
            "<published>2024-03-06T10:00:00Z</published>"
            f'<content type="html">{content}</content></entry>')


def link_post(target: str, user: str = "/u/someone") -> str:
    """A forum's link post: the entry links to its comments; "[link]" names the article."""
    return ("&lt;table&gt;&lt;tr&gt;&lt;td&gt; submitted by &lt;a href=&quot;https://forum."
            f"example/user/x&quot;&gt; {user} &lt;/a&gt; &lt;br/&gt;&lt;span&gt;&lt;a href="
            f"&quot;{target}&quot;&gt;[link]&lt;/a&gt;&lt;/span&gt; &lt;span&gt;&lt;a href="
            "&quot;https://forum.example/c/1&quot;&gt;[comments]&lt;/a&gt;&lt;/span&gt;"
            "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;")


def test_link_post_url_is_the_link_target_and_reposts_are_duplicates() -> None:
    arts = feed(atom(
        entry("t3_a", "Bridge closes in May", "https://forum.example/c/a",
              link_post("https://news.example/bridge?utm_source=forum&amp;amp;utm_medium=x"),
              author="/u/first_poster")
        + entry("t3_b", "Self post", "https://forum.example/c/b",
                "&lt;p&gt;Council meets tonight.&lt;/p&gt;" + link_post("https://forum.example/c/b"))
        + entry("t3_c", "Bridge  closes in May", "https://forum.example/c/c",
                link_post("https://news.example/bridge"))))  # a repost of the first
    assert [a.url for a in arts] == ["https://news.example/bridge", "https://forum.example/c/b"]
    assert arts[0].authors == ("first_poster",)  # a forum handle without its /u/ prefix


def test_same_link_different_titles_still_share_no_url() -> None:
    arts = feed(atom(entry("1", "Live: day one", "https://x.example/live", "One.")
                     + entry("2", "Live: day two", "https://x.example/live", "Two.")))
    assert [a.url for a in arts] == [None, None]  # two stories: neither claims the page


def test_alert_redirects_to_one_article_are_one_entry() -> None:
    wrap = ("https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://news.example/a"
            "&amp;ct=ga&amp;usg={}")
    arts = feed(atom(entry("g1", "Wind &lt;b&gt;lease&lt;/b&gt; auction", wrap.format("AAA"),
                           "Body one.")
                     + entry("g2", "Wind &lt;b&gt;lease&lt;/b&gt; auction", wrap.format("BBB"),
                             "Body one.")))
    assert [(a.url, a.source.location) for a in arts] == [("https://news.example/a",
                                                           "/srv/feed.xml#g1")]


def test_image_only_and_removed_posts_are_not_articles() -> None:
    arts = feed(atom(entry("i", "Flooding right now", "https://forum.example/c/i",
                           link_post("https://img.example/8f2k.jpeg"))
                     + entry("r", "Anyone hear that?", "https://forum.example/c/r",
                             "&lt;div&gt;&lt;p&gt;[removed]&lt;/p&gt;&lt;/div&gt; submitted by "
                             "/u/[deleted]", author="/u/[deleted]")
                     + entry("k", "Kept", "https://forum.example/c/k", "Words.")))
    assert [a.title for a in arts] == ["Kept"]
    # a picture with words of its own is still a post
    (art,) = feed(atom(entry("p", "Photo", "https://img.example/p.png", "What we saw today.")))
    assert art.body == ("What we saw today.",)
    with pytest.raises(NotAnArticle):
        feed(atom(entry("r", "Gone", "https://forum.example/c/r", "[deleted]")))


RDF = ('<?xml version="1.0" encoding="UTF-8"?><rdf:RDF xmlns="http://purl.org/rss/1.0/" '
       'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
       'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://n.example/rss">'
       "<title>N</title><link>https://n.example/</link></channel>{}</rdf:RDF>")


def rdf_item(title: str, link: str, subject: str = "") -> str:
    subj = f"<dc:subject>{subject}</dc:subject>" if subject else ""
    return (f'<item rdf:about="{link}"><title>{title}</title><link>{link}</link>'
            f"<description>Text of {title}.</description>{subj}</item>")


def test_injected_ads_are_dropped_but_a_marker_alone_is_not_enough() -> None:
    arts = feed(RDF.format(
        rdf_item("PR: 今なら初月無料", "https://ad.example.jp/click?cid=1")  # off-site
        + rdf_item("【PR】 New app", "https://n.example/a/2", subject="PR")  # filed as an ad
        + rdf_item("PR: firms brace for the new lobbying law", "https://n.example/a/3")
        + rdf_item("Sponsored story picks", "https://other.example/a/4")))
    assert [a.url for a in arts] == ["https://n.example/a/3", "https://other.example/a/4"]


def test_source_wrapped_lines_are_one_paragraph() -> None:
    xhtml = ('<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>A table with\n'
             "      400 million rows stops using its indexes.</p>\n<p>Then this.</p>"
             "<pre>line 1\nline 2</pre></div></content>")
    body = atom(f"<entry><id>1</id><title>Vacuum</title>{xhtml}</entry>")
    (art,) = feed(body)
    assert art.body[:2] == ("A table with 400 million rows stops using its indexes.", "Then this.")
    assert unwrap_source_lines("Plain\ntext\n\nno markup") == "Plain\ntext\n\nno markup"
    assert unwrap_source_lines("<p>a\n\nb</p><pre>x\ny</pre>") == "<p>a\n\nb</p><pre>x\ny</pre>"


def test_json_feed_link_only_item_is_the_linked_article() -> None:
    doc = ('{"version": "https://jsonfeed.org/version/1.1", "items": ['
           '{"id": "https://j.example/links/1", "title": "Paper goes nonprofit",'
           ' "external_url": "https://news.example/nonprofit?utm_source=newsletter"},'
           '{"id": "https://j.example/p/2", "title": "Comment", "content_text": "My view.",'
           ' "external_url": "https://news.example/other"}]}')
    arts = articles_from_feed_bytes(doc.encode(), source=Source(kind="feed", location="j"),
                                    settings=SETTINGS)
    # no text of its own: the item is the link; with commentary it is the item's own page
    assert [a.url for a in arts] == ["https://news.example/nonprofit", "https://j.example/p/2"]


def test_one_title_linking_the_front_page_is_not_one_story() -> None:
    arts = feed(atom(entry("d1", "Morning briefing", "https://x.example/", "Monday's news.")
                     + entry("d2", "Morning briefing", "https://x.example/", "Tuesday's news.")))
    assert [a.body for a in arts] == [("Monday's news.",), ("Tuesday's news.",)]
