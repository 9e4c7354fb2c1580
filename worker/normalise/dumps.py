"""Traits of particular text-dump formats: the metadata header an extraction tool writes over
the story (trafilatura's ``---`` block, newspaper3k's "Authors:" / "Publish date:" lines),
and reader comments pasted under the story without any comments head.

A module of its own so the plain-text classifier (``plaintext``) stays one screenful shorter.
"""

from __future__ import annotations

import logging
import re

from worker.normalise.textparts import Line, TextParts

log = logging.getLogger(__name__)

# "title: ...", "date: 2025-06-12": one key per line between two "---" lines
_FRONT_KEY_RE = re.compile(r"^([a-z][a-z _-]{0,20}):[ \t]*(.*)$", re.IGNORECASE)
# newspaper3k's print-out: "Authors: ['Sam Keller']", "Publish date: 2025-08-04 00:00:00"
_N3K_RE = re.compile(r"^(authors|publish date):[ \t]*(.*)$", re.IGNORECASE | re.MULTILINE)
_QUOTED_RE = re.compile(r"'([^']+)'|\"([^\"]+)\"")


def _value(parts: TextParts, key: str, value: str) -> None:
    key = key.lower().strip()
    value = value.strip().strip("'\"")
    if not value or value.lower() in ("none", "null", "[]"):
        return
    if key == "title" and not parts.title:
        parts.title = value
    elif key in ("date", "published", "publish date", "pubdate") and not parts.date_lines:
        parts.date_lines.append(value)
    elif key in ("author", "authors"):
        names = [a or b for a, b in _QUOTED_RE.findall(value)] if value[:1] == "[" else \
            [n.strip() for n in re.split(r";|,| and ", value)]
        parts.authors.extend(n for n in names if n and n not in parts.authors)
    elif key in ("sitename", "site_name", "site") and not parts.site_name:
        parts.site_name = value


def _site_off(parts: TextParts) -> None:
    """The header's title without the site name it repeats: "Headline | Site" (the page's
    <title>, where the header has no headline of its own); with no site name in the header,
    a short name after the last " | " is one."""
    for sep in (" | ", " - ", " – ", " — "):
        if parts.title and parts.site_name and parts.title.endswith(sep + parts.site_name):
            parts.title = parts.title[: -len(sep + parts.site_name)].strip()
            return
    head, bar, tail = (parts.title or "").rpartition(" | ")
    if bar and not parts.site_name and len(tail.split()) <= 4 and len(head.split()) >= 3:
        parts.title, parts.site_name = head.strip(), tail.strip()


# Mailchimp's plain-text part marks a heading "** Heading" over a rule of dashes
_MC_HEAD_RE = re.compile(r"^\*\* ([^\n]+)\n-{20,}[ \t]*$", re.MULTILINE)


# A scraper's labelled print-out: "TITLE: ...", "AUTHORS: [...]", "PUBLISH DATE: ...",
# "SUMMARY:" (sentences of the story, repeated) and "TEXT:" over the story itself
_LABEL_RE = re.compile(r"^(url|title|authors?|publish(?:ed)? date|date|top image|keywords|"
                       r"summary|meta description|text)[ \t]*:[ \t]*(.*)$",
                       re.IGNORECASE | re.MULTILINE)
_TEXT_LABEL_RE = re.compile(r"^text[ \t]*:[ \t]*", re.IGNORECASE | re.MULTILINE)


def _labelled_dump(text: str, parts: TextParts) -> str | None:
    """The story under a labelled print-out's "TEXT:" line, its labels read into ``parts``;
    None when ``text`` is no such print-out (a title label first, a text label within
    8,000 characters)."""
    m = _TEXT_LABEL_RE.search(text, 0, 8000)
    labels = list(_LABEL_RE.finditer(text, 0, m.start())) if m else []
    if m is None or not any(x.group(1).lower() == "title" for x in labels[:3]):
        return None
    for x in labels:
        _value(parts, x.group(1).replace("PUBLISH", "publish"), x.group(2))
    return text[m.end():]


# A chat app's mark on an edited message (Slack, Discord), at the end of its last line
_EDITED_RE = re.compile(r"[ \t]+\((?:edited|bearbeitet|modifié|editado|modificato|bewerkt|"
                        r"edytowano|изменено)\)[ \t]*$", re.MULTILINE)


