"""Feed items that are no news story (``not_news``): a publisher's job advertisement, event
listing, contest, fundraising appeal, its wire desk's coverage schedule, and a match
centre's automatic score alerts, all posted into the same feed as its stories; and a code
forge's release notes (a project's releases feed: changelogs, no news).

Each kind has three signals: the item's category, a section of its address
(``/jobs/``, ``/whats-on/``) and a marker opening its title ("Vacancy:", "Enter to win:").
One signal is not enough (a story about a job fair is filed under "Jobs"; a story about a
contest may open "Win"): an item is skipped when two signals of one kind agree. A score
alert's title ("FT: Ashford Town 2-1 Kingsmere Rovers") and a release page's address
(``/releases/tag/v3.0.0``) are specific enough on their own.
"""

from __future__ import annotations

import logging
import re
from typing import NamedTuple
from urllib.parse import urlsplit

log = logging.getLogger(__name__)


class _Kind(NamedTuple):
    reason: str
    tags: frozenset[str]  # categories, case-folded
    sections: frozenset[str]  # address path segments (not the item's own slug)
    title: re.Pattern[str]


def _words(spaced: str) -> frozenset[str]:
    return frozenset(w.replace("_", " ") for w in spaced.split())


_KINDS = (
    _Kind("job advertisement",
          _words("jobs job_ads job_offers job_openings vacancies vacancy careers career "
                 "recruitment stellenangebote stellenmarkt empleo ofertas_de_empleo emplois "
                 "offres_d'emploi vagas vagas_de_emprego vacatures lavora_con_noi 求人 "
                 "採用情報 채용"),
          _words("jobs job careers career vacancies vacancy recruitment stellenangebote "
                 "stellenmarkt karriere empleo emploi emplois vagas vacatures lavora-con-noi"),
          re.compile(r"^\W*(?:(?:vacancy|job(?: opening| vacancy| ad)?|career opportunity|"
                     r"stellenangebot|offre d['’]emploi|oferta de empleo|vaga|vacature)"
                     r"\s*[:|–-]|we(?:'|’| a)re hiring\b|now hiring\b|join our team\b)", re.I)),
    _Kind("event listing",
          _words("events event what's_on whats_on what’s_on veranstaltungen événements "
                 "evenements eventos eventi evenementen イベント 행사 活动"),
          _words("events event whats-on what-s-on whatson veranstaltungen evenements "
                 "evenementen eventos eventi"),
          re.compile(r"^\W*(?:(?:event|what['’]?s on|veranstaltung|événement|evento)\s*[:|–-]|"
                     r"[【\[](?:[^】\]]{0,8})(?:セミナー|イベント|ウェビナー)[】\]])", re.I)),
    _Kind("contest or giveaway",
          _words("contests contest giveaways giveaway sweepstakes gewinnspiel gewinnspiele "
                 "concours sorteos sorteo concorsi promoções promocoes"),
          _words("contests contest giveaways giveaway sweepstakes gewinnspiel gewinnspiele "
                 "concours sorteos concorsi"),
          re.compile(r"^\W*(?:enter to win|win\b|giveaway|contest|sweepstakes|gewinnspiel|"
                     r"gewinnen sie|concours|sorteo|concorso)", re.I)),
    _Kind("fundraising appeal",
          _words("support support_us donate donations donation membership members "
                 "member_drive fundraising spenden dons"),
          _words("support donate donation donations membership member-drive join spenden "
                 "dons"),
          re.compile(r"\b(?:member(?:ship)? drive|pledge drive|donate|donation|fundrais\w*|"
                     r"support (?:us|our (?:work|journalism|newsroom)))\b", re.I)),
    _Kind("coverage schedule",
          _words("advisory advisories schedule news_schedule"),
          _words("advisory advisories schedule schedules"),
          re.compile(r"\b(?:news|coverage|story|daily|weekly) (?:schedule|budget|advisory|"
                     r"planner)\b|\b(?:media|press|news) advisory\b", re.I)),
)

# "FT: A 2-1 B", "HT: ...", "GOAL! A 1-0 B (Reid 12)", "Full-time: ..."
_SCORE_ALERT_RE = re.compile(r"^\W*(?:FT|HT|full[- ]time|half[- ]time|GOAL!?)\s*[:!–-]\s*"
                             r".{2,80}?\b\d{1,2}\s*[-–]\s*\d{1,2}\b", re.I)


# A code forge's release page (GitHub, Gitea and Forgejo; GitLab): release notes, no story
_RELEASE_PAGE_RE = re.compile(r"/(?:releases/tag|-/releases)/[^/]+/?$")


def _sections(url: str | None) -> set[str]:
    try:
        path = urlsplit(url or "").path.lower()
    except ValueError:
        return set()
    return set(path.strip("/").split("/")[:-1])  # (the last segment is the item's slug)


def not_news(title: str, tags: list[str], url: str | None) -> str | None:
    """Why the item is no news story (its kind), or None when it may be one."""
    if title[:1] in "FHGfhg" and _SCORE_ALERT_RE.match(title):
        return "score alert"
    if url and "/releases/" in url and _RELEASE_PAGE_RE.search(url.split("?", 1)[0]):
        return "software release notes"
    folded = {" ".join(t.split()).casefold() for t in tags}
    sections = _sections(url)
    for kind in _KINDS:
        signals = (not kind.tags.isdisjoint(folded)) + (not kind.sections.isdisjoint(sections)) \
            + bool(kind.title.search(title))
        if signals >= 2:
            return kind.reason
    return None
