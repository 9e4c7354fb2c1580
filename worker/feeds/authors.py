"""Person names from feed author fields (``clean_authors``): e-mail addresses, "By",
placeholders and role words dropped, lists split, outlets and desks kept out of a list of
people. Every parser's entries go through it (``worker.feeds.entries``).
"""

from __future__ import annotations

import re
import unicodedata

from worker.feeds.entry_rules import unescape_residual

# Agency credit after the writer ("Luke Taylor and agencies"): the agencies are no person.
_AGENCIES_RE = re.compile(r"\s*(?:,|\band\b|\bwith\b|&|\bund\b|\bet\b|\by\b|\be\b)?\s*"
                          r"\b(?:(?:news |wire )?agencies|wires|agences|Agenturen|agencias|agenzie|"
                          r"agências)\s*$", re.IGNORECASE)
# CJK bylines: a role before the name ("记者 陈思远", "本报记者 张伟", "通讯员 李娜") and "、"
# (or a full-width comma) between names.
_CJK_ROLE_RE = re.compile(r"^(?:(?:本报|本刊|特约|实习|首席|新华社|中新社|特派)?"
                          r"(?:记者|記者|通讯员|通訊員|编辑|編輯|撰文)\s*[:：/|]?|(?:文|图|圖)\s*[:：/|\s])\s*(?=[^\x00-\x7f])")
_CJK_SEP_RE = re.compile(r"\s*[、，]\s*|(?<=[\uac00-\ud7a3])\s*[·ㆍ]\s*(?=[\uac00-\ud7a3])|"
                         r"(?<=[\uac00-\ud7a3\u4e00-\u9fff]),\s*(?=[\uac00-\ud7a3\u4e00-\u9fff])")
# Korean bylines end in the role: "김민서 기자" (reporter), "특파원" (correspondent). A middle
# dot joins two names between Hangul only: Japanese writes foreign names with "・". A Latin
# comma between two CJK names ("김민지, 박준호") parts them too.
_KO_ROLE_RE = re.compile(r"\s*(?:선임|수석|객원|전문|인턴)?(?:기자|특파원)$")


def author_parts(value: str) -> list[str]:
    """One author field's names before the Latin-script list rules: agency credits and CJK
    role words dropped, CJK lists split."""
    if value[-1:] in "sSnNeE" and _AGENCIES_RE.search(value):
        value = _AGENCIES_RE.sub("", value)
    if not value or value.isascii():
        return [value]
    return [_KO_ROLE_RE.sub("", _CJK_ROLE_RE.sub("", p)) for p in _CJK_SEP_RE.split(value) if p]

_EMAIL_RE = re.compile(r"[^\s@()<>]+@[^\s@()<>]+\.[^\s@()<>]+")
# (a genre may come first: "Ein Kommentar von ...", "An analysis by ...")
BYLINE_RE = re.compile(r"^(?:(?:an?|ein|eine|une?|un|una)\s+(?:kommentar|analyse|gastbeitrag|"
                       r"glosse|kolumne|essay|commentary|comment|column|analysis|opinion|"
                       r"chronique|tribune|éditorial|commento|analisi|columna)\s+)?"
                       r"(?:(by|written by)|von|par|por|door|av|af|מאת|بقلم)[:\s]\s*",
                       re.IGNORECASE)
# (and Russian/Bulgarian "и", Ukrainian "і"/"та", Turkish "ve", Polish/Croatian "i",
# Hungarian "és", Finnish "ja", Greek "και": "Дмитрий Орлов и Анна Белова"; Hindi "और",
# Bengali "এবং"/"ও", Tamil, Indonesian/Malay "dan", Vietnamese "và", Swahili "na", Tagalog "at")
AND_RE = re.compile(r"\s*(?:;|&|\s(?:and|und|et|y|e|og|och|en|и|і|та|ve|i|és|ja|oraz|και|"
                    r"और|এবং|ও|மற்றும்|dan|và|va|na|at)\s)\s*", re.IGNORECASE)
# "Sam Jones in Madrid": a reporter's location appended to the byline.
_IN_PLACE_RE = re.compile(r"^((?:[A-Z][\w'’.-]*\s+){1,3}[A-Z][\w'’.-]*)\s+in\s+"
                          r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}$")
_PLACEHOLDER_AUTHORS = frozenset({"unknown", "unknown author", "admin", "administrator",
                                  "root", "webmaster", "none", "null", "n/a", "noreply",
                                  "[deleted]", "[removed]",
                                  # site builders' stand-ins for an unset author (Squarespace)
                                  "guest user", "guest author", "default user", "site owner",
                                  "site admin", "site administrator", "blog owner", "user"})
_HANDLE_RE = re.compile(r"^/?u/(?=[\w\[-])")
_ROLE_RE = re.compile(r"\b(?:reporter|correspondent|editor|writer|staff|contributor|columnist|"
                      r"journalist|producer|redakteur\w*|autor\w*|rédact\w*)\b", re.I)


# What ends an outlet's or an office's name, not a person's: "Inland Ledger", "the KXRV
# Newsroom", "National Coastal and Water Agency" ("and" inside it joins no two people).
_ORG_END_RE = re.compile(
    r"\b(?:newsroom|news|staff|desk|team|editors|ledger|times|post|herald|tribune|journal|"
    r"gazette|chronicle|press|radio|media|agency|department|office|ministry|commission|"
    r"council|foundation|institute|university|association|service|bureau|authority|"
    r"administration|company|group|network|wire|redacci[oó]n|r[ée]daction|redaktion)$", re.I)


def _org_like(name: str) -> bool:
    return name[:4].casefold() == "the " or _ORG_END_RE.search(name) is not None


