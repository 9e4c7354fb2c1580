"""Blind batch z, HTML pages: 'Read also' lines and comment heads in more languages,
datelines in more scripts, local dates, paywall boxes, wiki sections, title choice."""

from __future__ import annotations

from typing import Any

from worker.normalise.html_labels import COMMENTS_RE
from worker.normalise.html_notes import drop_page_notes
from worker.normalise.meta import split_dateline

_LONG = "Радови на реконструкцији кеја почеће почетком априла и трајаће до краја године."
_STORY = ["The council approved the plan after a long debate about costs and timing. " * 3] * 4


def test_read_also_lines_in_more_languages_go_even_when_the_headline_asks() -> None:
    for lead in ("Прочитајте и: Бегеј поново плован до Клека до 2027?",
                 "یہ بھی پڑھیں: رمضان میں شہر بھر میں 40 بچت بازار لگانے کا فیصلہ",
                 "আরও পড়ুন: ঈদে বাসের অগ্রিম টিকিট বিক্রি শুরু ১৭ মার্চ",
                 "Basahin din: Bagong ruta ng ferry sa Pasig"):
        lines = [*_STORY[:2], lead, *_STORY[2:]]
        assert drop_page_notes(lines) == _STORY, lead
    # a sentence that merely starts with the words stays; so does one ending in a full stop
    kept = [*_STORY[:2], "Прочитајте и: одлука је донета јуче после дуге расправе у скупштини.",
            *_STORY[2:]]
    assert drop_page_notes(kept) == kept


def test_comment_heads_in_more_languages() -> None:
    for head in ("Komentari", "Коментари (3)", "Iruzkinak", "تبصرے", "মন্তব্য"):
        assert COMMENTS_RE.match(head), head
    assert not COMMENTS_RE.match("Komentari čitalaca su zanimljivi")


def test_datelines_in_more_scripts() -> None:
    assert split_dateline(f"ЗРЕЊАНИН – {_LONG}") == ("ЗРЕЊАНИН", _LONG)
    assert split_dateline(f"НОВИ САД – {_LONG}")[0] == "НОВИ САД"
    assert split_dateline(f"Зрењанин – {_LONG}")[0] is None  # title case: prose may so open
    urdu = ("کراچی (اسٹاف رپورٹر) کراچی میٹروپولیٹن کارپوریشن نے پارکوں کو کھلا رکھنے کا"
            " فیصلہ کیا ہے۔")
    assert split_dateline(urdu)[0] == "کراچی"
    # a bracket holding a number or Latin letters is no credit
    who = "منظمة (WHO) أعلنت اليوم عن خطة جديدة لمكافحة المرض في المنطقة"
    assert split_dateline(who)[0] is None
    am = "ባሕር ዳር፤ መጋቢት 5/2017 (ኢዜአ)፡- የባሕር ዳር ከተማ አስተዳደር የብስክሌት መንገድ ግንባታ ዛሬ አስጀምሯል።"
    assert split_dateline(am)[0] == "ባሕር ዳር"
    assert split_dateline("የባሕር ዳር ከተማ አስተዳደር (ከተማው) መንገድ ግንባታ ዛሬ አስጀምሯል።")[0] is None
    bn = "ঢাকা, ১৪ মার্চ, ২০২৫ (বাসস) : ঈদুল ফিতর উপলক্ষে ট্রেনের অগ্রিম টিকিট বিক্রি শুরু হয়েছে।"
    assert split_dateline(bn)[0] == "ঢাকা"


def test_local_dates_in_other_digits_and_basque() -> None:
    from worker.normalise.dates import parse_date_hint

    for text in ("প্রকাশ: ১৪ মার্চ ২০২৫, ১০: ৩০", "2025eko martxoaren 14a, ostirala",
                 "14 مارچ 2025", "१४ मार्च २०२५", "petak, 14. ožujka 2025."):
        dt = parse_date_hint(text, dayfirst=True)
        assert dt is not None and dt.date().isoformat() == "2025-03-14", text
    assert parse_date_hint("2025eko aurrekontua onartu da") is None  # a year, no month
    assert parse_date_hint("১৪ জন যাত্রী ২০২৫ সালে") is None  # no month name


