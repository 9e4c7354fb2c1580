"""Side-by-side text columns (``pdftotext -layout``) are read one column after the other;
ordinary text, tables, aligned menus, code and poetry pass through untouched."""

from __future__ import annotations

import textwrap

from worker.events.models import Source
from worker.normalise.article import normalise_text
from worker.normalise.columns import split_columns

LEFT = ("The county council voted on Tuesday to close the old harbour road to heavy trucks "
        "from next month, after engineers found cracks in two of its retaining walls. "
        "Hauliers will have to use the ring road, which adds about twelve minutes to the "
        "trip from the port to the industrial estate, the council said in a statement.")
RIGHT = ("Residents of the harbour streets welcomed the decision, saying the trucks had "
         "shaken their houses for years. The hauliers' association said it would ask the "
         "council to pay for the extra fuel its members would burn on the longer route, "
         "and that it had not been consulted before the vote was taken on Tuesday night.")


def _two_columns(left: str, right: str, width: int = 40, gutter: int = 5) -> list[str]:
    a, b = textwrap.wrap(left, width), textwrap.wrap(right, width)
    rows = max(len(a), len(b))
    a += [""] * (rows - len(a))
    b += [""] * (rows - len(b))
    return [(x.ljust(width + gutter) + y).rstrip() for x, y in zip(a, b, strict=True)]


def test_two_columns_read_left_then_right_under_a_full_width_headline() -> None:
    head = ["Council shuts harbour road to trucks as engineers find cracks in the walls", ""]
    text = "\n".join(head + _two_columns(LEFT, RIGHT))
    out = split_columns(text)
    assert out.startswith(head[0] + "\n")  # the full-width headline stays where it is
    lines = [s.strip() for s in out.split("\n") if s.strip()]
    assert " ".join(lines[1:]) == f"{LEFT} {RIGHT}"
    art = normalise_text(text, source=Source(kind="file", location="cols"))
    assert list(art.body) == [LEFT, RIGHT]


def test_a_sentence_broken_off_at_the_column_foot_goes_on_under_a_caption() -> None:
    cut = LEFT.rsplit(" the council", 1)
    rest = "the council" + cut[1] + " " + RIGHT
    a = textwrap.wrap(cut[0], 36)
    b = ["A truck on the harbour road on Monday.", "STAFF PHOTO", "", *textwrap.wrap(rest, 36)]
    rows = max(len(a), len(b))
    a += [""] * (rows - len(a))
    b += [""] * (rows - len(b))
    text = "\n".join((x.ljust(40) + y).rstrip() for x, y in zip(a, b, strict=True))
    lines = [s.strip() for s in split_columns(text).split("\n")]
    para = " ".join(lines[:lines.index("")])
    assert para == f"{LEFT} {RIGHT}"
    assert lines[-3:] == ["", "A truck on the harbour road on Monday.", "STAFF PHOTO"]


def test_ordinary_prose_and_indented_quotes_pass_through() -> None:
    text = "\n".join(textwrap.wrap(LEFT + " " + RIGHT, 72)) + "\n\n" + "\n".join(
        "        " + s for s in textwrap.wrap(RIGHT, 60))
    assert split_columns(text) is text


def test_tables_and_aligned_menus_pass_through() -> None:
    table = "\n".join(f"{team:<24}{p:>4}{w:>6}{d:>6}{pts:>8}" for team, p, w, d, pts in [
        ("Harbour United", 10, 8, 1, 25), ("Port Ellis Rovers", 10, 7, 2, 23),
        ("Greywick Athletic", 10, 6, 2, 20), ("Halden Town", 10, 5, 3, 18),
        ("Estuary Wanderers", 10, 4, 3, 15), ("Marigold FC", 10, 3, 4, 13),
        ("Northside Albion", 10, 2, 4, 10), ("Old Quay", 10, 1, 3, 6),
        ("Riverside", 10, 1, 2, 5)] * 2)
    assert split_columns(table) is table
    menu = "\n".join(f"   * {a:<28}   * {b:<28}   * {c}" for a, b, c in [
        ("Home page of the site", "Local news and sport", "Weather for the week"),
        ("Business and the markets", "Opinion and letters", "Obituaries this week"),
        ("Arts and entertainment", "Puzzles and games", "Contact the newsroom"),
        ("Subscribe to the paper", "Advertise with us", "Jobs at the Gazette")] * 3)
    assert split_columns(menu) is menu


def test_code_with_aligned_comments_and_poetry_pass_through() -> None:
    code = "\n".join(f"{stmt:<44}# {why}" for stmt, why in [
        ("x = load(path)", "read the whole file into memory first"),
        ("rows = [r for r in x if r]", "drop the empty rows left by the export"),
        ("total = sum(r.value for r in rows)", "what the report shows at the bottom"),
        ("avg = total / max(len(rows), 1)", "never divide by zero on an empty file"),
        ("log.info('rows %d', len(rows))", "so the operator sees how many were read"),
        ("out = render(rows, avg)", "the template takes the rows and the mean"),
        ("write(out, target)", "replace the old report in one atomic step"),
        ("cleanup(tmpdir)", "the scratch files are not needed any more"),
        ("return out", "callers print it or send it by mail later")])
    assert split_columns(code) is code
    poem = "\n".join(["The tide comes in across the harbour wall,",
                      "      and every boat that rocks there hears it call;",
                      "the gulls go quiet and the nets hang still,",
                      "      the lamps come on along the quay and hill."] * 4)
    assert split_columns(poem) is poem


def test_a_briefs_head_under_the_story_ends_it() -> None:
    brief = ("The library will open from noon to five on Sundays starting in April, after the "
             "board approved a one-year pilot funded by a state grant.")
    text = "\n\n".join(["Council shuts harbour road to trucks", LEFT, RIGHT, "IN BRIEF",
                        "Library to open on Sundays", brief])
    art = normalise_text(text, source=Source(kind="file", location="briefs"))
    assert list(art.body) == [LEFT, RIGHT]


def test_a_get_in_touch_box_under_the_story_ends_it() -> None:
    text = "\n\n".join(["Council shuts harbour road to trucks", LEFT, RIGHT, "Get in touch",
                        "Do you have a story suggestion for the county?",
                        "Follow county news on the radio, Facebook, Instagram and X."])
    art = normalise_text(text, source=Source(kind="file", location="touch"))
    assert list(art.body) == [LEFT, RIGHT]
