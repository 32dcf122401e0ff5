"""Labelled plots shared by the notebooks.

Every function draws on a given (or new) matplotlib ``Axes``, sets a title and axis labels,
and returns the ``Axes``. Notebooks end plot cells with ``;`` so only the figure is stored.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd


def _axes(ax=None, figsize=None):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_histogram(values, *, title: str, xlabel: str, ylabel: str = "articles", bins: int = 40,
                   log_x: bool = False, ax=None):
    """Histogram of ``values`` with a dashed line at the median (named in the legend)."""
    ax = _axes(ax)
    series = pd.Series(values).dropna()
    if series.empty:
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
    else:
        if log_x:
            import numpy as np

            positive = series[series > 0]
            edges = np.logspace(np.log10(positive.min()), np.log10(positive.max() + 1), bins)
            ax.hist(positive, bins=edges, color="#4c72b0")
            ax.set_xscale("log")
        else:
            ax.hist(series, bins=bins, color="#4c72b0")
        median = float(series.median())
        ax.axvline(median, color="#c44e52", linestyle="--", label=f"median {median:,.0f}")
        ax.legend()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def plot_bar(table: pd.DataFrame, *, label_column: str, value_column: str, title: str,
             xlabel: str, ylabel: str | None = None, top: int | None = 20, ax=None):
    """Horizontal bar chart of ``value_column`` per ``label_column`` (first row on top)."""
    data = table.head(top) if top else table
    ax = _axes(ax, figsize=(8.0, max(2.5, 0.3 * len(data) + 1.0)))
    labels = data[label_column].astype(str).tolist()[::-1]
    ax.barh(labels, data[value_column].tolist()[::-1], color="#4c72b0")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel if ylabel is not None else label_column)
    return ax


def plot_line(table: pd.DataFrame, *, x: str, y: str, title: str, xlabel: str, ylabel: str,
              ax=None, max_ticks: int = 12):
    """Line chart of ``y`` over ``x`` with at most ``max_ticks`` labelled x ticks."""
    ax = _axes(ax)
    positions = range(len(table))
    ax.plot(list(positions), table[y].tolist(), marker="o", markersize=3, color="#4c72b0")
    step = max(1, len(table) // max_ticks)
    ticks = list(positions)[::step]
    ax.set_xticks(ticks)
    ax.set_xticklabels([str(table[x].iloc[i]) for i in ticks], rotation=45, ha="right")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax
