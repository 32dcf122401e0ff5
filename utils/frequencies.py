"""Word frequencies: term counts, n-grams, collocations, TF-IDF, keyness, trends and concordance.

Every corpus-level function takes the frame returned by :func:`utils.corpus.load_corpus` (it
needs the columns ``doc_id`` and ``text``; ``date`` and a grouping column where stated) and
returns a tidy :class:`pandas.DataFrame`. Ties are always broken alphabetically, so the same
input gives the same output, row for row.

Signatures (``**settings`` are the fields of :class:`TermOptions`, e.g. ``stem=True``)::

    term_counts(corpus, *, n_jobs=1, **settings)
        -> term, count, per_10k, doc_freq
    document_term_counts(corpus, *, n_jobs=1, **settings)
        -> doc_id, term, count
    article_word_counts(corpus, *, n_jobs=1, **settings)
        -> doc_id, sentences, tokens, words, terms, unique_terms
    ngram_counts(corpus, n=2, *, min_count=1, n_jobs=1, **settings)
        -> ngram, count, per_10k, doc_freq
    collocations(corpus, n=2, *, measure="likelihood_ratio", min_freq=3, top=None, ...)
        -> ngram, count, score
    distinctive_terms(corpus, *, top_n=10, doc_ids=None, n_jobs=1, **settings)
        -> doc_id, rank, term, count, tf, idf, tf_idf
    keyness(corpus, group_column, target, reference=None, *, min_count=1, n_jobs=1, **settings)
        -> term, target_count, reference_count, target_per_10k, reference_per_10k,
           g2, significance, log_ratio, key_for
    keyness_or_reason(corpus, group_column, target, reference=None, ...)
        -> the keyness table, or a sentence saying why a group has no words
    keyness_problem(corpus, group_column, target, reference=None) -> that reason, or None
    terms_over_time(corpus, terms, *, freq="M", **settings)
        -> period, term, count, words, per_10k
    concordance(corpus, term, *, width=40, max_lines=None)
        -> doc_id, start, end, left, match, right
    zipf_table(counts) -> rank, term, count;   zipf_fit(table) -> {"slope", "intercept", "r2"}
    zipf_fit_or_reason(table) -> the fit, or a sentence saying why there is none
    frequency_summary(corpus) -> articles, sentences, words, terms, distinct_terms
    choose_grouping(corpus, group_by=None, target=None) -> (column, target) or a message

All but :func:`concordance` (which needs the text) also accept, instead of a frame, the
:class:`TokenizedCorpus` returned by :func:`tokenize_corpus`, so a notebook or a script
tokenizes a large corpus once and reuses it. Formulas: TF-IDF in :func:`distinctive_terms`;
G2 (Rayson & Garside 2000, thresholds in :data:`G2_THRESHOLDS`) in :func:`log_likelihood`;
Hardie's log ratio with its zero adjustment in :func:`log_ratio`; bigram likelihood ratio and
PMI in :func:`bigram_association`. Bad input (not a frame, a missing column, a group with no
article or no word, a term that can never be counted) raises :class:`FrequencyError` with a
message saying what to change; an empty corpus or one without words gives empty frames with
the documented columns.

Tokenization (the project's, :mod:`utils.text`): Punkt sentences paragraph by paragraph, then
NLTK's word tokenizer on each sentence. A token becomes a *term* after the filters of
:class:`TermOptions`: punctuation-only tokens dropped, pure numbers (no letter) dropped, case
folded, project stopwords (:func:`utils.resources.english_stopwords`) dropped, optional
Snowball stemming. *Words* (the size of a text, the denominator of every relative frequency)
are the tokens holding a letter or a digit, before stopword and number filtering, as
:func:`utils.text.count_words` counts them. n-grams are formed from the terms of one sentence
(after filtering, so "Secretary of State" gives the bigram ``secretary state``); they never
cross a sentence or an article boundary.

Speed: word tokenization dominates the cost. :func:`fast_tokenize_words` gives exactly the
tokens of :mod:`utils.text` (see its docstring for why it is faster and why it is exact; the
sentence splitter's own speed-ups are in :func:`utils.text.sentence_spans`), and
:func:`tokenize_corpus` spreads articles over ``n_jobs`` processes. Counting works on integer
term codes (:class:`TermEncoding`, numpy), and bigram scores are computed with numpy from the
counts with NLTK's own formulas (tests compare them with ``collections.Counter`` and NLTK's
finders).
``benchmarks/frequencies.py`` checks all this against the tutorial pipeline on real corpora.
"""

from __future__ import annotations

import functools
import gc
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from itertools import chain

import numpy as np
import pandas as pd

from utils import text as text_utils
from utils.resources import english_stopwords

#: Rayson & Garside (2000) critical values of G2 (chi-squared, 1 degree of freedom),
#: strongest first: (critical value, label).
G2_THRESHOLDS: tuple[tuple[float, str], ...] = (
    (15.13, "p<0.0001"),
    (10.83, "p<0.001"),
    (6.63, "p<0.01"),
    (3.84, "p<0.05"),
)
#: Label of a G2 below every threshold.
NOT_SIGNIFICANT = "n.s."
#: Count substituted for a zero count in the log ratio (Hardie 2014), so log2 stays finite.
LOG_RATIO_ZERO_ADJUSTMENT = 0.5
#: Corpora smaller than this are tokenized in the calling process whatever ``n_jobs`` says.
MIN_ARTICLES_FOR_PROCESSES = 200

TERM_COUNT_COLUMNS = ["term", "count", "per_10k", "doc_freq"]
DOCUMENT_TERM_COLUMNS = ["doc_id", "term", "count"]
ARTICLE_COUNT_COLUMNS = ["doc_id", "sentences", "tokens", "words", "terms", "unique_terms"]
NGRAM_COLUMNS = ["ngram", "count", "per_10k", "doc_freq"]
COLLOCATION_COLUMNS = ["ngram", "count", "score"]
DISTINCTIVE_COLUMNS = ["doc_id", "rank", "term", "count", "tf", "idf", "tf_idf"]
KEYNESS_COLUMNS = [
    "term", "target_count", "reference_count", "target_per_10k", "reference_per_10k",
    "g2", "significance", "log_ratio", "key_for",
]
TREND_COLUMNS = ["period", "term", "count", "words", "per_10k"]
CONCORDANCE_COLUMNS = ["doc_id", "start", "end", "left", "match", "right"]
ZIPF_COLUMNS = ["rank", "term", "count"]

_LETTER = re.compile(r"[^\W\d_]")
_WHITESPACE_RUN = re.compile(r"\s+")


class FrequencyError(ValueError):
    """Input that word-frequency functions cannot use; the message says why and what to do."""


# ---------------------------------------------------------------------------------------------
# options and the token -> term filter


@dataclass(frozen=True)
class TermOptions:
    """How tokens become terms (the defaults are the project's).

    lowercase: fold case (stopwords are matched case-insensitively either way).
    remove_stopwords: drop :func:`utils.resources.english_stopwords` and ``extra_stopwords``.
    remove_punctuation: drop tokens with no letter or digit (``,``, ``''``, ``--``).
    remove_numbers: drop tokens with no letter (``1987``, ``3.88``, ``1,000``); ``1980s`` stays.
    stem: apply NLTK's English Snowball stemmer to each term.
    extra_stopwords: more stopwords for this analysis (matched lower-cased).
    """

    lowercase: bool = True
    remove_stopwords: bool = True
    remove_punctuation: bool = True
    remove_numbers: bool = True
    stem: bool = False
    extra_stopwords: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        extra = self.extra_stopwords
        if isinstance(extra, str):
            raise FrequencyError("extra_stopwords must be a collection of words, not one string")
        object.__setattr__(self, "extra_stopwords", frozenset(w.lower() for w in extra))


def term_options(options: TermOptions | None = None, **settings) -> TermOptions:
    """Build :class:`TermOptions` from an optional base and keyword overrides (checked)."""
    valid = {f.name for f in fields(TermOptions)}
    unknown = sorted(set(settings) - valid)
    if unknown:
        raise TypeError(f"Unknown term option(s) {unknown}; valid options: {sorted(valid)}")
    base = options if options is not None else TermOptions()
    return replace(base, **settings) if settings else base


#: Most distinct tokens a :class:`TermFilter` remembers. Past it, new tokens are still mapped,
#: just not remembered, so a worker's memory stays flat however large the corpus (frequent
#: tokens are met, and remembered, early; about 80,000 distinct tokens in all of Reuters).
TERM_CACHE_SIZE = 100_000


