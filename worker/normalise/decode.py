"""Bytes -> clean text: BOMs, UTF-16 without BOM, charset detection, mojibake, control chars.

The common case (valid UTF-8 with no mojibake) takes a fast path: charset-normalizer and
ftfy are comparatively slow, so they only run when the cheap checks say they are needed.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata

from worker.errors import BinaryInput, UndecodableInput

log = logging.getLogger(__name__)

# Magic numbers of formats people upload by mistake; checked before any decoding.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG image"), (b"GIF8", "GIF image"), (b"\xff\xd8\xff", "JPEG image"),
    (b"%PDF", "PDF document"), (b"PK\x03\x04", "ZIP archive"), (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "executable"), (b"MZ\x90\x00", "executable"), (b"RIFF", "media file"),
    (b"OggS", "media file"), (b"ID3", "audio file"), (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ", "xz data"), (b"7z\xbc\xaf", "7z archive"), (b"\x00\x00\x01\x00", "icon"),
    (b"SQLite format 3", "SQLite database"), (b"\xd0\xcf\x11\xe0", "Office document"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Bytes that are not C0 controls (tab, LF, FF, CR and ESC count as text).
_NOT_CTRL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13, 27))
# Control characters (C0 minus tab/newline, DEL, C1), zero-width and BOM code points. The
# zero-width non-joiner stays: Persian, Kurdish and Indic words are spelled with it.
_CTRL_RE = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u2060\ufeff\ufffe\xad]")
_ASCII_CTRL = bytes([*range(0, 9), 0x0b, *range(0x0e, 0x20), 0x7f])  # _CTRL_RE below 0x80
_NEWLINES_RE = re.compile("\r\n?|[\x0c\u2028\u2029\x85]")
_SPACES_RE = re.compile("[\xa0\u2000-\u200a\u202f\u205f]")
# U+3000 between two CJK characters is the separator Japanese and Chinese headlines and
# bylines use ("無償化へ\u3000知事が表明"): kept; elsewhere (indents, next to ASCII) a space.
_IDEO_SPACE_RE = re.compile("(?<![\u3000-\uffff])\u3000++|\u3000++(?![\u3001-\uffff])")
# Sequences that are typical of UTF-8 read as cp1252/latin-1 ("Ã©", "â€™", "Ã¼").
_MOJIBAKE_RE = re.compile("[ÃÂâÅÄÐÑ][\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|â€")


def sniff_binary(raw: bytes) -> str | None:
    """Return a description when ``raw`` is clearly not text, else None."""
    head = raw[:8192]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if _utf16_guess(head) or any(head.startswith(b) for b, _ in _BOMS):
        return None
    if not head:
        return None
    ctrl = len(head.translate(None, _NOT_CTRL))
    if head.count(0) > 0.03 * len(head):  # stray NULs happen in scrapes; many do not
        return "binary data"
    if ctrl / len(head) > 0.05:
        return "binary data"
    return None


# Text of any script has spaces, line ends or punctuation; random bytes read as UTF-16 or
# UTF-32 are a run of ideographs, specials and private-use code points without any.
_TEXT_MARKS_RE = re.compile("[\\s.,;:!?\u3001\u3002\uff0c\uff0e\u060c\u0964]")
_NOT_TEXT_RE = re.compile("[\ue000-\uf8ff\ufff0-\uffff\U000f0000-\U0010ffff]")


def _reads_as_text(text: str) -> bool:
    """Whether a UTF-16/32 decoding looks like text: marks of text in its first 2,000
    characters, and few private-use or special code points."""
    sample = text[:2000]
    if len(sample) < 40:
        return True
    return len(_TEXT_MARKS_RE.findall(sample)) * 100 >= len(sample) \
        and len(_NOT_TEXT_RE.findall(sample)) * 20 < len(sample)


def _utf16_guess(head: bytes) -> str | None:
    """UTF-16 without BOM: ASCII-range text leaves NULs on every other byte."""
    n = len(head) // 2 * 2
    if n < 16 or 0 not in head:  # too little to tell; no NUL (one memchr) is no UTF-16
        return None
    even_zero = head[0:n:2].count(0)
    odd_zero = head[1:n:2].count(0)
    half = n // 2
    if odd_zero > 0.4 * half and even_zero < 0.05 * half:
        return "utf-16-le"
    if even_zero > 0.4 * half and odd_zero < 0.05 * half:
        return "utf-16-be"
    return None


# Non-ASCII characters a Western-European cp1252 text is made of.
_WESTERN_RE = re.compile(
    "[À-ÖØ-öø-ÿ€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ\xa0¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷]")


def _western(raw: bytes) -> str | None:
    """cp1252 when it decodes and reads like Latin-script text (mostly ASCII letters)."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    western = len(_WESTERN_RE.findall(text))
    if non_ascii and western >= 0.95 * non_ascii and non_ascii <= 0.25 * len(text):
        return text
    return None


