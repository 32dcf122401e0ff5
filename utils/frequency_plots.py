"""Labelled plots of the word-frequency tables of :mod:`utils.frequencies`.

Each function takes a frame made by :mod:`utils.frequencies`, draws on ``ax`` (a new figure
when omitted) and returns the axes. Every plot has a title and labelled axes. An empty table,
or one holding NaN or infinite values, raises :class:`utils.frequencies.FrequencyError`
instead of drawing an empty or misleading figure; :func:`top_terms_reason` and
:func:`keyness_reason` (like :func:`utils.frequencies.zipf_fit_or_reason` and
:func:`utils.frequencies.keyness_or_reason`) give the sentence a notebook prints instead when a
corpus leaves nothing to draw (saying so when its articles are not English, so not analysed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from utils.frequencies import FrequencyError


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def _check(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise FrequencyError(f"Cannot plot {what}: the table lacks the column(s) {missing}.")
    if frame.empty:
        raise FrequencyError(f"Nothing to plot for {what}: the table is empty.")
    for column in columns:
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values) and not np.isfinite(values.to_numpy(float)).all():
            raise FrequencyError(f"Cannot plot {what}: column {column!r} holds NaN or infinity.")


def plot_top_terms(
    counts: pd.DataFrame, n: int = 20, *, value: str = "count", ax=None, title: str | None = None
):
    """Horizontal bar chart of the ``n`` first rows of :func:`~utils.frequencies.term_counts`
    (or :func:`~utils.frequencies.ngram_counts`), most frequent at the top."""
    key = "term" if "term" in counts.columns else "ngram"
    _check(counts, [key, value], "top terms")
    top = counts.head(n).iloc[::-1]
    ax = _axes(ax)
    ax.barh(top[key].astype(str), top[value], color="tab:blue")
    ax.set_title(title or f"Top {len(top)} {key}s by {value}")
    ax.set_xlabel("occurrences" if value == "count" else value.replace("_", " "))
    ax.set_ylabel(key)
    return ax


#: Points of a Zipf plot per decade of rank: one term per 1/1000 of a decade (a marker is wider
#: than that at any figure size), so that 50,000 terms draw as fast as 5,000, looking the same.
ZIPF_POINTS_PER_DECADE = 1000


def _log_spaced(ranks: np.ndarray) -> np.ndarray:
    """Positions of the first rank in each 1/:data:`ZIPF_POINTS_PER_DECADE` of a decade, and
    of the last rank (so the plot spans the same ranges)."""
    if len(ranks) == 0:
        return np.arange(0)
    cells = np.floor(np.log10(ranks) * ZIPF_POINTS_PER_DECADE)
    _, first = np.unique(cells, return_index=True)
    return np.union1d(first, [len(ranks) - 1])


def plot_zipf(table: pd.DataFrame, fit: dict | None = None, *, ax=None, title: str | None = None):
    """Rank/frequency plot on log-log axes from :func:`~utils.frequencies.zipf_table`, with the
    fitted line of :func:`~utils.frequencies.zipf_fit` when given (ranks drawn log-spaced:
    :data:`ZIPF_POINTS_PER_DECADE`; the fit uses every term)."""
    _check(table, ["rank", "count"], "a Zipf plot")
    ax = _axes(ax)
    shown = table.iloc[_log_spaced(table["rank"].to_numpy(float))]
    ax.loglog(shown["rank"], shown["count"], marker=".", linestyle="none", markersize=3,
              label="terms")
    if fit is not None:
        ranks = np.array([1.0, float(table["rank"].max())])
        ax.loglog(ranks, 10 ** (fit["intercept"] + fit["slope"] * np.log10(ranks)),
                  color="tab:red", label=f"fit, slope {fit['slope']:.2f}")
        ax.legend()
    ax.set_title(title or "Zipf plot: term frequency against rank")
    ax.set_xlabel("rank (log scale)")
    ax.set_ylabel("count (log scale)")
    return ax


def plot_keyness(key: pd.DataFrame, n: int = 15, *, ax=None, title: str | None = None):
    """Diverging bar chart of the strongest key terms of :func:`~utils.frequencies.keyness`:
    the ``n`` terms with the largest G2 on each side, bars showing the log ratio (positive:
    more frequent in the target group)."""
    _check(key, ["term", "g2", "log_ratio"], "keyness")
    target = key.attrs.get("target", "target")
    reference = key.attrs.get("reference", "reference")
    over = key[key["log_ratio"] > 0].head(n)
    under = key[key["log_ratio"] < 0].head(n)
    shown = pd.concat([under.iloc[::-1], over.iloc[::-1]]) if len(under) else over.iloc[::-1]
    if shown.empty:
        raise FrequencyError("Nothing to plot for keyness: no term differs between the groups.")
    ax = _axes(ax)
    colors = np.where(shown["log_ratio"] > 0, "tab:red", "tab:blue")
    ax.barh(shown["term"].astype(str), shown["log_ratio"], color=colors)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_title(title or f"Key terms: {target} (right) vs {reference} (left), top by G2")
    ax.set_xlabel(f"log ratio (log2 of relative frequency in {target} / {reference})")
    ax.set_ylabel("term")
    return ax


def top_terms_reason(counts: pd.DataFrame, corpus=None) -> str | None:
    """Why :func:`plot_top_terms` has nothing to draw for ``counts`` (``None`` when it has
    something): the sentence a notebook prints instead of the figure. ``corpus`` (the frame or
    :class:`~utils.frequencies.TokenizedCorpus` the counts come from) lets it say how many
    articles are not English, so not analysed."""
    if not counts.empty:
        return None
    frame = getattr(corpus, "frame", corpus)
    if isinstance(frame, pd.DataFrame) and "language" in frame.columns and len(frame):
        from utils.corpus.language import analysed_mask
        from utils.frequencies import language_counts

        skipped = ~np.asarray(analysed_mask(frame), dtype=bool)
        if skipped.all():
            return (f"No top-terms plot: this corpus has no terms; none of its {len(frame):,} "
                    "articles is English, so none is analysed "
                    f"({language_counts(frame['language'].to_numpy()[skipped])}).")
        if skipped.any():
            return (f"No top-terms plot: this corpus has no terms ({int(skipped.sum()):,} of "
                    f"its {len(frame):,} articles are not English, so not analysed: "
                    f"{language_counts(frame['language'].to_numpy()[skipped])}; the words of "
                    "the others are all stopwords or numbers).")
    return ("No top-terms plot: this corpus has no terms (all its words are stopwords or "
            "numbers).")


def keyness_reason(key: pd.DataFrame | str) -> str | None:
    """Why :func:`plot_keyness` has nothing to draw for a table of
    :func:`~utils.frequencies.keyness` (``None`` when it has something): the sentence a
    notebook prints instead of the figure. ``key`` may also be the sentence of
    :func:`~utils.frequencies.keyness_or_reason` (a group without words), returned as it is."""
    if isinstance(key, str):
        return key
    target = key.attrs.get("target", "the target group")
    reference = key.attrs.get("reference", "the reference group")
    if key.empty:
        times = key.attrs.get("min_count", 1)
        return (f"No keyness plot: no term occurs {times} or more times in {target} and "
                f"{reference} together (a lower minimum count includes rarer terms).")
    if not (key["log_ratio"] != 0).any():
        return (f"No keyness plot: no term is relatively more frequent in {target} than in "
                f"{reference}, or the other way round.")
    return None


def plot_terms_over_time(trend: pd.DataFrame, *, ax=None, title: str | None = None):
    """One line per term of :func:`~utils.frequencies.terms_over_time`: occurrences per
    10,000 words in each period."""
    _check(trend, ["period", "term", "per_10k"], "terms over time")
    table = trend.pivot(index="period", columns="term", values="per_10k").sort_index()
    ax = _axes(ax)
    positions = np.arange(len(table))
    for term in table.columns:
        ax.plot(positions, table[term].to_numpy(), marker="o", markersize=3, label=term)
    step = max(1, len(table) // 12)
    ax.set_xticks(positions[::step])
    ax.set_xticklabels(table.index[::step], rotation=45, ha="right")
    ax.legend(title="term")
    ax.set_title(title or "Terms over time")
    ax.set_xlabel("period")
    ax.set_ylabel("occurrences per 10,000 words")
    return ax