def test_a_date_under_the_headline_beats_a_guess_from_a_related_list(monkeypatch: Any) -> None:
    from worker.normalise.html import extract_html
    from worker.normalise.html_parse import trafilatura_module

    trafilatura = trafilatura_module()
    extract = trafilatura.bare_extraction

    def guessing(*args: Any, **kwargs: Any) -> Any:  # taking a related story's date
        doc = extract(*args, **kwargs)
        doc.date = "2025-02-21"
        return doc

    # (the library's own function: the normaliser may be compiled, its globals fixed)
    monkeypatch.setattr(trafilatura, "bare_extraction", guessing)

    story = "".join(f"<p>Liburutegiak larunbatetan irekiko ditu ateak, {k}. aldiz, "
                    "herritarrek eskatuta eta udalak hala erabakita.</p>" for k in range(6))
    page = ("<html><body><div class='news'><div class='header'><h1>Liburutegia larunbatetan "
            "irekita</h1></div><div class='footer'><p><span>2025eko martxoaren 14a, ostirala"
            f"</span></p></div><div class='text'>{story}</div></div><aside><ul class='related'>"
            "<li><span>2025/02/21</span> <a href='/x'>Irakurketa taldea martxan</a></li></ul>"
            "</aside></body></html>")
    parts = extract_html(page)
    assert parts.date_lines == ["2025eko martxoaren 14a, ostirala"] and not parts.published
    # metadata's own date stays the date
    dated = page.replace("<html>", "<html><head><meta property='article:published_time' "
                         "content='2025-03-13T10:00:00Z'></head>")
    assert extract_html(dated).published[0].startswith("2025-03-13")
    # no date under the headline: the guess is the date
    undated = page.replace("2025eko martxoaren 14a, ostirala", "Kultura")
    assert extract_html(undated).published == ["2025-02-21"]


def test_a_bare_local_date_line_over_the_story_goes() -> None:
    from worker.normalise.html_cleanup import is_date_line

    assert is_date_line("petak, 14. ožujka 2025.") and is_date_line("প্রকাশ: ১৪ মার্চ ২০২৫")
    assert not is_date_line("Grad uvodi bicikle za 2025. godinu")


def _prepared_text(page: str) -> str:
    import lxml.html

    from worker.normalise.html_layout import prepare_tree

    root = lxml.html.fromstring(page)
    prepare_tree(root)
    return " ".join(root.text_content().split())


_P = "<p>" + "Kadar sewa purata rumah di Lembah Klang meningkat tahun lalu menurut laporan. " * 3
_P += "</p>"


def test_a_paywall_box_in_the_story_goes_a_marked_story_part_stays() -> None:
    box = ("<div class='paywall'><div id='piano-inline' class='tp-container-inner'>"
           "<p class='paywall-title'>Teruskan membaca dengan langganan</p><ul><li>Bulanan "
           "RM12.90 sebulan</li></ul><a href='/langgan'>Langgan sekarang</a></div></div>")
    text = _prepared_text(f"<html><body><article>{_P * 3}{box}</article></body></html>")
    assert "Teruskan membaca" not in text and "RM12.90" not in text and "Lembah Klang" in text
    # the subscriber part of a story in a container so marked stays
    part = f"<div class='paywall-content'>{_P * 2}</div>"
    assert "Lembah Klang" in _prepared_text(f"<html><body><article>{part}</article></body></html>")


def test_a_wiki_section_of_lists_goes_with_the_edit_links() -> None:
    head = ("<div class='mw-heading mw-heading2'><h2>{}</h2><span class='mw-editsection'>"
            "[<a href='?action=edit'>uredi</a>]</span></div>")
    page = ("<html><body><div class='mw-parser-output'>" + _P * 3
            + head.format("Povezane vijesti") + "<ul><li><a href='/w'>Zadar dobio autobuse</a>"
            "</li></ul>" + head.format("Izvori") + "<ul><li>„Bicikli” — Zadarski list</li></ul>"
            "<div class='noprint'><b>Podijelite:</b> <a>Facebook</a></div></div></body></html>")
    text = _prepared_text(page)
    assert "Povezane" not in text and "Zadarski" not in text and "uredi" not in text
    # a section of prose (with a list in it) stays
    prose = page.replace("<ul><li><a href='/w'>Zadar dobio autobuse</a></li></ul>",
                         "<p>Grad je objavio nove podatke o korištenju bicikala.</p><ul><li>"
                         "a</li></ul>")
    assert "Povezane vijesti" in _prepared_text(prose)