def _reader_header(text: str, parts: TextParts) -> str:
    """Jina Reader's header ("Title:", "URL Source:", "Published Time:", "Markdown Content:"
    over the page): the title is the page's <title>, so its headline part (before " | Section
    | Site") is taken when the page repeats it on a line of its own. The rest goes on."""
    end = text.find("\nMarkdown Content:", 0, 3000)
    nl = text.find("\n")
    title = text[len("Title:") : nl].strip()
    body = text[text.find("\n", end + 1) + 1 :]
    for head in dict.fromkeys((title.split(" | ")[0].strip(), title)):
        if len(head) >= 10 and re.search(rf"^(?:#+ +)?{re.escape(head)}[ \t]*$", body[:20000],
                                         re.MULTILINE):
            parts.title = head
            break
    # ("Published Time:" stays: a date line, read like the page's own)
    return "\n".join(x for x in text[nl + 1 : end].splitlines()
                     if not x.startswith("URL Source:")) + "\n" + body


# A chat app's export, one message a line: WhatsApp's "[14:33, 12-3-2025] Marieke: ..." and
# Android's "12/03/2025, 14:33 - Marieke: ..." (a message's further lines carry no prefix)
_CHAT_LINE_RE = re.compile(r"^(?:\[\d{1,2}:\d\d(?::\d\d)?,? \d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\]|"
                           r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4},? \d{1,2}:\d\d(?: [AP]M)? -) "
                           r"([^:\n]{1,40}): ", re.MULTILINE)


def chat_story(text: str) -> str | None:
    """A story shared in a chat export: the longest message, with the messages its sender
    posted just before it (the forwarded headline and link); the chat around it goes."""
    starts = list(_CHAT_LINE_RE.finditer(text[:200_000]))
    if len(starts) < 3 or starts[0].start() > 0:
        return None
    ends = [m.start() for m in starts[1:]] + [len(text)]
    msgs = [(m.group(1), text[m.end():end].strip("\n"))
            for m, end in zip(starts, ends, strict=True)]
    k = max(range(len(msgs)), key=lambda i: len(msgs[i][1]))
    if len(msgs[k][1]) < 500:
        return None  # a conversation, not a shared story
    j = k
    while j > 0 and msgs[j - 1][0] == msgs[k][0]:
        j -= 1
    return "\n".join(body for _, body in msgs[j:k + 1])


# A Telegram channel's web view copied as text: each post closes with its views and time
# ("👁 12.3K  14:32"); a story split over posts says so ("(sigue 👇)", "(continued)")
_POST_END_RE = re.compile(r"^\s*👁\s*[\d.,]+\s?[KkMm]?\s+\d{1,2}:\d\d\s*$", re.MULTILINE)
_GOES_ON_RE = re.compile(r"\((?:sigue|continúa|contin[uú]a|continued|cont\.|suite|fortsetzung|"
                         r"segue|продолжение)\b[^)\n]{0,8}\)\s*$", re.IGNORECASE)


def channel_story(text: str) -> str | None:
    """The story a channel relays: its longest post, with the posts it says go on from it
    (its "(sigue 👇)" line dropped); the channel's other posts go."""
    ends = list(_POST_END_RE.finditer(text[:200_000]))
    if len(ends) < 3:
        return None
    starts = [0] + [m.end() for m in ends]
    posts = [text[a:m.start()].strip("\n") for a, m in zip(starts, ends, strict=False)]
    k = max(range(len(posts)), key=lambda i: len(posts[i]))
    if len(posts[k]) < 500:
        return None
    story = [posts[k]]
    while k + 1 < len(posts) and _GOES_ON_RE.search(story[-1]):
        story[-1] = _GOES_ON_RE.sub("", story[-1]).rstrip()
        k += 1
        story.append(posts[k])
    return "\n\n".join(story)


