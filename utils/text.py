"""Sentence splitting and word tokenization, offline and deterministic.

- Sentences: NLTK's Punkt with the project's news abbreviations
  (:data:`utils.resources.NEWS_ABBREVIATIONS`), applied paragraph by paragraph (a paragraph ends
  at a blank line, or at a line break in texts that use single line breaks between paragraphs),
  so a headline line never runs into the first sentence of the body.
- Words: NLTK's ``NLTKWordTokenizer`` (the improved Treebank tokenizer behind
  ``nltk.word_tokenize``) run on text whose typographic quotes and apostrophes are mapped to
  ASCII ones first. The mapping is one character to one character, so offsets into the
  normalised text are offsets into the original: "Assad’s" gives ``Assad`` + ``'s``, never a
  stray ``s``.

Every function that returns spans returns ``(start, end)`` offsets into the text exactly as
given, so ``text[start:end]`` is the sentence or token.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

#: Typographic quotes and apostrophes mapped to their ASCII equivalents (1 char -> 1 char).
TYPOGRAPHIC_TO_ASCII = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark / apostrophe
        "\u201a": "'",  # single low-9 quotation mark
        "\u201b": "'",  # single high-reversed-9 quotation mark
        "\u2032": "'",  # prime
        "\u02bc": "'",  # modifier letter apostrophe
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',  # double low-9 quotation mark
        "\u201f": '"',  # double high-reversed-9 quotation mark
        "\u2033": '"',  # double prime
        "\u00ab": '"',  # left-pointing double angle quotation mark
        "\u00bb": '"',  # right-pointing double angle quotation mark
    }
)

# A paragraph break: a line break followed by optional blank lines. Single line breaks also end
# a paragraph because plain-text news (the seed's format, most scraped tables) puts one
# paragraph per line; a sentence that wraps over lines inside a paragraph is rare in news text.
# A break is the whole run of whitespace around a line break (what ``\s*\n\s*`` matches), found
# from each line break (:func:`paragraph_spans`): the regular expression itself backtracks over
# every run of spaces holding no line break, which is quadratic in the length of the run.
_WHITESPACE = re.compile(r"\s*")
_HAS_WORD_CHAR = re.compile(r"\w")


def normalize_quotes(text: str) -> str:
    """Map typographic quotes and apostrophes to ASCII, keeping every offset unchanged."""
    return text.translate(TYPOGRAPHIC_TO_ASCII)


@functools.cache
def _sentence_tokenizer():
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from utils.resources import punkt_parameters

    return PunktSentenceTokenizer(punkt_parameters())


@functools.cache
def _word_tokenizer():
    from nltk.tokenize import NLTKWordTokenizer

    return NLTKWordTokenizer()


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the non-empty paragraphs of ``text`` (leading/trailing whitespace excluded).

    Paragraphs are separated by the runs of whitespace holding a line break; the time is linear
    in the length of ``text``, however long its runs of whitespace.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    while (newline := text.find("\n", start)) >= 0:
        # the break runs from the whitespace before the line break (not before ``start``)
        # to the end of the whitespace after it
        break_start = start + len(text[start:newline].rstrip())
        append_stripped_span(text, start, break_start, spans)
        start = _WHITESPACE.match(text, newline + 1).end()
    append_stripped_span(text, start, len(text), spans)
    return spans


def append_stripped_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append ``(start, end)`` to ``spans`` with surrounding whitespace trimmed, unless empty."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


#: Most Punkt break contexts ("said. The") remembered per process (about 16,000 distinct ones
#: in all of Reuters); past it decisions are computed, not stored, so memory stays flat.
SENTBREAK_CACHE_SIZE = 50_000
#: Articles whose sentence offsets are remembered per process (the pipeline splits each article
#: in three steps), and the longest text remembered.
SPANS_CACHE_SIZE = 128
SPANS_CACHE_MAX_CHARS = 100_000


@functools.cache
def _memo_sentence_tokenizer():
    """The project's Punkt splitter whose break decision is memoised per context string.

    ``PunktSentenceTokenizer.text_contains_sentbreak(context)`` decides each candidate break
    from the short context string around it ("said. The") and the fixed parameters only, so
    remembering its answer per string cannot change any result; news text repeats contexts
    constantly, which makes this the costly step saved.
    """
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from utils.resources import punkt_parameters

    class MemoPunkt(PunktSentenceTokenizer):
        def __init__(self, params):
            super().__init__(params)
            self._sentbreak_cache: dict[str, bool] = {}

        def text_contains_sentbreak(self, text: str) -> bool:
            cache = self._sentbreak_cache
            found = cache.get(text)
            if found is None:
                found = super().text_contains_sentbreak(text)
                if len(cache) < SENTBREAK_CACHE_SIZE:
                    cache[text] = found
            return found

    return MemoPunkt(punkt_parameters())


@functools.cache
def _sentence_end_characters() -> frozenset[str]:
    return frozenset(_memo_sentence_tokenizer()._lang_vars.sent_end_chars)


def reference_sentence_spans(text: str) -> list[tuple[int, int]]:
    """The definition of :func:`sentence_spans`: NLTK's Punkt with the project's parameters run
    on every paragraph, with nothing remembered or skipped (slower; tests compare the two)."""
    if not text:
        return []
    tokenizer = _sentence_tokenizer()
    normalized = normalize_quotes(text)
    spans = []
    for para_start, para_end in paragraph_spans(normalized):
        paragraph = normalized[para_start:para_end]
        for start, end in tokenizer.span_tokenize(paragraph):
            spans.append((para_start + start, para_start + end))
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the sentences of ``text``, split by Punkt paragraph by paragraph.

    Exactly :func:`reference_sentence_spans`, faster: break decisions are memoised per context
    string, a paragraph with no sentence-ending character (``.?!``) before its last character
    is one sentence without running Punkt, and the offsets of the last
    :data:`SPANS_CACHE_SIZE` texts are remembered.
    """
    if not text:
        return []
    if len(text) > SPANS_CACHE_MAX_CHARS:
        return list(_fast_sentence_spans(text))
    return list(_remembered_sentence_spans(text))


