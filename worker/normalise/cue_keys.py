"""Furniture words in many languages, and the key-word sets that gate the cue regexes of
``cues`` (a line is tried against a slow alternation only when it holds one of its words)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

# "Read also" lead-ins of a related link in the story, beyond English/French/Spanish/Italian/
# Portuguese/Dutch/German (listed where they are used): Nordic, Finnish, Baltic-adjacent,
# Slavic, Hungarian, Romanian, Turkish, Indonesian/Malay, Cyrillic
READ_ALSO = (r"lue myös|(?:i|İ|i̇)lgili haber(?:ler)?|berita terkait|læs også|les også|"
             r"läs också|lees ook|baca juga|bacaan lainnya|"
             r"ayrıca (?:bakınız|okuyun)|(?:i|İ|i̇)lginizi çekebilir|čtěte (?:také|též|rovněž)|"
             r"přečtěte si (?:také|též|rovněž)|čítajte (?:aj|tiež)|citește și|citeşte şi|"
             r"citiți și|citiţi şi|vezi și|vezi şi|olvassa el|ez is érdekelheti|"
             r"(?:prze)?czytaj (?:też|także|również)|zobacz (?:też|także|również)|"
             r"читайте (?:також|также|тоже)|"
             r"preberite še|pročitajte (?:i|još)|прочетете още|loe ka|skaitykite taip pat|"
             r"taip pat skaitykite|həmçinin (?:oxuyun|bax)|यो पनि (?:पढ्नुहोस|हेर्नुहोस)|"
             # (Hindi: "पढ़ें" ends in vowel signs, no \b after them: stop at the consonant)
             r"xem thêm|tin liên quan|διαβάστε (?:επίσης|ακόμη|ακόμα)|"
             r"קראו (?:עוד|גם)|עוד (?:באתר|בנושא)|"
             r"관련\s?기사|(?:यह|ये) भी प(?:ढ|\u095d)|हेही वाच|tengdar fréttir|sjá einnig|"
             # Serbian/Macedonian Cyrillic, Urdu, Arabic, Persian, Bengali (ড় written either
             # way), Tagalog, Swahili, Galician, Basque, Catalan, Latvian (Arabic with or without
             # the tanween of "أيضًا")
             r"прочитајте (?:и|још)|یہ بھی پڑھیں|(?:اقرأ|شاهد) أيض\u064b?ا\u064b?|بیشتر بخوانید|"
             r"আর(?:ও|ো) প(?:ড\u09bc|\u09dc)ুন|basahin (?:din|rin)|soma pia|le tamén|"
             r"irakurri (?:ere|gehiago)|llegiu també|llegeix també|lasiet arī|soma zaidi|"
             r"อ่าน(?:ข่าว)?(?:ที่)?เกี่ยวข้อง|อ่านเพิ่มเติม|ข่าวที่เกี่ยวข้อง|"
             r"mohlo by vás (?:zajímat|zaujmout)|unaweza pia kusoma|habari zinazohusiana")
# An ad slot's label standing alone, in the languages the detector knows
AD_LABELS = (r"anzeige|werbung|publicité|publicidad|pubblicità|publicidade|advertentie|reklame|"
             r"mainos|annons|annonse|annonce|reklama|reklam|hirdetés|iklan|publicitate|oglas|"
             r"реклама|oglasno|reklāma|reklaam|tangazo|publicitat|patalastas|বিজ্ঞাপন|"
             r"விளம்பரம்|โฆษณา|اشتہار|διαφήμιση|quảng cáo")
# A tag list's label ("Tags: ...", "Tagi: ...", "Etiketler: ...")
TAG_WORDS = ("tags|tagi|etiketler|etiquetas|etichette|schlagwörter|schlagworte|stichwörter|"
             "mots-clés|címkék|štítky|теги|мітки|ετικέτες|avainsanat|nyckelord|emneord|"
             "trefwoorden|từ khóa|태그")
# "Comments" as a section head, in the languages of READ_ALSO and the dev set
COMMENT_WORDS = (r"commentaires?|comentarios?|commenti|kommentare?|reacties|reactie|kommentarer|"
                 r"kommentit|komentarze|yorumlar|yorum|hozzászólások|komentáře|komentářů|"
                 r"comentarii|comentários|коментарі|комментарии|réagir|reageer|reageren|"
                 r"komentari|коментари|komentarji|komentarai|komentāri|kommentaarid|iruzkinak|"
                 r"comentaris|تبصرے|মন্তব্য|maoni")
# A word of each READ_ALSO lead-in, for the key-word prefilters below
READ_ALSO_KEYS = ("mohlo kusoma zinazohusiana "
                  "lue læs også läs lees baca bacaan ayrıca ilginizi i̇lginizi ilgili i̇lgili "
                  "berita čtěte "
                  "přečtěte "
                  "čítajte citește citeşte citiți citiţi vezi olvassa érdekelheti czytaj zobacz "
                  "przeczytaj читайте preberite pročitajte прочетете loe skaitykite həmçinin "
                  "पढ्नुहोस् हेर्नुहोस् "
                  "xem tin διαβάστε קראו באתר בנושא 관련기사 관련 पढ़ें \u095dें पढ़िए हेही tengdar sjá "
                  "прочитајте پڑھیں اقرأ شاهد بخوانید পড\u09bcুন প\u09dcুন basahin soma tamén "
                  "irakurri llegiu llegeix lasiet zaidi อ่านข่าวที่เกี่ยวข้อง อ่านเพิ่มเติม "
                  "ข่าวที่เกี่ยวข้อง")

# Word-set prefilters: the cue regexes are slow alternations, so they only run on lines
# containing one of their key words (keeps plain text at thousands of articles a second).
def _keyset(words: str) -> frozenset[str]:
    return frozenset(words.split())


MORE_STRONG_WORDS = (
    "diritti direitos rechten hakları oikeudet rettigheder rettigheter rättigheter práva prawa "
    "jog drepturile cipta права autor author autore auteur continue scroll subscriber weiter "
    "gefällt weiterlesen artikel suite abonné leyendo suscriptor leggere abbonato verder abonnee "
    "vidare prenumerant abonnent videre tilaaja boîte postfach posteingang bandeja correo casella "
    "email inbox mailbox teisės tiesības õigused prava článek článok pokračuje geht continúa "
    "sigue continua prosegue matéria reportagem notícia dalej dalsza gaat folytatódik devamı")


STRONG_KEYS = _keyset(
    "newsletter newsletters subscribe subscription subscriber subscribers sign signed "
    "cookie cookies advertisement reserved copyright c privacy terms read click download "
    "javascript browser unsubscribe inbox paywall trial listen share skip licensing anzeige "
    "werbung publicité publicidad pubblicità publicidade advertentie reklame aussi también "
    "interesar thema interessant leggi leia lees droits rechte derechos views originally "
    "necessarily contributed first amended corrected updated lesen siehe weiterlesen related see "
    "continued continues shared live here principles standards springen contenu contenido "
    "contenuto conteúdo inhoud compartir partager condividi compartilhar partilhar teilen delen "
    "abonnez-vous abonnés suscríbete suscribete suscriptores abonnieren abonnenten assine "
    "assinantes abbonati prohibida reproduction vietata proibida nachdruck siga sigam "
    "síguenos siguenos suivez-nous folgen seguici comentários "
    "comentarios commentaires subscrever subscreva inscreva-se iscriviti s'inscrire inschrijven "
    + READ_ALSO_KEYS + " mainos annons annonse annonce reklama reklam hirdetés iklan publicitate "
    "oglas реклама oglasno reklāma reklaam tangazo publicitat patalastas বিজ্ঞাপন விளம்பரம் "
    "โฆษณา اشتہار διαφήμιση quảng further iratkozzon " + MORE_STRONG_WORDS)
# cues.MORE_STRONG_RE's words (each of its phrases holds one)
MORE_STRONG_KEYS = _keyset(MORE_STRONG_WORDS)
# Rare words only (each notice has one): common ones would run the alternation on most prose.
DISCLAIMER_KEYS = _keyset(
    "affiliate commission substitute purposes constitute construed performance capital "
    "sponsored partnership editors editors' organisation constituye carácter caracter "
    "constitui caráter constitue remplace costituisce ersetzt keine является носит "
    "disclaimer")
SHORT_KEYS = _keyset(
    "see related more follow sign log login you back min mins minute minutes comment "
    "comments podcast sponsored promo promoted watch listen also recommended trending "
    "topics filed " + TAG_WORDS.replace("|", " "))
WEAK_KEYS = _keyset(
    "share tweet email e mail print facebook twitter linkedin whatsapp reddit pinterest "
    "instagram youtube tiktok telegram menu search home reply report like follow save copy "
    "next previous prev close open register top latest video audio gallery photo photos "
    "more section sections news opinion sport business weather contact about loading toggle "
    "navigation accessibility edition account profile bookmark partager teilen compartir "
    "condividi compartilhar udostępnij paylaş सेयर शेयर फेसबुक ट्विटर")
BOUNDARY_KEYS = _keyset(
    "comment comments response responses replies leave join related more recommended you "
    "most trending read what further about latest top popular copyright meistgelesen "
    "mehr lo te à lire articles les sort sorted view show load see search leggi leia lea lee "
    + READ_ALSO_KEYS + " " + COMMENT_WORDS.replace("|", " ").replace("?", "")
    + " commentaire comentario kommentar connectez-vous identifiez-vous inscrivez-vous "
    "schreiben verfassen deja escribe laisser écrire lascia deixe escreva más")
COMMENT_KEYS = _keyset("says said wrote replied ago reply report like flag permalink upvote "
                        "likes il vor hace há fa geleden sedan siden")
CREDIT_KEYS = _keyset(
    "photo photos image images picture pic foto photograph illustration graphic credit bild "
    "video getty shutterstock afp reuters ap epa alamy dpa bloomberg efe ansa xinhua kuva kép "
    "fotó zdjęcie snímek resim görsel gambar фото picha ภาพ ფოტო larawan ljósmynd तस्बिर तस्वीर "
    "copyright تصوير")  # ("Copyright: Jana Doe" under a German paper's photo)

# cues.MORE_STRONG_RE's phrases (see there)
MORE_STRONG = (
    # paywall boxes: "continue reading with ...", "already a subscriber?" in more languages
    r"\bto continue reading\b|\bcontinue reading with\b|\balready a subscriber\b|"
    r"^lesen sie (?:jetzt |hier )?(?:mit \S+ )?weiter\b|\bjetzt weiterlesen\b|"
    r"^ihnen gefällt dieser artikel\b|\blesen sie alle artikel\b|"
    r"\b(?:pour )?lire la suite\b|\bdéjà abonné|\b(?:sigue|para seguir) leyendo\b|"
    r"\bya eres suscriptor|\bcontinua a leggere\b|\bsei già abbonato|\blees verder met\b|"
    r"\bal abonnee\b|\bläs vidare\b|\bredan prenumerant|\ballerede abonnent|"
    r"\bles videre\b|\bjo tilaaja|^scroll (?:down )?to continue\b|"
    r"\b(?:dans votre boîte (?:mail|e-mail|aux lettres)|in ihr(?:em|en)? (?:postfach|posteingang)|"
    r"en tu (?:bandeja|correo)|nella tua (?:casella|email|inbox)|in je (?:inbox|mailbox))\b|"
    r"tutti i diritti riservati|todos os direitos reservados|alle rechten voorbehouden|"
    r"tüm hakları saklıdır|kaikki oikeudet pidätetään|alle rettigheder forbeholdes|"
    r"alle rettigheter reservert|alla rättigheter förbehållna|všechna práva vyhrazena|"
    r"všetky práva vyhradené|wszelkie prawa zastrzeżone|minden jog fenntartva|"
    r"toate drepturile rezervate|drepturile de proprietate intelectual|hak cipta dilindungi|"
    r"все права защищены|усі права захищені|visos teisės saugomos|visas tiesības "
    r"aizsargātas|kõik õigused kaitstud|sva prava (?:pridržana|zadržana)|"  # (and a wire's
    # staff trailer: "AGENCY (AS - autor: Jane Doe, editor: John Roe)")
    r"\((?:[A-Z]{1,4}\s*-\s*)?(?:autor|author|autore|auteur)\s*:\s*[^()]{2,80}\beditor\b"
    # "the story continues below the advert" in more languages
    r"|^(?:článek|článok) pokračuje pod (?:reklamou|inzerátem)$|"
    r"^(?:der )?artikel geht (?:unter|nach) der (?:werbung|anzeige) weiter$|"
    r"^(?:l'article|la suite) (?:continue )?(?:ci-dessous|après (?:la|cette) publicité)$|"
    r"^(?:el artículo|la noticia) (?:continúa|sigue) (?:debajo|abajo|tras la publicidad)$|"
    r"^(?:l'articolo|la notizia) (?:continua|prosegue) (?:sotto|dopo la pubblicità)$|"
    r"^(?:a )?(?:matéria|reportagem|notícia) continua (?:abaixo|após (?:a )?publicidade)$|"
    r"^(?:dalsza część|dalej) (?:artykułu|tekstu) pod reklamą$|"
    r"^het artikel gaat verder (?:onder|na) de advertentie$|"
    r"^a cikk a hirdetés után folytatódik$|^haberin devamı reklamdan sonra$"
)