_EN = "<p>" + "Trains on the line will run until late on weekdays from April, it said. " * 3
_EN += "</p>"


def test_the_story_h1_beats_an_seo_og_title_of_the_same_story() -> None:
    from worker.normalise.html import extract_html

    head = ("<html><head><meta property='og:title' content='Blue Line: Lagos extends rail "
            "hours as commuters battle fuel costs'></head><body>")
    page = (f"{head}<main><article><h1 class='ArticleHeader_title'>Lagos Blue Line trains to run"
            f" until 11pm from April</h1>{_EN * 4}</article></main></body></html>")
    assert extract_html(page).title == "Lagos Blue Line trains to run until 11pm from April"
    # a site-name h1 outside the article, or one about something else, is no headline
    logo = page.replace("<main><article><h1 class='ArticleHeader_title'>", "<h1>") \
        .replace("</h1>", "</h1><main><article>")
    assert extract_html(logo).title.startswith("Blue Line: Lagos extends")
    other = page.replace("Lagos Blue Line trains to run until 11pm from April",
                         "Weekend weather: rain across the south")
    assert extract_html(other).title.startswith("Blue Line: Lagos extends")


def test_an_author_box_after_the_story_goes_a_byline_box_over_it_stays() -> None:
    box = ("<div class='AuthorBox_root'><a href='/author/t'>Tolulope Bankole</a><p>Transport "
           "Correspondent</p><p>Tolulope covers transport and city life in Lagos.</p></div>")
    text = _prepared_text(f"<html><body><article>{_EN * 3}{box}</article></body></html>")
    assert "Correspondent" not in text and "Trains on the line" in text
    top = f"<html><body><article>{box}{_EN * 3}</article></body></html>"
    assert "Correspondent" in _prepared_text(top)


def test_source_lines_wire_slugs_sign_offs_and_a_galician_pitch() -> None:
    from worker.normalise.html_labels import LABEL_PARA_RE
    from worker.normalise.page_notes import PITCH_RE

    for line in ("ምንጭ፡ ኢዜአ", "Izvor: Hina", "বাসস/এমএইচ/১০৩০", "BSS/MH/1030",
                 "— Ulat ni Jessa Mae Dizon, Balita Nayon News", "– Reporting by Jane Roe, Lagos"):
        assert LABEL_PARA_RE.match(line), line
    for line in ("Izvor: prema podacima koje je grad objavio u četvrtak, broj korisnika raste.",
                 "Ulat ni Jessa: bumaba ang bilang ng pasahero", "1/2/2025", "A/B testing/1030 ms"):
        assert not LABEL_PARA_RE.match(line), line
    assert PITCH_RE.match("Queres recibir as novas da asociación? Subscríbete ao noso boletín "
                          "aquí abaixo.")
    assert not PITCH_RE.match("Queres saber como foi a obra? A asociación contou coa axuda de "
                              "vinte veciñas durante tres fins de semana.")


def test_a_teaser_after_the_headline_box_and_its_date_row_is_the_dek() -> None:
    import lxml.html

    from worker.normalise.html_layout import dek_after_headline

    lead = "Haur eta gazteentzako gune berria ere estreinatuko da"
    page = ("<html><body><div class='article'><div class='header'><h1>Liburutegia</h1></div>"
            "<div class='footer'><p><span>2025eko martxoaren 14a</span></p></div>"
            f"<div class='lead'><p>{lead}.</p></div><div class='text'><p>a</p></div>"
            "</div></body></html>")
    target = lead.lower()
    assert dek_after_headline(lxml.html.fromstring(page), target)
    # the story's first paragraph in a run of its kind is no dek; nor one past other content
    run = page.replace("<div class='lead'>", "<div class='p'>").replace(
        "<div class='text'>", "<div class='p'>")
    assert not dek_after_headline(lxml.html.fromstring(run), target)
    far = page.replace("2025eko martxoaren 14a", "Kultura etxeko albisteak eta ekitaldiak, "
                       "astero eguneratuta, herritar guztientzat zabalik dauden saioekin")
    assert not dek_after_headline(lxml.html.fromstring(far), target)