def _fast_sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    tokenizer = _memo_sentence_tokenizer()
    end_chars = _sentence_end_characters()
    normalized = normalize_quotes(text)
    spans = []
    for para_start, para_end in paragraph_spans(normalized):
        paragraph = normalized[para_start:para_end]
        if end_chars.isdisjoint(paragraph[:-1]):
            # Punkt only considers a break at a sentence-ending character followed by another
            # character (its period-context pattern needs punctuation or whitespace and a
            # token after it): a paragraph with no such character except possibly its last
            # one is one sentence (paragraphs are stripped and non-empty).
            spans.append((para_start, para_end))
            continue
        for start, end in tokenizer.span_tokenize(paragraph):
            spans.append((para_start + start, para_start + end))
    return tuple(spans)


_remembered_sentence_spans = functools.lru_cache(maxsize=SPANS_CACHE_SIZE)(_fast_sentence_spans)


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings (see :func:`sentence_spans`)."""
    return [text[start:end] for start, end in sentence_spans(text)]


def iter_sentences(text: str) -> Iterator[tuple[int, int, int, str]]:
    """Yield ``(index, start, end, sentence)`` for each sentence of ``text``."""
    for index, (start, end) in enumerate(sentence_spans(text)):
        yield index, start, end, text[start:end]


def tokenize_words(text: str) -> list[str]:
    """Word tokens of one sentence or short text, with NLTK's tokenizer on ASCII quotes.

    Tokens come from the quote-normalised text, so "Assad’s" gives ``["Assad", "'s"]`` and
    double quotes become NLTK's ``\u0060\u0060`` / ``''`` tokens. For a whole article use
    :func:`tokenize_text`, which splits sentences first (as ``nltk.word_tokenize`` does).
    """
    if not text:
        return []
    return _word_tokenizer().tokenize(normalize_quotes(text))


def tokenize_text(text: str) -> list[str]:
    """Word tokens of a whole article: sentences first, then :func:`tokenize_words` on each."""
    tokens: list[str] = []
    for start, end in sentence_spans(text):
        tokens.extend(tokenize_words(text[start:end]))
    return tokens


def word_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the word tokens of ``text`` (sentence by sentence), into ``text`` as given."""
    tokenizer = _word_tokenizer()
    normalized = normalize_quotes(text)
    spans = []
    for sent_start, sent_end in sentence_spans(text):
        for start, end in tokenizer.span_tokenize(normalized[sent_start:sent_end]):
            spans.append((sent_start + start, sent_start + end))
    return spans


def is_word(token: str) -> bool:
    """True when a token holds at least one letter or digit (not pure punctuation)."""
    return bool(_HAS_WORD_CHAR.search(token))


def count_words(text: str) -> int:
    """Number of word tokens (tokens holding a letter or digit) in ``text``."""
    return sum(1 for token in tokenize_text(text) if is_word(token))
