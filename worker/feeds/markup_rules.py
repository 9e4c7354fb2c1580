"""Entry markup that no reader sees (``clean_entry_markup``): WordPress shortcodes the feed
left unrendered, elements an e-mail hides (a newsletter's preheader), a player's fallback
and an aside's box; and the texts of an entry's headings and of a newsletter's contents
list (``heading_texts``), which are never its first paragraph.
"""

from __future__ import annotations

import html as htmllib
import re

from worker.feeds.cms_markup import clean_cms_markup, lead_note_texts

# WordPress shortcodes ("[caption id=...]...[/caption]", "[vc_row]", "[adinserter block=”3″]")
# reach feeds when a plugin does not render them. A bracketed word is a shortcode when the
# entry also closes it ("[/vc_row]"), it has attributes ("name=..."), or its name has an
# underscore; "[mehr]", "[sic]", "[link]" and "[Photo]" are none of these and stay.
_OPEN_RE = re.compile(r"\[(/?)([a-z][a-z0-9_-]{1,40})((?:\s[^\[\]]{0,600})?)/?\]")
_CLOSE_RE = re.compile(r"\[/([a-z][a-z0-9_-]{1,40})\]")
# Shortcodes whose content is an image's caption or an embedded address, never text
_INNER_RE = re.compile(r"\[(caption|wp_caption|embed|video|audio|playlist)\b[^\]]{0,600}\]"
                       r".{0,3000}?\[/\1\]", re.DOTALL)
_ATTR_RE = re.compile(r"\w=")


def strip_shortcodes(value: str) -> str:
    """``value`` without WordPress shortcode syntax (the text a shortcode wraps stays,
    except an image caption's or an embed's)."""
    if "[" not in value or not _OPEN_RE.search(value):
        return value
    closed = set(_CLOSE_RE.findall(value))
    if closed:
        value = _INNER_RE.sub(" ", value)

    def drop(m: re.Match[str]) -> str:
        name, attrs = m.group(2), m.group(3)
        if name in closed or "_" in name or _ATTR_RE.search(attrs):
            return " "
        return m.group(0)

    return _OPEN_RE.sub(drop, value)


# An element an e-mail hides from view (a Mailchimp preheader: display:none in its style)
_HIDDEN_RE = re.compile(r"<(span|div|p|td)\b[^>]*\bstyle\s*=\s*[\"'][^\"']*display\s*:\s*none"
                        r"[^>]*>.{0,2000}?</\1\s*>", re.IGNORECASE | re.DOTALL)


def drop_hidden(markup: str) -> str:
    """Markup without the elements its own styles hide."""
    if "none" not in markup or "display" not in markup:
        return markup
    return _HIDDEN_RE.sub(" ", markup)


# What a player shows a browser without audio/video support (WordPress' audio shortcode
# falls back to a link whose text is the file's address), and an <aside> (related links,
# a newsletter or donation box, a pull quote): never the story's text.
_ASIDE_RE = re.compile(r"<(aside|audio|video)\b[^>]*>.{0,4000}?</\1\s*>",
                       re.IGNORECASE | re.DOTALL)


def drop_asides(markup: str) -> str:
    """Markup without <aside>, <audio> and <video> elements and what they hold."""
    low = markup.lower()
    if "<aside" not in low and "<audio" not in low and "<video" not in low:
        return markup
    return _ASIDE_RE.sub(" ", markup)


def clean_entry_markup(markup: str) -> str:
    return clean_cms_markup(drop_asides(drop_hidden(strip_shortcodes(markup))))


_HEADING_RE = re.compile(r"<h([1-6])\b[^>]*>(.{0,400}?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]*>")


# "In today's edition:" over a list of the stories
_CONTENTS_LIST_RE = re.compile(
    r"(?:in (?:today['’]s|this|this week['’]s|tonight['’]s) (?:edition|issue|newsletter|"
    r"e-?mail|briefing)|in this issue|inside today|what['’]s inside|today['’]s (?:stories|"
    r"headlines|rundown)|heute im newsletter|in dieser ausgabe|au sommaire|dans ce numéro|"
    r"in questo numero|en esta edición)\W{0,3}(?:</?(?:strong|b|em|p|span|div|h[1-6])\b[^>]*>"
    r"\s*){0,6}<(ul|ol)\b[^>]*>(.{0,4000}?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_ITEM_RE = re.compile(r"<li\b[^>]*>(.*?)(?=<li\b|$)", re.IGNORECASE | re.DOTALL)


def _spaced(fragment: str) -> str:
    return " ".join(htmllib.unescape(_TAG_RE.sub(" ", fragment)).split())


_ALT_RE = re.compile(r"<img\b[^>]*?\balt=(['\"])([^'\"<>]{12,300})\1", re.IGNORECASE)


def heading_texts(markup: str | None) -> frozenset[str]:
    """The texts, spaced, of the markup's headings (h1-h6), of the items of a
    newsletter's contents list ("In today's edition:"), of the italic notes over the
    story (``lead_note_texts``) and of its images' alt texts."""
    if not markup:
        return frozenset()
    low = markup.lower()
    found: set[str] = set(lead_note_texts(markup))
    if "<h" in low:
        found.update(_spaced(m.group(2)) for m in _HEADING_RE.finditer(markup))
    if "<li" in low:
        for m in _CONTENTS_LIST_RE.finditer(markup):
            found.update(_spaced(i) for i in _ITEM_RE.findall(m.group(2)))
    if "<img" in low:  # an image's alt text repeated as its caption over the story
        found.update(_spaced(m.group(2)) for m in _ALT_RE.finditer(markup))
    found.discard("")
    return frozenset(found)
