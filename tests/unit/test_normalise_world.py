"""Shapes from the n/p blind batches (issue 17): non-English pages and their conventions.

Each test builds a small page of one shape and checks what the normaliser keeps; the n/p
floors in test_normalise_eval.py check the labelled fixtures.
"""

from __future__ import annotations

import pytest

from worker.events.models import Source
from worker.normalise.article import normalise_html, normalise_text
from worker.normalise.cues import DATE_LINE_RE, TAIL_HEAD_RE
from worker.normalise.dates import parse_date_hint
from worker.normalise.decode import clean_text
from worker.normalise.meta import split_dateline

pytestmark = pytest.mark.timeout(120, method="thread")

SRC = Source(kind="file", location="world")
JA_P1 = ("北陸新幹線の敦賀から新大阪までの延伸について、国土交通省は3日、着工の時期が早くても"
         "2030年代半ばになるとの見通しを明らかにしました。")
JA_P2 = ("延伸区間は、京都府の小浜市付近から京都駅を経由して新大阪に至るルートで、総延長は"
         "およそ140キロです。地下を通る区間が長く、地下水や残土処理の課題が残っています。")


def test_ideographic_space_kept_between_cjk_only() -> None:
    # U+3000 separates the parts of CJK headlines; as an indent or next to Latin text it is
    # just a space.
    assert clean_text("無償化へ\u3000知事が表明") == "無償化へ\u3000知事が表明"
    assert clean_text("\u3000本文です") == " 本文です"
    assert clean_text("Tokyo\u3000news") == "Tokyo news"


def test_japanese_headline_keeps_its_ideographic_space() -> None:
    title = "北陸新幹線の延伸ルート\u3000着工は2030年代半ば以降に"
    page = f"日本ニュースネット\n\n{title}\n\n2025年3月3日 18時12分\n\n{JA_P1}\n\n{JA_P2}\n"
    art = normalise_text(page, source=SRC)
    assert art.title == title
    assert art.body == (JA_P1, JA_P2)


@pytest.mark.parametrize(("para", "place", "rest"), [
    ("MADRID, 25 Feb. (EFE).- El Consejo de Ministros ha aprobado un plan.", "MADRID",
     "El Consejo de Ministros ha aprobado un plan."),
    ("ZARAGOZA, (EUROPA PRESS) - La Policía Nacional ha detenido a tres jóvenes.", "ZARAGOZA",
     "La Policía Nacional ha detenido a tres jóvenes."),
    ("(ANSA) - ROMA, 28 MAG - Con l'entrata in vigore dell'orario estivo.", "ROMA",
     "Con l'entrata in vigore dell'orario estivo."),
    ("القاهرة - (وكالات) - افتتحت الحكومة المصرية يوم الاثنين محطة", "القاهرة",
     "افتتحت الحكومة المصرية يوم الاثنين محطة"),
    ("القاهرة - بدأت الحكومة المصرية التشغيل التجريبي", "القاهرة",
     "بدأت الحكومة المصرية التشغيل التجريبي"),
])
def test_wire_datelines_in_other_languages(para: str, place: str, rest: str) -> None:
    assert split_dateline(para) == (place, rest)


def test_arabic_dash_late_in_a_sentence_is_no_dateline() -> None:
    para = "أعلنت أمانة محافظة جدة إغلاق جزء من الطريق - اعتباراً من مساء الخميس"
    assert split_dateline(para) == (None, para)


def test_transcript_speaker_is_no_dateline() -> None:
    # "NAME: text" looks like "NEW DELHI: text", but a speaker opens later turns too.
    turns = ["RENATA VIEIRA: Olá, eu sou a Renata Vieira e hoje a gente vai falar de um assunto "
             "que chegou na mesa de todo mundo: o preço do café no supermercado.",
             "PAULO ANDRADE: A safra brasileira foi menor por causa da seca e do calor, e o "
             "mercado internacional reagiu com uma alta forte nos contratos futuros.",
             "RENATA VIEIRA: E por que demora tanto para o preço cair de novo nas prateleiras?"]
    page = ("Transcrição: por que o preço do café disparou\n\n" + "\n\n".join(turns) + "\n")
    art = normalise_text(page, source=SRC)
    assert art.dateline is None
    assert art.body[0].startswith("RENATA VIEIRA:")


