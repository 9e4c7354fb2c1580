"""Blind batch z, HTML pages: 'Read also' lines and comment heads in more languages,
datelines in more scripts, local dates, paywall boxes, wiki sections, title choice."""

from __future__ import annotations

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
