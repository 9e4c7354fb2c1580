"""Rules from blind batch zb (extraction-tool text dumps), second round: wrap widths counted
as the wrapping tool counts them, and the plain-text rules listed with each test."""

from __future__ import annotations

from worker.events.models import Article, Source
from worker.normalise.article import normalise
from worker.normalise.lines import logical_lines
from worker.normalise.textparts import Line
from worker.normalise.wrap import columns, continues, wrap_width

HI = ("राजस्थान की राजधानी जयपुर में पंद्रह अप्रैल से ई-रिक्शा के लिए नए रूट नियम लागू होंगे "
      "और यातायात पुलिस ने शहर को पांच जोन में बांटा है। हर ई-रिक्शा को केवल अपने जोन में ही "
      "चलने की अनुमति होगी और नियम तोड़ने पर जुर्माना लगेगा।")


def _wrap(text: str, width: int) -> list[str]:
    """Greedy wrap by display columns, as pandoc does."""
    out: list[str] = []
    cur = ""
    for w in text.split():
        if cur and columns(cur) + 1 + columns(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    return [*out, cur]


def test_display_columns_skip_combining_marks() -> None:
    assert columns("plain ascii") == 11
    assert columns("में") < len("में")  # vowel signs take no column
    assert columns("café") == 4 and columns("cafe\u0301") == 4


def test_a_pandoc_hindi_wrap_is_found_and_joined() -> None:
    paras = [HI.replace("पंद्रह", str(k)) for k in range(6)]
    raw: list[str] = []
    for p in paras:
        raw += [*_wrap(p, 72), ""]
    assert max(len(s) for s in raw) > 80  # code points run past the column
    assert 66 <= wrap_width(raw) <= 72
    lines = logical_lines("\n".join(raw))
    assert [ln.text for ln in lines] == paras


def test_caseless_continuation_but_not_chinese_or_japanese() -> None:
    assert continues("होंगे। यातायात") and continues("했다. 지원") and continues("and so")
    assert not continues("The") and not continues("運転手不足") and not continues("1일부터")


def test_an_ordered_list_under_wrapped_text_is_no_wrap() -> None:
    raw: list[str] = []
    for p in [HI.replace("पंद्रह", str(k)) for k in range(6)]:
        raw += [*_wrap(p, 72), ""]
    heads = [f"{k}. " + HI[:80 + k].strip() for k in range(1, 5)]  # no blank lines between
    lines = logical_lines("\n".join([*raw, *heads]))
    assert [ln.text for ln in lines][-4:] == heads


def test_markdown_link_lines_say_nothing_of_the_width() -> None:
    raw: list[str] = []
    for k in range(5):
        raw += [f"* [खबर {k}](https://example.org/news/{'x' * (70 + k)})"]
    raw.append("")
    for p in [HI.replace("पंद्रह", str(k)) for k in range(3)]:
        raw += [*_wrap(p, 72), ""]
    assert 66 <= wrap_width(raw) <= 72


def _art(text: str) -> Article:
    return normalise(text.encode(), source=Source(kind="file", location="a.txt"), kind="text")


STORY = [
    "Water companies in England will have to publish live data on every sewage overflow "
    "within an hour of it starting to discharge, under rules announced on Thursday.",
    "The environment secretary said the requirement would cover all storm overflows by the "
    "end of next year, giving swimmers and anglers a way to check a river before going in.",
    "Companies already report the total number and duration of spills each year, and some "
    "run live maps for parts of their networks, but the data is published with long delays.",
    "Campaigners welcomed the move but said transparency alone would not reduce the number "
    "of spills, and that the companies should be made to invest in their pipes instead.",
]


def test_a_jina_reader_header_names_the_headline_and_its_date_comes_last() -> None:
    head = "Water firms told to publish live sewage data for every overflow"
    text = "\n\n".join([
        f"Title: {head} | Water | The Daily Ledger", "URL Source: https://example.org/a",
        "Published Time: 2025-05-14T23:30:04.000Z", "Markdown Content:",
        "[Skip to main content](https://example.org/a#main)",
        "This article is more than 2 months old",
        f"{head}\n{'=' * len(head)}", "Thu 15 May 2025 00.30 BST", *STORY])
    art = _art(text)
    assert art.title == head
    assert str(art.published_at)[:10] == "2025-05-15"  # the page's own date line
    assert art.body[0] == STORY[0]
    from worker.normalise.dumps import tool_header
    from worker.normalise.textparts import TextParts

    parts = TextParts()
    rest = tool_header(text, parts)
    assert parts.title == head and "URL Source" not in rest and "Title:" not in rest
    # the title's first part not on a line of the page: no title from the header
    parts = TextParts()
    tool_header(text.replace(f"{head}\n", "Sewage data for all\n"), parts)
    assert parts.title == ""
    parts = TextParts()  # no "Markdown Content:" mark: no reader header
    assert tool_header(text.replace("Markdown Content:", "Content:"), parts).startswith("Title:")


def test_setext_rules_mark_the_heading_level() -> None:
    from worker.normalise.textfix import rejoin_markdown_links

    text = "Headline here\n=============\n\n[a](b)\n\nSubhead\n-------\n"
    assert rejoin_markdown_links(text).strip().split("\n\n") == ["# Headline here", "[a](b)",
                                                                 "## Subhead"]


def _lines(texts: list[str]) -> list[Line]:
    """Lines as the classifier leaves them: a long sentence is prose."""
    return [Line(t, True, words=len(t.split()), prose=len(t.split()) >= 12) for t in texts]


def test_a_skip_past_promotion_is_one_box() -> None:
    from worker.normalise.dump_boxes import skip_promos

    box = ["[skip past newsletter promotion](https://example.org/a#skip)", "Sign up to Earth",
           "The planet's most important stories, every week in your inbox.",
           "Privacy Notice: Newsletters may contain info about charities and online ads.",
           "after newsletter promotion"]
    lines = _lines([STORY[0], *box, STORY[1]])
    skip_promos(lines)
    assert [bool(x.kind) for x in lines] == [False, *[True] * 5, False]
    lines = _lines([STORY[0], box[0], STORY[1], STORY[2]])  # no closing mark: left alone
    skip_promos(lines)
    assert not any(x.kind for x in lines)


def test_a_quoted_social_post_goes_but_a_quote_stays() -> None:
    from worker.normalise.dump_boxes import quoted_posts

    post = ["> Live data on every single overflow is a win for the volunteers who test rivers.",
            ">", "> — Clean Rivers Now (@CleanRiversNow) [May 15, 2025](https://x.example/s/1)"]
    lines = _lines([STORY[0], *post, STORY[1]])
    quoted_posts(lines)
    assert [bool(x.kind) for x in lines] == [False, True, True, True, False]
    quote = ["> We will not accept another year of spills on our beaches.", ">",
             "> — from the trust's annual report"]
    lines = _lines([STORY[0], *quote, STORY[1]])
    quoted_posts(lines)
    assert not any(x.kind for x in lines)


def test_a_support_appeal_under_the_story_is_a_box() -> None:
    from worker.normalise.dump_boxes import support_appeals

    appeal = ["I hope you appreciated this article. Before you move on, I was hoping you would "
              "consider taking the step of supporting the Daily Ledger’s journalism.",
              "A small number of billionaire owners have a powerful hold on so much of the "
              "information that reaches the public about what is happening in the world.",
              "If you can, please consider supporting us just once, or better yet, support us "
              "every month with a little more. Thank you."]
    lines = _lines([*STORY, *appeal])
    support_appeals(lines)
    assert [bool(x.kind) for x in lines] == [False] * 4 + [True] * 3
    # one sentence of the story about an appeal: kept
    own = ("The charity said it hoped readers would consider supporting its appeal for the "
           "flood victims, which has raised more than two million pounds so far.")
    lines = _lines([*STORY, own])
    support_appeals(lines)
    assert not any(x.kind for x in lines)


def test_an_archive_age_notice_is_no_headline() -> None:
    from worker.normalise.dump_boxes import age_notes

    lines = _lines(["This article is more than 2 months old", "This story is older than we are"])
    age_notes(lines)
    assert [bool(x.kind) for x in lines] == [True, False]


def test_a_caption_signed_by_photographer_and_agency_without_a_stop() -> None:
    from worker.normalise.lines import signed_caption

    assert signed_caption("Windräder bei Gerstetten auf der Schwäbischen Alb: Im Südwesten "
                          "dauern Genehmigungen besonders lange Foto: Jonas Keller / dpa")
    # no "Name / Agency" credit: a headline about photos, or a sentence
    assert not signed_caption("Stadt zeigt alte Ansichten mit Fotos: Ein Blick zurück")
    assert not signed_caption("Die Ausstellung zeigt Bilder aus dem Archiv mit Foto: Jonas Keller")


DE = [
    "Wer in Baden-Württemberg ein Windrad bauen will, soll künftig deutlich schneller eine "
    "Genehmigung bekommen, hat das Landeskabinett am Dienstag in Stuttgart beschlossen.",
    "Der Gemeindetag begrüßte das Ziel, kritisierte aber die Fristen, weil die unteren "
    "Behörden in den Landratsämtern schon jetzt überlastet seien, sagte ein Sprecher.",
    "Der Landtag soll sich noch vor der Sommerpause mit dem Gesetz befassen, das dann zum "
    "ersten Januar des kommenden Jahres in Kraft treten könnte, hieß es aus dem Ministerium.",
]
COMMENTS = [
    "Sieben Monate klingt gut. Aber wer prüft das dann, wenn im Landratsamt zwei Stellen "
    "unbesetzt sind?",
    "Endlich. Bei uns im Ort wartet ein Bürgerwindpark seit Jahren auf die Genehmigung.",
    "Und wieder wird beim Artenschutz gespart. Der Rotmilan hat halt keine Lobby.",
]


def test_the_sign_off_ends_the_story_and_comments_under_it_go() -> None:
    art = _art("\n".join(["Windkraft: Schneller genehmigen", *DE, "jkl/dpa/AFP", *COMMENTS]))
    assert list(art.body) == DE
    # "and/or" alone on a line is no sign-off; nor does one end a story most of which follows
    from worker.normalise.dumps import signed_end

    lines = _lines([*DE, "und/oder", *COMMENTS])
    assert signed_end(lines, 0, len(lines) - 1) == len(lines) - 1
    lines = _lines([DE[0], "sto/dpa", *DE[1:], *COMMENTS])
    assert signed_end(lines, 0, len(lines) - 1) == len(lines) - 1


EN = [
    "Texas lawmakers on Monday gave final approval to a plan that would set aside billions "
    "over the next decade for new water projects, as the state braces for rapid growth.",
    "Much of the money would go to repairing aging pipes, which the board says lose an "
    "estimated 136 billion gallons of water a year, and to new supply projects.",
    "Critics said the plan leaned too heavily on new supply and not enough on conservation, "
    "and environmental groups questioned whether the state would have enough water.",
]


def test_a_get_text_dateline_over_three_lines_is_put_back() -> None:
    head = "Texas lawmakers approve plan to shore up state’s water supply"
    art = _art("\n".join([head, "Austin, Texas", "WNN", "—", *EN]))
    assert art.dateline == "Austin" and art.body[0] == EN[0]
    # a section label over a dash is no agency: nothing put back
    art = _art("\n".join([head, "Austin, Texas", "Politics", "—", *EN]))
    assert art.dateline is None and art.body[0] == EN[0]


def test_an_inline_link_after_an_open_word_rejoins_its_sentence() -> None:
    raw = ["The", "Texas Water Development Board",
           "estimates the state will need to spend about $154 billion over the next 50 years.",
           "The measure, which passed the", "Texas House",
           "128-16 after clearing the Senate last month, now heads to the governor."]
    assert [ln.text for ln in logical_lines("\n".join(raw))] == [
        "The Texas Water Development Board estimates the state will need to spend about $154 "
        "billion over the next 50 years.",
        "The measure, which passed the Texas House 128-16 after clearing the Senate last "
        "month, now heads to the governor."]
    # a headline then a figure line: no open word, nothing joined
    kept = ["Water board publishes its new estimate", "Texas Water Development Board",
            "154 billion dollars over 50 years"]
    assert [ln.text for ln in logical_lines("\n".join(kept))] == kept
