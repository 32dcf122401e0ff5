"""Validation against human ratings (the VADER paper's three-class scheme)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from utils.sentiment.scoring import NEUTRAL_THRESHOLD, SentimentError, score_sentences

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
