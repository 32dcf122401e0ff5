"""How the people in the news are portrayed, read from a results store: the tone *toward* each
named person (target tone of the sentences naming them) beside the tone of what each *says*
(their attributed statements), for the corpus, per article and per group.

Every figure reduces the store's ``people`` table (:mod:`utils.people` writes it per article:
one row per mention, ``role = "mentioned"``, and per statement, ``role = "speaking"``) with
one DuckDB query, so memory grows with the number of people and groups, not of articles.
People are joined across articles by their canonical key (``Bashar al-Assad``, ``Assad`` and
``al-Assads`` are one person).

The unit is the article: an article's tone toward a person is the mean over its mentions of
that person, and a person's tone is the mean over the articles naming them, with a percentile
bootstrap interval over those articles (:mod:`utils.tables.resampling`, fixed seed per
person), so an article that names someone twenty times counts once. What a person says is
averaged the same way over the articles quoting them.

``most_named_people(store, top=15)``
    ``person, person_key, n_articles, n_mentions, toward, toward_low, toward_high,
    share_negative, share_positive, n_statements, says`` for the people named in the most
    articles (ties: more mentions, then alphabetical).
``person_tone_by_group(store, grouping, split=None, people=None, top=6)``
    ``person, group, n_articles, toward, toward_low, toward_high, n_statements, says`` for
    ``people`` (display names or keys; default the ``top`` most named) in every group.
``person_articles(store, person, limit=10)``
    The articles naming one person, most mentions first: ``doc_id, title, n_mentions,
    toward, n_statements, says``.
``people_summary(store, grouping=None, split=None)``
    The headline sentences and the table of the report's line on people.
"""

from __future__ import annotations

import math

import pandas as pd

from utils import sentiment
from utils.results import Grouping, ResultsStore, StoreError, group_articles
from utils.tables.tone import _group_histograms, _mean_rows

#: Columns of :func:`most_named_people`.
PEOPLE_COLUMNS = ("person", "person_key", "n_articles", "n_mentions", "toward", "toward_low",
                  "toward_high", "share_negative", "share_positive", "n_statements", "says")
#: Columns of :func:`person_tone_by_group`.
GROUP_COLUMNS = ("person", "group", "n_articles", "toward", "toward_low", "toward_high",
                 "n_statements", "says")
_SEPARATOR = "\x1f"


def _check(n_boot: int, confidence: float, top: int | None = None) -> None:
    sentiment.bootstrap_mean_ci([], n_boot=n_boot, confidence=confidence)
    if top is not None and (not isinstance(top, int) or isinstance(top, bool) or top < 1):
        raise ValueError(f"top must be a whole number of at least 1, not {top!r}.")


def _per_article(role: str, extra: str = "") -> str:
    """SQL: per person key (and group, with ``extra`` joins) and article, the mean compound
    of the person's rows of ``role``."""
    group = ', "group"' if extra else ""
    return (f"SELECT person_key, doc_id{group}, "
            f"avg(compound) AS value, count(*) AS n FROM people {extra} "
            f"WHERE role = '{role}' AND compound IS NOT NULL AND NOT isnan(compound) "
            "GROUP BY ALL")


def _seed(seed: int, name: str):
    return sentiment._group_seed(seed, name)


def _ranked(store: ResultsStore, top: int) -> pd.DataFrame:
    """The ``top`` most named people: ``person_key, person, n_articles, n_mentions, neg, pos,
    n_statements, says`` (no intervals), most articles first, then mentions, then name."""
    return store.sql(f"""
        WITH m AS (SELECT * FROM people WHERE role = 'mentioned'),
        s AS ({_per_article('speaking')}),
        named AS (SELECT person_key, any_value(person) AS person,
                         count(DISTINCT doc_id) AS n_articles, count(*) AS n_mentions,
                         avg(CASE WHEN label = 'negative' THEN 1.0 ELSE 0.0 END) AS neg,
                         avg(CASE WHEN label = 'positive' THEN 1.0 ELSE 0.0 END) AS pos
                  FROM m GROUP BY person_key),
        spoken AS (SELECT person_key, sum(n) AS n_statements, avg(value) AS says
                   FROM s GROUP BY person_key)
        SELECT named.*, coalesce(spoken.n_statements, 0) AS n_statements, spoken.says
        FROM named LEFT JOIN spoken USING (person_key)
        ORDER BY n_articles DESC, n_mentions DESC, person, person_key LIMIT ?""", [top])


