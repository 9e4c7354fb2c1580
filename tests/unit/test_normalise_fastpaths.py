"""The normaliser's fast paths give exactly what the regexes they stand in for give."""

from __future__ import annotations

from pathlib import Path

from worker.normalise.cues import (
    CREDIT_RE,
    DISCLAIMER_RE,
    URL_HINTS,
    credit_cue,
    disclaimer_cue,
    url_hint,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"

_CREDITS = [
    "Photo: AP", "(AP Photo/Jane Doe)", "Getty Images", "A protest in Lima (Reuters)",
    "Smoke over the city via Getty Images)", "REUTERS/Bob Smith", "Credit: Jim Lee",
    "photo by Ann Roe", "the ap", "XINHUA]", "Bild: dpa", "Illustration: Kim Park",
    "Video: BBC", "Pictures by Sam", "Graphic: Staff", "FOTO: ANSA", "Kiev via AFP",
    "BEIJING (Reuters) - Shares rose on Thursday.", "Photo\nCredit: X",
]


def test_credit_cue_is_credit_re() -> None:
    lines = list(_CREDITS)
    for path in sorted(FIXTURES.iterdir()):
        lines += path.read_text(encoding="utf-8", errors="replace").split("\n")
    found = 0
    for line in lines:
        expected = bool(CREDIT_RE.search(line))
        assert credit_cue(line) is expected, line
        found += expected
    assert found > 50  # the lines hold credits: the test compares both answers


def test_extractor_copy_is_what_bare_extraction_builds() -> None:
    from trafilatura.settings import DEFAULT_CONFIG, Extractor

    from worker.normalise.html_parse import extractor_options

    for url in (None, "https://news.example.com/a?b=1", "https://bücher.example/ä\udcff"):
        for fast in (False, True):
            for meta in (False, True):
                # bare_extraction's own construction from the keyword arguments we passed
                want = Extractor(
                    config=DEFAULT_CONFIG, output_format="python", fast=fast, precision=False,
                    recall=False, comments=False, formatting=None, links=False, images=False,
                    tables=True, dedup=False, lang=None, url=url, with_metadata=meta,
                    only_with_metadata=False, author_blacklist=None, url_blacklist=None,
                    date_params={"extensive_search": False, "original_date": True})
                got = extractor_options(url, fast, meta)
                for name in Extractor.__slots__:
                    assert getattr(got, name) == getattr(want, name), name
                assert got.date_params is not extractor_options(url, fast, meta).date_params


_DISCLAIMERS = [
    "We may earn a commission when you buy through links on our site.",
    "This article is for informational purposes only and does not constitute financial advice.",
    "Past performance is not a reliable indicator. Your capital is at risk.",
    "This content was produced in partnership with Acme.", "Affiliate links below.",
    "Este artículo tiene carácter meramente informativo y no constituye una recomendación.",
    "Ce contenu ne constitue pas un conseil. Il ne remplace pas l'avis d'un médecin.",
    "Questo articolo non costituisce una raccomandazione.",
    "Dieser Artikel ersetzt keine ärztliche Beratung. Keine Anlageberatung.",
    "Este texto não constitui uma recomendação.",
    "We abide by the Editors' Code of Practice of the Independent Press Standards Organisation.",
    "Материал носит информационный характер.", "本文仅供参考，不构成投资建议。",
    "No CONSTITUYE RECOMENDACION", "SPONSORED", "a substitute for professional care",
    # each ASCII alternative once more, for the word gate in front of the substring gate
    "Prices via liens affilies.", "Contiene enlaces de afiliados.", "Usamos links de afiliadas!",
    "Questo post contiene link di affiliazione", "link affiliati qui",
    "See our affiliate-links policy", "Nous pouvons percevoir une commission.",
    "Podemos recibir una comision", "erhalten wir eine Provision.", "Disclaimer: views are mine",
    "DISCLAIMER : x", "at no extra cost to you", "we get a share of the revenue",
    "should not be construed as legal advice", "for general information only.",
    "this post was paid for by X", "(This article is sponsored.)", "affiliate programmes",
    "we make affiliate commission", "ne remplace pas un avis", "keine Kaufempfehlung",
    "ersetzt nicht die medizinische Beratung", "nao constitui recomendacao",
    "caracter exclusivamente informativo", "Editors code of practice",
    # non-ASCII lines: substrings first, the regex alone where IGNORECASE folds a letter
    # lower() does not (İ, ſ, old Cyrillic forms)
    "Este artículo tiene carácter meramente İNFORMATİVO.", "We may earn a commiſſion “here”.",
    "Материал ноᲃит информационный характер.", "This article is sponsored — “really”.",
    "We abide by the Editors’ Code of Practice.", "Не является инвестиционной рекомендацией",
]


def test_disclaimer_cue_is_disclaimer_re() -> None:
    lines = list(_DISCLAIMERS)
    for path in sorted(FIXTURES.iterdir()):
        lines += path.read_text(encoding="utf-8", errors="replace").split("\n")
    found = 0
    for line in lines:
        expected = bool(DISCLAIMER_RE.search(line))
        assert disclaimer_cue(line) is expected, line
        found += expected
    assert found >= len(_DISCLAIMERS) - 2  # they are notices: both answers are compared


def test_articles_carry_the_content_hash_of_their_text() -> None:
    from worker.errors import RejectedInput
    from worker.events.models import Source, content_hash
    from worker.normalise.article import normalise

    checked = 0
    for path in sorted(FIXTURES.iterdir()):
        if path.name.endswith(".expected.json") or path.suffix not in (".txt", ".html", ".json"):
            continue
        try:
            art = normalise(path.read_bytes(), source=Source(kind="file", location=str(path)))
        except RejectedInput:
            continue
        assert art.content_hash == content_hash(art.title, art.body), path.name
        checked += 1
    assert checked > 100


def test_full_stop_is_full_stop_re() -> None:
    from worker.normalise.cues import FULL_STOP_RE, full_stop

    lines = ["", ".", "a.", "a.)", "a.\n", "a\n", "”", "Done!”’", "x?]", "x)", "end …", "终。"]
    for path in sorted(FIXTURES.iterdir()):
        lines += path.read_text(encoding="utf-8", errors="replace").split("\n")
    for line in lines:
        assert full_stop(line) is bool(FULL_STOP_RE.search(line)), line


def test_url_hint_is_any_url_hint() -> None:
    lines = ["see www.example.org", "mail me@x.io", "https://a.b", "bbc.co.uk/news", "plain text",
             "acme.com", "news.net", "nothing here at all"]
    for path in sorted(FIXTURES.iterdir()):
        lines += path.read_text(encoding="utf-8", errors="replace").lower().split("\n")
    found = 0
    for line in lines:
        expected = any(h in line for h in URL_HINTS)
        assert url_hint(line) is expected, line
        found += expected
    assert found > 50


def test_iso_dates_read_as_the_general_path_reads_them() -> None:
    from datetime import UTC, datetime

    from worker.normalise.dates import parse_date_hint

    now = datetime(2026, 1, 1, tzinfo=UTC)
    for day in ("2024-05-01", "2024-02-29", "2023-02-29", "1899-12-31", "2026-06-01"):
        for time in ("", "T08:00", "T08:00:00.123", "T08:00:00,5", " 08:00:00", "T24:00"):
            for zone in ("", "Z", "+00:00", "+0530", "-08", "+25:00"):
                iso = day + time + zone
                for keep in (True, False):
                    # the label sends the same date down the general path
                    want = parse_date_hint(f"Published {iso}", now=now, keep_offset=keep)
                    got = parse_date_hint(iso, now=now, keep_offset=keep)
                    assert got == want, iso
                    assert (got and got.utcoffset()) == (want and want.utcoffset()), iso


def test_clean_text_drops_the_same_controls_in_ascii_and_other_text() -> None:
    from worker.normalise.decode import clean_text

    for c in range(128):
        ch = chr(c)
        # an ASCII line (bytes path) and the same line beside a non-ASCII letter (regex path)
        plain, other = clean_text(f"a{ch}b"), clean_text(f"é{ch}b")
        assert plain[1:] == other[1:], hex(c)
        want = {"\t": " ", "\n": "\n", "\r": "\n", "\x0c": "\n"}.get(ch, ch)
        if (c < 32 and ch not in "\t\n\r\x0c") or c == 0x7F:
            want = ""
        assert plain == f"a{want}b", hex(c)


def test_pages_parse_to_lxml_html_classes() -> None:
    import lxml.html

    from worker.normalise.html_parse import parse_page

    page = ("<html><body><form><input name=a><select><option>x</select><textarea>t</textarea>"
            "<label>l</label></form><!--c--><?pi x?><p>hi &amp; <b>bye</b></p></body></html>")
    ours, theirs = parse_page(page), lxml.html.document_fromstring(page)
    pairs = list(zip(ours.iter(), theirs.iter(), strict=True))
    assert len(pairs) == 12  # the HTML parser reads the PI as a comment
    for a, b in pairs:
        assert type(a) is type(b), (a, b)


def test_disclaimer_free_only_when_no_line_is_a_disclaimer() -> None:
    from worker.normalise.cues import disclaimer_free

    free = 0
    for path in sorted(FIXTURES.iterdir()):
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        for k in range(0, len(lines), 10):
            group = lines[k:k + 10]
            if disclaimer_free(group):
                free += 1
                assert not any(DISCLAIMER_RE.search(line) for line in group), path.name
    for line in _DISCLAIMERS:
        assert not disclaimer_free(["A plain story line.", line])
    assert free > 100


def test_plain_urls_are_their_own_canonical_form() -> None:
    from worker.normalise.meta import canonical_url

    same = ["https://news.example.com/world/5", "http://a.b", "https://x.org/a.b-c_d~e/",
            "https://ex-ample.co.uk//x"]
    changed = {"https://News.example.com/a": "https://news.example.com/a",
               "https://a.com/%7Ex": "https://a.com/~x", "https://a.com/a b": "https://a.com/a%20b",
               "https://a.com:443/x": "https://a.com/x", "https://a.com./x": "https://a.com/x",
               "https://a.com/x#frag": "https://a.com/x",
               "https://xn--bcher-kva.example/": "https://bücher.example/"}
    for url in same:
        assert canonical_url(url) == url
        assert canonical_url(f" {url} ") == url
    for url, want in changed.items():
        assert canonical_url(url) == want, url


def test_holds_word_is_the_word_set_test() -> None:
    # one regex pass in place of splitting the text into words and testing each one
    import random

    from worker.normalise.disclaimer_words import WORD_BYTES, WORDS, holds_word

    words = [w.decode() for w in WORDS]
    pieces = [*words, *(w[:-1] for w in words), *(w + "s" for w in words),
              *(w.upper() for w in words), "x" + words[0], "cost_", "2cost", "paid.", "the"]
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) + rng.choice([" ", "\n", ", ", "-", "_", ""])
                       for _ in range(rng.randint(0, 8)))
        want = not WORDS.isdisjoint(text.encode().translate(WORD_BYTES).split())
        assert holds_word(text) == want, text