@pytest.mark.parametrize(("line", "day"), [
    ("3 maart 2025, 16:20", "2025-03-03"),
    ("13.fev.2025 às 6h00", "2025-02-13"),
    ("Publié le 6 mars 2025 à 19h40, modifié le 7 mars 2025 à 08h05", "2025-03-06"),
    ("2025年3月18日 07:30   来源：生活日报   阅读量：12,806", "2025-03-18"),
    ("الاثنين ٣ مارس ٢٠٢٥ - ٠٤:١٥ م", "2025-03-03"),
    ("٢٨ فبراير ٢٠٢٥", "2025-02-28"),
])
def test_local_date_formats(line: str, day: str) -> None:
    dt = parse_date_hint(line, dayfirst=True)
    assert dt is not None and dt.date().isoformat() == day
    assert DATE_LINE_RE.search(line)


def test_other_month_words_need_a_whole_word() -> None:
    assert not DATE_LINE_RE.search("3 main reasons to go")
    assert not DATE_LINE_RE.search("5 set of rules")


def test_arabic_date_line_under_the_headline() -> None:
    p1 = ("أعلنت أمانة عمّان الكبرى تمديد ساعات عمل حافلات التردد السريع خلال شهر رمضان حتى "
          "الساعة الثانية فجرًا، لتسهيل تنقل المواطنين في ساعات المساء.")
    p2 = ("وقال مدير النقل في الأمانة إن عدد الرحلات سيرتفع بنسبة كبيرة بعد الإفطار، مع تخصيص "
          "حافلات إضافية على الخطوط الرئيسية في المدينة.")
    page = (f"عمّان اليوم\n\nتمديد ساعات عمل الحافلات السريعة في عمّان خلال رمضان\n\n"
            f"٢٨ فبراير ٢٠٢٥\n\n{p1}\n\n{p2}\n")
    art = normalise_text(page, source=SRC)
    assert art.published_at is not None and art.published_at.date().isoformat() == "2025-02-28"


def test_html_time_labelled_updated_is_not_the_publication() -> None:
    story = "".join(f"<p>{JA_P1} {i}</p>" for i in range(4))
    html = ("<html><body><article><h1>Vitamin D im Winter: Wann ein Präparat sinnvoll ist</h1>"
            '<p class="byline">Aktualisiert am <time datetime="2025-02-02">2. Februar 2025'
            '</time> · erschienen <time datetime="2025-01-21">21. Januar 2025</time></p>'
            f"{story}</article></body></html>")
    art = normalise_html(html, source=SRC)
    assert art.published_at is not None and art.published_at.date().isoformat() == "2025-01-21"


def test_html_date_paragraph_under_the_headline() -> None:
    story = "".join(f"<p>{p}</p>" for p in (JA_P1, JA_P2) * 3)
    html = ("<html><body><article><h1>花粉症の薬、眠くなりにくいものを選ぶには</h1>"
            f'<p class="date">2025年2月25日</p>{story}</article></body></html>')
    art = normalise_html(html, source=SRC)
    assert art.published_at is not None and art.published_at.date().isoformat() == "2025-02-25"


