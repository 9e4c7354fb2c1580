"""Lines an HTML page's story text carries that are no story: a newsletter's pitch, a
syndication note, "End of Article", a metered paywall's count.

A module of its own because ``html_cleanup`` is at its size limit.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

PITCH_RE = re.compile(r"^(?:want|get|like|enjoy(?:ed)?|love)\b.{0,80}\b(?:in(?:to)? your inbox|"
                      r"newsletter)\b|"
                      # "Recibe el boletín ... en tu bandeja de entrada", "Abonnez-vous à ..."
                      # (Galician: "Queres recibir as novas? Subscríbete ao noso boletín")
                      r"^(?:recib[ae]|sub?scr[ií]bete|receba|assine|inscreva-se|recevez|"
                      r"queres|quieres|"
                      r"abonnez-vous|inscrivez-vous|abonnieren sie|erhalten sie|ricevi|"
                      r"iscriviti)\b.{0,100}\b(?:bolet[ií]n|newsletter|bandeja de entrada|"
                      r"caixa de entrada|bo[iî]te (?:mail|de r[ée]ception)|postfach|casella)\b",
                      re.IGNORECASE)
# syndication notes, "End of Article", a metered paywall's count ("You have read 3 of 5
# free articles", "Sie lesen 3 von 5 kostenlosen Artikeln")
TRAILER_RE = re.compile(
    r"^this (?:article|story|report) (?:was|is) (?:first|originally) published\b|"
    r"^\(?with inputs from\b[^.]{0,60}\)?\W*$|^end of (?:the )?article\W*$|"
    r"^catch all the\b.{0,120}\bnews\b|^(?:you(?:'ve| have)? read|sie lesen|vous avez lu|"
    r"has leído|hai letto|você leu) \d+ (?:of|von|sur|de|di) \d+ |"
    # a wire's sign-off: "Reporte de Jane Doe; Editado por John Roe", "(Reportage X; édité
    # par Y)", "Reportagem de X; Edição de Y"
    r"^\(?(?:reporte|información|reportaje|reportagem|reportage|reporting|bericht|"
    r"servizio)(?: de| by| von| di|:)? (?-i:[A-ZÀ-Þ])[^.;]{1,120};\s*(?:edit(?:ad[oa]|ing|é)|"
    r"edición|edição|édité|redigiert|bearbeitet|version française|"
    r"redacci[oó]n)\b", re.IGNORECASE)
