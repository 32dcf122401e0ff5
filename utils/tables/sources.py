"""Who is quoted or cited, read from a results store: the corpus-level tables of source
attribution (notebook ``04_source_attribution`` and the report's sources section).

Each function reduces the store's ``attributions`` and ``articles`` tables with one DuckDB
query (:meth:`utils.results.ResultsStore.sql`), so its memory grows with its result (speakers,
pairs of speakers, groups), not with the number of articles, and returns the same table as the
function of :mod:`utils.attribution` of the same name on the corpus in memory. Speakers are the
store's canonical names (one name per person or organization across the corpus).

Groups come from :func:`utils.results.group_articles` (a :class:`~utils.results.Grouping`, or
a column name and ``split``): articles with no value for the column belong to no group and are
left out (the in-memory functions list them as a ``(missing)`` group), and a multi-valued
column split on a separator counts an article in each of its groups.

``attribution_totals(store)``
    One row: ``articles, analysed, articles_with_attributions, attributions``.
``attributions_by_kind(store)``
    ``kind, attributions, articles``: attributions of each kind (direct, mixed, indirect,
    according-to).
``most_cited_sources(store, n=10)``
    ``speaker, source_type, attributions, articles``.
``source_type_shares(store, digits=3)``
    ``source_type, attributions, share``.
``quotes_per_1000_words(store, grouping=None, split=None, digits=3)``
    ``group, articles, words, attributions, direct_quotes, attributions_per_1000_words,
    direct_quotes_per_1000_words``.
``sourcing_by_group(store, grouping="source", split=None, digits=3)``
    ``group, articles, attributions, named, anonymous, unattributed, named_share,
    anonymous_share``.
``cocitation_edges(store, min_articles=1, top=None)``
    ``speaker_a, speaker_b, articles``: pairs of speakers cited in the same article.
``cocitation_network(store, max_nodes=15)``
    The edges among the ``max_nodes`` speakers with most shared articles, and every speaker's
    weight, for :func:`utils.attribution.plots.plot_cocitation_network`.
``most_attributed_article(store)``
    The id of the article with most attributions (for close reading).
``sources_summary(store, grouping=None)``
    The headline sentences and the most-cited table of the report.
"""

from __future__ import annotations

import pandas as pd

from utils.attribution import KINDS, NAMED_TYPES, SOURCE_TYPES
from utils.results import Grouping, ResultsStore, group_articles

#: A speaker is named when the extractor resolved the source to a name (not "" or missing).
_NAMED_SPEAKER = "coalesce(speaker, '') <> ''"


def _grouping(store: ResultsStore, grouping, split: str | None = None) -> Grouping | None:
    """``grouping`` as a :class:`Grouping` (a column name is grouped with ``split``)."""
    if grouping is None or isinstance(grouping, Grouping):
        return grouping
    return group_articles(store, str(grouping), split)


