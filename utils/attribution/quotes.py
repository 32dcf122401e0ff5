"""Quotation marks: normalising typographic quotes one character for one and pairing them
paragraph by paragraph into quote spans (:func:`quote_spans`).
"""

from __future__ import annotations

import re

from utils.attribution.lexicons import _QUOTE_MARK
from utils.text import TYPOGRAPHIC_TO_ASCII, paragraph_spans

# ---------------------------------------------------------------------------------------------
# quotes


def _mark_class(text: str, norm: str, pos: int, length: int) -> str:
    """'open', 'close' or 'amb' for a double quote mark at ``pos``."""
    original = text[pos]
    before = norm[pos - 1] if pos > 0 else " "
    after = norm[pos + length] if pos + length < len(norm) else " "
    if before in _INVISIBLE:
        before = " "  # a direction mark before the quote ("\u202a\u201dIsis ...")
    opens = before.isspace() or before in "([{\u2014\u2013-/"
    closes = after.isspace() or after in ".,;:!?)]}\u2014\u2013-/'"
    # a typographic mark is trusted unless its place says the other: the wrong one typed
    # ("\u201cIt's unusual,\u201c said Noble", "\u201dIsis declares ...\u201d wrote Hidalgo")
    if original == "\u201c" and closes and not opens and before in _CLOSES_AFTER:
        return "close"
    if original == "\u201d" and opens and not closes and after.isalnum():
        return "open"
    if original in "\u201c\u201e\u00ab" or norm[pos : pos + length] == "``":
        return "open"
    if original in "\u201d\u00bb":
        return "close"
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "amb"


#: Characters that take no room: direction marks, zero-width spaces and joiners, the BOM.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\ufeff")

#: What a closing quote mark follows: the end of the quoted words.
_CLOSES_AFTER = frozenset(".,;:!?)]")


def _normalize_quotes(text: str) -> str:
    """Same result as :func:`utils.text.normalize_quotes` (typographic quotes to ASCII, one
    character for one), several times faster on long texts: ``str.replace`` per mapped
    character, skipping characters absent from the text, instead of ``str.translate``."""
    for code, replacement in _QUOTE_MAP:
        if code in text:
            text = text.replace(code, replacement)
    return text


_QUOTE_MAP = tuple((chr(code), value) for code, value in sorted(TYPOGRAPHIC_TO_ASCII.items()))


def quote_mark_span(mark: re.Match) -> tuple[int, int]:
    """The span of the double quote in a match of :data:`_QUOTE_MARK`. In a run of three
    apostrophes it is the pair away from the word: the first two when the run opens a quote
    (no word before it), the last two when it closes one ("'old-school,'''")."""
    start, end = mark.span()
    if end - start == 3:
        before = mark.string[start - 1] if start else " "
        closes = before.isalnum() or before in ".,;:!?'"
        return (start + 1, end) if closes else (start, end - 1)
    return start, end


def _quote_spans(
    text: str, norm: str, paragraphs: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if paragraphs is None:
        paragraphs = paragraph_spans(text)
    carry: int | None = None  # position of an open quote carried from the previous paragraph
    previous_end = 0
    for para_start, para_end in paragraphs:
        marks = [
            (start, end, _mark_class(text, norm, start, end - start))
            for start, end in map(quote_mark_span, _QUOTE_MARK.finditer(norm, para_start, para_end))
        ]
        index = 0
        open_at: int | None = None
        if carry is not None:
            if marks and marks[0][0] == para_start and marks[0][2] != "close":
                open_at = carry  # continued quote: the opening mark repeats the quote
                index = 1
            else:
                spans.append((carry, previous_end))  # left open: ends with its paragraph
            carry = None
        for start, end, cls in marks[index:]:
            if open_at is None:
                if cls != "close":
                    open_at = start
            elif cls == "open" and start > open_at:
                # a second opening mark: the first was never closed; restart here
                open_at = start
            else:
                spans.append((open_at, end))
                open_at = None
        if open_at is not None:
            carry = open_at
        previous_end = para_end
    if carry is not None:
        spans.append((carry, previous_end))
    return sorted(s for s in spans if s[1] > s[0])


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the quoted material of ``text``, quotation marks included.

    Double quotes in any style are recognised: straight ``"``, typographic ``“ ”``, low-9 ``„``,
    guillemets ``« »`` and the doubled apostrophes ``''``/``````` of some archives. Marks are paired
    paragraph by paragraph; a quote that runs over several paragraphs (an opening mark at the
    start of each continued paragraph, no closing mark before the break) is one span; a quote
    left open at a paragraph end otherwise ends there. Single quotes are not treated as quotes
    (they are mostly apostrophes or quotes nested inside a quote).

    Returns ``[(start, end), ...]`` sorted, non-overlapping, such that ``text[start:end]`` is the
    quote with its marks. Used by the sentiment module to separate quoted from authorial text.

    >>> quote_spans('He said "no" twice.')
    [(8, 12)]
    """
    if not isinstance(text, str) or not text:
        return []
    return _quote_spans(text, _normalize_quotes(text))
