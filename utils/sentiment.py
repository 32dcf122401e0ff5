"""Sentiment with VADER at sentence, article and group level, validated against human ratings.

Every score is exactly what the reference implementation ``vaderSentiment==3.3.2``
(``SentimentIntensityAnalyzer().polarity_scores``) gives for the same text. Three engines:

- ``"vader"`` (default): :class:`ExactVader`, a re-implementation of the reference's rules that
  lower-cases each sentence once instead of once per rule and skips the character-by-character
  emoji scan when a text holds no emoji (the reference is quadratic in sentence length). It is a
  subclass of the reference analyzer and re-uses its lexicon, constants and punctuation
  emphasis; its quadratic "but" rule is re-done in O(n log n) (:func:`but_check`). Its scores
  are tested to be identical to the reference on the four data sets of the VADER paper (about
  23,700 texts), on edge cases and on random text.
- ``"reference"``: ``vaderSentiment``'s own analyzer, unchanged (slow; for checks).
- ``"nltk"``: NLTK's port of VADER (differs from the reference on about 4% of sentences; offered
  only as an explicit option, it reads the lexicon from the project's NLTK data directory).

Sentences come from :func:`utils.text.sentence_spans` (Punkt with the project's abbreviations,
paragraph by paragraph), so each sentence keeps its index and character offsets in the article.

Public functions (``corpus`` is the DataFrame returned by :func:`utils.corpus.load_corpus`)
-------------------------------------------------------------------------------------------
``score_sentences(sentences, *, engine="vader", workers=None, min_parallel=20_000)``
    -> DataFrame ``neg, neu, pos, compound`` (one row per input text, same index as a Series
    input). Uses a process pool of ``workers`` processes (default: :func:`default_workers`, the
    available cores not already busy) with large chunks when there are at least ``min_parallel``
    texts; results keep the input order.
``score_text(text, *, engine="vader") -> dict``
    The reference's ``polarity_scores`` dict for one text.
``sentence_sentiment(corpus, *, engine="vader", cache=True, workers=None, include_text=True,
min_parallel_chars=2_000_000)``
    -> DataFrame ``doc_id, sentence_index, n_sentences, position, start, end, [text,] neg, neu,
    pos, compound``: one row per sentence, articles in corpus order. ``position`` is the relative
    place of the sentence in its article, ``(sentence_index + 0.5) / n_sentences`` (for arcs).
    Results are cached per article (see :class:`SentimentCache`).
``article_sentiment(corpus, sentences=None, *, engine="vader", whole_text=False, **kw)``
    -> DataFrame ``doc_id, n_sentences, mean_compound, median_compound, min_compound,
    max_compound, share_positive, share_negative, headline_compound [, text_compound]``.
    The article score is the mean of its sentence compounds (whole-text compound saturates at
    +/-1 on long articles; ask for it with ``whole_text=True``); the headline (``title``) is
    scored separately (``<NA>`` without a title). Articles without sentences get ``<NA>``.
``group_sentiment(article_scores, corpus, group_column, *, value="mean_compound", n_boot=2000,
confidence=0.95, seed=0)``
    -> DataFrame ``group, n_articles, mean, ci_low, ci_high`` with percentile-bootstrap
    confidence intervals (fixed seed per group); ``group_column="month"`` groups by the month of
    ``date``. Groups sorted alphabetically; articles with a missing group or value are left out
    (counted in ``.attrs["left_out"]``).
``position_profile(sentences, *, bins=10, n_boot=2000, seed=0)``
    -> ``bin, position_from, position_to, n_sentences, mean, ci_low, ci_high``: the corpus-wide
    arc, mean sentence compound by relative position in the article (bootstrap CIs).
``driving_words(sentences, corpus=None, group_column=None, *, top=10)``
    -> DataFrame ``[group,] direction, rank, term, lexicon_valence, occurrences, total_valence``:
    the lexicon terms contributing the most positive and most negative valence (after VADER's
    negation/booster rules), to spot lexicon artefacts ("security" in "security council").
``quote_spans(text) -> list[(start, end)]``
    Spans of text inside double quotation marks (straight and typographic), marks excluded.
``quote_segments(corpus, *, spans=None, sentences=None, min_authorial_words=4)``
    -> DataFrame ``doc_id, sentence_index, kind, start, end, text, neg, neu, pos, compound``:
    each sentence split into its quoted part(s) and its authorial remainder. ``spans`` swaps in
    other quote spans (e.g. attribution content spans): a mapping ``doc_id -> [(start, end)]``
    or a DataFrame with ``doc_id, start, end``.
``quoted_vs_authorial(segments, corpus=None, group_column=None, *, n_boot=2000, seed=0)``
    -> per article (``doc_id, n_quoted, quoted_compound, n_authorial, authorial_compound,
    difference``) or, with ``group_column``, per group and kind (``group, kind, n_articles,
    mean, ci_low, ci_high``).
``summarise_quoted_vs_authorial(per_article, *, n_boot=2000, seed=0)``
    -> ``kind, n_articles, mean, ci_low, ci_high`` for authorial, quoted and their paired
    difference over the whole corpus.
``sentiment_summary(values)`` -> one row ``n, n_missing, mean, median, sd, share_negative,
    share_neutral, share_positive`` of compound scores.
``compound_histogram(values, *, bins=40)`` -> ``bin, bin_from, bin_to, count``: how many scores
    fall in each of ``bins`` equal slices of [-1, 1] (what the histograms of the notebook draw).
``article_tone_terms(sentences)``, ``article_quote_tone(corpus, sentences)``
    The per-article parts of ``driving_words`` and ``quoted_vs_authorial`` that a results store
    keeps (rows of plain tuples); ``sentiment_tables(corpus)`` gives the sentences and both in
    one pass over the sentences (what the pipeline's sentiment step needs).
``validation_metrics(compound, human_mean, *, threshold=0.05)`` -> one-row DataFrame ``n,
    pearson_r, precision, recall, f1, macro_f1, accuracy`` (the VADER paper's 3-class scheme).
``class_report(compound, human_mean, *, threshold=0.05)`` -> per-class precision/recall/F1.
``human_ceiling(ratings)`` -> mean correlation of an individual rater with the mean rating.
``nyt_validation(*, engine="vader")`` -> (snippets with ``compound``, metrics) on the 5,190
    human-rated NYT editorial snippets of the VADER paper.

Helpers also public: ``get_engine(name)`` (the cached analyzer; ``ExactVader.token_valences``,
``.score_tuple`` and ``.score_and_valences``, both from one pass of the rules), ``but_check``,
``SentimentCache``, ``article_key``, ``scorer_version``, ``bootstrap_mean_ci`` (the histogram
bootstrap of :mod:`utils.tables.resampling`), ``group_values``, ``usable_group_columns``,
``term_contributions``, ``histogram_edges``, ``available_cores``, ``default_workers``. Errors
on bad input are :class:`SentimentError` (a ``ValueError``) with a message saying what to pass
instead. Plots of these results: :mod:`utils.sentiment_plots`.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import heapq
import importlib.metadata
import math
import os
import re
import sqlite3
import string
import zlib
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    normalize,
    scalar_inc_dec,
)

from utils import paths

#: Engines accepted by every scoring function.
ENGINES = ("vader", "reference", "nltk")
#: Score columns, in the reference's order.
SCORE_COLUMNS = ("neg", "neu", "pos", "compound")
#: Compound threshold of the VADER paper: >= 0.05 positive, <= -0.05 negative, else neutral.
NEUTRAL_THRESHOLD = 0.05
#: Bump when the engine or the cached layout changes (part of every cache key).
SCORER_REVISION = 1

_PUNCTUATION = string.punctuation
_NEGATE = frozenset(NEGATE)
_SO_THIS = ("so", "this")


class SentimentError(ValueError):
    """Input the sentiment functions cannot use; the message says why and what to do."""


# ---------------------------------------------------------------------------------------------
# the engine


def _negated(word_lower: str) -> bool:
    # vaderSentiment.negated([w]) for one already lower-cased word (str.lower is idempotent)
    return word_lower in _NEGATE or "n't" in word_lower


class ExactVader(SentimentIntensityAnalyzer):
    """vaderSentiment 3.3.2's analyzer with its per-word rules evaluated in linear time.

    The reference lower-cases the whole sentence inside each negation and idiom check (several
    times per sentiment word) and rebuilds the text character by character to replace emoji.
    This subclass lower-cases once, looks emoji up only when the text holds one, and otherwise
    applies the same rules in the same order with the same float operations, so its scores are
    identical (tests compare it with the reference on the VADER paper's four data sets). No
    library offers this: NLTK's port is a different, slower variant.
    """

    def __init__(self) -> None:
        super().__init__()
        self._emoji_chars = frozenset(key for key in self.emojis if len(key) == 1)

    # -- public -------------------------------------------------------------------------------
    def polarity_scores(self, text: str) -> dict[str, float]:
        return dict(zip(SCORE_COLUMNS, self.score_tuple(text), strict=True))

    def token_valences(self, text: str) -> list[tuple[str, float]]:
        """``(lower-cased token, valence)`` for each token of ``text``, after every rule.

        These are the per-token values whose sum, normalised, is the compound score.
        """
        sentiments, lower, _clean = self._sentiments(text)
        return [(word, float(value)) for word, value in zip(lower, sentiments, strict=True)]

    def score_and_valences(
        self, text: str
    ) -> tuple[tuple[float, float, float, float], list[tuple[str, float]]]:
        """``(score_tuple(text), valences)`` from one pass of the rules: the scores, and the
        ``(lower-cased token, valence)`` pairs of :meth:`token_valences` whose valence is not 0
        (the tokens that move the score), in token order."""
        sentiments, lower, clean = self._sentiments(text)
        pairs = [(lower[i], float(value)) for i, value in enumerate(sentiments) if value]
        return self._scores(sentiments, clean), pairs

    # -- internals ----------------------------------------------------------------------------
    def _replace_emojis(self, text: str) -> str:
        if self._emoji_chars.isdisjoint(text):
            return text
        pieces = []
        prev_space = True
        for char in text:
            if char in self.emojis:
                if not prev_space:
                    pieces.append(" ")
                pieces.append(self.emojis[char])
                prev_space = False
            else:
                pieces.append(char)
                prev_space = char == " "
        return "".join(pieces)

    def _sentiments(self, text: str) -> tuple[list, list[str], str]:
        """``(valence of each token, the lower-cased tokens, the cleaned text)``."""
        clean = self._replace_emojis(text).strip()
        # SentiText._strip_punc_if_word, inlined
        words = [
            w if len(stripped := w.strip(_PUNCTUATION)) <= 2 else stripped for w in clean.split()
        ]
        lower = [w.lower() for w in words]
        n_words = len(words)
        # allcap_differential: some but not all words are ALL CAPS
        is_cap_diff = 0 < n_words - sum(map(str.isupper, words)) < n_words
        lexicon = self.lexicon
        # Words outside the lexicon, boosters and the "kind" of "kind of" all get 0 (an int, as
        # in the reference); only lexicon words go through the rules.
        sentiments: list = [0] * n_words
        for i, item_lower in enumerate(lower):
            if item_lower not in lexicon or item_lower in BOOSTER_DICT:
                continue
            if item_lower == "kind" and i < n_words - 1 and lower[i + 1] == "of":
                continue
            sentiments[i] = self._valence(words, lower, i, is_cap_diff)
        if "but" in lower:
            sentiments = but_check(lower, sentiments)
        return sentiments, lower, clean

    def _scores(self, sentiments: list, text: str) -> tuple[float, float, float, float]:
        """``score_valence`` of the reference as a tuple (neg, neu, pos, compound); the
        per-word sums skip the zeros, which add nothing."""
        if not sentiments:
            return (0.0, 0.0, 0.0, 0.0)
        sum_s = float(sum(sentiments))
        # _punctuation_emphasis: exclamation marks (up to 4) and question marks (2 or more)
        ep_count = min(text.count("!"), 4)
        qm_count = text.count("?")
        qm_amplifier = 0
        if qm_count > 1:
            qm_amplifier = qm_count * 0.18 if qm_count <= 3 else 0.96
        punct_emph_amplifier = ep_count * 0.292 + qm_amplifier
        if sum_s > 0:
            sum_s += punct_emph_amplifier
        elif sum_s < 0:
            sum_s -= punct_emph_amplifier
        compound = normalize(sum_s)
        pos_sum = 0.0
        neg_sum = 0.0
        nonzero = [score for score in sentiments if score]
        neu_count = len(sentiments) - len(nonzero)
        for score in nonzero:
            if score > 0:
                pos_sum += float(score) + 1
            else:
                neg_sum += float(score) - 1
        if pos_sum > math.fabs(neg_sum):
            pos_sum += punct_emph_amplifier
        elif pos_sum < math.fabs(neg_sum):
            neg_sum -= punct_emph_amplifier
        total = pos_sum + math.fabs(neg_sum) + neu_count
        return (
            round(math.fabs(neg_sum / total), 3),
            round(math.fabs(neu_count / total), 3),
            round(math.fabs(pos_sum / total), 3),
            round(compound, 4),
        )

    def score_tuple(self, text: str) -> tuple[float, float, float, float]:
        """``(neg, neu, pos, compound)`` of ``text``, equal to the reference's dict values."""
        sentiments, _lower, clean = self._sentiments(text)
        return self._scores(sentiments, clean)

    def _valence(self, words: list[str], lower: list[str], i: int, is_cap_diff: bool) -> float:
        lexicon = self.lexicon
        item_lower = lower[i]
        valence = lexicon[item_lower]
        if item_lower == "no" and i != len(words) - 1 and lower[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and lower[i - 1] == "no")
            or (i > 1 and lower[i - 2] == "no")
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ["or", "nor"])
        ):
            valence = lexicon[item_lower] * N_SCALAR
        if words[i].isupper() and is_cap_diff:
            if valence > 0:
                valence += C_INCR
            else:
                valence -= C_INCR
        for start_i in range(0, 3):
            if i > start_i and lower[i - (start_i + 1)] not in lexicon:
                # scalar_inc_dec is 0.0 for a word that is no booster: skip the call then
                if lower[i - (start_i + 1)] in BOOSTER_DICT:
                    s = scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff)
                else:
                    s = 0.0
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _negation_check(valence, lower, start_i, i)
                if start_i == 2:
                    valence = _special_idioms_check(valence, lower, i)
        return _least_check(valence, lower, i, lexicon)


