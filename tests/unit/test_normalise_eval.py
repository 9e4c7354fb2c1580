"""Quality floors on the labelled dev set (tools/eval_normalise.py, ``make eval``)."""

from __future__ import annotations

from functools import cache
from typing import Any

from tests.conftest import load_tool


def _load() -> Any:
    return load_tool("eval_normalise")


@cache
def evaluated() -> dict[str, Any]:
    """The dev set's scores, evaluated once for every floor below (the normaliser is pure)."""
    result: dict[str, Any] = _load().evaluate()
    return result


def summary() -> dict[str, Any]:
    result: dict[str, Any] = evaluated()["summary"]
    return result


def test_dev_set_floors() -> None:
    s = summary()
    assert s["text"]["n"] >= 22 and s["html"]["n"] >= 10 and s["json"]["n"] >= 10
    assert s["text"]["f1"] >= 0.95
    assert s["html"]["f1"] >= 0.95
    assert s["json"]["f1"] >= 0.95
    assert s["all"]["title_exact"] >= 0.9
    assert s["all"]["dateline_exact"] >= 0.9
    assert s["all"]["date_exact"] >= 0.9
    # the cleanup must beat keeping every line by a wide margin
    assert s["text"]["f1"] - s["text"]["baseline_f1"] >= 0.1


def test_hard_set_floors() -> None:
    # Full-page dumps (mega-menus, headline lists, comments, bios, consent banners):
    # keeping every line scores ~0.71 there; floors sit a margin under what is reached.
    s = summary()
    assert s["text-hard"]["n"] >= 16 and s["html-hard"]["n"] >= 4
    assert s["text-hard"]["f1"] >= 0.96
    assert s["text-hard"]["f1"] - s["text-hard"]["baseline_f1"] >= 0.2
    assert s["html-hard"]["f1"] >= 0.94


def test_shingle_f1() -> None:
    ev = _load()
    assert ev.prf("a b c d e", "a b c d e") == (1.0, 1.0, 1.0)
    p, r, _ = ev.prf("a b c d", "a b c d e f g h")
    assert p == 1.0 and 0 < r < 1


def test_cli_json(capsys: Any) -> None:
    ev = _load()
    assert ev.main(["--json"]) == 0
    assert '"summary"' in capsys.readouterr().out


def test_blind_set_floors() -> None:
    # b01..b08: plain-text page dumps written without reading the classifier. Before any
    # tuning on them: F1 0.969, title 0.75, date 0.62; floors sit 0.03 under the tuned score.
    s = summary()
    assert s["blind"]["n"] >= 8
    assert s["blind"]["f1"] >= 0.96
    assert s["blind"]["title_exact"] >= 0.97
    assert s["blind"]["date_exact"] >= 0.85


def test_second_blind_set_floors() -> None:
    # c01..c10: unusual page shapes (CJK, live text, obituary lists, Q&A, recipe card,
    # numbered statement, pagination, forum, 60-column wraps) written without reading the
    # classifier. Before tuning: F1 0.852, title 0.60, dateline 0.90, date 0.80; after the
    # general fixes: F1 0.992, title 0.90, date 1.00; floors sit 0.03 under.
    s = summary()
    assert s["c"]["n"] >= 10
    assert s["c"]["f1"] >= 0.96
    assert s["c"]["title_exact"] >= 0.87
    assert s["c"]["date_exact"] >= 0.97


def test_third_blind_set_floors() -> None:
    # d01..d10: scraper outputs written blind (BeautifulSoup link fragments, pdftotext pages
    # with hyphenation, Russian/Arabic/Italian/Portuguese, tickers, social embeds, alert
    # bullets). Before any tuning: F1 0.701 (title 0.60, date 0.40); after general fixes
    # F1 0.980, title 0.80, dateline 0.90, date 0.70; floors sit 0.03 under.
    s = summary()
    assert s["d"]["n"] >= 10
    assert s["d"]["f1"] >= 0.95
    assert s["d"]["title_exact"] >= 0.77
    assert s["d"]["dateline_exact"] >= 0.87
    assert s["d"]["date_exact"] >= 0.67