def test_line_longer_than_the_wrap_column_is_not_continued() -> None:
    # A dump wrapped at 64 with no blank lines: the unwrapped cookie notice above the
    # headline is far past the column, so the headline under it is a line of its own.
    import textwrap

    story = ("Die Bundesregierung will die Genehmigungsverfahren für Windkraftanlagen an Land "
             "noch einmal deutlich verkürzen. Ein Gesetzentwurf, den das Kabinett am Montag "
             "beschlossen hat, sieht vor, dass Behörden über vollständige Anträge künftig "
             "innerhalb von drei Monaten entscheiden müssen.")
    more = ("Bislang vergehen nach Angaben der Branche im Durchschnitt mehr als zwanzig Monate "
            "zwischen dem Antrag und der Genehmigung einer Anlage, in manchen Ländern deutlich "
            "mehr. Der Bundestag soll sich noch vor der Sommerpause mit dem Gesetz befassen.")
    cookie = ("Wir verwenden Cookies, um Ihnen ein optimales Nutzungserlebnis zu bieten. Mit "
              "der Nutzung dieser Seite stimmen Sie der Verwendung von Cookies zu.")
    title = "Bundesregierung will Genehmigungen für Windräder an Land weiter beschleunigen"
    page = "\n".join(["Nachrichten-Ticker", "Zum Inhalt springen", cookie, title,
                      "3. März 2025, 14:12 Uhr", *textwrap.wrap(story, 64),
                      *textwrap.wrap(more, 64)]) + "\n"
    art = normalise_text(page, source=SRC)
    assert art.title == title
    assert art.published_at is not None and art.published_at.date().isoformat() == "2025-03-03"


@pytest.mark.parametrize("line", [
    "Zum Inhalt springen", "Aller au contenu", "Saltar al contenido",
    "Compartir en Facebook  Compartir en X  Compartir en WhatsApp",
    "Partager sur Facebook Partager sur X",
])
def test_skip_links_and_share_buttons_are_furniture(line: str) -> None:
    title = "Detenidos tres jóvenes por una oleada de robos en trasteros de Zaragoza"
    p1 = ("La Policía Nacional ha detenido a tres jóvenes de entre 19 y 23 años como presuntos "
          "autores de al menos 27 robos en trasteros de edificios de viviendas de la ciudad.")
    p2 = ("Según ha informado la Jefatura Superior de Policía, los arrestados accedían de "
          "madrugada a los garajes y vendían después lo robado a través de aplicaciones.")
    page = f"Diario del Ebro\n\n{title}\n\nhace 2 horas\n\n{line}\n\n{p1}\n\n{p2}\n"
    art = normalise_text(page, source=SRC)
    assert art.title == title
    assert art.body == (p1, p2)


EN = [("An NHS trust in the East Midlands spent more than £41 million on agency nurses last "
       f"year while several of its wards fell below safe staffing levels, papers show ({k}).")
      for k in range(4)]


@pytest.mark.parametrize("tail", [
    "<h3>Subscribe to read more</h3><p>This article is for subscribers only. Get unlimited "
    "access to our award-winning journalism.</p><ul><li>Cancel anytime</li></ul>",
    "<h2>About Trentside Hospitals</h2><p>Trentside Hospitals NHS Trust runs three hospitals "
    "and employs 9,000 staff across the region.</p><h2>Media contacts</h2><p>press@example.org"
    "</p>",
    "<h2>■会社概要</h2><p>会社名：株式会社ミドリ食品<br>所在地：静岡県浜松市</p>"
    "<h2>■本件に関するお問い合わせ</h2><p>TEL：053-000-1234</p>",
])
def test_html_boilerplate_after_the_story_is_cut(tail: str) -> None:
    story = "".join(f"<p>{p}</p>" for p in EN)
    html = (f"<html><body><article><h1>Hospital trust paid agency nurses £41m</h1>{story}"
            f"<div class='box'>{tail}</div></article></body></html>")
    art = normalise_html(html, source=SRC)
    assert art.body == tuple(EN)


