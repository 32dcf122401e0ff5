"""Text clean-up at load time: HTML to plain text, ftfy repair, site boilerplate, and the
plain-text article format (title line, repeated title, body, trailing boilerplate).

HTML pasted from a CMS is detected (:func:`looks_like_html`: a page, or tags of real HTML
elements with a closing one) and converted by BeautifulSoup (:func:`html_to_text`): scripts,
styles and other non-content elements are dropped, block elements (paragraphs, headings, list
items, table rows, line breaks) become line breaks, so paragraphs survive. Offsets of every
later analysis refer to the converted text.
"""

from __future__ import annotations

import functools
import re
import warnings

#: Lines of site boilerplate removed from the *end* of articles (whole-line,
#: case-insensitive regular expressions). Extend per corpus with ``boilerplate=[...]``.
BOILERPLATE_PATTERNS: tuple[str, ...] = (
    r"stay connected",
    r"(share|tweet|email|print|pin)( (this|on|via)( .*)?)?",
    r"share (this|on) (article|story|post|facebook|twitter).*",
    r"(please )?(subscribe|sign up)( to| for| now)?.*(newsletter|updates|channel|today|now)\W*",
    r"follow us( on .*)?",
    r"(click|tap) here to .*",
    r"(related|read more|more from|recommended)( articles| stories| posts)?:?",
    r"advertisement",
    r"comments?",
    r"leave a (comment|reply)",
    r"(all rights reserved|copyright|\(c\)|©).*",
    r"reuter",
)

#: Longest line (in words) taken for boilerplate: site boilerplate is a short line, so an
#: article written on one line that happens to start "Print this page ..." is kept.
MAX_BOILERPLATE_WORDS = 25