def tool_header(text: str, parts: TextParts) -> str:
    """Take an extraction tool's metadata header off the top of a dump into ``parts`` (its
    keys are the page's own metadata, never story text) and return the rest; a newsletter's
    plain-text headings as plain lines; a chat app's "(edited)" marks dropped."""
    if any(w in text for w in ("(edit", "(bearb", "(modif", "(bewerkt", "(edyt", "(измен")):
        text = _EDITED_RE.sub("", text)
    if "** " in text:
        text = _MC_HEAD_RE.sub(r"\1", text)
    if text[:1] == "[" or text[:1].isdigit():
        text = chat_story(text) or text
    if "👁" in text:
        text = channel_story(text) or text
    if text[:6] == "Title:" and "\nMarkdown Content:" in text[:3000]:
        return _reader_header(text, parts)
    _reader_view(text, parts)
    head = text[:8].lstrip()
    if head.startswith("---"):
        start = text.index("---")
        first = text.find("\n", start)
        end = text.find("\n---", first)
        if first < 0 or end < 0 or end - first > 2000:
            return text
        rows = [r for r in text[first + 1 : end].splitlines() if r.strip()]
        matches = [_FRONT_KEY_RE.match(r) for r in rows]
        if not rows or not all(matches) or not any(
                m and m.group(1).lower() in ("title", "date", "author") for m in matches):
            return text
        for m in matches:
            if m:
                _value(parts, m.group(1), m.group(2))
        _site_off(parts)
        close = text.find("\n", end + 1)
        return text[close + 1 :] if close >= 0 else ""
    if ("TEXT:" in text[:8000] or "Text:" in text[:8000]) \
            and (story := _labelled_dump(text, parts)) is not None:
        _site_off(parts)
        return story
    if "date:" not in text[:1000] and "uthors:" not in text[:1000]:
        return text
    top = text[:1000]
    found = list(_N3K_RE.finditer(top))
    if not found:
        return text
    for m in found:
        _value(parts, m.group(1), m.group(2))
    _site_off(parts)
    # the lines go; the headline above them stays for the title picker
    return _N3K_RE.sub("", top) + text[1000:]


# Firefox Reader View copied as text: the site's domain, the headline, the byline (when the
# page has one) and the reading time in the browser's language ("5–6 minutes", "4–5 λεπτά")
_DOMAIN_RE = re.compile(r"^(?:[\w-]+\.)+[a-z]{2,24}$")
_READING_TIME_RE = re.compile(r"^\d{1,3}(?:\s?[–-]\s?\d{1,3})?\s?\w{1,12}$")


def _reader_view(text: str, parts: TextParts) -> None:
    if "." not in text[:80]:
        return
    head = [ln.strip() for ln in text[:1500].lstrip("\n").split("\n", 5)[:4]]
    if len(head) == 4 and _DOMAIN_RE.match(head[0]) and len(head[1].split()) >= 3 \
            and any(_READING_TIME_RE.match(t) for t in head[2:4]):
        parts.title = head[1]


_HANDLE_RE = re.compile(r"^@\w{2,30}\b")
_QUOTE_MARKS = frozenset('"“”„«»')


# An editor's sign-off closing a story: initials, then agency or editor codes ("jkl/dpa/AFP",
# "mrc/dpa", "(rzp/idn)")
_SIGN_OFF_RE = re.compile(r"^\(?[a-zäöüß]{2,5}(?:/[A-Za-z]{2,8}){1,3}\)?$")
_NOT_SIGN_OFF = frozenset(("and/or", "und/oder", "et/ou", "y/o", "e/o", "en/of", "och/eller"))


def sign_off(t: str) -> bool:
    return len(t) <= 24 and "/" in t and bool(_SIGN_OFF_RE.match(t)) and t not in _NOT_SIGN_OFF


def signed_end(lines: list[Line], a: int, b: int) -> int:
    """The story ends at its sign-off line when most of its prose is above it: what follows
    (reader comments a tool appended, a tag list) is no story. Returns the new last line."""
    for k in range(b, a, -1):
        if sign_off(lines[k].text):
            above = sum(x.words for x in lines[a:k] if x.prose)
            below = sum(x.words for x in lines[k + 1 : b + 1] if x.prose)
            return k - 1 if below < above else b
    return b


def reader_comments(lines: list[Line], a: int, b: int) -> int:
    """Reader comments pasted under the story with no head: a closing run of short one-line
    paragraphs, one of them a reply to a handle ("@dkramer The payroll tax, mostly."), under
    the story's longer paragraphs (or under its sign-off). Returns the story's new last line."""
    k = b = signed_end(lines, a, b)
    while k > a and lines[k].words <= 22 and not lines[k].kind \
            and not _QUOTE_MARKS.intersection(lines[k].text):
        k -= 1
    run = lines[k + 1 : b + 1]
    if len(run) < 3 or not any(_HANDLE_RE.match(x.text) for x in run):
        return b
    story = [x.words for x in lines[a : k + 1] if x.prose]
    if len(story) < 3 or sum(story) / len(story) < 30:
        return b
    return k
