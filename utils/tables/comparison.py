"""Comparing groups of articles, read from a results store: the tables of notebook
``05_compare_groups`` and the report's groups section.

The groups are those of :func:`utils.results.group_articles` (a
:class:`~utils.results.Grouping`; the functions also take a column name and ``split``): an
article with no value for the column belongs to no group and is left out (the grouping's
:meth:`~utils.results.Grouping.note` says how many), a multi-valued column split on a separator
(``";"`` for Reuters topics) counts an article in each of its groups, and articles the pipeline
did not analyse (not English) stay in their groups but add no words, scores or attributions.

Every table is one or two DuckDB queries over the store (:meth:`utils.results.ResultsStore.sql`)
joining the grouping ``USING (doc_id)``, then numpy on the aggregated result, so memory grows
with the groups and their vocabularies, not with the number of articles. Each returns the same
columns, values, order and types as the function of :mod:`utils.compare` of the same name on
the corpus in memory; bootstrap intervals come from histograms
(:mod:`utils.tables.resampling`), which give the interval of the raw values.

``grouping_problem(store, column, split=None)``, ``choose_group_column(store, requested=None,
split=None)``, ``group_column_or_reason(store, requested=None, split=None)``
    Which column can group the store's articles (:mod:`utils.compare` rules: 2 to
    :data:`~utils.compare.MAX_GROUPS` groups of at least :data:`~utils.compare.MIN_GROUP_SIZE`
    articles, two of them holding analysed articles).
``grouping_or_reason(store, requested=None, split=None)`` -> ``(Grouping, "Grouping by: ...")``
    or ``(None, why)``: what a notebook compares.
``group_sizes(store, grouping)`` -> ``group, articles, words``; ``largest_groups(sizes, n)``
    -> the ``n`` largest groups (what a plot of many groups shows).
``keyness_by_group(store, grouping, *, top=10, min_count=5)`` -> ``group, rank, term, g2,
    significance, log_ratio, group_per_10k, rest_per_10k``.
``sentiment_by_group(store, grouping)`` -> ``group, level, n, mean, ci_low, ci_high``.
``sourcing_by_group(store, grouping)`` -> ``group, articles, words, attributions,
    per_1000_words, ci_low, ci_high, share_direct, share_anonymous, share_named``.
``source_types_by_group(store, grouping)`` -> ``group, source_type, attributions, share``.
``top_speakers_by_group(store, grouping, *, top=5)`` -> ``group, rank, speaker, attributions,
    articles``.
``groups_summary(store, grouping)`` -> the report's groups section.

Quoted against authorial tone per group is :func:`utils.tables.tone.quoted_vs_authorial`.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from utils.attribution import NAMED_TYPES
from utils.compare import MAX_GROUPS, MIN_GROUP_SIZE, PREFERRED_GROUP_COLUMNS, GroupError
from utils.results import Grouping, ResultsStore, StoreError, group_articles
from utils.tables.resampling import (
    RESOLUTION,
    bootstrap_mean_from_histogram,
    bootstrap_ratio_from_pairs,
)
from utils.tables.sources import _grouping, _sql_list


def _corpus_columns(store: ResultsStore) -> list[str]:
    """The columns of the loaded corpus an article can be grouped by (its metadata: not the
    pipeline's results), and ``month`` when the corpus has dates."""
    columns = [c for c in store.columns("corpus") if c not in ("doc_id", "title", "text")]
    articles = set(store.columns("articles"))
    columns = [c for c in columns if c in articles]
    if "date" in columns and "month" not in columns:
        columns.append("month")
    return columns


def _required(store: ResultsStore, grouping, split: str | None) -> Grouping:
    grouping = _grouping(store, grouping, split)
    if grouping is None:
        raise GroupError("A comparison needs a grouping: group_articles(store, column).")
    return grouping


# ---------------------------------------------------------------------------------------------
# which column


def _language_counts(frame: pd.DataFrame) -> str:
    """``"fr 15, de 2"`` from ``language, n`` rows, as :func:`utils.frequencies.language_counts`
    gives it from one code per article (most frequent first, ties alphabetical)."""
    counts = pd.Series(frame["n"].astype("int64").to_numpy(),
                       index=frame["language"].fillna("unknown").astype(str))
    counts = counts.groupby(level=0).sum().sort_index().sort_values(ascending=False,
                                                                    kind="stable")
    return ", ".join(f"{code} {count:,}" for code, count in counts.items())


def _group_counts(store: ResultsStore, grouping: Grouping) -> pd.DataFrame:
    """``group, articles, analysed`` per group, groups sorted."""
    table = store.sql(f"""SELECT g."group", count(*)::BIGINT AS articles,
                                 count(*) FILTER (WHERE a.analysed)::BIGINT AS analysed
                          FROM {grouping.view} AS g JOIN articles AS a USING (doc_id)
                          GROUP BY 1""")
    table["group"] = table["group"].astype("str")
    return table.sort_values("group", kind="stable").reset_index(drop=True)


def _languages(store: ResultsStore, grouping: Grouping, where: str = "true") -> str:
    """Language counts of the distinct grouped articles matching ``where`` (on ``g."group"``)."""
    frame = store.sql(f"""SELECT a.language, count(*) AS n FROM articles AS a
                          WHERE a.doc_id IN (SELECT doc_id FROM {grouping.view} AS g
                                             WHERE {where})
                          GROUP BY 1""")
    return _language_counts(frame)


def _unanalysed_groups_problem(store: ResultsStore, grouping: Grouping,
                               counts: pd.DataFrame) -> str | None:
    """Why fewer than two groups hold an analysed article (the others are not English), as
    :func:`utils.compare.grouping_problem` says it, or ``None``."""
    kept = counts[counts["analysed"] > 0]
    if len(kept) >= 2:
        return None
    column = grouping.column
    if kept.empty:
        found = (f"none of the {grouping.grouped:,} articles with a value is English, so "
                 f"none is analysed ({_languages(store, grouping)})")
    else:
        only = str(kept["group"].iloc[0])
        others = counts[counts["group"] != only]
        names = ", ".join(repr(g) for g in others["group"])
        other = f"g.\"group\" <> {_sql_list([only])}"
        n_others = int(store.sql(f"SELECT count(DISTINCT doc_id) AS n FROM {grouping.view} "
                                 f"AS g WHERE {other}")["n"].iloc[0])
        found = (f"only {only!r} has English (analysed) articles; the {n_others:,} articles "
                 f"of {names} are not English, so not analysed "
                 f"({_languages(store, grouping, other)})")
    return (f"Cannot compare groups by {column!r}: {found}; a comparison needs two or more "
            "groups with analysed articles.")


def grouping_problem(store: ResultsStore, column: str | None, split: str | None = None
                     ) -> str | None:
    """Why ``column`` (split on ``split``) cannot be used to compare groups of the store's
    articles, as a sentence to print (``None`` when it can): no column given, no such column
    (``"month"`` needs dates), fewer than two groups among the articles that have a value, or
    fewer than two groups holding analysed (English) articles; as
    :func:`utils.compare.grouping_problem`."""
    if column is None:
        return ("No grouping column: set GROUP_BY (e.g. 'label', 'source' or 'month') to "
                "compare groups of articles.")
    try:
        grouping = group_articles(store, column, split)
    except StoreError:
        if column == "month":
            return "Cannot group by 'month': the articles have no dates."
        return (f"Cannot group by {column!r}: the articles have no such column; columns to "
                f"group by: {', '.join(_corpus_columns(store))}.")
    counts = _group_counts(store, grouping)
    if len(counts) < 2:
        if counts.empty:
            found = "no article has a date" if column == "month" else "no article has a value"
        else:
            found = f"every article with a value has {counts['group'].iloc[0]!r}"
            if grouping.left_out:
                found += f" ({grouping.left_out} of {grouping.articles} have none)"
        return f"Cannot group by {column!r}: {found}; a comparison needs two or more groups."
    return _unanalysed_groups_problem(store, grouping, counts)


def _candidates(store: ResultsStore) -> list[str]:
    """Grouping columns to try: label, source, then the other text columns of the articles."""
    kinds = dict(store.sql("SELECT column_name, column_type FROM (DESCRIBE articles)")
                 .itertuples(index=False, name=None))
    text = [c for c in _corpus_columns(store) if kinds.get(c) == "VARCHAR"]
    return ([c for c in PREFERRED_GROUP_COLUMNS if c in text]
            + [c for c in text if c not in PREFERRED_GROUP_COLUMNS])


def _usable(store: ResultsStore, column: str) -> bool:
    counts = _group_counts(store, group_articles(store, column))
    return (2 <= len(counts) <= MAX_GROUPS
            and int(counts["articles"].min()) >= MIN_GROUP_SIZE)


def choose_group_column(store: ResultsStore, requested: str | None = None,
                        split: str | None = None) -> str | None:
    """The grouping column to use, as :func:`utils.compare.choose_group_column`: ``requested``
    if given (raises :class:`~utils.compare.GroupError` when it gives fewer than two groups or
    is no column), else the first of label, source and the other text columns of the articles
    with 2 to ``MAX_GROUPS`` groups of at least ``MIN_GROUP_SIZE`` articles; ``None`` when
    there is none."""
    if requested:
        try:
            grouping = group_articles(store, requested, split)
        except StoreError:
            raise GroupError(grouping_problem(store, requested, split)) from None
        if grouping.groups < 2:
            raise GroupError(f"Grouping by {requested!r} gives {grouping.groups} group(s); a "
                             "comparison needs two or more.")
        return requested
    for column in _candidates(store):
        if _usable(store, column):
            return column
    return None


def group_column_or_reason(store: ResultsStore, requested: str | None = None,
                           split: str | None = None) -> tuple[str | None, str]:
    """:func:`choose_group_column` that does not raise: ``(column, "Grouping by: <column>")``,
    or ``(None, why)`` when ``requested`` cannot group the articles (:func:`grouping_problem`)
    or no column is usable."""
    if requested:
        problem = grouping_problem(store, requested, split)
        if problem:
            return None, problem
    column = choose_group_column(store, requested, split)
    if column is None:
        return None, (f"Grouping by: none (no label, source or other text column has 2 to "
                      f"{MAX_GROUPS} groups of at least {MIN_GROUP_SIZE} articles).")
    if not requested:
        grouping = group_articles(store, column)
        problem = _unanalysed_groups_problem(store, grouping, _group_counts(store, grouping))
        if problem:
            return None, problem
    return column, f"Grouping by: {column}"


def grouping_or_reason(store: ResultsStore, requested: str | None = None,
                       split: str | None = None) -> tuple[Grouping | None, str]:
    """The grouping a notebook compares: ``(grouping, "Grouping by: <column>")`` for the
    column of :func:`group_column_or_reason` (``split`` applies to ``requested`` only), or
    ``(None, why)``."""
    column, message = group_column_or_reason(store, requested, split)
    if column is None:
        return None, message
    return group_articles(store, column, split if requested else None), message


def largest_groups(sizes: pd.DataFrame, n: int = 20) -> list[str]:
    """The ``n`` groups of a :func:`group_sizes` table with most articles (ties alphabetical),
    alphabetical: the groups a plot shows when there are many."""
    ranked = sizes.sort_values(["articles", "group"], ascending=[False, True], kind="stable")
    return sorted(ranked["group"].head(n).tolist())


# ---------------------------------------------------------------------------------------------
# sizes and vocabulary


def group_sizes(store: ResultsStore, grouping, split: str | None = None) -> pd.DataFrame:
    """``group, articles, words`` (words of the analysed articles), groups sorted, as
    :func:`utils.compare.group_sizes`; ``attrs["without_group"]`` counts the articles with no
    value (left out of every comparison) and ``attrs["column"]`` names the column."""
    grouping = _required(store, grouping, split)
    table = store.sql(f"""SELECT g."group", count(*)::BIGINT AS articles,
                                 coalesce(sum(a.words), 0)::BIGINT AS words
                          FROM {grouping.view} AS g JOIN articles AS a USING (doc_id)
                          GROUP BY 1""")
    table = table.astype({"group": "str", "articles": "int64", "words": "Int64"})
    table = table.sort_values("group", kind="stable").reset_index(drop=True)
    table.attrs["without_group"] = grouping.left_out
    table.attrs["column"] = grouping.column
    return table


def _no_words_reason(name: str, articles: int, unread: int, languages) -> str:
    """Why the group ``name`` has no words, as :func:`utils.frequencies.keyness_problem`
    says it (``languages``: a function giving the language counts of its unread articles)."""
    reason = f"the group {name!r} has no words"
    if not unread:
        return reason
    if unread == articles:
        whose = "its article is" if articles == 1 else f"its {articles:,} articles are"
        return f"{reason}: {whose} not English, so not analysed ({languages()})"
    return (f"{reason}: {unread:,} of its {articles:,} articles are not English, so not "
            f"analysed ({languages()}), and the others have no words")


def keyness_by_group(store: ResultsStore, grouping, split: str | None = None, *,
                     top: int = 10, min_count: int = 5) -> pd.DataFrame:
    """Each group's ``top`` key terms against all other grouped articles (significant ones
    only), as :func:`utils.compare.keyness_by_group`: ``group, rank, term, g2``
    (log-likelihood, :func:`utils.frequencies.log_likelihood`), ``significance``,
    ``log_ratio`` (Hardie's), ``group_per_10k, rest_per_10k`` (per 10,000 words), from the
    store's ``terms`` table. Terms seen fewer than ``min_count`` times among the grouped
    articles are left out. A group that cannot be compared (no words, or none in the other
    groups) has no rows and a sentence in ``attrs["not_compared"]``."""
    from utils.frequencies import (
        _per_10k,
        log_likelihood,
        log_ratio,
        significance_label,
    )

    grouping = _required(store, grouping, split)
    view = grouping.view
    sizes = store.sql(
        f"""WITH per_group AS (
                SELECT g."group", count(*) AS articles,
                       count(*) FILTER (WHERE NOT a.analysed) AS unread,
                       coalesce(sum(a.words), 0) AS words
                FROM {view} AS g JOIN articles AS a USING (doc_id) GROUP BY 1),
            everything AS (
                SELECT count(*) AS articles, count(*) FILTER (WHERE NOT a.analysed) AS unread,
                       coalesce(sum(a.words), 0) AS words
                FROM articles AS a WHERE a.doc_id IN (SELECT doc_id FROM {view}))
            SELECT p."group", p.articles::BIGINT AS articles, p.unread::BIGINT AS unread,
                   p.words::BIGINT AS words, (e.articles - p.articles)::BIGINT AS rest_articles,
                   (e.unread - p.unread)::BIGINT AS rest_unread,
                   (e.words - p.words)::BIGINT AS rest_words
            FROM per_group AS p CROSS JOIN everything AS e""")
    sizes["group"] = sizes["group"].astype("str")
    sizes = sizes.sort_values("group", kind="stable").reset_index(drop=True)
    not_compared = []
    compared = []
    for row in sizes.itertuples(index=False):
        name = row.group
        if not row.rest_articles:
            not_compared.append(f"No key terms for {name!r}: every article with a "
                                f"{grouping.column} value is in it, so there is no other "
                                "group to compare it with.")
            continue
        obstacles = []
        if not row.words:
            obstacles.append(_no_words_reason(
                name, row.articles, row.unread,
                lambda n=name: _languages(store, grouping, f"g.\"group\" = {_sql_list([n])}"
                                          " AND doc_id IN (SELECT doc_id FROM articles "
                                          "WHERE NOT analysed)")))
        if not row.rest_words:
            obstacles.append(_no_words_reason(
                "rest", row.rest_articles, row.rest_unread,
                lambda n=name: _languages(
                    store, grouping, f"doc_id NOT IN (SELECT doc_id FROM {view} WHERE "
                    f"\"group\" = {_sql_list([n])}) AND doc_id IN (SELECT doc_id FROM "
                    "articles WHERE NOT analysed)")))
        if obstacles:
            not_compared.append(f"No key terms for {name!r}: {'; '.join(obstacles)}.")
        else:
            compared.append(name)
    counts = store.sql(
        f"""WITH grouped AS (SELECT DISTINCT doc_id FROM {view}),
            totals AS (SELECT t.term, sum(t.count) AS total FROM terms AS t
                       JOIN grouped USING (doc_id) GROUP BY 1 HAVING sum(t.count) >= ?),
            words AS (SELECT g."group", coalesce(sum(a.words), 0)::HUGEINT AS words
                      FROM {view} AS g JOIN articles AS a USING (doc_id) GROUP BY 1),
            everything AS (SELECT coalesce(sum(words), 0)::HUGEINT AS words FROM articles
                           WHERE doc_id IN (SELECT doc_id FROM grouped)),
            per_group AS (SELECT g."group", t.term, sum(t.count) AS a FROM terms AS t
                          JOIN {view} AS g USING (doc_id) GROUP BY ALL)
            SELECT p."group", p.term, p.a::BIGINT AS a, (totals.total - p.a)::BIGINT AS b
            FROM per_group AS p JOIN totals USING (term) JOIN words USING ("group")
                 CROSS JOIN everything AS e
            -- only terms relatively at least as frequent in the group as in the rest
            WHERE p.a::HUGEINT * (e.words - words.words)
                  >= (totals.total - p.a)::HUGEINT * words.words""",
        [max(int(min_count), 1)])
    counts["group"] = counts["group"].astype("str")
    words = sizes.set_index("group")
    rows = []
    for name, part in counts[counts["group"].isin(compared)].groupby("group", sort=True):
        c, d = int(words.loc[name, "words"]), int(words.loc[name, "rest_words"])
        a, b = part["a"].to_numpy(np.int64), part["b"].to_numpy(np.int64)
        g2 = log_likelihood(a, b, c, d)
        table = pd.DataFrame({
            "term": part["term"].astype(object).to_numpy(), "g2": g2,
            "significance": significance_label(g2), "log_ratio": log_ratio(a, b, c, d),
            "group_per_10k": _per_10k(a, c), "rest_per_10k": _per_10k(b, d),
            "key": (a / c) > (b / d),
        })
        table = table[table["key"] & (table["significance"] != "n.s.")]
        table = table.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort")
        for rank, row in enumerate(table.head(top).itertuples(index=False), start=1):
            rows.append((name, rank, row.term, round(float(row.g2), 2), row.significance,
                         round(float(row.log_ratio), 2), round(float(row.group_per_10k), 2),
                         round(float(row.rest_per_10k), 2)))
    result = pd.DataFrame(rows, columns=["group", "rank", "term", "g2", "significance",
                                         "log_ratio", "group_per_10k", "rest_per_10k"])
    result.attrs["not_compared"] = not_compared
    return result


# ---------------------------------------------------------------------------------------------
# tone


def _in_threads(function, items: list) -> list:
    """``[function(item) for item in items]``, the items spread over threads: each group's
    bootstrap draws from its own generator (numpy releases the GIL while drawing), so the
    results are those of the plain loop, in its order."""
    workers = min(len(items), os.cpu_count() or 1, 8)
    if workers <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(function, items))


