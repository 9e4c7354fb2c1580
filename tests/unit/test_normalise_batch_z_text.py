"""Rules from blind batch z (text dumps): scripts without letter case, narrow print
columns, and a printed page's next story."""

from __future__ import annotations

from worker.events.models import Source
from worker.normalise.article import normalise
from worker.normalise.narrow import join_narrow_blocks
from worker.normalise.plaintext import extract_parts
from worker.normalise.textfix import lower_share


def _art(text: str) -> object:
    return normalise(text.encode(), source=Source(kind="file", location="a.txt"), kind="text")


def test_caseless_words_count_as_running_text() -> None:
    tamil = "ஏரியின் கரையை பலப்படுத்தி, அதன் மேல் 3 மீட்டர் அகலத்தில் நடைபாதையும் உள்ளது."
    assert lower_share(tamil) >= 0.8
    assert lower_share("The Quick Brown Fox Jumps Over") == 0.0  # a title-case headline
    assert lower_share("Über Straße") == 0.0


BN = ["পুরান ঢাকার সদরঘাট থেকে", "কামরাঙ্গীরচর পর্যন্ত", "বুড়িগঙ্গা নদীর তীর ঘেঁষে",
      "নির্মিত সাড়ে চার কিলোমিটার", "দীর্ঘ হাঁটার পথ আগামী ঈদের", "আগেই খুলে দেওয়া হবে।"]


def test_narrow_column_blocks_in_a_caseless_script_are_joined() -> None:
    block = "\n".join(BN)
    text = "\n\n".join(["শিরোনাম এখানে", block, block, block])
    out = join_narrow_blocks(text)
    assert out.split("\n\n")[1] == " ".join(BN)
    assert out.split("\n\n")[0] == "শিরোনাম এখানে"


def test_narrow_blocks_are_left_alone_elsewhere() -> None:
    # a menu that ends each line ("।" on every line), and any cased-script text
    menu = "\n".join(f"{w}।" for w in BN)
    text = "\n\n".join([menu, menu, menu, menu])
    assert join_narrow_blocks(text) == text
    english = "\n\n".join(["Short lines\nof a poem\nrun on here"] * 4)
    assert join_narrow_blocks(english) == english


def _story(head: str, n: int) -> list[str]:
    para = ("The council voted on Tuesday to widen the two roads into the harbour before the "
            "fire season starts, and the work will begin in May, officials said.")
    return [head, "Staff Reporter", *[para.replace("Tuesday", f"day {k}") for k in range(n)]]


def test_a_printed_page_brief_under_the_same_staff_byline_is_no_part_of_the_story() -> None:
    text = "\n\n".join([*_story("Harbour roads to be widened", 4),
                        *_story("Gas supply cut in Mirpur today", 1)])
    parts = extract_parts(text)
    assert len(parts.body) == 4
    assert parts.title == "Harbour roads to be widened"


def test_a_paginated_story_repeating_its_header_keeps_its_pages() -> None:
    page1 = _story("Harbour roads to be widened", 2)
    page2 = [p.replace("council", "county board") for p in page1]
    text = "\n\n".join([*page1, "Page 2 of 2", *page2])
    parts = extract_parts(text)
    assert len(parts.body) == 4, parts.body


def test_a_labelled_scraper_print_out_gives_its_story_and_metadata() -> None:
    story = ("Dar es Salaam. Wakala wa Mabasi umesema mabasi ya awamu ya pili yataanza kutoa "
             "huduma katika barabara ya Kilwa kuelekea Mbagala kuanzia Machi mosi mwaka huu.")
    summary = "Kitwana amesema mkandarasi ameahidi kukabidhi daraja hilo kabla ya mwisho."
    text = "\n".join(["URL: https://news.example/a", "TITLE: Mabasi kuanza safari Mbagala",
                      "AUTHORS: ['Rehema Kisanga']", "PUBLISH DATE: 2025-02-18 00:00:00+03:00",
                      "SUMMARY:", summary, "-" * 20, "TEXT:", story, "",
                      story.replace("huu", "ujao")])
    parts = extract_parts(text)
    assert parts.title == "Mabasi kuanza safari Mbagala"
    assert parts.authors == ["Rehema Kisanga"]
    assert summary not in parts.body and len(parts.body) == 2
    # a story that merely has a "Text:" line later keeps its own headline and lines
    plain = "\n\n".join(["Council opens new library", story, "Text: Jane Doe", story + " Ndiyo."])
    assert extract_parts(plain).title == "Council opens new library"