class TermFilter:
    """Maps a token to its term, or to ``None`` when the options drop it (memoised per token,
    at most :data:`TERM_CACHE_SIZE` tokens)."""

    def __init__(self, options: TermOptions):
        self.options = options
        self.stopwords = (
            english_stopwords() | options.extra_stopwords if options.remove_stopwords else None
        )
        self._stemmer = None
        if options.stem:
            from nltk.stem.snowball import SnowballStemmer

            self._stemmer = SnowballStemmer("english")
        self._cache: dict[str, tuple[str | None, int]] = {}

    def term(self, token: str) -> str | None:
        """The term of ``token`` or ``None`` (uncached; see :meth:`terms` for lists)."""
        options = self.options
        has_word_char = text_utils.is_word(token)
        if options.remove_punctuation and not has_word_char:
            return None
        if options.remove_numbers and has_word_char and not _LETTER.search(token):
            return None
        lowered = token.lower()
        if self.stopwords is not None and lowered in self.stopwords:
            return None
        term = lowered if options.lowercase else token
        if self._stemmer is not None:
            term = self._stemmer.stem(term)
        return term

    def terms(self, tokens: Iterable[str]) -> list[str]:
        """The terms of a token sequence, in order (dropped tokens removed)."""
        return self.terms_and_words(tokens)[0]

    def terms_and_words(self, tokens: Iterable[str]) -> tuple[list[str], int]:
        """The terms of a token sequence and its number of words (tokens with a letter or
        digit, :func:`utils.text.is_word`), both memoised per distinct token."""
        cache = self._cache
        out = []
        words = 0
        for token in tokens:
            entry = cache.get(token)
            if entry is None:
                entry = (self.term(token), 1 if text_utils.is_word(token) else 0)
                if len(cache) < TERM_CACHE_SIZE:
                    cache[token] = entry
            words += entry[1]
            if entry[0] is not None:
                out.append(entry[0])
        return out, words


# ---------------------------------------------------------------------------------------------
# fast word tokenization, token for token identical to utils.text.tokenize_words

# NLTKWordTokenizer's rules, in its order: (group, pattern source, literals, kind). A
# substitution can only change the text when the text contains one of its literals (every match
# of the pattern contains one of them), so the rule is skipped otherwise; ``None`` means always
# applied. Literals holding letters (contractions) are checked on the lowered text. ``kind``
# says how the rule is applied: "re" (the compiled pattern), "chars" (a character class whose
# every match is one character, replaced with ``str.replace`` per character), "literal" (a
# fixed string, replaced with ``str.replace``: same leftmost, non-overlapping matches), "start"
# (``^"``), "pad" (NLTK's ``" " + text + " "``), "final_period" (the pattern, run only when the
# last period of the text is preceded by a non-period and followed only by closing brackets,
# quotes, spaces and whitespace: the only place a match ``[^.]\.[closers]*\s*$`` can be),
# "at_end" (the pattern, run only when the text ends with one of the literals, optionally
# before a final newline, as ``$`` requires). Replacement strings are computed from NLTK's own
# substitution templates at import.
_RULE_TABLE: tuple[tuple[str, str, tuple[str, ...] | None, str], ...] = (
    ("STARTING_QUOTES", "([«“‘„]|[`]+)", ("«", "“", "‘", "„", "`"), "re"),
    ("STARTING_QUOTES", '^\\"', ('"',), "start"),
    ("STARTING_QUOTES", "(``)", ("``",), "literal"),
    ("STARTING_QUOTES", "([ \\(\\[{<])(\\\"|\\'{2})", ('"', "''"), "re"),
    ("STARTING_QUOTES", "(?i)(?<!\\w)(\\')(?!(?:re|ve|ll|m|t|s|d|n)\\b)(?=\\w)", ("'",), "re"),
    ("PUNCTUATION", "([^\\.])(\\.)([\\]\\)}>\"\\'»”’ ]*+)\\s*$", (".",), "final_period"),
    ("PUNCTUATION", "([:,])([^\\d])", (":", ","), "re"),
    ("PUNCTUATION", "([:,])$", (":", ","), "at_end"),
    ("PUNCTUATION", "\\.{2,}", ("..",), "re"),
    ("PUNCTUATION", "[;@#$%&]", (";", "@", "#", "$", "%", "&"), "chars"),
    ("PUNCTUATION", "[\\u2012-\\u2015]", ("\u2012", "\u2013", "\u2014", "\u2015"), "chars"),
    ("PUNCTUATION", "([^\\.])(\\.)([\\]\\)}>\"\\']*)\\s*$", (".",), "final_period"),
    ("PUNCTUATION", "[?!]", ("?", "!"), "chars"),
    ("PUNCTUATION", "([^'])' ", ("' ",), "re"),
    ("PUNCTUATION", "[*]", ("*",), "chars"),
    ("PARENS_BRACKETS", "[\\]\\[\\(\\)\\{\\}\\<\\>]", tuple("[](){}<>"), "chars"),
    ("DOUBLE_DASHES", "--", ("--",), "literal"),
    ("PAD", "", None, "pad"),
    ("ENDING_QUOTES", "([»”’])", ("»", "”", "’"), "chars"),
    ("ENDING_QUOTES", "''", ("''",), "literal"),
    ("ENDING_QUOTES", '"', ('"',), "literal"),
    ("ENDING_QUOTES", "\\s+", None, "re"),
    ("ENDING_QUOTES", "([^' ])('[sS]|'[mM]|'[dD]|') ", ("'",), "re"),
    ("ENDING_QUOTES", "([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", ("'",), "re"),
    ("CONTRACTIONS2", "(?i)\\b(can)(?#X)(not)\\b", ("cannot",), "re"),
    ("CONTRACTIONS2", "(?i)\\b(d)(?#X)('ye)\\b", ("d'ye",), "re"),
    ("CONTRACTIONS2", "(?i)\\b(gim)(?#X)(me)\\b", ("gimme",), "re"),
    ("CONTRACTIONS2", "(?i)\\b(gon)(?#X)(na)\\b", ("gonna",), "re"),
    ("CONTRACTIONS2", "(?i)\\b(got)(?#X)(ta)\\b", ("gotta",), "re"),
    ("CONTRACTIONS2", "(?i)\\b(lem)(?#X)(me)\\b", ("lemme",), "re"),
    ("CONTRACTIONS2", "(?i)\\b(more)(?#X)('n)\\b", ("more'n",), "re"),
    ("CONTRACTIONS2", "(?i)\\b(wan)(?#X)(na)(?=\\s)", ("wanna",), "re"),
    ("CONTRACTIONS3", "(?i) ('t)(?#X)(is)\\b", ("'tis",), "re"),
    ("CONTRACTIONS3", "(?i) ('t)(?#X)(was)\\b", ("'twas",), "re"),
)

# Sentences the fast path handles: printable ASCII and ASCII whitespace other than the
# information separators \x1c-\x1f (which ``re`` counts as whitespace and ``regex`` does not).
_FAST_SAFE = re.compile(r"[\t\n\r\x0b\x0c\x20-\x7e]*")


#: Non-ASCII blocks considered for the fast path: Latin-1 Supplement, Latin Extended-A/B,
#: General Punctuation, Currency Symbols.
_FAST_CANDIDATE_RANGES = ((0x80, 0x250), (0x2000, 0x2070), (0x20A0, 0x20D0))


@functools.cache
def _fast_safe_characters() -> frozenset[str]:
    """Characters on which the ``re`` and ``regex`` engines behave alike for NLTK's rules.

    Printable ASCII and ASCII whitespace except \\x1c-\\x1f, plus the characters of
    :data:`_FAST_CANDIDATE_RANGES` for which both engines agree on ``\\w``, ``\\s`` and ``\\d``
    and which no engine matches case-insensitively to an ASCII letter (Kelvin sign, dotted
    capital I, long s...), checked here against the installed engines.
    """
    import regex

    safe = {chr(c) for c in range(0x20, 0x7F)} | set("\t\n\r\x0b\x0c")
    classes = [(re.compile(p), regex.compile(p)) for p in (r"\w", r"\s", r"\d")]
    ascii_letter = (re.compile(r"[a-z]", re.IGNORECASE), regex.compile(r"[a-z]", regex.IGNORECASE))
    for low, high in _FAST_CANDIDATE_RANGES:
        for code in range(low, high):
            char = chr(code)
            if any(bool(a.fullmatch(char)) != bool(b.fullmatch(char)) for a, b in classes):
                continue
            if any(engine.fullmatch(char) for engine in ascii_letter):
                continue
            if len(char.lower()) != 1 or len(char.upper()) != 1:
                continue
            safe.add(char)
    return frozenset(safe)


@dataclass(frozen=True)
class _FastRules:
    """NLTK's word-tokenizer rules prepared for :func:`fast_tokenize_words`."""

    #: Per rule, in NLTK's order: (kind, compiled pattern, template, literals, replacements).
    steps: tuple[tuple, ...]
    #: First character of a literal -> the rules that need it (a rule can only change a text
    #: holding one of its literals).
    trigger: dict[str, tuple[int, ...]]
    #: Rules applied to every text (the padding, whitespace squeezing) when a later
    #: context-sensitive rule runs (otherwise they only change whitespace, which the final
    #: ``split()`` ignores).
    always: frozenset[int]
    #: Context-sensitive ("re") rules after the padding.
    after_padding: frozenset[int]
    #: (literal, rule) for rules whose literals hold letters (contractions, case-insensitive).
    lettered: tuple[tuple[str, int], ...]


