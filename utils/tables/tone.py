"""Tone (VADER sentiment) read from a results store: the corpus-level tables of the sentiment
notebook (``03_sentiment``) and the report's tone section.

Each function reduces the store's ``sentences``, ``articles`` or ``tone_terms`` table with one
DuckDB query (:meth:`utils.results.ResultsStore.sql`), so its memory grows with its result
(score histograms, groups, lexicon terms), not with the number of articles or sentences, and
returns the same table as the function of :mod:`utils.sentiment` of the same name on the
corpus in memory: the same columns, order and types, and the same values (sums of many
floating-point numbers, such as means, can differ in the last digits, as sums in another order
do). Sentence compounds are on a grid of 1e-4, so their histogram gives exact medians and the
bootstrap intervals of :mod:`utils.tables.resampling` equal those computed in memory.

Groups come from :func:`utils.results.group_articles` (a :class:`~utils.results.Grouping`, or a
column name and ``split``): articles with no value for the column belong to no group and are
left out (counted in ``attrs["left_out"]`` where the in-memory function counts them), and a
multi-valued column split on a separator counts an article in each of its groups. Articles
not analysed (another language) have no scores and are left out of every figure.

``compound_summary(store, level="sentences")``
    One row ``n, n_missing, mean, median, sd, share_negative, share_neutral, share_positive``
    of the compounds of sentences, articles (mean of their sentences) or headlines, as
    :func:`utils.sentiment.sentiment_summary`; ``compound_summaries(store)``: the three levels.
``compound_histogram(store, level="sentences", bins=40)``
    ``bin, bin_from, bin_to, count``, as :func:`utils.sentiment.compound_histogram`.
``most_negative_articles(store, n=5)``, ``most_positive_articles(store, n=5)``
    The articles with the lowest or highest mean sentence compound.
``article_quote_segments(store, doc_id=None)``
    The quoted and authorial segments of one article (close reading).
``position_profile(store, bins=10)``
    Mean sentence compound by relative position in the article, as
    :func:`utils.sentiment.position_profile`.
``group_sentiment(store, grouping, split=None, value="mean_compound")``
    ``group, n_articles, mean, ci_low, ci_high``, as :func:`utils.sentiment.group_sentiment`.
``driving_words(store, grouping=None, split=None, top=10)``
    ``[group,] direction, rank, term, lexicon_valence, occurrences, total_valence``, as
    :func:`utils.sentiment.driving_words`.
``quoted_vs_authorial(store, grouping, split=None)``
    ``group, kind, n_articles, mean, ci_low, ci_high``, as
    :func:`utils.sentiment.quoted_vs_authorial` with a group column.
``summarise_quoted_vs_authorial(store)``
    ``kind, n_articles, mean, ci_low, ci_high``, as
    :func:`utils.sentiment.summarise_quoted_vs_authorial`.
``segment_counts(store)``
    How many quoted and authorial segments the articles hold.
``tone_summary(store, grouping=None)``
    The headline sentences and the table of the report's tone section.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from utils import sentiment
from utils.results import Grouping, ResultsStore, StoreError, group_articles
from utils.tables.resampling import RESOLUTION, bootstrap_mean_from_histogram

#: The compounds each level of :func:`compound_summary` describes: (table, column).
LEVELS = {
    "sentences": ("sentences", "compound"),
    "articles": ("articles", "mean_compound"),
    "headlines": ("articles", "headline_compound"),
}
#: How the levels are named in :func:`compound_summaries`.
LEVEL_NAMES = {"sentences": "sentences", "articles": "articles (mean of sentences)",
               "headlines": "headlines"}
#: Columns of the tables of the most negative and positive articles.
ARTICLE_COLUMNS = ("doc_id", "title", "sentences", "mean_compound", "share_positive",
                   "share_negative", "headline_compound")
_KINDS = ("authorial", "quoted")


def _grouping(store: ResultsStore, grouping, split: str | None = None) -> Grouping | None:
    """``grouping`` as a :class:`Grouping` (a column name is grouped with ``split``)."""
    if grouping is None or isinstance(grouping, Grouping):
        return grouping
    return group_articles(store, str(grouping), split)


def _name(column: str) -> str:
    return '"' + str(column).replace('"', '""') + '"'


def _score(column: str) -> str:
    """SQL: a score column as DOUBLE (an empty table's columns may have come out as text)."""
    return f"CAST({_name(column)} AS DOUBLE)"


def _present(column: str) -> str:
    """SQL: ``column`` holds a score (not missing, not NaN)."""
    return f"({column} IS NOT NULL AND NOT isnan({column}))"


def _step(column: str) -> str:
    """SQL: ``column`` as whole steps of the resampling grid, rounded half to even as
    :func:`utils.tables.resampling.grid` rounds (``round`` would round halves up)."""
    return f"CAST(round_even({column} / {RESOLUTION!r}, 0) AS BIGINT)"


def _level(level: str) -> tuple[str, str]:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}.")
    return LEVELS[level]


