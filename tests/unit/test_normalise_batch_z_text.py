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
