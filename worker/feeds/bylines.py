"""Who wrote a feed entry (``entry_authors``): its author fields, else the byline over its
text, else the name a newsletter is signed with (``drop_sign_off``).
"""

from __future__ import annotations

import re

from worker.feeds.authors import AND_RE, BYLINE_RE, clean_authors, is_login


def byline_names(line: str) -> str:
    """The names of a byline over the text, without the outlet, desk or role after them:
    "Von Lea Hartmann und Ömer Yıldız, RN-Investigativ" -> "Lea Hartmann und Ömer Yıldız",
    "Ein Kommentar von Henrik Sommer, RN, Landesstudio Kiel" -> "Henrik Sommer". A comma
    before the last "and" separates names ("By A, B and C"); one after it ends them."""
    m = BYLINE_RE.match(line)
    rest = line[m.end():] if m else line
    joins = list(AND_RE.finditer(rest))
    start = joins[-1].end() if joins else 0
    cut = rest.find(",", start)
    return rest[:cut].strip() if cut > 0 else rest.strip()


# A newsroom's collective credit ("Ledger staff", "Staff"): no person
_STAFF_RE = re.compile(r"^(?:[\w.'’&-]+\s+){0,3}staff$", re.IGNORECASE)


# A newsroom's desk credit in the author field ("Redação", "Staff"): the byline over the
# text names the people
_DESK_RE = re.compile(r"^\s*(?:redação|redacción|redacció|redaktion|rédaction|redazione|"
                      r"redactie|redakcja|redakce|szerkesztőség|toimitus|redaksjonen|"
                      r"redaktionen|staff|newsroom|news desk|editorial|web desk)\s*$",
                      re.IGNORECASE)


def entry_authors(raw: list[str], byline: list[str], signed: str | None,
                  source: str | None = None) -> tuple[str, ...]:
    """The entry's author fields, unless they are only CMS logins, placeholders ("Guest
    User") or a desk ("Redação", "Staff") over a byline: then the byline over the text, then
    the newsletter's sign-off. An aggregator's
    item (its ``source``: the outlet it comes from) that names no person, or only a staff
    credit, is credited to that outlet."""
    named = () if byline and all(is_login(r) or _DESK_RE.match(r) for r in raw) \
        else clean_authors(raw)
    if len(named) > 1 and not all(_DESK_RE.match(n) for n in named):
        named = tuple(n for n in named if not _DESK_RE.match(n))  # (a desk beside people)
    if not named and byline:
        named = clean_authors([byline_names(b) for b in byline])
    named = named or (clean_authors([signed]) if signed else ())
    if source and all(_STAFF_RE.match(n) for n in named):
        return clean_authors([source]) or named
    return named


# A newsletter's sign-off ("See you tomorrow,", "Thanks for reading,") over the editor's
# name and role on the next line ("Dana Whitfield, Editor").
_SIGN_OFF_RE = re.compile(
    r"^(?:see you (?:tomorrow|next week|soon|then|on \w+)|thanks? (?:you )?(?:for reading|so "
    r"much)?|thank you|cheers|best(?: wishes)?|all the best|warmly|until (?:next time|tomorrow|"
    r"next week)|talk (?:soon|tomorrow)|take care|yours|bis (?:morgen|bald|nächste woche)|"
    r"à (?:demain|bientôt)|a presto|hasta mañana)\s*[,!.]?$", re.IGNORECASE)
_NAME_LINE_RE = re.compile(r"^((?:[A-ZÀ-Ý][\w'’.-]+\s){1,3}[A-ZÀ-Ý][\w'’.-]+)(?:,\s*[\w ]{2,40})?$")


def drop_sign_off(body: list[str]) -> tuple[list[str], str | None]:
    """The body without a sign-off near its end, and the name it is signed with."""
    for i in range(max(1, len(body) - 4), len(body) - 1):
        if len(body[i]) <= 40 and _SIGN_OFF_RE.match(body[i]) \
                and (m := _NAME_LINE_RE.match(body[i + 1])):
            return body[:i] + body[i + 2:], m.group(1)
    return body, None