def but_check(lower: list[str], sentiments: list) -> list:
    """vaderSentiment's ``_but_check`` in O(n log n) instead of O(n²), with the same result.

    The reference visits the valences in order and, for each value ``v``, rescales the *first*
    position holding a value equal to ``v`` (``list.index``): by 0.5 before the first "but", by
    1.5 after it. Here the first position of each value comes from a heap of positions per value
    (equal numbers share a dict key, as they compare equal for ``list.index``).
    """
    if "but" not in lower:
        return sentiments
    but_index = lower.index("but")
    values = list(sentiments)
    positions: dict = {}
    for index, value in enumerate(values):
        positions.setdefault(value, []).append(index)  # ascending: already a heap
    for k in range(len(values)):
        value = values[k]
        heap = positions[value]
        first = heap[0]
        if first < but_index:
            new_value = value * 0.5
        elif first > but_index:
            new_value = value * 1.5
        else:
            continue
        heapq.heappop(heap)
        if not heap:
            del positions[value]
        heapq.heappush(positions.setdefault(new_value, []), first)
        values[first] = new_value
    return values


def _negation_check(valence: float, lower: list[str], start_i: int, i: int) -> float:
    if start_i == 0:
        if _negated(lower[i - 1]):
            valence = valence * N_SCALAR
    if start_i == 1:
        if lower[i - 2] == "never" and (lower[i - 1] == "so" or lower[i - 1] == "this"):
            valence = valence * 1.25
        elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
            pass
        elif _negated(lower[i - 2]):
            valence = valence * N_SCALAR
    if start_i == 2:
        if (lower[i - 3] == "never" and lower[i - 2] in _SO_THIS) or lower[i - 1] in _SO_THIS:
            valence = valence * 1.25
        elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
            pass
        elif _negated(lower[i - 3]):
            valence = valence * N_SCALAR
    return valence


def _special_idioms_check(valence: float, lower: list[str], i: int) -> float:
    onezero = f"{lower[i - 1]} {lower[i]}"
    twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
    twoone = f"{lower[i - 2]} {lower[i - 1]}"
    threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
    threetwo = f"{lower[i - 3]} {lower[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    if len(lower) - 1 > i:
        zeroone = f"{lower[i]} {lower[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if len(lower) - 1 > i + 1:
        zeroonetwo = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[n_gram]
    return valence


def _least_check(valence: float, lower: list[str], i: int, lexicon: dict) -> float:
    if i > 1 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        if lower[i - 2] != "at" and lower[i - 2] != "very":
            valence = valence * N_SCALAR
    elif i > 0 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        valence = valence * N_SCALAR
    return valence


@functools.cache
def get_engine(engine: str = "vader"):
    """The analyzer object behind ``engine`` (cached: the lexicon is read once per process)."""
    if engine == "vader":
        return ExactVader()
    if engine == "reference":
        return SentimentIntensityAnalyzer()
    if engine == "nltk":
        from nltk.sentiment.vader import SentimentIntensityAnalyzer as NltkAnalyzer

        from utils.resources import use_project_nltk_data

        use_project_nltk_data()
        return NltkAnalyzer()
    raise SentimentError(f"Unknown sentiment engine {engine!r}; use one of {list(ENGINES)}.")


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise SentimentError(f"Unknown sentiment engine {engine!r}; use one of {list(ENGINES)}.")