def test_fourth_blind_set_floors() -> None:
    # e01..e12: crawler text dumps written blind (lynx/w3m/html2text/WET/innerText of a UK
    # tabloid, a TV station, WordPress, Substack, Medium, a university release, FR/DE pages,
    # a long investigation, a breaking stub, single-newline layout). Before any tuning:
    # F1 0.977, title 0.75, dateline 1.00, date 0.83; after general fixes F1 0.983,
    # title 1.00, dateline 1.00, date 0.92; floors sit 0.03 under.
    s = summary()
    assert s["e"]["n"] >= 12
    assert s["e"]["f1"] >= 0.95
    assert s["e"]["title_exact"] >= 0.97
    assert s["e"]["dateline_exact"] >= 0.97
    assert s["e"]["date_exact"] >= 0.89


def test_html_pages_vs_bare_trafilatura() -> None:
    # g01..g10: full HTML pages from different CMSs (WordPress, Next.js div soup, Guardian-
    # and BBC-like, Medium, AMP, ad-split, live blog, tables, Spanish JSON-LD) written blind.
    # Scored before any change: ours mean doc F1 0.985, bare trafilatura.extract 0.966;
    # after general fixes (standfirst, orphan related headings, table rows) 0.995.
    # Floors: 0.03 under the reached F1, and never more than 0.01 under bare trafilatura.
    s = summary()
    assert s["g"]["n"] >= 10
    assert s["g"]["f1"] >= 0.965
    assert s["g"]["title_exact"] >= 0.97
    rows = load_tool("compare_trafilatura").compare()
    assert len(rows) >= 10
    ours = sum(r["ours"] for r in rows) / len(rows)
    bare = sum(r["bare"] for r in rows) / len(rows)
    assert bare >= 0.9  # the comparison itself ran (trafilatura extracted the pages)
    assert ours >= bare - 0.01
    assert ours >= 0.965


def test_sixth_blind_set_floors() -> None:
    # k01..k12: eight text dumps and four HTML pages written blind (cookie banner + "Most
    # read", wire trailer, tab-title-only blog with comments, "###" press release, Spanish
    # opinion kicker/deck, Xinhua dateline, CNN-style live blog, pdftotext pages, JSON-LD
    # headline != h1, <time>-only date, AMP, opinion kicker). Before any tuning: F1 0.934,
    # title 0.75, dateline 0.83, date 0.67; after general fixes (GMT+8 sign, Y-M-D under
    # dayfirst, the page's own UTC offset, PR/Chinese datelines, tab titles, visible h1, page
    # breaks, live-blog entry heads, HTML comment tails) 1.00 on all four; floors sit 0.03 under.
    s = summary()
    assert s["k"]["n"] >= 12
    assert s["k"]["f1"] >= 0.97
    assert s["k"]["title_exact"] >= 0.97
    assert s["k"]["dateline_exact"] >= 0.97
    assert s["k"]["date_exact"] >= 0.97


def test_dev_set_size_and_languages() -> None:
    # Issue 17: at least 200 labelled documents in at least 6 languages, scored per language.
    result = evaluated()
    assert len(result["docs"]) >= 200
    langs = {lang for lang in result["languages"] if lang != "unknown"}
    assert len(langs) >= 6
    assert {"de", "fr", "es", "pt", "zh", "ja", "ar"} <= langs
    assert all(s["n"] >= 1 for s in result["shapes"].values())