@pytest.mark.parametrize("notice", [
    "Aviso legal: La información contenida en este artículo tiene carácter meramente "
    "informativo y no constituye una recomendación de inversión ni una oferta de compra.",
    "Материал носит исключительно информационный характер и не является индивидуальной "
    "инвестиционной рекомендацией. Финансовые инструменты, упомянутые в тексте, могут не "
    "подходить вашему инвестиционному профилю.",
    "【ご注意】本記事は一般的な情報提供を目的としたものであり、医師・薬剤師による診断や治療に"
    "代わるものではありません。",
])
def test_disclaimers_in_other_languages(notice: str) -> None:
    page = "The Courier\n\nHospital trust paid agency nurses £41m\n\n" + "\n\n".join(
        [*EN, notice]) + "\n"
    assert normalise_text(page, source=SRC).body == tuple(EN)
    html = ("<html><body><article><h1>Hospital trust paid agency nurses £41m</h1>"
            + "".join(f"<p>{p}</p>" for p in EN) + f"<div><p>{notice}</p></div></article>"
            "</body></html>")
    assert normalise_html(html, source=SRC).body == tuple(EN)


def test_numbered_items_with_their_own_text_lines() -> None:
    # "1. Spinach" / a line on it / "2. Peas" / ...: the numbered heads are the list's items,
    # not menu entries, even with a line or two of text between them.
    intro = ("Spring vegetables are arriving in the markets, and nutritionists say eating with "
             "the season is both fresher and cheaper. These six are worth buying this month.")
    outro = ("Nutritionists also advise mixing vegetables through the week and aiming for "
             "between three hundred and five hundred grams of them every single day.")
    items = []
    for k, (name, why) in enumerate([("Asparagus", "Low in fat and high in fibre."),
                                     ("Shepherd's purse", "Good in dumplings and soups."),
                                     ("Spinach", "Rich in iron and folate, best blanched."),
                                     ("Pea shoots", "Crisp, and ready in three minutes."),
                                     ("Wild garlic", "Mild, and good with eggs.")], 1):
        items += [f"{k}. {name}", why]
    page = ("Daily Life\n\nSix seasonal vegetables nutritionists recommend\n\n"
            f"18 March 2025\n\n{intro}\n\n" + "\n".join(items) + f"\n\n{outro}\n")
    art = normalise_text(page, source=SRC)
    assert art.body == (intro, *items, outro)


def test_html_scoreboard_and_related_links_box_are_not_the_story() -> None:
    entries = "".join(f"<li><p>{p}</p></li>" for p in EN)
    html = ("<html><body><h1>Live: short-track speed skating finals</h1>"
            "<div class='scoreboard'><span>500m final</span> <span>1. Lin (CHN) 40.12</span> "
            "<span>2. Zhou (CHN) 40.31</span></div><ul class='live-list'>" + entries + "</ul>"
            "<div class='hot'><h3>相关新闻</h3><p><a href='/a'>亚冬会奖牌榜：中国队暂列第一</a></p>"
            "<p><a href='/b'>短道速滑女子接力今晚开赛</a></p></div></body></html>")
    assert normalise_html(html, source=SRC).body == tuple(EN)


@pytest.mark.parametrize("label", ["（编辑：周敏）", "監修：薬剤師 佐藤健一", "【广告】",
                                   "※本記事にはアフィリエイト広告が含まれています。"])
def test_cjk_credit_and_ad_labels_are_not_body(label: str) -> None:
    page = (f"日本ニュースネット\n\n北陸新幹線の延伸ルート\u3000着工は2030年代半ば以降に\n\n"
            f"2025年3月3日\n\n{JA_P1}\n\n{label}\n\n{JA_P2}\n")
    assert normalise_text(page, source=SRC).body == (JA_P1, JA_P2)


def test_gallery_counters_and_photo_credits_are_not_body() -> None:
    caps = [f"O fogo de artifício sobre o Douro visto da Ribeira, à meia-noite em ponto ({k})."
            for k in range(3)]
    slides = "".join(f"<figure><p>{k} / 3</p><p>{c}</p><p>Foto: Rui Farinha</p></figure>"
                     for k, c in enumerate(caps, 1))
    html = ("<html><body><article><h1>Fotogaleria: a Festa de São João no Porto</h1>"
            "<p>Texto: Marta Sequeira ·</p>" + "".join(f"<p>{p}</p>" for p in EN) + slides
            + "</article></body></html>")
    body = normalise_html(html, source=SRC).body
    assert not any(p.startswith(("Foto:", "Texto:")) or "/ 3" in p for p in body)
    assert body[:4] == tuple(EN)


