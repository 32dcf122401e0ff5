"""The corpus at a glance, read from a results store: the tables of :mod:`utils.stats` computed
by DuckDB aggregates over the store's ``articles`` table (:mod:`utils.results`), so their memory
grows with the number of sources, months or distinct lengths, not with the number of articles.

Each function returns the same columns, values, order and types as the function of
:mod:`utils.stats` of the same name run on the corpus frame (tests compare them)::

    corpus_overview(store)        -> measure, value (articles, words, lengths, metadata)
    articles_per(store, column)   -> <column>, articles, share
    articles_per_month(store)     -> month, articles (months without articles as 0)
    has_metadata(store, column)   -> whether any article has a value in column

and, without a counterpart in memory:

    length_histogram(store, bins=40)   -> bin_start, bin_end, articles (numpy's bins)
    first_articles(store, n=5)         -> the first articles' metadata and length
    not_analysed_languages(store)      -> "fr 30, de 2": the articles not analysed
    corpus_summary(store)              -> {"lines": [...], "table": frame}, for the report

Words and sentences are those of the analysed articles: an article in another language than
English is not analysed (:mod:`utils.corpus.language`), so its words and sentences are missing,
never 0, and the words per article are those of the others.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from utils.results import ResultsStore

#: Metadata columns :func:`corpus_overview` counts the articles with a value of.
METADATA_COLUMNS = ("title", "source", "date", "label")


def _name(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _row(store: ResultsStore, query: str) -> tuple:
    return store.connection.execute(query).fetchall()[0]


def _columns(store: ResultsStore) -> list[str]:
    columns = store.columns("articles")
    if "date" in columns and "month" not in columns:
        columns.append("month")
    return columns


def corpus_overview(store: ResultsStore) -> pd.DataFrame:
    """Headline figures as a ``measure, value`` table (:func:`utils.stats.corpus_overview`):
    articles; words, sentences and characters of the corpus; words per article (mean rounded
    to 0.1, median, min, max, over the analysed articles); how many articles have a title, a
    source, a date and a label; how many are not analysed (not English)."""
    columns = store.columns("articles")
    known = ", ".join(f"count({_name(c)})" if c in columns else "0" for c in METADATA_COLUMNS)
    row = _row(store, f"""
        SELECT count(*), coalesce(sum(words), 0), coalesce(sum(sentences), 0),
               coalesce(sum(characters), 0), count(words), avg(words), median(words),
               min(words), max(words), {known}
        FROM articles""")
    n, words, sentences, characters, analysed, mean, median, low, high, *with_value = row
    rows = [
        ("articles", int(n)),
        ("words", int(words)),
        ("sentences", int(sentences)),
        ("characters", int(characters)),
        ("words per article, mean", round(float(mean), 1) if analysed else 0.0),
        ("words per article, median", float(median) if analysed else 0.0),
        ("words per article, min", int(low) if analysed else 0),
        ("words per article, max", int(high) if analysed else 0),
    ]
    rows += [(f"articles with a {column}", int(count))
             for column, count in zip(METADATA_COLUMNS, with_value, strict=True)]
    rows.append(("articles not analysed (not English)", int(n) - int(analysed)))
    return pd.DataFrame(
        {"measure": [m for m, _ in rows], "value": pd.Series([v for _, v in rows], dtype=object)}
    )


def has_metadata(store: ResultsStore, column: str) -> bool:
    """True when the articles have ``column`` and at least one article has a value in it
    (:func:`utils.stats.has_metadata`)."""
    if column not in _columns(store):
        return False
    return bool(_row(store, f"SELECT count({_name(column)}) FROM articles")[0])


def articles_per(store: ResultsStore, column: str) -> pd.DataFrame:
    """Articles per value of ``column`` (:func:`utils.stats.articles_per`): ``<column>`` (the
    value as text; ``"(missing)"`` for articles without one), ``articles``, ``share`` (of all
    articles, rounded to 0.001); most articles first, ties alphabetical. Raises ``KeyError``
    naming the columns when ``column`` is absent."""
    columns = _columns(store)
    if column not in columns:
        raise KeyError(f"No column {column!r}; columns are {columns}")
    kind = dict(store.connection.execute(
        "SELECT column_name, column_type FROM (DESCRIBE articles)").fetchall())[column]
    counts = store.sql(f"SELECT {_name(column)} AS value, count(*) AS articles FROM articles "
                       "GROUP BY 1")
    values = counts["value"]
    if kind in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                "UINTEGER", "UBIGINT"):
        values = values.astype("Int64")  # a column with gaps comes back as floats
    values = values.astype("string").fillna("(missing)")
    table = (counts.groupby(values.rename(column).to_numpy(), sort=False)["articles"].sum()
             .rename_axis(column).reset_index(name="articles"))
    table[column] = table[column].astype("string")
    # the type pandas gives counts of text values (int64[pyarrow] with pandas 3), as in memory
    table["articles"] = table["articles"].astype(
        pd.Series(["x"], dtype="string").value_counts().dtype)
    table = table.sort_values(["articles", column], ascending=[False, True], kind="stable")
    total = table["articles"].sum()
    table["share"] = (table["articles"] / total).round(3) if total else 0.0
    return table.reset_index(drop=True)


def articles_per_month(store: ResultsStore) -> pd.DataFrame:
    """Articles per calendar month (:func:`utils.stats.articles_per_month`): ``month``
    (``YYYY-MM``), ``articles``; every month from the first to the last, those without
    articles as 0; empty when no article has a date."""
    empty = pd.DataFrame({"month": pd.Series(dtype="string"), "articles": pd.Series(dtype=int)})
    if "date" not in store.columns("articles"):
        return empty
    counts = store.sql("SELECT month, count(*) AS articles FROM articles WHERE month IS NOT "
                       "NULL GROUP BY month")
    if counts.empty:
        return empty
    per_month = pd.Series(counts["articles"].to_numpy(dtype=int),
                          index=pd.PeriodIndex(counts["month"].astype(str), freq="M"))
    full = pd.period_range(per_month.index.min(), per_month.index.max(), freq="M")
    per_month = per_month.reindex(full, fill_value=0)
    return pd.DataFrame({"month": full.astype(str), "articles": per_month.to_numpy(dtype=int)})


def length_distribution(store: ResultsStore, column: str = "words") -> pd.DataFrame:
    """``value, articles``: how many articles have each distinct ``column`` value (``words``,
    ``sentences``, ``characters``), missing values left out, smallest first."""
    return store.sql(f"SELECT {_name(column)} AS value, count(*) AS articles FROM articles "
                     f"WHERE {_name(column)} IS NOT NULL GROUP BY 1 ORDER BY 1")


def length_histogram(store: ResultsStore, column: str = "words", bins: int = 40) -> pd.DataFrame:
    """Histogram of an article size (``words`` by default) in ``bins`` equal bins from the
    smallest to the largest value: ``bin_start, bin_end, articles``, the bins of
    ``numpy.histogram`` (and of matplotlib's ``hist``) over the articles' values; the last bin
    includes its end. Computed from :func:`length_distribution` (a GROUP BY), so the memory is
    that of the distinct values. ``attrs["median"]`` is the median value (``None`` when no
    article has one), ``attrs["column"]`` the column."""
    distribution = length_distribution(store, column)
    if distribution.empty:
        table = pd.DataFrame({"bin_start": pd.Series(dtype="float64"),
                              "bin_end": pd.Series(dtype="float64"),
                              "articles": pd.Series(dtype="int64")})
        table.attrs.update(column=column, median=None)
        return table
    values = distribution["value"].to_numpy(dtype="float64")
    weights = distribution["articles"].to_numpy(dtype="int64")
    counts, edges = np.histogram(values, bins=bins, weights=weights)
    table = pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:],
                          "articles": np.rint(counts).astype("int64")})
    median = _row(store, f"SELECT median({_name(column)}) FROM articles")[0]
    table.attrs.update(column=column, median=float(median))
    return table


def first_articles(store: ResultsStore, n: int = 5) -> pd.DataFrame:
    """The first ``n`` articles of the corpus: their metadata (every corpus column but the
    text) and their numbers of words and sentences, read from the first partition only."""
    import pyarrow.parquet as pq

    metadata = [c for c in store.columns("corpus") if c != "text"]
    available = store.columns("articles")
    columns = [c for c in metadata if c in available]
    columns += [c for c in ("words", "sentences") if c in available and c not in columns]
    files = store.files("articles")
    if not files:
        return pd.DataFrame(columns=columns)
    batches = pq.ParquetFile(files[0]).iter_batches(batch_size=max(int(n), 1), columns=columns)
    first = next(batches, None)
    return first.to_pandas().head(n) if first is not None else pd.DataFrame(columns=columns)


def not_analysed_languages(store: ResultsStore, doc_ids_sql: str | None = None) -> str:
    """The languages of the articles not analysed (among those of ``doc_ids_sql``, a query of
    ``doc_id``, when given), as :func:`utils.frequencies.language_counts` writes them:
    ``"fr 15, de 2"``, most articles first, ties alphabetical, a missing code ``unknown``;
    ``""`` when every article is analysed."""
    language = "language" if "language" in store.columns("articles") else "NULL"
    among = f" AND doc_id IN ({doc_ids_sql})" if doc_ids_sql else ""
    counts = store.sql(f"SELECT coalesce(CAST({language} AS VARCHAR), 'unknown') AS code, "
                       f"count(*) AS n FROM articles WHERE NOT analysed{among} GROUP BY code")
    counts = counts.sort_values("code").sort_values("n", ascending=False, kind="stable")
    return ", ".join(f"{code} {int(n):,}" for code, n in zip(counts["code"], counts["n"],
                                                              strict=True))


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def corpus_summary(store: ResultsStore) -> dict:
    """Headline figures of the corpus for the report: ``{"lines": [...], "table": frame}``.

    Lines: articles and words (with the median length), sources, dates, labels and the
    articles not analysed (not English, with their languages); the numbers of
    :func:`corpus_overview`, :func:`articles_per` and :func:`articles_per_month`. Table: the
    articles per source (at most 10 rows), else per label, else the overview."""
    overview = corpus_overview(store).set_index("measure")["value"]
    n = int(overview["articles"])
    skipped = int(overview["articles not analysed (not English)"])
    if n > skipped:
        lines = [f"{_plural(n, 'article')} of {store.name}, {int(overview['words']):,} words "
                 f"(median {overview['words per article, median']:,.0f} words per article"
                 + (", of the analysed articles" if skipped else "") + ")."]
    else:  # no article analysed: no words counted (not "0 words")
        lines = [f"{_plural(n, 'article')} of {store.name}."]
    table = None
    for column in ("source", "label"):
        if not has_metadata(store, column):
            continue
        per = articles_per(store, column)
        missing = int(per.loc[per[column] == "(missing)", "articles"].sum())
        values = per[per[column] != "(missing)"]
        shown = ", ".join(f"{v} ({a:,})" for v, a in
                          zip(values[column], values["articles"], strict=True))
        if column == "source":
            largest = ", ".join(shown.split(", ")[:3])
            line = f"{_plural(len(values), 'source')}; the largest: {largest}."
        else:
            line = (f"{_plural(len(values), 'label')}: "
                    + (shown if len(values) <= 10 else
                       ", ".join(shown.split(", ")[:10]) + ", ...") + ".")
        if missing:
            line += f" {_plural(missing, 'article')} without a {column}."
        lines.append(line)
        if table is None:
            table = per.head(10)
    if has_metadata(store, "date"):
        first, last, undated = _row(store, "SELECT min(date), max(date), count(*) FILTER "
                                           "(WHERE date IS NULL) FROM articles")
        months = articles_per_month(store)
        line = (f"Dated from {pd.Timestamp(first):%Y-%m-%d} to {pd.Timestamp(last):%Y-%m-%d} "
                f"({_plural(len(months), 'month')}; the busiest: "
                f"{months.sort_values('articles', ascending=False, kind='stable').iloc[0, 0]}).")
        if undated:
            line += f" {_plural(int(undated), 'article')} without a date."
        lines.append(line)
    if skipped:
        lines.append(f"{_plural(skipped, 'article')} not analysed: not English "
                     f"({not_analysed_languages(store)}).")
    if table is None:
        table = corpus_overview(store)
    return {"lines": lines, "table": table}
