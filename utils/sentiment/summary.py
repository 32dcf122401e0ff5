"""Summaries of compound scores: one-row descriptions and histograms."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from utils.sentiment.scoring import NEUTRAL_THRESHOLD, SentimentError


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