def test_eighth_and_ninth_blind_set_floors() -> None:
    # n01..n40 (40 pages, de fr es pt zh ja ar it ru en) and p01..p30 (30 pages, en de fr es pt
    # zh ja ar nl pl), written blind for issue 17. Before any change: n F1 0.938, title 0.78,
    # dateline 0.95, date 0.82; p F1 0.957, title 0.93, dateline 0.83, date 0.90. After general
    # fixes (U+3000 kept in CJK titles, es/it/ar wire datelines, local-format dates, skip links
    # and share rows, press-release/paywall tails, multilingual disclaimers, key-points boxes,
    # gallery counters, numbered items with text lines, ad-slot tails): n 0.992 / 1.00 / 1.00 /
    # 1.00, p 0.994 / 1.00 / 0.97 / 0.97; floors sit 0.03 under.
    s = summary()
    assert s["n"]["n"] >= 40 and s["p"]["n"] >= 30
    assert s["n"]["f1"] >= 0.96 and s["p"]["f1"] >= 0.96
    assert s["n"]["title_exact"] >= 0.97 and s["p"]["title_exact"] >= 0.97
    assert s["n"]["dateline_exact"] >= 0.97 and s["p"]["dateline_exact"] >= 0.93
    assert s["n"]["date_exact"] >= 0.97 and s["p"]["date_exact"] >= 0.93


def test_tenth_blind_set_floors() -> None:
    # q01..q30 (30 modern news/blog pages, 20 full-page text dumps + 10 HTML; en de fr es),
    # written blind for issue 17. Before any change: mean doc F1 0.908, title 0.73, dateline
    # 0.97, date 0.93. After general fixes (mid-story related-link boxes skipped instead of
    # ending the story, headline over its byline/date block preferred to captions under it,
    # run-together dates, wire trailers, subscribe boxes, embedded posts, HTML furniture inside
    # the article container): F1 0.994 (mean doc 0.994), title 1.00, dateline 0.97, date
    # 1.00; floors sit ~0.03 under.
    s = summary()
    assert s["q"]["n"] >= 30
    assert s["q"]["f1"] >= 0.96
    assert s["q"]["title_exact"] >= 0.97
    assert s["q"]["dateline_exact"] >= 0.93
    assert s["q"]["date_exact"] >= 0.97


def test_eleventh_blind_set_floors() -> None:
    # r01..r30 (30 older news pages and long-form articles, 15 text dumps + 15 HTML; en de fr
    # es it pt), written blind for issue 17. Before any change: mean doc F1 0.918 (HTML 0.852:
    # table-layout pages read as data tables), title 1.00, dateline 0.83, date 0.70. After
    # general fixes (layout tables read as blocks, the head over the story, dates under a
    # non-h1 headline, day-only wire datelines, footnotes, lynx link markers, first-line
    # indents, italic bios): F1 1.00 (mean doc 1.00), title 1.00, dateline 0.97 (r16's label
    # keeps the region, other fixtures the city only), date 0.93 (two pages print no year);
    # floors ~0.03 under.
    s = summary()
    assert s["r"]["n"] >= 30
    assert s["r"]["f1"] >= 0.97
    assert s["r"]["title_exact"] >= 0.97
    assert s["r"]["dateline_exact"] >= 0.93
    assert s["r"]["date_exact"] >= 0.90


def test_every_language_floor() -> None:
    # Per language (the fixtures' "language"): the weakest after the n/p fixes is pt at 0.963.
    langs = evaluated()["languages"]
    assert all(v["f1"] >= 0.93 for k, v in langs.items() if k != "unknown"), langs


def test_twelfth_blind_set_floors() -> None:
    # s01..s24 (24 pages in en de fr es it nl pt pl sv, 12 text dumps + 12 HTML), written
    # blind. Before any change: mean doc F1 0.968 (text 0.978, HTML 0.958), title 0.92,
    # dateline 0.92, date 0.92. After general fixes (agency name between dek and date, date
    # labels in 8 languages, a wire dateline alone over the story, table-layout <font> runs,
    # related-story, key-points, donate, pull-quote and comment boxes, lynx/html2text link
    # and emphasis marks, Italian/Portuguese lead-ins, <p> captions): F1 0.996 (text 0.999,
    # HTML 0.993), title 1.00, dateline 1.00, date 1.00; floors ~0.03 under.
    s = summary()
    assert s["s"]["n"] >= 24
    assert s["s"]["f1"] >= 0.96
    assert s["s"]["title_exact"] >= 0.95
    assert s["s"]["dateline_exact"] >= 0.95
    assert s["s"]["date_exact"] >= 0.95