def _as_text(value, position) -> str:
    if isinstance(value, str):
        return value
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    raise SentimentError(
        f"Sentence {position!r} is a {type(value).__name__}, not text; pass strings "
        "(missing values are scored as empty text)."
    )


def score_text(text: str, *, engine: str = "vader") -> dict[str, float]:
    """Scores of one text as the reference's dict ``{neg, neu, pos, compound}``."""
    _check_engine(engine)
    return dict(get_engine(engine).polarity_scores(_as_text(text, 0)))


def _score_chunk(engine: str, texts: list[str]) -> list[tuple[float, float, float, float]]:
    analyzer = get_engine(engine)
    if isinstance(analyzer, ExactVader):
        return [analyzer.score_tuple(text) for text in texts]
    scorer = analyzer.polarity_scores
    out = []
    for text in texts:
        scores = scorer(text)
        out.append((scores["neg"], scores["neu"], scores["pos"], scores["compound"]))
    return out


def available_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _pool(workers: int) -> ProcessPoolExecutor:
    import multiprocessing

    # fork shares the already-built lexicon with the workers (nothing is re-read)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))


def _chunks(items: list, n_chunks: int) -> list[list]:
    size = max(1, math.ceil(len(items) / n_chunks))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _run_parallel(function, engine: str, items: list, workers: int) -> list:
    """Apply ``function(engine, chunk)`` to large chunks in a process pool, in input order."""
    chunks = _chunks(items, workers * 4)
    get_engine(engine)  # build the lexicon once, here: forked workers inherit it
    if function is _analyse_articles:
        from utils.text import sentence_spans

        sentence_spans("Warm up. The splitter.")
    with _pool(workers) as pool:
        results = pool.map(function, [engine] * len(chunks), chunks)
        return [row for chunk in results for row in chunk]


def default_workers() -> int:
    """Worker processes used when ``workers=None``: the available cores not already busy.

    Like ``make --load-average``: with the 1-minute load average at ``L`` on ``C`` cores,
    ``C + 1 - L`` workers rounded (this process counts for one load unit), at least 1 (scoring in
    this process) and at most ``C``.
    On a shared, oversubscribed machine extra processes only add overhead; results are the same
    whatever the number of workers.
    """
    cores = available_cores()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not available on this platform
        return cores
    return max(1, min(cores, int(cores + 1.5 - load)))


def _resolve_workers(workers: int | None) -> int:
    if workers is None:
        return default_workers()
    if not isinstance(workers, int) or workers < 1:
        raise SentimentError(f"workers must be a positive integer or None, not {workers!r}.")
    return workers


def score_sentences(
    sentences: Iterable[str],
    *,
    engine: str = "vader",
    workers: int | None = None,
    min_parallel: int = 20_000,
) -> pd.DataFrame:
    """Score each text with VADER: a DataFrame ``neg, neu, pos, compound``, one row per text.

    ``sentences`` is any iterable of strings (a Series keeps its index). Missing values (None,
    NaN, ``<NA>``) are scored as empty text (all zeros, as the reference does for ``""``); any
    other non-string raises :class:`SentimentError`. With at least ``min_parallel`` texts and
    more than one worker the texts are scored in a process pool (large chunks, input order kept);
    fewer texts are scored in this process (a pool costs more than it saves).
    """
    _check_engine(engine)
    index = sentences.index if isinstance(sentences, pd.Series) else None
    texts = [_as_text(value, pos) for pos, value in enumerate(sentences)]
    n_workers = _resolve_workers(workers)
    if n_workers > 1 and len(texts) >= max(min_parallel, 2):
        rows = _run_parallel(_score_chunk, engine, texts, n_workers)
    else:
        rows = _score_chunk(engine, texts)
    frame = pd.DataFrame(rows, columns=list(SCORE_COLUMNS), dtype="float64")
    if not rows:
        frame = pd.DataFrame({c: pd.Series(dtype="float64") for c in SCORE_COLUMNS})
    if index is not None:
        frame.index = index
    return frame


# ---------------------------------------------------------------------------------------------
# articles: sentence spans + scores, cached per article


def _analyse_articles(engine: str, texts: list[str]) -> list[np.ndarray]:
    """For each article, an array ``(n_sentences, 6)``: start, end, neg, neu, pos, compound."""
    from utils.text import sentence_spans

    analyzer = get_engine(engine)
    if isinstance(analyzer, ExactVader):
        scorer = analyzer.score_tuple
    else:
        def scorer(sentence: str) -> tuple[float, float, float, float]:
            scores = analyzer.polarity_scores(sentence)
            return tuple(scores[column] for column in SCORE_COLUMNS)

    out = []
    for text in texts:
        rows = []
        for start, end in sentence_spans(text):
            rows.append((start, end, *scorer(text[start:end])))
        out.append(np.array(rows, dtype="float64").reshape(len(rows), 6))
    return out


