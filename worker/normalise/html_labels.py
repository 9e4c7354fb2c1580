"""Label paragraphs and comment heads that ``html_cleanup`` cuts from trafilatura's text
(a module of its own: ``html_cleanup`` is at its size limit)."""

from __future__ import annotations

import re

# (and the word in de fr es pt it nl pl sv fi cs ro tr hu ru uk: "Comentários", "Yorumlar (18)")
COMMENTS_RE = re.compile(r"^(?:\d+\s+)?(?:reader\s+)?(?:comments?|responses?|replies|"
                         r"comentários|comentarios|commentaires|kommentare|commenti|"
                         r"reacties|komentarze|kommentarer|kommentit|komentáře|comentarii|"
                         r"yorumlar|hozzászólások|комментарии|коментарі|bình luận|"
                         # South Slavic, Baltic, Basque, Catalan, Urdu, Bengali, Swahili
                         r"komentari|коментари|komentarji|komentarai|komentāri|kommentaarid|"
                         r"iruzkinak|comentaris|تبصرے|মন্তব্য|maoni)"
                         r"(?:\s*\(\d+\))?:?$|^(?:leave a (?:comment|reply)|"
                         r"(?:join|start) (?:the|a) (?:conversation|discussion))\b|"
                         # words that head other lists too count only with a count:
                         # "Vastaukset (27)", "Ý kiến (18)"
                         r"^(?:vastaukset|válaszok|respostas|respuestas|réponses|risposte|"
                         r"antwoorden|odpowiedzi|ответы|відповіді|yanıtlar|ý kiến)"
                         r"\s*\(\d+\)$", re.IGNORECASE)
# Short furniture paragraphs kept from inside an article container: a follower count, a
# source line ("Quelle: F.A.Z."), the reporter's location under the byline
LABEL_PARA_RE = re.compile(
    r"^[\d.,]+\s?[kKmM]?\s+(?:followers|subscribers|abonnenten|abonnés|seguidores)$|"
    r"^\W{0,3}\d{1,3}\s*min(?:ute)?s?\.?\s+(?:read|de lecture|de lectura|de leitura)\W*$|"
    r"^(?:quelle|source|sources|fuente|fonte|fonti|bron|forrás|źródło|zdroj|kaynak|lähde|kilde|"
    r"källa|sursa|sumber|джерело|источник|izvor|извор|iturria|ምንጭ|সূত্র|ذریعہ|المصدر|المصادر)"
    r"\s*[:፡]\s*\S.{0,40}$|"
    # the writer's and editor's credit line under the story: "Penulis : Jane Doe | Editor : X"
    r"^(?:penulis|pewarta|penyunting|reporter|editor)\s?:\s?(?-i:[A-Z])[\w.'’ -]{1,40}"
    r"(?:\s[|/]\s(?:penulis|pewarta|penyunting|reporter|editor|fotografer)\s?:\s?"
    r"(?-i:[A-Z])[\w.'’ -]{1,40})*$|"
    # a wire's closing slug: agency / editor's initials / time ("BSS/MH/1030", "বাসস/এমএইচ/১০৩০")
    r"^[^\s/\d]{2,10}(?:/[^\s/\d]{1,8}){1,2}/\d{3,4}$|"
    # the reporter's sign-off after a dash: "— Ulat ni Jessa Dizon, Balita Nayon News"
    r"^[—–-]{1,2}\s*(?:ulat ni|ulat mula kay|mga ulat ni|reporting by|report by|with reports? "
    r"(?:by|from))\s+(?-i:[A-ZÀ-Þ])[^.!?]{2,80}$|"
    # an editing credit under the story: "Edição: Jane Doe", "Redakcja: ..."
    r"^(?:edição|edición|edited by|editing by|redakcja|redakce|redação|redacción|"
    r"szerkesztette|düzenleme)\s*:?\s*(?-i:[A-ZÀ-Þ])[\w.'’ -]{1,60}$|"
    r"^reporting from (?-i:[A-Z])[\w.,'’ -]{1,50}$|"  # a place, not "Reporting from the scene"
    # a wire's credit line: "Reporting by Jane Doe; Editing by John Roe"
    r"^(?:additional )?(?:reporting|writing) by (?-i:[A-Z])[^.]{0,120};\s*editing by\b|"
    # a partner credit closing the story
    r"^this (?:story|article|report) was (?:produced|published|reported) (?:in (?:partnership|"
    r"collaboration) with|with (?:support|funding) from)\b|"
    r"^story continues (?:below|after (?:this|the) (?:ad|advertisement))$|"
    # a press release's contact and date lines over its text
    r"^(?:media |press )?contact(?: information)?\s*:\s*\S.{0,100}(?:@|\d{3}[-. ]\d{4})|"
    r"^release date\s*:?\s*[\d/.-]{6,10}$|"
    # pagination under the story: "Page 1 2 3 Next >>"
    r"^(?:page\s+)?\d{1,3}(?:\s+\d{1,3})+(?:\s+next)?(?:\s*(?:>>|»|›))?$|"
    # a labelled date line left in the text: "Published - October 10, 2025 09:12 pm IST"
    r"^\W{0,3}(?:published|updated|posted|last updated|modified)\b\W{0,4}(?:on\s)?"
    r"(?=.{0,30}\b(?:19|20)\d\d\b)[\w ,.:/+-]{6,60}$",
    re.IGNORECASE)

# What COMMENTS_RE's match can start with: a digit (\d: any decimal digit) or the first
# letter of a word; no other character matches these under IGNORECASE (all code points
# checked in the tests).
HEAD_FIRST = frozenset("cCrRlLjJkKyYhHкКbBvVáÁaAoOýÝоОвВ\u212a\u1c80\u1c82iIİ\u0131mMتমsS")