def test_thirteenth_blind_set_floors() -> None:
    # u01..u24 (24 documents: 12 text dumps in en da fi tr cs ro id de fr es, 12 HTML pages in
    # en nl no sv it pl hu uk pt), written blind. Before any change: F1 0.941 (text 0.906,
    # HTML 0.975), title 0.79, dateline 0.83, date 0.79. After general fixes (function words
    # of more languages and long lower-case sentences as prose, line-end hyphens in
    # non-English text, markdown links wrapped over lines, month names and dotted dates of
    # Nordic/Finnish/Slavic/Hungarian/Romanian/Turkish/Indonesian pages, "read also", ad,
    # paywall, comment and copyright lines in more languages, agency and German local-paper
    # datelines, Nordic opening quotes, source-wrapped <br> text, site-first titles,
    # all-capitals headlines): F1 0.994 (text 0.991, HTML 0.998), title 1.00, dateline 1.00,
    # date 1.00; floors ~0.03 under.
    s = summary()
    assert s["u"]["n"] >= 24
    assert s["u"]["f1"] >= 0.96
    assert s["u"]["title_exact"] >= 0.95
    assert s["u"]["dateline_exact"] >= 0.95
    assert s["u"]["date_exact"] >= 0.95


def test_fourteenth_blind_set_floors() -> None:
    # v01..v24 (24 documents: 12 text dumps in en ko he el vi ru zh hi nl, 12 HTML pages in en
    # ko ja ar tr es fr de), written blind. Before any change: F1 0.913 (text 0.838, HTML
    # 0.989), title 0.83, dateline 0.83, date 0.79 (the Hindi dump rejected: no prose found).
    # After general fixes (sentence stops of Indic and other scripts, function words of
    # Hindi/Greek/Vietnamese, "read also" lead-ins in five more languages, wire datelines in
    # Korean/Japanese/Cyrillic/Indic house styles, Hindi and Greek month names, two-digit-year
    # dotted dates with a time, an image alt repeated as caption is no headline): F1 0.962
    # (text 0.933, HTML 0.990), title 0.92, dateline 1.00, date 0.96. Then side-by-side
    # column split (pdftotext -layout), photographer-signed captions, briefs / "Get in touch"
    # heads, read-later "Saved on" dates, comments heads in more languages, hashed-class deks
    # and newsletter boxes: F1 0.990 (text 0.981, HTML 0.998), title 0.96, dateline 1.00,
    # date 1.00; floors ~0.03 under.
    s = summary()
    assert s["v"]["n"] >= 24
    assert s["v"]["f1"] >= 0.96
    assert s["v"]["title_exact"] >= 0.93
    assert s["v"]["dateline_exact"] >= 0.97
    assert s["v"]["date_exact"] >= 0.97


def test_fifteenth_blind_set_floors() -> None:
    # w01..w24 (24 documents, mostly modern English: 12 text dumps in en de fr es, 12 HTML
    # pages in en de it pt), written blind. Before any change: F1 0.959 (text 0.944, HTML
    # 0.972), title 0.83, dateline 0.96, date 0.88. After general fixes (a related box of up
    # to four lines mid-story skipped when the story goes on, also over a subhead; extraction
    # tools' metadata headers as title/date/authors; unmarked reader comments with an @handle
    # reply end the story; two-sentence headlines, share buttons never titles; Drupal RDFa
    # dates, "... on June 3, 2025" bylines; syndication notes, paywall meters, "End of
    # Article" dropped): F1 0.981 (text 0.981, HTML 0.981), title 0.96, dateline 0.96,
    # date 1.00; floors ~0.03 under.
    s = summary()
    assert s["w"]["n"] >= 24
    assert s["w"]["f1"] >= 0.95
    assert s["w"]["title_exact"] >= 0.93
    assert s["w"]["dateline_exact"] >= 0.93
    assert s["w"]["date_exact"] >= 0.97


