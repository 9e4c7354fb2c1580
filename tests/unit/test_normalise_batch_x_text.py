"""Rules from blind batch x (text dumps): title-case datelines with a dash or an agency and
date, and a story's own list right under a mid-story "read also" box."""

from __future__ import annotations

from worker.events.models import Source
from worker.normalise.article import normalise
from worker.normalise.meta import dateline_date, local_dateline

LONG = "Dinas Perhubungan DKI Jakarta akan memperluas penerapan sistem ganjil genap ke empat " \
       "ruas jalan baru mulai Senin depan, kata pejabat itu."


def test_title_case_place_and_dash_or_agency_is_a_dateline() -> None:
    assert local_dateline(f"Jakarta - {LONG}") == ("Jakarta", LONG)
    assert local_dateline(f"León, Gto.- {LONG}")[0] == "León"
    nan = f"Ilorin, Feb. 14, 2025 (NAN) {LONG}"
    assert local_dateline(nan) == ("Ilorin", LONG)
    assert str(dateline_date(nan))[:10] == "2025-02-14"
    for para in (f"Update - {LONG}", f"Jakarta - {LONG[:40]}", f"Jakarta said {LONG}"):
        assert local_dateline(para)[0] is None


def test_a_list_under_a_read_also_box_is_the_story_going_on() -> None:
    para = ("The city council said the new rules would apply from Monday to Friday during the "
            "morning and evening rush hours, and that fines would follow a week of warnings.")
    text = "\n\n".join([
        "Odd-even rules reach four more roads", para, para.replace("city", "transport"),
        "Baca juga:", "Police fined 1,200 drivers in one week",
        "The four roads are:", "1. Panjang Road, West", "2. Pramuka Road, East",
        "3. Tentara Pelajar Road, South", para.replace("council", "agency"),
        para.replace("Monday", "Tuesday")])
    art = normalise(text.encode(), source=Source(kind="file", location="a.txt"), kind="text")
    assert "Baca juga:" not in art.body and "The four roads are:" in art.body
    assert "2. Pramuka Road, East" in art.body  # the story's list, kept
    assert "Police fined 1,200 drivers in one week" not in art.body
    assert art.body[-2:] == (para.replace("council", "agency"), para.replace("Monday", "Tuesday"))


def test_suspended_hyphen_keeps_its_space() -> None:
    from worker.normalise.textfix import dehyphen

    assert dehyphen("mit gestiegenen Personal-", "und Energiekosten") \
        == "mit gestiegenen Personal- und Energiekosten"
    assert dehyphen("the govern-", "ment said") == "the government said"


def test_a_wrap_width_stands_beside_long_markdown_link_lines() -> None:
    from worker.normalise.wrap import wrap_width

    prose = ("Auf die Leipziger Haushalte kommen höhere Kosten für die Müllabfuhr zu. Der "
             "Stadtrat hat am Montagabend mit großer Mehrheit eine neue Satzung beschlossen, "
             "die am ersten April in Kraft tritt und die Gebühren für viele Mieter erhöht.")
    import textwrap

    lines: list[str] = []
    for k in range(8):
        lines += [*textwrap.wrap(prose.replace("Montagabend", f"Tag {k}"), 78), ""]
        lines += ["[Mehr lesen: eine lange verlinkte Überschrift](https://example.org/"
                  + "x" * (60 + k) + ")", ""]
    assert 70 <= wrap_width(lines) <= 78


def test_labelled_items_with_blank_lines_between_and_turkish_read_also() -> None:
    p1 = ("Meteoroloji Genel Müdürlüğü, Ege ve Batı Akdeniz'de çarşamba öğleden sonra "
          "başlaması beklenen kuvvetli sağanak ve fırtına nedeniyle dört il için turuncu "
          "kodlu uyarı yaptı ve vatandaşları dikkatli olmaya çağırdı.")
    p2 = ("Manisa, Denizli ve Burdur için ise sarı kodlu uyarı yapıldı. Meteoroloji, "
          "yağışların perşembe akşam saatlerinden itibaren etkisini kaybetmesini bekliyor "
          "ve sürücüleri su baskınlarına karşı uyardı.")
    text = "\n\n".join([
        "Meteoroloji'den 4 il için turuncu kodlu uyarı", p1, p1.replace("dört", "4"),
        "İlginizi Çekebilir: İzmir'de fırtına nedeniyle vapur seferleri iptal edildi",
        "Uyarı kapsamındaki iller ve saatler şöyle:", "İzmir: Çarşamba 15.00 - Perşembe 09.00",
        "Aydın: Çarşamba 17.00 - Perşembe 12.00", "Antalya (batı ilçeleri): Perşembe 06.00 - 21.00",
        p2, p2.replace("Manisa", "Uşak")])
    art = normalise(text.encode(), source=Source(kind="file", location="a.txt"), kind="text")
    assert art.body[0] == p1 and art.dateline is None
    assert "Aydın: Çarşamba 17.00 - Perşembe 12.00" in art.body
    assert not any(p.startswith("İlginizi") for p in art.body)


