"""The results store: what one run of the per-article analysis writes, and every notebook,
table and report reads.

- :mod:`utils.results.store`: the layout, and :class:`ResultsStore` to read it (pandas for
  single articles and small reads, DuckDB reductions for corpus-level tables);
- :mod:`utils.results.groups`: which articles belong to which group (missing values counted,
  multi-valued columns split, months);
- :mod:`utils.results.writer`: writing a store from an in-memory run, or partition by partition;
- :mod:`utils.results.build`: the store of a corpus, built or reused through the per-article
  cache (:func:`results_for`, what a notebook calls with only ``CORPUS``).
"""

from utils.results.groups import Grouping, group_articles, group_columns
from utils.results.store import ALL_TABLES, TABLES, ResultsStore, StoreError

__all__ = ["ALL_TABLES", "TABLES", "Grouping", "ResultsStore", "StoreError", "group_articles",
           "group_columns", "open_results", "results_for"]


def open_results(folder, version: str | None = None) -> ResultsStore:
    """Open the results store in ``folder`` (:meth:`ResultsStore.open`)."""
    return ResultsStore.open(folder, version)


def results_for(*args, **kwargs) -> ResultsStore:
    """The results store of a corpus (:func:`utils.results.build.results_for`)."""
    from utils.results.build import results_for as build

    return build(*args, **kwargs)