def _group_seed(seed: int, name: str) -> list[int]:
    from utils.sentiment import _group_seed as seed_of

    return seed_of(seed, name)


def _step(value: str) -> str:
    """SQL of the grid step of ``value`` (:func:`utils.tables.resampling.grid`: halves go to
    the even step, as numpy rounds), so a store's histogram is that of the raw values."""
    return f"round_even({value} / {RESOLUTION!r}, 0)::BIGINT"


def _histogram_means(histogram: pd.DataFrame, keys: list[str], *, n_boot: int, seed: int,
                     seed_name) -> list[tuple]:
    """``(*key values, n, mean, ci_low, ci_high)`` per distinct ``keys`` of a histogram
    (``step, n, total`` rows: grid steps, their counts and their values' sum; rows with
    ``n`` 0 are missing values), sorted by the keys; ``n`` 0 gives missing figures."""
    def one(item):
        key, part = item
        key = key if isinstance(key, tuple) else (key,)
        part = part[part["n"] > 0]
        n = int(part["n"].sum())
        if not n:
            return (*key, 0, np.nan, np.nan, np.nan)
        low, high = bootstrap_mean_from_histogram(
            part["step"].astype("int64"), part["n"], n_boot=n_boot,
            seed=_group_seed(seed, seed_name(*key)))
        return (*key, n, float(part["total"].sum()) / n, low, high)

    return _in_threads(one, list(histogram.groupby(keys, sort=True)))