def test_fact_check_summary_box_mailchimp_heads_and_japanese_caption_rules() -> None:
    from worker.normalise.cjk_cues import CJK_CAPTION_RE
    from worker.normalise.cues import KEY_POINTS_RE
    from worker.normalise.dumps import tool_header
    from worker.normalise.textparts import TextParts

    assert KEY_POINTS_RE.match("If your time is short") and KEY_POINTS_RE.match("TL;DR:")
    assert not KEY_POINTS_RE.match("If your time is short, read this first.")
    text = "** What changes in July\n" + "-" * 60 + "\nThe first six kilolitres stay free."
    assert tool_header(text, TextParts()).startswith("What changes in July\nThe first")
    kept = "** not a heading\nbut a line"
    assert tool_header(kept, TextParts()) == kept
    assert CJK_CAPTION_RE.match("【表】廃止・減便となる主な路線")
    assert not CJK_CAPTION_RE.match("【速報】神戸市バス、12系統を廃止へ")


def test_japanese_photo_caption_is_no_headline() -> None:
    from worker.normalise.textparts import Line
    from worker.normalise.title import title_score

    caption = Line("神戸市バスの車両（神戸市中央区の三宮バスターミナルで）", gap=True, words=3)
    head = Line("神戸市バス、12系統を廃止へ　運転手不足で4月から再編", gap=True, words=3)
    assert title_score(caption, 1) < 0 < title_score(head, 1)


def test_hyphen_chains_speaker_suffixes_and_text_browser_images() -> None:
    from worker.normalise.textfix import dehyphen
    from worker.normalise.textparts import Line
    from worker.normalise.title import title_score

    assert dehyphen("rising 11.2 per cent year-on-", "year to 11.9") \
        == "rising 11.2 per cent year-on-year to 11.9"
    assert dehyphen("a re-", "election bid") == "a reelection bid"  # (as before)
    img = Line("[IMG] Maxine Fell as Lyubov Ranevskaya in The Cherry Orchard", gap=True, words=10)
    assert title_score(img, 1) < 0
    text = "\n\n".join([
        "Kwara to recruit 2,000 teachers for rural schools – Commissioner",
        "Ilorin, Feb. 14, 2025 (NAN) The Kwara Government says it will recruit 2,000 teachers "
        "for public primary and junior secondary schools in rural communities this year.",
        "The commissioner said the portal would open on March 3 and close on March 24, and "
        "that shortlisted applicants would sit a test in April before any posting."])
    art = normalise(text.encode(), source=Source(kind="file", location="a.txt"), kind="text")
    assert art.title == "Kwara to recruit 2,000 teachers for rural schools – Commissioner"


def test_labelled_photo_caption_and_french_spaced_closing_quote() -> None:
    from worker.normalise.cues import FULL_STOP_RE, full_stop
    from worker.normalise.lines import signed_caption

    assert signed_caption("Photo: Hospitality workers say overnight buses will save them "
                          "hundreds of dollars a month. (ABC News: Lucy Murray)")
    assert not signed_caption("Photo: the council's plan (in brief) is on page 3 (PDF)")
    quote = "Mais c'est mieux que rien, et les gens se croisent devant la porte. »"
    assert full_stop(quote) and FULL_STOP_RE.search(quote)
    assert not full_stop("Sur le même sujet »")


def test_a_newsletters_reply_prompt_is_furniture() -> None:
    from worker.normalise.cues import STRONG_RE

    assert STRONG_RE.search("Have a question about your bill? Reply to this email and we'll "
                            "answer it in next week's issue.")
    assert not STRONG_RE.search("She did not reply to the email the council sent on Monday.")