def _value_column(store: ResultsStore, value: str) -> str:
    columns = store.columns("articles")
    if value not in columns:
        raise StoreError(f"The articles have no column {value!r}; they have "
                         f"{', '.join(columns)}.")
    return value


def _interval(hist: pd.DataFrame, n_boot: int, confidence: float, seed) -> tuple[float, float]:
    """The bootstrap interval of the mean from a histogram (``step``, ``n``)."""
    if hist.empty:
        return math.nan, math.nan
    return bootstrap_mean_from_histogram(hist["step"].to_numpy(), hist["n"].to_numpy(),
                                         n_boot=n_boot, confidence=confidence, seed=seed)


def _check_bootstrap(n_boot: int, confidence: float) -> None:
    # the in-memory functions' checks and messages (utils.sentiment.bootstrap_mean_ci)
    sentiment.bootstrap_mean_ci([], n_boot=n_boot, confidence=confidence)


# ---------------------------------------------------------------------------------------------
# distributions of scores


def compound_summary(store: ResultsStore, level: str = "sentences", *,
                     threshold: float = sentiment.NEUTRAL_THRESHOLD) -> pd.DataFrame:
    """One row describing the compound scores of ``level``, as
    :func:`utils.sentiment.sentiment_summary` of them: ``n`` (scores), ``n_missing`` (sentences
    or articles without one: articles not analysed or without sentences, headlines missing),
    ``mean``, ``median``, ``sd`` and the shares of negative (``<= -threshold``), neutral and
    positive (``>= threshold``) scores.

    ``level``: ``"sentences"`` (every sentence), ``"articles"`` (each article's mean sentence
    compound) or ``"headlines"`` (the titles, scored on their own). The median of sentences
    comes from their histogram (exact: compounds have four decimals), that of articles from
    DuckDB's exact ``median``.
    """
    table, column = _level(level)
    x = _score(column)
    shares = (f"count(*) FILTER (WHERE {x} <= -$t) AS negative, "
              f"count(*) FILTER (WHERE abs({x}) < $t) AS neutral, "
              f"count(*) FILTER (WHERE {x} >= $t) AS positive")
    if table == "sentences":
        # a histogram of the distinct compounds (NULL: no score): exact median, bounded memory
        hist = store.sql(f"SELECT CASE WHEN {_present(x)} THEN {x} END AS value, "
                         "count(*) AS n FROM sentences GROUP BY 1 ORDER BY 1 NULLS FIRST")
        return _summary_from_histogram(hist, threshold)
    row = store.sql(
        f"""SELECT count(*) FILTER (WHERE {_present(x)}) AS n,
                   count(*) FILTER (WHERE NOT {_present(x)} OR {x} IS NULL) AS n_missing,
                   avg({x}) FILTER (WHERE {_present(x)}) AS mean,
                   median({x}) FILTER (WHERE {_present(x)}) AS median,
                   stddev_samp({x}) FILTER (WHERE {_present(x)}) AS sd, {shares}
            FROM {table}""", {"t": float(threshold)}).iloc[0]
    return _summary_row(int(row["n"]), int(row["n_missing"]), row["mean"], row["median"],
                        row["sd"], int(row["negative"]), int(row["neutral"]),
                        int(row["positive"]))