def _sql_list(values) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def _sorted_by_group(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted by ``group`` as Python sorts text (what the in-memory tables do)."""
    return frame.sort_values("group", kind="stable").reset_index(drop=True)


def attribution_totals(store: ResultsStore) -> pd.DataFrame:
    """One row: ``articles`` (in the store), ``analysed`` (read by the English analyses),
    ``articles_with_attributions`` and ``attributions`` (all kinds)."""
    return store.sql(
        "SELECT count(*)::BIGINT AS articles, "
        "count(*) FILTER (WHERE analysed)::BIGINT AS analysed, "
        "count(*) FILTER (WHERE attributions > 0)::BIGINT AS articles_with_attributions, "
        "coalesce(sum(attributions), 0)::BIGINT AS attributions FROM articles")


def attributions_by_kind(store: ResultsStore) -> pd.DataFrame:
    """``kind, attributions, articles``: per kind of attribution (direct quote, mixed,
    indirect, according-to; alphabetical, kinds never found left out) the number of
    attributions and of articles holding at least one."""
    table = store.sql('SELECT kind, count(*)::BIGINT AS attributions, '
                      'count(DISTINCT doc_id)::BIGINT AS articles FROM attributions '
                      'GROUP BY kind')
    table["kind"] = table["kind"].astype("str")
    return table.sort_values("kind", kind="stable").reset_index(drop=True)


def most_cited_sources(store: ResultsStore, n: int = 10) -> pd.DataFrame:
    """The ``n`` speakers with most attributions: ``speaker, source_type, attributions,
    articles`` (articles citing the speaker; most attributions first, ties alphabetical), as
    :func:`utils.attribution.most_cited_sources`. Unresolved (empty) speakers are left out; a
    speaker's type is its most frequent one (ties alphabetical)."""
    table = store.sql(
        f"""WITH named AS (SELECT doc_id, speaker, source_type FROM attributions
                           WHERE {_NAMED_SPEAKER}),
        types AS (SELECT speaker, source_type, count(*) AS n FROM named GROUP BY ALL),
        best AS (SELECT speaker, source_type FROM types
                 QUALIFY row_number() OVER (PARTITION BY speaker
                                            ORDER BY n DESC, source_type) = 1),
        totals AS (SELECT speaker, count(*) AS attributions,
                          count(DISTINCT doc_id) AS articles FROM named GROUP BY speaker)
        SELECT speaker, source_type, attributions::BIGINT AS attributions,
               articles::BIGINT AS articles
        FROM totals JOIN best USING (speaker)
        ORDER BY attributions DESC, speaker LIMIT {max(int(n), 0)}""")
    return table.astype({"speaker": "str", "source_type": "str", "attributions": "int64",
                         "articles": "int64"})


def source_type_shares(store: ResultsStore, digits: int = 3) -> pd.DataFrame:
    """``source_type, attributions, share`` in :data:`utils.attribution.SOURCE_TYPES` order
    (all six types listed, zero when absent; shares of all attributions, 0 when there are
    none), as :func:`utils.attribution.source_type_shares`."""
    counts = store.sql("SELECT source_type, count(*)::BIGINT AS n FROM attributions "
                       "GROUP BY source_type")
    found = dict(zip(counts["source_type"], counts["n"].astype(int), strict=True))
    total = sum(found.values())
    return pd.DataFrame({
        "source_type": list(SOURCE_TYPES),
        "attributions": [int(found.get(t, 0)) for t in SOURCE_TYPES],
        "share": [round(found.get(t, 0) / total, digits) if total else 0.0
                  for t in SOURCE_TYPES],
    })


def quotes_per_1000_words(store: ResultsStore, grouping=None, split: str | None = None,
                          digits: int = 3) -> pd.DataFrame:
    """Attribution density per group (``grouping``: a :class:`~utils.results.Grouping` or a
    column; ``None``: one row ``all``), as :func:`utils.attribution.quotes_per_1000_words`:
    ``group, articles, words`` (words of the analysed articles), ``attributions,
    direct_quotes`` and both per 1,000 words. Groups alphabetical; a group with no words has
    rate 0, and one whose articles are all in languages the rules cannot read (not analysed)
    has missing rates."""
    grouping = _grouping(store, grouping, split)
    if grouping is None:
        source, group = "articles AS a", "'all'"
    else:
        source, group = f'{grouping.view} AS g JOIN articles AS a USING (doc_id)', 'g."group"'
    table = store.sql(
        f"""SELECT {group} AS "group", count(*)::BIGINT AS articles,
                   coalesce(sum(a.words), 0)::BIGINT AS words,
                   coalesce(sum(a.attributions), 0)::BIGINT AS attributions,
                   coalesce(sum(a.attributions_direct), 0)::BIGINT AS direct_quotes,
                   coalesce(bool_or(a.analysed), false) AS analysed
            FROM {source} GROUP BY 1""")
    if grouping is None and table.empty:
        table = pd.DataFrame({"group": ["all"], "articles": [0], "words": [0],
                              "attributions": [0], "direct_quotes": [0], "analysed": [False]})
    rows = []
    for row in table.itertuples(index=False):
        empty = 0.0 if row.analysed else float("nan")
        words = int(row.words)
        rows.append({
            "group": str(row.group), "articles": int(row.articles), "words": words,
            "attributions": int(row.attributions), "direct_quotes": int(row.direct_quotes),
            "attributions_per_1000_words":
                round(1000 * int(row.attributions) / words, digits) if words else empty,
            "direct_quotes_per_1000_words":
                round(1000 * int(row.direct_quotes) / words, digits) if words else empty,
        })
    columns = ["group", "articles", "words", "attributions", "direct_quotes",
               "attributions_per_1000_words", "direct_quotes_per_1000_words"]
    return _sorted_by_group(pd.DataFrame(rows, columns=columns))


def sourcing_by_group(store: ResultsStore, grouping="source", split: str | None = None,
                      digits: int = 3) -> pd.DataFrame:
    """Named versus anonymous sourcing per group, as :func:`utils.attribution.sourcing_by_group`:
    ``group`` (alphabetical), ``articles``, ``attributions``, ``named`` (source type person,
    organization, media or document), ``anonymous``, ``unattributed`` (no or unknown source)
    and the shares ``named_share`` and ``anonymous_share`` of the group's attributions (0 for a
    group without attributions)."""
    grouping = _grouping(store, grouping, split)
    table = store.sql(
        f"""WITH sizes AS (SELECT "group", count(*) AS articles FROM {grouping.view}
                           GROUP BY 1),
        found AS (SELECT g."group", count(*) AS attributions,
                         count(*) FILTER (WHERE t.source_type IN ({_sql_list(NAMED_TYPES)}))
                             AS named,
                         count(*) FILTER (WHERE t.source_type = 'anonymous') AS anonymous
                  FROM attributions AS t JOIN {grouping.view} AS g USING (doc_id) GROUP BY 1)
        SELECT "group", articles::BIGINT AS articles,
               coalesce(attributions, 0)::BIGINT AS attributions,
               coalesce(named, 0)::BIGINT AS named, coalesce(anonymous, 0)::BIGINT AS anonymous
        FROM sizes LEFT JOIN found USING ("group")""")
    rows = []
    for row in table.itertuples(index=False):
        total, named, anonymous = int(row.attributions), int(row.named), int(row.anonymous)
        rows.append({
            "group": str(row.group), "articles": int(row.articles), "attributions": total,
            "named": named, "anonymous": anonymous, "unattributed": total - named - anonymous,
            "named_share": round(named / total, digits) if total else 0.0,
            "anonymous_share": round(anonymous / total, digits) if total else 0.0,
        })
    columns = ["group", "articles", "attributions", "named", "anonymous", "unattributed",
               "named_share", "anonymous_share"]
    return _sorted_by_group(pd.DataFrame(rows, columns=columns))


_PAIRS = f"""WITH cited AS (SELECT DISTINCT doc_id, speaker FROM attributions
                            WHERE {_NAMED_SPEAKER}),
pairs AS (SELECT a.speaker AS speaker_a, b.speaker AS speaker_b, count(*) AS articles
          FROM cited AS a JOIN cited AS b ON a.doc_id = b.doc_id AND a.speaker < b.speaker
          GROUP BY ALL)"""


def _edges(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({"speaker_a": "str", "speaker_b": "str", "articles": "int64"})


def cocitation_edges(store: ResultsStore, min_articles: int = 1, top: int | None = None
                     ) -> pd.DataFrame:
    """Who is quoted together, as :func:`utils.attribution.cocitation_edges`: one row per pair
    of named speakers cited in the same article, ``speaker_a, speaker_b, articles``
    (``speaker_a < speaker_b``; ``articles``: the articles citing both), pairs with at least
    ``min_articles``, most shared articles first, ties alphabetical; ``top``: only the first
    ``top`` pairs (the whole list can be long on a large corpus)."""
    limit = "" if top is None else f" LIMIT {max(int(top), 0)}"
    table = store.sql(f"""{_PAIRS} SELECT * FROM pairs WHERE articles >= ?
                          ORDER BY articles DESC, speaker_a, speaker_b{limit}""",
                      [int(min_articles)])
    return _edges(table)


def cocitation_network(store: ResultsStore, max_nodes: int = 15) -> tuple[pd.DataFrame, dict]:
    """``(edges, weights)`` for :func:`utils.attribution.plots.plot_cocitation_network`: the
    :func:`cocitation_edges` between the ``max_nodes`` speakers with most shared articles
    (a speaker's weight: the sum of ``articles`` over its pairs; ties alphabetical), and
    ``weights``, those speakers' weights. The plot of these equals the plot of every edge."""
    table = store.sql(
        f"""{_PAIRS},
        weights AS (SELECT speaker, sum(articles)::BIGINT AS weight FROM (
                        SELECT speaker_a AS speaker, articles FROM pairs
                        UNION ALL SELECT speaker_b, articles FROM pairs) GROUP BY speaker
                    ORDER BY weight DESC, speaker LIMIT {max(int(max_nodes), 0)})
        SELECT p.speaker_a, p.speaker_b, p.articles, wa.weight AS weight_a,
               wb.weight AS weight_b
        FROM pairs AS p JOIN weights AS wa ON p.speaker_a = wa.speaker
             JOIN weights AS wb ON p.speaker_b = wb.speaker
        ORDER BY p.articles DESC, p.speaker_a, p.speaker_b""")
    weights = dict(zip(table["speaker_a"], table["weight_a"].astype(int), strict=True))
    weights.update(zip(table["speaker_b"], table["weight_b"].astype(int), strict=True))
    return _edges(table[["speaker_a", "speaker_b", "articles"]]), weights


def most_attributed_article(store: ResultsStore) -> str:
    """The id of the article with most attributions (ties: the first in corpus order; the
    store's first article when none has any)."""
    files = ", ".join("'" + path.as_posix().replace("'", "''") + "'"
                      for path in store.files("articles"))
    found = store.sql(f"""SELECT doc_id FROM read_parquet([{files}], filename = true,
                                                          file_row_number = true)
                          WHERE attributions > 0
                          ORDER BY attributions DESC, filename, file_row_number LIMIT 1""")
    return str(found["doc_id"].iloc[0]) if len(found) else store.first_doc_id()


def _percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def sources_summary(store: ResultsStore, grouping=None) -> dict:
    """The report's sources section: ``{"lines", "table"}``. Lines: attributions per 1,000
    words and in how many articles, the shares of direct quotes and of anonymous sources,
    the most-cited speakers; table: the ten most-cited sources (:func:`most_cited_sources`).
    ``grouping`` is accepted for the report's common call and not used (the groups section
    compares groups)."""
    del grouping
    overall = quotes_per_1000_words(store).iloc[0]
    totals = attribution_totals(store).iloc[0]
    top = most_cited_sources(store, n=10)
    n = int(overall["attributions"])
    analysed = int(totals["analysed"])
    if not analysed:
        return {"lines": ["No article was analysed (none is in English), so no attribution "
                          "was looked for."], "table": top}
    if not n:
        return {"lines": [f"No attribution (quote or reported speech) was found in the "
                          f"{analysed:,} analysed articles."], "table": top}
    types = source_type_shares(store).set_index("source_type")["share"]
    lines = [
        f"{n:,} attributions in {int(totals['articles_with_attributions']):,} of "
        f"{analysed:,} analysed articles: {overall['attributions_per_1000_words']:.1f} per "
        "1,000 words.",
        f"{_percent(int(overall['direct_quotes']) / n)} are direct quotes; "
        f"{_percent(types['anonymous'])} have an anonymous source (\"officials said\") and "
        f"{_percent(types['unknown'])} no identifiable source.",
    ]
    if len(top):
        cited = ", ".join(f"{row.speaker} ({row.attributions:,})"
                          for row in top.head(3).itertuples(index=False))
        lines.append(f"Most cited: {cited}.")
    return {"lines": lines, "table": top}


__all__ = ["KINDS", "attribution_totals", "attributions_by_kind", "cocitation_edges",
           "cocitation_network", "most_attributed_article", "most_cited_sources",
           "quotes_per_1000_words", "source_type_shares", "sources_summary",
           "sourcing_by_group"]
