"""Notes around an HTML page's story that trafilatura keeps as paragraphs, cut after
``html_cleanup``:

- a repost / syndication note at either end ("本文来自微信公众号：...", "This article
  originally appeared on ...", "Dieser Artikel erschien zuerst bei ...") and the
  "the views are the author's own" statement that goes with it ("文章为作者独立观点");
- a short picture-credit line in a CJK story ("图片来源：视觉中国");
- a link to another story with a lead-in in any language ("LEGGI ANCHE: ...",
  "Also Read | ...");
- a reference list closing a science story: a "Quelle" / "References" / "参考文献" heading
  over short citation lines;
- a figure's caption by its label: "Abb. 2: ...", "Figure 3. ...", "图1 ...";
- a newsletter's self-description closing a post ("X is a reader-supported publication.
  ... consider becoming a subscriber", "X são uma newsletter ... reencaminhe a um amigo");
- a page-break note of a paginated story ("Continued on page 2", "▶ 2페이지에서 계속");
- a short line with no letter (an access-key anchor's ":::", a like count);
- an author box after the story: "Kirjoittanut Liisa Karvonen" and the bio under it;
- the author's name closing the story in bold (``<p><strong>Thanh Hà</strong></p>``);
- the contact block or line closing a press release: a "Kontakt" / "Enquiries:" head over short
  name, phone and e-mail lines (and what little follows it: "Page last updated ...").
"""

from __future__ import annotations

import re
from typing import Any

from worker.normalise.html_layout import RELATED_RE

# Repost notes and authors'-views statements (matched at a line's start, on short lines).
_REPOST_RE = re.compile(
    r"^(?:本文(?:来自|來自|转载自|轉載自|转自|首发于|首發於|原载于|经授权转载|經授權轉載)|"
    r"文章来源[：:]|来源[：:].{0,40}$|"
    r"(?:本?文章?为|本文(?:仅)?代表)作者(?:个人)?(?:独立)?观点|"
    r"this (?:article|story|post|piece) (?:originally |first )?(?:appeared|ran) (?:on|in|at)\b|"
    r"(?:this (?:article|story) (?:is|was) )?republished (?:from|with permission)\b|"
    r"originally published (?:on|in|at|by)\b|"
    r"the views expressed (?:in this (?:article|piece|column|post) )?are (?:those of the "
    r"author|the author'?s own|solely)|"
    r"(?:dieser|der) (?:artikel|beitrag|text) (?:erschien|ist) (?:zuerst|ursprünglich)\b|"
    r"zuerst erschienen (?:in|auf|bei)\b|"
    r"cet article a (?:(?:d'abord|initialement|originellement) été|été (?:d'abord|"
    r"initialement|originellement)) publié|article (?:initialement|originellement) publié|"
    r"este (?:artículo|texto) (?:fue publicado|se publicó) originalmente|"
    r"este (?:artigo|texto) foi (?:originalmente )?publicado (?:originalmente )?(?:em|no|na|"
    r"pelo|pela)\b|publicado originalmente (?:en|em|no|na|por|pelo|pela)\b|"
    r"questo articolo è stato (?:originariamente )?pubblicato (?:originariamente|per la prima "
    r"volta|su|da)\b|dit artikel verscheen (?:eerder|eerst|oorspronkelijk)\b)",
    re.IGNORECASE)
# How the alternatives start (the regex runs only on lines that start so: "The" opens many
# a paragraph, "The views" few), lower-cased; CJK ones by their first two characters.
_REPOST_STARTS = ("this ", "republished", "originally", "the views", "dieser ", "der artikel",
                  "der beitrag", "der text", "zuerst", "cet article", "article ", "este ",
                  "publicado", "questo", "dit artikel")
_CJK_STARTS = frozenset(("本文", "文章", "来源", "文为"))
_PICTURE_CREDIT_RE = re.compile(
    r"^[（(]?(?:图片|圖片|题图|題圖|配图|图|圖)(?:来源|來源|来自|來自|源)[：:]")
