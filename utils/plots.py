"""Labelled plots shared by the notebooks.

Every function draws on a given (or new) matplotlib ``Axes``, sets a title and axis labels,
and returns the ``Axes``. Notebooks end plot cells with ``;`` so only the figure is stored.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
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
        _median_line(ax, float(series.median()))
    return _labelled(ax, title, xlabel, ylabel)


def _median_line(ax, median: float) -> None:
    ax.axvline(median, color="#c44e52", linestyle="--", label=f"median {median:,.0f}")
    ax.legend()


def _labelled(ax, title: str, xlabel: str, ylabel: str):
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def plot_binned_histogram(table: pd.DataFrame, *, title: str, xlabel: str,
                          ylabel: str = "articles", ax=None):
    """Histogram of values already counted in bins (``bin_start, bin_end, articles``, e.g.
    :func:`utils.tables.overview.length_histogram`), drawn as :func:`plot_histogram` draws the
    values themselves, with a dashed line at ``table.attrs["median"]`` when given."""
    import numpy as np

    ax = _axes(ax)
    if table.empty:
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
    else:
        edges = np.append(table["bin_start"].to_numpy(float), table["bin_end"].iloc[-1])
        ax.hist(table["bin_start"].to_numpy(float), bins=edges,
                weights=table["articles"].to_numpy(float), color="#4c72b0")
        if table.attrs.get("median") is not None:
            _median_line(ax, table.attrs["median"])
    return _labelled(ax, title, xlabel, ylabel)


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


def plot_intervals(table: pd.DataFrame, *, group: str, mean: str, low: str, high: str,
                   title: str, xlabel: str, ylabel: str | None = None, series: str | None = None,
                   reference: float | None = None, ax=None):
    """Means with confidence intervals per group (dot and whisker), one colour per ``series``.

    Groups are sorted alphabetically, first on top. Rows without a mean are left out and
    counted in the legend ("N without a mean left out"), never plotted silently.
    """
    left_out = int(pd.to_numeric(table[mean], errors="coerce").isna().sum())
    table = table[pd.to_numeric(table[mean], errors="coerce").notna()]
    groups = sorted(table[group].astype(str).unique())
    ax = _axes(ax, figsize=(8.0, max(3.2, 0.5 * len(groups) + 1.6)))
    if table.empty:
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
    position = {name: i for i, name in enumerate(groups)}
    series_values = sorted(table[series].astype(str).unique()) if series else [None]
    offset_step = 0.25 if len(series_values) > 1 else 0.0
    for k, value in enumerate(series_values):
        part = table if value is None else table[table[series].astype(str) == value]
        offset = (k - (len(series_values) - 1) / 2) * offset_step
        ys = [position[str(g)] + offset for g in part[group]]
        means = part[mean].astype(float).to_numpy()
        # an interval from a histogram bootstrap sits on a 1e-4 grid, so it may miss the
        # exact mean by less than a step (all values equal): such a whisker is drawn empty
        errors = np.clip([means - part[low].astype(float).to_numpy(),
                          part[high].astype(float).to_numpy() - means], 0.0, None)
        ax.errorbar(means, ys, xerr=errors, fmt="o", capsize=3, label=value)
    if reference is not None:
        ax.axvline(reference, color="grey", linewidth=1)
    ax.set_yticks(range(len(groups)))
    ax.set_yticklabels(groups)
    ax.invert_yaxis()
    if left_out:
        ax.plot([], [], " ", label=f"{left_out} without a mean left out")
    if series or left_out:
        ax.legend(title=series, fontsize="small")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel if ylabel is not None else group)
    return ax


def plot_stacked_shares(table: pd.DataFrame, *, group: str, category: str, share: str,
                        title: str, xlabel: str = "share", ylabel: str | None = None, ax=None):
    """Horizontal 100% stacked bars: the share of each ``category`` within each ``group``."""
    wide = table.pivot_table(index=group, columns=category, values=share, aggfunc="sum",
                             fill_value=0.0).sort_index()
    ax = _axes(ax, figsize=(8.0, max(3.2, 0.5 * len(wide) + 1.6)))
    left = pd.Series(0.0, index=wide.index)
    for column in wide.columns:
        ax.barh(wide.index.astype(str), wide[column], left=left, label=str(column))
        left = left + wide[column]
    ax.invert_yaxis()
    ax.legend(title=category, bbox_to_anchor=(1.01, 1), loc="upper left")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel if ylabel is not None else group)
    return ax


def plot_bars_by_group(table: pd.DataFrame, *, group: str, label: str, value: str, title: str,
                       xlabel: str, columns: int = 2, max_groups: int = 8):
    """Small multiples: one horizontal bar chart of ``value`` per ``label`` for each group."""
    groups = sorted(table[group].astype(str).unique())[:max_groups]
    if not groups:
        ax = _axes()
        ax.text(0.5, 0.5, "nothing to show", ha="center", va="center", transform=ax.transAxes)
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(label)
        return ax.figure
    rows = -(-len(groups) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(5.0 * columns, 3.0 * rows), squeeze=False)
    for ax, name in zip(axes.flat, groups, strict=False):
        part = table[table[group].astype(str) == name]
        ax.barh(part[label].astype(str).tolist()[::-1], part[value].tolist()[::-1],
                color="#4c72b0")
        ax.set_title(f"{group} = {name}")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(label)
    for ax in list(axes.flat)[len(groups):]:
        ax.set_visible(False)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
