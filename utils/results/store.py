"""Reading a results store: the folder one run of the per-article analysis writes.

A store is the same folder whether the run was in this process, in several processes or
partition by partition on a Dask cluster (:mod:`utils.results.writer` writes it)::

    RESULTS/manifest.json                 what was analysed and how (see below)
    RESULTS/corpus/part-00000.parquet     the loaded articles (load_corpus columns, text too)
    RESULTS/articles/part-00000.parquet   one row per article: metadata, sizes, scores, counts
    RESULTS/sentences/...                 one row per sentence: position, VADER scores, text
    RESULTS/attributions/...              one row per attribution (speakers as found)
    RESULTS/terms/...                     doc_id, term, count
    RESULTS/bigrams/...                   doc_id, first, second, count (within sentences)
    RESULTS/tone_terms/...                doc_id, term, occurrences, total_valence (VADER)
    RESULTS/people/...                    one row per mention of a named person (tone toward
                                          the person) and per statement of one (its tone)
    RESULTS/failures/...                  doc_id, step, error
    RESULTS/_done/part-00000.json         written after a partition's tables (pipeline version)
    RESULTS/speakers.parquet              speaker, source_type -> canonical name, corpus-wide
    RESULTS/people.parquet                person_key -> canonical key and display name

Partition ``part-NNNNN`` of every table holds the same articles, in corpus order, so the
partitions concatenated in order are the tables of :func:`utils.pipeline.analyse_corpus` on the
whole corpus.

The manifest records the format, the corpus (``corpus``: its name, ``options.source``: what was
loaded, with the loader's options), the load report, the pipeline version, the partitions with
their article counts, the row count of every table and the engine that wrote it.

:class:`ResultsStore` opens a store for reading. Small reads (one article, a few columns of a
small store) come back as pandas frames (:meth:`ResultsStore.read`, :meth:`ResultsStore.article`);
corpus-level tables are reductions run by DuckDB over the Parquet files
(:meth:`ResultsStore.sql`): DuckDB streams the files and keeps only the groups of a query in
memory, so a reduction's memory grows with its result (the vocabulary, the groups), not with
the number of articles, and it uses every core. Why DuckDB rather than Dask dataframes or
pandas partition by partition: on the Reuters store (1.05 M term rows, 1.1 M bigram rows)
term totals took 0.05 s with DuckDB against 3.5x that with ``dask.dataframe`` and 3-4x by
pandas partition by partition, bigram totals 0.15 s against 5x and 7-9x, and joins of the
articles with their groups are one SQL statement (``benchmarks/results_store.py`` measures
all three on the same store). Dask stays the engine that *writes* partitions on a cluster,
and :meth:`ResultsStore.dask` gives any table as a lazy Dask dataframe for users who want one.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from utils.corpus import CorpusError, LoadReport

#: Format of the manifest written by :mod:`utils.results.writer`.
FORMAT = "news-corpus-results/2"
#: The per-partition tables, in the order they are written (``_done`` after them).
TABLES = ("articles", "sentences", "attributions", "terms", "bigrams", "tone_terms", "people",
          "failures")
#: Every table a store holds, the loaded corpus included.
ALL_TABLES = ("corpus", *TABLES)
#: DuckDB settings of a store's connection: memory for a query before it spills to disk
#: (the system's temporary folder), so a reduction's memory stays bounded at any corpus size.
MEMORY_LIMIT = os.environ.get("NEWS_RESULTS_MEMORY_LIMIT", "256MB")


class StoreError(CorpusError):
    """A folder that is not a complete results store (or one of another pipeline version)."""


def canonicalise_speakers(frame: pd.DataFrame, mapping: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (attribution rows) with ``speaker`` replaced by its canonical name from
    ``mapping`` (``speaker, source_type, canonical``; the store's ``speakers.parquet``)."""
    lookup = dict(zip(zip(mapping["speaker"], mapping["source_type"], strict=True),
                      mapping["canonical"], strict=True))
    speakers = frame["speaker"].fillna("").astype(str)
    types = frame["source_type"].fillna("unknown").astype(str)
    canonical = [lookup.get((s, t), s) for s, t in zip(speakers, types, strict=True)]
    return frame.assign(speaker=pd.array(canonical, dtype=frame["speaker"].dtype))


