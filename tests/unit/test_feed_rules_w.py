"""Feed entry rules from blind batch w, each through the real entry point: footnote marks and
"Continue reading →" links out of the first paragraph, lone emoji paragraphs skipped, agency
credits and CJK role words out of author lists, feed-proxy links replaced by the permalink
GUID, and the newest of two entries sharing a link kept."""

from __future__ import annotations

from worker.events.models import Article, Source
from worker.feeds.parse import articles_from_feed_bytes
from worker.settings import load_settings

SETTINGS = load_settings()


def feed(body: str) -> list[Article]:
    return articles_from_feed_bytes(body.encode(), source=Source(kind="feed",
                                                                 location="/srv/feed.xml"),
                                    settings=SETTINGS)


def rss(items: str, ns: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"{ns}><channel>'
            f"<title>T</title><link>https://site.example/</link>{items}</channel></rss>")


def item(title: str, body: str, *, link: str = "https://site.example/a", author: str = "",
         extra: str = "", date: str = "Tue, 19 Mar 2024 10:00:00 GMT") -> str:
    who = f"<author>{author}</author>" if author else ""
    return (f"<item><title>{title}</title><link>{link}</link>{who}<pubDate>{date}</pubDate>"
            f"{extra}<description><![CDATA[{body}]]></description></item>")


def test_footnote_marks_are_not_text() -> None:
    body = ('<p>They would rather leave it empty than cut the rent by 5%.<a class="footnote-anchor"'
            ' id="footnote-anchor-1" href="#footnote-1">1</a> Today it is under 1%<sup>[2]</sup>.'
            "</p><p>Next.</p>")
    (art,) = feed(rss(item("Sticky rents", body)))
    assert art.lede == ("They would rather leave it empty than cut the rent by 5%. "
                        "Today it is under 1%.")


def test_read_more_link_is_dropped_but_a_normal_link_stays() -> None:
    body = ('<p>The carrier settled with 12 states over <a href="https://x.example/ads">ads</a> '
            'that promised unlimited data&hellip; <a href="https://site.example/a" '
            'class="more-link">Continue reading <span class="meta-nav">&rarr;</span></a></p>')
    (art,) = feed(rss(item("Settlement", body)))
    assert art.lede == ("The carrier settled with 12 states over ads that promised unlimited "
                        "data…")
    (only,) = feed(rss(item("Ask the desk", '<p><a href="https://site.example/a">'
                                            "Weiterlesen »</a></p>")))
    assert only.body == ("Ask the desk",)  # nothing of its own: the headline stands in


def test_lone_emoji_paragraph_is_not_the_first_paragraph() -> None:
    body = ('<div class="kg-callout-card"><div class="kg-callout-emoji">📝</div>'
            '<div class="kg-callout-text">Last updated March 1, 2024.</div></div>'
            "<p>When we get something wrong, we fix it and say so.</p>")
    (art,) = feed(rss(item("Correction policy", body)))
    assert art.lede == "When we get something wrong, we fix it and say so."


def test_agency_credit_and_cjk_bylines() -> None:
    arts = feed(rss(item("One", "<p>A.</p>", link="https://site.example/1",
                         author="Luke Taylor and agencies")
                    + item("两", "<p>正文。</p>", link="https://site.example/2",
                           author="记者 陈思远")
                    + item("三", "<p>正文。</p>", link="https://site.example/3",
                           author="news@site.example (王晓明、刘洋)")
                    + item("四", "<p>正文。</p>", link="https://site.example/4", author="文静")))
    assert [a.authors for a in arts] == [("Luke Taylor",), ("陈思远",), ("王晓明", "刘洋"),
                                         ("文静",)]


def test_feed_proxy_link_gives_way_to_the_permalink_guid() -> None:
    ns = ' xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"'
    proxy = "http://feedproxy.google.com/~r/Site/~3/abc/"
    arts = feed(rss(
        item("With origLink", "<p>A.</p>", link=proxy + "a.html",
             extra='<guid isPermaLink="false">tag:site,1</guid>'
                   "<feedburner:origLink>https://site.example/a.html</feedburner:origLink>")
        + item("Without", "<p>B.</p>", link=proxy + "b.html",
               extra="<guid>https://site.example/b.html</guid>")
        + item("Plain", "<p>C.</p>", link="https://other.example/c.html",
               extra="<guid>https://site.example/c.html</guid>"), ns))
    assert [a.url for a in arts] == ["https://site.example/a.html", "https://site.example/b.html",
                                     "https://other.example/c.html"]


def test_a_link_listed_twice_keeps_the_newest_copy() -> None:
    link = "https://blog.example/posts/jsonb"
    arts = feed(rss(item("JSONB is 3x faster", "<p>Comments</p>", link=link,
                         date="Tue, 19 Mar 2024 13:42:08 +0000")
                    + item("Other story", "<p>B.</p>", link="https://x.example/b")
                    + item("JSONB: benchmarks", "<p>Comments</p>", link=link,
                           date="Tue, 19 Mar 2024 08:02:19 +0000")))
    assert [a.title for a in arts] == ["JSONB is 3x faster", "Other story"]
    # undated or in date order: the later copy still wins (an updated entry)
    arts = feed(rss(item("Old", "<p>A.</p>", link=link, date="Tue, 19 Mar 2024 08:00:00 GMT")
                    + item("New", "<p>A.</p>", link=link, date="Tue, 19 Mar 2024 09:00:00 GMT")))
    assert [a.title for a in arts] == ["New"]