def _installed_rules() -> list[tuple[str, object, str | None]]:
    from nltk.tokenize import NLTKWordTokenizer as Tok

    installed: list[tuple[str, object, str | None]] = []
    for group in ("STARTING_QUOTES", "PUNCTUATION"):
        installed += [(group, p, s) for p, s in getattr(Tok, group)]
    installed.append(("PARENS_BRACKETS", *Tok.PARENS_BRACKETS))
    installed.append(("DOUBLE_DASHES", *Tok.DOUBLE_DASHES))
    installed.append(("PAD", None, None))
    installed += [("ENDING_QUOTES", p, s) for p, s in Tok.ENDING_QUOTES]
    installed += [("CONTRACTIONS2", p, r" \1 \2 ") for p in Tok.CONTRACTIONS2]
    installed += [("CONTRACTIONS3", p, r" \1 \2 ") for p in Tok.CONTRACTIONS3]
    return installed


@functools.cache
def _fast_rules() -> _FastRules | None:
    """NLTK's rules compiled with the standard ``re`` engine, or ``None`` if NLTK changed them.

    The rules are read from the installed ``NLTKWordTokenizer`` and checked against
    :data:`_RULE_TABLE` (group, pattern text and order); any difference disables the fast
    path. Replacement strings of the "chars", "literal" and "start" rules are computed by
    applying NLTK's own template to each literal.
    """
    installed = _installed_rules()
    if len(installed) != len(_RULE_TABLE):
        return None
    steps = []
    trigger: dict[str, set[int]] = {}
    always = set()
    lettered = []
    for index, ((group, pattern, substitution), (want_group, source, literals, kind)) in (
        enumerate(zip(installed, _RULE_TABLE, strict=True))
    ):
        if group != want_group:
            return None
        if kind == "pad":
            steps.append(("pad", None, None, None, ()))
            always.add(index)
            continue
        if getattr(pattern, "pattern", None) != source or not isinstance(substitution, str):
            return None
        flags = getattr(pattern, "flags", 0) & (re.IGNORECASE | re.UNICODE)
        compiled = re.compile(source, flags)
        replacements: tuple[tuple[str, str], ...] = ()
        if kind in ("chars", "literal", "start"):
            replacements = tuple((lit, compiled.sub(substitution, lit)) for lit in literals)
            if kind == "chars" and any(
                set(new) - {lit, " "} or compiled.fullmatch(lit) is None
                for lit, new in replacements
            ):
                kind = "re"  # not a pure one-character padding: apply the pattern itself
        if kind == "final_period":
            # the closing characters of the pattern's class (its text was checked above)
            replacements = ("])}>\"'»”’ ",) if "»" in source else ("])}>\"'",)
        steps.append((kind, compiled, substitution, literals, replacements))
        if literals is None:
            always.add(index)
        elif any(char.isalpha() for literal in literals for char in literal):
            lettered += [(literal.lower(), index) for literal in literals]
        else:
            for literal in literals:
                trigger.setdefault(literal[0], set()).add(index)
    pad_index = next(i for i, step in enumerate(steps) if step[0] == "pad")
    return _FastRules(
        steps=tuple(steps),
        trigger={char: tuple(sorted(rules)) for char, rules in trigger.items()},
        always=frozenset(always),
        after_padding=frozenset(
            i for i, step in enumerate(steps)
            if i > pad_index and step[0] in ("re", "final_period", "at_end") and step[3]
        ),
        lettered=tuple(lettered),
    )


def fast_tokenize_words(sentence: str) -> list[str]:
    """Word tokens of one sentence, exactly as :func:`utils.text.tokenize_words` gives them.

    Why not just call NLTK: the installed NLTK routes every regular expression through
    ``nltk.redos`` (the ``regex`` engine under a wall-clock timeout), which costs several
    microseconds per substitution, and its word tokenizer applies 34 substitutions to every
    sentence whatever it holds; on short news sentences that overhead is most of the time.

    What this does instead: the same substitutions, read from NLTK's ``NLTKWordTokenizer``
    at import and checked against :data:`_RULE_TABLE`, in the same order, compiled with the
    standard ``re`` engine, and a substitution is skipped when the text holds none of the
    literal strings every match of its pattern must contain (so skipping cannot change the
    text). It is used only on sentences made of characters for which ``re`` and ``regex``
    agree on ``\\w``, ``\\s``, ``\\d`` (hence ``\\b``) and case folding
    (:func:`_fast_safe_characters`: ASCII, Latin-1, Latin Extended, general punctuation,
    currency signs); any other sentence, or an NLTK whose rules differ from the table, goes
    through NLTK's own tokenizer. Tests compare both
    on generated sentences and, with the shared corpora, on every sentence of real corpora.
    """
    if not sentence:
        return []
    rules = _fast_rules()
    if rules is None:
        return text_utils.tokenize_words(sentence)
    if sentence.isascii():
        text = sentence
        if not _FAST_SAFE.fullmatch(text):
            return text_utils.tokenize_words(sentence)
    else:
        text = text_utils.normalize_quotes(sentence)
        if not _fast_safe_characters().issuperset(text):
            return text_utils.tokenize_words(sentence)
    # The rules that may apply: those triggered by a character of the text, or by one that a
    # rule can introduce (``"`` becomes `` or '', '' becomes ``); every other rule is a no-op.
    chars = set(text)
    if '"' in chars:
        chars.update("`'")
    elif "'" in chars:
        chars.add("`")
    selected = set()
    trigger = rules.trigger
    for char in chars.intersection(trigger):
        selected.update(trigger[char])
    lowered = text.lower()
    for literal, index in rules.lettered:
        if literal in lowered:
            selected.add(index)
    if not rules.after_padding.isdisjoint(selected):
        selected.update(rules.always)
    steps = rules.steps
    for index in sorted(selected):
        kind, regexp, substitution, literals, replacements = steps[index]
        if kind == "pad":
            text = " " + text + " "
        elif kind == "chars":
            for char, replacement in replacements:
                if char in text:
                    text = text.replace(char, replacement)
        elif kind == "literal":
            literal, replacement = replacements[0]
            if literal in text:
                text = text.replace(literal, replacement)
        elif kind == "start":
            if text.startswith(replacements[0][0]):
                text = replacements[0][1] + text[len(replacements[0][0]) :]
        elif kind == "final_period":
            last = text.rfind(".")
            if (
                last >= 1
                and text[last - 1] != "."
                and _only_closers(text[last + 1 :], replacements[0])
            ):
                text = regexp.sub(substitution, text)
        elif kind == "at_end":
            end = text[:-1] if text.endswith("\n") else text
            if end.endswith(literals):
                text = regexp.sub(substitution, text)
        elif literals is None:
            text = regexp.sub(substitution, text)
        else:
            haystack = text.lower() if index in _lettered_indices() else text
            if any(literal in haystack for literal in literals):
                text = regexp.sub(substitution, text)
    return text.split()


def _only_closers(tail: str, closers: str) -> bool:
    """True when ``tail`` is a run of ``closers`` followed by whitespace (as in NLTK's
    final-period patterns ``[closers]*\\s*$``; the closers may include a space)."""
    index = 0
    while index < len(tail) and tail[index] in closers:
        index += 1
    return not tail[index:] or tail[index:].isspace()


@functools.cache
def _lettered_indices() -> frozenset[int]:
    rules = _fast_rules()
    return frozenset(index for _, index in rules.lettered) if rules else frozenset()


def fast_tokenize_text(text: str) -> list[list[str]]:
    """Word tokens of a whole article, sentence by sentence (:func:`utils.text.sentence_spans`,
    then :func:`fast_tokenize_words`); flattened, identical to :func:`utils.text.tokenize_text`."""
    return [fast_tokenize_words(text[s:e]) for s, e in text_utils.sentence_spans(text)]


# ---------------------------------------------------------------------------------------------
# tokenizing a corpus


@dataclass
class TokenizedCorpus:
    """A corpus tokenized once: per article, its sentences as lists of terms, and its sizes.

    ``doc_ids[i]`` owns ``sentences[i]`` (a list of term lists, one per sentence holding a
    term), ``tokens[i]`` (number of word-tokenizer tokens) and ``words[i]`` (number of tokens
    holding a letter or digit). ``frame`` is the corpus frame without its ``text`` column
    (metadata such as ``date``, ``label``, ``source``, row ``i`` for article ``i``), used by
    :func:`keyness` and :func:`terms_over_time`.
    """

    doc_ids: list[str]
    sentences: list[list[list[str]]]
    tokens: list[int]
    words: list[int]
    options: TermOptions
    frame: pd.DataFrame | None = None
    _encoding: TermEncoding | None = field(default=None, init=False, repr=False, compare=False)

    def encoding(self) -> TermEncoding:
        """The terms as integer codes (computed once, see :class:`TermEncoding`)."""
        if self._encoding is None:
            self._encoding = TermEncoding.of(self.sentences)
        return self._encoding

    def __len__(self) -> int:
        return len(self.doc_ids)

    def article_terms(self, index: int) -> list[str]:
        """All terms of article ``index``, in order."""
        return list(chain.from_iterable(self.sentences[index]))

    @property
    def total_words(self) -> int:
        return int(sum(self.words))

    def subset(self, mask: Sequence[bool]) -> TokenizedCorpus:
        """The articles where ``mask`` is true (metadata frame subset alike)."""
        keep = [i for i, flag in enumerate(mask) if flag]
        frame = None
        if self.frame is not None:
            frame = self.frame.iloc[keep].reset_index(drop=True)
        return TokenizedCorpus(
            doc_ids=[self.doc_ids[i] for i in keep],
            sentences=[self.sentences[i] for i in keep],
            tokens=[self.tokens[i] for i in keep],
            words=[self.words[i] for i in keep],
            options=self.options,
            frame=frame,
        )


