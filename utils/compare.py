"""Comparing groups of articles (fake vs credible, outlet vs outlet, month vs month).

These functions work on a corpus frame and the per-article tables of
:func:`utils.pipeline.analyse_corpus` in memory, with the statistics of the capability modules,
so every figure is the same as in the frequency, sentiment and attribution notebooks. The
comparison notebook (``notebooks/05_compare_groups.ipynb``) and the main job's report read the
same tables from a results store (:mod:`utils.tables.comparison`, see the end):

``choose_group_column(corpus, requested=None)``
    The column to group by: ``requested`` if given (``"month"`` groups by the month of
    ``date``), else the first of ``label``, ``source`` and the corpus's other text columns with
    2 to :data:`MAX_GROUPS` groups of at least :data:`MIN_GROUP_SIZE` articles; ``None`` when
    there is none.
``grouping_problem(corpus, column)`` -> why ``column`` cannot group the corpus (a sentence to
    print), or ``None``; ``group_column_or_reason(corpus, requested=None)`` -> ``(column,
    "Grouping by: <column>")``, or ``(None, why)``: :func:`choose_group_column` without raising.
    Only articles the pipeline analyses (English: :mod:`utils.corpus.language`) can be
    compared, so a column with fewer than two groups holding such articles cannot group the
    corpus either.
``with_group(corpus, column)`` -> the corpus with a ``group`` column (strings, ``<NA>`` missing).
``group_sizes(corpus, column)`` -> ``group, articles, words``.
``keyness_by_group(corpus, column, *, top=10)`` -> ``group, rank, term, g2, significance,
    log_ratio, group_per_10k, rest_per_10k``: each group's most distinctive terms against all
    other articles (log-likelihood G2 and log ratio, :func:`utils.frequencies.keyness`); a
    group that cannot be compared (no words, or none in the other groups) has no rows and a
    sentence saying why in ``attrs["not_compared"]``.
``sentiment_by_group(articles, sentences, corpus, column)`` -> ``group, level, n, mean,
    ci_low, ci_high`` for article means and single sentences (bootstrap 95% CIs, fixed seed).
``sourcing_by_group(articles, attributions, corpus, column)`` -> ``group, articles, words,
    attributions, per_1000_words, ci_low, ci_high, share_direct, share_anonymous, share_named``
    (the rate pooled over the group's articles, its interval from :func:`bootstrap_rate_ci`).
``source_types_by_group(attributions, corpus, column)`` -> ``group, source_type, attributions,
    share``.
``top_speakers_by_group(attributions, corpus, column, *, top=5)`` -> ``group, rank, speaker,
    attributions, articles``.

The same tables are read from a results store by :mod:`utils.tables.comparison` (same
columns, values and order; the bootstrap intervals are histogram bootstraps,
:mod:`utils.tables.resampling`, so both give the same intervals).
"""

from __future__ import annotations

import pandas as pd

#: Grouping columns tried first, in order.
PREFERRED_GROUP_COLUMNS = ("label", "source")
#: A usable grouping has at most this many groups ...
MAX_GROUPS = 20
#: ... each with at least this many articles.
MIN_GROUP_SIZE = 2


class GroupError(ValueError):
    """A grouping that cannot be used; the message says why."""


def _group_series(corpus: pd.DataFrame, column: str) -> pd.Series:
    from utils.sentiment import SentimentError, group_values

    try:
        groups = group_values(corpus, column)
    except SentimentError as error:
        raise GroupError(str(error)) from None
    return pd.Series(groups.to_numpy(), index=corpus.index, dtype="string")


def usable_grouping(corpus: pd.DataFrame, column: str) -> bool:
    """True when ``column`` splits the corpus into 2..MAX_GROUPS groups of MIN_GROUP_SIZE+."""
    try:
        sizes = _group_series(corpus, column).value_counts()
    except GroupError:
        return False
    return 2 <= len(sizes) <= MAX_GROUPS and int(sizes.min()) >= MIN_GROUP_SIZE


def choose_group_column(corpus: pd.DataFrame, requested: str | None = None) -> str | None:
    """The grouping column to use (see the module docstring); raises :class:`GroupError` when
    ``requested`` names no usable column."""
    if requested:
        sizes = _group_series(corpus, requested).value_counts()
        if len(sizes) < 2:
            raise GroupError(
                f"Grouping by {requested!r} gives {len(sizes)} group(s); a comparison needs two "
                "or more."
            )
        return requested
    candidates = list(PREFERRED_GROUP_COLUMNS)
    skip = {"doc_id", "title", "text", "date", *candidates}
    for column in corpus.columns:
        if column not in skip and (
            pd.api.types.is_string_dtype(corpus[column]) or corpus[column].dtype == object
        ):
            candidates.append(column)
    for column in candidates:
        if column in corpus and usable_grouping(corpus, column):
            return column
    return None