_LINE_ENDINGS = re.compile(r"\r\n?")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Attributes as HTML writes them (``name``, ``name=value``, ``name="value"``; CMS exports
#: sometimes curl the quotes), so ``a <b and c> d`` is not taken for a tag.
_ATTRIBUTES = (r"(?:\s+[a-zA-Z_:][-\w:.]*(?:\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[“”][^“”<>]*[“”]|"
               r"[^\s\"'=<>`]+))?)*\s*/?")
#: Tags of elements that mark a text as HTML (opening, closing or self-closing).
_HTML_TAG = re.compile(
    r"<(/?)(p|br|div|span|a|b|i|em|strong|h[1-6]|ul|ol|li|table|tr|td|th|script|style|img|"
    r"html|head|body|meta|link|iframe|blockquote|figure|figcaption|section|article|header|"
    r"footer|nav|aside|noscript|button|form|input|hr|pre|code|sup|sub|small|font|center)"
    + _ATTRIBUTES + ">",
    re.IGNORECASE,
)
_DOCUMENT_START = re.compile(r"\s*<(!doctype\s+html|html)[\s>]", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
#: Elements whose tag, repeated, marks a text as HTML without any closing tag (old CMS
#: exports: ``one<br>two<br>three``, ``<p>one<p>two``).
_REPEATED_ELEMENTS = frozenset({"p", "br", "div", "li", "tr", "td"})
#: Times one of them must appear.
MIN_REPEATED_TAGS = 2
#: Elements dropped with their content.
_NON_CONTENT = ("script", "style", "noscript", "template", "head", "iframe", "svg", "form",
                "button", "nav")
#: Elements that end a paragraph (a blank line) or a line.
_PARAGRAPH_ELEMENTS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                       "section", "article", "header", "footer", "figure", "figcaption",
                       "table", "ul", "ol", "pre", "aside", "main", "center")
_LINE_ELEMENTS = ("br", "li", "tr", "hr", "dt", "dd")
_BLANK_LINES = re.compile(r"\n[ \t\xa0]*(\n[ \t\xa0]*)+")
_SPACES = re.compile(r"[ \t\xa0]+")
_LETTER = re.compile(r"[^\W\d_]")


def has_letters(text: str) -> bool:
    """Whether ``text`` holds at least one letter (an article, not a number or symbols)."""
    return bool(_LETTER.search(text))


def looks_like_html(text: str) -> bool:
    """Whether ``text`` holds HTML markup: a page (``<!doctype html>``, ``<html>``), an HTML
    comment, two or more tags of HTML elements with a closing one (``</p>``), or one of
    :data:`_REPEATED_ELEMENTS` opened :data:`MIN_REPEATED_TAGS` times (``a<br>b<br>c``).
    Text that mentions a tag once ("the <p> tag and the <br> tag") or compares
    (``a<b and c>d``) is not HTML."""
    if "<" not in text:
        return False
    if _DOCUMENT_START.match(text) or _COMMENT.search(text):
        return True
    tags = closing = 0
    repeated: dict[str, int] = {}
    for match in _HTML_TAG.finditer(text):
        tags += 1
        closing += bool(match.group(1))
        name = match.group(2).lower()
        if name in _REPEATED_ELEMENTS and not match.group(1):
            repeated[name] = repeated.get(name, 0) + 1
            if repeated[name] >= MIN_REPEATED_TAGS:
                return True
        if tags >= 2 and closing:
            return True
    return False


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment or page: non-content elements dropped, paragraphs as
    blank-line separated blocks, entities decoded, runs of spaces collapsed."""
    from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(markup, "html.parser")
    for element in soup.find_all(_NON_CONTENT):
        element.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for element in soup.find_all(_PARAGRAPH_ELEMENTS):
        element.insert_before("\n\n")
        element.insert_after("\n\n")
    for element in soup.find_all(_LINE_ELEMENTS):
        element.insert_after("\n")
    for element in soup.find_all(("td", "th")):
        element.insert_after(" ")  # cells of a row apart
    text = soup.get_text()
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def html_title(markup: str) -> str | None:
    """The text of an HTML page's ``<title>`` element, or ``None``."""
    from bs4 import BeautifulSoup

    title = BeautifulSoup(markup, "html.parser").title
    text = " ".join(title.get_text().split()) if title else ""
    return text or None


def repair_text(text: str) -> str:
    """Repair one text: ftfy's ``fix_text`` (mojibake, HTML entities, odd control characters)
    and ``\\r\\n``/``\\r`` line endings to ``\\n``. Typographic quotes are kept (the tokenizer
    handles them), so quotation marks survive for attribution."""
    import ftfy

    if text.isascii() and "&" not in text and not _ASCII_CONTROL.search(text):
        return _LINE_ENDINGS.sub("\n", text)  # nothing ftfy would change; skip it (fast path)
    # full-width characters are kept: they are the punctuation of Chinese and Japanese text
    fixed = ftfy.fix_text(text, uncurl_quotes=False, fix_character_width=False,
                          normalization="NFC")
    return _LINE_ENDINGS.sub("\n", fixed)


def split_plain_text_article(
    content: str, boilerplate: list[str] | tuple[str, ...] = ()
) -> tuple[str, str, int]:
    """Split one plain-text article into ``(title, body, boilerplate_lines_removed)``.

    The title is the first non-empty line; a repetition of it at the start of the body is
    removed; trailing lines matching :data:`BOILERPLATE_PATTERNS` (or ``boilerplate``) are
    removed. The body keeps its paragraphs separated by blank lines. A title line that is
    itself boilerplate ("Stay Connected") with nothing but boilerplate after it gives an
    empty title and body.
    """
    lines = _LINE_ENDINGS.sub("\n", content).split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return "", "", 0
    title = lines.pop(0).strip()
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and _same_title(lines[0], title):
        lines.pop(0)
    body, removed = strip_trailing_boilerplate("\n".join(lines), boilerplate)
    if not body and is_boilerplate_line(title, boilerplate):
        return "", "", removed + 1
    return title, body, removed


def is_boilerplate_line(line: str, boilerplate: list[str] | tuple[str, ...] = ()) -> bool:
    """Whether one line is site boilerplate (:data:`BOILERPLATE_PATTERNS` or ``boilerplate``)."""
    line = line.strip()
    if len(line.split()) > MAX_BOILERPLATE_WORDS:
        return False
    return any(p.fullmatch(line) for p in _boilerplate_regexes(tuple(boilerplate)))


def strip_trailing_boilerplate(
    text: str, boilerplate: list[str] | tuple[str, ...] = ()
) -> tuple[str, int]:
    """Remove trailing lines matching :data:`BOILERPLATE_PATTERNS` (plus ``boilerplate``).

    Returns the stripped text and the number of boilerplate lines removed. Only whole trailing
    lines of at most :data:`MAX_BOILERPLATE_WORDS` words are removed, so a sentence that merely
    mentions "Stay connected", or a one-line article starting "Print this page", is kept.
    """
    patterns = _boilerplate_regexes(tuple(boilerplate))
    lines = text.rstrip().split("\n")
    removed = 0
    while lines:
        last = lines[-1].strip()
        if not last:
            lines.pop()
        elif len(last.split()) <= MAX_BOILERPLATE_WORDS and any(
                p.fullmatch(last) for p in patterns):
            lines.pop()
            removed += 1
        else:
            break
    if not removed:
        return text.strip(), 0
    return "\n".join(lines).strip(), removed


@functools.cache
def _boilerplate_regexes(extra: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in (*BOILERPLATE_PATTERNS, *extra))


def _same_title(line: str, title: str) -> bool:
    def squash(s: str) -> str:
        return " ".join(s.split()).casefold()

    return squash(line) == squash(title)