def test_sixteenth_blind_set_floors() -> None:
    # x01..x24 (24 documents in 14 languages: 12 text dumps - fact-check select-all, lynx
    # review, pdftotext release, Mailchimp plain text, NAN wire, Apple News, translated fr app
    # copy, de html2text FAQ, w3m correction, ja reader view, id embeds, tr AMP warning - and
    # 12 HTML pages: Arc XP, court report, Next.js earnings table, Ghost photo essay, gov
    # statement, it tabellino, pt-BR embeds, nl obituary, pl AMP, sv press release, zh WeChat
    # repost, ar table layout), written blind. Before any change: F1 0.922 (text 0.901, HTML
    # 0.938), title 0.79, dateline 0.79, date 0.96. After general fixes (title-case and NAN
    # datelines, lists under read-also bars, wrap width beside markdown links, suspended
    # hyphens, Turkish dotted-I lead-ins, labelled items, fact-check/TL;DR boxes, Mailchimp
    # headings, Japanese captions, speaker suffixes; embeds, info/summary boxes, repost notes,
    # contact blocks, Nordic dek/caption classes): F1 0.990 (text 0.982, HTML 0.998), title
    # 1.00, dateline 0.96, date 1.00; floors ~0.03 under.
    s = summary()
    assert s["x"]["n"] >= 24
    assert s["x"]["f1"] >= 0.96
    assert s["x"]["title_exact"] >= 0.96
    assert s["x"]["dateline_exact"] >= 0.93
    assert s["x"]["date_exact"] >= 0.97


def test_seventeenth_blind_set_floors() -> None:
    # y01..y24 (24 documents in 24 languages: 12 text dumps - ru select-all, fa Telegram
    # forward, pl lynx, tr w3m, uk html2text, el pdftotext magazine, it print view, nl
    # RSS-reader copy, hi WhatsApp forward, sv OCR clipping, ro Google Docs export, he
    # select-all - and 12 HTML pages: live banner, da Escenic, fr long read, cs Hugo, fi
    # Medium-like, pt Substack, es-CO wire, hu standings, de science references, zh-TW ROC
    # date, ko paginated, vi comments in <article>), written blind. Before any change: F1
    # 0.924 (text 0.912, HTML 0.931), title 0.75, dateline 0.88, date 0.83. After general
    # fixes (the zero-width non-joiner kept, Hebrew prose and bylines, Greek upper-case May,
    # Hindi danda and release datelines, WhatsApp bold titles, short last lines, captions
    # over labelled credits, reader-app buttons; data tables, summary lists, wire sign-offs,
    # reference sections, comment heads, author boxes, ROC dates): F1 0.993 (text 0.985,
    # HTML 1.000), title 0.88, dateline 1.00, date 0.88; floors ~0.03 under.
    s = summary()
    assert s["y"]["n"] >= 24
    assert s["y"]["f1"] >= 0.96
    assert s["y"]["title_exact"] >= 0.85
    assert s["y"]["dateline_exact"] >= 0.96
    assert s["y"]["date_exact"] >= 0.85


def test_eighteenth_blind_set_floors() -> None:
    # z01..z24 (24 documents in 19 languages: 12 text dumps - sw newspaper3k print-out, bn
    # pdftotext e-paper, ta Slack paste, th Google cache, ms Outlook forward, sk elinks, lt
    # Discord, sl readability JSON, lv live blog, et w3m Q&A, ca lynx timeline, en-IE
    # select-all - and 12 HTML pages: sr Newspack, eu TYPO3, tl Brightspot, ur Joomla, am
    # Bootstrap, en-NG Sanity, gl Squarespace, hr MediaWiki, ms Piano paywall, lt regional, bn
    # portal, sr-Latn Drupal), written blind. Before any change: F1 0.818 (text 0.688, HTML
    # 0.935), title 0.75, dateline 0.63, date 0.79. After general fixes (caseless scripts and
    # narrow columns, Thai letters and dates, labelled print-outs, datelines, bios and labels
    # in more languages, marked paywall boxes; tests/fixtures/articles/README.md has the
    # list): F1 0.992 (text 0.983, HTML 1.000), title 0.96, dateline 0.96, date 0.96; floors
    # ~0.03 under.
    s = summary()
    assert s["z"]["n"] >= 24
    assert s["z"]["f1"] >= 0.96
    assert s["z"]["title_exact"] >= 0.93
    assert s["z"]["dateline_exact"] >= 0.93
    assert s["z"]["date_exact"] >= 0.93