def test_french_quotes_and_subscription_prompt() -> None:
    fr = ["La future ligne 6 du tramway nantais, qui doit relier la gare de Chantenay au "
          "quartier de la Beaujoire, ne sera pas mise en service avant 2031, a annoncé la "
          "métropole jeudi soir.",
          "Dans l’opposition, on dénonce un « dérapage prévisible ». « Nous avions alerté dès "
          "le départ sur la sous-estimation des travaux », a déclaré la conseillère.",
          "En attendant le tramway, la métropole promet de renforcer la fréquence des bus sur "
          "l’axe concerné dès la rentrée de septembre, avec des véhicules plus grands."]
    promo = ("Cet article est réservé aux abonnés ? Non, il est en accès libre. Soutenez une "
             "information locale de qualité : abonnez-vous dès 1 € le premier mois.")
    page = ("Ouest Matin\n\nÀ Nantes, la ligne de tramway 6 ne verra pas le jour avant 2031\n\n"
            "Publié le 6 mars 2025 à 19h40\n\n" + "\n\n".join([*fr, promo]) + "\n")
    assert normalise_text(page, source=SRC).body == tuple(fr)


def test_key_points_box_over_the_story_and_bullets_never_titles() -> None:
    fr = ["Face à l’épisode de chaleur annoncé pour le début de la semaine, le préfet du Gard a "
          "autorisé dimanche les communes à fermer leurs écoles l’après-midi dès lundi.",
          "Météo-France prévoit jusqu’à 40 °C à Nîmes et Alès mardi, avec des nuits tropicales "
          "qui empêcheront les bâtiments scolaires de se rafraîchir.",
          "Les maires qui choisiront cette option devront organiser un accueil dans des salles "
          "climatisées pour les familles qui ne peuvent pas garder leurs enfants."]
    title = "Canicule : les écoles du Gard pourront fermer l’après-midi dès lundi"
    page = (f"Midi Garrigues\n\n{title}\n\nPublié le 6 juillet 2025 à 18h05\n\nL’essentiel\n"
            "- Le préfet autorise les communes à fermer les écoles l’après-midi.\n"
            "- Des températures de 40 °C sont attendues à Nîmes mardi.\n\n"
            + "\n\n".join(fr) + "\n\nSiga o Midi Garrigues no WhatsApp e receba as notícias.\n")
    art = normalise_text(page, source=SRC)
    assert art.title == title
    assert art.body == tuple(fr)


def test_html_sentence_after_an_ad_slot_and_kicker_over_the_headline() -> None:
    es = ["El Ayuntamiento de Valencia inauguró este sábado un carril bici de doce kilómetros "
          "que recorre el antiguo cauce del Turia de punta a punta, entre Nazaret y Mislata.",
          "Según los datos municipales, el uso de la bicicleta en la ciudad ha crecido un 45 % "
          "desde 2019 y el servicio público registró más de ocho millones de trayectos.",
          "Las asociaciones de comerciantes pidieron, sin embargo, que se habiliten nuevas "
          "zonas de carga y descarga para no perjudicar a las tiendas de barrio."]
    title = "Valencia estrena un carril bici de doce kilómetros junto al Turia"
    html = (f"<html><head><title>{title}</title></head><body><article>"
            f"<p class='kicker'>Movilidad</p><h1>{title}</h1><p>Por Ana Gil</p>"
            f"<div class='cuerpo'><p>{es[0]}</p><div class='publi'><script>ad()</script></div>"
            f"<!-- ad end -->\n{es[1]}\n</div><p>{es[2]}</p></article></body></html>")
    art = normalise_html(html, source=SRC)
    assert art.title == title
    assert art.body == tuple(es)