_ACRONYM_RE = re.compile(r"[A-Z]{3,6}(?:[- ][A-Z0-9]{1,4})?")
# Hebrew joins the last name with the prefix "ו" ("and"): "סאמר חורי ונועה ברגר"
_HE_AND_RE = re.compile(r"\s+ו(?=[\u05d0-\u05ea]{2})")


def _names(value: str) -> list[str]:
    """"A, B and C" / "A; B" / "A und B" as names; "Doe, Jane" and "A, Staff Writer" stay.
    An outlet or a desk named beside people ("A, B, and the X Newsroom", "A, Inland Ledger")
    is no author; named alone it is (the only credit the entry has)."""
    parts = [p.strip(" ,") for p in AND_RE.split(value)]
    if len(parts) == 1 and "ו" in value and len(value.split()) >= 4:
        he = _HE_AND_RE.split(value)
        parts = he if len(he) == 2 and all(len(p.split()) >= 2 for p in he) else parts
    # "National Coastal and Water Agency": one name whose own "and" joins no two people
    one_org = len(parts) == 2 and "," not in value and parts[1][:4].casefold() != "the " \
        and _ORG_END_RE.search(parts[1]) is not None
    if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts) and not one_org:
        # a comma after the last "and" ends the names: "A and B, The Associated Press"
        last = parts[-1].split(",")[0].strip() if "," in parts[-1] else parts[-1]
        names = [n.strip() for p in parts[:-1] for n in p.split(",")] + [last]
    else:
        named = [p.strip() for p in value.split(",") if not _ROLE_RE.search(p)]
        if len(named) > 1:  # "Marcus Oyelaran, KAVR": a station's call sign or an acronym
            named = [p for p in named if not _ACRONYM_RE.fullmatch(p)] or named
        names = named if named and all(2 <= len(p.split()) <= 4 for p in named) else [value]
    people = [n for n in names if n and not _org_like(n)]
    return people if people and len(people) < len(names) else names


# arXiv and other BibTeX-fed feeds spell accents in TeX ("Wr\'oblewski", "G{\"o}del",
# "\c{C}elik"). Only these escapes, in author names only: a LaTeX decoder (pylatexenc) would
# be a new dependency for one field, and on these names it gave the same text.
_TEX_ACCENT_RE = re.compile(r"\{?\\([`'^\"~=.]|[cvuHkr](?=[{ ]))\s*\{?([A-Za-z])\}?\}?")
_TEX_MARKS = {"`": "\u0300", "'": "\u0301", "^": "\u0302", "~": "\u0303", "=": "\u0304",
              "u": "\u0306", ".": "\u0307", '"': "\u0308", "r": "\u030a", "H": "\u030b",
              "v": "\u030c", "c": "\u0327", "k": "\u0328"}
_TEX_LETTER_RE = re.compile(r"\{?\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L)(?:\}| (?=\w)|\b)")
_TEX_LETTERS = {"ss": "ß", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
                "o": "ø", "O": "Ø", "l": "ł", "L": "Ł"}


def untex(value: str) -> str:
    """TeX accent escapes in a name as the letters they spell."""
    if "\\" not in value:
        return value
    value = _TEX_ACCENT_RE.sub(
        lambda m: unicodedata.normalize("NFC", m.group(2) + _TEX_MARKS[m.group(1)]), value)
    return _TEX_LETTER_RE.sub(lambda m: _TEX_LETTERS[m.group(1)], value)


_LOGIN_RE = re.compile(r"[a-z0-9][a-z0-9._-]{2,30}")


def is_login(value: str) -> bool:
    """A CMS user name ("jmdelorme"), not the byline's name: lower case, no space."""
    return _LOGIN_RE.fullmatch(value.strip()) is not None


_QUALIFIER_RE = re.compile(r"\s*\((?:now|earlier|later|before|until \w+|from \w+)\)",
                           re.IGNORECASE)
_ROLE_TAIL_RE = re.compile(r"(?<=[a-z]) (?:[A-Z][a-z]+ )?(?:[a-z]+ ){0,2}(?:correspondent|editor|"
                           r"reporter|writer|columnist|critic)$")


def clean_authors(raw: list[str]) -> tuple[str, ...]:
    """Person names from feed author fields: no emails, "By", placeholders; lists split."""
    out: dict[str, str] = {}
    for value in raw:
        # (a live blog's "Ann Lee (now) and Tom Roe (earlier)": the names)
        value = _QUALIFIER_RE.sub("", " ".join(unescape_residual(value).split()))
        # RSS 2.0: "mail@x.com (Name)" (feedparser adds the address again to an Atom name
        # written so: "mail@x.com (Name) (mail@x.com)")
        m = re.fullmatch(r"\S+@\S+\s*\(([^()]+)\)(?:\s*\(\S+@\S+\))?", value)
        value = m.group(1) if m else _EMAIL_RE.sub("", value).strip(" ()<>,")
        value = _HANDLE_RE.sub("", untex(value))  # forum handles: "/u/name" is the user
        if "," not in value:  # "Priya Kaul Home affairs correspondent" (no comma before it)
            value = _ROLE_TAIL_RE.sub("", value)
        head, bar, tail = value.partition(" | ")  # "Marta Ruiz | Laredo": her beat or town
        if bar and len(head.split()) >= 2 and len(tail.split()) <= 3:
            value = head
        m2 = BYLINE_RE.match(value)
        if m2 and (m2.group(1) or len(value[m2.end():].split()) >= 2):
            value = value[m2.end():]
        for name in (n for part in author_parts(value) for n in _names(part)):
            name = _IN_PLACE_RE.sub(r"\1", name).strip()
            if name and name.casefold() not in _PLACEHOLDER_AUTHORS:
                out.setdefault(name.casefold(), name)
    return tuple(out.values())
