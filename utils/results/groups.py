"""Groups of articles in a results store: which articles belong to which group of a column.

Every group comparison of the notebooks and the report assigns articles to groups here, so they
all treat real data the same way:

- the group of an article is the value of a column of the ``articles`` table (a corpus column
  such as ``label``, ``source`` or Reuters' ``topics``), or ``month`` (``YYYY-MM`` of its date);
- an article with no value (missing, or empty text) belongs to no group: it is left out and
  counted (:attr:`Grouping.left_out`, said by :meth:`Grouping.note`), never a crash;
- a multi-valued column (Reuters ``topics`` holds ``earn;acq``) can be split on a separator
  (``split=";"``): the article then counts once in each of its groups, so group sizes add up to
  more than the number of articles (:attr:`Grouping.memberships` says how many);
- articles the pipeline did not analyse (another language) are kept in their groups but carry
  no results; the comparisons leave them out of their figures and say so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from utils.results.store import ResultsStore, StoreError, _sql_name, _sql_string


@dataclass(frozen=True)
class Grouping:
    """Articles of a store assigned to the groups of ``column``.

    ``view`` names a DuckDB view of the store's connection with columns ``doc_id`` and
    ``"group"`` (text), one row per article and group it belongs to.
    """

    column: str
    split: str | None
    view: str
    articles: int
    grouped: int
    left_out: int
    memberships: int
    groups: int

    def note(self) -> str | None:
        """A sentence on what the grouping left out or split, or ``None``."""
        parts = []
        if self.left_out:
            n = self.left_out
            what = "no date" if self.column == "month" else f"no {self.column}"
            parts.append(f"{n:,} of {self.articles:,} article{'s' if n != 1 else ''} "
                         f"{'have' if n != 1 else 'has'} {what} and "
                         f"{'are' if n != 1 else 'is'} left out of the comparison by "
                         f"{self.column}.")
        if self.split is not None and self.memberships > self.grouped:
            parts.append(f"{self.column} split on {self.split!r}: {self.grouped:,} articles "
                         f"count {self.memberships:,} times in {self.groups:,} groups (an "
                         "article counts in each of its groups).")
        return " ".join(parts) or None


def group_columns(store: ResultsStore) -> list[str]:
    """Columns of the store's ``articles`` table an article can be grouped by (and
    ``month`` when the corpus has dates)."""
    skip = {"doc_id", "title", "text", "characters", "analysed"}
    columns = [c for c in store.columns("articles") if c not in skip]
    if "date" in columns and "month" not in columns:
        columns.append("month")
    return columns


def group_articles(store: ResultsStore, column: str, split: str | None = None) -> Grouping:
    """Assign the store's articles to the groups of ``column`` (module docstring).

    ``split``: a separator for multi-valued columns (``";"``); each piece, stripped of spaces,
    is a group. Raises :class:`~utils.results.store.StoreError` naming the columns available
    when ``column`` is not one of them.
    """
    available = group_columns(store)
    if column not in available:
        raise StoreError(f"No column {column!r} to group by; the articles have "
                         f"{', '.join(available)}.")
    if split is not None and (not isinstance(split, str) or split == ""):
        raise ValueError(f"split must be a non-empty separator such as ';', not {split!r}.")
    key = hashlib.sha1(f"{column}\0{split}".encode()).hexdigest()[:12]
    view = f"article_groups_{key}"
    value = f"trim(CAST({_sql_name(column)} AS VARCHAR))"
    connection = store.connection
    kinds = dict(connection.execute("SELECT column_name, column_type FROM "
                                    "(DESCRIBE articles)").fetchall())
    present = f"{_sql_name(column)} IS NOT NULL"
    if kinds.get(column) in ("DOUBLE", "FLOAT", "REAL"):
        present += f" AND NOT isnan({_sql_name(column)})"
    if split is None:
        body = (f"SELECT doc_id, {value} AS \"group\" FROM articles "
                f"WHERE {present} AND {value} <> ''")
    else:
        body = (f"SELECT DISTINCT doc_id, trim(piece) AS \"group\" FROM (SELECT doc_id, "
                f"unnest(string_split({value}, {_sql_string(split)})) AS piece FROM articles "
                f"WHERE {present}) WHERE trim(piece) <> ''")
    connection.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS {body}")
    articles, grouped, memberships, groups = connection.execute(
        f"SELECT (SELECT count(*) FROM articles), count(DISTINCT doc_id), count(*), "
        f"count(DISTINCT \"group\") FROM {view}").fetchone()
    return Grouping(column, split, view, int(articles), int(grouped),
                    int(articles) - int(grouped), int(memberships), int(groups))