def sentiment_by_group(store: ResultsStore, grouping, split: str | None = None, *,
                       n_boot: int = 2000, seed: int = 0,
                       levels: tuple[str, ...] = ("article", "sentence")) -> pd.DataFrame:
    """Mean VADER compound per group, as :func:`utils.compare.sentiment_by_group`: ``group,
    level, n, mean, ci_low, ci_high`` at article level (``n`` articles; each article's tone is
    the mean of its sentence compounds) and sentence level (``n`` sentences), with 95%
    percentile-bootstrap intervals (fixed seed per group; from histograms of the scores).
    Articles not analysed have no score and are left out. Rounded to 3 decimals; sorted by
    level, then group. ``levels``: only those levels (the bootstraps take the time)."""
    grouping = _required(store, grouping, split)
    queries = {
        "article": f"""SELECT 'article' AS level, g."group", {_step('a.mean_compound')} AS step,
                              count(*) AS n, sum(a.mean_compound) AS total
                       FROM {grouping.view} AS g JOIN articles AS a USING (doc_id)
                       WHERE a.mean_compound IS NOT NULL AND NOT isnan(a.mean_compound)
                       GROUP BY ALL""",
        "sentence": f"""SELECT 'sentence' AS level, g."group", {_step('s.compound')} AS step,
                               count(*) AS n, sum(s.compound) AS total
                        FROM {grouping.view} AS g JOIN sentences AS s USING (doc_id)
                        WHERE s.compound IS NOT NULL AND NOT isnan(s.compound)
                        GROUP BY ALL""",
    }
    unknown = [level for level in levels if level not in queries]
    if unknown or not levels:
        raise ValueError(f"levels must name 'article' and/or 'sentence', not {levels!r}.")
    histogram = store.sql(" UNION ALL ".join(queries[level] for level in queries
                                             if level in levels))
    histogram["group"] = histogram["group"].astype("str")
    rows = _histogram_means(histogram, ["level", "group"], n_boot=n_boot, seed=seed,
                            seed_name=lambda level, group: group)
    table = pd.DataFrame([(g, level, n, m, lo, hi) for level, g, n, m, lo, hi in rows],
                         columns=["group", "level", "n", "mean", "ci_low", "ci_high"])
    table = table.astype({"group": "str", "level": "str", "n": "int64", "mean": "float64",
                          "ci_low": "float64", "ci_high": "float64"})
    for name in ("mean", "ci_low", "ci_high"):
        table[name] = table[name].round(3)
    return table.sort_values(["level", "group"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# sourcing


def sourcing_by_group(store: ResultsStore, grouping, split: str | None = None, *,
                      n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Sourcing per group, as :func:`utils.compare.sourcing_by_group`: ``group, articles,
    words, attributions``, ``per_1000_words`` (pooled over the group's analysed articles) with
    ``ci_low, ci_high`` (percentile bootstrap over articles,
    :func:`utils.tables.resampling.bootstrap_ratio_from_pairs` of the articles' (attributions,
    words) pairs), and the shares of the group's attributions that are direct quotes, have an
    anonymous source or a named one. Rounded to 3 decimals; groups sorted."""
    grouping = _required(store, grouping, split)
    view = grouping.view
    groups = store.sql(
        f"""WITH named AS (SELECT g."group", count(*) AS named FROM attributions AS t
                           JOIN {view} AS g USING (doc_id)
                           WHERE t.source_type IN ({_sql_list(NAMED_TYPES)}) GROUP BY 1)
            SELECT g."group", count(*)::BIGINT AS articles,
                   coalesce(sum(a.words), 0)::BIGINT AS words,
                   coalesce(sum(a.attributions), 0)::BIGINT AS attributions,
                   coalesce(sum(a.attributions_direct), 0)::BIGINT AS direct,
                   coalesce(sum(a.attributions_anonymous), 0)::BIGINT AS anonymous,
                   coalesce(any_value(named.named), 0)::BIGINT AS named
            FROM {view} AS g JOIN articles AS a USING (doc_id)
                 LEFT JOIN named USING ("group")
            GROUP BY 1""")
    pairs = store.sql(f"""SELECT g."group", a.attributions, a.words, count(*) AS n
                          FROM {view} AS g JOIN articles AS a USING (doc_id)
                          WHERE a.attributions IS NOT NULL AND a.words IS NOT NULL
                          GROUP BY ALL""")
    pairs["group"] = pairs["group"].astype("str")
    by_group = dict(tuple(pairs.groupby("group", sort=False)))
    groups["group"] = groups["group"].astype("str")
    groups = groups.sort_values("group", kind="stable").reset_index(drop=True)

    def rate(name):
        part = by_group.get(name)
        if part is None:
            return float("nan"), float("nan"), float("nan")
        return bootstrap_ratio_from_pairs(part["attributions"], part["words"], part["n"],
                                          scale=1000.0, n_boot=n_boot, seed=seed)

    rows = []
    for row, (per_1000, low, high) in zip(groups.itertuples(index=False),
                                          _in_threads(rate, groups["group"].tolist()),
                                          strict=True):
        n = int(row.attributions)
        rows.append((row.group, int(row.articles), int(row.words), n, round(per_1000, 3),
                     round(low, 3), round(high, 3),
                     round(int(row.direct) / n, 3) if n else float("nan"),
                     round(int(row.anonymous) / n, 3) if n else float("nan"),
                     round(int(row.named) / n, 3) if n else float("nan")))
    return pd.DataFrame(rows, columns=["group", "articles", "words", "attributions",
                                       "per_1000_words", "ci_low", "ci_high", "share_direct",
                                       "share_anonymous", "share_named"])


def source_types_by_group(store: ResultsStore, grouping, split: str | None = None
                          ) -> pd.DataFrame:
    """``group, source_type, attributions, share`` (share of the group's attributions,
    rounded to 3 decimals): attributions per source type within each group, groups sorted,
    then most attributions first (ties alphabetical), as
    :func:`utils.compare.source_types_by_group`."""
    grouping = _required(store, grouping, split)
    table = store.sql(f"""SELECT g."group", t.source_type, count(*)::BIGINT AS attributions
                          FROM attributions AS t JOIN {grouping.view} AS g USING (doc_id)
                          WHERE t.source_type IS NOT NULL GROUP BY ALL""")
    if table.empty:
        return pd.DataFrame(columns=["group", "source_type", "attributions", "share"])
    table = table.astype({"group": "str", "source_type": "str", "attributions": "int64"})
    table["share"] = (table["attributions"] / table.groupby("group")["attributions"]
                      .transform("sum")).round(3)
    return table.sort_values(["group", "attributions", "source_type"],
                             ascending=[True, False, True], kind="stable").reset_index(drop=True)


def top_speakers_by_group(store: ResultsStore, grouping, split: str | None = None, *,
                          top: int = 5) -> pd.DataFrame:
    """The ``top`` most-cited speakers of each group: ``group, rank, speaker, attributions,
    articles`` (articles of the group citing the speaker; ties alphabetical), as
    :func:`utils.compare.top_speakers_by_group`."""
    grouping = _required(store, grouping, split)
    table = store.sql(
        f"""WITH counts AS (
                SELECT g."group", t.speaker, count(*) AS attributions,
                       count(DISTINCT t.doc_id) AS articles
                FROM attributions AS t JOIN {grouping.view} AS g USING (doc_id)
                WHERE coalesce(t.speaker, '') <> '' GROUP BY ALL)
            SELECT "group", row_number() OVER (PARTITION BY "group"
                                               ORDER BY attributions DESC, speaker) AS rank,
                   speaker, attributions, articles
            FROM counts QUALIFY rank <= {max(int(top), 0)}""")
    table = table.astype({"group": "str", "rank": "int64", "speaker": "str",
                          "attributions": "int64", "articles": "int64"})
    return table.sort_values(["group", "rank"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# the report


def _interval(row) -> str:
    if pd.isna(row["ci_low"]):
        return f"{row['mean']:+.3f}"
    return f"{row['mean']:+.3f} (95% CI {row['ci_low']:+.3f} to {row['ci_high']:+.3f})"


#: Groups shown in the summary table (the largest ones).
SUMMARY_GROUPS = 10


def groups_summary(store: ResultsStore, grouping, split: str | None = None) -> dict:
    """The report's groups section: ``{"lines", "table"}``. Lines: the groups and their sizes,
    the most negative and the most positive (or least negative) group in tone (mean article
    compound, 95% intervals, and whether they overlap), the groups quoting most and least
    (attributions per 1,000 words, interval) and those using anonymous sources most and
    least (among the :data:`SUMMARY_GROUPS` largest groups when there are more); table: one
    row per group (the :data:`SUMMARY_GROUPS` largest) with ``group, articles, mean_tone,
    attributions_per_1000_words, share_anonymous``. The numbers are those of
    :func:`group_sizes`, :func:`sentiment_by_group` and :func:`sourcing_by_group`."""
    grouping = _required(store, grouping, split)
    column = grouping.column
    sizes = group_sizes(store, grouping)
    if sizes.empty:
        return {"lines": [f"No article has a {column} value: no groups to compare."],
                "table": None}
    tone = sentiment_by_group(store, grouping, levels=("article",)).set_index("group")
    sourcing = sourcing_by_group(store, grouping).set_index("group")
    table = pd.DataFrame({
        "group": sizes["group"].to_numpy(),
        "articles": sizes["articles"].to_numpy(),
        "mean_tone": tone["mean"].reindex(sizes["group"]).to_numpy(dtype="float64"),
        "attributions_per_1000_words": sourcing["per_1000_words"].reindex(sizes["group"])
        .to_numpy(dtype="float64"),
        "share_anonymous": sourcing["share_anonymous"].reindex(sizes["group"])
        .to_numpy(dtype="float64"),
    })
    largest = table.sort_values(["articles", "group"], ascending=[False, True], kind="stable")
    shown = largest.head(SUMMARY_GROUPS)
    listed = ", ".join(f"{row.group} ({row.articles:,})" for row in shown.itertuples())
    more = (f", and {len(table) - len(shown):,} smaller ones" if len(table) > len(shown)
            else "")
    lines = [f"{len(table):,} groups by {column} (articles): {listed}{more}."]
    if len(table) > len(shown):  # tiny groups would hold the extremes: compare the largest
        lines.append(f"Below, the {len(shown)} largest groups are compared.")
        tone = tone[tone.index.isin(shown["group"])]
        sourcing = sourcing[sourcing.index.isin(shown["group"])]
    if len(tone) >= 2:
        ranked = tone.sort_values(["mean"], kind="stable")
        low, high = ranked.iloc[0], ranked.iloc[-1]
        other = "most positive" if high["mean"] > 0 else "least negative"
        overlap = (" The two intervals overlap: the difference may be chance."
                   if not pd.isna(low["ci_high"]) and not pd.isna(high["ci_low"])
                   and low["ci_high"] >= high["ci_low"] else "")
        lines.append(f"Most negative in tone: {low.name}, mean article compound "
                     f"{_interval(low)}; {other}: {high.name}, {_interval(high)}.{overlap}")
    rates = sourcing.dropna(subset=["per_1000_words"])
    if len(rates) >= 2 and rates["attributions"].sum() > 0:
        ranked = rates.sort_values("per_1000_words", ascending=False, kind="stable")
        most, least = ranked.iloc[0], ranked.iloc[-1]
        interval = ("" if pd.isna(most["ci_low"]) else
                    f" (95% CI {most['ci_low']:.1f} to {most['ci_high']:.1f})")
        lines.append(f"Quotes and cites most: {most.name}, {most['per_1000_words']:.1f} "
                     f"attributions per 1,000 words{interval}; least: {least.name}, "
                     f"{least['per_1000_words']:.1f}.")
        anonymous = rates.dropna(subset=["share_anonymous"]).sort_values(
            "share_anonymous", ascending=False, kind="stable")
        if len(anonymous) >= 2 and anonymous["share_anonymous"].iloc[0] > 0:
            top, bottom = anonymous.iloc[0], anonymous.iloc[-1]
            lines.append(f"Uses anonymous sources most: {top.name}, "
                         f"{100 * top['share_anonymous']:.0f}% of its attributions; least: "
                         f"{bottom.name}, {100 * bottom['share_anonymous']:.0f}%.")
    elif rates["attributions"].sum() == 0 and len(tone):
        lines.append("No attribution was found in any group.")
    return {"lines": lines, "table": shown.sort_values("group", kind="stable")
            .reset_index(drop=True)}
