"""Feed entry rules added for blind batch ze (pt Drupal 7 with a "Redação" desk, hu Hugo
Atom, ko Ghost, he podcast, id YouTube-like Atom, bg Reddit-like Atom, da WordPress through
FeedBurner, zh Telegram through RSSHub; 51 entries): each rule fires on its case and leaves
the look-alike alone.

Blind: accept 0.796, url 0.973, authors 0.730, first_paragraph 0.838, title and published
1.000 (mean 0.889). After the fixes below: accept 0.816, authors 0.838, first_paragraph
0.946 (mean 0.929); the older feeds unchanged. Left as judgement calls: live-stream and
live-blog slots with no text (an aggregator's "Live: ..." item has no text either, and is
a story), a Reddit user's "/u/" prefix, a Telegram channel's pinned notices and polls, a
tweet-only post's text, an imprint page leaked by Hugo.
"""

from __future__ import annotations

from worker.feeds.authors import clean_authors
from worker.feeds.bylines import entry_authors
from worker.feeds.entry_rules import not_an_article
from worker.feeds.lead_lines import drop_lead_lines


def test_a_desk_credit_gives_way_to_the_byline_over_the_text() -> None:
    assert entry_authors(["Redação"], ["Por Mariana Lopes"], None) == ("Mariana Lopes",)
    assert entry_authors(["Staff"], ["Af Sofie Lund"], None) == ("Sofie Lund",)
    # no byline: the desk is the only credit there is; a person's name stays over a byline
    assert entry_authors(["Redação"], [], None) == ("Redação",)
    assert entry_authors(["Ana Costa"], ["Por Mariana Lopes"], None) == ("Ana Costa",)


def test_cjk_names_parted_by_a_latin_comma() -> None:
    assert clean_authors(["김민지, 박준호"]) == ("김민지", "박준호")
    assert clean_authors(["王伟, 李娜"]) == ("王伟", "李娜")
    assert clean_authors(["Doe, Jane"]) == ("Doe, Jane",)  # (a Latin "Surname, Given" stays)


def test_a_test_post_is_no_article() -> None:
    for title in ("테스트", "Test", "test post", "TESTE"):
        assert not_an_article(None, ["테스트입니다."], title) == "test post", title
    # a story about a test, or a long text under a short title, is one
    assert not_an_article(None, ["The exam board said ..."], "Test results delayed") is None
    assert not_an_article(None, ["x" * 300], "Test") is None


def test_a_read_more_link_in_more_languages_and_a_cjk_title_line() -> None:
    body, _ = drop_lead_lines(["A Tisza vízszintje harminc centiméterrel emelkedett Szegednél, "
                               "de készültségre nincs szükség. Tovább olvasom »"])
    assert body == ["A Tisza vízszintje harminc centiméterrel emelkedett Szegednél, de "
                    "készültségre nincs szükség."]
    title = "【杭州】地铁3号线北延段今日开通"
    story = "杭州地铁3号线北延段于1月14日上午10时正式开通运营，新增车站5座，线路全长约8.3公里。"
    assert drop_lead_lines([title, story], title)[0] == [story]
    # a short line under it is no story going on: the first line stays
    assert drop_lead_lines([title, "图：地铁站"], title)[0] == [title, "图：地铁站"]
