"""The hostile-input corpus and its settings (a small file cap, confined to an input root, no
fetch allow-list); shared by tests/integration/test_hostile.py, which runs each input through
the task code in-process, and tests/e2e/test_hostile.py, which sends the batch to a real worker.
"""

from __future__ import annotations

import gzip
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from worker.settings import Settings

MAX_FILE = 64 * 1024
PASSWD_MARKERS = ("root:x:0:0", "/bin/bash", "/usr/sbin/nologin", "daemon:")
BODY = ("The council met on Tuesday to discuss the new budget for the coming year. "
        "Members argued about road repairs, school funding and the library hours.")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "in"
    r.mkdir()
    return r


@pytest.fixture
def settings(make_settings: Callable[..., Settings], root: Path) -> Settings:
    """Small file cap, confined to ``root``; no fetch allow-list (SSRF rules in force)."""
    return make_settings(input_roots=[root], max_file_bytes=MAX_FILE, fetch_allow_hosts=[],
                         fetch_deadline_s=1.0, fetch_timeout_s=2.0, max_body_bytes=256 * 1024)


def _billion_laughs(root_tag: bytes) -> bytes:
    ents = b"".join(b'<!ENTITY l%d "%s">' % (i, (b"&l%d;" % (i - 1)) * 10) for i in range(1, 10))
    return (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">' + ents + b"]>" + root_tag)


XXE_DTD = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
XXE_PARAM = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> '
             b"%p;]>")
rng = random.Random(9)