@dataclass
class TermEncoding:
    """All terms of a tokenized corpus as one integer array, for counting with numpy.

    ``vocabulary[code]`` is a term; ``codes`` holds, sentence after sentence and article after
    article, each term's code with ``-1`` after every sentence (so no bigram spans two
    sentences); ``docs`` the article index of each position. Counting with ``np.bincount`` and
    ``np.unique`` on these arrays gives the same numbers as ``collections.Counter`` over the
    terms, without a Python step per term.
    """

    vocabulary: np.ndarray
    codes: np.ndarray
    docs: np.ndarray

    @classmethod
    def of(cls, articles: list[list[list[str]]]) -> TermEncoding:
        flat: list[str | None] = []
        lengths = []
        for sentences in articles:
            start = len(flat)
            for sentence in sentences:
                flat.extend(sentence)
                flat.append(None)
            lengths.append(len(flat) - start)
        codes, vocabulary = pd.factorize(np.array(flat, dtype=object), use_na_sentinel=True)
        docs = np.repeat(np.arange(len(articles), dtype=np.int64), lengths)
        return cls(np.asarray(vocabulary, dtype=object), codes.astype(np.int64), docs)

    @property
    def size(self) -> int:
        return len(self.vocabulary)

    def counts(self, article_mask: np.ndarray | None = None) -> np.ndarray:
        """Occurrences of each term (of the articles where ``article_mask`` is true)."""
        present = self.codes >= 0
        if article_mask is not None:
            present &= np.asarray(article_mask, dtype=bool)[self.docs]
        return np.bincount(self.codes[present], minlength=self.size)

    def doc_freq(self) -> np.ndarray:
        """Number of articles holding each term."""
        present = self.codes >= 0
        pairs, _ = _distinct_with_counts(self.docs[present] * self.size + self.codes[present])
        return np.bincount(pairs % self.size, minlength=self.size)

    def bigrams(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(first, second, count)`` codes and counts of the bigrams within sentences."""
        left, right = self.codes[:-1], self.codes[1:]
        inside = (left >= 0) & (right >= 0)
        pairs, counts = _distinct_with_counts(left[inside] * self.size + right[inside])
        return pairs // self.size, pairs % self.size, counts


def _distinct_with_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values of an integer array and how often each occurs (a sort-based
    ``np.unique(..., return_counts=True)``, faster than numpy's hashing path here)."""
    if not len(keys):
        return keys.astype(np.int64), np.zeros(0, dtype=np.int64)
    ordered = np.sort(keys, kind="stable")
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    counts = np.diff(np.append(starts, len(ordered)))
    return ordered[starts], counts


def _check_corpus(corpus: pd.DataFrame) -> None:
    if not isinstance(corpus, pd.DataFrame):
        raise FrequencyError(
            f"Expected the DataFrame returned by load_corpus (or a TokenizedCorpus), got "
            f"{type(corpus).__name__}."
        )
    missing = [c for c in ("doc_id", "text") if c not in corpus.columns]
    if missing:
        raise FrequencyError(
            f"The corpus frame lacks the column(s) {missing}; columns found: "
            f"{list(corpus.columns)}. Load it with utils.corpus.load_corpus."
        )


@functools.lru_cache(maxsize=8)
def _term_filter(options: TermOptions) -> TermFilter:
    """One memoising :class:`TermFilter` per options and process (kept across chunks)."""
    return TermFilter(options)


def _tokenize_articles(texts: list[str], options: TermOptions):
    """Worker: per article (sentences of terms, tokens, words)."""
    term_filter = _term_filter(options)
    out = []
    for text in texts:
        sentences = []
        n_tokens = 0
        n_words = 0
        for tokens in fast_tokenize_text(text if isinstance(text, str) else ""):
            n_tokens += len(tokens)
            terms, words = term_filter.terms_and_words(tokens)
            n_words += words
            if terms:
                sentences.append(terms)
        out.append((sentences, n_tokens, n_words))
    return out


def _resolve_jobs(n_jobs: int | None) -> int:
    if n_jobs is None:
        return os.cpu_count() or 1
    if not isinstance(n_jobs, int) or n_jobs < 1:
        raise FrequencyError(f"n_jobs must be a positive integer or None, got {n_jobs!r}")
    return n_jobs


def tokenize_corpus(
    corpus: pd.DataFrame, *, options: TermOptions | None = None, n_jobs: int | None = 1,
    **settings,
) -> TokenizedCorpus:
    """Tokenize every article of ``corpus`` once (see the module docstring for the rules).

    ``n_jobs`` processes share the articles (``None``: one per CPU); corpora of fewer than
    :data:`MIN_ARTICLES_FOR_PROCESSES` articles are done in this process. The result does not
    depend on ``n_jobs``. An empty frame gives an empty :class:`TokenizedCorpus`.
    """
    if isinstance(corpus, TokenizedCorpus):
        return corpus
    _check_corpus(corpus)
    opts = term_options(options, **settings)
    jobs = _resolve_jobs(n_jobs)
    from utils.corpus.language import analysed_mask

    # articles in languages the English tokenizer cannot read have no tokens
    texts = ["" if not isinstance(t, str) or not ok else t
             for t, ok in zip(corpus["text"].tolist(), analysed_mask(corpus), strict=True)]
    if jobs == 1 or len(texts) < MIN_ARTICLES_FOR_PROCESSES:
        results = _tokenize_articles(texts, opts)
    else:
        results = _tokenize_in_processes(texts, opts, jobs)
    return TokenizedCorpus(
        doc_ids=corpus["doc_id"].astype(str).tolist(),
        sentences=[r[0] for r in results],
        tokens=[r[1] for r in results],
        words=[r[2] for r in results],
        options=opts,
        frame=corpus.drop(columns=["text"]).reset_index(drop=True),
    )


def _tokenize_in_processes(texts: list[str], options: TermOptions, jobs: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Small chunks balance the load (article lengths vary a lot); order is kept by map().
    chunk = max(50, min(1000, len(texts) // (jobs * 8) or 1))
    chunks = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
    # Build the shared tables once here, so that forked workers inherit them.
    _fast_rules()
    _fast_safe_characters()
    text_utils._sentence_end_characters()
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    # Freeze the caller's objects so that forked workers' garbage collections do not walk
    # (and copy) the whole parent heap, and pause collections while the results, millions of
    # small acyclic lists, are unpickled here.
    gc.freeze()
    gc.disable()
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            parts = pool.map(_tokenize_articles, chunks, [options] * len(chunks))
            return list(chain.from_iterable(parts))
    finally:
        gc.enable()
        gc.unfreeze()


def _tokenized(corpus, n_jobs, options=None, **settings) -> TokenizedCorpus:
    if isinstance(corpus, TokenizedCorpus):
        if settings or options is not None:
            wanted = term_options(options, **settings)
            if wanted != corpus.options:
                raise FrequencyError(
                    "This TokenizedCorpus was made with other term options; pass the frame, "
                    "or tokenize again with tokenize_corpus(frame, ...)."
                )
        return corpus
    return tokenize_corpus(corpus, options=options, n_jobs=n_jobs, **settings)


# ---------------------------------------------------------------------------------------------
# counts


def _sort_counts(frame: pd.DataFrame, key: str, value: str = "count") -> pd.DataFrame:
    return frame.sort_values([value, key], ascending=[False, True], kind="mergesort").reset_index(
        drop=True
    )


def _per_10k(counts: np.ndarray, words: int) -> np.ndarray:
    counts = np.asarray(counts, dtype=float)
    if words <= 0:
        return np.zeros_like(counts)
    return counts * 10_000.0 / words


def term_counts(
    corpus, *, options: TermOptions | None = None, n_jobs: int | None = 1, **settings
) -> pd.DataFrame:
    """Corpus-wide term counts: ``term, count, per_10k, doc_freq``.

    ``per_10k`` is the count per 10,000 words of the corpus (words: tokens holding a letter or
    digit, before stopword filtering); ``doc_freq`` the number of articles containing the term.
    Sorted by count (descending), then term. An empty corpus gives an empty frame.
    """
    tokenized = _tokenized(corpus, n_jobs, options, **settings)
    encoding = tokenized.encoding()
    if not encoding.size:
        return _empty(TERM_COUNT_COLUMNS)
    counts = encoding.counts()
    frame = pd.DataFrame(
        {
            "term": pd.Series(encoding.vocabulary, dtype=object),
            "count": counts.astype(np.int64),
            "per_10k": _per_10k(counts, tokenized.total_words),
            "doc_freq": encoding.doc_freq().astype(np.int64),
        }
    )
    return _sort_counts(frame, "term")


def _count_frame(counts: Counter, doc_freq: Counter, words: int, key: str) -> pd.DataFrame:
    if not counts:
        return _empty(NGRAM_COLUMNS if key == "ngram" else TERM_COUNT_COLUMNS)
    keys = list(counts)
    values = np.fromiter((counts[k] for k in keys), dtype=np.int64, count=len(keys))
    frame = pd.DataFrame(
        {
            key: pd.Series(keys, dtype=object),
            "count": values,
            "per_10k": _per_10k(values, words),
            "doc_freq": np.fromiter((doc_freq[k] for k in keys), dtype=np.int64, count=len(keys)),
        }
    )
    return _sort_counts(frame, key)


def _empty(columns: list[str]) -> pd.DataFrame:
    dtypes = {
        "count": "int64", "doc_freq": "int64", "per_10k": "float64", "rank": "int64",
        "tf": "float64", "idf": "float64", "tf_idf": "float64", "score": "float64",
        "target_count": "int64", "reference_count": "int64", "target_per_10k": "float64",
        "reference_per_10k": "float64", "g2": "float64", "log_ratio": "float64",
        "words": "int64", "start": "int64", "end": "int64", "sentences": "int64",
        "tokens": "int64", "terms": "int64", "unique_terms": "int64",
    }
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, object)) for c in columns})