# A Chinese photo caption set as a paragraph: it ends with the photographer's credit,
# "……（无人机照片）。新华社记者 陈刚 摄", "（记者 张三 摄）"
_CJK_CAPTION_RE = re.compile(r"(?:(?:记者|記者|通讯员|通訊員)\s?[\u4e00-\u9fff·]{2,8}"
                             r"(?:\s[\u4e00-\u9fff·]{2,4})?\s?[摄攝][）)]?|"
                             # "……。新华社发（陈立新摄）": the photographer in brackets
                             r"[（(][\u4e00-\u9fff·]{2,8}[摄攝][）)])$")
# A Korean photo caption ends in its credit, "... [사진=연합뉴스]", "(그래픽=OO 제공)"; a
# portal's reporter line with an address, and its "classified by the press" note
_KO_NOTE_RE = re.compile(r"(?:[\[(](?:사진|그래픽|자료사진|사진제공|영상|이미지)\s?[=:][^\])]{1,40}"
                         r"[\])]$)|^[가-힣]{2,4}\s?(?:기자|특파원)\s+\S+@\S+$|"
                         r"^이 기사는 언론사에서 .{1,20} 섹션으로 분류했습니다\.?$")
# the editors' marks under a Chinese story, "【纠错】【责任编辑:王芳】", and the QR-code
# prompt "扫一扫在手机打开当前页"
_CJK_MARKS_RE = re.compile(r"^(?:【[^】]{0,20}】\s?)*【(?:纠错|糾錯|责任编辑|責任編輯|编辑|編輯)"
                           r"[^】]{0,20}】(?:\s?【[^】]{0,20}】)*$|^(?:扫一扫|掃一掃|扫码|掃碼|"
                           r"扫描二维码|掃描二維碼|长按二维码|長按二維碼).{0,20}(?:手机|手機|"
                           r"二维码|二維碼|关注|關注|下载|下載|打开|打開|阅读|閱讀)")
# (the Hindi lead-in stops at its consonant, "यह भी पढ": its vowel signs come before the colon)
# ... or a label in capitals and no colon before the linked headline: "LEGGI ANCHE Sciopero ..."
_LEADIN_RE = re.compile(r"(?:" + RELATED_RE.pattern[1:] + r"|also read|[اإ]قرأ [أا]يضا\u064b?)"
                        r"[\u0900-\u0903\u093c-\u094f]*(?:\s*[:|]|(?-i:(?<=[A-ZÀ-Þ]) (?=[A-ZÀ-Þ0-9"
                        r"\"“«])))\s*\S", re.IGNORECASE)
_CONTACT_HEAD_RE = re.compile(
    r"^(?:enquiries|inquiries|(?:media|press) (?:enquiries|inquiries|contacts?)|contacts?|"
    r"for (?:more|further) information(?:,? (?:please )?contact)?|"
    r"kontakt(?:person(?:er)?)?(?: för media)?|presskontakt|pressekontakt|ansprechpartner(?:in)?|"
    r"yhteystiedot|lisätietoja|contacto(?:s| de prensa)?|contatt[oi]|contato|contatos|"
    r"contact presse|renseignements|contactpersoon|contactgegevens|kontakty?|"
    r"informacje dla mediów)\s*:?$", re.IGNORECASE)
# A press-contact line closing a release: "新聞聯絡人：清潔科 林股長 聯絡電話：04-2000-0000"
_CONTACT_LINE_RE = re.compile(r"^(?:新聞聯絡人|新闻联系人|媒體聯絡人|媒体联系人|聯絡人|联系人|"
                              r"(?:media|press) contact|pressekontakt|contacto de prensa|"
                              r"contact presse|contatto stampa)\s*[:：]", re.IGNORECASE)
_REFS_HEAD_RE = re.compile(
    r"^(?:references?|sources?|bibliography|literatur|weitere literatur|quellen?|quellenangaben|"
    r"fuentes?|referencias|bibliograf[ií]a|références|bibliographie|fonti|riferimenti|"
    r"referências|fontes|bronnen|literatuur|källor|kilder|lähteet|źródła|zdroje|literatura|"
    r"források|kaynaklar|kaynakça|источники|литература|джерела|参考文献|参考资料|參考資料|出典|"
    r"참고문헌|출처)\s*[:：]?$", re.IGNORECASE)
