"""Rules from blind batch y (text dumps)."""

from __future__ import annotations

from worker.events.models import Source
from worker.normalise.article import normalise
from worker.normalise.decode import clean_text


def test_zero_width_non_joiner_stays_in_persian_words() -> None:
    word = "کتابخانه\u200cهای"
    assert clean_text(f"{word} \u200b") == f"{word} "
    assert clean_text("a\u200bb\ufeff") == "ab"


def _art(text: str) -> object:
    return normalise(text.encode(), source=Source(kind="file", location="a.txt"), kind="text")


def test_hebrew_prose_and_read_also_box() -> None:
    para = ("הספרייה העירונית החדשה של באר שבע תיפתח לקהל ביום ראשון, כך הודיעה היום העירייה. "
            "הבניין בן ארבע הקומות נבנה בסמוך לתחנת הרכבת ועלותו הוערכה בעשרות מיליוני שקלים.")
    text = "\n\n".join([
        "באר שבע: הספרייה העירונית החדשה תיפתח לקהל מיד אחרי פסח", "מאת: יעל בן-דוד",
        para, para.replace("ראשון", "שני"), "עוד באתר:", "יריד הספרים העברי יגיע השנה גם לדימונה",
        para.replace("ראשון", "שלישי"), para.replace("ראשון", "רביעי")])
    art = _art(text)
    assert len(art.body) == 4  # type: ignore[attr-defined]
    assert "יריד הספרים העברי יגיע השנה גם לדימונה" not in art.body  # type: ignore[attr-defined]


def test_greek_upper_case_may() -> None:
    from worker.normalise.dates import parse_date_hint

    assert str(parse_date_hint("ΚΥΡΙΑΚΗ 18 ΜΑΪΟΥ 2025"))[:10] == "2025-05-18"


def test_whatsapp_bold_title_and_hindi_danda_dateline() -> None:
    from worker.normalise.meta import local_dateline

    para = ("शहर में सिटी बसों से रोज़ सफ़र करने वालों के लिए राहत की ख़बर है। नगर परिवहन निगम "
            "ने तय किया है कि बसें रात 11 बजे तक चलेंगी।")
    assert local_dateline(f"इंदौर। {para}") == ("इंदौर", para)
    assert local_dateline(f"इंदौर। {para[:40]}")[0] is None
    art = _art("\n\n".join(["*इंदौर में अब रात 11 बजे तक चलेंगी सिटी बसें*", f"इंदौर। {para}",
                            para.replace("11", "12")]))
    assert art.title == "इंदौर में अब रात 11 बजे तक चलेंगी सिटी बसें"  # type: ignore[attr-defined]


def test_a_sentence_ending_on_a_short_last_line_is_joined() -> None:
    from worker.normalise.lines import logical_lines

    text = ("«Це перша партія, яку ми повністю профінансували з кредиту банку. Наступні "
            "вагони надійдуть\nвлітку», — розповіла заступниця міського голови Оксана\n"
            "Дяченко.\n\nНаступний абзац.")
    texts = [ln.text for ln in logical_lines(text)]
    assert texts[0].endswith("Оксана Дяченко.") and texts[1] == "Наступний абзац."


def test_release_dateline_with_a_local_date_buttons_and_markdown_items() -> None:
    from worker.normalise.meta import dateline_date, local_dateline
    from worker.normalise.textparts import Line
    from worker.normalise.title import title_score

    para = ("Cluj-Napoca, 22 mai 2025 – Primăria Municipiului lansează programul, prin care "
            "asociațiile de proprietari pot primi o finanțare nerambursabilă de 40.000 lei.")
    assert local_dateline(para)[0] == "Cluj-Napoca"
    assert str(dateline_date(para))[:10] == "2025-05-22"
    for button in ("Share this article", "Read this story", "Markeer alles als gelezen",
                   "Mark all as read", "Website bezoeken"):
        assert title_score(Line(button, True, words=len(button.split())), 0) < 0, button
    head = "Mark all as read before the council meets"
    assert title_score(Line(head, True, words=8), 0) > 0



def test_a_caption_block_over_a_labelled_photo_credit_is_no_headline() -> None:
    para = ("Власти Нижегородской области планируют с 1 июня запустить регулярный речной "
            "маршрут до Бора, сообщили в региональном министерстве транспорта в четверг.")
    art = _art("\n".join([
        "Россия", "Регионы", "В Нижнем Новгороде летом запустят речной маршрут до Бора",
        "Маршрут свяжет набережную с Бором, поездка займет около получаса",
        "Анна Кузнецова", "17 апреля 2025, 09:15", "Поделиться", "ВКонтакте", "Telegram",
        "Скопировать ссылку", "", "Судно на подводных крыльях у причала в Нижнем Новгороде",
        "Фото: Александр Морозов / «Лента Дня»", "", para, "", para.replace("1 июня", "2 июня")]))
    assert art.title == "В Нижнем Новгороде летом запустят речной маршрут до Бора"  # type: ignore[attr-defined]
    assert "Судно на подводных крыльях у причала в Нижнем Новгороде" not in art.body  # type: ignore[attr-defined]
