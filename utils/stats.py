"""Corpus statistics: size, article lengths, articles per group and per month.

All counts come from the project's tokenization (:mod:`utils.text`): a *word* is a token that
holds a letter or digit, a *sentence* is a Punkt sentence split paragraph by paragraph.
"""

from __future__ import annotations

import pandas as pd

from utils.text import is_word, sentence_spans, tokenize_words


def article_lengths(corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per article: ``doc_id``, ``characters``, ``sentences``, ``words``.

    Articles the analyses do not read (another language than English,
    :mod:`utils.corpus.language`) have missing ``sentences`` and ``words``, as in the results
    store's ``articles`` table; their ``characters`` are counted."""
    from utils.corpus.language import analysed_mask

    rows = []
    for doc_id, text, analysed in zip(corpus["doc_id"], corpus["text"], analysed_mask(corpus),
                                      strict=True):
        if not analysed:
            rows.append((doc_id, len(text), pd.NA, pd.NA))
            continue
        spans = sentence_spans(text)
        words = sum(
            1 for start, end in spans for token in tokenize_words(text[start:end]) if is_word(token)
        )
        rows.append((doc_id, len(text), len(spans), words))
    frame = pd.DataFrame(rows, columns=["doc_id", "characters", "sentences", "words"])
    return frame.astype({"characters": "int64", "sentences": "Int64", "words": "Int64"})


def corpus_overview(corpus: pd.DataFrame, lengths: pd.DataFrame | None = None) -> pd.DataFrame:
    """Headline figures of a corpus as a (measure, value) table.

    Articles, words, sentences, characters, words per article (mean, median, min, max), how
    many articles have a title, a source, a date and a label, and how many are not analysed
    (another language: their words and sentences are not counted, and the words per article
    are those of the analysed articles). Pass ``lengths`` (from :func:`article_lengths`) to
    avoid tokenizing twice.
    """
    if lengths is None:
        lengths = article_lengths(corpus)
    n = len(corpus)
    words = lengths["words"].dropna()
    analysed = len(words)
    rows = [
        ("articles", n),
        ("words", int(words.sum())),
        ("sentences", int(lengths["sentences"].sum())),
        ("characters", int(lengths["characters"].sum())),
        ("words per article, mean", round(float(words.mean()), 1) if analysed else 0.0),
        ("words per article, median", float(words.median()) if analysed else 0.0),
        ("words per article, min", int(words.min()) if analysed else 0),
        ("words per article, max", int(words.max()) if analysed else 0),
    ]
    for column in ("title", "source", "date", "label"):
        known = int(corpus[column].notna().sum()) if column in corpus else 0
        rows.append((f"articles with a {column}", known))
    rows.append(("articles not analysed (not English)", n - analysed))
    return pd.DataFrame(
        {"measure": [m for m, _ in rows], "value": pd.Series([v for _, v in rows], dtype=object)}
    )


def articles_per(corpus: pd.DataFrame, column: str) -> pd.DataFrame:
    """Articles per value of ``column`` (most first, ties alphabetical), with their share.

    Missing values are counted as ``"(missing)"``. Raises ``KeyError`` naming the columns when
    ``column`` is absent.
    """
    if column not in corpus:
        raise KeyError(f"No column {column!r}; columns are {list(corpus.columns)}")
    values = corpus[column].astype("string").fillna("(missing)")
    counts = values.value_counts(dropna=False).rename_axis(column).reset_index(name="articles")
    counts = counts.sort_values(["articles", column], ascending=[False, True], kind="stable")
    total = counts["articles"].sum()
    counts["share"] = (counts["articles"] / total).round(3) if total else 0.0
    return counts.reset_index(drop=True)


def articles_per_month(corpus: pd.DataFrame) -> pd.DataFrame:
    """Articles per calendar month (``month`` as ``YYYY-MM``), months without articles
    included as zero between the first and the last; empty when no article has a date."""
    dates = pd.to_datetime(corpus["date"], errors="coerce").dropna()
    if dates.empty:
        return pd.DataFrame({"month": pd.Series(dtype="string"), "articles": pd.Series(dtype=int)})
    months = dates.dt.to_period("M")
    counts = months.value_counts().sort_index()
    full = pd.period_range(counts.index.min(), counts.index.max(), freq="M")
    counts = counts.reindex(full, fill_value=0)
    return pd.DataFrame({"month": full.astype(str), "articles": counts.to_numpy(dtype=int)})


def has_metadata(corpus: pd.DataFrame, column: str) -> bool:
    """True when ``column`` exists and at least one article has a value in it."""
    return column in corpus and bool(corpus[column].notna().any())