def test_nineteenth_blind_set_floors() -> None:
    # za01..za24 (24 mainstream documents in 14 languages: 12 text dumps - MSN syndicated copy,
    # en-IN select-all, html2text timeline, Safari Reader obituary, opinion with bio, es
    # explainer, MarkDownload clip, pt-BR share sheet, fr stock portal, de match report, ja
    # broadcaster, zh finance reprint - and 12 HTML pages: Reach, WP VIP live blog, Arc XP,
    # it AMP, ko ND Soft, ru Nuxt, ar Jannah, hi AMP, id Next.js, tr TE Bilisim, pt-BR Drupal,
    # Brightspot), written blind. Before any change: F1 0.971 (text 0.975, HTML 0.963), title
    # 0.92, dateline 0.96, date 0.79. After general fixes (the page's own zone for a UTC
    # metadata time, line-ups and results widgets, inline markdown links, list lead-ins,
    # teaser headlines; README has the list): F1 0.993, title, dateline and date 1.00.
    s = summary()
    assert s["za"]["n"] >= 24
    assert s["za"]["f1"] >= 0.97
    assert s["za"]["title_exact"] >= 0.95
    assert s["za"]["dateline_exact"] >= 0.95
    assert s["za"]["date_exact"] >= 0.95


def test_twentieth_blind_set_floors() -> None:
    # zb01..zb24 (24 documents: 12 extraction-tool outputs - Jina Reader, trafilatura
    # markdown with metadata, newspaper4k, bs4 get_text("\\n"), plain trafilatura,
    # readability-lxml, Firecrawl, Postlight JSON, html2text ko, pandoc hi, Diffbot JSON, lynx
    # ru - and 12 big-publisher HTML pages: Guardian, BBC, AP, NYT, CNN, NHK, Xinhua, Al
    # Jazeera, tr AMP, Kompas, pl live blog, NOS), written blind. Before any change: F1 0.889
    # (text 0.833, HTML 0.915), title 0.71, dateline 0.83, date 0.88. After general fixes
    # (tools' JSON and Markdown, wrap widths in columns, split body containers; README has
    # the list): F1 0.985 (text 0.968, HTML 1.000), title 0.92, dateline 1.00, date 1.00.
    s = summary()
    assert s["zb"]["n"] >= 24
    assert s["zb"]["f1"] >= 0.95
    assert s["zb"]["title_exact"] >= 0.875
    assert s["zb"]["dateline_exact"] >= 0.95
    assert s["zb"]["date_exact"] >= 0.95


def test_twenty_first_blind_set_floors() -> None:
    # zc01..zc24 (24 documents in 22 languages: 12 text dumps - select-all, lynx, w3m,
    # html2text, pandoc, trafilatura front matter, Jina Reader, bs4 get_text, pdftotext print
    # page, print view, newspaper3k, app share - and 12 HTML pages: WordPress, Arc XP, Drupal,
    # Next.js, AMP, Ghost, 2008 table layout, live blog, long read, ministry release, wire,
    # zh-TW regional), written blind. Before any change: F1 0.950 (text 0.956, HTML 0.943),
    # title 0.71, dateline 0.83, date 0.96. After general fixes (drop caps, dated link lines
    # under a standfirst, date labels in 24 languages, tag lines, ad labels, platform pitches,
    # Hebrew months, Taiwanese datelines, funding credits; README has the list): F1 0.979
    # (text 0.978, HTML 0.981), title 0.83, dateline 0.92, date 1.00.
    s = summary()
    assert s["zc"]["n"] >= 24
    assert s["zc"]["f1"] >= 0.96
    assert s["zc"]["title_exact"] >= 0.79
    assert s["zc"]["dateline_exact"] >= 0.875
    assert s["zc"]["date_exact"] >= 0.95