def _detect(raw: bytes) -> str:
    """Decode non-UTF-8 bytes: cp1252, then nearly-UTF-8, then charset-normalizer."""
    text = _western(raw)
    if text is not None:
        return text
    high = sum(1 for b in raw[:65536] if b > 127)
    if high <= 0.02 * len(raw[:65536]):
        # A few stray bytes in ASCII/UTF-8 text: drop them rather than reject the input.
        return raw.decode("utf-8", errors="replace").replace("\ufffd", "")
    from charset_normalizer import from_bytes  # lazy: slow, and rarely needed

    for match in from_bytes(raw[:65536]):
        if match.coherence >= 0.1 and match.chaos <= 0.2:
            try:
                return raw.decode(str(match.encoding))
            except (UnicodeDecodeError, LookupError):
                continue
    raise UndecodableInput("bytes are not valid UTF-8 and no other text encoding fits")


def clean_text(text: str) -> str:
    """Repair mojibake, unify newlines, drop control and zero-width chars, NFC."""
    ascii_only = text.isascii()
    if not ascii_only and _MOJIBAKE_RE.search(text):
        import ftfy  # lazy: only when the text looks double-encoded

        text = ftfy.fix_text(text, normalization="NFC", unescape_html=False,
                             uncurl_quotes=False)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not ascii_only:
        text = _NEWLINES_RE.sub("\n", text)
        text = _SPACES_RE.sub(" ", text)
        if "\u3000" in text:
            text = _IDEO_SPACE_RE.sub(" ", text)
    text = text.replace("\t", " ").replace("\x0c", "\n")
    if ascii_only:
        # _CTRL_RE's ASCII part, deleted by bytes.translate: ~1 us for 5 KB, the regex 13
        raw = text.encode("ascii")
        kept = raw.translate(None, _ASCII_CTRL)
        if len(kept) != len(raw):
            text = kept.decode("ascii")
    else:
        text = _CTRL_RE.sub("", text)
    if not ascii_only:
        text = unicodedata.normalize("NFC", text)
    return text


def decode_bytes(raw: bytes) -> str:
    """Decode bytes of unknown encoding to clean NFC text.

    Raises BinaryInput for clearly binary data and UndecodableInput when no encoding fits.
    """
    what = sniff_binary(raw)
    if what:
        raise BinaryInput(f"input is binary ({what}), not text")
    text: str | None = None
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw[len(bom):].decode(enc)
            except UnicodeDecodeError:
                raise UndecodableInput(
                    f"bytes after the {enc} byte-order mark are invalid") from None
            if enc != "utf-8" and not _reads_as_text(text):
                raise UndecodableInput(f"bytes after the {enc} byte-order mark do not read "
                                       "as text")
            break
    if text is None:
        guess = _utf16_guess(raw[:8192])
        if guess:
            try:
                text = raw[: len(raw) // 2 * 2].decode(guess)
            except UnicodeDecodeError:
                text = None
            if text is not None and not _reads_as_text(text):
                text = None
    if text is None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = _detect(raw)
    return clean_text(text)
