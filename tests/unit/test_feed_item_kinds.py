"""Feed items that are no news story (worker.feeds.item_kinds): each kind skipped on two
agreeing signals, and the stories one signal alone must leave alone."""

from __future__ import annotations

import pytest

from worker.feeds.item_kinds import not_news

SITE = "https://news.example"


@pytest.mark.parametrize(("title", "tags", "url", "why"), [
    ("Vacancy: Environmental Health Officer", ["Jobs"], f"{SITE}/jobs/eho-0524",
     "job advertisement"),
    ("We're hiring: Multimedia Journalist (MMJ)", ["Careers"],
     f"{SITE}/site/careers/were-hiring/article_1.html", "job advertisement"),
    ("Event: Makers' Market at the Corn Exchange", ["Events"], f"{SITE}/whats-on/market",
     "event listing"),
    ("【会員限定セミナー】2025年の北陸経済を読む", ["お知らせ", "イベント"],
     f"{SITE}/events/seminar-2025/", "event listing"),
    ("Enter to win: a family four-pack to Winter Jam", ["Contests"],
     f"{SITE}/contests/winter-jam/a.html", "contest or giveaway"),
    ("Our spring member drive: help us keep the council honest", ["support"],
     f"{SITE}/support/2025/spring-member-drive/", "fundraising appeal"),
    ("MNA English news schedule for Wednesday, May 22", [],
     f"{SITE}/en/advisory/20240522/schedule-1", "coverage schedule"),
    ("FT: Ashford Town 2-1 Kingsmere Rovers", [], f"{SITE}/sport/x", "score alert"),
    ("GOAL! Folkestone Invicta 1-0 Margate (Reid 12)", [], None, "score alert"),
    ("v3.0.0", [], "https://github.example/org/tidecalc/releases/tag/v3.0.0",
     "software release notes"),
    ("1.2", [], "https://gitlab.example/org/app/-/releases/1.2", "software release notes"),
])
def test_items_that_are_no_story_are_named(title: str, tags: list[str], url: str | None,
                                            why: str) -> None:
    assert not_news(title, tags, url) == why


@pytest.mark.parametrize(("title", "tags", "url"), [
    # one signal each: a story filed in the section, or a title that merely starts so
    ("Job fair draws 3,000 to the Corn Exchange", ["Jobs"], f"{SITE}/news/job-fair"),
    ("Council cuts 40 jobs in restructure", ["Council"], f"{SITE}/jobs/council-cuts"),
    ("Win for residents as council drops car park plan", ["Politics"], f"{SITE}/news/win"),
    ("Event organisers fined after festival crush", ["Courts"], f"{SITE}/news/fined"),
    ("Residents donate 2 tonnes of food to the bank", ["Community"], f"{SITE}/news/food"),
    ("Ashford Town 2-1 Kingsmere Rovers: Okafor double lifts Town", ["Football"],
     f"{SITE}/sport/football/report"),
    ("FT editor to step down after 10 years", ["Media"], f"{SITE}/news/ft-editor"),
    # the item's own slug is no section
    ("Jobs report beats forecasts", ["Economy"], f"{SITE}/economy/jobs"),
    # a story about a release is news; only the forge's release page is not
    ("Tidecalc 3.0 released", ["Software"], f"{SITE}/tech/releases/tidecalc-3"),
])
def test_stories_with_one_signal_stay(title: str, tags: list[str], url: str) -> None:
    assert not_news(title, tags, url) is None
