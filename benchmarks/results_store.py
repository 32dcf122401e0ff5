"""Reading a results store: DuckDB against dask.dataframe and pandas for the corpus-level
reductions the notebooks need. Prints figures; it is not a test.

Usage::

    .venv/bin/python benchmarks/results_store.py [--store FOLDER]

Without ``--store`` the store of Reuters-21578 (``../shared/corpora``) is built or reused
under ``.cache/results/`` (:func:`utils.results.results_for`; a few minutes the first time).
Three reductions, each computed three ways on the same store, the results checked equal:

- term totals: ``terms`` grouped by term (count and document frequency);
- bigram totals: ``bigrams`` grouped by pair, kept when seen 5 times or more;
- mean article tone per topic: ``articles`` joined with its topics split on ``;``.

Printed: seconds of each (best of three) and the ratio to DuckDB's.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd


def best_of(function, repeats: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        clock = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - clock)
    return min(times), result


def duckdb_terms(store):
    return store.sql("SELECT term, sum(count) AS count, count(*) AS doc_freq FROM terms "
                     "GROUP BY term ORDER BY term")


def dask_terms(store):
    frame = store.dask("terms", ["term", "count"])
    totals = frame.groupby("term")["count"].agg(["sum", "count"]).compute(scheduler="threads")
    return totals.rename(columns={"sum": "count", "count": "doc_freq"}).sort_index()


def pandas_terms(store):
    totals = None
    for batch in store.batches("terms", ["term", "count"]):
        part = batch.groupby("term")["count"].agg(["sum", "count"])
        totals = part if totals is None else totals.add(part, fill_value=0)
    return totals.rename(columns={"sum": "count", "count": "doc_freq"}).sort_index()


def duckdb_bigrams(store):
    return store.sql('SELECT "first", second, sum(count) AS count FROM bigrams GROUP BY ALL '
                     'HAVING sum(count) >= 5 ORDER BY "first", second')


def dask_bigrams(store):
    frame = store.dask("bigrams", ["first", "second", "count"])
    totals = frame.groupby(["first", "second"])["count"].sum().compute(scheduler="threads")
    return totals[totals >= 5].sort_index()


def pandas_bigrams(store):
    totals = None
    for batch in store.batches("bigrams", ["first", "second", "count"]):
        part = batch.groupby(["first", "second"])["count"].sum()
        totals = part if totals is None else totals.add(part, fill_value=0)
    return totals[totals >= 5].sort_index()


def duckdb_topics(store):
    from utils.results import group_articles

    grouping = group_articles(store, "topics", ";")
    return store.sql(f'SELECT "group", avg(mean_compound) AS tone FROM {grouping.view} '
                     'JOIN articles USING (doc_id) GROUP BY "group" ORDER BY "group"')


def _split_topics(frame: pd.DataFrame) -> pd.DataFrame:
    pieces = frame.assign(group=frame["topics"].astype("string").str.split(";")).explode("group")
    pieces["group"] = pieces["group"].str.strip()
    pieces = pieces[pieces["group"].notna() & (pieces["group"] != "")]
    return pieces.drop_duplicates(["doc_id", "group"])


def dask_topics(store):
    frame = store.dask("articles", ["doc_id", "topics", "mean_compound"])
    pieces = frame.map_partitions(_split_topics)
    return pieces.groupby("group")["mean_compound"].mean().compute(scheduler="threads").sort_index()


def pandas_topics(store):
    sums, counts = None, None
    for batch in store.batches("articles", ["doc_id", "topics", "mean_compound"]):
        pieces = _split_topics(batch)
        grouped = pieces.groupby("group")["mean_compound"]
        s, c = grouped.sum(), grouped.count()
        sums = s if sums is None else sums.add(s, fill_value=0)
        counts = c if counts is None else counts.add(c, fill_value=0)
    return (sums / counts).sort_index()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", default=None, help="a results store folder")
    args = parser.parse_args(argv)
    from utils.paths import shared_corpora_dir
    from utils.results import open_results, results_for

    if args.store:
        store = open_results(args.store)
    else:
        source = shared_corpora_dir() / "reuters21578.csv.gz"
        if not source.exists():
            print("The shared corpora are not available here: nothing to benchmark.")
            return 0
        store = results_for(source)
    print(f"store of {store.name}: {store.rows('articles'):,} articles, "
          f"{store.rows('terms'):,} term rows, {store.rows('bigrams'):,} bigram rows")
    for name, ways in (("term totals", (duckdb_terms, dask_terms, pandas_terms)),
                       ("bigram totals", (duckdb_bigrams, dask_bigrams, pandas_bigrams)),
                       ("tone per topic (split)", (duckdb_topics, dask_topics, pandas_topics))):
        timed = [best_of(lambda way=way: way(store)) for way in ways]
        reference = np.sort(timed[0][1].iloc[:, -1].to_numpy(dtype=float))
        for (_, result), way in zip(timed[1:], ways[1:], strict=True):
            values = result.iloc[:, -1] if isinstance(result, pd.DataFrame) else result
            if not np.allclose(np.sort(values.to_numpy(dtype=float)), reference, rtol=1e-9):
                print(f"  {name}: {way.__name__} differs from DuckDB")
        duck = timed[0][0]
        print(f"{name:24s} DuckDB {duck:6.2f} s | dask.dataframe {timed[1][0]:6.2f} s "
              f"({timed[1][0] / duck:4.1f}x) | pandas by partition {timed[2][0]:6.2f} s "
              f"({timed[2][0] / duck:4.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