def test_framed_deal_box_affiliate_and_copyright_notices() -> None:
    fr = ["Le grand ménage de printemps approche et, avec lui, la question de l’aspirateur. Les "
          "modèles sans fil ont largement remplacé les traîneaux dans les foyers français.",
          "Nous avons testé six appareils pendant trois semaines, sur du parquet, de la "
          "moquette et un carrelage, avec un chat à poils longs comme juge de paix.",
          "Premier enseignement : l’autonomie annoncée par les fabricants est rarement atteinte "
          "en mode turbo, où la plupart des appareils tiennent à peine un quart d’heure.",
          "Deuxième enseignement : le prix ne fait pas tout. L’un des appareils les moins chers "
          "a fait jeu égal avec des modèles deux fois plus coûteux sur les tapis."]
    box = "\n".join(["+" + "-" * 40 + "+", "| NOTRE CHOIX" + " " * 28 + "|",
                     "| Aspirateur balai VX-12 Pro — 349,99 €   |",
                     "| [Voir l'offre chez Boulanger]          |", "+" + "-" * 40 + "+"])
    page = ("Conso Pratique\n\nAspirateurs sans fil : notre comparatif pour le printemps\n\n"
            "20 mars 2025\n\nCet article contient des liens affiliés. Si vous achetez un produit "
            "via ces liens, nous pouvons percevoir une commission, sans surcoût pour vous.\n\n"
            f"{fr[0]}\n\n{fr[1]}\n\n{box}\n\n{fr[2]}\n\n{fr[3]}\n\n(c) Conso Pratique. Queda "
            "prohibida la reproducción total o parcial de esta noticia sin autorización.\n")
    assert normalise_text(page, source=SRC).body == tuple(fr)


def test_html_sentence_after_an_ad_slot_inside_an_ad_wrapper() -> None:
    de = [f"Die Stadtbücherei in Lüneburg öffnet von April an auch sonntags, teilte die Stadt "
          f"am Dienstag mit; Ehrenamtliche übernehmen dann die Aufsicht im Haus ({k})."
          for k in range(3)]
    html = ("<html><body><article><h1>Stadtbücherei öffnet sonntags</h1><div class='body'>"
            f"<p>{de[0]}</p><div class='ad-wrapper'><!-- ad start --><div class='ad-slot'>"
            f"<span>Anzeige</span></div><!-- ad end -->{de[1]}</div><p>{de[2]}</p>"
            "</div></article></body></html>")
    assert normalise_html(html, source=SRC).body == tuple(de)


def test_wrapped_paragraph_end_is_not_joined_to_a_wire_code_line() -> None:
    import textwrap

    paras = [("Die Bundesregierung will die Genehmigungsverfahren für Windkraftanlagen an Land "
              "noch einmal deutlich verkürzen, wie das Kabinett am Montag beschlossen hat. "
              f"Behörden sollen über vollständige Anträge schneller entscheiden ({k}).")
             for k in range(3)]
    last = ("Der Bundestag soll sich noch vor der Sommerpause mit dem Gesetz befassen. Auch "
            "der Bundesrat muss zustimmen.")
    lines = [ln for p in [*paras, last] for ln in textwrap.wrap(p, 64)]
    page = "\n".join(["Nachrichten-Ticker", "Windräder: Genehmigungen sollen schneller gehen",
                      "3. März 2025, 14:12 Uhr", *lines, "dpa mb/kr yyzz a3 fj",
                      "© dpa-infocom, dpa:250303-99-114422/4", "Weitere Meldungen"]) + "\n"
    body = normalise_text(page, source=SRC).body
    assert body[-1] == last


@pytest.mark.parametrize("under", [["10-04-2025 13:22"],
                                   ["Coastal Press Agency", "April 14, 2025"]])
def test_headline_over_a_date_or_agency_line_in_a_wrapped_dump(under: list[str]) -> None:
    import textwrap

    title = "Ferry operator suspends island crossings after engine failure"
    paras = [("A ferry operator serving three islands off the west coast has suspended all "
              "crossings for at least ten days after a second engine failure in a month left "
              f"a vessel drifting for more than an hour with passengers on board ({k}).")
             for k in range(3)]
    lines = [ln for p in paras for ln in textwrap.wrap(p, 60)]
    page = "\n".join([title, *under, *lines]) + "\n"
    assert normalise_text(page, source=SRC).title == title