# name, file name, bytes, expectation: "reject" (any RejectedInput), a code, or "any"
# (a clean article is as good as a clear refusal: e.g. UTF-16 without BOM may be decoded).
FILES: list[tuple[str, str, bytes, str]] = [
    ("empty", "a.txt", b"", "empty"),
    ("whitespace", "a.txt", b"  \n\t\r\n \x0b\x0c ", "empty"),
    ("only-nuls", "a.txt", b"\0" * 4096, "reject"),
    ("png", "a.txt", b"\x89PNG\r\n\x1a\n" + rng.randbytes(300), "binary"),
    ("zip", "a.txt", b"PK\x03\x04" + rng.randbytes(300), "binary"),
    ("elf", "a", b"\x7fELF\x02\x01\x01" + rng.randbytes(300), "binary"),
    ("gzip", "a.txt", gzip.compress(BODY.encode()), "reject"),
    ("pdf", "a.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + rng.randbytes(300), "reject"),
    ("random", "a.txt", rng.randbytes(4096), "reject"),
    ("html-binary", "a.html", rng.randbytes(4096), "reject"),
    ("huge", "a.txt", b"word " * (MAX_FILE // 5 + 10), "too_large"),
    ("huge-feed", "a.xml", b"<rss>" + b"x" * MAX_FILE + b"</rss>", "too_large"),
    ("invalid-utf8", "a.txt", b"Budget row\n\n" + BODY.encode() + b" \xc3\x28 \xa0\xa1 \xff",
     "any"),
    ("mixed-encodings", "a.txt", "Caf\u00e9 budget\n\n".encode() + BODY.encode("latin-1")
     + " na\u00efve d\u00e9j\u00e0".encode("latin-1"), "any"),
    ("utf16-le-no-bom", "a.txt", ("Budget row\n\n" + BODY).encode("utf-16-le"), "any"),
    ("utf16-be-no-bom", "a.txt", ("Budget row\n\n" + BODY).encode("utf-16-be"), "any"),
    ("utf32-no-bom", "a.txt", ("Budget row\n\n" + BODY).encode("utf-32-le"), "any"),
    ("nul-in-text", "a.txt", ("Budget row\n\n" + BODY).encode().replace(b" ", b"\0 ", 5),
     "any"),
    ("control-chars", "a.txt", b"Budget\x1b[31m row\x07\n\n" + BODY.encode() + b"\x1b]0;x\x07",
     "any"),
    ("zero-width-only", "a.txt", "\u200b\u200c\u200d\ufeff\u2060 \u00ad\n".encode() * 50,
     "reject"),
    ("bidi-override", "a.txt", ("\u202eBudget row\u202c\n\n" + BODY).encode(), "any"),
    ("long-line", "a.txt", b"x" * 60_000, "any"),
    ("nested-divs-100k", "a.html",
     b"<html><body>" + b"<div>" * 100_000 + b"<p>" + BODY.encode() + b"</p>"
     + b"</div>" * 100_000 + b"</body></html>", "reject"),
    ("unclosed-tags-100k", "a.html", b"<b><i>" * 50_000 + BODY.encode(), "any"),
    ("billion-laughs-feed", "a.xml", _billion_laughs(
        b'<rss version="2.0"><channel><title>&l9;</title><item><title>A &l9;</title>'
        b"<description>" + BODY.encode() + b" &l9;</description>"
        b"<link>http://news.example.com/a</link></item></channel></rss>"), "any"),
    ("billion-laughs-xhtml", "a.html", _billion_laughs(
        b"<html><body><h1>&l9;</h1><p>" + BODY.encode() + b" &l9;</p></body></html>"), "any"),
    ("xxe-feed", "a.rss", XXE_DTD + b'<rss version="2.0"><channel><title>T &xxe;</title>'
     b"<item><title>Leak &xxe;</title><description>" + BODY.encode() + b" &xxe;</description>"
     b"<link>http://news.example.com/b</link></item></channel></rss>", "any"),
    ("xxe-atom", "a.atom", XXE_DTD + b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&xxe;'
     b"</title><entry><id>x1</id><title>&xxe;</title><content>" + BODY.encode()
     + b"&xxe;</content></entry></feed>", "any"),
    ("xxe-parameter-entity", "a.xml", XXE_PARAM + b'<rss version="2.0"><channel><item>'
     b"<title>P</title><description>" + BODY.encode() + b"</description></item></channel></rss>",
     "any"),
    ("xxe-xhtml", "a.html", XXE_DTD + b"<html><body><h1>Title &xxe;</h1><p>" + BODY.encode()
     + b" &xxe;</p></body></html>", "any"),
    ("xinclude", "a.html", b'<html xmlns:xi="http://www.w3.org/2001/XInclude"><body><h1>Inc</h1>'
     b'<xi:include href="file:///etc/passwd" parse="text"/><p>' + BODY.encode()
     + b"</p></body></html>", "any"),
    ("malformed-dates-text", "a.txt", b"Budget row\nPublished: 31/02/2021 99:99 +9999\n"
     b"Updated: yesterday-ish\n\n" + BODY.encode(), "any"),
    ("malformed-dates-feed", "a.xml", b'<rss version="2.0"><channel><item><guid>d1</guid>'
     b"<title>Dates</title><pubDate>Mon, 99 Foo 99999 25:61:61 +9900</pubDate>"
     b"<description>" + BODY.encode() + b"</description></item><item><guid>d2</guid>"
     b"<title>Dates 2</title><pubDate>0000-00-00T00:00:00Z</pubDate><description>"
     + BODY.encode() + b"</description></item></channel></rss>", "any"),
    ("malformed-json", "a.json", b'{"title": "Budget", "body": [' + BODY.encode(), "any"),
    ("deep-json", "a.json", b"[" * 100_000 + b"]" * 100_000, "reject"),
    ("feed-no-items", "a.xml", b'<rss version="2.0"><channel><title>Nothing</title>'
     b"</channel></rss>", "reject"),
    ("truncated-feed", "a.xml", b'<rss version="2.0"><channel><item><guid>t1</guid><title>'
     b"Trunc</title><description>" + BODY.encode()[:60], "any"),
    ("json-feed-garbage", "a.json", b'{"version": "https://jsonfeed.org/version/1.1", '
     b'"items": [1, null, "x", {"id": []}, {"content_html": {"a": 1}}]}', "any"),
]


def check_no_leak(*blobs: Any) -> None:
    for blob in blobs:
        text = str(blob)
        for marker in PASSWD_MARKERS:
            assert marker not in text, f"/etc/passwd content leaked: {marker!r}"
