"""Plots of :mod:`utils.sentiment` results for the sentiment notebook.

Every function draws on a given (or new) matplotlib ``Axes``, sets a title and axis labels and
returns the ``Axes``. Missing values are never plotted silently: they are left out and their
number is written in the legend or title; an empty input draws a "no data" note.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from utils.sentiment.scoring import NEUTRAL_THRESHOLD, SentimentError
from utils.sentiment.summary import compound_histogram

POSITIVE_COLOUR = "#55a868"
NEGATIVE_COLOUR = "#c44e52"
NEUTRAL_COLOUR = "#4c72b0"


def _axes(ax=None, figsize=None):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _no_data(ax) -> None:
    ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)


def _finite(values) -> tuple[np.ndarray, int]:
    series = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").astype("float64")
    return series.dropna().to_numpy(), int(series.isna().sum())


def _note_left_out(ax, count: int, what: str) -> None:
    if count:
        ax.plot([], [], " ", label=f"{count} {what} left out")
        ax.legend(loc="best", fontsize="small")


def plot_compound_histogram(values, *, title: str, ylabel: str = "sentences", bins: int = 40,
                            ax=None):
    """Histogram of compound scores over [-1, 1] with the neutral band and the mean marked
    (:func:`plot_compound_counts` of :func:`utils.sentiment.compound_histogram`)."""
    data, n_missing = _finite(values)
    return plot_compound_counts(compound_histogram(data, bins=bins),
                                mean=float(data.mean()) if data.size else None,
                                n_missing=n_missing, title=title, ylabel=ylabel, ax=ax)


def plot_compound_counts(histogram: pd.DataFrame, *, title: str, ylabel: str = "sentences",
                         mean: float | None = None, n_missing: int = 0, ax=None):
    """The histogram of compound scores already counted (``bin_from, bin_to, count``: the
    table of :func:`utils.sentiment.compound_histogram`, or of
    :func:`utils.tables.tone.compound_histogram` from a results store), with the neutral band
    and, when given, the ``mean``; ``n_missing`` scores left out are said in the legend."""
    ax = _axes(ax)
    counts = histogram["count"].to_numpy(dtype="int64") if len(histogram) else np.array([])
    if counts.sum() == 0:
        _no_data(ax)
    else:
        left = histogram["bin_from"].to_numpy(dtype="float64")
        width = histogram["bin_to"].to_numpy(dtype="float64") - left
        ax.bar(left, counts, width=width, align="edge", color=NEUTRAL_COLOUR)
        ax.axvspan(-NEUTRAL_THRESHOLD, NEUTRAL_THRESHOLD, color="grey", alpha=0.2,
                   label=f"neutral band (|compound| < {NEUTRAL_THRESHOLD})")
        if mean is not None and not np.isnan(mean):
            ax.axvline(mean, color=NEGATIVE_COLOUR, linestyle="--", label=f"mean {mean:.3f}")
        if n_missing:
            ax.plot([], [], " ", label=f"{n_missing} without a score left out")
        ax.legend(loc="upper left", fontsize="small")
    ax.set_xlim(-1.05, 1.05)
    ax.set_title(title)
    ax.set_xlabel("VADER compound score")
    ax.set_ylabel(ylabel)
    return ax


def plot_sentiment_arc(sentences: pd.DataFrame, doc_id: str, *, title: str | None = None,
                       window: int = 3, ax=None):
    """Compound score of each sentence of one article in reading order, with a rolling mean."""
    part = sentences[sentences["doc_id"].astype("string") == str(doc_id)]
    if part.empty:
        raise SentimentError(f"No sentence of article {doc_id!r} in the sentence frame.")
    part = part.sort_values("sentence_index")
    ax = _axes(ax)
    x = part["sentence_index"].to_numpy() + 1
    y = part["compound"].to_numpy(dtype="float64")
    colours = [POSITIVE_COLOUR if v >= NEUTRAL_THRESHOLD else NEGATIVE_COLOUR
               if v <= -NEUTRAL_THRESHOLD else "grey" for v in y]
    ax.bar(x, y, color=colours, alpha=0.6, label="sentence compound")
    smooth = pd.Series(y).rolling(window, center=True, min_periods=1).mean()
    ax.plot(x, smooth, color="black", marker="o", markersize=3,
            label=f"rolling mean ({window} sentences)")
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_ylim(-1.05, 1.05)
    ax.set_title(title or f"Sentiment arc of article {doc_id}")
    ax.set_xlabel("sentence number")
    ax.set_ylabel("VADER compound score")
    ax.legend(loc="lower left", fontsize="small")
    return ax


def plot_interval_means(table: pd.DataFrame, *, label_column: str, title: str, xlabel: str,
                        ylabel: str, ax=None):
    """Means with their confidence intervals (``mean, ci_low, ci_high``), one row per label,
    with a line at 0 (the table of :func:`utils.sentiment.group_sentiment`); drawn by
    :func:`utils.plots.plot_intervals`, which counts rows without a mean in the legend."""
    from utils.plots import plot_intervals

    return plot_intervals(table, group=label_column, mean="mean", low="ci_low", high="ci_high",
                          title=title, xlabel=xlabel, ylabel=ylabel, reference=0.0, ax=ax)


def plot_driving_words(words: pd.DataFrame, *, title: str, ax=None):
    """Bars of the net valence the top positive and negative terms add (``driving_words``)."""
    data = pd.concat(
        [words[words["direction"] == "negative"].iloc[::-1],
         words[words["direction"] == "positive"]]
    )
    ax = _axes(ax, figsize=(8.0, max(2.5, 0.28 * len(data) + 1.2)))
    if data.empty:
        _no_data(ax)
    else:
        values = data["total_valence"].to_numpy(dtype="float64")
        colours = [POSITIVE_COLOUR if v > 0 else NEGATIVE_COLOUR for v in values]
        y = np.arange(len(data))
        ax.barh(y, values, color=colours)
        ax.set_yticks(y, data["term"].astype(str).tolist())
        ax.axvline(0, color="grey", linewidth=0.8)
    ax.set_title(title)
    ax.set_xlabel("summed valence after VADER's rules")
    ax.set_ylabel("lexicon term")
    return ax


def plot_validation_scatter(snippets: pd.DataFrame, metrics: pd.DataFrame, *, title: str,
                            ax=None):
    """Human mean rating against VADER compound, one point per snippet; r and F1 in the legend."""
    ax = _axes(ax, figsize=(6.5, 5.0))
    data = snippets.dropna(subset=["human_mean", "compound"])
    if data.empty:
        _no_data(ax)
    else:
        row = metrics.iloc[0]
        ax.scatter(data["human_mean"], data["compound"], s=4, alpha=0.25, color=NEUTRAL_COLOUR,
                   label=f"{len(data):,} snippets: r = {row['pearson_r']:.3f}, "
                         f"weighted F1 = {row['f1']:.3f}")
        ax.axhspan(-NEUTRAL_THRESHOLD, NEUTRAL_THRESHOLD, color="grey", alpha=0.2)
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.legend(loc="upper left", fontsize="small")
    ax.set_title(title)
    ax.set_xlabel("human mean rating (-4 to 4)")
    ax.set_ylabel("VADER compound score")
    return ax


def plot_position_profile(profile: pd.DataFrame, *, title: str, ax=None):
    """Mean sentence compound by relative position in the article, with its intervals."""
    ax = _axes(ax)
    data = profile.dropna(subset=["mean"])
    if data.empty:
        _no_data(ax)
    else:
        middle = (data["position_from"] + data["position_to"]).to_numpy(dtype="float64") / 2
        ax.plot(middle, data["mean"], color=NEUTRAL_COLOUR, marker="o", label="mean compound")
        ax.fill_between(middle, data["ci_low"], data["ci_high"], color=NEUTRAL_COLOUR, alpha=0.2,
                        label="95% bootstrap interval")
        ax.axhline(0, color="grey", linewidth=0.8)
        if len(data) < len(profile):
            ax.plot([], [], " ", label=f"{len(profile) - len(data)} empty slices left out")
        ax.legend(loc="best", fontsize="small")
    ax.set_xlim(0, 1)
    ax.set_title(title)
    ax.set_xlabel("relative position in the article (0 = first sentence, 1 = last)")
    ax.set_ylabel("mean sentence compound")
    return ax