def _summary_from_histogram(hist: pd.DataFrame, threshold: float) -> pd.DataFrame:
    missing = int(hist.loc[hist["value"].isna(), "n"].sum())
    hist = hist[hist["value"].notna()]
    values = hist["value"].to_numpy(dtype="float64")
    counts = hist["n"].to_numpy(dtype="int64")
    n = int(counts.sum())
    if not n:
        return _summary_row(0, missing, math.nan, math.nan, math.nan, 0, 0, 0)
    mean = float(values @ counts / n)
    cumulative = np.cumsum(counts)
    lower = values[np.searchsorted(cumulative, (n - 1) // 2, side="right")]
    upper = values[np.searchsorted(cumulative, n // 2, side="right")]
    median = float(lower) if n % 2 else float((lower + upper) / 2)
    sd = float(np.sqrt(((values - mean) ** 2) @ counts / (n - 1))) if n > 1 else math.nan
    return _summary_row(n, missing, mean, median, sd,
                        int(counts[values <= -threshold].sum()),
                        int(counts[np.abs(values) < threshold].sum()),
                        int(counts[values >= threshold].sum()))


def _summary_row(n, n_missing, mean, median, sd, negative, neutral, positive) -> pd.DataFrame:
    def number(value) -> float:
        return math.nan if value is None or pd.isna(value) else float(value)

    return pd.DataFrame([{
        "n": n, "n_missing": n_missing,
        "mean": number(mean) if n else math.nan,
        "median": number(median) if n else math.nan,
        "sd": number(sd) if n > 1 else math.nan,
        "share_negative": negative / n if n else math.nan,
        "share_neutral": neutral / n if n else math.nan,
        "share_positive": positive / n if n else math.nan,
    }])


def compound_summaries(store: ResultsStore, *,
                       threshold: float = sentiment.NEUTRAL_THRESHOLD) -> pd.DataFrame:
    """:func:`compound_summary` of sentences, articles and headlines, one row each, indexed by
    ``level`` (``sentences``, ``articles (mean of sentences)``, ``headlines``)."""
    rows = [compound_summary(store, level, threshold=threshold).assign(level=LEVEL_NAMES[level])
            for level in LEVELS]
    return pd.concat(rows, ignore_index=True).set_index("level")


def compound_histogram(store: ResultsStore, level: str = "sentences", *,
                       bins: int = 40) -> pd.DataFrame:
    """How many compound scores of ``level`` (see :func:`compound_summary`) fall in each of
    ``bins`` equal slices of [-1, 1], as :func:`utils.sentiment.compound_histogram`: ``bin``
    (1 = the most negative slice), ``bin_from``, ``bin_to``, ``count`` (every slice listed).

    Binned in SQL the way :func:`numpy.histogram` bins: a first guess from the position in
    [-1, 1], corrected by comparing the score with the edges themselves (a slice holds its
    lower edge, the last slice 1.0 too), so the counts are equal, not nearly equal.
    """
    table, column = _level(level)
    edges = sentiment.histogram_edges(bins)
    x = _score(column)
    counts = store.sql(
        f"""WITH scores AS (SELECT {x} AS x FROM {table}
                            WHERE {_present(x)} AND {x} >= -1 AND {x} <= 1),
        guess AS (SELECT x, least(CAST(floor((x + 1) / 2 * $bins) AS BIGINT), $bins - 1) AS i
                  FROM scores),
        slice AS (SELECT i - CASE WHEN x < $edges[i + 1] THEN 1 ELSE 0 END
                           + CASE WHEN i < $bins - 1 AND x >= $edges[i + 2] THEN 1 ELSE 0 END
                           AS i FROM guess)
        SELECT i, count(*) AS n FROM slice GROUP BY 1""",
        {"bins": int(bins), "edges": [float(e) for e in edges]})
    found = np.zeros(int(bins), dtype="int64")
    found[counts["i"].to_numpy(dtype="int64")] = counts["n"].to_numpy(dtype="int64")
    return sentiment._histogram_frame(edges, found)


# ---------------------------------------------------------------------------------------------
# articles for close reading


def _extreme_articles(store: ResultsStore, n: int, order: str) -> pd.DataFrame:
    available = set(store.columns("articles"))
    columns = [c for c in ARTICLE_COLUMNS if c in available]
    table = store.sql(
        f"""SELECT {', '.join(_name(c) for c in columns)} FROM articles
            WHERE {_present('mean_compound')}
            ORDER BY mean_compound {order}, doc_id LIMIT {max(int(n), 0)}""")
    types = {"doc_id": "string", "title": "string", "sentences": "Int64"}
    return table.astype({c: types.get(c, "Float64") for c in columns})


def most_negative_articles(store: ResultsStore, n: int = 5) -> pd.DataFrame:
    """The ``n`` articles with the lowest mean sentence compound (ties by ``doc_id``):
    ``doc_id, title`` (when the corpus has titles), ``sentences``, ``mean_compound``,
    ``share_positive``, ``share_negative`` (shares of their sentences at or beyond +/-0.05)
    and ``headline_compound`` (missing without a title); the types of the articles table.
    Articles without a score (not analysed, no sentences) are left out."""
    return _extreme_articles(store, n, "ASC")


def most_positive_articles(store: ResultsStore, n: int = 5) -> pd.DataFrame:
    """The ``n`` articles with the highest mean sentence compound (ties by ``doc_id``); the
    columns of :func:`most_negative_articles`."""
    return _extreme_articles(store, n, "DESC")


def article_quote_segments(store: ResultsStore, doc_id=None) -> pd.DataFrame:
    """The quoted and authorial segments of one article (default: the store's first), as
    :func:`utils.sentiment.quote_segments` of that article and its sentences from the store:
    ``doc_id, sentence_index, kind, start, end, text, neg, neu, pos, compound``. An article
    without sentences (not analysed) has none."""
    article = store.article(store.first_doc_id() if doc_id is None else doc_id)
    frame = pd.DataFrame({"doc_id": pd.array([article["doc_id"]], dtype="string"),
                          "text": [article["text"]]})
    return sentiment.quote_segments(frame, sentences=article["sentences"])


# ---------------------------------------------------------------------------------------------
# position, groups


def position_profile(store: ResultsStore, *, bins: int = 10, n_boot: int = 2000,
                     confidence: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """The corpus-wide sentiment arc, as :func:`utils.sentiment.position_profile`: sentences
    in ``bins`` equal slices of their article by relative position (``bin`` 1 holds the
    opening sentences), ``position_from, position_to, n_sentences, mean`` and the bootstrap
    interval over sentences ``ci_low, ci_high`` (from each slice's histogram of compounds;
    fixed seed per slice). Empty slices have ``n_sentences`` 0 and missing means."""
    if not isinstance(bins, int) or bins < 1:
        raise sentiment.SentimentError(f"bins must be a positive integer, not {bins!r}.")
    _check_bootstrap(n_boot, confidence)
    hist = store.sql(
        f"""WITH scored AS (SELECT {_score('position')} AS position,
                                   {_score('compound')} AS compound FROM sentences),
        placed AS (SELECT least(CAST(floor(position * $bins) AS BIGINT), $bins - 1) AS b,
                          compound FROM scored WHERE {_present('compound')}),
        slices AS (SELECT b, count(*) AS total, avg(compound) AS mean FROM placed GROUP BY 1)
        SELECT b, {_step('compound')} AS step, count(*) AS n, any_value(total) AS total,
               any_value(mean) AS mean
        FROM placed JOIN slices USING (b) GROUP BY b, step""", {"bins": bins})
    rows = [(b + 1, b / bins, (b + 1) / bins, n, mean, low, high) for b, n, mean, low, high in
            _mean_rows(hist.rename(columns={"b": "group"}), range(bins), n_boot, confidence,
                       lambda b: [int(seed), b])]
    return pd.DataFrame(rows, columns=["bin", "position_from", "position_to", "n_sentences",
                                       "mean", "ci_low", "ci_high"])


def _group_histograms(store: ResultsStore, source: str, value: str) -> pd.DataFrame:
    """Per group of ``source`` (SQL yielding ``"group"`` and ``value``): the histogram of the
    values present (``step``, ``n``) with the group's ``total`` and exact-as-DuckDB ``mean``."""
    return store.sql(
        f"""WITH v AS (SELECT "group", {value} AS value FROM {source}),
        known AS (SELECT "group", value FROM v WHERE {_present('value')}),
        groups AS (SELECT "group", count(*) AS total, avg(value) AS mean FROM known
                   GROUP BY 1)
        SELECT "group", {_step('value')} AS step, count(*) AS n, any_value(total) AS total,
               any_value(mean) AS mean
        FROM known JOIN groups USING ("group") GROUP BY "group", step""")


def _in_threads(function, items: list) -> list:
    """``[function(item) for item in items]`` spread over threads: each bootstrap draws from its
    own generator and numpy releases the GIL while drawing, so the results are the plain
    loop's, in its order, sooner."""
    workers = min(len(items), os.cpu_count() or 1, 8)
    if workers <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(function, items))


def _mean_rows(hist: pd.DataFrame, names, n_boot: int, confidence: float,
               seed_of) -> list[tuple]:
    """``(name, n, mean, ci_low, ci_high)`` per name, from :func:`_group_histograms`."""
    parts = dict(tuple(hist.groupby("group", sort=False))) if len(hist) else {}

    def one(name) -> tuple:
        part = parts.get(name)
        if part is None:
            return (name, 0, math.nan, math.nan, math.nan)
        total = int(part["total"].iloc[0])
        mean = float(part["mean"].iloc[0])
        low, high = (_interval(part, n_boot, confidence, seed_of(name)) if total > 1
                     else (math.nan, math.nan))
        return (name, total, mean, low, high)

    return _in_threads(one, list(names))


def group_sentiment(store: ResultsStore, grouping, split: str | None = None, *,
                    value: str = "mean_compound", n_boot: int = 2000,
                    confidence: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Mean of an article score per group, as :func:`utils.sentiment.group_sentiment`:
    ``group`` (alphabetical), ``n_articles`` (with a score), ``mean`` and the percentile
    bootstrap interval over articles ``ci_low, ci_high`` (fixed seed per group).

    ``grouping``: a :class:`~utils.results.Grouping` or a column of the articles (``month``
    too; ``split`` for multi-valued columns). ``value``: any score column of the articles
    table (default the article's mean sentence compound; e.g. ``headline_compound``).
    ``attrs``: ``group_column`` and ``left_out`` (``missing group``: articles without a value
    for the column; ``missing value``: articles in a group without a score).
    """
    grouping = _grouping(store, grouping, split)
    value = _value_column(store, value)
    _check_bootstrap(n_boot, confidence)
    source = f"{grouping.view} JOIN articles USING (doc_id)"
    hist = _group_histograms(store, source, _score(value))
    names = sorted(str(g) for g in hist["group"].unique())
    rows = [(name, n, mean, low, high) for name, n, mean, low, high in
            _mean_rows(hist, names, n_boot, confidence,
                       lambda name: sentiment._group_seed(seed, name))]
    frame = pd.DataFrame(rows, columns=["group", "n_articles", "mean", "ci_low", "ci_high"])
    frame["n_articles"] = frame["n_articles"].astype("int64")
    missing_value = int(store.sql(
        f"SELECT count(DISTINCT doc_id) AS n FROM {source} "
        f"WHERE NOT {_present(_score(value))} OR {_name(value)} IS NULL")["n"].iloc[0])
    frame.attrs["group_column"] = grouping.column
    frame.attrs["left_out"] = {"missing group": grouping.left_out,
                               "missing value": missing_value}
    return frame


# ---------------------------------------------------------------------------------------------
# driving words


def driving_words(store: ResultsStore, grouping=None, split: str | None = None, *,
                  top: int = 10) -> pd.DataFrame:
    """The lexicon terms adding the most positive and the most negative valence (after VADER's
    negation and booster rules), as :func:`utils.sentiment.driving_words`: ``[group,]
    direction`` (``positive`` rows first), ``rank``, ``term``, ``lexicon_valence`` (the term's
    valence in the VADER lexicon), ``occurrences`` (tokens with a nonzero valence) and
    ``total_valence`` (their summed valence), from the store's ``tone_terms`` table. With a
    ``grouping`` (or column and ``split``) the ranking is made per group (alphabetical).
    Ties are broken alphabetically, totals compared to 9 decimals."""
    if top < 1:
        raise sentiment.SentimentError(f"top must be at least 1, not {top!r}.")
    grouping = _grouping(store, grouping, split)
    if grouping is None:
        source, group = "tone_terms", "''"
    else:
        source, group = f'tone_terms JOIN {grouping.view} USING (doc_id)', '"group"'
    decimals = sentiment.RANK_DECIMALS
    # the ranking of utils.sentiment._top_terms: totals to 9 decimals, ties alphabetical
    table = store.sql(
        f"""WITH totals AS (SELECT {group} AS "group", term,
                                   sum(occurrences) AS occurrences,
                                   sum(total_valence) AS total_valence
                            FROM {source} GROUP BY 1, 2),
        keyed AS (SELECT *, round(total_valence, {decimals}) AS k FROM totals),
        ranked AS (SELECT "group", CASE WHEN k > 0 THEN 'positive' ELSE 'negative' END
                                   AS direction, term, occurrences, total_valence,
                          row_number() OVER (PARTITION BY "group", k > 0
                                             ORDER BY abs(k) DESC, term) AS rank
                   FROM keyed WHERE k <> 0)
        SELECT * FROM ranked WHERE rank <= $top""", {"top": int(top)})
    lexicon = sentiment.get_engine("vader").lexicon
    if grouping is None:
        terms = table.sort_values("term", kind="stable")["term"].astype(str).tolist()
        by_term = table.set_index(table["term"].astype(str))
        return sentiment._top_terms(pd.DataFrame({
            "term": pd.array(terms, dtype="string"),
            "lexicon_valence": [lexicon.get(t, np.nan) for t in terms],
            "occurrences": by_term.loc[terms, "occurrences"].to_numpy(dtype="int64"),
            "total_valence": by_term.loc[terms, "total_valence"].to_numpy(dtype="float64"),
        }), top)
    if table.empty:
        return pd.DataFrame(columns=["group", "direction", "rank", "term", "lexicon_valence",
                                     "occurrences", "total_valence"])
    names = sorted(str(g) for g in table["group"].unique())
    order = {name: i for i, name in enumerate(names)}
    table = table.assign(
        _group=table["group"].astype(str).map(order),
        _direction=(table["direction"] == "negative").astype("int64"),
    ).sort_values(["_group", "_direction", "rank"], kind="stable")
    terms = table["term"].astype(str).tolist()
    return pd.DataFrame({
        "group": table["group"].astype(str).tolist(),
        "direction": table["direction"].astype(str).tolist(),
        "rank": table["rank"].to_numpy(dtype="int64"),
        "term": pd.array(terms, dtype="string"),
        "lexicon_valence": [lexicon.get(t, np.nan) for t in terms],
        "occurrences": table["occurrences"].to_numpy(dtype="int64"),
        "total_valence": table["total_valence"].to_numpy(dtype="float64"),
    })


# ---------------------------------------------------------------------------------------------
# quoted versus authorial text


def quoted_vs_authorial(store: ResultsStore, grouping, split: str | None = None, *,
                        n_boot: int = 2000, confidence: float = 0.95,
                        seed: int = 0) -> pd.DataFrame:
    """Quoted against authorial tone per group, as :func:`utils.sentiment.quoted_vs_authorial`
    with a group column: ``group, kind`` (``authorial`` before ``quoted``), ``n_articles``
    (articles with text of that kind), ``mean`` (of the per-article means, each article
    counting once) and the bootstrap interval over articles ``ci_low, ci_high``. Groups
    (alphabetical) are those of articles holding quoted or authorial text; the per-article
    means are the store's ``quoted_compound`` and ``authorial_compound``."""
    grouping = _grouping(store, grouping, split)
    _check_bootstrap(n_boot, confidence)
    with_text = "coalesce(n_quoted, 0) + coalesce(n_authorial, 0) > 0"
    source = (f"""(SELECT "group" || chr(0) || kind AS "group", value FROM (
                     SELECT "group", 'authorial' AS kind, authorial_compound AS value
                     FROM {grouping.view} JOIN articles USING (doc_id) WHERE {with_text}
                     UNION ALL
                     SELECT "group", 'quoted' AS kind, quoted_compound AS value
                     FROM {grouping.view} JOIN articles USING (doc_id) WHERE {with_text}))""")
    hist = _group_histograms(store, source, "value")
    groups = store.sql(f'SELECT DISTINCT "group" FROM {grouping.view} JOIN articles '
                       f'USING (doc_id) WHERE {with_text}')["group"]
    names = [f"{g}\0{kind}" for g in sorted(str(g) for g in groups) for kind in _KINDS]
    rows = []
    for key, n, mean, low, high in _mean_rows(
            hist, names, n_boot, confidence, lambda key: sentiment._group_seed(seed, key)):
        name, kind = key.split("\0")
        rows.append((name, kind, n, mean, low, high))
    return pd.DataFrame(rows, columns=["group", "kind", "n_articles", "mean", "ci_low",
                                       "ci_high"])


def summarise_quoted_vs_authorial(store: ResultsStore, *, n_boot: int = 2000,
                                  confidence: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """The corpus-wide comparison, as :func:`utils.sentiment.summarise_quoted_vs_authorial`:
    rows ``authorial`` and ``quoted`` (mean over articles having that kind of text) and
    ``quoted - authorial`` (mean paired difference over articles having both), with
    ``n_articles, mean, ci_low, ci_high`` (bootstrap over articles, fixed seed)."""
    _check_bootstrap(n_boot, confidence)
    labels = ("authorial", "quoted", "quoted - authorial")
    source = """(SELECT 'authorial' AS "group", authorial_compound AS value FROM articles
                 UNION ALL SELECT 'quoted', quoted_compound FROM articles
                 UNION ALL SELECT 'quoted - authorial', quoted_compound - authorial_compound
                 FROM articles)"""
    hist = _group_histograms(store, source, "value")
    rows = _mean_rows(hist, labels, n_boot, confidence,
                      lambda label: sentiment._group_seed(seed, label))
    return pd.DataFrame(rows, columns=["kind", "n_articles", "mean", "ci_low", "ci_high"])


def segment_counts(store: ResultsStore) -> pd.Series:
    """How many segments of each kind the articles hold (``authorial``, ``quoted``; kinds never
    found left out), as ``quote_segments(...)["kind"].value_counts().sort_index()``."""
    row = store.sql("SELECT coalesce(sum(n_authorial), 0) AS authorial, "
                    "coalesce(sum(n_quoted), 0) AS quoted FROM articles").iloc[0]
    found = [(kind, int(row[kind])) for kind in _KINDS if int(row[kind])]
    return pd.Series([n for _, n in found], dtype="int64", name="count",
                     index=pd.Index([k for k, _ in found], dtype="string", name="kind"))


# ---------------------------------------------------------------------------------------------
# the report's summary

#: Groups shown in the table of :func:`tone_summary` (the largest, when there are more).
SUMMARY_GROUPS = 10


def _interval_text(low: float, high: float, confidence: float = 0.95) -> str:
    if math.isnan(low) or math.isnan(high):
        return "no interval: one article"
    return f"{confidence:.0%} interval {low:.3f} to {high:.3f}"


def tone_summary(store: ResultsStore, grouping=None, split: str | None = None, *,
                 n_boot: int = 2000, seed: int = 0, top: int = 5) -> dict:
    """The report's tone section: ``{"lines": [...], "table": frame or None}``.

    Lines: the mean article tone (mean sentence compound) and the shares of articles leaning
    negative or positive (:func:`compound_summary`); quoted against authorial tone
    (:func:`summarise_quoted_vs_authorial`); the ``top`` terms driving the scores each way
    (:func:`driving_words`); with a ``grouping`` (a :class:`~utils.results.Grouping` or a
    column and ``split``), the groups of lowest and highest tone with their intervals
    (:func:`group_sentiment`). Table: the tone of each group (the :data:`SUMMARY_GROUPS`
    groups with most articles when there are more), else :func:`compound_summaries`. The
    numbers are those of the notebook's tables (same functions, ``n_boot`` and ``seed``).
    """
    articles = compound_summary(store, "articles").iloc[0]
    if not articles["n"]:
        return {"lines": ["Tone: no article has a score (none was analysed: VADER reads "
                          "English), so there are no tone figures."], "table": None}
    lines = [f"Tone: mean article sentiment (mean of sentence VADER compounds) "
             f"{articles['mean']:.3f} over {int(articles['n']):,} articles; "
             f"{articles['share_negative']:.0%} of them lean negative (compound at most "
             f"-0.05), {articles['share_positive']:.0%} positive (at least 0.05)."]
    quotes = summarise_quoted_vs_authorial(store, n_boot=n_boot, seed=seed).set_index("kind")
    authorial, quoted = quotes.loc["authorial"], quotes.loc["quoted"]
    difference = quotes.loc["quoted - authorial"]
    if difference["n_articles"]:
        d, low, high = difference["mean"], difference["ci_low"], difference["ci_high"]
        averages = (f"per article, quoted text averages {quoted['mean']:.3f}, the journalists' "
                    f"own sentences {authorial['mean']:.3f}")
        n_both = f"{int(difference['n_articles']):,} articles with both"
        if low > 0 or high < 0:  # the interval excludes no difference
            lean = "more negative" if d < 0 else "more positive"
            lines.append(f"Quoted text is {lean} than the journalists' own sentences: by "
                         f"{abs(d):.3f} on average in the {n_both} (95% interval of the "
                         f"difference {low:.3f} to {high:.3f}); {averages}.")
        else:
            lines.append(f"Quoted text and the journalists' own sentences have about the same "
                         f"tone: difference {d:.3f} in the {n_both} "
                         f"({_interval_text(low, high)}, no clear difference); {averages}.")
    elif quoted["n_articles"] and authorial["n_articles"]:
        lines.append(f"No article holds both quoted text and the journalists' own sentences; "
                     f"quoted text averages {quoted['mean']:.3f} per article, the journalists' "
                     f"own sentences {authorial['mean']:.3f}.")
    elif authorial["n_articles"]:
        lines.append(f"No quoted text found (no quotation marks); the journalists' own "
                     f"sentences average {authorial['mean']:.3f} per article.")
    words = driving_words(store, top=top)
    named = {direction: ", ".join(words.loc[words["direction"] == direction, "term"].astype(str))
             for direction in ("negative", "positive")}
    if any(named.values()):
        lines.append(f"Words moving the scores most: negative {named['negative'] or 'none'}; "
                     f"positive {named['positive'] or 'none'} (look for lexicon artefacts "
                     "such as 'security' in 'Security Council').")
    grouping = _grouping(store, grouping, split)
    if grouping is None:
        table = compound_summaries(store).reset_index()[
            ["level", "n", "mean", "median", "share_negative", "share_positive"]]
        return {"lines": lines, "table": table}
    groups = group_sentiment(store, grouping, n_boot=n_boot, seed=seed)
    scored = groups.dropna(subset=["mean"]).sort_values(["mean", "group"], kind="stable")
    several = scored[scored["n_articles"] >= 2]
    among = ""
    if len(several) >= 2 and len(several) < len(scored):  # one article makes no interval
        scored, among = several, " (among groups of two or more articles)"
    if len(scored) >= 2:
        low, high = scored.iloc[0], scored.iloc[-1]
        lines.append(
            f"By {grouping.column}{among}: article tone ranges from {low['group']} "
            f"({low['mean']:.3f}, {_interval_text(low['ci_low'], low['ci_high'])}) to "
            f"{high['group']} ({high['mean']:.3f}, "
            f"{_interval_text(high['ci_low'], high['ci_high'])}).")
    elif len(scored) == 1:
        only = scored.iloc[0]
        lines.append(f"By {grouping.column}: only {only['group']} has scored articles "
                     f"({only['mean']:.3f}).")
    table = groups
    if len(groups) > SUMMARY_GROUPS:
        largest = groups.sort_values(["n_articles", "group"], ascending=[False, True],
                                     kind="stable").head(SUMMARY_GROUPS)
        table = groups[groups["group"].isin(largest["group"])].reset_index(drop=True)
        lines.append(f"The table shows the {SUMMARY_GROUPS} {grouping.column} groups with "
                     f"most articles of {len(groups):,}.")
    return {"lines": lines, "table": table.rename(columns={"group": grouping.column})}