def test_twenty_second_blind_set_floors() -> None:
    # zd01..zd24 (24 documents in 24 languages: 12 text dumps - Firefox Reader View, lynx,
    # w3m, links, Chrome select-all, trafilatura header, html2text, Telegram copy, newsletter
    # plain text, Instapaper, elinks, newspaper4k - and 12 HTML pages: Bitrix, 163 portal,
    # Yahoo Japan syndication, Marathi portal, Gulf paper, Nordic broadcaster, paywall meter,
    # Elementor, AMP, JSON-LD-only SPA, Substack, Joomla 3), written blind. Before any change:
    # F1 0.944 (text 0.953, HTML 0.935), title 0.54, dateline 0.71, date 0.50. After general
    # fixes (Swahili, Georgian, Kazakh and Croatian months, datelines with diacritic months,
    # an agency after a stop and Marathi's "ता.", microdata headlines, Chinese portal notes;
    # README has the list): F1 0.956 (text 0.957, HTML 0.955), title 0.67, dateline 0.88,
    # date 0.67.
    # The next session's fixes for what it left: F1 0.969, title 0.79, dateline 0.92.
    s = summary()
    assert s["zd"]["n"] >= 24
    assert s["zd"]["f1"] >= 0.96
    assert s["zd"]["title_exact"] >= 0.75
    assert s["zd"]["dateline_exact"] >= 0.875
    assert s["zd"]["date_exact"] >= 0.62


def test_twenty_third_blind_set_floors() -> None:
    # ze01..ze24 (24 documents in 19 languages: 12 text dumps - lynx wire copy, Chrome
    # select-all tabloid, w3m dpa copy, html2text, Jina Reader, Safari Reader View,
    # newspaper4k, Japanese select-all, links boxes, an Azerbaijani agency, a Nepali elinks
    # dump, pdftotext of a print view - and 12 HTML pages: WordPress Gutenberg, Next.js text
    # blocks, TYPO3, a paywall teaser, Arc XP, a textual Italian date, ruby furigana, a
    # Korean portal, <br><br> paragraphs, Drupal with a <br> in the <h1>, a live blog, AMP),
    # written blind. Before any change (datelines relabelled to the printed case, the dev
    # set's convention, and a Japanese title to its U+3000): F1 0.959 (text 0.946, HTML
    # 0.972), title 0.88, dateline 0.88 (text 0.75, HTML 1.00), date 0.92. After general
    # fixes (ASCII boxes out of the wrap width, wrapping by code points, dated related lists
    # over a subhead, a lone markdown h1 over a bold standfirst, quoted subheads, consent
    # small print, app and follow pitches, full-width breadcrumbs, Baltic, Azerbaijani and
    # Nepali datelines, Drupal's lead field, site rights lines, Korean spaced dates; README
    # has the list): F1 0.998, title 1.00, dateline 1.00, date 0.96.
    s = summary()
    assert s["ze"]["n"] >= 24
    assert s["ze"]["f1"] >= 0.99
    assert s["ze"]["title_exact"] >= 0.95
    assert s["ze"]["dateline_exact"] >= 0.95
    assert s["ze"]["date_exact"] >= 0.95


def test_twenty_fourth_blind_set_floors() -> None:
    # zg01..zg24 (24 mainstream pages in 13 languages: 12 text dumps - w3m, Reader View,
    # select-all, lynx wire, html2text, Jina Reader, newspaper3k, links, Instapaper, a
    # WhatsApp chat export, a newsletter's plain text - and 12 HTML pages shaped like NYT,
    # the Guardian, a Nexstar station, TOI, Tagesschau, Le Monde, Clarín, Repubblica, G1,
    # NHK, AP and Substack), written blind. Before any change: F1 0.954 (text 0.967, HTML
    # 0.941), title 0.83, dateline 0.96, date 0.88. After general fixes (README has the
    # list): F1 0.974 (text 0.994, HTML 0.955), title 1.00, dateline 1.00, date 1.00.
    s = summary()
    assert s["zg"]["n"] >= 24
    assert s["zg"]["f1"] >= 0.965
    assert s["zg"]["title_exact"] >= 0.95
    assert s["zg"]["dateline_exact"] >= 0.95
    assert s["zg"]["date_exact"] >= 0.95