def most_named_people(store: ResultsStore, top: int = 15, *, n_boot: int = 2000,
                      confidence: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """The ``top`` people named in the most articles and how they are portrayed (module
    docstring); an empty frame with the columns when the corpus names nobody."""
    _check(n_boot, confidence, top)
    ranked = _ranked(store, top)
    if ranked.empty:
        return pd.DataFrame({c: pd.Series(dtype="object" if c in ("person", "person_key")
                                          else "float64") for c in PEOPLE_COLUMNS})
    keys = ranked["person_key"].astype(str).tolist()
    hist = _group_histograms(
        store, f"(SELECT person_key AS \"group\", value FROM ({_per_article('mentioned')}) "
               f"WHERE person_key IN ({_sql_list(keys)}))", "value")
    intervals = {name: (mean, low, high) for name, _, mean, low, high in
                 _mean_rows(hist, keys, n_boot, confidence, lambda k: _seed(seed, k))}
    frame = pd.DataFrame({
        "person": ranked["person"].astype(str), "person_key": keys,
        "n_articles": ranked["n_articles"].astype("int64"),
        "n_mentions": ranked["n_mentions"].astype("int64"),
        "toward": [intervals[k][0] for k in keys],
        "toward_low": [intervals[k][1] for k in keys],
        "toward_high": [intervals[k][2] for k in keys],
        "share_negative": ranked["neg"].astype("float64"),
        "share_positive": ranked["pos"].astype("float64"),
        "n_statements": ranked["n_statements"].astype("int64"),
        "says": ranked["says"].astype("float64"),
    })
    return frame.reset_index(drop=True)


def _sql_list(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _keys_of(store: ResultsStore, people, top: int) -> list[tuple[str, str]]:
    """``(person_key, display name)`` of ``people`` (names or keys; default the most named)."""
    if people is None:
        ranked = _ranked(store, top)
        return list(zip(ranked["person_key"].astype(str), ranked["person"].astype(str),
                        strict=True))
    if isinstance(people, str):
        people = [people]
    known = store.sql("SELECT DISTINCT person_key, person FROM people")
    by_name = {str(p).casefold(): str(k) for k, p in zip(known["person_key"], known["person"],
                                                          strict=True)}
    name_of = {str(k): str(p) for k, p in zip(known["person_key"], known["person"],
                                              strict=True)}
    found, unknown = [], []
    for person in people:
        key = by_name.get(str(person).casefold(), str(person) if str(person) in name_of else None)
        if key is None:
            unknown.append(str(person))
        elif key not in [k for k, _ in found]:
            found.append((key, name_of[key]))
    if unknown:
        shown = ", ".join(repr(u) for u in unknown[:5])
        raise StoreError(f"The corpus names no person {shown}; most_named_people(store) lists "
                         "who it names (use the person or person_key column).")
    return found


def person_tone_by_group(store: ResultsStore, grouping, split: str | None = None, *,
                         people=None, top: int = 6, n_boot: int = 2000,
                         confidence: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Tone toward each of ``people`` and of what they say, per group (module docstring):
    one row per person and group where the person is named or speaks, people in the order
    of :func:`most_named_people` (or as given), groups alphabetical. ``grouping``: a
    :class:`~utils.results.Grouping` or a column of the articles (``split`` for multi-valued
    columns; articles without a group are left out, ``attrs["left_out"]``)."""
    _check(n_boot, confidence, top)
    if not isinstance(grouping, Grouping):
        grouping = group_articles(store, str(grouping), split)
    chosen = _keys_of(store, people, top)
    attrs = {"group_column": grouping.column, "left_out": {"missing group": grouping.left_out}}
    if not chosen:
        frame = pd.DataFrame({c: pd.Series(dtype="float64") for c in GROUP_COLUMNS})
        frame.attrs.update(attrs)
        return frame
    keys = _sql_list([k for k, _ in chosen])
    join = f"JOIN {grouping.view} USING (doc_id)"
    cells = f"person_key || '{_SEPARATOR}' || CAST(\"group\" AS VARCHAR)"
    hist = _group_histograms(
        store, f"(SELECT {cells} AS \"group\", value FROM ({_per_article('mentioned', join)}) "
               f"WHERE person_key IN ({keys}))", "value")
    spoken = store.sql(f"""SELECT person_key, CAST("group" AS VARCHAR) AS "group",
        sum(n) AS n_statements, avg(value) AS says
        FROM ({_per_article('speaking', join)}) WHERE person_key IN ({keys}) GROUP BY ALL""")
    cells_present = set(hist["group"].astype(str)) | {
        f"{k}{_SEPARATOR}{g}" for k, g in zip(spoken["person_key"], spoken["group"],
                                              strict=True)}
    names = [c for k, _ in chosen for c in sorted(x for x in cells_present
                                                   if x.split(_SEPARATOR, 1)[0] == k)]
    toward = {name: (n, mean, low, high) for name, n, mean, low, high in
              _mean_rows(hist, names, n_boot, confidence, lambda c: _seed(seed, c))}
    says = {f"{k}{_SEPARATOR}{g}": (int(n), float(v)) for k, g, n, v in
            spoken.itertuples(index=False, name=None)}
    display = dict(chosen)
    rows = []
    for name in names:
        key, group = name.split(_SEPARATOR, 1)
        n, mean, low, high = toward[name]
        n_statements, said = says.get(name, (0, math.nan))
        rows.append((display[key], group, n, mean, low, high, n_statements, said))
    frame = pd.DataFrame(rows, columns=list(GROUP_COLUMNS))
    frame = frame.astype({"n_articles": "int64", "n_statements": "int64"})
    frame.attrs.update(attrs)
    return frame


def person_articles(store: ResultsStore, person, limit: int = 10) -> pd.DataFrame:
    """The articles naming ``person`` (a display name or key), most mentions first (ties by
    ``doc_id``): ``doc_id, title, n_mentions, toward, n_statements, says``."""
    (key, _), = _keys_of(store, person, 1)
    title = "c.title" if "title" in store.columns("corpus") else "NULL"
    return store.sql(f"""
        WITH p AS (SELECT * FROM people WHERE person_key = ?),
        m AS (SELECT doc_id, count(*) AS n_mentions, avg(compound) AS toward FROM p
              WHERE role = 'mentioned' GROUP BY doc_id),
        s AS (SELECT doc_id, count(*) AS n_statements, avg(compound) AS says FROM p
              WHERE role = 'speaking' GROUP BY doc_id)
        SELECT doc_id, {title} AS title, coalesce(m.n_mentions, 0) AS n_mentions, m.toward,
               coalesce(s.n_statements, 0) AS n_statements, s.says
        FROM m FULL JOIN s USING (doc_id) JOIN corpus AS c USING (doc_id)
        ORDER BY n_mentions DESC, n_statements DESC, doc_id LIMIT ?""", [key, limit])


def _tone_word(value: float) -> str:
    if value <= -0.05:
        return "negative"
    if value >= 0.05:
        return "positive"
    return "about neutral"


def people_summary(store: ResultsStore, grouping=None, split: str | None = None, *,
                   n_boot: int = 2000, seed: int = 0, top: int = 5) -> dict:
    """The report's line on people: ``{"lines": [...], "table": frame or None}``: the most
    named person, the tone toward them (with its interval) and of what they say, and with a
    grouping the tone toward them in each group; the table is :func:`most_named_people`."""
    people = most_named_people(store, top, n_boot=n_boot, seed=seed)
    if people.empty:
        return {"lines": ["People: no named person found (people are found by their titles "
                          "and as quoted speakers)."], "table": None}
    first = people.iloc[0]
    interval = ("no interval: one article" if math.isnan(first["toward_low"]) else
                f"95% interval {first['toward_low']:.3f} to {first['toward_high']:.3f}")
    says = (f"; what they say averages {first['says']:.3f} over {int(first['n_statements']):,} "
            "statements" if first["n_statements"] else "; they are not quoted")
    lines = [f"People: the most named person is {first['person']} ({int(first['n_articles']):,} "
             f"articles, {int(first['n_mentions']):,} mentions); the tone toward them is "
             f"{_tone_word(first['toward'])} ({first['toward']:.3f}, {interval}){says}."]
    if grouping is not None:
        if not isinstance(grouping, Grouping):
            grouping = group_articles(store, str(grouping), split)
        by_group = person_tone_by_group(store, grouping, people=[first["person_key"]],
                                        n_boot=n_boot, seed=seed)
        by_group = by_group[by_group["n_articles"] > 0]
        if len(by_group) >= 2:
            parts = ", ".join(f"{row.group} {row.toward:.3f} ({row.n_articles:,} articles)"
                              for row in by_group.itertuples())
            lines.append(f"Tone toward {first['person']} by {grouping.column}: {parts}.")
    table = people[["person", "n_articles", "n_mentions", "toward", "share_negative",
                    "n_statements", "says"]].round(3)
    return {"lines": lines, "table": table}


#: The two measures of :func:`tone_measures`, in plotting order.
MEASURES = ("tone toward them", "tone of what they say")


def tone_measures(table: pd.DataFrame, *, by: str = "person") -> pd.DataFrame:
    """:func:`most_named_people` (or :func:`person_tone_by_group` with ``by="group"``) as long
    rows ``<by>, measure, mean, low, high`` for :func:`utils.plots.plot_intervals`: the tone
    toward each person with its interval, and the tone of what they say (no interval: the
    interval is that of the tone toward them). Rows of :func:`person_tone_by_group` keep a
    ``person`` column too."""
    keep = [by] if by == "person" else ["person", by]
    toward = table[keep].assign(measure=MEASURES[0], mean=table["toward"],
                                low=table["toward_low"], high=table["toward_high"])
    says = table[keep].assign(measure=MEASURES[1], mean=table["says"], low=table["says"],
                              high=table["says"])
    return pd.concat([toward, says], ignore_index=True)
