"""HTML text -> an lxml tree, and trafilatura set up to read it.

The page is parsed once (its nesting checked first, from the text), and the tree goes to
trafilatura with options copied from a cached template; ``html`` reads the same tree for
the page's metadata and to clean trafilatura's text.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import logging
import re
import threading
import warnings
from collections.abc import Iterator
from typing import Any

from worker.errors import NotAnArticle
from worker.normalise import justext_patch

log = logging.getLogger(__name__)

MAX_DEPTH = 400  # real pages nest < 100 deep; deeper trees exhaust lxml / recursion
# [^<>]: a "<" never closed by ">" must not make every later "<" rescan to the end (O(n^2))
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^<>]*?(/?)>")


def _words(names: str) -> frozenset[str]:
    return frozenset(names.split())


# Void elements and those whose end tag may be omitted do not deepen the tree reliably.
_NO_DEPTH = _words(
    "area base br col embed hr img input link meta param source track wbr p li dt dd tr td th "
    "option optgroup thead tbody tfoot colgroup rb rt rp html head body")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def declared_charset(raw: bytes) -> str | None:
    m = _META_CHARSET_RE.search(raw[:4096])
    return m.group(1).decode("ascii", "ignore").lower() if m else None


def check_depth(html: str) -> None:
    if html.count("<") <= MAX_DEPTH:  # fewer tags than the limit cannot nest past it
        return
    depth = 0
    for m in _TAG_RE.finditer(html):
        name = m.group(2).lower()
        if m.group(3) or name in _NO_DEPTH:
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > MAX_DEPTH:
                raise NotAnArticle(f"HTML is nested more than {MAX_DEPTH} elements deep")


_PARSERS = threading.local()  # lxml parsers are not to be shared between threads


def html_parser() -> Any:
    """lxml.html's parser, its element classes found in C: lxml.html's own lookup is a
    Python method called for each element Python touches (ours and trafilatura's, ~230 a
    page, ~20 us). The same classes: HtmlElement, and the form elements' own."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        import lxml.html  # type: ignore[import-untyped]
        from lxml import etree

        lookup = etree.ElementNamespaceClassLookup(etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
        classes = lookup.get_namespace(None)
        for tag, cls in (("form", lxml.html.FormElement), ("input", lxml.html.InputElement),
                         ("select", lxml.html.SelectElement), ("label", lxml.html.LabelElement),
                         ("textarea", lxml.html.TextareaElement)):
            classes[tag] = cls
        parser = lxml.html.HTMLParser()
        parser.set_element_class_lookup(lookup)
        _PARSERS.parser = parser
    return parser


def parse_page(html: str) -> Any:
    """The page as an lxml.html tree; NotAnArticle when lxml cannot read it."""
    import lxml.html

    # lxml refuses str input with an XML encoding declaration.
    if html.lstrip().startswith("<?xml"):
        html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    try:
        return lxml.html.document_fromstring(html, parser=html_parser())
    # ParserError ("Document is empty", e.g. only "</script>") is an LxmlError, not a ValueError
    except (ValueError, TypeError, lxml.etree.LxmlError) as exc:
        raise NotAnArticle(f"HTML could not be parsed ({exc})") from None


@functools.cache
def trafilatura_module() -> Any:
    """trafilatura, imported and patched once (per call, the warnings filter alone cost
    ~3 us and reset every module's warning registry)."""
    with warnings.catch_warnings():
        # Its downloader (unused here) tries urllib3's optional SOCKS support, which warns
        # when PySocks is absent; whether that surfaces depended on what imported urllib3
        # first (courlan, for canonical URLs, does).
        warnings.filterwarnings("ignore", message="SOCKS support in urllib3")
        import trafilatura

    justext_patch.install()  # its jusText fallback is quadratic in runs of short blocks
    return trafilatura


@functools.cache
def _extractor_template(fast: bool, with_metadata: bool) -> tuple[Any, tuple[str, ...] | None]:
    from trafilatura.settings import Extractor

    return Extractor(output_format="python", fast=fast, comments=False, tables=True,
                     images=False, dedup=False, with_metadata=with_metadata,
                     date_params={"extensive_search": False, "original_date": True}
                     ), _slots(Extractor)


def _slots(cls: type) -> tuple[str, ...] | None:
    """Every slot of ``cls`` and its bases (what ``copy.copy`` copies of a slotted object);
    None when its objects also have a ``__dict__``."""
    if any("__dict__" in vars(c) for c in cls.__mro__[:-1]):
        return None
    return tuple(dict.fromkeys(n for c in cls.__mro__ for n in getattr(c, "__slots__", ())))


def extractor_options(url: str | None, fast: bool, with_metadata: bool) -> Any:
    """The options ``bare_extraction`` would build from its keyword arguments, copied from a
    cached template: building them reads eight ConfigParser values (~80 us a page, as much
    as the rest of our own HTML work)."""
    template, slots = _extractor_template(fast, with_metadata)
    if slots is None:
        opts = copy.copy(template)
    else:  # copy.copy's reduce protocol took ~3 us of ~5
        opts = object.__new__(type(template))
        for name in slots:
            setattr(opts, name, getattr(template, name))
    opts.url = url
    opts.source = url and url.encode("utf-8", "replace").decode("utf-8")
    opts.date_params = dict(opts.date_params)  # fresh per page, as before
    opts.author_blacklist, opts.url_blacklist = set(), set()
    return opts


@functools.cache
def _node_counter() -> Any:
    from lxml import etree

    return etree.XPath("count(descendant-or-self::*) + count(descendant::comment())"
                       " + count(descendant::processing-instruction())")


def count_nodes(root: Any) -> int:
    """What ``root.iter()`` yields, counted in C (~2 us a page, not 20)."""
    return int(_node_counter()(root))


# A kicker inside the <h1>, over the headline: "<span class=topline>Studie zu ...</span>"
_KICKER_CLASS_RE = re.compile(r"topline|kicker|overline|eyebrow|dachzeile|roofline|"
                              r"supertitle|pretitle|antetitulo|occhiello", re.IGNORECASE)


def h1_text(h1: Any) -> str:
    """The headline an <h1> shows, without a kicker it carries in a child of its own."""
    first = h1[0] if len(h1) else None
    if first is not None and isinstance(first.tag, str) and not (h1.text or "").strip() \
            and _KICKER_CLASS_RE.search(first.get("class") or ""):
        rest = " ".join(((first.tail or "") + "".join(
            c.text_content() + (c.tail or "") for c in h1[1:])).split())
        if len(rest.split()) >= 3:
            return rest
    return " ".join(h1.text_content().split())


# trafilatura's own cleaning drops these (MANUALLY_CLEANED) before its extractor reads the
# tree, but its fallbacks (readability, jusText, its baseline) and its pruning passes read the
# uncleaned copy: out of the tree it is handed, a bench page costs it ~80 us less (~10%),
# the labelled pages ~4% (<aside> ~1% of that), a page with a long menu or footer more; on
# the 244 labelled pages the text it returns is the same, character for character. Its
# extraction without metadata reads no <head> but a JSON-LD articleBody (its last fallback):
# the rest of the <head> out too, ~35 us more a bench page; of the 588 documents `make eval`
# scores one changed, for the better (a live blog whose <title> trafilatura had kept).
# A site's <header> (no <h1> or <h2> in it, outside any <article> or <main>) is no story
# either: ~15 us more a bench page, ~2% on the labelled pages, the same text on all 244.
CHROME_TAGS = ("nav", "footer", "aside", "header")


def _chrome(el: Any) -> bool:
    return el.tag != "header" or (next(el.iterancestors("article", "main"), None) is None
                                  and next(el.iter("h1", "h2"), None) is None)


@contextlib.contextmanager
def chrome_out(root: Any, head: bool = False) -> Iterator[None]:
    """The page's outermost CHROME_TAGS (a <header> when ``_chrome``) out of ``root`` while
    the block runs (each one's tail text stays where it was), then every one back as it was.
    ``head``: the <head>'s elements too, but its JSON-LD (trafilatura's last fallback reads
    an articleBody there)."""
    undo: list[tuple[Any, int, Any, Any, str | None, bool]] = []
    found: list[Any] = []  # the outermost of those that go
    going: set[Any] = set()  # (lxml gives one proxy per node while a reference lives)
    for el in root.iter(*CHROME_TAGS):
        if _chrome(el) and not (going and any(map(going.__contains__,
                                                  el.iterancestors(*CHROME_TAGS)))):
            found.append(el)
            going.add(el)
    top = root.find("head") if head else None
    stub = None
    if top is not None:  # a stand-in with copies of its JSON-LD: one swap each way
        stub = root.makeelement("head")
        stub.extend(copy.copy(el) for el in top.iter("script")
                    if "json" in (el.get("type") or ""))
        root.replace(top, stub)
    try:
        for el in reversed(found):  # last first: an earlier one's index stays right
            parent = el.getparent()
            if parent is None:
                continue
            prev, tail = el.getprevious(), el.tail
            old = (prev.tail if prev is not None else parent.text) if tail else None
            if tail and prev is not None:
                prev.tail = (old or "") + tail
            elif tail:
                parent.text = (old or "") + tail
            undo.append((parent, parent.index(el), el, prev, old, bool(tail)))
            parent.remove(el)  # (its tail goes with it: the copy above keeps the text)
        yield
    finally:
        for parent, index, el, prev, old, moved in reversed(undo):  # in the reverse order
            if moved and prev is not None:
                prev.tail = old
            elif moved:
                parent.text = old
            parent.insert(index, el)
        if stub is not None:
            root.replace(stub, top)


def unkicked(title: str, root: Any) -> str | None:
    """The headline without the kicker the metadata puts before it ("Gesundheitsversorgung:
    Kreistag stoppt ...") when the page sets the headline apart in a heading or a span of
    its own: what the reader sees as the headline. None otherwise (no kicker, or none the
    page shows apart)."""
    head, sep, tail = title.partition(": ")
    if not sep or not 1 <= len(head.split()) <= 3 or len(tail.split()) < 4:
        return None
    found = root.xpath("(//h1|//h2|//header//span|//article//span)[normalize-space(.)=$t][1]",
                       t=tail)
    return tail if found else None


def strip_site(title: str, site: str | None) -> str:
    """A title without the site name a page's <title> or og:title adds to its headline."""
    for sep in (" | ", " - ", " – ", " — ", " -- ", " :: "):
        head, _, tail = title.rpartition(sep)
        # (a lower-case tail is the headline's own last words, "– igen", unless it is the
        # site's name or a domain)
        if head and ((site and tail.strip().lower() == site.lower()) or (len(tail.split()) <= 3
                     and len(head) > 2 * len(tail)
                     and (not tail.strip()[:1].islower() or "." in tail))):
            return head.strip()
    # the site first: "Pacific Newswire :: Headline" (a "Section | Headline" kicker stays)
    head, sep, tail = title.partition(" :: ")
    if not sep:
        head, sep, tail = title.partition(" | ")
    if sep and tail and ((site and head.strip().lower() == site.lower())
                         or (sep == " :: " and len(head.split()) <= 3 < len(tail.split()))):
        return tail.strip()
    return title