def test_malay_release_reads_as_prose_and_the_forward_subject_is_no_title() -> None:
    para = ("Majlis Perbandaran Seri Gading (MPSG) melanjutkan waktu operasi perkhidmatan Bas "
            "Percuma MPSG sehingga jam 11.00 malam sepanjang bulan Ramadan bagi memudahkan "
            "orang ramai ke Bazar Ramadan Dataran Seri Gading mulai 4 Mac 2025.")
    text = "\n\n".join(["Subject: FW: KENYATAAN MEDIA: MPSG lanjut waktu operasi bas percuma",
                        para, para.replace("Ramadan", "puasa"), para.replace("MPSG", "Majlis")])
    art = _art(text)
    assert len(art.body) == 3  # type: ignore[attr-defined]
    assert art.title == "MPSG lanjut waktu operasi bas percuma"  # type: ignore[attr-defined]
    head = "Subject to approval: council backs new bus plan"
    kept = "\n\n".join([head, para, para.replace("MPSG", "X")])
    assert _art(kept).title == head  # type: ignore[attr-defined]


def test_a_read_also_box_in_a_qa_interview_is_skipped_and_the_interview_goes_on() -> None:
    answer = ("Mäletan väga hästi. Oli 1994. aasta november, tuul oli kirdest ja laine tuli üle "
              "vööri ja kapten lasi mul ise randuda, kuigi ma olin siis alles noor tüürimees ja "
              "käed värisesid.")
    text = "\n".join(["Praamikapten Ain Kask: tormiga saab hakkama", "",
                      "Mäletate oma esimest reisi?", answer, "Mis on kõige keerulisem?", answer,
                      "Loe ka", "• Virtsu liinile tuleb suvel lisapraam", "• Jäätee avati",
                      "Kas kunagi on ka hirm olnud?", answer.replace("1994", "2005"),
                      "Mida te pärast pensionile jäämist teete?", answer.replace("1994", "2025")])
    body = _art(text).body  # type: ignore[attr-defined]
    assert "• Jäätee avati" not in body and "Loe ka" not in body
    assert body[-1] == answer.replace("1994", "2025")


TH = ("เทศบาลนครขอนแก่นเปิดให้บริการรถโดยสารไฟฟ้าขนาดเล็กฟรี 2 เส้นทาง เชื่อมบึงแก่นนคร "
      "ตลาดต้นตาล และสถานีขนส่งผู้โดยสารแห่งที่ 3 เริ่มวันจันทร์ที่ 22 มกราคม เพื่อลดการใช้รถยนต์ส่วนตัว")


def test_thai_paragraphs_without_stops_are_prose_and_the_last_one_stays() -> None:
    from worker.normalise.narrow import dense_chars

    assert 30 < dense_chars(TH) < 80  # ~2/5 of its Thai letters: twice its words
    assert dense_chars("東京都は十日、新しい計画を発表した") == 16  # CJK: every character
    text = "\n".join(["ขอนแก่นเปิดเดินรถเมล์ไฟฟ้าฟรี 2 สาย", "โดย ทีมข่าวภูมิภาค",
                      "รถโดยสารไฟฟ้าระหว่างทดลองเดินรถ (ภาพ: ทีมข่าวภูมิภาค)", TH,
                      TH.replace("22", "23"), "อ่านข่าวที่เกี่ยวข้อง : ค่าฝุ่นขอนแก่นพุ่งเกินมาตรฐาน 5 วันติด",
                      TH.replace("22", "24"), TH.replace("22", "25")])
    art = _art(text)
    assert art.title == "ขอนแก่นเปิดเดินรถเมล์ไฟฟ้าฟรี 2 สาย"  # type: ignore[attr-defined]
    assert list(art.body) == [TH, TH.replace("22", "23"),  # type: ignore[attr-defined]
                              TH.replace("22", "24"), TH.replace("22", "25")]


