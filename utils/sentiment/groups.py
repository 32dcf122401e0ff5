"""Group means with bootstrap intervals, and the sentiment arc through an article."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from utils.sentiment.articles import _check_corpus
from utils.sentiment.scoring import SentimentError


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