def grouping_problem(corpus: pd.DataFrame, column: str | None) -> str | None:
    """Why ``column`` cannot be used to compare groups of ``corpus``, as a sentence to print
    (``None`` when it can): no column given, no such column (``"month"`` needs dates), or
    fewer than two groups among the articles that have a value."""
    if column is None:
        return ("No grouping column: set GROUP_BY (e.g. 'label', 'source' or 'month') to "
                "compare groups of articles.")
    try:
        groups = _group_series(corpus, column)
    except GroupError as error:
        return f"Cannot group by {column!r}: {error}"
    sizes = groups.value_counts()
    if len(sizes) < 2:
        missing = int(groups.isna().sum())
        if sizes.empty:
            found = "no article has a date" if column == "month" else "no article has a value"
        else:
            found = f"every article with a value has {sizes.index[0]!r}"
            if missing:
                found += f" ({missing} of {len(groups)} have none)"
        return f"Cannot group by {column!r}: {found}; a comparison needs two or more groups."
    return _unanalysed_groups_problem(corpus, column, groups)


def _unanalysed_groups_problem(corpus: pd.DataFrame, column: str, groups: pd.Series
                               ) -> str | None:
    """Why ``column`` cannot compare groups when fewer than two of its groups hold an article
    the pipeline analyses (the others are not English), or ``None``."""
    if "language" not in corpus.columns:
        return None
    from utils.corpus.language import analysed_mask
    from utils.frequencies import language_counts

    analysed = pd.Series(analysed_mask(corpus), index=corpus.index)
    with_value = groups.notna()
    kept = groups[analysed & with_value].value_counts()
    if len(kept) >= 2:
        return None
    if kept.empty:
        languages = language_counts(corpus.loc[with_value, "language"].to_numpy())
        found = (f"none of the {int(with_value.sum()):,} articles with a value is English, so "
                 f"none is analysed ({languages})")
    else:
        others = groups.notna() & (groups != kept.index[0])
        names = ", ".join(repr(g) for g in sorted(groups[others].dropna().unique()))
        languages = language_counts(corpus.loc[others, "language"].to_numpy())
        found = (f"only {kept.index[0]!r} has English (analysed) articles; the "
                 f"{int(others.sum()):,} articles of {names} are not English, so not "
                 f"analysed ({languages})")
    return (f"Cannot compare groups by {column!r}: {found}; a comparison needs two or more "
            "groups with analysed articles.")


def group_column_or_reason(corpus: pd.DataFrame, requested: str | None = None
                           ) -> tuple[str | None, str]:
    """:func:`choose_group_column` that does not raise: ``(column, "Grouping by: <column>")``,
    or ``(None, why)`` when ``requested`` cannot group the corpus (:func:`grouping_problem`) or
    no column is usable."""
    if requested:
        problem = grouping_problem(corpus, requested)
        if problem:
            return None, problem
    column = choose_group_column(corpus, requested)
    if column is None:
        return None, (f"Grouping by: none (no label, source or other text column has 2 to "
                      f"{MAX_GROUPS} groups of at least {MIN_GROUP_SIZE} articles).")
    if not requested:
        problem = _unanalysed_groups_problem(corpus, column, _group_series(corpus, column))
        if problem:
            return None, problem
    return column, f"Grouping by: {column}"


def with_group(corpus: pd.DataFrame, column: str) -> pd.DataFrame:
    """The corpus with a ``group`` column holding each article's group as text."""
    return corpus.assign(group=_group_series(corpus, column))


def _doc_groups(corpus: pd.DataFrame, column: str) -> pd.Series:
    groups = _group_series(corpus, column)
    return pd.Series(groups.to_numpy(), index=corpus["doc_id"].astype(str), dtype="string")


def group_sizes(corpus: pd.DataFrame, column: str, articles: pd.DataFrame | None = None
                ) -> pd.DataFrame:
    """Articles (and words, when ``articles`` of the pipeline is given) per group.
    ``attrs["without_group"]`` counts the articles with no value for ``column`` (left out of
    every comparison), and :func:`left_out_note` says it in a sentence."""
    groups = _doc_groups(corpus, column)
    frame = pd.DataFrame({"group": groups.to_numpy()}, index=groups.index)
    if articles is not None:
        frame["words"] = articles.set_index(articles["doc_id"].astype(str))["words"]
    else:
        frame["words"] = 0
    table = frame.dropna(subset=["group"]).groupby("group", sort=True).agg(
        articles=("group", "size"), words=("words", "sum")).reset_index()
    table.attrs["without_group"] = int(frame["group"].isna().sum())
    table.attrs["column"] = column
    return table


