"""Feed entries -> articles on the blind feed set (floors), and one test per entry rule.

The floors sit just below what ``tools/eval_feeds.py`` scores today on
tests/fixtures/feeds/blind (written before the feed code was read): a rule that regresses
any field by more than one entry fails here.

Batch u (the ten ``u_*`` feeds: Google Alerts, Reddit-like and YouTube-like Atom, ja RDF,
JSON Feed link/podcast mix, RSS 0.91, ...) has floors of its own. Blind, before any fix:
accept 0.922, title 1.000, url 0.906, published 1.000, authors 0.943, first_paragraph
0.981 (mean 0.959). After the fixes (worker/feeds/entry_rules.py, JSON Feed link-only
items): every field 1.000; the 20 older feeds unchanged (url 0.986, the rest 1.000).

Batch w (the eight ``w_*`` feeds: AP-like Atom, FeedBurner, Ghost, Guardian-like, HN-like,
HTML in titles, Substack, zh) has floors of its own. Blind, before any fix: accept 1.000,
title 0.980, url 0.980, published 0.980, authors 0.940, first_paragraph 0.900 (mean
0.963). After the fixes (footnote marks and read-more links, emoji-only paragraphs, agency
credits and CJK bylines, feed-proxy links, a link listed twice newest first): every field
1.000; the 30 older feeds unchanged (url 0.992, the rest 1.000).

Batch x (the eight ``x_*`` feeds: arXiv listing, es regional paper with media captions, fr
WordPress/Yoast, government Atom with xml:base, ko paper in KST, Mastodon account, podcast
with sponsor reads, public radio with several authors) has floors of its own. Blind, before
any fix: accept 0.895, title 1.000, url 1.000, published 0.980, authors 0.686,
first_paragraph 0.627 (mean 0.865). After the fixes (worker/feeds/lead_lines.py,
worker/feeds/authors.py, paid-content categories, a social account's holder as author):
accept 0.947 (a podcast's trailer episode skipped), published 0.980, the rest 1.000 (mean
0.988); left: three items a reader may not want (a member drive, a withdrawn preprint, an
image-only post) and a date with no offset in a feed written in KST. The 38 older feeds
unchanged.

Batch y (the eight ``y_*`` feeds: BBC-like, German paywall brand and "Anzeige", Dev.to-like,
Hebrew, a local aggregator with <source>, micro.blog JSON Feed 1.1, Telegram through RSSHub,
Tumblr reblogs). Blind, before any fix: accept 0.952, title 0.915, url 1.000, published
1.000, authors 0.830, first_paragraph 0.792 (mean 0.915). After the fixes (media tags and
paywall brands off titles, a first line repeating the title, a forwarded post's source, a
leading heading or code block, an outlet line under the byline, Hebrew bylines and "ו"
lists, call signs beside names, ads marked with an erid): accept 0.984, authors 0.906,
first_paragraph 0.962, the rest 1.000 (mean 0.975). Left: Tumblr reblog attribution, and an
aggregator's <source> as the only credit (the older Google News fixture wants no author
there).

Batch za (the eight ``za_*`` feeds: Squarespace, it WordPress with raw shortcodes, fr regional
paper with media captions, de broadcaster teaser list, en-IN daily, uk Yandex full text,
journal TOC in RSS 1.0, Mailchimp archive). Blind, before any fix: accept 0.712, title 1.000,
url 0.929, published 1.000, authors 0.833, first_paragraph 0.405 (mean 0.813). After the
fixes (worker/feeds/markup_rules.py, lead_furniture.py, bylines.py, entry_fields.py, more
item kinds and paid-content labels): url 0.929, the rest 1.000 (mean 0.988). Left: the
Mailchimp links' query order (see BATCH_FLOORS). The older feeds unchanged but for one more
right rejection (x: an image-only post whose only text was its photo's caption).

Batch zb (the eight ``zb_*`` mainstream feeds: US BLOX regional, Google News pt-BR topic, ja
broadcaster, tr WordPress/Yoast, es wire, ru WordPress Atom, UK JSON Feed, AU broadcaster).
Blind: accept 0.965, title 0.981, authors 0.792, first_paragraph 0.906, the rest 1.000 (mean
0.941). After the fixes (author lists in more languages, <aside>/<audio>/<video> markup,
developing-story notices, opinion disclaimers, channel pitches, programme trails and filed
advertorials, an aggregator's <source> credited when no person is): every field 1.000. The
<source> credit follows the majority of the labels (y, zb): gnews_aggregator, which wants
none for the same shape, loses its three authors; y_local_aggregator_sources gains three.

Batch zc (``zc_*``: WordPress via FeedBurner, Ghost, Substack, Drupal, jekyll, FetchRSS, Hugo,
beehiiv). Blind: accept 0.941, first_paragraph 0.556, the rest 1.000 (mean 0.916). After the
fixes (worker/feeds/cms_markup.py and furniture, item kinds): every field 1.000.
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import ModuleType

import pytest

from tests.conftest import load_tool
from worker.events.models import Article, Source
from worker.feeds.authors import clean_authors
from worker.feeds.entries import _entry_url, _is_link_list, clean_title
from worker.feeds.entry_rules import unescape_residual
from worker.feeds.lead_lines import drop_lead_lines
from worker.feeds.parse import articles_from_feed_bytes, parse_feed
from worker.normalise.feed_dates import parse_feed_date, parse_rfc822, parse_w3dtf
from worker.settings import Settings, load_settings

SETTINGS = load_settings()
# accept, authors: zd's Google News outlets and ze's judgement calls (test_feed_rules_ze.py)
FLOORS = {"accept": 0.975, "title": 0.98, "url": 0.97, "published": 0.98, "authors": 0.965,
          "first_paragraph": 0.98}


def _eval_tool() -> ModuleType:
    return load_tool("eval_feeds")  # type: ignore[no-any-return]


def test_blind_feed_set_scores_stay_above_floors() -> None:
    per_file, overall = _eval_tool().score_dir()
    assert len(per_file) >= 14
    low = {f: round(v, 3) for f, v in overall.items() if v < FLOORS[f]}
    assert not low, f"fields below their floors: {low} (floors {FLOORS})"


# Per batch: its file count and floors. u (~55 entries a field) and w (~50): one miss stays
# at or above 0.98, two fall below it. x: accept sits at 0.947 (three judgement calls left).
# y: authors and first paragraphs keep the Tumblr misses. z: accept keeps one judgement
# call (a results-only list); title keeps the publisher's "[VIDEO]", which the converter-tag
# rule takes off (batch y's "[Photo]" wanted it off). za: url keeps the three Mailchimp
# campaign links whose label wants the query in its own order (u= before id=); canonical URLs
# sort parameters (docs/identity.md#canonical-urls), both keep u= and id=.
BATCH_FLOORS = {
    "u": (10, dict.fromkeys(FLOORS, 0.98)),
    "w": (8, dict.fromkeys(FLOORS, 0.98)),
    "x": (8, {**dict.fromkeys(FLOORS, 0.98), "accept": 0.92, "published": 0.97}),
    "y": (8, {**dict.fromkeys(FLOORS, 0.98), "accept": 0.97, "authors": 0.89,
              "first_paragraph": 0.94}),
    "z": (8, {**dict.fromkeys(FLOORS, 0.98), "title": 0.97}),
    "za": (8, {**dict.fromkeys(FLOORS, 0.97), "url": 0.92}),
    "zb": (8, dict.fromkeys(FLOORS, 0.98)),  # all 1.000; nothing left (57 entries)
    # zc: all 1.000, 45-51 entries a field (0.97 lets one miss by). Left as judgement calls:
    # an italic collaboration credit stays a post's first line (older labels), an italic
    # newsletter pitch or series note goes; a paper's "Agenda :" listings are a story.
    "zc": (8, dict.fromkeys(FLOORS, 0.97)),
    # zd: the Google News outlets, credited as y and zb want; ze: test_feed_rules_ze.py
    "zd": (8, {**dict.fromkeys(FLOORS, 0.97), "authors": 0.86}),
    "ze": (8, {**dict.fromkeys(FLOORS, 0.95), "accept": 0.79, "authors": 0.81, "url": 0.94,
               "first_paragraph": 0.91}),  # (one entry under today's scores)
    # zf: test_feed_rules_zf.py; accept keeps the "Watch:" video page (55 entries)
    "zf": (8, {**dict.fromkeys(FLOORS, 0.97), "accept": 0.96}),
    "zg": (8, dict.fromkeys(FLOORS, 0.97)),  # test_feed_rules_zg.py; all 1.000 (56 entries)
}


@pytest.mark.parametrize("batch", sorted(BATCH_FLOORS))
def test_blind_batch_scores_stay_above_floors(batch: str) -> None:
    n_files, floors = BATCH_FLOORS[batch]
    tool = _eval_tool()
    settings = Settings(input_roots=[])
    files = [p for p in tool.feed_files(tool.DEFAULT_DIR) if p.name.startswith(f"{batch}_")]
    assert len(files) == n_files
    counts = [tool.score_file(p, settings) for p in files]
    rates = {f: sum(c[f][0] for c in counts) / sum(c[f][1] for c in counts) for f in FLOORS}
    low = {f: round(v, 3) for f, v in rates.items() if v < floors[f]}
    assert not low, f"batch {batch} fields below their floors: {low} (floors {floors})"


def test_streaming_path_scores_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    from worker.feeds import rss_stream as feedfast

    tool = _eval_tool()
    _, slow = tool.score_dir()
    monkeypatch.setattr(feedfast, "MIN_BYTES", 0)  # plain RSS 2.0 files now stream
    _, fast = tool.score_dir()
    assert fast == slow


def feed(body: str, *, location: str = "/srv/feed.xml") -> list[Article]:
    return articles_from_feed_bytes(body.encode(), source=Source(kind="feed", location=location),
                                    settings=SETTINGS)


def rss(items: str, head: str = "") -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0" '
            'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">'
            f"<channel><title>Site</title>{head}{items}</channel></rss>")


# --- dates ------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "want"), [
    ("Fri, 08 Mar 2024 23:30:00 CET", "2024-03-08T22:30:00"),  # zone names beyond RFC 822
    ("Sun, 10 Mar 2024 12:00:00 AEDT", "2024-03-10T01:00:00"),
    ("4 Mar 2024 17:45:00 GMT", "2024-03-04T17:45:00"),  # no weekday
    ("Sat, 09 Mar 24 07:00:00 Z", "2024-03-09T07:00:00"),  # two-digit year
    ("Thu, 07 Mar 2024 12:00 EDT", "2024-03-07T16:00:00"),  # no seconds
    ("Mo, 04 Mär 2024 18:30:00 +0100", "2024-03-04T17:30:00"),  # German names
    ("mer., 06 mars 2024 11:00:00 +01:00", "2024-03-06T10:00:00"),  # French, colon offset
    ("Wed, 11 Mar 2024 16:20:00 +0000", "2024-03-11T16:20:00"),  # wrong weekday: digits win
])
def test_rfc822_dates(raw: str, want: str) -> None:
    got = parse_rfc822(raw)
    assert got is not None and got.replace(tzinfo=None).isoformat() == want
    assert got.tzinfo == UTC


@pytest.mark.parametrize("raw", ["Fri, 08 Mar 2024 23:30:00 XYZT", "2024-03-08T10:00:00Z",
                                 "31 Foo 2024 10:00:00 GMT", "32 Mar 2024 10:00:00 GMT",
                                 "01 Mar 2024 10:00:00 +9999"])
def test_rfc822_leaves_other_shapes_to_the_general_parsers(raw: str) -> None:
    assert parse_rfc822(raw) is None


def test_entry_date_falls_back_to_feedparser_and_the_page_parser() -> None:
    assert parse_feed_date("2024-03-10T06:00:00+09:00") == datetime(2024, 3, 9, 21, tzinfo=UTC)
    assert parse_feed_date("Fri, 08 Mar 2024 23:30:00 XYZT") is not None  # feedparser's guess
    assert parse_feed_date("") is None and parse_feed_date(None) is None



@pytest.mark.parametrize(("raw", "want"), [
    ("2024-03-10T12:00:00.987Z", "2024-03-10T12:00:00"),  # whole seconds, as feedparser
    ("2024-03-10T12:00:00-05:00", "2024-03-10T17:00:00"),
    ("2024-03-10 12:00", "2024-03-10T12:00:00"),
    ("2024-03", "2024-03-01T00:00:00"),
])
def test_rfc3339_dates_read_as_feedparser_reads_them(raw: str, want: str) -> None:
    got = parse_w3dtf(raw)
    assert got is not None and got.replace(tzinfo=None).isoformat() == want
    assert got.tzinfo == UTC
    assert parse_feed_date(raw) == got


@pytest.mark.parametrize("raw", ["2024/03/10 10:00:00", "Sun, 10 Mar 24", " 2024-03-10",
                                 "2024-03-10T12:00:00+0530", "2024-13-01"])
def test_rfc3339_leaves_other_shapes_to_the_general_parsers(raw: str) -> None:
    assert parse_w3dtf(raw) is None


def test_streaming_path_hands_other_date_shapes_to_feedparser(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from worker.feeds import rss_stream as feedfast
    from worker.feeds.parse import open_feed

    body = rss("<item><title>A story</title><link>https://e.com/a</link>"
               "<pubDate>2024/03/10 10:00:00 -0700</pubDate><description>Words.</description>"
               "</item>").encode()
    source = Source(kind="feed", location="https://feeds.example.com/f.xml")
    slow = parse_feed(body, source=source, settings=SETTINGS).articles
    monkeypatch.setattr(feedfast, "MIN_BYTES", 0)
    stream = open_feed(body, source=source, settings=SETTINGS)
    assert not isinstance(stream._entries, feedfast.FastRss)  # fell back to feedparser
    assert parse_feed(body, source=source, settings=SETTINGS).articles == slow


# --- links ------------------------------------------------------------------------------

def test_redirect_wrappers_are_unwrapped_to_the_article() -> None:
    wrapped = ("http://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&url=https%3a%2f%2f"
               "news.example.org%2fa%2fstory%3fid%3d7&c=1")
    assert _entry_url(wrapped, "") == "https://news.example.org/a/story?id=7"
    # a url= parameter on the same host, or not an address, is just a parameter
    same = "https://a.example/share?url=https://a.example/x"
    # (the canonical form percent-encodes query values one way: courlan's clean_query)
    assert _entry_url(same, "") == "https://a.example/share?url=https%3A%2F%2Fa.example%2Fx"
    assert _entry_url("https://a.example/s?u=abc", "") == "https://a.example/s?u=abc"


def test_feed_tracking_parameters_are_dropped() -> None:
    assert _entry_url("https://medium.com/@a/post-1f2e?source=rss-9a8b------2", "") == \
        "https://medium.com/@a/post-1f2e"
    assert _entry_url("https://x.example/a.html?ref=rss&id=4", "") == "https://x.example/a.html?id=4"
    # courlan counts every ref= as a tracker (docs/identity.md#canonical-urls)
    assert _entry_url("https://x.example/a?ref=homepage&p=2", "") == "https://x.example/a?p=2"


def test_link_choice_origlink_alternate_guid_and_relative() -> None:
    arts = feed(rss(
        "<item><title>Wrapped one</title><link>http://feeds.feedburner.com/~r/x/~3/abc/one</link>"
        "<feedburner:origLink>https://site.example/one</feedburner:origLink>"
        "<description>Body one.</description></item>"
        '<item><title>Guid only</title><guid isPermaLink="false">https://site.example/?p=2'
        "</guid><description>Body two.</description></item>"
        "<item><title>Relative</title><link>/news/three</link><description>Body three."
        "</description></item>",
        head="<link>https://site.example/</link>"))
    assert [a.url for a in arts] == ["https://site.example/one", "https://site.example/?p=2",
                                     "https://site.example/news/three"]
    # identity still names the feed file, not the site
    assert arts[2].source.location.startswith("/srv/feed.xml#")


def test_atom_prefers_the_html_alternate_in_the_feeds_language() -> None:
    atom = ('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>T</title>'
            "<author><name>Feed Writer</name></author><entry><id>tag:x,1</id><title>One</title>"
            '<link rel="self" href="https://x.example/one.atom"/>'
            '<link rel="alternate" hreflang="fr" type="text/html" href="https://x.example/fr/un"/>'
            '<link rel="alternate" hreflang="en" type="text/html" href="https://x.example/one"/>'
            "<updated>2024-01-01T00:00:00Z</updated><summary>Text.</summary></entry></feed>")
    (art,) = feed(atom)
    assert art.url == "https://x.example/one"
    assert art.authors == ("Feed Writer",)  # Atom entries inherit the feed's authors


def test_json_feed_id_that_is_an_address_is_the_url() -> None:
    doc = ('{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": '
           '"https://j.example/p/1", "title": "T", "content_text": "Body.", '
           '"external_url": "https://elsewhere.example/"}]}')
    (art,) = articles_from_feed_bytes(doc.encode(), source=Source(kind="feed", location="j"),
                                      settings=SETTINGS)
    assert art.url == "https://j.example/p/1"


# --- titles and bodies --------------------------------------------------------------------

def test_double_escaped_entities_are_decoded() -> None:
    assert unescape_residual("CEO&#8217;s &quot;bet&quot; &amp;amp; more") == 'CEO’s "bet" & more'
    assert unescape_residual("AT&T and R&D") == "AT&T and R&D"
    (art,) = feed(rss("<item><title>Johnson &amp;amp; Johnson</title><link>https://a.example/1"
                      "</link><description>&amp;lt;p&amp;gt;Shares rose 14&amp;#37;.&amp;lt;/p"
                      "&amp;gt;</description></item>"))
    assert art.title == "Johnson & Johnson" and art.body == ("Shares rose 14%.",)


def test_aggregator_titles_lose_the_publisher_and_link_lists_are_no_body() -> None:
    blurb = ('&lt;a href="https://news.example/a"&gt;Wind auction draws record bids&lt;/a&gt;'
             '&amp;nbsp;&amp;nbsp;&lt;font color="#6f6f6f"&gt;Reuters&lt;/font&gt;')
    (art,) = feed(rss("<item><title>Wind auction draws record bids - Reuters</title>"
                      f"<link>https://news.example/a</link><description>{blurb}</description>"
                      '<source url="https://reuters.example">Reuters</source></item>'))
    assert art.title == "Wind auction draws record bids"
    assert art.body == ("Wind auction draws record bids",)  # headline only, no publisher


def test_link_list_detection() -> None:
    assert _is_link_list('<a href="x">Headline one here</a>&nbsp;<font>Site</font>')
    assert not _is_link_list('<p>The council voted on <a href="x">the plan</a> on Monday.</p>')
    roundup = "".join(f'<li><a href="{i}">Headline number {i} about a long topic here</a> via X'
                      "</li>" for i in range(12))
    assert not _is_link_list(f"<ul>{roundup}</ul>")  # a long round-up is a post


@pytest.mark.parametrize(("title", "source", "site", "want"), [
    ("Live: Storm hits coast - latest - The Guardian", "The Guardian", None,
     "Live: Storm hits coast - latest"),
    ("Review: the new phone | Gadget Blog", None, "Gadget Blog - Reviews",
     "Review: the new phone"),
    ("Spider-Man - Homecoming", None, "Movies", "Spider-Man - Homecoming"),
    ("Rates - Reuters", "Reuters", None, "Rates - Reuters"),  # one word would be left
    ("<b>Exclusive:</b> deal &amp;amp; more", None, None, "Exclusive: deal & more"),
])
def test_clean_title(title: str, source: str | None, site: str | None, want: str) -> None:
    assert clean_title(title, source, site) == want


def test_empty_content_falls_back_to_the_summary() -> None:
    (art,) = feed(rss('<item><title>Video</title><link>https://v.example/1</link>'
                      "<description>The mayor explains the new budget.</description>"
                      '<content:encoded><![CDATA[<iframe src="https://v.example/e"></iframe>]]>'
                      "</content:encoded></item>"))
    assert art.body == ("The mayor explains the new budget.",)


def test_leading_byline_and_timestamp_lines_are_not_the_first_paragraph() -> None:
    body, byline = drop_lead_lines(["By Jane Doe, Staff Writer", "Updated: 10:32 a.m. EST",
                                     "The council met on Tuesday."])
    assert body == ["The council met on Tuesday."] and byline == ["By Jane Doe, Staff Writer"]
    kept = ["By the time polls closed, the count was done.", "More."]
    assert drop_lead_lines(kept) == (kept, [])
    (art,) = feed(rss("<item><title>T</title><link>https://b.example/1</link><content:encoded>"
                      "<![CDATA[<p>By Jane Doe</p><p>The council met on Tuesday.</p>]]>"
                      "</content:encoded></item>"))
    assert art.body == ("The council met on Tuesday.",) and art.authors == ("Jane Doe",)


# --- authors ------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "want"), [
    (["newsdesk@wire.example (David Morgan)"], ("David Morgan",)),
    (["Jane Doe <jane@x.example>"], ("Jane Doe",)),
    (["jane@x.example"], ()),
    (["By Francesco Canepa"], ("Francesco Canepa",)),
    (["Von Lena Schäfer"], ("Lena Schäfer",)),
    (["Von Trier"], ("Von Trier",)),
    (["Rachel Adeyemi and Tom Becker"], ("Rachel Adeyemi", "Tom Becker")),
    (["Alice Smith, Bob Jones and Carol White"], ("Alice Smith", "Bob Jones", "Carol White")),
    (["Sam Jones in Madrid"], ("Sam Jones",)),
    (["Jane Doe, Staff Writer"], ("Jane Doe",)),
    (["Doe, Jane"], ("Doe, Jane",)),
    (["Procter & Gamble"], ("Procter & Gamble",)),
    (["Unknown"], ()), (["admin"], ()),
    (["Ann Lee", "ann lee"], ("Ann Lee",)),
])
def test_clean_authors(raw: list[str], want: tuple[str, ...]) -> None:
    assert clean_authors(raw) == want


def test_podcast_channel_author_is_inherited_but_not_the_managing_editor() -> None:
    items = ("<item><title>Ep 1</title><link>https://p.example/1</link><description>Notes."
             "</description></item>")
    (pod,) = feed(rss(items, head="<itunes:author>The Show Team</itunes:author>"
                                  "<itunes:owner><itunes:name>Owner</itunes:name></itunes:owner>"))
    assert pod.authors == ("The Show Team",)
    (news,) = feed(rss(items, head="<managingEditor>ed@n.example (Ed Itor)</managingEditor>"))
    assert news.authors == ()


def test_new_rules_keep_the_streaming_path_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    from worker.feeds import rss_stream as feedfast

    raw = rss("<item><title>Title &amp;amp; more | Site</title><link>/rel/1</link>"
              "<dc:creator>By Jo Writer and Al Other</dc:creator>"
              "<pubDate>Fri, 08 Mar 2024 23:30:00 CET</pubDate>"
              "<description>Summary text.</description><content:encoded><![CDATA[<img src=x>]]>"
              '</content:encoded></item><item><guid isPermaLink="false">https://s.example/?p=2'
              "</guid><title>Two</title><description>Body &amp;amp; soul</description></item>",
              head="<link>https://s.example/</link>").encode()

    def dump() -> object:
        p = parse_feed(raw, source=Source(kind="feed", location="/srv/f.rss"), settings=SETTINGS)
        return [a.model_dump() for a in p.articles]

    slow = dump()
    monkeypatch.setattr(feedfast, "MIN_BYTES", 0)
    assert dump() == slow
    first = slow[0]  # type: ignore[index]
    assert first["title"] == "Title & more" and first["url"] == "https://s.example/rel/1"
    assert first["authors"] == ("Jo Writer", "Al Other")
    assert first["body"] == ("Summary text.",)