def canonicalise_people(frame: pd.DataFrame, mapping: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (people rows) with ``person_key`` and ``person`` replaced by the canonical
    key and display name of ``mapping`` (the store's ``people.parquet``)."""
    lookup = dict(zip(mapping["person_key"], zip(mapping["canonical_key"], mapping["display"],
                                                 strict=True), strict=True))
    found = [lookup.get(k, (k, p)) for k, p in zip(frame["person_key"], frame["person"],
                                                      strict=True)]
    return frame.assign(
        person_key=pd.array([f[0] for f in found], dtype=frame["person_key"].dtype),
        person=pd.array([f[1] for f in found], dtype=frame["person"].dtype))


def _sql_string(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _sql_name(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def is_done(folder: Path, name: str, version: str | None = None) -> bool:
    """Whether partition ``name`` of the store in ``folder`` is complete: its ``_done`` marker
    exists (naming ``version``, when given) and every table file of it exists."""
    marker = Path(folder) / "_done" / f"{name}.json"
    if not marker.exists():
        return False
    try:
        done = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if version is not None and done.get("version") != version:
        return False
    return all((Path(folder) / table / f"{name}.parquet").exists() for table in TABLES)


@dataclass
class ResultsStore:
    """A complete results store opened for reading (:meth:`open`)."""

    folder: Path
    manifest: dict
    partitions: list[str]
    report: LoadReport
    stats: dict = field(default_factory=dict)

    # -- opening --------------------------------------------------------------------------

    @classmethod
    def open(cls, folder, version: str | None = None) -> ResultsStore:
        """Open the store in ``folder``. ``version``: the pipeline version every partition
        must have been written with (``None``: any). Raises :class:`StoreError` saying what
        is missing when the folder is not a complete store."""
        folder = Path(folder)
        manifest_path = folder / "manifest.json"
        if not manifest_path.is_file():
            raise StoreError(f"{folder.name!r} is not a results store: it has no manifest.json. "
                             "Run the main job (python -m utils.analyze CORPUS) to write one.")
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise StoreError(f"The manifest of the results store {folder.name!r} cannot be "
                             f"read ({error}); write the store again.") from error
        names = [p["name"] for p in manifest.get("partitions", [])]
        missing = [n for n in names if not is_done(folder, n, version)]
        if missing or "report" not in manifest:
            what = (f"{len(missing)} of {len(names)} partitions are not complete"
                    + (" with this pipeline version" if version else "")) if missing else \
                "the manifest has no load report"
            raise StoreError(f"The results store {folder.name!r} is incomplete: {what}. Run "
                             "the analysis again to finish it.")
        report = LoadReport.from_dict(manifest["report"])
        stats = {"articles": report.kept, "partitions": len(names),
                 "version": manifest.get("pipeline_version")}
        return cls(folder, manifest, names, report, stats)

    # -- what it holds --------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The corpus name (``fa-kes``, a file's stem)."""
        return str(self.manifest.get("corpus") or self.folder.name)

    @property
    def options(self) -> dict:
        """The options the corpus was loaded and analysed with."""
        return dict(self.manifest.get("options", {}))

    def rows(self, table: str) -> int:
        """Number of rows of ``table`` (from the Parquet footers)."""
        import pyarrow.parquet as pq

        return sum(pq.ParquetFile(path).metadata.num_rows for path in self.files(table))

    def files(self, table: str) -> list[Path]:
        """The Parquet files of ``table``, one per partition, in corpus order."""
        if table not in ALL_TABLES:
            raise ValueError(f"Unknown table {table!r}; a store holds {', '.join(ALL_TABLES)}.")
        return [self.folder / table / f"{name}.parquet" for name in self.partitions]

    def columns(self, table: str) -> list[str]:
        """Column names of ``table``."""
        import pyarrow.parquet as pq

        files = self.files(table)
        return list(pq.read_schema(files[0]).names) if files else []

    # -- reading in pandas ----------------------------------------------------------------

    def speaker_map(self) -> pd.DataFrame:
        """``speaker, source_type, canonical`` for every distinct speaker of the store."""
        return pd.read_parquet(self.folder / "speakers.parquet")

    def people_map(self) -> pd.DataFrame:
        """``person_key, canonical_key, display`` for every distinct person key."""
        return pd.read_parquet(self.folder / "people.parquet")

    def _finish(self, table: str, frame: pd.DataFrame) -> pd.DataFrame:
        if table == "attributions" and "speaker" in frame:
            frame = canonicalise_speakers(frame, self._speakers())
        if table == "people" and "person_key" in frame:
            frame = canonicalise_people(frame, self._people())
        if "content_spans" in frame:
            frame["content_spans"] = [[tuple(int(v) for v in span) for span in spans]
                                      for spans in frame["content_spans"]]
        return frame

    @functools.cache  # noqa: B019 - one small table per store object
    def _speakers(self) -> pd.DataFrame:
        return self.speaker_map()

    @functools.cache  # noqa: B019 - one small table per store object
    def _people(self) -> pd.DataFrame:
        return self.people_map()

    def batches(self, table: str, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
        """``table`` one partition at a time (bounded memory), in corpus order."""
        for path in self.files(table):
            yield self._finish(table, pd.read_parquet(path, columns=columns))

    def read(self, table: str, columns: list[str] | None = None,
             doc_ids: list[str] | None = None) -> pd.DataFrame:
        """``table`` in memory (for small stores, or few columns), partitions in order, with
        the types :func:`utils.pipeline.analyse_corpus` gives; ``doc_ids``: only those
        articles' rows (read with a filter, so cheap on a large store)."""
        filters = None
        if doc_ids is not None:
            filters = [("doc_id", "in", [str(d) for d in doc_ids])]
        frames = [pd.read_parquet(p, columns=columns, filters=filters) for p in self.files(table)]
        frames = [f for f in frames if len(f)] or frames[:1]
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        return self._finish(table, frame)

    def article(self, doc_id) -> dict:
        """One article for close reading: ``{"doc_id", "title", "text", "article",
        "sentences", "attributions", "people"}`` (the corpus row's title and text, its row of
        the articles table as a dict, its sentences, attributions and people as frames). Raises
        :class:`KeyError` when the store has no such article."""
        doc_id = str(doc_id)
        corpus = self.read("corpus", doc_ids=[doc_id])
        if corpus.empty:
            raise KeyError(f"No article {doc_id!r} in the results store {self.name!r}.")
        row = corpus.iloc[0]
        articles = self.read("articles", doc_ids=[doc_id])
        return {"doc_id": doc_id, "title": row.get("title"), "text": row["text"],
                "article": articles.iloc[0].to_dict() if len(articles) else {},
                "sentences": self.read("sentences", doc_ids=[doc_id]),
                "attributions": self.read("attributions", doc_ids=[doc_id]),
                "people": self.read("people", doc_ids=[doc_id])}

    def first_doc_id(self) -> str:
        """The id of the corpus's first article."""
        import pyarrow.parquet as pq

        table = pq.ParquetFile(self.files("corpus")[0]).read_row_group(0, columns=["doc_id"])
        return str(table.column("doc_id")[0].as_py())

    def dask(self, table: str, columns: list[str] | None = None):
        """``table`` as a lazy :class:`dask.dataframe.DataFrame`, one partition per file."""
        from functools import partial

        import dask.dataframe as dd

        frame = dd.from_map(partial(pd.read_parquet, columns=columns),
                            [str(p) for p in self.files(table)])
        if table == "attributions" and "speaker" in frame.columns:
            frame = frame.map_partitions(canonicalise_speakers, self.speaker_map())
        if table == "people" and "person_key" in frame.columns:
            frame = frame.map_partitions(canonicalise_people, self.people_map())
        return frame

    # -- reductions in DuckDB -------------------------------------------------------------

    @functools.cached_property
    def connection(self):
        """A DuckDB connection with one view per table (``corpus``, ``articles``, ...;
        ``attributions`` with canonical speakers; ``people`` with canonical keys and display
        names; ``articles`` with a ``month`` column
        ``YYYY-MM`` when the corpus has dates)."""
        import tempfile

        import duckdb

        connection = duckdb.connect(config={
            "threads": max(1, min(os.cpu_count() or 1, 8)), "memory_limit": MEMORY_LIMIT,
            "temp_directory": os.path.join(tempfile.gettempdir(), "news-corpus-duckdb"),
            "preserve_insertion_order": False})  # every reduction sorts its result itself
        for table in ALL_TABLES:
            files = ", ".join(_sql_string(p.as_posix()) for p in self.files(table))
            source = f"read_parquet([{files}], union_by_name = true)"
            if table == "attributions":
                speakers = _sql_string((self.folder / "speakers.parquet").as_posix())
                source = (f"(SELECT a.* REPLACE (coalesce(s.canonical, a.speaker) AS speaker) "
                          f"FROM {source} AS a LEFT JOIN read_parquet({speakers}) AS s "
                          "ON coalesce(a.speaker, '') = s.speaker AND "
                          "coalesce(a.source_type, 'unknown') = s.source_type)")
            elif table == "people":
                people = _sql_string((self.folder / "people.parquet").as_posix())
                source = (f"(SELECT p.* REPLACE (coalesce(m.canonical_key, p.person_key) AS "
                          f"person_key, coalesce(m.display, p.person) AS person) FROM {source} "
                          f"AS p LEFT JOIN read_parquet({people}) AS m USING (person_key))")
            elif table == "articles":
                columns = self.columns("articles")
                if "date" in columns and "month" not in columns:
                    source = (f"(SELECT *, strftime(CAST(date AS TIMESTAMP), '%Y-%m') AS month "
                              f"FROM {source})")
            connection.execute(f"CREATE VIEW {table} AS SELECT * FROM {source}")
        return connection

    def sql(self, query: str, parameters: list | None = None) -> pd.DataFrame:
        """Run a DuckDB query over the store's views; the result as a pandas frame."""
        return self.connection.execute(query, parameters or []).df()

    def close(self) -> None:
        """Close the DuckDB connection (opened again when needed)."""
        if "connection" in self.__dict__:
            self.__dict__.pop("connection").close()

    def __hash__(self) -> int:
        return hash(self.folder.resolve())

    def __eq__(self, other) -> bool:
        return isinstance(other, ResultsStore) and self.folder.resolve() == other.folder.resolve()