def left_out_note(sizes: pd.DataFrame) -> str | None:
    """The sentence saying how many articles a :func:`group_sizes` table leaves out (no value
    for the grouping column, e.g. no date for ``month``), or ``None`` when none is."""
    missing = sizes.attrs.get("without_group", 0)
    if not missing:
        return None
    return (f"{missing:,} article{'s' if missing != 1 else ''} without a {sizes.attrs['column']} "
            "value left out of every comparison below.")


def keyness_by_group(corpus: pd.DataFrame, column: str, *, top: int = 10, min_count: int = 5,
                     n_jobs: int = 1, **settings) -> pd.DataFrame:
    """Each group's ``top`` key terms against all other articles (significant ones only)."""
    from utils.frequencies import keyness, keyness_problem, tokenize_corpus

    grouped = with_group(corpus, column)
    tokenized = tokenize_corpus(grouped, n_jobs=n_jobs, **settings)
    rows = []
    not_compared = []
    for group in sorted(grouped["group"].dropna().unique()):
        problem = keyness_problem(tokenized, "group", group)
        if problem:
            not_compared.append(f"No key terms for {group!r}: {problem}.")
            continue
        table = keyness(tokenized, "group", group, min_count=min_count)
        table = table[(table["key_for"] == str(group)) & (table["significance"] != "n.s.")]
        for rank, row in enumerate(table.head(top).itertuples(index=False), start=1):
            rows.append((group, rank, row.term, round(float(row.g2), 2), row.significance,
                         round(float(row.log_ratio), 2), round(float(row.target_per_10k), 2),
                         round(float(row.reference_per_10k), 2)))
    result = pd.DataFrame(rows, columns=["group", "rank", "term", "g2", "significance",
                                         "log_ratio", "group_per_10k", "rest_per_10k"])
    result.attrs["not_compared"] = not_compared
    return result