def document_term_counts(
    corpus, *, options: TermOptions | None = None, n_jobs: int | None = 1, **settings
) -> pd.DataFrame:
    """Per-article term counts: ``doc_id, term, count`` (articles in corpus order, then count
    descending, then term). Articles with no term have no row."""
    tokenized = _tokenized(corpus, n_jobs, options, **settings)
    doc_ids, terms, counts = [], [], []
    for doc_id, sentences in zip(tokenized.doc_ids, tokenized.sentences, strict=True):
        article = Counter(chain.from_iterable(sentences))
        for term, count in sorted(article.items(), key=lambda item: (-item[1], item[0])):
            doc_ids.append(doc_id)
            terms.append(term)
            counts.append(count)
    if not doc_ids:
        return _empty(DOCUMENT_TERM_COLUMNS)
    return pd.DataFrame(
        {
            "doc_id": pd.Series(doc_ids, dtype=object),
            "term": pd.Series(terms, dtype=object),
            "count": np.asarray(counts, dtype=np.int64),
        }
    )


def article_word_counts(
    corpus, *, options: TermOptions | None = None, n_jobs: int | None = 1, **settings
) -> pd.DataFrame:
    """Per-article sizes: ``doc_id, sentences, tokens, words, terms, unique_terms``.

    ``sentences`` counts sentences holding at least one term; ``tokens`` every word-tokenizer
    token (punctuation included); ``words`` tokens holding a letter or digit; ``terms`` and
    ``unique_terms`` the terms left after the options' filters. Corpus order.
    """
    tokenized = _tokenized(corpus, n_jobs, options, **settings)
    if not len(tokenized):
        return _empty(ARTICLE_COUNT_COLUMNS)
    terms = [tokenized.article_terms(i) for i in range(len(tokenized))]
    return pd.DataFrame(
        {
            "doc_id": pd.Series(tokenized.doc_ids, dtype=object),
            "sentences": np.asarray([len(s) for s in tokenized.sentences], dtype=np.int64),
            "tokens": np.asarray(tokenized.tokens, dtype=np.int64),
            "words": np.asarray(tokenized.words, dtype=np.int64),
            "terms": np.asarray([len(t) for t in terms], dtype=np.int64),
            "unique_terms": np.asarray([len(set(t)) for t in terms], dtype=np.int64),
        }
    )


# ---------------------------------------------------------------------------------------------
# n-grams and collocations


def _check_n(n: int) -> None:
    if not isinstance(n, int) or n < 1:
        raise FrequencyError(f"n must be a positive integer (1 terms, 2 bigrams, ...), got {n!r}")


def _sentence_ngrams(sentence: list[str], n: int):
    if n == 1:
        return ((term,) for term in sentence)
    return zip(*(sentence[i:] for i in range(n)), strict=False)


def ngram_tuple_counts(tokenized: TokenizedCorpus, n: int) -> tuple[Counter, Counter]:
    """``(counts, doc_freq)`` of the n-grams (tuples of terms) of a tokenized corpus, formed
    within sentences."""
    _check_n(n)
    counts: Counter = Counter()
    doc_freq: Counter = Counter()
    for sentences in tokenized.sentences:
        article = Counter()
        for sentence in sentences:
            if len(sentence) >= n:
                article.update(_sentence_ngrams(sentence, n))
        counts.update(article)
        doc_freq.update(article.keys())
    return counts, doc_freq