_FIGURE_RE = re.compile(r"^(?:abb(?:ildung)?\.?|fig(?:ure|\.)?|grafik|kuva|rys\.?|obr\.?|рис\.?|"
                        r"ábra|图|圖)\s?\d{1,2}[a-z]?\s?[:.|–-]", re.IGNORECASE)
_CJK_CAPTION_ENDS = frozenset("摄攝)）")
_FIGURE_FIRST = frozenset("aAfFgGkKrRoOрРáÁ图圖")
# "Written by" over an author box, in the languages BYLINE_RE's "By" misses
_WRITTEN_BY_RE = re.compile(r"^(?:written by|kirjoittanut|geschrieben von|escrito por|écrit par|"
                            r"scritto da|skrevet af|skrivet av|skrevet av|geschreven door|"
                            r"napisane przez|napisał[a]?|írta|yazan)\s+(?-i:[A-ZÀ-ÞĀ-ſ])",
                            re.IGNORECASE)
_NAME_WORD_RE = re.compile(r"^[^\W\d_][\w'’.-]*$")
_SELF_PITCH_RE = re.compile(
    r"\b(?:is|are|é|são|es|son|est|sont|ist|sind|è|sono|jest|on)\s+(?:a|an|uma?|una?|une?|"
    r"eine?)\s+(?:[^\s.]+\s+){0,4}(?:newsletter|publication|publicação|publicación|"
    r"pubblicazione|publikation)\b(?=.*\b(?:subscri|assin|suscr|abonn|forward|reencaminh|"
    r"reenv|partilh|compart|share|teil|inoltr|condivid|support|apoi))", re.IGNORECASE)
_PAGE_ON_RE = re.compile(
    r"^\W{0,3}(?:continued on (?:the )?(?:next )?page|continues on page|"
    r"(?:fortsetzung|weiter) auf (?:der nächsten )?seite|suite (?:en |à la )?page|"
    r"contin[uú]a en la (?:página|siguiente)|continua (?:na|nella) (?:página|pagina)|"
    r"\d+\s?페이지에서 계속|다음 페이지에서 계속|続きは|次ページへ|下一页|下一頁)", re.IGNORECASE)
_REACH_RE = re.compile(r"@|\d{2,4}[ -]?\d{2,3}[ -]?\d{2,4}")


def drop_page_notes(lines: list[str]) -> list[str]:
    """``lines`` without the notes above (the list itself when there are none)."""
    if len(lines) < 3:
        return lines
    # (a repost note may stand over these blocks)
    lines = _cut_author_box(_cut_references(_cut_contact(lines)))
    last = len(lines) - 3
    out = []
    for k, ln in enumerate(lines):
        if (k < 2 or k >= last) and _repost(ln):
            continue
        if len(ln) < 40 and not ln.isascii() and _PICTURE_CREDIT_RE.match(ln):
            continue
        if len(ln) < 200 and ln[-1:] in _CJK_CAPTION_ENDS and _CJK_CAPTION_RE.search(ln):
            continue
        if len(ln) < 300 and not ln.isascii() and (ln[-1:] in "])" or "\uac00" <= ln[:1]
                                                    <= "\ud7af") and _KO_NOTE_RE.search(ln):
            continue
        if len(ln) < 40 and ln[:1] in "【扫掃长長" and _CJK_MARKS_RE.match(ln):
            continue
        if ln[:1] in _FIGURE_FIRST and len(ln) < 400 and _FIGURE_RE.match(ln):
            continue
        if len(ln) < 40 and _PAGE_ON_RE.match(ln):
            continue
        if k >= last and len(ln) < 300 and ("ublica" in ln or "ewsletter" in ln
                                            or "ublika" in ln) and _SELF_PITCH_RE.search(ln):
            continue
        if len(ln) < 8 and not any(map(str.isalpha, ln)):
            continue  # an anchor's ":::", a like count ("312"): no text
        if k >= last and len(ln) < 120 and _CONTACT_LINE_RE.match(ln) and _REACH_RE.search(ln):
            continue
        # (a linked headline may ask or exclaim: "Read also: Will the river be navigable?")
        if (":" in ln or "|" in ln or ln[:3].isupper()) and ln[-1] != "." \
                and ln.count(" ") < 20 and _LEADIN_RE.match(ln):
            continue
        out.append(ln)
    return out if len(out) < len(lines) else lines