def sentiment_by_group(articles: pd.DataFrame, sentences: pd.DataFrame, corpus: pd.DataFrame,
                       column: str, *, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Mean sentiment per group at article level (mean of sentence compounds per article) and
    sentence level, with percentile-bootstrap 95% CIs (fixed seed per group; the histogram
    bootstrap of :func:`utils.tables.resampling.bootstrap_mean_ci`, so a results store gives
    the same intervals). Articles or sentences without a score are left out."""
    import numpy as np

    from utils.sentiment import _group_seed
    from utils.tables.resampling import bootstrap_mean_ci

    groups = _doc_groups(corpus, column)
    rows = []
    for level, table, value in (("article", articles, "mean_compound"),
                                ("sentence", sentences, "compound")):
        scores = pd.to_numeric(table[value], errors="coerce").astype("float64").to_numpy()
        joined = pd.DataFrame({"group": groups.reindex(table["doc_id"].astype(str)).to_numpy(),
                               "value": scores})
        joined = joined[joined["group"].notna() & ~np.isnan(scores)]
        for name, part in joined.groupby("group", sort=True):
            mean, low, high = bootstrap_mean_ci(part["value"].to_numpy(), n_boot=n_boot,
                                                seed=_group_seed(seed, str(name)))
            rows.append((str(name), level, len(part), mean, low, high))
    table = pd.DataFrame(rows, columns=["group", "level", "n", "mean", "ci_low", "ci_high"])
    table = table.astype({"group": "str", "level": "str", "n": "int64", "mean": "float64",
                          "ci_low": "float64", "ci_high": "float64"})
    for name in ("mean", "ci_low", "ci_high"):
        table[name] = table[name].round(3)
    return table.sort_values(["level", "group"], kind="stable").reset_index(drop=True)


def _rate_pairs(counts, words) -> pd.DataFrame:
    """The distinct ``(counts, words)`` pairs of articles with both known, and how many
    articles have each (``a, b, n``)."""
    counts = pd.Series(counts, dtype="Float64").reset_index(drop=True)
    words = pd.Series(words, dtype="Float64").reset_index(drop=True)
    known = pd.DataFrame({"a": counts, "b": words}).dropna()
    return known.value_counts(sort=False).rename("n").reset_index()


def bootstrap_rate_ci(counts, words, *, per: float = 1000.0, n_boot: int = 2000,
                      confidence: float = 0.95, seed: int = 0) -> tuple[float, float, float]:
    """Pooled rate ``per * sum(counts) / sum(words)`` with a percentile-bootstrap interval
    over articles (articles resampled with replacement, fixed ``seed``): the bootstrap of
    :func:`utils.tables.resampling.bootstrap_ratio_from_pairs` over the articles' distinct
    (count, words) pairs, so a results store gives the same interval.

    Returns ``(rate, low, high)``; NaNs when there are no words, a NaN interval with one
    article. Articles with a missing count or size (not analysed: not English) are left out.
    """
    from utils.tables.resampling import bootstrap_ratio_from_pairs

    pairs = _rate_pairs(counts, words)
    return bootstrap_ratio_from_pairs(pairs["a"].to_numpy(float), pairs["b"].to_numpy(float),
                                      pairs["n"].to_numpy("int64"), scale=per, n_boot=n_boot,
                                      confidence=confidence, seed=seed)


def sourcing_by_group(articles: pd.DataFrame, attributions: pd.DataFrame, corpus: pd.DataFrame,
                      column: str, *, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Attributions per 1,000 words (pooled over the group's articles, with a bootstrap
    interval over articles) and the shares of direct quotes, anonymous and named sources."""
    from utils.attribution import NAMED_TYPES

    groups = _doc_groups(corpus, column)
    per_article = articles.assign(group=groups.reindex(articles["doc_id"].astype(str)).to_numpy())
    attributed = attributions.assign(
        group=groups.reindex(attributions["doc_id"].astype(str)).to_numpy())
    rows = []
    for group, part in per_article.dropna(subset=["group"]).groupby("group", sort=True):
        words = int(part["words"].sum())
        found = attributed[attributed["group"] == group]
        n = len(found)
        rate, low, high = bootstrap_rate_ci(part["attributions"], part["words"], n_boot=n_boot,
                                            seed=seed)
        rows.append((
            group, len(part), words, n, round(rate, 3), round(low, 3), round(high, 3),
            round((found["kind"] == "direct").mean(), 3) if n else float("nan"),
            round((found["source_type"] == "anonymous").mean(), 3) if n else float("nan"),
            round(found["source_type"].isin(NAMED_TYPES).mean(), 3) if n else float("nan"),
        ))
    return pd.DataFrame(rows, columns=["group", "articles", "words", "attributions",
                                       "per_1000_words", "ci_low", "ci_high", "share_direct",
                                       "share_anonymous", "share_named"])


def source_types_by_group(attributions: pd.DataFrame, corpus: pd.DataFrame, column: str
                          ) -> pd.DataFrame:
    """Attributions per source type within each group, with their share of the group."""
    groups = _doc_groups(corpus, column)
    found = attributions.assign(
        group=groups.reindex(attributions["doc_id"].astype(str)).to_numpy()
    ).dropna(subset=["group"])
    if found.empty:
        return pd.DataFrame(columns=["group", "source_type", "attributions", "share"])
    table = found.groupby(["group", "source_type"]).size().rename("attributions").reset_index()
    table["share"] = (table["attributions"] / table.groupby("group")["attributions"]
                      .transform("sum")).round(3)
    return table.sort_values(["group", "attributions", "source_type"],
                             ascending=[True, False, True], kind="stable").reset_index(drop=True)


def top_speakers_by_group(attributions: pd.DataFrame, corpus: pd.DataFrame, column: str, *,
                          top: int = 5) -> pd.DataFrame:
    """The ``top`` most-cited speakers of each group (ties alphabetical)."""
    groups = _doc_groups(corpus, column)
    found = attributions.assign(
        group=groups.reindex(attributions["doc_id"].astype(str)).to_numpy())
    found = found[found["speaker"].astype(str).str.len() > 0].dropna(subset=["group"])
    rows = []
    for group, part in found.groupby("group", sort=True):
        counts = part.groupby("speaker").agg(attributions=("speaker", "size"),
                                             articles=("doc_id", "nunique")).reset_index()
        counts = counts.sort_values(["attributions", "speaker"], ascending=[False, True],
                                    kind="stable").head(top)
        for rank, row in enumerate(counts.itertuples(index=False), start=1):
            rows.append((group, rank, row.speaker, int(row.attributions), int(row.articles)))
    return pd.DataFrame(rows, columns=["group", "rank", "speaker", "attributions", "articles"])