def test_list_lead_in_line_is_kept_with_its_list() -> None:
    p1 = ("Der Landeswahlleiter hat am Montagabend das vorläufige amtliche Endergebnis der "
          "Kommunalwahl bekannt gegeben, die Wahlbeteiligung lag bei 58 Prozent.")
    p2 = ("Die Stadtratsfraktionen wollen in den kommenden Wochen über mögliche Koalitionen "
          "sprechen, eine erste Sitzung des neuen Rates ist für Anfang Juli geplant.")
    lead = "Das Ergebnis im Überblick:"
    rows = ["CDU 31,2 Prozent", "SPD 24,8 Prozent", "Grüne 18,1 Prozent", "FDP 7,9 Prozent"]
    p3 = ("Die Oberbürgermeisterin dankte den rund 900 Wahlhelferinnen und Wahlhelfern, die "
          "am Sonntag bis spät in die Nacht die Stimmzettel ausgezählt hatten.")
    p4 = ("Das endgültige Ergebnis soll der Wahlausschuss in seiner Sitzung am kommenden "
          "Freitag feststellen, Änderungen gelten dabei als unwahrscheinlich.")
    page = ("Stadtanzeiger\n\nKommunalwahl: CDU bleibt stärkste Kraft im Stadtrat\n\n"
            f"3. Juni 2025\n\n{p1}\n\n{p3}\n\n{lead}\n" + "\n".join(rows)
            + f"\n\n{p2}\n\n{p4}\n")
    assert normalise_text(page, source=SRC).body == (p1, p3, lead, *rows, p2, p4)


def test_long_headline_naming_a_date_is_still_a_headline() -> None:
    title = ("Treni, dal 15 giugno orari estivi: più collegamenti verso la Puglia e la "
             "Calabria")
    it = [("Con l'entrata in vigore dell'orario estivo, dal 15 giugno aumenteranno i "
           "collegamenti ferroviari tra il Nord e le regioni del Sud, ha annunciato oggi il "
           f"gruppo Ferrovie dello Stato ({k}).") for k in range(3)]
    page = (f"Notiziario Italia\n\nECONOMIA\n\n{title}\n\nQuaranta convogli in più al giorno\n\n"
            "28 maggio 2025 - 12:40\n\n" + "\n\n".join(it) + "\n")
    assert normalise_text(page, source=SRC).title == title
    dated = "Pubblicato il 28 maggio 2025 alle 12:40 | aggiornato il 29 maggio 2025 alle 9:15"
    page = f"Notiziario Italia\n\n{dated}\n\n" + "\n\n".join(it) + "\n"
    assert normalise_text(page, source=SRC).title != dated


@pytest.mark.parametrize(("head", "tail"), [
    ("About Trentside Hospitals", True), ("Über Apothekenblick", True), ("■会社概要", True),
    ("Notes to editors", True), ("About time we talked", False),
    ("Über Geld spricht man nicht", False), ("事件の概要", False),
])
def test_press_release_tail_heads_are_names_not_subheads(head: str, tail: bool) -> None:
    assert bool(TAIL_HEAD_RE.search(head)) is tail


def test_arabic_breaking_label_is_no_dateline() -> None:
    para = "عاجل - أعلنت الحكومة المصرية يوم الاثنين افتتاح محطة جديدة"
    assert split_dateline(para) == (None, para)


def test_a_live_blog_in_a_ticker_container_is_kept() -> None:
    entries = "".join(f"<div class='entry'><p>{p}</p></div>" for p in EN)
    html = ("<html><body><h1>Liveticker: Hospital trust paid agency nurses £41m</h1>"
            f"<div class='ticker'>{entries}</div></body></html>")
    assert normalise_html(html, source=SRC).body == tuple(EN)