def _repost(line: str) -> bool:
    """A repost note or an authors'-views statement (first and last lines only)."""
    if len(line) > 300:
        return False
    start = line.lstrip("*#※([ ")
    if not (start[:2] in _CJK_STARTS or start[:12].lower().startswith(_REPOST_STARTS)):
        return False
    return _REPOST_RE.match(start) is not None


def _cut_contact(lines: list[str]) -> list[str]:
    """Everything from a contact head in the last lines, when only short lines follow it,
    one of them a phone number or an e-mail address, and most of the text is above it."""
    total = sum(map(len, lines))
    for k in range(max(2, len(lines) - 10), len(lines) - 1):
        head = lines[k]
        if len(head) > 60 or not _CONTACT_HEAD_RE.match(head):
            continue
        tail = lines[k + 1:]
        if 2 * sum(map(len, lines[:k])) >= total \
                and all(ln.count(" ") < 15 for ln in tail) \
                and any(_REACH_RE.search(ln) for ln in tail):
            return lines[:k]
    return lines


def _cut_references(lines: list[str]) -> list[str]:
    """Everything from a reference-list head in the last lines, when only citation-length
    lines follow it and most of the text is above it."""
    total = sum(map(len, lines))
    for k in range(max(2, len(lines) - 8), len(lines) - 1):
        head = lines[k]
        if len(head) > 30 or not _REFS_HEAD_RE.match(head):
            continue
        if 2 * sum(map(len, lines[:k])) >= total and all(len(ln) < 400 for ln in lines[k + 1:]):
            return lines[:k]
    return lines


def _cut_author_box(lines: list[str]) -> list[str]:
    """Everything from a "Written by <name>" line among the last three, when the story
    (most of the text) is above it."""
    total = sum(map(len, lines))
    for k in range(max(2, len(lines) - 3), len(lines)):
        ln = lines[k]
        if ln.count(" ") < 6 and ln[-1] not in ".!?" and _WRITTEN_BY_RE.match(ln) \
                and 2 * sum(map(len, lines[:k])) >= total:
            return lines[:k]
    return lines


def drop_bold_signature(lines: list[str], root: Any) -> list[str]:
    """The author's name closing the story as a paragraph of its own in bold: two to four
    capitalised words, which the page prints as ``<p><strong>Name</strong></p>``."""
    last = lines[-1] if len(lines) >= 3 else ""
    words = last.split()
    if not 2 <= len(words) <= 4 or len(last) > 40 \
            or not all(w[0].isupper() and _NAME_WORD_RE.match(w) for w in words):
        return lines
    for el in root.iter("strong", "b"):
        p = el.getparent()
        if p is not None and p.tag == "p" and " ".join(el.text_content().split()) == last \
                and " ".join(p.text_content().split()) == last:
            return lines[:-1]
    return lines


_OUTLET_DASHES = ("—", "–", "--", "-")


def drop_outlet_credit(para: str, site: str | None) -> str:
    """``para`` without the site's own name opening it before a dash, the credit of a
    dateline whose place the page left empty ("WNN — Fog rolling ...", where others read
    "Barcelona, Spain WNN — ..."): the name is no place."""
    if not site or len(site) > 40 or not para.startswith(site):
        return para
    rest = para[len(site):].lstrip()
    for dash in _OUTLET_DASHES:
        if rest.startswith(dash + " "):
            text = rest[len(dash):].lstrip()
            return text if len(text.split()) >= 8 and text[:1].isupper() else para
    return para
