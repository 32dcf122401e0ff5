"""One text prepared for the rules: sentences (bounded in length), paragraphs and quote spans
with their lookups (:class:`_Doc`), and the attribution record the rules build
(:class:`_Attribution`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from utils.attribution.lexicons import MAX_SENTENCE_CHARS
from utils.attribution.quotes import _normalize_quotes, _quote_spans
from utils.text import append_stripped_span, paragraph_spans, sentence_spans

# ---------------------------------------------------------------------------------------------
# the extractor


@dataclass
class _Attribution:
    cue: tuple[int, int]
    source: tuple[int, int] | None
    pieces: list[tuple[int, int]]
    acc: bool = False
    passive: bool = False
    extra: dict = field(default_factory=dict)


def _bounded_sentences(
    norm: str, sentences: list[tuple[int, int]], limit: int = MAX_SENTENCE_CHARS
) -> list[tuple[int, int]]:
    """``sentences`` with each one longer than ``limit`` characters cut into pieces of at most
    ``limit`` characters, each ending at the last space of its second half (or at ``limit``
    characters when there is none); whitespace at the cuts is left out."""
    if all(end - start <= limit for start, end in sentences):
        return sentences
    bounded: list[tuple[int, int]] = []
    for start, end in sentences:
        while end - start > limit:
            cut = norm.rfind(" ", start + limit // 2, start + limit)
            if cut < 0:
                cut = start + limit
            append_stripped_span(norm, start, cut, bounded)
            start = cut
            while start < end and norm[start].isspace():
                start += 1
        append_stripped_span(norm, start, end, bounded)
    return bounded


#: A sentence end that is a person's initials ("scholar A.E.", "W.W."), not "U.S." and the like.
_INITIALS_END = re.compile(r"(?:^|[\s(])(?:[A-Z]\.){1,2}$")
_COUNTRY_INITIALS = frozenset("U.S. U.K. U.N. D.C. E.U.".split())
#: A quote closing after "?" or "!": a sentence going on in lower case after it has not ended.
_QUOTE_CLOSE_END = re.compile(r"[?!]\s*(?:\"|'')$")


def _joined_sentences(norm: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``sentences`` with two kinds of false break joined, each on one line: after initials
    followed by a capitalised word ("scholar A.E. Dick Howard at the University"), and after a
    quote closing on "?" or "!" followed by a lower-case word ('declared "What a night!" and
    said ...'). Punkt ends a sentence at both. Done here, not in the shared splitter, which
    stays identical to NLTK Punkt for the other analyses."""
    out: list[tuple[int, int]] = []
    for start, end in sentences:
        if out:
            prev_start, prev_end = out[-1]
            m = _INITIALS_END.search(norm, max(prev_start, prev_end - 8), prev_end)
            gap = norm[prev_end:start]
            if (m and "\n" not in gap and norm[start : start + 1].isupper()
                    and norm[m.start() : prev_end].strip(" (") not in _COUNTRY_INITIALS):
                out[-1] = (prev_start, end)
                continue
            if ("\n" not in gap and norm[start : start + 1].islower()
                    and _QUOTE_CLOSE_END.search(norm, max(prev_start, prev_end - 4), prev_end)):
                out[-1] = (prev_start, end)  # 'She declared "What a night!" and said ...'
                continue
        out.append((start, end))
    return out


#: Horizontal spaces other than the ASCII space: no-break (the common one in text pasted from a
#: web page or a CMS: "were made\xa0public. ...,\xa0CBS News reported."), narrow no-break,
#: thin, em and the other typographic widths. The rules' patterns write a space as " ", so
#: each is read as one, one character for one, and every offset stays an offset into the text.
_OTHER_SPACES = tuple("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                      "\u2009\u200a\u202f\u205f\u3000")


def _normalize_spaces(text: str) -> str:
    """``text`` with each of :data:`_OTHER_SPACES` replaced by an ASCII space (same length)."""
    for space in _OTHER_SPACES:
        if space in text:
            text = text.replace(space, " ")
    return text


class _Doc:
    """Indexes over one text: sentences, paragraphs, quotes."""

    def __init__(self, text: str):
        self.text = text
        #: the text the rules read: typographic quotes as ASCII quotes and the other
        #: horizontal spaces as ASCII spaces, one character for one
        self.norm = _normalize_spaces(_normalize_quotes(text))
        self.sentences = _bounded_sentences(self.norm, _joined_sentences(self.norm,
                                                                        sentence_spans(text)))
        self.sent_starts = [s for s, _ in self.sentences]
        self.paragraphs = paragraph_spans(text)
        self.para_starts = [s for s, _ in self.paragraphs]
        self.quotes = _quote_spans(text, self.norm, self.paragraphs)
        self.quote_starts = [s for s, _ in self.quotes]
        self.quote_ends = [e for _, e in self.quotes]
        #: the text holds no comma (the form of FA-KES): readings that a comma would otherwise
        #: mark are tried
        self.comma_free = "," not in text
        #: :func:`_walk_back` outcomes, by clause start and part (see there)
        self.walks: dict[tuple[int, int, int], tuple] = {}
        #: :func:`_first_cut` answers: end -> (the start searched from, the cut found)
        self.cuts: dict[int, tuple[int, int | None]] = {}
        #: :func:`_trim_clause` answers, by span
        self.trims: dict[tuple[int, int], tuple[int, int] | None] = {}

    def sentence_of(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        if i < 0:
            return (0, 0)
        return self.sentences[i]

    def paragraph_of(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.para_starts, pos) - 1
        if i < 0:
            return (0, len(self.text))
        return self.paragraphs[i]

    def quote_at(self, pos: int) -> tuple[int, int] | None:
        """The quote span containing ``pos`` (strictly inside), if any."""
        i = bisect.bisect_right(self.quote_starts, pos) - 1
        if i >= 0 and self.quotes[i][0] < pos < self.quotes[i][1]:
            return self.quotes[i]
        return None

    def quote_ending_at(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_left(self.quote_ends, pos)
        if i < len(self.quotes) and self.quote_ends[i] == pos:
            return self.quotes[i]
        return None

    def quote_starting_at(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_left(self.quote_starts, pos)
        if i < len(self.quotes) and self.quote_starts[i] == pos:
            return self.quotes[i]
        return None

    def last_quote_end_before(self, pos: int) -> int:
        i = bisect.bisect_right(self.quote_ends, pos) - 1
        return self.quote_ends[i] if i >= 0 else -1

    def next_quote_start(self, pos: int) -> int:
        i = bisect.bisect_left(self.quote_starts, pos)
        return self.quote_starts[i] if i < len(self.quote_starts) else len(self.text)