def article_bigram_counts(tokenized: TokenizedCorpus) -> list[tuple[str, str, str, int]]:
    """``(doc_id, first, second, count)`` for every bigram of terms of every article (formed
    within sentences, as :func:`collocations` forms them), articles in order, then bigrams
    alphabetically. Summed over articles these are the corpus's bigram counts: the per-article
    part of the collocations of a results store."""
    encoding = tokenized.encoding()
    codes, docs, size = encoding.codes, encoding.docs, max(encoding.size, 1)
    left, right = codes[:-1], codes[1:]
    inside = (left >= 0) & (right >= 0)
    keys = (docs[:-1][inside] * size + left[inside]) * size + right[inside]
    distinct, counts = _distinct_with_counts(keys)
    pairs = distinct % (size * size)
    doc_index = distinct // (size * size)
    vocabulary = encoding.vocabulary
    rows = [(d, vocabulary[a], vocabulary[b], int(c))
            for d, a, b, c in zip(doc_index.tolist(), (pairs // size).tolist(),
                                  (pairs % size).tolist(), counts.tolist(), strict=True)]
    rows.sort(key=lambda row: row[:3])  # the same order whatever the batch
    return [(tokenized.doc_ids[d], a, b, c) for d, a, b, c in rows]


def ngram_counts(
    corpus, n: int = 2, *, min_count: int = 1, options: TermOptions | None = None,
    n_jobs: int | None = 1, **settings,
) -> pd.DataFrame:
    """Counts of the n-grams of terms (formed within sentences): ``ngram, count, per_10k,
    doc_freq`` with the n-gram as space-joined terms, keeping those seen ``min_count`` times.
    Sorted by count (descending), then n-gram."""
    _check_n(n)
    tokenized = _tokenized(corpus, n_jobs, options, **settings)
    counts, doc_freq = ngram_tuple_counts(tokenized, n)
    kept = Counter({" ".join(k): v for k, v in counts.items() if v >= min_count})
    freq = Counter({" ".join(k): doc_freq[k] for k, v in counts.items() if v >= min_count})
    if not kept:
        return _empty(NGRAM_COLUMNS)
    return _count_frame(kept, freq, tokenized.total_words, "ngram")


def bigram_association(
    bigram_counts: np.ndarray, first_counts: np.ndarray, second_counts: np.ndarray, total: int,
    measure: str = "likelihood_ratio",
) -> np.ndarray:
    """Association scores of bigrams from their counts, vectorised, with NLTK's formulas.

    ``bigram_counts`` (n_ii), ``first_counts`` (n_ix: count of the first word),
    ``second_counts`` (n_xi) and ``total`` (n_xx: number of words) as in
    ``nltk.metrics.BigramAssocMeasures``. ``likelihood_ratio`` is Dunning's G2 over the 2x2
    contingency table, ``2 * sum(O * ln(O / (E + 1e-20) + 1e-20))``; ``pmi`` is
    ``log2(n_ii * n_xx) - log2(n_ix * n_xi)``. Why not NLTK's finder: it scores one bigram at a
    time in Python (seconds for a large corpus); this is the same arithmetic on arrays.
    """
    n_ii = np.asarray(bigram_counts, dtype=np.int64)
    n_ix = np.asarray(first_counts, dtype=np.int64)
    n_xi = np.asarray(second_counts, dtype=np.int64)
    if total <= 0:
        raise FrequencyError("Cannot score bigrams of a corpus with no words.")
    if measure == "pmi":
        return np.log2((n_ii * total).astype(float)) - np.log2((n_ix * n_xi).astype(float))
    if measure != "likelihood_ratio":
        raise FrequencyError(f"Unknown measure {measure!r}; use 'likelihood_ratio' or 'pmi'.")
    n_oi = n_xi - n_ii
    n_io = n_ix - n_ii
    n_oo = total - n_ii - n_oi - n_io
    cells = (n_ii, n_oi, n_io, n_oo)
    small = 1e-20
    score = np.zeros(len(n_ii), dtype=float)
    for i, observed in enumerate(cells):
        expected = (observed + cells[i ^ 1]) * (observed + cells[i ^ 2]) / total
        score = score + observed * np.log(observed / (expected + small) + small)
    return 2 * score


def collocations(
    corpus, n: int = 2, *, measure: str = "likelihood_ratio", min_freq: int = 3,
    top: int | None = None, options: TermOptions | None = None, n_jobs: int | None = 1,
    **settings,
) -> pd.DataFrame:
    """Collocations of terms (within sentences): ``ngram, count, score``, best first.

    ``measure`` is ``"likelihood_ratio"`` or ``"pmi"`` (NLTK's association measures); n-grams
    seen fewer than ``min_freq`` times are dropped before scoring (NLTK's
    ``apply_freq_filter``); ties in score are broken alphabetically. Bigrams are scored with
    :func:`bigram_association` (vectorised, equal to ``BigramCollocationFinder``); trigrams with
    NLTK's ``TrigramCollocationFinder``.
    """
    if n not in (2, 3):
        raise FrequencyError(f"collocations are bigrams (n=2) or trigrams (n=3), got n={n!r}")
    if measure not in ("likelihood_ratio", "pmi"):
        raise FrequencyError(f"Unknown measure {measure!r}; use 'likelihood_ratio' or 'pmi'.")
    tokenized = _tokenized(corpus, n_jobs, options, **settings)
    if n == 2:
        encoding = tokenized.encoding()
        unigrams = encoding.counts()
        total = int(unigrams.sum())
        first, second, bigram_count = encoding.bigrams()
        keep = bigram_count >= min_freq
        first, second, bigram_count = first[keep], second[keep], bigram_count[keep]
        if not len(bigram_count):
            return _empty(COLLOCATION_COLUMNS)
        scores = bigram_association(
            bigram_count, unigrams[first], unigrams[second], total, measure
        )
        vocabulary = encoding.vocabulary
        frame = pd.DataFrame(
            {
                "ngram": pd.Series(
                    [f"{vocabulary[a]} {vocabulary[b]}" for a, b in zip(first, second,
                                                                        strict=True)],
                    dtype=object,
                ),
                "count": bigram_count.astype(np.int64),
                "score": scores,
            }
        )
    else:
        from nltk.collocations import TrigramCollocationFinder
        from nltk.metrics import TrigramAssocMeasures

        documents = [s for sentences in tokenized.sentences for s in sentences]
        finder = TrigramCollocationFinder.from_documents(documents)
        finder.apply_freq_filter(min_freq)
        scored = finder.score_ngrams(getattr(TrigramAssocMeasures, measure))
        if not scored:
            return _empty(COLLOCATION_COLUMNS)
        frame = pd.DataFrame(
            {
                "ngram": pd.Series([" ".join(k) for k, _ in scored], dtype=object),
                "count": np.asarray([finder.ngram_fd[k] for k, _ in scored], dtype=np.int64),
                "score": np.asarray([s for _, s in scored], dtype=float),
            }
        )
    frame = frame.sort_values(["score", "ngram"], ascending=[False, True], kind="mergesort")
    frame = frame.reset_index(drop=True)
    return frame.head(top).reset_index(drop=True) if top is not None else frame


# ---------------------------------------------------------------------------------------------
# distinctive terms (TF-IDF)


def distinctive_terms(
    corpus, *, top_n: int = 10, doc_ids: Sequence[str] | None = None,
    options: TermOptions | None = None, n_jobs: int | None = 1, **settings,
) -> pd.DataFrame:
    """The ``top_n`` terms of each article by TF-IDF: ``doc_id, rank, term, count, tf, idf,
    tf_idf``.

    Formula, for term t in article d of a corpus of N articles::

        tf(t, d)   = count(t, d) / terms(d)            (terms(d): terms of d after filtering)
        idf(t)     = ln((1 + N) / (1 + df(t))) + 1     (df(t): articles containing t)
        tf_idf     = tf(t, d) * idf(t)

    (the "smooth" idf of scikit-learn: never zero, so a one-article corpus ranks by tf).
    The idf is computed over the whole corpus; ``doc_ids`` restricts which articles are shown
    (unknown ids raise :class:`FrequencyError`). Ties are broken alphabetically.
    """
    if not isinstance(top_n, int) or top_n < 1:
        raise FrequencyError(f"top_n must be a positive integer, got {top_n!r}")
    tokenized = _tokenized(corpus, n_jobs, options, **settings)
    n_docs = len(tokenized)
    wanted = list(range(n_docs))
    if doc_ids is not None:
        if isinstance(doc_ids, str):
            doc_ids = [doc_ids]
        position = {d: i for i, d in enumerate(tokenized.doc_ids)}
        missing = [d for d in doc_ids if str(d) not in position]
        if missing:
            raise FrequencyError(f"doc_ids not in the corpus: {missing[:10]}")
        wanted = [position[str(d)] for d in doc_ids]
    article_counts = [Counter(tokenized.article_terms(i)) for i in range(n_docs)]
    doc_freq: Counter = Counter()
    for counts in article_counts:
        doc_freq.update(counts.keys())
    rows = []
    for i in wanted:
        counts = article_counts[i]
        size = sum(counts.values())
        if not size:
            continue
        scored = []
        for term, count in counts.items():
            tf = count / size
            idf = math.log((1 + n_docs) / (1 + doc_freq[term])) + 1
            scored.append((-tf * idf, term, count, tf, idf, tf * idf))
        scored.sort()
        for rank, (_, term, count, tf, idf, score) in enumerate(scored[:top_n], start=1):
            rows.append((tokenized.doc_ids[i], rank, term, count, tf, idf, score))
    if not rows:
        return _empty(DISTINCTIVE_COLUMNS)
    return pd.DataFrame(rows, columns=DISTINCTIVE_COLUMNS)


# ---------------------------------------------------------------------------------------------
# keyness


def log_likelihood(a, b, c, d) -> np.ndarray:
    """Log-likelihood G2 of Rayson & Garside (2000), vectorised.

    ``a``/``b``: the term's count in the target/reference corpus; ``c``/``d``: their sizes in
    words. ``E1 = c (a + b) / (c + d)``, ``E2 = d (a + b) / (c + d)`` and
    ``G2 = 2 (a ln(a / E1) + b ln(b / E2))``, a zero count contributing 0 (``0 ln 0 = 0``).
    Compare with :data:`G2_THRESHOLDS` (3.84: p<0.05, 6.63: p<0.01, 10.83: p<0.001,
    15.13: p<0.0001). ``c`` and ``d`` must be positive.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    c = float(c)
    d = float(d)
    if c <= 0 or d <= 0:
        raise FrequencyError("Both corpora need at least one word to compute G2.")
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    return 2.0 * (_o_ln_o_over_e(a, e1) + _o_ln_o_over_e(b, e2))


def _o_ln_o_over_e(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """``O ln(O / E)`` with ``0 ln 0 = 0`` (E > 0 wherever O > 0)."""
    positive = observed > 0
    safe_o = np.where(positive, observed, 1.0)
    safe_e = np.where(positive, expected, 1.0)
    return np.where(positive, observed * np.log(safe_o / safe_e), 0.0)


def log_ratio(a, b, c, d, zero: float = LOG_RATIO_ZERO_ADJUSTMENT) -> np.ndarray:
    """Hardie's (2014) log ratio: ``log2((a / c) / (b / d))``, vectorised.

    Each doubling of the relative frequency in the target adds 1. A zero count is replaced by
    ``zero`` (0.5, :data:`LOG_RATIO_ZERO_ADJUSTMENT`) before the ratio, so the value stays
    finite; ``c`` and ``d`` must be positive.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if c <= 0 or d <= 0:
        raise FrequencyError("Both corpora need at least one word to compute a log ratio.")
    a = np.where(a == 0, zero, a)
    b = np.where(b == 0, zero, b)
    return np.log2((a / float(c)) / (b / float(d)))


def significance_label(g2) -> np.ndarray:
    """The strongest Rayson & Garside threshold each G2 reaches (``"p<0.05"``...), else
    ``"n.s."``."""
    g2 = np.asarray(g2, dtype=float)
    labels = np.full(g2.shape, NOT_SIGNIFICANT, dtype=object)
    for critical, label in reversed(G2_THRESHOLDS):
        labels = np.where(g2 >= critical, label, labels)
    return labels


def _group_mask(values: pd.Series, group, column: str) -> np.ndarray:
    as_text = values.astype("string")
    mask = (as_text == str(group)).fillna(False).to_numpy(dtype=bool)
    if not mask.any():
        present = sorted(as_text.dropna().unique().tolist())
        shown = present[:20] + (["..."] if len(present) > 20 else [])
        raise FrequencyError(
            f"No article has {column} == {group!r}. Values present: {shown or 'none (all missing)'}"
        )
    return mask


def language_counts(languages) -> str:
    """Language codes with their numbers of articles, most frequent first, ties alphabetical
    (``"fr 15, de 2"``); a missing code counts as ``unknown``."""
    counts = pd.Series(languages, dtype="string").fillna("unknown").value_counts()
    counts = counts.sort_index().sort_values(ascending=False, kind="stable")
    return ", ".join(f"{code} {count:,}" for code, count in counts.items())


def _no_words_reason(frame: pd.DataFrame | None, mask: np.ndarray, name: str) -> str:
    """Why the group ``name`` (the articles of ``mask``) has no words: how many of its
    articles are in a language the analyses do not read (:mod:`utils.corpus.language`)."""
    n = int(mask.sum())
    reason = f"the group {name!r} has no words"
    if frame is None or "language" not in frame.columns:
        return reason
    from utils.corpus.language import analysed_mask

    skipped = mask & ~np.asarray(analysed_mask(frame), dtype=bool)
    k = int(skipped.sum())
    if not k:
        return reason
    languages = language_counts(frame["language"].to_numpy()[skipped])
    if k == n:
        whose = "its article is" if n == 1 else f"its {n:,} articles are"
        return f"{reason}: {whose} not English, so not analysed ({languages})"
    return (f"{reason}: {k:,} of its {n:,} articles are not English, so not analysed "
            f"({languages}), and the others have no words")


def _keyness_groups(tokenized: TokenizedCorpus, group_column: str, target, reference):
    """The articles :func:`keyness` compares: ``(target_mask, reference_mask, target_name,
    reference_name)``; :class:`FrequencyError` for a missing column, a group with no article
    or identical groups."""
    frame = tokenized.frame
    if frame is None or group_column not in frame.columns:
        columns = [] if frame is None else list(frame.columns)
        raise FrequencyError(
            f"No column {group_column!r} to group articles by; columns found: {columns}"
        )
    values = frame[group_column]
    target_mask = _group_mask(values, target, group_column)
    if reference is None:
        reference_mask = (~target_mask) & values.notna().to_numpy(dtype=bool)
        reference_name = "rest"
        if not reference_mask.any():
            raise FrequencyError(
                f"Every article with a {group_column!r} value is in the target group "
                f"{target!r}: there is no reference group to compare with."
            )
    else:
        if str(reference) == str(target):
            raise FrequencyError("target and reference are the same group.")
        reference_mask = _group_mask(values, reference, group_column)
        reference_name = str(reference)
    target_name = str(target)
    if target_name == reference_name:
        reference_name = f"{reference_name} (reference)"
    return target_mask, reference_mask, target_name, reference_name


def _keyness_obstacles(tokenized: TokenizedCorpus, groups) -> list[str]:
    """Why each of the two groups of :func:`_keyness_groups` cannot be compared (no words)."""
    words = np.asarray(tokenized.words, dtype=np.int64)
    target_mask, reference_mask, target_name, reference_name = groups
    return [_no_words_reason(tokenized.frame, mask, name)
            for mask, name in ((target_mask, target_name), (reference_mask, reference_name))
            if int(words[mask].sum()) == 0]


def keyness_problem(
    corpus, group_column: str, target, reference=None, *, options: TermOptions | None = None,
    n_jobs: int | None = 1, **settings,
) -> str | None:
    """Why :func:`keyness` cannot compare ``target`` with ``reference`` because a group has no
    words ("the group 'a' has no words: its 15 articles are not English, so not analysed (fr
    15)"), or ``None``. Other problems raise as in :func:`keyness`."""
    tokenized = _tokenized(corpus, n_jobs, options, **settings)
    obstacles = _keyness_obstacles(
        tokenized, _keyness_groups(tokenized, group_column, target, reference))
    return "; ".join(obstacles) or None


def keyness_or_reason(
    corpus, group_column: str, target, reference=None, *, min_count: int = 1,
    options: TermOptions | None = None, n_jobs: int | None = 1, **settings,
) -> pd.DataFrame | str:
    """:func:`keyness`, or, when the target or the reference group has no words (e.g. its
    articles are not English, so not analysed: :func:`keyness_problem`), a sentence saying
    so, for a notebook to print instead of the table and the plot. Other problems raise as in
    :func:`keyness`."""
    tokenized = _tokenized(corpus, n_jobs, options, **settings)
    problem = keyness_problem(tokenized, group_column, target, reference)
    if problem:
        return f"No keyness table or plot: {problem}; keyness needs words in both groups."
    return keyness(tokenized, group_column, target, reference, min_count=min_count)


def keyness(
    corpus, group_column: str, target, reference=None, *, min_count: int = 1,
    options: TermOptions | None = None, n_jobs: int | None = 1, **settings,
) -> pd.DataFrame:
    """Key terms of one group of articles against another (or against all the others).

    Articles whose ``group_column`` equals ``target`` (compared as text) form the target
    corpus; ``reference`` names the reference group, or ``None`` for every other article
    whose value is not missing. Returns ``term, target_count, reference_count,
    target_per_10k, reference_per_10k, g2, significance, log_ratio, key_for``: G2 from
    :func:`log_likelihood` (corpus sizes in words), its :func:`significance_label`, Hardie's
    :func:`log_ratio` (zero counts -> 0.5), and ``key_for`` naming the group where the term is
    relatively more frequent. Terms seen fewer than ``min_count`` times in both groups together
    are left out. Sorted by G2 (descending), then term. ``attrs`` name the two groups, their
    sizes, ``group_column`` and ``min_count``, also when no term is left (an empty table).

    Raises :class:`FrequencyError` for a missing column, a group with no article, identical
    groups, or a group with no words (saying how many of its articles are not English);
    :func:`keyness_or_reason` returns that sentence instead.
    """
    tokenized = _tokenized(corpus, n_jobs, options, **settings)
    groups = _keyness_groups(tokenized, group_column, target, reference)
    obstacles = _keyness_obstacles(tokenized, groups)
    if obstacles:
        first = obstacles[0][0].upper() + obstacles[0][1:]
        raise FrequencyError(f"{first}; keyness needs text in both.")
    target_mask, reference_mask, target_name, reference_name = groups
    words = np.asarray(tokenized.words, dtype=np.int64)
    target_words = int(words[target_mask].sum())
    reference_words = int(words[reference_mask].sum())
    encoding = tokenized.encoding()
    a = encoding.counts(target_mask).astype(np.int64)
    b = encoding.counts(reference_mask).astype(np.int64)
    keep = ((a + b) >= max(min_count, 1)) & ((a + b) > 0)
    terms = encoding.vocabulary[keep].tolist()
    a, b = a[keep], b[keep]
    groups = dict(
        target=target_name, reference=reference_name, target_words=target_words,
        reference_words=reference_words, target_articles=int(target_mask.sum()),
        reference_articles=int(reference_mask.sum()), group_column=group_column,
        min_count=min_count,
    )
    if not terms:
        empty = _empty(KEYNESS_COLUMNS)
        empty.attrs.update(groups)
        return empty
    g2 = log_likelihood(a, b, target_words, reference_words)
    ratio = log_ratio(a, b, target_words, reference_words)
    target_rel = a / target_words
    reference_rel = b / reference_words
    key_for = np.where(
        target_rel > reference_rel, target_name,
        np.where(target_rel < reference_rel, reference_name, "neither"),
    )
    result = pd.DataFrame(
        {
            "term": pd.Series(terms, dtype=object),
            "target_count": a,
            "reference_count": b,
            "target_per_10k": _per_10k(a, target_words),
            "reference_per_10k": _per_10k(b, reference_words),
            "g2": g2,
            "significance": significance_label(g2),
            "log_ratio": ratio,
            "key_for": pd.Series(key_for, dtype=object),
        }
    )
    result.attrs.update(groups)
    return _sort_counts(result, "term", "g2")


def choose_grouping(
    corpus, group_by: str | None = None, target=None,
    candidates: Sequence[str] = ("label", "source"),
) -> tuple[str, str] | str:
    """Pick the grouping for :func:`keyness`: ``(column, target)``, or a message saying why
    there is none and what to set.

    With ``group_by`` given, that column is used; otherwise the first of ``candidates`` with
    at least two distinct values. ``target`` defaults to the group with the most articles
    (ties: alphabetical first). Accepts a frame or a :class:`TokenizedCorpus`.
    """
    frame = corpus.frame if isinstance(corpus, TokenizedCorpus) else corpus
    if frame is None:
        return "No metadata: keyness needs a grouping column."
    columns = [group_by] if group_by else list(candidates)
    for column in columns:
        if column not in frame.columns:
            if group_by:
                return f"No column {group_by!r}; columns found: {list(frame.columns)}."
            continue
        sizes = frame[column].astype("string").value_counts(dropna=True)
        if len(sizes) < 2:
            if group_by:
                return f"Column {group_by!r} has fewer than two groups; keyness needs two."
            continue
        if target is None:
            ordered = sorted(sizes.items(), key=lambda item: (-item[1], item[0]))
            return column, ordered[0][0]
        if str(target) not in sizes.index:
            return f"No article has {column} == {target!r}; groups: {sorted(sizes.index)[:20]}."
        return column, str(target)
    return (
        f"No grouping column: none of {list(candidates)} has two or more groups in this corpus. "
        "Set GROUP_BY to a column of the corpus that holds groups (e.g. 'label' for fake vs "
        "credible, 'source' for publishers) and TARGET to one of its values."
    )


def frequency_summary(corpus, *, n_jobs: int | None = 1, **settings) -> pd.DataFrame:
    """One-row overview: ``articles, sentences, words, terms, distinct_terms`` (sentences
    holding a term; words and terms as in the module docstring)."""
    tokenized = _tokenized(corpus, n_jobs, **settings)
    distinct = set()
    n_terms = 0
    n_sentences = 0
    for sentences in tokenized.sentences:
        n_sentences += len(sentences)
        for sentence in sentences:
            n_terms += len(sentence)
            distinct.update(sentence)
    return pd.DataFrame(
        [(len(tokenized), n_sentences, tokenized.total_words, n_terms, len(distinct))],
        columns=["articles", "sentences", "words", "terms", "distinct_terms"],
    )


# ---------------------------------------------------------------------------------------------
# terms over time


def normalize_term(term: str, options: TermOptions | None = None, **settings) -> str:
    """A user's search term as the counting functions spell it (case folding, stemming).

    Raises :class:`FrequencyError` for an empty term or one the options drop (a stopword,
    punctuation, a number), which could never be counted.
    """
    opts = term_options(options, **settings)
    if not isinstance(term, str) or not term.strip():
        raise FrequencyError(f"A term must be a non-empty string, got {term!r}")
    tokens = text_utils.tokenize_words(term.strip())
    if len(tokens) != 1:
        raise FrequencyError(f"{term!r} is {len(tokens)} tokens; give one word per term.")
    normalized = TermFilter(opts).term(tokens[0])
    if normalized is None:
        raise FrequencyError(
            f"{term!r} is removed by the term options (stopword, punctuation or number), so it "
            "is never counted; change the options to count it."
        )
    return normalized


def terms_over_time(
    corpus, terms: Sequence[str], *, freq: str = "M", options: TermOptions | None = None,
    n_jobs: int | None = 1, **settings,
) -> pd.DataFrame:
    """Counts of ``terms`` per period of the ``date`` column: ``period, term, count, words,
    per_10k``.

    ``freq`` is a pandas period alias (``"M"`` months, ``"Q"``, ``"Y"``, ``"W"``); ``period`` is
    its text (``"2016-03"``). Only periods holding dated articles appear (a period with no
    article has no denominator); ``words`` is the number of words of that period's articles.
    Articles without a date are left out. A corpus without dates gives an empty frame.
    Terms are normalised with :func:`normalize_term`; rows sorted by period, then term.
    """
    if isinstance(terms, str):
        terms = [terms]
    tokenized = _tokenized(corpus, n_jobs, options, **settings)
    wanted = sorted({normalize_term(t, tokenized.options) for t in terms})
    frame = tokenized.frame
    if frame is None or "date" not in frame.columns or not len(tokenized):
        return _empty(TREND_COLUMNS)
    dates = pd.to_datetime(frame["date"], errors="coerce")
    if dates.notna().sum() == 0:
        return _empty(TREND_COLUMNS)
    try:
        periods = dates.dt.to_period(freq)
    except ValueError as error:
        raise FrequencyError(f"Unknown period alias {freq!r}: {error}") from None
    wanted_set = set(wanted)
    period_words: Counter = Counter()
    period_counts: Counter = Counter()
    for i, period in enumerate(periods):
        if pd.isna(period):
            continue
        key = str(period)
        period_words[key] += tokenized.words[i]
        for sentence in tokenized.sentences[i]:
            for term in sentence:
                if term in wanted_set:
                    period_counts[key, term] += 1
    rows = []
    for key in sorted(period_words):
        for term in wanted:
            count = period_counts[key, term]
            words = period_words[key]
            rows.append((key, term, count, words, count * 10_000.0 / words if words else 0.0))
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


# ---------------------------------------------------------------------------------------------
# concordance


def concordance(
    corpus: pd.DataFrame, term: str, *, width: int = 40, max_lines: int | None = None
) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``term`` (one or more words, matched token by
    token, case-insensitive) with ``width`` characters of context either side.

    Returns ``doc_id, start, end, left, match, right`` (character offsets into the article's
    ``text``; line breaks in the context shown as spaces), in corpus order then offset, at most
    ``max_lines`` rows. A term absent from the corpus gives an empty frame.

    Why not ``nltk.Text.concordance``: it prints, works on one token list and loses article ids
    and offsets; this uses the project's own token offsets (:func:`utils.text.word_spans`).
    """
    _check_corpus(corpus)
    if not isinstance(term, str) or not term.strip():
        raise FrequencyError(f"A concordance needs a non-empty term, got {term!r}")
    if not isinstance(width, int) or width < 0:
        raise FrequencyError(f"width must be a non-negative integer, got {width!r}")
    phrase = [t.lower() for t in text_utils.tokenize_words(term.strip())]
    if not phrase:
        raise FrequencyError(f"{term!r} holds no token to search for")
    first = phrase[0].strip("`'\"")
    rows = []
    for doc_id, text in zip(corpus["doc_id"].astype(str), corpus["text"], strict=True):
        if not isinstance(text, str) or first not in text_utils.normalize_quotes(text).lower():
            continue
        normalized = text_utils.normalize_quotes(text)
        spans = text_utils.word_spans(text)
        lowered = [normalized[s:e].lower() for s, e in spans]
        for i in range(len(spans) - len(phrase) + 1):
            if lowered[i : i + len(phrase)] == phrase:
                start, end = spans[i][0], spans[i + len(phrase) - 1][1]
                left = _WHITESPACE_RUN.sub(" ", text[max(0, start - width) : start])
                right = _WHITESPACE_RUN.sub(" ", text[end : end + width])
                rows.append((doc_id, start, end, left, text[start:end], right))
                if max_lines is not None and len(rows) >= max_lines:
                    return pd.DataFrame(rows, columns=CONCORDANCE_COLUMNS)
    if not rows:
        return _empty(CONCORDANCE_COLUMNS)
    return pd.DataFrame(rows, columns=CONCORDANCE_COLUMNS)


# ---------------------------------------------------------------------------------------------
# Zipf


def zipf_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Rank/frequency table from :func:`term_counts`: ``rank, term, count`` (rank 1 = most
    frequent; equal counts get consecutive ranks in alphabetical order)."""
    if "count" not in counts.columns or "term" not in counts.columns:
        raise FrequencyError("zipf_table needs the frame of term_counts (term and count).")
    ordered = _sort_counts(counts[["term", "count"]], "term")
    ordered.insert(0, "rank", np.arange(1, len(ordered) + 1, dtype=np.int64))
    return ordered


def _zipf_obstacle(table: pd.DataFrame) -> str | None:
    """Why no Zipf line can be fitted to ``table`` (``None`` when one can)."""
    if len(table) == 0:
        return "the corpus has no terms"
    if len(table) == 1:
        return f"the corpus has a single term ({table['term'].iloc[0]!r})"
    counts = table["count"]
    if counts.nunique() < 2:
        times = "once" if int(counts.iloc[0]) == 1 else f"{int(counts.iloc[0]):,} times"
        return f"each of the corpus's {len(table):,} terms occurs {times}"
    return None


def zipf_fit(table: pd.DataFrame) -> dict[str, float]:
    """Least-squares line through ``log10(count)`` against ``log10(rank)`` of a
    :func:`zipf_table`: ``{"slope", "intercept", "r2"}`` (Zipf's law predicts a slope near -1).
    Needs at least two distinct ranks with different counts (:class:`FrequencyError`
    otherwise, saying what the corpus has; :func:`zipf_fit_or_reason` returns that instead)."""
    obstacle = _zipf_obstacle(table)
    if obstacle:
        raise FrequencyError(
            f"A Zipf fit needs at least two terms with different counts; {obstacle}.")
    x = np.log10(table["rank"].to_numpy(dtype=float))
    y = np.log10(table["count"].to_numpy(dtype=float))
    slope, intercept = np.polyfit(x, y, 1)
    predicted = slope * x + intercept
    r2 = 1.0 - float(np.sum((y - predicted) ** 2)) / float(np.sum((y - y.mean()) ** 2))
    return {"slope": float(slope), "intercept": float(intercept), "r2": r2}


def zipf_fit_or_reason(table: pd.DataFrame) -> dict[str, float] | str:
    """:func:`zipf_fit` of ``table``, or, when the corpus allows no fit (no terms, one term,
    or every term with the same count, as in one short article whose words are all
    distinct), a sentence saying why, for a notebook to print instead of the plot."""
    obstacle = _zipf_obstacle(table)
    if obstacle:
        return (f"No Zipf fit or plot: {obstacle}, and a fit needs at least two terms with "
                "different counts.")
    return zipf_fit(table)
