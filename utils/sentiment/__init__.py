"""Sentiment with VADER at sentence, article and group level, validated against human ratings.

Every score of the default engine is exactly what the reference implementation
``vaderSentiment==3.3.2`` (``SentimentIntensityAnalyzer().polarity_scores``) gives for the same
text. Four engines:

- ``"vader"`` (default): :class:`ExactVader`, a re-implementation of the reference's rules that
  lower-cases each sentence once instead of once per rule and skips the character-by-character
  emoji scan when a text holds no emoji (the reference is quadratic in sentence length). It is a
  subclass of the reference analyzer and re-uses its lexicon, constants and punctuation
  emphasis; its quadratic "but" rule is re-done in O(n log n) (:func:`but_check`). Its scores
  are tested to be identical to the reference on the four data sets of the VADER paper (about
  23,700 texts), on edge cases and on random text.
- ``"reference"``: ``vaderSentiment``'s own analyzer, unchanged (slow; for checks).
- ``"news"``: the news scorer (:mod:`~utils.sentiment.news`), a logistic model trained on
  NewsMTSC news sentences blended with VADER's compound; same columns, compound in [-1, 1].
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
``target_sentiment(items)`` -> DataFrame ``compound, label, p_negative, p_neutral, p_positive``
    (one row per ``(text, start, end)`` mention, in order): the tone of the sentence toward the
    person mentioned at ``text[start:end]``, by a linear model trained on NewsMTSC
    (:mod:`~utils.sentiment.targets`); ``text`` may be a passage (its sentence holding the
    mention is used).
``validation_metrics(compound, human_mean, *, threshold=0.05)`` -> one-row DataFrame ``n,
    pearson_r, precision, recall, f1, macro_f1, accuracy`` (the VADER paper's 3-class scheme).
``class_report(compound, human_mean, *, threshold=0.05)`` -> per-class precision/recall/F1.
``human_ceiling(ratings)`` -> mean correlation of an individual rater with the mean rating.
``nyt_validation(*, engine="vader")`` -> (snippets with ``compound``, metrics) on the 5,190
    human-rated NYT editorial snippets of the VADER paper.
``engine_validation(*, engines=("vader", "nltk", "news"), targets=True, n_boot=1000, seed=0)``
    -> ``dataset, role, engine, unit, n, pearson_r[, _low, _high], macro_f1[, _low, _high],
    note``: every engine (and target tone) on the NYT snippets and NewsMTSC devtest_mt and
    train, with clustered percentile-bootstrap intervals (NewsMTSC skipped when absent).

Helpers also public: ``get_engine(name)`` (the cached analyzer; ``ExactVader.token_valences``,
``.score_tuple`` and ``.score_and_valences``, both from one pass of the rules), ``but_check``,
``SentimentCache``, ``article_key``, ``scorer_version``, ``bootstrap_mean_ci`` (the histogram
bootstrap of :mod:`utils.tables.resampling`), ``group_values``, ``usable_group_columns``,
``term_contributions``, ``histogram_edges``, ``available_cores``, ``default_workers``. Errors
on bad input are :class:`SentimentError` (a ``ValueError``) with a message saying what to pass
instead. Plots of these results: :mod:`utils.sentiment.plots`.

The package, one subject a module: :mod:`~utils.sentiment.vader` (exact VADER),
:mod:`~utils.sentiment.scoring` (the engines and ``score_sentences``),
:mod:`~utils.sentiment.articles` (sentence and article tables, the cache),
:mod:`~utils.sentiment.groups` (group means, bootstrap, the arc), :mod:`~utils.sentiment.terms`
(driving words), :mod:`~utils.sentiment.quotes` (quoted against authorial text),
:mod:`~utils.sentiment.tables` (the pipeline's one pass), :mod:`~utils.sentiment.summary`
(summaries and histograms), :mod:`~utils.sentiment.validation` (human ratings) and
:mod:`~utils.sentiment.plots`. Everything public is importable from ``utils.sentiment``.
"""

from utils.sentiment.articles import (  # noqa: F401
    SentimentCache,
    article_key,
    article_sentiment,
    scorer_version,
    sentence_sentiment,
)
from utils.sentiment.groups import (  # noqa: F401
    _group_seed,
    bootstrap_mean_ci,
    group_sentiment,
    group_values,
    position_profile,
    usable_group_columns,
)
from utils.sentiment.quotes import (  # noqa: F401
    _QUOTE_MARKS,
    CLOSING_QUOTES,
    NEUTRAL_QUOTES,
    OPENING_QUOTES,
    article_quote_tone,
    quote_segments,
    quote_spans,
    quoted_vs_authorial,
    summarise_quoted_vs_authorial,
)
from utils.sentiment.scoring import (  # noqa: F401
    ENGINES,
    NEUTRAL_THRESHOLD,
    SCORE_COLUMNS,
    SCORER_REVISION,
    SentimentError,
    available_cores,
    default_workers,
    get_engine,
    score_sentences,
    score_text,
)
from utils.sentiment.summary import (  # noqa: F401
    _histogram_frame,
    compound_histogram,
    histogram_edges,
    sentiment_summary,
)
from utils.sentiment.tables import (  # noqa: F401
    SentimentTables,
    sentiment_tables,
)
from utils.sentiment.targets import (  # noqa: F401
    TARGET_COLUMNS,
    mention_sentence,
    target_features,
    target_sentiment,
)
from utils.sentiment.terms import (  # noqa: F401
    RANK_DECIMALS,
    _top_terms,
    article_tone_terms,
    driving_words,
    term_contributions,
)
from utils.sentiment.vader import ExactVader, but_check  # noqa: F401
from utils.sentiment.validation import (  # noqa: F401
    ENGINE_VALIDATION_COLUMNS,
    class_report,
    clustered_bootstrap_weights,
    engine_validation,
    human_ceiling,
    nyt_validation,
    validation_metrics,
)