@functools.cache
def scorer_version(engine: str = "vader") -> str:
    """Identity of what produces cached results: engine, vaderSentiment version and lexicon,
    NLTK version, the sentence splitter's code and abbreviations, :data:`SCORER_REVISION`."""
    from utils import text as text_module
    from utils.resources import NEWS_ABBREVIATIONS, vader_lexicon_path

    digest = hashlib.sha256()
    for part in (
        engine,
        str(SCORER_REVISION),
        importlib.metadata.version("vaderSentiment"),
        importlib.metadata.version("nltk"),
        "\n".join(sorted(NEWS_ABBREVIATIONS)),
    ):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(vader_lexicon_path().read_bytes())
    digest.update(Path(text_module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def article_key(text: str, engine: str = "vader") -> str:
    """Cache key of one article: sha256 of the scorer version and the text."""
    return hashlib.sha256(f"{scorer_version(engine)}\0{text}".encode()).hexdigest()


class SentimentCache:
    """Per-article sentence scores in a SQLite file (default ``.cache/sentiment.sqlite``).

    Keys are :func:`article_key` (hash of the text and of :func:`scorer_version`), so a changed
    article, splitter or engine is simply a miss. SQLite's locking (WAL journal, 60 s busy
    timeout, ``INSERT OR REPLACE`` in one transaction) makes it safe when two processes read and
    write at once. A cache that cannot be opened is bypassed (results are computed, not stored).
    """

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path is not None else paths.CACHE_DIR / "sentiment.sqlite"
        self._connection: sqlite3.Connection | None = None
        connection = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=60)
            try:
                connection.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError:
                pass  # another process holds the lock; the default journal works too
            connection.execute(
                "CREATE TABLE IF NOT EXISTS articles (key TEXT PRIMARY KEY, rows BLOB NOT NULL)"
            )
            connection.commit()
            self._connection = connection
        except (OSError, sqlite3.Error):
            if connection is not None:
                connection.close()
            self._connection = None

    @property
    def available(self) -> bool:
        return self._connection is not None

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        if not self.available or not keys:
            return {}
        found = {}
        unique = sorted(set(keys))
        for i in range(0, len(unique), 500):
            batch = unique[i : i + 500]
            marks = ",".join("?" * len(batch))
            try:
                cursor = self._connection.execute(
                    f"SELECT key, rows FROM articles WHERE key IN ({marks})", batch
                )
                for key, blob in cursor:
                    found[key] = np.frombuffer(blob, dtype="float64").reshape(-1, 6)
            except sqlite3.Error:
                return found
        return found

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        if not self.available or not items:
            return
        rows = [(key, np.ascontiguousarray(a, "float64").tobytes()) for key, a in items.items()]
        try:
            with self._connection:
                self._connection.executemany(
                    "INSERT OR REPLACE INTO articles (key, rows) VALUES (?, ?)", rows
                )
        except sqlite3.Error:
            pass  # a busy or read-only cache only costs a re-computation next time

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> SentimentCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _check_corpus(corpus: pd.DataFrame, *columns: str) -> None:
    if not isinstance(corpus, pd.DataFrame):
        raise SentimentError(
            f"Expected the DataFrame returned by load_corpus, got {type(corpus).__name__}."
        )
    missing = [c for c in ("doc_id", "text", *columns) if c not in corpus.columns]
    if missing:
        raise SentimentError(
            f"The corpus frame has no column(s) {missing}; columns found: {list(corpus.columns)}. "
            "Load it with utils.corpus.load_corpus."
        )


def _open_cache(cache) -> SentimentCache | None:
    if cache is True:
        return SentimentCache()
    if cache is None or cache is False:
        return None
    if isinstance(cache, SentimentCache):
        return cache
    return SentimentCache(cache)


def sentence_sentiment(
    corpus: pd.DataFrame,
    *,
    engine: str = "vader",
    cache: bool | str | os.PathLike | SentimentCache | None = True,
    workers: int | None = None,
    include_text: bool = True,
    min_parallel_chars: int = 2_000_000,
) -> pd.DataFrame:
    """One row per sentence of every article (see the module docstring for the columns).

    ``cache``: ``True`` (``.cache/sentiment.sqlite``), a path, a :class:`SentimentCache`, or
    ``False``. Only articles missing from the cache are split and scored; when their text adds
    up to at least ``min_parallel_chars`` characters they are processed in a pool of ``workers``
    processes (default: :func:`default_workers`).
    """
    _check_engine(engine)
    _check_corpus(corpus)
    from utils.corpus.language import analysed_mask

    # articles in languages VADER cannot read have no scored sentences (their score is NaN)
    texts = [_as_text(t, doc) if ok else "" for doc, t, ok in
             zip(corpus["doc_id"], corpus["text"], analysed_mask(corpus), strict=True)]
    keys = [article_key(text, engine) for text in texts]
    store = _open_cache(cache)
    try:
        known = store.get_many(keys) if store is not None else {}
        todo: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in known and key not in todo:
                todo[key] = text
        if todo:
            todo_keys = list(todo)
            todo_texts = [todo[k] for k in todo_keys]
            n_workers = _resolve_workers(workers)
            total_chars = sum(len(t) for t in todo_texts)
            if n_workers > 1 and len(todo_texts) > 1 and total_chars >= min_parallel_chars:
                arrays = _run_parallel(_analyse_articles, engine, todo_texts, n_workers)
            else:
                arrays = _analyse_articles(engine, todo_texts)
            computed = dict(zip(todo_keys, arrays, strict=True))
            if store is not None:
                store.put_many(computed)
            known.update(computed)
    finally:
        if store is not None and store is not cache:
            store.close()
    return _sentence_frame(corpus, texts, [known[k] for k in keys], include_text)


def _sentence_frame(
    corpus: pd.DataFrame, texts: list[str], arrays: list[np.ndarray], include_text: bool
) -> pd.DataFrame:
    counts = np.array([len(a) for a in arrays], dtype="int64")
    stacked = np.concatenate(arrays) if arrays else np.empty((0, 6))
    stacked = stacked.reshape(-1, 6)
    doc_ids = np.repeat(corpus["doc_id"].astype("string").to_numpy(dtype=object), counts)
    index = np.concatenate([np.arange(n) for n in counts]) if len(counts) else np.array([])
    n_sent = np.repeat(counts, counts)
    starts = stacked[:, 0].astype("int64")
    ends = stacked[:, 1].astype("int64")
    frame = pd.DataFrame(
        {
            "doc_id": pd.array(doc_ids, dtype="string"),
            "sentence_index": index.astype("int64"),
            "n_sentences": n_sent.astype("int64"),
            "position": (index + 0.5) / np.maximum(n_sent, 1),
            "start": starts,
            "end": ends,
        }
    )
    if include_text:
        pieces = []
        for text, array in zip(texts, arrays, strict=True):
            pieces.extend(text[int(s) : int(e)] for s, e in array[:, :2])
        frame["text"] = pd.array(pieces, dtype=object)
    for j, column in enumerate(SCORE_COLUMNS, start=2):
        frame[column] = stacked[:, j]
    return frame


def article_sentiment(
    corpus: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    *,
    engine: str = "vader",
    whole_text: bool = False,
    threshold: float = NEUTRAL_THRESHOLD,
    **sentence_options,
) -> pd.DataFrame:
    """Article-level sentiment, one row per article in corpus order (module docstring).

    ``sentences`` is the result of :func:`sentence_sentiment` for this corpus (computed when
    not given, with ``sentence_options``). ``share_positive``/``share_negative`` are the shares of
    sentences with compound >= ``threshold`` / <= ``-threshold``.
    """
    _check_corpus(corpus)
    if sentences is None:
        sentences = sentence_sentiment(corpus, engine=engine, **sentence_options)
    missing = [c for c in ("doc_id", "compound") if c not in sentences.columns]
    if missing:
        raise SentimentError(f"sentences lacks {missing}; pass the frame of sentence_sentiment.")
    compound = sentences["compound"].astype("float64")
    keys = sentences["doc_id"].astype("string")
    grouped = compound.groupby(keys, sort=False)
    stats = pd.DataFrame(
        {
            "n_sentences": grouped.size(),
            "mean_compound": grouped.mean(),
            "median_compound": grouped.median(),
            "min_compound": grouped.min(),
            "max_compound": grouped.max(),
            "share_positive": (compound >= threshold).groupby(keys, sort=False).mean(),
            "share_negative": (compound <= -threshold).groupby(keys, sort=False).mean(),
        }
    )
    doc_ids = corpus["doc_id"].astype("string")
    frame = stats.reindex(doc_ids.to_numpy()).reset_index(names="doc_id")
    frame["doc_id"] = frame["doc_id"].astype("string")
    frame["n_sentences"] = frame["n_sentences"].fillna(0).astype("int64")
    for column in frame.columns[2:]:
        frame[column] = frame[column].astype("Float64")
    from utils.corpus.language import analysed_mask

    headlines = []
    for title, english in zip(_titles(corpus), analysed_mask(corpus), strict=True):
        if pd.isna(title) or not str(title).strip() or not english:
            headlines.append(pd.NA)
        else:
            headlines.append(score_text(str(title), engine=engine)["compound"])
    frame["headline_compound"] = pd.array(headlines, dtype="Float64")
    if whole_text:
        scores = score_sentences(corpus["text"].tolist(), engine=engine, workers=1)
        frame["text_compound"] = pd.array(scores["compound"].to_numpy(), dtype="Float64")
        frame.loc[~pd.Series(analysed_mask(corpus)).to_numpy(), "text_compound"] = pd.NA
    return frame


def _titles(corpus: pd.DataFrame) -> list:
    if "title" not in corpus.columns:
        return [pd.NA] * len(corpus)
    return corpus["title"].tolist()


# ---------------------------------------------------------------------------------------------
# groups and bootstrap


def bootstrap_mean_ci(
    values: Sequence[float], *, n_boot: int = 2000, confidence: float = 0.95, seed=0
) -> tuple[float, float, float]:
    """``(mean, ci_low, ci_high)``: percentile bootstrap of the mean with a fixed seed.

    The bootstrap of :func:`utils.tables.resampling.bootstrap_mean_ci`: drawn from the
    histogram of the values on a grid of 1e-4, so that an interval computed from a results
    store's histogram (a SQL ``GROUP BY``) equals the one from the values in memory. The mean
    is the exact mean of the values. NaN and other missing values are ignored; no value gives
    ``(nan, nan, nan)``, one value its mean with no interval (``nan`` bounds). ``seed`` is
    anything :func:`numpy.random.default_rng` accepts (an int or a list of ints).
    """
    from utils.tables import resampling

    if not 0 < confidence < 1:
        raise SentimentError(f"confidence must be between 0 and 1, not {confidence!r}.")
    if not isinstance(n_boot, int | np.integer) or n_boot < 1:
        raise SentimentError(f"n_boot must be a whole number of 1 or more, not {n_boot!r}.")
    data = np.asarray(pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce"),
                      dtype="float64")
    return resampling.bootstrap_mean_ci(data, n_boot=n_boot, confidence=confidence, seed=seed)


def _group_seed(seed: int, name: str) -> list[int]:
    return [int(seed), zlib.crc32(name.encode("utf-8"))]


def group_values(corpus: pd.DataFrame, group_column: str) -> pd.Series:
    """Group of each article as strings (index = ``doc_id``); ``"month"`` is ``YYYY-MM`` of
    ``date``. Missing values stay ``<NA>``."""
    _check_corpus(corpus)
    if group_column == "month" and "month" not in corpus.columns:
        if "date" not in corpus.columns:
            raise SentimentError("Grouping by month needs a 'date' column.")
        dates = pd.to_datetime(corpus["date"], errors="coerce")
        groups = dates.dt.strftime("%Y-%m").astype("string")
    elif group_column in corpus.columns:
        groups = corpus[group_column].astype("string").str.strip().replace("", pd.NA)
    else:
        raise SentimentError(
            f"No column {group_column!r} to group by; columns found: {list(corpus.columns)} "
            "(or 'month')."
        )
    return pd.Series(groups.to_numpy(), index=corpus["doc_id"].astype("string"), dtype="string")


def usable_group_columns(corpus: pd.DataFrame, candidates=("label", "source", "month")) -> list:
    """The candidate group columns with at least two distinct non-missing values."""
    usable = []
    for column in candidates:
        try:
            groups = group_values(corpus, column)
        except SentimentError:
            continue
        if groups.dropna().nunique() >= 2:
            usable.append(column)
    return usable


def group_sentiment(
    article_scores: pd.DataFrame,
    corpus: pd.DataFrame,
    group_column: str,
    *,
    value: str = "mean_compound",
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean of an article score per group with bootstrap CIs (module docstring).

    ``article_scores`` may also be any frame with ``doc_id`` and the ``value`` column, e.g. the
    sentence frame with ``value="compound"`` (sentence-level means; ``n_articles`` then counts
    rows). The bootstrap resamples those rows.
    """
    if value not in article_scores.columns or "doc_id" not in article_scores.columns:
        raise SentimentError(
            f"article_scores needs 'doc_id' and {value!r}; pass the frame of article_sentiment."
        )
    groups = group_values(corpus, group_column)
    scores = pd.Series(
        pd.to_numeric(article_scores[value], errors="coerce").astype("float64").to_numpy(),
        index=article_scores["doc_id"].astype("string"),
    )
    joined = pd.DataFrame({"group": groups.reindex(scores.index), "value": scores})
    usable = joined["group"].notna() & joined["value"].notna()
    rows = []
    for name, part in joined[usable].groupby("group", sort=True):
        mean, low, high = bootstrap_mean_ci(
            part["value"], n_boot=n_boot, confidence=confidence, seed=_group_seed(seed, name)
        )
        rows.append((str(name), len(part), mean, low, high))
    frame = pd.DataFrame(rows, columns=["group", "n_articles", "mean", "ci_low", "ci_high"])
    frame["n_articles"] = frame["n_articles"].astype("int64")
    frame.attrs["group_column"] = group_column
    frame.attrs["left_out"] = {
        "missing group": int(joined["group"].isna().sum()),
        "missing value": int((joined["group"].notna() & joined["value"].isna()).sum()),
    }
    return frame


def position_profile(
    sentences: pd.DataFrame,
    *,
    bins: int = 10,
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """The corpus-wide sentiment arc: mean sentence compound by relative position in the article.

    Sentences fall into ``bins`` equal slices of their article by ``position``
    (``(sentence_index + 0.5) / n_sentences``); the first slice holds the opening sentences.
    Returns ``bin, position_from, position_to, n_sentences, mean, ci_low, ci_high`` (bootstrap
    over sentences, fixed seed per bin). Empty bins have ``n_sentences`` 0 and NaN means.
    """
    missing = [c for c in ("position", "compound") if c not in sentences.columns]
    if missing:
        raise SentimentError(f"sentences lacks {missing}; pass the frame of sentence_sentiment.")
    if not isinstance(bins, int) or bins < 1:
        raise SentimentError(f"bins must be a positive integer, not {bins!r}.")
    position = sentences["position"].to_numpy(dtype="float64")
    compound = sentences["compound"].to_numpy(dtype="float64")
    which = np.minimum((position * bins).astype("int64"), bins - 1) if len(position) else position
    rows = []
    for b in range(bins):
        values = compound[which == b]
        mean, low, high = bootstrap_mean_ci(values, n_boot=n_boot, confidence=confidence,
                                            seed=[int(seed), b])
        rows.append((b + 1, b / bins, (b + 1) / bins, int(values.size), mean, low, high))
    return pd.DataFrame(rows, columns=["bin", "position_from", "position_to", "n_sentences",
                                       "mean", "ci_low", "ci_high"])


# ---------------------------------------------------------------------------------------------
# driving words


def _group_of_sentences(
    sentences: pd.DataFrame, corpus: pd.DataFrame | None, group_column: str | None
) -> pd.Series | None:
    if group_column is None:
        return None
    if corpus is None:
        raise SentimentError("Grouping needs the corpus frame (corpus=...).")
    groups = group_values(corpus, group_column)
    return pd.Series(
        groups.reindex(sentences["doc_id"].astype("string")).to_numpy(),
        index=sentences.index,
        dtype="string",
    )


def term_contributions(texts: Iterable[str]) -> pd.DataFrame:
    """Per lexicon term over ``texts``: ``term, lexicon_valence, occurrences, total_valence``.

    A term's valence in a sentence is the value VADER's rules give that token (negation flips
    it, boosters scale it); tokens with valence 0 are not counted. Sorted by term.
    """
    engine = get_engine("vader")
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    for position, text in enumerate(texts):
        for term, valence in engine.token_valences(_as_text(text, position)):
            if valence != 0:
                totals[term] = totals.get(term, 0.0) + valence
                counts[term] = counts.get(term, 0) + 1
    terms = sorted(totals)
    return pd.DataFrame(
        {
            "term": pd.array(terms, dtype="string"),
            "lexicon_valence": [engine.lexicon.get(t, np.nan) for t in terms],
            "occurrences": np.array([counts[t] for t in terms], dtype="int64"),
            "total_valence": np.array([totals[t] for t in terms], dtype="float64"),
        }
    )


def _add_valences(pairs, totals: dict, counts: dict) -> None:
    """Add ``(term, valence)`` pairs to the running totals and counts of one article."""
    for term, valence in pairs:
        totals[term] = totals.get(term, 0.0) + valence
        counts[term] = counts.get(term, 0) + 1


def _moves_no_score(neg: float, pos: float, text: str) -> bool:
    """Whether a sentence scored ``neg`` and ``pos`` (rounded to 3 decimals) can be known to have
    no token of nonzero valence without running the rules again.

    A token of nonzero valence adds more than 1 to the positive or negative sum of
    ``score_valence``, so both rounded shares are 0 only when there are at least 999 neutral
    tokens; a text of fewer than 1,000 characters without emoji (an emoji can become several
    words) has fewer tokens than that.
    """
    return neg == 0 and pos == 0 and len(text) < 1000 and \
        get_engine("vader")._emoji_chars.isdisjoint(text)


def article_tone_terms(sentences: pd.DataFrame) -> list[tuple[str, str, int, float]]:
    """``(doc_id, term, occurrences, total_valence)`` of every lexicon term in every article
    of ``sentences`` (the frame of :func:`sentence_sentiment`, with ``text``): the per-article
    part of :func:`driving_words` (summed over articles, :func:`term_contributions` of all the
    sentences). Articles in order of first appearance, terms sorted.

    Sentences whose ``neg`` and ``pos`` scores show that no token moved them are skipped (see
    :func:`_moves_no_score`); :func:`sentiment_tables` gives the same rows from the pass that
    scores the sentences, without a second pass.
    """
    engine = get_engine("vader")
    totals: dict[str, dict[str, float]] = {}
    counts: dict[str, dict[str, int]] = {}
    texts = sentences["text"].tolist()
    if "neg" in sentences.columns and "pos" in sentences.columns:
        silent = [_moves_no_score(neg, pos, text) if isinstance(text, str) else False
                  for neg, pos, text in zip(sentences["neg"].tolist(), sentences["pos"].tolist(),
                                            texts, strict=True)]
    else:
        silent = [False] * len(texts)
    for position, (doc_id, text, skip) in enumerate(zip(sentences["doc_id"].tolist(), texts,
                                                        silent, strict=True)):
        if doc_id not in totals:
            totals[doc_id], counts[doc_id] = {}, {}
        if skip:
            continue
        pairs = [(t, v) for t, v in engine.token_valences(_as_text(text, position)) if v != 0]
        _add_valences(pairs, totals[doc_id], counts[doc_id])
    return [(doc_id, term, counts[doc_id][term], doc_totals[term])
            for doc_id, doc_totals in totals.items() for term in sorted(doc_totals)]


class _Mean:
    """A running mean summed as pandas' grouped mean sums (Kahan compensation), so that the
    mean of each article's segments equals :func:`quoted_vs_authorial`'s to the last bit."""

    __slots__ = ("compensation", "count", "total")

    def __init__(self) -> None:
        self.total = 0.0
        self.compensation = 0.0
        self.count = 0

    def add(self, value: float) -> None:
        y = value - self.compensation
        t = self.total + y
        self.compensation = t - self.total - y
        if self.compensation != self.compensation:  # an infinite value: no compensation
            self.compensation = 0.0
        self.total = t
        self.count += 1

    def mean(self) -> float | None:
        return self.total / self.count if self.count else None


def _article_quote_tone(engine, text: str, sentence_rows, min_authorial_words: int):
    """``(n_quoted, quoted_compound, n_authorial, authorial_compound)`` of one article from its
    sentences' ``(start, end, compound)``, or ``None`` when it has no segment. A segment that
    scores as its whole sentence (:func:`_sentence_segments`) takes the sentence's compound."""
    quotes = _merge(quote_spans(text))
    quote_ends = [q_end for _, q_end in quotes]
    means = {"quoted": _Mean(), "authorial": _Mean()}
    for start, end, compound in sentence_rows:
        for kind, _s, _e, piece, whole in _sentence_segments(
                text, int(start), int(end), quotes, quote_ends, min_authorial_words):
            means[kind].add(compound if whole and compound is not None
                            else engine.score_tuple(piece)[3])
    quoted, authorial = means["quoted"], means["authorial"]
    if not quoted.count and not authorial.count:
        return None
    return (quoted.count, quoted.mean(), authorial.count, authorial.mean())


def article_quote_tone(corpus: pd.DataFrame, sentences: pd.DataFrame) -> list[tuple]:
    """``(doc_id, n_quoted, quoted_compound, n_authorial, authorial_compound)`` for every
    article of ``corpus`` having quoted or authorial segments (:func:`quote_segments` of its
    ``sentences``, summarised by :func:`quoted_vs_authorial`): the per-article part of the
    quoted-vs-authorial comparison. A missing mean is ``None``. Articles in order of first
    appearance in ``sentences``.

    The same numbers as those two functions, computed without their tables: an authorial
    segment that is its whole sentence (no quote in it) takes the sentence's ``compound`` from
    ``sentences`` (scored by the default engine, as :func:`sentence_sentiment` gives) instead of
    being scored again.
    """
    _check_corpus(corpus)
    engine = get_engine("vader")
    texts = dict(zip(corpus["doc_id"].astype("string").tolist(), corpus["text"].tolist(),
                     strict=True))
    compounds = (sentences["compound"].astype("float64").tolist() if "compound" in sentences
                 else [None] * len(sentences))
    by_doc: dict[str, list] = {}
    for doc_id, start, end, compound in zip(sentences["doc_id"].astype("string").tolist(),
                                            sentences["start"].tolist(),
                                            sentences["end"].tolist(), compounds, strict=True):
        by_doc.setdefault(doc_id, []).append((start, end, compound))
    rows = []
    for doc_id, sentence_rows in by_doc.items():
        tone = _article_quote_tone(engine, _as_text(texts[doc_id], doc_id), sentence_rows, 4)
        if tone is not None:
            rows.append((doc_id, *tone))
    return rows


class SentimentTables(NamedTuple):
    """What the pipeline's sentiment step keeps of a batch of articles (:func:`sentiment_tables`).

    ``sentences``: the frame of :func:`sentence_sentiment`; ``tone_terms``: the rows of
    :func:`article_tone_terms`; ``quote_tone``: the rows of :func:`article_quote_tone`.
    """

    sentences: pd.DataFrame
    tone_terms: list[tuple[str, str, int, float]]
    quote_tone: list[tuple]


def sentiment_tables(corpus: pd.DataFrame, *, min_authorial_words: int = 4) -> SentimentTables:
    """The sentences, tone terms and quoted/authorial tone of every article, in one pass.

    Equal to ``sentence_sentiment(corpus, cache=False, workers=1)``, then
    :func:`article_tone_terms` and :func:`article_quote_tone` of those sentences, but each
    sentence goes through VADER's rules once: the pass that scores it also gives its tokens'
    valences (:meth:`ExactVader.score_and_valences`), and an authorial segment that is its whole
    sentence takes the sentence's score. Always the default engine (``"vader"``); articles in
    languages VADER cannot read have no sentences, as in :func:`sentence_sentiment`.
    """
    _check_corpus(corpus)
    from utils.corpus.language import analysed_mask
    from utils.text import sentence_spans

    engine = get_engine("vader")
    doc_ids = corpus["doc_id"].astype("string").tolist()
    texts = [_as_text(t, doc) if ok else "" for doc, t, ok in
             zip(corpus["doc_id"], corpus["text"], analysed_mask(corpus), strict=True)]
    arrays, tone_terms, quote_tone = [], [], []
    for doc_id, text in zip(doc_ids, texts, strict=True):
        rows, totals, counts = [], {}, {}
        for start, end in sentence_spans(text):
            scores, pairs = engine.score_and_valences(text[start:end])
            rows.append((start, end, *scores))
            _add_valences(pairs, totals, counts)
        arrays.append(np.array(rows, dtype="float64").reshape(len(rows), 6))
        tone_terms.extend((doc_id, term, counts[term], totals[term]) for term in sorted(totals))
        if rows:
            tone = _article_quote_tone(engine, text, [(r[0], r[1], r[5]) for r in rows],
                                       min_authorial_words)
            if tone is not None:
                quote_tone.append((doc_id, *tone))
    return SentimentTables(_sentence_frame(corpus, texts, arrays, True), tone_terms, quote_tone)


#: Decimals of a term's total valence used to rank and tie terms (sums of the same valences
#: in another order differ in the last bits; a results store sums article by article).
RANK_DECIMALS = 9


def _top_terms(contributions: pd.DataFrame, top: int) -> pd.DataFrame:
    key = contributions.assign(_key=contributions["total_valence"].round(RANK_DECIMALS))
    positive = key[key["_key"] > 0].sort_values(
        ["_key", "term"], ascending=[False, True], kind="stable"
    ).head(top).drop(columns="_key")
    negative = key[key["_key"] < 0].sort_values(
        ["_key", "term"], ascending=[True, True], kind="stable"
    ).head(top).drop(columns="_key")
    parts = []
    for direction, part in (("positive", positive), ("negative", negative)):
        part = part.copy()
        part.insert(0, "rank", np.arange(1, len(part) + 1, dtype="int64"))
        part.insert(0, "direction", direction)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def driving_words(
    sentences: pd.DataFrame,
    corpus: pd.DataFrame | None = None,
    group_column: str | None = None,
    *,
    top: int = 10,
) -> pd.DataFrame:
    """The lexicon terms adding the most positive and the most negative valence.

    ``sentences`` is the frame of :func:`sentence_sentiment` (with its ``text`` column). With
    ``group_column`` (and ``corpus``) the ranking is made per group. Ties are broken
    alphabetically. Always computed with the exact VADER rules (engine ``"vader"``).
    """
    if "text" not in sentences.columns:
        raise SentimentError("sentences has no 'text' column; use sentence_sentiment(...) with "
                             "include_text=True.")
    if top < 1:
        raise SentimentError(f"top must be at least 1, not {top!r}.")
    groups = _group_of_sentences(sentences, corpus, group_column)
    if groups is None:
        return _top_terms(term_contributions(sentences["text"]), top)
    parts = []
    for name in sorted(groups.dropna().unique()):
        part = _top_terms(term_contributions(sentences.loc[groups == name, "text"]), top)
        part.insert(0, "group", name)
        parts.append(part)
    if not parts:
        columns = ["group", "direction", "rank", "term", "lexicon_valence", "occurrences",
                   "total_valence"]
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)


# ---------------------------------------------------------------------------------------------
# quoted versus authorial text

#: Opening and closing typographic double quotation marks, and neutral (straight) ones.
OPENING_QUOTES = frozenset("\u201c\u201e\u00ab")
CLOSING_QUOTES = frozenset("\u201d\u00bb")
NEUTRAL_QUOTES = frozenset('"\u201f\u2033')
_DROP_QUOTE_MARKS = str.maketrans(dict.fromkeys(OPENING_QUOTES | CLOSING_QUOTES | NEUTRAL_QUOTES,
                                                " "))
_QUOTE_MARKS = OPENING_QUOTES | CLOSING_QUOTES | NEUTRAL_QUOTES
_QUOTE_MARK_PATTERN = re.compile("[" + re.escape("".join(sorted(_QUOTE_MARKS))) + "]")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of text inside double quotation marks, the marks excluded, whitespace trimmed.

    Paragraph by paragraph (:func:`utils.text.paragraph_spans`): a typographic opening mark
    (“ „ «) opens a quote and a closing one (” ») closes it; straight quotes alternate, except
    that a straight quote glued to the end of a word with no quote open (12" pipes) is not an
    opening. A quote still open at the end of a paragraph ends there (news style: a quote running
    over several paragraphs repeats only the opening mark). A quote split around its attribution
    (“I am here,” he said, “to stay.”) gives two spans. Single quotes are not used (they are
    mostly apostrophes). Returns sorted, non-overlapping spans into ``text`` as given.
    """
    from utils.text import append_stripped_span, paragraph_spans

    if not isinstance(text, str) or _QUOTE_MARKS.isdisjoint(text):
        return []
    spans: list[tuple[int, int]] = []
    for para_start, para_end in paragraph_spans(text):
        opened: int | None = None
        # only the quotation marks change anything: visit them, not every character
        for match in _QUOTE_MARK_PATTERN.finditer(text, para_start, para_end):
            pos = match.start()
            char = text[pos]
            if char in OPENING_QUOTES:
                if opened is not None:
                    append_stripped_span(text, opened + 1, pos, spans)
                opened = pos
            elif char in CLOSING_QUOTES:
                if opened is not None:
                    append_stripped_span(text, opened + 1, pos, spans)
                    opened = None
            elif char in NEUTRAL_QUOTES:
                if opened is not None:
                    append_stripped_span(text, opened + 1, pos, spans)
                    opened = None
                elif not _glued_closer(text, pos, para_start, para_end):
                    opened = pos
        if opened is not None:
            append_stripped_span(text, opened + 1, para_end, spans)
    return spans


def _glued_closer(text: str, pos: int, para_start: int, para_end: int) -> bool:
    before = text[pos - 1] if pos > para_start else " "
    after = text[pos + 1] if pos + 1 < para_end else " "
    return before.isalnum() and not after.isalnum()


def _spans_by_doc(spans, doc_ids: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
    """Quote spans per article from a mapping or a frame (see :func:`quote_segments`)."""
    if isinstance(spans, pd.DataFrame):
        if "doc_id" not in spans.columns:
            raise SentimentError("spans frame has no 'doc_id' column.")
        if "content_spans" in spans.columns:  # pieces of attribution contents
            pieces = spans["content_spans"]
        else:
            for start_column, end_column in (("start", "end"), ("content_start", "content_end")):
                if start_column in spans.columns and end_column in spans.columns:
                    pieces = [[(s, e)] for s, e in zip(spans[start_column], spans[end_column],
                                                       strict=True)]
                    break
            else:
                raise SentimentError(
                    "spans frame needs doc_id with start/end, content_start/content_end or "
                    f"content_spans columns; columns found: {list(spans.columns)}."
                )
        by_doc: dict[str, list[tuple[int, int]]] = {}
        for doc, parts in zip(spans["doc_id"].astype(str), pieces, strict=True):
            by_doc.setdefault(doc, []).extend((int(s), int(e)) for s, e in parts)
        return {doc: by_doc.get(doc, []) for doc in doc_ids}
    if isinstance(spans, Mapping):
        return {doc: [(int(s), int(e)) for s, e in spans.get(doc, [])] for doc in doc_ids}
    raise SentimentError("spans must be a mapping doc_id -> [(start, end)] or a DataFrame with "
                         "doc_id and start/end (or content_start/content_end, content_spans).")


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans covering the non-empty ``spans`` (overlapping or touching spans
    are joined)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]



def _trim_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past whitespace and double quotation marks at its ends."""
    while start < end and (text[start].isspace() or text[start] in _QUOTE_MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _QUOTE_MARKS):
        end -= 1
    return start, end


def _split_sentence(
    text: str, start: int, end: int, quotes: list[tuple[int, int]], quote_ends: list[int]
):
    """Quoted pieces (clipped to the sentence) and the authorial remainder of one sentence.

    ``quotes`` are the article's sorted, disjoint quote spans (:func:`_merge`) and
    ``quote_ends`` their ends; only the quotes overlapping the sentence are visited (found by
    bisection), so splitting every sentence of an article is linear in its length and number
    of quotes, not their product.
    """
    quoted = []
    outside = []
    cursor = start
    # disjoint and sorted by start, so the ends are sorted too: the first quote ending after
    # the sentence start, then the following ones until one starts at or after its end
    for index in range(bisect.bisect_right(quote_ends, start), len(quotes)):
        q_start, q_end = quotes[index]
        if q_start >= end:
            break
        s, e = max(q_start, start), min(q_end, end)
        quoted.append((s, e))
        outside.append(text[cursor:s])
        cursor = e
    outside.append(text[cursor:end])
    remainder = " ".join(" ".join(outside).translate(_DROP_QUOTE_MARKS).split())
    return quoted, remainder


def _sentence_segments(text: str, start: int, end: int, quotes: list[tuple[int, int]],
                       quote_ends: list[int], min_authorial_words: int):
    """``(kind, start, end, text, whole)`` of each segment of one sentence (the rules of
    :func:`quote_segments`). ``whole`` is true for an authorial segment that VADER scores as
    the sentence itself: no quote in the sentence, and no quotation mark or emoji in its text,
    so the remainder differs from the sentence only by whitespace and splits into the same
    tokens (the same punctuation too)."""
    quoted, remainder = _split_sentence(text, start, end, quotes, quote_ends)
    for q_start, q_end in quoted:
        q_start, q_end = _trim_marks(text, q_start, q_end)
        piece = text[q_start:q_end]
        if any(ch.isalnum() for ch in piece):
            yield "quoted", q_start, q_end, piece, False
    if len(remainder.split()) >= min_authorial_words:
        sentence = text[start:end]
        whole = (not quoted and _QUOTE_MARKS.isdisjoint(sentence)
                 and get_engine("vader")._emoji_chars.isdisjoint(sentence))
        yield "authorial", start, end, remainder, whole


def quote_segments(
    corpus: pd.DataFrame,
    *,
    spans=None,
    sentences: pd.DataFrame | None = None,
    min_authorial_words: int = 4,
    engine: str = "vader",
) -> pd.DataFrame:
    """Each sentence split into quoted parts and its authorial remainder, each scored.

    Quoted segments are the parts of the sentence inside a quote span (a quote running over
    several sentences gives one segment per sentence, as VADER scores sentences). The authorial
    segment is the rest of the sentence, quote marks and quotes removed, kept when it has at least
    ``min_authorial_words`` words, so a bare attribution ("he said") is not counted as a neutral
    authorial sentence. Its ``start``/``end`` are those of the sentence. ``spans`` replaces the
    quotation-mark spans of :func:`quote_spans` (e.g. the content spans of attributions): a
    mapping ``doc_id -> [(start, end), ...]`` or a DataFrame with ``doc_id`` and ``start``/``end``,
    ``content_start``/``content_end`` or ``content_spans`` (lists of ``(start, end)`` pieces, as
    in the table of :func:`utils.attribution.corpus_attributions`). Quoted pieces are trimmed of
    quotation marks. The quote spans of each article are merged once and each sentence looks up
    only the quotes it overlaps, so the time grows linearly with the article's length.
    """
    _check_corpus(corpus)
    if sentences is None:
        sentences = sentence_sentiment(corpus, engine=engine, include_text=False)
    doc_ids = corpus["doc_id"].astype("string").tolist()
    texts = dict(zip(doc_ids, corpus["text"].tolist(), strict=True))
    if spans is None:
        by_doc = {doc: quote_spans(texts[doc]) for doc in doc_ids}
    else:
        by_doc = _spans_by_doc(spans, doc_ids)
    merged: dict[str, tuple[list[tuple[int, int]], list[int]]] = {}
    for doc, doc_spans in by_doc.items():
        quotes = _merge(doc_spans)
        merged[doc] = (quotes, [q_end for _, q_end in quotes])
    rows = []
    for doc, index, start, end in zip(
        sentences["doc_id"].astype("string"), sentences["sentence_index"], sentences["start"],
        sentences["end"], strict=True,
    ):
        for kind, s, e, piece, _whole in _sentence_segments(
                texts[doc], int(start), int(end), *merged[doc], min_authorial_words):
            rows.append((doc, int(index), kind, s, e, piece))
    frame = pd.DataFrame(rows, columns=["doc_id", "sentence_index", "kind", "start", "end", "text"])
    frame = frame.astype({"doc_id": "string", "sentence_index": "int64", "kind": "string",
                          "start": "int64", "end": "int64"})
    scores = score_sentences(frame["text"].tolist(), engine=engine)
    for column in SCORE_COLUMNS:
        frame[column] = scores[column].to_numpy()
    return frame


def quoted_vs_authorial(
    segments: pd.DataFrame,
    corpus: pd.DataFrame | None = None,
    group_column: str | None = None,
    *,
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Compare quoted and authorial sentiment per article, or per group with bootstrap CIs.

    Without ``group_column``: one row per article having segments (``doc_id, n_quoted,
    quoted_compound, n_authorial, authorial_compound, difference``; means of segment compounds,
    ``<NA>`` when an article has no segment of a kind). With ``group_column`` (and ``corpus``):
    ``group, kind, n_articles, mean, ci_low, ci_high`` where ``mean`` averages the per-article
    means (each article counts once) and the interval is a bootstrap over articles. Groups sorted
    alphabetically, ``authorial`` before ``quoted``.
    """
    missing = [c for c in ("doc_id", "kind", "compound") if c not in segments.columns]
    if missing:
        raise SentimentError(f"segments lacks {missing}; pass the frame of quote_segments.")
    doc = segments["doc_id"].astype("string")
    per_kind = segments.groupby([doc, segments["kind"].astype("string")], sort=True)["compound"]
    stats = per_kind.agg(["size", "mean"]).unstack("kind")
    order = list(dict.fromkeys(doc.tolist()))
    article = pd.DataFrame({"doc_id": pd.array(order, dtype="string")})
    for kind in ("quoted", "authorial"):
        if ("size", kind) in stats.columns:
            sizes = stats[("size", kind)].reindex(order).fillna(0).to_numpy()
            means = stats[("mean", kind)].reindex(order).to_numpy(dtype="float64")
        else:
            sizes = np.zeros(len(order))
            means = np.full(len(order), np.nan)
        article[f"n_{kind}"] = sizes.astype("int64")
        article[f"{kind}_compound"] = pd.array(means, dtype="Float64")
    article["difference"] = article["quoted_compound"] - article["authorial_compound"]
    if group_column is None:
        return article
    if corpus is None:
        raise SentimentError("Grouping needs the corpus frame (corpus=...).")
    groups = group_values(corpus, group_column).reindex(article["doc_id"]).to_numpy()
    rows = []
    for name in sorted({g for g in groups if not pd.isna(g)}):
        # articles without a group value (<NA>) belong to no group
        in_group = article[np.array([not pd.isna(g) and g == name for g in groups], dtype=bool)]
        for kind in ("authorial", "quoted"):
            values = in_group[f"{kind}_compound"].dropna().astype("float64")
            mean, low, high = bootstrap_mean_ci(
                values, n_boot=n_boot, confidence=confidence,
                seed=_group_seed(seed, f"{name}\0{kind}"),
            )
            rows.append((str(name), kind, len(values), mean, low, high))
    return pd.DataFrame(rows, columns=["group", "kind", "n_articles", "mean", "ci_low", "ci_high"])


def summarise_quoted_vs_authorial(
    per_article: pd.DataFrame, *, n_boot: int = 2000, confidence: float = 0.95, seed: int = 0
) -> pd.DataFrame:
    """Corpus-wide comparison from the per-article table of :func:`quoted_vs_authorial`.

    Rows ``authorial``, ``quoted`` (mean over articles having that kind of text) and
    ``quoted - authorial`` (mean paired difference over articles having both), with
    ``n_articles, mean, ci_low, ci_high`` (bootstrap over articles, fixed seed).
    """
    missing = [c for c in ("quoted_compound", "authorial_compound", "difference")
               if c not in per_article.columns]
    if missing:
        raise SentimentError(f"per_article lacks {missing}; pass quoted_vs_authorial(segments).")
    rows = []
    for label, column in (("authorial", "authorial_compound"), ("quoted", "quoted_compound"),
                          ("quoted - authorial", "difference")):
        values = per_article[column].dropna().astype("float64")
        mean, low, high = bootstrap_mean_ci(values, n_boot=n_boot, confidence=confidence,
                                            seed=_group_seed(seed, label))
        rows.append((label, len(values), mean, low, high))
    return pd.DataFrame(rows, columns=["kind", "n_articles", "mean", "ci_low", "ci_high"])


def sentiment_summary(values, *, threshold: float = NEUTRAL_THRESHOLD) -> pd.DataFrame:
    """One row describing compound scores: ``n, mean, median, sd, share_negative,
    share_neutral, share_positive`` (shares by the +/-``threshold`` rule); missing values are
    left out and counted in ``n_missing``."""
    series = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").astype("float64")
    present = series.dropna()
    n = len(present)
    return pd.DataFrame(
        [
            {
                "n": n,
                "n_missing": int(series.isna().sum()),
                "mean": float(present.mean()) if n else math.nan,
                "median": float(present.median()) if n else math.nan,
                "sd": float(present.std()) if n > 1 else math.nan,
                "share_negative": float((present <= -threshold).mean()) if n else math.nan,
                "share_neutral": float(present.abs().lt(threshold).mean()) if n else math.nan,
                "share_positive": float((present >= threshold).mean()) if n else math.nan,
            }
        ]
    )


def histogram_edges(bins: int = 40) -> np.ndarray:
    """The ``bins + 1`` edges of :func:`compound_histogram`: equal slices of [-1, 1]."""
    if not isinstance(bins, int | np.integer) or bins < 1:
        raise SentimentError(f"bins must be a positive whole number, not {bins!r}.")
    return np.linspace(-1.0, 1.0, int(bins) + 1)


def compound_histogram(values, *, bins: int = 40) -> pd.DataFrame:
    """How many compound scores fall in each of ``bins`` equal slices of [-1, 1]:
    ``bin`` (1 = the most negative slice), ``bin_from``, ``bin_to`` and ``count``, every slice
    listed (counts of 0 too). Slices hold their lower edge, the last one also 1.0, as
    :func:`numpy.histogram` counts; missing values are left out."""
    edges = histogram_edges(bins)
    series = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").astype("float64")
    counts, _ = np.histogram(series.dropna().to_numpy(), bins=edges)
    return _histogram_frame(edges, counts)


def _histogram_frame(edges: np.ndarray, counts) -> pd.DataFrame:
    return pd.DataFrame({"bin": np.arange(1, len(edges), dtype="int64"),
                         "bin_from": edges[:-1], "bin_to": edges[1:],
                         "count": np.asarray(counts, dtype="int64")})


# ---------------------------------------------------------------------------------------------
# validation against human ratings

_CLASSES = ("negative", "neutral", "positive")


def _classes(values: np.ndarray, threshold: float) -> np.ndarray:
    return np.where(values >= threshold, 2, np.where(values <= -threshold, 0, 1))


def _paired(compound, human_mean) -> tuple[np.ndarray, np.ndarray]:
    c = np.asarray(compound, dtype="float64")
    h = np.asarray(human_mean, dtype="float64")
    if c.shape != h.shape or c.ndim != 1:
        raise SentimentError(f"compound and human_mean must be two lists of the same length "
                             f"(got {c.shape} and {h.shape}).")
    keep = ~(np.isnan(c) | np.isnan(h))
    return c[keep], h[keep]


def class_report(compound, human_mean, *, threshold: float = NEUTRAL_THRESHOLD) -> pd.DataFrame:
    """Per-class ``precision, recall, f1, support`` of the VADER paper's 3-class scheme.

    Gold class: the sign of the human mean rating (0 is neutral). Predicted class: compound
    >= ``threshold`` positive, <= ``-threshold`` negative, else neutral. A class never predicted
    has precision 0 (and F1 0).
    """
    c, h = _paired(compound, human_mean)
    gold = np.sign(h).astype(int) + 1
    predicted = _classes(c, threshold)
    rows = []
    for k, name in enumerate(_CLASSES):
        tp = int(((predicted == k) & (gold == k)).sum())
        n_pred = int((predicted == k).sum())
        support = int((gold == k).sum())
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append((name, precision, recall, f1, support))
    return pd.DataFrame(rows, columns=["class", "precision", "recall", "f1", "support"])


def validation_metrics(
    compound, human_mean, *, threshold: float = NEUTRAL_THRESHOLD
) -> pd.DataFrame:
    """One row: ``n, pearson_r, precision, recall, f1`` (support-weighted over the three
    classes, as in the VADER paper), ``macro_f1`` and ``accuracy``. Pairs with a NaN are
    dropped; fewer than two pairs (or a constant series) give NaN for r."""
    c, h = _paired(compound, human_mean)
    report = class_report(c, h, threshold=threshold)
    support = report["support"].to_numpy()
    total = support.sum()

    def weighted(column: str) -> float:
        return float((report[column] * support).sum() / total) if total else math.nan

    if len(c) >= 2 and c.std() > 0 and h.std() > 0:
        r = float(np.corrcoef(c, h)[0, 1])
    else:
        r = math.nan
    accuracy = float((_classes(c, threshold) == np.sign(h).astype(int) + 1).mean()) if len(c) \
        else math.nan
    return pd.DataFrame(
        [
            {
                "n": int(len(c)),
                "pearson_r": r,
                "precision": weighted("precision"),
                "recall": weighted("recall"),
                "f1": weighted("f1"),
                "macro_f1": float(report["f1"].mean()),
                "accuracy": accuracy,
            }
        ]
    )


def human_ceiling(ratings) -> float:
    """Mean Pearson r between each rater's column of ratings and the mean rating (the VADER
    paper's "individual human raters" figure, r = 0.745 for the NYT snippets).

    ``ratings`` is a sequence of equally long lists of ratings (the ``ratings`` column of
    :func:`utils.corpus.load_vader_ratings`).
    """
    lengths = {len(r) for r in ratings}
    if len(lengths) != 1:
        raise SentimentError("Every snippet needs the same number of ratings.")
    matrix = np.asarray(list(ratings), dtype="float64")
    if matrix.shape[0] < 2:
        return math.nan
    mean = matrix.mean(axis=1)
    return float(np.mean([np.corrcoef(matrix[:, k], mean)[0, 1] for k in range(matrix.shape[1])]))


def nyt_validation(*, engine: str = "vader") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score the VADER paper's 5,190 NYT editorial snippets and compare with human ratings.

    Returns ``(snippets, metrics)``: the snippets (``snippet_id, editorial_id, text, human_mean,
    compound``) and :func:`validation_metrics` plus a ``human_ceiling`` column.
    """
    from utils.corpus import load_nyt_sentences

    snippets = load_nyt_sentences()
    scores = score_sentences(snippets["text"].tolist(), engine=engine)
    snippets = snippets[["snippet_id", "editorial_id", "text", "human_mean", "ratings"]].copy()
    snippets["compound"] = scores["compound"].to_numpy()
    metrics = validation_metrics(snippets["compound"], snippets["human_mean"])
    metrics["human_ceiling"] = human_ceiling(snippets["ratings"].tolist())
    return snippets.drop(columns="ratings"), metrics