def test_a_trailing_subhead_still_goes() -> None:
    para = ("The council voted on Tuesday to widen the two roads into the harbour before the "
            "fire season starts, officials said.")
    other = para.replace("council", "county board").replace("Tuesday", "Monday")
    body = _art("\n\n".join(["Roads to be widened", para, other, "What comes next"])).body
    assert list(body) == [para, other]  # type: ignore[attr-defined]


def test_indic_colon_dateline_and_a_chat_edit_mark() -> None:
    from worker.normalise.meta import local_dateline

    para = ("சென்னை: வேளச்சேரி ஏரியைச் சுற்றி அமைக்கப்பட்டு வரும் 4 கிலோமீட்டர் நீள நடைபாதை "
            "மற்றும் சைக்கிள் பாதை ஜூன் மாதம் பொதுமக்கள் பயன்பாட்டுக்குத் திறக்கப்படும் என்று "
            "பெருநகர சென்னை மாநகராட்சி தெரிவித்துள்ளது.")
    assert local_dateline(para)[0] == "சென்னை"
    assert local_dateline("Note: " + para[8:])[0] is None  # a Latin label is no place
    other = para.replace("ஜூன்", "ஜூலை").replace("சென்னை: ", "")
    parts = extract_parts("\n\n".join(["Headline of the story here", para + " (edited)", other]))
    assert parts.body and not any(p.endswith("(edited)") for p in parts.body)


def test_an_agency_and_place_dateline_glued_to_the_story() -> None:
    from worker.normalise.meta import local_dateline

    rest = ("El ple de l'Ajuntament de Girona ha aprovat definitivament aquest dijous el pla "
            "especial que permetrà traslladar l'estació d'autobusos a la nova terminal.")
    assert local_dateline("ACN Girona.-" + rest) == ("Girona", rest)
    assert local_dateline("ACN Girona.- " + rest) == ("Girona", rest)
    # an acronym opening a sentence is no agency
    assert local_dateline("NASA Scientists say the probe " + rest)[0] is None


def test_author_bios_in_more_languages() -> None:
    from worker.normalise.cues import BIO_RE

    for bio in ("Nina Zorko je novinarka mariborske redakcije, piše o urbanizmu in okolju.",
                "Jan Kowalski jest dziennikarzem działu miejskiego.",
                "Juma Hassan ni mwandishi wa habari za michezo.",
                "Žiga Novak je urednik spletne izdaje."):
        assert BIO_RE.match(bio), bio
    for prose in ("Maribor je letos uredil kopališče, je povedal novinarjem župan.",
                  "Nina Zorko je povedala, da bo kopališče odprto vsak dan."):
        assert not BIO_RE.match(prose), prose


def test_thai_buddhist_era_and_tamil_month_dates() -> None:
    from worker.normalise.calendars import script_month_date
    from worker.normalise.dates import parse_date_hint

    assert str(parse_date_hint("19 ม.ค. 2567 16:20 น."))[:16] == "2024-01-19 16:20"
    assert str(parse_date_hint("วันที่ 19 มกราคม 2567"))[:10] == "2024-01-19"
    assert str(parse_date_hint("Updated: ஏப் 08, 2025 06:15 IST"))[:10] == "2025-04-08"
    assert str(parse_date_hint("8 ஏப்ரல் 2025"))[:10] == "2025-04-08"
    assert script_month_date("19 March 2024") is None  # not these scripts
    assert script_month_date("ราคา 19 บาท ปี 2567") is None  # no month name
